"""torch.autograd.forward_ad: dual tensors (a primal and its tangent) and dual levels.

lazytensor has no forward-mode derivatives of its own. A tangent is computed when it is
asked for, at unpack_dual, by the double backward trick on the reverse-mode graph:
  * make_dual(x, v) returns a tensor that autograd records (x itself aliased, made to require
    grad when x does not), remembered with v in the current level;
  * unpack_dual(y) takes u = zeros shaped as y (requiring grad), computes g(u) = J^T u with
    the graph recorded (one backward pass from y to the level's duals), then J v = d(g . v)/du
    (a second backward pass, through the first). Both passes build lazy graph only: the
    tangent is computed when it is read, fused with whatever reads it.
Cost: each unpack_dual of a result is two backward passes over the graph from the duals to
it (PyTorch's forward mode costs one extra forward pass, at the ops themselves).

Differences from PyTorch (documented, by design of this approach):
  * a dual made from a tensor that does not require grad reports requires_grad=True (its
    history is how the tangent is found); unpack_dual's primal is detached again then. An
    in-place op on the dual itself is refused, as on any leaf that requires grad (PyTorch
    writes through the dual into the primal); one on a tensor computed from it is fine;
  * ops run under no_grad, or ops with no reverse-mode derivative, carry no tangent (the
    latter raise at unpack_dual, naming the op, as backward would);
  * a tensor's repr does not show its tangent.
"""
from collections import namedtuple

from .autograd_graph import enable_grad, is_grad_enabled, set_grad_enabled
from .gradients import grad as _grad
from .tensor import Tensor

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level",
           "make_dual", "unpack_dual"]

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])


class _Level:
    """A dual level's duals: (dual tensor, tangent, whether the primal required grad)."""
    __slots__ = ("duals",)

    def __init__(self):
        self.duals = []

    def find(self, t):
        for dual, tangent, user_grad in self.duals:
            if dual is t:
                return tangent, user_grad
        return None


_levels = []


def enter_dual_level():
    """Enter a new forward grad level (the innermost one is the default); returns its
    number."""
    _levels.append(_Level())
    return len(_levels) - 1


def exit_dual_level(*, level=None):
    """Leave the innermost level, forgetting its tangents."""
    current = len(_levels) - 1
    if level is None:
        level = current
    if level != current:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that "
                           "was created. This is not supported.")
    _levels.pop()


class dual_level:
    """Context manager for a forward AD level: `with dual_level(): ...`; the tangents made
    inside are gone when it exits."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()


def _level(level):
    if level is None:
        level = len(_levels) - 1
    return level


def make_dual(tensor, tangent, *, level=None):
    """A tensor that is `tensor` for every op, and carries `tangent` as its forward
    gradient in the level."""
    level = _level(level)
    if level < 0:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, "
                           "make sure to enter_dual_level() first.")
    if not tensor.dtype.is_floating_point:
        raise ValueError(f"Expected primal to be floating point or complex, but got: "
                         f"{tensor.dtype}")
    if not tangent.dtype.is_floating_point:
        raise ValueError(f"Expected tangent to be floating point or complex, but got: "
                         f"{tangent.dtype}")
    if tangent.shape != tensor.shape:
        raise RuntimeError("Trying to set a forward gradient that has a different size than "
                           "that of the original Tensor, this is not supported. Tensor is of "
                           f"size {list(tensor.shape)} while the given forward gradient is of "
                           f"size {list(tangent.shape)}.")
    with enable_grad():
        user_grad = tensor.requires_grad
        dual = tensor.view_as(tensor) if user_grad else tensor.detach().requires_grad_()
    _levels[level].duals.append((dual, tangent, user_grad))
    return dual


def unpack_dual(tensor, *, level=None):
    """(primal, tangent) of tensor in the level: its forward gradient, None where tensor
    does not depend on the level's duals."""
    level = _level(level)
    if level < 0 or level >= len(_levels) or not isinstance(tensor, Tensor):
        return UnpackedDualTensor(tensor, None)
    lvl = _levels[level]
    user_grad = any(u for _, _, u in lvl.duals)
    primal = tensor if user_grad or not tensor.requires_grad else tensor.detach()
    known = lvl.find(tensor)
    if known is not None:
        return UnpackedDualTensor(primal, known[0])
    if not tensor.requires_grad or not tensor.dtype.is_floating_point or not lvl.duals:
        return UnpackedDualTensor(primal, None)
    return UnpackedDualTensor(primal, _tangent(tensor, lvl.duals))


def _tangent(tensor, duals):
    """J v at tensor, for the duals' tangents v, by the double backward trick."""
    inputs = [d for d, _, _ in duals]
    keep = any(u or t.requires_grad for _, t, u in duals) and is_grad_enabled()
    with enable_grad():
        u = tensor.detach().new_zeros(tensor.shape).requires_grad_()
        firsts = _grad([tensor], inputs, [u], create_graph=True, allow_unused=True)
    pairs = [(g, t) for g, (_, t, _) in zip(firsts, duals) if g is not None and g.requires_grad]
    if not pairs:
        return None
    with set_grad_enabled(keep):
        out, = _grad([g for g, _ in pairs], [u], [t for _, t in pairs], create_graph=keep,
                     allow_unused=True)
    if out is None:
        return None
    return out if keep else out.detach()
