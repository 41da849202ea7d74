"""Tests for lazytensor/elementwise.py (and the C spelling of each op in codegen/render.py):
unary math, binary ops with tensors and Python scalars on either side and broadcasting,
comparisons, bitwise and logical ops, where, clamp, rounding, in-place variants and every
refusal PyTorch makes at the call.

Expected values are NumPy's, computed in the dtype PyTorch gives the result; where PyTorch
defines a value differently from NumPy (sign of NaN, floor division by zero) the test says
so. Error messages are PyTorch 2.13's. Results of one test are realised together, in one
compiled program, so the suite compiles few programs.
"""
import math
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lazytensor as lt
from lazytensor.storage import realize_all

F32 = dict(rtol=2e-6, atol=1e-7)        # a few ulp: libm implementations differ slightly


def values(*tensors):
    """NumPy arrays of the tensors' values, computed in one realisation."""
    realize_all([t._storage for t in tensors])
    return [t._values() for t in tensors]       # (np.asarray refuses bfloat16, as PyTorch's)


def check(tensors, expected, exact=False, **tol):
    """Each tensor equals its expected NumPy array in dtype, shape and value."""
    for t, got, want in zip(tensors, values(*tensors), expected):
        want = np.asarray(want)
        assert t.dtype.name == want.dtype.name, (t.dtype, want.dtype)
        assert got.shape == want.shape
        if exact:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, equal_nan=True, **(tol or F32))


# -- unary math --------------------------------------------------------------------------------
# op -> (NumPy reference, input values inside the op's domain)
WIDE = np.array([-3.7, -1.5, -0.5, -0.25, 0.0, 0.3, 0.5, 1.5, 2.5, 4.2])
POSITIVE = np.array([0.01, 0.3, 0.5, 1.0, 1.5, 2.5, 10.0, 123.0, 1e4, 3e5])
UNIT = np.array([-1.0, -0.9, -0.5, -0.1, 0.0, 0.2, 0.5, 0.75, 0.99, 1.0])
UNARY = {
    "abs": (np.abs, WIDE), "neg": (np.negative, WIDE), "exp": (np.exp, WIDE),
    "exp2": (np.exp2, WIDE), "log": (np.log, POSITIVE), "log2": (np.log2, POSITIVE),
    "log1p": (np.log1p, WIDE[2:]), "expm1": (np.expm1, WIDE), "sqrt": (np.sqrt, POSITIVE),
    "rsqrt": (lambda a: 1 / np.sqrt(a), POSITIVE), "sin": (np.sin, WIDE),
    "cos": (np.cos, WIDE), "tan": (np.tan, WIDE), "asin": (np.arcsin, UNIT),
    "acos": (np.arccos, UNIT), "atan": (np.arctan, WIDE), "sinh": (np.sinh, WIDE),
    "cosh": (np.cosh, WIDE), "tanh": (np.tanh, WIDE), "asinh": (np.arcsinh, WIDE),
    "acosh": (np.arccosh, POSITIVE + 1), "atanh": (np.arctanh, UNIT[1:-1].repeat(2)[:10]),
    "lgamma": (lambda a: np.vectorize(math.lgamma)(a).astype(a.dtype), POSITIVE),
    "sigmoid": (lambda a: 1 / (1 + np.exp(-a)), WIDE),
    "relu": (lambda a: np.maximum(a, 0), WIDE), "floor": (np.floor, WIDE),
    "ceil": (np.ceil, WIDE), "round": (np.round, WIDE), "trunc": (np.trunc, WIDE),
    "sign": (np.sign, WIDE), "reciprocal": (np.reciprocal, POSITIVE),
    "square": (np.square, WIDE),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_every_unary_op_matches_numpy(dtype):
    npd = np.dtype(dtype)
    inputs = {op: lt.tensor(data.astype(npd).reshape(2, -1)) for op, (_, data) in UNARY.items()}
    outs = [getattr(lt, op)(inputs[op]) for op in UNARY]
    expected = [fn(data.astype(npd)).reshape(2, -1) for fn, data in UNARY.values()]
    check(outs, expected, **(F32 if dtype == "float32" else dict(rtol=1e-13, atol=1e-15)))


def test_unary_ops_as_methods_and_operators_on_a_strided_view():
    base = np.arange(12, dtype=np.float32).reshape(3, 4) / 4 - 1
    x = lt.tensor(base)
    v, nv = x.T[1:, ::2], base.T[1:, ::2]
    outs = [v.exp(), v.abs(), -v, abs(v), v.sigmoid().sqrt(), v.round(), v.square()]
    expected = [np.exp(nv), np.abs(nv), -nv, np.abs(nv), np.sqrt(1 / (1 + np.exp(-nv))),
                np.round(nv), nv * nv]
    check(outs, expected)


def test_special_values_follow_ieee_and_pytorch():
    s = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 2.5, -2.5], dtype=np.float32)
    x = lt.tensor(s)
    ops = ["abs", "neg", "floor", "ceil", "round", "trunc", "sqrt", "reciprocal", "square",
           "relu", "exp", "log", "tanh", "expm1", "log1p"]
    with np.errstate(all="ignore"):
        expected = [np.abs(s), -s, np.floor(s), np.ceil(s), np.round(s), np.trunc(s),
                    np.sqrt(s), 1 / s, s * s, np.where(s < 0, np.float32(0), s), np.exp(s),
                    np.log(s), np.tanh(s), np.expm1(s), np.log1p(s)]
    outs = [getattr(x, op)() for op in ops]
    for k, (op, got, want) in enumerate(zip(ops, values(*outs), expected)):
        if k < 10:                                  # correctly rounded: exact
            np.testing.assert_array_equal(got, want, err_msg=op)
        else:
            np.testing.assert_allclose(got, want, err_msg=op, **F32)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want), err_msg=op)
    # PyTorch's sign is 0 for NaN (NumPy's is NaN), and sigmoid saturates to 0 and 1
    assert x.sign().tolist() == [0.0, 1.0, -1.0, 0.0, 0.0, 1.0, -1.0]
    assert lt.tensor([-100.0, 100.0, 0.0]).sigmoid().tolist() == [0.0, 1.0, 0.5]


