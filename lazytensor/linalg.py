"""Linear algebra with PyTorch's dispatch, checks and messages.

matmul follows ATen's _matmul_impl: dot, mv, mm, folding a batched operand into a matrix
(`should_fold`), or a broadcast bmm. The path decides which error a bad call raises and which
grad_fn the result records (autograd asks `matmul_path`); every path computes the same way:
a multiply of two broadcast views reduced over K, one fused kernel (float16/bfloat16 in
float32, as PyTorch's CPU gemm accumulates).

Decompositions run NumPy's LAPACK as explicit `extern` nodes, which explain() names. det, and
the singularity checks of inv and solve, use the LU factorisation below (LAPACK's getf2 order
on A^T when A is contiguous, as ATen does), so the determinant of an integer-valued matrix is
exact as PyTorch's is, and a singular matrix is reported at the same pivot.
"""
import warnings

import numpy as np

from . import dtypes, graph, ops, views
from .autograd_graph import is_grad_enabled
from .creation import empty
from .matmul_dispatch import matmul_path, mT as _mT
from .movement import stack
from .out import write_out
from .reductions import return_types
from .tensor import Tensor, wrap


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError (torch._C._LinAlgError): a RuntimeError raised when a
    matrix is singular."""


LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"


# -- argument checks ------------------------------------------------------------------------------
def _need_tensor(fname, argname, pos, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{argname}' (position {pos}) must be Tensor, not "
                        f"{type(x).__name__}")


def _tn(x):
    return ops.torch_name(x.dtype)


def _not_implemented(kernel, x):
    return NotImplementedError(f'"{kernel}" not implemented for \'{_tn(x)}\'')


def _is_half(x):
    return x.dtype in (dtypes.float16, dtypes.bfloat16)


def _check_matrix(x, fname, name="A"):
    if x.ndim < 2:
        raise RuntimeError(f"{fname}: The input tensor {name} must have at least 2 dimensions.")


def _check_square(x, fname):
    _check_matrix(x, fname)
    if x._shape[-1] != x._shape[-2]:
        raise RuntimeError(f"{fname}: A must be batches of square matrices, but they are "
                           f"{x._shape[-2]} by {x._shape[-1]} matrices")


def _check_floating(x, fname, low_precision=True):
    if x.dtype.is_complex:
        raise NotImplementedError(f"{fname}: complex inputs are not implemented in lazytensor")
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"{fname}: Expected a floating point or complex tensor as input. "
                           f"Got {_tn(x)}")
    if not low_precision and _is_half(x):
        raise RuntimeError(f"{fname}: Low precision dtypes not supported. Got {_tn(x)}")


def _wrap_dim(dim, ndim):
    """ATen's maybe_wrap_dim, with its IndexError messages."""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                         f"{ndim - 1}], but got {dim})")
    return dim % ndim


# -- matmul: ATen's dispatch (matmul_dispatch.py) and its checks ------------------------------
def _check_dot(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_tn(a)} and {_tn(b)}")
    if a._shape[0] != b._shape[0]:
        n, m = a._shape[0], b._shape[0]
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to "
                           f"have the same number of elements, but got {n} and {m} elements "
                           f"respectively")
    if a.dtype is dtypes.bool_:
        raise _not_implemented("dot", a)


def _check_mv(rows, cols, vec_len, mat, vec):
    if cols != vec_len:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{cols}), vec "
                           f"({vec_len})")
    if mat.dtype is not vec.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_tn(vec)}, "
                           f"{_tn(mat)}, and {_tn(vec)}")
    if mat.dtype is dtypes.bool_:
        raise _not_implemented("addmv_impl_cpu", mat)


def _check_mm(s1, s2, m1, m2):
    if s1[1] != s2[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and "
                           f"{s2[0]}x{s2[1]})")
    if m1.dtype is not m2.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{ops.c_type_name(m1.dtype)} != {ops.c_type_name(m2.dtype)}")
    if m1.dtype is dtypes.bool_:
        raise _not_implemented("addmm_impl_cpu_", m1)


def _check_fold(kind, a, b):
    """The mm/mv a folded matmul runs: t1 (the batched operand) reshaped to rows x cols."""
    if kind == "fold":
        t1_shape, t1, t2 = a._shape, a, b
        t2_shape = b._shape
    else:
        t1_shape, t1, t2 = _mT(b)[0], b, a
        t2_shape = a._shape[::-1]
    rows, cols = graph.prod(t1_shape[:-1]), t1_shape[-1]
    if len(t2_shape) == 2:
        _check_mm((rows, cols), t2_shape, t1, t2)
    else:
        _check_mv(rows, cols, t2_shape[0], t1, t2)


