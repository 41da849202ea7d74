"""torch.nn.functional.pad: constant, reflect, replicate and circular padding of the last
dims, as cats of the input's own slices (and constant blocks), so gradients follow."""
from ..creation import full
from ..movement import cat


def pad(input, pad, mode="constant", value=None):
    """pad = (left, right) for the last dim, then (top, bottom) for the one before, ...;
    negative amounts crop (constant mode)."""
    pad = tuple(pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the "
                           "input dimension but got padding length "
                           f"{len(pad)} and input of dimension {input.ndim}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant" and value not in (None, 0, 0.0):
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    out = input
    for i in range(len(pad) // 2):
        dim = input.ndim - 1 - i
        out = _pad_dim(out, dim, pad[2 * i], pad[2 * i + 1], mode,
                       0.0 if value is None else value)
    return out


def _pad_dim(x, dim, before, after, mode, value):
    size = x.shape[dim]
    if mode == "constant":
        if before < 0:
            x, size, before = x.narrow(dim, -before, size + before), size + before, 0
        if after < 0:
            x, size, after = x.narrow(dim, 0, size + after), size + after, 0
        parts = []
        for amount in (before, after):
            shape = list(x.shape)
            shape[dim] = amount
            parts.append(full(shape, value, dtype=x.dtype, device=x.device) if amount
                         else None)
        pieces = [p for p in (parts[0], x, parts[1]) if p is not None]
        return cat(pieces, dim) if len(pieces) > 1 else x
    if before < 0 or after < 0:
        raise RuntimeError(f"negative padding is not supported in {mode} mode")
    if mode == "reflect" and (before >= size or after >= size):
        raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                           f"input dimension, but got: padding ({before}, {after}) at "
                           f"dimension {dim} of input {list(x.shape)}")
    if mode == "circular" and (before > size or after > size):
        raise RuntimeError("Padding value causes wrapping around more than once.")
    if mode == "reflect":       # the edge element is not repeated
        left = x.narrow(dim, 1, before).flip(dim) if before else None
        right = x.narrow(dim, size - 1 - after, after).flip(dim) if after else None
    elif mode == "replicate":
        def edge(i, n):
            shape = list(x.shape)
            shape[dim] = n
            return x.narrow(dim, i, 1).expand(shape)
        left = edge(0, before) if before else None
        right = edge(size - 1, after) if after else None
    else:                       # circular: the other end's elements
        left = x.narrow(dim, size - before, before) if before else None
        right = x.narrow(dim, 0, after) if after else None
    pieces = [p for p in (left, x, right) if p is not None]
    return cat(pieces, dim) if len(pieces) > 1 else x
