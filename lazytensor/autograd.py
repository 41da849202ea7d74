"""Recording autograd history: `requires_grad`, `is_leaf` and `grad_fn` objects named as
PyTorch names them (AddBackward0, CloneBackward0, ...). Gradients are not computed yet; the
record is what PyTorch users see when they print a tensor or inspect .grad_fn.

Recording wraps the public ops once at import. Invariants, as in PyTorch:
  * a result requires grad when grad mode is on, it is floating point and some tensor
    argument requires grad; it then carries one grad_fn node (shared by the outputs of a
    multi-output op such as unbind), whose next_functions lead to the inputs' nodes
    (AccumulateGrad for a leaf, None for an input that does not require grad);
  * an op that returns its input itself (x.float() of a float32 x) changes nothing;
  * only the differentiable outputs are marked: values, not indices (max, sort, topk);
  * in-place ops refuse a leaf that requires grad, and a view of one; an in-place write
    through a view makes the view's base a CopySlices node and the view AsStridedBackward0;
  * under no_grad nothing is recorded, but a view of a tensor that requires grad still
    requires grad (with no grad_fn).
The node names are PyTorch's own, looked up in PyTorch 2.x for each op and overload.
"""
import functools
import weakref

from . import autograd_graph, derivatives, gradients, ops
from .autograd_graph import (  # noqa: F401
    AccumulateGrad, BackwardNode, RemovableHandle, backward_class, detect_anomaly,
    enable_grad, inference_mode, is_anomaly_check_nan_enabled, is_anomaly_enabled,
    is_grad_enabled, make_node as _make_node, meta, no_grad, output_nr, set_detect_anomaly,
    saw_write, set_grad_enabled, set_output as _set, tensor_arguments, unchanged,
    _set_mode,
    _REQUIRES_GRAD)
from .custom_function import Function, FunctionCtx  # noqa: F401
from .gradients import backward, grad  # noqa: F401
from .codegen import primitives
from .matmul_dispatch import matmul_path
from .tensor import Tensor

# -- views ----------------------------------------------------------------------------------------
_views = {}


def _mark_view(t):
    """Remember t as a differentiable view (made in grad mode by a view op)."""
    key = id(t)
    _views[key] = weakref.ref(t, lambda _, k=key: _views.pop(k, None))


def _is_view(t):
    ref = _views.get(id(t))
    return ref is not None and ref() is t and t._base is not None


def _views_of(base):
    for ref in list(_views.values()):
        t = ref()
        if t is not None and t._base is base:
            yield t


# -- names ----------------------------------------------------------------------------------------
def _const(name):
    return lambda args, kwargs, result=None: name


def _arg(args, kwargs, i, key):
    if len(args) > i:
        return args[i]
    return kwargs.get(key)


def _by_tensor(i, key, tensor_name, scalar_name):
    """tensor_name when argument i (or keyword key) is a Tensor, else scalar_name."""
    def pick(args, kwargs, result=None):
        return tensor_name if isinstance(_arg(args, kwargs, i, key), Tensor) else scalar_name
    return pick


def _with_dim(name0, name1):
    def pick(args, kwargs, result=None):
        return name1 if _arg(args, kwargs, 1, "dim") is not None else name0
    return pick


def _max_min(op):
    upper = op.capitalize()

    def pick(args, kwargs, result=None):
        other = _arg(args, kwargs, 1, "dim")
        if isinstance(other, Tensor):
            return f"{upper}imumBackward0"
        return f"{upper}Backward0" if other is not None else f"{upper}Backward1"
    return pick


def _div(args, kwargs, result=None):
    return "DivBackward2" if kwargs.get("rounding_mode") is not None else "DivBackward0"


def _pow(args, kwargs, result=None):
    if not isinstance(args[0], Tensor):
        return "PowBackward2"
    return "PowBackward1" if isinstance(_arg(args, kwargs, 1, "exponent"), Tensor) else \
        "PowBackward0"


def _squeeze(suffix0):
    """squeeze(): SqueezeBackward{n}; squeeze(int): n+1; squeeze(tuple): n+2."""
    def pick(args, kwargs, result=None):
        dim = _arg(args, kwargs, 1, "dim")
        n = suffix0 if dim is None else suffix0 + (1 if isinstance(dim, int) else 2)
        return f"SqueezeBackward{n}"
    return pick


def _clamp(base):
    def pick(args, kwargs, result=None):
        bounds = list(args[1:]) + [kwargs.get("min"), kwargs.get("max")]
        tensor = any(isinstance(b, Tensor) for b in bounds)
        return f"{base}Backward0" if tensor else f"{base}Backward1"
    return pick


def _clamp_side(base):
    return _by_tensor(1, base.lower()[5:], f"{base}Backward1", f"{base}Backward0")


def _reshape(args, kwargs, result=None):
    x = args[0]
    if result is not None and result._storage is not x._storage:
        return "UnsafeViewBackward0"
    return "ViewBackward0"


def _matmul(args, kwargs, result=None):
    a, b = args[0], args[1]
    kind, a1, b1 = matmul_path(a, b, kwargs.get("out") is not None)
    if kind == "fold_t" and a1.ndim == 2:
        # mT().contiguous() of the folded product: a copy unless the transpose is contiguous
        p, q = b1._shape[-1], a1._shape[0]
        return "TransposeBackward0" if 1 in (p, q) else "CloneBackward0"
    return {"dot": "DotBackward0", "mv": "MvBackward0", "vm": "SqueezeBackward4",
            "mm": "MmBackward0"}.get(kind, "UnsafeViewBackward0")


