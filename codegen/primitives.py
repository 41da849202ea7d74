"""The elementwise primitives, each declared once.

A primitive is an op a graph node can carry (`node.op`) and a kernel computes one element
at a time. Its entry says everything the layers above need:

- the graph (lazytensor/graph.py) takes the op names by arity;
- the dtype rules (lazytensor/ops.py) take `result`: "same" (the promoted dtype), "float"
  (integers and bools become the default float dtype), "bool" (a comparison or test),
  "logical" (operands read as bools, result bool), "integer" (the promoted dtype, which
  must not be floating point);
- the public API (lazytensor/elementwise.py) makes `torch.<public>`, its in-place `_` form,
  the Tensor methods, the aliases and the `out=` keyword from `public`, `aliases`,
  `operands` and `function`;
- autograd records `grad_fn` on results and takes `derivative`: for each operand, a
  function of the result's gradient `g`, the result `r` and the operands giving that
  operand's gradient (only those of operands that need one are called). They only call
  tensor methods, so they run on whatever tensors autograd hands them (and are themselves
  differentiated when a gradient is taken of a gradient). Autograd sums gradients of
  broadcast operands back to their shapes;
- the renderers (codegen/render.py for C, whose spellings CUDA shares) format `c_float`,
  `c_int` or `c_bool` with the operands `{x}`, `{y}`, `{z}`, the result's C type `{ctype}`,
  the helper kind `{kind}` (f, d or i) and any other `{name}`, a libm function, spelled for
  the operands' type (`{exp}` is `expf` for float, `exp` for double). `helper` names the
  prelude helper (templates/c/program.c.j2) that a spelling calling an `lt_` function
  needs, formatted the same way;
- `vector_math`: the libm function has a vector variant, so a loop calling it still
  vectorises (codegen/parallel.py);
- `scalar_input`: a Python number operand is a program input, not a literal (a loop's
  learning rate must not compile a program per value).

Spellings are only for what the operands can be after the dtype rule: a "float" op never
sees integer operands, so it has no `c_int`. A spelling of None there means the op's C is
written by the dialect itself (pow, whose exponent literal picks the formula).
"""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Primitive:
    name: str                       # the graph op
    arity: int
    result: str = "same"            # same | float | bool | logical | integer
    c_float: str = None
    c_int: str = None               # also for bools unless c_bool
    c_bool: str = None
    helper: str = None
    vector_math: bool = False
    scalar_input: bool = False
    public: str = None              # torch.<public>; None: not a public function of its own
    aliases: tuple = ()
    custom_function: bool = False   # the public function is written by hand (extra arguments)
    inplace: bool = True            # a Tensor method `<public>_`
    out: bool = True                # the function takes out=
    operands: str = "any"           # any | tensors (no Python-number overload) |
                                    # tensor_first (a number may only come second)
    doc: str = ""
    grad_fn: str = ""               # PyTorch's backward node name: "" for the usual
                                    # <Name>Backward0, None where the result has no gradient,
                                    # CALL_DEPENDENT where the operands decide (autograd.py)
    derivative: tuple = None        # per operand, (g, r, *operands) -> its gradient (None:
                                    # none); None: the op is not differentiable

    @property
    def backward_name(self):
        """The grad_fn name of a result, None when it has none (or CALL_DEPENDENT)."""
        if self.grad_fn != "":
            return self.grad_fn
        if self.result in ("bool", "logical", "integer"):
            return None
        return camel(self.public or self.name) + "Backward0"


CALL_DEPENDENT = "depends on the operands"
# PyTorch's grad_fn for a float result that has no derivative (floor division)
NOT_DIFFERENTIABLE = "torch::autograd::NotImplemented"


def camel(name):
    """PyTorch's node name stem: snake_case to CamelCase, a letter after a digit upper
    (log1p -> Log1P)."""
    out = "".join(p[:1].upper() + p[1:] for p in name.split("_"))
    return "".join(c.upper() if i and out[i - 1].isdigit() else c for i, c in enumerate(out))


def _libm(name, doc, vector=False, public=True, **kw):
    """A unary float function computed by libm's function `name`."""
    return Primitive(name, 1, "float", c_float="{%s}({x})" % name, vector_math=vector,
                     public=name if public else None, doc=doc, **kw)


def _infix(name, symbol, doc, result="same", **kw):
    spelling = "{x} %s {y}" % symbol
    return Primitive(name, 2, result, c_float=spelling, c_int=spelling, public=name,
                     doc=doc, scalar_input=kw.pop("scalar_input", True), **kw)


