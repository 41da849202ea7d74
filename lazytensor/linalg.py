"""Linear algebra. matmul, dot and cross are composed from primitives (a matmul is a
multiply of two broadcast views reduced over K, one fused kernel); the decompositions run
NumPy's LAPACK as an explicit `extern` node, which explain() names."""
import numpy as np

from . import graph, ops
from .out import write_out
from .reductions import return_types
from .tensor import Tensor, as_tensor_arg, wrap


def _check_matmul_args(a, b):
    ops.check_same_device([a, b])
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_c_name(a.dtype)} != {_c_name(b.dtype)}")


def _c_name(d):
    return {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool", "float16": "c10::Half", "bfloat16": "c10::BFloat16"}[d.name]


def matmul(a, b, *, out=None):
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    _check_matmul_args(a, b)
    if a.ndim == 1 and b.ndim == 1:
        if a._shape != b._shape:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a._shape[0]}] and src "
                f"[{b._shape[0]}] to have the same number of elements, but got {a._shape[0]} "
                f"and {b._shape[0]} elements respectively")
        result = (a * b).sum()
        return write_out(out, result) if out is not None else result
    a2 = a.unsqueeze(0) if a.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b.ndim == 1 else b
    m, k = a2._shape[-2:]
    k2, n = b2._shape[-2:]
    if k != k2:
        if a.ndim <= 2 and b.ndim <= 2:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({m}x{k} and "
                               f"{k2}x{n})")
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{graph.prod(b2._shape[:-2]) or 1}, {k}] but got: "
                           f"[{graph.prod(b2._shape[:-2]) or 1}, {k2}].")
    batch = ops.broadcast_shapes(a2._shape[:-2], b2._shape[:-2])
    shape = batch + (m, k, n)
    left = a2.unsqueeze(-1).expand(shape)           # [..., m, k, 1] -> [..., m, k, n]
    right = b2.unsqueeze(-3).expand(shape)          # [..., 1, k, n] -> [..., m, k, n]
    result = (left * right).sum(-2)
    if a.ndim == 1:
        result = result.squeeze(-2)
    if b.ndim == 1:
        result = result.squeeze(-1)
    return write_out(out, result) if out is not None else result


def mm(a, b, *, out=None):
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError("self must be a matrix" if a.ndim != 2 else "mat2 must be a matrix")
    return matmul(a, b, out=out)


def dot(a, b, *, out=None):
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    return matmul(a, b, out=out)


def cross(a, b, *, dim=-1, out=None):
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    shape = ops.broadcast_shapes(a._shape, b._shape)
    d = ops.normalize_dim(dim, len(shape))
    if shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{a._shape[d] if a.ndim == len(shape) else 1} and "
                           f"{b._shape[d] if b.ndim == len(shape) else 1}")
    a, b = a.expand(shape), b.expand(shape)
    ax = [a.select(d, i) for i in range(3)]
    bx = [b.select(d, i) for i in range(3)]
    from .movement import stack
    result = stack([ax[1] * bx[2] - ax[2] * bx[1],
                    ax[2] * bx[0] - ax[0] * bx[2],
                    ax[0] * bx[1] - ax[1] * bx[0]], d)
    return write_out(out, result) if out is not None else result


def _extern(name, fn, x, shape, dtype=None):
    return wrap(graph.extern(name, fn, dtype or x.dtype, tuple(shape), (x._node,)), x.device)


def _float_input(x, fname):
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"linalg.{fname}: Expected a floating point or complex tensor as "
                           f"input. Got {ops.torch_name(x.dtype)}")
    if x.ndim < 2:
        raise RuntimeError(f"linalg.{fname}: The input tensor A must have at least 2 "
                           f"dimensions.")


def svd(x, full_matrices=True, *, driver=None):
    """U, S, Vh from NumPy's LAPACK gesdd (one extern node per factor)."""
    _float_input(x, "svd")
    m, n = x._shape[-2:]
    kk = min(m, n)
    batch = x._shape[:-2]
    np_dtype = x.dtype.to_numpy()
    u_cols = m if full_matrices else kk
    vh_rows = n if full_matrices else kk

    def part(i):
        def fn(a):
            res = np.linalg.svd(a.astype(np_dtype), full_matrices=full_matrices)
            return np.ascontiguousarray(res[i]).astype(np_dtype)
        return fn
    u = _extern("svd.U", part(0), x, batch + (m, u_cols))
    s = _extern("svd.S", part(1), x, batch + (kk,))
    vh = _extern("svd.Vh", part(2), x, batch + (vh_rows, n))
    return return_types.linalg_svd(u, s, vh)


