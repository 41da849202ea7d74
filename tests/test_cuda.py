"""The CUDA backend. Without a GPU: the CUDA source for the whole op surface renders from the
same kernel descriptions as the C source, and compiles (NVRTC, else nvcc, else skipped).
With a GPU (cuda_driver.available()): the same graphs run on it and agree with the CPU.

Each op family is one batch: one realisation with many outputs, so one program to compile.
"""
import functools
import json
import os
import shutil
import subprocess

import cffi
import numpy as np
import pytest

import cuda_stand_in
import lazytensor as lt
from lazytensor.codegen import cache, cuda_driver, cuda_render, cuda_run, nvrtc, run
from lazytensor.codegen.compile import CompileError

ARCH = "sm_90"
FLOATS = (lt.float32, lt.float64, lt.float16, lt.bfloat16)
INTS = (lt.uint8, lt.int8, lt.int16, lt.int32, lt.int64)
UNARY_FLOAT = ("abs", "neg", "exp", "exp2", "log", "log2", "log1p", "expm1", "sqrt", "rsqrt",
               "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid",
               "relu", "floor", "ceil", "round", "trunc", "sign", "reciprocal", "square",
               "isnan", "signbit", "isinf", "isfinite", "logical_not")
BINARY_FLOAT = ("add", "sub", "mul", "div", "floor_divide", "remainder", "fmod", "pow",
                "atan2", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "copysign",
                "logical_and", "logical_or", "logical_xor")
UNARY_INT = ("abs", "neg", "sign", "square", "bitwise_not", "logical_not")
BINARY_INT = ("add", "sub", "mul", "floor_divide", "remainder", "fmod", "pow", "maximum",
              "minimum", "eq", "lt", "ge", "bitwise_and", "bitwise_or", "bitwise_xor",
              "bitwise_left_shift", "bitwise_right_shift", "logical_xor")

needs_gpu = pytest.mark.skipif(not cuda_driver.available(), reason="no CUDA GPU here")


# -- the op surface, as batches of tensors -----------------------------------------------

def _floats(dt, shape=(6, 7), lo=-2.0, hi=2.0):
    return (lt.rand(*shape) * (hi - lo) + lo).to(dt)


def elementwise_float_batch():
    out = []
    for dt in FLOATS:
        x, y = _floats(dt), _floats(dt)
        unit, pos = _floats(dt, lo=-0.9, hi=0.9), _floats(dt, lo=0.1, hi=3.0)
        for op in UNARY_FLOAT:
            domain = unit if op in ("asin", "acos") else x
            out.append(getattr(lt, op)(pos if op.startswith(("log", "sqrt", "rsqrt")) else domain))
        for op in BINARY_FLOAT:
            out.append(getattr(lt, op)(pos if op == "pow" else x, y))
        out += [lt.where(x > y, x, y), x.clamp(-0.5, 0.5), x * 3 + 1, 2.5 - x, -x / 7]
    return out


def elementwise_int_batch(by_zero=True):
    """by_zero: also integer floor division by zero (the CPU raises ZeroDivisionError when
    it runs, as PyTorch's CPU kernels do; the GPU, as PyTorch's CUDA kernels, does not)."""
    out = []
    for dt in INTS:
        a = lt.randint(0 if dt is lt.uint8 else -50, 50, (5, 8)).to(dt)
        b = lt.randint(1, 6, (5, 8)).to(dt)
        out += [getattr(lt, op)(a) for op in UNARY_INT if not (op == "neg" and dt is lt.uint8)]
        out += [getattr(lt, op)(a, b) for op in BINARY_INT]
        out += [lt.where(a > b, a, b), a * 3 - 2,
                a // (b * 0) if by_zero and dt is not lt.uint8 else a]
    p, q = lt.rand(4, 4) > 0.5, lt.rand(4, 4) > 0.5
    out += [p & q, p | q, p ^ q, ~p, lt.logical_and(p, q), lt.where(p, 1.5, -1.5)]
    return out


def cast_batch():
    every = FLOATS + INTS + (lt.bool,)
    src = {dt: (_floats(lt.float32, (3, 9), -3, 300) if dt.is_floating_point else
                lt.randint(0, 120, (3, 9))).to(dt) for dt in every}
    specials = lt.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 65504.0, 1e-8])
    out = [src[a].to(b) for a in every for b in every if a is not b]
    out += [specials.to(dt) for dt in (lt.float16, lt.bfloat16, lt.float64)]
    return out


