"""A run records its data file's SHA-256; every later reader notices when the file has changed.

evaluate RUN_DIR redraws the validation rows from the file, resume continues training on it,
diagnose and plot check the model against it: on a changed file each would give numbers for
other rows than the run's, said as if they were the run's own. So each says so instead.
"""

from __future__ import annotations

import hashlib

import numpy as np
import tomllib
from cli_helpers import assert_one_line_error

import deltaprop as dp


def _write_csv(path, rows: int = 200, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    X = rng.random((rows, 4))
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    np.savetxt(path, np.c_[X, y], delimiter=",", header="a,b,c,d,label", comments="", fmt="%.6g")


def _recorded(run) -> str:
    return tomllib.loads((run / "config.toml").read_text())["data"]["sha256"]


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _append_a_row(path) -> None:
    with open(path, "a") as fh:
        fh.write("0.5,0.5,0.5,0.5,1\n")


def test_train_records_the_file_and_a_rerun_on_a_changed_file_is_warned(run, tmp_path):
    _write_csv(tmp_path / "d.csv")
    first = run("train", "--data", "d.csv", "--epochs", "2", "--no-plots", "--name", "a")
    assert first.returncode == 0, first.stderr
    assert _recorded(tmp_path / "runs" / "a") == _sha256(tmp_path / "d.csv")
    again = run("train", "--config", "runs/a/config.toml", "--no-plots", "--name", "b")
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr
    assert dp.load(tmp_path / "runs/a/model.safetensors").weights[0].tolist() == (
        dp.load(tmp_path / "runs/b/model.safetensors").weights[0].tolist()
    )
    _append_a_row(tmp_path / "d.csv")
    changed = run("train", "--config", "runs/a/config.toml", "--no-plots", "--name", "c")
    assert changed.returncode == 0, changed.stderr
    assert "warning: " in changed.stderr and "d.csv has changed since the run read it" in changed.stderr
    assert "[data] sha256 in runs/a/config.toml" in changed.stderr
    assert _recorded(tmp_path / "runs" / "c") == _sha256(tmp_path / "d.csv")  # the new file's
    # --data naming a file replaces the config file's data, fingerprint and all: nothing to warn.
    _write_csv(tmp_path / "other.csv", seed=1)
    other = run("train", "--config", "runs/a/config.toml", "--data", "other.csv", "--no-plots", "--name", "o")
    assert other.returncode == 0 and "warning" not in other.stderr, other.stderr
    assert _recorded(tmp_path / "runs" / "o") == _sha256(tmp_path / "other.csv")
    # A built-in set records none.
    digits = run("train", "--data", "xor", "--epochs", "1", "--no-plots", "--name", "x")
    assert digits.returncode == 0 and _recorded(tmp_path / "runs" / "x") == ""


def test_evaluate_and_diagnose_say_the_file_changed_instead_of_scoring_other_rows(run, tmp_path):
    _write_csv(tmp_path / "d.csv")
    assert run("train", "--data", "d.csv", "--epochs", "3", "--no-plots", "--name", "a").returncode == 0
    held_out = run("evaluate", "runs/a")
    assert (
        held_out.returncode == 0 and "the validation rows held out by the run: 20 of 200" in held_out.stdout
    )
    assert "data-unavailable" not in run("diagnose", "runs/a").stdout
    _append_a_row(tmp_path / "d.csv")
    refused = run("evaluate", "runs/a")
    assert_one_line_error(
        refused, 1, "cannot be found again", "d.csv has changed since the run read it", "--data"
    )
    whole = run("evaluate", "runs/a", "--data", "d.csv")  # every row, said so: still possible
    assert whole.returncode == 0 and "201 samples" in whole.stdout, whole.stderr
    diagnosed = run("diagnose", "runs/a")
    assert diagnosed.returncode == 0 and "no problems found" not in diagnosed.stdout
    assert "skipped" in diagnosed.stdout and "has changed" in diagnosed.stdout


def test_a_bad_fingerprint_in_a_config_file_is_a_usage_error(run, tmp_path):
    _write_csv(tmp_path / "d.csv")
    (tmp_path / "run.toml").write_text('[data]\npath = "d.csv"\nsha256 = "abc"\n')
    assert_one_line_error(
        run("train", "--config", "run.toml"), 2, '[data] sha256 = "abc" in', "64 hex digits"
    )


def test_resume_refuses_to_continue_a_run_on_a_changed_file(run, tmp_path):
    _write_csv(tmp_path / "d.csv")
    assert (
        run("train", "--data", "d.csv", "--epochs", "1", "--no-plots", "--quiet", "--name", "r").returncode
        == 0
    )
    # The checkpoint of a run stopped after epoch 1 of 2, as Ctrl-C or a kill would leave it.
    checkpoint = tmp_path / "runs/r/checkpoint.safetensors"
    net, optimizer, state = dp.files.load_checkpoint(checkpoint)
    state["config"]["training"]["epochs"] = 2
    state["finished"] = False
    dp.files.save_checkpoint(checkpoint, net, optimizer, state)
    _append_a_row(tmp_path / "d.csv")
    refused = run("resume", "runs/r")
    assert_one_line_error(refused, 2, "cannot resume runs/r", "d.csv has changed since the run read it")
    assert "deltaprop train --config runs/r/config.toml" in refused.stderr
