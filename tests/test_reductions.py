"""Tests for lazytensor/reductions.py: sum, prod, mean, max/min (with indices), amax/amin,
argmax/argmin, all/any, std/var over all dims, one dim, a tuple of dims, with keepdim.

Expected values are NumPy's; dtypes and the rules NumPy does not share are PyTorch's
documented behaviour: sum/prod of integers and bools give int64; max/min/argmax propagate
NaN (the first NaN is the answer); ties give the first index; var uses the Bessel
correction unless told otherwise; all/any of uint8 give uint8. Error messages are
PyTorch 2.13's. Results of one test are realised together, in one compiled program.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lazytensor as lt
from lazytensor.codegen.parallel import CASCADE_GRAIN
from lazytensor.storage import realize_all

DATA = np.array([[[1.5, -2.0, 3.0, 0.5], [4.0, -1.0, 2.5, 7.0], [0.0, 6.0, -3.5, 2.0]],
                 [[-1.0, 2.0, 9.0, -4.0], [3.0, 3.25, 1.0, 0.25], [5.5, -6.0, 8.0, 1.0]]],
                dtype=np.float32)
INTS = np.array([[3, -1, 4, 1], [5, 9, -2, 6], [5, 3, 5, -9]])
DIMS = [None, 0, 1, -1, (0, 2), (2, 0), (-1, -2, 0)]


def values(*tensors):
    """NumPy arrays of the tensors' values, computed in one realisation."""
    realize_all([t._storage for t in tensors])
    return [np.asarray(t) for t in tensors]


def check(tensors, expected, exact=False, rtol=1e-6, atol=1e-6):
    for t, got, want in zip(tensors, values(*tensors), expected):
        want = np.asarray(want)
        assert t.dtype.name == want.dtype.name, (t.dtype, want.dtype)
        assert got.shape == want.shape, (got.shape, want.shape)
        if exact:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)


def np_dim(dim):
    return dim if dim is None or isinstance(dim, int) else tuple(dim)


@pytest.mark.parametrize("keepdim", [False, True])
def test_sum_prod_mean_over_every_kind_of_dim(keepdim):
    x = lt.tensor(DATA)
    outs, expected = [], []
    for dim in DIMS:
        d = np_dim(dim)
        kw = {"keepdim": keepdim} if dim is not None else {}
        outs += [x.sum(dim, **kw) if dim is not None else x.sum(),
                 x.mean(dim, **kw) if dim is not None else x.mean()]
        expected += [DATA.sum(d, keepdims=keepdim if dim is not None else False),
                     DATA.mean(d, keepdims=keepdim if dim is not None else False)]
    for dim in (None, 1, -1):
        outs.append(x.prod(dim, keepdim=keepdim) if dim is not None else x.prod())
        expected.append(DATA.prod(dim, keepdims=keepdim if dim is not None else False))
    check(outs, expected, rtol=2e-6)


def test_reduction_functions_and_keyword_dims():
    x = lt.tensor(DATA)
    outs = [lt.sum(x, 1), lt.sum(x, dim=(0, 1), keepdim=True), lt.mean(x, dim=[0]),
            lt.prod(x, 2), x.sum(dtype=lt.float64), lt.mean(x, 1, dtype=lt.float64)]
    expected = [DATA.sum(1), DATA.sum((0, 1), keepdims=True), DATA.mean(0), DATA.prod(2),
                DATA.astype(np.float64).sum(), DATA.astype(np.float64).mean(1)]
    check(outs, expected, rtol=2e-6)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "uint8", "bool"])
def test_sum_and_prod_of_integers_and_bools_are_int64(dtype):
    data = INTS.astype(dtype) if dtype != "bool" else INTS > 2
    x = lt.tensor(data)
    wide = data.astype(np.int64)
    outs = [x.sum(), x.sum(0), x.prod(1), x.sum(dtype=lt.float32), x.sum((0, 1), keepdim=True)]
    expected = [wide.sum(), wide.sum(0), wide.prod(1), data.astype(np.float32).sum(),
                wide.sum((0, 1), keepdims=True)]
    check(outs, expected, exact=True)


