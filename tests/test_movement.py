"""Tests for lazytensor/movement.py and lazytensor/views.py: movement ops are views (shape,
strides, offset over the same storage), indexing, cat/stack, and ops computed on views.

Expected values are NumPy's on the same view; expected strides are PyTorch's: equal to
NumPy's (in elements) for every dim of size > 1, and for size-1 dims the values PyTorch
2.13 reports, written out below. Reading a view of a realised tensor runs no kernel, so the
view tests compile nothing; ops on views are realised together, one program per test.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lazytensor as lt
from lazytensor.storage import realize_all

X = np.arange(24).reshape(2, 3, 4)
F = np.arange(12, dtype=np.float32).reshape(3, 4)


def values(*tensors):
    """NumPy arrays of the tensors' values, computed in one realisation."""
    realize_all([t._storage for t in tensors])
    return [np.asarray(t) for t in tensors]


def np_strides(a):
    return tuple(s // a.itemsize for s in a.strides)


def check_view(t, a):
    """t has a's shape, values and (on dims of size > 1, unless empty) strides, and is
    NumPy-contiguous exactly when a is."""
    assert tuple(t.shape) == a.shape
    np.testing.assert_array_equal(np.asarray(t), a)
    if a.size:
        assert [s for s, n in zip(t.stride(), a.shape) if n > 1] == \
            [s for s, n in zip(np_strides(a), a.shape) if n > 1]
    assert t.is_contiguous() == a.flags.c_contiguous


def check(tensors, expected):
    for got, want in zip(values(*tensors), expected):
        assert got.shape == np.shape(want)
        np.testing.assert_allclose(got, want, rtol=1e-6)


# -- each view op ----------------------------------------------------------------------------
VIEWS = [
    (lambda x: x.reshape(6, 4), lambda a: a.reshape(6, 4)),
    (lambda x: x.reshape((4, -1)), lambda a: a.reshape(4, -1)),
    (lambda x: x.view(-1), lambda a: a.reshape(-1)),
    (lambda x: x.view(4, 3, 2), lambda a: a.reshape(4, 3, 2)),
    (lambda x: x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1)),
    (lambda x: lt.permute(x, (1, 0, 2)), lambda a: a.transpose(1, 0, 2)),
    (lambda x: x.transpose(0, 2), lambda a: a.swapaxes(0, 2)),
    (lambda x: x.transpose(-1, -2), lambda a: a.swapaxes(-1, -2)),
    (lambda x: x[0].t(), lambda a: a[0].T),
    (lambda x: x[0].T, lambda a: a[0].T),
    (lambda x: x.mT, lambda a: a.swapaxes(-1, -2)),
    (lambda x: x[:, :1].expand(2, 5, 4), lambda a: np.broadcast_to(a[:, :1], (2, 5, 4))),
    (lambda x: x[0, :, :1].expand(-1, 3), lambda a: np.broadcast_to(a[0, :, :1], (3, 3))),
    (lambda x: x[0].expand(2, 3, 4), lambda a: np.broadcast_to(a[0], (2, 3, 4))),
    (lambda x: x[:1].expand_as(x), lambda a: np.broadcast_to(a[:1], a.shape)),
    (lambda x: x.unsqueeze(0), lambda a: a[None]),
    (lambda x: x.unsqueeze(-1), lambda a: a[..., None]),
    (lambda x: x.unsqueeze(2), lambda a: a[:, :, None]),
    (lambda x: x[:, :1].squeeze(), lambda a: a[:, :1].squeeze()),
    (lambda x: x[:, :1].squeeze(1), lambda a: a[:, 0]),
    (lambda x: x[:, :1].squeeze(0), lambda a: a[:, :1]),
    (lambda x: x[:1, :1].squeeze((0, 1)), lambda a: a[0, 0]),
    (lambda x: x.flatten(), lambda a: a.reshape(-1)),
    (lambda x: x.flatten(1), lambda a: a.reshape(2, 12)),
    (lambda x: lt.flatten(x, 0, 1), lambda a: a.reshape(6, 4)),
    (lambda x: x.narrow(1, 1, 2), lambda a: a[:, 1:3]),
    (lambda x: x.narrow(-1, -2, 2), lambda a: a[..., 2:]),
    (lambda x: x.select(1, 2), lambda a: a[:, 2]),
    (lambda x: lt.select(x, 0, -1), lambda a: a[-1]),
    (lambda x: x.contiguous(), lambda a: a),
    (lambda x: x.unflatten(2, (2, 2)), lambda a: a.reshape(2, 3, 2, 2)),
    (lambda x: x.movedim(0, 2), lambda a: np.moveaxis(a, 0, 2)),
    (lambda x: x.diagonal(0, 1, 2), lambda a: np.diagonal(a, 0, 1, 2)),
]


