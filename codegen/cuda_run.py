"""Realise graph nodes on a GPU: the CPU pipeline's plan rendered for CUDA, compiled to a
CUBIN for the device's exact architecture, cached, and launched kernel by kernel.

Inputs are load nodes whose buffer holds a cuda_driver.DeviceArray (read in place) or a
NumPy array (copied to the device for this run); computed targets come back as new
DeviceArrays. Programs are cached in memory by graph structure and device, and on disk
(the CPU cache's layout: <dir>/programs/<key[:2]>/<key>/{program.cu, program.cubin,
manifest.json}) by source, compiler identity (NVRTC version, flags, sm_XX), library version
and templates. All launches go onto the default stream in run order, and the realisation
waits for them, so a failed kernel raises here, naming the CUDA error.
"""
import contextlib
import functools
import hashlib
import json
import os
import time

import numpy as np

from . import cache, cache_size, compile_log, cuda_driver, debug_log, nvrtc
from .cuda_render import launches, make_cuda_plan
from .graph_walk import toposort
from .render import templates_digest
from . import run
from .run import bind, cached_program, results_of, structure_key
from .shapes import numel
from .schedule import is_input


class CudaProgram:
    """A compiled plan for one architecture, reusable for any graph of the same structure."""

    def __init__(self, plan, module, input_numbers, temps, target_slots, cached,
                 built_seconds):
        self.plan = plan
        self.input_numbers = input_numbers    # slot i (< len) <- canonical input number
        self.temps = temps                    # [(slot, numpy dtype, numel)]
        self.target_slots = target_slots      # one per target
        self.cached = cached                  # "compiled" | "disk"
        self.built_seconds = built_seconds    # compiling or loading it, for the debug lines
        self.steps = []                       # [(Launch, CUfunction, [slot of each arg])]
        for spec in plan.kernels:
            slot_of = dict(zip((p.name for p in spec.params), spec.slots))
            for lc in launches(spec):
                self.steps.append((lc, module.function(lc.function),
                                   [slot_of[name] for name in lc.params]))
        self.plan = plan.summary()          # the launches are made: the specs can go
        self.module = module


def source_key(source, arch):
    h = hashlib.sha256()
    for part in (source, nvrtc.identity(arch), cache.LIBRARY_VERSION, templates_digest()):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _disk_lookup(key):
    """The verified CUBIN stored for key, or None."""
    root = cache.cache_dir()
    if not os.path.isdir(root) or not cache._safe_dir(root):
        return None
    d = cache._entry_dir(key)
    if d is None or not cache.private_file(os.path.join(d, "program.cubin")):
        return None
    try:
        with open(os.path.join(d, "manifest.json")) as f:
            manifest = json.load(f)
        with open(os.path.join(d, "program.cubin"), "rb") as f:
            image = f.read()
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("key") != key or manifest.get("sha256") != hashlib.sha256(image).hexdigest():
        return None
    cache_size.note_use(d)
    return image


def _disk_store(key, source, image, kernel_names, arch):
    """Keep source and CUBIN on disk when the cache directory is usable (else memory only)."""
    root = cache.cache_dir()
    if not cache._safe_dir(root):
        return
    d = cache._entry_dir(key, create=True)
    if d is None:
        return
    try:
        cache._write_atomic(os.path.join(d, "program.cu"), source.encode())
        cache._write_atomic(os.path.join(d, "program.cubin"), image)
        manifest = {"key": key, "sha256": hashlib.sha256(image).hexdigest(),
                    "kernels": kernel_names, "compiler": nvrtc.identity(arch),
                    "version": cache.LIBRARY_VERSION}
        cache._write_atomic(os.path.join(d, "manifest.json"),
                            json.dumps(manifest, indent=1).encode())
        cache_size.note_written(root, d)
    except OSError as e:
        cache._warn_once(root + "/write", f"lazytensor: cannot write to cache {root} ({e}); "
                                          "compiled kernels are kept in memory only")


