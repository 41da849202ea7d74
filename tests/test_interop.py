"""Interop as PyTorch 2.13 has it: NumPy's protocols (np.asarray shares memory, ufuncs and
NumPy scalars give tensors), DLPack both ways, torch.testing.assert_close's messages,
set_default_device and Generator(device=...).

What each call gives (values, dtypes, strides, errors and their messages) is compared with
tests/data/interop_reference.json, written by PyTorch 2.13 running the same cases
(tests/interop_cases.py); memory sharing and laziness are tested directly.
"""
import gc
import json
import os
import sys

import numpy as np
import pytest

import lazytensor as lt
import lazytensor.utils.dlpack

sys.path.insert(0, os.path.dirname(__file__))
import cuda_stand_in  # noqa: E402
import interop_cases  # noqa: E402

with open(os.path.join(os.path.dirname(__file__), "data", "interop_reference.json")) as f:
    REFERENCE = json.load(f)


def _cases(section):
    return [pytest.param(section, name, id=f"{section}: {name}")
            for name in interop_cases.SECTIONS[section]]


@pytest.mark.parametrize("section,name", [p for s in interop_cases.SECTIONS
                                          for p in _cases(s)])
def test_gives_what_pytorch_gives(section, name):
    got = interop_cases.outcome(interop_cases.SECTIONS[section][name], lt, np)
    assert json.loads(json.dumps(got)) == REFERENCE[section][name]


def test_reference_holds_failures_to_compare():
    """The reference is not a file of passes: most assert_close cases fail, with messages."""
    kinds = [v.get("error") for v in REFERENCE["assert_close"].values()]
    assert kinds.count("AssertionError") >= 50
    assert any("Greatest relative difference" in v.get("message", "")
               for v in REFERENCE["assert_close"].values())


# -- np.asarray shares memory ------------------------------------------------------------------
def test_asarray_shares_memory_both_ways():
    t = lt.arange(6, dtype=lt.float32).reshape(2, 3)
    a = np.asarray(t)
    a[0, 0] = 100
    assert t[0, 0].item() == 100
    t.add_(1)
    assert a[1, 2] == 6


def test_asarray_of_a_view_is_a_view():
    t = lt.arange(6, dtype=lt.float32).reshape(2, 3)
    a = np.asarray(t.t())
    a[2, 1] = -1
    assert t[1, 2].item() == -1


def test_asarray_computes_pending_readers_first():
    x = lt.ones(3)
    y = x * 2
    np.asarray(x)[:] = 7
    assert y.tolist() == [2.0, 2.0, 2.0]
    assert x.tolist() == [7.0, 7.0, 7.0]


def test_copy_keyword():
    t = lt.zeros(3)
    np.array(t)[0] = 1                                   # np.array copies
    np.asarray(t, copy=True)[1] = 1
    assert t.tolist() == [0.0, 0.0, 0.0]
    np.asarray(t, copy=False)[2] = 1
    assert t.tolist() == [0.0, 0.0, 1.0]
    with pytest.raises(ValueError):
        np.asarray(t, dtype=np.float64, copy=False)
    converted = np.asarray(t, dtype=np.float64)
    converted[0] = 5
    assert converted.dtype == np.float64 and t[0].item() == 0


# -- NumPy scalars and ufuncs ----------------------------------------------------------------------
def test_numpy_scalar_on_the_left_stays_lazy():
    t = lt.ones(4) * 3
    r = np.float32(0.5) * t
    assert isinstance(r, lt.Tensor)
    assert not t._storage.realized and not r._storage.realized
    assert r.tolist() == [1.5] * 4


def test_ufunc_result_is_a_tensor_over_numpys_result():
    t = lt.tensor([[1.0, 4.0], [9.0, 16.0]])
    r = np.sqrt(t.t())
    assert isinstance(r, lt.Tensor) and r.dtype is lt.float32
    assert r.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    assert (r + 1).tolist() == [[2.0, 4.0], [3.0, 5.0]]


# -- DLPack --------------------------------------------------------------------------------------
def test_numpy_from_dlpack_shares_memory_both_ways():
    t = lt.arange(6, dtype=lt.float32).reshape(2, 3)
    a = np.from_dlpack(t)
    a[0, 0] = 9
    assert t[0, 0].item() == 9
    t.mul_(2)
    assert a.tolist() == [[18.0, 2.0, 4.0], [6.0, 8.0, 10.0]]


def test_export_computes_pending_readers_first():
    w = lt.zeros(3)
    u = w + 1
    np.from_dlpack(w)[:] = 5
    assert u.tolist() == [1.0, 1.0, 1.0]
    assert w.tolist() == [5.0, 5.0, 5.0]


def test_export_of_a_pending_tensor_keeps_its_memory_alive():
    a = np.from_dlpack(lt.arange(4.0) * 2)
    gc.collect()
    assert a.tolist() == [0.0, 2.0, 4.0, 6.0]


def test_export_with_copy_does_not_share():
    t = lt.zeros(2)
    a = np.from_dlpack(t, copy=True)
    a[0] = 1
    assert t.tolist() == [0.0, 0.0]


def test_from_dlpack_of_an_array_shares_memory_both_ways():
    x = np.arange(6.0).reshape(2, 3)
    y = lt.from_dlpack(x[:, ::2])
    assert y.stride() == (3, 2)
    y[1, 1] = 42
    assert x[1, 2] == 42
    x[0, 2] = -5
    assert y[0, 1].item() == -5


