"""Strided view arithmetic, as PyTorch defines it: every function maps a view
(shape, strides, offset) of a storage to another view of the same storage, or raises
PyTorch's error. Nothing here touches data."""
from .graph import contiguous_strides, prod
from .ops import normalize_dim
from .user_warnings import warn


def infer_shape(shape, numel):
    """shape with one -1 filled in so that it has numel elements."""
    shape = [int(s) for s in shape]
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = prod(s for s in shape if s != -1)
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[shape.index(-1)] = numel // known
    if prod(shape) != numel or any(s < 0 for s in shape):
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def view_strides(old_shape, old_strides, new_shape):
    """Strides that read (old_shape, old_strides) as new_shape without a copy, or None.

    Old dims are grouped into chunks that are contiguous among themselves; a view is possible
    when the new dims can be cut into runs whose element counts equal those chunks.
    """
    if prod(old_shape) == 0 or not old_shape:
        return contiguous_strides(new_shape)
    new_strides = [0] * len(new_shape)
    v = len(new_shape) - 1
    base = old_strides[-1]
    chunk_numel = view_numel = 1
    for d in range(len(old_shape) - 1, -1, -1):
        chunk_numel *= old_shape[d]
        chunk_ends = d == 0 or (old_shape[d - 1] != 1
                                and old_strides[d - 1] != chunk_numel * base)
        if not chunk_ends:
            continue
        while v >= 0 and (view_numel < chunk_numel or new_shape[v] == 1):
            new_strides[v] = view_numel * base
            view_numel *= new_shape[v]
            v -= 1
        if view_numel != chunk_numel:
            return None
        if d > 0:
            base = old_strides[d - 1]
            chunk_numel = view_numel = 1
    return tuple(new_strides) if v == -1 else None


def expand(shape, strides, sizes, type_name="torch.FloatTensor"):
    """The view broadcast to sizes (-1 keeps a dim); type_name is the tensor's legacy type
    name, which PyTorch's error for too few sizes prints."""
    sizes = list(sizes)
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({type_name}{{{list(shape)}}}, size={sizes}): the number of sizes "
            f"provided ({len(sizes)}) must be greater or equal to the number of dimensions in "
            f"the tensor ({len(shape)})")
    # from the last dim back, as PyTorch's inferExpandGeometry does (which decides the error
    # reported when several dims are wrong, and the stride of a new leading dim of size 1)
    n, lead = len(sizes), len(sizes) - len(shape)
    new_shape, new_strides = [0] * n, [0] * n
    for i in range(n - 1, -1, -1):
        want = sizes[i]
        if i >= lead:
            have, st = shape[i - lead], strides[i - lead]
        else:
            have, st = 1, (new_shape[i + 1] * new_strides[i + 1] if i + 1 < n and shape else 0)
        if want == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor ({want}) isn't allowed in "
                                   f"a leading, non-existing dimension {i}")
            want = have
        if have != want:
            if have != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({want}) must match the existing size "
                    f"({have}) at non-singleton dimension {i}.  Target sizes: {sizes}.  Tensor "
                    f"sizes: {list(shape)}")
            have, st = want, 0
        new_shape[i], new_strides[i] = have, st
    if any(size < 0 for size in new_shape):       # PyTorch fails multiplying the sizes out
        raise RuntimeError("numel: integer multiplication overflow")
    return tuple(new_shape), tuple(new_strides)


