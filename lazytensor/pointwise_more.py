"""More of PyTorch's pointwise functions, composed of ops lazytensor has so they fuse like
any other elementwise op: fmax/fmin, float_power, frexp, ldexp, i0, polygamma, mvlgamma,
isin and the predicates, rsub, clamp_min/clamp_max, and the in-place forms PyTorch has.

gcd, lcm, nextafter and the incomplete gamma functions have no sensible composition (a loop
whose length depends on the values, or bit-level stepping), so each is one NumPy `extern`
node, which explain() shows."""
import math
from fractions import Fraction

import numpy as np

from . import dtypes, graph, ops, special
from .creation import arange, as_tensor_arg, full
from .elementwise import (_check_tensor, _check_writable, clamp_, lgamma, maximum, minimum,
                          pow, sub, where)
from .elementwise import clamp_max, clamp_min  # noqa: F401  (torch.clamp_min, clamp_max)
from .pointwise_composites import (as_float, deg2rad, digamma, heaviside, rad2deg, sgn, sinc,
                                   xlogy)
from .reductions import _named
from .composite import nan_to_num
from .autograd_graph import no_grad
from .out import accepting_out, write_out
from .tensor import Tensor, wrap


def _to(x, dtype):
    """x in dtype, through the recorded cast (autograd follows it, as PyTorch's _to_copy)."""
    return x if x.dtype is dtype else x.to(dtype)


frexp_type = _named("frexp", ("mantissa", "exponent"))


def _both_tensors(name, a, b):
    _check_tensor(a, name)
    _check_tensor(b, name, "other", 2)


def _same_dtype(a, b):
    """a and b in their promoted dtype (and that dtype)."""
    d = ops.result_type([a, b])
    return _to(a, d), _to(b, d), d


# -- fmax, fmin ---------------------------------------------------------------------------
def fmax(input, other):
    """The larger of the two, ignoring a NaN (NaN only where both are)."""
    _both_tensors("fmax", input, other)
    a, b, d = _same_dtype(input, other)
    if not d.is_floating_point:
        return maximum(a, b)
    return where(b.isnan(), a, where(a.isnan(), b, maximum(a, b)))


def fmin(input, other):
    """The smaller of the two, ignoring a NaN (NaN only where both are)."""
    _both_tensors("fmin", input, other)
    a, b, d = _same_dtype(input, other)
    if not d.is_floating_point:
        return minimum(a, b)
    return where(b.isnan(), a, where(a.isnan(), b, minimum(a, b)))


# -- externs: gcd, lcm, nextafter ----------------------------------------------------------
def _extern(name, fn, operands, dtype):
    """One NumPy extern node computing fn over the operands broadcast to one shape."""
    shape = ops.broadcast_shapes(*(x._shape for x in operands))
    srcs = tuple(x.expand(shape)._node for x in operands)
    return wrap(graph.extern(name, fn, dtype, shape, srcs), operands[0].device)


def _integer_binary(name, input, other, fn):
    _both_tensors(name, input, other)
    d = ops.result_type([input, other])
    if d.is_floating_point or d is dtypes.bool_:
        raise ops.not_implemented(f"{name}_cpu", d)
    a, b = _to(input, d), _to(other, d)
    return _extern(name, lambda x, y: fn(x, y).astype(d.np_storage, copy=False), (a, b), d)


def gcd(input, other):
    """The greatest common divisor (non-negative; gcd(0, 0) = 0)."""
    return _integer_binary("gcd", input, other, np.gcd)


def lcm(input, other):
    """The least common multiple (non-negative; 0 where either is 0), computed as PyTorch
    does: |a / gcd * b|, wrapping around where it overflows."""
    return _integer_binary("lcm", input, other, _lcm)