def test_round_is_half_to_even_and_takes_decimals():
    x = lt.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 1.25, 2.675, 1234.5678])
    outs = [x.round(), lt.round(x, decimals=2), x.round(decimals=-2)]
    a = np.float32([0.5, 1.5, 2.5, -0.5, -1.5, 1.25, 2.675, 1234.5678])
    expected = [np.round(a), np.round(a * np.float32(100)) / np.float32(100),
                np.round(a / np.float32(100)) * np.float32(100)]
    check(outs, expected, exact=True)
    with pytest.raises(NotImplementedError, match="\"round_cpu\" not implemented for 'Long'"):
        lt.tensor([1, 2]).round(decimals=1)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "bool"])
def test_float_ops_of_integers_and_bools_give_float32(dtype):
    data = np.array([0, 1, 2, 5, 9, 100], dtype=np.int64) % (2 if dtype == "bool" else 128)
    x = lt.tensor(data.astype(dtype))
    outs = [x.exp(), x.sqrt(), x.sin(), x.sigmoid(), x.log1p(), x.reciprocal()]
    a = data.astype(np.float32)
    with np.errstate(divide="ignore", over="ignore"):
        expected = [np.exp(a), np.sqrt(a), np.sin(a), 1 / (1 + np.exp(-a)), np.log1p(a), 1 / a]
    check(outs, expected)


def test_integer_unary_ops_keep_the_dtype():
    data = np.array([-128, -7, -1, 0, 3, 127], dtype=np.int8)
    x, i = lt.tensor(data), lt.tensor(data.astype(np.int64))
    outs = [x.abs(), -x, x.sign(), x.square(), x.floor(), x.round(), x.relu(), i.abs(), ~x,
            lt.tensor([True, False]).square(), lt.tensor([True, False]).sign()]
    with np.errstate(over="ignore"):
        expected = [np.abs(data), -data, np.sign(data), data * data, data, data,
                    np.maximum(data, 0), np.abs(data.astype(np.int64)), ~data,
                    np.array([1, 0]), np.array([True, False])]
    check(outs, expected, exact=True)


@pytest.mark.parametrize("op,message", [
    ("neg", "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."),
    ("abs", "\"abs_cpu\" not implemented for 'Bool'"),
    ("floor", "\"floor_vml_cpu\" not implemented for 'Bool'"),
    ("ceil", "\"ceil_vml_cpu\" not implemented for 'Bool'"),
    ("round", "\"round_vml_cpu\" not implemented for 'Bool'"),
    ("trunc", "\"trunc_vml_cpu\" not implemented for 'Bool'"),
    ("relu", "Boolean inputs not supported for relu"),
])
def test_unary_ops_refused_on_bool(op, message):
    b = lt.tensor([True, False])
    with pytest.raises(RuntimeError) as info:
        getattr(lt, op)(b)
    assert str(info.value) == message
    assert b.logical_not().tolist() == [False, True]


def test_bitwise_not_and_invert():
    f = lt.tensor([1.0])
    with pytest.raises(NotImplementedError, match="\"bitwise_not_cpu\" not implemented for "
                                                  "'Float'"):
        f.bitwise_not()
    with pytest.raises(TypeError, match=r"~ \(operator.invert\) is only implemented on "
                                        "integer and Boolean-type tensors"):
        ~f
    outs = [~lt.tensor([0, 1, -2]), ~lt.tensor([True, False]),
            ~lt.tensor([0, 255], dtype=lt.uint8), lt.logical_not(lt.tensor([0.0, 2.5]))]
    check(outs, [np.array([-1, -2, 1]), np.array([False, True]), np.uint8([255, 0]),
                 np.array([True, False])], exact=True)


def test_unary_function_needs_a_tensor():
    with pytest.raises(TypeError, match=r"exp\(\): argument 'input' \(position 1\) must be "
                                        "Tensor, not float"):
        lt.exp(1.0)


# -- binary ops --------------------------------------------------------------------------------
SHAPE_PAIRS = [((2, 3), (3,)), ((4, 1), (1, 3)), ((2, 1, 3), (4, 1)), ((), (2, 2)),
               ((3,), ())]
FLOAT_BINARY = {
    "add": (lambda x, y: x + y, np.add), "sub": (lambda x, y: x - y, np.subtract),
    "mul": (lambda x, y: x * y, np.multiply), "div": (lambda x, y: x / y, np.divide),
    "floordiv": (lambda x, y: x // y, np.floor_divide),
    "mod": (lambda x, y: x % y, np.remainder), "pow": (lambda x, y: x.abs() ** y,
                                                       lambda a, b: np.abs(a) ** b),
    "atan2": (lt.atan2, np.arctan2), "maximum": (lt.maximum, np.maximum),
    "minimum": (lt.minimum, np.minimum), "fmod": (lt.fmod, np.fmod),
    "copysign": (lt.copysign, np.copysign),
}
COMPARE = {"eq": (lambda x, y: x == y, np.equal), "ne": (lambda x, y: x != y, np.not_equal),
           "lt": (lambda x, y: x < y, np.less), "le": (lambda x, y: x <= y, np.less_equal),
           "gt": (lambda x, y: x > y, np.greater), "ge": (lambda x, y: x >= y, np.greater_equal),
           "logical_and": (lt.logical_and, np.logical_and),
           "logical_or": (lt.logical_or, np.logical_or),
           "logical_xor": (lt.logical_xor, np.logical_xor)}


def float_data(rng, shape, dtype):
    """Values in quarters (exact in float16), some zero, none at a pole of the ops above."""
    return np.asarray(rng.integers(-12, 13, shape) / 4, dtype=dtype)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(SHAPE_PAIRS), st.sampled_from(["float32", "float64"]),
       st.integers(0, 2**32 - 1))
def test_float_binary_ops_broadcast_like_numpy(shapes, dtype, seed):
    rng = np.random.default_rng(seed)
    a, b = float_data(rng, shapes[0], dtype), float_data(rng, shapes[1], dtype)
    b[b == 0] = 0.5                                 # floor division by zero: see below
    x, y = lt.tensor(a), lt.tensor(b)
    ops = {**FLOAT_BINARY, **COMPARE}
    outs = [ours(x, y) for ours, _ in ops.values()]
    with np.errstate(all="ignore"):
        expected = [np.asarray(ref(a, b)) for _, ref in ops.values()]
    check(outs, expected)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(SHAPE_PAIRS[:3]), st.sampled_from(["int64", "int16", "uint8"]),
       st.integers(0, 2**32 - 1))
