"""lazytensor against NumPy and PyTorch, side by side in one run.

    python examples/benchmark.py                 # full run (a few minutes on 2 cores)
    python examples/benchmark.py --quick         # smoke run: small sizes, 1-2 repeats
    python examples/benchmark.py --only W1,W3    # some workloads (W1..W8, sort, loops,
                                                 # tutorial, first, stream)
    python examples/benchmark.py --json          # JSON on stdout instead of the table
    python examples/benchmark.py --json out.json # the table, and JSON written to out.json
    python examples/benchmark.py --device cuda   # lazytensor and PyTorch on the GPU (GPU sizes)

PyTorch is optional: its columns appear when `import torch` works. To compare against a
PyTorch installed in another environment of the same Python version, put its site-packages
on PYTHONPATH, e.g. `PYTHONPATH=/work/torchref/lib/python3.11/site-packages python ...`.

Method: every engine computes every case once first (lazytensor compiles then; that time is
the "lt first" column) and its result is checked against a float64 NumPy reference; a wrong
result prints FAILED instead of a time. Then the engines are timed taking turns, in three
rounds, so that a slow spell of the machine falls on all of them alike: the median of
several repeats (fewer at the largest sizes; tiny cases are timed in batches). lazytensor's
inputs are realised before timing and the timed region builds the graph and forces the
result (`.realize()`, or `.item()` for scalars), with the program cached. torch.compile
compiles once, outside the timed region. With --device cuda the sizes are a GPU's (up to
64e6 elements, 4096^2 matrices), NumPy only gives the reference values, PyTorch multiplies
float32 matrices without TF32, and each GPU engine is also timed by CUDA events around its
kernels ("GPU" in the note; bandwidths and FLOP/s come from it). W3's share of the triad
bandwidth, at sizes beyond the caches, is taken from a NumPy triad timed in the same rounds
(the VM's memory bandwidth drifts from minute to minute); the STREAM-like figures measured
at the start are printed beside it. The run uses a fresh, temporary
LAZYTENSOR_CACHE_DIR (removed at the end), so first runs and the tutorial's cold run really
compile.
"""
import argparse
import concurrent.futures
import contextlib
import datetime
import gc
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np

_CACHE_DIR = tempfile.mkdtemp(prefix="lt-bench-cache-")
os.environ["LAZYTENSOR_CACHE_DIR"] = _CACHE_DIR   # before lazytensor compiles anything

import lazytensor as lt  # noqa: E402
from lazytensor.codegen import cuda_run  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import training_loops  # noqa: E402

try:
    import torch
except ImportError:         # the project never needs torch; its columns are left out
    torch = None

HERE = os.path.dirname(os.path.abspath(__file__))
TUTORIAL = os.path.join(HERE, "tensors_tutorial.py")
ENGINES = ("lazytensor", "numpy", "torch", "torch.compile")
PEERS = ENGINES[1:]
ALL_KEYS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "sort", "loops", "tutorial", "first",
            "stream")


# -- settings ----------------------------------------------------------------------------

@dataclass
class Settings:
    quick: bool
    device: str
    budget_s: float      # time spent timing one engine on one case (roughly)
    min_repeats: int
    max_repeats: int
    batch_s: float       # cases faster than this are timed in batches of calls
    warmup_s: float      # calls made after the first one, before timing
    stream_n: int
    tutorial_runs: int
    first_graphs: int
    attempts: int        # timings of a case, while other processes keep the CPUs busy
    quiet_wait_s: float  # in all, how long the run may wait for other processes to pause


def settings_for(quick, device):
    if quick:
        return Settings(True, device, budget_s=0.02, min_repeats=1, max_repeats=2,
                        batch_s=1e-3, warmup_s=0.0, stream_n=16_000_000, tutorial_runs=1,
                        first_graphs=1, attempts=1, quiet_wait_s=0)
    return Settings(False, device, budget_s=0.6, min_repeats=3, max_repeats=30,
                    batch_s=2e-3, warmup_s=0.1, stream_n=32_000_000, tutorial_runs=2,
                    first_graphs=3, attempts=3, quiet_wait_s=300)


# -- workloads ---------------------------------------------------------------------------

def normal(rng, *shape):
    return rng.standard_normal(shape, dtype=np.float32)


def uniform(rng, *shape):
    return rng.random(shape, dtype=np.float32)


def softmax_composed(x):
    """Softmax from lazytensor's (PyTorch's) primitive ops."""
    e = (x - x.max(dim=-1, keepdim=True).values).exp()
    return e / e.sum(dim=-1, keepdim=True)


