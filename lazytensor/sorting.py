"""Sorting and set ops, with PyTorch's CPU order for equal elements.

sort/argsort/topk have a known shape and stay lazy as externs (the indices are one extern,
the values a gather of the input by them); unique's shape depends on the data, so it
realises its input, as PyTorch must too.

Ties. PyTorch's CPU kernels order with libstdc++: std::sort for sort(stable=False) and for
unique, std::stable_sort for stable=True, std::nth_element + std::sort or std::partial_sort
for topk. A 1-D integer tensor of 32,768 or more elements sorted ascending is the exception:
PyTorch radix-sorts it, which is stable. NaN sorts above +inf and all NaNs are equal to each
other; -0.0 equals 0.0.

The C++ kernels (codegen/sort_kernel.py, templates/c/sort.cpp) run those libstdc++
algorithms themselves. Where they cannot be built (no C++ compiler), the Python below gives
the same indices: a row without ties is ordered by NumPy (only the order of equal elements
depends on the algorithm), and a row with ties replays the libstdc++ algorithm (`_stl`) on
(rank, index) pairs.
"""
import numpy as np

from . import dtypes, graph, ops
from .codegen import sort_kernel
from .composite import gather
from .creation import full, tensor_from_values
from .dtypes import int64
from .ops import normalize_dim
from .reductions import return_types
from .tensor import Tensor, wrap

_THRESHOLD = 16                       # libstdc++'s _S_threshold
RADIX_MIN = 32_768                    # ATen's GRAIN_SIZE: from here 1-D integers radix-sort


