"""Linear algebra against NumPy and PyTorch: cross, the matmul family (with ATen's dispatch and
error messages), svd, norms, det, inv, solve, qr and eigh.

Values are NumPy's where NumPy computes the same thing; printed results, dtypes and error
messages are PyTorch 2.13's (CPU), written down from it; torch is not imported.
"""
import math
import warnings

import numpy as np
import pytest

import lazytensor as lt
from lazytensor import linalg

A = [[2., 1., 0.], [1., 3., 1.], [0., 1., 4.]]        # symmetric, det 18
B = [[1., 2.], [3., 4.], [5., 6.]]
RNG = np.random.default_rng(0)
M34 = RNG.standard_normal((3, 4)).astype(np.float32)
M45 = RNG.standard_normal((4, 5)).astype(np.float32)


def close(t, expected, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(t.tolist(), dtype=np.float64), expected, rtol=rtol,
                               atol=atol)


def raises(exc, message, fn, *args, **kwargs):
    """fn(*args) raises exc with exactly this message."""
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert str(info.value) == message


# -- cross ----------------------------------------------------------------------------------------
def test_cross_values_broadcasting_and_dim():
    a = np.array([[1., 2., 3.], [4., 5., 6.]], np.float32)
    b = np.array([[1., 0., 0.], [0., 1., 0.]], np.float32)
    ta, tb = lt.tensor(a), lt.tensor(b)
    close(lt.linalg.cross(ta, tb), np.cross(a, b))
    close(lt.linalg.cross(ta[:1], tb), np.cross(a[:1], b))                  # (1,3) x (2,3)
    close(lt.linalg.cross(ta.t(), tb.t(), dim=0), np.cross(a.T, b.T, axis=0))
    c = RNG.standard_normal((1, 3, 1)).astype(np.float32)
    d = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    out = lt.linalg.cross(lt.tensor(c), lt.tensor(d), dim=1)
    assert out.shape == (2, 3, 4)
    close(out, np.cross(c, d, axis=1), atol=1e-5)
    assert lt.linalg.cross(lt.tensor([1, 2, 3]), lt.tensor([4, 5, 6])).tolist() == [-3, 6, -3]
    assert lt.linalg.cross(ta.double(), tb.double()).dtype is lt.float64


def test_cross_errors():
    x3, x23 = lt.ones(3), lt.ones(2, 3)
    raises(RuntimeError, "linalg.cross: inputs must have the same number of dimensions.",
           lt.linalg.cross, x3, x23)
    raises(RuntimeError, "linalg.cross: inputs dimension -1 must have length 3. Got 3 and 2",
           lt.linalg.cross, x23, lt.ones(2, 2))
    raises(RuntimeError, "linalg.cross: inputs dimension 0 must have length 3. Got 2 and 2",
           lt.linalg.cross, x23, x23, dim=0)
    raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at "
           "non-singleton dimension 0", lt.linalg.cross, x23, lt.ones(3, 3))
    raises(RuntimeError, "expected scalar type Long but found Float", lt.linalg.cross,
           lt.tensor([1, 2, 3]), lt.tensor([4., 5., 6.]))
    raises(NotImplementedError, "\"cross\" not implemented for 'Bool'", lt.linalg.cross,
           lt.tensor([True, False, True]), lt.tensor([True, True, False]))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
           lt.linalg.cross, x23, x23, dim=2)
    raises(IndexError, "Dimension specified as -1 but tensor has no dimensions",
           lt.linalg.cross, lt.ones(()), lt.ones(()))
    raises(TypeError, "linalg_cross(): argument 'other' (position 2) must be Tensor, not list",
           lt.linalg.cross, x3, [1, 2, 3])


def test_tensor_cross_defaults_to_the_first_dim_of_size_3():
    x = lt.tensor([[1., 0.], [0., 1.], [0., 0.]])          # 3 x 2: dim 0 is the one of size 3
    linalg._warned.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = x.cross(lt.tensor([[0., 0.], [1., 0.], [0., 1.]]))
        x.cross(x)                                             # warned once, as PyTorch
    assert len(caught) == 1 and issubclass(caught[0].category, UserWarning)
    assert str(caught[0].message).startswith("Using torch.cross without specifying the dim arg "
                                             "is deprecated.\n")
    close(out, np.cross(np.array([[1, 0], [0, 1], [0, 0]]), np.array([[0, 0], [1, 0], [0, 1]]),
                        axis=0))
    assert out.shape == (3, 2)
    raises(RuntimeError, "no dimension of size 3 in input", lt.ones(2, 2).cross, lt.ones(2, 2))
    assert x.cross(x, dim=0).shape == (3, 2)


