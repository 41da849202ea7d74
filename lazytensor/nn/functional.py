"""torch.nn.functional: activations, losses and helpers composed from lazytensor's ops, each
with PyTorch's CPU formula (so values round as its kernels do, transcendentals aside)."""
import math

import numpy as np

from .. import dtypes
from ..dtypes import bool_
from ..autograd_graph import no_grad as _no_grad
from ..creation import arange, ones, tensor_from_values, zeros_like
from ..einsum import einsum
from ..elementwise import erf, sigmoid, tanh, where
from ..reductions import log_softmax, softmax
from ..tensor import Tensor
from .convolution import (adaptive_avg_pool1d, adaptive_avg_pool2d, avg_pool1d,  # noqa: F401
                          avg_pool2d, conv1d, conv2d, conv_transpose2d, max_pool1d,
                          max_pool2d)
from .padding import pad  # noqa: F401

__all__ = ["relu", "relu6", "leaky_relu", "elu", "gelu", "silu", "sigmoid", "tanh",
           "softplus", "hardtanh", "softmax", "log_softmax", "mse_loss", "l1_loss", "dropout",
           "one_hot", "linear", "nll_loss", "cross_entropy", "conv2d", "max_pool2d",
           "avg_pool2d", "layer_norm", "batch_norm", "embedding", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "smooth_l1_loss", "huber_loss", "conv1d",
           "conv_transpose2d", "max_pool1d", "avg_pool1d", "adaptive_avg_pool1d",
           "adaptive_avg_pool2d", "pad", "group_norm", "bilinear", "kl_div", "normalize",
           "scaled_dot_product_attention"]


def _in_float32(fn):
    """fn computed in float32 for float16/bfloat16 input and rounded once at the end, as
    PyTorch's kernels for several-step activations do."""
    def run(x, *args, **kwargs):
        if x.dtype.is_floating_point and x.dtype.itemsize == 2:
            return fn(x.float(), *args, **kwargs).to(x.dtype)
        return fn(x, *args, **kwargs)
    run.__name__, run.__doc__ = fn.__name__, fn.__doc__
    return run


def relu(x, inplace=False):
    return x.relu_() if inplace else x.relu()


def hardtanh(x, min_val=-1.0, max_val=1.0, inplace=False):
    return x.clamp_(min_val, max_val) if inplace else x.clamp(min_val, max_val)


def relu6(x, inplace=False):
    return hardtanh(x, 0.0, 6.0, inplace)


def leaky_relu(x, negative_slope=0.01, inplace=False):
    out = where(x > 0, x, x * negative_slope)
    return x.copy_(out) if inplace else out


def elu(x, alpha=1.0, inplace=False):
    out = _elu(x, alpha)
    return x.copy_(out) if inplace else out


@_in_float32
def _elu(x, alpha):
    return where(x > 0, x, x.expm1() * alpha)


@_in_float32
def gelu(x, approximate="none"):
    """x * Φ(x): 0.5 x (1 + erf(x / √2)), or with approximate="tanh" PyTorch's tanh formula."""
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + tanh(inner))
    if approximate != "none":
        raise RuntimeError("approximate argument must be either none or tanh.")
    return x * 0.5 * (1 + erf(x * math.sqrt(0.5)))


def silu(x, inplace=False):
    out = _silu(x)
    return x.copy_(out) if inplace else out


@_in_float32
def _silu(x):
    return x / (1 + (-x).exp())


