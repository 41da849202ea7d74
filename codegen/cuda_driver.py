"""The CUDA driver API through cffi (ABI mode) against libcuda.so.1 ($LAZYTENSOR_LIBCUDA
names another driver library): devices, the primary context, memory, modules and launches.
No CUDA Python package is needed.

Every failing call raises RuntimeError naming the CUDA error (e.g. CUDA_ERROR_OUT_OF_MEMORY)
and the call; the library stays usable afterwards. `available()` never raises.

Memory comes from a caching allocator: a freed block goes to a free list keyed by its
rounded size and is handed out again before new memory is asked of the driver; on
CUDA_ERROR_OUT_OF_MEMORY the free lists are returned to the driver and the allocation is
tried once more.
"""
import functools
import os
import threading
import weakref

import numpy as np
from cffi import FFI

_ffi = FFI()
_ffi.cdef("""
typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
CUresult cuInit(unsigned int flags);
CUresult cuDeviceGetCount(int *count);
CUresult cuDeviceGet(CUdevice *device, int ordinal);
CUresult cuDeviceGetAttribute(int *value, int attribute, CUdevice device);
CUresult cuDeviceGetName(char *name, int len, CUdevice device);
CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice device);
CUresult cuCtxSetCurrent(CUcontext ctx);
CUresult cuCtxSynchronize(void);
CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytes);
CUresult cuMemFree_v2(CUdeviceptr dptr);
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t bytes);
CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes);
CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes);
CUresult cuModuleLoadData(CUmodule *module, const void *image);
CUresult cuModuleGetFunction(CUfunction *function, CUmodule module, const char *name);
CUresult cuLaunchKernel(CUfunction f, unsigned int gridX, unsigned int gridY,
                        unsigned int gridZ, unsigned int blockX, unsigned int blockY,
                        unsigned int blockZ, unsigned int sharedBytes, CUstream stream,
                        void **params, void **extra);
CUresult cuEventCreate(CUevent *event, unsigned int flags);
CUresult cuEventRecord(CUevent event, CUstream stream);
CUresult cuEventSynchronize(CUevent event);
CUresult cuEventElapsedTime(float *ms, CUevent start, CUevent end);
CUresult cuEventDestroy_v2(CUevent event);
CUresult cuGetErrorName(CUresult error, const char **name);
CUresult cuGetErrorString(CUresult error, const char **text);
""")

ATTR_MULTIPROCESSOR_COUNT = 16
ATTR_COMPUTE_CAPABILITY_MAJOR = 75
ATTR_COMPUTE_CAPABILITY_MINOR = 76
CUDA_ERROR_OUT_OF_MEMORY = 2
_GRANULE = 512                  # allocation sizes are rounded up to this many bytes

_lock = threading.Lock()


@functools.lru_cache(maxsize=None)
def _driver():
    """libcuda, initialised; None when there is no driver or cuInit fails."""
    try:
        lib = _ffi.dlopen(os.environ.get("LAZYTENSOR_LIBCUDA") or "libcuda.so.1")
    except OSError:
        return None
    try:
        return lib if lib.cuInit(0) == 0 else None
    except AttributeError:
        return None


def available():
    """True exactly when the driver loads, cuInit succeeds and a device exists."""
    try:
        return device_count() > 0
    except RuntimeError:
        return False


def device_count():
    lib = _driver()
    if lib is None:
        return 0
    count = _ffi.new("int *")
    _check(lib.cuDeviceGetCount(count), "cuDeviceGetCount")
    return count[0]


def error_text(result):
    """'CUDA_ERROR_NAME: description' for a CUresult."""
    lib = _driver()
    name, text = _ffi.new("const char **"), _ffi.new("const char **")
    if lib is None or lib.cuGetErrorName(result, name) != 0:
        return f"CUDA error {result}"
    lib.cuGetErrorString(result, text)
    description = _ffi.string(text[0]).decode() if text[0] != _ffi.NULL else ""
    return f"{_ffi.string(name[0]).decode()}: {description}"