def _getitem(args, kwargs, result=None):
    """The last view op PyTorch's indexing applies: Select (int), Slice (a slice that is not
    the whole dim; any slice when it is the whole index), Unsqueeze (None), Index (advanced
    indexing, which wins), or Alias when nothing was applied."""
    x, index = args[0], args[1]
    whole = not isinstance(index, tuple)
    items = (index,) if whole else index
    if any(_advanced(i) for i in items):
        return "IndexBackward0"
    last = "AliasBackward0"
    for item, dim in _with_dims(items, x.ndim):
        if item is None:
            last = "UnsqueezeBackward0"
        elif isinstance(item, slice):
            if whole or item.indices(x._shape[dim]) != (0, x._shape[dim], 1):
                last = "SliceBackward0"
        elif item is not Ellipsis:
            last = "SelectBackward0"
    return last


def _advanced(item):
    if isinstance(item, Tensor):
        return item.ndim > 0 or item.dtype.name == "bool"
    return isinstance(item, (list, bool))


def _with_dims(items, ndim):
    """(item, the dim of x it indexes) for basic index items (... spans the dims the other
    items leave)."""
    consumed = sum(1 for i in items if i is not None and i is not Ellipsis)
    dim = 0
    for item in items:
        yield item, dim
        if item is Ellipsis:
            dim += ndim - consumed
        elif item is not None:
            dim += 1


def _camel(op):
    """PyTorch's node name stem: snake_case to CamelCase, a letter after a digit upper."""
    out = "".join(p[:1].upper() + p[1:] for p in op.split("_"))
    return "".join(c.upper() if i and out[i - 1].isdigit() else c for i, c in enumerate(out))


def _unary(op):
    return _const(_camel(op) + "Backward0")


# Unary composites (their grad_fn is PyTorch's for the op, not for what it is built from)
_COMPOSITE_UNARY = ("erfinv", "digamma", "sgn")
_ALIASES = {**{alias: p.public for p in primitives.PRIMITIVES for alias in p.aliases},
            "clip": "clamp",
            "swapaxes": "transpose", "swapdims": "transpose", "moveaxis": "movedim",
            "concat": "cat", "concatenate": "cat", "inverse": "inv"}


def _names(table):
    """{op: namer} from {node name or namer: ops}."""
    out = {}
    for namer, ops in table.items():
        for op in ops.split():
            out[op] = _const(namer) if isinstance(namer, str) else namer
    return out


def _diag(args, kwargs, result=None):
    return "DiagEmbedBackward0" if args[0].ndim == 1 else "DiagonalBackward0_copy"


def _median(stem):
    def pick(args, kwargs, result=None):
        return f"{stem}1" if _arg(args, kwargs, 1, "dim") is not None else f"{stem}0"
    return pick


def _unique(args, kwargs, result=None):
    dim = kwargs.get("dim", args[4] if len(args) > 4 else None)
    return "UniqueDimBackward0" if dim is not None else "Unique2Backward0"


def _by_numbers(stem):
    """xlogy-like ops: {stem}0 for two tensors, 1 when self is a number, 2 when other is."""
    def pick(args, kwargs, result=None):
        if not isinstance(args[0], Tensor):
            return f"{stem}1"
        return f"{stem}0" if isinstance(_arg(args, kwargs, 1, "other"), Tensor) else \
            f"{stem}2"
    return pick


def _bernoulli(args, kwargs, result=None):
    return "BernoulliBackward0" if _arg(args, kwargs, 1, "p") is None else \
        primitives.NOT_DIFFERENTIABLE


def _normal(args, kwargs, result=None):
    mean, std = _arg(args, kwargs, 0, "mean"), _arg(args, kwargs, 1, "std")
    return f"NormalBackward{isinstance(mean, Tensor) + 2 * isinstance(std, Tensor)}"


def _split(args, kwargs, result=None):
    sizes = _arg(args, kwargs, 1, "split_size_or_sections")
    return "SplitWithSizesBackward0" if isinstance(sizes, (list, tuple)) else "SplitBackward0"


