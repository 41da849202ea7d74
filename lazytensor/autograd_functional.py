"""torch.autograd.functional: vjp, jvp, jacobian, hessian, vhp and hvp of a function of tensors,
built on reverse-mode autograd (autograd.grad), so every result is lazy graph like any other.

How each is computed:
  * vjp: one backward pass from the outputs, weighted by v;
  * jvp: the "double backward trick": g(u) = J^T u is linear in u, so J v = d(g(u) . v)/du,
    a second backward pass through the first one's (recorded) graph, at u = 0;
  * jacobian: one backward pass per output element (PyTorch's vectorize=True batches these
    with vmap; here it is accepted and computed by the same loop);
  * hessian: the jacobian of the (recorded) gradient;
  * vhp: the gradient of (gradient . v); hvp: the double backward trick on top of that;
  * the "forward-mode" strategies (which PyTorch offers only with vectorize=True): the
    Jacobian column by column, by the double backward trick (jacobian_columns), so the
    values are reverse mode's and the signs of zeros forward mode's.
"""
from . import creation as _creation
from . import movement as _movement  # its namespace's stack is the recorded one
from .autograd_graph import enable_grad, is_grad_enabled, set_grad_enabled
from .gradients import grad as _grad
from .tensor import Tensor

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


# -- shared steps -----------------------------------------------------------------------------
def _as_tuple(value, arg_name, fn_name):
    """(whether value was a tuple, value as a tuple), refusing anything but tensors."""
    is_tuple = isinstance(value, tuple)
    items = value if is_tuple else (value,)
    for i, el in enumerate(items):
        if not isinstance(el, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {arg_name}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                            f"tuple of Tensors but the {where} has type {type(el)}.")
    return is_tuple, items


def _untuple(res, was_tuple):
    """Undo _as_tuple: was_tuple is one flag, or (outer, inner) for a tuple of tuples."""
    if isinstance(was_tuple, tuple):
        outer, inner = was_tuple
        if not inner:
            res = tuple(el[0] for el in res)
        return res if outer else res[0]
    return res if was_tuple else res[0]


def _prepare(inputs, create_graph, need_graph):
    """Fresh tensor objects for the function's inputs (so the inputs are told apart from the
    same tensors captured by the function): a differentiable alias when the caller wants the
    graph back to them, else detached copies that require grad only where needed."""
    out = []
    for t in inputs:
        if create_graph and t.requires_grad:
            out.append(t.view_as(t))
        else:
            out.append(t.detach().requires_grad_(need_graph))
    return tuple(out)


def _finish(tensors, create_graph):
    """The results without history unless the caller asked for the graph."""
    return tensors if create_graph else tuple(t.detach() for t in tensors)


def _check_v(v, other, other_is_tuple):
    if len(v) != len(other):
        if other_is_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, other)):
        if a.size() != b.size():
            where = f"Entry {i} in " if other_is_tuple else ""
            raise RuntimeError(f"{where}v has invalid size: should be {b.size()} but got "
                               f"{a.size()}.")


_STRICT = {
    "outputs": "Output {i} of the user-provided function does not require gradients. The "
               "outputs must be computed in a differentiable manner from the input when "
               "running in strict mode.",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of "
                   "the user-provided function. This is not allowed in strict mode.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided "
                "function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).",
    "hessian": "The hessian of the user-provided function with respect to input {i} is "
               "independent of the input. This is not allowed in strict mode. You should "
               "ensure that your function is thrice differentiable and that the hessian "
               "depends on the inputs.",
}


def _check_requires_grad(tensors, kind, strict):
    """In strict mode, every one of tensors must be part of the graph."""
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(f"The output of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode.")
        if not t.requires_grad:
            raise RuntimeError(_STRICT[kind].format(i=i))


def _autograd_grad(outputs, inputs, grad_outputs=None, create_graph=False):
    """autograd.grad over the outputs that require grad (None for every input when none
    does), keeping the graph for the next call and allowing unused inputs."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return _grad([o for o, _ in pairs], list(inputs), [g for _, g in pairs],
                 allow_unused=True, create_graph=create_graph, retain_graph=True)


_MISSING = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
            "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward "
                         "mode AD.",
}


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    """Zeros (shaped as refs) for the gradients that came back None; strict mode refuses
    those, and (with create_graph) gradients that are not part of a graph."""
    out = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_MISSING[stage].format(i=i))
            g = refs[i].new_zeros(refs[i].shape)
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode when "
                               "create_graph=True.")
        out.append(g)
    return tuple(out)


def _call(func, inputs, fn_name, strict):
    is_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function",
                                  fn_name)
    _check_requires_grad(outputs, "outputs", strict)
    return is_tuple, outputs


def _single_element(fn_name, is_tuple, outputs):
    if is_tuple:
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should "
                           "contain a single element")


def _default_v(inputs, fn_name):
    if len(inputs) != 1 or inputs[0].nelement() != 1:
        raise RuntimeError("The vector v can only be None if the input to the user-provided "
                           "function is a single Tensor with a single element.")
    return None


def _tangents(v, refs, refs_tuple, create_graph, fn_name):
    """v as a tuple checked against refs' sizes (None where None is allowed)."""
    _, v = _as_tuple(v, "v", fn_name)
    v = _prepare(v, create_graph, need_graph=False)
    _check_v(v, refs, refs_tuple)
    return v


