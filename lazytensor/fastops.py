"""The per-op hot path: Tensor operators and unary methods called the common way.

`x * 2 + y` on tensors that need no autograd record goes through here instead of the general
layers (argument coercion, autograd wrapper, checks spread over several calls). What is
skipped is only what cannot apply: the dtype decision is the general path's own, memoised
by operand kinds in ops (an invalid combination is never memoised, so it always reaches the
general path and its error), device and shape checks are the same calls. Anything unusual
(a list or NumPy operand, requires_grad in grad mode, two devices, float16 scalar rounding) takes the
general path unchanged.
"""
from . import dtypes, fastgrad, graph, linalg, ops, storage
from .device import device as Device
from .autograd_graph import _REQUIRES_GRAD, is_grad_enabled
from .dtypes import get_default_dtype as _default
from .elementwise import UNARY
from .size import Size
from .tensor import Tensor

_wants_grad = _REQUIRES_GRAD.__get__


def _requires_grad(t):
    """Whether an op on t has something for autograd to record (under no_grad, as in an
    optimiser's update, a tensor that requires grad is read as any other)."""
    return _wants_grad(t) and is_grad_enabled()
_result = Tensor._from_node
_cast = ops.cast_node
# ops' memos; the keys built below must be the ones ops.binary_dtypes / unary_dtypes build:
# (op, default dtype, kind of each operand) and (op, dtype, default dtype)
_memo, _unary_memo = ops._binary_dtypes, ops._unary_dtypes


def _like(fast, general, name):
    """fast, named and documented as the general function it stands in front of."""
    fast.__name__ = getattr(general, "__name__", name)
    fast.__doc__ = general.__doc__
    return fast


def _binary_node(op, a, b, reflected, recording=False):
    """The node of `a op b` (`b op a` when reflected) for a tensor a needing no autograd
    record (or any, when recording: fastgrad records it) and a plain tensor, float or int
    b, when the memoised dtype decision covers it; None for anything the general path must
    see."""
    tb = type(b)
    if tb is Tensor or isinstance(b, Tensor):       # a Parameter too
        if (not recording and (_requires_grad(a) or _requires_grad(b))) or \
                a._storage.device is not b._storage.device:
            return None
        x, y = (b, a) if reflected else (a, b)
        found = _memo.get((op, _default(), (x._storage.dtype, not x._shape),
                           (y._storage.dtype, not y._shape)))
        if found is None or found[2]:
            return None
        shape = a._shape if a._shape == b._shape else ops.broadcast_shapes(x._shape, y._shape)
        compute = found[1]
        xn = graph.expand(_cast(x._node, compute), shape)
        yn = graph.expand(_cast(y._node, compute), shape)
    elif (tb is float or tb is int) and (recording or not _requires_grad(a)):
        key = (op, _default(), tb, (a._storage.dtype, not a._shape)) if reflected else \
            (op, _default(), (a._storage.dtype, not a._shape), tb)
        found = _memo.get(key)
        if found is None or found[2]:
            return None
        shape, compute = a._shape, found[1]
        on_cpu = a._storage.device.type == "cpu"
        if op in ops.ZERO_DIVIDING and not reflected and on_cpu:
            ops.check_scalar_divisor(op, compute, b)
        value = ops.scalar_value(b, compute)
        scalar = graph.scalar(value, compute, shape) if op in ops.SCALAR_INPUT_OPS and \
            on_cpu else graph.const(value, compute, shape)
        tensor = graph.expand(_cast(a._node, compute), shape)
        xn, yn = (scalar, tensor) if reflected else (tensor, scalar)
    else:
        return None
    return graph.node(op, found[0], shape, (xn, yn))


def _binary_operator(op, general, reflected):
    def operator(a, b):
        n = _binary_node(op, a, b, reflected)
        if n is not None:
            return _result(n, a._storage.device)
        if isinstance(a, Tensor) and (_wants_grad(a) or
                                      isinstance(b, Tensor) and _wants_grad(b)):
            out = fastgrad.recorded(general, (a, b),
                                    lambda: _binary_node(op, a, b, reflected, True))
            if out is not None:
                return out
        return general(a, b)
    operator._record_key = general
    return _like(operator, general, general.__name__)


