"""Per-kernel debug lines, through the "lazytensor" logger.

Each program run logs one line per kernel at DEBUG (name, how the program was found, the
kernel's time, and the compile or load time on the run that built the program); at
SOURCES, below DEBUG, each kernel's source too. LAZYTENSOR_DEBUG only configures the
logger, at import: 1 sets DEBUG and 2 SOURCES, where the user has set no level on it, and
adds a stderr handler where no handler would receive its records. A user can instead set
the level (and a handler of their own) with the logging module, at any time.

Whether the logger is enabled for DEBUG is asked on every program run (run.py, and the C
front end, which reads a dict), so it is kept in `on`, a dict that holds KEY exactly when it
is: the logger's level cache, which logging clears whenever any level changes (setLevel on
any logger, logging.disable, basicConfig(level=...)), is replaced by one whose clearing
re-reads the level.
"""
import logging
import os
import sys

from . import settings
from .compile_log import logger

SOURCES = logging.DEBUG - 5
KEY = "debug"
on = {}


def _refresh():
    if logger.manager.disable < logging.DEBUG and logger.getEffectiveLevel() <= logging.DEBUG:
        on[KEY] = True
    else:
        on.pop(KEY, None)


class _LevelCache(dict):
    """The logger's cache of isEnabledFor answers; logging clears it on every level change."""

    def clear(self):
        super().clear()
        _refresh()


class _Stderr(logging.StreamHandler):
    """Writes to sys.stderr as it is when a record comes (as logging's last resort does)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def configure(environ=os.environ):
    """Apply LAZYTENSOR_DEBUG to the logger (a ValueError naming it when malformed)."""
    level = settings.level("LAZYTENSOR_DEBUG", environ)
    if level:
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.DEBUG if level == 1 else SOURCES)
        if not logger.hasHandlers():
            logger.addHandler(_Stderr())
    _refresh()


if isinstance(getattr(logger, "_cache", None), dict):
    logger._cache = _LevelCache(logger._cache)
configure()


def kernel_line(name, status, seconds, built_seconds, extra=""):
    """Log one kernel's run; built_seconds is the program's compile or load time on the
    run that built it, else None."""
    if built_seconds is None:
        built = ""
    elif status == "compiled":
        built = f" (compiled in {built_seconds * 1e3:.1f} ms)"
    else:
        built = f" (loaded from disk in {built_seconds * 1e3:.1f} ms)"
    logger.debug("lazytensor: %-40s %-8s %9.1f us%s%s", name, status, seconds * 1e6, extra,
                 built)


def kernel_source(source):
    logger.log(SOURCES, "%s", source)
