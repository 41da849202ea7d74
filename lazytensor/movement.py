"""Movement ops. Each one that PyTorch makes a view is a view here too: a new
(shape, strides, offset) over the same storage, no copy and no node of its own. The ones
PyTorch copies (flip, reshape of a non-viewable layout, contiguous of a strided view) make a
new storage whose value is read through index arithmetic inside the consumer's kernel."""
import numpy as np

from . import graph, ops, views
from .ops import normalize_dim
from .tensor import Tensor, as_tensor_arg, wrap


def _shape_args(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def view(x, *shape):
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list)) and shape[0] is not None:
        from .elementwise import to_dtype
        return to_dtype(x, shape[0])
    shape = views.infer_shape(_shape_args(shape), x.numel())
    strides = views.view_strides(x._shape, x._strides, shape)
    if strides is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride "
                           "(at least one dimension spans across two contiguous subspaces). "
                           "Use .reshape(...) instead.")
    return x._view(shape, strides, x._offset)


def reshape(x, *shape):
    shape = views.infer_shape(_shape_args(shape), x.numel())
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
    return x._view(x._shape, x._strides, x._offset)


def permute(x, *dims):
    shape, strides = views.permute(x._shape, x._strides, _shape_args(dims))
    return x._view(shape, strides, x._offset)


def transpose(x, dim0, dim1):
    n = x.ndim
    a, b = normalize_dim(dim0, n), normalize_dim(dim1, n)
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    if n == 0:
        return x._view((), (), x._offset)
    return permute(x, order)


def t(x):
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return transpose(x, 0, 1) if x.ndim == 2 else x._view(x._shape, x._strides, x._offset)


def expand(x, *sizes):
    shape, strides = views.expand(x._shape, x._strides, _shape_args(sizes))
    return x._view(shape, strides, x._offset)


def expand_as(x, other):
    return expand(x, other.shape)


def squeeze(x, dim=None):
    if dim is None:
        keep = [i for i, s in enumerate(x._shape) if s != 1]
    else:
        dims = ops.normalize_dims(dim, x.ndim) if x.ndim else ()
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
    shape = x._shape[:a] + (graph.prod(x._shape[a:b + 1]),) + x._shape[b + 1:]
    return reshape(x, shape)


def unflatten(x, dim, sizes):
    d = normalize_dim(dim, x.ndim)
    sizes = views.infer_shape(sizes, x._shape[d])
    return view(x, x._shape[:d] + tuple(sizes) + x._shape[d + 1:])


def flip(x, *dims):
    axes = ops.normalize_dims(_shape_args(dims), x.ndim)
    strides, offset = list(x._strides), x._offset
    for a in axes:
        if x._shape[a] > 0:
            offset += (x._shape[a] - 1) * strides[a]
        strides[a] = -strides[a]
    flipped = graph.node("view", x.dtype, x._shape, (x._storage.node,),
                         (x._shape, tuple(strides), offset))
    return wrap(flipped, x.device)


def narrow(x, dim, start, length):
    d = normalize_dim(dim, x.ndim)
    if start < 0:
        start += x._shape[d]
    if not 0 <= start <= x._shape[d] or length < 0 or start + length > x._shape[d]:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({x._shape[d]}).")
    shape, strides, offset = views.slice_dim(x._shape, x._strides, x._offset, d, start,
                                             start + length, 1)
    return x._view(shape, strides, offset)


def select(x, dim, index):
    if x.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, x.ndim)
    return x._view(*views.select(x._shape, x._strides, x._offset, d, int(index)))


def unbind(x, dim=0):
    d = normalize_dim(dim, x.ndim)
    return tuple(select(x, d, i) for i in range(x._shape[d]))


