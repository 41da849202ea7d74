"""Records, with PyTorch, what its API offers for each name in lazytensor's table of
elementwise primitives (codegen/primitives.py): a function, a Tensor method, an in-place
method, an `out=` keyword, and the grad_fn of a result. Run once with PyTorch installed:

    python tests/data/make_primitives_api_reference.py

tests/test_primitives.py compares lazytensor's API with primitives_api_reference.json.
"""
import importlib.util
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "primitives", os.path.join(HERE, "..", "..", "codegen", "primitives.py"))
primitives = importlib.util.module_from_spec(spec)
spec.loader.exec_module(primitives)


def operands(p):
    """Inputs the op accepts: floats that require grad, integers or bools for the
    integer-only ops, a bool condition first for where."""
    if p.result == "integer":
        return (torch.tensor([6, 3]), torch.tensor([1, 2]))[:p.arity]
    x = torch.tensor([0.5, 0.75], requires_grad=True)
    y = torch.tensor([2.0, 0.25], requires_grad=True)
    if p.name == "where":
        return (x > 0.6, x, y)
    return (x, y)[:p.arity]


def record(name, p):
    fn = getattr(torch, name, None)
    info = {"function": fn is not None, "method": hasattr(torch.Tensor, name),
            "inplace_method": hasattr(torch.Tensor, name + "_")}
    if fn is None:
        return info
    args = operands(p)
    result = fn(*args)
    info["grad_fn"] = result.grad_fn.name() if result.grad_fn is not None else None
    with torch.no_grad():
        try:
            fn(*(a.detach() for a in args), out=torch.empty(2, dtype=result.dtype))
            info["out"] = True
        except TypeError:
            info["out"] = False
    return info


def main():
    api = {}
    for p in primitives.PRIMITIVES:
        for name in ((p.public,) if p.public else ()) + tuple(p.aliases):
            api[name] = record(name, p)
    path = os.path.join(HERE, "primitives_api_reference.json")
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "api": api}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(api)} names recorded in {path}")


if __name__ == "__main__":
    main()
