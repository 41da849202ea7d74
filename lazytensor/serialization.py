"""torch.save and torch.load in PyTorch's own file format, without PyTorch.

The format (PyTorch 1.6 and later): an uncompressed zip archive whose entries sit under one
folder (`<name>/`). `data.pkl` is a protocol-2 pickle of the saved object in which each tensor
is a call of `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
hooks)` and each storage a persistent id `('storage', torch.<Kind>Storage, key, location,
numel)`; the storage's bytes are the entry `data/<key>`, little-endian, aligned to 64 bytes
in the file. Beside them: `byteorder`, `version` (3), `.format_version`,
`.storage_alignment` and `.data/serialization_id`.

Saving writes the pickle itself (a small writer for the types a checkpoint holds: tensors,
parameters, dicts, OrderedDicts, lists, tuples, strings, numbers, None): pickle's own
Pickler would import `torch` to check the names it writes. Loading reads with an Unpickler
that maps PyTorch's names to lazytensor's; with `weights_only=True` (the default, as in
PyTorch 2.6 and later) it accepts only those names and a few plain builtins, so a file
cannot make load run anything else.
"""
import collections
import hashlib
import io
import os
import pickle
import struct
import zipfile

import numpy as np

from . import dtypes
from .device import device as Device
from .movement import check_view_bounds
from .size import Size
from .storage import Storage
from .tensor import Tensor

_STORAGE_NAMES = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
    "bfloat16": "BFloat16Storage", "int64": "LongStorage", "int32": "IntStorage",
    "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage",
    "bool": "BoolStorage", "complex64": "ComplexFloatStorage",
    "complex128": "ComplexDoubleStorage"}
_STORAGE_DTYPES = {name: getattr(dtypes, "bool_" if d == "bool" else d)
                   for d, name in _STORAGE_NAMES.items()}
_DTYPES = {d.name: d for d in dtypes.ALL + dtypes.COMPLEX}
_ALIGNMENT = 64


# -- saving ---------------------------------------------------------------------------------------
def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True):
    """Write obj (tensors, parameters, state dicts and containers of them, numbers, strings)
    to f (a path or a writable binary file) in PyTorch's format."""
    writer = _PickleWriter()
    data = writer.dump(obj)
    name = _archive_name(f)
    records = [("data.pkl", data), (".format_version", b"1"),
               (".storage_alignment", str(_ALIGNMENT).encode()), ("byteorder", b"little")]
    records += [(f"data/{key}", raw) for key, raw in writer.storages]
    records += [("version", b"3\n"),
                (".data/serialization_id", _serialization_id(data).encode())]
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as out:
            _write_zip(out, name, records)
    else:
        _write_zip(f, name, records)


def _archive_name(f):
    if isinstance(f, (str, os.PathLike)):
        stem = os.path.splitext(os.path.basename(os.fspath(f)))[0]
        return stem or "archive"
    return "archive"


def _serialization_id(data):
    """A 40-digit id, as PyTorch writes (it only has to differ between files)."""
    return str(int.from_bytes(hashlib.sha1(data).digest()[:16], "little")).rjust(40, "0")[:40]