def test_integer_binary_ops_broadcast_like_numpy(shapes, dtype, seed):
    rng = np.random.default_rng(seed)
    low = 0 if dtype == "uint8" else -9
    a = rng.integers(low, 10, shapes[0]).astype(dtype)
    b = rng.integers(1, 6, shapes[1]).astype(dtype)         # nonzero divisors, small powers
    x, y = lt.tensor(a), lt.tensor(b)
    outs = [x + y, x - y, x * y, x // y, x % y, x ** y, lt.maximum(x, y), lt.fmod(x, y),
            x & y, x | y, x ^ y, x << y, x >> y, x == y, x < y, x / y]
    with np.errstate(over="ignore"):
        expected = [a + b, a - b, a * b, a // b, a % b, a ** b, np.maximum(a, b),
                    np.fmod(a, b), a & b, a | b, a ^ b, a << b, a >> b, a == b, a < b,
                    a.astype(np.float32) / b.astype(np.float32)]
    check(outs, expected, exact=True)


def test_bool_binary_ops():
    a = np.array([[True, False], [True, True]])
    b = np.array([True, False])
    x, y = lt.tensor(a), lt.tensor(b)
    outs = [x + y, x * y, x & y, x | y, x ^ y, x == y, x < y, lt.logical_xor(x, y),
            lt.maximum(x, y), x + 2, x * 1.5, x / y]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = [a | b, a & b, a & b, a | b, a ^ b, a == b, a < b, a ^ b, a | b,
                    a.astype(np.int64) + 2, a.astype(np.float32) * 1.5,
                    a.astype(np.float32) / b.astype(np.float32)]
    check(outs, expected, exact=True)


def test_python_scalars_on_either_side():
    a = np.float32([[-2.5, -1.0, 0.5], [0.25, 3.0, -7.25]])
    i = np.array([[-7, -1, 5], [2, 3, -8]])
    x, n = lt.tensor(a), lt.tensor(i)
    outs = [x + 2, 2 + x, x - 1.5, 1.5 - x, 3 * x, x / 2, 2 / x, x ** 2, 2 ** x, x // 2,
            7 // x, x % 2, 5 % x, n + 3, 3 - n, n * 2.5, n / 2, 1 / n, n ** 2, 2 ** n.abs(),
            n // 3, -13 // n, n % 3, 7 % n, n & 6, 6 | n, n ^ -1, n << 2, 1 << n.abs(),
            n >> 1, 2 < x, x >= 0.5, n == 3, 3 != n, x + True, n * False]
    p = np.float32
    expected = [a + p(2), p(2) + a, a - p(1.5), p(1.5) - a, p(3) * a, a / p(2), p(2) / a,
                a ** p(2), p(2) ** a, a // p(2), p(7) // a, a % p(2), p(5) % a, i + 3, 3 - i,
                i.astype(p) * p(2.5), i.astype(p) / p(2), p(1) / i.astype(p), i ** 2,
                2 ** np.abs(i), i // 3, -13 // i, i % 3, 7 % i, i & 6, 6 | i, i ^ -1, i << 2,
                1 << np.abs(i), i >> 1, p(2) < a, a >= p(0.5), i == 3, 3 != i, a + p(1),
                i * 0]
    check(outs, expected)


def test_scalars_keep_the_tensor_width_and_wrap_into_it():
    i16 = lt.tensor([1, -2, 300], dtype=lt.int16)
    u8 = lt.tensor([1, 2, 250], dtype=lt.uint8)
    h = lt.tensor([1.5, -2.0, 0.1], dtype=lt.float16)
    outs = [i16 + 5, i16 * 2.5, u8 + 300, u8 - 3, u8 + -1, h * 3, h + 1e-4, i16 + 100000]
    n16, nu8, nh = np.int16([1, -2, 300]), np.uint8([1, 2, 250]), np.float16([1.5, -2.0, 0.1])
    with np.errstate(over="ignore"):
        expected = [n16 + np.int16(5), n16.astype(np.float32) * 2.5, nu8 + np.uint8(44),
                    nu8 - np.uint8(3), nu8 + np.uint8(255), nh * np.float16(3),
                    nh + np.float16(1e-4), n16 + np.int16(100000 - 2**17)]
    check(outs, expected, exact=True)
    with pytest.raises(OverflowError, match="int too big to convert"):
        i16 + 2**64


