"""DataLoader's worker processes, as PyTorch runs them: each worker is a process (the
platform's default start method) that seeds its generator with base_seed + its id, calls
worker_init_fn, then turns index batches into collated batches; the main process hands out
batches in order, a few per worker ahead, and yields the results in the sampler's order.
Tensors cross between processes as their bytes (Tensor pickles itself)."""
import multiprocessing
import queue
import random
import sys
import traceback
from dataclasses import dataclass

from ... import random as lt_random

_info = None            # this process's WorkerInfo, in a worker


@dataclass(frozen=True)
class WorkerInfo:
    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """In a DataLoader worker, its WorkerInfo (id, num_workers, seed, dataset); None in the
    main process."""
    return _info


class _Failure:
    """An exception raised in a worker, carried to the main process as text."""

    def __init__(self, worker_id, exc):
        self.type = type(exc)
        self.text = (f"Caught {type(exc).__name__} in DataLoader worker process {worker_id}.\n"
                     "Original " + "".join(traceback.format_exception(exc)))

    def reraise(self):
        try:
            error = self.type(self.text)
        except Exception:               # an exception whose constructor wants more
            raise RuntimeError(self.text) from None
        raise error


class _Exhausted:
    """An iterable dataset's worker ran out of items."""


def _loop(dataset, fetch, tasks, results, worker_id, num_workers, seed, init_fn):
    global _info
    try:
        _info = WorkerInfo(worker_id, num_workers, seed, dataset)
        random.seed(seed)
        lt_random.manual_seed(seed)
        if init_fn is not None:
            init_fn(worker_id)
        items = iter(dataset) if fetch is None else None
    except Exception as exc:            # every task of this worker reports the failure
        items, failure = None, _Failure(worker_id, exc)
    else:
        failure = None
    while True:
        task = tasks.get()
        if task is None:
            return
        number, indices = task
        if failure is not None:
            results.put((number, failure))
            continue
        try:
            out = fetch(indices) if fetch is not None else next_batch(items, indices)
        except StopIteration:
            out = _Exhausted()
        except Exception as exc:
            out = _Failure(worker_id, exc)
        results.put((number, out))


def next_batch(items, size_and_collate):
    """The next batch of an iterable dataset: size items collated (size None: one item)."""
    size, collate, drop_last = size_and_collate
    if size is None:
        return collate(next(items))
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            return collate(batch)
    if batch and not drop_last:
        return collate(batch)
    raise StopIteration


class MultiProcessIterator:
    """The batches of a DataLoader with num_workers > 0, in order."""

    def __init__(self, loader, base_seed):
        self.loader, n = loader, loader.num_workers
        ctx = loader.multiprocessing_context
        if ctx is None or isinstance(ctx, str):
            ctx = multiprocessing.get_context(ctx)
        self.results = ctx.Queue()
        self.tasks, self.workers = [], []
        iterable = loader._iterable
        fetch = None if iterable else loader._fetch
        for i in range(n):
            q = ctx.Queue()
            w = ctx.Process(target=_loop, args=(loader.dataset, fetch, q, self.results, i, n,
                                                base_seed + i, loader.worker_init_fn),
                            daemon=True)
            w.start()
            self.tasks.append(q)
            self.workers.append(w)
        if iterable:
            job = (loader.batch_size, loader.collate_fn, loader.drop_last)
            self.jobs = iter(lambda: job, None)         # the same request, forever
        else:
            self.jobs = iter(loader.batch_sampler if loader.batch_sampler is not None
                             else ([i] for i in loader.sampler))
        self.sent = self.received = 0
        self.done = {}                  # task number -> result, arrived early
        self.active = list(range(n))    # workers still producing (iterable datasets)
        self.owner = {}                 # task number -> worker
        self.finished = False
        for _ in range(loader.prefetch_factor * n):
            self._send()

    def _send(self):
        if not self.active:
            return
        try:
            job = next(self.jobs)
        except StopIteration:
            return
        worker = self.active[self.sent % len(self.active)] if self.loader._iterable else \
            self.sent % len(self.workers)
        self.tasks[worker].put((self.sent, job))
        self.owner[self.sent] = worker
        self.sent += 1

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            if self.received == self.sent:
                self._shutdown()
                raise StopIteration
            out = self._result(self.received)
            worker = self.owner.pop(self.received)
            self.received += 1
            if isinstance(out, _Exhausted):
                if worker in self.active:
                    self.active.remove(worker)
                continue
            self._send()
            if isinstance(out, _Failure):
                self._shutdown()
                out.reraise()
            return out

    def _result(self, number):
        timeout = self.loader.timeout
        while number not in self.done:
            try:
                got, out = self.results.get(timeout=timeout if timeout > 0 else 5.0)
            except queue.Empty:
                if timeout > 0:
                    self._shutdown()
                    raise RuntimeError(f"DataLoader timed out after {timeout} seconds")
                dead = [w.pid for w in self.workers if not w.is_alive()]
                if dead:
                    self._shutdown()
                    raise RuntimeError(f"DataLoader worker (pid(s) "
                                       f"{', '.join(map(str, dead))}) exited unexpectedly")
                continue
            self.done[got] = out
        return self.done.pop(number)

    def _shutdown(self):
        if self.finished:
            return
        self.finished = True
        for q in self.tasks:
            q.put(None)
        for w in self.workers:
            w.join(timeout=5)
            if w.is_alive():
                w.terminate()

    def __del__(self):
        if not sys.is_finalizing():
            self._shutdown()
