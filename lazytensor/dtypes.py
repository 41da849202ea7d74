"""The ten dtypes, PyTorch's aliases for them, and PyTorch's type-promotion rules."""
import numpy as np


class dtype:
    """A tensor element type. Instances are singletons: compare with `is` or `==`."""
    __slots__ = ("name", "itemsize", "category", "rank", "np_storage", "is_signed")

    def __init__(self, name, itemsize, category, rank, np_storage, is_signed):
        self.name = name
        self.itemsize = itemsize
        self.category = category          # 0 bool, 1 integer, 2 floating, 3 complex
        self.rank = rank                  # order inside the category, for promotion
        self.np_storage = np.dtype(np_storage)  # how the bytes are held in a NumPy array
        self.is_signed = is_signed

    @property
    def is_floating_point(self):
        return self.category == 2

    @property
    def is_complex(self):
        return self.category == 3

    def to_complex(self):
        """dtype.to_complex(): the complex dtype with this floating dtype's parts."""
        return to_complex(self)

    def to_real(self):
        """dtype.to_real(): the dtype of a complex dtype's parts (a real dtype itself)."""
        return to_real(self)

    def to_numpy(self):
        """The NumPy dtype that holds this type's values exactly (bfloat16 widens to float32)."""
        return np.dtype(np.float32) if self is bfloat16 else self.np_storage

    def __repr__(self):
        return f"lazytensor.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


bool_ = dtype("bool", 1, 0, 0, np.bool_, False)
uint8 = dtype("uint8", 1, 1, 0, np.uint8, False)
int8 = dtype("int8", 1, 1, 0, np.int8, True)
int16 = dtype("int16", 2, 1, 1, np.int16, True)
int32 = dtype("int32", 4, 1, 2, np.int32, True)
int64 = dtype("int64", 8, 1, 3, np.int64, True)
float16 = dtype("float16", 2, 2, 0, np.float16, True)
bfloat16 = dtype("bfloat16", 2, 2, 0, np.uint16, True)   # bits kept in uint16
float32 = dtype("float32", 4, 2, 1, np.float32, True)
float64 = dtype("float64", 8, 2, 2, np.float64, True)

# complex: interleaved (real, imaginary) pairs of float32 / float64
complex64 = dtype("complex64", 8, 3, 1, np.complex64, True)
complex128 = dtype("complex128", 16, 3, 2, np.complex128, True)
COMPLEX = (complex64, complex128)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64)
BY_NAME = {d.name: d for d in ALL + COMPLEX}
ALIASES = {"float": float32, "double": float64, "half": float16, "long": int64,
           "int": int32, "short": int16, "bool": bool_, "cfloat": complex64,
           "cdouble": complex128}

_NUMPY_TO_DTYPE = {d.np_storage: d for d in ALL + COMPLEX if d is not bfloat16}

# the largest finite value of each floating dtype
LARGEST = {"float16": 65504.0, "bfloat16": 3.3895313892515355e38,
           "float32": 3.4028234663852886e38, "float64": 1.7976931348623157e308}


def _by_name(name):
    return BY_NAME[name]


def from_numpy_dtype(np_dtype):
    """Our dtype for a NumPy dtype; TypeError for ones PyTorch would also refuse."""
    try:
        return _NUMPY_TO_DTYPE[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only "
            "supported types are: float64, float32, float16, complex64, complex128, int64, "
            "int32, int16, int8, uint8, and bool.") from None


_default_float = float32


def get_default_dtype():
    return _default_float


def set_default_dtype(d):
    global _default_float
    if d not in (float16, bfloat16, float32, float64):
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def to_complex(d):
    """The complex dtype whose parts are the floating dtype d (float64 -> complex128;
    bfloat16 -> complex64, as PyTorch's table has it)."""
    if d is float64:
        return complex128
    if d is float32 or d is bfloat16:
        return complex64
    if d.category == 3:
        return d
    if d is float16:
        raise TypeError("complex32 (ComplexHalf) is not supported by lazytensor")
    names = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short",
             "int32": "Int", "int64": "Long"}
    raise RuntimeError(f"Unknown Complex ScalarType for {names[d.name]}")


def to_real(d):
    """The dtype of a complex dtype's parts (complex64 -> float32); d itself if real."""
    return {complex64: float32, complex128: float64}.get(d, d)


def promote_types(a, b):
    """torch.promote_types: the smallest dtype that holds both, by PyTorch's table."""
    if a is b:
        return a
    if a.category == 3 or b.category == 3:
        # complex with float64 (or with complex128) is complex128; with anything else the
        # complex operand's own type
        c, other = (a, b) if a.category == 3 else (b, a)
        if other.category == 3:
            return complex128
        return to_complex(float64) if other is float64 else c
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.category == 2:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a.rank > b.rank else b
    if a.category == 1:
        if uint8 in (a, b):
            other = b if a is uint8 else a
            return int16 if other is int8 else other
        return a if a.rank > b.rank else b
    return a


def scalar_dtype(value):
    """The dtype a Python scalar has when it takes part in an op as a 'wrapped number'."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    if isinstance(value, (float, np.floating)):
        return _default_float
    if isinstance(value, (complex, np.complexfloating)):
        return to_complex(_default_float)
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


def _combine(higher, lower):
    """Let a lower-priority group (0-dim tensors, scalars) raise the category, never the width."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category == 3:
        return higher
    if lower.category == 3:
        # a complex scalar or 0-dim tensor makes floats complex of their own width
        return to_complex(higher) if higher.category == 2 else lower
    if higher.category == 2:
        return higher
    if higher is bool_ or lower.category == 2:
        return promote_types(higher, lower)
    return higher


def result_type(dim_dtypes, zero_dim_dtypes=(), scalar_dtypes=()):
    """torch.result_type over three priority groups: tensors with dims, 0-dim tensors, scalars.

    A Python float scalar counts as the default float dtype only when it raises the category.
    """
    def fold(ds):
        out = None
        for d in ds:
            out = d if out is None else promote_types(out, d)
        return out
    return _combine(fold(dim_dtypes), _combine(fold(zero_dim_dtypes), fold(scalar_dtypes)))


def to_dtype(obj, fn=None):
    """A dtype argument: a dtype or a Python type (float, int, bool), as PyTorch accepts.
    Strings and NumPy dtypes are refused as PyTorch refuses them (`fn` names the function
    in the message)."""
    if isinstance(obj, dtype):
        return obj
    if obj is float:
        return float64
    if obj is int:
        return int64
    if obj is bool:
        return bool_
    kind = type(obj)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    prefix = f"{fn}(): " if fn else ""
    raise TypeError(f"{prefix}argument 'dtype' must be torch.dtype, not {name}")
