"""Where each kernel writes: into the memory of the version it replaces (in place), or into
a fresh buffer (copy-on-write).

A kernel may overwrite the memory M holding version t when
  * t is an `assign`'s target, or the old buffer of a storage being realised (a `reuse`
    hint); a buffer not being realised in this batch is never written, nor the result of
    another requested node;
  * every other kernel reading M's old contents can run before it (a write-after-read edge
    is added), i.e. none of them needs this kernel's result;
  * every kernel that already writes into M is ordered before it;
  * the kernel itself reads M only at the element it is about to write (so each element is
    read before it is overwritten).
Otherwise the kernel writes a fresh buffer and the reason is kept for explain().
"""
from .dag import Dag
from .schedule import is_input


def kernel_graph(kernels):
    g = Dag()
    root_kernel = {id(k.root): i for i, k in enumerate(kernels)}
    for i, k in enumerate(kernels):
        g.add_node(i)
        for src in k.inputs:
            if id(src) in root_kernel:
                g.add_edge(root_kernel[id(src)], i)
    return g, root_kernel


def decide(kernels, specs, reuse_ids, targets=()):
    """Mark in-place writes on specs; return (run order, alias map id(root) -> written node).

    `reuse_ids` maps id(root node) -> load node of a buffer that root's kernel may overwrite.
    """
    g, root_kernel = kernel_graph(kernels)
    memory = {}                     # id(node) -> id of the node whose memory it lives in
    alias = {}
    writers = {}                    # memory -> kernels writing into it, in decision order

    def mem(n):
        return memory.get(id(n), id(n))

    for i in g.order():
        k, spec = kernels[i], specs[i]
        t = k.root.srcs[0] if k.root.op == "assign" else reuse_ids.get(id(k.root))
        if t is None:
            spec.write_note = "writes a new buffer"
            continue
        if any(t is r for r in targets):
            spec.write_note = "copy-on-write: the old version is itself a requested result"
            continue
        if is_input(t) and not any(t is r for r in reuse_ids.values()):
            spec.write_note = ("copy-on-write: the old version is a buffer that nothing in "
                               "this realisation owns")
            continue
        earlier = [w for w in writers.get(mem(t), []) if w not in g.ancestors(i)]
        if earlier:
            spec.write_note = (f"copy-on-write: kernel k{earlier[0]} also writes this memory "
                               "and is not ordered before this one")
            continue
        ok, why = _check(i, t, kernels, specs, g, root_kernel, mem)
        if not ok:
            spec.write_note = f"copy-on-write: {why}"
            continue
        for j in _old_readers(i, t, kernels, specs, g, root_kernel, mem):
            g.add_edge(j, i)
        writers.setdefault(mem(t), []).append(i)
        memory[id(k.root)] = mem(t)
        alias[id(k.root)] = t
        spec.write_note = "in place: no pending reader needs the old version after this write"
        if k.root.op == "assign":
            spec.copy_from = ""
    order = g.order()
    return order, alias, memory


def _old_readers(i, t, kernels, specs, g, root_kernel, mem):
    """Kernels other than i that read memory mem(t) at a version before i's write."""
    target = mem(t)
    later = g.descendants(i) | {i}
    out = []
    for j, spec in enumerate(specs):
        if j == i:
            continue
        for p, n in zip(spec.params, spec.param_nodes):
            if p.is_output or mem(n) != target:
                continue
            producer = root_kernel.get(id(n))
            if producer is not None and producer in later:
                continue            # reads this write's result or a later version
            out.append(j)
            break
    return out


def _check(i, t, kernels, specs, g, root_kernel, mem):
    later = g.descendants(i)
    for j in _old_readers(i, t, kernels, specs, g, root_kernel, mem):
        if j in later:
            return False, (f"{kernels[j].root.op} kernel k{j} reads the old version after "
                           "this write")
    spec = specs[i]
    target = mem(t)
    for p, n in zip(spec.params, spec.param_nodes):
        if p.is_output or mem(n) != target:
            continue
        reads = spec.load_indices.get(p.name, set())
        if reads and reads != {spec.store_index}:
            return False, "the new values read the old ones at other positions"
    return True, ""
