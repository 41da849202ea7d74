"""Least squares and the pseudo-inverse: torch.linalg.lstsq, torch.linalg.pinv and
torch.pinverse.

lstsq runs NumPy's LAPACK gelsd at the call (as PyTorch's does: a matrix gels cannot
solve raises there) and fills the result's fields as PyTorch's
CPU drivers do: gelsy (the default) gives the rank only, gelsd and gelss the rank and the
singular values, gels neither; residuals exist for tall full-rank systems except with gelsy.
NumPy works in double precision, so float32 results can differ from PyTorch's in the last
bits, and gelsy's rank comes from the singular values rather than a pivoted QR.

pinv is composed of linalg.svd (or linalg.eigh for hermitian=True) and products, the way
PyTorch defines it, so its gradient follows from theirs."""
import numpy as np

from . import dtypes, linalg, ops
from .creation import empty, zeros
from .linalg import LinAlgError, _as_float, _need_tensor
from .out import write_out
from .reductions import _named, return_types
from .tensor import Tensor
from .typeinfo import finfo

return_types.linalg_lstsq = _named("linalg_lstsq",
                                   ("solution", "residuals", "rank", "singular_values"))

_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _lstsq_shapes(A, B):
    """(vector case, batch shape, m, n, k) with PyTorch's checks and messages."""
    if A.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if B.ndim < 1:
        raise RuntimeError("torch.linalg.lstsq: other must have at least 1 dimension.")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same "
                           f"dtype, but got input's dtype {ops.torch_name(A.dtype)} and other's "
                           f"dtype {ops.torch_name(B.dtype)}")
    vector = B.ndim == 1 or B.ndim == A.ndim - 1
    m, n = A._shape[-2:]
    batch = ops.broadcast_shapes(A._shape[:-2], B._shape[:-1] if vector else B._shape[:-2])
    if (B._shape[-1] if vector else B._shape[-2]) != m:
        raise RuntimeError(f"torch.linalg.lstsq: input.size(-2) should match "
                           f"other.size({-1 if vector else -2})")
    return vector, batch, m, n, 1 if vector else B._shape[-1]


def _solve_each(a, b, rcond, driver):
    """np.linalg.lstsq of each matrix pair: solutions, residuals (None unless every matrix
    has them, as PyTorch gives them), ranks and singular values."""
    count, (m, n), k = a.shape[0], a.shape[1:], b.shape[-1]
    x = np.zeros((count, n, k), a.dtype)
    res = np.zeros((count, k), a.dtype)
    ranks = np.zeros(count, np.int64)
    sv = np.zeros((count, min(m, n)), a.dtype)
    every = True
    for i in range(count):
        x[i], r, ranks[i], sv[i] = np.linalg.lstsq(a[i], b[i], rcond=rcond)
        if len(r):
            res[i] = r
        every = every and bool(len(r))
    if driver == "gels":
        short = np.nonzero(ranks < min(m, n))[0]
        if len(short):
            raise LinAlgError(f"torch.linalg.lstsq: The least squares solution could not be "
                              f"computed because the input matrix does not have full rank "
                              f"(error code: {ranks[short[0]] + 1}).")
        every = m > n
    return x, res if every and m > n and driver != "gelsy" else None, ranks, sv


