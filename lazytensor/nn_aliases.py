"""The nn functions PyTorch also exposes at top level (torch.conv2d, torch.layer_norm,
torch.selu, torch.pdist...), with the top-level argument orders where they differ from
torch.nn.functional's (torch.batch_norm puts weight and bias first, torch.dropout takes
(input, p, train), torch.embedding (weight, indices)). Those nn.functional has are thin
calls of it; the rest are composed of recorded ops here, so their gradients come free."""
import math

import numpy as np

from . import assemble, creation
from .autograd import no_grad
from .nn import functional as F
from .tensor import Tensor


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return F.conv1d(input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return F.conv2d(input, weight, bias, stride, padding, dilation, groups)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):
    return F.group_norm(input, num_groups, weight, bias, eps)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled=True):
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def dropout(input, p, train):
    return F.dropout(input, p, train)


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    return F.embedding(indices, weight, None if padding_idx < 0 else padding_idx)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input):
    """scale * (max(0, x) + min(0, alpha * (e^x - 1)))."""
    return _SELU_SCALE * input.where(input > 0, _SELU_ALPHA * input.expm1())


def celu(input, alpha=1.0):
    """max(0, x) + min(0, alpha * (e^(x / alpha) - 1))."""
    return input.where(input > 0, alpha * (input / alpha).expm1())


def threshold(input, threshold, value):
    """x where x > threshold, else value."""
    return input.where(input > threshold, creation.full((), value, dtype=input.dtype,
                                                        device=input.device))


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, else 0."""
    return input.where(input.abs() > lambd, creation.zeros((), dtype=input.dtype,
                                                           device=input.device))


def prelu(input, weight):
    """x where x >= 0, else weight * x (one weight, or one per channel: dim 1)."""
    if weight.numel() != 1:
        channels = input.shape[1] if input.ndim >= 2 else 1
        if weight.numel() != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {weight.numel()} and channel size = "
                               f"{channels}.")
        weight = weight.reshape((-1,) + (1,) * (input.ndim - 2))
    return input.where(input > 0, weight * input)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    """In evaluation (training=False) a leaky ReLU of slope (lower + upper) / 2; training
    draws a slope per element (not implemented here)."""
    if training:
        raise NotImplementedError("lazytensor: rrelu with training=True (random slopes) is not "
                                  "implemented; use training=False")
    return input.where(input >= 0, input * ((lower + upper) / 2))


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """x1 . x2 / max(|x1| |x2|, eps) along dim (after broadcasting)."""
    dot = (x1 * x2).sum(dim)
    norms = ((x1 * x1).sum(dim) * (x2 * x2).sum(dim)).clamp_min(eps * eps).sqrt()
    return dot / norms


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm of x1 - x2 + eps along the last dim."""
    ndim = max(x1.ndim, x2.ndim)
    if ndim == 0:
        return (x1 - x2 + eps).abs()
    return (x1 - x2 + eps).norm(p, dim=-1, keepdim=keepdim)


def pdist(input, p=2):
    """The p-norm distance between each pair of rows i < j, in row-major order of (i, j)."""
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    i, j = assemble.triu_indices(n, n, 1, device=input.device)
    diff = input.index_select(0, i) - input.index_select(0, j)
    if p == 0:
        return (diff != 0).to(input.dtype).sum(-1)
    return diff.norm(p, dim=-1)


def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r): each group of r^2 channels tiled into r x r."""
    r = upscale_factor
    if input.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.ndim} dimension(s)")
    *batch, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c}"
                           f" is not divisible by {r * r}")
    b = len(batch)
    x = input.reshape(*batch, c // (r * r), r, r, h, w)
    x = x.permute(*range(b), b, b + 3, b + 1, b + 4, b + 2)
    return x.reshape(*batch, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W): pixel_shuffle's inverse."""
    r = downscale_factor
    if input.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.ndim} dimension(s)")
    *batch, c, h, w = input.shape
    if h % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by "
                           f"downscale_factor, but input.size(-2)={h} is not divisible by {r}")
    if w % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by "
                           f"downscale_factor, but input.size(-1)={w} is not divisible by {r}")
    b = len(batch)
    x = input.reshape(*batch, c, h // r, r, w // r, r)
    x = x.permute(*range(b), b, b + 2, b + 4, b + 1, b + 3)
    return x.reshape(*batch, c * r * r, h // r, w // r)


def renorm(input, p, dim, maxnorm):
    """Each slice along dim whose p-norm exceeds maxnorm scaled down to norm maxnorm (by
    maxnorm / (norm + 1e-7), as PyTorch does)."""
    if input.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.ndim} "
                           f"dimensions")
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    d = dim % input.ndim
    others = tuple(k for k in range(input.ndim) if k != d)
    norms = input.abs().pow(p).sum(others, keepdim=True).pow(1 / p) if \
        not math.isinf(p) else input.abs().amax(others, keepdim=True)
    factor = (maxnorm / (norms + 1e-7)).where(norms > maxnorm, creation.ones(
        (), dtype=input.dtype, device=input.device))
    return input * factor


