"""The write API: copy_, fill_, zero_, masked_fill_, index_put_, the random fills, out=, and
the raw-memory views (data_ptr, untyped_storage, unfold), against NumPy and PyTorch's
documented behaviour."""
import math

import numpy as np
import pytest

import lazytensor as lt


def test_copy_broadcasts_and_casts_into_a_view():
    x = lt.zeros(2, 3)
    x[1].copy_(lt.tensor([1, 2, 3]))
    x[0].copy_(lt.tensor(5.5, dtype=lt.float64))
    assert x.tolist() == [[5.5, 5.5, 5.5], [1.0, 2.0, 3.0]]
    i = lt.zeros(2, dtype=lt.int32).copy_(lt.tensor([1.9, -1.9]))
    assert i.tolist() == [1, -1] and i.dtype is lt.int32
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size "
                                           r"of tensor b \(4\) at non-singleton dimension 1"):
        x.copy_(lt.ones(4))
    with pytest.raises(RuntimeError, match=r"output with shape \[2, 3\] doesn't match the "
                                           r"broadcast shape \[2, 2, 3\]"):
        x.copy_(lt.ones(2, 2, 3))
    assert x.tolist() == [[5.5, 5.5, 5.5], [1.0, 2.0, 3.0]]


def test_fill_zero_and_masked_fill():
    x = lt.arange(6).reshape(2, 3).float()
    x.t()[1].fill_(-1)
    assert x.tolist() == [[0, -1, 2], [3, -1, 5]]
    mask = lt.tensor([True, False, True])
    assert x.masked_fill(mask, 9).tolist() == [[9, -1, 9], [9, -1, 9]]
    assert x.tolist() == [[0, -1, 2], [3, -1, 5]]      # out of place left x alone
    x.masked_fill_(mask, lt.tensor(4.0))
    assert x.tolist() == [[4, -1, 4], [4, -1, 4]]
    x[0].zero_()
    assert x.tolist() == [[0, 0, 0], [4, -1, 4]]
    with pytest.raises(RuntimeError, match="fill_ only supports 0-dimension value tensor"):
        x.fill_(lt.ones(2))
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks"):
        x.masked_fill_(lt.tensor([1, 0, 1]), 0)


def test_index_put_sets_and_accumulates_like_numpy():
    x = lt.zeros(3, 3)
    rows, cols = lt.tensor([0, 2, 0]), lt.tensor([1, 2, 1])
    x.index_put_((rows, cols), lt.tensor([1.0, 2.0, 3.0]), accumulate=True)
    expect = np.zeros((3, 3), np.float32)
    np.add.at(expect, ([0, 2, 0], [1, 2, 1]), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x.numpy(), expect)
    y = x.index_put((lt.tensor([1]),), lt.tensor(7.0))
    assert y[1].tolist() == [7.0, 7.0, 7.0] and x[1].tolist() == [0.0, 0.0, 0.0]


def test_random_fills_draw_what_the_factories_draw():
    lt.manual_seed(1729)
    u = lt.empty(2, 3).uniform_()
    assert [round(v, 4) for v in u.view(-1).tolist()] == [0.3126, 0.3791, 0.3087,
                                                           0.0736, 0.4216, 0.0691]
    lt.manual_seed(5)
    a = lt.randn(20)
    lt.manual_seed(5)
    b = lt.zeros(20).normal_()
    assert a.tolist() == b.tolist()
    lt.manual_seed(3)
    r = lt.zeros(1000, dtype=lt.int64).random_(2, 5)
    assert set(r.tolist()) == {2, 3, 4}
    with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to'"):
        r.random_(5, 5)


