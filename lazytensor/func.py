"""torch.func (functorch's transforms) on lazytensor's reverse-mode autograd: grad,
grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, functional_call, and a vmap that loops.

Each transform calls the function on fresh tensors that require grad (a differentiable
alias of an argument that requires grad already, so an enclosing transform or the caller's
own backward sees through it) and differentiates, recording the derivative only where the
output's graph leads outside the transform (an argument or a captured tensor that requires
grad: what makes grad(grad(f)) and hessian work). A result keeps its graph only where it
leads outside; otherwise it is detached, as PyTorch's are (and always under no_grad).
Everything stays lazy: nothing is computed until a result is read.

How they differ from PyTorch's:
  * jvp and jacfwd are computed in reverse mode by the double backward trick (jvp: two
    backward passes; jacfwd: one, then one through it per input element, so its columns
    are forward mode's, signs of zeros included): same values, different cost;
  * jacrev makes one backward pass per output element (chunk_size is accepted);
  * vmap is not a batching transform: it calls the function once per index of the mapped
    dimension and stacks the results (in_dims: an int or None for every argument, or a
    tuple of those nested as the arguments are; out_dims: an int or a tuple per output).
    Values are PyTorch's; a function that calls .item() or branches on data works here,
    where PyTorch's raises;
  * pytrees are tensors in nested tuples, lists and dicts (others are leaves).
"""
import functools

from . import movement as _movement  # its namespace's stack is the recorded one
from .autograd_functional import jacobian_columns, unit_vectors
from .autograd_graph import AccumulateGrad, enable_grad, is_grad_enabled
from .gradients import grad as _autograd_grad
from .tensor import Tensor

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
           "functional_call", "vmap"]


# -- pytrees --------------------------------------------------------------------------------------
def _flatten(tree):
    """(leaves, spec): spec rebuilds the tree from leaves with _unflatten."""
    if isinstance(tree, (tuple, list)):
        leaves, specs = [], []
        for item in tree:
            sub, spec = _flatten(item)
            leaves += sub
            specs.append((len(sub), spec))
        return leaves, (tree.__class__, None, specs)
    if isinstance(tree, dict):
        leaves, specs = [], []
        for key in tree:
            sub, spec = _flatten(tree[key])
            leaves += sub
            specs.append((len(sub), spec))
        return leaves, (dict, list(tree), specs)
    return [tree], None


def _unflatten(leaves, spec):
    if spec is None:
        return leaves[0]
    kind, keys, specs = spec
    items, at = [], 0
    for n, sub in specs:
        items.append(_unflatten(leaves[at:at + n], sub))
        at += n
    if kind is dict:
        return dict(zip(keys, items))
    if hasattr(kind, "_fields"):                    # a named tuple
        return kind(*items)
    return kind(items)


def _describe(spec):
    """A readable structure, for messages: Tensor, (a, b), [a], {k: a}."""
    if spec is None:
        return "*"
    kind, keys, specs = spec
    parts = [_describe(s) for _, s in specs]
    if kind is dict:
        return "{" + ", ".join(f"{k!r}: {p}" for k, p in zip(keys, parts)) + "}"
    if kind is list:
        return "[" + ", ".join(parts) + "]"
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


# -- arguments -------------------------------------------------------------------------------------
def _check_argnums(argnums, num_args):
    def one(a):
        if not isinstance(a, int):
            raise RuntimeError(f"argnum must be int, got: {type(a)}")
        if 0 <= a < num_args:
            return a
        if -num_args <= a < 0:
            return a + num_args
        raise RuntimeError(f"Got argnum={a}, but only {num_args} positional inputs")
    if isinstance(argnums, int):
        return one(argnums)
    if not isinstance(argnums, tuple):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    wrapped = tuple(one(a) for a in argnums)
    if not wrapped:
        raise RuntimeError("argnums must be non-empty")
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return wrapped


def _fresh(t):
    """The tensor the function is called with in place of t (see the module's note)."""
    if not isinstance(t, Tensor):
        return t
    if t.requires_grad:
        return t.view_as(t)
    return t.detach().requires_grad_()


