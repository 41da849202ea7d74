"""unique, sort, argsort and topk against PyTorch.

Every expected value below was printed by PyTorch 2.13 (CPU) for the same call; torch is not
imported. Equal elements are ordered as PyTorch's CPU kernels order them (libstdc++'s
std::sort / nth_element / partial_sort), so the tie cases check indices exactly.
"""
import math

import numpy as np
import pytest

import lazytensor as lt

NAN = float("nan")
F = [[2.5, -1., 2.5], [0., NAN, -0.], [1., 1., -3.]]
TIES = [(i * 7) % 5 for i in range(20)]       # 20 elements: std::sort's introsort, not stable


def same(values, expected):
    """Equal lists, NaN equal to NaN and the sign of zero checked."""
    a = np.asarray(values, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    assert a.shape == b.shape
    assert np.array_equal(a, b, equal_nan=True), (values, expected)
    assert np.array_equal(np.signbit(a), np.signbit(b)), (values, expected)


# -- unique ---------------------------------------------------------------------------------------
def test_unique_sorted_with_inverse_and_counts():
    x = lt.tensor([3, 1, 2, 3, 1, 5])
    assert lt.unique(x).tolist() == [1, 2, 3, 5]
    assert x.unique(sorted=False).tolist() == [1, 2, 3, 5]      # CPU unique always sorts
    values, inverse = lt.unique(x, return_inverse=True)
    assert inverse.tolist() == [2, 0, 1, 2, 0, 3] and inverse.dtype is lt.int64
    values, counts = lt.unique(x, return_counts=True)
    assert counts.tolist() == [2, 1, 2, 1]
    out = lt.unique(x, return_inverse=True, return_counts=True)
    assert isinstance(out, tuple) and len(out) == 3
    assert [t.tolist() for t in out] == [[1, 2, 3, 5], [2, 0, 1, 2, 0, 3], [2, 1, 2, 1]]
    # the inverse has the input's shape
    assert lt.unique(lt.tensor([[1, 3], [3, 1]]), return_inverse=True)[1].tolist() == \
        [[0, 1], [1, 0]]


def test_unique_floats_nan_and_signed_zero():
    values, inverse, counts = lt.unique(lt.tensor(F), return_inverse=True, return_counts=True)
    same(values.tolist(), [-3.0, -1.0, 0.0, 1.0, 2.5, NAN])      # +0 shown, as PyTorch
    assert inverse.tolist() == [[4, 1, 4], [2, 5, 2], [3, 3, 0]]
    assert counts.tolist() == [1, 1, 2, 2, 2, 1]
    assert repr(values) == "tensor([-3.0000, -1.0000,  0.0000,  1.0000,  2.5000,     nan])"
    # each NaN is its own value
    values, counts = lt.unique(lt.tensor([NAN, 1., NAN]), return_counts=True)
    same(values.tolist(), [1., NAN, NAN])
    assert counts.tolist() == [1, 1, 1]
    same(lt.unique(lt.tensor([2., -0., 0., 1.])).tolist(), [-0., 1., 2.])


def test_unique_dtypes_scalars_and_empty():
    assert repr(lt.unique(lt.tensor([True, False, True]), return_counts=True)) == \
        "(tensor([False,  True]), tensor([1, 2]))"
    values, inverse = lt.unique(lt.tensor([1.5, 0.5, 1.5], dtype=lt.bfloat16),
                                return_inverse=True)
    assert repr(values) == "tensor([0.5000, 1.5000], dtype=lazytensor.bfloat16)"
    assert inverse.tolist() == [1, 0, 1]
    out = lt.unique(lt.tensor(7), return_inverse=True, return_counts=True)
    assert repr(out) == "(tensor([7]), tensor(0), tensor([1]))"
    values, inverse, counts = lt.unique(lt.tensor([], dtype=lt.int64), return_inverse=True,
                                        return_counts=True)
    assert values.shape == (0,) and inverse.shape == (0,) and counts.shape == (0,)


def test_unique_dim():
    m = lt.tensor([[1, 2], [3, 4], [1, 2], [0, 9]])
    rows, inverse, counts = lt.unique(m, dim=0, return_inverse=True, return_counts=True)
    assert rows.tolist() == [[0, 9], [1, 2], [3, 4]]
    assert inverse.tolist() == [1, 2, 1, 0] and counts.tolist() == [1, 2, 1]
    assert lt.unique(m, dim=1).tolist() == m.tolist()
    assert lt.unique(m, dim=-1, return_inverse=True)[1].tolist() == [0, 1]
    assert lt.unique(lt.zeros(0, 2), dim=0).shape == (0, 2)
    with pytest.raises(RuntimeError, match="^There are 0 sized dimensions, and they aren't "
                                           "selected, so unique cannot be applied$"):
        lt.unique(lt.zeros(2, 0), dim=0)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-2, 1\], but got 2"):
        lt.unique(m, dim=2)


