"""torch.einsum: an equation turned into the ops that compute it.

Each operand first loses its repeated subscripts (a diagonal) and the subscripts nothing else
needs (a sum). Operands are then combined left to right, two at a time: subscripts both
share and the rest of the equation still needs are a batch, subscripts only they share are
contracted through one batched matrix product (the matmul kernel), and the others are kept.
The last result is summed and permuted into the output's order. `...` stands for the same
broadcast dims in every operand.
"""
from . import ops
from .linalg import matmul
from .movement import diagonal, expand, permute, reshape
from .creation import as_tensor_arg
from .reductions import sum as _sum


def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    operands = [as_tensor_arg(t) for t in operands]
    inputs, output = _parse(equation.replace(" ", ""), operands)
    common = ops.result_type(operands)
    terms = [(subs, _cast(t, common)) for subs, t in zip(inputs, operands)]
    sizes = _sizes(terms)
    terms = [_reduce_alone(subs, t, output, terms, i) for i, (subs, t) in enumerate(terms)]
    subs, t = terms[0]
    for k in range(1, len(terms)):
        later = set(output).union(*(s for s, _ in terms[k + 1:]))
        subs, t = _pair(subs, t, *terms[k], later, sizes)
    extra = [i for i, s in enumerate(subs) if s not in output]
    if extra:
        t = _sum(t, extra)
        subs = [s for s in subs if s in output]
    return permute(t, [subs.index(s) for s in output]) if subs != list(output) else t


def _cast(t, d):
    return t if t.dtype is d else t.to(d)


def _parse(equation, operands):
    """([subscripts of each operand], output subscripts), each a list of one-character
    labels, `...` expanded to labels of its own; PyTorch's errors for a bad equation."""
    lhs, arrow, rhs = equation.partition("->")
    specs = lhs.split(",")
    if len(specs) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    if len(specs) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    ell_ndim = 0
    inputs = []
    for k, (spec, t) in enumerate(zip(specs, operands)):
        letters = spec.replace("...", "")
        if any(not c.isalpha() for c in letters):
            raise RuntimeError(f"einsum(): invalid subscript given at index {k} in the "
                               "equation string, subscripts must be in [a-zA-Z]")
        if "..." in spec:
            n = t.ndim - len(letters)
            ell_ndim = max(ell_ndim, n)
            head, tail = spec.split("...")
            inputs.append(list(head) + _ellipsis(n) + list(tail))
        else:
            if len(spec) != t.ndim:
                raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                                   f"({len(spec)}) does not match the number of dimensions "
                                   f"({t.ndim}) for operand {k} and no ellipsis was given")
            inputs.append(list(spec))
    if arrow:
        out = rhs.replace("...", "")
        for c in out:
            if not any(c in subs for subs in inputs):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
        head, _, tail = rhs.partition("...")
        output = list(head) + (_ellipsis(ell_ndim) if "..." in rhs else []) + list(tail)
    else:
        counts = {}
        for subs in inputs:
            for c in subs:
                if len(c) == 1:
                    counts[c] = counts.get(c, 0) + 1
        output = _ellipsis(ell_ndim) + sorted(c for c, n in counts.items() if n == 1)
    return inputs, output


def _ellipsis(n):
    """Labels for n broadcast dims, right-aligned (the last is shared by all operands)."""
    return [f"...{i}" for i in range(n, 0, -1)]


def _sizes(terms):
    sizes = {}
    for k, (subs, t) in enumerate(terms):
        for s, n in zip(subs, t._shape):
            seen = sizes.get(s)
            if seen is not None and n != seen and n != 1 and seen != 1:
                raise RuntimeError(f"einsum(): subscript {s} has size {n} for operand {k} "
                                   f"which does not broadcast with previously seen size {seen}")
            sizes[s] = n if seen is None or seen == 1 else seen
    return sizes


def _reduce_alone(subs, t, output, terms, i):
    """The operand with repeated subscripts taken on their diagonal and with the subscripts
    that appear nowhere else summed away."""
    subs = list(subs)
    while len(set(subs)) != len(subs):
        s = next(s for s in subs if subs.count(s) > 1)
        a = subs.index(s)
        b = subs.index(s, a + 1)
        t = diagonal(t, 0, a, b)                  # the diagonal becomes the last dim
        subs = [x for k, x in enumerate(subs) if k not in (a, b)] + [s]
    others = set(output).union(*(set(x) for k, (x, _) in enumerate(terms) if k != i))
    alone = [k for k, s in enumerate(subs) if s not in others]
    if alone:
        t = _sum(t, alone)
        subs = [s for k, s in enumerate(subs) if k not in alone]
    return subs, t


def _pair(sa, a, sb, b, later, sizes):
    """a and b combined: (subscripts, tensor), summing the subscripts only they share."""
    batch = [s for s in sa if s in sb and s in later]
    contract = [s for s in sa if s in sb and s not in later]
    only_a = [s for s in sa if s not in sb]
    only_b = [s for s in sb if s not in sa]
    a = _arrange(a, sa, batch + only_a + contract, sizes)
    b = _arrange(b, sb, batch + contract + only_b, sizes)
    nb, na, nn = len(batch), len(only_a), len(only_b)
    shape = [sizes[s] for s in batch]
    m = _count(sizes, only_a)
    k = _count(sizes, contract)
    n = _count(sizes, only_b)
    if not contract:                              # an outer product: no sum to do
        a = reshape(a, tuple(a._shape) + (1,) * nn)
        b = reshape(b, tuple(b._shape[:nb]) + (1,) * na + tuple(b._shape[nb:]))
        return batch + only_a + only_b, a * b
    prod = matmul(reshape(a, tuple(shape) + (m, k)), reshape(b, tuple(shape) + (k, n)))
    return batch + only_a + only_b, reshape(
        prod, tuple(shape) + tuple(sizes[s] for s in only_a + only_b))


def _arrange(t, subs, order, sizes):
    """t permuted so its dims follow `order`, size-1 dims broadcast to the full size."""
    t = permute(t, [subs.index(s) for s in order])
    full = tuple(sizes[s] for s in order)
    return expand(t, full) if tuple(t._shape) != full else t


def _count(sizes, subs):
    n = 1
    for s in subs:
        n *= sizes[s]
    return n
