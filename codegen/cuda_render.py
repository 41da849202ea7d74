"""CUDA spelling of the kernel descriptions: a dialect overriding the few C snippets that differ
in device code, and the layout that maps a kernel's loops onto GPU threads.

One lowering, two template sets: codegen/lower.py makes the same KernelSpec for C and CUDA;
templates/cuda/ render it as `extern "C" __global__` kernels in one translation unit, and
`launches(spec)` tells the host how to start them. Values follow the C dialect's rules
(float16 and bfloat16 live in memory as their 16 bits and compute in float, rounded after
every op), and the compile flags keep a*b+c from contracting into an fma, so arithmetic
has the CPU's bits; CUDA's libm (sinf, expf, ...) may differ from glibc's in the last place,
and a reduction combines its terms in another order.

Layouts (`layout(spec).strategy`):
  tile    a matrix product: a block per 128 x 128 tile of the output, shared-memory slices;
  thread  one thread per output element, grid-stride over the flattened outer loops; a
          reduction runs sequentially in its thread (reads coalesce when neighbouring
          outputs are neighbours in memory, e.g. a sum over dim 0);
  block   one block per output element; the block's threads share the top-level reductions
          and combine through warp shuffles and shared memory (rows: a sum over dim -1);
  grid    a single output from one long reduction: every block reduces a slice, and the
          last block to finish combines the blocks' partial results.
"""
import math
from dataclasses import dataclass, field

from . import index
from .lower import Reduction
from .render import CDialect, environment, is_float
from .run import make_plan
from .shapes import numel

THREADS = 256               # threads per block of grid-stride loops
MAX_PARTIALS = 1024         # most blocks of a grid reduction (slots for partial results)
UNROLL = 4                  # positions a thread of a shared reduction loads per step
BLOCKS_PER_SM = {"thread": 16, "block": 32, "grid": 8,  # 16 x 256 saturates an H200 (§8)
                 "tile": 32}
MM_TILE = 128               # the output tile of templates/cuda/matmul.cuda.j2, per block
GRID_MIN = 1 << 15          # a full reduction at least this long uses many blocks
BLOCK_MIN = 64              # a reduction at least this long may get a block per output
FEW_OUTPUTS = 1 << 14       # fewer outputs than this cannot fill a GPU one thread each
_INT32_LIMIT = 2**31 - 2**24    # 32-bit indices below this, with room for grid strides
_HALF_HELPER = {"float16": "f16", "bfloat16": "bf16"}
_VIA_INT32 = ("uint8", "int8", "int16")


class ReduceUpdate(list):
    """A reduction's update statements, remembering the op and operand dtype so that the
    templates can also write how two threads' partial results combine."""

    def __init__(self, statements, op, src_dt):
        super().__init__(statements)
        self.op = op
        self.src_dt = src_dt


class CudaDialect(CDialect):
    """C's spellings made valid in device code. float16 is stored as raw bits (uint16_t) and
    converted with PTX `cvt` instructions, like bfloat16, so no CUDA header is needed."""
    name = "cuda"
    template_dir = "cuda"

    def value_ctype(self, dt):
        return "float" if dt in _HALF_HELPER else super().value_ctype(dt)

    def storage_ctype(self, dt):
        return "uint16_t" if dt in _HALF_HELPER else super().storage_ctype(dt)

    def load(self, dt, helpers):
        """A float16 or bfloat16 element converts to float exactly: no rounding after it."""
        kind = _HALF_HELPER.get(dt)
        if kind is None:
            return super().load(dt, helpers)
        helpers.add(kind)
        return f"lt_{kind}_to_float(", ")"

    def store(self, dt, value, helpers):
        if dt == "float16":
            helpers.add("f16")
            return f"lt_float_to_f16({value})"
        return super().store(dt, value, helpers)

    def round_to(self, dt, expr, helpers):
        kind = _HALF_HELPER.get(dt)
        if kind is None:
            return expr
        helpers.add(kind)
        return f"lt_{kind}_round({expr})"

    def cast(self, src_dt, dt, x, helpers):
        if dt != "bool" and src_dt != dt and dt in _HALF_HELPER:
            return f"(float)({x})"
        if is_float(src_dt) and dt in _VIA_INT32:
            # x86 converts through int32 and wraps; CUDA's direct conversion would saturate
            return f"({self.value_ctype(dt)})(int32_t)({x})"
        return super().cast(src_dt, dt, x, helpers)

    def reduce_update(self, op, src_dt, acc, v, index_var, index_expr):
        statements = super().reduce_update(op, src_dt, acc, v, index_var, index_expr)
        return ReduceUpdate(statements, op, src_dt)

    def reduce_combine(self, op, src_dt, acc, other, best="", other_best=""):
        """Statements folding another thread's partial result (other, other_best) into
        (acc, best). argmax/argmin keep the smallest index among equal values (PyTorch
        returns the first), and a NaN wins, as in the sequential update."""
        if op not in ("argmax", "argmin"):
            return CDialect.reduce_update(self, op, src_dt, acc, other, "", "")
        cmp = ">" if op == "argmax" else "<"
        earlier = f"{other_best} < {best}"
        better = f"{other} {cmp} {acc} || ({other} == {acc} && {earlier})"
        if is_float(src_dt):
            better += f" || ({other} != {other} && ({acc} == {acc} || {earlier}))"
        return [f"if ({better}) {{ {acc} = {other}; {best} = {other_best}; }}"]


