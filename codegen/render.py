"""From kernel descriptions to source text: the table from op to C snippet, and the Jinja
templates (templates/c/) that give each kernel kind its loop structure.

Every value is rounded to its node's dtype as soon as it is computed, so a fused chain gives
the bits PyTorch's one-op-at-a-time kernels give (float16 and bfloat16 compute in float).
"""
import functools
import hashlib
import importlib.resources
import math
import os

import jinja2
import numpy as np

from . import cache_dir, primitives
from .statements import Bind, Spliced, Statement

_VALUE_CTYPE = {
    "bool": "bool", "uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t",
    "int32": "int32_t", "int64": "int64_t", "float16": "_Float16", "bfloat16": "float",
    "float32": "float", "float64": "double",
    "complex64": "float _Complex", "complex128": "double _Complex"}    # C99 complex types
_STORAGE_CTYPE = dict(_VALUE_CTYPE, bfloat16="uint16_t")
_FLOATS = ("float16", "bfloat16", "float32", "float64")
_COMPLEX_PART = {"complex64": "float32", "complex128": "float64"}
_INT_LIMITS = {"int8": ("INT8_MIN", "INT8_MAX"), "int16": ("INT16_MIN", "INT16_MAX"),
               "int32": ("INT32_MIN", "INT32_MAX"), "int64": ("INT64_MIN", "INT64_MAX"),
               "uint8": ("0", "UINT8_MAX"), "bool": ("0", "1")}

class _LibmNames(dict):
    """A spelling's fields: the operands and types given, and any other name a libm
    function, with the suffix of the operands' type (`{exp}` -> expf for float); the stems
    of those functions are added to `calls`."""
    def __init__(self, fields, suffix, calls):
        super().__init__(fields)
        self.suffix = suffix
        self.calls = calls

    def __missing__(self, name):
        self.calls.add(name)
        return name + self.suffix


def is_float(dt):
    return dt in _FLOATS


def _round_to(v, dt):
    """The Python float v rounded to the floating dtype dt (ties to even; out of range: inf),
    so that its literal is exact."""
    if dt == "float64":
        return v
    with np.errstate(over="ignore"):
        f32 = np.float32(v)
    if dt == "float16":
        with np.errstate(over="ignore"):
            return float(np.float16(v))
    if dt == "bfloat16" and np.isfinite(f32):
        bits = int(f32.view(np.uint32))
        bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16 << 16) & 0xFFFFFFFF
        f32 = np.uint32(bits).view(np.float32)
    return float(f32)


# pow(x, n) as PyTorch's CPU kernel computes it for float32/float64 (keyed by the exponent's
# C literal): (x * x) * x, 1 / (x * x), and for -1 its reciprocal kernel.
_MULTIPLIED_POWERS = {
    "3.0f": "{x} * {x} * {x}", "3.0": "{x} * {x} * {x}",
    "(-2.0f)": "1 / ({x} * {x})", "(-2.0)": "1 / ({x} * {x})",
    "(-1.0f)": "1 / {x}", "(-1.0)": "1 / {x}",
}