# -- matmul, mm, dot, mv --------------------------------------------------------------------------
MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((3, 4), (4, 5)),
                 ((2, 3, 4), (4,)), ((2, 3, 4), (4, 5)), ((4,), (2, 4, 5)), ((3, 4), (2, 4, 5)),
                 ((2, 1, 3, 4), (5, 4, 2)), ((1, 3, 4), (2, 4, 5))]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_matmul_matches_numpy(sa, sb):
    a = RNG.standard_normal(sa).astype(np.float32)
    b = RNG.standard_normal(sb).astype(np.float32)
    out = lt.tensor(a) @ lt.tensor(b)
    expected = np.matmul(a, b)
    assert out.shape == expected.shape and out.dtype is lt.float32
    close(out, expected, rtol=1e-5, atol=1e-5)


def test_matmul_spellings_transposed_operands_and_dtypes():
    a, b = lt.tensor(M34), lt.tensor(M45)
    expected = M34 @ M45
    for out in (lt.matmul(a, b), lt.linalg.matmul(a, b), a.matmul(b), lt.mm(a, b), a.mm(b),
                a @ b):
        close(out, expected, atol=1e-5)
    close(a.t().t() @ b.t().t(), expected, atol=1e-5)
    close(b.t() @ a.t(), expected.T, atol=1e-5)                    # both operands transposed
    close(lt.dot(a[0], a[1]), M34[0] @ M34[1], atol=1e-5)
    close(a[0].dot(a[1]), M34[0] @ M34[1], atol=1e-5)
    close(lt.linalg.mv(a, b[:, 0]), M34 @ M45[:, 0], atol=1e-5)
    d = a.double() @ b.double()
    assert d.dtype is lt.float64
    close(d, M34.astype(np.float64) @ M45.astype(np.float64), rtol=1e-12)
    assert (lt.tensor([[1, 2], [3, 4]]) @ lt.tensor([[1, 2], [3, 4]])).tolist() == \
        [[7, 10], [15, 22]]
    wrapped = lt.tensor([[1, 2], [3, 4]], dtype=lt.uint8) @ lt.tensor([[100, 2], [3, 4]],
                                                                      dtype=lt.uint8)
    assert wrapped.tolist() == [[106, 10], [56, 22]] and wrapped.dtype is lt.uint8
    half = lt.tensor(M34).half() @ lt.tensor(M45).half()
    assert half.dtype is lt.float16
    close(half.float(), M34.astype(np.float16).astype(np.float32) @
          M45.astype(np.float16).astype(np.float32), rtol=2e-3, atol=2e-3)
    assert (lt.ones(2, 0) @ lt.ones(0, 3)).tolist() == [[0.] * 3] * 2
    c = lt.empty(3, 5)
    assert lt.matmul(a, b, out=c) is c
    close(c, expected, atol=1e-5)


def test_mm_of_offset_stepped_and_pending_operands():
    big = RNG.standard_normal((6, 8)).astype(np.float32)
    t = lt.tensor(big)
    a, b = t[1:4, 2:7:2], t[::2, 1:6:2].t()          # offsets, steps, a transposed view
    close(a.mm(b), big[1:4, 2:7:2] @ big[::2, 1:6:2].T, atol=1e-5)
    pending = t * 2                                  # an operand not yet computed
    close(pending[:3].mm(pending[3:].t()), (2 * big[:3]) @ (2 * big[3:]).T, atol=1e-4)
    ints = lt.tensor([[1, -2], [3, 4]], dtype=lt.int32)
    assert ints.mm(ints.t()).tolist() == [[5, -5], [-5, 25]]


