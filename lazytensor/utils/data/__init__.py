"""torch.utils.data: datasets, samplers, DataLoader (with worker processes),
default_collate and get_worker_info."""
from .dataloader import DataLoader, default_collate  # noqa: F401
from .dataset import (ConcatDataset, Dataset, IterableDataset, Subset,  # noqa: F401
                      TensorDataset, random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler,  # noqa: F401
                      SequentialSampler, SubsetRandomSampler)
from .worker import WorkerInfo, get_worker_info  # noqa: F401
