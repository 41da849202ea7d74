"""Complex-tensor cases, each a Python expression over `torch` (lazytensor in the tests,
PyTorch in tests/data/make_complex_reference.py, which records PyTorch's answers in
tests/data/complex_reference.npz). `a`, `b`, `r`, `m`, `n` are defined by SETUP."""

SETUP = """
a = torch.tensor([1 + 2j, 3 - 1j, -0.5 + 0.25j, 0.0 - 2j])
b = torch.tensor([2 - 1j, 0.5 + 0.5j, 1.0 + 0j, -3 + 4j])
r = torch.tensor([1.5, -2.0, 0.25, 4.0])
m = torch.tensor([[1 + 1j, 2 - 1j, 0.5j], [-1 + 0j, 3 + 2j, 1 - 1j]])
n = torch.tensor([[2 + 0j, 1j], [1 - 1j, 0.5 + 0j], [-1j, 2 + 2j]])
"""

# expressions whose repr is compared character for character
PRINTS = [
    "torch.tensor([1+2j, 3-1j])",
    "torch.tensor([1+2j, 3-1j], dtype=torch.cdouble)",
    "torch.tensor([1.5+2j, 3-1e-5j])",
    "torch.tensor([1e10+2j, 3-1j])",
    "torch.tensor(1+2j)",
    "torch.tensor([[1+2j, 3-1j], [0.5j, -2]])",
    "torch.tensor([float('nan')+1j, float('inf')-2j])",
    "torch.tensor([123456.+1j])",
    "torch.tensor([1e-5+1j, 2+3j])",
    "torch.zeros(2, dtype=torch.cfloat)",
    "torch.ones(2, 2, dtype=torch.complex128)",
    "torch.zeros(0, dtype=torch.cfloat)",
    "torch.arange(30).to(torch.cfloat) * (0.5 - 1j)",
    "torch.arange(2000).to(torch.cfloat) * (1 + 1j)",
    "m",
    "a + b",
    "a.abs()",
    "torch.full((2,), 1 + 2j)",
    "torch.randn(3, dtype=torch.cfloat, generator=torch.Generator().manual_seed(0))",
    "torch.randn(20, dtype=torch.cfloat, generator=torch.Generator().manual_seed(0))",
    "torch.randn(3, dtype=torch.cdouble, generator=torch.Generator().manual_seed(0))",
    "torch.rand(3, dtype=torch.cfloat, generator=torch.Generator().manual_seed(1))",
]

