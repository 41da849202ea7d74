"""DataLoader: batches of a dataset in a sampler's order, collated into tensors, in the
main process or (num_workers > 0) in worker processes (worker.py)."""
import collections.abc
import numbers

import numpy as np

from ...creation import empty, tensor
from ...dtypes import float64, int64
from ...movement import stack
from ...tensor import Tensor
from .dataset import IterableDataset, is_tensor_dataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler
from .worker import MultiProcessIterator


def default_collate(batch):
    """A list of samples as one batch: tensors stacked, numbers made tensors, tuples, lists
    and dicts collated element by element, strings kept as lists (PyTorch's rules)."""
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(batch, 0)
    if isinstance(first, bool) or isinstance(first, numbers.Integral):
        return tensor(batch, dtype=int64)
    if isinstance(first, float):
        return tensor(batch, dtype=float64)
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, collections.abc.Mapping):
        return type(first)({key: default_collate([d[key] for d in batch]) for key in first})
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        if any(len(s) != len(first) for s in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = [default_collate(list(s)) for s in zip(*batch)]
        return tuple(transposed) if isinstance(first, tuple) else transposed
    if isinstance(first, np.ndarray):
        return tensor(np.stack(batch))
    raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(first)}")


def _rows(t, indices):
    """t's rows at indices, stacked (what collating a tensor dataset's samples gives): a
    copy NumPy makes at once from a computed CPU tensor (a batch is then no pending work),
    else one gather."""
    if t.device.type == "cpu" and not t.requires_grad and t._storage.node.op == "load":
        return Tensor._from_array(t._strided_array()[np.asarray(indices, dtype=np.int64)],
                                  t.dtype)
    return t[tensor(indices, dtype=int64)]


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False,
                 timeout=0, worker_init_fn=None, multiprocessing_context=None,
                 generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device=""):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 "
                             "to disable multiprocessing.")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        self.dataset, self.num_workers, self.generator = dataset, num_workers, generator
        self.batch_size, self.drop_last = batch_size, drop_last
        self.timeout, self.worker_init_fn = timeout, worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.prefetch_factor = 2 if prefetch_factor is None else prefetch_factor
        iterable = isinstance(dataset, IterableDataset)
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if sampler is None and not iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else \
                SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.collate_fn = collate_fn or (default_collate if batch_sampler is not None or
                                         iterable else (lambda x: x))
        self._iterable = iterable

    def __iter__(self):
        # PyTorch's iterator draws a base seed for its workers first, even without workers
        base_seed = int(empty((), dtype=int64).random_(generator=self.generator).item())
        if self.num_workers > 0:
            return MultiProcessIterator(self, base_seed)
        if self._iterable:
            return self._iterate_iterable()
        if self.batch_sampler is None:
            return (self.collate_fn(self.dataset[i]) for i in self.sampler)
        return self._batches()

    def _batches(self):
        for indices in self.batch_sampler:
            yield self._fetch(indices)

    def _fetch(self, indices):
        """The collated batch of the samples at indices (in a worker, or here)."""
        if self.batch_sampler is None:
            return self.collate_fn(self.dataset[indices[0]])
        if is_tensor_dataset(self.dataset) and self.collate_fn is default_collate:
            return [_rows(t, indices) for t in self.dataset.tensors]
        return self.collate_fn([self.dataset[i] for i in indices])

    def _iterate_iterable(self):
        if self.batch_size is None:
            yield from (self.collate_fn(x) for x in self.dataset)
            return
        batch = []
        for item in self.dataset:
            batch.append(item)
            if len(batch) == self.batch_size:
                yield self.collate_fn(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.collate_fn(batch)

    def __len__(self):
        if self._iterable:
            raise TypeError("object of type 'DataLoader' has no len()")
        return len(self.batch_sampler) if self.batch_sampler is not None else len(self.sampler)
