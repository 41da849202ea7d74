"""Text rendering of tensors, sizes and return-type tuples, matching PyTorch 2.x output.

The public entry points take plain numpy data plus metadata, so this module does not depend on
the tensor class itself:

* :func:`format_tensor` -- the ``repr``/``str`` of a tensor, e.g. ``tensor([1., 2.])``;
* :func:`format_size` -- ``lazytensor.Size([2, 3])``;
* :func:`format_return_type` -- named result tuples such as ``lazytensor.return_types.max(...)``;
* :func:`set_printoptions` / :func:`get_printoptions` -- global options, same meaning as in
  PyTorch (``precision``, ``threshold``, ``edgeitems``, ``linewidth``, ``sci_mode``, profiles).

Only the standard library and numpy are used.

How a tensor is laid out (the rules PyTorch follows):

1. One cell style is chosen for the whole tensor from a *sample* of its values (all values, or
   only the edge items when the tensor is summarised).  Integers and booleans are printed with
   ``str``.  Floats use one of three notations -- scientific, "integral" (``3.``) or fixed point
   with ``precision`` decimals -- decided from the non-zero finite values only.
2. Every cell is right-aligned to the widest cell of the sample.
3. Rows (the innermost dimension) wrap to fit ``linewidth``; each nesting level adds one column
   of indentation and ``n - 1`` blank lines separate blocks of an ``n``-dimensional slice.
4. Trailing keyword parts (``device=``, ``dtype=``, ``grad_fn=``...) follow the closing bracket,
   moving to a new line when they would overflow ``linewidth``.
"""

import math

import numpy as np

__all__ = [
    "format_tensor",
    "format_size",
    "format_return_type",
    "set_printoptions",
    "get_printoptions",
]

FLOAT_DTYPES = frozenset({"float16", "bfloat16", "float32", "float64"})
INT_DTYPES = frozenset({"uint8", "int8", "int16", "int32", "int64"})
COMPLEX_DTYPES = frozenset({"complex64", "complex128"})
ALL_DTYPES = FLOAT_DTYPES | INT_DTYPES | COMPLEX_DTYPES | {"bool"}

# the complex dtype whose name is not printed, for each default float dtype
_DEFAULT_COMPLEX = {"float64": "complex128"}

# Dtypes whose name is never printed for a non-empty tensor, besides the default float dtype.
_IMPLIED_DTYPES = ("int64", "bool")

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}

# Current options.  Key order mirrors PyTorch's get_printoptions().
_options = dict(_PROFILES["default"], sci_mode=None)


# --------------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------------


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
):
    """Change the global print options.

    ``profile`` ('default', 'short' or 'full'; any other name is ignored) is applied first, then
    every explicitly given option overrides it.  ``sci_mode`` is always assigned, so calling this
    without ``sci_mode`` restores automatic notation choice (``None``), as in PyTorch.
    """
    if profile in _PROFILES:
        _options.update(_PROFILES[profile])
    explicit = {
        "precision": precision,
        "threshold": threshold,
        "edgeitems": edgeitems,
        "linewidth": linewidth,
    }
    _options.update({key: val for key, val in explicit.items() if val is not None})
    _options["sci_mode"] = sci_mode


def get_printoptions():
    """Return a copy of the current options; it can be passed back as ``**kwargs``."""
    return dict(_options)


# --------------------------------------------------------------------------------------------
# Cell style: notation and width shared by all cells of one tensor
# --------------------------------------------------------------------------------------------


class _CellStyle:
    """How every scalar of one tensor is rendered.

    Invariants: ``notation`` is one of 'plain' (ints/bools, ``str``), 'sci', 'integral' or
    'fixed'; ``width >= 1``; :meth:`render` returns a string of at least ``width`` characters.
    It can be longer for zeros and non-finite floats (e.g. '-0.0000', '-inf'), because those
    never take part in measuring the width -- PyTorch does the same.
    """

    def __init__(self, notation, width, precision):
        self.notation = notation
        self.width = width
        self.precision = precision

    def bare(self, value):
        """Render ``value`` (a Python scalar) without padding."""
        if self.notation == "plain":
            return str(value)
        if self.notation == "sci":
            return f"{value:.{self.precision}e}"
        if self.notation == "integral":
            text = f"{value:.0f}"
            return text if math.isinf(value) or math.isnan(value) else text + "."
        return f"{value:.{self.precision}f}"

    def render(self, value):
        """Render ``value`` right-aligned to the common width."""
        return self.bare(value).rjust(self.width)


def _widest(strings, start=1):
    """Length of the longest string, never less than ``start``."""
    return max([start] + [len(s) for s in strings])


