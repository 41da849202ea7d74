"""Autograd records: requires_grad, is_leaf, detach, grad_fn names and next_functions, in-place
rules and grad modes, as PyTorch 2.13 shows them.

Every expected grad_fn name below was printed by PyTorch 2.13 (CPU) for the same expression;
torch is not imported. Nothing here computes a gradient.
"""
import pytest

import lazytensor as lt

LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_INPLACE = ("a view of a leaf Variable that requires grad is being used in an in-place "
                "operation.")


@pytest.fixture
def t():
    """a, b: leaves requiring grad (2x3); c: a plain 2x3; v (3), m (3x3), bt (2x3x3) leaves;
    na: a non-leaf (a * 1); i: an index tensor."""
    lt.manual_seed(0)
    env = dict(a=lt.rand(2, 3, requires_grad=True), b=lt.rand(2, 3, requires_grad=True),
               c=lt.rand(2, 3), v=lt.rand(3, requires_grad=True),
               m=lt.rand(3, 3, requires_grad=True), bt=lt.rand(2, 3, 3, requires_grad=True),
               i=lt.tensor([1, 0]), lt=lt)
    env["na"] = env["a"] * 1
    return env


def name(x):
    return None if x.grad_fn is None else type(x.grad_fn).__name__


def check(t, table):
    """Each expression of table, evaluated on the fixture, records the PyTorch name."""
    for expr, expected in table:
        result = eval(expr, {}, dict(t))
        out = result[0] if isinstance(result, tuple) else result
        assert name(out) == expected, expr
        if expected is not None:
            assert out.requires_grad and not out.is_leaf, expr


# -- flags on creation, requires_grad_, detach, clone ---------------------------------------------
def test_requires_grad_on_creation():
    made = [lt.rand(2, requires_grad=True), lt.randn(2, requires_grad=True),
            lt.zeros(2, requires_grad=True), lt.ones(2, requires_grad=True, dtype=lt.float64),
            lt.tensor([1., 2.], requires_grad=True), lt.full((2,), 3., requires_grad=True),
            lt.eye(2, requires_grad=True), lt.arange(3., requires_grad=True),
            lt.linspace(0, 1, 3, requires_grad=True), lt.empty(0, requires_grad=True),
            lt.zeros_like(lt.ones(2), requires_grad=True), lt.tensor(3., requires_grad=True)]
    for x in made:
        assert x.requires_grad and x.is_leaf and x.grad_fn is None and x.grad is None
    assert repr(lt.tensor([1., 2.], requires_grad=True)) == "tensor([1., 2.], requires_grad=True)"
    assert repr(lt.eye(2, requires_grad=True)) == ("tensor([[1., 0.],\n        [0., 1.]], "
                                                   "requires_grad=True)")
    assert repr(lt.zeros(2, dtype=lt.float64, requires_grad=True)) == \
        "tensor([0., 0.], dtype=lazytensor.float64, requires_grad=True)"
    plain = lt.ones(2)
    assert not plain.requires_grad and plain.is_leaf and (plain * 2).is_leaf


def test_requires_grad_on_integer_creation_uses_pytorchs_creation_message():
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype "
                                           "can require gradients$"):
        lt.tensor([1, 2], requires_grad=True)


def test_requires_grad_method_and_attribute():
    x = lt.ones(2)
    assert x.requires_grad_() is x and x.requires_grad and x.is_leaf
    assert x.requires_grad_(False) is x and not x.requires_grad
    x.requires_grad = True
    assert repr(x) == "tensor([1., 1.], requires_grad=True)"
    with pytest.raises(RuntimeError, match="^only Tensors of floating point dtype can require "
                                           "gradients$"):
        lt.ones(2, dtype=lt.int64).requires_grad_()
    with pytest.raises(RuntimeError, match="^only Tensors of floating point and complex dtype "
                                           "can require gradients$"):
        lt.ones(2, dtype=lt.int64).requires_grad = True
    y = x * 2
    for change in (lambda: y.requires_grad_(False), lambda: setattr(y, "requires_grad", False)):
        with pytest.raises(RuntimeError, match="^you can only change requires_grad flags of "
                                               "leaf variables. If you want to use a computed "
                                               "variable in a subgraph that doesn't require "
                                               r"differentiation use var_no_grad = "
                                               r"var.detach\(\).$"):
            change()
    assert y.requires_grad_(True) is y


