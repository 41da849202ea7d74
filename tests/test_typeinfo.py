"""torch.finfo / iinfo / can_cast: limits as PyTorch 2.13 reports them."""
import pytest

import lazytensor as lt


def test_finfo_reports_the_limits_and_prints_as_pytorch():
    assert repr(lt.finfo(lt.float32)) == (
        "finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, "
        "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)")
    assert repr(lt.finfo(lt.float16)) == (
        "finfo(resolution=0.001, min=-65504, max=65504, eps=0.000976562, "
        "smallest_normal=6.10352e-05, tiny=6.10352e-05, dtype=float16)")
    bf = lt.finfo(lt.bfloat16)
    assert (bf.bits, bf.eps, bf.resolution, bf.tiny) == (16, 0.0078125, 0.01, 2.0 ** -126)
    assert bf.max == 3.3895313892515355e+38 and bf.min == -bf.max
    assert lt.finfo().dtype == "float32" and lt.finfo(lt.float64).eps == 2.220446049250313e-16
    with pytest.raises(TypeError, match=r"^torch.finfo\(\) requires a floating point input type"):
        lt.finfo(lt.int32)


def test_iinfo_and_can_cast():
    assert repr(lt.iinfo(lt.int8)) == "iinfo(min=-128, max=127, dtype=int8)"
    assert (lt.iinfo(lt.int64).max, lt.iinfo(lt.int16).bits, lt.iinfo(lt.uint8).min) == \
        (2 ** 63 - 1, 16, 0)
    with pytest.raises(TypeError, match=r"^torch.iinfo\(\) requires an integer input type"):
        lt.iinfo(lt.float32)
    with pytest.raises(TypeError, match="^torch.bool is not supported by torch.iinfo$"):
        lt.iinfo(lt.bool)
    assert [lt.can_cast(lt.float32, lt.int32), lt.can_cast(lt.int32, lt.float16),
            lt.can_cast(lt.int8, lt.bool), lt.can_cast(lt.bool, lt.uint8)] == \
        [False, True, False, True]
