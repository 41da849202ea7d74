"""Building op nodes from tensors: type promotion, broadcasting and the checks that make a
wrong call fail at the call, with PyTorch's message, leaving every operand as it was."""
import numbers

import numpy as np

from . import dtypes, graph
from .dtypes import bool_, int64

# Unary ops whose result is floating point even for integer inputs.
FLOAT_UNARY = frozenset((
    "exp", "exp2", "log", "log2", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tan",
    "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "reciprocal"))
# Binary ops by result kind.
COMPARE = frozenset(("eq", "ne", "lt", "le", "gt", "ge"))
LOGICAL = frozenset(("logical_and", "logical_or", "logical_xor"))
BITWISE = frozenset(("bitwise_and", "bitwise_or", "bitwise_xor", "lshift", "rshift"))
FLOAT_BINARY = frozenset(("div", "atan2", "copysign"))

_TORCH_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short",
                "int32": "Int", "int64": "Long", "float16": "Half", "bfloat16": "BFloat16",
                "float32": "Float", "float64": "Double"}


def torch_name(d):
    """PyTorch's ScalarType name for a dtype, as its error messages print it."""
    return _TORCH_NAMES[d.name]


def is_scalar(x):
    return isinstance(x, (numbers.Number, np.bool_)) and not isinstance(x, complex)


def broadcast_shapes(*shapes):
    """The broadcast of shapes, or PyTorch's RuntimeError for the first mismatch.

    Like PyTorch, shapes are folded in pairwise, each pair compared from the last dim.
    """
    out = tuple(shapes[0]) if shapes else ()
    for shape in shapes[1:]:
        out = _broadcast_pair(out, tuple(shape))
    return out


def _broadcast_pair(a, b):
    ndim = max(len(a), len(b))
    out = [1] * ndim
    for k in range(ndim - 1, -1, -1):
        sa = a[k - ndim + len(a)] if k - ndim + len(a) >= 0 else 1
        sb = b[k - ndim + len(b)] if k - ndim + len(b) >= 0 else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b "
                               f"({sb}) at non-singleton dimension {k}")
        out[k] = sb if sa == 1 else sa
    return tuple(out)


def check_same_device(tensors):
    devs = []
    for t in tensors:
        if str(t.device) not in devs:
            devs.append(str(t.device))
    if len(devs) > 1:
        a, b = (devs[1], devs[0]) if devs[0] == "cpu" else (devs[0], devs[1])
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           f"two devices, {a} and {b}!")


def result_type(operands):
    """PyTorch's result dtype for tensors and Python scalars taking part in one op."""
    dim, zero, scal = [], [], []
    for x in operands:
        if is_scalar(x):
            scal.append(dtypes.scalar_dtype(x))
        elif x.ndim == 0:
            zero.append(x.dtype)
        else:
            dim.append(x.dtype)
    return dtypes.result_type(dim, zero, scal)


def cast_node(n, d):
    return n if n.dtype is d else graph.node("cast", d, n.shape, (n,))


def operand_node(x, d, shape):
    """x (a tensor or a Python scalar) as a node of dtype d broadcast to shape."""
    if is_scalar(x):
        v = bool(x) if d is bool_ else (int(x) if not d.is_floating_point else float(x))
        return graph.const(v, d, shape)
    return graph.expand(cast_node(x._node, d), shape)


def _check_int_scalar_fits(op, operands, d):
    if d.category == 1:
        for x in operands:
            if is_scalar(x) and not isinstance(x, (bool, np.bool_)) and \
                    isinstance(x, (int, np.integer)):
                info = np.iinfo(d.np_storage)
                if not info.min <= int(x) <= info.max:
                    raise RuntimeError(f"value cannot be converted to type {d.name}_t without "
                                       "overflow")


