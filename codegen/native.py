"""The C front end (templates/native/front.c), loaded as a module.

It makes building a graph cheap (the per-op path and the program-cache key; see the C file's
header). It is optional: it needs the Python headers, which a Python without its development
files lacks, and `LAZYTENSOR_NATIVE=0` turns it off. Without it the Python code it replaces
runs, with the same results. `front()` is the module or None; `why_not` says why None.

It is normally built at install (setup.py: the extension lazytensor._front, which records
the hash of the source it was built from). Where the install could not build it, or the
source changed since (an editable install), it is built on first use and kept in the cache
directory under a key of its source, the Python build and the compiler, like a program.
"""
import hashlib
import importlib.machinery
import importlib.resources
import importlib.util
import os
import subprocess
import sys
import sysconfig
import tempfile
import warnings

from . import cache, cache_dir, debug_log, settings
from . import compile as cc

FLAGS = ("-O2", "-fPIC", "-shared", "-std=c11", "-fno-strict-aliasing")

_module = []
why_not = None


def front():
    """The C front-end module, or None (building it the first time a machine asks)."""
    global why_not
    if not _module:
        try:
            _module.append(_load())
        except Exception as e:        # no headers, no compiler, a failed build: run Python
            why_not = f"{type(e).__name__}: {e}".strip()
            _module.append(None)
            if settings.switch("LAZYTENSOR_NATIVE", True):     # not turned off: say so
                warnings.warn(f"lazytensor: the C front end could not be built ({why_not}); "
                              "each op runs in Python instead, about 8x slower. Installing "
                              "Python's development headers (e.g. apt-get install "
                              "python3-dev) fixes it.", RuntimeWarning, stacklevel=2)
            debug_log.logger.debug("lazytensor: C front end not used (%s)", why_not)
    return _module[0]


def _load():
    if not settings.switch("LAZYTENSOR_NATIVE", True):
        raise RuntimeError("LAZYTENSOR_NATIVE is off")
    source = importlib.resources.files("lazytensor.templates").joinpath(
        "native", "front.c").read_text()
    installed = _installed(source)
    if installed is not None:
        return installed
    include = sysconfig.get_paths()["include"]
    if not os.path.exists(os.path.join(include, "Python.h")):
        raise RuntimeError(f"no Python.h in {include}")
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    h = hashlib.sha256()
    for part in (source, sys.version, suffix, include, " ".join(FLAGS),
                 cc.compiler_identity()):
        h.update(part.encode())
        h.update(b"\0")
    key = h.hexdigest()[:32]
    root = cache.cache_dir()
    folder = cache.private_dir(root, "native") if cache._safe_dir(root) else None
    folder = folder or tempfile.mkdtemp(prefix="lazytensor-native-")
    path = os.path.join(folder, f"front-{key}{suffix}")
    if not _verified(path):         # missing, truncated or damaged: loading it could crash
        _build(source, include, folder, path)
    loader = importlib.machinery.ExtensionFileLoader("lazytensor._front", path)
    spec = importlib.util.spec_from_file_location("lazytensor._front", path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _installed(source):
    """The extension built at install, if there is one and it was built from `source`."""
    spec = importlib.util.find_spec("lazytensor._front")
    if spec is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    digest = hashlib.sha256(source.encode()).hexdigest()
    return module if getattr(module, "source_sha256", None) == digest else None


def _build(source, include, folder, path):
    with tempfile.TemporaryDirectory(prefix="lazytensor-build-") as tmp:
        c_path = os.path.join(tmp, "front.c")
        with open(c_path, "w") as f:
            f.write(source)
        out = os.path.join(tmp, "front.so")
        proc = subprocess.run([*cc.compiler(), *FLAGS, f"-I{include}", c_path, "-o", out],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise cc.CompileError(f"building the C front end failed:\n{proc.stderr.strip()}")
        with open(out, "rb") as src:
            library = src.read()
        cache_dir.write_hashed(path, library)


_verified = cache_dir.verified

