"""OpenMP annotations for C kernels: which loops run on several threads and which
reductions the compiler may vectorise. Only work above a size threshold is split, since
starting threads costs microseconds.

A float32 or float64 sum over a row (the source's trailing axes) is added in PyTorch's own
order: ATen's cascade sum, with 4 levels of partial sums, 4 vector rows of 8 (float) or 4
(double) lanes, the leftover vectors and elements after them, and a full reduction above
CASCADE_GRAIN elements cut into one chunk per thread. A sum over one block of axes with kept
axes after it follows ATen's outer sum (columns in whole groups of 4 vectors add their rows
level by level, the other columns as a row sum does); `tensor([0.1] * 10).sum()` then prints
PyTorch's 1.0000, not 1. (The values must be bit-identical too: for transcendental inputs
they may not be.)

Any other sum or product is declared an OpenMP reduction, which lets the compiler keep one
partial accumulator per vector lane and thread (accumulators are double for floating point,
so the result stays accurate). A long float16/bfloat16 sum is cut into blocks of SUM_BLOCK
values summed in float, SUM_LANES partial sums side by side (so consecutive vector adds do
not wait on each other), and the block sums are added in double: full vector width, and an
error close to pairwise summation's. A max/min becomes a plain compare plus a "saw a NaN"
flag, both reducible; argmax/argmin keep their sequential first-index semantics.

A kernel whose outputs are the columns of the rows it reduces (a reduction over a leading
or middle dim) reduces many columns side by side, one vector lane per column, reading each
row along memory; every lane does exactly what its column alone would (same order, same
NaN and tie rules), so results do not change — only the memory order does.
"""
from . import primitives, settings
from .lower import Reduction
from .index import Var
from .statements import Bind

PARALLEL_MIN_WORK = 1 << 15
MIN_PARALLEL_ITERATIONS = 64
SUM_BLOCK = 1024
# PyTorch's CPU float sum (ATen's cascade sum): lanes of its 256-bit vectors, and the number
# of elements below which a full reduction runs on one thread (its GRAIN_SIZE).
CASCADE_LANES = {"float32": 8, "float64": 4}
CASCADE_GRAIN = 32768
SUM_LANES = 32
COLUMN_BLOCK_BYTES = 512    # a column sum reads this much of each row at a time,
COLUMN_TAIL_BYTES = 32      # this much for the columns after its last whole group
COLUMN_LANES = 128          # columns reduced side by side by other column reductions
ROW_LANES = 16              # rows reduced side by side by a sequential row reduction
_SIMD_OPS = {"sum": "+", "prod": "*"}     # reductions OpenMP combines with an operator


SINGLE_THREAD = [False]     # set in a child forked after libgomp's threads started (run.py)
CHOSEN_THREADS = [None]     # set by torch.set_num_threads (run.set_thread_count)
MAX_THREADS = settings.MAX_THREADS


def thread_count():
    """The threads an OpenMP loop runs on: LAZYTENSOR_NUM_THREADS (which run.py hands to
    libgomp), else OMP_NUM_THREADS, else the CPUs this process may use, as libgomp decides."""
    import os
    if SINGLE_THREAD[0]:
        return 1
    chosen = CHOSEN_THREADS[0] or settings.num_threads()
    if chosen:
        return chosen
    first = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    count = int(first) if first.isdigit() and int(first) > 0 else len(os.sched_getaffinity(0))
    return min(count, settings.MAX_THREADS)


