"""Recording autograd history: `requires_grad`, `is_leaf` and `grad_fn` objects named as
PyTorch names them (AddBackward0, CloneBackward0, ...). Gradients are not computed yet; the
record is what PyTorch users see when they print a tensor or inspect .grad_fn.

Recording wraps the public ops once at import: a result requires grad when it is floating
point and some tensor argument requires grad, and then carries a grad_fn.
"""
import contextlib
import functools
import threading

from .tensor import Tensor

_state = threading.local()


def is_grad_enabled():
    return getattr(_state, "enabled", True)


def set_grad_enabled(mode):
    _state.enabled = bool(mode)


class no_grad(contextlib.ContextDecorator):
    def __enter__(self):
        self.prev = is_grad_enabled()
        set_grad_enabled(False)

    def __exit__(self, *exc):
        set_grad_enabled(self.prev)


class enable_grad(contextlib.ContextDecorator):
    def __enter__(self):
        self.prev = is_grad_enabled()
        set_grad_enabled(True)

    def __exit__(self, *exc):
        set_grad_enabled(self.prev)


class BackwardNode:
    """One recorded op. `next_functions` links to the grad_fns of its inputs."""
    __slots__ = ("next_functions",)

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class AccumulateGrad(BackwardNode):
    __slots__ = ("variable",)


@functools.lru_cache(maxsize=None)
def backward_class(name):
    return type(name, (BackwardNode,), {"__slots__": ()})


def _tensors_in(args):
    for a in args:
        if isinstance(a, Tensor):
            yield a
        elif isinstance(a, (list, tuple)):
            yield from (x for x in a if isinstance(x, Tensor))


def _make_node(name, inputs):
    node = backward_class(name)()
    node.next_functions = tuple(
        (t.grad_fn, 0) if t.grad_fn is not None else (None, 0) for t in inputs)
    return node


def _mark(result, name, inputs):
    if isinstance(result, Tensor):
        if result.dtype.is_floating_point:
            result.requires_grad = True
            result.grad_fn = _make_node(name, inputs)
    elif isinstance(result, tuple) and result and isinstance(result[0], Tensor):
        _mark(result[0], name, inputs)


