"""The C front end (templates/native/front.c) against the Python code it stands in for.

Each C function has a Python original that stays in the tree as its specification and its
fallback: graph.node (kept as graph.python_node), codegen.run's tuple key walk, the fastops
operators, storage._live_pending, the realisation path. These tests check that the C
versions agree with them, that a machine with Python's headers builds the module, and that
LAZYTENSOR_NATIVE=0 gives the same results from Python alone.
"""
import gc
import inspect
import math
import importlib.util
import logging
import os
import subprocess
import sys
import sysconfig

import numpy as np
import pytest

import lazytensor as lt
from lazytensor import graph, storage
from lazytensor.codegen import native, run, settings

HAVE_HEADERS = os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))
front = graph._front
needs_front = pytest.mark.skipif(front is None, reason=f"no C front end ({native.why_not})")


def test_builds_where_python_headers_exist():
    if not HAVE_HEADERS:
        pytest.skip("this Python has no development headers")
    if not settings.switch("LAZYTENSOR_NATIVE", True):
        pytest.skip("turned off by LAZYTENSOR_NATIVE")
    assert front is not None, native.why_not
    assert graph.node is front.node


@needs_front
def test_node_fields_match_the_python_original():
    buf = graph.Buffer(np.arange(6, dtype=np.float32), lt.float32)
    load = graph.load(buf)
    c = graph.const(2.5, lt.float32, (6,))
    cases = [("load", lt.float32, (6,), (), buf), ("const", lt.float32, (6,), (), 2.5),
             ("mul", lt.float32, (6,), (load, c), None),
             ("view", lt.float32, (2, 3), (load,), ((2, 3), (3, 1), 0)),
             ("reduce", lt.float32, (1,), (load,), ("sum", (0,)))]
    for op, dtype, shape, srcs, arg in cases:
        a, b = front.node(op, dtype, shape, srcs, arg), graph.python_node(op, dtype, shape,
                                                                          srcs, arg)
        assert (a.op, a.dtype, a.shape, a.srcs, a.arg, a.sig, a.buffers) == \
            (b.op, b.dtype, b.shape, b.srcs, b.arg, b.sig, b.buffers)
    assert graph.load(buf).buffers == frozenset({buf})
    assert graph.node("mul", lt.float32, (6,), (load, c)).buffers == frozenset({buf})


@needs_front
def test_nodes_are_hash_consed_and_forgotten_when_dead():
    x = graph.load(graph.Buffer(np.zeros(4, np.float32), lt.float32))
    a = graph.node("exp", lt.float32, (4,), (x,))
    assert graph.node("exp", lt.float32, (4,), [x]) is a        # a list of srcs too
    assert graph.node("exp", lt.float32, (4,), (x,), None) is a
    assert graph.node("sin", lt.float32, (4,), (x,)) is not a
    # the const key tells -0.0 from 0.0 and finds a NaN again
    assert graph.const(0.0, lt.float32, (4,)) is not graph.const(-0.0, lt.float32, (4,))
    assert graph.const(math.nan, lt.float32, (4,)) is graph.const(math.nan, lt.float32, (4,))
    before = len(graph._nodes)
    nodes = [graph.node("add", lt.float32, (4,), (x, graph.const(float(i), lt.float32, (4,))))
             for i in range(50)]
    assert len(graph._nodes) >= before + 50
    del nodes
    gc.collect()
    assert len(graph._nodes) <= before + 50       # the 50 add nodes are gone (consts stay)


def _graphs():
    """Pairs of graphs over two realised tensors: some of the same structure."""
    a, b = lt.tensor([1.0, 2.0]), lt.tensor([3.0, 4.0])
    c, d = lt.tensor([5.0, 6.0]), lt.tensor([7.0, 8.0])
    return [
        (a * b).exp(), (c * d).exp(),              # same structure, other buffers
        a * a, c * c,
        a * b + b * a, c * d + d * c,
        a * b + a * b,                             # differs from a*b + b*a only in aliasing
        (a + 1).sum(), (a + 2).sum(), (a + 1).sum(dim=0, keepdim=True),
        lt.tensor([1, 2]) * 3, a.flip(0) * b, a.reshape(2, 1) * b,
    ]


@needs_front
def test_structure_key_classes_match_the_tuple_walk():
    graphs = _graphs()
    nodes = [t._storage.node for t in graphs]
    c_keys = [front.structure_key([n], ()) for n in nodes]
    py_keys = [run._key_recursive([n], ()) for n in nodes]
    for (ck, cin, cext), (pk, pin, pext) in zip(c_keys, py_keys):
        assert [id(n) for n in cin] == [id(n) for n in pin] and cext == pext
    for i in range(len(nodes)):
        for j in range(len(nodes)):
            assert (c_keys[i][0] == c_keys[j][0]) == (py_keys[i][0] == py_keys[j][0]), (i, j)
    assert c_keys[0][0] == c_keys[1][0] and c_keys[4][0] != c_keys[6][0]
    # several targets, and extra roots
    two = front.structure_key([nodes[0], nodes[3]], [nodes[4]])
    py_two = run._key_recursive([nodes[0], nodes[3]], [nodes[4]])
    assert [id(n) for n in two[1]] == [id(n) for n in py_two[1]] and len(two[1]) == 3
    assert front.structure_key([nodes[3], nodes[0]], [nodes[4]])[0] != two[0]


