"""torch.special: the functions that are compositions of ops lazytensor has (others, such
as the Bessel and gamma families, are not provided), plus torch.logit and torch.trapezoid."""
import math

from . import ops
from .elementwise import erf, erfc, exp2, expm1, log1p, round, sigmoid, where
from .pointwise_composites import as_float, sinc, xlog1py, xlogy
from .reductions import log_softmax, logsumexp, softmax
from .tensor import Tensor

expit = sigmoid
__all__ = ["entr", "erf", "erfc", "exp2", "expit", "expm1", "log1p", "log_softmax", "logit",
           "logsumexp", "ndtr", "round", "sinc", "softmax", "xlog1py", "xlogy"]


def logit(x, eps=None):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given."""
    x = as_float(x)
    if eps is not None and eps >= 0:
        x = x.clamp(eps, 1 - eps)
    return (x / (1 - x)).log()


def entr(x):
    """-x * log(x) for x > 0, 0 at 0, -inf below."""
    x = as_float(x)
    return where(x > 0, -x * x.log(), where(x == 0, 0.0, -math.inf)).where(x == x, x)


def ndtr(x):
    """The standard normal distribution function, as PyTorch computes it: (1 + erf(x /
    sqrt(2))) / 2 (which is 0 below about -5.9 in float32; erfc would keep the tail)."""
    x = as_float(x)
    return (1 + erf(x * math.sqrt(0.5))) * 0.5


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoid rule along dim, as PyTorch computes it: for a constant spacing
    (sum(y) - (y[0] + y[-1]) / 2) * dx, for sample points x sum(dx_i * (y_i + y_i+1)) / 2."""
    if x is not None and dx is not None:
        raise RuntimeError("trapezoid: received both x and dx as arguments, but only one may "
                           "be given")
    d = ops.normalize_dim(dim, y.ndim)
    if y._shape[d] == 0:
        return as_float(y).sum(d) * 0
    if x is not None:
        spacing = x.diff(dim=-1 if x.ndim == 1 else d)
        if x.ndim == 1:
            spacing = spacing.reshape((-1,) + (1,) * (y.ndim - 1 - d))
        n = y._shape[d]
        return (spacing * (y.narrow(d, 1, n - 1) + y.narrow(d, 0, n - 1))).sum(d) / 2.0
    step = 1.0 if dx is None else dx
    return (y.sum(d) - (y.select(d, 0) + y.select(d, -1)) * 0.5) * step


trapz = trapezoid
Tensor.logit = logit
