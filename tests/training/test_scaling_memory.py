"""The scaling's memory (:mod:`deltaprop.training.scaling`): the statistics and the scaled copy
read X a block of rows at a time, and the scaled copy is made once, in the network's dtype.

Before, ``fit_scaling`` made a float64 copy of X, then X / unit and ``std``'s temporaries (6×
a float32 X: 1,077 MB for MNIST's 188 MB), and ``inputs`` gave a float64 copy beside a
float64 temporary (4×) even for a float32 network, which ``deltaprop train --scale
--dtype float32`` kept for the whole run (1,444 MB at its peak against 313 MB unscaled).
The blocks here are made small so that sklearn's digits (1,797 × 64) span many of them.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

from deltaprop.cli.data import RunData
from deltaprop.cli.train_scaling import scaled
from deltaprop.training import scaling as scaling_module
from deltaprop.training.scaling import fit_scaling
from memory_peak import peak_bytes

ULP = 2.0**-52


@pytest.fixture
def digits(monkeypatch) -> np.ndarray:
    """Digits' pixels (0..16) as float32 (460 KB), in blocks of 64 rows (28 blocks)."""
    monkeypatch.setattr(scaling_module, "BLOCK_VALUES", 64 * 64, raising=False)
    X = load_digits().data.astype(np.float32)
    X[:, 0] = 3.0  # a constant feature (digits' column 0 is 0 throughout)
    return X


@pytest.mark.parametrize("method", ["standard", "minmax"])
def test_the_statistics_read_x_by_blocks_and_equal_those_of_its_float64_copy(digits, method):
    peak, scaling = peak_bytes(lambda: fit_scaling(digits, method, dtype=np.float32))
    # Before: 3 to 6 times X (a float64 copy, X / unit, std's deviations and their squares).
    assert peak < digits.nbytes / 4, f"peak {peak} bytes for {digits.nbytes} of X"
    A = digits.astype(np.float64)
    if method == "standard":  # np.mean, np.std (ddof 0) of the whole float64 copy
        shift, scale = A.mean(axis=0), A.std(axis=0)
    else:
        shift, scale = A.min(axis=0), A.max(axis=0) - A.min(axis=0)
    scale[scale == 0] = 1.0
    np.testing.assert_allclose(scaling.x_shift, shift, rtol=2 * ULP, atol=0)
    np.testing.assert_allclose(scaling.x_scale, scale, rtol=2 * ULP, atol=0)
    constant = tuple(int(j) for j in np.flatnonzero(A.min(axis=0) == A.max(axis=0)))
    assert scaling.constant == constant and 0 in constant


def test_huge_values_still_do_not_overflow_when_read_by_blocks(monkeypatch):
    # (y − μ)² of 1e160 is inf: each column is divided by a power of two first, block by block
    monkeypatch.setattr(scaling_module, "BLOCK_VALUES", 8, raising=False)
    Y = (np.arange(50.0)[:, None] * [1.0, -3.0] + 7.0) * 1e160
    with np.errstate(all="raise"):
        scaling = fit_scaling(np.ones((50, 1)), "standard", Y)
    unit = 1e160
    np.testing.assert_allclose(scaling.y_shift / unit, (Y / unit).mean(axis=0), rtol=2 * ULP)
    np.testing.assert_allclose(scaling.y_scale / unit, (Y / unit).std(axis=0), rtol=2 * ULP)


def test_the_scaled_copy_is_one_array_of_the_networks_dtype(digits):
    scaling = fit_scaling(digits, "standard", dtype=np.float32)
    peak, O = peak_bytes(lambda: scaling.inputs(digits, np.float32))
    assert O.dtype == np.float32 and O.shape == digits.shape
    # Before: a float64 copy of X and the float64 result, 4 times a float32 X.
    assert peak < 1.25 * digits.nbytes, f"peak {peak} bytes for {digits.nbytes} of X"
    # the values the network trained on before: the float64 scaled copy, cast as fit casts it
    before = (digits.astype(np.float64) - scaling.x_shift) / scaling.x_scale
    before[:, 0] = 0.0
    np.testing.assert_array_equal(O, before.astype(np.float32))
    np.testing.assert_array_equal(scaling.inputs(digits), before)  # float64 by default, as before


def test_the_inputs_scale_in_place_into_x_itself(digits):
    scaling = fit_scaling(digits, "minmax")
    expected = scaling.inputs(digits, np.float32)
    X = digits.copy()
    peak, O = peak_bytes(lambda: scaling.inputs(X, out=X))
    assert O is X and peak < digits.nbytes / 4
    np.testing.assert_array_equal(X, expected)


def test_the_runs_training_arrays_are_scaled_once_in_its_dtype(digits):
    """``deltaprop train --scale``: the training inputs scaled once, in the network's dtype,
    beside the raw ones (which the plots and the test evaluation read)."""
    Y = np.random.default_rng(0).normal(100.0, 30.0, size=(len(digits), 2))
    scaling = fit_scaling(digits, "standard", Y)
    data = RunData("digits", digits, Y, None, None)
    peak, run = peak_bytes(lambda: scaled(data, scaling, np.float32))
    assert run.X_train.dtype == run.y_train.dtype == np.float32 and data.X_train is digits
    assert peak < 1.25 * digits.nbytes, f"peak {peak} bytes for {digits.nbytes} of X"
    np.testing.assert_array_equal(run.X_train, scaling.inputs(digits).astype(np.float32))
    np.testing.assert_array_equal(run.y_train, scaling.outputs(Y).astype(np.float32))
    assert scaled(data, None, np.float32) is data


def test_bad_destinations_are_refused_naming_what_they_were(digits):
    scaling = fit_scaling(digits, "standard")
    with pytest.raises(ValueError, match=r"X must be \(n_samples, 64\) inputs.*got shape \(1797, 63\)"):
        scaling.inputs(digits[:, 1:])
    with pytest.raises(ValueError, match="dtype must be float32 or float64; got 'int64'"):
        scaling.inputs(digits, np.int64)
    with pytest.raises(
        ValueError,
        match=r"out must be a float array of shape \(1797, 64\); got dtype int64, shape \(1797, 64\)",
    ):
        scaling.inputs(digits, out=np.zeros(digits.shape, dtype=np.int64))
    read_only = np.zeros(digits.shape)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="out must be writable"):
        scaling.inputs(digits, out=read_only)