# op -> namer, for ops with one tensor result
_OPS = _names({
    "AddBackward0": "__add__ __radd__", "SubBackward0": "__sub__",
    "RsubBackward1": "__rsub__", "MulBackward0": "__mul__ __rmul__ __rtruediv__",
    _div: "div", "DivBackward0": "__truediv__", _pow: "pow __pow__",
    "PowBackward2": "__rpow__", "NegBackward0": "__neg__",
    "AbsBackward0": "__abs__",
    primitives.NOT_DIFFERENTIABLE: "__floordiv__ __rfloordiv__ __rmod__ heaviside",
    _by_tensor(1, "other", "RemainderBackward1", "RemainderBackward0"): "remainder __mod__",
    _by_tensor(1, "other", "FmodBackward1", "FmodBackward0"): "fmod",
    _by_tensor(1, "other", "CopysignBackward0", "CopysignBackward1"): "copysign",
    _by_tensor(2, "weight", "LerpBackward1", "LerpBackward0"): "lerp",
    _by_tensor(2, "value", "MaskedFillBackward1", "MaskedFillBackward0"): "masked_fill",
    _clamp("Clamp"): "clamp", _clamp_side("ClampMin"): "clamp_min",
    _clamp_side("ClampMax"): "clamp_max",
    "IndexPutBackward0": "index_put", _bernoulli: "bernoulli", _normal: "normal",
})
_OPS.update(_names({   # reductions
    _with_dim("SumBackward0", "SumBackward1"): "sum",
    _with_dim("MeanBackward0", "MeanBackward1"): "mean",
    _with_dim("ProdBackward0", "ProdBackward1"): "prod", "StdBackward0": "std",
    "VarBackward0": "var", "AmaxBackward0": "amax", "AminBackward0": "amin",
    "LogsumexpBackward0": "logsumexp", "CumsumBackward0": "cumsum",
    "SoftmaxBackward0": "softmax", "LogSoftmaxBackward0": "log_softmax",
    "CumprodBackward0": "cumprod",
}))
_OPS.update(_names({   # views, copies, conversions, joins
    _matmul: "matmul __matmul__", "MmBackward0": "mm", "DotBackward0": "dot",
    "MvBackward0": "mv", "CloneBackward0": "clone contiguous",
    "ViewBackward0": "view view_as", _reshape: "reshape reshape_as flatten unflatten",
    "TBackward0": "t", "TransposeBackward0": "transpose", "PermuteBackward0": "permute movedim",
    "UnsqueezeBackward0": "unsqueeze", _squeeze(0): "squeeze",
    "ExpandBackward0": "expand expand_as", "SliceBackward0": "narrow",
    "SelectBackward0": "select", "DiagonalBackward0": "diagonal",
    "AsStridedBackward0": "as_strided", "FlipBackward0": "flip", "UnfoldBackward0": "unfold",
    _getitem: "__getitem__",
    "ToCopyBackward0": "to float double half bfloat16 type type_as cpu cuda",
    "CatBackward0": "cat", "StackBackward0": "stack",
}))
_OPS.update(_names({   # composites
    "MulBackward0": "outer ger", "BmmBackward0": "bmm", "TrilBackward0": "tril",
    "TriuBackward0": "triu", "RollBackward0": "roll", "RepeatBackward0": "repeat tile",
    "TraceBackward0": "trace", "TakeBackward0": "take",
    "MaskedSelectBackward0": "masked_select", "CatBackward0": "hstack vstack",
    "AddcmulBackward0": "addcmul", _by_numbers("XlogyBackward"): "xlogy",
    _by_numbers("SpecialXlog1PyBackward"): "xlog1py", "AddcdivBackward0": "addcdiv",
    "UnsafeViewBackward0": "kron", "BlockDiagBackward0": "block_diag",
    "Rot90Backward0": "rot90", "LogitBackward0": "logit",
    "SpecialEntrBackward0": "entr", "Deg2RadBackward0": "deg2rad",
    "Rad2DegBackward0": "rad2deg",
    "LogaddexpBackward0": "logaddexp", "Logaddexp2Backward0": "logaddexp2",
    "SincBackward0": "sinc", "NansumBackward0": "nansum", "DiagEmbedBackward0": "diag_embed",
    "NanToNumBackward0": "nan_to_num", "SoftplusBackward0": "softplus",
    "LeakyReluBackward0": "leaky_relu", "ViewBackward0": "einsum",
    _diag: "diag",
}))
_OPS.update(_names({   # gathers and scatters, products
    "GatherBackward0": "gather", "IndexSelectBackward0": "index_select",
    "ScatterAddBackward0": "scatter_add", "IndexAddBackward0": "index_add",
    "IndexCopyBackward0": "index_copy", "AddmmBackward0": "addmm", "AddmvBackward0": "addmv",
    "AddbmmBackward0": "addbmm", "BaddbmmBackward0": "baddbmm", "CdistBackward0": "cdist",
    "ConvolutionBackward0": "conv2d", "MaxPool2DWithIndicesBackward0": "max_pool2d",
    "AvgPool2DBackward0": "avg_pool2d", "ScatterReduceBackward0": "scatter_reduce",
    "IndexReduceBackward0": "index_reduce",
}))
_OPS.update(_names({"NllLossBackward0": "nll_loss", "MseLossBackward0": "mse_loss"}))  # losses
_OPS.update(_names({   # issue 14's pointwise and statistics functions
    "FmaxBackward0": "fmax", "FminBackward0": "fmin", "I0Backward0": "i0",
    "PolygammaBackward0": "polygamma", "MvlgammaBackward0": "mvlgamma",
    "LdexpBackward0": "ldexp", "LogcumsumexpBackward0": "logcumsumexp",
    "DistBackward0": "dist", _by_tensor(1, "other", "RsubBackward0", "RsubBackward1"): "rsub",
    "IgammaBackward0": "igamma gammainc", "IgammacBackward0": "igammac gammaincc",
    "NextafterBackward0": "nextafter",
}))
_OPS["scatter"] = _by_tensor(3, "src", "ScatterBackward0", "ScatterBackward1")
_OPS["index_fill"] = _by_tensor(3, "value", "IndexFillBackward1", "IndexFillBackward0")
_OPS.update(_names({   # linalg
    "LinalgCrossBackward0": "cross", "LinalgDetBackward0": "det",
    "LinalgInvExBackward0": "inv", "LinalgSolveExBackward0": "solve",
    "LinalgVectorNormBackward0": "vector_norm", "LinalgSvdBackward0": "svdvals",
    "LinalgEighBackward0": "eigvalsh", "LinalgCholeskyExBackward0": "cholesky",
    "LinalgPinvBackward0": "pinv pinverse",
}))
# the primitives whose grad_fn the op alone decides (codegen/primitives.py)
_OPS.update({p.public: _const(p.backward_name) for p in primitives.PRIMITIVES
             if p.public and p.backward_name not in (None, primitives.CALL_DEPENDENT)})