def test_division_and_remainder_conventions():
    a = np.array([5, -5, 7, -7, 0])
    b = np.array([2, 2, -3, -3, 4])
    x, y = lt.tensor(a), lt.tensor(b)
    f, g = x.double() + 0.5, y.double()
    outs = [x / y, x // y, x % y, lt.fmod(x, y), lt.div(x, y, rounding_mode="trunc"),
            lt.div(x, y, rounding_mode="floor"), x.div(y, rounding_mode=None),
            f // g, f % g, lt.fmod(f, g), lt.div(f, g, rounding_mode="trunc")]
    af, bf = a + 0.5, b.astype(np.float64)
    expected = [a.astype(np.float32) / b.astype(np.float32), a // b, a % b, np.fmod(a, b),
                np.trunc(a / b).astype(np.int64), a // b, (a / b).astype(np.float32),
                af // bf, af % bf, np.fmod(af, bf), np.trunc(af / bf)]
    check(outs, expected, exact=True)
    with pytest.raises(RuntimeError, match="div expected rounding_mode to be one of None, "
                                           "'trunc', or 'floor' but found 'up'"):
        lt.div(x, y, rounding_mode="up")


def test_number_divided_by_a_tensor_is_a_reciprocal_times_the_number():
    # PyTorch defines `number / tensor` as tensor.reciprocal() * number: its bits differ
    # from a correctly rounded division in about a quarter of the cases
    a = np.random.default_rng(0).uniform(0.1, 10, 64).astype(np.float32)
    x = lt.tensor(a)
    got, true_div = values(3.0 / x, lt.div(3.0, x))
    np.testing.assert_array_equal(got, (np.float32(1) / a) * np.float32(3))
    np.testing.assert_array_equal(true_div, np.float32(3) / a)


def test_float16_and_bfloat16_ops_with_a_python_number_round_as_pytorch():
    # PyTorch's mul, div and floor division read the number at float32 precision and round
    # the result once; add, sub and comparisons use the number rounded to the tensor's dtype
    h = lt.tensor([3.0, 1000.0, -2.75, 0.1], dtype=lt.float16)
    b = lt.tensor([3.0, 1000.0, -2.75, 0.1], dtype=lt.bfloat16)
    outs = [h / 1e-3, h * 1.0007, 1.0007 * h, h // 1e-3, h - 2.9995, h == 0.1, b + 2.9,
            h / lt.tensor(1e-3)]
    got = values(*outs)
    assert got[0].tolist()[:2] == [3000.0, np.inf] and got[7].tolist()[0] == 3000.0
    assert got[1].tolist()[1] == 1000.5 and got[2].tolist()[1] == 1000.5
    assert got[3].tolist()[2] == -2750.0
    assert got[4].tolist()[0] == 0.0 and got[5].tolist() == [False, False, False, True]
    assert got[6].tolist()[2] == 0.15625


def test_constants_outside_float32_range_and_negative_constants():
    x = lt.tensor([1.0, -2.0])
    outs = [x * 1e300, -lt.full((2,), -3), -lt.full((2,), -3.5), lt.full((2,), -3.5).abs(),
            lt.full((2,), -3) - lt.full((2,), -3), ~lt.full((2,), -3)]
    expected = [np.float32([np.inf, -np.inf]), np.array([3, 3]), np.float32([3.5, 3.5]),
                np.float32([3.5, 3.5]), np.array([0, 0]), np.array([2, 2])]
    check(outs, expected, exact=True)


def test_float_division_by_zero_is_ieee():
    z = lt.tensor([1.0, -1.0, 0.0, 5.5])
    outs = [z / 0, z // 0.0, lt.tensor([1, -1, 0]) / 0]
    expected = [np.float32([np.inf, -np.inf, np.nan, np.inf]),
                np.float32([np.inf, -np.inf, np.nan, np.inf]),
                np.float32([np.inf, -np.inf, np.nan])]
    check(outs, expected, exact=True)


def test_maximum_and_minimum_propagate_nan():
    x = lt.tensor([np.nan, 1.0, 2.0, np.nan])
    y = lt.tensor([0.0, np.nan, 1.0, np.nan])
    check([lt.maximum(x, y), lt.minimum(x, y)],
          [np.float32([np.nan, np.nan, 2.0, np.nan]), np.float32([np.nan, np.nan, 1.0, np.nan])],
          exact=True)


def test_integer_pow_with_tensor_exponents():
    # PyTorch: 1 ** -n = 1, (-1) ** -n = +-1, any other integer ** negative = 0
    x = lt.tensor([2, 1, -1, -1, 0, 3])
    y = lt.tensor([-1, -2, -3, -2, 3, 4])
    check([x ** y], [np.array([0, 1, -1, 1, 0, 81])], exact=True)


def test_shifts_past_the_width():
    # PyTorch: shifting by the width or more gives 0 (left) or the sign (right)
    x = lt.tensor([1, -8, 1 << 62])
    check([x << 64, x >> 70, x << 1, lt.tensor([-8, 8], dtype=lt.int8) >> 9],
          [np.array([0, 0, 0]), np.array([0, -1, 0]), np.array([2, -16, -2**63]),
           np.int8([-1, 0])], exact=True)


def test_add_and_sub_with_alpha():
    x, y = lt.tensor([1.0, 2.0]), lt.tensor([10.0, 20.0])
    i = lt.tensor([7, -7])
    outs = [lt.add(x, y, alpha=2), x.sub(y, alpha=0.5), lt.add(x, 3, alpha=2),
            lt.sub(i, 1, alpha=2), lt.add(2, i, alpha=2), x.add(y, alpha=1)]
    expected = [np.float32([21, 42]), np.float32([-4, -8]), np.float32([7, 8]),
                np.array([5, -9]), np.array([16, -12]), np.float32([11, 22])]
    check(outs, expected, exact=True)
    with pytest.raises(RuntimeError, match="For integral input tensors, argument alpha must "
                                           "not be a floating point number."):
        lt.add(i, i, alpha=2.5)
    with pytest.raises(RuntimeError, match="Boolean alpha only supported for Boolean results."):
        lt.add(i, i, alpha=True)


def test_isnan_isinf_isfinite_signbit():
    x = lt.tensor([np.nan, np.inf, -np.inf, -0.0, 1.0])
    i = lt.tensor([1, -2])
    outs = [lt.isnan(x), x.isinf(), lt.isfinite(x), lt.signbit(x), lt.isinf(i), i.isfinite(),
            i.isnan()]
    expected = [[True, False, False, False, False], [False, True, True, False, False],
                [False, False, False, True, True], [False, False, True, True, False],
                [False, False], [True, True], [False, False]]
    check(outs, [np.array(e) for e in expected], exact=True)


# -- where and clamp ---------------------------------------------------------------------------
def test_where_broadcasts_and_promotes():
    c = np.array([[True, False, True], [False, False, True]])
    a = np.float32([[-2.5, -1.0, 0.5], [0.0, 3.7, -7.25]])
    i = np.array([1, 2, 3])
    cond, x, n = lt.tensor(c), lt.tensor(a), lt.tensor(i)
    outs = [lt.where(cond, x, n), lt.where(cond, x, 0.0), lt.where(cond, 2, x),
            lt.where(cond, 2, 3), lt.where(cond, 2.5, 3), lt.where(cond[0], n.short(), 7),
            x.where(x > 0, -x), lt.where(cond.to(lt.uint8), n, -n)]
    expected = [np.where(c, a, i.astype(np.float32)), np.where(c, a, np.float32(0)),
                np.where(c, np.float32(2), a), np.where(c, 2, 3),
                np.where(c, np.float32(2.5), np.float32(3)),
                np.where(c[0], i, 7).astype(np.int16), np.where(a > 0, a, -a),
                np.where(c, i, -i)]
    check(outs, expected, exact=True)
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor, "
                                           "but got a tensor with dtype Float"):
        lt.where(x, x, x)
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size "
                                           r"of tensor b \(2\) at non-singleton dimension 1"):
        lt.where(cond, x, lt.tensor([1.0, 2.0]))


def test_clamp_with_scalars_and_tensors():
    a = np.float32([[-2.5, -1.0, 0.5], [0.0, 3.7, np.nan]])
    i = np.array([-7, 0, 9])
    x, n = lt.tensor(a), lt.tensor(i)
    lo, hi = lt.tensor([0.0, -1.0, 1.0]), lt.tensor([1.0, 2.0, 3.0])
    outs = [x.clamp(-1, 1), lt.clamp(x, min=-1.5), x.clamp(max=0.5), x.clip(-1, 1),
            lt.clamp(x, lo, hi), x.clamp(2, 1), n.clamp(-1, 1), n.clamp(-1.5, 2.5),
            n.clamp(min=0.5), x.clamp_min(0), n.clamp_max(0), n.to(lt.int8).clamp(-100, 100)]
    expected = [np.clip(a, -1, 1), np.maximum(a, np.float32(-1.5)),
                np.minimum(a, np.float32(0.5)), np.clip(a, -1, 1),
                np.minimum(np.maximum(a, [0, -1, 1]), [1, 2, 3]).astype(np.float32),
                np.where(np.isnan(a), a, np.float32(1)), np.clip(i, -1, 1),
                np.clip(i.astype(np.float32), -1.5, 2.5),
                np.maximum(i.astype(np.float32), 0.5), np.maximum(a, 0), np.minimum(i, 0),
                np.clip(i, -100, 100).astype(np.int8)]
    check(outs, expected, exact=True)
    # a negative bound of a uint8 clamp wraps around, as in PyTorch: max(u, 255) then min 3
    assert lt.tensor([0, 7], dtype=lt.uint8).clamp(-1, 3).tolist() == [3, 3]
    with pytest.raises(RuntimeError, match="torch.clamp: At least one of 'min' or 'max' must "
                                           "not be None"):
        x.clamp()
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without "
                                           "overflow"):
        n.to(lt.int8).clamp(0, 300)


