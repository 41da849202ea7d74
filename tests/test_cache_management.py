"""A managed cache (issue 17 items 9 and 7): the disk cache's size cap with the least
recently used programs removed, cache_clear(), `python -m lazytensor cache`, the host memory
pool giving memory back (empty_cache()), and the per-kernel debug lines through logging."""
import logging
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lazytensor as lt
from lazytensor.codegen import cache, cache_size, debug_log, memory, settings


def _run(code, cache_dir, **env):
    full = dict(os.environ, LAZYTENSOR_CACHE_DIR=str(cache_dir), **env)
    for name in ("LAZYTENSOR_DEBUG", "LAZYTENSOR_CACHE_MAX"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=full, timeout=120)


def _cli(cache_dir, *args, **env):
    return _run(f"import sys; from lazytensor.__main__ import main; main({list(args)!r})",
                cache_dir, **env)


# -- the cap -----------------------------------------------------------------------------

def test_a_cache_size_takes_bytes_or_a_unit():
    for text, size in (("1000", 1000), ("512M", 512 << 20), ("1G", 1 << 30),
                       ("1.5g", 3 << 29), ("2GiB", 2 << 30), ("64 kb", 64 << 10)):
        assert settings.byte_size("LAZYTENSOR_CACHE_MAX", 7,
                                  {"LAZYTENSOR_CACHE_MAX": text}) == size
    assert settings.byte_size("LAZYTENSOR_CACHE_MAX", 7, {}) == 7
    for bad in ("lots", "1.5", "-1G", "1X", "G", "1e9"):
        with pytest.raises(ValueError, match="LAZYTENSOR_CACHE_MAX must be a size in bytes"):
            settings.byte_size("LAZYTENSOR_CACHE_MAX", 7, {"LAZYTENSOR_CACHE_MAX": bad})


def test_a_malformed_cap_is_an_error_at_import_naming_the_variable(tmp_path):
    out = _run("import lazytensor", tmp_path, LAZYTENSOR_CACHE_MAX="big")
    assert out.returncode == 1
    assert "LAZYTENSOR_CACHE_MAX must be a size in bytes" in out.stderr and "'big'" in out.stderr


def _program(i):
    """A small C program of its own (a distinct source is a distinct entry)."""
    return f"void lt_program(void **buffers) {{ ((float *)buffers[0])[0] = {i}.0f; }}\n"


def _store(i):
    key = cache.source_key(_program(i))
    path = cache.build(key, _program(i), ["k0"])
    return key, os.path.dirname(path)


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LAZYTENSOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LAZYTENSOR_CACHE_MAX", raising=False)
    return str(tmp_path / "cache")


def _age(entries):
    """Give the entries increasing last-use times, an hour apart, oldest first, as a later
    process would find them (one that has not used them yet)."""
    for i, d in enumerate(entries):
        os.utime(d, (1e9 + 3600 * i, 1e9 + 3600 * i))
        cache_size._used.discard(d)


