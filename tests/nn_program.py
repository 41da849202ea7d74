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
            "lambda": sequence(lambda o: S.LambdaLR(o, lambda e: 1 / (e + 1)))}
