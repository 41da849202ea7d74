"""lazytensor.func (torch.func's transforms): grad, grad_and_value, vjp, jvp, jacrev, jacfwd,
hessian, functional_call and the looping vmap, against PyTorch 2.13's values and messages
(tests/data/autograd_functional.npz) and derivatives known in closed form."""
import numpy as np
import pytest

import lazytensor as torch
import lazytensor.func as F

from autograd_functional_cases import (F64, REF, close, f_mat, f_pair, f_vec, g_pair,
                                       g_scalar, inputs, raises_as_pytorch, t)


def test_names():
    import sys
    assert torch.func is F is sys.modules["lazytensor.func"]
    assert torch.vmap is F.vmap
    assert {"grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
            "functional_call", "vmap"} <= set(F.__all__)


def test_grad_and_grad_and_value():
    x, y, _, _, _ = inputs()
    g = F.grad(g_scalar)(x)
    close(g, "func_grad")
    assert not g.requires_grad and not x.requires_grad
    gx, gy = F.grad(g_pair, argnums=(0, 1))(x, y)
    close(gx, "func_grad_pair_0")
    close(gy, "func_grad_pair_1")
    grad, value = F.grad_and_value(g_scalar)(x)
    close(grad, "func_grad")
    np.testing.assert_allclose(value.item(), g_scalar(x).item())
    grad, (value, aux) = F.grad_and_value(lambda a: (g_scalar(a), a * 3), has_aux=True)(x)
    close(grad, "func_grad")
    np.testing.assert_allclose(aux.numpy(), REF["X"] * 3)
    assert not aux.requires_grad
    # a pytree argument: the gradient has its structure
    d = F.grad(lambda p: (p["a"] * p["b"][0]).sum())({"a": x, "b": [x * 2]})
    assert set(d) == {"a", "b"} and isinstance(d["b"], list)
    np.testing.assert_allclose(d["a"].numpy(), 2 * REF["X"])


def test_nested_grad_is_the_second_derivative():
    close(F.grad(F.grad(lambda s: s.sin() * s ** 3))(torch.tensor(0.3, dtype=F64)),
          "func_grad_grad")
    # d3/ds3 of s^4 = 24 s
    third = F.grad(F.grad(F.grad(lambda s: s ** 4)))(torch.tensor(2.0, dtype=F64))
    assert third.item() == 48.0 and not third.requires_grad
    # a captured tensor transformed by an outer grad: d/dx of d/dy (x*y)^2 at y = 1 is 4xy
    outer = F.grad(lambda x: F.grad(lambda y: (x * y) ** 2)(torch.tensor(1.0, dtype=F64)))
    assert outer(torch.tensor(3.0, dtype=F64)).item() == 12.0


def test_grad_keeps_the_graph_to_inputs_that_require_grad():
    x = inputs()[0].requires_grad_()
    g = F.grad(lambda a: (a ** 3).sum())(x)     # 3 x^2, with history back to x
    assert g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * REF["X"])


def test_vjp_and_jvp():
    x, y, _, v3, v2 = inputs()
    out, vjp_fn = F.vjp(f_pair, x, y)
    assert isinstance(out, tuple) and not out[0].requires_grad
    cot = (v2, torch.tensor(0.7, dtype=F64))
    gx, gy = vjp_fn(cot)
    close(gy, "func_vjp")
    again = vjp_fn(cot)                           # callable more than once
    np.testing.assert_array_equal(again[1].numpy(), gy.numpy())
    out, jvp_out = F.jvp(f_vec, (x,), (v3,))
    close(jvp_out, "func_jvp")
    np.testing.assert_allclose(out.numpy(), f_vec(x).numpy())
    out, jvp_out, aux = F.jvp(lambda a: (f_vec(a), a.sum()), (x,), (v3,), has_aux=True)
    close(jvp_out, "func_jvp")
    a = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    _, fn = F.vjp(lambda x: t(a) @ x, x)
    np.testing.assert_allclose(fn(t([2.0, -1.0]))[0].numpy(), np.array([2.0, -1.0]) @ a)


