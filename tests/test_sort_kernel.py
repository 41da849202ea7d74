"""The C++ sorting kernels (codegen/sort_kernel.py, templates/c/sort.cpp) against PyTorch.

Large inputs full of equal values, rebuilt from NumPy seeds by
tests/data/make_sort_kernel_reference.py, whose indices PyTorch 2.13 (CPU) returned are in
tests/data/sort_kernel_reference.npz (whole, or a SHA-256 and a sample). The Python replay
that runs without a C++ compiler must give the same indices.
"""
import hashlib
import os
import shutil
import stat
import subprocess
import sys

import numpy as np
import pytest

import lazytensor as lt
from lazytensor import sorting
from lazytensor.codegen import sort_kernel

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
sys.path.insert(0, HERE)
try:
    import make_sort_kernel_reference as ref          # the inputs, built the same way
finally:
    sys.path.remove(HERE)
REFERENCE = np.load(os.path.join(HERE, "sort_kernel_reference.npz"))

# cases the Python replay finishes in well under a second (a stable order is NumPy's; the
# others replay libstdc++ element by element)
QUICK_IN_PYTHON = [name for name, case in ref.CASES.items()
                   if case[4].get("stable") or "radix" in name or "small" in name
                   or name in ("unique_i64", "kthvalue_i64", "topk_i16_dim0")]


@pytest.fixture
def python_only(monkeypatch):
    """The kernels unavailable, as where no C++ compiler is installed."""
    monkeypatch.setattr(sort_kernel, "_library", [None])


def expect(name, got):
    """got equals PyTorch's indices for the case `name`: whole, or its sample and digest."""
    got = np.ascontiguousarray(np.asarray(got, dtype=np.int64))
    if name in REFERENCE.files:
        np.testing.assert_array_equal(got.reshape(-1), REFERENCE[name].reshape(-1))
        return
    np.testing.assert_array_equal(got.reshape(-1)[::ref.SAMPLE], REFERENCE[name + ".sample"])
    assert hashlib.sha256(got.tobytes()).hexdigest() == str(REFERENCE[name + ".sha256"])


def run_case(name):
    dtype, _, _, op, args = ref.CASES[name]
    a = ref.inputs(name)
    x = lt.tensor(a, dtype=getattr(lt, dtype))
    if op == "unique":
        values, inverse, counts = lt.unique(x, return_inverse=True, return_counts=True)
        got = values.double().numpy()
        expected = REFERENCE[name + ".values"]
        assert np.array_equal(got, expected, equal_nan=True)
        assert np.array_equal(np.signbit(got), np.signbit(expected))     # -0.0 or 0.0 shown
        np.testing.assert_array_equal(counts.numpy(), REFERENCE[name + ".counts"])
        expect(name + ".inverse", inverse.numpy())
        return
    result = getattr(lt, op)(x, **args)
    indices = result if op == "argsort" else result.indices
    expect(name, indices.numpy())
    if op in ("sort", "topk"):                       # the values are the input at the indices
        d = args.get("dim", -1)
        exact = x.double().numpy()
        want = np.take_along_axis(exact, indices.numpy(), axis=d)
        assert np.array_equal(result.values.double().numpy(), want, equal_nan=True)


@pytest.fixture
def kernels():
    """The C++ kernels, built if need be (small inputs alone never build them)."""
    if sort_kernel.library() is None:
        pytest.skip(f"no sorting kernels here ({sort_kernel.why_not})")


@pytest.mark.parametrize("name", list(ref.CASES))
def test_kernels_give_pytorchs_indices(name, kernels):
    run_case(name)


@pytest.mark.parametrize("name", QUICK_IN_PYTHON)
def test_python_replay_gives_the_same_indices(name, python_only):
    run_case(name)


def test_kernels_are_built_where_a_cpp_compiler_is():
    if shutil.which(sort_kernel.compiler()[0]) is None:
        pytest.skip("no C++ compiler here")
    assert sort_kernel.library() is not None, sort_kernel.why_not


def test_integer_sort_is_stable_from_32768_elements_in_one_dim():
    base = np.arange(40_000) % 3
    stable = np.argsort(base, kind="stable")
    assert lt.tensor(base).sort().indices.tolist() == stable.tolist()
    assert lt.argsort(lt.tensor(base[:32_768], dtype=lt.int16)).tolist() == \
        np.argsort(base[:32_768], kind="stable").tolist()
    # below the size, descending, 2-D or bool: std::sort, which moves equal elements
    assert lt.tensor(base[:32_767]).sort().indices.tolist() != \
        np.argsort(base[:32_767], kind="stable").tolist()
    assert lt.tensor(base).sort(descending=True).indices.tolist() != \
        np.argsort(-base, kind="stable").tolist()
    assert lt.tensor(base.astype(bool)).sort().indices.tolist() != \
        np.argsort(base.astype(bool), kind="stable").tolist()


