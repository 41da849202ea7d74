"""torch.nn.functional's composed subset: values as PyTorch 2.13 prints them (transcendental
ones to 6 digits, exact ones exactly) and against NumPy."""
import numpy as np
import pytest

import lazytensor as lt
import lazytensor.nn.functional as F

X = [-2.0, -0.5, 0.0, 0.5, 3.0]


def test_activations():
    x = lt.tensor(X)
    assert F.relu(x).tolist() == [0.0, 0.0, 0.0, 0.5, 3.0]
    assert F.leaky_relu(x, 0.25).tolist() == [-0.5, -0.125, 0.0, 0.5, 3.0]
    assert F.hardtanh(x).tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert F.relu6(x * 3).tolist() == [0.0, 0.0, 0.0, 1.5, 6.0]
    for got, want in ((F.gelu(x), [-0.0455003, -0.154269, 0.0, 0.345731, 2.99595]),
                      (F.silu(x), [-0.238406, -0.18877, 0.0, 0.31123, 2.85772]),
                      (F.softplus(x), [0.126928, 0.474077, 0.693147, 0.974077, 3.04859])):
        np.testing.assert_allclose(got.tolist(), want, rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(F.softmax(x, dim=0).numpy(),
                               np.exp(X) / np.exp(X).sum(), rtol=1e-6)


def test_losses_match_numpy():
    a = np.array([1.5, -2.0, 0.25, 4.0], np.float32)
    b = np.array([1.0, 0.5, -0.75, 2.0], np.float32)
    A, B = lt.tensor(a), lt.tensor(b)
    assert F.mse_loss(A, B).item() == np.float32(((a - b) ** 2).mean())
    assert F.l1_loss(A, B, reduction="sum").item() == np.abs(a - b).sum()
    assert F.mse_loss(A, B, reduction="none").tolist() == ((a - b) ** 2).tolist()
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        F.mse_loss(A, B, reduction="avg")


def test_dropout_draws_pytorchs_mask():
    lt.manual_seed(0)
    assert F.dropout(lt.ones(8), 0.5).tolist() == [0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 2.0, 2.0]
    lt.manual_seed(0)
    assert F.dropout(lt.arange(6.0), 0.25).tolist() == \
        [0.0, 1.3333333730697632, 2.6666667461395264, 0.0, 5.333333492279053, 0.0]
    x = lt.ones(3)
    assert F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        F.dropout(x, 1.5)


def test_one_hot_and_linear():
    assert F.one_hot(lt.tensor([0, 2, 1])).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert F.one_hot(lt.tensor([[0, 2]]), 4).shape == (1, 2, 4)
    with pytest.raises(RuntimeError, match="^one_hot is only applicable to index tensor of "
                                           "type LongTensor.$"):
        F.one_hot(lt.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="^Class values must be smaller than num_classes.$"):
        F.one_hot(lt.tensor([0, 3]), 2)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    w = np.arange(12, dtype=np.float32).reshape(3, 4) / 4
    out = F.linear(lt.tensor(x), lt.tensor(w), lt.tensor([1.0, 2.0, 3.0]))
    assert out.tolist() == (x @ w.T + np.array([1.0, 2.0, 3.0], np.float32)).tolist()


def test_half_activations_compute_in_float32():
    """float16 in, computed in float32, rounded once: the values PyTorch 2.13 gives."""
    x = lt.tensor([-2.0, -0.5, 0.3, 3.0]).half()
    assert F.gelu(x).tolist() == [-0.045501708984375, -0.154296875, 0.1854248046875,
                                  2.99609375]
    assert F.silu(x).tolist() == [-0.2384033203125, -0.188720703125, 0.17236328125,
                                  2.857421875]
    assert F.elu(x).tolist() == [-0.86474609375, -0.3935546875, 0.300048828125, 3.0]
    assert F.softplus(x).tolist() == [0.126953125, 0.47412109375, 0.8544921875, 3.048828125]
