"""The environment variables lazytensor reads, parsed as the ecosystem parses them.

Switches take 0/1, true/false, yes/no or on/off in any case (unset or empty: the default);
levels also take a whole number (LAZYTENSOR_DEBUG=2). Anything else is a ValueError naming
the variable and what it accepts, raised where the setting is used.
"""
import os
import re

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
# the most threads a kernel is cut for: the generated C keeps per-thread partial sums in
# arrays of this size (templates/c/program.c.j2, LT_MAX_TASKS)
MAX_THREADS = 256


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def level(name, environ=os.environ, key=None):
    """A level: 0 when unset, empty or false; 1 for true; a whole number as it is. `environ`
    may be os.environ's own bytes mapping, read with `key` (the name encoded)."""
    raw = environ.get(key if key is not None else name)
    text = (_text(raw) or "").strip().lower()
    if not text or text in _FALSE:
        return 0
    if text in _TRUE:
        return 1
    if text.isdigit():
        return int(text)
    raise ValueError(f"{name} must be 0, 1, 2, ..., true/false, yes/no or on/off, not "
                     f"{_text(raw)!r}")


def switch(name, default, environ=os.environ):
    """A boolean setting: `default` when unset or empty."""
    raw = environ.get(name)
    text = (raw or "").strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name} must be 0/1, true/false, yes/no or on/off, not {raw!r}")


def num_threads(environ=os.environ):
    """LAZYTENSOR_NUM_THREADS as a count from 1 to MAX_THREADS, or None when unset."""
    raw = environ.get("LAZYTENSOR_NUM_THREADS")
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_THREADS:
        raise ValueError(f"LAZYTENSOR_NUM_THREADS must be a whole number from 1 to "
                         f"{MAX_THREADS}, not {raw!r}")
    return int(text)


_BYTE_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_BYTE_SIZE = re.compile(r"(\d+|\d*\.\d+(?=\s*[kmgt]))\s*([kmgt]?)(i?b)?")


def byte_size(name, default, environ=os.environ):
    """A size in bytes: a whole number, or a number with K, M, G or T (powers of 1024,
    optionally followed by B or iB: 512M, 1.5G, 2GiB); `default` when unset or empty."""
    raw = environ.get(name)
    text = (raw or "").strip().lower()
    if not text:
        return default
    found = _BYTE_SIZE.fullmatch(text)
    if found is None or (found.group(3) == "ib" and not found.group(2)):
        raise ValueError(f"{name} must be a size in bytes: a whole number, or a number with K, "
                         f"M, G or T (512M, 1G), not {raw!r}")
    number, unit = found.group(1), found.group(2)
    return int(number) * _BYTE_UNITS[unit] if "." not in number else \
        int(float(number) * _BYTE_UNITS[unit])
