"""The legacy constructors: torch.Tensor(...) and the typed classes (FloatTensor, LongTensor,
...), with the argument rules and TypeErrors of PyTorch's `new()`:

- no argument: an empty 1-D tensor;
- ints (or one torch.Size, or size=): a tensor of that shape (zeros here; PyTorch leaves the
  memory uninitialised);
- a tensor: an alias of it (same memory, same dtype; a typed class refuses another dtype);
- a sequence (list, tuple, NumPy array): a copy of its values in the class's dtype.

Internal construction never comes here: tensors are made by Tensor._make (object.__new__)
and by the C front end (tp_alloc), neither of which runs __new__ or __init__."""
from . import dtypes, ops
from .creation import tensor as _tensor, zeros as _zeros
from .device import device as _device
from .size import Size
from .tensor import Tensor

_SIGNATURES = (" * (*, torch.device device = None)\n", " * (torch.Storage storage)\n",
               " * (Tensor other)\n", " * (tuple of ints size, *, torch.device device = None)\n",
               " * (object data, *, torch.device device = None)\n")


def _type_name(x):
    if isinstance(x, Tensor):
        return "Tensor"
    if isinstance(x, Size):
        return "torch.Size"
    if isinstance(x, dtypes.dtype):
        return "torch.dtype"
    if isinstance(x, _device):
        return "torch.device"
    kind = type(x)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def _described(x):
    """An argument as PyTorch's mismatch message shows it (a list with its items' types)."""
    if isinstance(x, list):
        return f"list of [{', '.join(_type_name(v) for v in x)}]"
    if isinstance(x, tuple):
        items = ", ".join(_type_name(v) for v in x)
        return f"{_type_name(x)} of ({items}{',' if len(x) == 1 else ''})"
    return _type_name(x)


def _invalid_combination(args, kwargs, bad_keywords):
    got = [_type_name(a) for a in args] + [f"{k}={_type_name(v)}" for k, v in kwargs.items()]
    if bad_keywords:
        why = f"some of the keywords were incorrect: {', '.join(bad_keywords)}"
    else:
        why = ("some of the arguments have invalid types: ("
               + ", ".join(f"!{_described(a)}!" for a in args) + ")")
    return TypeError(f"new() received an invalid combination of arguments - got "
                     f"({', '.join(got)}), but expected one of:\n{_SIGNATURES[0]}"
                     f"      didn't match because {why}\n" + "".join(_SIGNATURES[1:]))


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def _options(d):
    return (f"TensorOptions(dtype={ops.c_type_name(d)}, device=cpu, layout=Strided, "
            f"requires_grad=false (default), pinned_memory=false (default), "
            f"memory_format=(nullopt))")


def _alias(other, dtype):
    if dtype is not None and other.dtype is not dtype:
        raise TypeError(f"expected {_options(dtype)} (got {_options(other.dtype)})")
    if other.requires_grad:
        return other.view_as(other)     # PyTorch's AliasBackward0; a view's is equivalent
    return other._view(other._shape, other._strides, other._offset)


def construct(args, kwargs, dtype=None):
    """What torch.Tensor(*args, **kwargs) (dtype None: the default dtype) or a typed
    class's constructor returns."""
    bad = [k for k in kwargs if k not in ("device", "size")]
    if bad or ("size" in kwargs and args):
        raise _invalid_combination(args, kwargs, bad or ["size"])
    device = kwargs.get("device")
    make = dtype or dtypes.get_default_dtype()
    if "size" in kwargs:
        return _zeros(kwargs["size"], dtype=make, device=device)
    if not args:
        return _zeros(0, dtype=make, device=device)
    if len(args) == 1 and isinstance(args[0], Size):
        return _zeros(args[0], dtype=make, device=device)
    if len(args) > 1 or _is_int(args[0]):
        if not _is_int(args[0]):
            raise _invalid_combination(args, kwargs, [])
        for k, value in enumerate(args):
            if not _is_int(value):
                raise TypeError(f"new(): argument 'size' failed to unpack the object at pos "
                                f"{k + 1} with error \"type must be tuple of ints,but got "
                                f"{_type_name(value)}\"")
        return _zeros(*args, dtype=make, device=device)
    data = args[0]
    if isinstance(data, Tensor):
        if kwargs:
            raise _invalid_combination(args, kwargs, list(kwargs))
        return _alias(data, dtype)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if not hasattr(data, "__len__") or not hasattr(data, "__getitem__"):
        raise TypeError(f"new(): data must be a sequence (got {_type_name(data)})")
    return _tensor(data, dtype=make, device=device)


def _new(cls, *args, **kwargs):
    t = construct(args, kwargs)
    if cls is Tensor:
        return t
    return cls._make(t._storage, t._shape, t._strides, t._offset, t._base)


def _init(self, *args, **kwargs):
    """The work is done by __new__ (a subclass's own __init__ may take the arguments)."""


class tensortype(type):
    """The class of the typed legacy constructors: calling one constructs a tensor of its
    dtype; isinstance(t, lazytensor.FloatTensor) asks whether t is a float32 CPU tensor."""

    def __call__(cls, *args, **kwargs):
        return construct(args, kwargs, cls.dtype)

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype and obj.device.type == "cpu"


tensortype.__module__ = "lazytensor"


def _typed(name, dtype):
    return tensortype(name, (), {"dtype": dtype, "__module__": "lazytensor",
                                 "__doc__": f"The legacy constructor of {dtype} tensors."})


FloatTensor = _typed("FloatTensor", dtypes.float32)
DoubleTensor = _typed("DoubleTensor", dtypes.float64)
HalfTensor = _typed("HalfTensor", dtypes.float16)
BFloat16Tensor = _typed("BFloat16Tensor", dtypes.bfloat16)
ByteTensor = _typed("ByteTensor", dtypes.uint8)
CharTensor = _typed("CharTensor", dtypes.int8)
ShortTensor = _typed("ShortTensor", dtypes.int16)
IntTensor = _typed("IntTensor", dtypes.int32)
LongTensor = _typed("LongTensor", dtypes.int64)
BoolTensor = _typed("BoolTensor", dtypes.bool_)

Tensor.__new__ = staticmethod(_new)
Tensor.__init__ = _init
