"""Which ATen kernel a matrix product runs (dot, mv, mm, a folded batch, bmm): it decides
the messages linalg's checks give and the grad_fn autograd records; every path computes the
same way (linalg._contract)."""
from . import graph


def mT(x):
    """(shape, strides) of x with its last two dims swapped."""
    s, st = list(x._shape), list(x._strides)
    s[-1], s[-2], st[-1], st[-2] = s[-2], s[-1], st[-2], st[-1]
    return tuple(s), tuple(st)


def _should_fold(a, b, has_out):
    """ATen's should_fold: fold the batched operand into a matrix instead of a bmm."""
    larger = a.ndim >= b.ndim
    shape, strides = (a._shape, a._strides) if larger else mT(b)
    small = b if larger else a
    if not (len(shape) >= 3 and small.ndim <= 2):
        return False
    if small.requires_grad and not has_out:
        return True
    if a.ndim == 2:
        return False
    if graph.prod(shape) == 0:
        return True
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def matmul_path(a, b, has_out=False):
    """(kind, a, b): the ATen kernel matmul(a, b) runs and the operands it sees. kind is 'dot',
    'mv', 'vm' (1-D @ 2-D: mm of a.unsqueeze(0), squeezed), 'mm', 'fold' (a's batch folded
    into an mm/mv), 'fold_t' (b's batch folded, the result transposed back) or 'bmm'."""
    da, db = a.ndim, b.ndim
    if da == 1 and db == 1:
        return "dot", a, b
    if (da, db) in ((2, 1), (1, 2), (2, 2)):
        return {(2, 1): "mv", (1, 2): "vm", (2, 2): "mm"}[(da, db)], a, b
    if _should_fold(a, b, has_out):
        return ("fold_t" if db > da else "fold"), a, b
    if da == 3 and db == 3 and a._shape[0] != b._shape[0]:
        if a._shape[0] == 1 and a.requires_grad:
            return matmul_path(a.squeeze(0), b, has_out)
        if b._shape[0] == 1 and b.requires_grad:
            return matmul_path(a, b.squeeze(0), has_out)
    return "bmm", a, b
