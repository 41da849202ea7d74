"""Elementwise math: unary and binary ops, comparisons, where, clamp and casts, as functions,
Tensor methods, operators and in-place `_` variants.

This module defines functions named like Python builtins (abs, round); it reaches the
builtins themselves through `builtins`.
"""
import builtins

import numpy as np

from . import dtypes, graph, ops, views
from .codegen import primitives
from .tensor import Tensor, can_cast, device_of, wrap
from .creation import as_tensor_arg, tensor


def _generated(arity):
    return tuple(p for p in primitives.PRIMITIVES
                 if p.arity == arity and p.public and not p.custom_function)


# The public functions made from the primitives' table (codegen/primitives.py), by their
# public names; div, round, where and hypot are written by hand (their extra arguments).
UNARY = tuple(p.public for p in _generated(1))
BINARY = tuple(p.public for p in _generated(2))
_PRIMITIVE = {p.public: p.name for p in primitives.PRIMITIVES if p.public}
_TENSORS_ONLY = frozenset(p.public for p in _generated(2) if p.operands == "tensors")
_TENSOR_FIRST = frozenset(p.public for p in _generated(2) if p.operands == "tensor_first")


def _check_tensor(x, name, arg="input", position=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be Tensor, not "
                        f"{type(x).__name__}")


def _check_operands(op, a, b, method):
    """PyTorch's TypeError where a Python number is passed that no overload accepts."""
    if op in _TENSORS_ONLY:
        if not method:
            _check_tensor(a, op)
        _check_tensor(b, op, "other", 1 if method else 2)
    elif op in _TENSOR_FIRST and not isinstance(a, Tensor):
        raise TypeError(f"{op}() received an invalid combination of arguments - got "
                        f"({type(a).__name__}, {type(b).__name__}), but expected one of:\n"
                        " * (Tensor input, Tensor other)\n * (Tensor input, Number other)")
    elif not isinstance(a, Tensor) and not isinstance(b, Tensor):
        _check_tensor(a, op)


def unary(op, x):
    _check_tensor(x, op)
    node, _ = ops.unary(op, x)
    return wrap(node, x.device)


def _scaled(a, b, alpha):
    """b * alpha for add/sub's `alpha`, with PyTorch's checks on alpha's type."""
    if alpha is None:
        return b
    common = ops.result_type([a, b])
    if isinstance(alpha, (bool, np.bool_)) and common is not dtypes.bool_:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, (float, np.floating)) and not common.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    if alpha == 1:
        return b
    if common is dtypes.bool_:          # alpha in the bools' type: b, or nothing added
        if bool(alpha):
            return b
        return False if ops.is_scalar(b) else binary("mul", b, False)
    if ops.is_scalar(b):
        return b * alpha
    return binary("mul", b, alpha)


def binary(op, a, b, alpha=None, method=False):
    """op(a, b) for tensors and Python scalars (lists and arrays become tensors)."""
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    _check_operands(op, a, b, method)
    b = _scaled(a, b, alpha)
    node, _ = ops.elementwise(_PRIMITIVE.get(op, op), a, b)
    return wrap(node, device_of(a, b))


def _check_writable(self, other=None):
    """PyTorch's checks before an in-place op writes self (reading other)."""
    views.check_no_internal_overlap(self._shape, self._strides)
    if isinstance(other, Tensor) and other._storage is self._storage:
        views.check_no_partial_overlap((self._shape, self._strides, self._offset),
                                       (other._shape, other._strides, other._offset))


def _inplace(self, node, result_dtype):
    self._check_inplace(node, result_dtype)
    return self._write(node)


def unary_(op, self):
    if op == "abs" and self.dtype.is_complex:
        raise RuntimeError("In-place abs is not supported for complex tensors.")
    _check_writable(self)
    node, d = ops.unary(op, self)
    return _inplace(self, node, d)


def binary_(op, self, other, alpha=None):
    other = as_tensor_arg(other)
    _check_operands(op, self, other, True)
    if not self.dtype.is_complex and ops.is_complex_operand(other):
        # PyTorch checks that the result can be written before the op's dtype support
        raise RuntimeError(f"result type {ops.torch_name(ops.result_type([self, other]))} "
                           f"can't be cast to the desired output type "
                           f"{ops.torch_name(self.dtype)}")
    _check_writable(self, other)
    other = _scaled(self, other, alpha)
    node, d = ops.elementwise(_PRIMITIVE.get(op, op), self, other)
    return _inplace(self, node, d)