def _check_bmm(a, b):
    batch = ops.broadcast_shapes(a._shape[:-2], b._shape[:-2])
    bs = graph.prod(batch)
    m1 = a._shape[-1]
    m2 = b._shape[-2] if b.ndim > 1 else b._shape[0]
    if m1 != m2:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{bs}, {m1}] but got: [{bs}, {m2}].")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected scalar type {_tn(a)} but found {_tn(b)}")
    if a.dtype is dtypes.bool_:
        raise _not_implemented("bmm", a)


def _check_path(kind, a, b):
    if kind == "dot":
        _check_dot(a, b)
    elif kind == "mv":
        _check_mv(a._shape[0], a._shape[1], b._shape[0], a, b)
    elif kind == "vm":
        _check_mm((1, a._shape[0]), b._shape, a, b)
    elif kind == "mm":
        _check_mm(a._shape, b._shape, a, b)
    elif kind.startswith("fold"):
        _check_fold(kind, a, b)
    else:
        _check_bmm(a, b)


def _operand(x, at, shape):
    """x's node read as a broadcast operand of the [..., m, k, n] product: x unsqueezed at
    `at` and broadcast to shape (the view x.unsqueeze(at).expand(shape) reads, without
    making those tensors)."""
    nd = len(x._shape)
    d = nd + 1 + at
    inner = x._strides[d] * x._shape[d] if d < nd else 1
    sizes = x._shape[:d] + (1,) + x._shape[d:]
    strides = x._strides[:d] + (inner,) + x._strides[d:]
    lead = len(shape) - len(sizes)
    strides = (0,) * lead + tuple(0 if s == 1 and t != 1 else st
                                  for s, t, st in zip(sizes, shape[lead:], strides))
    return x._storage.read_view(shape, strides, x._offset)


def _contract(a2, b2):
    """a2 [..., m, k] @ b2 [..., k, n] (batches broadcast): one multiply-and-sum, built as
    nodes (the [..., m, k, n] product, k times the result's size, is never a tensor: only the
    sum reads it, fused)."""
    if a2.dtype.category == 3:
        return ops.complex_numbers().contract(a2, b2)
    batch = ops.broadcast_shapes(a2._shape[:-2], b2._shape[:-2])
    shape = batch + (a2._shape[-2], a2._shape[-1], b2._shape[-1])
    dtype = a2.dtype
    compute = dtypes.float32 if _is_half(a2) else dtype
    product = graph.node("mul", compute, shape,
                         (ops.cast_node(_operand(a2, -1, shape), compute),
                          ops.cast_node(_operand(b2, -3, shape), compute)))
    axis = len(shape) - 2
    total = graph.node("reduce", compute, shape[:axis] + (1,) + shape[axis + 1:], (product,),
                       ("sum", (axis,)))
    total = graph.reshape(total, shape[:axis] + shape[axis + 1:])
    return wrap(ops.cast_node(total, dtype), a2.device)


def _mm_nodes(a, b):
    """A valid 2-D product without autograd, straight to _contract: the checks of the
    general path (ATen's dispatch, dtypes, shapes) are for the other cases; None for those."""
    if b.dtype is not a.dtype or a._shape[1] != b._shape[0] or a.dtype is dtypes.bool_ or \
            _is_half(a):
        return None
    return _contract(a, b)


def _matmul_value(a, b):
    a2 = a.unsqueeze(0) if a.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b.ndim == 1 else b
    result = _contract(a2, b2)
    if a.ndim == 1:
        result = result.squeeze(-2)
    if b.ndim == 1:
        result = result.squeeze(-1)
    return result


