"""lazytensor/linalg_more.py: inner, vdot, addr, matrix_power, matrix_exp, multi_dot, the LU
family, triangular and Cholesky solves, matrix_rank, cond, householder_product and the old
top-level spellings (torch.svd, torch.qr, torch.lu...). Values against PyTorch 2.13's
(tests/data/shape_functions.npz), PyTorch's errors and warnings, gradients against float64
finite differences."""
import warnings

import numpy as np
import pytest

import lazytensor as torch

import finite_differences
import shape_function_cases
from test_shape_functions import ARRAYS, check_case, is_linalg_case

NAMES = [n for n in shape_function_cases.cases(torch, ARRAYS) if is_linalg_case(n)]
F64 = torch.float64


@pytest.mark.parametrize("name", NAMES)
def test_values_match_pytorch(name):
    check_case(name)


def test_products_stay_lazy():
    a = torch.rand(3, 3)
    a.tolist()
    for out in (torch.inner(a, a), torch.matrix_power(a, 5), torch.addr(a, a[0], a[1]),
                torch.linalg.multi_dot([a, a, a])):
        assert out._storage.node.op != "load"


def test_matrix_exp_of_known_matrices():
    rot = torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=F64) * (np.pi / 3)
    np.testing.assert_allclose(torch.matrix_exp(rot).numpy(),
                               [[0.5, -np.sqrt(3) / 2], [np.sqrt(3) / 2, 0.5]], atol=1e-15)
    big = torch.tensor([[30.0, 0.0], [0.0, -2.0]], dtype=F64)   # needs scaling and squaring
    np.testing.assert_allclose(torch.linalg.matrix_exp(big).numpy(),
                               np.diag([np.exp(30.0), np.exp(-2.0)]), rtol=1e-13, atol=1e-15)
    assert torch.matrix_exp(torch.zeros(0, 0)).shape == (0, 0)
    np.testing.assert_allclose(torch.matrix_exp(torch.eye(2) * 2).numpy(),
                               np.eye(2) * np.exp(2.0), rtol=1e-6)


def test_old_spellings_return_pytorchs_named_tuples():
    a = torch.tensor(ARRAYS["tall"])
    r = torch.svd(a)
    assert type(r).__name__ == "svd" and r._fields == ("U", "S", "V")
    np.testing.assert_allclose((r.U @ torch.diag(r.S) @ r.V.t()).numpy(), ARRAYS["tall"],
                               atol=1e-12)
    assert [t.shape for t in a.svd(some=False)] == [(5, 5), (3,), (3, 3)]
    assert a.qr()._fields == ("Q", "R")
    lu = torch.lu(torch.tensor(ARRAYS["sq"]), get_infos=True)
    assert type(lu).__name__ == "_lu_with_info" and lu.info.item() == 0
    assert lu.pivots.dtype is torch.int32
    solved = torch.triangular_solve(torch.tensor(ARRAYS["rhs"]), torch.tensor(ARRAYS["sq"]))
    assert solved._fields == ("solution", "cloned_coefficient")
    assert solved.cloned_coefficient.tolist() == ARRAYS["sq"].tolist()
    ex = torch.linalg.lu_factor_ex(torch.zeros(2, 2))
    assert ex.info.item() == 1 and ex.pivots.tolist() == [1, 2]


