"""Cases for the shape, indexing, linear-algebra and top-level nn functions, written against a
`torch` module argument: tests/data/make_shape_functions_reference.py runs them with PyTorch
2.13 once (saving each result into tests/data/shape_functions.npz), the tests run them with
lazytensor and compare. Inputs are fixed arrays (saved beside the results)."""
import numpy as np


def inputs():
    rng = np.random.default_rng(14)
    spd = rng.standard_normal((3, 3))
    return {
        "x": rng.standard_normal((4, 6)),
        "y": rng.standard_normal((2, 3, 4)),
        "v": rng.standard_normal(5),
        "w": rng.standard_normal(5),
        "ints": np.array([1, 1, 2, 2, 2, 3, 1, 1, 5], np.int64),
        "rows": np.array([[1, 2], [1, 2], [3, 4], [3, 4], [1, 2]], np.int64),
        "idx": np.array([[0, 5, 2], [1, 1, 4], [3, 0, 0], [5, 4, 3]], np.int64),
        "sq": rng.standard_normal((3, 3)) + 3 * np.eye(3),
        "bsq": rng.standard_normal((2, 3, 3)) + 3 * np.eye(3),
        "spd": spd @ spd.T + 3 * np.eye(3),
        "tall": rng.standard_normal((5, 3)),
        "rhs": rng.standard_normal((3, 2)),
        "img": rng.standard_normal((2, 8, 3, 2)),
        "tau": rng.uniform(0.5, 1.5, 3),
    }


def _t(torch, a):
    if a.dtype == np.int64:
        return torch.tensor(a.tolist(), dtype=torch.int64)
    return torch.tensor(a.tolist(), dtype=torch.float64)