class _Scope:
    """One transform's call: the fresh leaves it made, to tell whether a result's graph
    leads anywhere else (then it is kept) or only to them (then it is detached)."""

    def __init__(self):
        self.leaves = set()
        # called under no_grad, a transform gives results without history (as PyTorch's)
        self.keeps_graph = is_grad_enabled()

    def fresh(self, t):
        new = _fresh(t)
        if isinstance(new, Tensor) and new.grad_fn is None and new.requires_grad:
            self.leaves.add(id(new))
        return new

    def reaches_outside(self, tensors):
        seen, stack = set(), []
        for t in tensors:
            if isinstance(t, Tensor) and t.requires_grad:
                if t.grad_fn is None:
                    if id(t) not in self.leaves:
                        return True
                else:
                    stack.append(t.grad_fn)
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, AccumulateGrad):
                var = node.variable
                if var is None or id(var) not in self.leaves:
                    return True
                continue
            stack.extend(n for n, _ in node.next_functions if n is not None)
        return False

    def records(self, tensors):
        """Whether derivatives of tensors (computed in this scope) must be recorded: only
        where they may lead outside it (an argument or a captured tensor that requires
        grad), since a recorded backward keeps its intermediates alive, and a realisation
        then stores them too (several kernels per row of a Jacobian instead of one)."""
        return self.keeps_graph and self.reaches_outside(
            [t for t in tensors if isinstance(t, Tensor)])

    def finish(self, tree):
        """tree with each tensor detached unless its graph leads outside the scope."""
        leaves, spec = _flatten(tree)
        return _unflatten([t.detach() if isinstance(t, Tensor) and
                           (not self.keeps_graph or not self.reaches_outside([t])) else t
                           for t in leaves], spec)


def _grads(outputs, inputs, cotangents, create_graph=True):
    """autograd.grad (with the graph recorded unless told otherwise); zeros for inputs the
    outputs do not use."""
    pairs = [(o, c) for o, c in zip(outputs, cotangents) if o.requires_grad]
    if not pairs:
        return [i.new_zeros(i.shape) for i in inputs]
    got = _autograd_grad([o for o, _ in pairs], list(inputs), [c for _, c in pairs],
                         create_graph=create_graph, retain_graph=True, allow_unused=True)
    return [i.new_zeros(i.shape) if g is None else g for g, i in zip(got, inputs)]


def _split_aux(output, has_aux, api):
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{api}: output of function f should be a tuple: (output, aux) if "
                           "has_aux is True")
    return output


# -- grad ----------------------------------------------------------------------------------------
def _fresh_arguments(scope, args, argnums):
    """(the checked argnums, args with the tensors of those arguments replaced by the
    scope's fresh leaves)."""
    nums = _check_argnums(argnums, len(args))
    args = list(args)
    for n in (nums,) if isinstance(nums, int) else nums:
        leaves, spec = _flatten(args[n])
        args[n] = _unflatten([scope.fresh(t) for t in leaves], spec)
    return nums, args


