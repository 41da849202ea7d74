"""lazytensor: PyTorch's tensor API, computed lazily by fused, generated C kernels.

Operations build a graph; printing, .item(), .tolist(), .numpy() or bool() realise it:
the pending graph is cut into kernels, rendered from templates to C, compiled, cached
(in memory and on disk) and run. `lazytensor.explain(t)` shows every step.
"""
import sys as _sys
import numpy as _np

from . import dtypes as _dtypes, ops as _ops
from .dtypes import (bfloat16, bool_ as bool, dtype, float16, float32, float64,  # noqa: F401
                     get_default_dtype, int8, int16, int32, int64, promote_types,
                     set_default_dtype, uint8, complex64, complex128)
from .size import Size  # noqa: F401
from . import device as _device_module
from .device import device, get_default_device, set_default_device  # noqa: F401
from .tensor import Tensor  # noqa: F401
from . import elementwise as _elementwise, reductions as _reductions, movement as _movement
from .creation import (arange, as_tensor, asarray, empty, empty_like, eye,  # noqa: F401
                       from_numpy, full, full_like, linspace, ones, ones_like, rand, rand_like,
                       randint, randint_like, randn, randn_like, randperm, tensor, zeros,
                       zeros_like)
from .elementwise import *  # noqa: F401,F403
from .elementwise import FUNCTIONS as _EW
from .reductions import cumprod, cumsum, log_softmax, logsumexp, softmax  # noqa: F401
from .reductions import (all, amax, amin, any, argmax, argmin, max, mean, min,  # noqa: F401
                         prod, return_types, std, sum, var)
from .movement import (cat, chunk, diagonal, flatten, flip, movedim, narrow,  # noqa: F401
                       permute, reshape, select, split, squeeze, stack, t, transpose, unbind,
                       unflatten, unsqueeze)
from .movement import cat as concat, cat as concatenate  # noqa: F401
from .printing import get_printoptions, set_printoptions  # noqa: F401
from .interop import from_dlpack  # noqa: F401
from . import random as _random
from .random import Generator  # noqa: F401
from .random import default_generator, initial_seed, manual_seed, seed, set_rng_state  # noqa

from .inspect import cache_info, explain  # noqa: F401
from .caches import cache_clear, empty_cache  # noqa: F401
from .codegen.compile_log import RecompileWarning  # noqa: F401
from . import linalg  # noqa: F401
from .linalg import det, dot, inverse, logdet, matmul, mm, mv, slogdet  # noqa: F401
from .linalg import tensor_norm as norm, torch_cross as cross  # noqa: F401
from .movement import clone  # noqa: F401
from .codegen import cache as _cache
from . import transfer as _transfer, accelerator, cuda  # noqa: F401
from .sorting import (argsort, bucketize, cummax, cummin, kthvalue, median,  # noqa: F401
                      mode, nanmedian, searchsorted, sort, topk, unique)
from .autograd import (enable_grad, inference_mode, is_anomaly_check_nan_enabled,  # noqa
                       is_anomaly_enabled, is_grad_enabled,
                       no_grad, set_grad_enabled)
from .threads import get_num_threads, set_num_threads  # noqa: F401
from . import mutation as _mutation
from .mutation import bernoulli, index_fill, masked_fill, scatter, scatter_add  # noqa: F401
from .pointwise_composites import (deg2rad, heaviside, hypot, logaddexp,  # noqa: F401
                                   logaddexp2, rad2deg, sgn, sinc, xlogy, digamma,
                                   erfinv)
from . import autograd as _autograd
from . import out as _out

_out.install(globals())
_autograd.install(globals())
# the op modules' own namespaces too: a function built from their functions (a composite,
# a layer) then records each step, so its gradient is right even where it has no
# derivative of its own; done before the modules that import them are imported
for _module in (linalg, _movement, _reductions, _elementwise):
    _autograd.install(vars(_module), methods=False)
from . import composite as _composite
from .composite import (allclose, atleast_1d, atleast_2d, bincount, bmm, histc,  # noqa: F401
                        broadcast_to, count_nonzero, diag, diff, equal, fliplr, flipud,
                        gather, hstack, index_select, isclose, masked_select, meshgrid,
                        nan_to_num, nanmean, nansum, outer, roll, rot90, std_mean, take,
                        tile, trace, tril, triu, var_mean, vstack)
from .einsum import einsum  # noqa: F401
from .assemble import (block_diag, cartesian_prod, combinations, diag_embed,  # noqa: F401
                       kron, repeat_interleave, tril_indices, triu_indices)
