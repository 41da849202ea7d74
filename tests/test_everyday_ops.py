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


def test_scatter_reduce_records_its_own_node():
    x = lt.ones(3, requires_grad=True)
    y = x.scatter_reduce(0, lt.tensor([0, 0]), lt.ones(2), "sum")
    assert type(y.grad_fn).__name__ == "ScatterReduceBackward0"
    y.sum().backward()          # its gradients: tests/test_more_gradients.py
    assert x.grad.tolist() == [1., 1., 1.]


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



# -- the legacy constructors ---------------------------------------------------------------------
def test_legacy_tensor_constructor_forms():
    t = lt.Tensor(2, 3)
    assert type(t) is lt.Tensor and t.dtype is lt.float32 and t.shape == (2, 3)
    data = lt.Tensor([[1, 2], [3, 4.5]])
    assert data.dtype is lt.float32 and data.tolist() == [[1, 2], [3, 4.5]]
    assert lt.Tensor([True, False]).tolist() == [1.0, 0.0]
    assert lt.Tensor(np.array([1, 2])).dtype is lt.float32
    assert lt.Tensor((1, 2)).tolist() == [1.0, 2.0]           # a tuple is data, not a size
    empty = lt.Tensor()
    assert empty.shape == (0,) and empty.dtype is lt.float32
    assert lt.Tensor(0).shape == (0,)
    assert lt.Tensor(lt.Size([2])).shape == (2,)
    assert lt.Tensor(size=(2, 1)).shape == (2, 1)
    assert lt.Tensor(2, 3, device="cpu").shape == (2, 3)


def test_legacy_tensor_of_a_tensor_is_an_alias():
    base = lt.tensor([1, 2])
    alias = lt.Tensor(base)
    assert alias is not base and alias.dtype is lt.int64       # no conversion
    alias[0] = 7
    assert base.tolist() == [7, 2]
    x = lt.tensor([1., 2.], requires_grad=True)
    y = lt.Tensor(x)
    assert y.requires_grad
    (y * 3).sum().backward()
    assert x.grad.tolist() == [3, 3]


def test_legacy_constructor_follows_the_default_dtype():
    lt.set_default_dtype(lt.float64)
    try:
        assert lt.Tensor([1]).dtype is lt.float64
    finally:
        lt.set_default_dtype(lt.float32)


def test_legacy_constructor_errors():
    _raises(TypeError, "new(): data must be a sequence (got float)", lambda: lt.Tensor(2.5))
    _raises(TypeError, "new(): data must be a sequence (got bool)", lambda: lt.Tensor(True))
    _raises(TypeError, "new(): data must be a sequence (got NoneType)", lambda: lt.Tensor(None))
    _raises(TypeError, "new(): data must be a sequence (got numpy.float32)",
            lambda: lt.Tensor(np.float32(2)))
    _raises(TypeError, "new(): invalid data type 'str'", lambda: lt.Tensor("a"))
    _raises(RuntimeError, "Trying to create tensor with negative dimension -1: [-1]",
            lambda: lt.Tensor(-1))
    _raises(TypeError, "new(): argument 'size' failed to unpack the object at pos 2 with error "
            "\"type must be tuple of ints,but got float\"", lambda: lt.Tensor(2, 3.0))
    signatures = (" * (*, torch.device device = None)\n{}"
                  " * (torch.Storage storage)\n"
                  " * (Tensor other)\n"
                  " * (tuple of ints size, *, torch.device device = None)\n"
                  " * (object data, *, torch.device device = None)\n")
    _raises(TypeError, "new() received an invalid combination of arguments - got (list, "
            "dtype=torch.dtype), but expected one of:\n" + signatures.format(
                "      didn't match because some of the keywords were incorrect: dtype\n"),
            lambda: lt.Tensor([1], dtype=lt.float64))
    _raises(TypeError, "new() received an invalid combination of arguments - got (list, list), "
            "but expected one of:\n" + signatures.format(
                "      didn't match because some of the arguments have invalid types: "
                "(!list of [int, int]!, !list of [int]!)\n"),
            lambda: lt.Tensor([1, 2], [3]))
    _raises(TypeError, "new() received an invalid combination of arguments - got (torch.Size, "
            "int), but expected one of:\n" + signatures.format(
                "      didn't match because some of the arguments have invalid types: "
                "(!torch.Size of (int,)!, !int!)\n"),
            lambda: lt.Tensor(lt.Size([2]), 3))
    _raises(ValueError, "expected sequence of length 2 at dim 1 (got 1)",
            lambda: lt.Tensor([[1, 2], [3]]))


