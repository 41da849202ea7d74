"""C source -> shared library, with the system C compiler.

Flags are IEEE-exact: no -ffast-math, and no contraction of a*b+c into an fma, so NaN, inf,
signed zero and rounding match PyTorch's CPU kernels. Code is tuned for this CPU
(-march=native) and uses OpenMP threads; the flags, the compiler's identity and the CPU's
are part of the disk-cache key.
"""
import functools
import hashlib
import json
import os
import platform
import shlex
import shutil
import subprocess
import tempfile

from . import cache_dir, settings

FLAGS = ("-O3", "-march=native", "-fopenmp", "-std=c11", "-fPIC", "-shared",
         "-ffp-contract=off", "-fno-math-errno", "-Werror=implicit-function-declaration")


# A kernel with more source than this (thousands of fused ops) compiles at -O1: -O3's time
# grows faster than a function's size (seconds for a 10,000-op chain) and buys little there.
# The bound is per kernel, not per program: a realised loop is many small kernels (a 2-layer
# net's five steps are 59 kernels, 160 KB), and -O1 left its matrix products and vector
# loops at 1.7x the time for 0.3 s less compiling.
LARGE_KERNEL = 100_000


# LAZYTENSOR_SANITIZE=1 (for tests): programs built with AddressSanitizer, so that any read
# or write outside a program's buffers stops the process with a report. The process must
# have the runtime loaded first (LD_PRELOAD=$(gcc -print-file-name=libasan.so)).
SANITIZE_FLAGS = ("-fsanitize=address", "-fno-omit-frame-pointer")


def sanitizing():
    return settings.switch("LAZYTENSOR_SANITIZE", False)


def flags_for(largest_kernel):
    """The flags for a program whose largest kernel has this many characters of source:
    FLAGS and this CPU's, with -O1 for a very large kernel (the kernels are a function of
    the source, so the disk-cache key, which hashes the source, still decides the binary)."""
    flags = FLAGS + cpu_flags(compiler()) + (SANITIZE_FLAGS if sanitizing() else ())
    if largest_kernel > LARGE_KERNEL:
        return tuple("-O1" if f == "-O3" else f for f in flags)
    return flags


@functools.lru_cache(maxsize=None)
def cpu_flags(cc):
    """Flags this CPU needs beyond -march=native. On a CPU with AVX512-FP16, GCC 12's
    vectorised float16 code rounded differently from the casts the source spells out (the
    float16 log_softmax of [0.5, -1.25, 2, 0.125] gave -1.8466796875 for its first value,
    where the source's own conversions, GCC without those instructions, and PyTorch give
    -1.84765625); without them float16 converts through F16C as on other x86 CPUs."""
    if "avx512_fp16" not in _cpu_feature_flags():
        return ()
    path = shutil.which(cc[0])
    probe = subprocess.run([path, *cc[1:], "-mno-avx512fp16", "-E", "-x", "c", os.devnull,
                            "-o", os.devnull], capture_output=True) if path else None
    return ("-mno-avx512fp16",) if probe is not None and probe.returncode == 0 else ()


def _cpu_feature_flags():
    for line in _cpuinfo_lines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def _cpuinfo_lines():
    """The first CPU's "model name" and "flags" lines of /proc/cpuinfo ([] without it)."""
    try:
        with open("/proc/cpuinfo") as f:
            return [ln for ln in f if ln.startswith(("model name", "flags"))][:2]
    except OSError:
        return []


class CompileError(RuntimeError):
    pass


def compiler():
    """The C compiler's command: CC split as a shell splits it (`ccache gcc`, `gcc-12 -m64`),
    gcc when CC is unset or empty."""
    return tuple(shlex.split(os.environ.get("CC", ""))) or ("gcc",)


@functools.lru_cache(maxsize=None)
def compiler_identity(cc=None):
    """What decides the machine code: compiler version, flags, target machine."""
    cc = cc or compiler()
    path = shutil.which(cc[0])
    if path is None:
        # programs compiled before still run: the identity they were cached under is kept
        known = _recorded_identities().get(" ".join(cc))
        if known is not None:
            return known
        raise CompileError(
            f"lazytensor compiles its kernels with a C compiler, and {cc[0]!r} was not found on "
            "PATH (no program it compiled is cached either). Install gcc (e.g. 'apt-get "
            "install gcc') or set CC to a C compiler.")
    out = subprocess.run([path, *cc[1:], "--version"], capture_output=True, text=True)
    text = out.stdout or out.stderr
    version = text.splitlines()[0] if text else " ".join(cc)
    flags = " ".join(FLAGS + cpu_flags(cc) + (SANITIZE_FLAGS if sanitizing() else ()))
    flags += f" (-O1 for kernels over {LARGE_KERNEL} chars)"    # also decides the binary
    identity = f"{version} | {flags} | {platform.machine()} | {_cpu_identity()}"
    _record_identity(" ".join(cc), identity)
    return identity


