"""torch.testing: assert_close, with PyTorch's default tolerances and messages.

Inputs are compared pairwise: tensors with tensors, NumPy arrays with arrays (as tensors),
numbers with numbers, None with None, and sequences and mappings item by item. Every pair is
formed (and a structural mismatch raised) before any values are compared; the first pair
that differs raises AssertionError saying how, and where in the structure it is.
"""
import collections.abc
import math
from numbers import Number

import numpy as np

from . import dtypes
from .autograd_graph import no_grad
from .composite import isclose
from .creation import tensor
from .dtypes import promote_types
from .reductions import sum as _sum
from .tensor import Tensor

# (rtol, atol) by dtype; other dtypes compare for equality
_TOLERANCES = {dtypes.float16: (1e-3, 1e-5), dtypes.bfloat16: (1.6e-2, 1e-5),
               dtypes.float32: (1.3e-6, 1e-5), dtypes.float64: (1e-7, 1e-7)}
_SCALAR_DTYPES = {int: dtypes.int64, float: dtypes.float64}


class _Failure(Exception):
    """A mismatch found in the pair at `path`, raised to the user as `kind`."""

    def __init__(self, kind, text, path=()):
        super().__init__(text)
        self.kind, self.text, self.path = kind, text, path


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    """Raise AssertionError unless actual and expected are close: |a - e| <= atol + rtol*|e|
    elementwise, with the defaults of their dtype unless both rtol and atol are given."""
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but "
                         f"got no {missing}.")
    options = dict(rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=check_device,
                   check_dtype=check_dtype, check_stride=check_stride)
    try:
        for path, a, e in list(_pairs(actual, expected, ())):
            try:
                _compare(a, e, **options)
            except _Failure as failure:
                failure.path = path
                raise
    except _Failure as failure:
        raise failure.kind(_message(failure, msg)) from None


def _message(failure, msg):
    if isinstance(msg, str):
        return msg
    text = failure.text
    if failure.path:
        where = "".join(f"[{key!r}]" for key in failure.path)
        text += f"\n\nThe failure occurred for item {where}"
    return msg(text) if callable(msg) else text


# -- pairing -------------------------------------------------------------------------------
def _is_sequence(x):
    return isinstance(x, collections.abc.Sequence) and not isinstance(x, str)


def _pairs(actual, expected, path):
    """(path, actual, expected) of each leaf pair, in order."""
    if _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Failure(AssertionError, f"The length of the sequences mismatch: "
                                           f"{len(actual)} != {len(expected)}", path)
        for i, (a, e) in enumerate(zip(actual, expected)):
            yield from _pairs(a, e, path + (i,))
        return
    if isinstance(actual, collections.abc.Mapping) and \
            isinstance(expected, collections.abc.Mapping):
        keys, wanted = set(actual.keys()), set(expected.keys())
        if keys != wanted:
            raise _Failure(AssertionError,
                           f"The keys of the mappings do not match:\n"
                           f"Missing keys in the actual mapping: {sorted(wanted - keys)}\n"
                           f"Additional keys in the actual mapping: {sorted(keys - wanted)}",
                           path)
        try:
            order = sorted(actual.keys())
        except TypeError:
            order = list(actual.keys())
        for key in order:
            yield from _pairs(actual[key], expected[key], path + (key,))
        return
    _check_comparable(actual, expected, path)
    yield path, actual, expected


def _kind(x):
    if x is None:
        return "none"
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, (int, float, np.integer, np.floating)) and isinstance(x, Number):
        return "number"
    if isinstance(x, Tensor):
        return "tensor"
    if isinstance(x, np.ndarray):
        return "array"
    return None


def _check_comparable(actual, expected, path):
    kinds = {_kind(actual), _kind(expected)}
    if "none" in kinds or (len(kinds) == 1 and None not in kinds):
        return
    raise _Failure(TypeError, f"No comparison pair was able to handle inputs of type "
                              f"{type(actual)} and {type(expected)}.", path)


# -- comparing one pair --------------------------------------------------------------------
def _compare(actual, expected, **options):
    kind = _kind(actual) if actual is not None else "none"
    if kind == "none" or expected is None:
        if not (actual is None and expected is None):
            raise _Failure(AssertionError, f"None mismatch: {actual} is not {expected}")
    elif kind == "bool":
        if bool(actual) != bool(expected):
            raise _Failure(AssertionError,
                           f"Booleans mismatch: {bool(actual)} is not {bool(expected)}")
    elif kind == "number":
        _compare_numbers(_python(actual), _python(expected), **options)
    else:
        with no_grad():
            _compare_tensors(_tensor(actual), _tensor(expected), **options)


