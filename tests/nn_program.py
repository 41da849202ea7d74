"""The nn/optim program tests/test_nn.py runs with lazytensor and
tests/data/make_nn_reference.py ran once with PyTorch 2.13, for any module T with
PyTorch's API: a classifier on fixed data, Sequential(Linear, ReLU, Linear), 30 steps of
SGD with momentum and cross-entropy, then 30 of Adam with MSE against one-hot targets."""


def run(T):
    nn = T.nn
    T.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    out = {"repr": repr(model), "keys": list(model.state_dict()),
           "initial": {k: v.flatten().tolist() for k, v in model.state_dict().items()}}
    x = T.rand(16, 4)
    y = (x.sum(1) * 2).long() % 3
    out["x"], out["y"] = x.tolist(), y.tolist()
    sgd = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
    out["sgd_repr"] = repr(sgd)
    losses = []
    for _ in range(30):
        sgd.zero_grad()
        loss = nn.CrossEntropyLoss()(model(x), y)
        loss.backward()
        sgd.step()
        losses.append(loss.item())
    adam = T.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(30):
        adam.zero_grad()
        loss = nn.functional.mse_loss(model(x), nn.functional.one_hot(y, 3).float())
        loss.backward()
        adam.step()
        losses.append(loss.item())
    out["losses"] = losses
    out["final"] = {k: v.flatten().tolist() for k, v in model.state_dict().items()}
    return out


def lr_sequences(T):
    """The learning rate of each scheduler after each of its steps (SGD on one parameter)."""
    S = T.optim.lr_scheduler

    def sequence(make, steps=14):
        p = T.zeros(1, requires_grad=True)
        optimizer = T.optim.SGD([p], lr=0.1)
        scheduler = make(optimizer)
        lrs = [scheduler.get_last_lr()[0]]
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            lrs.append(scheduler.get_last_lr()[0])
        return lrs
    return {"step": sequence(lambda o: S.StepLR(o, 3, gamma=0.5)),
            "multistep": sequence(lambda o: S.MultiStepLR(o, [2, 5, 5, 9], gamma=0.3)),
            "exponential": sequence(lambda o: S.ExponentialLR(o, 0.9)),
            "cosine": sequence(lambda o: S.CosineAnnealingLR(o, T_max=4, eta_min=0.01), 20),
            "lambda": sequence(lambda o: S.LambdaLR(o, lambda e: 1 / (e + 1))),
            "onecycle": sequence(lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=14)),
            "onecycle_three_phase_linear": sequence(
                lambda o: S.OneCycleLR(o, max_lr=0.5, epochs=4, steps_per_epoch=5,
                                       pct_start=0.25, anneal_strategy="linear",
                                       three_phase=True), 20),
            "onecycle_momentum": _momenta(T)}


def _momenta(T):
    """OneCycleLR's momentum (SGD) and beta1 (Adam) after each step."""
    out = []
    for make in (lambda ps: T.optim.SGD(ps, lr=0.1, momentum=0.9),
                 lambda ps: T.optim.Adam(ps, lr=0.1)):
        p = T.zeros(1, requires_grad=True)
        optimizer = make([p])
        scheduler = T.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.3, total_steps=8)
        key = "momentum" if "momentum" in optimizer.defaults else "betas"
        for _ in range(8):
            group = optimizer.param_groups[0]
            out.append(group[key] if key == "momentum" else group[key][0])
            optimizer.step()
            scheduler.step()
    return out


def optimizer_trajectories(T):
    """Six steps of RMSprop and Adagrad in several settings on float64 parameters whose
    gradient is p**3 - 1 + the step number: the parameters after each step, and the
    state_dict's state keys."""
    out = {}
    settings = {
        "rmsprop": lambda ps: T.optim.RMSprop(ps, lr=0.01),
        "rmsprop_centered_momentum": lambda ps: T.optim.RMSprop(
            ps, lr=0.02, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1),
        "rmsprop_maximize": lambda ps: T.optim.RMSprop(ps, lr=0.01, maximize=True),
        "adagrad": lambda ps: T.optim.Adagrad(ps, lr=0.1),
        "adagrad_decay": lambda ps: T.optim.Adagrad(
            ps, lr=0.1, lr_decay=0.2, weight_decay=0.05, initial_accumulator_value=0.3),
    }
    for name, make in settings.items():
        p = T.tensor([0.5, -1.0, 2.0], dtype=T.float64, requires_grad=True)
        optimizer = make([p])
        path = []
        for step in range(6):
            p.grad = (p.detach() ** 3 - 1 + step).clone()
            optimizer.step()
            path.append(p.tolist())
        out[name] = {"path": path, "state": list(optimizer.state_dict()["state"][0])}
    return out


