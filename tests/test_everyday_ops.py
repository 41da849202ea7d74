"""Everyday ops of issue 17 item 3: scatter_reduce / index_reduce, multinomial, linalg.lstsq
/ pinv, the legacy torch.Tensor(...) constructors. Expected values come from a plain Python
loop of the documented definition, from NumPy, or from PyTorch 2.13 (stored once in
tests/data); messages are PyTorch 2.13's."""
import itertools
import json
import math
import os
import sys
import warnings

import numpy as np
import pytest

import lazytensor as lt

HERE = os.path.dirname(os.path.abspath(__file__))


# -- scatter_reduce / index_reduce -----------------------------------------------------------------
def _reference_scatter_reduce(self, dim, index, src, reduce, include_self):
    """The documented definition, one element at a time (integer mean rounds down)."""
    out = np.array(self, dtype=np.float64)
    index = np.asarray(index)
    src = np.asarray(src, dtype=np.float64)
    groups = {}
    for pos in itertools.product(*(range(n) for n in index.shape)):
        target = list(pos)
        target[dim] = index[pos]
        groups.setdefault(tuple(target), []).append(src[pos])
    for target, values in groups.items():
        values = ([out[target]] if include_self else []) + values
        if reduce == "sum":
            out[target] = sum(values)
        elif reduce == "prod":
            out[target] = math.prod(values)
        elif reduce == "amax":
            out[target] = max(values)
        elif reduce == "amin":
            out[target] = min(values)
        else:
            out[target] = sum(values) / len(values)
            if not np.issubdtype(np.asarray(self).dtype, np.floating):
                out[target] = math.floor(sum(values) / len(values))
    return out


REDUCES = ("sum", "prod", "mean", "amax", "amin")


@pytest.mark.parametrize("reduce", REDUCES)
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_scatter_reduce_matches_definition(reduce, include_self, dtype):
    rng = np.random.default_rng(3)
    self = rng.integers(-5, 6, (4, 5)).astype(dtype)
    index = rng.integers(0, 4, (6, 3))
    src = rng.integers(-5, 6, (7, 4)).astype(dtype)
    expected = _reference_scatter_reduce(self, 0, index, src, reduce, include_self)
    got = lt.tensor(self).scatter_reduce(0, lt.tensor(index), lt.tensor(src), reduce,
                                         include_self=include_self)
    assert got.dtype == getattr(lt, dtype)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
    along_1 = _reference_scatter_reduce(self, 1, index[:4, :3] % 5, src, reduce, include_self)
    got = lt.scatter_reduce(lt.tensor(self), 1, lt.tensor(index[:4, :3] % 5), lt.tensor(src),
                            reduce=reduce, include_self=include_self)
    np.testing.assert_allclose(got.numpy(), along_1, rtol=1e-12)


def test_scatter_reduce_pytorch_values():
    x = lt.tensor([1., 2, 3, 4])
    i = lt.tensor([0, 1, 0, 1, 2, 1])
    s = lt.tensor([1., 2, 3, 4, 5, 6])
    # PyTorch 2.13's results
    assert x.scatter_reduce(0, i, s, "sum").tolist() == [5, 14, 8, 4]
    assert x.scatter_reduce(0, i, s, "prod", include_self=False).tolist() == [3, 48, 5, 4]
    assert x.scatter_reduce(0, i, s, "mean", include_self=False).tolist() == [2, 4, 5, 4]
    assert x.scatter_reduce(0, i, s, "amin", include_self=False).tolist() == [1, 2, 5, 4]
    assert x.scatter_reduce(0, i, s, "max").tolist() == [3, 6, 5, 4]    # legacy name
    # integer mean rounds down (floor, not towards zero); counts include self when asked
    xi = lt.tensor([1, 2])
    assert xi.scatter_reduce(0, lt.tensor([0, 0, 0]), lt.tensor([-3, 4, -6]), "mean",
                             include_self=False).tolist() == [-2, 2]
    assert xi.scatter_reduce(0, lt.tensor([0, 0, 0]), lt.tensor([-3, 4, -6]),
                             "mean").tolist() == [-1, 2]
    # int8 sums wrap before the division, as PyTorch's do
    small = lt.tensor([1, 2], dtype=lt.int8)
    assert small.scatter_reduce(0, lt.tensor([0, 0]), lt.tensor([100, 100], dtype=lt.int8),
                                "mean").tolist() == [-19, 2]
    # bool: sum and amax are or, prod and amin are and
    b = lt.tensor([True, False])
    assert b.scatter_reduce(0, lt.tensor([0, 1]), lt.tensor([False, True]),
                            "sum").tolist() == [True, True]
    assert b.scatter_reduce(0, lt.tensor([0, 1]), lt.tensor([False, True]),
                            "amin").tolist() == [False, False]
    # NaN wins amax / amin either way
    got = lt.tensor([1., float("nan")]).scatter_reduce(
        0, lt.tensor([0, 1, 0]), lt.tensor([float("nan"), 1, 2]), "amax")
    assert np.isnan(got.numpy()).all()
    # a 0-d self takes a 1-d index
    assert lt.tensor(5.).scatter_reduce(0, lt.tensor([0, 0]), lt.tensor([3., 4]),
                                        "sum").item() == 12


