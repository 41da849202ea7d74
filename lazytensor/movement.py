"""Movement ops. Each one that PyTorch makes a view is a view here too: a new
(shape, strides, offset) over the same storage, no copy and no node of its own. The ones
PyTorch copies (flip, reshape of a non-viewable layout, contiguous of a strided view) make a
new storage whose value is read through index arithmetic inside the consumer's kernel."""
import warnings

import numpy as np

from . import autograd_graph, dtypes, graph, ops, views
from .ops import normalize_dim
from .creation import as_tensor_arg, int_sequence, tensor_from_values
from .tensor import Tensor, wrap


def _shape_args(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def view(x, *shape):
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        return _view_dtype(x, shape[0])
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, int, np.integer, Tensor)):
        kind = type(shape[0]).__name__
        raise TypeError(f"view() received an invalid combination of arguments - got ({kind}), "
                        "but expected one of:\n * (torch.dtype dtype)\n      didn't match "
                        f"because some of the arguments have invalid types: (!{kind}!)\n * "
                        "(tuple of ints size)\n      didn't match because some of the "
                        f"arguments have invalid types: (!{kind}!)\n")
    shape = views.infer_shape(int_sequence(shape, "view"), x.numel())
    strides = views.view_strides(x._shape, x._strides, shape)
    if strides is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride "
                           "(at least one dimension spans across two contiguous subspaces). "
                           "Use .reshape(...) instead.")
    return x._view(shape, strides, x._offset)


def _view_dtype(x, d):
    """x's bytes read as dtype d (the last dim scales by the size ratio), as PyTorch's
    view(dtype) does. The result is computed from x's bytes rather than sharing x's memory:
    later writes to either tensor do not show in the other."""
    old, new = x.dtype, d
    if new is old:                  # a plain view, sharing memory
        return x._view(x._shape, x._strides, x._offset)
    what = f"to view {ops.torch_name(old)} as {ops.torch_name(new)} (different element sizes)"
    shape = list(x._shape)
    if old.itemsize != new.itemsize:
        if x.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if x._strides[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {x._strides[-1]}")
        if new.itemsize > old.itemsize:
            ratio = new.itemsize // old.itemsize
            if shape[-1] % ratio:
                raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {what}, but got "
                                   f"{shape[-1]}")
            shape[-1] //= ratio
        else:
            shape[-1] *= old.itemsize // new.itemsize

    def reinterpret(a):
        out = np.ascontiguousarray(a).view(np.uint8 if new is dtypes.bool_ else new.np_storage)
        return out != 0 if new is dtypes.bool_ else out
    return wrap(graph.extern("view_dtype", reinterpret, new, shape, (x._node,)), x.device)


def reshape(x, *shape):
    shape = views.infer_shape(int_sequence(shape, "reshape", "shape"), x.numel())
    strides = views.view_strides(x._shape, x._strides, shape)
    if strides is None:
        return view(contiguous(x), shape)
    return x._view(shape, strides, x._offset)


def contiguous(x, memory_format=None):
    return x if x.is_contiguous() else wrap(x._node, x.device)


def clone(x, memory_format=None):
    n = x._node
    if n.op == "load":
        # a copy owns new memory: give it a copy kernel rather than the same buffer
        n = graph.node("cast", x.dtype, x._shape, (n,))
    return wrap(n, x.device)


def detach(x):
    out = x._view(x._shape, x._strides, x._offset)
    autograd_graph.mark_detached(out)
    return out


