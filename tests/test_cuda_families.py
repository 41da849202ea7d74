"""Every op family through the public API with device='cuda', against the same code on the CPU.

On a machine with a GPU the tensors live on it; without one, the families run on the CPU
stand-in for the driver and compiler (tests/cuda_stand_in.py), which executes the generated
CUDA kernels thread by thread — the same source, launches and host code as on a GPU.
Each family builds its tensors once per device; values must agree (exactly for integers,
booleans, indices and copies; to a few float32 ulps where the GPU's libm or its order of
summation differs).
"""

import numpy as np
import pytest

import cuda_stand_in
import lazytensor as lt
from lazytensor.storage import realize_all


@pytest.fixture(scope="module")
def cuda(tmp_path_factory):
    yield from cuda_stand_in.cuda_device(tmp_path_factory)


def _values(t):
    """A tensor's elements as a host NumPy array (bfloat16 widened to float32)."""
    host = t.cpu()
    return host.numpy() if host.dtype is not lt.bfloat16 else host.float().numpy()


def _agree(cpu_out, gpu_out, rtol=1e-5, atol=1e-6):
    assert len(cpu_out) == len(gpu_out)
    for i, (c, g) in enumerate(zip(cpu_out, gpu_out)):
        assert g.device == lt.device("cuda", 0), f"output {i} is on {g.device}"
        assert (g.dtype, g.shape) == (c.dtype, c.shape), f"output {i}"
        scale = {lt.float16: 1e3, lt.bfloat16: 1e4}.get(g.dtype, 1)
        cv, gv = _values(c), _values(g)
        if g.dtype.is_floating_point:
            np.testing.assert_allclose(gv, cv, rtol=rtol * scale, atol=atol * scale,
                                       equal_nan=True, err_msg=f"output {i}")
        else:
            np.testing.assert_array_equal(gv, cv, err_msg=f"output {i}")


def _realise(outs):
    """Realise a family's tensors together (one program per device, as a user's print
    of many results would not, but the CPU stand-in compiles faster)."""
    by_device = {}
    for s in (t._storage for t in outs):
        by_device.setdefault(str(s.device), []).append(s)
    for group in by_device.values():
        realize_all([s for s in group if s.node.op != "load"])
    return outs


def both(family):
    """Run family(device) on the CPU and on CUDA with the same seed; outputs agree."""
    def run(dev):
        lt.manual_seed(7)
        return _realise(family(dev))
    return run("cpu"), run("cuda")


# -- families ---------------------------------------------------------------------------------

def creation(d):
    return [lt.zeros(3, 4, device=d), lt.ones(2, 3, dtype=lt.int64, device=d),
            lt.full((2, 2), 7.5, device=d), lt.arange(10, device=d),
            lt.arange(0, 1, 0.125, device=d), lt.linspace(-1, 1, 9, device=d),
            lt.eye(3, device=d), lt.rand(4, 5, device=d), lt.randn(3, 3, device=d),
            lt.randint(0, 10, (3, 4), device=d), lt.tensor([[1, 2], [3, 4]], device=d),
            lt.zeros_like(lt.rand(2, 2, device=d)), lt.empty(2, 3, device=d).fill_(2)]


def elementwise(d):
    x, y = lt.rand(5, 6, device=d) * 4 - 2, lt.rand(5, 6, device=d) + 0.5
    i, j = lt.randint(-20, 20, (5, 6), device=d), lt.randint(1, 5, (5, 6), device=d)
    return [x + y, x - y * 2, x * y, x / y, x // y, x % y, x ** 2, y ** 0.5, -x, x.abs(),
            x.sin(), x.cos(), y.log(), x.exp(), x.tanh(), x.sigmoid(), x.relu(), y.sqrt(),
            x.clamp(-1, 1), lt.where(x > 0, x, y), x > y, x == x, (x > 0) & (y > 1),
            i + j, i * j, i // j, i % j, i & j, i | j, i ^ j, ~i, i > 3, i.float() / 3,
            x.to(lt.int32), x.half() * 2, x.bfloat16() + 1, x.double().exp(), i.abs(),
            lt.maximum(x, y), lt.minimum(i, j), x.round(), x.floor(), x.sign(), 3 - x,
            2 ** j, x.atan2(y), lt.lerp(x, y, 0.25)]


def reductions(d):
    x = lt.rand(33, 70, device=d)
    i = lt.randint(-50, 50, (9, 40), device=d)
    big = lt.rand(100000, device=d)
    return [x.sum(), x.sum(dim=0), x.sum(dim=1, keepdim=True), x.mean(), x.mean(dim=0),
            x.max(), x.min(dim=1).values, x.min(dim=1).indices, x.argmax(), x.argmin(dim=0),
            x.amax(dim=1), x[:, :10].prod(dim=1), x.std(),
            x.var(dim=1), (x > 0.5).all(), (x > 0.99).any(dim=1), i.sum(), i.sum(dim=1),
            i.max(), i.argmin(), big.sum(), big.max(), big.argmax(), big.mean(),
            x.softmax(dim=1), x.log_softmax(dim=0), x.logsumexp(dim=1), x.norm(),
            x.cumsum(dim=1), i.cumsum(dim=0), x.sum(dim=(0, 1))]