def reduction_batch():
    out = []
    shapes = [(8, 16), (16, 1000), (100000,), (5000, 30), (3, 4, 5)]
    for dt in (lt.float32, lt.int32, lt.float16):
        for shape in shapes:
            x = (_floats(lt.float32, shape, -1, 1) * (10 if dt is lt.int32 else 1)).to(dt)
            last = len(shape) - 1
            out += [x.sum(), x.max(), x.min(), x.argmax(), x.argmin(), x.amax(),
                    x.sum(dim=last), x.amax(dim=0), x.argmax(dim=last),
                    x.argmin(dim=0, keepdim=True), x.min(dim=last, keepdim=True).values]
            if dt is not lt.int32:
                out += [x.mean(dim=last), x.prod(dim=last) if shape[-1] < 40 else x.mean()]
    big = lt.rand(64, 4096)
    out += [((big * 2 + 1).sin() * big).sum(dim=1), big.var(dim=1), (big > 0.5).all(),
            (big > 0.99).any(dim=0), lt.rand(3, 200).prod(dim=1)]
    return out


def view_batch():
    x = lt.rand(6, 8)
    out = [x.T + 1, x[::2, 1::3] * 2, x[:, 1].unsqueeze(1).expand(6, 5) + 0,
           x.flip(0) - x, x.reshape(4, 12)[1:, ::5].exp(), x.permute(1, 0)[2:5] + x[0, :6]]
    z = lt.zeros(4, 5)
    z[0] = 5
    w = lt.ones(3, 6)
    w[:, 1::2] = lt.rand(3, 3)
    out += [z, w, lt.cat([x, x * 2], dim=1), lt.cat([x[:2], x[4:]], dim=0),
            lt.stack([x[0], x[1]])]
    a, b = lt.rand(12, 20), lt.rand(20, 9)
    out += [a @ b, a.T.matmul(lt.rand(12, 3)), lt.rand(5, 7) @ lt.rand(7)]
    e = (x - x.max(dim=1, keepdim=True).values).exp()
    out.append(e / e.sum(dim=1, keepdim=True))
    return out


def gradient_batch():
    """Gradients (issue 14): the backward graph of a small network and an elementwise chain,
    which CUDA tensors render and compile like any other graph."""
    x, w = lt.rand(6, 8, requires_grad=True), lt.rand(8, 5, requires_grad=True)
    y = ((x @ w).relu() * x.sum(1, keepdim=True).sigmoid()).softmax(1)
    loss = (y * lt.rand(6, 5)).sum() + x.tanh().pow(2).mean() + (x[:, ::2] * 3).exp().sum()
    return list(lt.autograd.grad(loss, [x, w]))


BATCHES = {"elementwise_float": elementwise_float_batch, "elementwise_int": elementwise_int_batch,
           "casts": cast_batch, "reductions": reduction_batch, "views": view_batch,
           "gradients": gradient_batch}


@functools.lru_cache(maxsize=None)
def batch(name):
    lt.manual_seed(0)
    return BATCHES[name]()


def _compiler_or_skip():
    if not nvrtc.available():
        pytest.skip("neither NVRTC nor nvcc is installed")


# -- rendering ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BATCHES)
def test_whole_op_surface_renders_and_compiles(name):
    ex = lt.explain(*batch(name), backend="cuda")
    assert ex.kernels and 'extern "C" __global__' in ex.source
    for k in ex.kernels:
        assert f"__global__ void {k.name}(" in k.source
        assert "restrict " not in k.source and "_Float16" not in k.source
    _compiler_or_skip()
    assert nvrtc.compile_cubin(ex.source, ARCH)


def test_one_lowering_two_spellings():
    x = lt.rand(8, 16)
    y = ((x * 2 + 1).sin() * x).sum(dim=1)
    c, cu = lt.explain(y), lt.explain(y, backend="cuda")
    assert [k.name for k in c.kernels] == [k.name for k in cu.kernels]
    assert [k.fused for k in c.kernels] == [k.fused for k in cu.kernels]
    src = cu.kernels[0].source
    assert "fuses mul, add, sin, mul, sum[1]" in src and "sinf(" in src
    assert src in cu.source and "launched in order: k0_" in cu.source


