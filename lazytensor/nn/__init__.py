"""torch.nn: Module and Parameter, the layers, activations, containers and losses lazytensor
has so far, nn.init, and the functional interface."""
from . import functional, init  # noqa: F401
from .module import Module  # noqa: F401
from .modules import (CrossEntropyLoss, Dropout, Flatten, GELU, Identity, L1Loss,  # noqa: F401
                      LeakyReLU, Linear, LogSoftmax, ModuleList, MSELoss, NLLLoss, ReLU,
                      Sequential, Sigmoid, SiLU, Softmax, Tanh)
from .parameter import Parameter  # noqa: F401
