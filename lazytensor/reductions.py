"""Reductions: sum, prod, mean, max/min (with indices), argmax/argmin, all/any, std/var."""
import builtins
import warnings
from collections import namedtuple

import numpy as np

from . import dtypes, graph, ops
from .codegen import parallel
from .elementwise import binary
from .printing import format_return_type
from .tensor import Tensor, wrap


def _named(name, fields):
    cls = namedtuple(name, fields)

    def __repr__(self):
        return format_return_type(name, [(f, repr(getattr(self, f))) for f in fields])
    cls.__repr__ = cls.__str__ = __repr__
    cls.__module__ = "lazytensor.return_types"
    return cls


class return_types:
    """Named-tuple results, printed as PyTorch prints its torch.return_types."""
    max = _named("max", ("values", "indices"))
    min = _named("min", ("values", "indices"))
    sort = _named("sort", ("values", "indices"))
    topk = _named("topk", ("values", "indices"))
    cummax = _named("cummax", ("values", "indices"))
    cummin = _named("cummin", ("values", "indices"))
    median = _named("median", ("values", "indices"))
    kthvalue = _named("kthvalue", ("values", "indices"))
    nanmedian = _named("nanmedian", ("values", "indices"))
    mode = _named("mode", ("values", "indices"))
    linalg_svd = _named("linalg_svd", ("U", "S", "Vh"))
    linalg_qr = _named("linalg_qr", ("Q", "R"))
    linalg_eigh = _named("linalg_eigh", ("eigenvalues", "eigenvectors"))
    linalg_slogdet = _named("linalg_slogdet", ("sign", "logabsdet"))


def _invalid_args(name, got):
    """PyTorch's TypeError for a call that matches none of its overloads (first line)."""
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                     "but expected one of:\n * (Tensor input)\n"
                     " * (Tensor input, int dim, bool keepdim)")


def _check_single_dim(name, dim):
    """prod, max and min take one int dim (or none), not a tuple."""
    if dim is not None and not isinstance(dim, int):
        raise _invalid_args(name, type(dim).__name__)


def _reduce(op, x, dim=None, keepdim=False, dtype=None):
    node, _ = ops.reduce(op, x, dim, keepdim, dtypes.to_dtype(dtype) if dtype else None)
    return wrap(node, x.device)


def sum(x, dim=None, keepdim=False, *, dtype=None):
    return _reduce("sum", x, dim, keepdim, dtype)


def prod(x, dim=None, keepdim=False, *, dtype=None):
    _check_single_dim("prod", dim)
    return _reduce("prod", x, dim, keepdim, dtype)


def _count(x, dim):
    axes = ops.normalize_dims(dim, x.ndim)
    return graph.prod(x._shape[a] for a in axes) if x.ndim else 1


def mean(x, dim=None, keepdim=False, *, dtype=None):
    """The sum over dim divided by the count; float16 and bfloat16 sum in float32 first."""
    d = dtypes.to_dtype(dtype) if dtype else x.dtype
    if not d.is_floating_point and not d.is_complex:
        which = "Optional" if dtype else "Input"
        raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either "
                           f"a floating point or complex dtype. Got: {ops.torch_name(d)}")
    n = _count(x, dim)
    acc = dtypes.float32 if d.itemsize < 4 else d
    total = _reduce("sum", x, dim, keepdim, acc)
    out = total / n if n else total * float("nan")
    return out if acc is d else out.to(d)


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Sum of squared deviations from the mean over (count - correction), as in PyTorch."""
    return _variance("var", x, dim, unbiased, keepdim, correction)


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _variance("std", x, dim, unbiased, keepdim, correction)


def _variance(name, x, dim, unbiased, keepdim, correction):
    if x.dtype.is_complex:
        # the variance of the real parts plus that of the imaginary parts, a real result
        parts = [_variance("var", p, dim, unbiased, keepdim, correction)
                 for p in (x.real, x.imag)]
        out = parts[0] + parts[1]
        return out.sqrt() if name == "std" else out
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if x.dtype.itemsize < 4:                    # float16 and bfloat16 accumulate in float32
        return _variance(name, x.float(), dim, unbiased, keepdim, correction).to(x.dtype)
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    n = _count(x, dim)
    if n - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly "
                      "less than the reduction factor (input numel divided by output numel).",
                      UserWarning, stacklevel=4)
    if _whole(x, dim):
        return _two_pass(x, dim, correction, keepdim, root=name == "std")
    if x.device.type == "cpu":
        # PyTorch's CPU kernel: Welford's running mean and squared deviations in double,
        # each output's values in order; the quotient and root in double, rounded once
        m2 = _reduce("m2", x, dim, keepdim, dtypes.float64)
        out = m2 / builtins.max(n - correction, 0)
        return (out.sqrt() if name == "std" else out).to(x.dtype)
    centered = x - mean(x, dim, keepdim=True)
    total = _reduce("sum", centered * centered, dim, keepdim)
    out = total / builtins.max(n - correction, 0)
    return out.sqrt() if name == "std" else out


def _whole(x, dim):
    """A float32/float64 reduction to one value: PyTorch's CPU takes a two-pass path."""
    if x.dtype not in (dtypes.float32, dtypes.float64) or x.numel() == 0:
        return False
    axes = ops.normalize_dims(dim, x.ndim)
    return graph.prod(s for i, s in enumerate(x._shape) if i not in axes) == 1


