"""Issue 14's missing pointwise functions (lazytensor/pointwise_more.py): fmax/fmin, gcd/lcm,
float_power, frexp, ldexp, nextafter, i0, polygamma, mvlgamma, igamma/igammac, the
predicates (isin, isneginf, isposinf, isreal), positive, rsub, clamp_min/clamp_max and the
in-place forms. Values, dtypes and error messages against PyTorch 2.13's, recorded by
tests/data/make_pointwise_functions_reference.py in tests/data/pointwise_functions.npz
(the expressions are stored there too and evaluated here with lazytensor); derivatives
against float64 finite differences."""
import math
import os

import numpy as np
import pytest

import lazytensor as torch

import cuda_stand_in
import finite_differences

DATA = np.load(os.path.join(os.path.dirname(__file__), "data", "pointwise_functions.npz"))
# the cases of lazytensor/statistics.py and lazytensor/windows.py (tests/test_statistics.py)
STATISTICS = ("logcumsumexp", "quantile", "nanquantile", "histogram", "cov", "corrcoef",
              "dist", "aminmax", "hann", "hamming", "blackman", "bartlett", "kaiser", "vander",
              "scalar_tensor")
# the largest relative difference from PyTorch's value, by dtype: float32 and float64 may
# differ in the last bits where lazytensor computes in float64 and rounds once (i0,
# polygamma, the incomplete gamma functions) or sums in another order (cov, logcumsumexp)
RTOL = {"float64": 1e-12, "float32": 2e-6, "float16": 1e-3, "bfloat16": 8e-3}
# for a > 20 PyTorch's incomplete gamma functions switch to Temme's asymptotic series,
# within 1e-9 of the exact value lazytensor's series and continued fraction give
# PyTorch's numbers exactly: the draws, and digamma (computed in PyTorch's steps)
EXACT = ("cauchy_", "geometric_", "log_normal_", "digamma", "polygamma0")
LOOSER = {"igamma": 1e-9, "igammac": 1e-9,
          "igamma_": 1e-9, "igammac_": 1e-9, "gammainc": 1e-9, "gammaincc": 1e-9}


def names(kind, statistics):
    found = sorted(k.split(":")[1] for k in DATA.files if k.startswith(kind + ":"))
    return [n for n in found if n.startswith(STATISTICS) == statistics]


def environment():
    env = {"torch": torch, "nan": math.nan, "inf": math.inf}
    for key in DATA.files:
        if key.startswith("input:"):
            env[key.split(":")[1]] = torch.tensor(DATA[key])
    return env


def evaluate(name):
    result = eval(str(DATA[f"expr:{name}"]), environment())
    return list(result) if isinstance(result, tuple) else [result]


def check_value(name):
    parts = evaluate(name)
    count = len([k for k in DATA.files if k.startswith(f"value:{name}:")])
    assert len(parts) == count
    for i, part in enumerate(parts):
        expected = DATA[f"value:{name}:{i}"]
        dtype = str(DATA[f"dtype:{name}:{i}"])
        assert str(part.dtype).split(".")[-1] == dtype, (name, i)
        assert tuple(part.shape) == expected.shape, (name, i)
        got = (part.float() if dtype == "bfloat16" else part).numpy()
        if dtype in RTOL:
            rtol = 0 if name.startswith(EXACT) else max(RTOL[dtype], LOOSER.get(name, 0))
            np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-300,
                                       equal_nan=True, err_msg=f"{name}[{i}]")
        else:
            np.testing.assert_array_equal(got, expected, err_msg=f"{name}[{i}]")


def check_error(name):
    expected = str(DATA[f"message:{name}"])
    with pytest.raises(Exception) as info:
        eval(str(DATA[f"error:{name}"]), environment())
    got = f"{type(info.value).__name__}: {info.value}".splitlines()[0]
    assert got == expected


@pytest.mark.parametrize("name", names("expr", False))
def test_value_dtype_and_shape_are_pytorchs(name):
    check_value(name)


@pytest.mark.parametrize("name", names("error", False))
def test_wrong_calls_raise_pytorchs_errors(name):
    check_error(name)


# -- derivatives against float64 finite differences ---------------------------------------
def _rand(shape, low, high, seed):
    return np.random.default_rng(seed).uniform(low, high, shape)


def gradient_check(f, arrays, rtol=1e-5, atol=1e-7):
    """autograd's gradient of sum(w * f(*xs)) against central differences."""
    xs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    y = finite_differences.flat(f(*xs))
    w = _rand(tuple(y.shape), -1, 1, 7)
    (y * torch.tensor(w, dtype=torch.float64)).sum().backward()
    numeric = finite_differences.numeric(f, arrays, w)
    for x, expected in zip(xs, numeric):
        np.testing.assert_allclose(x.grad.numpy(), expected, rtol=rtol, atol=atol)