def permute(shape, strides, dims):
    n = len(shape)
    dims = [normalize_dim(d, n) for d in dims]
    if len(dims) != n:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {n} is not equal to len(dims) = {len(dims)}")
    if len(set(dims)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return tuple(shape[d] for d in dims), tuple(strides[d] for d in dims)


def slice_dim(shape, strides, offset, dim, start, stop, step):
    """Python slice semantics on one dim (step > 0), clamped as PyTorch does."""
    if step <= 0:
        raise ValueError("step must be greater than zero")
    size = shape[dim]
    start = 0 if start is None else start
    stop = size if stop is None else stop
    if start < 0:
        start += size
    if stop < 0:
        stop += size
    start = min(max(start, 0), size)
    stop = min(max(stop, start), size)
    length = (stop - start + step - 1) // step
    new_shape = shape[:dim] + (length,) + shape[dim + 1:]
    new_strides = strides[:dim] + (strides[dim] * step,) + strides[dim + 1:]
    return new_shape, new_strides, offset + (start * strides[dim] if length else 0)


def select(shape, strides, offset, dim, index):
    size = shape[dim]
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")
    index %= size
    return (shape[:dim] + shape[dim + 1:], strides[:dim] + strides[dim + 1:],
            offset + index * strides[dim])


def is_contiguous(shape, strides):
    """True when the view reads its elements in C order with no gaps (always, when empty);
    the strides of size-1 dims do not matter."""
    if 0 in shape:
        return True
    expect = 1
    for s, st in zip(reversed(shape), reversed(strides)):
        if s != 1 and st != expect:
            return False
        expect *= s
    return True


def is_non_overlapping_and_dense(shape, strides):
    """True when the view's elements fill a block of memory exactly, in some dim order."""
    dims = sorted((st, s) for s, st in zip(shape, strides) if s != 1)
    expect = 1
    for st, s in dims:
        if st != expect:
            return False
        expect *= s
    return True


def overlap(a, b):
    """PyTorch's overlap status of views a and b, each (shape, strides, offset), of one
    storage: "full" (the very same elements in the same order), "partial" (memory shared
    otherwise) or None (none shared, or a view is not dense: PyTorch does not look further)."""
    (shape_a, strides_a, off_a), (shape_b, strides_b, off_b) = a, b
    n_a, n_b = prod(shape_a), prod(shape_b)
    if n_a == 0 or n_b == 0:
        return None
    if not (is_non_overlapping_and_dense(shape_a, strides_a)
            and is_non_overlapping_and_dense(shape_b, strides_b)):
        return None
    if (off_a, n_a) == (off_b, n_b):
        return "full" if tuple(strides_a) == tuple(strides_b) else "partial"
    return "partial" if off_a < off_b + n_b and off_b < off_a + n_a else None


def check_no_partial_overlap(out, value, full_too=False):
    """PyTorch's refusal to write view `out` from a view `value` of the same storage that
    partly overlaps it (or is the same elements, with full_too: index_put_'s rule); both are
    (shape, strides, offset)."""
    if overlap(out, value) in (("partial", "full") if full_too else ("partial",)):
        raise RuntimeError("unsupported operation: some elements of the input tensor and the "
                           "written-to tensor refer to a single memory location. Please clone() "
                           "the tensor before performing the operation.")


def has_internal_overlap(shape, strides):
    """True when the view repeats an element (an expanded dim); a view of no elements
    repeats none."""
    return 0 not in shape and any(st == 0 and s > 1 for s, st in zip(shape, strides))


def warn_if_expanded(shape, strides, name, example):
    """PyTorch's warning where an op still writes into a view that repeats an element."""
    if has_internal_overlap(shape, strides):
        warn(f"Use of {name} on expanded tensors is deprecated. Please clone() the tensor "
             "before performing this operation. This also applies to advanced indexing e.g. "
             f"{example}")


def check_no_internal_overlap(shape, strides):
    """PyTorch's refusal to write into a view that repeats an element (an expanded dim)."""
    if has_internal_overlap(shape, strides):
        raise RuntimeError("unsupported operation: more than one element of the written-to "
                           "tensor refers to a single memory location. Please clone() the "
                           "tensor before performing the operation.")


def dense_strides(shape, strides):
    """Contiguous strides for shape laid out in the order of the given strides (PyTorch's
    infer_dense_strides: a stable sort that leaves stride-0 dims where they are, ties going to
    the smaller dim first)."""
    def should_swap(a, b):
        if strides[a] == 0 or strides[b] == 0:
            return 0
        if strides[a] != strides[b]:
            return 1 if strides[a] > strides[b] else -1
        return 1 if shape[a] > shape[b] else 0

    perm = list(range(len(shape) - 1, -1, -1))     # innermost dim first
    for i in range(1, len(perm)):
        j = i
        for k in range(i - 1, -1, -1):
            order = should_swap(perm[k], perm[j])
            if order > 0:
                perm[k], perm[j] = perm[j], perm[k]
                j = k
            elif order < 0:
                break
    out, acc = [0] * len(shape), 1
    for d in perm:
        out[d] = acc
        acc *= max(shape[d], 1)
    return tuple(out)
