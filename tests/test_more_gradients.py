"""Derivatives added for issue 14's remaining ops: linalg.qr, scatter_reduce/index_reduce,
linalg.lstsq/pinv, cummax/cummin and composites that have a node of their own in PyTorch
(kron, addcdiv, rot90, logit, xlog1py, entr, deg2rad, std_mean, ...). Gradients against
float64 finite differences; where those cannot decide (ties), against PyTorch 2.13's
recorded values (tests/data/more_gradients_reference.json); grad_fn names and messages as
PyTorch 2.13 gives them."""
import json
import re
import os
import warnings

import numpy as np
import pytest

import lazytensor as torch

import finite_differences
import more_gradient_cases

DATA = os.path.join(os.path.dirname(__file__), "data")
F64 = torch.float64


def _rand(shape, low, high, seed):
    return np.random.default_rng(seed).uniform(low, high, shape)


def _t(array, requires_grad=True):
    return torch.tensor(array, dtype=F64, requires_grad=requires_grad)


_flat, _numeric = finite_differences.flat, finite_differences.numeric


def _eye(n):
    return torch.eye(n, dtype=F64)


def _index(*rows):
    return torch.tensor(list(rows))


def _with_zeros(x):
    """x with some elements exactly 0 (kept at 0 by the finite differences' own shifts
    only where they are the shifted element)."""
    return x * torch.tensor([[1., 0., 1., 1.], [0., 1., 1., 0.], [1., 1., 0., 1.]], dtype=F64)


