"""Running the autograd graph backward: Tensor.backward, autograd.grad and autograd.backward.

Recording (autograd.py) leaves on each result a node holding the op's derivative
(derivatives.py, and each primitive's in codegen/primitives.py) and the call it was made
with. Backward visits the nodes from the outputs toward the leaves, each once all the
gradients flowing into it are summed, calls its derivative and hands each input its part.
A derivative is made of lazytensor's ops, so backward only builds graph: the gradients
are computed when read (or by the next realisation), in the same programs as whatever
forward values they need, fused as any other graph.

As in PyTorch: a tensor saved for backward that was modified in place since makes
backward raise when the derivative reads it; without retain_graph, a node's saved tensors
are released after it ran, and a second backward that needs them raises; leaves'
gradients add into .grad; create_graph records the backward pass itself.
"""
import heapq
import re
import warnings
import weakref

from . import derivatives
from .autograd_graph import (AccumulateGrad, RemovableHandle, _anomaly, accumulator,
                             checked_edge, enable_grad, meta, no_grad, output_nr, set_output,
                             tensor_arguments)
from .tensor import Tensor

_ANOMALY_HINT = ("Hint: enable anomaly detection to find the operation that failed to "
                 "compute its gradient, with torch.autograd.set_detect_anomaly(True, "
                 "check_nan=False).")
FREED = ("Trying to backward through the graph a second time (or directly access saved "
          "tensors after they have already been freed). Saved intermediate values of the "
          "graph are freed when you call .backward() or autograd.grad(). Specify "
          "retain_graph=True if you need to backward through the graph a second time or if "
          "you need to access saved tensors after calling backward.")


# -- saving a call ------------------------------------------------------------------------------
class _SavedOutput:
    """A result of the recorded op, kept without the tensor object itself (which holds the
    node: a cycle): its storage, view and version, made into a tensor again when needed."""
    __slots__ = ("storage", "shape", "strides", "offset", "version", "nr")

    def __init__(self, t, nr):
        self.storage, self.shape, self.strides = t._storage, t._shape, t._strides
        self.offset, self.version, self.nr = t._offset, t._storage.version, nr


class _Unreadable(Tensor):
    """Stands for a saved tensor backward may no longer read (modified in place since, or
    released): its storage is a _Gone, so any op reading its values raises, and only then,
    as in PyTorch. Its shape, dtype and device stay known."""
    __slots__ = ()

    @property
    def _node(self):
        raise RuntimeError(self._storage.why)


class _Gone:
    """The storage of _Unreadable tensors: metadata only (a released node keeps no memory
    alive), and why its values cannot be read."""
    __slots__ = ("numel", "dtype", "device", "version", "why")

    def __init__(self, storage, why):
        self.numel, self.dtype, self.device = storage.numel, storage.dtype, storage.device
        self.version, self.why = storage.version, why

    def read_view(self, *view):
        raise RuntimeError(self.why)

    read_node = realize = read_view

    @property
    def node(self):
        raise RuntimeError(self.why)


def _unreadable(t, why, gone=None):
    """t as an _Unreadable (gone: the _Gone standing for t's storage, shared by the views
    of one storage, so that derivatives can still tell a view from a copy)."""
    out = _Unreadable._make(gone or _Gone(t._storage, why), t._shape, t._strides, t._offset)
    out._requires_grad = t._requires_grad   # which operands want a gradient stays known
    return out


def _release(node):
    """After node ran without retain_graph: its saved tensors become _Unreadable (their
    memory and pending graphs are no longer held), as PyTorch frees saved variables."""
    op, args, kwargs, kept, positions = node._call
    gone = {}

    def freed(a):
        if not isinstance(a, Tensor):
            return a
        g = gone.setdefault(id(a._storage), _Gone(a._storage, FREED))
        return _unreadable(a, FREED, g)
    swap = {id(t): freed(t) for t, _ in node._saved}
    args = tuple(_swapped(a, swap) for a in args)
    kwargs = {k: _swapped(v, swap) for k, v in kwargs.items()}
    if isinstance(kept, _SavedOutput):
        kept.storage = gone.setdefault(id(kept.storage), _Gone(kept.storage, FREED))
    elif isinstance(kept, tuple):
        for r in kept:
            if isinstance(r, _SavedOutput):
                r.storage = gone.setdefault(id(r.storage), _Gone(r.storage, FREED))
    node._saved = []
    node._call = (op, args, kwargs, kept, positions)
    node._released = True


