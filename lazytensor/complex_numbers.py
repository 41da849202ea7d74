"""Complex tensors (complex64, complex128): their arithmetic, parts and views.

A complex tensor is stored as NumPy stores it, interleaved (real, imaginary) pairs, so
views, copies and casts to and from it are ordinary kernels (the C renderer's types are C99's
`float _Complex` / `double _Complex`). The arithmetic itself is not generated C: each op on a
complex operand is one NumPy `extern` node (explain() lists them). NumPy's complex functions
follow C99's branch cuts and special values, as PyTorch's do, and an extern was far simpler
than teaching the renderer complex libm calls; values agree with PyTorch's to rounding.
ops.elementwise, ops.unary, ops.reduce and linalg's product send complex operands here;
everything else about a complex tensor (shape, views, printing) is shared.

Differences from PyTorch: `conj()` returns a conjugated copy, not a lazy view with a
conjugate bit (the values are the same; `is_conj()` is False); `.real`, `.imag` and
`view_as_real` are copies, not views (a tensor's dtype is its storage's here), so an in-place
op on `z.real` does not reach `z` (assigning `z.real = v` does); no gradients through complex
values (refused at the call).
"""
import builtins
import functools
import sys

import numpy as np

from . import dtypes, graph, ops
from .autograd_graph import is_grad_enabled
from .out import write_out
from .tensor import Tensor, wrap

# primitive unary op -> NumPy function over complex values (result complex unless listed in
# _REAL_RESULT or _BOOL_RESULT)
_UNARY = {
    "neg": np.negative, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin,
    "cos": np.cos, "tan": np.tan, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
    "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh, "log2": np.log2, "log10": np.log10,
    "log1p": np.log1p, "expm1": np.expm1, "square": np.square,
    "reciprocal": lambda z: 1 / z, "rsqrt": lambda z: 1 / np.sqrt(z),
    "exp2": lambda z: np.power(2, z), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "abs": np.abs, "isnan": np.isnan, "logical_not": np.logical_not,
}
_REAL_RESULT = frozenset(("abs",))
_BOOL_RESULT = frozenset(("isnan", "logical_not"))

# PyTorch's refusals of unary ops on complex input: op -> (exception, message); {} is the
# ScalarType name
_UNARY_ERRORS = {
    "ceil": (NotImplementedError, "ceil is not supported for complex inputs"),
    "floor": (NotImplementedError, "floor is not supported for complex inputs"),
    "trunc": (NotImplementedError, "trunc is not supported for complex inputs"),
    "relu": (NotImplementedError, "clamp is not supported for complex types"),
    "sign": (NotImplementedError, "Unlike NumPy, torch.sign is not intended to support "
             "complex numbers. Please use torch.sgn instead."),
    "signbit": (NotImplementedError, "signbit is not implemented for complex tensors."),
    "frac": (NotImplementedError, "\"frac_cpu\" not implemented for '{}'"),
    "round": (NotImplementedError, "\"round_vml_cpu\" not implemented for '{}'"),
    "erf": (NotImplementedError, "\"erf_vml_cpu\" not implemented for '{}'"),
    "erfc": (NotImplementedError, "\"erfc_vml_cpu\" not implemented for '{}'"),
    "lgamma": (NotImplementedError, "\"lgamma_vml_cpu\" not implemented for '{}'"),
    "bitwise_not": (NotImplementedError, "\"bitwise_not_cpu\" not implemented for '{}'"),
}

_BINARY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
           "pow": lambda x, y: _exp_log_pow(x, y), "eq": np.equal, "ne": np.not_equal,
           "logical_and": np.logical_and, "logical_or": np.logical_or,
           "logical_xor": np.logical_xor}
_BOOL_BINARY = frozenset(("eq", "ne", "logical_and", "logical_or", "logical_xor"))
# ATen's kernel names in its "not implemented" errors, where they differ from `<op>_cpu`
_BINARY_KERNEL = {"floordiv": "div_floor_cpu", "mod": "remainder_cpu"}
_BINARY_ERRORS = {"maximum": "maximum not implemented for complex tensors.",
                  "minimum": "minimum not implemented for complex tensors."}


