"""Storage: the memory that a tensor and all its views share, as a chain of versions.

`node` is the storage's newest version: a load of a realised buffer, or a pending graph.
Tensors (a view: shape, strides, offset) read the storage's newest version; a mutation sets
a new version (graph.assign) and every alias sees it, while nodes built earlier keep reading
the version they captured.

A storage whose memory NumPy also sees (from_numpy, .numpy()) is pinned to its buffer: its
new versions are realised at once and written into that same memory, after realising any
pending graph that still reads the old contents.
"""
import numpy as np

from . import graph
from .codegen import run


class Storage:
    __slots__ = ("node", "numel", "dtype", "device", "pinned", "__weakref__")

    def __init__(self, node, device, pinned=None):
        self.numel = graph.prod(node.shape)
        self.dtype = node.dtype
        self.device = device
        self.pinned = pinned
        self.node = node
        self._track(node)

    @classmethod
    def from_array(cls, flat, dtype, device, share=False):
        """A realised storage over the flat array `flat` (kept, not copied, when share)."""
        buf = graph.Buffer(flat, dtype, str(device))
        return cls(graph.load(buf), device, pinned=buf if share else None)

    def _track(self, node):
        for b in node.buffers:
            if isinstance(b, graph.Buffer) and b.readers is not None and node.op != "load":
                b.readers.add(self)

    @property
    def realized(self):
        return self.node.op == "load"

    def set(self, node):
        """Make `node` (same dtype and element count) the storage's newest version."""
        self.node = node
        self._track(node)
        if self.pinned is not None:
            self.realize()

    def realize(self):
        if self.node.op == "load" and (self.pinned is None or self.node.arg is self.pinned):
            return self.node.arg
        if self.pinned is not None:
            _realize_readers_of(self.pinned, self)
        (flat,) = run.realize([self.node])
        if self.pinned is not None:
            if flat is not self.pinned.array:
                np.copyto(self.pinned.array, flat)
            buf = self.pinned
        else:
            buf = graph.Buffer(flat, self.dtype, str(self.device))
        self.node = graph.load(buf)
        return buf

    def pin(self):
        """Keep this storage's memory for good (NumPy shares it from now on)."""
        buf = self.realize()
        self.pinned = buf
        return buf


def _realize_readers_of(buf, writer):
    """Before `buf` is overwritten, give every pending reader of its contents its own values."""
    for reader in list(buf.readers):
        if reader is not writer and reader.node.op != "load" and buf in reader.node.buffers:
            reader.realize()
    buf.readers.clear()
