"""A run whose cost is infinite before any update is not told to lower --lr.

Targets of ~1e160 make the quadratic cost overflow at the initial weights: the CLI said
"Try a smaller learning rate, e.g. ... --lr 1e-10" to a run at --lr 1e-9, and every smaller
η diverged the same way. Now it says the data overflow, with their magnitudes, and how to
scale them."""

from __future__ import annotations

import json

import numpy as np


def _huge_targets(path) -> None:
    rng = np.random.default_rng(0)
    X, y = rng.random((40, 3)), rng.random(40) * 1e160
    lines = ["a,b,c,y"] + [",".join(f"{v:.6g}" for v in (*row, t)) for row, t in zip(X, y)]
    path.write_text("\n".join(lines) + "\n")


def test_a_cost_infinite_before_any_update_points_at_the_data_not_eta(run, tmp_path):
    _huge_targets(tmp_path / "big.csv")
    flags = ["--task", "regression", "--lr", "1e-9", "--epochs", "2", "--no-plots", "--name", "big"]
    result = run("train", "--data", "big.csv", *flags)
    assert result.returncode != 0
    said = " ".join(result.stderr.split())
    assert "already before any update, so a smaller --lr gives the same" in said
    assert "targets Y up to |y| = " in said and "e+159" in said
    assert "--scale standard" in said and "--lr 1e-10" not in said
    reason = json.loads((tmp_path / "runs/big/history.json").read_text())["stopped_reason"]
    assert "already before any update" in reason


def test_the_commands_after_it_do_not_advise_a_smaller_lr_either(run, tmp_path):
    """resume, evaluate and diagnose read the history's reason, and advised a smaller --lr."""
    _huge_targets(tmp_path / "big.csv")
    flags = ["--task", "regression", "--lr", "1e-9", "--epochs", "2", "--no-plots", "--name", "big"]
    assert run("train", "--data", "big.csv", *flags).returncode != 0
    for command in (["resume", "runs/big"], ["evaluate", "runs/big"]):
        said = " ".join(run(*command).stderr.split())
        assert "--scale standard" in said and "smaller learning rate: " not in said, (command, said)
