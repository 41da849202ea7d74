"""scatter_reduce and index_reduce: src's values combined (sum, prod, mean, amax, amin) into
the positions of self that an index tensor names, with include_self deciding whether self's
own value takes part. Like scatter, each is an extern node over NumPy's ufunc.at; the index
is read at the call, so an index out of range raises there and self stays valid.

PyTorch's CPU kernels differ in one respect this module keeps: scatter_reduce computes
float16/bfloat16 in float32 and rounds once, index_reduce rounds after every step."""
import builtins

import numpy as np

from . import dtypes, graph, ops
from . import random as rng
from .mutation import _check_writable
from .ops import torch_name
from .tensor import Tensor, wrap
from .user_warnings import warn

_SCATTER_REDUCES = ("sum", "prod", "mean", "amax", "amin")
_INDEX_REDUCES = ("prod", "mean", "amax", "amin")
_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
           "amin": np.minimum}
_LEGACY_NAMES = {"max": "amax", "min": "amin"}    # scatter_reduce still takes these
_MISSING = object()


def _need(fname, argname, pos, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{argname}' (position {pos}) must be Tensor, not "
                        f"{type(x).__name__}")


def _need_reduce(fname, reduce):
    if reduce is _MISSING:
        raise TypeError(f'{fname}() missing 1 required positional arguments: "reduce"')
    if not isinstance(reduce, str):
        raise TypeError(f"{fname}(): argument 'reduce' must be str, not "
                        f"{type(reduce).__name__}")


def _need_bool(fname, include_self):
    if not isinstance(include_self, bool):
        raise TypeError(f"{fname}(): argument 'include_self' must be bool, not "
                        f"{type(include_self).__name__}")


def _identity(reduce, np_dtype):
    """The value a position starts from when include_self=False leaves self's out."""
    if np_dtype == np.bool_:
        return reduce in ("prod", "amin")
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if np.issubdtype(np_dtype, np.floating):
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(np_dtype)
    return info.min if reduce == "amax" else info.max


def _at_least_1d(shape):
    return shape if shape else (1,)


def _positions(idx, d):
    """The NumPy index tuple that sends element i of idx to (..., idx[i], ...) along d."""
    return tuple(idx if k == d else np.arange(n).reshape(
        [n if j == k else 1 for j in range(idx.ndim)]) for k, n in enumerate(idx.shape))


def _apply_stepwise_bfloat16(out, where, values, ufunc):
    """ufunc.at with the result rounded to bfloat16 after every step, as a bfloat16 loop
    does: the k-th contribution to each position is applied in round k."""
    flat = np.ravel_multi_index(tuple(np.broadcast_arrays(*where)), out.shape).ravel()
    vals = np.broadcast_to(values, np.broadcast_shapes(*(w.shape for w in where))).ravel()
    order = np.argsort(flat, kind="stable")
    sorted_flat = flat[order]
    starts = np.r_[0, np.nonzero(np.diff(sorted_flat))[0] + 1]
    rank = np.empty(flat.size, np.int64)
    rank[order] = np.arange(flat.size) - np.repeat(starts, np.diff(np.r_[starts, flat.size]))
    view = out.reshape(-1)
    for r in range(int(rank.max()) + 1 if rank.size else 0):
        pick = rank == r
        view[flat[pick]] = rng._to_bfloat16(ufunc(view[flat[pick]], vals[pick]))


def _reduce_node(self, d, index, src, reduce, include_self, stepwise, name):
    """A node of self's shape: self with src reduced in at index along d (for mean, the sum;
    the division by the count is done by the caller)."""
    dtype = self.dtype
    work = dtypes.float32 if dtype is dtypes.bfloat16 or (dtype is dtypes.float16 and
                                                           not stepwise) else dtype
    ufunc = _UFUNCS[reduce]
    self_shape, idx_shape = _at_least_1d(self._shape), _at_least_1d(index._shape)

    def fn(target, idx, values):
        out = np.array(target, dtype=work.np_storage).reshape(self_shape)
        idx = idx.astype(np.int64).reshape(idx_shape)
        values = np.asarray(values, dtype=work.np_storage).reshape(
            _at_least_1d(values.shape))[tuple(slice(0, n) for n in idx_shape)]
        where = _positions(idx, d)
        if not include_self:
            out[where] = _identity(reduce, out.dtype)
        with np.errstate(all="ignore"):
            if stepwise and dtype is dtypes.bfloat16:
                _apply_stepwise_bfloat16(out, where, values, ufunc)
            else:
                ufunc.at(out, where, values)
        return out.reshape(target.shape)
    srcs = [ops.cast_node(self._node, work), index._node, ops.cast_node(src._node, work)]
    node = graph.extern(name, fn, work, self._shape, srcs)
    return ops.cast_node(node, dtype)


def _count(self, d, positions, include_self):
    """How many values each position of self averages, 1 where none (mean's divisor), in
    self's dtype as PyTorch counts."""
    shape = _at_least_1d(self._shape)
    count = np.full(shape, 1 if include_self else 0, np.int64)
    np.add.at(count, _positions(positions.reshape(_at_least_1d(positions.shape)), d), 1)
    count[count == 0] = 1
    return Tensor._from_array(count.reshape(self._shape), dtypes.int64,
                              self.device).to(self.dtype)


def _write_reduced(self, d, index, src, reduce, include_self, stepwise, name):
    positions = index._values()
    value = _reduce_node(self, d, index, src, reduce, include_self, stepwise, name)
    if reduce == "mean":
        total, count = wrap(value, self.device), _count(self, d, positions, include_self)
        if self.dtype.is_floating_point:
            value = (total / count)._node
        else:
            value = total.div(count, rounding_mode="floor")._node
    return self._write(value)


