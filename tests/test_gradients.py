"""Gradients (issue 14): backward() and autograd.grad against finite differences (float64,
generated from the op registry for the elementwise primitives), against PyTorch's
documented values and recorded runs (tests/data/autograd_reference.json), and PyTorch's
rules and messages for in-place changes, second backward passes and bad calls."""
import json
import math
import os
import sys

import numpy as np
import pytest

import lazytensor as torch
from lazytensor import mutation
from lazytensor.codegen import primitives

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
import training_loops  # noqa: E402
import finite_differences  # noqa: E402

H = finite_differences.H
DATA = os.path.join(os.path.dirname(__file__), "data")


def _rand(shape, low, high, seed):
    return np.random.default_rng(seed).uniform(low, high, shape)


def _t(array, requires_grad=True):
    return torch.tensor(array, dtype=torch.float64, requires_grad=requires_grad)


# -- elementwise primitives, from the registry ----------------------------------------------------
# where the default domain, (0.2, 0.9) for the first operand and (1.1, 1.9) for the second,
# is outside the function's (or on a step of it)
DOMAIN = {"acosh": (1.2, 2.0)}
DIFFERENTIABLE = [p for p in primitives.PRIMITIVES
                  if p.derivative is not None and p.public and p.result in ("same", "float")
                  and p.name not in ("where", "floordiv")]


def _call(p, *xs):
    return getattr(torch, p.public)(*xs)


@pytest.mark.parametrize("p", DIFFERENTIABLE, ids=lambda p: p.name)
def test_primitive_gradient_matches_finite_differences(p):
    """d/dx of sum(w * f(x, y)) for each operand, y broadcast along x's first dim."""
    low, high = DOMAIN.get(p.name, (0.2, 0.9))
    arrays = [_rand((3, 4), low, high, 1)] + [_rand((4,), 1.1, 1.9, 2)][:p.arity - 1]
    w = _rand((3, 4), -1, 1, 3)
    xs = [_t(a) for a in arrays]
    (_call(p, *xs) * _t(w, False)).sum().backward()
    for i, x in enumerate(xs):
        def f(shift):
            moved = [_t(a + (shift if j == i else 0), False) for j, a in enumerate(arrays)]
            return np.array(_call(p, *moved).tolist())
        numeric = w * (f(H) - f(-H)) / (2 * H)
        numeric = numeric.reshape((-1,) + arrays[i].shape).sum(0) if i else numeric
        np.testing.assert_allclose(x.grad.tolist(), numeric, rtol=1e-5, atol=1e-7,
                                   err_msg=f"{p.name}, operand {i}")


def test_every_spelling_of_an_op_has_the_same_gradient():
    """Functions, methods, operators and Python-number operands on either side."""
    a = _rand((3,), 0.5, 1.5, 4)
    cases = [(lambda x: x + 2.5, 1.0), (lambda x: 2.5 + x, 1.0), (lambda x: x - 2.5, 1.0),
             (lambda x: 2.5 - x, -1.0), (lambda x: x * 2.5, 2.5), (lambda x: 2.5 * x, 2.5),
             (lambda x: x / 2.5, 0.4), (lambda x: 2.5 / x, -2.5 / a ** 2),
             (lambda x: x ** 3, 3 * a ** 2), (lambda x: 2.5 ** x, 2.5 ** a * math.log(2.5)),
             (lambda x: torch.pow(x, 2), 2 * a), (lambda x: x.pow(2), 2 * a),
             (lambda x: torch.sin(x), np.cos(a)), (lambda x: x.sin(), np.cos(a)),
             (lambda x: -x, -1.0), (lambda x: abs(x - 1), np.sign(a - 1)),
             (lambda x: torch.add(x, x, alpha=3), 4.0), (lambda x: x.sub(x * 2, alpha=0.5), 0.0),
             (lambda x: x.square(), 2 * a), (lambda x: x.relu(), 1.0)]
    for i, (f, expected) in enumerate(cases):
        x = _t(a)
        f(x).sum().backward()
        np.testing.assert_allclose(x.grad.tolist(), np.broadcast_to(expected, a.shape),
                                   rtol=1e-12, err_msg=f"case {i}")


# -- the other ops: full finite differences ---------------------------------------------------------
_numeric = finite_differences.numeric