def _small_cases(seed, count):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        dtype = rng.choice(["float32", "float64", "int64", "int32", "int16", "int8", "uint8",
                            "bool", "float16", "bfloat16"])
        shape = [int(rng.integers(1, 120))] + [int(rng.integers(1, 4))
                                               for _ in range(rng.integers(0, 2))]
        values = rng.integers(0, int(rng.choice([2, 3, 6, 40])), shape)
        a = values.astype(np.float32) - 1
        if dtype.startswith(("float", "bfloat")):
            a[rng.random(shape) < 0.1] = np.nan
            a[(a == 0) & (rng.random(shape) < 0.5)] = -0.0
        yield lt.tensor(a.astype(bool) if dtype == "bool" else a, dtype=getattr(lt, dtype)), \
            int(rng.integers(-len(shape), len(shape)))


def _answers(x, d):
    """Every order a small tensor gets: sorts, topks, kthvalue, mode, unique."""
    out = []
    for descending in (False, True):
        for stable in (False, True):
            out.append(lt.sort(x, d, descending, stable).indices.tolist())
    n = x.shape[d]
    if x.dtype is not lt.bool:
        for k in sorted({1, max(1, n // 3), n}):
            for largest in (True, False):
                for sorted_ in (True, False):
                    out.append(lt.topk(x, k, d, largest, sorted_).indices.tolist())
            out.append(lt.kthvalue(x, k, d).indices.tolist())
    out.append(lt.mode(x, d).indices.tolist())
    values, inverse, counts = lt.unique(x, return_inverse=True, return_counts=True)
    out.append(np.signbit(values.double().numpy()).tolist())
    out.append([inverse.tolist(), counts.tolist()])
    return out


def test_kernels_agree_with_the_python_replay_on_small_ties(monkeypatch, kernels):
    cases = list(_small_cases(5, 60))
    native = [_answers(x, d) for x, d in cases]
    monkeypatch.setattr(sort_kernel, "_library", [None])
    assert [_answers(x, d) for x, d in cases] == native


def test_mode_rows_with_nan_fall_back_to_the_replay():
    x = lt.tensor([[np.nan, 1.0, np.nan, 1.0, 2.0] * 5, [3.0, 1.0, 3.0, 1.0, 2.0] * 5])
    r = x.mode(1)
    assert r.indices.tolist() == [23, 13] and r.values.tolist() == [1.0, 1.0]   # PyTorch 2.13


def test_bfloat16_median_sees_its_nans():
    x = lt.tensor([1.0, np.nan, 2.0, 0.5], dtype=lt.bfloat16)
    r = x.median(0)                                     # as PyTorch 2.13 prints them
    assert np.isnan(r.values.item()) and r.indices.item() == 1
    r = x.nanmedian(0)
    assert (r.values.item(), r.indices.item()) == (1.0, 0)


def test_a_damaged_or_shared_library_is_not_loaded(tmp_path):
    if sort_kernel.library() is None:
        pytest.skip("no kernels built here")
    folder = os.path.join(os.environ["LAZYTENSOR_CACHE_DIR"], "sort")
    built = [f for f in os.listdir(folder) if f.endswith(".so")]
    assert built
    path = str(tmp_path / built[0])
    shutil.copy(os.path.join(folder, built[0]), path)
    shutil.copy(os.path.join(folder, built[0] + ".sha256"), path + ".sha256")
    assert sort_kernel._verified(path)
    os.chmod(path, 0o620)                         # writable by the group: not ours alone
    assert not sort_kernel._verified(path)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "r+b") as f:
        f.seek(100)
        f.write(b"\0damaged")
    assert not sort_kernel._verified(path)


SCRIPT = """
import lazytensor as lt, numpy as np
from lazytensor.codegen import sort_kernel
x = lt.tensor((np.arange(300) * 7) % 5)
print(sort_kernel.library() is not None, lt.sort(x).indices.tolist()[:40])
"""


def test_a_warm_cache_sorts_natively_without_a_compiler(tmp_path):
    env = dict(os.environ, LAZYTENSOR_CACHE_DIR=str(tmp_path / "cache"))
    first = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    empty = tmp_path / "bin"
    empty.mkdir()
    env["PATH"] = str(empty)                    # neither gcc nor g++ from here on
    warm = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout == first.stdout
    native = shutil.which(sort_kernel.compiler()[0]) is not None
    assert warm.stdout.startswith(f"{native} ")
    env["LAZYTENSOR_CACHE_DIR"] = str(tmp_path / "cold")
    cold = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300)
    assert cold.returncode == 0, cold.stderr    # nothing built: the Python replay, same order
    assert cold.stdout == "False" + first.stdout[len(str(native)):]


SMALL_ONLY = """
import os, lazytensor as lt
print(lt.unique(lt.tensor([1, 2, 1, 2, 1, 2])).tolist(), lt.sort(lt.rand(100)).indices.shape)
print(sorted(f for f in os.listdir(os.path.join(os.environ["LAZYTENSOR_CACHE_DIR"], "sort"))))
"""


def test_small_sorts_do_not_build_the_kernels(tmp_path):
    """The tutorial's unique of six values orders in Python rather than paying the kernels'
    one-time build; a process finding them built uses them for every size."""
    env = dict(os.environ, LAZYTENSOR_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", SMALL_ONLY], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["[1, 2] lazytensor.Size([100])", "[]"]