def _identities_path():
    root = cache_dir.cache_dir()
    return os.path.join(root, "compilers.json") if cache_dir.safe_dir(root) else None


def _recorded_identities(path=None):
    """{compiler command: the identity its programs were cached under} from the cache
    directory: a cache warmed by a compiler that is gone still serves its programs."""
    path = path or _identities_path()
    try:
        with open(path) as f:
            known = json.load(f)
    except (TypeError, OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _record_identity(command, identity):
    path = _identities_path()
    if path is None:
        return
    known = _recorded_identities(path)
    if known.get(command) == identity:
        return
    known[command] = identity
    try:
        cache_dir.write_atomic(path, json.dumps(known).encode())
    except OSError:                 # only a convenience: the next run records it again
        pass


def _cpu_identity():
    """-march=native code depends on the CPU: its model and feature flags."""
    lines = _cpuinfo_lines()
    if not lines:
        return platform.processor()
    return hashlib.sha256("".join(lines).encode()).hexdigest()[:16]


def compile_shared(source, out_path, largest_kernel=None):
    """Compile `source` into the shared library `out_path` (written atomically);
    `largest_kernel`, the size of its largest kernel's source, decides the optimisation
    level (flags_for; the whole source's size when not given)."""
    largest_kernel = len(source) if largest_kernel is None else largest_kernel
    cc = compiler()
    compiler_identity(cc)
    if shutil.which(cc[0]) is None:     # a warm cache ran without it: this program is new
        raise CompileError(
            f"lazytensor needs to compile a new program, and its C compiler {cc[0]!r} was "
            "not found on PATH. Install gcc (e.g. 'apt-get install gcc') or set CC to a C "
            "compiler.")
    with tempfile.TemporaryDirectory(prefix="lazytensor-build-") as tmp:
        c_path = os.path.join(tmp, "program.c")
        so_path = os.path.join(tmp, "program.so")
        with open(c_path, "w") as f:
            f.write(source)
        flags = flags_for(largest_kernel)
        if sanitizing() or not _compile_then_link(cc, flags, c_path, so_path):
            _run(cc, [*cc, *flags, c_path, "-o", so_path, "-lm"])
        with open(so_path, "rb") as f:      # under a name no other thread or process uses
            cache_dir.write_atomic(out_path, f.read())
    return out_path


def _run(cc, cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CompileError(
            f"{' '.join(cc)} failed to compile a generated kernel (exit {proc.returncode}):\n"
            f"{proc.stderr.strip()}")


# Linking through the compiler driver (collect2, start files, linker scripts) costs more than
# compiling a small program. A program needs none of that: `ld -shared` on the object file,
# with the libraries it may call named, builds it in about a sixth of the time. libc is not
# named (reading its symbol table was half of ld's time): the few libc functions a program
# calls resolve when it is loaded, from the libc every Python process has, and the loader
# (cffi's dlopen binds every symbol at once) refuses a library with any symbol unresolved.
# Should ld refuse, the program, and every later one in this process, is linked by the
# driver instead.
_fast_link = {"ok": True}


def _compile_then_link(cc, flags, c_path, so_path):
    """Compile to an object, then link it with ld directly; False when that did not work
    (the caller then builds with the compiler driver)."""
    libs = _link_libraries(cc) if _fast_link["ok"] else None
    if libs is None:
        _fast_link["ok"] = False
        return False
    o_path = c_path[:-2] + ".o"
    flags = [f for f in flags if f != "-shared"]
    _run(cc, [*cc, *flags, "-pipe", "-c", c_path, "-o", o_path])
    proc = subprocess.run([libs[0], "-shared", "--eh-frame-hdr", "--as-needed",
                           "-o", so_path, o_path, *libs[1:]], capture_output=True, text=True)
    if proc.returncode != 0:
        _fast_link["ok"] = False
        return False
    return True


@functools.lru_cache(maxsize=None)
def _link_libraries(cc):
    """[ld, what a program may call beyond libc: vector math, libm, OpenMP, the compiler's
    runtime (e.g. float16 conversions)], or None when one of them is not found."""
    ld = shutil.which("ld")
    if ld is None:
        return None
    found = []
    for arg in ("-print-file-name=libmvec.so.1", "-print-file-name=libm.so.6",
                "-print-file-name=libgomp.so.1", "-print-libgcc-file-name"):
        proc = subprocess.run([*cc, arg], capture_output=True, text=True)
        path = proc.stdout.strip()
        if proc.returncode != 0 or not os.path.isabs(path) or not os.path.exists(path):
            return None
        found.append(path)
    return [ld, *found]
