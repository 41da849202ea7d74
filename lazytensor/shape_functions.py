"""Shape and indexing functions PyTorch users reach for that are made of other ops: the
tensor_split family, the stacks, take_along_dim, the *_scatter functions, put, sum_to_size,
unique_consecutive and the small predicates (is_nonzero, is_same_size, is_complex...).

Each is composed of ops that record their own derivatives (views stay views: tensor_split,
hsplit, swapaxes, atleast_3d write through to their base; the scatters write src into a
clone through a view of it), so gradients need nothing of their own. Only
unique_consecutive, whose size depends on the data, reads its input (as unique does)."""
import numpy as np

from . import creation, dtypes, movement, ops, sorting
from .nn import functional as F
from .ops import normalize_dim
from .tensor import Tensor

# -- views and splits ---------------------------------------------------------------------------


def swapaxes(input, axis0, axis1):
    return input.transpose(axis0, axis1)


def swapdims(input, dim0, dim1):
    return input.transpose(dim0, dim1)


def _swap_(self, dim0, dim1):
    return self.transpose_(dim0, dim1)


def moveaxis(input, source, destination):
    return input.movedim(source, destination)


def ravel(input):
    """input's elements in one dim: a view where input is contiguous, else a copy."""
    return input.reshape(-1)


def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def tensor_split(input, indices_or_sections, dim=0):
    """Views of input along dim: `sections` nearly equal parts (the first n % sections one
    longer), or the parts between the given indices (clamped to the dim, possibly empty)."""
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    arg = indices_or_sections
    if isinstance(arg, Tensor):
        if arg.ndim > 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a "
                               f"zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {arg.ndim} dims")
        if arg.dtype is not dtypes.int64:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have "
                               f"dtype of long, but got {ops.torch_name(arg.dtype)}")
        arg = arg.item() if arg.ndim == 0 else [int(i) for i in arg.tolist()]
    d = normalize_dim(dim, input.ndim)
    size = input.shape[d]
    if _is_int(arg):
        if arg <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {arg}")
        base, extra = divmod(size, arg)
        lengths = [base + (i < extra) for i in range(arg)]
        starts = [sum(lengths[:i]) for i in range(arg)]
        return tuple(input.narrow(d, s, n) for s, n in zip(starts, lengths))
    if not isinstance(arg, (list, tuple)) or not all(_is_int(i) for i in arg):
        raise TypeError(f"tensor_split() received an invalid combination of arguments - got "
                        f"(Tensor, {type(indices_or_sections).__name__}), but expected one of:\n"
                        f" * (Tensor input, tuple of ints indices, int dim = 0)\n"
                        f" * (Tensor input, Tensor tensor_indices_or_sections, int dim = 0)\n"
                        f" * (Tensor input, int sections, int dim = 0)\n")
    bounds = [0] + [min(max(i + size if i < 0 else i, 0), size) for i in arg] + [size]
    return tuple(input.narrow(d, a, max(b - a, 0)) for a, b in zip(bounds, bounds[1:]))


def _split_along(name, input, arg, dim, least):
    if input.ndim < least:
        what = "1 dimension" if least == 1 else f"{least} dimension"
        raise RuntimeError(f"torch.{name} requires a tensor with at least {what}, but got a "
                           f"tensor with {input.ndim} dimensions!")
    if _is_int(arg):
        size = input.shape[dim]
        if arg == 0 or size % arg:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but "
                               f"the size of the dimension {size} is not divisible by the "
                               f"split_size {arg}!")
    return tensor_split(input, arg, dim)


def hsplit(input, indices_or_sections):
    return _split_along("hsplit", input, indices_or_sections, 0 if input.ndim == 1 else 1, 1)


def vsplit(input, indices_or_sections):
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input, indices_or_sections):
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def split_with_sizes(input, split_sizes, dim=0):
    return input.split(list(split_sizes), dim)


def unsafe_split(input, split_size, dim=0):
    return input.split(split_size, dim)


def unsafe_chunk(input, chunks, dim=0):
    return input.chunk(chunks, dim)


def narrow_copy(input, dim, start, length):
    """narrow, copied into a new contiguous tensor."""
    return input.narrow(dim, start, length).clone()


# -- stacks -------------------------------------------------------------------------------------


