"""Run with PyTorch (/work/torchref/bin/python tests/data/make_fft_reference.py): records
PyTorch's answers to tests/fft_cases.py in tests/data/fft_reference.npz."""
import os
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import fft_cases as cases  # noqa: E402

warnings.simplefilter("ignore")
env = {"torch": torch}
exec(cases.SETUP, env)
out = {}
for i, src in enumerate(getattr(cases, "PRINTS", [])):
    out[f"print_{i}"] = np.array(repr(eval(src, env)).replace("torch.", "lazytensor."))
for i, src in enumerate(cases.VALUES):
    v = eval(src, env)
    if isinstance(v, torch.Tensor):
        out[f"value_{i}"] = v.resolve_conj().resolve_neg().numpy()
        out[f"dtype_{i}"] = np.array(str(v.dtype).replace("torch.", ""))
    elif isinstance(v, torch.dtype):
        out[f"repr_{i}"] = np.array(str(v).replace("torch.", ""))
    else:
        out[f"repr_{i}"] = np.array(repr(v))
for i, src in enumerate(cases.ERRORS):
    try:
        eval(src, env)
    except Exception as e:      # noqa: BLE001 - the exception is what is recorded
        out[f"error_{i}"] = np.array([type(e).__name__, str(e)])
    else:
        raise SystemExit(f"no error from {src}")
np.savez(os.path.join(os.path.dirname(__file__), "fft_reference.npz"), **out)
print(len(out), "entries")
