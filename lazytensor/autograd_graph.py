"""The autograd graph: grad mode, the backward nodes that recorded ops leave on their
results (named as PyTorch names them), and what a tensor keeps for autograd beyond grad_fn.
Recording lives in autograd.py, running the graph backward in gradients.py."""
import contextlib
import functools
import os
import threading
import traceback
import warnings
import weakref

from . import graph
from .tensor import Tensor

_state = threading.local()


# -- grad mode ------------------------------------------------------------------------------------
def is_grad_enabled():
    return getattr(_state, "enabled", True)


def _set_mode(enabled):
    """This thread's grad mode, for Python and for the C front end's fast paths (which
    read tensors that require grad as plain ones while it is off)."""
    _state.enabled = enabled
    if graph._front is not None:
        graph._front.set_grad_mode(enabled)


class _GradMode(contextlib.ContextDecorator):
    """A context manager (and decorator) setting grad mode for its body."""
    mode = True

    def __enter__(self):
        self.__dict__.setdefault("prev", []).append(is_grad_enabled())
        _set_mode(self.mode)

    def __exit__(self, *exc):
        _set_mode(self.prev.pop())


class no_grad(_GradMode):
    mode = False


class enable_grad(_GradMode):
    mode = True


class inference_mode(_GradMode):
    """inference_mode(mode=True): grad mode off for the body (True) or on (False); a context
    manager and a decorator, as PyTorch's. (Tensors made inside are not marked as inference
    tensors: lazytensor has no such distinction.)"""

    def __new__(cls, mode=True):
        if callable(mode):                      # @inference_mode, without parentheses
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        self.mode = not mode


class set_grad_enabled(_GradMode):
    """set_grad_enabled(mode) sets grad mode now; used as a context manager it restores the
    previous mode on exit."""

    def __init__(self, mode):
        self.prev = [is_grad_enabled()]
        self.mode = bool(mode)
        _set_mode(self.mode)

    def __enter__(self):
        pass


# -- anomaly detection ------------------------------------------------------------------------------
_anomaly = {"enabled": False, "check_nan": True}        # process-wide, as in PyTorch


def is_anomaly_enabled():
    return _anomaly["enabled"]


def is_anomaly_check_nan_enabled():
    return _anomaly["check_nan"]


_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _user_stack():
    """The calling program's frames (lazytensor's own left out), formatted."""
    frames = [f for f in traceback.extract_stack()
              if not os.path.abspath(f.filename).startswith(_PACKAGE + os.sep)]
    return traceback.format_list(frames)


class set_detect_anomaly:
    """set_detect_anomaly(mode, check_nan=True): anomaly detection on or off now; as a
    context manager, restored on exit. With it on, each recorded op keeps the traceback of
    its forward call (shown when its backward fails) and, with check_nan, a backward
    function returning NaN raises."""

    def __init__(self, mode, check_nan=True):
        self.prev = dict(_anomaly)
        _anomaly.update(enabled=bool(mode), check_nan=bool(check_nan))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _anomaly.update(self.prev)