def _matmul(a, b, out, fname):
    _need_tensor(fname, "input", 1, a)
    _need_tensor(fname, "other", 2, b)
    ops.check_same_device([a, b])
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    needs_grad = a.requires_grad or b.requires_grad or (out is not None and out.requires_grad)
    if out is not None and needs_grad and is_grad_enabled():
        raise RuntimeError("matmul(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if out is None and not (needs_grad and is_grad_enabled()) and a.ndim == 2 and b.ndim == 2:
        result = _mm_nodes(a, b)
        if result is not None:
            return result
    kind, a1, b1 = matmul_path(a, b, out is not None)
    _check_path(kind, a1, b1)
    result = _matmul_value(a, b)
    return write_out(out, result) if out is not None else result


def matmul(input, other, *, out=None):
    """torch.matmul: the matrix product with NumPy's broadcasting rules."""
    return _matmul(input, other, out, "matmul")


def _linalg_matmul(input, other, *, out=None):
    return _matmul(input, other, out, "linalg_matmul")


def mm(input, mat2, *, out=None):
    _need_tensor("mm", "input", 1, input)
    _need_tensor("mm", "mat2", 2, mat2)
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return _matmul(input, mat2, out, "mm")


def dot(input, tensor, *, out=None):
    _need_tensor("dot", "input", 1, input)
    _need_tensor("dot", "tensor", 2, tensor)
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D "
                           f"tensors")
    return _matmul(input, tensor, out, "dot")


def mv(input, vec, *, out=None):
    _need_tensor("mv", "input", 1, input)
    _need_tensor("mv", "vec", 2, vec)
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, "
                           f"{vec.ndim}")
    return _matmul(input, vec, out, "mv")


# -- cross ----------------------------------------------------------------------------------------
_CROSS_DIM_WARNING = (
    "Using torch.cross without specifying the dim arg is deprecated.\n"
    "Please either pass the dim explicitly or simply use torch.linalg.cross.\n"
    "The default value of dim will change to agree with that of linalg.cross in a future "
    "release.")
_warned = set()


def _cross(a, b, dim, out):
    ops.check_same_device([a, b])
    if a.ndim != b.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = _wrap_dim(dim, a.ndim)
    if a._shape[d] != 3 or b._shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{a._shape[d]} and {b._shape[d]}")
    shape = ops.broadcast_shapes(a._shape, b._shape)
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected scalar type {_tn(a)} but found {_tn(b)}")
    if a.dtype is dtypes.bool_:
        raise _not_implemented("cross", a)
    a, b = a.expand(shape), b.expand(shape)
    ax = [a.select(d, i) for i in range(3)]
    bx = [b.select(d, i) for i in range(3)]
    result = stack([ax[1] * bx[2] - ax[2] * bx[1],
                    ax[2] * bx[0] - ax[0] * bx[2],
                    ax[0] * bx[1] - ax[1] * bx[0]], d)
    return write_out(out, result) if out is not None else result


def cross(input, other, *, dim=-1, out=None):
    """torch.linalg.cross: the cross product along dim (both inputs of length 3 there)."""
    _need_tensor("linalg_cross", "input", 1, input)
    _need_tensor("linalg_cross", "other", 2, other)
    return _cross(input, other, dim, out)


def torch_cross(input, other, dim=None, *, out=None):
    """torch.cross: as linalg.cross, but dim=None (deprecated, warned once) means the first
    dimension of size 3."""
    _need_tensor("cross", "input", 1, input)
    _need_tensor("cross", "other", 2, other)
    if dim is None:
        if "cross" not in _warned:
            _warned.add("cross")
            warnings.warn(_CROSS_DIM_WARNING, UserWarning, stacklevel=2)
        sizes = list(input._shape)
        if 3 not in sizes:
            raise RuntimeError("no dimension of size 3 in input")
        dim = sizes.index(3)
    return _cross(input, other, dim, out)


# -- externs --------------------------------------------------------------------------------------
def _extern(name, fn, srcs, shape, dtype):
    return wrap(graph.extern(name, fn, dtype, tuple(shape), tuple(s._node for s in srcs)),
                srcs[0].device)


def _shared(compute, count):
    """count extern functions, the i-th returning compute(*arrays)[i]; compute runs once."""
    state = {}

    def part(i):
        def fn(*arrays):
            if "value" not in state:
                state["value"], state["left"] = compute(*arrays), count
            value = state["value"][i]
            state["left"] -= 1
            if not state["left"]:
                state.clear()
            return value
        return fn
    return [part(i) for i in range(count)]


def _as_float(a, dtype):
    return np.asarray(a).astype(dtype.to_numpy(), copy=False)


