"""Process-level API PyTorch scripts call (issue 17 items 8 and 10): thread counts,
torch.compile, inference_mode, and a clear word when the C front end is missing."""
import warnings

import pytest

import lazytensor as lt
from lazytensor.codegen import native, parallel


def test_set_and_get_num_threads(monkeypatch):
    monkeypatch.setattr(parallel, "CHOSEN_THREADS", [None])
    default = lt.get_num_threads()
    assert default >= 1
    lt.set_num_threads(1)
    assert lt.get_num_threads() == 1
    x = lt.arange(100000, dtype=lt.float64)
    assert (x * 2).sum().item() == 2 * sum(range(100000))
    with pytest.raises(RuntimeError, match="set_num_threads expects a positive integer"):
        lt.set_num_threads(0)
    lt.set_num_threads(default)


def test_compile_returns_what_it_is_given():
    def step(x):
        return x * 2
    assert lt.compile(step) is step
    assert lt.compile(mode="max-autotune")(step) is step


def test_inference_mode_turns_grad_off_as_context_and_decorator():
    with lt.inference_mode():
        assert not lt.is_grad_enabled()
    with lt.inference_mode(False):
        assert lt.is_grad_enabled()

    @lt.inference_mode
    def bare():
        return lt.is_grad_enabled()

    @lt.inference_mode()
    def called():
        return lt.is_grad_enabled()
    assert bare() is False and called() is False and lt.is_grad_enabled()


def test_a_missing_front_end_is_said_once(monkeypatch):
    assert lt.cache_info()["native_front"] is (lt.graph._front is not None)
    monkeypatch.setattr(native, "_module", [])
    monkeypatch.delenv("LAZYTENSOR_NATIVE", raising=False)

    def no_headers():
        raise RuntimeError("no Python.h in /usr/include/python3")
    monkeypatch.setattr(native, "_load", no_headers)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert native.front() is None and native.front() is None
    said = [str(w.message) for w in seen]
    assert len(said) == 1 and "8x slower" in said[0] and "no Python.h" in said[0]
