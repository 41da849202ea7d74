"""nn.RNN, nn.LSTM, nn.GRU and their cells (issue 15): initial parameters bit for bit,
outputs, final states and gradients as PyTorch 2.13 computes them (tests/recurrent_cases.py;
tests/data/recurrent_reference.npz, written by tests/data/make_recurrent_reference.py),
PyTorch's messages, dropout only while training, a small training run, and a long sequence
whose second forward compiles nothing."""
import os
import warnings

import numpy as np
import pytest

import lazytensor as torch
import recurrent_cases
from lazytensor import nn

REFERENCE = np.load(os.path.join(os.path.dirname(__file__), "data",
                                 "recurrent_reference.npz"))


@pytest.mark.parametrize("name", sorted(recurrent_cases.CASES))
def test_a_recurrent_layer_matches_pytorch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.RecompileWarning)
        got = recurrent_cases.run(torch, name)
    ref = {k.split("/", 1)[1]: REFERENCE[k] for k in REFERENCE.files
           if k.startswith(name + "/")}
    assert sorted(got) == sorted(ref)
    assert str(got["repr"]) == str(ref["repr"])
    assert str(got["keys"]) == str(ref["keys"])
    for key, expected in ref.items():
        if key.startswith("init."):          # PyTorch's generator: the same bits
            np.testing.assert_array_equal(got[key], expected, err_msg=key)
        elif key not in ("repr", "keys"):
            np.testing.assert_allclose(got[key], expected, rtol=1e-5, atol=1e-5,
                                       err_msg=key)


def test_parameter_names_and_shapes_follow_pytorchs_layout():
    lstm = nn.LSTM(3, 6, num_layers=2, bidirectional=True, proj_size=2)
    shapes = {k: tuple(p.shape) for k, p in lstm.named_parameters()}
    assert shapes["weight_ih_l0"] == (24, 3) and shapes["weight_hh_l0"] == (24, 2)
    assert shapes["weight_ih_l1_reverse"] == (24, 4)       # both directions' projections
    assert shapes["weight_hr_l1_reverse"] == (2, 6) and shapes["bias_hh_l1"] == (24,)
    assert len(shapes) == 20 and len(lstm.all_weights) == 4
    gru = nn.GRU(5, 7, bias=False)
    assert [k for k, _ in gru.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    assert tuple(gru.weight_ih_l0.shape) == (21, 5)
    cell = nn.LSTMCell(3, 4, bias=False)
    assert cell.bias_ih is None and list(cell.state_dict()) == ["weight_ih", "weight_hh"]


def test_parameters_are_drawn_within_one_over_sqrt_hidden():
    for module in (nn.GRU(4, 9, num_layers=2), nn.RNNCell(4, 9)):
        for p in module.parameters():
            values = p.detach().numpy()
            assert np.abs(values).max() <= 1 / 3 and np.abs(values).max() > 0.25


@pytest.mark.parametrize("make, message, error", [
    (lambda: nn.RNN(3, 4.0), "hidden_size should be of type int, got: float", TypeError),
    (lambda: nn.RNN(3, 0), "hidden_size must be greater than zero", ValueError),
    (lambda: nn.GRU(3, 4, 0), "num_layers must be greater than zero", ValueError),
    (lambda: nn.LSTM(3, 4, dropout=1.5), "dropout should be a number in range [0, 1] "
     "representing the probability of an element being zeroed", ValueError),
    (lambda: nn.LSTM(3, 4, dropout=True), "dropout should be a number", ValueError),
    (lambda: nn.RNN(3, 4, nonlinearity="sigmoid"),
     "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.", ValueError),
    (lambda: nn.GRU(3, 4, proj_size=2),
     "proj_size argument is only supported for LSTM, not RNN or GRU", ValueError),
    (lambda: nn.LSTM(3, 4, proj_size=4), "proj_size has to be smaller than hidden_size",
     ValueError),
    (lambda: nn.LSTM(3, 4, proj_size=-1),
     "proj_size should be a positive integer or zero to disable projections", ValueError),
    (lambda: nn.RNN(3), "missing 1 required positional argument: 'hidden_size'", TypeError),
])
def test_constructor_errors_are_pytorchs(make, message, error):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_dropout_with_one_layer_warns_as_pytorch_does():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than "
                      "1, but got dropout=0.5 and num_layers=1"):
        nn.GRU(3, 4, dropout=0.5)


def test_the_fourth_positional_argument_of_rnn_is_its_nonlinearity():
    rnn = nn.RNN(3, 4, 2, "relu")
    assert rnn.nonlinearity == "relu" and rnn.mode == "RNN_RELU" and rnn.num_layers == 2
    assert repr(rnn) == "RNN(3, 4, num_layers=2)"


X3, X2 = torch.zeros(5, 2, 3), torch.zeros(5, 3)


