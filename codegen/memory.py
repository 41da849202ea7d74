"""Host buffers: a small caching allocator for large arrays.

A fresh large allocation costs page faults on first touch, often more than the kernel that
fills it. Large arrays whose owner died are kept (up to POOL_BYTES in all) and handed out
again for the same dtype and size; past that they are unmapped, so that memory no tensor
uses goes back to the system (empty_cache() returns the pooled ones too). New large arrays
are backed by anonymous mappings with transparent huge pages requested. The mapping is
private: Python's default (shared) anonymous mapping is shmem, which the kernel's huge-page
setting for anonymous memory does not cover, so such a buffer got 4 KiB pages whatever we
asked for. It starts on a 2 MiB boundary so every page of it can be huge.
"""
import mmap
import sys
import weakref

import numpy as np

LARGE_BYTES = 1 << 20
# Enough for a loop's largest temporaries to be reused (a 16e6-element float32 array), small
# enough that deleting large tensors gives their memory back: a 1 GiB pool kept a process
# that had freed 4 x 128 MB at 532 MiB resident.
POOL_BYTES = 64 << 20
HUGE_PAGE = 2 << 20
_pool = {}
_pooled_bytes = 0


def empty(numel, dtype):
    """An uninitialised flat array of numel elements of dtype."""
    dtype = np.dtype(dtype)
    nbytes = numel * dtype.itemsize
    if nbytes < LARGE_BYTES:
        return np.empty(numel, dtype)
    free = _pool.get((dtype.str, numel))
    if free:
        global _pooled_bytes
        _pooled_bytes -= nbytes
        return free.pop()
    region = mmap.mmap(-1, nbytes + HUGE_PAGE, flags=mmap.MAP_PRIVATE)
    start = -_address(region) % HUGE_PAGE
    if hasattr(mmap, "MADV_HUGEPAGE"):
        region.madvise(mmap.MADV_HUGEPAGE, start, nbytes)
    return np.frombuffer(region, dtype, numel, offset=start)


def _address(region):
    view = np.frombuffer(region, np.uint8, 1)
    return view.ctypes.data


def recycle_when_dead(owner, array):
    """Return array to the pool once owner is garbage, if nothing else holds it then."""
    if array.nbytes >= LARGE_BYTES:
        weakref.finalize(owner, _give_back, array, 4)


def give_back(array):
    """Return an array nobody else holds to the pool now."""
    if array.nbytes >= LARGE_BYTES:
        _give_back(array, 4)


def _give_back(array, expected_refs):
    """Pool array unless references beyond the expected ones (our callers' and getrefcount's
    own) show that someone still uses it."""
    global _pooled_bytes
    if sys.getrefcount(array) > expected_refs or _pooled_bytes + array.nbytes > POOL_BYTES:
        return
    _pool.setdefault((array.dtype.str, array.shape[0]), []).append(array)
    _pooled_bytes += array.nbytes


def empty_cache():
    """Unmap the pooled arrays (those still used elsewhere stay mapped until they die)."""
    global _pooled_bytes
    _pool.clear()
    _pooled_bytes = 0