@_in_float32
def softplus(x, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, or x itself where beta x > threshold."""
    scaled = x * beta
    return where(scaled > threshold, x, scaled.exp().log1p() / beta)


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """The squared error (times weight, when given), reduced."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    err = (input - target) ** 2
    return _reduce(err if weight is None else err * weight, reduction)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """-input[i, target[i]] (times weight[target[i]]), targets equal to ignore_index left
    out; "mean" divides by the weights' sum, as PyTorch does. input: (N, C) or (C,)."""
    if input.ndim not in (1, 2):
        raise NotImplementedError("nll_loss of inputs with more than 2 dims is not in "
                                  "lazytensor yet")
    batched = input.ndim == 2
    logp = input if batched else input.unsqueeze(0)
    tgt = target if batched else target.unsqueeze(0)
    if tgt.ndim != 1 or tgt.shape[0] != logp.shape[0]:
        raise ValueError(f"Expected input batch_size ({logp.shape[0]}) to match target "
                         f"batch_size ({tgt.shape[0] if tgt.ndim else 0}).")
    classes = logp.shape[1]
    values = tgt._values()
    bad = (values != ignore_index) & ((values < 0) | (values >= classes))
    if bad.any():
        raise IndexError(f"Target {values[bad][0]} is out of bounds.")
    kept = tgt != ignore_index
    # each row's target class as a mask: the picking stays graph (no index values read)
    # and fuses; where, not a product, so that a -inf elsewhere in the row cannot make NaN
    hit = arange(classes, device=logp.device) == where(kept, tgt, 0).unsqueeze(1)
    picked = -logp.where(hit, 0).sum(1)
    w = kept.to(input.dtype) if weight is None else \
        where(kept, weight.where(hit, 0).sum(1), 0.0)
    losses = picked * w
    if reduction == "none":
        return losses if batched else losses.squeeze(0)
    if reduction == "sum":
        return losses.sum()
    if reduction == "mean":
        return losses.sum() / w.sum()
    raise ValueError(f"{reduction} is not a valid value for reduction")


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """log_softmax over the classes (dim 1, or 0 for one sample), then nll_loss for class
    indices, or -sum(target * log_softmax) for class probabilities; label_smoothing mixes
    in the loss against the uniform distribution, as PyTorch does."""
    dim = 1 if input.ndim >= 2 else 0
    logp = log_softmax(input, dim)
    classes = input.shape[dim]
    if target.dtype.is_floating_point:
        if label_smoothing:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        per = -(target * logp if weight is None else target * logp * weight).sum(dim)
        return _reduce(per, reduction) if reduction != "mean" or input.ndim < 2 else \
            per.sum() / input.shape[0]
    loss = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if not label_smoothing:
        return loss
    if weight is not None:
        raise NotImplementedError("cross_entropy with both weight and label_smoothing is not "
                                  "in lazytensor yet")
    kept = target != ignore_index
    smooth = where(kept, -logp.sum(dim) / classes, 0.0)
    if reduction == "mean":
        smooth = smooth.sum() / kept.sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    return loss * (1 - label_smoothing) + smooth * label_smoothing


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x - mean) / sqrt(var + eps) over the last len(normalized_shape) dims (var biased),
    then times weight plus bias."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in shape)}], but got input of size"
                           f"{list(input.shape)}")
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    mean = input.mean(dims, keepdim=True)
    centred = input - mean
    out = centred * ((centred * centred).mean(dims, keepdim=True) + eps).rsqrt()
    if weight is not None:
        out = out * weight
    return out if bias is None else out + bias


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Each sample's channels in num_groups groups, each group normalised over its channels
    and every position (var biased), then the per-channel weight and bias."""
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    grouped = input.reshape(n, num_groups, -1)
    mean = grouped.mean(2, keepdim=True)
    centred = grouped - mean
    out = (centred * ((centred * centred).mean(2, keepdim=True) + eps).rsqrt())
    out = out.reshape(input.shape)
    per_channel = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(per_channel)
    return out if bias is None else out + bias.reshape(per_channel)


def bilinear(input1, input2, weight, bias=None):
    """y_o = x1 . W_o . x2 + b_o over the last dims (leading dims batch)."""
    lead = tuple(input1.shape[:-1])
    out = einsum("bi,oij,bj->bo", input1.reshape(-1, input1.shape[-1]), weight,
                 input2.reshape(-1, input2.shape[-1])).reshape(lead + (weight.shape[0],))
    return out if bias is None else out + bias


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Pointwise target * (log(target) - input) (input: log-probabilities; log_target: the
    target is too), 0 where the target is 0; 'batchmean' divides the sum by the batch."""
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = target.xlogy(target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, reduction)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input divided by its p-norm along dim (at least eps)."""
    norm = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / norm


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalised per channel (dim 1) with the batch's statistics in training (the running
    ones updated: mean with the biased, var with the unbiased batch variance, as PyTorch
    does), with the running statistics otherwise."""
    dims = (0,) + tuple(range(2, input.ndim))
    shape = (1, -1) + (1,) * (input.ndim - 2)
    if training:
        count = input.numel() // input.shape[1]
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got "
                             f"input size {list(input.shape)}")
        mean = input.mean(dims)
        centred = input - mean.reshape(shape)
        var = (centred * centred).mean(dims)
        if running_mean is not None:
            with _no_grad():
                running_mean.copy_(mean.detach() * momentum + running_mean * (1 - momentum))
                running_var.copy_(var.detach() * (momentum * count / (count - 1)) +
                                  running_var * (1 - momentum))
    else:
        mean, var = running_mean, running_var
        centred = input - mean.reshape(shape)
    out = centred * (var + eps).rsqrt().reshape(shape)
    if weight is not None:
        out = out * weight.reshape(shape)
    return out if bias is None else out + bias.reshape(shape)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """weight's rows at input; the padding_idx row passes no gradient, as PyTorch's."""
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding's max_norm, scale_grad_by_freq and sparse are "
                                  "not in lazytensor yet")
    out = weight[input]
    if padding_idx is not None:
        if padding_idx < 0:
            padding_idx += weight.shape[0]
        out = where((input == padding_idx).unsqueeze(-1), out.detach(), out)
    return out


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)), each log at least -100, as PyTorch clamps it."""
    loss = -(target * input.log().clamp(min=-100) +
             (1 - target) * (1 - input).log().clamp(min=-100))
    return _reduce(loss if weight is None else loss * weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """The loss of sigmoid(input) against target, computed stably (PyTorch's formula)."""
    if pos_weight is not None:
        scale = 1 + (pos_weight - 1) * target
        loss = (1 - target) * input + scale * ((-input.abs()).exp().log1p() +
                                               (-input).clamp(min=0))
    else:
        top = (-input).clamp(min=0)
        loss = (1 - target) * input + top + ((-top).exp() + (-input - top).exp()).log()
    return _reduce(loss if weight is None else loss * weight, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean",
                   beta=1.0):
    d = (input - target).abs()
    if beta == 0:
        return _reduce(d, reduction)
    return _reduce(where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    d = (input - target).abs()
    return _reduce(where(d <= delta, 0.5 * d * d, delta * (d - 0.5 * delta)), reduction)


def l1_loss(input, target, reduction="mean"):
    return _reduce((input - target).abs(), reduction)


def dropout(x, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1 / (1 - p), as PyTorch's
    CPU dropout draws it (a Bernoulli(1 - p) mask, divided by 1 - p, times x)."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return x
    if p == 1:
        return x.mul_(0) if inplace else x * 0
    noise = x.new_empty(x.shape).bernoulli_(1 - p)
    noise = noise / (1 - p)
    return x.mul_(noise) if inplace else x * noise


def one_hot(x, num_classes=-1):
    """An int64 tensor with a trailing dim of num_classes, 1 at each index."""
    if not isinstance(x, Tensor) or x.dtype is not dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = x.numpy()
    if num_classes == -1:
        num_classes = int(values.max()) + 1 if values.size else 0
    if values.size and values.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if values.size and values.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (values[..., None] == np.arange(num_classes)).astype(np.int64)
    return tensor_from_values(out, dtypes.int64, x.device)


def linear(x, weight, bias=None):
    out = x @ weight.t() if weight.ndim == 2 else x @ weight
    return out if bias is None else out + bias


def _additive(mask, like):
    """A boolean mask (True: attend) as 0 / -inf to add to the scores; a float mask as is."""
    if mask.dtype is bool_:
        return zeros_like(like).masked_fill(mask.logical_not(), float("-inf"))
    return mask


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(q k^T * scale + mask) v over the last two dims; scale 1/sqrt(E) by default;
    is_causal: position i attends to positions <= i; a boolean attn_mask is True where
    attention is allowed."""
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be "
                           "set when is_causal=True")
    if enable_gqa and key.shape[-3] != query.shape[-3]:
        repeat = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(repeat, -3)
        value = value.repeat_interleave(repeat, -3)
    L, S = query.shape[-2], key.shape[-2]
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = query @ key.transpose(-2, -1) * scale
    if is_causal:
        allowed = ones((L, S), dtype=bool_, device=query.device).tril()
        scores = scores.masked_fill(allowed.logical_not(), float("-inf"))
    if attn_mask is not None:
        scores = scores + _additive(attn_mask, scores)
    weights = softmax(scores, -1)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p)
    return weights @ value
