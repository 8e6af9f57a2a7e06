"""The commands' JSON is standard JSON: a number that is not finite is written as null, and
stderr says why in one line. ``evaluate --json`` on regression targets around 1e159 printed
``"loss": Infinity`` and ``"r2": NaN`` (which jq and JSON.parse refuse) and four scikit-learn
RuntimeWarning traces."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.cli.json_out import finite_only, json_text


def _refuse_constant(name: str):
    raise ValueError(f"not standard JSON: {name}")


def _strict(text: str):
    """``text`` read as standard JSON: NaN and Infinity refused, as jq and JSON.parse refuse them."""
    return json.loads(text, parse_constant=_refuse_constant)


def test_non_finite_numbers_become_null_and_are_located():
    document = {"loss": float("inf"), "n": 3, "rows": [{"f1": float("nan")}, {"f1": 0.5}], "r2": None}

    clean, where = finite_only(document)

    assert clean == {"loss": None, "n": 3, "rows": [{"f1": None}, {"f1": 0.5}], "r2": None}
    assert where == ["loss", "rows[0].f1"]
    text, said = json_text(document)
    assert _strict(text) == clean and said == where
    assert json_text({"a": 1.5}) == ('{\n "a": 1.5\n}', [])


@pytest.fixture
def huge_targets(tmp_path):
    """A [2, 3, 1] linear-output model and 40 rows of targets around 1e159 (bigt.csv): their
    squares, in the cost and in scikit-learn's RMSE and R², pass float64's 1.8e308."""
    rng = np.random.default_rng(0)
    X = rng.random((40, 2))
    y = rng.uniform(1e157, 1e160, size=40)
    lines = ["a,b,y", *(f"{a:.3f},{b:.3f},{t:.6g}" for (a, b), t in zip(X, y))]
    (tmp_path / "bigt.csv").write_text("\n".join(lines) + "\n")
    net = dp.Network([2, 3, 1], activation="tanh", output_activation="linear", cost="quadratic", seed=1)
    dp.save(net, tmp_path / "reg.safetensors")


@pytest.mark.parametrize("json_flag", [True, False])
def test_evaluate_writes_overflowed_scores_as_null_and_says_why(run, huge_targets, json_flag):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning trace fails the command
        result = run("evaluate", "reg.safetensors", "--data", "bigt.csv", *(["--json"] if json_flag else []))

    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert "loss, root_mean_squared_error and r2 came out not finite" in line and "overflow float64" in line
    assert ("written as null" in line) == json_flag
    if json_flag:
        report = _strict(result.stdout)
        assert report["loss"] is None and report["root_mean_squared_error"] is None and report["r2"] is None
        assert report["mean_absolute_error"] == pytest.approx(5e159, rel=0.2)  # finite: kept


def test_predict_says_in_one_line_which_inputs_overflowed(run, tmp_path):
    net = dp.Network([2, 3, 1], activation="relu", output_activation="linear", cost="quadratic", seed=0)
    for w in net.weights:
        w[...] = np.abs(w) + 1  # every path positive: 1.7e308 + 1.7e308 overflows
    dp.save(net, tmp_path / "relu.safetensors")
    (tmp_path / "rows.csv").write_text("a,b\n1.7e308,1.7e308\n0.5,0.5\n")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run("predict", "relu.safetensors", "rows.csv")

    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert "the outputs of 1 input (rows.csv:2) came out not finite" in line


@pytest.mark.parametrize("where", ["--json", "--output"])
def test_predict_json_is_standard_json_with_an_overflowed_output_as_null(run, tmp_path, where):
    """predict --json and --output FILE.json wrote Infinity, which jq and JSON.parse refuse."""
    net = dp.Network([2, 3, 1], activation="relu", output_activation="linear", cost="quadratic", seed=0)
    for w in net.weights:
        w[...] = np.abs(w) + 1
    dp.save(net, tmp_path / "relu.safetensors")
    (tmp_path / "rows.csv").write_text("a,b\n1.7e308,1.7e308\n0.5,0.5\n")
    flags = ["--json"] if where == "--json" else ["--output", "out.json"]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run("predict", "relu.safetensors", "rows.csv", *flags)

    assert result.returncode == 0, result.stderr
    text = result.stdout if where == "--json" else (tmp_path / "out.json").read_text()
    predictions = _strict(text)["predictions"]
    assert predictions[0]["outputs"] == [None] and np.isfinite(predictions[1]["outputs"][0])
