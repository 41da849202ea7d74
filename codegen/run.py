"""Realise graph nodes: find or build the program for the graph, bind buffers, run it.

A program is keyed in memory by the graph's structure with every input buffer replaced by
its number, so the same computation on new data skips scheduling, rendering and compiling.
All kernels of one realisation are one translation unit with one entry point: one compile,
one dlopen, one FFI call.
"""
import contextlib
import os
import threading
import time
import weakref
from dataclasses import dataclass

import numpy as np
from cffi import FFI

from . import cache, compile_log, debug_log, inplace, loops, memory, native, parallel, settings
from .graph_walk import toposort
from .lower import lower
from .render import CDialect, render_kernel, render_program
from .schedule import is_input, schedule
from .shapes import numel

_ffi = FFI()
_front = native.front()
_openmp = []


def openmp_settings(environ=os.environ):
    """The variables libgomp should read when the first program loads it: the user's thread
    count (LAZYTENSOR_NUM_THREADS), and, unless the user set a wait policy, worker threads
    that spin about 0.1 ms after a parallel loop before they sleep. Waking a sleeping thread
    costs ~50 us here, more than a 1000x1000 sum, while libgomp's default of spinning for
    milliseconds holds a core that, on a busy machine, the thread being waited for needs."""
    chosen = {}
    threads = settings.num_threads(environ)
    if threads:
        chosen["OMP_NUM_THREADS"] = str(threads)
    if "OMP_WAIT_POLICY" not in environ and "GOMP_SPINCOUNT" not in environ:
        chosen["GOMP_SPINCOUNT"] = "5000"
    return chosen


def _keep_openmp_loaded():
    """Load libgomp with openmp_settings() and hold it for the life of the process
    (unloading it with the last program while an OpenMP worker still runs would crash at
    exit). libgomp reads its variables once, as it loads: they are set for that moment only,
    and the process environment is left as the user had it."""
    if not _openmp:
        import ctypes
        chosen = openmp_settings()
        before = {name: os.environ.get(name) for name in chosen}
        os.environ.update(chosen)
        try:
            _openmp.append(ctypes.CDLL("libgomp.so.1", mode=ctypes.RTLD_GLOBAL))
        except OSError:
            _openmp.append(None)
        finally:
            for name, value in before.items():
                if value is None:
                    del os.environ[name]
                else:
                    os.environ[name] = value


def set_thread_count(n):
    """Run parallel kernels on n threads from now on (torch.set_num_threads)."""
    n = min(n, parallel.MAX_THREADS)
    parallel.CHOSEN_THREADS[0] = n
    _keep_openmp_loaded()
    if _openmp[0] is not None:
        _openmp[0].omp_set_num_threads(n)


def _after_fork_in_child():
    """libgomp's thread pool does not survive fork: a child that runs a parallel loop after
    its parent did waits forever for threads it does not have (multiprocessing's fork start
    method, as DataLoader workers use it). The child runs its programs on one thread, as
    PyTorch's own pool does after fork."""
    if _openmp and _openmp[0] is not None:
        _openmp[0].omp_set_num_threads(1)
        parallel.SINGLE_THREAD[0] = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

_ffi.cdef("void lt_program(void **buffers);"
          "void lt_program_timed(void **buffers, double *seconds);"
          "int lt_program_errors(void);")


_NO_LOCK = contextlib.nullcontext()


class InvalidValue(RuntimeError):
    """A program met a value PyTorch's kernel refuses (an integer division by zero); its
    message is PyTorch's."""


class Plan:
    """What a realisation will run: the schedule, each kernel's spec and the program source."""

    def __init__(self, sched, specs, source, slot_of, n_slots):
        self.schedule = sched
        self.kernels = specs
        self.source = source
        self.slot_of = slot_of
        self.n_slots = n_slots

    def summary(self):
        """What a built program keeps of its plan: each kernel as explain() and the debug
        lines show it, the source and the slot count. The schedule and the lowered trees
        (hundreds of objects a kernel) are dropped: every cached program kept them, and
        the cycle collector walked them all at each full collection (a two-layer LSTM's
        training spent a third of its time there)."""
        kernels = [KernelSummary(k.name, k.kind, tuple(k.fused), k.reason, k.write_note,
                                 k.source) for k in self.kernels]
        return Plan(None, kernels, self.source, {}, self.n_slots)


@dataclass(frozen=True)
class KernelSummary:
    name: str
    kind: str
    fused: tuple
    reason: str
    write_note: str
    source: str