def test_past_the_cap_the_least_recently_used_programs_are_removed(own_cache, monkeypatch):
    stored = [_store(i) for i in range(3)]          # a, b, c
    (_, a), (_, b), (_, c) = stored
    _age([a, b, c])
    sizes = {d: size for _, size, d in cache_size.entries(own_cache)}
    assert len(sizes) == 3 and len(set(sizes.values())) == 1
    entry = sizes[a]
    assert cache.lookup(stored[0][0]) is not None       # a disk hit: a is now the newest
    monkeypatch.setenv("LAZYTENSOR_CACHE_MAX", str(3 * entry + entry // 10))
    key_d, d = _store(3)                                 # 4 entries: past the cap
    # down to nine tenths of the cap, oldest first: b, then c
    assert {path for _, _, path in cache_size.entries(own_cache)} == {a, d}
    assert cache.lookup(stored[1][0]) is None and cache.lookup(stored[2][0]) is None
    assert cache.lookup(key_d) is not None
    with open(os.path.join(own_cache, "programs", "size")) as f:
        assert int(f.read()) == 2 * entry
    assert not [n for shard in os.listdir(os.path.join(own_cache, "programs"))
                if os.path.isdir(os.path.join(own_cache, "programs", shard))
                for n in os.listdir(os.path.join(own_cache, "programs", shard))
                if n.startswith(".")]                  # nothing left half removed


def test_under_the_cap_nothing_is_removed_and_the_newest_entry_always_stays(own_cache,
                                                                           monkeypatch):
    for i in range(3):
        _store(i)
    assert cache_size.usage(own_cache)[0] == 3
    monkeypatch.setenv("LAZYTENSOR_CACHE_MAX", "0")
    key, d = _store(9)
    assert [path for _, _, path in cache_size.entries(own_cache)] == [d]
    assert cache.lookup(key) is not None


def test_a_hit_marks_its_entry_once_per_process(own_cache):
    key, d = _store(0)
    _age([d])
    cache.lookup(key)
    first = os.stat(d).st_mtime
    assert first > 1e9 + 10
    os.utime(d, (1e9, 1e9))
    cache.lookup(key)                       # already marked by this process: no second utime
    assert os.stat(d).st_mtime == 1e9


def test_without_its_running_total_the_cache_is_counted(own_cache, monkeypatch):
    for i in range(2):
        _store(i)
    os.unlink(os.path.join(own_cache, "programs", "size"))
    _store(2)
    with open(os.path.join(own_cache, "programs", "size")) as f:
        assert int(f.read()) == cache_size.usage(own_cache)[1]


def test_an_entry_removed_between_lookup_and_load_is_rebuilt(own_cache, monkeypatch):
    x = lt.arange(6.0)
    want = (x * 3 + 2).cos().tolist()
    cache.memory.clear()
    real_lookup = cache.lookup

    def lookup_then_lose(key):
        path = real_lookup(key)
        if path is not None:
            cache_size.remove(os.path.dirname(path))      # another process's eviction
        return path
    monkeypatch.setattr(cache, "lookup", lookup_then_lose)
    compiled = cache.stats["compiled"]
    assert (x * 3 + 2).cos().tolist() == want
    assert cache.stats["compiled"] == compiled + 1


def test_cache_clear_removes_programs_and_what_ran_keeps_working(own_cache):
    x = lt.arange(5.0)
    y = (x * 2 + 1).sin()
    want = np.sin(np.arange(5.0, dtype=np.float32) * 2 + 1)
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-6)
    assert cache_size.usage(own_cache)[0] >= 1 and cache.memory
    lt.cache_clear()
    assert cache_size.usage(own_cache) == (0, 0) and not cache.memory
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-6)        # computed values stay
    compiled = cache.stats["compiled"]
    np.testing.assert_allclose((x * 2 + 1).sin().numpy(), want, rtol=1e-6)
    assert cache.stats["compiled"] == compiled + 1                 # built again


# -- python -m lazytensor cache ------------------------------------------------------------

def test_the_cache_command_shows_clears_and_locates_the_cache(tmp_path):
    where = tmp_path / "c"
    out = _run("import lazytensor as lt; print(lt.arange(7.).sin().sum().item())", where)
    assert out.returncode == 0, out.stderr
    info = _cli(where, "cache", "info", LAZYTENSOR_CACHE_MAX="512M")
    assert info.returncode == 0, info.stderr
    lines = dict(line.split(":", 1) for line in info.stdout.splitlines())
    assert lines["location"].strip() == str(where)
    assert lines["entries"].strip() == "1 programs"
    size = int(lines["size"].split()[0])
    assert size == cache_size.usage(str(where))[1] > 0
    assert lines["cap"].split()[0] == str(512 << 20) and "LAZYTENSOR_CACHE_MAX" in lines["cap"]
    assert "|" in lines["compiler"]             # the identity: version | flags | machine
    path = _cli(where, "cache", "path")
    assert path.returncode == 0 and path.stdout.strip() == str(where)
    cleared = _cli(where, "cache", "clear")
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout.startswith(f"removed 1 programs, {size} bytes")
    assert cache_size.usage(str(where)) == (0, 0)
    again = _cli(where, "cache", "info")
    assert "entries:  0 programs" in again.stdout
    wrong = _cli(where, "cache", "wipe")
    assert wrong.returncode == 2 and "invalid choice: 'wipe'" in wrong.stderr


def test_the_module_runs_as_a_command(tmp_path):
    out = subprocess.run([sys.executable, "-m", "lazytensor", "cache", "path"],
                         capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, LAZYTENSOR_CACHE_DIR=str(tmp_path)))
    assert out.returncode == 0 and out.stdout.strip() == str(tmp_path), out.stderr


# -- the host memory pool ------------------------------------------------------------------

RSS = """
import gc, os
import lazytensor as lt

def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)

lt.ones(10).add(1).tolist()
base = rss_mib()
tensors = [lt.ones(16 << 20) + i for i in range(4)]      # 4 x 64 MiB, computed
print(sum(t[-1].item() for t in tensors))
held = rss_mib()
del tensors
gc.collect()
freed = rss_mib()
lt.empty_cache()
emptied = rss_mib()
print(base, held, freed, emptied)
"""


