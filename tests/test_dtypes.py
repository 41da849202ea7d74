"""Tests for lazytensor/dtypes.py and the promotion rules ops apply (lazytensor/ops.py).

Expected dtypes are PyTorch's: the promotion table is ``torch.promote_types`` and the
scalar rows ``torch.result_type(tensor, scalar)`` as printed by torch 2.13; the rules in
words are PyTorch's "type promotion" documentation: a Python number or a 0-dim tensor never
widens a tensor of its own category (int16 + 5 -> int16), but raises the category
(int16 + 2.5 -> float32 = the default dtype); int / int is a float; comparisons give bool.
Expected values are NumPy's, computed in the result dtype. Dtype checks build graphs only;
value checks realise several results in one program.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lazytensor as lt
from lazytensor.storage import realize_all

NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
         "float64")
SHORT = {"b": "bool", "u8": "uint8", "i8": "int8", "i16": "int16", "i32": "int32",
         "i64": "int64", "f16": "float16", "bf16": "bfloat16", "f32": "float32",
         "f64": "float64"}

# torch.promote_types(row, column), PyTorch 2.13.
PROMOTE = """
      b    u8    i8   i16   i32   i64   f16  bf16   f32   f64
b     b    u8    i8   i16   i32   i64   f16  bf16   f32   f64
u8    u8   u8    i16  i16   i32   i64   f16  bf16   f32   f64
i8    i8   i16   i8   i16   i32   i64   f16  bf16   f32   f64
i16   i16  i16   i16  i16   i32   i64   f16  bf16   f32   f64
i32   i32  i32   i32  i32   i32   i64   f16  bf16   f32   f64
i64   i64  i64   i64  i64   i64   i64   f16  bf16   f32   f64
f16   f16  f16   f16  f16   f16   f16   f16  f32    f32   f64
bf16  bf16 bf16  bf16 bf16  bf16  bf16  f32  bf16   f32   f64
f32   f32  f32   f32  f32   f32   f32   f32  f32    f32   f64
f64   f64  f64   f64  f64   f64   f64   f64  f64    f64   f64
"""
# torch.result_type(1-D tensor of the column's dtype, other), PyTorch 2.13.
WITH_OTHER = {
    "True": "b u8 i8 i16 i32 i64 f16 bf16 f32 f64",
    "3": "i64 u8 i8 i16 i32 i64 f16 bf16 f32 f64",
    "2.5": "f32 f32 f32 f32 f32 f32 f16 bf16 f32 f64",
    "0-dim float64": "f64 f64 f64 f64 f64 f64 f16 bf16 f32 f64",
    "0-dim int64": "i64 u8 i8 i16 i32 i64 f16 bf16 f32 f64",
    "0-dim float16": "f16 f16 f16 f16 f16 f16 f16 bf16 f32 f64",
}
OTHER = {"True": True, "3": 3, "2.5": 2.5, "0-dim float64": ("float64", 1.0),
         "0-dim int64": ("int64", 1), "0-dim float16": ("float16", 1.0)}


def dt(name):
    return getattr(lt, SHORT.get(name, name))


def promote_table():
    rows = [line.split() for line in PROMOTE.strip().splitlines()]
    cols = rows[0]
    return {(r[0], c): v for r in rows[1:] for c, v in zip(cols, r[1:])}


def ones(name, shape=(2,)):
    return lt.ones(shape, dtype=dt(name))


def other_operand(key):
    v = OTHER[key]
    return lt.full((), v[1], dtype=dt(v[0])) if isinstance(v, tuple) else v


def values(*tensors):
    """NumPy arrays of the tensors' values, computed in one realisation."""
    realize_all([t._storage for t in tensors])
    return [t._values() for t in tensors]       # (np.asarray refuses bfloat16, as PyTorch's)


# -- the promotion table and its scalar rules ------------------------------------------------
@pytest.mark.parametrize("a,b", [(a, b) for a in SHORT for b in SHORT])
def test_promote_types_is_pytorchs_table(a, b):
    assert lt.promote_types(dt(a), dt(b)) is dt(promote_table()[a, b])


