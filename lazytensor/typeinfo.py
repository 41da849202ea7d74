"""torch.finfo, torch.iinfo and torch.can_cast: facts about the dtypes themselves."""
import math

import numpy as np

from . import dtypes
from .tensor import can_cast as _can_cast

# bfloat16 is not a NumPy type: its limits, from its format (8 exponent bits, 7 fraction bits)
_BFLOAT16 = dict(bits=16, eps=2.0 ** -7, max=dtypes.LARGEST["bfloat16"], tiny=2.0 ** -126)


class finfo:
    """The limits of a floating-point dtype: bits, eps, max, min, tiny (= smallest_normal),
    resolution, dtype (its name)."""

    def __init__(self, type=None):
        d = dtypes.get_default_dtype() if type is None else type
        if isinstance(d, dtypes.dtype) and d.is_complex:       # the limits of its parts
            d = dtypes.to_real(d)
        if not isinstance(d, dtypes.dtype) or not d.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        if d is dtypes.bfloat16:
            facts = _BFLOAT16
        else:
            info = np.finfo(d.np_storage)
            facts = dict(bits=info.bits, eps=float(info.eps), max=float(info.max),
                         tiny=float(info.tiny))
        # 10**-(the decimal digits the type keeps), as a Python float
        facts["resolution"] = 10.0 ** -math.floor(-math.log10(facts["eps"]))
        self.bits = facts["bits"]
        self.eps = facts["eps"]
        self.max = facts["max"]
        self.min = -facts["max"]
        self.tiny = self.smallest_normal = facts["tiny"]
        self.resolution = facts["resolution"]
        self.dtype = d.name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """The limits of an integer dtype: bits, min, max, dtype (its name)."""

    def __init__(self, type):
        if isinstance(type, dtypes.dtype) and type is dtypes.bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if not isinstance(type, dtypes.dtype) or type.category != 1:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(type.np_storage)
        self.bits, self.min, self.max, self.dtype = info.bits, int(info.min), int(info.max), \
            type.name

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


def can_cast(from_, to):
    """Whether PyTorch lets an op write a result of dtype from_ into a tensor of dtype to."""
    return _can_cast(from_, to)