# -- LU (LAPACK getf2) -----------------------------------------------------------------------------
def _lu(a):
    """LU with partial pivoting of each matrix of a [..., n, n], in LAPACK getf2's order:
    (lu, pivots [..., n], info [...]); info is the 1-based index of the first zero pivot
    (0 when none). Multipliers are scaled by the pivot's reciprocal, except for n <= 3 where
    they are divided (what PyTorch's CPU LAPACK measurably does)."""
    n = a.shape[-1]
    lu = np.array(a, copy=True).reshape((-1, n, n))
    count = lu.shape[0]
    rows = np.arange(count)
    piv = np.zeros((count, n), np.int64)
    info = np.zeros(count, np.int64)
    tiny = np.finfo(lu.dtype).tiny
    with np.errstate(all="ignore"):
        for j in range(n):
            p = j + np.argmax(np.abs(lu[:, j:, j]), axis=1)
            piv[:, j] = p
            nonzero = lu[rows, p, j] != 0
            info[~nonzero & (info == 0)] = j + 1
            swap = rows[nonzero & (p != j)]
            lu[swap, j], lu[swap, p[swap]] = lu[swap, p[swap]], lu[swap, j].copy()
            d = lu[:, j, j][:, None]
            col = lu[:, j + 1:, j]
            by_recip = (np.abs(d) >= tiny) & (n > 3)
            scaled = np.where(by_recip, col * (lu.dtype.type(1) / d), col / d)
            lu[:, j + 1:, j] = np.where(nonzero[:, None], scaled, col)
            lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j, None] * lu[:, j, None, j + 1:]
    shape = a.shape[:-2]
    return lu.reshape(a.shape), piv.reshape(shape + (n,)), info.reshape(shape)


def _lu_of(a, transpose):
    """_lu of a, or of each matrix's transpose (ATen factors A^T when A is contiguous)."""
    return _lu(np.swapaxes(a, -1, -2) if transpose else a)


def _raise_singular(info, api, message):
    """PyTorch's _linalg_check_errors for the first matrix whose factorisation failed."""
    flat = np.asarray(info).reshape(-1)
    bad = np.nonzero(flat)[0]
    if not len(bad):
        return
    first = bad[0]
    batch = f": (Batch element {first})" if np.ndim(info) else ""
    raise LinAlgError(f"{api}{batch}: {message(int(flat[first]))}")


def _contiguous(x):
    return views.is_contiguous(x._shape, x._strides)


# -- det, inv, solve ------------------------------------------------------------------------------
def _lu_input(A, fname):
    """A checked as det and slogdet check it; whether LAPACK sees it transposed, its dtype."""
    _check_square(A, fname)
    _check_floating(A, fname)
    if _is_half(A):
        raise _not_implemented("lu_cpu", A)
    return _contiguous(A), A.dtype


def _lu_diagonal(a, transpose):
    """Of each matrix: whether its LU pivoting is an odd permutation, and U's diagonal."""
    lu, piv, _ = _lu_of(a, transpose)
    return (piv != np.arange(a.shape[-1])).sum(-1) % 2, np.diagonal(lu, axis1=-2, axis2=-1)


def det(A):
    """torch.linalg.det: sign of the pivoting times the product of U's diagonal."""
    transpose, dtype = _lu_input(A, "linalg.det")

    def fn(a):
        a = _as_float(a, dtype)
        n = a.shape[-1]
        if n == 0:
            return np.ones(a.shape[:-2], a.dtype)
        odd, diag = _lu_diagonal(a, transpose)
        prod = diag[..., 0]
        for i in range(1, n):
            prod = prod * diag[..., i]
        return np.where(odd, -prod, prod)
    return _extern("det", fn, [A], A._shape[:-2], dtype)


def slogdet(A, *, out=None):
    """torch.linalg.slogdet: the determinant's sign and the log of its absolute value, from
    the same LU factorisation as det (sign 0 and -inf for a singular matrix)."""
    transpose, dtype = _lu_input(A, "linalg.slogdet")

    def compute(a):
        a = _as_float(a, dtype)
        if a.shape[-1] == 0:
            return np.ones(a.shape[:-2], a.dtype), np.zeros(a.shape[:-2], a.dtype)
        odd, diag = _lu_diagonal(a, transpose)
        sign = np.where(odd, -1, 1) * np.prod(np.sign(diag), axis=-1)
        with np.errstate(divide="ignore"):
            logabs = np.log(np.abs(diag)).sum(-1)
        return sign.astype(a.dtype), logabs.astype(a.dtype)
    parts = _shared(compute, 2)
    result = return_types.linalg_slogdet(
        *(_extern(f"slogdet.{name}", fn, [A], A._shape[:-2], dtype)
          for name, fn in zip(("sign", "logabsdet"), parts)))
    return write_out(out, result) if out is not None else result


