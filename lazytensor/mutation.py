"""Writing into tensors: copy_, fill_, zero_, masked_fill_, index_put_, the in-place random
fills (uniform_, normal_, random_), and the views PyTorch exposes over raw memory
(data_ptr, untyped_storage, unfold). Every write is a new version of the storage."""
import builtins

import numpy as np

from . import dtypes, graph, ops, views
from . import random as rng
from .movement import _advanced_set
from .tensor import Tensor
from .creation import as_tensor_arg, empty
from .ops import torch_name
from .typeinfo import finfo
from .user_warnings import warn


def _check_writable(self, src=None):
    views.check_no_internal_overlap(self._shape, self._strides)
    if isinstance(src, Tensor) and src._storage is self._storage:
        views.check_no_partial_overlap((self._shape, self._strides, self._offset),
                                       (src._shape, src._strides, src._offset))


def copy_(self, src, non_blocking=False):
    """Copy src's values into self: broadcast to self's shape, cast to self's dtype."""
    src = as_tensor_arg(src)
    if ops.is_scalar(src):
        return fill_(self, src)
    if src is self or (src._storage is self._storage and src._shape == self._shape and
                       src._strides == self._strides and src._offset == self._offset):
        return self             # PyTorch's copy_ of a tensor into itself: nothing to do
    if src.device != self.device:
        src = src.to(self.device)
    _check_writable(self, src)
    shape = ops.broadcast_shapes(self._shape, src._shape)
    if shape != self._shape:
        raise RuntimeError(f"output with shape {list(self._shape)} doesn't match the "
                           f"broadcast shape {list(shape)}")
    return self._write(ops.cast_node(src._node, self.dtype, discard_imag=True))


def fill_(self, value):
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value.ndim} dimensions.")
        _check_writable(self)
        return self._write(ops.cast_node(value._node, self.dtype))
    # a number: every element gets the same value, so PyTorch lets it fill an expanded view
    return self._write(ops.operand_node(ops.fill_value_of(value, self.dtype, self.numel()),
                                        self.dtype, self._shape, self.device.type == "cpu"))


def fill_diagonal_(self, fill_value, wrap=False):
    """Fill the elements whose indices are all equal; with wrap, a matrix taller than wide
    starts its diagonal again every (columns + 1) rows, as PyTorch (and NumPy) do."""
    if self.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if self.ndim > 2 and len(set(self._shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    n, step = min(self._shape), sum(self._strides)
    starts = [(0, n)]
    if wrap and self.ndim == 2:
        rows, cols = self._shape
        starts += [(r, min(cols, rows - r)) for r in range(cols + 1, rows, cols + 1)]
    for row, length in starts:
        self._view((length,), (step,), self._offset + row * self._strides[0]).fill_(fill_value)
    return self


def zero_(self):
    return fill_(self, 0)


def masked_fill_(self, mask, value, _warn_as="masked_fill_"):
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{ops.c_type_name(mask.dtype)}")
    ops.check_same_device([self, mask])
    shape = ops.broadcast_shapes(self._shape, mask._shape)
    if shape != self._shape:
        raise RuntimeError(f"output with shape {list(self._shape)} doesn't match the broadcast "
                           f"shape {list(shape)}")
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.ndim} dimension(s).")
    if _warn_as:
        views.warn_if_expanded(self._shape, self._strides, _warn_as, "tensor[mask] = scalar")
    fill = ops.cast_node(value._node, self.dtype) if isinstance(value, Tensor) else \
        ops.operand_node(ops.fill_value_of(value, self.dtype), self.dtype, (),
                         self.device.type == "cpu")
    node = graph.node("where", self.dtype, self._shape,
                      (graph.expand(mask._node, self._shape), graph.expand(fill, self._shape),
                       self._node))
    return self._write(node)


def index_fill_(self, dim, index, value):
    """Fill the slices of self at the given positions along dim with value."""
    if not isinstance(index, Tensor):
        raise TypeError(f"index_fill_(): argument 'index' (position 2) must be Tensor, not "
                        f"{type(index).__name__}")
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.ndim} dimension(s).")
        value = value.item()
    if index.dtype is not dtypes.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    d = ops.normalize_dim(dim, builtins.max(self.ndim, 1))
    if index.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    size = self._shape[d] if self.ndim else 1
    positions = index.numpy().reshape(-1)
    bad = positions[(positions < -size) | (positions >= size)]
    if bad.size:
        raise IndexError(f"index {bad[0]} is out of bounds for dimension {d} with size {size}")
    picked = np.zeros(size, bool)
    picked[positions] = True
    along = [1] * self.ndim
    if self.ndim:
        along[d] = size
    mask = Tensor._from_array(picked.reshape(along), dtypes.bool_, self.device)
    return masked_fill_(self, mask, value, _warn_as="index_fill_")