class detect_anomaly(contextlib.ContextDecorator):
    """Anomaly detection on for the body (a context manager and a decorator)."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the "
                      "runtime and should only be enabled for debugging.", stacklevel=2)
        self.prev = dict(_anomaly)
        _anomaly.update(enabled=True, check_nan=self.check_nan)

    def __exit__(self, *exc):
        _anomaly.update(self.prev)


# -- nodes ----------------------------------------------------------------------------------------
_sequence = [0]


class BackwardNode:
    """One recorded op. `next_functions` holds (node, output number) per input (None when
    the input does not require grad); the rest is what backward needs (lazytensor/
    gradients.py runs it): the derivative and the call it was recorded with, the saved
    tensors' versions, each input's shape and dtype, and the hooks."""
    __slots__ = ("next_functions", "_seq", "_derivative", "_call", "_saved", "_inputs",
                 "_outputs", "_hooks", "_retained", "_released", "_versions", "_trace",
                 "__weakref__")

    def __init__(self):
        _sequence[0] += 1
        self._seq = _sequence[0]
        # the forward call's stack, kept in anomaly mode (shown if backward fails here)
        self._trace = _user_stack() if _anomaly["enabled"] else None
        self._derivative = self._call = None
        self._saved = self._hooks = self._retained = None
        self._inputs = self._outputs = ()
        self._released = False
        self._versions = {}         # output number -> (its storage's id, version) when set

    def name(self):
        return getattr(type(self), "_node_name", type(self).__name__)

    def register_hook(self, hook):
        """hook(grad_inputs, grad_outputs), called after the node computed its gradients;
        returns a handle whose remove() takes it away."""
        if self._hooks is None:
            self._hooks = {}
        return RemovableHandle(self._hooks, hook)

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class AccumulateGrad(BackwardNode):
    """The node standing for a leaf that requires grad: its gradient adds into .grad."""
    __slots__ = ("variable",)

    def __init__(self, variable=None):
        super().__init__()
        self.variable = variable
        self.next_functions = ()


@functools.lru_cache(maxsize=None)
def backward_class(name):
    # PyTorch's node for an op it cannot differentiate is class NotImplemented, whose
    # name() is torch::autograd::NotImplemented
    return type(name.rsplit("::", 1)[-1], (BackwardNode,),
                {"__slots__": (), "_node_name": name})


def tensor_arguments(args, kwargs):
    """The tensor arguments of a call, in order (lists of tensors, as cat takes, flattened)."""
    out = []
    for a in list(args) + list(kwargs.values()):
        if isinstance(a, Tensor):
            out.append(a)
        elif isinstance(a, (list, tuple)):
            out.extend(x for x in a if isinstance(x, Tensor))
    return out


def edge(t):
    if isinstance(t, BackwardNode):
        return t, 0
    if not isinstance(t, Tensor) or not t.requires_grad:
        return None, 0
    if t.grad_fn is not None:
        return checked_edge(t)
    return accumulator(t), 0


def checked_edge(t):
    """(t.grad_fn, t's output number), or, when t's memory was changed since grad_fn was
    set by an op autograd did not see (an internal write no wrapper records), a node with no
    derivative in front of it: backward through t raises rather than leaving the change out
    of the gradient."""
    node, nr = t.grad_fn, output_nr(t)
    if unchanged(t):
        return node, nr
    unseen = backward_class(node.name())()
    unseen.next_functions = ((node, nr),)
    unseen._call = "an in-place change autograd does not record yet"
    return unseen, 0


def unchanged(t):
    """Whether t's memory is as it was when its grad_fn was set (or autograd saw every
    write since)."""
    if t is None or t.grad_fn is None:
        return True
    seen = t.grad_fn._versions.get(output_nr(t))
    return seen is None or seen[0] != id(t._storage) or seen[1] == t._storage.version


def saw_write(t):
    """A wrapper autograd installs wrote t (recorded, or not in grad mode): its grad_fn
    still stands for it, as in PyTorch."""
    if t is not None and t.grad_fn is not None:
        t.grad_fn._versions[output_nr(t)] = (id(t._storage), t._storage.version)


def accumulator(t):
    """The one AccumulateGrad node of leaf t (the tensor holds it weakly, the graph
    strongly, as in PyTorch)."""
    m = meta(t)
    node = m.accumulator() if m.accumulator is not None else None
    if node is None:
        node = AccumulateGrad(t)
        m.accumulator = weakref.ref(node)
    return node


# Tensors made by detach() (and .data): they share their source's memory, but autograd
# treats them as tensors of their own, never as views (a write into one is not the
# source's CopySlices), as PyTorch does.
_detached = {}          # id -> weak reference (tensors compare elementwise: no WeakSet)


def mark_detached(t):
    key = id(t)
    _detached[key] = weakref.ref(t, lambda _, k=key: _detached.pop(k, None))


def is_detached(t):
    ref = _detached.get(id(t))
    return ref is not None and ref() is t


class _Meta:
    """What autograd keeps on a tensor beyond grad_fn: which output of grad_fn it is, its
    leaf's accumulator (weakly; strongly once a hook is registered on the leaf) and whether
    it retains its gradient."""
    __slots__ = ("output_nr", "accumulator", "kept_accumulator", "retains_grad")

    def __init__(self):
        self.output_nr = 0
        self.accumulator = self.kept_accumulator = None
        self.retains_grad = False


def meta(t):
    meta = getattr(t, "_autograd", None)
    if meta is None:
        meta = t._autograd = _Meta()
    return meta


def output_nr(t):
    meta = getattr(t, "_autograd", None)
    return meta.output_nr if meta is not None else 0


def make_node(name, inputs):
    node = backward_class(name)()
    node.next_functions = tuple(edge(t) for t in inputs)
    node._inputs = tuple((t._shape, t.dtype) if isinstance(t, Tensor) else None
                         for t in inputs)
    return node


def set_output(t, node, nr=0):
    """Mark t as output nr of node (t floating point)."""
    _REQUIRES_GRAD.__set__(t, True)
    t.grad_fn = node
    node._versions[nr] = (id(t._storage), t._storage.version)
    if nr or getattr(t, "_autograd", None) is not None:
        meta(t).output_nr = nr


class RemovableHandle:
    """What register_hook returns: remove() unregisters the hook."""
    _next_id = [0]

    def __init__(self, hooks, hook):
        RemovableHandle._next_id[0] += 1
        self.id = RemovableHandle._next_id[0]
        self._hooks = hooks
        hooks[self.id] = hook

    def remove(self):
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


_REQUIRES_GRAD = Tensor.__dict__["_requires_grad"]


def creation_requires_grad(t):
    """requires_grad=True given to a creation function (PyTorch's message for it)."""
    if not t.dtype.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                           "gradients")
    _REQUIRES_GRAD.__set__(t, True)
    return t
