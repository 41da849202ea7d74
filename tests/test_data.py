"""torch.utils.data: DataLoader orders drawn as PyTorch draws them, default_collate's rules,
and examples/train_digits.py (scikit-learn's digits) giving PyTorch 2.13's losses and
accuracies (tests/data/data_reference.json, written by tests/data/make_data_reference.py)."""
import json
import os
import sys
from collections import OrderedDict

import pytest

import lazytensor as torch
import lazytensor.utils.data  # noqa: F401
from lazytensor.utils.data import (DataLoader, Dataset, TensorDataset, default_collate,
                                   random_split)

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
import worker_program  # noqa: E402


def _reference():
    with open(os.path.join(HERE, "data", "data_reference.json")) as f:
        return json.load(f)


def test_shuffled_orders_and_random_split_are_pytorchs():
    ref = _reference()["orders"]
    torch.manual_seed(1)
    loader = DataLoader(list(range(10)), batch_size=4, shuffle=True)
    assert [[b.tolist() for b in loader] for _ in range(2)] == ref["epochs"]
    assert [b.tolist() for b in DataLoader(list(range(10)), batch_size=4, shuffle=True,
                                           drop_last=True)] == ref["drop_last"]
    split = random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42))
    assert [list(s.indices) for s in split] == ref["split"]
    assert torch.rand(2).tolist() == ref["after"]      # the global generator moved alike


class _Pairs(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"x": torch.tensor([float(i), -float(i)]), "label": i, "name": f"s{i}"}


def test_default_collate_and_batching():
    batches = list(DataLoader(_Pairs(), batch_size=2))
    assert len(batches) == 3 and len(DataLoader(_Pairs(), batch_size=2)) == 3
    first = batches[0]
    assert first["x"].tolist() == [[0., -0.], [1., -1.]]
    assert first["label"].dtype == torch.int64 and first["label"].tolist() == [0, 1]
    assert first["name"] == ["s0", "s1"]
    assert default_collate([(1.5, 2), (2.5, 3)])[0].dtype == torch.float64
    assert isinstance(default_collate([OrderedDict(a=1)]), OrderedDict)
    x, y = torch.arange(10.).reshape(5, 2), torch.arange(5)
    xb, yb = next(iter(DataLoader(TensorDataset(x, y), batch_size=3)))
    assert xb.tolist() == [[0., 1.], [2., 3.], [4., 5.]] and yb.tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(x, shuffle=True, sampler=[0, 1])


def test_training_on_digits_gives_pytorchs_losses_and_accuracy():
    pytest.importorskip("sklearn")
    sys.path.insert(0, os.path.join(HERE, "..", "examples"))
    import train_digits
    ref = _reference()["digits"]
    history = train_digits.train(epochs=3, log=lambda line: None)
    for (loss, acc), (ref_loss, ref_acc) in zip(history, ref):
        assert loss == pytest.approx(ref_loss, rel=1e-4)
        assert acc == pytest.approx(ref_acc, abs=1e-6)


def test_a_small_cnn_on_digits_gives_pytorchs_losses_and_accuracy():
    """Conv2d, ReLU, MaxPool2d, Flatten, Linear: PyTorch's initial weights, so its numbers."""
    pytest.importorskip("sklearn")
    sys.path.insert(0, os.path.join(HERE, "..", "examples"))
    import train_digits
    history = train_digits.train(epochs=2, log=lambda line: None, model=train_digits.cnn)
    for (loss, acc), (ref_loss, ref_acc) in zip(history, _reference()["digits_cnn"]):
        assert loss == pytest.approx(ref_loss, rel=1e-4)
        assert acc == pytest.approx(ref_acc, abs=1e-6)


def test_worker_processes_give_pytorchs_batches_and_seeds():
    """num_workers 0, 2 and 3: the same batches in the same order, each worker's random
    numbers from its generator seeded base_seed + id (PyTorch's), iterable datasets sharded
    by get_worker_info(), and the main generator where PyTorch leaves it."""
    assert worker_program.run(torch) == _reference()["workers"]


class _Failing(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 2:
            raise KeyError("no sample 2")
        return torch.tensor([float(i)])


def _set_seen(worker_id):
    import random
    torch.utils.data.get_worker_info().dataset.seen = (worker_id, random.random())


def test_worker_errors_reach_the_main_process_and_workers_end():
    loader = DataLoader(_Failing(), batch_size=1, num_workers=2, timeout=20)
    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process 0"):
        list(loader)
    it = iter(DataLoader(_Failing(), batch_size=2, num_workers=2, worker_init_fn=_set_seen))
    assert next(it)[0].tolist() == [0.0]
    with pytest.raises(KeyError, match="no sample 2"):
        next(it)
    assert all(not w.is_alive() for w in it.workers)
    with pytest.raises(ValueError, match="prefetch_factor option could only be specified"):
        DataLoader(_Failing(), prefetch_factor=2)
