"""torch.fft: discrete Fourier transforms as NumPy extern nodes over its pocketfft
(numpy.fft), which explain() lists; fftfreq/rfftfreq and fftshift/ifftshift are compositions
of ordinary ops (arange, arithmetic, roll), so they fuse and compile as everything else.

A transform's input is promoted as PyTorch promotes it: integers and bools to the default
float dtype, then real to complex for the complex transforms (float32 -> complex64, float64
-> complex128); float16 and bfloat16 are refused as on PyTorch's CPU. NumPy transforms
float32/complex64 in single precision, as PyTorch's CPU does.
"""
import math

import numpy as np

from . import dtypes, graph, ops
from .complex_numbers import check_no_grad
from .creation import arange
from .out import write_out
from .tensor import Tensor, wrap

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2",
           "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "fftfreq", "rfftfreq", "fftshift",
           "ifftshift"]

_NORMS = (None, "backward", "ortho", "forward")


def _check_input(name, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"fft_{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    if x.dtype in (dtypes.float16, dtypes.bfloat16):
        raise RuntimeError(f"Unsupported dtype {ops.torch_name(x.dtype)}")
    check_no_grad([x], f"torch.fft.{name}")
    if x.device.type != "cpu":
        raise NotImplementedError(f"lazytensor: torch.fft.{name} runs NumPy's pocketfft on "
                                  "the CPU only; move the tensor with .cpu()")


def _check_norm(norm):
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def _check_points(n):
    if n is not None and n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _real_input(name, x):
    """x as the real dtype a real-to-complex transform reads (integers: the default float)."""
    if x.dtype.is_complex:
        # (the n-dimensional ones say so in other words)
        what, name = ("real-valued", "rfftn") if name in ("rfftn", "rfft2") else ("real", name)
        raise RuntimeError(f"{name} expects a {what} input tensor, but got "
                           f"{ops.torch_name(x.dtype)}")
    return x if x.dtype.is_floating_point else x.to(dtypes.get_default_dtype())


def _complex_dtype(x):
    """The complex dtype of a transform of x (its own if complex)."""
    if x.dtype.is_complex:
        return x.dtype
    return dtypes.to_complex(x.dtype if x.dtype.is_floating_point else
                             dtypes.get_default_dtype())


def _dims_and_sizes(x, s, dim, name):
    """(dims, sizes or None) for an n-dimensional transform, with PyTorch's checks: dim
    defaults to the last len(s) dims (every dim when s is None too)."""
    if s is not None and dim is not None and len(s) != len(dim):
        raise RuntimeError("When given, dim and shape arguments must have the same length")
    if dim is None:
        count = x.ndim if s is None else len(s)
        if count > x.ndim:
            raise RuntimeError(f"Got shape with {count} values but input tensor only has "
                               f"{x.ndim} dimensions.")
        dims = tuple(range(x.ndim - count, x.ndim))
    else:
        dims = tuple(ops.normalize_dim(d, x.ndim) for d in
                     ((dim,) if isinstance(dim, int) else dim))
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:       # -1: that dim's own size
        s = tuple(x._shape[d] if int(n) == -1 else int(n) for n, d in zip(s, dims))
    return dims, s


def _extern(name, fn, x, dtype, shape):
    return wrap(graph.extern(f"fft.{name}", fn, dtype, tuple(shape), (x._node,)), x.device)


def _transform(name, x, s, dims, norm, kind):
    """One numpy.fft call over dims with sizes s: kind is 'c2c', 'c2c_inverse', 'r2c',
    'c2r' (the n-dimensional numpy function of that kind runs once)."""
    _check_norm(norm)
    if kind in ("c2c", "c2c_inverse"):
        out = _complex_dtype(x)
        src_np = out.np_storage
        fn = np.fft.fftn if kind == "c2c" else np.fft.ifftn
    elif kind == "r2c":
        x = _real_input(name, x)
        out = dtypes.to_complex(x.dtype)
        src_np = x.dtype.np_storage
        fn = np.fft.rfftn
    else:
        out = dtypes.to_real(_complex_dtype(x))
        src_np = dtypes.to_complex(out).np_storage
        fn = np.fft.irfftn
    # the signal length along each dim (NumPy's `s`): for c2r the real output's, by default
    # 2 * (size - 1) along the last dim; the result has them, but r2c's last dim n // 2 + 1
    lengths = [s[k] if s is not None else x._shape[d] for k, d in enumerate(dims)]
    if kind == "c2r" and s is None:
        lengths[-1] = 2 * (x._shape[dims[-1]] - 1)
    for n in lengths:
        _check_points(n)
    sizes = list(x._shape)
    for d, n in zip(dims, lengths):
        sizes[d] = n
    if kind == "r2c":
        sizes[dims[-1]] = lengths[-1] // 2 + 1
    norm_np = "backward" if norm is None else norm
    np_out = out.np_storage

    def run(a):
        if not dims:
            return a.astype(np_out)
        return fn(a.astype(src_np, copy=False), s=lengths, axes=dims,
                  norm=norm_np).astype(np_out, copy=False)
    return _extern(name, run, x, out, sizes)


def _one_dim(name, kind, x, n, dim, norm):
    _check_input(name, x)
    _check_points(n)
    if x.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = ops.normalize_dim(dim, x.ndim)
    return _transform(name, x, None if n is None else (int(n),), (d,), norm, kind)


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """The 1-D discrete Fourier transform along dim (zero-padded or trimmed to n)."""
    return _out(_one_dim("fft", "c2c", input, n, dim, norm), out)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    return _out(_one_dim("ifft", "c2c_inverse", input, n, dim, norm), out)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The transform of real input: the n // 2 + 1 non-negative frequencies."""
    return _out(_one_dim("rfft", "r2c", input, n, dim, norm), out)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """rfft's inverse: n real values (default 2 * (input's size - 1))."""
    return _out(_one_dim("irfft", "c2r", input, n, dim, norm), out)


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The transform of a Hermitian-symmetric signal given by its first half: real output,
    irfft of the conjugate with the forward/backward normalisations swapped."""
    _check_input("hfft", input)
    _check_norm(norm)
    swapped = {None: "forward", "backward": "forward", "forward": "backward",
               "ortho": "ortho"}[norm]
    x = input.conj() if input.dtype.is_complex else input
    return _out(_one_dim("hfft", "c2r", x, n, dim, swapped), out)


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """hfft's inverse: the conjugate of rfft with the normalisations swapped."""
    _check_input("ihfft", input)
    _check_norm(norm)
    swapped = {None: "forward", "backward": "forward", "forward": "backward",
               "ortho": "ortho"}[norm]
    return _out(_one_dim("ihfft", "r2c", input, n, dim, swapped).conj(), out)


def _n_dim(name, kind, x, s, dim, norm):
    _check_input(name, x)
    dims, s = _dims_and_sizes(x, s, dim, name)
    if kind in ("r2c", "c2r") and not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    return _transform(name, x, s, dims, norm, kind)


def fftn(input, s=None, dim=None, norm=None, *, out=None):
    return _out(_n_dim("fftn", "c2c", input, s, dim, norm), out)


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    return _out(_n_dim("ifftn", "c2c_inverse", input, s, dim, norm), out)


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    return _out(_n_dim("rfftn", "r2c", input, s, dim, norm), out)


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    return _out(_n_dim("irfftn", "c2r", input, s, dim, norm), out)


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return _out(_n_dim("fft2", "c2c", input, s, dim, norm), out)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return _out(_n_dim("ifft2", "c2c_inverse", input, s, dim, norm), out)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return _out(_n_dim("rfft2", "r2c", input, s, dim, norm), out)


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return _out(_n_dim("irfft2", "c2r", input, s, dim, norm), out)


def _out(result, out):
    if out is None:
        return result
    return write_out(out, result)


# -- frequencies and shifts (compositions) ------------------------------------------------
def _frequencies(name, n, d, dtype, device, requires_grad, half):
    d_ = dtypes.to_dtype(dtype, name) if dtype is not None else dtypes.get_default_dtype()
    if not (d_.is_floating_point or d_.is_complex):
        raise RuntimeError(f"{name} requires a floating point or complex dtype")
    if d_.is_complex:       # PyTorch's arange has no complex kernel
        raise ops.not_implemented("arange_cpu", d_)
    n = int(n)
    count = n // 2 + 1 if half else n
    k = arange(count, dtype=d_, device=device)
    if not half:
        # indices from (n + 1) // 2 on stand for the negative frequencies k - n
        k = k - (k >= (n + 1) // 2).to(d_) * n
    # 1 / 0 is inf in PyTorch's C++ (rfftfreq(0) is [nan])
    result = k * (1.0 / (n * d) if n * d else math.inf)
    if requires_grad:
        result.requires_grad_(True)
    return result


def fftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The sample frequencies of an n-point transform: [0, 1, ..., -2, -1] / (n * d)."""
    return _frequencies("fftfreq", n, d, dtype, device, requires_grad, False)


def rfftfreq(n, d=1.0, *, dtype=None, layout=None, device=None, requires_grad=False):
    """The non-negative frequencies of an n-point real transform: [0, ..., n // 2] / (n * d)."""
    return _frequencies("rfftfreq", n, d, dtype, device, requires_grad, True)


def _shift(input, dim, sign):
    dims = tuple(range(input.ndim)) if dim is None else \
        ((dim,) if isinstance(dim, int) else tuple(dim))
    if not dims:
        return input
    shifts = tuple(sign * (input._shape[ops.normalize_dim(d, input.ndim)] // 2) for d in dims)
    return input.roll(shifts, dims)


def fftshift(input, dim=None):
    """The zero frequency moved to the middle: a roll by size // 2 along each dim."""
    return _shift(input, dim, 1)


def ifftshift(input, dim=None):
    """fftshift's inverse: a roll by -(size // 2)."""
    return _shift(input, dim, -1)