def logdet(A):
    """log(det(A)): NaN for a negative determinant, -inf for zero."""
    sign, logabs = slogdet(A)
    return logabs.where(sign > 0, float("nan")).where(sign != 0, float("-inf"))


def cholesky(A, *, upper=False, out=None):
    """The lower (or upper) triangular L with L L^T = A, from NumPy's LAPACK potrf; a matrix
    that is not positive-definite raises PyTorch's message naming the leading minor."""
    _check_square(A, "linalg.cholesky")
    _check_floating(A, "linalg.cholesky")
    if _is_half(A):
        raise _not_implemented("cholesky_cpu", A)
    dtype = A.dtype
    values = _as_float(A._values(), dtype)      # checked now, as PyTorch checks
    flat = values.reshape((-1,) + values.shape[-2:])
    for m in flat:
        try:
            np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            order = next(k for k in range(1, m.shape[0] + 1)
                         if not _positive_definite(m[:k, :k]))
            raise RuntimeError(f"linalg.cholesky: The factorization could not be completed "
                               f"because the input is not positive-definite (the leading "
                               f"minor of order {order} is not positive-definite).") from None

    def fn(a):
        lower = np.linalg.cholesky(_as_float(a, dtype))
        return np.swapaxes(lower, -1, -2).copy() if upper else lower
    result = _extern("cholesky", fn, [A], A._shape, dtype)
    return write_out(out, result) if out is not None else result


def _tensor_cholesky(A, upper=False):
    """Tensor.cholesky(upper=False): linalg.cholesky (the old method's positional upper)."""
    return cholesky(A, upper=upper)


def _positive_definite(m):
    try:
        np.linalg.cholesky(m)
        return True
    except np.linalg.LinAlgError:
        return False


def inv(A, *, out=None):
    """torch.linalg.inv; a singular matrix raises LinAlgError naming the zero pivot (at the
    call, as PyTorch does: the check realises A)."""
    _check_square(A, "linalg.inv")
    _check_floating(A, "linalg.inv", low_precision=False)
    _check_singular(A, "linalg.inv", _inv_message)
    dtype = A.dtype

    def fn(a):
        a = _as_float(a, dtype)
        return np.linalg.inv(a) if a.size else a
    result = _extern("inv", fn, [A], A._shape, dtype)
    return write_out(out, result) if out is not None else result


def _check_singular(A, api, message):
    """Factorise A now (its transpose when contiguous) and raise on a zero pivot."""
    values = _as_float(A._values(), A.dtype)
    if values.size:
        _raise_singular(_lu_of(values, _contiguous(A))[2], api, message)


def _inv_message(k):
    return (f"The diagonal element {k} is zero, the inversion could not be completed because "
            f"the input matrix is singular.")


def _solve_shapes(A, B, left):
    """(vector_case, result shape) with linalg.solve's checks and messages."""
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B._shape == A._shape[:-1])
    b_shape = B._shape + (1,) if vector else B._shape
    _check_square(A, "linalg.solve")
    if len(b_shape) < 2:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    n = A._shape[-1]
    if (b_shape[-2] if left else b_shape[-1]) != n:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {b_shape[-2]}x"
                           f"{b_shape[-1]})")
    batch = ops.broadcast_shapes(b_shape[:-2], A._shape[:-2])
    if not left and vector:
        raise RuntimeError("linalg.solve: Vector broadcasting of the left hand side is not "
                           "supported for left=False. In this case linalg.solve is equivalent "
                           "to B / A.squeeze(-1)")
    shape = batch + b_shape[-2:]
    return vector, shape[:-1] if vector else shape


