"""torch.utils.data: datasets, samplers, DataLoader and default_collate."""
from .dataloader import DataLoader, default_collate  # noqa: F401
from .dataset import (ConcatDataset, Dataset, IterableDataset, Subset,  # noqa: F401
                      TensorDataset, random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler,  # noqa: F401
                      SequentialSampler, SubsetRandomSampler)
