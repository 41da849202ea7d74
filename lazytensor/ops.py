"""Building op nodes from tensors: type promotion, broadcasting and the checks that make a
wrong call fail at the call, with PyTorch's message, leaving every operand as it was."""
import numbers

import numpy as np

from . import dtypes, graph
from .codegen import primitives
from .dtypes import bool_, int64

# The primitives' dtype rules (codegen/primitives.py)
FLOAT_UNARY = primitives.with_result("float", 1)
FLOAT_BINARY = primitives.with_result("float", 2)
COMPARE = primitives.with_result("bool", 2)
LOGICAL = primitives.with_result("logical", 2)
BITWISE = primitives.with_result("integer", 2)

_TORCH_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short",
                "int32": "Int", "int64": "Long", "float16": "Half", "bfloat16": "BFloat16",
                "float32": "Float", "float64": "Double", "complex64": "ComplexFloat",
                "complex128": "ComplexDouble"}


def torch_name(d):
    """PyTorch's ScalarType name for a dtype, as its error messages print it."""
    return _TORCH_NAMES[d.name]


_PLAIN_SCALARS = (int, float, bool)


def is_scalar(x):
    if type(x) in _PLAIN_SCALARS:       # the common case, without the ABC check
        return True
    return isinstance(x, (numbers.Number, np.bool_))


def broadcast_shapes(*shapes):
    """The broadcast of shapes, or PyTorch's RuntimeError naming the first mismatch.

    Shapes are folded left to right as PyTorch's TensorIterator does, so the error names
    the shape accumulated so far "a" and the next one "b", at a dim of the wider of the two.
    """
    out = tuple(shapes[0]) if shapes else ()
    for shape in shapes[1:]:
        shape = tuple(shape)
        if shape != out:
            out = _broadcast_pair(out, shape)
    return out


def _broadcast_pair(a, b):
    ndim = max(len(a), len(b))
    a = (1,) * (ndim - len(a)) + a
    b = (1,) * (ndim - len(b)) + b
    out = []
    # PyTorch compares from the last dim backwards and reports the first mismatch it meets
    for k in range(ndim - 1, -1, -1):
        x, y = a[k], b[k]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b "
                               f"({y}) at non-singleton dimension {k}")
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def check_same_device(tensors):
    if not tensors or all(t.device is tensors[0].device for t in tensors):
        return
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


def cast_node(n, d, discard_imag=False):
    """n converted to dtype d. Complex to real (the real part) only where PyTorch converts
    so (.to(), .float(), copy_: discard_imag): an op built on real arithmetic that casts a
    complex operand would drop the imaginary parts and give a wrong answer."""
    if n.dtype is d:
        return n
    if n.dtype.category == 3 and d.category != 3 and not discard_imag:
        raise NotImplementedError(
            f"lazytensor: this operation is not implemented for complex tensors (it would "
            f"convert {torch_name(n.dtype)} to {torch_name(d)} and drop the imaginary part)")
    return graph.node("cast", d, n.shape, (n,))


# Binary ops whose Python-scalar operand, on the CPU, is read from memory (graph.scalar)
# rather than written into the kernel: the arithmetic a loop varies (`x * lr`, `x > t`). The
# others keep a literal the compiler can use (pow(x, 2) is x * x; an integer divided by a
# constant becomes a multiply), and so do CUDA kernels (a new buffer would be a host-to-device
# copy per value).
SCALAR_INPUT_OPS = frozenset(p.name for p in primitives.PRIMITIVES if p.scalar_input)


ZERO_DIVIDING = frozenset(("floordiv", "mod", "fmod"))


def check_scalar_divisor(op, compute, divisor):
    """PyTorch's CPU error, at the call, for an integer floor division or remainder by a
    Python zero (a zero inside a tensor divisor is found when the kernel runs; CUDA kernels,
    as PyTorch's, raise nothing)."""
    if op in ZERO_DIVIDING and not compute.is_floating_point and is_scalar(divisor) and \
            divisor == 0:
        raise RuntimeError("ZeroDivisionError")


def operand_node(x, d, shape, as_input=False):
    """x (a tensor or a Python scalar) as a node of dtype d broadcast to shape; a scalar is
    an input (graph.scalar) when as_input, else a literal."""
    if is_scalar(x):
        if as_input:
            return graph.scalar(scalar_value(x, d), d, shape)
        return graph.const(scalar_value(x, d), d, shape)
    return graph.expand(cast_node(x._node, d), shape)