# -- layout ----------------------------------------------------------------------------------

@dataclass
class ReductionLayout:
    """A top-level reduction shared by a block's threads: its flattened extent, how the flat
    position `rlin` splits into the reduction's loop variables, and how partials combine."""
    extent: int
    split: list
    combine: list
    shuffle_ctype: str


@dataclass
class Layout:
    strategy: str           # thread | block | grid (see the module docstring)
    index_t: str            # int, or int64_t where an index may pass 2**31
    outer: int              # output elements (the outer loops), or output tiles (tile)
    split: list             # [(var, expr of `lin`)]: the outer loop variables
    threads: int            # per block
    reductions: dict = field(default_factory=dict)     # acc -> ReductionLayout
    note: str = ""          # one line for the kernel's comment


@dataclass
class Launch:
    """One kernel launch; the grid is capped at blocks_per_sm blocks per multiprocessor
    (the kernels are grid-stride, so any grid size is correct)."""
    function: str
    params: list            # the spec's param names, in the kernel's argument order
    threads: int
    blocks: int             # blocks that would give every unit of work its own thread/block
    blocks_per_sm: int

    def grid(self, sm_count):
        return max(1, min(self.blocks, self.blocks_per_sm * sm_count))


def split_index(loops, flat):
    """[(var, expr)]: the loop variables of the row-major nest `loops` at position `flat`."""
    out, inner = [], numel(e for _, e in loops)
    for k, (var, extent) in enumerate(loops):
        inner //= extent
        if len(loops) == 1:
            expr = flat
        elif k == 0:
            expr = f"{flat} / {inner}"
        elif inner == 1:
            expr = f"{flat} % {extent}"
        else:
            expr = f"{flat} / {inner} % {extent}"
        out.append((var, expr))
    return out


def _all_loops(items):
    for s in items:
        if isinstance(s, Reduction):
            yield from s.loops
            yield from _all_loops(s.body)


def _index_bound(spec):
    """The largest magnitude any index expression of the kernel (or a part of one) reaches
    (infinite when one reads a variable no loop of the kernel has: merged loops renamed)."""
    ranges = {var: extent - 1 for var, extent in list(spec.loops) + list(_all_loops(spec.body))}
    exprs = [spec.store_index] + [e for es in spec.load_indices.values() for e in es]
    bounds = [index.magnitude(e, ranges) for e in exprs if e is not None]
    return max((math.inf if b is None else b for b in bounds), default=0)


def _shuffle_ctype(acc_ctype):
    """A type __shfl_down_sync moves (it has no overloads for bool, char or short)."""
    return {"double": "double", "float": "float", "int64_t": "long long"}.get(acc_ctype, "int")


def _coalesced_loads(spec, var):
    """How many loads neighbouring threads make at neighbouring (or equal) addresses when
    neighbours differ in `var`: the index steps by 1 with var, or does not involve it."""
    step = index.Var(var)
    return sum(1 for es in spec.load_indices.values() for e in es
               if step in index.terms(e) or var not in e.variables())