def views(d):
    x = lt.rand(6, 8, device=d)
    t = lt.arange(24, device=d).reshape(2, 3, 4)
    return [x.T + 0, x[::2, 1::3] * 2, x[:, 1].unsqueeze(1).expand(6, 5) + 0, x.flip(0),
            x.reshape(4, 12)[1:, ::5].exp(), x.permute(1, 0)[2:5], x[0], x[-1, -3:],
            t.transpose(0, 2).contiguous(), t.view(6, 4)[2:], t.squeeze(), t[:, None, 1],
            lt.cat([x, x * 2], dim=1), lt.stack([x[0], x[1]]), x.narrow(1, 2, 3),
            *x.chunk(3, dim=1), *t.split([1, 2], dim=1), x.flatten(), t.movedim(0, -1),
            x.diagonal(), t.unsqueeze(0).expand(2, 2, 3, 4).sum(dim=0)]


def in_place(d):
    z = lt.zeros(4, 5, device=d)
    z[0] = 5
    z[1:3, ::2] = lt.ones(2, 3, device=d) * 7
    z[:, -1] += 1
    w = lt.rand(3, 6, device=d)
    v = w[:, 1::2]
    v.mul_(10)
    w.add_(1).clamp_(0, 5)
    u = lt.arange(6, device=d).float()
    u.sub_(2).abs_()
    m = lt.rand(4, 4, device=d)
    m.masked_fill_(m > 0.5, -1)
    m.fill_diagonal_(0)
    a = lt.ones(2, 3, device=d)
    b = a.T
    b[0, 1] = 4
    return [z, w, v, u, m, a, b]


def linalg(d):
    a, b = lt.rand(12, 20, device=d), lt.rand(20, 9, device=d)
    p = lt.rand(2, 5, 7, device=d)
    return [a @ b, a.T.matmul(lt.rand(12, 3, device=d)), lt.rand(5, 7, device=d) @ lt.rand(7, device=d),
            lt.mm(a, b), lt.bmm(p, p.transpose(1, 2)), lt.dot(b[:, 0], b[:, 1]),
            lt.mv(a, b[:, 0]), lt.einsum("ij,jk->ik", a, b), lt.outer(b[:, 0], b[0])]


def indexing_and_sorting(d):
    x = lt.rand(6, 7, device=d)
    idx = lt.tensor([4, 0, 2], device=d)
    s = x.sort(dim=1)
    return [x[idx], x[:, idx], x[x > 0.5], x.gather(1, lt.zeros(6, 2, dtype=lt.int64, device=d)),
            x.index_select(0, idx), s.values, s.indices, x.topk(3).values, x.argsort(dim=0),
            lt.nonzero(x > 0.7), *lt.nonzero(x > 0.8, as_tuple=True), x.tril(), x.triu(1), x.roll(2, 1), x.repeat(2, 1), x.diag(),
            x.trace(), x.diff(dim=1), lt.unique(lt.tensor([3, 1, 3, 2], device=d))]


FAMILIES = {f.__name__: f for f in (creation, elementwise, reductions, views, in_place,
                                        linalg, indexing_and_sorting)}


@pytest.mark.parametrize("name", FAMILIES)
def test_family_agrees_with_cpu(cuda, name):
    cpu_out, gpu_out = both(FAMILIES[name])
    _agree(cpu_out, gpu_out)


def test_issue_example_and_printing(cuda):
    """The issue's example: rand on the device, a fused reduction, printed with the device."""
    d = lt.accelerator.current_accelerator() if lt.accelerator.is_available() else lt.device("cpu")
    assert d == lt.device("cuda")
    lt.manual_seed(0)
    x = lt.rand(64, 256, device=d)
    y = ((x * 2 + 1).sin() * x).sum(dim=1)
    lt.manual_seed(0)
    xc = lt.rand(64, 256)
    yc = ((xc * 2 + 1).sin() * xc).sum(dim=1)
    assert repr(y[:4]) == repr(yc[:4])[:-1] + ", device='cuda:0')"
    ex = lt.explain(y)          # after the print: the CUDA source that ran
    assert len(ex.kernels) == 1 and "__global__" in ex.source and "sinf(" in ex.source
    assert y[:4].tolist() == pytest.approx(yc[:4].tolist(), rel=1e-5)


def test_values_cross_devices(cuda):
    host = lt.arange(6).reshape(2, 3).float()
    dev = host.to("cuda")
    assert dev.device == lt.device("cuda", 0) and dev.is_cuda and dev.get_device() == 0
    assert dev.tolist() == host.tolist() and dev.sum().item() == 15.0
    assert bool(dev[0, 1] == 1) and int(dev[1, 2]) == 5
    assert dev.cuda() is dev and host.cuda().device.type == "cuda"
    back = (dev * 2).cpu()
    assert back.device == lt.device("cpu") and back.tolist() == [[0, 2, 4], [6, 8, 10]]
    assert dev.to("cpu", lt.int64).dtype is lt.int64
    clone = dev.clone()
    dev.add_(1)
    assert clone.tolist() == host.tolist() and dev.tolist() == (host + 1).tolist()
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        dev.numpy()
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, "
                                           "but found at least two devices, cuda:0 and cpu!"):
        dev + host
    assert dev.tolist() == (host + 1).tolist()       # the failed op left dev valid


def test_random_on_cuda_equals_the_cpu_generator(cuda):
    lt.manual_seed(1729)
    a = lt.rand(3, 4, device="cuda")
    lt.manual_seed(1729)
    b = lt.rand(3, 4)
    assert a.tolist() == b.tolist()