def _clone(x):
    return x * 1          # a non-leaf, which an in-place op may write


# name: (function of float64 tensors, the inputs' shapes and range)
GRADIENTS = {
    "fmax": (lambda a, b: torch.fmax(a, b), [(3, 4), (4,)], (-1, 1)),
    "fmin": (lambda a, b: torch.fmin(a, b.where(b > 0, math.nan)), [(3, 4), (3, 4)], (-1, 1)),
    "float_power": (lambda a, b: torch.float_power(a, b) + torch.float_power(a, 2.5) +
                    torch.float_power(1.5, b), [(5,), (5,)], (0.2, 2)),
    "float_power_": (lambda a, b: _clone(a).float_power_(b), [(5,), (5,)], (0.2, 2)),
    "ldexp": (lambda a: torch.ldexp(a, torch.tensor([1, -2, 0, 3])), [(2, 4)], (-1, 1)),
    "ldexp_": (lambda a, b: _clone(a).ldexp_(b) + _clone(a).ldexp_(torch.tensor([1, -2, 0, 3])),
               [(2, 4), (4,)], (-1, 1)),
    "frexp": (lambda a: torch.frexp(a * 7).mantissa, [(6,)], (-1, 1)),
    "i0": (lambda a: torch.i0(a * 12) + torch.i0(a * 4 + 19), [(8,)], (-1, 1)),
    "i0_": (lambda a: _clone(a).i0_(), [(4,)], (-3, 3)),
    "polygamma": (lambda a: torch.polygamma(2, a * 4) + torch.polygamma(3, a - 2.5) +
                  torch.polygamma(1, a) + a.polygamma(0), [(6,)], (0.2, 2)),
    "mvlgamma": (lambda a: torch.mvlgamma(a + 2, 3) + _clone(a + 1).mvlgamma_(2), [(5,)],
                 (0.1, 3)),
    "igamma_other": (lambda x: torch.igamma(torch.tensor([0.5, 1.0, 2.5, 7.0],
                                                         dtype=torch.float64), x) +
                     torch.special.gammaincc(torch.tensor(3.0, dtype=torch.float64), x),
                     [(4,)], (0.2, 6)),
    "clamp_min_max": (lambda a, b: torch.clamp_min(a, 0.2) + torch.clamp_max(a, b) +
                      _clone(a).clamp_min_(b) + _clone(b).clamp_max_(-0.1), [(3, 4), (4,)],
                      (-1, 1)),
    "inplace_composites": (lambda a, b: _clone(a).xlogy_(b) + _clone(a).sinc_() +
                           _clone(b).logit_() + _clone(a).deg2rad_() + _clone(a).rad2deg_() +
                           _clone(b).digamma_() + _clone(a).nan_to_num_() + _clone(a).sgn_(),
                           [(5,), (5,)], (0.05, 0.95)),
    "rsub_positive": (lambda a, b: torch.rsub(a, b, alpha=3) + torch.positive(a) * 2,
                      [(4,), (4,)], (-1, 1)),
    # the in-place forms of the products Tensor lacked (lazytensor/products.py)
    "addmm_addmv_": (lambda c, m, v: torch.cat([
        _clone(c).addmm_(m, m.t(), beta=2, alpha=0.5).reshape(-1),
        _clone(c[0]).addmv_(m, v[:4], alpha=-1)]), [(3, 3), (3, 4), (6,)], (-1, 1)),
    "addbmm_baddbmm_": (lambda c, b: torch.cat([
        _clone(c[0]).addbmm_(b, b.transpose(1, 2), beta=0.5).reshape(-1),
        _clone(c).baddbmm_(b, b.transpose(1, 2), alpha=2).reshape(-1)]),
        [(2, 3, 3), (2, 3, 2)], (-1, 1)),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient_matches_finite_differences(name):
    f, shapes, (low, high) = GRADIENTS[name]
    gradient_check(f, [_rand(s, low, high, 20 + i) for i, s in enumerate(shapes)])


def test_heaviside_has_no_derivative_and_nextafter_passes_it_to_input():
    x = torch.tensor([1.0, -2.0], requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="heaviside"):
        x.heaviside_(torch.tensor([0.5, 0.5])).sum().backward()
    y = torch.tensor([1.0, -2.0], requires_grad=True)
    z = torch.tensor([0.0, 0.0], requires_grad=True)
    (torch.nextafter(y, z) * torch.tensor([2.0, 3.0])).sum().backward()
    assert y.grad.tolist() == [2.0, 3.0] and z.grad is None


def test_igamma_has_no_derivative_in_its_first_argument():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([0.5, 1.0], requires_grad=True)
    for f in (torch.igamma, torch.special.gammaincc):
        with pytest.raises(NotImplementedError,
                           match=f"the derivative for '{f.__name__.replace('special_', '')}"):
            f(a, x).sum().backward()


def test_integer_functions_stay_lazy_and_externs_are_shown():
    a, b = torch.tensor([12, 18]), torch.tensor([8, 12])
    g = torch.gcd(a, b)
    assert "extern gcd" in str(torch.explain(g))
    assert g.tolist() == [4, 6]
    x = torch.tensor([1.0, 3.0])
    fused = torch.fmax(x, x.flip(0)) + torch.i0(x)
    assert "extern" not in str(torch.explain(fused))


def test_products_in_place():
    x = torch.zeros(2, 3)
    assert x.addmm_(torch.ones(2, 4), torch.ones(4, 3), beta=2, alpha=0.5) is x
    assert x.tolist() == [[2.0] * 3] * 2
    assert torch.zeros(3).addmv_(torch.ones(3, 2), torch.ones(2)).tolist() == [2.0] * 3
    assert torch.zeros(2, 2).addbmm_(torch.ones(3, 2, 4), torch.ones(3, 4, 2)).tolist() == \
        [[12.0] * 2] * 2
    b = torch.zeros(3, 2, 2).baddbmm_(torch.ones(3, 2, 4), torch.ones(3, 4, 2), alpha=2)
    assert b.sum().item() == 96.0
    y = torch.zeros(3)
    with pytest.raises(RuntimeError, match=r"^Bad in-place call: input tensor size \[3\] and "
                                           r"output tensor size \[2, 3\] should match$"):
        y.addmm_(torch.ones(2, 4), torch.ones(4, 3))
    with pytest.raises(RuntimeError, match="^self and mat2 must have the same dtype, but got "
                                           "Long and Float$"):
        torch.zeros(2, 3, dtype=torch.int64).addmm_(torch.ones(2, 4), torch.ones(4, 3))
    assert y.tolist() == [0.0] * 3
    w = torch.zeros(2, 3, requires_grad=True) * 1
    assert type(w.addmm_(torch.ones(2, 4), torch.ones(4, 3)).grad_fn).__name__ == \
        "AddmmBackward0"


def test_inplace_forms_write_their_tensor_and_fail_without_writing():
    x = torch.tensor([1.0, 4.0])
    assert x.sinc_() is x and x.tolist() == pytest.approx([0.0, 0.0], abs=1e-7)
    i = torch.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        i.xlogy_(2)
    assert i.tolist() == [1, 2]
    c = torch.tensor([1, 5, 2], dtype=torch.int32)
    assert c.cumsum_(0) is c and c.tolist() == [1, 6, 8] and c.dtype == torch.int32


def test_out_arguments_write_the_given_tensors():
    f = torch.tensor([1.0, 2.0])
    out = torch.empty(2)
    assert torch.fmax(f, torch.tensor([1.5, 1.5]), out=out) is out
    assert out.tolist() == [1.5, 2.0]
    ints = torch.empty(2, dtype=torch.int64)
    assert torch.gcd(torch.tensor([12, 18]), torch.tensor([8, 12]), out=ints).tolist() == [4, 6]
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired "
                                           "output type Long$"):
        torch.i0(f, out=ints)
    assert ints.tolist() == [4, 6]
    m, e = torch.empty(2), torch.empty(2, dtype=torch.int32)
    result = torch.frexp(torch.tensor([3.0, -0.25]), out=(m, e))
    assert result.mantissa is m and m.tolist() == [0.75, -0.5] and e.tolist() == [2, -1]
    lo, hi = torch.empty(()), torch.empty(())
    assert torch.aminmax(torch.tensor([3.0, -1.0, 2.0]), out=(lo, hi)) == (lo, hi)
    assert (lo.item(), hi.item()) == (-1.0, 3.0)
    flags = torch.empty(3, dtype=torch.bool)
    torch.isin(torch.tensor([1, 2, 3]), torch.tensor([2]), out=flags)
    assert flags.tolist() == [False, True, False]
    with pytest.raises(TypeError):
        f.fmax(f, out=out)                  # the methods take no out=, as in PyTorch
    with pytest.raises(RuntimeError, match="^the output given to float_power has dtype Float "
                                           "but the operation's result requires dtype Double$"):
        torch.float_power(f, 2, out=out)
    doubles = torch.empty(2, dtype=torch.float64)
    assert torch.float_power(f, 2, out=doubles) is doubles and doubles.tolist() == [1.0, 4.0]