_OPS.update({op: _unary(op) for op in _COMPOSITE_UNARY})

# op -> (namer, which outputs): "first" (values, not indices), "all", or how many
_MULTI = {
    "max": (_max_min("max"), "first"), "min": (_max_min("min"), "first"),
    "sort": (_const("SortBackward0"), "first"), "topk": (_const("TopkBackward0"), "first"),
    "kthvalue": (_const("KthvalueBackward0"), "first"),
    "median": (_median("MedianBackward"), "first"),
    "nanmedian": (_median("NanmedianBackward"), "first"),
    "mode": (_const("ModeBackward0"), "first"),
    "unique": (_unique, "first"), "unbind": (_const("UnbindBackward0"), "all"),
    "split": (_split, "all"), "chunk": (_const("SplitBackward0"), "all"),
    "svd": (_const("LinalgSvdBackward0"), "all"), "qr": (_const("LinalgQrBackward0"), "all"),
    "eigh": (_const("LinalgEighBackward0"), "all"),
    "slogdet": (_const("LinalgSlogdetBackward0"), "all"),
    "cummax": (_const("CummaxBackward0"), "first"), "cummin": (_const("CumminBackward0"), "first"),
    "std_mean": (_const("StdMeanBackward0"), "all"),
    "var_mean": (_const("VarMeanBackward0"), "all"),
    "lstsq": (_const("LinalgLstsqBackward0"), 2),     # solution and residuals
    "aminmax": (_const("AminmaxBackward0"), "all"), "frexp": (_const("FrexpBackward0"), "first"),
    "histogram": (_const(primitives.NOT_DIFFERENTIABLE), "all"),
}

_VIEW_INPLACE = {"unsqueeze_": _const("UnsqueezeBackward1"), "squeeze_": _squeeze(3),
                 "t_": _const("TBackward1"), "transpose_": _const("TransposeBackward1")}


def _random_name(args, kwargs, result=None):
    n = len(args) - 1 + len([k for k in ("from_", "to") if k in kwargs])
    return f"RandomBackward{2 - min(n, 2)}"


_INPLACE = {
    "zero_": _const("ZeroBackward0"),
    "fill_": _by_tensor(1, "value", "FillBackward3", "FillBackward2"),
    "copy_": _const("CopyBackwards"), "uniform_": _const("UniformBackward0"),
    "normal_": _const("NormalBackward0"), "random_": _random_name,
    "__iadd__": _OPS["add"], "__isub__": _OPS["sub"], "__imul__": _OPS["mul"],
    "__itruediv__": _OPS["__truediv__"], "__ipow__": _pow, "__imod__": _OPS["remainder"],
    "__ifloordiv__": _OPS["floor_divide"], "index_put_": _OPS["index_put"],
    "exponential_": _const("ExponentialBackward0"), "polygamma_": _const("PolygammaBackward1"),
    "float_power_": _pow, "cauchy_": _const("CauchyBackward0"),
    "geometric_": _const("GeometricBackward0"), "log_normal_": _const("LogNormalBackward0"),
    "bernoulli_": _by_tensor(1, "p", "BernoulliBackward1", "BernoulliBackward2"),
}
for _cmp in ("eq", "ne", "lt", "le", "gt", "ge"):
    _INPLACE[_cmp + "_"] = _by_tensor(1, "other", f"{_cmp.capitalize()}Backward1",
                                      f"{_cmp.capitalize()}Backward0")
_NOT_RECORDED_INPLACE = {"requires_grad_", "detach_", "logical_and_", "logical_or_",
                         "logical_xor_", "logical_not_", "bitwise_and_", "bitwise_or_",
                         "bitwise_xor_", "bitwise_not_", "bitwise_left_shift_",
                         "bitwise_right_shift_", "resize_", "share_memory_"}


def _namer(op):
    op = _ALIASES.get(op, op)
    return _OPS.get(op)


def _inplace_namer(op):
    if op.startswith("__"):
        return _INPLACE.get(op)
    key = _ALIASES.get(op[:-1], op[:-1]) + "_"
    if key in _INPLACE:
        return _INPLACE[key]
    if key in _VIEW_INPLACE:
        return _VIEW_INPLACE[key]
    return _namer(key[:-1])


# -- recording ------------------------------------------------------------------------------------
def _outputs(result, which):
    if which == "one":
        return [result] if isinstance(result, Tensor) else []
    if not isinstance(result, (tuple, list)):
        return [result] if isinstance(result, Tensor) else []
    items = [r for r in result if isinstance(r, Tensor)]
    if isinstance(which, int):
        return items[:which]
    return items[:1] if which == "first" else items