MATMUL_ERRORS = [
    ((3,), (4,), "inconsistent tensor size, expected tensor [3] and src [4] to have the same "
                 "number of elements, but got 3 and 4 elements respectively"),
    ((2, 3), (4,), "size mismatch, got input (2), mat (2x3), vec (4)"),
    ((4,), (3, 2), "mat1 and mat2 shapes cannot be multiplied (1x4 and 3x2)"),
    ((2, 3), (4, 2), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)"),
    ((2, 2, 3), (4,), "size mismatch, got input (4), mat (4x3), vec (4)"),
    ((2, 2, 3), (4, 2), "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x2)"),
    ((1, 2, 3), (2, 3), "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"),
    ((4,), (2, 3, 2), "Expected size for first two dimensions of batch2 tensor to be: [2, 4] "
                      "but got: [2, 3]."),
    ((2, 4), (2, 3, 2), "Expected size for first two dimensions of batch2 tensor to be: [2, 4] "
                        "but got: [2, 3]."),
    ((2, 2, 3), (2, 4, 2), "Expected size for first two dimensions of batch2 tensor to be: "
                           "[2, 3] but got: [2, 4]."),
    ((2, 2, 3), (3, 3, 2), "The size of tensor a (2) must match the size of tensor b (3) at "
                           "non-singleton dimension 0"),
    ((), (3,), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
]


def test_matmul_shape_errors_name_the_kernel_pytorch_dispatches_to():
    for sa, sb, message in MATMUL_ERRORS:
        raises(RuntimeError, message, lt.matmul, lt.ones(sa), lt.ones(sb))
    # a non-contiguous batch is not folded: the bmm message
    raises(RuntimeError, "Expected size for first two dimensions of batch2 tensor to be: [2, 3] "
           "but got: [2, 4].", lt.matmul, lt.ones(2, 2, 3).transpose(0, 1), lt.ones(4, 2))


def test_matmul_dtype_and_type_errors():
    f, d = lt.float32, lt.float64
    cases = [((3,), (3,), "dot : expected both vectors to have same dtype, but found Float and "
                          "Double"),
             ((2, 3), (3,), "addmv input tensors must have the same dtype, but got Double, "
                            "Float, and Double"),
             ((2, 3), (3, 2), "expected m1 and m2 to have the same dtype, but got: float != "
                              "double"),
             ((2, 2, 3), (2, 3, 2), "expected scalar type Float but found Double")]
    for sa, sb, message in cases:
        raises(RuntimeError, message, lt.matmul, lt.ones(sa, dtype=f), lt.ones(sb, dtype=d))
    raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: long int != int",
           lt.matmul, lt.ones(2, 3, dtype=lt.int64), lt.ones(3, 2, dtype=lt.int32))
    raises(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)", lt.matmul,
           lt.ones(2, 3), lt.ones(2, 3, dtype=d))                  # shape is checked first
    raises(NotImplementedError, "\"addmm_impl_cpu_\" not implemented for 'Bool'", lt.matmul,
           lt.ones(2, 3, dtype=lt.bool), lt.ones(3, 2, dtype=lt.bool))
    raises(NotImplementedError, "\"dot\" not implemented for 'Bool'", lt.matmul,
           lt.ones(3, dtype=lt.bool), lt.ones(3, dtype=lt.bool))
    raises(RuntimeError, "self must be a matrix", lt.mm, lt.ones(3), lt.ones(3, 3))
    raises(RuntimeError, "mat2 must be a matrix", lt.mm, lt.ones(3, 3), lt.ones(3))
    raises(RuntimeError, "1D tensors expected, but got 2D and 1D tensors", lt.dot,
           lt.ones(3, 3), lt.ones(3))
    raises(TypeError, "matmul(): argument 'other' (position 2) must be Tensor, not list",
           lt.matmul, lt.ones(2, 3), [[1.]])
    raises(TypeError, "mm(): argument 'mat2' (position 1) must be Tensor, not list",
           lt.ones(3, 3).mm, [[1.]])
    raises(TypeError, "dot(): argument 'tensor' (position 1) must be Tensor, not list",
           lt.ones(3).dot, [1.])
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for @: 'Tensor' and "
                                        r"'list'"):
        lt.ones(2, 3) @ [1., 2., 3.]


# -- svd ------------------------------------------------------------------------------------------
SVD_REPR = ("lazytensor.return_types.linalg_svd(\n"
            "U=tensor([[-0.2298,  0.8835,  0.4082],\n"
            "        [-0.5247,  0.2408, -0.8165],\n"
            "        [-0.8196, -0.4019,  0.4082]]),\n"
            "S=tensor([9.5255, 0.5143]),\n"
            "Vh=tensor([[-0.6196, -0.7849],\n"
            "        [-0.7849,  0.6196]]))")


