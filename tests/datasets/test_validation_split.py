"""train_validation_split: sizes, disjointness, stratification, seeds, and refusals."""

from __future__ import annotations

import numpy as np
import pytest

from deltaprop.datasets import train_validation_split


@pytest.fixture
def labelled():
    # 100 samples, classes 0/1/2 in shares 50/30/20; row i of X is [i, i] so rows can be traced.
    y = np.repeat(np.arange(3), [50, 30, 20])
    X = np.column_stack([np.arange(100), np.arange(100)]).astype(float)
    return X, y


def test_parts_are_disjoint_and_cover_the_data(labelled):
    X, y = labelled
    X_train, y_train, X_val, y_val = train_validation_split(X, y, 0.2, seed=0)
    assert X_train.shape == (80, 2) and X_val.shape == (20, 2)
    ids = np.concatenate([X_train[:, 0], X_val[:, 0]]).astype(int)
    assert sorted(ids.tolist()) == list(range(100))
    np.testing.assert_array_equal(y_train, y[X_train[:, 0].astype(int)])  # rows stay with their labels
    np.testing.assert_array_equal(y_val, y[X_val[:, 0].astype(int)])


def test_stratified_keeps_each_class_share(labelled):
    X, y = labelled
    _, y_train, _, y_val = train_validation_split(X, y, 0.2, seed=3)
    assert np.bincount(y_val).tolist() == [10, 6, 4]
    assert np.bincount(y_train).tolist() == [40, 24, 16]


def test_seed_repeats_and_differs(labelled):
    X, y = labelled
    first = train_validation_split(X, y, seed=11)
    again = train_validation_split(X, y, seed=11)
    other = train_validation_split(X, y, seed=12)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[2], other[2])


def test_fraction_rounds_up_to_whole_samples(labelled):
    X, y = labelled
    _, _, X_val, _ = train_validation_split(X, y, 0.101, seed=0, stratify=False)
    assert len(X_val) == 11


def test_real_valued_targets_split_without_classes():
    X = np.arange(20.0).reshape(10, 2)
    Y = np.linspace(0, 1, 10).reshape(10, 1)
    X_train, Y_train, X_val, Y_val = train_validation_split(X, Y, 0.3, seed=0)
    assert X_train.shape == (7, 2) and Y_val.shape == (3, 1)
    np.testing.assert_array_equal(Y_val[:, 0], np.linspace(0, 1, 10)[(X_val[:, 0] / 2).astype(int)])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"validation_fraction": 0.0},
            ValueError,
            r"validation_fraction must be in \(0, 1\) \(exclusive\); got 0.0",
        ),
        (
            {"validation_fraction": 1},
            ValueError,
            r"validation_fraction must be in \(0, 1\) \(exclusive\); got 1",
        ),
        (
            {"validation_fraction": "0.1"},
            TypeError,
            r"validation_fraction must be a number in \(0, 1\); got '0.1'",
        ),
        (
            {"seed": -3},
            ValueError,
            r"seed must be an integer ≥ 0, a numpy\.random\.Generator or None; got -3",
        ),
    ],
)
def test_bad_arguments(labelled, kwargs, error, message):
    X, y = labelled
    with pytest.raises(error, match=message):
        train_validation_split(X, y, **kwargs)


def test_length_mismatch():
    with pytest.raises(ValueError, match=r"X has 5 \(shape \(5, 2\)\), y has 4 \(shape \(4,\)\)"):
        train_validation_split(np.zeros((5, 2)), np.zeros(4, int))


def test_a_class_with_one_sample_cannot_be_stratified():
    y = np.array([0, 0, 0, 1, 1, 1, 2])
    with pytest.raises(ValueError, match=r"cannot stratify: class 2 has only 1 sample; .*stratify=False"):
        train_validation_split(np.zeros((7, 1)), y, 0.5)
    X_train, _, X_val, _ = train_validation_split(np.zeros((7, 1)), y, 0.5, stratify=False, seed=0)
    assert len(X_train) + len(X_val) == 7


def test_too_few_validation_samples_for_the_classes(labelled):
    X, y = labelled
    with pytest.raises(
        ValueError, match=r"cannot stratify 3 classes with validation_fraction=0.01: .*1 sample"
    ):
        train_validation_split(X, y, 0.01)


def test_too_small_to_split():
    with pytest.raises(ValueError, match=r"cannot split 1 sample\(s\) with validation_fraction=0.5"):
        train_validation_split(np.zeros((1, 2)), np.zeros(1, int), 0.5)