class Program:
    """A compiled plan, reusable for any graph of the same structure."""

    def __init__(self, plan, lib_path, input_numbers, temps, target_slots, cached,
                 built_seconds):
        _keep_openmp_loaded()
        self.lib = _ffi.dlopen(lib_path)
        # unloaded when the program is garbage (evicted from the memory cache and not
        # running); at exit the process's teardown does it
        weakref.finalize(self, _ffi.dlclose, self.lib).atexit = False
        self.plan = plan.summary()
        self.input_numbers = input_numbers   # slot i (< len) <- canonical input number
        self.temps = temps                    # [(slot, numpy dtype, numel)]
        self.target_slots = target_slots      # one per target
        self.cached = cached                  # "compiled" | "disk"
        self.built_seconds = built_seconds    # compiling or loading it, for the debug lines
        self.run = self.lib.lt_program
        self.n_kernels = len(plan.kernels)
        # only programs with integer division record errors (lt_program_errors), in one flag
        # per library: a run and the reading of its flag hold this lock, so that threads
        # running the same program cannot take or clear each other's error
        self.may_fail = "lt_zero_division" in plan.source
        self.lock = threading.Lock() if self.may_fail else None
        # The C front end binds and runs a program in one call, when its temporaries are
        # small (large ones come from memory's pool, in Python).
        self.runner = None
        if _front is not None and None not in target_slots and all(
                numel * dtype.itemsize < memory.LARGE_BYTES
                for _, dtype, numel in temps):
            self.runner = _front.Runner(int(_ffi.cast("uintptr_t", self.run)), plan.n_slots,
                                        list(input_numbers), list(temps),
                                        list(target_slots), np.empty)


def _input_array(n):
    return n.arg.array if n.op == "load" else n.arg.result


def structure_key(targets, extra=()):
    """The structure of the graph of `targets` (and of `extra`, roots that are not targets)
    with inputs numbered in order of first use, and which nodes are the targets; the inputs
    in that numbering; and whether the graph holds an extern not yet computed.

    This runs on every realisation, cached program or not: the C front end's walk when it is
    built, else a recursive walk (the fastest in Python), or an iterative one, same order and
    result, for graphs too deep to recurse.
    """
    if _front is not None:
        found = _front.structure_key(targets, extra)
        if found is not None:
            return found
    try:
        return _key_recursive(targets, extra)
    except RecursionError:
        return _key_iterative(targets, extra)


# A node's part of the key: an input is ("in", dtype, shape, its number); any other node is
# (node.sig, the positions of its srcs). Every node gets the next position when its part is
# appended, srcs before the node, in the order of srcs.
def _key_recursive(targets, extra):
    index, parts, inputs = {}, [], []
    pending_extern = False

    def visit(n):
        nonlocal pending_extern
        i = index.get(id(n))
        if i is not None:
            return i
        op = n.op
        if op == "load" or (op == "extern" and n.arg.result is not None):
            part = ("in", n.dtype, n.shape, len(inputs))
            inputs.append(n)
        else:
            pending_extern = pending_extern or op == "extern"
            part = (n.sig, tuple([visit(s) for s in n.srcs]))
        i = index[id(n)] = len(parts)
        parts.append(part)
        return i
    for root in (*targets, *extra):
        visit(root)
    parts.append(tuple([index[id(t)] for t in targets]))
    return tuple(parts), inputs, pending_extern


def _key_iterative(targets, extra):
    index, parts, inputs, pending_extern = {}, [], [], False
    for root in (*targets, *extra):
        stack = [root]
        while stack:
            n = stack[-1]
            if id(n) in index:
                stack.pop()
                continue
            if is_input(n):
                part = ("in", n.dtype, n.shape, len(inputs))
                inputs.append(n)
            else:
                todo = [s for s in n.srcs if id(s) not in index]
                if todo:
                    todo.reverse()
                    stack += todo
                    continue
                pending_extern = pending_extern or n.op == "extern"
                part = (n.sig, tuple([index[id(s)] for s in n.srcs]))
            stack.pop()
            index[id(n)] = len(parts)
            parts.append(part)
    parts.append(tuple([index[id(t)] for t in targets]))
    return tuple(parts), inputs, pending_extern