def scalar_value(x, d):
    """A Python scalar converted to dtype d as PyTorch converts a 'wrapped number': integers
    wrap around to d's width (int16 + 100000 wraps), as C's conversion does."""
    if d is bool_:
        return bool(x)
    if d.is_floating_point:
        return float(x)
    if d.category == 3:
        return complex(x)
    v = int(x)
    if v >= 2 ** 64:
        raise OverflowError("int too big to convert")
    if v < -2 ** 63:
        raise OverflowError("can't convert negative int to unsigned")
    bits = 8 * d.itemsize
    v &= (1 << bits) - 1
    return v - (1 << bits) if d.is_signed and v >= 1 << (bits - 1) else v


# The C++ type names PyTorch prints when a fill value overflows the dtype.
_FILL_CTYPES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
                "int64": "int64_t", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
                "float32": "float"}


def fill_value_of(value, d, count=None):
    """value converted to dtype d as PyTorch converts a fill value (full, x[i] = v, clamp's
    bounds): floats truncate into integer dtypes, and a value outside d's range raises.
    uint8 also takes -255..-1, which wrap around; float64 takes any float. A fill of exactly
    one float16/bfloat16 element (count=1) converts unchecked, to inf, as PyTorch's one-
    element fill does."""
    if d is bool_:
        return bool(value)
    if d.category == 3:
        return complex(value)
    if d.is_floating_point:
        v = float(value)
        unchecked = count == 1 and d.itemsize == 2
        if unchecked and _overflows_float(v, d):
            return float("inf") if v > 0 else float("-inf")
        if d is not dtypes.float64 and _overflows_float(v, d):
            raise RuntimeError(f"value cannot be converted to type {_FILL_CTYPES[d.name]} "
                               "without overflow")
        return v
    info = np.iinfo(d.np_storage)
    lowest = -info.max if d is dtypes.uint8 else info.min
    if isinstance(value, (float, np.floating)) and not np.isfinite(value) or \
            not lowest <= value <= info.max:
        raise RuntimeError(f"value cannot be converted to type {_FILL_CTYPES[d.name]} without "
                           "overflow")
    return scalar_value(int(value), d)


def _overflows_float(v, d):
    return bool(np.isfinite(v)) and abs(v) > dtypes.LARGEST[d.name]


_BOOL_SUB = ("Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
             "`^` or `logical_xor()` operator instead.")
_BOOL_SUB_ONE = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you "
                 "are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
# PyTorch's kernel names in its "not implemented for 'Bool'" errors.
_KERNEL = {"floordiv": "div_floor_cpu", "mod": "remainder_cpu", "fmod": "fmod_cpu",
           "lshift": "lshift_cpu", "rshift": "rshift_cpu", "bitwise_and": "bitwise_and_cpu",
           "bitwise_or": "bitwise_or_cpu", "bitwise_xor": "bitwise_xor_cpu"}


def _is_bool(x):
    return isinstance(x, (bool, np.bool_)) if is_scalar(x) else x.dtype is bool_


def c_type_name(d):
    """The C++ name PyTorch's dtype-mismatch messages give a dtype ("long int", "c10::Half")."""
    return {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "float32": "float", "float64": "double",
            "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>"}.get(d.name, d.name)


def not_implemented(kernel, d):
    return NotImplementedError(f'"{kernel}" not implemented for \'{torch_name(d)}\'')


def _check_sub(op, operands):
    """PyTorch refuses to subtract bools, before it looks at shapes."""
    if op == "sub" and any(_is_bool(x) for x in operands):
        raise RuntimeError(_BOOL_SUB if all(_is_bool(x) for x in operands) else _BOOL_SUB_ONE)


def _check_binary(op, operands, common):
    """PyTorch's refusals of a binary op for its operands' dtypes (before anything is built)."""
    if op in BITWISE and common.is_floating_point:
        raise not_implemented(_KERNEL[op], common)
    if op in ("floordiv", "mod", "fmod", "lshift", "rshift") and common is bool_:
        raise not_implemented(_KERNEL[op], common)
    if op == "pow":
        base, exponent = operands
        if common is bool_ and not is_scalar(exponent):
            raise not_implemented("pow", common)
        if common.category == 1 and is_scalar(exponent) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        if common.category == 1 and type(exponent) is not bool and is_scalar(exponent) and \
                exponent > np.iinfo(common.np_storage).max:
            # PyTorch converts a scalar exponent to an integer base's type, checking range
            raise RuntimeError(f"value cannot be converted to type "
                               f"{_FILL_CTYPES[common.name]} without overflow")
        if common.is_floating_point and common.itemsize == 2 and is_scalar(exponent) and \
                not isinstance(exponent, bool):
            # PyTorch converts a scalar exponent to a half-width base's type, checking range
            if _overflows_float(float(exponent), common):
                raise RuntimeError(f"value cannot be converted to type "
                                   f"{_FILL_CTYPES[common.name]} without overflow")