@pytest.mark.parametrize("a,b", [(a, b) for a in SHORT for b in SHORT])
def test_binary_op_of_two_tensors_has_the_promoted_dtype(a, b):
    expect = dt(promote_table()[a, b])
    x, y = ones(a), ones(b, (3, 1))
    assert (x + y).dtype is expect and (x * y).dtype is expect
    assert lt.result_type(x, y) is expect
    assert (x == y).dtype is lt.bool and (x < y).dtype is lt.bool
    assert lt.where(x > 0, x, y).dtype is expect


@pytest.mark.parametrize("key", list(WITH_OTHER))
def test_python_scalars_and_zero_dim_tensors_do_not_widen_a_category(key):
    expected = [dt(s) for s in WITH_OTHER[key].split()]
    for name, expect in zip(NAMES, expected):
        x, other = ones(name), other_operand(key)
        assert lt.result_type(x, other) is expect, (name, key)
        assert (x * other).dtype is expect, (name, key)
        assert (other * x).dtype is expect, (name, key)


def test_promotion_examples_from_the_brief():
    i16, f16 = ones("i16"), ones("f16")
    assert (i16 + 5).dtype is lt.int16
    assert (i16 + 2.5).dtype is lt.float32
    assert (f16 + 2.5).dtype is lt.float16
    assert (ones("i64") / ones("i64")).dtype is lt.float32
    assert (ones("i32") / 2).dtype is lt.float32
    assert (ones("u8") + ones("i8")).dtype is lt.int16
    assert (ones("b") + ones("b")).dtype is lt.bool
    assert (ones("b") + 1).dtype is lt.int64
    assert (ones("f16") < 1).dtype is lt.bool


def test_default_dtype_decides_what_a_python_float_becomes():
    assert lt.get_default_dtype() is lt.float32
    lt.set_default_dtype(lt.float64)
    try:
        assert (ones("i32") + 2.5).dtype is lt.float64
        assert (ones("i32") / ones("i32")).dtype is lt.float64
        assert (ones("f32") + 2.5).dtype is lt.float32
        assert lt.tensor([1.5]).dtype is lt.float64
    finally:
        lt.set_default_dtype(lt.float32)
    with pytest.raises(TypeError, match="only floating-point types are supported as the "
                                        "default type"):
        lt.set_default_dtype(lt.int32)


# -- result dtypes of each op kind (no realisation needed) ------------------------------------
BINARY_KINDS = {
    "add": lambda x, y: x + y, "div": lambda x, y: x / y, "eq": lambda x, y: x == y,
    "and": lambda x, y: lt.logical_and(x, y), "max": lambda x, y: lt.maximum(x, y),
    "pow": lambda x, y: x ** y, "atan2": lambda x, y: lt.atan2(x, y),
}


def expected_kind_dtype(kind, a, b):
    common = dt(promote_table()[a, b])
    if kind in ("eq", "and"):
        return lt.bool
    if kind in ("div", "atan2") and not common.is_floating_point:
        return lt.float32
    return common


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(BINARY_KINDS)), st.sampled_from(sorted(SHORT)),
       st.sampled_from(sorted(SHORT)))
def test_result_dtype_of_each_op_kind(kind, a, b):
    x, y = ones(a, (2, 1)), ones(b, (3,))
    if kind == "pow" and promote_table()[a, b] == "b":
        with pytest.raises(NotImplementedError, match="\"pow\" not implemented for 'Bool'"):
            BINARY_KINDS[kind](x, y)
        return
    out = BINARY_KINDS[kind](x, y)
    assert out.dtype is expected_kind_dtype(kind, a, b)
    assert out.shape == (2, 3)


@pytest.mark.parametrize("name", NAMES)
def test_result_dtype_of_unary_ops(name):
    x = ones(name)
    float_result = x.dtype if x.dtype.is_floating_point else lt.float32
    for op in ("exp", "sqrt", "sin", "sigmoid", "reciprocal", "rsqrt", "log1p"):
        assert getattr(x, op)().dtype is float_result, op
    assert x.logical_not().dtype is lt.bool
    assert x.square().dtype is (lt.int64 if name == "bool" else x.dtype)
    assert x.sign().dtype is x.dtype
    if name != "bool":
        for op in ("abs", "neg", "floor", "ceil", "round", "trunc", "relu"):
            assert getattr(x, op)().dtype is x.dtype, op


