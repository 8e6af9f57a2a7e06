"""The input-scale finding speaks in the terms of the scaling that made the inputs, and its advice
is not circular. On raw 0..255 pixels the audit's run said "the inputs are not scaled: max |x| =
1365.84" after --scale standard had scaled them (a pixel lit in one training row, standardised),
and each --scale's advice sent the user to the next: none → standard → minmax → none. Pixels want
one scale for all features, x / 255 (as the book and load_mnist do), which per-feature scaling
cannot give; data in [0, 1] already want none."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_wine

import deltaprop as dp
from deltaprop.diagnostics import Diagnostics, check_input_scale, diagnose
from deltaprop.diagnostics.input_scale import MINMAX, NO_SCALING, STANDARDISE
from deltaprop.training.scaling import fit_scaling

TRAINING_ROWS = 1600  # of the 1,797 digits; the rest stand for the validation split
CONSEQUENCE = "Each net = Σ w_ij x_i is then huge"


@pytest.fixture(scope="module")
def digits():
    """The 8×8 digits as scikit-learn gives them: whole numbers 0..16 in 64 features, and labels."""
    data = load_digits()
    return data.data, data.target


def _finding(X, scaling=None):
    (found,) = check_input_scale(X, scaling)
    assert found.code == "unscaled-inputs" and found.severity == "warning"
    return found


def test_raw_pixels_are_told_to_share_one_scale(digits):
    X, _ = digits
    found = _finding(X)
    assert found.message.startswith("the inputs are not scaled: max |x| = 16 (feature ")
    assert "and the features share one range, whole numbers 0..16 as pixels. " + CONSEQUENCE in found.message
    assert found.fix.startswith(
        "divide every feature by 16 before training (x / 16, as the book and load_mnist do)"
    )
    assert found.fix.endswith(f"; or {MINMAX}")


def test_standardised_pixels_name_the_nearly_constant_feature_and_not_standardising(digits):
    X, _ = digits
    scaling = fit_scaling(X[:TRAINING_ROWS], "standard")
    found = _finding(scaling.inputs(X), scaling)
    # feature 56 is 1 in one of the 1600 training rows, else 0: mean 1/1600 = 0.000625, std
    # √(0.000625 · 0.999375) = 0.025, so that row's 1 becomes (1 − 0.000625) / 0.025 = 39.9875.
    assert found.message.startswith(
        "after standardising each feature (x − mean) / std with statistics of the training rows, "
        "feature 56 reaches 39.9875: nearly constant in the training rows (std 0.025 around mean 0.000625)"
    )
    assert (
        "not scaled" not in found.message
        and "Where it is that large, net = Σ w_ij x_i is huge" in found.message
    )
    assert found.fix.startswith("divide every feature by 16 before training")
    assert "standard" not in found.fix and "min-max" not in found.fix


def test_a_feature_constant_in_the_training_rows_is_read_as_0_and_named_where_it_is_not(digits):
    X, _ = digits
    rows = X[:, 7] == 0  # training rows in which feature 7 is never lit (it is in 48 others, up to 15)
    scaling = fit_scaling(X[rows], "minmax")
    assert 7 in scaling.constant
    assert np.all(scaling.inputs(X)[:, 7] == 0.0)  # read as its training value: nothing to find
    assert check_input_scale(scaling.inputs(X), scaling) == []
    found = _finding((X - scaling.x_shift) / scaling.x_scale, scaling)  # X scaled by hand
    assert (
        "after min-max scaling each feature to [0, 1] with statistics of the training rows, feature 7 "
        "is constant (0) in the training rows, yet reaches 15 here."
    ) in found.message
    assert found.fix.startswith("divide every feature by 16 before training")


def test_inputs_in_a_small_range_already_are_told_to_train_unscaled(digits):
    X, _ = digits
    for method in ("standard", "minmax"):
        scaling = fit_scaling(X[:TRAINING_ROWS] / 16, method)
        found = check_input_scale(scaling.inputs(X / 16), scaling)
        if method == "standard":
            assert found[0].fix == f"{NO_SCALING}: they lie in [0, 1] already"
        else:
            assert found == []  # min-max keeps every row here within 10 of [0, 1]


def test_data_that_are_not_pixels_keep_the_per_feature_advice():
    X = load_wine().data  # 13 features, 0.13 to 1680: not one range, not whole numbers
    found = _finding(X)
    assert found.message.startswith("the inputs are not scaled: max |x| = 1680 (feature 12). ")
    assert found.fix == f"scale the inputs to [0, 1] (pixels / 255) or {STANDARDISE}"
    spiky = X.copy()  # feature 3 (alcalinity) nearly constant in the 170 training rows, not in the 8 others
    spiky[:170, 3] = 19.5
    spiky[0, 3] = 19.6
    scaling = fit_scaling(spiky[:170], "standard")
    found = _finding(scaling.inputs(spiky), scaling)
    assert "nearly constant in the training rows" in found.message
    assert found.fix == f"{MINMAX} instead, which keeps every training value in [0, 1]; or drop such features"


def test_fit_and_diagnose_say_it_given_the_scaling(digits):
    X, y = digits
    scaling = fit_scaling(X[:TRAINING_ROWS], "standard")
    live = Diagnostics(scaling=scaling)
    net = dp.Network([64, 10, 10], seed=0)
    net.fit(scaling.inputs(X), y, epochs=1, learning_rate=0.5, seed=0, callbacks=[live])
    said = next(f for f in live.findings if f.code == "unscaled-inputs")
    assert said.message.startswith("after standardising each feature")
    later = diagnose(net, X=scaling.inputs(X), Y=y, scaling=scaling)
    assert next(f for f in later if f.code == "unscaled-inputs") == said


def test_a_scaling_that_is_not_one_or_does_not_fit_is_refused(digits):
    X, _ = digits
    with pytest.raises(TypeError, match=r"scaling must be the deltaprop.training.scaling.Scaling .* got str"):
        check_input_scale(X, "standard")
    with pytest.raises(ValueError, match="scaling is for 13 features, X has 64"):
        check_input_scale(X, fit_scaling(load_wine().data, "minmax"))


@pytest.mark.mnist
def test_the_audit_mnist_pixels_after_each_scale_end_at_dividing_by_255():
    root = os.environ.get("DELTAPROP_DATA")
    if not root or not (Path(root) / "mnist" / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip("real MNIST not found: set DELTAPROP_DATA to a folder holding mnist/t10k-*-ubyte.gz")
    X, _ = dp.datasets.load_mnist("test", data_dir=root, download=False, dtype=np.float64)
    raw = np.rint(X[:2000] * 255)  # 0..255, as the audit's CSV holds them; 1800 training rows
    assert _finding(raw).fix.startswith("divide every feature by 255 before training")
    expected = (("standard", "nearly constant in the training rows"), ("minmax", "reaches 15.2308: other"))
    for method, seen in expected:
        scaling = fit_scaling(raw[:1800], method)
        found = _finding(scaling.inputs(raw), scaling)
        assert seen in found.message and found.fix.startswith("divide every feature by 255 before training")
