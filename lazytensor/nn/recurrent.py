"""nn.RNN, nn.LSTM, nn.GRU and their cells. Each time step is ordinary tensor ops (linear,
chunk, sigmoid, tanh, stack), so autograd records them with no derivative of its own; the
steps follow PyTorch's CPU formulas in its order (the input projection of a whole layer
first, then one hidden-to-hidden product per step), parameters are named, shaped and drawn
as PyTorch's, and dropout between layers draws what PyTorch draws."""
import math
import numbers
import warnings

from ..creation import empty, zeros
from ..movement import cat, stack
from ..ops import torch_name
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


# -- one time step: state is (h,) or, for the LSTM, (h, c); xw the input's projection ------
def _rnn_step(xw, state, w_hh, b_hh, relu):
    pre = xw + F.linear(state[0], w_hh, b_hh)
    return (pre.relu() if relu else pre.tanh(),)


def _lstm_step(xw, state, w_hh, b_hh, w_hr=None):
    h, c = state
    i, f, g, o = (xw + F.linear(h, w_hh, b_hh)).chunk(4, 1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    return (h if w_hr is None else F.linear(h, w_hr), c)


def _gru_step(xw, state, w_hh, b_hh):
    h = state[0]
    xr, xz, xn = xw.chunk(3, 1)
    hr, hz, hn = F.linear(h, w_hh, b_hh).chunk(3, 1)
    r = (hr + xr).sigmoid()
    z = (hz + xz).sigmoid()
    n = (xn + hn * r).tanh()
    return ((h - n) * z + n,)


def _step(mode, xw, state, w_hh, b_hh, w_hr=None):
    if mode == "LSTM":
        return _lstm_step(xw, state, w_hh, b_hh, w_hr)
    if mode == "GRU":
        return _gru_step(xw, state, w_hh, b_hh)
    return _rnn_step(xw, state, w_hh, b_hh, mode == "RNN_RELU")


def _check_matmul_dtypes(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{torch_name(a.dtype)} and {torch_name(b.dtype)}")


def _size(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


# -- the multi-layer modules -------------------------------------------------------------------
class RNNBase(Module):
    """What RNN, LSTM and GRU share: their parameters (weight_ih_l{k}, weight_hh_l{k},
    bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k} with proj_size, "_reverse" for the second
    direction), their checks and the loop over layers, directions and time."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None):
        super().__init__()
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout = float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or \
                not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=2)
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: "
                            f"{type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable "
                             "projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        directions = 2 if bidirectional else 1
        kw = dict(device=device, dtype=dtype)
        self._flat_weights_names, self._all_weights = [], []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else real_hidden * directions
            for direction in range(directions):
                shapes = [("weight_ih", (gate_size, layer_input)),
                          ("weight_hh", (gate_size, real_hidden))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                suffix = "_reverse" if direction == 1 else ""
                names = [f"{kind}_l{layer}{suffix}" for kind, _ in shapes]
                for name, (_, shape) in zip(names, shapes):
                    setattr(self, name, Parameter(empty(shape, **kw)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def flatten_parameters(self):
        """Compacts the weights for cuDNN in PyTorch; nothing to do here (as PyTorch on CPU)."""

    @property
    def _flat_weights(self):
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def _name(self):
        return "RNN" if self.mode.startswith("RNN") else self.mode

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # -- forward -------------------------------------------------------------------------------
    def _expected_sizes(self, input):
        batch = input.shape[0] if self.batch_first else input.shape[1]
        layers = self.num_layers * (2 if self.bidirectional else 1)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (layers, batch, real_hidden), (layers, batch, self.hidden_size)

    def _check_input(self, input):
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype is not weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({weight_dtype}). Convert input: input.to({weight_dtype}), or "
                             f"convert model: model.to({input.dtype})")
        if self.input_size != input.shape[-1]:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")

    def _check_state(self, input, state):
        """state: the (h0,) or (h0, c0) of the batched input, each (layers, batch, size)."""
        hidden, cell = self._expected_sizes(input)
        labels = ("hidden[0]", "hidden[1]") if len(state) == 2 else ("hidden",)
        for label, expected, s in zip(labels, (hidden, cell), state):
            if tuple(s.shape) != expected:
                raise RuntimeError(f"Expected {label} size {expected}, got {_size(s.shape)}")
        if input.shape[1 if self.batch_first else 0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        for s in state:
            _check_matmul_dtypes(s, input)

    def _prepare(self, input, hx):
        """The input made batched and time-major's shape checks done; returns (input,
        state, batched), state a tuple of (layers, batch, size) tensors."""
        name = self._name()
        if input.dim() not in (2, 3):
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D "
                             + ("tensor instead" if name == "RNN" else "instead"))
        batched = input.dim() == 3
        lstm = self.mode == "LSTM"
        if hx is not None:
            parts = (hx[0], hx[1]) if lstm else (hx,)
            want = 3 if batched else 2
            if any(p.dim() != want for p in parts):
                kind = "batched 3-D" if batched else "unbatched 2-D"
                if lstm:
                    raise RuntimeError(f"For {kind} input, hx and cx should also be {want}-D "
                                       f"but got ({parts[0].dim()}-D, {parts[1].dim()}-D) "
                                       "tensors")
                raise RuntimeError(f"For {kind} input, hx should also be {want}-D but got "
                                   f"{hx.dim()}-D tensor")
            state = parts if batched else tuple(p.unsqueeze(1) for p in parts)
        if not batched:
            input = input.unsqueeze(0 if self.batch_first else 1)
        if hx is None:
            sizes = self._expected_sizes(input)[:2 if lstm else 1]
            state = tuple(zeros(s, dtype=input.dtype, device=input.device) for s in sizes)
        self._check_input(input)
        self._check_state(input, state)
        return input, state, batched

    def forward(self, input, hx=None):
        input, state, batched = self._prepare(input, hx)
        if self.batch_first:
            input = input.transpose(0, 1)
        output, final = self._layers(input, state)
        if self.batch_first:
            output = output.transpose(0, 1)
        if not batched:
            output = output.squeeze(0 if self.batch_first else 1)
            final = tuple(s.squeeze(1) for s in final)
        return output, (final if self.mode == "LSTM" else final[0])

    def _layers(self, input, state):
        """input (time, batch, features); state per (layer, direction) along dim 0. Returns
        the last layer's output and the final states stacked as the initial ones."""
        directions = 2 if self.bidirectional else 1
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                weights = self.all_weights[k]
                w_ih, w_hh = weights[0], weights[1]
                b_ih, b_hh = (weights[2], weights[3]) if self.bias else (None, None)
                w_hr = weights[-1] if self.proj_size > 0 else None
                out, last = self._direction(input, tuple(s[k] for s in state), w_ih, w_hh,
                                            b_ih, b_hh, w_hr, reverse=direction == 1)
                outputs.append(out)
                finals.append(last)
            input = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                input = F.dropout(input, self.dropout, True)
        return input, tuple(stack([f[i] for f in finals]) for i in range(len(state)))

    def _direction(self, input, state, w_ih, w_hh, b_ih, b_hh, w_hr, reverse):
        steps = F.linear(input, w_ih, b_ih).unbind(0)
        outputs = [None] * len(steps)
        for t in (reversed(range(len(steps))) if reverse else range(len(steps))):
            state = _step(self.mode, steps[t], state, w_hh, b_hh, w_hr)
            outputs[t] = state[0]
        return stack(outputs), state


class RNN(RNNBase):
    """RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
    batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None):
    h_t = tanh (or relu) of x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' "
                             "or 'relu'.")
        super().__init__(mode, *args, **kwargs)


class LSTM(RNNBase):
    """LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None): gates i, f, g,
    o in that order along the weights' first dim; returns (output, (h_n, c_n))."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)


class GRU(RNNBase):
    """GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, device=None, dtype=None): gates r, z, n in that order
    along the weights' first dim."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


# -- the cells -------------------------------------------------------------------------------
class RNNCellBase(Module):
    """weight_ih (chunks * hidden, input), weight_hh (chunks * hidden, hidden), bias_ih and
    bias_hh (chunks * hidden), drawn uniformly within 1/sqrt(hidden) as PyTorch draws them."""
    _chunks = 1

    def __init__(self, input_size, hidden_size, bias, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        kw = dict(device=device, dtype=dtype)
        rows = self._chunks * hidden_size
        self.weight_ih = Parameter(empty((rows, input_size), **kw))
        self.weight_hh = Parameter(empty((rows, hidden_size), **kw))
        if bias:
            self.bias_ih = Parameter(empty(rows, **kw))
            self.bias_hh = Parameter(empty(rows, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _check_dims(self, input, hx, hidden_count):
        """The hidden states as a tuple (None without hx), input and hx 1-D or 2-D."""
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D "
                             "instead")
        if hx is None:
            return None
        parts = tuple(hx) if hidden_count == 2 else (hx,)
        for idx, value in enumerate(parts):
            if value.dim() not in (1, 2):
                label = f"hx[{idx}]" if hidden_count == 2 else "hidden"
                raise ValueError(f"{name}: Expected {label} to be 1D or 2D, got "
                                 f"{value.dim()}D instead")
        return parts

    def _prepare(self, input, hx, hidden_count):
        """input and hidden states made batched and checked; hx: a tensor or a pair."""
        parts = self._check_dims(input, hx, hidden_count)
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if hx is None:
            h = zeros((input.shape[0], self.hidden_size), dtype=input.dtype,
                      device=input.device)
            parts = (h,) * hidden_count
        elif not batched:
            parts = tuple(parts[i].unsqueeze(0) for i in range(hidden_count))
        if len(parts) != hidden_count:
            raise RuntimeError("lstm_cell expects two hidden states")
        if input.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                               f"expected {self.input_size}")
        for i, h in enumerate(parts):
            if input.shape[0] != h.shape[0]:
                raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match "
                                   f"hidden{i} batch size {h.shape[0]}")
            if h.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got "
                                   f"{h.shape[1]}, expected {self.hidden_size}")
        _check_matmul_dtypes(input, self.weight_ih)
        for h in parts:
            _check_matmul_dtypes(h, self.weight_hh)
        return input, parts, batched

    def _step(self, mode, input, hx, hidden_count):
        input, state, batched = self._prepare(input, hx, hidden_count)
        xw = F.linear(input, self.weight_ih, self.bias_ih)
        state = _step(mode, xw, state, self.weight_hh, self.bias_hh)
        return state if batched else tuple(s.squeeze(0) for s in state)


class RNNCell(RNNCellBase):
    """RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh'): one step of RNN."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        modes = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
        if self.nonlinearity not in modes:
            self._check_dims(input, hx, 1)
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return self._step(modes[self.nonlinearity], input, hx, 1)[0]


class LSTMCell(RNNCellBase):
    """LSTMCell(input_size, hidden_size, bias=True): one step of LSTM; returns (h', c')."""
    _chunks = 4

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, device, dtype)

    def forward(self, input, hx=None):
        return self._step("LSTM", input, hx, 2)


class GRUCell(RNNCellBase):
    """GRUCell(input_size, hidden_size, bias=True): one step of GRU."""
    _chunks = 3

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, device, dtype)

    def forward(self, input, hx=None):
        return self._step("GRU", input, hx, 1)[0]
