"""torch.save / torch.load in PyTorch's file format (lazytensor/serialization.py).

tests/data/pytorch_checkpoint.pt was written by PyTorch 2.13's torch.save, and
pytorch_checkpoint_values.npz holds its tensors' values (tests/data/
make_checkpoint_reference.py)."""
import collections
import io
import os
import pickle
import pickletools
import struct
import zipfile

import numpy as np
import pytest

import lazytensor as torch

DATA = os.path.join(os.path.dirname(__file__), "data")
CHECKPOINT = os.path.join(DATA, "pytorch_checkpoint.pt")


def _at(obj, path):
    for part in path.strip("/").split("/"):
        obj = obj[int(part)] if isinstance(obj, (list, tuple)) or (
            isinstance(obj, dict) and part.isdigit() and int(part) in obj) else obj[part]
    return obj


def test_a_checkpoint_written_by_pytorch_loads_with_its_values_and_types():
    ck = torch.load(CHECKPOINT)
    expected = np.load(os.path.join(DATA, "pytorch_checkpoint_values.npz"))
    for path in expected.files:
        t = _at(ck, path)
        assert isinstance(t, torch.Tensor), path
        t = t.detach()
        values = t.float().numpy() if t.dtype == torch.bfloat16 else t.numpy()
        np.testing.assert_array_equal(values, expected[path], err_msg=path)
        assert values.dtype == expected[path].dtype, path
    assert isinstance(ck["model"], collections.OrderedDict)
    assert ck["model"]["1.num_batches_tracked"].dtype == torch.int64
    assert ck["brain"].dtype == torch.bfloat16 and ck["half"].dtype == torch.float16
    assert ck["epoch"] == 7 and ck["nested"][:4] == [1, 2.5, "three", (None, True)]
    assert ck["optimizer"]["param_groups"][0]["momentum"] == 0.9
    assert isinstance(ck["param"], torch.nn.Parameter) and ck["param"].requires_grad
    assert not ck["model"]["0.weight"].requires_grad
    # views keep their memory shared, as in PyTorch
    assert ck["view"].stride() == (3,) and ck["view"].storage_offset() == 2
    assert ck["transposed"].stride() == (1, 3)
    ck["base"][5] = -1.
    assert ck["view"].tolist() == [2., -1., 8.]


def test_a_model_restored_from_pytorchs_state_dict_computes_what_it_computed():
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4),
                                torch.nn.ReLU(), torch.nn.Linear(4, 2))
    state = torch.load(CHECKPOINT, map_location="cpu")["model"]
    model.load_state_dict(state)
    model.eval()
    x = np.array([[0.5, -1., 2.]], dtype=np.float32)
    w0, b0 = (state[k].numpy() for k in ("0.weight", "0.bias"))
    mean, var = state["1.running_mean"].numpy(), state["1.running_var"].numpy()
    g, b1 = state["1.weight"].numpy(), state["1.bias"].numpy()
    w3, b3 = state["3.weight"].numpy(), state["3.bias"].numpy()
    h = np.maximum((x @ w0.T + b0 - mean) / np.sqrt(var + 1e-5) * g + b1, 0)
    np.testing.assert_allclose(model(torch.tensor(x)).detach().numpy(), h @ w3.T + b3,
                               rtol=1e-5)