@pytest.mark.parametrize("k", range(len(VIEWS)))
def test_each_view_op_matches_numpy_and_shares_storage(k):
    ours, ref = VIEWS[k]
    x = lt.tensor(X)
    v = ours(x)
    check_view(v, ref(X))
    assert v._storage is x._storage


INDEXES = [
    np.s_[::2], np.s_[:, ::2], np.s_[..., 1:3], np.s_[..., ::3], np.s_[-1], np.s_[:, -2:],
    np.s_[:, -5:10], np.s_[1, :, -1], np.s_[None], np.s_[:, None, 1], np.s_[..., None],
    np.s_[..., None, ::2], np.s_[1, ..., 2], np.s_[0, 0, 0], np.s_[:, 1:1], np.s_[:, 5:],
    np.s_[1:, 1::2, ::-1][:2], np.s_[0, None, :, None], np.s_[...], np.s_[-2, -3, -4],
]


@pytest.mark.parametrize("k", range(len(INDEXES)))
def test_basic_indexing_is_a_view(k):
    x = lt.tensor(X)
    v = x[INDEXES[k]]
    check_view(v, X[INDEXES[k]])
    assert v._storage is x._storage


def test_strides_of_size_one_dims_are_pytorchs():
    f = lt.tensor(F)
    assert f.stride() == (4, 1) and f.T.stride() == (1, 4)
    assert f[None].stride() == (12, 4, 1)
    assert f[:, None].stride() == (4, 4, 1)
    assert f.unsqueeze(2).stride() == (4, 1, 1)
    assert f[None, None].stride() == (12, 12, 4, 1)
    assert f[1, None].stride() == (4, 1)
    assert lt.tensor(X)[..., None, ::2].stride() == (12, 4, 4, 2)
    assert f[:, ::2].stride() == (4, 2) and f[:, 1:].stride() == (4, 1)
    assert f.expand(2, 3, 4).stride() == (0, 4, 1)
    assert f.stride(0) == 4 and f.stride(-1) == 1
    assert f[:1].is_contiguous() and not f[:, :1].is_contiguous() and f[1:2].is_contiguous()
    assert lt.zeros(2, 1, 3).transpose(0, 1).is_contiguous()


# -- random chains of views ----------------------------------------------------------------------
def _step(data, x, a):
    """Apply one random view op to tensor x and array a alike."""
    kinds = ["permute", "slice", "unsqueeze", "squeeze", "view"]
    if a.ndim:
        kinds += ["transpose", "select"]
    if 1 in a.shape:
        kinds.append("expand")
    kind = data.draw(st.sampled_from(kinds))
    if kind == "permute":
        perm = data.draw(st.permutations(range(a.ndim)))
        return x.permute(*perm) if perm else x, a.transpose(perm)
    if kind == "transpose":
        d0, d1 = data.draw(st.integers(0, a.ndim - 1)), data.draw(st.integers(-a.ndim, -1))
        return x.transpose(d0, d1), a.swapaxes(d0, d1)
    if kind == "slice":
        idx = tuple(slice(data.draw(st.integers(-4, 4)), data.draw(st.integers(-4, 6)),
                          data.draw(st.integers(1, 3))) for _ in range(a.ndim))
        return x[idx], a[idx]
    if kind == "select":
        d = data.draw(st.integers(0, a.ndim - 1))
        if a.shape[d] == 0:
            return x, a
        i = data.draw(st.integers(-a.shape[d], a.shape[d] - 1))
        return x.select(d, i), a[(slice(None),) * d + (i,)]
    if kind == "unsqueeze":
        d = data.draw(st.integers(-a.ndim - 1, a.ndim))
        return x.unsqueeze(d), np.expand_dims(a, d)
    if kind == "squeeze":
        if not a.ndim:
            return x.squeeze(), a
        d = data.draw(st.integers(0, a.ndim - 1))
        return x.squeeze(d), (a.squeeze(d) if a.shape[d] == 1 else a)
    if kind == "expand":
        shape = tuple(2 if s == 1 else s for s in a.shape)
        return x.expand(*shape), np.broadcast_to(a, shape)
    shape = data.draw(st.sampled_from(_reshapes(a.shape)))
    try:
        view = np.reshape(a, shape, copy=False)
    except ValueError:
        with pytest.raises(RuntimeError, match="view size is not compatible with input "
                                               "tensor's size and stride"):
            x.view(shape)
        return x, a
    return x.view(shape), view


