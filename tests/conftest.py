"""Session setup shared by every test module.

The whole test session compiles into one fresh program cache: LAZYTENSOR_CACHE_DIR is set
here, when pytest imports this file and before any test module imports lazytensor, so no
test reads programs compiled by an earlier run or by the user, and the tests that compile
the same graph share the compiled program (the in-memory cache also keys on structure).
Tests that need their own cache directory (tests/test_cache.py) pass one to a subprocess.
"""
import os
import shutil
import tempfile

import pytest

_CACHE_DIR = tempfile.mkdtemp(prefix="lazytensor-test-cache-")
os.environ["LAZYTENSOR_CACHE_DIR"] = _CACHE_DIR


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)


@pytest.fixture
def depth_limit():
    """`depth_limit(n)` sets the depth past which pending work realises by itself
    (storage.DEPTH_LIMIT) for one test; the old value comes back after it."""
    from lazytensor import storage
    old = storage.DEPTH_LIMIT[0]

    def set_limit(n):
        storage.DEPTH_LIMIT[0] = n
    yield set_limit
    storage.DEPTH_LIMIT[0] = old