# -- the public functions -----------------------------------------------------------------------
def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product at inputs."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _call(func, inputs, "vjp", strict)
        if v is not None:
            v = _tangents(v, outputs, outputs_tuple, create_graph, "vjp")
        elif len(outputs) != 1 or outputs[0].nelement() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function "
                               "returns a single Tensor with a single element.")
    with set_grad_enabled(create_graph or is_grad_enabled()):
        grads = _autograd_grad(outputs, inputs, v, create_graph)
        result = _fill_in_zeros(grads, inputs, strict, create_graph, "back")
    return (_untuple(_finish(outputs, create_graph), outputs_tuple),
            _untuple(_finish(result, create_graph), inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v): the Jacobian-vector product, by the double backward trick."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        if v is not None:
            v = _tangents(v, inputs, inputs_tuple, create_graph, "jvp")
        else:
            _default_v(inputs, "jvp")
        outputs_tuple, outputs = _call(func, inputs, "jvp", strict)
        # the first backward pass is linear in u, so its value does not matter (zeros: no
        # inf or nan can enter); u must require grad to differentiate with respect to it
        u = tuple(o.new_zeros(o.shape).requires_grad_() for o in outputs)
        grad_inputs = _autograd_grad(outputs, inputs, u, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with set_grad_enabled(create_graph or is_grad_enabled()):
        grads = _autograd_grad(grad_inputs, u, v, create_graph)
        result = _fill_in_zeros(grads, outputs, strict, create_graph, "back_trick")
    return (_untuple(_finish(outputs, create_graph), outputs_tuple),
            _untuple(_finish(result, create_graph), outputs_tuple))


def unit_vectors(t):
    """The one-hot tensors shaped as t, one per element (rows of an identity matrix): the
    grad_outputs that pick one element of t, by a backward pass from t itself (not from
    an element selected from t, whose derivative wrongly counts an element of an
    expanded view once per alias: x.expand(3)[1] gives x a gradient of 3)."""
    eye = _creation.eye(t.nelement(), dtype=t.dtype, device=t.device)
    return [eye[k].view(t.shape) for k in range(t.nelement())]


def jacobian_columns(out, inputs, create_graph=False):
    """d out / d each of inputs (tensors that require grad), a column per input element as
    forward mode makes them: one backward pass g(u) = J^T u with the graph recorded, then
    J e_j = d(g_j)/du for each input element j (the double backward trick). The values are
    the rows' (one backward pass per output element); the signs of zeros are forward
    mode's. None for an input out does not depend on. create_graph: record the second
    passes too (the first always is: the second differentiates it)."""
    u = out.detach().new_zeros(out.shape).requires_grad_()
    firsts = _autograd_grad((out,), inputs, (u,), create_graph=True)
    blocks = []
    for g, inp in zip(firsts, inputs):
        if g is None or not g.requires_grad:
            blocks.append(None)
            continue
        cols = []
        for e in unit_vectors(g):
            col, = _autograd_grad((g,), (u,), (e,), create_graph=create_graph)
            cols.append(out.new_zeros(out.numel()) if col is None else col.reshape(-1))
        blocks.append(_movement.stack(cols, 1).view(out.shape + inp.shape) if cols else
                      inp.new_zeros(out.shape + inp.shape))
    return blocks


def _jacfwd(func, inputs, strict, vectorize):
    """jacobian's strategy="forward-mode" (PyTorch computes it only with vectorize=True):
    columns by the double backward trick, the same values as reverse mode."""
    if strict:
        raise RuntimeError(
            "lazytensor.autograd.functional.jacobian: `strict=True` and "
            '`strategy="forward-mode"` are not supported together (yet). Please either '
            'set `strict=False` or `strategy="reverse-mode"`.')
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
    if not vectorize:
        # (PyTorch's message, its missing space included)
        raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse "
                                  "Hessian isonly implemented for `vectorize=True`.")
    with enable_grad():
        inputs = _prepare(inputs, create_graph=False, need_graph=True)
        outputs_tuple, outputs = _call(func, inputs, "jacobian", strict)
        blocks = []
        for out in outputs:
            cols = jacobian_columns(out, inputs)
            blocks.append([inp.new_zeros(out.shape + inp.shape) if c is None
                           else c.detach() for c, inp in zip(cols, inputs)])
    # lists, as PyTorch's forward mode gives them (a list of lists for tuple inputs and
    # outputs, a list for tuple inputs, a tuple for tuple outputs)
    return _untuple(blocks, (outputs_tuple, inputs_tuple))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of func at inputs: for output i and input j, a tensor of shape
    outputs[i].shape + inputs[j].shape (single tensors where func's input / output was
    one). vectorize=True is accepted and computed the same way, one backward pass per output
    element."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or '
                             '"reverse-mode". Hint: If your function has more outputs than '
                             'inputs, "forward-mode" tends to be more performant. Otherwise, '
                             'prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "lazytensor.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either '
                'set `create_graph=False` or `strategy="reverse-mode"`.')
        return _jacfwd(func, inputs, strict, vectorize)
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _call(func, inputs, "jacobian", strict)
        if vectorize and strict:
            raise RuntimeError("lazytensor.autograd.functional.jacobian: `strict=True` and "
                               "`vectorized=True` are not supported together. Please either "
                               "set `strict=False` or `vectorize=False`.")
        blocks = []
        for i, out in enumerate(outputs):
            rows = [[] for _ in inputs]            # rows[j]: d out[k] / d inputs[j], each k
            for e in unit_vectors(out):
                grads = _autograd_grad((out,), inputs, (e,), create_graph=create_graph)
                for j, (g, inp) in enumerate(zip(grads, inputs)):
                    if g is None:
                        if strict:
                            raise RuntimeError(f"Output {i} of the user-provided function is "
                                               f"independent of input {j}. This is not "
                                               "allowed in strict mode.")
                        g = inp.new_zeros(inp.shape)
                    elif strict and create_graph and not g.requires_grad:
                        raise RuntimeError(f"The jacobian of the user-provided function is "
                                           f"independent of input {i}. This is not allowed in "
                                           "strict mode when create_graph=True.")
                    rows[j].append(g)
            block = []
            for j, inp in enumerate(inputs):
                if rows[j]:
                    jac = _movement.stack(rows[j], 0).view(out.shape + inp.shape)
                else:                              # an output with no elements
                    jac = inp.new_zeros(out.shape + inp.shape)
                block.append(jac)
            blocks.append(_finish(tuple(block), create_graph))
    return _untuple(tuple(blocks), (outputs_tuple, inputs_tuple))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a function with a single-element output: the Jacobian of its
    gradient (for inputs i, j, a tensor of shape inputs[i].shape + inputs[j].shape)."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or '
                             '"reverse-mode".')

    def scalar_func(*args):
        out = func(*args)
        is_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(outs, "outputs", strict)
        _single_element("hessian", is_tuple, outs)
        return out.squeeze()

    def gradient(*args):
        jac = jacobian(scalar_func, args, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                   vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _untuple(res, (inputs_tuple, inputs_tuple))


def _gradient_of_scalar(func, inputs, v, create_graph, strict, fn_name):
    """Shared start of vhp and hvp: the prepared inputs and v, func's output and its
    gradient (recorded, to be differentiated again)."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _prepare(inputs, create_graph, need_graph=True)
    if v is not None:
        v = _tangents(v, inputs, inputs_tuple, create_graph, fn_name)
    else:
        _default_v(inputs, fn_name)
    outputs_tuple, outputs = _call(func, inputs, fn_name, strict)
    _single_element(fn_name, outputs_tuple, outputs)
    jac = _autograd_grad(outputs, inputs, create_graph=True)
    _check_requires_grad(jac, "jacobian", strict)
    return inputs_tuple, inputs, v, outputs_tuple, outputs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H): the vector-Hessian product of a single-element function."""
    with enable_grad():
        inputs_tuple, inputs, v, outputs_tuple, outputs, jac = _gradient_of_scalar(
            func, inputs, v, create_graph, strict, "vhp")
    with set_grad_enabled(create_graph or is_grad_enabled()):
        grads = _autograd_grad(jac, inputs, v, create_graph)
        result = _fill_in_zeros(grads, inputs, strict, create_graph, "double_back")
    return (_untuple(_finish(outputs, create_graph), outputs_tuple),
            _untuple(_finish(result, create_graph), inputs_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v): the Hessian-vector product of a single-element function, by the
    double backward trick on top of vhp's two passes."""
    with enable_grad():
        inputs_tuple, inputs, v, outputs_tuple, outputs, jac = _gradient_of_scalar(
            func, inputs, v, create_graph, strict, "hvp")
        u = tuple(t.new_zeros(t.shape).requires_grad_() for t in inputs)
        double_back = _autograd_grad(jac, inputs, u, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    with set_grad_enabled(create_graph or is_grad_enabled()):
        grads = _autograd_grad(double_back, u, v, create_graph)
        result = _fill_in_zeros(grads, inputs, strict, create_graph, "double_back_trick")
    return (_untuple(_finish(outputs, create_graph), outputs_tuple),
            _untuple(_finish(result, create_graph), inputs_tuple))
