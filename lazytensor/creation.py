"""Creating tensors: from data (copied or shared with NumPy), filled, ranges, and random."""
import math
import numbers
import warnings

import numpy as np

from . import dtypes, graph, ops, views
from . import random as rng
from .autograd_graph import creation_requires_grad
from .device import CPU, canonical
from .size import Size
from .ops import fill_value_of, scalar_value
from .out import write_out
from .storage import Storage
from .tensor import Tensor, wrap


def _shape_args(size, name="empty"):
    """A shape given as varargs or one sequence, with PyTorch's errors for what isn't one."""
    shape = int_sequence(size, name)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")
    if graph.prod(shape) >= 1 << 63:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)}")
    return shape


def int_sequence(args, name, arg="size"):
    """Varargs ints or one sequence of them (a shape, dims) as a tuple of ints, with PyTorch's
    TypeErrors naming the function `name` and its argument `arg`."""
    if len(args) == 1 and not isinstance(args[0], (tuple, list)) and not _is_int(args[0]):
        raise TypeError(f"{name}(): argument '{arg}' (position 1) must be tuple of ints, not "
                        f"{type(args[0]).__name__}")
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for k, s in enumerate(args):
        if _is_int(s):
            continue
        kind = type(s).__name__
        if k == 0:
            raise TypeError(f"{name}(): argument '{arg}' (position 1) must be tuple of ints, "
                            f"but found element of type {kind} at pos 0")
        raise TypeError(f"{name}(): argument '{arg}' failed to unpack the object at pos {k + 1} "
                        f'with error "type must be tuple of ints,but got {kind}"')
    return tuple(int(s) for s in args)


def _is_int(s):
    """Python ints (bools too, as PyTorch accepts), NumPy integers and 1-element int tensors."""
    if isinstance(s, Tensor):
        return not s.dtype.is_floating_point and s.numel() == 1
    return isinstance(s, (int, np.integer))


def _finish(t, requires_grad=False, out=None):
    if requires_grad:
        creation_requires_grad(t)
    if out is not None:
        return write_out(out, t)
    return t


def tensor_from_values(values, dtype, device):
    """A realised tensor holding a copy of a NumPy array's values in dtype."""
    values = np.asarray(values)
    if dtype is dtypes.bfloat16:
        wide = np.asarray(values, dtype=np.float32).reshape(-1)   # (a 0-dim array too)
        bits = wide.view(np.uint32)
        rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
        rounded[np.isnan(wide)] = 0x7FC0
        return Tensor._from_array(rounded.reshape(values.shape), dtype, canonical(device))
    if dtype.category == 1 and values.dtype.kind == "f":
        values = np.trunc(values)
    return Tensor._from_array(values, dtype, canonical(device))    # 1e40 -> inf in float32


def _infer_dtype(data):
    """PyTorch's dtype for nested Python data: bools -> bool, ints -> int64, floats -> default."""
    kinds = set()

    def walk(x):
        if isinstance(x, Tensor):
            kinds.add(x.dtype)
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, np.generic):
            kinds.add(dtypes.from_numpy_dtype(x.dtype))
        elif isinstance(x, bool):
            kinds.add(dtypes.bool_)
        elif isinstance(x, (numbers.Integral,)):
            kinds.add(dtypes.int64)
        elif isinstance(x, numbers.Real):
            kinds.add(dtypes.get_default_dtype())
        elif isinstance(x, numbers.Complex):
            kinds.add(dtypes.to_complex(dtypes.get_default_dtype()))
        else:
            if isinstance(x, str):
                raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
            raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")
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
            out = out.to(dtypes.to_dtype(dtype, "tensor"))
        return _finish(out, requires_grad)
    if isinstance(data, np.ndarray):
        d = dtypes.to_dtype(dtype, "tensor") if dtype is not None else \
            dtypes.from_numpy_dtype(data.dtype)
        return _finish(tensor_from_values(data, d, device), requires_grad)
    d = dtypes.to_dtype(dtype, "tensor") if dtype is not None else _infer_dtype(data)
    shape = _nested_shape(data)
    plain = _to_plain(data)
    values = np.array(plain, dtype=np.float64 if d.is_floating_point else
                      np.complex128 if d.is_complex else None)
    if values.dtype.kind == "c" and not d.is_complex:
        raise TypeError("can't convert complex to " + ("float" if d.is_floating_point else
                                                       "int"))
    if values.dtype == object:
        if d.is_floating_point or d is dtypes.bool_:
            raise TypeError("could not convert data to a tensor")
        raise ValueError("Overflow when unpacking long long")
    values = values.reshape(shape)
    _check_fits(values, d)
    return _finish(tensor_from_values(values, d, device), requires_grad)


