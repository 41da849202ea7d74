"""Writes recurrent_reference.npz: what PyTorch 2.13 draws, computes and differentiates for
the cases of tests/recurrent_cases.py, which tests/test_recurrent.py runs with lazytensor
(run once, with PyTorch installed: `python tests/data/make_recurrent_reference.py`)."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import recurrent_cases  # noqa: E402

if __name__ == "__main__":
    arrays = {"torch": np.array(torch.__version__)}
    for name in recurrent_cases.CASES:
        for key, value in recurrent_cases.run(torch, name).items():
            arrays[f"{name}/{key}"] = value
    np.savez_compressed(os.path.join(os.path.dirname(__file__), "recurrent_reference.npz"),
                        **arrays)