def make_plan(targets, dialect=None, reuse=None, why=None):
    """Schedule, lower, place and render the graph of `targets` (nothing is compiled or run).

    `reuse` maps a target's index to the load node of a buffer its kernel may overwrite;
    `why`, a reason for each target, is shown as its kernel's reason.
    """
    dialect = dialect or CDialect()
    order = toposort(targets)
    sched = schedule(targets, order, why)
    specs = [lower(k, i, dialect) for i, k in enumerate(sched.kernels)]
    reuse_ids = {id(targets[i]): n for i, n in (reuse or {}).items()}
    run_order, alias, _ = inplace.decide(sched.kernels, specs, reuse_ids, targets)
    sched.kernels = [sched.kernels[i] for i in run_order]
    specs = [specs[i] for i in run_order]
    for n in alias.values():        # a buffer overwritten without being read needs a slot too
        if is_input(n) and not any(n is m for m in sched.inputs):
            sched.inputs.append(n)

    slot_of = {}
    for n in sched.inputs:
        slot_of[id(n)] = len(slot_of)
    for k in sched.kernels:
        if id(k.root) not in alias:
            slot_of[id(k.root)] = len(slot_of)
    for k in sched.kernels:                       # in run order: targets already have slots
        if id(k.root) in alias:
            slot_of[id(k.root)] = slot_of[id(alias[id(k.root)])]
    for spec in specs:
        spec.slots = [slot_of[id(n)] for n in spec.param_nodes]
        out_slot = spec.slots[0]
        spec.aliased = {p.name for p, sl in zip(spec.params, spec.slots) if sl == out_slot}
        loops.merge(spec)
        if dialect.name == "c":
            parallel.annotate(spec)
        render_kernel(spec, dialect)
    plan = Plan(sched, specs, render_program(specs, dialect), slot_of, len(set(slot_of.values())))
    plan.alias = alias
    return plan


def _compute_externs(order):
    """Run pending NumPy externs, after realising what they read: the inputs of all of them
    in one program (an input that is itself a pending extern is computed on the way)."""
    pending = [n for n in order if n.op == "extern" and n.arg.result is None]
    srcs, seen = [], set()
    for n in pending:
        for s in n.srcs:
            if id(s) not in seen:
                seen.add(id(s))
                srcs.append(s)
    values = dict(zip(map(id, srcs), realize(srcs))) if srcs else {}
    for n in pending:
        if n.arg.result is not None:                # computed as another one's input
            continue
        arrays = [values[id(s)].reshape(s.shape) for s in n.srcs]
        out = n.arg.fn(*arrays)
        n.arg.result = np.ascontiguousarray(out, dtype=n.dtype.np_storage).reshape(-1)


def _build_program(targets, key_inputs, reuse, why=None):
    start = time.perf_counter()
    plan = make_plan(targets, reuse=reuse, why=why)
    key = cache.source_key(plan.source)
    canon = {id(n): i for i, n in enumerate(key_inputs)}
    input_numbers = [canon[id(n)] for n in plan.schedule.inputs]
    temps = [(plan.slot_of[id(k.root)], np.dtype(k.root.dtype.np_storage),
              numel(k.root.shape)) for k in plan.schedule.kernels if id(k.root) not in plan.alias]
    target_slots = [plan.slot_of.get(id(t)) for t in targets]
    path = cache.lookup(key)
    if path is not None:
        cache.stats["disk_hits"] += 1
        seconds = time.perf_counter() - start
        try:
            program = Program(plan, path, input_numbers, temps, target_slots, "disk", seconds)
        except OSError:     # another process removed the entry (cache_size) since the lookup
            program = None
        if program is not None:
            compile_log.program_built(seconds, plan.kernels, plan.source, "disk")
            return program
    path = cache.build(key, plan.source, [k.name for k in plan.kernels],
                       max(len(k.source) for k in plan.kernels))
    seconds = time.perf_counter() - start
    compile_log.program_built(seconds, plan.kernels, plan.source, "compiled")
    return Program(plan, path, input_numbers, temps, target_slots, "compiled", seconds)


def realize(targets, reuse=None, why=None):
    """Flat NumPy arrays holding the values of `targets` (run_targets without the plan)."""
    return run_targets(targets, reuse, why)[0]