def _float_inputs(args, kwargs):
    """The inputs next_functions lists by default: the floating-point tensors."""
    return [t for t in tensor_arguments(args, kwargs) if t.dtype.is_floating_point]


def _binary_inputs(args, kwargs):
    """self and other, a Python number included (as None), as for add and mul."""
    return [args[0], args[1] if len(args) > 1 else kwargs.get("other")]


def _rdiv_inputs(args, kwargs):
    """x.__rtruediv__(s) is x.reciprocal() * s."""
    return [_make_node("ReciprocalBackward0", [args[0]]), None]


def _where_inputs(args, kwargs):
    """torch.where(cond, x, y) and x.where(cond, y): x and y (numbers as None)."""
    if isinstance(args[0], Tensor) and args[0].dtype.name == "bool":
        return list(args[1:3])
    return [args[0], args[2] if len(args) > 2 else kwargs.get("other")]


_EDGES = {"add": _binary_inputs, "sub": _binary_inputs, "mul": _binary_inputs,
          "div": _binary_inputs, "__add__": _binary_inputs, "__radd__": _binary_inputs,
          "__sub__": _binary_inputs, "__mul__": _binary_inputs, "__rmul__": _binary_inputs,
          "__truediv__": _binary_inputs, "__rtruediv__": _rdiv_inputs, "where": _where_inputs}


def _positions(edge_list, inputs):
    """For each edge, the index of its tensor among the call's tensor arguments (each
    argument matched once: x * x has two edges to x)."""
    used, out = set(), []
    for e in edge_list:
        pos = None
        if isinstance(e, Tensor):
            for i, t in enumerate(inputs):
                if t is e and i not in used:
                    pos = i
                    break
            used.add(pos)
        out.append(pos)
    return tuple(out)


def _record(namer, which, args, kwargs, result, edges=_float_inputs, op=None):
    inputs = tensor_arguments(args, kwargs)
    if is_grad_enabled() and any(o.dtype.category == 3 for o in _outputs(result, which)):
        ops.complex_numbers().check_no_grad(               # complex results: no derivatives
            inputs, getattr(op, "__name__", op) or "complex result")
    outs = [o for o in _outputs(result, which)
            if o.dtype.is_floating_point and not any(o is i for i in inputs)]
    if not outs:
        return
    grad = any(i.requires_grad for i in inputs)
    if not is_grad_enabled():
        for o in outs:
            if any(o._storage is i._storage and i.requires_grad for i in inputs):
                _REQUIRES_GRAD.__set__(o, True)             # a view made under no_grad
        return
    for o in outs:
        if any(o._storage is i._storage for i in inputs):
            _mark_view(o)
    if grad:
        edge_list = edges(args, kwargs)
        node = _make_node(namer(args, kwargs, result), edge_list)
        gradients.attach(node, op, args, kwargs, result, outs, _positions(edge_list, inputs))
        if op == "__rtruediv__" and node.next_functions[0][0] is not None:
            gradients.attach(node.next_functions[0][0], "reciprocal_input", args[:1], {},
                             None, [], (0,))
            node._call = node._call[:4] + ((0, None),)
        for nr, o in enumerate(outs):
            _set(o, node, nr)


def recording(fn, namer, which="one", edges=_float_inputs, op=None):
    """fn, recording a grad_fn named namer(args, kwargs, result) on its outputs, linked to
    the nodes of edges(args, kwargs); op names its derivative (derivatives.py)."""
    op = op or fn.__name__
    whole = derivatives.lookup(op) is not None

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not _any_requires_grad(args, kwargs):
            return fn(*args, **kwargs)
        if whole and is_grad_enabled():
            # the op's own derivative covers it: the ops it is made of need not record
            # (their nodes would be replaced by its own)
            _set_mode(False)
            try:
                result = fn(*args, **kwargs)
            finally:
                _set_mode(True)
        else:
            result = fn(*args, **kwargs)
        if result is not None and result is not NotImplemented:
            _record(namer, which, args, kwargs, result, edges, op)
        return result
    wrapper.__wrapped__ = fn
    wrapper._lt_autograd = True
    return wrapper


def _any_requires_grad(args, kwargs):
    """Whether some tensor argument requires grad: without one there is nothing to record
    (the common case, checked first because every op pays for it)."""
    for a in (*args, *kwargs.values()) if kwargs else args:
        if isinstance(a, Tensor):
            if a.requires_grad:
                return True
        elif isinstance(a, (list, tuple)):
            if any(isinstance(x, Tensor) and x.requires_grad for x in a):
                return True
    return False


def _check_inplace(self, writes_view=False):
    """PyTorch's refusal, in grad mode, to modify a leaf that requires grad or a view of one
    (writes_view: the write goes through a view of self, as x[0] = v does)."""
    if not is_grad_enabled() or not self.requires_grad:
        return
    base = self._base if _is_view(self) else None
    if (writes_view and self.is_leaf) or (base is not None and base.requires_grad
                                          and base.is_leaf):
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")
    if self.is_leaf:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")


