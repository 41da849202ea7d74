"""Where the disk cache lives, and whether a directory of it is safe to use: created 0700,
owned by this user, written by no one else. (The program cache, codegen/cache.py, and the
templates' bytecode cache, codegen/render.py, both keep their files there.)"""
import hashlib
import os
import stat
import tempfile
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


_UNSAFE = stat.S_IWGRP | stat.S_IWOTH


def private_dir(root, *parts, create=True):
    """root/parts..., each level below the (already checked) root a real directory, not a
    link, of this user that nobody else can write, created 0700 when missing (whatever the
    umask: os.makedirs made the levels above the last with the umask's modes). None when a
    level is missing and not to be created, or is not private (with one warning)."""
    path = root
    for part in parts:
        path = os.path.join(path, part)
        try:
            if create:
                os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError as e:
            warn_once(path, f"lazytensor: cache directory {path} is unusable ({e}); "
                            "compiled kernels are kept in memory only")
            return None
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & _UNSAFE:
            warn_once(path, f"lazytensor: {path} in the cache is not a private directory of "
                            "this user (a link, another owner, or writable by others); not "
                            "loading or storing kernels there")
            return None
    return path


def private_file(path):
    """Whether path is a regular file (not a link) of this user that nobody else can write:
    the only kind the cache loads code from."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & _UNSAFE


def write_atomic(path, data):
    """Write bytes to path under a temporary name (mkstemp: 0600, unique) and rename it
    into place; on any failure (a full disk) the temporary file is removed."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_hashed(path, data):
    """Write a library to path (atomically) with its SHA-256 beside it, for verified()."""
    write_atomic(path + ".sha256", hashlib.sha256(data).hexdigest().encode())
    write_atomic(path, data)


def verified(path):
    """Whether the library at path is a private file of this user whose contents have the
    SHA-256 recorded beside it when it was written (write_hashed): only then is it loaded."""
    if not (private_file(path) and private_file(path + ".sha256")):
        return False
    try:
        with open(path + ".sha256", "rb") as f:
            recorded = f.read().decode()
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest() == recorded
    except (OSError, UnicodeDecodeError):
        return False
