"""More linear algebra: products (inner, vdot, addr, matrix_power, matrix_exp, multi_dot),
the LU family (lu_factor, lu, lu_unpack, lu_solve), triangular and Cholesky solves,
matrix_rank, cond, householder_product, vecdot, and PyTorch's older top-level spellings
(torch.svd returning V, torch.qr with some=, torch.lu, torch.triangular_solve...).

Most are composed of recorded ops (matmul, linalg.solve, linalg.svd, tril/triu, where), so
their derivatives come from those; the LU factorisation itself is an extern node over NumPy
(LAPACK getf2's order, as linalg.det uses), with no derivative yet."""
import math

import numpy as np

from . import (autograd, autograd_graph, creation, custom_function, dtypes, linalg, movement,
               ops)
from .linalg import LinAlgError, _check_floating, _check_matrix, _check_square
from .reductions import _named, return_types
from .tensor import Tensor
from .user_warnings import warn as _warn

_WARNED = set()


def warn(message):
    """PyTorch's deprecation warnings of these functions are given once a process."""
    key = message[:40]
    if key not in _WARNED:
        _WARNED.add(key)
        _warn(message)

for _name, _fields in (("svd", ("U", "S", "V")), ("qr", ("Q", "R")),
                       ("triangular_solve", ("solution", "cloned_coefficient")),
                       ("_lu_with_info", ("LU", "pivots", "info")),
                       ("linalg_lu_factor", ("LU", "pivots")),
                       ("linalg_lu_factor_ex", ("LU", "pivots", "info")),
                       ("linalg_lu", ("P", "L", "U")), ("lu_unpack", ("P", "L", "U")),
                       ("linalg_inv_ex", ("inverse", "info")),
                       ("linalg_solve_ex", ("result", "info")),
                       ("linalg_cholesky_ex", ("L", "info")), ("geqrf", ("a", "tau")),
                       ("linalg_ldl_factor", ("LD", "pivots")),
                       ("linalg_ldl_factor_ex", ("LD", "pivots", "info"))):
    setattr(return_types, _name, _named(_name, _fields))


def _tn(x):
    return ops.torch_name(x.dtype)


def _c_name(x):
    """The C type name some of ATen's messages use (float, double, long...)."""
    return {"Float": "float", "Double": "double", "Long": "long", "Int": "int", "Half": "c10::Half",
            "BFloat16": "c10::BFloat16", "Bool": "bool", "Short": "short", "Char": "signed char",
            "Byte": "unsigned char"}.get(_tn(x), _tn(x))


def _eye_like(A, n=None):
    n = A.shape[-1] if n is None else n
    return creation.eye(n, dtype=A.dtype, device=A.device)


# -- products -----------------------------------------------------------------------------------


def inner(input, other, *, out=None):
    """The sum over the last dim of input times other (a scalar operand multiplies)."""
    if input.ndim == 0 or other.ndim == 0:
        result = input * other
    else:
        if input.shape[-1] != other.shape[-1]:
            raise RuntimeError(f"inner() the last dimension must match on both input tensors "
                               f"but got shapes {list(input.shape)} and {list(other.shape)}")
        if input.dtype is not other.dtype:
            raise RuntimeError("both inputs should have same dtype")
        a = input.reshape(-1, input.shape[-1])
        b = other.reshape(-1, other.shape[-1])
        result = a.mm(b.t()).reshape(tuple(input.shape[:-1]) + tuple(other.shape[:-1]))
    return result if out is None else out.copy_(result)


def vdot(input, other, *, out=None):
    """dot of two vectors (the first conjugated: for real tensors, dot)."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                           f"tensors")
    # dot checks the dtypes and sizes with the same messages (conj keeps both)
    result = linalg.dot(input.conj() if input.dtype.is_complex else input, other)
    return result if out is None else out.copy_(result)


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * outer(vec1, vec2) (beta = 0 ignores input, NaN included; for
    bool tensors `and`/`or` in place of product and sum)."""
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.ndim}-D")
    product = vec1.unsqueeze(1) * vec2.unsqueeze(0)
    if product.dtype is dtypes.bool_:
        result = product if alpha else creation.zeros_like(product)
        if beta:
            result = result.logical_or(input.expand(result.shape))
        else:
            input.expand(result.shape)
    else:
        result = product if alpha == 1 else product * alpha
        expanded = input.expand(result.shape)
        if beta != 0:
            result = result + (expanded if beta == 1 else expanded * beta)
    return result if out is None else out.copy_(result)


def addr_(self, vec1, vec2, *, beta=1, alpha=1):
    if self.ndim != 2:
        raise RuntimeError(f"2D tensor expected, got {self.ndim}D tensor for input")
    if vec1.ndim == 1 and vec2.ndim == 1 and tuple(self.shape) != (len(vec1), len(vec2)):
        raise RuntimeError(f"size mismatch, input: {list(self.shape)}, v1: {list(vec1.shape)}, "
                           f"v2: {list(vec2.shape)}")
    return self.copy_(addr(self, vec1, vec2, beta=beta, alpha=alpha))


addr_._lt_autograd = True        # copy_ records the write, addr's ops their own steps


def ger(input, vec2):
    return input.outer(vec2)


def matrix_power(A, n, *, out=None):
    """A multiplied by itself n times (by repeated squaring); n = 0 the identity, n < 0 the
    inverse's power."""
    _check_square(A, "linalg.matrix_power")
    if n == 0:
        result = _eye_like(A).expand(A.shape).clone()
    else:
        base = linalg.inv(A) if n < 0 else A
        n, result = abs(n), None
        while n:
            if n & 1:
                result = base if result is None else result.matmul(base)
            n >>= 1
            if n:
                base = base.matmul(base)
        if result is A:
            result = A.clone()
    return result if out is None else out.copy_(result)


def matrix_exp(A):
    """e^A by scaling and squaring: A / 2^s (1-norm <= 1/2) through a Taylor polynomial
    (Horner's scheme of matmuls: degree 18 in float64, 10 below, each far under one ulp),
    then squared s times. Made of matmuls, so its derivative is theirs. Choosing s reads
    the norm of A (realising it)."""
    _check_square(A, "linalg.matrix_exp")
    _check_floating(A, "linalg.matrix_exp")
    if A.numel() == 0:
        return A.clone()
    norm = float(A.detach().abs().sum(-2).amax().item())
    s = max(0, math.ceil(math.log2(norm / 0.5))) if norm > 0.5 and math.isfinite(norm) else 0
    X = A / (2 ** s) if s else A
    eye = _eye_like(A)
    degree = 18 if A.dtype is dtypes.float64 else 10
    result = eye + X / degree
    for k in range(degree - 1, 0, -1):
        result = eye + X.matmul(result) / k
    for _ in range(s):
        result = result.matmul(result)
    return result