def _set_data(x, value):
    """x.data = value: x reads value's memory from now on (its autograd record stays), as
    PyTorch's `p.data = ...` swaps a tensor's data."""
    if not isinstance(value, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
    x._storage, x._shape, x._strides, x._offset = (value._storage, value._shape,
                                                     value._strides, value._offset)
    x._base = value._base


def permute(x, *dims):
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    shape, strides = views.permute(x._shape, x._strides, _shape_args(dims))
    return x._view(shape, strides, x._offset)


def transpose(x, dim0, dim1):
    n = x.ndim
    a, b = normalize_dim(dim0, n), normalize_dim(dim1, n)
    if n == 0:
        return x._view((), (), x._offset)
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    return permute(x, order)


def t(x, name="t"):
    if x.ndim > 2:
        raise RuntimeError(f"{name}() expects a tensor with <= 2 dimensions, but self is "
                           f"{x.ndim}D")
    return transpose(x, 0, 1) if x.ndim == 2 else x._view(x._shape, x._strides, x._offset)


def expand(x, *sizes):
    sizes = _shape_args(sizes)
    if x.ndim == 0 and any(s < 0 for s in sizes):
        # PyTorch's path for a 0-dim tensor multiplies the sizes out first
        raise RuntimeError("numel: integer multiplication overflow")
    shape, strides = views.expand(x._shape, x._strides, sizes, _legacy_type(x.dtype))
    return x._view(shape, strides, x._offset)


def _legacy_type(d):
    """PyTorch's legacy tensor type name for a dtype, as expand's errors print it (bool and
    bfloat16, which the legacy types predate, print as the backend's type name)."""
    if d in (dtypes.bool_, dtypes.bfloat16):
        return f"CPU{ops.torch_name(d)}Type"
    return f"torch.{ops.torch_name(d)}Tensor"


def expand_as(x, other):
    return expand(x, other.shape)


def squeeze(x, dim=None):
    if dim is None:
        keep = [i for i, s in enumerate(x._shape) if s != 1]
    else:
        dims = ops.normalize_dims(dim, x.ndim)     # a 0-dim tensor takes dim 0 or -1
        keep = [i for i, s in enumerate(x._shape) if not (i in dims and s == 1)]
    return x._view(tuple(x._shape[i] for i in keep), tuple(x._strides[i] for i in keep),
                   x._offset)


def unsqueeze(x, dim):
    d = normalize_dim(dim, x.ndim + 1)
    inner = x._strides[d] * x._shape[d] if d < x.ndim else 1
    return x._view(x._shape[:d] + (1,) + x._shape[d:], x._strides[:d] + (inner,) +
                   x._strides[d:], x._offset)


def flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return reshape(x, (1,))
    a, b = normalize_dim(start_dim, x.ndim), normalize_dim(end_dim, x.ndim)
    if a > b:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if a == b:
        return x                # nothing to flatten: PyTorch returns the tensor itself
    shape = x._shape[:a] + (graph.prod(x._shape[a:b + 1]),) + x._shape[b + 1:]
    return reshape(x, shape)


def unflatten(x, dim, sizes):
    d = normalize_dim(dim, x.ndim)
    sizes = views.infer_shape(sizes, x._shape[d])
    return view(x, x._shape[:d] + tuple(sizes) + x._shape[d + 1:])


def flip(x, *dims):
    """A copy of x with the order of elements along dims reversed (read through negative
    strides by the consumer's kernel; no kernel of its own)."""
    dims = _shape_args(dims)
    axes = ops.normalize_dims(dims, x.ndim) if dims else ()
    axes = axes if x.ndim else ()
    strides, offset = list(x._strides), x._offset
    for a in axes:
        if x._shape[a] > 0:
            offset += (x._shape[a] - 1) * strides[a]
        strides[a] = -strides[a]
    flipped = graph.node("view", x.dtype, x._shape, (x._storage.node,),
                         (x._shape, tuple(strides), offset))
    return wrap(flipped, x.device)


def narrow(x, dim, start, length):
    if x.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, x.ndim)
    size = x._shape[d]
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    shape, strides, offset = views.slice_dim(x._shape, x._strides, x._offset, d, start,
                                             start + length, 1)
    return x._view(shape, strides, offset)


def select(x, dim, index):
    if x.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, x.ndim)
    index = int(index)
    if not -x._shape[d] <= index < x._shape[d]:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(x._shape)} at dimension {d}")
    return x._view(*views.select(x._shape, x._strides, x._offset, d, index))


def _no_dims(x, dim):
    """PyTorch's error for naming a dim of a 0-dim tensor where one must exist."""
    if x.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")


def unbind(x, dim=0):
    _no_dims(x, dim)
    d = normalize_dim(dim, x.ndim)
    return tuple(select(x, d, i) for i in range(x._shape[d]))


def split(x, split_size_or_sections, dim=0):
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = normalize_dim(dim, x.ndim)
    size = x._shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got "
                               f"split_size={step}")
        if step == 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {size}")
        lengths = [min(step, size - i) for i in range(0, size, step)] if step else [0]
        lengths = lengths or [0]
    else:
        lengths = list(split_size_or_sections)
        if sum(lengths) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={lengths}")
    out, start = [], 0
    for n in lengths:
        out.append(narrow(x, d, start, n))
        start += n
    return tuple(out)