def test_save_then_load_gives_back_the_same_objects(tmp_path):
    base = torch.arange(10.)
    obj = {"weights": collections.OrderedDict(w=torch.ones(2, 3).t(), b=torch.zeros(2)),
           "view": base[2:8:2], "base": base, "param": torch.nn.Parameter(torch.ones(2)),
           "ints": torch.tensor([1, 2], dtype=torch.int32), "flags": torch.tensor([True]),
           "brain": torch.tensor([0.5], dtype=torch.bfloat16), "pending": base * 2,
           "numbers": [2**40, -5, 1.5, None, "s", (1, 2)], "dtype": torch.float64,
           "size": torch.ones(2, 3).shape, "device": torch.device("cpu")}
    path = tmp_path / "ck.pt"
    torch.save(obj, path)
    back = torch.load(path)
    assert list(back) == list(obj)
    assert isinstance(back["weights"], collections.OrderedDict)
    assert back["weights"]["w"].stride() == (1, 3)
    assert back["weights"]["w"].tolist() == [[1., 1.]] * 3
    assert back["view"].tolist() == [2., 4., 6.] and back["view"].storage_offset() == 2
    back["base"][4] = 40.
    assert back["view"].tolist() == [2., 40., 6.]
    assert back["pending"].tolist() == [2. * i for i in range(10)]
    assert isinstance(back["param"], torch.nn.Parameter) and back["param"].requires_grad
    assert back["ints"].dtype == torch.int32 and back["flags"].tolist() == [True]
    assert back["brain"].dtype == torch.bfloat16 and back["brain"].item() == 0.5
    assert back["numbers"] == obj["numbers"]
    assert back["dtype"] is torch.float64 and back["size"] == torch.Size([2, 3])
    assert back["device"] == torch.device("cpu")
    buf = io.BytesIO()
    torch.save(torch.tensor([3., 4.]), buf)
    buf.seek(0)
    assert torch.load(buf).tolist() == [3., 4.]


def test_the_file_is_laid_out_as_pytorchs(tmp_path):
    """The entries, alignment and pickled names of a PyTorch-written file."""
    path = tmp_path / "model.pt"
    torch.save({"w": torch.ones(3), "p": torch.nn.Parameter(torch.ones(1))}, path)
    ours, theirs = zipfile.ZipFile(path), zipfile.ZipFile(CHECKPOINT)
    names = [n.split("/", 1)[1] for n in ours.namelist()]
    assert ours.namelist()[0].startswith("model/")              # the file's stem, as PyTorch
    reference = {n.split("/", 1)[1] for n in theirs.namelist()}
    assert {n for n in names if not n.startswith("data/")} == \
        {n for n in reference if not n.startswith("data/")}
    raw = path.read_bytes()
    for info in ours.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:
                                                       info.header_offset + 30])
        assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0
    assert ours.read("model/version") == theirs.read(theirs.namelist()[0].split("/")[0] +
                                                     "/version")

    def globals_of(z, name):
        return {arg.replace(" ", ".") for op, arg, _ in pickletools.genops(z.read(name))
                if op.name == "GLOBAL"}
    theirs_globals = globals_of(theirs, theirs.namelist()[0].split("/")[0] + "/data.pkl")
    assert globals_of(ours, "model/data.pkl") <= theirs_globals


def _planted(payload):
    """A checkpoint whose pickle is payload."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", payload)
        z.writestr("archive/version", "3\n")
    buf.seek(0)
    return buf


def test_load_runs_nothing_a_file_names_unless_told_to(tmp_path):
    marker = tmp_path / "ran"
    evil = b"\x80\x02cos\nsystem\n(X" + struct.pack("<I", len(f"touch {marker}")) + \
        f"touch {marker}".encode() + b"tR."
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed.*os.system"):
        torch.load(_planted(evil))
    assert not marker.exists()
    counter = b"\x80\x02ccollections\nCounter\n)R."
    with pytest.raises(pickle.UnpicklingError, match="collections.Counter"):
        torch.load(_planted(counter))
    assert torch.load(_planted(counter), weights_only=False) == collections.Counter()


def test_a_view_outside_its_storage_is_refused():
    # _rebuild_tensor_v2(storage of 2 floats, offset 0, size (100,), stride (1,))
    pid = b"(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00" \
        b"\x00cpuK\x02tQ"
    payload = b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(" + pid + \
        b"K\x00(Kdt(K\x01t\x89ccollections\nOrderedDict\n)RtR."
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", payload)
        z.writestr("archive/data/0", np.ones(2, np.float32).tobytes())
    buf.seek(0)
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 8"):
        torch.load(buf)


def test_map_location_and_errors():
    ck = torch.load(CHECKPOINT, map_location={"cpu": "cpu"})
    assert ck["scalar"].device == torch.device("cpu")
    ck = torch.load(CHECKPOINT, map_location=lambda storage, location: storage)
    assert ck["scalar"].item() == 2.5
    with pytest.raises(RuntimeError, match="zip format"):
        torch.load(io.BytesIO(b"not a checkpoint"))
    with pytest.raises(pickle.PicklingError, match="got object"):
        torch.save(object(), io.BytesIO())
