"""Pointwise PyTorch functions built from other ops. Each follows PyTorch's CPU formula, so
values round where its kernel's do (where its vectorised and scalar loops differ, the
vectorised one, which most elements take); float16/bfloat16 compute in float32 and round
once, as PyTorch's kernels do."""
import math

from . import dtypes, ops
from .creation import as_tensor_arg, full
from .elementwise import _check_tensor, _check_writable, _inplace, maximum, to_dtype, where
from .tensor import Tensor, wrap

_PI_180 = math.pi / 180


def _floats(*xs, name=None):
    """The operands as tensors of the dtype the op computes in (ints promote to the default
    float, unless `name`'s kernel takes floats only; float16/bfloat16 compute in float32)
    and the dtype of its result."""
    out = ops.result_type(list(xs))
    if not out.is_floating_point:
        if name:
            raise ops.not_implemented(f"{name}_cpu", out)
        out = dtypes.get_default_dtype()
    work = dtypes.float32 if out.itemsize == 2 else out
    device = next(x.device for x in xs if isinstance(x, Tensor))
    return [to_dtype(x, work) if isinstance(x, Tensor) else
            full((), x, dtype=work, device=device) for x in xs], out


def logaddexp(a, b):
    """log(exp(a) + exp(b)) as max(a, b) + log(1 + exp(-|a - b|)); a when a == b is ±inf."""
    (a, b), out = _floats(a, as_tensor_arg(b), name="logaddexp")
    m = maximum(a, b)
    value = m + (1 + (-(a - b).abs()).exp()).log()
    return to_dtype(where((a == b) & (a.abs() == math.inf), a, value), out)


def logaddexp2(a, b):
    """log2(2**a + 2**b) as max(a, b) + log(1 + 2**-|a - b|) / log(2)."""
    (a, b), out = _floats(a, as_tensor_arg(b), name="logaddexp2")
    m = maximum(a, b)
    value = m + (1 + (-(a - b).abs()).exp2()).log() * (1 / math.log(2))
    return to_dtype(where((a == b) & (a.abs() == math.inf), a, value), out)


def xlogy(x, y):
    """x * log(y), 0 where x is 0, NaN where y is NaN."""
    (x, y), out = _floats(x, y)
    value = where(x == 0, 0.0, x * y.log())
    return to_dtype(where(y != y, math.nan, value), out)


def xlog1py(x, y):
    """x * log1p(y), 0 where x is 0, NaN where y is NaN."""
    (x, y), out = _floats(x, y)
    value = where(x == 0, 0.0, x * y.log1p())
    return to_dtype(where(y != y, math.nan, value), out)


def sinc(x):
    """sin(pi x) / (pi x), 1 at 0."""
    (x,), out = _floats(x)
    product = math.pi * x
    return to_dtype(where(x == 0, 1.0, product.sin() / product), out)


def deg2rad(x):
    return as_float(x) * _PI_180


def rad2deg(x):
    return as_float(x) * (180 / math.pi)


def as_float(x):
    """x, or x converted to the default float dtype when it is not a float."""
    return x if x.dtype.is_floating_point else to_dtype(x, dtypes.get_default_dtype())


def heaviside(x, values):
    """0 where x < 0, values where x == 0, 1 where x > 0 (and NaN gives 0)."""
    if not isinstance(values, Tensor):
        raise TypeError(f"heaviside(): argument 'values' (position 1) must be Tensor, not "
                        f"{type(values).__name__}")
    if values.dtype is not x.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different "
                           "dtypes.")
    return where(x == 0, values, to_dtype(x > 0, x.dtype))


def hypot(a, b):
    """sqrt(a**2 + b**2) without overflow or underflow on the way (C's hypot)."""
    _check_tensor(a, "hypot")
    _check_tensor(b, "hypot", "other", 2)
    d = ops.result_type([a, b])
    if not d.is_floating_point:
        raise ops.not_implemented("hypot_cpu", d)
    (a, b), out = _floats(a, b)
    node, _ = ops.elementwise("hypot", a, b)
    return to_dtype(wrap(node, a.device), out)