def elementwise(op, *operands):
    """Node for op over tensors and scalars, with PyTorch's promotion and broadcasting.

    Returns (node, result_dtype). Raises before building anything when the call is invalid.
    """
    tensors = [x for x in operands if not is_scalar(x)]
    check_same_device(tensors)
    shape = broadcast_shapes(*(t.shape for t in tensors)) if tensors else ()
    common = result_type(operands)
    compute = common
    if op in COMPARE:
        out = bool_
    elif op in LOGICAL:
        out = compute = bool_
    elif op in BITWISE:
        if common.is_floating_point:
            name = {"lshift": "__lshift__", "rshift": "__rshift__"}.get(op, op)
            raise RuntimeError(f'"{name}_cpu" not implemented for '
                               f"'{torch_name(common)}'")
        out = common
    elif op in FLOAT_BINARY and not common.is_floating_point:
        out = compute = dtypes.get_default_dtype()
    else:
        out = common
    if op in ("floordiv", "mod") and common is bool_:
        raise RuntimeError(f'"{op}_cpu" not implemented for \'Bool\'')
    _check_int_scalar_fits(op, operands, compute)
    srcs = [operand_node(x, compute, shape) for x in operands]
    if op == "where":
        srcs[0] = operand_node(operands[0], bool_, shape)
    return graph.node(op, out, shape, srcs), out


def where_node(cond, a, b):
    tensors = [x for x in (cond, a, b) if not is_scalar(x)]
    check_same_device(tensors)
    shape = broadcast_shapes(*(t.shape for t in tensors))
    d = result_type([a, b])
    srcs = (operand_node(cond, bool_, shape), operand_node(a, d, shape),
            operand_node(b, d, shape))
    return graph.node("where", d, shape, srcs), d


def unary(op, x):
    d = x.dtype
    if op in FLOAT_UNARY and not d.is_floating_point:
        d = dtypes.get_default_dtype()
    if op == "neg" and x.dtype is bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    if op == "bitwise_not" and d.is_floating_point:
        raise RuntimeError(f"\"bitwise_not_cpu\" not implemented for '{torch_name(d)}'")
    if op in ("logical_not", "isnan", "signbit"):
        return graph.node(op, bool_, x.shape, (x._node,)), bool_
    if op == "square" and d is bool_:
        d = int64
    if op in ("abs", "sign") and d is bool_:
        return x._node, d
    src = cast_node(x._node, d)
    return graph.node(op, d, x.shape, (src,)), d


def normalize_dim(dim, ndim):
    lo, hi = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                         f"but got {dim})")
    return dim % max(ndim, 1)


def normalize_dims(dim, ndim):
    """dim (None, an int, or a sequence) as a sorted tuple of distinct non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims:
        return tuple(range(ndim))
    out = []
    for d in dims:
        a = normalize_dim(d, ndim)
        if a in out:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
        out.append(a)
    return tuple(sorted(out))


def reduce(op, x, dim=None, keepdim=False, dtype=None):
    """Node for a reduction of x over dim (all dims when None); returns (node, dtype)."""
    axes = normalize_dims(dim, x.ndim)
    d = dtype or x.dtype
    if op in ("sum", "prod") and dtype is None and not x.dtype.is_floating_point:
        d = int64
    src = cast_node(x._node, d) if op not in ("argmax", "argmin") else x._node
    if x.ndim == 0:
        src = graph.reshape(src, (1,))
        axes = (0,)
    if op in ("max", "min", "argmax", "argmin") and any(src.shape[a] == 0 for a in axes):
        name = op
        if dim is None:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the "
                               "'dim' argument.")
        raise IndexError(f"{name}(): Expected reduction dim {axes[0]} to have non-zero size.")
    kept = tuple(1 if i in axes else s for i, s in enumerate(src.shape))
    out_dtype = int64 if op in ("argmax", "argmin") else d
    n = graph.node("reduce", out_dtype, kept, (src,), (op, axes))
    if x.ndim == 0:
        return graph.reshape(n, ()), out_dtype
    if not keepdim:
        n = graph.reshape(n, tuple(s for i, s in enumerate(x.shape) if i not in axes))
    return n, out_dtype
