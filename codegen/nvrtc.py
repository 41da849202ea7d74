"""CUDA source -> CUBIN for one exact GPU architecture, with NVRTC (nvcc as a fallback).

CUBIN, not PTX: PTX from an NVRTC newer than the driver fails to load, while a CUBIN built
for the device's own `sm_XX` runs on any driver that supports the device.

libnvrtc is looked for, in order, at: $LAZYTENSOR_NVRTC (the library or its folder), an
installed `nvidia-cuda-nvrtc` wheel (site-packages/nvidia/*/lib), $CUDA_HOME and $CUDA_PATH,
the toolkit's standard locations (/usr/local/cuda, /usr/local/cuda-*, /opt/cuda), then the
loader's own search path. It is loaded with cffi in ABI mode: nothing is built to use it.
"""
import functools
import glob
import importlib.util
import os
import shutil
import subprocess
import tempfile

from cffi import FFI

from .compile import CompileError

# No contraction of a*b+c into an fma: results keep the CPU kernels' rounding (compile.py).
FLAGS = ("--std=c++17", "--fmad=false")

_ffi = FFI()
_ffi.cdef("""
typedef int nvrtcResult;
typedef struct _nvrtcProgram *nvrtcProgram;
const char *nvrtcGetErrorString(nvrtcResult result);
nvrtcResult nvrtcVersion(int *major, int *minor);
nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name,
                               int numHeaders, const char *const *headers,
                               const char *const *includeNames);
nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog);
nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char *const *options);
nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet);
nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin);
nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet);
nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log);
""")

_LIB_GLOB = "libnvrtc.so*"


def _wheel_dirs():
    """lib folders of installed NVIDIA wheels (nvidia/cu13/lib, nvidia/cuda_nvrtc/lib, ...)."""
    try:
        spec = importlib.util.find_spec("nvidia")
    except (ImportError, ValueError):
        return []
    roots = list(spec.submodule_search_locations or []) if spec else []
    return sorted((d for r in roots for d in glob.glob(os.path.join(r, "*", "lib"))),
                  reverse=True)


def _toolkit_dirs(root):
    return [os.path.join(root, "lib64"), os.path.join(root, "lib"),
            *sorted(glob.glob(os.path.join(root, "targets", "*", "lib")))]


def candidates():
    """Paths (or bare names, for the loader to resolve) to try, best first."""
    out = []
    explicit = os.environ.get("LAZYTENSOR_NVRTC")
    if explicit:
        out += sorted(glob.glob(os.path.join(explicit, _LIB_GLOB)), reverse=True) \
            if os.path.isdir(explicit) else [explicit]
    dirs = _wheel_dirs()
    for var in ("CUDA_HOME", "CUDA_PATH"):
        if os.environ.get(var):
            dirs += _toolkit_dirs(os.environ[var])
    for root in ["/usr/local/cuda", *sorted(glob.glob("/usr/local/cuda-*"), reverse=True),
                 "/opt/cuda"]:
        dirs += _toolkit_dirs(root)
    for d in dirs:
        out += sorted(glob.glob(os.path.join(d, _LIB_GLOB)), reverse=True)
    out += ["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"]
    return list(dict.fromkeys(out))


@functools.lru_cache(maxsize=None)
def library():
    """The loaded libnvrtc, or None when none of the candidates loads."""
    for path in candidates():
        try:
            lib = _ffi.dlopen(path)
            major, minor = _ffi.new("int *"), _ffi.new("int *")
            if lib.nvrtcVersion(major, minor) == 0:
                return lib
        except (OSError, AttributeError):
            continue
    return None


def nvcc():
    """Path of nvcc (PATH, then $CUDA_HOME/$CUDA_PATH/bin, then /usr/local/cuda/bin), or None."""
    found = shutil.which("nvcc")
    if found:
        return found
    for root in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"), "/usr/local/cuda"):
        path = os.path.join(root, "bin", "nvcc") if root else None
        if path and os.access(path, os.X_OK):
            return path
    return None