def _inplace_operator(op, general):
    """`a op= b` or `a.op_(b)`: written through the general path's own write when a is a
    whole, contiguous, unshared storage and the result has a's shape and dtype (a loop's
    `w -= lr * grad`, an optimiser's `p.add_(g, alpha=-lr)`: b * alpha first, as the
    general path scales b); anything else (views, NumPy-shared memory, another dtype, b
    reading a's memory, alpha= on other operands) takes the general path and its checks."""
    def method(a, b, *args, **kwargs):
        st = a._storage
        if args or (kwargs and not _plain_alpha(op, a, b, kwargs)) or st.shared or \
                a._offset or (a.grad_fn is not None and _wants_grad(a)) or \
                (isinstance(b, Tensor) and b._storage is st) or \
                graph.prod(a._shape) != st.numel or \
                a._strides != graph.contiguous_strides(a._shape):
            return general(a, b, *args, **kwargs)
        operand = b
        if kwargs and kwargs["alpha"] != 1:
            scaled = _binary_node("mul", b, kwargs["alpha"], False)
            if scaled is None:
                return general(a, b, *args, **kwargs)
            operand = _result(scaled, b._storage.device)
        n = _binary_node(op, a, operand, False)
        if n is None or n.dtype is not st.dtype or n.shape != a._shape:
            return general(a, b, *args, **kwargs)       # b itself: general applies alpha
        return a._write(n)
    return _like(method, general, op)


def _plain_alpha(op, a, b, kwargs):
    """Whether `a.add_(b, alpha=k)` / `sub_` scales b the simple way: float tensors a and b
    and a Python int or float k (the general path checks every other combination)."""
    k = kwargs.get("alpha")
    return len(kwargs) == 1 and op in ("add", "sub") and type(k) in (int, float) and \
        isinstance(b, Tensor) and a._storage.dtype in _FLOAT_DTYPES and \
        b._storage.dtype in _FLOAT_DTYPES


def _unary_method(op, general):
    def node(x):
        found = _unary_memo.get((op, x._storage.dtype, _default()))
        if found is None or found[0] is None:
            return None
        out, compute = found
        src = x._node if compute is None else _cast(x._node, compute)
        return graph.node(op, out, x._shape, (src,))

    def method(x):
        if _requires_grad(x):
            if isinstance(x, Tensor):
                out = fastgrad.recorded(general, (x,), lambda: node(x))
                if out is not None:
                    return out
            return general(x)
        n = node(x)
        return general(x) if n is None else _result(n, x._storage.device)
    method._record_key = general
    return _like(method, general, op)


_OPERATORS = {"add": ("__add__", "__radd__"), "sub": ("__sub__", "__rsub__"),
              "mul": ("__mul__", "__rmul__"), "div": ("__truediv__", None),
              "floordiv": ("__floordiv__", "__rfloordiv__"), "mod": ("__mod__", "__rmod__"),
              "bitwise_and": ("__and__", "__rand__"), "bitwise_or": ("__or__", "__ror__"),
              "bitwise_xor": ("__xor__", "__rxor__"), "eq": ("__eq__", None),
              "ne": ("__ne__", None), "lt": ("__lt__", None), "le": ("__le__", None),
              "gt": ("__gt__", None), "ge": ("__ge__", None)}


def _pow_method(general):
    """`x ** 2`, `x.pow(3)`: a float32/float64 tensor needing no autograd record to the power
    of a Python int or float is pow(x, the number as a literal of x's dtype), the node the
    general path builds (the exponent stays a literal: x ** 2 compiles to x * x)."""
    def node(a, b):
        tb = type(b)
        if tb is float or tb is int:
            d = a._storage.dtype
            if d is dtypes.float32 or d is dtypes.float64:
                shape = a._shape
                return graph.node("pow", d, shape, (a._node, graph.const(float(b), d, shape)))
        return None

    def method(a, b):
        if not _requires_grad(a):
            n = node(a, b)
            if n is not None:
                return _result(n, a._storage.device)
        elif isinstance(a, Tensor):
            out = fastgrad.recorded(general, (a, b), lambda: node(a, b))
            if out is not None:
                return out
        return general(a, b)
    method._record_key = general
    return _like(method, general, "pow")