from .typeinfo import can_cast, finfo, iinfo  # noqa: F401
from . import assemble as _assemble
from . import products as _products
from .products import addbmm, addmm, addmv, baddbmm, cdist, tensordot  # noqa: F401
from .mutation import index_add, index_copy, normal  # noqa: F401
from .creation import logspace  # noqa: F401
from .scatter_reduce import index_reduce, scatter_reduce  # noqa: F401
from .multinomial import multinomial  # noqa: F401
from .legacy_constructors import (BFloat16Tensor, BoolTensor, ByteTensor,  # noqa: F401
                                  CharTensor, DoubleTensor, FloatTensor, HalfTensor,
                                  IntTensor, LongTensor, ShortTensor)
from . import linalg_solvers as _linalg_solvers
from .linalg_solvers import pinverse  # noqa: F401
# (lazytensor.einsum is the function: the module is found by its full name)
for _module in (_composite, _sys.modules[__name__ + ".einsum"], _assemble, _products):
    _autograd.install(vars(_module), methods=False)
from . import special, nn, optim, utils  # noqa: F401
from .utils import dlpack as _utils_dlpack  # noqa: F401  (lazytensor.utils.dlpack)
from . import testing  # noqa: F401
from .serialization import load, save  # noqa: F401
from . import serialization  # noqa: F401
from .special import logit, trapezoid, trapz  # noqa: F401
from .pointwise_more import (clamp_max, clamp_min, float_power, fmax, fmin,  # noqa: F401
                             frexp, gcd, i0, igamma, igammac, isin, isneginf, isposinf,
                             isreal, lcm, ldexp, mvlgamma, nextafter, polygamma, positive,
                             rsub)
from .statistics import (aminmax, corrcoef, cov, dist, histogram,  # noqa: F401
                         logcumsumexp, nanquantile, quantile)
from .windows import (bartlett_window, blackman_window, hamming_window,  # noqa: F401
                      hann_window, kaiser_window, scalar_tensor, vander)
from .shape_functions import *  # noqa: F401,F403  (its FUNCTIONS)
from . import linalg_more as _linalg_more
from .linalg_more import *  # noqa: F401,F403
from .linalg_more import matrix_rank_removed as matrix_rank, lstsq_removed as lstsq  # noqa
from .nn_aliases import *  # noqa: F401,F403
from .complex_numbers import (angle, complex, conj, conj_physical, imag, is_complex,  # noqa
                              polar, real, sgn, view_as_complex, view_as_real)
from . import fft  # noqa: F401  (torch.fft: NumPy pocketfft externs)
from . import complex_numbers as _complex_numbers
# the modules imported since the first pass: their ops recorded where autograd has their
# derivative, guarded where it has not (backward then says so, naming the op)
_autograd.install(globals())
for _namespace in (vars(linalg), vars(nn.functional), vars(special), vars(_linalg_solvers)):
    _autograd.install(_namespace, methods=False)
_autograd.guard(globals())
for _namespace in (vars(linalg), vars(nn.functional), vars(special), vars(_linalg_solvers)):
    _autograd.guard(_namespace, methods=False)
linalg.lstsq, linalg.pinv = _linalg_solvers.lstsq, _linalg_solvers.pinv
for _name, _fn in _linalg_more.LINALG.items():     # after install: linalg.diagonal's
    setattr(linalg, _name, _fn)                     # arguments are not Tensor.diagonal's
from . import fastops as _fastops
_fastops.install()
_fastops.install_functions(globals())
_complex_numbers.guard_real_only(globals(), vars(nn.functional))   # last: checked first
# torch.func: after the guards (its transforms are not ops), names as PyTorch's
from . import func  # noqa: F401
from .func import vmap  # noqa: F401
Tensor.__module__ = "lazytensor"
_random.Generator.device = property(lambda g: device(g._device))
_random.Generator._device_name = staticmethod(_device_module.generator_device)

float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = complex64
cdouble = complex128

__version__ = _cache.LIBRARY_VERSION
__all__ = [n for n in dir() if not n.startswith("_")]
_ = (_dtypes, _elementwise, _reductions, _movement, _EW, _transfer, _mutation)


def get_rng_state():
    """The CPU generator's state as a uint8 tensor (set_rng_state takes it back)."""
    return tensor(_np.frombuffer(default_generator.get_state(), dtype=_np.uint8).copy())


def compile(model=None, **options):
    """torch.compile(fn or module, ...): the argument itself, since lazytensor compiles
    everything it runs already (as a decorator, with or without options, too)."""
    if model is None:
        return lambda fn: fn
    return model


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.dtype.is_floating_point


def numel(input):
    return input.numel()


def result_type(a, b):
    return _ops.result_type([a, b])


def broadcast_shapes(*shapes):
    return Size(_ops.broadcast_shapes(*(tuple(s) for s in shapes)))