def _stride(stride):
    """The top-level pooling functions' default stride is [] (the kernel size)."""
    return None if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else stride


def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return F.max_pool1d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return F.max_pool2d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def avg_pool1d(input, kernel_size, stride=(), padding=0, ceil_mode=False,
               count_include_pad=True):
    return F.avg_pool1d(input, kernel_size, _stride(stride), padding, ceil_mode,
                        count_include_pad)


def adaptive_avg_pool1d(input, output_size):
    return F.adaptive_avg_pool1d(input, output_size)


def bilinear(input1, input2, weight, bias=None):
    return F.bilinear(input1, input2, weight, bias)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    return F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups,
                              dilation)


_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}       # ATen's Reduction enum


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    """reduction as ATen's enum (0 none, 1 mean, 2 sum); PyTorch 2.13's top-level binding
    measurably defaults to no reduction."""
    return F.binary_cross_entropy_with_logits(input, target, weight,
                                              reduction=_REDUCTIONS.get(reduction, reduction),
                                              pos_weight=pos_weight)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
                  eps, cudnn_enabled=True):
    """Each (sample, channel) normalised over its spatial dims (use_input_stats), the
    running statistics moved towards the batch's average of them; or normalised by the
    running statistics."""
    dims = tuple(range(2, input.ndim))
    shape = (1, -1) + (1,) * len(dims)
    if use_input_stats:
        mean = input.mean(dims, keepdim=True)
        var = input.var(dims, unbiased=False, keepdim=True)
        if running_mean is not None or running_var is not None:
            count = math.prod(input.shape[2:])
            with no_grad():
                if running_mean is not None:
                    batch_mean = mean.detach().reshape(input.shape[:2]).mean(0)
                    running_mean.mul_(1 - momentum).add_(batch_mean * momentum)
                if running_var is not None:
                    unbiased = var.detach().reshape(input.shape[:2]) * (count / max(count - 1, 1))
                    running_var.mul_(1 - momentum).add_(unbiased.mean(0) * momentum)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    out = (input - mean) / (var + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """x / sqrt(mean(x^2 over the last len(normalized_shape) dims) + eps) (times weight);
    eps defaults to the dtype's machine epsilon."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape):]) != shape or len(shape) > input.ndim:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*{', '.join(str(n) for n in shape)}], but got input of size"
                           f"{list(input.shape)}")
    if eps is None:
        eps = float(np.finfo(input.dtype.to_numpy()).eps)
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight


def _in_place(fn, name):
    """torch.<name>_(input, ...): fn's result written into input (copy_ records it)."""
    def method(input, *args, **kwargs):
        return input.copy_(fn(input, *args, **kwargs))
    method.__name__ = name
    method._lt_autograd = True
    return method


selu_ = _in_place(selu, "selu_")
celu_ = _in_place(celu, "celu_")
threshold_ = _in_place(threshold, "threshold_")
rrelu_ = _in_place(rrelu, "rrelu_")


__all__ = ("conv1d", "conv2d", "layer_norm", "group_norm", "batch_norm", "dropout", "embedding",
           "selu", "celu", "threshold", "hardshrink", "prelu", "rrelu", "cosine_similarity",
           "pairwise_distance", "pdist", "pixel_shuffle", "pixel_unshuffle", "renorm", "rms_norm",
           "selu_", "celu_", "threshold_", "rrelu_", "max_pool1d", "max_pool2d", "avg_pool1d",
           "adaptive_avg_pool1d", "bilinear", "conv_transpose2d",
           "binary_cross_entropy_with_logits", "instance_norm")


def renorm_(self, p, dim, maxnorm):
    return self.copy_(renorm(self, p, dim, maxnorm))


renorm_._lt_autograd = True      # copy_ records the write, renorm's ops their own steps


def _attach():
    Tensor.hardshrink = hardshrink
    Tensor.prelu = prelu
    Tensor.renorm = renorm
    Tensor.renorm_ = renorm_


_attach()