def _fail(d, message, kind=NotImplementedError):
    raise kind(message.format(ops.torch_name(d)))


def _input(x, compute, shape):
    """x as a node to read in the extern, broadcast to shape: complex tensors as they are,
    real ones cast (in generated code) to the complex dtype's part type first, so that the
    extern only ever sees float or complex arrays."""
    n = x._node
    if not n.dtype.is_complex:
        n = ops.cast_node(n, dtypes.to_real(compute))
    return graph.expand(n, shape)


def _numpy_fn(fn, compute, out, scalars):
    """fn over the extern's arrays (as compute's NumPy type), with the Python scalars put
    back at their positions; the result as out's NumPy type."""
    c = compute.np_storage

    def run(*arrays):
        it = iter(arrays)
        args = [next(it).astype(c) if s is None else c.type(s) for s in scalars]
        with np.errstate(all="ignore"):
            return np.asarray(fn(*args)).astype(out.np_storage, copy=False)
    return run


def elementwise(op, operands):
    """(node, dtype) of a binary op with a complex operand, or PyTorch's error."""
    common = ops.result_type(operands)
    if op in ("lt", "le", "gt", "ge", "atan2", "copysign", "hypot", "fmod", "floordiv", "mod",
              "bitwise_and", "bitwise_or", "bitwise_xor", "lshift", "rshift"):
        _fail(common, f'"{_BINARY_KERNEL.get(op, op + "_cpu")}" not implemented for \'{{}}\'')
    if op in _BINARY_ERRORS:
        _fail(common, _BINARY_ERRORS[op], RuntimeError)
    if op not in _BINARY:
        _fail(common, f"{op} is not supported for complex inputs")
    tensors = [x for x in operands if isinstance(x, Tensor)]
    ops.check_same_device(tensors)
    _check_cpu(tensors)
    shape = ops.broadcast_shapes(*(t._shape for t in tensors)) if tensors else ()
    out = dtypes.bool_ if op in _BOOL_BINARY else common
    srcs = tuple(_input(x, common, shape) for x in tensors)
    scalars = [x if not isinstance(x, Tensor) else None for x in operands]
    fn = _pow_fn(operands[1]) if op == "pow" else _BINARY[op]
    return graph.extern(f"complex.{op}", _numpy_fn(fn, common, out, scalars), out,
                        shape, srcs), out


def _exp_log_pow(x, y):
    """x ** y as exp(y * log(x)), as PyTorch's complex pow computes it (C's cpow)."""
    return np.exp(y * np.log(x))


# PyTorch's complex pow by a Python number: these exponents are products, roots or
# reciprocals (exact where exp(y log x) is not: (1+1j) ** 2 is 2j); others exp(y log x)
_SCALAR_POWERS = {0: lambda x, y: np.ones_like(x), 1: lambda x, y: x.copy(),
                  0.5: lambda x, y: np.sqrt(x), 2: lambda x, y: x * x,
                  3: lambda x, y: x * x * x, -0.5: lambda x, y: 1 / np.sqrt(x),
                  -1: lambda x, y: 1 / x, -2: lambda x, y: 1 / (x * x)}


def _pow_fn(exponent):
    if isinstance(exponent, Tensor) or builtins.complex(exponent).imag != 0:
        return _exp_log_pow
    return _SCALAR_POWERS.get(builtins.complex(exponent).real, _exp_log_pow)


def unary(op, x):
    """(node, dtype) of a unary op on a complex tensor, or PyTorch's error."""
    d = x.dtype
    if op in _UNARY_ERRORS:
        kind, message = _UNARY_ERRORS[op]
        _fail(d, message, kind)
    if op not in _UNARY:
        _fail(d, f"{op} is not supported for complex inputs")
    _check_cpu([x])
    out = dtypes.to_real(d) if op in _REAL_RESULT else \
        dtypes.bool_ if op in _BOOL_RESULT else d
    return graph.extern(f"complex.{op}", _numpy_fn(_UNARY[op], d, out, [None]), out,
                        x._shape, (x._node,)), out


