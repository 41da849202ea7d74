"""torch.nn and torch.optim (issue 15's first path): Module's registration, traversal,
state_dict and messages as PyTorch documents them, and a small training program whose
printed model, initial weights, losses and final weights are PyTorch 2.13's
(tests/nn_program.py; tests/data/nn_reference.json, written by
tests/data/make_nn_reference.py)."""
import json
import os
from collections import OrderedDict

import numpy as np
import pytest

import lazytensor as torch
import nn_program
from lazytensor import nn

DATA = os.path.join(os.path.dirname(__file__), "data")


def _reference(part="program"):
    with open(os.path.join(DATA, "nn_reference.json")) as f:
        return json.load(f)[part]


def test_a_training_program_matches_pytorch():
    ref, got = _reference(), nn_program.run(torch)
    for key in ("repr", "keys", "initial", "x", "y", "sgd_repr"):  # init: bit for bit
        assert got[key] == ref[key], key
    np.testing.assert_allclose(got["losses"], ref["losses"], rtol=1e-5)
    for key, values in ref["final"].items():
        np.testing.assert_allclose(got["final"][key], values, rtol=1e-4, atol=1e-6,
                                   err_msg=key)


class _Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(OrderedDict(fc=nn.Linear(3, 2), act=nn.Tanh()))
        self.head = nn.Linear(2, 1, bias=False)
        self.scale = nn.Parameter(torch.ones(1))
        self.register_buffer("count", torch.zeros(()))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)
        self.note = "plain attribute"

    def forward(self, x):
        return self.head(self.body(x)) * self.scale


def test_module_registration_traversal_and_state_dict():
    net = _Net()
    assert [n for n, _ in net.named_parameters()] == ["scale", "body.fc.weight",
                                                      "body.fc.bias", "head.weight"]
    assert [n for n, _ in net.named_buffers()] == ["count", "scratch"]
    assert list(net.state_dict()) == ["scale", "count", "body.fc.weight", "body.fc.bias",
                                      "head.weight"]
    assert [n for n, _ in net.named_modules()] == ["", "body", "body.fc", "body.act", "head"]
    assert [type(m).__name__ for m in net.children()] == ["Sequential", "Linear"]
    assert net.note == "plain attribute" and net.head.bias is None
    assert repr(net) == ("_Net(\n  (body): Sequential(\n    (fc): Linear(in_features=3, "
                         "out_features=2, bias=True)\n    (act): Tanh()\n  )\n  (head): "
                         "Linear(in_features=2, out_features=1, bias=False)\n)")
    assert net.training and not net.eval().body.act.training
    out = net(torch.ones(4, 3))
    assert out.shape == (4, 1) and out.grad_fn is not None
    out.sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    with pytest.raises(AttributeError, match="^'_Net' object has no attribute 'missing'$"):
        net.missing


def test_load_state_dict_copies_and_reports_pytorchs_errors():
    a, b = _Net(), _Net()
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert b.body.fc.weight.tolist() == a.body.fc.weight.tolist()
    state = a.state_dict()
    del state["scale"]
    state["extra"] = torch.ones(1)
    with pytest.raises(RuntimeError) as e:
        b.load_state_dict(state)
    assert str(e.value) == ('Error(s) in loading state_dict for _Net:\n\tMissing key(s) in '
                            'state_dict: "scale". \n\tUnexpected key(s) in state_dict: '
                            '"extra". ')
    assert b.load_state_dict(state, strict=False).missing_keys == ["scale"]
    state = a.state_dict()
    state["head.weight"] = torch.ones(2, 2)
    with pytest.raises(RuntimeError, match=r"size mismatch for head.weight: copying a param "
                       r"with shape torch.Size\(\[2, 2\]\) from checkpoint, the shape in "
                       r"current model is torch.Size\(\[1, 2\]\)."):
        b.load_state_dict(state)


def test_parameter_prints_as_pytorch_and_conversions_keep_it():
    p = nn.Parameter(torch.tensor([1., 2.]))
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert str(p) == repr(p) and p.is_leaf and p.requires_grad
    lin = nn.Linear(2, 2)
    w = lin.weight
    lin.double()
    assert lin.weight is w and w.dtype == torch.float64


