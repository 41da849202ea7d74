"""torch.nn: only its functional interface so far (no modules, no autograd)."""
from . import functional  # noqa: F401
