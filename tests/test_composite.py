"""Tests for lazytensor/composite.py: repeat, tile, roll, triangles, diagonals, gather and
friends, products, isclose and the new_* factories. Expected values are NumPy's (np.tile is
PyTorch's repeat, np.take_along_axis its gather, ...); messages are PyTorch 2.13's."""
import numpy as np
import pytest

import lazytensor as lt

M = np.arange(12, dtype=np.float32).reshape(3, 4)


def same(t, want):
    want = np.asarray(want)
    got = np.asarray(t)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_repeat_and_tile_copy_like_numpy_tile():
    x = lt.tensor(M)
    same(x.repeat(2, 1), np.tile(M, (2, 1)))
    same(x.repeat(2, 1, 3), np.tile(M, (2, 1, 3)))
    same(lt.tensor([1, 2, 3]).repeat(2), np.tile(np.int64([1, 2, 3]), 2))
    same(x.tile((2,)), np.tile(M, (1, 2)))
    copy = x.repeat(1, 1)
    copy[0, 0] = 100
    assert x[0, 0].item() == 0.0                  # repeat never returns a view
    with pytest.raises(RuntimeError, match="Number of dimensions of repeat dims can not be "
                                           "smaller than number of dimensions of tensor"):
        x.repeat(2)


def test_roll():
    x = lt.tensor(M)
    same(x.roll(1, 1), np.roll(M, 1, 1))
    same(x.roll(-5, 0), np.roll(M, -5, 0))
    same(x.roll((1, 2), (0, 1)), np.roll(M, (1, 2), (0, 1)))
    same(lt.roll(x, 3), np.roll(M, 3))


def test_triangles_and_diagonals():
    x = lt.tensor(M)
    for k in (-1, 0, 2):
        same(x.tril(k), np.tril(M, k))
        same(lt.triu(x, k), np.triu(M, k))
    y = lt.tensor(M)
    assert y.tril_() is y
    same(y, np.tril(M))
    same(lt.diag(lt.tensor([1, 2, 3])), np.diag(np.int64([1, 2, 3])))
    same(lt.diag(lt.tensor([1.0, 2.0]), 1), np.diag(np.float32([1, 2]), 1))
    same(x.diag(-1), np.diag(M, -1))
    same(x.trace(), np.float32(np.trace(M)))
    assert lt.tensor([[1, 2], [3, 4]]).trace().dtype == lt.int64
    with pytest.raises(RuntimeError, match="tril: input tensor must have at least 2 "
                                           "dimensions"):
        lt.ones(3).tril()
    with pytest.raises(RuntimeError, match="trace: expected a matrix, but got tensor with "
                                           "dim 1"):
        lt.ones(3).trace()


def test_picking_elements_by_index():
    x = lt.tensor(M)
    idx = np.array([[0, 3], [2, 2], [1, 0]])
    same(x.gather(1, lt.tensor(idx)), np.take_along_axis(M, idx, 1))
    rows = np.array([[2, 0, 1, 1]])
    same(lt.gather(x, 0, lt.tensor(rows)), np.take_along_axis(M, rows, 0))
    same(x.index_select(1, lt.tensor([3, 0])), M[:, [3, 0]])
    same(lt.index_select(x, 0, lt.tensor([2])), M[[2]])
    mask = M % 3 == 0
    same(x.masked_select(lt.tensor(mask)), M[mask])
    same(x.masked_select(lt.tensor([True, False, False, True])),
         M[np.broadcast_to([True, False, False, True], M.shape)])
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of "
                                           "dimensions as input tensor"):
        x.gather(1, lt.tensor([0]))
    with pytest.raises(IndexError, match=r"index_select\(\): Index is supposed to be a "
                                         "vector"):
        x.index_select(0, lt.tensor([[0]]))
    with pytest.raises(RuntimeError, match=r"index_select\(\): Expected dtype int32 or int64 "
                                           "for index"):
        x.index_select(0, lt.tensor([0.0]))
    with pytest.raises(RuntimeError, match="masked_select: expected BoolTensor for mask"):
        x.masked_select(lt.ones(4))


