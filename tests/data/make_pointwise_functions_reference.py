"""Writes pointwise_functions.npz: PyTorch 2.13's (CPU) values and error messages for the
pointwise, statistics and window functions of tests/test_pointwise_more.py and
tests/test_statistics.py. The inputs, the expressions (Python, with `torch` the library
under test) and PyTorch's results all go into the file, so the tests evaluate the same
expressions with lazytensor and compare. Run with PyTorch installed (the suite never
imports it):

    python tests/data/make_pointwise_functions_reference.py
"""
import os

import numpy as np
import torch

nan, inf = float("nan"), float("inf")
rng = np.random.default_rng(14)
INPUTS = {
    "A": np.array([-2.5, -1, -0.5, 0, 0.5, 1, 2.5, nan, inf, -inf, 3, -0.0], np.float32),
    "B": np.array([1, nan, -0.5, 0, 3, -1, 2.5, nan, 1, -inf, 3, 0], np.float32),
    "P": np.array([0.1, 0.5, 1, 2.5, 7, 15, 30, 1e-3, 100], np.float64),
    "X": np.array([0.05, 0.7, 1, 3, 6, 20, 40, 0.0, 90], np.float64),
    "N": np.array([-3.7, -1.5, -0.25, 0.25, 0.9, 1.5, 4.2, 11.0, 0.0, -2.0], np.float64),
    "I": np.array([12, -18, 0, 7, 100, -9, 0, 1], np.int64),
    "J": np.array([8, 12, 0, 0, 75, 6, 5, -1], np.int64),
    "E": np.array([1, -2, 0, 3, 10, -5, 1, 0], np.int32),
    "S": np.array([1, 2, 3, 4], np.int32),
    "M": rng.normal(size=(3, 7)),
    "R": rng.normal(size=(4, 6)).astype(np.float32),
    "RN": np.where(rng.uniform(size=(4, 6)) < 0.2, nan, rng.normal(size=(4, 6))),
    "FW": np.array([1, 2, 1, 3, 1, 0, 2], np.int64),
    "AW": rng.uniform(0.1, 2.0, 7),
    "L": (rng.normal(size=(2, 150)) * 30).astype(np.float64),
    "V": np.array([2, -1, 3, 0], np.int64),
}
INPUTS["G"] = np.concatenate([np.linspace(-7.3, 25.1, 97), [1e-8, -1e-3, 10.0, 1e6, 1e18]])
INPUTS["H"] = INPUTS["A"].astype(np.float16)
INPUTS["BB"] = np.array([1.5, -2.25, 0.0, 3.0], np.float32)     # sent as bfloat16

