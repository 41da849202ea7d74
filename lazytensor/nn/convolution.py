"""Convolution and pooling over 1-D signals and 2-D images as compositions of lazytensor's ops: the input
padded (cat with constant blocks), its kh x kw shifted, strided views stacked into windows,
then one contraction with the weights (conv) or a max/mean over each window (pooling).
Gradients follow from those ops' derivatives; no kernel of their own."""
from .. import derivatives
from ..autograd_graph import is_grad_enabled
from ..creation import arange, full, zeros_like
from ..einsum import einsum
from ..movement import cat, stack
from .padding import pad


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
    if not (x.requires_grad and is_grad_enabled()):
        # nothing to record: one strided view of x, its (kh, kw) window dims merged by the
        # reshape (what stacking the kh * kw shifted slices gives, in one op, not 2 kh kw)
        n, c = x.shape[0], x.shape[1]
        s_n, s_c, s_h, s_w = x.stride()
        view = x.as_strided((n, c, ho, wo, kh, kw),
                            (s_n, s_c, s_h * sh, s_w * sw, s_h * dh, s_w * dw),
                            x.storage_offset())
        return view.reshape(n, c, ho, wo, kh * kw)
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
        if total[0] % 2 or total[1] % 2:      # the extra row and column go below and right
            input = pad(input, (0, total[1] % 2, 0, total[0] % 2))
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


# -- 1-D: the 2-D ops on a height of one ----------------------------------------------------------
def _single(v, name):
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    v = tuple(v)
    if len(v) != 1:
        raise ValueError(f"{name} must be an int or a tuple of one int, got {v}")
    return v[0]


def _batched_1d(input, op):
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2D (unbatched) or 3D (batched) input to {op}, but got "
                           f"input of size: {list(input.shape)}")
    return input if input.ndim == 3 else input.unsqueeze(0)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """torch.nn.functional.conv1d: input (N, C, L) or (C, L), weight (O, C / groups, k)."""
    x = _batched_1d(input, "conv1d")
    padding = _single(padding, "padding")
    out = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, (1, _single(stride, "stride")),
                 padding if isinstance(padding, str) else (0, padding),
                 (1, _single(dilation, "dilation")), groups).squeeze(2)
    return out if input.ndim == 3 else out.squeeze(0)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    x = _batched_1d(input, "max_pool1d")
    k = _single(kernel_size, "kernel_size")
    s = k if stride is None or stride == [] else _single(stride, "stride")
    out = max_pool2d(x.unsqueeze(2), (1, k), (1, s), (0, _single(padding, "padding")),
                     (1, _single(dilation, "dilation")), ceil_mode, return_indices).squeeze(2)
    return out if input.ndim == 3 else out.squeeze(0)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    x = _batched_1d(input, "avg_pool1d")
    k = _single(kernel_size, "kernel_size")
    s = k if stride is None or stride == [] else _single(stride, "stride")
    out = avg_pool2d(x.unsqueeze(2), (1, k), (1, s), (0, _single(padding, "padding")),
                     ceil_mode, count_include_pad).squeeze(2)
    return out if input.ndim == 3 else out.squeeze(0)