def _reshapes(shape):
    """Shapes with shape's element count: flat, and each adjacent pair of dims merged."""
    out = [(int(np.prod(shape)),)]
    for i in range(len(shape) - 1):
        out.append(shape[:i] + (shape[i] * shape[i + 1],) + shape[i + 2:])
    return out


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_chains_of_views_match_numpy(data):
    a = np.arange(60).reshape(3, 4, 5)
    x = lt.tensor(a)
    for _ in range(data.draw(st.integers(1, 5))):
        x, a = _step(data, x, a)
        check_view(x, a)


@pytest.mark.filterwarnings("ignore:The use of `x.T`:UserWarning")   # as PyTorch warns
# -- copies: flip, reshape of a non-viewable layout, contiguous ------------------------------
def test_flip_reshape_and_contiguous_of_strided_views_copy():
    x = lt.tensor(X)
    outs = [x.flip(0), x.flip(0, 2), lt.flip(x, [1]), x.flip(-1).T, x.T.reshape(-1),
            x.permute(2, 0, 1).reshape(4, 6), x[:, ::2].flatten(), x.T.contiguous(),
            lt.tensor(5).flip(0)]
    expected = [X[::-1], X[::-1, :, ::-1], X[:, ::-1], X[..., ::-1].T, X.T.reshape(-1),
                X.transpose(2, 0, 1).reshape(4, 6), X[:, ::2].reshape(-1), X.T, np.array(5)]
    got = values(*outs)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)
    c = outs[7]
    assert c.is_contiguous() and c.stride() == (6, 2, 1) and c._storage is not x._storage
    assert x.contiguous() is x


def test_view_refuses_a_layout_it_cannot_express():
    x = lt.tensor(X)
    with pytest.raises(RuntimeError, match=r"view size is not compatible with input tensor's "
                                           r"size and stride \(at least one dimension spans "
                                           r"across two contiguous subspaces\). Use "
                                           r"\.reshape\(\.\.\.\) instead\."):
        x.transpose(0, 1).view(-1)
    assert x.transpose(0, 1).reshape(-1).tolist() == X.swapaxes(0, 1).reshape(-1).tolist()


def test_view_as_another_dtype_reinterprets_the_bytes():
    f = lt.tensor(np.float32([1.0, -2.0, 0.5, 3.0]).reshape(2, 2))
    assert f.view(lt.int32).tolist() == np.float32([[1.0, -2.0], [0.5, 3.0]]).view(
        np.int32).tolist()
    assert f.view(lt.int16).shape == (2, 4) and f.view(lt.float64).shape == (2, 1)
    assert f.view(lt.uint8).tolist() == np.float32([[1.0, -2.0], [0.5, 3.0]]).view(
        np.uint8).tolist()
    with pytest.raises(RuntimeError, match=r"self.stride\(-1\) must be 1 to view Float as "
                                           r"Short \(different element sizes\), but got 2"):
        f.T.view(lt.int16)
    with pytest.raises(RuntimeError, match=r"self.size\(-1\) must be divisible by 2 to view "
                                           r"Float as Double \(different element sizes\), but "
                                           r"got 3"):
        lt.zeros(2, 3).view(lt.float64)


# -- ops on top of views -------------------------------------------------------------------------
def test_ops_read_views_through_strides():
    x, y = lt.tensor(F), lt.tensor(F.T.copy())
    a = lt.tensor(X.astype(np.float32))
    outs = [x.T + y, (x * x).T.sum(0), a[::2, 1:].exp(), x.T + lt.arange(3.0),
            x[:, :1].expand(3, 4) * x, x.T[1:, ::2] * 2, a.permute(2, 0, 1)[1:].sum(1),
            x.reshape(2, 6).T.flip(0), x.flip(0).T.reshape(-1), x.unsqueeze(1) - x,
            a[0, :, None] * a[1], x[1] @ x[2]]
    Xf = X.astype(np.float32)
    expected = [F.T + F.T, (F * F).T.sum(0), np.exp(Xf[::2, 1:]), F.T + np.arange(3.0),
                F[:, :1] * F, F.T[1:, ::2] * 2, Xf.transpose(2, 0, 1)[1:].sum(1),
                F.reshape(2, 6).T[::-1], F[::-1].T.reshape(-1), F[:, None] - F,
                Xf[0, :, None] * Xf[1], F[1] @ F[2]]
    check(outs, expected)


def test_writes_through_a_view_show_in_the_base():
    x = lt.tensor(F.copy())
    x.T[0] = 100.0
    x[1:, ::2] = lt.tensor([[-1.0], [-2.0]])
    x.view(-1)[::5] += 1
    expect = F.copy()
    expect.T[0] = 100.0
    expect[1:, ::2] = [[-1.0], [-2.0]]
    expect.reshape(-1)[::5] += 1
    np.testing.assert_array_equal(x.numpy(), expect)