def _check_multi_dot(tensors):
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(tensors):
        where = "the first tensor" if i == 0 else "the last tensor" if i == n - 1 else None
        if where and t.ndim not in (1, 2):
            raise RuntimeError(f"multi_dot(): {where} must be 1D or 2D but got {t.ndim}D")
        if not where and t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    for i, t in enumerate(tensors[1:], 1):
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but "
                               f"tensor 0 is {_c_name(tensors[0])} and tensor {i} "
                               f"{_c_name(t)}")


def multi_dot(tensors, *, out=None):
    """The product of a chain of matrices (the first and last may be vectors)."""
    tensors = list(tensors)
    _check_multi_dot(tensors)
    first, last = tensors[0].ndim == 1, tensors[-1].ndim == 1
    mats = [tensors[0].unsqueeze(0) if first else tensors[0]] + tensors[1:-1] + \
        [tensors[-1].unsqueeze(1) if last else tensors[-1]]
    for i in range(len(mats) - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes "
                               f"{list(tensors[i].shape)} and {list(tensors[i + 1].shape)} "
                               f"cannot be multiplied")
    result = _chain_product(mats)
    if first:
        result = result.squeeze(0)
    if last:
        result = result.squeeze(-1)
    return result if out is None else out.copy_(result)


def _chain_product(mats):
    """The product in the order with the fewest multiplications (the classic dynamic
    programme; for three matrices the direct comparison), as PyTorch orders it."""
    n = len(mats)
    if n == 2:
        return mats[0].mm(mats[1])
    dims = [m.shape[0] for m in mats] + [mats[-1].shape[1]]
    if n == 3:
        a, b, c, d = dims
        if a * c * (b + d) > b * d * (a + c):
            return mats[0].mm(mats[1].mm(mats[2]))
        return mats[0].mm(mats[1]).mm(mats[2])
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] is None or q < cost[i][j]:
                    cost[i][j], split[i][j] = q, k

    def product(i, j):
        if i == j:
            return mats[i]
        k = split[i][j]
        return product(i, k).mm(product(k + 1, j))
    return product(0, n - 1)


def chain_matmul(*matrices, out=None):
    warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. "
         "Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors "
         "rather than multiple parameters.")
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    result = matrices[0].clone() if len(matrices) == 1 else multi_dot(matrices)
    return result if out is None else out.copy_(result)


def vecdot(x, y, *, dim=-1, out=None):
    """The dot product of x and y along dim (after broadcasting)."""
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found "
                           f"x of type {_tn(x)} and y of type {_tn(y)} instead")
    result = (x * y).sum(dim)
    return result if out is None else out.copy_(result)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return A.diagonal(offset, dim1, dim2)


# -- old top-level spellings ----------------------------------------------------------------------


def svd(input, some=True, compute_uv=True, *, out=None):
    """U, S, V with input = U diag(S) V^T (V, not linalg.svd's Vh); some=False gives square
    U and V; compute_uv=False gives zero-filled U and V of the full sizes."""
    _check_matrix(input, "linalg.svd")
    if compute_uv:
        U, S, Vh = linalg.svd(input, full_matrices=not some)
        result = return_types.svd(U, S, Vh.mT)
    else:
        S = linalg.svdvals(input)
        m, n = input.shape[-2:]
        batch = tuple(input.shape[:-2])
        zeros = [creation.zeros(batch + (k, k), dtype=input.dtype, device=input.device)
                 for k in (m, n)]
        result = return_types.svd(zeros[0], S, zeros[1])
    if out is not None:
        for o, r in zip(out, result):
            o.copy_(r)
    return result


def qr(input, some=True, *, out=None):
    warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future "
         "PyTorch release.\nThe boolean parameter 'some' has been replaced with a string "
         "parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\nQ, R = "
         "torch.linalg.qr(A, 'reduced' if some else 'complete')")
    Q, R = linalg.qr(input, "reduced" if some else "complete")
    return return_types.qr(Q, R)


_REMOVED = ("This function was deprecated since version 1.9 and is now removed.")


def solve(input, A, *, out=None):
    """Removed in PyTorch 1.9; raises PyTorch's message pointing at linalg.solve."""
    raise RuntimeError(f"{_REMOVED} `torch.solve` is deprecated in favor of "
                       f"`torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed "
                       f"and does not return the LU factorization.\n\nTo get the LU "
                       f"factorization see `torch.lu`, which can be used with "
                       f"`torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A)."
                       f"solution should be replaced with:\nX = torch.linalg.solve(A, B)")


def matrix_rank_removed(input, tol=None, symmetric=False, *, out=None):
    raise RuntimeError(f"{_REMOVED}\nPlease use the `torch.linalg.matrix_rank` function "
                       f"instead. The parameter 'symmetric' was renamed in "
                       f"`torch.linalg.matrix_rank()` to 'hermitian'.")


def cholesky(input, upper=False, *, out=None):
    warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed "
         "in a future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\nL = "
         "torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be "
         "replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce "
         "equivalent results for all valid (symmetric positive definite) inputs.")
    return linalg.cholesky(input, upper=upper, out=out)


def nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    warn("at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will "
         "be removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', "
         "dim, keepdim)` instead")
    if isinstance(dim, bool):                      # nuclear_norm(input, keepdim)
        dim, keepdim = None, dim
    if dim is None:
        if input.ndim != 2:
            raise RuntimeError(f"Expected a tensor with 2 dimensions, but got a tensor with "
                               f"{input.ndim} dimension{'s' if input.ndim != 1 else ''} "
                               f"instead.")
        dim = (0, 1)
    return linalg.matrix_norm(input, "nuc", dim, keepdim, out=out)


def frobenius_norm(input, dim, keepdim=False, *, out=None):
    warn("at::frobenius_norm is deprecated and it is just left for JIT compatibility. It will "
         "be removed in a future PyTorch release. Please use `linalg.vector_norm(A, 2., dim, "
         "keepdim)` instead")
    return linalg.vector_norm(input, 2, dim, keepdim, out=out)