def softmax_numpy(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_torch(x):
    return torch.softmax(x, dim=-1)


def ten_ops(x):
    """A 2x2 tensor through 10 ops (+ * - abs sqrt exp / sin * sum); the caller takes .item()."""
    return (((((x + 1) * 2 - 0.5).abs().sqrt().exp() / 3).sin()) * x).sum()


def ten_function_ops(x):
    """ten_ops spelled with the library's functions (torch.add(x, 1), ...), as the tutorial
    often writes them: the same ops to a user, so they should cost the same."""
    T = lt if isinstance(x, lt.Tensor) else torch
    return T.sum(T.mul(T.sin(T.div(T.exp(T.sqrt(T.abs(T.sub(T.mul(T.add(x, 1), 2), 0.5)))),
                                   3)), x))


def ten_ops_numpy(x):
    return (np.sin(np.exp(np.sqrt(np.abs((x + 1) * 2 - 0.5))) / 3) * x).sum()


@dataclass
class Workload:
    key: str             # what --only selects
    name: str            # row label
    sizes: tuple
    quick_sizes: tuple
    make: object         # (rng, size) -> tuple of float32 arrays
    numpy_fn: object
    tensor_fn: object    # lazytensor, and PyTorch unless torch_fn
    torch_fn: object = None
    scalar: bool = False
    rtol: float = 1e-5
    atol: float = 1e-6
    cuda_sizes: tuple = None   # with --device cuda (None: as on the CPU)
    compiled_peer: bool = True  # timed under torch.compile too (not for eager-only ops)


def chain_gradient(x):
    """The gradient of an elementwise chain, forward and backward in one go (issue 14):
    fused, backward should cost little more than the forward."""
    T = lt if isinstance(x, lt.Tensor) else torch
    x = x.detach().requires_grad_()
    y = (x.sin() * x.tanh() + (x * .5).exp()).sigmoid().sum()
    return T.autograd.grad(y, x)[0]


def chain_gradient_numpy(x):
    t = np.tanh(x)
    s = 1 / (1 + np.exp(-(np.sin(x) * t + np.exp(x * .5))))
    return s * (1 - s) * (np.cos(x) * t + np.sin(x) * (1 - t * t) + 0.5 * np.exp(x * .5))


def _square(n):
    return (n, n)


def integers(rng, n):
    """n int64 values in [0, n): about a third of them repeat a value."""
    return rng.integers(0, n, n)


WORKLOADS = [
    Workload("W1", "W1 (a*b+c).sin()*2-a.abs()", (1000, 100_000, 1_000_000, 16_000_000),
             (1000, 100_000), lambda r, n: (normal(r, n), normal(r, n), normal(r, n)),
             lambda a, b, c: np.sin(a * b + c) * 2 - np.abs(a),
             lambda a, b, c: (a * b + c).sin() * 2 - a.abs(), atol=1e-5,
             cuda_sizes=(1_000_000, 16_000_000, 64_000_000)),
    Workload("W2", "W2 a.sum()", (_square(1000), _square(2000), _square(4000)),
             (_square(100),), lambda r, s: (uniform(r, *s),),
             lambda a: a.sum(), lambda a: a.sum(), scalar=True, cuda_sizes=(_square(4000),)),
    Workload("W2", "W2 a.sum(dim=1)", (_square(1000), _square(2000), _square(4000)),
             (_square(100),), lambda r, s: (uniform(r, *s),),
             lambda a: a.sum(axis=1), lambda a: a.sum(dim=1), cuda_sizes=(_square(4000),)),
    Workload("W2", "W2 a.sum(dim=0)", (_square(1000), _square(2000), _square(4000)),
             (_square(100),), lambda r, s: (uniform(r, *s),),
             lambda a: a.sum(axis=0), lambda a: a.sum(dim=0), cuda_sizes=(_square(4000),)),
    Workload("W2", "W2 a.max()", (_square(1000), _square(2000), _square(4000)),
             (_square(100),), lambda r, s: (normal(r, *s),),
             lambda a: a.max(), lambda a: a.max(), scalar=True, rtol=0, atol=0,
             cuda_sizes=(_square(4000),)),
    Workload("W3", "W3 ((a-b)**2).mean()", (1000, 100_000, 1_000_000, 16_000_000),
             (1000, 100_000), lambda r, n: (uniform(r, n), uniform(r, n)),
             lambda a, b: ((a - b) ** 2).mean(), lambda a, b: ((a - b) ** 2).mean(),
             scalar=True, cuda_sizes=(16_000_000, 64_000_000)),
    Workload("W4", "W4 a[N,1]*b[1,M]+c[M]", (_square(100), _square(1000), _square(4000)),
             (_square(100),),
             lambda r, s: (normal(r, s[0], 1), normal(r, 1, s[1]), normal(r, s[1])),
             lambda a, b, c: a * b + c, lambda a, b, c: a * b + c, cuda_sizes=(_square(4000),)),
    Workload("W5", "W5 a @ b", (64, 128, 256, 512, 1024, 2048), (64,),
             lambda r, n: (uniform(r, n, n), uniform(r, n, n)),
             lambda a, b: a @ b, lambda a, b: a @ b, rtol=1e-4, cuda_sizes=(1024, 2048, 4096)),
    Workload("W6", "W6 softmax(x, -1)", ((1000, 1024), (4000, 1024), (16000, 1024)),
             ((100, 1024),), lambda r, s: (normal(r, *s),), softmax_numpy, softmax_composed,
             torch_fn=softmax_torch, atol=1e-8, cuda_sizes=((16000, 1024),)),
    Workload("W8", "W8 grad of sigmoid(sin*tanh+exp).sum()", (1_000_000, 4_000_000), (1000,),
             lambda r, n: (normal(r, n),), chain_gradient_numpy, chain_gradient, rtol=1e-4,
             atol=1e-5, cuda_sizes=(4_000_000, 16_000_000)),
    Workload("sort", "sort float32 a.sort().values", (1_000_000,), (1000,),
             lambda r, n: (uniform(r, n),), np.sort, lambda a: a.sort().values, rtol=0,
             atol=0, compiled_peer=False),
    Workload("sort", "sort int64 a.sort().values", (1_000_000,), (1000,),
             lambda r, n: (integers(r, n),), np.sort, lambda a: a.sort().values, rtol=0,
             atol=0, compiled_peer=False),
    Workload("sort", "sort float32 a.unique()", (1_000_000,), (1000,),
             lambda r, n: (uniform(r, n),), np.unique, lambda a: a.unique(), rtol=0, atol=0,
             compiled_peer=False),
    Workload("sort", "sort int64 a.unique()", (1_000_000,), (1000,),
             lambda r, n: (integers(r, n),), np.unique, lambda a: a.unique(), rtol=0, atol=0,
             compiled_peer=False),
    Workload("W7", "W7 2x2, 10 ops, .item()", ((2, 2),), ((2, 2),),
             lambda r, s: (uniform(r, *s),), ten_ops_numpy, ten_ops, scalar=True),
    Workload("W7", "W7 same, torch.fn(x) form", ((2, 2),), ((2, 2),),
             lambda r, s: (uniform(r, *s),), ten_ops_numpy, ten_function_ops, scalar=True),
]


def size_label(size):
    if isinstance(size, tuple):
        return "x".join(str(s) for s in size)
    exp = int(math.log10(size))
    while exp > 0 and size % 10 ** exp:
        exp -= 1
    return f"{size // 10 ** exp}e{exp}" if exp >= 3 else str(size)


def elements(size):
    return math.prod(size) if isinstance(size, tuple) else size


# -- engines -----------------------------------------------------------------------------

def torch_device(settings):
    """'cpu' or 'cuda' for PyTorch, or None when PyTorch cannot run this device."""
    if torch is None:
        return None
    if settings.device == "cuda":
        return "cuda" if torch.cuda.is_available() else None
    return "cpu"


def sync(settings):
    if settings.device == "cuda" and torch is not None and torch.cuda.is_available():
        torch.cuda.synchronize()


class Engine:
    """How one library takes inputs, runs a function to a computed value and hands it back."""

    def __init__(self, name, settings):
        self.name, self.settings = name, settings

    def inputs(self, arrays):
        if self.name == "numpy":
            return arrays
        if self.name == "lazytensor":
            return tuple(lt.tensor(a, device=self.settings.device).realize() for a in arrays)
        dev = torch_device(self.settings)
        return tuple(torch.from_numpy(a).to(dev) for a in arrays)

    def function(self, workload):
        if self.name == "numpy":
            return workload.numpy_fn
        if self.name == "lazytensor":
            return workload.tensor_fn
        fn = workload.torch_fn or workload.tensor_fn
        if self.name == "torch.compile":
            fn = torch.compile(fn, dynamic=False)
        return fn

    def forced(self, fn, scalar):
        """A callable computing fn's value to the end (what the timed region runs)."""
        if self.name == "numpy":
            return (lambda *xs: float(fn(*xs))) if scalar else fn
        if self.name == "lazytensor":
            if scalar:
                return lambda *xs: fn(*xs).item()
            return lambda *xs: fn(*xs).realize()
        if scalar:
            return lambda *xs: fn(*xs).item()
        settings = self.settings

        def run(*xs):
            out = fn(*xs)
            sync(settings)
            return out
        return run

    def to_numpy(self, value):
        if isinstance(value, float):
            return np.float64(value)
        if self.name == "numpy":
            return value
        return np.asarray(value.cpu())


def available_engines(settings):
    names = ["lazytensor"] + (["numpy"] if settings.device == "cpu" else [])
    if torch_device(settings) is not None:
        names += ["torch", "torch.compile"]
    return [Engine(n, settings) for n in names]


# -- timing ------------------------------------------------------------------------------

def timed(fn, args, number=1):
    t0 = time.perf_counter()
    for _ in range(number):
        fn(*args)
    return time.perf_counter() - t0


def warm_up(fn, args, seconds):
    """Call fn for about `seconds` (at least once): threads, caches and pages settle."""
    end = time.perf_counter() + seconds
    fn(*args)
    while time.perf_counter() < end:
        fn(*args)


def calibrate(fn, args, settings):
    """(calls per sample, samples, seconds of the first timed call) for fn, after its warm-up:
    fast cases are timed in batches of calls; about settings.budget_s in all."""
    warm_up(fn, args, settings.warmup_s)
    t = timed(fn, args)
    number = 1
    if t < settings.batch_s:
        number = min(10_000, math.ceil(settings.batch_s / max(t, 1e-7)))
    repeats = int(settings.budget_s / (t * number))
    repeats = max(settings.min_repeats, min(settings.max_repeats, repeats))
    if t > 1.0:
        repeats = min(repeats, 2)
    return number, repeats, t


ROUNDS = 3


def time_engines(prepared, settings):
    """{engine: (median, min, samples) or an error message} for every prepared engine.

    The engines take turns: each one's samples are taken in ROUNDS rounds (the order turning
    each round), so that a slow spell of the machine, such as a busy neighbour on the VM's host,
    which no process here can see, falls on every engine alike instead of on whichever was
    being timed; an engine's median is over all its rounds' samples."""
    results, plans, samples = {}, {}, {}
    for name, (fn, xs) in prepared.items():
        gc.collect()
        try:
            plans[name] = calibrate(fn, xs, settings)
            samples[name] = []
        except Exception as e:
            results[name] = f"FAILED: {type(e).__name__}: {str(e)[:200]}"
    names = list(plans)
    for r in range(ROUNDS):
        for name in names[r % len(names):] + names[:r % len(names)] if names else ():
            number, repeats, _ = plans[name]
            fn, xs = prepared[name]
            per_round = math.ceil(repeats / ROUNDS)
            gc.collect()
            try:
                samples[name] += [timed(fn, xs, number) / number for _ in range(per_round)]
            except Exception as e:
                results[name] = f"FAILED: {type(e).__name__}: {str(e)[:200]}"
                names.remove(name)
    for name in names:
        got = samples[name]
        if plans[name][0] == 1:
            got = got + [plans[name][2]]
        results[name] = (statistics.median(got), min(got), len(got))
    return results


# -- other processes ---------------------------------------------------------------------

BUSY_PCT = 10    # timings taken while other processes used more of the CPUs are flagged


def _proc_stat(pid):
    """(parent pid, CPU jiffies of the process and of its reaped children) of one process."""
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    fields = text[text.rfind(")") + 2:].split()
    return int(fields[1]), sum(int(v) for v in fields[11:15])


def _own_jiffies():
    """CPU jiffies of this process and all its descendants (compilers, workers)."""
    parent, cpu = {}, {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                parent[int(name)], cpu[int(name)] = _proc_stat(name)
            except (OSError, ValueError, IndexError):
                pass
    ours, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        frontier = [p for p, pp in parent.items() if pp in frontier and p not in ours]
        ours.update(frontier)
    return sum(cpu.get(p, 0) for p in ours)


def _cpu_snapshot():
    """(all jiffies, busy jiffies, ours) of the machine; None where /proc cannot tell."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:9]]
        return sum(values), sum(values) - values[3] - values[4], _own_jiffies()
    except (OSError, ValueError):
        return None


class CpuMonitor:
    """How much of the machine's CPU time other processes used since this was created."""

    def __init__(self):
        self.start = _cpu_snapshot()

    def background_pct(self):
        end = _cpu_snapshot()
        if self.start is None or end is None or end[0] - self.start[0] < 100:
            return None     # unknown, or too short to tell (jiffies are 10 ms)
        total, busy, ours = (e - s for e, s in zip(end, self.start))
        return max(0.0, 100 * (busy - ours) / total)


# -- checking ----------------------------------------------------------------------------

def check(got, ref, rtol, atol):
    """None when got matches the float64 reference, else a short description."""
    got = np.asarray(got)
    if got.shape != ref.shape:
        return f"shape {got.shape}, expected {ref.shape}"
    if np.allclose(got, ref, rtol=rtol, atol=atol):
        return None
    err = np.abs(got.astype(np.float64) - ref)
    rel = err / np.maximum(np.abs(ref), np.finfo(np.float32).tiny)
    return f"max abs err {np.nanmax(err):.3g}, max rel err {np.nanmax(rel):.3g}"


# -- results -----------------------------------------------------------------------------

@dataclass
class Row:
    section: str
    key: str
    name: str
    size: str
    times: dict = field(default_factory=dict)     # engine -> median seconds
    fastest: dict = field(default_factory=dict)   # engine -> minimum seconds
    first: dict = field(default_factory=dict)     # engine -> seconds of the first call
    status: dict = field(default_factory=dict)    # engine -> "ok" / "FAILED: ..." / ...
    repeats: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    note: str = ""
    busy: float = None    # % of the CPUs other processes used while this row was timed

    def best_peer(self, peers=PEERS):
        timed_peers = [(self.times[p], p) for p in peers if self.times.get(p)]
        return min(timed_peers) if timed_peers else (None, None)

    def ratio(self):
        best, _ = self.best_peer()
        lt_time = self.times.get("lazytensor")
        return lt_time / best if best and lt_time else None


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


def first_call(engine, workload, arrays, ref, row):
    """One engine's first call on a case (lazytensor compiles here) and the check of its
    result; returns what to time, (fn, inputs), or None when it failed."""
    try:
        xs = engine.inputs(arrays)
        fn = engine.forced(engine.function(workload), workload.scalar)
        compiled = lt.cache_info()["compiled"]
        t0 = time.perf_counter()
        value = fn(*xs)
        row.first[engine.name] = time.perf_counter() - t0
        if engine.name == "lazytensor":
            row.extra["lt_compiled"] = lt.cache_info()["compiled"] - compiled
        problem = check(engine.to_numpy(value), ref, workload.rtol, workload.atol)
    except Exception as e:  # a missing op or a crash is reported, and the run goes on
        row.status[engine.name] = f"FAILED: {type(e).__name__}: {str(e)[:200]}"
        return None
    if problem:
        row.status[engine.name] = f"FAILED: wrong result ({problem})"
        return None
    return fn, xs


WAITED = {"seconds": 0.0}


def wait_for_quiet(settings, max_wait_s=10):
    """Wait, a second at a time (at most max_wait_s, and within the run's quiet_wait_s
    allowance), until other processes use at most BUSY_PCT of the CPUs."""
    end = time.perf_counter() + max_wait_s
    while WAITED["seconds"] < settings.quiet_wait_s and time.perf_counter() < end:
        t0, monitor = time.perf_counter(), CpuMonitor()
        time.sleep(1.0)
        busy = monitor.background_pct()
        WAITED["seconds"] += time.perf_counter() - t0
        if busy is None or busy <= BUSY_PCT:
            return


def timed_quietly(prepared, settings, busy_before):
    """Time the engines, again (up to settings.attempts) while other processes took more
    than BUSY_PCT of the CPUs; the least disturbed attempt and its background CPU %."""
    best = None
    for attempt in range(settings.attempts):
        if attempt or (busy_before or 0) > BUSY_PCT:
            wait_for_quiet(settings)
        monitor = CpuMonitor()
        results = time_engines(prepared, settings)
        busy = monitor.background_pct()
        if best is None or (busy or 0) < (best[1] or 0):
            best = (results, busy)
        if busy is None or busy <= BUSY_PCT:
            break
        if attempt + 1 < settings.attempts:
            progress(f"    other processes used {busy:.0f}% of the CPUs: measuring again")
    return best


def run_case(workload, size, engines, settings, rng):
    row = Row("kernels", workload.key, workload.name, size_label(size))
    arrays = workload.make(rng, size)
    ref = np.asarray(workload.numpy_fn(*(a.astype(np.float64) for a in arrays)))
    prepared, monitor = {}, CpuMonitor()
    for engine in engines:
        if engine.name == "torch.compile" and not workload.compiled_peer:
            continue
        ready = first_call(engine, workload, arrays, ref, row)
        if ready:
            prepared[engine.name] = ready
    with triad_alongside(workload, size, settings) as triad:
        if triad:
            prepared[TRIAD] = triad
        results, row.busy = timed_quietly(prepared, settings, monitor.background_pct())
    for name, result in results.items():
        if isinstance(result, str):
            row.status[name] = result
            continue
        if name == TRIAD:           # median (the rule every engine is timed by) and best
            row.extra["triad_s"], row.extra["triad_best_s"] = result[0], result[1]
            continue
        row.times[name], row.fastest[name], row.repeats[name] = result
        row.status[name] = "ok"
    if settings.device == "cuda":
        row.extra["gpu_s"] = {name: gpu_time(name, *prepared[name], row.times[name])
                              for name in prepared if row.times.get(name)}
    row.extra["elements"] = elements(size)
    if workload.key == "W5":
        row.extra["flops"] = 2 * size ** 3
    return row


def gpu_time(engine, fn, xs, wall_s):
    """Median GPU seconds of a call, from CUDA events around its kernels: for lazytensor
    those its realisations record (codegen.cuda_run.gpu_timing), for PyTorch events
    recorded on its stream before and after the call."""
    calls = max(3, min(30, int(0.3 / max(wall_s, 1e-6))))
    samples = []
    if engine == "lazytensor":
        with cuda_run.gpu_timing() as times:
            for _ in range(calls):
                before = len(times)
                fn(*xs)
                samples.append(sum(times[before:]))
    else:
        for _ in range(calls):
            start, end = (torch.cuda.Event(enable_timing=True) for _ in range(2))
            start.record()
            fn(*xs)
            end.record()
            end.synchronize()
            samples.append(start.elapsed_time(end) / 1e3)
    return statistics.median(samples)


def run_workloads(selected, engines, settings):
    rng = np.random.default_rng(0)
    rows = []
    for workload in WORKLOADS:
        if workload.key not in selected:
            continue
        sizes = workload.quick_sizes if settings.quick else workload.sizes
        if settings.device == "cuda" and not settings.quick:
            sizes = workload.cuda_sizes or sizes
        for size in sizes:
            progress(f"  {workload.name} {size_label(size)}")
            rows.append(run_case(workload, size, engines, settings, rng))
    return rows


# -- loops: whole programs (examples/training_loops.py) ------------------------------------

LOOP_RTOL, LOOP_ATOL = 1e-3, 1e-4   # float32 results of thousands of steps vs eager


def loop_runner(engine, loop, step, quick):
    """A callable running the whole loop with this engine (PyTorch's compiled with its step
    under torch.compile), or None for NumPy, which has no such API; --quick runs the loop's
    short form (training_loops.QUICK_STEPS)."""
    if engine.name == "numpy":
        return None
    module = lt if engine.name == "lazytensor" else torch
    if engine.name == "torch.compile":
        step = torch.compile(step, dynamic=False)
    kwargs = {"steps": training_loops.QUICK_STEPS.get(loop.__name__, 200)} if quick else {}
    return lambda: loop(module, step, **kwargs)


def run_loops(engines, settings):
    """Each loop of examples/training_loops.py, run by each engine: the first run (lazytensor
    compiles; torch.compile compiles its step), then the engines timed taking turns. The
    results are checked against PyTorch eager's when it is there."""
    rows = []
    for key, name, loop, step in training_loops.LOOPS:
        progress(f"  {name}")
        row = Row("loops", "loops", name, training_loops.SIZES[key])
        prepared, values = {}, {}
        for engine in engines:
            run = loop_runner(engine, loop, step, settings.quick)
            if run is None:
                continue
            try:
                t0 = time.perf_counter()
                values[engine.name] = run()
                row.first[engine.name] = time.perf_counter() - t0
                prepared[engine.name] = (run, ())
            except Exception as e:
                row.status[engine.name] = f"FAILED: {type(e).__name__}: {str(e)[:200]}"
        ref = values.get("torch")
        for engine_name, got in values.items():
            if ref is not None and not np.allclose(got, ref, rtol=LOOP_RTOL, atol=LOOP_ATOL):
                row.status[engine_name] = f"FAILED: wrong result ({got} vs eager {ref})"
                prepared.pop(engine_name, None)
        results, row.busy = timed_quietly(prepared, settings, None)
        for engine_name, result in results.items():
            if isinstance(result, str):
                row.status[engine_name] = result
                continue
            row.times[engine_name], row.fastest[engine_name], row.repeats[engine_name] = result
            row.status[engine_name] = "ok"
        row.note = "checked against torch eager" if ref is not None else "not checked"
        rows.append(row)
    return rows


# -- first result of a new kernel ---------------------------------------------------------

def first_graph(i, k):
    """The i-th never-seen graph (methods only: lazytensor and PyTorch), constant k."""
    graphs = [
        lambda a, b: ((a.cos() * b + k).tanh() - b.sqrt()).sum(dim=0),
        lambda a, b: ((a.exp() - b * k).sigmoid() * a.cos()).sum(dim=0),
        lambda a, b: ((b.tanh() + k).sqrt() / (a.sigmoid() + 1)).sum(dim=0),
    ]
    return graphs[i]


def first_graph_numpy(i, k):
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))
    graphs = [
        lambda a, b: (np.tanh(np.cos(a) * b + k) - np.sqrt(b)).sum(axis=0),
        lambda a, b: (sigmoid(np.exp(a) - b * k) * np.cos(a)).sum(axis=0),
        lambda a, b: (np.sqrt(np.tanh(b) + k) / (sigmoid(a) + 1)).sum(axis=0),
    ]
    return graphs[i]