# -- in-place variants -------------------------------------------------------------------------
def test_inplace_ops_write_the_tensor_and_return_it():
    x = lt.tensor([[1.0, -2.0], [3.0, -4.0]])
    i = lt.tensor([5, -6])
    assert x.add_(1) is x
    x.mul_(lt.tensor([2.0, 3.0])).sub_(1, alpha=2)
    x.abs_().clamp_(0, 8)
    x.div_(2)
    i //= 4
    i.neg_()
    check([x, i], [np.float32([[1.0, 2.5], [3.0, 4.0]]), np.array([-1, 2])], exact=True)
    y = lt.tensor([1.5, -2.5, 3.5])
    y.round_().sqrt_()
    z = lt.tensor([10, 20, 30])
    z[1:] += z[1:]
    with np.errstate(invalid="ignore"):
        expect_y = np.sqrt(np.float32([2.0, -2.0, 4.0]))
    check([y, z], [expect_y, np.array([10, 40, 60])])


def test_inplace_refusals_leave_the_tensor_usable():
    x = lt.arange(5).float()
    with pytest.raises(RuntimeError, match=r"output with shape \[5\] doesn't match the "
                                           r"broadcast shape \[2, 5\]"):
        x.add_(lt.ones(2, 5))
    with pytest.raises(RuntimeError, match="some elements of the input tensor and the "
                                           "written-to tensor refer to a single memory location"):
        x[1:].add_(x[:-1])
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor "
                                           "refers to a single memory location"):
        lt.zeros(3).expand(2, 3).mul_(2)
    x.add_(x)                                     # the very same elements: allowed
    assert x.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]


# -- refusals at the call --------------------------------------------------------------------------
def test_broadcast_mismatch_names_both_sizes_and_leaves_operands_usable():
    a, b = lt.ones(2, 3), lt.ones(2, 2)
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size "
                                           r"of tensor b \(2\) at non-singleton dimension 1"):
        a + b
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(4\) must match the size "
                                           r"of tensor b \(3\) at non-singleton dimension 1"):
        lt.ones(4) * lt.ones(3, 1, 1)[0].T.T.unsqueeze(0).expand(2, 3, 1)[0].T
    assert (a.sum() + b.sum()).item() == 10.0
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        lt.ones(2, dtype=lt.bool) - lt.ones(3)          # refused before shapes are compared


