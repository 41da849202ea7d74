"""Loops: a realisation stores the live tensors that share its work, pending graphs stay
bounded without any read, the same loop body is the same program, and compiles are visible.

Reference values come from the same loops run in NumPy float32 (the arithmetic PyTorch does).
"""
import gc
import logging
import math
import os
import sys
import warnings

import numpy as np
import pytest

import lazytensor as lt
from lazytensor import graph
from lazytensor.codegen import compile_log

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
from training_loops import cubic_step  # noqa: E402


def builds():
    info = lt.cache_info()
    return info["compiled"] + info["disk_hits"]


def cubic_fit_numpy(steps, n=200, lr=1e-5):
    x = np.linspace(-math.pi, math.pi, n, dtype=np.float32)
    y = np.sin(x)
    a, b, c, d = (np.float32(v) for v in (0.1, -0.2, 0.3, -0.4))
    for _ in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        g = np.float32(2.0) * (y_pred - y)
        a, b, c, d = (p - np.float32(lr) * (g * xk).sum(dtype=np.float32)
                      for p, xk in zip((a, b, c, d), (1, x, x ** 2, x ** 3)))
    return [a, b, c, d]


def cubic_fit(steps, n=200, lr=1e-5, read_every=None, trace=None):
    """PyTorch's "learning with tensors" cubic fit, its step written as the tutorial does
    (examples/training_loops.py); `trace` collects the programs built after each step."""
    x = lt.linspace(-math.pi, math.pi, n)
    y = lt.sin(x)
    a, b, c, d = (lt.tensor(v) for v in (0.1, -0.2, 0.3, -0.4))
    for t in range(steps):
        loss = cubic_step(x, y, a, b, c, d, lr)
        if read_every and t % read_every == read_every - 1:
            loss.item()
        if trace is not None:
            trace.append(builds())
    return [p.item() for p in (a, b, c, d)]


def test_a_loop_never_reading_its_parameters_gets_numpys_values():
    got = cubic_fit(300)
    np.testing.assert_allclose(got, cubic_fit_numpy(300), rtol=2e-4, atol=1e-6)


def test_a_loop_reading_its_loss_each_step_compiles_only_in_its_first_steps():
    trace = []
    got = cubic_fit(60, read_every=1, trace=trace)
    assert trace[-1] == trace[1]              # steps 3..60 built no program
    np.testing.assert_allclose(got, cubic_fit_numpy(60), rtol=2e-4, atol=1e-6)


def test_a_loop_reading_every_tenth_step_repeats_its_programs():
    trace = []
    cubic_fit(200, read_every=10, trace=trace)
    assert trace[-1] == trace[19]


def test_a_loop_updating_in_place_past_the_bound_repeats_its_programs(depth_limit):
    """Parameters updated in place and read every 100 steps, the bound passed every few
    steps: the cuts come at the same point of the step each time (a write), so after the
    first cuts nothing new is built. (Cut where a read first passed the bound, the point
    drifted from one stretch to the next.)"""
    depth_limit(64)
    trace = []
    got = cubic_fit(300, read_every=100, trace=trace)
    assert trace[-1] == trace[10]       # (cut at reads: new programs at steps 14, 18 and 99)
    np.testing.assert_allclose(got, cubic_fit_numpy(300), rtol=2e-4, atol=1e-6)


def test_a_held_tensor_that_shares_work_is_computed_once():
    x = lt.rand(50)
    y = x.exp() * 2                 # held: realising s computes and keeps it too
    s = y.sum()
    assert s.item() == pytest.approx(float((np.exp(x.numpy()) * 2).sum()), rel=1e-5)
    runs = lt.cache_info()["programs_run"]
    assert y._storage.realized
    np.testing.assert_allclose(y.numpy(), np.exp(x.numpy()) * 2, rtol=1e-6)
    assert lt.cache_info()["programs_run"] == runs


def test_unrelated_pending_tensors_stay_pending():
    x, src = lt.rand(8), lt.rand(8)
    other = src.exp()               # shares no work with what is realised: stays pending
    (x * 3).sum().item()
    assert not other._storage.realized
    np.testing.assert_allclose(other.numpy(), np.exp(src.numpy()), rtol=1e-6)


def test_a_shared_scalar_operand_is_no_reason_to_compute_together():
    x, z = lt.rand(8), lt.rand(8)
    a = x * 0.5                     # both read the scalar 0.5's buffer: that is not work
    b = z * 0.5
    a.sum().item()
    assert not b._storage.realized


def test_explain_names_what_a_program_stores_and_why():
    x = lt.rand(16)
    y = x.sin()
    s = (y * y).sum()
    text = str(lt.explain(s))
    assert "stores: 2 value(s)" in text
    assert "requested" in text
    assert "a live tensor sharing work with the requested values" in text


def test_a_200000_update_chain_realises_itself_in_bounded_pieces():
    v = lt.zeros(4)
    a, b = lt.full((4,), 0.5), lt.full((4,), 1.0)
    for _ in range(200_000):
        v = v * a + b               # fixed point 2
        # a value past the bound is computed when an op reads it: one op deeper at most
        assert v._storage.node.depth <= lt.storage.DEPTH_LIMIT[0] + 1
    assert v.tolist() == [2.0] * 4


def test_a_value_updated_in_place_100000_times(depth_limit):
    depth_limit(64)
    v = lt.zeros(3)
    expect = np.zeros(3, np.float32)
    for _ in range(100_000):
        v.mul_(0.9999).add_(0.0001)
    for _ in range(100_000):
        expect = expect * np.float32(0.9999) + np.float32(0.0001)
    np.testing.assert_allclose(v.numpy(), expect, rtol=1e-6)