def test_max_min_amax_amin():
    x = lt.tensor(DATA)
    outs, expected = [x.max(), x.min()], [DATA.max(), DATA.min()]
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            mx, mn = x.max(dim, keepdim), x.min(dim=dim, keepdim=keepdim)
            outs += [mx.values, mx.indices, mn[0], mn[1]]
            expected += [DATA.max(dim, keepdims=keepdim),
                         np.expand_dims(DATA.argmax(dim), dim) if keepdim else DATA.argmax(dim),
                         DATA.min(dim, keepdims=keepdim),
                         np.expand_dims(DATA.argmin(dim), dim) if keepdim else DATA.argmin(dim)]
    for dim in ((0, 1), (2,), -1):
        outs += [x.amax(dim), x.amin(dim, keepdim=True)]
        expected += [DATA.max(np_dim(dim)), DATA.min(np_dim(dim), keepdims=True)]
    outs += [x.amax(), lt.amin(x)]
    expected += [DATA.max(), DATA.min()]
    check(outs, expected, exact=True)


def test_max_with_dim_is_a_named_tuple():
    x = lt.tensor([[1.0, 5.0, 5.0], [5.0, 1.0, 5.0]])
    r = lt.max(x, 1)
    values_, indices = r
    assert type(r).__name__ == "max" and r.values is values_ and r.indices is indices
    assert values_.tolist() == [5.0, 5.0] and indices.tolist() == [1, 0]   # first of a tie
    assert x.min(0).indices.tolist() == [0, 1, 0]
    assert lt.max(x, lt.tensor([4.0, 4.0, 6.0])).tolist() == [[4.0, 5.0, 6.0],
                                                              [5.0, 4.0, 6.0]]


def test_argmax_argmin():
    x = lt.tensor(DATA)
    i = lt.tensor(INTS)
    outs = [x.argmax(), x.argmin(), x.argmax(1), lt.argmin(x, dim=-1, keepdim=True),
            x.argmax(keepdim=True), i.argmax(0), i.argmin(), lt.tensor([[2, 7, 7]]).argmax(1)]
    expected = [DATA.argmax(), DATA.argmin(), DATA.argmax(1),
                np.expand_dims(DATA.argmin(-1), -1), DATA.argmax().reshape(1, 1, 1),
                INTS.argmax(0), INTS.argmin(), np.array([1])]
    check(outs, expected, exact=True)


def test_nan_propagates_through_max_min_and_arg_reductions():
    n = np.array([[1.0, np.nan, 3.0, np.nan], [2.0, 0.0, -1.0, 4.0]], dtype=np.float32)
    x = lt.tensor(n)
    mx, mn = x.max(1), x.min(1)
    outs = [x.max(), x.amin(0), mx.values, mx.indices, mn.values, mn.indices, x.argmax(),
            x.argmin(1), x.sum(1), x.mean(), x.all(), x.any(1)]
    expected = [np.float32(np.nan), np.float32([1.0, np.nan, -1.0, np.nan]),
                np.float32([np.nan, 4.0]), np.array([1, 3]), np.float32([np.nan, -1.0]),
                np.array([1, 2]), np.array(1), np.array([1, 2]), n.sum(1), n.mean(),
                np.array(False), np.array([True, True])]
    check(outs, expected, exact=True)
    inf = lt.tensor([np.inf, -np.inf])
    check([inf.sum(), inf.max(), inf.min(), inf[1:].max()],
          [np.float32(np.nan), np.float32(np.inf), np.float32(-np.inf), np.float32(-np.inf)],
          exact=True)


def test_all_and_any():
    f = lt.tensor(DATA)
    b = lt.tensor([[True, False, True], [True, True, True]])
    u = lt.tensor([[1, 0, 2], [3, 4, 5]], dtype=lt.uint8)
    outs = [f.all(), f.any(), f.all(1), f.any(0), b.all(), lt.all(b, 1),
            b.any(0, keepdim=True), (lt.tensor(INTS) > 0).all((0, 1)), u.all(), u.any(1),
            u.all(1, keepdim=True), lt.any(lt.zeros(3)), b.all(())]
    expected = [np.array(False), np.array(True), DATA.all(1), DATA.any(0), np.array(False),
                np.array([False, True]), np.array([[True, True, True]]), np.array(False),
                np.uint8(0), np.uint8([1, 1]), np.uint8([[0], [1]]), np.array(False),
                np.array([[True, False, True], [True, True, True]])]
    check(outs, expected, exact=True)