X23 = [(2, 3)]
OPS = {
    "sum": (lambda x: x.sum(), X23), "sum_dim": (lambda x: x.sum(1), X23),
    "sum_dims_keepdim": (lambda x: torch.sum(x, (0, 1), keepdim=True), X23),
    "mean": (lambda x: x.mean(0), X23), "mean_all": (lambda x: torch.mean(x), X23),
    "amax": (lambda x: x.amax(1), X23), "max_dim": (lambda x: x.max(1).values, X23),
    "min_dim_keepdim": (lambda x: x.min(0, keepdim=True)[0], X23),
    "max_all": (lambda x: x.max(), X23), "maximum": (lambda x, y: torch.maximum(x, y), X23 * 2),
    "softmax": (lambda x: x.softmax(1), X23), "log_softmax": (lambda x: x.log_softmax(0), X23),
    "logsumexp": (lambda x: x.logsumexp(1), X23), "cumsum": (lambda x: x.cumsum(1), X23),
    "prod": (lambda x: x.prod(), X23), "prod_dim": (lambda x: x.prod(1), X23),
    "cumprod": (lambda x: x.cumprod(1) + x.cumprod(0) * 2, X23),
    "var": (lambda x: x.var(1), X23), "std": (lambda x: x.std(), X23),
    "matmul_2d": (lambda a, b: a @ b, [(2, 3), (3, 2)]),
    "matmul_1d": (lambda a, b: a @ b, [(3,), (3,)]),
    "matmul_mv": (lambda a, b: a.matmul(b), [(2, 3), (3,)]),
    "matmul_vm": (lambda a, b: torch.matmul(a, b), [(2,), (2, 3)]),
    "matmul_batched": (lambda a, b: a @ b, [(2, 2, 3), (3, 2)]),
    "mm": (lambda a, b: torch.mm(a, b), [(2, 3), (3, 2)]),
    "reshape": (lambda x: x.reshape(3, 2) * torch.arange(6.).reshape(3, 2), X23),
    "view_flatten": (lambda x: x.view(6).flatten() * torch.arange(6.), X23),
    "permute": (lambda x: x.permute(1, 0) * torch.arange(6.).reshape(3, 2), X23),
    "transpose_t": (lambda x: x.transpose(0, 1).t(), X23), "T": (lambda x: x.T.exp(), X23),
    "unsqueeze_squeeze": (lambda x: x.unsqueeze(1).squeeze(), X23),
    "expand": (lambda x: x[:, :1].expand(2, 4), X23),
    "narrow_select": (lambda x: x.narrow(1, 1, 2).select(0, 1), X23),
    "getitem_steps": (lambda x: x[:, ::2] * 3, X23),
    "getitem_int": (lambda x: x[1] ** 2, X23),
    "getitem_advanced": (lambda x: x[torch.tensor([1, 1, 0])], X23),
    "getitem_mask": (lambda x: x[x > 0.5], X23),
    "diagonal": (lambda x: x.diagonal(), X23), "flip": (lambda x: x.flip(1) * 2, X23),
    "unbind": (lambda x: x.unbind(1)[2] * x.unbind(1)[0], X23),
    "split_chunk": (lambda x: x.split(1, 1)[1] + x.chunk(2, 0)[1] * 2, X23),
    "cat": (lambda a, b: torch.cat([a, b * 2], 1), [(2, 3), (2, 2)]),
    "stack": (lambda a, b: torch.stack([a, b]), X23 * 2),
    "clamp": (lambda x: x.clamp(0.3, 0.7), X23), "clamp_min": (lambda x: x.clamp(min=0.5), X23),
    "where": (lambda x, y: torch.where(x > y, x, y * 2), X23 * 2),
    "where_same_tensor": (lambda x: torch.where(x > 0.5, x, x) * 3 + x.where(x < 0.3, x), X23),
    "masked_fill": (lambda x: x.masked_fill(x > 0.5, 2.0), X23),
    "lerp": (lambda a, b: torch.lerp(a, b, 0.3), X23 * 2),
    "clone_contiguous": (lambda x: x.t().contiguous().clone(), X23),
    "sigmoid_tanh_chain": (lambda x: (x.sin() * x.tanh() + (x * .5).exp()).sigmoid(), X23),
    "outer": (lambda a, b: torch.outer(a, b), [(3,), (2,)]),
    "bmm": (lambda a, b: torch.bmm(a, b), [(2, 2, 3), (2, 3, 2)]),
    "tril_triu": (lambda x: x.tril() + torch.triu(x, 1) * 3, X23),
    "roll": (lambda x: x.roll(1, 1) * torch.arange(6.).reshape(2, 3), X23),
    "roll_flat": (lambda x: torch.roll(x, 2) * torch.arange(6.).reshape(2, 3), X23),
    "repeat_tile": (lambda x: x.repeat(2, 1, 2) + x.tile(2), X23),
    "diag": (lambda x: torch.diag(x) * 2 + torch.diag(x[0], 1).sum(), X23),
    "trace": (lambda x: x.trace(), [(3, 3)]),
    "take": (lambda x: torch.take(x, torch.tensor([0, 5, 5, -1])), X23),
    "masked_select": (lambda x: x.masked_select(x > 0.4), X23),
    "hstack_vstack": (lambda a, b: torch.hstack([a, b]).sum(0) + torch.vstack([a[0], b[1]]).sum(),
                      [(2, 3), (2, 3)]),
    "addcmul": (lambda a, b: torch.addcmul(a, b, a, value=3), X23 * 2),
    "xlogy_logaddexp": (lambda a, b: torch.xlogy(a, b) + torch.logaddexp(a, b * 3), X23 * 2),
    "sinc": (lambda x: torch.sinc(x * 2), X23),
    "nan_to_num": (lambda x: torch.nan_to_num(x.log()), X23),
    "softplus_leaky_relu": (lambda x: torch.nn.functional.softplus(x, 2.0) +
                            torch.nn.functional.leaky_relu(x - 0.5, 0.1), X23),
    "sort_topk": (lambda x: x.sort(1).values * torch.arange(3.) + x.topk(2, 0).values.sum(),
                  X23),
    "kthvalue_median": (lambda x: x.kthvalue(2, 1).values + x.median(0).values.sum() +
                        x.median(), X23),
    "vector_norm": (lambda x: torch.linalg.vector_norm(x, dim=1) + x.norm(1) +
                    torch.linalg.vector_norm(x, 3) + torch.linalg.vector_norm(x, float("inf")),
                    X23),
    "inv_det": (lambda a: torch.linalg.inv(a + torch.eye(3, dtype=torch.float64)) +
                torch.linalg.det(a + 2 * torch.eye(3, dtype=torch.float64)), [(3, 3)]),
    "solve": (lambda a, b: torch.linalg.solve(a + torch.eye(3, dtype=torch.float64), b),
              [(3, 3), (3, 2)]),
    "solve_vector": (lambda a, b: torch.linalg.solve(a + torch.eye(3, dtype=torch.float64), b),
                     [(3, 3), (3,)]),
    "einsum": (lambda a, b: torch.einsum("ij,kj->ik", a, b) + torch.einsum("ij->", a),
               [(2, 3), (4, 3)]),
    "einsum_only_one": (lambda a, b: torch.einsum("ij,k->ik", a, b), [(2, 3), (2,)]),
    # composites with no derivative of their own: their steps record
    "kron_diff": (lambda a, b: torch.kron(a, b).sum(0) + torch.diff(a, dim=1).sum(),
                  [(2, 2), (2, 3)]),
    "flips_rot90": (lambda x: torch.fliplr(x) * torch.rot90(x, 2) + torch.flipud(x), X23),
    "nansum_logaddexp2": (lambda a, b: torch.nansum(a) + torch.logaddexp2(a, b), X23 * 2),
    "deg2rad_logit": (lambda x: torch.deg2rad(x) * torch.logit(x), X23),
    "diag_embed_repeat_interleave": (lambda x: torch.diag_embed(x).sum(2) * 3 +
                                     x.repeat_interleave(2, 1)[:, 1::2], X23),
    "index_select_gather": (lambda x: torch.index_select(x, 1, torch.tensor([2, 0, 2])) +
                            torch.gather(x, 1, torch.tensor([[1, 1, 0], [2, 0, 0]])), X23),
    "broadcast_to_addcdiv": (lambda a, b: torch.broadcast_to(a[0], (2, 3)) +
                             torch.addcdiv(a, b, a + 1, value=0.5), X23 * 2),
    "std_mean": (lambda x: torch.std_mean(x, 1)[0] * torch.var_mean(x, 1)[1], X23),
    "conv2d": (lambda x, w: torch.nn.functional.conv2d(x, w, padding=1),
               [(1, 2, 4, 4), (3, 2, 3, 3)]),
    "conv2d_stride_groups": (lambda x, w: torch.nn.functional.conv2d(x, w, stride=2, groups=2),
                             [(1, 2, 5, 5), (2, 1, 2, 2)]),
    "scatter_scatter_add": (lambda x, s: x.scatter(1, torch.tensor([[2, 0], [1, 0]]), s[:, :2])
                            + torch.scatter_add(x, 0, torch.tensor([[1, 0, 1]]), s[:1]) * 2
                            + x.scatter(0, torch.tensor([[0, 1, 0]]), 0.5), X23 * 2),
    "index_fill": (lambda x, v: x.index_fill(1, torch.tensor([0, 2, 0]), 3.0) * 2 +
                   x.index_fill(0, torch.tensor([1]), v[0, 0]), X23 * 2),
    "unfold": (lambda x: x.unfold(1, 2, 1) * torch.arange(4.).reshape(2, 2) +
               x.unfold(0, 1, 1).sum(), X23),
    "conv1d_transpose2d": (lambda x, w: torch.nn.functional.conv1d(x[0, :, 0], w[:, :, 0], padding=1)
                           .sum() + torch.nn.functional.conv_transpose2d(
                               x, w, stride=2, padding=1, output_padding=1).sum(1),
                           [(1, 2, 3, 3), (2, 2, 2, 2)]),
    "adaptive_pad_groupnorm": (lambda x: torch.nn.functional.adaptive_avg_pool2d(x, (2, 3))
                               .sum() + torch.nn.functional.pad(x, (1, 2, 2, 0), "reflect")
                               .sum(3) + torch.nn.functional.group_norm(x, 2).sum(),
                               [(1, 4, 3, 4)]),
    # decompositions: functions of the factors that do not depend on their signs
    "svd_svdvals": (lambda a: (lambda r: (r.U ** 2).sum(0) * 3 + r.S + (r.Vh ** 2).sum(0)
                               + torch.linalg.svdvals(a.T) * 2)(
                                   torch.linalg.svd(a, full_matrices=False)), [(4, 3)]),
    "svd_full_wide": (lambda a: (lambda r: r.S * 2 + (r.U ** 2).sum(0) + (r.Vh[:2] ** 2)
                                 .sum(0)[:3])(torch.linalg.svd(a.T)), [(4, 3)]),
    "eigh_eigvalsh": (lambda a: (lambda r: r.eigenvalues + (r.eigenvectors ** 2).sum(1) +
                                 torch.linalg.eigvalsh(a @ a.T, UPLO="U") * 2)(
                                     torch.linalg.eigh(a + a.T)), [(3, 3)]),
    "index_put": (lambda x, v: x.index_put((torch.tensor([0, 1]), torch.tensor([2, 0])),
                                           v[0, :2]) * 2 +
                  x.index_put((torch.tensor([1, 1]),), v[1], accumulate=True), X23 * 2),
    "addmm_family": (lambda a, m, v: torch.addmm(a[:, :2], m, v[:, :2], beta=0.5, alpha=2) +
                     torch.addmv(a[:, 0], m, v[:, 1], alpha=3).unsqueeze(1) +
                     torch.baddbmm(a[:, :2].unsqueeze(0), m.unsqueeze(0), v[:, :2].unsqueeze(0))
                     [0] + torch.addbmm(a[:, :2], m.expand(2, 2, 3), v[:, :2].expand(2, 3, 2),
                                        beta=2), [(2, 3), (2, 3), (3, 3)]),
    "tensordot_cdist": (lambda a, b: torch.tensordot(a, b, dims=([1], [1])) +
                        torch.cdist(a, b) + torch.cdist(a, b, p=3.0) + torch.cdist(a, b, p=1),
                        X23 * 2),
    "index_add_copy": (lambda x, s: x.index_add(1, torch.tensor([2, 0, 2]), s, alpha=2) +
                       x.index_copy(0, torch.tensor([1]), s[:1]) * 3, X23 * 2),
    "slogdet_cholesky": (lambda a: (lambda spd: torch.linalg.slogdet(a + 2 * torch.eye(
        3, dtype=torch.float64)).logabsdet + torch.linalg.cholesky(spd) +
        torch.linalg.cholesky(spd, upper=True) * 2)(a @ a.T + torch.eye(3, dtype=torch.float64)),
        [(3, 3)]),
    "attention": (lambda q, k: torch.nn.functional.scaled_dot_product_attention(
        q, k, k * 2, is_causal=True), [(2, 3, 4), (2, 3, 4)]),
    "pools": (lambda x: torch.nn.functional.max_pool2d(x, 2).sum() +
              torch.nn.functional.avg_pool2d(x, 2, stride=1, padding=1), [(1, 1, 4, 4)]),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_gradient_matches_finite_differences(name):
    f, shapes = OPS[name]
    arrays = [_rand(s, 0.05, 0.95, 10 + i) for i, s in enumerate(shapes)]
    xs = [_t(a) for a in arrays]
    y = f(*xs)
    w = _rand(tuple(y.shape), -1, 1, 7)
    (y * _t(w, False)).sum().backward()
    for x, numeric in zip(xs, _numeric(f, arrays, w)):
        np.testing.assert_allclose(x.grad.tolist(), numeric, rtol=1e-5, atol=1e-7,
                                   err_msg=name)


# -- values PyTorch documents or printed ----------------------------------------------------------
def test_the_gentle_introduction_example():
    """PyTorch's "A Gentle Introduction to torch.autograd": Q = 3a^3 - b^2,
    a.grad == 9a^2, b.grad == -2b."""
    a = torch.tensor([2., 3.], requires_grad=True)
    b = torch.tensor([6., 4.], requires_grad=True)
    Q = 3 * a ** 3 - b ** 2
    Q.backward(gradient=torch.tensor([1., 1.]))
    assert a.grad.tolist() == [36., 81.]
    assert b.grad.tolist() == [-12., -8.]
    assert (9 * a ** 2 == a.grad).tolist() == [True, True]


def _reference():
    with open(os.path.join(DATA, "autograd_reference.json")) as f:
        return json.load(f)


def test_the_tutorials_cubic_fit_with_autograd_prints_pytorchs_values():
    """"PyTorch: Tensors and autograd", 300 steps: the losses it prints and the coefficients
    (PyTorch 2.13's, float32 noise aside)."""
    got = training_loops.cubic_autograd(torch, steps=300)
    np.testing.assert_allclose(got, _reference()["cubic_fit"], rtol=1e-4)


def test_a_two_layer_net_trained_with_autograd_matches_pytorch():
    got = training_loops.two_layer_autograd(torch)
    np.testing.assert_allclose(got, _reference()["two_layer_net"], rtol=1e-4)


# -- the engine's rules -------------------------------------------------------------------------------
def test_gradients_accumulate_until_reset():
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 3).sum().backward()
    held = x.grad
    (x * x).sum().backward()
    assert x.grad.tolist() == [5., 7.]
    assert held.tolist() == [5., 7.]        # accumulated in place, as PyTorch does
    x.grad.zero_()
    x.sum().backward()
    assert x.grad.tolist() == [1., 1.]
    x.grad = None
    x.sum().backward()
    assert x.grad.tolist() == [1., 1.]