# -- sort and argsort -----------------------------------------------------------------------------
def test_sort_values_indices_and_repr():
    x = lt.tensor([3, 1, 2, 3, 1, 5])
    s = lt.sort(x)
    assert type(s).__name__ == "sort" and s._fields == ("values", "indices")
    assert s.values.tolist() == [1, 1, 2, 3, 3, 5] and s.indices.tolist() == [1, 4, 2, 0, 3, 5]
    assert s[0] is s.values and s.indices.dtype is lt.int64
    assert repr(x.sort(descending=True)) == (
        "lazytensor.return_types.sort(\n"
        "values=tensor([5, 3, 3, 2, 1, 1]),\n"
        "indices=tensor([5, 0, 3, 2, 1, 4]))")
    values, indices = lt.sort(x, 0, True)
    assert indices.tolist() == [5, 0, 3, 2, 1, 4]


def test_sort_nan_last_ascending_first_descending():
    s = lt.sort(lt.tensor(F), descending=True)
    same(s.values.tolist(), [[2.5, 2.5, -1.0], [NAN, 0.0, -0.0], [1.0, 1.0, -3.0]])
    assert s.indices.tolist() == [[0, 2, 1], [1, 0, 2], [0, 1, 2]]
    s = lt.sort(lt.tensor(F), dim=0)
    same(s.values.tolist(), [[0.0, -1.0, -3.0], [1.0, 1.0, -0.0], [2.5, NAN, 2.5]])
    assert s.indices.tolist() == [[1, 0, 2], [2, 2, 1], [0, 1, 0]]
    b = lt.tensor([1., -2., NAN, -math.inf, 0.5], dtype=lt.bfloat16)
    s = b.sort(descending=True)
    same(s.values.tolist(), [NAN, 1.0, 0.5, -2.0, -math.inf])
    assert s.values.dtype is lt.bfloat16
    assert s.indices.tolist() == [2, 0, 4, 1, 3]
    s = lt.sort(lt.tensor([3, 1, 2, 200], dtype=lt.uint8), descending=True)
    assert s.values.tolist() == [200, 3, 2, 1] and s.indices.tolist() == [3, 0, 2, 1]


def test_sort_ties_follow_pytorchs_std_sort_unless_stable():
    x = lt.tensor(TIES)
    assert lt.sort(x).indices.tolist() == [
        0, 5, 15, 10, 18, 3, 13, 8, 1, 16, 11, 6, 9, 14, 4, 19, 12, 7, 17, 2]
    assert lt.sort(x, descending=True).indices.tolist() == [2, 17, 7, 12, 19, 4, 14, 9, 1, 16,
                                                            11, 6, 8, 13, 3, 18, 10, 15, 5, 0]
    assert lt.sort(x, descending=True, stable=True).indices.tolist() == [
        2, 7, 12, 17, 4, 9, 14, 19, 1, 6, 11, 16, 3, 8, 13, 18, 0, 5, 10, 15]
    assert lt.argsort(x.float()).tolist() == lt.sort(x).indices.tolist()
    # up to 16 elements std::sort is an insertion sort: stable
    assert lt.argsort(lt.tensor([2, 1, 2, 1, 2]), descending=True).tolist() == [0, 2, 4, 1, 3]


