"""The table of elementwise primitives (codegen/primitives.py) against PyTorch's API, as
recorded from PyTorch 2.13 in tests/data/primitives_api_reference.json, and against the
C templates it spells code for."""
import json
import os
import re
import string

import numpy as np
import pytest

import lazytensor as lt
from lazytensor.codegen import primitives
from lazytensor.codegen.render import CDialect

with open(os.path.join(os.path.dirname(__file__), "data",
                       "primitives_api_reference.json")) as f:
    REFERENCE = json.load(f)["api"]
NAMES = sorted(REFERENCE)
OWNER = {name: p for p in primitives.PRIMITIVES
         for name in ((p.public,) if p.public else ()) + p.aliases}


def _operands(p, requires_grad=False):
    if p.result == "integer":
        return (lt.tensor([6, 3]), lt.tensor([1, 2]))[:p.arity]
    x = lt.tensor([0.5, 0.75], requires_grad=requires_grad)
    y = lt.tensor([2.0, 0.25], requires_grad=requires_grad)
    return (x > 0.6, x, y) if p.name == "where" else (x, y)[:p.arity]


def test_the_reference_covers_every_public_name():
    assert set(NAMES) == set(OWNER)


@pytest.mark.parametrize("name", NAMES)
def test_function_methods_and_out_as_in_pytorch(name):
    ref, p = REFERENCE[name], OWNER[name]
    assert hasattr(lt, name) == ref["function"]
    assert hasattr(lt.Tensor, name) == ref["method"]
    assert hasattr(lt.Tensor, name + "_") == ref["inplace_method"]
    assert p.inplace == ref["inplace_method"] and p.out == ref["out"]
    args = _operands(p)
    expected = getattr(lt, name)(*args)
    out = lt.empty(2, dtype=expected.dtype)
    if ref["out"]:
        assert getattr(lt, name)(*args, out=out) is out
        np.testing.assert_array_equal(out.numpy(), expected.numpy())     # NaN equal to NaN
    else:
        with pytest.raises(TypeError):
            getattr(lt, name)(*args, out=out)


@pytest.mark.parametrize("name", NAMES)
def test_grad_fn_names_as_in_pytorch(name):
    p = OWNER[name]
    result = getattr(lt, name)(*_operands(p, requires_grad=p.result != "integer"))
    got = result.grad_fn.name() if result.grad_fn is not None else None
    assert got == REFERENCE[name]["grad_fn"]
    if p.backward_name != primitives.CALL_DEPENDENT:
        assert p.backward_name == REFERENCE[name]["grad_fn"]


def test_generated_functions_are_named_and_documented():
    for p in primitives.PRIMITIVES:
        if p.public and not p.custom_function:
            fn = getattr(lt.elementwise, p.public)
            assert fn.__name__ == p.public and fn.__doc__.startswith(p.public + "(input")
            assert p.doc and p.doc in fn.__doc__


def _fields(spelling):
    return {f for _, f, _, _ in string.Formatter().parse(spelling) if f}


def test_every_libm_function_a_spelling_calls_is_declared_in_the_c_prelude():
    x = lt.tensor([0.5, 0.75])
    source = lt.explain(x.cosh()).source
    declared = set(re.findall(r"LT_LIBM([12])\((\w+)\)", source))
    for p in primitives.PRIMITIVES:
        for spelling in filter(None, (p.c_float, p.c_int, p.c_bool)):
            for name in _fields(spelling) - {"x", "y", "z", "ctype", "kind", "fma"}:
                assert (str(p.arity), name) in declared, (p.name, name)
    assert ("2", "pow") in declared and "double fma(double, double, double);" in source


def test_each_spelling_renders_for_its_operand_types():
    d = CDialect()
    for p in primitives.PRIMITIVES:
        if p.name == "pow":
            continue
        operands = ["a", "b", "c"][:p.arity]
        for src, spelling in (("float32", p.c_float), ("int32", p.c_int),
                              ("bool", p.c_bool or p.c_int)):
            if spelling is None:
                continue
            helpers = set()
            text = d.op(p.name, src, "float32", operands, helpers)
            assert "{" not in text and all(o in text for o in operands), (p.name, text)
            assert bool(helpers) == ("lt_" in text), (p.name, text, helpers)
    assert d.op("cosh", "float64", "float64", ["a"], set()) == "cosh(a)"
    assert d.op("cosh", "float32", "float32", ["a"], set()) == "coshf(a)"