def elementwise(op, *operands):
    """Node for op over tensors and scalars, with PyTorch's promotion and broadcasting.

    Returns (node, result_dtype). Raises before building anything when the call is invalid.
    """
    if any(map(_complex_operand, operands)):
        return complex_numbers().elementwise(op, operands)
    tensors = [x for x in operands if not is_scalar(x)]
    check_same_device(tensors)
    _check_sub(op, operands)
    shape = broadcast_shapes(*(t._shape for t in tensors)) if tensors else ()
    out, compute, opmath = binary_dtypes(op, operands)
    if all(t._storage.device.type == "cpu" for t in tensors):
        check_scalar_divisor(op, compute, operands[-1])
    as_input = op in SCALAR_INPUT_OPS and all(t._storage.device.type == "cpu" for t in tensors)
    srcs = [operand_node(x, compute, shape, as_input) for x in operands]
    for k in opmath:
        srcs[k] = operand_node(operands[k], dtypes.float32, shape, as_input)
    return graph.node(op, out, shape, srcs), out


# (op, default dtype, operand kinds) -> binary_dtypes' answer. The answer depends on the
# operands only through their kinds (a tensor's dtype and whether it is 0-dim, a Python
# scalar's type), except pow's, which also looks at a scalar exponent's sign.
_binary_dtypes = {}


def operand_kind(x):
    """What PyTorch's dtype rules see of an operand; None for scalars of other types."""
    t = type(x)
    if t is float or t is int or t is bool:
        return t
    if is_scalar(x):
        return None
    return (x.dtype, not x._shape)


def operand_dtype(x):
    return dtypes.scalar_dtype(x) if is_scalar(x) else x.dtype


def binary_dtypes(op, operands):
    """(result dtype, compute dtype, operands read at float32) for a binary op; raises
    PyTorch's dtype errors."""
    key = None
    if op != "pow":
        key = (op, dtypes.get_default_dtype(), *map(operand_kind, operands))
        if None not in key:
            found = _binary_dtypes.get(key)
            if found is not None:
                return found
        else:
            key = None
    common = result_type(operands)
    _check_binary(op, operands, common)
    compute = common
    if op in COMPARE:
        out = bool_
    elif op in LOGICAL:
        out = compute = bool_
    elif op in FLOAT_BINARY and not common.is_floating_point:
        out = compute = dtypes.get_default_dtype()
    else:
        out = common
    opmath = ()
    if compute.is_floating_point and compute.itemsize == 2:
        opmath = tuple(_opmath_scalar_operands(op, operands))
    found = (out, compute, opmath)
    if key is not None and not (op == "sub" and bool_ in map(operand_dtype, operands)):
        _binary_dtypes[key] = found
    return found


def _opmath_scalar_operands(op, operands):
    """Which operands of a float16/bfloat16 op PyTorch's CPU kernel reads at float32
    precision, unrounded: a scalar or 0-dim divisor of div and floor division, and either
    factor of mul (its reflected form puts the scalar second); the op then computes in
    float32 and rounds once."""
    def cpu_scalar(x):
        return is_scalar(x) or x.ndim == 0
    if op == "mul":
        return [k for k in (1, 0) if cpu_scalar(operands[k])][:1]
    if op in ("div", "floordiv") and cpu_scalar(operands[1]):
        return [1]
    return []


def where_node(cond, a, b):
    if not is_scalar(cond) and cond.dtype not in (bool_, dtypes.uint8):
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {torch_name(cond.dtype)}")
    tensors = [x for x in (cond, a, b) if not is_scalar(x)]
    check_same_device(tensors)
    shape = broadcast_shapes(*(t.shape for t in tensors))
    d = result_type([a, b])
    as_input = all(t._storage.device.type == "cpu" for t in tensors)
    srcs = (operand_node(cond, bool_, shape), operand_node(a, d, shape, as_input),
            operand_node(b, d, shape, as_input))
    return graph.node("where", d, shape, srcs), d


def fma_node(a, b, c, d):
    """a*b + c with one rounding (what PyTorch's vectorised CPU kernels compute where they
    multiply and add in one instruction), each operand converted to float32/float64 d."""
    tensors = [x for x in (a, b, c) if not is_scalar(x)]
    check_same_device(tensors)
    shape = broadcast_shapes(*(t.shape for t in tensors))
    as_input = all(t._storage.device.type == "cpu" for t in tensors)
    srcs = tuple(operand_node(x, d, shape, as_input) for x in (a, b, c))
    return graph.node("fma", d, shape, srcs)


_BOOL_NEG = ("Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
             "to invert a mask, use the `~` or `logical_not()` operator instead.")