@pytest.mark.parametrize("module, args, message, error", [
    (nn.RNN(3, 4, 2), (torch.zeros(3),),
     "RNN: Expected input to be 2D or 3D, got 1D tensor instead", ValueError),
    (nn.GRU(3, 4, 2), (torch.zeros(1, 2, 3, 4),),
     "GRU: Expected input to be 2D or 3D, got 4D instead", ValueError),
    (nn.LSTM(3, 4, 2), (torch.zeros(5, 2, 6),),
     "input.size(-1) must be equal to input_size. Expected 3, got 6", RuntimeError),
    (nn.RNN(3, 4, 2), (X3.double(),),
     "RNN input dtype (lazytensor.float64) does not match weight dtype "
     "(lazytensor.float32). Convert input: input.to(lazytensor.float32), or convert model: "
     "model.to(lazytensor.float64)", ValueError),
    (nn.RNN(3, 4, 2), (X3, torch.zeros(2, 4)),
     "For batched 3-D input, hx should also be 3-D but got 2-D tensor", RuntimeError),
    (nn.GRU(3, 4, 2), (X2, torch.zeros(2, 2, 4)),
     "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor", RuntimeError),
    (nn.GRU(3, 4, 2), (X3, torch.zeros(2, 3, 4)),
     "Expected hidden size (2, 2, 4), got [2, 3, 4]", RuntimeError),
    (nn.RNN(3, 4, 2), (X2, torch.zeros(2, 5)),
     "Expected hidden size (2, 1, 4), got [2, 1, 5]", RuntimeError),
    (nn.LSTM(3, 4, 2), (X3, (torch.zeros(2, 2, 4), torch.zeros(2, 4))),
     "For batched 3-D input, hx and cx should also be 3-D but got (3-D, 2-D) tensors",
     RuntimeError),
    (nn.LSTM(3, 4, 2), (X3, (torch.zeros(2, 2, 4), torch.zeros(1, 2, 4))),
     "Expected hidden[1] size (2, 2, 4), got [1, 2, 4]", RuntimeError),
    (nn.LSTM(3, 4, 2), (torch.zeros(0, 2, 3),),
     "Expected sequence length to be larger than 0 in RNN", RuntimeError),
    (nn.GRU(3, 4), (X3, torch.zeros(1, 2, 4).double()),
     "mat1 and mat2 must have the same dtype, but got Double and Float", RuntimeError),
    (nn.RNNCell(3, 4), (torch.zeros(1, 2, 3),),
     "RNNCell: Expected input to be 1D or 2D, got 3D instead", ValueError),
    (nn.GRUCell(3, 4), (torch.zeros(2, 3), torch.zeros(1, 2, 4)),
     "GRUCell: Expected hidden to be 1D or 2D, got 3D instead", ValueError),
    (nn.LSTMCell(3, 4), (torch.zeros(2, 3), (torch.zeros(2, 4), torch.zeros(1, 2, 4))),
     "LSTMCell: Expected hx[1] to be 1D or 2D, got 3D instead", ValueError),
    (nn.RNNCell(3, 4), (torch.zeros(2, 5),),
     "input has inconsistent input_size: got 5 expected 3", RuntimeError),
    (nn.LSTMCell(3, 4), (torch.zeros(2, 3), (torch.zeros(2, 4), torch.zeros(3, 4))),
     "Input batch size 2 doesn't match hidden1 batch size 3", RuntimeError),
    (nn.GRUCell(3, 4), (torch.zeros(2, 3), torch.zeros(2, 5)),
     "hidden0 has inconsistent hidden_size: got 5, expected 4", RuntimeError),
    (nn.LSTMCell(3, 4), (torch.zeros(2, 3), (torch.zeros(2, 4),)),
     "lstm_cell expects two hidden states", RuntimeError),
    (nn.RNNCell(3, 4, nonlinearity="x"), (torch.zeros(2, 3),),
     "Unknown nonlinearity: x", RuntimeError),
])
def test_forward_errors_are_pytorchs_and_raised_at_the_call(module, args, message, error):
    with pytest.raises(error) as info:
        module(*args)
    assert str(info.value) == message
    assert all(np.isfinite(p.detach().numpy()).all() for p in module.parameters())


def test_shapes_without_initial_state_and_with_an_empty_batch():
    out, (h, c) = nn.LSTM(3, 5, 2, batch_first=True, bidirectional=True)(torch.ones(4, 7, 3))
    assert out.shape == (4, 7, 10) and h.shape == (4, 4, 5) and c.shape == (4, 4, 5)
    out, h = nn.GRU(3, 5)(torch.ones(7, 0, 3))
    assert out.shape == (7, 0, 5) and h.shape == (1, 0, 5)
    out, (h, c) = nn.LSTM(3, 5, proj_size=2)(torch.ones(7, 3))
    assert out.shape == (7, 2) and h.shape == (1, 2) and c.shape == (1, 5)
    h, c = nn.LSTMCell(3, 5)(torch.ones(3))
    assert h.shape == (5,) and c.shape == (5,)
    # no initial state means zeros
    torch.manual_seed(0)
    rnn = nn.RNN(3, 4, 2)
    x = torch.randn(5, 2, 3)
    np.testing.assert_array_equal(rnn(x)[0].detach().numpy(),
                                  rnn(x, torch.zeros(2, 2, 4))[0].detach().numpy())