def chunk(x, chunks, dim=0):
    if x.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = normalize_dim(dim, x.ndim)
    step = -(-x._shape[d] // chunks) if x._shape[d] else 1
    return split(x, max(step, 1), d)


def as_strided(x, size, stride, storage_offset=None):
    """A view of x's storage with any sizes, strides and offset that stay inside it (PyTorch's
    checks and messages: nothing may read or write outside the storage)."""
    size, stride = tuple(size), tuple(stride)
    offset = x._offset if storage_offset is None else storage_offset
    check_view_bounds(x._storage.numel, x.dtype.itemsize, size, stride, offset)
    return x._view(size, stride, offset)


def check_view_bounds(numel, itemsize, size, stride, offset):
    """That a view of sizes, strides and offset stays inside a storage of numel elements
    (PyTorch's checks and messages), as as_strided and a loaded file's tensors need."""
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(st < 0 for st in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, "
                           f"got strides: {list(stride)}")
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    if any(s < 0 for s in size):
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                           f"strides={list(stride)}")
    needed = 0 if 0 in size else (offset + sum((s - 1) * st for s, st in zip(size, stride)) + 1)
    if needed > numel:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset}, and itemsize {itemsize} requiring a storage size "
                           f"of {needed * itemsize} are out of bounds for storage of size "
                           f"{numel * itemsize}")


def diagonal(x, offset=0, dim1=0, dim2=1):
    a, b = normalize_dim(dim1, x.ndim), normalize_dim(dim2, x.ndim)
    n = max(0, min(x._shape[a] - max(-offset, 0), x._shape[b] - max(offset, 0)))
    start = x._offset + (offset * x._strides[b] if offset >= 0 else -offset * x._strides[a])
    keep = [i for i in range(x.ndim) if i not in (a, b)]
    shape = tuple(x._shape[i] for i in keep) + (n,)
    strides = tuple(x._strides[i] for i in keep) + (x._strides[a] + x._strides[b],)
    return x._view(shape, strides, start if n else x._offset)


def movedim(x, source, destination):
    src = [normalize_dim(s, x.ndim) for s in ((source,) if isinstance(source, int) else source)]
    dst = [normalize_dim(s, x.ndim) for s in
           ((destination,) if isinstance(destination, int) else destination)]
    order = [i for i in range(x.ndim) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(x, order) if x.ndim else x._view(x._shape, x._strides, x._offset)


def _identity_on_0d(x, name):
    """x itself (a view), with PyTorch's warning: `.T`/`.mT` of a 0-dim tensor."""
    warnings.warn(f"Tensor.{name} is deprecated on 0-D tensors. This function is the identity "
                  "in these cases.", UserWarning, stacklevel=4)
    return x._view(x._shape, x._strides, x._offset)


def _T(x):
    if x.ndim == 0:
        return _identity_on_0d(x, "T")
    if x.ndim != 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                      "shape is deprecated and it will throw an error in a future release. "
                      "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                      "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                      UserWarning, stacklevel=3)
    return permute(x, tuple(range(x.ndim - 1, -1, -1)))


def _mT(x, name="mT"):
    if x.ndim == 1:
        raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of "
                           "matrices. Got 1-D tensor.")
    return transpose(x, -2, -1) if x.ndim else _identity_on_0d(x, name)


def _H(x):
    """The conjugate transpose of a matrix: its transpose, as no dtype here is complex."""
    if x.ndim not in (0, 2):
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{x.ndim}-D tensor.")
    return transpose(x, 0, 1) if x.ndim else x._view(x._shape, x._strides, x._offset)


def _imag(x):
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