def test_stacking_broadcasting_and_products():
    a, b = np.float32([1, 2, 3]), np.float32([4, 5])
    same(lt.outer(lt.tensor(a), lt.tensor(b)), np.outer(a, b))
    same(lt.hstack([lt.tensor(a), lt.tensor(b)]), np.hstack([a, b]))
    same(lt.vstack([lt.tensor(a), lt.tensor(a)]), np.vstack([a, a]))
    same(lt.broadcast_to(lt.tensor(a), (2, 3)), np.broadcast_to(a, (2, 3)))
    p = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    q = np.arange(16, dtype=np.float32).reshape(2, 4, 2)
    same(lt.bmm(lt.tensor(p), lt.tensor(q)), p @ q)
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        lt.bmm(lt.ones(2, 2), lt.ones(2, 2))
    with pytest.raises(RuntimeError, match="outer: Expected 1-D argument self, but got 2-D"):
        lt.outer(lt.ones(2, 2), lt.ones(2))


def test_isclose_allclose_equal_nan_to_num_count_nonzero():
    a = np.float32([1.0, 2.0, np.nan, np.inf, 1e-9])
    b = np.float32([1.0 + 1e-6, 2.1, np.nan, np.inf, 0.0])
    same(lt.isclose(lt.tensor(a), lt.tensor(b)), np.isclose(a, b))
    same(lt.tensor(a).isclose(lt.tensor(b), equal_nan=True), np.isclose(a, b, equal_nan=True))
    assert lt.allclose(lt.tensor([1.0, 2.0]), lt.tensor([1.0, 2.0 + 1e-7])) is True
    assert lt.allclose(lt.tensor([1.0]), lt.tensor([1.1])) is False
    assert lt.equal(lt.tensor([1, 2]), lt.tensor([1, 2])) is True
    assert lt.equal(lt.tensor([1, 2]), lt.tensor([1, 2, 3])) is False
    with pytest.raises(RuntimeError, match="Float did not match Double"):
        lt.isclose(lt.ones(2), lt.ones(2, dtype=lt.float64))
    c = np.float32([np.nan, np.inf, -np.inf, 1.5])
    same(lt.tensor(c).nan_to_num(), np.nan_to_num(c))
    same(lt.nan_to_num(lt.tensor(c), nan=1.0, posinf=2.0, neginf=-2.0),
         np.nan_to_num(c, nan=1.0, posinf=2.0, neginf=-2.0))
    same(lt.count_nonzero(lt.tensor(M)), np.int64(np.count_nonzero(M)))
    same(lt.tensor(M).count_nonzero(0), np.count_nonzero(M, axis=0).astype(np.int64))


def test_new_factories_take_dtype_and_device_from_the_tensor():
    x = lt.ones(2, dtype=lt.float64)
    same(x.new_zeros(2, 3), np.zeros((2, 3)))
    same(x.new_ones((3,)), np.ones(3))
    same(x.new_full((2,), 7), np.full(2, 7.0))
    same(x.new_tensor([1, 2]), np.float64([1, 2]))
    assert x.new_empty(4).shape == (4,) and x.new_empty(4).dtype == lt.float64
    assert x.new_zeros(2, dtype=lt.int32).dtype == lt.int32
    assert x.ndimension() == 1 and x.is_signed() and not lt.tensor([True]).is_signed()