def test_grad_fn_names_are_pytorchs():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([0.5, 3.0], requires_grad=True)
    e = torch.tensor([1, 2])
    names = {
        "FmaxBackward0": torch.fmax(a, b), "FminBackward0": torch.fmin(a, b),
        "I0Backward0": torch.i0(a), "PolygammaBackward0": torch.polygamma(2, a),
        "MvlgammaBackward0": torch.mvlgamma(a + 1, 2), "LdexpBackward0": torch.ldexp(a, e),
        "RsubBackward0": torch.rsub(a, b), "RsubBackward1": torch.rsub(a, 2),
        "LogcumsumexpBackward0": torch.logcumsumexp(a, 0), "DistBackward0": torch.dist(a, b),
        "AminmaxBackward0": torch.aminmax(a).max, "FrexpBackward0": torch.frexp(a).mantissa,
        "IgammaBackward0": torch.igamma(a, b), "IgammacBackward0": torch.special.gammaincc(a, b),
        "NextafterBackward0": torch.nextafter(a, b),
        "torch::autograd::NotImplemented": torch.histogram(a, 2).hist,
    }
    names_inplace = {"I0Backward0": (a * 1).i0_(), "PolygammaBackward1": (a * 1).polygamma_(1),
                     "MvlgammaBackward0": (a * 1 + 1).mvlgamma_(1),
                     "PolygammaBackward0 ": a.polygamma(1),
                     "PowBackward0": (a.double() * 1).float_power_(2),
                     "PowBackward1": (a.double() * 1).float_power_(b),
                     "LdexpBackward0": (a * 1).ldexp_(e)}
    for name, t in list(names.items()) + list(names_inplace.items()):
        assert t.grad_fn.name() == name.strip()