def _tensor_list(name, tensors):
    tensors = [creation.as_tensor_arg(t) for t in tensors]
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def atleast_3d(*tensors):
    """Each tensor with at least 3 dims: () -> (1, 1, 1), (n) -> (1, n, 1), (m, n) -> (m, n, 1);
    one tensor gives a tensor, several (or a list) a tuple."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(atleast_3d(t) for t in tensors[0])
    if len(tensors) != 1:
        return tuple(atleast_3d(t) for t in tensors)
    x = tensors[0]
    if x.ndim == 0:
        return x.reshape(1, 1, 1)
    if x.ndim == 1:
        return x.unsqueeze(0).unsqueeze(-1)
    return x.unsqueeze(-1) if x.ndim == 2 else x


def column_stack(tensors):
    """The tensors side by side as columns: 0-d and 1-d ones become (n, 1) first."""
    tensors = _tensor_list("column_stack", tensors)
    cols = [t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in tensors]
    return movement.cat(cols, 1)


def row_stack(tensors):
    tensors = _tensor_list("row_stack", tensors)
    return movement.cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


def dstack(tensors):
    tensors = _tensor_list("dstack", tensors)
    return movement.cat([atleast_3d(t) for t in tensors], 2)


def broadcast_tensors(*tensors):
    """Views of the tensors expanded to their common shape."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = ops.broadcast_shapes(*(t.shape for t in tensors))
    return tuple(t.expand(shape) for t in tensors)


# -- indexing -----------------------------------------------------------------------------------


def take_along_dim(input, indices, dim=None):
    """input's values at indices along dim (input and indices broadcast in the other dims);
    with no dim, of the flattened input."""
    if indices.dtype is not dtypes.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{ops.torch_name(indices.dtype)}")
    if dim is None:
        return input.reshape(-1).gather(0, indices.reshape(-1))
    if input.ndim != indices.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.ndim} dimensions for input, "
                           f"and {indices.ndim} dimensions for indices")
    d = normalize_dim(dim, input.ndim)

    def with_dim(shape, n):
        return shape[:d] + (n,) + shape[d + 1:]
    common = ops.broadcast_shapes(with_dim(tuple(input.shape), 1),
                                  with_dim(tuple(indices.shape), 1))
    return input.expand(with_dim(common, input.shape[d])).gather(
        d, indices.expand(with_dim(common, indices.shape[d])))


def argwhere(input):
    return input.nonzero()


