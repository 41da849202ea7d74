"""Shape arithmetic shared by every layer."""


def numel(shape):
    """The number of elements of a shape (any iterable of extents)."""
    n = 1
    for s in shape:
        n *= s
    return n


def contiguous_strides(shape):
    """Row-major strides, in elements (a size-0 dim counts as 1 so strides stay positive)."""
    strides, acc = [], 1
    for s in reversed(shape):
        strides.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(strides))
