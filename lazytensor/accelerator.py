"""lazytensor.accelerator: which accelerator this machine has (CUDA or none), as
torch.accelerator reports it. Without one: is_available() is False, current_accelerator()
None, device_count() 0, and the calls that need a device raise PyTorch's "Cannot access
accelerator device when none is available."."""
import warnings

from .device import NO_ACCELERATOR, cuda_available, device as _device

_current = [0]


def is_available():
    return cuda_available()


def current_accelerator(check_available=False):
    """device(type='cuda') on a machine with a GPU, else None."""
    return _device("cuda") if cuda_available() else None


def device_count():
    if not cuda_available():
        return 0
    from .codegen import cuda_driver
    return cuda_driver.device_count()


def _require():
    if not cuda_available():
        raise RuntimeError(NO_ACCELERATOR)


def current_device_index():
    _require()
    return _current[0]


def current_device_idx():
    warnings.warn("Use `current_device_index` instead.", FutureWarning, stacklevel=2)
    return current_device_index()


def set_device_index(device):
    """Make `device` (an index, 'cuda:i' or a device) the current accelerator device."""
    _require()
    index = device if isinstance(device, int) else _device(device).index or 0
    if not 0 <= index < device_count():
        raise RuntimeError(f"CUDA error: invalid device ordinal {index}")
    _current[0] = index


set_device_idx = set_device_index


def synchronize(device=None):
    _require()
    from .codegen import cuda_driver
    cuda_driver.synchronize()