def recording(fn, name_of):
    """fn, recording a grad_fn named name_of(args, kwargs, result) on its result."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        result = fn(*args, **kwargs)
        if is_grad_enabled():
            inputs = [t for t in _tensors_in(args) if t.requires_grad]
            if inputs and result is not None:
                _mark(result, name_of(args, kwargs, result), inputs)
        return result
    wrapper.__wrapped__ = fn
    return wrapper


def recording_inplace(fn, name):
    """An in-place method: refuses leaves that require grad, records on self."""
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        if is_grad_enabled() and self.requires_grad and self.is_leaf:
            raise RuntimeError("a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        result = fn(self, *args, **kwargs)
        if is_grad_enabled():
            inputs = [t for t in _tensors_in((self,) + args) if t.requires_grad]
            if inputs:
                _mark(self, name, inputs)
        return result
    return wrapper


def _fixed(name):
    return lambda args, kwargs, result: name


def _with_dim(name0, name1):
    def pick(args, kwargs, result):
        has_dim = len(args) > 1 and args[1] is not None or kwargs.get("dim") is not None
        return name1 if has_dim else name0
    return pick


def _matmul_name(args, kwargs, result):
    a, b = args[0], args[1]
    if a.ndim == 1 and b.ndim == 1:
        return "DotBackward0"
    if a.ndim == 2 and b.ndim == 2:
        return "MmBackward0"
    if a.ndim == 2 and b.ndim == 1:
        return "MvBackward0"
    if a.ndim == 3 and b.ndim == 3:
        return "BmmBackward0"
    return "UnsafeViewBackward0"


def _pow_name(args, kwargs, result):
    return "PowBackward1" if isinstance(args[1], Tensor) else "PowBackward0"


def _getitem_name(args, kwargs, result):
    index = args[1] if isinstance(args[1], tuple) else (args[1],)
    last = [i for i in index if i is not None and i is not Ellipsis]
    if any(isinstance(i, (Tensor, list)) for i in last):
        return "IndexBackward0"
    if last and isinstance(last[-1], int) and not isinstance(last[-1], bool):
        return "SelectBackward0"
    if any(isinstance(i, slice) for i in last):
        return "SliceBackward0"
    return "AliasBackward0" if not last else "UnsqueezeBackward0"


def _max_name(args, kwargs, result):
    return "MaxBackward1" if len(args) == 1 and "dim" not in kwargs else "MaxBackward0"


def _min_name(args, kwargs, result):
    return "MinBackward1" if len(args) == 1 and "dim" not in kwargs else "MinBackward0"


_SPECIAL = {
    "__add__": "AddBackward0", "__radd__": "AddBackward0", "__sub__": "SubBackward0",
    "__rsub__": "RsubBackward1", "__mul__": "MulBackward0", "__rmul__": "MulBackward0",
    "__truediv__": "DivBackward0", "__rtruediv__": "DivBackward0", "__neg__": "NegBackward0",
    "__abs__": "AbsBackward0", "__rpow__": "PowBackward2", "subtract": "SubBackward0",
    "multiply": "MulBackward0", "divide": "DivBackward0", "true_divide": "DivBackward0",
    "negative": "NegBackward0", "absolute": "AbsBackward0", "clone": "CloneBackward0",
    "clamp": "ClampBackward1", "clip": "ClampBackward1", "clamp_min": "ClampMinBackward0",
    "clamp_max": "ClampMaxBackward0", "maximum": "MaximumBackward0",
    "minimum": "MinimumBackward0", "where": "WhereBackward0", "view": "ViewBackward0",
    "reshape": "ViewBackward0", "flatten": "ViewBackward0", "view_as": "ViewBackward0",
    "reshape_as": "ViewBackward0", "unflatten": "ViewBackward0", "t": "TBackward0",
    "transpose": "TransposeBackward0", "swapaxes": "TransposeBackward0",
    "permute": "PermuteBackward0", "unsqueeze": "UnsqueezeBackward0",
    "squeeze": "SqueezeBackward0", "expand": "ExpandBackward0",
    "expand_as": "ExpandBackward0", "contiguous": "CloneBackward0", "flip": "FlipBackward0",
    "narrow": "SliceBackward0", "select": "SelectBackward0", "cat": "CatBackward0",
    "stack": "StackBackward0", "to": "ToCopyBackward0", "float": "ToCopyBackward0",
    "double": "ToCopyBackward0", "half": "ToCopyBackward0", "type": "ToCopyBackward0",
    "std": "StdBackward0", "var": "VarBackward0", "prod": "ProdBackward0",
    "amax": "AmaxBackward0", "amin": "AminBackward0", "lerp": "LerpBackward0",
    "square": "PowBackward0", "relu": "ReluBackward0", "sigmoid": "SigmoidBackward0",
    "rsqrt": "RsqrtBackward0", "reciprocal": "ReciprocalBackward0", "exp2": "Exp2Backward0",
    "log1p": "Log1PBackward0", "expm1": "Expm1Backward0", "atan2": "Atan2Backward0",
    "floor_divide": "FloorDivideBackward0", "remainder": "RemainderBackward0",
    "fmod": "FmodBackward0", "cross": "LinalgCrossBackward0", "det": "LinalgDetBackward0",
    "inverse": "LinalgInvExBackward0", "diagonal": "DiagonalBackward0",
    "movedim": "PermuteBackward0", "as_strided": "AsStridedBackward0",
    "unbind": "UnbindBackward0", "split": "SplitBackward0", "chunk": "SplitBackward0",
}
_DYNAMIC = {"sum": _with_dim("SumBackward0", "SumBackward1"),
            "mean": _with_dim("MeanBackward0", "MeanBackward1"),
            "matmul": _matmul_name, "__matmul__": _matmul_name, "mm": _fixed("MmBackward0"),
            "dot": _fixed("DotBackward0"), "pow": _pow_name, "__pow__": _pow_name,
            "__getitem__": _getitem_name, "max": _max_name, "min": _min_name}
_NO_GRAD = {"eq", "ne", "lt", "le", "gt", "ge", "argmax", "argmin", "all", "any",
            "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and",
            "bitwise_or", "bitwise_xor", "bitwise_not", "sign", "floor", "ceil", "round",
            "trunc", "isnan", "isinf", "isfinite", "signbit", "nonzero", "detach", "numpy",
            "item", "tolist", "realize", "size", "dim", "numel", "stride", "is_contiguous",
            "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__or__",
            "__xor__", "__invert__", "__lshift__", "__rshift__", "long", "int", "bool",
            "short", "byte", "char", "__floordiv__", "__mod__", "__rfloordiv__", "__rmod__"}


def _name_for(attr):
    if attr in _DYNAMIC:
        return _DYNAMIC[attr]
    if attr in _SPECIAL:
        return _fixed(_SPECIAL[attr])
    return _fixed(attr[:1].upper() + attr[1:] + "Backward0")


RECORDED_METHODS = (
    "abs", "neg", "exp", "exp2", "log", "log2", "log1p", "expm1", "sqrt", "rsqrt", "sin",
    "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "relu",
    "reciprocal", "square", "add", "sub", "mul", "div", "pow", "atan2", "maximum", "minimum",
    "clamp", "clip", "clamp_min", "clamp_max", "where", "lerp", "fmod", "remainder",
    "subtract", "multiply", "divide", "true_divide", "negative", "absolute",
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__pow__", "__rpow__", "__neg__", "__abs__", "__matmul__",
    "sum", "prod", "mean", "std", "var", "max", "min", "amax", "amin",
    "clone", "contiguous", "view", "reshape", "flatten", "unflatten", "view_as",
    "reshape_as", "t", "transpose", "swapaxes", "permute", "unsqueeze", "squeeze", "expand",
    "expand_as", "flip", "narrow", "select", "diagonal", "movedim", "as_strided",
    "__getitem__", "to", "float", "double", "half", "type", "matmul", "mm", "dot", "cross",
    "det", "inverse", "unbind", "split", "chunk")
RECORDED_INPLACE = (
    "abs_", "neg_", "exp_", "log_", "sqrt_", "sin_", "cos_", "tan_", "tanh_", "sigmoid_",
    "relu_", "add_", "sub_", "mul_", "div_", "pow_", "clamp_", "asin_", "acos_", "atan_",
    "floor_", "ceil_", "trunc_", "round_", "__iadd__", "__isub__",
    "__imul__", "__itruediv__")


def requires_grad_(self, requires_grad=True):
    if requires_grad and not self.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    if not requires_grad and not self.is_leaf:
        raise RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                           "want to use a computed variable in a subgraph that doesn't require "
                           "differentiation use var_no_grad = var.detach().")
    self.requires_grad = bool(requires_grad)
    return self


def _inplace_name(attr):
    base = attr[3:-2] if attr.startswith("__") else attr[:-1]
    base = {"truediv": "div"}.get(base, base)
    return _SPECIAL.get(base, base[:1].upper() + base[1:] + "Backward0")


def install(namespace, methods=True):
    """Wrap the module-level functions in `namespace` (and, once, Tensor's methods) to
    record."""
    for attr in RECORDED_METHODS:
        fn = getattr(Tensor, attr, None)
        if methods and fn is not None and not isinstance(fn, property):
            setattr(Tensor, attr, recording(fn, _name_for(attr)))
        if attr in namespace and callable(namespace[attr]) and attr not in ("float", "type"):
            namespace[attr] = recording(namespace[attr], _name_for(attr))
    for name in ("cat", "stack", "concat", "concatenate"):
        if name in namespace:
            namespace[name] = recording(namespace[name], _fixed(_SPECIAL.get(name,
                                                                             "CatBackward0")))
    for attr in RECORDED_INPLACE:
        fn = getattr(Tensor, attr, None)
        if methods and fn is not None:
            setattr(Tensor, attr, recording_inplace(fn, _inplace_name(attr)))
        if attr in namespace and callable(namespace[attr]):
            namespace[attr] = recording_inplace(namespace[attr], _inplace_name(attr))
    Tensor.requires_grad_ = requires_grad_