def reduce(op, x, axes, keepdim, dtype):
    """(node, dtype) of sum or prod of a complex tensor over axes (all when None); PyTorch's
    errors for the others."""
    d = dtype or x.dtype
    if op in ("sum", "prod") and not d.is_complex:     # the real parts, as PyTorch casts
        return ops.reduce(op, x.to(d), axes, keepdim, d)
    if op in ("argmax", "argmin"):
        _fail(d, f"{op}(): does not support complex input", RuntimeError)
    if op not in ("sum", "prod"):
        _fail(d, f"\"{op}_all\" not implemented for '{{}}'")
    _check_cpu([x])
    ndim = len(x._shape)
    axes = tuple(range(ndim)) if axes is None else tuple(axes)
    shape = tuple(1 if i in axes and keepdim else s for i, s in enumerate(x._shape)
                  if keepdim or i not in axes)
    fn = np.sum if op == "sum" else np.prod
    c = d.np_storage

    def run(a):
        with np.errstate(all="ignore"):
            return np.asarray(fn(a.astype(c), axis=axes, keepdims=keepdim), dtype=c)
    return graph.extern(f"complex.{op}", run, d, shape, (x._node,)), d


def contract(a2, b2):
    """a2 [..., m, k] @ b2 [..., k, n] of complex matrices (one dtype): NumPy's matmul."""
    _check_cpu([a2, b2])
    batch = ops.broadcast_shapes(a2._shape[:-2], b2._shape[:-2])
    shape = batch + (a2._shape[-2], b2._shape[-1])
    c = a2.dtype.np_storage

    def run(a, b):
        return np.matmul(a, b).astype(c, copy=False)
    return wrap(graph.extern("complex.matmul", run, a2.dtype, shape, (a2._node, b2._node)),
                a2.device)


def check_no_grad(tensors, what):
    """Gradients through complex values are not implemented: refuse at the call (a result
    that silently dropped its inputs' requires_grad would give wrong gradients)."""
    if is_grad_enabled() and any(isinstance(t, Tensor) and t.requires_grad for t in tensors):
        raise NotImplementedError(
            f"lazytensor: gradients through complex numbers are not implemented ({what}); "
            "detach() the input or compute under no_grad()")


def _check_cpu(tensors, what="complex arithmetic"):
    check_no_grad(tensors, what)
    for t in tensors:
        if t.device.type != "cpu":
            raise NotImplementedError(
                "lazytensor: complex arithmetic on CUDA is not implemented (the CUDA renderer "
                "has no complex types); move the tensor to the CPU with .cpu()")


# -- the parts of a complex tensor --------------------------------------------------------
def _extern1(name, fn, x, dtype, shape=None):
    _check_cpu([x])
    return wrap(graph.extern(name, fn, dtype, x._shape if shape is None else shape,
                             (x._node,)), x.device)


def real(x):
    """x.real: the real parts (a copy here; a view in PyTorch). A real tensor is itself."""
    if not x.dtype.is_complex:
        return x
    return _extern1("complex.real", np.real, x, dtypes.to_real(x.dtype))


def imag(x):
    """x.imag: the imaginary parts (a copy here; a view in PyTorch)."""
    if not x.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _extern1("complex.imag", np.imag, x, dtypes.to_real(x.dtype))


def _set_part(x, value, part):
    """x.real = value / x.imag = value: the part replaced in place (x's other part kept)."""
    if not x.dtype.is_complex:
        if part == 1:
            raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
        x.copy_(value)
        return
    other = imag(x) if part == 0 else real(x)
    value = value if isinstance(value, Tensor) else \
        Tensor._from_array(np.asarray(value, dtypes.to_real(x.dtype).np_storage))
    value = value.to(other.dtype).expand(x.shape)
    x.copy_(complex(value, other) if part == 0 else complex(other, value))


def conj(x):
    """The complex conjugate (a copy; PyTorch's is a lazy view). A real tensor is itself."""
    if not x.dtype.is_complex:
        return x
    return _extern1("complex.conj", np.conjugate, x, x.dtype)


conj_physical = conj


def angle(x):
    """The argument of each element (real tensors: 0, or pi for negative numbers, NaN kept),
    in the real dtype; integers give the default float dtype."""
    d = x.dtype
    if d.is_complex:
        return _extern1("complex.angle", np.angle, x, dtypes.to_real(d))
    out = d if d.is_floating_point else dtypes.get_default_dtype()
    # PyTorch: pi where x < 0, x where x is NaN, else 0
    x = x.to(out)
    return (x < 0).to(out) * np.pi + x * (x != x).to(out)