def _two_pass(x, dim, correction, keepdim, root):
    """var or std of the whole tensor as PyTorch's CPU computes it: the mean as x.mean()
    gives it, then the squared deviations from it added in double, in order (one run per
    thread's chunk above 32768 values, the runs then added), divided by n - correction and,
    for std, square-rooted, all in double, rounded to the dtype once."""
    n = x.numel()
    _, chunk = parallel.chunks(n)
    axes = ops.normalize_dims(dim, x.ndim)
    shape = tuple(1 if i in axes else s for i, s in enumerate(x._shape)) if keepdim else \
        tuple(s for i, s in enumerate(x._shape) if i not in axes)
    np_dtype = x.dtype.np_storage

    def fn(values, mu):
        deviation = values.reshape(-1).astype(np.float64) - np.float64(mu.reshape(-1)[0])
        squares = deviation * deviation
        total = 0.0
        for b in range(0, n, chunk):
            total = total + float(np.add.accumulate(squares[b:b + chunk])[-1])
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.float64(total) / np.float64(builtins.max(n - correction, 0))
            out = np.sqrt(v) if root else v
        return np.array(out, dtype=np_dtype).reshape(shape)
    name = "std" if root else "var"
    return wrap(graph.extern(name, fn, x.dtype, shape, (x._node, mean(x)._node)), x.device)


