"""Elementwise math: unary and binary ops, comparisons, where, clamp and casts, as functions,
Tensor methods, operators and in-place `_` variants."""
from . import dtypes, graph, ops
from .tensor import Tensor, as_tensor_arg, device_of, wrap

UNARY = ("abs", "neg", "exp", "exp2", "log", "log2", "log1p", "expm1", "sqrt", "rsqrt",
         "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid",
         "relu", "floor", "ceil", "trunc", "sign", "reciprocal", "square",
         "bitwise_not", "logical_not")
UNARY_ALIASES = {"negative": "neg", "absolute": "abs", "arcsin": "asin", "arccos": "acos",
                 "arctan": "atan", "arcsinh": None, "fix": "trunc"}
BINARY = ("add", "sub", "mul", "div", "floor_divide", "remainder", "pow", "atan2", "maximum",
          "minimum", "eq", "ne", "lt", "le", "gt", "ge", "bitwise_and", "bitwise_or",
          "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "logical_and",
          "logical_or", "logical_xor", "copysign")
_PRIMITIVE = {"floor_divide": "floordiv", "remainder": "mod", "bitwise_left_shift": "lshift",
              "bitwise_right_shift": "rshift"}
BINARY_ALIASES = {"subtract": "sub", "multiply": "mul", "divide": "div", "true_divide": "div",
                  "greater": "gt", "greater_equal": "ge", "less": "lt", "less_equal": "le",
                  "not_equal": "ne", "arctan2": "atan2", "fmod": None}


def _check_tensor(x, name):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")


def unary(op, x):
    _check_tensor(x, op)
    node, _ = ops.unary(op, x)
    return wrap(node, x.device)


def binary(op, a, b, alpha=None):
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(a).__name__}")
    if alpha is not None and alpha != 1:
        b = binary("mul", b, alpha)
    node, _ = ops.elementwise(_PRIMITIVE.get(op, op), a, b)
    return wrap(node, device_of(a, b))


def _inplace(self, node, result_dtype):
    self._check_inplace(node, result_dtype)
    return self._write(node)


def unary_(op, self):
    node, d = ops.unary(op, self)
    return _inplace(self, node, d)


def binary_(op, self, other, alpha=None):
    other = as_tensor_arg(other)
    if alpha is not None and alpha != 1:
        other = binary("mul", other, alpha)
    node, d = ops.elementwise(_PRIMITIVE.get(op, op), self, other)
    return _inplace(self, node, d)


def round(x, decimals=0):
    if decimals == 0:
        return unary("round", x)
    scale = 10.0 ** decimals
    return unary("round", x * scale) / scale


def where(condition, input=None, other=None):
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    node, _ = ops.where_node(condition, as_tensor_arg(input), as_tensor_arg(other))
    return wrap(node, device_of(condition, input, other))


def nonzero(x, as_tuple=False):
    """Indices of nonzero elements (data-dependent shape: realises x)."""
    from .creation import tensor
    idx = x._values().nonzero()
    if as_tuple:
        return tuple(tensor(i.astype("int64")) for i in idx)
    import numpy as np
    return tensor(np.stack(idx, axis=1).astype("int64") if idx else np.zeros((1, 0), "int64"))