def _float_style(sample, precision, sci_pref):
    """Choose the float notation and width from ``sample`` (a 1-D float64 array).

    Only non-zero finite values are considered.  When there are none, the result is the
    'integral' notation of width 1 regardless of ``sci_pref`` (PyTorch behaves this way).
    Otherwise the notation is scientific when ``sci_pref`` says so, or -- if ``sci_pref`` is
    None -- when max/min of the magnitudes exceeds 1000, the max exceeds 1e8 or the min is
    below 1e-4.  Non-scientific notation is 'integral' when every considered value is a whole
    number, else 'fixed'.
    """
    finite = sample[np.isfinite(sample) & (sample != 0)]
    if finite.size == 0:
        return _CellStyle("integral", 1, precision)
    magnitudes = np.abs(finite)
    lo, hi = float(magnitudes.min()), float(magnitudes.max())
    whole = bool(np.all(finite == np.ceil(finite)))
    if sci_pref is None:
        use_sci = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
    else:
        use_sci = bool(sci_pref)
    values = finite.tolist()
    if use_sci:
        notation, width = "sci", _widest(f"{v:.{precision}e}" for v in values)
    elif whole:
        # One extra column for the trailing '.'.
        notation, width = "integral", _widest(f"{v:.0f}" for v in values) + 1
    else:
        notation, width = "fixed", _widest(f"{v:.{precision}f}" for v in values)
    return _CellStyle(notation, width, precision)


class _ComplexStyle:
    """Complex cells: the real part in its own float style, right-aligned; the imaginary
    part in another (measured over the imaginary parts alone), its padding dropped, with its
    sign and a 'j'. ``width`` counts both parts' widths and the 'j', which is what PyTorch
    wraps lines by."""

    def __init__(self, real, imag):
        self.real, self.imag = real, imag
        self.width = real.width + imag.width + 1

    def render(self, value):
        imag = self.imag.bare(value.imag) + "j"
        sign = "" if imag[0] in "+-" else "+"
        return self.real.render(value.real) + sign + imag


def _pick_style(sample, is_float, options):
    """Cell style for a tensor whose (possibly summarised) values are ``sample`` (1-D)."""
    if sample.dtype.kind == "c":
        return _ComplexStyle(
            _float_style(sample.real, options["precision"], options["sci_mode"]),
            _float_style(sample.imag, options["precision"], options["sci_mode"]))
    if is_float:
        return _float_style(sample, options["precision"], options["sci_mode"])
    return _CellStyle("plain", _widest(str(v) for v in sample.tolist()), options["precision"])


# --------------------------------------------------------------------------------------------
# Summarisation
# --------------------------------------------------------------------------------------------


def _edge_sample(arr, edge):
    """Flat array of the values that remain visible when ``arr`` is summarised.

    Mirrors PyTorch's choice: along every dimension longer than ``2 * edge`` only the first and
    last ``edge`` entries are kept.  Quirks kept on purpose: with ``edge == 0`` a 1-D array is
    kept whole, while an array of 2 or more dimensions yields nothing.
    """
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.ndim == 1:
        if arr.shape[0] > 2 * edge:
            return np.concatenate((arr[:edge], arr[-edge:]))
        return arr
    if not edge:
        return arr[:0].reshape(0)
    rows = range(arr.shape[0])
    if arr.shape[0] > 2 * edge:
        rows = list(range(edge)) + list(range(arr.shape[0] - edge, arr.shape[0]))
    return np.concatenate([_edge_sample(arr[i], edge) for i in rows])


# --------------------------------------------------------------------------------------------
# Layout of the bracketed body
# --------------------------------------------------------------------------------------------


