"""The derivatives of the ops that are not elementwise primitives (those are in
codegen/primitives.py, beside each primitive), keyed by the op name autograd records.

A derivative is called as `d(g, r, *args, **kwargs)` with the op's own arguments, its result
r and the gradient g of that result (for an op with several results, r and g are sequences,
with None for a result no gradient reached). It returns one gradient per tensor argument,
in the order the arguments come (the tensors of a list argument in place), None where an
argument gets none. Autograd sums a gradient back to its argument's shape where the op
broadcast it and casts it to the argument's dtype.

Derivatives are built from lazytensor's own ops, so they add nodes to the graph like any
other code: backward computes nothing until a gradient is read, and then in the same
programs as the forward values it needs.
"""
import builtins
import math

import importlib

from . import dtypes, linalg, linalg_solvers, movement, ops, views
from .autograd_graph import tensor_arguments
from .creation import arange, eye, ones
from .movement import _advanced_set
from .codegen import primitives
from .codegen.shapes import contiguous_strides
from .tensor import Tensor

# Derivatives call the ops through their modules, whose functions autograd wraps after this
# import: under create_graph what a derivative computes is recorded (second derivatives).
# (The package's own `einsum` is the function: the module is looked up by its full name.)
_einsum_module = importlib.import_module(__package__ + ".einsum")

# -- elementwise ops: a primitive's derivative, for the ways the API spells the op ----------


def _operands(args, kwargs, arity):
    out = list(args[:arity])
    if arity == 2 and len(out) < 2:
        out.append(kwargs.get("other"))
    return out


def _elementwise(name, reflected=False):
    """The derivative of primitive `name` called as a function or method (reflected: as
    `__rsub__`, other - self). Only the operands that require grad get a gradient."""
    prim = primitives.BY_NAME[name]

    def derivative(g, r, *args, **kwargs):
        operands = _operands(args, kwargs, prim.arity)
        order = operands[::-1] if reflected else operands
        if name == "div" and kwargs.get("rounding_mode") is not None:
            return [g.new_zeros(g.shape) for v in operands if isinstance(v, Tensor)]
        grads = []
        for i, d in enumerate(prim.derivative):
            v = order[i]
            grads.append(d(g, r, *order) if d is not None and _needs_grad(v) else None)
        if reflected:
            grads = grads[::-1]
        alpha = kwargs.get("alpha", args[2] if len(args) > 2 else None)
        if alpha is not None and name in ("add", "sub") and grads[1] is not None:
            grads[1] = grads[1] * alpha
        return [gr for v, gr in zip(operands, grads) if isinstance(v, Tensor)]
    derivative.__name__ = f"{name}_derivative"
    return derivative


def _needs_grad(v):
    return isinstance(v, Tensor) and v.requires_grad


def _where(g, r, *args, **kwargs):
    """torch.where(cond, x, y) and x.where(cond, y)."""
    if args[0].dtype.name == "bool" and len(args) == 3:
        cond, x, y = args
        roles = ((cond, None), (x, True), (y, False))
    else:
        x, cond = args[0], args[1]
        y = args[2] if len(args) > 2 else kwargs.get("other")
        roles = ((x, True), (cond, None), (y, False))
    # by role, not by tensor: where(c, x, x) gives x both parts
    return [None if role is None else g.where(cond if role else cond.logical_not(), 0)
            for v, role in roles if isinstance(v, Tensor)]


def _rdiv(g, r, x, other):
    """other / x, recorded as PyTorch records it: other times the reciprocal of x (whose
    own node, reciprocal_input, takes it from there)."""
    return [g * other]


def _reciprocal_input(g, r, x):
    return [-g / (x * x)]


def _rpow(g, r, x, other):
    """other ** x, other a number."""
    return [primitives.BY_NAME["pow"].derivative[1](g, r, other, x)]


def _elementwise_table():
    table = {}
    for p in primitives.PRIMITIVES:
        if p.derivative is not None and p.public and p.name != "where":
            table[p.public] = _elementwise(p.name)
    table.update({
        "__add__": _elementwise("add"), "__radd__": _elementwise("add"),
        "__sub__": _elementwise("sub"), "__rsub__": _elementwise("sub", reflected=True),
        "__mul__": _elementwise("mul"), "__rmul__": _elementwise("mul"),
        "__truediv__": _elementwise("div"), "__pow__": _elementwise("pow"),
        "__rpow__": _rpow, "__rtruediv__": _rdiv, "reciprocal_input": _reciprocal_input, "__mod__": _elementwise("mod"), "__neg__": _elementwise("neg"),
        "__abs__": _elementwise("abs"), "where": _where,
    })
    return table


# -- helpers ---------------------------------------------------------------------------------
def _dims(dim, ndim):
    if dim is None or dim == () or dim == []:
        return tuple(range(ndim))
    return tuple(sorted(ops.normalize_dims(dim, ndim))) if ndim else ()


def _unreduce(g, x, dim, keepdim):
    """g, the gradient of a reduction of x over dim, broadcast back to x's shape."""
    if not keepdim and x.ndim:
        for d in _dims(dim, x.ndim):
            g = g.unsqueeze(d)
    return g.expand(x.shape)


def _scatter_view(g, x, r):
    """The gradient of x for a view r of it that reads each element at most once (select,
    narrow, slicing, diagonal, unbind...): zeros with g written where r reads."""
    return _scatter_views([g], x, [r])


def _scatter_views(gs, x, rs):
    """As _scatter_view for several views (the results of unbind, split, chunk)."""
    z = x.new_zeros(x._storage.numel)
    for g, r in zip(gs, rs):
        if g is None or not r.numel():
            continue
        if g.requires_grad:         # create_graph: a write autograd records
            where = arange(x._storage.numel, device=x.device).as_strided(
                r._shape, r._strides, r._offset)
            z = _put(z, (where.reshape(-1),), g.reshape(-1))
        else:
            z.as_strided(r._shape, r._strides, r._offset).copy_(g)
    return z.as_strided(x._shape, x._strides, x._offset)


# -- reductions -------------------------------------------------------------------------------
def _sum(g, r, x, dim=None, keepdim=False, *, dtype=None):
    return [_unreduce(g, x, dim, keepdim)]


def _mean(g, r, x, dim=None, keepdim=False, *, dtype=None):
    count = 1
    for d in _dims(dim, x.ndim):
        count *= x._shape[d]
    return [_unreduce(g, x, dim, keepdim) / count]


def _evenly(g, r, x, dim=None, keepdim=False):
    """amax/amin (and max/min without a dim): the gradient shared by the elements equal to
    the extreme."""
    hit = x == _unreduce(r, x, dim, keepdim)
    count = hit.sum(dim=_dims(dim, x.ndim), keepdim=True)
    return [_unreduce(g, x, dim, keepdim).where(hit, 0) / count]