def _lcm(a, b):
    g = np.gcd(a, b)
    with np.errstate(over="ignore"):
        return np.where(g == 0, 0, np.abs(a // np.where(g == 0, 1, g) * b))


def nextafter(input, other):
    """The next representable value after input in the direction of other."""
    _both_tensors("nextafter", input, other)
    d = ops.result_type([input, other])
    if not d.is_floating_point:
        raise ops.not_implemented("nextafter_cpu", d)
    step = _nextafter_bfloat16 if d is dtypes.bfloat16 else np.nextafter
    return _extern("nextafter", step, (_to(input, d), _to(other, d)), d)


def _nextafter_bfloat16(x, y):
    """nextafter on bfloat16's bits (NumPy holds them as uint16): a step of one in the
    magnitude's bit pattern, as for any IEEE format."""
    fx = (x.astype(np.uint32) << 16).view(np.float32)
    fy = (y.astype(np.uint32) << 16).view(np.float32)
    bits = x.astype(np.int32)
    magnitude = bits & 0x7FFF
    away = (fy > fx) == (fx >= 0)               # moving away from zero grows the magnitude
    step = np.where(away, 1, -1)
    out = np.where(magnitude == 0, np.where(fy > fx, 1, 0x8001), bits + step)
    out = np.where(fx == fy, y.astype(np.int32), out)
    out = np.where(np.isnan(fx) | np.isnan(fy), 0x7FC0, out)
    return out.astype(np.uint16)


# -- powers and exponents ----------------------------------------------------------------
def float_power(input, exponent, *, out=None):
    """input ** exponent computed in float64 (the result, and out, are float64)."""
    if out is not None:
        if out.dtype is not dtypes.float64:
            raise RuntimeError(f"the output given to float_power has dtype "
                               f"{ops.torch_name(out.dtype)} but the operation's result "
                               f"requires dtype Double")
        return write_out(out, float_power(input, exponent))
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        _check_tensor(input, "float_power")
    base = _to(input, dtypes.float64) if isinstance(input, Tensor) else float(input)
    exp = _to(exponent, dtypes.float64) if isinstance(exponent, Tensor) else \
        float(exponent)
    return pow(base, exp)


def _float_power_method(input, exponent):
    return float_power(input, exponent)


_float_power_method.__name__ = _float_power_method.__qualname__ = "float_power"


def float_power_(self, exponent):
    if self.dtype is not dtypes.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype "
                           f"{ops.torch_name(self.dtype)} but the operation's result requires "
                           f"dtype Double")
    with no_grad():                  # recorded by autograd's wrapper (PowBackward0/1)
        return _write(self, float_power(self, exponent), exponent)


def ldexp(input, other):
    """input * 2 ** other, in the two's promoted dtype (integers: the default float)."""
    _both_tensors("ldexp", input, other)
    d = ops.result_type([input, other])
    if not d.is_floating_point:
        d = dtypes.get_default_dtype()
    return _to(input, d) * pow(2.0, _to(other, d))


def ldexp_(self, other):
    _check_tensor(other, "ldexp", "other", 1)
    with no_grad():                  # recorded by autograd's wrapper (LdexpBackward0)
        result = ldexp(self, other)
        if not self.dtype.is_floating_point and result.dtype.is_floating_point:
            raise RuntimeError(f"ldexp can't be cast to the desired output type "
                               f"{ops.torch_name(self.dtype)}")
        return _write(self, result, other)


def frexp(input):
    """(mantissa, exponent) with input = mantissa * 2 ** exponent, 0.5 <= |mantissa| < 1
    (0, infinities and NaN: the value itself and exponent 0)."""
    _check_tensor(input, "frexp")
    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    x = _to(input, dtypes.float64)
    finite = x.isfinite() & (x != 0)
    safe = where(finite, x, 1.0)
    e = safe.abs().log2().floor() + 1           # log2 may round across a power of two:
    half = (-e * 0.5).floor()                   # the two corrections below fix that
    m = safe * half.exp2() * (-e - half).exp2()   # two factors: 2 ** 1074 would overflow
    big = m.abs() >= 1
    m, e = where(big, m * 0.5, m), where(big, e + 1, e)
    small = m.abs() < 0.5
    m, e = where(small, m * 2, m), where(small, e - 1, e)
    mantissa = _to(where(finite, m, x), input.dtype)
    exponent = _to(where(finite, e, 0.0), dtypes.int32)
    return frexp_type(mantissa, exponent)


# -- Bessel and gamma functions ----------------------------------------------------------
_I0_SWITCH = 20.0       # the power series below, the asymptotic series above (both to ~1e-15)
_I0_SERIES_TERMS = 50
_I0_ASYMPTOTIC_TERMS = 20


def _float_work(x):
    """x as float64 (the functions below compute in float64 and round once) and the dtype
    of the result (ints give the default float)."""
    out = x.dtype if x.dtype.is_floating_point else dtypes.get_default_dtype()
    return _to(x, dtypes.float64), out


def i0(input):
    """The modified Bessel function of the first kind, order 0: sum (x^2/4)^k / (k!)^2 for
    |x| <= 20, else e^x / sqrt(2 pi x) * sum ((2k-1)!!)^2 / (k! (8x)^k)."""
    _check_tensor(input, "i0")
    x, out = _float_work(input)
    ax = x.abs()
    near = ax <= _I0_SWITCH
    # each branch sees only the inputs it is for, so the other's overflow never reaches the
    # gradient through where
    xs = where(near, ax, 0.0)
    q = xs * xs * 0.25
    term, series = 1.0, 1.0
    for k in range(1, _I0_SERIES_TERMS + 1):
        term = term * q * (1.0 / (k * k))
        series = series + term
    xa = where(near, _I0_SWITCH, ax)
    t, tail = 1.0, 1.0
    for k in range(1, _I0_ASYMPTOTIC_TERMS + 1):
        t = t * ((2 * k - 1) ** 2 / (8.0 * k)) / xa
        tail = tail + t
    asymptotic = (xa - 0.5 * (2 * math.pi * xa).log()).exp() * tail
    return _to(where(near, series, asymptotic), out)


def _bernoulli(n):
    """The Bernoulli number B_n (exact)."""
    b = [Fraction(1)]
    for m in range(1, n + 1):
        b.append(-sum(math.comb(m + 1, k) * b[k] for k in range(m)) / (m + 1))
    return b[n]


# the Euler-Maclaurin tail's coefficients (2k)! / B_2k, k = 1..12 (as Cephes' zeta)
_ZETA_A = tuple(float(math.factorial(2 * k) / _bernoulli(2 * k)) for k in range(1, 13))
_ZETA_MAX_TERMS = 20     # direct terms: 9, and more while q + j <= 9 (q > -11 exactly)


def _hurwitz_zeta(s, q):
    """zeta(s, q) = sum_k (q + k)^-s for an integer s >= 2, as Cephes computes it: the
    first terms directly (at least 9, and until q + k > 9), then Euler-Maclaurin."""
    total = q.pow(-s)
    a = q
    for j in range(1, _ZETA_MAX_TERMS + 1):
        take = (q + (j - 1) <= 9.0) if j > 9 else None
        term = (q + j).pow(-s)
        total = total + (term if take is None else where(take, term, 0.0))
        a = a + (1.0 if take is None else _to(take, dtypes.float64))
    w = a
    b = w.pow(-s)
    total = total + b * w / (s - 1) - 0.5 * b
    factor, k = 1.0, 0
    for coefficient in _ZETA_A:
        factor = factor * (s + k)
        b = b / w
        total = total + factor * b / coefficient
        k += 1
        factor = factor * (s + k)
        b = b / w
        k += 1
    # q a non-positive integer: a pole
    return where((q <= 0) & (q == q.floor()), math.inf, total)


def _trigamma(x):
    """PyTorch's trigamma, in its order of operations: below 1/2 the reflection
    pi^2 / sin^2(pi x) - trigamma(1 - x) (the sum started at -pi^2 / sin^2(pi x) and negated
    at the end); the recurrence up to x + 6, then three terms of the asymptotic series."""
    reflect = x < 0.5
    sin = (math.pi * x).sin()
    pi = full(x.shape, math.pi, dtype=x.dtype, device=x.device)   # (a true division)
    total = where(reflect, -((pi * pi) / (sin * sin)), 0.0)
    z = where(reflect, 1 - x, x)
    for _ in range(6):
        total = total + 1 / (z * z)
        z = z + 1
    ixx = 1 / (z * z)
    total = total + (1 + 1 / (2 * z) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / z
    return where(reflect, -total, total)


def polygamma(n, input):
    """The n-th derivative of digamma: digamma (n = 0), trigamma (n = 1), else
    (-1)^(n+1) n! zeta(n + 1, x)."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    _check_tensor(input, "polygamma", "input", 2)
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return input.digamma()
    if n == 1:                       # in the input's float type, as PyTorch's trigamma
        out = input.dtype if input.dtype.is_floating_point else dtypes.get_default_dtype()
        return _to(_trigamma(_to(input, dtypes.float32 if out.itemsize == 2 else out)), out)
    x, out = _float_work(input)
    sign = 1.0 if n % 2 else -1.0
    return _to(sign * math.factorial(n) * _hurwitz_zeta(n + 1, x), out)


def _polygamma_method(input, n):
    return polygamma(n, input)


_polygamma_method.__name__ = _polygamma_method.__qualname__ = "polygamma"


def polygamma_(self, n):
    with no_grad():                  # recorded by autograd's wrapper, as _inplace_of's
        return _write(self, polygamma(n, self))


def mvlgamma(input, p):
    """The multivariate log-gamma function of dimension p: sum_i lgamma(x - i/2), i < p,
    plus p (p - 1) / 4 log(pi) (PyTorch 2 no longer checks that x > (p - 1) / 2)."""
    _check_tensor(input, "mvlgamma")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = as_float(input)
    shifts = arange(p, dtype=x.dtype, device=x.device) * -0.5
    total = lgamma(x.unsqueeze(-1) + shifts).sum(-1)
    return total + p * (p - 1) / 4 * math.log(math.pi)


# -- the regularised incomplete gamma functions (NumPy externs) ---------------------------
def _igamma_numpy(a, x, upper):
    """P(a, x) (or Q = 1 - P for upper): the power series where x < a + 1, else the
    continued fraction (modified Lentz), both to double precision."""
    a = np.asarray(a, np.float64)
    x = np.asarray(x, np.float64)
    with np.errstate(all="ignore"):
        use_series = x < a + 1
        lgam = np.vectorize(math.lgamma, otypes=[np.float64])(np.where(a > 0, a, 1.0))
        log_front = a * np.log(np.where(x > 0, x, 1.0)) - x - lgam
        # series: P = e^-x x^a / Gamma(a + 1) * sum x^k / ((a+1)...(a+k))
        term = 1.0 / np.where(a > 0, a, 1.0)
        total = term.copy()
        ap = np.where(a > 0, a, 1.0)
        for _ in range(2000):
            ap = ap + 1
            term = term * x / ap
            total = total + term
            if np.all(np.abs(term) <= np.abs(total) * 1e-17):
                break
        p_series = total * np.exp(log_front)
        # continued fraction for Q
        tiny = 1e-300
        b = x + 1 - a
        c = np.full_like(x, 1 / tiny)
        d = 1 / np.where(b == 0, tiny, b)
        h = d.copy()
        for i in range(1, 2000):
            an = -i * (i - a)
            b = b + 2
            d = an * d + b
            d = np.where(np.abs(d) < tiny, tiny, d)
            c = b + an / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            d = 1 / d
            delta = d * c
            h = h * delta
            if np.all((np.abs(delta - 1) < 1e-16) | use_series):
                break
        q_cf = np.exp(log_front) * h
        p = np.where(use_series, p_series, 1 - q_cf)
        q = np.where(use_series, 1 - p_series, q_cf)
        value = q if upper else p
        # the edges, as PyTorch has them
        value = np.where(x == 0, 1.0 if upper else 0.0, value)
        value = np.where((a == 0) & (x > 0), 0.0 if upper else 1.0, value)
        value = np.where(np.isinf(x) & (x > 0), 0.0 if upper else 1.0, value)
        value = np.where(np.isinf(a) & np.isfinite(x), 1.0 if upper else 0.0, value)
        value = np.where((a < 0) | (x < 0) | np.isnan(a) | np.isnan(x) |
                         ((a == 0) & (x == 0)) | (np.isinf(a) & np.isinf(x)), np.nan, value)
    return value


def _igamma(name, input, other, upper):
    _both_tensors(name, input, other)
    d = ops.result_type([input, other])
    if not d.is_floating_point:
        raise ops.not_implemented(f"{name}_cpu", d)
    a, x = _to(input, dtypes.float64), _to(other, dtypes.float64)
    result = _extern(name, lambda u, v: _igamma_numpy(u, v, upper), (a, x), dtypes.float64)
    return _to(result, d)


def igamma(input, other):
    """The regularised lower incomplete gamma function P(input, other)."""
    return _igamma("igamma", input, other, False)


def igammac(input, other):
    """The regularised upper incomplete gamma function Q(input, other) = 1 - P."""
    return _igamma("igammac", input, other, True)


# -- predicates ----------------------------------------------------------------------------
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each element of `elements` is among `test_elements` (compared in their
    promoted dtype); `invert` negates."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments - got "
                        f"({type(elements).__name__}, {type(test_elements).__name__}), but "
                        "expected one of:\n * (Tensor elements, Tensor test_elements, *, "
                        "bool assume_unique = False, bool invert = False, Tensor out = None)")
    like = elements if isinstance(elements, Tensor) else test_elements
    elements = elements if isinstance(elements, Tensor) else \
        full((), elements, device=like.device)
    test = test_elements if isinstance(test_elements, Tensor) else \
        full((), test_elements, device=like.device)
    d = ops.result_type([elements, test])
    if dtypes.bool_ in (elements.dtype, test.dtype):
        raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    e, t = _to(elements, d), _to(test, d).reshape(-1)
    if t.numel() == 0:
        found = full(elements.shape, False, dtype=dtypes.bool_, device=elements.device)
    else:
        found = (e.unsqueeze(-1) == t).any(-1)
    return found.logical_not() if invert else found


def isreal(input):
    """True everywhere for a real dtype."""
    _check_tensor(input, "isreal")
    return full(input.shape, True, dtype=dtypes.bool_, device=input.device)


def isposinf(input):
    _check_tensor(input, "isposinf")
    if not input.dtype.is_floating_point:
        return full(input.shape, False, dtype=dtypes.bool_, device=input.device)
    return input == math.inf


def isneginf(input):
    _check_tensor(input, "isneginf")
    if not input.dtype.is_floating_point:
        return full(input.shape, False, dtype=dtypes.bool_, device=input.device)
    return input == -math.inf


# -- arithmetic ------------------------------------------------------------------------------
def positive(input):
    """input itself (an error for bool, as unary + is)."""
    _check_tensor(input, "positive")
    if input.dtype is dtypes.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def rsub(input, other, *, alpha=1):
    """other - alpha * input."""
    _check_tensor(input, "rsub")
    return sub(as_tensor_arg(other), input, alpha=alpha)


# -- in-place forms ---------------------------------------------------------------------------
def _write(self, result, other=None):
    """self, overwritten with result: PyTorch's checks first (a float result into an
    integer tensor, a broadcast shape that is not self's, overlapping memory), then a
    copy_ (which autograd records, so the gradient follows result's ops)."""
    _check_writable(self, other)
    self._check_inplace(result._node, result.dtype)
    return self.copy_(result)


def _inplace_of(fn):
    """The in-place form of fn, for an op autograd records in place by name (XlogyBackward0,
    ...): its record, made by the wrapper autograd puts around this, holds the derivative,
    so the write itself is made out of autograd's sight."""
    def method(self, *args, **kwargs):
        other = args[0] if args and isinstance(args[0], Tensor) else None
        with no_grad():
            return _write(self, fn(self, *args, **kwargs), other)
    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place {fn.__name__}."
    return method


heaviside_ = _inplace_of(heaviside)
xlogy_ = _inplace_of(xlogy)
sinc_ = _inplace_of(sinc)
deg2rad_ = _inplace_of(deg2rad)
rad2deg_ = _inplace_of(rad2deg)
logit_ = _inplace_of(special.logit)
nan_to_num_ = _inplace_of(nan_to_num)
digamma_ = _inplace_of(digamma)
sgn_ = _inplace_of(sgn)
i0_ = _inplace_of(i0)
mvlgamma_ = _inplace_of(mvlgamma)
igamma_ = _inplace_of(igamma)
igammac_ = _inplace_of(igammac)
gcd_ = _inplace_of(gcd)
lcm_ = _inplace_of(lcm)
nextafter_ = _inplace_of(nextafter)


def clamp_min_(self, min):
    return clamp_(self, min=min)


def clamp_max_(self, max):
    return clamp_(self, max=max)


def _cumulative_(op):
    def method(self, dim, *, dtype=None):
        if dtype is not None and dtypes.to_dtype(dtype) is not self.dtype:
            raise RuntimeError(f"Bad in-place call: input tensor dtype "
                               f"{ops.c_type_name(self.dtype)} and output tensor dtype "
                               f"{ops.c_type_name(dtypes.to_dtype(dtype))} should match")
        _check_writable(self)
        return self.copy_(getattr(self, op)(dim, dtype=self.dtype))
    method.__name__ = op + "_"
    method.__doc__ = f"In-place {op} along dim (in self's dtype)."
    return method


cumsum_ = _cumulative_("cumsum")
cumprod_ = _cumulative_("cumprod")

FUNCTIONS = ("fmax", "fmin", "gcd", "lcm", "nextafter", "float_power", "ldexp", "frexp",
             "i0", "mvlgamma", "igamma", "igammac", "isin", "isreal", "isposinf", "isneginf",
             "positive", "rsub", "clamp_min", "clamp_max", "polygamma")
INPLACE = ("gcd_", "lcm_", "nextafter_", "float_power_", "ldexp_", "i0_", "mvlgamma_",
           "igamma_", "igammac_", "polygamma_", "heaviside_", "xlogy_", "sinc_", "deg2rad_",
           "rad2deg_", "logit_", "nan_to_num_", "digamma_", "sgn_", "clamp_min_",
           "clamp_max_", "cumsum_", "cumprod_")
# Tensor methods (PyTorch has no isin, rsub or polygamma(n) method of that form)
METHODS = tuple(n for n in FUNCTIONS if n not in ("isin", "rsub", "polygamma")) + INPLACE


def _attach():
    g = globals()
    for name in METHODS:
        setattr(Tensor, name, g[name])
    Tensor.polygamma = _polygamma_method
    Tensor.float_power = _float_power_method


_attach()
# the functions' out= (the methods take none)
for _name in ("fmax", "fmin", "gcd", "lcm", "ldexp", "nextafter", "i0",
              "polygamma", "mvlgamma", "igamma", "igammac", "isin", "isneginf", "isposinf",
              "clamp_min", "clamp_max", "frexp"):
    globals()[_name] = accepting_out(globals()[_name], elementwise=_name != "frexp")


def _add_special():
    """torch.special's names for these (its module is imported before this one)."""
    for name, fn in (("gammainc", igamma), ("gammaincc", igammac), ("i0", i0),
                     ("polygamma", polygamma), ("multigammaln", mvlgamma),
                     ("digamma", digamma), ("psi", digamma), ("gammaln", lgamma)):
        if not hasattr(special, name):
            setattr(special, name, fn)
            special.__all__.append(name)


_add_special()
