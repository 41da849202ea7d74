"""Creating tensors: from data (copied or shared with NumPy), filled, ranges, and random."""
import math
import numbers
import warnings

import numpy as np

from . import dtypes, graph
from . import random as rng
from .device import canonical
from .ops import cast_node
from .storage import Storage
from .tensor import Tensor, wrap


def _shape_args(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    shape = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"empty(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__} at pos {len(shape)}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(size)}")
        shape.append(int(s))
    return tuple(shape)


def _finish(t, requires_grad=False, out=None):
    if requires_grad:
        t.requires_grad_(True)
    if out is not None:
        return _into_out(out, t)
    return t


def _into_out(out, t):
    """Write t into the user's `out` tensor, resizing it as PyTorch does when shapes differ."""
    if out._shape != t._shape:
        if out.numel():
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out._shape)}, which does not match the required output shape "
                f"{list(t._shape)}. This behavior is deprecated, and in a future PyTorch "
                "release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                "with t.resize_(0).", UserWarning, stacklevel=3)
        out._storage = Storage(cast_node(t._node, out.dtype), out.device)
        out._shape, out._strides, out._offset = t._shape, t._strides, 0
        return out
    return out._write(t._node)


def tensor_from_values(values, dtype, device):
    """A realised tensor holding a copy of a NumPy array's values in dtype."""
    values = np.asarray(values)
    if dtype is dtypes.bfloat16:
        bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
        rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
        rounded[np.isnan(values.astype(np.float32))] = 0x7FC0
        return Tensor._from_array(rounded, dtype, canonical(device))
    if dtype.category == 1 and values.dtype.kind == "f":
        values = np.trunc(values)
    return Tensor._from_array(np.asarray(values).astype(dtype.np_storage), dtype,
                              canonical(device))


def _infer_dtype(data):
    """PyTorch's dtype for nested Python data: bools -> bool, ints -> int64, floats -> default."""
    kinds = set()

    def walk(x):
        if isinstance(x, Tensor):
            kinds.add(x.dtype)
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, (bool, np.bool_)):
            kinds.add(dtypes.bool_)
        elif isinstance(x, (numbers.Integral,)):
            kinds.add(dtypes.int64)
        elif isinstance(x, numbers.Real):
            kinds.add(dtypes.get_default_dtype())
        elif isinstance(x, complex):
            raise TypeError("complex tensors are not supported")
        else:
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    walk(data)
    if not kinds:
        return dtypes.get_default_dtype()
    out = None
    for k in kinds:
        out = k if out is None else dtypes.promote_types(out, k)
    return out


def _nested_shape(data, dim=0):
    if not isinstance(data, (list, tuple)):
        return ()
    if not data:
        return (0,)
    inner = [_nested_shape(x, dim + 1) for x in data]
    for i, s in enumerate(inner[1:], 1):
        if s != inner[0]:
            if not s or not inner[0]:
                raise TypeError("not a sequence")
            raise ValueError(f"expected sequence of length {inner[0][0]} at dim {dim + 1} "
                             f"(got {s[0]})")
    return (len(data),) + inner[0]


def _to_plain(x):
    if isinstance(x, Tensor):
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return [_to_plain(y) for y in x]
    return x


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of data (nested lists/tuples, scalars, arrays, tensors)."""
    if isinstance(data, Tensor):
        out = data.detach().clone()
        if dtype is not None:
            out = out.to(dtypes.to_dtype(dtype))
        return _finish(out, requires_grad)
    if isinstance(data, np.ndarray):
        d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.from_numpy_dtype(data.dtype)
        return _finish(tensor_from_values(data, d, device), requires_grad)
    d = dtypes.to_dtype(dtype) if dtype is not None else _infer_dtype(data)
    shape = _nested_shape(data)
    plain = _to_plain(data)
    values = np.array(plain, dtype=np.float64 if d.is_floating_point else None)
    if values.dtype == object:
        raise TypeError("could not convert data to a tensor")
    values = values.reshape(shape)
    return _finish(tensor_from_values(values, d, device), requires_grad)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype is dtypes.to_dtype(dtype) else \
            data.to(dtypes.to_dtype(dtype))
    if isinstance(data, np.ndarray) and dtype is None and device in (None, "cpu"):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(array):
    """A tensor sharing the array's memory: writes on either side show on the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    d = dtypes.from_numpy_dtype(array.dtype)
    if not array.flags.c_contiguous:
        raise ValueError("from_numpy: only C-contiguous arrays can share memory here; "
                         "use np.ascontiguousarray first")
    if not array.flags.writeable:
        import warnings
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support "
                      "non-writable tensors.", UserWarning, stacklevel=2)
    return Tensor._from_array(array, d, share=True)


