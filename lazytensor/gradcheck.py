"""torch.autograd.gradcheck and gradgradcheck: autograd's Jacobian compared with one from
central differences.

The numerical Jacobian perturbs each element of each input that requires grad by +-eps
and reads the outputs (a program-cache hit after the first call: the graph is the same, only
the data differs); the analytical one is one backward pass per output element, all of an
output's passes read back in one realisation. Both are laid out as PyTorch's are: rows are
input elements, columns output elements. Indices in the messages count the inputs that
require grad and the outputs that do.

Not checked (the arguments are accepted): undefined output gradients
(check_undefined_grad), batched gradients (check_batched_grad, which needs vmap), sparse or
masked inputs. fast_mode computes the full Jacobians too. check_forward_ad compares
lazytensor.autograd.forward_ad's tangents, which come from the same reverse-mode graph.
"""
import warnings

import numpy as np

from . import creation, forward_ad, movement
from .autograd_functional import unit_vectors
from .autograd_graph import enable_grad
from .gradients import grad as _grad
from .dtypes import float64
from .tensor import Tensor

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """gradcheck's failure: autograd's Jacobian differs from the numerical one."""


def _as_tuple(x):
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _differentiable(outputs):
    return [o for o in outputs if isinstance(o, Tensor) and o.requires_grad]


def _check_inputs(inputs):
    found = False
    for i, t in enumerate(inputs):
        if isinstance(t, Tensor) and t.requires_grad:
            if t.dtype.name != "float64":
                warnings.warn(f"Input #{i} requires gradient and is not a double precision "
                              "floating point or complex. This check will likely fail if all "
                              "the inputs are not of double precision floating point or "
                              "complex. ", stacklevel=3)
            if not all(st > 0 or sz <= 1 for st, sz in zip(t.stride(), t.size())):
                raise RuntimeError(f"The {i}th input has a dimension with stride 0. gradcheck "
                                   "only supports inputs that are non-overlapping to be able "
                                   "to compute the numerical gradients correctly. You should "
                                   "call .contiguous on the input before passing it to "
                                   "gradcheck.")
            found = True
    if not found:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")


def _array(t):
    """t's values as a float64 NumPy array (from whatever device)."""
    return np.asarray(t.detach().cpu().numpy(), dtype=np.float64)


def _outputs_as_arrays(func, inputs):
    outs = _as_tuple(func(*inputs))     # in grad mode: func may differentiate (gradgradcheck)
    return [_array(o).reshape(-1)
            if isinstance(o, Tensor) and o.dtype.is_floating_point else None for o in outs]


def _numerical(func, inputs, positions, sizes, eps):
    """For each input that requires grad, for each output at positions (of sizes
    elements): the (input numel, output numel) matrix of central differences."""
    jacobians = []
    for i, t in enumerate(inputs):
        if not (isinstance(t, Tensor) and t.requires_grad):
            continue
        base = np.array(t.detach().cpu().numpy(), copy=True)
        per_output = [np.zeros((base.size, n)) for n in sizes]
        for k in range(base.size):
            values = []
            for step in (eps, -eps):
                moved = base.copy()
                moved.reshape(-1)[k] += step
                args = list(inputs)
                args[i] = _like(moved, t).requires_grad_()
                outs = _outputs_as_arrays(func, args)
                values.append([outs[p] for p in positions])
            for j, (plus, minus) in enumerate(zip(*values)):
                per_output[j][k] = (plus - minus) / (2 * eps)
        jacobians.append(per_output)
    return jacobians


def _like(array, t):
    return creation.tensor(array, dtype=t.dtype, device=t.device)


def _analytical(outputs, diff_inputs):
    """For each input that requires grad, for each differentiable output: the
    (input numel, output numel) matrix of vector-Jacobian products with each one-hot."""
    jac = [[None] * len(outputs) for _ in diff_inputs]
    for j, out in enumerate(outputs):
        columns = [[] for _ in diff_inputs]
        for onehot in unit_vectors(out):
            grads = _grad([out], diff_inputs, [onehot], retain_graph=True, allow_unused=True)
            for i, (g, inp) in enumerate(zip(grads, diff_inputs)):
                columns[i].append(inp.new_zeros(inp.numel()) if g is None else g.reshape(-1))
        for i, inp in enumerate(diff_inputs):
            if columns[i]:
                jac[i][j] = _array(movement.stack(columns[i], 1))
            else:
                jac[i][j] = np.zeros((inp.numel(), 0))
    return jac


def _matrix_repr(array):
    return repr(creation.tensor(array, dtype=float64))


