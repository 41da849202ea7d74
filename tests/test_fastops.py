"""Tests for lazytensor/fastops.py: operators and unary methods take a shorter path once a
call of the same operand kinds has succeeded. That path must answer exactly as the general
one does: same values and dtypes, the same PyTorch errors on every call (not just the first),
autograd records when something requires grad, and the default dtype honoured when it
changes. Expected values are NumPy's; messages are PyTorch 2.13's.
"""
import numpy as np
import pytest

import lazytensor as lt

A = np.array([[1.5, -2.0], [0.25, 4.0]], dtype=np.float32)


def twice(fn):
    """fn() called twice: the first call is the general path, the second the short one."""
    return fn(), fn()


def test_repeated_operators_give_numpy_values_and_dtypes():
    x = lt.tensor(A)
    for _ in range(2):
        got = [x + 1, 1 + x, x - 0.5, 2 - x, x * 3, 3 * x, x / 4, x // 2, x % 2, x * x,
               x > 0, x == 4.0]
        want = [A + 1, 1 + A, A - 0.5, 2 - A, A * 3, 3 * A, A / 4, A // 2, A % 2, A * A,
                A > 0, A == 4.0]
        for g, w in zip(got, want):
            assert g.dtype == (lt.bool if w.dtype == np.bool_ else lt.float32)
            np.testing.assert_array_equal(g.numpy(), w)


def test_int_tensor_with_float_scalar_is_default_float_and_follows_set_default_dtype():
    i = lt.tensor([1, 2, 3])
    assert [t.dtype for t in twice(lambda: i * 1.5)] == [lt.float32, lt.float32]
    lt.set_default_dtype(lt.float64)
    try:
        assert (i * 1.5).dtype == lt.float64
        assert i.sqrt().dtype == lt.float64
        np.testing.assert_array_equal((i * 1.5).numpy(), np.array([1.5, 3.0, 4.5]))
    finally:
        lt.set_default_dtype(lt.float32)
    assert (i * 1.5).dtype == lt.float32
    assert i.sqrt().dtype == lt.float32


def test_errors_are_raised_on_every_call():
    b = lt.tensor([True, False])
    for _ in range(2):
        with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool "
                                               "tensors is not supported"):
            b - b
        with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool"):
            b.neg()
    x, y = lt.ones(2, 3), lt.ones(4, 3)
    x + x
    for _ in range(2):
        with pytest.raises(RuntimeError, match=r"The size of tensor a \(2\) must match the "
                                               r"size of tensor b \(4\) at non-singleton "
                                               r"dimension 0"):
            x + y
    f = lt.ones(3)
    (lt.tensor([1, 2, 3]) & lt.tensor([1, 1, 1]))
    for _ in range(2):
        with pytest.raises(RuntimeError, match="\"bitwise_and_cpu\" not implemented for "
                                               "'Float'"):
            f & f


def test_broadcasting_and_mixed_dtypes_on_the_short_path():
    a = lt.tensor(A)
    row = lt.tensor(np.array([10, 20], dtype=np.int64))
    for got in twice(lambda: a + row):
        assert got.dtype == lt.float32
        np.testing.assert_array_equal(got.numpy(), A + np.array([10, 20], np.float32))
    d = lt.tensor(A.astype(np.float64))
    for got in twice(lambda: a * d):
        assert got.dtype == lt.float64
        np.testing.assert_array_equal(got.numpy(), A.astype(np.float64) ** 2)


def test_autograd_is_recorded_when_an_operand_requires_grad():
    x = lt.tensor(A)
    x * 2, x.exp()
    w = lt.tensor(A, requires_grad=True)
    assert type((w * 2).grad_fn).__name__ == "MulBackward0"
    assert type((2 - w).grad_fn).__name__ == "RsubBackward1"
    assert type(w.exp().grad_fn).__name__ == "ExpBackward0"
    assert (x * 2).grad_fn is None and not (x * 2).requires_grad


def test_unary_methods_repeated():
    x = lt.tensor(A)
    for _ in range(2):
        np.testing.assert_allclose(x.abs().sqrt().numpy(), np.sqrt(np.abs(A)), rtol=1e-6)
        np.testing.assert_array_equal(x.neg().numpy(), -A)
        i = lt.tensor([1, -2])
        assert i.abs().dtype == lt.int64 and i.exp().dtype == lt.float32
        s = lt.tensor([True, False]).sign()
        assert s.dtype == lt.bool and s.tolist() == [True, False]


def test_in_place_operators_write_the_whole_tensor_or_take_the_general_path():
    for _ in range(2):                          # the second round takes the short path
        a = lt.tensor(A.copy())
        a += 1
        a -= lt.tensor(A)
        a *= 2.0
        a /= 4
        a.add_(0.5).mul_(lt.tensor(A)).sub_(1).div_(2.0)
        np.testing.assert_array_equal(a.numpy(), (((A + 1 - A) * 2 / 4 + 0.5) * A - 1) / 2)