def attach(node, op, args, kwargs, result, outputs, positions):
    """Give node what backward needs to run op's derivative: the call (tensor arguments
    kept with their versions; results as _SavedOutput) and, for each input edge, the
    position of its tensor among the call's tensor arguments (positions)."""
    node._derivative = derivatives.lookup(op)
    node._outputs = tuple((o._shape, o.dtype, o.device) for o in outputs)
    if node._derivative is None:
        node._call = op
        return
    saved = {id(o): _SavedOutput(o, i) for i, o in enumerate(outputs)}
    if result is None or isinstance(result, Tensor):
        kept = saved.get(id(result), result)
    else:
        kept = tuple(saved.get(id(r), r) for r in result)
    node._call = (op, args, kwargs, kept, positions)
    node._saved = [(t, t._storage.version) for t in tensor_arguments(args, kwargs)
                   if id(t) not in saved]


WRITES = ("copy_write", "index_put_write")


def attach_write(node, base, region, call, inputs):
    """A write into base (region: the view written, None for all of base; call: (op, old
    value of the region, args, kwargs), op an in-place op's out-of-place name or one of
    WRITES): node's gradients are, for base, the gradient with the region's part replaced
    by what the write passes through, and for each input what the write gives it."""
    op, old, args, kwargs = call
    geometry = None if region is None else (region._shape, region._strides, region._offset)
    if op in WRITES:
        inner = None
    else:
        inner = derivatives.lookup(op)
        if inner is None or any(a is base or a is region for a in args):
            node._call = op
            return
    node._derivative = derivatives.write
    node._outputs = ((base._shape, base.dtype, base.device),)
    saved = _SavedOutput(base, 0)
    node._call = ("write", (geometry, op, inner, old, args, kwargs), {}, saved,
                  tuple(range(1 + len(inputs))))
    node._saved = [(t, t._storage.version) for t in tensor_arguments(args, kwargs)]


def attach_view(node, base, view):
    """A view of a base written in place: its gradient goes to its elements of the base."""
    node._derivative = derivatives.view_of_written
    node._outputs = ((view._shape, view.dtype, view.device),)
    node._call = ("as_strided", (_unreadable(base, FREED), view._shape, view._strides,
                                 view._offset), {}, None, (0,))
    node._saved = []


def _describe(t):
    kind = {"float32": "Float", "float64": "Double", "float16": "Half",
            "bfloat16": "BFloat16"}.get(t.dtype.name, t.dtype.name.capitalize())
    return f"[torch.{kind}Tensor [{', '.join(str(s) for s in t._shape)}]]"


def modified_message(t, version, node_name=None, nr=0):
    """PyTorch's message; node_name: the node whose output t is (its name without the
    Backward suffix), None for a leaf."""
    op = re.sub(r"Backward\d*$", "", node_name) if node_name else None
    where = f", which is output {nr} of {op}," if op else ""
    return (f"one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {_describe(t)}{where} is at version {t._storage.version}; "
            f"expected version {version} instead. {_ANOMALY_HINT}")


def _unpack(node, create_graph):
    """The recorded call's arguments and result, each saved tensor checked: one modified
    since (or released) comes back as an _Unreadable."""
    op, args, kwargs, kept, _ = node._call
    swap = {}
    for t, version in node._saved:
        if t._storage.version != version:
            producer = t.grad_fn.name() if t.grad_fn is not None else None
            swap[id(t)] = _unreadable(t, modified_message(t, version, producer, output_nr(t)))
    if swap:
        args = tuple(_swapped(a, swap) for a in args)
        kwargs = {k: _swapped(v, swap) for k, v in kwargs.items()}
    if kept is None or isinstance(kept, _SavedOutput):
        result = kept and _output(node, kept, create_graph)
    else:
        result = tuple(_output(node, r, create_graph) if isinstance(r, _SavedOutput) else r
                       for r in kept)
    return args, kwargs, result


