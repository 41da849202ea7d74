"""Storage: the memory that a tensor and all its views share, as a chain of versions.

`node` is the storage's newest version: a load of its realised buffer, or a pending graph.
Tensors (a view: shape, strides, offset) read the storage's newest version; a mutation sets
a new version (graph "assign", or a whole new value) and every alias sees it, while nodes
built earlier keep reading the version they captured.

Realising a storage computes its newest version. When the storage already owns a buffer, the
kernel may write the new version straight into it (an in-place write: `x[0] = 5` touches one
element); the scheduler decides, and falls back to a fresh buffer when some pending reader
still needs the old contents in a way it cannot order around. Every other pending storage
that reads the old contents is realised in the same batch, before the write.

A buffer belongs to exactly one storage. A storage whose memory NumPy also sees
(from_numpy, .numpy()) is `shared`: its mutations are realised at once, into that memory, and
an op reading it reads a copy taken when the op is built, because NumPy may change the memory
unseen.
"""
import weakref

import numpy as np

from . import graph
from .dtypes import bfloat16
from .codegen import cache, compile_log, cuda_driver, cuda_run, debug_log, memory, run


class Storage:
    __slots__ = ("node", "numel", "dtype", "device", "buffer", "shared", "last_view",
                 "version", "__weakref__")

    def __init__(self, node, device, buffer=None, shared=False):
        self.buffer = buffer
        if node.op == "load" and node.arg is not buffer:
            node = self._owned(node)
        self.numel = graph.prod(node.shape)
        self.dtype = node.dtype
        self.device = device
        self.shared = shared
        self.node = node
        self.last_view = None
        self.version = 0            # counts the mutations (autograd checks saved tensors)
        if node.op != "load" and not _computes_nothing(node):
            _note_pending(self)

    @classmethod
    def from_array(cls, flat, dtype, device, share=False):
        """A realised storage over the flat array `flat` (NumPy keeps seeing it when share);
        for a CUDA device, a copy of it in device memory."""
        if device.type == "cuda":
            flat = cuda_driver.DeviceArray.from_numpy(flat, cuda_driver.device(device.index))
            share = False
        buf = graph.Buffer(flat, dtype, str(device), shared=share)
        return cls(graph.load(buf), device, buffer=buf, shared=share)

    def read_node(self):
        """The version an op reads now. Memory NumPy shares is copied first: NumPy may write
        it at any time, unseen, and the op must keep the values it was called with."""
        if self.shared and self.node.op == "load":
            live = self.buffer.array
            snapshot = memory.empty(live.shape[0], live.dtype)
            np.copyto(snapshot, live)
            return graph.load(graph.Buffer(snapshot, self.dtype, str(self.device)))
        return self.node

    def read_view(self, shape, strides, offset):
        """The node of this storage's newest version read through a view; the last one is
        kept (until the next version) because a tensor is usually read the same way again.
        A version past the depth bound is computed first (see DEPTH_LIMIT)."""
        if self.node.depth > DEPTH_LIMIT[0]:
            _realize_deep(self)
        if self.shared:
            return graph.view(self.read_node(), shape, strides, offset)
        n = self.node
        if offset == 0 and shape == n.shape and strides == graph.contiguous_strides(shape):
            return n
        last = self.last_view
        if last is not None and last[0] == shape and last[1] == strides and \
                last[2] == offset:
            return last[3]
        v = graph.view(n, shape, strides, offset)
        self.last_view = (shape, strides, offset, v)
        return v

    @property
    def realized(self):
        return self.node.op == "load"

    def _owned(self, node):
        """node, or a copy of it when it is a load of a buffer this storage does not own
        (a buffer belongs to one storage)."""
        if node.op == "load" and node.arg is not self.buffer:
            return graph.node("cast", node.dtype, node.shape, (node,))
        return node

    def set(self, node):
        """Make `node` (same dtype and element count) the storage's newest version."""
        node = self._owned(node)
        self.node = node
        self.last_view = None
        self.version += 1
        if node.op != "load":
            _note_pending(self)
            if node.depth > _written_bound():
                _realize_deep(self)
        if self.shared:
            self.realize()

    def realize(self):
        if self.node.op != "load":
            realize_all([self])
        return self.buffer

    def share(self):
        """Realise, and keep this storage's memory for good: NumPy shares it from now on.
        Every pending value that reads this memory is computed first: NumPy may write it at
        any time, and those values must be the ones of the calls that made them."""
        buffer = self.realize()
        if not buffer.shared:
            _realize_readers(buffer)
        self.shared = self.buffer.shared = True
        self.last_view = None
        return self.buffer