# expressions whose value (a tensor, compared with its dtype, or a Python value) is compared
VALUES = [
    "a + b", "a - b", "a * b", "a / b", "a ** 2", "a ** b", "a ** 0.5",
    "a + 1.5", "2 * a", "a / (1 + 1j)", "(1 + 1j) - a", "a * 1j",
    "r + a", "r.double() + a", "r * 1j", "torch.tensor([1, 2, 3]) + 1j",
    "torch.tensor([1, 2, 3]) * torch.tensor(1j, dtype=torch.complex128)",
    "r.double() * torch.tensor(2j)", "r + torch.tensor(2j, dtype=torch.complex128)",
    "a == b", "a != a", "a == (1 + 2j)",
    "-a", "a.exp()", "a.log()", "a.sqrt()", "a.sin()", "a.cos()", "a.tan()", "a.tanh()",
    "a.sinh()", "a.cosh()", "a.sigmoid()", "a.reciprocal()", "a.rsqrt()", "a.square()",
    "a.log1p()", "a.expm1()", "a.log2()", "a.log10()", "a.asin()", "a.acos()", "a.atan()",
    "a.asinh()", "a.acosh()", "a.atanh()", "a.exp2()",
    "a.abs()", "torch.abs(a)", "a.angle()", "torch.angle(r)",
    "torch.angle(torch.tensor([-1.0, 0.0, 2.0, float('nan')]))",
    "torch.angle(torch.tensor([-3, 0, 2]))", "a.sgn()", "a.isnan()",
    "a.real", "a.imag", "a.conj()", "torch.conj(a)", "r.real", "a.conj_physical()",
    "torch.real(a)", "torch.imag(a)",
    "torch.view_as_real(a)", "torch.view_as_real(m)",
    "torch.view_as_complex(torch.tensor([[1.0, 2.0], [3.0, -4.0]]))",
    "torch.view_as_complex(torch.arange(12.0, dtype=torch.float64).reshape(2, 3, 2))",
    "torch.complex(r, r * 2)", "torch.complex(r.double(), -r.double())",
    "torch.polar(r.abs(), r)", "torch.polar(r.abs().double(), r.double())",
    "a.sum()", "a.mean()", "a.prod()", "m.sum(0)", "m.sum(1, keepdim=True)", "m.mean(1)",
    "torch.sum(m)", "m @ n", "n @ m", "torch.matmul(m, n)", "m.mm(n)", "m @ a[:3]",
    "torch.stack([m, 2 * m]) @ n", "m.t()", "m.T.contiguous()", "m[1]", "m[:, 1:]",
    "m.reshape(3, 2)", "torch.cat([a, b])", "a.flip(0)", "a.clone()",
    "r.to(torch.cfloat)", "torch.arange(3).to(torch.complex128)",
    "a.to(torch.complex128)", "a.to(torch.complex128).to(torch.complex64)",
    "a.item() if False else a[0].item()", "a.tolist()", "m.tolist()", "a.numpy()",
    "a.is_complex()", "torch.is_complex(r)", "a.dtype.is_complex", "a.dtype.is_floating_point",
    "torch.promote_types(torch.float64, torch.complex64)",
    "torch.promote_types(torch.int32, torch.complex64)",
    "torch.result_type(r, 1j)", "torch.complex64.itemsize", "a.element_size()",
    "torch.zeros(2, 3, dtype=torch.cfloat)", "torch.ones(2, dtype=torch.cdouble)",
    "torch.zeros_like(a)", "torch.ones_like(m)", "torch.full((2, 2), 2 - 3j)",
    "torch.tensor([[1, 2j], [3.5, 4]])", "torch.tensor([1 + 1j], dtype=torch.complex128)",
    "torch.where(torch.tensor([True, False, True, False]), a, b)",
]

# expressions that raise: PyTorch's exception type and message are compared
ERRORS = [
    "a < b", "a > 0", "a.max()", "a.min()", "torch.max(a)", "a.argmax()", "a.argmin()",
    "a.floor()", "a.ceil()", "a.trunc()", "a.round()", "a.frac()", "a.sign()", "a.relu()",
    "a.erf()", "a.lgamma()", "a % 2", "a // 2", "torch.fmod(a, 2)", "torch.atan2(a, b)",
    "torch.maximum(a, b)", "torch.minimum(a, b)", "a & b", "r.imag",
    "torch.complex(r, r.double())", "torch.complex(torch.tensor([1, 2]), torch.tensor([1, 2]))",
    "torch.view_as_real(r)", "torch.view_as_complex(torch.ones(3))",
    "torch.view_as_complex(torch.ones(2, 3))", "torch.view_as_complex(torch.ones(2, 2).t())",
    "torch.polar(r, r.double())",
    "a.sort()", "torch.topk(a, 1)", "a.clamp(0, 1)", "a.cumsum(0).max()",
]

VALUES += [
    "a.std()", "a.var()", "m.var(1)", "m.std(0, correction=0)", "a.norm()",
    "torch.linalg.vector_norm(m, dim=1)", "a.logsumexp(0)", "m.logsumexp(1)",
    "a.sum(dtype=torch.float32)", "a.cumsum(0)", "a.cumprod(0)", "torch.dot(a, b)",
    "torch.einsum('ij,jk->ik', m, n)", "torch.diag(a)", "a.masked_fill(a.abs() > 2, 1j)",
    "a[[0, 2]]", "a.roll(1)", "a.expand(2, 4)", "a.any()", "a.nonzero()",
    "torch.isclose(a, a + 1e-9)", "a.bool()", "m.trace()", "torch.addmm(n @ m, n, m)",
    "a.add(b, alpha=2)", "a.sub(b, alpha=1j)", "a.addcmul(a, b)",
]
ERRORS += [
    "a.median()", "a.nanmedian()", "a.kthvalue(1)", "a.mode()", "a.unique()",
    "a.nansum()", "a.softmax(0)", "a.amax()", "a.argsort()",
]
VALUES += ["torch.isclose(a, a + 1e-3)", "torch.isclose(a, a, equal_nan=True)"]
ERRORS += ["a.max(0)", "torch.min(a, dim=0)", "a.amin(0)"]
VALUES += ["torch.vdot(a, b)", "m.mH", "m.H", "m.adjoint()", "torch.stack([m, m]).mH",
           "r.reshape(2, 2).mH"]