def test_from_dlpack_keeps_the_exporters_memory_alive():
    y = lt.from_dlpack(np.arange(4.0) * 3)
    gc.collect()
    assert y.tolist() == [0.0, 3.0, 6.0, 9.0]


def test_from_dlpack_of_a_tensor_shares_its_storage_without_computing_it():
    t = lt.ones(3) + 1
    u = lt.from_dlpack(t)
    assert u is not t and not t._storage.realized
    u.add_(1)
    assert t.tolist() == [3.0, 3.0, 3.0]
    assert u.is_leaf and not u.requires_grad


def test_bfloat16_travels_through_a_capsule_bit_for_bit():
    t = lt.tensor([1.5, -2.25, 3.0e38, float("nan")], dtype=lt.bfloat16)
    back = lt.from_dlpack(t.__dlpack__(max_version=(1, 0)))
    assert back.dtype is lt.bfloat16
    assert back.view(lt.int16).tolist() == t.view(lt.int16).tolist()


class _Holder:
    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **_):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)


def test_a_refused_capsule_is_left_unconsumed():
    capsule = np.array([1, 2], np.uint16).__dlpack__()
    with pytest.raises(BufferError, match="no dtype"):
        lt.from_dlpack(capsule)
    assert np.from_dlpack(_Holder(capsule)).tolist() == [1, 2]


def test_negative_strides_are_refused_before_anything_is_shared():
    x = np.arange(6.0).reshape(2, 3)
    with pytest.raises(BufferError, match="negative strides"):
        lt.from_dlpack(x[:, ::-1])
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_utils_dlpack():
    t = lt.arange(3)
    back = lazytensor.utils.dlpack.from_dlpack(lazytensor.utils.dlpack.to_dlpack(t))
    assert back.tolist() == [0, 1, 2] and back.dtype is lt.int64
    assert lt.utils.dlpack.DLDeviceType.kDLCPU == 1


# -- set_default_device ----------------------------------------------------------------------------
@pytest.fixture
def default_device():
    yield lt.set_default_device
    lt.set_default_device(None)


def test_default_device_is_the_cpu():
    assert lt.get_default_device() == lt.device("cpu")


def test_set_default_device_cpu(default_device):
    default_device("cpu:0")
    assert lt.get_default_device() == lt.device("cpu", 0)     # PyTorch keeps the index
    assert lt.ones(2).device == lt.device("cpu")
    assert lt.nn.Linear(2, 2).weight.device == lt.device("cpu")


def test_set_default_device_chooses_the_creation_functions_device(default_device):
    default_device("meta")
    assert lt.get_default_device() == lt.device("meta")
    made = [lt.ones(2), lt.zeros(2), lt.empty(2), lt.full((2,), 3.0), lt.tensor([1, 2]),
            lt.arange(3), lt.linspace(0, 1, 3), lt.rand(2), lt.randn(2),
            lt.randint(0, 5, (2,)), lt.eye(2), lt.as_tensor(np.ones(2)),
            lt.nn.Linear(2, 2).weight]
    assert {t.device.type for t in made} == {"meta"}
    assert lt.from_numpy(np.ones(2)).device.type == "cpu"
    assert lt.ones(2, device="cpu").device.type == "cpu"
    assert lt.zeros_like(lt.ones(2, device="cpu")).device.type == "cpu"
    default_device(None)
    assert lt.ones(2).device.type == "cpu"


def test_an_unknown_default_device_is_refused_and_changes_nothing(default_device):
    default_device("meta")
    with pytest.raises(RuntimeError, match="device type at start of device string: foo"):
        default_device("foo")
    assert lt.get_default_device() == lt.device("meta")


# -- Generator(device=...) ------------------------------------------------------------------------
def test_a_cpu_generator_draws_the_default_generators_numbers():
    g = lt.Generator(device="cpu").manual_seed(7)
    lt.manual_seed(7)
    assert lt.rand(4, generator=g).tolist() == lt.rand(4).tolist()


# -- CUDA tensors (on a GPU, or on the CPU stand-in for one) -------------------------------------
@pytest.fixture(scope="module")
def cuda(tmp_path_factory):
    yield from cuda_stand_in.cuda_device(tmp_path_factory)


def test_cuda_tensors_through_the_protocols(cuda):
    t = lt.tensor([1.0, 2.0, 3.0], device=cuda)
    assert t.__dlpack_device__() == (lt.utils.dlpack.DLDeviceType.kDLCUDA, 0)
    with pytest.raises(BufferError, match="CPU tensors only"):
        t.__dlpack__()
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        np.asarray(t)
    assert np.from_dlpack(t, device="cpu").tolist() == [1.0, 2.0, 3.0]   # a copy to the host
    same = lt.from_dlpack(t)
    same.mul_(2)
    assert t.cpu().tolist() == [2.0, 4.0, 6.0]


def test_a_cuda_generator_and_default_device(cuda, default_device):
    assert lt.Generator(device=cuda).device == lt.device("cuda", 0)
    default_device(cuda)
    assert lt.get_default_device() == lt.device("cuda", 0)
    assert lt.zeros(2).device == lt.device("cuda", 0)
