"""Writes nn_reference.json: what PyTorch 2.13 prints and computes for tests/nn_program.py,
which tests/test_nn.py runs with lazytensor (run once, with PyTorch installed:
`python tests/data/make_nn_reference.py`)."""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import nn_program  # noqa: E402

if __name__ == "__main__":
    result = {"torch": torch.__version__, "program": nn_program.run(torch),
              "lr_schedulers": nn_program.lr_sequences(torch),
              "layers": nn_program.layers(torch),
              "optimizers": nn_program.optimizer_trajectories(torch),
              "more_layers": nn_program.more_layers(torch),
              "initialisers": nn_program.initialisers(torch)}
    with open(os.path.join(os.path.dirname(__file__), "nn_reference.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