def test_a_cast_gives_the_gradient_in_the_inputs_dtype():
    x = torch.tensor([1., 2.], requires_grad=True)
    (x.double() * 3).sum().backward()
    assert x.grad.dtype == torch.float32 and x.grad.tolist() == [3., 3.]


def test_same_tensor_twice_and_broadcast_operands():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    b = torch.tensor([[1.], [10.]], requires_grad=True)
    (x * x + x * b).sum().backward()
    assert x.grad.tolist() == [4 * 1 + 11, 4 * 2 + 11, 4 * 3 + 11]    # x * x has two rows
    assert b.grad.tolist() == [[6.], [6.]]


@pytest.mark.parametrize("form", ["method", "function"])
def test_repeated_calls_of_one_kind_record_as_the_first(form):
    """The first call of each kind goes the general way; later ones are rebuilt from its node
    (lazytensor/fastgrad.py) with their own operands: names and gradients as PyTorch's."""
    mul = (lambda a, b: a * b) if form == "method" else torch.mul
    sin = (lambda a: a.sin()) if form == "method" else torch.sin
    x = torch.tensor([1., 2., 3.])
    for step in range(3):
        a = torch.tensor([0.5, 1., 2.], requires_grad=True)
        b = torch.tensor(2., requires_grad=True)
        prods = [mul(a, a), mul(a, b), mul(x, b), mul(b, 3.), 1 - b, 2 * b, b ** 3, sin(a)]
        assert [p.grad_fn.name() for p in prods] == [
            "MulBackward0", "MulBackward0", "MulBackward0", "MulBackward0", "RsubBackward1",
            "MulBackward0", "PowBackward0", "SinBackward0"]
        assert prods[2].grad_fn.next_functions[0] == (None, 0)
        total = sum(p.sum() for p in prods)
        total.backward()
        av = np.array([0.5, 1., 2.])
        np.testing.assert_allclose(a.grad.tolist(), 2 * av + 2. + np.cos(av), rtol=1e-6)
        # d/db: sum(a) + sum(x) + 3 - 1 + 2 + 3 b^2
        assert b.grad.item() == pytest.approx(3.5 + 6. + 3. - 1. + 2. + 12.)


