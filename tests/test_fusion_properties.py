"""Property test: random graphs of elementwise ops, views and reductions, fused however the
scheduler likes, give NumPy's values (float64, so rounding cannot hide an indexing bug)."""
import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

import lazytensor as lt
from lazytensor.storage import realize_all

UNARY = {"neg": (lambda t: -t, lambda a: -a), "abs": (lambda t: t.abs(), np.abs),
         "sin": (lambda t: t.sin(), np.sin), "exp": (lambda t: (t * 0.1).exp(),
                                                     lambda a: np.exp(a * 0.1))}
BINARY = {"add": (lambda x, y: x + y, np.add), "mul": (lambda x, y: x * y, np.multiply),
          "sub": (lambda x, y: x - y, np.subtract),
          "max": (lambda x, y: lt.maximum(x, y), np.maximum)}


@st.composite
def graphs(draw):
    """A list of steps building values from two (3, 4, 5) inputs; each step names its args."""
    shapes = [(3, 4, 5), (3, 4, 5)]
    steps = []
    for _ in range(draw(st.integers(2, 8))):
        i = draw(st.integers(0, len(shapes) - 1))
        shape = shapes[i]
        kind = draw(st.sampled_from(["unary", "binary", "view", "view", "reduce"]))
        if kind == "unary":
            steps.append(("unary", draw(st.sampled_from(sorted(UNARY))), i))
        elif kind == "binary":
            # a partner of the same shape, or one broadcast from fewer dims
            j = draw(st.integers(0, len(shapes) - 1))
            if shapes[j] != shape or not shape:
                steps.append(("unary", "neg", i))
            else:
                steps.append(("binary", draw(st.sampled_from(sorted(BINARY))), i, j))
        elif kind == "view" and shape:
            v = draw(st.sampled_from(["transpose", "slice", "unsqueeze", "flip", "bcast"]))
            if v == "transpose":
                shape = tuple(reversed(shape))
                steps.append(("transpose", i))
            elif v == "slice":
                d = draw(st.integers(0, len(shape) - 1))
                start, step = draw(st.integers(0, shape[d] - 1)), draw(st.integers(1, 2))
                shape = shape[:d] + (len(range(start, shape[d], step)),) + shape[d + 1:]
                steps.append(("slice", i, d, start, step))
            elif v == "unsqueeze":
                shape = (1,) + shape
                steps.append(("unsqueeze", i))
            elif v == "flip":
                steps.append(("flip", i, draw(st.integers(0, len(shape) - 1))))
            else:
                steps.append(("bcast", i))      # x + x[..., :1] (a stride-0 read)
        elif kind == "reduce" and shape:
            d = draw(st.integers(0, len(shape) - 1))
            keep = draw(st.booleans())
            op = draw(st.sampled_from(["sum", "amax", "mean"]))
            shape = shape[:d] + ((1,) if keep else ()) + shape[d + 1:]
            steps.append(("reduce", op, i, d, keep))
        else:
            steps.append(("unary", "abs", i))
        shapes.append(shape)
    return steps


def build(steps, x, y, module):
    vals = [x, y]
    for s in steps:
        kind = s[0]
        if kind == "unary":
            f = UNARY[s[1]][0 if module is lt else 1]
            vals.append(f(vals[s[2]]))
        elif kind == "binary":
            f = BINARY[s[1]][0 if module is lt else 1]
            vals.append(f(vals[s[2]], vals[s[3]]))
        elif kind == "transpose":
            v = vals[s[1]]
            vals.append(v.permute(*reversed(range(v.ndim))) if module is lt else v.transpose())
        elif kind == "slice":
            _, i, d, start, step = s
            vals.append(vals[i][(slice(None),) * d + (slice(start, None, step),)])
        elif kind == "unsqueeze":
            vals.append(vals[s[1]][None])
        elif kind == "flip":
            v = vals[s[1]]
            vals.append(v.flip(s[2]) if module is lt else np.flip(v, s[2]))
        elif kind == "bcast":
            v = vals[s[1]]
            vals.append(v + v[..., :1])
        else:
            _, op, i, d, keep = s
            v = vals[i]
            if module is lt:
                vals.append(getattr(v, op)(dim=d, keepdim=keep))
            else:
                vals.append(getattr(np, op)(v, axis=d, keepdims=keep))
    return vals


@settings(max_examples=50, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_match_numpy(steps):
    rng = np.random.default_rng(0)
    xn, yn = rng.standard_normal((3, 4, 5)), rng.standard_normal((3, 4, 5))
    want = build(steps, xn, yn, np)
    got = build(steps, lt.tensor(xn), lt.tensor(yn), lt)
    # the last value alone: the whole chain fuses as far as the scheduler allows ...
    np.testing.assert_allclose(np.asarray(got[-1]), want[-1], rtol=1e-12, atol=1e-12)
    # ... then every value (a fresh graph: the first realisation replaced nothing else)
    got = build(steps, lt.tensor(xn), lt.tensor(yn), lt)
    realize_all([t._storage for t in got])           # every value in one program
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-12, atol=1e-12)
