"""``deltaprop train --restore-best-weights``: the model saved is the lowest-val_loss epoch's.

Real runs on the built-in digits. With η = 2 the validation loss jumps about, so its lowest
epoch is neither the first nor the last, and the kept weights can be told from the last
ones. Whether they are the best epoch's is checked by evaluating them again on the
validation split the run held out: the loss must equal the history's lowest val_loss.
Resuming such a run after an interrupt is tested in ``test_resume.py``.
"""

from __future__ import annotations

import json
import re
import sys

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, same_weights

import deltaprop as dp
from deltaprop.cli.data import load_run_data
from deltaprop.training import evaluate
from deltaprop.training._data import check_targets
from deltaprop.training.arguments import split_indices

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EPOCHS = 15
RUN = ["train", "--epochs", str(EPOCHS), "--lr", "2.0", "--seed", "0", "--no-plots"]


def read_run(run_dir):
    config = tomllib.loads((run_dir / "config.toml").read_text())
    history = json.loads((run_dir / "history.json").read_text())
    return config, history


def validation_loss(run_dir, model) -> float:
    """The loss of ``model`` on the validation rows the run in ``run_dir`` held out."""
    config, _ = read_run(run_dir)
    seed = config["training"]["seed"]
    data = load_run_data(config["data"], seed)
    n = len(data.y_train)
    targets = check_targets(data.y_train, model.sizes[-1], n)
    _, val = split_indices(targets, n, config["data"]["validation_split"], seed)
    return evaluate(model, data.X_train[val], data.y_train[val])["loss"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One run with the flag and the same run without it (run side by side)."""
    import subprocess

    from cli_helpers import cli_env

    tmp = tmp_path_factory.mktemp("restore")
    (tmp / "cache").mkdir()
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "deltaprop", *RUN, *extra, "--name", name],
            cwd=tmp,
            env=cli_env(tmp / "cache"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, extra in (("best", ["--restore-best-weights"]), ("last", []))
    }
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        out[name] = (tmp / "runs" / name, stdout)
    return out


def test_the_model_holds_the_best_epochs_weights(runs):
    run_dir, stdout = runs["best"]
    config, history = read_run(run_dir)
    val = history["history"]["val_loss"]
    best = int(np.argmin(val))
    assert 0 < best < EPOCHS - 1, "the test needs a best epoch that is not the last"
    assert history["epoch"] == list(range(EPOCHS))  # every epoch stays in the history
    model = dp.load(run_dir / "model.safetensors")
    assert validation_loss(run_dir, model) == min(val)
    # the summary says which weights were kept, and the test loss is theirs
    assert f"weights of epoch {best + 1} (best val_loss {min(val):.4f})" in stdout
    data = load_run_data(config["data"], config["training"]["seed"])
    test = evaluate(model, data.X_test, data.y_test)
    shown = {"test loss": f"{test['loss']:.4f}", "test accuracy": f"{100 * test['accuracy']:.2f}%"}
    for row, value in shown.items():
        assert re.search(rf"^│ {row}\s+│ {re.escape(value)}\s+│$", stdout, re.MULTILINE), stdout


def test_training_itself_is_the_same_with_and_without_the_flag(runs):
    (best_dir, _), (last_dir, stdout) = runs["best"], runs["last"]
    best_history, last_history = read_run(best_dir)[1]["history"], read_run(last_dir)[1]["history"]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):  # all but the seconds taken
        assert best_history[key] == last_history[key], key
    # the checkpoint holds the position reached (the last epoch's weights) in both runs
    _, _, state = dp.files.load_checkpoint(best_dir / "checkpoint.safetensors")
    assert same_weights(best_dir / "checkpoint.safetensors", last_dir / "model.safetensors")
    assert not same_weights(best_dir / "model.safetensors", last_dir / "model.safetensors")
    assert state["best"]["epoch"] == int(np.argmin(read_run(best_dir)[1]["history"]["val_loss"]))
    # without the flag: the last epoch's weights, no word about them, no best in the checkpoint
    last_model = dp.load(last_dir / "model.safetensors")
    assert validation_loss(last_dir, last_model) == read_run(last_dir)[1]["history"]["val_loss"][-1]
    assert "weights of epoch" not in stdout
    _, _, state = dp.files.load_checkpoint(last_dir / "checkpoint.safetensors")
    assert not [key for key in state if key.startswith("best")]
    assert read_run(last_dir)[0]["training"]["restore_best_weights"] is False


def test_the_config_file_records_it_and_repeats_the_run(runs, cli, tmp_path):
    run_dir, _ = runs["best"]
    config, _ = read_run(run_dir)
    assert config["training"]["restore_best_weights"] is True
    again = cli("train", "--config", str(run_dir / "config.toml"), "--name", "again", "--quiet", "--no-plots")
    assert again.returncode == 0, again.stderr
    assert same_weights(tmp_path / "runs/again/model.safetensors", run_dir / "model.safetensors")
    # --no-restore-best-weights turns off what the file turned on
    off = cli("train", "--config", str(run_dir / "config.toml"), "--no-restore-best-weights", "--name", "off")
    assert off.returncode == 0, off.stderr
    assert read_run(tmp_path / "runs/off")[0]["training"]["restore_best_weights"] is False
    assert same_weights(tmp_path / "runs/off/model.safetensors", runs["last"][0] / "model.safetensors")
    assert "weights of epoch" not in off.stdout


def test_with_early_stopping_it_keeps_the_epoch_patience_epochs_before_the_stop(cli, tmp_path):
    result = cli(*RUN, "--epochs", "200", "--early-stopping", "2", "--restore-best-weights", "--name", "e")
    assert result.returncode == 0, result.stderr
    run_dir = tmp_path / "runs/e"
    _, history = read_run(run_dir)
    val = history["history"]["val_loss"]
    assert history["stopped_epoch"] == len(val) - 1 < 199
    best = int(np.argmin(val))
    assert best == len(val) - 3  # two epochs without improvement, then the stop
    assert "the weights of that epoch were restored" in history["stopped_reason"]
    assert validation_loss(run_dir, dp.load(run_dir / "model.safetensors")) == min(val)
    assert f"weights of epoch {best + 1} (best val_loss {min(val):.4f})" in result.stdout


def test_help_explains_the_flag(cli):
    helped = cli("train", "--help")
    assert helped.returncode == 0
    text = " ".join(helped.stdout.split()).replace("- ", "-")  # argparse may break a flag at a hyphen
    assert "--restore-best-weights, --no-restore-best-weights" in text
    assert "the epoch with the lowest val_loss, not the last epoch's" in text
    assert "the last epoch's weights, as Keras's EarlyStopping does, unless --restore-best-weights" in text


def test_it_needs_a_validation_split(cli, tmp_path):
    # the default split of 4 XOR points holds none out: refused (not dropped) before a folder is made
    assert_one_line_error(
        cli("train", "--data", "xor", "--restore-best-weights"),
        2,
        "--restore-best-weights: keeps the epoch of the lowest validation loss, but the default "
        "--validation-split 0.1 leaves no validation samples of xor",
    )
    assert_one_line_error(
        cli("train", "--data", "xor", "--early-stopping", "3"),
        2,
        "--early-stopping 3: watches the validation loss, but the default --validation-split 0.1",
    )
    assert not (tmp_path / "runs").exists()
