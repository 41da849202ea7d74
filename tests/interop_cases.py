"""The interop calls tests/test_interop.py makes with lazytensor and
tests/data/make_interop_reference.py made once with PyTorch 2.13, for any module T with
PyTorch's API: NumPy's protocols (np.asarray, ufuncs, NumPy scalars in operators), DLPack,
testing.assert_close's messages, Generator(device=...) and set_default_device's errors.

Each case is a function of (T, np); `outcome` describes what it gave (a tensor, an array,
another value, or an exception) in terms both libraries share, so that the two runs can be
compared. Names that differ by design (`torch.float32` against `lazytensor.float32`) are
written as `torch.` in both.
"""
import warnings


def _name(text):
    return str(text).replace("lazytensor.", "torch.")


def outcome(case, T, np):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = case(T, np)
    except Exception as error:                    # noqa: BLE001 (the outcome is the error)
        return {"error": type(error).__name__, "message": _name(error)}
    return describe(value, T, np)


def describe(value, T, np):
    if isinstance(value, T.Tensor):
        return {"type": "Tensor", "dtype": _name(value.dtype), "shape": list(value.shape),
                "stride": list(value.stride()), "requires_grad": value.requires_grad,
                "values": value.detach().float().tolist() if value.dtype == T.bfloat16
                else value.tolist()}
    if isinstance(value, np.ndarray):
        return {"type": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape),
                "strides": list(value.strides), "values": value.tolist()}
    if isinstance(value, tuple):
        return {"type": "tuple", "items": [describe(v, T, np) for v in value]}
    if type(value).__name__ == "PyCapsule":
        return {"type": "PyCapsule", "repr": repr(value).split(" at ")[0]}
    return {"type": type(value).__name__, "repr": _name(repr(value))}


def _f32(T):
    return T.arange(6, dtype=T.float32).reshape(2, 3)


def _grad(T):
    return T.ones(2, requires_grad=True)


def _bf16(T):
    return T.tensor([1.5, -2.25], dtype=T.bfloat16)


NUMPY = {
    "f32 scalar * tensor": lambda T, np: np.float32(0.5) * _f32(T),
    "tensor * f64 scalar": lambda T, np: _f32(T) * np.float64(2),
    "f64 scalar * tensor": lambda T, np: np.float64(2) * _f32(T),
    "i64 scalar * float tensor": lambda T, np: np.int64(2) * _f32(T),
    "i64 scalar * int tensor": lambda T, np: np.int64(2) * T.arange(3),
    "f32 scalar * uint8 tensor": lambda T, np: np.float32(0.5) * T.ones(2, dtype=T.uint8),
    "f32 scalar - tensor": lambda T, np: np.float32(0.5) - _f32(T),
    "f32 scalar / int tensor": lambda T, np: np.float32(1) / T.arange(3),
    "f32 scalar ** int tensor": lambda T, np: np.float32(2) ** T.arange(3),
    "f32 scalar < tensor": lambda T, np: np.float32(0.5) < _f32(T),
    "f32 scalar * requires_grad": lambda T, np: np.float32(0.5) * _grad(T),
    "f32 scalar * bfloat16": lambda T, np: np.float32(0.5) * _bf16(T),
    "np.add(t, 1)": lambda T, np: np.add(_f32(T), 1),
    "np.add(1, t)": lambda T, np: np.add(1, _f32(T)),
    "np.sin(t)": lambda T, np: np.sin(_f32(T)),
    "np.sin(int t)": lambda T, np: np.sin(T.arange(3)),
    "np.sqrt(t.T)": lambda T, np: np.sqrt(_f32(T).t()),
    "np.add(t, array)": lambda T, np: np.add(_f32(T), np.ones(3)),
    "np.maximum(t, 2)": lambda T, np: np.maximum(_f32(T), 2),
    "np.equal(t, 1)": lambda T, np: np.equal(_f32(T), 1),
    "np.isnan(t)": lambda T, np: np.isnan(_f32(T)),
    "np.argmax(t)": lambda T, np: np.argmax(_f32(T)),
    "np.divmod(t, 2)": lambda T, np: np.divmod(_f32(T), 2),
    "np.add(t, 1, out=)": lambda T, np: np.add(_f32(T), 1, out=np.empty((2, 3), np.float32)),
    "np.add(0-d, 1)": lambda T, np: np.add(T.tensor(1.5), 1),
    "np.add(requires_grad)": lambda T, np: np.add(_grad(T), 1),
    "np.add(bfloat16)": lambda T, np: np.add(_bf16(T), 1),
    "np.sum(t)": lambda T, np: np.sum(_f32(T)),
    "np.asarray(t)": lambda T, np: np.asarray(_f32(T)),
    "np.asarray(t, float64)": lambda T, np: np.asarray(_f32(T), dtype=np.float64),
    "np.asarray(t.T)": lambda T, np: np.asarray(_f32(T).t()),
    "np.asarray(requires_grad)": lambda T, np: np.asarray(_grad(T)),
    "np.asarray(requires_grad, float64)": lambda T, np: np.asarray(_grad(T), dtype=np.float64),
    "np.array(requires_grad)": lambda T, np: np.array(_grad(T)),
    "np.asarray(bfloat16)": lambda T, np: np.asarray(_bf16(T)),
    "np.asarray(bfloat16, float32)": lambda T, np: np.asarray(_bf16(T), dtype=np.float32),
    "np.asarray(meta)": lambda T, np: np.asarray(T.ones(2, device="meta")),
}