_ROUNDING_MODES = (None, "trunc", "floor")


def div(a, b, *, rounding_mode=None):
    """True division, or rounded toward zero ("trunc") or minus infinity ("floor")."""
    if rounding_mode not in _ROUNDING_MODES:
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    if rounding_mode == "floor":
        return binary("floor_divide", a, b)
    if rounding_mode is None:
        return binary("div", a, b)
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    common = ops.result_type([a, b])
    if common is dtypes.bool_ or common.is_complex:
        raise ops.not_implemented("div_trunc_cpu", common)
    if common.is_floating_point:
        return unary("trunc", binary("div", a, b))
    # integers: floor division, plus one where the quotient was negative and inexact (a
    # Python scalar's sign is known here: no tensor, so none on another device)
    def negative(x):
        return x < 0 if ops.is_scalar(x) else _op("lt", x, 0)
    inexact = (_op("mod", a, b) != 0) & (negative(a) != negative(b))
    return _op("floordiv", a, b) + inexact


def _op(op, a, b):
    """The primitive op on tensors or scalars, without the public functions' argument checks."""
    node, _ = ops.elementwise(op, a, b)
    return wrap(node, device_of(a, b))


def div_(x, other, *, rounding_mode=None):
    _check_writable(x, as_tensor_arg(other))
    out = div(x, other, rounding_mode=rounding_mode)
    return _inplace(x, out._node, out.dtype)


def round(x, decimals=0):
    """Round half to even, at `decimals` digits after the point (negative: before it)."""
    _check_tensor(x, "round")
    if decimals == 0:
        return unary("round", x)
    if not x.dtype.is_floating_point:
        raise ops.not_implemented("round_cpu", x.dtype)
    if x.dtype.itemsize == 2:           # PyTorch scales and rounds in float32, then converts
        return round(to_dtype(x, dtypes.float32), decimals).to(x.dtype)
    scale = 10.0 ** builtins.abs(decimals)
    if decimals > 0:
        return unary("round", x * scale) / scale
    return unary("round", x / scale) * scale


def round_(x, decimals=0):
    _check_writable(x)
    out = round(x, decimals)
    return _inplace(x, out._node, out.dtype)


def where(condition, input=None, other=None):
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    node, _ = ops.where_node(condition, as_tensor_arg(input), as_tensor_arg(other))
    return wrap(node, device_of(condition, input, other))


def nonzero(x, as_tuple=False):
    """Indices of nonzero elements (data-dependent shape: realises x)."""
    if x.ndim == 0:         # PyTorch: one index row, with no columns, if the value is nonzero
        n = int(bool(x._values()))
        return (tensor(np.zeros(n, "int64"), device=x.device),) if as_tuple else \
            tensor(np.zeros((n, 0), "int64"), device=x.device)
    idx = x._values().nonzero()
    if as_tuple:
        return tuple(tensor(i.astype("int64"), device=x.device) for i in idx)
    return tensor(np.stack(idx, axis=1).astype("int64") if idx else np.zeros((1, 0), "int64"),
                  device=x.device)


def clamp(x, min=None, max=None):
    """min(max(x, min), max), in the dtype PyTorch promotes x and both bounds to."""
    _check_tensor(x, "clamp")
    if x.dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [b for b in (min, max) if b is not None]
    d = ops.result_type([x] + bounds)
    for b in bounds:
        if ops.is_scalar(b):
            ops.fill_value_of(b, d)                # PyTorch's overflow check
    out = to_dtype(x, d)
    for op, bound in (("maximum", min), ("minimum", max)):
        if bound is not None:
            out = _op(op, out, bound)
    return out


def clamp_(x, min=None, max=None):
    _check_writable(x, min)
    _check_writable(x, max)
    out = clamp(x, min, max)
    if not isinstance(min, Tensor) and not isinstance(max, Tensor) and \
            not can_cast(out.dtype, x.dtype):        # PyTorch's scalar overload names C types
        name = "bool" if x.dtype is dtypes.bool_ else ops.c_type_name(x.dtype)
        raise RuntimeError(f"result type {ops.torch_name(out.dtype)} can't be cast to the "
                           f"desired output type {name}")
    return _inplace(x, out._node, out.dtype)


