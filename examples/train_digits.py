"""Train an MLP and a small CNN on scikit-learn's bundled digits (8x8 images, 10 classes) as
a PyTorch user writes it: Dataset, DataLoader, nn.Sequential, CrossEntropyLoss, SGD. One
line per epoch.

    python examples/train_digits.py            # lazytensor
    python examples/train_digits.py torch      # the same script with PyTorch

Needs scikit-learn (`pip install -e '.[test]'` brings it).
"""
import sys
import time

import numpy as np
from sklearn.datasets import load_digits

if sys.argv[1:] == ["torch"]:
    import torch
else:
    import lazytensor as torch
from_numpy = torch.from_numpy
nn = torch.nn
DataLoader, TensorDataset = torch.utils.data.DataLoader, torch.utils.data.TensorDataset


def data():
    """The 1,797 digits, pixels scaled to [0, 1]: the first 1,500 to train, the rest to test."""
    digits = load_digits()
    x = from_numpy((digits.data / 16.0).astype(np.float32))
    y = from_numpy(digits.target.astype(np.int64))
    return (x[:1500], y[:1500]), (x[1500:], y[1500:])


def mlp():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    """A small CNN on the 8x8 images: 3x3 convolution to 8 channels, 2x2 max pooling."""
    return nn.Sequential(nn.Unflatten(1, (1, 8, 8)), nn.Conv2d(1, 8, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 3 * 3, 10))


def train(epochs=10, log=print, model=mlp):
    torch.manual_seed(0)
    (x_train, y_train), (x_test, y_test) = data()
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
    model = model()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = []
    for epoch in range(epochs):
        start = time.perf_counter()
        model.train()
        total, batches = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        history.append((total / batches, accuracy))
        log(f"epoch {epoch + 1}: loss {total / batches:.4f}, test accuracy {accuracy:.4f}, "
            f"{time.perf_counter() - start:.2f} s")
    return history


if __name__ == "__main__":
    print("MLP 64-128-10")
    train()
    print("CNN conv 3x3 x8, max pool 2x2, linear")
    train(epochs=5, model=cnn)