def test_in_place_operators_keep_pytorchs_view_alias_and_dtype_rules():
    a = lt.arange(4.0)
    v = a[1:]
    v += 1                                      # through a view: the base sees it
    assert a.tolist() == [0.0, 2.0, 3.0, 4.0]
    m = lt.ones(2, 3)
    m.t_()
    m += lt.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])    # not contiguous any more
    assert m.tolist() == [[2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]
    b = lt.tensor([1.0, 2.0])
    b += b                                      # reads its own memory
    b.add_(lt.tensor([1.0, 1.0]), alpha=3)
    assert b.tolist() == [5.0, 7.0]
    shared = np.zeros(3, np.float32)
    t = lt.from_numpy(shared)
    t += 1.5                                    # NumPy sees it at once
    assert shared.tolist() == [1.5] * 3
    i = lt.tensor([1, 2])
    for _ in range(2):
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the "
                                               "desired output type Long"):
            i += 1.5
    assert i.tolist() == [1, 2]
    i += 3
    assert i.tolist() == [4, 5] and i.dtype == lt.int64
    w = lt.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used "
                                           "in an in-place operation."):
        w += 1


def test_functions_take_the_methods_path_and_keep_their_own_arguments():
    x = lt.tensor(A)
    for _ in range(2):
        assert lt.sin(x).tolist() == x.sin().tolist()
        np.testing.assert_array_equal(lt.add(x, 1.5).numpy(), A + np.float32(1.5))
        np.testing.assert_array_equal(lt.mul(x, x).numpy(), A * A)
        np.testing.assert_array_equal(lt.div(x, 4).numpy(), A / np.float32(4))
        assert lt.sum(x).item() == pytest.approx(float(A.sum()))
        np.testing.assert_array_equal(lt.add(x, x, alpha=2).numpy(), A + 2 * A)
        np.testing.assert_array_equal(lt.sub(2, x).numpy(), 2 - A)
        assert lt.sum(x, 1).tolist() == pytest.approx(A.sum(1).tolist())
        assert lt.gt(x, 0).dtype == lt.bool
        out = lt.empty(2, 2)
        lt.abs(x, out=out)
        np.testing.assert_array_equal(out.numpy(), np.abs(A))


