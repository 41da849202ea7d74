"""addmm, addmv, addbmm, baddbmm, tensordot, cdist, index_add, index_copy and logspace against
NumPy's formulas (their gradients: tests/test_gradients.py's finite differences)."""
import numpy as np
import pytest

import lazytensor as torch

RNG = np.random.default_rng(4)


def _t(a):
    return torch.tensor(a)


def test_scaled_products_match_numpy():
    a, m1, m2 = (RNG.random(s) for s in ((2, 4), (2, 3), (3, 4)))
    np.testing.assert_allclose(torch.addmm(_t(a), _t(m1), _t(m2), beta=0.5, alpha=2).numpy(),
                               0.5 * a + 2 * m1 @ m2, rtol=1e-12)
    nan = np.full((2, 4), np.nan)         # beta = 0: the input is ignored, NaN included
    np.testing.assert_allclose(_t(nan).addmm(_t(m1), _t(m2), beta=0).numpy(), m1 @ m2,
                               rtol=1e-12)
    v, x = RNG.random(3), RNG.random(2)
    np.testing.assert_allclose(torch.addmv(_t(x), _t(m1), _t(v), alpha=3).numpy(),
                               x + 3 * m1 @ v, rtol=1e-12)
    b1, b2, c = RNG.random((5, 2, 3)), RNG.random((5, 3, 4)), RNG.random((5, 2, 4))
    np.testing.assert_allclose(torch.baddbmm(_t(c), _t(b1), _t(b2), beta=2).numpy(),
                               2 * c + b1 @ b2, rtol=1e-12)
    np.testing.assert_allclose(torch.addbmm(_t(a), _t(b1), _t(b2)).numpy(),
                               a + (b1 @ b2).sum(0), rtol=1e-12)
    with pytest.raises(RuntimeError, match=r"^The expanded size of the tensor \(4\) must match "
                                           r"the existing size \(5\) at non-singleton"):
        torch.addmm(torch.ones(2, 5), _t(m1), _t(m2), beta=0)   # ignored, still checked
    with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(2x3 and 4x4\)"):
        torch.addmm(_t(a), _t(m1), _t(RNG.random((4, 4))))


def test_tensordot_matches_numpy():
    a, b = RNG.random((2, 3, 4)), RNG.random((4, 3, 5))
    np.testing.assert_allclose(torch.tensordot(_t(a), _t(b), dims=([1, 2], [1, 0])).numpy(),
                               np.tensordot(a, b, axes=([1, 2], [1, 0])), rtol=1e-12)
    np.testing.assert_allclose(torch.tensordot(_t(a), _t(b[:, :, 0].T), dims=2).numpy(),
                               np.tensordot(a, b[:, :, 0].T, axes=2), rtol=1e-12)
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        torch.tensordot(_t(a), _t(b), dims=([0], [0]))


def test_cdist_matches_numpy_for_each_p():
    x1, x2 = RNG.random((2, 4, 3)), RNG.random((2, 5, 3))
    x2[:, 0] = x1[:, 1]                  # a distance of zero
    diff = x1[:, :, None, :] - x2[:, None, :, :]
    expected = {0: (diff != 0).sum(-1), 1: np.abs(diff).sum(-1),
                2: np.sqrt((diff ** 2).sum(-1)), 3.5: (np.abs(diff) ** 3.5).sum(-1) ** (1 / 3.5),
                float("inf"): np.abs(diff).max(-1)}
    for p, want in expected.items():
        np.testing.assert_allclose(torch.cdist(_t(x1), _t(x2), p=p).numpy(), want,
                                   rtol=1e-12, err_msg=str(p))
    a = _t(x1[0]).requires_grad_()
    torch.cdist(a, _t(x2[0])).sum().backward()   # no NaN where a distance is zero
    assert not np.isnan(a.grad.numpy()).any()


def test_index_add_and_index_copy():
    src = np.arange(9.).reshape(3, 3)
    got = torch.zeros(4, 3).index_add(0, torch.tensor([0, 2, 0]), _t(src), alpha=2)
    want = np.zeros((4, 3))
    np.add.at(want, [0, 2, 0], 2 * src)
    np.testing.assert_array_equal(got.numpy(), want)
    z = torch.zeros(2, 3)
    z.index_copy_(1, torch.tensor([2, 0]), torch.tensor([[1., 2.], [3., 4.]]))
    assert z.tolist() == [[2., 0., 1.], [4., 0., 3.]]
    with pytest.raises(RuntimeError, match=r"Number of indices \(2\) should be equal to "
                                           r"source.size\(dim\) \(3\)"):
        torch.zeros(4, 3).index_add_(0, torch.tensor([0, 1]), _t(src))


def test_logspace_matches_numpy():
    np.testing.assert_array_equal(torch.logspace(0, 2, 5).numpy(),
                                  np.logspace(0, 2, 5).astype(np.float32))
    np.testing.assert_array_equal(torch.logspace(-3, 3, 7, base=2).numpy(),
                                  np.logspace(-3, 3, 7, base=2).astype(np.float32))
    np.testing.assert_allclose(torch.logspace(0.1, 1.7, 11, dtype=torch.float64).numpy(),
                               np.logspace(0.1, 1.7, 11), rtol=1e-15)
    assert torch.logspace(0, 3, 4, dtype=torch.int64).tolist() == [1, 10, 100, 1000]