def test_svd_factors_reconstruct_and_print_like_pytorch():
    b = lt.tensor(B)
    r = lt.linalg.svd(b)
    assert repr(r) == SVD_REPR
    assert type(r).__name__ == "linalg_svd" and r._fields == ("U", "S", "Vh") and len(r) == 3
    assert r.U.shape == (3, 3) and r.S.shape == (2,) and r.Vh.shape == (2, 2)
    close(r.S, np.linalg.svd(np.array(B), compute_uv=False), rtol=1e-6)
    reduced = lt.linalg.svd(b, full_matrices=False)
    assert reduced.U.shape == (3, 2) and reduced.Vh.shape == (2, 2)
    close(reduced.U * reduced.S @ reduced.Vh, B, atol=1e-5)          # U diag(S) Vh
    wide = lt.linalg.svd(b.t(), full_matrices=False)
    assert wide.U.shape == (2, 2) and wide.Vh.shape == (2, 3)
    batch = RNG.standard_normal((2, 4, 3))
    rb = lt.linalg.svd(lt.tensor(batch))
    assert rb.U.dtype is lt.float64 and rb.U.shape == (2, 4, 4) and rb.Vh.shape == (2, 3, 3)
    close(rb.S, np.linalg.svd(batch, compute_uv=False), rtol=1e-12)
    close(rb.U[..., :3] * rb.S.unsqueeze(-2) @ rb.Vh, batch, atol=1e-12)
    close(lt.linalg.svdvals(b), np.linalg.svd(np.array(B), compute_uv=False), rtol=1e-6)
    empty = lt.linalg.svd(lt.ones(0, 3))
    assert empty.U.shape == (0, 0) and empty.S.shape == (0,)
    assert empty.Vh.tolist() == np.eye(3).tolist()


def test_svd_errors_and_explain_names_the_numpy_extern():
    raises(RuntimeError, "linalg.svd: The input tensor A must have at least 2 dimensions.",
           lt.linalg.svd, lt.ones(3, dtype=lt.int64))
    raises(RuntimeError, "linalg.svd: Expected a floating point or complex tensor as input. "
           "Got Long", lt.linalg.svd, lt.ones(2, 2, dtype=lt.int64))
    raises(NotImplementedError, "\"linalg_svd_cpu\" not implemented for 'Half'", lt.linalg.svd,
           lt.ones(2, 2, dtype=lt.half))
    raises(RuntimeError, "torch.linalg.svd: keyword argument `driver=` is only supported on "
           "CUDA inputs with cuSOLVER backend.", lt.linalg.svd, lt.ones(2, 2), driver="gesvd")
    text = str(lt.explain(lt.linalg.svd(lt.tensor(B)).S))
    assert "extern(" in text and "numpy svd.S" in text


def test_explain_states_that_the_svd_runs_in_numpy():
    s = lt.linalg.svd(lt.tensor(B)).S
    assert "extern svd.S: runs in NumPy (LAPACK), not generated code" in str(lt.explain(s))
    assert "extern svd.S" in str(lt.explain(s * 2))
    close((s * 2).numpy(), 2 * np.linalg.svd(np.array(B), compute_uv=False))