def first_result_once(engine, i, k, arrays):
    """Seconds from building graph i to its value; None and a reason when it fails."""
    xs = engine.inputs(arrays)
    fn = first_graph(i, k)
    if engine.name == "torch.compile":
        fn = torch.compile(fn, dynamic=False)
    t0 = time.perf_counter()
    out = fn(*xs)
    if engine.name == "lazytensor":
        out.realize()
    sync(engine.settings)
    seconds = time.perf_counter() - t0
    ref = first_graph_numpy(i, k)(*(a.astype(np.float64) for a in arrays))
    return seconds, check(engine.to_numpy(out), ref, 1e-5, 1e-5)


def run_first_result(engines, settings):
    """Cold compile to first value: lazytensor (median of several new graphs), torch.compile."""
    progress("  first result of a new kernel")
    rng = np.random.default_rng(1)
    arrays = (uniform(rng, 100, 1000), uniform(rng, 100, 1000))
    row = Row("first", "first", "first result, new kernel", "100x1000")
    wait_for_quiet(settings)
    monitor = CpuMonitor()
    for engine in engines:
        if engine.name not in ("lazytensor", "torch.compile"):
            continue
        count = settings.first_graphs if engine.name == "lazytensor" else 1
        try:
            samples, compiled = [], lt.cache_info()["compiled"]
            for i in range(count):
                seconds, problem = first_result_once(engine, i, 0.25 + random.random(), arrays)
                if problem:
                    raise ValueError(f"wrong result ({problem})")
                samples.append(seconds)
            row.times[engine.name] = statistics.median(samples)
            row.repeats[engine.name] = len(samples)
            row.status[engine.name] = "ok"
            if engine.name == "lazytensor":
                row.extra["lt_compiled"] = lt.cache_info()["compiled"] - compiled
        except Exception as e:
            row.status[engine.name] = f"FAILED: {type(e).__name__}: {str(e)[:200]}"
    row.note = "cold compile; lt: median of %d graphs" % settings.first_graphs
    row.busy = monitor.background_pct()
    return row