def _max_min(extremum):
    """max/min: over everything (shared among ties), of two tensors (maximum/minimum), or
    along a dim (values only: the gradient goes to the index each value came from)."""
    def derivative(g, r, x, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            return [d(g, r, x, dim) for d in primitives.BY_NAME[extremum].derivative]
        if dim is None:
            return _evenly(g, r, x)
        gv, indices = g[0], r[1]
        if gv is None or not x.ndim:
            return [gv]
        d = ops.normalize_dim(dim, x.ndim)
        if not keepdim:
            gv, indices = gv.unsqueeze(d), indices.unsqueeze(d)
        return [x.new_zeros(x.shape).scatter(d, indices, gv)]
    return derivative


def _softmax(g, r, x, dim=None, dtype=None):
    return [r * (g - (g * r).sum(dim, keepdim=True))]


def _log_softmax(g, r, x, dim=None, dtype=None):
    return [g - r.exp() * g.sum(dim, keepdim=True)]


def _logsumexp(g, r, x, dim, keepdim=False):
    return [_unreduce(g, x, dim, keepdim) * (x - _unreduce(r, x, dim, keepdim)).exp()]


def _cumsum(g, r, x, dim, *, dtype=None):
    return [g.flip(dim).cumsum(dim).flip(dim)]


def _cumprod(g, r, x, dim, *, dtype=None):
    """d r_j / d x_i is the product of x_k, k <= j, k != i (j >= i): the running products of
    x with x_i replaced by 1, row by row; exact where some x_k is 0, unlike r / x."""
    if not x.ndim:
        return [g]
    d = ops.normalize_dim(dim, x.ndim)
    n = x._shape[d]
    xm, gm = x.movedim(d, -1), g.movedim(d, -1)
    diagonal = eye(n, dtype=dtypes.bool_, device=x.device)
    rows = xm.unsqueeze(-2).expand(*xm.shape[:-1], n, n).where(diagonal.logical_not(), 1)
    later = ones(n, n, dtype=dtypes.bool_, device=x.device).triu()      # j >= i
    total = (rows.cumprod(-1) * gm.unsqueeze(-2)).where(later, 0).sum(-1)
    return [total.movedim(-1, d)]


def _prod(g, r, x, dim=None, keepdim=False, *, dtype=None):
    """The product of the other elements, from running products on either side (exact
    where some element is 0, unlike r / x)."""
    if dim is None:
        flat = x.reshape(-1)
        return [_prod(g, r, flat, 0)[0].reshape(x.shape)]
    if not x.ndim:
        return [g]
    d = ops.normalize_dim(dim, x.ndim)
    n = x._shape[d]
    ones = x.new_ones(x._shape[:d] + (1,) + x._shape[d + 1:])
    before = movement.cat([ones, x.narrow(d, 0, n - 1).cumprod(d)], d) if n else x
    after = movement.cat([x.flip(d).narrow(d, 0, n - 1).cumprod(d).flip(d), ones], d) if n else x
    return [_unreduce(g, x, d, keepdim) * before * after]


def _var(g, r, x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    n = 1
    for d in _dims(dim, x.ndim):
        n *= x._shape[d]
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    centred = x - x.mean(dim=_dims(dim, x.ndim), keepdim=True)
    return [_unreduce(g, x, dim, keepdim) * centred * (2 / builtins.max(n - correction, 0))]


def _std(g, r, x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _var(g / (2 * r), None, x, dim, unbiased, keepdim, correction=correction)


# -- matrix products ---------------------------------------------------------------------------
def _matmul(g, r, a, b, *, out=None):
    if a.ndim == 1 and b.ndim == 1:
        return [g * b, g * a]
    if a.ndim == 1:
        ga = (g.unsqueeze(-2) @ b.mT).squeeze(-2)
        gb = a.unsqueeze(-1) * g.unsqueeze(-2)
        return [ga, gb]
    if b.ndim == 1:
        ga = g.unsqueeze(-1) * b
        gb = (a.mT @ g.unsqueeze(-1)).squeeze(-1)
        return [ga, gb]
    return [g @ b.mT, a.mT @ g]


# -- views and movement ------------------------------------------------------------------------
def _reshape_back(g, r, x, *args, **kwargs):
    return [g.reshape(x.shape)]


def _permute(g, r, x, *dims):
    order = dims[0] if len(dims) == 1 and not isinstance(dims[0], int) else dims
    order = [ops.normalize_dim(d, x.ndim) for d in order]
    inverse = [0] * len(order)
    for i, d in enumerate(order):
        inverse[d] = i
    return [g.permute(inverse)]


def _transpose(g, r, x, dim0, dim1):
    return [g.transpose(dim0, dim1)]


def _t(g, r, x):
    return [g.t()]


def _matrix_transpose(g, r, x):
    return [g.mT]


def _full_transpose(g, r, x):
    return [g.permute(tuple(range(x.ndim))[::-1])]


def _movedim(g, r, x, source, destination):
    return [g.movedim(destination, source)]


def _unsqueeze(g, r, x, dim):
    return [g.squeeze(ops.normalize_dim(dim, x.ndim + 1))]


def _expand(g, r, x, *args, **kwargs):
    return [g]                  # autograd sums it back to x's shape


def _same(g, r, x, *args, **kwargs):
    return [g]


def _view_of(g, r, x, *args, **kwargs):
    """Any view that reads each element of x at most once (as_strided: in x's memory)."""
    if r._storage is not x._storage:
        raise NotImplementedError("a copy where a view was expected")
    return [_scatter_view(g, x, r)]


def _views_of(g, r, x, *args, **kwargs):
    return [_scatter_views(g, x, r)]


def _view_by(op, several=False):
    """The derivative of view op `op` (several: an op giving a tuple of views): g written
    where the result reads. Through x's memory when x reads each of its elements once;
    when x is expanded (several of its elements are one element in memory, x.expand(3)[1])
    into the same view of zeros of x's own shape, so that only the elements the op read get
    g, where going through memory gave it to every element sharing theirs."""
    def derivative(g, r, x, *args, **kwargs):
        if not views.has_internal_overlap(x._shape, x._strides):
            return _views_of(g, r, x) if several else _view_of(g, r, x)
        z = x.new_zeros(x.shape)
        parts = getattr(z, op)(*args, **kwargs)
        for gi, part in zip(g, parts) if several else ((g, parts),):
            if gi is not None:
                part.copy_(gi)
        return [z]
    return derivative


def _flip(g, r, x, *dims):
    return [g.flip(*dims)]


def _put(z, index, values, accumulate=False):
    """z with values written (added) at index: in place into z, a tensor of the derivative's
    own; as the recorded index_put when values are being recorded (create_graph), so that
    the second derivative sees the write."""
    if isinstance(values, Tensor) and values.requires_grad:
        return z.index_put(index if isinstance(index, tuple) else (index,), values,
                           accumulate=accumulate)
    _advanced_set(z, index, values, accumulate=accumulate)
    return z


def _getitem(g, r, x, index):
    if r._storage is x._storage and views.has_internal_overlap(x._shape, x._strides):
        z = x.new_zeros(x.shape)            # as _view_by: x repeats elements in memory
        z[index] = g
        return [z] + [None] * _index_tensors(index)
    if r._storage is x._storage:
        return [_scatter_view(g, x, r)] + [None] * _index_tensors(index)
    return [_put(x.new_zeros(x.shape), index, g, True)] + [None] * _index_tensors(index)


def _index_tensors(index):
    items = index if isinstance(index, tuple) else (index,)
    return builtins.sum(1 for i in items if isinstance(i, Tensor))


def _cast(g, r, x, *args, **kwargs):
    return [g]                  # autograd casts it to x's dtype


def _cat(g, r, tensors, dim=0):
    out, start = [], 0
    d = ops.normalize_dim(dim, g.ndim)
    for t in tensors:
        if t._shape == (0,) and g.ndim != 1:
            out.append(None)
            continue
        n = t._shape[d]
        out.append(g.narrow(d, start, n))
        start += n
    return out


def _stack(g, r, tensors, dim=0):
    d = ops.normalize_dim(dim, g.ndim)
    return [g.select(d, i) for i in range(len(tensors))]


def _clamp(g, r, x, min=None, max=None):
    """The gradient goes to x where it is inside [min, max], else to the bound that won."""
    below = x < min if min is not None else None
    above = x > max if max is not None else None
    inside = below if above is None else above if below is None else below | above
    out = [g.where(inside.logical_not(), 0)]
    if isinstance(min, Tensor):
        out.append(g.where(below if above is None else below & above.logical_not(), 0))
    if isinstance(max, Tensor):
        out.append(g.where(above, 0))
    return out


def _clamp_min(g, r, x, min):
    return [g.where(x >= min, 0)] + ([g.where(x < min, 0)] if isinstance(min, Tensor) else [])


def _clamp_max(g, r, x, max):
    return [g.where(x <= max, 0)] + ([g.where(x > max, 0)] if isinstance(max, Tensor) else [])


def _masked_fill(g, r, x, mask, value):
    out = [g.masked_fill(mask, 0), None]
    if isinstance(value, Tensor):
        out.append(g.where(mask, 0).sum())
    return out


def _lerp(g, r, x, end, weight):
    out = [g * (1 - weight), g * weight]
    if isinstance(weight, Tensor):
        out.append(g * (end - x))
    return out


# -- composites ------------------------------------------------------------------------------------
def _outer(g, r, a, b):
    return [(g * b).sum(1), (g * a.unsqueeze(1)).sum(0)]


def _tril(g, r, x, diagonal=0):
    return [g.tril(diagonal)]


def _triu(g, r, x, diagonal=0):
    return [g.triu(diagonal)]


def _roll(g, r, x, shifts, dims=None):
    if dims is None:
        return [g.reshape(-1).roll(-shifts if isinstance(shifts, int) else
                                   -shifts[0], 0).reshape(x.shape)]
    back = -shifts if isinstance(shifts, int) else tuple(-s for s in shifts)
    return [g.roll(back, dims)]


def _repeat(g, r, x, *sizes):
    """The sum of the copies: g as (copies, size) pairs per dim, summed over the copies."""
    sizes = sizes[0] if len(sizes) == 1 and not isinstance(sizes[0], int) else sizes
    sizes = tuple(sizes)
    if len(sizes) < x.ndim:                 # tile: ones in front
        sizes = (1,) * (x.ndim - len(sizes)) + sizes
    shape = (1,) * (len(sizes) - x.ndim) + tuple(x._shape)
    split = g.reshape(tuple(e for n, s in zip(sizes, shape) for e in (n, s)))
    total = split.sum(dim=tuple(range(0, 2 * len(sizes), 2)))
    return [total.reshape(x.shape)]


def _diag(g, r, x, diagonal=0):
    if x.ndim == 1:
        return [g.diagonal(diagonal)]
    return [_scatter_view(g, x, x.diagonal(diagonal))]


def _trace(g, r, x):
    n = builtins.min(x._shape)
    eye = x.new_zeros(x.shape)
    eye.diagonal().fill_(1)
    return [eye * g] if n else [x.new_zeros(x.shape)]


def _take(g, r, x, index):
    z = _put(x.new_zeros(x.numel()), index.reshape(-1) % builtins.max(x.numel(), 1),
             g.reshape(-1), True)
    return [z.reshape(x.shape), None]


def _masked_select(g, r, x, mask):
    shape = ops.broadcast_shapes(x._shape, mask._shape)
    return [_put(x.new_zeros(shape), mask.expand(shape), g, True), None]


def _hstack(g, r, tensors):
    """hstack: cat along 0 of 1-D inputs (0-D ones made 1-D), else along 1."""
    d = 0 if tensors and tensors[0].ndim <= 1 else 1
    return _slices(g, tensors, d, lambda t: t._shape[d] if t.ndim else 1)


def _vstack(g, r, tensors):
    """vstack: cat along 0 of the inputs made 2-D (a 1-D or 0-D one is one row)."""
    return _slices(g, tensors, 0, lambda t: t._shape[0] if t.ndim >= 2 else 1)


def _slices(g, tensors, d, length):
    out, start = [], 0
    for t in tensors:
        n = length(t)
        out.append(g.narrow(d, start, n).reshape(t.shape))
        start += n
    return out


def _addcmul(g, r, x, t1, t2, *, value=1):
    return [g, g * t2 * value, g * t1 * value]


def _xlogy(g, r, x, y):
    out = []
    if isinstance(x, Tensor):
        log_y = y.log() if isinstance(y, Tensor) else math.log(y)
        out.append((g * log_y).where(x != 0, 0))
    if isinstance(y, Tensor):
        out.append(g * x / y)
    return out


def _logaddexp(g, r, a, b):
    return [g * (a - r).exp(), g * (b - r).exp()]


def _nansum(g, r, x, dim=None, keepdim=False, *, dtype=None):
    return [_unreduce(g, x, dim, keepdim).where(x == x, 0)]


def _diag_embed(g, r, x, offset=0, dim1=-2, dim2=-1):
    return [g.diagonal(offset, dim1, dim2)]


def _logaddexp2(g, r, a, b):
    return [g * (a - r).exp2(), g * (b - r).exp2()]


def _sinc(g, r, x):
    px = x * math.pi
    return [(g * (px.cos() * math.pi - r * math.pi) / px).where(x != 0, 0)]


def _nan_to_num(g, r, x, nan=0.0, posinf=None, neginf=None):
    return [g.where(x.isfinite(), 0)]


def _softplus(g, r, x, beta=1.0, threshold=20.0):
    z = (x * beta).exp()
    return [g.where(x * beta > threshold, g * z / (z + 1))]


def _leaky_relu(g, r, x, negative_slope=0.01, inplace=False):
    return [g.where(x > 0, g * negative_slope)]


def _selected(position, default=-1):
    """sort, topk, kthvalue, median (with a dim): the values' gradient goes back to the
    index each value came from (position: where the op takes dim among its arguments after
    the input)."""
    def derivative(g, r, x, *args, **kwargs):
        gv, indices = g[0], r[1]
        if gv is None or not x.ndim:
            return [gv]
        dim = args[position] if len(args) > position else kwargs.get("dim", default)
        d = ops.normalize_dim(dim, x.ndim)
        if indices.ndim < x.ndim:           # keepdim=False
            gv, indices = gv.unsqueeze(d), indices.unsqueeze(d)
        return [x.new_zeros(x.shape).scatter_add(d, indices, gv)]
    return derivative


def _median(g, r, x, dim=None, keepdim=False):
    if dim is not None:
        return _selected(0)(g, r, x, dim, keepdim)
    return _evenly_among_equal(g, r, x)


def _evenly_among_equal(g, r, x):
    """median/nanmedian of everything: the gradient shared evenly by the elements equal to
    the result (by the NaNs, when the result is NaN), as PyTorch 2.13 shares it."""
    hit = (x == r) | ((x != x) & (r != r))
    return [(g / hit.sum()).expand(x.shape).where(hit, 0)]


def _cross(g, r, a, b, dim=None, *, out=None):
    if dim is None:             # torch.cross's default: the first dim of size 3
        dim = r._shape.index(3)
    return [b.cross(g, dim=dim), g.cross(a, dim=dim)]


def _no_derivative(error, message):
    """An op PyTorch has no derivative for either: backward raises its error."""
    def derivative(g, r, *args, **kwargs):
        raise error(message)
    return derivative


# as lazytensor/pointwise_more.py's i0: the power series below, the asymptotic one above
_BESSEL_SWITCH = 20.0


def _i1(x):
    """The modified Bessel function of the first kind, order 1 (i0's derivative), in
    float64: sum (x/2)^(2k+1) / (k! (k+1)!) for |x| <= 20, else e^|x| / sqrt(2 pi |x|) times
    the asymptotic series (terms -(4 - (2k-1)^2) / (8k |x|) times the last); odd in x."""
    y = x.double()
    ax = y.abs()
    near = ax <= _BESSEL_SWITCH
    xs = ax.where(near, 0.0)               # each branch sees only its own inputs
    q = xs * xs * 0.25
    term = xs * 0.5
    series = term
    for k in range(1, 51):
        term = term * q * (1.0 / (k * (k + 1)))
        series = series + term
    xa = ax.where(near.logical_not(), _BESSEL_SWITCH)
    t, tail = 1.0, 1.0
    for k in range(1, 21):
        t = t * (((2 * k - 1) ** 2 - 4) / (8.0 * k)) / xa
        tail = tail + t
    far = (xa - 0.5 * (2 * math.pi * xa).log()).exp() * tail
    return (series.where(near, far) * y.sign()).to(x.dtype)


def _polygamma(g, r, *args, out=None):
    """polygamma(n, x) and x.polygamma(n): the next one."""
    n, x = args if isinstance(args[1], Tensor) else args[::-1]
    return [g * x.polygamma(n + 1)]


def _mvlgamma(g, r, x, p, *, out=None):
    shifts = arange(p, dtype=x.dtype, device=x.device) * -0.5
    return [g * (x.unsqueeze(-1) + shifts).digamma().sum(-1)]


def _fmax_fmin(keeps_input):
    """The gradient goes to input where it was kept (other NaN, or input's side of the
    comparison: ties included), to other elsewhere."""
    def derivative(g, r, a, b, *, out=None):
        to_a = keeps_input(a, b) | b.isnan()
        return [g.where(to_a, 0), g.where(to_a.logical_not(), 0)]
    return derivative


def _ldexp(g, r, a, b, *, out=None):
    scale = (b * 1.0).exp2()
    return [g * scale, g * r * math.log(2) if b.dtype.is_floating_point else None]


def _rsub(g, r, input, other, *, alpha=1):
    return [g * -alpha] + ([g] if isinstance(other, Tensor) else [])


def _logcumsumexp(g, r, x, dim, *, out=None):
    """d r_j / d x_k = exp(x_k - r_j) for j >= k: the gradient's positive and negative
    parts apart, each sum over j >= k as a reversed logcumsumexp of log|g_j| - r_j."""
    if x.ndim == 0:
        return [g]

    def part(weights):
        tail = (weights.log() - r).flip(dim).logcumsumexp(dim).flip(dim)
        return (x + tail).exp()
    return [part(g.clamp_min(0)) - part((-g).clamp_min(0))]


def _dist(g, r, a, b, p=2):
    step = _vector_norm(g, r, a - b, p)[0]
    return [step, -step]


def _aminmax(g, r, x, *, dim=None, keepdim=False, out=None):
    """Each extreme's gradient shared by the elements equal to it, as amin's and amax's."""
    total = None
    for gi, ri in zip(g, r):
        if gi is not None:
            total = _plus(total, _evenly(gi, ri, x, dim, keepdim)[0])
    return [total]


def _frexp(g, r, x, *, out=None):
    """The mantissa is x / 2^exponent (the exponent is an integer: no gradient)."""
    return [None if g[0] is None else g[0] / r[1].to(x.dtype).exp2()]


def _igamma(name, upper):
    """The regularised incomplete gamma functions: in x, x^(a-1) e^-x / Gamma(a) (negated
    for the upper one); in a PyTorch has none, and backward raises its error."""
    def derivative(g, r, a, x, *, out=None):
        if a.requires_grad:
            raise NotImplementedError(f"the derivative for '{name}: input' is not "
                                      f"implemented.")
        slope = ((a - 1) * x.log() - x - a.lgamma()).exp()
        return [None, g * (-slope if upper else slope)]
    return derivative


def _bernoulli(g, r, x, p=None, *, generator=None):
    if p is not None:
        raise RuntimeError("derivative for aten::bernoulli is not implemented")
    return [x.new_zeros(x.shape)]


def _normal(g, r, *args, **kwargs):
    """PyTorch 2.13 passes no gradient through a draw to its mean or std: zeros."""
    return [t.new_zeros(t.shape) for t in tensor_arguments(args, kwargs)]


def _zeros_for_all(g, r, *args, **kwargs):
    """Ops whose result does not vary with their inputs (an in-place draw or comparison):
    zero gradients."""
    return [t.new_zeros(t.shape) for t in tensor_arguments(args, kwargs)]


def _fill(g, r, x, value):
    """x.fill_(value): nothing to x; a tensor value gets every element's gradient."""
    return [x.new_zeros(x.shape)] + ([g.sum()] if isinstance(value, Tensor) else [])


def _unique(g, r, x, *args, **kwargs):
    dim = kwargs.get("dim", args[3] if len(args) > 3 else None)
    name = "unique_dim" if dim is not None else "_unique2"
    raise NotImplementedError(f"the derivative for '{name}' is not implemented.")


def _vector_norm(g, r, x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    g, r = _unreduce(g, x, dim, keepdim), _unreduce(r, x, dim, keepdim)
    if ord == 2:
        return [(g * x / r).where(r != 0, 0)]
    if ord == 1:
        return [g * x.sign()]
    if ord in (math.inf, -math.inf):
        hit = x.abs() == r
        count = hit.sum(dim=_dims(dim, x.ndim), keepdim=True)
        return [(g * x.sign()).where(hit, 0) / count]
    return [(g * x * x.abs().pow(ord - 2) / r.pow(ord - 1)).where(r != 0, 0)]


def _inv(g, r, A, *, out=None):
    t = r.mT
    return [-(t @ g @ t)]


def _det(g, r, A):
    return [(g * r).unsqueeze(-1).unsqueeze(-1) * linalg.inv(A).mT]


def _solve(g, r, A, B, *, left=True, out=None):
    if not left:
        raise NotImplementedError("lazytensor has no derivative for solve(left=False) yet")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B._shape == A._shape[:-1])
    gB = linalg.solve(A.mT, g)
    X = r.unsqueeze(-1) if vector else r
    gBm = gB.unsqueeze(-1) if vector else gB
    return [-(gBm @ X.mT), gB]


def _einsum(g, r, equation, *operands):
    """For each operand: the einsum of the result's gradient with the other operands, into
    that operand's subscripts (no repeated subscript within an operand, no ellipsis)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = equation.replace(" ", "")
    lhs, _, out_subs = eq.partition("->")
    ins = lhs.split(",")
    if not _ or "." in eq or any(len(set(s)) != len(s) for s in ins):
        raise NotImplementedError("lazytensor has no derivative for this einsum equation yet")
    from_einsum = []
    for i, subs in enumerate(ins):
        others = [(s, t) for j, (s, t) in enumerate(zip(ins, operands)) if j != i]
        known = set(out_subs).union(*(set(s) for s, _ in others))
        kept = "".join(c for c in subs if c in known)
        spec = ",".join([out_subs] + [s for s, _ in others]) + "->" + kept
        gi = _einsum_module.einsum(spec, g, *[t for _, t in others])
        if kept != subs:                # a subscript only this operand has: broadcast
            for k, c in enumerate(subs):
                if c not in known:
                    gi = gi.unsqueeze(k)
            gi = gi.expand(operands[i].shape)
        from_einsum.append(gi)
    return from_einsum


# -- writes under autograd -------------------------------------------------------------------------
def _region(t, base, geometry):
    """The region `geometry` (a view of base's storage) of t, a tensor shaped like base."""
    if geometry is None:
        return t
    if base._strides != contiguous_strides(base._shape):
        raise NotImplementedError("lazytensor has no derivative yet for a write through a "
                                  "view of a non-contiguous tensor")
    shape, strides, offset = geometry
    return t.contiguous().as_strided(shape, strides, offset - base._offset)


def write(g, r, geometry, op, inner, old, args, kwargs):
    """A write into r (the written tensor as it was right after; geometry: the region
    written, None for all of it): the part of g outside the region passes through, the
    region's part goes through the write's own derivative."""
    gv = _region(g, r, geometry)
    if op == "copy_write":                  # x[...] = v, x[slices] = v, x.copy_(v)
        value = args[-1]
        through, grads = None, [gv if isinstance(value, Tensor) else None]
    elif op == "index_put_write":           # x[index] = v
        index, value = args
        through = _put(gv.clone(), index, gv.new_zeros(()) if gv.requires_grad else 0.0)
        grads = [gv[index] if isinstance(value, Tensor) else None]
    else:                                   # x[...].mul_(y) and the like
        rv = _region(r, r, geometry) if geometry is not None else r
        raw = list(inner(gv, rv, old, *args, **kwargs))
        through, grads = raw[0], raw[1:1 + len(tensor_arguments(args, kwargs))]
    if geometry is None:
        base = through if through is not None else g.new_zeros(g.shape)
    else:
        base = g.contiguous().clone()
        part = _region(base, r, geometry)
        if through is None:
            part.fill_(0)
        else:
            part.copy_(through)
    return [base] + grads


def view_of_written(g, r, base, shape, strides, offset):
    """A view of a base written in place (AsStridedBackward0): g into its elements."""
    z = base.new_zeros(base._storage.numel)
    z.as_strided(shape, strides, offset).copy_(g)
    return [z.as_strided(base._shape, base._strides, base._offset)]


# -- gathers and scatters --------------------------------------------------------------------------
def _positions_along(index, dim, shape):
    """index (1-D) as an index tensor of `shape` along dim (for scatter_add)."""
    along = [1] * len(shape)
    along[dim] = -1
    return index.reshape(along).expand(shape)


def _gather(g, r, x, dim, index, *, sparse_grad=False, out=None):
    return [x.new_zeros(x.shape).scatter_add(dim, index, g), None]


def _index_select(g, r, x, dim, index, *, out=None):
    if x.ndim == 0:
        return [g.sum().reshape(()), None]
    d = dim % x.ndim
    return [x.new_zeros(x.shape).scatter_add(d, _positions_along(index.reshape(-1), d,
                                                                 g.shape), g), None]


def _scatter(g, r, x, dim, index, src=None, *, value=None, reduce=None):
    if reduce is not None:
        raise NotImplementedError("the derivative of scatter with reduce= is not implemented")
    out = [g.scatter(dim, index, 0.0), None]
    if isinstance(src, Tensor):
        out.append(g.gather(dim, index))
    return out


def _scatter_add(g, r, x, dim, index, src):
    return [g, None, g.gather(dim, index)]


def _index_fill(g, r, x, dim, index, value):
    out = [g.index_fill(dim, index, 0.0), None]
    if isinstance(value, Tensor):   # each filled position once, repeated indices or not
        out.append((g * g.new_zeros(g.shape).index_fill(dim, index, 1.0)).sum())
    return out


def _unfold(g, r, x, dimension, size, step):
    """Each window's elements back to their places in x, overlapping windows summed."""
    if x.ndim == 0:
        return [g.reshape(())]
    d = dimension % x.ndim
    n = r.shape[d]
    spread = g.movedim(-1, d + 1).reshape(x.shape[:d] + (n * size,) + x.shape[d + 1:])
    starts = arange(n, device=x.device) * step
    where = (starts.reshape(n, 1) + arange(size, device=x.device)).reshape(-1)
    return [x.new_zeros(x.shape).scatter_add(d, _positions_along(where, d, spread.shape),
                                             spread)]


# -- decompositions (PyTorch's formulas for real inputs) ------------------------------------------
def _eigh(g, r, A, UPLO="L", *, out=None):
    """A = V diag(L) V^T: gA = V (skew(V^T gV) / (L_j - L_i), with gL on the diagonal) V^T."""
    gL, gV = g
    L, V = r
    if gV is None:
        return [(V * gL.unsqueeze(-2)) @ V.mT]
    n = L.shape[-1]
    one = eye(n, dtype=L.dtype, device=L.device)
    VhgV = V.mT @ gV
    VhgV = 0.5 * (VhgV - VhgV.mT)
    inner = VhgV / (L.unsqueeze(-2) - L.unsqueeze(-1) + one)
    inner = inner * (1 - one)
    if gL is not None:
        inner = inner + gL.diag_embed()
    return [V @ (inner @ V.mT)]


def _eigvalsh(g, r, A, UPLO="L", *, out=None):
    V = linalg.eigh(A, UPLO).eigenvectors
    return [(V * g.unsqueeze(-2)) @ V.mT]


def _svd_backward(gU, gS, gVh, U, S, Vh):
    m, n, k = U.shape[-2], Vh.shape[-1], S.shape[-1]
    if gU is None and gVh is None:
        return U @ (gS.unsqueeze(-1) * Vh) if m >= n else (U * gS.unsqueeze(-2)) @ Vh
    one = eye(k, dtype=S.dtype, device=S.device)
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + one
    UhgU = None if gU is None else U.mT @ gU
    VhgV = None if gVh is None else Vh @ gVh.mT
    UhgU = None if UhgU is None else UhgU - UhgU.mT
    VhgV = None if VhgV is None else VhgV - VhgV.mT
    if UhgU is not None and VhgV is not None:
        inner = (UhgU * S.unsqueeze(-2) + S.unsqueeze(-1) * VhgV) / E
    elif UhgU is not None:
        inner = UhgU * (S.unsqueeze(-2) / E)
    else:
        inner = S.unsqueeze(-1) * (VhgV / E)
    if gS is not None:
        inner = inner + gS.diag_embed()
    if m > k and gU is not None:
        gUSinv = gU / S.unsqueeze(-2)
        return (U @ inner + gUSinv - U @ (U.mT @ gUSinv)) @ Vh
    if n > k and gVh is not None:
        SinvgVh = gVh / S.unsqueeze(-1)
        return U @ (inner @ Vh + SinvgVh - (SinvgVh @ Vh.mT) @ Vh)
    return U @ (inner @ Vh)


def _svd(g, r, A, full_matrices=True, *, driver=None, out=None):
    """PyTorch's svd_backward; with full_matrices, the factors' first min(m, n) columns
    (rows of Vh), as PyTorch narrows them."""
    gU, gS, gVh = g
    U, S, Vh = r
    if full_matrices:
        k = S.shape[-1]
        U, Vh = U[..., :k], Vh[..., :k, :]
        gU = None if gU is None else gU[..., :k]
        gVh = None if gVh is None else gVh[..., :k, :]
    if gU is None and gS is None and gVh is None:
        return [None]
    return [_svd_backward(gU, gS, gVh, U, S, Vh)]


def _svdvals(g, r, A, *, driver=None, out=None):
    U, _, Vh = linalg.svd(A, full_matrices=False)
    return [_svd_backward(None, g, None, U, r, Vh)]


def _index_put(g, r, x, indices, values, accumulate=False):
    """x.index_put(indices, values): g passes to x where nothing was written (everywhere
    when accumulating); values get g at the positions they went to."""
    gx = g if accumulate else g.index_put(tuple(indices), g.new_zeros(()))
    return [gx] + [None] * _index_tensors(tuple(indices)) + [g[tuple(indices)]]


# -- products --------------------------------------------------------------------------------------
def _scaled(g, factor):
    return g if factor == 1 else g * factor


def _addmm(g, r, input, mat1, mat2, *, beta=1, alpha=1, out=None):
    return [_scaled(g, beta), _scaled(g @ mat2.mT, alpha), _scaled(mat1.mT @ g, alpha)]


def _addmv(g, r, input, mat, vec, *, beta=1, alpha=1, out=None):
    return [_scaled(g, beta), _scaled(g.unsqueeze(1) * vec, alpha), _scaled(mat.mT @ g, alpha)]


def _baddbmm(g, r, input, batch1, batch2, *, beta=1, alpha=1, out=None):
    return [_scaled(g, beta), _scaled(g @ batch2.mT, alpha), _scaled(batch1.mT @ g, alpha)]


def _addbmm(g, r, input, batch1, batch2, *, beta=1, alpha=1, out=None):
    gb = g.unsqueeze(0)
    return [_scaled(g, beta), _scaled(gb @ batch2.mT, alpha), _scaled(batch1.mT @ gb, alpha)]


def _cdist(g, r, x1, x2, p=2.0, compute_mode=None):
    """PyTorch's: each difference's share of its distance (none where the distance is 0)."""
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    d = r.unsqueeze(-1)
    if p == 0:
        share = diff * 0
    elif p == 1:
        share = diff.sign()
    elif math.isinf(p):
        share = diff.sign() * (diff.abs() == d)
    elif p == 2:
        share = (diff / d).where(d != 0, 0)
    else:
        share = (diff.sign() * diff.abs().pow(p - 1) / d.pow(p - 1)).where(d != 0, 0)
    grad = g.unsqueeze(-1) * share
    return [grad.sum(-2), -grad.sum(-3)]


def _index_add(g, r, x, dim, index, source, *, alpha=1):
    picked = g.index_select(dim, index) if source.ndim else g.reshape(())
    return [g, None, _scaled(picked, alpha)]


def _index_copy(g, r, x, dim, index, source):
    picked = g.index_select(dim, index) if source.ndim else g.reshape(())
    return [g.index_fill(dim, index, 0.0), None, picked]


def _slogdet(g, r, A, *, out=None):
    """Only logabsdet carries a gradient: g * A^{-T}."""
    g_logabs = g[1]
    if g_logabs is None:
        return [None]
    return [g_logabs.unsqueeze(-1).unsqueeze(-1) * linalg.inv(A).mT]


def _cholesky(g, r, A, *, upper=False, out=None):
    """L^{-T} tril-with-half-diagonal(L^T gL) L^{-1}, symmetrised (PyTorch's)."""
    L, gL = (r.mT, g.mT) if upper else (r, g)
    n = L.shape[-1]
    half = ones((n, n), dtype=L.dtype, device=L.device).tril() - \
        eye(n, dtype=L.dtype, device=L.device) * 0.5
    phi = (L.mT @ gL) * half
    Linv = linalg.inv(L)
    gA = Linv.mT @ phi @ Linv
    return [(gA + gA.mT) * 0.5]


# -- scatter_reduce and index_reduce (PyTorch's rules) ---------------------------------------------
def _reduced_back(g, r, x, src, reduce, include_self, picked, spread, again, fill):
    """The gradients of self and src for a reduction of src into self: picked(t) reads t at
    the positions src went to (src's shape), spread(base, t) adds t into base there,
    again(base, src) redoes the reduction, fill(t) zeroes those positions. amax/amin share
    the gradient evenly among the elements equal to the result (self's count even when
    include_self leaves it out, as in PyTorch); prod is exact where elements are 0."""
    if reduce == "sum":
        gx, gs = g, picked(g)
    elif reduce == "mean":
        count = spread(x.new_ones(x.shape) if include_self else x.new_zeros(x.shape),
                       src.new_ones(src.shape))
        gx = g / count.where(count != 0, 1)
        gs = picked(gx)
    elif reduce in ("amax", "amin"):
        self_hit, src_hit = x == r, src == picked(r)
        share = g / spread(self_hit.to(x.dtype), src_hit.to(x.dtype))
        gx, gs = share.where(self_hit, 0), picked(share).where(src_hit, 0)
    else:
        ones_for_zeros = x.where(x != 0, 1)
        gx = g * again(ones_for_zeros, src) / ones_for_zeros
        src_zero = src == 0
        zeros_there = picked(spread(x.new_zeros(x.shape), src_zero.to(x.dtype)))
        lone_zero = src_zero & (zeros_there == 1)
        without_lone = picked(g * again(x, src.where(lone_zero.logical_not(), 1)))
        gs = without_lone.where(lone_zero, picked(g * r) / src.where(src_zero.logical_not(), 1))
    return [gx if include_self else fill(gx), gs]


_LEGACY_REDUCES = {"max": "amax", "min": "amin"}


def _scatter_reduce(g, r, x, dim, index, src, reduce, *, include_self=True):
    reduce = _LEGACY_REDUCES.get(reduce, reduce)
    if src._shape != index._shape:      # PyTorch's engine refuses the index-shaped gradient
        raise RuntimeError(f"Function ScatterReduceBackward0 returned an invalid gradient at "
                           f"index 1 - got {list(index._shape)} but expected shape "
                           f"compatible with {list(src._shape)}")
    gx, gs = _reduced_back(
        g, r, x, src, reduce, include_self,
        picked=lambda t: t.gather(dim, index),
        spread=lambda base, t: base.scatter_add(dim, index, t),
        again=lambda base, s: base.scatter_reduce(dim, index, s, reduce,
                                                  include_self=include_self),
        fill=lambda t: t.scatter(dim, index, 0.0))
    return [gx, None, gs]


def _index_reduce(g, r, x, dim, index, source, reduce, *, include_self=True):
    gx, gs = _reduced_back(
        g, r, x, source, reduce, include_self,
        picked=lambda t: t.index_select(dim, index),
        spread=lambda base, t: base.index_add(dim, index, t),
        again=lambda base, s: base.index_reduce(dim, index, s, reduce,
                                                include_self=include_self),
        fill=lambda t: t.index_fill(dim, index, 0.0))
    return [gx, None, gs]


# -- QR, least squares, pseudo-inverse -------------------------------------------------------------
_QR_NEEDS_Q = ("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
               "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
               "through linalg.qr.")


def _qr_square_or_tall(gQ, gR, Q, R):
    """A = QR with R square: the part of M = gR R^T - Q^T gQ on and above the diagonal,
    mirrored below it, gives gA = (gQ + Q sym(M)) R^{-T}."""
    M = 0
    if gR is not None:
        M = gR @ R.mT
    if gQ is not None:
        M = M - Q.mT @ gQ
    B = Q @ (M.triu() + M.triu(1).mT)
    if gQ is not None:
        B = B + gQ
    return linalg.solve(R, B.mT).mT


def _qr(g, r, A, mode="reduced", *, out=None):
    gQ, gR = g
    Q, R = r
    m, n = A._shape[-2:]
    if mode == "r":
        raise RuntimeError(_QR_NEEDS_Q)
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                           "and nrows > ncols.")
    if gQ is None and gR is None:
        return [None]
    if m >= n:
        return [_qr_square_or_tall(gQ, gR, Q, R)]
    # wide: A = [X | Y] with X = Q U square and Y = Q V; V = Q^T Y also depends on Q
    Y, U = A[..., m:], R[..., :m]
    gU = None if gR is None else gR[..., :m]
    gV = A.new_zeros(R[..., m:].shape) if gR is None else gR[..., m:]
    gQ = Y @ gV.mT if gQ is None else gQ + Y @ gV.mT
    return [movement.cat([_qr_square_or_tall(gQ, gU, Q, U), Q @ gV], -1)]


def _pinv_backward(gP, P, A):
    """The pseudo-inverse's derivative where A's rank does not change: gA = -P^T gP P^T
    + (I - A P) gP^T P P^T + P^T P gP^T (I - P A), grouped to keep the products small."""
    gPt, Pt = gP.mT, P.mT
    return (-(Pt @ gP @ Pt) + (gPt - A @ (P @ gPt)) @ (P @ Pt)
            + (Pt @ P) @ (gPt - (gPt @ P) @ A))


def _pinv(g, r, A, *args, **kwargs):
    return [_pinv_backward(g, r, A)]


def _lstsq(g, r, A, B, rcond=None, *, driver=None, out=None):
    """solution = pinv(A) B; residuals = the squared norms of A X - B's columns, at a
    minimum (so X's own change does not move them)."""
    gX, gRes = g
    X = r[0]
    vector = B.ndim == 1 or B.ndim == A.ndim - 1
    Bm, Xm = (B.unsqueeze(-1), X.unsqueeze(-1)) if vector else (B, X)
    gA = gB = None
    if gX is not None:
        gXm = gX.unsqueeze(-1) if vector else gX
        P = linalg_solvers.pinv(A)
        gA = _pinv_backward(gXm @ Bm.mT, P, A)
        gB = P.mT @ gXm
    if gRes is not None and gRes.numel():
        wrong = (A @ Xm - Bm) * (2 * gRes.unsqueeze(-2))
        gA = _plus(gA, wrong @ Xm.mT)
        gB = _plus(gB, -wrong)
    if vector and gB is not None:
        gB = gB.squeeze(-1)
    return [gA, gB]


def _plus(a, b):
    return b if a is None else a + b


# -- own derivatives of composites (one node, named as PyTorch names it) ----------------------
def _running_extreme(g, r, x, dim):
    """cummax/cummin: each value's gradient to the element it came from."""
    if g[0] is None:
        return [None]
    if not x.ndim:
        return [g[0]]
    return [x.new_zeros(x.shape).scatter_add(ops.normalize_dim(dim, x.ndim), r[1], g[0])]


def _kron(g, r, a, b):
    tensors = [v for v in (a, b) if isinstance(v, Tensor)]
    a, b = (v if isinstance(v, Tensor) else g.new_tensor(v) for v in (a, b))
    n = builtins.max(a.ndim, b.ndim)
    sa, sb = (1,) * (n - a.ndim) + a._shape, (1,) * (n - b.ndim) + b._shape
    blocks = g.reshape(tuple(s for pair in zip(sa, sb) for s in pair))
    wide_a = a.reshape(tuple(s for d in sa for s in (d, 1)))
    wide_b = b.reshape(tuple(s for d in sb for s in (1, d)))
    inner, outer = tuple(range(1, 2 * n, 2)), tuple(range(0, 2 * n, 2))
    grads = ((a, (blocks * wide_b).sum(inner).reshape(a.shape)),
             (b, (blocks * wide_a).sum(outer).reshape(b.shape)))
    return [gr for v, gr in grads if any(v is t for t in tensors)]


def _block_diag(g, r, *tensors):
    """Each input's block of the gradient, down the diagonal."""
    out, row, col = [], 0, 0
    for t in tensors:
        rows, cols = t._shape if t.ndim == 2 else (1, t.numel())
        out.append(g[row:row + rows, col:col + cols].reshape(t.shape))
        row, col = row + rows, col + cols
    return out


def _addcdiv(g, r, x, t1, t2, *, value=1):
    return [g, g * value / t2, -g * value * t1 / (t2 * t2)]


def _rot90(g, r, x, k=1, dims=(0, 1)):
    return [g.rot90(-k, dims)]


def _logit(g, r, x, eps=None):
    """Outside [eps, 1 - eps] (clamped) nothing; without eps, NaN outside [0, 1]."""
    inner = g / (x * (1 - x))
    if eps is None or eps < 0:
        return [inner.where((x >= 0) & (x <= 1), math.nan)]
    return [inner.where((x >= eps) & (x <= 1 - eps), 0)]


def _xlog1py(g, r, x, y):
    out = []
    if isinstance(x, Tensor):
        out.append((g * (y.log1p() if isinstance(y, Tensor) else math.log1p(y)))
                   .where(x != 0, 0))
    if isinstance(y, Tensor):
        out.append(g * x / (y + 1))
    return out


def _entr(g, r, x):
    return [g * -(x.log() + 1)]


def _with_mean(spread):
    """std_mean/var_mean: the spread's gradient plus the mean's."""
    def derivative(g, r, x, dim=None, unbiased=None, keepdim=False, *, correction=None):
        gs, gm = g
        out = None
        if gs is not None:
            out = spread(gs, r[0], x, dim, unbiased, keepdim, correction=correction)[0]
        if gm is not None:
            out = _plus(out, _mean(gm, r[1], x, dim, keepdim)[0])
        return [out]
    return derivative


TABLE = _elementwise_table()
TABLE.update({
    "sum": _sum, "mean": _mean, "amax": _evenly, "amin": _evenly,
    "max": _max_min("maximum"), "min": _max_min("minimum"), "softmax": _softmax, "log_softmax": _log_softmax,
    "logsumexp": _logsumexp, "cumsum": _cumsum, "cumprod": _cumprod, "prod": _prod, "var": _var, "std": _std,
    "matmul": _matmul, "__matmul__": _matmul, "mm": _matmul, "mv": _matmul, "dot": _matmul,
    "view": _reshape_back, "view_as": _reshape_back, "reshape": _reshape_back,
    "reshape_as": _reshape_back, "flatten": _reshape_back, "unflatten": _reshape_back,
    "squeeze": _reshape_back, "unsqueeze": _unsqueeze,
    "permute": _permute, "transpose": _transpose, "t": _t, "movedim": _movedim,
    "T": _full_transpose, "H": _full_transpose, "mT": _matrix_transpose,
    "mH": _matrix_transpose, "expand": _expand, "expand_as": _expand,
    "clone": _same, "contiguous": _same,
    "narrow": _view_by("narrow"), "select": _view_by("select"),
    "diagonal": _view_by("diagonal"), "as_strided": _view_of,
    "unbind": _view_by("unbind", True), "split": _view_by("split", True),
    "chunk": _view_by("chunk", True), "flip": _flip,
    "__getitem__": _getitem,
    "to": _cast, "float": _cast, "double": _cast, "half": _cast, "bfloat16": _cast,
    "type": _cast, "type_as": _cast, "cpu": _cast, "cuda": _cast,
    "cat": _cat, "stack": _stack,
    "clamp": _clamp, "clamp_min": _clamp_min, "clamp_max": _clamp_max,
    "masked_fill": _masked_fill, "lerp": _lerp,
    "outer": _outer, "ger": _outer, "bmm": _matmul, "tril": _tril, "triu": _triu,
    "roll": _roll, "repeat": _repeat, "tile": _repeat, "diag": _diag, "trace": _trace,
    "take": _take, "masked_select": _masked_select,
    "hstack": _hstack, "vstack": _vstack,
    "addcmul": _addcmul, "xlogy": _xlogy, "logaddexp": _logaddexp,
    "logaddexp2": _logaddexp2, "sinc": _sinc, "nansum": _nansum, "diag_embed": _diag_embed,
    "nan_to_num": _nan_to_num, "softplus": _softplus, "leaky_relu": _leaky_relu,
    "sort": _selected(0), "topk": _selected(1), "kthvalue": _selected(1),
    "median": _median, "vector_norm": _vector_norm, "norm": _vector_norm,
    "inv": _inv, "det": _det, "solve": _solve, "einsum": _einsum,
    "gather": _gather, "index_select": _index_select, "scatter": _scatter,
    "scatter_add": _scatter_add, "index_fill": _index_fill, "unfold": _unfold,
    "eigh": _eigh, "eigvalsh": _eigvalsh, "svd": _svd, "svdvals": _svdvals,
    "index_put": _index_put, "addmm": _addmm, "addmv": _addmv, "baddbmm": _baddbmm,
    "addbmm": _addbmm, "cdist": _cdist, "index_add": _index_add, "index_copy": _index_copy,
    "slogdet": _slogdet, "cholesky": _cholesky,
    "scatter_reduce": _scatter_reduce, "index_reduce": _index_reduce, "qr": _qr,
    "pinv": _pinv, "pinverse": _pinv, "lstsq": _lstsq, "cummax": _running_extreme,
    "cummin": _running_extreme, "kron": _kron, "block_diag": _block_diag,
    "addcdiv": _addcdiv, "rot90": _rot90,
    "logit": _logit, "xlog1py": _xlog1py, "entr": _entr, "std_mean": _with_mean(_std),
    "var_mean": _with_mean(_var),
    "mode": _selected(0), "nanmedian": _median, "cross": _cross,
    "sgn": lambda g, r, x: [x.new_zeros(x.shape)], "unique": _unique,
    "bernoulli": _bernoulli, "normal": _normal, "draw_into": _zeros_for_all,
    "zero": _zeros_for_all, "fill": _fill,
    **{cmp: _zeros_for_all for cmp in ("eq", "ne", "lt", "le", "gt", "ge")},
    "digamma": lambda g, r, x, *, out=None: [g * x.polygamma(1)],      # PyTorch's trigamma
    "i0": lambda g, r, x, *, out=None: [g * _i1(x)], "polygamma": _polygamma,
    "mvlgamma": _mvlgamma, "fmax": _fmax_fmin(lambda a, b: a >= b),
    "fmin": _fmax_fmin(lambda a, b: a <= b), "ldexp": _ldexp, "rsub": _rsub,
    "logcumsumexp": _logcumsumexp, "dist": _dist, "aminmax": _aminmax, "frexp": _frexp,
    "igamma": _igamma("igamma", False), "igammac": _igamma("igammac", True),
    "gammainc": _igamma("igamma", False), "gammaincc": _igamma("igammac", True),
    "nextafter": lambda g, r, a, b, *, out=None: [g, None],     # one step: as the identity
    "histogram": _no_derivative(RuntimeError, "derivative for aten::histogram is not "
                                              "implemented"),
    "floor_divide": _no_derivative(RuntimeError, "derivative for aten::floor_divide is not "
                                                 "implemented"),
    "__rmod__": _no_derivative(RuntimeError, "derivative for aten::remainder is not "
                                             "implemented"),
    "heaviside": _no_derivative(RuntimeError, "derivative for aten::heaviside is not "
                                              "implemented"),
    "deg2rad": lambda g, r, x: [g * (math.pi / 180)],
    "rad2deg": lambda g, r, x: [g * (180 / math.pi)],
    "erfinv": lambda g, r, x, *, out=None: [g * (math.sqrt(math.pi) / 2) * (r * r).exp()],
})


def _nll_loss(g, r, input, target, weight=None, size_average=None, ignore_index=-100,
              reduce=None, reduction="mean"):
    """-w g at each kept row's target class, nothing elsewhere (ignored rows nothing;
    "mean" divides by the kept weights' sum as the forward did). No gradient for weight,
    as in PyTorch."""
    batched = input.ndim == 2
    tgt = target if batched else target.unsqueeze(0)
    classes = input.shape[-1]
    kept = tgt != ignore_index
    hit = (arange(classes, device=input.device) == tgt.where(kept, 0).unsqueeze(1)) & \
        kept.unsqueeze(1)
    w = kept.to(input.dtype) if weight is None else \
        weight.where(hit, 0).sum(1).where(kept, 0.0)
    if reduction == "none":
        scale = w * (g if batched else g.unsqueeze(0))
    elif reduction == "mean":
        scale = w * (g / w.sum())
    else:
        scale = w * g
    grad = (-scale).unsqueeze(1).where(hit, 0)
    return [grad if batched else grad.squeeze(0), None, None]


def _mse_loss(g, r, input, target, size_average=None, reduce=None, reduction="mean",
              weight=None):
    """2 (input - target) w g, divided by the element count for "mean"; the target's is its
    negative, the weight's (input - target)^2 g."""
    diff = input - target
    scale = g / diff.numel() if reduction == "mean" else g
    grad = diff * (scale * 2.0) if weight is None else diff * (scale * 2.0) * weight
    out = [grad if _needs_grad(input) else None, -grad if _needs_grad(target) else None]
    if weight is not None:
        out.append(diff * diff * scale if _needs_grad(weight) else None)
    return out


TABLE.update({"nll_loss": _nll_loss, "mse_loss": _mse_loss})
TABLE["__floordiv__"] = TABLE["__rfloordiv__"] = TABLE["floor_divide"]
TABLE["float_power"] = TABLE["pow"]         # float_power_: pow of self (float64 already)


def lookup(op):
    """The derivative recorded for op, or None where lazytensor has none yet."""
    return TABLE.get(op)