def _fail(message, raise_exception):
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradcheck(func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """True when autograd's gradients of func at inputs match central differences
    (|analytical - numerical| <= atol + rtol * |numerical|, elementwise); otherwise raises
    GradcheckError (or returns False with raise_exception=False)."""
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    with enable_grad():
        outputs = _as_tuple(func(*inputs))
    positions = [p for p, o in enumerate(outputs) if isinstance(o, Tensor) and o.requires_grad]
    diff_outputs = [outputs[p] for p in positions]
    if not diff_outputs:
        # nothing to differentiate: the function must then not change with its inputs
        floating = [p for p, o in enumerate(outputs)
                    if isinstance(o, Tensor) and o.dtype.is_floating_point]
        sizes = [outputs[p].numel() for p in floating]
        for per_output in _numerical(func, inputs, floating, sizes, eps):
            if any(np.count_nonzero(jac) for jac in per_output):
                return _fail("Numerical gradient for function expected to be zero",
                             raise_exception)
        return True
    numerical = _numerical(func, inputs, positions, [o.numel() for o in diff_outputs], eps)
    if check_backward_ad:
        analytical = _analytical(diff_outputs, diff_inputs)
        again = _analytical(diff_outputs, diff_inputs)
        for i in range(len(diff_inputs)):
            for j in range(len(diff_outputs)):
                a, n = analytical[i][j], numerical[i][j]
                if a.shape != n.shape or not np.allclose(a, n, rtol=rtol, atol=atol):
                    return _fail(f"Jacobian mismatch for output {j:d} with respect to input "
                                 f"{i:d},\nnumerical:{_matrix_repr(n)}\n"
                                 f"analytical:{_matrix_repr(a)}\n", raise_exception)
                if np.abs(again[i][j] - a).max(initial=0.0) > nondet_tol:
                    return _fail("Backward is not reentrant, i.e., running backward with same "
                                 "input and grad_output multiple times gives different values, "
                                 "although analytical gradient matches numerical gradient."
                                 f"The tolerance for nondeterminism was {nondet_tol}.",
                                 raise_exception)
    if check_forward_ad:
        forward = _forward_jacobian(func, inputs, positions, [o.numel() for o in diff_outputs])
        for i in range(len(diff_inputs)):
            for j in range(len(diff_outputs)):
                a, n = forward[i][j], numerical[i][j]
                if not np.allclose(a, n, rtol=rtol, atol=atol):
                    return _fail(f"Jacobian computed with forward mode mismatch for output "
                                 f"{j:d} with respect to input {i:d},\n"
                                 f"numerical:{_matrix_repr(n)}\n"
                                 f"analytical:{_matrix_repr(a)}\n", raise_exception)
    return True


def _forward_jacobian(func, inputs, positions, sizes):
    """The Jacobians by forward_ad: one dual call per input element (rows), as gradcheck's
    forward-mode check lays them out."""
    result = []
    for i, t in enumerate(inputs):
        if not (isinstance(t, Tensor) and t.requires_grad):
            continue
        rows = [[] for _ in positions]
        for tangent in unit_vectors(t.detach()):
            with forward_ad.dual_level():
                args = list(inputs)
                args[i] = forward_ad.make_dual(t.detach(), tangent)
                outs = _as_tuple(func(*args))
                for r, p in enumerate(positions):
                    tan = forward_ad.unpack_dual(outs[p]).tangent
                    rows[r].append(np.zeros(outs[p].numel()) if tan is None else
                                   _array(tan).reshape(-1))
        result.append([np.stack(r, 0) if r else np.zeros((0, n)) for r, n in zip(rows, sizes)])
    return result


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-06, atol=1e-05, rtol=0.001,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """gradcheck of the gradients of func: the function of (inputs, grad_outputs) that
    returns func's vector-Jacobian product is checked against central differences. Without
    grad_outputs, random float64 ones (a fixed seed, not the global generator) are used."""
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        with enable_grad():
            outputs = _differentiable(_as_tuple(func(*inputs)))
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            creation.tensor(rng.uniform(-1.0, 1.0, size=tuple(o.shape)), dtype=o.dtype,
                   device=o.device, requires_grad=True) for o in outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def vector_jacobian(*args):
        ins, gos = args[:n_in], args[n_in:]
        outs = _differentiable(_as_tuple(func(*ins)))
        diff = [t for t in ins if isinstance(t, Tensor) and t.requires_grad]
        grads = _grad(outs, diff, list(gos), create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(vector_jacobian, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad,
                     check_forward_ad=check_fwd_over_rev, fast_mode=fast_mode)