def index_fill(self, dim, index, value):
    return index_fill_(self.clone(), dim, index, value)


def masked_fill(self, mask, value):
    """A copy of self, broadcast with mask (unlike masked_fill_), filled where mask is True."""
    if isinstance(mask, Tensor) and mask.dtype is dtypes.bool_:
        shape = ops.broadcast_shapes(mask._shape, self._shape)    # PyTorch's order
        if shape != self._shape:
            self = self.expand(shape)
    return masked_fill_(self.clone(), mask, value)


def index_put_(self, indices, values, accumulate=False):
    if not isinstance(indices, tuple):
        raise TypeError("index_put_(): argument 'indices' must be tuple of Tensors")
    _advanced_set(self, indices, as_tensor_arg(values), accumulate)
    return self


def index_put(self, indices, values, accumulate=False):
    return index_put_(self.clone(), indices, values, accumulate)


# -- scatter: writes at positions an index tensor gives -----------------------------------------
def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    """self[index[i][j]][j] = src[i][j] for dim 0 (and so on), in index order: with repeated
    positions the last write wins. A Python number as src (or value=) writes that number."""
    return _scatter(self, dim, index, value if src is None else src, "scatter", reduce)


def scatter(self, dim, index, src=None, *, value=None, reduce=None):
    return scatter_(self.clone(), dim, index, src, value=value, reduce=reduce)


def scatter_add_(self, dim, index, src):
    """self[index[i][j]][j] += src[i][j] for dim 0 (and so on), summed in index order."""
    return _scatter(self, dim, index, src, "scatter_add", "add")


def scatter_add(self, dim, index, src):
    return scatter_add_(self.clone(), dim, index, src)


def _index_along(name, self, dim, index, source):
    """index_add_ / index_copy_: the 1-D index checked (PyTorch's messages) and laid out as
    a scatter index of source's shape along dim."""
    index = as_tensor_arg(index)
    if index.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    d = ops.normalize_dim(dim, builtins.max(self.ndim, 1))
    count = source._shape[d] if source.ndim else 1
    if index.numel() != count:
        raise RuntimeError(f"{name}(): Number of indices ({index.numel()}) should be equal to "
                           f"source.size(dim) ({count})")
    if source.ndim != self.ndim:
        raise IndexError(f"{name}(): Source/destination tensor must have same slice shapes")
    along = [-1 if k == d else 1 for k in range(source.ndim)]
    return d, index.reshape(along).expand(source._shape) if source.ndim else index.reshape(())


def index_add_(self, dim, index, source, *, alpha=1):
    """self's slices along dim at index gain source's (times alpha); repeated indices add
    up."""
    d, where = _index_along("index_add_", self, dim, index, source)
    return _scatter(self, d, where, source if alpha == 1 else source * alpha, "index_add_",
                    "add")


def index_add(self, dim, index, source, *, alpha=1):
    return index_add_(self.clone(), dim, index, source, alpha=alpha)


def index_copy_(self, dim, index, source):
    """self's slices along dim at index replaced by source's."""
    d, where = _index_along("index_copy_", self, dim, index, source)
    return _scatter(self, d, where, source, "index_copy_", None)


def index_copy(self, dim, index, source):
    return index_copy_(self.clone(), dim, index, source)


