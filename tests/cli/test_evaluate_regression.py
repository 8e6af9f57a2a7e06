"""``evaluate`` on regression targets reports what a practitioner compares models by — mean
absolute error, root mean squared error and R² — beside the cost ½‖y − a‖², which alone
said little (it was the only number shown). Checked against scikit-learn's metrics."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

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
    assert report["root_mean_squared_error"] == pytest.approx(np.sqrt(mean_squared_error(Y, a)), rel=1e-12)
    assert report["r2"] == pytest.approx(r2_score(Y, a), rel=1e-12)
    # the cost is half the squared error summed over the outputs: RMSE² × n_out / 2 (n_out = 2)
    assert report["loss"] == pytest.approx(report["root_mean_squared_error"] ** 2, rel=1e-12)


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