def to_dtype(x, d):
    d = dtypes.to_dtype(d)
    if d is x.dtype:
        return x
    return wrap(ops.cast_node(x._node, d, discard_imag=True), x.device)


def lerp(a, b, w):
    """PyTorch's vectorised formula: w*(end - start) + start for |w| < 0.5, else
    (w - 1)*(end - start) + end, each multiply-add rounded once (an fma); in float32 for
    float16/bfloat16 inputs, rounded to their type at the end."""
    _check_tensor(a, "lerp")
    b = as_tensor_arg(b)
    for name, t in (("end", b), ("weight", w)):
        if isinstance(t, Tensor) and t.dtype is not a.dtype and (name == "end" or t.ndim):
            raise RuntimeError(f"expected dtype {ops.c_type_name(a.dtype)} for `{name}` but got "
                               f"dtype {ops.c_type_name(t.dtype)}")
    ops.broadcast_shapes(a._shape, b._shape, *([w._shape] if isinstance(w, Tensor) else []))
    if not a.dtype.is_floating_point:
        kernel = "lerp_kernel_scalar" if ops.is_scalar(w) else "lerp_kernel_tensor"
        raise ops.not_implemented(kernel, a.dtype)
    low = a.dtype.itemsize == 2
    start, end = (a.float(), b.float()) if low else (a, b)
    d = start.dtype
    diff = end - start
    if ops.is_scalar(w):
        np_dt = np.float64 if d is dtypes.float64 else np.float32
        w = np_dt(w)
        out = wrap(ops.fma_node(float(w), diff, start, d) if builtins.abs(w) < 0.5 else
                   ops.fma_node(float(w - np_dt(1)), diff, end, d), a.device)
    else:
        wt = w.float() if low else w
        out = where(wt.abs() < 0.5, wrap(ops.fma_node(wt, diff, start, d), a.device),
                    wrap(ops.fma_node(wt - 1, diff, end, d), a.device))
    return out.to(a.dtype) if low else out


def lerp_(a, b, w):
    _check_writable(a, b)
    out = lerp(a, b, w)
    return _inplace(a, out._node, out.dtype)


_ADDCDIV_INTEGER = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
    "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
    "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
    "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
    "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
    "for all dtypes.")


def _addc(name, x, t1, t2, value, first):
    """input + value*t1*t2 (addcmul) or input + value*t1/t2 (addcdiv) as PyTorch's CPU kernel
    computes it: (value*t1)*t2 + input with one rounding (its vectorised multiply-add), or
    (value*t1)/t2 + input; float16/bfloat16 in float32, rounded once. `first` is input's
    argument position in PyTorch's messages (1 for torch.addcmul, 0 for the method)."""
    _check_tensor(x, name, "input", first)
    _check_tensor(t1, name, "tensor1", first + 1)
    _check_tensor(t2, name, "tensor2", first + 2)
    if name == "addcdiv" and not t1.dtype.is_floating_point and \
            not t2.dtype.is_floating_point:
        raise RuntimeError(_ADDCDIV_INTEGER)
    ops.broadcast_shapes(x._shape, t1._shape, t2._shape)
    d = ops.result_type([x, t1, t2])
    if d is dtypes.bool_:
        raise ops.not_implemented(f"{name}_cpu_out", d)
    low = d.is_floating_point and d.itemsize == 2
    work = dtypes.float32 if low else d
    x, t1, t2 = (to_dtype(t, work) for t in (x, t1, t2))
    v = ops.scalar_value(value, work)
    scaled = t1 if v == 1 else t1 * v
    if name == "addcdiv":
        out = scaled / t2 + x
    elif work.is_floating_point:
        out = wrap(ops.fma_node(scaled, t2, x, work), x.device)
    else:
        out = scaled * t2 + x
    return out.to(d) if low else out


def addcmul(x, tensor1, tensor2, *, value=1):
    return _addc("addcmul", x, tensor1, tensor2, value, 1)


