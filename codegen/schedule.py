"""Cut a pending graph into kernels.

Fusion rules (DESIGN.md §4):
  * elementwise ops, casts, constants and views are inlined into whichever kernel reads them;
    a view is index arithmetic, never a copy;
  * a reduction is inlined into the kernel that reads it when each output element of that
    kernel needs exactly one reduced value: it is reached through elementwise ops and
    reshapes only. Read back through a broadcast, a slice or a permute, read by another
    reduction, or read by several nodes, it becomes its own kernel (softmax is 2-3 kernels);
  * a write of a storage version (`assign`) is its own kernel;
  * loads and computed externs are inputs, not kernels.

This module sees graph nodes only through their fields (op, dtype, shape, srcs, arg).
"""
from dataclasses import dataclass, field

from .dag import Dag


def _is_reshape(n):
    shape, strides, offset = n.arg
    src_numel = 1
    for s in n.srcs[0].shape:
        src_numel *= s
    numel, expect = 1, 1
    for s in shape:
        numel *= s
    if offset != 0 or numel != src_numel:
        return False
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1 and stride != expect:
            return False
        expect *= size
    return True


def is_input(n):
    """A node whose value already sits in memory."""
    return n.op == "load" or (n.op == "extern" and n.arg.result is not None)


def matmul_parts(n):
    """(reduce, a_view, b_view) when n computes a matrix product the way linalg.matmul
    builds it: sum over axis -2 of a[..., m, k, 1->n] * b[..., 1->m, k, n] (views of any
    nodes), or a reshape of such a sum; else None."""
    if n.op == "view" and _is_reshape(n):
        n = n.srcs[0]
    if n.op != "reduce" or n.arg[0] != "sum" or n.dtype.name not in ("float32", "float64"):
        return None
    src = n.srcs[0]
    nd = len(src.shape)
    if src.op != "mul" or nd < 3 or n.arg[1] != (nd - 2,) or src.dtype is not n.dtype:
        return None
    a, b = src.srcs
    if a.op != "view" or b.op != "view":
        return None
    if a.arg[1][-1] != 0 or b.arg[1][-3] != 0:
        return None
    return n, a, b


@dataclass
class Kernel:
    """One loop nest: computes `root` into a fresh buffer, reading `inputs` from memory."""
    root: object
    kind: str                                   # elementwise | reduce | assign
    inputs: list = field(default_factory=list)  # materialised nodes read, first-use order
    fused: list = field(default_factory=list)   # op names inlined, in graph order
    reason: str = ""                            # why this node is a kernel of its own
    matmul: tuple = None                        # (reduce, a_view, b_view) for matmul kernels


@dataclass
class Schedule:
    kernels: list           # in run order
    inputs: list            # nodes already in memory that the kernels read
    targets: list           # the nodes asked for
    order: list             # every pending node, sources first

    @property
    def graph(self):
        """The node-level graph of everything pending, as a networkx DiGraph (for explain();
        built only when asked for)."""
        return node_graph(self.order)


def _consumer_counts(order):
    counts = {}
    for n in order:
        for s in set(map(id, n.srcs)):
            counts[s] = counts.get(s, 0) + 1
    return counts


def _trace(root, materialised, counts, reasons):
    """Walk what `root`'s kernel inlines; mark nodes that must be kernels of their own."""
    kernel = Kernel(root, "assign" if root.op == "assign" else "elementwise")
    seen_inputs = {}
    visited = set()

    def need_input(n, why=None):
        if id(n) not in materialised and not is_input(n):
            materialised[id(n)] = n
            reasons[id(n)] = why
        if id(n) not in seen_inputs:
            seen_inputs[id(n)] = n
            kernel.inputs.append(n)

    mm = matmul_parts(root)
    if mm is not None:
        kernel.kind, kernel.matmul = "matmul", mm
        kernel.fused = ["mul", "sum (matrix product)"]
        need_input(mm[1].srcs[0], "an operand of a matrix product")
        need_input(mm[2].srcs[0], "an operand of a matrix product")
        return kernel
    if root.op == "assign":
        need_input(root.srcs[0], "the storage version an assignment writes over")
        stack = [(root.srcs[1], False, False)]
    elif root.op == "reduce":
        kernel.kind = "reduce"
        kernel.fused.append(f"{root.arg[0]}{list(root.arg[1])}")
        stack = [(root.srcs[0], False, True)]
    else:
        stack = [(root, False, False)]
    while stack:
        n, under_view, in_reduce = stack.pop()
        key = (id(n), under_view, in_reduce)
        if key in visited:
            continue
        visited.add(key)
        if n is not root and (id(n) in materialised or is_input(n)):
            need_input(n)
        elif n.op == "reduce" and n is not root:
            if matmul_parts(n) is not None:
                need_input(n, "a matrix product runs as its own tiled kernel")
            elif under_view:
                need_input(n, "a reduction read back through a broadcast or slice")
            elif in_reduce:
                need_input(n, "a reduction read by another reduction")
            elif counts.get(id(n), 0) > 1:
                need_input(n, "a reduction read by several ops")
            else:
                if kernel.kind != "assign":
                    kernel.kind = "reduce"
                kernel.fused.append(f"{n.arg[0]}{list(n.arg[1])}")
                stack.append((n.srcs[0], False, True))
        elif n.op in ("assign", "extern"):
            need_input(n, "a new storage version" if n.op == "assign"
                       else f"computed by NumPy ({n.arg.name})")
        elif n.op == "view":
            stack.append((n.srcs[0], under_view or not _is_reshape(n), in_reduce))
        else:
            if n.op not in ("const", "load"):
                kernel.fused.append(n.op)
            for s in reversed(n.srcs):
                stack.append((s, under_view, in_reduce))
    kernel.fused.reverse()
    return kernel


def schedule(targets, order, why=None):
    """Kernels computing every node in `targets`; `order` is graph.toposort(targets); `why`,
    when given, says for each target why it is computed (the kernel's reason)."""
    counts = _consumer_counts(order)
    materialised, reasons = {}, {}
    for i, t in enumerate(targets):
        if not is_input(t) and t.op != "extern":
            materialised[id(t)] = t
            reasons.setdefault(id(t), why[i] if why else "requested")
    kernels, done = {}, set()
    while len(done) < len(materialised):
        for key, n in list(materialised.items()):
            if key in done:
                continue
            done.add(key)
            if n.op == "extern":
                continue
            kernels[key] = _trace(n, materialised, counts, reasons)
            kernels[key].reason = reasons.get(key) or "requested"

    position = {id(n): i for i, n in enumerate(order)}
    deps = Dag()
    for key, k in kernels.items():
        deps.add_node(key)
        for src in k.inputs:
            if id(src) in kernels:
                deps.add_edge(id(src), key)
    run_order = [kernels[k] for k in deps.order(key=lambda k: position[k])]

    inputs, seen = [], set()
    for k in run_order:
        for src in k.inputs:
            # an extern not yet computed is an input too: run() computes it first
            if (is_input(src) or src.op == "extern") and id(src) not in seen:
                seen.add(id(src))
                inputs.append(src)
    return Schedule(run_order, inputs, list(targets), order)


def node_graph(order):
    """The pending graph as a networkx DiGraph (edges from src to user), for inspection."""
    import networkx as nx
    g = nx.DiGraph()
    names = {}
    for i, n in enumerate(order):
        names[id(n)] = i
        g.add_node(i, op=n.op, dtype=n.dtype.name, shape=tuple(n.shape), label=repr(n))
        for s in n.srcs:
            if id(s) in names:
                g.add_edge(names[id(s)], i)
    return g
