"""The passes after lowering decide on structured statements (codegen/statements.py), not C
text: loop merging on index trees (codegen/loops.py), a reduction's carried state and the
vector-math test (codegen/parallel.py). Checked directly on lowered kernel specs."""
import lazytensor as lt
from lazytensor.codegen import loops, parallel
from lazytensor.codegen.graph_walk import toposort
from lazytensor.codegen.index import Const, Quotient, Var, add, scaled
from lazytensor.codegen.lower import KernelSpec, Reduction, lower
from lazytensor.codegen.schedule import schedule
from lazytensor.codegen.statements import Bind, Load, Spliced, Store


def lowered(t):
    """The one kernel spec of t's pending graph, as lowering leaves it (nothing merged)."""
    node = t._node
    (kernel,) = schedule([node], toposort([node])).kernels
    return lower(kernel, 0)


def binds(items):
    for s in items:
        if isinstance(s, Reduction):
            yield from binds(s.body)
        else:
            yield s


def loads(spec):
    return [str(s.value) for s in binds(spec.body) if isinstance(s.value, Load)]


def test_contiguous_loops_merge_and_print_as_before():
    x, y = lt.rand(6, 8), lt.rand(6, 8)
    spec = lowered(x + y)
    assert spec.loops == [("i0", 6), ("i1", 8)]
    assert loads(spec) == ["in0[i0*8 + i1]", "in1[i0*8 + i1]"]
    loops.merge(spec)
    assert spec.loops == [("i0", 48)]
    assert loads(spec) == ["in0[i0]", "in1[i0]"]
    assert isinstance(spec.store, Store) and str(spec.store) == "out[i0] = t2;"
    assert spec.store_index == add([scaled(Var("i0"), 8), Var("i1")])  # kept from lowering


def test_a_strided_pair_merges_into_a_stepping_variable():
    x = lt.rand(6, 8)
    spec = lowered(x[:, ::2] * 2)               # reads i0*8 + i1*2: (i0*4 + i1)*2
    loops.merge(spec)
    assert spec.loops == [("i0", 24)]
    assert "in1[i0*2]" in loads(spec) and str(spec.store) == "out[i0] = t2;"


def test_a_variable_used_alone_keeps_its_loop():
    x = lt.rand(6, 8)
    spec = lowered(x.T.contiguous() + 1)        # reads in1[i0 + i1*8], writes out[i0*6 + i1]
    before = [str(s) for s in binds(spec.body)], str(spec.store)
    loops.merge(spec)
    assert spec.loops == [("i0", 8), ("i1", 6)]
    assert ([str(s) for s in binds(spec.body)], str(spec.store)) == before


def _spec(loop_list, index):
    body = [Bind("float", "t0", Load("in0", index))]
    return KernelSpec("k", "elementwise", [], loop_list, body, Store(Var("i0"), "t0"), [])


def test_a_pair_whose_factor_is_not_the_inner_extent_does_not_merge():
    spec = _spec([("i0", 3), ("i1", 4)], add([scaled(Var("i0"), 5), Var("i1")]))
    spec.store = Store(add([scaled(Var("i0"), 4), Var("i1")]), "t0")
    loops.merge(spec)
    assert spec.loops == [("i0", 3), ("i1", 4)]


def test_a_divided_pair_keeps_its_parentheses():
    index = Quotient(add([scaled(Var("i0"), 4), Var("i1"), Const(1)]), 3)
    spec = _spec([("i0", 3), ("i1", 4)], index)
    spec.store = Store(add([scaled(Var("i0"), 4), Var("i1")]), "t0")
    loops.merge(spec)
    assert spec.loops == [("i0", 12)]
    assert loads(spec) == ["in0[(i0 + 1) / 3]"] and str(spec.store) == "out[i0] = t0;"
    alone = _spec([("i0", 3), ("i1", 4)],
                  Quotient(add([scaled(Var("i0"), 4), Var("i1")]), 3))
    alone.store = Store(add([scaled(Var("i0"), 4), Var("i1")]), "t0")
    loops.merge(alone)
    assert loads(alone) == ["in0[(i0) / 3]"]    # the sum node stays: the text never changed


def test_an_argmax_position_is_rewritten_in_its_update():
    x = lt.rand(6, 8)
    spec = lowered(x.argmax())
    (red,) = [s for s in spec.body if isinstance(s, Reduction)]
    assert red.index_expr == add([scaled(Var(red.loops[0][0]), 8), Var(red.loops[1][0])])
    assert isinstance(red.update[0], Spliced)
    loops.merge(spec)
    var = red.loops[0][0]
    assert red.loops == [(var, 48)] and red.index_expr == Var(var)
    assert str(red.update[0]).endswith(f"{red.index_var} = {var}; }}")


def test_carried_state_is_data_from_lowering():
    x = lt.rand(6, 8)
    welford = lowered(x.var(1))
    (red,) = [s for s in welford.body if isinstance(s, Reduction)]
    assert [(b.ctype, b.name, b.value) for b in red.extra] == \
        [("double", f"{red.acc}_mean", "0"), ("int64_t", f"{red.acc}_n", "0")]
    assert [str(b) for b in red.extra] == [f"double {red.acc}_mean = 0;",
                                          f"int64_t {red.acc}_n = 0;"]

    spec = lowered(x.amax(0))                   # a column max: the NaN flag is carried too
    loops.merge(spec)
    parallel.annotate(spec)
    (red,) = [s for s in spec.body if isinstance(s, Reduction)]
    assert spec.column_lanes == parallel.COLUMN_LANES
    assert red.lane_state == [("float", red.acc, "-INFINITY"), ("int32_t", f"{red.acc}_nan", "0")]

    spec = lowered(x.argmax(1))                 # rows side by side, each with its position
    loops.merge(spec)
    parallel.annotate(spec)
    (red,) = [s for s in spec.body if isinstance(s, Reduction)]
    assert spec.column_lanes == parallel.ROW_LANES
    assert red.lane_state == [("float", red.acc, "-INFINITY"), ("int64_t", red.index_var, "0")]


def test_vector_math_is_known_from_the_calls_lowering_records():
    x = lt.rand(6, 8)
    calls = {s.calls for s in binds(lowered(x.sigmoid()).body) if s.calls}
    assert calls == {frozenset({"exp"})}        # sigmoid is no vector_math primitive: its expf is
    assert {s.calls for s in binds(lowered(x.pow(2.5)).body) if s.calls} == {frozenset({"pow"})}
    assert not any(s.calls for s in binds(lowered(x.pow(2)).body))   # x * x
    assert not any(s.calls for s in binds(lowered(x.fmod(2.0).abs()).body)
                   if s.calls & frozenset(parallel._VECTOR_MATH))    # fmodf, fabsf: scalar

    def narrow(t):
        spec = lowered(t)
        loops.merge(spec)
        parallel.annotate(spec)
        return spec.narrow_vectors
    assert narrow((x * 2).sum(1)) and narrow(x.abs().sum(1))
    assert not narrow(x.exp().sum(1)) and not narrow(x.sigmoid().sum(1))
    assert not narrow(x.cos().sum())
