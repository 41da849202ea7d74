"""Writes tests/data/autograd_functional.npz: PyTorch's results (and error messages) for the
cases of tests/test_autograd_functional.py and tests/test_func.py. Run once, with PyTorch:
    /work/torchref/bin/python tests/data/make_autograd_functional_reference.py
The functions here are the tests' own, written again in the same words."""
import os

import numpy as np
import torch
import torch.autograd.functional as AF
import torch.func as F
from torch.autograd import forward_ad as fwAD

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(14)
X = rng.uniform(-1, 1, 3)
Y = rng.uniform(-1, 1, 2)
M = rng.uniform(-1, 1, (2, 3))
V3 = rng.uniform(-1, 1, 3)
V2 = rng.uniform(-1, 1, 2)
W = rng.uniform(-1, 1, (2, 3))
B = rng.uniform(-1, 1, 2)
out = {"X": X, "Y": Y, "M": M, "V3": V3, "V2": V2, "W": W, "B": B}


def t(a):
    return torch.tensor(a)


def f_vec(x):                        # R^3 -> R^3
    return x.exp() * x.sin()


def f_pair(x, y):                    # (R^3, R^2) -> (R^2, R)
    return (y * x.sum(), (x.tanh() ** 2).sum() * y.prod())


def f_mat(m):                        # R^{2x3} -> R^3
    return (m * m).sum(0).sqrt()


def g_scalar(x):                     # R^3 -> R
    return (x.sin() * x ** 2).sum()


def g_pair(x, y):                    # (R^3, R^2) -> R
    return (x * y.exp().sum()).sum() + (x ** 2).sum() * y.prod()


x, y, m = t(X), t(Y), t(M)
v3, v2 = t(V3), t(V2)
out["jac_vec"] = AF.jacobian(f_vec, x).numpy()
j = AF.jacobian(f_pair, (x, y))
for i in range(2):
    for k in range(2):
        out[f"jac_pair_{i}{k}"] = j[i][k].numpy()
out["jac_mat"] = AF.jacobian(f_mat, m).numpy()
out["vjp_vec"] = AF.vjp(f_vec, x, v3)[1].numpy()
o, vj = AF.vjp(f_pair, (x, y), (v2, torch.tensor(0.7)))
out["vjp_pair_0"], out["vjp_pair_1"] = vj[0].numpy(), vj[1].numpy()
out["jvp_vec"] = AF.jvp(f_vec, x, v3)[1].numpy()
o, jv = AF.jvp(f_pair, (x, y), (v3, v2))
out["jvp_pair_0"], out["jvp_pair_1"] = jv[0].numpy(), jv[1].numpy()
out["hess_scalar"] = AF.hessian(g_scalar, x).numpy()
h = AF.hessian(g_pair, (x, y))
for i in range(2):
    for k in range(2):
        out[f"hess_pair_{i}{k}"] = h[i][k].numpy()
out["jac_fwd_vec"] = AF.jacobian(torch.cos, x, vectorize=True, strategy="forward-mode").numpy()
j = AF.jacobian(f_pair, (x, y), vectorize=True, strategy="forward-mode")
for i in range(2):
    for k in range(2):
        out[f"jac_fwd_pair_{i}{k}"] = j[i][k].numpy()
h = AF.hessian(g_pair, (x, y), vectorize=True, outer_jacobian_strategy="forward-mode")
for i in range(2):
    for k in range(2):
        out[f"hess_fwd_pair_{i}{k}"] = h[i][k].detach().numpy()
out["hvp_scalar"] = AF.hvp(g_scalar, x, v3)[1].numpy()
out["vhp_scalar"] = AF.vhp(g_scalar, x, v3)[1].numpy()
o, hv = AF.hvp(g_pair, (x, y), (v3, v2))
out["hvp_pair_0"], out["hvp_pair_1"] = hv[0].numpy(), hv[1].numpy()

# forward AD
with fwAD.dual_level():
    d = fwAD.make_dual(x, v3)
    r = f_vec(d) + d.cumsum(0) * 2
    out["fwd_tangent"] = fwAD.unpack_dual(r).tangent.numpy()
    dm = fwAD.make_dual(m, t(M[::-1].copy()))
    out["fwd_tangent_mat"] = fwAD.unpack_dual(f_mat(dm) @ x).tangent.numpy()

# torch.func
out["func_grad"] = F.grad(g_scalar)(x).numpy()
gg = F.grad(g_pair, argnums=(0, 1))(x, y)
out["func_grad_pair_0"], out["func_grad_pair_1"] = gg[0].numpy(), gg[1].numpy()
out["func_grad_grad"] = F.grad(F.grad(lambda s: s.sin() * s ** 3))(torch.tensor(0.3)).numpy()
out["func_jacrev"] = F.jacrev(f_vec)(x).numpy()
jr = F.jacrev(f_pair, argnums=1)(x, y)
out["func_jacrev_pair_0"], out["func_jacrev_pair_1"] = jr[0].numpy(), jr[1].numpy()
out["func_jacfwd_mat"] = F.jacfwd(f_mat)(m).numpy()
out["func_hessian"] = F.hessian(g_scalar)(x).numpy()
out["func_jacfwd_cos"] = F.jacfwd(torch.cos)(x).numpy()
out["func_jacrev_cos"] = F.jacrev(torch.cos)(x).numpy()
out["func_jvp"] = F.jvp(f_vec, (x,), (v3,))[1].numpy()
out["func_vjp"] = F.vjp(f_pair, x, y)[1]((v2, torch.tensor(0.7)))[1].numpy()
lin = torch.nn.Linear(3, 2)
params = {"weight": t(W), "bias": t(B)}
out["func_call"] = F.functional_call(lin, params, (x,)).numpy()
pg = F.grad(lambda p, x: (F.functional_call(lin, p, (x,)) ** 2).sum())(params, x)
out["func_call_grad_weight"], out["func_call_grad_bias"] = pg["weight"].numpy(), pg["bias"].numpy()
out["func_vmap"] = F.vmap(lambda r, s: (r * s).sum() + r.max(), in_dims=(0, None))(m, x).numpy()
out["func_vmap_grad"] = F.vmap(F.grad(g_scalar))(m).numpy()


