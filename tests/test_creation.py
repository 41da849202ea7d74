"""Tests for lazytensor/creation.py: tensor() from data, zeros/ones/full/empty, arange,
linspace, eye and the *_like forms.

Expected values are NumPy's; dtypes, the layout of *_like results and error messages are
PyTorch 2.13's documented or observed behaviour: Python ints give int64, floats the default
dtype (float32), bools bool, NumPy scalars their own dtype; a tensor copies its data;
*_like keeps the layout of its input (preserve_format).
"""
import numpy as np
import pytest

import lazytensor as lt
from lazytensor.storage import realize_all


def values(*tensors):
    """NumPy arrays of the tensors' values, computed in one realisation."""
    realize_all([t._storage for t in tensors])
    return [np.asarray(t) for t in tensors]


def check(tensors, expected):
    """Each tensor has the expected array's dtype, shape and values."""
    for t, got, want in zip(tensors, values(*tensors), expected):
        want = np.asarray(want)
        assert t.dtype.name == want.dtype.name, (t.dtype, want.dtype)
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)


# -- tensor() ------------------------------------------------------------------------------------
@pytest.mark.parametrize("data,expect", [
    ([1, 2, 3], np.array([1, 2, 3])),
    ([1.0, 2, 3], np.float32([1, 2, 3])),
    ([True, False], np.array([True, False])),
    ([True, 2], np.array([1, 2])),
    ([True, 2.5], np.float32([1, 2.5])),
    (3, np.array(3)),
    (3.5, np.float32(3.5)),
    (True, np.array(True)),
    ([], np.zeros(0, np.float32)),
    ([[]], np.zeros((1, 0), np.float32)),
    ([[1, 2], [3, 4]], np.array([[1, 2], [3, 4]])),
    (((1, 2), (3, 4)), np.array([[1, 2], [3, 4]])),
    ([(1.5, 2), [3, 4]], np.float32([[1.5, 2], [3, 4]])),
    ([[[1], [2]], [[3], [4]]], np.arange(1, 5).reshape(2, 2, 1)),
    (np.array([1, 2], dtype=np.int32), np.int32([1, 2])),
    (np.array([[1.5, 2]]), np.float64([[1.5, 2]])),
    (np.float32(2.5), np.float32(2.5)),
    (np.int16(2), np.int16(2)),
    ([np.float64(1.5), 2], np.float64([1.5, 2])),
    ([np.float16(2), 3.5], np.float32([2, 3.5])),
    ([np.int16(2), 3], np.array([2, 3])),
    ([1e40], np.float32([np.inf])),
    ([2**40], np.array([2**40])),
])
def test_tensor_infers_pytorchs_dtype(data, expect):
    check([lt.tensor(data)], [expect])


def test_tensor_with_dtype_converts_like_pytorch():
    outs = [lt.tensor([1, 2], dtype=lt.float64), lt.tensor([1.7, -2.7], dtype=lt.int32),
            lt.tensor([1.5, 2.5], dtype=lt.float16), lt.tensor([1, 0, 2], dtype=lt.bool),
            lt.tensor([-1, 255], dtype=lt.uint8), lt.tensor([True, 2.5], dtype=lt.int8),
            lt.tensor([300.5], dtype=lt.int16), lt.tensor([2**63], dtype=lt.float32),
            lt.tensor(lt.tensor([1.5]), dtype=lt.int64)]
    expected = [np.float64([1, 2]), np.int32([1, -2]), np.float16([1.5, 2.5]),
                np.array([True, False, True]), np.uint8([255, 255]), np.int8([1, 2]),
                np.int16([300]), np.float32([2.0**63]), np.array([1])]
    check(outs, expected)


def test_tensor_copies_its_data():
    src = [1, 2, 3]
    arr = np.array([1.0, 2.0])
    u, v = lt.tensor(src), lt.tensor(arr)
    w = lt.tensor(u)
    src[0], arr[0] = 100, 100.0
    u.add_(1)
    assert v.tolist() == [1.0, 2.0] and w.tolist() == [1, 2, 3] and u.tolist() == [2, 3, 4]


@pytest.mark.parametrize("call,error,message", [
    (lambda: lt.tensor([[1, 2], [3]]), ValueError, "expected sequence of length 2 at dim 1 "
                                                   "(got 1)"),
    (lambda: lt.tensor([2**63]), ValueError, "Overflow when unpacking long long"),
    (lambda: lt.tensor([300], dtype=lt.uint8), RuntimeError, "value cannot be converted to "
                                                             "type uint8 without overflow"),
    (lambda: lt.tensor([-129], dtype=lt.int8), RuntimeError, "value cannot be converted to "
                                                             "type int8 without overflow"),
    (lambda: lt.tensor([127.9], dtype=lt.int8), RuntimeError, "value cannot be converted to "
                                                              "type int8 without overflow"),
    (lambda: lt.tensor([2**40], dtype=lt.int32), RuntimeError, "value cannot be converted "
                                                               "to type int32 without "
                                                               "overflow"),
    (lambda: lt.tensor([float("nan")], dtype=lt.int64), RuntimeError, "value cannot be "
                                                                      "converted to type "
                                                                      "int64 without overflow"),
    (lambda: lt.tensor("a"), TypeError, "new(): invalid data type 'str'"),
])
def test_tensor_refusals(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message)


