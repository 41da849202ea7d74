"""Devices: `lazytensor.device`, and which ones this machine has."""


class device:
    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, str) and ":" in type:
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda", "meta"):
            raise RuntimeError(
                "Expected one of cpu, cuda, meta device type at start of device string: "
                f"{type}")
        self.type, self.index = type, index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


CPU = device("cpu")


def cuda_available():
    """True when a CUDA driver and at least one GPU are present."""
    try:
        from .codegen import cuda_driver
    except ImportError:
        return False
    return cuda_driver.available()


def canonical(d):
    """The device a tensor lives on, from what a user passed (None means the CPU)."""
    if d is None:
        return CPU
    d = d if isinstance(d, device) else device(d)
    if d.type == "cuda":
        if not cuda_available():
            raise RuntimeError("Found no NVIDIA driver on your system. Please check that you "
                               "have an NVIDIA GPU and installed a driver from "
                               "http://www.nvidia.com/Download/index.aspx")
        return device("cuda", d.index or 0)
    if d.type == "cpu":
        return CPU
    return d