# -- norms ----------------------------------------------------------------------------------------
def test_norm_vector_and_matrix_orders():
    b, nb = lt.tensor(B), np.array(B)
    cases = [((), 9.5394), (("fro",), 9.5394), ((1,), 12.), ((2,), 9.5255),
             ((float("inf"),), 11.), ((-float("inf"),), 3.), ((-1,), 9.), ((-2,), 0.5143),
             (("nuc",), 10.0398)]
    for args, expected in cases:
        assert round(lt.linalg.norm(b, *args).item(), 4) == expected, args
    close(lt.linalg.norm(b, dim=0), np.linalg.norm(nb, axis=0))
    close(lt.linalg.norm(b, 1, dim=1), np.linalg.norm(nb, 1, axis=1))
    close(lt.linalg.norm(b, float("inf"), dim=0), np.abs(nb).max(0))
    close(lt.linalg.norm(b, 3, dim=0), np.linalg.norm(nb, 3, axis=0))
    close(lt.linalg.norm(b[0], 1), 3.)
    assert lt.linalg.norm(b, 1, dim=(1, 0)).item() == 11.       # dims swapped: max row sum
    assert lt.linalg.norm(b, keepdim=True).shape == (1, 1)
    assert lt.linalg.norm(lt.ones(2, 3, 4), 2, dim=(0, 2), keepdim=True).shape == (1, 3, 1)
    assert lt.linalg.norm(b, dtype=lt.float64).dtype is lt.float64
    assert repr(lt.linalg.norm(lt.tensor(A).half())) == "tensor(5.7461, dtype=lazytensor.float16)"
    assert lt.linalg.vector_norm(lt.tensor(A), 0).item() == 7.
    close(lt.linalg.vector_norm(lt.tensor(A), 0.5), 83.6542, rtol=1e-5)
    close(lt.linalg.matrix_norm(lt.ones(2, 3, 4), 1), [3., 3.])
    close(b.norm(), 9.5394, rtol=1e-4)
    assert b.norm(1).item() == 21. and b.norm(p=1, dim=0).tolist() == [9., 12.]
    close(b.norm("nuc"), 10.0398, rtol=1e-4)


def test_norm_errors():
    b = lt.tensor(B)
    raises(RuntimeError, "linalg.norm: If dim is not specified but ord is, the input must be 1D "
           "or 2D. Got 3D.", lt.linalg.norm, lt.ones(2, 2, 2), 1)
    raises(RuntimeError, "linalg.matrix_norm: The input tensor A must have at least 2 "
           "dimensions.", lt.linalg.norm, b[0], "fro")
    raises(RuntimeError, "linalg.matrix_norm: Order 3 not supported.", lt.linalg.norm, b, 3)
    raises(RuntimeError, "linalg.matrix_norm: Order abc not supported.", lt.linalg.norm, b, "abc")
    raises(RuntimeError, "linalg.matrix_norm: dims must be different. Got (0, 0)",
           lt.linalg.norm, b, 1, dim=(0, 0))
    raises(RuntimeError, "linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
           "[0, 1, 2]", lt.linalg.norm, b, dim=(0, 1, 2))
    raises(RuntimeError, "linalg.matrix_norm: Low precision dtypes not supported. Got Half",
           lt.linalg.norm, b.half(), 2)
    raises(RuntimeError, "linalg.vector_norm: Expected a floating point or complex tensor as "
           "input. Got Long", lt.linalg.norm, lt.tensor([[1, 2], [3, 4]]))
    raises(RuntimeError, "linalg.vector_norm: the dtype of the input (Double) should be "
           "convertible without narrowing to the specified dtype (Float)",
           lt.linalg.vector_norm, b.double(), dtype=lt.float32)
    raises(RuntimeError, "linalg.vector_norm cannot compute the inf norm on an empty tensor "
           "because the operation does not have an identity", lt.linalg.vector_norm,
           lt.tensor([]), float("inf"))


# -- det, inv, solve ------------------------------------------------------------------------------
def test_det_is_exact_for_integer_matrices():
    a = lt.tensor(A, dtype=lt.float64)
    assert repr(lt.linalg.det(a)) == "tensor(18., dtype=lazytensor.float64)"
    assert repr(lt.det(a.float())) == "tensor(18.)" and a.det().item() == 18.
    assert lt.linalg.det(a.t()).item() == 18.
    batch = RNG.standard_normal((3, 4, 4))
    close(lt.linalg.det(lt.tensor(batch)), np.linalg.det(batch), rtol=1e-12)
    assert lt.linalg.det(lt.ones(2, 3, 3)).tolist() == [0., 0.]
    assert lt.linalg.det(lt.ones(2, 0, 0)).tolist() == [1., 1.]
    raises(RuntimeError, "linalg.det: A must be batches of square matrices, but they are 3 by 2 "
           "matrices", lt.linalg.det, lt.tensor(B))
    raises(RuntimeError, "linalg.det: Expected a floating point or complex tensor as input. Got "
           "Long", lt.linalg.det, lt.tensor([[1, 2], [3, 4]]))
    raises(NotImplementedError, "\"lu_cpu\" not implemented for 'Half'", lt.linalg.det,
           a.half())