_LN2 = 0.6931471805599453
_LN10 = 2.302585092994046
_TWO_OVER_SQRT_PI = 1.1283791670955126


def _zero(g, r, *operands):
    """The derivative of a step function, or of an operand the result does not vary with."""
    return g.new_zeros(g.shape)


_ZERO = (_zero,)


def _is_number(v):
    return isinstance(v, (bool, int, float))


def _pow_base(g, r, x, y):
    """d(x ** y)/dx; as PyTorch, an exponent of 0 passes no gradient to the base."""
    if _is_number(y):
        if y == 0:
            return g.new_zeros(g.shape)
        # x ** 1 and x ** 0 need no pow (the values are the same)
        return g if y == 1 else g * (y * x) if y == 2 else g * (y * x.pow(y - 1))
    return (g * y * x.pow(y - 1)).where(y != 0, 0)


def _pow_exponent(g, r, x, y):
    """d(x ** y)/dy; as PyTorch, none where the base is 0 and the exponent non-negative
    (0 ** y is flat there)."""
    if _is_number(x):
        return g * r * math.log(x) if x != 0 else (g * r * -math.inf).where(y < 0, 0)
    return (g * r * x.log()).where((x != 0) | (y < 0), 0)


def _copysign_magnitude(g, r, x, y):
    """Through the magnitude only: the sign of the result over that of x (0 where x is 0)."""
    return (g * (r / x)).where(x != 0, 0)


def _extremum(wins):
    """The derivatives of maximum/minimum (wins(x, y): x > y for maximum): the gradient
    goes to the operand that wins, half to each on a tie."""
    def to_x(g, r, x, y):
        return g.where(x != y, g / 2).where(wins(y, x).logical_not(), 0)

    def to_y(g, r, x, y):
        return g.where(x != y, g / 2).where(wins(x, y).logical_not(), 0)
    return to_x, to_y


_ROUNDING = dict(c_int="{x}")           # an integer is already whole
_MAX = "{x} != {x} ? {x} : ({y} != {y} ? {y} : ({x} %s {y} ? {x} : {y}))"   # NaN wins

