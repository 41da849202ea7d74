"""The stress suite's own cases (issue 16). The suite is every test marked `stress`
(`pytest -m stress`): threads and processes here, fork after parallel kernels
(test_processes.py), damaged, full and planted caches (test_cache.py), racing threads on one
program and on a division error (test_pipeline.py), and the sanitizer run of every kernel
family (test_sanitizer.py). Each stays within seconds so that CI runs it with the rest."""
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import lazytensor as lt

pytestmark = pytest.mark.stress


def _mixed_work(seed):
    """Elementwise, reduction, view, in-place and matrix work on one thread's own data; the
    NumPy values it must equal."""
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((33, 17)), rng.standard_normal((17, 9))
    x, y = lt.tensor(a), lt.tensor(b)
    z = x.clone()
    z[::2] += 1.0
    got = ((x.sin() * 2 - x.t().exp().t()).sum(0), (x @ y).amax(1), z.mean(1), x[3:, 1::3].cumsum(0))
    expected_z = a.copy()
    expected_z[::2] += 1.0
    want = ((np.sin(a) * 2 - np.exp(a)).sum(0), (a @ b).max(1), expected_z.mean(1),
            a[3:, 1::3].cumsum(0))
    return got, want


def test_threads_doing_mixed_work_get_numpys_values():
    wrong, errors, runs = [], [], [0]
    stop = time.monotonic() + 3.0

    def work(k):
        seed = k
        while time.monotonic() < stop:
            try:
                got, want = _mixed_work(seed)
                for g, w in zip(got, want):
                    if not np.allclose(g.numpy(), w, rtol=1e-10, atol=1e-12):
                        wrong.append(seed)
                runs[0] += 1
            except Exception as e:  # noqa: BLE001 - any failure fails the test below
                errors.append(repr(e))
            seed += 8
    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and wrong == []
    assert runs[0] >= 8


RACER = """
import lazytensor as lt
x = lt.arange(4 * 29 * 31, dtype=lt.float64).reshape(4, 29, 31)
print(((x * 0.25 + 3).cos().sum(2) - x.amax(2)).sum().item())
"""


def test_processes_racing_on_an_empty_cache_agree_and_leave_no_temporary_files(tmp_path):
    env = dict(os.environ, LAZYTENSOR_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("LAZYTENSOR_DEBUG", None)
    procs = [subprocess.Popen([sys.executable, "-c", RACER], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(6)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [err for _, err in outs]
    x = np.arange(4 * 29 * 31, dtype=np.float64).reshape(4, 29, 31)
    want = ((np.cos(x * 0.25 + 3)).sum(2) - x.max(2)).sum()
    assert {out for out, _ in outs} == {f"{float(outs[0][0])!r}\n"}
    assert float(outs[0][0]) == pytest.approx(want, rel=1e-12)
    leftovers = [f for _, _, files in os.walk(tmp_path) for f in files if ".tmp" in f]
    assert leftovers == []
