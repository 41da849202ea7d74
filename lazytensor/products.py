"""Products composed of matrix products: addmm, addmv, addbmm, baddbmm (beta * input +
alpha * product), tensordot and cdist. Their derivatives are in derivatives.py."""
import math

from .autograd_graph import no_grad
from .composite import bmm
from .linalg import mm, mv
from .movement import permute, reshape
from .ops import torch_name
from .tensor import Tensor


def _combine(input, product, beta, alpha):
    """beta * input + alpha * product; beta = 0 ignores input (NaN in it included), as
    PyTorch does."""
    out = product if alpha == 1 else product * alpha
    input = input.expand(out.shape)         # PyTorch's error for an input that does not fit
    if beta == 0:
        return out
    return out + (input if beta == 1 else input * beta)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    result = _combine(input, mm(mat1, mat2), beta, alpha)
    return result if out is None else out.copy_(result)


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    result = _combine(input, mv(mat, vec), beta, alpha)
    return result if out is None else out.copy_(result)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    result = _combine(input, bmm(batch1, batch2), beta, alpha)
    return result if out is None else out.copy_(result)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * the sum over the batch of batch1[i] @ batch2[i]."""
    result = _combine(input, bmm(batch1, batch2).sum(0), beta, alpha)
    return result if out is None else out.copy_(result)


def tensordot(a, b, dims=2, out=None):
    """The sum over dims of a and b paired up: an int n pairs a's last n with b's first n;
    a pair of lists names them."""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got "
                               f"dims={dims}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = (d.tolist() if isinstance(d, Tensor) else [d] if isinstance(d, int)
                  else list(d) for d in dims)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    da = [d % a.ndim for d in da]
    db = [d % b.ndim for d in db]
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[x]} in dim {x} and second has size {b.shape[y]} in "
                               f"dim {y}")
    free_a = [d for d in range(a.ndim) if d not in da]
    free_b = [d for d in range(b.ndim) if d not in db]
    k = math.prod(a.shape[d] for d in da)
    left = reshape(permute(a, free_a + da), (-1, k))
    right = reshape(permute(b, db + free_b), (k, -1))
    result = reshape(mm(left, right), tuple(a.shape[d] for d in free_a) +
                     tuple(b.shape[d] for d in free_b))
    return result if out is None else out.copy_(result)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between each row of x1 and each row of x2 (batched over leading
    dims): p = 0 counts differing coordinates, p = inf takes the largest."""
    if x1.ndim < 2 or x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 0:
        return (diff != 0).to(diff.dtype).sum(-1)
    if math.isinf(p):
        return diff.abs().amax(-1)
    if p == 1:
        return diff.abs().sum(-1)
    if p == 2:
        return (diff * diff).sum(-1).sqrt()
    return diff.abs().pow(p).sum(-1).pow(1 / p)


def _write(self, compute, other):
    """self overwritten with compute()'s result, PyTorch's checks first. Autograd's record
    of the in-place op (AddmmBackward0, ...), made by its wrapper around these methods,
    holds the derivative, so the write itself is made out of its sight."""
    if other.dtype is not self.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                           f"{torch_name(self.dtype)} and {torch_name(other.dtype)}")
    with no_grad():
        result = compute()
        if result._shape != self._shape:
            raise RuntimeError(f"Bad in-place call: input tensor size {list(self._shape)} and "
                               f"output tensor size {list(result._shape)} should match")
        return self.copy_(result)


def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
    return _write(self, lambda: addmm(self, mat1, mat2, beta=beta, alpha=alpha), mat2)


def addmv_(self, mat, vec, *, beta=1, alpha=1):
    return _write(self, lambda: addmv(self, mat, vec, beta=beta, alpha=alpha), vec)


def addbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    return _write(self, lambda: addbmm(self, batch1, batch2, beta=beta, alpha=alpha), batch2)


def baddbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    return _write(self, lambda: baddbmm(self, batch1, batch2, beta=beta, alpha=alpha), batch2)


METHODS = ("addmm", "addmv", "addbmm", "baddbmm", "addmm_", "addmv_", "addbmm_", "baddbmm_")


def _attach():
    for name in METHODS:
        setattr(Tensor, name, globals()[name])


_attach()