def chunks(n):
    """How ATen cuts a long full reduction of n values: (chunk count, chunk length), one
    chunk per thread, each at least CASCADE_GRAIN values (the C side: lt_sum_tasks)."""
    tasks = max(1, min(thread_count(), -(-n // CASCADE_GRAIN)))
    return tasks, -(-n // tasks)


def _extent(loops):
    n = 1
    for _, e in loops:
        n *= e
    return n


def _reduction_clause(red):
    """The OpenMP reduction clause(s) for red, rewriting a max/min over floats into a
    vectorisable form first; None when red must stay sequential (argmax, argmin)."""
    if red.index_var or len(red.update) != 1:
        return None
    if red.op in _SIMD_OPS:
        return f"reduction({_SIMD_OPS[red.op]}:{red.acc})"
    if red.op not in ("max", "min"):
        return None
    cmp = ">" if red.op == "max" else "<"
    v, acc = red.value, red.acc
    red.update = [f"{acc} = {v} {cmp} {acc} ? {v} : {acc};"]
    if red.src_dt not in ("float16", "bfloat16", "float32", "float64"):
        return f"reduction({red.op}:{acc})"
    # NaN wins, as in PyTorch: remember whether one was seen, apply it after the loop
    nan = f"{acc}_nan"
    # an integer flag as wide as the values keeps every vector lane the same width
    red.extra.append(Bind("int64_t" if red.src_dt == "float64" else "int32_t", nan, "0"))
    red.update.append(f"{nan} |= {v} != {v};")
    red.finish.append(f"if ({nan}) {acc} = NAN;")
    return f"reduction({red.op}:{acc}) reduction(|:{nan})"


def _cascadable(red):
    """A float32/float64 sum in one (merged) loop over the source's trailing axes, or over one
    block of axes with kept axes after it: the cases where PyTorch's CPU kernel sums
    contiguous rows or columns, in orders it fixes and we repeat."""
    return (red.op == "sum" and red.src_dt in CASCADE_LANES and len(red.loops) == 1
            and (red.trailing or red.column) and not red.index_var)


def _column_blockable(spec, red):
    """Whether the kernel is one column sum (each output a column, nothing computed before
    the sum), whose columns can then be summed side by side: the rows are read along
    memory, and each column's additions stay those of the one-column loop
    (templates/c/_blocks.c.j2: column_blocks)."""
    if not _one_reduction(spec, red):
        return False
    var, extent = spec.loops[-1]
    return (Var(var), extent) == (red.column, red.columns)


def _one_reduction(spec, red):
    """The kernel computes red first, for each output of its outer loops, and nothing else
    that reduces."""
    return (spec.kind == "reduce" and spec.loops and spec.body and spec.body[0] is red
            and not any(isinstance(s, type(red)) for s in spec.body[1:] + red.body))


_VECTOR_MATH = frozenset(primitives.vector_math_functions())


def _binds(items):
    """The Binds of a body, those inside its reductions included (the only statements that
    call functions: updates combine names)."""
    for s in items:
        if isinstance(s, Reduction):
            yield from _binds(s.body)
        elif isinstance(s, Bind):
            yield s


def _prefers_narrow_vectors(spec):
    """A sum kernel that only streams memory (no vector math calls): 256-bit vectors read
    faster than 512-bit ones on AVX-512 CPUs measured here (an AMD EPYC, Zen 4: a 64 MB
    float32 sum took 3.1-3.2 ms on one thread with 512-bit vectors, 2.4-2.7 ms with 256-bit),
    while vector math keeps the wider, faster calls."""
    return not any(s.calls & _VECTOR_MATH for s in _binds(spec.body))


def _lane_state(red):
    """[(C type, name, initial value)] of what a reduction carries from one step to the next:
    its accumulator, its running index, its extra state (Binds)."""
    state = [(red.acc_ctype, red.acc, red.init)]
    if red.index_var:
        state.append(("int64_t", red.index_var, "0"))
    state.extend((b.ctype, b.name, b.value) for b in red.extra)
    return state


def _blockable(red):
    return (red.op == "sum" and red.acc_ctype == "double" and len(red.loops) == 1
            and red.src_dt in ("float16", "bfloat16") and red.loops[0][1] > SUM_BLOCK)


def annotate(spec):
    """Set spec.parallel and each top-level reduction's pragma (C backend only)."""
    if spec.kind == "matmul":
        return                  # its template splits column panels across threads itself
    inner = max([_extent(r.loops) for r in spec.body if isinstance(r, Reduction)] or [1])
    work = _extent(spec.loops) * inner
    spec.parallel = ""
    if spec.loops and work >= PARALLEL_MIN_WORK:
        # split only as many outer loops as give the threads enough iterations: collapsing
        # the inner loop too would cost it its vectorisation
        depth, iterations = 0, 1
        while depth < len(spec.loops) and iterations < MIN_PARALLEL_ITERATIONS:
            iterations *= spec.loops[depth][1]
            depth += 1
        collapse = f" collapse({depth})" if depth > 1 else ""
        spec.parallel = f"#pragma omp parallel for{collapse} schedule(static)"
    for red in spec.body:
        if not isinstance(red, Reduction):
            continue
        if not red.loops:
            continue
        if _cascadable(red):
            # PyTorch's own order, so sums print the digits PyTorch prints
            extent, lanes = red.loops[0][1], CASCADE_LANES[red.src_dt]
            red.acc_ctype = "float" if red.src_dt == "float32" else "double"
            if red.trailing:
                red.cascade = dict(kind="inner", lanes=lanes,
                                   split=not spec.loops and extent > CASCADE_GRAIN)
            else:
                # ATen's outer sum: groups of 4 vectors of columns sum their rows level by
                # level; the columns after the last whole group (or after the last whole 4
                # when there are fewer columns than lanes) sum them as a row_sum does
                c = red.columns
                red.cascade = dict(kind="outer", group=c // (4 * lanes) * 4 * lanes
                                   if c >= lanes else c // 4 * 4)
                if _column_blockable(spec, red):
                    size = 4 if red.src_dt == "float32" else 8
                    spec.column_block = COLUMN_BLOCK_BYTES // size
                    spec.column_tail = COLUMN_TAIL_BYTES // size
            spec.helpers.add("cascade")
            spec.narrow_vectors = _prefers_narrow_vectors(spec)
            continue
        reduction = _reduction_clause(red)
        state = _lane_state(red)
        if len(red.loops) == 1 and _column_blockable(spec, red):
            # each output a column: columns side by side, each reduced in row order
            red.lane_state = state
            spec.column_lanes = COLUMN_LANES
            continue
        if reduction is None and len(red.loops) == 1 and _one_reduction(spec, red) \
                and spec.loops[-1][1] > 1:
            # a sequential reduction (argmax, Welford) per row: rows side by side, so that
            # one row's chain of dependent steps does not stall the next
            red.lane_state = state
            spec.column_lanes = ROW_LANES
            continue
        if reduction is None:
            continue
        if _blockable(red):
            # float partial sums per block, vectorised; the blocks add up in double
            # SUM_LANES independent accumulators: one would make every vector add wait for
            # the previous one's result
            var = red.loops[0][0]
            red.block, red.lanes = SUM_BLOCK, SUM_LANES
            red.lane_update = [f"{red.acc}_lane[{var} - {var}_l] += {red.value};"]
            red.update = [f"{red.acc}_part += {red.value};"]
            red.pragma = "#pragma omp simd"
            if not spec.loops and work >= PARALLEL_MIN_WORK:
                red.block_pragma = (f"#pragma omp parallel for reduction(+:{red.acc}) "
                                    "schedule(static)")
            continue
        collapse = f" collapse({len(red.loops)})" if len(red.loops) > 1 else ""
        clause = f"simd{collapse} {reduction}"
        if not spec.loops and work >= PARALLEL_MIN_WORK:
            red.pragma = f"#pragma omp parallel for {clause} schedule(static)"
        else:
            red.pragma = f"#pragma omp {clause}"