# -- LU -------------------------------------------------------------------------------------------


def _getf2(a):
    """(lu, pivots 1-based, info) of each matrix of a [..., m, n] by partial pivoting: the
    square case is linalg's (LAPACK's order of operations), the rectangular one the same
    elimination over min(m, n) columns."""
    m, n = a.shape[-2:]
    if m == n:
        lu, piv, info = linalg._lu(a)
        return lu, piv + 1, info
    lu = np.array(a, copy=True).reshape((-1, m, n))
    rows = np.arange(lu.shape[0])
    k = min(m, n)
    piv = np.zeros((lu.shape[0], k), np.int64)
    info = np.zeros(lu.shape[0], np.int64)
    with np.errstate(all="ignore"):
        for j in range(k):
            p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
            piv[:, j] = p + 1
            nonzero = lu[rows, p, j] != 0
            info[~nonzero & (info == 0)] = j + 1
            lu[rows, j], lu[rows, p] = lu[rows, p], lu[rows, j].copy()
            d = lu[:, j, j][:, None]
            lu[:, j + 1:, j] = np.where(nonzero[:, None], lu[:, j + 1:, j] / d,
                                        lu[:, j + 1:, j])
            lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j, None] * lu[:, j, None, j + 1:]
    batch = a.shape[:-2]
    return lu.reshape(a.shape), piv.reshape(batch + (k,)), info.reshape(batch)


def _check_lu_input(A, fname, pivot):
    _check_matrix(A, fname)
    _check_floating(A, fname)
    if not pivot:
        raise RuntimeError(f"{fname}: LU without pivoting is not implemented on the CPU")


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """(LU, pivots, info): L (unit diagonal, below) and U (on and above) packed in one matrix,
    the 1-based row swaps as int32, and each matrix's first zero pivot (0 if none). Square
    matrices have PyTorch's derivative (LinalgLuFactorEx); rectangular ones none yet."""
    _check_lu_input(A, "linalg.lu_factor_ex", pivot)
    if A.shape[-1] == A.shape[-2] and A.requires_grad and autograd.is_grad_enabled():
        LU, pivots, info = LinalgLuFactorEx.apply(A)
        LU.grad_fn.__class__ = _LU_NODE         # PyTorch's name (a Function's node has no 0)
    else:
        LU, pivots, info = _lu_factor_nodes(A)
    if check_errors:
        _raise_zero_pivot(info, "torch.linalg.lu_factor_ex")
    return return_types.linalg_lu_factor_ex(LU, pivots, info)


class LinalgLuFactorEx(custom_function.Function):
    """The LU factorisation of square matrices with its derivative: for A = P L U and the
    gradients gL (below the diagonal of the packed LU) and gU (on and above it),
    gA = P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T."""

    @staticmethod
    def forward(ctx, A):
        LU, pivots, info = _lu_factor_nodes(A)
        ctx.save_for_backward(LU, pivots)
        return LU, pivots, info

    @staticmethod
    def backward(ctx, g_lu, g_pivots, g_info):
        LU, pivots = ctx.saved_tensors
        P, L, U = lu_unpack(LU, pivots)
        phi = L.mT.matmul(g_lu.tril(-1)).tril(-1) + g_lu.triu().matmul(U.mT).triu()
        left = solve_triangular(L.mT, phi, upper=True, unitriangular=True)
        return P.matmul(solve_triangular(U.mT, left, upper=False, left=False))


_LU_NODE = autograd_graph.backward_class("LinalgLuFactorExBackward0")


def _lu_factor_nodes(A):
    """lu_factor_ex's three results as extern nodes sharing one NumPy factorisation."""
    m, n = A.shape[-2:]
    batch, dtype = tuple(A.shape[:-2]), A.dtype
    parts = linalg._shared(lambda a: _getf2(linalg._as_float(a, dtype)), 3)
    lu = linalg._extern("lu_factor.LU", parts[0], [A], batch + (m, n), dtype)
    piv = linalg._extern("lu_factor.pivots", lambda a: parts[1](a).astype(np.int32), [A],
                         batch + (min(m, n),), dtypes.int32)
    info = linalg._extern("lu_factor.info", lambda a: parts[2](a).astype(np.int32), [A], batch,
                          dtypes.int32)
    return lu, piv, info


# no derivative of the factorisation yet: backward through it raises, naming PyTorch's node
lu_factor_ex = autograd._guarding(lu_factor_ex, "linalg_lu_factor_ex")


def _raise_zero_pivot(info, api):
    """PyTorch's error (a RuntimeError, not LinAlgError) for the first zero pivot."""
    try:
        linalg._raise_singular(np.asarray(info.tolist()), api, lambda k: (
            f"U[{k},{k}] is zero and using it on lu_solve would result in a division by zero. "
            f"If you still want to perform the factorization, consider calling linalg.lu(A, "
            f"pivot) or linalg.lu_factor_ex(A, pivot)"))
    except LinAlgError as e:
        raise RuntimeError(str(e)) from None


def lu_factor(A, *, pivot=True, out=None):
    """(LU, pivots) as lu_factor_ex; a zero pivot raises here (the check realises A)."""
    _check_lu_input(A, "linalg.lu_factor", pivot)
    LU, pivots, info = lu_factor_ex(A)
    _raise_zero_pivot(info, "torch.linalg.lu_factor")
    return return_types.linalg_lu_factor(LU, pivots)


def _permutation(pivots, m, dtype, device):
    """The permutation matrices P (A = P L U) of 1-based LAPACK row swaps (read now)."""
    piv = np.asarray(pivots.tolist(), np.int64).reshape(tuple(pivots.shape))
    batch = piv.shape[:-1]
    flat = piv.reshape(-1, piv.shape[-1]) - 1
    perms = np.tile(np.arange(m), (flat.shape[0], 1))
    for b in range(flat.shape[0]):
        for j, p in enumerate(flat[b]):
            perms[b, [j, p]] = perms[b, [p, j]]
    P = np.zeros((flat.shape[0], m, m))
    for b in range(flat.shape[0]):
        P[b, perms[b], np.arange(m)] = 1      # row perms[b][i] of A is row i of L U
    return creation.tensor(P.reshape(batch + (m, m)), dtype=dtype, device=device)


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """P, L, U from lu_factor's packed result: A = P @ L @ U (L unit lower, U upper)."""
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    empty = creation.empty(0, dtype=LU_data.dtype, device=LU_data.device)
    if unpack_data:
        eye = creation.eye(m, k, dtype=LU_data.dtype, device=LU_data.device)
        L = LU_data[..., :, :k].tril(-1) + eye
        U = LU_data[..., :k, :].triu()
    else:
        L = U = empty
    P = _permutation(LU_pivots, m, LU_data.dtype, LU_data.device) if unpack_pivots else empty
    return return_types.lu_unpack(P, L, U)