def _layout_row(row, indent, summarize, style, options):
    """Bracketed text of a 1-D array whose '[' sits at column ``indent``.

    Cells are joined by ', ' and wrapped so that each line holds
    ``floor((linewidth - indent) / (width + 2))`` cells (at least one); continuation lines are
    indented by ``indent + 1``.  A summarised row shows ``edgeitems`` cells at each end with
    ' ...' standing for the rest (and counting as one cell for wrapping).
    """
    edge = options["edgeitems"]
    if summarize and not edge:
        cells = ["..."]
    elif summarize and row.shape[0] > 2 * edge:
        head, tail = row[:edge].tolist(), row[-edge:].tolist()
        cells = [style.render(v) for v in head] + [" ..."] + [style.render(v) for v in tail]
    else:
        cells = [style.render(v) for v in row.tolist()]
    per_line = max(1, math.floor((options["linewidth"] - indent) / (style.width + 2)))
    lines = [", ".join(cells[i:i + per_line]) for i in range(0, len(cells), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _layout(arr, indent, summarize, style, options):
    """Bracketed text of ``arr`` (ndim >= 1, non-empty) whose '[' sits at column ``indent``.

    Sub-arrays start at column ``indent + 1``; consecutive sub-arrays of a k-dimensional array
    are separated by ',' and ``k - 1`` newlines.  When summarising, a dimension longer than
    ``2 * edgeitems`` shows its first and last ``edgeitems`` sub-arrays around a '...' entry.
    """
    if arr.ndim == 1:
        return _layout_row(arr, indent, summarize, style, options)
    edge = options["edgeitems"]
    count = arr.shape[0]
    if summarize and count > 2 * edge:
        rows = list(range(edge)) + [None] + list(range(count - edge, count))
    else:
        rows = list(range(count))
    parts = [
        "..." if i is None else _layout(arr[i], indent + 1, summarize, style, options)
        for i in rows
    ]
    separator = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _format_body(arr, is_float, indent, options):
    """Text between 'tensor(' and the suffixes for a non-empty array."""
    summarize = arr.size > options["threshold"]
    sample = _edge_sample(arr, options["edgeitems"]) if summarize else arr.reshape(-1)
    style = _pick_style(sample, is_float, options)
    if arr.ndim == 0:
        return style.render(arr.item())
    return _layout(arr, indent, summarize, style, options)


# --------------------------------------------------------------------------------------------
# Suffixes and the public entry points
# --------------------------------------------------------------------------------------------


def _attach_suffixes(text, suffixes, indent, linewidth):
    """Append ``, suffix`` parts and the closing ')' to ``text``.

    A suffix goes on a new line (indented by ``indent``) when the running line length estimate
    plus the suffix and its ', ' separator would exceed ``linewidth``.  The estimate is taken
    exactly as PyTorch does, i.e. it starts two columns above the true length of the last line.
    """
    pieces = [text]
    line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            line_len = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            line_len += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


def _shape_text(shape):
    """Python tuple text of a shape: '(2, 3)', '(0,)', '()'."""
    return str(tuple(int(d) for d in shape))


def _normalise_values(values, dtype):
    """Numpy array holding ``values`` as bool, int64 or float64 according to ``dtype``.

    The conversion is exact for every supported dtype (float16/bfloat16/float32 values are
    exactly representable in float64), so ``.tolist()`` yields the Python scalars PyTorch
    would format.
    """
    arr = np.asarray(values)
    if dtype == "bool":
        return arr.astype(np.bool_)
    if dtype in INT_DTYPES:
        return arr.astype(np.int64)
    if dtype in COMPLEX_DTYPES:
        return arr.astype(np.complex128)
    return arr.astype(np.float64)


def _is_cpu(device):
    """True when ``device`` names the CPU ('cpu' or 'cpu:N')."""
    return str(device).split(":", 1)[0] == "cpu"


def format_tensor(
    values,
    dtype,
    *,
    default_dtype="float32",
    device="cpu",
    requires_grad=False,
    grad_fn=None,
    module="lazytensor",
):
    """Return the ``repr`` PyTorch would print for a tensor, with ``module`` for 'torch'.

    ``values`` is a numpy array with the tensor's logical shape and values (for 'bfloat16' a
    float32 array of exact bfloat16 values); ``dtype`` is the dtype name; ``default_dtype`` the
    current default float dtype name; ``grad_fn`` a node name such as 'CloneBackward0'.

    Suffix order: device, size (empty tensors, or when edgeitems is 0), dtype, then grad_fn or
    requires_grad.
    """
    if dtype not in ALL_DTYPES:
        raise ValueError(f"unsupported dtype for printing: {dtype!r}")
    options = _options
    arr = _normalise_values(values, dtype)
    prefix = "tensor("
    indent = len(prefix)
    dtype_suffix = f"dtype={module}.{dtype}"
    suffixes = []
    if not _is_cpu(device):
        suffixes.append(f"device='{device}'")
    if arr.size == 0:
        # No element hints at the dtype, so anything but the default float dtype is named.
        if arr.ndim != 1:
            suffixes.append("size=" + _shape_text(arr.shape))
        if dtype != default_dtype:
            suffixes.append(dtype_suffix)
        body = "[]"
    else:
        if not options["edgeitems"]:
            suffixes.append("size=" + _shape_text(arr.shape))
        if dtype != default_dtype and dtype not in _IMPLIED_DTYPES and \
                dtype != _DEFAULT_COMPLEX.get(default_dtype, "complex64"):
            suffixes.append(dtype_suffix)
        body = _format_body(arr, dtype in FLOAT_DTYPES, indent, options)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _attach_suffixes(prefix + body, suffixes, indent, options["linewidth"])


def format_size(shape, module="lazytensor"):
    """``repr`` of a size object: ``lazytensor.Size([2, 2, 3])``, ``lazytensor.Size([])``."""
    dims = ", ".join(str(int(d)) for d in shape)
    return f"{module}.Size([{dims}])"


def format_return_type(name, fields, module="lazytensor"):
    """``repr`` of a named result tuple, e.g. ``lazytensor.return_types.max(...)``.

    ``fields`` is a sequence of ``(field_name, formatted_value)`` pairs.  The header ends the
    first line, each field starts a line of its own as ``name=value``, fields are separated by
    ',' and the last one is followed by ')'.  Multi-line values are inserted verbatim (their
    continuation lines are not re-indented).
    """
    body = ",\n".join(f"{key}={text}" for key, text in fields)
    return f"{module}.return_types.{name}(\n{body})"