def _x(np):
    return np.arange(6.0).reshape(2, 3)


DLPACK = {
    "__dlpack_device__": lambda T, np: _f32(T).__dlpack_device__(),
    "__dlpack__()": lambda T, np: _f32(T).__dlpack__(),
    "__dlpack__(stream=1)": lambda T, np: _f32(T).__dlpack__(stream=1),
    "__dlpack__(stream=0)": lambda T, np: _f32(T).__dlpack__(stream=0),
    "__dlpack__(stream='x')": lambda T, np: _f32(T).__dlpack__(stream="x"),
    "__dlpack__(stream=None)": lambda T, np: _f32(T).__dlpack__(stream=None),
    "__dlpack__(max_version=(1, 0))": lambda T, np: _f32(T).__dlpack__(max_version=(1, 0)),
    "__dlpack__(max_version=(0, 8))": lambda T, np: _f32(T).__dlpack__(max_version=(0, 8)),
    "__dlpack__(copy=True)": lambda T, np: _f32(T).__dlpack__(copy=True),
    "__dlpack__(dl_device=cpu)": lambda T, np: _f32(T).__dlpack__(dl_device=(1, 0)),
    "__dlpack__ requires_grad": lambda T, np: _grad(T).__dlpack__(),
    "np.from_dlpack(requires_grad)": lambda T, np: np.from_dlpack(_grad(T)),
    "from_dlpack(requires_grad)": lambda T, np: T.from_dlpack(_grad(T)),
    "__dlpack__ bfloat16": lambda T, np: _bf16(T).__dlpack__(),
    "np.from_dlpack(bfloat16)": lambda T, np: np.from_dlpack(_bf16(T)),
    "from_dlpack(bfloat16 capsule)": lambda T, np: T.from_dlpack(_bf16(T).__dlpack__()),
    "from_dlpack(bfloat16 tensor)": lambda T, np: T.from_dlpack(_bf16(T)),
    "np.from_dlpack(bool)": lambda T, np: np.from_dlpack(T.tensor([True, False])),
    "np.from_dlpack(int8)": lambda T, np: np.from_dlpack(T.tensor([1, -2], dtype=T.int8)),
    "np.from_dlpack(float16)": lambda T, np: np.from_dlpack(T.tensor([1, -2],
                                                                      dtype=T.float16)),
    "__dlpack__ meta": lambda T, np: T.ones(2, device="meta").__dlpack__(),
    "__dlpack_device__ meta": lambda T, np: T.ones(2, device="meta").__dlpack_device__(),
    "from_dlpack(meta)": lambda T, np: T.from_dlpack(T.ones(2, device="meta")),
    "np.from_dlpack(t.T)": lambda T, np: np.from_dlpack(_f32(T).t()),
    "np.from_dlpack(t[:, 1:])": lambda T, np: np.from_dlpack(_f32(T)[:, 1:]),
    "np.from_dlpack(expanded)": lambda T, np: np.from_dlpack(T.ones(2, 3).expand(4, 2, 3)),
    "np.from_dlpack(empty)": lambda T, np: np.from_dlpack(T.ones(0, 3)),
    "np.from_dlpack(0-d)": lambda T, np: np.from_dlpack(T.tensor(3.5)),
    "from_dlpack(array)": lambda T, np: T.from_dlpack(_x(np)),
    "from_dlpack(array.T)": lambda T, np: T.from_dlpack(_x(np).T),
    "from_dlpack(array[:, ::2])": lambda T, np: T.from_dlpack(_x(np)[:, ::2]),
    "from_dlpack(broadcast)": lambda T, np: T.from_dlpack(np.broadcast_to(np.arange(3.0),
                                                                          (2, 3))),
    "from_dlpack(big-endian)": lambda T, np: T.from_dlpack(np.ones(3, dtype=">f4")),
    "from_dlpack(bool array)": lambda T, np: T.from_dlpack(np.array([True, False])),
    "from_dlpack(uint8 array)": lambda T, np: T.from_dlpack(np.array([1, 255], np.uint8)),
    "from_dlpack(0-d array)": lambda T, np: T.from_dlpack(np.ones(())),
    "from_dlpack(empty array)": lambda T, np: T.from_dlpack(np.ones((0, 3))),
    "from_dlpack(list)": lambda T, np: T.from_dlpack([1, 2]),
    "from_dlpack(5)": lambda T, np: T.from_dlpack(5),
    "from_dlpack(numpy scalar)": lambda T, np: T.from_dlpack(np.float32(3)),
    "from_dlpack(t.T)": lambda T, np: T.from_dlpack(_f32(T).t()),
    "from_dlpack(versioned capsule)": lambda T, np: T.from_dlpack(
        _f32(T).__dlpack__(max_version=(1, 0))),
    "from_dlpack(capsule twice)": lambda T, np: _twice(T),
}