@needs_front
def test_too_deep_for_c_falls_back_to_the_iterative_walk(depth_limit):
    depth_limit(10_000)                     # the chain is not realised by itself on the way
    x = lt.zeros(3)
    for _ in range(2500):
        x = x + 1
    n = x._storage.node
    assert front.structure_key([n], ()) is None
    key, inputs, pending_extern = run.structure_key([n])
    assert (key, inputs, pending_extern) == run._key_iterative([n], ())
    assert x.tolist() == [2500.0] * 3


@needs_front
def test_fast_operators_look_like_the_methods_they_replace():
    assert type(lt.Tensor.__add__).__name__ == "FastOp"
    for m in (lt.Tensor.__add__, lt.Tensor.abs, lt.Tensor.sum):
        assert (m.__name__, m.__doc__) == (m.__wrapped__.__name__, m.__wrapped__.__doc__)
    inspect.signature(lt.Tensor.sum)                # follows __wrapped__
    x = lt.tensor([1.0, -2.0])
    assert x.abs.__self__ is x                       # a bound method, like a function's
    assert lt.Tensor.abs(x).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_operator_values_match_numpy(dtype):
    a = np.array([[0.5, -1.25, 3.0], [2.0, -0.5, 7.5]], dtype=dtype)
    b = np.array([[1.5, 2.0, -4.0], [0.25, 3.0, -1.0]], dtype=dtype)
    x, y = lt.tensor(a), lt.tensor(b)
    cases = [(x + 1, a + dtype(1)), (1 + x, dtype(1) + a), (x - 0.5, a - dtype(0.5)),
             (2 - x, dtype(2) - a), (x * y, a * b), (y / x, b / a), (x / 3, a / dtype(3)),
             (x * 2**30, a * dtype(2**30)), (x.abs(), np.abs(a)), (y.exp(), np.exp(b)),
             (x.sum(), a.sum(dtype=np.float64).astype(dtype)), (x < 1, a < 1), (x == y, a == b)]
    for got, want in cases:
        assert got.dtype == lt.tensor(np.asarray(want)).dtype
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


def test_cases_the_fast_path_leaves_to_python_keep_pytorchs_results():
    i = lt.tensor([1, 2, 3])
    assert (i + 1.5).dtype == lt.float32 and (i + 1.5).tolist() == [2.5, 3.5, 4.5]
    assert (i * True).tolist() == [1, 2, 3] and (i / 2).tolist() == [0.5, 1.0, 1.5]
    x = lt.tensor([1.0, 2.0])
    assert (x + lt.tensor([[1.0], [2.0]])).tolist() == [[2.0, 3.0], [3.0, 4.0]]
    assert (x + lt.tensor(1.0, dtype=lt.float64)).dtype == lt.float32
    w = lt.tensor([1.0, 2.0], requires_grad=True)
    assert (w * 2).grad_fn is not None and (w.exp()).requires_grad
    with pytest.raises(RuntimeError, match="must match the size"):
        x + lt.tensor([1.0, 2.0, 3.0])
    assert x.sum(0).tolist() == 3.0 and x.sum(dtype=lt.float64).dtype == lt.float64


def test_a_cached_program_run_from_c_counts_and_can_be_explained():
    x = lt.tensor([[0.5, 1.0], [1.5, 2.0]])
    f = lambda: ((x * 3 + 1).sin() * x).sum()     # noqa: E731
    first = f().item()
    before = lt.cache_info()
    y = f()
    assert y.item() == first
    after = lt.cache_info()
    assert after["memory_hits"] == before["memory_hits"] + 1
    assert after["programs_run"] == before["programs_run"] + 1
    assert after["compiled"] == before["compiled"]
    assert "sin" in str(lt.explain(y))              # the plan that ran
    a = np.array([[0.5, 1.0], [1.5, 2.0]], np.float32)
    assert abs(first - float((np.sin(a * 3 + 1) * a).sum())) < 1e-5


def test_debug_output_still_appears_for_cached_programs(caplog):
    x = lt.tensor([1.0, 2.0])
    (x * 7 - 1).sum().item()
    with caplog.at_level(logging.DEBUG, logger="lazytensor"):
        assert (x * 7 - 1).sum().item() == 19.0
    assert any(r.getMessage().startswith("lazytensor: k0_") for r in caplog.records)


@needs_front
def test_pending_list_holds_only_untracked_weak_references():
    x = lt.tensor([1.0, 2.0])
    y = x + 1
    assert storage._pending[-1]() is y._storage
    assert not gc.is_tracked(storage._pending[-1])
    live = storage._live_pending()
    assert y._storage in live and all(s.node.op != "load" for s in live)
    assert len(set(map(id, live))) == len(live)


