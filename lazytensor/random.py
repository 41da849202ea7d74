"""Random number generation bit-compatible with PyTorch's CPU generator.

Everything here reproduces, with numpy, what ATen does on the CPU (checked
against torch 2.13 on x86-64 with AVX2/AVX512, the usual case):

* Engine (``aten/src/ATen/core/MT19937RNGEngine.h``): a plain MT19937.  The
  seed is a uint64 (kept for ``initial_seed``) but only its low 32 bits go
  through Matsumoto-Nishimura ``init_genrand``.  We build that 624-word key
  ourselves and hand it to ``numpy.random.MT19937`` (with ``pos=624`` so the
  first draw regenerates the key, as ATen does), then use ``random_raw``.
* ``random()`` is one 32-bit output and ``random64()``
  (``aten/src/ATen/CPUGeneratorImpl.cpp``) is ``(first << 32) | second``.
* Uniform floats (``aten/src/ATen/core/TransformationHelper.h``,
  ``uniform_real``): ``(bits & (2**digits - 1)) * 2**-digits`` where digits is
  24 for float (one 32-bit draw) and 53 for double (one 64-bit draw), then
  ``x * (to - from) + from``.  PyTorch's build contracts that into a fused
  multiply-add, so we emulate an exact FMA.  Half and bfloat16 are drawn as
  float (``opmath`` type) and then rounded; a value that rounds up to ``to``
  is replaced by ``from`` (``aten/src/ATen/native/cpu/DistributionTemplates.h``).
* Normal (``DistributionTemplates.h``, ``normal_kernel``/``normal_fill``): if
  numel >= 16 (a fresh tensor is always contiguous), first fill all numel
  elements with uniforms, then run Box-Muller on blocks of 16 (u1 = 1 - x[j],
  u2 = x[j+8] for j < 8; cos goes to j and sin to j+8).  If numel % 16 != 0
  the last 16 elements are redrawn (16 more uniforms) and transformed again.
  For float32 the AVX2 kernel is used (``normal_stub`` is registered with
  ``REGISTER_NO_AVX512_DISPATCH`` in ``DistributionKernels.cpp``) with the
  Cephes-style ``log256_ps``/``sincos256_ps`` of
  ``aten/src/ATen/native/cpu/avx_mathfun.h``, which we re-create in float32
  including the multiply-adds that the compiler fused.  Half/bfloat16 use the
  same float kernel block by block (so they consume
  16*ceil(numel/16) draws, not numel + 16), and double uses the libm
  functions (via ``math``).  Below 16 elements it is the scalar
  ``normal_distribution<double>`` of ``aten/src/ATen/core/DistributionsHelper.h``:
  u1, u2 are double uniforms (two 64-bit draws), r = sqrt(-2 log1p(-u2)),
  theta = 2 pi u1, returns r cos(theta) and caches r sin(theta) in the
  generator for the next scalar-path sample.  ``manual_seed`` clears the cache.
* Integers: ``random_(from, to)`` (``DistributionsHelper.h``,
  ``uniform_int_from_to_distribution``) uses ``random() % range`` when
  range < 2**28 and ``random64() % range`` otherwise; ``random_()`` uses
  ``random64()`` for int64/double and ``random()`` otherwise, modulo
  ``max + 1`` (ints), ``2**digits + 1`` (floats), ``& 1`` (bool).
* ``randperm`` (``aten/src/ATen/native/TensorFactories.cpp``): for
  n < 4294967295 // 20 a forward Fisher-Yates with ``random() % (n - i)``;
  above that the "inside-out" variant with ``random64() % (i + 1)``.

Not reproduced: PyTorch builds without AVX2 (``ATEN_CPU_CAPABILITY=default``
or non-x86 CPUs) run a scalar float32 Box-Muller for ``randn`` of >= 16
float32/half/bfloat16 elements, which differs from the AVX2 kernel in the last
bit of some values.  Float64 normals use the platform libm (through ``math``),
as PyTorch does.
"""

import math
import os
import struct

import numpy as np

__all__ = [
    "Generator",
    "default_generator",
    "manual_seed",
    "initial_seed",
    "seed",
    "get_rng_state",
    "set_rng_state",
    "uniform",
    "normal",
    "randint",
    "random_",
    "randperm",
]

