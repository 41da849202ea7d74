"""Convolution and pooling over 2-D images as compositions of lazytensor's ops: the input
padded (cat with constant blocks), its kh x kw shifted, strided views stacked into windows,
then one contraction with the weights (conv) or a max/mean over each window (pooling).
Gradients follow from those ops' derivatives; no kernel of their own."""
from ..creation import full
from ..einsum import einsum
from ..movement import cat, stack


def pair(v, name="kernel_size"):
    if isinstance(v, int):
        return (v, v)
    v = tuple(v)
    if len(v) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {v}")
    return v


def _pad(x, pad_h, pad_w, value):
    """x (N, C, H, W) with pad_h rows above and below and pad_w columns left and right."""
    n, c, h, w = x.shape
    if pad_w:
        side = full((n, c, h, pad_w), value, dtype=x.dtype, device=x.device)
        x = cat([side, x, side], 3)
    if pad_h:
        side = full((n, c, pad_h, x.shape[3]), value, dtype=x.dtype, device=x.device)
        x = cat([side, x, side], 2)
    return x


def output_size(size, kernel, stride, padding, dilation):
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def windows(x, kernel, stride, padding, dilation, pad_value=0.0):
    """(N, C, H_out, W_out, kh * kw): each output position's window of x, in row-major
    order within the window (PyTorch's order, which decides the first of equal maxima)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    if x.ndim != 4:
        raise RuntimeError(f"Expected 4D (batched) input, but got input of size: "
                           f"{list(x.shape)}")
    ho = output_size(x.shape[2], kh, sh, ph, dh)
    wo = output_size(x.shape[3], kw, sw, pw, dw)
    if ho <= 0 or wo <= 0:
        raise RuntimeError(f"Output size is too small: ({max(ho, 0)}x{max(wo, 0)})")
    x = _pad(x, ph, pw, pad_value)
    views = [x[:, :, i * dh:i * dh + sh * (ho - 1) + 1:sh, j * dw:j * dw + sw * (wo - 1) + 1:sw]
             for i in range(kh) for j in range(kw)]
    return stack(views, 4)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """torch.nn.functional.conv2d: padding an int, a pair, 'valid' or 'same'."""
    kh, kw = weight.shape[2], weight.shape[3]
    stride, dilation = pair(stride, "stride"), pair(dilation, "dilation")
    if padding == "valid":
        padding = (0, 0)
    elif padding == "same":
        if stride != (1, 1):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        total = (dilation[0] * (kh - 1), dilation[1] * (kw - 1))
        if total[0] % 2 or total[1] % 2:
            raise NotImplementedError("padding='same' with an even kernel extent is not in "
                                      "lazytensor yet")
        padding = (total[0] // 2, total[1] // 2)
    padding = pair(padding, "padding")
    c = input.shape[1]
    if c != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{list(input.shape)} to have "
                           f"{weight.shape[1] * groups} channels, but got {c} channels "
                           "instead")
    patches = windows(input, (kh, kw), stride, padding, dilation)
    flat = weight.reshape(weight.shape[0], weight.shape[1], kh * kw)
    if groups == 1:
        out = einsum("nchwk,ock->nohw", patches, flat)
    else:
        per_in, per_out = c // groups, weight.shape[0] // groups
        out = cat([einsum("nchwk,ock->nohw", patches[:, g * per_in:(g + 1) * per_in],
                          flat[g * per_out:(g + 1) * per_out]) for g in range(groups)], 1)
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    if ceil_mode or return_indices:
        raise NotImplementedError("max_pool2d with ceil_mode or return_indices is not in "
                                  "lazytensor yet")
    kernel = pair(kernel_size)
    stride = kernel if stride is None or stride == [] else pair(stride, "stride")
    return windows(input, kernel, stride, pair(padding, "padding"),
                   pair(dilation, "dilation"), float("-inf")).max(4).values


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    if ceil_mode or not count_include_pad or divisor_override:
        raise NotImplementedError("avg_pool2d with ceil_mode, count_include_pad=False or "
                                  "divisor_override is not in lazytensor yet")
    kernel = pair(kernel_size)
    stride = kernel if stride is None or stride == [] else pair(stride, "stride")
    return windows(input, kernel, stride, pair(padding, "padding"), (1, 1)).mean(4)