def solve(A, B, *, left=True, out=None):
    """torch.linalg.solve: X with A X = B (left) or X A = B; B a vector or a matrix (batched
    like NumPy: B is a vector when B.shape == A.shape[:-1])."""
    _need_tensor("linalg_solve", "A", 1, A)
    _need_tensor("linalg_solve", "B", 2, B)
    _check_floating(A, "linalg.solve")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {_tn(A)} and B of type {_tn(B)} instead")
    vector, shape = _solve_shapes(A, B, left)
    if _is_half(A):
        raise _not_implemented("lu_cpu", A)
    _check_singular(A, "torch.linalg.solve",
                    lambda k: "The solver failed because the input matrix is singular.")
    dtype, batch = A.dtype, shape[:-1] if vector else shape[:-2]

    def fn(a, b):
        a, b = _as_float(a, dtype), _as_float(b, dtype)
        b = b[..., None] if vector else b
        a = np.broadcast_to(a, batch + a.shape[-2:])
        b = np.broadcast_to(b, batch + b.shape[-2:])
        if not left:
            return np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2),
                                               np.swapaxes(b, -1, -2)), -1, -2)
        x = np.linalg.solve(a, b)
        return x[..., 0] if vector else x
    result = _extern("solve", fn, [A, B], shape, dtype)
    return write_out(out, result) if out is not None else result


# -- svd, qr, eigh --------------------------------------------------------------------------------
def _svd_arrays(a, full_matrices, dtype):
    a = _as_float(a, dtype)
    m, n = a.shape[-2:]
    if min(m, n):
        return np.linalg.svd(a, full_matrices=full_matrices)
    batch = a.shape[:-2]
    u_cols, vh_rows = (m, n) if full_matrices else (0, 0)
    u = np.broadcast_to(np.eye(m, u_cols, dtype=a.dtype), batch + (m, u_cols))
    vh = np.broadcast_to(np.eye(vh_rows, n, dtype=a.dtype), batch + (vh_rows, n))
    return u, np.zeros(batch + (0,), a.dtype), vh


def svd(A, full_matrices=True, *, driver=None, out=None):
    """U, S, Vh from NumPy's LAPACK gesdd, one extern node per factor sharing one call."""
    _check_matrix(A, "linalg.svd")
    _check_floating(A, "linalg.svd")
    if _is_half(A):
        raise _not_implemented("linalg_svd_cpu", A)
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on "
                           "CUDA inputs with cuSOLVER backend.")
    m, n = A._shape[-2:]
    k, batch, dtype = min(m, n), A._shape[:-2], A.dtype
    parts = _shared(lambda a: _svd_arrays(a, full_matrices, dtype), 3)
    shapes = (batch + (m, m if full_matrices else k), batch + (k,),
              batch + (n if full_matrices else k, n))
    result = return_types.linalg_svd(*(_extern(f"svd.{name}", fn, [A], shape, dtype)
                                       for name, fn, shape in zip(("U", "S", "Vh"), parts,
                                                                  shapes)))
    return write_out(out, result) if out is not None else result


def svdvals(A, *, driver=None, out=None):
    result = svd(A, full_matrices=False, driver=driver).S
    return write_out(out, result) if out is not None else result


_QR_MODES = ("reduced", "complete", "r")


def qr(A, mode="reduced", *, out=None):
    """Q, R from NumPy's LAPACK (geqrf/orgqr); mode='r' leaves Q empty, as PyTorch does."""
    if mode not in _QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           f"'reduced' (default), 'r', or 'complete'")
    _check_matrix(A, "linalg.qr")
    _check_floating(A, "linalg.qr")
    if _is_half(A):
        raise _not_implemented("geqrf_cpu", A)
    m, n = A._shape[-2:]
    k, batch, dtype = min(m, n), A._shape[:-2], A.dtype
    complete = mode == "complete"

    def compute(a):
        return np.linalg.qr(_as_float(a, dtype), mode="complete" if complete else "reduced")
    q_part, r_part = _shared(compute, 2) if mode != "r" else (None, lambda a: compute(a)[1])
    r = _extern("qr.R", r_part, [A], batch + ((m if complete else k), n), dtype)
    if mode == "r":
        q = empty(0, dtype=dtype, device=A.device)
    else:
        q = _extern("qr.Q", q_part, [A], batch + (m, m if complete else k), dtype)
    result = return_types.linalg_qr(q, r)
    return write_out(out, result) if out is not None else result


def eigh(A, UPLO="L", *, out=None):
    """eigenvalues (ascending) and eigenvectors of a symmetric matrix, from NumPy's LAPACK
    syevd, reading the UPLO triangle."""
    _check_square(A, "linalg.eigh")
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    if A.dtype not in (dtypes.float32, dtypes.float64):
        raise _not_implemented("linalg_eigh_cpu", A)
    parts = _shared(lambda a: np.linalg.eigh(a, UPLO=UPLO), 2)
    w = _extern("eigh.eigenvalues", parts[0], [A], A._shape[:-1], A.dtype)
    v = _extern("eigh.eigenvectors", parts[1], [A], A._shape, A.dtype)
    result = return_types.linalg_eigh(w, v)
    return write_out(out, result) if out is not None else result


