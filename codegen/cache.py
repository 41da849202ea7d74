"""The program caches: in memory (by graph structure) and on disk (by source).

Disk layout: <cache dir>/programs/<key[:2]>/<key>/{program.c, program.so, manifest.json}.
The key hashes the rendered source, the compiler identity and flags, the library version and
the templates, never compiler output. Files are written under a temporary name and renamed;
the manifest, written last, holds the SHA-256 of the library, so a truncated or foreign file
is a miss and is rebuilt. Directories are created 0700, and a cache directory that another
user could write is never loaded from (loading a library from it would run their code).
An unusable cache directory gives one warning, then lazytensor works from memory. The
entries' total size is capped, least recently used out (codegen/cache_size.py).
"""
import collections
import hashlib
import json
import os
import shutil
import tempfile

from . import cache_size
from . import compile as cc
from .cache_dir import cache_dir, private_dir, private_file, write_atomic  # noqa: F401
from .cache_dir import safe_dir as _safe_dir, warn_once as _warn_once  # noqa: F401
from .render import templates_digest

LIBRARY_VERSION = "0.1.0"

stats = {"compiled": 0, "memory_hits": 0, "disk_hits": 0, "kernels_run": 0,
         "programs_run": 0}
# The programs loaded in this process, least recently used first (a dict, for the C front
# end's lookups; its hits do not refresh the order). At most MEMORY_PROGRAMS are kept: each
# costs a library mapping and ~50 KiB, and a process can map only so many (~13,000 programs
# exhausted the default limit). An evicted program is unloaded once nothing uses it, and
# loaded again from the disk cache when its graph comes back.
MEMORY_PROGRAMS = 2048
memory = collections.OrderedDict()
_scratch = None


def source_key(source):
    h = hashlib.sha256()
    for part in (source, cc.compiler_identity(), LIBRARY_VERSION, templates_digest()):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_atomic(path, data):
    write_atomic(path, data)


def _entry_dir(key, create=False):
    """The private directory of key's entry (created when asked), or None."""
    return private_dir(cache_dir(), "programs", key[:2], key, create=create)


def _clear_damaged(d):
    """Remove what stands where an entry's files go but is not a file (a directory put in
    place of program.so made that program fail forever)."""
    for name in ("program.so", "program.c", "manifest.json"):
        path = os.path.join(d, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        elif os.path.islink(path):
            os.unlink(path)


def lookup(key):
    """Path of a verified cached library for key, or None."""
    root = cache_dir()
    if not os.path.isdir(root) or not _safe_dir(root):
        return None
    d = _entry_dir(key)
    if d is None:
        return None
    try:
        with open(os.path.join(d, "manifest.json")) as f:
            manifest = json.load(f)
        so = os.path.join(d, "program.so")
        if not private_file(so) or not isinstance(manifest, dict) or manifest.get("key") != key or \
                manifest.get("sha256") != _sha256_file(so):
            return None
    except (OSError, ValueError):
        return None
    cache_size.note_use(d)
    return so


def build(key, source, kernel_names, largest_kernel=None):
    """Compile source (largest_kernel: compile.compile_shared's); store it in the disk cache
    when possible. Returns the library path."""
    root = cache_dir()
    if _safe_dir(root):
        d = _entry_dir(key, create=True)
        try:
            if d is None:
                raise PermissionError("its directories are not private to this user")
            _clear_damaged(d)
            so = os.path.join(d, "program.so")
            _write_atomic(os.path.join(d, "program.c"), source.encode())
            cc.compile_shared(source, so, largest_kernel)
            manifest = {"key": key, "sha256": _sha256_file(so), "kernels": kernel_names,
                        "compiler": cc.compiler_identity(), "version": LIBRARY_VERSION}
            _write_atomic(os.path.join(d, "manifest.json"),
                          json.dumps(manifest, indent=1).encode())
            stats["compiled"] += 1
            cache_size.note_written(root, d)
            return so
        except OSError as e:       # read-only, full (ENOSPC), damaged beyond repair
            _warn_once(root + "/write", f"lazytensor: cannot write to cache {root} ({e}); "
                                        "compiled kernels are kept in memory only")
    global _scratch
    if _scratch is None:
        _scratch = tempfile.mkdtemp(prefix="lazytensor-")
    so = os.path.join(_scratch, f"{key}.so")
    cc.compile_shared(source, so, largest_kernel)
    stats["compiled"] += 1
    return so