class CDialect:
    """C99/C11 spelling of the primitive ops. A CUDA dialect overrides the few that differ."""
    name = "c"
    template_dir = "c"

    # -- types ---------------------------------------------------------------------------
    def value_ctype(self, dt):
        return _VALUE_CTYPE[dt]

    def storage_ctype(self, dt):
        return _STORAGE_CTYPE[dt]

    def _f(self, dt, fn):
        return fn if dt == "float64" else fn + "f"

    # -- memory --------------------------------------------------------------------------
    def load(self, dt, helpers):
        """(before, after): the text around a reference `param[index]` that reads a dt
        element as a value, rounded to dt."""
        if dt == "bfloat16":
            helpers.add("bf16")
            return "lt_bf16_round(lt_bf16_to_float(", "))"
        return "", ""

    def store(self, dt, value, helpers):
        if dt == "bfloat16":
            helpers.add("bf16")
            return f"lt_float_to_bf16({value})"
        return value

    def round_to(self, dt, expr, helpers):
        """expr rounded to dt's precision (a no-op where C's own conversion does it)."""
        if dt == "bfloat16":
            helpers.add("bf16")
            return f"lt_bf16_round({expr})"
        return expr

    # -- constants -----------------------------------------------------------------------
    def literal(self, value, dt):
        """value as a C constant of dtype dt; negative ones in parentheses, so that an
        operator in front of a literal (`-`, `~`) never runs into its sign."""
        text = self._literal(value, dt)
        return f"({text})" if text.startswith("-") else text

    def _literal(self, value, dt):
        if dt == "bool":
            return "true" if value else "false"
        if dt in _COMPLEX_PART:
            z = complex(value)          # GCC's builtin: no <complex.h> needed for I
            return (f"__builtin_complex({self.literal(z.real, _COMPLEX_PART[dt])}, "
                    f"{self.literal(z.imag, _COMPLEX_PART[dt])})")
        if not is_float(dt):
            v = int(value)
            if dt == "int64" and v == -2**63:
                return "INT64_MIN"
            return f"{v}LL" if dt == "int64" else str(v)
        v = _round_to(float(value), dt)
        if math.isnan(v):
            return "NAN"
        if math.isinf(v):
            return "INFINITY" if v > 0 else "-INFINITY"
        # shortest text that reads back as the same value of its C type
        text = str(np.float32(v)) if dt in ("float32", "bfloat16") else repr(v)
        if "." not in text and "e" not in text:
            text += ".0"
        return text if dt == "float64" else text + "f"

    # -- ops -----------------------------------------------------------------------------
    def cast(self, src_dt, dt, x, helpers):
        if dt == "bool":
            return f"({x} != 0)"
        if src_dt == dt:
            return x
        if dt == "bfloat16":
            return f"(float)({x})"
        return f"({self.value_ctype(dt)})({x})"

    def op(self, op, src_dt, dt, a, helpers, calls=None):
        """C expression for elementwise `op` on operands `a` of dtype src_dt giving dt: the
        primitive's spelling (codegen/primitives.py) for the operands' type. The stems of
        the libm functions it calls are added to `calls` (a set), when given."""
        calls = set() if calls is None else calls
        if op == "pow":
            return self._pow(src_dt, dt, a[0], a[1], helpers, calls)
        p = primitives.BY_NAME[op]
        fl = is_float(src_dt)
        spelling = p.c_float if fl else (p.c_bool or p.c_int) if src_dt == "bool" else p.c_int
        if spelling is None:
            raise NotImplementedError(f"no C spelling for op {op!r} on {src_dt}")
        kind = primitives.HELPER_KIND.get(src_dt, "i")
        if p.helper and "lt_" in spelling:
            helpers.add(p.helper.format(kind=kind))
        names = dict(zip("xyz", a), ctype=self.value_ctype(dt), kind=kind)
        return spelling.format_map(_LibmNames(names, "" if src_dt == "float64" else "f", calls))

    def _pow(self, src_dt, dt, x, y, helpers, calls):
        fl = is_float(src_dt)
        if fl and y in ("2.0f", "2.0"):
            return f"{x} * {x}"         # exactly pow(x, 2), as PyTorch computes it, and cheap
        # PyTorch's float32/float64 kernel multiplies for these exponents too (powf(x, 3)
        # differs from its (x * x) * x in the last bit, and costs a libm call)
        if src_dt in ("float32", "float64") and y in _MULTIPLIED_POWERS:
            return _MULTIPLIED_POWERS[y].format(x=x)
        if fl:
            calls.add("pow")
            return f"{self._f(src_dt, 'pow')}({x}, {y})"
        helpers.add("ipow")
        return f"({self.value_ctype(dt)})lt_ipow({x}, {y})"

    # -- reductions ----------------------------------------------------------------------
    def acc_ctype(self, op, src_dt):
        """Sums of floats accumulate in double; a float16 product rounds every step to
        float16, as PyTorch's does."""
        if op in ("sum", "prod") and is_float(src_dt) and (op, src_dt) != ("prod", "float16"):
            return "double"
        if op == "m2":
            return "double"
        return self.value_ctype(src_dt)

    def reduce_extra(self, op, acc):
        """Declarations (Binds) of the state a reduction keeps beside its accumulator."""
        if op == "m2":
            return [Bind("double", f"{acc}_mean", "0"), Bind("int64_t", f"{acc}_n", "0")]
        return []

    def reduce_init(self, op, src_dt):
        if op in ("sum", "m2"):
            return "0"
        if op == "prod":
            return "1"
        lowest = op in ("max", "argmax")
        if is_float(src_dt):
            return "-INFINITY" if lowest else "INFINITY"
        lo, hi = _INT_LIMITS[src_dt]
        return lo if lowest else hi

    def reduce_update(self, op, src_dt, acc, v, index_var, index_expr):
        """The statements adding value v to the accumulator; index_expr (an index tree) is
        the position an argmax/argmin records."""
        if op == "sum":
            return [f"{acc} += {v};"]
        if op == "m2":
            # Welford's update in double, in order, as PyTorch's CPU std/var over a dim
            # (WelfordOps): acc is the sum of squared deviations from the running mean
            return [f"{acc}_n += 1;",
                    f"{{ const double d_ = (double){v} - {acc}_mean; "
                    f"{acc}_mean = {acc}_mean + d_ / (double){acc}_n; "
                    f"{acc} = {acc} + d_ * ((double){v} - {acc}_mean); }}"]
        if op == "prod":
            return [f"{acc} *= {v};"]
        cmp = ">" if op in ("max", "argmax") else "<"
        better = f"{v} {cmp} {acc}"
        if is_float(src_dt):
            # NaN wins and stays, as in PyTorch.
            better = f"{v} {cmp} {acc} || ({v} != {v} && {acc} == {acc})"
        if op in ("max", "min"):
            return [f"if ({better}) {acc} = {v};"]
        return [Spliced((f"if ({better}) {{ {acc} = {v}; {index_var} = ", index_expr,
                         "; }"))]

    def cast_acc(self, dt, value):
        return value if dt == "bfloat16" else f"({self.value_ctype(dt)}){value}"