def layers(T):
    """BatchNorm (training, then eval), LayerNorm, Embedding with padding_idx and the binary
    and robust losses: printed forms, values, gradients, running statistics."""
    nn, F = T.nn, T.nn.functional
    T.manual_seed(0)
    out = {}
    bn, ln = nn.BatchNorm1d(4), nn.LayerNorm(4)
    emb = nn.Embedding(10, 3, padding_idx=0)
    out["reprs"] = [repr(m) for m in (bn, ln, emb, nn.BatchNorm2d(3, affine=False),
                                      nn.LayerNorm((2, 3), elementwise_affine=False))]
    out["embedding_init"] = emb.weight.tolist()
    x = (T.rand(6, 4) * 3).requires_grad_()
    y = bn(x)
    (y * T.arange(24.).reshape(6, 4)).sum().backward()
    out["bn_train"] = y.tolist()
    out["bn_grad"] = x.grad.tolist() + bn.weight.grad.tolist() + bn.bias.grad.tolist()
    out["bn_running"] = bn.running_mean.tolist() + bn.running_var.tolist()
    bn.eval()
    out["bn_eval"] = bn(x).tolist()
    x.grad = None
    z = ln(x)
    (z * T.arange(24.).reshape(6, 4)).sum().backward()
    out["ln"] = z.tolist() + x.grad.tolist() + ln.weight.grad.tolist()
    idx = T.tensor([[0, 2, 2], [5, 0, 9]])
    e = emb(idx)
    (e * e).sum().backward()
    out["emb"] = e.tolist() + emb.weight.grad.tolist()
    p = T.rand(5).requires_grad_()
    t = T.tensor([0., 1., 1., 0., 1.])
    losses = [F.binary_cross_entropy(p, t), F.binary_cross_entropy_with_logits(p * 4 - 2, t),
              nn.BCEWithLogitsLoss(pos_weight=T.tensor(3.0))(p * 4 - 2, t),
              nn.SmoothL1Loss(beta=0.5)(p * 3, t), nn.HuberLoss(delta=0.5)(p * 3, t)]
    out["losses"] = [v.item() for v in losses]
    out["loss_grads"] = [T.autograd.grad(v, p)[0].tolist() for v in losses]
    return out