def test_typed_legacy_constructors():
    assert lt.FloatTensor([1, 2]).dtype is lt.float32
    assert lt.LongTensor([1, 2.7]).tolist() == [1, 2]
    assert lt.LongTensor(3).dtype is lt.int64 and lt.LongTensor(3).shape == (3,)
    assert lt.DoubleTensor([1, 2]).dtype is lt.float64
    assert lt.IntTensor([1, 2]).dtype is lt.int32
    assert lt.BoolTensor([1, 0]).tolist() == [True, False]
    assert lt.LongTensor(lt.tensor([1, 2])).tolist() == [1, 2]
    assert isinstance(lt.ones(2), lt.FloatTensor) and not isinstance(lt.ones(2), lt.LongTensor)
    assert lt.FloatTensor.dtype is lt.float32 and repr(lt.LongTensor) == \
        "<class 'lazytensor.LongTensor'>"
    options = ("TensorOptions(dtype={}, device=cpu, layout=Strided, requires_grad=false "
               "(default), pinned_memory=false (default), memory_format=(nullopt))")
    _raises(TypeError, f"expected {options.format('long int')} (got {options.format('float')})",
            lambda: lt.LongTensor(lt.tensor([1., 2.])))
    _raises(TypeError, "new(): data must be a sequence (got float)", lambda: lt.LongTensor(2.5))


def test_subclasses_construct_through_the_legacy_constructor():
    class Mine(lt.Tensor):
        pass
    m = Mine([1, 2])
    assert type(m) is Mine and m.tolist() == [1.0, 2.0]
    p = lt.nn.Parameter(lt.ones(2))
    assert type(p) is lt.nn.Parameter and p.requires_grad


# -- linalg.lstsq, linalg.pinv, pinverse -----------------------------------------------------------
TALL = np.array([[1., 2], [3, 4], [5, 7]])
RHS = np.array([[1., 0], [2, 1], [4, 2]])


@pytest.mark.parametrize("driver", [None, "gelsy", "gelsd", "gelss", "gels"])
def test_lstsq_fields_per_driver(driver):
    """PyTorch's CPU drivers: gelsy gives the rank, gelsd and gelss the rank and singular
    values, gels neither; residuals for a tall full-rank system, except with gelsy."""
    x, residuals, rank, sv = np.linalg.lstsq(TALL, RHS, rcond=None)
    got = lt.linalg.lstsq(lt.tensor(TALL), lt.tensor(RHS), driver=driver)
    assert type(got).__name__ == "linalg_lstsq"
    np.testing.assert_allclose(got.solution.numpy(), x, rtol=1e-12)
    if driver in (None, "gelsy"):
        assert got.residuals.shape == (0,)
    else:
        np.testing.assert_allclose(got.residuals.numpy(), residuals, rtol=1e-10)
    if driver == "gels":
        assert got.rank.shape == (0,) and got.rank.dtype is lt.int64
    else:
        assert got.rank.dtype is lt.int64 and got.rank.item() == rank
    if driver in ("gelsd", "gelss"):
        np.testing.assert_allclose(got.singular_values.numpy(), sv, rtol=1e-12)
    else:
        assert got.singular_values.shape == (0,)