def _check_fits(values, d):
    """tensor()'s check that data given for an integer dtype is in its range (uint8 also takes
    -255..-1, which wrap around, as in PyTorch)."""
    if d.category != 1 or values.size == 0 or values.dtype == np.bool_:
        return
    info = np.iinfo(d.np_storage)
    lowest = -info.max if d is dtypes.uint8 else info.min
    if values.dtype.kind == "f":
        bad = ~np.isfinite(values) | (values < float(lowest)) | (values > float(info.max))
    elif values.dtype == np.uint64:
        raise ValueError("Overflow when unpacking long long")
    else:
        bad = (values < lowest) | (values > info.max)
    if bad.any():
        raise RuntimeError(f"value cannot be converted to type {d.name} without overflow")


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype is dtypes.to_dtype(dtype) else \
            data.to(dtypes.to_dtype(dtype))
    if isinstance(data, np.ndarray) and dtype is None and canonical(device) is CPU:
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
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support "
                      "non-writable tensors.", UserWarning, stacklevel=2)
    return Tensor._from_array(array, d, share=True)


def _filled(value, shape, dtype, device):
    dev = canonical(device)
    return wrap(graph.const(value, dtype, shape), dev)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None):
    if not isinstance(size, (tuple, list)):
        raise TypeError("full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    shape = _shape_args((tuple(size),), "full")
    d = dtypes.to_dtype(dtype, "full") if dtype is not None else dtypes.scalar_dtype(fill_value)
    dev = canonical(device)
    # a program input on the CPU: a loop filling a new number each step runs one program
    value = ops.operand_node(fill_value_of(fill_value, d, graph.prod(shape)), d, shape,
                             dev.type == "cpu")
    return _finish(wrap(value, dev), requires_grad, out)


def _factory(value, name):
    def make(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None,
             layout=None, pin_memory=False):
        shape = _shape_args(shape if size is None else (size,), name)
        d = dtypes.to_dtype(dtype, name) if dtype is not None else dtypes.get_default_dtype()
        return _finish(_filled(fill_value_of(value, d), shape, d, device), requires_grad,
                       out)
    make.__name__ = name
    return make


zeros = _factory(0, "zeros")
ones = _factory(1, "ones")


def empty(*shape, size=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None, pin_memory=False, memory_format=None):
    """Uninitialised memory, as in PyTorch: whatever the allocator hands back."""
    shape = _shape_args(shape if size is None else (size,), "empty")
    d = dtypes.to_dtype(dtype, "empty") if dtype is not None else dtypes.get_default_dtype()
    flat = np.empty(graph.prod(shape), d.np_storage)
    t = Tensor._make(_storage_of(flat, d, canonical(device)), shape,
                     graph.contiguous_strides(shape))
    return _finish(t, requires_grad, out)


def _storage_of(flat, d, device):
    return Storage.from_array(flat, d, device)


def _laid_out_like(x, flat):
    """A tensor of x's shape over the 1-D tensor flat's storage, with x's memory layout
    (PyTorch's preserve_format): x's strides when they are dense, else dense strides in the
    order of x's. Values made in memory order (random draws) land where PyTorch puts them."""
    if x.numel() == 0:
        strides = graph.contiguous_strides(x._shape)
    elif views.is_non_overlapping_and_dense(x._shape, x._strides):
        strides = x._strides
    else:
        strides = views.dense_strides(x._shape, x._strides)
    return Tensor._make(flat._storage, x._shape, strides)


def _like(fn):
    def make(x, *, dtype=None, device=None, requires_grad=False, memory_format=None,
             layout=None):
        flat = fn(x.numel(), dtype=dtype or x.dtype, device=device or x.device)
        return _finish(_laid_out_like(x, flat), requires_grad)
    make.__name__ = fn.__name__ + "_like"
    return make


zeros_like = _like(zeros)
ones_like = _like(ones)
empty_like = _like(empty)


def full_like(x, fill_value, *, dtype=None, device=None, requires_grad=False,
              memory_format=None):
    flat = full((x.numel(),), fill_value, dtype=dtype or x.dtype, device=device or x.device)
    return _finish(_laid_out_like(x, flat), requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False,
           out=None):
    """start, start + step, ... up to end (excluded). Integer dtypes step through
    int(start) + i * int(step), as PyTorch does, with the count from the exact bounds."""
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if not all(math.isfinite(v) for v in (start, end)):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    is_float = any(isinstance(v, float) for v in vals)
    d = dtypes.to_dtype(dtype) if dtype is not None else (
        dtypes.get_default_dtype() if is_float else dtypes.int64)
    if d is dtypes.bool_:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    n = max(0, math.ceil((end - start) / step))
    if d.is_floating_point:
        values = start + step * np.arange(n, dtype=np.float64)
    else:
        values = int(start) + int(step) * np.arange(n, dtype=np.int64)
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, out=None):
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if d is dtypes.bool_ and steps > 1:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    values = _linspace_values(start, end, steps, d) if steps != 1 else np.float64([start])
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False,
             out=None):
    """base ** linspace(start, end, steps), the exponents and powers in float64, rounded
    once to the dtype."""
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if d.category != 2:
        start, end = int(start), int(end)
    exponents = _linspace_values(start, end, steps, dtypes.float64) if steps != 1 else \
        np.float64([start])
    with np.errstate(over="ignore"):
        values = np.power(np.float64(base), exponents)
    if d.category != 2:
        values = np.trunc(values)
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def _linspace_values(start, end, steps, d):
    """PyTorch's CPU linspace: the first half counts up from start, the second half down from
    end, each value one fused multiply-add (step * i + start) in the dtype's own precision;
    float16 and bfloat16 round every operation to their precision; integer dtypes truncate
    start and end first and step in double."""
    i = np.arange(steps, dtype=np.float64)
    up = i < steps // 2
    k = np.where(up, i, steps - 1 - i)
    if d.category != 2:
        s, e = (float(scalar_value(int(x), d)) for x in (start, end))   # wrap, as C
        step = (e - s) / (steps - 1)
        return np.trunc(_fma64(np.where(up, step, -step), k, np.where(up, s, e)))
    if d.itemsize == 2:
        r = (lambda x: np.float32(x).astype(np.float16).astype(np.float32)) \
            if d is dtypes.float16 else _round_bfloat16
        s, e = r(np.float32(start)), r(np.float32(end))
        # integers (steps - 1, the index) become the dtype too, rounding above 256 / 2048
        step = r(r(e - s) / r(np.float32(steps - 1)))
        scaled = r(np.float32(step) * r(k.astype(np.float32)))
        return np.where(up, r(s + scaled), r(e - scaled)).astype(np.float64)
    wide = d is dtypes.float64
    cast = np.float64 if wide else np.float32
    s, e = cast(start), cast(end)
    step = cast(cast(e - s) / cast(steps - 1))
    out = _fma64(np.where(up, np.float64(step), -np.float64(step)), k,
                 np.where(up, np.float64(s), np.float64(e)))
    return out if wide else out.astype(np.float32)