DEFAULT_SEED = 67280421310721  # c10::detail::default_rng_seed_val
_MT_N = 624
_U64 = (1 << 64) - 1

_FLOAT_DTYPES = ("float32", "float64", "float16", "bfloat16")
_INT_DTYPES = ("int64", "int32", "int16", "int8", "uint8", "bool")
_NP_DTYPE = {
    "float32": np.float32,
    "float64": np.float64,
    "float16": np.float16,
    "bfloat16": np.float32,  # stored as float32 holding bfloat16 values
    "int64": np.int64,
    "int32": np.int32,
    "int16": np.int16,
    "int8": np.int8,
    "uint8": np.uint8,
    "bool": np.bool_,
}
# std::numeric_limits<T>::digits for floating types
_DIGITS = {"float32": 24, "float64": 53, "float16": 11, "bfloat16": 8}


def _check_dtype(dtype):
    """Normalise a dtype given as a name (or an object with a ``name``)."""
    name = dtype if isinstance(dtype, str) else getattr(dtype, "name", None)
    if not isinstance(name, str):
        name = str(dtype)
    name = name.rsplit(".", 1)[-1]
    if name == "bool_":
        name = "bool"
    aliases = {"float": "float32", "double": "float64", "half": "float16",
               "long": "int64", "int": "int32", "short": "int16"}
    name = aliases.get(name, name)
    if name not in _NP_DTYPE:
        raise TypeError("unsupported dtype %r" % (dtype,))
    return name


def _numel(shape):
    n = 1
    for s in shape:
        if s < 0:
            raise ValueError("negative dimension %d" % s)
        n *= int(s)
    return n


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


# ----------------------------------------------------------------------------
# Generator
# ----------------------------------------------------------------------------

def _init_genrand(seed32):
    key = [0] * _MT_N
    s = seed32 & 0xFFFFFFFF
    key[0] = s
    for j in range(1, _MT_N):
        s = (1812433253 * (s ^ (s >> 30)) + j) & 0xFFFFFFFF
        key[j] = s
    return np.array(key, dtype=np.uint32)


def _nondeterministic_seed():
    return int.from_bytes(os.urandom(8), "little")


class Generator:
    """Counterpart of ``torch.Generator()`` on the CPU (an MT19937)."""

    _STATE_FMT = "<4sQi?f?d"  # magic, seed, pos, has_f, f, has_d, d
    # the device argument's name; the package installs device.generator_device (its checks
    # and PyTorch's errors), this file being loadable on its own
    _device_name = staticmethod(str)

    def __init__(self, device="cpu", *, seed=DEFAULT_SEED):
        self._device = self._device_name(device)  # the package shows it as a lazytensor.device
        self._bg = np.random.MT19937()
        self.manual_seed(seed)

    # -- seeding -----------------------------------------------------------
    def manual_seed(self, seed):
        seed = int(seed)
        if seed < -(1 << 63) or seed > _U64:
            raise RuntimeError("Overflow when unpacking long long")
        seed &= _U64  # negative seeds wrap to uint64 like PyTorch
        self._seed = seed
        self._bg.state = {
            "bit_generator": "MT19937",
            "state": {"key": _init_genrand(seed), "pos": _MT_N},
        }
        self._next_float_normal = None
        self._next_double_normal = None
        return self

    def initial_seed(self):
        return self._seed

    def seed(self):
        s = _nondeterministic_seed()
        self.manual_seed(s)
        return s

    # -- state -------------------------------------------------------------
    def get_state(self):
        st = self._bg.state["state"]
        head = struct.pack(
            self._STATE_FMT, b"LTMT", self._seed, int(st["pos"]),
            self._next_float_normal is not None,
            0.0 if self._next_float_normal is None else self._next_float_normal,
            self._next_double_normal is not None,
            0.0 if self._next_double_normal is None else self._next_double_normal,
        )
        return head + np.asarray(st["key"], dtype="<u4").tobytes()

    def set_state(self, state):
        state = bytes(np.asarray(state, dtype=np.uint8)) if not isinstance(
            state, (bytes, bytearray)) else bytes(state)
        hs = struct.calcsize(self._STATE_FMT)
        if len(state) != hs + 4 * _MT_N:
            raise RuntimeError("invalid generator state")
        magic, seed, pos, has_f, f, has_d, d = struct.unpack(
            self._STATE_FMT, state[:hs])
        if magic != b"LTMT" or not 0 <= pos <= _MT_N:
            raise RuntimeError("invalid generator state")
        key = np.frombuffer(state[hs:], dtype="<u4").astype(np.uint32)
        self._bg.state = {"bit_generator": "MT19937",
                          "state": {"key": key, "pos": pos}}
        self._seed = seed
        self._next_float_normal = f if has_f else None
        self._next_double_normal = d if has_d else None
        return self

    def __repr__(self):
        return "<lazytensor.random.Generator seed=%d>" % self._seed

    # -- raw draws ---------------------------------------------------------
    def _random32(self, n):
        """n successive ``random()`` outputs as uint32."""
        if n <= 0:
            return np.empty(0, dtype=np.uint32)
        return self._bg.random_raw(n).astype(np.uint32)

    def _random64(self, n):
        """n successive ``random64()`` outputs as uint64."""
        if n <= 0:
            return np.empty(0, dtype=np.uint64)
        raw = self._bg.random_raw(2 * n).reshape(n, 2)
        return (raw[:, 0] << np.uint64(32)) | raw[:, 1]