def _record_inplace(self, name, inputs, through_view=True, call=None):
    """After an in-place write to self: self (or its base, for a view) records it. call:
    (op, self's old value, args, kwargs) of the write, for its derivative."""
    if not is_grad_enabled() or not self.dtype.is_floating_point:
        return
    if not (self.requires_grad or any(t.requires_grad for t in inputs)):
        return
    # a view autograd did not see made (nothing required grad then: `out[1].copy_(p)` into
    # a zeros tensor) is a view all the same: the write makes its base CopySlices
    if through_view and (_is_view(self) or self._base is not None and
                         not autograd_graph.is_detached(self)):
        _copy_slices(self._base, inputs, self, self, call)
        return
    node = _make_node(name, [self] + inputs)
    if call is not None and call[0] in gradients.WRITES:
        gradients.attach_write(node, self, None, call, inputs)
    elif call is not None and call[1] is not None:
        op, old, args, kwargs = call
        # the gradient goes back to self as it was (an in-place view op changed its shape)
        node._inputs = ((old._shape, old.dtype),) + node._inputs[1:]
        args = (old,) + tuple(old if a is self else a for a in args)
        gradients.attach(node, op, args, kwargs, self, [self],
                         _positions([old] + inputs, tensor_arguments(args, kwargs)))
    _set(self, node)
    if through_view:
        _restride_views(self)


def _old_value(self, args, kwargs):
    """self's value before an in-place op that autograd records, as a tensor of its own
    (the write must not change what the derivative reads); None when nothing records."""
    if not is_grad_enabled() or not self.dtype.is_floating_point or not (
            self.requires_grad or _any_requires_grad(args, kwargs)):
        return None
    old = Tensor._from_node(self._node, self.device)
    if self.grad_fn is not None:            # the same node, without claiming its version
        _REQUIRES_GRAD.__set__(old, True)
        old.grad_fn = self.grad_fn
        if output_nr(self):
            meta(old).output_nr = output_nr(self)
    return old


def _copy_slices(base, inputs, written=None, region=None, call=None):
    """base was written through one of its views (region, the elements written; call: the
    write, as _record_inplace takes it): CopySlices, and its views re-derived."""
    node = _make_node("CopySlices", [base] + inputs)
    if region is not None and call is not None:
        gradients.attach_write(node, base, region, call, inputs)
    _set(base, node)
    _restride_views(base, written)


def _restride_views(base, written=None):
    """Views of a base modified in place read it anew: each gets an AsStridedBackward0 (its
    gradient goes to its elements of the base), as PyTorch regenerates their grad_fn."""
    for v in _views_of(base):
        if v.requires_grad or v is written:
            node = _make_node("AsStridedBackward0", [base])
            gradients.attach_view(node, base, v)
            _set(v, node)


def recording_inplace(fn, namer, view_op=False, op=None):
    """An in-place method: refuses (views of) leaves that require grad, records on self;
    op names the out-of-place op whose derivative it has (x.mul_(y): mul)."""
    op = op or _out_of_place(fn.__name__)

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        _check_inplace(self)
        old = _geometry_of(self) if view_op else _old_value(self, args, kwargs)
        fresh = unchanged(self) and unchanged(self._base)
        result = fn(self, *args, **kwargs)
        if result is NotImplemented:
            return result
        if fresh:                   # this write is autograd's to record (or to ignore)
            saw_write(self)
            saw_write(self._base)
        inputs = [t for t in tensor_arguments(args, kwargs) if t is not self] + \
            [old for t in tensor_arguments(args, kwargs) if t is self and old is not None]
        _record_inplace(self, namer((self,) + args, kwargs, self), inputs,
                        through_view=not view_op, call=(op, old, args, kwargs))
        return result
    wrapper.__wrapped__ = fn
    wrapper._lt_autograd = True
    return wrapper


def _geometry_of(self):
    """For an in-place view op (x.transpose_(0, 1)): x as it was, whose shape its
    derivative reads (an alias: the op moves no value)."""
    if not is_grad_enabled() or not self.requires_grad:
        return None
    return Tensor._make(self._storage, self._shape, self._strides, self._offset)


# in-place draws: their derivative passes nothing back, whatever their parameters
_DRAWS = ("random_", "uniform_", "normal_", "bernoulli_", "exponential_", "cauchy_",
          "geometric_", "log_normal_")


def _out_of_place(name):
    """The op an in-place method's derivative is that of: mul_ -> mul, __imul__ -> __mul__
    (copy_ is a write: gradients.WRITES)."""
    if name.startswith("__i"):
        return "__" + name[3:]
    if name in _DRAWS:
        return "draw_into"
    op = name[:-1]
    return "copy_write" if op == "copy" else _ALIASES.get(op, op)


def _setitem_kind(index):
    """How PyTorch writes x[index] = v: 'index_put' (advanced indexing), 'copy' (x[...]: into
    x itself) or 'slices' (into the view x[index])."""
    items = index if isinstance(index, tuple) else (index,)
    if any(_advanced(i) for i in items):
        return "index_put"
    return "copy" if items == (Ellipsis,) else "slices"


