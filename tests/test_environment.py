"""Importing and running lazytensor leaves the process environment as the user set it."""
import os
import subprocess
import sys

SCRIPT = """
import ctypes, os
before = dict(os.environ)
import lazytensor as lt
assert lt.arange(10.).sum().item() == 45.0       # the first program loads libgomp
assert dict(os.environ) == before, set(os.environ.items()) ^ set(before.items())
print(ctypes.CDLL("libgomp.so.1").omp_get_max_threads())
"""


def test_import_and_first_program_change_no_environment_variable():
    env = dict(os.environ, LAZYTENSOR_NUM_THREADS="1")
    env.pop("OMP_NUM_THREADS", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "1"        # libgomp still got the thread count asked for