def sgn(x):
    """x / |x| (0 where x is 0) for complex x; sign(x) for real x."""
    if not x.dtype.is_complex:
        return x.sign()

    def fn(z):
        with np.errstate(all="ignore"):
            a = np.abs(z)
            return np.where(a == 0, 0, z / np.where(a == 0, 1, a)).astype(z.dtype)
    return _extern1("complex.sgn", fn, x, x.dtype)


def view_as_real(x):
    """The (..., 2) real tensor of x's real and imaginary parts (a copy here)."""
    if not x.dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    part = dtypes.to_real(x.dtype)
    return _extern1("complex.view_as_real",
                    lambda z: np.ascontiguousarray(z).view(part.np_storage).reshape(
                        z.shape + (2,)), x, part, x._shape + (2,))


def view_as_complex(x):
    """The complex tensor whose parts are x's last dimension (of size 2), PyTorch's checks."""
    if x.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError("view_as_complex is only supported for half, float and double "
                           "tensors, "
                           f"but got a tensor of scalar type: {ops.torch_name(x.dtype)}")
    if not x._shape or x._shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if x._strides[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in x._strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if x._offset % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    d = dtypes.to_complex(x.dtype)
    return _extern1("complex.view_as_complex",
                    lambda a: np.ascontiguousarray(a).view(d.np_storage)[..., 0], x, d,
                    x._shape[:-1])


def complex(real, imag, *, out=None):
    """torch.complex(real, imag): real + imag * 1j, both float32 or both float64."""
    for name, pos, t in (("real", 1, real), ("imag", 2, imag)):
        if not isinstance(t, Tensor):
            raise TypeError(f"complex(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(t).__name__}")
    if real.dtype not in (dtypes.float32, dtypes.float64, dtypes.float16):
        raise RuntimeError("Expected both inputs to be Half, Float or Double tensors but got "
                           f"{ops.torch_name(real.dtype)} and {ops.torch_name(imag.dtype)}")
    if imag.dtype is not real.dtype:
        raise RuntimeError(f"Expected object of scalar type {ops.torch_name(real.dtype)} but "
                           f"got scalar type {ops.torch_name(imag.dtype)} for second argument")
    return _pair("complex", lambda a, b: a + 1j * b.astype(a.dtype), real, imag, out)


def polar(abs, angle, *, out=None):
    """torch.polar(abs, angle): abs * (cos(angle) + i sin(angle))."""
    for name, pos, t in (("abs", 1, abs), ("angle", 2, angle)):
        if not isinstance(t, Tensor):
            raise TypeError(f"polar(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(t).__name__}")
    if abs.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError("Expected both inputs to be Float or Double tensors but got "
                           f"{ops.torch_name(abs.dtype)} and {ops.torch_name(angle.dtype)}")
    if angle.dtype is not abs.dtype:
        raise RuntimeError(f"Expected object of scalar type {ops.torch_name(abs.dtype)} but "
                           f"got scalar type {ops.torch_name(angle.dtype)} for second argument")

    def fn(r, t):
        z = np.empty(r.shape, dtypes.to_complex(abs.dtype).np_storage)
        z.real = r * np.cos(t)
        z.imag = r * np.sin(t)
        return z
    return _pair("polar", fn, abs, angle, out)


def _pair(name, fn, a, b, out):
    ops.check_same_device([a, b])
    _check_cpu([a, b])
    shape = ops.broadcast_shapes(a._shape, b._shape)
    d = dtypes.to_complex(a.dtype)
    c = d.np_storage
    result = wrap(graph.extern(f"complex.{name}", lambda x, y: fn(x, y).astype(c, copy=False),
                               d, shape, (graph.expand(a._node, shape),
                                          graph.expand(b._node, shape))), a.device)
    if out is not None:
        return write_out(out, result)
    return result


def is_complex(input):
    return input.dtype.is_complex


def _set_real(x, v):
    _set_part(x, v, 0)


def _set_imag(x, v):
    _set_part(x, v, 1)


def __complex__(self):
    return builtins.complex(self._one_element())


def resolve_conj(self):
    """Tensor.resolve_conj(): self (a conjugate here is a copy, never a lazy view)."""
    return self


def is_conj(self):
    return False


def _attach():
    Tensor.real = property(real, _set_real)
    Tensor.imag = property(imag, _set_imag)
    for f in (conj, angle, sgn, is_complex):
        setattr(Tensor, f.__name__, f)
    Tensor.conj_physical = conj_physical
    Tensor.__complex__ = __complex__
    # the conjugate transposes: conjugated copies for complex tensors (views otherwise)
    for name in ("H", "mH"):
        plain = getattr(Tensor, name).fget
        setattr(Tensor, name, property(lambda x, plain=plain: conj(plain(x)),
                                       doc=f"Tensor.{name}: the conjugate transpose."))
    Tensor.resolve_conj = resolve_conj
    Tensor.is_conj = is_conj


_attach()
ops._complex_module.append(sys.modules[__name__])


# -- functions built on real arithmetic -----------------------------------------------------
# PyTorch's refusals of complex input for functions that lazytensor composes of real-only
# steps (which would otherwise compute from the real parts): name -> (exception, message,
# "{}" the ScalarType name). The in-place forms refuse alike.
_NOT_IMPL = "\"{}\" not implemented for '{{}}'"
_REFUSED = {
    "deg2rad": (RuntimeError, "deg2rad is not supported for complex tensors."),
    "rad2deg": (RuntimeError, "rad2deg is not supported for complex tensors."),
    "isposinf": (RuntimeError, "isposinf does not support complex inputs."),
    "isneginf": (RuntimeError, "isneginf does not support complex inputs."),
    "heaviside": (RuntimeError, "heaviside is not yet implemented for complex tensors."),
    "digamma": (NotImplementedError, _NOT_IMPL.format("digamma")),
    "erfinv": (NotImplementedError, _NOT_IMPL.format("erfinv_vml_cpu")),
    "i0": (NotImplementedError, _NOT_IMPL.format("i0_vml_cpu")),
    "logit": (NotImplementedError, _NOT_IMPL.format("logit_cpu")),
    "xlogy": (NotImplementedError, _NOT_IMPL.format("xlogy_cpu")),
    "hardshrink": (NotImplementedError, _NOT_IMPL.format("hardshrink_cpu")),
    "gelu": (NotImplementedError, _NOT_IMPL.format("GeluKernelImpl")),
    "celu": (NotImplementedError, _NOT_IMPL.format("elu_cpu")),
    "selu": (NotImplementedError, _NOT_IMPL.format("elu_cpu")),
    "elu": (NotImplementedError, _NOT_IMPL.format("elu_cpu")),
    "rrelu": (NotImplementedError, _NOT_IMPL.format("leaky_relu_cpu")),
    "leaky_relu": (NotImplementedError, _NOT_IMPL.format("leaky_relu_cpu")),
    "mse_loss": (NotImplementedError, _NOT_IMPL.format("mse_cpu")),
    "unique_consecutive": (NotImplementedError, _NOT_IMPL.format("unique")),
    "aminmax": (NotImplementedError, _NOT_IMPL.format("aminmax_cpu")),
    "histc": (NotImplementedError, _NOT_IMPL.format("aminmax_cpu")),
    "bincount": (NotImplementedError, _NOT_IMPL.format("bincount_cpu")),
    "bernoulli": (NotImplementedError, _NOT_IMPL.format("bernoulli_tensor_cpu_self_")),
    "bernoulli_": (NotImplementedError, _NOT_IMPL.format("bernoulli_scalar_cpu_")),
    "random_": (NotImplementedError, _NOT_IMPL.format("random_kernel_cpu")),
    "nanmean": (RuntimeError, "nansum on CPU does not support complex inputs"),
    "gcd": (NotImplementedError, _NOT_IMPL.format("gcd_cpu")),
    "fmax": (RuntimeError, "fmax not implemented for complex tensors."),
    "fmin": (RuntimeError, "fmin not implemented for complex tensors."),
    "lcm": (NotImplementedError, _NOT_IMPL.format("lcm_cpu")),
    "searchsorted": (NotImplementedError, _NOT_IMPL.format("searchsorted_out_cpu")),
    "bucketize": (NotImplementedError, _NOT_IMPL.format("searchsorted_out_cpu")),
    "isin": (RuntimeError, "Unsupported input type encountered for isin(): {}"),
    "cdist": (RuntimeError, "cdist only supports floating-point dtypes, X1 got: {}"),
    "cov": (NotImplementedError, "lazytensor: cov of complex tensors is not implemented"),
    "corrcoef": (NotImplementedError,
                 "lazytensor: corrcoef of complex tensors is not implemented"),
}


def _sinc(x):
    """sin(pi x) / (pi x), 1 at 0, for complex x."""
    px = x * np.pi
    return (px.sin() / px).where(x != 0, 1.0)


def _isreal(x):
    return imag(x) == 0


def _float_power(input, exponent):
    """float_power with a complex operand: pow in complex128."""
    base = input.to(dtypes.complex128) if isinstance(input, Tensor) else builtins.complex(input)
    if isinstance(exponent, Tensor):
        return base ** exponent.to(dtypes.complex128)
    return base ** builtins.complex(exponent)


def _float_power_(x, y):
    if x.dtype is not dtypes.complex128:
        raise RuntimeError(f"the base given to float_power_ has dtype {ops.torch_name(x.dtype)} "
                           "but the operation's result requires dtype ComplexDouble")
    return x.copy_(_float_power(x, y))


def _ldexp(input, other):
    """input * 2 ** other, as PyTorch composes it."""
    return input * (2.0 ** other)


_COMPLEX_VERSIONS = {"sinc": _sinc, "isreal": _isreal, "float_power": _float_power,
                     "ldexp": _ldexp, "sinc_": lambda x: x.copy_(_sinc(x)),
                     "sgn_": lambda x: x.copy_(sgn(x)),
                     "float_power_": lambda x, y: _float_power_(x, y),
                     "ldexp_": lambda x, y: x.copy_(_ldexp(x, y))}


def _complex_argument(args, kwargs):
    """The first complex tensor among the arguments, or None."""
    for x in (*args, *kwargs.values()):
        if isinstance(x, Tensor) and x.dtype.category == 3:
            return x
    return None


def _check_inplace(name, args, z):
    """An in-place form writing a complex result into a real tensor: PyTorch's error."""
    if name.endswith("_") and name != "float_power_" and args and \
            isinstance(args[0], Tensor) and \
            args[0].dtype.category != 3:
        raise RuntimeError(f"result type {ops.torch_name(z.dtype)} can't be cast to the "
                           f"desired output type {ops.torch_name(args[0].dtype)}")


def _refusing(fn, name):
    kind, message = _REFUSED[name.rstrip("_")] if name not in _REFUSED else _REFUSED[name]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        z = _complex_argument(args, kwargs)
        if z is not None:
            _check_inplace(name, args, z)
            raise kind(message.format(ops.torch_name(z.dtype)))
        return fn(*args, **kwargs)
    return wrapper


def _dispatching(fn, complex_fn, name):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        z = _complex_argument(args, kwargs)
        if z is not None:
            _check_inplace(name, args, z)
            check_no_grad(args, name)
            return complex_fn(*args, **kwargs)
        return fn(*args, **kwargs)
    return wrapper


def guard_real_only(*namespaces):
    """Wrap the functions above (in the namespaces given, dicts, and as Tensor methods):
    called last by the package, so that the check runs before anything else."""
    def wrapped(name, fn):
        base = name.rstrip("_")
        if name in _COMPLEX_VERSIONS:
            return _dispatching(fn, _COMPLEX_VERSIONS[name], name)
        if name in _REFUSED or base in _REFUSED:
            return _refusing(fn, name)
        return None
    for name in list(_REFUSED) + [n + "_" for n in _REFUSED] + list(_COMPLEX_VERSIONS):
        for namespace in namespaces:
            fn = namespace.get(name)
            if callable(fn) and not isinstance(fn, type):
                namespace[name] = wrapped(name, fn)
        fn = Tensor.__dict__.get(name)
        if callable(fn):
            setattr(Tensor, name, wrapped(name, fn))
