"""lazytensor.Size: the shape tuple, printed like torch.Size."""
from .codegen.shapes import numel
from .printing import format_size


class Size(tuple):
    __slots__ = ()

    def __new__(cls, dims=()):
        return super().__new__(cls, (int(d) for d in dims))

    def numel(self):
        return numel(self)

    def __repr__(self):
        return format_size(self)

    __str__ = __repr__

    def __getitem__(self, i):
        out = super().__getitem__(i)
        return Size(out) if isinstance(i, slice) else out

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))
