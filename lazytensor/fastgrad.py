"""The per-op hot path for ops autograd records: `b * x`, `w.sin()`, `y ** 2` on tensors that
require grad, in grad mode (fastops.py is the path for everything else).

The general path records an op in many small steps (autograd.py: which arguments are
tensors, which are edges, the node's name, what it saves), each decided from the call's
arguments. For the ops fastops covers, that decision depends only on the kind of call: the
function called and, per operand, its dtype, whether it is 0-dim and whether it requires
grad (or its Python type, for a number). So the first call of each kind goes the general way
and its node becomes the kind's template: the node's class, derivative and recorded op,
which operand each edge and each saved tensor is. Later calls of that kind build the
forward node as fastops does and a node like the template from their own operands: the same
objects the general path would have made, without the steps that chose them. A kind whose
first node is not of that simple shape (a node in front of an edge, a view, a hook) keeps
the general path.
"""
from .autograd_graph import accumulator, checked_edge, edge, is_grad_enabled, set_output
from .gradients import _SavedOutput
from .tensor import Tensor

_from_node = Tensor._from_node
_NO_EDGE = (None, 0)
_NO_KWARGS = {}         # shared: no derivative writes into the kwargs it is given

_templates = {}
_GENERAL = object()         # this kind keeps the general path


class _Template:
    __slots__ = ("cls", "derivative", "op", "positions", "edge_args")

    def __init__(self, node, edge_args):
        self.cls, self.derivative = type(node), node._derivative
        self.op, self.positions = node._call[0], node._call[4]
        self.edge_args = edge_args


def _kind(x):
    if isinstance(x, Tensor):           # a Parameter is a tensor like any other here
        return (x._storage.dtype, not x._shape, x._requires_grad)
    return type(x)


def recorded(general, args, forward):
    """general(*args), or, when the call's kind has a template and forward() gives the
    forward node or a fresh tensor holding it (None where fastops' path does not apply), the
    same result built from the template; None when nothing would record (fastops' own path
    or the general one apply)."""
    if not is_grad_enabled():
        return None
    key = (general, *[_kind(a) for a in args])
    template = _templates.get(key)
    if template is None or template is _GENERAL:
        return _general(general, args, key, template)
    n = forward()
    if n is None:
        return general(*args)
    return _build(template, args, n if isinstance(n, Tensor) else
                  _from_node(n, args[0]._storage.device))


def attach(general, result, *args):
    """The C front end's entry (grad mode on, an operand requiring grad): result, the
    forward value it built for general(*args), with the node the template gives it; the
    general path's own result where there is no template yet."""
    general = getattr(general, "_record_key", general)
    key = (general, *[_kind(a) for a in args])
    template = _templates.get(key)
    if template is None or template is _GENERAL:
        return _general(general, args, key, template)
    return _build(template, args, result)


def _general(general, args, key, template):
    """The general path's result; its node learned as the kind's template when there is
    none yet."""
    result = general(*args)
    if template is None:
        learned = _learn(result, args)
        if learned is not None:
            _templates[key] = learned
    return result


def _build(template, args, result):
    node = template.cls()
    edges, inputs = [], []
    for j in template.edge_args:
        if j is None:
            edges.append(_NO_EDGE)
            inputs.append(None)
        else:
            t = args[j]
            edges.append(_edge(t))
            inputs.append((t._shape, t._storage.dtype))
    node.next_functions, node._inputs = tuple(edges), tuple(inputs)
    node._derivative = template.derivative
    node._outputs = ((result._shape, result._storage.dtype, result._storage.device),)
    node._call = (template.op, args, _NO_KWARGS, _SavedOutput(result, 0), template.positions)
    node._saved = [(t, t._storage.version) for t in args if isinstance(t, Tensor)]
    set_output(result, node, 0)
    return result


def _edge(t):
    """autograd_graph.edge of a tensor, its common cases first (checked_edge's test that no
    unseen write changed t, inline)."""
    if not t._requires_grad:
        return _NO_EDGE
    node = t.grad_fn
    if node is None:
        return accumulator(t), 0
    meta = getattr(t, "_autograd", None)
    nr = meta.output_nr if meta is not None else 0
    seen = node._versions.get(nr)
    st = t._storage
    if seen is None or seen[0] != id(st) or seen[1] == st.version:
        return node, nr
    return checked_edge(t)


def _learn(result, args):
    """The template of the node the general path gave result, _GENERAL when that node is
    not of the shape recorded() rebuilds, None when this call cannot tell (an edge that is
    not an operand's plain edge, as after a write autograd did not see)."""
    node = getattr(result, "grad_fn", None)
    if type(result) is not Tensor or node is None or result._base is not None or \
            node._hooks or not isinstance(node._call, tuple) or len(node._call) != 5:
        return _GENERAL
    op, called, kwargs, kept, positions = node._call
    tensors = [a for a in args if isinstance(a, Tensor)]
    if kwargs or len(called) != len(args) or any(c is not a for c, a in zip(called, args)) \
            or type(kept) is not _SavedOutput or kept.storage is not result._storage \
            or len(node._outputs) != 1 or len(positions) != len(node.next_functions) \
            or len(node._saved) != len(tensors) \
            or any(s is not t for (s, _), t in zip(node._saved, tensors)) \
            or any(not isinstance(a, (Tensor, int, float, bool)) for a in args):
        return _GENERAL
    where = [j for j, a in enumerate(args) if isinstance(a, Tensor)]   # position -> arg
    edge_args = []
    for (fn, nr), pos, spec in zip(node.next_functions, positions, node._inputs):
        if pos is None:
            if fn is not None or spec is not None:
                return _GENERAL
            edge_args.append(None)
            continue
        t = tensors[pos]
        if spec != (t._shape, t.dtype):
            return _GENERAL
        if edge(t) != (fn, nr):
            return None
        edge_args.append(where[pos])
    return _Template(node, tuple(edge_args))
