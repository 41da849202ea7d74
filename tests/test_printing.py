"""Tests for lazytensor/printing.py against text printed by PyTorch.

Every expected string below is text printed by PyTorch 2.13.0 (CPU build): the same numpy
array was passed through ``torch.from_numpy`` (``.to(torch.bfloat16)`` for bfloat16, and
``requires_grad_()``/``clone()``/``* 1`` for the autograd suffixes) and ``repr`` was taken
with the same print options and default dtype.  The tests call ``format_tensor`` with
``module="torch"`` so the strings are PyTorch's own, verbatim.  The "tutorial" cases are the
outputs printed in PyTorch's "Introduction to PyTorch Tensors" tutorial; the tutorial
extract drops the blank line PyTorch prints between blocks of a 3-d tensor, so those cases
carry the blank line PyTorch 2.13 actually prints.  The ``device='cuda:0'`` cases come only
from the tutorial (the reference install has no CUDA).

The module is loaded by path so that the tests work with or without the package ``__init__``.
"""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

_PATH = Path(__file__).resolve().parents[1] / "lazytensor" / "printing.py"
_SPEC = importlib.util.spec_from_file_location("_lazytensor_printing_under_test", _PATH)
printing = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(printing)


@pytest.fixture(autouse=True)
def _default_options():
    """Every test starts and ends with PyTorch's default print options."""
    printing.set_printoptions(profile="default")
    yield
    printing.set_printoptions(profile="default")