def test_detach_shares_memory_and_drops_the_record():
    a = lt.tensor([1., 2.], requires_grad=True)
    d = a.detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    assert repr(d) == "tensor([1., 2.])"
    d[0] = 5.
    assert a.tolist() == [5., 2.]
    d.add_(1)                                     # allowed: the detached view needs no grad
    assert repr(a) == "tensor([6., 3.], requires_grad=True)"
    y = a * 2
    assert y.detach_() is y and y.grad_fn is None and not y.requires_grad


def test_clone_prints_its_grad_fn():
    a = lt.tensor([1., 2.], requires_grad=True)
    assert repr(a.clone()) == "tensor([1., 2.], grad_fn=<CloneBackward0>)"
    assert repr(a * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert repr(lt.tensor(2., requires_grad=True).clone()) == \
        "tensor(2., grad_fn=<CloneBackward0>)"
    assert repr(lt.tensor([1., 2.], requires_grad=True, dtype=lt.float64) * 2) == \
        "tensor([2., 4.], dtype=lazytensor.float64, grad_fn=<MulBackward0>)"
    assert (a * 2).grad_fn.name() == "MulBackward0"
    assert repr(a > 1) == "tensor([False,  True])"


# -- names ----------------------------------------------------------------------------------------
ARITHMETIC = [
    ("a + b", "AddBackward0"), ("a + c", "AddBackward0"), ("c + a", "AddBackward0"),
    ("a + 1", "AddBackward0"), ("1 + a", "AddBackward0"), ("a - b", "SubBackward0"),
    ("a - 1", "SubBackward0"), ("1 - a", "RsubBackward1"), ("c - a", "SubBackward0"),
    ("a * b", "MulBackward0"), ("2 * a", "MulBackward0"), ("a / b", "DivBackward0"),
    ("a / 2", "DivBackward0"), ("2 / a", "MulBackward0"), ("c / a", "DivBackward0"),
    ("a.add(b, alpha=2)", "AddBackward0"), ("lt.add(a, 1)", "AddBackward0"),
    ("a.div(b, rounding_mode='floor')", "DivBackward2"), ("a // b", "NotImplemented"),
    ("a // 2", "NotImplemented"), ("a % b", "RemainderBackward1"),
    ("a % 2", "RemainderBackward0"), ("lt.fmod(a, 2)", "FmodBackward0"),
    ("lt.fmod(a, b)", "FmodBackward1"), ("a ** 2", "PowBackward0"), ("a ** b", "PowBackward1"),
    ("2 ** a", "PowBackward2"), ("lt.pow(2, a)", "PowBackward2"), ("a.pow(b)", "PowBackward1"),
    ("a.square()", "PowBackward0"), ("-a", "NegBackward0"), ("abs(a)", "AbsBackward0"),
    ("lt.atan2(a, b)", "Atan2Backward0"), ("lt.maximum(a, b)", "MaximumBackward0"),
    ("lt.lerp(a, b, 0.5)", "LerpBackward0"),
]
UNARY = [(f"a.{op}()", f"{stem}Backward0") for op, stem in [
    ("exp", "Exp"), ("log", "Log"), ("sqrt", "Sqrt"), ("sin", "Sin"), ("cos", "Cos"),
    ("tan", "Tan"), ("asin", "Asin"), ("acos", "Acos"), ("atan", "Atan"), ("sinh", "Sinh"),
    ("cosh", "Cosh"), ("tanh", "Tanh"), ("sigmoid", "Sigmoid"), ("relu", "Relu"),
    ("reciprocal", "Reciprocal"), ("rsqrt", "Rsqrt"), ("exp2", "Exp2"), ("log2", "Log2"),
    ("log1p", "Log1P"), ("expm1", "Expm1"), ("sign", "Sign"), ("floor", "Floor"),
    ("ceil", "Ceil"), ("round", "Round"), ("trunc", "Trunc"), ("neg", "Neg"), ("abs", "Abs")]]
REDUCTIONS = [
    ("a.sum()", "SumBackward0"), ("a.sum(0)", "SumBackward1"),
    ("a.sum(dim=(0, 1))", "SumBackward1"),
    ("lt.sum(a, 1, keepdim=True)", "SumBackward1"), ("a.sum(dtype=lt.float64)", "SumBackward0"),
    ("a.mean()", "MeanBackward0"), ("a.mean(0)", "MeanBackward1"), ("a.prod()", "ProdBackward0"),
    ("a.prod(0)", "ProdBackward1"), ("a.std()", "StdBackward0"), ("a.var(1)", "VarBackward0"),
    ("a.max()", "MaxBackward1"), ("a.max(0)", "MaxBackward0"), ("a.min(dim=1)", "MinBackward0"),
    ("lt.max(a, b)", "MaximumBackward0"), ("lt.min(a, b)", "MinimumBackward0"),
    ("a.amax(0)", "AmaxBackward0"), ("a.amin()", "AminBackward0"),
    ("a.norm()", "LinalgVectorNormBackward0"), ("a.norm(1, dim=1)", "LinalgVectorNormBackward0"),
]
MATMUL = [
    ("v @ v", "DotBackward0"), ("m @ v", "MvBackward0"), ("v @ m", "SqueezeBackward4"),
    ("m @ m", "MmBackward0"), ("a @ m", "MmBackward0"), ("bt @ bt", "UnsafeViewBackward0"),
    ("bt @ m", "UnsafeViewBackward0"), ("bt @ v", "UnsafeViewBackward0"),
    ("v @ bt", "UnsafeViewBackward0"), ("lt.mm(m, m)", "MmBackward0"),
    ("lt.dot(v, v)", "DotBackward0"), ("lt.linalg.matmul(a, m)", "MmBackward0"),
    # a 2-D operand requiring grad folds the batched one: the product is transposed back
    ("a @ lt.rand(2, 3, 2)", "CloneBackward0"), ("a[:1] @ lt.rand(4, 3, 5)", "TransposeBackward0"),
    ("lt.rand(2, 3) @ bt", "UnsafeViewBackward0"),
    ("a.unsqueeze(0) @ lt.rand(2, 3, 2)", "CloneBackward0"),
]
VIEWS = [
    ("a.view(3, 2)", "ViewBackward0"), ("a.view(2, 3)", "ViewBackward0"),
    ("a.reshape(6)", "ViewBackward0"), ("a.t().reshape(6)", "UnsafeViewBackward0"),
    ("a.flatten()", "ViewBackward0"), ("a.t().flatten()", "UnsafeViewBackward0"),
    ("a.view_as(c)", "ViewBackward0"), ("a.unflatten(1, (3, 1))", "ViewBackward0"),
    ("a.t()", "TBackward0"), ("a.T", "PermuteBackward0"), ("a.mT", "TransposeBackward0"),
    ("v.T", "PermuteBackward0"), ("a.transpose(0, 1)", "TransposeBackward0"),
    ("a.permute(1, 0)", "PermuteBackward0"), ("a.movedim(0, 1)", "PermuteBackward0"),
    ("a.unsqueeze(0)", "UnsqueezeBackward0"), ("a.squeeze()", "SqueezeBackward0"),
    ("a.squeeze(0)", "SqueezeBackward1"), ("a.squeeze((0,))", "SqueezeBackward2"),
    ("a.expand(2, 2, 3)", "ExpandBackward0"), ("a.narrow(0, 0, 1)", "SliceBackward0"),
    ("a.select(0, 1)", "SelectBackward0"), ("a.diagonal()", "DiagonalBackward0"),
    ("a.flip(0)", "FlipBackward0"), ("a.t().contiguous()", "CloneBackward0"),
    ("a.clone()", "CloneBackward0"), ("a.unfold(1, 2, 1)", "UnfoldBackward0"),
    ("a.unbind(0)", "UnbindBackward0"), ("a.split(1)", "SplitBackward0"),
    ("a.split([1, 1])", "SplitWithSizesBackward0"), ("a.chunk(2, 1)", "SplitBackward0"),
]
INDEXING = [
    ("a[0]", "SelectBackward0"), ("a[:, 1]", "SelectBackward0"), ("a[0, 1]", "SelectBackward0"),
    ("a[-1]", "SelectBackward0"), ("a[lt.tensor(0)]", "SelectBackward0"),
    ("a[:1]", "SliceBackward0"), ("a[:]", "SliceBackward0"), ("a[0:2]", "SliceBackward0"),
    ("a[:, :]", "AliasBackward0"), ("a[:, 0:3]", "AliasBackward0"), ("a[...]", "AliasBackward0"),
    ("a[None]", "UnsqueezeBackward0"), ("a[:, None]", "UnsqueezeBackward0"),
    ("a[None, 0]", "SelectBackward0"), ("a[..., 0, None]", "UnsqueezeBackward0"),
    ("a[i]", "IndexBackward0"), ("a[[0, 1]]", "IndexBackward0"), ("a[a > 0.5]", "IndexBackward0"),
    ("a[0, [0, 1]]", "IndexBackward0"), ("a[True]", "IndexBackward0"),
]
CONVERSIONS = [
    ("a.to(lt.float64)", "ToCopyBackward0"), ("a.double()", "ToCopyBackward0"),
    ("a.half()", "ToCopyBackward0"), ("a.type(lt.float64)", "ToCopyBackward0"),
    ("a.to(copy=True)", "ToCopyBackward0"), ("a.type_as(c.double())", "ToCopyBackward0"),
    ("a.long()", None), ("a.to(lt.int64)", None), ("a.bool()", None),
]
JOINS_AND_MISC = [
    ("lt.cat([a, b])", "CatBackward0"), ("lt.cat([a, c])", "CatBackward0"),
    ("lt.cat([c, c])", None), ("lt.stack([c, a], 1)", "StackBackward0"),
    ("lt.concat([a])", "CatBackward0"), ("a.clamp(0, 1)", "ClampBackward1"),
    ("a.clamp(min=0)", "ClampBackward1"), ("a.clamp(c, b)", "ClampBackward0"),
    ("a.clip(0, 1)", "ClampBackward1"), ("a.clamp_min(0)", "ClampMinBackward0"),
    ("a.clamp_max(1)", "ClampMaxBackward0"), ("lt.where(a > 0.5, a, b)", "WhereBackward0"),
    ("lt.where(c > 0.5, 1.0, a)", "WhereBackward0"), ("lt.where(c > 0.5, c, c)", None),
    ("a.masked_fill(c > 0.5, 0.)", "MaskedFillBackward0"),
    ("a.masked_fill(c > 0.5, lt.tensor(1.))", "MaskedFillBackward1"),
    ("a == b", None), ("a < 0.5", None), ("a.eq(b)", None), ("a.argmax()", None),
    ("a.argmin(0)", None), ("a.isnan()", None), ("lt.zeros_like(a)", None),
    ("lt.rand_like(a)", None),
]
LINALG_AND_SORTING = [
    ("lt.linalg.cross(bt, bt)", "LinalgCrossBackward0"), ("lt.linalg.det(m)", "LinalgDetBackward0"),
    ("lt.det(m)", "LinalgDetBackward0"), ("lt.linalg.inv(m)", "LinalgInvExBackward0"),
    ("lt.inverse(m)", "LinalgInvExBackward0"), ("lt.linalg.svd(m)", "LinalgSvdBackward0"),
    ("lt.linalg.svdvals(a)", "LinalgSvdBackward0"), ("lt.linalg.norm(a)",
                                                     "LinalgVectorNormBackward0"),
    ("lt.linalg.norm(m, 1)", "AmaxBackward0"), ("lt.linalg.norm(a, -1)", "AminBackward0"),
    ("lt.linalg.norm(a, 2)", "AmaxBackward0"), ("lt.linalg.norm(a, 'nuc')", "SumBackward1"),
    ("lt.linalg.matrix_norm(a)", "LinalgVectorNormBackward0"),
    ("lt.linalg.solve(m, v)", "LinalgSolveExBackward0"), ("lt.linalg.qr(m)", "LinalgQrBackward0"),
    ("lt.linalg.eigh(m)", "LinalgEighBackward0"), ("lt.linalg.eigvalsh(m)", "LinalgEighBackward0"),
    ("lt.sort(a)", "SortBackward0"), ("a.topk(2)", "TopkBackward0"),
    ("lt.unique(a)", "Unique2Backward0"), ("lt.unique(a, dim=0)", "UniqueDimBackward0"),
    ("a.argsort()", None),
]


@pytest.mark.filterwarnings("ignore:The use of `x.T`:UserWarning")   # as PyTorch warns
@pytest.mark.parametrize("table", [ARITHMETIC, UNARY, REDUCTIONS, MATMUL, VIEWS, INDEXING,
                                   CONVERSIONS, JOINS_AND_MISC, LINALG_AND_SORTING],
                         ids=["arithmetic", "unary", "reductions", "matmul", "views", "indexing",
                              "conversions", "joins_misc", "linalg_sorting"])
def test_grad_fn_names_are_pytorchs(t, table):
    check(t, table)


def test_only_differentiable_outputs_are_marked(t):
    a = t["a"]
    values, indices = a.max(0)
    assert name(values) == "MaxBackward0" and not indices.requires_grad and indices.is_leaf
    s = lt.sort(a)
    assert s.values.requires_grad and not s.indices.requires_grad
    first, second = a.unbind(0)
    assert name(second) == "UnbindBackward0" and first.grad_fn is second.grad_fn
    u, counts = lt.unique(a, return_counts=True)
    assert name(u) == "Unique2Backward0" and not counts.requires_grad
    assert all(name(x) == "LinalgSvdBackward0" for x in lt.linalg.svd(t["m"]))


def test_ops_returning_their_input_change_nothing(t):
    a = t["a"]
    for same in (a.float(), a.to(lt.float32), a.to("cpu"), a.cpu(), a.contiguous(),
                 a.type_as(t["c"]), a.type(lt.float32)):
        assert same is a and a.is_leaf and a.grad_fn is None


def test_next_functions(t):
    a, b, c = t["a"], t["b"], t["c"]

    def edges(x):
        return [None if f is None else type(f).__name__ for f, _ in x.grad_fn.next_functions]
    assert edges(a + b) == ["AccumulateGrad", "AccumulateGrad"]
    assert edges(a + c) == ["AccumulateGrad", None] and edges(c + a) == [None, "AccumulateGrad"]
    assert edges(a + 1) == ["AccumulateGrad", None] and edges(a ** 2) == ["AccumulateGrad"]
    assert edges(2 / a) == ["ReciprocalBackward0", None]
    assert edges(a * 2 + b) == ["MulBackward0", "AccumulateGrad"]
    assert edges(lt.cat([a, c, b])) == ["AccumulateGrad", None, "AccumulateGrad"]
    assert edges(lt.where(c > 0, a, b)) == ["AccumulateGrad", "AccumulateGrad"]
    assert edges(a.clamp(c, b)) == ["AccumulateGrad", None, "AccumulateGrad"]
    assert (a + b).grad_fn.next_functions[0][0].variable is a
    assert repr((a * 2).grad_fn).startswith("<MulBackward0 object at 0x")


# -- in-place -------------------------------------------------------------------------------------
INPLACE = [
    ("add_(1)", "AddBackward0"), ("mul_(b)", "MulBackward0"), ("sub_(1)", "SubBackward0"),
    ("div_(2)", "DivBackward0"), ("pow_(2)", "PowBackward0"), ("pow_(b)", "PowBackward1"),
    ("sin_()", "SinBackward0"), ("exp_()", "ExpBackward0"), ("abs_()", "AbsBackward0"),
    ("clamp_(0, 1)", "ClampBackward1"), ("clamp_(c, b)", "ClampBackward0"),
    ("zero_()", "ZeroBackward0"), ("fill_(1.)", "FillBackward2"),
    ("fill_(lt.tensor(2.))", "FillBackward3"), ("copy_(b)", "CopyBackwards"),
    ("uniform_()", "UniformBackward0"), ("normal_()", "NormalBackward0"),
    ("random_()", "RandomBackward2"), ("random_(5)", "RandomBackward1"),
    ("random_(0, 5)", "RandomBackward0"), ("unsqueeze_(0)", "UnsqueezeBackward1"),
    ("squeeze_()", "SqueezeBackward3"), ("squeeze_(0)", "SqueezeBackward4"),
    ("t_()", "TBackward1"), ("transpose_(0, 1)", "TransposeBackward1"),
    ("masked_fill_(c > 0.5, 0.)", "MaskedFillBackward0"), ("fmod_(2)", "FmodBackward0"),
    ("remainder_(b)", "RemainderBackward1"), ("floor_divide_(b)", "NotImplemented"),
    ("eq_(b)", "EqBackward1"), ("gt_(0.5)", "GtBackward0"), ("square_()", "PowBackward0"),
    ("index_put_((i,), lt.tensor(1.))", "IndexPutBackward0"),
    ("div_(b, rounding_mode='floor')", "DivBackward2"), ("reciprocal_()", "ReciprocalBackward0"),
]


def test_inplace_on_a_non_leaf_records_the_op(t):
    for call, expected in INPLACE:
        x = t["a"] * 1
        out = eval(f"x.{call}", {}, dict(t, x=x))
        assert out is x and name(x) == expected, call
    x = t["a"] * 1
    x += t["b"]
    assert name(x) == "AddBackward0"
    x **= 2
    assert name(x) == "PowBackward0"
    y = lt.sin_(t["a"] * 1)
    assert name(y) == "SinBackward0"


def test_inplace_into_a_plain_tensor(t):
    c = t["c"].clone()
    c.add_(1)
    assert c.grad_fn is None and not c.requires_grad               # nothing requires grad
    c.copy_(t["a"])
    assert name(c) == "CopyBackwards" and c.requires_grad and not c.is_leaf
    d = t["c"].clone()
    d.mul_(t["a"])
    assert name(d) == "MulBackward0"


def test_inplace_on_leaves_and_their_views_is_refused(t):
    a = t["a"]
    for call in ("add_(1)", "zero_()", "fill_(1.)", "copy_(b)", "uniform_()", "t_()",
                 "unsqueeze_(0)", "masked_fill_(c > 0.5, 0.)", "sin_()"):
        with pytest.raises(RuntimeError, match=f"^{LEAF_INPLACE}$"):
            eval(f"a.{call}", {}, dict(t))
    for call in ("a[0].add_(1)", "a.view(6).mul_(2)", "a.t().sin_()"):
        with pytest.raises(RuntimeError, match=f"^{VIEW_INPLACE}$"):
            eval(call, {}, dict(t))
    for index, message in ((0, VIEW_INPLACE), ([0, 1], LEAF_INPLACE), (..., LEAF_INPLACE)):
        with pytest.raises(RuntimeError, match=f"^{message}$"):
            a[index] = 1.
    assert a.grad_fn is None and a.is_leaf
    with lt.no_grad():
        a.add_(1)                                                   # allowed without grad mode
        a[0] = 2.
    assert a.requires_grad and a.is_leaf and a.grad_fn is None


def test_writes_through_views_make_copy_slices(t):
    a, b = t["a"], t["b"]
    x = a * 1
    v = x.view(6)
    v.mul_(2)
    assert (name(v), name(x)) == ("AsStridedBackward0", "CopySlices")
    x = a * 1
    v, w = x[0], x[1]
    v.add_(1)
    assert name(w) == "AsStridedBackward0"                          # siblings re-derive too
    x = a * 1
    x[0] = 5.
    assert name(x) == "CopySlices"
    x = a * 1
    x[[0, 1]] = 1.
    assert name(x) == "IndexPutBackward0"
    x = t["c"].clone()
    x[0] = b[0]
    assert name(x) == "CopySlices" and x.requires_grad
    x = t["c"].clone()
    x[...] = b
    assert name(x) == "CopyBackwards"
    x = a * 1
    x.t().unsqueeze_(0)                                             # a view op: no CopySlices
    assert name(x) == "MulBackward0"
    x = a * 1
    d = x.detach()
    d.add_(b)
    assert name(d) == "AddBackward0" and name(x) == "MulBackward0"


# -- grad modes -----------------------------------------------------------------------------------
def test_no_grad_enable_grad_and_set_grad_enabled(t):
    a = t["a"]
    assert lt.is_grad_enabled()
    with lt.no_grad():
        assert not lt.is_grad_enabled()
        y = a * 2
        assert not y.requires_grad and y.grad_fn is None
        z = a[0]                                                    # a view keeps the flag
        assert z.requires_grad and z.grad_fn is None
        assert lt.rand(2, requires_grad=True).requires_grad
        with lt.enable_grad():
            assert name(a * 2) == "MulBackward0"
    assert lt.is_grad_enabled()

    @lt.no_grad()
    def f():
        return a * 2
    assert not f().requires_grad and lt.is_grad_enabled()
    with lt.set_grad_enabled(False):
        assert not (a * 2).requires_grad
    assert lt.is_grad_enabled()
    lt.set_grad_enabled(False)
    try:
        assert not lt.is_grad_enabled() and not (a * 2).requires_grad
    finally:
        lt.set_grad_enabled(True)
    x = a * 1
    with lt.no_grad():
        x.add_(1)
    assert name(x) == "MulBackward0"


def test_numpy_refuses_a_tensor_that_requires_grad(t):
    with pytest.raises(RuntimeError, match=r"^Can't call numpy\(\) on Tensor that requires "
                                           r"grad. Use tensor.detach\(\).numpy\(\) instead.$"):
        t["a"].numpy()
    assert t["a"].detach().numpy().shape == (2, 3)


def test_a_write_through_a_view_of_a_tensor_autograd_never_saw_makes_its_base_copyslices():
    """PyTorch: out = zeros(2, 3); out[1].copy_(p * 3) makes out CopySlices, and gradients
    reach p through it (values from PyTorch 2.13: p.grad = 3 * w[1])."""
    p = lt.ones(3, requires_grad=True)
    out = lt.zeros(2, 3)
    out[1].copy_(p * 3)
    assert out.requires_grad and type(out.grad_fn).__name__ == "CopySlices"
    w = lt.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (out * w).sum().backward()
    assert p.grad.tolist() == [12.0, 15.0, 18.0]
    q = lt.full((3, 2), 2.0, requires_grad=True)
    base = lt.zeros(2, 3)
    base.t().copy_(q * 3)
    (base * 2).sum().backward()
    assert q.grad.tolist() == [[6.0, 6.0]] * 3
    x = lt.zeros(3)
    d = x.detach()                  # not a view to autograd: x is left alone, as in PyTorch
    d.add_(p)
    assert type(d.grad_fn).__name__ == "AddBackward0" and not x.requires_grad