def _twice(T):
    capsule = _f32(T).__dlpack__()
    T.from_dlpack(capsule)
    return T.from_dlpack(capsule)


def _assert_close(pair, **kwargs):
    return lambda T, np: T.testing.assert_close(*pair(T, np), **kwargs)


def _t(*values, **kwargs):
    return lambda T, np: T.tensor(*values, **{k: getattr(T, v) if isinstance(v, str) else v
                                               for k, v in kwargs.items()})


def _pair(a, b):
    return lambda T, np: (a(T, np), b(T, np))


NAN, INF = float("nan"), float("inf")
ASSERT_CLOSE = {
    "one element": _assert_close(_pair(_t([1., 2., 3.]), _t([1., 2.5, 3.]))),
    "two dims": _assert_close(_pair(_t([[1., 2.], [3., 4.]]), _t([[1., 2.], [3., 4.0001]]))),
    "0-d": _assert_close(_pair(_t(1.), _t(2.))),
    "0-d expected zero": _assert_close(_pair(_t(1.), _t(0.))),
    "0-d int": _assert_close(_pair(_t(1), _t(0))),
    "0-d bool": _assert_close(_pair(_t(True), _t(False))),
    "0-d float16": _assert_close(_pair(_t(1., dtype="float16"), _t(1.5, dtype="float16"))),
    "int": _assert_close(_pair(_t([1, 2, 3]), _t([1, 2, 4]))),
    "int8": _assert_close(_pair(_t([1, 2], dtype="int8"), _t([1, -2], dtype="int8"))),
    "uint8": _assert_close(_pair(_t([1, 2], dtype="uint8"), _t([1, 200], dtype="uint8"))),
    "int32 large": _assert_close(_pair(_t([70000], dtype="int32"),
                                       _t([-70000], dtype="int32"))),
    "bool": _assert_close(_pair(_t([True, False]), _t([True, True]))),
    "float16": _assert_close(_pair(_t([1., 2.], dtype="float16"),
                                   _t([1., 2.01], dtype="float16"))),
    "bfloat16": _assert_close(_pair(_t([1., 2.], dtype="bfloat16"),
                                    _t([1., 2.1], dtype="bfloat16"))),
    "float64": _assert_close(_pair(_t([1., 2.], dtype="float64"),
                                   _t([1., 2.0001], dtype="float64"))),
    "dtype": _assert_close(_pair(_t([1., 2.]), _t([1, 2]))),
    "dtype unchecked": _assert_close(_pair(_t([1., 2.]), _t([1, 2])), check_dtype=False),
    "dtype unchecked differs": _assert_close(_pair(_t([1, 2]), _t([1., 2.5])),
                                             check_dtype=False),
    "float64 against float32 unchecked": _assert_close(
        _pair(_t([1., 2.], dtype="float64"), _t([1., 3.])), check_dtype=False),
    "float16 against float32 unchecked": _assert_close(
        _pair(_t([1., 2.], dtype="float16"), _t([1., 3.])), check_dtype=False),
    "shape": _assert_close(_pair(_t([1., 2.]), _t([1., 2., 3.]))),
    "shape 0-d": _assert_close(_pair(_t(1.), _t([1.]))),
    "nan": _assert_close(_pair(_t([1., NAN]), _t([1., NAN]))),
    "nan equal": _assert_close(_pair(_t([1., NAN]), _t([1., NAN])), equal_nan=True),
    "nan against number": _assert_close(_pair(_t([NAN]), _t([1.]))),
    "inf": _assert_close(_pair(_t([1., INF]), _t([1., INF]))),
    "inf against number": _assert_close(_pair(_t([INF]), _t([1.]))),
    "inf against -inf": _assert_close(_pair(_t([INF]), _t([-INF]))),
    "within atol": _assert_close(_pair(_t([0., 1.]), _t([1e-9, 1.]))),
    "rtol and atol": _assert_close(_pair(_t([1., 2.]), _t([1.1, 2.])), rtol=0.2, atol=0),
    "rtol alone": _assert_close(_pair(_t([1., 2.]), _t([1.1, 2.])), rtol=0.2),
    "atol alone": _assert_close(_pair(_t([1., 2.]), _t([1., 2.])), atol=1),
    "zero tolerances": _assert_close(_pair(_t([1., 2.]), _t([1.1, 2.])), rtol=0, atol=0),
    "given tolerances": _assert_close(_pair(_t([1., 2.]), _t([1., 3.])), rtol=1e-3,
                                      atol=1e-4),
    "int with tolerance": _assert_close(_pair(_t([1, 2]), _t([1, 3])), rtol=0.1, atol=0),
    "first of two largest": _assert_close(_pair(_t([3., 1.]), _t([2., 2.])), rtol=0.0,
                                          atol=0.5),
    "two mismatches": _assert_close(_pair(_t([[1., 2.], [3., 4.]]),
                                          _t([[1., 2.], [3.5, 4.6]]))),
    "three dims": _assert_close(_pair(_t([[[1.]]]), _t([[[2.]]]))),
    "expected zero": _assert_close(_pair(_t([0., 1.]), _t([0., 0.]))),
    "actual zero": _assert_close(_pair(_t([0., 0.]), _t([0., 1.]))),
    "large values": _assert_close(_pair(_t([1e10, 2.]), _t([1.00001e10, 2.]))),
    "hundred elements": _assert_close(_pair(lambda T, np: T.arange(100, dtype=T.float32),
                                            _t(list(range(99)) + [100.]))),
    "empty": _assert_close(_pair(_t([]), _t([]))),
    "requires_grad": _assert_close(_pair(_t([1., 2.], requires_grad=True), _t([1., 3.]))),
    "stride": _assert_close(_pair(lambda T, np: T.tensor([[1., 2.], [3., 4.]]).t(),
                                  _t([[1., 3.], [2., 4.]])), check_stride=True),
    "stride of expanded": _assert_close(
        _pair(lambda T, np: T.tensor([1., 2.]).expand(2, 2), _t([[1., 2.], [1., 2.]])),
        check_stride=True),
    "device": _assert_close(_pair(_t([1., 2.]), lambda T, np: T.ones(2).to("meta"))),
    "device unchecked": _assert_close(_pair(_t([1., 2.]), lambda T, np: T.ones(2).to("meta")),
                                      check_device=False),
    "every option": _assert_close(_pair(_t([1., 2.]), _t([1., 2.])), rtol=0.1, atol=0.1,
                                  check_dtype=False, equal_nan=True, check_stride=True),
    "msg": _assert_close(_pair(_t([1., 2.]), _t([1., 3.])), msg="custom"),
    "msg callable": _assert_close(_pair(_t([1., 2.]), _t([1., 3.])),
                                  msg=lambda m: "<" + m + ">"),
    "floats": _assert_close(lambda T, np: (1.0, 1.5)),
    "floats expected zero": _assert_close(lambda T, np: (1.0, 0.0)),
    "ints": _assert_close(lambda T, np: (1, 2)),
    "int against float": _assert_close(lambda T, np: (1, 1.0)),
    "bools": _assert_close(lambda T, np: (True, False)),
    "NumPy scalars": _assert_close(lambda T, np: (np.float32(1.0), np.float32(1.5))),
    "NumPy scalar against float": _assert_close(lambda T, np: (np.float32(1.0), 1.0)),
    "nan floats": _assert_close(lambda T, np: (NAN, NAN)),
    "nan floats equal": _assert_close(lambda T, np: (NAN, NAN), equal_nan=True),
    "floats zero tolerances": _assert_close(lambda T, np: (1.0, 1.5), rtol=0, atol=0),
    "None against number": _assert_close(lambda T, np: (None, 1)),
    "None": _assert_close(lambda T, np: (None, None)),
    "strings": _assert_close(lambda T, np: ("a", "b")),
    "arrays": _assert_close(lambda T, np: (np.array([1.]), np.array([1.5]))),
    "transposed arrays": _assert_close(lambda T, np: (np.arange(6.).reshape(2, 3).T,
                                                      np.array([[0., 3], [1, 4], [2, 5.5]]))),
    "array dtypes": _assert_close(lambda T, np: (np.array([1, 2]), np.array([1., 2.]))),
    "tensor against array": _assert_close(
        lambda T, np: (T.tensor([1.]), np.array([1.], np.float32))),
    "tensor against list": _assert_close(lambda T, np: (T.tensor([1.]), [1.])),
    "tensor against float": _assert_close(lambda T, np: (T.tensor([1.]), 1.)),
    "list": _assert_close(lambda T, np: ([T.tensor([1.]), T.tensor([2.])],
                                         [T.tensor([1.]), T.tensor([3.])])),
    "list and msg": _assert_close(lambda T, np: ([T.tensor([1.]), T.tensor([2.])],
                                                 [T.tensor([1.]), T.tensor([3.])]), msg="m"),
    "list lengths": _assert_close(lambda T, np: ([1, 2], [1, 2, 3])),
    "tuple against list": _assert_close(lambda T, np: ((T.tensor([1.]),), [T.tensor([1.])])),
    "list item of another type": _assert_close(lambda T, np: ([T.tensor([1.])], [1.])),
    "dict": _assert_close(lambda T, np: ({"a": T.tensor([1.]), "b": T.tensor([2.])},
                                         {"a": T.tensor([1.]), "b": T.tensor([3.])})),
    "dict of two kinds": _assert_close(lambda T, np: ({"a": T.tensor([1.]), "b": 2},
                                                      {"a": T.tensor([0.]), "b": 3})),
    "dict keys": _assert_close(lambda T, np: ({"a": 1}, {"b": 1})),
    "dict missing key": _assert_close(lambda T, np: ({"a": 1}, {"a": 1, "b": 3})),
    "nested": _assert_close(lambda T, np: ([[T.tensor([1.])], {"x": T.tensor([2.])}],
                                           [[T.tensor([1.])], {"x": T.tensor([3.])}])),
}

GENERATOR = {f"Generator(device={d!r})": (lambda d: lambda T, np: T.Generator(device=d).device)(d)
             for d in ["cpu", "cpu:0", "cuda", "cuda:1", "meta", "mps", "xpu", "xla", "hip",
                       "hpu", "mtia", "ipu", "lazy", "privateuseone", "foo", 0, 1.5, None]}
GENERATOR["Generator('cpu')"] = lambda T, np: T.Generator("cpu").device

DEFAULT_DEVICE = {
    "set_default_device('foo')": lambda T, np: T.set_default_device("foo"),
    "set_default_device(5)": lambda T, np: T.set_default_device(5),
    "get_default_device()": lambda T, np: T.get_default_device(),
}

SECTIONS = {"numpy": NUMPY, "dlpack": DLPACK, "assert_close": ASSERT_CLOSE,
            "generator": GENERATOR, "default_device": DEFAULT_DEVICE}
