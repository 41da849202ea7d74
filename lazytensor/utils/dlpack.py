"""torch.utils.dlpack: DLPack capsules to and from tensors."""
from ..dlpack_capsule import DLDeviceType  # noqa: F401
from ..interop import from_dlpack  # noqa: F401


def to_dlpack(tensor):
    """A DLPack capsule of the tensor's memory (tensor.__dlpack__())."""
    return tensor.__dlpack__()