def bf16(values):
    """Round float32 values to the nearest bfloat16 (ties to even), kept as float32."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return rounded.astype(np.uint32).view(np.float32)


# The 20 values printed by the tutorial's torch.rand(1, 20) example.
TUTORIAL_ROW_20 = np.array(
    [0.1899, 0.4067, 0.1519, 0.1506, 0.9585, 0.7756, 0.8973, 0.4929, 0.2367, 0.8194,
     0.4509, 0.2690, 0.8381, 0.8207, 0.6818, 0.5057, 0.9335, 0.9769, 0.2792, 0.3277],
    np.float32,
)


def case(name, values, dtype, expected, options=None, **kwargs):
    """One format_tensor case; ``options`` go to set_printoptions, ``kwargs`` to format_tensor."""
    return pytest.param(values, dtype, options or {}, kwargs, expected, id=name)


def _check(values, dtype, options, kwargs, expected):
    printing.set_printoptions(**options)
    assert printing.format_tensor(values, dtype, module="torch", **kwargs) == expected


TENSOR_CASES = [
    case("scalar_whole_float", np.array(4.0, np.float32), "float32", "tensor(4.)"),
    case("scalar_fraction", np.array(2.5, np.float32), "float32", "tensor(2.5000)"),
    case("scalar_rounding", np.array(1.29099440574646, np.float32), "float32", "tensor(1.2910)"),
    case("scalar_negative_zero", np.array(-0.0, np.float32), "float32", "tensor(-0.)"),
    case("scalar_zero", np.array(0.0, np.float32), "float32", "tensor(0.)"),
    case("scalar_nan", np.array(np.nan, np.float32), "float32", "tensor(nan)"),
    case("scalar_inf", np.array(np.inf, np.float32), "float32", "tensor(inf)"),
    case("scalar_neg_inf", np.array(-np.inf, np.float32), "float32", "tensor(-inf)"),
    case("scalar_tiny", np.array(1e-5, np.float32), "float32", "tensor(1.0000e-05)"),
    case("scalar_huge_whole", np.array(123456789.0, np.float32), "float32", "tensor(1.2346e+08)"),
    case(
        "scalar_1e8_whole",
        np.array(1e8, np.float64),
        "float64",
        "tensor(100000000., dtype=torch.float64)",
    ),
    case(
        "scalar_negative_fraction",
        np.array(-3.25, np.float64),
        "float64",
        "tensor(-3.2500, dtype=torch.float64)",
    ),
    case("scalar_int64", np.array(7, np.int64), "int64", "tensor(7)"),
    case(
        "scalar_int16_negative",
        np.array(-7, np.int16),
        "int16",
        "tensor(-7, dtype=torch.int16)",
    ),
    case("scalar_uint8", np.array(255, np.uint8), "uint8", "tensor(255, dtype=torch.uint8)"),
    case("scalar_bool", np.array(True), "bool", "tensor(True)"),
    case(
        "scalar_float16",
        np.array(0.1, np.float16),
        "float16",
        "tensor(0.1000, dtype=torch.float16)",
    ),
    case(
        "scalar_bfloat16",
        bf16(np.array(3.14159, np.float32)),
        "bfloat16",
        "tensor(3.1406, dtype=torch.bfloat16)",
    ),
    case(
        "vec_linspace",
        np.linspace(0, 1, 5, dtype=np.float32),
        "float32",
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])",
    ),
    case(
        "vec_whole_floats",
        np.array([1.0, 10.0, 100.0], np.float32),
        "float32",
        "tensor([  1.,  10., 100.])",
    ),
    case(
        "vec_whole_with_negative",
        np.array([-1.0, 0.0, 1.0], np.float32),
        "float32",
        "tensor([-1.,  0.,  1.])",
    ),
    case(
        "vec_ratio_exactly_1000",
        np.array([1.0, 1000.0], np.float32),
        "float32",
        "tensor([   1., 1000.])",
    ),
    case(
        "vec_ratio_above_1000_whole",
        np.array([1.0, 1001.0], np.float32),
        "float32",
        "tensor([1.0000e+00, 1.0010e+03])",
    ),
    case(
        "vec_ratio_above_1000",
        np.array([0.5, 1000.5], np.float32),
        "float32",
        "tensor([5.0000e-01, 1.0005e+03])",
    ),
    case(
        "vec_min_1e-4_float32",
        np.array([1e-4, 0.05], np.float32),
        "float32",
        "tensor([1.0000e-04, 5.0000e-02])",
    ),
    case(
        "vec_min_1e-4_float64",
        np.array([1e-4, 0.05], np.float64),
        "float64",
        "tensor([0.0001, 0.0500], dtype=torch.float64)",
    ),
    case(
        "vec_1e8_whole",
        np.array([1e8, 2e7], np.float32),
        "float32",
        "tensor([100000000.,  20000000.])",
    ),
    case(
        "vec_above_1e8_whole",
        np.array([1.5e8, 1e8], np.float32),
        "float32",
        "tensor([1.5000e+08, 1.0000e+08])",
    ),
    case(
        "vec_large_fixed",
        np.array([123456.5, 2.0], np.float64),
        "float64",
        "tensor([1.2346e+05, 2.0000e+00], dtype=torch.float64)",
    ),
    case(
        "vec_mixed_signs_align",
        np.array([-1.5, 2.25, 100.125], np.float32),
        "float32",
        "tensor([ -1.5000,   2.2500, 100.1250])",
    ),
    case(
        "vec_sci_negative",
        np.array([-1e-5, 2e3, 3.0], np.float32),
        "float32",
        "tensor([-1.0000e-05,  2.0000e+03,  3.0000e+00])",
    ),
    case(
        "vec_sci_three_digit_exponent",
        np.array([1e-200, -1e200, 1.0], np.float64),
        "float64",
        "tensor([ 1.0000e-200, -1.0000e+200,   1.0000e+00], dtype=torch.float64)",
    ),
    case(
        "vec_rounds_up_width",
        np.array([9.99996, 0.5], np.float64),
        "float64",
        "tensor([10.0000,  0.5000], dtype=torch.float64)",
    ),
    case(
        "vec_tiny_fixed_ratio",
        np.array([0.0002, 0.15], np.float32),
        "float32",
        "tensor([0.0002, 0.1500])",
    ),
    case(
        "vec_nan_inf_mixed",
        np.array([np.nan, 1.5, np.inf, -np.inf], np.float32),
        "float32",
        "tensor([   nan, 1.5000,    inf,   -inf])",
    ),
    case(
        "vec_only_nonfinite",
        np.array([np.nan, np.inf, -np.inf], np.float32),
        "float32",
        "tensor([nan, inf, -inf])",
    ),
    case(
        "vec_zeros_signed",
        np.array([0.0, -0.0, 0.0], np.float32),
        "float32",
        "tensor([0., -0., 0.])",
    ),
    case(
        "vec_negative_zero_whole",
        np.array([-0.0, 1.0, -0.0], np.float32),
        "float32",
        "tensor([-0., 1., -0.])",
    ),
    case(
        "vec_nan_whole",
        np.array([np.nan, 1.0, 2.0], np.float32),
        "float32",
        "tensor([nan, 1., 2.])",
    ),
    case(
        "vec_nan_sci",
        np.array([1e-8, np.nan, -np.inf], np.float32),
        "float32",
        "tensor([1.0000e-08,        nan,       -inf])",
    ),
    case(
        "vec_zero_in_sci",
        np.array([0.0, 1e-6, 1.0], np.float32),
        "float32",
        "tensor([0.0000e+00, 1.0000e-06, 1.0000e+00])",
    ),
    case(
        "vec_negative_zero_fixed",
        np.array([-0.0, 0.5], np.float32),
        "float32",
        "tensor([-0.0000, 0.5000])",
    ),
    case("vec_int64", np.arange(5, dtype=np.int64), "int64", "tensor([0, 1, 2, 3, 4])"),
    case(
        "vec_int32_negative",
        np.arange(-5, 5, dtype=np.int32),
        "int32",
        "tensor([-5, -4, -3, -2, -1,  0,  1,  2,  3,  4], dtype=torch.int32)",
    ),
    case(
        "vec_int8_extremes",
        np.array([-128, 0, 127], np.int8),
        "int8",
        "tensor([-128,    0,  127], dtype=torch.int8)",
    ),
    case(
        "vec_uint8",
        np.array([0, 7, 255], np.uint8),
        "uint8",
        "tensor([  0,   7, 255], dtype=torch.uint8)",
    ),
    case(
        "vec_int16",
        np.array([-300, 2, 30000], np.int16),
        "int16",
        "tensor([ -300,     2, 30000], dtype=torch.int16)",
    ),
    case(
        "vec_large_int64",
        np.array([2**62, -(2**62), 0, 9], np.int64),
        "int64",
        (
            "tensor([ 4611686018427387904, -4611686018427387904,                    0,\n"
            "                           9])"
        ),
    ),
    case("vec_bool", np.array([True, False, True]), "bool", "tensor([ True, False,  True])"),
    case(
        "vec_float16",
        np.array([0.1, 1 / 3, 2.0, -7.5], np.float16),
        "float16",
        "tensor([ 0.1000,  0.3333,  2.0000, -7.5000], dtype=torch.float16)",
    ),
    case(
        "vec_float16_max",
        np.array([65504.0, 1.0], np.float16),
        "float16",
        "tensor([6.5504e+04, 1.0000e+00], dtype=torch.float16)",
    ),
    case(
        "vec_float16_subnormal",
        np.array([6e-8, 1.0], np.float16),
        "float16",
        "tensor([5.9605e-08, 1.0000e+00], dtype=torch.float16)",
    ),
    case(
        "vec_float16_whole",
        np.array([1.0, 2.0, 2048.0], np.float16),
        "float16",
        "tensor([1.0000e+00, 2.0000e+00, 2.0480e+03], dtype=torch.float16)",
    ),
    case(
        "vec_bfloat16",
        bf16(np.linspace(-1, 1, 7, dtype=np.float32)),
        "bfloat16",
        (
            "tensor([-1.0000, -0.6680, -0.3340,  0.0000,  0.3340,  0.6680,  1.0000],\n"
            "       dtype=torch.bfloat16)"
        ),
    ),
    case(
        "vec_bfloat16_third",
        bf16(np.array([1 / 3, 100.0, 0.01], np.float32)),
        "bfloat16",
        "tensor([3.3398e-01, 1.0000e+02, 1.0010e-02], dtype=torch.bfloat16)",
    ),
    case(
        "vec_bfloat16_huge",
        bf16(np.array([3e38, 1.0], np.float32)),
        "bfloat16",
        "tensor([3.0041e+38, 1.0000e+00], dtype=torch.bfloat16)",
    ),
    case(
        "vec_float64",
        np.linspace(0, 2, 5),
        "float64",
        "tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000], dtype=torch.float64)",
    ),
    case(
        "vec_float64_default_float64",
        np.linspace(0, 2, 5),
        "float64",
        "tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000])",
        default_dtype="float64",
    ),
    case(
        "vec_float32_default_float64",
        np.linspace(0, 2, 5, dtype=np.float32),
        "float32",
        "tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000], dtype=torch.float32)",
        default_dtype="float64",
    ),
    case(
        "vec_int64_default_float64",
        np.arange(3),
        "int64",
        "tensor([0, 1, 2])",
        default_dtype="float64",
    ),
    case(
        "mat_arange_float",
        np.arange(12, dtype=np.float32).reshape(3, 4),
        "float32",
        (
            "tensor([[ 0.,  1.,  2.,  3.],\n"
            "        [ 4.,  5.,  6.,  7.],\n"
            "        [ 8.,  9., 10., 11.]])"
        ),
    ),
    case(
        "mat_fraction",
        (np.arange(12, dtype=np.float32).reshape(3, 4) - 5) / 3,
        "float32",
        (
            "tensor([[-1.6667, -1.3333, -1.0000, -0.6667],\n"
            "        [-0.3333,  0.0000,  0.3333,  0.6667],\n"
            "        [ 1.0000,  1.3333,  1.6667,  2.0000]])"
        ),
    ),
    case(
        "mat_int_negative",
        np.array([[-5, 10], [300, -2000]], np.int16),
        "int16",
        (
            "tensor([[   -5,    10],\n"
            "        [  300, -2000]], dtype=torch.int16)"
        ),
    ),
    case(
        "mat_int32",
        np.arange(6, dtype=np.int32).reshape(2, 3) * 111,
        "int32",
        (
            "tensor([[  0, 111, 222],\n"
            "        [333, 444, 555]], dtype=torch.int32)"
        ),
    ),
    case(
        "mat_uint8",
        np.arange(6, dtype=np.uint8).reshape(3, 2) * 40,
        "uint8",
        (
            "tensor([[  0,  40],\n"
            "        [ 80, 120],\n"
            "        [160, 200]], dtype=torch.uint8)"
        ),
    ),
    case(
        "mat_int8",
        np.arange(-6, 6, dtype=np.int8).reshape(3, 4),
        "int8",
        (
            "tensor([[-6, -5, -4, -3],\n"
            "        [-2, -1,  0,  1],\n"
            "        [ 2,  3,  4,  5]], dtype=torch.int8)"
        ),
    ),
    case(
        "mat_bool_eye",
        np.eye(3, dtype=bool),
        "bool",
        (
            "tensor([[ True, False, False],\n"
            "        [False,  True, False],\n"
            "        [False, False,  True]])"
        ),
    ),
    case(
        "mat_float16",
        (np.arange(6, dtype=np.float16) / 7).reshape(2, 3),
        "float16",
        (
            "tensor([[0.0000, 0.1428, 0.2856],\n"
            "        [0.4285, 0.5713, 0.7144]], dtype=torch.float16)"
        ),
    ),
    case(
        "mat_bfloat16",
        bf16((np.arange(6, dtype=np.float32) / 7).reshape(3, 2)),
        "bfloat16",
        (
            "tensor([[0.0000, 0.1426],\n"
            "        [0.2852, 0.4277],\n"
            "        [0.5703, 0.7148]], dtype=torch.bfloat16)"
        ),
    ),
    case(
        "mat_sci",
        np.array([[1e-3, 2.0], [3e4, -5e-2]], np.float32),
        "float32",
        (
            "tensor([[ 1.0000e-03,  2.0000e+00],\n"
            "        [ 3.0000e+04, -5.0000e-02]])"
        ),
    ),
    case(
        "mat_single_column",
        np.arange(3, dtype=np.float32).reshape(3, 1) + 0.5,
        "float32",
        (
            "tensor([[0.5000],\n"
            "        [1.5000],\n"
            "        [2.5000]])"
        ),
    ),
    case(
        "cube_arange",
        np.arange(24, dtype=np.float32).reshape(2, 3, 4),
        "float32",
        (
            "tensor([[[ 0.,  1.,  2.,  3.],\n"
            "         [ 4.,  5.,  6.,  7.],\n"
            "         [ 8.,  9., 10., 11.]],\n"
            "\n"
            "        [[12., 13., 14., 15.],\n"
            "         [16., 17., 18., 19.],\n"
            "         [20., 21., 22., 23.]]])"
        ),
    ),
    case(
        "cube_int64",
        np.arange(-12, 12, dtype=np.int64).reshape(2, 3, 4),
        "int64",
        (
            "tensor([[[-12, -11, -10,  -9],\n"
            "         [ -8,  -7,  -6,  -5],\n"
            "         [ -4,  -3,  -2,  -1]],\n"
            "\n"
            "        [[  0,   1,   2,   3],\n"
            "         [  4,   5,   6,   7],\n"
            "         [  8,   9,  10,  11]]])"
        ),
    ),
    case(
        "cube_bool",
        (np.arange(8).reshape(2, 2, 2) % 3) == 0,
        "bool",
        (
            "tensor([[[ True, False],\n"
            "         [False,  True]],\n"
            "\n"
            "        [[False, False],\n"
            "         [ True, False]]])"
        ),
    ),
    case(
        "hyper4d",
        np.arange(16, dtype=np.float64).reshape(2, 2, 2, 2) * 0.5,
        "float64",
        (
            "tensor([[[[0.0000, 0.5000],\n"
            "          [1.0000, 1.5000]],\n"
            "\n"
            "         [[2.0000, 2.5000],\n"
            "          [3.0000, 3.5000]]],\n"
            "\n"
            "\n"
            "        [[[4.0000, 4.5000],\n"
            "          [5.0000, 5.5000]],\n"
            "\n"
            "         [[6.0000, 6.5000],\n"
            "          [7.0000, 7.5000]]]], dtype=torch.float64)"
        ),
    ),
    case(
        "hyper4d_int",
        np.arange(16, dtype=np.int32).reshape(2, 2, 2, 2),
        "int32",
        (
            "tensor([[[[ 0,  1],\n"
            "          [ 2,  3]],\n"
            "\n"
            "         [[ 4,  5],\n"
            "          [ 6,  7]]],\n"
            "\n"
            "\n"
            "        [[[ 8,  9],\n"
            "          [10, 11]],\n"
            "\n"
            "         [[12, 13],\n"
            "          [14, 15]]]], dtype=torch.int32)"
        ),
    ),
    case(
        "hyper5d",
        np.linspace(-1, 1, 32, dtype=np.float32).reshape(2, 2, 2, 2, 2),
        "float32",
        (
            "tensor([[[[[-1.0000, -0.9355],\n"
            "           [-0.8710, -0.8065]],\n"
            "\n"
            "          [[-0.7419, -0.6774],\n"
            "           [-0.6129, -0.5484]]],\n"
            "\n"
            "\n"
            "         [[[-0.4839, -0.4194],\n"
            "           [-0.3548, -0.2903]],\n"
            "\n"
            "          [[-0.2258, -0.1613],\n"
            "           [-0.0968, -0.0323]]]],\n"
            "\n"
            "\n"
            "\n"
            "        [[[[ 0.0323,  0.0968],\n"
            "           [ 0.1613,  0.2258]],\n"
            "\n"
            "          [[ 0.2903,  0.3548],\n"
            "           [ 0.4194,  0.4839]]],\n"
            "\n"
            "\n"
            "         [[[ 0.5484,  0.6129],\n"
            "           [ 0.6774,  0.7419]],\n"
            "\n"
            "          [[ 0.8065,  0.8710],\n"
            "           [ 0.9355,  1.0000]]]]])"
        ),
    ),
    case(
        "hyper5d_single",
        np.full((1, 1, 1, 1, 1), 0.2347, np.float32),
        "float32",
        "tensor([[[[[0.2347]]]]])",
    ),
    case(
        "shape_with_ones",
        np.arange(3, dtype=np.float32).reshape(1, 3, 1),
        "float32",
        (
            "tensor([[[0.],\n"
            "         [1.],\n"
            "         [2.]]])"
        ),
    ),
    case("empty_float32", np.zeros(0, np.float32), "float32", "tensor([])"),
    case("empty_int64", np.zeros(0, np.int64), "int64", "tensor([], dtype=torch.int64)"),
    case("empty_bool", np.zeros(0, bool), "bool", "tensor([], dtype=torch.bool)"),
    case("empty_float64", np.zeros(0, np.float64), "float64", "tensor([], dtype=torch.float64)"),
    case(
        "empty_float64_default_float64",
        np.zeros(0),
        "float64",
        "tensor([])",
        default_dtype="float64",
    ),
    case("empty_2d", np.zeros((0, 3), np.float32), "float32", "tensor([], size=(0, 3))"),
    case(
        "empty_3d_int32",
        np.zeros((2, 0, 3), np.int32),
        "int32",
        "tensor([], size=(2, 0, 3), dtype=torch.int32)",
    ),
    case(
        "empty_2d_uint8",
        np.zeros((4, 0), np.uint8),
        "uint8",
        "tensor([], size=(4, 0), dtype=torch.uint8)",
    ),
    case(
        "empty_requires_grad",
        np.zeros((0, 2), np.float32),
        "float32",
        "tensor([], size=(0, 2), requires_grad=True)",
        requires_grad=True,
    ),
    case(
        "summary_arange_2000_float",
        np.arange(2000, dtype=np.float32),
        "float32",
        (
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
            "        1.9990e+03])"
        ),
    ),
    case(
        "summary_arange_2000_int",
        np.arange(2000, dtype=np.int64),
        "int64",
        "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])",
    ),
    case(
        "summary_arange_1001_fraction",
        np.arange(1001, dtype=np.float32) / 1000,
        "float32",
        "tensor([0.0000, 0.0010, 0.0020,  ..., 0.9980, 0.9990, 1.0000])",
    ),
    case(
        "summary_40x40",
        np.arange(1600, dtype=np.float32).reshape(40, 40) / 7,
        "float32",
        (
            "tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 5.2857e+00, 5.4286e+00,\n"
            "         5.5714e+00],\n"
            "        [5.7143e+00, 5.8571e+00, 6.0000e+00,  ..., 1.1000e+01, 1.1143e+01,\n"
            "         1.1286e+01],\n"
            "        [1.1429e+01, 1.1571e+01, 1.1714e+01,  ..., 1.6714e+01, 1.6857e+01,\n"
            "         1.7000e+01],\n"
            "        ...,\n"
            "        [2.1143e+02, 2.1157e+02, 2.1171e+02,  ..., 2.1671e+02, 2.1686e+02,\n"
            "         2.1700e+02],\n"
            "        [2.1714e+02, 2.1729e+02, 2.1743e+02,  ..., 2.2243e+02, 2.2257e+02,\n"
            "         2.2271e+02],\n"
            "        [2.2286e+02, 2.2300e+02, 2.2314e+02,  ..., 2.2814e+02, 2.2829e+02,\n"
            "         2.2843e+02]])"
        ),
    ),
    case(
        "summary_40x40_int",
        np.arange(1600, dtype=np.int64).reshape(40, 40) - 800,
        "int64",
        (
            "tensor([[-800, -799, -798,  ..., -763, -762, -761],\n"
            "        [-760, -759, -758,  ..., -723, -722, -721],\n"
            "        [-720, -719, -718,  ..., -683, -682, -681],\n"
            "        ...,\n"
            "        [ 680,  681,  682,  ...,  717,  718,  719],\n"
            "        [ 720,  721,  722,  ...,  757,  758,  759],\n"
            "        [ 760,  761,  762,  ...,  797,  798,  799]])"
        ),
    ),
    case(
        "summary_3d",
        np.linspace(-5, 5, 1200, dtype=np.float32).reshape(10, 10, 12),
        "float32",
        (
            "tensor([[[-5.0000, -4.9917, -4.9833,  ..., -4.9249, -4.9166, -4.9083],\n"
            "         [-4.8999, -4.8916, -4.8832,  ..., -4.8249, -4.8165, -4.8082],\n"
            "         [-4.7998, -4.7915, -4.7832,  ..., -4.7248, -4.7164, -4.7081],\n"
            "         ...,\n"
            "         [-4.2994, -4.2911, -4.2827,  ..., -4.2244, -4.2160, -4.2077],\n"
            "         [-4.1993, -4.1910, -4.1827,  ..., -4.1243, -4.1159, -4.1076],\n"
            "         [-4.0992, -4.0909, -4.0826,  ..., -4.0242, -4.0158, -4.0075]],\n"
            "\n"
            "        [[-3.9992, -3.9908, -3.9825,  ..., -3.9241, -3.9158, -3.9074],\n"
            "         [-3.8991, -3.8907, -3.8824,  ..., -3.8240, -3.8157, -3.8073],\n"
            "         [-3.7990, -3.7907, -3.7823,  ..., -3.7239, -3.7156, -3.7073],\n"
            "         ...,\n"
            "         [-3.2986, -3.2902, -3.2819,  ..., -3.2235, -3.2152, -3.2068],\n"
            "         [-3.1985, -3.1902, -3.1818,  ..., -3.1234, -3.1151, -3.1068],\n"
            "         [-3.0984, -3.0901, -3.0817,  ..., -3.0234, -3.0150, -3.0067]],\n"
            "\n"
            "        [[-2.9983, -2.9900, -2.9817,  ..., -2.9233, -2.9149, -2.9066],\n"
            "         [-2.8982, -2.8899, -2.8816,  ..., -2.8232, -2.8148, -2.8065],\n"
            "         [-2.7982, -2.7898, -2.7815,  ..., -2.7231, -2.7148, -2.7064],\n"
            "         ...,\n"
            "         [-2.2977, -2.2894, -2.2811,  ..., -2.2227, -2.2143, -2.2060],\n"
            "         [-2.1977, -2.1893, -2.1810,  ..., -2.1226, -2.1143, -2.1059],\n"
            "         [-2.0976, -2.0892, -2.0809,  ..., -2.0225, -2.0142, -2.0058]],\n"
            "\n"
            "        ...,\n"
            "\n"
            "        [[ 2.0058,  2.0142,  2.0225,  ...,  2.0809,  2.0892,  2.0976],\n"
            "         [ 2.1059,  2.1143,  2.1226,  ...,  2.1810,  2.1893,  2.1977],\n"
            "         [ 2.2060,  2.2143,  2.2227,  ...,  2.2811,  2.2894,  2.2977],\n"
            "         ...,\n"
            "         [ 2.7064,  2.7148,  2.7231,  ...,  2.7815,  2.7898,  2.7982],\n"
            "         [ 2.8065,  2.8148,  2.8232,  ...,  2.8816,  2.8899,  2.8982],\n"
            "         [ 2.9066,  2.9149,  2.9233,  ...,  2.9817,  2.9900,  2.9983]],\n"
            "\n"
            "        [[ 3.0067,  3.0150,  3.0234,  ...,  3.0817,  3.0901,  3.0984],\n"
            "         [ 3.1068,  3.1151,  3.1234,  ...,  3.1818,  3.1902,  3.1985],\n"
            "         [ 3.2068,  3.2152,  3.2235,  ...,  3.2819,  3.2902,  3.2986],\n"
            "         ...,\n"
            "         [ 3.7073,  3.7156,  3.7239,  ...,  3.7823,  3.7907,  3.7990],\n"
            "         [ 3.8073,  3.8157,  3.8240,  ...,  3.8824,  3.8907,  3.8991],\n"
            "         [ 3.9074,  3.9158,  3.9241,  ...,  3.9825,  3.9908,  3.9992]],\n"
            "\n"
            "        [[ 4.0075,  4.0158,  4.0242,  ...,  4.0826,  4.0909,  4.0992],\n"
            "         [ 4.1076,  4.1159,  4.1243,  ...,  4.1827,  4.1910,  4.1993],\n"
            "         [ 4.2077,  4.2160,  4.2244,  ...,  4.2827,  4.2911,  4.2994],\n"
            "         ...,\n"
            "         [ 4.7081,  4.7164,  4.7248,  ...,  4.7832,  4.7915,  4.7998],\n"
            "         [ 4.8082,  4.8165,  4.8249,  ...,  4.8832,  4.8916,  4.8999],\n"
            "         [ 4.9083,  4.9166,  4.9249,  ...,  4.9833,  4.9917,  5.0000]]])"
        ),
    ),
    case(
        "summary_4d",
        np.arange(6 * 7 * 8 * 9, dtype=np.int16).reshape(6, 7, 8, 9),
        "int16",
        (
            "tensor([[[[   0,    1,    2,  ...,    6,    7,    8],\n"
            "          [   9,   10,   11,  ...,   15,   16,   17],\n"
            "          [  18,   19,   20,  ...,   24,   25,   26],\n"
            "          ...,\n"
            "          [  45,   46,   47,  ...,   51,   52,   53],\n"
            "          [  54,   55,   56,  ...,   60,   61,   62],\n"
            "          [  63,   64,   65,  ...,   69,   70,   71]],\n"
            "\n"
            "         [[  72,   73,   74,  ...,   78,   79,   80],\n"
            "          [  81,   82,   83,  ...,   87,   88,   89],\n"
            "          [  90,   91,   92,  ...,   96,   97,   98],\n"
            "          ...,\n"
            "          [ 117,  118,  119,  ...,  123,  124,  125],\n"
            "          [ 126,  127,  128,  ...,  132,  133,  134],\n"
            "          [ 135,  136,  137,  ...,  141,  142,  143]],\n"
            "\n"
            "         [[ 144,  145,  146,  ...,  150,  151,  152],\n"
            "          [ 153,  154,  155,  ...,  159,  160,  161],\n"
            "          [ 162,  163,  164,  ...,  168,  169,  170],\n"
            "          ...,\n"
            "          [ 189,  190,  191,  ...,  195,  196,  197],\n"
            "          [ 198,  199,  200,  ...,  204,  205,  206],\n"
            "          [ 207,  208,  209,  ...,  213,  214,  215]],\n"
            "\n"
            "         ...,\n"
            "\n"
            "         [[ 288,  289,  290,  ...,  294,  295,  296],\n"
            "          [ 297,  298,  299,  ...,  303,  304,  305],\n"
            "          [ 306,  307,  308,  ...,  312,  313,  314],\n"
            "          ...,\n"
            "          [ 333,  334,  335,  ...,  339,  340,  341],\n"
            "          [ 342,  343,  344,  ...,  348,  349,  350],\n"
            "          [ 351,  352,  353,  ...,  357,  358,  359]],\n"
            "\n"
            "         [[ 360,  361,  362,  ...,  366,  367,  368],\n"
            "          [ 369,  370,  371,  ...,  375,  376,  377],\n"
            "          [ 378,  379,  380,  ...,  384,  385,  386],\n"
            "          ...,\n"
            "          [ 405,  406,  407,  ...,  411,  412,  413],\n"
            "          [ 414,  415,  416,  ...,  420,  421,  422],\n"
            "          [ 423,  424,  425,  ...,  429,  430,  431]],\n"
            "\n"
            "         [[ 432,  433,  434,  ...,  438,  439,  440],\n"
            "          [ 441,  442,  443,  ...,  447,  448,  449],\n"
            "          [ 450,  451,  452,  ...,  456,  457,  458],\n"
            "          ...,\n"
            "          [ 477,  478,  479,  ...,  483,  484,  485],\n"
            "          [ 486,  487,  488,  ...,  492,  493,  494],\n"
            "          [ 495,  496,  497,  ...,  501,  502,  503]]],\n"
            "\n"
            "\n"
            "        [[[ 504,  505,  506,  ...,  510,  511,  512],\n"
            "          [ 513,  514,  515,  ...,  519,  520,  521],\n"
            "          [ 522,  523,  524,  ...,  528,  529,  530],\n"
            "          ...,\n"
            "          [ 549,  550,  551,  ...,  555,  556,  557],\n"
            "          [ 558,  559,  560,  ...,  564,  565,  566],\n"
            "          [ 567,  568,  569,  ...,  573,  574,  575]],\n"
            "\n"
            "         [[ 576,  577,  578,  ...,  582,  583,  584],\n"
            "          [ 585,  586,  587,  ...,  591,  592,  593],\n"
            "          [ 594,  595,  596,  ...,  600,  601,  602],\n"
            "          ...,\n"
            "          [ 621,  622,  623,  ...,  627,  628,  629],\n"
            "          [ 630,  631,  632,  ...,  636,  637,  638],\n"
            "          [ 639,  640,  641,  ...,  645,  646,  647]],\n"
            "\n"
            "         [[ 648,  649,  650,  ...,  654,  655,  656],\n"
            "          [ 657,  658,  659,  ...,  663,  664,  665],\n"
            "          [ 666,  667,  668,  ...,  672,  673,  674],\n"
            "          ...,\n"
            "          [ 693,  694,  695,  ...,  699,  700,  701],\n"
            "          [ 702,  703,  704,  ...,  708,  709,  710],\n"
            "          [ 711,  712,  713,  ...,  717,  718,  719]],\n"
            "\n"
            "         ...,\n"
            "\n"
            "         [[ 792,  793,  794,  ...,  798,  799,  800],\n"
            "          [ 801,  802,  803,  ...,  807,  808,  809],\n"
            "          [ 810,  811,  812,  ...,  816,  817,  818],\n"
            "          ...,\n"
            "          [ 837,  838,  839,  ...,  843,  844,  845],\n"
            "          [ 846,  847,  848,  ...,  852,  853,  854],\n"
            "          [ 855,  856,  857,  ...,  861,  862,  863]],\n"
            "\n"
            "         [[ 864,  865,  866,  ...,  870,  871,  872],\n"
            "          [ 873,  874,  875,  ...,  879,  880,  881],\n"
            "          [ 882,  883,  884,  ...,  888,  889,  890],\n"
            "          ...,\n"
            "          [ 909,  910,  911,  ...,  915,  916,  917],\n"
            "          [ 918,  919,  920,  ...,  924,  925,  926],\n"
            "          [ 927,  928,  929,  ...,  933,  934,  935]],\n"
            "\n"
            "         [[ 936,  937,  938,  ...,  942,  943,  944],\n"
            "          [ 945,  946,  947,  ...,  951,  952,  953],\n"
            "          [ 954,  955,  956,  ...,  960,  961,  962],\n"
            "          ...,\n"
            "          [ 981,  982,  983,  ...,  987,  988,  989],\n"
            "          [ 990,  991,  992,  ...,  996,  997,  998],\n"
            "          [ 999, 1000, 1001,  ..., 1005, 1006, 1007]]],\n"
            "\n"
            "\n"
            "        [[[1008, 1009, 1010,  ..., 1014, 1015, 1016],\n"
            "          [1017, 1018, 1019,  ..., 1023, 1024, 1025],\n"
            "          [1026, 1027, 1028,  ..., 1032, 1033, 1034],\n"
            "          ...,\n"
            "          [1053, 1054, 1055,  ..., 1059, 1060, 1061],\n"
            "          [1062, 1063, 1064,  ..., 1068, 1069, 1070],\n"
            "          [1071, 1072, 1073,  ..., 1077, 1078, 1079]],\n"
            "\n"
            "         [[1080, 1081, 1082,  ..., 1086, 1087, 1088],\n"
            "          [1089, 1090, 1091,  ..., 1095, 1096, 1097],\n"
            "          [1098, 1099, 1100,  ..., 1104, 1105, 1106],\n"
            "          ...,\n"
            "          [1125, 1126, 1127,  ..., 1131, 1132, 1133],\n"
            "          [1134, 1135, 1136,  ..., 1140, 1141, 1142],\n"
            "          [1143, 1144, 1145,  ..., 1149, 1150, 1151]],\n"
            "\n"
            "         [[1152, 1153, 1154,  ..., 1158, 1159, 1160],\n"
            "          [1161, 1162, 1163,  ..., 1167, 1168, 1169],\n"
            "          [1170, 1171, 1172,  ..., 1176, 1177, 1178],\n"
            "          ...,\n"
            "          [1197, 1198, 1199,  ..., 1203, 1204, 1205],\n"
            "          [1206, 1207, 1208,  ..., 1212, 1213, 1214],\n"
            "          [1215, 1216, 1217,  ..., 1221, 1222, 1223]],\n"
            "\n"
            "         ...,\n"
            "\n"
            "         [[1296, 1297, 1298,  ..., 1302, 1303, 1304],\n"
            "          [1305, 1306, 1307,  ..., 1311, 1312, 1313],\n"
            "          [1314, 1315, 1316,  ..., 1320, 1321, 1322],\n"
            "          ...,\n"
            "          [1341, 1342, 1343,  ..., 1347, 1348, 1349],\n"
            "          [1350, 1351, 1352,  ..., 1356, 1357, 1358],\n"
            "          [1359, 1360, 1361,  ..., 1365, 1366, 1367]],\n"
            "\n"
            "         [[1368, 1369, 1370,  ..., 1374, 1375, 1376],\n"
            "          [1377, 1378, 1379,  ..., 1383, 1384, 1385],\n"
            "          [1386, 1387, 1388,  ..., 1392, 1393, 1394],\n"
            "          ...,\n"
            "          [1413, 1414, 1415,  ..., 1419, 1420, 1421],\n"
            "          [1422, 1423, 1424,  ..., 1428, 1429, 1430],\n"
            "          [1431, 1432, 1433,  ..., 1437, 1438, 1439]],\n"
            "\n"
            "         [[1440, 1441, 1442,  ..., 1446, 1447, 1448],\n"
            "          [1449, 1450, 1451,  ..., 1455, 1456, 1457],\n"
            "          [1458, 1459, 1460,  ..., 1464, 1465, 1466],\n"
            "          ...,\n"
            "          [1485, 1486, 1487,  ..., 1491, 1492, 1493],\n"
            "          [1494, 1495, 1496,  ..., 1500, 1501, 1502],\n"
            "          [1503, 1504, 1505,  ..., 1509, 1510, 1511]]],\n"
            "\n"
            "\n"
            "        [[[1512, 1513, 1514,  ..., 1518, 1519, 1520],\n"
            "          [1521, 1522, 1523,  ..., 1527, 1528, 1529],\n"
            "          [1530, 1531, 1532,  ..., 1536, 1537, 1538],\n"
            "          ...,\n"
            "          [1557, 1558, 1559,  ..., 1563, 1564, 1565],\n"
            "          [1566, 1567, 1568,  ..., 1572, 1573, 1574],\n"
            "          [1575, 1576, 1577,  ..., 1581, 1582, 1583]],\n"
            "\n"
            "         [[1584, 1585, 1586,  ..., 1590, 1591, 1592],\n"
            "          [1593, 1594, 1595,  ..., 1599, 1600, 1601],\n"
            "          [1602, 1603, 1604,  ..., 1608, 1609, 1610],\n"
            "          ...,\n"
            "          [1629, 1630, 1631,  ..., 1635, 1636, 1637],\n"
            "          [1638, 1639, 1640,  ..., 1644, 1645, 1646],\n"
            "          [1647, 1648, 1649,  ..., 1653, 1654, 1655]],\n"
            "\n"
            "         [[1656, 1657, 1658,  ..., 1662, 1663, 1664],\n"
            "          [1665, 1666, 1667,  ..., 1671, 1672, 1673],\n"
            "          [1674, 1675, 1676,  ..., 1680, 1681, 1682],\n"
            "          ...,\n"
            "          [1701, 1702, 1703,  ..., 1707, 1708, 1709],\n"
            "          [1710, 1711, 1712,  ..., 1716, 1717, 1718],\n"
            "          [1719, 1720, 1721,  ..., 1725, 1726, 1727]],\n"
            "\n"
            "         ...,\n"
            "\n"
            "         [[1800, 1801, 1802,  ..., 1806, 1807, 1808],\n"
            "          [1809, 1810, 1811,  ..., 1815, 1816, 1817],\n"
            "          [1818, 1819, 1820,  ..., 1824, 1825, 1826],\n"
            "          ...,\n"
            "          [1845, 1846, 1847,  ..., 1851, 1852, 1853],\n"
            "          [1854, 1855, 1856,  ..., 1860, 1861, 1862],\n"
            "          [1863, 1864, 1865,  ..., 1869, 1870, 1871]],\n"
            "\n"
            "         [[1872, 1873, 1874,  ..., 1878, 1879, 1880],\n"
            "          [1881, 1882, 1883,  ..., 1887, 1888, 1889],\n"
            "          [1890, 1891, 1892,  ..., 1896, 1897, 1898],\n"
            "          ...,\n"
            "          [1917, 1918, 1919,  ..., 1923, 1924, 1925],\n"
            "          [1926, 1927, 1928,  ..., 1932, 1933, 1934],\n"
            "          [1935, 1936, 1937,  ..., 1941, 1942, 1943]],\n"
            "\n"
            "         [[1944, 1945, 1946,  ..., 1950, 1951, 1952],\n"
            "          [1953, 1954, 1955,  ..., 1959, 1960, 1961],\n"
            "          [1962, 1963, 1964,  ..., 1968, 1969, 1970],\n"
            "          ...,\n"
            "          [1989, 1990, 1991,  ..., 1995, 1996, 1997],\n"
            "          [1998, 1999, 2000,  ..., 2004, 2005, 2006],\n"
            "          [2007, 2008, 2009,  ..., 2013, 2014, 2015]]],\n"
            "\n"
            "\n"
            "        [[[2016, 2017, 2018,  ..., 2022, 2023, 2024],\n"
            "          [2025, 2026, 2027,  ..., 2031, 2032, 2033],\n"
            "          [2034, 2035, 2036,  ..., 2040, 2041, 2042],\n"
            "          ...,\n"
            "          [2061, 2062, 2063,  ..., 2067, 2068, 2069],\n"
            "          [2070, 2071, 2072,  ..., 2076, 2077, 2078],\n"
            "          [2079, 2080, 2081,  ..., 2085, 2086, 2087]],\n"
            "\n"
            "         [[2088, 2089, 2090,  ..., 2094, 2095, 2096],\n"
            "          [2097, 2098, 2099,  ..., 2103, 2104, 2105],\n"
            "          [2106, 2107, 2108,  ..., 2112, 2113, 2114],\n"
            "          ...,\n"
            "          [2133, 2134, 2135,  ..., 2139, 2140, 2141],\n"
            "          [2142, 2143, 2144,  ..., 2148, 2149, 2150],\n"
            "          [2151, 2152, 2153,  ..., 2157, 2158, 2159]],\n"
            "\n"
            "         [[2160, 2161, 2162,  ..., 2166, 2167, 2168],\n"
            "          [2169, 2170, 2171,  ..., 2175, 2176, 2177],\n"
            "          [2178, 2179, 2180,  ..., 2184, 2185, 2186],\n"
            "          ...,\n"
            "          [2205, 2206, 2207,  ..., 2211, 2212, 2213],\n"
            "          [2214, 2215, 2216,  ..., 2220, 2221, 2222],\n"
            "          [2223, 2224, 2225,  ..., 2229, 2230, 2231]],\n"
            "\n"
            "         ...,\n"
            "\n"
            "         [[2304, 2305, 2306,  ..., 2310, 2311, 2312],\n"
            "          [2313, 2314, 2315,  ..., 2319, 2320, 2321],\n"
            "          [2322, 2323, 2324,  ..., 2328, 2329, 2330],\n"
            "          ...,\n"
            "          [2349, 2350, 2351,  ..., 2355, 2356, 2357],\n"
            "          [2358, 2359, 2360,  ..., 2364, 2365, 2366],\n"
            "          [2367, 2368, 2369,  ..., 2373, 2374, 2375]],\n"
            "\n"
            "         [[2376, 2377, 2378,  ..., 2382, 2383, 2384],\n"
            "          [2385, 2386, 2387,  ..., 2391, 2392, 2393],\n"
            "          [2394, 2395, 2396,  ..., 2400, 2401, 2402],\n"
            "          ...,\n"
            "          [2421, 2422, 2423,  ..., 2427, 2428, 2429],\n"
            "          [2430, 2431, 2432,  ..., 2436, 2437, 2438],\n"
            "          [2439, 2440, 2441,  ..., 2445, 2446, 2447]],\n"
            "\n"
            "         [[2448, 2449, 2450,  ..., 2454, 2455, 2456],\n"
            "          [2457, 2458, 2459,  ..., 2463, 2464, 2465],\n"
            "          [2466, 2467, 2468,  ..., 2472, 2473, 2474],\n"
            "          ...,\n"
            "          [2493, 2494, 2495,  ..., 2499, 2500, 2501],\n"
            "          [2502, 2503, 2504,  ..., 2508, 2509, 2510],\n"
            "          [2511, 2512, 2513,  ..., 2517, 2518, 2519]]],\n"
            "\n"
            "\n"
            "        [[[2520, 2521, 2522,  ..., 2526, 2527, 2528],\n"
            "          [2529, 2530, 2531,  ..., 2535, 2536, 2537],\n"
            "          [2538, 2539, 2540,  ..., 2544, 2545, 2546],\n"
            "          ...,\n"
            "          [2565, 2566, 2567,  ..., 2571, 2572, 2573],\n"
            "          [2574, 2575, 2576,  ..., 2580, 2581, 2582],\n"
            "          [2583, 2584, 2585,  ..., 2589, 2590, 2591]],\n"
            "\n"
            "         [[2592, 2593, 2594,  ..., 2598, 2599, 2600],\n"
            "          [2601, 2602, 2603,  ..., 2607, 2608, 2609],\n"
            "          [2610, 2611, 2612,  ..., 2616, 2617, 2618],\n"
            "          ...,\n"
            "          [2637, 2638, 2639,  ..., 2643, 2644, 2645],\n"
            "          [2646, 2647, 2648,  ..., 2652, 2653, 2654],\n"
            "          [2655, 2656, 2657,  ..., 2661, 2662, 2663]],\n"
            "\n"
            "         [[2664, 2665, 2666,  ..., 2670, 2671, 2672],\n"
            "          [2673, 2674, 2675,  ..., 2679, 2680, 2681],\n"
            "          [2682, 2683, 2684,  ..., 2688, 2689, 2690],\n"
            "          ...,\n"
            "          [2709, 2710, 2711,  ..., 2715, 2716, 2717],\n"
            "          [2718, 2719, 2720,  ..., 2724, 2725, 2726],\n"
            "          [2727, 2728, 2729,  ..., 2733, 2734, 2735]],\n"
            "\n"
            "         ...,\n"
            "\n"
            "         [[2808, 2809, 2810,  ..., 2814, 2815, 2816],\n"
            "          [2817, 2818, 2819,  ..., 2823, 2824, 2825],\n"
            "          [2826, 2827, 2828,  ..., 2832, 2833, 2834],\n"
            "          ...,\n"
            "          [2853, 2854, 2855,  ..., 2859, 2860, 2861],\n"
            "          [2862, 2863, 2864,  ..., 2868, 2869, 2870],\n"
            "          [2871, 2872, 2873,  ..., 2877, 2878, 2879]],\n"
            "\n"
            "         [[2880, 2881, 2882,  ..., 2886, 2887, 2888],\n"
            "          [2889, 2890, 2891,  ..., 2895, 2896, 2897],\n"
            "          [2898, 2899, 2900,  ..., 2904, 2905, 2906],\n"
            "          ...,\n"
            "          [2925, 2926, 2927,  ..., 2931, 2932, 2933],\n"
            "          [2934, 2935, 2936,  ..., 2940, 2941, 2942],\n"
            "          [2943, 2944, 2945,  ..., 2949, 2950, 2951]],\n"
            "\n"
            "         [[2952, 2953, 2954,  ..., 2958, 2959, 2960],\n"
            "          [2961, 2962, 2963,  ..., 2967, 2968, 2969],\n"
            "          [2970, 2971, 2972,  ..., 2976, 2977, 2978],\n"
            "          ...,\n"
            "          [2997, 2998, 2999,  ..., 3003, 3004, 3005],\n"
            "          [3006, 3007, 3008,  ..., 3012, 3013, 3014],\n"
            "          [3015, 3016, 3017,  ..., 3021, 3022, 3023]]]], dtype=torch.int16)"
        ),
    ),
    case(
        "summary_short_rows",
        np.arange(1200, dtype=np.float32).reshape(2, 600),
        "float32",
        (
            "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 5.9700e+02, 5.9800e+02,\n"
            "         5.9900e+02],\n"
            "        [6.0000e+02, 6.0100e+02, 6.0200e+02,  ..., 1.1970e+03, 1.1980e+03,\n"
            "         1.1990e+03]])"
        ),
    ),
    case(
        "summary_tall",
        np.arange(1200, dtype=np.float64).reshape(600, 2) * 1.5,
        "float64",
        (
            "tensor([[0.0000e+00, 1.5000e+00],\n"
            "        [3.0000e+00, 4.5000e+00],\n"
            "        [6.0000e+00, 7.5000e+00],\n"
            "        ...,\n"
            "        [1.7910e+03, 1.7925e+03],\n"
            "        [1.7940e+03, 1.7955e+03],\n"
            "        [1.7970e+03, 1.7985e+03]], dtype=torch.float64)"
        ),
    ),
    case(
        "summary_bool",
        (np.arange(1500) % 3) == 0,
        "bool",
        "tensor([ True, False, False,  ...,  True, False, False])",
    ),
    case(
        "summary_hidden_extremes",
        np.concatenate([[0.5], np.full(1500, 1e6), [2.5]]).astype(np.float32),
        "float32",
        (
            "tensor([5.0000e-01, 1.0000e+06, 1.0000e+06,  ..., 1.0000e+06, 1.0000e+06,\n"
            "        2.5000e+00])"
        ),
    ),
    case(
        "summary_middle_large_value",
        np.concatenate([np.arange(3), [10**9], np.arange(3)] * 200).astype(np.float32),
        "float32",
        "tensor([0., 1., 2.,  ..., 0., 1., 2.])",
    ),
    case(
        "summary_exactly_threshold",
        np.arange(1000, dtype=np.int16) - 500,
        "int16",
        (
            "tensor([-500, -499, -498, -497, -496, -495, -494, -493, -492, -491, -490, -4"
            "89,\n"
            "        -488, -487, -486, -485, -484, -483, -482, -481, -480, -479, -478, -4"
            "77,\n"
            "        -476, -475, -474, -473, -472, -471, -470, -469, -468, -467, -466, -4"
            "65,\n"
            "        -464, -463, -462, -461, -460, -459, -458, -457, -456, -455, -454, -4"
            "53,\n"
            "        -452, -451, -450, -449, -448, -447, -446, -445, -444, -443, -442, -4"
            "41,\n"
            "        -440, -439, -438, -437, -436, -435, -434, -433, -432, -431, -430, -4"
            "29,\n"
            "        -428, -427, -426, -425, -424, -423, -422, -421, -420, -419, -418, -4"
            "17,\n"
            "        -416, -415, -414, -413, -412, -411, -410, -409, -408, -407, -406, -4"
            "05,\n"
            "        -404, -403, -402, -401, -400, -399, -398, -397, -396, -395, -394, -3"
            "93,\n"
            "        -392, -391, -390, -389, -388, -387, -386, -385, -384, -383, -382, -3"
            "81,\n"
            "        -380, -379, -378, -377, -376, -375, -374, -373, -372, -371, -370, -3"
            "69,\n"
            "        -368, -367, -366, -365, -364, -363, -362, -361, -360, -359, -358, -3"
            "57,\n"
            "        -356, -355, -354, -353, -352, -351, -350, -349, -348, -347, -346, -3"
            "45,\n"
            "        -344, -343, -342, -341, -340, -339, -338, -337, -336, -335, -334, -3"
            "33,\n"
            "        -332, -331, -330, -329, -328, -327, -326, -325, -324, -323, -322, -3"
            "21,\n"
            "        -320, -319, -318, -317, -316, -315, -314, -313, -312, -311, -310, -3"
            "09,\n"
            "        -308, -307, -306, -305, -304, -303, -302, -301, -300, -299, -298, -2"
            "97,\n"
            "        -296, -295, -294, -293, -292, -291, -290, -289, -288, -287, -286, -2"
            "85,\n"
            "        -284, -283, -282, -281, -280, -279, -278, -277, -276, -275, -274, -2"
            "73,\n"
            "        -272, -271, -270, -269, -268, -267, -266, -265, -264, -263, -262, -2"
            "61,\n"
            "        -260, -259, -258, -257, -256, -255, -254, -253, -252, -251, -250, -2"
            "49,\n"
            "        -248, -247, -246, -245, -244, -243, -242, -241, -240, -239, -238, -2"
            "37,\n"
            "        -236, -235, -234, -233, -232, -231, -230, -229, -228, -227, -226, -2"
            "25,\n"
            "        -224, -223, -222, -221, -220, -219, -218, -217, -216, -215, -214, -2"
            "13,\n"
            "        -212, -211, -210, -209, -208, -207, -206, -205, -204, -203, -202, -2"
            "01,\n"
            "        -200, -199, -198, -197, -196, -195, -194, -193, -192, -191, -190, -1"
            "89,\n"
            "        -188, -187, -186, -185, -184, -183, -182, -181, -180, -179, -178, -1"
            "77,\n"
            "        -176, -175, -174, -173, -172, -171, -170, -169, -168, -167, -166, -1"
            "65,\n"
            "        -164, -163, -162, -161, -160, -159, -158, -157, -156, -155, -154, -1"
            "53,\n"
            "        -152, -151, -150, -149, -148, -147, -146, -145, -144, -143, -142, -1"
            "41,\n"
            "        -140, -139, -138, -137, -136, -135, -134, -133, -132, -131, -130, -1"
            "29,\n"
            "        -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -1"
            "17,\n"
            "        -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -1"
            "05,\n"
            "        -104, -103, -102, -101, -100,  -99,  -98,  -97,  -96,  -95,  -94,  -"
            "93,\n"
            "         -92,  -91,  -90,  -89,  -88,  -87,  -86,  -85,  -84,  -83,  -82,  -"
            "81,\n"
            "         -80,  -79,  -78,  -77,  -76,  -75,  -74,  -73,  -72,  -71,  -70,  -"
            "69,\n"
            "         -68,  -67,  -66,  -65,  -64,  -63,  -62,  -61,  -60,  -59,  -58,  -"
            "57,\n"
            "         -56,  -55,  -54,  -53,  -52,  -51,  -50,  -49,  -48,  -47,  -46,  -"
            "45,\n"
            "         -44,  -43,  -42,  -41,  -40,  -39,  -38,  -37,  -36,  -35,  -34,  -"
            "33,\n"
            "         -32,  -31,  -30,  -29,  -28,  -27,  -26,  -25,  -24,  -23,  -22,  -"
            "21,\n"
            "         -20,  -19,  -18,  -17,  -16,  -15,  -14,  -13,  -12,  -11,  -10,   "
            "-9,\n"
            "          -8,   -7,   -6,   -5,   -4,   -3,   -2,   -1,    0,    1,    2,   "
            " 3,\n"
            "           4,    5,    6,    7,    8,    9,   10,   11,   12,   13,   14,   "
            "15,\n"
            "          16,   17,   18,   19,   20,   21,   22,   23,   24,   25,   26,   "
            "27,\n"
            "          28,   29,   30,   31,   32,   33,   34,   35,   36,   37,   38,   "
            "39,\n"
            "          40,   41,   42,   43,   44,   45,   46,   47,   48,   49,   50,   "
            "51,\n"
            "          52,   53,   54,   55,   56,   57,   58,   59,   60,   61,   62,   "
            "63,\n"
            "          64,   65,   66,   67,   68,   69,   70,   71,   72,   73,   74,   "
            "75,\n"
            "          76,   77,   78,   79,   80,   81,   82,   83,   84,   85,   86,   "
            "87,\n"
            "          88,   89,   90,   91,   92,   93,   94,   95,   96,   97,   98,   "
            "99,\n"
            "         100,  101,  102,  103,  104,  105,  106,  107,  108,  109,  110,  1"
            "11,\n"
            "         112,  113,  114,  115,  116,  117,  118,  119,  120,  121,  122,  1"
            "23,\n"
            "         124,  125,  126,  127,  128,  129,  130,  131,  132,  133,  134,  1"
            "35,\n"
            "         136,  137,  138,  139,  140,  141,  142,  143,  144,  145,  146,  1"
            "47,\n"
            "         148,  149,  150,  151,  152,  153,  154,  155,  156,  157,  158,  1"
            "59,\n"
            "         160,  161,  162,  163,  164,  165,  166,  167,  168,  169,  170,  1"
            "71,\n"
            "         172,  173,  174,  175,  176,  177,  178,  179,  180,  181,  182,  1"
            "83,\n"
            "         184,  185,  186,  187,  188,  189,  190,  191,  192,  193,  194,  1"
            "95,\n"
            "         196,  197,  198,  199,  200,  201,  202,  203,  204,  205,  206,  2"
            "07,\n"
            "         208,  209,  210,  211,  212,  213,  214,  215,  216,  217,  218,  2"
            "19,\n"
            "         220,  221,  222,  223,  224,  225,  226,  227,  228,  229,  230,  2"
            "31,\n"
            "         232,  233,  234,  235,  236,  237,  238,  239,  240,  241,  242,  2"
            "43,\n"
            "         244,  245,  246,  247,  248,  249,  250,  251,  252,  253,  254,  2"
            "55,\n"
            "         256,  257,  258,  259,  260,  261,  262,  263,  264,  265,  266,  2"
            "67,\n"
            "         268,  269,  270,  271,  272,  273,  274,  275,  276,  277,  278,  2"
            "79,\n"
            "         280,  281,  282,  283,  284,  285,  286,  287,  288,  289,  290,  2"
            "91,\n"
            "         292,  293,  294,  295,  296,  297,  298,  299,  300,  301,  302,  3"
            "03,\n"
            "         304,  305,  306,  307,  308,  309,  310,  311,  312,  313,  314,  3"
            "15,\n"
            "         316,  317,  318,  319,  320,  321,  322,  323,  324,  325,  326,  3"
            "27,\n"
            "         328,  329,  330,  331,  332,  333,  334,  335,  336,  337,  338,  3"
            "39,\n"
            "         340,  341,  342,  343,  344,  345,  346,  347,  348,  349,  350,  3"
            "51,\n"
            "         352,  353,  354,  355,  356,  357,  358,  359,  360,  361,  362,  3"
            "63,\n"
            "         364,  365,  366,  367,  368,  369,  370,  371,  372,  373,  374,  3"
            "75,\n"
            "         376,  377,  378,  379,  380,  381,  382,  383,  384,  385,  386,  3"
            "87,\n"
            "         388,  389,  390,  391,  392,  393,  394,  395,  396,  397,  398,  3"
            "99,\n"
            "         400,  401,  402,  403,  404,  405,  406,  407,  408,  409,  410,  4"
            "11,\n"
            "         412,  413,  414,  415,  416,  417,  418,  419,  420,  421,  422,  4"
            "23,\n"
            "         424,  425,  426,  427,  428,  429,  430,  431,  432,  433,  434,  4"
            "35,\n"
            "         436,  437,  438,  439,  440,  441,  442,  443,  444,  445,  446,  4"
            "47,\n"
            "         448,  449,  450,  451,  452,  453,  454,  455,  456,  457,  458,  4"
            "59,\n"
            "         460,  461,  462,  463,  464,  465,  466,  467,  468,  469,  470,  4"
            "71,\n"
            "         472,  473,  474,  475,  476,  477,  478,  479,  480,  481,  482,  4"
            "83,\n"
            "         484,  485,  486,  487,  488,  489,  490,  491,  492,  493,  494,  4"
            "95,\n"
            "         496,  497,  498,  499], dtype=torch.int16)"
        ),
    ),
    case(
        "wrap_float_20",
        np.linspace(0.1, 0.9, 20, dtype=np.float32),
        "float32",
        (
            "tensor([0.1000, 0.1421, 0.1842, 0.2263, 0.2684, 0.3105, 0.3526, 0.3947, 0.43"
            "68,\n"
            "        0.4789, 0.5211, 0.5632, 0.6053, 0.6474, 0.6895, 0.7316, 0.7737, 0.81"
            "58,\n"
            "        0.8579, 0.9000])"
        ),
    ),
    case(
        "wrap_1x20",
        np.linspace(0.1, 0.9, 20, dtype=np.float32).reshape(1, 20),
        "float32",
        (
            "tensor([[0.1000, 0.1421, 0.1842, 0.2263, 0.2684, 0.3105, 0.3526, 0.3947, 0.4"
            "368,\n"
            "         0.4789, 0.5211, 0.5632, 0.6053, 0.6474, 0.6895, 0.7316, 0.7737, 0.8"
            "158,\n"
            "         0.8579, 0.9000]])"
        ),
    ),
    case(
        "wrap_long_int_row",
        np.arange(30, dtype=np.int64) * 1000003,
        "int64",
        (
            "tensor([       0,  1000003,  2000006,  3000009,  4000012,  5000015,  6000018"
            ",\n"
            "         7000021,  8000024,  9000027, 10000030, 11000033, 12000036, 13000039"
            ",\n"
            "        14000042, 15000045, 16000048, 17000051, 18000054, 19000057, 20000060"
            ",\n"
            "        21000063, 22000066, 23000069, 24000072, 25000075, 26000078, 27000081"
            ",\n"
            "        28000084, 29000087])"
        ),
    ),
    case(
        "wrap_int_rows_3x25",
        np.arange(75, dtype=np.int32).reshape(3, 25) - 30,
        "int32",
        (
            "tensor([[-30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -1"
            "7,\n"
            "         -16, -15, -14, -13, -12, -11, -10,  -9,  -8,  -7,  -6],\n"
            "        [ -5,  -4,  -3,  -2,  -1,   0,   1,   2,   3,   4,   5,   6,   7,   "
            "8,\n"
            "           9,  10,  11,  12,  13,  14,  15,  16,  17,  18,  19],\n"
            "        [ 20,  21,  22,  23,  24,  25,  26,  27,  28,  29,  30,  31,  32,  3"
            "3,\n"
            "          34,  35,  36,  37,  38,  39,  40,  41,  42,  43,  44]],\n"
            "       dtype=torch.int32)"
        ),
    ),
    case(
        "wrap_3d_rows",
        np.linspace(-1, 1, 60, dtype=np.float32).reshape(2, 2, 15),
        "float32",
        (
            "tensor([[[-1.0000, -0.9661, -0.9322, -0.8983, -0.8644, -0.8305, -0.7966,\n"
            "          -0.7627, -0.7288, -0.6949, -0.6610, -0.6271, -0.5932, -0.5593,\n"
            "          -0.5254],\n"
            "         [-0.4915, -0.4576, -0.4237, -0.3898, -0.3559, -0.3220, -0.2881,\n"
            "          -0.2542, -0.2203, -0.1864, -0.1525, -0.1186, -0.0847, -0.0508,\n"
            "          -0.0169]],\n"
            "\n"
            "        [[ 0.0169,  0.0508,  0.0847,  0.1186,  0.1525,  0.1864,  0.2203,\n"
            "           0.2542,  0.2881,  0.3220,  0.3559,  0.3898,  0.4237,  0.4576,\n"
            "           0.4915],\n"
            "         [ 0.5254,  0.5593,  0.5932,  0.6271,  0.6610,  0.6949,  0.7288,\n"
            "           0.7627,  0.7966,  0.8305,  0.8644,  0.8983,  0.9322,  0.9661,\n"
            "           1.0000]]])"
        ),
    ),
    case(
        "wrap_sci_row",
        np.logspace(-6, 6, 13, dtype=np.float64),
        "float64",
        (
            "tensor([1.0000e-06, 1.0000e-05, 1.0000e-04, 1.0000e-03, 1.0000e-02, 1.0000e-"
            "01,\n"
            "        1.0000e+00, 1.0000e+01, 1.0000e+02, 1.0000e+03, 1.0000e+04, 1.0000e+"
            "05,\n"
            "        1.0000e+06], dtype=torch.float64)"
        ),
    ),
    case(
        "wrap_bool_row",
        (np.arange(20) % 2) == 0,
        "bool",
        (
            "tensor([ True, False,  True, False,  True, False,  True, False,  True, False"
            ",\n"
            "         True, False,  True, False,  True, False,  True, False,  True, False"
            "])"
        ),
    ),
    case(
        "opt_precision_2",
        np.array([1.12345, -2.5, 3.0], np.float32),
        "float32",
        "tensor([ 1.12, -2.50,  3.00])",
        options={"precision": 2},
    ),
    case(
        "opt_precision_6",
        np.array([1.12345, -2.5, 3.0], np.float64),
        "float64",
        "tensor([ 1.123450, -2.500000,  3.000000], dtype=torch.float64)",
        options={"precision": 6},
    ),
    case(
        "opt_precision_0",
        np.array([1.5, 2.25, 10.75], np.float32),
        "float32",
        "tensor([ 2,  2, 11])",
        options={"precision": 0},
    ),
    case(
        "opt_precision_2_sci",
        np.array([1e-5, 3.0], np.float32),
        "float32",
        "tensor([1.00e-05, 3.00e+00])",
        options={"precision": 2},
    ),
    case(
        "opt_sci_true_fixed",
        np.array([1.5, 2.0], np.float32),
        "float32",
        "tensor([1.5000e+00, 2.0000e+00])",
        options={"sci_mode": True},
    ),
    case(
        "opt_sci_true_whole",
        np.array([1.0, 20.0, -300.0], np.float32),
        "float32",
        "tensor([ 1.0000e+00,  2.0000e+01, -3.0000e+02])",
        options={"sci_mode": True},
    ),
    case(
        "opt_sci_true_zeros",
        np.zeros(3, np.float32),
        "float32",
        "tensor([0., 0., 0.])",
        options={"sci_mode": True},
    ),
    case(
        "opt_sci_true_scalar",
        np.array(2.5, np.float32),
        "float32",
        "tensor(2.5000e+00)",
        options={"sci_mode": True},
    ),
    case(
        "opt_sci_false_wide",
        np.array([1e-5, 1e5], np.float32),
        "float32",
        "tensor([     0.0000, 100000.0000])",
        options={"sci_mode": False},
    ),
    case(
        "opt_sci_false_whole",
        np.array([1.0, 1e9], np.float64),
        "float64",
        "tensor([         1., 1000000000.], dtype=torch.float64)",
        options={"sci_mode": False},
    ),
    case(
        "opt_sci_true_int_dtype",
        np.array([1, 20], np.int64),
        "int64",
        "tensor([ 1, 20])",
        options={"sci_mode": True},
    ),
    case(
        "opt_linewidth_40",
        np.linspace(0, 1, 12, dtype=np.float32),
        "float32",
        (
            "tensor([0.0000, 0.0909, 0.1818, 0.2727,\n"
            "        0.3636, 0.4545, 0.5455, 0.6364,\n"
            "        0.7273, 0.8182, 0.9091, 1.0000])"
        ),
        options={"linewidth": 40},
    ),
    case(
        "opt_linewidth_40_matrix",
        np.arange(24, dtype=np.float32).reshape(2, 12) / 3,
        "float32",
        (
            "tensor([[0.0000, 0.3333, 0.6667, 1.0000,\n"
            "         1.3333, 1.6667, 2.0000, 2.3333,\n"
            "         2.6667, 3.0000, 3.3333, 3.6667],\n"
            "        [4.0000, 4.3333, 4.6667, 5.0000,\n"
            "         5.3333, 5.6667, 6.0000, 6.3333,\n"
            "         6.6667, 7.0000, 7.3333, 7.6667]])"
        ),
        options={"linewidth": 40},
    ),
    case(
        "opt_linewidth_tiny",
        np.arange(4, dtype=np.int64) + 10,
        "int64",
        (
            "tensor([10,\n"
            "        11,\n"
            "        12,\n"
            "        13])"
        ),
        options={"linewidth": 5},
    ),
    case(
        "opt_linewidth_200",
        np.arange(40, dtype=np.int64) * 7,
        "int64",
        (
            "tensor([  0,   7,  14,  21,  28,  35,  42,  49,  56,  63,  70,  77,  84,  91"
            ",  98, 105, 112, 119, 126, 133, 140, 147, 154, 161, 168, 175, 182, 189, 196,"
            " 203, 210, 217, 224, 231, 238, 245, 252, 259,\n"
            "        266, 273])"
        ),
        options={"linewidth": 200},
    ),
    case(
        "opt_linewidth_40_suffix",
        np.arange(4, dtype=np.int16) * 1000,
        "int16",
        (
            "tensor([   0, 1000, 2000, 3000],\n"
            "       dtype=torch.int16)"
        ),
        options={"linewidth": 40},
        requires_grad=False,
    ),
    case(
        "opt_threshold_5",
        np.arange(10, dtype=np.int64),
        "int64",
        "tensor([0, 1, 2,  ..., 7, 8, 9])",
        options={"threshold": 5},
    ),
    case(
        "opt_threshold_5_matrix",
        np.arange(64, dtype=np.float32).reshape(8, 8) / 8,
        "float32",
        (
            "tensor([[0.0000, 0.1250, 0.2500,  ..., 0.6250, 0.7500, 0.8750],\n"
            "        [1.0000, 1.1250, 1.2500,  ..., 1.6250, 1.7500, 1.8750],\n"
            "        [2.0000, 2.1250, 2.2500,  ..., 2.6250, 2.7500, 2.8750],\n"
            "        ...,\n"
            "        [5.0000, 5.1250, 5.2500,  ..., 5.6250, 5.7500, 5.8750],\n"
            "        [6.0000, 6.1250, 6.2500,  ..., 6.6250, 6.7500, 6.8750],\n"
            "        [7.0000, 7.1250, 7.2500,  ..., 7.6250, 7.7500, 7.8750]])"
        ),
        options={"threshold": 5},
    ),
    case(
        "opt_edgeitems_1",
        np.arange(2000, dtype=np.int64).reshape(20, 100),
        "int64",
        (
            "tensor([[   0,  ...,   99],\n"
            "        ...,\n"
            "        [1900,  ..., 1999]])"
        ),
        options={"edgeitems": 1},
    ),
    case(
        "opt_edgeitems_5",
        np.arange(2000, dtype=np.float32) / 3,
        "float32",
        (
            "tensor([0.0000e+00, 3.3333e-01, 6.6667e-01, 1.0000e+00, 1.3333e+00,  ...,\n"
            "        6.6500e+02, 6.6533e+02, 6.6567e+02, 6.6600e+02, 6.6633e+02])"
        ),
        options={"edgeitems": 5},
    ),
    case(
        "opt_edgeitems_0_vec",
        np.arange(2000, dtype=np.float32),
        "float32",
        "tensor([...], size=(2000,))",
        options={"edgeitems": 0},
    ),
    case(
        "opt_edgeitems_0_matrix",
        np.arange(2000, dtype=np.int32).reshape(40, 50),
        "int32",
        "tensor([...], size=(40, 50), dtype=torch.int32)",
        options={"edgeitems": 0},
    ),
    case(
        "opt_edgeitems_0_small",
        np.arange(4, dtype=np.float32),
        "float32",
        "tensor([0., 1., 2., 3.], size=(4,))",
        options={"edgeitems": 0},
    ),
    case(
        "opt_profile_short",
        np.arange(1600, dtype=np.float32).reshape(40, 40) / 7,
        "float32",
        (
            "tensor([[0.00e+00, 1.43e-01,  ..., 5.43e+00, 5.57e+00],\n"
            "        [5.71e+00, 5.86e+00,  ..., 1.11e+01, 1.13e+01],\n"
            "        ...,\n"
            "        [2.17e+02, 2.17e+02,  ..., 2.23e+02, 2.23e+02],\n"
            "        [2.23e+02, 2.23e+02,  ..., 2.28e+02, 2.28e+02]])"
        ),
        options={"profile": "short"},
    ),
    case(
        "opt_profile_full",
        np.zeros(1001, np.uint8),
        "uint8",
        (
            "tensor([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
            " 0,\n"
            "        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], dtype=torch.uint"
            "8)"
        ),
        options={"profile": "full"},
    ),
    case(
        "opt_profile_short_precision",
        np.array([1.23456, 2.0], np.float32),
        "float32",
        "tensor([1.235, 2.000])",
        options={"profile": "short", "precision": 3},
    ),
    case(
        "suffix_requires_grad",
        np.array([[1.5, 2.0], [3.0, 4.0]], np.float32),
        "float32",
        (
            "tensor([[1.5000, 2.0000],\n"
            "        [3.0000, 4.0000]], requires_grad=True)"
        ),
        requires_grad=True,
    ),
    case(
        "suffix_grad_fn",
        np.array([[1.5, 2.0], [3.0, 4.0]], np.float32),
        "float32",
        (
            "tensor([[1.5000, 2.0000],\n"
            "        [3.0000, 4.0000]], grad_fn=<CloneBackward0>)"
        ),
        grad_fn="CloneBackward0",
    ),
    case(
        "suffix_grad_fn_mul",
        np.array([1.0, 2.0], np.float32),
        "float32",
        "tensor([1., 2.], grad_fn=<MulBackward0>)",
        grad_fn="MulBackward0",
    ),
    case(
        "suffix_dtype_and_requires_grad",
        np.array([1.0, 2.0], np.float64),
        "float64",
        "tensor([1., 2.], dtype=torch.float64, requires_grad=True)",
        requires_grad=True,
    ),
    case(
        "suffix_dtype_and_grad_fn",
        np.array([0.25, 2.0], np.float16),
        "float16",
        "tensor([0.2500, 2.0000], dtype=torch.float16, grad_fn=<CloneBackward0>)",
        grad_fn="CloneBackward0",
    ),
    case(
        "suffix_scalar",
        np.array(2.5, np.float64),
        "float64",
        "tensor(2.5000, dtype=torch.float64, requires_grad=True)",
        requires_grad=True,
    ),
    case(
        "suffix_wrap_dtype",
        np.linspace(0, 1, 9),
        "float64",
        (
            "tensor([0.0000, 0.1250, 0.2500, 0.3750, 0.5000, 0.6250, 0.7500, 0.8750, 1.00"
            "00],\n"
            "       dtype=torch.float64)"
        ),
    ),
    case(
        "suffix_wrap_dtype_and_grad",
        np.linspace(0, 1, 9),
        "float64",
        (
            "tensor([0.0000, 0.1250, 0.2500, 0.3750, 0.5000, 0.6250, 0.7500, 0.8750, 1.00"
            "00],\n"
            "       dtype=torch.float64, grad_fn=<CloneBackward0>)"
        ),
        grad_fn="CloneBackward0",
    ),
    case(
        "suffix_wrap_after_multiline",
        np.arange(30, dtype=np.float64) / 7,
        "float64",
        (
            "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.14"
            "29,\n"
            "        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.42"
            "86,\n"
            "        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.71"
            "43,\n"
            "        3.8571, 4.0000, 4.1429], dtype=torch.float64, requires_grad=True)"
        ),
        requires_grad=True,
    ),
    case(
        "int16_wrapped_values",
        np.arange(6, dtype=np.int16) * 10000,
        "int16",
        "tensor([     0,  10000,  20000,  30000, -25536, -15536], dtype=torch.int16)",
    ),
    case(
        "suffix_bfloat16",
        bf16(np.array([[0.5, 1.25], [2.0, -3.0]], np.float32)),
        "bfloat16",
        (
            "tensor([[ 0.5000,  1.2500],\n"
            "        [ 2.0000, -3.0000]], dtype=torch.bfloat16, requires_grad=True)"
        ),
        requires_grad=True,
    ),
    case(
        "suffix_boundary_fits",
        np.arange(10, 23, dtype=np.int16),
        "int16",
        (
            "tensor([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22], dtype=torch.int"
            "16)"
        ),
    ),
    case(
        "suffix_boundary_wraps",
        np.arange(34, dtype=np.int16).reshape(2, 17) % 10,
        "int16",
        (
            "tensor([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6],\n"
            "        [7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3]],\n"
            "       dtype=torch.int16)"
        ),
    ),
    case(
        "suffix_boundary_fits_2d",
        np.arange(100, 120, dtype=np.int16).reshape(2, 10),
        "int16",
        (
            "tensor([[100, 101, 102, 103, 104, 105, 106, 107, 108, 109],\n"
            "        [110, 111, 112, 113, 114, 115, 116, 117, 118, 119]], dtype=torch.int"
            "16)"
        ),
    ),
    case(
        "default_float16_same",
        np.array([1.5, 2.0], np.float16),
        "float16",
        "tensor([1.5000, 2.0000])",
        default_dtype="float16",
    ),
    case(
        "default_float16_other",
        np.array([1.5, 2.0], np.float32),
        "float32",
        "tensor([1.5000, 2.0000], dtype=torch.float32)",
        default_dtype="float16",
    ),
    case(
        "default_bfloat16_same",
        bf16(np.array([1.5, 2.0], np.float32)),
        "bfloat16",
        "tensor([1.5000, 2.0000])",
        default_dtype="bfloat16",
    ),
]

# Outputs printed in the PyTorch tensors tutorial (inputs are the printed values).
TUTORIAL_CASES = [
    case(
        "tutorial_empty_3x4",
        np.array(
            [
                [-2.9717e-03, 4.5766e-41, -3.0549e-03, 4.5766e-41],
                [-3.0548e-03, 4.5766e-41, -1.3234e-11, 4.5765e-41],
                [-2.3587e-11, 4.5765e-41, -1.3237e-11, 4.5765e-41],
            ],
            np.float32,
        ),
        "float32",
        (
            "tensor([[-2.9717e-03,  4.5766e-41, -3.0549e-03,  4.5766e-41],\n"
            "        [-3.0548e-03,  4.5766e-41, -1.3234e-11,  4.5765e-41],\n"
            "        [-2.3587e-11,  4.5765e-41, -1.3237e-11,  4.5765e-41]])"
        ),
    ),
    case(
        "tutorial_zeros",
        np.zeros((2, 3), np.float32),
        "float32",
        (
            "tensor([[0., 0., 0.],\n"
            "        [0., 0., 0.]])"
        ),
    ),
    case(
        "tutorial_ones",
        np.ones((2, 3), np.float32),
        "float32",
        (
            "tensor([[1., 1., 1.],\n"
            "        [1., 1., 1.]])"
        ),
    ),
    case(
        "tutorial_rand",
        np.array([[0.3126, 0.3791, 0.3087], [0.0736, 0.4216, 0.0691]], np.float32),
        "float32",
        (
            "tensor([[0.3126, 0.3791, 0.3087],\n"
            "        [0.0736, 0.4216, 0.0691]])"
        ),
    ),
    case(
        "tutorial_empty_2x2x3",
        np.array(
            [
                [[1.7132e+21, 3.0950e-41, 0.0], [1.4013e-45, 8.9683e-44, 0.0]],
                [[1.1210e-43, 0.0, 2.1147e+21], [3.0950e-41, 0.0, 1.4013e-45]],
            ],
            np.float32,
        ),
        "float32",
        (
            "tensor([[[1.7132e+21, 3.0950e-41, 0.0000e+00],\n"
            "         [1.4013e-45, 8.9683e-44, 0.0000e+00]],\n"
            "\n"
            "        [[1.1210e-43, 0.0000e+00, 2.1147e+21],\n"
            "         [3.0950e-41, 0.0000e+00, 1.4013e-45]]])"
        ),
    ),
    case(
        "tutorial_empty_like_2x2x3",
        np.array(
            [
                [[1.1902e+21, 3.0950e-41, 0.0], [9.4040e-38, -1.4045e+38, 3.0942e-41]],
                [[1.0842e-19, 0.0, 3.8942e-35], [3.0943e-41, 5.1288e-35, 3.0943e-41]],
            ],
            np.float32,
        ),
        "float32",
        (
            "tensor([[[ 1.1902e+21,  3.0950e-41,  0.0000e+00],\n"
            "         [ 9.4040e-38, -1.4045e+38,  3.0942e-41]],\n"
            "\n"
            "        [[ 1.0842e-19,  0.0000e+00,  3.8942e-35],\n"
            "         [ 3.0943e-41,  5.1288e-35,  3.0943e-41]]])"
        ),
    ),
    case(
        "tutorial_rand_like_2x2x3",
        np.array(
            [
                [[0.6128, 0.1519, 0.0453], [0.5035, 0.9978, 0.3884]],
                [[0.6929, 0.1703, 0.1384], [0.4759, 0.7481, 0.0361]],
            ],
            np.float32,
        ),
        "float32",
        (
            "tensor([[[0.6128, 0.1519, 0.0453],\n"
            "         [0.5035, 0.9978, 0.3884]],\n"
            "\n"
            "        [[0.6929, 0.1703, 0.1384],\n"
            "         [0.4759, 0.7481, 0.0361]]])"
        ),
    ),
    case(
        "tutorial_some_constants",
        np.array([[3.1415926, 2.71828], [1.61803, 0.0072897]], np.float32),
        "float32",
        (
            "tensor([[3.1416, 2.7183],\n"
            "        [1.6180, 0.0073]])"
        ),
    ),
    case(
        "tutorial_some_integers",
        np.array([2, 3, 5, 7, 11, 13, 17, 19]),
        "int64",
        "tensor([ 2,  3,  5,  7, 11, 13, 17, 19])",
    ),
    case(
        "tutorial_more_integers",
        np.array([[2, 4, 6], [3, 6, 9]]),
        "int64",
        (
            "tensor([[2, 4, 6],\n"
            "        [3, 6, 9]])"
        ),
    ),
    case(
        "tutorial_int16_ones",
        np.ones((2, 3), np.int16),
        "int16",
        (
            "tensor([[1, 1, 1],\n"
            "        [1, 1, 1]], dtype=torch.int16)"
        ),
    ),
    case(
        "tutorial_float64_rand",
        np.array([[0.9956, 1.4148, 5.8364], [11.2406, 11.2083, 11.6692]]),
        "float64",
        (
            "tensor([[ 0.9956,  1.4148,  5.8364],\n"
            "        [11.2406, 11.2083, 11.6692]], dtype=torch.float64)"
        ),
    ),
    case(
        "tutorial_int32",
        np.array([[0, 1, 5], [11, 11, 11]], np.int32),
        "int32",
        (
            "tensor([[ 0,  1,  5],\n"
            "        [11, 11, 11]], dtype=torch.int32)"
        ),
    ),
    case(
        "tutorial_sqrt2",
        np.full((2, 2), np.sqrt(np.float32(2)), np.float32),
        "float32",
        (
            "tensor([[1.4142, 1.4142],\n"
            "        [1.4142, 1.4142]])"
        ),
    ),
    case(
        "tutorial_powers2",
        np.array([[2.0, 4.0], [8.0, 16.0]], np.float32),
        "float32",
        (
            "tensor([[ 2.,  4.],\n"
            "        [ 8., 16.]])"
        ),
    ),
    case(
        "tutorial_dozens",
        np.full((2, 2), 12.0, np.float32),
        "float32",
        (
            "tensor([[12., 12.],\n"
            "        [12., 12.]])"
        ),
    ),
    case(
        "tutorial_ceil",
        np.array([[-0.0, -0.0, 1.0, -0.0], [-0.0, 1.0, 1.0, -0.0]], np.float32),
        "float32",
        (
            "tensor([[-0., -0., 1., -0.],\n"
            "        [-0., 1., 1., -0.]])"
        ),
    ),
    case(
        "tutorial_floor",
        np.array([[-1.0, -1.0, 0.0, -1.0], [-1.0, 0.0, 0.0, -1.0]], np.float32),
        "float32",
        (
            "tensor([[-1., -1.,  0., -1.],\n"
            "        [-1.,  0.,  0., -1.]])"
        ),
    ),
    case(
        "tutorial_clamp",
        np.array([[-0.5, -0.5, 0.0791, -0.2629], [-0.1986, 0.4439, 0.5, -0.4776]], np.float32),
        "float32",
        (
            "tensor([[-0.5000, -0.5000,  0.0791, -0.2629],\n"
            "        [-0.1986,  0.4439,  0.5000, -0.4776]])"
        ),
    ),
    case(
        "tutorial_angles",
        np.array([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4], np.float32),
        "float32",
        "tensor([0.0000, 0.7854, 1.5708, 2.3562])",
    ),
    case(
        "tutorial_sines",
        np.sin(np.array([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4], np.float32)),
        "float32",
        "tensor([0.0000, 0.7071, 1.0000, 0.7071])",
    ),
    case("tutorial_xor", np.array([3, 2, 1]), "int64", "tensor([3, 2, 1])"),
    case(
        "tutorial_eq",
        np.array([[True, False], [False, False]]),
        "bool",
        (
            "tensor([[ True, False],\n"
            "        [False, False]])"
        ),
    ),
    case(
        "tutorial_all_true",
        np.ones((2, 2), bool),
        "bool",
        (
            "tensor([[True, True],\n"
            "        [True, True]])"
        ),
    ),
    case("tutorial_max", np.array(4.0, np.float32), "float32", "tensor(4.)"),
    case("tutorial_mean", np.array(2.5, np.float32), "float32", "tensor(2.5000)"),
    case("tutorial_std", np.array(1.2910, np.float32), "float32", "tensor(1.2910)"),
    case("tutorial_prod", np.array(24.0, np.float32), "float32", "tensor(24.)"),
    case("tutorial_unique", np.array([1, 2]), "int64", "tensor([1, 2])"),
    case(
        "tutorial_cross",
        np.array([0.0, 0.0, -1.0], np.float32),
        "float32",
        "tensor([ 0.,  0., -1.])",
    ),
    case(
        "tutorial_561",
        np.array([[1.0, 561.0], [1.0, 1.0]], np.float32),
        "float32",
        (
            "tensor([[  1., 561.],\n"
            "        [  1.,   1.]])"
        ),
    ),
    case(
        "tutorial_requires_grad",
        np.array([[0.0905, 0.4485], [0.8740, 0.2526]], np.float32),
        "float32",
        (
            "tensor([[0.0905, 0.4485],\n"
            "        [0.8740, 0.2526]], requires_grad=True)"
        ),
        requires_grad=True,
    ),
    case(
        "tutorial_grad_fn",
        np.array([[0.0905, 0.4485], [0.8740, 0.2526]], np.float32),
        "float32",
        (
            "tensor([[0.0905, 0.4485],\n"
            "        [0.8740, 0.2526]], grad_fn=<CloneBackward0>)"
        ),
        requires_grad=True,
        grad_fn="CloneBackward0",
    ),
    case(
        "tutorial_cuda",
        np.array([[0.3344, 0.2640], [0.2119, 0.0582]], np.float32),
        "float32",
        (
            "tensor([[0.3344, 0.2640],\n"
            "        [0.2119, 0.0582]], device='cuda:0')"
        ),
        device="cuda:0",
    ),
    case(
        "tutorial_cuda_2",
        np.array([[0.0024, 0.6778], [0.2441, 0.6812]], np.float32),
        "float32",
        (
            "tensor([[0.0024, 0.6778],\n"
            "        [0.2441, 0.6812]], device='cuda:0')"
        ),
        device="cuda:0",
    ),
    case(
        "tutorial_5d",
        np.full((1, 1, 1, 1, 1), 0.2347, np.float32),
        "float32",
        "tensor([[[[[0.2347]]]]])",
    ),
    case(
        "tutorial_1x20",
        TUTORIAL_ROW_20.reshape(1, 20),
        "float32",
        (
            "tensor([[0.1899, 0.4067, 0.1519, 0.1506, 0.9585, 0.7756, 0.8973, 0.4929, 0.2"
            "367,\n"
            "         0.8194, 0.4509, 0.2690, 0.8381, 0.8207, 0.6818, 0.5057, 0.9335, 0.9"
            "769,\n"
            "         0.2792, 0.3277]])"
        ),
    ),
    case(
        "tutorial_20",
        TUTORIAL_ROW_20,
        "float32",
        (
            "tensor([0.1899, 0.4067, 0.1519, 0.1506, 0.9585, 0.7756, 0.8973, 0.4929, 0.23"
            "67,\n"
            "        0.8194, 0.4509, 0.2690, 0.8381, 0.8207, 0.6818, 0.5057, 0.9335, 0.97"
            "69,\n"
            "        0.2792, 0.3277])"
        ),
    ),
    case(
        "tutorial_broadcast_4x3x2",
        np.tile(
            np.array([[0.6493, 0.2633], [0.4762, 0.0548], [0.2024, 0.5731]], np.float32),
            (4, 1, 1),
        ),
        "float32",
        (
            "tensor([[[0.6493, 0.2633],\n"
            "         [0.4762, 0.0548],\n"
            "         [0.2024, 0.5731]],\n"
            "\n"
            "        [[0.6493, 0.2633],\n"
            "         [0.4762, 0.0548],\n"
            "         [0.2024, 0.5731]],\n"
            "\n"
            "        [[0.6493, 0.2633],\n"
            "         [0.4762, 0.0548],\n"
            "         [0.2024, 0.5731]],\n"
            "\n"
            "        [[0.6493, 0.2633],\n"
            "         [0.4762, 0.0548],\n"
            "         [0.2024, 0.5731]]])"
        ),
    ),
    case(
        "tutorial_numpy_ones",
        np.ones((2, 3)),
        "float64",
        (
            "tensor([[1., 1., 1.],\n"
            "        [1., 1., 1.]], dtype=torch.float64)"
        ),
    ),
    case(
        "tutorial_numpy_23",
        np.array([[1.0, 1.0, 1.0], [1.0, 23.0, 1.0]]),
        "float64",
        (
            "tensor([[ 1.,  1.,  1.],\n"
            "        [ 1., 23.,  1.]], dtype=torch.float64)"
        ),
    ),
]


@pytest.mark.parametrize("values, dtype, options, kwargs, expected", TENSOR_CASES)
def test_format_tensor(values, dtype, options, kwargs, expected):
    _check(values, dtype, options, kwargs, expected)


@pytest.mark.parametrize("values, dtype, options, kwargs, expected", TUTORIAL_CASES)
def test_tutorial_outputs(values, dtype, options, kwargs, expected):
    _check(values, dtype, options, kwargs, expected)



def test_module_name_substituted_in_dtype():
    values = np.ones((2, 3), np.int16)
    expected = "tensor([[1, 1, 1],\n        [1, 1, 1]], dtype=lazytensor.int16)"
    assert printing.format_tensor(values, "int16") == expected


def test_module_name_for_empty_tensor():
    assert printing.format_tensor(np.zeros(0, np.int64), "int64") == (
        "tensor([], dtype=lazytensor.int64)"
    )


def test_longer_module_name_takes_part_in_suffix_wrapping():
    # PyTorch keeps "dtype=torch.int16" on this 79-column line (case suffix_boundary_fits);
    # PyTorch's rule applied to the longer "dtype=lazytensor.int16" moves it to a new line.
    values = np.arange(10, 23, dtype=np.int16)
    assert printing.format_tensor(values, "int16") == (
        "tensor([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22],\n"
        "       dtype=lazytensor.int16)"
    )


def test_cpu_device_is_not_printed():
    values = np.array([1.0, 2.0], np.float32)
    assert printing.format_tensor(values, "float32", device="cpu") == "tensor([1., 2.])"


def test_unknown_dtype_is_rejected():
    with pytest.raises(ValueError):
        printing.format_tensor(np.zeros(2), "complex32")



_DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}


def test_get_printoptions_defaults():
    assert printing.get_printoptions() == _DEFAULTS


def test_get_printoptions_returns_a_copy():
    printing.get_printoptions()["precision"] = 9
    assert printing.get_printoptions()["precision"] == 4


def test_profiles():
    printing.set_printoptions(profile="short")
    assert printing.get_printoptions() == dict(_DEFAULTS, precision=2, edgeitems=2)
    printing.set_printoptions(profile="full")
    assert printing.get_printoptions() == dict(_DEFAULTS, threshold=math.inf)
    printing.set_printoptions(profile="default")
    assert printing.get_printoptions() == _DEFAULTS


def test_explicit_options_override_profile():
    printing.set_printoptions(profile="short", precision=6, linewidth=120)
    assert printing.get_printoptions() == dict(
        _DEFAULTS, precision=6, edgeitems=2, linewidth=120
    )


def test_unknown_profile_is_ignored():
    printing.set_printoptions(precision=3)
    printing.set_printoptions(profile="no-such-profile")
    assert printing.get_printoptions() == dict(_DEFAULTS, precision=3)


def test_sci_mode_resets_when_omitted():
    printing.set_printoptions(sci_mode=True)
    assert printing.get_printoptions()["sci_mode"] is True
    printing.set_printoptions(precision=5)
    assert printing.get_printoptions() == dict(_DEFAULTS, precision=5)


def test_options_round_trip():
    printing.set_printoptions(precision=2, threshold=10, edgeitems=1, linewidth=50, sci_mode=False)
    saved = printing.get_printoptions()
    printing.set_printoptions(profile="default")
    printing.set_printoptions(**saved)
    assert printing.get_printoptions() == saved


SIZE_CASES = [
    ([2, 2, 3], "torch.Size([2, 2, 3])"),
    ([], "torch.Size([])"),
    ([5], "torch.Size([5])"),
    ([1, 3, 226, 226], "torch.Size([1, 3, 226, 226])"),
    ([0, 3], "torch.Size([0, 3])"),
]


@pytest.mark.parametrize("shape, expected", SIZE_CASES)
def test_format_size(shape, expected):
    assert printing.format_size(shape, module="torch") == expected


def test_format_size_default_module():
    assert printing.format_size((2, 2, 3)) == "lazytensor.Size([2, 2, 3])"
    assert printing.format_size(()) == "lazytensor.Size([])"


RETURN_TYPE_CASES = [
    (
        "max",
        [
            ("values", "tensor([3.2500, 7.0000])"),
            ("indices", "tensor([2, 1])"),
        ],
        (
            "torch.return_types.max(\n"
            "values=tensor([3.2500, 7.0000]),\n"
            "indices=tensor([2, 1]))"
        ),
    ),
    (
        "sort",
        [
            ("values", "tensor([1, 2, 3])"),
            ("indices", "tensor([1, 2, 0])"),
        ],
        (
            "torch.return_types.sort(\n"
            "values=tensor([1, 2, 3]),\n"
            "indices=tensor([1, 2, 0]))"
        ),
    ),
    (
        "aminmax",
        [
            ("min", "tensor(3.)"),
            ("max", "tensor(3.)"),
        ],
        (
            "torch.return_types.aminmax(\n"
            "min=tensor(3.),\n"
            "max=tensor(3.))"
        ),
    ),
    (
        "min",
        [
            ("values", (
                "tensor([[0.0000, 0.3333, 0.6667, 1.0000],\n"
                "        [1.3333, 1.6667, 2.0000, 2.3333],\n"
                "        [2.6667, 3.0000, 3.3333, 3.6667]])"
            )),
            ("indices", (
                "tensor([[0, 0, 0, 0],\n"
                "        [0, 0, 0, 0],\n"
                "        [0, 0, 0, 0]])"
            )),
        ],
        (
            "torch.return_types.min(\n"
            "values=tensor([[0.0000, 0.3333, 0.6667, 1.0000],\n"
            "        [1.3333, 1.6667, 2.0000, 2.3333],\n"
            "        [2.6667, 3.0000, 3.3333, 3.6667]]),\n"
            "indices=tensor([[0, 0, 0, 0],\n"
            "        [0, 0, 0, 0],\n"
            "        [0, 0, 0, 0]]))"
        ),
    ),
]


@pytest.mark.parametrize("name, fields, expected", RETURN_TYPE_CASES)
def test_format_return_type(name, fields, expected):
    assert printing.format_return_type(name, fields, module="torch") == expected


def test_return_type_from_tutorial_svd():
    fields = [
        ("U", printing.format_tensor(
            np.array([[-0.7889, -0.6145], [-0.6145, 0.7889]], np.float32), "float32")),
        ("S", printing.format_tensor(np.array([4.1498, 1.0548], np.float32), "float32")),
        ("Vh", printing.format_tensor(
            np.array([[-0.7957, -0.6056], [0.6056, -0.7957]], np.float32), "float32")),
    ]
    assert printing.format_return_type("linalg_svd", fields, module="torch") == (
        "torch.return_types.linalg_svd(\n"
        "U=tensor([[-0.7889, -0.6145],\n"
        "        [-0.6145,  0.7889]]),\n"
        "S=tensor([4.1498, 1.0548]),\n"
        "Vh=tensor([[-0.7957, -0.6056],\n"
        "        [ 0.6056, -0.7957]]))"
    )


def test_return_type_with_formatted_fields_and_default_module():
    values = printing.format_tensor(np.array([3.25, 7.0], np.float32), "float32")
    indices = printing.format_tensor(np.array([2, 1], np.int64), "int64")
    result = printing.format_return_type("max", [("values", values), ("indices", indices)])
    assert result == (
        "lazytensor.return_types.max(\nvalues=tensor([3.2500, 7.0000]),\n"
        "indices=tensor([2, 1]))"
    )

