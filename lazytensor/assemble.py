"""PyTorch functions that assemble a tensor from the elements or blocks of others: kron,
block_diag, diag_embed, cartesian_prod, combinations, repeat_interleave, and the index
tables tril_indices / triu_indices."""
import itertools

import numpy as np

from . import dtypes, ops
from .composite import index_select, meshgrid
from .creation import as_tensor_arg, tensor_from_values, zeros
from .movement import stack
from .tensor import Tensor


def kron(a, b):
    """The Kronecker product: block (i, j, ...) of the result is a[i, j, ...] * b."""
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    n = max(a.ndim, b.ndim)
    sa, sb = (1,) * (n - a.ndim) + a._shape, (1,) * (n - b.ndim) + b._shape
    wide_a = a.reshape(tuple(s for d in sa for s in (d, 1)))
    wide_b = b.reshape(tuple(s for d in sb for s in (1, d)))
    return (wide_a * wide_b).reshape(tuple(x * y for x, y in zip(sa, sb)))


def block_diag(*tensors):
    """The tensors (0-, 1- or 2-D) as blocks down the diagonal of a zero matrix."""
    blocks = []
    for i, t in enumerate(tensors):
        t = as_tensor_arg(t)
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t.ndim} dimensions")
        blocks.append(t.reshape(1, -1) if t.ndim < 2 else t)
    if not blocks:
        return zeros(1, 0)
    d = ops.result_type(blocks)
    out = zeros(sum(t._shape[0] for t in blocks), sum(t._shape[1] for t in blocks), dtype=d)
    row = col = 0
    for t in blocks:
        r, c = t._shape
        out[row:row + r, col:col + c] = t.to(d)
        row, col = row + r, col + c
    return out


def diag_embed(x, offset=0, dim1=-2, dim2=-1):
    """A tensor whose diagonals (offset, between dims dim1 and dim2) hold x's last dim."""
    n = x.ndim + 1
    a, b = ops.normalize_dim(dim1, n), ops.normalize_dim(dim2, n)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = (x._shape[-1] if x.ndim else 1) + abs(offset)
    shape = list(x._shape[:-1])
    for d in sorted((a, b)):
        shape.insert(d, size)
    out = zeros(*shape, dtype=x.dtype, device=x.device)
    out.diagonal(offset, a, b).copy_(x)
    return out


def _index_table(pairs, dtype, device):
    return tensor_from_values(np.stack(pairs).astype(np.int64).reshape(2, -1),
                              dtypes.to_dtype(dtype), device)


def tril_indices(row, col, offset=0, *, dtype=dtypes.int64, device="cpu"):
    """The (row, column) indices of the lower triangle of a row x col matrix, row by row."""
    return _index_table(np.tril_indices(row, offset, col), dtype, device)


def triu_indices(row, col, offset=0, *, dtype=dtypes.int64, device="cpu"):
    return _index_table(np.triu_indices(row, offset, col), dtype, device)


def cartesian_prod(*tensors):
    """Every combination of one element from each 1-D tensor, as rows (itertools.product)."""
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t._shape)}")
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)


def combinations(x, r=2, with_replacement=False):
    """The length-r combinations of a 1-D tensor's elements, as rows (itertools order)."""
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(x._shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return zeros(0, dtype=x.dtype, device=x.device)
    pick = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations
    rows = np.array(list(pick(range(x._shape[0]), r)), np.int64).reshape(-1, r)
    return stack([index_select(x, 0, tensor_from_values(rows[:, k], dtypes.int64, x.device))
                  for k in range(r)], 1)


def repeat_interleave(x, repeats=None, dim=None, *, output_size=None):
    """Each element (or slice along dim) repeated: `repeats` times, or repeats[i] times for
    element i; with only a tensor of counts, the indices 0, 1, ... repeated by them."""
    if repeats is None:                       # torch.repeat_interleave(counts)
        counts = _counts(x, None)
        return tensor_from_values(np.repeat(np.arange(len(counts)), counts), dtypes.int64,
                                  x.device)
    if dim is None:
        x, d = x.reshape(-1), 0
    else:
        d = ops.normalize_dim(dim, x.ndim)
    size = x._shape[d] if x.ndim else 1
    if isinstance(repeats, Tensor):
        if repeats.ndim == 1 and repeats._shape[0] != size and repeats._shape[0] != 1:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {repeats._shape[0]} and input.size({d}) = "
                               f"{size}")
        counts = _counts(repeats, size)
    else:
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        counts = np.full(size, int(repeats), np.int64)
    index = np.repeat(np.arange(size), counts)
    if output_size is not None and output_size != index.size:
        raise RuntimeError("allocated size does not match required size")
    return index_select(x, d, tensor_from_values(index, dtypes.int64, x.device))


def _counts(repeats, size):
    if repeats.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if repeats.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError("repeats has to be Long or Int tensor")
    counts = repeats.numpy().reshape(-1).astype(np.int64)
    if (counts < 0).any():
        raise RuntimeError("repeats can not be negative")
    if size is not None and counts.size == 1:
        counts = np.full(size, counts[0], np.int64)
    return counts


Tensor.kron = kron
Tensor.diag_embed = diag_embed
Tensor.repeat_interleave = repeat_interleave
