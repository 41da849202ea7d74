"""The functions and inputs shared by test_autograd_functional.py and test_func.py, written
in the same words as tests/data/make_autograd_functional_reference.py (which ran them in
PyTorch 2.13 and saved the results in tests/data/autograd_functional.npz)."""
import os

import numpy as np
import pytest

import lazytensor as torch

REF = np.load(os.path.join(os.path.dirname(__file__), "data", "autograd_functional.npz"))
F64 = torch.float64


def t(a):
    return torch.tensor(np.asarray(a), dtype=F64)


def f_vec(x):                        # R^3 -> R^3
    return x.exp() * x.sin()


def f_pair(x, y):                    # (R^3, R^2) -> (R^2, R)
    return (y * x.sum(), (x.tanh() ** 2).sum() * y.prod())


def f_mat(m):                        # R^{2x3} -> R^3
    return (m * m).sum(0).sqrt()


def g_scalar(x):                     # R^3 -> R
    return (x.sin() * x ** 2).sum()


def g_pair(x, y):                    # (R^3, R^2) -> R
    return (x * y.exp().sum()).sum() + (x ** 2).sum() * y.prod()


def inputs():
    return (t(REF["X"]), t(REF["Y"]), t(REF["M"]), t(REF["V3"]), t(REF["V2"]))


def close(got, key):
    want = REF[key]
    assert tuple(got.shape) == want.shape, key
    assert got.dtype == F64, key
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-12, err_msg=key)


def pytorch_error(key):
    """(exception type name, message) PyTorch gave, in lazytensor's spelling of its names
    (lazytensor.Size, lazytensor.int64)."""
    kind, _, message = str(REF["error_" + key]).partition(": ")
    return kind, message.replace("torch.", "lazytensor.")


def raises_as_pytorch(key, fn):
    kind, message = pytorch_error(key)
    with pytest.raises(Exception) as info:
        fn()
    assert type(info.value).__name__ == kind, (key, info.value)
    assert str(info.value) == message