def more_layers(T):
    """1-D and transposed convolutions, 1-D and adaptive pooling, padding modes, GroupNorm,
    Bilinear, the remaining activations, KLDivLoss, BatchNorm's cumulative average,
    scaled_dot_product_attention and MultiheadAttention: printed forms, initial weights,
    values and gradients."""
    nn, F = T.nn, T.nn.functional
    T.manual_seed(1)
    out = {}

    def record(name, module, *inputs):
        """module's output and the gradients of sum(output * ramp) for its inputs and
        parameters."""
        xs = [x.detach().requires_grad_() if x.dtype.is_floating_point else x
              for x in inputs]
        y = module(*xs)
        y = y[0] if isinstance(y, tuple) else y
        ramp = T.arange(y.numel(), dtype=y.dtype).reshape(y.shape) / y.numel()
        (y * ramp).sum().backward()
        grads = [x.grad.flatten().tolist() for x in xs if x.dtype.is_floating_point]
        grads += [p.grad.flatten().tolist() for p in module.parameters()] \
            if isinstance(module, nn.Module) else []
        out[name] = {"y": y.flatten().tolist(), "shape": list(y.shape), "grads": grads,
                     "init": [p.flatten().tolist() for p in module.parameters()]
                     if isinstance(module, nn.Module) else []}
    mods = {
        "conv1d": nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2),
        "conv1d_same_even": nn.Conv1d(2, 3, 4, padding="same", bias=False),
        "conv2d_same_even": nn.Conv2d(2, 2, (2, 3), padding="same"),
        "convt": nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1,
                                    groups=2),
        "convt_dilated": nn.ConvTranspose2d(2, 3, (2, 3), stride=(1, 2), dilation=2),
        "maxpool1d": nn.MaxPool1d(3, stride=2, padding=1),
        "avgpool1d": nn.AvgPool1d(2),
        "adaptive2d": nn.AdaptiveAvgPool2d((2, 3)),
        "adaptive2d_one": nn.AdaptiveAvgPool2d(1),
        "adaptive1d": nn.AdaptiveAvgPool1d(3),
        "groupnorm": nn.GroupNorm(2, 4),
        "elu": nn.ELU(0.7), "softplus": nn.Softplus(2.0, 1.0), "hardtanh": nn.Hardtanh(-0.5,
                                                                                        0.5),
        "relu6": nn.ReLU6(),
    }
    out["reprs"] = [repr(m) for m in mods.values()]
    signal, image = T.randn(2, 4, 9), T.randn(2, 4, 5, 7)
    for name in ("conv1d", "maxpool1d", "avgpool1d", "adaptive1d"):
        record(name, mods[name], signal)
    record("conv1d_same_even", mods["conv1d_same_even"], signal[:, :2])
    record("conv2d_same_even", mods["conv2d_same_even"], image[:, :2])
    record("convt", mods["convt"], image)
    record("convt_dilated", mods["convt_dilated"], image[:, :2])
    for name in ("adaptive2d", "adaptive2d_one", "groupnorm"):
        record(name, mods[name], image)
    for name in ("elu", "softplus", "hardtanh", "relu6"):
        record(name, mods[name], signal * 4)
    for mode in ("constant", "reflect", "replicate", "circular"):
        record(f"pad_{mode}", lambda x, m=mode: F.pad(x, (2, 1, 1, 2), mode=m), image)
    record("pad_crop", lambda x: F.pad(x, (-1, 2, 0, -2), value=0.5), image)
    bil = nn.Bilinear(3, 4, 2)
    out["bilinear_repr"] = repr(bil)
    record("bilinear", bil, T.randn(5, 3), T.randn(5, 4))
    p = T.randn(3, 5).log_softmax(1)
    q = T.rand(3, 5)
    q = q / q.sum(1, keepdim=True)
    for red in ("batchmean", "sum", "none"):
        record(f"kl_{red}", nn.KLDivLoss(reduction=red), p, q)
    record("kl_log_target", nn.KLDivLoss(reduction="batchmean", log_target=True), p, q.log())
    bn = nn.BatchNorm1d(3, momentum=None)
    for _ in range(3):
        bn(T.randn(4, 3) * 2 + 1)
    out["bn_cumulative"] = bn.running_mean.tolist() + bn.running_var.tolist()
    qkv = [T.randn(2, 2, 5, 4) for _ in range(3)]
    record("sdpa", lambda a, b, c: F.scaled_dot_product_attention(a, b, c), *qkv)
    record("sdpa_causal", lambda a, b, c: F.scaled_dot_product_attention(
        a, b, c, is_causal=True, scale=0.3), *qkv)
    allowed = T.rand(5, 5) > 0.3
    allowed[:, 0] = True
    record("sdpa_bool_mask", lambda a, b, c: F.scaled_dot_product_attention(
        a, b, c, attn_mask=allowed), *qkv)
    record("sdpa_float_mask", lambda a, b, c: F.scaled_dot_product_attention(
        a, b, c, attn_mask=T.randn(5, 5)), *qkv)
    mha = nn.MultiheadAttention(8, 2)
    out["mha_repr"] = repr(mha)
    out["mha_keys"] = list(mha.state_dict())
    x = T.randn(5, 3, 8)
    record("mha_self", lambda a: mha(a, a, a), x)
    y, w = mha(x, x, x)
    out["mha_weights"] = w.flatten().tolist()
    pad = T.tensor([[False] * 5, [False, False, False, True, True], [True] + [False] * 4])
    record("mha_masks", lambda a, b: mha(a, b, b, key_padding_mask=pad,
                                         attn_mask=T.rand(5, 5) > 0.8,
                                         average_attn_weights=False), x, T.randn(5, 3, 8))
    first = nn.MultiheadAttention(6, 3, batch_first=True, kdim=4, vdim=5, bias=False)
    out["mha_kv_keys"] = list(first.state_dict())
    record("mha_batch_first", lambda a, b, c: first(a, b, c, need_weights=False),
           T.randn(2, 4, 6), T.randn(2, 3, 4), T.randn(2, 3, 5))
    return out


def initialisers(T):
    """trunc_normal_ in its two regimes (normal draws redrawn where outside; uniform
    proposals accepted by the density), orthogonal_ of tall, wide and 3-D tensors, and the
    generator's next numbers after them."""
    init = T.nn.init
    T.manual_seed(3)
    out = {"trunc_normal": [], "orthogonal": []}
    for kw in (dict(), dict(mean=0.5, std=2.0, a=-1.0, b=3.0),
               dict(mean=0.0, std=1.0, a=1.5, b=4.0), dict(a=-0.1, b=0.2)):
        w = T.empty(4, 5)
        init.trunc_normal_(w, **kw)
        out["trunc_normal"].append(w.flatten().tolist())
    for shape in ((3, 5), (5, 3), (2, 3, 2)):
        w = T.empty(shape)
        init.orthogonal_(w, gain=1.5)
        out["orthogonal"].append(w.flatten().tolist())
    out["after"] = T.rand(3).tolist()
    x = T.tensor([-0.999, -0.5, 0.0, 0.3, 0.9, 0.99999])
    out["erfinv"] = T.erfinv(x).tolist()
    return out