@pytest.mark.parametrize("name", NAMES)
def test_result_dtype_of_reductions(name):
    x = ones(name, (2, 3))
    integral = not x.dtype.is_floating_point
    assert x.sum().dtype is (lt.int64 if integral else x.dtype)
    assert x.prod(1).dtype is (lt.int64 if integral else x.dtype)
    assert x.amax(0).dtype is x.dtype
    assert x.all().dtype is (lt.uint8 if name == "uint8" else lt.bool)
    assert x.sum(dtype=lt.float64).dtype is lt.float64
    if name != "bool":
        assert x.argmax().dtype is lt.int64
        assert x.max(1).indices.dtype is lt.int64


# -- casts ---------------------------------------------------------------------------------------
CAST_SOURCE = np.array([-300.7, -129.5, -2.5, -1.0, -0.5, 0.0, 0.5, 0.99, 1.5, 2.5, 127.9, 255.5,
                        70000.25], dtype=np.float32)


def test_float_to_every_dtype_rounds_like_numpy_and_truncates_toward_zero():
    x = lt.tensor(CAST_SOURCE)
    small = lt.tensor(CAST_SOURCE[2:11])           # inside every integer type's range
    casts = [x.to(lt.float64), x.to(lt.float16), x.to(lt.int32), x.to(lt.int64),
             x.to(lt.bool), small.to(lt.int8), small.to(lt.int16), small.abs().to(lt.uint8)]
    got = values(*casts)
    with np.errstate(over="ignore"):
        expect = [CAST_SOURCE.astype(np.float64), CAST_SOURCE.astype(np.float16),
                  np.trunc(CAST_SOURCE).astype(np.int32),
                  np.trunc(CAST_SOURCE).astype(np.int64), CAST_SOURCE != 0,
                  np.trunc(CAST_SOURCE[2:11]).astype(np.int8),
                  np.trunc(CAST_SOURCE[2:11]).astype(np.int16),
                  np.trunc(np.abs(CAST_SOURCE[2:11])).astype(np.uint8)]
    for c, g, e in zip(casts, got, expect):
        assert c.dtype.name == e.dtype.name or (c.dtype is lt.bool and e.dtype == np.bool_)
        np.testing.assert_array_equal(g, e)


def test_cast_methods_name_pytorchs_dtypes():
    x = lt.tensor([[1.75, -2.25], [0.0, 3.5]])
    methods = {"float": lt.float32, "double": lt.float64, "half": lt.float16, "int": lt.int32,
               "long": lt.int64, "bool": lt.bool, "short": lt.int16, "char": lt.int8,
               "byte": lt.uint8, "bfloat16": lt.bfloat16}
    outs = {m: getattr(x, m)() for m in methods}
    for m, d in methods.items():
        assert outs[m].dtype is d and outs[m].shape == (2, 2)
    got = dict(zip(outs, values(*outs.values())))
    np.testing.assert_array_equal(got["long"], [[1, -2], [0, 3]])
    np.testing.assert_array_equal(got["bool"], [[True, True], [False, True]])
    np.testing.assert_array_equal(got["half"], np.float16([[1.75, -2.25], [0.0, 3.5]]))
    np.testing.assert_array_equal(got["bfloat16"], [[1.75, -2.25], [0.0, 3.5]])


def test_to_accepts_a_dtype_a_device_or_a_tensor_and_returns_self_when_nothing_changes():
    x = lt.tensor([1.5, -2.5])
    assert x.to(lt.float32) is x and x.float() is x and x.to("cpu") is x
    assert x.to(lt.device("cpu"), lt.float32) is x
    assert x.to(lt.float32, copy=True) is not x
    assert x.to(dtype=lt.int16).dtype is lt.int16
    assert x.to(lt.tensor([1])).dtype is lt.int64
    assert x.to("cpu", lt.float64).dtype is lt.float64
    assert x.to(lt.int32).tolist() == [1, -2]