def addcdiv(x, tensor1, tensor2, *, value=1):
    return _addc("addcdiv", x, tensor1, tensor2, value, 1)


def addcmul_(x, tensor1, tensor2, *, value=1):
    return _addc_(addcmul, x, tensor1, tensor2, value)


def addcdiv_(x, tensor1, tensor2, *, value=1):
    return _addc_(addcdiv, x, tensor1, tensor2, value)


def _addc_(fn, x, t1, t2, value):
    _check_writable(x, t1)
    _check_writable(x, t2)
    out = fn(x, t1, t2, value=value)
    return _inplace(x, out._node, out.dtype)


def isinf(x):
    if not x.dtype.is_floating_point:
        return wrap(graph.const(False, dtypes.bool_, x._shape), x.device)
    return abs(x) == float("inf")


def isfinite(x):
    if not x.dtype.is_floating_point:
        return wrap(graph.const(True, dtypes.bool_, x._shape), x.device)
    return (x == x) & (abs(x) != float("inf"))


def _named(fn, name, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _unary_function(p):
    op = p.name
    out = ", *, out=None" if p.out else ""
    return _named(lambda input: unary(op, input), p.public,
                  f"{p.public}(input{out}) -> Tensor\n\n{p.doc}")


def _unary_inplace(p):
    op = p.name
    return _named(lambda input: unary_(op, input), p.public + "_",
                  f"{p.public}_(input) -> Tensor\n\n{p.doc} In place.")


def _binary_function(p):
    name = p.public
    out = ", out=None" if p.out else ""
    return _named(lambda input, other, *, alpha=None: binary(name, input, other, alpha), name,
                  f"{name}(input, other, *{out}) -> Tensor\n\n{p.doc}")


def _binary_inplace(p):
    name = p.public
    return _named(lambda input, other, *, alpha=None: binary_(name, input, other, alpha),
                  name + "_", f"{name}_(input, other) -> Tensor\n\n{p.doc} In place.")


def _define():
    """torch.<name>, its in-place form and its aliases for each generated primitive."""
    g = globals()
    names = []
    for arity, function, inplace in ((1, _unary_function, _unary_inplace),
                                     (2, _binary_function, _binary_inplace)):
        for p in _generated(arity):
            g[p.public] = function(p)
            names.append(p.public)
            if p.inplace:
                g[p.public + "_"] = inplace(p)
                names.append(p.public + "_")
    return names


def _define_aliases():
    """Every primitive's aliases, generated or hand-written alike (run once div exists)."""
    g = globals()
    names = []
    for p in primitives.PRIMITIVES:
        for alias in p.aliases:
            g[alias] = g[p.public]
            names.append(alias)
            if p.inplace:
                g[alias + "_"] = g[p.public + "_"]
                names.append(alias + "_")
    return names


FUNCTIONS = tuple(_define()) + tuple(_define_aliases()) + (
    "div", "div_", "round", "round_", "where", "clamp", "clamp_", "lerp", "lerp_", "nonzero",
    "addcmul", "addcmul_", "addcdiv", "addcdiv_", "isinf", "isfinite")
# what `from .elementwise import *` gives the package namespace
__all__ = list(FUNCTIONS) + ["clip", "clip_"]
clip, clip_ = clamp, clamp_


def _method(name):
    """The Tensor method for a binary function: PyTorch counts its argument positions from
    the first argument after self."""
    def method(a, b, *, alpha=None):
        return binary(name, a, b, alpha, method=True)
    method.__name__ = name
    return method


# Tensor methods that are not the functions themselves -----------------------------------------
def _where_method(input, condition, other):
    """Tensor.where(condition, other): self where condition, else other."""
    return where(condition, input, other)


def _addcmul_method(input, tensor1, tensor2, *, value=1):
    """Tensor.addcmul(tensor1, tensor2, *, value=1): self + value * tensor1 * tensor2."""
    return _addc("addcmul", input, tensor1, tensor2, value, 0)


def _addcdiv_method(input, tensor1, tensor2, *, value=1):
    """Tensor.addcdiv(tensor1, tensor2, *, value=1): self + value * tensor1 / tensor2."""
    return _addc("addcdiv", input, tensor1, tensor2, value, 0)


def clamp_min(input, min):
    """Tensor.clamp_min(min): clamp(min=min)."""
    return clamp(input, min=min)


def clamp_max(input, max):
    """Tensor.clamp_max(max): clamp(max=max)."""
    return clamp(input, max=max)


def _cast_method(name, dtype):
    return _named(lambda input: to_dtype(input, dtype), name,
                  f"Tensor.{name}(): the tensor as {dtype.name} (itself if it already is).")


_CASTS = {"float": dtypes.float32, "double": dtypes.float64, "half": dtypes.float16,
          "bfloat16": dtypes.bfloat16, "int": dtypes.int32, "long": dtypes.int64,
          "short": dtypes.int16, "char": dtypes.int8, "byte": dtypes.uint8,
          "bool": dtypes.bool_}


def _attach():
    g = globals()
    T = Tensor
    for name in FUNCTIONS:
        setattr(T, name, g[name])
    for name in _TENSORS_ONLY:
        setattr(T, name, _method(name))
    T.where = _named(_where_method, "where", _where_method.__doc__)
    T.addcmul = _named(_addcmul_method, "addcmul", _addcmul_method.__doc__)
    T.addcdiv = _named(_addcdiv_method, "addcdiv", _addcdiv_method.__doc__)
    T.clip, T.clip_ = clamp, clamp_
    T.clamp_min, T.clamp_max = clamp_min, clamp_max
    for name, dtype in _CASTS.items():
        setattr(T, name, _cast_method(name, dtype))
    _attach_operators(T)


# Python's operators: dunder -> the function it is (comparisons have no reflected or in-place
# forms: Python swaps a < b into b > a itself)
_OPERATORS = {
    "__add__": "add", "__sub__": "sub", "__mul__": "mul", "__truediv__": "div",
    "__floordiv__": "floor_divide", "__mod__": "remainder", "__pow__": "pow",
    "__and__": "bitwise_and", "__or__": "bitwise_or", "__xor__": "bitwise_xor",
    "__lshift__": "bitwise_left_shift", "__rshift__": "bitwise_right_shift",
    "__eq__": "eq", "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt",
    "__ge__": "ge"}
_COMPARISONS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")


def _operator(dunder, name, form):
    """The Tensor method for one operator: `form` is "" (self op other), "r" (other op self)
    or "i" (self op= other); NotImplemented for an operand no tensor op takes."""
    if form == "":
        def method(self, other):
            return binary(name, self, other) if _operand_ok(other) else NotImplemented
    elif form == "r":
        def method(self, other):
            return binary(name, other, self) if _operand_ok(other) else NotImplemented
    else:
        def method(self, other):
            return binary_(name, self, other) if _operand_ok(other) else NotImplemented
    spelled = "__" + form + dunder[2:]
    what = {"": "self op other", "r": "other op self", "i": "self op= other, in place"}[form]
    return _named(method, spelled, f"Tensor.{spelled}(other): {name}, as {what}.")


def _rtruediv(self, other):
    """number / tensor: PyTorch computes tensor.reciprocal() * number (its bits differ from a
    true division in the last place)."""
    return unary("reciprocal", self) * other if _operand_ok(other) else NotImplemented


def _neg(self):
    return unary("neg", self)


def _pos(self):
    return self


def _abs(self):
    return unary("abs", self)


def _hash(self):
    """Tensors hash by identity, as PyTorch's do (== is elementwise)."""
    return id(self)


def _attach_operators(T):
    for dunder, name in _OPERATORS.items():
        forms = ("",) if dunder in _COMPARISONS else ("", "r", "i")
        for form in forms:
            method = _operator(dunder, name, form)
            setattr(T, method.__name__, method)
    for dunder, fn in (("__rtruediv__", _rtruediv), ("__neg__", _neg), ("__pos__", _pos),
                       ("__abs__", _abs), ("__invert__", _invert), ("__hash__", _hash)):
        setattr(T, dunder, _named(fn, dunder, fn.__doc__))


def _invert(x):
    if x.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return unary("bitwise_not", x)


def _operand_ok(x):
    return isinstance(x, (Tensor, np.ndarray, list, tuple)) or ops.is_scalar(x)


_attach()