def _build_program(targets, key_inputs, dev, why=None):
    start = time.perf_counter()
    plan = make_cuda_plan(targets, why=why)
    key = source_key(plan.source, dev.arch)
    image = _disk_lookup(key)
    cached = "disk"
    if image is None:
        image = nvrtc.compile_cubin(plan.source, dev.arch)
        _disk_store(key, plan.source, image, [k.name for k in plan.kernels], dev.arch)
        cache.stats["compiled"] += 1
        cached = "compiled"
    else:
        cache.stats["disk_hits"] += 1
    seconds = time.perf_counter() - start
    compile_log.program_built(seconds, plan.kernels, plan.source, cached)
    canon = {id(n): i for i, n in enumerate(key_inputs)}
    input_numbers = [canon[id(n)] for n in plan.schedule.inputs]
    temps = [(plan.slot_of[id(k.root)], np.dtype(k.root.dtype.np_storage), numel(k.root.shape))
             for k in plan.schedule.kernels if id(k.root) not in plan.alias]
    target_slots = [plan.slot_of.get(id(t)) for t in targets]
    module = cuda_driver.Module(image, dev)
    return CudaProgram(plan, module, input_numbers, temps, target_slots, cached, seconds)


def _input_array(n):
    return n.arg.array if n.op == "load" else n.arg.result


def _on_device(n, dev):
    a = _input_array(n)
    if isinstance(a, cuda_driver.DeviceArray):
        return a
    return cuda_driver.DeviceArray.from_numpy(a, dev)


def _compute_externs(order, dev):
    """Run pending NumPy externs on the host (each after realising what it reads)."""
    for n in order:
        if n.op == "extern" and n.arg.result is None:
            args = [a.numpy() for a in run_targets_cuda(list(n.srcs), dev)[0]]
            arrays = [a.reshape(s.shape) for a, s in zip(args, n.srcs)]
            out = n.arg.fn(*arrays)
            n.arg.result = np.ascontiguousarray(out, dtype=n.dtype.np_storage).reshape(-1)


def realize_cuda(targets, dev=None, why=None):
    """Flat DeviceArrays holding the values of `targets` (run_targets_cuda without the
    plan)."""
    return run_targets_cuda(targets, dev, why)[0]


def run_targets_cuda(targets, dev=None, why=None):
    """(flat DeviceArrays holding the values of `targets` (new arrays for computed nodes),
    the plan that ran or None); `why` as for run.run_targets."""
    dev = dev or cuda_driver.device(0)
    pending = [t for t in targets if not is_input(t)]
    if not pending:
        return [_on_device(t, dev) for t in targets], None
    key, key_inputs, pending_extern = structure_key(pending)
    if pending_extern:
        _compute_externs(toposort(pending), dev)
        return run_targets_cuda(targets, dev, why)
    key = ("cuda", dev.index, dev.arch, key)     # a module belongs to one device's context
    if why and len(pending) != len(targets):
        why = [w for w, t in zip(why, targets) if not is_input(t)]
    program, status = cached_program(
        key, lambda: _build_program(pending, key_inputs, dev, why))
    on_device = functools.partial(_on_device, dev=dev)
    arrays = bind(program, key_inputs, on_device,
                  lambda count, dtype: cuda_driver.DeviceArray(count, dtype, dev))
    _run(program, arrays, status, dev)
    return results_of(program, targets, arrays, on_device), program.plan


_gpu_times = []     # lists collecting each realisation's GPU seconds (gpu_timing)


@contextlib.contextmanager
def gpu_timing():
    """Collect, for each realisation run inside the block, the GPU time from its first
    launch to the end of its last (CUDA events), in seconds: what the kernels took,
    without the host's work before and after."""
    times = []
    _gpu_times.append(times)
    try:
        yield times
    finally:
        _gpu_times.remove(times)


def _run(program, arrays, status, dev):
    dev.use()
    timer = cuda_driver.Timer() if debug_log.on else None
    built = program.built_seconds if status != "memory" else None
    whole = cuda_driver.Timer() if _gpu_times else None
    if whole:
        whole.start()
    for lc, function, slots in program.steps:
        if timer:
            timer.start()
        cuda_driver.launch(function, lc.grid(dev.sm_count), lc.threads,
                           [arrays[s].ptr for s in slots], lc.function)
        if timer:
            debug_log.kernel_line(lc.function, status, timer.stop(), built,
                                  f" (cuda, {lc.grid(dev.sm_count)}x{lc.threads})")
    if whole:
        seconds = whole.stop()
        for times in _gpu_times:
            times.append(seconds)
    cuda_driver.synchronize()
    if timer:
        for k in program.plan.kernels:
            debug_log.kernel_source(k.source)
    cache.stats["programs_run"] += 1
    cache.stats["kernels_run"] += len(program.plan.kernels)