def test_matrix_products_on_the_short_path_equal_numpys_and_the_general_graph():
    """x @ w, x.mm(w), x.matmul(w), torch.mm, torch.matmul of matrices (transposed ones too)
    give NumPy's values, build the general path's graph (one program key), and leave the
    cases they do not cover (a row or column result, integers, two dtypes, a vector, out=,
    memory NumPy shares) to the general path with its errors."""
    from lazytensor.codegen import run
    rng = np.random.default_rng(0)
    for dt, np_dt in ((lt.float32, np.float32), (lt.float64, np.float64)):
        a_np, b_np = rng.standard_normal((5, 3)).astype(np_dt), \
            rng.standard_normal((4, 3)).astype(np_dt)
        a, b = lt.tensor(a_np), lt.tensor(b_np)
        want = a_np @ b_np.T
        for got in (a @ b.t(), a.mm(b.t()), a.matmul(b.t()), lt.mm(a, b.t()),
                    lt.matmul(a, b.t())):
            assert got.dtype == dt and got.shape == (5, 4)
            np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
        fast = (a @ b.t())._node
        general = linalg_general(a, b.t())._node
        assert run.structure_key([fast])[0] == run.structure_key([general])[0]
    rows = lt.tensor([[1.0, 2.0]]) @ lt.tensor([[3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(rows.numpy(), [[13.0, 16.0]])
    ints = lt.tensor([[1, 2], [3, 4]]) @ lt.tensor([[1, 0], [0, 1]])
    assert ints.dtype == lt.int64 and ints.tolist() == [[1, 2], [3, 4]]
    for _ in range(2):
        with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
            lt.ones(2, 2) @ lt.ones(2, 2, dtype=lt.float64)
        with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied "
                                               r"\(2x3 and 2x3\)"):
            lt.ones(2, 3).mm(lt.ones(2, 3))
    out = lt.empty(2, 2)
    lt.mm(lt.eye(2), lt.full((2, 2), 3.0), out=out)
    assert out.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    shared_np = np.eye(2, dtype=np.float32)
    shared = lt.from_numpy(shared_np)
    product = shared @ lt.full((2, 2), 2.0)
    shared_np[0, 0] = 100.0       # after the call: the product keeps the values it was given
    assert product.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def linalg_general(a, b):
    """The general path's product (what the short path must equal)."""
    from lazytensor import linalg
    return linalg._matmul_value(a, b)


def test_t_on_the_short_path_is_a_view_with_autograds_rules():
    """x.t() shares x's storage (writes show through both ways), has x's base, needs no
    grad unless x does, and a write through it into a tensor autograd tracks is
    differentiated through the view."""
    x = lt.arange(6.0).reshape(2, 3)
    v = x.t()
    assert v.shape == (3, 2) and v.stride() == (1, 3) and v._base is x._base
    v[0, 1] = 10.0
    assert x.tolist() == [[0.0, 1.0, 2.0], [10.0, 4.0, 5.0]]
    x.mul_(2)
    assert v.tolist() == [[0.0, 20.0], [2.0, 8.0], [4.0, 10.0]]
    assert lt.t(x).tolist() == v.tolist() and lt.t(lt.ones(3)).shape == (3,)
    with pytest.raises(RuntimeError, match=r"t\(\) expects a tensor with <= 2 dimensions, "
                                           r"but self is 3D"):
        lt.ones(1, 1, 1).t()
    w = lt.ones(2, 3, requires_grad=True)
    assert w.t().requires_grad and w.t().grad_fn.name() == "TBackward0"
    with lt.no_grad():
        assert not w.t().requires_grad
    base = lt.zeros(2, 3).requires_grad_()
    p = lt.full((3, 2), 2.0, requires_grad=True)
    tracked = base * 1
    tracked.t().copy_(p * 3)
    (tracked * 2).sum().backward()
    assert p.grad.tolist() == [[6.0, 6.0]] * 3 and base.grad.tolist() == [[0.0] * 3] * 2


def test_broadcast_operands_build_the_general_graph_and_numpys_values():
    """A bias added to a batch, a column times a row, a 0-dim scale: the short path's graph
    is the general one's (one program key for both spellings) and its values NumPy's; an
    in-place op whose result would need a's shape to grow is the general path's error."""
    from lazytensor import fastops
    from lazytensor.codegen import run
    rng = np.random.default_rng(1)
    pairs = [((4, 3), (3,)), ((3,), (4, 3)), ((4, 1), (1, 3)), ((2, 1, 3), (4, 1)),
             ((4, 3), ()), ((), (4, 3)), ((1, 3), (4, 3))]
    for sx, sy in pairs:
        xn, yn = rng.standard_normal(sx).astype(np.float32), \
            rng.standard_normal(sy).astype(np.float32)
        x, y = lt.tensor(xn), lt.tensor(yn)
        for op, fn in (("add", lambda p, q: p + q), ("mul", lambda p, q: p * q),
                       ("sub", lambda p, q: p - q)):
            got = fn(x, y)
            spec = fastops._binary_node(op, x, y, False)
            assert run.structure_key([got._node])[0] == run.structure_key([spec])[0]
            np.testing.assert_allclose(got.numpy(), fn(xn, yn), rtol=1e-6)
    w = lt.ones(4, 3)
    w += lt.tensor([1.0, 2.0, 3.0])
    assert w.tolist() == [[2.0, 3.0, 4.0]] * 4
    col = lt.ones(4, 1)
    for _ in range(2):
        with pytest.raises(RuntimeError, match=r"output with shape \[4, 1\] doesn't match the "
                                               r"broadcast shape \[4, 3\]"):
            col += lt.ones(3)
        with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the "
                                               r"size of tensor b \(4\) at non-singleton"):
            lt.ones(2, 3) + lt.ones(4)
    assert col.tolist() == [[1.0]] * 4


def test_view_and_reshape_on_the_short_path_are_views_with_pytorchs_rules():
    """x.view / x.reshape / torch.reshape of a row-major tensor share its memory with the
    general path's shape and strides; sizes that do not fit, a layout view() cannot read,
    and tensors autograd records keep the general path's errors and nodes."""
    x = lt.arange(24.0).reshape(2, 3, 4)
    for v, shape in ((x.view(6, 4), (6, 4)), (x.view(-1), (24,)), (x.view((4, -1)), (4, 6)),
                     (x.reshape([2, 1, 12]), (2, 1, 12)), (lt.reshape(x, (3, 8)), (3, 8)),
                     (x.view(lt.Size([24, 1])), (24, 1))):
        assert v.shape == shape and v.is_contiguous() and v._base is x._base
        np.testing.assert_array_equal(v.numpy(), np.arange(24.0).reshape(shape))
    v = x.view(-1)
    v[5] = 100.0
    assert x[0, 1, 1].item() == 100.0
    for _ in range(2):
        with pytest.raises(RuntimeError, match=r"shape '\[5, -1\]' is invalid for input of "
                                               r"size 24"):
            x.view(5, -1)
        with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
            x.view(-1, -1)
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            x.transpose(0, 1).view(-1)
    y = x.transpose(0, 1).reshape(-1)            # a copy, as PyTorch's reshape makes
    assert y.tolist()[:5] == [0.0, 1.0, 2.0, 3.0, 12.0]
    g = lt.ones(2, 3, requires_grad=True)
    assert g.view(-1).grad_fn.name() == "ViewBackward0"
    assert g.reshape(3, 2).grad_fn.name() == "ViewBackward0"


def test_mean_on_the_short_path_is_the_sum_over_the_count():
    """x.mean() / torch.mean(x) of float32 and float64 tensors: NumPy's value and the general
    path's graph; other dtypes, dims and empty tensors keep the general path's answers."""
    from lazytensor import reductions
    from lazytensor.codegen import run
    for dt, np_dt in ((lt.float32, np.float32), (lt.float64, np.float64)):
        a = np.arange(12, dtype=np_dt).reshape(3, 4) / 7
        x = lt.tensor(a)
        got, general = x.mean(), reductions.mean(x)
        assert run.structure_key([got._node])[0] == run.structure_key([general._node])[0]
        assert got.dtype == dt and abs(got.item() - a.mean()) < 1e-6
        assert abs(lt.mean(x).item() - a.mean()) < 1e-6
    assert lt.tensor([1.0, 2.0], dtype=lt.float16).mean().dtype == lt.float16
    assert np.isnan(lt.empty(0).mean().item())
    assert lt.arange(6.0).reshape(2, 3).mean(1).tolist() == [1.0, 4.0]
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        lt.tensor([1, 2]).mean()


def test_clamp_by_numbers_on_the_short_path_builds_the_general_graph():
    """h.clamp(min=0), h.clamp(-1, 1), torch.clamp(h, max=1) of float tensors: NumPy's
    values (NaN kept, as PyTorch keeps it), the general path's graph, its errors."""
    from lazytensor import elementwise
    from lazytensor.codegen import run
    a = np.array([-1.5, 0.5, 2.5, np.nan], dtype=np.float32)
    h = lt.tensor(a)
    for _ in range(2):
        for got, general, want in ((h.clamp(min=0), elementwise.clamp(h, min=0),
                                    np.maximum(a, 0)),
                                   (h.clamp(-1, 1), elementwise.clamp(h, -1, 1),
                                    np.minimum(np.maximum(a, -1), 1)),
                                   (lt.clamp(h, max=1.0), elementwise.clamp(h, max=1.0),
                                    np.minimum(a, 1))):
            assert run.structure_key([got._node])[0] == run.structure_key([general._node])[0]
            np.testing.assert_array_equal(got.numpy(), want)
        with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be "
                                               "None"):
            h.clamp()
        with pytest.raises(RuntimeError, match="value cannot be converted to type float "
                                               "without overflow"):
            h.clamp(min=1e300)
    assert lt.tensor([1, 5]).clamp(min=2).tolist() == [2, 5]
    g = lt.ones(2, requires_grad=True)
    assert g.clamp(min=0).grad_fn.name() == "ClampBackward1"       # as PyTorch names it


