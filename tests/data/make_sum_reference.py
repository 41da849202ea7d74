"""Writes sum_reference.json: PyTorch's own float sums, means, std and var of the inputs that
tests/test_reductions.py builds the same way (NumPy's default_rng, seed 11). Run with
PyTorch installed (the suite never imports it):

    python tests/data/make_sum_reference.py
"""
import json
import os

import numpy as np

SIZES = list(range(1, 21)) + [31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 257, 1023, 1024,
                              1025, 4095, 4097, 10000, 32767, 32768]
ROWS = [(3, 5), (4, 100), (7, 33), (100, 300), (2, 40000), (16, 7), (5, 8)]
# Sums over leading or middle dims, the kept dims after them (PyTorch's outer sums).
COLUMNS = [((10, 40), 0), ((100, 33), 0), ((7, 3), 0), ((64, 8), 0), ((300, 70), 0),
           ((3, 100), 0), ((20, 2), 0), ((3, 10, 40), 1), ((6, 5, 3, 8), 1), ((2000, 3), 0),
           # several blocks of columns side by side, rows past 2 cascade levels, kept axes
           # before and after the summed one
           ((50, 300), 0), ((4100, 40), 0), ((2, 600, 150), 1), ((3, 70, 20, 40), 1),
           # columns after the last whole group only, or after it, rows not a multiple of 4
           ((1003, 20), 0), ((999, 5), 0), ((5001, 3), 0), ((4001, 45), 0), ((2, 30, 6), 1),
           ((70001, 12), 0), ((2, 3), 0),
           # neighbouring dims that lie in memory as one (PyTorch coalesces them)
           ((5, 301, 70), (0, 1)), ((4, 6, 50, 3), (1, 2)), ((7, 9, 11), (0, 1))]
# Full sums above 32768 values are cut into one chunk per thread: these hold for 2 threads.
LONG = [40000, 65536, 100001]


def inputs():
    """(kind, shape, dtype, array) in a fixed order; the test rebuilds the same arrays."""
    rng = np.random.default_rng(11)
    for n in SIZES + LONG:
        for dt in ("float32", "float64"):
            scale = rng.choice([1.0, 1000.0, 1e-3])
            yield "long" if n in LONG else "flat", [n], dt, (rng.random(n) * scale - 0.3).astype(dt)
    for shape in ROWS:
        for dt in ("float32", "float64"):
            yield "rows", list(shape), dt, (rng.random(shape) - 0.5).astype(dt)
    for shape, dim in COLUMNS:
        for dt in ("float32", "float64"):
            dims = "-".join(map(str, dim)) if isinstance(dim, tuple) else dim
            yield f"cols{dims}", list(shape), dt, (rng.random(shape) - 0.3).astype(dt)


def column_dims(kind):
    """The dim (or dims) of a "cols" case: cols0 -> 0, cols0-1 -> (0, 1)."""
    dims = tuple(int(d) for d in kind[4:].split("-"))
    return dims if len(dims) > 1 else dims[0]


def main():
    import torch                      # only here: the test suite imports this module
    torch.set_num_threads(2)
    out = []
    for kind, shape, dt, x in inputs():
        t = torch.from_numpy(x)
        if kind == "rows":
            values = {"sum_last": t.sum(-1).tolist(), "sum_all": t.sum().item(),
                      "fused": (t * 2 + 1).sum(-1).tolist(), "std_all": t.std().item(),
                      "std_last": t.std(-1).tolist(),
                      "var0_last": t.var(-1, correction=0).tolist()}
        elif kind.startswith("cols"):
            dim = column_dims(kind)
            values = {"sum": t.sum(dim).tolist(), "mean": t.mean(dim).tolist(),
                      "std": t.std(dim).tolist(), "var0": t.var(dim, correction=0).tolist()}
        else:
            values = {"sum": t.sum().item(), "mean": t.mean().item()}
            if t.numel() > 1:
                values.update(std=t.std().item(), var=t.var().item(),
                              std0=t.std(correction=0).item())
        out.append({"kind": kind, "shape": shape, "dtype": dt, "values": values})
    path = os.path.join(os.path.dirname(__file__), "sum_reference.json")
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "cases": out}, f)


if __name__ == "__main__":
    main()