# -- libstdc++'s algorithms on a list, `less` the comparator ----------------------------------
class _stl:
    """std::sort, std::nth_element and std::partial_sort as libstdc++ implements them, so
    equal elements end where PyTorch's CPU kernels put them."""

    @staticmethod
    def lg(n):
        return n.bit_length() - 1

    @staticmethod
    def insertion_sort(v, first, last, less):
        for i in range(first + 1, last):
            val = v[i]
            if less(val, v[first]):
                v[first + 1:i + 1] = v[first:i]
                v[first] = val
            else:
                _stl.linear_insert(v, i, less)

    @staticmethod
    def linear_insert(v, last, less):
        val, nxt = v[last], last - 1
        while less(val, v[nxt]):
            v[last] = v[nxt]
            last, nxt = nxt, nxt - 1
        v[last] = val

    @staticmethod
    def median_to_first(v, result, a, b, c, less):
        if less(v[a], v[b]):
            m = b if less(v[b], v[c]) else (c if less(v[a], v[c]) else a)
        else:
            m = a if less(v[a], v[c]) else (c if less(v[b], v[c]) else b)
        v[result], v[m] = v[m], v[result]

    @staticmethod
    def partition_pivot(v, first, last, less):
        _stl.median_to_first(v, first, first + 1, first + (last - first) // 2, last - 1, less)
        pivot, lo, hi = v[first], first + 1, last
        while True:
            while less(v[lo], pivot):
                lo += 1
            hi -= 1
            while less(pivot, v[hi]):
                hi -= 1
            if not lo < hi:
                return lo
            v[lo], v[hi] = v[hi], v[lo]
            lo += 1

    @staticmethod
    def push_heap(v, base, hole, top, value, less):
        parent = (hole - 1) // 2
        while hole > top and less(v[base + parent], value):
            v[base + hole] = v[base + parent]
            hole = parent
            parent = (hole - 1) // 2
        v[base + hole] = value

    @staticmethod
    def adjust_heap(v, base, hole, length, value, less):
        top = child = hole
        while child < (length - 1) // 2:
            child = 2 * (child + 1)
            if less(v[base + child], v[base + child - 1]):
                child -= 1
            v[base + hole] = v[base + child]
            hole = child
        if length % 2 == 0 and child == (length - 2) // 2:
            child = 2 * (child + 1)
            v[base + hole] = v[base + child - 1]
            hole = child - 1
        _stl.push_heap(v, base, hole, top, value, less)

    @staticmethod
    def make_heap(v, first, last, less):
        length = last - first
        if length < 2:
            return
        for parent in range((length - 2) // 2, -1, -1):
            _stl.adjust_heap(v, first, parent, length, v[first + parent], less)

    @staticmethod
    def pop_heap(v, first, last, result, less):
        value = v[result]
        v[result] = v[first]
        _stl.adjust_heap(v, first, 0, last - first, value, less)

    @staticmethod
    def heap_select(v, first, middle, last, less):
        _stl.make_heap(v, first, middle, less)
        for i in range(middle, last):
            if less(v[i], v[first]):
                _stl.pop_heap(v, first, middle, i, less)

    @staticmethod
    def partial_sort(v, first, middle, last, less):
        _stl.heap_select(v, first, middle, last, less)
        while middle - first > 1:                     # std::__sort_heap
            middle -= 1
            _stl.pop_heap(v, first, middle, middle, less)

    @staticmethod
    def introsort_loop(v, first, last, depth, less):
        while last - first > _THRESHOLD:
            if depth == 0:
                _stl.partial_sort(v, first, last, last, less)
                return
            depth -= 1
            cut = _stl.partition_pivot(v, first, last, less)
            _stl.introsort_loop(v, cut, last, depth, less)
            last = cut

    @staticmethod
    def sort(v, first, last, less):
        if last - first < 2:
            return
        _stl.introsort_loop(v, first, last, 2 * _stl.lg(last - first), less)
        if last - first > _THRESHOLD:
            _stl.insertion_sort(v, first, first + _THRESHOLD, less)
            for i in range(first + _THRESHOLD, last):
                _stl.linear_insert(v, i, less)
        else:
            _stl.insertion_sort(v, first, last, less)

    @staticmethod
    def nth_element(v, first, nth, last, less):
        if first == last or nth == last:
            return
        depth = 2 * _stl.lg(last - first)
        while last - first > 3:
            if depth == 0:
                _stl.heap_select(v, first, nth + 1, last, less)
                v[first], v[nth] = v[nth], v[first]
                return
            depth -= 1
            cut = _stl.partition_pivot(v, first, last, less)
            if cut <= nth:
                first = cut
            else:
                last = cut
        _stl.insertion_sort(v, first, last, less)


def _key_less(a, b):
    return a[0] < b[0]


# -- ranks: the comparisons PyTorch makes, as integers ------------------------------------------
def _comparable(a, dtype):
    """The values of a stored array as NumPy compares them (bfloat16 bits widened)."""
    if dtype is dtypes.bfloat16:
        return (a.astype(np.uint32) << 16).view(np.float32)
    return a


def _ranks(a, dtype, descending):
    """Integer keys, ascending in the order the comparator sorts: equal values share a key,
    NaN ranks above everything (first when descending)."""
    _, inverse = np.unique(_comparable(a, dtype), return_inverse=True)
    inverse = inverse.reshape(a.shape).astype(np.int64)
    return -inverse if descending else inverse


def _rows(a, d):
    """a with axis d last, as rows: (rows2d, restore) where restore(rows2d) undoes it."""
    moved = np.moveaxis(a, d, -1)
    shape = moved.shape

    def restore(r):
        return np.moveaxis(r.reshape(shape[:-1] + r.shape[-1:]), -1, d)
    return moved.reshape(-1, shape[-1]), restore


def _has_ties(keys):
    s = np.sort(keys, axis=1)
    return (s[:, 1:] == s[:, :-1]).any(axis=1)


def _sort_order(keys, stable):
    """Indices ordering each row of keys as PyTorch's CPU sort does."""
    order = np.argsort(keys, axis=1, kind="stable")
    if stable or keys.shape[1] <= _THRESHOLD:       # insertion sort is stable
        return order
    for r in np.nonzero(_has_ties(keys))[0]:
        v = list(zip(keys[r].tolist(), range(keys.shape[1])))
        _stl.sort(v, 0, len(v), _key_less)
        order[r] = [i for _, i in v]
    return order


def _topk_order(keys, k, sorted_):
    """The first k indices of each row as PyTorch's CPU topk leaves them (sorted=False
    leaves nth_element's partition order, which is replayed even without ties)."""
    n = keys.shape[1]
    order = np.argsort(keys, axis=1, kind="stable")[:, :k]
    if k == 0:
        return order
    partial = k * 64 <= n
    replay = _has_ties(keys) | (not sorted_ and not partial and k > 1)
    for r in np.nonzero(replay)[0]:
        v = list(zip(keys[r].tolist(), range(n)))
        if partial:
            _stl.partial_sort(v, 0, k, n, _key_less)
        else:
            _stl.nth_element(v, 0, k - 1, n, _key_less)
            if sorted_:
                _stl.sort(v, 0, k - 1, _key_less)
        order[r] = [i for _, i in v[:k]]
    return order


# -- the C++ kernels, where they could be built --------------------------------------------------
# Below this many values the Python order is quick, so a process that sorts only small
# tensors (the tutorial's unique of six) does not pay the kernels' one-time build (~6 s);
# once they are built (in this process or the cache), they sort everything.
NATIVE_MIN = 4096


def _kernels(size):
    """The C++ kernels for `size` values, or None to order in Python (same results)."""
    return sort_kernel.library(build=size >= NATIVE_MIN)


def _native_rows(rows, dtype):
    """rows as the C++ kernels read them (float16 and bfloat16 widened to float32, which
    compares the same), or None where the kernels are not available."""
    if _kernels(rows.size) is None:
        return None
    if dtype is dtypes.float16:
        return rows.astype(np.float32)
    return _comparable(rows, dtype)


def _sort_rows(rows, dtype, descending, stable):
    native = _native_rows(rows, dtype)
    if native is not None:
        return sort_kernel.sort(native, descending, stable)
    return _sort_order(_ranks(rows, dtype, descending), stable)


def _topk_rows(rows, dtype, k, largest, sorted_):
    native = _native_rows(rows, dtype)
    if native is not None:
        return sort_kernel.topk(native, k, largest, sorted_)
    return _topk_order(_ranks(rows, dtype, largest), k, sorted_)


def _radix_sorted(x, descending):
    """Whether PyTorch radix-sorts x (a stable order): 1-D, integer, ascending, large."""
    return x.ndim == 1 and not descending and x._shape[0] >= RADIX_MIN and \
        not x.dtype.is_floating_point and x.dtype is not dtypes.bool_


# -- the public functions -------------------------------------------------------------------------
def _gather(x, indices, d, name):
    """x's values at indices along axis d (an extern reading both)."""
    def fn(a, idx):
        if not a.ndim:
            return a
        if d == a.ndim - 1 and _kernels(idx.size) is not None:
            return sort_kernel.take(a.reshape(-1, a.shape[-1]),
                                    idx.reshape(-1, idx.shape[-1])).reshape(idx.shape)
        return np.take_along_axis(a, idx, axis=d)
    return wrap(graph.extern(name, fn, x.dtype, indices._shape, (x._node, indices._node)),
                x.device)


def _order_extern(x, d, shape, name, order_fn):
    """An int64 extern of `shape`: order_fn(keys_rows) per row of x along axis d."""
    dtype = x.dtype

    def fn(a):
        if a.size == 0 or a.ndim == 0:
            return np.zeros(shape, np.int64)
        rows, restore = _rows(a, d)
        return restore(order_fn(rows, dtype))
    return wrap(graph.extern(name, fn, int64, tuple(shape), (x._node,)), x.device)


def _check_input(name, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")


def _sort_indices(x, dim, descending, stable, name="sort"):
    _check_input(name, x)
    if x.dtype.is_complex:
        raise RuntimeError(" Sort does not support complex dtypes on CPU")
    d = normalize_dim(dim, x.ndim)
    if x.ndim and x._strides[d] == 0:               # PyTorch leaves an expanded dim as it is
        return d, _arange_along(x, d)
    stable = stable or _radix_sorted(x, descending)
    return d, _order_extern(x, d, x._shape, "sort.indices",
                            lambda rows, dt: _sort_rows(rows, dt, descending, stable))


def _arange_along(x, d):
    def fn(a):
        shape = [1] * a.ndim
        shape[d] = a.shape[d]
        return np.broadcast_to(np.arange(a.shape[d]).reshape(shape), a.shape)
    return wrap(graph.extern("sort.indices", fn, int64, x._shape, (x._node,)), x.device)


def sort(x, dim=-1, descending=False, stable=False):
    """values, indices: stable=True keeps equal elements in order; otherwise equal elements
    end where PyTorch's std::sort puts them."""
    d, indices = _sort_indices(x, dim, descending, stable)
    return return_types.sort(_gather(x, indices, d, "sort.values"), indices)


def argsort(x, dim=-1, descending=False, stable=False):
    return _sort_indices(x, dim, descending, stable, "argsort")[1]


def topk(x, k, dim=-1, largest=True, sorted=True):
    _check_input("topk", x)
    if x.dtype.is_complex:
        raise RuntimeError(" topk does not support complex dtypes on CPU")
    d = normalize_dim(dim, x.ndim)
    size = x._shape[d] if x.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    if x.dtype is dtypes.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    shape = x._shape[:d] + (k,) + x._shape[d + 1:] if x.ndim else ()
    indices = _order_extern(x, d, shape, "topk.indices",
                            lambda rows, dt: _topk_rows(rows, dt, k, largest, sorted))
    return return_types.topk(_gather(x, indices, d, "topk.values"), indices)


# -- unique ---------------------------------------------------------------------------------------
def _unique_flat(flat, dtype, with_inverse):
    """(values, inverse or None, counts) of a 1-D array, as PyTorch's sort-based unique: runs
    of the std::sort order, each NaN its own run, each run shown by its first element.
    (Equal integers cannot be told apart, so their order is the quicker stable one.)"""
    stable = not dtype.is_floating_point
    native = _native_rows(flat, dtype)
    if native is not None:
        first, counts, inverse = sort_kernel.unique(native, stable, with_inverse)
        return flat[first], inverse, counts
    order = _sort_rows(flat[None, :], dtype, False, stable)[0]
    cmp = _comparable(flat, dtype)[order]
    starts = np.ones(len(order), bool)
    starts[1:] = cmp[1:] != cmp[:-1]
    run = np.cumsum(starts) - 1
    inverse = np.empty(len(order), np.int64)
    inverse[order] = run
    counts = np.diff(np.append(np.nonzero(starts)[0], len(order)))
    return flat[order][starts], inverse, counts


def _row_less(rows):
    """PyTorch's lexicographic row comparison (NaN neither less nor greater)."""
    def less(a, b):
        for p, q in zip(rows[a], rows[b]):
            if p < q:
                return True
            if p > q:
                return False
        return False
    return less


def _unique_rows(flat, dtype):
    """(rows, inverse, counts) of a 2-D array's distinct rows, as unique(dim=) on CPU."""
    cmp = _comparable(flat, dtype)
    order = list(range(len(flat)))
    _stl.sort(order, 0, len(order), _row_less(cmp.tolist()))
    kept, inverse, counts = [order[0]], np.empty(len(order), np.int64), [1]
    inverse[order[0]] = 0
    for i in order[1:]:
        if not np.array_equal(cmp[i], cmp[kept[-1]]):
            kept.append(i)
            counts.append(0)
        inverse[i] = len(kept) - 1
        counts[-1] += 1
    return flat[kept], inverse, np.array(counts, np.int64)


def _stored(x):
    """x's elements in their storage dtype (bfloat16 as its bits)."""
    return np.ascontiguousarray(x._strided_array())


def _unique_dim(x, dim):
    d = normalize_dim(dim, x.ndim)
    zeros = x._shape.count(0)
    if x._shape[d] == 0:
        if zeros != 1:
            raise RuntimeError("Number of zero sized dimensions is more than one, so unique "
                               "cannot be applied ")
        return _stored(x), np.zeros(0, np.int64), np.zeros(0, np.int64)
    if zeros:
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique "
                           "cannot be applied")
    moved = np.moveaxis(_stored(x), d, 0)
    rows, inverse, counts = _unique_rows(moved.reshape(moved.shape[0], -1), x.dtype)
    return np.moveaxis(rows.reshape((-1,) + moved.shape[1:]), 0, d), inverse, counts


def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """Sorted distinct values (PyTorch's CPU unique always sorts), and optionally the index
    of each element's value and how often each value occurs."""
    if x.dtype.is_complex:
        raise ops.not_implemented("unique", x.dtype)
    if dim is None:
        flat = _stored(x).reshape(-1)
        if flat.size:
            values, inverse, counts = _unique_flat(flat, x.dtype, return_inverse)
        else:
            values, inverse, counts = flat, np.zeros(0, np.int64), np.zeros(0, np.int64)
        inverse = inverse.reshape(x._shape) if return_inverse else None
    else:
        values, inverse, counts = _unique_dim(x, dim)
    out = _wrap_stored(values, x)
    if not (return_inverse or return_counts):
        return out
    parts = [out]
    if return_inverse:
        parts.append(tensor_from_values(inverse, int64, x.device))
    if return_counts:
        parts.append(tensor_from_values(counts, int64, x.device))
    return tuple(parts)


# -- running max / min ---------------------------------------------------------------------------
def _median_position(rows, dtype):
    """Per row, the index PyTorch's median picks: the first NaN if there is one, else the
    (n-1)//2-th in (value, index) order (its nth_element breaks ties by index)."""
    at = _sort_rows(rows, dtype, False, True)[:, [(rows.shape[1] - 1) // 2]]
    values = _comparable(rows, dtype)
    nan = values != values
    return np.where(nan.any(axis=1, keepdims=True), nan.argmax(axis=1)[:, None], at)


def _nanmedian_position(rows, dtype):
    """Per row, the index PyTorch's nanmedian picks: the lower median of the values that are
    not NaN, in (value, index) order; for a row of NaNs only, where its nth_element (every
    NaN equivalent to every other) leaves position 0."""
    values = _comparable(rows, dtype)
    valid = (values == values).sum(axis=1)
    order = _sort_rows(rows, dtype, False, True)
    at = np.take_along_axis(order, np.maximum(valid - 1, 0)[:, None] // 2, axis=1)
    for r in np.nonzero(valid == 0)[0]:
        v = list(range(rows.shape[1]))
        _stl.nth_element(v, 0, 0, len(v), lambda a, b: False)
        at[r, 0] = v[0]
    return at


def nanmedian(x, dim=None, keepdim=False):
    """The lower median of the values that are not NaN (NaN if there are none)."""
    return _median(x, dim, keepdim, "nanmedian", _nanmedian_position)


def _mode_position(rows, dtype):
    """Per row, the index PyTorch's mode returns: it sorts (value, index) pairs by value
    with std::sort (replayed here, so equal values end in its order), then takes the last
    element of the first longest run of equal values (NaN equals nothing: runs of one)."""
    values = _comparable(rows, dtype)
    native = _native_rows(rows, dtype)
    at = sort_kernel.mode(native) if native is not None else \
        np.full((rows.shape[0], 1), -1, np.int64)
    for r in np.nonzero(at[:, 0] < 0)[0]:          # the kernel leaves rows with a NaN
        v = list(zip(values[r].tolist(), range(rows.shape[1])))
        _stl.sort(v, 0, len(v), _key_less)
        best = run = 0
        for i, (value, index) in enumerate(v):
            run += 1
            if i == len(v) - 1 or value != v[i + 1][0]:
                if run > best:
                    best, at[r, 0] = run, index
                run = 0
    return at


def mode(x, dim=-1, keepdim=False):
    """The most frequent value along dim (the smallest of the most frequent) and an index
    where it occurs, as PyTorch's CPU kernel chooses it."""
    _check_input("mode", x)
    if x.dtype.is_complex:
        raise ops.not_implemented("mode_cpu", x.dtype)
    d = normalize_dim(dim, x.ndim)
    if x.ndim and x._shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    kept = x._shape[:d] + (1,) + x._shape[d + 1:] if x.ndim else ()
    indices = _order_extern(x, d, kept, "mode.indices", _mode_position)
    values = _gather(x, indices, d, "mode.values")
    if not keepdim and x.ndim:
        out = x._shape[:d] + x._shape[d + 1:]
        values, indices = values.reshape(out), indices.reshape(out)
    return return_types.mode(values, indices)


def median(x, dim=None, keepdim=False):
    """The lower median (of all values, or along dim with its indices); NaN if any is NaN."""
    return _median(x, dim, keepdim, "median", _median_position)


def _median(x, dim, keepdim, name, position):
    _check_input(name, x)
    if x.dtype.is_complex:
        raise ops.not_implemented("median_cpu", x.dtype)
    if x.dtype is dtypes.bool_:
        raise ops.not_implemented(f"{name}_cpu", x.dtype)
    if dim is None:
        flat = x.reshape(-1)
        if not flat.numel():
            fill = float("nan") if x.dtype.is_floating_point else \
                int(np.iinfo(x.dtype.np_storage).min)
            return full((), fill, dtype=x.dtype, device=x.device)
        at = _order_extern(flat, 0, (1,), f"{name}.index", position)
        return _gather(flat, at, 0, f"{name}.value").reshape(())
    if not isinstance(dim, int):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    d = normalize_dim(dim, x.ndim)
    if x.ndim and x._shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    kept = x._shape[:d] + (1,) + x._shape[d + 1:] if x.ndim else ()
    indices = _order_extern(x, d, kept, f"{name}.indices", position)
    values = _gather(x, indices, d, f"{name}.values")
    if not keepdim and x.ndim:
        out = x._shape[:d] + x._shape[d + 1:]
        values, indices = values.reshape(out), indices.reshape(out)
    return getattr(return_types, name)(values, indices)


def _quickselect(v, k):
    """Reorder the (rank, index) pairs v so that v[k] holds the k-th smallest rank, the way
    PyTorch's CPU kthvalue does: a median-of-three quickselect with Sedgewick's partition
    (whose order for equal ranks decides which index is returned)."""
    lo, hi = 0, len(v) - 1
    while hi > lo:
        if hi == lo + 1:
            if v[lo][0] > v[hi][0]:
                v[lo], v[hi] = v[hi], v[lo]
            return
        mid = (lo + hi) >> 1
        v[mid], v[lo + 1] = v[lo + 1], v[mid]
        for a, b in ((lo + 1, hi), (lo, hi), (lo + 1, lo)):     # v[lo+1] <= v[lo] <= v[hi]
            if v[a][0] > v[b][0]:
                v[a], v[b] = v[b], v[a]
        pivot, i, j = v[lo][0], lo + 1, hi
        while True:
            i += 1
            while pivot > v[i][0]:
                i += 1
            j -= 1
            while v[j][0] > pivot:
                j -= 1
            if j < i:
                break
            v[i], v[j] = v[j], v[i]
        v[lo], v[j] = v[j], v[lo]
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


def _kth_position(rows, dtype, k):
    """Per row, the index PyTorch's kthvalue returns for the k-th smallest (NaN largest): the
    only one when that value is unique in the row, else where its quickselect leaves it."""
    native = _native_rows(rows, dtype)
    if native is not None:
        return sort_kernel.kthvalue(native, k)
    keys = _ranks(rows, dtype, False)
    at = np.argsort(keys, axis=1, kind="stable")[:, [k - 1]]
    kth = np.take_along_axis(keys, at, axis=1)
    for r in np.nonzero((keys == kth).sum(axis=1) > 1)[0]:
        v = list(zip(keys[r].tolist(), range(keys.shape[1])))
        _quickselect(v, k - 1)
        at[r, 0] = v[k - 1][1]
    return at


def kthvalue(x, k=None, dim=-1, keepdim=False):
    """The k-th smallest value along dim (NaN counts as the largest) and its index."""
    _check_input("kthvalue", x)
    if x.dtype.is_complex:
        raise ops.not_implemented("kthvalue_cpu", x.dtype)
    if k is None:
        raise TypeError('kthvalue() missing 1 required positional arguments: "k"')
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        raise TypeError(f"kthvalue(): argument 'k' (position 2) must be int, not "
                        f"{type(k).__name__}")
    if x.dtype is dtypes.bool_:
        raise ops.not_implemented("kthvalue_cpu", x.dtype)
    d = normalize_dim(dim, x.ndim)
    size = x._shape[d] if x.ndim else 1
    if size == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    kept = x._shape[:d] + (1,) + x._shape[d + 1:] if x.ndim else ()
    indices = _order_extern(x, d, kept, "kthvalue.indices",
                            lambda rows, dt: _kth_position(rows, dt, k))
    values = _gather(x, indices, d, "kthvalue.values")
    if not keepdim and x.ndim:
        out = x._shape[:d] + x._shape[d + 1:]
        values, indices = values.reshape(out), indices.reshape(out)
    return return_types.kthvalue(values, indices)


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """Where each value would go in sorted_sequence (its last dim, row by row) to keep it
    sorted: before equal elements, or after them with right=True / side="right"."""
    _check_input("searchsorted", sorted_sequence)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        right = side == "right"
    scalar = ops.is_scalar(values)
    values = full((), values, dtype=sorted_sequence.dtype) if scalar else values
    seq_rows = sorted_sequence.ndim > 1
    if seq_rows and sorted_sequence._shape[:-1] != values._shape[:-1]:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(sorted_sequence._shape)} and input value tensor "
            f"{list(values._shape)}")
    if sorter is not None:
        sorted_sequence = sorted_sequence.gather(-1, sorter)
    side_name = "right" if right else "left"

    def fn(seq, vals):
        if not seq_rows:
            return np.searchsorted(seq, vals, side_name).astype(np.int64)
        out = np.empty(vals.shape, np.int64)
        for r in np.ndindex(*vals.shape[:-1]):
            out[r] = np.searchsorted(seq[r], vals[r], side_name)
        return out
    seq = sorted_sequence if sorted_sequence.dtype is not dtypes.bfloat16 else \
        sorted_sequence.float()
    vals = values if values.dtype is not dtypes.bfloat16 else values.float()
    out = wrap(graph.extern("searchsorted", fn, int64, values._shape,
                            (seq._node, vals._node)), values.device)
    return out.int() if out_int32 else out


def bucketize(values, boundaries, *, out_int32=False, right=False):
    """The bucket of each value among 1-D boundaries (searchsorted with the roles swapped)."""
    if isinstance(boundaries, Tensor) and boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, values, out_int32=out_int32, right=right)


def cummax(x, dim):
    """The running maximum along dim and where it was found: an equal value moves the index to
    the later element, and from the first NaN on the result is that NaN."""
    return _running("cummax", x, dim, np.greater_equal)


def cummin(x, dim):
    return _running("cummin", x, dim, np.less_equal)


def _running(name, x, dim, better):
    d = normalize_dim(dim, x.ndim) if x.ndim else 0

    def fn(a):
        a = np.moveaxis(a.reshape(a.shape or (1,)), d, -1)
        indices = np.zeros(a.shape, np.int64)
        if a.shape[-1]:
            best, at = a[..., 0].copy(), np.zeros(a.shape[:-1], np.int64)
            for i in range(a.shape[-1]):
                v = a[..., i]
                with np.errstate(invalid="ignore"):
                    take = (better(v, best) | (v != v)) & (best == best) | (i == 0)
                best, at = np.where(take, v, best), np.where(take, i, at)
                indices[..., i] = at
        return np.moveaxis(indices, -1, d).reshape(x._shape)
    src = x if x.dtype is not dtypes.bfloat16 else x.float()
    indices = wrap(graph.extern(f"{name}.indices", fn, int64, x._shape, (src._node,)),
                  x.device)
    values = gather(x, d, indices) if x.ndim else x.clone()
    return getattr(return_types, name)(values, indices)


def _wrap_stored(values, like):
    return Tensor._from_array(np.ascontiguousarray(values), like.dtype, like.device)


Tensor.unique = unique
Tensor.sort = sort
Tensor.argsort = argsort
Tensor.topk = topk
Tensor.median = median
Tensor.nanmedian = nanmedian
Tensor.mode = mode
Tensor.kthvalue = kthvalue
Tensor.cummax = cummax
Tensor.cummin = cummin
