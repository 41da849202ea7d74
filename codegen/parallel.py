"""OpenMP annotations for C kernels: which loops run on several threads and which
reductions the compiler may vectorise. Only work above a size threshold is split, since
starting threads costs microseconds.

A sum or product is declared an OpenMP reduction, which lets the compiler keep one partial
accumulator per vector lane and thread (accumulators are double for floating point, so the
result stays accurate); max/min/arg reductions keep their exact sequential semantics.
"""
PARALLEL_MIN_WORK = 1 << 15
_SIMD_OPS = {"+=": "+", "*=": "*"}


def _extent(loops):
    n = 1
    for _, e in loops:
        n *= e
    return n


def _reduction_op(red):
    """'+' or '*' when red is a plain sum/product OpenMP can reduce, else None."""
    if red.index_var or len(red.update) != 1:
        return None
    for token, op in _SIMD_OPS.items():
        if red.update[0].startswith(f"{red.acc} {token} "):
            return op
    return None


def annotate(spec):
    """Set spec.parallel and each top-level reduction's pragma (C backend only)."""
    from .lower import Reduction
    inner = max([_extent(r.loops) for r in spec.body if isinstance(r, Reduction)] or [1])
    work = _extent(spec.loops) * inner
    spec.parallel = ""
    if spec.loops and work >= PARALLEL_MIN_WORK:
        collapse = f" collapse({len(spec.loops)})" if len(spec.loops) > 1 else ""
        spec.parallel = f"#pragma omp parallel for{collapse} schedule(static)"
    for red in spec.body:
        if not isinstance(red, Reduction):
            continue
        op = _reduction_op(red)
        if op is None or not red.loops:
            continue
        collapse = f" collapse({len(red.loops)})" if len(red.loops) > 1 else ""
        clause = f"simd{collapse} reduction({op}:{red.acc})"
        if not spec.loops and work >= PARALLEL_MIN_WORK:
            red.pragma = f"#pragma omp parallel for {clause} schedule(static)"
        else:
            red.pragma = f"#pragma omp {clause}"
