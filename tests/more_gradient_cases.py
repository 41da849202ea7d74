"""Gradients where finite differences cannot decide (ties between maxima or medians, where
PyTorch shares the gradient evenly or picks one element), run by
tests/test_more_gradients.py with lazytensor and by
tests/data/make_more_gradients_reference.py with PyTorch 2.13 (which recorded the values
in tests/data/more_gradients_reference.json)."""

TIES = [[1., 2., 3., 2.], [2., 0., 3., 0.], [1., 2., 0., 5.]]
SRC = [[2., 2., 3., 5.], [1., 2., 3., 1.], [2., 1., 0., 5.]]
SCATTER_INDEX = [[0, 1, 0, 3], [2, 2, 2, 1], [0, 0, 1, 1]]


def _weights(torch, shape):
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float64) + 1).reshape(shape)


def _grads(torch, f, *arrays):
    xs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    y = f(*xs)
    (y * _weights(torch, tuple(y.shape))).sum().backward()
    return [x.grad.tolist() for x in xs]


def tie_cases(torch):
    """{case: the inputs' gradients} for reductions with ties."""
    out = {}
    index = torch.tensor(SCATTER_INDEX)
    for reduce in ("amax", "amin"):
        for include_self in (True, False):
            key = f"{reduce}_{'with' if include_self else 'without'}_self"
            out[f"scatter_reduce_{key}"] = _grads(
                torch, lambda x, s: x.scatter_reduce(1, index, s, reduce,
                                                     include_self=include_self), TIES, SRC)
            out[f"index_reduce_{key}"] = _grads(
                torch, lambda x, s: x.index_reduce(0, torch.tensor([2, 0, 2]), s, reduce,
                                                   include_self=include_self), TIES, SRC)
    out["cummax_cummin"] = _grads(torch, lambda x: x.cummax(1).values * 2 +
                                  x.cummin(0).values, TIES)
    # of everything: shared by the elements equal to the median (by the NaNs if it is NaN)
    out["median_nanmedian"] = _grads(torch, lambda x: x.median() * 2 + x.nanmedian(), TIES)
    nan_row = [[1., float("nan"), 2., 2.], [0., 2., 1., 3.]]
    out["median_of_nan"] = _grads(torch, lambda x: x.median(), nan_row)
    out["nanmedian_with_nan"] = _grads(torch, lambda x: x.nanmedian() * 3 +
                                       x.nanmedian(1).values.sum(), nan_row)
    out["mode"] = _grads(torch, lambda x: x.mode(1).values + x.mode(0, True).values.sum(),
                         TIES)
    return out
