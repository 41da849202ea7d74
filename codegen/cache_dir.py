"""Where the disk cache lives, and whether a directory of it is safe to use: created 0700,
owned by this user, written by no one else. (The program cache, codegen/cache.py, and the
templates' bytecode cache, codegen/render.py, both keep their files there.)"""
import os
import stat
import warnings

_warned = set()


def cache_dir():
    explicit = os.environ.get("LAZYTENSOR_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lazytensor")


def warn_once(what, message):
    if what not in _warned:
        _warned.add(what)
        warnings.warn(message, RuntimeWarning, stacklevel=4)


def safe_dir(path):
    """Create path (0700) if needed; True when it is ours alone and writable."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
    except OSError as e:
        warn_once(path, f"lazytensor: cache directory {path} is unusable ({e}); "
                         "compiled kernels are kept in memory only")
        return False
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        warn_once(path, f"lazytensor: cache directory {path} can be written by other users; "
                         "not loading or storing kernels there (fix with chmod 700)")
        return False
    if not os.access(path, os.W_OK):
        warn_once(path, f"lazytensor: cache directory {path} is read-only; "
                         "compiled kernels are kept in memory only")
        return False
    return True