def clamp(x, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    out = x
    if min is not None:
        out = binary("maximum", out, min) if isinstance(min, Tensor) else \
            _clamp_scalar(out, min, "maximum")
    if max is not None:
        out = binary("minimum", out, max) if isinstance(max, Tensor) else \
            _clamp_scalar(out, max, "minimum")
    return out


def _clamp_scalar(x, bound, op):
    # clamp keeps the tensor's dtype unless the bound is a float and the tensor is integral
    d = ops.result_type([x, bound])
    node = graph.node(op, d, x.shape, (ops.cast_node(x._node, d),
                                       graph.const(bound if d.is_floating_point else int(bound),
                                                   d, x.shape)))
    return wrap(node, x.device)


def clamp_(x, min=None, max=None):
    out = clamp(x, min, max)
    x._check_inplace(out._node, out.dtype)
    return x._write(out._node)


def to_dtype(x, d):
    d = dtypes.to_dtype(d)
    if d is x.dtype:
        return x
    return wrap(ops.cast_node(x._node, d), x.device)


def lerp(a, b, w):
    return a + (b - a) * w


def _define():
    g = globals()
    for name in UNARY:
        g[name] = (lambda op: lambda x: unary(op, x))(name)
        g[name + "_"] = (lambda op: lambda x: unary_(op, x))(name)
    for name in BINARY:
        g[name] = (lambda op: lambda a, b, *, alpha=None: binary(op, a, b, alpha))(name)
        g[name + "_"] = (lambda op: lambda a, b, *, alpha=None: binary_(op, a, b, alpha))(name)
    for alias, target in {**UNARY_ALIASES, **BINARY_ALIASES}.items():
        if target:
            g[alias] = g[target]
            g[alias + "_"] = g[target + "_"]
    g["fmod"] = lambda a, b: _fmod(a, b)
    g["round_"] = lambda x, decimals=0: x._write(round(x, decimals)._node)


def _fmod(a, b):
    # C's fmod: the sign of the dividend
    r = binary("remainder", a, b)
    fix = (r != 0) & ((r < 0) != (as_tensor_arg(a) < 0))
    return where(fix, r - b, r)


_define()

FUNCTIONS = (UNARY + tuple(n + "_" for n in UNARY) + BINARY + tuple(n + "_" for n in BINARY) +
             tuple(k for k, v in {**UNARY_ALIASES, **BINARY_ALIASES}.items() if v) +
             ("round", "round_", "where", "clamp", "clamp_", "fmod", "lerp", "nonzero"))


def _attach():
    g = globals()
    T = Tensor
    for name in FUNCTIONS:
        setattr(T, name, g[name])
    T.clip, T.clip_ = clamp, clamp_
    T.clamp_min = lambda x, m: clamp(x, min=m)
    T.clamp_max = lambda x, m: clamp(x, max=m)
    T.float = lambda x: to_dtype(x, dtypes.float32)
    T.double = lambda x: to_dtype(x, dtypes.float64)
    T.half = lambda x: to_dtype(x, dtypes.float16)
    T.bfloat16 = lambda x: to_dtype(x, dtypes.bfloat16)
    T.int = lambda x: to_dtype(x, dtypes.int32)
    T.long = lambda x: to_dtype(x, dtypes.int64)
    T.short = lambda x: to_dtype(x, dtypes.int16)
    T.char = lambda x: to_dtype(x, dtypes.int8)
    T.byte = lambda x: to_dtype(x, dtypes.uint8)
    T.bool = lambda x: to_dtype(x, dtypes.bool_)
    T.isnan = lambda x: unary("isnan", x)
    T.signbit = lambda x: unary("signbit", x)
    T.isinf = lambda x: abs(x) == float("inf")
    T.isfinite = lambda x: (x == x) & (abs(x) != float("inf"))

    ops_table = {
        "__add__": "add", "__sub__": "sub", "__mul__": "mul", "__truediv__": "div",
        "__floordiv__": "floor_divide", "__mod__": "remainder", "__pow__": "pow",
        "__and__": "bitwise_and", "__or__": "bitwise_or", "__xor__": "bitwise_xor",
        "__lshift__": "bitwise_left_shift", "__rshift__": "bitwise_right_shift",
        "__eq__": "eq", "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt",
        "__ge__": "ge"}
    for dunder, name in ops_table.items():
        setattr(T, dunder, (lambda op: lambda a, b: binary(op, a, b)
                            if _operand_ok(b) else NotImplemented)(name))
        if dunder not in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
            rname = "__r" + dunder[2:]
            setattr(T, rname, (lambda op: lambda a, b: binary(op, b, a)
                               if _operand_ok(b) else NotImplemented)(name))
            iname = "__i" + dunder[2:]
            setattr(T, iname, (lambda op: lambda a, b: binary_(op, a, b)
                               if _operand_ok(b) else NotImplemented)(name))
    T.__neg__ = lambda x: unary("neg", x)
    T.__pos__ = lambda x: x
    T.__abs__ = lambda x: unary("abs", x)
    T.__invert__ = lambda x: unary("bitwise_not", x)
    T.__hash__ = lambda x: id(x)


def _operand_ok(x):
    import numpy as np
    return isinstance(x, (Tensor, np.ndarray, list, tuple)) or ops.is_scalar(x)


_attach()