def test_sort_edge_cases():
    # an expanded dim is left in place, indices 0..n-1
    assert lt.sort(lt.tensor([3.]).expand(20)).indices.tolist() == list(range(20))
    assert repr(lt.sort(lt.tensor(3.))) == ("lazytensor.return_types.sort(\n"
                                            "values=tensor(3.),\nindices=tensor(0))")
    s = lt.sort(lt.tensor([]))
    assert s.values.shape == (0,) and s.indices.dtype is lt.int64
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 2"):
        lt.sort(lt.tensor([1, 2]), dim=2)
    with pytest.raises(TypeError, match=r"^sort\(\): argument 'input' \(position 1\) must be "
                                        r"Tensor, not list$"):
        lt.sort([1, 2])


def test_sort_reads_the_value_at_call_time():
    x = lt.tensor([3., 1., 2.])
    s = x.sort()
    x[0] = -10.
    assert s.values.tolist() == [1., 2., 3.] and s.indices.tolist() == [1, 2, 0]


# -- topk -----------------------------------------------------------------------------------------
def test_topk_values_indices_and_ties():
    x = lt.tensor([3, 1, 2, 3, 1, 5])
    assert repr(lt.topk(x, 3)) == ("lazytensor.return_types.topk(\n"
                                   "values=tensor([5, 3, 3]),\nindices=tensor([5, 3, 0]))")
    t = lt.tensor(TIES)
    assert t.topk(5).indices.tolist() == [17, 7, 12, 2, 19]
    assert t.topk(5).values.tolist() == [4, 4, 4, 4, 3]
    assert t.topk(5, largest=False).indices.tolist() == [5, 10, 15, 0, 3]
    unsorted = t.topk(6, sorted=False)
    assert unsorted.indices.tolist() == [17, 7, 12, 2, 19, 9]
    assert unsorted.values.tolist() == [4, 4, 4, 4, 3, 3]
    y = lt.tensor([float((i * 3) % 4) for i in range(200)])      # k * 64 <= n: partial_sort
    assert y.topk(3).indices.tolist() == [9, 1, 5]


def test_topk_floats_dims_and_errors():
    t = lt.topk(lt.tensor(F), 2)
    same(t.values.tolist(), [[2.5, 2.5], [NAN, 0.0], [1.0, 1.0]])
    assert t.indices.tolist() == [[0, 2], [1, 0], [0, 1]]
    assert lt.topk(lt.tensor(F), 1, dim=0, largest=False).indices.tolist() == [[1, 0, 2]]
    assert repr(lt.topk(lt.tensor(3.), 1)) == ("lazytensor.return_types.topk(\n"
                                               "values=tensor(3.),\nindices=tensor(0))")
    empty = lt.topk(lt.tensor([3, 1]), 0)
    assert empty.values.shape == (0,) and empty.values.dtype is lt.int64
    for k in (3, -1):
        with pytest.raises(RuntimeError, match="^selected index k out of range$"):
            lt.topk(lt.tensor([3, 1]), k)
    with pytest.raises(RuntimeError, match="^topk does not support bool dtypes on CPU$"):
        lt.topk(lt.tensor([True, False]), 1)


# -- median: values and indices as PyTorch 2.13 prints them -----------------------------------
def test_median_of_all_values_is_the_lower_median():
    assert lt.tensor([3.0, 1.0, 2.0, 5.0]).median().item() == 2.0
    assert lt.tensor([4, 1, 3]).median().item() == 3 and lt.tensor(2.5).median().item() == 2.5
    assert math.isnan(lt.tensor([1.0, float("nan"), 2.0]).median().item())
    assert math.isnan(lt.zeros(0).median().item())
    assert lt.zeros(0, dtype=lt.int64).median().item() == -2 ** 63
    with pytest.raises(NotImplementedError, match='"median_cpu" not implemented for \'Bool\''):
        lt.tensor([True, False]).median()


