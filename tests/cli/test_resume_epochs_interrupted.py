"""``resume RUN --epochs N`` cut short: a Ctrl-C, or a kill before its first checkpoint. A model
file exists only once a run has finished, so from the moment the run goes on its folder reads
as a run under way: no ``model.safetensors`` (evaluate, predict, diagnose, plot and
``dp.load`` read the checkpoint, and say the run is unfinished), no figures of the old model,
and a checkpoint that a plain ``resume`` continues to N, bit for bit as ``train --epochs N``.
"""

from __future__ import annotations

import json
import signal
import sys

import pytest
from cli_helpers import same_weights
from test_resume import SIGINT_AT_BATCH, popen_in

import deltaprop as dp

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# digits, 130 mini-batches an epoch; the scaling, Adam and the best epoch's weights all sit in
# the checkpoint that the extension rewrites, and must come through it exactly.
OPTIONS = ["--batch-size", "10", "--seed", "3", "--optimizer", "adam", "--lr", "0.01"]
OPTIONS += ["--scale", "minmax", "--restore-best-weights", "--quiet"]
EPOCHS = 4


def _finished(popen, name: str, epochs: int, *more: str) -> None:
    proc = popen("-m", "deltaprop", "train", *OPTIONS, "--epochs", str(epochs), "--name", name, *more)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def _done(proc, code: int) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == code, (out, err)
    assert "Traceback" not in err
    return err


def _history(run_dir) -> dict:
    return json.loads((run_dir / "history.json").read_text())


def _numbers(run_dir) -> dict:
    """Every logged number of the run but the epochs' times."""
    return {key: values for key, values in _history(run_dir)["history"].items() if key != "time"}


def test_ctrl_c_during_resume_epochs_leaves_an_unfinished_run(cli, tmp_path):
    popen, script = popen_in(tmp_path)
    _finished(popen, "cut", 1)  # with its plots
    _finished(popen, "whole", EPOCHS, "--no-plots")
    run_dir = tmp_path / "runs/cut"
    assert (run_dir / "model.safetensors").is_file() and any((run_dir / "plots").iterdir())

    # Ctrl-C in epoch 3 (the second of the extension), after mini-batch 5
    err = _done(popen(script, "2", "5", "resume", "runs/cut", "--epochs", str(EPOCHS), "--quiet"), 130)
    assert "interrupted at epoch 3, batch 5" in err
    assert not (run_dir / "model.safetensors").exists()  # was epoch 1's, beside epoch 3's checkpoint
    assert not (run_dir / "plots").exists()  # drawn of epoch 1's model
    _, _, state = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")
    assert (state["epoch"], state["batch"], state["finished"]) == (2, 5, False)
    assert len(_history(run_dir)["epoch"]) == 2

    # every reader reads the checkpoint, and says the run has not finished
    checkpoint = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")[0]
    loaded = dp.load(run_dir)
    assert all((a == b).all() for a, b in zip(loaded.weights, checkpoint.weights))
    evaluated = cli("evaluate", "runs/cut")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "holds no model.safetensors (the run has not finished)" in evaluated.stderr
    assert "weights of epoch 1" not in evaluated.stdout
    diagnosed = cli("diagnose", "runs/cut")
    assert diagnosed.returncode == 0, diagnosed.stderr
    assert "the run was interrupted" in " ".join(diagnosed.stdout.split())

    # and a plain resume finishes it as train --epochs 4 would have
    _done(popen("-m", "deltaprop", "resume", "runs/cut", "--quiet", "--no-plots"), 0)
    whole = tmp_path / "runs/whole"
    assert same_weights(run_dir / "model.safetensors", whole / "model.safetensors")
    assert _numbers(run_dir) == _numbers(whole)


def test_a_kill_before_the_extensions_first_checkpoint_is_resumed_to_n(tmp_path):
    """Between the model's removal and the extension's first checkpoint only the finished run's
    checkpoint is there: rewritten unfinished with the new total, a plain resume goes on."""
    popen, script = popen_in(tmp_path)
    (tmp_path / "kill.py").write_text(SIGINT_AT_BATCH.replace("signal.SIGINT", "signal.SIGKILL"))
    _finished(popen, "killed", 1, "--no-plots")
    _finished(popen, "whole", EPOCHS, "--no-plots")
    run_dir = tmp_path / "runs/killed"

    # SIGKILL in epoch 2 (the first of the extension), after mini-batch 5
    _done(
        popen("kill.py", "1", "5", "resume", "runs/killed", "--epochs", str(EPOCHS), "--quiet"),
        -signal.SIGKILL,
    )
    assert not (run_dir / "model.safetensors").exists()
    _, _, state = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")
    assert (state["epoch"], state["batch"], state["finished"]) == (1, 0, False)
    assert state["config"]["training"]["epochs"] == EPOCHS
    # the finished run's history and findings went with its model: a kill writes neither again,
    # and readers took the stale history over the checkpoint's (diagnose judged epoch 31's
    # weights with epoch 8's accuracy)
    assert not any((run_dir / name).exists() for name in ("history.json", "history.csv", "diagnostics.json"))
    from deltaprop.diagnostics.run import read_run

    assert len(read_run(run_dir).history["loss"]) == state["epoch"]

    _done(popen("-m", "deltaprop", "resume", "runs/killed", "--quiet", "--no-plots"), 0)
    whole = tmp_path / "runs/whole"
    assert same_weights(run_dir / "model.safetensors", whole / "model.safetensors")
    assert _numbers(run_dir) == _numbers(whole)