def split(x, split_size_or_sections, dim=0):
    d = normalize_dim(dim, x.ndim)
    size = x._shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        lengths = [min(step, size - i) for i in range(0, size, step)] or [0]
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
    d = normalize_dim(dim, x.ndim)
    step = -(-x._shape[d] // chunks) if x._shape[d] else 1
    return split(x, max(step, 1), d)


def as_strided(x, size, stride, storage_offset=None):
    offset = x._offset if storage_offset is None else storage_offset
    return x._view(tuple(size), tuple(stride), offset)


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
    return permute(x, order)


# -- indexing -----------------------------------------------------------------------------
def _basic_index(x, index):
    """The view for an index made of ints, slices, None and Ellipsis; None if advanced."""
    if not isinstance(index, tuple):
        index = (index,)
    if any(isinstance(i, (Tensor, list, np.ndarray)) or isinstance(i, bool) for i in index):
        return None
    n_real = sum(1 for i in index if i is not None and i is not Ellipsis)
    if index.count(Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if n_real > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    if Ellipsis in index:
        at = index.index(Ellipsis)
        index = index[:at] + (slice(None),) * (x.ndim - n_real) + index[at + 1:]
    shape, strides, offset = x._shape, x._strides, x._offset
    dim = 0
    for i in index:
        if i is None:
            shape = shape[:dim] + (1,) + shape[dim:]
            inner = strides[dim] * shape[dim + 1] if dim < len(strides) else 1
            strides = strides[:dim] + (inner,) + strides[dim:]
            dim += 1
        elif isinstance(i, slice):
            step = 1 if i.step is None else int(i.step)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            shape, strides, offset = views.slice_dim(
                shape, strides, offset, dim, None if i.start is None else int(i.start),
                None if i.stop is None else int(i.stop), step)
            dim += 1
        else:
            i = int(i)
            size = shape[dim]
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {dim} with size "
                                 f"{size}")
            shape, strides, offset = views.select(shape, strides, offset, dim, i)
    return shape, strides, offset


def getitem(x, index):
    basic = _basic_index(x, index)
    if basic is not None:
        return x._view(*basic)
    return _advanced_get(x, index)


def _numpy_index(index):
    if not isinstance(index, tuple):
        index = (index,)
    out = []
    for i in index:
        if isinstance(i, Tensor):
            out.append(i._values())
        elif isinstance(i, list):
            out.append(np.array(i))
        else:
            out.append(i)
    return tuple(out)


def _advanced_get(x, index):
    """Integer-array and boolean-mask indexing (realises the indices; result is a copy)."""
    from .creation import tensor_from_values
    idx = _numpy_index(index)
    try:
        values = x._values()[idx]
    except IndexError as e:
        raise IndexError(str(e)) from None
    return tensor_from_values(np.ascontiguousarray(values), x.dtype, x.device)


def setitem(x, index, value):
    value = as_tensor_arg(value)
    basic = _basic_index(x, index)
    if basic is not None:
        target = x._view(*basic)
        if isinstance(value, Tensor):
            ops.check_same_device([x, value])
            shape = ops.broadcast_shapes(target._shape, value._shape)
            if shape != target._shape:
                raise RuntimeError(f"output with shape {list(target._shape)} doesn't match the "
                                   f"broadcast shape {list(shape)}")
            node = value._node
        else:
            node = ops.operand_node(value, x.dtype, target._shape)
        target._write(node)
        return
    _advanced_set(x, index, value)


def _advanced_set(x, index, value):
    """x[int-array or mask] = value, as a NumPy extern writing a new version of the storage."""
    positions = np.arange(x._storage.numel).reshape(-1)
    positions = np.lib.stride_tricks.as_strided(
        positions[x._offset:], x._shape, [s * 8 for s in x._strides]) if x.numel() else \
        positions[:0].reshape(x._shape)
    picked = positions[_numpy_index(index)]
    st = x._storage
    vnode = value._node if isinstance(value, Tensor) else \
        ops.operand_node(value, x.dtype, ())
    vnode = ops.cast_node(vnode, x.dtype)
    try:
        np.broadcast_to(np.empty(vnode.shape), picked.shape)
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(vnode.shape)} cannot "
                           f"be broadcast to indexing result of shape {list(picked.shape)}")
    flat_positions = picked.reshape(-1).copy()

    def put(old, val):
        out = old.reshape(-1).copy()
        out[flat_positions] = np.broadcast_to(val, picked.shape).reshape(-1)
        return out
    st.set(graph.extern("index_put", put, x.dtype, (st.numel,), (st.node, vnode)))


# -- joining ------------------------------------------------------------------------------
def cat(tensors, dim=0):
    tensors = [as_tensor_arg(t) for t in tensors]
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    ops.check_same_device(tensors)
    parts = [t for t in tensors if not (t.ndim == 1 and t._shape[0] == 0)] or tensors[:1]
    ref = parts[0]
    d = normalize_dim(dim, ref.ndim)
    for i, t in enumerate(parts):
        if t.ndim != ref.ndim:
            raise RuntimeError("Tensors must have same number of dimensions: got "
                               f"{ref.ndim} and {t.ndim}")
        for k in range(ref.ndim):
            if k != d and t._shape[k] != ref._shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref._shape[k]} but got size {t._shape[k]} "
                                   f"for tensor number {i} in the list.")
    out_dtype = ops.result_type(parts)
    shape = list(ref._shape)
    shape[d] = sum(t._shape[d] for t in parts)
    node = graph.const(0, out_dtype, (graph.prod(shape),))
    cstrides = graph.contiguous_strides(tuple(shape))
    start = 0
    for t in parts:
        node = graph.node("assign", out_dtype, node.shape, (node, ops.cast_node(t._node,
                                                                                   out_dtype)),
                          (t._shape, cstrides, start * cstrides[d]))
        start += t._shape[d]
    return wrap(graph.reshape(node, tuple(shape)), ref.device)


def stack(tensors, dim=0):
    tensors = [as_tensor_arg(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if t._shape != tensors[0]._shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(tensors[0]._shape)} at entry 0 and {list(t._shape)} at "
                               f"entry {i}")
    d = normalize_dim(dim, tensors[0].ndim + 1)
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
    Tensor.view_as = lambda x, other: view(x, other.shape)
    Tensor.reshape_as = lambda x, other: reshape(x, other.shape)
    Tensor.T = property(lambda x: permute(x, tuple(range(x.ndim - 1, -1, -1))))
    Tensor.mT = property(lambda x: transpose(x, -2, -1))
    Tensor.data = property(lambda x: detach(x))
    Tensor.__getitem__ = getitem
    Tensor.__setitem__ = setitem
    Tensor.squeeze_ = _inplace_view(squeeze)
    Tensor.unsqueeze_ = _inplace_view(unsqueeze)
    Tensor.t_ = _inplace_view(t)
    Tensor.transpose_ = _inplace_view(transpose)
    Tensor.detach_ = lambda x: x


def _inplace_view(fn):
    def method(x, *args, **kwargs):
        v = fn(x, *args, **kwargs)
        x._shape, x._strides, x._offset = v._shape, v._strides, v._offset
        return x
    method.__name__ = fn.__name__ + "_"
    return method


_attach()
