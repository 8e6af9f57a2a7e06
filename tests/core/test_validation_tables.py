"""Tables whose columns mix numeric dtypes: ``np.asarray`` makes an array of Python objects of a
pandas DataFrame with float, bool and int columns (or nullable ``Int64`` ones), and the core took
any object array for strings ("X must hold numbers; got an array of dtype 'object' (0.63…,
True, 2, ...)"), where scikit-learn and DeltapropClassifier accept it. Every real number and bool
is now taken; strings, missing values and other objects are still refused by name."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop._numeric import as_numeric

pd = pytest.importorskip("pandas")

RNG = np.random.default_rng(0)
N = 12
MIXED = pd.DataFrame({"a": RNG.random(N), "b": RNG.random(N) > 0.5, "c": np.arange(N)})
LABELS = np.arange(N) % 2


def test_a_frame_of_float_bool_and_int_columns_trains_as_its_float64_values():
    assert np.asarray(MIXED).dtype == object  # what the core is given
    plain = MIXED.to_numpy(dtype=np.float64)
    nets = [dp.Network([3, 4, 2], seed=0) for _ in range(2)]
    nets[0].fit(MIXED, LABELS, epochs=2, batch_size=4, learning_rate=0.1, seed=0)
    nets[1].fit(plain, LABELS, epochs=2, batch_size=4, learning_rate=0.1, seed=0)
    for w, v in zip(nets[0].weights + nets[0].biases, nets[1].weights + nets[1].biases, strict=True):
        np.testing.assert_array_equal(w, v)
    np.testing.assert_array_equal(nets[0].predict(MIXED), nets[0].predict(plain))
    # the row of True, 7: as 1.0 and 7.0
    np.testing.assert_array_equal(as_numeric(MIXED, "X")[7], [MIXED.a[7], float(MIXED.b[7]), 7.0])


@pytest.mark.parametrize(
    ("columns", "dtype"),
    [
        ({"a": np.ones(3, np.float32), "b": [True, False, True]}, np.float32),  # the columns' common dtype
        ({"a": np.ones(3, np.float32), "c": pd.array([1, 2, 3], dtype="Int64")}, np.float64),
        ({"b": [True, False, True], "c": pd.array([1, 2, 3], dtype="Int64")}, np.int64),
        ({"b": pd.array([True, False, True], dtype="boolean"), "a": [0.5, 1.5, 2.5]}, np.float64),
    ],
)
def test_numeric_columns_become_their_common_dtype(columns, dtype):
    frame = pd.DataFrame(columns)
    values = as_numeric(frame, "X")
    assert values.dtype == dtype
    np.testing.assert_array_equal(values, frame.to_numpy(dtype=np.float64))


def test_object_arrays_of_numbers_and_bools_are_float64():
    objects = np.array([[1, 2.5, True], [np.float32(0.5), np.int8(3), np.bool_(False)]], dtype=object)
    values = as_numeric(objects, "X")
    assert values.dtype == np.float64
    np.testing.assert_array_equal(values, [[1.0, 2.5, 1.0], [0.5, 3.0, 0.0]])


@pytest.mark.parametrize(
    ("X", "where"),
    [
        (pd.DataFrame({"a": [0.5, 1.5, 2.5], "c": pd.array([1, None, 3], dtype="Int64")}), "(1, 1): <NA>"),
        (pd.DataFrame({"c": pd.array([1, 2, None], dtype="Int64"), "b": [True] * 3}), "(2, 0): <NA>"),
        (np.array([[0.5, 1.0], [None, 2.0], [1.0, 1.0]], dtype=object), "(1, 0): None"),
    ],
)
def test_missing_values_are_refused_as_nan_is(X, where):
    net = dp.Network([2, 3, 2], seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(ValueError, match="contains a missing value") as refused:
        net.fit(X, np.array([0, 1, 0]), epochs=1)
    assert f"X contains a missing value (first at index {where}); remove or impute those values" in str(
        refused.value
    )
    assert all(np.array_equal(w, v) for w, v in zip(net.weights, before))
    with pytest.raises(ValueError, match=r"X contains a missing value"):
        net.predict(X)


def test_strings_and_other_objects_are_still_refused_with_the_advice():
    words = pd.DataFrame({"a": [0.5, 1.5], "label": ["cat", "dog"]})
    with pytest.raises(TypeError, match=r"X must hold numbers; got an array of dtype 'object' \(0.5, 'cat'"):
        dp.Network([2, 2], seed=0).predict(words)
    with pytest.raises(TypeError, match=r"np.unique\(y, return_inverse=True\)"):
        as_numeric(np.array([1, "dog"], dtype=object), "y", labels=True)
    with pytest.raises(TypeError, match="Convert strings or objects to numbers first"):
        as_numeric(np.array([1.0, 1j], dtype=object), "X")
