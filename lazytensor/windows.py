"""Window functions (torch.hann_window, hamming_window, blackman_window, bartlett_window,
kaiser_window), composed of arange and pointwise ops in the order PyTorch's factories
apply them, so float32 windows round where PyTorch's do. A periodic window of length L is
the symmetric window of length L + 1 without its last point."""
import math

from . import dtypes, ops
from .creation import arange, empty, full, ones
from .movement import cat
from .pointwise_more import i0


def _checks(name, window_length, dtype):
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if not d.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions("
                           f"dtype={ops.c_type_name(d)}, device=cpu, layout=Strided (default), "
                           f"requires_grad=false (default), pinned_memory=false, "
                           f"memory_format=(nullopt))")
    return d


def _window(name, window_length, periodic, dtype, device, requires_grad, body):
    """The trivial lengths (0: empty, 1: [1]), else body(points, length) over the
    symmetric length, cut back for a periodic window."""
    d = _checks(name, window_length, dtype)
    if window_length <= 1:
        make = empty if window_length == 0 else ones
        return make(window_length, dtype=d, device=device, requires_grad=requires_grad)
    length = window_length + 1 if periodic else window_length
    window = body(arange(length, dtype=d, device=device), length)
    if periodic:
        window = window[:window_length]
    return window.requires_grad_() if requires_grad else window


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, pin_memory=False, requires_grad=False):
    """alpha - beta cos(2 pi n / (N - 1))."""
    return _window("hamming_window", window_length, periodic, dtype, device, requires_grad,
                   lambda n, length: (n * (math.pi * 2.0 / (length - 1))).cos() * -beta + alpha)


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                pin_memory=False, requires_grad=False):
    """The Hamming window with alpha = beta = 1/2: sin^2(pi n / (N - 1))."""
    _checks("hann_window", window_length, dtype)
    return hamming_window(window_length, periodic, 0.5, 0.5, dtype=dtype, device=device,
                          requires_grad=requires_grad)


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))."""
    def body(n, length):
        w = n * (math.pi / (length - 1))
        return (w * 4).cos() * 0.08 - (w * 2).cos() * 0.5 + 0.42
    return _window("blackman_window", window_length, periodic, dtype, device, requires_grad,
                   body)


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """The triangle 2n / (N - 1) rising, then 2 - 2n / (N - 1) falling."""
    def body(n, length):
        w = n * (2.0 / (length - 1))
        rising = ((length - 1) >> 1) + 1
        return w.where(n < rising, w * -1 + 2)
    return _window("bartlett_window", window_length, periodic, dtype, device, requires_grad,
                   body)


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, pin_memory=False, requires_grad=False):
    """i0(beta sqrt(1 - ((n - a) / a)^2)) / i0(beta), a = (N - 1) / 2."""
    def body(n, length):
        a = (length - 1) / 2.0
        ratio = (n.double() - a) / a
        value = i0(beta * (1 - ratio * ratio).sqrt()) / i0(ones((), dtype=dtypes.float64) *
                                                           beta)
        return value.to(n.dtype)
    return _window("kaiser_window", window_length, periodic, dtype, device, requires_grad,
                   body)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a vector: columns x^(N-1), ..., x^0 (reversed when
    increasing), the powers as a running product; dtype at least int64."""
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x._shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    d = dtypes.promote_types(x.dtype, dtypes.int64)
    first = ones((x._shape[0], min(n, 1)), dtype=d, device=x.device)
    if n > 1:
        powers = x.to(d).unsqueeze(1).expand(x._shape[0], n - 1).cumprod(1)
        result = cat([first, powers], 1)
    else:
        result = first
    return result if increasing else result.flip(1)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, pin_memory=False,
                  requires_grad=False):
    """A 0-dim tensor holding s, of the default float dtype unless dtype says otherwise."""
    d = dtypes.to_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    return full((), s, dtype=d, device=device, requires_grad=requires_grad)