@pytest.mark.parametrize("fn,error,message", [
    (lambda f, i, b: f & i, NotImplementedError, "\"bitwise_and_cpu\" not implemented for "
                                                 "'Float'"),
    (lambda f, i, b: i | 2.5, NotImplementedError, "\"bitwise_or_cpu\" not implemented for "
                                                   "'Float'"),
    (lambda f, i, b: f ^ f, NotImplementedError, "\"bitwise_xor_cpu\" not implemented for "
                                                 "'Float'"),
    (lambda f, i, b: f << 1, NotImplementedError, "\"lshift_cpu\" not implemented for 'Float'"),
    (lambda f, i, b: b >> b, NotImplementedError, "\"rshift_cpu\" not implemented for 'Bool'"),
    (lambda f, i, b: b // b, NotImplementedError, "\"div_floor_cpu\" not implemented for "
                                                  "'Bool'"),
    (lambda f, i, b: b % True, NotImplementedError, "\"remainder_cpu\" not implemented for "
                                                    "'Bool'"),
    (lambda f, i, b: lt.fmod(b, b), NotImplementedError, "\"fmod_cpu\" not implemented for "
                                                         "'Bool'"),
    (lambda f, i, b: lt.div(b, b, rounding_mode="trunc"), NotImplementedError,
     "\"div_trunc_cpu\" not implemented for 'Bool'"),
    (lambda f, i, b: b ** b, NotImplementedError, "\"pow\" not implemented for 'Bool'"),
    (lambda f, i, b: i ** -1, RuntimeError, "Integers to negative integer powers are not "
                                            "allowed."),
    # an integer base takes its scalar exponent in its own type, range-checked (PyTorch 2.13)
    (lambda f, i, b: i.to(lt.int8) ** 200, RuntimeError, "value cannot be converted to type "
                                                         "int8_t without overflow"),
    (lambda f, i, b: i.int().pow(2**31), RuntimeError, "value cannot be converted to type int "
                                                       "without overflow"),
    (lambda f, i, b: i.to(lt.uint8).pow_(300), RuntimeError, "value cannot be converted to "
                                                             "type uint8_t without overflow"),
    (lambda f, i, b: b - b, RuntimeError, "Subtraction, the `-` operator, with two bool "
                                          "tensors is not supported. Use the `^` or "
                                          "`logical_xor()` operator instead."),
    (lambda f, i, b: 1 - b, RuntimeError, "Subtraction, the `-` operator, with a bool tensor "
                                          "is not supported. If you are trying to invert a "
                                          "mask, use the `~` or `logical_not()` operator "
                                          "instead."),
    (lambda f, i, b: lt.atan2(f, 2), TypeError, "atan2(): argument 'other' (position 2) must "
                                                "be Tensor, not int"),
    (lambda f, i, b: lt.maximum(2.5, f), TypeError, "maximum(): argument 'input' (position 1) "
                                                    "must be Tensor, not float"),
    (lambda f, i, b: f.minimum(1), TypeError, "minimum(): argument 'other' (position 1) must "
                                              "be Tensor, not int"),
    (lambda f, i, b: lt.logical_and(b, True), TypeError, "logical_and(): argument 'other' "
                                                         "(position 2) must be Tensor, not "
                                                         "bool"),
    (lambda f, i, b: lt.eq(2, f), TypeError, "eq() received an invalid combination of "
                                             "arguments - got (int, Tensor)"),
    (lambda f, i, b: lt.add(1, 2), TypeError, "add(): argument 'input' (position 1) must be "
                                              "Tensor, not int"),
])
def test_binary_refusals(fn, error, message):
    f, i, b = lt.tensor([1.5, 2.0]), lt.tensor([3, 4]), lt.tensor([True, False])
    with pytest.raises(error) as info:
        fn(f, i, b)
    assert str(info.value).startswith(message)
    assert (f * i).tolist() == [4.5, 8.0] and (b & True).tolist() == [True, False]


