"""torch.autograd.functional (vjp, jvp, jacobian, hessian, vhp, hvp), gradcheck /
gradgradcheck and forward_ad, against PyTorch 2.13's values and messages
(tests/data/autograd_functional.npz) and against derivatives known in closed form."""
import sys
import warnings

import numpy as np
import pytest

import lazytensor as torch
import lazytensor.autograd.functional as AF
from lazytensor.autograd import forward_ad as fwAD
from lazytensor.autograd.gradcheck import GradcheckError

from autograd_functional_cases import (F64, REF, close, f_mat, f_pair, f_vec, g_pair,
                                       g_scalar, inputs, raises_as_pytorch, t)


# -- names -----------------------------------------------------------------------------------------
def test_the_module_is_reachable_every_way_pytorch_users_reach_it():
    from lazytensor.autograd.functional import jacobian
    import lazytensor.autograd.forward_ad as fwd
    assert torch.autograd.functional is AF is sys.modules["lazytensor.autograd.functional"]
    assert jacobian is AF.jacobian is torch.autograd.functional.jacobian
    assert fwd is fwAD
    assert torch.autograd.gradcheck is sys.modules["lazytensor.autograd.gradcheck"].gradcheck
    assert issubclass(GradcheckError, RuntimeError)
    # the module's own names are still there
    assert torch.autograd.grad is not None and torch.autograd.Function is not None
    assert {"vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"} <= set(dir(AF))


# -- values against PyTorch's --------------------------------------------------------------------
def test_jacobian_of_single_and_tuple_inputs_and_outputs():
    x, y, m, _, _ = inputs()
    jac = AF.jacobian(f_vec, x)
    assert isinstance(jac, torch.Tensor)
    close(jac, "jac_vec")
    pair = AF.jacobian(f_pair, (x, y))
    assert isinstance(pair, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in pair)
    for i in range(2):
        for k in range(2):
            close(pair[i][k], f"jac_pair_{i}{k}")
    assert pair[1][0].shape == (3,) and pair[0][1].shape == (2, 2)
    close(AF.jacobian(f_mat, m), "jac_mat")
    close(AF.jacobian(f_mat, m, vectorize=True), "jac_mat")
    # a tuple of one input gives tuples back
    one = AF.jacobian(f_vec, (x,))
    assert isinstance(one, tuple) and len(one) == 1
    close(one[0], "jac_vec")


def test_vjp_and_jvp():
    x, y, _, v3, v2 = inputs()
    out, vjp = AF.vjp(f_vec, x, v3)
    np.testing.assert_allclose(out.numpy(), (np.exp(REF["X"]) * np.sin(REF["X"])))
    close(vjp, "vjp_vec")
    seven = torch.tensor(0.7, dtype=F64)
    out, vjp = AF.vjp(f_pair, (x, y), (v2, seven))
    assert isinstance(out, tuple) and isinstance(vjp, tuple)
    close(vjp[0], "vjp_pair_0")
    close(vjp[1], "vjp_pair_1")
    close(AF.jvp(f_vec, x, v3)[1], "jvp_vec")
    out, jvp = AF.jvp(f_pair, (x, y), (v3, v2))
    close(jvp[0], "jvp_pair_0")
    close(jvp[1], "jvp_pair_1")
    # results carry no history without create_graph
    assert not vjp[0].requires_grad and not out[0].requires_grad and jvp[0].grad_fn is None


def test_hessian_hvp_vhp():
    x, y, _, v3, v2 = inputs()
    close(AF.hessian(g_scalar, x), "hess_scalar")
    h = AF.hessian(g_pair, (x, y))
    for i in range(2):
        for k in range(2):
            close(h[i][k], f"hess_pair_{i}{k}")
    value, hvp = AF.hvp(g_scalar, x, v3)
    assert value.shape == ()
    close(hvp, "hvp_scalar")
    close(AF.vhp(g_scalar, x, v3)[1], "vhp_scalar")
    _, hv = AF.hvp(g_pair, (x, y), (v3, v2))
    close(hv[0], "hvp_pair_0")
    close(hv[1], "hvp_pair_1")