def hypot_(a, b):
    _check_writable(a, b)
    out = hypot(a, b)
    return _inplace(a, out._node, out.dtype)


def sgn(x):
    """sign(x): for real dtypes the same function."""
    return x.sign()


# digamma as PyTorch's CPU kernel computes it (Cephes' psi): the recurrence
# psi(x) = psi(x + 1) - 1/x until x >= 10, then the asymptotic series
# log x - 1/(2x) - sum B_2k / (2k x^2k), k = 1..7 (coefficients highest first)
_PSI_10 = 2.25175258906672110764            # psi(10) = 1 + 1/2 + ... + 1/9 - Euler's gamma
_PSI_SERIES = (1 / 12, -691 / 32760, 1 / 132, -1 / 240, 1 / 252, -1 / 120, 1 / 12)


def digamma(x):
    """The derivative of lgamma, in PyTorch's steps (so in its dtype's rounding): for x < 0
    the reflection psi(1 - x) - pi / tan(pi frac(x)) (NaN at the poles), at 0 an infinity of
    the opposite sign."""
    (x,), out = _floats(x)
    negative = x < 0
    z = x.where(negative.logical_not(), 1 - x)
    total = 0
    for _ in range(10):                 # each element steps while it is below 10
        below = z < 10
        total = total - (1 / z).where(below, 0)
        z = z.where(below.logical_not(), z + 1)
    zz = 1 / (z * z)
    poly = _PSI_SERIES[0]
    for c in _PSI_SERIES[1:]:
        poly = poly * zz + c
    tail = (zz * poly).where(z < 1e17, 0)
    psi = (total + z.log() - 0.5 / z - tail).where(z != 10, total + _PSI_10)
    # the reflection's term in double, as PyTorch's, a true division (a number over a
    # tensor would be its reciprocal times the number, rounded twice)
    r = x.double().frac()
    pi = full(r.shape, math.pi, dtype=dtypes.float64, device=r.device)
    psi = psi.where(negative.logical_not(), psi - (pi / (pi * r).tan()).to(x.dtype))
    psi = psi.where((x >= 0) | (x != x.floor()), math.nan)      # poles: NaN, as PyTorch
    psi = psi.where(x != 0, where(x.signbit(), math.inf, -math.inf).to(psi.dtype))
    return psi.to(out)


# Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011): polynomials in
# w = -log(1 - x^2), for w < 5 in w - 2.5, beyond in sqrt(w) - 3
_ERFINV_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                   0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_ERFINV_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
                0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)


def _horner(coefficients, w):
    p = coefficients[0]
    for c in coefficients[1:]:
        p = p * w + c
    return p


def erfinv(x):
    """The inverse of erf on (-1, 1) (+-inf at +-1, NaN beyond): Giles' approximation in
    float64, then two Newton steps on erf, rounded once to the result's dtype."""
    (x,), out = _floats(x)
    y = x.double()
    w = -((1 - y) * (1 + y)).log()
    central = _horner(_ERFINV_CENTRAL, w - 2.5)
    tail = _horner(_ERFINV_TAIL, w.clamp_min(5).sqrt() - 3)
    z = central.where(w < 5, tail) * y
    for _ in range(2):
        z = z - (z.erf() - y) / (2 / math.sqrt(math.pi) * (-z * z).exp())
    z = z.where(y.abs() < 1, y.sign() * math.inf).where(y.abs() <= 1, math.nan)
    return z.to(out)


def erfinv_(x):
    _check_writable(x, x)
    return x.copy_(erfinv(x))


FUNCTIONS = ("logaddexp", "logaddexp2", "xlogy", "sinc", "deg2rad", "rad2deg", "heaviside",
             "hypot", "hypot_", "sgn", "digamma", "erfinv", "erfinv_")


def _attach():
    g = globals()
    for name in FUNCTIONS:
        setattr(Tensor, name, g[name])


_attach()