default_generator = Generator()
default_generator.seed()  # PyTorch seeds the default CPU generator randomly


def manual_seed(seed):
    return default_generator.manual_seed(seed)


def initial_seed():
    return default_generator.initial_seed()


def seed():
    return default_generator.seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(state):
    default_generator.set_state(state)


def _finish(arr, shape, dtype):
    """Fresh C-contiguous array of the requested shape and numpy dtype."""
    arr = np.asarray(arr)
    if arr.dtype != _NP_DTYPE[dtype]:
        arr = arr.astype(_NP_DTYPE[dtype])
    arr = arr.reshape(shape)
    if not arr.flags["C_CONTIGUOUS"]:
        arr = arr.copy(order="C")
    return arr


def _gen(gen):
    return default_generator if gen is None else gen


# ----------------------------------------------------------------------------
# Exact float helpers
# ----------------------------------------------------------------------------

def _two_sum(a, b):
    s = a + b
    bb = s - a
    err = (a - (s - bb)) + (b - bb)
    return s, err


def _split(a):
    t = 134217729.0 * a  # 2**27 + 1
    hi = t - (t - a)
    return hi, a - hi


def _two_prod(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, err


def _add_round_odd(a, b):
    """a + b rounded to odd (float64 arrays)."""
    s, err = _two_sum(a, b)
    inexact = (err != 0) & ((s.view(np.int64) & 1) == 0) & np.isfinite(s)
    if inexact.any():
        toward = np.where(err > 0, np.inf, -np.inf)
        s = np.where(inexact, np.nextafter(s, toward), s)
    return s


def _fma64(a, b, c):
    """Correctly rounded a*b + c for float64 arrays (Boldo-Melquiond)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    with np.errstate(all="ignore"):
        uh, ul = _two_prod(a, b)
        th, tl = _two_sum(c, uh)
        v = _add_round_odd(tl, ul)
        res = th + v
        # fall back to the plain formula where the splitting is unsafe
        plain = a * b + c
        bad = ~np.isfinite(res) | ~np.isfinite(uh) | (np.abs(a) > 1e290) | (np.abs(b) > 1e290)
        if np.any(bad):
            res = np.where(bad, plain, res)
    return res


def _fma32(a, b, c):
    """Correctly rounded a*b + c for float32 arrays (fused multiply-add)."""
    p = np.asarray(a, dtype=np.float32).astype(np.float64) * np.asarray(
        b, dtype=np.float32).astype(np.float64)  # exact
    with np.errstate(all="ignore"):
        s = _add_round_odd(p, np.asarray(c, dtype=np.float32).astype(np.float64))
    return s.astype(np.float32)


def _to_bfloat16(x):
    """Round float32 values to bfloat16 (nearest-even), returned as float32."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    bits = x.view(np.uint32)
    with np.errstate(over="ignore"):
        rounded = ((bits + (np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))))
                   & np.uint32(0xFFFF0000))
    rounded = np.where(np.isnan(x), np.uint32(0x7FC00000), rounded).astype(np.uint32)
    return rounded.view(np.float32)