# -- indexing -----------------------------------------------------------------------------
def _basic_index(x, index):
    """The view for an index made of ints, slices, None and Ellipsis; None if advanced."""
    if not isinstance(index, tuple):
        index = (index,)
    if any(isinstance(i, (Tensor, list, np.ndarray, bool, np.bool_)) for i in index):
        return None
    shape, strides, offset = x._shape, x._strides, x._offset
    dim = 0
    for i in _expand_ellipsis(index, x.ndim):
        if i is None:
            shape = shape[:dim] + (1,) + shape[dim:]
            inner = strides[dim] * shape[dim + 1] if dim < len(strides) else 1
            strides = strides[:dim] + (inner,) + strides[dim:]
            dim += 1
        elif isinstance(i, slice):
            shape, strides, offset = _slice(shape, strides, offset, dim, i)
            dim += 1
        else:
            if not isinstance(i, (int, np.integer)):
                raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long "
                                 f"or byte Variables are valid indices (got {type(i).__name__})")
            shape, strides, offset = views.select(shape, strides, offset, dim, int(i))
    return shape, strides, offset


def _expand_ellipsis(index, ndim):
    """index with its first Ellipsis replaced by enough full slices (PyTorch drops any
    further Ellipsis)."""
    real = [i for i in index if i is not None and i is not Ellipsis]
    if len(real) > max(ndim, 1):
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    if real and not ndim:
        if any(i is Ellipsis for i in index):
            raise IndexError("too many indices for tensor of dimension 0")
        if isinstance(real[0], slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        if real[0] == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"index {real[0]} is out of bounds for dimension 0 with size 0")
    n_real = len(real)
    out, fill = [], (slice(None),) * (ndim - n_real)
    for i in index:
        if i is Ellipsis:
            out.extend(fill)
            fill = ()
        else:
            out.append(i)
    return out