def _max_min(op, x, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        return binary("maximum" if op == "max" else "minimum", x, dim)
    _check_single_dim(op, dim)
    if x.dtype.is_complex and dim is not None:
        raise RuntimeError(f"{op}(): does not support complex input")
    ops.check_nonempty(op, x, dim)
    if dim is None:
        return _reduce(op, x)
    values = _reduce(op, x, dim, keepdim)
    indices = _reduce("arg" + op, x, dim, keepdim)
    return getattr(return_types, op)(values, indices)


def max(x, dim=None, keepdim=False):
    return _max_min("max", x, dim, keepdim)


def min(x, dim=None, keepdim=False):
    return _max_min("min", x, dim, keepdim)


def _amax_amin(op, x, dim, keepdim):
    dim = None if dim == () else dim
    if x.dtype.is_complex:
        raise ops.not_implemented(f"{op}_values_cpu", x.dtype)
    ops.check_nonempty("a" + op, x, dim)
    return _reduce(op, x, dim, keepdim)


def amax(x, dim=(), keepdim=False):
    return _amax_amin("max", x, dim, keepdim)


def amin(x, dim=(), keepdim=False):
    return _amax_amin("min", x, dim, keepdim)


def _arg(op, x, dim, keepdim):
    name = "arg" + op
    if dim is not None and not isinstance(dim, int):
        raise TypeError(f"{name}(): argument 'dim' (position 1) must be int, not "
                        f"{type(dim).__name__}")
    if x.dtype is dtypes.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    ops.check_nonempty(name, x, dim)
    return _reduce(name, x, dim, keepdim)


def argmax(x, dim=None, keepdim=False):
    return _arg("max", x, dim, keepdim)


def argmin(x, dim=None, keepdim=False):
    return _arg("min", x, dim, keepdim)


def _all_any(op, x, dim, keepdim):
    """min or max of x != 0 (empty: True for all, False for any); uint8 in, uint8 out.

    An empty tuple of dims reduces nothing, as in PyTorch.
    """
    truth = x != 0
    out = truth if dim == () else _reduce(op, truth, dim, keepdim)
    return out.to(dtypes.uint8) if x.dtype is dtypes.uint8 else out


def all(x, dim=None, keepdim=False):
    return _all_any("min", x, dim, keepdim)


def any(x, dim=None, keepdim=False):
    return _all_any("max", x, dim, keepdim)


def _softmax_input(x, dim, dtype, name):
    if dim is None:
        raise TypeError(f"{name}() missing 1 required positional argument: 'dim'")
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    if not x.dtype.is_floating_point:        # PyTorch's kernel name: last dim or another
        last = x.ndim == 0 or ops.normalize_dim(dim, x.ndim) == x.ndim - 1
        raise ops.not_implemented(f"{name}_lastdim_kernel_impl" if last else
                                  f"{name}_kernel_impl", x.dtype)
    return x


def _empty_along(x, dim):
    """Whether dim (of a tensor with dims) has no elements: nothing to normalise."""
    return x.ndim > 0 and x._shape[ops.normalize_dim(dim, x.ndim)] == 0


def softmax(x, dim=None, dtype=None):
    """exp(x - max) / sum(exp(x - max)) along dim: a max kernel, a sum kernel, one more.
    float16/bfloat16 are computed in float32 and rounded once, as PyTorch's kernels do."""
    x = _softmax_input(x, dim, dtype, "softmax")
    if _empty_along(x, dim):
        return x.clone()
    low, x = _in_float32(x)
    e = (x - amax(x, dim, keepdim=True)).exp()
    out = e / sum(e, dim, keepdim=True)
    return out.to(low) if low else out


def log_softmax(x, dim=None, dtype=None):
    """x - max - log(sum(exp(x - max))) along dim. float16/bfloat16 compute in float32; over
    the last dim PyTorch's kernel keeps each row's sum, then its log, in the input's type
    (each rounded there), so the same roundings happen here."""
    x = _softmax_input(x, dim, dtype, "log_softmax")
    if _empty_along(x, dim):
        return x.clone()
    low, x = _in_float32(x)
    shifted = x - amax(x, dim, keepdim=True)
    total = sum(shifted.exp(), dim, keepdim=True)
    last = x.ndim == 0 or ops.normalize_dim(dim, x.ndim) == x.ndim - 1
    if low and last:
        log_total = total.to(low).float().log().to(low).float()
    else:
        log_total = total.log()
    out = shifted - log_total
    return out.to(low) if low else out


def _in_float32(x):
    """(x's dtype, x in float32) for float16/bfloat16; (None, x) otherwise."""
    return (x.dtype, x.float()) if x.dtype.itemsize == 2 else (None, x)


def logsumexp(x, dim, keepdim=False):
    if x.dtype.is_complex:
        # shifted by the largest real part, which bounds every |exp| by 1
        m = amax(x.real, dim, keepdim=True).detach()
        m = m.masked_fill(m.abs() == float("inf"), 0)
        out = sum((x - m).exp(), dim, keepdim=True).log() + m
        return out if keepdim else out.squeeze(dim)
    if not x.dtype.is_floating_point:
        x = x.to(dtypes.get_default_dtype())
    if isinstance(dim, int) and _empty_along(x, dim):     # the log of an empty sum
        out = sum(x, dim, keepdim=True).log()
        return out if keepdim else out.squeeze(dim)
    m = amax(x, dim, keepdim=True)
    m = m.masked_fill(m.abs() == float("inf"), 0)      # all -inf (or inf) rows stay finite
    out = sum((x - m).exp(), dim, keepdim=True).log() + m
    return out if keepdim else out.squeeze(dim)


def _scan(name, numpy_fn, x, dim, dtype):
    """A running sum/product along dim, run by NumPy as an extern node (shown in explain()).
    Like PyTorch on the CPU it accumulates floats in double and integers in int64."""
    d = ops.normalize_dim(dim, x.ndim)      # a 0-dim tensor takes dim 0 or -1
    out = dtypes.to_dtype(dtype) if dtype is not None else (
        x.dtype if x.dtype.is_floating_point or x.dtype.is_complex else dtypes.int64)
    acc = np.complex128 if out.is_complex else np.float64 if out.is_floating_point else \
        np.int64
    np_out = out.to_numpy()

    def fn(a):
        a = a.reshape(a.shape or (1,)).astype(acc)
        return numpy_fn(a, axis=d).astype(np_out).reshape(x._shape)
    src = x if x.dtype is not dtypes.bfloat16 else x.float()
    return wrap(graph.extern(name, fn, out, x._shape, (src._node,)), x.device)


def cumsum(x, dim, *, dtype=None):
    return _scan("cumsum", np.cumsum, x, dim, dtype)


def cumprod(x, dim, *, dtype=None):
    return _scan("cumprod", np.cumprod, x, dim, dtype)


FUNCTIONS = ("sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "argmax",
             "argmin", "all", "any", "softmax", "log_softmax", "logsumexp", "cumsum",
             "cumprod")


def _attach():
    g = globals()
    for name in FUNCTIONS:
        setattr(Tensor, name, g[name])


_attach()
