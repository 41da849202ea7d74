"""Reductions: sum, prod, mean, max/min (with indices), argmax/argmin, all/any, std/var."""
from collections import namedtuple

from . import dtypes, graph, ops
from .printing import format_return_type
from .tensor import Tensor, wrap


def _named(name, fields):
    cls = namedtuple(name, fields)

    def __repr__(self):
        return format_return_type(name, [(f, repr(getattr(self, f))) for f in fields])
    cls.__repr__ = cls.__str__ = __repr__
    cls.__module__ = "lazytensor.return_types"
    return cls


class return_types:
    """Named-tuple results, printed as PyTorch prints its torch.return_types."""
    max = _named("max", ("values", "indices"))
    min = _named("min", ("values", "indices"))
    sort = _named("sort", ("values", "indices"))
    topk = _named("topk", ("values", "indices"))
    var_mean = _named("var_mean", ())
    linalg_svd = _named("linalg_svd", ("U", "S", "Vh"))
    linalg_qr = _named("linalg_qr", ("Q", "R"))
    linalg_eigh = _named("linalg_eigh", ("eigenvalues", "eigenvectors"))


def _reduce(op, x, dim=None, keepdim=False, dtype=None):
    node, _ = ops.reduce(op, x, dim, keepdim, dtypes.to_dtype(dtype) if dtype else None)
    return wrap(node, x.device)


def sum(x, dim=None, keepdim=False, *, dtype=None):
    return _reduce("sum", x, dim, keepdim, dtype)


def prod(x, dim=None, keepdim=False, *, dtype=None):
    return _reduce("prod", x, dim, keepdim, dtype)


def _count(x, dim):
    axes = ops.normalize_dims(dim, x.ndim)
    return graph.prod(x._shape[a] for a in axes) if x.ndim else 1


def mean(x, dim=None, keepdim=False, *, dtype=None):
    d = dtypes.to_dtype(dtype) if dtype else x.dtype
    if not d.is_floating_point:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {ops.torch_name(d)}")
    n = _count(x, dim)
    total = _reduce("sum", x, dim, keepdim, d)
    return total / n if n else total * float("nan")


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    n = _count(x, dim)
    centered = x - mean(x, dim, keepdim=True)
    total = _reduce("sum", centered * centered, dim, keepdim)
    return total / builtin_max(n - correction, 0)


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return var(x, dim, unbiased, keepdim, correction=correction).sqrt()


def builtin_max(a, b):
    return a if a > b else b


def _max_min(op, x, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        from .elementwise import binary
        return binary("maximum" if op == "max" else "minimum", x, dim)
    if dim is None:
        return _reduce(op, x)
    values = _reduce(op, x, dim, keepdim)
    indices = _reduce("arg" + op, x, dim, keepdim)
    return getattr(return_types, op)(values, indices)


def max(x, dim=None, keepdim=False):
    return _max_min("max", x, dim, keepdim)


def min(x, dim=None, keepdim=False):
    return _max_min("min", x, dim, keepdim)


def amax(x, dim=(), keepdim=False):
    return _reduce("max", x, dim if dim != () else None, keepdim)


def amin(x, dim=(), keepdim=False):
    return _reduce("min", x, dim if dim != () else None, keepdim)


def argmax(x, dim=None, keepdim=False):
    return _reduce("argmax", x, dim, keepdim and dim is not None)


def argmin(x, dim=None, keepdim=False):
    return _reduce("argmin", x, dim, keepdim and dim is not None)


def all(x, dim=None, keepdim=False):
    return _reduce("min", x.bool(), dim, keepdim)


def any(x, dim=None, keepdim=False):
    return _reduce("max", x.bool(), dim, keepdim)


FUNCTIONS = ("sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "argmax",
             "argmin", "all", "any")


def _attach():
    g = globals()
    for name in FUNCTIONS:
        setattr(Tensor, name, g[name])


_attach()
