"""Runs tests/shape_function_cases.py with PyTorch 2.13 and saves each case's result (and the
inputs) into tests/data/shape_functions.npz:

    /work/torchref/bin/python tests/data/make_shape_functions_reference.py
"""
import os
import sys
import warnings

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import shape_function_cases  # noqa: E402


def main():
    arrays = shape_function_cases.inputs()
    out = {f"input:{k}": v for k, v in arrays.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, fn in shape_function_cases.cases(torch, arrays).items():
            result = fn()
            parts = tuple(result) if isinstance(result, tuple) else (result,)
            for i, t in enumerate(parts):
                out[f"{name}:{i}"] = t.detach().numpy()
            out[f"{name}:count"] = np.array(len(parts) if isinstance(result, tuple) else -1)
    np.savez_compressed(os.path.join(HERE, "shape_functions.npz"), **out)
    print(len(out), "arrays saved")


if __name__ == "__main__":
    main()