# -- values known in closed form -----------------------------------------------------------------
def test_closed_forms():
    a = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    A, x = t(a), t([0.3, -0.7, 1.1])
    np.testing.assert_array_equal(AF.jacobian(lambda x: A @ x, x).numpy(), a)
    s = np.array([[2.0, 1.0, 0.0], [-1.0, 3.0, 0.5], [4.0, 0.0, 1.0]])
    S = t(s)
    np.testing.assert_allclose(AF.hessian(lambda x: x @ S @ x, x).numpy(), s + s.T)
    v = np.array([1.0, 2.0, -1.0])
    np.testing.assert_allclose(AF.hvp(lambda x: x @ S @ x, x, t(v))[1].numpy(), (s + s.T) @ v)
    np.testing.assert_allclose(AF.vhp(lambda x: x @ S @ x, x, t(v))[1].numpy(), v @ (s + s.T))
    np.testing.assert_allclose(AF.jvp(lambda x: A @ x, x, t(v))[1].numpy(), a @ v)
    np.testing.assert_allclose(AF.vjp(lambda x: A @ x, x, t([1.0, -1.0]))[1].numpy(),
                               np.array([1.0, -1.0]) @ a)
    # a single-element input needs no v
    np.testing.assert_allclose(AF.jvp(lambda s: s ** 3, t(2.0))[1].item(), 12.0)
    np.testing.assert_allclose(AF.hvp(lambda s: s ** 3, t(2.0))[1].item(), 12.0)


def test_unused_input_gives_zeros_and_create_graph_keeps_history():
    x, y, _, _, _ = inputs()
    jac = AF.jacobian(lambda a, b: a * 2, (x, y))
    np.testing.assert_array_equal(jac[1].numpy(), np.zeros((3, 2)))
    assert jac[1].grad_fn is None
    xr = x.clone().requires_grad_()
    jac = AF.jacobian(lambda a: a ** 3, xr, create_graph=True)
    assert jac.requires_grad
    jac.trace().backward()            # d/dx of sum(3 x^2) = 6 x
    np.testing.assert_allclose(xr.grad.numpy(), 6 * REF["X"])
    assert not AF.jacobian(lambda a: a ** 3, xr).requires_grad


def test_results_are_lazy_graphs_until_read():
    x, _, _, v3, _ = inputs()
    out, jvp = AF.jvp(f_vec, x, v3)
    assert jvp._storage.node.op != "load"       # nothing computed yet
    close(jvp, "jvp_vec")


# -- errors as PyTorch words them ----------------------------------------------------------------
@pytest.mark.parametrize("key", [
    "out_not_tensor", "inputs_not_tensor", "v_size", "v_tuple_length", "v_single",
    "v_none_vjp", "v_none_jvp", "strict_independent", "strict_output",
    "strict_linear_hessian", "hessian_not_scalar", "hessian_tuple", "hvp_not_scalar",
    "strategy", "forward_create_graph", "forward_not_vectorized", "forward_strict",
    "vectorize_strict", "gradcheck_no_grad", "strict_jvp_independent",
    "strict_create_graph_linear", "strict_create_graph_hessian",
    "strict_hessian_independent", "v_list"])
def test_errors_match_pytorch(key):
    x, y, _, v3, v2 = inputs()
    calls = {
        "out_not_tensor": lambda: AF.jacobian(lambda x: 3, x),
        "inputs_not_tensor": lambda: AF.vjp(f_vec, (x, 2.0), v3),
        "v_size": lambda: AF.vjp(f_vec, x, v2),
        "v_tuple_length": lambda: AF.jvp(f_pair, (x, y), (v3,)),
        "v_single": lambda: AF.jvp(f_vec, x, (v3, v3)),
        "v_none_vjp": lambda: AF.vjp(f_vec, x),
        "v_none_jvp": lambda: AF.jvp(f_vec, x),
        "strict_independent": lambda: AF.jacobian(lambda a, b: a * 2, (x, y), strict=True),
        "strict_output": lambda: AF.vjp(lambda a: torch.ones(3, dtype=F64), x, v3,
                                        strict=True),
        "strict_linear_hessian": lambda: AF.hessian(lambda a: a.sum() * 2, x, strict=True),
        "hessian_not_scalar": lambda: AF.hessian(f_vec, x),
        "hessian_tuple": lambda: AF.hessian(lambda a: (a.sum(), a.sum()), x),
        "hvp_not_scalar": lambda: AF.hvp(f_vec, x, v3),
        "strategy": lambda: AF.jacobian(f_vec, x, strategy="sideways"),
        "forward_create_graph": lambda: AF.jacobian(f_vec, x, create_graph=True,
                                                    strategy="forward-mode"),
        "forward_not_vectorized": lambda: AF.jacobian(f_vec, x, strategy="forward-mode"),
        "forward_strict": lambda: AF.jacobian(f_vec, x, strict=True, vectorize=True,
                                              strategy="forward-mode"),
        "vectorize_strict": lambda: AF.jacobian(f_vec, x, strict=True, vectorize=True),
        "strict_jvp_independent": lambda: AF.jvp(lambda a, b: a * 2, (x, y), (v3, v2),
                                                 strict=True),
        "strict_create_graph_linear": lambda: AF.vjp(lambda a: a * 2, x, v3, strict=True,
                                                     create_graph=True),
        "strict_create_graph_hessian": lambda: AF.vhp(lambda a: (a * a).sum(), x, v3,
                                                      strict=True, create_graph=True),
        "strict_hessian_independent": lambda: AF.hessian(lambda a, b: (a ** 3).sum(),
                                                         (x, y), strict=True),
        "v_list": lambda: AF.vjp(f_vec, x, [v3]),
        "gradcheck_no_grad": lambda: torch.autograd.gradcheck(f_vec, (x,)),
    }
    raises_as_pytorch(key, calls[key])