# -- filled tensors ------------------------------------------------------------------------------
def test_zeros_ones_full_empty_take_a_shape_as_varargs_or_a_sequence():
    outs = [lt.zeros(2, 3), lt.zeros((2, 3)), lt.zeros([2, 3], dtype=lt.int32), lt.zeros(()),
            lt.zeros(0), lt.ones(3), lt.ones(2, 2, dtype=lt.bool), lt.ones((1, 2), dtype=lt.int8),
            lt.ones(size=(2,)), lt.zeros(2, True), lt.full((2, 3), 7), lt.full((2, 3), 7.5),
            lt.full([2], True), lt.full((2,), 7, dtype=lt.float32),
            lt.full((2,), 7.9, dtype=lt.int32), lt.full((), -1.5), lt.zeros(lt.tensor(2)),
            lt.full((2,), -1, dtype=lt.uint8), lt.full((1,), 1e300, dtype=lt.float16)]
    expected = [np.zeros((2, 3), np.float32), np.zeros((2, 3), np.float32),
                np.zeros((2, 3), np.int32), np.float32(0), np.zeros(0, np.float32),
                np.ones(3, np.float32), np.ones((2, 2), bool), np.ones((1, 2), np.int8),
                np.ones(2, np.float32), np.zeros((2, 1), np.float32), np.full((2, 3), 7),
                np.full((2, 3), 7.5, np.float32), np.array([True, True]),
                np.float32([7, 7]), np.int32([7, 7]), np.float32(-1.5), np.float32([0, 0]),
                np.uint8([255, 255]), np.float16([np.inf])]
    check(outs, expected)
    e = lt.empty(2, 3, dtype=lt.int64)
    assert e.shape == (2, 3) and e.dtype is lt.int64 and lt.empty(0).shape == (0,)
    assert lt.empty((4,)).dtype is lt.float32 and lt.empty(size=[1, 2]).shape == (1, 2)


@pytest.mark.parametrize("call,error,message", [
    (lambda: lt.zeros(2, -1), RuntimeError, "Trying to create tensor with negative dimension "
                                            "-1: [2, -1]"),
    (lambda: lt.ones(2.5), TypeError, "ones(): argument 'size' (position 1) must be tuple of "
                                      "ints, not float"),
    (lambda: lt.zeros(2, 2.5), TypeError, "zeros(): argument 'size' failed to unpack the "
                                          "object at pos 2 with error \"type must be tuple of "
                                          "ints,but got float\""),
    (lambda: lt.empty((2.5,)), TypeError, "empty(): argument 'size' (position 1) must be "
                                          "tuple of ints, but found element of type float at "
                                          "pos 0"),
    (lambda: lt.full(3, 1), TypeError, "full(): argument 'size' (position 1) must be tuple of "
                                       "ints, not int"),
    (lambda: lt.full((2,), 1000, dtype=lt.int8), RuntimeError, "value cannot be converted to "
                                                               "type int8_t without overflow"),
    (lambda: lt.full((2,), 2**31, dtype=lt.int32), RuntimeError, "value cannot be converted "
                                                                 "to type int without "
                                                                 "overflow"),
    (lambda: lt.full((2,), 1e300), RuntimeError, "value cannot be converted to type float "
                                                 "without overflow"),
    (lambda: lt.full((2,), 1e10, dtype=lt.float16), RuntimeError, "value cannot be converted "
                                                                  "to type c10::Half without "
                                                                  "overflow"),
    (lambda: lt.full((2,), float("nan"), dtype=lt.int64), RuntimeError, "value cannot be "
                                                                        "converted to type "
                                                                        "int64_t without "
                                                                        "overflow"),
])
def test_filled_tensor_refusals(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message)