PRIMITIVES = (
    # -- unary ---------------------------------------------------------------------------
    Primitive("abs", 1, c_float="{fabs}({x})", c_int="({x} < 0 ? -{x} : {x})", public="abs",
              aliases=("absolute",), doc="The absolute value.",
              derivative=(lambda g, r, x: g * x.sign(),)),
    Primitive("neg", 1, c_float="-{x}", c_int="-{x}", public="neg", aliases=("negative",),
              doc="The negation.",
              derivative=(lambda g, r, x: -g,)),
    _libm("exp", "e to the power of the input.", vector=True,
              derivative=(lambda g, r, x: g * r,)),
    _libm("exp2", "2 to the power of the input.", vector=True,
              derivative=(lambda g, r, x: g * r * _LN2,)),
    _libm("log", "The natural logarithm.", vector=True,
              derivative=(lambda g, r, x: g / x,)),
    _libm("log2", "The base-2 logarithm.", vector=True,
              derivative=(lambda g, r, x: g / (x * _LN2),)),
    _libm("log10", "The base-10 logarithm.",
              derivative=(lambda g, r, x: g / (x * _LN10),)),
    _libm("log1p", "log(1 + input), accurate near 0.", vector=True,
              derivative=(lambda g, r, x: g / (x + 1),)),
    _libm("expm1", "exp(input) - 1, accurate near 0.", vector=True,
              derivative=(lambda g, r, x: g * (r + 1),)),
    _libm("sqrt", "The square root.",
              derivative=(lambda g, r, x: g / (2 * r),)),
    Primitive("rsqrt", 1, "float", c_float="1 / {sqrt}({x})", public="rsqrt",
              doc="The reciprocal of the square root.",
              derivative=(lambda g, r, x: -0.5 * g * r.pow(3),)),
    _libm("sin", "The sine.", vector=True,
              derivative=(lambda g, r, x: g * x.cos(),)),
    # cos is even, so cos(x + 0) is cos(x) for every x (-0 + 0 is +0); the addition keeps
    # GCC from merging sin(x) and cos(x) of one x into sincos, which has no vector variant
    # (a loop computing both, as a gradient of sin does, ran 6x slower)
    Primitive("cos", 1, "float", c_float="{cos}({x} + 0)", vector_math=True, public="cos",
              doc="The cosine.", derivative=(lambda g, r, x: g * -x.sin(),)),
    _libm("tan", "The tangent.", vector=True,
              derivative=(lambda g, r, x: g * (1 + r * r),)),
    _libm("asin", "The arcsine.", aliases=("arcsin",),
              derivative=(lambda g, r, x: g * (1 - x * x).rsqrt(),)),
    _libm("acos", "The arccosine.", aliases=("arccos",),
              derivative=(lambda g, r, x: -g * (1 - x * x).rsqrt(),)),
    _libm("atan", "The arctangent.", vector=True, aliases=("arctan",),
              derivative=(lambda g, r, x: g / (x * x + 1),)),
    _libm("sinh", "The hyperbolic sine.",
              derivative=(lambda g, r, x: g * x.cosh(),)),
    _libm("cosh", "The hyperbolic cosine.",
              derivative=(lambda g, r, x: g * x.sinh(),)),
    _libm("tanh", "The hyperbolic tangent.", vector=True,
              derivative=(lambda g, r, x: g * (1 - r * r),)),
    _libm("asinh", "The inverse hyperbolic sine.", aliases=("arcsinh",),
              derivative=(lambda g, r, x: g * (x * x + 1).rsqrt(),)),
    _libm("acosh", "The inverse hyperbolic cosine.", aliases=("arccosh",),
              derivative=(lambda g, r, x: g * (x * x - 1).rsqrt(),)),
    _libm("atanh", "The inverse hyperbolic tangent.", aliases=("arctanh",),
              derivative=(lambda g, r, x: g / (1 - x * x),)),
    _libm("lgamma", "The log of the gamma function's absolute value.",
              derivative=(lambda g, r, x: g * x.digamma(),)),
    _libm("erf", "The error function.",
              derivative=(lambda g, r, x: g * _TWO_OVER_SQRT_PI * (-x * x).exp(),)),
    _libm("erfc", "The complementary error function, 1 - erf(input).",
              derivative=(lambda g, r, x: -g * _TWO_OVER_SQRT_PI * (-x * x).exp(),)),
    Primitive("sigmoid", 1, "float", c_float="1 / (1 + {exp}(-{x}))", public="sigmoid",
              doc="The logistic function 1 / (1 + exp(-input)).",
              derivative=(lambda g, r, x: g * r * (1 - r),)),
    # keeps NaN and -0.0, as PyTorch does
    Primitive("relu", 1, c_float="{x} < 0 ? 0 : {x}", c_int="{x} < 0 ? 0 : {x}",
              public="relu", out=False, doc="max(input, 0).",
              derivative=(lambda g, r, x: g.where(r > 0, 0),)),
    Primitive("floor", 1, c_float="{floor}({x})", public="floor", doc="Rounded down.",
              **_ROUNDING,
              derivative=_ZERO),
    Primitive("ceil", 1, c_float="{ceil}({x})", public="ceil", doc="Rounded up.",
              **_ROUNDING,
              derivative=_ZERO),
    # `round` is public through elementwise.round (its `decimals`)
    Primitive("round", 1, c_float="{nearbyint}({x})", public="round", custom_function=True,
              doc="Rounded half to even.",
              **_ROUNDING,
              derivative=_ZERO),
    Primitive("trunc", 1, c_float="{trunc}({x})", public="trunc", aliases=("fix",),
              doc="Rounded toward zero.", **_ROUNDING,
              derivative=_ZERO),
    Primitive("frac", 1, c_float="{x} - {trunc}({x})", public="frac",
              doc="The fractional part, input - trunc(input).",
              derivative=(lambda g, r, x: g,)),
    Primitive("sign", 1, c_float="({x} > 0) - ({x} < 0)", c_int="({x} > 0) - ({x} < 0)",
              public="sign", doc="-1, 0 or 1, as the input is negative, zero or positive.",
              derivative=_ZERO),
    Primitive("reciprocal", 1, "float", c_float="1 / {x}", public="reciprocal",
              doc="1 / input.",
              derivative=(lambda g, r, x: -g * r * r,)),
    Primitive("square", 1, c_float="{x} * {x}", c_int="{x} * {x}", public="square",
              grad_fn="PowBackward0",
              doc="input * input.",
              derivative=(lambda g, r, x: g * 2 * x,)),
    Primitive("bitwise_not", 1, "integer", c_int="~{x}", c_bool="!{x}", public="bitwise_not",
              doc="The bitwise NOT (logical NOT of bools)."),
    Primitive("logical_not", 1, "bool", c_float="!{x}", c_int="!{x}", public="logical_not",
              doc="True where the input is zero."),
    Primitive("isnan", 1, "bool", c_float="{x} != {x}", c_int="{x} != {x}", public="isnan",
              inplace=False, out=False, doc="True where the input is NaN."),
    Primitive("signbit", 1, "bool", c_float="signbit({x})", c_int="{x} < 0", public="signbit",
              inplace=False, doc="True where the sign bit is set (-0.0 included)."),
    # -- binary --------------------------------------------------------------------------
    _infix("add", "+", "input + other (times alpha).", grad_fn="AddBackward0",
              derivative=(lambda g, r, x, y: g,
                          lambda g, r, x, y: g)),
    _infix("sub", "-", "input - other (times alpha).", aliases=("subtract",),
           grad_fn="SubBackward0",
              derivative=(lambda g, r, x, y: g,
                          lambda g, r, x, y: -g)),
    _infix("mul", "*", "input * other.", aliases=("multiply",), grad_fn="MulBackward0",
              derivative=(lambda g, r, x, y: g * y,
                          lambda g, r, x, y: g * x)),
    # `div` is public through elementwise.div (its rounding_mode)
    Primitive("div", 2, "float", c_float="{x} / {y}", c_int="{x} / {y}", scalar_input=True,
              public="div", custom_function=True, aliases=("divide", "true_divide"),
              grad_fn=CALL_DEPENDENT, doc="True division.",
              derivative=(lambda g, r, x, y: g / y,
                          lambda g, r, x, y: -g * x / (y * y))),
    Primitive("floordiv", 2, c_float="lt_floordiv_{kind}({x}, {y})",
              c_int="lt_floordiv_{kind}({x}, {y})", helper="floordiv_{kind}",
              public="floor_divide", grad_fn=NOT_DIFFERENTIABLE, doc="Division rounded toward minus infinity."),
    Primitive("mod", 2, c_float="lt_mod_{kind}({x}, {y})", c_int="lt_mod_{kind}({x}, {y})",
              helper="mod_{kind}", public="remainder", grad_fn=CALL_DEPENDENT,
              doc="Python's remainder: the sign of the divisor.",
              derivative=(lambda g, r, x, y: g,
                          lambda g, r, x, y: -g * x.div(y, rounding_mode='floor'))),
    Primitive("fmod", 2, c_float="{fmod}({x}, {y})", c_int="({ctype})lt_fmod_i({x}, {y})",
              helper="fmod_i", public="fmod", operands="tensor_first", grad_fn=CALL_DEPENDENT,
              doc="C's remainder: the sign of the dividend.",
              derivative=(lambda g, r, x, y: g,
                          lambda g, r, x, y: -g * x.div(y, rounding_mode='trunc'))),
    Primitive("pow", 2, public="pow", grad_fn=CALL_DEPENDENT, doc="input to the power of exponent.",
              derivative=(_pow_base, _pow_exponent)),
    Primitive("atan2", 2, "float", c_float="{atan2}({x}, {y})", public="atan2",
              aliases=("arctan2",), operands="tensors", grad_fn="Atan2Backward0",
              doc="The angle of the point (other, input).",
              derivative=(lambda g, r, x, y: g * y / (x * x + y * y),
                          lambda g, r, x, y: g * -x / (x * x + y * y))),
    Primitive("copysign", 2, "float", c_float="{copysign}({x}, {y})", public="copysign",
              operands="tensor_first", grad_fn=CALL_DEPENDENT,
              doc="input's magnitude with other's sign.",
              derivative=(_copysign_magnitude, _zero)),
    # `hypot` is public through pointwise_composites.hypot (PyTorch's dtype checks)
    Primitive("hypot", 2, c_float="{hypot}({x}, {y})", public="hypot", custom_function=True,
              doc="sqrt(input**2 + other**2), without overflow.",
              derivative=(lambda g, r, x, y: g * x / r,
                          lambda g, r, x, y: g * y / r)),
    Primitive("maximum", 2, c_float=_MAX % ">", c_int="{x} > {y} ? {x} : {y}",
              scalar_input=True, public="maximum", operands="tensors", inplace=False,
              grad_fn="MaximumBackward0", doc="The larger of the two; NaN wins.",
              derivative=_extremum(lambda a, b: a > b)),
    Primitive("minimum", 2, c_float=_MAX % "<", c_int="{x} < {y} ? {x} : {y}",
              scalar_input=True, public="minimum", operands="tensors", inplace=False,
              grad_fn="MinimumBackward0", doc="The smaller of the two; NaN wins.",
              derivative=_extremum(lambda a, b: a < b)),
    _infix("eq", "==", "True where input == other.", "bool", operands="tensor_first"),
    _infix("ne", "!=", "True where input != other.", "bool", operands="tensor_first",
           aliases=("not_equal",)),
    _infix("lt", "<", "True where input < other.", "bool", operands="tensor_first",
           aliases=("less",)),
    _infix("le", "<=", "True where input <= other.", "bool", operands="tensor_first",
           aliases=("less_equal",)),
    _infix("gt", ">", "True where input > other.", "bool", operands="tensor_first",
           aliases=("greater",)),
    _infix("ge", ">=", "True where input >= other.", "bool", operands="tensor_first",
           aliases=("greater_equal",)),
    _infix("bitwise_and", "&", "The bitwise AND (logical AND of bools).", "integer",
           scalar_input=False),
    _infix("bitwise_or", "|", "The bitwise OR (logical OR of bools).", "integer",
           scalar_input=False),
    _infix("bitwise_xor", "^", "The bitwise XOR (logical XOR of bools).", "integer",
           scalar_input=False),
    Primitive("lshift", 2, "integer", c_int="({ctype})lt_lshift((int64_t){x}, (int64_t){y})",
              helper="lshift", public="bitwise_left_shift",
              doc="input shifted left by other bits."),
    Primitive("rshift", 2, "integer", c_int="({ctype})lt_rshift((int64_t){x}, (int64_t){y})",
              helper="rshift", public="bitwise_right_shift",
              doc="input shifted right by other bits (arithmetic)."),
    Primitive("logical_and", 2, "logical", c_int="({x} != 0) && ({y} != 0)",
              public="logical_and", operands="tensors", doc="True where both are nonzero."),
    Primitive("logical_or", 2, "logical", c_int="({x} != 0) || ({y} != 0)",
              public="logical_or", operands="tensors", doc="True where either is nonzero."),
    Primitive("logical_xor", 2, "logical", c_int="({x} != 0) != ({y} != 0)",
              public="logical_xor", operands="tensors",
              doc="True where exactly one is nonzero."),
    # -- ternary -------------------------------------------------------------------------
    Primitive("where", 3, c_float="{x} ? {y} : {z}", c_int="{x} ? {y} : {z}", public="where",
              custom_function=True, inplace=False, doc="y where x, else z.",
              derivative=(None,
                          lambda g, r, c, x, y: g.where(c, 0),
                          lambda g, r, c, x, y: g.where(c.logical_not(), 0))),
    Primitive("fma", 3, c_float="{fma}({x}, {y}, {z})", doc="x * y + z, rounded once.",
              derivative=(lambda g, r, x, y, z: g * y,
                          lambda g, r, x, y, z: g * x,
                          lambda g, r, x, y, z: g)),
)