def linalg_lu(A, *, pivot=True, out=None):
    """P, L, U with A = P @ L @ U."""
    _check_lu_input(A, "linalg.lu", pivot)
    LU, pivots, _ = lu_factor_ex(A)
    P, L, U = lu_unpack(LU, pivots)
    return return_types.linalg_lu(P, L, U)


def lu(A, pivot=True, get_infos=False, out=None):
    warn("torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex"
         " and will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, "
         "compute_pivots)\nshould be replaced with\nLU, pivots = torch.linalg.lu_factor(A, "
         "compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, "
         "get_infos=True)\nshould be replaced with\nLU, pivots, info = "
         "torch.linalg.lu_factor_ex(A, compute_pivots)")
    _check_lu_input(A, "linalg.lu_factor", pivot)
    LU, pivots, info = lu_factor_ex(A)
    if get_infos:
        return return_types._lu_with_info(LU, pivots, info)
    _raise_zero_pivot(info, "torch.linalg.lu_factor")
    return LU, pivots


def linalg_lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    """X with A X = B (or X A = B, left=False; A^T in place of A, adjoint=True) for A = P L U
    given by lu_factor; made of triangular solves, so its derivative is theirs."""
    P, L, U = lu_unpack(LU, pivots)
    if not left:           # X A = B  <=>  A^T X^T = B^T
        return linalg_lu_solve(LU, pivots, B.mT, adjoint=not adjoint).mT
    if adjoint:            # A^T X = B: U^T L^T P^T X = B
        Y = solve_triangular(U.mT, B, upper=False)
        Z = solve_triangular(L.mT, Y, upper=True, unitriangular=True)
        result = P.matmul(Z)
    else:                  # P L U X = B
        Y = solve_triangular(L, P.mT.matmul(B), upper=False, unitriangular=True)
        result = solve_triangular(U, Y, upper=True)
    return result if out is None else out.copy_(result)


def lu_solve(b, LU_data, LU_pivots, *, out=None):
    warn("torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in "
         "a future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments "
         "reversed.\nX = torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = "
         "torch.linalg.lu_solve(LU, pivots, B)")
    return linalg_lu_solve(LU_data, LU_pivots, b, out=out)


# -- triangular and Cholesky solves ---------------------------------------------------------------


def _triangle(A, upper, unitriangular):
    T = A.triu() if upper else A.tril()
    if unitriangular:
        T = (A.triu(1) if upper else A.tril(-1)) + _eye_like(A)
    return T


def _check_same_dtype(b, A):
    if b.dtype is not A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{_tn(b)} and A of type {_tn(A)} instead.")


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """X with T X = B (or X T = B, left=False), T the upper or lower triangle of A (its
    diagonal taken as ones, unitriangular=True). Solved as linalg.solve of the triangle,
    whose derivative then flows to that triangle only; a zero on the diagonal (read now)
    gives LAPACK's inf/nan by substitution instead, with no derivative."""
    _check_matrix(A, "linalg.solve_triangular")
    _check_matrix(B, "linalg.solve_triangular", "B")
    common = dtypes.promote_types(A.dtype, B.dtype)      # PyTorch promotes here
    A, B = A.to(common), B.to(common)
    T = _triangle(A, upper, unitriangular)
    if not left:                       # X T = B  <=>  T^T X^T = B^T
        T, B, upper = T.mT, B.mT, not upper
    if bool((T.detach().diagonal(0, -2, -1) == 0).any()):
        result = _substituted(T, B, upper)          # inf/nan, as LAPACK's trsm gives
    else:
        result = linalg.solve(T, B)
    result = result if left else result.mT
    return result if out is None else out.copy_(result)


def _substituted(T, B, upper):
    """T X = B by plain substitution (NumPy, each matrix of the batch)."""
    dtype = T.dtype

    def fn(t, b):
        t, b = linalg._as_float(t, dtype), linalg._as_float(b, dtype)
        batch = np.broadcast_shapes(t.shape[:-2], b.shape[:-2])
        t = np.broadcast_to(t, batch + t.shape[-2:])
        x = np.array(np.broadcast_to(b, batch + b.shape[-2:]))
        n = t.shape[-1]
        order = range(n - 1, -1, -1) if upper else range(n)
        with np.errstate(all="ignore"):
            for i in order:
                rest = slice(i + 1, n) if upper else slice(0, i)
                x[..., i, :] = (x[..., i, :] - np.einsum("...j,...jk->...k", t[..., i, rest],
                                                         x[..., rest, :])) / t[..., i, i, None]
        return x
    shape = ops.broadcast_shapes(tuple(T.shape[:-2]), tuple(B.shape[:-2])) + tuple(B.shape[-2:])
    return linalg._extern("solve_triangular", fn, [T, B], shape, dtype)


def triangular_solve(b, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """(X, A's copy) with op(T) X = b, T A's triangle and op the transpose if asked."""
    _check_same_dtype(b, A)
    T = _triangle(A, upper, unitriangular)
    X = linalg.solve(T.mT if transpose else T, b)
    return return_types.triangular_solve(X, A.clone())


def cholesky_solve(B, L, upper=False, *, out=None):
    """X with A X = B, A = L L^T given by its Cholesky factor (U^T U with upper=True)."""
    _check_same_dtype(B, L)
    if B.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {B.ndim} dimensions "
                           f"instead")
    if L.ndim < 2:
        raise RuntimeError(f"u should have at least 2 dimensions, but has {L.ndim} dimensions "
                           f"instead")
    lower = L.mT if upper else L
    Y = solve_triangular(lower, B, upper=False)
    result = solve_triangular(lower.mT, Y, upper=True)
    return result if out is None else out.copy_(result)


def cholesky_inverse(L, upper=False, *, out=None):
    """The inverse of A = L L^T (U^T U with upper=True) from its Cholesky factor."""
    _check_square(L, "cholesky_inverse")
    eye = _eye_like(L).expand(L.shape)
    result = cholesky_solve(eye, L, upper)
    return result if out is None else out.copy_(result)