def test_half_types_are_stored_as_bits_and_computed_in_float():
    x = lt.rand(10).half()
    src = lt.explain(x.exp() * 2, backend="cuda").source
    assert "uint16_t *__restrict__ out" in src and "lt_f16_round(expf(" in src
    assert "lt_f16_round(lt_f16_to_float(" not in src      # a loaded value is exact already
    bf = lt.explain(lt.rand(10).bfloat16().sin(), backend="cuda").source
    assert "lt_bf16_to_float(" in bf and "lt_float_to_bf16(" in bf


def _layout_of(t):
    (k,) = lt.explain(t, backend="cuda").kernels
    return cuda_render.layout(k), k


@pytest.mark.parametrize("make, strategy", [
    (lambda: lt.rand(64, 4096).sum(dim=1), "block"),      # rows: a block per output
    (lambda: lt.rand(4096, 64).sum(dim=0), "block"),      # few outputs
    (lambda: lt.rand(64, 40000).sum(dim=0), "thread"),    # many columns: coalesced threads
    (lambda: lt.rand(8, 16).sum(dim=1), "thread"),
    (lambda: lt.rand(1 << 20).sum(), "grid"),             # one long reduction: many blocks
    (lambda: lt.rand(100).sum(), "block"),
    (lambda: lt.rand(1000) * 2, "thread"),
    (lambda: lt.rand(300, 200) @ lt.rand(200, 100), "tile"),   # shared-memory tiles
])
def test_layout_strategy(make, strategy):
    lay, k = _layout_of(make())
    assert lay.strategy == strategy
    assert all(lc.threads % 32 == 0 and lc.threads <= 1024 for lc in cuda_render.launches(k))


def test_grid_reduction_keeps_partials_and_resets_its_counter():
    lay, k = _layout_of(lt.rand(1 << 20).argmin())
    (lc,) = cuda_render.launches(k)
    assert lc.blocks <= cuda_render.MAX_PARTIALS and lc.grid(132) <= cuda_render.MAX_PARTIALS
    assert f"__device__ unsigned int {k.name}_done;" in k.source
    assert f"{k.name}_done = 0;" in k.source and "__shfl_down_sync" in k.source


def test_assignment_copies_the_old_version_first_unless_in_place():
    x = lt.rand(4, 5)
    x.realize()
    y = x.clone()
    y[0] = 5
    ex = lt.explain(y, backend="cuda")
    spec = next(k for k in ex.kernels if k.kind == "assign")
    names = [lc.function for lc in cuda_render.launches(spec)]
    if spec.copy_from:
        assert names == [f"{spec.name}_copy", spec.name]
        assert f"void {spec.name}_copy(" in spec.source
    else:
        assert names == [spec.name] and "in place" in spec.source


def test_index_type_widens_past_two_to_the_31():
    small, _ = _layout_of(lt.rand(1000, 1000).sum(dim=1))
    # the diagonal of a 2**16 x 2**16 broadcast, read through a flat reshape: i0*65537
    x = lt.rand(1 << 16)
    huge, _ = _layout_of(x.expand(1 << 16, 1 << 16).reshape(-1)[::(1 << 16) + 1] * 2)
    assert small.index_t == "int" and huge.index_t == "int64_t"


def test_index_magnitude_bounds_every_subexpression():
    from lazytensor.codegen.index import Const, Quotient, Remainder, Var, add, magnitude, scaled
    ranges = {"i0": 9, "i1": 4}
    i0, i1 = Var("i0"), Var("i1")
    assert magnitude(add([scaled(i0, 5), i1]), ranges) == 49
    assert magnitude(Remainder(Quotient(add([scaled(i0, 5), i1]), 7), 3), ranges) == 49
    assert magnitude(add([scaled(i0, -3), Const(100)]), ranges) == 100
    assert magnitude(add([scaled(i0, 1000000000), Const(5)]), ranges) > 2**31
    assert magnitude(add([i0, Var("merged")]), ranges) is None      # counted as unbounded


def test_split_index_is_row_major():
    loops = [("a", 3), ("b", 4), ("c", 5)]
    pairs = dict(cuda_render.split_index(loops, "f"))
    for f in (0, 7, 59):
        got = {v: eval(e.replace("/", "//"), {"f": f}) for v, e in pairs.items()}
        assert got == dict(zip("abc", np.unravel_index(f, (3, 4, 5))))
    assert cuda_render.split_index([("i0", 8)], "lin") == [("i0", "lin")]