def test_scatter_reduce_half_types_accumulate_in_float():
    """PyTorch's scatter_reduce sums float16/bfloat16 in float32 and rounds once, and the
    mean divides the rounded sum."""
    for dtype, big, total, mean in ((lt.float16, 2048, 2052, 410.5),
                                    (lt.bfloat16, 256, 260, 52)):
        src = lt.tensor([big, 1, 1, 1], dtype=dtype)
        zeros = lt.zeros(4, dtype=dtype)
        where = lt.tensor([0, 0, 0, 0])
        assert zeros.scatter_reduce(0, where, src, "sum").float().tolist()[0] == total
        got = zeros.scatter_reduce(0, where, src, "mean")           # 5 values: self's too
        assert got.dtype is dtype and got.float().tolist()[0] == mean


def test_scatter_reduce_in_place_and_untouched_inputs():
    x = lt.tensor([[1., 2, 3], [4, 5, 6]])
    i = lt.tensor([[1, 0, 1]])
    s = lt.tensor([[10., 20, 30]])
    view = x[:]
    assert x.scatter_reduce_(0, i, s, "sum") is x
    assert view.tolist() == [[1, 22, 3], [14, 5, 36]]
    assert s.tolist() == [[10, 20, 30]]


def _raises(exc, message, fn):
    with pytest.raises(exc) as info:
        fn()
    assert str(info.value) == message


def test_scatter_reduce_errors():
    x = lt.zeros(4)
    i = lt.tensor([0, 1])
    s = lt.ones(2)
    _raises(RuntimeError, "reduce argument must be either sum, prod, mean, amax or amin, got "
            "add", lambda: x.scatter_reduce(0, i, s, "add"))
    _raises(RuntimeError, "scatter(): Expected dtype int32/int64 for index",
            lambda: x.scatter_reduce(0, i.float(), s.double(), "bad"))
    _raises(RuntimeError, "scatter(): Expected self.dtype to be equal to src.dtype",
            lambda: x.scatter_reduce(0, i, s.double(), "bad"))
    _raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got "
            "5)", lambda: x.scatter_reduce(5, i, s, "sum"))
    _raises(RuntimeError, "Index tensor must have the same number of dimensions as self tensor",
            lambda: x.scatter_reduce(0, lt.tensor([[0, 1]]), s, "sum"))
    _raises(RuntimeError, "Expected index [2] to be no larger than self [4] apart from "
            "dimension 0 and to be no larger size than src [1]",
            lambda: x.scatter_reduce(0, i, lt.ones(1), "sum"))
    _raises(RuntimeError, "Index tensor must have the same number of dimensions as src tensor",
            lambda: x.scatter_reduce(0, i, lt.ones(2, 2), "sum"))
    _raises(RuntimeError, "index 9 is out of bounds for dimension 0 with size 4",
            lambda: x.scatter_reduce(0, lt.tensor([0, 9]), s, "sum"))
    _raises(RuntimeError, "index -1 is out of bounds for dimension 0 with size 4",
            lambda: x.scatter_reduce(0, lt.tensor([0, -1]), s, "sum"))
    _raises(NotImplementedError, "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented "
            "for 'Bool'", lambda: x.bool().scatter_reduce(0, i, s.bool(), "mean"))
    _raises(TypeError, "scatter_reduce(): argument 'src' (position 3) must be Tensor, not "
            "float", lambda: x.scatter_reduce(0, i, 2.0, "sum"))
    _raises(TypeError, 'scatter_reduce() missing 1 required positional arguments: "reduce"',
            lambda: lt.scatter_reduce(x, 0, i, s))
    _raises(TypeError, "scatter_reduce(): argument 'include_self' must be bool, not int",
            lambda: x.scatter_reduce(0, i, s, "sum", include_self=1))
    _raises(RuntimeError, "unsupported operation: more than one element of the written-to "
            "tensor refers to a single memory location. Please clone() the tensor before "
            "performing the operation.",
            lambda: x.expand(2, 4).scatter_reduce_(1, lt.tensor([[0], [1]]), lt.ones(2, 1),
                                                   "sum"))
    assert x.tolist() == [0, 0, 0, 0]                 # a failed call changed nothing
    # an empty index changes nothing and skips the index checks, as PyTorch does
    assert x.scatter_reduce(0, lt.zeros(0), s, "sum").tolist() == [0, 0, 0, 0]


