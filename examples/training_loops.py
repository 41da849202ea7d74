"""Loops written as PyTorch's tutorials write them, for any module with PyTorch's API.

    python examples/training_loops.py            # runs each loop with lazytensor, prints results

`examples/benchmark.py --only loops` times them against PyTorch eager and torch.compile. Each
loop takes the module `T` (lazytensor or torch) and the function running one step (the step
below, or torch.compile of it), so every engine runs the same code.
"""
import math
import sys

import numpy as np


def cubic_step(x, y, a, b, c, d, lr):
    """One step of fitting y = sin(x) with a cubic, gradients written by hand ("Learning
    PyTorch with Examples"); the parameters are updated in place. Returns the loss."""
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = grad_y_pred.sum()
    grad_b = (grad_y_pred * x).sum()
    grad_c = (grad_y_pred * x ** 2).sum()
    grad_d = (grad_y_pred * x ** 3).sum()
    a -= lr * grad_a
    b -= lr * grad_b
    c -= lr * grad_c
    d -= lr * grad_d
    return loss


def cubic_fit(T, step=cubic_step, steps=2000, read_every=100):
    """The losses read every `read_every` steps, then a, b, c, d."""
    x = T.linspace(-math.pi, math.pi, 2000)
    y = T.sin(x)
    T.manual_seed(0)
    a, b, c, d = (T.randn(()) for _ in range(4))
    losses = []
    for t in range(steps):
        loss = step(x, y, a, b, c, d, 1e-6)
        if t % read_every == read_every - 1:
            losses.append(loss.item())
    return losses + [p.item() for p in (a, b, c, d)]


def two_layer_step(x, y, w1, w2, lr):
    """One step of a two-layer ReLU net with a hand-written backward pass; w1 and w2 are
    updated in place. Returns the loss."""
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - y).pow(2).sum()
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)
    w1 -= lr * grad_w1
    w2 -= lr * grad_w2
    return loss


def two_layer(T, step=two_layer_step, steps=300, read_every=100):
    """64 samples, 1000 -> 100 -> 10: the losses read every `read_every` steps, then the
    sums of w1 and w2."""
    T.manual_seed(0)
    x, y = T.randn(64, 1000), T.randn(64, 10)
    w1, w2 = T.randn(1000, 100), T.randn(100, 10)
    losses = []
    for t in range(steps):
        loss = step(x, y, w1, w2, 1e-6)
        if t % read_every == read_every - 1:
            losses.append(loss.item())
    return losses + [w1.sum().item(), w2.sum().item()]


def rebind_step(v, a, b):
    return v * a + b


def updates_rebinding(T, step=rebind_step, steps=100_000):
    """A 1,000-element value rebound `steps` times (v = v * a + b), read once at the end."""
    v = T.zeros(1000)
    a, b = T.full((1000,), 0.9999), T.full((1000,), 0.0001)
    for _ in range(steps):
        v = step(v, a, b)
    return v[:4].tolist()


def in_place_step(v):
    v.mul_(0.9999).add_(0.0001)


def updates_in_place(T, step=in_place_step, steps=100_000):
    """A 1,000-element value updated in place `steps` times, read once at the end."""
    v = T.zeros(1000)
    for _ in range(steps):
        step(v)
    return v[:4].tolist()


def cubic_autograd_loss(x, y, a, b, c, d):
    """The forward pass of "PyTorch: Tensors and autograd"'s cubic fit: the loss."""
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    return (y_pred - y).pow(2).sum()


def _sgd_step(T, loss, params, lr):
    """backward() computes the gradients; the update runs under no_grad."""
    loss.backward()
    with T.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad = None


def cubic_autograd(T, step=cubic_autograd_loss, steps=2000, read_every=100):
    """The cubic fit with autograd (`step`, the forward pass, is what torch.compile
    compiles): the losses read every `read_every` steps, then a, b, c, d."""
    x = T.linspace(-math.pi, math.pi, 2000)
    y = T.sin(x)
    T.manual_seed(0)
    params = [T.randn((), requires_grad=True) for _ in range(4)]
    losses = []
    for t in range(steps):
        loss = step(x, y, *params)
        if t % read_every == read_every - 1:
            losses.append(loss.item())
        _sgd_step(T, loss, params, 1e-6)
    return losses + [p.item() for p in params]


def two_layer_autograd(T, steps=50, read_every=10):
    """"PyTorch: Tensors and autograd"'s two-layer ReLU net, smaller (64 x 100 -> 50 -> 10):
    the losses read every `read_every` steps, then the sum of w2."""
    T.manual_seed(0)
    x, y = T.randn(64, 100), T.randn(64, 10)
    w1 = T.randn(100, 50, requires_grad=True)
    w2 = T.randn(50, 10, requires_grad=True)
    losses = []
    for t in range(steps):
        loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
        if t % read_every == read_every - 1:
            losses.append(loss.item())
        loss.backward()
        with T.no_grad():
            w1 -= 1e-6 * w1.grad
            w2 -= 1e-6 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return losses + [w2.sum().item()]