def _swapped(a, swap):
    if isinstance(a, Tensor):
        return swap.get(id(a), a)
    if isinstance(a, (list, tuple)) and any(isinstance(x, Tensor) for x in a):
        return type(a)(swap.get(id(x), x) if isinstance(x, Tensor) else x for x in a)
    return a


def _output(node, s, create_graph):
    if isinstance(s.storage, _Gone):
        return _Unreadable._make(s.storage, s.shape, s.strides, s.offset)
    t = Tensor._make(s.storage, s.shape, s.strides, s.offset)
    if s.storage.version != s.version:
        return _unreadable(t, modified_message(t, s.version, node.name(), s.nr))
    if create_graph:                        # the result as the graph knows it
        set_output(t, node, s.nr)
    return t


# -- running a node ------------------------------------------------------------------------------
def _not_implemented(node):
    op = node._call if isinstance(node._call, str) else node.name()
    return NotImplementedError(f"lazytensor has no derivative for '{op}' ({node.name()}) yet")


def _apply(node, grads, create_graph):
    """The gradients of node's inputs (one per edge, None where none) from those of its
    outputs."""
    if node._derivative is None or node._call is None or isinstance(node._call, str):
        raise _not_implemented(node)
    args, kwargs, result = _unpack(node, create_graph)
    g = list(grads) if isinstance(result, tuple) else grads[0]
    raw = list(node._derivative(g, result, *args, **kwargs))
    positions = node._call[4]
    out = []
    for (edge, _), pos, spec in zip(node.next_functions, positions, node._inputs):
        gi = raw[pos] if pos is not None and pos < len(raw) else None
        out.append(None if edge is None or gi is None else _fit(gi, spec))
    return out


def _fit(g, spec):
    """g summed back to the input's shape (where the op broadcast it) and cast to its
    dtype."""
    if spec is None:
        return g
    shape, dtype = spec
    if g._shape != shape:
        g = _sum_to(g, shape)
    if g.dtype is not dtype:
        g = g.to(dtype)
    return g


def _sum_to(g, shape):
    if not shape:               # a 0-dim input (a scalar parameter): the whole sum
        return g.sum()
    lead = g.ndim - len(shape)
    if lead > 0:
        g = g.sum(dim=tuple(range(lead)))
    dims = tuple(i for i, s in enumerate(shape) if s == 1 and g._shape[i] != 1)
    if dims:
        g = g.sum(dim=dims, keepdim=True)
    return g.reshape(shape) if g._shape != shape else g


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


# -- the engine -----------------------------------------------------------------------------------
def run_backward(roots, root_grads, retain_graph, create_graph, accumulate=True,
                 capture=None, only_leaves=None):
    """Propagate root_grads from roots ((node, output number) each) to the leaves.

    accumulate: add leaves' gradients into .grad (only_leaves: of these leaves only);
    capture: {(node, nr): slot} whose incoming gradient is wanted (autograd.grad); returns
    the captured gradients by slot."""
    deps = _dependencies([n for n, _ in roots])
    buffers, ready, queued = {}, [], set()
    for (node, nr), g in zip(roots, root_grads):
        slots = buffers.setdefault(node, [None] * max(1, len(node._outputs)))
        slots[nr] = _add(slots[nr], g)
    for node, _ in roots:
        if deps.get(node, 0) == 0 and node not in queued:
            queued.add(node)
            heapq.heappush(ready, (-node._seq, id(node), node))
    # grad mode is create_graph's through the whole pass (derivatives, hooks), as in
    # PyTorch's engine
    with enable_grad() if create_graph else no_grad():
        return _propagate(ready, buffers, deps, retain_graph, create_graph, accumulate,
                          capture, only_leaves)


