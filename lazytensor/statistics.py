"""Statistics composed of lazytensor's ops, so they stay lazy and fuse: logcumsumexp,
quantile/nanquantile, histogram, cov, corrcoef, dist, aminmax. quantile, cov and corrcoef
get their gradients from the ops they are made of; logcumsumexp, dist, aminmax and
histogram (none) have PyTorch's nodes and derivatives (autograd.py, derivatives.py)."""
import math

from . import dtypes, linalg, ops
from .creation import arange, full, linspace
from .elementwise import _check_tensor, lerp, where
from .movement import cat
from .out import write_out
from .pointwise_composites import as_float
from .reductions import _named, amax, amin, logsumexp
from .sorting import searchsorted
from .tensor import Tensor
from .user_warnings import warn


def _to(x, dtype):
    """x in dtype, through the recorded cast (autograd follows it, as PyTorch's _to_copy)."""
    return x if x.dtype is dtype else x.to(dtype)


aminmax_type = _named("aminmax", ("min", "max"))
histogram_type = _named("histogram", ("hist", "bin_edges"))


# -- logcumsumexp --------------------------------------------------------------------------
_PAIRWISE = 64      # up to this length, each prefix is one logsumexp over a masked row


def _prefix_logsumexp(x):
    """log(cumsum(exp(x))) along the last dim, without overflow or underflow: short rows as
    logsumexp of each prefix (x masked to -inf past it); longer ones in blocks of about
    sqrt(n), each block's prefix then combined with the (recursive) prefix of the blocks'
    totals before it."""
    n = x._shape[-1]
    if n <= _PAIRWISE:
        positions = arange(n, device=x.device)
        keep = positions.unsqueeze(0) <= positions.unsqueeze(1)
        rows = where(keep, x.unsqueeze(-2), -math.inf)          # (..., prefix j, element k)
        return logsumexp(rows, -1)
    block = math.isqrt(n - 1) + 1
    count = -(-n // block)
    pad = count * block - n
    if pad:
        x = cat([x, full(x._shape[:-1] + (pad,), -math.inf, dtype=x.dtype,
                         device=x.device)], -1)
    inner = _prefix_logsumexp(x.reshape(x._shape[:-1] + (count, block)))
    carried = _prefix_logsumexp(inner[..., -1])                  # through each block's end
    before = cat([full(carried._shape[:-1] + (1,), -math.inf, dtype=x.dtype,
                       device=x.device), carried[..., :-1]], -1)
    out = inner.logaddexp(before.unsqueeze(-1)).reshape(x._shape)
    return out[..., :n] if pad else out


def logcumsumexp(input, dim, *, out=None):
    """log(cumsum(exp(input))) along dim, computed stably."""
    _check_tensor(input, "logcumsumexp")
    if not input.dtype.is_floating_point:
        raise ops.not_implemented("logcumsumexp_out_cpu", input.dtype)
    d = ops.normalize_dim(dim, input.ndim)
    if input.ndim == 0 or input.numel() == 0:
        result = input.clone()
    else:
        work = _to(input, dtypes.float32) if input.dtype.itemsize == 2 else input
        result = _to(_prefix_logsumexp(work.movedim(d, -1)).movedim(-1, d), input.dtype)
    return result if out is None else out.copy_(result)


# -- quantile ------------------------------------------------------------------------------
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(name, input, q, dim, keepdim, interpolation, ignore_nan):
    _check_tensor(input, name)
    if input.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    scalar_q = not isinstance(q, Tensor)
    if scalar_q:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        q = full((), float(q), dtype=input.dtype, device=input.device)
    else:
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype is not input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    # the rows to take quantiles of, along the last dim, and the shape they reduce to
    if dim is None:
        rows = input.reshape(-1)
        reduced = (1,) * input.ndim if keepdim else ()
    else:
        d = ops.normalize_dim(dim, input.ndim)
        rows = input.movedim(d, -1) if input.ndim else input.reshape(1)
        reduced = tuple(1 if i == d else s for i, s in enumerate(input._shape)) if keepdim \
            else tuple(s for i, s in enumerate(input._shape) if i != d)
    ordered = rows.sort(-1).values                      # NaN last
    n = ordered._shape[-1]
    qs = q.reshape(-1)                                  # (nq,)
    nan = ordered.isnan()
    if ignore_nan:
        valid = n - nan.sum(-1, keepdim=True)           # each row's non-NaN count
        ranks = qs * (_to(valid, input.dtype) - 1)
        ranks = where(ranks < 0, float(n - 1), ranks)   # an all-NaN row: its (NaN) last
    else:
        ranks = (qs * float(n - 1)).expand(ordered._shape[:-1] + qs._shape)  # (..., nq)
        ranks = where(nan.any(-1, keepdim=True), float(n - 1), ranks)
    ranks = ranks.detach()
    if interpolation == "lower":
        picked = ordered.gather(-1, _to(ranks.floor(), dtypes.int64))
    elif interpolation == "higher":
        picked = ordered.gather(-1, _to(ranks.ceil(), dtypes.int64))
    elif interpolation == "nearest":
        picked = ordered.gather(-1, _to(ranks.round(), dtypes.int64))
    else:
        below = ranks.floor()
        lo = ordered.gather(-1, _to(below, dtypes.int64))
        hi = ordered.gather(-1, _to(ranks.ceil(), dtypes.int64))
        weight = ranks - below if interpolation == "linear" else \
            full((), 0.5, dtype=input.dtype, device=input.device)
        picked = lerp(lo, hi, weight)
    # (..., nq) -> (nq, reduced...), or reduced alone for a scalar q; the last step a
    # squeeze_ of one dim, as PyTorch's (its grad_fn: SqueezeBackward4)
    if scalar_q or q.ndim == 0:
        return picked.reshape(reduced + (1,)).squeeze_(-1)
    return picked.movedim(-1, 0).reshape((qs._shape[0],) + reduced + (1,)).squeeze_(-1)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The q-th quantiles of input (of each row along dim), NaN where a row has one."""
    result = _quantile("quantile", input, q, dim, keepdim, interpolation, False)
    return result if out is None else out.copy_(result)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """quantile ignoring NaN (NaN only for a row that is all NaN)."""
    result = _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)
    return result if out is None else out.copy_(result)


# -- histogram -----------------------------------------------------------------------------
def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    """(hist, bin_edges): counts (or weights' sums) of input's elements in each bin, the
    last bin closed on the right; bins is a count of equal bins over range (input's
    minimum and maximum by default) or the edges themselves. density divides by the total
    and the bins' widths."""
    result = _histogram(input, bins, range, weight, density)
    if out is not None:
        out[0].copy_(result.hist)
        out[1].copy_(result.bin_edges)
        return histogram_type(*out)
    return result


def _histogram(input, bins, range, weight, density):
    _check_tensor(input, "histogram")
    if not input.dtype.is_floating_point:
        raise ops.not_implemented("histogramdd", input.dtype)
    if isinstance(bins, Tensor):
        if bins.dtype is not input.dtype:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have "
                               f"the same dtype, but got input with dtype "
                               f"{ops.c_type_name(input.dtype)} and bins for dimension 0 with "
                               f"dtype {ops.c_type_name(bins.dtype)}")
        if bins.ndim != 1:
            raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, "
                               f"but got {bins.ndim} dimensions in the bins tensor")
        edges = bins
    else:
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                               f"dimension 0")
        if range is not None:
            low, high = float(range[0]), float(range[1])
        elif input.numel():
            # PyTorch reads the extremes from the data to lay out the bins, as here
            low, high = float(input.min().item()), float(input.max().item())
        else:
            low, high = 0.0, 1.0
        if not (math.isfinite(low) and math.isfinite(high)):
            raise RuntimeError(f"torch.histogramdd: dimension 0's range [{low:g}, {high:g}] "
                               f"is not finite")
        if low > high:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{low:g} max {high:g} for dimension 0")
        if low == high:
            low, high = low - 0.5, high + 0.5
        edges = linspace(low, high, bins + 1, dtype=input.dtype, device=input.device)
    if weight is not None and weight._shape != input._shape:
        raise RuntimeError("torch.histogramdd: if weight tensor is provided it should have "
                           "the same shape as the input tensor excluding its innermost "
                           "dimension")
    values = input.reshape(-1)
    count = edges._shape[0] - 1
    # bin i holds edges[i] <= v < edges[i + 1]; the last also v == edges[-1]
    index = searchsorted(edges, values, right=True) - 1
    index = where(values == edges[-1], count - 1, index)
    inside = (index >= 0) & (index < count)
    w = weight.reshape(-1).to(input.dtype) if weight is not None else \
        full(values._shape, 1.0, dtype=input.dtype, device=input.device)
    w = where(inside, w, 0.0)
    hist = full((count,), 0.0, dtype=input.dtype, device=input.device).index_add(
        0, where(inside, index, 0), w)
    if density:
        widths = edges[1:] - edges[:-1]
        hist = hist / (hist.sum() * widths)
    return histogram_type(hist, edges)