def eigvalsh(A, UPLO="L", *, out=None):
    result = eigh(A, UPLO).eigenvalues
    return write_out(out, result) if out is not None else result


# -- norms ----------------------------------------------------------------------------------------
def _fmt(ord):
    """A norm order as ATen's messages print a double."""
    return ord if isinstance(ord, str) else "%g" % ord


def _norm_dtype(x, dtype, fname):
    """x converted to the dtype= of a norm (checked as PyTorch checks it)."""
    if dtype is None:
        return x
    dtype = dtypes.to_dtype(dtype)
    if not dtype.is_floating_point:
        raise RuntimeError(f"{fname}: dtype should be floating point or complex, but got "
                           f"{ops.torch_name(dtype)}")
    if dtypes.promote_types(x.dtype, dtype) is not dtype:
        raise RuntimeError(f"{fname}: the dtype of the input ({_tn(x)}) should be convertible "
                           f"without narrowing to the specified dtype "
                           f"({ops.torch_name(dtype)})")
    return x.to(dtype)


def _dims(dim):
    """dim as ATen's reductions take it: None or () means every dim."""
    if dim is None or dim == ():
        return None
    return (dim,) if isinstance(dim, int) else tuple(dim)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """torch.linalg.vector_norm: (sum |x|^ord)^(1/ord) over dim (every dim by default);
    float16/bfloat16 are reduced in float32, as PyTorch accumulates them."""
    if x.dtype.is_complex and dtype is None:        # the norm of the magnitudes
        return vector_norm(x.abs(), ord, dim, keepdim, out=out)
    _check_floating(x, "linalg.vector_norm")
    ord = float(ord)
    dims = _dims(dim)
    if x.numel() == 0 and (ord < 0 or ord == float("inf")):
        if dims is None:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {_fmt(ord)} norm on an "
                               f"empty tensor because the operation does not have an identity")
        for d in dims:
            if x.size(d) == 0:
                raise RuntimeError(f"linalg.vector_norm cannot compute the {_fmt(ord)} norm on "
                                   f"the dimension {d}because this dimension is empty and the "
                                   f"operation does not have an identity")
    x = _norm_dtype(x, dtype, "linalg.vector_norm")
    result_dtype = x.dtype
    if _is_half(x):
        x = x.to(dtypes.float32)
    result = _vector_norm_value(x, ord, dims, keepdim).to(result_dtype)
    return write_out(out, result) if out is not None else result


def _vector_norm_value(x, ord, dims, keepdim):
    a = x.abs()
    if ord == float("inf"):
        return a.amax(dims or (), keepdim)
    if ord == -float("inf"):
        return a.amin(dims or (), keepdim)
    if ord == 0:
        return (x != 0).to(x.dtype).sum(dims, keepdim)
    if ord == 1:
        return a.sum(dims, keepdim)
    if ord == 2:
        return (a * a).sum(dims, keepdim).sqrt()
    return (a ** ord).sum(dims, keepdim) ** (1.0 / ord)


def _matrix_dims(x, dim, fname):
    dims = [dim] if isinstance(dim, int) else list(dim)
    if len(dims) != 2:
        raise RuntimeError(f"{fname}: dim must be a 2-tuple. Got "
                           f"{', '.join(map(str, dims))}")
    d0, d1 = (_wrap_dim(d, x.ndim) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"{fname}: dims must be different. Got ({d0}, {d1})")
    return d0, d1


def _matrix_checks(x, dim, low_precision):
    fname = "linalg.matrix_norm"
    _check_matrix(x, fname)
    _check_floating(x, fname, low_precision)
    return _matrix_dims(x, dim, fname)


