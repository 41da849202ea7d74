"""The lazy pipeline end to end: nothing runs before realisation, fusion cuts kernels where
DESIGN.md says, views are index arithmetic, and results equal NumPy's."""
import numpy as np
import networkx as nx
import pytest

import lazytensor as lt


def counters():
    info = lt.cache_info()
    return info["kernels_run"], info["programs_run"], info["compiled"]


def test_nothing_runs_before_realisation():
    before = counters()
    a = lt.rand(1000)
    b = lt.rand(1000)
    c = (a * b + 1).sin() - a.abs()
    d = c.sum() * 2
    assert counters() == before
    lt.explain(c, d)
    assert counters() == before
    d.item()
    assert counters()[1] == before[1] + 1


def test_fused_chain_is_one_kernel_and_matches_numpy():
    a, b = lt.rand(1000), lt.rand(1000)
    c = (a * b + 1).sin() - a.abs()
    assert len(lt.explain(c).kernels) == 1
    before = lt.cache_info()["kernels_run"]
    an, bn = a.numpy(), b.numpy()       # c reads their memory: it is computed first
    np.testing.assert_allclose(c.numpy(), np.sin(an * bn + 1) - np.abs(an), rtol=1e-6,
                               atol=1e-6)
    assert lt.cache_info()["kernels_run"] == before + 1


def test_reduction_with_elementwise_input_is_one_kernel():
    a, b = lt.rand(500), lt.rand(500)
    s = (a * b).sum()
    assert len(lt.explain(s).kernels) == 1
    assert lt.explain(s).kernels[0].kind == "reduce"
    np.testing.assert_allclose(s.item(), float(np.sum(a.numpy().astype(np.float64) *
                                                      b.numpy())), rtol=1e-6)


def test_elementwise_after_reduction_fuses_into_it():
    x = lt.rand(4, 50)
    m = x.sum(1) * 0.5 + 1
    assert len(lt.explain(m).kernels) == 1
    np.testing.assert_allclose(m.numpy(), x.numpy().sum(1) * 0.5 + 1, rtol=1e-6)


def test_transposed_matmul_reads_through_strides_without_a_copy():
    x = lt.rand(6, 4)
    y = lt.rand(6, 3)
    z = x.T @ y
    plan = lt.explain(z)
    assert len(plan.kernels) == 1, [k.name for k in plan.kernels]
    assert "copy" not in plan.kernels[0].name
    np.testing.assert_allclose(z.numpy(), x.numpy().T @ y.numpy(), rtol=1e-5)


def test_reduction_read_back_through_broadcast_is_a_kernel_boundary():
    def softmax(x):          # e is not held once it returns: nothing asks for it to be kept
        e = (x - x.max(dim=1, keepdim=True).values).exp()
        return e / e.sum(dim=1, keepdim=True)
    x = lt.rand(8, 16)
    sm = softmax(x)
    plan = lt.explain(sm)
    assert 2 <= len(plan.kernels) <= 3
    assert any("broadcast" in k.reason for k in plan.kernels)
    xn = x.numpy()
    en = np.exp(xn - xn.max(1, keepdims=True))
    np.testing.assert_allclose(sm.numpy(), en / en.sum(1, keepdims=True), rtol=1e-6)


def test_explain_reports_graph_kernels_and_source_without_running():
    a = lt.ones(3, 4)
    c = (a + 2).exp()
    before = counters()
    ex = lt.explain(c)
    assert counters() == before
    assert isinstance(ex.graph, nx.DiGraph)
    assert {d["op"] for _, d in ex.graph.nodes(data=True)} >= {"const", "add", "exp"}
    (k,) = ex.kernels
    assert k.name.startswith("k0_") and "expf(" in k.source
    text = str(ex)
    assert "kernels: 1" in text and k.source.strip() in text


def test_explain_after_printing_shows_the_kernels_that_ran():
    """print(y); print(explain(y)): the source that computed y, and that nothing is pending."""
    x = lt.arange(12.0).reshape(3, 4)
    y = ((x * 2 + 1).sin() * x).sum(dim=1)
    pending = lt.explain(y).source
    repr(y)
    ex = lt.explain(y)
    assert ex.ran is not None and ex.source == pending and len(ex.kernels) == 1
    assert "nothing to compute" in str(ex) and "sinf(" in str(ex)
    assert lt.explain(x).ran is None and "computed by" not in str(lt.explain(x))


def test_same_structure_new_data_hits_the_memory_cache():
    def run(seed):
        lt.manual_seed(seed)
        a = lt.rand(100)
        return ((a * 3).cos() + a).sum().item()
    run(0)
    before = lt.cache_info()
    value = run(1)
    after = lt.cache_info()
    assert after["compiled"] == before["compiled"]
    assert after["memory_hits"] == before["memory_hits"] + 1
    lt.manual_seed(1)
    a = lt.rand(100).numpy().astype(np.float64)
    assert abs(value - (np.cos(a * np.float32(3)) + a).sum()) < 1e-3


def test_same_structure_other_aliasing_gets_its_own_program():
    """a*b and a*a have the same ops; the key must still tell one input from two, and a
    graph too deep to walk recursively keys exactly as a shallow walk would."""
    from lazytensor.codegen import run as runner
    a, b = lt.tensor([1.0, 2.0]), lt.tensor([3.0, 4.0])
    assert (a * b).tolist() == [3.0, 8.0]
    assert (a * a).tolist() == [1.0, 4.0]
    assert (b * a).tolist() == [3.0, 8.0]
    g = ((a + 1) * (a + 1) - b).exp()
    n = g._storage.node
    shallow = runner._key_recursive([n], ())
    deep = runner._key_iterative([n], ())
    assert shallow[:2] == deep[:2] and len(shallow[1]) == 3      # a, the scalar 1, b


