"""Moving a tensor to another dtype or device: .to(), .cpu(), .cuda(), .type()."""
import numpy as np

from . import dtypes, graph
from .device import canonical, device as Device
from .tensor import Tensor, wrap
from .ops import cast_node

_TYPE_NAMES = {"bool": "BoolTensor", "uint8": "ByteTensor", "int8": "CharTensor",
               "int16": "ShortTensor", "int32": "IntTensor", "int64": "LongTensor",
               "float16": "HalfTensor", "bfloat16": "BFloat16Tensor",
               "float32": "FloatTensor", "float64": "DoubleTensor"}


def _parse_to_args(args, kwargs):
    dev, dt = kwargs.pop("device", None), kwargs.pop("dtype", None)
    for a in args:
        if isinstance(a, Tensor):
            dev, dt = a.device, a.dtype
        elif isinstance(a, dtypes.dtype):
            dt = a
        elif isinstance(a, (str, Device)):
            dev = a
        elif a is not None:
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"({type(a).__name__})")
    return dev, dt, kwargs.pop("copy", False)


def to(x, *args, **kwargs):
    """A tensor with the requested dtype and device; x itself when nothing changes."""
    dev, dt, copy = _parse_to_args(args, dict(kwargs))
    target_dev = canonical(dev) if dev is not None else x.device
    target_dt = dt or x.dtype
    if target_dev == x.device and target_dt is x.dtype and not copy:
        return x
    if target_dev != x.device:
        return _copy_to_device(x, target_dt, target_dev)
    node = cast_node(x._node, target_dt)
    if node.op == "load":
        node = graph.node("cast", target_dt, x._shape, (node,))  # a copy owns new memory
    return wrap(node, target_dev)


def _copy_to_device(x, dtype, dev):
    """A copy of x (cast to dtype on its own device first) in the memory of device dev."""
    src = x if dtype is x.dtype else wrap(cast_node(x._node, dtype), x.device)
    host = np.ascontiguousarray(src._strided_array())
    return Tensor._from_array(host, dtype, dev)


def cpu(x):
    return to(x, "cpu")


def cuda(x, device=None):
    return to(x, Device("cuda", device if isinstance(device, int) else None)
              if not isinstance(device, (str, Device)) else device)


def type_(x, dtype=None, non_blocking=False):
    if dtype is None:
        prefix = "torch.cuda." if x.device.type == "cuda" else "torch."
        return prefix + _TYPE_NAMES[x.dtype.name]
    if isinstance(dtype, str):
        name = dtype.rsplit(".", 1)[-1]
        match = [k for k, v in _TYPE_NAMES.items() if v == name]
        if not match:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = dtypes.BY_NAME[match[0]]
    return to(x, dtypes.to_dtype(dtype))


Tensor.to = to
Tensor.cpu = cpu
Tensor.cuda = cuda
Tensor.type = type_
Tensor.type_as = lambda x, other: to(x, other.dtype)