def unravel_index(indices, shape):
    """The coordinates in `shape` of each flat index (floor division and remainder, so -1
    is the last element and indices past the end wrap)."""
    if not isinstance(indices, Tensor):
        raise TypeError(f"expected 'indices' to be a tensor, but got {type(indices).__name__}")
    if indices.dtype.is_floating_point or indices.dtype is dtypes.bool_:
        raise TypeError(f"expected 'indices' to be integer dtype, but got "
                        f"{indices.dtype}")
    shape = (shape,) if _is_int(shape) else tuple(shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    flat = indices.to(dtypes.int64)
    out, stride = [], 1
    for size in reversed(shape):
        out.append(flat.div(stride, rounding_mode="floor").remainder(size) if size else
                   flat * 0)
        stride *= size
    return tuple(reversed(out))


def msort(input):
    return input.sort(dim=0).values


def diagflat(input, offset=0):
    """The flattened input as the given diagonal of a square matrix."""
    return input.reshape(-1).diag(offset)


def _check_src(src, view):
    if tuple(src.shape) != tuple(view.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size "
                           f"= {list(src.shape)}, slice size = {list(view.shape)}")


def _scatter_into(input, src, region):
    """A copy of input with src written over region(copy) (a view of it)."""
    _check_src(src, region(input))
    out = input.clone()
    region(out).copy_(src)
    return out


def select_scatter(input, src, dim, index):
    return _scatter_into(input, src, lambda t: t.select(dim, index))


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    index = [slice(None)] * input.ndim
    index[normalize_dim(dim, input.ndim)] = slice(start, end, step)
    return _scatter_into(input, src, lambda t: t[tuple(index)])


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    return _scatter_into(input, src, lambda t: t.diagonal(offset, dim1, dim2))


def as_strided_scatter(input, src, size, stride, storage_offset=None):
    """input (made contiguous) with src written over its as_strided(size, stride) view."""
    base = input.contiguous()
    if storage_offset is None:
        storage_offset = 0

    def region(t):
        return t.as_strided(size, stride, storage_offset)
    _check_src(src, region(base))
    out = base.clone()
    region(out).copy_(src)
    return out


def _flat_positions(self, index, source, name):
    if index.dtype is not dtypes.int64:
        raise RuntimeError(f"{name}(): Expected a long tensor for index, but got "
                           f"{ops.torch_name(index.dtype)}")
    if self.dtype is not source.dtype:
        raise RuntimeError(f"{name}(): self and source expected to have the same dtype, but "
                           f"got self.dtype = {ops.torch_name(self.dtype)} and source.dtype = "
                           f"{ops.torch_name(source.dtype)}")
    if index.numel() != source.numel():
        raise IndexError(f"{name}(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source.numel()}, "
                         f"index.numel() = {index.numel()}")
    n = self.numel()
    for i in index.reshape(-1).tolist():
        if not -n <= i < n:
            raise IndexError(f"out of range: tried to access index {i} on a tensor of {n} "
                             f"elements.")
    return index.reshape(-1)


def put(input, index, source, accumulate=False):
    """A copy of input with source's values written (or added, accumulate=True) at the
    flat positions index names (as if input were 1-D)."""
    at = _flat_positions(input, index, source, "put_")
    flat = input.reshape(-1).index_put((at,), source.reshape(-1), accumulate)
    return flat.reshape(input.shape)


def put_(self, index, source, accumulate=False):
    return self.copy_(put(self, index, source, accumulate))


# copy_ records the write (and put's steps their own derivatives): autograd need not wrap it
put_._lt_autograd = True


def index_put(input, indices, values, accumulate=False):
    return input.index_put(indices, values, accumulate)


def index_put_(input, indices, values, accumulate=False):
    return input.index_put_(indices, values, accumulate)


def fill(input, value):
    """A new tensor of input's shape and dtype, every element value."""
    return input.clone().fill_(value)


def fill_(input, value):
    return input.fill_(value)


def zero_(input):
    return input.zero_()


def sum_to_size(self, *size):
    """self summed down to size (which must expand to self's shape); self itself when the
    shapes are equal."""
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (list, tuple)) else size
    shape = tuple(self.shape)
    lead = len(shape) - len(size)
    if lead < 0 or any(s != 1 and s != shape[lead + i] for i, s in enumerate(size)):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    if size == shape:
        return self
    out = self.sum(tuple(range(lead))) if lead else self
    dims = tuple(i for i, s in enumerate(size) if s == 1 and out.shape[i] != 1)
    return out.sum(dims, keepdim=True) if dims else out


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """The first element of each run of equal consecutive values (or slices along dim),
    and optionally each element's run and each run's length. NaN equals nothing, so each
    NaN is a run of its own. Reads input: the result's size depends on its values."""
    stored = sorting._stored(input)
    if dim is None:
        values = stored.reshape(-1)
        rows = sorting._comparable(values, input.dtype)[:, None]
        inverse_shape = tuple(input.shape)
    else:
        d = normalize_dim(dim, input.ndim)
        values = np.moveaxis(stored, d, 0)
        rows = sorting._comparable(values, input.dtype).reshape(values.shape[0], -1)
        inverse_shape = (values.shape[0],)
    starts = np.ones(len(rows), bool)
    if len(rows):
        starts[1:] = (rows[1:] != rows[:-1]).any(axis=1) if rows.shape[1] else False
    firsts = np.nonzero(starts)[0]
    kept = values[firsts]
    if dim is not None:
        kept = np.moveaxis(kept, 0, d)
    out = sorting._wrap_stored(kept, input)
    if not (return_inverse or return_counts):
        return out
    parts = [out]
    if return_inverse:
        inverse = (np.cumsum(starts) - 1).reshape(inverse_shape)
        parts.append(creation.tensor_from_values(inverse, dtypes.int64, input.device))
    if return_counts:
        counts = np.diff(np.r_[firsts, len(rows)])
        parts.append(creation.tensor_from_values(counts, dtypes.int64, input.device))
    return tuple(parts)


