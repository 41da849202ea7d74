"""The sorting kernels (templates/c/sort.cpp): built once per machine, loaded with cffi.

They run libstdc++'s own std::sort / std::partial_sort / std::nth_element, the algorithms
PyTorch's CPU kernels use, so equal elements end where PyTorch puts them (the C++ file's
header says how). The library is built with the C++ compiler (CXX, else g++) and kept in the
cache directory under a key of its source, the compiler's identity and the flags, with its
SHA-256 beside it, like the C front end; a warm cache loads it with no compiler installed.
`library()` is None where it can neither be loaded nor built (no C++ compiler, no libstdc++):
the caller then orders in Python, with the same results.

Each function takes one row per `n` contiguous values, the rows one after another.
"""
import hashlib
import importlib.resources
import os
import shlex
import shutil
import subprocess
import tempfile
import time

import numpy as np
from cffi import FFI

from . import cache_dir, compile_log, parallel, run
from . import compile as cc

FLAGS = ("-O2", "-std=c++17", "-fPIC", "-shared", "-fopenmp")
VERSION = "1"                  # part of the key: bumped when the calling convention changes

_ffi = FFI()
_ffi.cdef("""
int lt_sort(int dtype, const void *data, int64_t rows, int64_t n, int descending, int stable,
            int64_t *out, int threads);
int lt_topk(int dtype, const void *data, int64_t rows, int64_t n, int64_t k, int largest,
            int sorted, int64_t *out, int threads);
int lt_kthvalue(int dtype, const void *data, int64_t rows, int64_t n, int64_t k, int64_t *out,
                int threads);
int lt_mode(int dtype, const void *data, int64_t rows, int64_t n, int64_t *out, int threads);
int lt_take(int itemsize, const void *data, const int64_t *indices, int64_t rows, int64_t n,
            int64_t k, void *out, int threads);
int lt_unique(int dtype, const void *data, int64_t n, int stable, int64_t *first,
              int64_t *counts, int64_t *inverse, int64_t *runs, int threads);
""")

# NumPy dtype -> the C++ file's dtype code (bool compares as uint8 does)
DTYPE_CODES = {np.dtype(np.bool_): 0, np.dtype(np.uint8): 0, np.dtype(np.int8): 1,
               np.dtype(np.int16): 2, np.dtype(np.int32): 3, np.dtype(np.int64): 4,
               np.dtype(np.float32): 5, np.dtype(np.float64): 6}

_library = []
_not_cached = []
why_not = None


def compiler():
    """The C++ compiler's command: CXX split as a shell splits it, g++ when unset."""
    return tuple(shlex.split(os.environ.get("CXX", ""))) or ("g++",)


def library(build=True):
    """The loaded kernels, or None (built the first time a machine asks). With build False,
    None unless they are loaded already or built in the cache (nothing is compiled)."""
    global why_not
    if not _library and not build:
        if _not_cached:                 # looked once in this process: not built then
            return None
        try:
            found = _load(build=False)
        except (cc.CompileError, OSError):
            found = None
        if found is None:
            _not_cached.append(True)
        else:
            _library.append(found)
        return found
    if not _library:
        try:
            _library.append(_load())
        except (cc.CompileError, OSError) as e:
            why_not = f"{type(e).__name__}: {e}".strip()
            compile_log.logger.info("lazytensor: sorting in Python, the C++ sorting kernels "
                                    "are not available (%s)", why_not)
            _library.append(None)
    return _library[0]


def _source():
    return importlib.resources.files("lazytensor.templates").joinpath(
        "c", "sort.cpp").read_text()


def _load(build=True):
    source, cxx = _source(), compiler()
    h = hashlib.sha256()
    for part in (source, VERSION, " ".join(FLAGS), cc.compiler_identity(cxx)):
        h.update(part.encode())
        h.update(b"\0")
    key = h.hexdigest()[:32]
    root = cache_dir.cache_dir()
    folder = cache_dir.private_dir(root, "sort") if cache_dir.safe_dir(root) else None
    path = os.path.join(folder, f"sort-{key}.so") if folder is not None else None
    if not build and (path is None or not _verified(path)):
        return None
    run._keep_openmp_loaded()           # libgomp with the programs' settings, held for good
    if path is None:                    # no private place to keep it: built for this process
        with tempfile.TemporaryDirectory(prefix="lazytensor-build-") as tmp:
            path = os.path.join(tmp, "sort.so")
            _build(source, cxx, path)
            return _ffi.dlopen(path)    # the mapping outlives the file
    if not _verified(path):
        _build(source, cxx, path)
    return _ffi.dlopen(path)


