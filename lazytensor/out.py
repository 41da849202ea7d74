"""The `out=` argument: a result written into a tensor the caller already holds."""
import functools
import warnings

from .codegen import primitives
from .ops import cast_node, torch_name
from .storage import Storage
from .tensor import Tensor, can_cast
from .views import check_no_internal_overlap


def write_out(out, result):
    """Write result into `out` (the same object, returned), resizing as PyTorch does."""
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"out must be a tuple of {len(result)} tensors")
        for o, r in zip(out, result):
            write_out(o, r)
        return type(result)(*out) if hasattr(result, "_fields") else tuple(out)
    if out.device != result.device:
        raise RuntimeError(f"Expected out tensor to have device {result.device}, but got "
                           f"{out.device} instead")
    if out._shape != result._shape:
        if out.numel():
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out._shape)}, which does not match the required output shape "
                f"{list(result._shape)}. This behavior is deprecated, and in a future PyTorch "
                "release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                "with t.resize_(0).", UserWarning, stacklevel=3)
        out._storage = Storage(cast_node(result._node, out.dtype), out.device)
        out._shape, out._strides, out._offset = result._shape, result._strides, 0
        return out
    return out._write(result._node)


def accepting_out(fn, elementwise=False):
    """fn with an `out=` keyword that writes its result into the given tensor; for an
    elementwise op, PyTorch's checks first: a result that its type cannot be cast to
    (a float into an integer tensor, a number into a bool one), an out that repeats
    elements (an expanded view)."""
    @functools.wraps(fn)
    def wrapper(*args, out=None, **kwargs):
        result = fn(*args, **kwargs)
        if out is None:
            return result
        if elementwise:
            _check_elementwise_out(out, result)
        return write_out(out, result)
    return wrapper


def _check_elementwise_out(out, result):
    if isinstance(result, tuple) or not isinstance(out, Tensor):
        return
    if not can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {torch_name(result.dtype)} can't be cast to the "
                           f"desired output type {torch_name(out.dtype)}")
    if out._shape == result._shape:
        check_no_internal_overlap(out._shape, out._strides)


# The primitives' functions taking out= (codegen/primitives.py), then the others
ELEMENTWISE_OUT = tuple(name for p in primitives.PRIMITIVES if p.public and p.out
                        for name in (p.public, *p.aliases)) + ("clamp", "clip", "lerp")
OUT_FUNCTIONS = ELEMENTWISE_OUT + (
    "sum", "prod", "mean", "std", "var", "max", "min", "amax", "amin",
    "argmax", "argmin", "all", "any", "cat", "concat", "concatenate", "stack")


def install(namespace):
    for name in OUT_FUNCTIONS:
        if name in namespace:
            namespace[name] = accepting_out(namespace[name], name in ELEMENTWISE_OUT)
