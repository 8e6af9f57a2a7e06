"""A run that diverged is said to have diverged, by ``evaluate`` and ``resume``, with train's
advice (a smaller learning rate): resuming it repeats the same steps from the same seed and
diverged again at the same mini-batch, after ``evaluate`` had said "Finish the run with
'deltaprop resume'"."""

from __future__ import annotations

import pytest
from cli_helpers import assert_one_line_error
from test_resume import rewrite_checkpoint

# Diabetes' targets (25..346) unscaled, ReLU and η = 10: the cost overflows within a few epochs.
DIVERGING = (
    "train",
    "--data",
    "diabetes.csv",
    "--task",
    "regression",
    "--scale",
    "none",
    "--activation",
    "relu",
    "--lr",
    "10",
    "--epochs",
    "5",
    "--seed",
    "0",
    "--name",
    "db",
    "--quiet",
    "--no-plots",
)


@pytest.fixture
def diverged(run, tmp_path):
    from sklearn.datasets import load_diabetes

    load_diabetes(as_frame=True).frame.to_csv(tmp_path / "diabetes.csv", index=False)
    result = run(*DIVERGING)
    assert result.returncode == 1 and "training diverged" in result.stderr, result.stderr
    run_dir = tmp_path / "runs/db"
    assert (run_dir / "checkpoint.safetensors").is_file() and not (run_dir / "model.safetensors").exists()
    return run_dir


def test_evaluate_says_the_run_diverged_and_how_to_run_it_again(run, diverged):
    result = run("evaluate", "runs/db", "--json")
    assert result.returncode == 0, result.stderr
    note = result.stderr
    assert "the run diverged" in note and "training diverged at epoch" in note
    assert "Resuming it would diverge again" in note
    assert "deltaprop train --config runs/db/config.toml --lr 1" in note
    assert "Finish the run" not in note and "has not finished" not in note


def test_resume_refuses_to_repeat_a_divergence(run, diverged):
    checkpoint = (diverged / "checkpoint.safetensors").read_bytes()
    result = run("resume", "runs/db")
    assert_one_line_error(
        result,
        2,
        "runs/db cannot be resumed",
        "training diverged at epoch",
        "would diverge again",
        "deltaprop train --config runs/db/config.toml --lr 1",
    )
    assert (diverged / "checkpoint.safetensors").read_bytes() == checkpoint
    assert not (diverged / "model.safetensors").exists()
    more = run("resume", "runs/db", "--epochs", "9")  # no more epochs get past it either
    assert_one_line_error(more, 2, "would diverge again")


def test_an_interrupted_run_is_still_sent_to_resume(run, tmp_path):
    """The other unfinished runs keep their advice: a checkpoint and no record of a divergence."""
    assert run("train", "--epochs", "2", "--name", "cut", "--quiet", "--no-plots").returncode == 0
    (tmp_path / "runs/cut/model.safetensors").unlink()  # as a killed run leaves it
    (tmp_path / "runs/cut/history.json").unlink()
    (tmp_path / "runs/cut/history.csv").unlink()
    rewrite_checkpoint(tmp_path / "runs/cut/checkpoint.safetensors", lambda s: s.update(finished=False))
    result = run("evaluate", "runs/cut", "--json")
    assert result.returncode == 0, result.stderr
    assert "Finish the run with 'deltaprop resume runs/cut'" in result.stderr


@pytest.fixture
def diverged_at_once(run, tmp_path):
    """η = 10⁴ diverges in epoch 1 (mini-batch 38 of 40): no epoch ends, so no checkpoint."""
    from sklearn.datasets import load_diabetes

    load_diabetes(as_frame=True).frame.to_csv(tmp_path / "diabetes.csv", index=False)
    result = run(*DIVERGING, "--lr", "1e4")
    assert result.returncode == 1 and "training diverged at epoch 1," in result.stderr, result.stderr
    assert "runs/db holds only its config.toml and the history saying so" in result.stderr
    assert "deltaprop train --config runs/db/config.toml --lr 1000" in result.stderr
    run_dir = tmp_path / "runs/db"
    assert not (run_dir / "checkpoint.safetensors").exists() and not (run_dir / "model.safetensors").exists()
    return run_dir


def test_a_run_diverged_in_its_first_epoch_records_it(diverged_at_once):
    import json

    from deltaprop.diagnostics.run import DIVERGED, diverged, read_record

    history = json.loads((diverged_at_once / "history.json").read_text())
    assert history["epoch"] == [] and history["stopped_epoch"] == 0
    assert history["stopped_reason"].startswith(f"{DIVERGED} at epoch 1, mini-batch 38")
    record = read_record(diverged_at_once)
    assert record.network is None and diverged(record.stopped_reason)
    assert record.config["training"]["lr"] == 1e4


@pytest.mark.parametrize(
    "command", [["diagnose"], ["plot"], ["resume"], ["evaluate"], ["predict", "runs/db", "diabetes.csv"]]
)
def test_a_run_diverged_in_its_first_epoch_is_sent_to_a_smaller_lr(run, diverged_at_once, command):
    """Not "start it again with 'deltaprop train --config ...'": the same η diverges again (nor,
    for evaluate and predict, "give a model file or a finished run folder")."""
    result = run(*command[:1], "runs/db", *command[2:])
    assert_one_line_error(
        result,
        2,
        "training diverged at epoch 1, mini-batch 38",
        "smaller learning rate: deltaprop train --config runs/db/config.toml --lr 1000",
    )
    assert "'deltaprop train --config runs/db/config.toml'" not in result.stderr
    assert not (diverged_at_once / "plots").exists()
