"""The disk cache's size: a cap (LAZYTENSOR_CACHE_MAX, default 1 GiB), past which the least
recently used program entries are removed, and the listing and clearing behind
`python -m lazytensor cache` and lazytensor.cache_clear().

An entry's last use is its directory's modification time: writing its files sets it, and a
disk hit sets it again (once per process and entry, so a hit costs one utime at most). The
entries' total is kept in programs/size, a running estimate each write adds to (counting
every entry of a full cache takes ~0.3 s): past the cap, the entries are counted again and
the oldest removed until the cache is under nine tenths of the cap, so that the next writes
do not each scan it. Without that file, the first write counts. The entry just written is
never removed (its library is about to be loaded). Two processes writing at the same moment
may lose one addition; the count at the next trim corrects it.

An entry is removed by renaming its directory out of the way, then deleting it: a process
looking it up meanwhile sees the whole entry or none (a miss, rebuilt). A library another
process has loaded stays mapped there after its file is deleted (Linux).
"""
import os
import shutil
import time

from . import settings
from .cache_dir import private_dir, safe_dir, write_atomic

DEFAULT_MAX = 1 << 30
VARIABLE = "LAZYTENSOR_CACHE_MAX"
LOW_WATER = 0.9
_REMOVING = ".evict-"


def max_bytes():
    """The cap, from LAZYTENSOR_CACHE_MAX (a ValueError naming it when malformed)."""
    return settings.byte_size(VARIABLE, DEFAULT_MAX)


max_bytes()          # a malformed value is an error at import, not at the first compile

_used = set()        # entry directories this process has marked as used


def note_use(entry):
    """Mark a program entry as just used (a disk hit), once per process."""
    if entry in _used:
        return
    _used.add(entry)
    try:
        os.utime(entry)
    except OSError:             # a read-only cache: the order of use is not kept
        pass


def note_written(root, entry):
    """After a program entry's files are written: count them, and if the cache is now past
    the cap, remove the least recently used entries (never this one)."""
    _used.add(entry)
    total = _recorded_total(root)
    total = usage(root)[1] if total is None else total + _entry_bytes(entry)
    cap = max_bytes()
    if total > cap:
        total = trim(root, int(cap * LOW_WATER), keep=entry)
    _record_total(root, total)


def entries(root):
    """[(last use, bytes, directory)] of the program entries under root, oldest first."""
    found = []
    programs = private_dir(root, "programs", create=False) if _usable(root) else None
    if programs is None:
        return found
    for shard in _subdirs(programs):
        for entry in _subdirs(shard.path):
            if entry.name.startswith(_REMOVING):          # left by a process that died
                shutil.rmtree(entry.path, ignore_errors=True)
                continue
            try:
                last_use = entry.stat(follow_symlinks=False).st_mtime
            except OSError:
                continue
            found.append((last_use, _entry_bytes(entry.path), entry.path))
    found.sort()
    return found


def usage(root):
    """(number of program entries, their bytes) under root."""
    found = entries(root)
    return len(found), sum(size for _, size, _ in found)


def trim(root, target, keep=None):
    """Remove the least recently used entries until their bytes are at most target; the
    bytes left."""
    found = entries(root)
    total = sum(size for _, size, _ in found)
    for _, size, path in found:
        if total <= target:
            break
        if path != keep and remove(path):
            total -= size
    return total


def clear(root):
    """Remove every program entry under root; (entries removed, bytes freed)."""
    removed = freed = 0
    for _, size, path in entries(root):
        if remove(path):
            removed += 1
            freed += size
    if removed:
        _record_total(root, usage(root)[1])
    return removed, freed


def remove(path):
    """Remove one entry directory: renamed out of the way, then deleted. False when another
    process removed it first."""
    parent, name = os.path.split(path)
    hidden = os.path.join(parent, f"{_REMOVING}{os.getpid()}-{time.monotonic_ns()}-{name}")
    try:
        os.rename(path, hidden)
    except OSError:
        return False
    _used.discard(path)
    shutil.rmtree(hidden, ignore_errors=True)
    return True


def _total_path(root):
    return os.path.join(root, "programs", "size")


def _recorded_total(root):
    """The running estimate of the entries' bytes, or None when there is none."""
    try:
        with open(_total_path(root), "rb") as f:
            return max(int(f.read()), 0)
    except (OSError, ValueError):
        return None


def _record_total(root, total):
    try:
        write_atomic(_total_path(root), str(total).encode())
    except OSError:
        pass


def _usable(root):
    return os.path.isdir(root) and safe_dir(root)


def _subdirs(path):
    """The real directories (not links) in path."""
    try:
        with os.scandir(path) as it:
            return [e for e in it if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _entry_bytes(path):
    total = 0
    try:
        with os.scandir(path) as it:
            for f in it:
                try:
                    total += f.stat(follow_symlinks=False).st_size
                except OSError:
                    pass
    except OSError:
        pass
    return total