def test_deprecated_spellings_warn_once():
    warnings.resetwarnings()
    a = torch.eye(2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            torch.chain_matmul(a, a)
            torch.nuclear_norm(a)
    messages = [str(w.message) for w in caught]
    assert sum(m.startswith("torch.chain_matmul is deprecated") for m in messages) <= 1
    assert sum(m.startswith("at::nuclear_norm is deprecated") for m in messages) <= 1


ERRORS = [
    (lambda: torch.inner(torch.ones(2, 3), torch.ones(4)), RuntimeError,
     "inner() the last dimension must match on both input tensors but got shapes [2, 3] and "
     "[4]"),
    (lambda: torch.inner(torch.ones(3), torch.ones(3, dtype=torch.int64)), RuntimeError,
     "both inputs should have same dtype"),
    (lambda: torch.vdot(torch.ones(2, 3), torch.ones(3)), RuntimeError,
     "1D tensors expected, but got 2D and 1D tensors"),
    (lambda: torch.vdot(torch.ones(3), torch.ones(3, dtype=F64)), RuntimeError,
     "dot : expected both vectors to have same dtype, but found Float and Double"),
    (lambda: torch.vdot(torch.ones(3), torch.ones(4)), RuntimeError,
     "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of "
     "elements, but got 3 and 4 elements respectively"),
    (lambda: torch.addr(torch.ones(3, 3), torch.ones(3, 1), torch.ones(3)), RuntimeError,
     "addr: Expected 1-D argument vec1, but got 2-D"),
    (lambda: torch.matrix_power(torch.ones(2, 3), 2), RuntimeError,
     "linalg.matrix_power: A must be batches of square matrices, but they are 2 by 3 matrices"),
    (lambda: torch.matrix_power(torch.ones(2), 2), RuntimeError,
     "linalg.matrix_power: The input tensor A must have at least 2 dimensions."),
    (lambda: torch.matrix_power(torch.ones(2, 2, dtype=torch.int64), -1), RuntimeError,
     "linalg.inv: Expected a floating point or complex tensor as input. Got Long"),
    (lambda: torch.matrix_exp(torch.ones(2, 2, dtype=torch.int64)), RuntimeError,
     "linalg.matrix_exp: Expected a floating point or complex tensor as input. Got Long"),
    (lambda: torch.linalg.matrix_exp(torch.ones(2, 3)), RuntimeError,
     "linalg.matrix_exp: A must be batches of square matrices, but they are 2 by 3 matrices"),
    (lambda: torch.chain_matmul(torch.eye(2), torch.ones(2)), RuntimeError,
     "Tensor dimension is 1, expected 2 instead."),
    (lambda: torch.chain_matmul(), RuntimeError, "chain_matmul(): Expected one or more matrices"),
    (lambda: torch.linalg.multi_dot([torch.eye(2)]), RuntimeError,
     "multi_dot(): expected at least 2 tensors but got 1"),
    (lambda: torch.linalg.multi_dot([torch.eye(2), torch.ones(2, 2, 2)]), RuntimeError,
     "multi_dot(): the last tensor must be 1D or 2D but got 3D"),
    (lambda: torch.linalg.multi_dot([torch.eye(2, dtype=F64), torch.eye(2)]), RuntimeError,
     "multi_dot(): all tensors must have be the same dtype but tensor 0 is double and tensor 1 "
     "float"),
    (lambda: torch.linalg.multi_dot([torch.ones(2, 3), torch.ones(2, 2)]), RuntimeError,
     "multi_dot(): tensors 0 and 1 with shapes [2, 3] and [2, 2] cannot be multiplied"),
    (lambda: torch.solve(torch.eye(2), torch.eye(2)), RuntimeError,
     "This function was deprecated since version 1.9 and is now removed. `torch.solve` is "
     "deprecated in favor of `torch.linalg.solve`."),
    (lambda: torch.matrix_rank(torch.eye(2)), RuntimeError,
     "This function was deprecated since version 1.9 and is now removed.\nPlease use the "
     "`torch.linalg.matrix_rank` function instead."),
    (lambda: torch.lu(torch.eye(2), pivot=False), RuntimeError,
     "linalg.lu_factor: LU without pivoting is not implemented on the CPU"),
    (lambda: torch.linalg.lu_factor(torch.zeros(2, 2)), RuntimeError,
     "torch.linalg.lu_factor: U[1,1] is zero and using it on lu_solve would result in a "
     "division by zero. If you still want to perform the factorization, consider calling "
     "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"),
    (lambda: torch.linalg.lu_factor(torch.ones(2, 3)), RuntimeError,
     "torch.linalg.lu_factor: U[2,2] is zero"),
    (lambda: torch.cholesky_solve(torch.ones(2, 1), torch.eye(2, dtype=F64)), RuntimeError,
     "Expected b and A to have the same dtype, but found b of type Float and A of type Double "
     "instead."),
    (lambda: torch.triangular_solve(torch.ones(2, 1), torch.eye(2, dtype=F64)), RuntimeError,
     "Expected b and A to have the same dtype, but found b of type Float and A of type Double "
     "instead."),
    (lambda: torch.linalg.householder_product(torch.ones(2, 3), torch.ones(1)), RuntimeError,
     "torch.linalg.householder_product: input.shape[-2] must be greater than or equal to "
     "input.shape[-1]"),
    (lambda: torch.linalg.householder_product(torch.ones(3, 2), torch.ones(3)), RuntimeError,
     "torch.linalg.householder_product: input.shape[-1] must be greater than or equal to "
     "tau.shape[-1]"),
    (lambda: torch.linalg.inv_ex(torch.zeros(2, 2), check_errors=True), torch.linalg.LinAlgError,
     "linalg.inv_ex: The diagonal element 1 is zero, the inversion could not be completed "
     "because the input matrix is singular."),
    (lambda: torch.linalg.cholesky_ex(-torch.eye(2), check_errors=True),
     torch.linalg.LinAlgError,
     "linalg.cholesky_ex: The factorization could not be completed because the input is not "
     "positive-definite (the leading minor of order 1 is not positive-definite)."),
    (lambda: torch.linalg.solve_ex(torch.zeros(2, 2), torch.ones(2), check_errors=True),
     torch.linalg.LinAlgError,
     "torch.linalg.solve_ex: The solver failed because the input matrix is singular."),
    (lambda: torch.linalg.tensorinv(torch.ones(4, 2, 3), ind=1), RuntimeError,
     "Expected self to satisfy the requirement prod(self.shape[ind:]) == "
     "prod(self.shape[:ind]), but got 6 != 4"),
    (lambda: torch.linalg.tensorinv(torch.ones(4, 2, 2), ind=0), RuntimeError,
     "Expected a strictly positive integer for 'ind', but got 0"),
    (lambda: torch.linalg.tensorinv(torch.zeros(4, 2, 2), ind=1), torch.linalg.LinAlgError,
     "inv: The diagonal element 1 is zero, the inversion could not be completed because the "
     "input matrix is singular."),
    (lambda: torch.linalg.tensorsolve(torch.eye(6).reshape(6, 2, 3), torch.ones(6),
                                      dims=(0,)), RuntimeError,
     "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
     "prod(self.shape[:other.ndim]), but got 18 != 6"),
    (lambda: torch.linalg.vander(torch.tensor([1.0, 2.0]), N=1), RuntimeError,
     "N must be greater than 1."),
    (lambda: torch.linalg.vander(torch.tensor([True])), RuntimeError,
     "linalg.vander supports floating point, complex, and integer tensors, but got Bool"),
    (lambda: torch.linalg.ldl_factor(torch.zeros(3, 3)), RuntimeError,
     "torch.linalg.ldl_factor: Unknown error code: 1."),
    (lambda: torch.linalg.ldl_factor(torch.zeros(2, 3)), RuntimeError,
     "torch.linalg.ldl_factor_ex: A must be batches of square matrices, but they are 2 by 3 "
     "matrices"),
    (lambda: torch.linalg.cond(torch.ones(2, 3), "fro"), RuntimeError,
     "linalg.cond(ord=fro): A must be batches of square matrices, but they are 2 by 3 "
     "matrices"),
    (lambda: torch.linalg.vecdot(torch.ones(3), torch.ones(3, dtype=F64)), RuntimeError,
     "linalg.vecdot: Expected x and y to have the same dtype, but found x of type Float and y "
     "of type Double instead"),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_pytorch(case):
    fn, kind, message = ERRORS[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(kind) as info:
            fn()
    assert message in str(info.value)


def test_lu_factor_node_is_named_as_pytorchs():
    a = torch.tensor(ARRAYS["sq"], requires_grad=True)
    assert type(torch.linalg.lu_factor(a).LU.grad_fn).__name__ == "LinalgLuFactorExBackward0"


def test_geqrf_has_no_derivative_and_says_so():
    a = torch.tensor(ARRAYS["tall"], requires_grad=True)
    with pytest.raises(RuntimeError, match="GeqrfBackward0"):
        torch.geqrf(a).a.sum().backward()


def test_rectangular_lu_has_no_derivative_yet_and_says_so():
    a = torch.tensor(ARRAYS["tall"], requires_grad=True)
    LU, _ = torch.linalg.lu_factor(a)
    with pytest.raises(RuntimeError, match="LinalgLuFactorExBackward0"):
        LU.sum().backward()


# -- gradients ------------------------------------------------------------------------------------
def _rand(shape, seed):
    return np.random.default_rng(seed).uniform(-1, 1, shape)


def _well_conditioned(n, seed):
    return _rand((n, n), seed) + 3 * np.eye(n)


def _spd_from(m):
    return m @ m.mT + 3 * torch.eye(m.shape[-1], dtype=F64)


LU_FIXED = torch.linalg.lu_factor(torch.tensor(_well_conditioned(3, 7)))
GRADIENT_CASES = {
    "inner": ([(2, 3), (4, 3)], lambda a, b: torch.inner(a, b)),
    "vdot": ([(4,), (4,)], lambda a, b: torch.vdot(a, b)),
    "addr": ([(3, 4), (3,), (4,)], lambda m, a, b: torch.addr(m, a, b, beta=0.5, alpha=2)),
    "matrix_power": ([(3, 3)], lambda a: torch.matrix_power(a, 3)),
    "matrix_power_neg": ([_well_conditioned(3, 1)], lambda a: torch.matrix_power(a, -2)),
    "matrix_exp": ([(3, 3)], lambda a: torch.matrix_exp(a * 2)),
    "multi_dot": ([(3,), (3, 4), (4, 2)], lambda a, b, c: torch.linalg.multi_dot([a, b, c])),
    "svd_S": ([(4, 3)], lambda a: torch.svd(a).S),
    "svd_reconstruct_V": ([(4, 3)], lambda a: (lambda r: r.V.abs())(torch.svd(a))),
    "solve_triangular": ([_well_conditioned(3, 2), (3, 2)],
                         lambda a, b: torch.linalg.solve_triangular(a, b, upper=True)),
    "triangular_solve": ([_well_conditioned(3, 3), (3, 2)],
                         lambda a, b: torch.triangular_solve(b, a, upper=False,
                                                             transpose=True).solution),
    "lu_solve_b": ([(3, 2)], lambda b: torch.linalg.lu_solve(*LU_FIXED, b)),
    "lu_solve_LU": ([_well_conditioned(3, 4)],
                    lambda lu: torch.linalg.lu_solve(lu, LU_FIXED.pivots,
                                                     torch.ones(3, 1, dtype=F64))),
    "cholesky_solve": ([(3, 3), (3, 2)], lambda m, b: torch.cholesky_solve(
        b, torch.linalg.cholesky(_spd_from(m)))),
    "cholesky_inverse": ([(3, 3)], lambda m: torch.cholesky_inverse(
        torch.linalg.cholesky(_spd_from(m)), upper=False)),
    "householder_product": ([(4, 3), (3,)],
                            lambda a, t: torch.linalg.householder_product(a, t)),
    "vecdot": ([(2, 3), (3,)], lambda a, b: torch.linalg.vecdot(a, b)),
    "cond_fro": ([_well_conditioned(3, 5)], lambda a: torch.linalg.cond(a, "fro")),
    "lu_factor": ([_well_conditioned(3, 11)], lambda a: torch.linalg.lu_factor(a).LU),
    "linalg_lu_batch": ([(2, 3, 3)], lambda a: (lambda r: r.L * 2 + r.U)(torch.linalg.lu(a))),
    "orgqr": ([(4, 3), (3,)], lambda a, t: torch.orgqr(a, t)),
    "ormqr": ([(4, 2), (2,), (4, 3)], lambda a, t, c: torch.ormqr(a, t, c, transpose=True)),
    "inv_ex": ([_well_conditioned(3, 6)], lambda a: torch.linalg.inv_ex(a).inverse),
    "solve_ex": ([_well_conditioned(3, 7), (3,)], lambda a, b: torch.linalg.solve_ex(a, b)[0]),
    "cholesky_ex": ([(3, 3)], lambda m: torch.linalg.cholesky_ex(_spd_from(m)).L),
    "tensorinv": ([_well_conditioned(4, 8).reshape(2, 2, 4)],
                  lambda a: torch.linalg.tensorinv(a, ind=2)),
    "tensorsolve": ([_well_conditioned(4, 9).reshape(4, 2, 2), (4,)],
                    lambda a, b: torch.linalg.tensorsolve(a, b)),
    "vander": ([(2, 3)], lambda x: torch.linalg.vander(x, N=4)),
    "solve_triangular_right": ([_well_conditioned(3, 10), (2, 3)],
                               lambda a, b: torch.linalg.solve_triangular(
                                   a, b, upper=False, left=False, unitriangular=True)),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients_match_finite_differences(name):
    shapes, fn = GRADIENT_CASES[name]
    arrays = [np.array(s, dtype=float) if isinstance(s, np.ndarray) else _rand(s, i)
              for i, s in enumerate(shapes)]
    xs = [torch.tensor(a, dtype=F64, requires_grad=True) for a in arrays]
    out = finite_differences.flat(fn(*xs))
    w = np.random.default_rng(9).uniform(0.5, 1.5, tuple(out.shape))
    (out * torch.tensor(w)).sum().backward()
    for x, want in zip(xs, finite_differences.numeric(fn, arrays, w)):
        np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-5, atol=1e-7, err_msg=name)


def test_addr_in_place():
    m = torch.ones(2, 3)
    assert m.addr_(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0, -1.0]), alpha=2) is m
    assert m.tolist() == [[3, 1, -1], [5, 1, -3]]
    with pytest.raises(RuntimeError, match=r"^2D tensor expected, got 1D tensor for input$"):
        torch.ones(3).addr_(torch.ones(2), torch.ones(3))
    with pytest.raises(RuntimeError, match=r"^size mismatch, input: \[2, 2\], v1: \[2\], "
                                           r"v2: \[3\]$"):
        torch.ones(2, 2).addr_(torch.ones(2), torch.ones(3))
    assert torch.ones(3).addr(torch.ones(2), torch.ones(3)).shape == (2, 3)   # broadcasts