def test_cross_entropy_and_nll_loss_values():
    """PyTorch's definitions: -log_softmax(x)[target], averaged over the targets kept (by
    weight), label smoothing mixing in the mean over classes."""
    logits = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0], [2.0, 2.0, 2.0]])
    target = np.array([1, 2, 0])
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    per = -logp[np.arange(3), target]
    x = torch.tensor(logits, dtype=torch.float64)
    t = torch.tensor(target)
    assert nn.CrossEntropyLoss()(x, t).item() == pytest.approx(per.mean())
    assert nn.CrossEntropyLoss(reduction="none")(x, t).tolist() == pytest.approx(per.tolist())
    w = np.array([1.0, 2.0, 0.5])
    weighted = (per * w[target]).sum() / w[target].sum()
    got = nn.functional.cross_entropy(x, t, weight=torch.tensor(w, dtype=torch.float64))
    assert got.item() == pytest.approx(weighted)
    ignored = nn.functional.cross_entropy(x, torch.tensor([1, -100, 0]))
    assert ignored.item() == pytest.approx((per[0] + per[2]) / 2)
    smooth = 0.1 * (-logp.mean(1)).mean() + 0.9 * per.mean()
    assert nn.functional.cross_entropy(x, t, label_smoothing=0.1).item() == \
        pytest.approx(smooth)


def test_optimizer_steps_follow_pytorchs_update_rules():
    """One step each, against the documented formulas."""
    p = nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
    g = np.array([0.5, 0.25])
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True)
    for _ in range(2):
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    buf = g * 0.9 + g                      # the second step's momentum buffer
    expected = np.array([1.0, -2.0]) - 0.1 * (g + 0.9 * g) - 0.1 * (g + 0.9 * buf)
    np.testing.assert_allclose(p.tolist(), expected, rtol=1e-12)
    q = nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
    adam = torch.optim.AdamW([q], lr=0.1, weight_decay=0.5)
    q.grad = torch.tensor(g, dtype=torch.float64)
    adam.step()
    m, v = 0.1 * g, 0.001 * g * g
    step = (m / 0.1) / (np.sqrt(v / 0.001) + 1e-8)
    np.testing.assert_allclose(q.tolist(), np.array([1.0, -2.0]) * (1 - 0.05) - 0.1 * step,
                               rtol=1e-12)
    assert p._storage.node.op == "load"     # a step leaves the parameters computed
    state = adam.state_dict()
    assert list(state["state"][0]) == ["step", "exp_avg", "exp_avg_sq"]
    assert state["param_groups"][0]["params"] == [0]


def test_lr_schedulers_give_pytorchs_rates_to_the_last_bit():
    """StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR (past T_max too) and LambdaLR,
    each rate computed from the last as PyTorch computes it."""
    assert nn_program.lr_sequences(torch) == _reference("lr_schedulers")
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.5)
    sched = torch.optim.lr_scheduler.StepLR(opt, 2)
    assert opt.param_groups[0]["initial_lr"] == 0.5 and "optimizer" not in sched.state_dict()


def test_normalisation_embedding_and_binary_losses_match_pytorch():
    ref, got = _reference("layers"), nn_program.layers(torch)
    assert got["reprs"] == ref["reprs"]
    assert got["embedding_init"] == ref["embedding_init"]      # N(0, 1) draws, bit for bit
    # float32, values up to ~20 summed in another order: absolute noise ~1e-5 on cancellation
    for key in ("bn_train", "bn_grad", "bn_running", "bn_eval", "ln", "emb", "losses",
                "loss_grads"):
        np.testing.assert_allclose(_flat(got[key]), _flat(ref[key]), rtol=2e-5, atol=1e-5,
                                   err_msg=key)


def _flat(values):
    return [x for v in values for x in (_flat(v) if isinstance(v, list) else [v])]


def test_rmsprop_and_adagrad_follow_pytorchs_steps():
    """Six steps each (plain, centered with momentum and weight decay, maximize; Adagrad with
    lr_decay and an initial accumulator), against PyTorch 2.13's parameters step by step."""
    ref, got = _reference("optimizers"), nn_program.optimizer_trajectories(torch)
    for name, expected in ref.items():
        np.testing.assert_allclose(got[name]["path"], expected["path"], rtol=1e-12,
                                   err_msg=name)
        assert got[name]["state"] == expected["state"], name
    with pytest.raises(ValueError, match="^Invalid alpha value: -0.5$"):
        torch.optim.RMSprop([nn.Parameter(torch.ones(1))], alpha=-0.5)
    with pytest.raises(ValueError, match="^Invalid lr_decay value: -1$"):
        torch.optim.Adagrad([nn.Parameter(torch.ones(1))], lr_decay=-1)


def test_one_cycle_refuses_what_pytorch_refuses():
    S = torch.optim.lr_scheduler
    opt = torch.optim.SGD([nn.Parameter(torch.ones(1))], lr=0.1)
    with pytest.raises(ValueError, match=r"^You must define either total_steps OR \(epochs"):
        S.OneCycleLR(opt, max_lr=1.0)
    with pytest.raises(ValueError, match="^Expected float between 0 and 1 pct_start"):
        S.OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=2)
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=2)
    for _ in range(2):
        sched.step()
    with pytest.raises(ValueError, match="^Tried to step 3 times. The specified number of "
                                         "total steps is 2$"):
        sched.step()
    adagrad = torch.optim.Adagrad([nn.Parameter(torch.ones(1))])
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        S.OneCycleLR(adagrad, max_lr=1.0, total_steps=5)


