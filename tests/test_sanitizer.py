"""The op families' generated kernels under AddressSanitizer (issue 16 item 1): programs
built with LAZYTENSOR_SANITIZE=1 stop the process at any read or write outside their
buffers. One subprocess (the runtime must be loaded before Python starts) runs kernels of
every kind: fused elementwise chains over views with offsets, steps and broadcasts, the
cascade and column sums, reductions over each axis, matrix products, writes into slices,
scans, sorting's gathers, softmax. (Buffers of 1 MiB or more come from anonymous mappings,
which the sanitizer does not watch: the sizes here stay below.)"""
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.stress

SCRIPT = r"""
import numpy as np
import lazytensor as lt

rng = np.random.default_rng(0)
a_np = rng.standard_normal((37, 53)).astype(np.float32)
b_np = rng.standard_normal((53, 29)).astype(np.float32)
a, b = lt.tensor(a_np), lt.tensor(b_np)
checks = [
    ((a[3:, 1::2] * 2 + a[:-3, 1::2].abs()).sin(), np.sin(a_np[3:, 1::2] * 2 + np.abs(a_np[:-3, 1::2]))),
    (a.t()[5:20] - 1, a_np.T[5:20] - 1),
    (a.flip(1)[:, :7] + a[:, :1], a_np[:, ::-1][:, :7] + a_np[:, :1]),
    (a.sum(), a_np.sum(dtype=np.float64)),
    (a.sum(0), a_np.sum(0)), (a.sum(1), a_np.sum(1)),
    (a.amax(0), a_np.max(0)), (a.argmin(1), a_np.argmin(1)),
    (a.mean(), a_np.mean()), (a.var(1), a_np.var(1, ddof=1)),
    (a @ b, a_np @ b_np), (a[1:30:3, 1:52:3] @ b[::2][:17][:, 3:], a_np[1:30:3, 1:52:3] @ b_np[::2][:17][:, 3:]),
    (a.softmax(-1), np.exp(a_np) / np.exp(a_np).sum(-1, keepdims=True)),
    (a.cumsum(1), np.cumsum(a_np, 1)),
    (a.sort(1).values, np.sort(a_np, 1)),
    (lt.cat([a[:4], a[-4:]], 0) * 3, np.concatenate([a_np[:4], a_np[-4:]]) * 3),
]
big = lt.tensor(rng.standard_normal(1 << 17).astype(np.float32))
checks.append((big.sum(), big.numpy().astype(np.float64).sum()))
checks.append((big.reshape(512, 256).sum(0), big.numpy().reshape(512, 256).sum(0)))
w = a.clone()
w[2:9, 4:40:3] = 5.0
w[::5] += b[:1, :1]
w_np = a_np.copy()
w_np[2:9, 4:40:3] = 5.0
w_np[::5] += b_np[:1, :1]
checks.append((w, w_np))
i = lt.arange(97, dtype=lt.int64)
checks.append(((i * 7 + 3) // 5 % 11, (np.arange(97) * 7 + 3) // 5 % 11))
for got, want in checks:
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64),
                               rtol=2e-4, atol=2e-4)
print("ok", len(checks))
"""


# the harness itself: a view built around the checks (graph.node directly) reads past its
# buffer, and the sanitizer must say so
OUT_OF_BOUNDS = r"""
import lazytensor as lt
from lazytensor import graph, storage
x = lt.arange(1000.).realize()
past = graph.node("view", x.dtype, (1100,), (x._node,), ((1100,), (1,), 0))
t = lt.Tensor._make(storage.Storage(past, x.device), (1100,), (1,))
print((t * 2).sum().item())
"""


def _libasan():
    try:
        path = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if os.path.isabs(path) and os.path.exists(path) else None


@pytest.mark.skipif(_libasan() is None, reason="gcc's AddressSanitizer runtime is not here")
def test_kernels_of_every_family_stay_inside_their_buffers(tmp_path):
    env = dict(os.environ, LAZYTENSOR_SANITIZE="1", LD_PRELOAD=_libasan(),
               ASAN_OPTIONS="detect_leaks=0:abort_on_error=0",
               LAZYTENSOR_CACHE_DIR=str(tmp_path / "cache"), LAZYTENSOR_NATIVE="0")
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         env=env, timeout=600)
    assert "AddressSanitizer" not in out.stderr, out.stderr[-4000:]
    assert out.returncode == 0, out.stderr[-4000:]
    assert out.stdout.startswith("ok")
    caught = subprocess.run([sys.executable, "-c", OUT_OF_BOUNDS], capture_output=True,
                            text=True, env=env, timeout=600)
    assert "AddressSanitizer: heap-buffer-overflow" in caught.stderr and caught.returncode