def test_inv_values_and_singular_matrices():
    a = np.array(A)
    inv = lt.linalg.inv(lt.tensor(a))
    close(inv, np.linalg.inv(a), rtol=1e-12)
    close(lt.tensor(a) @ inv, np.eye(3), atol=1e-12)
    assert lt.inverse(lt.tensor(A)).shape == (3, 3) and lt.tensor(A).inverse().dtype is lt.float32
    message = ("linalg.inv: {}The diagonal element {} is zero, the inversion could not be "
               "completed because the input matrix is singular.")
    raises(linalg.LinAlgError, message.format("", 2), lt.linalg.inv, lt.ones(2, 2))
    raises(RuntimeError, message.format("", 1), lt.linalg.inv, lt.zeros(3, 3))
    raises(RuntimeError, message.format("", 2), lt.linalg.inv, lt.tensor([[1., 2.], [2., 4.]]))
    raises(RuntimeError, message.format("(Batch element 1): ", 2), lt.linalg.inv,
           lt.stack([lt.eye(3), lt.ones(3, 3)]))
    assert issubclass(linalg.LinAlgError, RuntimeError)
    assert linalg.LinAlgError.__name__ == "_LinAlgError"
    raises(RuntimeError, "linalg.inv: Low precision dtypes not supported. Got Half",
           lt.linalg.inv, lt.ones(2, 2).half())
    assert lt.linalg.inv(lt.ones(0, 0)).shape == (0, 0)


def test_solve_vectors_matrices_batches_and_left_false():
    a, na = lt.tensor(A), np.array(A)
    close(lt.linalg.solve(a, lt.tensor([1., 2., 3.])), np.linalg.solve(na, [1., 2., 3.]))
    close(lt.linalg.solve(a, lt.tensor(B[:3])), np.linalg.solve(na, np.array(B)))
    batch = lt.linalg.solve(lt.ones(2, 3, 3) + lt.eye(3), lt.ones(3))
    assert batch.shape == (2, 3)
    close(batch, np.full((2, 3), 0.25))
    assert lt.linalg.solve(lt.eye(3).expand(2, 3, 3), lt.ones(3, 3)).shape == (2, 3, 3)
    x = lt.linalg.solve(a, lt.ones(2, 3), left=False)
    close(x @ a, np.ones((2, 3)), atol=1e-6)


def test_solve_errors():
    a = lt.tensor(A)
    raises(RuntimeError, "linalg.solve: Expected A and B to have the same dtype, but found A of "
           "type Double and B of type Float instead", lt.linalg.solve, a.double(), lt.ones(3))
    raises(RuntimeError, "linalg.solve: Incompatible shapes of A and B for the equation AX = B "
           "(3x3 and 2x1)", lt.linalg.solve, a, lt.ones(2))
    raises(RuntimeError, "linalg.solve: Incompatible shapes of A and B for the equation XA = B "
           "(3x3 and 3x1)", lt.linalg.solve, a, lt.ones(3), left=False)
    raises(RuntimeError, "linalg.solve: A must be batches of square matrices, but they are 3 by "
           "2 matrices", lt.linalg.solve, lt.tensor(B), lt.ones(3))
    raises(RuntimeError, "linalg.solve: Vector broadcasting of the left hand side is not "
           "supported for left=False. In this case linalg.solve is equivalent to B / "
           "A.squeeze(-1)", lt.linalg.solve, lt.ones(1, 1), lt.ones(1), left=False)
    raises(linalg.LinAlgError, "torch.linalg.solve: The solver failed because the input matrix "
           "is singular.", lt.linalg.solve, lt.zeros(3, 3), lt.ones(3))
    raises(RuntimeError, "torch.linalg.solve: (Batch element 1): The solver failed because the "
           "input matrix is singular.", lt.linalg.solve, lt.stack([lt.eye(3), lt.zeros(3, 3)]),
           lt.ones(3))