def test_lstsq_float32_vector_batched_and_wide():
    got = lt.linalg.lstsq(lt.tensor(TALL, dtype=lt.float32), lt.tensor(RHS[:, 0],
                                                                        dtype=lt.float32))
    assert got.solution.dtype is lt.float32 and got.solution.shape == (2,)
    np.testing.assert_allclose(got.solution.numpy(), np.linalg.lstsq(TALL, RHS[:, 0])[0],
                               rtol=1e-5)
    vector = lt.linalg.lstsq(lt.tensor(TALL), lt.tensor(RHS[:, 0]), driver="gelsd")
    assert vector.residuals.shape == (1,)                     # PyTorch keeps the column
    deficient = np.array([[1., 2], [2, 4], [3, 6]])
    batch = lt.linalg.lstsq(lt.tensor(np.stack([TALL, deficient])),
                            lt.tensor(RHS).expand(2, 3, 2), driver="gelsd")
    assert batch.solution.shape == (2, 2, 2) and batch.rank.tolist() == [2, 1]
    assert batch.residuals.shape == (0,)       # not every matrix has full rank
    np.testing.assert_allclose(batch.solution.numpy()[1], np.linalg.pinv(deficient) @ RHS,
                               rtol=1e-10)
    wide = np.array([[1., 2, 3], [4, 5, 6.5]])
    got = lt.linalg.lstsq(lt.tensor(wide), lt.tensor(np.array([[1.], [2]])), driver="gelsd")
    np.testing.assert_allclose(got.solution.numpy(), np.linalg.pinv(wide) @ [[1.], [2]],
                               rtol=1e-10)
    assert got.residuals.shape == (0,)
    empty = lt.linalg.lstsq(lt.zeros(0, 2, dtype=lt.float64), lt.zeros(0, 1,
                                                                       dtype=lt.float64))
    assert empty.solution.tolist() == [[0.0], [0.0]] and empty.rank.item() == 0
    no_columns = lt.linalg.lstsq(lt.zeros(3, 0), lt.ones(3, 1), driver="gelsd")
    assert no_columns.solution.shape == (0, 1) and no_columns.residuals.tolist() == [3.0]


def test_lstsq_errors():
    A, B = lt.tensor(TALL, dtype=lt.float32), lt.tensor(RHS, dtype=lt.float32)
    _raises(RuntimeError, "torch.linalg.lstsq: input must have at least 2 dimensions.",
            lambda: lt.linalg.lstsq(A[0], B))
    _raises(RuntimeError, "torch.linalg.lstsq: other must have at least 1 dimension.",
            lambda: lt.linalg.lstsq(A, lt.tensor(1.)))
    _raises(RuntimeError, "torch.linalg.lstsq: Expected input and other to have the same "
            "dtype, but got input's dtype Float and other's dtype Double",
            lambda: lt.linalg.lstsq(A, B.double()))
    _raises(RuntimeError, "torch.linalg.lstsq: input.size(-2) should match other.size(-2)",
            lambda: lt.linalg.lstsq(A, B[:2]))
    _raises(RuntimeError, "torch.linalg.lstsq: input.size(-2) should match other.size(-1)",
            lambda: lt.linalg.lstsq(A, B[0]))
    _raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (4) at "
            "non-singleton dimension 0",
            lambda: lt.linalg.lstsq(A.expand(2, 3, 2), B.expand(4, 3, 2)))
    _raises(RuntimeError, "torch.linalg.lstsq: parameter `driver` should be one of (gels, "
            "gelsy, gelsd, gelss)", lambda: lt.linalg.lstsq(A.long(), B.long(), driver="foo"))
    _raises(RuntimeError, "This function doesn't handle types other than float and double",
            lambda: lt.linalg.lstsq(A.half(), B.half()))
    _raises(TypeError, "linalg_lstsq(): argument 'b' (position 2) must be Tensor, not list",
            lambda: lt.linalg.lstsq(A, [1., 2, 3]))
    with pytest.raises(lt.linalg.LinAlgError) as info:
        lt.linalg.lstsq(lt.ones(3, 2), lt.ones(3, 1), driver="gels")
    assert str(info.value) == ("torch.linalg.lstsq: The least squares solution could not be "
                               "computed because the input matrix does not have full rank "
                               "(error code: 2).")


def test_lstsq_solution_is_differentiable():
    B = lt.tensor(RHS, requires_grad=True)
    x = lt.linalg.lstsq(lt.tensor(TALL), B).solution
    assert type(x.grad_fn).__name__ == "LinalgLstsqBackward0"
    x.sum().backward()          # x = pinv(A) B; more in tests/test_more_gradients.py
    expected = np.linalg.pinv(np.array(TALL)).T @ np.ones(tuple(x.shape))
    np.testing.assert_allclose(B.grad.numpy(), expected.astype(np.float32), rtol=1e-5)


