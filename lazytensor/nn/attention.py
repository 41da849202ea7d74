"""nn.MultiheadAttention, composed of matrix products, masks and softmax (PyTorch's math
formulation, its path when attention weights are returned)."""
import math

from ..creation import empty, ones, zeros_like
from ..dtypes import bool_
from ..reductions import softmax
from . import init
from .functional import dropout as _dropout
from .module import Module
from .modules import Linear
from .parameter import Parameter


class NonDynamicallyQuantizableLinear(Linear):
    """The out projection of MultiheadAttention (a Linear; the name is PyTorch's)."""


class MultiheadAttention(Module):
    """Attention over num_heads heads of embed_dim / num_heads features each. Parameters
    drawn as PyTorch draws them: the out projection as a Linear, then the input projection
    (Xavier uniform), both biases zero."""

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got "
                             f"embed_dim={embed_dim} and num_heads={num_heads} instead")
        if add_bias_kv or add_zero_attn:
            raise NotImplementedError("MultiheadAttention's add_bias_kv and add_zero_attn are "
                                      "not in lazytensor yet")
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads, self.dropout, self.batch_first = num_heads, dropout, batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        kw = dict(device=device, dtype=dtype)
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty((3 * embed_dim, embed_dim), **kw))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(empty((embed_dim, embed_dim), **kw))
            self.k_proj_weight = Parameter(empty((embed_dim, self.kdim), **kw))
            self.v_proj_weight = Parameter(empty((embed_dim, self.vdim), **kw))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, **kw))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, **kw)
        self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)

    def _projections(self, query, key, value):
        E = self.embed_dim
        if self._qkv_same_embed_dim:
            w = (self.in_proj_weight[:E], self.in_proj_weight[E:2 * E],
                 self.in_proj_weight[2 * E:])
        else:
            w = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        b = (None,) * 3 if self.in_proj_bias is None else \
            (self.in_proj_bias[:E], self.in_proj_bias[E:2 * E], self.in_proj_bias[2 * E:])
        return [x @ wi.t() + bi if bi is not None else x @ wi.t()
                for x, wi, bi in zip((query, key, value), w, b)]

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        batched = query.ndim == 3
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif self.batch_first:
            query, key, value = (x.transpose(0, 1) for x in (query, key, value))
        L, N, E = query.shape
        S, H, hd = key.shape[0], self.num_heads, self.head_dim
        if E != self.embed_dim:
            raise AssertionError(f"was expecting embedding dimension of {self.embed_dim}, "
                                 f"but got {E}")
        q, k, v = self._projections(query, key, value)
        q = q.reshape(L, N * H, hd).transpose(0, 1)
        k = k.reshape(S, N * H, hd).transpose(0, 1)
        v = v.reshape(S, N * H, hd).transpose(0, 1)
        mask = None
        if attn_mask is not None:       # here True means "do not attend", as in PyTorch
            mask = attn_mask if attn_mask.dtype is not bool_ else zeros_like(
                attn_mask, dtype=q.dtype).masked_fill(attn_mask, float("-inf"))
            if mask.ndim == 2:
                mask = mask.unsqueeze(0)
        if key_padding_mask is not None:
            pad = key_padding_mask if key_padding_mask.dtype is not bool_ else zeros_like(
                key_padding_mask, dtype=q.dtype).masked_fill(key_padding_mask, float("-inf"))
            pad = pad.reshape(N, 1, 1, S).expand(N, H, 1, S).reshape(N * H, 1, S)
            mask = pad if mask is None else mask + pad
        if is_causal and mask is None:
            mask = zeros_like(q[:1, :, :1].expand(1, L, S)).masked_fill(
                ones((L, S), dtype=bool_, device=q.device).tril().logical_not(),
                float("-inf"))
        scores = (q * math.sqrt(1.0 / hd)) @ k.transpose(-2, -1)
        if mask is not None:
            scores = scores + mask
        weights = softmax(scores, -1)
        if self.dropout > 0 and self.training:
            weights = _dropout(weights, self.dropout)
        out = (weights @ v).transpose(0, 1).reshape(L * N, E)
        out = self.out_proj(out).reshape(L, N, E)
        if not batched:
            out = out.squeeze(1)
        elif self.batch_first:
            out = out.transpose(0, 1)
        if not need_weights:
            return out, None
        weights = weights.reshape(N, H, L, S)
        if average_attn_weights:
            weights = weights.mean(1)
        return out, weights if batched else weights.squeeze(0)
