"""torch.fft against PyTorch's answers (tests/fft_cases.py; the values were recorded by
tests/data/make_fft_reference.py with PyTorch 2.13)."""
import os

import numpy as np
import pytest

import lazytensor as torch
import fft_cases as cases

REF = np.load(os.path.join(os.path.dirname(__file__), "data", "fft_reference.npz"))


def _env():
    env = {"torch": torch}
    exec(cases.SETUP, env)
    return env


@pytest.mark.parametrize("i,src", list(enumerate(cases.VALUES)))
def test_values_match_pytorch(i, src):
    got = eval(src, _env())
    want = REF[f"value_{i}"]
    assert got.dtype.name == str(REF[f"dtype_{i}"]), src
    assert tuple(got.shape) == want.shape
    values = got.numpy()
    assert values.dtype == want.dtype
    # single precision transforms: PyTorch's CPU FFT library and NumPy's pocketfft order the
    # butterflies differently, so they agree to a few float32 ulps of the largest value
    single = want.dtype in (np.complex64, np.float32)
    scale = float(np.abs(want).max()) if want.size else 0.0
    np.testing.assert_allclose(values, want, rtol=0, atol=(1e-6 if single else 1e-13) *
                               max(scale, 1.0))


@pytest.mark.parametrize("i,src", list(enumerate(cases.PRINTS)))
def test_printing_matches_pytorch(i, src):
    assert repr(eval(src, _env())) == str(REF[f"print_{i}"])


@pytest.mark.parametrize("i,src", list(enumerate(cases.ERRORS)))
def test_errors_match_pytorch(i, src):
    kind, message = REF[f"error_{i}"]
    with pytest.raises(Exception) as info:
        eval(src, _env())
    assert type(info.value).__name__ == str(kind)
    assert str(info.value) == str(message)


def test_transforms_are_extern_nodes_shown_in_explain():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    text = str(torch.explain(torch.fft.irfft(torch.fft.rfft(x) * 2)))
    assert "extern fft.rfft" in text and "extern fft.irfft" in text


def test_shifts_and_frequencies_are_generated_code():
    """fftshift and fftfreq are compositions (roll, arange, arithmetic), not externs."""
    text = str(torch.explain(torch.fft.fftshift(torch.fft.fftfreq(6) * 3)))
    assert "extern" not in text


def test_transforms_are_lazy():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    y = torch.fft.fft(x)
    assert y._node.op == "extern"       # nothing computed until the values are read
    x2 = torch.fft.ifft(y).real
    np.testing.assert_allclose(x2.numpy(), [1.0, 2.0, 3.0, 4.0], atol=1e-6)


def test_transform_of_a_tensor_requiring_grad_is_refused():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match="torch.fft.fft"):
        torch.fft.fft(x)
    y = torch.fft.fftshift(x * 2)        # a composition: differentiable
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0, 2.0]
