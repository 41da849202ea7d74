"""Gradients by central differences in float64, the reference the gradient tests compare
autograd's with (shared by test_gradients.py and test_more_gradients.py)."""
import numpy as np

import lazytensor as torch

H = 1e-6


def flat(out):
    """One tensor of an op's results (several results: their elements, concatenated)."""
    if isinstance(out, tuple):
        return torch.cat([o.reshape(-1) for o in out])
    return out


def numeric(f, arrays, w):
    """d/d(each element) of sum(w * f(*arrays)), by central differences."""
    out = []
    for i, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            vals = []
            for shift in (H, -H):
                moved = [b.copy() for b in arrays]
                moved[i][idx] += shift
                y = flat(f(*[torch.tensor(b, dtype=torch.float64) for b in moved]))
                vals.append((np.array(y.tolist()) * w).sum())
            g[idx] = (vals[0] - vals[1]) / (2 * H)
        out.append(g)
    return out
