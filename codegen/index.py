"""Index arithmetic as small trees: the positions a kernel reads and writes.

Lowering (lower.py) builds them from loop variables and a view's strides; passes inspect
them as trees (the in-place check compares them, the CUDA backend bounds them to choose its
index type and asks which variable steps through memory by one); the C text is printed only
at the end, by `str()`. Constructors keep a canonical form (zero terms dropped, nested sums
flattened, a factor of 1 omitted), so two expressions print alike exactly when they are
equal.
"""
from dataclasses import dataclass


class Expr:
    __slots__ = ()

    def variables(self):
        """The names of the loop variables the expression reads."""
        out = set()
        stack = [self]
        while stack:
            e = stack.pop()
            if isinstance(e, Var):
                out.add(e.name)
            else:
                stack.extend(e.children())
        return out

    def children(self):
        return ()


@dataclass(frozen=True)
class Var(Expr):
    name: str

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Const(Expr):
    value: int

    def __str__(self):
        return str(self.value)


@dataclass(frozen=True)
class Sum(Expr):
    terms: tuple

    def children(self):
        return self.terms

    def __str__(self):
        return " + ".join(map(str, self.terms))


@dataclass(frozen=True)
class Scaled(Expr):
    expr: Expr
    factor: int

    def children(self):
        return (self.expr,)

    def __str__(self):
        return f"{_paren(self.expr)}*{self.factor}"


@dataclass(frozen=True)
class Quotient(Expr):
    """C's integer division (toward zero) by a positive constant."""
    expr: Expr
    divisor: int

    def children(self):
        return (self.expr,)

    def __str__(self):
        return f"{_paren(self.expr)} / {self.divisor}"


@dataclass(frozen=True)
class Remainder(Expr):
    """C's remainder by a positive constant."""
    expr: Expr
    divisor: int

    def children(self):
        return (self.expr,)

    def __str__(self):
        return f"{_paren(self.expr)} % {self.divisor}"


ZERO = Const(0)


def _paren(e):
    simple = isinstance(e, Var) or (isinstance(e, Const) and e.value >= 0)
    return str(e) if simple else f"({e})"


def add(terms):
    """The sum of terms: zeros dropped, sums spliced in, 0 for none, a lone term itself."""
    flat = []
    for t in terms:
        if isinstance(t, Sum):
            flat.extend(t.terms)
        elif t != ZERO:
            flat.append(t)
    if not flat:
        return ZERO
    return flat[0] if len(flat) == 1 else Sum(tuple(flat))


def scaled(e, k):
    if e == ZERO or k == 0:
        return ZERO
    return e if k == 1 else Scaled(e, k)


def terms(e):
    """The top-level terms of a sum (the expression itself otherwise)."""
    return e.terms if isinstance(e, Sum) else (e,)


def magnitude(e, ranges):
    """The largest |value| that e or any part of it takes (a sum's partial sums, left to
    right, and its constants included) with each variable v in [0, ranges[v]]; None when
    it reads a variable ranges lacks. Interval arithmetic: C's / and % by a positive
    constant truncate toward zero."""
    worst = [0]

    def note(lo, hi):
        worst[0] = max(worst[0], abs(lo), abs(hi))
        return lo, hi

    def ev(e):
        if isinstance(e, Const):
            return note(e.value, e.value)
        if isinstance(e, Var):
            if e.name not in ranges:
                raise KeyError(e.name)
            return note(0, ranges[e.name])
        if isinstance(e, Sum):
            lo, hi = ev(e.terms[0])
            for t in e.terms[1:]:
                a, b = ev(t)
                lo, hi = note(lo + a, hi + b)
            return lo, hi
        lo, hi = ev(e.expr)
        if isinstance(e, Scaled):
            note(e.factor, e.factor)
            corners = (lo * e.factor, hi * e.factor)
            return note(min(corners), max(corners))
        note(e.divisor, e.divisor)
        if isinstance(e, Quotient):
            return note(int(lo / e.divisor), int(hi / e.divisor))
        return note(-(e.divisor - 1) if lo < 0 else 0, e.divisor - 1)

    try:
        ev(e)
    except KeyError:
        return None
    return worst[0]
