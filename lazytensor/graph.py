"""The lazy IR: immutable, structurally deduplicated nodes, and the buffers they read.

A node is `(op, dtype, shape, srcs, arg)`. Building one costs a tuple, a dict lookup and, when
new, one small object: no hashing of data and no graph library on this path. Equal subgraphs
are one object, so a graph has a stable structure that the program cache can key on.

Every node's value is a C-contiguous array of its `shape`. The primitive ops:

    load      arg = Buffer             a realised flat buffer; shape (numel,)
    const     arg = Python scalar      every element equals arg
    view      arg = (shape, strides, offset)
                                       element i of the view is element
                                       offset + sum(i_k * strides_k) of src, read flat
    <unary>   abs, neg, sin, ...       elementwise; see UNARY_OPS
    <binary>  add, sub, ...            elementwise on two same-shaped srcs; see BINARY_OPS
    where     cond, a, b               elementwise select
    fma       a, b, c                  a*b + c rounded once (float32/float64)
    cast      to `dtype`               elementwise conversion (float -> int truncates like C)
    reduce    arg = (op, axes)         sum/prod/max/min/argmax/argmin over axes; reduced
                                       axes stay as size 1 (keepdim form)
    assign    srcs = (target, value); arg = (shape, strides, offset)
                                       a copy of flat `target` with the viewed elements
                                       replaced by `value`: a new version of a storage
    extern    arg = ExternCall         computed in Python (NumPy LAPACK), shown in explain()
"""
import weakref

import numpy as np

from .codegen import memory, native, primitives
from .codegen.shapes import contiguous_strides, numel as prod  # noqa: F401

UNARY_OPS = frozenset(primitives.UNARY)
BINARY_OPS = frozenset(primitives.BINARY)
REDUCE_OPS = frozenset(("sum", "prod", "max", "min", "argmax", "argmin"))
ELEMENTWISE_OPS = UNARY_OPS | BINARY_OPS | {"where", "fma", "cast", "const"}


class Buffer:
    """Realised memory: a flat NumPy array holding `dtype.np_storage` elements.

    `shared` is set once NumPy can see the memory.
    """
    # ptr: the array's address, kept by the C front end's program runner
    __slots__ = ("array", "dtype", "device", "shared", "plan", "ptr", "__weakref__")
    kind = "buffer"         # what a kernel's comment calls it

    def __init__(self, array, dtype, device="cpu", shared=False):
        assert array.ndim == 1 and array.flags.c_contiguous
        self.array = array
        self.plan = None        # the plan of the program that computed it (realize_all sets it)
        self.ptr = None
        self.dtype = dtype
        self.device = device
        self.shared = shared
        if not shared and isinstance(array, np.ndarray) and array.nbytes >= memory.LARGE_BYTES:
            memory.recycle_when_dead(self, array)

    @property
    def numel(self):
        return self.array.shape[0]


class Node:
    # sig: (op, dtype, shape, arg as a key), what the program cache keys on besides the srcs;
    # depth: the longest path from a node without srcs (0) to this one, which bounds how much
    # pending work piles up before it is realised by itself (storage.DEPTH_LIMIT)
    __slots__ = ("op", "dtype", "shape", "srcs", "arg", "buffers", "sig", "depth",
                 "__weakref__")

    def __repr__(self):
        arg = "" if self.arg is None else f", {_arg_text(self.arg)}"
        return f"<{self.op} {self.dtype.name}{list(self.shape)}{arg}>"


# key -> weak reference to the node; an entry removes itself when its node dies. (A plain
# dict of weakrefs: WeakValueDictionary's pure-Python get/set cost more than the rest of
# building a node.)
_nodes = {}
_NO_BUFFERS = frozenset()
_PLAIN_ARG_OPS = frozenset(("view", "reduce", "assign", "cast")) | {None}


class _Entry(weakref.ref):
    """A weak reference to a node that knows the node's key (to remove it when it dies)."""
    __slots__ = ("key",)


def _forget(ref):
    if _nodes.get(ref.key) is ref:
        del _nodes[ref.key]


def _arg_key(op, arg):
    """A hashable key for arg that tells 0.0 from -0.0 and makes nan equal to itself."""
    if op == "const":
        return (type(arg).__name__, arg.hex() if isinstance(arg, float) else arg)
    if op in ("load", "extern"):
        return id(arg)
    return arg


def _union_buffers(srcs):
    out = _NO_BUFFERS
    for s in srcs:
        b = s.buffers
        if b is out or not b:
            continue
        out = b if not out else (out if b <= out else out | b)
    return out


def node(op, dtype, shape, srcs=(), arg=None):
    """The unique node with this structure (created if new)."""
    argk = arg if arg is None or op in _PLAIN_ARG_OPS else _arg_key(op, arg)
    key = (op, dtype, shape, tuple(map(id, srcs)), argk)
    ref = _nodes.get(key)
    n = ref() if ref is not None else None
    if n is None:
        n = Node()
        n.op, n.dtype, n.shape, n.srcs, n.arg = op, dtype, shape, tuple(srcs), arg
        n.sig = (op, dtype, shape, argk)
        n.depth = 1 + max([s.depth for s in srcs]) if srcs else 0
        if op == "load":
            n.buffers = frozenset((arg,))
        else:
            n.buffers = _union_buffers(srcs)
            if op == "extern":
                n.buffers = n.buffers | {arg}
        ref = _Entry(n, _forget)
        ref.key = key
        _nodes[key] = ref
    return n