# -- rank, condition number, Householder ----------------------------------------------------------


def matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """The number of singular values above max(atol, rtol * the largest); with neither given,
    rtol = eps * max(m, n)."""
    _check_matrix(A, "linalg.matrix_rank")
    _check_floating(A, "linalg.matrix_rank")
    if tol is not None:
        atol, rtol = tol, 0.0
    S = linalg.eigvalsh(A).abs() if hermitian else linalg.svdvals(A)
    if atol is None and rtol is None:
        rtol = float(np.finfo(A.dtype.to_numpy()).eps) * max(A.shape[-2:])
    elif rtol is None:
        rtol = 0.0
    if S.shape[-1] == 0:
        result = creation.zeros(tuple(S.shape[:-1]), dtype=dtypes.int64, device=A.device)
    else:
        largest = S.amax(-1, keepdim=True)
        atol_t = atol if atol is not None else 0.0
        limit = (largest * rtol).clamp_min(atol_t) if rtol else largest * 0 + atol_t
        result = (S > limit).sum(-1)
    return result if out is None else out.copy_(result)


def cond(A, p=None, *, out=None):
    """The condition number in norm p: for None/2/-2 a ratio of singular values, otherwise
    norm(A) * norm(inv(A)), inf for a singular A."""
    _check_matrix(A, "linalg.cond")
    _check_floating(A, "linalg.cond")
    if p in (None, 2, -2):
        S = linalg.svdvals(A)
        result = S[..., 0] / S[..., -1] if p != -2 else S[..., -1] / S[..., 0]
    else:
        _check_square(A, f"linalg.cond(ord={p})")
        values = linalg._as_float(A._values(), A.dtype)
        info = linalg._lu(values)[2] if values.size else np.zeros(values.shape[:-2], np.int64)
        singular = creation.tensor(np.asarray(info) > 0, device=A.device)
        safe = A.where(~singular[..., None, None], _eye_like(A)) if singular.any() else A
        result = linalg.matrix_norm(safe, p) * linalg.matrix_norm(linalg.inv(safe), p)
        result = result.masked_fill(singular, float("inf"))
    return result if out is None else out.copy_(result)


def householder_product(A, tau, *, out=None):
    """The first n columns of H_1 H_2 ... H_k, H_i = I - tau_i v_i v_i^T with v_i the i-th
    column of A below the diagonal, 1 on it and 0 above (as geqrf leaves a QR)."""
    fname = "torch.linalg.householder_product"
    _check_matrix(A, fname, "input")
    m, n = A.shape[-2:]
    if m < n:
        raise RuntimeError(f"{fname}: input.shape[-2] must be greater than or equal to "
                           f"input.shape[-1]")
    k = tau.shape[-1] if tau.ndim else 1
    if n < k:
        raise RuntimeError(f"{fname}: input.shape[-1] must be greater than or equal to "
                           f"tau.shape[-1]")
    if tau.ndim != A.ndim - 1:
        raise RuntimeError(f"{fname}: Expected tau to have one dimension less than input, "
                           f"but got tau.ndim equal to {tau.ndim} and input.ndim is equal to "
                           f"{A.ndim}")
    rows = creation.arange(m, device=A.device)
    Q = _eye_like(A, m).expand(tuple(A.shape[:-2]) + (m, m))
    for i in range(k):
        v = A[..., :, i].where(rows > i, (rows == i).to(A.dtype))
        Qv = Q.matmul(v.unsqueeze(-1))
        Q = Q - (Qv * tau[..., i, None, None]).matmul(v.unsqueeze(-2))
    result = Q[..., :, :n]
    return result if out is None else out.copy_(result)


# -- LAPACK's Householder form ---------------------------------------------------------------------


def geqrf(input, *, out=None):
    """(a, tau): R on and above a's diagonal, the Householder vectors below it, their scales
    in tau (LAPACK geqrf through NumPy's qr 'raw' mode). No derivative, as in PyTorch."""
    _check_matrix(input, "geqrf")
    _check_floating(input, "geqrf")
    m, n = input.shape[-2:]
    batch, dtype = tuple(input.shape[:-2]), input.dtype

    def compute(a):
        a = linalg._as_float(a, dtype)
        flat = a.reshape((-1, m, n))
        hs, taus = [], []
        for mat in flat:
            h, tau = np.linalg.qr(mat, mode="raw") if mat.size else (mat.T, np.zeros(0))
            hs.append(h.T)
            taus.append(tau)
        k = min(m, n)
        return (np.stack(hs).reshape(a.shape) if hs else a,
                np.stack(taus).reshape(batch + (k,)).astype(a.dtype) if taus
                else np.zeros(batch + (k,), a.dtype))
    parts = linalg._shared(compute, 2)
    a = linalg._extern("geqrf.a", parts[0], [input], batch + (m, n), dtype)
    tau = linalg._extern("geqrf.tau", parts[1], [input], batch + (min(m, n),), dtype)
    return return_types.geqrf(a, tau)


geqrf = autograd._guarding(geqrf, "geqrf")


def orgqr(input, tau):
    """Q's first n columns from geqrf's result: householder_product."""
    return householder_product(input, tau)


def ormqr(input, tau, other, left=True, transpose=False, *, out=None):
    """other multiplied by the full Q of geqrf's result (Q^T with transpose=True), from the
    left or the right."""
    m = input.shape[-2]
    pad = m - input.shape[-1]
    square = input if pad == 0 else movement.cat(
        [input, creation.zeros(tuple(input.shape[:-1]) + (pad,), dtype=input.dtype,
                               device=input.device)], -1) if pad > 0 else input[..., :m]
    Q = householder_product(square, tau)
    Q = Q.mT if transpose else Q
    result = Q.matmul(other) if left else other.matmul(Q)
    return result if out is None else out.copy_(result)


def lstsq_removed(input, A, *, out=None):
    raise RuntimeError(f"{_REMOVED} `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`."
                       f"\n`torch.linalg.lstsq` has reversed arguments and does not return the "
                       f"QR decomposition in the returned tuple (although it returns other "
                       f"information about the problem).\n\nTo get the QR decomposition "
                       f"consider using `torch.linalg.qr`.\n\nThe returned solution in "
                       f"`torch.lstsq` stored the residuals of the solution in the last m - n "
                       f"columns of the returned value whenever m > n. In torch.linalg.lstsq, "
                       f"the residuals are in the field 'residuals' of the returned named "
                       f"tuple.\n\nThe unpacking of the solution, as in\nX, _ = "
                       f"torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\nX = "
                       f"torch.linalg.lstsq(A, B).solution")