def test_the_bound_cuts_a_chain_into_repeating_programs(depth_limit):
    depth_limit(32)
    v = lt.ones(5)
    before = builds()
    for _ in range(2000):
        v = (v * 1.001).sin()
    v.tolist()
    assert builds() - before <= 3       # the first piece, then one repeating piece


def test_graphs_stay_bounded_and_nodes_are_freed(depth_limit):
    depth_limit(32)
    v = lt.ones(5)
    for _ in range(500):
        v = v * 0.5 + 0.5
    gc.collect()
    count = len(graph._nodes)
    for _ in range(5000):
        v = v * 0.5 + 0.5
    gc.collect()
    assert len(graph._nodes) <= count + 64
    assert v.tolist() == [1.0] * 5


f32 = np.float32

# (the step in lazytensor, the same step in NumPy float32)
STEPS = {
    "mul-add": (lambda x, g, v: x * v + v, lambda x, g, v: x * f32(v) + f32(v)),
    "clamp": (lambda x, g, v: (x - g).clamp(min=v), lambda x, g, v: np.maximum(x - g, f32(v))),
    "addcdiv": (lambda x, g, v: x.addcdiv(g, x + 1, value=v),
                lambda x, g, v: x + f32(v) * (g / (x + 1))),
    "where": (lambda x, g, v: lt.where(x > 0.5, x, v),
              lambda x, g, v: np.where(x > 0.5, x, f32(v))),
    "masked_fill": (lambda x, g, v: x.masked_fill(x > 0.5, v),
                    lambda x, g, v: np.where(x > 0.5, f32(v), x)),
    "full_like": (lambda x, g, v: lt.full_like(x, v) + x, lambda x, g, v: f32(v) + x),
    "fill_": (lambda x, g, v: x.clone().fill_(v) * g, lambda x, g, v: f32(v) * g),
    "bias-correction": (lambda x, g, v: x / (1 - 0.9 ** (v * 10)),
                        lambda x, g, v: x / f32(1 - 0.9 ** (v * 10))),
}


@pytest.mark.parametrize("name", list(STEPS))
def test_numbers_changing_every_step_are_program_inputs(name):
    step, numpy_step = STEPS[name]
    x, g = lt.rand(32), lt.rand(32)
    xn, gn = x.numpy(), g.numpy()
    values = [0.1 + 0.013 * i for i in range(12)]
    before = builds()
    got = [step(x, g, v).numpy() for v in values]
    assert builds() - before <= 1
    for v, row in zip(values, got):                 # each step's own number, not a stale one
        np.testing.assert_allclose(row, numpy_step(xn, gn, v), rtol=1e-6)


def test_a_line_that_keeps_compiling_warns_once():
    x = lt.rand(8)
    with pytest.warns(lt.RecompileWarning, match="built 8 different programs") as caught:
        for i in range(compile_log.WARN_AFTER + 3):
            (x ** (0.25 * i + 0.1)).sum().item()           # the exponent is compiled in
    assert len([w for w in caught if w.category is lt.RecompileWarning]) == 1
    assert caught[0].filename == __file__


def test_a_slow_compile_is_logged(monkeypatch, caplog):
    monkeypatch.setattr(compile_log, "SLOW_SECONDS", 0.0)
    x = lt.rand(7)
    with caplog.at_level(logging.WARNING, logger="lazytensor"):
        (x.cos() * 3.25 - x).tanh().sum().item()
    assert any("kernel(s)" in r.getMessage() and "took" in r.getMessage()
               for r in caplog.records)


def test_loops_do_not_warn_when_their_body_repeats():
    with warnings.catch_warnings():
        warnings.simplefilter("error", lt.RecompileWarning)
        cubic_fit(40, read_every=1)


def test_a_matrix_products_broadcast_multiply_is_never_stored(depth_limit, monkeypatch):
    """A realisation that falls inside matmul (here the depth bound's) must not store the
    [m, k, n] product that the sum reduces: it is k times the result's size."""
    from lazytensor import storage
    stored = []
    plan = storage.plan_batch

    def recording(storages, in_place=True):
        batch = plan(storages, in_place)
        stored.extend(s.numel for s in batch.storages)
        return batch
    monkeypatch.setattr(storage, "plan_batch", recording)
    depth_limit(6)
    x = lt.rand(8, 50)
    w = lt.ones(50, 7)
    for _ in range(10):
        w = w * 0.5 + 0.25
        y = x.mm(w)
    expect = x.numpy() @ np.full((50, 7), 0.25 / 0.5 * (1 - 0.5 ** 10) + 0.5 ** 10,
                                 np.float32)
    np.testing.assert_allclose(y.numpy(), expect, rtol=1e-5)
    assert stored and 8 * 50 * 7 not in stored


def test_a_value_past_the_bound_is_computed_when_read_storing_only_what_is_held(
        depth_limit, monkeypatch):
    """`v = v * a + b`: the bound is met when the next step reads v, when the old v and the
    step's temporary are gone, so each program stores v alone (no companions)."""
    depth_limit(16)
    stored, plan = [], lt.storage.plan_batch

    def recording_plan(storages, in_place=True):
        batch = plan(storages, in_place)
        stored.append(len(batch.storages))
        return batch
    monkeypatch.setattr(lt.storage, "plan_batch", recording_plan)
    v = lt.zeros(8)
    a, b = lt.full((8,), 0.5), lt.full((8,), 1.0)
    before = lt.cache_info()["programs_run"]
    for _ in range(200):
        v = v * a + b
    assert lt.cache_info()["programs_run"] - before >= 200 * 2 // 17
    assert set(stored) <= {1}
    assert v.tolist() == pytest.approx([2.0] * 8)
