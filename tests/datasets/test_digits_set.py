"""scikit-learn's 8x8 digits: scaled to [0, 1], int64 labels, and a fixed train/test split."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits as sk_load_digits

from deltaprop.datasets import load_digits


def test_all_digits_scaled_to_unit_range():
    X, y = load_digits()
    reference = sk_load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(X * 16, reference.data)
    np.testing.assert_array_equal(y, reference.target)


def test_fixed_split_is_a_stratified_partition_of_1437_and_360():
    X, y = load_digits("all")
    X_train, y_train = load_digits("train")
    X_test, y_test = load_digits("test")
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    # together the two splits are the whole set, each image exactly once
    together = np.vstack([X_train, X_test])
    order = np.lexsort(together.T[::-1])
    np.testing.assert_array_equal(together[order], X[np.lexsort(X.T[::-1])])
    # stratified: each digit is 20% of its class in the test split, to within one image
    test_counts, all_counts = np.bincount(y_test, minlength=10), np.bincount(y, minlength=10)
    assert np.all(np.abs(test_counts - 0.2 * all_counts) <= 1)
    # fixed: every call gives the same split
    np.testing.assert_array_equal(load_digits("test")[1], y_test)


def test_float32():
    X, _ = load_digits("test", dtype=np.float32)
    assert X.dtype == np.float32 and X.max() == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"split": "validation"},
            r"split must be one of \('all', 'train', 'test'\) for digits; got 'validation'",
        ),
        ({"dtype": "int8"}, r"dtype must be float32 or float64; got 'int8'"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_digits(**kwargs)
