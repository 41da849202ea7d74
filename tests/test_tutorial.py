"""examples/tensors_tutorial.py prints what PyTorch prints, cell by cell.

tests/data/tensors_tutorial.expected holds PyTorch 2.13's output for the same cells (run
with `import torch` on a CPU-only machine, module name written as ours; the one CUDA error
worded as a CUDA build of PyTorch words it). The random values in it are the ones printed in
the tutorial itself, which test_every_tutorial_tensor_line_is_printed checks against the
tutorial text. Cells that print torch.empty are compared on shape and layout only.
"""
import contextlib
import io
import os
import re

import pytest

from lazytensor.codegen import cuda_driver

HERE = os.path.dirname(__file__)
EXAMPLE = os.path.join(HERE, "..", "examples", "tensors_tutorial.py")
EXPECTED = os.path.join(HERE, "data", "tensors_tutorial.expected")
SPEC = os.path.join(HERE, "..", "..", "shared", "seed", "intro-to-pytorch-tensors.txt")
UNINITIALISED = {"1", "4"}   # cells printing torch.empty / torch.empty_like


def split_cells(text):
    parts = re.split(r"^# %% \[(\d+)\]\n", text, flags=re.M)
    return parts[0], dict(zip(parts[1::2], parts[2::2]))


@pytest.fixture(scope="module")
def outputs():
    """Each cell's output. A GPU, where there is one, is hidden from the cells (the driver
    reports no devices): the expected output is a CPU-only machine's."""
    prelude, cells = split_cells(open(EXAMPLE).read())
    ns = {"__name__": "__tutorial__"}
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cuda_driver, "device_count", lambda: 0)
        exec(compile(prelude, EXAMPLE, "exec"), ns)
        for number, code in cells.items():
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                exec(compile(code, f"{EXAMPLE} cell {number}", "exec"), ns)
            out[number] = buf.getvalue()
    return out


def expected_cells():
    return split_cells(open(EXPECTED).read())[1]


def layout(text):
    """Text with every number replaced by a placeholder: shape and nesting only (what
    uninitialised memory holds, and so its print format, is arbitrary)."""
    text = re.sub(r"-?(\d+\.?\d*(e[+-]\d+)?|inf|nan)", "N", text)
    return re.sub(r"\[ +", "[", re.sub(r" +", " ", text))


@pytest.mark.parametrize("number", sorted(expected_cells(), key=int))
def test_cell_prints_what_pytorch_prints(outputs, number):
    expect = expected_cells()[number]
    if number in UNINITIALISED:
        assert layout(outputs[number]) == layout(expect)
    else:
        assert outputs[number] == expect


def test_every_tutorial_tensor_line_is_printed(outputs):
    if not os.path.exists(SPEC):
        pytest.skip("tutorial text not available")
    printed = "".join(outputs.values())
    lines = [ln.strip() for ln in open(SPEC, encoding="utf-8")]
    wanted = [ln for ln in lines if ln.startswith("tensor(") and "e-" not in ln and
              "e+" not in ln and "0.3344" not in ln and "0.0024" not in ln]
    assert len(wanted) > 60
    missing = [ln for ln in wanted if ln not in printed]
    assert not missing