def test_out_writes_into_the_given_object():
    c = lt.zeros(3)
    d = lt.add(lt.ones(3), 1, out=c)
    assert d is c and c.tolist() == [2.0, 2.0, 2.0]
    lt.sin(lt.zeros(3), out=c)
    assert c.tolist() == [0.0, 0.0, 0.0]
    s = lt.zeros(())
    lt.sum(lt.arange(4).float(), out=s)
    assert s.item() == 6.0
    values, indices = lt.zeros(2), lt.zeros(2, dtype=lt.int64)
    res = lt.max(lt.tensor([[1.0, 5.0], [7.0, 2.0]]), 1, out=(values, indices))
    assert res.values is values and values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    with pytest.warns(UserWarning, match="An output with one or more elements was resized"):
        lt.mul(lt.ones(2, 2), 3, out=c)
    assert c.shape == lt.Size([2, 2]) and c.tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_data_ptr_untyped_storage_and_unfold():
    x = lt.arange(12).reshape(3, 4)
    assert x[1].data_ptr() - x.data_ptr() == 4 * 8
    assert x.t().data_ptr() == x.data_ptr()
    assert x.untyped_storage().nbytes() == 12 * 8
    assert x[1:].untyped_storage().nbytes() == 12 * 8
    u = lt.arange(7).unfold(0, 3, 2)
    np.testing.assert_array_equal(u.numpy(), [[0, 1, 2], [2, 3, 4], [4, 5, 6]])
    assert u._base is not None and u.stride() == (2, 1)
    with pytest.raises(RuntimeError, match="maximum size for tensor at dimension 0 is 7 but "
                                           "size is 8"):
        lt.arange(7).unfold(0, 8, 1)


def test_fill_diagonal_as_pytorch_documents_it():
    a = lt.zeros(3, 3)
    assert a.fill_diagonal_(5.0) is a
    assert a.tolist() == [[5.0, 0.0, 0.0], [0.0, 5.0, 0.0], [0.0, 0.0, 5.0]]
    tall = [[5.0, 0.0, 0.0], [0.0, 5.0, 0.0], [0.0, 0.0, 5.0], [0.0, 0.0, 0.0]]
    assert lt.zeros(7, 3).fill_diagonal_(5.0).tolist() == tall + [[0.0] * 3] * 3
    assert lt.zeros(7, 3).fill_diagonal_(5.0, wrap=True).tolist() == tall + tall[:3]
    assert lt.zeros(2, 4, dtype=lt.int32).fill_diagonal_(2.7).tolist() == [[2, 0, 0, 0],
                                                                          [0, 2, 0, 0]]
    cube = lt.zeros(2, 2, 2).fill_diagonal_(1)
    assert cube.tolist() == [[[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]]]
    view = lt.zeros(4, 4)
    view[1:, 1:].fill_diagonal_(3)
    assert np.asarray(view).tolist() == np.diag([0.0, 3.0, 3.0, 3.0]).tolist()
    with pytest.raises(RuntimeError, match="dimensions must larger than 1"):
        lt.zeros(3).fill_diagonal_(1)
    with pytest.raises(RuntimeError, match="all dimensions of input must be of equal length"):
        lt.zeros(2, 3, 2).fill_diagonal_(1)


def test_index_fill_fills_slices_along_a_dim():
    a = lt.arange(6.0).reshape(2, 3)
    a.index_fill_(1, lt.tensor([0, 2]), -1)
    assert a.tolist() == [[-1.0, 1.0, -1.0], [-1.0, 4.0, -1.0]]
    b = lt.arange(6).reshape(2, 3)
    assert b.index_fill(0, lt.tensor([1]), 7.5).tolist() == [[0, 1, 2], [7, 7, 7]]
    assert b.tolist() == [[0, 1, 2], [3, 4, 5]]                 # out of place: b unchanged
    assert lt.index_fill(lt.zeros(3), 0, lt.tensor([-1]), 2).tolist() == [0.0, 0.0, 2.0]
    assert b.index_fill(1, lt.tensor([1, 1]), lt.tensor(9)).tolist() == [[0, 9, 2], [3, 9, 5]]
    assert lt.tensor(5.0).index_fill(0, lt.tensor([0]), 1).item() == 1.0