def _slice(shape, strides, offset, dim, s):
    step = 1 if s.step is None else int(s.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    return views.slice_dim(shape, strides, offset, dim,
                           None if s.start is None else int(s.start),
                           None if s.stop is None else int(s.stop), step)


def getitem(x, index):
    basic = _basic_index(x, index)
    if basic is not None:
        return x._view(*basic)
    return _advanced_get(x, index)


_INDEX_DTYPES = (dtypes.int64, dtypes.int32, dtypes.uint8, dtypes.bool_)


def _numpy_index(index, ndim=None):
    """index with tensors and lists as NumPy arrays; given ndim 0, PyTorch's error for an
    integer array or a mask with dims (a 0-dim mask may index a 0-dim tensor)."""
    if not isinstance(index, tuple):
        index = (index,)
    if ndim == 0 and any(isinstance(i, list) or (isinstance(i, Tensor) and
                                                  (i.dtype is not dtypes.bool_ or i.ndim))
                         for i in index):
        raise IndexError("too many indices for tensor of dimension 0")
    out = []
    for i in index:
        if isinstance(i, Tensor):
            if i.dtype not in _INDEX_DTYPES:
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            out.append(i._values())
        elif isinstance(i, list):
            out.append(np.array(i))
        else:
            out.append(i)
    return tuple(out)


def _check_masks(x, idx):
    """PyTorch's error for a boolean mask whose shape differs from the dims it indexes."""
    dim = 0
    for i in idx:
        if i is None:
            continue
        if i is Ellipsis:
            dim = x.ndim - sum(np.ndim(j) if _is_mask(j) else 1 for j in idx
                               if j is not None and j is not Ellipsis)
            continue
        if _is_mask(i):
            if dim + i.ndim > x.ndim:
                raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
            for k, size in enumerate(i.shape):
                if dim + k >= x.ndim or x._shape[dim + k] != size:
                    raise IndexError(f"The shape of the mask {list(i.shape)} at index {k} does "
                                     "not match the shape of the indexed tensor "
                                     f"{list(x._shape)} at index {dim + k}")
            dim += i.ndim
        else:
            dim += 1


def _is_mask(i):
    return isinstance(i, np.ndarray) and i.dtype == np.bool_


def _indexed(array, idx):
    """array[idx] (NumPy), out-of-range indices reported in PyTorch's words."""
    try:
        return array[idx]
    except IndexError as e:                    # NumPy says "axis" where PyTorch says "dimension"
        if " with size 0" in str(e):           # PyTorch names neither index nor dim then
            raise IndexError("index is out of bounds for dimension with size 0") from None
        raise IndexError(str(e).replace(" for axis ", " for dimension ")) from None


def _advanced_get(x, index):
    """Integer-array and boolean-mask indexing (realises the indices; result is a copy)."""
    idx = _numpy_index(index, x.ndim)
    _check_masks(x, idx)
    values = _indexed(x._values(), idx)
    return tensor_from_values(np.ascontiguousarray(values), x.dtype, x.device)


def setitem(x, index, value):
    value = as_tensor_arg(value)
    if ops.is_scalar(value):
        # PyTorch first makes the number a one-element tensor of x's dtype: an integer
        # dtype refuses NaN or an out-of-range value before the index is looked at, and a
        # float16 value beyond its range becomes inf (a one-element fill converts unchecked)
        value = ops.fill_value_of(value, x.dtype, 1)
    basic = _basic_index(x, index)
    if basic is not None:
        target = x._view(*basic)
        if isinstance(value, Tensor):
            ops.check_same_device([x, value])
            node, source = _value_for(target, value)
            views.check_no_internal_overlap(target._shape, target._strides)
            if value._storage is x._storage:
                views.check_no_partial_overlap(
                    (target._shape, target._strides, target._offset), source)
        else:
            views.check_no_internal_overlap(target._shape, target._strides)
            node = graph.const(value, x.dtype, target._shape)     # converted above
        target._write(node)
        return
    if _is_whole_mask(x, index) and (not isinstance(value, Tensor) or value.ndim == 0):
        # PyTorch's index_put_ hands a mask of x's own shape to masked_fill_, which needs
        # no index values: it stays lazy (a loop's `grad[h < 0] = 0` realises nothing)
        from .mutation import masked_fill_
        views.warn_if_expanded(x._shape, x._strides, "index_put_", "tensor[indices] = tensor")
        masked_fill_(x, index, value)
        return
    _advanced_set(x, index, value)


def _is_whole_mask(x, index):
    return isinstance(index, Tensor) and index.dtype is dtypes.bool_ and x.ndim > 0 and \
        index._shape == x._shape and index.device == x.device


def _value_for(target, value):
    """(value's node, ready to be broadcast over target; the view of value's memory that the
    copy reads, broadcast). PyTorch's expand error when it can't be broadcast (leading size-1
    dims beyond target's are dropped first, as PyTorch does), before any overlap check."""
    shape, strides = value._shape, value._strides
    while len(shape) > target.ndim and shape[0] == 1:
        shape, strides = shape[1:], strides[1:]
    wide_shape, wide_strides = views.expand(shape, strides, target._shape,
                                            _legacy_type(value.dtype))
    return graph.reshape(value._node, shape), (wide_shape, wide_strides, value._offset)


def _advanced_set(x, index, value, accumulate=False):
    """x[int-array or mask] = value (or +=, with accumulate, repeated positions adding up),
    as a NumPy extern writing a new version of the storage."""
    positions = np.arange(x._storage.numel).reshape(-1)
    positions = np.lib.stride_tricks.as_strided(
        positions[x._offset:], x._shape, [s * 8 for s in x._strides]) if x.numel() else \
        positions[:0].reshape(x._shape)
    idx = _numpy_index(index, x.ndim)
    _check_masks(x, idx)
    picked = _indexed(positions, idx)
    st = x._storage
    vnode = value._node if isinstance(value, Tensor) else \
        ops.operand_node(value, x.dtype, ())
    vnode = ops.cast_node(vnode, x.dtype)
    masked_fill = len(idx) == 1 and _is_mask(idx[0]) and \
        (not isinstance(value, Tensor) or value.ndim == 0)
    views.warn_if_expanded(x._shape, x._strides, "index_put_", "tensor[indices] = tensor")
    if masked_fill:                 # PyTorch's index_put_ hands this case to masked_fill_
        views.warn_if_expanded(x._shape, x._strides, "masked_fill_", "tensor[mask] = scalar")
    if isinstance(value, Tensor) and value._storage is st and not masked_fill:
        views.check_no_partial_overlap((x._shape, x._strides, x._offset),
                                       (value._shape, value._strides, value._offset), True)
    try:
        np.broadcast_to(np.empty(vnode.shape), picked.shape)
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(vnode.shape)} cannot "
                           f"be broadcast to indexing result of shape {list(picked.shape)}")
    if isinstance(value, Tensor) and value.dtype is not x.dtype and not masked_fill:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{ops.torch_name(x.dtype)} for the destination and "
                           f"{ops.torch_name(value.dtype)} for the source.")
    flat_positions = picked.reshape(-1).copy()

    def put(old, val):
        out = old.reshape(-1).copy()
        vals = np.broadcast_to(val, picked.shape).reshape(-1)
        if accumulate:
            np.add.at(out, flat_positions, vals)
        else:
            out[flat_positions] = vals
        return out
    st.set(graph.extern("index_put", put, x.dtype, (st.numel,), (st.node, vnode)))