class CudaError(RuntimeError):
    def __init__(self, result, call):
        super().__init__(f"CUDA error in {call}: {error_text(result)}")
        self.result = result


def _check(result, call):
    if result != 0:
        raise CudaError(result, call)


def _lib():
    lib = _driver()
    if lib is None:
        raise RuntimeError("Found no NVIDIA driver on your system. Please check that you have "
                           "an NVIDIA GPU and installed a driver from "
                           "http://www.nvidia.com/Download/index.aspx")
    return lib


class Device:
    """One GPU with its primary context; `use()` makes the context current on this thread."""

    def __init__(self, index):
        lib = _lib()
        count = device_count()
        if not 0 <= index < count:
            raise RuntimeError(f"CUDA error: invalid device ordinal {index} "
                               f"({count} device{'s' if count != 1 else ''} present)")
        handle, ctx = _ffi.new("CUdevice *"), _ffi.new("CUcontext *")
        _check(lib.cuDeviceGet(handle, index), "cuDeviceGet")
        _check(lib.cuDevicePrimaryCtxRetain(ctx, handle[0]), "cuDevicePrimaryCtxRetain")
        self.index, self.handle, self.context = index, handle[0], ctx[0]
        major = self.attribute(ATTR_COMPUTE_CAPABILITY_MAJOR)
        minor = self.attribute(ATTR_COMPUTE_CAPABILITY_MINOR)
        self.arch = f"sm_{major}{minor}"
        self.sm_count = self.attribute(ATTR_MULTIPROCESSOR_COUNT)
        name = _ffi.new("char[]", 256)
        _check(lib.cuDeviceGetName(name, 256, self.handle), "cuDeviceGetName")
        self.name = _ffi.string(name).decode()
        self.allocator = Allocator(self)

    def attribute(self, attr):
        value = _ffi.new("int *")
        _check(_lib().cuDeviceGetAttribute(value, attr, self.handle), "cuDeviceGetAttribute")
        return value[0]

    def use(self):
        _check(_lib().cuCtxSetCurrent(self.context), "cuCtxSetCurrent")
        return self


@functools.lru_cache(maxsize=None)
def device(index=0):
    """The Device for a CUDA ordinal (created once; its context is retained for good)."""
    return Device(index)