def cases(torch, arrays):
    """name -> function of no arguments giving a tensor or a tuple of tensors."""
    a = {k: _t(torch, v) for k, v in arrays.items()}
    x, y, v, w, sq = a["x"], a["y"], a["v"], a["w"], a["sq"]
    idx = a["idx"]
    return {
        "tensor_split_sections": lambda: torch.tensor_split(x, 4, dim=1),
        "tensor_split_indices": lambda: torch.tensor_split(x, [1, 5, 3, 10], dim=1),
        "tensor_split_tensor": lambda: torch.tensor_split(y, torch.tensor(3), dim=-1),
        "hsplit": lambda: torch.hsplit(x, 3),
        "vsplit": lambda: torch.vsplit(x, [1, 3]),
        "dsplit": lambda: torch.dsplit(y, 2),
        "split_with_sizes": lambda: torch.split_with_sizes(x, [2, 1, 3], 1),
        "column_stack": lambda: torch.column_stack([v[:4], x, torch.tensor(2.0,
                                                                             dtype=x.dtype
                                                                             ).expand(4)]),
        "row_stack": lambda: torch.row_stack([x[0], x]),
        "dstack": lambda: torch.dstack([x, x * 2, torch.ones(4, 6, 2, dtype=x.dtype)]),
        "atleast_3d": lambda: torch.atleast_3d(v.sum(), v, x, y),
        "take_along_dim": lambda: torch.take_along_dim(x, idx, dim=1),
        "take_along_dim_broadcast": lambda: torch.take_along_dim(y, idx[:1, :3, None] % 4, 2),
        "take_along_dim_flat": lambda: torch.take_along_dim(x, idx[0]),
        "argwhere": lambda: torch.argwhere(x > 0.5),
        "unravel_index": lambda: torch.unravel_index(torch.tensor([0, 7, 23, -1, 30]),
                                                     (2, 3, 4)),
        "msort": lambda: torch.msort(x),
        "unique_consecutive": lambda: torch.unique_consecutive(a["ints"], return_inverse=True,
                                                               return_counts=True),
        "unique_consecutive_dim": lambda: torch.unique_consecutive(
            a["rows"], return_inverse=True, return_counts=True, dim=0),
        "select_scatter": lambda: torch.select_scatter(x, v[:4] * 0 + 7, 1, -2),
        "slice_scatter": lambda: torch.slice_scatter(x, x[:, :3] * 10, 1, 0, 6, 2),
        "diagonal_scatter": lambda: torch.diagonal_scatter(x, v[:4], 2),
        "as_strided_scatter": lambda: torch.as_strided_scatter(x, v[:4].reshape(2, 2), (2, 2),
                                                               (7, 1), 3),
        "diagflat": lambda: torch.diagflat(x[:2, :2], -1),
        "index_put_accumulate": lambda: torch.index_put(x, (idx[0, :2] % 4, idx[1, :2]),
                                                        v[:2], accumulate=True),
        "put": lambda: torch.put(x, torch.tensor([0, 23, -1, 5]), v[:4]),
        "put_accumulate": lambda: x.put(torch.tensor([0, 0, 7]), v[:3], accumulate=True),
        "sum_to_size": lambda: y.sum_to_size(3, 1),
        "fill": lambda: torch.fill(x, 2.5),
        "narrow_copy": lambda: torch.narrow_copy(x, 1, 2, 3),
        "ravel": lambda: torch.ravel(x.t()),
        "swapaxes": lambda: torch.swapaxes(y, 0, 2),
        "moveaxis": lambda: torch.moveaxis(y, (0, 1), (2, 0)),
        "broadcast_tensors": lambda: torch.broadcast_tensors(x[:1], v[:1].reshape(1, 1),
                                                             x[:, :1]),
        "masked_scatter": lambda: torch.masked_scatter(x, x > 0, v.repeat(5)),
        "masked_scatter_broadcast": lambda: x.masked_scatter(x[0] > 0, v.repeat(5)),
        "nonzero_static": lambda: torch.nonzero_static(x > 0.5, size=12),
        "nonzero_static_cut": lambda: torch.nonzero_static(x > 0, size=2, fill_value=9),
        "adjoint": lambda: torch.adjoint(y),
        "channel_shuffle": lambda: torch.channel_shuffle(a["img"], 4),
        "constant_pad_nd": lambda: torch.constant_pad_nd(x, (1, 2, 0, 1), 3.5),
        "select_copy": lambda: torch.select_copy(y, 1, 2),
        "slice_copy": lambda: torch.slice_copy(x, 1, 1, 6, 2),
        "transpose_copy": lambda: torch.transpose_copy(y, 0, 2),
        "unfold_copy": lambda: torch.unfold_copy(v, 0, 2, 2),
        "diagonal_copy": lambda: torch.diagonal_copy(y, 1, 1, 2),
        "split_copy": lambda: torch.split_copy(x, 4, 1),
        "view_copy": lambda: torch.view_copy(x, (3, 8)),
        "as_strided": lambda: torch.as_strided(x, (3, 3), (5, 1), 2),
        "unsafe_split_with_sizes": lambda: torch.unsafe_split_with_sizes(x, [3, 3], 1),
        "rms_norm": lambda: torch.rms_norm(y, (3, 4)),
        "rms_norm_weight": lambda: torch.rms_norm(x, [6], x[0], eps=0.1),
        "geqrf": lambda: torch.geqrf(a["tall"]),
        "orgqr": lambda: torch.orgqr(*torch.geqrf(a["tall"])),
        "ormqr": lambda: torch.ormqr(*torch.geqrf(a["tall"]), x[:, :5].t()),
        "ormqr_right_transposed": lambda: torch.ormqr(*torch.geqrf(a["tall"]), x[:, :5],
                                                      left=False, transpose=True),
        "inner": lambda: torch.inner(y, x.t()),
        "vdot": lambda: torch.vdot(v, w),
        "addr": lambda: torch.addr(x[:, :5], v[:4], w, beta=0.5, alpha=2),
        "ger": lambda: torch.ger(v, w),
        "matrix_power_3": lambda: torch.matrix_power(sq, 3),
        "matrix_power_0": lambda: torch.linalg.matrix_power(a["bsq"], 0),
        "matrix_power_neg": lambda: torch.linalg.matrix_power(a["bsq"], -2),
        "matrix_exp": lambda: torch.matrix_exp(sq),
        "matrix_exp_batch": lambda: torch.linalg.matrix_exp(a["bsq"] * 0.3),
        "chain_matmul": lambda: torch.chain_matmul(sq, sq.t(), a["rhs"]),
        "multi_dot": lambda: torch.linalg.multi_dot([v[:3], sq, a["rhs"]]),
        "multi_dot_long": lambda: torch.linalg.multi_dot([x[:, :2], x[:2], x.t()[:, :3],
                                                          a["tall"][:3], a["rhs"]]),
        "svd_S": lambda: torch.svd(a["tall"]).S,
        "svd_reconstruct": lambda: (lambda r: r.U @ torch.diag(r.S) @ r.V.t())(
            torch.svd(a["tall"])),
        "svd_shapes_complete": lambda: tuple(torch.tensor(list(t.shape)) for t in
                                             torch.svd(a["tall"], some=False)),
        "svd_no_uv": lambda: torch.svd(a["tall"], compute_uv=False),
        "qr_R_abs": lambda: torch.qr(a["tall"]).R.abs(),
        "lu_factor": lambda: torch.linalg.lu_factor(a["bsq"]),
        "lu_factor_tall": lambda: torch.linalg.lu_factor(a["tall"]),
        "lu_factor_wide": lambda: torch.linalg.lu_factor(a["tall"].t()),
        "linalg_lu": lambda: torch.linalg.lu(a["tall"]),
        "lu_unpack": lambda: torch.lu_unpack(*torch.linalg.lu_factor(sq)),
        "lu_solve": lambda: torch.linalg.lu_solve(*torch.linalg.lu_factor(sq), a["rhs"]),
        "lu_solve_adjoint": lambda: torch.linalg.lu_solve(*torch.linalg.lu_factor(sq),
                                                          a["rhs"], adjoint=True),
        "lu_solve_right": lambda: torch.linalg.lu_solve(*torch.linalg.lu_factor(sq),
                                                        a["rhs"].t(), left=False),
        "torch_lu_solve": lambda: torch.lu_solve(a["rhs"], *torch.linalg.lu_factor(sq)),
        "solve_triangular_upper": lambda: torch.linalg.solve_triangular(sq, a["rhs"],
                                                                        upper=True),
        "solve_triangular_right_unit": lambda: torch.linalg.solve_triangular(
            sq, a["rhs"].t(), upper=False, left=False, unitriangular=True),
        "triangular_solve": lambda: torch.triangular_solve(a["rhs"], sq),
        "triangular_solve_t": lambda: torch.triangular_solve(a["rhs"], sq, upper=False,
                                                             transpose=True),
        "cholesky_solve": lambda: torch.cholesky_solve(a["rhs"],
                                                       torch.linalg.cholesky(a["spd"])),
        "cholesky_solve_upper": lambda: torch.cholesky_solve(
            a["rhs"], torch.linalg.cholesky(a["spd"], upper=True), upper=True),
        "cholesky_inverse": lambda: torch.cholesky_inverse(torch.linalg.cholesky(a["spd"])),
        "matrix_rank": lambda: torch.linalg.matrix_rank(torch.stack([sq, sq.diag().diag(),
                                                                     sq * 0, sq[:1].expand(3, 3)])),
        "matrix_rank_tol": lambda: torch.linalg.matrix_rank(sq, atol=1.5, rtol=0.1),
        "matrix_rank_hermitian": lambda: torch.linalg.matrix_rank(a["spd"], hermitian=True),
        "cond": lambda: torch.stack([torch.linalg.cond(sq, p) for p in
                                     (None, "fro", "nuc", 1, -1, 2, -2, float("inf"),
                                      -float("inf"))]),
        "cond_singular_fro": lambda: torch.linalg.cond(torch.zeros(2, 2, dtype=x.dtype), "fro"),
        "householder_product": lambda: torch.linalg.householder_product(a["tall"], a["tau"]),
        "vecdot": lambda: torch.linalg.vecdot(y, x[:3, :4], dim=-1),
        "linalg_diagonal": lambda: torch.linalg.diagonal(y, offset=1),
        "linalg_inv_ex": lambda: torch.linalg.inv_ex(a["bsq"]),
        "linalg_inv_ex_singular": lambda: torch.linalg.inv_ex(torch.tensor(
            [[1.0, 2, 3], [2, 4, 6], [1, 0, 1]], dtype=x.dtype)),
        "linalg_solve_ex": lambda: torch.linalg.solve_ex(sq, a["rhs"]),
        "linalg_solve_ex_singular": lambda: torch.linalg.solve_ex(
            torch.tensor([[1.0, 2], [2, 4]], dtype=x.dtype), v[:2]),
        "linalg_cholesky_ex": lambda: torch.linalg.cholesky_ex(a["spd"], upper=True),
        "linalg_cholesky_ex_partial": lambda: torch.linalg.cholesky_ex(torch.tensor(
            [[4.0, 2, 1], [2, 1, 3], [1, 3, 5]], dtype=x.dtype)),
        "linalg_tensorinv": lambda: torch.linalg.tensorinv(
            (x.t() @ x + torch.eye(6, dtype=x.dtype)).reshape(6, 2, 3), ind=1),
        "linalg_tensorsolve": lambda: torch.linalg.tensorsolve(
            (x.t() @ x + torch.eye(6, dtype=x.dtype)).reshape(6, 2, 3), v[:3].repeat(2),
            dims=None),
        "linalg_tensorsolve_dims": lambda: torch.linalg.tensorsolve(
            (x.t() @ x + torch.eye(6, dtype=x.dtype)).reshape(2, 3, 6), x[0], dims=(0, 1)),
        "linalg_vander": lambda: torch.linalg.vander(v[:4], N=5),
        "linalg_vander_int": lambda: torch.linalg.vander(torch.tensor([[2, -1, 3]])),
        "solve_triangular_singular": lambda: torch.linalg.solve_triangular(
            sq.triu() - sq.diag().diag() * torch.tensor([0.0, 1, 0], dtype=x.dtype),
            a["rhs"], upper=True),
        "linalg_ldl_factor": lambda: torch.linalg.ldl_factor(torch.tensor(
            [[1.0, 2, 3], [2, 1, 0], [3, 0, -1]], dtype=x.dtype)),
        "linalg_ldl_factor_ex_batch": lambda: torch.linalg.ldl_factor_ex(
            a["bsq"] + a["bsq"].mT - torch.tensor([[[6.0]], [[0.0]]], dtype=x.dtype)),
        "linalg_ldl_solve": lambda: torch.linalg.ldl_solve(
            *torch.linalg.ldl_factor(sq + sq.t() - 6 * torch.eye(3, dtype=x.dtype)), a["rhs"]),
        "linalg_ldl_factor_ex_singular": lambda: torch.linalg.ldl_factor_ex(
            torch.zeros(3, 3, dtype=x.dtype)),
        "nuclear_norm": lambda: torch.nuclear_norm(sq),
        "frobenius_norm": lambda: torch.frobenius_norm(y, dim=(0, 2)),
        "selu": lambda: torch.selu(x),
        "celu": lambda: torch.celu(x, 0.7),
        "threshold": lambda: torch.threshold(x, 0.1, -3.0),
        "hardshrink": lambda: torch.hardshrink(x, 0.6),
        "prelu": lambda: torch.prelu(a["img"], torch.linspace(-1, 1, 8, dtype=x.dtype)),
        "rrelu_eval": lambda: torch.rrelu(x),
        "cosine_similarity": lambda: torch.cosine_similarity(x, x.flip(0), dim=1),
        "pairwise_distance": lambda: torch.pairwise_distance(x, x.flip(0), p=3.0),
        "pdist": lambda: torch.pdist(x),
        "pdist_1": lambda: torch.pdist(x, p=1),
        "pixel_shuffle": lambda: torch.pixel_shuffle(a["img"], 2),
        "pixel_unshuffle": lambda: torch.pixel_unshuffle(a["img"][:, :, :2], 2),
        "renorm": lambda: torch.renorm(x, 2, 0, 1.5),
        "renorm_dim1": lambda: torch.renorm(y, 1, 1, 2.0),
        "layer_norm": lambda: torch.layer_norm(x, (6,)),
        "group_norm": lambda: torch.group_norm(a["img"], 4),
        "batch_norm": lambda: torch.batch_norm(a["img"], None, None, None, None, True, 0.1,
                                               1e-5, False),
        "embedding": lambda: torch.embedding(x, idx[:2] % 4),
        "max_pool1d": lambda: torch.max_pool1d(y, 3, 1, 1),
        "max_pool2d": lambda: torch.max_pool2d(a["img"], 2),
        "avg_pool1d": lambda: torch.avg_pool1d(y, 2),
        "adaptive_avg_pool1d": lambda: torch.adaptive_avg_pool1d(y, 3),
        "bce_with_logits": lambda: torch.binary_cross_entropy_with_logits(x, (x > 0).to(x.dtype)),
        "bce_with_logits_sum": lambda: torch.binary_cross_entropy_with_logits(
            x, (x > 0).to(x.dtype), None, x[0].abs(), 2),
        "instance_norm": lambda: (lambda rm, rv: (torch.instance_norm(
            a["img"], v.repeat(2)[:8], w.repeat(2)[:8], rm, rv, True, 0.2, 1e-5, False), rm, rv))(
            torch.zeros(8, dtype=x.dtype), torch.ones(8, dtype=x.dtype)),
        "instance_norm_eval": lambda: torch.instance_norm(
            a["img"], None, None, v.repeat(2)[:8], w.repeat(2)[:8].abs(), False, 0.1, 1e-5,
            False),
        "bilinear": lambda: torch.bilinear(x[:, :3], x[:, 3:5], y[:, :3, :2], y[0, 0, :2]),
        "conv_transpose2d": lambda: torch.conv_transpose2d(a["img"][:1, :2], x[:2, :4].reshape(
            2, 1, 2, 2), None, 2),
        "conv1d": lambda: torch.conv1d(y, x[:2, :3].reshape(2, 3, 1).expand(2, 3, 2) * 1,
                                       stride=2),
    }
