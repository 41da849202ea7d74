"""Writes multinomial_reference.json: PyTorch 2.13's torch.multinomial indices after
manual_seed (or a seeded Generator) for the cases tests/test_everyday_ops.py draws with
lazytensor, and torch.rand(2) drawn right after, which shows how far the generator moved
(run once, with PyTorch installed: `python tests/data/make_multinomial_reference.py`)."""
import json
import os

import torch

# (name, probabilities, dtype, num_samples, replacement, seed, use a Generator)
CASES = [
    ("vector_1", [0.1, 0.2, 0.3, 0.4], "float32", 1, False, 0, False),
    ("vector_2", [0.1, 0.2, 0.3, 0.4], "float32", 2, False, 0, False),
    ("vector_all", [0.1, 0.2, 0.3, 0.4], "float32", 4, False, 3, False),
    ("with_zeros_all", [0.0, 1.0, 0.0, 0.0, 0.0, 2.0], "float32", 6, False, 1, False),
    ("replacement_1", [0.1, 0.2, 0.3, 0.4], "float32", 1, True, 7, False),
    ("replacement_many", [0.1, 0.2, 0.3, 0.4], "float32", 50, True, 7, False),
    ("replacement_unnormalised", [3.0, 0.0, 1.0, 5.0, 0.5], "float32", 40, True, 11, False),
    ("replacement_double", [0.25, 0.25, 0.125, 0.375], "float64", 30, True, 5, False),
    ("replacement_half", [1.0, 2.0, 3.0], "float16", 20, True, 2, False),
    ("replacement_bfloat16", [1.0, 2.0, 3.0], "bfloat16", 20, True, 2, False),
    ("no_replacement_double", [0.5, 0.1, 0.2, 0.2, 0.7], "float64", 3, False, 9, False),
    ("no_replacement_half", [1.0, 2.0, 3.0, 4.0], "float16", 3, False, 4, False),
    ("no_replacement_bfloat16", [1.0, 2.0, 3.0, 4.0], "bfloat16", 2, False, 4, False),
    ("matrix", [[0.1, 0.9, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 2.0]], "float32", 2, False, 13,
     False),
    ("matrix_replacement", [[0.1, 0.9, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 2.0]], "float32", 7,
     True, 13, False),
    ("matrix_one", [[5.0, 1.0], [1.0, 5.0]], "float32", 1, True, 21, False),
    ("generator", [0.1, 0.2, 0.3, 0.4], "float32", 3, False, 3, True),
    ("generator_replacement", [0.1, 0.2, 0.3, 0.4], "float32", 6, True, 3, True),
    ("many_categories", [float(k % 7) for k in range(300)], "float32", 25, False, 17, False),
    ("many_categories_replacement", [float(k % 7) for k in range(300)], "float32", 25, True,
     17, False),
]


def draw(probs, dtype, num_samples, replacement, seed, use_generator):
    p = torch.tensor(probs, dtype=getattr(torch, dtype))
    if use_generator:
        g = torch.Generator().manual_seed(seed)
        indices = torch.multinomial(p, num_samples, replacement, generator=g)
        after = torch.rand(2, generator=g)
    else:
        torch.manual_seed(seed)
        indices = torch.multinomial(p, num_samples, replacement)
        after = torch.rand(2)
    return {"indices": indices.tolist(), "after": after.tolist()}


if __name__ == "__main__":
    out = {"torch": torch.__version__, "cases": []}
    for name, *case in CASES:
        out["cases"].append({"name": name, "args": case, **draw(*case)})
    with open(os.path.join(os.path.dirname(__file__), "multinomial_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
