"""Writes autograd_reference.json: what PyTorch 2.13 computes for the autograd programs of
examples/training_loops.py that tests/test_gradients.py runs with lazytensor (run once, with
PyTorch installed: `python tests/data/make_autograd_reference.py`)."""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
import training_loops  # noqa: E402

if __name__ == "__main__":
    out = {"torch": torch.__version__,
           "cubic_fit": training_loops.cubic_autograd(torch, steps=300),
           "two_layer_net": training_loops.two_layer_autograd(torch)}
    with open(os.path.join(os.path.dirname(__file__), "autograd_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