def test_bool_casts_and_int_to_float_casts():
    i = lt.tensor([0, 3, -2])
    b = lt.tensor([True, False, True])
    outs = values(i.bool(), b.float(), b.long(), i.double(), (b + b), i.to(lt.uint8))
    np.testing.assert_array_equal(outs[0], [False, True, True])
    np.testing.assert_array_equal(outs[1], np.float32([1, 0, 1]))
    np.testing.assert_array_equal(outs[2], [1, 0, 1])
    np.testing.assert_array_equal(outs[3], [0.0, 3.0, -2.0])
    np.testing.assert_array_equal(outs[4], [True, False, True])      # bool + bool stays bool
    np.testing.assert_array_equal(outs[5], np.array([0, 3, -2]).astype(np.uint8))


# -- values computed in the promoted dtype ---------------------------------------------------
def test_integer_arithmetic_wraps_in_the_result_dtype():
    i16 = lt.tensor([30000, -30000, 7], dtype=lt.int16)
    u8 = lt.tensor([250, 3, 0], dtype=lt.uint8)
    i8 = lt.tensor([100, -128, 5], dtype=lt.int8)
    outs = [i16 + 5000, i16 + 100000, u8 + 10, u8 - 5, i8 * 2, u8 + i8, -i8, i16 * i16]
    assert [o.dtype for o in outs] == [lt.int16, lt.int16, lt.uint8, lt.uint8, lt.int8,
                                       lt.int16, lt.int8, lt.int16]
    n16, nu8, ni8 = np.int16([30000, -30000, 7]), np.uint8([250, 3, 0]), np.int8([100, -128, 5])
    expect = [n16 + np.int16(5000), n16 + np.int16(100000 - 2**17), nu8 + np.uint8(10),
              nu8 - np.uint8(5), ni8 * np.int8(2), nu8.astype(np.int16) + ni8, -ni8,
              n16 * n16]
    with np.errstate(over="ignore"):
        for g, e in zip(values(*outs), expect):
            np.testing.assert_array_equal(g, e)


def test_mixed_category_results_are_computed_in_the_float_type():
    i = lt.tensor([7, -7, 1])
    h = lt.tensor([1.5, 2.0, 3.0], dtype=lt.float16)
    outs = values(i / 2, i * 0.5, h + 2.5, h * i, i // 2.0, i.short() + 2.5)
    np.testing.assert_array_equal(outs[0], np.float32([3.5, -3.5, 0.5]))
    np.testing.assert_array_equal(outs[1], np.float32([3.5, -3.5, 0.5]))
    assert outs[2].dtype == np.float16
    np.testing.assert_array_equal(outs[2], np.float16([4.0, 4.5, 5.5]))
    np.testing.assert_array_equal(outs[3], np.float16([10.5, -14.0, 3.0]))
    np.testing.assert_array_equal(outs[4], np.float32([3.0, -4.0, 0.0]))
    np.testing.assert_array_equal(outs[5], np.float32([9.5, -4.5, 3.5]))


def test_float16_and_bfloat16_round_every_step_to_their_precision():
    x = lt.tensor([1.0, 1000.0, 3.0e4], dtype=lt.float16)
    y = lt.tensor([1.0, 256.0, 3.0e38], dtype=lt.bfloat16)
    h, b = values((x + 0.0001) * 3, (y + 1) * 1)
    with np.errstate(over="ignore"):                   # 9e4 is inf in float16
        expect = (np.float16([1.0, 1000.0, 3.0e4]) + np.float16(0.0001)) * np.float16(3)
    np.testing.assert_array_equal(h, expect)
    # bfloat16 keeps 8 bits of mantissa: 256 + 1 rounds back to 256 (ties to even)
    assert b.tolist()[:2] == [2.0, 256.0]


VALUE_PAIRS = [("u8", "i8"), ("i16", "i64"), ("f16", "i32"), ("f32", "f64"), ("b", "u8"),
               ("i32", "bf16"), ("u8", "f16")]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(VALUE_PAIRS), st.integers(0, 2**32 - 1))