def _scatter(self, dim, index, src, name, reduce):
    if reduce not in (None, "add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    index = as_tensor_arg(index)
    d = ops.normalize_dim(dim, self.ndim)
    if index.ndim != self.ndim and index.numel() != 0:
        raise RuntimeError("Index tensor must have the same number of dimensions as self "
                           "tensor")
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if isinstance(src, Tensor):
        too_big = any(i > s for k, (i, s) in enumerate(zip(index._shape, self._shape))
                      if k != d) or any(i > s for i, s in zip(index._shape, src._shape))
        if too_big:
            raise RuntimeError(f"Expected index {list(index._shape)} to be no larger than self "
                               f"{list(self._shape)} apart from dimension {d} and to be no "
                               f"larger size than src {list(src._shape)}")
        src_node = ops.cast_node(src._node, self.dtype)
    else:
        src_node = graph.const(ops.fill_value_of(src, self.dtype), self.dtype, index._shape)
    _check_writable(self)
    size = self._shape[d] if self.ndim else 1
    ops.check_index_range(index, d, size)
    bits = self.dtype is dtypes.bfloat16

    def fn(target, idx, values):
        out = target.copy()
        idx = idx.astype(np.int64)
        values = values[tuple(slice(0, n) for n in idx.shape)]
        where = tuple(idx if k == d else np.arange(n).reshape(
            [n if j == k else 1 for j in range(idx.ndim)]) for k, n in enumerate(idx.shape))
        if reduce == "add":
            np.add.at(out, where, values)
        elif reduce == "multiply":
            np.multiply.at(out, where, values)
        else:
            out[where] = values
        return out
    srcs = [self._node, index._node, src_node]
    if bits:                                   # bfloat16 is stored as bits: work in float32
        srcs = [ops.cast_node(srcs[0], dtypes.float32), srcs[1],
                ops.cast_node(srcs[2], dtypes.float32)]
    node = graph.extern(name, fn, dtypes.float32 if bits else self.dtype, self._shape, srcs)
    return self._write(ops.cast_node(node, self.dtype))


# -- random fills ----------------------------------------------------------------------------
def _fill_values(self, values):
    """Write freshly drawn values into self. PyTorch's random fills visit the elements of a
    view in memory order (its TensorIterator's, smallest stride fastest), so value k of the
    draw goes to the element that order visits k-th, not to the k-th in index order."""
    _check_writable(self)
    values = np.ascontiguousarray(_in_visit_order(self, np.ascontiguousarray(values).ravel()))
    flat = Tensor._from_array(values, dtypes.float32
                              if self.dtype is dtypes.bfloat16 else self.dtype)
    return self._write(ops.cast_node(flat._node, self.dtype))


def _float_only(self, name):
    if not self.dtype.is_floating_point:
        raise ops.not_implemented(name, self.dtype)


def uniform_(self, from_=0.0, to=1.0, *, generator=None):
    _check_writable(self)               # every check before the draw: a failure draws nothing
    _float_only(self, "check_uniform_bounds")
    gen = generator or rng.default_generator
    return _fill_values(self, rng.uniform(gen, self._shape, self.dtype.name, from_, to))


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    _check_writable(self)
    _float_only(self, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    gen = generator or rng.default_generator
    return _fill_values(self, rng.normal(gen, self._shape, self.dtype.name, mean, std,
                                         one_at_a_time=not self.is_contiguous()))


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, device=None,
           requires_grad=False):
    """torch.normal: N(mean, std) draws. With numbers, a tensor of `size`; with a tensor mean
    and/or std, one draw per element of their broadcast shape, made as PyTorch makes them
    (N(0, std) plus mean for a tensor mean; N(0, 1) times std plus mean for a tensor std)."""
    gen = generator or rng.default_generator
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError("normal() missing required argument 'size'")
        result = empty(size, dtype=dtype, device=device).normal_(mean, std, generator=gen)
    else:
        if isinstance(std, Tensor):
            if std.numel() and bool((std < 0).any()):
                raise RuntimeError("normal expects all elements of std >= 0.0")
        elif std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        like = [t for t in (mean, std) if isinstance(t, Tensor)]
        if not all(t.dtype.is_floating_point for t in like):
            raise NotImplementedError("\"normal_kernel_cpu\" not implemented for 'Long'")
        shape = ops.broadcast_shapes(*(t._shape for t in like))
        result = empty(shape, dtype=like[0].dtype, device=like[0].device)
        if isinstance(std, Tensor):
            result = result.normal_(0.0, 1.0, generator=gen) * std + mean
        else:
            result = result.normal_(0.0, std, generator=gen) + mean
    if requires_grad:
        result.requires_grad_(True)
    return result if out is None else out.copy_(result)


def _in_visit_order(self, flat):
    """A view, shaped like self, of the 1-D array `flat` whose k-th value belongs to the
    element PyTorch's fills visit k-th (memory order: smallest stride fastest)."""
    order = views.dense_strides(self._shape, self._strides)
    return np.lib.stride_tricks.as_strided(flat, self._shape,
                                           [s * flat.itemsize for s in order])


def bernoulli_(self, p=0.5, *, generator=None):
    """1 with probability p, else 0, in each element: PyTorch's CPU draws (on this kind of
    machine: a double uniform below p per element; for a float tensor of probabilities, a
    float uniform below each)."""
    _check_writable(self)
    gen = generator or rng.default_generator
    if isinstance(p, Tensor):
        if not p.dtype.is_floating_point:
            raise ops.not_implemented("bernoulli_tensor_cpu_p_", p.dtype)
        probs = np.broadcast_to(p.expand(self._shape)._values(), self._shape)
        if ((probs < 0) | (probs > 1)).any():
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  "
                               "(Could this error message be improved?  If so, please report "
                               "an enhancement request to PyTorch.)")
        listed = np.empty(self.numel(), probs.dtype)
        _in_visit_order(self, listed)[...] = probs
        probs = listed
        draws = rng._uniform_double(gen, probs.size) if p.dtype is dtypes.float64 else \
            rng._uniform_float(gen, probs.size)
        hits = draws < probs.astype(draws.dtype)
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        hits = rng._uniform_double(gen, self.numel()) < p
    return _fill_values(self, hits.astype(np.float64 if self.dtype.is_floating_point
                                          else self.dtype.np_storage))