def test_forward_mode_strategy_with_vectorize():
    x, y, _, _, _ = inputs()
    jac = AF.jacobian(torch.cos, x, vectorize=True, strategy="forward-mode")
    close(jac, "jac_fwd_vec")
    # forward mode's columns: the zeros are -0 down the columns where -sin(x) < 0
    np.testing.assert_array_equal(np.signbit(jac.numpy()), np.signbit(REF["jac_fwd_vec"]))
    assert np.signbit(REF["jac_fwd_vec"]).any()
    pair = AF.jacobian(f_pair, (x, y), vectorize=True, strategy="forward-mode")
    assert isinstance(pair, list) and isinstance(pair[0], list)     # as PyTorch's
    assert isinstance(AF.jacobian(lambda a: (a, a * 2), x, vectorize=True,
                                  strategy="forward-mode"), tuple)
    hess = AF.hessian(g_pair, (x, y), vectorize=True, outer_jacobian_strategy="forward-mode")
    for i in range(2):
        for k in range(2):
            close(pair[i][k], f"jac_fwd_pair_{i}{k}")
            close(hess[i][k], f"hess_fwd_pair_{i}{k}")
    assert not hess[0][0].requires_grad


def test_a_failed_call_leaves_the_inputs_as_they_were():
    x = inputs()[0].requires_grad_()
    with pytest.raises(RuntimeError):
        AF.hvp(f_vec, x, t([1.0, 2.0, 3.0]))
    assert x.grad is None and x.is_leaf and x.requires_grad
    np.testing.assert_array_equal(x.detach().numpy(), REF["X"])


# -- gradcheck -----------------------------------------------------------------------------------
class _WrongSquare(torch.autograd.Function):
    """x*x with a backward that is off by 3/2."""
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * g * x


def test_gradcheck_passes_correct_gradients():
    x, y, m, _, _ = (a.requires_grad_() for a in inputs())
    assert AF is torch.autograd.functional
    assert torch.autograd.gradcheck(f_vec, (x,)) is True
    assert torch.autograd.gradcheck(f_pair, (x, y)) is True
    assert torch.autograd.gradcheck(f_mat, m) is True
    # an input that does not require grad (an integer index) is passed through
    idx = torch.tensor([2, 0])
    assert torch.autograd.gradcheck(lambda a, i: a[i] * a.sum(), (x, idx))
    assert torch.autograd.gradgradcheck(g_pair, (x, y)) is True
    assert torch.autograd.gradgradcheck(f_vec, (x,)) is True
    assert torch.autograd.gradcheck(f_vec, (x,), check_forward_ad=True) is True
    # an input with no elements, and an output with none
    empty = torch.zeros(0, dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: a * 2 + b.sum(), (x, empty))
    assert torch.autograd.gradcheck(lambda a, b: (a * 2, b * 3), (x, empty),
                                    check_forward_ad=True)


def test_gradcheck_reports_a_wrong_backward_as_pytorch_does():
    x = torch.tensor([1.0, 2.0], dtype=F64, requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        torch.autograd.gradcheck(_WrongSquare.apply, (x,))
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[2.0000, 0.0000],\n        [0.0000, 4.0000]], "
        "dtype=lazytensor.float64)\n"
        "analytical:tensor([[3., 0.],\n        [0., 6.]], dtype=lazytensor.float64)\n")
    assert torch.autograd.gradcheck(_WrongSquare.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError, match="^Jacobian mismatch for output 0"):
        torch.autograd.gradgradcheck(lambda a: _WrongSquare.apply(a) * a, (x,))


