"""Writes sort_kernel_reference.npz: the indices PyTorch 2.13 (CPU) returns for large inputs
full of equal values, which tests/test_sort_kernel.py rebuilds the same way (`inputs()`,
NumPy's default_rng). Run with PyTorch installed (the suite never imports it):

    python tests/data/make_sort_kernel_reference.py

Indices of up to FULL elements are stored whole; for larger outputs (a permutation of
tie groups hardly compresses) the file keeps the SHA-256 of the int64 indices and every
SAMPLE-th of them, so that a mismatch shows where it starts.
"""
import hashlib
import os

import numpy as np

FULL = 4096
SAMPLE = 97

# name: (dtype, shape, distinct values, op, arguments)
CASES = {
    # std::sort's introsort on floats with NaN and both zeros among the ties
    "sort_f32": ("float32", (100_000,), 40, "sort", {}),
    "sort_f32_desc": ("float32", (100_000,), 40, "sort", {"descending": True}),
    "sort_f32_stable": ("float32", (60_000,), 40, "sort", {"stable": True}),
    "sort_f64_rows_desc": ("float64", (3, 40_000), 1000, "sort", {"descending": True}),
    "sort_f32_dim0": ("float32", (20_000, 3), 7, "sort", {"dim": 0}),
    "sort_f16": ("float16", (50_000,), 30, "sort", {}),
    "sort_bf16_desc": ("bfloat16", (50_000,), 30, "sort", {"descending": True}),
    # 1-D integers from 32,768 elements sorted ascending: PyTorch's radix sort (stable)
    "sort_i64_radix": ("int64", (100_000,), 50, "sort", {}),
    "sort_i64_radix_wide": ("int64", (40_000,), 1 << 40, "sort", {}),
    "sort_i32_radix": ("int32", (50_000,), 1000, "sort", {}),
    "sort_i16_radix": ("int16", (40_000,), 9, "sort", {}),
    "sort_i8_radix": ("int8", (40_000,), 200, "sort", {}),
    "sort_u8_radix": ("uint8", (32_768,), 5, "sort", {}),
    # ... and where it is not: just below, descending, 2-D, bool
    "sort_i64_below": ("int64", (32_767,), 50, "sort", {}),
    "sort_i64_desc": ("int64", (40_000,), 50, "sort", {"descending": True}),
    "sort_i64_rows": ("int64", (2, 40_000), 50, "sort", {}),
    "sort_i64_column": ("int64", (40_000, 1), 50, "sort", {"dim": 0}),
    "sort_bool": ("bool", (50_000,), 2, "sort", {}),
    "argsort_i32_desc_stable": ("int32", (50_000,), 20, "argsort",
                                {"descending": True, "stable": True}),
    "sort_i32_small": ("int32", (3000,), 10, "sort", {}),
    "sort_f64_small_desc": ("float64", (2, 1500), 10, "sort", {"descending": True}),
    # topk: std::partial_sort when k * 64 <= n, else std::nth_element (+ std::sort)
    "topk_f32_partial": ("float32", (100_000,), 50, "topk", {"k": 1000}),
    "topk_f32_smallest": ("float32", (100_000,), 50, "topk", {"k": 1500, "largest": False}),
    "topk_f32_nth": ("float32", (100_000,), 50, "topk", {"k": 3000}),
    "topk_f32_nth_unsorted": ("float32", (100_000,), 50, "topk", {"k": 3000, "sorted": False}),
    "topk_i64_rows": ("int64", (4, 20_000), 30, "topk", {"k": 700, "largest": False,
                                                          "sorted": False}),
    "topk_i16_dim0": ("int16", (30_000, 2), 30, "topk", {"k": 20, "dim": 0}),
    # kthvalue's quickselect and mode's std::sort with `<`
    "kthvalue_f32": ("float32", (3, 30_000), 50, "kthvalue", {"k": 12_345}),
    "kthvalue_i64": ("int64", (50_000,), 20, "kthvalue", {"k": 40_000}),
    "mode_i32": ("int32", (4, 20_000), 300, "mode", {}),
    "mode_f64": ("float64", (3, 20_000), 200, "mode", {}),
    # unique of floats: which of -0.0 / 0.0 shows for zero, and the NaNs, follow std::sort
    "unique_f32": ("float32", (100_000,), 40, "unique", {}),
    "unique_i64": ("int64", (100_000,), 5000, "unique", {}),
}


def inputs(name):
    """The input of a case as a NumPy array (float16/bfloat16 cases as float32 values that
    they hold exactly), from its own seed."""
    dtype, shape, distinct, op, _ = CASES[name]
    rng = np.random.default_rng(list(CASES).index(name))
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(np.bool_)
    if dtype == "uint8":
        return rng.integers(0, distinct, shape).astype(np.uint8)
    values = rng.integers(0, distinct, shape) - distinct // 2
    if dtype in ("int8", "int16", "int32", "int64"):
        return values.astype(dtype)
    a = values.astype(np.float32 if dtype in ("float16", "bfloat16") else dtype) / 4
    if op not in ("mode",):
        a[rng.random(shape) < 0.05] = np.nan
    a[(a == 0) & (rng.random(shape) < 0.5)] = -0.0
    return a


def record(out, name, indices):
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    if indices.size <= FULL:
        out[name] = indices
    else:
        out[name + ".sha256"] = np.array(hashlib.sha256(indices.tobytes()).hexdigest())
        out[name + ".sample"] = indices.reshape(-1)[::SAMPLE]


def main():
    import torch
    out = {}
    for name, (dtype, _, _, op, args) in CASES.items():
        x = torch.tensor(inputs(name), dtype=getattr(torch, dtype))
        if op == "unique":
            values, inverse, counts = torch.unique(x, return_inverse=True, return_counts=True)
            out[name + ".values"] = values.double().numpy()
            out[name + ".counts"] = counts.numpy()
            record(out, name + ".inverse", inverse.numpy())
            continue
        result = getattr(torch, op)(x, **args)
        record(out, name, (result if op == "argsort" else result.indices).numpy())
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sort_kernel_reference.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {path} ({os.path.getsize(path)} bytes, PyTorch {torch.__version__})")


if __name__ == "__main__":
    main()
