"""The recurrent-layer configurations that tests/data/make_recurrent_reference.py runs with
PyTorch and tests/test_recurrent.py with lazytensor: each builds a layer after manual_seed,
runs it on NumPy-drawn inputs (so neither side's generator makes them), and takes the
gradients of a fixed weighted sum of everything it returns."""
import numpy as np

CASES = {
    "rnn_tanh_bidirectional_batch_first": dict(
        cls="RNN", args=(3, 4), kw=dict(num_layers=2, bidirectional=True, batch_first=True),
        input=(2, 5, 3), hx=True, seed=1),
    "rnn_relu_no_bias_unbatched": dict(
        cls="RNN", args=(3, 4), kw=dict(nonlinearity="relu", bias=False), input=(4, 3),
        hx=False, seed=2),
    "lstm_two_layers": dict(
        cls="LSTM", args=(4, 5, 2), kw={}, input=(6, 3, 4), hx=True, seed=3),
    "lstm_proj_bidirectional_unbatched": dict(
        cls="LSTM", args=(3, 5), kw=dict(proj_size=3, bidirectional=True), input=(5, 3),
        hx=True, seed=4),
    "gru_bidirectional_batch_first": dict(
        cls="GRU", args=(3, 4), kw=dict(num_layers=2, bidirectional=True, batch_first=True),
        input=(2, 6, 3), hx=False, seed=5),
    "lstm_dropout_training": dict(
        cls="LSTM", args=(3, 6, 3), kw=dict(dropout=0.4), input=(5, 4, 3), hx=False,
        seed=6, train=True),
    "gru_dropout_training": dict(
        cls="GRU", args=(3, 6, 2), kw=dict(dropout=0.5, bidirectional=True), input=(4, 2, 3),
        hx=True, seed=7, train=True),
    "rnn_cell_relu": dict(
        cls="RNNCell", args=(3, 4), kw=dict(nonlinearity="relu"), input=(2, 3), hx=True,
        seed=8),
    "lstm_cell": dict(cls="LSTMCell", args=(3, 4), kw={}, input=(2, 3), hx=True, seed=9),
    "lstm_cell_unbatched": dict(cls="LSTMCell", args=(3, 4), kw={}, input=(3,), hx=False,
                                seed=10),
    "gru_cell": dict(cls="GRUCell", args=(3, 4), kw={}, input=(2, 3), hx=True, seed=11),
    "gru_cell_no_bias_unbatched": dict(cls="GRUCell", args=(3, 4), kw=dict(bias=False),
                                       input=(3,), hx=True, seed=12),
}


def _state_shapes(case):
    """The shapes of h0 (and c0) the case passes."""
    cls, kw, shape = case["cls"], case["kw"], case["input"]
    hidden = case["args"][1]
    if cls.endswith("Cell"):
        batch = shape[:-1]
        return [batch + (hidden,)] * (2 if cls == "LSTMCell" else 1)
    layers = (case["args"][2] if len(case["args"]) > 2 else kw.get("num_layers", 1)) * \
        (2 if kw.get("bidirectional") else 1)
    batch = () if len(shape) == 2 else (shape[0] if kw.get("batch_first") else shape[1],)
    real = kw.get("proj_size") or hidden
    shapes = [(layers,) + batch + (real,)]
    return shapes + [(layers,) + batch + (hidden,)] if cls == "LSTM" else shapes


def _flatten(result):
    if isinstance(result, (tuple, list)):
        return [t for item in result for t in _flatten(item)]
    return [result]


def run(torch, name):
    """Parameters as drawn, outputs, and gradients of parameters, input and states, as
    NumPy arrays keyed by name; repr and state_dict keys as strings."""
    case = CASES[name]
    rng = np.random.default_rng(case["seed"])
    torch.manual_seed(case["seed"])
    module = getattr(torch.nn, case["cls"])(*case["args"], **case["kw"])
    out = {"repr": np.array(repr(module)),
           "keys": np.array(" ".join(module.state_dict().keys()))}
    for key, p in module.named_parameters():
        out["init." + key] = p.detach().numpy().copy()
    x = torch.tensor(rng.standard_normal(case["input"]).astype(np.float32),
                     requires_grad=True)
    states = [torch.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
              for s in _state_shapes(case)] if case["hx"] else []
    hx = None if not states else states[0] if len(states) == 1 else tuple(states)
    if case.get("train"):
        torch.manual_seed(case["seed"] + 1000)
    else:
        module.eval()
    results = _flatten(module(x) if hx is None else module(x, hx))
    loss = 0
    for i, r in enumerate(results):
        out[f"out{i}"] = r.detach().numpy().copy()
        weight = torch.tensor(rng.standard_normal(tuple(r.shape)).astype(np.float32))
        loss = loss + (r * weight).sum()
    loss.backward()
    for key, p in module.named_parameters():
        out["grad." + key] = p.grad.numpy().copy()
    out["grad.input"] = x.grad.numpy().copy()
    for i, s in enumerate(states):
        out[f"grad.state{i}"] = s.grad.numpy().copy()
    return out