def test_gradcheck_layout_rows_are_inputs_columns_outputs():
    # d(out_k)/d(x_j) for out = (x0 * x1, x1): rows j, columns k; a wrong backward shows it
    class Wrong(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.stack([x[0] * x[1], x[1]])

        @staticmethod
        def backward(ctx, g):
            return g * 0

    x = torch.tensor([2.0, 5.0], dtype=F64, requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        torch.autograd.gradcheck(Wrong.apply, (x,))
    assert "numerical:tensor([[5.0000, 0.0000],\n        [2.0000, 1.0000]]" in str(info.value)


def test_gradcheck_of_a_function_with_no_differentiable_output():
    x = torch.tensor([0.5, 1.5], dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: (a > 1).double(), (x,))   # constant nearby
    with pytest.raises(GradcheckError) as info:
        torch.autograd.gradcheck(lambda a: a.detach() * 2, (x,))
    assert str(info.value) == "Numerical gradient for function expected to be zero"


def test_gradcheck_warns_for_single_precision():
    x = torch.tensor([0.5, 1.5], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert torch.autograd.gradcheck(lambda a: a * 2, (x,), eps=1e-2, atol=1e-2)
    assert any("Input #0 requires gradient and is not a double precision floating point"
               in str(w.message) for w in caught)


# -- forward_ad ----------------------------------------------------------------------------------
def test_forward_ad_tangents_match_pytorch():
    x, _, m, v3, _ = inputs()
    with fwAD.dual_level():
        d = fwAD.make_dual(x, v3)
        r = f_vec(d) + d.cumsum(0) * 2
        unpacked = fwAD.unpack_dual(r)
        assert isinstance(unpacked, fwAD.UnpackedDualTensor)
        assert unpacked._fields == ("primal", "tangent")
        close(unpacked.tangent, "fwd_tangent")
        np.testing.assert_allclose(unpacked.primal.numpy(), f_vec(x).numpy() +
                                   np.cumsum(REF["X"]) * 2)
        assert not unpacked.primal.requires_grad
        dm = fwAD.make_dual(m, t(REF["M"][::-1].copy()))
        close(fwAD.unpack_dual(f_mat(dm) @ x).tangent, "fwd_tangent_mat")
        # the dual itself unpacks to its tangent; a tensor not made from a dual has none
        assert fwAD.unpack_dual(d).tangent is v3
        assert fwAD.unpack_dual(x * 2).tangent is None
    # outside any level, nothing has a tangent
    assert fwAD.unpack_dual(r).tangent is None


def test_forward_ad_closed_form_and_levels():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    A, v = t(a), t([1.0, -1.0])
    level = fwAD.enter_dual_level()
    try:
        y = A @ fwAD.make_dual(t([0.5, 0.25]), v)
        np.testing.assert_allclose(fwAD.unpack_dual(y).tangent.numpy(), a @ [1.0, -1.0])
    finally:
        fwAD.exit_dual_level(level=level)


@pytest.mark.parametrize("key", ["fwd_no_level", "fwd_int_primal", "fwd_exit_wrong",
                                 "fwd_tangent_size"])
def test_forward_ad_errors_match_pytorch(key):
    x, _, _, v3, v2 = inputs()

    def int_primal():
        with fwAD.dual_level():
            fwAD.make_dual(torch.ones(3, dtype=torch.int64), v3)

    def exit_wrong():
        with fwAD.dual_level():
            fwAD.exit_dual_level(level=5)

    def size_mismatch():
        with fwAD.dual_level():
            fwAD.make_dual(x, v2)

    calls = {"fwd_no_level": lambda: fwAD.make_dual(x, v3), "fwd_int_primal": int_primal,
             "fwd_exit_wrong": exit_wrong, "fwd_tangent_size": size_mismatch}
    raises_as_pytorch(key, calls[key])


def test_forward_ad_tangent_is_differentiable_when_the_primal_requires_grad():
    # the tangent of sin(x) in direction v is cos(x) v; its gradient in x is -sin(x) v
    x = t([0.2, -0.4, 1.3]).requires_grad_()
    v = t([1.0, 2.0, -0.5])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, v)
        primal, tangent = fwAD.unpack_dual(d.sin())
        assert primal.requires_grad and tangent.requires_grad
        np.testing.assert_allclose(tangent.detach().numpy(),
                                   np.cos([0.2, -0.4, 1.3]) * [1.0, 2.0, -0.5])
        tangent.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), -np.sin([0.2, -0.4, 1.3]) * [1.0, 2.0, -0.5])