def _filled(value, shape, dtype, device):
    dev = canonical(device)
    return wrap(graph.const(value, dtype, shape), dev)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None):
    shape = _shape_args((size,) if isinstance(size, int) else (tuple(size),))
    if dtype is None:
        dtype = dtypes.scalar_dtype(fill_value)
    d = dtypes.to_dtype(dtype)
    v = bool(fill_value) if d is dtypes.bool_ else (
        float(fill_value) if d.is_floating_point else int(fill_value))
    return _finish(_filled(v, shape, d, device), requires_grad, out)


def _factory(value):
    def make(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None,
             pin_memory=False):
        shape = _shape_args(size)
        d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
        v = bool(value) if d is dtypes.bool_ else (float(value) if d.is_floating_point
                                                   else int(value))
        return _finish(_filled(v, shape, d, device), requires_grad, out)
    return make


zeros = _factory(0)
ones = _factory(1)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False, memory_format=None):
    """Uninitialised memory, as in PyTorch: whatever the allocator hands back."""
    shape = _shape_args(size)
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    flat = np.empty(graph.prod(shape), d.np_storage)
    t = Tensor._make(_storage_of(flat, d, canonical(device)), shape,
                     graph.contiguous_strides(shape))
    return _finish(t, requires_grad, out)


def _storage_of(flat, d, device):
    return Storage.from_array(flat, d, device)


def _like(fn):
    def make(x, *, dtype=None, device=None, requires_grad=False, memory_format=None,
             layout=None):
        return fn(*x.shape, dtype=dtype or x.dtype, device=device or x.device,
                  requires_grad=requires_grad)
    return make


zeros_like = _like(zeros)
ones_like = _like(ones)
empty_like = _like(empty)


def full_like(x, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(x.shape, fill_value, dtype=dtype or x.dtype, device=device or x.device,
                requires_grad=requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False,
           out=None):
    if end is None:
        start, end = 0, start
    vals = [start, end, step]
    vals = [v.item() if isinstance(v, Tensor) else v for v in vals]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    is_float = any(isinstance(v, float) for v in vals)
    d = dtypes.to_dtype(dtype) if dtype is not None else (
        dtypes.get_default_dtype() if is_float else dtypes.int64)
    n = max(0, math.ceil((end - start) / step))
    values = start + step * np.arange(n, dtype=np.float64 if is_float or d.is_floating_point
                                      else np.int64)
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, out=None):
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    # PyTorch fills the first half forwards from start and the second half backwards from end
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    values = np.where(i < half, start + step * i, end - step * (steps - 1 - i))
    if d.is_floating_point and d is not dtypes.float64:
        step32 = np.float32(step)
        i32 = i.astype(np.float32)
        values = np.where(i < half, np.float32(start) + step32 * i32,
                          np.float32(end) - step32 * (np.float32(steps - 1) - i32))
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, out=None):
    m = n if m is None else m
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    return _finish(tensor_from_values(np.eye(n, m), d, device), requires_grad, out)


# -- random ---------------------------------------------------------------------------------
def _gen(generator):
    return generator if generator is not None else rng.default_generator


def _random(draw, size, dtype, device, requires_grad, out, generator, **kw):
    shape = _shape_args(size)
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    values = draw(_gen(generator), shape, d.name, **kw)
    t = tensor_from_values(values, d, device)
    return _finish(t, requires_grad, out)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None,
         layout=None, pin_memory=False):
    return _random(rng.uniform, size, dtype, device, requires_grad, out, generator)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None, pin_memory=False):
    return _random(rng.normal, size, dtype, device, requires_grad, out, generator)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False, out=None):
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    shape = _shape_args((size,) if isinstance(size, int) else (tuple(size),))
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    values = rng.randint(_gen(generator), int(low), int(high), shape, d.name)
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, out=None):
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    values = rng.randperm(_gen(generator), int(n), d.name)
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def rand_like(x, *, dtype=None, device=None, requires_grad=False, generator=None):
    return rand(*x.shape, dtype=dtype or x.dtype, device=device or x.device,
                requires_grad=requires_grad, generator=generator)


def randn_like(x, *, dtype=None, device=None, requires_grad=False, generator=None):
    return randn(*x.shape, dtype=dtype or x.dtype, device=device or x.device,
                 requires_grad=requires_grad, generator=generator)


def randint_like(x, low, high=None, *, dtype=None, device=None, requires_grad=False,
                 generator=None):
    return randint(low, high, x.shape, dtype=dtype or x.dtype, device=device or x.device,
                   requires_grad=requires_grad, generator=generator)