# -- cat and stack -----------------------------------------------------------------------------
def test_cat_and_stack():
    f = lt.tensor(F)
    i = lt.tensor(X[0])
    outs = [lt.cat([f, f]), lt.cat((f, f.T.T), 1), lt.cat([f, f[:2]]), lt.cat([f, f[:, :2]], -1),
            lt.cat([f, lt.tensor([])]), lt.cat([i, f]), lt.concat([i.short(), i.to(lt.int8)]),
            lt.stack([f, f]), lt.stack([f, f.flip(0)], 1), lt.stack([f, f], -1),
            lt.stack([lt.tensor(1.0), lt.tensor(2.0)]), lt.cat([f[::2], f.T[:2].T[::2]], 1)]
    expected = [np.concatenate([F, F]), np.concatenate([F, F], 1), np.concatenate([F, F[:2]]),
                np.concatenate([F, F[:, :2]], -1), F, np.concatenate([X[0], F]),
                np.concatenate([X[0], X[0]]).astype(np.int16), np.stack([F, F]),
                np.stack([F, F[::-1]], 1), np.stack([F, F], -1), np.float32([1.0, 2.0]),
                np.concatenate([F[::2], F.T[:2].T[::2]], 1)]
    dtypes = [lt.float32] * 5 + [lt.float32, lt.int16] + [lt.float32] * 5
    assert [o.dtype for o in outs] == dtypes
    got = values(*outs)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("call,error,message", [
    (lambda f: lt.cat([f, lt.tensor(X)]), RuntimeError,
     "Tensors must have same number of dimensions: got 2 and 3"),
    (lambda f: lt.cat([f, f[:, :2]]), RuntimeError,
     "Sizes of tensors must match except in dimension 0. Expected size 4 but got size 2 for "
     "tensor number 1 in the list."),
    (lambda f: lt.cat([f, f], 2), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda f: lt.cat([]), ValueError, "torch.cat(): expected a non-empty list of Tensors"),
    (lambda f: lt.cat([f, 5]), TypeError, "expected Tensor as element 1 in argument 0, but "
                                          "got int"),
    (lambda f: lt.cat([lt.tensor(1.0)]), RuntimeError, "zero-dimensional tensor (at position "
                                                       "0) cannot be concatenated"),
    (lambda f: lt.stack([f, f[:2]]), RuntimeError, "stack expects each tensor to be equal "
                                                   "size, but got [3, 4] at entry 0 and [2, 4] "
                                                   "at entry 1"),
    (lambda f: lt.stack([f, f], 3), IndexError, "Dimension out of range (expected to be in "
                                                "range of [-3, 2], but got 3)"),
    (lambda f: lt.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
])
def test_cat_and_stack_refusals(call, error, message):
    f = lt.tensor(F)
    with pytest.raises(error) as info:
        call(f)
    assert str(info.value).startswith(message)


# -- refusals at the call ----------------------------------------------------------------------
@pytest.mark.parametrize("call,error,message", [
    (lambda x: x.reshape(5, -1), RuntimeError, "shape '[5, -1]' is invalid for input of size "
                                               "24"),
    (lambda x: x.view(-1, -1), RuntimeError, "only one dimension can be inferred"),
    (lambda x: x.view(5, 5), RuntimeError, "shape '[5, 5]' is invalid for input of size 24"),
    (lambda x: x.permute(0, 1), RuntimeError, "permute(sparse_coo): number of dimensions in "
                                              "the tensor input does not match the length of "
                                              "the desired ordering of dimensions i.e. "
                                              "input.dim() = 3 is not equal to len(dims) = 2"),
    (lambda x: x.permute(0, 1, 1), RuntimeError, "permute(): duplicate dims are not allowed."),
    (lambda x: x.permute(0, 1, 3), IndexError, "Dimension out of range (expected to be in "
                                               "range of [-3, 2], but got 3)"),
    (lambda x: x.transpose(0, 3), IndexError, "Dimension out of range (expected to be in "
                                              "range of [-3, 2], but got 3)"),
    (lambda x: x.t(), RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is 3D"),
    (lambda x: x.expand(3, 5), RuntimeError, "expand(torch.LongTensor{[2, 3, 4]}, size=[3, 5]): "
                                             "the number of sizes provided (2) must be greater "
                                             "or equal to the number of dimensions in the "
                                             "tensor (3)"),
    (lambda x: x.expand(2, 5, 4), RuntimeError, "The expanded size of the tensor (5) must "
                                                "match the existing size (3) at non-singleton "
                                                "dimension 1.  Target sizes: [2, 5, 4].  "
                                                "Tensor sizes: [2, 3, 4]"),
    (lambda x: x.unsqueeze(4), IndexError, "Dimension out of range (expected to be in range "
                                           "of [-4, 3], but got 4)"),
    (lambda x: x.squeeze(3), IndexError, "Dimension out of range (expected to be in range of "
                                         "[-3, 2], but got 3)"),
    (lambda x: x.flatten(2, 1), RuntimeError, "flatten() has invalid args: start_dim cannot "
                                              "come after end_dim"),
    (lambda x: x.flip(0, 0), RuntimeError, "dim 0 appears multiple times in the list of dims"),
    (lambda x: x.narrow(1, 2, 2), RuntimeError, "start (2) + length (2) exceeds dimension "
                                                "size (3)."),
    (lambda x: x.narrow(1, -4, 1), IndexError, "start out of range (expected to be in range "
                                               "of [-3, 3], but got -4)"),
    (lambda x: x.narrow(1, 0, -1), RuntimeError, "narrow(): length must be non-negative."),
    (lambda x: x.select(1, 3), IndexError, "select(): index 3 out of range for tensor of size "
                                           "[2, 3, 4] at dimension 1"),
    (lambda x: x[2], IndexError, "index 2 is out of bounds for dimension 0 with size 2"),
    (lambda x: x[:, -4], IndexError, "index -4 is out of bounds for dimension 1 with size 3"),
    (lambda x: x[0, 0, 0, 0], IndexError, "too many indices for tensor of dimension 3"),
    (lambda x: x[::-1], ValueError, "step must be greater than zero"),
    (lambda x: x[::0], ValueError, "slice step cannot be zero"),
    (lambda x: x[1.5], IndexError, "only integers, slices (`:`), ellipsis (`...`), None and "
                                   "long or byte Variables are valid indices (got float)"),
    (lambda x: lt.tensor(5).select(0, 0), IndexError, "select() cannot be applied to a 0-dim "
                                                      "tensor."),
    (lambda x: lt.tensor(5)[1:], IndexError, "slice() cannot be applied to a 0-dim tensor."),
    (lambda x: lt.tensor(5)[0], IndexError, "invalid index of a 0-dim tensor. Use "
                                            "`tensor.item()` in Python or `tensor.item<T>()` in "
                                            "C++ to convert a 0-dim tensor to a number"),
    (lambda x: lt.tensor(5)[2], IndexError, "index 2 is out of bounds for dimension 0 with "
                                            "size 0"),
    (lambda x: lt.tensor(5)[lt.tensor(0)], IndexError, "too many indices for tensor of "
                                                       "dimension 0"),
    (lambda x: lt.tensor(5)[[0]], IndexError, "too many indices for tensor of dimension 0"),
    (lambda x: lt.tensor(5)[:, 1], IndexError, "too many indices for tensor of dimension 0"),
    (lambda x: x[0, 0].expand(2, -1, -1), RuntimeError, "The expanded size of the tensor (-1) "
                                                        "isn't allowed in a leading, "
                                                        "non-existing dimension 1"),
])
def test_movement_refusals_raise_at_the_call_and_leave_the_tensor_usable(call, error, message):
    x = lt.tensor(X)
    with pytest.raises(error) as info:
        call(x)
    assert str(info.value).startswith(message)
    assert x.reshape(-1)[5].item() == 5 and x.shape == (2, 3, 4)


def test_setitem_value_must_broadcast_to_the_target():
    x = lt.tensor(F.copy())
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(4\) must match "
                                           r"the existing size \(2\) at non-singleton "
                                           r"dimension 0.  Target sizes: \[4\].  Tensor sizes: "
                                           r"\[2\]"):
        x[0] = lt.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"expand\(torch.FloatTensor\{\[3, 3\]\}, size=\[3\]\)"
                                           ": the number of sizes provided"):
        x[:, 0] = lt.ones(3, 3)
    x[0] = lt.ones(1, 4)                                  # leading size-1 dims are dropped
    assert x[0].tolist() == [1.0] * 4 and x[1].tolist() == F[1].tolist()