def recording_setitem(fn):
    """x[index] = value, recorded as PyTorch records it: IndexPutBackward0, CopyBackwards, or
    CopySlices on x's base for a write through a view."""
    @functools.wraps(fn)
    def wrapper(self, index, value):
        kind = _setitem_kind(index)
        _check_inplace(self, writes_view=kind == "slices")
        fresh = unchanged(self) and unchanged(self._base)
        fn(self, index, value)
        if fresh:
            saw_write(self)
            saw_write(self._base)
        inputs = [value] if isinstance(value, Tensor) else []
        if kind != "slices":
            name = "IndexPutBackward0" if kind == "index_put" else "CopyBackwards"
            op = "index_put_write" if kind == "index_put" else "copy_write"
            _record_inplace(self, name, inputs, call=(op, None, (index, value), {}))
        elif is_grad_enabled() and self.dtype.is_floating_point and (
                self.requires_grad or any(t.requires_grad for t in inputs)):
            with no_grad():
                region = self[index]        # the elements written (a view: no copy)
            _copy_slices(self._base if _is_view(self) else self, inputs, self, region,
                         ("copy_write", None, (Ellipsis, value), {}))
    wrapper.__wrapped__ = fn
    wrapper._lt_autograd = True
    return wrapper


# -- requires_grad --------------------------------------------------------------------------------

_NON_LEAF = ("you can only change requires_grad flags of leaf variables. If you want to use a "
             "computed variable in a subgraph that doesn't require differentiation use "
             "var_no_grad = var.detach().")


def _get_requires_grad(self):
    return _REQUIRES_GRAD.__get__(self)


def _set_requires_grad(self, value):
    value = bool(value)
    if value and not self.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point and complex dtype can require "
                           "gradients")
    if not value and getattr(self, "grad_fn", None) is not None:
        raise RuntimeError(_NON_LEAF)
    _REQUIRES_GRAD.__set__(self, value)




def requires_grad_(self, requires_grad=True):
    """Make a leaf (not) require grad; returns self."""
    if requires_grad and not self.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    if not requires_grad and not self.is_leaf:
        raise RuntimeError(_NON_LEAF)
    _REQUIRES_GRAD.__set__(self, bool(requires_grad))
    return self


def _detach_(fn):
    @functools.wraps(fn)
    def wrapper(self):
        fn(self)
        self.grad_fn = None
        _REQUIRES_GRAD.__set__(self, False)
        return self
    return wrapper


# -- installing -----------------------------------------------------------------------------------
RECORDED_METHODS = tuple(sorted(set(_OPS) | set(_MULTI) | set(_ALIASES)))
_PROPERTIES = {"T": _const("PermuteBackward0"), "mT": _const("TransposeBackward0"),
               "H": _const("PermuteBackward0"), "mH": _const("TransposeBackward0")}


def _wrapped(fn, attr):
    if attr in _MULTI:
        namer, which = _MULTI[attr]
        return recording(fn, namer, which, op=_ALIASES.get(attr, attr))
    namer = _namer(attr)
    if namer is None:
        return None
    op = _ALIASES.get(attr, attr)
    return recording(fn, namer, edges=_EDGES.get(op, _float_inputs), op=op)


def _inplace_names(obj):
    names = [n for n in dir(obj) if n.endswith("_") and not n.startswith("_")]
    return names + [n for n in dir(obj) if n.startswith("__i") and n[3:-2] in
                    ("add", "sub", "mul", "truediv", "pow", "mod", "floordiv")]


def _done(fn):
    """Whether fn is already an autograd wrapper (installing runs again for the modules
    imported after the first pass)."""
    return getattr(fn, "_lt_autograd", False)


def _install_methods():
    for attr in RECORDED_METHODS:
        fn = Tensor.__dict__.get(attr)
        if fn is None or isinstance(fn, property) or _done(fn):
            continue
        wrapped = _wrapped(fn, attr)
        if wrapped is not None:
            setattr(Tensor, attr, wrapped)
    for attr, namer in _PROPERTIES.items():
        prop = Tensor.__dict__.get(attr)
        if isinstance(prop, property) and not _done(prop.fget):
            setattr(Tensor, attr, property(recording(prop.fget, namer, op=attr)))
    for attr in _inplace_names(Tensor):
        if attr in _NOT_RECORDED_INPLACE or attr not in Tensor.__dict__ or \
                _done(Tensor.__dict__[attr]):
            continue
        namer = _inplace_namer(attr)
        if namer is not None:
            setattr(Tensor, attr, recording_inplace(Tensor.__dict__[attr], namer,
                                                    view_op=attr in _VIEW_INPLACE))
    if _done(Tensor.__dict__.get("requires_grad_")):
        return
    if "__setitem__" in Tensor.__dict__:
        Tensor.__setitem__ = recording_setitem(Tensor.__dict__["__setitem__"])
    Tensor.detach_ = _detach_(Tensor.__dict__["detach_"])
    requires_grad_._lt_autograd = True
    Tensor.requires_grad_ = requires_grad_
    Tensor.requires_grad = property(_get_requires_grad, _set_requires_grad)


def install(namespace, methods=True):
    """Wrap the functions in `namespace` (a module's globals) that PyTorch records, and
    Tensor's methods, properties and in-place methods (again after more modules added some:
    what is wrapped already stays as it is)."""
    if methods:
        _install_methods()
        gradients.install()
    for attr in list(namespace):
        fn = namespace[attr]
        if not callable(fn) or isinstance(fn, type) or attr.startswith("_") or _done(fn):
            continue
        if attr.endswith("_") and _inplace_namer(attr) is not None:
            namespace[attr] = recording_inplace(fn, _inplace_namer(attr))
        elif attr in RECORDED_METHODS and attr not in ("float", "type", "int", "bool"):
            wrapped = _wrapped(fn, attr)
            if wrapped is not None:
                namespace[attr] = wrapped


