"""torch.special (the composed subset), torch.logit and torch.trapezoid: values as PyTorch
2.13 prints them."""
import math

import pytest

import lazytensor as lt

X = [0.0, 0.25, 0.5, 1.0, 1.5, -0.5, math.nan]


def shown(t):
    return str(t).replace("lazytensor", "torch")


def test_logit_entr_ndtr_xlog1py_print_as_pytorch():
    x = lt.tensor(X)
    assert shown(lt.logit(x)) == \
        "tensor([   -inf, -1.0986,  0.0000,     inf,     nan,     nan,     nan])"
    assert shown(x.logit(eps=0.1)) == \
        "tensor([-2.1972, -1.0986,  0.0000,  2.1972,  2.1972, -2.1972,     nan])"
    assert shown(lt.special.entr(x)) == \
        "tensor([ 0.0000,  0.3466,  0.3466, -0.0000, -0.6082,    -inf,     nan])"
    assert shown(lt.special.ndtr(x)) == \
        "tensor([0.5000, 0.5987, 0.6915, 0.8413, 0.9332, 0.3085,    nan])"
    assert shown(lt.special.xlog1py(x, x)) == \
        "tensor([0.0000, 0.0558, 0.2027, 0.6931, 1.3744, 0.3466,    nan])"
    assert lt.logit(lt.tensor([1, 0])).tolist() == [math.inf, -math.inf]
    assert lt.special.expit(x).tolist()[:6] == lt.sigmoid(x).tolist()[:6]


def test_trapezoid_rule():
    """Values PyTorch 2.13 prints (exact in binary), for a constant spacing and for points."""
    y = lt.tensor([1.0, 2.0, 4.0])
    assert lt.trapezoid(y).item() == 4.5 and lt.trapezoid(y, dx=0.5).item() == 2.25
    assert lt.trapezoid(y, lt.tensor([0.0, 1.0, 3.0])).item() == 7.5
    m = lt.arange(6.0).reshape(2, 3)
    assert lt.trapezoid(m, dim=0).tolist() == [1.5, 2.5, 3.5]
    assert lt.trapz(lt.tensor([1.0, 2.0]), dx=2).item() == 3.0
    assert lt.trapezoid(lt.tensor([1, 2, 4])).item() == 4.5
    assert lt.trapezoid(lt.zeros(0)).item() == 0.0 and lt.trapezoid(lt.tensor([3.0])).item() == 0
    with pytest.raises(RuntimeError, match="received both x and dx"):
        lt.trapezoid(y, y, dx=1.0)
