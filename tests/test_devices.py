"""Devices: lazytensor.device parsing, printing and equality, device= on creation, .to(),
.cpu(), .cuda(), .type(), and the accelerator/cuda queries on a machine without a GPU.

Messages and printed forms are PyTorch 2.13's. Where a GPU-less machine differs between
PyTorch builds, a 'cuda' request raises what a CUDA build raises ("Found no NVIDIA driver ...")
and the accelerator queries answer as PyTorch does with no accelerator (False, None, 0).
The tests that need the absence of a GPU skip on a machine that has one.
"""
import pytest

import lazytensor as lt
from lazytensor.device import cuda_available

NO_DRIVER = ("Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU "
             "and installed a driver from http://www.nvidia.com/Download/index.aspx")
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
no_gpu = pytest.mark.skipif(cuda_available(), reason="checks the behaviour without a GPU")


def raises(exc, message, fn, *args, **kwargs):
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert str(info.value) == message


def test_device_parsing_printing_and_equality():
    cases = [(("cuda", 0), "device(type='cuda', index=0)", "cuda:0"),
             (("cuda:1",), "device(type='cuda', index=1)", "cuda:1"),
             (("cpu",), "device(type='cpu')", "cpu"),
             (("cuda",), "device(type='cuda')", "cuda"),
             (("cpu", 1), "device(type='cpu', index=1)", "cpu:1"),
             (("meta",), "device(type='meta')", "meta"),
             (("mps",), "device(type='mps')", "mps")]
    for args, rep, text in cases:
        d = lt.device(*args)
        assert repr(d) == rep and str(d) == text and f"{d}" == text
    d = lt.device("cuda:1")
    assert (d.type, d.index) == ("cuda", 1) and lt.device("cpu").index is None
    assert lt.device("cuda:0") == lt.device("cuda", 0)
    assert lt.device("cuda") != lt.device("cuda", 0)
    assert lt.device("cpu") != "cpu" and not lt.device("cuda:1") == "cuda:1"   # no str equality
    assert lt.device(lt.device("cuda", 1)) == lt.device("cuda", 1)
    assert lt.device(type="cuda", index=2).index == 2 and lt.device("cuda", None).index is None
    assert {lt.device("cpu"): 1}[lt.device("cpu")] == 1
    assert type(lt.device("cpu")).__module__ == "lazytensor"
    with pytest.raises(AttributeError):
        lt.device("cpu").type = "cuda"


def test_device_errors():
    types = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
             "lazy, vulkan, mps, meta, hpu, mtia, privateuseone")
    for bad in ("gpu", "CUDA", "npu"):
        raises(RuntimeError, f"Expected one of {types} device type at start of device string: "
               f"{bad}", lt.device, bad)
    for bad in ("cuda:x", "cuda:-1", "cuda:01", "cuda ", " cpu", "cuda:", ":0", "cuda:0:1"):
        raises(RuntimeError, f"Invalid device string: '{bad}'", lt.device, bad)
    raises(RuntimeError, "Device string must not be empty", lt.device, "")
    raises(RuntimeError, "Device index must not be negative", lt.device, "cuda", -1)
    raises(RuntimeError, "type (string) must not include an index because index was passed "
           "explicitly: cuda:0", lt.device, "cuda:0", 1)
    raises(TypeError, "device(): argument 'index' (position 2) must be int, not float",
           lt.device, "cuda", 1.0)
    raises(TypeError, "device(): argument 'index' (position 2) must be int, not bool",
           lt.device, "cuda", True)
    raises(TypeError, "device(): argument 'type' (position 1) must be str, not "
           "lazytensor.device", lt.device, lt.device("cpu"), 1)


def test_cpu_tensors_and_moves():
    for make in (lambda **k: lt.ones(2, **k), lambda **k: lt.rand(2, **k),
                 lambda **k: lt.tensor([1], **k), lambda **k: lt.arange(3, **k),
                 lambda **k: lt.zeros_like(lt.ones(2), **k), lambda **k: lt.eye(2, **k)):
        for dev in ("cpu", "cpu:0", lt.device("cpu")):
            assert make(device=dev).device == lt.device("cpu")
    x = lt.ones(2)
    assert x.device == lt.device("cpu") and repr(x.device) == "device(type='cpu')"
    assert x.to("cpu") is x and x.cpu() is x and x.to(lt.device("cpu")) is x and x.to(x) is x
    assert x.to(lt.float32) is x and x.to("cpu", lt.float32, False, False) is x
    assert x.to("cpu", copy=True) is not x and x.to(lt.float32, copy=True) is not x
    assert x.to("cpu", lt.int32).dtype is lt.int32
    assert x.to(device="cpu", dtype=lt.int64).tolist() == [1, 1]
    assert x.to(lt.ones(1, dtype=lt.float64)).dtype is lt.float64
    assert x.to(None) is x and x.to() is x
    assert x.is_cpu and not x.is_cuda and x.get_device() == -1 and x.device.type == "cpu"
    assert repr(x.to(lt.float64, True)) == "tensor([1., 1.], dtype=lazytensor.float64)"