# -- transposed convolution -----------------------------------------------------------------------
def _spread(x, dim, stride):
    """x with stride - 1 zeros between neighbours along dim (size (n - 1) * stride + 1)."""
    if stride == 1:
        return x
    n = x.shape[dim]
    gaps = zeros_like(x)
    parts = stack([x] + [gaps] * (stride - 1), dim + 1)
    shape = list(x.shape)
    shape[dim] = n * stride
    return parts.reshape(shape).narrow(dim, 0, (n - 1) * stride + 1)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    """torch.nn.functional.conv_transpose2d, weight (C_in, C_out / groups, kh, kw): the
    gradient of conv2d with respect to its input, computed as a convolution of the input
    spread out by the stride (zeros between), padded by dilation * (k - 1) - padding, with
    the kernel flipped and its in/out channels swapped."""
    if input.ndim != 4:
        raise RuntimeError(f"Expected 4D (batched) input to conv_transpose2d, but got input "
                           f"of size: {list(input.shape)}")
    stride, padding = pair(stride, "stride"), pair(padding, "padding")
    output_padding, dilation = pair(output_padding, "output_padding"), pair(dilation,
                                                                             "dilation")
    for op, s, d in zip(output_padding, stride, dilation):
        if op >= s and op >= d:
            raise RuntimeError("output padding must be smaller than either stride or "
                               "dilation, but got output_padding_height: "
                               f"{output_padding[0]} output_padding_width: "
                               f"{output_padding[1]} stride_height: {stride[0]} stride_width:"
                               f" {stride[1]} dilation_height: {dilation[0]} dilation_width: "
                               f"{dilation[1]}")
    c_in, per_out, kh, kw = weight.shape
    if input.shape[1] != c_in:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, "
                           f"expected input{list(input.shape)} to have {c_in} channels, but "
                           f"got {input.shape[1]} channels instead")
    x = _spread(_spread(input, 2, stride[0]), 3, stride[1])
    edges = []
    for k, p, d, op in zip((kh, kw), padding, dilation, output_padding):
        edges.append((d * (k - 1) - p, d * (k - 1) - p + op))
    x = pad(x, (edges[1][0], edges[1][1], edges[0][0], edges[0][1]))
    w = weight.flip(2, 3).reshape(groups, c_in // groups, per_out, kh, kw)
    w = w.transpose(1, 2).reshape(groups * per_out, c_in // groups, kh, kw)
    return conv2d(x, w, bias, 1, 0, dilation, groups)


# -- adaptive pooling -----------------------------------------------------------------------------
def _bins(size, out):
    """PyTorch's adaptive windows: output i covers [floor(i * size / out),
    ceil((i + 1) * size / out))."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


def _adaptive_mean(x, dim, out):
    size = x.shape[dim]
    if size % out == 0:
        shape = list(x.shape)
        shape[dim:dim + 1] = [out, size // out]
        return x.reshape(shape).mean(dim + 1)
    return stack([x.narrow(dim, a, b - a).mean(dim) for a, b in _bins(size, out)], dim)


def adaptive_avg_pool2d(input, output_size):
    if input.ndim not in (3, 4):
        raise RuntimeError("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                           f"{list(input.shape)}")
    out = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    oh = input.shape[-2] if out[0] is None else out[0]
    ow = input.shape[-1] if out[1] is None else out[1]
    return _adaptive_mean(_adaptive_mean(input, input.ndim - 2, oh), input.ndim - 1, ow)


def adaptive_avg_pool1d(input, output_size):
    x = _batched_1d(input, "adaptive_avg_pool1d")
    out = _adaptive_mean(x, 2, _single(output_size, "output_size"))
    return out if input.ndim == 3 else out.squeeze(0)


# -- derivatives (whole ops: their inner views and stacks then record nothing) ------------------
def _fold(windowed, shape, kernel, stride, padding, dilation):
    """The transpose of windows(): each window position's value added back into a zero
    tensor of x's (N, C, H, W) shape at the element it was read from."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    n, c, h, w = shape
    ho, wo = windowed.shape[2], windowed.shape[3]
    z = windowed.new_zeros((n, c, h + 2 * ph, w + 2 * pw))
    for i in range(kh):
        for j in range(kw):
            z[:, :, i * dh:i * dh + sh * (ho - 1) + 1:sh,
              j * dw:j * dw + sw * (wo - 1) + 1:sw] += windowed[..., i * kw + j]
    return z[:, :, ph:ph + h, pw:pw + w]


def _conv2d_derivative(g, r, input, weight, bias=None, stride=1, padding=0, dilation=1,
                       groups=1):
    """The input's gradient: g's windows back where they came from, through the kernel; the
    weight's: each output's gradient times the window it read; the bias's: g summed."""
    kh, kw = weight.shape[2], weight.shape[3]
    stride, dilation = pair(stride, "stride"), pair(dilation, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0, 0)
        else:
            total = (dilation[0] * (kh - 1), dilation[1] * (kw - 1))
            extra = (total[0] % 2, total[1] % 2)
            if extra != (0, 0):     # as the forward: the extra row/column below/right
                padded = pad(input, (0, extra[1], 0, extra[0]))
                grads = _conv2d_derivative(g, r, padded, weight, bias, stride,
                                           (total[0] // 2, total[1] // 2), dilation, groups)
                grads[0] = grads[0][:, :, :input.shape[2], :input.shape[3]]
                return grads
            padding = (total[0] // 2, total[1] // 2)
    padding = pair(padding, "padding")
    c, o = input.shape[1], weight.shape[0]
    per_in, per_out = c // groups, o // groups
    flat = weight.reshape(o, per_in, kh * kw)
    patches = windows(input, (kh, kw), stride, padding, dilation)
    if groups == 1:
        g_windows = einsum("nohw,ock->nchwk", g, flat)
        g_flat = einsum("nchwk,nohw->ock", patches, g)
    else:
        g_windows = cat([einsum("nohw,ock->nchwk", g[:, k * per_out:(k + 1) * per_out],
                                flat[k * per_out:(k + 1) * per_out]) for k in range(groups)], 1)
        g_flat = cat([einsum("nchwk,nohw->ock", patches[:, k * per_in:(k + 1) * per_in],
                             g[:, k * per_out:(k + 1) * per_out]) for k in range(groups)], 0)
    g_input = _fold(g_windows, input.shape, (kh, kw), stride, padding, dilation)
    out = [g_input, g_flat.reshape(weight.shape)]
    if bias is not None:
        out.append(g.sum((0, 2, 3)))
    return out


def _max_pool2d_derivative(g, r, input, kernel_size, stride=None, padding=0, dilation=1,
                           ceil_mode=False, return_indices=False):
    """Each window's gradient to its first largest element (PyTorch's choice among ties)."""
    kernel = pair(kernel_size)
    stride = kernel if stride is None or stride == [] else pair(stride, "stride")
    padding, dilation = pair(padding, "padding"), pair(dilation, "dilation")
    patches = windows(input, kernel, stride, padding, dilation, float("-inf"))
    first = patches.argmax(4, keepdim=True)
    picked = arange(patches.shape[4], device=g.device) == first
    return [_fold(g.unsqueeze(-1) * picked, input.shape, kernel, stride, padding, dilation)]


def _avg_pool2d_derivative(g, r, input, kernel_size, stride=None, padding=0, ceil_mode=False,
                           count_include_pad=True, divisor_override=None):
    kernel = pair(kernel_size)
    stride = kernel if stride is None or stride == [] else pair(stride, "stride")
    padding = pair(padding, "padding")
    spread = (g / (kernel[0] * kernel[1])).unsqueeze(-1).expand(
        g.shape + (kernel[0] * kernel[1],))
    return [_fold(spread, input.shape, kernel, stride, padding, (1, 1))]


derivatives.TABLE.update({"conv2d": _conv2d_derivative, "max_pool2d": _max_pool2d_derivative,
                          "avg_pool2d": _avg_pool2d_derivative})