# -- joining ------------------------------------------------------------------------------
def _check_cat_args(tensors):
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    ops.check_same_device(tensors)


def cat(tensors, dim=0):
    """The tensors joined along dim, in their promoted dtype. As in PyTorch, 1-D tensors of
    size 0 are skipped whatever their shape."""
    tensors = list(tensors)
    _check_cat_args(tensors)
    parts = [(i, t) for i, t in enumerate(tensors) if t._shape != (0,)] or [(0, tensors[0])]
    ref = parts[0][1]
    d = normalize_dim(dim, ref.ndim)
    for i, t in parts:
        if t.ndim != ref.ndim:
            raise RuntimeError("Tensors must have same number of dimensions: got "
                               f"{ref.ndim} and {t.ndim}")
        for k in range(ref.ndim):
            if k != d and t._shape[k] != ref._shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref._shape[k]} but got size {t._shape[k]} "
                                   f"for tensor number {i} in the list.")
    out_dtype = ops.result_type(tensors)
    shape = list(ref._shape)
    shape[d] = sum(t._shape[d] for _, t in parts)
    node = graph.const(0, out_dtype, (graph.prod(shape),))
    cstrides = graph.contiguous_strides(tuple(shape))
    start = 0
    for _, t in parts:
        value = ops.cast_node(t._node, out_dtype)
        node = graph.node("assign", out_dtype, node.shape, (node, value),
                          (t._shape, cstrides, start * cstrides[d]))
        start += t._shape[d]
    return wrap(graph.reshape(node, tuple(shape)), ref.device)


def stack(tensors, dim=0):
    tensors = [as_tensor_arg(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    d = normalize_dim(dim, tensors[0].ndim + 1)
    for i, t in enumerate(tensors):
        if t._shape != tensors[0]._shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(tensors[0]._shape)} at entry 0 and {list(t._shape)} at "
                               f"entry {i}")
    return cat([unsqueeze(t, d) for t in tensors], d)


FUNCTIONS = ("view", "reshape", "contiguous", "clone", "detach", "permute", "transpose", "t",
             "expand", "expand_as", "squeeze", "unsqueeze", "flatten", "unflatten", "flip",
             "narrow", "select", "unbind", "split", "chunk", "as_strided", "diagonal",
             "movedim")


def _attach():
    g = globals()
    for name in FUNCTIONS:
        setattr(Tensor, name, g[name])
    Tensor.swapaxes = Tensor.swapdims = transpose
    Tensor.moveaxis = movedim
    Tensor.view_as = view_as
    Tensor.reshape_as = reshape_as
    Tensor.T = property(_T)
    Tensor.mT = property(_mT)
    Tensor.mH = property(lambda x: _mT(x, "mH"))
    Tensor.H = property(_H)
    Tensor.real = property(lambda x: x)          # a real tensor is its own real part
    Tensor.imag = property(_imag)
    Tensor.data = property(detach, _set_data)
    Tensor.__getitem__ = getitem
    Tensor.__setitem__ = setitem
    Tensor.squeeze_ = _inplace_view(squeeze)
    Tensor.unsqueeze_ = _inplace_view(unsqueeze)
    Tensor.t_ = _inplace_view(lambda x: t(x, "t_"), "t")
    Tensor.transpose_ = _inplace_view(transpose)
    Tensor.detach_ = detach_


def view_as(x, other):
    """Tensor.view_as(other): view(other.shape)."""
    return view(x, other.shape)


def reshape_as(x, other):
    """Tensor.reshape_as(other): reshape(other.shape)."""
    return reshape(x, other.shape)


def detach_(x):
    """Tensor.detach_(): x, detached in place (lazytensor records no graph to cut yet)."""
    return x


def _inplace_view(fn, name=None):
    def method(x, *args, **kwargs):
        v = fn(x, *args, **kwargs)
        x._shape, x._strides, x._offset = v._shape, v._strides, v._offset
        return x
    method.__name__ = (name or fn.__name__) + "_"
    return method


_attach()
