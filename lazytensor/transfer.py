"""Moving a tensor to another dtype or device: .to(), .cpu(), .cuda(), .type(), with
PyTorch's overloads and messages. `.to()` returns the tensor itself when nothing changes
(unless copy=True)."""
import warnings

import numpy as np

from . import dtypes, graph
from .device import canonical, device as Device
from .tensor import Tensor, wrap
from .ops import cast_node

_TYPE_NAMES = {"bool": "BoolTensor", "uint8": "ByteTensor", "int8": "CharTensor",
               "int16": "ShortTensor", "int32": "IntTensor", "int64": "LongTensor",
               "float16": "HalfTensor", "bfloat16": "BFloat16Tensor",
               "float32": "FloatTensor", "float64": "DoubleTensor",
               "complex64": "ComplexFloatTensor", "complex128": "ComplexDoubleTensor"}
_BY_TYPE_NAME = {v: k for k, v in _TYPE_NAMES.items()}
_TO_SIGNATURES = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n")
_TO_KEYWORDS = ("device", "dtype", "non_blocking", "copy", "memory_format")


def _type_name(x):
    if isinstance(x, Tensor):
        return "Tensor"
    if isinstance(x, dtypes.dtype):
        return "lazytensor.dtype"
    if isinstance(x, Device):
        return "lazytensor.device"
    return type(x).__name__


def _invalid_to(args, kwargs):
    got = [_type_name(a) for a in args]
    kws = "".join(f"{k}={_type_name(v)}, " for k, v in kwargs.items())
    text = ", ".join(got) + (", " if got and kws else "") + kws
    return TypeError(f"to() received an invalid combination of arguments - got ({text}), but "
                     f"expected one of:\n{_TO_SIGNATURES}")


def _is_device(a):
    return a is None or isinstance(a, (str, Device)) or (isinstance(a, int)
                                                         and not isinstance(a, bool))


def _parse_to_args(args, kwargs):
    """(device, dtype, copy) of a .to(...) call, matching one of PyTorch's three overloads:
    to(device=None, dtype=None, non_blocking=False, copy=False), to(dtype, non_blocking=False,
    copy=False) and to(tensor, non_blocking=False, copy=False)."""
    if any(k not in _TO_KEYWORDS for k in kwargs):
        raise _invalid_to(args, kwargs)
    rest = list(args)
    dev, dt = kwargs.get("device"), kwargs.get("dtype")
    if rest and isinstance(rest[0], Tensor):
        dev, dt = rest[0].device, rest[0].dtype
        rest.pop(0)
    elif rest and isinstance(rest[0], dtypes.dtype):
        dt = rest.pop(0)
    elif rest and _is_device(rest[0]):
        dev = rest.pop(0)
        if rest and (rest[0] is None or isinstance(rest[0], dtypes.dtype)):
            dt = rest.pop(0)
    flags = [kwargs.get("non_blocking", False), kwargs.get("copy", False)]
    if len(rest) > 2 or not all(isinstance(f, bool) for f in rest):
        raise _invalid_to(args, kwargs)
    flags[:len(rest)] = rest
    if isinstance(dev, int) and not isinstance(dev, bool):
        dev = Device(dev)
    return dev, dt, flags[1]


def to(x, *args, **kwargs):
    """A tensor with the requested dtype and device; x itself when nothing changes."""
    dev, dt, copy = _parse_to_args(args, kwargs)
    target_dev = canonical(dev) if dev is not None else x.device
    target_dt = dtypes.to_dtype(dt) if dt is not None else x.dtype
    if target_dev == x.device and target_dt is x.dtype and not copy:
        return x
    if x.dtype.is_complex and not target_dt.is_complex:
        warnings.warn("Casting complex values to real discards the imaginary part",
                      UserWarning, stacklevel=2)
    if target_dev != x.device:
        return _copy_to_device(x, target_dt, target_dev)
    node = cast_node(x._node, target_dt, discard_imag=True)
    if node.op == "load":
        node = graph.node("cast", target_dt, x._shape, (node,))  # a copy owns new memory
    return wrap(node, target_dev)


def _copy_to_device(x, dtype, dev):
    """A copy of x (cast to dtype on its own device first) in the memory of device dev."""
    if dtype.is_complex and dev.type == "cuda":
        raise NotImplementedError("lazytensor: complex tensors on CUDA are not implemented "
                                  "(the CUDA renderer has no complex types); keep complex "
                                  "tensors on the CPU")
    src = x if dtype is x.dtype else wrap(cast_node(x._node, dtype, discard_imag=True),
                                          x.device)
    host = np.ascontiguousarray(src._strided_array())
    return Tensor._from_array(host, dtype, dev)


def cpu(x, memory_format=None):
    return to(x, "cpu")


def cuda(x, device=None, non_blocking=False, memory_format=None):
    """x on a CUDA device (index `device`, or the current one)."""
    if device is None or isinstance(device, int):
        device = Device("cuda", device)
    return to(x, device)


def type_(x, dtype=None, non_blocking=False, **kwargs):
    """x.type() is PyTorch's type name ('torch.FloatTensor'); x.type(t) converts to a dtype
    or a type name ('torch.DoubleTensor', 'torch.cuda.FloatTensor')."""
    if dtype is None:
        prefix = "torch.cuda." if x.device.type == "cuda" else "torch."
        return prefix + _TYPE_NAMES[x.dtype.name]
    if isinstance(dtype, str):
        return _to_type_name(x, dtype)
    if not isinstance(dtype, (dtypes.dtype, type)):
        raise TypeError("dtype must be a type, str, or dtype object")
    return to(x, dtypes.to_dtype(dtype))


def _to_type_name(x, name):
    for prefix, dev in (("torch.cuda.", "cuda"), ("torch.", "cpu"), ("lazytensor.cuda.", "cuda"),
                        ("lazytensor.", "cpu")):
        if name.startswith(prefix) and name[len(prefix):] in _BY_TYPE_NAME:
            return to(x, dev, dtypes.BY_NAME[_BY_TYPE_NAME[name[len(prefix):]]])
    raise ValueError(f"invalid type: '{name}'")


def get_device(x):
    """The CUDA index of x's device, -1 on the CPU."""
    return -1 if x.device.type == "cpu" else (x.device.index or 0)


Tensor.to = to
Tensor.cpu = cpu
Tensor.cuda = cuda
Tensor.type = type_
def type_as(x, other):
    """Tensor.type_as(other): the tensor in other's dtype."""
    return to(x, other.dtype)


Tensor.type_as = type_as
Tensor.get_device = get_device
Tensor.is_cpu = property(lambda x: x.device.type == "cpu")
Tensor.is_meta = property(lambda x: x.device.type == "meta")
