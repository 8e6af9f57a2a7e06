"""The NaN/inf check on large inputs, which goes through them in blocks of rows.

One bad value at the edges and in the middle of arrays larger than a block, in both dtypes
and both memory orders: the error names its first index and value; finite values near the
dtype's maximum (whose sums would overflow) are accepted.
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop._numeric import FINITE_CHECK_ROWS
from deltaprop._validation import check_finite

ROWS, COLS = FINITE_CHECK_ROWS + 600, 12  # more rows than one block


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [(0, 0), (ROWS - 1, COLS - 1), (FINITE_CHECK_ROWS + 17, 5)])
def test_one_bad_value_is_found_by_index(dtype, order, bad, where):
    X = np.asarray(np.random.default_rng(1).random((ROWS, COLS)), dtype=dtype, order=order)
    X[where] = bad
    expected = rf"X contains NaN or infinity \(first at index \({where[0]}, {where[1]}\): "
    with pytest.raises(ValueError, match=expected):
        check_finite(X, "X")


def test_the_first_bad_value_is_named_when_there_are_several():
    X = np.zeros((ROWS, COLS))
    X[FINITE_CHECK_ROWS + 40, 3] = np.inf
    X[200, 10] = np.nan
    with pytest.raises(ValueError, match=r"first at index \(200, 10\): nan"):
        check_finite(X, "X")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_finite_values_whose_sums_overflow_are_accepted(dtype):
    big = np.finfo(dtype).max
    X = np.full((ROWS, COLS), big / 2, dtype=dtype)  # every row sum is inf; every value finite
    X[::2] *= -1
    check_finite(X, "X")  # no error


def test_a_strided_view_is_checked_exactly():
    base = np.zeros((ROWS, 2 * COLS))
    base[10, 7] = np.nan  # in a column the view skips
    base[FINITE_CHECK_ROWS + 20, 8] = np.nan  # in one it keeps: column 4 of the view
    view = base[:, ::2]
    with pytest.raises(ValueError, match=rf"first at index \({FINITE_CHECK_ROWS + 20}, 4\)"):
        check_finite(view, "X")


def test_fit_refuses_a_large_training_set_with_one_nan_and_leaves_the_net_alone():
    rng = np.random.default_rng(2)
    X = rng.random((2000, 40))
    X[1234, 5] = np.nan
    y = rng.integers(0, 3, 2000)
    net = dp.Network([40, 8, 3], seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(ValueError, match=r"X contains NaN or infinity \(first at index \(1234, 5\): nan\)"):
        net.fit(X, y, epochs=1)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))