def _matmul_method(general, name):
    """`x @ w`, `x.mm(w)`, `x.matmul(w)` (and torch.mm / torch.matmul) of two matrices on one
    device: the product's nodes built directly (linalg._mm_nodes, the general path's own for
    this case), recorded from its kind's template when one requires grad in grad mode.
    Anything else (out=, other ranks, a non-tensor, two dtypes) takes the general path."""
    def method(*args, **kwargs):
        if len(args) == 2 and not kwargs:
            a, b = args
            if isinstance(a, Tensor) and isinstance(b, Tensor) and len(a._shape) == 2 and \
                    len(b._shape) == 2 and a._storage.device is b._storage.device:
                if not (_requires_grad(a) or _requires_grad(b)):
                    out = linalg._mm_nodes(a, b)
                    if out is not None:
                        return out
                else:
                    out = fastgrad.recorded(general, (a, b), lambda: linalg._mm_nodes(a, b))
                    if out is not None:
                        return out
        return general(*args, **kwargs)
    method._record_key = general
    return _like(method, general, name)


def _t_method(general):
    """x.t() of a matrix autograd has nothing to record for: the view itself."""
    def method(*args, **kwargs):
        if len(args) == 1 and not kwargs:
            x = args[0]
            if isinstance(x, Tensor) and len(x._shape) == 2 and not _requires_grad(x):
                return x._view((x._shape[1], x._shape[0]), (x._strides[1], x._strides[0]),
                               x._offset)
        return general(*args, **kwargs)
    return _like(method, general, "t")


def _view_method(general, name):
    """x.view(*shape) / x.reshape(*shape) of a row-major tensor autograd has nothing to
    record for, sizes given as ints (one -1 inferred): the view with the new shape's row-major
    strides, which is what views.view_strides gives for such a tensor. Anything else, sizes
    that do not fit included, takes the general path and its checks."""
    def method(*args, **kwargs):
        if len(args) >= 2 and not kwargs:
            x, dims = args[0], args[1:]
            if len(dims) == 1 and type(dims[0]) in (tuple, list, Size):
                dims = dims[0]
            if isinstance(x, Tensor) and not _requires_grad(x) and \
                    all(type(d) is int for d in dims) and \
                    x._strides == graph.contiguous_strides(x._shape):
                shape = _fitted(dims, graph.prod(x._shape))
                if shape is not None:
                    return x._view(shape, graph.contiguous_strides(shape), x._offset)
        return general(*args, **kwargs)
    return _like(method, general, name)


