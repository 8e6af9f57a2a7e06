"""A run that diverged is said to have diverged, by ``evaluate`` and ``resume``, with train's
advice (a smaller learning rate): resuming it repeats the same steps from the same seed and
diverged again at the same mini-batch, after ``evaluate`` had said "Finish the run with
'deltaprop resume'"."""

from __future__ import annotations

import pytest
from cli_helpers import assert_one_line_error

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
    result = run("evaluate", "runs/cut", "--json")
    assert result.returncode == 0, result.stderr
    assert "Finish the run with 'deltaprop resume runs/cut'" in result.stderr