def test_updates_under_no_grad_take_the_fast_path_and_stay_leaves():
    w = torch.tensor([1., 2.], requires_grad=True)
    (w * w).sum().backward()
    version = w._version
    with torch.no_grad():
        w -= 0.5 * w.grad
        y = w * 2 + w.sin()
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w._version == version + 1
    assert not y.requires_grad and y.grad_fn is None
    assert w.tolist() == [0., 0.]
    h = w * 3                       # a non-leaf written under no_grad keeps its node
    with torch.no_grad():
        h += 1
    assert h.grad_fn.name() == "MulBackward0"
    w.grad = None
    (h * h).sum().backward()        # d/dw of (3w + 1)^2 at w = 0, the write seen as PyTorch does
    assert w.grad.tolist() == [6., 6.]

def test_no_grad_records_nothing_and_integer_tensors_have_no_gradient():
    x = torch.tensor([1., 2.], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None
    z = x * torch.tensor([3, 4])
    z.sum().backward()
    assert x.grad.tolist() == [3., 4.]


def test_in_place_ops_under_autograd():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    w = torch.tensor([2., 2., 2.], requires_grad=True)
    y = x * 1
    y.mul_(w)               # y = x * w: d/dx = w, d/dw = x (the value before the write)
    y.add_(x)
    y.sum().backward()
    assert x.grad.tolist() == [3., 3., 3.]
    assert w.grad.tolist() == [1., 2., 3.]
    z = x.sin()
    z.mul_(z)               # sin(x)^2 (sin saved x, not its result)
    x.grad = None
    z.sum().backward()
    np.testing.assert_allclose(x.grad.tolist(), np.sin(2 * np.array([1., 2., 3.])),
                               rtol=1e-6)
    e = x.exp()
    e.mul_(e)               # exp saved its result, which this changes: PyTorch refuses
    with pytest.raises(RuntimeError, match="has been modified by an inplace operation"):
        e.sum().backward()


_MODIFIED = ("one of the variables needed for gradient computation has been modified by an "
             "inplace operation: [torch.FloatTensor [3]]{} is at version 1; expected version "
             "0 instead. Hint: enable anomaly detection to find the operation that failed to "
             "compute its gradient, with torch.autograd.set_detect_anomaly(True, "
             "check_nan=False).")


def test_a_saved_tensor_modified_in_place_raises_pytorchs_error_when_read():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = x.exp()
    z = y * 2
    y.mul_(2)               # exp saved its result
    with pytest.raises(RuntimeError) as e:
        z.sum().backward()
    assert str(e.value) == _MODIFIED.format(", which is output 0 of Exp,")
    y = x * 2
    w = y * y
    y.add_(1)
    with pytest.raises(RuntimeError) as e:
        w.sum().backward()
    assert str(e.value) == _MODIFIED.format(", which is output 0 of Add,")
    c = torch.ones(3)
    v = x * c
    c.add_(1)               # a leaf: no "output of"
    with pytest.raises(RuntimeError) as e:
        v.sum().backward()
    assert str(e.value) == _MODIFIED.format("")
    y = x * 2
    u = y.exp()
    y.add_(1)               # exp saved its result, not y: fine
    u.sum().backward()


def test_a_second_backward_raises_unless_the_graph_was_retained():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4., 8., 12.]
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second "
                       "time .* Specify retain_graph=True if you need to backward through the "
                       "graph a second time or if you need to access saved tensors after "
                       "calling backward.$"):
        y.backward()
    x.grad = None
    z = (x + 1).sum()       # nothing saved: PyTorch runs it again too
    z.backward()
    z.backward()
    assert x.grad.tolist() == [2., 2., 2.]