def _cast_from_float(x32, dtype):
    """static_cast<scalar_t>(float) for floating dtypes."""
    if dtype == "float32":
        return x32.astype(np.float32)
    if dtype == "float16":
        with np.errstate(over="ignore"):
            return x32.astype(np.float16)
    if dtype == "bfloat16":
        return _to_bfloat16(x32)
    if dtype == "float64":
        return x32.astype(np.float64)
    raise TypeError(dtype)


def _cast_from_double(x64, dtype):
    """static_cast<scalar_t>(double); Half/BFloat16 go through float."""
    if dtype == "float64":
        return x64.astype(np.float64)
    with np.errstate(over="ignore"):
        return _cast_from_float(x64.astype(np.float32), dtype)


# ----------------------------------------------------------------------------
# uniform
# ----------------------------------------------------------------------------

_TWO_M24 = np.float32(2.0 ** -24)
_MASK53 = np.uint64((1 << 53) - 1)


def _uniform_float(gen, n):
    """n draws of uniform_real_distribution<float>(0, 1)."""
    r = gen._random32(n)
    return (r & np.uint32(0xFFFFFF)).astype(np.float32) * _TWO_M24


def _uniform_double(gen, n):
    """n draws of uniform_real_distribution<double>(0, 1)."""
    r = gen._random64(n)
    return (r & _MASK53).astype(np.float64) * (2.0 ** -53)


def uniform(gen, shape, dtype="float32", low=0.0, high=1.0):
    """``torch.rand`` / ``Tensor.uniform_(low, high)``."""
    gen = _gen(gen)
    dtype = _check_dtype(dtype)
    shape = _shape(shape)
    n = _numel(shape)
    if dtype not in _FLOAT_DTYPES:
        raise TypeError("uniform_ expects a floating point dtype, got %s" % dtype)
    low = float(low)
    high = float(high)
    if not low <= high:
        raise RuntimeError("uniform_ expects to return a [from, to) range, but found "
                           "from=%s > to=%s" % (low, high))
    if dtype == "float64":
        x = _uniform_double(gen, n)
        if low == 0.0 and high == 1.0:
            out = x
        else:
            out = _fma64(x, high - low, low)
            out = np.where(out == high, low, out)
        return _finish(out, shape, "float64")
    f = np.float32(low)
    t = np.float32(high)
    x = _uniform_float(gen, n)
    if f == 0 and t == 1:
        v = x
    else:
        with np.errstate(over="ignore"):
            v = _fma32(x, np.float32(t - f), f)
    out = _cast_from_float(v, dtype)
    # clamp values that rounded up to the (exclusive) upper bound
    to_s = _cast_from_float(np.array([high], dtype=np.float64).astype(np.float32), dtype)[0]
    from_s = _cast_from_float(np.array([low], dtype=np.float64).astype(np.float32), dtype)[0]
    hit = out == to_s
    if hit.any():
        out = np.where(hit, from_s, out)
    return _finish(out, shape, dtype)


# ----------------------------------------------------------------------------
# normal
# ----------------------------------------------------------------------------

def _f32(v):
    return np.float32(v)