def test_named_derivatives_match_finite_differences_at_ties_and_nan():
    # fmax's gradient goes to input on ties and where other is NaN, as PyTorch's
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([1.0, math.nan, 4.0], requires_grad=True)
    torch.fmax(a, b).sum().backward()
    assert a.grad.tolist() == [1.0, 1.0, 0.0] and b.grad.tolist() == [0.0, 0.0, 1.0]
    # the second derivative of i0 (through i1)
    x = torch.tensor([0.5, 3.0, 25.0], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.i0(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    # i0'' = i0 - i1 / x
    expected = torch.i0(x.detach()) - g.detach() / x.detach()
    np.testing.assert_allclose(h.numpy(), expected.numpy(), rtol=1e-9)


def test_draws_pass_no_gradient_and_refuse_leaves_as_pytorch():
    x = torch.ones(2, requires_grad=True)
    for draw, name in (("cauchy_", "CauchyBackward0"), ("geometric_", "GeometricBackward0"),
                       ("log_normal_", "LogNormalBackward0")):
        args = (0.5,) if draw == "geometric_" else ()
        y = getattr(x * 1, draw)(*args)
        assert y.grad_fn.name() == name
        y.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]
        x.grad = None
        with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being "
                                               "used in an in-place operation.$"):
            getattr(x, draw)(*args)


@pytest.fixture(scope="module")
def cuda(tmp_path_factory):
    yield from cuda_stand_in.cuda_device(tmp_path_factory)


def test_on_cuda_as_on_the_cpu(cuda):
    """The composed functions run as generated CUDA kernels, the externs (gcd, nextafter,
    igamma) through the host; a GPU, or without one the CPU stand-in."""
    x = torch.tensor([[1.0, -2.0, 3.5], [0.25, 4.0, -1.0]])
    y = torch.tensor([[2.0, math.nan, 1.0], [0.5, 3.0, -2.0]])
    xc, yc = x.to(cuda), y.to(cuda)
    for f in (torch.fmax, lambda a, b: torch.i0(a), lambda a, b: torch.logcumsumexp(a, 1),
              lambda a, b: torch.quantile(a, 0.3, dim=1), lambda a, b: torch.cov(a),
              torch.nextafter, lambda a, b: torch.igamma(a.abs(), b.abs()), torch.isin):
        got, want = f(xc, yc), f(x, y)
        assert got.device.type == "cuda"
        np.testing.assert_allclose(got.cpu().numpy(), want.numpy(), rtol=1e-6, equal_nan=True)
    g = torch.gcd(torch.tensor([12, 18]).to(cuda), torch.tensor([8, 12]).to(cuda))
    assert g.device.type == "cuda" and g.tolist() == [4, 6]
    w = torch.hann_window(5, device=cuda)
    assert w.device.type == "cuda"
    np.testing.assert_allclose(w.cpu().numpy(), torch.hann_window(5).numpy())