# -- compiling ------------------------------------------------------------------------------

def test_nvrtc_errors_name_nvrtc_and_show_the_log():
    if nvrtc.library() is None:
        pytest.skip("NVRTC is not installed")
    with pytest.raises(CompileError, match="NVRTC") as info:
        nvrtc.compile_cubin('extern "C" __global__ void k() { undeclared_thing(); }', ARCH)
    assert "undeclared_thing" in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_nvrtc_is_found_through_lazytensor_nvrtc(monkeypatch, tmp_path):
    monkeypatch.setenv("LAZYTENSOR_NVRTC", str(tmp_path))
    (tmp_path / "libnvrtc.so.99").write_bytes(b"")
    assert nvrtc.candidates()[0] == str(tmp_path / "libnvrtc.so.99")
    monkeypatch.setenv("LAZYTENSOR_NVRTC", "/some/libnvrtc.so")
    assert nvrtc.candidates()[0] == "/some/libnvrtc.so"


def test_nvcc_fallback_compiles_the_same_source():
    if nvrtc.nvcc() is None:
        pytest.skip("nvcc is not installed")
    src = lt.explain(lt.rand(300).half().sum(), lt.rand(9, 9).argmax(dim=0),
                     backend="cuda").source
    assert nvrtc._nvcc_compile(src, ARCH)[:4] == b"\x7fELF"


def test_compiler_identity_names_version_flags_and_arch():
    ident = nvrtc.identity("sm_90")
    assert "sm_90" in ident and "--fmad=false" in ident
    with pytest.raises(ValueError):
        nvrtc.compile_cubin("", "compute_90")


def test_cubin_disk_cache_round_trip(monkeypatch, tmp_path):
    monkeypatch.setenv("LAZYTENSOR_CACHE_DIR", str(tmp_path / "cache"))
    key = cuda_run.source_key("// source", "sm_90")
    assert key != cuda_run.source_key("// source", "sm_80")
    assert cuda_run._disk_lookup(key) is None
    cuda_run._disk_store(key, "// source", b"\x7fELF cubin", ["k0"], "sm_90")
    assert cuda_run._disk_lookup(key) == b"\x7fELF cubin"
    entry = tmp_path / "cache" / "programs" / key[:2] / key
    assert json.loads((entry / "manifest.json").read_text())["kernels"] == ["k0"]
    assert (entry / "program.cu").read_text() == "// source"
    (entry / "program.cubin").write_bytes(b"truncated")
    assert cuda_run._disk_lookup(key) is None


def test_driver_reports_absence_without_raising():
    assert cuda_driver.available() in (True, False)
    assert cuda_driver.device_count() >= 0
    assert lt.accelerator.is_available() == cuda_driver.available()


# -- running on the CPU, through a stand-in for the CUDA runtime ------------------------------

