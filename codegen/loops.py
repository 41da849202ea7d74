"""Merging loops: two nested loops whose variables are only ever used together as
`outer*E + inner` (E = the inner extent) walk memory like one loop of the product extent, so
they become one. Contiguous 2-D elementwise kernels and reductions over a contiguous block
then run as a single unit-stride loop, which the compiler vectorises and threads well.

The rewrite is on the index trees of the kernel's statements (statements.py), its
reductions' column and argmax positions: it applies only when every use of either variable
is that pair of adjacent terms of a sum, so meaning cannot change. A sum the pair leaves
with one term inside / or % keeps its sum node, which prints in parentheses: `(i0)`, the
text the merge has always given there. The spec's `load_indices` and `store_index` keep the
trees from before merging.
"""
from dataclasses import replace

from .index import Const, Expr, Scaled, Sum, Var, scaled
from .lower import Reduction


def _holders(spec):
    """Where the spec's index trees live: (container, key) pairs whose value is a statement,
    a plain string (an update without indices) or an index tree."""
    out = []

    def walk(items):
        for i, s in enumerate(items):
            if isinstance(s, Reduction):
                out.extend((s.update, j) for j in range(len(s.update)))
                if s.index_expr is not None:
                    out.append((s, "index_expr"))
                if s.column is not None:
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


class _Apart(Exception):
    """A loop variable is used other than in the combined pair."""


def _pair_step(first, second, outer, inner, extent):
    """s when `first + second` is `outer*(extent*s) + inner*s` with s > 0, else None."""
    if not (isinstance(first, Scaled) and first.expr == Var(outer)):
        return None
    if second == Var(inner):
        s = 1
    elif isinstance(second, Scaled) and second.expr == Var(inner) and second.factor > 0:
        s = second.factor
    else:
        return None
    return s if first.factor == extent * s else None


def _combine(e, outer, inner, extent, found, top=False):
    """e with every pair `outer*(extent*s) + inner*s` of a sum made `outer*s` (found[0]
    counts them); raises _Apart when either variable appears any other way."""
    if isinstance(e, Var):
        if e.name in (outer, inner):
            raise _Apart
        return e
    if isinstance(e, Const):
        return e
    if isinstance(e, Sum):
        terms, k = [], 0
        while k < len(e.terms):
            s = _pair_step(e.terms[k], e.terms[k + 1], outer, inner, extent) \
                if k + 1 < len(e.terms) else None
            if s is not None:
                terms.append(scaled(Var(outer), s))
                found[0] += 1
                k += 2
            else:
                terms.append(_combine(e.terms[k], outer, inner, extent, found))
                k += 1
        return terms[0] if top and len(terms) == 1 else Sum(tuple(terms))
    return replace(e, expr=_combine(e.expr, outer, inner, extent, found))


def _try_merge(loops, at, refs):
    """Merge loops[at] and loops[at + 1] if their variables only appear combined, as
    `outer*(E*s) + inner*s` (s = 1 written `outer*E + inner`), which is `(outer*E + inner)*s`:
    the merged variable then steps by s."""
    (outer, a), (inner, b) = loops[at], loops[at + 1]
    found = [0]

    def rewrite(e):
        return _combine(e, outer, inner, b, found, top=True)

    try:
        merged = [_rewritten(_get(r), rewrite) for r in refs]
    except _Apart:
        return False
    if not found[0]:
        return False
    for r, m in zip(refs, merged):
        _set(r, m)
    loops[at:at + 2] = [(outer, a * b)]
    return True


def _rewritten(value, rewrite):
    if isinstance(value, str):
        return value
    if isinstance(value, Expr):
        return rewrite(value)
    return value.with_indices(rewrite)


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
    refs = _holders(spec)
    _merge_all(spec.loops, refs)

    def walk(items):
        for s in items:
            if isinstance(s, Reduction):
                _merge_all(s.loops, refs)
                walk(s.body)
    walk(spec.body)