def _round_bfloat16(x):
    """float32 values rounded to bfloat16 (nearest, ties to even), as float32."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return rounded.astype(np.uint32).view(np.float32)


def _fma64(a, b, c):
    """a * b + c on float64 arrays with a single rounding, as a fused multiply-add gives:
    the product split exactly into two doubles (Veltkamp/Dekker), the sum of the three
    parts rounded once (apart from rare near-ties, where the result can be one ulp off)."""
    a, b, c = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (a, b, c)))
    with np.errstate(over="ignore", invalid="ignore"):
        p = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        p_err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        total = p + c
        back = total - p
        s_err = (p - (total - back)) + (c - back)
        out = total + (s_err + p_err)
    return np.where(np.isfinite(out), out, a * b + c)


def _split(x):
    t = x * 134217729.0                  # 2**27 + 1
    hi = t - (t - x)
    return hi, x - hi


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, out=None):
    m = n if m is None else m
    for name, v in (("n", n), ("m", m)):
        if v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    return _finish(tensor_from_values(np.eye(n, m), d, device), requires_grad, out)


# -- random ---------------------------------------------------------------------------------
def _gen(generator):
    return generator if generator is not None else rng.default_generator


# the kernel PyTorch names when a float distribution is asked for an integer dtype
_FLOAT_DRAWS = {"uniform": "check_uniform_bounds", "normal": "normal_kernel_cpu"}


def _random(draw, size, dtype, device, requires_grad, out, generator, **kw):
    shape = _shape_args(size)
    device = canonical(device)                  # checked before anything is drawn
    d = dtypes.to_dtype(dtype) if dtype is not None else \
        out.dtype if out is not None else dtypes.get_default_dtype()
    if d.is_complex:
        # PyTorch draws the (real, imaginary) pairs as real numbers, normals with the std
        # divided by sqrt(2) (each part has variance 1/2)
        if draw is rng.normal:
            kw = dict(kw, std=kw.get("std", 1.0) / math.sqrt(2))
        part = dtypes.to_real(d)
        pairs = draw(_gen(generator), shape + (2,), part.name, **kw)
        values = np.ascontiguousarray(pairs, dtype=part.np_storage).view(d.np_storage)
        return _finish(tensor_from_values(values.reshape(shape), d, device), requires_grad,
                       out)
    if not d.is_floating_point:                 # checked before anything is drawn
        raise ops.not_implemented(_FLOAT_DRAWS[draw.__name__], d)
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
    if size is None and isinstance(high, (tuple, list, Size)):
        low, high, size = 0, low, high          # randint(high, size)
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    shape = _shape_args((size,) if isinstance(size, int) else (tuple(size),))
    d = dtypes.to_dtype(dtype) if dtype is not None else \
        out.dtype if out is not None else dtypes.int64
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    _check_draw_range(low, high, d)
    device = canonical(device)
    values = rng.randint(_gen(generator), int(low), int(high), shape, d.name)
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def _check_draw_range(low, high, d):
    """PyTorch's refusal of integer draws that the dtype cannot hold (before any draw)."""
    if d is dtypes.bool_:
        lowest, highest = 0, 1
    elif d.is_floating_point:
        lowest, highest = -dtypes.LARGEST[d.name], dtypes.LARGEST[d.name]
    else:
        info = np.iinfo(d.np_storage)
        lowest, highest = info.min, info.max
    name = ops.c_type_name(d)
    if low < lowest:
        raise RuntimeError(f"from is out of bounds for {name}")
    if high - 1 > highest:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, out=None):
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64
    device = canonical(device)
    values = rng.randperm(_gen(generator), int(n), d.name)
    return _finish(tensor_from_values(values, d, device), requires_grad, out)


def rand_like(x, *, dtype=None, device=None, requires_grad=False, generator=None):
    flat = rand(x.numel(), dtype=dtype or x.dtype, device=device or x.device,
                generator=generator)
    return _finish(_laid_out_like(x, flat), requires_grad)


def randn_like(x, *, dtype=None, device=None, requires_grad=False, generator=None):
    # contiguous, unlike the other *_like: PyTorch's draw order for a strided output of
    # normals is not reproduced
    return randn(*x.shape, dtype=dtype or x.dtype, device=device or x.device,
                 requires_grad=requires_grad, generator=generator)


def randint_like(x, low, high=None, *, dtype=None, device=None, requires_grad=False,
                 generator=None):
    flat = randint(low, high, (x.numel(),), dtype=dtype or x.dtype, device=device or x.device,
                   generator=generator)
    return _finish(_laid_out_like(x, flat), requires_grad)


def as_tensor_arg(x):
    """Lists and NumPy arrays given where a tensor is expected become tensors."""
    if isinstance(x, Tensor) or ops.is_scalar(x):
        return x
    return tensor(x)