def _build(source, cxx, path):
    """Compile source into path (written atomically, its SHA-256 beside it)."""
    if shutil.which(cxx[0]) is None:
        raise cc.CompileError(f"no C++ compiler {cxx[0]!r} on PATH")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lazytensor-build-") as tmp:
        src, out = os.path.join(tmp, "sort.cpp"), os.path.join(tmp, "sort.so")
        with open(src, "w") as f:
            f.write(source)
        proc = subprocess.run([*cxx, *FLAGS, src, "-o", out], capture_output=True, text=True)
        if proc.returncode != 0:
            raise cc.CompileError(f"building the sorting kernels failed:\n{proc.stderr.strip()}")
        with open(out, "rb") as f:
            data = f.read()
    cache_dir.write_hashed(path, data)
    seconds = time.perf_counter() - start
    if seconds > compile_log.SLOW_SECONDS:
        compile_log.logger.warning("lazytensor: building the sorting kernels took %.1f s "
                                   "(once per machine)", seconds)


_verified = cache_dir.verified


def supports(dtype):
    """Whether the kernels read values of this NumPy dtype."""
    return np.dtype(dtype) in DTYPE_CODES


# -- the calls: rows is a C-contiguous 2-D array, one row per line ---------------------------------
def _call(fn, rows, *args, width):
    rows = np.ascontiguousarray(rows)
    out = np.empty((rows.shape[0], width), np.int64)
    if rows.size and width:
        status = fn(DTYPE_CODES[rows.dtype], _ffi.from_buffer(rows), rows.shape[0],
                    rows.shape[1], *args, _ffi.from_buffer("int64_t[]", out),
                    parallel.thread_count())
        if status:
            raise MemoryError("lazytensor: out of memory while sorting")
    return out


def sort(rows, descending, stable):
    """Indices ordering each row: std::sort's order, or the stable one."""
    return _call(library().lt_sort, rows, int(descending), int(stable), width=rows.shape[1])


def topk(rows, k, largest, sorted_):
    """The first k indices of each row as PyTorch's topk leaves them."""
    return _call(library().lt_topk, rows, k, int(largest), int(sorted_), width=k)


def kthvalue(rows, k):
    """Per row, the index of the k-th smallest (k from 1) where PyTorch's quickselect puts it."""
    return _call(library().lt_kthvalue, rows, k - 1, width=1)


def mode(rows):
    """Per row, the index PyTorch's mode returns; -1 for a row holding a NaN."""
    return _call(library().lt_mode, rows, width=1)


def take(rows, indices):
    """rows[r, indices[r, i]] for each row (values of 1, 2, 4 or 8 bytes)."""
    rows, indices = np.ascontiguousarray(rows), np.ascontiguousarray(indices, dtype=np.int64)
    out = np.empty(indices.shape, rows.dtype)
    if out.size:
        library().lt_take(rows.dtype.itemsize, _ffi.from_buffer(rows),
                          _ffi.from_buffer("int64_t[]", indices), rows.shape[0], rows.shape[1],
                          indices.shape[1], _ffi.from_buffer(out, require_writable=True),
                          parallel.thread_count())
    return out


def unique(flat, stable, with_inverse):
    """(first, counts, inverse or None) of a 1-D array's runs of equal values in sort order
    (std::sort's, or the stable one), each NaN a run of its own: first holds the index of
    the element each run shows, inverse each element's run."""
    flat = np.ascontiguousarray(flat)
    n = flat.shape[0]
    first, counts = np.empty(n, np.int64), np.empty(n, np.int64)
    inverse = np.empty(n, np.int64) if with_inverse else None
    runs = np.zeros(1, np.int64)
    if n:
        status = library().lt_unique(
            DTYPE_CODES[flat.dtype], _ffi.from_buffer(flat), n, int(stable),
            _ffi.from_buffer("int64_t[]", first), _ffi.from_buffer("int64_t[]", counts),
            _ffi.from_buffer("int64_t[]", inverse) if with_inverse else _ffi.NULL,
            _ffi.from_buffer("int64_t[]", runs), parallel.thread_count())
        if status:
            raise MemoryError("lazytensor: out of memory while sorting")
    m = int(runs[0])
    return first[:m], counts[:m], inverse