def test_median_along_a_dim_picks_pytorchs_indices():
    r = lt.tensor([2.0, 1.0, 2.0, 1.0]).median(0)           # ties: (value, index) order
    assert (r.values.item(), r.indices.item()) == (1.0, 3)
    r = lt.tensor([[1.0, float("nan")], [2.0, 3.0]]).median(1)  # a NaN is the median
    assert r.indices.tolist() == [1, 0] and math.isnan(r.values.tolist()[0])
    x = lt.tensor([[0.5, 0.1, 0.9, 0.3], [0.2, 0.8, 0.6, 0.4]])
    r = x.median(1, keepdim=True)
    assert r.values.tolist() == [[0.30000001192092896], [0.4000000059604645]]
    assert r.indices.tolist() == [[3], [3]] and type(r).__name__ == "median"
    assert lt.median(x, 0).indices.tolist() == [1, 0, 1, 0]
    with pytest.raises(IndexError, match=r"median\(\): Expected reduction dim 0 to have non-zero"):
        lt.zeros(0, 3).median(0)
    with pytest.raises(TypeError, match="median\\(\\): argument 'dim' must be int, not tuple"):
        x.median(dim=(0,))


# -- kthvalue: PyTorch's quickselect decides which of equal values is returned ------------------
def test_kthvalue_values_and_indices_as_pytorch_prints_them():
    r = lt.kthvalue(lt.tensor([[3, 1, 2], [1, 1, 1]]), 2)
    assert r.values.tolist() == [2, 1] and r.indices.tolist() == [2, 0]
    assert type(r).__name__ == "kthvalue"
    t = lt.tensor(TIES, dtype=lt.float32)
    assert (t.kthvalue(7).values.item(), t.kthvalue(7).indices.item()) == (1.0, 13)
    assert (t.kthvalue(13).values.item(), t.kthvalue(13).indices.item()) == (3.0, 14)
    x = lt.tensor([NAN, 1.0, 1.0, 0.0, 1.0, NAN])               # NaN counts as the largest
    assert math.isnan(x.kthvalue(5).values.item()) and x.kthvalue(5).indices.item() == 0
    assert (x.kthvalue(3).values.item(), x.kthvalue(3).indices.item()) == (1.0, 1)
    m = lt.tensor([[1.0, 2.0], [0.5, 7.0]])
    r = m.kthvalue(2, dim=0)
    assert r.values.tolist() == [1.0, 7.0] and r.indices.tolist() == [0, 1]
    r = lt.kthvalue(m, 1, keepdim=True)
    assert r.values.tolist() == [[1.0], [0.5]] and r.indices.tolist() == [[0], [0]]
    r = lt.tensor(3.5).kthvalue(1)
    assert (r.values.item(), r.indices.item(), r.indices.shape) == (3.5, 0, ())


def test_kthvalue_matches_a_sort_without_ties():
    a = np.random.default_rng(3).standard_normal((4, 9)).astype(np.float32)
    r = lt.tensor(a).kthvalue(4, 1)
    assert r.indices.tolist() == np.argsort(a, axis=1)[:, 3].tolist()
    assert r.values.tolist() == np.sort(a, axis=1)[:, 3].tolist()


def test_kthvalue_errors_in_pytorchs_words():
    x = lt.tensor([1.0, 2.0])
    for k in (0, 3):
        with pytest.raises(RuntimeError, match=r"^kthvalue\(\): selected number k out of range "
                                               r"for dimension 0$"):
            x.kthvalue(k)
    with pytest.raises(IndexError, match=r"kthvalue\(\): Expected reduction dim 0 to have "
                                         r"non-zero size\."):
        lt.zeros(0).kthvalue(1)
    assert lt.zeros(2, 0).kthvalue(1, 0).values.shape == (0,)
    with pytest.raises(NotImplementedError, match='"kthvalue_cpu" not implemented for \'Bool\''):
        lt.tensor([True, False]).kthvalue(1)
    with pytest.raises(TypeError, match=r"argument 'k' \(position 2\) must be int, not float"):
        x.kthvalue(1.0)
    with pytest.raises(TypeError, match='missing 1 required positional arguments: "k"'):
        x.kthvalue()


