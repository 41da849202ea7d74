"""Property test: random sequences of views, in-place writes (some through the NumPy arrays
that .numpy() hands out) and reads behave exactly as NumPy's basic indexing (the same view
semantics as PyTorch) on every live tensor."""
import ctypes
import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

import lazytensor as lt

SHAPE = (4, 6)


def _view_ops(draw, nd_shape):
    """One view operation valid for a tensor of nd_shape, as (name, args)."""
    choices = ["slice"] if nd_shape else []
    if len(nd_shape) >= 2:
        choices.append("transpose")
    if len(nd_shape) >= 1 and nd_shape[0] > 0:
        choices.append("select")
    choices.append("unsqueeze")
    return draw(st.sampled_from(choices))


@st.composite
def programs(draw):
    steps = []
    shapes = [SHAPE]                  # shape of each live view, by position
    for _ in range(draw(st.integers(3, 9))):
        kind = draw(st.sampled_from(["view", "view", "write", "write", "derive", "clone",
                                     "read"]))
        i = draw(st.integers(0, len(shapes) - 1))
        shape = shapes[i]
        if kind == "view" and len(shapes) < 6:
            op = _view_ops(draw, shape)
            if op == "slice":
                d = draw(st.integers(0, len(shape) - 1))
                start = draw(st.integers(0, max(shape[d] - 1, 0)))
                step = draw(st.integers(1, 2))
                new = list(shape)
                new[d] = len(range(start, shape[d], step))
                steps.append(("slice", i, d, start, step))
            elif op == "transpose":
                new = list(reversed(shape))
                steps.append(("transpose", i))
            elif op == "select":
                k = draw(st.integers(0, shape[0] - 1))
                new = list(shape[1:])
                steps.append(("select", i, k))
            else:
                new = [1] + list(shape)
                steps.append(("unsqueeze", i))
            shapes.append(tuple(new))
        elif kind == "write":
            how = draw(st.sampled_from(["add_", "mul_", "set_scalar", "set_first", "fill_",
                                        "copy_self_plus", "through_numpy"]))
            value = draw(st.integers(-3, 3))
            steps.append(("write", i, how, value))
        elif kind == "derive":
            steps.append(("derive", i, draw(st.integers(1, 3))))
            shapes.append(shape)
        elif kind == "clone":
            steps.append(("clone", i))
            shapes.append(shape)
        else:
            steps.append(("read", i))
    return steps


def apply(step, lts, nps):
    kind, i = step[0], step[1]
    t, a = lts[i], nps[i]
    if kind == "slice":
        _, _, d, start, stp = step
        idx = (slice(None),) * d + (slice(start, None, stp),)
        lts.append(t[idx])
        nps.append(a[idx])
    elif kind == "transpose":
        lts.append(t.permute(*reversed(range(t.ndim))))
        nps.append(a.transpose())
    elif kind == "select":
        lts.append(t[step[2]])
        nps.append(a[step[2], ...])   # "..." keeps a 0-d result a view, as in PyTorch
    elif kind == "unsqueeze":
        lts.append(t.unsqueeze(0))
        nps.append(a[None])
    elif kind == "derive":
        lts.append(t * step[2] + 1)
        nps.append(a * step[2] + 1)
    elif kind == "clone":
        lts.append(t.clone())
        nps.append(a.copy())
    elif kind == "write":
        _, _, how, value = step
        if how == "add_":
            t.add_(value)
            a += value
        elif how == "mul_":
            t.mul_(value)
            a *= value
        elif how == "set_scalar":
            t[...] = value
            a[...] = value
        elif how == "fill_":
            t.fill_(value)
            a.fill(value)
        elif how == "copy_self_plus":
            t.copy_(t + value)          # reads then overwrites the same elements
            a[...] = a + value
        elif how == "through_numpy":    # memory handed out, then written behind lazytensor
            shared = t.numpy()
            shared[...] += value
            a += value
        elif t.ndim and t.shape[0]:
            t[0] = value
            a[0] = value
    else:
        np.testing.assert_array_equal(np.asarray(t), a)


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_views_and_writes_match_numpy(steps):
    base = np.arange(24, dtype=np.float32).reshape(SHAPE)
    lts, nps = [lt.tensor(base.tolist())], [base.copy()]
    for step in steps:
        apply(step, lts, nps)
    for t, a in zip(lts, nps):
        np.testing.assert_array_equal(np.asarray(t), a)


def test_memory_handed_to_numpy_leaves_earlier_results_as_they_were():
    """Issue 16 item 7: values computed lazily from memory that NumPy (or an address) is
    then given and writes are the values of the calls that made them, as in PyTorch."""
    t0, d = lt.tensor([1., 2., 3.]), lt.tensor([2., 2., 2.])
    t3 = t0 / d                                     # pending, reads t0's memory
    n = t0.numpy()
    n += 3.5
    assert t3.tolist() == [0.5, 1.0, 1.5]
    a = lt.tensor([1., 2.])
    s = lt.stack([a, a * 2])
    a.numpy()[0] = 100
    assert s.tolist() == [[1., 2.], [2., 4.]]
    assert a.tolist() == [100., 2.]
    b = lt.tensor([3., 4.])
    doubled = b * 2
    ptr = b.data_ptr()
    ctypes.c_float.from_address(ptr).value = -1.0    # a write through the address
    assert doubled.tolist() == [6., 8.] and b.tolist() == [-1., 4.]
