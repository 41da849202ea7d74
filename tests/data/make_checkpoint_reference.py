"""Writes pytorch_checkpoint.pt (a checkpoint saved by PyTorch's torch.save) and
pytorch_checkpoint_values.npz (the values of its tensors, by key path), which
tests/test_serialization.py loads with lazytensor (run once, with PyTorch installed:
`python tests/data/make_checkpoint_reference.py`)."""
import collections
import os

import numpy as np
import torch

HERE = os.path.dirname(__file__)


def checkpoint():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4),
                                torch.nn.ReLU(), torch.nn.Linear(4, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.randn(5, 3)).pow(2).sum().backward()
    opt.step()
    base = torch.arange(12, dtype=torch.float64)
    return {"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 7,
            "base": base, "view": base[2:10:3], "transposed": torch.arange(6.).reshape(2, 3).t(),
            "half": torch.tensor([1.5, -2.25], dtype=torch.float16),
            "brain": torch.tensor([0.1, 3.0], dtype=torch.bfloat16),
            "mask": torch.tensor([True, False, True]),
            "bytes": torch.tensor([0, 200, 255], dtype=torch.uint8),
            "scalar": torch.tensor(2.5), "param": torch.nn.Parameter(torch.ones(2)),
            "nested": [1, 2.5, "three", (None, True), {"k": torch.tensor([4, 5])}]}


def flatten(obj, path=""):
    if isinstance(obj, torch.Tensor):
        yield path, obj.detach().float().numpy() if obj.dtype == torch.bfloat16 \
            else obj.detach().numpy()
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from flatten(v, f"{path}/{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from flatten(v, f"{path}/{i}")


if __name__ == "__main__":
    obj = checkpoint()
    assert isinstance(obj["model"], collections.OrderedDict)
    torch.save(obj, os.path.join(HERE, "pytorch_checkpoint.pt"))
    np.savez(os.path.join(HERE, "pytorch_checkpoint_values.npz"), **dict(flatten(obj)))