def _propagate(ready, buffers, deps, retain_graph, create_graph, accumulate, capture,
               only_leaves):
    captured = {}
    while ready:
        _, _, node = heapq.heappop(ready)
        grads = buffers.pop(node, None) or [None]
        grads = _tensor_hooks(node, grads)
        if capture:
            for nr, g in enumerate(grads):
                slot = capture.get((node, nr))
                if slot is not None:
                    captured[slot] = _add(captured.get(slot), g)
        if isinstance(node, AccumulateGrad):
            if accumulate and any(g is not None for g in grads) and (
                    only_leaves is None or id(node.variable) in only_leaves):
                _accumulate(node.variable, grads[0], create_graph)
            continue
        if any(g is not None for g in grads):
            try:
                inputs = _apply(node, grads, create_graph)
                if _anomaly["enabled"] and _anomaly["check_nan"]:
                    _check_nan(node, inputs)
            except Exception:
                if node._trace is not None:
                    warnings.warn(f"Error detected in {node.name()}. Traceback of forward "
                                  f"call that caused the error:\n{''.join(node._trace)}",
                                  stacklevel=2)
                raise
            if node._hooks:
                for hook in list(node._hooks.values()):
                    hook(tuple(inputs), tuple(grads))
        else:
            inputs = [None] * len(node.next_functions)
        if not retain_graph and isinstance(node._call, tuple) and not node._released:
            _release(node)
        for (nxt, nr), g in zip(node.next_functions, inputs):
            if nxt is None:
                continue
            if g is not None:
                slots = buffers.setdefault(nxt, [None] * max(1, len(nxt._outputs)))
                slots[nr] = _add(slots[nr], g)
            deps[nxt] -= 1
            if deps[nxt] == 0:
                heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
    return captured


def _check_nan(node, inputs):
    """Anomaly mode: a backward function that returned NaN raises (this realises each
    gradient as it is made: anomaly mode is for debugging)."""
    for i, g in enumerate(inputs):
        if g is not None and g.dtype.is_floating_point and bool(g.isnan().any()):
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th "
                               "output.")


def _dependencies(nodes):
    """For each node reachable from nodes, how many edges lead into it."""
    deps, seen, stack = {}, set(nodes), list(nodes)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps


def _tensor_hooks(node, grads):
    """Tensor hooks registered on node's outputs (or on the leaf, for an AccumulateGrad),
    in registration order; a hook returning a tensor replaces the gradient. Then retained
    gradients are stored (after every hook, as PyTorch 2 does)."""
    if node._retained is None:
        return grads
    grads = list(grads)
    for nr, entries in node._retained.items():
        if nr >= len(grads) or grads[nr] is None:
            continue
        for kind, what in list(entries.values()):
            if kind == "hook":
                with no_grad():
                    new = what(grads[nr])
                if new is not None:
                    grads[nr] = new
        for kind, what in list(entries.values()):
            t = what() if kind == "retain" else None
            if t is not None:
                _store_retained(t, grads[nr])
    return grads


def _store_retained(t, g):
    with no_grad():
        fresh = g.detach().clone() if t.grad is None else t.grad + g
    t.grad = fresh


def _accumulate(leaf, g, create_graph):
    """Add g into leaf.grad: a new tensor the first time, in place afterwards (the tensor a
    user holds as p.grad sees it), out of place when recording for a higher order."""
    if leaf.grad is None:
        if create_graph:
            leaf.grad = g
        else:
            with no_grad():
                leaf.grad = Tensor._from_node(g._node, g.device) if _aliased(g) else g
    elif create_graph:
        leaf.grad = leaf.grad + g
    else:
        with no_grad():
            leaf.grad.add_(g)


def _aliased(g):
    """Whether g's memory may be the user's (a gradient they passed in, or a view of it)."""
    return g._base is not None or g._storage.node.op == "load"


# -- the public entry points --------------------------------------------------------------------
def _root(t, i):
    if not t.requires_grad:
        raise RuntimeError(f"element {i} of tensors does not require grad and does not have "
                           "a grad_fn")
    if t.grad_fn is not None:
        return checked_edge(t)
    return accumulator(t), 0


def _root_grads(tensors, grads):
    out = []
    for i, (t, g) in enumerate(zip(tensors, grads)):
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not t.dtype.is_floating_point:
                raise RuntimeError("grad can be implicitly created only for real scalar "
                                   f"outputs but got {t.dtype}")
            g = t.new_ones(t.shape)
        elif not isinstance(g, Tensor):
            g = t.new_full(t.shape, g)
        elif g._shape != t._shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"{g.shape} and output[{i}] has a shape of {t.shape}.")
        out.append(g)
    return out


