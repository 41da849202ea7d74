"""Writes interop_reference.json: what PyTorch 2.13 gives for each case of
tests/interop_cases.py (run once, with PyTorch installed:
`python tests/data/make_interop_reference.py`)."""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import interop_cases  # noqa: E402

if __name__ == "__main__":
    out = {"torch": torch.__version__, "numpy": np.__version__}
    for section, cases in interop_cases.SECTIONS.items():
        out[section] = {name: interop_cases.outcome(case, torch, np)
                        for name, case in cases.items()}
    with open(os.path.join(os.path.dirname(__file__), "interop_reference.json"), "w") as f:
        json.dump(out, f, indent=1, allow_nan=True)
        f.write("\n")