def test_grad_fn_names_are_pytorchs():
    x = torch.ones(5, 2, 3, requires_grad=True)
    out, h = nn.GRU(3, 4)(x)
    assert type(out.grad_fn).__name__ == "StackBackward0"
    assert type(h.grad_fn).__name__ == "StackBackward0"
    out, (h, c) = nn.LSTM(3, 4, batch_first=True)(x)
    assert type(out.grad_fn).__name__ == "TransposeBackward0"
    out, h = nn.RNN(3, 4)(x[:, 0])
    assert type(out.grad_fn).__name__ == type(h.grad_fn).__name__ == "SqueezeBackward1"
    assert type(nn.RNNCell(3, 4)(x[0]).grad_fn).__name__ == "TanhBackward0"
    assert type(nn.RNNCell(3, 4, nonlinearity="relu")(x[0]).grad_fn).__name__ == \
        "ReluBackward0"
    assert type(nn.GRUCell(3, 4)(x[0]).grad_fn).__name__ == "AddBackward0"
    assert [type(t.grad_fn).__name__ for t in nn.LSTMCell(3, 4)(x[0])] == \
        ["MulBackward0", "AddBackward0"]
    assert type(nn.GRUCell(3, 4)(x[0, 0]).grad_fn).__name__ == "SqueezeBackward1"


def test_a_cell_stepped_by_hand_gives_the_layers_output():
    torch.manual_seed(3)
    layer, cell = nn.LSTM(3, 4), nn.LSTMCell(3, 4)
    cell.load_state_dict({k[:-3]: v for k, v in layer.state_dict().items()})
    x = torch.randn(6, 2, 3)
    out, (h_n, c_n) = layer(x)
    state = None
    for t in range(6):
        state = cell(x[t], state)
        np.testing.assert_allclose(state[0].detach().numpy(), out[t].detach().numpy(),
                                   rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(state[1].detach().numpy(), c_n[0].detach().numpy(),
                               rtol=1e-6, atol=1e-6)


def test_dropout_between_layers_only_while_training():
    torch.manual_seed(0)
    with_dropout = nn.GRU(3, 4, 3, dropout=0.5)
    plain = nn.GRU(3, 4, 3)
    plain.load_state_dict(with_dropout.state_dict())
    x = torch.randn(5, 2, 3)
    expected = plain(x)[0].detach().numpy()
    with_dropout.eval()
    np.testing.assert_allclose(with_dropout(x)[0].detach().numpy(), expected, atol=1e-6)
    with_dropout.train()
    assert not np.allclose(with_dropout(x)[0].detach().numpy(), expected)


def test_state_dict_round_trip_and_double():
    torch.manual_seed(1)
    a, b = nn.GRU(3, 4, 2, bidirectional=True), nn.GRU(3, 4, 2, bidirectional=True)
    b.load_state_dict(a.state_dict())
    x = torch.randn(4, 3)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    # the same values, but computed by two programs fused differently (a's parameters were
    # still pending graphs, b's copies of them): a loop one compiler vectorised calls the
    # vector tanh/exp, within a few ulp of the scalar ones
    np.testing.assert_allclose(a(x)[0].detach().numpy(), b(x)[0].detach().numpy(),
                               rtol=1e-6, atol=1e-7)
    b.double()
    out, h = b(x.double())
    assert out.dtype is torch.float64 and h.dtype is torch.float64
    np.testing.assert_allclose(out.detach().numpy(), a(x)[0].detach().numpy(), atol=1e-6)


def test_an_lstm_learns_a_tiny_sequence_task_with_adam():
    """Predict the sum of a sequence's values: the loss falls well below where it starts."""
    torch.manual_seed(0)
    lstm, head = nn.LSTM(1, 8, batch_first=True), nn.Linear(8, 1)
    opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.05)
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(60):
        x = rng.uniform(-1, 1, (16, 6, 1)).astype(np.float32)
        y = torch.tensor(x.sum(axis=1))
        out, (h, c) = lstm(torch.tensor(x))
        loss = ((head(h[-1]) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-10:]) < 0.2 * np.mean(losses[:10])


def test_a_long_sequences_second_forward_compiles_nothing():
    torch.manual_seed(0)
    lstm = nn.LSTM(4, 8, batch_first=True)
    x = torch.randn(2, 60, 4)
    for p in list(lstm.parameters()) + [x]:        # realise the initialisers' draws first
        p.sum().item()

    def forward():
        out, (h, c) = lstm(x)
        return out.sum().item()

    first = forward()
    info = torch.cache_info()
    before = info["compiled"] + info["disk_hits"]
    assert forward() == first
    info = torch.cache_info()
    assert info["compiled"] + info["disk_hits"] == before
