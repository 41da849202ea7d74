"""Merging loops: two nested loops whose variables are only ever used together as
`outer*E + inner` (E = the inner extent) walk memory like one loop of the product extent, so
they become one. Contiguous 2-D elementwise kernels and reductions over a contiguous block
then run as a single unit-stride loop, which the compiler vectorises and threads well.

The rewrite is on the statements' text: it applies only when every occurrence of either
variable is inside that exact `outer*E + inner` form, so meaning cannot change.
"""
import re

from .lower import Reduction


def _texts(spec):
    """Every statement string of the spec, as (container, index) pairs for rewriting."""
    out = []

    def walk(items):
        for i, s in enumerate(items):
            if isinstance(s, Reduction):
                for j in range(len(s.update)):
                    out.append((s.update, j))
                if s.index_expr:
                    out.append((s, "index_expr"))
                if s.column:
                    out.append((s, "column"))
                walk(s.body)
            else:
                out.append((items, i))
    walk(spec.body)
    out.append((spec, "store"))
    return out


def _get(ref):
    holder, key = ref
    return getattr(holder, key) if isinstance(key, str) else holder[key]


def _set(ref, value):
    holder, key = ref
    if isinstance(key, str):
        setattr(holder, key, value)
    else:
        holder[key] = value


def _try_merge(loops, at, refs):
    """Merge loops[at] and loops[at + 1] if their variables only appear combined, as
    `outer*(E*s) + inner*s` (s = 1 written `outer*E + inner`), which is `(outer*E + inner)*s`:
    the merged variable then steps by s."""
    (outer, a), (inner, b) = loops[at], loops[at + 1]
    pair = re.compile(rf"(?<![*\w]){re.escape(outer)}\*(\d+) \+ {re.escape(inner)}"
                      rf"(?:\*(\d+))?\b(?!\*)")
    alone = re.compile(rf"\b({re.escape(outer)}|{re.escape(inner)})\b")

    def step(m):
        """s when the match is `outer*(b*s) + inner*s`, else None."""
        s = int(m.group(2) or 1)
        return s if int(m.group(1)) == b * s else None

    def combined(m):
        s = step(m)
        return m.group(0) if s is None else outer if s == 1 else f"{outer}*{s}"

    texts = [_get(r) for r in refs]
    merged = [pair.sub(combined, t) for t in texts]
    # either variable left once every combined pair is taken out: they cannot merge
    if any(alone.search(pair.sub(lambda m: m.group(0) if step(m) is None else "", t))
           for t in texts):
        return False
    if not any(m != t for m, t in zip(merged, texts)):
        return False
    for r, m in zip(refs, merged):
        _set(r, m)
    loops[at:at + 2] = [(outer, a * b)]
    return True


def _merge_all(loops, refs):
    at = len(loops) - 2
    while at >= 0:
        if not _try_merge(loops, at, refs):
            at -= 1
        else:
            at = min(at, len(loops) - 2)


def merge(spec):
    """Merge the spec's outer loops, and each reduction's loops, where possible."""
    if spec.kind == "matmul":
        return
    refs = _texts(spec)
    _merge_all(spec.loops, refs)

    def walk(items):
        for s in items:
            if isinstance(s, Reduction):
                _merge_all(s.loops, refs)
                walk(s.body)
    walk(spec.body)