def test_more_layers_match_pytorch():
    """Conv1d, ConvTranspose2d, 'same' padding with even kernels, 1-D and adaptive pooling,
    F.pad's four modes, GroupNorm, Bilinear, ELU/Softplus/Hardtanh/ReLU6, KLDivLoss,
    BatchNorm with momentum=None, scaled_dot_product_attention and MultiheadAttention:
    reprs and initial weights exactly, values and gradients to float32 rounding."""
    ref, got = _reference("more_layers"), nn_program.more_layers(torch)
    assert set(got) == set(ref)
    for key, expected in ref.items():
        if key in ("reprs", "bilinear_repr", "mha_repr", "mha_keys", "mha_kv_keys"):
            assert got[key] == expected, key
        elif isinstance(expected, dict):
            assert got[key]["shape"] == expected["shape"], key
            assert got[key]["init"] == expected["init"], key
            np.testing.assert_allclose(got[key]["y"], expected["y"], rtol=1e-4, atol=1e-5,
                                       err_msg=key)
            assert len(got[key]["grads"]) == len(expected["grads"]), key
            for g, e in zip(got[key]["grads"], expected["grads"]):
                np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-5, err_msg=key)
        else:
            np.testing.assert_allclose(got[key], expected, rtol=1e-5, atol=1e-6, err_msg=key)


def test_trunc_normal_and_orthogonal_draw_pytorchs_numbers():
    ref, got = _reference("initialisers"), nn_program.initialisers(torch)
    assert got["trunc_normal"] == ref["trunc_normal"]       # bit for bit, both regimes
    assert got["after"] == ref["after"]                     # as many draws as PyTorch's
    for mine, theirs in zip(got["orthogonal"], ref["orthogonal"]):   # LAPACK's rounding
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-6)
    np.testing.assert_allclose(got["erfinv"], ref["erfinv"], rtol=2e-7)
    w = torch.empty(6, 4)
    torch.nn.init.orthogonal_(w)
    np.testing.assert_allclose((w.t() @ w).numpy(), np.eye(4), atol=1e-6)
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions"):
        torch.nn.init.orthogonal_(torch.empty(3))


def test_nll_loss_refuses_targets_out_of_range_as_pytorch_does():
    logp = torch.tensor([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]]).log()
    for bad, shown in (([0, 5], 5), ([0, -3], -3)):
        with pytest.raises(IndexError, match=f"^Target {shown} is out of bounds.$"):
            nn.functional.nll_loss(logp, torch.tensor(bad))
    # ignore_index is not a class: left out of the mean, -log(0.3) for the other row
    got = nn.functional.nll_loss(logp, torch.tensor([-100, 1])).item()
    assert got == pytest.approx(-np.log(0.3), rel=1e-6)
    # a -inf elsewhere in a row does not make the picked value NaN
    row = torch.tensor([[0.0, float("-inf")]])
    assert nn.functional.nll_loss(row, torch.tensor([0])).item() == 0.0


def test_parameters_take_the_fast_paths_and_stay_parameters():
    p = nn.Parameter(torch.tensor([1.0, 2.0]))
    with torch.no_grad():
        p -= 0.5 * torch.ones(2)
        q = p * 2
    assert isinstance(p, nn.Parameter) and p.is_leaf and p.tolist() == [0.5, 1.5]
    assert type(q) is torch.Tensor and not q.requires_grad
    y = (p * p + p).sum()
    assert y.grad_fn.name() == "SumBackward0"
    y.backward()
    assert p.grad.tolist() == [2.0, 4.0]


def test_convolution_windows_are_the_same_one_view_or_kh_kw_slices():
    """The windows a conv or pooling reads: one strided view when nothing is recorded, the
    stacked shifted slices when autograd records them: the same elements in the same order
    (padded, strided, dilated, of a transposed or offset input)."""
    from lazytensor.nn import convolution
    inputs = [torch.randn(2, 3, 9, 8), torch.randn(2, 3, 8, 9).transpose(2, 3),
              torch.randn(4, 3, 9, 8)[1:3]]
    for x in inputs:
        for k, st, pd, dl in (((3, 3), (1, 1), (0, 0), (1, 1)), ((2, 3), (2, 1), (1, 2), (1, 1)),
                              ((3, 2), (1, 2), (0, 1), (2, 1))):
            one = convolution.windows(x, k, st, pd, dl).numpy()
            sliced = convolution.windows(x.clone().requires_grad_(), k, st, pd, dl)
            np.testing.assert_array_equal(one, sliced.detach().numpy())
