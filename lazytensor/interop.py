"""Tensors handed to and taken from other array libraries, sharing memory as PyTorch does.

- DLPack: `t.__dlpack__()`, `t.__dlpack_device__()`, `from_dlpack(obj)`. NumPy does the
  capsule work both ways (a tensor exports the array `.numpy()` would give; an import is
  `np.from_dlpack`, then that array's memory becomes the tensor's storage).
- NumPy: `np.asarray(t)` is the array `.numpy()` gives (shared memory); a ufunc called on a
  tensor (`np.add(t, 1)`, `np.sin(t)`) returns a tensor over NumPy's result, and a NumPy
  scalar on the left of an operator leaves the operation to the tensor
  (`__array_priority__`), so `np.float32(0.5) * t` stays lazy.

Memory leaving the library is first made shared (`Storage.share`): every pending value that
reads it is computed, since the other library may write it at any time.
"""
import numpy as np

from . import dlpack_capsule as capsules, dtypes
from .device import CPU, device as Device
from .dlpack_capsule import DLDeviceType
from .storage import Storage
from .tensor import Tensor

INVALID_CAPSULE = ("from_dlpack received an invalid capsule. Note that DLTensor capsules can be "
                   "consumed only once, so you might have already constructed a tensor from "
                   "it once.")

_FROM_DL = {(capsules.INT, 8): dtypes.int8, (capsules.INT, 16): dtypes.int16,
            (capsules.INT, 32): dtypes.int32, (capsules.INT, 64): dtypes.int64,
            (capsules.UINT, 8): dtypes.uint8, (capsules.FLOAT, 16): dtypes.float16,
            (capsules.FLOAT, 32): dtypes.float32, (capsules.FLOAT, 64): dtypes.float64,
            (capsules.BFLOAT, 16): dtypes.bfloat16, (capsules.BOOL, 8): dtypes.bool_}


# -- DLPack export -------------------------------------------------------------------------
def __dlpack_device__(self):
    kind = self.device.type
    if kind == "cpu":
        return (DLDeviceType.kDLCPU, 0)
    if kind == "cuda":
        return (DLDeviceType.kDLCUDA, self.device.index)
    raise ValueError(f"Unknown device type {kind} for Dlpack")


def __dlpack__(self, *, stream=-1, max_version=None, dl_device=None, copy=None):
    """A DLPack capsule of this tensor's memory (a copy's, with copy=True or another
    dl_device); a capsule of DLPack 1.0 or later when max_version allows it."""
    _check_grad(self)
    if stream is not None and type(stream) is not int:
        raise TypeError("stream must be ``int`` or ``none``")
    if self.device.type == "cpu" and stream not in (None, -1):
        raise AssertionError("stream should be None on cpu.")
    source = _on_device(self, dl_device, copy)
    if source.device.type == "meta":
        raise BufferError("Cannot pack tensors on meta")
    if source.device.type != "cpu":
        raise BufferError("lazytensor exports CPU tensors only through DLPack; use "
                          "Tensor.cpu() first")
    if copy and source is self:
        source = self.clone()
    source._storage.share()
    capsule = source._strided_array().__dlpack__(max_version=max_version)
    if source.dtype is dtypes.bfloat16:          # NumPy exported its uint16 bits
        capsules.tensor_of(capsule).dtype.code = capsules.BFLOAT
    return capsule


def _check_grad(t):
    if t.requires_grad:
        raise BufferError("Can't export tensors that require gradient, use tensor.detach()")


def _on_device(t, dl_device, copy):
    """t, or a copy of it on the device a consumer asked for."""
    if dl_device is None:
        return t
    kind, index = dl_device
    if kind == DLDeviceType.kDLCPU:
        if t.device.type == "cpu":
            return t
        target = CPU
    elif kind == DLDeviceType.kDLCUDA:
        target = Device("cuda", index)
        if t.device == target:
            return t
    else:
        raise BufferError(f"lazytensor cannot export a tensor to DLPack device type {kind}")
    if copy is False:
        raise BufferError(f"a tensor on {t.device} cannot be exported to {target} without a "
                          "copy")
    return t.to(target)