def _fitted(dims, numel):
    """dims with one -1 filled in to hold numel elements, or None when they cannot."""
    if dims.count(-1) > 1 or any(d < -1 for d in dims):
        return None
    known = graph.prod(d for d in dims if d != -1)
    if -1 in dims:
        if known == 0 or numel % known:
            return None
        return tuple(numel // known if d == -1 else d for d in dims)
    return tuple(dims) if known == numel else None


def _clamp_method(general):
    """x.clamp(min, max) / torch.clamp of a float32 or float64 tensor autograd has nothing to
    record for, by Python numbers: maximum with min, then minimum with max, the nodes the
    general path builds (a loop's `h.clamp(min=0)`). Anything else takes the general path."""
    def method(x=None, min=None, max=None, *rest, **kwargs):
        if not rest and not kwargs and isinstance(x, Tensor) and not _requires_grad(x) and \
                x._storage.dtype in _FLOAT_DTYPES and (min is not None or max is not None) and \
                type(min) in _BOUNDS and type(max) in _BOUNDS:
            out = x
            for op, bound in (("maximum", min), ("minimum", max)):
                if bound is not None:
                    ops.fill_value_of(bound, x._storage.dtype)     # PyTorch's overflow check
                    n = _binary_node(op, out, bound, False)
                    if n is None:
                        return general(x, min, max)
                    out = _result(n, x._storage.device)
            return out
        return general(x, min, max, *rest, **kwargs)
    return _like(method, general, "clamp")


_FLOAT_DTYPES = (dtypes.float32, dtypes.float64)
_BOUNDS = (int, float, type(None))


# torch.add(x, y) is x + y to a user: the module's functions of the operators take the same
# path (any keyword, such as out= or alpha=, or a first argument that is not a tensor, goes to
# the function itself)
_FUNCTIONS = {"add": "add", "sub": "sub", "subtract": "sub", "mul": "mul", "multiply": "mul",
              "div": "div", "divide": "div", "true_divide": "div", "eq": "eq", "ne": "ne",
              "lt": "lt", "le": "le", "gt": "gt", "ge": "ge"}


def _tensor_first(fast, general, arity):
    """fast(*args) when called with `arity` arguments, a tensor first, and no keywords; else
    general (the Python spelling of what the C front end's FastOp does)."""
    def function(*args, **kwargs):
        if kwargs or len(args) != arity or not isinstance(args[0], Tensor):
            return general(*args, **kwargs)
        return fast(*args)
    function.__name__ = getattr(general, "__name__", "function")
    function.__doc__ = general.__doc__
    function.__wrapped__ = general
    function._record_key = general
    return function


def install_functions(namespace):
    """Put the fast path under the package's functions of the operators, unary ops and sum
    (torch.sin(x), torch.add(x, 1), torch.sum(x)), as install() does for the methods."""
    front = graph._front
    made = []
    for name, op in _FUNCTIONS.items():
        if name in namespace:
            made.append((name, "binary", op, _binary_operator(op, namespace[name], False)))
    for op in UNARY:
        if op in namespace:
            made.append((op, "unary", op, _unary_method(op, namespace[op])))
    for name, kind, op, fast in made:
        general = namespace[name]
        namespace[name] = front.FastOp(kind, op, False, general) if front is not None else \
            _tensor_first(fast, general, 2 if kind == "binary" else 1)
    if "pow" in namespace:
        function = _tensor_first(_pow_method(namespace["pow"]), namespace["pow"], 2)
        namespace["pow"] = front.FastOp("pow", "pow", False, function) if front is not None \
            else function
    if front is not None:
        for name in ("sum", "mean"):
            if name in namespace:
                namespace[name] = front.FastOp(name, name, False, namespace[name])
    if "clamp" in namespace:
        namespace["clamp"] = _clamp_method(namespace["clamp"])
    for name in ("mm", "matmul", "t", "reshape"):
        if name in namespace:
            namespace[name] = _layer_op(name, namespace[name], front)


_LAYER_KINDS = {"__matmul__": "matmul", "mm": "matmul", "matmul": "matmul", "t": "t",
                "view": "view", "reshape": "view"}


def _layer_op(name, general, front):
    """The short path of a layer's op (`@`, mm, matmul, t, view, reshape) in front of
    general: the C FastOp with the Python version behind it, or the Python version alone."""
    kind = _LAYER_KINDS[name]
    fast = _t_method(general) if kind == "t" else \
        _view_method(general, name) if kind == "view" else _matmul_method(general, name)
    return front.FastOp(kind, name, False, fast) if front is not None else fast


_INPLACE = {"add": ("__iadd__", "add_"), "sub": ("__isub__", "sub_"), "mul": ("__imul__", "mul_"),
            "div": ("__itruediv__", "div_")}


def install():
    """Put the fast operators and unary methods on Tensor, over the general ones (called
    once every other module has installed its methods).

    With the C front end, each is its C spelling, which handles the commonest case itself
    (same dtype, same shape, or a float scalar; `x.sum()`) and calls the Python fast path
    below for the rest."""
    front = graph._front
    if front is not None:
        front.init_record(fastgrad.attach)
        front.init_ops(storage.Storage, Tensor, dtypes.dtype, Device, storage._pending,
                       storage._prune_at, storage._prune_pending, vars(dtypes), _memo,
                       _unary_memo, graph.scalar, ops.SCALAR_INPUT_OPS)
        storage._front_ops[0] = True
    for op, names in _OPERATORS.items():
        for name, reflected in zip(names, (False, True)):
            if name is not None:
                method = _binary_operator(op, getattr(Tensor, name), reflected)
                if front is not None:
                    method = front.FastOp("binary", op, reflected, method)
                setattr(Tensor, name, method)
    for op, names in _INPLACE.items():
        for name in names:
            method = _inplace_operator(op, getattr(Tensor, name))
            if front is not None:
                method = front.FastOp("inplace", op, False, method)
            setattr(Tensor, name, method)
    for name in ("__pow__", "pow"):
        method = _pow_method(getattr(Tensor, name))
        if front is not None:
            method = front.FastOp("pow", "pow", False, method)
        setattr(Tensor, name, method)
    Tensor.clamp = _clamp_method(Tensor.clamp)
    for name in _LAYER_KINDS:
        setattr(Tensor, name, _layer_op(name, getattr(Tensor, name), front))
    for op in UNARY:
        method = _unary_method(op, getattr(Tensor, op))
        if front is not None:
            method = front.FastOp("unary", op, False, method)
        setattr(Tensor, op, method)
    if front is not None:
        Tensor.sum = front.FastOp("sum", "sum", False, Tensor.sum)
        Tensor.mean = front.FastOp("mean", "mean", False, Tensor.mean)
        if storage._realize_alone is not None:
            Tensor.item = front.FastOp("item", "item", False, Tensor.item)