@functools.lru_cache(maxsize=None)
def environment():
    """The templates' environment. Jinja turns each template into Python code once a process
    (a quarter of a second for ours, a third of a warm tutorial run); that code is kept in the
    cache directory, next to the compiled programs, where the directory is safe to load from."""
    root = importlib.resources.files("lazytensor.templates")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(root)),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined,
                             bytecode_cache=_bytecode_cache())
    env.tests["statement"] = lambda s: isinstance(s, Statement)
    return env


def _bytecode_cache():
    root = cache_dir.cache_dir()
    path = cache_dir.private_dir(root, "templates") if cache_dir.safe_dir(root) else None
    return _VerifiedBytecodeCache(path) if path else None


class _VerifiedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, each file prefixed with the SHA-256 of its contents: a truncated
    or damaged file (which made every new program fail to render, or could run corrupted
    bytecode) is a miss, removed and written again. Files are written under a temporary
    name and renamed."""

    def load_bytecode(self, bucket):
        path = self._get_cache_filename(bucket)
        if not cache_dir.private_file(path):
            return
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError:
            return
        digest, data = raw[:32], raw[32:]
        try:
            if hashlib.sha256(data).digest() != digest:
                raise ValueError("damaged")
            bucket.bytecode_from_string(data)
        except Exception:           # noqa: BLE001 - any damage is a miss
            bucket.reset()
            try:
                os.unlink(path)
            except OSError:
                pass

    def dump_bytecode(self, bucket):
        data = bucket.bytecode_to_string()
        try:
            cache_dir.write_atomic(self._get_cache_filename(bucket),
                                   hashlib.sha256(data).digest() + data)
        except OSError:             # a full disk: the templates compile again next time
            pass


@functools.lru_cache(maxsize=None)
def templates_digest():
    """A hash of every template's text: part of the disk-cache key (read once a process:
    the templates are package data and do not change while it runs)."""
    root = importlib.resources.files("lazytensor.templates")
    h = hashlib.sha256()
    for sub in sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != "__pycache__"):
        for t in sorted(root.joinpath(sub).iterdir(), key=lambda p: p.name):
            if t.name.endswith(".j2"):
                h.update(t.name.encode())
                h.update(t.read_bytes())
    return h.hexdigest()


def render_kernel(spec, dialect):
    tmpl = environment().get_template(f"{dialect.template_dir}/{spec.kind}.{dialect.name}.j2")
    spec.source = tmpl.render(k=spec)
    return spec.source


def render_program(specs, dialect, entry="lt_program"):
    """One translation unit: prelude helpers, every kernel, one entry point."""
    helpers = set()
    for s in specs:
        helpers |= s.helpers
    tmpl = environment().get_template(f"{dialect.template_dir}/program.{dialect.name}.j2")
    return tmpl.render(kernels=specs, helpers=helpers, entry=entry,
                       libm=primitives.libm_functions())
