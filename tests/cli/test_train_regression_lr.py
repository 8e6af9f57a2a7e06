"""--task regression's default learning rate is 0.1, not SGD's 0.5: with --scale standard, as
the README recommends, 0.5 diverged on scikit-learn's diabetes for seeds 2 and 3 (and fitted
worse for most others), where 0.1 trains every seed 1-8 to a validation R² near a linear
model's. A learning rate given, Adam's own default, and a task found out keep theirs."""

from __future__ import annotations

import re

import pytest
from sklearn.datasets import load_diabetes


@pytest.fixture
def diabetes(tmp_path):
    load_diabetes(as_frame=True, scaled=False).frame.to_csv(tmp_path / "diabetes.csv", index=False)
    return "diabetes.csv"


def _r2(stdout: str) -> float:
    return float(re.search(r"^│ validation R²\s+│ (\S+)", stdout, re.MULTILINE)[1])


def test_regression_trains_at_0_1_where_0_5_diverged(run, diabetes):
    args = ("train", "--data", diabetes, "--task", "regression", "--scale", "standard", "--seed", "2")

    default = run(*args, "--no-plots", "--name", "default")

    assert default.returncode == 0, default.stderr
    assert "quadratic cost, sgd η=0.1," in default.stdout
    assert _r2(default.stdout) > 0.2
    given = run(*args, "--lr", "0.5", "--no-plots", "--name", "given")
    assert given.returncode == 1 and "training diverged" in given.stderr  # as before, when asked for


def test_adam_and_a_task_found_out_keep_their_learning_rates(run, diabetes, tmp_path):
    adam = run("train", "--data", diabetes, "--task", "regression", "--optimizer", "adam", "--epochs", "1")
    assert "adam η=0.001," in adam.stdout, adam.stderr
    (tmp_path / "real.csv").write_text("a,y\n" + "".join(f"{i / 10},{i / 7}\n" for i in range(40)))
    found = run(
        "train", "--data", "real.csv", "--cost", "quadratic", "--output-activation", "linear", "--epochs", "1"
    )
    assert "sgd η=0.5," in found.stdout, found.stderr
    config = run("train", "--data", diabetes, "--task", "regression", "--epochs", "1", "--name", "c")
    assert "lr = 0.1\n" in (tmp_path / "runs/c/config.toml").read_text(), config.stderr


def test_the_task_help_gives_regression_s_learning_rate(run):
    helped = " ".join(run("train", "--help").stdout.split())
    task = helped[helped.index("--task {auto,classification,regression} how") :]
    assert "the learning rate to 0.1 unless --lr is given (0.001 for adam)" in task[: task.index("--scale")]
