"""``deltaprop resume RUN --epochs N`` trains a run on to N epochs in all: ``train --epochs 3``
then ``resume --epochs 5`` is ``train --epochs 5``, bit for bit. A config.toml edited after
the run began is ignored, and resume says so, naming ``--epochs``."""

from __future__ import annotations

import json

import pytest
import tomllib
from cli_helpers import assert_one_line_error, same_weights, write_iris_csv

# Adam's state, a step schedule and the best epoch's weights all have to carry on exactly.
TRAIN = (
    "train",
    "--data",
    "iris.csv",
    "--seed",
    "4",
    "--optimizer",
    "adam",
    "--lr",
    "0.01",
    "--schedule",
    "step:0.5:2",
    "--restore-best-weights",
    "--quiet",
    "--no-plots",
)


@pytest.fixture
def iris(tmp_path):
    write_iris_csv(tmp_path)
    return tmp_path


def _train(run, name: str, epochs: int, *args: str):
    result = run(*TRAIN, "--epochs", str(epochs), "--name", name, *args)
    assert result.returncode == 0, result.stderr
    return result


def _history(run_dir) -> dict:
    return json.loads((run_dir / "history.json").read_text())


def test_train_3_then_resume_to_5_is_train_5(run, iris):
    _train(run, "short", 3)
    _train(run, "whole", 5)
    result = run("resume", "runs/short", "--epochs", "5", "--quiet")
    assert result.returncode == 0, result.stderr
    short, whole = iris / "runs/short", iris / "runs/whole"
    assert same_weights(short / "model.safetensors", whole / "model.safetensors")
    ours, theirs = _history(short), _history(whole)
    assert ours["epoch"] == theirs["epoch"] == [0, 1, 2, 3, 4]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
        assert ours["history"][key] == theirs["history"][key], key
    config = tomllib.loads((short / "config.toml").read_text())
    assert config["training"]["epochs"] == 5  # the run's config says what it trained
    import deltaprop as dp

    assert (
        dp.files.read_metadata(short / "model.safetensors")["user"]["epoch"]
        == (dp.files.read_metadata(whole / "model.safetensors")["user"]["epoch"])
    )
    again = run("resume", "runs/short")
    assert again.returncode == 0 and "complete (5 epochs)" in again.stdout


def test_a_finished_run_says_how_to_train_it_on(run, iris):
    _train(run, "done", 2)
    result = run("resume", "runs/done")
    assert result.returncode == 0, result.stderr
    assert "complete (2 epochs); nothing to resume" in result.stdout
    assert "deltaprop resume runs/done --epochs N" in result.stdout


@pytest.mark.parametrize("epochs", ["2", "1", "0"])
def test_epochs_not_above_those_done_is_refused_and_changes_nothing(run, iris, epochs):
    _train(run, "done", 2)
    before = (iris / "runs/done/config.toml").read_text(), (iris / "runs/done/model.safetensors").read_bytes()
    result = run("resume", "runs/done", "--epochs", epochs)
    assert_one_line_error(result, 2, f"--epochs {epochs}", "has trained 2 epochs already", "more than 2")
    after = (iris / "runs/done/config.toml").read_text(), (iris / "runs/done/model.safetensors").read_bytes()
    assert after == before


def test_epochs_edited_in_config_toml_are_ignored_with_a_warning_naming_the_flag(run, iris):
    _train(run, "done", 2)
    path = iris / "runs/done/config.toml"
    path.write_text(path.read_text().replace("epochs = 2", "epochs = 4"))
    before = (iris / "runs/done/model.safetensors").read_bytes()
    result = run("resume", "runs/done")
    assert result.returncode == 0 and "nothing to resume" in result.stdout
    assert "training.epochs = 4 in the file, 2 in the checkpoint" in result.stderr
    assert "ignores the file's values" in result.stderr and "--epochs 4" in result.stderr
    assert (iris / "runs/done/model.safetensors").read_bytes() == before


def test_a_run_ended_by_early_stopping_is_not_trained_on(run, iris):
    # η = 2 overshoots at once: val_loss stops improving within a few epochs
    _train(run, "early", 200, "--early-stopping", "1", "--lr", "2", "--schedule", "none")
    history = _history(iris / "runs/early")
    assert history["stopped_reason"] and len(history["epoch"]) < 200
    result = run("resume", "runs/early", "--epochs", "300")
    assert_one_line_error(
        result, 2, "ended by early stopping", "would have stopped there too", "--early-stopping 2"
    )


