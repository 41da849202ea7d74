"""The DLPack structs inside a capsule, read and retyped in place through ctypes.

NumPy builds and consumes the capsules; this module only looks inside one before NumPy
consumes it (its device, dtype and strides, so that a refusal leaves it unconsumed) and
relabels 16-bit elements between bfloat16, which NumPy has no type for, and uint16.
"""
import ctypes
import enum


class DLDeviceType(enum.IntEnum):
    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLROCMHost = 11
    kDLExtDev = 12
    kDLCUDAManaged = 13
    kDLOneAPI = 14
    kDLWebGPU = 15
    kDLHexagon = 16
    kDLMAIA = 17


# the device types whose memory the CPU reads (what NumPy imports)
HOST_READABLE = (DLDeviceType.kDLCPU, DLDeviceType.kDLCUDAHost, DLDeviceType.kDLCUDAManaged,
                 DLDeviceType.kDLROCMHost)

INT, UINT, FLOAT, BFLOAT, BOOL = 0, 1, 2, 4, 6      # DLDataTypeCode values used here


class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32),
                ("dtype", DLDataType), ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]


class DLManagedTensor(ctypes.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p),
                ("deleter", ctypes.c_void_p)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32),
                ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p),
                ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]


_api = ctypes.pythonapi
_api.PyCapsule_IsValid.restype = ctypes.c_int
_api.PyCapsule_IsValid.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_GetPointer.restype = ctypes.c_void_p
_api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]

_LAYOUTS = ((b"dltensor_versioned", DLManagedTensorVersioned), (b"dltensor", DLManagedTensor))


def tensor_of(capsule):
    """The DLTensor of an unconsumed DLPack capsule (a view of its memory), or None when
    `capsule` is not one (another object, or a capsule already consumed)."""
    for name, layout in _LAYOUTS:
        if _api.PyCapsule_IsValid(capsule, name):
            return layout.from_address(_api.PyCapsule_GetPointer(capsule, name)).dl_tensor
    return None


def strides_of(t):
    """The element strides a DLTensor lists (None: compact row-major)."""
    if not t.strides:
        return None
    return tuple(t.strides[i] for i in range(t.ndim))