def bernoulli(x, p=None, *, generator=None):
    """A new tensor like x of draws: with probability x (elementwise), or p if given."""
    out = empty(x._shape, dtype=x.dtype, device=x.device)
    return bernoulli_(out, x if p is None else p, generator=generator)


def exponential_(self, lambd=1.0, *, generator=None):
    """Exponential draws with rate lambd: -log1p(-u) / lambd of a double uniform u."""
    _check_writable(self)
    if not self.dtype.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{torch_name(self.dtype)}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    gen = generator or rng.default_generator
    u = rng._uniform_double(gen, self.numel())
    values = -1.0 / lambd * np.log1p(-u)
    if self.dtype.itemsize == 2:        # PyTorch's half types convert from double via float
        values = values.astype(np.float32)
    return _fill_values(self, values)


def _double_draws(self, transform, generator):
    """self filled with transform(u) of one double uniform draw u per element, in order (as
    PyTorch's serial kernels draw), rounded once to self's dtype (half types via float)."""
    gen = generator or rng.default_generator
    values = transform(rng._uniform_double(gen, self.numel()))
    if self.dtype.itemsize == 2 and self.dtype.is_floating_point:
        values = values.astype(np.float32)
    return _fill_values(self, values)


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Cauchy draws: median + sigma tan(pi (u - 1/2))."""
    _check_writable(self)
    if not self.dtype.is_floating_point:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{ops.c_type_name(self.dtype)}")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    return _double_draws(self,
                         lambda u: median + sigma * np.tan(np.pi * (u - 0.5)), generator)


def geometric_(self, p, *, generator=None):
    """Geometric draws (trials to the first success): ceil(log(u) / log1p(-p))."""
    _check_writable(self)
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    return _double_draws(self,
                         lambda u: np.ceil(np.log(u) / np.log1p(-p)), generator)


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Log-normal draws: exp(mean + std z) of normal_distribution<double> draws z (which
    keep PyTorch's cached second Box-Muller value)."""
    _check_writable(self)
    if not self.dtype.is_floating_point:
        raise ops.not_implemented("log_normal_cpu", self.dtype)
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    gen = generator or rng.default_generator
    values = np.exp(rng._normal_scalar_samples(gen, self.numel()) * std + mean)
    if self.dtype.itemsize == 2:
        values = values.astype(np.float32)
    return _fill_values(self, values)


