"""nn.Parameter: a tensor that a Module registers as one of its parameters."""
from ..autograd_graph import creation_requires_grad
from ..creation import empty
from ..tensor import Tensor


class Parameter(Tensor):
    """Parameter(data=None, requires_grad=True): data's memory, as a leaf that requires grad
    (an empty tensor without data)."""
    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = empty(0)
        p = cls._make(data._storage, data._shape, data._strides, data._offset, data._base)
        if requires_grad:
            creation_requires_grad(p)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__
