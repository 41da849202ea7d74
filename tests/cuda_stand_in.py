"""A stand-in for a GPU, for the CUDA tests on machines without one (CI has none).

EMULATOR turns generated CUDA source into C++ that g++ builds for the CPU: one std::thread
per CUDA thread of a block, barriers for __syncthreads and warp shuffles. FAKE_DRIVER is a
libcuda with the calls lazytensor makes, whose "device memory" is host memory and whose
"CUBIN" is the path of such a library. `install(tmp_path, monkeypatch)` points lazytensor at
both, so the public API (device='cuda') runs end to end on the CPU.
"""
import functools
import re
import subprocess

from lazytensor.codegen import cache, cuda_driver, nvrtc

_real_compile = nvrtc.compile_cubin     # before install() replaces it

EMULATOR = r"""
// One std::thread per CUDA thread of a block; the blocks run one after another, so
// __shared__ can be a function-static; barriers stand in for __syncthreads and shuffles.
#include <barrier>
#include <functional>
#include <memory>
#include <thread>
#include <vector>
#include <string.h>
struct lt_dim3 { unsigned x = 0; };
thread_local lt_dim3 threadIdx, blockIdx;
lt_dim3 blockDim, gridDim;
static std::unique_ptr<std::barrier<>> block_bar, warp_bar[32];
static unsigned char warp_slots[32][32 * 8];
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
inline void __syncthreads() { block_bar->arrive_and_wait(); }
inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline unsigned atomicAdd(unsigned *p, unsigned v) {
    return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
inline float __uint_as_float(unsigned i) { float f; memcpy(&f, &i, 4); return f; }
inline unsigned __float_as_uint(float f) { unsigned i; memcpy(&i, &f, 4); return i; }
template <class T> T __shfl_down_sync(unsigned, T v, int off) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    T *slots = (T *)warp_slots[warp];
    slots[lane] = v;
    warp_bar[warp]->arrive_and_wait();
    T out = lane + off < 32 ? slots[lane + off] : v;
    warp_bar[warp]->arrive_and_wait();
    return out;
}
static void launch(unsigned grid, unsigned block, std::function<void()> kernel) {
    gridDim.x = grid, blockDim.x = block;
    block_bar.reset(new std::barrier<>(block));
    for (unsigned w = 0; w < block / 32; w++) warp_bar[w].reset(new std::barrier<>(32));
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < block; t++)
        threads.emplace_back([&, t] {
            threadIdx.x = t;
            for (unsigned b = 0; b < grid; b++) { blockIdx.x = b; kernel(); __syncthreads(); }
        });
    for (auto &t : threads) t.join();
}
"""
F16_PTX = {'asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));':
            "{ _Float16 x; memcpy(&x, &h, 2); f = (float)x; }",
            'asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));':
            "{ _Float16 x = (_Float16)f; memcpy(&h, &x, 2); }"}


FAKE_DRIVER = r"""
// libcuda's calls that lazytensor makes: "device" memory is host memory, a "CUBIN" is the
// path of a library whose emu_<kernel>(grid, block, params) runs the kernel on the CPU.
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <string>
extern "C" {
typedef int R;
typedef unsigned long long P;
static int token;
R cuInit(unsigned) { return 0; }
R cuDeviceGetCount(int *n) { *n = 1; return 0; }
R cuDeviceGet(int *d, int i) { *d = i; return i == 0 ? 0 : 101; }
R cuDeviceGetAttribute(int *v, int a, int) { *v = a == 75 ? 9 : a == 76 ? 0 : 2; return 0; }
R cuDeviceGetName(char *name, int len, int) { strncpy(name, "stand-in", len); return 0; }
R cuDevicePrimaryCtxRetain(void **ctx, int) { *ctx = &token; return 0; }
R cuCtxSetCurrent(void *) { return 0; }
R cuCtxSynchronize(void) { return 0; }
R cuMemAlloc_v2(P *p, size_t n) { return n > (1ull << 36) ? 2 : (*p = (P)malloc(n), 0); }
R cuMemFree_v2(P p) { free((void *)p); return 0; }
R cuMemcpyHtoD_v2(P d, const void *s, size_t n) { memcpy((void *)d, s, n); return 0; }
R cuMemcpyDtoH_v2(void *d, P s, size_t n) { memcpy(d, (void *)s, n); return 0; }
R cuMemcpyDtoD_v2(P d, P s, size_t n) { memcpy((void *)d, (void *)s, n); return 0; }
R cuModuleLoadData(void **m, const void *path) {
    return (*m = dlopen((const char *)path, RTLD_NOW)) ? 0 : 200; }
R cuModuleGetFunction(void **f, void *m, const char *name) {
    return (*f = dlsym(m, (std::string("emu_") + name).c_str())) ? 0 : 500; }
R cuLaunchKernel(void *f, unsigned g, unsigned, unsigned, unsigned t, unsigned, unsigned,
                 unsigned, void *, void **params, void **) {
    ((void (*)(unsigned, unsigned, void **))f)(g, t, params); return 0; }
R cuEventCreate(void **e, unsigned) { *e = &token; return 0; }
R cuEventRecord(void *, void *) { return 0; }
R cuEventSynchronize(void *) { return 0; }
R cuEventElapsedTime(float *ms, void *, void *) { *ms = 0.001f; return 0; }
R cuEventDestroy_v2(void *) { return 0; }
R cuGetErrorName(R r, const char **s) {
    *s = r == 2 ? "CUDA_ERROR_OUT_OF_MEMORY" : "CUDA_ERROR_UNKNOWN"; return 0; }
R cuGetErrorString(R r, const char **s) {
    *s = r == 2 ? "out of memory" : "unknown error"; return 0; }
}
"""