# -- the ops with no derivative yet ----------------------------------------------------------------
# Public functions and methods whose results PyTorch never connects to the graph
_DETACHED = frozenset({
    "detach", "detach_", "requires_grad_", "new_zeros", "new_ones", "new_full", "new_empty",
    "new_tensor", "zeros_like", "ones_like", "empty_like", "full_like", "rand_like",
    "randn_like", "randint_like", "multinomial", "poisson", "numpy",
    "tolist", "item", "retain_grad", "register_hook", "backward", "share_memory_",
    "dropout", "as_tensor", "tensor", "from_numpy", "from_dlpack",
    "random_", "uniform_", "normal_", "exponential_", "geometric_", "cauchy_",
    "log_normal_", "bernoulli_", "zero_", "fill_", "copy_", "set_", "resize_", "realize",
    # metadata, and results that are never floating point
    "size", "dim", "numel", "nelement", "element_size", "stride", "storage_offset",
    "is_contiguous", "is_floating_point", "get_device", "ndimension", "is_signed",
    "data_ptr", "untyped_storage", "equal", "allclose", "int", "long", "short", "char",
    "byte", "bool", "argmax", "argmin", "argsort", "all", "any", "nonzero",
    "count_nonzero", "isclose", "isinf", "isfinite", "bincount", "bucketize",
    "searchsorted", "tril_indices", "triu_indices"}
    | {n for p in primitives.PRIMITIVES if p.result in ("bool", "logical", "integer")
       for n in (p.public, f"{p.public}_", *p.aliases) if p.public})


# modules whose functions make tensors from nothing, or are not ops
_NO_TENSOR_OPS = frozenset("lazytensor." + m for m in (
    "creation", "random", "inspect", "printing", "threads", "device", "dtypes", "typeinfo",
    "accelerator", "cuda", "autograd", "autograd_graph", "gradients", "size"))


def _guarding(fn, name):
    """fn, made to refuse silently dropping a gradient: when an input requires grad (in grad
    mode) but fn's floating-point result does not, the result gets a node with no derivative
    (named as PyTorch would name it), so backward raises naming the op rather than leaving
    a gradient out."""
    node_name = _camel(name.rstrip("_")) + "Backward0"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        result = fn(*args, **kwargs)
        if is_grad_enabled() and _any_requires_grad(args, kwargs):
            outs = [o for o in _outputs(result, "all") if o.dtype.is_floating_point]
            if name.endswith("_") and args and isinstance(args[0], Tensor):
                outs = [args[0]] if args[0].dtype.is_floating_point else []
            inputs = tensor_arguments(args, kwargs)
            loose = [o for o in outs if not o.requires_grad or
                     (name.endswith("_") and o is args[0])]
            if loose:
                node = _make_node(node_name, _float_inputs(args, kwargs))
                node._call = name
                for nr, o in enumerate(loose):
                    _set(o, node, nr)
            del inputs
        return result
    wrapper.__wrapped__ = fn
    wrapper._lt_autograd = True
    return wrapper


def guard(namespace, methods=True):
    """Wrap every public function (and Tensor method) that autograd does not record yet with
    _guarding: a gradient it cannot compute is an error at backward, never a silent None."""
    if methods:
        for attr, fn in list(vars(Tensor).items()):
            if attr.startswith("_") or attr in _DETACHED or not callable(fn) or \
                    isinstance(fn, (property, type, staticmethod, classmethod)) or _done(fn):
                continue
            setattr(Tensor, attr, _guarding(fn, attr))
    # a module's namespace is its globals: only the functions it defines (its helpers'
    # imports stay as they are); the package's namespace re-exports the others' functions
    home = namespace.get("__name__")
    for attr in list(namespace):
        fn = namespace[attr]
        where = getattr(fn, "__module__", None) or ""
        if attr.startswith("_") or attr in _DETACHED or not callable(fn) or \
                isinstance(fn, type) or _done(fn) or not where.startswith("lazytensor") or \
                (home != "lazytensor" and where != home) or where in _NO_TENSOR_OPS:
            continue
        namespace[attr] = _guarding(fn, attr)


# -- torch.autograd's submodules ----------------------------------------------------------------
# This module is a module, not a package: its submodules are registered under their dotted
# names, so `import lazytensor.autograd.functional` and `from lazytensor.autograd.gradcheck
# import GradcheckError` work as they do in PyTorch (where autograd.gradcheck is the function).
# (Imported last: they build on this module's recording of the ops, never import it.)
import sys as _sys  # noqa: E402
from . import autograd_functional as functional, forward_ad  # noqa: E402
from . import gradcheck as _gradcheck_module  # noqa: E402

for _name, _module in (("functional", functional), ("forward_ad", forward_ad),
                       ("gradcheck", _gradcheck_module)):
    _sys.modules[f"{__name__}.{_name}"] = _module
gradcheck, gradgradcheck = _gradcheck_module.gradcheck, _gradcheck_module.gradgradcheck
