"""lazytensor.accelerator: which accelerator this machine has (CUDA or none)."""
from .device import cuda_available, device


def is_available():
    return cuda_available()


def current_accelerator(check_available=False):
    if not cuda_available():
        if check_available:
            return None
        return None
    return device("cuda")


def device_count():
    if not cuda_available():
        return 0
    from .codegen import cuda_driver
    return cuda_driver.device_count()


def current_device_index():
    return 0 if cuda_available() else -1