def symeig(input, eigenvectors=False, upper=True, *, out=None):
    raise RuntimeError(f"{_REMOVED} The default behavior has changed from using the upper "
                       f"triangular portion of the matrix by default to using the lower "
                       f"triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be "
                       f"replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else "
                       f"'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) should be "
                       f"replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else "
                       f"'L')")


def eig(input, eigenvectors=False, *, out=None):
    raise RuntimeError(f"{_REMOVED} `torch.linalg.eig` returns complex tensors of dtype `cfloat` "
                       f"or `cdouble` rather than real tensors mimicking complex tensors.\n\nL,"
                       f" _ = torch.eig(A) should be replaced with:\nL_complex = "
                       f"torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, "
                       f"eigenvectors=True) should be replaced with:\nL_complex, V_complex = "
                       f"torch.linalg.eig(A)")


# -- the _ex forms: an info code in place of an error ------------------------------------------


def _substitute(lu, piv, b):
    """X with P L U X = b from a packed LU (getrs's order: row swaps, unit-lower forward
    substitution, upper back substitution); a zero pivot gives inf/nan, as LAPACK does."""
    x = np.array(b, copy=True)
    n = lu.shape[-1]
    with np.errstate(all="ignore"):
        for j in range(n):
            p = piv[j] - 1
            if p != j:
                x[[j, p]] = x[[p, j]]
        for i in range(n):
            x[i] -= lu[i, :i] @ x[:i]
        for i in range(n - 1, -1, -1):
            x[i] = (x[i] - lu[i, i + 1:] @ x[i + 1:]) / lu[i, i]
    return x


def _info_now(A):
    """Each matrix's LU info (0, or its first zero pivot), computed now."""
    values = linalg._as_float(A._values(), A.dtype)
    if not values.size:
        return np.zeros(values.shape[:-2], np.int64)
    return _getf2(values)[2]


def _solved_by_lu(A, B, dtype):
    """B solved by each matrix of A's LU (NumPy, matrix by matrix, inf/nan where singular)."""
    def fn(a, b):
        a, b = linalg._as_float(a, dtype), linalg._as_float(b, dtype)
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        a = np.broadcast_to(a, batch + a.shape[-2:]).reshape((-1,) + a.shape[-2:])
        b = np.broadcast_to(b, batch + b.shape[-2:]).reshape((-1,) + b.shape[-2:])
        out = np.empty_like(b)
        for k in range(a.shape[0]):
            lu, piv, _ = _getf2(a[k])
            out[k] = _substitute(lu, piv, b[k])
        return out.reshape(batch + b.shape[-2:])
    shape = ops.broadcast_shapes(tuple(A.shape[:-2]), tuple(B.shape[:-2])) + tuple(B.shape[-2:])
    return linalg._extern("lu_solve", fn, [A, B], shape, dtype)


def _info_tensor(info, device):
    return creation.tensor(np.asarray(info, np.int32), dtype=dtypes.int32, device=device)


def inv_ex(A, *, check_errors=False, out=None):
    """(inverse, info): linalg.inv where every matrix is invertible (its derivative too);
    a singular one gets LAPACK's inf/nan and its first zero pivot in info."""
    _check_square(A, "linalg.inv_ex")
    _check_floating(A, "linalg.inv_ex")
    info = _info_now(A)
    if check_errors:
        linalg._raise_singular(info, "linalg.inv_ex", linalg._inv_message)
    if not np.any(info):
        inverse = linalg.inv(A)
    else:
        eye = _eye_like(A).expand(A.shape)
        inverse = _solved_by_lu(A, eye, A.dtype)
    return return_types.linalg_inv_ex(inverse, _info_tensor(info, A.device))


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """(result, info): linalg.solve where every matrix is invertible; a singular one gets
    LAPACK's inf/nan and its first zero pivot in info."""
    vector, shape = linalg._solve_shapes(A, B, left)
    if A.dtype is not B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A "
                           f"of type {_tn(A)} and B of type {_tn(B)} instead")
    info = _info_now(A)
    if check_errors and np.any(info):
        linalg._raise_singular(info, "torch.linalg.solve_ex",
                               lambda k: "The solver failed because the input matrix is "
                                         "singular.")
    if not np.any(info):
        result = linalg.solve(A, B, left=left)
    else:
        b = B.unsqueeze(-1) if vector else B
        if left:
            result = _solved_by_lu(A, b, A.dtype)
        else:
            result = _solved_by_lu(A.mT, b.mT, A.dtype).mT
        result = result.squeeze(-1) if vector else result
    return return_types.linalg_solve_ex(result, _info_tensor(info, A.device))


def _potf2(a):
    """Unblocked Cholesky (lower) of one matrix, stopping at the first non-positive pivot as
    LAPACK's potf2 does: (the factor so far over A's untouched rest, info)."""
    a = np.array(a, copy=True)
    n = a.shape[-1]
    for j in range(n):
        ajj = a[j, j] - a[j, :j] @ a[j, :j]
        if not ajj > 0:
            a[j, j] = ajj
            return np.tril(a), j + 1
        a[j, j] = np.sqrt(ajj)
        a[j + 1:, j] = (a[j + 1:, j] - a[j + 1:, :j] @ a[j, :j]) / a[j, j]
    return np.tril(a), 0


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """(L, info): linalg.cholesky where every matrix is positive-definite (its derivative
    too); otherwise the factor as far as it got and the order of the first leading minor
    that is not positive-definite."""
    _check_square(A, "linalg.cholesky_ex")
    _check_floating(A, "linalg.cholesky_ex")
    values = linalg._as_float(A._values(), A.dtype)
    flat = values.reshape((-1,) + values.shape[-2:])
    parts = [_potf2(m) for m in flat]
    info = np.array([p[1] for p in parts], np.int64).reshape(values.shape[:-2])
    if check_errors and np.any(info):
        first = int(info.reshape(-1)[np.nonzero(info.reshape(-1))[0][0]])
        batch = (f": (Batch element {int(np.nonzero(info.reshape(-1))[0][0])})"
                 if info.ndim else "")
        raise LinAlgError(f"linalg.cholesky_ex{batch}: The factorization could not be "
                          f"completed because the input is not positive-definite (the "
                          f"leading minor of order {first} is not positive-definite).")
    if not np.any(info):
        L = linalg.cholesky(A, upper=upper)
    else:
        factors = np.stack([p[0] for p in parts]).reshape(values.shape) if parts else values
        L = creation.tensor(np.swapaxes(factors, -1, -2) if upper else factors,
                            dtype=A.dtype, device=A.device)
    return return_types.linalg_cholesky_ex(L, _info_tensor(info, A.device))