# Unary ops PyTorch refuses on bool tensors, with the kernel its error names.
_NO_BOOL_UNARY = {"abs": "abs_cpu", "floor": "floor_vml_cpu", "ceil": "ceil_vml_cpu",
                  "round": "round_vml_cpu", "trunc": "trunc_vml_cpu"}


def _check_unary(op, d):
    if d is bool_:
        if op == "neg":
            raise RuntimeError(_BOOL_NEG)
        if op == "relu":
            raise RuntimeError("Boolean inputs not supported for relu")
        if op in _NO_BOOL_UNARY:
            raise not_implemented(_NO_BOOL_UNARY[op], d)
    if op == "bitwise_not" and d.is_floating_point:
        raise not_implemented("bitwise_not_cpu", d)
    if op == "frac" and not d.is_floating_point:
        raise not_implemented("frac_cpu", d)


def unary(op, x):
    """Node for a unary op on tensor x; returns (node, result dtype)."""
    if x.dtype.category == 3:
        return complex_numbers().unary(op, x)
    out, compute = unary_dtypes(op, x.dtype)
    if out is None:                     # sign of a bool tensor is the tensor
        return x._node, x.dtype
    src = x._node if compute is None else cast_node(x._node, compute)
    return graph.node(op, out, x._shape, (src,)), out


_unary_dtypes = {}


def unary_dtypes(op, d):
    """(result dtype, dtype the input is cast to or None to read it as it is) for a unary op
    on dtype d; (None, None) when the result is the input itself. Raises PyTorch's dtype
    errors."""
    key = (op, d, dtypes.get_default_dtype())
    found = _unary_dtypes.get(key)
    if found is not None:
        return found
    _check_unary(op, d)
    if op in ("logical_not", "isnan", "signbit"):
        found = (bool_, None)
    elif op == "sign" and d is bool_:
        found = (None, None)
    else:
        if op in FLOAT_UNARY and not d.is_floating_point:
            d = dtypes.get_default_dtype()
        elif op == "square" and d is bool_:
            d = int64
        found = (d, d)
    _unary_dtypes[key] = found
    return found


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
    """Node for a reduction of x over dim (all dims when None); returns (node, dtype).

    sum and prod of integers and bools give int64 unless dtype says otherwise.
    """
    ndim = len(x._shape)
    axes = normalize_dims(dim, ndim)
    if x.dtype.category == 3:
        return complex_numbers().reduce(op, x, axes, keepdim, dtype)
    d = dtype or x.dtype
    if op in ("sum", "prod") and dtype is None and not x.dtype.is_floating_point:
        d = int64
    src = cast_node(x._node, d) if op not in ("argmax", "argmin") else x._node
    if ndim == 0:
        src = graph.reshape(src, (1,))
        axes = (0,)
    kept = tuple(1 if i in axes else s for i, s in enumerate(src.shape))
    out_dtype = int64 if op in ("argmax", "argmin") else d
    n = graph.node("reduce", out_dtype, kept, (src,), (op, axes))
    if ndim == 0:
        return graph.reshape(n, ()), out_dtype
    if not keepdim:
        n = graph.reshape(n, tuple([s for i, s in enumerate(x._shape) if i not in axes]))
    return n, out_dtype


def check_nonempty(name, x, dim):
    """PyTorch's error for max/min/argmax/argmin (named `name`) over a zero-size dim."""
    axes = normalize_dims(dim, x.ndim)
    empty = [a for a in axes if x.ndim and x.shape[a] == 0]
    if not empty:
        return
    if dim is not None:
        raise IndexError(f"{name}(): Expected reduction dim {empty[0]} to have non-zero size.")
    if name in ("argmax", "argmin"):
        raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                         "input.numel() == 0.")
    raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                       "== 0. Specify the reduction dim with the 'dim' argument.")


def check_index_range(index, dim, size):
    """gather/scatter's check, made at the call (a bad index then changes nothing): every
    value of the index tensor within [0, size) along dim, else PyTorch's message."""
    positions = index._values()
    bad = (positions < 0) | (positions >= size)
    if bad.any():
        raise RuntimeError(f"index {positions[bad].flat[0]} is out of bounds for dimension "
                           f"{dim} with size {size}")


def is_complex_operand(x):
    return _complex_operand(x)


def _complex_operand(x):
    """A complex Python number or tensor (whose ops are complex_numbers' NumPy externs)."""
    t = type(x)
    if t is float or t is int or t is bool:
        return False
    return t is complex or isinstance(x, np.complexfloating) or \
        getattr(getattr(x, "dtype", None), "category", 0) == 3


# lazytensor.complex_numbers, which puts itself here as it loads: it imports tensor, which
# imports this module, so this module cannot import it
_complex_module = []


def complex_numbers():
    """The complex_numbers module (its ops are the complex operands' NumPy externs)."""
    return _complex_module[0]
