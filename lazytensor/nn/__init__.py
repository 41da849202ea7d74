"""torch.nn: Module and Parameter, the layers, activations, containers and losses lazytensor
has so far, nn.init, and the functional interface."""
from . import functional, init  # noqa: F401
from .module import Module  # noqa: F401
from .modules import (AvgPool2d, Conv2d, CrossEntropyLoss, Dropout, Flatten,  # noqa: F401
                      GELU, Identity, L1Loss, LeakyReLU, Linear, LogSoftmax, MaxPool2d,
                      ModuleList, MSELoss, NLLLoss, ReLU, Sequential, Sigmoid, SiLU, Softmax,
                      Tanh, Unflatten)
from .parameter import Parameter  # noqa: F401