def test_setitem_with_a_number_converts_it_as_a_fill():
    x = lt.zeros(3, dtype=lt.uint8)
    x[0] = -1                                    # -255..-1 wrap around, as in PyTorch
    x[1] = 2.7                                   # floats truncate toward zero
    x[2:] = True
    assert x.tolist() == [255, 2, 1]
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8_t without "
                                           "overflow"):
        x[0] = 300
    f = lt.zeros(2)
    with pytest.raises(RuntimeError, match="value cannot be converted to type float without "
                                           "overflow"):
        f[0] = 1e300
    assert x.tolist() == [255, 2, 1] and f.tolist() == [0.0, 0.0]


def test_zero_dim_and_empty_views():
    s = lt.tensor(5)
    assert s.reshape(1).tolist() == [5] and s.view(1, 1).shape == (1, 1)
    assert s.unsqueeze(0).shape == (1,) and s.flatten().shape == (1,)
    assert s.squeeze().shape == () and s.squeeze(0).shape == ()
    assert s.t().shape == () and s[None].shape == (1,) and s[...].shape == ()
    assert s.expand(3).tolist() == [5, 5, 5] and s.transpose(0, -1).shape == ()
    e = lt.zeros(0, 3)
    assert e.view(-1).shape == (0,) and e.view(3, -1).shape == (3, 0)
    assert e.reshape(0, 4, 5).shape == (0, 4, 5) and e.stride() == (3, 1)
    assert lt.tensor([1, 2, 3])[1:].stride() == (1,) and lt.tensor([1, 2, 3])[5:].tolist() == []


