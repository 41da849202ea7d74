"""Complex tensors against PyTorch's answers (tests/complex_cases.py; the values were recorded
by tests/data/make_complex_reference.py with PyTorch 2.13)."""
import os

import numpy as np
import pytest

import lazytensor as torch
import complex_cases as cases

REF = np.load(os.path.join(os.path.dirname(__file__), "data", "complex_reference.npz"))


def _env():
    env = {"torch": torch}
    exec(cases.SETUP, env)
    return env


@pytest.mark.parametrize("i,src", list(enumerate(cases.PRINTS)))
def test_printing_matches_pytorch(i, src):
    assert repr(eval(src, _env())) == str(REF[f"print_{i}"])


@pytest.mark.parametrize("i,src", list(enumerate(cases.VALUES)))
def test_values_match_pytorch(i, src):
    got = eval(src, _env())
    if f"value_{i}" in REF.files:
        want = REF[f"value_{i}"]
        assert isinstance(got, torch.Tensor), src
        assert got.dtype.name == str(REF[f"dtype_{i}"]), src
        assert tuple(got.shape) == want.shape
        values = got.numpy()
        assert values.dtype == want.dtype
        # complex64 arithmetic rounds as NumPy's, which may differ from PyTorch's vectorised
        # kernels in the last place
        tol = 1e-6 if want.dtype in (np.complex64, np.float32) else 1e-13
        np.testing.assert_allclose(values, want, rtol=tol, atol=tol, equal_nan=True)
    else:
        want = str(REF[f"repr_{i}"])
        text = str(got) if isinstance(got, torch.dtype) else repr(got)
        assert text.replace("lazytensor.", "") == want, src


@pytest.mark.parametrize("i,src", list(enumerate(cases.ERRORS)))
def test_errors_match_pytorch(i, src):
    kind, message = REF[f"error_{i}"]
    env = _env()
    before = env["a"].tolist()
    with pytest.raises(Exception) as info:
        eval(src, env)
    assert type(info.value).__name__ == str(kind)
    assert str(info.value) == str(message)
    assert env["a"].tolist() == before


def test_complex_ops_are_externs_shown_in_explain():
    a = torch.tensor([1 + 2j, 3 - 1j])
    text = str(torch.explain((a * a).abs()))
    assert "complex.mul" in text and "complex.abs" in text


def test_real_ops_keep_their_generated_kernels():
    """A real op next to complex ones still compiles to C (no extern)."""
    r = torch.tensor([1.0, 2.0])
    out = (r * 2 + 1)
    assert "numpy" not in str(out._node)
    z = torch.complex(out, r)
    assert z.tolist() == [(3 + 1j), (5 + 2j)]


def test_item_and_scalar_conversions():
    z = torch.tensor([2 - 3j])
    assert z.item() == 2 - 3j and isinstance(z.item(), complex)
    assert complex(z) == 2 - 3j


def test_in_place_arithmetic_writes_complex():
    z = torch.tensor([1 + 1j, 2 - 1j])
    z += 1j
    z *= 2
    assert z.tolist() == [(2 + 4j), (4 + 0j)]
    with pytest.raises(RuntimeError):
        r = torch.tensor([1.0, 2.0])
        r += 1j                     # a complex result cannot be written into float32
    

def test_default_dtype_float64_makes_complex128_the_default():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        z = torch.tensor([1 + 1j])
        assert z.dtype is torch.complex128
        assert repr(z) == "tensor([1.+1.j])"
        assert repr(z.to(torch.cfloat)) == "tensor([1.+1.j], dtype=lazytensor.complex64)"
        assert (torch.tensor([1, 2]) * 1j).dtype is torch.complex128
    finally:
        torch.set_default_dtype(old)


def test_gradients_through_complex_values_are_refused_at_the_call():
    """Not implemented: an error at the call, never a result that silently lost its grad."""
    r = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match="gradients through complex numbers"):
        r * 1j
    with pytest.raises(NotImplementedError, match="gradients through complex numbers"):
        torch.complex(r, r)
    with torch.no_grad():
        assert (r * 1j).tolist() == [1j, 2j]
    assert (r.detach() * 1j).dtype is torch.complex64


def test_cast_to_real_warns_and_keeps_the_real_part():
    z = torch.tensor([1.5 + 2j, -3 - 1j])
    with pytest.warns(UserWarning, match="Casting complex values to real discards the "
                                         "imaginary part"):
        r = z.to(torch.float32)
    assert r.tolist() == [1.5, -3.0]
    assert z.to(torch.int64).tolist() == [1, -3]
    assert z.type() == "torch.ComplexFloatTensor"
    assert z.to(torch.cdouble).type() == "torch.ComplexDoubleTensor"


def test_save_and_load_share_pytorchs_format():
    """tests/data/complex_saved.pt was written by PyTorch 2.13's torch.save."""
    import io
    loaded = torch.load(os.path.join(os.path.dirname(__file__), "data", "complex_saved.pt"))
    assert loaded["z"].dtype is torch.complex64 and loaded["z"].tolist() == [1 + 2j, 3 - 1j]
    assert loaded["w"].dtype is torch.complex128 and loaded["w"].tolist() == [[0.5j]]
    buffer = io.BytesIO()
    torch.save(loaded["w"], buffer)
    buffer.seek(0)
    assert torch.load(buffer).tolist() == [[0.5j]]


def test_assigning_the_parts_writes_the_tensor():
    z = torch.tensor([1 + 2j, 3 - 1j])
    z.real = torch.tensor([5.0, 6.0])
    assert z.tolist() == [5 + 2j, 6 - 1j]
    z.imag = 0.5
    assert z.tolist() == [5 + 0.5j, 6 + 0.5j]
    with pytest.raises(RuntimeError, match="imag is not implemented"):
        torch.tensor([1.0]).imag = 2.0