def test_std_and_var():
    x = lt.tensor(DATA)
    outs = [x.std(), x.var(), x.std(1), x.var(1, unbiased=False), x.var((0, 2), keepdim=True),
            x.std(0, correction=0), x.var(correction=2), lt.std(x, -1, keepdim=True),
            lt.var(x.double(), 0)]
    expected = [DATA.std(ddof=1), DATA.var(ddof=1), DATA.std(1, ddof=1), DATA.var(1),
                DATA.var((0, 2), ddof=1, keepdims=True), DATA.std(0), DATA.var(ddof=2),
                DATA.std(-1, ddof=1, keepdims=True), DATA.astype(np.float64).var(0, ddof=1)]
    check(outs, expected, rtol=1e-5)


def test_float16_reductions_round_as_pytorch():
    # PyTorch multiplies float16 in float16, step by step, and computes var, std and mean of
    # float16 in float32 before rounding the result
    data = np.float16([3.0, 1000.0, -2.75, 0.1])
    h = lt.tensor(data)
    prod, std, var, mean = values(h.prod(), h.std(), h.var(), h.mean())
    step = np.float16(1)
    for v in data:
        step = np.float16(step * v)
    assert prod == step == np.float16(-824.5)
    wide = data.astype(np.float32)
    assert std == np.float16(wide.std(ddof=1)) and std == np.float16(500.0)
    assert np.isinf(var)                                  # 250000 is past float16's range
    assert mean == np.float16(wide.mean())


def test_empty_and_zero_dim_reductions():
    e = lt.zeros(2, 0)
    s = lt.tensor(3.5)
    outs = [e.sum(), e.sum(0), e.sum(1), e.prod(1), e.mean(), e.all(), e.any(), e.all(1),
            e.amax(0), e.argmin(0), s.sum(), s.sum(0), s.max(), s.mean(-1), s.argmax(0),
            lt.tensor(4).prod()]
    expected = [np.float32(0), np.zeros(0, np.float32), np.float32([0, 0]),
                np.float32([1, 1]), np.float32(np.nan), np.array(True), np.array(False),
                np.array([True, True]), np.zeros(0, np.float32), np.zeros(0, np.int64),
                np.float32(3.5), np.float32(3.5), np.float32(3.5), np.float32(3.5),
                np.array(0), np.array(4)]
    check(outs, expected, exact=True)


@pytest.mark.parametrize("call,error,message", [
    (lambda e: e.max(), RuntimeError, "max(): Expected reduction dim to be specified for "
                                      "input.numel() == 0. Specify the reduction dim with the "
                                      "'dim' argument."),
    (lambda e: e.max(1), IndexError, "max(): Expected reduction dim 1 to have non-zero size."),
    (lambda e: e.amin(), RuntimeError, "amin(): Expected reduction dim to be specified for "
                                       "input.numel() == 0."),
    (lambda e: e.argmax(), IndexError, "argmax(): Expected reduction dim to be specified for "
                                       "input.numel() == 0."),
    (lambda e: e.argmin(1), IndexError, "argmin(): Expected reduction dim 1 to have non-zero "
                                        "size."),
])
def test_max_of_nothing_is_refused(call, error, message):
    with pytest.raises(error) as info:
        call(lt.zeros(2, 0))
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("call,error,message", [
    (lambda x: x.sum(3), IndexError, "Dimension out of range (expected to be in range of "
                                     "[-3, 2], but got 3)"),
    (lambda x: x.mean(-4), IndexError, "Dimension out of range (expected to be in range of "
                                       "[-3, 2], but got -4)"),
    (lambda x: x.max(5), IndexError, "Dimension out of range (expected to be in range of "
                                     "[-3, 2], but got 5)"),
    (lambda x: x.sum((0, -3)), RuntimeError, "dim 0 appears multiple times in the list of "
                                             "dims"),
    (lambda x: x.int().mean(), RuntimeError, "mean(): could not infer output dtype. Input "
                                             "dtype must be either a floating point or "
                                             "complex dtype. Got: Int"),
    (lambda x: x.mean(dtype=lt.int64), RuntimeError, "mean(): could not infer output dtype. "
                                                     "Optional dtype must be either a floating "
                                                     "point or complex dtype. Got: Long"),
    (lambda x: x.long().std(), RuntimeError, "std and var only support floating point and "
                                             "complex dtypes"),
    (lambda x: (x > 0).argmax(), RuntimeError, "argmax(): does not support bool input"),
    (lambda x: x.argmax((0, 1)), TypeError, "argmax(): argument 'dim' (position 1) must be "
                                            "int, not tuple"),
    (lambda x: x.prod((0, 1)), TypeError, "prod() received an invalid combination of "
                                          "arguments - got (tuple)"),
    (lambda x: x.max((0, 1)), TypeError, "max() received an invalid combination of "
                                         "arguments - got (tuple)"),
    (lambda x: lt.tensor(1.0).sum(1), IndexError, "Dimension out of range (expected to be in "
                                                  "range of [-1, 0], but got 1)"),
])
def test_bad_reduction_arguments_raise_at_the_call(call, error, message):
    x = lt.tensor(DATA)
    with pytest.raises(error) as info:
        call(x)
    assert str(info.value).startswith(message)
    assert x.sum().item() == pytest.approx(float(DATA.sum()))


