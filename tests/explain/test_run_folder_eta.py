"""``deltaprop explain --model RUN_DIR`` steps with the run's η, and says that the step is plain SGD."""

from __future__ import annotations

import pytest

import deltaprop as dp
from deltaprop.cli import main

X = ",".join(["0.5"] * 64)  # one digits image (8×8 pixels in [0, 1])


def _train(tmp_path, *extra: str):
    args = ["train", "--epochs", "1", "--lr", "0.25", "--no-plots", "--out", str(tmp_path), "--name", "r"]
    assert main([*args, *extra, "--quiet"]) == 0
    return tmp_path / "r"


@pytest.fixture(scope="module")
def sgd_run(tmp_path_factory):
    return _train(tmp_path_factory.mktemp("sgd"))


def _cost_after(run, eta):
    return f"{dp.explain(dp.load(run / 'model.safetensors'), [0.5] * 64, 3, eta).cost_after:.9f}".rstrip("0")


def test_a_run_folder_is_stepped_with_the_runs_learning_rate(sgd_run, capsys):
    for model in (sgd_run, sgd_run / "model.safetensors"):
        assert main(["explain", "--model", str(model), "--input", X, "--target", "3"]) == 0
        out = capsys.readouterr().out
        first = " ".join(out.split("───")[0].split())  # the note above the title, however wrapped
        assert first == f"η = 0.25, the run's learning rate ([training] lr of {sgd_run / 'config.toml'})"
        assert "learning rate η = 0.25" in out and _cost_after(sgd_run, 0.25) in out
        assert "plain SGD" not in out  # the run trained with SGD: nothing to warn of


def test_lr_still_chooses(sgd_run, capsys):
    assert main(["explain", "--model", str(sgd_run), "--input", X, "--target", "3", "--lr", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "the run's learning rate" not in out
    assert "learning rate η = 0.1" in out and _cost_after(sgd_run, 0.1) in out


def test_a_model_outside_a_run_folder_keeps_the_default(sgd_run, tmp_path, capsys):
    model = tmp_path / "alone.safetensors"
    model.write_bytes((sgd_run / "model.safetensors").read_bytes())
    assert main(["explain", "--model", str(model), "--input", X, "--target", "3"]) == 0
    out = capsys.readouterr().out
    assert "the run's learning rate" not in out and "learning rate η = 0.5" in out


def test_an_adam_run_is_told_that_the_step_is_plain_sgd(tmp_path, capsys):
    run = _train(tmp_path, "--optimizer", "adam")
    capsys.readouterr()
    assert main(["explain", "--model", str(run), "--input", X, "--target", "3", "--format", "markdown"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("#")  # the document alone on stdout; the notes on stderr
    notes = captured.err.splitlines()
    assert notes[0].startswith("η = 0.25, the run's learning rate")
    assert notes[1].startswith("The run trained with adam; this walk-through shows a plain SGD step")
    assert "learning rate η = 0.25" in captured.out


def test_an_sgd_run_with_momentum_is_told_that_the_step_is_plain_sgd(tmp_path, capsys):
    """--optimizer sgd --momentum 0.9 trains with heavy-ball momentum: the note is due as for adam."""
    run = _train(tmp_path, "--optimizer", "sgd", "--momentum", "0.9")
    capsys.readouterr()
    assert main(["explain", "--model", str(run), "--input", X, "--target", "3"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the note, wrapped to the console's width
    assert "The run trained with sgd with momentum 0.9; this walk-through shows a plain SGD step" in out