EXPRESSIONS = {
    # pointwise
    "fmax": "torch.fmax(A, B)", "fmin": "torch.fmin(A, B)",
    "fmax_int_float": "torch.fmax(I, A[:8])", "fmin_method": "A.fmin(B)",
    "gcd": "torch.gcd(I, J)", "lcm": "torch.lcm(I, J)", "gcd_int32": "torch.gcd(E, S[:1])",
    "lcm_method": "I.lcm(J)", "lcm_wraps": "torch.lcm(torch.tensor([2**40, -6]), "
                                         "torch.tensor([3**20, 4]))",
    "float_power": "torch.float_power(A, 2)", "float_power_int": "torch.float_power(I, E)",
    "float_power_scalar_base": "torch.float_power(2, E)",
    "float_power_half": "torch.float_power(H, 0.5)",
    "float_power_": "P.clone().float_power_(1.5)",
    "frexp": "torch.frexp(A)", "frexp_double": "torch.frexp(N * 1e-310)",
    "frexp_half": "torch.frexp(H)",
    "ldexp": "torch.ldexp(A[:8], E)", "ldexp_int": "torch.ldexp(I, E)",
    "ldexp_": "A[:8].clone().ldexp_(E)", "ldexp_half": "torch.ldexp(H[:8], E)",
    "nextafter": "torch.nextafter(A, B)", "nextafter_double": "torch.nextafter(N, P[:1])",
    "nextafter_half": "torch.nextafter(H, H.flip(0))",
    "nextafter_bfloat16": "torch.nextafter(BB.bfloat16(), BB.flip(0).bfloat16()).float()",
    "i0": "torch.i0(N * 9)", "i0_float": "torch.i0(A)", "i0_int": "torch.i0(I[:5] // 4)",
    "i0_half": "torch.i0(H)", "i0_": "N.clone().i0_()",
    "special_i0": "torch.special.i0(P)",
    "polygamma1": "torch.polygamma(1, N)", "polygamma2": "torch.polygamma(2, N)",
    "polygamma3": "torch.polygamma(3, P)", "polygamma4_float": "torch.polygamma(4, A)",
    "polygamma0": "torch.polygamma(0, P)", "polygamma_method": "P.polygamma(2)",
    "polygamma_": "P.clone().polygamma_(3)", "polygamma_int": "torch.polygamma(2, S)",
    "mvlgamma": "torch.mvlgamma(P + 2, 3)", "mvlgamma_p1": "torch.mvlgamma(P, 1)",
    "mvlgamma_low": "torch.mvlgamma(P, 3)",
    "mvlgamma_int": "torch.mvlgamma(S, 1)",
    "mvlgamma_method": "(P + 1).mvlgamma(2)", "mvlgamma_": "(P + 1).mvlgamma_(2)",
    "igamma": "torch.igamma(P, X)", "igammac": "torch.igammac(P, X)",
    "igamma_edges": "torch.igamma(torch.tensor([0., 0, 1, -1, 1, inf, inf, 2], "
                    "dtype=torch.float64), torch.tensor([0., 1, 0, 1, -1, 1, inf, inf], "
                    "dtype=torch.float64))",
    "igammac_edges": "torch.igammac(torch.tensor([0., 0, 1, -1, 1, inf, inf, 2], "
                     "dtype=torch.float64), torch.tensor([0., 1, 0, 1, -1, 1, inf, inf], "
                     "dtype=torch.float64))",
    "igamma_float": "torch.igamma(P.float(), X.float())",
    "gammainc": "torch.special.gammainc(P, X)", "gammaincc": "torch.special.gammaincc(P, X)",
    "igamma_": "P.clone().igamma_(X)", "igammac_": "P.clone().igammac_(X)",
    "heaviside_": "A.clone().heaviside_(B)", "xlogy_": "A.clone().xlogy_(B)",
    "xlogy_scalar_": "A.clone().xlogy_(2)", "sinc_": "A.clone().sinc_()",
    "deg2rad_": "A.clone().deg2rad_()", "rad2deg_": "A.clone().rad2deg_()",
    "logit_": "(P / 200).logit_()", "logit_eps_": "(P / 50).logit_(0.1)",
    "nan_to_num_": "A.clone().nan_to_num_()", "nan_to_num_args_": "A.clone().nan_to_num_("
                                                                  "1.0, 2.0, -3.0)",
    "digamma_": "N.clone().digamma_()", "digamma_range": "torch.digamma(G)",
    "digamma_range_float": "torch.digamma(G.float())", "digamma_half": "torch.digamma(H)",
    "grad_digamma_float": "(lambda y: torch.autograd.grad(torch.digamma(y).sum(), y)[0])("
                          "G.float().requires_grad_())",
    "grad_digamma_double": "(lambda y: torch.autograd.grad(torch.digamma(y).sum(), y)[0])("
                           "N.clone().requires_grad_())",
    "sgn_": "A.clone().sgn_()", "sgn_int_": "I.clone().sgn_()",
    "clamp_min": "torch.clamp_min(I, 2.5)", "clamp_max": "torch.clamp_max(A, 0.7)",
    "clamp_min_tensor": "torch.clamp_min(A, B)", "clamp_min_": "I.clone().clamp_min_(3)",
    "clamp_max_": "A.clone().clamp_max_(B)",
    "positive": "torch.positive(I)", "rsub": "torch.rsub(I, 2)",
    "rsub_alpha": "torch.rsub(A, I[:1], alpha=2)", "rsub_tensor": "torch.rsub(A, B)",
    "isneginf": "torch.isneginf(A)", "isposinf": "torch.isposinf(A)",
    "isneginf_int": "torch.isneginf(I)", "isreal": "torch.isreal(A)",
    "isin": "torch.isin(I, J)", "isin_invert": "torch.isin(I, J, invert=True)",
    "isin_scalar_test": "torch.isin(I, 0)", "isin_scalar_elements": "torch.isin(7, I)",
    "isin_mixed": "torch.isin(I, A)", "isin_2d": "torch.isin(I.reshape(2, 4), J[:3])",
    "isin_empty": "torch.isin(I, J[:0])",
    "cumsum_": "I.clone().cumsum_(0)", "cumprod_": "M.clone().cumprod_(1)",
    "cumsum_int32_": "S.clone().cumsum_(0)",
    # the draws Tensor lacked (lazytensor/mutation.py), bit for bit after a seed
    "cauchy_": "(torch.manual_seed(3), torch.empty(7, dtype=torch.float64).cauchy_(1.0, 2.0))[1]",
    "cauchy_float": "(torch.manual_seed(4), torch.empty(2, 3).cauchy_())[1]",
    "cauchy_half": "(torch.manual_seed(4), torch.empty(5, dtype=torch.float16).cauchy_())[1]",
    "geometric_": "(torch.manual_seed(5), torch.empty(9).geometric_(0.3))[1]",
    "geometric_int": "(torch.manual_seed(5), torch.empty(9, dtype=torch.int64).geometric_(0.6))[1]",
    "log_normal_": "(torch.manual_seed(6), torch.empty(7, dtype=torch.float64).log_normal_())[1]",
    "log_normal_float": "(torch.manual_seed(6), torch.empty(21).log_normal_(0.5, 0.25))[1]",
    # statistics
    "logcumsumexp": "torch.logcumsumexp(L, 1)", "logcumsumexp_dim0": "torch.logcumsumexp(R, 0)",
    "logcumsumexp_inf": "torch.logcumsumexp(A, 0)", "logcumsumexp_method": "M.logcumsumexp(-1)",
    "logcumsumexp_half": "torch.logcumsumexp(H, 0)",
    "quantile": "torch.quantile(M, 0.3)",
    "quantile_dim": "torch.quantile(M, torch.tensor([0.0, 0.25, 0.5, 1.0], "
                    "dtype=torch.float64), dim=1)",
    "quantile_keepdim": "torch.quantile(R, torch.tensor([0.1, 0.9]), dim=0, keepdim=True)",
    "quantile_nan": "torch.quantile(RN, 0.5, dim=1)",
    "nanquantile": "torch.nanquantile(RN, 0.5, dim=1)",
    "nanquantile_all_nan": "torch.nanquantile(torch.tensor([[nan, nan], [1.0, 2.0]]), 0.5, "
                           "dim=1)",
    "nanquantile_lower": "torch.nanquantile(RN, 0.35, dim=0, interpolation='lower')",
    "quantile_q0d": "torch.quantile(M, torch.tensor(0.75, dtype=torch.float64), dim=0)",
    "quantile_method": "M.quantile(0.5, dim=0, keepdim=True)",
    "histogram": "torch.histogram(M, 5)", "histogram_range": "torch.histogram(R, 4, "
                                                             "range=(-1.0, 1.0))",
    "histogram_edges": "torch.histogram(M, torch.tensor([-3.0, -1.0, 0.0, 0.5, 3.0], "
                       "dtype=torch.float64))",
    "histogram_weight": "torch.histogram(M, 3, weight=M.abs(), density=True)",
    "histogram_density": "torch.histogram(R, torch.tensor([-2.0, 0.0, 0.3, 2.0]), "
                         "density=True)",
    "histogram_constant": "torch.histogram(torch.ones(4), 2)",
    "histogram_method": "R.histogram(3)", "histogram_empty": "torch.histogram(R[:0], 2)",
    "cov": "torch.cov(M)", "cov_correction0": "torch.cov(M, correction=0)",
    "cov_fweights": "torch.cov(M, fweights=FW)", "cov_aweights": "torch.cov(M, aweights=AW)",
    "cov_both": "torch.cov(M, correction=2, fweights=FW, aweights=AW)",
    "cov_int": "torch.cov(V)", "cov_vector": "torch.cov(P)", "cov_method": "R.cov()",
    "corrcoef": "torch.corrcoef(M)", "corrcoef_vector": "torch.corrcoef(P)",
    "corrcoef_int": "torch.corrcoef(torch.tensor([[1, 2, 4], [3, 1, 0]]))",
    "dist": "torch.dist(M[0], M[1])", "dist_p1": "torch.dist(M[0], M[1], 1)",
    "dist_p0": "torch.dist(A[:4], B[:4] * 0 + 1, 0)", "dist_inf": "torch.dist(R, R * 2, inf)",
    "dist_p3": "torch.dist(R, 1.0 - R, 3.5)", "dist_method": "M[0].dist(M[2])",
    "aminmax": "torch.aminmax(M)", "aminmax_dim": "torch.aminmax(I.reshape(2, 4), dim=1)",
    "aminmax_keepdim": "torch.aminmax(R, dim=0, keepdim=True)",
    "aminmax_method": "M.aminmax(dim=-1)",
    # creation
    "hann": "torch.hann_window(7)", "hann_symmetric": "torch.hann_window(7, False)",
    "hann_one": "torch.hann_window(1)", "hann_zero": "torch.hann_window(0)",
    "hann_double": "torch.hann_window(16, dtype=torch.float64)",
    "hamming": "torch.hamming_window(9)", "hamming_args": "torch.hamming_window(9, False, "
                                                          "0.6, 0.3)",
    "blackman": "torch.blackman_window(10)", "blackman_symmetric": "torch.blackman_window("
                                                                   "10, False)",
    "bartlett": "torch.bartlett_window(9)", "bartlett_symmetric": "torch.bartlett_window(9, "
                                                                  "False)",
    "bartlett_even": "torch.bartlett_window(8, False)",
    "kaiser": "torch.kaiser_window(12)", "kaiser_beta": "torch.kaiser_window(7, False, 3.5)",
    "kaiser_double": "torch.kaiser_window(6, dtype=torch.float64)",
    "vander": "torch.vander(V)", "vander_n": "torch.vander(P[:4], N=3, increasing=True)",
    "vander_bool": "torch.vander(torch.tensor([True, False]))",
    "vander_int32": "torch.vander(S, 5)", "vander_zero": "torch.vander(S, 0)",
    "scalar_tensor": "torch.scalar_tensor(3)", "scalar_tensor_bool": "torch.scalar_tensor(True)",
    "scalar_tensor_dtype": "torch.scalar_tensor(2.5, dtype=torch.float64)",
    "scalar_tensor_int": "torch.scalar_tensor(7, dtype=torch.int32)",
}