def _as_list(x):
    if x is None:
        return None
    return [x] if isinstance(x, Tensor) else list(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulate into the leaves' .grad the gradients of tensors (weighted by
    grad_tensors)."""
    tensors = _as_list(tensors)
    grads = _as_list(grad_tensors if grad_tensors is not None else grad_variables)
    grads = grads if grads is not None else [None] * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(grads)} tensors and {len(tensors)} gradients")
    if retain_graph is None:
        retain_graph = create_graph
    roots = [_root(t, i) for i, t in enumerate(tensors)]
    root_grads = _root_grads(tensors, grads)
    only = None
    if inputs is not None:
        inputs = _as_list(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        only = {id(t) for t in inputs}
        capture = {}
        for t in inputs:
            if t.grad_fn is not None:
                capture[(t.grad_fn, output_nr(t))] = id(t)
        captured = run_backward(roots, root_grads, retain_graph, create_graph,
                                capture=capture, only_leaves=only)
        for t in inputs:
            if t.grad_fn is not None and id(t) in captured:
                _accumulate(t, captured[id(t)], create_graph)
        return
    run_backward(roots, root_grads, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False,
         materialize_grads=False):
    """The gradients of outputs with respect to inputs, returned (not accumulated)."""
    outputs, single = _as_list(outputs), isinstance(inputs, Tensor)
    inputs = _as_list(inputs)
    grads = _as_list(grad_outputs) or [None] * len(outputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if retain_graph is None:
        retain_graph = create_graph
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots = [_root(t, i) for i, t in enumerate(outputs)]
    root_grads = _root_grads(outputs, grads)
    capture = {}
    for i, t in enumerate(inputs):
        key = (t.grad_fn, output_nr(t)) if t.grad_fn is not None else (accumulator(t), 0)
        capture[key] = i
    captured = run_backward(roots, root_grads, retain_graph, create_graph,
                            accumulate=False, capture=capture)
    out = []
    for i, t in enumerate(inputs):
        g = captured.get(i)
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not "
                                   "have been used in the graph. Set allow_unused=True if "
                                   "this is the desired behavior.")
            if materialize_grads:
                g = t.new_zeros(t.shape)
        out.append(g)
    return tuple(out)


# -- Tensor methods -------------------------------------------------------------------------------
def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate this tensor's gradient with respect to the graph's leaves into their
    .grad (gradient: the weight of each element; implicit 1 for a scalar)."""
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


def retain_grad(self):
    """Keep this non-leaf tensor's gradient in .grad when backward runs."""
    if not self.requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self.grad_fn is None:
        return                      # a leaf keeps its gradient anyway
    m = meta(self)
    if m.retains_grad:
        return
    m.retains_grad = True
    _register(self, ("retain", weakref.ref(self)))


def retains_grad(self):
    m = getattr(self, "_autograd", None)
    return bool(m is not None and m.retains_grad)


def register_hook(self, hook):
    """hook(grad) runs when this tensor's gradient is computed; a tensor it returns
    replaces the gradient. Returns a handle whose remove() unregisters it."""
    if not self.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    return _register(self, ("hook", hook))


def _register(t, entry):
    node = t.grad_fn if t.grad_fn is not None else accumulator(t)
    if t.grad_fn is None:
        meta(t).kept_accumulator = node     # the leaf keeps its hooks' node alive
    if node._retained is None:
        node._retained = {}
    return RemovableHandle(node._retained.setdefault(output_nr(t), {}), entry)


def zero_grads(params, set_to_none=True):
    """Module.zero_grad and Optimizer.zero_grad: each gradient dropped, or zeroed in place
    (detached first, as PyTorch does)."""
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            p.grad = p.grad.detach()
            p.grad.zero_()


def version(self):
    return self._storage.version


def install():
    Tensor.backward = tensor_backward
    Tensor.retain_grad = retain_grad
    Tensor.retains_grad = property(retains_grad)
    Tensor.register_hook = register_hook
    Tensor._version = property(version)
    Tensor.output_nr = property(output_nr)