# -- scatter_reduce -------------------------------------------------------------------------------
def _check_scatter_shapes(self, d, index, src):
    """PyTorch's scatter shape checks, in its order (a 0-d tensor counts as 1-d)."""
    if builtins.max(index.ndim, 1) != builtins.max(self.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as self "
                           "tensor")
    for k in range(builtins.max(self.ndim, 1)):
        size = index._shape[k] if index.ndim else 1
        src_size = src.size(k) if src.ndim else 1          # PyTorch's IndexError, as it
        if (k != d and size > (self._shape[k] if self.ndim else 1)) or size > src_size:
            raise RuntimeError(f"Expected index {list(index._shape)} to be no larger than "
                               f"self {list(self._shape)} apart from dimension {d} and to be "
                               f"no larger size than src {list(src._shape)}")
    if builtins.max(src.ndim, 1) != builtins.max(index.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as src "
                           "tensor")


def _check_scatter_reduce(reduce):
    if _LEGACY_NAMES.get(reduce, reduce) not in _SCATTER_REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, "
                           f"got {reduce}")


def _reduce_args(fname, index, values, values_name, reduce, include_self):
    """The argument checks both ops make first (the values are `src` or `source`)."""
    _need(fname, "index", 2, index)
    _need(fname, values_name, 3, values)
    _need_reduce(fname, reduce)
    _need_bool(fname, include_self)


def scatter_reduce_(self, dim, index, src, reduce=_MISSING, *, include_self=True):
    """self[index[i][j]][j] = reduce(self's value (if include_self), src[i][j], ...) for dim
    0 (and so on); mean of integers rounds down, as PyTorch's floor division does."""
    _reduce_args("scatter_reduce_", index, src, "src", reduce, include_self)
    d = ops.normalize_dim(dim, self.ndim)
    _check_writable(self)
    if index.numel() == 0:
        if self.dtype is not src.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        _check_scatter_reduce(reduce)
        if reduce == "mean" and self.dtype is dtypes.bool_:
            raise ops.not_implemented("div_floor_cpu", self.dtype)
        return self
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if self.dtype is not src.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    _check_scatter_shapes(self, d, index, src)
    _check_scatter_reduce(reduce)
    if reduce == "mean" and self.dtype is dtypes.bool_:
        raise ops.not_implemented("scatter_gather_tensor_cpu_reduce_mean", self.dtype)
    size = self._shape[d] if self.ndim else 1
    ops.check_index_range(index, d, size)
    return _write_reduced(self, d, index, src, _LEGACY_NAMES.get(reduce, reduce), include_self,
                          False, "scatter_reduce")


def scatter_reduce(self, dim, index, src, reduce=_MISSING, *, include_self=True):
    _reduce_args("scatter_reduce", index, src, "src", reduce, include_self)
    # detached: the result's grad_fn is scatter_reduce's own, not the clone's
    return scatter_reduce_(self.detach().clone(), dim, index, src, reduce,
                           include_self=include_self)


# -- index_reduce ---------------------------------------------------------------------------------
_warned_beta = []


def _warn_beta():
    if not _warned_beta:        # PyTorch warns once a process
        _warned_beta.append(True)
        warn("index_reduce() is in beta and the API may change at any time.")


def _check_index_reduce(self, d, index, source):
    name = "index_reduce_()"
    if index.ndim > 1:
        raise IndexError(f"{name}: Index is supposed to be a vector, but got dim: {index.ndim} "
                         f"with type: {torch_name(index.dtype)} and size: "
                         f"{list(index._shape)}")
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError(f"{name}: Expected dtype int32/int64 for index but got: "
                           f"{torch_name(index.dtype)}")
    if self.dtype is not source.dtype:
        raise RuntimeError(f"{name}: self ({torch_name(self.dtype)}) and source "
                           f"({torch_name(source.dtype)}) must have the same scalar type")
    count = source._shape[d] if source.ndim else 1
    if index.numel() != count:
        raise RuntimeError(f"{name}: Number of indices ({index.numel()}) should be equal to "
                           f"source.size(dim): ({count}), for dim: {d}")
    if source.ndim != self.ndim or any(a != b for k, (a, b) in
                                       enumerate(zip(self._shape, source._shape)) if k != d):
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(self._shape)} "
                           f"source.shape = {list(source._shape)}")


def index_reduce_(self, dim, index, source, reduce=_MISSING, *, include_self=True):
    """self's slices along dim at index reduced with source's (prod, mean, amax, amin), in
    index order; include_self=False leaves self's own values out where index points."""
    _reduce_args("index_reduce_", index, source, "source", reduce, include_self)
    if reduce not in _INDEX_REDUCES:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    d = ops.normalize_dim(dim, self.ndim)
    _check_writable(self)
    _check_index_reduce(self, d, index, source)
    _warn_beta()
    size = self._shape[d] if self.ndim else 1
    positions = index._values()
    if ((positions < 0) | (positions >= size)).any():
        raise IndexError("index out of range in self")
    if self.dtype is dtypes.bool_:
        raise ops.not_implemented("index_func_", self.dtype)
    if index.numel() == 0:
        return self
    along = [-1 if k == d else 1 for k in range(source.ndim)]
    where = index.reshape(along).expand(source._shape) if source.ndim else index.reshape(())
    return _write_reduced(self, d, where, source, reduce, include_self, True, "index_reduce")


def index_reduce(self, dim, index, source, reduce=_MISSING, *, include_self=True):
    _reduce_args("index_reduce", index, source, "source", reduce, include_self)
    return index_reduce_(self.detach().clone(), dim, index, source, reduce,
                         include_self=include_self)


METHODS = ("scatter_reduce", "scatter_reduce_", "index_reduce", "index_reduce_")


def _attach():
    for name in METHODS:
        setattr(Tensor, name, globals()[name])


_attach()