def test_pytorchs_messages_for_bad_calls():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar "
                       "outputs$"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="^element 0 of tensors does not require grad and "
                       "does not have a grad_fn$"):
        torch.ones(3).sum().backward()
    with pytest.raises(RuntimeError, match=r"^Mismatch in shape: grad_output\[0\] has a shape "
                       r"of .*Size\(\[2\]\) and output\[0\] has a shape of .*Size\(\[3\]\)\.$"):
        (x * 2).backward(torch.ones(2))
    with pytest.raises(RuntimeError, match="^The differentiated Tensor at index 1 appears to "
                       "not have been used in the graph. Set allow_unused=True if this is the "
                       "desired behavior.$"):
        torch.autograd.grad((x * 2).sum(), [x, torch.ones(2, requires_grad=True)])
    with pytest.raises(RuntimeError, match="^One of the differentiated Tensors does not "
                       "require grad$"):
        torch.autograd.grad((x * 2).sum(), [torch.ones(2)])


def test_autograd_grad_returns_gradients_without_touching_grad():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x ** 3
    (g,) = torch.autograd.grad(y.sum(), x)
    assert g.tolist() == [3., 12.] and x.grad is None
    mid = x * 2
    gm, gx = torch.autograd.grad((mid * mid).sum(), [mid, x])
    assert gm.tolist() == [4., 8.] and gx.tolist() == [8., 16.]
    u = torch.ones(2, requires_grad=True)
    gx, gu = torch.autograd.grad(x.sum(), [x, u], allow_unused=True)
    assert gx.tolist() == [1., 1.] and gu is None


