"""``deltaprop train --scale``: real CSVs with unscaled features and targets (scikit-learn's wine
and diabetes) train well when scaled, with statistics of the training rows only; the saved
model takes raw inputs and gives raw targets; resume goes on bit for bit; the configuration
records the scaling; built-in runs are unchanged. Also ``--task regression``'s defaults."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import tomllib
from cli_helpers import assert_one_line_error, same_weights
from sklearn.datasets import load_diabetes, load_wine

import deltaprop as dp
from deltaprop.diagnostics import diagnose_run
from deltaprop.training.arguments import training_indices
from deltaprop.training.scaling import fit_scaling, fold

FAST = ("--quiet", "--no-plots", "--seed", "1")


@pytest.fixture
def wine(tmp_path):
    """13 features from ~0.1 to 1680 (proline): the unscaled-inputs warning fires."""
    load_wine(as_frame=True).frame.to_csv(tmp_path / "wine.csv", index=False)
    return "wine.csv"


@pytest.fixture
def diabetes(tmp_path):
    """10 features already standardised by scikit-learn; targets 25..346."""
    load_diabetes(as_frame=True).frame.to_csv(tmp_path / "reg.csv", index=False)
    return "reg.csv"


def accuracy(run, name: str) -> float:
    result = run("evaluate", "--json", f"runs/{name}")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["accuracy"]


def r_squared(run, name: str) -> float:
    result = run("evaluate", "--json", f"runs/{name}")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["r2"]


def test_wine_learns_when_scaled_and_diagnose_does_not_call_it_unscaled(run, wine, tmp_path):
    for scale in ("none", "standard", "minmax"):
        assert run("train", "--data", wine, "--scale", scale, "--name", scale, *FAST).returncode == 0
    assert accuracy(run, "none") < 0.5  # proline in the thousands saturates every hidden unit
    assert accuracy(run, "standard") >= 0.9 and accuracy(run, "minmax") >= 0.9
    config = tomllib.loads((tmp_path / "runs/standard/config.toml").read_text())
    assert config["data"]["scale"] == "standard"
    codes = {f.code for f in diagnose_run(tmp_path / "runs/none")}
    assert "unscaled-inputs" in codes
    assert "unscaled-inputs" not in {f.code for f in diagnose_run(tmp_path / "runs/standard")}
    said = run("train", "--data", wine, "--scale", "standard", "--name", "loud", "--no-plots", "--seed", "1")
    assert "inputs standardised (x − mean) / std with statistics of the training rows" in said.stdout
    assert "unscaled" not in said.stdout


def test_the_model_is_the_trained_network_with_the_scaling_folded_in(run, wine, tmp_path):
    assert run("train", "--data", wine, "--scale", "standard", "--name", "s", *FAST).returncode == 0
    folder = tmp_path / "runs/s"
    model = dp.load(folder / "model.safetensors")
    _, _, state = dp.files.load_checkpoint(folder / "checkpoint.safetensors")
    X, y = dp.datasets.load_csv(tmp_path / wine)
    # the statistics are the training rows' (the validation rows left out), not all rows'
    rows = training_indices(y, 3, 0.1, 1)
    assert len(rows) < len(X)
    expected = fit_scaling(X[rows], "standard")
    assert np.array_equal(state["scale_x_shift"], expected.x_shift)
    assert np.array_equal(state["scale_x_scale"], expected.x_scale)
    assert not np.array_equal(state["scale_x_shift"], fit_scaling(X, "standard").x_shift)
    assert "scale_y_shift" not in state  # class labels are never scaled
    # the checkpoint keeps the weights as they trained, on scaled inputs
    trained = model.copy()
    trained.weights = [state[f"train_w{l}"] for l in range(2)]
    trained.biases = [state[f"train_b{l}"] for l in range(2)]
    np.testing.assert_allclose(model.predict(X), trained.predict(expected.inputs(X)), rtol=1e-12, atol=1e-14)
    assert same_weights(
        folder / "model.safetensors", folder / "checkpoint.safetensors"
    )  # read as a model: folded
    folded = fold(trained, expected)
    assert all(
        np.array_equal(a, b) for a, b in zip(folded.weights + folded.biases, model.weights + model.biases)
    )


def test_diabetes_regression_defaults_to_a_linear_quadratic_net_and_scales_its_targets(
    run, diabetes, tmp_path
):
    raw = run("train", "--data", diabetes, "--task", "regression", "--name", "raw", *FAST)
    assert raw.returncode == 0, raw.stderr
    assert "warning: the regression targets of reg.csv run from 25 to 346" in raw.stderr
    assert "--scale standard standardises them (and the inputs) for training" in raw.stderr
    config = tomllib.loads((tmp_path / "runs/raw/config.toml").read_text())
    assert (config["model"]["cost"], config["model"]["output_activation"]) == ("quadratic", "linear")
    assert config["data"]["scale"] == "none"
    assert r_squared(run, "raw") < 0.1  # targets 25..346 at η = 0.5: nothing learnt
    said = run(
        "train",
        "--data",
        diabetes,
        "--task",
        "regression",
        "--scale",
        "standard",
        "--name",
        "std",
        "--seed",
        "1",
    )
    assert said.returncode == 0 and said.stderr == "", said.stderr
    assert "so are the targets, so loss and val_loss are in scaled units" in said.stdout
    assert re.search(r"train loss \(mean over epoch \d+, scaled targets\)", said.stdout), said.stdout
    assert 0.4 <= r_squared(run, "std") <= 0.7  # what linear models get on diabetes
    _, _, state = dp.files.load_checkpoint(tmp_path / "runs/std/checkpoint.safetensors")
    X, y, _ = dp.datasets.load_by_name(None, tmp_path / diabetes, task="regression")
    rows = training_indices(y, 1, 0.1, 1)
    assert state["scale_y_shift"][0] == pytest.approx(y[rows].mean(), rel=1e-12)
    assert state["scale_y_scale"][0] == pytest.approx(y[rows].std(), rel=1e-12)
    # a cost given keeps its old defaults: the output is then the hidden activation's
    given = run("train", "--data", diabetes, "--task", "regression", "--cost", "cross_entropy", *FAST)
    assert given.returncode == 2 and "cross_entropy cost needs class labels" in given.stderr


def test_a_scaled_run_resumes_bit_for_bit_and_its_config_repeats_it(run, diabetes, tmp_path):
    common = ("--data", diabetes, "--task", "regression", "--scale", "minmax", "--lr", "0.1", *FAST)
    assert run("train", *common, "--epochs", "6", "--name", "whole").returncode == 0
    assert run("train", *common, "--epochs", "3", "--name", "part").returncode == 0
    # Make "part" a run of 6 epochs stopped after its third: its checkpoint as an interrupted
    # run leaves it (a finished one, apart from the flag and the planned epochs).
    checkpoint = tmp_path / "runs/part/checkpoint.safetensors"
    net, optimizer, state = dp.files.load_checkpoint(checkpoint)
    state["config"]["training"]["epochs"], state["finished"] = 6, False
    (tmp_path / "runs/part/model.safetensors").unlink()
    dp.files.save_checkpoint(checkpoint, net, optimizer, state)
    resumed = run("resume", "runs/part", "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert "from epoch 4, batch 0" in resumed.stdout and "inputs scaled to [0, 1] (min-max)" in resumed.stdout
    whole, part = tmp_path / "runs/whole", tmp_path / "runs/part"
    assert same_weights(part / "model.safetensors", whole / "model.safetensors")
    assert same_weights(part / "checkpoint.safetensors", whole / "checkpoint.safetensors")
    histories = [json.loads((f / "history.json").read_text()) for f in (part, whole)]
    assert histories[0]["epoch"] == histories[1]["epoch"] == list(range(6))
    for key in ("loss", "val_loss", "lr"):
        assert histories[0]["history"][key] == histories[1]["history"][key], key
    # the run's config.toml repeats it exactly, scaling and all
    assert (
        run(
            "train", "--config", "runs/whole/config.toml", "--name", "again", "--quiet", "--no-plots"
        ).returncode
        == 0
    )
    assert same_weights(whole / "model.safetensors", tmp_path / "runs/again/model.safetensors")


def test_a_checkpoint_that_lost_its_training_weights_is_refused(run, wine, tmp_path):
    common = ("--data", wine, "--scale", "standard", *FAST)
    assert run("train", *common, "--epochs", "2", "--name", "w").returncode == 0
    checkpoint = tmp_path / "runs/w/checkpoint.safetensors"
    net, optimizer, state = dp.files.load_checkpoint(checkpoint)
    state["config"]["training"]["epochs"], state["finished"] = 4, False
    del state["train_w0"]
    dp.files.save_checkpoint(checkpoint, net, optimizer, state)
    result = run("resume", "runs/w")
    assert result.returncode != 0
    assert "it scaled its data but lacks the weights it trained (train_w0" in result.stderr


def test_bad_scale_values_name_the_flag_or_the_key(run, wine, tmp_path):
    result = run("train", "--data", wine, "--scale", "robust")
    assert result.returncode == 2
    assert "--scale" in result.stderr and "'robust'" in result.stderr and "standard" in result.stderr
    (tmp_path / "bad.toml").write_text('[data]\npath = "wine.csv"\nscale = "robust"\n')
    assert_one_line_error(
        run("train", "--config", "bad.toml"),
        2,
        '[data] scale = "robust" in bad.toml: unknown scaling; expected one of none, standard, minmax',
    )
    (tmp_path / "bad2.toml").write_text('[data]\npath = "wine.csv"\nscale = true\n')
    assert_one_line_error(
        run("train", "--config", "bad2.toml"), 2, "[data] scale = true in bad2.toml: must be a string"
    )
    assert not (tmp_path / "runs").exists()


def test_built_in_runs_are_unchanged_by_scale_none(run, tmp_path):
    args = ("--epochs", "2", "--hidden", "10", *FAST)
    assert run("train", *args, "--name", "plain").returncode == 0
    assert run("train", *args, "--scale", "none", "--name", "none").returncode == 0
    plain, none = tmp_path / "runs/plain", tmp_path / "runs/none"
    assert same_weights(plain / "model.safetensors", none / "model.safetensors")
    history = [json.loads((f / "history.json").read_text())["history"] for f in (plain, none)]
    assert {k: v for k, v in history[0].items() if k != "time"} == {
        k: v for k, v in history[1].items() if k != "time"
    }
    assert tomllib.loads((plain / "config.toml").read_text())["data"]["scale"] == "none"
    net, optimizer, state = dp.files.load_checkpoint(plain / "checkpoint.safetensors")
    assert not any(key.startswith(("scale_", "train_")) for key in state)
    # a checkpoint from before [data] scale existed resumes as a run that did not scale
    del state["config"]["data"]["scale"]
    state["config"]["training"]["epochs"], state["finished"] = 3, False
    dp.files.save_checkpoint(plain / "checkpoint.safetensors", net, optimizer, state)
    resumed = run("resume", "runs/plain", "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert "from epoch 3" in resumed.stdout and "inputs" not in resumed.stdout


def test_the_best_epoch_kept_is_folded_too_and_the_warning_names_the_flag(run, wine, tmp_path):
    args = ("--data", wine, "--scale", "standard", "--epochs", "8", "--lr", "3", "--restore-best-weights")
    assert run("train", *args, "--name", "best", *FAST).returncode == 0
    _, _, state = dp.files.load_checkpoint(tmp_path / "runs/best/checkpoint.safetensors")
    model = dp.load(tmp_path / "runs/best/model.safetensors")
    trained = model.copy()
    trained.weights = [state[f"best_w{l}"] for l in range(2)]
    trained.biases = [state[f"best_b{l}"] for l in range(2)]
    folded = fold(trained, fit_scaling(*_training_rows(tmp_path / wine), "standard"))
    assert all(
        np.array_equal(a, b) for a, b in zip(folded.weights + folded.biases, model.weights + model.biases)
    )
    unscaled = run("train", "--data", wine, "--epochs", "1", "--no-plots", "--seed", "1")
    assert "Try: scale the inputs" in unscaled.stdout
    assert "standardise them (--scale standard, with statistics of the training rows)." in unscaled.stdout


def _training_rows(path):
    X, y = dp.datasets.load_csv(path)
    return (X[training_indices(y, 3, 0.1, 1)],)


def test_standardised_pixels_that_are_nearly_always_0_get_their_own_advice(run, tmp_path):
    """A digits pixel lit in a handful of the training rows has a tiny std: standardised, it
    reaches ~87, and the unscaled-inputs warning must not tell the user to standardise."""
    result = run("train", "--scale", "standard", "--epochs", "1", "--no-plots", "--seed", "1")
    assert (
        "note: 4 features constant in the training rows, read as that value in every row: the model "
        "ignores them (columns 0, 24, 32, 39" in result.stdout
    )
    assert "nearly constant in the training rows (std" in result.stdout
    assert "--scale standard, with statistics" not in result.stdout  # not told to standardise again
    folder = next((tmp_path / "runs").iterdir())
    assert "unscaled-inputs" in {f.code for f in diagnose_run(folder)}  # judged on the scaled rows
    table = " ".join(run("diagnose", str(folder)).stdout.split())
    assert "(--scale none)" in table  # the built-in digits lie in [0, 1]: told to train them raw


def test_regression_defaults_only_for_a_task_said_not_one_found_out(run, diabetes, tmp_path):
    (tmp_path / "r.toml").write_text('[data]\npath = "reg.csv"\ntask = "regression"\n')
    assert run("train", "--config", "r.toml", "--epochs", "1", "--name", "file", *FAST).returncode == 0
    model = tomllib.loads((tmp_path / "runs/file/config.toml").read_text())["model"]
    assert (model["cost"], model["output_activation"]) == ("quadratic", "linear")
    given = run(
        "train",
        "--data",
        diabetes,
        "--task",
        "regression",
        "--output-activation",
        "relu",
        "--epochs",
        "1",
        *FAST,
    )
    assert given.returncode == 0, given.stderr  # the output given, the cost still quadratic
    # real-valued targets found out (auto): the default log-likelihood cost is refused, as before
    np.savetxt(tmp_path / "real.csv", np.c_[np.ones((20, 2)), np.linspace(0.5, 9.5, 20)], delimiter=",")
    found = run("train", "--data", "real.csv", "--epochs", "1", *FAST)
    assert found.returncode == 2 and "use --cost quadratic --output-activation linear" in found.stderr


def test_train_help_explains_scale(run):
    helped = " ".join(run("train", "--help").stdout.split())
    assert "--scale {none,standard,minmax} scale each input feature for training" in helped
    assert "statistics of the training rows only (not the validation split)" in helped
    assert "it takes raw inputs and gives raw targets" in helped
    assert "With regression the cost defaults to quadratic" in helped


def test_the_learning_curves_say_when_the_cost_is_of_scaled_targets(run, diabetes, wine, monkeypatch):
    """history.json of a run whose targets were scaled is in scaled units (the summary says
    "train loss (mean over epoch N, scaled targets)"); its learning curves' cost axis says so
    too, drawn by train and by 'deltaprop plot' alike. Scaled inputs alone leave the cost in
    the data's units."""
    import deltaprop.plots.run as plot_run_module

    cost_axes = []
    real_save = plot_run_module.save_figure

    def save_figure(fig, path, **kwargs):
        if path.stem == "learning_curves":
            cost_axes.append(fig.axes[0].get_ylabel())
        return real_save(fig, path, **kwargs)

    monkeypatch.setattr(plot_run_module, "save_figure", save_figure)
    runs = {
        "targets": ("--data", diabetes, "--task", "regression", "--scale", "standard"),
        "raw": ("--data", diabetes, "--task", "regression"),
        "inputs": ("--data", wine, "--scale", "minmax"),
    }
    for name, args in runs.items():
        assert run("train", *args, "--epochs", "2", "--name", name, "--quiet", "--seed", "1").returncode == 0
    assert run("plot", "runs/targets", "--out", "again").returncode == 0
    assert cost_axes == ["cost C (scaled targets)", "cost C", "cost C", "cost C (scaled targets)"]