def _tensor(x):
    return x if isinstance(x, Tensor) else tensor(x)      # an array's values, any strides


def _python(x):
    return x.item() if isinstance(x, np.generic) else x


def _tolerances(dtype_list, rtol, atol):
    if rtol is not None:
        return rtol, atol
    pairs = [_TOLERANCES.get(d, (0.0, 0.0)) for d in dtype_list]
    return max(r for r, _ in pairs), max(a for _, a in pairs)


def _compare_numbers(actual, expected, *, rtol, atol, equal_nan, check_dtype, **_):
    if check_dtype and type(actual) is not type(expected):
        raise _Failure(AssertionError, f"The (d)types do not match: {type(actual)} != "
                                       f"{type(expected)}.")
    rtol, atol = _tolerances([_SCALAR_DTYPES[type(actual)], _SCALAR_DTYPES[type(expected)]],
                             rtol, atol)
    if actual == expected or (equal_nan and math.isnan(actual) and math.isnan(expected)):
        return
    if abs(actual - expected) <= atol + rtol * abs(expected):
        return
    raise _Failure(AssertionError, _scalar_mismatch(actual, expected, rtol, atol))


def _compare_tensors(actual, expected, *, rtol, atol, equal_nan, check_device, check_dtype,
                     check_stride):
    _same("shape", actual.shape, expected.shape)
    if check_device:
        _same("device", actual.device, expected.device)
    if check_dtype:
        _same("dtype", actual.dtype, expected.dtype)
    if check_stride:
        _same("stride()", actual.stride(), expected.stride())
    if "meta" in (actual.device.type, expected.device.type):
        return                                       # no values to compare
    if actual.device != expected.device:
        actual, expected = actual.cpu(), expected.cpu()
    rtol, atol = _tolerances([actual.dtype, expected.dtype], rtol, atol)
    if actual.dtype is not expected.dtype:
        common = promote_types(actual.dtype, expected.dtype)
        actual, expected = actual.to(common), expected.to(common)
    matches = isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan)
    mismatched = actual.numel() - int(_sum(matches).item())
    if not mismatched:
        return
    if actual.ndim == 0:
        raise _Failure(AssertionError,
                       _scalar_mismatch(actual.item(), expected.item(), rtol, atol))
    raise _Failure(AssertionError,
                   _tensor_mismatch(actual, expected, matches, mismatched, rtol, atol))


def _same(name, a, e):
    if a != e:
        raise _Failure(AssertionError,
                       f"The values for attribute '{name}' do not match: {a} != {e}.")


# -- messages ------------------------------------------------------------------------------
def _scalar_mismatch(actual, expected, rtol, atol):
    difference = abs(actual - expected)
    relative = math.inf if expected == 0 else difference / abs(expected)
    return _mismatch("Scalars", f"Expected {expected} but got {actual}.",
                     ("Absolute difference", difference, atol),
                     ("Relative difference", relative, rtol), rtol, atol)


def _tensor_mismatch(actual, expected, matches, mismatched, rtol, atol):
    """The greatest absolute and relative differences among the mismatched elements (each
    computed in the compared dtype, integers as int64), with their first index."""
    total = actual.numel()
    a, e, ok = actual.flatten(), expected.flatten(), matches.flatten()
    if not a.dtype.is_floating_point:
        a, e = a.to(dtypes.int64), e.to(dtypes.int64)
    difference = (a - e).abs().masked_fill(ok, 0)
    relative = (difference / e.abs()).masked_fill(ok, 0)
    rows = []
    for label, values, tol in (("Greatest absolute difference", difference, atol),
                               ("Greatest relative difference", relative, rtol)):
        i = _first_greatest(values._values())
        index = tuple(int(k) for k in np.unravel_index(i, tuple(actual.shape)))
        rows.append((label, f"{values[i].item()} at index {index}", tol))
    return _mismatch("Tensor-likes", f"Mismatched elements: {mismatched} / {total} "
                                     f"({mismatched / total:.1%})", *rows, rtol, atol)


def _first_greatest(values):
    """The index of the first NaN, else of the first largest value."""
    nan = np.flatnonzero(np.isnan(values)) if values.dtype.kind == "f" else ()
    return int(nan[0]) if len(nan) else int(np.argmax(values))


def _mismatch(what, detail, absolute, relative, rtol, atol):
    exact = rtol == 0 and atol == 0
    lines = [f"{what} are not {'equal' if exact else 'close'}!", "", detail]
    for label, value, tol in (absolute, relative):
        lines.append(f"{label}: {value}" + ("" if exact else f" (up to {tol} allowed)"))
    return "\n".join(lines)