def test_split_chunk_unbind():
    x = lt.tensor(F)
    assert [p.tolist() for p in x.split(2)] == [F[:2].tolist(), F[2:].tolist()]
    assert [p.shape for p in x.split([1, 3], 1)] == [(3, 1), (3, 3)]
    assert [p.tolist() for p in x.chunk(2, 1)] == [F[:, :2].tolist(), F[:, 2:].tolist()]
    assert [p.tolist() for p in x.unbind(1)] == [F[:, k].tolist() for k in range(4)]
    with pytest.raises(RuntimeError, match=r"split_with_sizes expects split_sizes to sum "
                                           r"exactly to 4"):
        x.split([1, 2], 1)


@pytest.mark.parametrize("call, error, message", [
    (lambda s: s.roll(1, 0), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (lambda s: s.unbind(0), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (lambda s: s.chunk(2, 0), RuntimeError, "chunk expects at least a 1-dimensional tensor"),
    (lambda s: s.split(1), RuntimeError, "split expects at least a 1-dimensional tensor"),
    (lambda s: s.narrow(0, 0, 1), RuntimeError, "narrow() cannot be applied to a 0-dim tensor."),
])
def test_zero_dim_refusals_use_pytorchs_words(call, error, message):
    s = lt.tensor(2.5)
    with pytest.raises(error) as info:
        call(s)
    assert str(info.value) == message


def test_matrix_transposes_of_other_ranks():
    v = lt.arange(3.0)
    with pytest.raises(RuntimeError, match=r"^tensor.mT is only supported on matrices or batches "
                                           r"of matrices. Got 1-D tensor.$"):
        v.mT
    with pytest.raises(RuntimeError, match=r"^tensor.mH is only supported on matrices"):
        v.mH
    with pytest.raises(RuntimeError, match=r"^tensor.H is only supported on matrices \(2-D "
                                           r"tensors\). Got 1-D tensor.$"):
        v.H
    m = lt.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert m.H.tolist() == m.mH.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    with pytest.raises(RuntimeError, match=r"^t_\(\) expects a tensor with <= 2 dimensions, but "
                                           r"self is 3D$"):
        lt.zeros(2, 3, 4).t_()


def test_real_of_a_real_tensor_is_itself_and_imag_is_refused():
    a = lt.arange(3.0)
    a.real.add_(1)                                          # a itself
    assert a.tolist() == [1.0, 2.0, 3.0] and lt.arange(3).real.tolist() == [0, 1, 2]
    with pytest.raises(RuntimeError, match="^imag is not implemented for tensors with "
                                           "non-complex dtypes.$"):
        a.imag


def test_zero_dim_identities():
    s = lt.tensor(2.5)
    with pytest.warns(UserWarning, match="Tensor.T is deprecated on 0-D tensors"):
        assert s.T.item() == 2.5
    with pytest.warns(UserWarning, match="Tensor.mT is deprecated on 0-D tensors"):
        assert s.mT.item() == 2.5
    assert s.movedim(0, 0).item() == 2.5 and s.roll(3).item() == 2.5
    assert s.nonzero().shape == (1, 0) and lt.tensor(0.0).nonzero().shape == (0, 0)
    assert [t.tolist() for t in s.nonzero(as_tuple=True)] == [[0]]


def test_more_zero_dim_indexing_refusals():
    s, a = lt.tensor(2.5), lt.tensor([[0.2, 0.9], [0.7, 0.1]])
    for index in ((Ellipsis, 1), (Ellipsis, 0), a > 0.5, lt.tensor([True])):
        with pytest.raises(IndexError, match="^too many indices for tensor of dimension 0$"):
            s[index]
    assert s[lt.tensor(True)].tolist() == [2.5] and s[..., None].shape == (1,)


def test_masked_fill_broadcasts_self_but_masked_fill_underscore_does_not():
    c, m = lt.tensor([1.0, 2.0]), lt.tensor([[True, False], [False, True]])
    assert c.masked_fill(m, -1).tolist() == [[-1.0, 2.0], [1.0, -1.0]]
    with pytest.raises(RuntimeError, match=r"output with shape \[2\] doesn't match the broadcast "
                                           r"shape \[2, 2\]"):
        c.masked_fill_(m, -1)
    assert c.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("call, error, message", [
    (lambda: lt.stack([lt.tensor(2.5), lt.tensor([1.0, 2.0])], 1), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    (lambda: lt.zeros(0, 4)[[0, 2]], IndexError, "index is out of bounds for dimension with size 0"),
    (lambda: lt.zeros(0, 4)[lt.tensor([0])], IndexError,
     "index is out of bounds for dimension with size 0"),
    (lambda: lt.zeros(4)[lt.zeros(3, 4) > 0.5], IndexError,
     "too many indices for tensor of dimension 1"),
])
def test_index_and_stack_refusals_in_pytorchs_order(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_masked_fill_names_the_mask_first_when_it_cannot_broadcast():
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of "
                                           r"tensor b \(0\) at non-singleton dimension 0"):
        lt.zeros(0, 4).masked_fill(lt.zeros(3, 4) > 0.5, -1)


def test_advanced_assignment_into_an_empty_dim_uses_pytorchs_words():
    e = lt.zeros(0, 4)
    with pytest.raises(IndexError, match="^index is out of bounds for dimension with size 0$"):
        e[[0, 2]] = 3


def test_advanced_assignment_requires_matching_dtypes_except_a_masked_scalar():
    a, h = lt.zeros(3, 4), lt.ones(3, 4).half()
    with pytest.raises(RuntimeError, match=r"^Index put requires the source and destination "
                                           r"dtypes match, got Float for the destination and "
                                           r"Half for the source\.$"):
        a[[0, 2]] = h[0]
    with pytest.raises(RuntimeError, match="got Float for the destination and Long"):
        a[[0, 2]] = lt.tensor(2)
    a[a == 0] = h[0, 0]                      # a 0-dim value through a mask: masked_fill
    a[[0, 2]] = 3                            # Python scalars convert
    assert a.tolist() == [[3.0] * 4, [1.0] * 4, [3.0] * 4]
    with pytest.raises(IndexError, match="^too many indices for tensor of dimension 1$"):
        lt.zeros(4)[lt.zeros(3, 4) == 0] = True


def test_expanding_a_zero_dim_tensor_with_a_negative_size():
    with pytest.raises(RuntimeError, match="^numel: integer multiplication overflow$"):
        lt.tensor(1.0).expand(2, -1)
    with pytest.raises(RuntimeError, match=r"isn't allowed in a leading, non-existing dimension 1"):
        lt.zeros(3).expand(2, -1, -1)


def test_expand_follows_pytorchs_geometry():
    """PyTorch walks the sizes from the last: a new leading dim of size 1 gets the stride a
    contiguous tensor would have there, and the last wrong dim is the one reported."""
    assert lt.zeros(3).expand(1, 3).stride() == (3, 1)
    assert lt.zeros(3).expand(1, 1, 3).stride() == (3, 3, 1)
    assert lt.zeros(3).expand(2, 1, 3).stride() == (0, 3, 1)
    assert lt.tensor(1.0).expand(1).stride() == (0,)
    with pytest.raises(RuntimeError, match=r"^The expanded size of the tensor \(3\) must match "
                                           r"the existing size \(4\) at non-singleton dimension "
                                           r"1\.  Target sizes: \[1, 3\]\.  Tensor sizes: "
                                           r"\[4, 4\]$"):
        lt.zeros(4, 4).expand(1, 3)
    with pytest.raises(RuntimeError, match="^numel: integer multiplication overflow$"):
        lt.zeros(3).expand(-2, 3)


def test_expand_errors_name_bool_and_bfloat16_by_their_backend_type():
    for dtype, name in ((lt.bool, "CPUBoolType"), (lt.bfloat16, "CPUBFloat16Type"),
                        (lt.float16, "torch.HalfTensor")):
        with pytest.raises(RuntimeError, match=rf"^expand\({name}\{{\[2, 1\]\}}, size=\[1\]\)"):
            lt.zeros(2, 1, dtype=dtype).expand(1)


def test_view_as_the_same_dtype_is_a_view():
    b = lt.zeros(4, 2)[:, 0]
    c = b.view(lt.float32)
    assert c.stride() == (2,) and not c.is_contiguous()
    c[0] = 5
    assert b.tolist() == [5.0, 0.0, 0.0, 0.0]


AS_STRIDED_ERRORS = [       # PyTorch 2.13's messages, for a 10-element float32 storage
    (((20,), (1,)), "setStorage: sizes [20], strides [1], storage offset 0, and itemsize 4 "
                    "requiring a storage size of 80 are out of bounds for storage of size 40"),
    (((2, 3), (3, 1), 5), "setStorage: sizes [2, 3], strides [3, 1], storage offset 5, and "
                          "itemsize 4 requiring a storage size of 44 are out of bounds for "
                          "storage of size 40"),
    (((3,), (-1,)), "as_strided: Negative strides are not supported at the moment, got "
                    "strides: [-1]"),
    (((2,), (1,), -1), "Tensor: invalid storage offset -1"),
    (((2, 3), (1,)), "mismatch in length of strides and shape"),
    (((-1,), (1,)), "Storage size calculation overflowed with sizes=[-1] and strides=[1]"),
]


def test_as_strided_stays_inside_its_storage():
    x = lt.arange(10.)
    for args, message in AS_STRIDED_ERRORS:
        with pytest.raises(RuntimeError) as err:
            x.as_strided(*args)
        assert str(err.value) == message
    # a view of a view counts from the storage's start: [2:] has offset 2
    with pytest.raises(RuntimeError, match="storage offset 2, and itemsize 4 requiring a "
                                           "storage size of 48"):
        x[2:].as_strided((10,), (1,))
    with pytest.raises(RuntimeError, match="out of bounds"):
        x.as_strided((100000,), (1,)).fill_(7.)
    assert x.tolist() == [float(i) for i in range(10)]      # the failed call changed nothing
    assert x.as_strided((5,), (2,), 1).tolist() == [1., 3., 5., 7., 9.]
    assert x[2:].as_strided((8,), (1,)).tolist() == [float(i) for i in range(2, 10)]
    assert x.as_strided((0,), (1,), 100).tolist() == []


def test_the_graph_refuses_a_view_outside_its_source():
    from lazytensor import graph
    src = lt.arange(6.)._node
    with pytest.raises(RuntimeError, match="reaches outside its source"):
        graph.view(src, (4,), (2,), 0)
    with pytest.raises(RuntimeError, match="reaches outside its source"):
        graph.view(src, (3,), (-1,), 1)
    assert graph.view(src, (3,), (-2,), 5).shape == (3,)


def test_exception_classes_and_empty_reductions_as_in_pytorch():
    """Issue 16's "Also" list, against PyTorch 2.13."""
    cases = [
        (lambda: lt.arange(5.).index_select(0, lt.tensor([7])), IndexError,
         "index out of range in self"),
        (lambda: lt.arange(6.).reshape(2, 3).index_select(1, lt.tensor([3])), RuntimeError,
         "INDICES element is out of DATA bounds, id=3 axis_dim=3"),
        (lambda: lt.empty(2**62, 2**62), RuntimeError,
         "Storage size calculation overflowed with sizes=[4611686018427387904, "
         "4611686018427387904]"),
        (lambda: lt.arange(5.).split(0), RuntimeError,
         "split_size can only be 0 if dimension size is 0, but got dimension size of 5"),
        (lambda: lt.arange(5.).chunk(0), RuntimeError,
         "chunk expects `chunks` to be greater than 0, got: 0"),
        (lambda: float(lt.tensor([])), ValueError,
         "only one element tensors can be converted to Python scalars"),
        (lambda: int(lt.tensor([1, 2])), ValueError,
         "only one element tensors can be converted to Python scalars"),
        (lambda: bool(lt.tensor([])), RuntimeError,
         "Boolean value of Tensor with no values is ambiguous"),
        (lambda: lt.tensor(object()), RuntimeError, "Could not infer dtype of object"),
        (lambda: lt.arange(5.)[lt.tensor([1, 2], dtype=lt.int8)], IndexError,
         "tensors used as indices must be long, int, byte or bool tensors"),
    ]
    for fn, error, message in cases:
        with pytest.raises(error) as e:
            fn()
        assert str(e.value) == message
    assert lt.tensor([]).softmax(0).tolist() == []
    assert lt.tensor([]).reshape(2, 0).log_softmax(1).shape == (2, 0)
    assert lt.tensor([]).logsumexp(0).item() == float("-inf")
    assert lt.tensor([]).reshape(0, 3).logsumexp(0).tolist() == [float("-inf")] * 3
    assert [t.shape for t in lt.zeros(0, 2).split(0)] == [(0, 2)]