def test_deep_chain_realises():
    x = lt.zeros(10)
    for _ in range(3000):               # deeper than Python's recursion limit
        x = x + 1
    assert x.tolist() == [3000.0] * 10


def test_views_of_pending_results_fuse_and_are_correct():
    a = lt.arange(24).reshape(2, 3, 4).float()
    b = (a * 2).permute(2, 0, 1)[1:, :, ::2] + 1
    expect = (np.arange(24).reshape(2, 3, 4) * 2.0).transpose(2, 0, 1)[1:, :, ::2] + 1
    np.testing.assert_array_equal(b.numpy(), expect)


def test_realisation_entry_points():
    t = lt.tensor([[1.5, -2.0], [3.0, 4.0]])
    assert t.tolist() == [[1.5, -2.0], [3.0, 4.0]]
    assert t[0, 1].item() == -2.0
    assert float(t[1, 1]) == 4.0 and int(t[1, 0]) == 3
    assert bool(t[0, 0] > 1) is True
    assert np.asarray(t).shape == (2, 2)
    assert t.realize() is t


def test_contiguous_loops_merge_and_strided_ones_do_not():
    m = lt.arange(12).reshape(3, 4).float().realize()
    src = lt.explain(m * 2 + 1).kernels[0].source
    assert src.count("for (") == 1                      # one loop over 12 elements
    flipped = (m * 2).flip(1)
    assert lt.explain(flipped).kernels[0].source.count("for (") == 2
    np.testing.assert_array_equal(flipped.numpy(), (np.arange(12).reshape(3, 4) * 2.0)[:, ::-1])
    t = (m * 2).t()
    np.testing.assert_array_equal(t.contiguous().numpy(), np.arange(12).reshape(3, 4).T * 2.0)


def test_max_and_min_propagate_nan_after_vectorising():
    x = lt.rand(300, 300)
    x[123, 45] = float("nan")
    assert np.isnan(x.max().item()) and np.isnan(x.min().item())
    rows = x.max(dim=1).values.numpy()
    assert np.isnan(rows[123]) and not np.isnan(np.delete(rows, 123)).any()


@pytest.mark.stress
def test_threads_needing_one_new_program_compile_it_once():
    import threading
    before = lt.cache_info()["compiled"]
    # one input each (the same op on one shared input is one shared node, which would make
    # each thread's realisation take the others' pending results along); a shape no test uses
    inputs = [lt.arange(3 * 11 * 13, dtype=lt.float64).reshape(3, 11, 13).realize()
              for _ in range(8)]
    results, errors = [], []

    def work(x):
        try:
            results.append((x * 1.75 - 0.5).sum(1).tolist())
        except Exception as e:          # noqa: BLE001 - any failure fails the test below
            errors.append(e)
    threads = [threading.Thread(target=work, args=(x,)) for x in inputs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    expected = (np.arange(3 * 11 * 13, dtype=np.float64).reshape(3, 11, 13) * 1.75 - 0.5).sum(1)
    assert all(np.allclose(r, expected, rtol=1e-12) for r in results) and len(results) == 8
    assert lt.cache_info()["compiled"] - before <= 1


@pytest.mark.stress
def test_threads_dividing_by_zero_and_not_keep_their_own_errors():
    """Issue 16 item 2: the error flag of an integer-division program is read under the
    same lock as its run, so one thread cannot take or clear another's error."""
    import threading
    wrong = []

    def work(zero):
        a = lt.tensor(np.arange(1, 513, dtype=np.int64)).realize()
        divisor = np.zeros(512, np.int64) if zero else np.full(512, 3, np.int64)
        for _ in range(150):
            try:
                (a // lt.tensor(divisor)).sum().item()
                if zero:
                    wrong.append("no error")
            except RuntimeError:
                if not zero:
                    wrong.append("spurious error")
    threads = [threading.Thread(target=work, args=(k % 2 == 0,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_the_memory_cache_keeps_a_bounded_number_of_programs(monkeypatch):
    """Issue 16 item 17: the least recently used programs leave the memory cache (and are
    unloaded once unused); one needed again comes back from the disk cache."""
    import gc
    from lazytensor.codegen import cache
    monkeypatch.setattr(cache, "MEMORY_PROGRAMS", 3)
    x = lt.arange(7 * 3, dtype=lt.float64).reshape(7, 3).realize()
    fns = [lambda t, k=k: _chain(t, k).sum(1) for k in range(6)]   # six program structures
    first = [f(x).tolist() for f in fns]
    assert len(cache.memory) <= 3
    gc.collect()
    before = cache.stats["disk_hits"]
    assert fns[0](x).tolist() == first[0]                   # evicted, loaded from disk
    assert cache.stats["disk_hits"] == before + 1


def _chain(t, k):
    for _ in range(k + 1):
        t = (t * 0.5).sin()
    return t


def test_a_cached_program_does_not_keep_its_first_inputs_alive():
    """The program cache keeps each program's kernels, not the graph it was planned from:
    that graph's loads held the first run's input memory for as long as the program stayed
    cached (200 MB still resident after `del x`)."""
    import gc
    import weakref
    x = lt.rand(1000).realize()
    held = weakref.ref(x._storage.buffer)
    (x * 2 + 1).sum().item()
    (lt.rand(1000) * 2 + 1).sum().item()        # the cached program, run again
    del x
    gc.collect()
    assert held() is None
