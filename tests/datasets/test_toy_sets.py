"""XOR and the 2-D toy sets: shapes, types, seeds, and the geometry each promises."""

from __future__ import annotations

import numpy as np
import pytest

from deltaprop.datasets import make_blobs, make_circles, make_moons, make_spiral, xor

GENERATORS = [make_moons, make_circles, make_spiral, make_blobs]


def test_xor_is_the_truth_table():
    X, y = xor()
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == [int(a) ^ int(b) for a, b in X]
    X[0, 0] = 5.0  # callers get copies
    assert xor()[0][0, 0] == 0.0


@pytest.mark.parametrize("make", GENERATORS)
def test_shapes_types_and_labels(make):
    X, y = make(101, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    assert set(y.tolist()) == {0, 1}
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", GENERATORS)
def test_seeded_runs_repeat_and_different_seeds_differ(make):
    X1, y1 = make(50, noise=0.1, seed=7)
    X2, y2 = make(50, noise=0.1, seed=7)
    X3, _ = make(50, noise=0.1, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    X4, _ = make(50, noise=0.1, seed=np.random.default_rng(7))  # a Generator is accepted too
    assert X4.shape == (50, 2)


def test_moons_without_noise_lie_on_their_unit_half_circles():
    X, y = make_moons(200, noise=0.0, seed=0)
    upper = X[y == 0]  # centred at (0, 0), y ≥ 0
    lower = X[y == 1]  # centred at (1, 0.5), y ≤ 0.5
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 0.5 + 1e-12).all()


def test_circles_without_noise_have_radius_one_and_factor():
    X, y = make_circles(100, noise=0.0, factor=0.3, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0, atol=1e-12)
    np.testing.assert_allclose(radius[y == 1], 0.3, atol=1e-12)


def test_blobs_centre_on_the_circle():
    X, y = make_blobs(4000, noise=0.2, n_classes=4, seed=0)
    assert set(y.tolist()) == {0, 1, 2, 3}
    for k in range(4):
        angle = 2 * np.pi * k / 4 + np.pi / 4
        centre = 2.5 * np.array([np.cos(angle), np.sin(angle)])
        np.testing.assert_allclose(X[y == k].mean(axis=0), centre, atol=0.05)
        np.testing.assert_allclose(X[y == k].std(axis=0), 0.2, atol=0.02)


def test_spiral_points_follow_their_arm():
    turns = 1.75
    X, y = make_spiral(99, noise=0.0, n_classes=3, turns=turns, seed=0)
    assert np.bincount(y).tolist() == [33, 33, 33]
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() == 0.0 and np.isclose(r.max(), 1.0)
    theta = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * turns * r + 2 * np.pi * y / 3
    gap = np.angle(np.exp(1j * (theta - expected)))  # difference folded into (-π, π]
    assert np.abs(gap[r > 1e-9]).max() < 1e-9


def test_spiral_shares_out_samples_evenly():
    _, y = make_spiral(7, n_classes=3, seed=0)
    assert np.bincount(y).tolist() == [3, 2, 2]


def test_noise_spreads_the_spiral():
    X0, _ = make_spiral(500, noise=0.0, seed=1)
    X1, _ = make_spiral(500, noise=0.5, seed=1)
    assert np.hypot(*X0.T).max() <= 1.0 + 1e-12
    assert np.hypot(*X1.T).max() > 1.2


@pytest.mark.parametrize(
    ("make", "kwargs", "error", "message"),
    [
        (make_moons, {"n_samples": 0}, ValueError, r"n_samples must be > 0; got 0"),
        (make_moons, {"n_samples": 2.5}, TypeError, r"n_samples must be an integer; got 2.5"),
        (make_circles, {"noise": -0.1}, ValueError, r"noise must be a finite number ≥ 0; got -0.1"),
        (make_circles, {"factor": 1.5}, ValueError, r"factor must be in \(0, 1\) .*got 1.5"),
        (
            make_spiral,
            {"seed": "abc"},
            TypeError,
            r"seed must be an integer ≥ 0, a numpy\.random\.Generator or None; got 'abc' of type str",
        ),
        (
            make_spiral,
            {"seed": -1},
            ValueError,
            r"seed must be an integer ≥ 0, a numpy\.random\.Generator or None; got -1",
        ),
        (make_spiral, {"n_classes": 0}, ValueError, r"n_classes must be > 0; got 0"),
        (make_blobs, {"noise": float("nan")}, ValueError, r"noise must be a finite number ≥ 0; got nan"),
    ],
)
def test_bad_arguments(make, kwargs, error, message):
    with pytest.raises(error, match=message):
        make(**kwargs)
