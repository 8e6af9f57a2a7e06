"""``diagnose`` and ``plot`` of a run that wrote no model: one that diverged, one stopped by
Ctrl-C, one killed (its checkpoint alone). Each holds its checkpoint, whose weights are looked
at instead, and the output says how the run ended; a folder without even a checkpoint is
refused, saying why."""

from __future__ import annotations

import json

from sklearn.datasets import load_diabetes
from test_resume import popen_in

from deltaprop.diagnostics import diagnose_run


def _diverging_csv(path) -> None:
    """scikit-learn's diabetes data, raw (features up to 301, targets 25-346): η = 0.5 (SGD's
    default, regression's before 0.1) on them unscaled diverges within a few epochs, as in the
    audit that found this."""
    load_diabetes(as_frame=True, scaled=False).frame.to_csv(path, index=False)


def test_a_diverged_run_is_diagnosed_and_plotted_from_its_checkpoint(run, tmp_path):
    _diverging_csv(tmp_path / "big.csv")
    args = ("--data", "big.csv", "--task", "regression", "--lr", "0.5", "--seed", "1", "--name", "div")
    trained = run("train", *args)
    assert trained.returncode == 1 and "training diverged" in trained.stderr, trained.stderr
    folder = tmp_path / "runs" / "div"
    assert not (folder / "model.safetensors").exists()
    history = json.loads((folder / "history.json").read_text())
    assert history["stopped_reason"].startswith("training diverged at epoch")
    assert len(history["epoch"]) >= 1  # the epochs up to the checkpoint

    result = run("diagnose", "runs/div")

    assert result.returncode == 0, result.stderr
    assert "the run diverged" in result.stdout and "checkpoint.safetensors" in result.stdout
    codes = [f.code for f in diagnose_run(folder)]
    assert codes[0] == "unfinished-run" and "diverged" in codes
    drawn = run("plot", "runs/div")
    assert drawn.returncode == 0, drawn.stderr
    assert (folder / "plots" / "learning_curves.png").is_file()
    assert "note: runs/div: the run diverged" in drawn.stderr
    # a run killed at once leaves its checkpoint alone, whose history says nothing of a stop
    for name in ("history.json", "history.csv"):
        (folder / name).unlink()
    findings = diagnose_run(folder)
    assert findings[0].message.startswith("the run stopped before it finished (killed")
    assert f"from the end of epoch {len(history['epoch'])}" in findings[0].message


def test_an_interrupted_and_a_killed_run_are_diagnosed_from_their_checkpoints(cli, tmp_path):
    popen, script = popen_in(tmp_path)
    argv = ["train", "--epochs", "5", "--batch-size", "10", "--seed", "3", "--no-plots", "--quiet"]
    proc = popen(script, "1", "0", *argv, "--name", "cut")  # Ctrl-C at the end of epoch 2
    proc.communicate(timeout=120)
    assert proc.returncode == 130
    folder = tmp_path / "runs" / "cut"
    assert (folder / "history.json").is_file() and not (folder / "model.safetensors").exists()

    interrupted = cli("diagnose", "runs/cut")

    assert interrupted.returncode == 0, interrupted.stderr
    assert "the run was interrupted" in " ".join(interrupted.stdout.split())
    assert "deltaprop resume" in interrupted.stdout
    # without its history files: the checkpoint's history, which says it was interrupted
    for name in ("history.json", "history.csv"):
        (folder / name).unlink()
    findings = diagnose_run(folder)
    assert findings[0].message.startswith("the run was interrupted")
    assert "from the end of epoch 2" in findings[0].message
    assert cli("plot", "runs/cut").returncode == 0
    assert (folder / "plots" / "learning_curves.png").is_file()  # drawn from the checkpoint's history


def test_a_run_without_a_checkpoint_is_refused_saying_why(run, tmp_path):
    (tmp_path / "runs" / "early").mkdir(parents=True)
    (tmp_path / "runs" / "early" / "config.toml").write_text("")
    (tmp_path / "empty").mkdir()

    for command in ("diagnose", "plot"):
        early = run(command, "runs/early")
        assert early.returncode == 2
        assert "neither model.safetensors nor checkpoint.safetensors" in early.stderr
        assert "before its first epoch ended" in early.stderr
        assert "deltaprop train --config runs/early/config.toml" in early.stderr
        empty = run(command, "empty")
        assert empty.returncode == 2 and "is it a run folder written by 'deltaprop train'" in empty.stderr


def test_a_run_whose_config_toml_was_deleted_is_diagnosed_with_its_checkpoints(run, tmp_path):
    trained = run("train", "--epochs", "2", "--seed", "1", "--name", "r", "--no-plots", "--quiet")
    assert trained.returncode == 0, trained.stderr
    (tmp_path / "runs/r/config.toml").unlink()
    codes = [f.code for f in diagnose_run(tmp_path / "runs/r")]
    assert "data-unavailable" not in codes  # the data checks ran

    (tmp_path / "runs/r/checkpoint.safetensors").unlink()  # and without it, what is missing is said
    skipped = {f.code: f.message for f in diagnose_run(tmp_path / "runs/r")}["data-unavailable"]
    assert "no config.toml, nor a checkpoint.safetensors holding the run's configuration" in skipped