BY_NAME = {p.name: p for p in PRIMITIVES}
UNARY = tuple(p.name for p in PRIMITIVES if p.arity == 1)
BINARY = tuple(p.name for p in PRIMITIVES if p.arity == 2)
# the helper kind in spellings: the operands' type as the prelude's helpers name it
HELPER_KIND = {"float64": "d", "float32": "f", "float16": "f", "bfloat16": "f"}


def with_result(kind, arity=None):
    """The names of the primitives whose dtype rule is `kind` (of one arity, if given)."""
    return frozenset(p.name for p in PRIMITIVES
                     if p.result == kind and (arity is None or p.arity == arity))


def libm_functions():
    """(stem, argument count) of each libm function the spellings call, in table order, and
    pow, which the dialects call themselves: what the C prelude declares (fma, of three
    arguments, it declares on its own)."""
    import string
    seen = {}
    for p in PRIMITIVES:
        for spelling in (p.c_float, p.c_int, p.c_bool):
            for _, name, _, _ in string.Formatter().parse(spelling or ""):
                if name and name not in ("x", "y", "z", "ctype", "kind", "fma"):
                    seen.setdefault(name, p.arity)
    seen.setdefault("pow", 2)
    return tuple(seen.items())


def vector_math_functions():
    """The libm stems whose calls still vectorise (their float and double forms)."""
    return tuple(p.name for p in PRIMITIVES if p.vector_math) + ("pow",)
