"""Writes autograd_reference.json: what PyTorch 2.13 computes for the autograd programs that
tests/test_gradients.py runs with lazytensor (run once, with PyTorch installed:
`python tests/data/make_autograd_reference.py`)."""
import json
import math
import os

import torch


def cubic_fit(steps=500):
    """The tutorial "PyTorch: Tensors and autograd": a cubic fit of sin(x) by gradient
    descent, the loss read every 100 steps."""
    torch.manual_seed(0)
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    a, b, c, d = (torch.randn((), requires_grad=True) for _ in range(4))
    losses = []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= 1e-6 * p.grad
                p.grad = None
    return {"losses": losses, "coefficients": [p.item() for p in (a, b, c, d)]}


def two_layer_net(steps=50):
    """A two-layer ReLU net trained by hand with autograd (64 x 100 -> 50 -> 10)."""
    torch.manual_seed(0)
    x, y = torch.randn(64, 100), torch.randn(64, 10)
    w1 = torch.randn(100, 50, requires_grad=True)
    w2 = torch.randn(50, 10, requires_grad=True)
    losses = []
    for t in range(steps):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        if t % 10 == 9:
            losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= 1e-6 * w1.grad
            w2 -= 1e-6 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return {"losses": losses, "w2_sum": w2.sum().item()}


if __name__ == "__main__":
    out = {"torch": torch.__version__, "cubic_fit": cubic_fit(), "two_layer_net": two_layer_net()}
    path = os.path.join(os.path.dirname(__file__), "autograd_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