_SQRTHF = _f32(0.707106781186547524)
_LOG_P = [_f32(v) for v in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1,
                            -1.2420140846E-1, 1.4249322787E-1, -1.6668057665E-1,
                            2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_LOG_Q1 = _f32(-2.12194440e-4)
_LOG_Q2 = _f32(0.693359375)
_DP1 = _f32(-0.78515625)
_DP2 = _f32(-2.4187564849853515625e-4)
_DP3 = _f32(-3.77489497744594108e-8)
_SIN_P = [_f32(v) for v in (-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1)]
_COS_P = [_f32(v) for v in (2.443315711809948E-005, -1.388731625493765E-003,
                            4.166664568298827E-002)]
_FOPI = _f32(1.27323954473516)
_ONE = _f32(1.0)
_HALF = _f32(0.5)
_TWO_PI_F = _f32(2.0 * math.pi)
_MIN_NORM = np.uint32(0x00800000).view(np.float32)


def _log256(x):
    """Emulates avx_mathfun.h ``log256_ps`` (as compiled, with FMAs)."""
    x = np.asarray(x, dtype=np.float32)
    invalid = x <= 0
    x = np.where(x > _MIN_NORM, x, _MIN_NORM).astype(np.float32)
    bits = x.view(np.uint32)
    imm0 = (bits >> np.uint32(23)).astype(np.int32) - np.int32(0x7F)
    x = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(np.float32)
    e = imm0.astype(np.float32) + _ONE
    mask = x < _SQRTHF
    tmp = np.where(mask, x, _f32(0.0)).astype(np.float32)
    x = x - _ONE
    e = e - np.where(mask, _ONE, _f32(0.0)).astype(np.float32)
    x = x + tmp
    z = x * x
    y = np.full_like(x, _LOG_P[0])
    for p in _LOG_P[1:]:
        y = _fma32(y, x, p)
    y = y * x
    y = _fma32(y, z, e * _LOG_Q1)
    y = _fma32(-z, _HALF, y)
    x = _fma32(e, _LOG_Q2, x + y)
    if invalid.any():
        x = np.where(invalid, np.uint32(0xFFFFFFFF).view(np.float32), x)
    return x.astype(np.float32)


def _sincos256(x):
    """Emulates avx_mathfun.h ``sincos256_ps`` (as compiled, with FMAs)."""
    x = np.asarray(x, dtype=np.float32)
    xb = x.view(np.uint32)
    sign_sin = xb & np.uint32(0x80000000)
    x = (xb & np.uint32(0x7FFFFFFF)).view(np.float32)
    y = x * _FOPI
    with np.errstate(invalid="ignore"):
        j = np.trunc(y)
        big = ~(np.abs(j) < 2147483648.0)
        j = np.where(big, -2147483648.0, j).astype(np.int64).astype(np.int32)
    j = (j + np.int32(1)) & np.int32(~1)
    y = j.astype(np.float32)
    swap_sin = ((j & np.int32(4)).astype(np.uint32) << np.uint32(29))
    poly_mask = (j & np.int32(2)) == 0
    x = _fma32(y, _DP1, x)
    x = _fma32(y, _DP2, x)
    x = _fma32(y, _DP3, x)
    jc = (~(j - np.int32(2))) & np.int32(4)
    sign_cos = jc.astype(np.uint32) << np.uint32(29)
    sign_sin = sign_sin ^ swap_sin
    z = x * x
    yc = _fma32(np.full_like(z, _COS_P[0]), z, _COS_P[1])
    yc = _fma32(yc, z, _COS_P[2])
    yc = yc * z
    yc = _fma32(yc, z, -(z * _HALF))
    yc = yc + _ONE
    ys = _fma32(np.full_like(z, _SIN_P[0]), z, _SIN_P[1])
    ys = _fma32(ys, z, _SIN_P[2])
    ys = ys * z
    ys = _fma32(ys, x, x)
    zero = _f32(0.0)
    ysin2 = np.where(poly_mask, ys, zero).astype(np.float32)
    ysin1 = np.where(poly_mask, zero, yc).astype(np.float32)
    ys = ys - ysin2
    yc = yc - ysin1
    s = (ysin1 + ysin2).view(np.uint32) ^ sign_sin
    c = (yc + ys).view(np.uint32) ^ sign_cos
    return s.view(np.float32), c.view(np.float32)


def _box_muller16_float(blocks, mean, std):
    """NormalFill16<float> (AVX2) on an (m, 16) float32 array, in place."""
    if blocks.shape[0] == 0:
        return blocks
    u1 = _ONE - blocks[:, :8]
    u2 = blocks[:, 8:]
    radius = np.sqrt(_f32(-2.0) * _log256(u1))
    theta = _TWO_PI_F * u2
    s, c = _sincos256(theta)
    n1 = radius * c
    n2 = radius * s
    if mean == 0 and std == 1:
        blocks[:, :8] = n1
        blocks[:, 8:] = n2
    else:
        blocks[:, :8] = _fma32(n1, std, mean)
        blocks[:, 8:] = _fma32(n2, std, mean)
    return blocks


_TWO_PI_D = 2.0 * math.pi


def _box_muller16_double(blocks, mean, std):
    """NormalFill16<double> (scalar libm code) on an (m, 16) float64 array."""
    if blocks.shape[0] == 0:
        return blocks
    u1 = (1.0 - blocks[:, :8]).ravel().tolist()
    u2 = blocks[:, 8:].ravel().tolist()
    log, sqrt, cos, sin = math.log, math.sqrt, math.cos, math.sin
    radius = [sqrt(-2.0 * log(a)) if a > 0 else math.inf for a in u1]
    theta = [_TWO_PI_D * b for b in u2]
    n1 = np.array([r * cos(t) for r, t in zip(radius, theta)], dtype=np.float64)
    n2 = np.array([r * sin(t) for r, t in zip(radius, theta)], dtype=np.float64)
    m = blocks.shape[0]
    if not (mean == 0 and std == 1):
        n1 = _fma64(n1, std, mean)
        n2 = _fma64(n2, std, mean)
    blocks[:, :8] = n1.reshape(m, 8)
    blocks[:, 8:] = n2.reshape(m, 8)
    return blocks


def _normal_scalar_samples(gen, n):
    """n draws of normal_distribution<double>(0, 1), using/refilling the cache."""
    out = []
    if n <= 0:
        return np.empty(0, dtype=np.float64)
    if gen._next_double_normal is not None:
        out.append(gen._next_double_normal)
        gen._next_double_normal = None
    need = n - len(out)
    pairs = (need + 1) // 2
    if pairs:
        u = _uniform_double(gen, 2 * pairs).tolist()
        log1p, sqrt, cos, sin = math.log1p, math.sqrt, math.cos, math.sin
        for k in range(pairs):
            u1 = u[2 * k]
            u2 = u[2 * k + 1]
            r = sqrt(-2.0 * log1p(-u2))
            theta = _TWO_PI_D * u1
            out.append(r * cos(theta))
            cached = r * sin(theta)
            if len(out) < n:
                out.append(cached)
            else:
                gen._next_double_normal = cached
    return np.array(out[:n], dtype=np.float64)


def normal(gen, shape, dtype="float32", mean=0.0, std=1.0, one_at_a_time=False):
    """``torch.randn`` / ``Tensor.normal_(mean, std)``. PyTorch draws one sample at a time
    (its scalar path) below 16 values, or for a tensor that is not contiguous
    (`one_at_a_time`); otherwise it fills blocks of 16."""
    gen = _gen(gen)
    dtype = _check_dtype(dtype)
    shape = _shape(shape)
    n = _numel(shape)
    if dtype not in _FLOAT_DTYPES:
        raise TypeError("normal_ expects a floating point dtype, got %s" % dtype)
    mean = float(mean)
    std = float(std)
    if std < 0:
        raise RuntimeError("normal expects std >= 0.0, but found std %s" % std)
    if n < 16 or one_at_a_time:
        v = _normal_scalar_samples(gen, n)
        if not (mean == 0.0 and std == 1.0):
            v = _fma64(v, std, mean)
        out = _cast_from_double(v, dtype)
        return _finish(out, shape, dtype)

    full = n // 16
    rem = n % 16
    if dtype == "float64":
        data = _uniform_double(gen, n)
        _box_muller16_double(data[: full * 16].reshape(full, 16), mean, std)
        if rem:
            tail = _uniform_double(gen, 16).reshape(1, 16)
            data[n - 16:] = _box_muller16_double(tail, mean, std).ravel()
        return _finish(data, shape, dtype)

    fmean = np.float32(mean)
    fstd = np.float32(std)
    if dtype == "float32":
        data = _uniform_float(gen, n)
        _box_muller16_float(data[: full * 16].reshape(full, 16), fmean, fstd)
        if rem:
            tail = _uniform_float(gen, 16).reshape(1, 16)
            data[n - 16:] = _box_muller16_float(tail, fmean, fstd).ravel()
        return _finish(data, shape, dtype)

    # half / bfloat16: float opmath, blocks of 16 drawn one after another
    buf = _uniform_float(gen, full * 16).reshape(full, 16)
    _box_muller16_float(buf, fmean, fstd)
    out = np.empty(n, dtype=_NP_DTYPE[dtype])
    out[: full * 16] = _cast_from_float(buf.ravel(), dtype)
    if rem:
        tail = _uniform_float(gen, 16).reshape(1, 16)
        out[n - 16:] = _cast_from_float(_box_muller16_float(tail, fmean, fstd).ravel(), dtype)
    return _finish(out, shape, dtype)


# ----------------------------------------------------------------------------
# integers
# ----------------------------------------------------------------------------

def _cast_from_int64(v, dtype):
    """static_cast<scalar_t>(int64_t) for every dtype."""
    if dtype == "bool":
        return v != 0
    if dtype == "bfloat16":
        return _to_bfloat16(v.astype(np.float32))
    if dtype == "float16":
        with np.errstate(over="ignore"):
            return v.astype(np.float32).astype(np.float16)
    return v.astype(_NP_DTYPE[dtype])


def randint(gen, low, high, shape, dtype="int64"):
    """``torch.randint(low, high, shape)`` / ``Tensor.random_(low, high)``."""
    gen = _gen(gen)
    dtype = _check_dtype(dtype)
    shape = _shape(shape)
    n = _numel(shape)
    low = int(low)
    high = int(high)
    if not low < high:
        raise RuntimeError("random_ expects 'from' to be less than 'to', but got "
                           "from=%d >= to=%d" % (low, high))
    if high - low == 1 << 64:
        # random_(from=int64 min, to=None): random_full_64_bits_range_kernel
        if dtype not in ("int64", "float64", "float32", "bfloat16"):
            raise RuntimeError("the full 64-bit range is only supported for int64, "
                               "float64, float32 and bfloat16")
        v = gen._random64(n).view(np.int64)
    else:
        rng = high - low
        if rng > _U64:
            raise RuntimeError("random_ range does not fit in 64 bits")
        # uniform_int_from_to_distribution: one 32-bit draw if range < 2**28
        if rng >= (1 << 28):
            r = gen._random64(n)
        else:
            r = gen._random32(n).astype(np.uint64)
        # (val % range) + base in uint64 arithmetic (wraps), read as int64
        v = ((r % np.uint64(rng)) + np.uint64(low & _U64)).view(np.int64)
    out = _cast_from_int64(v, dtype)
    return _finish(out, shape, dtype)


def random_(gen, shape, dtype="int64"):
    """``Tensor.random_()`` without arguments."""
    gen = _gen(gen)
    dtype = _check_dtype(dtype)
    shape = _shape(shape)
    n = _numel(shape)
    if dtype in ("int64", "float64"):
        r = gen._random64(n)
    else:
        r = gen._random32(n).astype(np.uint64)
    if dtype == "bool":
        out = (r & np.uint64(1)).astype(np.bool_)
    elif dtype in _FLOAT_DTYPES:
        v = (r % np.uint64((1 << _DIGITS[dtype]) + 1)).astype(np.int64)
        out = _cast_from_int64(v, dtype)
    else:
        info = np.iinfo(_NP_DTYPE[dtype])
        v = (r % np.uint64(int(info.max) + 1)).astype(np.int64)
        out = v.astype(_NP_DTYPE[dtype])
    return _finish(out, shape, dtype)


_RANDPERM_SMALL = 0xFFFFFFFF // 20


def randperm(gen, n, dtype="int64"):
    """``torch.randperm(n)``."""
    gen = _gen(gen)
    dtype = _check_dtype(dtype)
    n = int(n)
    if n < 0:
        raise RuntimeError("n must be non-negative, got %d" % n)
    if dtype in _FLOAT_DTYPES:
        if n > (1 << _DIGITS[dtype]) + 1:
            raise RuntimeError("n is too large for result tensor type: %s" % dtype)
    elif dtype != "bool" and n > 0 and n - 1 > int(np.iinfo(_NP_DTYPE[dtype]).max):
        raise RuntimeError("n is too large for result tensor type: %s" % dtype)
    if n < _RANDPERM_SMALL:
        perm = list(range(n))
        if n > 1:
            r = gen._random32(n - 1).astype(np.int64)
            z = (r % np.arange(n, 1, -1, dtype=np.int64)).tolist()
            for i, k in enumerate(z):
                j = i + k
                perm[i], perm[j] = perm[j], perm[i]
    else:  # pragma: no cover - needs > 200M elements
        r = gen._random64(n)
        perm = np.empty(n, dtype=np.int64)
        for i in range(n):
            z = int(r[i] % np.uint64(i + 1))
            perm[i] = perm[z]
            perm[z] = i
    v = np.array(perm, dtype=np.int64)
    return _finish(_cast_from_int64(v, dtype), (n,), dtype)
