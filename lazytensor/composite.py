"""PyTorch functions that are compositions of other ops: no graph primitive of their own, so
they fuse and realise like anything else. Shape and argument checks raise PyTorch's errors
at the call, before anything is built."""
import math

import numpy as np

from . import dtypes
from .creation import arange, as_tensor_arg, empty, full, ones, tensor, zeros
from .elementwise import where
from .linalg import matmul
from .movement import _no_dims, _shape_args, cat, clone, expand, reshape
from .ops import broadcast_shapes, check_index_range, normalize_dim, torch_name
from .reductions import sum as _sum
from .tensor import Tensor


# -- copies of a tensor laid out again ---------------------------------------------------------
def repeat(x, *sizes):
    """x copied sizes[k] times along dim k (x's shape is right-aligned against sizes)."""
    sizes = _shape_args(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(sizes) - x.ndim) + x._shape
    spread = reshape(x, tuple(e for s in shape for e in (1, s)))
    spread = expand(spread, tuple(e for r, s in zip(sizes, shape) for e in (r, s)))
    out = reshape(spread, tuple(r * s for r, s in zip(sizes, shape)))
    return clone(out) if out._storage is x._storage else out


def tile(x, *dims):
    dims = _shape_args(dims)
    return repeat(x, (1,) * (x.ndim - len(dims)) + dims)


def roll(x, shifts, dims=None):
    """Elements shifted along dims, those pushed past the end coming back at the start."""
    if dims is None:
        return reshape(roll(reshape(x, (-1,)), shifts, 0), x._shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:"
                           f"{len(dims)}")
    for shift, dim in zip(shifts, dims):
        _no_dims(x, dim)
        d = normalize_dim(dim, x.ndim)
        n = x._shape[d]
        s = shift % n if n else 0
        if s:
            x = cat([x.narrow(d, n - s, s), x.narrow(d, 0, n - s)], d)
    return x


def broadcast_to(x, size):
    return expand(x, _shape_args((size,)))


def atleast_1d(x):
    return reshape(x, (1,)) if x.ndim == 0 else x


def atleast_2d(x):
    if x.ndim == 1:
        return x.unsqueeze(0)
    return reshape(x, (1, 1)) if x.ndim == 0 else x