def test_scatter_reduce_without_derivative_says_so_at_backward():
    x = lt.ones(3, requires_grad=True)
    y = x.scatter_reduce(0, lt.tensor([0, 0]), lt.ones(2), "sum")
    assert type(y.grad_fn).__name__ == "ScatterReduceBackward0"
    with pytest.raises(NotImplementedError, match="scatter_reduce"):
        y.sum().backward()


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce_matches_definition(reduce, include_self):
    rng = np.random.default_rng(5)
    self = rng.integers(-4, 5, (5, 3)).astype(np.float64)
    index = np.array([0, 2, 0, 4, 2, 0])
    source = rng.integers(-4, 5, (6, 3)).astype(np.float64)
    spread = np.broadcast_to(index[:, None], source.shape)
    expected = _reference_scatter_reduce(self, 0, spread, source, reduce, include_self)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = lt.tensor(self).index_reduce(0, lt.tensor(index), lt.tensor(source), reduce,
                                           include_self=include_self)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
        along_1 = lt.index_reduce(lt.tensor(self.T.copy()), 1, lt.tensor(index),
                                  lt.tensor(source.T.copy()), reduce,
                                  include_self=include_self)
    np.testing.assert_allclose(along_1.numpy(), expected.T, rtol=1e-12)


def test_index_reduce_pytorch_values():
    x = lt.arange(1, 13).reshape(4, 3)
    i = lt.tensor([0, 2, 0])
    s = lt.tensor([[2, 3, 4], [5, 6, 7], [-1, 8, -9]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # PyTorch 2.13's integer means (floor)
        assert x.index_reduce(0, i, s, "mean").tolist() == [[0, 4, -1], [4, 5, 6], [6, 7, 8],
                                                            [10, 11, 12]]
        assert x.index_reduce(0, i, s, "mean", include_self=False).tolist()[0] == [0, 5, -3]
        # index_reduce rounds float16/bfloat16 after every step (2048 + 1 is 2048)
        for dtype, big in ((lt.float16, 2048), (lt.bfloat16, 256)):
            got = lt.zeros(4, 1, dtype=dtype).index_reduce(
                0, lt.tensor([0, 0, 0, 0]), lt.tensor([[big], [1], [1], [1]], dtype=dtype),
                "mean", include_self=False)
            assert got.float().tolist()[0] == [big / 4]
        y = x.float()
        assert y.index_reduce_(1, lt.tensor([2, 2]), lt.ones(4, 2) * 3, "prod") is y
        assert y[:, 2].tolist() == [27, 54, 81, 108]


def test_index_reduce_warns_once_like_pytorch():
    sys.modules["lazytensor.scatter_reduce"]._warned_beta.clear()
    with pytest.warns(UserWarning, match=r"index_reduce\(\) is in beta"):
        lt.ones(2).index_reduce(0, lt.tensor([0]), lt.ones(1), "prod")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lt.ones(2).index_reduce(0, lt.tensor([0]), lt.ones(1), "prod")


def test_index_reduce_errors():
    x = lt.zeros(4, 2)
    s = lt.ones(2, 2)
    i = lt.tensor([0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _raises(RuntimeError, "index_reduce(): Expected reduce to be one of prod, mean, amax or "
                "amin but got sum.", lambda: x.index_reduce(0, i, s, "sum"))
        _raises(IndexError, "index_reduce_(): Index is supposed to be a vector, but got dim: 2 "
                "with type: Float and size: [1, 2]",
                lambda: x.index_reduce(0, lt.zeros(1, 2), s, "prod"))
        _raises(RuntimeError, "index_reduce_(): Expected dtype int32/int64 for index but got: "
                "Float", lambda: x.index_reduce(0, i.float(), s.double(), "prod"))
        _raises(RuntimeError, "index_reduce_(): self (Float) and source (Double) must have the "
                "same scalar type", lambda: x.index_reduce(0, lt.tensor([0, 9]), s.double(),
                                                           "prod"))
        _raises(RuntimeError, "index_reduce_(): Number of indices (3) should be equal to "
                "source.size(dim): (2), for dim: 0",
                lambda: x.index_reduce(0, lt.tensor([0, 1, 2]), s, "prod"))
        _raises(RuntimeError, "source tensor shape must match self tensor shape, excluding the "
                "specified dimension. Got self.shape = [4, 2] source.shape = [2, 3]",
                lambda: x.index_reduce(0, i, lt.ones(2, 3), "prod"))
        _raises(IndexError, "index out of range in self",
                lambda: x.index_reduce(0, lt.tensor([0, 9]), s, "prod"))
        _raises(IndexError, "index out of range in self",
                lambda: x.bool().index_reduce(0, lt.tensor([0, 9]), s.bool(), "prod"))
        _raises(NotImplementedError, "\"index_func_\" not implemented for 'Bool'",
                lambda: x.bool().index_reduce(0, i, s.bool(), "amax"))
        _raises(TypeError, "index_reduce(): argument 'index' (position 2) must be Tensor, not "
                "list", lambda: x.index_reduce(0, [0, 1], s, "prod"))
    assert x.tolist() == [[0, 0]] * 4


# -- multinomial -----------------------------------------------------------------------------------
with open(os.path.join(HERE, "data", "multinomial_reference.json")) as _f:
    MULTINOMIAL = json.load(_f)["cases"]


@pytest.mark.parametrize("case", MULTINOMIAL, ids=[c["name"] for c in MULTINOMIAL])
def test_multinomial_draws_pytorchs_indices(case):
    probs, dtype, num_samples, replacement, seed, use_generator = case["args"]
    p = lt.tensor(probs, dtype=getattr(lt, dtype))
    if use_generator:
        g = lt.Generator().manual_seed(seed)
        got = lt.multinomial(p, num_samples, replacement, generator=g)
        after = lt.rand(2, generator=g)
    else:
        lt.manual_seed(seed)
        got = p.multinomial(num_samples, replacement=replacement)
        after = lt.rand(2)
    assert got.dtype is lt.int64
    assert got.tolist() == case["indices"]
    assert after.tolist() == case["after"]          # the generator moved as PyTorch's does


def test_multinomial_without_replacement_never_repeats():
    lt.manual_seed(0)
    rows = lt.multinomial(lt.rand(50, 20) + 0.01, 20).tolist()
    assert all(sorted(row) == list(range(20)) for row in rows)


def test_multinomial_errors_draw_nothing():
    p = lt.tensor([0.1, 0.2, 0.3, 0.4])
    cases = [
        (RuntimeError, "cannot sample n_sample > prob_dist.size(-1) samples without "
         "replacement", lambda: lt.multinomial(p, 5)),
        (RuntimeError, "cannot sample n_sample <= 0 samples", lambda: lt.multinomial(p, 0)),
        (RuntimeError, "multinomial only supports floating-point dtypes for input, got: Long",
         lambda: lt.multinomial(lt.tensor([1, 2]), 1)),
        (RuntimeError, "prob_dist must be 1 or 2 dim", lambda: lt.multinomial(lt.tensor(1.), 1)),
        (RuntimeError, "prob_dist must be 1 or 2 dim",
         lambda: lt.multinomial(lt.ones(2, 2, 2), 1)),
        (RuntimeError, "probability tensor contains either `inf`, `nan` or element < 0",
         lambda: lt.multinomial(lt.tensor([1., -1.]), 1)),
        (RuntimeError, "probability tensor contains either `inf`, `nan` or element < 0",
         lambda: lt.multinomial(lt.tensor([1., float("nan")]), 1, True)),
        (RuntimeError, "invalid multinomial distribution (sum of probabilities <= 0)",
         lambda: lt.multinomial(lt.tensor([[1., 1.], [0., 0.]]), 1)),
        (RuntimeError, "invalid multinomial distribution (encountering probability entry < 0)",
         lambda: lt.multinomial(lt.tensor([[1., 2], [-1., 0.]]), 2, True)),
        (RuntimeError, "invalid multinomial distribution (encountering probability entry < 0)",
         lambda: lt.multinomial(lt.tensor([1., float("nan")]), 2, True)),
        (RuntimeError, "invalid multinomial distribution (encountering probability entry = "
         "infinity or NaN)", lambda: lt.multinomial(lt.tensor([1., float("inf")]), 2, True)),
        (RuntimeError, "invalid multinomial distribution (sum of probabilities <= 0)",
         lambda: lt.multinomial(lt.tensor([0., 0.]), 2, True)),
        (TypeError, "multinomial(): argument 'num_samples' (position 2) must be int, not float",
         lambda: lt.multinomial(p, 2.0)),
    ]
    for exc, message, fn in cases:
        lt.manual_seed(4)
        _raises(exc, message, fn)
        assert lt.initial_seed() == 4
        assert lt.rand(1).tolist() == pytest.approx([0.5596], abs=1e-4)    # nothing was drawn
    assert lt.multinomial(lt.zeros(0, 3), 2).shape == (0, 2)