def mlp_loss(x, y, w1, b1, w2, b2, w3, b3):
    """The forward pass of a 784-512-512-10 ReLU MLP on a batch: mean squared error."""
    h = (x @ w1 + b1).relu()
    h = (h @ w2 + b2).relu()
    return ((h @ w3 + b3 - y) ** 2).mean()


def mlp(T, step=mlp_loss, steps=20, read_every=10):
    """Batch 256, weights drawn as nn.Linear draws them (uniform within 1/sqrt(fan_in)),
    forward, backward and a plain SGD update per step: the losses read every `read_every`
    steps, then the last layer's sum."""
    T.manual_seed(0)
    x, y = T.rand(256, 784), T.rand(256, 10)
    shapes = ((784, 512), (512,), (512, 512), (512,), (512, 10), (10,))
    fan_in = (784, 784, 512, 512, 512, 512)
    params = [((T.rand(*s) * 2 - 1) / n ** 0.5).requires_grad_() for s, n in zip(shapes, fan_in)]
    losses = []
    for t in range(steps):
        loss = step(x, y, *params)
        if t % read_every == read_every - 1:
            losses.append(loss.item())
        _sgd_step(T, loss, params, 0.01)
    return losses + [params[4].sum().item()]


def digits_loss(model, loss_fn, xb, yb):
    """The forward pass of examples/train_digits.py's MLP on one batch: the loss."""
    return loss_fn(model(xb), yb)


def digits_epochs(T, step=digits_loss, epochs=2, steps=None, cnn=False):
    """examples/train_digits.py's training (scikit-learn's digits, MLP 64-128-10 or its small
    CNN, batch 64, SGD with momentum): the mean loss of each epoch (one epoch when `steps`
    asks for a short run). Needs scikit-learn, imported here so that the other loops do
    not."""
    from sklearn.datasets import load_digits
    epochs = 1 if steps is not None else epochs
    digits = load_digits()
    x = T.from_numpy((digits.data[:1500] / 16.0).astype(np.float32))
    y = T.from_numpy(digits.target[:1500].astype(np.int64))
    T.manual_seed(0)
    loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(x, y), batch_size=64,
                                     shuffle=True)
    nn = T.nn
    if cnn:         # examples/train_digits.py's cnn()
        model = nn.Sequential(nn.Unflatten(1, (1, 8, 8)), nn.Conv2d(1, 8, 3), nn.ReLU(),
                              nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 3 * 3, 10))
    else:
        model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    loss_fn = T.nn.CrossEntropyLoss()
    optimizer = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    means = []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = step(model, loss_fn, xb, yb)
            loss.backward()
            optimizer.step()
            total += loss.item()
        means.append(total / len(loader))
    return means


def digits_cnn_epochs(T, step=digits_loss, epochs=1, steps=None):
    """digits_epochs with examples/train_digits.py's small CNN, one epoch."""
    return digits_epochs(T, step, epochs, steps, cnn=True)


# (key, row name, loop, its step function)
LOOPS = (
    ("L1", "L1 cubic fit, 2000 steps", cubic_fit, cubic_step),
    ("L2", "L2 2-layer net, 300 steps", two_layer, two_layer_step),
    ("L3", "L3 1e5 updates v=v*a+b", updates_rebinding, rebind_step),
    ("L4", "L4 1e5 updates in place", updates_in_place, in_place_step),
    ("G1", "G1 cubic fit, autograd, 2000 steps", cubic_autograd, cubic_autograd_loss),
    ("G2", "G2 MLP 784-512-512-10 fwd+bwd, 20 steps", mlp, mlp_loss),
    ("D1", "D1 digits MLP 64-128-10, 2 epochs", digits_epochs, digits_loss),
    ("D2", "D2 digits CNN conv3x3x8-pool-linear, 1 epoch", digits_cnn_epochs, digits_loss),
)
# steps of a --quick benchmark run where 200 would be long (the MLP's products are big)
QUICK_STEPS = {"mlp": 4}
SIZES = {"L1": "2000 pts", "L2": "64x1000", "L3": "1000", "L4": "1000", "G1": "2000 pts",
         "G2": "256x784",
         "D1": "batch 64", "D2": "batch 64"}


def main():
    import time
    import lazytensor as lt
    for _, name, loop, _ in LOOPS:
        t0 = time.perf_counter()
        values = loop(lt)
        print(f"{name}: {time.perf_counter() - t0:.2f} s, last values "
              f"{[round(v, 6) for v in values[-4:]]}", file=sys.stdout)
    print(lt.cache_info())


if __name__ == "__main__":
    main()