def test_create_graph_results_can_be_differentiated_again():
    x = t([0.2, -0.4, 1.3]).requires_grad_()
    v = t([1.0, 2.0, -0.5])
    _, jvp = AF.jvp(lambda a: a ** 3, x, v, create_graph=True)      # 3 x^2 v
    jvp.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * np.array([0.2, -0.4, 1.3]) * v.numpy())
    x.grad = None
    _, hvp = AF.hvp(lambda a: (a ** 4).sum(), x, v, create_graph=True)   # 12 x^2 v
    hvp.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 24 * np.array([0.2, -0.4, 1.3]) * v.numpy())
    h = AF.hessian(lambda a: (a ** 3).sum(), x, create_graph=True)   # diag(6 x)
    assert h.requires_grad
    np.testing.assert_allclose(h.detach().numpy(), np.diag(6 * np.array([0.2, -0.4, 1.3])))


def test_jacobian_of_an_expanded_output():
    # every output element is x.sum(): each row of the Jacobian is ones (selecting an
    # element of the expanded output and differentiating that would count it 3 times)
    x = inputs()[0]
    for strategy, vectorize in (("reverse-mode", False), ("forward-mode", True)):
        jac = AF.jacobian(lambda a: a.sum().expand(3), x, strategy=strategy,
                          vectorize=vectorize)
        np.testing.assert_array_equal(jac.numpy(), np.ones((3, 3)))
    np.testing.assert_array_equal(
        AF.hessian(lambda a: (a.sum().expand(2) * a[:2]).sum(), x).numpy(),
        [[2.0, 2.0, 1.0], [2.0, 2.0, 1.0], [1.0, 1.0, 0.0]])     # PyTorch's


# -- on a CUDA device (the GPU, or tests/cuda_stand_in.py's emulation of one) ----------------------
@pytest.fixture(scope="module")
def cuda(tmp_path_factory):
    import cuda_stand_in
    yield from cuda_stand_in.cuda_device(tmp_path_factory)


def test_on_a_cuda_device(cuda):
    x, _, _, v3, _ = (a.to(cuda) for a in inputs())
    jac = AF.jacobian(f_vec, x)
    assert jac.device.type == "cuda"
    close(jac.cpu(), "jac_vec")
    close(AF.hvp(g_scalar, x, v3)[1].cpu(), "hvp_scalar")
    with fwAD.dual_level():
        tangent = fwAD.unpack_dual(f_vec(fwAD.make_dual(x, v3))).tangent
    assert tangent.device.type == "cuda"
    close(tangent.cpu(), "jvp_vec")
    assert torch.autograd.gradcheck(f_vec, (x.clone().requires_grad_(),))


def test_gradgradcheck_finds_a_backward_that_is_not_differentiable():
    class Square(torch.autograd.Function):      # right first derivative, detached x
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * x.detach() * 2

    x = torch.tensor([1.0, 2.0], dtype=F64, requires_grad=True)
    go = torch.tensor([1.0, -1.0], dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(Square.apply, (x,))
    with pytest.raises(GradcheckError) as info:
        torch.autograd.gradgradcheck(Square.apply, (x,), (go,))
    assert str(info.value) == (                   # PyTorch 2.13's message
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[ 2.0000,  0.0000],\n        [ 0.0000, -2.0000]], "
        "dtype=lazytensor.float64)\n"
        "analytical:tensor([[0., 0.],\n        [0., 0.]], dtype=lazytensor.float64)\n")


def test_forward_ad_through_in_place_ops_on_a_computed_tensor():
    x = t([1.0, 2.0])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, t([1.0, 1.0]))
        y = d * 3
        y.mul_(d)
        y[0] = 5.0
        primal, tangent = fwAD.unpack_dual(y)
        np.testing.assert_array_equal(primal.numpy(), [5.0, 12.0])      # PyTorch's values
        np.testing.assert_array_equal(tangent.numpy(), [0.0, 12.0])
