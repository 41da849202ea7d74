"""torch.nn: Module and Parameter, the layers, activations, containers and losses lazytensor
has so far, nn.init, and the functional interface."""
from . import functional, init  # noqa: F401
from .module import Module  # noqa: F401
from .modules import (AvgPool2d, BatchNorm1d, BatchNorm2d, BCELoss,  # noqa: F401
                      BCEWithLogitsLoss, Conv2d, CrossEntropyLoss, Dropout, Embedding,
                      Flatten, GELU, HuberLoss, Identity, L1Loss, LayerNorm, LeakyReLU, Linear,
                      LogSoftmax, MaxPool2d, ModuleDict, ModuleList, MSELoss, NLLLoss, ReLU,
                      Sequential, Sigmoid, SiLU, SmoothL1Loss, Softmax, Tanh, Unflatten)
from .parameter import Parameter  # noqa: F401
