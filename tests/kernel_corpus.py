"""A fixed corpus of graphs and the C and CUDA source lazytensor generates for them.

A refactoring of the op tables, the lowering or the templates must not change generated code
by accident: tests/test_kernel_corpus.py renders every entry again and compares the text
with the recorded one, byte for byte. When a change to the text is deliberate, record again
and explain the change in the commit:

    python tests/kernel_corpus.py --record

Rendering compiles and runs nothing (lazytensor.explain). The source depends on the thread
count (how a long sum is cut into chunks), which is pinned to RECORDED_THREADS here.
"""
import contextlib
import difflib
import os
import sys

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "kernel_corpus")
BACKENDS = ("c", "cuda")
RECORDED_THREADS = 2
SEPARATOR = "\n//// corpus entry: "

_RNG = np.random.default_rng(0)


def _buf(lt, shape, dtype="float32"):
    """A realised tensor (its values do not matter: only the source is compared)."""
    np_dtype = {"bfloat16": "float32", "bool": "bool"}.get(dtype, dtype)
    data = _RNG.standard_normal(shape).astype(np_dtype) if np_dtype != "bool" else \
        _RNG.standard_normal(shape) > 0
    return lt.tensor(data, dtype=getattr(lt, dtype if dtype != "bool" else "bool"))


UNARY_FLOAT = ("abs", "neg", "exp", "exp2", "log", "log2", "log1p", "expm1", "sqrt", "rsqrt",
               "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid",
               "relu", "floor", "ceil", "round", "trunc", "sign", "reciprocal", "square",
               "log10", "erf", "erfc", "frac", "isnan", "signbit", "logical_not")
UNARY_INT = ("abs", "neg", "sign", "square", "bitwise_not", "logical_not", "exp", "sqrt",
             "sin", "relu", "signbit")
BINARY_FLOAT = ("add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "pow",
                "atan2", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge",
                "logical_and", "logical_or", "logical_xor", "copysign", "hypot")
BINARY_INT = ("add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "pow",
              "maximum", "minimum", "eq", "lt", "bitwise_and", "bitwise_or", "bitwise_xor",
              "bitwise_left_shift", "bitwise_right_shift", "logical_and")


def _unary(dtype, names):
    def build(lt):
        x = _buf(lt, (5, 7), dtype)
        return [getattr(lt, n)(x) for n in names]
    return build


def _binary(dtype, names, other_shape=(7,)):
    def build(lt):
        x, y = _buf(lt, (5, 7), dtype), _buf(lt, other_shape, dtype)
        if dtype.startswith("int"):
            y = y.abs() + 1
        return [getattr(lt, n)(x, y) for n in names]
    return build


