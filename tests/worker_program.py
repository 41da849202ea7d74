"""The DataLoader-with-workers program tests/test_data.py runs with lazytensor and
tests/data/make_data_reference.py ran once with PyTorch 2.13, for any module T with
PyTorch's API: a map-style dataset drawing random numbers in its workers (seeded base_seed
+ worker id), shuffled, with 0, 2 and 3 workers; an iterable dataset sharded by
get_worker_info(); then the main generator's next numbers."""
import importlib


class Noisy:
    """Sample i: rand(2) + i and the id of the worker that made it (-1: main process)."""

    def __init__(self, T):
        self.T, self.data = T, importlib.import_module(T.__name__ + ".utils.data")

    def __len__(self):
        return 10

    def __getitem__(self, i):
        info = self.data.get_worker_info()
        return self.T.rand(2) + i, (info.id if info is not None else -1)


def stream(T):
    data = importlib.import_module(T.__name__ + ".utils.data")

    class Stream(data.IterableDataset):
        def __iter__(self):
            info = data.get_worker_info()
            start, step = (info.id, info.num_workers) if info is not None else (0, 1)
            return iter([T.tensor([float(k)]) for k in range(start, 7, step)])
    return Stream()


def run(T):
    data = importlib.import_module(T.__name__ + ".utils.data")
    out = []
    T.manual_seed(0)
    for workers in (0, 2, 3):
        loader = data.DataLoader(Noisy(T), batch_size=3, shuffle=True, num_workers=workers)
        out.append([[x.tolist(), w.tolist()] for x, w in loader])
        out.append([b.tolist() for b in data.DataLoader(stream(T), batch_size=2,
                                                        num_workers=workers)])
    return {"batches": out, "after": T.rand(2).tolist()}