@pytest.mark.filterwarnings("ignore:The use of `x.T`:UserWarning")   # as PyTorch warns
def test_reductions_fuse_with_views_and_elementwise_ops():
    a = lt.tensor(DATA)
    b = lt.tensor(DATA[::-1].copy())
    outs = [(a * b).sum(), (a * b).permute(2, 0, 1).sum(0), a.T.sum(0), a[:, ::2].max(2).values,
            (a + 1).sum(1).sum(1), (a.sum(-1) * 2).T, a.exp().mean((1, 2)).log()]
    expected = [(DATA * DATA[::-1]).sum(), (DATA * DATA[::-1]).sum(2), DATA.T.sum(0),
                DATA[:, ::2].max(2), (DATA + 1).sum(1).sum(1), (DATA.sum(-1) * 2).T,
                np.log(np.exp(DATA).mean((1, 2)))]
    check(outs, expected, rtol=2e-6)


SHAPES = [(5,), (3, 4), (2, 3, 4), (2, 1, 3)]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(SHAPES), st.data())
def test_sum_max_argmin_match_numpy_on_random_shapes_and_dims(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    keepdim = data.draw(st.booleans())
    seed = data.draw(st.integers(0, 2**32 - 1))
    a = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    x = lt.tensor(a)
    outs = [x.sum(dim, keepdim), x.max(dim, keepdim).values, x.argmin(dim, keepdim)]
    expected = [a.sum(dim, keepdims=keepdim), a.max(dim, keepdims=keepdim),
                np.expand_dims(a.argmin(dim), dim) if keepdim else a.argmin(dim)]
    check(outs, expected, rtol=1e-5, atol=1e-5)


def test_softmax_log_softmax_and_logsumexp_match_numpy():
    rng = np.random.default_rng(3)
    xn = rng.standard_normal((4, 7)).astype(np.float32) * 5
    x = lt.tensor(xn)
    e = np.exp(xn - xn.max(1, keepdims=True))
    np.testing.assert_allclose(x.softmax(1).numpy(), e / e.sum(1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(lt.softmax(x, dim=0).numpy().sum(0), np.ones(7), rtol=1e-5)
    np.testing.assert_allclose(lt.log_softmax(x, -1).numpy(),
                               np.log(e / e.sum(1, keepdims=True)), rtol=1e-5, atol=1e-6)
    lse = np.log(np.exp(xn.astype(np.float64)).sum(1))
    np.testing.assert_allclose(lt.logsumexp(x, 1).numpy(), lse, rtol=1e-5)
    ninf = lt.full((2, 3), float("-inf"))
    assert lt.logsumexp(ninf, 1).tolist() == [float("-inf")] * 2
    with pytest.raises(RuntimeError, match="not implemented for 'Long'"):
        lt.tensor([1, 2]).softmax(0)


def test_cumsum_and_cumprod_accumulate_like_pytorch():
    # PyTorch's CPU scan accumulates float32 in double: [0.1] * 10 ends at exactly 1.0
    assert lt.tensor([0.1] * 10).cumsum(0)[-1].item() == 1.0
    m = lt.arange(6).reshape(2, 3).float()
    np.testing.assert_array_equal(m.cumsum(1).numpy(), np.cumsum(np.arange(6.).reshape(2, 3), 1))
    np.testing.assert_array_equal(lt.cumprod(m + 1, 0).numpy(),
                                  np.cumprod(np.arange(1., 7.).reshape(2, 3), 0))
    assert lt.tensor([1, 2, 3]).cumsum(0).dtype is lt.int64
    assert lt.tensor([True, True]).cumsum(0).tolist() == [1, 2]
    assert repr(lt.tensor([1.5] * 4, dtype=lt.float16).cumprod(0)) == \
        "tensor([1.5000, 2.2500, 3.3750, 5.0625], dtype=lazytensor.float16)"
    assert "extern cumsum" in str(lt.explain(m.cumsum(0) * 2))


def test_float_sums_and_means_are_pytorchs_bit_for_bit():
    """Float32/float64 sums over a tensor's last dims, or over leading or middle dims with
    the kept dims after them, are added in PyTorch's own orders (its cascade inner and outer
    sums), so they print PyTorch's digits: tensor([0.1] * 10).sum() is 1.0000001,
    printed 1.0000, where an exactly rounded sum would give 1. std and var follow its routes
    too: of a whole tensor two passes (the mean, then squared deviations added in double, in
    order), over a dim Welford's running mean and squared deviations in double. Expected values are
    PyTorch 2.13's, from tests/data/make_sum_reference.py, for the same inputs."""
    import json
    import os
    import sys
    here = os.path.join(os.path.dirname(__file__), "data")
    sys.path.insert(0, here)
    try:
        import make_sum_reference as ref             # the inputs, built the same way
    finally:
        sys.path.remove(here)
    with open(os.path.join(here, "sum_reference.json")) as f:
        expected = json.load(f)["cases"]
    two_threads = os.cpu_count() == 2 and not os.environ.get("LAZYTENSOR_NUM_THREADS")
    cases = []
    for (kind, shape, dt, x), want in zip(ref.inputs(), expected):
        assert (kind, shape, dt) == (want["kind"], want["shape"], want["dtype"])
        if kind == "long" and not two_threads:
            continue
        t = lt.tensor(x)
        if kind == "rows":
            got = {"sum_last": t.sum(-1), "sum_all": t.sum(), "fused": (t * 2 + 1).sum(-1),
                   "std_all": t.std(), "std_last": t.std(-1),
                   "var0_last": t.var(-1, correction=0)}
            if t.numel() > CASCADE_GRAIN and not two_threads:     # one chunk per thread
                want = dict(want, values={k: v for k, v in want["values"].items()
                                          if not k.endswith("_all")})
                del got["sum_all"], got["std_all"]
        elif kind.startswith("cols"):
            dim = ref.column_dims(kind)
            got = {"sum": t.sum(dim), "mean": t.mean(dim), "std": t.std(dim),
                   "var0": t.var(dim, correction=0)}
        else:
            got = {"sum": t.sum(), "mean": t.mean()}
            if t.numel() > 1:
                got.update(std=t.std(), var=t.var(), std0=t.std(correction=0))
        cases.append((got, want))
    realize_all([t._storage for got, _ in cases for t in got.values()])   # one program
    for got, want in cases:
        values = {k: t.tolist() for k, t in got.items()}
        assert values == want["values"], (want["kind"], want["shape"], want["dtype"])
    assert len(cases) >= 90
    assert lt.tensor([0.1] * 10).sum().item() == 1.0000001192092896
    assert str(lt.tensor([0.1] * 10).sum()) == "tensor(1.0000)"


def test_column_reductions_side_by_side_keep_each_columns_semantics():
    """max/argmax/prod/integer and half sums over dim 0 run many columns at once; each column
    still gets NaN propagation, the first index of a tie, and its own values (NumPy's)."""
    rng = np.random.default_rng(5)
    a = rng.integers(0, 6, (700, 300)).astype(np.float32)       # many ties per column
    a[[3, 600], [7, 7]] = np.nan                                   # column 7: NaN wins, first
    a[400, 299] = np.nan
    t = lt.tensor(a)
    np.testing.assert_array_equal(t.amax(0).numpy(), a.max(0))
    np.testing.assert_array_equal(t.amin(0).numpy(), a.min(0))
    np.testing.assert_array_equal(t.argmax(0).numpy(), a.argmax(0))     # NumPy: first max/NaN
    np.testing.assert_array_equal(t.argmin(0).numpy(), a.argmin(0))
    values, indices = t.max(dim=0)
    np.testing.assert_array_equal(indices.numpy(), a.argmax(0))
    assert np.isnan(values.numpy()[7]) and indices.numpy()[7] == 3
    # rows side by side (a sequential reduction per row): the same rules along dim 1
    np.testing.assert_array_equal(t.argmax(1).numpy(), a.argmax(1))
    np.testing.assert_array_equal(t.argmin(1).numpy(), a.argmin(1))
    np.testing.assert_array_equal(t.T.argmax(0).numpy(), a.argmax(1))
    i = rng.integers(-1000, 1000, (500, 70))
    np.testing.assert_array_equal(lt.tensor(i).sum(0).numpy(), i.sum(0))
    np.testing.assert_array_equal((lt.tensor(i) > 0).any(0).numpy(), (i > 0).any(0))
    np.testing.assert_array_equal((lt.tensor(i) > -990).all(0).numpy(), (i > -990).all(0))
    p = rng.uniform(0.9, 1.1, (200, 150)).astype(np.float32)
    np.testing.assert_allclose(lt.tensor(p).prod(0).numpy(), p.astype(np.float64).prod(0),
                               rtol=1e-6)
    h = rng.uniform(0, 1, (3000, 40)).astype(np.float16)
    np.testing.assert_allclose(lt.tensor(h).sum(0).float().numpy(),
                               h.astype(np.float64).sum(0), rtol=1e-3)


@pytest.mark.parametrize("call, kernel", [
    (lambda i: i.softmax(1), "softmax_lastdim_kernel_impl"),
    (lambda i: i.log_softmax(-1), "log_softmax_lastdim_kernel_impl"),
    (lambda i: i.softmax(0), "softmax_kernel_impl"),
    (lambda i: i.log_softmax(0), "log_softmax_kernel_impl")])
def test_softmax_of_integers_is_not_implemented_as_in_pytorch(call, kernel):
    with pytest.raises(NotImplementedError, match=f'^"{kernel}" not implemented for \'Long\'$'):
        call(lt.arange(6).reshape(2, 3))


def test_cumulative_ops_of_a_0_dim_tensor_take_dim_0_or_minus_1():
    s = lt.tensor(2.5)
    assert s.cumsum(0).item() == 2.5 and s.cumprod(-1).item() == 2.5
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range of "
                                         r"\[-1, 0\], but got 1\)$"):
        s.cumprod(1)


def test_half_softmax_is_computed_in_float32_and_rounded_once():
    """PyTorch's CPU softmax of float16 rounds once: the value of the float32 softmax rounded
    to float16 (which element-by-element half arithmetic misses for most values)."""
    x = lt.tensor([[0.5, -1.25, 2.0, 0.125], [3.0, 2.5, -0.75, 1.0]])
    want = x.softmax(1).to(lt.float16).tolist()
    assert x.half().softmax(1).tolist() == want
    assert x.half().log_softmax(0).tolist() == x.log_softmax(0).to(lt.float16).tolist()
    assert x.half().softmax(1).dtype == lt.float16


def test_half_log_softmax_over_the_last_dim_rounds_the_row_sum_and_its_log():
    """PyTorch's last-dim kernel keeps each row's sum of exponentials, then its log, in the
    input's type: sum and log are rounded to float16 before x - max - log(sum)."""
    x = lt.tensor([[0.5, -1.25, 2.0, 0.125], [3.0, 2.5, -0.75, 1.0]])
    shifted = x - x.amax(1, keepdim=True)
    log_sum = shifted.exp().sum(1, keepdim=True).half().float().log().half().float()
    assert x.half().log_softmax(1).tolist() == (shifted - log_sum).half().tolist()
    assert x.half().log_softmax(1).tolist() != x.log_softmax(1).half().tolist()
    assert x.half().log_softmax(1).tolist() == [                    # as PyTorch 2.13 gives
        [-1.84765625, -3.59765625, -0.34716796875, -2.22265625],
        [-0.568359375, -1.068359375, -4.3203125, -2.568359375]]


def test_T_of_a_tensor_that_is_not_2_d_warns_as_pytorch_does():
    with pytest.warns(UserWarning, match="The use of `x.T` on tensors of dimension other than 2"):
        assert lt.tensor([1.0, 2.0]).T.tolist() == [1.0, 2.0]