def svdvals(x):
    return svd(x, full_matrices=False).S


def det(x):
    _float_input(x, "det")
    _square(x, "det")
    return _extern("det", lambda a: np.asarray(np.linalg.det(a)), x, x._shape[:-2])


def _square(x, fname):
    if x._shape[-1] != x._shape[-2]:
        raise RuntimeError(f"linalg.{fname}: A must be batches of square matrices, but they "
                           f"are {x._shape[-2]} by {x._shape[-1]} matrices")


def inv(x):
    _float_input(x, "inv")
    _square(x, "inv")

    def fn(a):
        try:
            return np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise RuntimeError("linalg.inv: The diagonal element 1 is zero, the inversion "
                               "could not be completed because the input matrix is "
                               "singular.") from None
    return _extern("inv", fn, x, x._shape)


def solve(a, b, *, left=True):
    _float_input(a, "solve")
    _square(a, "solve")
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b._shape == a._shape[:-1])
    shape = b._shape
    node = graph.extern("solve", lambda x, y: np.linalg.solve(x, y[..., None])[..., 0]
                        if vector else np.linalg.solve(x, y),
                        a.dtype, shape, (a._node, b._node))
    return wrap(node, a.device)


def qr(x, mode="reduced"):
    _float_input(x, "qr")
    m, n = x._shape[-2:]
    kk = min(m, n)
    q_cols = m if mode == "complete" else kk
    r_rows = m if mode == "complete" else kk
    np_mode = "complete" if mode == "complete" else "reduced"
    q = _extern("qr.Q", lambda a: np.linalg.qr(a, mode=np_mode)[0], x,
                x._shape[:-2] + (m, q_cols))
    r = _extern("qr.R", lambda a: np.linalg.qr(a, mode=np_mode)[1], x,
                x._shape[:-2] + (r_rows, n))
    return return_types.linalg_qr(q, r)


def eigh(x, UPLO="L"):
    _float_input(x, "eigh")
    _square(x, "eigh")
    w = _extern("eigh.eigenvalues", lambda a: np.linalg.eigh(a, UPLO=UPLO)[0], x,
                x._shape[:-1])
    v = _extern("eigh.eigenvectors", lambda a: np.linalg.eigh(a, UPLO=UPLO)[1], x, x._shape)
    return return_types.linalg_eigh(w, v)


def eigvalsh(x, UPLO="L"):
    return eigh(x, UPLO).eigenvalues


def norm(x, ord=None, dim=None, keepdim=False, *, dtype=None):
    """Vector 2-norm by default (all elements); 'fro' and vector p-norms composed lazily."""
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor "
                           f"as input. Got {ops.torch_name(x.dtype)}")
    if ord is None or ord == "fro" or ord == 2 and (dim is None or isinstance(dim, int)):
        return (x * x).sum(dim, keepdim).sqrt()
    if ord == float("inf"):
        return x.abs().amax(dim, keepdim)
    if ord == -float("inf"):
        return x.abs().amin(dim, keepdim)
    if ord == 1:
        return x.abs().sum(dim, keepdim)
    if ord == 0:
        return (x != 0).to(x.dtype).sum(dim, keepdim)
    return (x.abs() ** ord).sum(dim, keepdim) ** (1.0 / ord)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    return norm(x, ord, dim, keepdim)


inverse = inv


def _attach():
    Tensor.matmul = matmul
    Tensor.__matmul__ = lambda a, b: matmul(a, b)
    Tensor.__rmatmul__ = lambda a, b: matmul(b, a)
    Tensor.mm = mm
    Tensor.dot = dot
    Tensor.det = det
    Tensor.inverse = inv
    Tensor.norm = lambda x, p="fro", dim=None, keepdim=False: norm(
        x, None if p == "fro" else p, dim, keepdim)
    Tensor.cross = lambda a, b, dim=None: cross(a, b, dim=-1 if dim is None else dim)


_attach()
