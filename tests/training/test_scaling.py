"""Scaling the data for training, and folding the scaling into the network
(:mod:`deltaprop.training.scaling`): the folded network on raw inputs is the trained one on
scaled inputs, the statistics are scikit-learn's, and a checkpoint keeps them exactly."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.preprocessing import MinMaxScaler, StandardScaler

import deltaprop as dp
from deltaprop.training.scaling import Scaling, fit_scaling, fold, from_state, to_state, unfold


def wine_features() -> np.ndarray:
    """sklearn's wine: 13 features from ~0.1 (hue) to 1680 (proline), one made constant."""
    X = load_wine().data.copy()
    X[:, 4] = 7.0
    return X


def regression_net(sizes, dtype=np.float64, seed=3):
    return dp.Network(sizes, activation="tanh", output_activation="linear", seed=seed, dtype=dtype)


@pytest.mark.parametrize("method, scaler", [("standard", StandardScaler), ("minmax", MinMaxScaler)])
def test_statistics_are_scikit_learns_and_a_constant_feature_keeps_scale_1(method, scaler):
    X = wine_features()
    scaling = fit_scaling(X, method)
    expected = scaler().fit_transform(X)  # scikit-learn also leaves a constant column's scale at 1
    np.testing.assert_allclose(scaling.inputs(X), expected, rtol=1e-12, atol=1e-12)
    assert scaling.constant == (4,) and scaling.x_scale[4] == 1.0
    assert np.all(scaling.inputs(X)[:, 4] == 0.0)
    assert not scaling.targets and scaling.outputs("untouched") == "untouched"


@pytest.mark.parametrize("sizes", [[13, 8, 5, 3], [13, 3]])  # a hidden layer or two, and none
@pytest.mark.parametrize("method", ["standard", "minmax"])
def test_the_folded_network_on_raw_inputs_is_the_trained_one_on_scaled_inputs(sizes, method):
    X = wine_features()
    Y = np.random.default_rng(0).normal(200.0, 80.0, size=(len(X), sizes[-1]))  # diabetes-like
    scaling = fit_scaling(X, method, Y)
    net = regression_net(sizes)
    with np.errstate(all="raise"):
        trained = net.predict(scaling.inputs(X)) * scaling.y_scale + scaling.y_shift
        folded = fold(net, scaling)
        np.testing.assert_allclose(folded.predict(X), trained, rtol=1e-12, atol=1e-9)
    assert folded is not net and folded.sizes == net.sizes and folded.dtype == net.dtype
    back = unfold(folded, scaling)
    expected = [w.copy() for w in net.weights] + list(net.biases)
    expected[0][4] = 0.0  # the constant feature's weights: fold sets them to 0 (its o_i is 0)
    for a, b in zip(back.weights + back.biases, expected):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_the_fold_in_float32_and_for_inputs_only():
    X = wine_features()
    scaling = fit_scaling(X, "standard")
    net = dp.Network(
        [13, 10, 3], output_activation="softmax", cost="log_likelihood", seed=1, dtype=np.float32
    )
    folded = fold(net, scaling)
    assert folded.dtype == np.float32
    np.testing.assert_allclose(
        folded.predict(X.astype(np.float32)),
        net.predict(scaling.inputs(X).astype(np.float32)),
        rtol=1e-5,
        atol=1e-6,
    )
    # one feature by hand: w ← w / s, b ← b − Σ w μ / s, over the features not constant
    w0 = np.asarray(net.weights[0], dtype=np.float64).copy()
    w0[4] = 0.0
    np.testing.assert_allclose(folded.weights[0][0], w0[0] / scaling.x_scale[0], rtol=1e-6)
    expected_b = net.biases[0] - (scaling.x_shift / scaling.x_scale) @ w0
    np.testing.assert_allclose(folded.biases[0], expected_b, rtol=1e-5)


def test_scaled_targets_fold_into_a_linear_output_only():
    X = wine_features()
    scaling = fit_scaling(X, "standard", X[:, :1])
    with pytest.raises(ValueError, match="linear output layer only; got logistic"):
        fold(dp.Network([13, 4, 1], seed=0), scaling)
    with pytest.raises(ValueError, match="the scaling has 13 inputs, the network 12"):
        fold(regression_net([12, 1]), scaling)


def test_the_statistics_survive_a_checkpoint_bit_for_bit(tmp_path):
    X = wine_features()
    scaling = fit_scaling(X, "minmax", X[:, -2:])
    net = regression_net([13, 4, 2])
    dp.files.save_checkpoint(tmp_path / "c.safetensors", net, None, {"epoch": 1, **to_state(scaling)})
    _, _, state = dp.files.load_checkpoint(tmp_path / "c.safetensors")
    back = from_state(state)
    assert back.method == "minmax"
    for key in ("x_shift", "x_scale", "y_shift", "y_scale"):
        assert np.array_equal(getattr(back, key), getattr(scaling, key)), key
    # the constant features too: a resumed run's fold zeroes their weights as the run's own does
    assert back.constant == scaling.constant == (4,)
    assert from_state({"epoch": 1}) is None  # a run that did not scale
    older = {k: v for k, v in state.items() if k != "scale_constant"}  # written before they were kept
    assert from_state(older).constant == ()