# -- DLPack import -------------------------------------------------------------------------
def from_dlpack(ext_tensor):
    """A tensor sharing the memory of any DLPack exporter (an object with __dlpack__, or a
    capsule): writes through either are seen by the other."""
    if isinstance(ext_tensor, Tensor):
        ext_tensor.__dlpack_device__()               # refuses a device DLPack has no code for
        _check_grad(ext_tensor)
        t = ext_tensor
        return Tensor._make(t._storage, t._shape, t._strides, t._offset)
    if hasattr(type(ext_tensor), "__dlpack__"):
        kind, _ = ext_tensor.__dlpack_device__()
        if kind not in capsules.HOST_READABLE:
            raise BufferError(f"lazytensor.from_dlpack reads host memory only; this object is "
                              f"on DLPack device type {int(kind)}")
        try:
            capsule = ext_tensor.__dlpack__(max_version=(1, 0))
        except TypeError:                            # an exporter older than DLPack 1.0
            capsule = ext_tensor.__dlpack__()
    else:
        capsule = ext_tensor
    return _from_capsule(capsule)


class _Exported:
    """A capsule presented to np.from_dlpack as the exporter it came from."""

    def __init__(self, capsule, device):
        self.capsule, self.device = capsule, device

    def __dlpack__(self, **_):
        return self.capsule

    def __dlpack_device__(self):
        return self.device


def _from_capsule(capsule):
    """A tensor over a capsule's memory; every refusal comes before NumPy consumes it."""
    t = capsules.tensor_of(capsule)
    if t is None:
        raise RuntimeError(INVALID_CAPSULE)
    device = (t.device.device_type, t.device.device_id)
    if device[0] not in capsules.HOST_READABLE:
        raise BufferError(f"lazytensor.from_dlpack reads host memory only; this capsule is on "
                          f"DLPack device type {device[0]}")
    code, bits, lanes = t.dtype.code, t.dtype.bits, t.dtype.lanes
    dtype = _FROM_DL.get((code, bits)) if lanes == 1 else None
    if dtype is None:
        raise BufferError(f"lazytensor has no dtype for DLPack type code {code} with {bits} "
                          f"bits and {lanes} lanes")
    strides = capsules.strides_of(t)
    if strides is not None and any(s < 0 for s in strides):
        raise BufferError(f"lazytensor tensors cannot have negative strides (this DLPack "
                          f"tensor's are {strides}); copy it in the exporting library first")
    if dtype is dtypes.bfloat16:                     # NumPy reads the bits as uint16
        t.dtype.code = capsules.UINT
    return shared_tensor(np.from_dlpack(_Exported(capsule, device)), dtype)


def shared_tensor(array, dtype):
    """A CPU tensor over an array's memory with the array's strides (any non-negative ones):
    its storage is the span of memory from the first element to the last."""
    item = array.itemsize
    if any(s < 0 or s % item for s in array.strides):
        raise ValueError(f"lazytensor cannot share an array with strides {array.strides} "
                         "(negative, or not whole elements); copy it first")
    strides = tuple(s // item for s in array.strides)
    if array.size == 0:
        storage = Storage.from_array(np.empty(0, dtype.np_storage), dtype, CPU)
        return Tensor._make(storage, array.shape, strides)
    span = 1 + sum((n - 1) * s for n, s in zip(array.shape, strides))
    flat = np.lib.stride_tricks.as_strided(array, (span,), (item,))
    return Tensor._make(Storage.from_array(flat, dtype, CPU, share=True), array.shape, strides)


# -- NumPy's array protocol ----------------------------------------------------------------
def __array__(self, dtype=None, copy=None):
    """The array .numpy() gives (shared memory, with its errors); converted to dtype, or
    copied with copy=True (copy=False refuses a conversion, as NumPy 2 asks)."""
    array = self.numpy()
    if dtype is not None and np.dtype(dtype) != array.dtype:
        if copy is False:
            raise ValueError("Unable to avoid copy while creating an array as requested.")
        return array.astype(dtype)
    return array.copy() if copy else array


def __array_wrap__(self, array, context=None, return_scalar=False):
    """A ufunc's result as a tensor over its memory (a bool result as uint8, as PyTorch
    gives it); a 0-d result stays a tensor."""
    if array.dtype == np.bool_:
        array = array.astype(np.uint8)
    return shared_tensor(array, dtypes.from_numpy_dtype(array.dtype))


METHODS = ("__dlpack__", "__dlpack_device__", "__array__", "__array_wrap__")


def _attach():
    for name in METHODS:
        setattr(Tensor, name, globals()[name])
    Tensor.__array_priority__ = 1000


_attach()