def test_like_forms_keep_dtype_and_layout():
    t = lt.tensor([[1, 2, 3], [4, 5, 6]], dtype=lt.int16)
    p = lt.zeros(2, 3, 4).permute(2, 0, 1)
    outs = [lt.zeros_like(t), lt.ones_like(t), lt.ones_like(t, dtype=lt.float32),
            lt.full_like(t, 7), lt.full_like(t, 7.9), lt.full_like(t, 2.5, dtype=lt.float64),
            lt.zeros_like(t.T), lt.ones_like(lt.tensor(2.5))]
    expected = [np.zeros((2, 3), np.int16), np.ones((2, 3), np.int16), np.ones((2, 3), np.float32),
                np.full((2, 3), 7, np.int16), np.full((2, 3), 7, np.int16),
                np.full((2, 3), 2.5), np.zeros((3, 2), np.int16), np.float32(1)]
    check(outs, expected)
    assert lt.empty_like(t).shape == (2, 3) and lt.empty_like(t).dtype is lt.int16
    # PyTorch's preserve_format: dense layouts are kept, others made dense in stride order
    assert lt.zeros_like(t.T).stride() == (1, 3)
    assert lt.full_like(t.T, 1).stride() == (1, 3) and lt.empty_like(t.T).stride() == (1, 3)
    assert lt.ones_like(p).stride() == (1, 12, 4)
    assert lt.zeros_like(lt.zeros(2, 3, 4)[:, :, ::2]).stride() == (6, 2, 1)
    assert lt.zeros_like(lt.zeros(3, 4)[:, None].expand(3, 5, 4)).stride() == (20, 4, 1)
    assert lt.zeros_like(lt.zeros(4, 3).T[:, None].expand(3, 5, 4)).stride() == (1, 3, 15)
    assert lt.zeros_like(lt.zeros(3, 4).T[1:]).stride() == (1, 3)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without "
                                           "overflow"):
        lt.full_like(t.char(), 1000)