def hstack(tensors):
    tensors = [atleast_1d(as_tensor_arg(t)) for t in tensors]
    return cat(tensors, 0 if tensors and tensors[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([atleast_2d(as_tensor_arg(t)) for t in tensors], 0)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids: with indexing="ij" (the default, with PyTorch's warning) grid k varies
    along dim k; with "xy" the first two dims are swapped."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError("torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    tensors = [reshape(as_tensor_arg(t), (-1,)) for t in tensors]
    order = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        order[0], order[1] = 1, 0
    shape = tuple(tensors[k]._shape[0] for k in order)
    grids = []
    for t in tensors:
        place = [1] * len(tensors)
        place[order.index(len(grids))] = t._shape[0]
        grids.append(expand(reshape(t, tuple(place)), shape))
    return tuple(grids)


def diff(x, n=1, dim=-1, prepend=None, append=None):
    """x[1:] - x[:-1] along dim, n times (for bool, x[1:] != x[:-1])."""
    d = normalize_dim(dim, x.ndim)
    parts = [p for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        x = cat([as_tensor_arg(p) for p in parts], d)
    for _ in range(n):
        length = x._shape[d]
        if length == 0:
            break
        hi, lo = x.narrow(d, 1, length - 1), x.narrow(d, 0, length - 1)
        x = hi != lo if x.dtype is dtypes.bool_ else hi - lo
    return x


def fliplr(x):
    if x.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return x.flip(1)


def flipud(x):
    if x.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return x.flip(0)


def rot90(x, k=1, dims=(0, 1)):
    """Rotated by 90 degrees k times, from the first of dims towards the second."""
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    a, b = dims
    k %= 4
    if k == 1:
        return x.flip(b).transpose(a, b)
    if k == 2:
        return x.flip(a, b)
    if k == 3:
        return x.flip(a).transpose(a, b)
    return clone(x)


def take(x, index):
    index = as_tensor_arg(index)
    n = x.numel()
    for i in index._values().reshape(-1).tolist():
        if not -n <= i < n:
            raise IndexError(f"out of range: tried to access index {i} on a tensor of {n} "
                             "elements.")
    return reshape(x, (-1,))[index]


# -- triangles and diagonals ---------------------------------------------------------------------
def _triangle(name, x, diagonal, lower):
    if x.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    rows, cols = x._shape[-2:]
    offset = reshape(arange(cols, device=x.device), (1, cols)) - \
        reshape(arange(rows, device=x.device), (rows, 1))
    return offset <= diagonal if lower else offset >= diagonal


def tril(x, diagonal=0):
    return where(_triangle("tril", x, diagonal, True), x, _zero(x))


def triu(x, diagonal=0):
    return where(_triangle("triu", x, diagonal, False), x, _zero(x))


def tril_(x, diagonal=0):
    return x.masked_fill_(~_triangle("tril", x, diagonal, True), 0)


def triu_(x, diagonal=0):
    return x.masked_fill_(~_triangle("triu", x, diagonal, False), 0)


def _zero(x):
    return zeros((), dtype=x.dtype, device=x.device)


def diag(x, diagonal=0):
    """A 1-D tensor as the given diagonal of a square matrix, or a matrix's diagonal (a
    copy)."""
    if x.ndim == 1:
        n = x._shape[0] + abs(diagonal)
        out = zeros((n, n), dtype=x.dtype, device=x.device)
        out.diagonal(diagonal).copy_(x)
        return out
    if x.ndim != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D")
    return clone(x.diagonal(diagonal))


def trace(x):
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    return _sum(x.diagonal())


# -- picking elements by index -------------------------------------------------------------------
def _check_index_dtype(name, index):
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")


def index_select(x, dim, index):
    index = as_tensor_arg(index)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    _check_index_dtype("index_select", index)
    d = normalize_dim(dim, x.ndim)
    size = x._shape[d] if x.ndim else 1
    for i in index._values().reshape(-1).tolist():
        if not 0 <= i < size:
            if x.ndim <= 1:             # PyTorch's vector kernel checks with its own words
                raise IndexError("index out of range in self")
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={i} "
                               f"axis_dim={size}")
    return x[(slice(None),) * d + (reshape(index, (-1,)),)]


def gather(x, dim, index):
    """out[i][j][k] = x[index[i][j][k]][j][k] for dim 0, and so on."""
    index = as_tensor_arg(index)
    if index.ndim != x.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input "
                           "tensor")
    _check_index_dtype("gather", index)
    d = normalize_dim(dim, x.ndim)
    size = x._shape[d] if x.ndim else 1
    check_index_range(index, d, size)
    where_ = []
    for k, n in enumerate(index._shape):
        if k == d:
            where_.append(index)
        else:
            shape = [1] * index.ndim
            shape[k] = n
            where_.append(reshape(arange(n, device=x.device), tuple(shape)))
    return x[tuple(where_)]


def masked_select(x, mask):
    mask = as_tensor_arg(mask)
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(x._shape, mask._shape)
    return expand(x, shape)[expand(mask, shape)]


# -- products ------------------------------------------------------------------------------------
def outer(a, b):
    for name, v in (("self", a), ("vec2", b)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


def bmm(a, b):
    for name, v in (("batch1", a), ("batch2", b)):
        if v.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    return matmul(a, b)


# -- comparisons and clean-up --------------------------------------------------------------------
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|a - b| <= atol + rtol * |b|, or a == b (infinities), or both NaN with equal_nan."""
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    if a.dtype is not b.dtype:
        raise RuntimeError(f"{torch_name(a.dtype)} did not match {torch_name(b.dtype)}")
    close = a == b
    if not (a.dtype.is_floating_point or a.dtype.is_complex):
        return close
    if equal_nan:
        close = close | (a.isnan() & b.isnan())
    actual = (a - b).abs()
    allowed = atol + (b * rtol).abs()
    return close | ((actual != float("inf")) & (actual <= allowed))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(a, b, rtol, atol, equal_nan).all())


def equal(a, b):
    return a._shape == b._shape and bool((a == b).all())


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    if not x.dtype.is_floating_point:
        return clone(x)
    top = dtypes.LARGEST[x.dtype.name]
    out = where(x.isnan(), nan, x)
    out = where(out == float("inf"), top if posinf is None else posinf, out)
    return where(out == -float("inf"), -top if neginf is None else neginf, out)


def count_nonzero(x, dim=None):
    return _sum(x != 0, dim)


def nansum(x, dim=None, keepdim=False, *, dtype=None):
    if x.dtype.is_complex:
        raise RuntimeError("nansum on CPU does not support complex inputs")
    if x.dtype.is_floating_point:
        x = where(x.isnan(), _zero(x), x)
    return _sum(x, dim, keepdim, dtype=dtype)


def nanmean(x, dim=None, keepdim=False, *, dtype=None):
    """The mean of the values that are not NaN (NaN where there are none)."""
    if not x.dtype.is_floating_point:
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {torch_name(x.dtype)}")
    count = _sum(~x.isnan(), dim, keepdim)
    return nansum(x, dim, keepdim, dtype=dtype) / count


def var_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (x.var(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim))


def std_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (x.std(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim))


def bincount(x, weights=None, minlength=0):
    """How many times each value 0..max occurs (or the sum of its weights). The length
    depends on the values, so x is realised now, as PyTorch must too."""
    if x.dtype.is_floating_point:
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{torch_name(x.dtype)}\'')
    values = x._values()
    if x.ndim != 1 or x.dtype is dtypes.bool_ or (values < 0).any():
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return tensor(np.bincount(values, minlength=minlength), dtype=dtypes.int64,
                      device=x.device)
    weights = as_tensor_arg(weights)
    out = weights.dtype if weights.dtype in (dtypes.float32, dtypes.float64) else \
        dtypes.float64
    counts = np.bincount(values, weights=weights._values().astype(np.float64),
                         minlength=minlength)
    return tensor(counts, dtype=out, device=x.device)


def histc(x, bins=100, min=0, max=0):
    """Counts of x's values in `bins` equal bins between min and max (x's own extremes when
    min == max); values outside, and NaN, are not counted. As PyTorch's CPU kernel: bin
    (v - lo) * bins / (hi - lo), truncated, in x's dtype, the top edge in the last bin. The
    range may depend on the values, so x is realised now, as PyTorch must too."""
    if not x.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for '
                                  f"'{torch_name(x.dtype)}'")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                           "dimension 0")
    values = x._values().reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and values.size:
        lo, hi = float(values.min()), float(values.max())
        if np.isnan(lo) or np.isnan(hi):    # PyTorch's aminmax gives a NaN it prints as -nan
            lo = hi = -math.nan
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_c_number(lo)}, {_c_number(hi)}] is not "
                           "finite")
    if not lo < hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    work = np.float32 if x.dtype is dtypes.bfloat16 else x.dtype.np_storage.type
    values = values.astype(work)
    left, right = work(lo), work(hi)
    inside = (values >= left) & (values <= right)
    pos = ((values[inside] - left) * work(bins) / (right - left)).astype(np.int64)
    pos[pos == bins] = bins - 1
    counts = np.bincount(pos, minlength=bins)
    return tensor(counts, dtype=x.dtype, device=x.device)


def _c_number(v):
    """A double as C++'s stream prints it in PyTorch's messages (nan, inf, 0)."""
    if np.isnan(v):
        return "-nan" if np.signbit(v) else "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


# -- new tensors like this one -------------------------------------------------------------------
def _new(factory):
    def method(x, *size, dtype=None, device=None, requires_grad=False, **kwargs):
        return factory(_shape_args(size), dtype=dtype or x.dtype, device=device or x.device,
                       requires_grad=requires_grad, **kwargs)
    return method


def new_full(x, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(_shape_args((size,)), fill_value, dtype=dtype or x.dtype,
                device=device or x.device, requires_grad=requires_grad)


def new_tensor(x, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or x.dtype, device=device or x.device,
                  requires_grad=requires_grad)


METHODS = ("repeat", "tile", "roll", "broadcast_to", "tril", "triu", "tril_", "triu_", "diag",
           "trace", "index_select", "gather", "masked_select", "outer", "bmm", "isclose",
           "allclose", "equal", "nan_to_num", "count_nonzero", "new_full", "new_tensor",
           "diff", "fliplr", "flipud", "rot90", "take", "nansum", "nanmean", "bincount", "histc")


def _attach():
    g = globals()
    for name in METHODS:
        setattr(Tensor, name, g[name])
    Tensor.new_zeros = _new(zeros)
    Tensor.new_empty = _new(empty)
    Tensor.new_ones = _new(ones)
    Tensor.ger = outer
    Tensor.ndimension = ndimension
    Tensor.is_signed = is_signed


def ndimension(x):
    """Tensor.ndimension(): the number of dims (dim())."""
    return x.ndim


def is_signed(x):
    """Tensor.is_signed(): whether the dtype holds negative values."""
    return x.dtype.is_signed


_attach()
