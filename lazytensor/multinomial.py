"""torch.multinomial: category indices drawn from rows of (unnormalised) probabilities, as
PyTorch 2.13 draws them on the CPU, so the same seed gives the same indices.

Without replacement (and for a single draw) PyTorch takes the largest p / q with q ~ Exp(1)
drawn like exponential_ over the input's shape (the Gumbel trick): argmax for one sample,
topk for several. With replacement it searches each row's cumulative distribution, summed in
the input's precision (float for float16/bfloat16) and divided by its total, for one double
uniform per sample, row after row. Every check is made before anything is drawn."""
import builtins

import numpy as np

from . import dtypes
from . import random as rng
from .creation import empty, empty_like
from .ops import torch_name
from .out import write_out
from .tensor import Tensor

_MAX_CATEGORIES = 1 << 24


def _check(input, num_samples, replacement):
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if isinstance(num_samples, bool) or not isinstance(num_samples, int):
        raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, not "
                        f"{type(num_samples).__name__}")
    if not 0 < input.ndim <= 2:
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{torch_name(input.dtype)}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    categories = input._shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if categories > _MAX_CATEGORIES:
        raise RuntimeError("number of categories cannot exceed 2^24")


def _rows(input):
    """The probabilities as a 2-D float array (float16/bfloat16 widened to float32)."""
    values = input.detach()._values()
    return values.reshape(input._shape[0] if input.ndim == 2 else 1, input._shape[-1])


def _check_values_for_topk(rows):
    """PyTorch's checks on the fast path: every entry finite and >= 0, no row summing to 0."""
    if rows.size == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    with np.errstate(invalid="ignore"):
        if not (rows.max() < np.inf and rows.min() >= 0):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    with np.errstate(over="ignore"):
        empty_row = (rows.sum(axis=1) == 0).any()
    if empty_row:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def _cumulative(rows, input):
    """Each row's cumulative sum in the kernel's precision, divided by its total; the
    kernel's checks (entry by entry, then the row's total) raise for the first bad row."""
    acc = np.float64 if input.dtype is dtypes.float64 else np.float32
    rows = rows.astype(acc)
    with np.errstate(over="ignore", invalid="ignore"):
        bad = ~(rows >= 0) | ~np.isfinite(rows)
        cum = np.cumsum(rows, axis=1, dtype=acc)
        totals = cum[:, -1:] if cum.shape[1] else np.zeros((cum.shape[0], 1), acc)
        failed = bad.any(axis=1) | ~(totals[:, 0] > 0)
        if failed.any():
            row = int(np.argmax(failed))
            if bad[row].any():
                if not rows[row, np.argmax(bad[row])] >= 0:
                    raise RuntimeError("invalid multinomial distribution (encountering "
                                       "probability entry < 0)")
                raise RuntimeError("invalid multinomial distribution (encountering "
                                   "probability entry = infinity or NaN)")
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cum = cum / totals
    cum[:, -1] = 1
    return cum


def _search(cum, uniforms):
    """For each row's uniforms, the first slot whose cumulative value is not below it, by
    the kernel's binary search (a NaN slot counts as not below, as the comparison says)."""
    n = cum.shape[1]
    left = np.zeros(uniforms.shape, np.int64)
    right = np.full(uniforms.shape, n, np.int64)
    rows = np.arange(cum.shape[0])[:, None]
    while (right > left).any():
        active = right > left
        mid = left + (right - left) // 2
        below = cum[rows, np.minimum(mid, n - 1)].astype(np.float64) < uniforms
        left = np.where(active & below, mid + 1, left)
        right = np.where(active & ~below, mid, right)
    return left


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """num_samples indices per row of input, drawn with probabilities proportional to the
    row's entries (each at most once without replacement)."""
    _check(input, num_samples, replacement)
    gen = generator or rng.default_generator
    shape = (num_samples,) if input.ndim == 1 else (input._shape[0], num_samples)
    if builtins.min(shape) == 0:
        result = empty(shape, dtype=dtypes.int64, device=input.device)
    elif not replacement or num_samples == 1:
        _check_values_for_topk(_rows(input))
        p = input.detach()
        q = p / empty_like(p).exponential_(1, generator=gen)
        if num_samples == 1:
            result = q.argmax(-1, keepdim=True)
        else:
            result = q.topk(num_samples).indices
    else:
        cum = _cumulative(_rows(input), input)
        uniforms = rng._uniform_double(gen, cum.shape[0] * num_samples).reshape(
            cum.shape[0], num_samples)
        result = Tensor._from_array(_search(cum, uniforms).reshape(shape), dtypes.int64,
                                    input.device)
    return result if out is None else write_out(out, result)


Tensor.multinomial = multinomial