SCATTER = _index([0, 1, 0, 3], [2, 2, 2, 1], [0, 0, 1, 1])
# (function of float64 tensors, their shapes, the range their elements are drawn from)
CASES = {
    "qr_tall": (lambda a: torch.linalg.qr(a), [(5, 3)]),
    "qr_square_complete": (lambda a: torch.linalg.qr(a, mode="complete"), [(3, 3)]),
    "qr_wide": (lambda a: torch.linalg.qr(a), [(3, 5)]),
    "qr_wide_complete_batched": (lambda a: torch.linalg.qr(a, mode="complete"), [(2, 2, 4)]),
    "qr_only_R": (lambda a: torch.linalg.qr(a).R, [(4, 3)]),
    "qr_only_Q_wide": (lambda a: torch.linalg.qr(a).Q * 2, [(2, 3)]),
    "lstsq": (lambda a, b: torch.linalg.lstsq(a, b, driver="gelsd")[:2], [(5, 3), (5, 2)]),
    "lstsq_vector": (lambda a, b: torch.linalg.lstsq(a, b).solution, [(4, 2), (4,)]),
    "lstsq_wide": (lambda a, b: torch.linalg.lstsq(a, b).solution, [(2, 4), (2, 3)]),
    "pinv": (lambda a: torch.linalg.pinv(a), [(4, 3)]),
    "pinv_wide_pinverse": (lambda a: torch.linalg.pinv(a) + torch.pinverse(a) * 2, [(2, 4)]),
    "pinv_hermitian": (lambda a: torch.linalg.pinv(a @ a.mT + _eye(3), hermitian=True),
                       [(3, 3)]),
    "cummax_cummin": (lambda x: x.cummax(1).values + torch.cummin(x, 0).values * 2, [(3, 4)]),
    "kron": (lambda a, b: torch.kron(a, b) + torch.kron(a, b[0]).sum(), [(2, 3), (3, 2)]),
    "block_diag_combinations_atleast_2d": (
        lambda a, b: _flat((torch.block_diag(a, b[0], b[1, 0]),
                            torch.combinations(b[0], 2), torch.combinations(b[1], 3, True),
                            torch.atleast_2d(b[0]) * 2)), [(2, 3), (2, 2)]),
    "addcdiv_rot90": (lambda a, b: torch.addcdiv(a, b, a + 1, value=0.5) +
                      torch.rot90(a, 3) + a.rot90(1, (1, 0)), [(3, 3), (3, 3)]),
    "logit": (lambda x: torch.logit(x, 0.3) + torch.special.logit(x) * 2, [(3, 4)]),
    "xlog1py_xlogy": (lambda a, b: torch.special.xlog1py(a, b) + torch.special.xlog1py(a, 2.)
                      + torch.special.xlog1py(2., b) + torch.xlogy(a, 3.), [(3,), (3,)]),
    "digamma_lgamma": (lambda x: torch.digamma(x * 3 - 1.2) + torch.lgamma(x + 0.5).exp(),
                       [(3, 4)]),
    "entr_deg2rad": (lambda x: torch.special.entr(x) + torch.deg2rad(x) * torch.rad2deg(x),
                     [(3,)]),
    "std_mean_var_mean": (lambda x: torch.std_mean(x, 1) + torch.var_mean(x, 0, correction=0)
                          + torch.var_mean(x), [(3, 4)]),
    "cross": (lambda a, b: torch.linalg.cross(a, b) + torch.cross(a, b * 2, dim=1) * 3,
              [(2, 3), (2, 3)]),
    "mode_nanmedian_sgn": (lambda x: x.mode(1).values + x.nanmedian(0).values.sum() +
                           x.nanmedian() + x.sgn().sum(), [(3, 4)]),
    "scatter_reduce_sum_mean": (lambda x, s: x.scatter_reduce(1, SCATTER, s, "sum") +
                                x.scatter_reduce(1, SCATTER, s, "mean", include_self=False) +
                                x.scatter_reduce(1, SCATTER, s, "mean") * 2 +
                                x.scatter_reduce(1, SCATTER, s, "sum", include_self=False),
                                [(3, 4), (3, 4)]),
    "scatter_reduce_prod_with_zeros": (
        lambda x, s: _flat((_with_zeros(x).scatter_reduce(1, SCATTER, _with_zeros(s), "prod"),
                            x.scatter_reduce(1, SCATTER, _with_zeros(s), "prod",
                                             include_self=False))), [(3, 4), (3, 4)]),
    "scatter_reduce_amax_amin": (lambda x, s: x.scatter_reduce(1, SCATTER, s, "amax") +
                                 x.scatter_reduce(1, SCATTER, s, "amin", include_self=False),
                                 [(3, 4), (3, 4)]),
    "scatter_reduce_inplace": (lambda x, s: (x * 1).scatter_reduce_(0, _index([2, 0, 2, 1]),
                                                                     s[:1], "prod"),
                               [(3, 4), (3, 4)]),
    "index_reduce_prod_mean": (lambda x, s: _flat((
        _with_zeros(x).index_reduce(0, _index(2, 0, 2), _with_zeros(s), "prod"),
        x.index_reduce(0, _index(2, 0, 2), s, "prod", include_self=False),
        x.index_reduce(1, _index(3, 3, 0, 1), s, "mean"),
        x.index_reduce(1, _index(3, 3, 0, 1), s, "mean", include_self=False))),
        [(3, 4), (3, 4)]),
    "index_reduce_amax_amin": (lambda x, s: x.index_reduce(0, _index(2, 0, 2), s, "amax") +
                               x.index_reduce(0, _index(2, 0, 2), s, "amin",
                                              include_self=False) +
                               (x * 1).index_reduce_(1, _index(1, 1, 0, 2), s, "amax"),
                               [(3, 4), (3, 4)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_finite_differences(name):
    f, shapes = CASES[name]
    arrays = [_rand(s, 0.05, 0.95, 20 + i) for i, s in enumerate(shapes)]
    xs = [_t(a) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # index_reduce is in beta
        y = _flat(f(*xs))
        w = _rand(tuple(y.shape), -1, 1, 7)
        (y * _t(w, False)).sum().backward()
        numeric = _numeric(f, arrays, w)
    for x, expected in zip(xs, numeric):
        np.testing.assert_allclose(x.grad.tolist(), expected, rtol=1e-5, atol=1e-7,
                                   err_msg=name)


def test_ties_share_the_gradient_as_pytorch_does():
    """amax/amin of scatter_reduce and index_reduce share a position's gradient evenly among
    the values equal to its result (self counted even when include_self leaves it out);
    cummax/cummin give it to the element each value came from."""
    with open(os.path.join(DATA, "more_gradients_reference.json")) as f:
        expected = json.load(f)["cases"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = more_gradient_cases.tie_cases(torch)
    assert sorted(got) == sorted(expected)
    for name in expected:
        for g, e in zip(got[name], expected[name]):
            np.testing.assert_allclose(g, e, rtol=1e-12, err_msg=name)


def test_grad_fn_names_are_pytorchs():
    a = _t(_rand((3, 3), 0.1, 0.9, 1))
    v = _t(_rand((3,), 0.1, 0.9, 2))
    idx = _index([0, 1, 0], [1, 0, 2], [2, 2, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = [
            (torch.linalg.qr(a).Q, "LinalgQrBackward0"),
            (torch.linalg.qr(a, mode="r").R, "LinalgQrBackward0"),
            (a.scatter_reduce(0, idx, a, "prod"), "ScatterReduceBackward0"),
            (a.clone().scatter_reduce_(0, idx, a, "amax"), "ScatterReduceBackward0"),
            (a.index_reduce(0, _index(0, 0, 1), a, "mean"), "IndexReduceBackward0"),
            (torch.linalg.lstsq(a, a).solution, "LinalgLstsqBackward0"),
            (torch.linalg.pinv(a), "LinalgPinvBackward0"),
            (torch.linalg.pinv(a, hermitian=True), "LinalgPinvBackward0"),
            (a.pinverse(), "LinalgPinvBackward0"),
            (a.cummax(0).values, "CummaxBackward0"), (torch.cummin(a, 1)[0], "CumminBackward0"),
            (torch.kron(a, a), "UnsafeViewBackward0"), (torch.diff(a), "SubBackward0"),
            (torch.addcdiv(a, a, a), "AddcdivBackward0"), (a.rot90(), "Rot90Backward0"),
            (torch.logit(a), "LogitBackward0"), (torch.special.logit(a, 0.1), "LogitBackward0"),
            (torch.special.entr(a), "SpecialEntrBackward0"), (a.deg2rad(), "Deg2RadBackward0"),
            (torch.rad2deg(a), "Rad2DegBackward0"),
            (torch.xlogy(a, 2.), "XlogyBackward2"), (torch.xlogy(2., a), "XlogyBackward1"),
            (torch.xlogy(a, v), "XlogyBackward0"),
            (torch.special.xlog1py(a, v), "SpecialXlog1PyBackward0"),
            (torch.special.xlog1py(2., a), "SpecialXlog1PyBackward1"),
            (torch.special.xlog1py(a, 2.), "SpecialXlog1PyBackward2"),
            (torch.std_mean(a)[0], "StdMeanBackward0"), (torch.var_mean(a, 1)[1],
                                                          "VarMeanBackward0"),
            (a.mode().values, "ModeBackward0"), (a.nanmedian(), "NanmedianBackward0"),
            (a.nanmedian(0).values, "NanmedianBackward1"),
            (torch.linalg.cross(a, a), "LinalgCrossBackward0"),
            (torch.block_diag(a, v), "BlockDiagBackward0"),
            (torch.combinations(v), "StackBackward0"),
            (torch.combinations(v[:1], 2), "StackBackward0"),
            (torch.atleast_2d(v), "UnsqueezeBackward0"), (torch.atleast_2d(v[0]), "ViewBackward0"),
            (torch.heaviside(a, v), "torch::autograd::NotImplemented"),
        ]
    for i, (t, name) in enumerate(cases):
        assert t.grad_fn is not None and t.grad_fn.name() == name, (i, name)
    result = torch.linalg.lstsq(a, a, driver="gelsd")
    assert [t.requires_grad for t in result] == [True, True, False, False]
    assert torch.cummax(a, 0).indices.grad_fn is None


def test_qr_refuses_the_derivatives_pytorch_does_not_define():
    a = _t(_rand((4, 3), 0.1, 0.9, 3))
    Q, R = torch.linalg.qr(a, mode="r")
    assert Q.numel() == 0
    with pytest.raises(RuntimeError, match=r"depends on Q, which is not computed when "
                                           r"mode='r'\. Please use linalg\.qr\(A, "
                                           r"mode='reduced'\)"):
        R.sum().backward()
    with pytest.raises(RuntimeError, match="not differentiable when mode='complete' and "
                                           "nrows > ncols"):
        torch.linalg.qr(a, mode="complete").R.sum().backward()
    # square and wide 'complete' are the reduced factorisation: differentiable
    torch.linalg.qr(a.mT, mode="complete").R.sum().backward()
    assert a.grad is not None and a.grad.shape == (4, 3)


def test_scatter_reduce_backward_needs_src_shaped_as_index():
    x = _t(_rand((2, 3), 0.1, 0.9, 4))
    src = _t(_rand((3, 4), 0.1, 0.9, 5))
    y = x.scatter_reduce(0, _index([0, 1, 0], [1, 0, 0]), src, "sum")
    with pytest.raises(RuntimeError, match=r"Function ScatterReduceBackward0 returned an "
                                           r"invalid gradient at index 1 - got \[2, 3\] but "
                                           r"expected shape compatible with \[3, 4\]"):
        y.sum().backward()


def test_scatter_reduce_prod_gradient_is_exact_at_zeros():
    """prod's gradient at a 0 is the product of the others (not result / 0)."""
    x = _t([[2., 0., 3.]])
    src = _t([[0., 5., 4., 0., 7.]])
    x.scatter_reduce(1, _index([0, 0, 1, 2, 2]), src, "prod").sum().backward()
    # position 0: 2 * 0 * 5; position 1: 0 * 4; position 2: 3 * 0 * 7
    assert x.grad.tolist() == [[0., 4., 0.]]
    assert src.grad.tolist() == [[10., 0., 0., 21., 0.]]


def test_ops_pytorch_cannot_differentiate_either_raise_its_errors_at_backward():
    a = _t(_rand((2, 3), 0.1, 0.9, 6))
    cases = [(lambda: a // 2, RuntimeError, "derivative for aten::floor_divide is not "
                                            "implemented"),
             (lambda: a.floor_divide(a), RuntimeError, "aten::floor_divide"),
             (lambda: 2 % a, RuntimeError, "derivative for aten::remainder is not implemented"),
             (lambda: torch.heaviside(a, a), RuntimeError, "derivative for aten::heaviside "
                                                           "is not implemented"),
             (lambda: torch.unique(a), NotImplementedError,
              "the derivative for '_unique2' is not implemented."),
             (lambda: torch.unique(a, dim=0), NotImplementedError,
              "the derivative for 'unique_dim' is not implemented.")]
    for make, error, message in cases:
        y = make()
        assert y.requires_grad
        with pytest.raises(error, match=re.escape(message)):
            y.sum().backward()
        assert a.grad is None


def test_draws_pass_zero_gradients_to_their_parameters_as_pytorch():
    """PyTorch 2.13 records normal's and bernoulli's draws and gives their parameters a
    zero gradient (a float p given to bernoulli: no derivative at all)."""
    x = _t(_rand((3,), 0.1, 0.9, 8))
    cases = [(lambda: torch.normal(x, 1.0), "NormalBackward1"),
             (lambda: torch.normal(1.0, x), "NormalBackward2"),
             (lambda: torch.normal(mean=x, std=x * 2), "NormalBackward3"),
             (lambda: torch.bernoulli(x), "BernoulliBackward0"),
             (lambda: x.bernoulli(), "BernoulliBackward0")]
    for make, name in cases:
        x.grad = None
        y = make()
        assert y.grad_fn.name() == name
        (y * 3).sum().backward()
        assert x.grad.tolist() == [0., 0., 0.], name
    y = x.bernoulli(0.3)
    assert y.grad_fn.name() == "torch::autograd::NotImplemented"
    assert type(y.grad_fn).__name__ == "NotImplemented" and "grad_fn=<NotImplemented>" in repr(y)
    with pytest.raises(RuntimeError, match="derivative for aten::bernoulli is not implemented"):
        y.sum().backward()


def test_in_place_fills_draws_comparisons_and_view_ops_have_pytorchs_gradients():
    """Values PyTorch 2.13 gives: an in-place fill, draw or comparison passes zeros back
    (a tensor fill value gets the sum), an in-place view op the gradient moved back."""
    weights = torch.arange(12, dtype=F64)
    value = _t(0.5)
    other = _t(_rand((1, 3, 4), 0.1, 0.9, 9))
    cases = [(lambda x: x.fill_(0.), "FillBackward2"),
             (lambda x: x.fill_(value), "FillBackward3"),
             (lambda x: x.zero_(), "ZeroBackward0"), (lambda x: x.ge_(0.5), "GeBackward0"),
             (lambda x: x.lt_(other), "LtBackward1"), (lambda x: x.uniform_(), "UniformBackward0"),
             (lambda x: x.normal_(), "NormalBackward0"), (lambda x: x.random_(3), "RandomBackward1"),
             (lambda x: x.exponential_(), "ExponentialBackward0"),
             (lambda x: x.bernoulli_(0.3), "BernoulliBackward2"),
             (lambda x: x.bernoulli_(other), "BernoulliBackward1")]
    for write, name in cases:
        x0 = _t(_rand((1, 3, 4), 0.1, 0.9, 10))
        value.grad = other.grad = None
        y = write(x0 * 2)
        assert y.grad_fn.name() == name
        (y * weights.reshape(y.shape)).sum().backward()
        assert x0.grad.tolist() == np.zeros((1, 3, 4)).tolist(), name
        if name == "FillBackward3":
            assert value.grad.item() == 66.
        if name in ("LtBackward1", "BernoulliBackward1"):
            assert other.grad.tolist() == np.zeros((1, 3, 4)).tolist(), name
    w = np.arange(12.)
    views = [(lambda x: x.squeeze_(0), "SqueezeBackward4", w),
             (lambda x: x.unsqueeze_(1), "UnsqueezeBackward1", w),
             (lambda x: x.transpose_(0, 2), "TransposeBackward1",
              w.reshape(4, 3, 1).transpose(2, 1, 0).reshape(-1)),
             (lambda x: x[0].t_(), "TBackward1", w.reshape(4, 3).T.reshape(-1))]
    for view, name, expected in views:
        x0 = _t(_rand((1, 3, 4), 0.1, 0.9, 11))
        y = view(x0 * 2)
        assert y.grad_fn.name() == name
        (y * weights.reshape(y.shape)).sum().backward()
        np.testing.assert_allclose(np.array(x0.grad.tolist()).reshape(-1), 2 * expected,
                                   err_msg=name)


SECOND = {
    "prod": lambda x: x.prod(),
    "det_inv": lambda x: torch.linalg.det(x + _eye(3)) + torch.linalg.inv(x + _eye(3)).sum(),
    "qr_pinv": lambda x: (torch.linalg.qr(x).R ** 2).sum() + torch.linalg.pinv(x).sum(),
    "einsum": lambda x: torch.einsum("ij,jk->", x, x * x),
    "indexing_take_masked_select": lambda x: (x[torch.tensor([0, 2, 0])] ** 3).sum() +
    (torch.take(x, torch.tensor([1, 4, 4])) ** 3).sum() + (x.masked_select(x > 0.5) ** 3).sum(),
    "lgamma_digamma": lambda x: torch.lgamma(x + 0.5).sum() + torch.digamma(x + 1).sum(),
    "views": lambda x: (x[0:2] ** 3).sum() + (x.diagonal() ** 3).sum() + (x[1] ** 3).sum()
    + sum((t ** 3).sum() * i for i, t in enumerate(x.unbind(1))),
    "unfold_gather_cumprod_cdist": lambda x: (x.unfold(0, 2, 1) ** 3).sum() +
    (x.gather(1, torch.tensor([[0], [2], [1]])) ** 3).sum() + torch.cumprod(x, 1).sum() +
    torch.cdist(x, x * 2).sum(),
}


@pytest.mark.parametrize("name", sorted(SECOND))
def test_second_derivatives_through_derivatives_made_of_other_ops(name):
    """create_graph records what a derivative computes (its products, solves, indexed
    writes), so the gradient of a gradient matches finite differences of the gradient."""
    f = SECOND[name]
    a = _rand((3, 3), 0.1, 0.9, 12)
    w = _rand((3, 3), -1, 1, 13)

    def first(x):
        with torch.enable_grad():
            x = x.detach().requires_grad_(True)
            return torch.autograd.grad(f(x), x)[0]
    x = _t(a)
    g, = torch.autograd.grad(f(x), x, create_graph=True)
    assert g.requires_grad
    (g * _t(w, False)).sum().backward()
    np.testing.assert_allclose(x.grad.tolist(), _numeric(first, [a], w)[0], rtol=1e-5,
                               atol=1e-6, err_msg=name)