@pytest.mark.parametrize("call, error, message", [
    (lambda a: a.index_fill(1, lt.tensor([3]), 1), IndexError,
     "index 3 is out of bounds for dimension 1 with size 3"),
    (lambda a: a.index_fill(1, lt.tensor([0.0]), 1), IndexError,
     "index_fill_(): Expected dtype int64 for index."),
    (lambda a: a.index_fill(1, lt.tensor([[0]]), 1), RuntimeError,
     "Index has to be a vector/scalar"),
    (lambda a: a.index_fill(2, lt.tensor([0]), 1), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda a: a.index_fill(1, lt.tensor([1]), lt.tensor([4.0])), RuntimeError,
     "index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 "
     "dimension(s).")])
def test_index_fill_refusals(call, error, message):
    a = lt.arange(6.0).reshape(2, 3)
    with pytest.raises(error) as info:
        call(a)
    assert str(info.value) == message
    assert a.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_advanced_assignment_from_memory_it_overlaps_is_refused():
    """index_put_ refuses a value that shares memory with the tensor it writes (PyTorch's
    assert_no_overlap), before it looks at shapes; a 0-dim value through one mask is
    masked_fill_, which does not check."""
    a = lt.arange(6.0).reshape(2, 3)
    for value in (a, a[1], a[0, 1]):
        with pytest.raises(RuntimeError, match="^unsupported operation: some elements of the "
                                               "input tensor and the written-to tensor refer"):
            a[[0]] = value
    with pytest.raises(RuntimeError, match="unsupported operation: some elements"):
        a.index_put_((lt.tensor([1]),), a[0])
    assert a.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    a[a > 2] = a[0, 0]
    a[lt.tensor([0, 1])] = a[[1, 0]]                        # a[[1, 0]] is a copy
    assert a.tolist() == [[0.0, 0.0, 0.0], [0.0, 1.0, 2.0]]


def test_random_fills_of_integer_tensors_are_not_implemented():
    with pytest.raises(NotImplementedError, match='"check_uniform_bounds" not implemented for '
                                                  "'Long'"):
        lt.zeros(3, dtype=lt.int64).uniform_()
    with pytest.raises(NotImplementedError, match='"normal_kernel_cpu" not implemented for '
                                                  "'Int'"):
        lt.zeros(3, dtype=lt.int32).normal_()


def test_basic_assignment_checks_the_shape_before_overlap():
    """PyTorch broadcasts the value to the target (expand's error) before copy_ looks at
    overlapping memory; a broadcast value is not dense, so it is not checked for overlap."""
    a = lt.tensor([1e-10, 1.0])
    v = a.unsqueeze(1)
    with pytest.raises(RuntimeError, match=r"^The expanded size of the tensor \(1\) must match "
                                           r"the existing size \(2\) at non-singleton dimension "
                                           r"1\.  Target sizes: \[1, 1\]\.  Tensor sizes: \[2\]$"):
        v[1:] = a
    b = lt.arange(6.0)
    with pytest.raises(RuntimeError, match="^unsupported operation: some elements of the input "
                                           "tensor and the written-to tensor refer"):
        b[1:] = b[:-1]
    c = lt.arange(6.0).reshape(2, 3)
    c[1:] = c[0]
    assert c.tolist() == [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]]


def test_random_fills_of_a_view_follow_memory_order_as_pytorch():
    """PyTorch's fills visit a view's elements in memory order (smallest stride fastest), and
    normal_ of a view that is not contiguous draws one value at a time (its scalar path)."""
    lt.manual_seed(3)
    a = lt.zeros(4, 6)
    a.t().uniform_()
    lt.manual_seed(3)
    assert a.tolist() == lt.zeros(4, 6).uniform_().tolist()
    lt.manual_seed(3)
    b = lt.zeros(4, 10)
    b[:, ::2].normal_()
    lt.manual_seed(3)
    first = lt.zeros(4).normal_().tolist()           # under 16 values: the scalar path
    assert b[0, :8:2].tolist() == first
    assert [round(v, 4) for v in first] == [0.8033, 0.1748, 0.089, -0.6137]   # PyTorch 2.13
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        lt.zeros(3).expand(2, 3).normal_()


