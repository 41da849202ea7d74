"""lazytensor.cuda: PyTorch's torch.cuda queries."""
from . import accelerator
from .device import cuda_available


def is_available():
    return cuda_available()


def device_count():
    return accelerator.device_count()


def current_device():
    if not cuda_available():
        raise RuntimeError("Found no NVIDIA driver on your system. Please check that you have "
                           "an NVIDIA GPU and installed a driver from "
                           "http://www.nvidia.com/Download/index.aspx")
    return 0


def manual_seed(seed):
    """CUDA tensors draw from the CPU generator (same values as on the CPU)."""
    from .random import manual_seed as cpu_seed
    cpu_seed(seed)


manual_seed_all = manual_seed