# Weak references to the storages that were given a pending node; the realised and the dead
# are dropped whenever the list is scanned, or when it has doubled since it last was.
_pending = []
_prune_at = [1024]
_front_ops = [False]       # set once the C front end shares _pending (fastops.install)


# A storage whose pending graph is deeper than this is realised (with its companions) when an
# op next reads it: a loop that never reads its values still runs in linear time, with one
# program per stretch of about DEPTH_LIMIT dependent ops, the same program every stretch.
# Realising at the read rather than when the node is made means the step's temporaries and
# the value it replaces are gone by then (`v = v * a + b`: the old v and `v * a`), so the
# program stores only what is still held. A node made twice as deep without a read through
# read_view (a path building on storage.node itself) is realised when made. (A list, so the C
# front end reads the value tests set.)
DEPTH_LIMIT = [128]
_realizing_deep = [False]


def _written_bound():
    """The depth past which a version written into a held storage (`w -= lr * g`) is
    realised at the write, below DEPTH_LIMIT so that in a loop updating its parameters in
    place the write, always at the same point of the step, comes first: a read's bound,
    crossed by whichever of the step's tensors gets there first, cut the step at a point
    that drifted from one stretch to the next, and each new point was a new program (a
    cubic fit compiled programs until its 56th step; now until its 9th). The C front end's
    whole-tensor writes use the same bound."""
    return DEPTH_LIMIT[0] * 3 // 4


def _computes_nothing(node):
    """A literal, or a number read through a view (full(), zeros()): such a storage shares
    no work and reads no memory anyone writes, so it stays off the pending list, and a
    loop's realisation need not look at it (it is computed when read)."""
    if node.op == "const":
        return True
    if node.op != "view":
        return False
    src = node.srcs[0]
    return src.op == "const" or (src.op == "load" and type(src.arg) is graph.ScalarBuffer)


def _note_pending(storage):
    _pending.append(weakref.ref(storage))
    if len(_pending) >= _prune_at[0]:
        _prune_pending()
    if storage.node.depth > 2 * DEPTH_LIMIT[0]:      # what read_view did not see
        _realize_deep(storage)


def _realize_deep(storage):
    """Realise a storage whose pending graph passed DEPTH_LIMIT (not while another such
    realisation runs: a NumPy extern may build tensors on the way)."""
    if _realizing_deep[0]:
        return
    _realizing_deep[0] = True
    try:
        # into new memory: the op reading `storage` may hold nodes it took from other
        # operands before this ran, loads of buffers that must keep their old values
        realize_all([storage], in_place=False)
    finally:
        _realizing_deep[0] = False


def _realize_readers(buffer):
    """Realise the live pending storages whose graphs read `buffer`, a device at a time."""
    by_device = {}
    for s in _live_pending():
        if s.node.op != "load" and buffer in s.node.buffers:
            by_device.setdefault(str(s.device), []).append(s)
    for readers in by_device.values():
        realize_all(readers)


def _prune_pending():
    _live_pending()
    _prune_at[0] = max(1024, 2 * len(_pending))


def _live_pending():
    """The pending storages, each once (one may have been noted again after a realisation
    that this list has not seen yet)."""
    if _front_ops[0]:
        return graph._front.live_pending()
    live, seen, held = [], set(), []
    for ref in _pending:
        s = ref()
        if s is not None and s.node.op != "load" and id(s) not in seen:
            seen.add(id(s))
            live.append(ref)
            held.append(s)      # calling ref() again could give None: the cycle collector
    _pending[:] = live          # may run in between
    return held