@pytest.mark.parametrize("dtype, low, high, message", [
    (lt.bool, 0, 10, "to - 1 is out of bounds for bool"),
    (lt.bool, -1, 2, "from is out of bounds for bool"),
    (lt.uint8, 0, 300, "to - 1 is out of bounds for unsigned char"),
    (lt.int16, -2 ** 40, 0, "from is out of bounds for short int"),
    (lt.float16, 0, 2 ** 25, "to - 1 is out of bounds for c10::Half")])
def test_random_bounds_must_fit_the_dtype(dtype, low, high, message):
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        lt.zeros(3, dtype=dtype).random_(low, high)


def test_random_beyond_a_floats_integers_warns():
    with pytest.warns(UserWarning, match=r"to - 1 is out of bounds \[-\(2\^24\), 2\^24\]. Due "
                                         r"to precision limitations float can support"):
        lt.zeros(3).random_(0, 2 ** 25)


def test_assignment_into_an_expanded_view_is_refused():
    a = lt.zeros(2, 3)
    b = a.expand(2, 2, 3)
    for value in (1.0, lt.ones(3)):
        with pytest.raises(RuntimeError, match="^unsupported operation: more than one element "
                                               "of the written-to tensor"):
            b[:, 0] = value
    b[0, 1] = 5                                  # one row of a: no element written twice
    assert a.tolist() == [[0.0, 0.0, 0.0], [5.0, 5.0, 5.0]]


def test_clamp_in_place_names_c_types_for_scalar_bounds():
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired "
                                           "output type long int$"):
        lt.zeros(3, dtype=lt.int64).clamp_(0, 0.5)
    with pytest.raises(RuntimeError, match="desired output type Long$"):
        lt.zeros(3, dtype=lt.int64).clamp_(lt.tensor(0.5))


def test_writes_pytorch_allows_into_expanded_views():
    """fill_ with a number may fill an expanded view; masked_fill_, index_fill_ and index_put_
    warn (PyTorch's deprecation) and write; copy_ and arithmetic refuse."""
    a = lt.zeros(3)
    a.expand(2, 3).fill_(2)
    assert a.tolist() == [2.0, 2.0, 2.0]
    with pytest.warns(UserWarning, match=r"^Use of masked_fill_ on expanded tensors is "
                                         r"deprecated. Please clone\(\) the tensor"):
        a.expand(2, 3).masked_fill_(lt.tensor([True, False, True]), 5)
    with pytest.warns(UserWarning, match="^Use of index_fill_ on expanded tensors"):
        a.expand(2, 3).index_fill_(1, lt.tensor([1]), 7)
    with pytest.warns(UserWarning, match=r"^Use of index_put_ on expanded tensors .* e\.g\. "
                                         r"tensor\[indices\] = tensor$"):
        a.expand(2, 3)[lt.tensor([0])] = 4.0
    assert a.tolist() == [4.0, 4.0, 4.0]
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        a.expand(2, 3).add_(1)


def test_one_element_half_fills_saturate_like_pytorch():
    """PyTorch converts the value of a one-element float16/bfloat16 fill unchecked (to inf);
    larger fills check it."""
    h = lt.zeros(3, dtype=lt.float16)
    h[0] = 70000.0
    assert h.tolist() == [math.inf, 0.0, 0.0]
    assert lt.full((1,), 1e39, dtype=lt.bfloat16).item() == math.inf
    with pytest.raises(RuntimeError, match="^value cannot be converted to type c10::Half "
                                           "without overflow$"):
        lt.full((2,), 70000.0, dtype=lt.float16)


def test_assigned_numbers_convert_first_as_pytorchs_setitem():
    """x[i] = number converts the number to x's dtype before looking at the index: NaN into
    integers fails first; into float16 a value past its range becomes inf, however many
    elements it fills."""
    with pytest.raises(RuntimeError, match="^value cannot be converted to type int64_t "
                                           "without overflow$"):
        lt.tensor(3)[:, 0] = math.nan
    h = lt.zeros(3, dtype=lt.float16)
    h[0:2] = 70000.0
    assert h.tolist() == [math.inf, math.inf, 0.0]


def test_real_is_the_tensor_itself():
    a = lt.zeros(4)
    assert a.real is a                 # so an in-place reshape of one is seen by the other
    a.unsqueeze_(0)
    assert a.real.shape == (1, 4)


