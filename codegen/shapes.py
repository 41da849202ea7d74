"""Shape arithmetic shared by every layer."""


def numel(shape):
    """The number of elements of a shape (any iterable of extents)."""
    n = 1
    for s in shape:
        n *= s
    return n


_strides_of = {}


def contiguous_strides(shape):
    """Row-major strides, in elements (a size-0 dim counts as 1 so strides stay positive)."""
    out = _strides_of.get(shape) if type(shape) is tuple else None
    if out is None:
        strides, acc = [], 1
        for s in reversed(shape):
            strides.append(acc)
            acc *= max(s, 1)
        out = tuple(reversed(strides))
        if type(shape) is tuple and len(_strides_of) < 4096:   # the shapes a program uses
            _strides_of[shape] = out
    return out