# Why a storage is in a realisation's batch (explain() shows it beside each stored value).
REQUESTED = "requested"
SHARES_WORK = "a live tensor sharing work with the requested values"
READS_OVERWRITTEN = "a live tensor reading memory this program overwrites"

# Ops whose node does no work of its own: sharing one of these (a buffer, a literal, a view of
# either, such as a loop's learning-rate scalar) is no reason to compute two tensors together.
_NO_WORK = frozenset(("load", "const", "view"))


def _add_work(root, work, walked):
    """Add to `work` the nodes of root's graph that compute something; `walked` maps every
    node already walked to the order it was met in (each is walked once; srcs are met in
    order). (The C front end's add_work does the same.)"""
    stack = [root]
    while stack:
        n = stack.pop()
        if n in walked or n.op == "load":
            continue
        walked[n] = len(walked)
        if n.op not in _NO_WORK:
            work.add(n)
        stack += reversed(n.srcs)


def _reaches(root, work, clean):
    """True when root's graph holds a node of `work`. Nodes found not to are added to
    `clean`, which is valid only until `work` grows."""
    stack = [root]
    while stack:
        n = stack.pop()
        if n in work:
            return True
        if n in clean or n.op == "load":
            continue
        clean.add(n)
        stack += n.srcs
    return False


def _companions(batch, in_place=True):
    """The live pending storages to realise with `batch`, each with why.

    Two kinds join: one whose graph shares a computing node with the batch's (realising the
    batch computes that node; left pending, the storage would compute it again, and a loop
    that reads one value per step would recompute its whole history every step), and one
    that reads a buffer the batch may overwrite (it needs the old contents; none when the
    batch is computed into new memory, `in_place` False). Each one that joins can bring in
    more, so the search repeats until nothing joins.
    """
    ids = {id(s) for s in batch}
    device = batch[0].device
    candidates = [r for r in _live_pending()
                  if id(r) not in ids and (r.device is device or r.device == device)]
    if not candidates:
        return [], {}
    written = {s.buffer for s in batch if s.buffer is not None} if in_place else set()
    work, walked = set(), {}
    read = set()        # the buffers the batch's graphs read, scalar operands aside
    for s in batch:
        _add_work(s.node, work, walked)
        read.update(_data_buffers(s.node))
    out = []
    full, passed = candidates, []   # to test again in full; passed over by the buffer test
    while full:
        fresh, rejected, grew = set(), [], False   # fresh: buffers this round adds
        clean = set()
        for r in full:
            n = r.node
            if written and not written.isdisjoint(n.buffers):
                why = READS_OVERWRITTEN
            elif read.isdisjoint(n.buffers):
                # a shared computing node reads buffers both graphs read: a graph reading
                # none of the batch's is passed over without a walk (a lazily transformed
                # data set held in a list costs a set test per tensor)
                passed.append(r)
                continue
            elif _reaches(n, work, clean):
                why = SHARES_WORK
            else:
                rejected.append(r)
                continue
            out.append((r, why))
            grew = True
            if in_place and r.buffer is not None and r.buffer not in written:
                written.add(r.buffer)
                fresh.add(r.buffer)
            _add_work(n, work, walked)
            for b in _data_buffers(n):
                if b not in read:
                    read.add(b)
                    fresh.add(b)
        if not grew:
            break
        # next round: what the walk rejected (the work grew), and what the buffer test passed
        # over only if it reads a buffer this round added
        back = [r for r in passed if not fresh.isdisjoint(r.node.buffers)] if fresh else []
        if back:
            again = {id(r) for r in back}
            passed = [r for r in passed if id(r) not in again]
        full = rejected + back
    return out, walked


def _data_buffers(n):
    """The buffers n's graph reads, without the scalar operands' (every `x * 0.5` reads the
    same one, which says nothing about shared work)."""
    return [b for b in n.buffers if type(b) is not graph.ScalarBuffer]