def test_in_place_add_and_sub_with_alpha_scale_the_operand_as_the_general_path():
    """An optimiser's p.add_(g, alpha=-lr) / buf.sub_(g, alpha=k): b * alpha, then the
    write; NumPy's float32 values, the general path's graph; integers keep its checks."""
    from lazytensor import elementwise
    from lazytensor.codegen import run
    pn, gn = np.array([1.5, -2.0, 0.25], np.float32), np.array([0.5, 4.0, -1.0], np.float32)
    for alpha in (-0.1, 2, 1):
        p, g = lt.tensor(pn), lt.tensor(gn)
        general = elementwise.binary("add", p, g, alpha)
        p.add_(g, alpha=alpha)
        assert run.structure_key([p._node])[0] == run.structure_key([general._node])[0]
        np.testing.assert_array_equal(p.numpy(), pn + gn * np.float32(alpha))
        p.sub_(g, alpha=alpha)
        np.testing.assert_allclose(p.numpy(), pn, rtol=1e-6)
    mixed = lt.ones(2)                    # float64 b: the general path's write, alpha once
    mixed.add_(lt.full((2,), 2.0, dtype=lt.float64), alpha=-0.25)
    assert mixed.tolist() == [0.5, 0.5]
    i = lt.tensor([1, 2])
    i.add_(lt.tensor([1, 1]), alpha=3)
    assert i.tolist() == [4, 5]
    with pytest.raises(RuntimeError, match="For integral input tensors, argument alpha must "
                                           "not be a floating point number"):
        i.add_(lt.tensor([1, 1]), alpha=0.5)
