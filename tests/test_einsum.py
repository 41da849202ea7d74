"""Tests for lazytensor/einsum.py. Expected values are NumPy's np.einsum on the same
equations (float64 inputs, so sums in a different order agree to rounding); messages are
PyTorch 2.13's."""
import numpy as np
import pytest

import lazytensor as lt

R = np.random.default_rng(0)


def arr(*shape):
    return R.standard_normal(shape)


CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("iii->i", [(2, 2, 2)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,i->", [(5,), (5,)]),
    ("ij,ij,ij->i", [(2, 3), (2, 3), (2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),
    ("...ij->...ji", [(5, 2, 3)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 4)]),
    ("ij,kj->ik", [(1, 3), (4, 3)]),
    ("ba,ab->", [(3, 2), (2, 3)]),
]


@pytest.mark.parametrize("equation,shapes", CASES)
def test_einsum_matches_numpy(equation, shapes):
    inputs = [arr(*s) for s in shapes]
    got = lt.einsum(equation, *[lt.tensor(x) for x in inputs])
    want = np.einsum(equation, *inputs)
    assert got.dtype == lt.float64 and tuple(got.shape) == want.shape
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)


def test_einsum_broadcasts_size_one_dims_promotes_and_takes_a_list():
    a, b = arr(1, 3), arr(4, 3)
    np.testing.assert_allclose(np.asarray(lt.einsum("ij,ij->ij", lt.tensor(a), lt.tensor(b))),
                               a * b)
    out = lt.einsum("i,j->ij", lt.tensor([1, 2]), lt.tensor([3.0, 4.0]))
    assert out.dtype == lt.float32 and out.tolist() == [[3.0, 4.0], [6.0, 8.0]]
    assert lt.einsum("i,i", [lt.tensor([1, 2]), lt.tensor([3, 4])]).item() == 11


def test_einsum_refusals():
    a = lt.ones(2, 3)
    with pytest.raises(RuntimeError, match="einsum\\(\\): subscript j has size 2 for operand 1 "
                                           "which does not broadcast with previously seen "
                                           "size 3"):
        lt.einsum("ij,jk->ik", a, a)
    with pytest.raises(RuntimeError, match="einsum\\(\\): output subscript k does not appear "
                                           "in the equation for any input operand"):
        lt.einsum("ij->k", a)
    with pytest.raises(RuntimeError, match="einsum\\(\\): more operands were provided than "
                                           "specified in the equation"):
        lt.einsum("ij", a, a)
