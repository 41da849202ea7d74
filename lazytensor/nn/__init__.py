"""torch.nn: Module and Parameter, the layers, activations, containers and losses lazytensor
has so far, nn.init, and the functional interface."""
from . import functional, init  # noqa: F401
from .attention import MultiheadAttention  # noqa: F401
from .conv_layers import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d,  # noqa: F401
                          AvgPool2d, Conv1d, Conv2d, ConvTranspose2d, MaxPool1d, MaxPool2d)
from .module import Module  # noqa: F401
from .modules import (BatchNorm1d, BatchNorm2d, BCELoss, BCEWithLogitsLoss,  # noqa: F401
                      Bilinear, CrossEntropyLoss, Dropout, ELU, Embedding, Flatten, GELU,
                      GroupNorm, Hardtanh, HuberLoss, Identity, KLDivLoss, L1Loss, LayerNorm,
                      LeakyReLU, Linear, LogSoftmax, ModuleDict, ModuleList, MSELoss, NLLLoss,
                      ReLU, ReLU6, Sequential, Sigmoid, SiLU, SmoothL1Loss, Softmax, Softplus,
                      Tanh, Unflatten)
from .parameter import Parameter  # noqa: F401
from .recurrent import (GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell,  # noqa: F401
                        RNNCellBase)
