"""The shape, indexing and top-level nn functions of lazytensor/shape_functions.py and
nn_aliases.py: values against PyTorch 2.13's (tests/data/shape_functions.npz, made by
tests/data/make_shape_functions_reference.py from tests/shape_function_cases.py), views that
write through to their base as PyTorch's do, PyTorch's errors, and gradients against float64
finite differences."""
import os
import warnings

import numpy as np
import pytest

import lazytensor as torch

import finite_differences
import shape_function_cases

REF = np.load(os.path.join(os.path.dirname(__file__), "data", "shape_functions.npz"))
ARRAYS = {k[len("input:"):]: REF[k] for k in REF.files if k.startswith("input:")}
LINALG = {"inner", "vdot", "addr", "ger", "vecdot", "linalg_diagonal", "nuclear_norm",
          "frobenius_norm", "chain_matmul", "multi_dot", "cond", "cond_singular_fro",
          "householder_product", "triangular_solve", "triangular_solve_t", "torch_lu_solve"}
LINALG_PREFIXES = ("matrix_", "svd", "qr", "lu", "linalg_", "solve_", "cholesky_", "geqrf",
                   "orgqr", "ormqr")


def is_linalg_case(name):
    return name in LINALG or name.startswith(LINALG_PREFIXES)


def check_case(name):
    """The case's result, compared with PyTorch's: dtype, shape, values, tuple or not."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = shape_function_cases.cases(torch, ARRAYS)[name]()
    parts = tuple(result) if isinstance(result, tuple) else (result,)
    assert (len(parts) if isinstance(result, tuple) else -1) == int(REF[f"{name}:count"])
    for i, t in enumerate(parts):
        want, got = REF[f"{name}:{i}"], t.numpy()
        assert got.dtype == want.dtype and got.shape == want.shape, (i, got.dtype, got.shape)
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, err_msg=f"{name}[{i}]")


NAMES = [n for n in shape_function_cases.cases(torch, ARRAYS) if not is_linalg_case(n)]


@pytest.mark.parametrize("name", NAMES)
def test_values_match_pytorch(name):
    check_case(name)


# -- views ----------------------------------------------------------------------------------------


def test_splits_and_axis_swaps_are_views_of_their_input():
    base = torch.zeros(4, 6)
    torch.tensor_split(base, [2, 5], dim=1)[1].fill_(1)        # columns 2..4
    torch.hsplit(base, 3)[2][0].fill_(2)                        # row 0, columns 4, 5
    torch.vsplit(base, [3])[1].add_(10)                         # row 3
    torch.swapaxes(base, 0, 1)[0].fill_(-1)                     # column 0
    torch.atleast_3d(base)[..., 0][1, 1] = 7
    torch.broadcast_tensors(base, torch.ones(6))[0][2, 1] = 8
    torch.ravel(base)[-1] = 9
    torch.unsafe_split(base, 2, 0)[0][0, 1] = 5
    torch.split_with_sizes(base, [1, 3], 0)[0][0, 3] = 4
    assert base.tolist() == [[-1, 5, 1, 4, 2, 2], [-1, 7, 1, 1, 1, 0], [-1, 8, 1, 1, 1, 0],
                             [-1, 10, 11, 11, 11, 9]]
    cube = torch.zeros(2, 2, 4)
    torch.dsplit(cube, 2)[1].fill_(3)
    assert cube[0, 0].tolist() == [0, 0, 3, 3]
    t = torch.zeros(2, 3)
    t.swapaxes_(0, 1)
    assert t.shape == (3, 2) and t.stride() == (1, 3)
    t.swapdims_(0, 1)
    assert t.shape == (2, 3) and t.stride() == (3, 1)


def test_copies_do_not_alias_their_input():
    base = torch.arange(6.).reshape(2, 3)
    copies = [torch.narrow_copy(base, 1, 0, 2), torch.ravel(base.t()),
              torch.select_scatter(base, torch.zeros(3), 0, 0), torch.fill(base, 1.0),
              torch.put(base, torch.tensor([0]), torch.tensor([5.0]))]
    for c in copies:
        c.view(-1)[0] = 100
    assert base.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert torch.narrow_copy(base, 1, 1, 2).is_contiguous()


def test_scatters_stay_lazy():
    base = torch.arange(6.).reshape(2, 3)
    base.tolist()
    for out in (torch.select_scatter(base, torch.ones(3), 0, 1),
                torch.slice_scatter(base, torch.ones(2, 1), 1, 1, 2),
                torch.diagonal_scatter(base, torch.ones(2))):
        assert out._storage.node.op != "load"            # nothing computed yet


def test_in_place_forms():
    x = torch.zeros(2, 3)
    assert x.put_(torch.tensor([1, -1]), torch.tensor([2.0, 3.0])) is x
    x.t().put_(torch.tensor([1]), torch.tensor([4.0]), accumulate=True)  # a strided view
    assert x.tolist() == [[0, 2, 0], [4, 0, 3]]
    assert torch.fill_(x, 1.5) is x and x.tolist() == [[1.5] * 3] * 2
    assert torch.zero_(x) is x and x.sum().item() == 0
    assert torch.index_put_(x, (torch.tensor([0, 0]),), torch.tensor(1.0),
                            accumulate=True) is x
    assert x.tolist() == [[2, 2, 2], [0, 0, 0]]


def test_predicates_and_properties():
    x = torch.ones(2, 3)
    assert (x.nbytes, x.itemsize, x[:, :1].nbytes) == (24, 4, 8)
    assert torch.zeros(3, dtype=torch.float64).nbytes == 24
    assert torch.zeros(1, dtype=torch.bool).itemsize == 1
    assert torch.is_nonzero(torch.tensor([0.5])) and not torch.is_nonzero(torch.tensor(0))
    assert torch.is_nonzero(torch.tensor(float("nan")))
    assert torch.is_same_size(x, torch.zeros(2, 3)) and not torch.is_same_size(x, x.t())
    assert [torch.is_signed(torch.zeros(1, dtype=d)) for d in
            (torch.uint8, torch.bool, torch.int8, torch.float16)] == [False, False, True, True]
    assert not torch.is_complex(x) and not x.is_complex() and not x.is_conj()
    assert not torch.is_neg(x) and torch.resolve_conj(x) is x and x.resolve_neg() is x
    assert x.sum_to_size(2, 3) is x
    e = x.new_empty_strided((2, 2), (1, 2))
    assert e.stride() == (1, 2) and e.dtype is torch.float32
    assert torch.empty_strided((2, 3), (1, 2), dtype=torch.int64).stride() == (1, 2)
    y = torch.ones(2, requires_grad=True)
    assert not torch.detach(y).requires_grad


def test_unique_consecutive_edge_cases():
    nan = float("nan")
    assert str(torch.unique_consecutive(torch.tensor([nan, nan, 1.0, 1.0]))) == \
        "tensor([nan, nan, 1.])"                             # NaN equals nothing
    values, inverse, counts = torch.unique_consecutive(torch.tensor([]), return_inverse=True,
                                                       return_counts=True)
    assert values.shape == inverse.shape == counts.shape == (0,)
    assert inverse.dtype is counts.dtype is torch.int64
    values, inverse = torch.unique_consecutive(torch.tensor([[1, 1], [2, 2]]),
                                               return_inverse=True)
    assert values.tolist() == [1, 2] and inverse.tolist() == [[0, 0], [1, 1]]
    values, counts = torch.tensor([[1, 1, 2], [1, 1, 3]]).unique_consecutive(return_counts=True,
                                                                             dim=1)
    assert values.tolist() == [[1, 2], [1, 3]] and counts.tolist() == [2, 1]


def test_edge_cases_as_pytorch_gives_them():
    r = torch.arange(7)
    assert [t.tolist() for t in torch.tensor_split(r, [-2, 3])] == [[0, 1, 2, 3, 4], [],
                                                                     [3, 4, 5, 6]]
    assert [t.tolist() for t in torch.tensor_split(r, [5, 2, -9])] == [
        [0, 1, 2, 3, 4], [], [], [0, 1, 2, 3, 4, 5, 6]]
    assert [t.tolist() for t in torch.tensor_split(torch.arange(3), 5)] == [[0], [1], [2], [],
                                                                            []]
    assert torch.unique_consecutive(torch.tensor([True, True, False])).tolist() == [True, False]
    values, counts = torch.unique_consecutive(torch.tensor([1.0, 1, 2], dtype=torch.bfloat16),
                                              return_counts=True)
    assert values.dtype is torch.bfloat16 and counts.tolist() == [2, 1]
    values, inverse = torch.unique_consecutive(torch.tensor(3), return_inverse=True)
    assert values.tolist() == [3] and inverse.shape == () and inverse.item() == 0
    assert torch.ones(2, 3).sum_to_size(3).tolist() == [2, 2, 2]
    assert torch.ones(2, 3).sum_to_size(()).item() == 6
    assert torch.dstack([torch.ones(2), torch.zeros(2)]).shape == (1, 2, 2)
    assert torch.column_stack([torch.tensor(1.0), torch.tensor(2.0)]).tolist() == [[1, 2]]
    assert torch.diagflat(torch.tensor(3.0)).tolist() == [[3]]
    assert torch.slice_scatter(torch.zeros(5), torch.ones(2), 0, -4, None, 2).tolist() == \
        [0, 1, 0, 1, 0]


# -- errors (PyTorch 2.13's types and wording) -----------------------------------------------------
X = torch.arange(6.).reshape(2, 3)
ERRORS = [
    (lambda: torch.tensor_split(torch.tensor(1.0), 2), RuntimeError,
     "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"),
    (lambda: torch.tensor_split(X, 0), RuntimeError,
     "number of sections must be larger than 0, got 0"),
    (lambda: torch.tensor_split(X, torch.tensor([[1]])), RuntimeError,
     "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
     "one-dimensional tensor, but got a tensor with 2 dims"),
    (lambda: torch.tensor_split(X, torch.tensor([1.0])), RuntimeError,
     "tensor_split expected tensor_indices_or_sections to have dtype of long, but got Float"),
    (lambda: torch.tensor_split(X, 1.5), TypeError,
     "tensor_split() received an invalid combination of arguments - got (Tensor, float)"),
    (lambda: torch.hsplit(torch.tensor(1.0), 2), RuntimeError,
     "torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 "
     "dimensions!"),
    (lambda: torch.hsplit(X, 2), RuntimeError,
     "torch.hsplit attempted to split along dimension 1, but the size of the dimension 3 is "
     "not divisible by the split_size 2!"),
    (lambda: torch.vsplit(torch.arange(4), 2), RuntimeError,
     "torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 "
     "dimensions!"),
    (lambda: torch.dsplit(torch.zeros(2, 2, 3), 2), RuntimeError,
     "torch.dsplit attempted to split along dimension 2, but the size of the dimension 3 is "
     "not divisible by the split_size 2!"),
    (lambda: torch.split_with_sizes(X, [1, 1], 1), RuntimeError,
     "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at "
     "dimension 1), but got split_sizes=[1, 1]"),
    (lambda: torch.column_stack([]), RuntimeError, "column_stack expects a non-empty TensorList"),
    (lambda: torch.dstack([]), RuntimeError, "dstack expects a non-empty TensorList"),
    (lambda: torch.take_along_dim(X, torch.tensor([[0.0]]), 1), RuntimeError,
     "torch.take_along_dim(): dtype of indices should be Long but got Float"),
    (lambda: torch.take_along_dim(X, torch.tensor([0]), 1), RuntimeError,
     "torch.take_along_dim(): input and indices should have the same number of dimensions, "
     "but got 2 dimensions for input, and 1 dimensions for indices"),
    (lambda: torch.unravel_index(torch.tensor([1.0]), (2, 3)), TypeError,
     "expected 'indices' to be integer dtype, but got lazytensor.float32"),
    (lambda: torch.unravel_index(torch.tensor([1]), (2, -3)), ValueError,
     "'shape' cannot have negative values, but got (2, -3)"),
    (lambda: torch.select_scatter(X, torch.ones(2), 0, 1), RuntimeError,
     "expected src to have a size equal to the slice of self. src size = [2], slice size = "
     "[3]"),
    (lambda: torch.select_scatter(X, torch.ones(3), 0, 5), IndexError,
     "select(): index 5 out of range for tensor of size [2, 3] at dimension 0"),
    (lambda: torch.slice_scatter(X, torch.ones(2, 1), 1, 0, 3, 2), RuntimeError,
     "expected src to have a size equal to the slice of self. src size = [2, 1], slice size "
     "= [2, 2]"),
    (lambda: torch.diagonal_scatter(torch.zeros(3, 3), torch.ones(3), 1), RuntimeError,
     "src size = [3], slice size = [2]"),
    (lambda: torch.as_strided_scatter(torch.zeros(6), torch.ones(2), (2, 2), (3, 1)),
     RuntimeError, "src size = [2], slice size = [2, 2]"),
    (lambda: X.put(torch.tensor([6]), torch.tensor([9.0])), IndexError,
     "out of range: tried to access index 6 on a tensor of 6 elements."),
    (lambda: X.put(torch.tensor([-7]), torch.tensor([9.0])), IndexError,
     "out of range: tried to access index -7 on a tensor of 6 elements."),
    (lambda: X.put(torch.tensor([0, 1]), torch.tensor([9.0])), IndexError,
     "put_(): Expected source and index to have the same number of elements, but got "
     "source.numel() = 1, index.numel() = 2"),
    (lambda: X.put(torch.tensor([0]), torch.tensor([9])), RuntimeError,
     "put_(): self and source expected to have the same dtype, but got self.dtype = Float and "
     "source.dtype = Long"),
    (lambda: X.put(torch.tensor([0.0]), torch.tensor([9.0])), RuntimeError,
     "put_(): Expected a long tensor for index, but got Float"),
    (lambda: torch.fill(X, torch.tensor([3.0])), RuntimeError,
     "fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions."),
    (lambda: torch.ones(2, 3, 4).sum_to_size(2, 4), RuntimeError,
     "size {[2, 4]} is not expandable to size {[2, 3, 4]}."),
    (lambda: torch.is_nonzero(torch.tensor([])), RuntimeError,
     "Boolean value of Tensor with no values is ambiguous"),
    (lambda: torch.is_nonzero(torch.tensor([1, 2])), RuntimeError,
     "Boolean value of Tensor with more than one value is ambiguous"),
    (lambda: torch.narrow_copy(X, 1, 1, 5), RuntimeError,
     "start (1) + length (5) exceeds dimension size (3)."),
    (lambda: torch.broadcast_tensors(X, torch.ones(4)), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension "
     "1"),
    (lambda: X.masked_scatter(torch.tensor([True, False, True]), torch.arange(3.0)),
     RuntimeError, "Number of elements of source < number of ones in mask"),
    (lambda: X.masked_scatter(torch.tensor([True, False, True]), torch.arange(10)),
     RuntimeError, "masked_scatter: expected self and source to have same dtypes but gotFloat "
     "and Long"),
    (lambda: X.masked_scatter(torch.tensor([1, 0, 1]), torch.arange(10.0)), RuntimeError,
     "masked_scatter_ only supports boolean masks, but got mask with dtype Long"),
    (lambda: torch.nonzero_static(torch.tensor([1]), size=-1), RuntimeError,
     "nonzero_static: 'size' must be an non-negative integer"),
    (lambda: torch.adjoint(torch.ones(2)), RuntimeError,
     "tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor."),
    (lambda: torch.channel_shuffle(torch.ones(1, 3, 2), 2), RuntimeError,
     "Number of channels must be divisible by groups. Got 3 channels and 2 groups."),
    (lambda: torch.channel_shuffle(torch.ones(1, 4), 2), RuntimeError,
     "channel_shuffle expects input with > 2 dims, but got input with sizes [1, 4]"),
    (lambda: torch.rms_norm(X, (2,)), RuntimeError,
     "Given normalized_shape=[2], expected input with shape [*2], but got input of size[2, 3]"),
    (lambda: torch.renorm(torch.ones(3), 2, 0, 4), RuntimeError,
     "renorm: input needs at least 2 dimensions, got 1 dimensions"),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_pytorch(case):
    fn, kind, message = ERRORS[case]
    with pytest.raises(kind) as info:
        fn()
    assert message in str(info.value)


def test_more_views_and_copies():
    base = torch.zeros(2, 3)
    torch.adjoint(base)[2, 1] = 1                           # a view, as x.mH
    assert base[1, 2].item() == 1
    flat = torch.arange(6.0)
    assert torch.as_strided_(flat, (2,), (3,)) is flat and flat.tolist() == [0, 3]
    src = torch.arange(6.0).reshape(2, 3)
    copies = [torch.select_copy(src, 0, 0), torch.transpose_copy(src, 0, 1),
              torch.view_copy(src, (3, 2)), torch.split_copy(src, 2, 1)[0],
              torch.expand_copy(src[:1], (2, 3)), torch.alias_copy(src)]
    assert copies[1].stride() == (2, 1) and copies[4].stride() == (3, 1)
    for c in copies:
        c.view(-1)[0] = 100
    assert src.tolist() == [[0, 1, 2], [3, 4, 5]]


def test_in_place_activations_and_masked_scatter():
    x = torch.tensor([-1.0, 0.5, 2.0])
    assert torch.selu_(x) is x
    np.testing.assert_allclose(x.numpy(), [-1.1113, 0.5254, 2.1014], atol=1e-4)
    y = torch.tensor([-1.0, 0.5, 2.0])
    assert torch.threshold_(y, 0.6, 5.0) is y and y.tolist() == [5, 5, 2]
    z = torch.zeros(2, 3)
    assert z.masked_scatter_(torch.tensor([True, False, True]), torch.arange(1.0, 7.0)) is z
    assert z.tolist() == [[1, 0, 2], [3, 0, 4]]
    with pytest.raises(RuntimeError, match="the number of sizes provided"):
        torch.zeros(3).masked_scatter_(torch.ones(2, 3, dtype=torch.bool), torch.arange(9.0))
    p = torch.tensor([1.0, -2.0], requires_grad=True)
    q = p * 1
    torch.celu_(q, 0.5)
    q.sum().backward()
    np.testing.assert_allclose(p.grad.numpy(), [1.0, np.exp(-4.0)], rtol=1e-5)


def test_removed_functions_raise_pytorchs_message():
    for fn, name in ((lambda: torch.lstsq(X, X), "`torch.lstsq` is deprecated in favor of"),
                     (lambda: X.lstsq(X), "`torch.lstsq` is deprecated in favor of"),
                     (lambda: torch.symeig(X), "L, _ = torch.symeig(A, upper=upper) should"),
                     (lambda: torch.eig(X), "`torch.linalg.eig` returns complex tensors")):
        with pytest.raises(RuntimeError) as info:
            fn()
        assert str(info.value).startswith("This function was deprecated since version 1.9 "
                                          "and is now removed.")
        assert name in str(info.value)


def test_a_failed_put_changes_nothing():
    x = torch.arange(6.)
    with pytest.raises(IndexError):
        x.put_(torch.tensor([0, 9]), torch.tensor([5.0, 6.0]))
    assert x.tolist() == [0, 1, 2, 3, 4, 5]


# -- gradients ------------------------------------------------------------------------------------
def _rand(*shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, shape)


IDX = [[0, 2, 2], [1, 0, 1]]
GRADIENT_CASES = {
    "take_along_dim": ([(2, 3)], lambda x: torch.take_along_dim(x, torch.tensor(IDX), 1)),
    "take_along_dim_flat": ([(2, 3)], lambda x: torch.take_along_dim(x, torch.tensor([5, 0, 5]))),
    "select_scatter": ([(2, 3), (3,)], lambda x, s: torch.select_scatter(x, s, 0, 1)),
    "slice_scatter": ([(3, 4), (3, 2)], lambda x, s: torch.slice_scatter(x, s, 1, 1, 4, 2)),
    "diagonal_scatter": ([(3, 4), (3,)], lambda x, s: torch.diagonal_scatter(x, s, 1)),
    "as_strided_scatter": ([(2, 3), (2, 2)],
                           lambda x, s: torch.as_strided_scatter(x, s, (2, 2), (1, 3), 1)),
    "put": ([(2, 3), (3,)], lambda x, s: torch.put(x, torch.tensor([0, 0, 4]), s,
                                                   accumulate=True)),
    "index_put": ([(2, 3), (2,)], lambda x, s: torch.index_put(x, (torch.tensor([1, 0]),
                                                                   torch.tensor([2, 2])), s)),
    "sum_to_size": ([(2, 3, 4)], lambda x: x.sum_to_size(3, 1)),
    "tensor_split": ([(2, 5)], lambda x: torch.tensor_split(x, [1, 3], 1)),
    "column_stack": ([(3,), (3, 2)], lambda a, b: torch.column_stack([a, b])),
    "dstack": ([(2, 2), (2, 2, 2)], lambda a, b: torch.dstack([a, b])),
    "diagflat": ([(2, 2)], lambda x: torch.diagflat(x, 1)),
    "unravel_free_msort": ([(4, 3)], lambda x: torch.msort(x)),
    "swapaxes_moveaxis": ([(2, 3, 4)], lambda x: torch.moveaxis(torch.swapaxes(x, 0, 1), 0, 2)),
    "fill": ([(2, 3)], lambda x: torch.fill(x, 2.0) + x),
    "selu_celu": ([(2, 3)], lambda x: torch.selu(x) + torch.celu(x, 0.5)),
    "threshold_hardshrink": ([(2, 3)], lambda x: torch.threshold(x, 0.1, 2.0) +
                             torch.hardshrink(x, 0.3)),
    "prelu": ([(2, 3, 2), (3,)], lambda x, w: torch.prelu(x, w)),
    "cosine_similarity": ([(3, 4), (3, 4)], lambda a, b: torch.cosine_similarity(a, b)),
    "pairwise_distance": ([(3, 4), (3, 4)], lambda a, b: torch.pairwise_distance(a, b)),
    "pdist": ([(4, 3)], lambda x: torch.pdist(x)),
    "pixel_shuffle": ([(1, 4, 2, 3)], lambda x: torch.pixel_unshuffle(
        torch.pixel_shuffle(x, 2) * torch.arange(24.0, dtype=torch.float64).reshape(1, 1, 4,
                                                                                     6), 2)),
    "renorm": ([(3, 4)], lambda x: torch.renorm(x, 2, 0, 0.9)),
    "masked_scatter": ([(2, 3), (5,)], lambda x, s: torch.masked_scatter(
        x, torch.tensor([[True, False, True], [False, True, True]]), s)),
    "rms_norm": ([(2, 3), (3,)], lambda x, w: torch.rms_norm(x, (3,), w)),
    "instance_norm": ([(2, 3, 4), (3,), (3,)], lambda x, w, b: torch.instance_norm(
        x, w, b, None, None, True, 0.1, 1e-5, False)),
    "channel_shuffle_copies": ([(1, 4, 3)], lambda x: torch.channel_shuffle(x, 2) *
                               torch.arange(12.0, dtype=torch.float64).reshape(1, 4, 3) +
                               torch.select_copy(x, 1, 1).sum()),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients_match_finite_differences(name):
    shapes, fn = GRADIENT_CASES[name]
    arrays = [_rand(*s, seed=i) for i, s in enumerate(shapes)]
    xs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = finite_differences.flat(fn(*xs))
    w = np.random.default_rng(9).uniform(0.5, 1.5, tuple(out.shape))
    (out * torch.tensor(w)).sum().backward()
    for x, want in zip(xs, finite_differences.numeric(fn, arrays, w)):
        np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-6, atol=1e-8, err_msg=name)


def test_put_in_place_gradient_reaches_source():
    x = torch.zeros(2, 3)
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    x.put_(torch.tensor([1, 4]), v)
    (x * torch.arange(6.0).reshape(2, 3)).sum().backward()
    assert v.grad.tolist() == [1.0, 4.0]


# -- on a CUDA device (the GPU, or the stand-in that runs generated CUDA on the CPU) ------------
@pytest.fixture(scope="module")
def cuda(tmp_path_factory):
    import cuda_stand_in
    yield from cuda_stand_in.cuda_device(tmp_path_factory)


def test_composites_run_on_a_cuda_device(cuda):
    x = torch.tensor(ARRAYS["x"][:3, :4], dtype=torch.float32)
    sq = torch.tensor(ARRAYS["sq"], dtype=torch.float32)
    cases = [
        lambda t, s: torch.select_scatter(t, t[0] * 2, 0, 1),
        lambda t, s: torch.take_along_dim(t, torch.tensor([[0, 3], [1, 1], [2, 0]],
                                                          device=t.device), 1),
        lambda t, s: torch.masked_scatter(t, t > 0, t.reshape(-1).flip(0)),
        lambda t, s: torch.matrix_exp(s * 0.5),
        lambda t, s: torch.linalg.lu_factor(s).LU,
        lambda t, s: torch.pdist(t),
        lambda t, s: torch.tensor_split(t, 3, 1)[1] * 1,
    ]
    for i, fn in enumerate(cases):
        want = fn(x, sq)
        got = fn(x.to(cuda), sq.to(cuda))
        assert got.device.type == "cuda", i
        np.testing.assert_allclose(got.cpu().numpy(), want.numpy(), rtol=1e-5, atol=1e-6,
                                   err_msg=str(i))
