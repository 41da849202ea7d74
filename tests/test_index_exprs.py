"""Index expressions as trees (codegen/index.py): their C text, canonical form and bounds."""
from lazytensor.codegen.index import (ZERO, Const, Quotient, Remainder, Var, add, magnitude,
                                      scaled, terms)

i, j = Var("i0"), Var("i1")


def test_c_text_and_canonical_form():
    e = add([scaled(i, 12), scaled(j, 1), Const(3)])
    assert str(e) == "i0*12 + i1 + 3"
    assert add([ZERO, scaled(j, 0)]) == ZERO and add([j]) == j
    assert add([add([i, j]), Const(5)]) == add([i, add([j, Const(5)])])    # sums flattened
    assert str(Remainder(Quotient(add([i, j]), 4), 3)) == "((i0 + i1) / 4) % 3"
    assert str(scaled(add([i, j]), -1)) == "(i0 + i1)*-1"
    assert terms(e) == (scaled(i, 12), j, Const(3)) and e.variables() == {"i0", "i1"}


def test_magnitude_is_the_worst_part_of_an_index():
    ranges = {"i0": 9, "i1": 11}
    assert magnitude(add([scaled(i, 12), j]), ranges) == 9 * 12 + 11
    assert magnitude(add([scaled(i, -12), Const(200)]), ranges) == 200     # a flipped view
    assert magnitude(Remainder(Quotient(scaled(i, 100), 7), 5), ranges) == 900
    assert magnitude(add([i, Var("merged")]), ranges) is None              # unknown variable