class Batch:
    """What one realisation computes: `storages`, their pending `nodes` (the program's
    targets), `reuse` (target index -> the load of the buffer its new version may be written
    into) and `why` (target index -> why it is computed now)."""
    __slots__ = ("storages", "nodes", "reuse", "why")

    def __init__(self, storages, why):
        self.storages, self.why = storages, why
        self.nodes = [s.node for s in storages]
        self.reuse = {i: graph.load(s.buffer) for i, s in enumerate(storages)
                      if s.buffer is not None}


def plan_batch(storages, in_place=True):
    """The Batch realised with these storages: the pending ones among them, and the live
    pending storages that must or should be computed by the same program (_companions).

    Companions come in the order a walk of the requested graph meets them, not in the order
    the pending list happens to hold them, so that a loop's step is one program key."""
    batch = [s for s in storages if s.node.op != "load"]
    if not batch:
        return Batch([], [])
    joined, walked = _companions(batch, in_place)
    if len(joined) > 1:
        joined.sort(key=lambda sw: walked[sw[0].node])
    why = [REQUESTED] * len(batch)
    for s, reason in joined:
        batch.append(s)
        why.append(reason)
    return Batch(batch, why)


def realize_all(storages, in_place=True):
    """Realise the pending storages together: one program, in-place writes where safe.

    A program that finds an invalid value (an integer division by zero) changes nothing: it
    wrote no input's memory (run.realize), so each requested storage is then computed on
    its own; one whose own value is invalid goes back to its last computed version, and the
    error is raised once. A companion's error is raised when that tensor is read. With
    in_place False every value goes to new memory (no buffer is written over)."""
    if len(storages) == 1 and _realize_alone is not None and _realize_alone(storages[0]):
        return
    planned = plan_batch(storages, in_place)
    if not planned.storages:
        return
    try:
        _compute(planned, reuse=in_place)
    except run.InvalidValue:
        _recover(storages)
    finally:
        compile_log.flush()


def _compute(planned, reuse=True):
    batch, targets = planned.storages, planned.nodes
    reuse = planned.reuse if reuse else {}
    device = batch[0].device
    if device.type == "cuda":
        arrays, plan = cuda_run.run_targets_cuda(targets, cuda_driver.device(device.index),
                                                 planned.why)
    else:
        arrays, plan = run.run_targets(targets, reuse, planned.why)
    owned = {id(s.buffer.array) for s in batch if s.buffer is not None} if reuse else ()
    claimed = set()
    for s, flat in zip(batch, arrays):
        if s.buffer is not None and flat is s.buffer.array:
            claimed.add(id(flat))                  # written in place
        elif s.shared:
            np.copyto(s.buffer.array, flat)
        elif id(flat) in claimed or id(flat) in owned:
            s.buffer = graph.Buffer(flat.copy(), s.dtype, str(s.device))   # one owner each
        else:
            claimed.add(id(flat))
            s.buffer = graph.Buffer(flat, s.dtype, str(s.device))
        s.buffer.plan = plan
        s.node = graph.load(s.buffer)
        s.last_view = None


def _recover(storages):
    """After a failed program: each requested storage computed alone, into new memory (its
    companions, which may read its old memory, stay pending); one that fails again returns
    to its last computed version (none: it stays pending and fails when read again)."""
    error = None
    for s in storages:
        if s.node.op == "load":
            continue
        try:
            _compute(Batch([s], [REQUESTED]), reuse=False)
        except run.InvalidValue as e:
            error = error or e
            if s.buffer is not None:
                s.node = graph.load(s.buffer)
                s.last_view = None
    if error is not None:
        raise error


python_add_work = _add_work         # the specification of the C front end's walk
if graph._front is not None:
    _add_work = graph._front.add_work


# Realising one CPU storage without a buffer by its cached program, in C (the per-op
# regime's realisation: `.item()` after a few ops); None without the C front end.
_realize_alone = None
if graph._front is not None:
    # (it runs by Python while debug_log.on holds its key: the per-kernel lines)
    graph._front.init_run(graph.Buffer, cache.memory, cache.stats, debug_log.on,
                          debug_log.KEY, np.ndarray, bfloat16)
    graph._front.init_bound(DEPTH_LIMIT, _realize_deep)
    _realize_alone = graph._front.realize_alone