ERRORS = {
    "fmax_scalar": "torch.fmax(A, 2.5)", "gcd_float": "torch.gcd(A, B)",
    "gcd_bool": "torch.gcd(I > 0, I > 1)", "lcm_scalar": "torch.lcm(I, 4)",
    "float_power_": "A.clone().float_power_(2)", "frexp_int": "torch.frexp(I)",
    "ldexp_int_": "I.clone().ldexp_(E)", "ldexp_shape": "torch.ldexp(A, E)",
    "nextafter_int": "torch.nextafter(I, J)", "i0_int_": "I.clone().i0_()",
    "polygamma_negative": "torch.polygamma(-1, A)", "polygamma_float_n": "torch.polygamma(2.0, A)",
    "mvlgamma_p0": "torch.mvlgamma(P, 0)",
    "isin_bool": "torch.isin(I > 0, I)", "isin_bool_test": "torch.isin(I, True)",
    "igamma_scalar": "torch.igamma(P, 2.0)", "igamma_int": "torch.igamma(S, S)",
    "positive_bool": "torch.positive(I > 0)",
    "rsub_bool": "torch.rsub(I > 0, I > 1)", "clamp_min_int_": "I.clone().clamp_min_(2.5)",
    "cumsum_dtype_": "I.clone().cumsum_(0, dtype=torch.float32)",
    "sinc_int_": "I.clone().sinc_()", "xlogy_int_": "I.clone().xlogy_(2)",
    "digamma_int_": "I.clone().digamma_()", "logit_int_": "I.clone().logit_()",
    "heaviside_dtypes_": "A.clone().heaviside_(I[:1])",
    "logcumsumexp_int": "torch.logcumsumexp(I, 0)",
    "quantile_int": "torch.quantile(I, 0.5)",
    "quantile_q_dtype": "torch.quantile(A, torch.tensor([0.5], dtype=torch.float64))",
    "quantile_q_range": "torch.quantile(A, 1.5)",
    "quantile_interpolation": "torch.quantile(A, 0.5, interpolation='foo')",
    "quantile_q_2d": "torch.quantile(A, torch.ones(2, 2))",
    "histogram_int": "torch.histogram(I)",
    "histogram_nan": "torch.histogram(A, 3)", "histogram_inf_range": "torch.histogram(R, 2, "
                                                                     "range=(0.0, inf))",
    "histogram_reversed_range": "torch.histogram(R, 2, range=(3.0, 1.0))",
    "histogram_no_bins": "torch.histogram(R, 0)",
    "histogram_bins_dtype": "torch.histogram(A, torch.tensor([0.0, 1.0], dtype=torch.float64))",
    "cov_3d": "torch.cov(torch.ones(2, 2, 2))",
    "cov_fweights_float": "torch.cov(M, fweights=AW)",
    "cov_aweights_int": "torch.cov(M, aweights=FW)",
    "cov_fweights_numel": "torch.cov(M, fweights=FW[:3])",
    "dist_int": "torch.dist(I, J)", "aminmax_empty": "torch.aminmax(torch.ones(0))",
    "aminmax_empty_dim": "torch.aminmax(torch.ones(2, 0), dim=1)",
    "hann_negative": "torch.hann_window(-1)",
    "hann_int": "torch.hann_window(4, dtype=torch.int64)",
    "kaiser_int": "torch.kaiser_window(4, dtype=torch.int32)",
    "vander_2d": "torch.vander(M)", "vander_negative": "torch.vander(V, -1)",
    "cauchy_int": "torch.empty(2, dtype=torch.int64).cauchy_()",
    "cauchy_sigma": "torch.empty(2).cauchy_(0, -1)",
    "geometric_p": "torch.empty(2).geometric_(1.5)",
    "log_normal_std": "torch.empty(2).log_normal_(0, -1)",
    "log_normal_int": "torch.empty(2, dtype=torch.int64).log_normal_()",
}


