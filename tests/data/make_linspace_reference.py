"""Writes linspace_reference.json: PyTorch's own torch.linspace values for the cases that
tests/test_creation.py checks. Run with PyTorch installed (the suite never imports it):

    python tests/data/make_linspace_reference.py
"""
import json
import os
import random

import torch

DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "uint8")


def cases():
    rng = random.Random(5)
    fixed = [(-1, 1, 7), (0, 1, 5), (0.5, 10.7, 5), (-3, 7, 4), (1, -1, 4), (0, 1e6, 3),
             (1e-3, 2e-3, 9), (3.3, 250.9, 300), (-7.25, 1000.5, 2100)]
    return fixed + [(round(rng.uniform(-10, 10), 6), round(rng.uniform(-10, 10), 6),
                     rng.randint(2, 120)) for _ in range(24)]


def main():
    out = []
    for start, end, steps in cases():
        for name in DTYPES:
            try:
                t = torch.linspace(start, end, steps, dtype=getattr(torch, name))
            except RuntimeError:           # start or end out of the dtype's range
                continue
            values = t.float() if name == "bfloat16" else t
            out.append({"start": start, "end": end, "steps": steps, "dtype": name,
                        "values": values.tolist()})
    path = os.path.join(os.path.dirname(__file__), "linspace_reference.json")
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "cases": out}, f)


if __name__ == "__main__":
    main()