def _strategy(spec, outer, tops):
    """thread, block or grid (module docstring): a block per output where there are too few
    outputs to fill the GPU, or where more loads coalesce along the reduction than along the
    outputs (a row sum: block; a column sum or a matmul: thread)."""
    if not tops or any(s.op == "m2" for s in tops):
        return "thread"         # Welford's state has no shuffle-and-combine here: in order
    extent = max(numel(e for _, e in s.loops) for s in tops)
    if outer == 1:
        return "grid" if len(tops) == 1 and extent >= GRID_MIN else "block"
    if extent < BLOCK_MIN or not spec.loops:
        return "thread"
    if outer < FEW_OUTPUTS:
        return "block"
    along_outputs = _coalesced_loads(spec, spec.loops[-1][0])
    along_reduction = min(_coalesced_loads(spec, s.loops[-1][0]) for s in tops if s.loops)
    return "block" if along_reduction > along_outputs else "thread"


def _matmul_layout(spec):
    mm = spec.mm
    tiles = mm["batch"] * -(-mm["m"] // MM_TILE) * -(-mm["n"] // MM_TILE)
    bound = max([p.numel for p in spec.params] + [mm["batch"] * mm["m"] * mm["n"]])
    return Layout("tile", "int" if bound < _INT32_LIMIT else "int64_t", tiles, [], THREADS,
                  note=f"one block of {THREADS} threads per {MM_TILE} x {MM_TILE} tile of the "
                       f"output ({tiles} tiles)")


def layout(spec):
    """How `spec`'s iterations map onto threads and blocks (used by templates and host)."""
    if spec.kind == "matmul":
        return _matmul_layout(spec)
    outer = numel(e for _, e in spec.loops)
    tops = [s for s in spec.body if isinstance(s, Reduction)]
    strategy = _strategy(spec, outer, tops)
    bound = max(_index_bound(spec), outer, *(p.numel for p in spec.params),
                *(numel(e for _, e in s.loops) for s in tops))
    index_t = "int" if bound < _INT32_LIMIT else "int64_t"
    d = CudaDialect()
    reductions, threads = {}, THREADS
    if strategy != "thread":
        for s in tops:
            extent = numel(e for _, e in s.loops)
            combine = d.reduce_combine(s.update.op, s.update.src_dt, s.acc, "o_acc",
                                       s.index_var, "o_best")
            reductions[s.acc] = ReductionLayout(extent, split_index(s.loops, "rlin"),
                                                combine, _shuffle_ctype(s.acc_ctype))
        if strategy == "block":
            longest = max(r.extent for r in reductions.values())
            threads = min(THREADS, max(32, -(-longest // 32) * 32))
    note = {
        "thread": f"one thread per output element ({outer}), grid-stride",
        "block": f"one block of {threads} threads per output element ({outer}); the threads "
                 "share each reduction",
        "grid": f"blocks of {threads} threads share the reduction; the last block to finish "
                "combines their partial results",
    }[strategy]
    return Layout(strategy, index_t, outer, split_index(spec.loops, "lin"), threads,
                  reductions, note)


def launches(spec):
    """The launches that run `spec`, in order: the copy of an assignment's old version
    first (when it is not written in place), then the kernel."""
    lay = layout(spec)
    out = []
    if spec.copy_from:
        out.append(Launch(f"{spec.name}_copy", ["out", spec.copy_from], THREADS,
                          -(-spec.copy_numel // THREADS), BLOCKS_PER_SM["thread"]))
    if lay.strategy == "thread":
        blocks = -(-lay.outer // lay.threads)
    elif lay.strategy in ("block", "tile"):
        blocks = lay.outer
    else:
        (red,) = lay.reductions.values()
        blocks = min(-(-red.extent // lay.threads), MAX_PARTIALS)
    out.append(Launch(spec.name, [p.name for p in spec.params], lay.threads, max(blocks, 1),
                      BLOCKS_PER_SM[lay.strategy]))
    return out


def _install_template_globals():
    env = environment()
    env.globals.update(cuda_layout=layout, cuda_launches=launches,
                       cuda_max_partials=MAX_PARTIALS, cuda_unroll=UNROLL)


_install_template_globals()


# -- plans -----------------------------------------------------------------------------------

def make_cuda_plan(targets, reuse=None, why=None):
    """Schedule, lower and render `targets` for CUDA: the CPU's plan, spelled for the GPU."""
    return make_plan(targets, CudaDialect(), reuse, why)
