"""A kernel's statements as data: what lowering (lower.py) puts in a KernelSpec's body, its
store and its reductions' declarations and updates, printed as C only by the templates
(`str()`).

The index trees inside them stay trees (index.py), so passes ask and rewrite what they need
without reading C: loops.py rewrites the indices (`indices`, `with_indices`), parallel.py
reads which libm functions a value calls (`Bind.calls`) and what a reduction carries
(`Bind` declarations). The C around the trees (an op's spelling over earlier names, a
dialect's conversions) stays text: no pass looks into it.
"""
from dataclasses import dataclass, replace

from .index import Expr


class Statement:
    """One C statement of a kernel body (a Reduction is the other kind of body item)."""
    __slots__ = ()

    def indices(self):
        """The index trees the statement reads or writes at."""
        return ()

    def with_indices(self, rewrite):
        """The statement with each index tree e replaced by rewrite(e)."""
        return self


@dataclass(frozen=True)
class Load:
    """`param[index]` read as a value: `before` and `after` are the dialect's conversion
    (and rounding) around the reference."""
    param: str
    index: Expr
    before: str = ""
    after: str = ""

    def __str__(self):
        return f"{self.before}{self.param}[{self.index}]{self.after}"


@dataclass(frozen=True)
class Bind(Statement):
    """`ctype name = value;`. The value is a Load or C text over earlier names and literals;
    `calls`: the libm functions it calls, by stem (`exp` for expf and exp)."""
    ctype: str
    name: str
    value: object
    calls: frozenset = frozenset()

    def __str__(self):
        return f"{self.ctype} {self.name} = {self.value};"

    def indices(self):
        return (self.value.index,) if isinstance(self.value, Load) else ()

    def with_indices(self, rewrite):
        if not isinstance(self.value, Load):
            return self
        return replace(self, value=replace(self.value, index=rewrite(self.value.index)))


@dataclass(frozen=True)
class Store(Statement):
    """`out[index] = value;`: the kernel's output element."""
    index: Expr
    value: str

    def __str__(self):
        return f"out[{self.index}] = {self.value};"

    def indices(self):
        return (self.index,)

    def with_indices(self, rewrite):
        return replace(self, index=rewrite(self.index))


@dataclass(frozen=True)
class Spliced(Statement):
    """C text with index trees in it (`parts`: strings and index.Exprs, in order): an
    argmax/argmin update, which records the position of the best value."""
    parts: tuple

    def __str__(self):
        return "".join(map(str, self.parts))

    def indices(self):
        return tuple(p for p in self.parts if isinstance(p, Expr))

    def with_indices(self, rewrite):
        return Spliced(tuple(rewrite(p) if isinstance(p, Expr) else p for p in self.parts))
