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

_CACHE_DIR = tempfile.mkdtemp(prefix="lazytensor-test-cache-")
os.environ["LAZYTENSOR_CACHE_DIR"] = _CACHE_DIR


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE_DIR, ignore_errors=True)
