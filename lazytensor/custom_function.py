"""torch.autograd.Function: an op whose forward and backward the user writes.

`apply` runs forward with grad mode off and, when an input requires grad, gives the
outputs one node named `<Class>Backward` whose derivative calls the class's backward with
the context forward filled in (saved tensors, needs_input_grad, attributes). Both ways
PyTorch allows are taken: `forward(ctx, *args)`, and `forward(*args)` with
`setup_context(ctx, inputs, output)`.
"""
from . import gradients
from .autograd_graph import is_grad_enabled, make_node, no_grad, set_output
from .creation import zeros
from .tensor import Tensor


class FunctionCtx:
    """What forward leaves for backward."""

    def __init__(self):
        self.needs_input_grad = ()
        self.materialize_grads = True
        self._to_save = ()
        self._non_differentiable = set()
        self._node = None

    def save_for_backward(self, *tensors):
        self._to_save = tuple((t, t._storage.version) if isinstance(t, Tensor) else (t, None)
                              for t in tensors)

    def save_for_forward(self, *tensors):
        raise NotImplementedError("forward-mode AD is not in lazytensor yet")

    @property
    def saved_tensors(self):
        """The saved tensors; one modified in place since, or saved by a graph backward
        already ran through (without retain_graph), raises PyTorch's message."""
        if self._node is not None and self._node._released:
            raise RuntimeError(gradients.FREED)
        out = []
        for t, version in self._to_save:
            if isinstance(t, Tensor) and t._storage.version != version:
                producer = t.grad_fn.name() if t.grad_fn is not None else None
                raise RuntimeError(gradients.modified_message(t, version, producer))
            out.append(t)
        return tuple(out)

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable.update(id(t) for t in tensors)

    def mark_dirty(self, *tensors):
        raise NotImplementedError("ctx.mark_dirty (a Function writing its inputs in place) is "
                                  "not in lazytensor yet")

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


class Function:
    """Subclass with static forward and backward methods, call `apply`."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is "
                           "deprecated. Please use new-style autograd function with static "
                           "forward method.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not overridden")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            if _separate_setup(cls):
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        if not (is_grad_enabled() and any(ctx.needs_input_grad)):
            return output
        outputs = output if isinstance(output, tuple) else (output,)
        inputs = [a for a in args if isinstance(a, Tensor)]
        node = make_node(f"{cls.__name__}Backward", inputs)
        marked = [o for o in outputs if isinstance(o, Tensor) and o.dtype.is_floating_point
                  and id(o) not in ctx._non_differentiable]
        node._outputs = tuple((o._shape, o.dtype, o.device) for o in outputs
                              if isinstance(o, Tensor))
        node._derivative = _backward_of(cls, ctx, args)
        node._call = (cls.__name__, (), {}, tuple(None for _ in node._outputs),
                      tuple(range(len(inputs))))
        node._saved = []
        ctx._node = node
        tensor_outputs = [o for o in outputs if isinstance(o, Tensor)]
        for nr, o in enumerate(tensor_outputs):
            if any(o is m for m in marked):
                if any(o is a for a in inputs):          # an input returned as it is
                    continue
                set_output(o, node, nr)
        return output


def _separate_setup(cls):
    """Whether cls uses forward(*args) with setup_context (PyTorch 2's way)."""
    return cls.setup_context is not Function.setup_context


def _backward_of(cls, ctx, args):
    def derivative(g, r, *unused):
        grads = list(g)
        if ctx.materialize_grads:
            shapes = ctx._node._outputs
            grads = [gr if gr is not None else _zeros(shape) for gr, shape in zip(grads, shapes)]
        result = cls.backward(ctx, *grads)
        result = result if isinstance(result, tuple) else (result,)
        if len(result) != len(args):
            raise RuntimeError(f"function {cls.__name__}Backward returned an incorrect number "
                               f"of gradients (expected {len(args)}, got {len(result)})")
        return [gr for a, gr in zip(args, result) if isinstance(a, Tensor)]
    return derivative


def _zeros(spec):
    shape, dtype, device = spec
    return zeros(shape, dtype=dtype, device=device)