# -- the tutorial end to end --------------------------------------------------------------

def run_script(path, env, cwd):
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, path], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        tail = proc.stderr.strip().splitlines()[-1:] or ["(no message)"]
        raise RuntimeError(f"exit status {proc.returncode}: {tail[0][:200]}")
    return seconds


def torch_tutorial(workdir):
    """The tutorial with `import torch` substituted; None when the substitution fails."""
    with open(TUTORIAL) as f:
        source = f.read()
    if "import lazytensor as torch\n" not in source:
        return None
    source = source.replace("import lazytensor as torch\n", "import torch\n")
    # A CPU-only PyTorch raises AssertionError (not RuntimeError) for device='cuda'.
    source = source.replace("except RuntimeError as e:",
                            "except (RuntimeError, AssertionError) as e:")
    path = os.path.join(workdir, "tensors_tutorial_torch.py")
    with open(path, "w") as f:
        f.write(source)
    return path


def tutorial_lazytensor(settings, workdir):
    """Median seconds of cold runs (each in an empty cache dir) and of warm runs."""
    cold, warm = [], []
    for i in range(settings.tutorial_runs):
        env = dict(os.environ, LAZYTENSOR_CACHE_DIR=os.path.join(workdir, f"cache{i}"))
        cold.append(run_script(TUTORIAL, env, workdir))
        warm.append(run_script(TUTORIAL, env, workdir))
    return statistics.median(cold), statistics.median(warm)


