"""Issue 14's missing statistics and creation functions (lazytensor/statistics.py,
lazytensor/windows.py): logcumsumexp, quantile/nanquantile, histogram, cov, corrcoef, dist,
aminmax, the window functions, vander and scalar_tensor. Values, dtypes and errors against
PyTorch 2.13's (tests/data/pointwise_functions.npz, shared with test_pointwise_more.py);
derivatives against float64 finite differences."""
import math

import pytest

import lazytensor as torch

from test_pointwise_more import _rand, check_error, check_value, gradient_check, names


@pytest.mark.parametrize("name", names("expr", True))
def test_value_dtype_and_shape_are_pytorchs(name):
    check_value(name)


@pytest.mark.parametrize("name", names("error", True))
def test_wrong_calls_raise_pytorchs_errors(name):
    check_error(name)


def _long_row(a):
    """A row past the pairwise length, so the blocked prefix is what is differentiated."""
    return torch.cat([a, a * 2 - 1, a.flip(0) * 3]).reshape(1, -1).repeat(1, 10)


# name: (function of float64 tensors, the inputs' shapes and range)
GRADIENTS = {
    "logcumsumexp": (lambda a: torch.logcumsumexp(a, 1) + a.logcumsumexp(0), [(3, 5)], (-2, 2)),
    "logcumsumexp_blocked": (lambda a: torch.logcumsumexp(_long_row(a) * 4, 1), [(4,)],
                             (-1, 1)),
    "quantile": (lambda a: torch.quantile(a, torch.tensor([0.2, 0.5, 0.9],
                                                          dtype=torch.float64), dim=1),
                 [(3, 6)], (-1, 1)),
    "quantile_modes": (lambda a: torch.cat([torch.quantile(a, 0.3, interpolation=m).reshape(1)
                                            for m in ("lower", "higher", "midpoint",
                                                      "nearest")]), [(7,)], (-1, 1)),
    "nanquantile": (lambda a: torch.nanquantile(a.where(a > -0.6, math.nan), 0.4, dim=0),
                    [(5, 3)], (-1, 1)),
    "cov": (lambda a: torch.cov(a), [(3, 6)], (-1, 1)),
    "cov_weights": (lambda a, w: torch.cov(a, fweights=torch.tensor([1, 2, 1, 3, 1]),
                                          aweights=w), [(2, 5), (5,)], (0.2, 1)),
    "corrcoef": (lambda a: torch.corrcoef(a), [(3, 6)], (-1, 1)),
    "dist": (lambda a, b: torch.stack([torch.dist(a, b), torch.dist(a, b, 1),
                                       torch.dist(a, b, 3.5), torch.dist(a, b, math.inf)]),
             [(3, 4), (4,)], (-1, 1)),
    "aminmax": (lambda a: torch.aminmax(a, dim=1) + torch.aminmax(a), [(3, 5)], (-1, 1)),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradient_matches_finite_differences(name):
    f, shapes, (low, high) = GRADIENTS[name]
    gradient_check(f, [_rand(s, low, high, 30 + i) for i, s in enumerate(shapes)])


def test_grad_fn_names_are_pytorchs():
    a = torch.tensor([[1.0, 2.0, 4.0], [3.0, 0.5, 2.0]], requires_grad=True)
    assert torch.quantile(a, 0.5).grad_fn.name() == "SqueezeBackward4"
    assert torch.nanquantile(a, torch.tensor([0.2, 0.5]), dim=1).grad_fn.name() == \
        "SqueezeBackward4"
    assert torch.cov(a).grad_fn.name() == "SqueezeBackward0"
    assert torch.corrcoef(a).grad_fn.name() == "ClampBackward1"
    assert torch.aminmax(a, dim=1).min.grad_fn.name() == "AminmaxBackward0"
    assert torch.logcumsumexp(a, 1).grad_fn.name() == "LogcumsumexpBackward0"


def test_histogram_has_no_derivative_as_in_pytorch():
    w = torch.tensor([0.5, 1.0], requires_grad=True)
    hist = torch.histogram(torch.tensor([0.1, 0.5]), 2, weight=w).hist
    assert hist.requires_grad
    with pytest.raises(RuntimeError, match="derivative for aten::histogram is not implemented"):
        hist.sum().backward()


def test_logcumsumexp_keeps_small_prefixes_beside_huge_values():
    x = torch.tensor([-1000.0, 0.0, 1000.0, -1000.0] + [0.0] * 100)
    y = torch.logcumsumexp(x, 0)
    assert y[:4].tolist() == [-1000.0, 0.0, 1000.0, 1000.0]
    assert y[-1].item() == 1000.0
    assert torch.logcumsumexp(torch.tensor([-math.inf, -math.inf, 1.0]), 0).tolist() == \
        [-math.inf, -math.inf, 1.0]


def test_statistics_stay_lazy():
    x = torch.tensor([[1.0, 5.0, 2.0], [3.0, 0.5, 4.0]])
    for y in (torch.quantile(x, 0.5, dim=1), torch.cov(x), torch.logcumsumexp(x, 1),
              torch.dist(x[0], x[1]), torch.hann_window(8)):
        assert "extern" not in str(torch.explain(y))


def test_window_requires_grad_and_vander_of_an_empty_vector():
    w = torch.kaiser_window(5, requires_grad=True)
    assert w.requires_grad and w.is_leaf
    assert torch.vander(torch.tensor([], dtype=torch.int64)).shape == (0, 0)


def test_cov_warns_at_the_callers_line_when_no_degrees_of_freedom_are_left():
    with pytest.warns(UserWarning, match=r"^cov\(\): degrees of freedom is <= 0\. Correction "
                                         r"should be strictly less than the number of "
                                         r"observations\.$") as caught:
        c = torch.cov(torch.tensor([[1.0, 2.0, 4.0]]), correction=3)
    assert caught[0].filename == __file__
    assert c.item() == math.inf
