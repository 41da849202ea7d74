"""Losses recorded as one op each, as PyTorch records them: nll_loss (NllLossBackward0, also
the last node of cross_entropy, after LogSoftmaxBackward0) and mse_loss (MseLossBackward0),
with derivatives checked against float64 central differences for every reduction, class
weights, ignored targets and broadcast operands."""
import numpy as np
import pytest

import lazytensor as torch
import lazytensor.nn.functional as F
from finite_differences import numeric

RNG = np.random.default_rng(7)


def check(f, arrays, out_shape=None):
    """autograd's gradients of sum(w * f(*arrays)) equal central differences."""
    tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = f(*tensors)
    w = RNG.standard_normal(tuple(out.shape))
    (out * torch.tensor(w)).sum().backward()
    want = numeric(f, arrays, w)
    for t, expected in zip(tensors, want):
        np.testing.assert_allclose(t.grad.numpy(), expected, rtol=1e-5, atol=1e-7)


TARGET = torch.tensor([0, 2, -100, 1, 2])
WEIGHT = torch.tensor([0.5, 2.0, 1.5], dtype=torch.float64)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", [None, WEIGHT])
def test_nll_loss_gradient(reduction, weight):
    x = RNG.standard_normal((5, 3))
    check(lambda a: F.nll_loss(a, TARGET, weight=weight, reduction=reduction), [x])
    check(lambda a: F.cross_entropy(a, TARGET, weight=weight, reduction=reduction), [x])


def test_nll_loss_of_one_sample_and_of_all_ignored_rows():
    check(lambda a: F.nll_loss(a, torch.tensor(1)), [RNG.standard_normal(3)])
    x = torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)
    loss = F.nll_loss(x, torch.tensor([-100, -100]))
    assert np.isnan(loss.item())            # 0 / 0, as in PyTorch
    loss.backward()
    assert x.grad.tolist() == [[0.0] * 3] * 2


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_gradient(reduction):
    a, b = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    check(lambda x, y: F.mse_loss(x, y, reduction=reduction), [a, b])
    w = RNG.random(4)
    check(lambda x, y, v: F.mse_loss(x, y, reduction=reduction, weight=v), [a, b, w])


def test_losses_are_one_node_named_as_pytorch_names_them():
    x = torch.randn(4, 3, requires_grad=True)
    y = torch.tensor([0, 2, 1, 1])
    nll = F.nll_loss(x, y)
    assert type(nll.grad_fn).__name__ == "NllLossBackward0"
    assert [type(f).__name__ for f, _ in nll.grad_fn.next_functions] == ["AccumulateGrad"]
    ce = F.cross_entropy(x, y)
    assert type(ce.grad_fn).__name__ == "NllLossBackward0"
    assert type(ce.grad_fn.next_functions[0][0]).__name__ == "LogSoftmaxBackward0"
    assert type(F.mse_loss(x, x.detach() * 2).grad_fn).__name__ == "MseLossBackward0"
    assert type(torch.nn.MSELoss()(x, x.detach()).grad_fn).__name__ == "MseLossBackward0"


def test_mse_loss_takes_pytorchs_arguments():
    a, b = torch.tensor([1.0, 2.0, 3.0]), torch.zeros(3)
    # PyTorch: positional size_average and reduce come before reduction
    assert F.mse_loss(a, b, None, None, "sum").item() == 14.0
    assert abs(F.mse_loss(a, b, weight=torch.tensor([1.0, 0.0, 2.0])).item() - 19 / 3) < 1e-6
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.mse_loss(a, b, reduction="bad")