def test_a_cosine_schedule_cannot_be_stretched(run, iris):
    _train(run, "cosine", 2, "--schedule", "cosine")
    result = run("resume", "runs/cosine", "--epochs", "4")
    assert_one_line_error(result, 2, "cosine over its 2 epochs", "deltaprop train --config")


def test_a_run_early_stopping_ended_in_its_last_epoch_is_not_trained_on(run, tmp_path):
    # seed 6, η = 3: val_loss is best at epoch 4, so patience 2 stops a 60-epoch run at epoch 6;
    # a 6-epoch run stops there too, by early stopping as well as by running out of epochs
    moons = (
        "train",
        "--data",
        "moons",
        "--early-stopping",
        "2",
        "--lr",
        "3",
        "--seed",
        "6",
        "--quiet",
        "--no-plots",
    )
    assert run(*moons, "--epochs", "60", "--name", "long").returncode == 0
    assert run(*moons, "--epochs", "6", "--name", "six").returncode == 0
    long, six = _history(tmp_path / "runs/long"), _history(tmp_path / "runs/six")
    assert long["epoch"] == six["epoch"] == list(range(6))
    assert six["stopped_reason"].startswith("EarlyStopping: val_loss did not improve for 2 epoch(s)")
    before = (tmp_path / "runs/six/model.safetensors").read_bytes()
    result = run("resume", "runs/six", "--epochs", "60")
    assert_one_line_error(
        result,
        2,
        "ended by early stopping after epoch 6",
        "would have stopped there too",
        "--early-stopping 4",
    )
    assert _history(tmp_path / "runs/six") == six
    assert (tmp_path / "runs/six/model.safetensors").read_bytes() == before
    assert tomllib.loads((tmp_path / "runs/six/config.toml").read_text())["training"]["epochs"] == 6


def test_a_run_trained_without_plots_is_extended_without_them(run, iris):
    # --no-plots is no part of a run's config: a finished run without figures got them drawn
    # by resume --epochs, unlike the same run trained to that total at once
    _train(run, "bare", 2, "--no-plots")
    assert run("resume", "runs/bare", "--epochs", "3", "--quiet").returncode == 0
    assert not (iris / "runs/bare/plots").exists() and (iris / "runs/bare/model.safetensors").is_file()


def test_the_finished_model_is_kept_and_only_deltaprops_figures_go(run, iris):
    import deltaprop as dp
    from deltaprop.files.run_folder import weights_file

    _train(run, "kept", 2)
    run_dir = iris / "runs/kept"
    finished = (run_dir / "model.safetensors").read_bytes()
    plots = run_dir / "plots"
    plots.mkdir()
    drawn = ["learning_curves.png", "confusion_matrix.svg", "decision_boundary.gif"]
    mine = ["iris_photo.png", "notes.svg", "learning_curves_by_hand.png", "talk.gif"]
    for name in drawn + mine:
        (plots / name).write_bytes(b"a picture")
    result = run("resume", "runs/kept", "--epochs", "3", "--quiet", "--no-plots")
    assert result.returncode == 0, result.stderr
    assert "model (2 epochs) is kept as runs/kept/model-epoch2.safetensors" in result.stderr
    assert sorted(p.name for p in plots.iterdir()) == sorted(mine)
    assert (run_dir / "model-epoch2.safetensors").read_bytes() == finished  # the earlier result, as it was
    # no reader takes it for the run's model: that is the 3-epoch one
    assert dp.files.read_metadata(run_dir / "model.safetensors")["user"]["epoch"] <= 3
    assert weights_file(run_dir) == run_dir / "model.safetensors"
    scored = json.loads(run("evaluate", "runs/kept", "--json").stdout)
    assert scored["weights_epoch"] == dp.files.read_metadata(run_dir / "model.safetensors")["user"]["epoch"]


def test_the_figure_names_are_those_plot_run_draws():
    # plot_run names each figure as a literal; every one of them must be one resume --epochs removes
    import re
    from pathlib import Path

    import deltaprop.plots.run as plots_run
    from deltaprop.files.run_folder import FIGURES

    source = Path(plots_run.__file__).read_text()
    named = set(re.findall(r'save\(.*"(\w+)"\)', source)) | set(re.findall(r'skipped\["(\w+)"\]', source))
    assert named and named <= set(FIGURES), named - set(FIGURES)