def _scalars(lt):
    x = _buf(lt, (6, 5))
    i = _buf(lt, (6, 5), "int64")
    return [x * 2.5 + 1, x ** 2, x ** 3, x ** -2, x ** -1, x ** 0.5, 2.0 ** x, 1 / x,
            x > 0.25, i // 3, i % 4, i ** 2, i << 2, x.clamp(-1, 1), x.clamp(min=0)]


def _mixed(lt):
    x, h, b = _buf(lt, (4, 6)), _buf(lt, (4, 6), "float16"), _buf(lt, (4, 6), "bfloat16")
    i, m = _buf(lt, (4, 6), "int32"), _buf(lt, (4, 6), "bool")
    return [x + h, h * 3, b + b, b.float(), h.sum(), i + x, i.float(), x.int(), m & (i > 0),
            lt.where(m, x, 0.0), x.lerp(x * 2, 0.3), lt.addcmul(x, x, x, value=0.5),
            lt.addcdiv(x, x, x + 4), x.double() * 3, m.sum()]


def _reductions(lt):
    x = _buf(lt, (3, 4, 5))
    return [x.sum(), x.sum(0), x.sum(1), x.sum(-1), x.prod(-1), x.max(), x.amin(1),
            x.argmax(-1), x.argmin(0), x.mean((0, 2)), x.var(1), x.std(), x.logsumexp(-1),
            x.softmax(-1), x.log_softmax(0), x.double().sum(-1), x.half().sum(0),
            _buf(lt, (3, 4), "int32").sum(1), x.norm(), x.cumsum(-1)]


def _large(lt):
    x = _buf(lt, (1 << 17,))
    m = _buf(lt, (512, 300))
    return [x.sum(), (x * 2).exp(), x.max(), m.sum(0), m.sum(1), m.half().sum(1),
            (m * m).sum(1, keepdim=True), m.argmax(1)]


def _matmul(lt):
    a, b = _buf(lt, (6, 9)), _buf(lt, (9, 5))
    big_a, big_b = _buf(lt, (128, 256)), _buf(lt, (256, 64))
    return [a @ b, a.double() @ b.double(), a.t().t() @ b, _buf(lt, (2, 6, 9)) @ b,
            _buf(lt, (3, 4), "int64") @ _buf(lt, (4, 2), "int64"), big_a @ big_b,
            a @ b[:, 0], _buf(lt, (9, 6)).t() @ b]


def _writes(lt):
    x, y = _buf(lt, (6, 8)), _buf(lt, (2, 8))
    x[1:3] = y
    z = _buf(lt, (6, 8))
    z[:, ::2] += 1.5
    w = _buf(lt, (6, 8))
    w.masked_fill_(w > 0, 0.0)
    v = _buf(lt, (6, 8))
    v.mul_(0.5).add_(y.sum(0))
    return [x, z, w, v]


def _movement(lt):
    x = _buf(lt, (4, 5, 6))
    return [x.permute(2, 0, 1).contiguous(), x.flip(1) + 1, x[:, 1:4:2].exp(),
            lt.cat([x, x * 2], 1), lt.stack([x[0], x[1]]).sum(0), x.expand(2, 4, 5, 6) * 2,
            x.transpose(0, 2).reshape(-1)[:7].sin()]


CORPUS = {
    "unary_float32": _unary("float32", UNARY_FLOAT),
    "unary_float64": _unary("float64", UNARY_FLOAT),
    "unary_float16": _unary("float16", UNARY_FLOAT),
    "unary_bfloat16": _unary("bfloat16", ("exp", "abs", "neg", "sqrt", "sigmoid", "round")),
    "unary_int32": _unary("int32", UNARY_INT),
    "unary_bool": _unary("bool", ("logical_not", "bitwise_not", "sign")),
    "binary_float32": _binary("float32", BINARY_FLOAT),
    "binary_float64_column": _binary("float64", BINARY_FLOAT, (5, 1)),
    "binary_float16": _binary("float16", ("add", "mul", "div", "pow", "maximum", "lt")),
    "binary_int64": _binary("int64", BINARY_INT),
    "binary_int8": _binary("int8", ("add", "mul", "floor_divide", "remainder", "pow")),
    "scalars": _scalars,
    "mixed_dtypes": _mixed,
    "reductions": _reductions,
    "large": _large,
    "matmul": _matmul,
    "writes": _writes,
    "movement": _movement,
}


@contextlib.contextmanager
def _pinned_threads():
    from lazytensor.codegen import parallel
    old = parallel.thread_count
    parallel.thread_count = lambda: RECORDED_THREADS
    try:
        yield
    finally:
        parallel.thread_count = old


def render(name, backend):
    """The program source lazytensor generates for the corpus entry `name`."""
    import lazytensor as lt
    with _pinned_threads():
        tensors = CORPUS[name](lt)
        return lt.explain(*tensors, backend=backend).source


def _path(backend):
    return os.path.join(DATA, f"{backend}.txt")


def recorded(backend):
    """{entry name: source} as recorded."""
    with open(_path(backend), encoding="utf-8") as f:
        text = f.read()
    out = {}
    for part in text.split(SEPARATOR)[1:]:
        name, _, source = part.partition("\n")
        out[name] = source
    return out


def diff(name, backend):
    """A unified diff of the recorded source against the source rendered now ('' if same)."""
    old = recorded(backend)[name].splitlines(keepends=True)
    new = render(name, backend).splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"recorded/{name}", f"now/{name}"))


def record():
    os.makedirs(DATA, exist_ok=True)
    for backend in BACKENDS:
        with open(_path(backend), "w", encoding="utf-8") as f:
            for name in CORPUS:
                f.write(SEPARATOR + name + "\n" + render(name, backend))


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit(__doc__)
    record()
    print(f"recorded {len(CORPUS)} entries for {', '.join(BACKENDS)} in {DATA}")