def _tensors():
    out = {k: torch.from_numpy(v.copy()) for k, v in INPUTS.items()}
    out["BB"] = out["BB"]          # converted in the expressions themselves
    return out


def main():
    env = {"torch": torch, "nan": nan, "inf": inf, **_tensors()}
    data = {f"input:{k}": v for k, v in INPUTS.items()}
    for name, expr in EXPRESSIONS.items():
        result = eval(expr, dict(env))
        data[f"expr:{name}"] = np.array(expr)
        parts = list(result) if isinstance(result, tuple) else [result]
        for i, part in enumerate(parts):
            value = part.float() if part.dtype == torch.bfloat16 else part
            data[f"value:{name}:{i}"] = value.detach().numpy()
            data[f"dtype:{name}:{i}"] = np.array(str(part.dtype).replace("torch.", ""))
    for name, expr in ERRORS.items():
        try:
            eval(expr, dict(env))
        except Exception as e:     # noqa: BLE001 (what PyTorch raises is the point)
            data[f"error:{name}"] = np.array(expr)
            data[f"message:{name}"] = np.array(f"{type(e).__name__}: {e}".splitlines()[0])
        else:
            raise AssertionError(f"{name}: {expr} did not raise")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pointwise_functions.npz")
    np.savez_compressed(path, **data)
    print(f"wrote {path}: {len(EXPRESSIONS)} values, {len(ERRORS)} errors")


if __name__ == "__main__":
    main()