def run_targets(targets, reuse=None, why=None):
    """(flat NumPy arrays holding the values of `targets`, the plan of the program that
    computed them, or None when nothing ran). Storages keep the plan, so that explain() of
    a realised tensor can show the kernels that ran.

    A computed target gets a new array, or, when `reuse` maps its index to the load node of
    a buffer and the scheduler finds it safe, that buffer's own array, overwritten in place.
    `why` (a reason for each target) is what explain() shows for the program's kernels.
    """
    positions = [i for i, t in enumerate(targets) if not is_input(t)]
    if not positions:
        return [_input_array(t) for t in targets], None
    pending = targets if len(positions) == len(targets) else [targets[i] for i in positions]
    reuse = {positions.index(i): n for i, n in reuse.items() if i in positions} if reuse else {}
    key, key_inputs, pending_extern = structure_key(pending, reuse.values())
    if pending_extern:
        _compute_externs(toposort(pending + list(reuse.values())))
        return run_targets(targets, {positions[i]: n for i, n in reuse.items()}, why)
    key = (key, tuple(sorted((i, _index_of(key_inputs, n)) for i, n in reuse.items())))
    if why and len(positions) != len(targets):
        why = [why[i] for i in positions]
    program, status = cached_program(
        key, lambda: _build_program(pending, key_inputs, reuse, why))
    if program.may_fail and reuse:
        # a program that can fail must not write over its inputs: a failure changes nothing
        return run_targets(targets, None, why)
    if program.runner is not None and len(pending) == len(targets) and not _debug:
        with program.lock or _NO_LOCK:
            results = _front.run(program.runner, key_inputs)
            _count_run(program)
        return results, program.plan
    arrays = bind(program, key_inputs, _input_array, memory.empty)
    with program.lock or _NO_LOCK:
        _run(program, arrays, status)
    results = results_of(program, targets, arrays, _input_array)
    for slot, _, _ in program.temps:        # intermediates die here: reuse their memory
        a = arrays[slot]
        if a.nbytes >= memory.LARGE_BYTES and not any(a is r for r in results):
            arrays[slot] = None
            memory.give_back(a)
    return results, program.plan


_building = {}                      # key -> the lock of the thread building its program
_building_lock = threading.Lock()


def cached_program(key, build):
    """The program for key from the memory cache, else build() (then cached); and how it
    was found: "memory", "disk" or "compiled". Threads needing the same new program build
    it once: the others wait for it."""
    program = cache.memory.get(key)
    if program is not None:
        cache.stats["memory_hits"] += 1
        cache.memory.move_to_end(key)
        return program, "memory"
    with _building_lock:
        lock = _building.setdefault(key, threading.Lock())
    with lock:
        program = cache.memory.get(key)
        if program is None:
            try:
                program = cache.memory[key] = build()
            finally:
                with _building_lock:
                    _building.pop(key, None)
            while len(cache.memory) > cache.MEMORY_PROGRAMS:
                cache.memory.popitem(last=False)
            return program, program.cached
    cache.stats["memory_hits"] += 1
    return program, "memory"


def bind(program, key_inputs, input_array, alloc):
    """The program's buffer slots: its inputs' arrays, and alloc(numel, dtype) for the rest."""
    arrays = [None] * program.plan.n_slots
    for slot, number in enumerate(program.input_numbers):
        arrays[slot] = input_array(key_inputs[number])
    for slot, dtype, count in program.temps:
        arrays[slot] = alloc(count, dtype)
    return arrays


def results_of(program, targets, arrays, input_array):
    """The array holding each target's value after a run."""
    results, it = [], iter(program.target_slots)
    for t in targets:
        results.append(input_array(t) if is_input(t) else arrays[next(it)])
    return results


def _index_of(nodes, n):
    return next(i for i, m in enumerate(nodes) if m is n)


# non-empty while the "lazytensor" logger is enabled for DEBUG: the per-kernel lines
_debug = debug_log.on


def _run(program, arrays, status):
    from_buffer = _ffi.from_buffer
    ptrs = _ffi.new("void *[]", [from_buffer(a) for a in arrays])
    if _debug:
        kernels = program.plan.kernels
        seconds = _ffi.new("double[]", max(len(kernels), 1))
        program.lib.lt_program_timed(ptrs, seconds)
        built = program.built_seconds if status != "memory" else None
        for i, k in enumerate(kernels):
            debug_log.kernel_line(k.name, status, seconds[i], built)
            debug_log.kernel_source(k.source)
    else:
        program.run(ptrs)
    _count_run(program)


def _count_run(program):
    stats = cache.stats
    stats["programs_run"] += 1
    stats["kernels_run"] += program.n_kernels
    if program.may_fail and program.lib.lt_program_errors():
        raise InvalidValue("ZeroDivisionError")