class Allocator:
    """Device memory reused by size: `free` keeps blocks for the next `alloc` of that size."""

    def __init__(self, dev):
        self.device = dev
        self.free = {}          # rounded size -> [CUdeviceptr]
        self.in_use = 0         # bytes handed out
        self.cached = 0         # bytes held in the free lists

    def alloc(self, nbytes):
        size = max(_GRANULE, -(-nbytes // _GRANULE) * _GRANULE)
        with _lock:
            blocks = self.free.get(size)
            if blocks:
                self.cached -= size
                self.in_use += size
                return blocks.pop(), size
        self.device.use()
        ptr = _ffi.new("CUdeviceptr *")
        result = _lib().cuMemAlloc_v2(ptr, size)
        if result == CUDA_ERROR_OUT_OF_MEMORY:
            self.empty_cache()
            result = _lib().cuMemAlloc_v2(ptr, size)
        _check(result, f"cuMemAlloc({size} bytes)")
        with _lock:
            self.in_use += size
        return ptr[0], size

    def release(self, ptr, size):
        with _lock:
            self.free.setdefault(size, []).append(ptr)
            self.in_use -= size
            self.cached += size

    def empty_cache(self):
        """Give every cached free block back to the driver."""
        with _lock:
            blocks = [p for ps in self.free.values() for p in ps]
            self.free.clear()
            self.cached = 0
        self.device.use()
        for p in blocks:
            _check(_lib().cuMemFree_v2(p), "cuMemFree")


class DeviceArray:
    """A flat, C-contiguous array in device memory: a GPU storage's buffer.

    It answers `dtype`, `shape`, `ndim` and `flags.c_contiguous` like the flat NumPy arrays
    that graph.Buffer holds; its memory returns to the allocator when it is collected.
    """
    ndim = 1

    class _Flags:
        c_contiguous = True

    flags = _Flags()

    def __init__(self, numel, dtype, dev=None):
        self.device = dev or device(0)
        self.dtype = np.dtype(dtype)
        self.shape = (numel,)
        self.nbytes = numel * self.dtype.itemsize
        self.ptr, size = self.device.allocator.alloc(self.nbytes)
        fin = weakref.finalize(self, self.device.allocator.release, self.ptr, size)
        fin.atexit = False      # at exit the driver frees everything itself

    @classmethod
    def from_numpy(cls, array, dev=None):
        """A device copy of a flat (or any C-contiguous) NumPy array."""
        host = np.ascontiguousarray(array).reshape(-1)
        out = cls(host.shape[0], host.dtype, dev)
        if out.nbytes:
            out.device.use()
            _check(_lib().cuMemcpyHtoD_v2(out.ptr, _ffi.from_buffer(host), out.nbytes),
                   "cuMemcpyHtoD")
        return out

    def copy(self):
        """A new device array with this one's contents (ordered after pending kernels)."""
        out = DeviceArray(self.shape[0], self.dtype, self.device)
        if out.nbytes:
            out.device.use()
            _check(_lib().cuMemcpyDtoD_v2(out.ptr, self.ptr, out.nbytes), "cuMemcpyDtoD")
        return out

    def numpy(self):
        """A new host array with this array's contents (waits for pending kernels)."""
        host = np.empty(self.shape, self.dtype)
        if self.nbytes:
            self.device.use()
            _check(_lib().cuMemcpyDtoH_v2(_ffi.from_buffer(host), self.ptr, self.nbytes),
                   "cuMemcpyDtoH")
        return host


class Module:
    """A loaded CUBIN and its kernels by name."""

    def __init__(self, image, dev=None):
        self.device = (dev or device(0)).use()
        module = _ffi.new("CUmodule *")
        _check(_lib().cuModuleLoadData(module, _ffi.from_buffer(image)), "cuModuleLoadData")
        self.handle = module[0]
        self.functions = {}

    def function(self, name):
        if name not in self.functions:
            f = _ffi.new("CUfunction *")
            _check(_lib().cuModuleGetFunction(f, self.handle, name.encode()),
                   f"cuModuleGetFunction({name})")
            self.functions[name] = f[0]
        return self.functions[name]


def launch(function, grid, block, pointers, name="kernel"):
    """Launch `function` on the default stream with device-pointer arguments."""
    values = _ffi.new("CUdeviceptr[]", [int(p) for p in pointers])
    params = _ffi.new("void *[]", [values + i for i in range(len(pointers))])
    _check(_lib().cuLaunchKernel(function, grid, 1, 1, block, 1, 1, 0, _ffi.NULL, params,
                                 _ffi.NULL), f"cuLaunchKernel({name})")


def synchronize():
    """Wait for the current context's work; a failed kernel's error surfaces here."""
    _check(_lib().cuCtxSynchronize(), "cuCtxSynchronize")


class Timer:
    """Elapsed GPU time between two points of the default stream (for LAZYTENSOR_DEBUG)."""

    def __init__(self):
        self.events = [_ffi.new("CUevent *") for _ in range(2)]
        for e in self.events:
            _check(_lib().cuEventCreate(e, 0), "cuEventCreate")

    def start(self):
        _check(_lib().cuEventRecord(self.events[0][0], _ffi.NULL), "cuEventRecord")

    def stop(self):
        """Seconds since start()."""
        _check(_lib().cuEventRecord(self.events[1][0], _ffi.NULL), "cuEventRecord")
        _check(_lib().cuEventSynchronize(self.events[1][0]), "cuEventSynchronize")
        ms = _ffi.new("float *")
        _check(_lib().cuEventElapsedTime(ms, self.events[0][0], self.events[1][0]),
               "cuEventElapsedTime")
        return ms[0] / 1e3

    def __del__(self):
        lib = _driver()
        if lib is not None:
            for e in self.events:
                lib.cuEventDestroy_v2(e[0])