def available():
    """True when CUDA source can be compiled here (NVRTC, else nvcc)."""
    return library() is not None or nvcc() is not None


@functools.lru_cache(maxsize=None)
def version():
    """The compiler's identity for the disk-cache key: 'nvrtc 13.0' or nvcc's release line."""
    lib = library()
    if lib is not None:
        major, minor = _ffi.new("int *"), _ffi.new("int *")
        lib.nvrtcVersion(major, minor)
        return f"nvrtc {major[0]}.{minor[0]}"
    path = nvcc()
    if path is None:
        return "none"
    out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if "release" in line]
    return f"nvcc {lines[-1].strip() if lines else out.strip()}"


def identity(arch):
    """What decides the CUBIN: compiler, flags and target architecture."""
    return f"{version()} | {' '.join(FLAGS)} | {arch}"


def compile_cubin(source, arch, name="lazytensor.cu"):
    """CUBIN bytes for `source` on `arch` ('sm_90'); CompileError (a RuntimeError) on failure."""
    if not (arch.startswith("sm_") and arch[3:].isdigit()):
        raise ValueError(f"expected an exact architecture such as 'sm_90', got {arch!r}")
    lib = library()
    if lib is not None:
        return _nvrtc_compile(lib, source, arch, name)
    if nvcc() is not None:
        return _nvcc_compile(source, arch)
    raise CompileError(
        "lazytensor compiles CUDA kernels with NVRTC, and no libnvrtc was found (nor nvcc). "
        "Install it with 'pip install nvidia-cuda-nvrtc' (or 'lazytensor[cuda]'), or point "
        "LAZYTENSOR_NVRTC at libnvrtc.so.")


def _check(lib, result, what):
    if result != 0:
        raise CompileError(f"NVRTC {what} failed: "
                           f"{_ffi.string(lib.nvrtcGetErrorString(result)).decode()}")


def _nvrtc_compile(lib, source, arch, name):
    prog = _ffi.new("nvrtcProgram *")
    _check(lib, lib.nvrtcCreateProgram(prog, source.encode(), name.encode(), 0, _ffi.NULL,
                                       _ffi.NULL), "nvrtcCreateProgram")
    try:
        opts = [_ffi.new("char[]", o.encode()) for o in (f"--gpu-architecture={arch}", *FLAGS)]
        result = lib.nvrtcCompileProgram(prog[0], len(opts), _ffi.new("char *[]", opts))
        if result != 0:
            size = _ffi.new("size_t *")
            lib.nvrtcGetProgramLogSize(prog[0], size)
            log = _ffi.new("char[]", max(size[0], 1))
            lib.nvrtcGetProgramLog(prog[0], log)
            raise CompileError(
                f"NVRTC failed to compile a generated CUDA program for {arch} "
                f"({_ffi.string(lib.nvrtcGetErrorString(result)).decode()}):\n"
                f"{_ffi.string(log).decode(errors='replace').strip()}")
        size = _ffi.new("size_t *")
        _check(lib, lib.nvrtcGetCUBINSize(prog[0], size), "nvrtcGetCUBINSize")
        cubin = _ffi.new("char[]", size[0])
        _check(lib, lib.nvrtcGetCUBIN(prog[0], cubin), "nvrtcGetCUBIN")
        return bytes(_ffi.buffer(cubin, size[0]))
    finally:
        lib.nvrtcDestroyProgram(prog)


def _nvcc_compile(source, arch):
    with tempfile.TemporaryDirectory(prefix="lazytensor-cuda-") as tmp:
        cu, cubin = os.path.join(tmp, "program.cu"), os.path.join(tmp, "program.cubin")
        with open(cu, "w") as f:
            f.write(source)
        cmd = [nvcc(), "-cubin", f"-arch={arch}", "-std=c++17", "-fmad=false", cu, "-o", cubin]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise CompileError(f"nvcc failed to compile a generated CUDA program for {arch} "
                               f"(exit {proc.returncode}):\n{proc.stderr.strip()}")
        with open(cubin, "rb") as f:
            return f.read()