# -- LDL^T (Bunch-Kaufman) ------------------------------------------------------------------------
_BK_ALPHA = (1 + 17 ** 0.5) / 8


def _sytf2(a):
    """LAPACK's unblocked Bunch-Kaufman factorisation of a symmetric matrix (its lower
    triangle): (the packed L and D, the 1-based pivots, negative for 2x2 blocks, info).
    LAPACK's sytrf calls it for matrices below its block size (64); from 64 on, sytrf's
    blocked code may choose other (equally valid) pivots than this does."""
    a = np.array(a, copy=True)
    n = a.shape[0]
    piv = np.zeros(n, np.int64)
    info = 0
    k = 0
    with np.errstate(all="ignore"):
        while k < n:
            kstep, absakk = 1, abs(a[k, k])
            if k < n - 1:
                imax = k + 1 + int(np.argmax(np.abs(a[k + 1:, k])))
                colmax = abs(a[imax, k])
            else:
                imax, colmax = k, 0.0
            if max(absakk, colmax) == 0 or np.isnan(absakk):
                info = info or k + 1
                kp = k
            elif absakk >= _BK_ALPHA * colmax:
                kp = k
            else:
                rowmax = np.max(np.abs(a[imax, k:imax]))
                if imax < n - 1:
                    rowmax = max(rowmax, np.max(np.abs(a[imax + 1:, imax])))
                if absakk >= _BK_ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif abs(a[imax, imax]) >= _BK_ALPHA * rowmax:
                    kp = imax
                else:
                    kp, kstep = imax, 2
            kk = k + kstep - 1
            if kp != kk:
                if kp < n - 1:
                    a[kp + 1:, kk], a[kp + 1:, kp] = a[kp + 1:, kp].copy(), a[kp + 1:, kk].copy()
                seg = slice(kk + 1, kp)
                a[seg, kk], a[kp, seg] = a[kp, seg].copy(), a[seg, kk].copy()
                a[kk, kk], a[kp, kp] = a[kp, kp], a[kk, kk]
                if kstep == 2:
                    a[k + 1, k], a[kp, k] = a[kp, k], a[k + 1, k]
            if kstep == 1:
                if k < n - 1 and a[k, k] != 0:
                    x = a[k + 1:, k].copy()
                    d11 = 1 / a[k, k]
                    a[k + 1:, k + 1:] -= np.tril(d11 * np.outer(x, x))
                    a[k + 1:, k] = x * d11
                piv[k] = kp + 1
            else:
                if k < n - 2:
                    d21 = a[k + 1, k]
                    d11, d22 = a[k + 1, k + 1] / d21, a[k, k] / d21
                    t = 1 / (d11 * d22 - 1)
                    d21 = t / d21
                    for j in range(k + 2, n):
                        wk = d21 * (d11 * a[j, k] - a[j, k + 1])
                        wkp1 = d21 * (d22 * a[j, k + 1] - a[j, k])
                        a[j:, j] -= a[j:, k] * wk + a[j:, k + 1] * wkp1
                        a[j, k], a[j, k + 1] = wk, wkp1
                piv[k] = piv[k + 1] = -(kp + 1)
            k += kstep
    return np.tril(a), piv, info


