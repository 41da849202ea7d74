"""Devices: `lazytensor.device`, and which ones this machine has.

A device is parsed and printed as PyTorch's torch.device is (type[:index], every device type
PyTorch names); tensors live on 'cpu', 'cuda' (when a GPU and its driver are present) or
'meta'. Without a GPU, asking for a 'cuda' tensor raises what a CUDA build of PyTorch raises
there, and an integer device (the current accelerator's index) raises PyTorch's "Cannot
access accelerator device when none is available."
"""
import re

DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                "privateuseone")
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::([1-9]\d*|0))?")

NO_DRIVER = ("Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU "
             "and installed a driver from http://www.nvidia.com/Download/index.aspx")
NO_ACCELERATOR = "Cannot access accelerator device when none is available."


def _type_name(x):
    t = type(x)
    return f"{t.__module__}.{t.__qualname__}" if t.__module__ == "lazytensor" else t.__name__


def _parse(text):
    """(type, index) of a device string, with PyTorch's messages for bad ones."""
    if not text:
        raise RuntimeError("Device string must not be empty")
    match = _DEVICE_STRING.fullmatch(text)
    if match is None:
        raise RuntimeError(f"Invalid device string: '{text}'")
    kind, index = match.group(1), match.group(2)
    if kind not in DEVICE_TYPES:
        raise RuntimeError(f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of "
                           f"device string: {kind}")
    return kind, None if index is None else int(index)


class device:
    """torch.device: a device type and an optional index. Equal to another device with the
    same type and index (never to a string, as in PyTorch)."""
    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device) and index is None:
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool) and index is None:
            type, index = accelerator_type(), type
        else:
            type, index = self._checked(type, index)
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "index", index)

    @staticmethod
    def _checked(type, index):
        if not isinstance(type, str):
            raise TypeError(f"device(): argument 'type' (position 1) must be str, not "
                            f"{_type_name(type)}")
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            raise TypeError(f"device(): argument 'index' (position 2) must be int, not "
                            f"{_type_name(index)}")
        kind, parsed = _parse(type)
        if parsed is not None and index is not None:
            raise RuntimeError(f"type (string) must not include an index because index was "
                               f"passed explicitly: {type}")
        return kind, parsed if index is None else index

    def __setattr__(self, name, value):
        raise AttributeError(f"attribute '{name}' of 'device' objects is not writable")

    def __eq__(self, other):
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __reduce__(self):
        return (device, (self.type, self.index))


device.__module__ = "lazytensor"
CPU = device("cpu")


def cuda_available():
    """True when a CUDA driver and at least one GPU are present."""
    try:
        from .codegen import cuda_driver
    except ImportError:
        return False
    return cuda_driver.available()


def accelerator_type():
    """The device type an integer device index refers to ('cuda'); raises PyTorch's error
    when this machine has no accelerator."""
    if not cuda_available():
        raise RuntimeError(NO_ACCELERATOR)
    return "cuda"


def _unsupported(kind):
    if kind == "xpu":
        return AssertionError("Torch not compiled with XPU enabled")
    backend = {"mps": "MPS", "hip": "HIP", "xla": "XLA", "lazy": "Lazy", "mtia": "MTIA",
               "hpu": "HPU", "ipu": "IPU", "ve": "VE", "maia": "MAIA", "vulkan": "Vulkan",
               "privateuseone": "PrivateUse1"}.get(kind, kind.upper())
    return NotImplementedError(
        f"Could not run 'aten::empty.memory_format' with arguments from the '{backend}' "
        "backend. This could be because the operator doesn't exist for this backend, or was "
        "omitted during the selective/custom build process (if using custom build). If you "
        "are a Facebook employee using PyTorch on mobile, please visit "
        "https://fburl.com/ptmfixes for possible resolutions. 'aten::empty.memory_format' is "
        "only available for these backends: [CPU, CUDA, Meta].")


# what Generator(device=...) raises for a device type it has no generator for here (a
# PyTorch build without CUDA's messages, where this machine has no CUDA driver)
_NO_GENERATOR = {
    "cuda": "Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend "
            "into two shared libraries: a CPU library and a CUDA library; this error has "
            "occurred because you are trying to use some CUDA functionality, but the CUDA "
            "library has not been loaded by the dynamic linker for some reason.  The CUDA "
            "library MUST be loaded, EVEN IF you don't directly use any symbols from the CUDA "
            "library! One common culprit is a lack of -Wl,--no-as-needed in your link "
            "arguments; many dynamic linkers will delete dynamic library dependencies if you "
            "don't depend on any of their symbols.  You can check if this has occurred by "
            "using ldd on your binary to see if there is a dependency on *_cuda.so library.",
    "xpu": "Cannot get XPU generator without ATen_xpu library.",
    "xla": "Cannot get XLA generator without torch_xla library. This error has occurred "
           "because you are trying to use some XLA functionality, but the XLA library has not "
           "been loaded by the dynamic linker. You must load xla libraries by `import "
           "torch_xla`",
    "mps": "Cannot execute getNewGenerator() without MPS backend.",
    "mtia": "Cannot execute getNewGenerator() without MTIA backend.",
    "hip": "Backend doesn`t support getNewGenerator()",
    "hpu": "Backend doesn`t support getNewGenerator()",
    "privateuseone": "Please register PrivateUse1HooksInterface by "
                     "`RegisterPrivateUse1HooksInterface` first.",
}


def generator_device(d):
    """The device (as a string) that Generator(device=d) draws for: the CPU, or a GPU when
    this machine has one; PyTorch's error for any other."""
    if d is None:
        return "cpu"
    if not isinstance(d, (str, int, device)):
        raise TypeError(f"Generator(): argument 'device' must be torch.device, not "
                        f"{_type_name(d)}")
    d = d if isinstance(d, device) else device(d)
    if d.type == "cpu":
        return "cpu"
    if d.type == "cuda" and cuda_available():
        return f"cuda:{d.index or 0}"
    raise RuntimeError(_NO_GENERATOR.get(d.type, f"{d.type.upper()} device type not an "
                                                 "accelerator."))


_default = [None]           # what set_default_device was given (None: the CPU)


def set_default_device(d):
    """The device creation functions use when given none (None: back to the CPU). Checked
    as a device name now; whether it can hold tensors, when one is made."""
    _default[0] = None if d is None else d if isinstance(d, device) else device(d)


def get_default_device():
    d = _default[0]
    if d is None:
        return CPU
    return d if d.index is not None else canonical(d)


def canonical(d):
    """The device a tensor lives on, from what a user passed (None means the default
    device): 'cuda' gets index 0, 'cpu' loses its index."""
    if d is None:
        d = _default[0]
        if d is None:
            return CPU
    d = d if isinstance(d, device) else device(d)
    if d.type == "cuda":
        if not cuda_available():
            raise RuntimeError(NO_DRIVER)
        return device("cuda", d.index or 0)
    if d.type == "cpu":
        return CPU
    if d.type == "meta":
        return d
    raise _unsupported(d.type)