# -- ranges ------------------------------------------------------------------------------------
@pytest.mark.parametrize("args,kwargs,expect", [
    ((5,), {}, np.arange(5)),
    ((1, 5), {}, np.arange(1, 5)),
    ((1, 5, 2), {}, np.arange(1, 5, 2)),
    ((5, 1, -1), {}, np.arange(5, 1, -1)),
    ((10, 0, -3), {}, np.arange(10, 0, -3)),
    ((0, 1, 0.25), {}, np.arange(0, 1, 0.25, dtype=np.float32)),
    ((0.0, 3), {}, np.arange(0.0, 3, dtype=np.float32)),
    ((-1.5, 2), {}, np.float32([-1.5, -0.5, 0.5, 1.5])),
    ((0, 1, 0.1), {}, np.arange(10, dtype=np.float64).astype(np.float32) * np.float32(0.1)),
    ((5,), {"dtype": lt.float32}, np.arange(5, dtype=np.float32)),
    ((3,), {"dtype": lt.int8}, np.arange(3, dtype=np.int8)),
    ((0, 10, 3), {"dtype": lt.float64}, np.arange(0, 10, 3, dtype=np.float64)),
    # integer dtypes step through int(start) + i * int(step), i < ceil((end - start) / step)
    ((0, 10, 2.5), {"dtype": lt.int32}, np.int32([0, 2, 4, 6])),
    ((-0.5, 3.5, 1.5), {"dtype": lt.int32}, np.int32([0, 1, 2])),
    ((lt.tensor(4),), {}, np.arange(4)),
])
def test_arange(args, kwargs, expect):
    t = lt.arange(*args, **kwargs)
    assert t.dtype.name == expect.dtype.name
    np.testing.assert_allclose(np.asarray(t), expect, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("call,error,message", [
    (lambda: lt.arange(0, 5, 0), RuntimeError, "step must be nonzero"),
    (lambda: lt.arange(5, 1), RuntimeError, "upper bound and lower bound inconsistent with "
                                            "step sign"),
    (lambda: lt.arange(0, float("nan")), RuntimeError, "unsupported range: 0 -> nan"),
    (lambda: lt.arange(float("-inf"), 0), RuntimeError, "unsupported range: -inf -> 0"),
    (lambda: lt.arange(3, dtype=lt.bool), NotImplementedError, "\"arange_cpu\" not "
                                                               "implemented for 'Bool'"),
    (lambda: lt.linspace(0, 1, -1), RuntimeError, "number of steps must be non-negative"),
    (lambda: lt.linspace(0, 1, 3, dtype=lt.bool), NotImplementedError, "\"linspace_cpu\" not "
                                                                       "implemented for "
                                                                       "'Bool'"),
    (lambda: lt.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    (lambda: lt.eye(2, -1), RuntimeError, "m must be greater or equal to 0, got -1"),
])
def test_range_refusals(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message)


def test_linspace_and_eye():
    outs = [lt.linspace(0, 1, 5), lt.linspace(0, 1, 1), lt.linspace(0, 1, 0),
            lt.linspace(-2, 3, 7), lt.linspace(0, 10, 4, dtype=lt.int64),
            lt.linspace(-1, 1, 5, dtype=lt.int32), lt.linspace(0, 1, 6, dtype=lt.float64),
            lt.linspace(1, -1, 4), lt.eye(3), lt.eye(2, 4), lt.eye(3, dtype=lt.int64),
            lt.eye(3, 2, dtype=lt.bool), lt.eye(0)]
    expected = [np.linspace(0, 1, 5, dtype=np.float32), np.float32([0]), np.zeros(0, np.float32),
                np.linspace(-2, 3, 7, dtype=np.float32), np.array([0, 3, 6, 10]),
                np.int32([-1, 0, 0, 0, 1]), np.linspace(0, 1, 6),
                np.linspace(1, -1, 4, dtype=np.float32), np.eye(3, dtype=np.float32),
                np.eye(2, 4, dtype=np.float32), np.eye(3, dtype=np.int64), np.eye(3, 2) > 0,
                np.zeros((0, 0), np.float32)]
    for t, want in zip(outs, expected):
        assert t.dtype.name == want.dtype.name
        np.testing.assert_allclose(np.asarray(t), want, rtol=1e-6, atol=1e-7)


def test_linspace_equals_pytorchs_values_bit_for_bit():
    """PyTorch's linspace has its own rounding (a fused multiply-add per value, from either
    end; float16/bfloat16 round every step; integer dtypes truncate the ends first), e.g.
    the middle of linspace(-1, 1, 7) is -2.9802e-08, not 0. The expected values are
    PyTorch 2.13's, from tests/data/make_linspace_reference.py."""
    import json
    import os
    path = os.path.join(os.path.dirname(__file__), "data", "linspace_reference.json")
    with open(path) as f:
        cases = json.load(f)["cases"]
    assert len(cases) > 150
    for c in cases:
        t = lt.linspace(c["start"], c["end"], c["steps"], dtype=getattr(lt, c["dtype"]))
        got = t.float().tolist() if c["dtype"] == "bfloat16" else t.tolist()
        assert got == c["values"], (c["start"], c["end"], c["steps"], c["dtype"])
    assert lt.linspace(-1, 1, 7)[3].item() == -2.9802322387695312e-08


# -- metadata and realisation of created tensors ------------------------------------------------
def test_metadata():
    t = lt.zeros(2, 3)
    assert t.shape == (2, 3) and t.size() == (2, 3) and t.size(1) == 3 and t.size(-1) == 3
    assert isinstance(t.shape, lt.Size) and repr(t.shape) == "lazytensor.Size([2, 3])"
    assert t.numel() == 6 and t.dim() == 2 and t.ndim == 2 and len(lt.zeros(4, 3)) == 4
    assert t.stride() == (3, 1) and t.stride(-2) == 3
    assert lt.zeros(2, dtype=lt.float64).element_size() == 8
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range "
                                         r"of \[-2, 1\], but got 2\)"):
        t.size(2)


def test_reading_values_out():
    t = lt.tensor([[1, 2], [3, 4]])
    assert t.tolist() == [[1, 2], [3, 4]] and lt.tensor(2.5).tolist() == 2.5
    assert lt.tensor([1.5]).item() == 1.5 and lt.tensor(7).item() == 7
    assert lt.tensor(True).item() is True
    assert float(lt.tensor(2.5)) == 2.5 and int(lt.tensor(2.5)) == 2
    assert bool(lt.tensor([0])) is False
    assert lt.tensor([1.5, 2.5]).numpy().dtype == np.float32
    assert lt.tensor([1, 2], dtype=lt.int16).numpy().tolist() == [1, 2]
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to "
                                           "Scalar"):
        lt.tensor([1, 2]).item()
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value "
                                           "is ambiguous"):
        bool(lt.tensor([1, 2]))


def test_format_of_a_zero_dim_tensor_is_its_number_as_in_pytorch():
    """PyTorch's Tensor.__format__: a 0-d tensor formats as .item() does, with or without a
    spec; other tensors format as their repr and refuse a spec."""
    assert f"{lt.tensor(0.5)}" == "0.5"
    assert f"{lt.tensor(3)}" == "3" and f"{lt.tensor(True)}" == "True"
    assert "{:.2f}".format(lt.tensor(0.123)) == "0.12"
    assert f"{lt.tensor([0.5])}" == "tensor([0.5000])"
    with pytest.raises(TypeError, match="unsupported format string passed to "
                                        "Tensor.__format__"):
        "{:.2f}".format(lt.tensor([0.5]))


def test_a_bfloat16_scalar_is_zero_dim():
    t = lt.tensor(-272.0, dtype=lt.bfloat16)
    assert t.shape == () and str(t) == "tensor(-272., dtype=lazytensor.bfloat16)"
    assert lt.tensor(float("nan"), dtype=lt.bfloat16).shape == ()