def test_integer_division_by_zero_raises_pytorchs_error_when_computed():
    a, b = lt.tensor([7, -7, 3]), lt.tensor([2, 2, 0])
    q = a // b                      # lazy: nothing computed yet
    with pytest.raises(RuntimeError, match="^ZeroDivisionError$"):
        q.tolist()
    with pytest.raises(RuntimeError, match="^ZeroDivisionError$"):
        (a % b).tolist()
    assert (a // lt.tensor([2, 2, 1])).tolist() == [3, -4, 3]   # the library stays usable
    assert (a % 2).tolist() == [1, 1, 1]


@pytest.mark.parametrize("fn", [
    lambda i: i // 0, lambda i: i % 0, lambda i: lt.fmod(i, 0), lambda i: lt.remainder(i, 0),
    lambda i: lt.div(i, 0, rounding_mode="floor"), lambda i: lt.div(i, 0, rounding_mode="trunc"),
    lambda i: i // False, lambda i: i.to(lt.uint8) // 0, lambda i: lt.floor_divide(i, 0),
    lambda i: i.clone().floor_divide_(0), lambda i: i.clone().remainder_(0)])
def test_integer_division_by_a_python_zero_raises_at_the_call(fn):
    """PyTorch 2.13 raises RuntimeError('ZeroDivisionError') at the op; a Python zero is known
    then, so the op raises, before building anything."""
    i = lt.tensor([3, -4, 5])
    with pytest.raises(RuntimeError, match="^ZeroDivisionError$"):
        fn(i)
    assert i.tolist() == [3, -4, 5]
    assert (i // 0.0).tolist()[0] == math.inf and (i.float() % 0).isnan().all().item()
    on_gpu = lt.Tensor._from_node(i._node, lt.device("cuda", 0))   # built only, not run
    fn(on_gpu)                      # PyTorch's CUDA kernels raise nothing: neither do we


def test_integer_fmod_by_a_zero_in_a_tensor_raises_when_computed():
    i, z = lt.tensor([7, -7, 3]), lt.tensor([2, 2, 0])
    with pytest.raises(RuntimeError, match="^ZeroDivisionError$"):
        lt.fmod(i, z).tolist()
    assert lt.fmod(i, lt.tensor([2, 2, 1])).tolist() == [1, -1, 0]      # C's %, like PyTorch


def test_log10_erf_erfc_frac_match_pytorch():
    # values printed by PyTorch 2.13 for these inputs
    x = lt.tensor([-2.5, -0.3, 0.0, 0.7, 3.25])
    assert repr(x.frac()) == "tensor([-0.5000, -0.3000,  0.0000,  0.7000,  0.2500])"
    assert repr(x.abs().log10()) == "tensor([ 0.3979, -0.5229,    -inf, -0.1549,  0.5119])"
    assert repr(lt.erf(x)) == "tensor([-0.9996, -0.3286,  0.0000,  0.6778,  1.0000])"
    assert repr(x.erfc()) == ("tensor([1.9996e+00, 1.3286e+00, 1.0000e+00, 3.2220e-01, "
                              "4.3028e-06])")
    assert repr(lt.tensor([1, 10, 100]).log10()) == "tensor([0., 1., 2.])"
    with pytest.raises(NotImplementedError, match="\"frac_cpu\" not implemented for 'Long'"):
        lt.tensor([1, 2]).frac()


def _fma32(a, b, c):
    """float32 a*b + c rounded once: the float64 product of two float32 values is exact, and
    one float64 sum rounded to float32 is the fused result (but in rare double-rounding
    cases, which these data do not hit)."""
    return (np.float64(a) * np.float64(b) + np.float64(c)).astype(np.float32)


def test_lerp_is_pytorchs_fused_multiply_add():
    """PyTorch's vectorised lerp: fma(w, end - start, start) below |w| = 0.5, else
    fma(w - 1, end - start, end), each rounded once."""
    rng = np.random.default_rng(5)
    a, b = (rng.standard_normal(300).astype(np.float32) * 7 for _ in range(2))
    w = (rng.random(300) * 1.4 - 0.2).astype(np.float32)
    d = b - a
    expect = np.where(np.abs(w) < 0.5, _fma32(w, d, a), _fma32(w - np.float32(1), d, b))
    assert np.array_equal(lt.lerp(lt.tensor(a), lt.tensor(b), lt.tensor(w)).numpy(), expect)
    for s in (0.3, 0.75):
        s32 = np.float32(s)
        expect = _fma32(s32, d, a) if s < 0.5 else _fma32(s32 - np.float32(1), d, b)
        got = lt.tensor(a)
        got.lerp_(lt.tensor(b), s)
        assert np.array_equal(got.numpy(), expect)
    with pytest.raises(RuntimeError, match=r"output with shape \[2\] doesn't match the broadcast "
                                           r"shape \[3, 2\]"):
        lt.zeros(2).lerp_(lt.ones(3, 2), 0.5)


def test_addcmul_and_addcdiv_round_as_pytorchs_kernels():
    """addcmul: fma(value*t1, t2, input), one rounding for the multiply-add; addcdiv:
    (value*t1)/t2 + input; integers in integer arithmetic (value truncated)."""
    rng = np.random.default_rng(6)
    x, t1, t2 = (rng.standard_normal((4, 50)).astype(np.float32) * 5 for _ in range(3))
    X, T1, T2 = lt.tensor(x), lt.tensor(t1), lt.tensor(t2)
    v = np.float32(0.3)
    assert np.array_equal(lt.addcmul(X, T1, T2, value=0.3).numpy(), _fma32(v * t1, t2, x))
    assert np.array_equal(X.addcmul(T1, T2).numpy(), _fma32(t1, t2, x))
    assert np.array_equal(X.addcdiv(T1, T2, value=0.3).numpy(), (v * t1) / t2 + x)
    X.addcmul_(T1, T2, value=-2)
    assert np.array_equal(X.numpy(), _fma32(np.float32(-2) * t1, t2, x))
    i = lt.arange(3)
    assert i.addcmul(lt.tensor([1, 1, 1]), lt.tensor([2, 2, 2]), value=3).tolist() == [6, 7, 8]
    assert i.addcmul(lt.tensor([1, 1, 1]), lt.tensor([2, 2, 2]), value=0.5).tolist() == [0, 1, 2]
    assert lt.addcmul(i, lt.ones(3), lt.ones(3), value=0.5).tolist() == [0.5, 1.5, 2.5]
    assert lt.addcmul(i.to(lt.int8), lt.tensor([100] * 3), lt.tensor([2] * 3)).tolist() == \
        [200, 201, 202]
    assert lt.addcdiv(i, lt.ones(3), lt.full((3,), 2)).tolist() == [0.5, 1.5, 2.5]


def test_addcmul_and_addcdiv_errors_in_pytorchs_words():
    i = lt.arange(3)
    with pytest.raises(RuntimeError, match="^Integer division with addcdiv is no longer "
                                           "supported, and in a future  release"):
        i.addcdiv(i, i)
    with pytest.raises(TypeError, match=r"addcmul\(\): argument 'tensor1' \(position 1\) must "
                                        r"be Tensor, not int"):
        i.addcmul(1, i)
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of "
                                           r"tensor b \(2\) at non-singleton dimension 0"):
        lt.addcmul(lt.zeros(3), lt.ones(2), lt.ones(3))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        i.addcmul_(lt.ones(3), lt.ones(3))
    with pytest.raises(NotImplementedError, match='"addcmul_cpu_out" not implemented for '
                                                  "'Bool'"):
        lt.tensor([True]).addcmul(lt.tensor([True]), lt.tensor([True]))


def test_lerp_follows_pytorchs_two_formulas():
    """w*(end - start) + start below |w| = 0.5, (w - 1)*(end - start) + end above: w = 1 gives
    end exactly (one formula for all w would not); the shape error names start first."""
    a = lt.tensor([0.1, 0.2, -3.7])
    b = lt.tensor([0.7, 1.3, 1e-3])
    assert lt.lerp(a, b, 1.0).tolist() == b.tolist() and lt.lerp(a, b, 0.0).tolist() == a.tolist()
    assert lt.lerp(a, b, lt.tensor([1.0, 0.0, 1.0])).tolist() == [b.tolist()[0], a.tolist()[1],
                                                                 b.tolist()[2]]
    h = lt.lerp(lt.tensor([1.0, 2.0]).half(), lt.tensor([3.0, 5.0]).half(), 0.3)
    assert h.dtype == lt.float16 and h.tolist() == [1.599609375, 2.900390625]   # PyTorch 2.13
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(0\) must match the size of "
                                           r"tensor b \(3\) at non-singleton dimension 0"):
        lt.lerp(lt.zeros(0, 4), lt.zeros(3, 4), 0.3)
    with pytest.raises(NotImplementedError, match='"lerp_kernel_scalar" not implemented'):
        lt.lerp(lt.tensor([1, 2]), lt.tensor([3, 5]), 0.3)


@pytest.mark.parametrize("call, message", [
    (lambda a: lt.lerp(a, a.double(), 0.5), "expected dtype float for `end` but got dtype double"),
    (lambda a: lt.lerp(a, a, a.double()), "expected dtype float for `weight` but got dtype double"),
    (lambda a: lt.lerp(a.half(), a, 0.5), "expected dtype c10::Half for `end` but got dtype float"),
    (lambda a: lt.lerp(a.int(), a, 0.5), "expected dtype int for `end` but got dtype float")])
def test_lerp_dtype_refusals(call, message):
    a = lt.tensor([0.5, 1.5])
    with pytest.raises(RuntimeError) as info:
        call(a)
    assert str(info.value) == message
    assert lt.lerp(a, a * 2, lt.tensor(0.25, dtype=lt.float64)).tolist() == [0.625, 1.875]