# -- scatter family (lazytensor/mutation.py) and cummax/cummin (lazytensor/sorting.py) ----------
def test_scatter_examples_from_pytorchs_documentation():
    src = lt.arange(1, 11).reshape((2, 5))
    out = lt.zeros(3, 5, dtype=src.dtype)
    assert out.scatter_(0, lt.tensor([[0, 1, 2, 0]]), src) is out
    assert out.tolist() == [[1, 0, 0, 4, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]]
    assert lt.zeros(3, 5, dtype=src.dtype).scatter(
        1, lt.tensor([[0, 1, 2], [0, 1, 4]]), src).tolist() == [[1, 2, 3, 0, 0],
                                                               [6, 7, 0, 0, 8],
                                                               [0, 0, 0, 0, 0]]
    doubled = lt.full((2, 4), 2.).scatter_(1, lt.tensor([[2], [3]]), 1.23, reduce="multiply")
    np.testing.assert_allclose(np.asarray(doubled), [[2, 2, 2.46, 2], [2, 2, 2, 2.46]],
                               rtol=1e-6)
    ones = lt.ones((2, 5))
    assert lt.zeros(3, 5).scatter_add_(0, lt.tensor([[0, 1, 2, 0, 0], [0, 1, 2, 2, 2]]),
                                       ones).tolist() == [[2, 0, 0, 1, 1], [0, 2, 0, 0, 0],
                                                          [0, 0, 2, 1, 1]]
    base = lt.zeros(5)
    assert lt.scatter_add(base, 0, lt.tensor([0, 1, 0, 4]), lt.ones(4)).tolist() == \
        [2.0, 1.0, 0.0, 0.0, 1.0]
    assert base.tolist() == [0.0] * 5


def test_scatter_refusals_leave_the_tensor_as_it_was():
    x = lt.zeros(3)
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 0 with "
                                           "size 3"):
        x.scatter_(0, lt.tensor([5]), 1.0)
    assert x.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of "
                                           "dimensions as self tensor"):
        lt.zeros(3, 3).scatter(0, lt.tensor([1]), 1.0)
    with pytest.raises(RuntimeError, match=r"scatter\(\): Expected dtype int32/int64 for "
                                           "index"):
        x.scatter(0, lt.tensor([1.0]), 1.0)
    with pytest.raises(RuntimeError, match=r"Expected index \[2\] to be no larger than self "
                                           r"\[3\] apart from dimension 0 and to be no larger "
                                           r"size than src \[1\]"):
        x.scatter(0, lt.tensor([1, 2]), lt.ones(1))


def test_cummax_and_cummin_move_to_the_later_of_equal_values_and_stop_at_nan():
    v, i = lt.tensor([1, 1, 0, 2, 2]).cummax(0)
    assert v.tolist() == [1, 1, 1, 2, 2] and i.tolist() == [0, 1, 1, 3, 4]
    v, i = lt.cummax(lt.tensor([3.0, float("nan"), 1.0, 5.0]), 0)
    assert np.isnan(np.asarray(v)[1:]).all() and i.tolist() == [0, 1, 1, 1]
    v, i = lt.tensor([2, 2, 3, 1, 1]).cummin(0)
    assert v.tolist() == [2, 2, 2, 1, 1] and i.tolist() == [0, 1, 1, 3, 4]
    m = np.float32([[1, 3, 2], [4, 0, 5]])
    v, i = lt.tensor(m).cummax(1)
    same(v, np.maximum.accumulate(m, axis=1))
    assert i.tolist() == [[0, 1, 1], [0, 0, 2]]


def test_grids_differences_flips_and_rotations_match_numpy():
    a, b = np.int64([1, 2]), np.int64([3, 4, 5])
    for indexing in ("ij", "xy"):
        got = lt.meshgrid(lt.tensor(a), lt.tensor(b), indexing=indexing)
        for g, w in zip(got, np.meshgrid(a, b, indexing=indexing)):
            same(g, w)
    with pytest.warns(UserWarning, match="it will be required to pass the indexing argument"):
        lt.meshgrid(lt.tensor(a), lt.tensor(b))
    v = np.int64([1, 4, 9, 16, 30])
    same(lt.tensor(v).diff(), np.diff(v))
    same(lt.diff(lt.tensor(v), n=2), np.diff(v, n=2))
    same(lt.tensor(M).diff(dim=0), np.diff(M, axis=0))
    same(lt.tensor(v).diff(prepend=lt.tensor([0]), append=lt.tensor([31])),
         np.diff(v, prepend=0, append=31))
    same(lt.tensor([True, False, False]).diff(), np.diff(np.array([True, False, False])))
    x = lt.tensor(M)
    same(x.fliplr(), np.fliplr(M))
    same(lt.flipud(x), np.flipud(M))
    for k in range(-1, 5):
        same(x.rot90(k), np.rot90(M, k))
    same(lt.rot90(x, 1, (1, 0)), np.rot90(M, 1, (1, 0)))
    same(x.take(lt.tensor([[0, 11], [5, -1]])), np.take(M, [[0, 11], [5, -1]]))
    with pytest.raises(IndexError, match="out of range: tried to access index 12 on a tensor "
                                         "of 12 elements."):
        x.take(lt.tensor([12]))