def test_jacrev_jacfwd_hessian():
    x, y, m, _, _ = inputs()
    close(F.jacrev(f_vec)(x), "func_jacrev")
    j0, j1 = F.jacrev(f_pair, argnums=1)(x, y)
    close(j0, "func_jacrev_pair_0")
    close(j1, "func_jacrev_pair_1")
    close(F.jacfwd(f_mat)(m), "func_jacfwd_mat")
    close(F.hessian(g_scalar)(x), "func_hessian")
    # closed forms: jacobian of A x is A; hessian of x^T S x is S + S^T
    a = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    np.testing.assert_array_equal(F.jacrev(lambda x: t(a) @ x)(x).numpy(), a)
    s = np.array([[2.0, 1.0, 0.0], [-1.0, 3.0, 0.5], [4.0, 0.0, 1.0]])
    np.testing.assert_allclose(F.hessian(lambda x: x @ t(s) @ x)(x).numpy(), s + s.T)
    jac, aux = F.jacrev(lambda a: (a * 2, a.sum()), has_aux=True)(x)
    np.testing.assert_array_equal(jac.numpy(), 2 * np.eye(3))
    # argnums as a tuple gives a tuple per output
    both = F.jacrev(lambda a, b: a.sum() * b, argnums=(0, 1))(x, y)
    assert isinstance(both, tuple) and both[0].shape == (2, 3) and both[1].shape == (2, 2)


def test_zeros_of_jacfwd_and_jacrev_have_pytorchs_signs():
    # jacrev's rows are e_i * -sin(x), jacfwd's columns -sin(x) * e_j: the zeros off the
    # diagonal are -0 where -sin is negative, along a row for one, a column for the other
    x = inputs()[0]
    for name, transform in (("func_jacfwd_cos", F.jacfwd), ("func_jacrev_cos", F.jacrev)):
        got = transform(torch.cos)(x)
        close(got, name)
        np.testing.assert_array_equal(np.signbit(got.numpy()), np.signbit(REF[name]))
    assert np.signbit(REF["func_jacfwd_cos"]).any()


def test_results_have_history_only_where_pytorchs_do():
    x = inputs()[0]
    xr = x.clone().requires_grad_()
    _, fn = F.vjp(lambda a, b: a * b, x, xr)
    ga, gb = fn(x)
    assert ga.requires_grad and not gb.requires_grad    # only d/da = b leads back to xr
    with torch.no_grad():
        assert not F.grad(lambda a: (a ** 3).sum())(xr).requires_grad
    assert F.grad(lambda a: (a ** 3).sum())(xr).requires_grad


def test_functional_call_replaces_and_restores():
    x = inputs()[0]
    lin = torch.nn.Linear(3, 2).double()
    before = lin.weight.detach().numpy().copy()
    params = {"weight": t(REF["W"]), "bias": t(REF["B"])}
    close(F.functional_call(lin, params, (x,)), "func_call")
    close(F.functional_call(lin, params, x), "func_call")
    assert isinstance(lin.weight, torch.nn.Parameter)
    np.testing.assert_array_equal(lin.weight.detach().numpy(), before)
    pg = F.grad(lambda p, x: (F.functional_call(lin, p, (x,)) ** 2).sum())(params, x)
    close(pg["weight"], "func_call_grad_weight")
    close(pg["bias"], "func_call_grad_bias")
    # only some names: the others are the module's own; nested names reach submodules
    seq = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh()).double()
    out = F.functional_call(seq, {"0.bias": t([10.0, 20.0])}, (x,))
    want = np.tanh(seq[0].weight.detach().numpy() @ REF["X"] + [10.0, 20.0])
    assert out.requires_grad         # through the module's own weight
    np.testing.assert_allclose(out.detach().numpy(), want)
    with pytest.raises(RuntimeError, match="Unexpected key"):
        F.functional_call(lin, {"weight": t(REF["W"]), "bias": t(REF["B"]), "x": x}, (x,),
                          strict=True)
    np.testing.assert_array_equal(lin.weight.detach().numpy(), before)