def _svd_reduce(A, d0, d1, keepdim, reduce):
    """reduce(singular values, keepdim) of the matrices spanned by dims d0, d1, as ATen does
    it: those dims moved last; with keepdim put back as size 1 by an unsqueeze and the
    inverse permutation."""
    perm = [i for i in range(A.ndim) if i not in (d0, d1)] + [d0, d1]
    result = reduce(svdvals(A.permute(perm)), keepdim)
    if keepdim:
        result = result.unsqueeze(-1).permute(sorted(range(len(perm)), key=perm.__getitem__))
    return result


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """torch.linalg.matrix_norm: 'fro', 'nuc', or ord in {1, -1, 2, -2, inf, -inf}."""
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
        d0, d1 = _matrix_checks(A, dim, low_precision=ord != "nuc")
        result = _string_matrix_norm(A, ord, d0, d1, keepdim, dtype)
    else:
        if abs(ord) not in (1, 2, float("inf")):
            raise RuntimeError(f"linalg.matrix_norm: Order {_fmt(ord)} not supported.")
        d0, d1 = _matrix_checks(A, dim, low_precision=abs(ord) != 2)
        result = _numeric_matrix_norm(A, ord, d0, d1, keepdim, dtype)
    return write_out(out, result) if out is not None else result


def _string_matrix_norm(A, ord, d0, d1, keepdim, dtype):
    _norm_dtype(A, dtype, "linalg.matrix_norm")
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim, dtype=dtype)
    return _svd_reduce(_norm_dtype(A, dtype, "linalg.matrix_norm"), d0, d1, keepdim,
                       lambda s, keep: s.sum(-1, keep))


def _numeric_matrix_norm(A, ord, d0, d1, keepdim, dtype):
    _norm_dtype(A, dtype, "linalg.matrix_norm")

    def max_min(t, d, keep=keepdim):
        return t.amax(d, keep) if ord > 0 else t.amin(d, keep)
    if abs(ord) == 2:
        return _svd_reduce(_norm_dtype(A, dtype, "linalg.matrix_norm"), d0, d1, keepdim,
                           lambda s, keep: max_min(s, -1, keep))
    if abs(ord) == float("inf"):
        d0, d1 = d1, d0
    if not keepdim and d0 < d1:
        d1 -= 1
    return max_min(vector_norm(A, 1.0, d0, keepdim, dtype=dtype), d1)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """torch.linalg.norm: a vector norm, or a matrix norm when ord is given and the input
    (or dim) is 2-D; ord=None is the 2-norm of everything."""
    _need_tensor("linalg_norm", "input", 1, A)
    dims = None if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    if dims is not None and len(dims) not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                           f"Got [{', '.join(map(str, dims))}]")
    if dims is None and ord is not None and A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.ndim}D.")
    if isinstance(ord, str) or (ord is not None and len(dims or range(A.ndim)) == 2):
        result = matrix_norm(A, ord, dims if dims is not None else (0, 1), keepdim,
                             dtype=dtype)
    else:
        result = vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    return write_out(out, result) if out is not None else result


def tensor_norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm / Tensor.norm: numeric p (and 'fro' with at most 2 dims) is a vector norm;
    'nuc' (or 'fro' over more dims) a matrix norm."""
    dims = None if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    if isinstance(p, str):
        if p == "fro" and (dims is None or len(dims) <= 2):
            result = vector_norm(input, 2, dims, keepdim, dtype=dtype)
        else:
            result = matrix_norm(input, p, dims if dims is not None else
                                 list(range(input.ndim)), keepdim, dtype=dtype)
    else:
        result = vector_norm(input, 2.0 if p is None else p, dims, keepdim, dtype=dtype)
    return write_out(out, result) if out is not None else result


inverse = inv


def _method(fn, fname, argname):
    """A Tensor method whose second argument is named in PyTorch's TypeError at position 1."""
    def method(self, other, *args, **kwargs):
        _need_tensor(fname, argname, 1, other)
        return fn(self, other, *args, **kwargs)
    method.__name__ = fn.__name__
    return method


def _matmul_operator(a, b):
    return matmul(a, b) if isinstance(b, Tensor) else NotImplemented


def _rmatmul_operator(a, b):
    return matmul(b, a) if isinstance(b, Tensor) else NotImplemented


def _attach():
    Tensor.matmul = _method(matmul, "matmul", "other")
    Tensor.__matmul__ = _matmul_operator
    Tensor.__rmatmul__ = _rmatmul_operator
    Tensor.mm = _method(mm, "mm", "mat2")
    Tensor.mv = _method(mv, "mv", "vec")
    Tensor.dot = _method(dot, "dot", "tensor")
    Tensor.det = det
    Tensor.slogdet = slogdet
    Tensor.logdet = logdet
    Tensor.cholesky = _tensor_cholesky
    Tensor.inverse = inv
    Tensor.norm = tensor_norm
    Tensor.cross = _method(torch_cross, "cross", "other")


_attach()
