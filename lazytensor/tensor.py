"""The Tensor: a strided view of a Storage, with PyTorch's methods.

Nothing here computes. Every method decides shape, dtype and device eagerly (raising
PyTorch's error at the wrong call), then adds nodes to the graph. Values are computed when
they are needed: printing, .item(), .tolist(), .numpy(), bool(), or .realize().
"""
import numpy as np

from . import dtypes, graph, ops, printing, views
from .codegen import memory
from .device import CPU, device as _device
from .dtypes import bool_
from .size import Size
from .storage import Storage


class Tensor:
    # _requires_grad: the flag behind the `requires_grad` property that autograd installs;
    # _autograd: the rest autograd keeps on a tensor (autograd_graph.meta), unset until used
    __slots__ = ("_storage", "_shape", "_strides", "_offset", "_base", "_requires_grad",
                 "grad_fn", "grad", "_autograd", "__weakref__")

    # -- construction ------------------------------------------------------------------
    @classmethod
    def _make(cls, storage, shape, strides, offset=0, base=None):
        t = object.__new__(cls)
        t._storage, t._shape, t._strides, t._offset = storage, tuple(shape), tuple(strides), offset
        t._base = base
        t._requires_grad = False
        t.grad_fn = None
        t.grad = None
        return t

    @classmethod
    def _from_node(cls, node, device=CPU):
        """A new tensor owning a new storage whose (pending) value is node."""
        return cls._make(Storage(node, device), node.shape, graph.contiguous_strides(node.shape))

    @classmethod
    def _from_array(cls, array, dtype=None, device=CPU, share=False):
        """A realised tensor over a NumPy array (copied unless share)."""
        dtype = dtype or dtypes.from_numpy_dtype(array.dtype)
        if share:
            flat = array.reshape(-1)
            if not np.shares_memory(flat, array) and array.size > 1:
                raise ValueError("from_numpy needs a C-contiguous array")
        else:       # one copy (and cast), into memory aligned for the kernels' vector loads
            flat = memory.empty(array.size, dtype.np_storage)
            with np.errstate(over="ignore", invalid="ignore"):
                np.copyto(flat.reshape(array.shape), array, casting="unsafe")
        storage = Storage.from_array(flat, dtype, device, share=share)
        return cls._make(storage, array.shape, graph.contiguous_strides(array.shape))

    def _view(self, shape, strides, offset):
        """A tensor sharing this one's storage."""
        base = self if self._base is None else self._base
        return Tensor._make(self._storage, shape, strides, offset, base)

    # Tensor(...) itself, the legacy constructor, is lazytensor/legacy_constructors.py's

    # -- the graph node this tensor reads --------------------------------------------------
    @property
    def _node(self):
        """The node an op reads for this tensor's current values."""
        return self._storage.read_view(self._shape, self._strides, self._offset)

    # -- metadata ---------------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._shape)
        return self._shape[ops.normalize_dim(dim, self.ndim)]

    @property
    def dtype(self):
        return self._storage.dtype

    @property
    def device(self):
        return self._storage.device

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def ndim(self):
        return len(self._shape)

    def dim(self):
        return len(self._shape)

    def numel(self):
        return graph.prod(self._shape)

    nelement = numel

    def element_size(self):
        return self.dtype.itemsize

    def stride(self, dim=None):
        if dim is None:
            return tuple(self._strides)
        return self._strides[ops.normalize_dim(dim, self.ndim)]

    def storage_offset(self):
        return self._offset

    def is_contiguous(self, memory_format=None):
        return views.is_contiguous(self._shape, self._strides)

    def is_floating_point(self):
        return self.dtype.is_floating_point

    @property
    def is_leaf(self):
        return self.grad_fn is None

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    # -- realisation ------------------------------------------------------------------------
    def realize(self):
        """Compute this tensor's storage now (normally done on demand)."""
        self._storage.realize()
        return self

    def _strided_array(self):
        """A NumPy view of this tensor's elements in the realised storage (shared memory)."""
        buf = self._storage.realize()
        flat = buf.array if isinstance(buf.array, np.ndarray) else buf.array.numpy()
        if self.numel() == 0:
            return np.empty(self._shape, flat.dtype)
        return np.lib.stride_tricks.as_strided(
            flat[self._offset:], self._shape, [s * flat.itemsize for s in self._strides])

    def __reduce_ex__(self, protocol):
        """Pickled (and copied by copy.deepcopy) as its values: the bytes of a CPU copy,
        with dtype, shape, device and requires_grad; a Parameter stays one."""
        t = self.detach()
        if t.device.type != "cpu":
            t = t.cpu()
        t = t.contiguous()
        n = t.numel()
        flat = np.array(t._storage.realize().array[t._offset:t._offset + n])
        return (_unpickle, (type(self), flat, self.dtype.name, self._shape, str(self.device),
                            self.requires_grad))

    def _values(self):
        """A fresh NumPy array of the values (bfloat16 widened to float32)."""
        a = np.array(self._strided_array())
        if self.dtype is dtypes.bfloat16:
            a = (a.astype(np.uint32) << 16).view(np.float32)
        return a

    def numpy(self, *, force=False):
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if self.device.type != "cpu":
            raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                            "Tensor.cpu() to copy the tensor to host memory first.")
        if self.dtype is dtypes.bfloat16:
            raise TypeError("Got unsupported ScalarType BFloat16")
        self._storage.share()
        return self._strided_array()

    def tolist(self):
        return self._values().tolist()

    def item(self):
        n = self.numel()
        if n != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        flat = self._storage.realize().array
        if type(flat) is not np.ndarray or self.dtype is dtypes.bfloat16:
            return self._values().reshape(()).item()
        return flat.item(self._offset)

    def __bool__(self):
        if self.numel() != 1:
            many = "no values" if self.numel() == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {many} is ambiguous")
        return bool(self.item())

    def _one_element(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __int__(self):
        return int(self._one_element())

    def __float__(self):
        return float(self._one_element())

    def __index__(self):
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def __repr__(self, *, tensor_contents=None):
        grad_fn = type(self.grad_fn).__name__ if self.grad_fn is not None else None
        return printing.format_tensor(
            self._values(), self.dtype.name, default_dtype=dtypes.get_default_dtype().name,
            device=str(self.device), requires_grad=self.requires_grad, grad_fn=grad_fn)

    __str__ = __repr__

    def __format__(self, spec):
        """As PyTorch: a 0-d tensor formats as its Python number (f"{t}" too); any other
        tensor as its repr, refusing a format spec."""
        if self.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)

    def __iter__(self):
        if not self._shape:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._shape[0]))

    def __hash__(self):
        return id(self)

    # -- writing (a new version of the storage) ------------------------------------------------
    def _write(self, value):
        """Make this tensor's elements equal value (a node of its shape): all aliases see it."""
        st = self._storage
        value = ops.cast_node(value, self.dtype)
        value = graph.expand(value, self._shape)
        whole = (self._offset == 0 and self.numel() == st.numel
                 and views.is_contiguous(self._shape, self._strides))
        if whole:
            new = graph.reshape(value, st.node.shape)
        else:
            new = graph.node("assign", st.dtype, st.node.shape, (st.node, value),
                             (self._shape, self._strides, self._offset))
        st.set(new)
        return self

    def _check_inplace(self, node, result_dtype, name=None):
        if tuple(node.shape) != self._shape:
            raise RuntimeError(f"output with shape {list(self._shape)} doesn't match the "
                               f"broadcast shape {list(node.shape)}")
        if not can_cast(result_dtype, self.dtype):
            raise RuntimeError(f"result type {ops.torch_name(result_dtype)} can't be cast to "
                               f"the desired output type {ops.torch_name(self.dtype)}")


def can_cast(src, dst):
    """PyTorch's rule for writing a result of dtype src into dst in place."""
    if (src.is_floating_point or src.is_complex) and not (dst.is_floating_point or
                                                          dst.is_complex):
        return False
    if src.is_complex and not dst.is_complex:
        return False
    if src is not bool_ and dst is bool_:
        return False
    return True


def wrap(node, like_device=CPU):
    return Tensor._from_node(node, like_device)


def device_of(*xs):
    for x in xs:
        if isinstance(x, Tensor):
            return x.device
    return CPU


def _unpickle(cls, flat, dtype_name, shape, device_name, requires_grad):
    dtype = getattr(dtypes, "bool_" if dtype_name == "bool" else dtype_name)
    t = Tensor._make(Storage.from_array(np.ascontiguousarray(flat, dtype.np_storage), dtype,
                                        _device(device_name)),
                     shape, graph.contiguous_strides(shape))
    if cls is not Tensor:
        return cls(t, requires_grad)            # Parameter(data, requires_grad)
    if requires_grad:
        t.requires_grad_(True)
    return t