def load(buffer):
    return node("load", buffer.dtype, (buffer.numel,), (), buffer)


def const(value, dtype, shape):
    return node("const", dtype, shape, (), value)


class ScalarBuffer(Buffer):
    """The one-element buffer of a Python scalar operand (see scalar())."""
    __slots__ = ()
    kind = "scalar operand"


# Python scalars that are data, not code: `x * lr` reads lr from a one-element buffer, so a
# new lr reuses the compiled program instead of compiling one with a new literal. Kept by
# (dtype, value) so a loop's scalar is one buffer; emptied when it reaches SCALARS_KEPT.
SCALARS_KEPT = 1024
_scalars = {}


_scalar_views = {}          # (dtype, value key, shape) -> the broadcast view (a loop's lr)


def scalar(value, dtype, shape):
    """The scalar `value` (already converted to dtype) as an input broadcast to shape; a
    bfloat16 one (whose storage is raw bits) stays a literal."""
    if dtype.name == "bfloat16":
        return const(value, dtype, shape)
    key = (dtype, _arg_key("const", value))
    seen = _scalar_views.get((key, shape))
    if seen is not None:
        return seen
    ld = _scalars.get(key)
    if ld is None:
        if len(_scalars) >= SCALARS_KEPT:
            _scalars.clear()
            _scalar_views.clear()
        array = memory.empty(1, dtype.np_storage)
        with np.errstate(over="ignore"):       # 1e300 as float32 is inf, as a literal is
            array[0] = value
        ld = _scalars[key] = load(ScalarBuffer(array, dtype))
    if len(_scalar_views) >= SCALARS_KEPT:
        _scalar_views.clear()
    v = _scalar_views[(key, shape)] = view(ld, shape, (0,) * len(shape), 0)
    return v


def is_reshape_view(shape, strides, offset, src_numel):
    """True when the view reads all of src in order: a pure reshape."""
    if offset != 0 or prod(shape) != src_numel:
        return False
    expect = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1 and stride != expect:
            return False
        expect *= size
    return True


def view(src, shape, strides, offset=0):
    """src read through (shape, strides, offset); a reshape of src's own shape is src itself.
    A view reaching outside src is refused: generated code must never address memory outside
    its buffers (the public ops check their arguments first, with PyTorch's messages)."""
    shape = tuple(shape)
    if 0 not in shape:
        low = high = offset
        for size, stride in zip(shape, strides):
            if stride > 0:
                high += (size - 1) * stride
            else:
                low += (size - 1) * stride
        if low < 0 or high >= prod(src.shape):
            raise RuntimeError(f"internal error: a view (sizes {list(shape)}, strides "
                               f"{list(strides)}, offset {offset}) reaches outside its source "
                               f"of {prod(src.shape)} elements")
    if shape == src.shape and offset == 0 and is_reshape_view(shape, strides, 0, prod(shape)):
        return src
    if is_reshape_view(shape, strides, offset, prod(src.shape)):
        strides = contiguous_strides(shape)
    return node("view", src.dtype, shape, (src,), (shape, tuple(strides), offset))


def reshape(src, shape):
    return view(src, shape, contiguous_strides(shape), 0)


def expand(src, shape):
    """Broadcast src (whose shape is right-aligned against `shape`) to `shape`."""
    shape = tuple(shape)
    if src.shape == shape:
        return src
    lead = len(shape) - len(src.shape)
    own = contiguous_strides(src.shape)
    strides = [0] * lead + [0 if s == 1 and t != 1 else st
                            for s, t, st in zip(src.shape, shape[lead:], own)]
    return node("view", src.dtype, shape, (src,), (shape, tuple(strides), 0))


class ExternCall:
    """A computation done in Python on realised inputs (e.g. NumPy's LAPACK for svd).

    `fn(*numpy_arrays) -> numpy_array` of the node's shape and dtype; the result is kept in
    `result` (a flat NumPy array) once computed so the node then reads like a load.
    """
    __slots__ = ("name", "fn", "result", "__weakref__")

    def __init__(self, name, fn):
        self.name, self.fn, self.result = name, fn, None

    def __repr__(self):
        return f"numpy:{self.name}"


def extern(name, fn, dtype, shape, srcs):
    return node("extern", dtype, tuple(shape), tuple(srcs), ExternCall(name, fn))


def _arg_text(arg):
    if isinstance(arg, ScalarBuffer):
        return f"scalar {arg.array[0].item()!r}"
    if isinstance(arg, Buffer):
        return f"buffer{arg.numel}"
    return repr(arg)


# The C front end builds the same nodes without the interpreter in between (codegen/native.py);
# `python_node` stays the reference its tests compare with.
python_node = node
_front = native.front()
if _front is not None:
    _front.init_graph(Node, _nodes, _PLAIN_ARG_OPS, _NO_BUFFERS, ExternCall)
    node = _front.node