def run_tutorial(settings):
    progress("  tutorial (subprocesses)")
    workdir = tempfile.mkdtemp(prefix="lt-bench-tutorial-")
    cold = Row("tutorial", "tutorial", "tutorial cold", "script")
    warm = Row("tutorial", "tutorial", "tutorial warm", "script")
    wait_for_quiet(settings)
    monitor = CpuMonitor()
    try:
        try:
            cold.times["lazytensor"], warm.times["lazytensor"] = \
                tutorial_lazytensor(settings, workdir)
            cold.status["lazytensor"] = warm.status["lazytensor"] = "ok"
        except Exception as e:
            cold.status["lazytensor"] = warm.status["lazytensor"] = f"FAILED: {e}"
        path = torch_tutorial(workdir) if torch is not None else None
        if path:
            try:
                runs = [run_script(path, dict(os.environ), workdir)
                        for _ in range(settings.tutorial_runs)]
                cold.times["torch"] = warm.times["torch"] = statistics.median(runs)
                cold.status["torch"] = warm.status["torch"] = "ok"
            except Exception as e:
                cold.status["torch"] = warm.status["torch"] = f"FAILED: {e}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    busy = monitor.background_pct()
    for row in (cold, warm):
        row.repeats = {k: settings.tutorial_runs for k in row.times}
        row.busy = busy
    cold.note = "empty LAZYTENSOR_CACHE_DIR"
    warm.note = "second run, same cache dir"
    return [cold, warm]


# -- STREAM-like bandwidth ----------------------------------------------------------------

TRIAD_CHUNK = 1 << 17    # elements per step: the scaled temporary stays in cache


def _copy(dst, src, lo, hi):
    np.copyto(dst[lo:hi], src[lo:hi])


