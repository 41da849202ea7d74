"""Inspection: what a tensor's pending graph will become, without running anything."""
from . import graph
from .codegen import cache
from .storage import plan_batch
from .codegen.graph_walk import toposort
from .codegen.run import make_plan


class Explanation:
    """The pending graph of some tensors, the kernels it becomes and their source.

    `.graph` is a networkx.DiGraph (nodes carry op, dtype, shape), `.kernels` the kernel
    specs (each with `.name`, `.source`, `.fused`, `.reason`), `.source` the whole translation
    unit. Building one schedules and renders; it compiles and runs nothing.
    """

    def __init__(self, tensors, backend=None):
        if backend is None:
            backend = "cuda" if any(t.device.type == "cuda" for t in tensors) else "c"
        self.tensors = tensors
        storages = [t._storage for t in tensors]
        batch = plan_batch(storages)
        self.pending, reuse, self.why = batch.nodes, batch.reuse, batch.why
        self.nodes = toposort([s.node for s in storages] + self.pending)
        if backend == "cuda":
            from .codegen.cuda_render import CudaDialect
            dialect = CudaDialect()
        else:
            dialect = None
        self.plan = make_plan(self.pending, dialect, reuse, self.why) if self.pending else None
        self.graph = self.plan.schedule.graph if self.plan else _graph_of(self.nodes)
        # Nothing pending: the kernels and source of the program that computed the values
        self.ran = None if self.plan else _plan_that_ran(storages)
        shown = self.plan or self.ran
        self.kernels = shown.kernels if shown else []
        self.source = shown.source if shown else ""

    def __str__(self):
        lines = [f"graph: {len(self.nodes)} nodes"]
        number = {id(n): i for i, n in enumerate(self.nodes)}
        for i, n in enumerate(self.nodes):
            srcs = ", ".join(f"%{number[id(s)]}" for s in n.srcs)
            arg = _arg_text(n)
            lines.append(f"  %{i} = {n.op}({srcs}{', ' if srcs and arg else ''}{arg})"
                         f" : {n.dtype.name}{list(n.shape)}")
        if self.pending:
            lines.append(f"stores: {len(self.pending)} value(s)")
            for n, why in zip(self.pending, self.why):
                lines.append(f"  %{number[id(n)]} {n.dtype.name}{list(n.shape)}: {why}")
        externs = [n for n in self.nodes if n.op == "extern" and n.arg.result is None]
        for n in externs:
            lines.append(f"extern {n.arg.name}: runs in NumPy (LAPACK), not generated code")
        if not self.kernels:
            if not externs:
                lines.append("nothing to compute: the values are already in memory")
            return "\n".join(lines)
        if self.ran:
            lines.append("nothing to compute: the values are already in memory, computed by "
                         "the program below")
        lines.append(f"kernels: {len(self.kernels)}")
        for k in self.kernels:
            fused = ", ".join(k.fused) if k.fused else "copy"
            lines.append(f"  {k.name}: {k.kind} [{fused}]  ({k.reason}); {k.write_note}")
        lines.append("source:")
        lines.append(self.source)
        return "\n".join(lines)

    __repr__ = __str__


def _arg_text(n):
    if isinstance(n.arg, graph.ScalarBuffer):
        return f"scalar {n.arg.array[0].item()!r}"
    if n.op == "load":
        return f"buffer[{n.arg.numel}]"
    if n.op == "const":
        return repr(n.arg)
    if n.op == "view":
        shape, strides, offset = n.arg
        return f"shape={list(shape)}, strides={list(strides)}, offset={offset}"
    if n.op == "reduce":
        return f"{n.arg[0]}, axes={list(n.arg[1])}"
    if n.op == "assign":
        shape, strides, offset = n.arg
        return f"into shape={list(shape)}, strides={list(strides)}, offset={offset}"
    if n.op == "extern":
        return f"numpy {n.arg.name}"
    return ""


def _plan_that_ran(storages):
    """The plan that computed the first of these storages computed by a program, or None."""
    for s in storages:
        if s.node.op == "load" and s.node.arg.plan is not None:
            return s.node.arg.plan
    return None


def _graph_of(nodes):
    from .codegen.schedule import node_graph
    return node_graph(nodes)


def explain(*tensors, backend=None):
    """An Explanation of what realising these tensors will do (nothing is run); backend
    "c" or "cuda" (default: the tensors' device)."""
    return Explanation(list(tensors), backend)


def cache_info():
    """Counters of the program caches, and where the disk cache lives."""
    info = dict(cache.stats)
    info["cache_dir"] = cache.cache_dir()
    info["programs_in_memory"] = len(cache.memory)
    info["native_front"] = graph._front is not None     # the C per-op path (codegen/native.py)
    return info
