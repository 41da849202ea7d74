"""Compiles made visible: a slow one is logged, and a line of user code that keeps building
new programs is warned about once, as torch.compile warns about recompiles.

A loop should build its programs in its first iterations and then only hit the memory
cache. A line that builds a new program again and again is a shape, a dtype or a number
compiled into the code (a pow exponent, an integer divisor) changing every time.
"""
import logging
import sys
import warnings

logger = logging.getLogger("lazytensor")

SLOW_SECONDS = 1.0          # a build taking longer is logged
WARN_AFTER = 8              # programs of one kind built at one line before it warns


class RecompileWarning(UserWarning):
    """One line of user code keeps building new programs."""


# (filename, line, kernel names) -> programs built for realisations made there. The names say
# which ops each kernel fuses, not their shapes or numbers: programs that differ only in those
# are the same code built again, while a line that realises different computations (a helper
# checking many tensors) builds programs of other names and is not counted as recompiling.
_built_at = {}
_to_warn = []               # warnings held until the realisation has finished


def user_site():
    """(filename, line) of the innermost frame outside lazytensor, or None."""
    frame = sys._getframe(1)
    while frame is not None and \
            frame.f_globals.get("__name__", "").partition(".")[0] == "lazytensor":
        frame = frame.f_back
    return None if frame is None else (frame.f_code.co_filename, frame.f_lineno)


def program_built(seconds, kernels, source, how):
    """Note one program built (`how`: "compiled" or "disk") for the realisation running now."""
    site = user_site()
    where = f" for {site[0]}:{site[1]}" if site else ""
    if seconds > SLOW_SECONDS:
        logger.warning("lazytensor: building a program of %d kernel(s) (%d lines of %s) took "
                       "%.1f s (%s)%s", len(kernels), source.count("\n") + 1,
                       "CUDA" if "__global__" in source else "C", seconds, how, where)
    if site is None:
        return
    key = (*site, tuple(k.name for k in kernels))
    n = _built_at[key] = _built_at.get(key, 0) + 1
    if n == WARN_AFTER:
        _to_warn.append((
            f"lazytensor: this line has built {n} different programs; each new one is "
            "compiled. Something in its graph changes every time: a shape, a dtype, or a "
            "number compiled into the code (a pow exponent, an integer divisor). "
            "lazytensor.explain() on two iterations' tensors shows which.", site))


def flush():
    """Give the held warnings (after a realisation, so a filter that turns them into
    errors cannot stop one half-way)."""
    while _to_warn:
        message, (filename, line) = _to_warn.pop(0)
        warnings.warn_explicit(message, RecompileWarning, filename, line)