def test_deleted_tensors_give_their_memory_back(tmp_path):
    out = _run(RSS, tmp_path)
    assert out.returncode == 0, out.stderr
    total, numbers = out.stdout.splitlines()
    assert float(total) == 10.0
    base, held, freed, emptied = map(float, numbers.split())
    assert held - base > 200                 # the four arrays were resident
    assert freed - base < 100                # at most the pool's 64 MiB stayed
    assert emptied - base < 30               # and empty_cache() returned that too


def test_empty_cache_empties_the_pool():
    a = memory.empty(1 << 19, np.float32)      # 2 MiB: pooled when given back
    memory.give_back(a)
    del a
    assert memory._pooled_bytes >= 2 << 20
    lt.empty_cache()
    assert memory._pooled_bytes == 0 and not memory._pool


# -- debug lines through logging -------------------------------------------------------------

class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def debug_logger():
    logger = logging.getLogger("lazytensor")
    handler, level = _Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_setting_the_logger_level_gives_the_kernel_lines(debug_logger):
    assert debug_log.on                          # the per-run check follows the level
    x = lt.tensor([1.0, 2.0, 4.0])
    expr = lambda: (x * 5 - 1).sum()            # noqa: E731
    assert expr().item() == 32.0
    assert expr().item() == 32.0                # a memory hit (the C front end's path too)
    lines = [ln for ln in debug_logger.lines if ln.startswith("lazytensor: k")]
    assert len(lines) == 2
    assert lines[0].split()[2] in ("compiled", "disk") and " us (" in lines[0]
    assert lines[0].endswith(" ms)")            # the build time on the run that built it
    assert lines[1].split()[2] == "memory" and lines[1].endswith(" us")
    logging.getLogger("lazytensor").setLevel(logging.INFO)
    assert not debug_log.on
    assert expr().item() == 32.0
    assert len([ln for ln in debug_logger.lines if ln.startswith("lazytensor: k")]) == 2


def test_logging_disable_and_the_root_level_are_followed(debug_logger):
    logger = logging.getLogger("lazytensor")
    logging.disable(logging.DEBUG)
    try:
        assert not debug_log.on
    finally:
        logging.disable(logging.NOTSET)
    assert debug_log.on
    logger.setLevel(logging.NOTSET)             # the root's level decides (WARNING here)
    root = logging.getLogger().level
    assert bool(debug_log.on) == (logging.getLogger().getEffectiveLevel() <= logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        assert debug_log.on
    finally:
        logging.getLogger().setLevel(root)


PROGRAM = """
import lazytensor as lt
x = lt.tensor([1.0, 2.0])
print((x * 7 - 1).sum().item())
"""


def test_the_variable_configures_the_logger(tmp_path):
    out = _run(PROGRAM, tmp_path, LAZYTENSOR_DEBUG="1")
    assert out.returncode == 0 and out.stdout.strip() == "19.0", out.stderr
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("lazytensor: k")]
    assert len(lines) == 1 and " compiled " in lines[0] and "(compiled in " in lines[0]
    out = _run(PROGRAM, tmp_path, LAZYTENSOR_DEBUG="1")
    assert "(loaded from disk in " in out.stderr
    out = _run(PROGRAM, tmp_path)
    assert out.stderr == ""


def test_the_variable_leaves_a_configured_handler_alone(tmp_path):
    code = "import logging; logging.basicConfig(format='USER %(message)s')\n" + PROGRAM
    out = _run(code, tmp_path, LAZYTENSOR_DEBUG="1")
    assert out.returncode == 0, out.stderr
    lines = [ln for ln in out.stderr.splitlines() if "lazytensor: k" in ln]
    assert len(lines) == 1 and lines[0].startswith("USER lazytensor: k")


def test_without_the_c_front_end_the_debug_log_says_so(tmp_path):
    out = _run(PROGRAM, tmp_path, LAZYTENSOR_DEBUG="1", LAZYTENSOR_NATIVE="0")
    assert out.returncode == 0, out.stderr
    assert "lazytensor: C front end not used (RuntimeError: LAZYTENSOR_NATIVE is off)" in \
        out.stderr


def test_a_malformed_debug_level_is_an_error_at_import(tmp_path):
    out = _run("import lazytensor", tmp_path, LAZYTENSOR_DEBUG="loud")
    assert out.returncode == 1 and "LAZYTENSOR_DEBUG must be 0, 1, 2" in out.stderr