def _sytrs(ld, piv, b):
    """X with A X = b from _sytf2's factorisation (LAPACK sytrs, lower)."""
    x = np.array(b, copy=True)
    n = ld.shape[0]
    k = 0
    while k < n:                       # L D Y = b
        if piv[k] > 0:
            kp = piv[k] - 1
            if kp != k:
                x[[k, kp]] = x[[kp, k]]
            x[k + 1:] -= np.outer(ld[k + 1:, k], x[k])
            x[k] /= ld[k, k]
            k += 1
        else:
            kp = -piv[k] - 1
            if kp != k + 1:
                x[[k + 1, kp]] = x[[kp, k + 1]]
            if k < n - 2:
                x[k + 2:] -= np.outer(ld[k + 2:, k], x[k]) + np.outer(ld[k + 2:, k + 1], x[k + 1])
            akm1k = ld[k + 1, k]
            akm1, ak = ld[k, k] / akm1k, ld[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1, bk = x[k] / akm1k, x[k + 1] / akm1k
            x[k], x[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:                      # L^T X = Y
        if piv[k] > 0:
            x[k] -= ld[k + 1:, k] @ x[k + 1:]
            kp = piv[k] - 1
            if kp != k:
                x[[k, kp]] = x[[kp, k]]
            k -= 1
        else:
            x[k] -= ld[k + 1:, k] @ x[k + 1:]
            x[k - 1] -= ld[k + 1:, k - 1] @ x[k + 1:]
            kp = -piv[k] - 1
            if kp != k:
                x[[k, kp]] = x[[kp, k]]
            k -= 2
    return x


def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    """(LD, pivots, info): A = P L D L^T P^T with D of 1x1 and 2x2 blocks (Bunch-Kaufman,
    LAPACK's sytrf), packed as LAPACK leaves it; no derivative, as in PyTorch."""
    _check_square(A, "torch.linalg.ldl_factor_ex")
    _check_floating(A, "torch.linalg.ldl_factor_ex")
    n, batch, dtype = A.shape[-1], tuple(A.shape[:-2]), A.dtype

    def compute(a):
        a = linalg._as_float(a, dtype)
        parts = [_sytf2(m) for m in a.reshape((-1, n, n))]
        return (np.stack([p[0] for p in parts]).reshape(a.shape) if parts else a,
                np.array([p[1] for p in parts], np.int32).reshape(batch + (n,)),
                np.array([p[2] for p in parts], np.int32).reshape(batch))
    parts = linalg._shared(compute, 3)
    ld = linalg._extern("ldl_factor.LD", parts[0], [A], tuple(A.shape), dtype)
    piv = linalg._extern("ldl_factor.pivots", parts[1], [A], batch + (n,), dtypes.int32)
    info = linalg._extern("ldl_factor.info", parts[2], [A], batch, dtypes.int32)
    if check_errors:
        _raise_ldl_error(info, "torch.linalg.ldl_factor_ex")
    return return_types.linalg_ldl_factor_ex(ld, piv, info)


def _raise_ldl_error(info, api):
    """PyTorch 2.13 checks a singular D with an internal assertion (its error-code table
    lacks sytrf's), so that message is what a user sees; the same type and words here."""
    codes = [c for c in np.asarray(info.tolist()).reshape(-1) if c]
    if codes:
        raise RuntimeError(f'false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/'
                           f'ATen/native/BatchLinearAlgebra.cpp":1642, please report a bug to '
                           f'PyTorch. {api}: Unknown error code: {codes[0]}.')


ldl_factor_ex = autograd._guarding(ldl_factor_ex, "linalg_ldl_factor_ex")


def ldl_factor(A, *, hermitian=False, out=None):
    LD, pivots, info = ldl_factor_ex(A, hermitian=hermitian)
    _raise_ldl_error(info, "torch.linalg.ldl_factor")
    return return_types.linalg_ldl_factor(LD, pivots)


def ldl_solve(LD, pivots, B, *, hermitian=False, out=None):
    """X with A X = B from ldl_factor's result (LAPACK sytrs)."""
    n, dtype = LD.shape[-1], LD.dtype

    def fn(ld, piv, b):
        ld, b = linalg._as_float(ld, dtype), linalg._as_float(b, dtype)
        batch = np.broadcast_shapes(ld.shape[:-2], b.shape[:-2])
        ld = np.broadcast_to(ld, batch + (n, n)).reshape(-1, n, n)
        piv = np.broadcast_to(np.asarray(piv), batch + (n,)).reshape(-1, n)
        flat = np.broadcast_to(b, batch + b.shape[-2:]).reshape((-1,) + b.shape[-2:])
        with np.errstate(all="ignore"):
            out = np.stack([_sytrs(ld[i], piv[i], flat[i]) for i in range(len(flat))]) \
                if len(flat) else flat.copy()
        return out.reshape(batch + b.shape[-2:])
    shape = ops.broadcast_shapes(tuple(LD.shape[:-2]), tuple(B.shape[:-2])) + tuple(B.shape[-2:])
    result = linalg._extern("ldl_solve", fn, [LD, pivots, B], shape, dtype)
    return result if out is None else out.copy_(result)


ldl_solve = autograd._guarding(ldl_solve, "linalg_ldl_solve")


# -- tensor forms and Vandermonde -----------------------------------------------------------------


def tensorinv(A, ind=2, *, out=None):
    """The inverse of A seen as a matrix from its first ind dims to the rest."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = tuple(A.shape[:ind]), tuple(A.shape[ind:])
    if math.prod(rows) != math.prod(cols):
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {math.prod(cols)} != "
                           f"{math.prod(rows)}")
    try:
        inverse = linalg.inv(A.reshape(math.prod(rows), math.prod(cols)))
    except LinAlgError as e:          # PyTorch names the op it calls, at::inverse
        raise LinAlgError(str(e).replace("linalg.inv:", "inv:", 1)) from None
    result = inverse.reshape(cols + rows)
    return result if out is None else out.copy_(result)


def tensorsolve(A, B, dims=None, *, out=None):
    """X with tensordot(A, X, X.ndim) = B (dims of A moved to the end first)."""
    if dims is not None:
        dims = [d % A.ndim for d in dims]
        A = A.permute([d for d in range(A.ndim) if d not in dims] + dims)
    rest = tuple(A.shape[B.ndim:])
    n = B.numel()
    if math.prod(rest) != n:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]"
                           f") == prod(self.shape[:other.ndim]), but got {math.prod(rest)} != "
                           f"{n}")
    result = linalg.solve(A.reshape(n, n), B.reshape(n)).reshape(rest)
    return result if out is None else out.copy_(result)


def vander(x, *, N=None):
    """The powers x^0, x^1, ..., x^(N-1) of each element along a new last dim (by running
    products, as PyTorch computes them)."""
    if x.dtype is dtypes.bool_:
        raise RuntimeError("linalg.vander supports floating point, complex, and integer "
                           "tensors, but got Bool")
    n = (x.shape[-1] if x.ndim else 1) if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    column = x.unsqueeze(-1)
    ones = creation.ones_like(column)
    powers = column.expand(tuple(x.shape) + (n - 1,)).cumprod(-1)
    return movement.cat([ones, powers], -1)


LINALG = {"matrix_power": matrix_power, "matrix_exp": matrix_exp, "multi_dot": multi_dot,
          "vecdot": vecdot, "diagonal": diagonal, "lu_factor": lu_factor,
          "lu_factor_ex": lu_factor_ex, "lu": linalg_lu, "lu_solve": linalg_lu_solve,
          "solve_triangular": solve_triangular, "matrix_rank": matrix_rank, "cond": cond,
          "householder_product": householder_product, "inv_ex": inv_ex,
          "solve_ex": solve_ex, "cholesky_ex": cholesky_ex, "tensorinv": tensorinv,
          "tensorsolve": tensorsolve, "vander": vander, "ldl_factor": ldl_factor,
          "ldl_factor_ex": ldl_factor_ex, "ldl_solve": ldl_solve}

__all__ = ("inner", "vdot", "addr", "ger", "matrix_power", "matrix_exp", "chain_matmul", "svd",
           "qr", "solve", "cholesky", "nuclear_norm", "frobenius_norm", "lu", "lu_unpack",
           "lu_solve", "cholesky_solve", "cholesky_inverse", "triangular_solve", "geqrf",
           "orgqr", "ormqr", "symeig", "eig")

METHODS = ("inner", "vdot", "addr", "addr_", "matrix_power", "matrix_exp", "svd", "qr", "lu",
           "lu_solve", "cholesky_solve", "cholesky_inverse", "triangular_solve", "geqrf",
           "orgqr", "ormqr", "symeig", "eig")


# torch.svd, torch.qr and torch.cholesky share names with linalg's ops whose derivatives
# autograd knows, but not their arguments or results (V, not Vh; some=, not mode=): they
# record through the linalg ops they call, so autograd must not wrap them again
for _fn in (svd, qr, cholesky):
    _fn._lt_autograd = True


def _attach():
    g = globals()
    for name in METHODS:
        setattr(Tensor, name, g[name])
    Tensor.solve = solve
    Tensor.lstsq = lstsq_removed


_attach()
_ = LinAlgError
