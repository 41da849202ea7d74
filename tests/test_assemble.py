"""kron, block_diag, diag_embed, tril/triu_indices, cartesian_prod, combinations and
repeat_interleave; expected values from NumPy / itertools or as PyTorch 2.13 prints them."""
import itertools

import numpy as np
import pytest

import lazytensor as lt


def test_kron_matches_numpy():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([[0, 1], [1, -2]], np.float32)
    assert np.array_equal(lt.kron(lt.tensor(a), lt.tensor(b)).numpy(), np.kron(a, b))
    assert np.array_equal(lt.tensor(a[0]).kron(lt.tensor(b)).numpy(), np.kron(a[0], b))
    assert lt.kron(lt.tensor(3.0), lt.tensor([1.0, 2.0])).tolist() == [3.0, 6.0]


def test_block_diag():
    r = lt.block_diag(lt.tensor([[1, 2]]), lt.tensor(3), lt.tensor([4.0, 5.0]))
    assert r.dtype == lt.float32
    assert r.tolist() == [[1, 2, 0, 0, 0], [0, 0, 3, 0, 0], [0, 0, 0, 4, 5]]
    assert lt.block_diag().shape == (1, 0)
    with pytest.raises(RuntimeError, match="^torch.block_diag: Input tensors must have 2 or "
                                           "fewer dimensions. Input 0 has 3 dimensions$"):
        lt.block_diag(lt.zeros(2, 2, 2))


def test_diag_embed_puts_the_last_dim_on_diagonals():
    r = lt.diag_embed(lt.tensor([[1, 2], [3, 4]]))
    assert r.tolist() == [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]
    assert lt.diag_embed(lt.tensor([1.0, 2.0]), offset=1).tolist() == \
        [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
    x = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3)
    r = lt.tensor(x).diag_embed(offset=-1, dim1=0, dim2=2).numpy()
    assert r.shape == (4, 2, 4)
    for k in range(2):
        assert np.array_equal(r[:, k, :], np.diag(x[k], -1))


def test_index_tables_match_numpy():
    assert lt.tril_indices(3, 3).tolist() == [list(v) for v in np.tril_indices(3, 0, 3)]
    assert lt.tril_indices(4, 3, 1).tolist() == [list(v) for v in np.tril_indices(4, 1, 3)]
    assert lt.triu_indices(3, 4, -1).tolist() == [list(v) for v in np.triu_indices(3, -1, 4)]


def test_cartesian_prod_and_combinations_follow_itertools():
    a, b = [1, 2], [3, 4, 5]
    assert lt.cartesian_prod(lt.tensor(a), lt.tensor(b)).tolist() == \
        [list(p) for p in itertools.product(a, b)]
    assert lt.cartesian_prod(lt.tensor(a)).tolist() == a
    x = lt.tensor([1, 2, 3])
    assert lt.combinations(x).tolist() == [list(c) for c in itertools.combinations([1, 2, 3], 2)]
    assert lt.combinations(x, r=3).tolist() == [[1, 2, 3]]
    assert lt.combinations(x, with_replacement=True).tolist() == \
        [list(c) for c in itertools.combinations_with_replacement([1, 2, 3], 2)]
    assert lt.combinations(lt.tensor([1, 2]), r=3).shape == (0, 3)
    assert lt.combinations(lt.tensor([1, 2]), r=0).shape == (0,)


def test_repeat_interleave():
    i = lt.arange(6).reshape(2, 3)
    assert lt.repeat_interleave(i, 2).tolist() == np.repeat(np.arange(6), 2).tolist()
    assert i.repeat_interleave(2, dim=0).tolist() == [[0, 1, 2]] * 2 + [[3, 4, 5]] * 2
    assert i.repeat_interleave(lt.tensor([1, 0, 2]), dim=1).tolist() == [[0, 2, 2], [3, 5, 5]]
    assert i.repeat_interleave(lt.tensor(3), dim=0).shape == (6, 3)
    assert lt.repeat_interleave(lt.tensor([2, 1, 3])).tolist() == [0, 0, 1, 2, 2, 2]
    with pytest.raises(RuntimeError, match=r"^repeats must have the same size as input along "
                                           r"dim, but got repeats.size\(0\) = 2 and "
                                           r"input.size\(1\) = 3$"):
        i.repeat_interleave(lt.tensor([1, 2]), dim=1)
    with pytest.raises(RuntimeError, match="^Repeats must be non-negative$"):
        i.repeat_interleave(-1)
    with pytest.raises(RuntimeError, match="^repeats can not be negative$"):
        i.repeat_interleave(lt.tensor([1, -1, 1]), dim=1)
