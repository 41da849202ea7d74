"""lazytensor.cuda: PyTorch's torch.cuda queries. Without a GPU they answer as a CUDA build of
PyTorch does on such a machine: is_available() False, device_count() 0, and the calls that
need the device raise "Found no NVIDIA driver on your system. ..."."""
from . import accelerator
from .device import NO_DRIVER, cuda_available
from .random import manual_seed as _cpu_manual_seed


def is_available():
    return cuda_available()


def device_count():
    return accelerator.device_count()


def _require():
    if not cuda_available():
        raise RuntimeError(NO_DRIVER)


def is_initialized():
    return cuda_available()


def init():
    _require()


def current_device():
    _require()
    return accelerator.current_device_index()


def set_device(device):
    _require()
    accelerator.set_device_index(device)


def get_device_name(device=None):
    _require()
    from .codegen import cuda_driver
    index = accelerator.current_device_index() if device is None else \
        device if isinstance(device, int) else (device.index or 0)
    return cuda_driver.device(index).name


def synchronize(device=None):
    _require()
    accelerator.synchronize(device)


def manual_seed(seed):
    """Seed the generator CUDA tensors draw from (the CPU one: they draw the CPU's values).
    Without a GPU this does nothing, as in PyTorch."""
    if cuda_available():
        _cpu_manual_seed(seed)


manual_seed_all = manual_seed