def _write_zip(out, name, records):
    """Stored (uncompressed) entries, each one's data starting at a multiple of 64 bytes
    (padding in the local header's extra field, as PyTorch pads)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as z:
        for record, data in records:
            info = zipfile.ZipInfo(f"{name}/{record}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            start = z.fp.tell() + 30 + len(info.filename.encode()) + 4
            pad = -start % _ALIGNMENT
            info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
            z.writestr(info, data)


class _PickleWriter:
    """Protocol-2 pickle opcodes for the objects a checkpoint holds. Each storage is written
    once (tensors sharing memory share it, as views do in PyTorch's files)."""

    def __init__(self):
        self.out = io.BytesIO()
        self.storages = []              # (key, bytes)
        self.keys = {}                  # id(storage) -> key

    def dump(self, obj):
        self.out.write(b"\x80\x02")
        self.write(obj)
        self.out.write(b".")
        return self.out.getvalue()

    def write(self, obj):
        w = self.out.write
        if obj is None:
            w(b"N")
        elif obj is True or obj is False:
            w(b"\x88" if obj else b"\x89")
        elif isinstance(obj, Tensor):
            self.tensor(obj)
        elif isinstance(obj, (int, np.integer)):
            self.integer(int(obj))
        elif isinstance(obj, (float, np.floating)):
            w(b"G" + struct.pack(">d", float(obj)))
        elif type(obj) is str:
            raw = obj.encode("utf-8", "surrogatepass")
            w(b"X" + struct.pack("<I", len(raw)) + raw)
        elif isinstance(obj, (dtypes.dtype, Device)):
            self.global_("torch", obj.name) if isinstance(obj, dtypes.dtype) else \
                self.device(obj)
        elif isinstance(obj, Size):
            self.global_("torch", "Size")
            self.tuple_(tuple(obj))
            w(b"\x85R")
        elif type(obj) is tuple:
            self.tuple_(obj)
        elif type(obj) is list:
            w(b"]")
            self.items(obj, b"e")
        elif isinstance(obj, collections.OrderedDict):
            self.global_("collections", "OrderedDict")
            w(b")R")
            self.items([x for kv in obj.items() for x in kv], b"u")
        elif isinstance(obj, dict):
            w(b"}")
            self.items([x for kv in obj.items() for x in kv], b"u")
        else:
            raise pickle.PicklingError(
                f"lazytensor.save writes tensors, parameters, dicts, lists, tuples, strings, "
                f"numbers and None; got {type(obj).__name__}")

    def items(self, values, op):
        if values:
            self.out.write(b"(")
            for v in values:
                self.write(v)
            self.out.write(op)

    def tuple_(self, obj):
        self.out.write(b"(")
        for v in obj:
            self.write(v)
        self.out.write(b"t")

    def integer(self, n):
        w = self.out.write
        if 0 <= n < 256:
            w(b"K" + bytes([n]))
        elif 0 <= n < 65536:
            w(b"M" + struct.pack("<H", n))
        elif -2**31 <= n < 2**31:
            w(b"J" + struct.pack("<i", n))
        else:
            raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
            w(b"\x8a" + bytes([len(raw)]) + raw)

    def global_(self, module, name):
        self.out.write(b"c" + f"{module}\n{name}\n".encode())

    def device(self, d):
        self.global_("torch", "device")
        self.tuple_((str(d),))
        self.out.write(b"R")

    def tensor(self, t):
        from .nn.parameter import Parameter
        if isinstance(t, Parameter):
            self.global_("torch._utils", "_rebuild_parameter")
            self.out.write(b"(")
            self.plain_tensor(t, False)
            self.write(bool(t.requires_grad))
            self.global_("collections", "OrderedDict")
            self.out.write(b")Rt")
            self.out.write(b"R")
            return
        self.plain_tensor(t, t.requires_grad)

    def plain_tensor(self, t, requires_grad):
        st = t._storage
        if t.dtype.name not in _STORAGE_NAMES:
            raise pickle.PicklingError(f"lazytensor.save cannot write {t.dtype} tensors")
        key = self.keys.get(id(st))
        if key is None:
            key = self.keys[id(st)] = str(len(self.keys))
            self.storages.append((key, _storage_bytes(t)))
        location = "cpu" if st.device.type == "cpu" else f"cuda:{st.device.index or 0}"
        self.global_("torch._utils", "_rebuild_tensor_v2")
        self.out.write(b"((")
        self.write("storage")
        self.global_("torch", _STORAGE_NAMES[t.dtype.name])
        self.write(key)
        self.write(location)
        self.write(st.numel)
        self.out.write(b"tQ")
        self.write(t._offset)
        self.tuple_(t._shape)
        self.tuple_(t._strides)
        self.write(bool(requires_grad))
        self.global_("collections", "OrderedDict")
        self.out.write(b")Rt")
        self.out.write(b"R")


def _storage_bytes(t):
    """The whole storage's values, little-endian (bfloat16 as its 16-bit patterns)."""
    st = t._storage
    whole = Tensor._make(st, (st.numel,), (1,), 0)
    if st.device.type != "cpu":
        whole = whole.cpu()
    flat = whole._storage.realize().array[:st.numel]
    return np.ascontiguousarray(flat).astype(flat.dtype.newbyteorder("<"), copy=False).tobytes()


# -- loading --------------------------------------------------------------------------------------
_WEIGHTS_ONLY = {
    ("collections", "OrderedDict"), ("torch._utils", "_rebuild_tensor_v2"),
    ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"),
    ("torch", "Size"), ("torch", "device"), ("builtins", "set"), ("builtins", "frozenset"),
    ("builtins", "complex"), ("builtins", "slice"), ("builtins", "bytearray"),
    ("_codecs", "encode")}


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Read what save (or PyTorch's torch.save) wrote, from a path or a readable binary
    file. weights_only (default True): only tensors, containers, numbers and strings are
    accepted. map_location: a device, a device string, or a dict mapping saved locations
    ('cuda:0') to devices."""
    weights_only = True if weights_only is None else bool(weights_only)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as src:
            return _load(io.BytesIO(src.read()), map_location, weights_only)
    return _load(f, map_location, weights_only)


def _load(src, map_location, weights_only):
    if not zipfile.is_zipfile(src):
        raise RuntimeError("lazytensor.load reads PyTorch's zip format (torch.save since "
                           "PyTorch 1.6); this file is in another format")
    src.seek(0)
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        pkl = next((n for n in names if n.endswith("/data.pkl") and n.count("/") == 1), None)
        if pkl is None:
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not "
                               "found")
        prefix = pkl[:-len("data.pkl")]
        order = z.read(prefix + "byteorder").decode() if prefix + "byteorder" in names \
            else "little"
        reader = _Unpickler(io.BytesIO(z.read(pkl)), z, prefix, order, map_location,
                            weights_only)
        return reader.load()


class _Unpickler(pickle.Unpickler):
    def __init__(self, data, zf, prefix, byteorder, map_location, weights_only):
        super().__init__(data, encoding="utf-8")
        self.zf, self.prefix, self.byteorder = zf, prefix, byteorder
        self.map_location, self.weights_only = map_location, weights_only
        self.loaded = {}

    def find_class(self, module, name):
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageKind(name)
        if module == "torch" and name in _DTYPES:
            return _DTYPES[name]
        if (module, name) in _WEIGHTS_ONLY:
            return _NAMES.get((module, name)) or super().find_class(module, name)
        if self.weights_only:
            raise pickle.UnpicklingError(
                f"Weights only load failed. In PyTorch 2.6, we changed the default value of "
                f"the `weights_only` argument in `torch.load` from `False` to `True`. "
                f"Unsupported global: GLOBAL {module}.{name} was not an allowed global by "
                f"default. Load with weights_only=False only if you trust the source of the "
                f"file.")
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        _, kind, key, location, numel = pid
        if not isinstance(kind, _StorageKind):
            raise pickle.UnpicklingError(f"unsupported storage type {kind!r}")
        found = self.loaded.get(key)
        if found is None:
            dtype = _STORAGE_DTYPES[kind.name]
            np_dtype = np.dtype(dtype.np_storage).newbyteorder(
                "<" if self.byteorder == "little" else ">")
            raw = self.zf.read(f"{self.prefix}data/{key}")
            flat = np.frombuffer(raw, dtype=np_dtype, count=numel).astype(dtype.np_storage)
            found = self.loaded[key] = Storage.from_array(
                flat, dtype, self._device(flat, dtype, location))
        return found

    def _device(self, flat, dtype, location):
        where = self.map_location
        if isinstance(where, dict):
            where = where.get(location, location)
        elif callable(where) and not isinstance(where, (str, Device)):
            moved = where(Tensor._from_array(flat, dtype), location)
            where = moved.device if isinstance(moved, Tensor) else location
        return Device(where if where is not None else location)


class _StorageKind:
    """torch.FloatStorage and its kin, as a file names them."""
    def __init__(self, name):
        self.name = name


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None,
                       metadata=None):
    _check_view(storage, offset, size, stride)
    t = Tensor._make(storage, tuple(size), tuple(stride), offset)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _check_view(storage, offset, size, stride):
    """A file's view must lie inside its storage (a damaged or hostile file must not make a
    tensor that reads outside its memory): as_strided's checks."""
    if not isinstance(storage, Storage):
        raise pickle.UnpicklingError("a tensor in this file has no storage")
    if not all(type(v) is int for v in (offset, *size, *stride)):
        raise RuntimeError(f"invalid tensor in file: size {tuple(size)}, stride "
                           f"{tuple(stride)}, offset {offset}")
    check_view_bounds(storage.numel, storage.dtype.itemsize, tuple(size), tuple(stride),
                      offset)


def _rebuild_parameter(data, requires_grad, hooks=None, state=None):
    from .nn.parameter import Parameter
    return Parameter(data, requires_grad)


_NAMES = {("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
          ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
          ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
          ("torch", "Size"): Size, ("torch", "device"): Device}
