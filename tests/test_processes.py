"""lazytensor in processes forked after it ran parallel kernels (issue 16 item 11):
multiprocessing's fork start method, as DataLoader workers use it."""
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.stress

SCRIPT = """
import multiprocessing as mp
import lazytensor as lt

def child(q):
    y = lt.arange(1 << 20, dtype=lt.float64)
    q.put((y * 3).sum().item())

if __name__ == "__main__":
    x = lt.arange(1 << 20, dtype=lt.float64)
    parent = (x * 2).sum().item()           # a parallel kernel before the fork
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=child, args=(q,))
    p.start()
    p.join(60)
    print(parent, p.exitcode, q.get(timeout=5) if p.exitcode == 0 else None)
"""


def test_a_forked_child_runs_programs_after_the_parent_ran_parallel_ones(tmp_path):
    env = dict(os.environ, LAZYTENSOR_NUM_THREADS="2")
    script = tmp_path / "fork_child.py"
    script.write_text(SCRIPT)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    n = 1 << 20
    assert out.stdout.split() == [str(float(n * (n - 1))), "0", str(float(3 * n * (n - 1) // 2))]
