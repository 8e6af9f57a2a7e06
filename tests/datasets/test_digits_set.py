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


def test_fixed_split_is_the_first_1437_and_the_last_360():
    X, y = load_digits("all")
    X_train, y_train = load_digits("train")
    X_test, y_test = load_digits("test")
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    np.testing.assert_array_equal(np.vstack([X_train, X_test]), X)
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), y)
    assert set(y_test.tolist()) == set(range(10))


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