def test_pow_of_a_half_width_float_checks_its_scalar_exponent_fits_as_pytorch_does():
    h = lt.tensor([0.5, 2.0]).half()
    for exponent in (1e30, 65505.0, -70000):
        with pytest.raises(RuntimeError, match=r"^value cannot be converted to type c10::Half "
                                               r"without overflow$"):
            h ** exponent
    with pytest.raises(RuntimeError, match="c10::BFloat16 without overflow"):
        h.bfloat16() ** 1e39
    assert (h ** 65504.0).tolist() == [0.0, math.inf] and (h ** math.inf).tolist()[1] == math.inf
    assert (lt.tensor([0.5]) ** 1e39).tolist() == [0.0]          # float32 keeps the double


def test_more_pointwise_functions_against_numpy():
    rng = np.random.default_rng(8)
    a, b = (rng.standard_normal(64).astype(np.float32) * 3 for _ in range(2))
    A, B = lt.tensor(a), lt.tensor(b)
    close = dict(rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(lt.logaddexp(A, B).numpy(), np.logaddexp(a, b), **close)
    np.testing.assert_allclose(A.logaddexp2(B).numpy(), np.logaddexp2(a, b), **close)
    np.testing.assert_allclose(lt.xlogy(A, B.abs()).numpy(), a * np.log(np.abs(b)), **close)
    np.testing.assert_allclose(lt.sinc(A).numpy(), np.sinc(a), **close)
    np.testing.assert_allclose(lt.hypot(A, B).numpy(), np.hypot(a, b), rtol=1e-7)
    assert lt.deg2rad(A).numpy().tolist() == (a * np.float32(np.pi / 180)).tolist()
    assert lt.rad2deg(lt.arange(3)).dtype == lt.float32
    assert lt.sgn(A).tolist() == np.sign(a).tolist()


def test_more_pointwise_functions_special_values_as_pytorch():
    inf, nan = math.inf, math.nan
    r = lt.logaddexp(lt.tensor([inf, -inf, nan, 1.0]), lt.tensor([inf, -inf, 1.0, nan]))
    assert r.tolist()[:2] == [inf, -inf] and all(map(math.isnan, r.tolist()[2:]))
    r = lt.xlogy(lt.tensor([0.0, 0.0, 1.0, 2.0]), lt.tensor([0.0, nan, nan, -1.0])).tolist()
    assert r[0] == 0.0 and all(map(math.isnan, r[1:]))
    assert lt.xlogy(lt.arange(2), 3).tolist() == [0.0, float(np.float32(math.log(3)))]
    assert lt.sinc(lt.tensor([0.0, 1.0])).tolist()[0] == 1.0
    assert lt.heaviside(lt.tensor([-1.0, 0.0, 2.0, nan]), lt.tensor([7.0])).tolist() == \
        [0.0, 7.0, 1.0, 0.0]
    with pytest.raises(RuntimeError, match="^heaviside is not yet implemented for tensors with "
                                           "different dtypes.$"):
        lt.heaviside(lt.ones(2), lt.tensor(1))
    with pytest.raises(NotImplementedError, match='"logaddexp_cpu" not implemented for '
                                                  "'Long'"):
        lt.logaddexp(lt.arange(2), lt.arange(2))
    with pytest.raises(NotImplementedError, match='"hypot_cpu" not implemented for \'Long\''):
        lt.hypot(lt.arange(2), lt.arange(2))
    assert lt.hypot(lt.tensor([3.0]).half(), lt.tensor([4.0]).half()).tolist() == [5.0]


def test_half_round_with_decimals_scales_in_float32():
    """PyTorch scales, rounds and unscales a float16 value in float32, then converts once: in
    float16 arithmetic -0.75488 * 100 would round to -75.5 and then to -76."""
    h = lt.tensor([-0.7548828125, 0.005001068115234375]).half()
    assert h.round(decimals=2).tolist() == [-0.75, 0.01000213623046875]       # PyTorch 2.13
    assert h.bfloat16().round(decimals=2).tolist() == [-0.75, 0.010009765625]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_small_integer_powers_multiply_as_pytorchs_kernel_does(dtype):
    """PyTorch 2.13's CPU pow for a float32/float64 tensor and exponent 3, -2 or -1 gives
    exactly (x * x) * x, 1 / (x * x) and 1 / x (checked bit for bit against it on 100,000
    values; powf(x, 3) differs from (x * x) * x in the last bit for some)."""
    xn = (np.random.default_rng(5).standard_normal(5000) * 3).astype(dtype)
    x = lt.tensor(xn)
    one = dtype(1)
    np.testing.assert_array_equal((x ** 3).numpy(), (xn * xn) * xn)
    np.testing.assert_array_equal(x.pow(-2).numpy(), one / (xn * xn))
    np.testing.assert_array_equal((x ** -1).numpy(), one / xn)
    np.testing.assert_array_equal((x ** 2).numpy(), xn * xn)


def test_integer_pow_wraps_as_cpp_integer_pow_does():
    """PyTorch 2.13's values for exponents that overflow the integer type (repeated
    squaring, wrapping at the type's width)."""
    assert (lt.tensor([3, -3, 2], dtype=lt.int8) ** 100).tolist() == [-47, -47, 0]
    assert (lt.tensor([3, 2, -1], dtype=lt.int32) ** (2**31 - 1)).tolist() == \
        [-1431655765, 0, -1]
    assert (lt.tensor([3, 2]) ** 63).tolist() == [-3237885987332494933, -2**63]
    assert (lt.tensor([2, 3], dtype=lt.uint8) ** 9).tolist() == [0, 227]


def test_out_of_an_elementwise_op_refuses_what_pytorch_refuses():
    """Issue 16 item 4: PyTorch 2.13's checks on out= (nothing is written when they fail)."""
    long_out = lt.zeros(3, dtype=lt.int64)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        lt.add(lt.ones(3), 1.5, out=long_out)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        lt.sin(lt.ones(3), out=long_out)
    assert long_out.tolist() == [0, 0, 0]
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor "
                                           "refers to a single memory location"):
        lt.add(lt.ones(3), 1, out=lt.zeros(1).expand(3))
    assert lt.add(lt.ones(3, dtype=lt.int64), 1, out=lt.zeros(3)).tolist() == [2., 2., 2.]
    assert lt.eq(lt.ones(3), 1, out=long_out).tolist() == [1, 1, 1]     # bool into long: fine