def random_(self, from_=None, to=None, *, generator=None):
    _check_writable(self)
    gen = generator or rng.default_generator
    if from_ is None and to is None:
        values = rng.random_(gen, self._shape, self.dtype.name)
    else:
        low, high = (0, from_) if to is None else (from_, to)
        if low >= high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={low} >= to={high}")
        _check_random_bounds(self.dtype, int(low), int(high))
        values = rng.randint(gen, int(low), int(high), self._shape, self.dtype.name)
    return _fill_values(self, values)


# digits of precision: above 2**digits a float type cannot hold every integer
_FLOAT_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}


def _check_random_bounds(d, low, high):
    """PyTorch's limits on random_(from, to): both ends within the dtype's range, and a
    warning when a float type cannot hold every integer between them."""
    if d.is_floating_point:
        lo, hi = finfo(d).min, finfo(d).max
    else:
        lo, hi = (0, 1) if d is dtypes.bool_ else \
            (int(np.iinfo(d.np_storage).min), int(np.iinfo(d.np_storage).max))
    name = "bool" if d is dtypes.bool_ else ops.c_type_name(d)
    for value, what in ((low, "from"), (high - 1, "to - 1")):
        if not lo <= value <= hi:
            raise RuntimeError(f"{what} is out of bounds for {name}")
    if d.is_floating_point:
        digits = _FLOAT_DIGITS[d.name]
        for value, what in ((low, "from"), (high - 1, "to - 1")):
            if not -(2 ** digits) <= value <= 2 ** digits:
                warn(f"{what} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                     f"limitations {name} can support discrete uniform distribution only "
                     "within this range. This warning will become an error in version 1.7 "
                     "release, please fix the code in advance")


# -- memory ----------------------------------------------------------------------------------
class UntypedStorage:
    """The bytes behind a tensor: PyTorch's torch.UntypedStorage, read-only here."""

    def __init__(self, storage):
        self._storage = storage

    def nbytes(self):
        return self._storage.numel * self._storage.dtype.itemsize

    size = nbytes

    def __len__(self):
        return self.nbytes()

    def data_ptr(self):
        """The memory's address. On the CPU the memory leaves the library with it (it may be
        written through the address), so it is shared from now on, as .numpy() shares it."""
        if self._storage.device.type == "cpu":
            return self._storage.share().array.ctypes.data
        return self._storage.realize().array.ptr

    @property
    def device(self):
        return self._storage.device


def data_ptr(self):
    """Address of this tensor's first element (realises its storage)."""
    return UntypedStorage(self._storage).data_ptr() + self._offset * self.dtype.itemsize


def untyped_storage(self):
    return UntypedStorage(self._storage)


def unfold(self, dimension, size, step):
    """All slices of `size` elements along dimension, `step` apart, as a new last dim."""
    d = ops.normalize_dim(dimension, self.ndim) if self.ndim else 0
    length = self._shape[d] if self.ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    stride = self._strides[d] if self.ndim else 1
    shape = list(self._shape)
    strides = list(self._strides)
    if self.ndim:
        shape[d] = (length - size) // step + 1
        strides[d] = stride * step
    return self._view(tuple(shape) + (size,), tuple(strides) + (stride,), self._offset)


for _name in ("copy_", "fill_", "fill_diagonal_", "scatter_", "scatter", "scatter_add_",
              "scatter_add", "zero_", "masked_fill_", "masked_fill", "index_fill_", "index_fill",
              "index_put_",
              "index_put", "uniform_", "normal_", "random_", "bernoulli_", "bernoulli",
              "exponential_", "cauchy_", "geometric_", "log_normal_", "data_ptr",
              "untyped_storage",
              "unfold", "index_add_", "index_add", "index_copy_", "index_copy"):
    setattr(Tensor, _name, globals()[_name])