# -- allocation and predicates ------------------------------------------------------------------


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """Uninitialised memory seen through the given sizes and strides."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    needed = 0 if 0 in size else 1 + sum((s - 1) * st for s, st in zip(size, stride))
    flat = creation.empty(needed, dtype=dtype, device=device)
    out = flat.as_strided(size, stride, 0)
    return out.requires_grad_() if requires_grad else out


def new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                      requires_grad=False, pin_memory=False):
    return empty_strided(size, stride, dtype=self.dtype if dtype is None else dtype,
                         device=self.device if device is None else device,
                         requires_grad=requires_grad)


def is_nonzero(input):
    """Whether input's one value is nonzero (PyTorch's error for none or several)."""
    if input.numel() == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if input.numel() > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return input.item() != 0


def is_same_size(input, other):
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input):
    return input.is_signed()


def is_complex(input):
    return bool(getattr(input.dtype, "is_complex", False))


def is_conj(input):
    return False


def is_neg(input):
    return False


def resolve_conj(input):
    return input


def resolve_neg(input):
    return input


def detach(input):
    return input.detach()


# -- copies of views, and a few more -------------------------------------------------------------


def _copying(view_op):
    """The `*_copy` form of a view op: the same values in a new contiguous tensor."""
    def copy(input, *args, **kwargs):
        out = view_op(input, *args, **kwargs)
        if isinstance(out, tuple):
            return tuple(o.clone() for o in out)
        return out.clone()
    return copy


alias_copy = _copying(lambda x: x.view(x.shape))
as_strided_copy = _copying(lambda x, size, stride, storage_offset=None:
                           x.as_strided(size, stride, storage_offset))
detach_copy = _copying(lambda x: x.detach())
diagonal_copy = _copying(lambda x, offset=0, dim1=0, dim2=1: x.diagonal(offset, dim1, dim2))
expand_copy = _copying(lambda x, size, *, implicit=False: x.expand(size))
permute_copy = _copying(lambda x, dims: x.permute(dims))
select_copy = _copying(lambda x, dim, index: x.select(dim, index))
slice_copy = _copying(lambda x, dim=0, start=None, end=None, step=1:
                      x[(slice(None),) * (dim % x.ndim) + (slice(start, end, step),)])
split_copy = _copying(lambda x, split_size, dim=0: x.split(split_size, dim))
split_with_sizes_copy = _copying(lambda x, split_sizes, dim=0: x.split(list(split_sizes), dim))
squeeze_copy = _copying(lambda x, dim=None: x.squeeze() if dim is None else x.squeeze(dim))
t_copy = _copying(lambda x: x.t())
transpose_copy = _copying(lambda x, dim0, dim1: x.transpose(dim0, dim1))
unbind_copy = _copying(lambda x, dim=0: x.unbind(dim))
unfold_copy = _copying(lambda x, dimension, size, step: x.unfold(dimension, size, step))
unsqueeze_copy = _copying(lambda x, dim: x.unsqueeze(dim))
view_copy = _copying(lambda x, *shape: x.view(*shape))


def as_strided(input, size, stride, storage_offset=None):
    return input.as_strided(size, stride, storage_offset)


def as_strided_(self, size, stride, storage_offset=None):
    """self made the as_strided view of its storage (in place)."""
    view = self.as_strided(size, stride, storage_offset)
    self._shape, self._strides, self._offset = view._shape, view._strides, view._offset
    return self


def adjoint(input):
    """The conjugate transpose of the last two dims (a view)."""
    if input.ndim < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {input.ndim}-D tensor.")
    return input.mH


def unsafe_split_with_sizes(input, split_sizes, dim=0):
    return input.split(list(split_sizes), dim)


def masked_scatter(input, mask, source):
    """input with the positions where mask (broadcast to input) is True filled with source's
    first elements in order. Composed (a running count of the mask picks source's element),
    so it stays lazy; counting the mask for the size check reads it."""
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {ops.torch_name(mask.dtype)}")
    if input.dtype is not source.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but "
                           f"got{ops.torch_name(input.dtype)} and {ops.torch_name(source.dtype)}")
    mask = mask.expand(input.shape)
    flat_mask = mask.reshape(-1)
    if int(flat_mask.sum().item()) > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    if source.numel() == 0:
        return input.clone()
    at = (flat_mask.to(dtypes.int64).cumsum(0) - 1).clamp_min(0)
    picked = source.reshape(-1).index_select(0, at).reshape(input.shape)
    return picked.where(mask, input)


def masked_scatter_(self, mask, source):
    if mask.ndim > self.ndim:
        raise RuntimeError(f"expand(CPUBoolType{{{list(mask.shape)}}}, size={list(self.shape)}):"
                           f" the number of sizes provided ({self.ndim}) must be greater or "
                           f"equal to the number of dimensions in the tensor ({mask.ndim})")
    return self.copy_(masked_scatter(self, mask, source))


masked_scatter_._lt_autograd = True     # copy_ records the write, masked_scatter its steps


def nonzero_static(input, *, size, fill_value=-1):
    """nonzero's rows, cut or padded with fill_value to exactly `size` rows."""
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    rows = input.nonzero()[:size]
    if rows.shape[0] == size:
        return rows
    pad = creation.full((size - rows.shape[0], input.ndim), fill_value, dtype=dtypes.int64,
                        device=input.device)
    return movement.cat([rows, pad], 0)


def channel_shuffle(input, groups):
    """The channels (dim 1) regrouped: (N, g * k, *) read as (N, g, k, *) with g and k
    swapped."""
    if input.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(input.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    c = input.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    n, rest = input.shape[0], tuple(input.shape[2:])
    return input.reshape((n, groups, c // groups) + rest).transpose(1, 2).reshape(input.shape)


native_channel_shuffle = channel_shuffle


def constant_pad_nd(input, pad, value=0):
    return F.pad(input, list(pad), value=value)


FUNCTIONS = ("swapaxes", "swapdims", "moveaxis", "ravel", "tensor_split", "hsplit", "vsplit",
             "dsplit", "split_with_sizes", "unsafe_split", "unsafe_chunk", "narrow_copy",
             "atleast_3d", "column_stack", "row_stack", "dstack", "broadcast_tensors",
             "take_along_dim", "argwhere", "unravel_index", "msort", "diagflat",
             "select_scatter", "slice_scatter", "diagonal_scatter", "as_strided_scatter", "put",
             "index_put", "index_put_", "fill", "fill_", "zero_", "unique_consecutive",
             "empty_strided", "is_nonzero", "is_same_size", "is_signed", "is_complex",
             "is_conj", "is_neg", "resolve_conj", "resolve_neg", "detach", "alias_copy",
             "as_strided_copy", "detach_copy", "diagonal_copy", "expand_copy", "permute_copy",
             "select_copy", "slice_copy", "split_copy", "split_with_sizes_copy", "squeeze_copy",
             "t_copy", "transpose_copy", "unbind_copy", "unfold_copy", "unsqueeze_copy",
             "view_copy", "as_strided", "as_strided_", "adjoint", "unsafe_split_with_sizes",
             "masked_scatter", "nonzero_static", "channel_shuffle", "native_channel_shuffle", "constant_pad_nd")
__all__ = FUNCTIONS

# Tensor methods (those PyTorch has); swapaxes, moveaxis, index_put, fill_, zero_, detach and
# is_signed are methods already
METHODS = ("ravel", "tensor_split", "hsplit", "vsplit", "dsplit", "split_with_sizes",
           "unsafe_split", "unsafe_chunk", "narrow_copy", "take_along_dim", "argwhere", "msort",
           "diagflat", "select_scatter", "slice_scatter", "diagonal_scatter",
           "as_strided_scatter", "put", "put_", "sum_to_size", "unique_consecutive",
           "new_empty_strided", "is_nonzero", "is_same_size", "is_complex", "is_conj", "is_neg",
           "resolve_conj", "resolve_neg", "adjoint", "unsafe_split_with_sizes",
           "masked_scatter", "masked_scatter_", "nonzero_static", "as_strided_")


def _attach():
    g = globals()
    for name in METHODS:
        setattr(Tensor, name, g[name])
    Tensor.swapaxes_ = Tensor.swapdims_ = _swap_
    Tensor.nbytes = property(lambda x: x.numel() * x.dtype.itemsize)
    Tensor.itemsize = property(lambda x: x.dtype.itemsize)


_attach()