def grad_and_value(func, argnums=0, has_aux=False):
    """A function returning (gradient of func's scalar output with respect to the arguments
    argnums (an int, or a tuple of them), func's output) — ((gradient, (output, aux)) with
    has_aux)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        scope = _Scope()
        with enable_grad():
            nums, args = _fresh_arguments(scope, args, argnums)
            output = func(*args, **kwargs)
            output, aux = _split_aux(output, has_aux, "grad_and_value(f)(*args)")
            if not isinstance(output, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   f"Tensor, got {type(output)}")
            if output.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   f"scalar Tensor, got tensor with {output.dim()} dims. Maybe "
                                   "you wanted to use the vjp or jacrev APIs instead?")
            diff = args[nums] if isinstance(nums, int) else tuple(args[n] for n in nums)
            leaves, spec = _flatten(diff)
            grads = _grads([output], leaves, [output.new_ones(())],
                           create_graph=scope.records([output]))
            result = _unflatten(grads, spec)
        value = (output, aux) if has_aux else output
        return scope.finish(result), scope.finish(value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """A function returning the gradient of func's scalar output with respect to the
    arguments argnums ((gradient, aux) with has_aux)."""
    both = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gradient, value = both(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient
    return wrapper


# -- vjp and jvp ---------------------------------------------------------------------------------
def vjp(func, *primals, has_aux=False):
    """(func(*primals), vjp_fn[, aux]): vjp_fn(cotangents) is the tuple of the
    vector-Jacobian products with respect to each primal; it may be called many times."""
    scope = _Scope()
    with enable_grad():
        flat_primals, primals_spec = _flatten(primals)
        fresh = [scope.fresh(t) for t in flat_primals]
        output = func(*_unflatten(fresh, primals_spec))
        output, aux = _split_aux(output, has_aux, "vjp(f, *primals)")
        flat_out, out_spec = _flatten(output)
        if not flat_out:
            raise RuntimeError("vjp(f, *primals): Expected f to be a function that has "
                               f"non-empty output (got output = {output})")
        for o in flat_out:
            if not isinstance(o, Tensor):
                raise RuntimeError("vjp(f, *primals): Expected f(*primals) to return only "
                                   f"tensors, got unsupported type {type(o)}")
    inputs = [t for t in fresh if isinstance(t, Tensor)]

    def vjp_fn(cotangents, *, retain_graph=True, create_graph=None):
        flat_cot, cot_spec = _flatten(cotangents)
        if _describe(cot_spec) != _describe(out_spec):
            raise RuntimeError("Expected pytree structure of cotangents to be the same as "
                               f"pytree structure of outputs to the function. cotangents: "
                               f"{_describe(cot_spec)}, primal output: {_describe(out_spec)}")
        # (a cotangent of the wrong shape: autograd.grad's "Mismatch in shape" error)
        with enable_grad():
            got = iter(_grads(flat_out, inputs, flat_cot,
                              create_graph=scope.records(flat_out + flat_cot)))
            grads = [next(got) if isinstance(t, Tensor) else None for t in fresh]
        # kept with its graph where it leads to a cotangent or tensor that requires grad
        return scope.finish(_unflatten(grads, primals_spec))

    value = scope.finish(output)
    return (value, vjp_fn, scope.finish(aux)) if has_aux else (value, vjp_fn)


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """(func(*primals), J tangents[, aux]): the Jacobian-vector product, computed by the
    double backward trick (two reverse passes)."""
    api = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{api}: Expected primals to be a tuple. E.g. it should be valid "
                           "to call f(*primals).")
    flat_primals, primals_spec = _flatten(primals)
    flat_tangents, tangents_spec = _flatten(tangents)
    if _describe(primals_spec) != _describe(tangents_spec):
        raise RuntimeError(f"{api}: Expected primals and tangents to have the same python "
                           "structure. For example, if primals is a tuple of 3 tensors, "
                           "tangents also must be. Got primals with structure "
                           f"{_describe(primals_spec)} and tangents with structure "
                           f"{_describe(tangents_spec)}")
    for name, flat in (("primals", flat_primals), ("tangents", flat_tangents)):
        if not flat:
            raise RuntimeError(f"{api}: Expected {name} to be a non-empty list of Tensors.")
        for t in flat:
            if not isinstance(t, Tensor):
                raise RuntimeError(f"{api}: Expected {name} to only contain Tensors, got "
                                   f"{type(t)}")
    for p, t in zip(flat_primals, flat_tangents):
        if p.shape != t.shape:
            raise RuntimeError("Trying to set a forward gradient that has a different size "
                               "than that of the original Tensor, this is not supported. "
                               f"Tensor is of size {list(p.shape)} while the given forward "
                               f"gradient is of size {list(t.shape)}.")
    scope = _Scope()
    with enable_grad():
        fresh = [scope.fresh(t) for t in flat_primals]
        output = func(*_unflatten(fresh, primals_spec))
        output, aux = _split_aux(output, has_aux, api)
        flat_out, out_spec = _flatten(output)
        for o in flat_out:
            if not isinstance(o, Tensor):
                raise RuntimeError(f"{api}: Expected f(*primals) to return only tensors, got "
                                   f"unsupported type {type(o)}")
        us = [o.detach().new_zeros(o.shape).requires_grad_() for o in flat_out]
        firsts = _grads(flat_out, fresh, us)
        pairs = [(g, t) for g, t in zip(firsts, flat_tangents) if g.requires_grad]
        if pairs:
            seconds = _grads([g for g, _ in pairs], us, [t for _, t in pairs],
                             create_graph=scope.records(flat_out + flat_tangents))
        else:
            seconds = [o.new_zeros(o.shape) for o in flat_out]
        tangent_out = _unflatten(seconds, out_spec)
    for u in us:                    # the scope's own leaves too (the u's are not outside)
        scope.leaves.add(id(u))
    result = (scope.finish(output), scope.finish(tangent_out))
    return result + (scope.finish(aux),) if has_aux else result


# -- Jacobians -------------------------------------------------------------------------------------
def _jacobian_rows(o, flat_in, create_graph):
    """d o / d each input, a row (one backward pass) per element of o."""
    rows = [[] for _ in flat_in]
    for e in unit_vectors(o):
        for r, g in zip(rows, _grads([o], flat_in, [e], create_graph)):
            r.append(g)
    return [_movement.stack(r, 0).view(o.shape + i.shape) if r else
            i.new_zeros(o.shape + i.shape) for r, i in zip(rows, flat_in)]


def _jacobian_columns(o, flat_in, create_graph):
    """d o / d each input, a column per input element as forward mode makes them (by the
    double backward trick: see autograd_functional.jacobian_columns)."""
    return [i.new_zeros(o.shape + i.shape) if b is None else b
            for b, i in zip(jacobian_columns(o, flat_in, create_graph), flat_in)]


def _jacobian_transform(func, argnums, has_aux, api):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        scope = _Scope()
        with enable_grad():
            nums, args = _fresh_arguments(scope, args, argnums)
            output = func(*args, **kwargs)
            output, aux = _split_aux(output, has_aux, f"{api}(f, ...)(*args)")
            flat_out, out_spec = _flatten(output)
            for o in flat_out:
                if not isinstance(o, Tensor):
                    raise RuntimeError(f"{api}(f, ...)(*args): Expected f(*args) to return "
                                       f"only tensors, got unsupported type {type(o)}")
            diff = args[nums] if isinstance(nums, int) else tuple(args[n] for n in nums)
            flat_in, in_spec = _flatten(diff)
            columns = _jacobian_columns if api == "jacfwd" else _jacobian_rows
            record = scope.records(flat_out)
            per_output = [_unflatten(columns(o, flat_in, record), in_spec) for o in flat_out]
            result = _unflatten(per_output, out_spec)
        result = scope.finish(result)
        return (result, scope.finish(aux)) if has_aux else result
    return wrapper


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """A function returning the Jacobian of func with respect to the arguments argnums: for
    each output, a tensor of shape output.shape + argument.shape (nested as the outputs and
    arguments are). One backward pass per output element; chunk_size is accepted."""
    if chunk_size is not None and not (isinstance(chunk_size, int) and chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")
    return _jacobian_transform(func, argnums, has_aux, "jacrev")


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """jacrev's result (same values and structure), its columns computed as forward mode
    would, by the double backward trick: one backward pass, then one through it per input
    element."""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")
    return _jacobian_transform(func, argnums, has_aux, "jacfwd")


def hessian(func, argnums=0):
    """A function returning the Hessian of func's output with respect to the arguments
    argnums: the Jacobian of its Jacobian."""
    return jacfwd(jacrev(func, argnums), argnums)


# -- functional_call -----------------------------------------------------------------------------
def _owner(module, name):
    *path, leaf = name.split(".")
    for part in path:
        children = module.__dict__.get("_modules", {})
        if part not in children:
            return None, leaf
        module = children[part]
    return module, leaf


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """module(*args, **kwargs) with the named parameters and buffers replaced by the given
    tensors for the call (the module is left as it was, also when the call raises)."""
    if isinstance(parameter_and_buffer_dicts, dict):
        values = dict(parameter_and_buffer_dicts)
    elif isinstance(parameter_and_buffer_dicts, (list, tuple)):
        counts = {}
        for d in parameter_and_buffer_dicts:
            for key in d:
                counts[key] = counts.get(key, 0) + 1
        repeated = [key for key, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of "
                             "functional call is ambiguous")
        values = {}
        for d in parameter_and_buffer_dicts:
            values.update(d)
    else:
        raise ValueError(f"Expected parameter_and_buffer_dicts to be a dict, or a list/tuple "
                         f"of dicts, but got {type(parameter_and_buffer_dicts)}")
    if tie_weights:                 # a tensor shared by two names is replaced under both
        named = {}
        for table in ("_parameters", "_buffers"):
            for prefix, mod in module.named_modules(remove_duplicate=False):
                for n, t in mod.__dict__.get(table, {}).items():
                    if t is not None:
                        named.setdefault(id(t), []).append(f"{prefix}.{n}" if prefix else n)
        for names in named.values():
            given = [n for n in names if n in values]
            if given:
                for n in names:
                    values.setdefault(n, values[given[0]])
    if strict:
        expected = {n for n, _ in module.named_parameters(remove_duplicate=False)} | \
                   {n for n, _ in module.named_buffers(remove_duplicate=False)}
        missing = sorted(expected - set(values))
        unexpected = sorted(set(values) - expected)
        if missing or unexpected:
            parts = []
            if unexpected:
                parts.append("Unexpected key(s): " + ", ".join(f"'{k}'" for k in unexpected)
                             + ".")
            if missing:
                parts.append("Missing key(s): " + ", ".join(f"'{k}'" for k in missing) + ".")
            raise RuntimeError("Error(s) in reparametrizing for "
                               f"{type(module).__name__}:\n\t" + "\n\t".join(parts))
    saved = []
    try:
        for name, value in values.items():
            owner, leaf = _owner(module, name)
            if owner is None:
                raise AttributeError(f"{type(module).__name__} has no attribute "
                                     f"`{name.split('.')[0]}`")
            for table in ("_parameters", "_buffers"):
                entries = owner.__dict__.get(table)
                if entries is not None and leaf in entries:
                    saved.append((entries, leaf, entries[leaf]))
                    entries[leaf] = value
                    break
            else:
                saved.append((owner.__dict__, leaf, owner.__dict__.get(leaf, _ABSENT)))
                owner.__dict__[leaf] = value
        if args is None:
            args = ()
        elif not isinstance(args, tuple):
            args = (args,)
        return module(*args, **(kwargs or {}))
    finally:
        for entries, leaf, old in reversed(saved):
            if old is _ABSENT:
                del entries[leaf]
            else:
                entries[leaf] = old


_ABSENT = object()


# -- vmap (a loop) ---------------------------------------------------------------------------------
def _name(func):
    return getattr(func, "__name__", repr(func))


def _broadcast_dims(dims, args):
    """One in_dim per leaf of args: an int or None applies to a whole (nested) argument;
    a tuple or list gives one per element. None where the structures do not match."""
    if dims is None or isinstance(dims, int):
        return [dims] * len(_flatten(args)[0])
    if isinstance(dims, (tuple, list)) and isinstance(args, (tuple, list)) and \
            len(dims) == len(args):
        out = []
        for d, a in zip(dims, args):
            sub = _broadcast_dims(d, a)
            if sub is None:
                return None
            out += sub
        return out
    return None


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """func mapped over a dimension of its arguments: called once per index (see the
    module's note: a loop, not a batching transform), the results stacked along out_dims.
    in_dims: an int or None for every argument, or a tuple of those (nested as the
    arguments are); out_dims: an int, or a tuple of them, one per output."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        where = f"vmap({_name(func)}, in_dims={in_dims}, ...)(<inputs>)"
        if not args:
            raise ValueError(f"vmap({_name(func)})(<inputs>): got no inputs. Maybe you forgot "
                             "to add inputs, or you are trying to vmap over a function with "
                             "no inputs. The latter is unsupported.")
        flat_args, args_spec = _flatten(args)
        dims = _broadcast_dims(in_dims, args)
        if dims is None:
            raise ValueError(f"{where}: in_dims is not compatible with the structure of "
                             f"`inputs`. in_dims has structure "
                             f"{_describe(_flatten(in_dims)[1])} but inputs has structure "
                             f"{_describe(args_spec)}.")
        sizes = []
        for k, (a, d) in enumerate(zip(flat_args, dims)):
            if d is None:
                continue
            if not isinstance(d, int):
                raise ValueError(f"{where}: Got in_dim={d} for an input but in_dim must be "
                                 "either an integer dimension or None.")
            if not isinstance(a, Tensor):
                raise ValueError(f"{where}: Got in_dim={d} for an input but the input is of "
                                 f"type {type(a)}. We cannot vmap over non-Tensor arguments, "
                                 "please use None as the respective in_dim")
            if not -a.dim() <= d < a.dim():
                raise ValueError(f"{where}: Got in_dim={d} for some input, but that input is "
                                 f"a Tensor of dimensionality {a.dim()} so expected in_dim to "
                                 f"satisfy -{a.dim()} <= in_dim < {a.dim()}.")
            sizes.append(a.shape[d])
        if not sizes:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if any(n != sizes[0] for n in sizes):
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sizes} for the mapped dimension")
        results = []
        for i in range(sizes[0]):
            call = [a if d is None else a.select(d, i) for a, d in zip(flat_args, dims)]
            results.append(func(*_unflatten(call, args_spec), **kwargs))
        flat0, spec = _flatten(results[0])
        outs = out_dims if isinstance(out_dims, tuple) else (out_dims,) * len(flat0)
        columns = list(zip(*(_flatten(r)[0] for r in results)))
        stacked = []
        for col, d in zip(columns, outs):
            if not isinstance(col[0], Tensor):
                raise ValueError(f"vmap({_name(func)}, ...): `{_name(func)}` must only return "
                                 f"Tensors, got type {type(col[0])}. Did you mean to set "
                                 "out_dims= to None for output?")
            stacked.append(_movement.stack(list(col), d))
        return _unflatten(stacked, spec)
    return wrapper