def test_add_and_mul_values_equal_numpy_in_the_promoted_dtype(pair, seed):
    a, b = pair
    rng = np.random.default_rng(seed)
    d = promote_table()[a, b]
    xa = rng.integers(0, 10, (2, 3)).astype(dt(a).to_numpy())
    ya = rng.integers(0, 10, (3,)).astype(dt(b).to_numpy())
    x, y = lt.tensor(xa), lt.tensor(ya)
    s, p = values(x + y, x * y)
    res = dt(d).to_numpy()
    np.testing.assert_array_equal(s, xa.astype(res) + ya.astype(res))
    np.testing.assert_array_equal(p, xa.astype(res) * ya.astype(res))


# -- in-place writes keep the destination's dtype -------------------------------------------
def test_inplace_result_that_cannot_be_cast_raises_and_leaves_the_tensor_as_it_was():
    i = lt.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        i += 0.5
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        i.div_(2)
    b = lt.tensor([True, False])
    with pytest.raises(RuntimeError, match="result type Long can't be cast to the desired "
                                           "output type Bool"):
        b.add_(1)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Int"):
        i.int().sqrt_()
    assert i.tolist() == [1, 2] and b.tolist() == [True, False]
    f = lt.tensor([1.5, 2.5])
    f += i                                   # a wider category may be written into
    i *= lt.tensor(3, dtype=lt.int8)
    assert f.tolist() == [2.5, 4.5] and i.tolist() == [3, 6] and i.dtype is lt.int64


def test_dtype_objects():
    assert lt.float is lt.float32 and lt.double is lt.float64 and lt.half is lt.float16
    assert lt.long is lt.int64 and lt.int is lt.int32 and lt.short is lt.int16
    assert repr(lt.float32) == "lazytensor.float32"
    assert lt.float64.is_floating_point and not lt.int8.is_floating_point
    assert [d.itemsize for d in map(dt, NAMES)] == [1, 1, 1, 2, 4, 8, 2, 2, 4, 8]
    assert lt.ones(2, dtype=lt.int16).element_size() == 2


# PyTorch 2.13's messages: a dtype argument takes torch.dtype (or float/int/bool), never a
# string or a NumPy dtype
@pytest.mark.parametrize("call, message", [
    (lambda: lt.zeros(2, dtype="float32"),
     "zeros(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: lt.tensor([1], dtype="float32"),
     "tensor(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: lt.full((2,), 1.0, dtype="float32"),
     "full(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: lt.empty(2, dtype="float32"),
     "empty(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: lt.zeros(2, dtype=np.float32),
     "zeros(): argument 'dtype' must be torch.dtype, not type"),
    (lambda: lt.zeros(2, dtype=3), "zeros(): argument 'dtype' must be torch.dtype, not int"),
    (lambda: lt.ones(2).sum(dtype="float64"), "argument 'dtype' must be torch.dtype"),
    (lambda: lt.arange(3, dtype="int64"), "argument 'dtype' must be torch.dtype"),
])
def test_a_dtype_given_as_a_string_or_numpy_dtype_is_refused(call, message):
    with pytest.raises(TypeError) as e:
        call()
    assert message in str(e.value)


def test_python_types_stand_for_dtypes_as_in_pytorch():
    assert lt.ones(2, dtype=int).dtype is lt.int64
    assert lt.ones(2, dtype=float).dtype is lt.float64
    assert lt.ones(2, dtype=bool).dtype is lt.bool


@pytest.mark.parametrize("call, message", [
    (lambda: lt.ones(2).reshape(2.0),
     "reshape(): argument 'shape' (position 1) must be tuple of ints, not float"),
    (lambda: lt.ones(2).reshape(1, 2.0),
     "reshape(): argument 'shape' failed to unpack the object at pos 2 with error "
     '"type must be tuple of ints,but got float"'),
    (lambda: lt.ones(2).view(1, 2.0),
     "view(): argument 'size' failed to unpack the object at pos 2 with error "
     '"type must be tuple of ints,but got float"'),
    (lambda: lt.ones(2).view(2.0),
     "view() received an invalid combination of arguments - got (float)"),
    (lambda: lt.ones(2).view("float32"),
     "view() received an invalid combination of arguments - got (str)"),
])
def test_a_shape_that_is_not_ints_is_refused_as_pytorch_refuses_it(call, message):
    with pytest.raises(TypeError) as e:
        call()
    assert message in str(e.value)
