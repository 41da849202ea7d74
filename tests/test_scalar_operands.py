"""Python scalars in arithmetic are data, not code, on the CPU: a loop that changes a scalar
(`x * lr`, `x > threshold`) reuses one compiled program, with the values PyTorch gives."""
import math
import re

import numpy as np
import pytest

import lazytensor as lt
from lazytensor import graph


def _compiled():
    return lt.cache_info()["compiled"] + lt.cache_info()["disk_hits"]


def test_a_loop_over_scalars_compiles_once():
    x = lt.tensor([0.5, 1.5, -2.0])
    (x * 0.125 - 7.0).sum().item()          # compile the structure once
    before = _compiled()
    a = np.array([0.5, 1.5, -2.0], np.float32)
    for i in range(1, 12):
        lr = 0.1 * i
        got = (x * lr - i).tolist()
        assert got == (a * np.float32(lr) - np.float32(i)).tolist()
        assert (x > lr).tolist() == (a > np.float32(lr)).tolist()
    assert _compiled() - before <= 2      # the comparison's program; no program per value


@pytest.mark.parametrize("dtype", [lt.float32, lt.float64, lt.float16, lt.int32, lt.int64,
                                   lt.uint8])
def test_scalar_values_convert_as_literals_did(dtype):
    """The one-element buffer holds the scalar converted to the op's dtype as the literal was:
    float rounding (to nearest, overflow to inf), integer wrap-around (uint8 + 300 wraps)."""
    x = lt.zeros(3, dtype=dtype)
    np_dtype = getattr(np, dtype.name)
    values = [0.1, -0.0, 1e-8, 65519.0, 3.4e38, math.inf] if dtype.is_floating_point else \
        [1, 3, 200, 300, 70000]
    for v in values:
        if dtype.is_floating_point:
            with np.errstate(over="ignore"):
                want = np.zeros(3, np_dtype) + np.array(v).astype(np_dtype)
        else:
            want = (np.zeros(3, np.int64) + v).astype(np_dtype)
        got = (x + v).numpy()
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        assert np.signbit(got).tolist() == np.signbit(want).tolist()


def test_bool_tensor_and_int_scalar_promote_to_int64():
    x = lt.tensor([True, False])
    y = x + 5
    assert y.dtype == lt.int64 and y.tolist() == [6, 5]
    assert (x * 2.5).tolist() == [2.5, 0.0]


def test_nan_and_negative_zero_scalars():
    x = lt.tensor([1.0, -1.0])
    assert [math.isnan(v) for v in (x * math.nan).tolist()] == [True, True]
    assert [math.copysign(1, v) for v in (x * -0.0).tolist()] == [-1.0, 1.0]
    assert (x - -0.0).tolist() == [1.0, -1.0]


def test_scalars_show_their_values_in_explain():
    x = lt.tensor([1.0, 2.0])
    text = str(lt.explain(x * 3.5 + 1))
    assert "scalar 3.5" in text and "scalar 1.0" in text
    assert "scalar operand" in text          # the kernel's comment for its parameter


def test_pow_keeps_its_literal_exponent():
    """pow(x, 2) stays x * x in the kernel (the exponent must be known when compiling)."""
    x = lt.tensor([1.5, -3.0])
    y = x ** 2
    assert re.search(r"= (t\d+) \* \1;", str(lt.explain(y)))
    assert not any(isinstance(n.arg, graph.ScalarBuffer) for n in _nodes(y))
    assert y.tolist() == [2.25, 9.0]


def test_integer_floor_division_keeps_its_literal():
    x = lt.tensor([7, -7])
    y = x // 2
    assert not any(isinstance(n.arg, graph.ScalarBuffer) for n in _nodes(y))
    assert y.tolist() == [3, -4]


def test_cuda_tensors_keep_literals():
    """A CUDA kernel would need a host-to-device copy per new scalar; ops on CUDA tensors keep
    the literal (checked on the graph; no GPU needed)."""
    x = lt.tensor([1.0, 2.0])
    cuda = lt.device("cuda", 0)
    fake = lt.Tensor._from_node(x._node, cuda)
    for y in (fake * 2.5, fake + 1, lt.mul(fake, 3.0)):
        assert not any(isinstance(n.arg, graph.ScalarBuffer) for n in _nodes(y))
        assert any(n.op == "const" for n in _nodes(y))


def test_scalar_buffers_are_kept_and_bounded():
    x = lt.tensor([1.0])
    for i in range(graph.SCALARS_KEPT + 10):
        x * (i + 0.5)
    assert len(graph._scalars) <= graph.SCALARS_KEPT
    a, b = x * 4.25, x * 4.25
    assert a._storage.node is b._storage.node          # the same value finds the same input


def _nodes(t):
    seen, stack, out = set(), [t._storage.node], []
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        out.append(n)
        stack.extend(n.srcs)
    return out