def test_vmap_loops_over_the_mapped_dimension():
    x, _, m, _, _ = inputs()
    close(F.vmap(lambda r, s: (r * s).sum() + r.max(), in_dims=(0, None))(m, x), "func_vmap")
    close(F.vmap(F.grad(g_scalar))(m), "func_vmap_grad")
    cols = F.vmap(lambda c: c * 2, in_dims=1, out_dims=1)(m)
    np.testing.assert_array_equal(cols.numpy(), 2 * REF["M"])
    with pytest.raises(ValueError, match="same size in the mapped dimension"):
        F.vmap(lambda a, b: a + b)(m, x)
    # a nested argument is mapped in every tensor it holds
    pairs = F.vmap(lambda p: p[0] * p[1]["b"])((m, {"b": m * 2}))
    np.testing.assert_allclose(pairs.numpy(), 2 * REF["M"] ** 2)


@pytest.mark.parametrize("key", ["func_grad_not_scalar", "func_grad_not_tensor",
                                 "func_argnum_range", "func_argnums_type",
                                 "func_argnums_unique", "func_has_aux", "func_jvp_primals",
                                 "func_vjp_structure", "func_vmap_sizes",
                                 "func_vmap_non_tensor", "func_vmap_returns_float",
                                 "func_vmap_in_dim_range", "func_call_missing",
                                 "func_call_unexpected", "func_call_repeated",
                                 "func_call_bad_type"])
def test_errors_match_pytorch(key):
    x, y, m, v3, _ = inputs()
    lin = torch.nn.Linear(3, 2).double()
    params = {"weight": t(REF["W"]), "bias": t(REF["B"])}
    calls = {
        "func_grad_not_scalar": lambda: F.grad(f_vec)(x),
        "func_grad_not_tensor": lambda: F.grad(lambda a: 1.0)(x),
        "func_argnum_range": lambda: F.grad(g_scalar, argnums=2)(x),
        "func_argnums_type": lambda: F.grad(g_scalar, argnums=[0])(x),
        "func_argnums_unique": lambda: F.grad(g_pair, argnums=(0, 0))(x, y),
        "func_has_aux": lambda: F.grad(g_scalar, has_aux=True)(x),
        "func_jvp_primals": lambda: F.jvp(f_vec, x, (v3,)),
        "func_vjp_structure": lambda: F.vjp(lambda a: (a, a), x)[1](x),
        "func_vmap_sizes": lambda: F.vmap(lambda a, b: a.sum() + b.sum())(m, m.t()),
        "func_vmap_non_tensor": lambda: F.vmap(lambda a: a)(3.0),
        "func_vmap_returns_float": lambda: F.vmap(lambda a: 1.0)(m),
        "func_vmap_in_dim_range": lambda: F.vmap(g_scalar, in_dims=2)(m),
        "func_call_missing": lambda: F.functional_call(lin, {"weight": t(REF["W"])}, (x,),
                                                       strict=True),
        "func_call_unexpected": lambda: F.functional_call(lin, {**params, "foo": x}, (x,),
                                                          strict=True),
        "func_call_repeated": lambda: F.functional_call(lin, (params, {"bias": t(REF["B"])}),
                                                        (x,)),
        "func_call_bad_type": lambda: F.functional_call(lin, 3, (x,)),
    }
    raises_as_pytorch(key, calls[key])


def test_jacobians_of_an_expanded_output():
    x = inputs()[0]
    for transform in (F.jacrev, F.jacfwd):
        np.testing.assert_array_equal(transform(lambda a: a.sum().expand(2, 3))(x).numpy(),
                                      np.ones((2, 3, 3)))
