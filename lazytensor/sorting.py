"""Sorting and set ops. sort/argsort/topk have a known shape and stay lazy as NumPy externs;
unique's shape depends on the data, so it realises its input (as PyTorch must, too)."""
import numpy as np

from . import graph
from .creation import tensor_from_values
from .dtypes import int64
from .ops import normalize_dim
from .reductions import return_types
from .tensor import Tensor, wrap


def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    values = x._values()
    if dim is None:
        out = np.unique(values.reshape(-1), return_inverse=return_inverse,
                        return_counts=return_counts)
    else:
        out = np.unique(values, return_inverse=return_inverse, return_counts=return_counts,
                        axis=normalize_dim(dim, x.ndim))
    if not (return_inverse or return_counts):
        return tensor_from_values(out, x.dtype, x.device)
    parts = [tensor_from_values(out[0], x.dtype, x.device)]
    i = 1
    if return_inverse:
        inverse = out[i].reshape(x._shape if dim is None else (-1,))
        parts.append(tensor_from_values(inverse.astype(np.int64), int64, x.device))
        i += 1
    if return_counts:
        parts.append(tensor_from_values(out[i].astype(np.int64), int64, x.device))
    return tuple(parts)


def _sorted_extern(x, dim, descending, want):
    d = normalize_dim(dim, x.ndim) if x.ndim else 0

    def fn(a):
        # stable: equal elements keep their order, as PyTorch's stable sort does
        key = -a if descending and a.dtype.kind != "b" else a
        order = np.argsort(key if not descending or a.dtype.kind != "b" else ~a,
                           axis=d, kind="stable") if a.ndim else np.zeros((), np.int64)
        if want == "indices":
            return order.astype(np.int64)
        return np.take_along_axis(a, order, axis=d) if a.ndim else a
    dt = int64 if want == "indices" else x.dtype
    return wrap(graph.extern(f"sort.{want}", fn, dt, x._shape, (x._node,)), x.device)


def sort(x, dim=-1, descending=False, stable=False):
    return return_types.sort(_sorted_extern(x, dim, descending, "values"),
                             _sorted_extern(x, dim, descending, "indices"))


def argsort(x, dim=-1, descending=False, stable=False):
    return _sorted_extern(x, dim, descending, "indices")


def topk(x, k, dim=-1, largest=True, sorted=True):
    d = normalize_dim(dim, x.ndim)
    if not 0 <= k <= x._shape[d]:
        raise RuntimeError("selected index k out of range")
    s = sort(x, d, descending=largest)
    return return_types.topk(s.values.narrow(d, 0, k), s.indices.narrow(d, 0, k))


Tensor.unique = unique
Tensor.sort = sort
Tensor.argsort = argsort
Tensor.topk = topk