def test_higher_order_gradients_through_create_graph():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x ** 3).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    assert g.requires_grad
    (h,) = torch.autograd.grad(g.sum(), x)
    assert h.tolist() == [6., 12.]
    z = (x.sin() * x).sum()
    z.backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.sum().backward()
    np.testing.assert_allclose(x.grad.tolist(), [2 * math.cos(v) - v * math.sin(v)
                                                 for v in (1., 2.)], rtol=1e-6)


def test_retain_grad_hooks_and_backward_inputs():
    x = torch.tensor([1., 2.], requires_grad=True)
    mid = x * 3
    mid.retain_grad()
    assert mid.retains_grad
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.tolist()))
    mid.register_hook(lambda g: g * 10)
    (mid * mid).sum().backward()
    assert mid.grad.tolist() == [60., 120.]       # hooks run first, the retained is theirs
    assert seen == [[180., 360.]] and x.grad.tolist() == [180., 360.]
    handle.remove()
    w = torch.tensor([1., 1.], requires_grad=True)
    (x * w).sum().backward(inputs=[w])
    assert w.grad.tolist() == [1., 2.] and x.grad.tolist() == [180., 360.]
    assert seen == [[180., 360.]]


def test_backward_builds_graph_and_reads_compute_it():
    """backward computes nothing by itself: the gradient is a pending tensor, realised with
    the forward values it needs when read."""
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    runs = torch.cache_info()["programs_run"]
    loss = (x.sin() * x).sum()
    loss.backward()
    assert torch.cache_info()["programs_run"] == runs
    np.testing.assert_allclose(x.grad.tolist(), [math.sin(v) + v * math.cos(v)
                                                 for v in (1., 2., 3.)], rtol=1e-6)
    assert torch.cache_info()["programs_run"] == runs + 1