def _triad(a, b, c, s, lo, hi):
    """a = b + s*c over [lo, hi), one pass over memory."""
    tmp = np.empty(TRIAD_CHUNK, np.float32)
    for i in range(lo, hi, TRIAD_CHUNK):
        j = min(i + TRIAD_CHUNK, hi)
        t = tmp[:j - i]
        np.multiply(c[i:j], s, out=t)
        np.add(b[i:j], t, out=a[i:j])


def _best_seconds(pool, threads, kernel, n, repeats):
    bounds = [n * k // threads for k in range(threads + 1)]
    best = math.inf
    for _ in range(repeats + 1):            # the first pass touches the pages
        t0 = time.perf_counter()
        parts = [pool.submit(kernel, bounds[k], bounds[k + 1]) for k in range(threads)]
        for p in parts:
            p.result()
        best = min(best, time.perf_counter() - t0)
    return best


TRIAD = "triad"     # the reference timed in W3's rounds (not an engine: no column, no ratio)
TRIAD_ALONGSIDE_MIN = 4_000_000


@contextlib.contextmanager
def triad_alongside(workload, size, settings):
    """For W3 on the CPU, at sizes that do not fit in cache (where the row measures memory
    bandwidth): a STREAM triad over as many elements, on every core, to be timed
    in the same rounds as the engines. Memory bandwidth on this VM changes from minute to
    minute with the host's other tenants (a two-stream read loop in C: 36 and 49 GB/s two
    minutes apart), so W3's share of the triad is taken from a triad timed alongside it, by
    the same rule (median of the rounds' samples), not from the STREAM run at the start."""
    if workload.key != "W3" or settings.device != "cpu" or settings.quick \
            or elements(size) < TRIAD_ALONGSIDE_MIN:
        yield None
        return
    n, s = elements(size), np.float32(3.0)
    a, b, c = np.empty(n, np.float32), np.full(n, 1.0, np.float32), np.full(n, 2.0, np.float32)
    threads = len(os.sched_getaffinity(0))
    bounds = [n * k // threads for k in range(threads + 1)]
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        def triad():
            parts = [pool.submit(_triad, a, b, c, s, bounds[k], bounds[k + 1])
                     for k in range(threads)]
            for p in parts:
                p.result()
        yield triad, ()


def run_stream(settings):
    """Copy (8 B/element) and triad (12 B/element), GB/s, best of repeats (as STREAM)."""
    progress("  STREAM-like bandwidth")
    n, s = settings.stream_n, np.float32(3.0)
    a = np.empty(n, np.float32)
    b = np.full(n, 1.0, np.float32)
    c = np.full(n, 2.0, np.float32)
    repeats = 2 if settings.quick else 8
    result = {"elements": n, "dtype": "float32"}
    nproc = len(os.sched_getaffinity(0))
    result["threads"] = sorted({1, nproc})
    with concurrent.futures.ThreadPoolExecutor(nproc) as pool:
        for threads in result["threads"]:
            copy = _best_seconds(pool, threads, lambda lo, hi: _copy(a, b, lo, hi), n, repeats)
            triad = _best_seconds(pool, threads, lambda lo, hi: _triad(a, b, c, s, lo, hi),
                                  n, repeats)
            result[f"copy_gbs_{threads}t"] = 8 * n / copy / 1e9
            result[f"triad_gbs_{threads}t"] = 12 * n / triad / 1e9
    if not np.array_equal(a[::997], (b + s * c)[::997]):
        raise RuntimeError("STREAM triad computed a wrong result")
    result["copy_gbs"] = max(v for k, v in result.items() if k.startswith("copy_gbs_"))
    result["triad_gbs"] = max(v for k, v in result.items() if k.startswith("triad_gbs_"))
    return result


# -- derived numbers: bandwidth, GFLOP/s, notes -------------------------------------------

BYTES_PER_ELEMENT = {"W1": 16, "W3": 8}


def annotate(rows, stream):
    for row in rows:
        lt_time = row.times.get("lazytensor")
        if not lt_time:
            continue
        if "gpu_s" in row.extra:
            annotate_gpu(row)
            continue
        if row.key in BYTES_PER_ELEMENT:
            gbs = BYTES_PER_ELEMENT[row.key] * row.extra["elements"] / lt_time / 1e9
            row.extra["lt_gbs"] = gbs
            row.note = f"lt {gbs:.1f} GB/s"
            if row.extra.get("triad_s"):
                triad_gbs = 12 * row.extra["elements"] / row.extra["triad_s"] / 1e9
                row.extra["triad_gbs"] = triad_gbs
                row.extra["pct_triad"] = 100 * gbs / triad_gbs
                best_gbs = 12 * row.extra["elements"] / row.extra["triad_best_s"] / 1e9
                row.extra["pct_triad_best"] = 100 * gbs / best_gbs
                row.note += (f" = {row.extra['pct_triad']:.0f}% of triad ({triad_gbs:.1f}; "
                             f"{row.extra['pct_triad_best']:.0f}% of its best, {best_gbs:.1f})")
            if stream and row.key == "W3":
                row.extra["pct_stream_triad"] = 100 * gbs / stream["triad_gbs"]
                row.note += (f", {row.extra['pct_stream_triad']:.0f}% of STREAM's"
                             if "pct_triad" in row.extra else
                             f" = {row.extra['pct_stream_triad']:.0f}% of triad")
        if row.key == "W5":
            gflops = {e: row.extra["flops"] / t / 1e9 for e, t in row.times.items() if t}
            row.extra["gflops"] = gflops
            row.note = "GFLOP/s lt %.1f" % gflops["lazytensor"]
            if "numpy" in gflops:
                row.note += ", numpy %.1f" % gflops["numpy"]


def annotate_gpu(row):
    """Bandwidth or FLOP/s of each engine from its GPU time, as the note."""
    gpu = row.extra["gpu_s"]
    short = {"lazytensor": "lt", "torch": "torch", "torch.compile": "compile"}
    if row.key in BYTES_PER_ELEMENT:
        rate = {e: BYTES_PER_ELEMENT[row.key] * row.extra["elements"] / t / 1e12
                for e, t in gpu.items()}
        row.extra["tbs"] = rate
        unit = "TB/s"
    elif row.key == "W5":
        rate = {e: row.extra["flops"] / t / 1e12 for e, t in gpu.items()}
        row.extra["tflops"] = rate
        unit = "TFLOP/s"
    else:
        rate, unit = None, ""
    parts = []
    for e, t in gpu.items():
        parts.append(f"{short[e]} {fmt_time(t)}" + (f" {rate[e]:.2f} {unit}" if rate else ""))
    row.note = "GPU: " + ", ".join(parts)


# -- targets (issue 6) --------------------------------------------------------------------

def find_row(rows, name, size):
    return next((r for r in rows if r.name == name and r.size == size), None)


def lt_over(row, peer):
    if row is None or not row.times.get("lazytensor") or not row.times.get(peer):
        return None
    return row.times["lazytensor"] / row.times[peer]


def target(name, goal, value, fmt, met):
    measured = "not measured" if value is None else fmt.format(value)
    return {"target": name, "goal": goal, "measured": measured,
            "met": None if value is None else bool(met(value))}


def w5_gflops_ratio(rows):
    ratios = []
    for n in ("1024", "2048"):
        row = find_row(rows, "W5 a @ b", n)
        ratio = lt_over(row, "numpy")
        if ratio is None:
            return None
        ratios.append(1 / ratio)          # lazytensor GFLOP/s over NumPy's
    return min(ratios)


def evaluate_targets(rows, stream):
    w3 = find_row(rows, "W3 ((a-b)**2).mean()", "16e6")
    w2 = find_row(rows, "W2 a.sum()", "4000x4000")
    first = next((r for r in rows if r.key == "first"), None)
    tut = find_row(rows, "tutorial warm", "script")
    return [
        target("W1 16e6", "<= 0.8x torch.compile",
               lt_over(find_row(rows, "W1 (a*b+c).sin()*2-a.abs()", "16e6"), "torch.compile"),
               "{:.2f}x", lambda v: v <= 0.8),
        target("W3 16e6", ">= 90% of triad bandwidth",
               w3.extra.get("pct_triad") if w3 else None,
               "{:.0f}%", lambda v: v >= 90),
        target("W2 sum 4000x4000", "<= 1.0x best peer", w2.ratio() if w2 else None,
               "{:.2f}x", lambda v: v <= 1.0),
        target("W5 1024 & 2048", ">= 0.5x NumPy GFLOP/s", w5_gflops_ratio(rows),
               "{:.2f}x (worse of the two)", lambda v: v >= 0.5),
        target("W6 16000x1024", "<= 1.0x torch.compile",
               lt_over(find_row(rows, "W6 softmax(x, -1)", "16000x1024"), "torch.compile"),
               "{:.2f}x", lambda v: v <= 1.0),
        target("W7 tiny", "<= 0.5x torch eager",
               lt_over(find_row(rows, "W7 2x2, 10 ops, .item()", "2x2"), "torch"),
               "{:.2f}x", lambda v: v <= 0.5),
    ] + [target(f"{name.split()[2].split('(')[0][2:]} {name.split()[1]} 1e6",
                "<= 1.0x torch eager",
                lt_over(find_row(rows, name, "1e6"), "torch"), "{:.2f}x", lambda v: v <= 1.0)
         for name in (w.name for w in WORKLOADS if w.key == "sort")] + [
        target("first result", "<= 0.3 s",
               first.times.get("lazytensor") if first else None, "{:.3f} s",
               lambda v: v <= 0.3),
        target("tutorial warm", "faster than PyTorch runs it", lt_over(tut, "torch"),
               "{:.2f}x", lambda v: v < 1.0),
    ] + [target(f"{key} ({name.split()[1]})", f"<= {goal}x torch eager",
                lt_over(find_row(rows, name, training_loops.SIZES[key]), "torch"),
                "{:.2f}x", lambda v, goal=goal: v <= goal)
         for (key, name, _, _), goal in zip(training_loops.LOOPS, LOOP_GOALS)]


LOOP_GOALS = (0.5, 1.0, 1.0, 1.0)      # issue 13: L1..L4 against PyTorch eager


def evaluate_cuda_targets(rows):
    """Issue 5's targets (set on an H200), from GPU times."""
    def rate(name, size, key, engine="lazytensor"):
        row = find_row(rows, name, size)
        return row.extra.get(key, {}).get(engine) if row else None

    mm_lt, mm_torch = (rate("W5 a @ b", "4096", "tflops", e) for e in ("lazytensor", "torch"))
    return [
        target("W1 64e6", ">= 3.6 TB/s (16 B/element)",
               rate("W1 (a*b+c).sin()*2-a.abs()", "64e6", "tbs"), "{:.2f} TB/s",
               lambda v: v >= 3.6),
        target("W3 64e6", ">= 2.8 TB/s (8 B/element)",
               rate("W3 ((a-b)**2).mean()", "64e6", "tbs"), "{:.2f} TB/s", lambda v: v >= 2.8),
        target("W5 4096 float32", ">= 0.5x torch.matmul (no TF32)",
               mm_lt / mm_torch if mm_lt and mm_torch else None, "{:.2f}x", lambda v: v >= 0.5),
    ]


# -- machine -----------------------------------------------------------------------------

def _proc_field(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _compiler():
    try:
        out = subprocess.run([os.environ.get("CC", "gcc"), "--version"], capture_output=True,
                             text=True, timeout=10).stdout
        return out.splitlines()[0] if out else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _git_state():
    """The checkout's commit, and whether the working tree has uncommitted changes."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}{' + uncommitted changes' if dirty else ''}" if commit else "unknown"


def machine_info(settings):
    mem_kb = _proc_field("/proc/meminfo", "MemTotal").split()[0]
    lt_threads = os.environ.get("LAZYTENSOR_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
    info = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": _proc_field("/proc/cpuinfo", "model name"),
        "memory_gib": round(int(mem_kb) / 2 ** 20, 1) if mem_kb.isdigit() else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "lazytensor": lt.__version__,
        "lazytensor_git": _git_state(),
        "compiler": _compiler(),
        "lazytensor_threads": lt_threads or "default (all cores)",
        "torch_threads": torch.get_num_threads() if torch is not None else None,
        "device": settings.device,
        "quick": settings.quick,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }
    if settings.device == "cuda" and torch is not None and torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name(0)
    return info


# -- output ------------------------------------------------------------------------------

def fmt_time(t):
    if t is None:
        return "-"
    if t < 1e-3:
        return f"{t * 1e6:.1f} us"
    if t < 1:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def cell(row, engine):
    status = row.status.get(engine)
    if status and status.startswith("FAILED"):
        return "FAILED"
    return fmt_time(row.times.get(engine))


COLUMNS = (("workload", 28), ("size", 11), ("lazytensor", 11), ("lt first", 10),
           ("numpy", 10), ("torch", 10), ("torch.compile", 13), ("lt/best", 8),
           ("best peer", 13), ("note", 0))


def table_line(values):
    parts = [str(v).ljust(w) if w else str(v) for v, (_, w) in zip(values, COLUMNS)]
    return " ".join(parts).rstrip()


def row_line(row):
    ratio = row.ratio()
    _, best = row.best_peer()
    note = row.note
    if row.busy is not None and row.busy > BUSY_PCT:
        note = f"{note} [others used {row.busy:.0f}% CPU]".strip()
    return table_line([row.name, row.size, cell(row, "lazytensor"),
                       fmt_time(row.first.get("lazytensor")), cell(row, "numpy"),
                       cell(row, "torch"), cell(row, "torch.compile"),
                       f"{ratio:.2f}x" if ratio else "-", best or "-", note])


def failures(rows):
    for row in rows:
        for engine, status in row.status.items():
            if status.startswith("FAILED"):
                yield f"FAILED {row.name} {row.size} [{engine}]: {status[len('FAILED: '):]}"


def print_report(info, rows, stream, targets, notes):
    print(f"lazytensor benchmark  {info['date']}  device={info['device']}"
          + ("  (quick)" if info["quick"] else ""))
    print(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory_gib']} GiB; "
          f"Python {info['python']}, NumPy {info['numpy']}, "
          f"PyTorch {info['torch'] or 'not installed'}, {info['compiler']}")
    print(f"lazytensor {info['lazytensor']} at {info['lazytensor_git']}")
    print(f"threads: lazytensor {info['lazytensor_threads']}, torch {info['torch_threads']}; "
          f"load average at start {info['loadavg_start']}, at end {info['loadavg_end']}")
    if info["others_cpu_pct"] is not None:
        retried = " and were timed again" if not info["quick"] else ""
        print(f"other processes used {info['others_cpu_pct']:.1f}% of the CPUs during the run "
              f"(rows timed while they used over {BUSY_PCT}% are flagged{retried}); "
              f"waited {info['waited_for_quiet_s']} s for them to pause")
    print("times: median per call; lt first = first call (compiles); "
          "lt/best = lazytensor / fastest peer\n")
    print(table_line([name for name, _ in COLUMNS]))
    print(table_line(["-" * (w or 4) for _, w in COLUMNS]))
    for row in rows:
        print(row_line(row))
    if stream:
        print(f"\nSTREAM-like ({size_label(stream['elements'])} float32, NumPy, best of repeats):")
        for threads in stream["threads"]:
            print(f"  {threads} thread(s): copy {stream[f'copy_gbs_{threads}t']:.1f} GB/s, "
                  f"triad {stream[f'triad_gbs_{threads}t']:.1f} GB/s")
    which = 'issue 5, set on an H200' if info['device'] == 'cuda' else 'issues 6, 13'
    print(f"\ntargets ({which}):")
    for t in targets:
        mark = {True: "met", False: "NOT met", None: "n/a"}[t["met"]]
        print(f"  {t['target']:<18} {t['goal']:<30} {t['measured']:<26} {mark}")
    for line in list(failures(rows)) + notes:
        print(line)


def row_json(r):
    return {"section": r.section, "workload": r.name, "key": r.key, "size": r.size,
            "times_s": r.times, "min_s": r.fastest, "first_s": r.first, "status": r.status,
            "repeats": r.repeats, "ratio_vs_best_peer": r.ratio(),
            "best_peer": r.best_peer()[1], "extra": r.extra, "note": r.note,
            "others_cpu_pct": r.busy}


def to_json(info, rows, stream, targets, notes):
    return {"machine": info, "stream": stream, "targets": targets, "notes": notes,
            "rows": [row_json(r) for r in rows]}


# -- main --------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes, 1-2 repeats")
    p.add_argument("--only", help="comma-separated: " + ",".join(ALL_KEYS))
    p.add_argument("--json", nargs="?", const="-", metavar="PATH",
                   help="JSON to stdout (instead of the table), or to PATH")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    args = p.parse_args(argv)
    selected = set(ALL_KEYS)
    if args.only:
        wanted = {k.strip().lower() for k in args.only.split(",") if k.strip()}
        by_lower = {k.lower(): k for k in ALL_KEYS}
        unknown = wanted - set(by_lower)
        if unknown:
            p.error(f"unknown workload(s) {', '.join(sorted(unknown))}; "
                    f"choose from {','.join(ALL_KEYS)}")
        selected = {by_lower[k] for k in wanted}
    return args, selected


def configure_torch():
    if torch is None:
        return
    torch.backends.cuda.matmul.allow_tf32 = False     # float32 products in float32
    torch.set_float32_matmul_precision("highest")
    dynamo = torch._dynamo.config
    for limit in ("cache_size_limit", "recompile_limit"):   # one compile per shape
        if hasattr(dynamo, limit):
            setattr(dynamo, limit, max(getattr(dynamo, limit), 64))


def run_all(selected, settings, notes):
    engines = available_engines(settings)
    rows, stream = [], None
    if "stream" in selected or "W3" in selected:
        if settings.device == "cpu":
            stream = run_stream(settings)
        else:
            notes.append("note: STREAM (CPU) and % of triad are not measured with --device cuda")
    rows += run_workloads(selected, engines, settings)
    if "loops" in selected:
        if settings.device == "cpu":
            rows += run_loops(engines, settings)
        else:
            notes.append("note: the loops run on the CPU; skipped with --device cuda")
    if "first" in selected:
        rows.append(run_first_result(engines, settings))
    if "tutorial" in selected:
        if settings.device == "cpu":
            rows += run_tutorial(settings)
        else:
            notes.append("note: the tutorial runs on the CPU; skipped with --device cuda")
    annotate(rows, stream)
    return rows, stream


def main(argv=None):
    args, selected = parse_args(argv)
    if args.device == "cuda" and not lt.cuda.is_available():
        print("--device cuda: no CUDA GPU available to lazytensor "
              "(lazytensor.cuda.is_available() is False); nothing to run.")
        return 0
    settings = settings_for(args.quick, args.device)
    notes = []
    if torch is None:
        notes.append("note: PyTorch is not importable: its columns and targets are n/a")
    elif torch_device(settings) is None:
        notes.append("note: PyTorch has no CUDA here: its columns are n/a")
    configure_torch()
    progress(f"benchmark: device={args.device}, quick={args.quick}, "
             f"workloads={','.join(k for k in ALL_KEYS if k in selected)}")
    info = machine_info(settings)
    monitor = CpuMonitor()
    rows, stream = run_all(selected, settings, notes)
    info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    info["others_cpu_pct"] = monitor.background_pct()
    info["waited_for_quiet_s"] = round(WAITED["seconds"], 1)
    targets = evaluate_cuda_targets(rows) if args.device == "cuda" else \
        evaluate_targets(rows, stream)
    report = to_json(info, rows, stream, targets, notes)
    if args.json == "-":
        json.dump(report, sys.stdout, indent=1)
        print()
        return 0
    print_report(info, rows, stream, targets, notes)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(_CACHE_DIR, ignore_errors=True)