# -- qr, eigh -------------------------------------------------------------------------------------
def test_qr_modes():
    b, nb = lt.tensor(B), np.array(B)
    q, r = lt.linalg.qr(b)
    assert repr(lt.linalg.qr(b)) == ("lazytensor.return_types.linalg_qr(\n"
                                     "Q=tensor([[-0.1690,  0.8971],\n"
                                     "        [-0.5071,  0.2760],\n"
                                     "        [-0.8452, -0.3450]]),\n"
                                     "R=tensor([[-5.9161, -7.4374],\n"
                                     "        [ 0.0000,  0.8281]]))")
    close(q @ r, nb, atol=1e-5)
    close(q.t() @ q, np.eye(2), atol=1e-6)
    qc, rc = lt.linalg.qr(b, mode="complete")
    assert qc.shape == (3, 3) and rc.shape == (3, 2)
    close(qc @ rc, nb, atol=1e-5)
    qr_r = lt.linalg.qr(b, mode="r")
    assert qr_r.Q.shape == (0,) and repr(qr_r.Q) == "tensor([])"
    close(qr_r.R.abs(), np.abs(np.linalg.qr(nb, mode="r")), rtol=1e-5)
    raises(RuntimeError, "qr received unrecognized mode 'abc' but expected one of 'reduced' "
           "(default), 'r', or 'complete'", lt.linalg.qr, b, mode="abc")
    raises(RuntimeError, "linalg.qr: Expected a floating point or complex tensor as input. Got "
           "Long", lt.linalg.qr, lt.tensor([[1, 2], [3, 4]]))


def test_eigh():
    a, na = lt.tensor(A), np.array(A)
    w, v = lt.linalg.eigh(a)
    assert repr(lt.linalg.eigh(a)) == ("lazytensor.return_types.linalg_eigh(\n"
                                       "eigenvalues=tensor([1.2679, 3.0000, 4.7321]),\n"
                                       "eigenvectors=tensor([[ 0.7887, -0.5774,  0.2113],\n"
                                       "        [-0.5774, -0.5774,  0.5774],\n"
                                       "        [ 0.2113,  0.5774,  0.7887]]))")
    close(w, np.linalg.eigvalsh(na), rtol=1e-6)
    close(v * w.unsqueeze(0) @ v.t(), na, atol=1e-5)
    lower_only = lt.tensor([[2., 99.], [1., 3.]])               # UPLO='L' reads below the diagonal
    close(lt.linalg.eigvalsh(lower_only), np.linalg.eigvalsh([[2., 1.], [1., 3.]]), rtol=1e-6)
    close(lt.linalg.eigh(lower_only.t(), UPLO="U").eigenvalues,
          np.linalg.eigvalsh([[2., 1.], [1., 3.]]), rtol=1e-6)
    raises(RuntimeError, "Expected UPLO argument to be 'L' or 'U', but got X", lt.linalg.eigh, a,
           UPLO="X")
    raises(NotImplementedError, "\"linalg_eigh_cpu\" not implemented for 'Long'",
           lt.linalg.eigh, lt.tensor([[1, 2], [2, 1]]))
    raises(RuntimeError, "linalg.eigh: A must be batches of square matrices, but they are 3 by 2 "
           "matrices", lt.linalg.eigh, lt.tensor(B))


def test_slogdet_logdet_and_cholesky_match_numpy():
    rng = np.random.default_rng(8)
    m = rng.standard_normal((2, 3, 3))
    sign, logabs = lt.linalg.slogdet(lt.tensor(m))
    want_sign, want_logabs = np.linalg.slogdet(m)
    np.testing.assert_array_equal(sign.numpy(), want_sign)
    np.testing.assert_allclose(logabs.numpy(), want_logabs, rtol=1e-12)
    det = np.linalg.det(m)
    got = lt.logdet(lt.tensor(m)).numpy()
    np.testing.assert_allclose(got[det > 0], np.log(det[det > 0]), rtol=1e-12)
    assert np.isnan(got[det < 0]).all()
    singular = lt.linalg.slogdet(lt.zeros(2, 2))
    assert singular.sign.item() == 0 and singular.logabsdet.item() == -math.inf
    spd = m @ np.swapaxes(m, 1, 2) + 3 * np.eye(3)
    np.testing.assert_allclose(lt.linalg.cholesky(lt.tensor(spd)).numpy(),
                               np.linalg.cholesky(spd), rtol=1e-12)
    np.testing.assert_allclose(lt.linalg.cholesky(lt.tensor(spd), upper=True).numpy(),
                               np.swapaxes(np.linalg.cholesky(spd), 1, 2), rtol=1e-12)
    with pytest.raises(RuntimeError, match=r"not positive-definite \(the leading minor of "
                                           r"order 2 is not positive-definite\)\.$"):
        lt.linalg.cholesky(lt.tensor([[1., 2.], [2., 1.]]))