def test_to_argument_errors():
    x = lt.ones(2)
    head = "to() received an invalid combination of arguments - got ({}), but expected one of:\n"
    for args, kwargs, got in ((("cpu", "cpu"), {}, "str, str"),
                              ((lt.float64, "cpu"), {}, "lazytensor.dtype, str"),
                              ((x, lt.float32), {}, "Tensor, lazytensor.dtype"),
                              ((), {"foo": 1}, "foo=int, ")):
        with pytest.raises(TypeError) as info:
            x.to(*args, **kwargs)
        assert str(info.value).startswith(head.format(got))
        assert " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, " \
               "torch.memory_format memory_format = None)\n" in str(info.value)


def test_type_names_and_conversions():
    x = lt.ones(2)
    names = {lt.float32: "torch.FloatTensor", lt.float64: "torch.DoubleTensor",
             lt.float16: "torch.HalfTensor", lt.bfloat16: "torch.BFloat16Tensor",
             lt.int64: "torch.LongTensor", lt.int32: "torch.IntTensor",
             lt.int16: "torch.ShortTensor", lt.int8: "torch.CharTensor",
             lt.uint8: "torch.ByteTensor", lt.bool: "torch.BoolTensor"}
    for dtype, text in names.items():
        assert x.to(dtype).type() == text
        assert x.type(text).dtype is dtype
    assert x.type(lt.float32) is x and x.type("torch.FloatTensor") is x
    assert x.type(dtype=lt.float64).dtype is lt.float64
    assert repr(x.type("torch.IntTensor")) == "tensor([1, 1], dtype=lazytensor.int32)"
    for bad in ("DoubleTensor", "torch.float64", "float"):
        raises(ValueError, f"invalid type: '{bad}'", x.type, bad)
    raises(TypeError, "dtype must be a type, str, or dtype object", x.type, 5)


@no_gpu
def test_accelerator_and_cuda_queries_without_a_gpu():
    assert lt.accelerator.is_available() is False
    assert lt.accelerator.current_accelerator() is None
    assert lt.accelerator.device_count() == 0
    assert lt.cuda.is_available() is False and lt.cuda.device_count() == 0
    assert lt.cuda.is_initialized() is False
    raises(RuntimeError, NO_ACCELERATOR, lt.accelerator.current_device_index)
    raises(RuntimeError, NO_ACCELERATOR, lt.accelerator.synchronize)
    raises(RuntimeError, NO_DRIVER, lt.cuda.current_device)
    raises(RuntimeError, NO_DRIVER, lt.cuda.synchronize)
    # the tutorial's idiom
    my_device = lt.accelerator.current_accelerator() if lt.accelerator.is_available() \
        else lt.device("cpu")
    assert lt.rand(2, 2, device=my_device).device == lt.device("cpu")


@no_gpu
def test_cuda_requests_raise_the_cuda_build_message():
    x = lt.ones(2)
    for make in (lambda: lt.ones(2, device="cuda"), lambda: lt.zeros(2, device="cuda:0"),
                 lambda: lt.rand(2, device="cuda"), lambda: lt.tensor([1], device="cuda"),
                 lambda: lt.empty(2, device=lt.device("cuda", 1)),
                 lambda: lt.zeros_like(x, device="cuda"), lambda: x.to("cuda"),
                 lambda: x.cuda(), lambda: x.cuda(0), lambda: x.to("cuda", lt.float64),
                 lambda: x.to(device="cuda"), lambda: x.type("torch.cuda.FloatTensor")):
        raises(RuntimeError, NO_DRIVER, make)
    for make in (lambda: lt.device(0), lambda: x.to(1), lambda: lt.ones(2, device=0)):
        raises(RuntimeError, NO_ACCELERATOR, make)
    with pytest.raises(NotImplementedError, match="^Could not run 'aten::empty.memory_format' "
                                                  "with arguments from the 'MPS' backend."):
        lt.ones(2, device="mps")
    raises(AssertionError, "Torch not compiled with XPU enabled", lt.ones, 2, device="xpu")


@no_gpu
def test_cuda_manual_seed_without_a_gpu_leaves_the_cpu_generator_alone():
    lt.manual_seed(0)
    lt.cuda.manual_seed(123)
    lt.cuda.manual_seed_all(123)
    assert lt.rand(2).tolist() == [0.49625658988952637, 0.7682217955589294]