def lstsq(A, B, rcond=None, *, driver=None, out=None):
    """torch.linalg.lstsq: X minimising ||A X - B|| for each matrix of A (the minimum-norm
    one where A has not full rank); B a matrix or, when B.ndim is 1 or A.ndim - 1, a
    vector."""
    _need_tensor("linalg_lstsq", "self", 1, A)
    _need_tensor("linalg_lstsq", "b", 2, B)
    vector, batch, m, n, k = _lstsq_shapes(A, B)
    driver = "gelsy" if driver is None else driver
    if driver not in _DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, "
                           "gelsy, gelsd, gelss)")
    if A.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if rcond is None:
        rcond = finfo(A.dtype).eps * max(m, n)
    dtype = A.dtype
    a = np.broadcast_to(_as_float(A.detach()._values(), dtype), batch + (m, n))
    b = _as_float(B.detach()._values(), dtype)
    b = np.broadcast_to(b[..., None] if vector else b, batch + (m, k))
    count = int(np.prod(batch))
    x, res, ranks, sv = _solve_each(a.reshape(count, m, n), b.reshape(count, m, k), rcond,
                                    driver)
    solution = Tensor._from_array(x.reshape(batch + ((n,) if vector else (n, k))), dtype,
                                  A.device)
    residuals = empty(0, dtype=dtype, device=A.device) if res is None else \
        Tensor._from_array(res.reshape(batch + (k,)), dtype, A.device)
    rank = empty(0, dtype=dtypes.int64, device=A.device) if driver == "gels" else \
        Tensor._from_array(ranks.reshape(batch), dtypes.int64, A.device)
    singular = Tensor._from_array(sv.reshape(batch + (min(m, n),)), dtype, A.device) \
        if driver in ("gelsd", "gelss") else empty(0, dtype=dtype, device=A.device)
    result = return_types.linalg_lstsq(solution, residuals, rank, singular)
    return write_out(out, result) if out is not None else result


# -- pinv -----------------------------------------------------------------------------------------
def _tolerance(atol, rtol, largest, A):
    """max(atol, rtol * largest singular value) per matrix, with PyTorch's defaults: rtol
    is eps * max(m, n) unless atol is given (and positive, for a number)."""
    if rtol is None:
        given = atol is not None and (isinstance(atol, Tensor) or atol > 0)
        rtol = 0.0 if given else finfo(A.dtype).eps * max(A._shape[-2:])
    atol = 0.0 if atol is None else atol
    if isinstance(atol, Tensor):
        atol = atol.unsqueeze(-1)
    if isinstance(rtol, Tensor):
        rtol = rtol.unsqueeze(-1)
    scaled = largest * rtol
    if isinstance(atol, Tensor):
        return scaled.maximum(atol.to(scaled.dtype))
    return scaled.clamp_min(atol)


def pinv(A, rcond=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """torch.linalg.pinv: the pseudo-inverse from the singular values above the tolerance
    (the eigenvalues, in absolute value, for hermitian=True, reading A's lower triangle).
    rcond (positional) is the older name of rtol."""
    _need_tensor("linalg_pinv", "input", 1, A)
    if A.ndim < 2 or A.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(f"linalg.pinv({ops.torch_name(A.dtype)}{{{list(A._shape)}}}): expected "
                           f"a tensor with 2 or more dimensions of float, double, cfloat or "
                           f"cdouble types")
    if rcond is not None:
        rtol = rcond
    if A.numel() == 0:
        result = zeros(A._shape[:-2] + (A._shape[-1], A._shape[-2]), dtype=A.dtype,
                       device=A.device)
    elif hermitian:
        values, vectors = linalg.eigh(A)
        size = values.abs()
        tol = _tolerance(atol, rtol, size.amax(-1, keepdim=True), A)
        inverse = (1 / values).where(size > tol, 0.0)
        result = (vectors * inverse.unsqueeze(-2)) @ vectors.mT
    else:
        U, S, Vh = linalg.svd(A, full_matrices=False)
        tol = _tolerance(atol, rtol, S.narrow(-1, 0, 1), A)
        inverse = (1 / S).where(S > tol, 0.0)
        result = (Vh.mT * inverse.unsqueeze(-2)) @ U.mT
    return write_out(out, result) if out is not None else result


def pinverse(input, rcond=1e-15):
    """torch.pinverse / Tensor.pinverse: linalg.pinv with rcond as its relative tolerance."""
    if not isinstance(input, Tensor):
        raise TypeError(f"pinverse(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return pinv(input, rtol=rcond)


Tensor.pinverse = pinverse