def test_pinv_against_numpy():
    deficient = np.array([[1., 2], [2, 4], [3, 6]])
    for a in (TALL, TALL.T, deficient):
        np.testing.assert_allclose(lt.linalg.pinv(lt.tensor(a)).numpy(), np.linalg.pinv(a),
                                   rtol=1e-10, atol=1e-12)
    got = lt.linalg.pinv(lt.tensor(TALL, dtype=lt.float32))
    assert got.dtype is lt.float32
    np.testing.assert_allclose(got.numpy(), np.linalg.pinv(TALL), atol=1e-5)
    # a tolerance above every singular value leaves zeros; rtol keeps the largest only
    assert lt.linalg.pinv(lt.tensor(TALL), atol=100.).abs().sum().item() == 0
    u, s, vh = np.linalg.svd(TALL, full_matrices=False)
    rank_one = np.outer(vh[0], u[:, 0]) / s[0]
    for call in (lambda A: lt.linalg.pinv(A, rtol=0.1), lambda A: lt.linalg.pinv(A, 0.1),
                 lambda A: lt.pinverse(A, rcond=0.1), lambda A: A.pinverse(0.1),
                 lambda A: lt.linalg.pinv(A, atol=lt.tensor(0.5))):
        np.testing.assert_allclose(call(lt.tensor(TALL)).numpy(), rank_one, rtol=1e-10)
    # a tensor tolerance broadcasts over the batch
    both = lt.linalg.pinv(lt.tensor(TALL), atol=lt.tensor([0.5, 20.]))
    assert both.shape == (2, 2, 3) and both[1].abs().sum().item() == 0
    # hermitian=True reads the lower triangle
    lower = np.array([[2., 1], [5, -3]])
    np.testing.assert_allclose(lt.linalg.pinv(lt.tensor(lower), hermitian=True).numpy(),
                               np.linalg.inv(np.tril(lower) + np.tril(lower, -1).T),
                               rtol=1e-12)
    assert lt.linalg.pinv(lt.zeros(0, 3)).shape == (3, 0)
    assert lt.linalg.pinv(lt.tensor(TALL).expand(2, 3, 2)).shape == (2, 2, 3)


def test_pinv_gradient_by_composition():
    a = lt.tensor(TALL, requires_grad=True)
    weights = np.arange(6.).reshape(2, 3)
    (lt.linalg.pinv(a) * lt.tensor(weights)).sum().backward()
    step, numeric = 1e-6, np.zeros_like(TALL)
    for i, j in itertools.product(range(3), range(2)):
        bumped = TALL.copy()
        bumped[i, j] += step
        numeric[i, j] = ((np.linalg.pinv(bumped) - np.linalg.pinv(TALL)) * weights).sum() / step
    np.testing.assert_allclose(a.grad.numpy(), numeric, rtol=1e-4, atol=1e-6)


def test_pinv_errors():
    A = lt.tensor(TALL, dtype=lt.float32)
    message = ("linalg.pinv({}): expected a tensor with 2 or more dimensions of float, double, "
               "cfloat or cdouble types")
    _raises(RuntimeError, message.format("Long{[3, 2]}"), lambda: lt.linalg.pinv(A.long()))
    _raises(RuntimeError, message.format("Half{[3, 2]}"), lambda: lt.linalg.pinv(A.half()))
    _raises(RuntimeError, message.format("Float{[2]}"), lambda: lt.linalg.pinv(A[0]))
    _raises(RuntimeError, "linalg.eigh: A must be batches of square matrices, but they are 3 "
            "by 2 matrices", lambda: lt.linalg.pinv(A, hermitian=True))


def test_vector_and_matrix_norms_against_numpy():
    x = np.arange(24.).reshape(2, 3, 4) - 10.5
    t = lt.tensor(x)
    for ord in (2, 1, 0, np.inf, -np.inf, 3, 0.5):
        for dim in (None, 0, -1, (0, 2)):
            for keepdim in (False, True):
                axis = None if dim is None else dim
                flat = x.reshape(-1) if dim is None else x
                expected = np.linalg.norm(flat, ord, axis=axis if dim is not None else None,
                                          keepdims=keepdim) if not isinstance(dim, tuple) \
                    else (np.abs(x) ** ord).sum(dim, keepdims=keepdim) ** (1 / ord) \
                    if ord not in (0, np.inf, -np.inf) else None
                if expected is None:
                    continue
                if dim is None and keepdim:
                    expected = np.reshape(expected, (1, 1, 1))
                got = lt.linalg.vector_norm(t, ord, dim, keepdim)
                np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
    for ord in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
        for dim in ((-2, -1), (0, 2), (2, 0)):
            for keepdim in (False, True):
                expected = np.linalg.norm(x, ord, axis=dim, keepdims=keepdim)
                got = lt.linalg.matrix_norm(t, ord, dim, keepdim)
                np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
