"""``evaluate`` on regression targets reports what a practitioner compares models by — mean
absolute error, root mean squared error and R² — beside the cost ½‖y − a‖², which alone
said little (it was the only number shown). Checked against scikit-learn's metrics."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score, root_mean_squared_error

import deltaprop as dp


@pytest.fixture
def regression_model(tmp_path):
    """A [3, 4, 2] linear-output model, and 30 rows of two real targets in reg.npz."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(30, 3))
    Y = np.column_stack([X @ [0.5, -0.2, 0.3], X[:, 0] * X[:, 1]]) + 0.05
    net = dp.Network([3, 4, 2], activation="tanh", output_activation="linear", cost="quadratic", seed=1)
    dp.save(net, tmp_path / "reg.safetensors")
    np.savez(tmp_path / "reg.npz", X=X, y=Y)
    return net, X, Y


def test_json_holds_sklearns_mae_rmse_and_r2(run, regression_model):
    net, X, Y = regression_model
    result = run("evaluate", "--json", "reg.safetensors", "--data", "reg.npz")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    a = net.predict(X)
    assert "accuracy" not in report
    assert report["mean_absolute_error"] == pytest.approx(mean_absolute_error(Y, a), rel=1e-12)
    assert report["root_mean_squared_error"] == pytest.approx(root_mean_squared_error(Y, a), rel=1e-12)
    assert report["r2"] == pytest.approx(r2_score(Y, a), rel=1e-12)
    # the cost is half the squared error summed over the outputs: the pooled MSE × n_out / 2
    # (n_out = 2), which the RMSE, a mean of the two outputs' RMSEs, is not the root of
    assert report["loss"] == pytest.approx(mean_squared_error(Y, a), rel=1e-12)


def test_scores_are_sklearns_averaged_over_outputs_of_different_scales():
    """Three outputs of scales 1, 10 and 100: scikit-learn's RMSE is the mean of the three
    outputs' RMSEs; √ of the squared error pooled over them (what evaluate gave: 64.02 here
    against scikit-learn's 41.34) is dominated by the largest output."""
    from deltaprop.cli.scores import evaluate_model

    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    Y = rng.normal(size=(40, 3)) * [1.0, 10.0, 100.0]
    w, b = [rng.normal(size=(2, 3)) * [1.0, 10.0, 100.0]], [np.zeros(3)]
    net = dp.Network.from_arrays(w, b, activation="linear", cost="quadratic")
    a = net.predict(X)
    report = evaluate_model(net, X, Y)
    for key, score in (
        ("mean_absolute_error", mean_absolute_error),
        ("root_mean_squared_error", root_mean_squared_error),
        ("r2", r2_score),
    ):
        assert report[key] == pytest.approx(score(Y, a, multioutput="uniform_average"), rel=1e-12), key
    pooled = np.sqrt(np.mean((Y - a) ** 2))
    assert report["root_mean_squared_error"] < 0.8 * pooled  # not the pooled RMSE


def test_a_1d_real_target_of_a_single_output_model_is_scored_as_regression():
    """y of shape (n,) for a one-output regression network: MAE, RMSE and R² as for (n, 1),
    not scikit-learn's classification metrics (which refused the continuous targets)."""
    from deltaprop.cli.scores import evaluate_model

    rng = np.random.default_rng(4)
    X = rng.normal(size=(25, 3))
    y = X @ [0.4, -0.3, 0.2] + 0.1 * rng.normal(size=25)
    net = dp.Network([3, 4, 1], activation="tanh", output_activation="linear", cost="quadratic", seed=2)
    a = net.predict(X)[:, 0]
    report = evaluate_model(net, X, y)
    assert report == evaluate_model(net, X, y[:, None])
    assert "accuracy" not in report and "per_class" not in report
    assert report["mean_absolute_error"] == pytest.approx(mean_absolute_error(y, a), rel=1e-12)
    assert report["root_mean_squared_error"] == pytest.approx(root_mean_squared_error(y, a), rel=1e-12)
    assert report["r2"] == pytest.approx(r2_score(y, a), rel=1e-12)


def test_the_table_shows_them(run, regression_model):
    result = run("evaluate", "reg.safetensors", "--data", "reg.npz")
    assert result.returncode == 0, result.stderr
    for row in ("cost", "mean absolute error", "root mean squared error", "R²"):
        assert f"│ {row} " in result.stdout, (row, result.stdout)


def test_r2_of_constant_targets_is_undefined_not_minus_infinity(run, tmp_path):
    net = dp.Network([2, 1], output_activation="linear", cost="quadratic", seed=0)
    dp.save(net, tmp_path / "flat.safetensors")
    X = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    np.savez(tmp_path / "flat.npz", X=X, y=np.full((3, 1), 0.5))
    result = run("evaluate", "--json", "flat.safetensors", "--data", "flat.npz", "--task", "regression")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["r2"] is None
    assert report["mean_absolute_error"] == pytest.approx(np.mean(np.abs(0.5 - net.predict(X))))
    assert "│ R²" in run("evaluate", "flat.safetensors", "--data", "flat.npz", "--task", "regression").stdout


def test_classification_reports_no_regression_metrics(run, tmp_path):
    net = dp.Network([2, 3, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.save(net, tmp_path / "cls.safetensors")
    np.savez(tmp_path / "cls.npz", X=np.array([[0.1, 0.2], [0.8, 0.9]]), y=np.array([0, 1]))
    report = json.loads(run("evaluate", "--json", "cls.safetensors", "--data", "cls.npz").stdout)
    assert "accuracy" in report and "r2" not in report and "mean_absolute_error" not in report