def test_an_op_without_a_derivative_says_so_at_backward_never_a_silent_none():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = torch.histc(torch.stack([x, x * x]), bins=3)
    assert y.requires_grad and y.grad_fn.name() == "HistcBackward0"
    with pytest.raises(NotImplementedError, match="histc"):
        y.sum().backward()
    z = x.clone()
    mutation.masked_fill_(z, z > 1, 5.)     # an internal write no wrapper records
    with pytest.raises(NotImplementedError, match="in-place change"):
        z.sum().backward()
    w = x * 2
    with torch.no_grad():
        w.add_(1)           # seen, not recorded: the gradient ignores it, as PyTorch's does
    w.sum().backward()
    assert x.grad.tolist() == [2., 2.]


def test_cumprod_gradient_is_exact_where_an_element_is_zero():
    """d/dx of sum(cumprod([2, 0, 3])): [1 + 0 + 0, 2 + 2*3, 0] (PyTorch's values)."""
    x = torch.tensor([2., 0., 3.], requires_grad=True)
    x.cumprod(0).sum().backward()
    assert x.grad.tolist() == [1., 8., 0.]


UNARY_PARTS = (lambda a: a.sin(), lambda a: a.tanh(), lambda a: (a * 0.5).exp(),
               lambda a: a.sigmoid(), lambda a: a * a, lambda a: (a * a + 1).log(),
               lambda a: torch.cos(a) * 2, lambda a: a.pow(3) / 4)
BINARY_PARTS = (lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b * 2,
                lambda a, b: a / (b * b + 1), lambda a, b: torch.atan2(a, b * b + 1))


def _expression(rng, depth):
    """A random elementwise expression of x and y (a function of both)."""
    if depth == 0:
        return (lambda x, y: x) if rng.random() < 0.5 else (lambda x, y: y)
    if rng.random() < 0.4:
        f, inner = UNARY_PARTS[rng.integers(len(UNARY_PARTS))], _expression(rng, depth - 1)
        return lambda x, y: f(inner(x, y))
    f = BINARY_PARTS[rng.integers(len(BINARY_PARTS))]
    left, right = _expression(rng, depth - 1), _expression(rng, depth - 1)
    return lambda x, y: f(left(x, y), right(x, y))


def test_random_expressions_have_their_finite_difference_gradients():
    """A property test: 12 random expressions of depth 3; each element depends on one element
    of x and y, so shifting all of x at once gives every partial derivative."""
    rng = np.random.default_rng(5)
    exprs = [_expression(rng, 3) for _ in range(12)]
    a, b = _rand((5,), -1, 1, 20), _rand((5,), -1, 1, 21)
    x, y = _t(a), _t(b)
    for i, f in enumerate(exprs):
        x.grad = y.grad = None
        f(x, y).sum().backward()
        for which, t in ((0, x), (1, y)):
            def shifted(h):
                xs = [_t(a + (h if which == 0 else 0), False), _t(b + (h if which else 0), False)]
                return np.array(f(*xs).tolist())
            numeric = (shifted(H) - shifted(-H)) / (2 * H)
            got = t.grad.tolist() if t.grad is not None else [0.] * 5
            np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-6,
                                       err_msg=f"expression {i}, operand {which}")