def test_bernoulli_and_exponential_draw_pytorchs_numbers():
    """As PyTorch 2.13's CPU kernels draw them on this machine (values printed by it):
    bernoulli_(p) is a double uniform below p, a float tensor of probabilities a float
    uniform below each, exponential_ -log1p(-u) / lambd of a double uniform."""
    lt.manual_seed(0)
    assert lt.zeros(6, dtype=lt.int32).bernoulli_(0.5).tolist() == [0, 0, 1, 0, 0, 0]
    lt.manual_seed(0)
    assert lt.bernoulli(lt.tensor([0.2, 0.5, 0.9, 0.1, 0.7])).tolist() == [0, 0, 1, 0, 1]
    lt.manual_seed(0)
    a = lt.zeros(4, 5)
    a.t().bernoulli_(0.5)
    assert a.tolist() == [[0, 0, 1, 0, 0], [0, 1, 1, 0, 1], [1, 1, 1, 0, 1], [1, 1, 1, 0, 0]]
    lt.manual_seed(0)
    assert lt.zeros(3, dtype=lt.float64).exponential_().tolist() == \
        [3.508326186707642, 1.2303847641796768, 0.6150440938940115]
    with pytest.raises(RuntimeError, match=r"^bernoulli_ expects p to be in \[0, 1\], but got "
                                           r"p=1.5$"):
        lt.zeros(2).bernoulli_(1.5)
    with pytest.raises(RuntimeError, match="^Exponential distribution is a continuous "
                                           "probability distribution. dtype must be a floating "
                                           "point but you specified Long$"):
        lt.zeros(2, dtype=lt.int64).exponential_()
    with pytest.raises(RuntimeError, match=r"^exponential_ expects lambda > 0.0"):
        lt.zeros(2).exponential_(0)


def test_a_failed_realisation_changes_nothing_and_raises_once():
    """Issue 16 items 3 and 6: an integer division by zero is found when the program runs.
    The tensors it does not concern come out as PyTorch leaves them (where the division
    raised at its call), the invalid value raises each time it is read, and a tensor whose
    own update was invalid returns to its last computed value after raising once."""
    a = lt.tensor([4, 6])
    a.tolist()
    q = a // lt.tensor([0, 2])
    a.add_(1)
    for _ in range(3):                          # the add is applied once, however many reads
        assert a.tolist() == [5, 7]
    for _ in range(2):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            q.tolist()
    del q
    assert a.tolist() == [5, 7]
    b = lt.tensor([4, 6])
    b.tolist()
    b //= lt.zeros(2, dtype=lt.int64)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        b.tolist()
    assert b.tolist() == [4, 6]                 # as PyTorch leaves it: the division never ran
    b[0] = 9
    b.mul_(10)
    assert b.tolist() == [90, 60]
    c = lt.tensor([4, 6])
    c.tolist()
    bad = c // lt.tensor([0, 1])                # noqa: F841 - held, pending, invalid
    c.mul_(10)                                  # an unrelated update still reads fine
    assert c.tolist() == [40, 60]


def test_writes_and_calls_pytorch_allows_or_refuses():
    """Issue 16 item 9, against PyTorch 2.13."""
    e = lt.zeros(1).expand(3)
    assert e.copy_(e).tolist() == [0., 0., 0.]          # a copy into itself does nothing
    empty = lt.zeros(1, 0).expand(3, 0)                 # no element, so none repeated
    assert empty.sub_(1).shape == (3, 0)
    both = lt.add(lt.tensor([True, False]), lt.tensor([True, True]), alpha=2)
    assert both.dtype is lt.bool and both.tolist() == [True, True]
    none = lt.add(lt.tensor([True, False]), lt.tensor([True, True]), alpha=0)
    assert none.tolist() == [True, False]
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range "
                                         r"of \[-1, 0\], but got 1\)"):
        lt.tensor(1.).squeeze(1)
    assert lt.tensor(1.).squeeze(0).shape == ()
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e[:] = -4.0