# -- searchsorted / bucketize: NumPy's searchsorted, row by row -------------------------------
def test_searchsorted_and_bucketize():
    seq = lt.tensor([1, 3, 5, 7, 9])
    v = lt.tensor([[3, 6, 9], [3, 6, 9]])
    assert lt.searchsorted(seq, v).tolist() == [[1, 3, 4], [1, 3, 4]]
    assert lt.searchsorted(seq, v, right=True).tolist() == [[2, 3, 5], [2, 3, 5]]
    rows = lt.tensor([[1, 3, 5, 7, 9], [2, 4, 6, 8, 10]])
    assert lt.searchsorted(rows, v).tolist() == [[1, 3, 4], [1, 2, 4]]
    r = lt.searchsorted(lt.tensor([1.0, 3.0]), 2.5)
    assert r.shape == () and r.item() == 1
    r = lt.searchsorted(lt.tensor([1.0, 3.0]), lt.tensor([NAN, 3.0]), side="right",
                        out_int32=True)
    assert r.dtype == lt.int32 and r.tolist() == [2, 2]
    assert lt.bucketize(v, seq).tolist() == [[1, 3, 4], [1, 3, 4]]
    assert lt.bucketize(lt.tensor([3, 6, 9]), seq, right=True).tolist() == [2, 3, 5]
    with pytest.raises(RuntimeError, match="side and right can't be set to opposites"):
        lt.searchsorted(seq, v, side="left", right=True)
    with pytest.raises(RuntimeError, match=r"^boundaries tensor must be 1 dimension, but got "
                                           r"dim\(2\)$"):
        lt.bucketize(v, rows)


def test_nanmedian_skips_nans_with_pytorchs_indices():
    x = lt.tensor([[NAN, 1.0, 3.0, 2.0], [NAN, NAN, NAN, NAN], [2.0, NAN, 2.0, 1.0],
                   [5.0, 4.0, 4.0, NAN]])
    r = x.nanmedian(1)                                   # as PyTorch 2.13 prints them
    same(r.values.tolist(), [2.0, NAN, 2.0, 4.0])
    assert r.indices.tolist() == [3, 2, 0, 2] and type(r).__name__ == "nanmedian"
    r = lt.nanmedian(x, 0)
    assert r.values.tolist() == [2.0, 1.0, 3.0, 1.0] and r.indices.tolist() == [2, 0, 0, 2]
    assert x.nanmedian().item() == 2.0 and math.isnan(lt.tensor([NAN, NAN]).nanmedian().item())
    assert lt.tensor([3, 1, 2]).nanmedian().item() == 2
    with pytest.raises(IndexError, match=r"median\(\): Expected reduction dim 1 to have"):
        lt.zeros(2, 0).nanmedian(1)


def test_mode_picks_pytorchs_value_and_index():
    x = lt.tensor([[1.0, 2.0, 2.0, 1.0, 3.0], [3.0, 3.0, 1.0, 1.0, 2.0], [5.0, 4.0, 3.0, 2.0, 1.0],
                   [NAN, NAN, 1.0, 1.0, NAN], [0.0, -0.0, 0.0, 2.0, 2.0]])
    r = x.mode(1)                                        # as PyTorch 2.13 prints them
    assert r.values.tolist() == [1.0, 1.0, 1.0, 1.0, 0.0] and r.indices.tolist() == [3, 3, 4, 3, 2]
    assert type(r).__name__ == "mode"
    r = lt.mode(x, 0)
    same(r.values.tolist(), [0.0, -0.0, 1.0, 1.0, 1.0])
    assert r.indices.tolist() == [4, 4, 3, 3, 2]
    r = lt.tensor([True, False, True]).mode()
    assert (r.values.item(), r.indices.item()) == (True, 2)
    with pytest.raises(IndexError, match=r"^mode\(\): Expected reduction dim 0 to have non-zero"):
        lt.zeros(0).mode()