def test_writes_into_views_and_indexed_writes_under_autograd():
    """CopySlices (a write through a view), AsStridedBackward0 (a view of a tensor written
    since), IndexPutBackward0 and CopyBackwards, checked against the derivatives by hand."""
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    v = torch.tensor([7., 8.], requires_grad=True)
    y = x * 1
    y[0] = 5.
    (y * torch.tensor([1., 2., 3.])).sum().backward()
    assert x.grad.tolist() == [0., 2., 3.]
    x.grad = None
    y = x * 2
    y[1:] = v * 3
    y.sum().backward()
    assert x.grad.tolist() == [2., 0., 0.] and v.grad.tolist() == [3., 3.]
    x.grad = None
    y = x * 1
    y[1:].mul_(torch.tensor([10., 100.]))
    (y * y).sum().backward()
    assert x.grad.tolist() == [2., 400., 60000.]
    x.grad = v.grad = None
    y = x * 1
    y[torch.tensor([0, 2])] = v
    y.sum().backward()
    assert x.grad.tolist() == [0., 1., 0.] and v.grad.tolist() == [1., 1.]
    x.grad = None
    y = x * 1
    z = y[1:]
    y.mul_(2)
    assert z.grad_fn.name() == "AsStridedBackward0"
    (z * z).sum().backward()
    assert x.grad.tolist() == [0., 16., 24.]
    x.grad = None
    y = x * 1
    y.copy_(x * x)
    y.sum().backward()
    assert x.grad.tolist() == [2., 4., 6.]


class _Exp(torch.autograd.Function):
    """PyTorch's documentation example of a custom Function."""
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


class _ScaleAndSplit(torch.autograd.Function):
    """forward(*args) with setup_context; two outputs, one of them not differentiable."""
    @staticmethod
    def forward(x, k):
        return x * k, (x > 1).float()

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.k = inputs[1]
        ctx.seen = ctx.needs_input_grad
        ctx.mark_non_differentiable(output[1])

    @staticmethod
    def backward(ctx, g, g_mask):
        assert g_mask.tolist() == [0., 0.]         # materialised zeros
        return g * ctx.k, None


def test_custom_autograd_functions():
    x = torch.tensor([0., 1.], requires_grad=True)
    y = _Exp.apply(x)
    assert y.grad_fn.name() == "_ExpBackward"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.tolist(), [1., math.e], rtol=1e-6)
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second"):
        y.grad_fn.__class__   # the node is there; its saved tensors are not
        _ExpBackwardAgain = y.sum()
        _ExpBackwardAgain.backward()
    x.grad = None
    scaled, mask = _ScaleAndSplit.apply(x, 3.0)
    assert not mask.requires_grad and scaled.requires_grad
    scaled.sum().backward()
    assert x.grad.tolist() == [3., 3.]
    z = _Exp.apply(x * 1)
    z.mul_(2)               # _Exp saved its output
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()
    with torch.no_grad():
        assert _Exp.apply(x).grad_fn is None


def test_anomaly_mode_names_the_node_that_made_nan_and_its_forward_line():
    x = torch.tensor([0., 1.], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        with torch.autograd.detect_anomaly():
            assert torch.is_anomaly_enabled()
            y = (x.sqrt() * 0).sum()            # 0 * d sqrt(x)/dx at 0: 0 * inf
            with pytest.warns(UserWarning, match=r"(?s)Error detected in SqrtBackward0\. "
                              r"Traceback of forward call.*y = \(x\.sqrt\(\) \* 0\)"):
                with pytest.raises(RuntimeError, match="^Function 'SqrtBackward0' returned "
                                                       "nan values in its 0th output.$"):
                    y.backward()
    assert not torch.is_anomaly_enabled()
    (x.sqrt() * 0).sum().backward()             # outside it, NaN is a value like any other
    assert math.isnan(x.grad[0].item())
    with torch.autograd.set_detect_anomaly(True, check_nan=False):
        assert torch.is_anomaly_enabled() and not torch.is_anomaly_check_nan_enabled()
    assert not torch.is_anomaly_enabled()


def test_a_view_of_an_expanded_tensor_sends_its_gradient_to_the_elements_it_read():
    """x.expand(3)[1] reads one of the three elements that share x's memory: x gets 1, not
    3 (values from PyTorch 2.13), for indexing, select, narrow, split and diagonal."""
    x = torch.tensor([2.0], requires_grad=True)
    for read, want in ((lambda e: e[1], 1.0), (lambda e: e.select(0, 1), 1.0),
                       (lambda e: e.narrow(0, 1, 2).sum(), 2.0),
                       (lambda e: e.split(2)[0].sum() * 2 + e.split(2)[1].sum(), 6.0)):
        x.grad = None
        read(x.expand(4)).backward()
        assert x.grad.tolist() == [want]
    y = torch.tensor([[1.0, 2.0]], requires_grad=True)
    y.expand(3, 2).diagonal().sum().backward()
    assert y.grad.tolist() == [[1.0, 1.0]]