PROGRAM = """
import lazytensor as torch
from lazytensor import graph
from lazytensor.codegen import native
torch.manual_seed(0)
x = torch.rand(2, 3)
y = (((((x + 1) * 2 - 0.5).abs().sqrt().exp() / 3).sin()) * x)
print(y.sum().item(), y.sum(1), (1 - x) * x, x / 2 < 0.25)
print(graph._front is None, native.why_not)
"""


def test_results_are_the_same_without_the_c_front_end():
    outs = []
    for flag in ("1", "0"):
        env = dict(os.environ, LAZYTENSOR_NATIVE=flag)
        proc = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True,
                              text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout.splitlines())
    assert outs[1][-1].startswith("True") and outs[1][-1].endswith("LAZYTENSOR_NATIVE is off")
    assert outs[0][:-1] == outs[1][:-1]


def test_item_matches_python_for_every_kind_of_tensor():
    """Tensor.item's C spelling: the realised or cached-program case in C, the rest in
    Python, with the same values and errors."""
    x = lt.tensor([[1.5, -2.0], [3.0, 4.0]])
    assert (x * 2).sum().item() == 13.0                   # pending, new program
    assert (x * 2).sum().item() == 13.0                   # pending, cached program
    assert x[1, 0].item() == 3.0                          # a view at an offset
    assert lt.tensor([True]).item() is True
    assert lt.tensor([7], dtype=lt.int16).item() == 7
    assert lt.tensor(2.5, dtype=lt.bfloat16).item() == 2.5
    w = lt.tensor([2.0], requires_grad=True)
    assert (w * 3).item() == 6.0
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted"):
        x[0].item()
    y = x[0, 1] * 10
    x.mul_(0)                                             # y keeps the value it was built on
    assert y.item() == -20.0 and x[0, 1].item() == 0.0


@needs_front
def test_add_work_finds_the_nodes_the_python_walk_finds():
    x = lt.rand(6)
    y = ((x * 2).exp()[1:] + lt.ones(5)).sum() * (x.sin() * 0.5).sum()
    root = y._storage.node
    found = [(set(), {}), (set(), {})]
    storage.python_add_work(root, *found[0])
    front.add_work(root, *found[1])
    assert found[0] == found[1]                 # the same nodes, met in the same order
    assert {n.op for n in found[0][0]} == {"mul", "exp", "add", "reduce", "sin"}


def test_an_extension_built_from_other_source_is_not_used():
    """setup.py builds lazytensor._front at install with the hash of front.c; after an edit
    (an editable install) that build is stale and native.py builds the current source."""
    import importlib.resources
    source = importlib.resources.files("lazytensor.templates").joinpath(
        "native", "front.c").read_text()
    if importlib.util.find_spec("lazytensor._front") is None or \
            not settings.switch("LAZYTENSOR_NATIVE", True):
        pytest.skip("no extension built at install")
    assert native._installed(source + "\n/* edited */\n") is None
    assert native._installed(source) is not None


@needs_front
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pow_by_a_number_is_built_in_c_as_the_python_path_builds_it(dtype):
    a = np.array([0.5, 1.25, 3.0, 2.0], dtype=dtype)
    x = lt.tensor(a)
    assert type(lt.Tensor.__pow__).__name__ == "FastOp" and type(lt.pow).__name__ == "FastOp"
    for got, want in ((x ** 2, a ** 2), (x.pow(3), a ** 3), (lt.pow(x, 0.5), np.sqrt(a)),
                      (x ** -1.5, a ** dtype(-1.5))):
        assert got.dtype == lt.tensor(a).dtype
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)
    n = (x ** 2)._node
    exponent = n.srcs[1]
    assert (n.op, exponent.op, exponent.arg) == ("pow", "const", 2.0)
    general = lt.Tensor.__pow__.__wrapped__        # the Python fast path: the same node
    assert general(x, 2)._node is n
    # the rest keep the general path's results
    assert (lt.tensor([2, 3]) ** 2).tolist() == [4, 9]
    assert lt.pow(2, lt.tensor([1.0, 3.0])).tolist() == [2.0, 8.0]
    assert (lt.tensor([1.5], dtype=lt.float16) ** 2).dtype == lt.float16
    w = lt.tensor([1.0, 2.0], requires_grad=True)
    (w ** 3).sum().backward()
    assert w.grad.tolist() == [3.0, 12.0]


@needs_front
def test_a_zero_dim_value_updated_in_place_is_read_without_python(monkeypatch):
    """A 0-dim parameter's storage holds one element of shape (1,): after each update, a
    read through shape () is a reshape view the C front end builds and keeps itself."""
    p = lt.tensor(0.5, dtype=lt.float64)
    x = lt.arange(4, dtype=lt.float64)
    for _ in range(2):                  # the first calls teach the dtype memo its answers
        p -= 0.1 * (p * x).sum()
    calls = []
    original = lt.storage.Storage.read_view
    monkeypatch.setattr(lt.storage.Storage, "read_view",
                        lambda *a: calls.append(1) or original(*a))
    for _ in range(5):
        p -= 0.1 * (p * x).sum()
    assert calls == []
    want = 0.5
    for _ in range(7):
        want -= 0.1 * (want * np.arange(4.0)).sum()
    assert p.item() == pytest.approx(want, rel=1e-12)
