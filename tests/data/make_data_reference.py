"""Writes data_reference.json: PyTorch 2.13's DataLoader orders, random_split and the
digits training run of examples/train_digits.py (run once, with PyTorch and scikit-learn
installed: `python tests/data/make_data_reference.py`)."""
import json
import os
import sys

import torch
from torch.utils.data import DataLoader, random_split

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
sys.argv = [sys.argv[0], "torch"]
import train_digits  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import worker_program  # noqa: E402


def orders():
    torch.manual_seed(1)
    loader = DataLoader(list(range(10)), batch_size=4, shuffle=True)
    epochs = [[b.tolist() for b in loader] for _ in range(2)]
    dropped = [b.tolist() for b in DataLoader(list(range(10)), batch_size=4, shuffle=True,
                                              drop_last=True)]
    split = random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42))
    return {"epochs": epochs, "drop_last": dropped, "split": [list(s.indices) for s in split],
            "after": torch.rand(2).tolist()}


if __name__ == "__main__":
    out = {"torch": torch.__version__, "orders": orders(),
           "workers": worker_program.run(torch),
           "digits": train_digits.train(epochs=3, log=lambda line: None),
           "digits_cnn": train_digits.train(epochs=2, log=lambda line: None,
                                            model=train_digits.cnn)}
    with open(os.path.join(os.path.dirname(__file__), "data_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