# PyTorch's error messages for wrong calls
def message(fn):
    try:
        fn()
    except Exception as e:        # noqa: BLE001 (recording whatever PyTorch raises)
        return f"{type(e).__name__}: {e}"
    raise AssertionError("no error")


xs = torch.tensor(0.5)
errors = {
    "out_not_tensor": lambda: AF.jacobian(lambda x: 3, x),
    "inputs_not_tensor": lambda: AF.vjp(f_vec, (x, 2.0), v3),
    "v_size": lambda: AF.vjp(f_vec, x, v2),
    "v_tuple_length": lambda: AF.jvp(f_pair, (x, y), (v3,)),
    "v_single": lambda: AF.jvp(f_vec, x, (v3, v3)),
    "v_none_vjp": lambda: AF.vjp(f_vec, x),
    "v_none_jvp": lambda: AF.jvp(f_vec, x),
    "strict_independent": lambda: AF.jacobian(lambda a, b: a * 2, (x, y), strict=True),
    "strict_output": lambda: AF.vjp(lambda a: torch.ones(3), x, v3, strict=True),
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
    "strict_jvp_independent": lambda: AF.jvp(lambda a, b: a * 2, (x, y), (v3, v2),
                                             strict=True),
    "strict_create_graph_linear": lambda: AF.vjp(lambda a: a * 2, x, v3, strict=True,
                                                 create_graph=True),
    "strict_create_graph_hessian": lambda: AF.vhp(lambda a: (a * a).sum(), x, v3,
                                                  strict=True, create_graph=True),
    "strict_hessian_independent": lambda: AF.hessian(lambda a, b: (a ** 3).sum(), (x, y),
                                                     strict=True),
    "v_list": lambda: AF.vjp(f_vec, x, [v3]),
    "vectorize_strict": lambda: AF.jacobian(f_vec, x, strict=True, vectorize=True),
    "gradcheck_no_grad": lambda: torch.autograd.gradcheck(f_vec, (x,)),
    "func_grad_not_scalar": lambda: F.grad(f_vec)(x),
    "func_grad_not_tensor": lambda: F.grad(lambda a: 1.0)(x),
    "func_argnum_range": lambda: F.grad(g_scalar, argnums=2)(x),
    "func_argnums_type": lambda: F.grad(g_scalar, argnums=[0])(x),
    "func_argnums_unique": lambda: F.grad(g_pair, argnums=(0, 0))(x, y),
    "func_has_aux": lambda: F.grad(g_scalar, has_aux=True)(x),
    "func_jvp_primals": lambda: F.jvp(f_vec, x, (v3,)),
    "fwd_no_level": lambda: fwAD.make_dual(x, v3),
    "func_call_missing": lambda: F.functional_call(lin, {"weight": t(W)}, (x,), strict=True),
    "func_call_unexpected": lambda: F.functional_call(lin, {**params, "foo": x}, (x,),
                                                      strict=True),
    "func_call_repeated": lambda: F.functional_call(lin, (params, {"bias": t(B)}), (x,)),
    "func_call_bad_type": lambda: F.functional_call(lin, 3, (x,)),
    "func_vjp_structure": lambda: F.vjp(lambda a: (a, a), x)[1](x),
    "func_vmap_sizes": lambda: F.vmap(lambda a, b: a.sum() + b.sum())(m, m.t()),
    "func_vmap_non_tensor": lambda: F.vmap(lambda a: a)(3.0),
    "func_vmap_returns_float": lambda: F.vmap(lambda a: 1.0)(m),
    "func_vmap_in_dim_range": lambda: F.vmap(g_scalar, in_dims=2)(m),
}


def int_primal():
    with fwAD.dual_level():
        fwAD.make_dual(torch.ones(3, dtype=torch.int64), v3)


errors["fwd_int_primal"] = int_primal


def exit_wrong_level():
    with fwAD.dual_level():
        fwAD.exit_dual_level(level=5)


errors["fwd_exit_wrong"] = exit_wrong_level


def size_mismatch():
    with fwAD.dual_level():
        fwAD.make_dual(x, v2)


errors["fwd_tangent_size"] = size_mismatch
for name, fn in errors.items():
    out["error_" + name] = np.array(message(fn))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "autograd_functional.npz")
np.savez(path, **out)
print("wrote", path, len(out), "arrays")
for k, v in out.items():
    if k.startswith("error_"):
        print(k, "|", v)