@pytest.mark.parametrize(
    "state, problem",
    [
        ({"scale_method": "robust"}, "not 'standard' or 'minmax'"),
        ({"scale_method": "standard", "scale_x_shift": np.zeros(2)}, "lacks the scaling's 'scale_x_scale'"),
        ({"scale_method": "standard", "scale_x_shift": np.zeros(2), "scale_x_scale": np.ones(3)}, "differ"),
        (
            {"scale_method": "standard", "scale_x_shift": np.zeros(2), "scale_x_scale": np.zeros(2)},
            "scale ≤ 0",
        ),
        ({"scale_method": "standard", "scale_x_shift": [0.0], "scale_x_scale": np.ones(1)}, "float64 vector"),
        (
            {
                "scale_method": "minmax",
                "scale_x_shift": np.zeros(2),
                "scale_x_scale": np.ones(2),
                "scale_constant": [2],
            },
            "scale_constant is not a list of feature numbers below 2",
        ),
    ],
)
def test_a_damaged_scaling_is_refused_saying_why(state, problem):
    with pytest.raises(ValueError, match=problem):
        from_state(state)


def test_bad_arguments():
    with pytest.raises(ValueError, match="method must be one of 'standard', 'minmax'; got 'none'"):
        fit_scaling(np.ones((3, 2)), "none")
    with pytest.raises(ValueError, match=r"non-empty \(n_samples, n_in\) array; got shape \(0, 2\)"):
        fit_scaling(np.ones((0, 2)), "standard")
    with pytest.raises(ValueError, match=r"Y must be \(3, n_out\) targets; got shape \(3,\)"):
        fit_scaling(np.ones((3, 2)), "standard", np.ones(3))
    assert isinstance(fit_scaling(np.ones((3, 2)), "standard"), Scaling)


def test_standard_statistics_of_targets_near_1e160_do_not_overflow_and_fold():
    # (y − μ)² of 1e160 is inf: np.std overflowed, every scaled target became 0 and the fold
    # crashed. Each column is divided by a power of two first, so nothing overflows.
    rng = np.random.default_rng(0)
    X = rng.random((50, 3))
    Y = (X @ [[1.0], [2.0], [3.0]] + rng.random((50, 1))) * 1e160
    with np.errstate(all="raise"):
        scaling = fit_scaling(X, "standard", Y)
    unit = 1e160  # the statistics of Y / 1e160, times 1e160
    np.testing.assert_allclose(scaling.y_shift / unit, (Y / unit).mean(axis=0), rtol=1e-15)
    np.testing.assert_allclose(scaling.y_scale / unit, (Y / unit).std(axis=0), rtol=1e-15)
    scaled = scaling.outputs(Y)
    assert np.isfinite(scaled).all() and 0.9 < scaled.std() < 1.1
    net = regression_net([3, 4, 1])
    net.fit(scaling.inputs(X), scaled, epochs=2, learning_rate=0.05, seed=0)
    folded = fold(net, scaling)
    np.testing.assert_allclose(
        folded.predict(X), net.predict(scaling.inputs(X)) * scaling.y_scale + scaling.y_shift
    )


def test_statistics_a_dtype_cannot_hold_are_refused_naming_the_column():
    X = np.array([[1.0, 1e308], [2.0, -1e308]])
    with pytest.raises(
        ValueError, match=r"cannot scale X column 1 \(minmax\): its values reach 1e\+308.*range"
    ):
        fit_scaling(X, "minmax")
    assert fit_scaling(X, "standard").x_scale[1] == 1e308  # the std itself is finite
    Y = np.array([[1e100], [3e100]])
    with pytest.raises(ValueError, match=r"the targets' \(Y's\) column 0 \(standard\).*3e\+100.*float32"):
        fit_scaling(X[:, :1], "standard", Y, dtype=np.float32)


@pytest.mark.parametrize("method", ["standard", "minmax"])
def test_a_feature_constant_in_training_is_ignored_by_the_folded_model_whatever_its_value(method):
    """Its weights never learned (o_i = 0 in every training row). Before, a test row holding
    another value (a pixel lit only there: 58 where the training rows held 0) reached them,
    times its raw value, and moved the prediction; now it is read as its training value."""
    X = wine_features()
    scaling = fit_scaling(X, method)
    net = dp.Network([13, 6, 3], output_activation="softmax", cost="log_likelihood", seed=2)
    folded = fold(net, scaling)
    odd = X[:10].copy()
    odd[:, 4] = [58.0, -1e6, 0.0, 7.0, 1e3, 3.0, 7.5, 100.0, -7.0, 2.0]
    np.testing.assert_allclose(folded.predict(odd), folded.predict(X[:10]), rtol=1e-12, atol=1e-15)
    assert np.all(scaling.inputs(odd)[:, 4] == 0.0) and np.all(folded.weights[0][4] == 0.0)
    np.testing.assert_allclose(folded.predict(odd), net.predict(scaling.inputs(odd)), rtol=1e-12, atol=1e-15)