def emulate(nodes, tmp_path):
    """A function(sm_count) running the CUDA program of `nodes` on the CPU: the generated
    kernels, launched as cuda_run launches them, with g++ and EMULATOR for nvcc and a GPU."""
    plan = cuda_render.make_cuda_plan(nodes)
    source, cases, steps = plan.source, [], []
    for ptx, cpu in cuda_stand_in.F16_PTX.items():
        source = source.replace(ptx, cpu)
    for spec in plan.kernels:
        ctype = {p.name: ("" if p.is_output else "const ") + p.ctype for p in spec.params}
        slot_of = dict(zip((p.name for p in spec.params), spec.slots))
        for lc in cuda_render.launches(spec):
            args = ", ".join(f"({ctype[n]} *)a[{i}]" for i, n in enumerate(lc.params))
            cases.append(f"case {len(steps)}: launch(g, t, [&] {{ {lc.function}({args}); }}); "
                         "break;")
            steps.append((lc, [slot_of[n] for n in lc.params]))
    (tmp_path / "program.cpp").write_text(
        cuda_stand_in.EMULATOR + source
        + '\nextern "C" void run(int i, unsigned g, unsigned t, void **a) '
        "{ switch (i) { " + " ".join(cases) + " } }\n")
    so = tmp_path / "program.so"
    proc = subprocess.run(["g++", "-std=c++20", "-O1", "-fPIC", "-shared", "-pthread",
                           "-ffp-contract=off", "-w", str(tmp_path / "program.cpp"), "-o",
                           str(so)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[:3000]
    ffi = cffi.FFI()
    ffi.cdef("void run(int i, unsigned g, unsigned t, void **a);")
    lib = ffi.dlopen(str(so))
    return functools.partial(_run_emulated, plan, lib, ffi, steps, nodes)


def _run_emulated(plan, lib, ffi, steps, nodes, sm_count):
    arrays = [run._input_array(n) for n in plan.schedule.inputs]
    arrays += [None] * (plan.n_slots - len(arrays))
    for k in plan.schedule.kernels:
        if id(k.root) not in plan.alias:        # unwritten elements would show as 0x7f7f...
            dt = np.dtype(k.root.dtype.np_storage)
            numel = int(np.prod(k.root.shape))
            arrays[plan.slot_of[id(k.root)]] = np.full(numel * dt.itemsize, 0x7F, np.uint8).view(dt)
    for i, (lc, slots) in enumerate(steps):
        ptrs = ffi.new("void *[]", [ffi.cast("void *", arrays[s].ctypes.data) for s in slots])
        lib.run(i, lc.grid(sm_count), lc.threads, ptrs)
    return [arrays[plan.slot_of[id(n)]] for n in nodes]


def emulation_batch():
    x = np.zeros(70000, np.float32)
    x[[7, 50001, 60000]] = [np.nan, 3.0, 3.0]
    rows = lt.rand(40, 300)
    ts = [rows.sum(dim=1), rows.argmax(dim=1), rows.T.amin(dim=1), rows.sum(),
          lt.rand(3000, 70).half().sum(dim=0), lt.rand(50000).argmin(), lt.tensor(x).argmax(),
          lt.tensor(x[8:]).argmax(), lt.tensor(x).sum(), (lt.rand(70000) > 0.5).any(),
          lt.rand(200, 150) @ lt.rand(150, 140), lt.rand(2, 9, 130).transpose(1, 2) @ lt.rand(9, 3),
          (lt.rand(64, 33).bfloat16() * 3).exp(), lt.cat([rows[:, ::7], rows[:, 1:3]], dim=1),
          rows.var(dim=1), rows.std(dim=0)]
    w = lt.ones(30, 6)
    w[:, 1::2] = lt.rand(30, 3)
    return ts + [w]


@pytest.fixture(scope="module")
def emulated(tmp_path_factory):
    if shutil.which("g++") is None:
        pytest.skip("needs g++ for the CUDA stand-in")
    lt.manual_seed(1)
    ts = emulation_batch()
    nodes = [t._node for t in ts]
    return ts, run.realize(nodes), emulate(nodes, tmp_path_factory.mktemp("emulated"))


def test_gradient_kernels_agree_with_cpu_on_a_cuda_stand_in(tmp_path):
    """A backward graph's CUDA kernels, executed on the CPU: the C backend's gradients
    (transcendentals and sums may round differently)."""
    if shutil.which("g++") is None:
        pytest.skip("needs g++ for the CUDA stand-in")
    lt.manual_seed(3)
    nodes = [t._node for t in gradient_batch()]
    for c, g in zip(run.realize(nodes), emulate(nodes, tmp_path)(2)):
        np.testing.assert_allclose(g, c, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("sm_count", [1, 3])
def test_kernels_agree_with_cpu_when_run_on_a_cuda_stand_in(emulated, sm_count):
    """Threads, blocks, warp shuffles, barriers and the last-block handshake of the generated
    kernels, executed (on the CPU) for several grid sizes: the results have the C backend's
    values, bit for bit where the order of combination cannot matter."""
    ts, cpu, program = emulated
    for t, c, g in zip(ts, cpu, program(sm_count)):
        if t.dtype.is_floating_point and t._node.op in ("reduce", "view"):
            np.testing.assert_allclose(g, c, rtol=1e-6, err_msg=str(t._node))
        else:
            np.testing.assert_array_equal(g, c, err_msg=str(t._node))


# -- the host side (cuda_run, cuda_driver) against a stand-in driver ---------------------------

@pytest.fixture
def stand_in_driver(tmp_path, monkeypatch):
    if shutil.which("g++") is None:
        pytest.skip("needs g++ for the CUDA stand-in")
    if cuda_driver.available():
        pytest.skip("a real GPU is here")
    cuda_stand_in.install(tmp_path, monkeypatch)
    yield
    monkeypatch.undo()
    cuda_stand_in.uninstall()


def test_realize_cuda_end_to_end_on_a_stand_in_driver(stand_in_driver):
    """Device detection, uploads, slots, launch order and arguments, the program caches and
    the copies back, with a driver library that runs the kernels on the CPU."""
    assert cuda_driver.available() and lt.accelerator.device_count() == 1
    assert cuda_driver.device(0).arch == "sm_90"
    lt.manual_seed(2)
    rows = lt.rand(40, 300)
    z = lt.zeros(4, 5)
    z[0] = 5
    ts = [rows.sum(dim=1), rows.argmax(), (rows.half() * 2).exp(), z,
          lt.rand(20, 30) @ lt.rand(30, 10)]
    nodes = [t._node for t in ts]
    cpu = run.realize(nodes)
    for attempt in ("compiled", "memory"):
        before = dict(cache.stats)
        gpu = cuda_run.realize_cuda(nodes)
        for t, c, g in zip(ts, cpu, gpu):
            assert isinstance(g, cuda_driver.DeviceArray)
            np.testing.assert_allclose(g.numpy(), c, rtol=1e-6, err_msg=str(t._node))
        hits = cache.stats["memory_hits"] - before["memory_hits"]
        assert hits == (attempt == "memory")
    for key in [k for k in cache.memory if k[0] == "cuda"]:
        del cache.memory[key]
    before = cache.stats["disk_hits"]
    cuda_run.realize_cuda(nodes)
    assert cache.stats["disk_hits"] == before + 1


def test_stand_in_driver_errors_and_allocator(stand_in_driver):
    with pytest.raises(RuntimeError, match="CUDA_ERROR_OUT_OF_MEMORY"):
        cuda_driver.DeviceArray(1 << 40, np.uint8)
    a = cuda_driver.DeviceArray.from_numpy(np.arange(10, dtype=np.float32))
    np.testing.assert_array_equal(a.numpy(), np.arange(10, dtype=np.float32))
    ptr = a.ptr
    del a
    assert cuda_driver.DeviceArray(9, np.float32).ptr == ptr      # the same rounded size


# -- running (GPU only) -----------------------------------------------------------------------

_RTOL = {"float32": 2e-6, "float64": 1e-14, "float16": 1e-3, "bfloat16": 8e-3}


def _compare(ts, rtol_scale=1.0):
    nodes = [t._node for t in ts]
    cpu = run.realize(nodes)
    gpu = [a.numpy() for a in cuda_run.realize_cuda(nodes)]
    for t, c, g in zip(ts, cpu, gpu):
        rtol = _RTOL.get(t.dtype.name, 0) * rtol_scale
        if t.dtype is lt.bfloat16:
            c, g = (a.astype(np.uint32) << 16 for a in (c, g))
            c, g = c.view(np.float32), g.view(np.float32)
        if rtol:
            np.testing.assert_allclose(g, c, rtol=rtol, atol=rtol, equal_nan=True,
                                       err_msg=str(t._node))
        else:
            np.testing.assert_array_equal(g, c, err_msg=str(t._node))


@needs_gpu
@pytest.mark.parametrize("name", ["elementwise_float", "elementwise_int", "casts", "views",
                                  "gradients"])
def test_gpu_agrees_with_cpu(name):
    if name == "elementwise_int":
        lt.manual_seed(0)
        _compare(elementwise_int_batch(by_zero=False))
    else:
        _compare(batch(name))


@needs_gpu
def test_gpu_reductions_agree_with_cpu():
    # sums combine in another order on the GPU; the index of a max is exact
    _compare(batch("reductions"), rtol_scale=50)


@needs_gpu
def test_gpu_argmax_takes_the_first_of_equal_values_and_nan_wins():
    x = np.zeros(200000, np.float32)
    x[[70001, 150000]] = 3.0
    y = x.copy()
    y[[5, 199999]] = np.nan
    ts = [lt.tensor(x).argmax(), lt.tensor(y).argmax(), lt.tensor(y).max(),
          lt.tensor(-x).argmin(), lt.tensor(x.reshape(400, 500)).argmax(dim=1)]
    got = [a.numpy() for a in cuda_run.realize_cuda([t._node for t in ts])]
    assert got[0][0] == 70001 and got[1][0] == 5 and np.isnan(got[2][0]) and got[3][0] == 70001
    np.testing.assert_array_equal(got[4], x.reshape(400, 500).argmax(1))


@needs_gpu
def test_gpu_program_is_cached_and_reruns_on_new_data():
    def run_once(seed):
        lt.manual_seed(seed)
        a = lt.rand(1 << 20)
        (out,) = cuda_run.realize_cuda([((a * 3).cos() + a).sum()._node])
        return out.numpy()[0], a.numpy().astype(np.float64)
    run_once(0)
    before = lt.cache_info()["compiled"]
    value, a = run_once(1)
    assert lt.cache_info()["compiled"] == before
    np.testing.assert_allclose(value, (np.cos(a.astype(np.float32) * 3) + a).sum(), rtol=1e-5)


@needs_gpu
def test_gpu_errors_name_the_cuda_error():
    with pytest.raises(RuntimeError, match="CUDA_ERROR"):
        cuda_driver.DeviceArray(1 << 60, np.uint8)
    a = cuda_driver.DeviceArray.from_numpy(np.arange(10, dtype=np.float32))
    np.testing.assert_array_equal(a.numpy(), np.arange(10, dtype=np.float32))


@needs_gpu
def test_caching_allocator_reuses_freed_blocks():
    alloc = cuda_driver.device(0).allocator
    a = cuda_driver.DeviceArray(1000, np.float32)
    ptr = a.ptr
    del a
    b = cuda_driver.DeviceArray(1000, np.float32)
    assert b.ptr == ptr and alloc.in_use >= b.nbytes
    alloc.empty_cache()
    assert alloc.cached == 0


def test_gpu_tests_are_enabled_exactly_when_a_gpu_is_present():
    assert needs_gpu.args[0] == (not cuda_driver.available())
    assert os.environ.get("LAZYTENSOR_REQUIRE_GPU") != "1" or cuda_driver.available()


def test_user_api_on_a_stand_in_driver(stand_in_driver):
    """device='cuda' tensors through the public API: creation, fused ops, printing, copies
    between devices, and PyTorch's errors for numpy() and mixed devices."""
    assert lt.accelerator.is_available() and lt.cuda.is_available()
    assert str(lt.accelerator.current_accelerator()) == "cuda"
    lt.manual_seed(1729)
    x = lt.rand(2, 3, device="cuda")
    assert x.device == lt.device("cuda", 0) and x.is_cuda
    assert repr(x) == ("tensor([[0.3126, 0.3791, 0.3087],\n"
                       "        [0.0736, 0.4216, 0.0691]], device='cuda:0')")
    y = (x * 2 + 1).sin().sum(dim=1)
    assert lt.explain(y).kernels[0].source.count("__global__") >= 1
    host = x.cpu()
    assert host.device == lt.device("cpu")
    np.testing.assert_allclose(y.cpu().numpy(), np.sin(host.numpy() * 2 + 1).sum(1),
                               rtol=1e-5)
    back = host.to("cuda")
    assert back.device.type == "cuda" and back.tolist() == host.tolist()
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        x.numpy()
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, "
                                           "but found at least two devices, cuda:0 and cpu!"):
        x + host
    x[0, 0] = 5
    assert x[0].tolist()[0] == 5.0


def test_a_model_trains_on_cuda_as_on_the_cpu(stand_in_driver):
    """Issue 15's CUDA check: a model moved with .to('cuda') trains with CrossEntropyLoss and
    SGD with momentum through the public API (the step's forward, backward and update as
    CUDA programs, run by the stand-in), with the CPU's losses and weights."""
    def train(device):
        lt.manual_seed(5)
        model = lt.nn.Sequential(lt.nn.Linear(4, 8), lt.nn.ReLU(), lt.nn.Linear(8, 3))
        model.to(device)
        opt = lt.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        x = lt.rand(6, 4).to(device)
        y = lt.tensor([0, 2, 1, 1, 0, 2]).to(device)
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = lt.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        assert model[0].weight.device.type == device
        return losses, [p.detach().cpu().tolist() for p in model.parameters()]
    cpu_losses, cpu_weights = train("cpu")
    gpu_losses, gpu_weights = train("cuda")
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-5)
    for g, c in zip(gpu_weights, cpu_weights):
        np.testing.assert_allclose(g, c, rtol=1e-5, atol=1e-6)