# -- covariance ----------------------------------------------------------------------------
def _checked_weights(name, w, n, floating):
    """cov()'s fweights (integral) or aweights (floating point): one dim at most, one per
    observation, with PyTorch's messages."""
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {w.ndim} dimensions")
    if w.dtype.is_floating_point != floating:
        kind = "floating point" if floating else "integral"
        raise RuntimeError(f"cov(): expected {name} to have {kind} dtype but got {name} with "
                           f"{ops.torch_name(w.dtype)} dtype")
    if w.numel() != n:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w.numel()} != {n}")
    return w


def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance of the rows of input (variables) over its columns (observations),
    with frequency and importance weights, as numpy.cov and PyTorch define it."""
    _check_tensor(input, "cov")
    if input.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got "
                           f"an input with {input.ndim} dimensions")
    x = as_float(input)
    if x.ndim < 2:
        x = x.reshape(1, -1)
    n = x._shape[1]
    w = None
    if fweights is not None:
        w = _checked_weights("fweights", fweights, n, floating=False)
    if aweights is not None:
        aweights = _checked_weights("aweights", aweights, n, floating=True)
        w = aweights if w is None else w * aweights
    if w is None:
        mean = x.mean(1, keepdim=True)
        norm = n - correction
        if norm <= 0:
            warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than "
                 "the number of observations.")
            norm = 0
        centered = x - mean
        return (centered.mm(centered.t()) / norm).squeeze()
    w = w.reshape(-1)
    total = w.sum()
    mean = (x * w).sum(1, keepdim=True) / total
    if correction == 0:
        norm = total
    elif aweights is None:
        norm = total - correction
    else:
        norm = total - correction * (w * aweights.reshape(-1)).sum() / total
    norm = where(norm > 0, norm, 0)
    centered = x - mean
    return ((centered * w).mm(centered.t()) / norm).to(x.dtype).squeeze()


def corrcoef(input):
    """Pearson's correlation coefficients of input's rows (cov scaled by the standard
    deviations), clipped to [-1, 1]."""
    c = cov(input)
    if c.ndim == 0:
        return c / c
    std = c.diagonal().sqrt()
    c = c / std.unsqueeze(1)
    c = c / std.unsqueeze(0)
    return c.clamp(-1, 1)


# -- dist, aminmax -------------------------------------------------------------------------
def dist(input, other, p=2):
    """The p-norm of input - other."""
    _check_tensor(input, "dist")
    _check_tensor(other, "dist", "other", 2)
    d = ops.result_type([input, other])
    if not d.is_floating_point:
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. "
                           f"Got {ops.torch_name(d)} instead.")
    return linalg.vector_norm(input - other, p)


def aminmax(input, *, dim=None, keepdim=False, out=None):
    """(min, max) of input, or of each row along dim."""
    result = _aminmax(input, dim, keepdim)
    return result if out is None else write_out(out, result)


def _aminmax(input, dim, keepdim):
    _check_tensor(input, "aminmax")
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as "
                               "the operation has no identity.")
        if keepdim:
            shape = (1,) * input.ndim
            return aminmax_type(amin(input).reshape(shape), amax(input).reshape(shape))
        return aminmax_type(amin(input), amax(input))
    d = ops.normalize_dim(dim, input.ndim)
    if input.ndim and input._shape[d] == 0:
        raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
    return aminmax_type(amin(input, d, keepdim), amax(input, d, keepdim))


FUNCTIONS = ("logcumsumexp", "quantile", "nanquantile", "histogram", "cov", "corrcoef",
             "dist", "aminmax")


def _attach():
    g = globals()
    for name in FUNCTIONS:
        setattr(Tensor, name, g[name])


_attach()