def test_nan_reductions_moments_and_bincount_match_numpy():
    v = np.float32([1.0, np.nan, 3.0, 4.5])
    same(lt.tensor(v).nansum(), np.float32(np.nansum(v)))
    same(lt.nanmean(lt.tensor(v)), np.float32(np.nanmean(v)))
    m = np.float32([[1, np.nan], [np.nan, np.nan]])
    np.testing.assert_array_equal(np.asarray(lt.tensor(m).nanmean(1)), [1.0, np.nan])
    std, mean = lt.std_mean(lt.tensor([1.0, 2.0, 4.0]))
    np.testing.assert_allclose([std.item(), mean.item()],
                               [np.std([1, 2, 4], ddof=1), np.mean([1, 2, 4])], rtol=1e-6)
    var, _ = lt.var_mean(lt.tensor(M), 1)
    np.testing.assert_allclose(np.asarray(var), np.var(M, axis=1, ddof=1), rtol=1e-6)
    c = np.int64([0, 1, 1, 3, 7])
    same(lt.bincount(lt.tensor(c)), np.bincount(c))
    same(lt.tensor(c).bincount(minlength=10), np.bincount(c, minlength=10))
    w = np.float32([0.5, 1, 2, 3, 4])
    same(lt.bincount(lt.tensor(c), lt.tensor(w)), np.bincount(c, w).astype(np.float32))
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral "
                                           "inputs."):
        lt.bincount(lt.tensor([-1]))


def test_histc_counts_as_pytorch():
    """Bins by PyTorch's linear formula in the tensor's dtype (values printed by PyTorch
    2.13): 0.3 * 10 and 0.7 * 10 round up in float32 and land in bins 3 and 7; the top edge
    is in the last bin; NaN and values outside are not counted."""
    x = lt.tensor([0.1, 0.2, 0.3, 0.7, 0.9999, 1.0])
    assert lt.histc(x, 10, 0, 1).tolist() == [0, 1, 1, 1, 0, 0, 0, 1, 0, 2]
    y = lt.tensor([1.0, 2, 1, 2.5, 4, -1, float("nan")])
    assert lt.histc(y, bins=4, min=0, max=3).tolist() == [0, 2, 1, 1]
    assert lt.tensor([1.0, 2, 1]).histc(4).tolist() == [2, 0, 0, 1]     # range from the data
    assert lt.histc(lt.tensor([5.0]), 3).tolist() == [0, 1, 0]           # min == max: ±1
    assert lt.histc(lt.tensor([1.0, 2.0]).half(), 3).dtype == lt.float16
    with pytest.raises(NotImplementedError, match='"histogram_cpu" not implemented for '
                                                  "'Long'"):
        lt.histc(lt.tensor([1, 2]), 3)
    with pytest.raises(RuntimeError, match=r"^torch.histc: range of \[-nan, -nan\] is not "
                                           r"finite$"):
        lt.histc(lt.tensor([1.0, float("nan")]), 3)
    with pytest.raises(RuntimeError, match="^torch.histc: max must be larger than min$"):
        lt.histc(lt.tensor([1.0, 2.0]), 3, 2, 1)