def gxx(source, out, *flags):
    cpp = out.with_suffix(".cpp")
    cpp.write_text(source)
    proc = subprocess.run(["g++", "-std=c++20", "-O1", "-fPIC", "-shared", "-pthread", "-w",
                           "-ffp-contract=off", *flags, str(cpp), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[:3000]
    return out


def emulated_cubin(tmp_path, source, arch, compile_for_real=_real_compile):
    """Stands in for nvrtc.compile_cubin: a library running the kernels through EMULATOR.
    The source is also compiled for `arch` with NVRTC when it is installed, so that what
    runs here would compile for a GPU too."""
    if nvrtc.library() is not None:
        compile_for_real(source, arch)
    for ptx, cpu in F16_PTX.items():
        source = source.replace(ptx, cpu)
    wrappers = []
    for fn, params in re.findall(r'extern "C" __global__ void (\w+)\(([^)]*)\)', source):
        types = [re.sub(r"\s*\w+$", "", p.replace("__restrict__", "").strip())
                 for p in params.split(",")]
        args = ", ".join(f"({t})*(unsigned long long *)p[{i}]" for i, t in enumerate(types))
        wrappers.append(f'extern "C" void emu_{fn}(unsigned g, unsigned t, void **p) '
                        f"{{ launch(g, t, [&] {{ {fn}({args}); }}); }}")
    so = tmp_path / f"program{len(list(tmp_path.iterdir()))}.so"
    gxx(EMULATOR + source + "\n" + "\n".join(wrappers) + "\n", so)
    return str(so).encode() + b"\0"



def install(tmp_path, monkeypatch):
    """Use the stand-in driver and compiler until monkeypatch undoes it; `uninstall` after."""
    lib = gxx(FAKE_DRIVER, tmp_path / "libcuda_stand_in.so", "-ldl")
    monkeypatch.setenv("LAZYTENSOR_LIBCUDA", str(lib))
    monkeypatch.setenv("LAZYTENSOR_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "programs").mkdir()
    monkeypatch.setattr(nvrtc, "compile_cubin",
                        functools.partial(emulated_cubin, tmp_path / "programs"))
    for cached in (cuda_driver._driver, cuda_driver.device):
        cached.cache_clear()


def uninstall():
    """Forget the stand-in's driver, devices and programs (after monkeypatch's undo)."""
    for cached in (cuda_driver._driver, cuda_driver.device):
        cached.cache_clear()
    for key in [k for k in cache.memory if k[0] == "cuda"]:
        del cache.memory[key]


def cuda_device(tmp_path_factory):
    """The body of a module fixture giving 'cuda': the GPU when there is one, else the
    stand-in (skipped without g++); `yield from` it."""
    import shutil

    import pytest
    if cuda_driver.available():
        yield "cuda"
        return
    if shutil.which("g++") is None:
        pytest.skip("no GPU, and no g++ for the CUDA stand-in")
    mp = pytest.MonkeyPatch()
    install(tmp_path_factory.mktemp("stand_in"), mp)
    yield "cuda"
    mp.undo()
    uninstall()
