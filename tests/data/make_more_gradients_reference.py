"""Writes more_gradients_reference.json: PyTorch 2.13's gradients for the tie cases of
tests/more_gradient_cases.py (run once, with PyTorch installed:
`python tests/data/make_more_gradients_reference.py`)."""
import json
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import more_gradient_cases  # noqa: E402

if __name__ == "__main__":
    warnings.filterwarnings("ignore", "index_reduce")
    out = {"torch": torch.__version__, "cases": more_gradient_cases.tie_cases(torch)}
    with open(os.path.join(os.path.dirname(__file__), "more_gradients_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