VALUES += ["a ** 3", "a ** -1", "a ** -2", "a ** -0.5", "a ** 0", "a ** 1", "a ** 2.5",
           "a ** torch.tensor([2.0, 0.0, 2.0, 1.0])", "a ** torch.tensor(2 + 0j)", "1j ** r",
           "torch.tensor([2.0]) ** 1j", "a.pow(torch.tensor([2]))"]
PRINTS += ["torch.tensor([1 + 1j]) ** torch.tensor([2])", "1j ** torch.tensor([2.0])",
           "torch.tensor([1 + 1j, 0j]) ** 2"]
VALUES += ["torch.float32.to_complex()", "torch.float64.to_complex()",
           "torch.bfloat16.to_complex()", "torch.complex128.to_real()", "torch.int32.to_real()",
           "torch.complex64.to_complex()", "torch.finfo(torch.cfloat).eps",
           "torch.finfo(torch.complex128).max", "torch.ones(2, dtype=torch.bfloat16) * 1j"]
ERRORS += ["torch.int64.to_complex()", "a.clone().abs_()"]
# functions composed of real arithmetic here: PyTorch's refusals, or their complex values
VALUES += ["torch.sinc(a)", "a.sinc()", "torch.isreal(a)", "torch.isreal(torch.tensor([1 + 0j, 1j]))",
           "a.clone().sinc_()", "a.clone().sgn_()", "torch.isreal(r)", "torch.sinc(r)"]
ERRORS += ["a.deg2rad()", "torch.rad2deg(a)", "a.isposinf()", "torch.isneginf(a)", "a.heaviside(a)",
           "a.digamma()", "a.erfinv()", "torch.i0(a)", "a.logit()", "a.clone().logit_()",
           "torch.xlogy(a, a)", "torch.hardshrink(a)", "torch.nn.functional.gelu(a)",
           "torch.celu(a)", "torch.selu(a)", "torch.nn.functional.elu(a)",
           "torch.nn.functional.leaky_relu(a)", "torch.nn.functional.mse_loss(a, b)",
           "torch.unique_consecutive(a)", "torch.aminmax(a)", "a.histc()", "a.bincount()",
           "torch.bernoulli(a)", "a.clone().bernoulli_()",
           "a.clone().random_()", "a.nanmean()", "torch.cdist(m[None], m[None])",
           "a.div(2, rounding_mode='trunc')", "a.clone().cauchy_()",
           "torch.view_as_complex(a)", "a.clone().deg2rad_()"]
VALUES += ["a.repeat_interleave(2)"]
VALUES += ["torch.float_power(a, r)", "torch.float_power(r, a)", "torch.ldexp(a, r)",
           "torch.ldexp(r, a)", "a.to(torch.cdouble).float_power_(r)"]
ERRORS += ["torch.gcd(a, a)", "torch.lcm(r, a)", "torch.searchsorted(a, a)", "torch.isin(a, r)",
           "torch.bucketize(r, a)", "torch.fmax(a, r)", "torch.fmin(r, a)", "torch.xlogy(r, a)",
           "r.clone().atan2_(a)", "r.clone().add_(1j)", "r.clone().mul_(a)",
           "a.clone().float_power_(r)", "r.clone().ldexp_(a)", "r.clone().xlogy_(a)"]
PRINTS += [
    "(torch.set_printoptions(sci_mode=True), str(a), torch.set_printoptions(profile='default'))[1]",
    "(torch.set_printoptions(precision=2), str(m * 1.23456), torch.set_printoptions(profile='default'))[1]",
    "(torch.set_printoptions(linewidth=40), str(torch.arange(12.0).to(torch.cdouble) * (1 - 0.5j)), torch.set_printoptions(profile='default'))[1]",
    "(torch.set_printoptions(sci_mode=False), str(torch.tensor([1e-6 + 1e6j])), torch.set_printoptions(profile='default'))[1]",
]
