"""Views and in-place mutation: PyTorch's aliasing semantics, scenario by scenario.

Expected values are what eager PyTorch (and NumPy, whose basic indexing has the same view
semantics) gives for the same sequence of operations."""
import numpy as np
import pytest

import lazytensor as lt


def program_source(t):
    return "\n".join(k.source for k in lt.explain(t).kernels)


def test_swap_two_slices_through_clones():
    x = lt.arange(6).float().realize()
    a, b = x[:3].clone(), x[3:].clone()
    x[:3] = b
    x[3:] = a
    assert x.tolist() == [3.0, 4.0, 5.0, 0.0, 1.0, 2.0]
    assert a.tolist() == [0.0, 1.0, 2.0] and b.tolist() == [3.0, 4.0, 5.0]


def test_read_between_two_writes_keeps_the_version_it_read():
    x = lt.arange(4).float().realize()
    x[0] = 10
    snapshot = x * 1
    x[1] = 20
    assert snapshot.tolist() == [10.0, 1.0, 2.0, 3.0]
    assert x.tolist() == [10.0, 20.0, 2.0, 3.0]


def test_read_between_two_writes_unrealised_base():
    x = lt.arange(4).float()               # never realised before the writes
    x[0] = 10
    mid = x + 0
    x[1] = 20
    x.add_(1)
    assert x.tolist() == [11.0, 21.0, 3.0, 4.0]
    assert mid.tolist() == [10.0, 1.0, 2.0, 3.0]


def test_write_into_a_view_of_an_unrealised_result():
    a = lt.ones(2, 3)
    b = a * 2                               # pending
    row = b[1]
    row[1:] = 7
    assert b.tolist() == [[2.0, 2.0, 2.0], [2.0, 7.0, 7.0]]
    assert a.tolist() == [[1.0] * 3] * 2


def test_write_through_a_transposed_view():
    x = lt.arange(6).reshape(2, 3).float().realize()
    xt = x.t()
    xt[0] = 9
    xt[2, 1] = -1
    expect = np.arange(6, dtype=np.float32).reshape(2, 3)
    expect.T[0] = 9
    expect.T[2, 1] = -1
    np.testing.assert_array_equal(x.numpy(), expect)
    np.testing.assert_array_equal(xt.numpy(), expect.T)


def test_every_alias_sees_a_write_and_earlier_results_do_not():
    x = lt.zeros(3, 4).realize()
    v1, v2, flat = x[1], x[:, 2], x.view(-1)
    before = x.sum()
    v1.add_(1)
    flat[0] = 5
    assert v2.tolist() == [0.0, 1.0, 0.0]
    assert x[0, 0].item() == 5.0 and x[1].tolist() == [1.0] * 4
    assert before.item() == 0.0


def test_overlapping_slice_assignment_is_refused():
    x = lt.arange(5).float()
    with pytest.raises(RuntimeError, match="some elements of the input tensor and the "
                                           "written-to tensor refer to a single memory location"):
        x[1:] = x[:-1]
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    x[1:] = x[:-1].clone()
    assert x.tolist() == [0.0, 0.0, 1.0, 2.0, 3.0]


def test_write_into_expanded_view_is_refused():
    x = lt.zeros(3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor "
                                           "refers to a single memory location"):
        x.add_(1)


def test_inplace_cannot_broadcast_the_destination_or_narrow_the_dtype():
    x = lt.zeros(3)
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the "
                                           r"broadcast shape \[2, 3\]"):
        x.add_(lt.ones(2, 3))
    i = lt.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        i.add_(0.5)
    assert x.tolist() == [0.0] * 3 and i.tolist() == [1, 2]


def test_mutation_after_numpy_shows_in_the_array():
    t = lt.zeros(2, 2)
    n = t.numpy()
    t[1, 1] = 17
    t.add_(1)
    np.testing.assert_array_equal(n, [[1, 1], [1, 18]])


def test_numpy_write_after_from_numpy_shows_in_the_tensor_not_in_earlier_results():
    a = np.ones((2, 3))
    t = lt.from_numpy(a)
    doubled = t * 2
    a[1, 1] = 23
    assert t[1, 1].item() == 23.0
    assert doubled[1, 1].item() == 2.0
    assert t.dtype is lt.float64


def test_op_built_after_numpy_reads_the_values_of_that_moment():
    """A tensor read before .numpy() and read again after: the second op still takes the
    values as they are when it is built, not what NumPy writes later."""
    t = lt.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert (t * 1).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    n = t.numpy()
    later = t * 1
    n[0, 0] = 100
    assert later.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert t.tolist() == [[100.0, 2.0], [3.0, 4.0]]


def test_single_element_write_is_in_place_and_touches_one_element():
    x = lt.zeros(1_000_000).realize()
    address = x.data_ptr() if hasattr(x, "data_ptr") else x._storage.buffer.array.ctypes.data
    x[0] = 5
    src = program_source(x)
    assert "in place" in src and "1000000; i++) out[i]" not in src
    assert "for (" not in src.split("static void")[1].split("}")[0]   # no loop at all
    assert x[:2].tolist() == [5.0, 0.0]
    now = x.data_ptr() if hasattr(x, "data_ptr") else x._storage.buffer.array.ctypes.data
    assert now == address


def test_hundred_inplace_adds_are_one_fused_kernel():
    x = lt.zeros(1000).realize()
    for _ in range(100):
        x.add_(1)
    ex = lt.explain(x)
    assert len(ex.kernels) == 1 and "in place" in ex.kernels[0].write_note
    assert x[:3].tolist() == [100.0] * 3


def test_ten_thousand_chained_inplace_ops_realise():
    x = lt.zeros(8).realize()
    for _ in range(10_000):
        x.add_(1)
    assert x.tolist() == [10_000.0] * 8


def test_explain_shows_versions_and_copy_on_write_reason():
    x = lt.arange(4).float().realize()
    x[0] = 10
    reader = x * 1                         # needs the version with x[0] == 10
    x[1] = 20
    text = str(lt.explain(x))
    assert "assign" in text and ("in place" in text or "copy-on-write" in text)
    assert reader.tolist() == [10.0, 1.0, 2.0, 3.0]


def test_write_of_a_reduction_into_a_row_keeps_the_other_rows():
    z = lt.ones(4, 5).realize()
    y = lt.rand(5, 3)
    z[0] = y.sum(1)
    expect = np.ones((4, 5), np.float32)
    expect[0] = y.numpy().sum(1)
    np.testing.assert_allclose(z.numpy(), expect, rtol=1e-6)


def test_storage_pending_again_after_a_realisation_is_batched_once():
    """y is realised, then given pending versions again, while z reads x: writing x in place
    must realise y and z first, once each, with the values they were built from."""
    from lazytensor.storage import READS_OVERWRITTEN, _companions
    x = lt.arange(4).float().realize()
    y = (x + 1).realize()
    for _ in range(3):
        y.add_(x)                  # pending again; reads x's buffer
    z = x * 2
    readers = [s for s, why in _companions([x._storage])[0] if why == READS_OVERWRITTEN]
    assert len(readers) == len({id(r) for r in readers}) == 2
    x.mul_(10).realize()
    assert y.tolist() == [1.0, 5.0, 9.0, 13.0]
    assert z.tolist() == [0.0, 2.0, 4.0, 6.0]
    assert x.tolist() == [0.0, 10.0, 20.0, 30.0]
