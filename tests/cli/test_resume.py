"""Interruption and ``deltaprop resume``: Ctrl-C and SIGKILL mid-run, then bit-identical weights.

Each test starts a real ``deltaprop train`` subprocess long enough that the signal lands
mid-run (online descent, batch size 1), waits for the first checkpoint, signals, resumes,
and compares the final weights bit for bit with a run that was never interrupted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from cli_helpers import assert_one_line_error, cli_env, same_weights

import deltaprop as dp

# ~1,300 updates per epoch (under 0.1 s with the fast step), and enough epochs that the
# signal, sent a moment after the first checkpoint, always lands mid-run.
EPOCHS = 40
RUN = [
    "train",
    "--epochs",
    str(EPOCHS),
    "--batch-size",
    "1",
    "--seed",
    "7",
    "--optimizer",
    "adam",
    "--lr",
    "0.002",
    "--schedule",
    "step:0.5:10",
    "--no-plots",
]
CHECKPOINT_WAIT = 60.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def start(tmp_path, name: str) -> subprocess.Popen:
    (tmp_path / "cache").mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "deltaprop", *RUN, "--name", name],
        cwd=tmp_path,
        env=cli_env(tmp_path / "cache"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + CHECKPOINT_WAIT
    while not path.exists():
        assert proc.poll() is None, f"training ended before its first checkpoint: {proc.communicate()}"
        assert time.monotonic() < deadline, "no checkpoint appeared"
        time.sleep(0.02)


def uninterrupted(tmp_path) -> subprocess.Popen:
    """The same run, never interrupted, started beside the one to be interrupted (so both load the
    same code at the same moment, in a tree where others may be editing the engine)."""
    return start(tmp_path, "whole")


def finish(proc: subprocess.Popen, tmp_path):
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return tmp_path / "runs" / "whole"


def interrupt_mid_epoch(tmp_path, attempts: int = 4):
    """Start runs and Ctrl-C each a moment after its first checkpoint, until one stops between
    two mini-batches. A SIGINT that arrives during an epoch's closing work (validation,
    writing the checkpoint) stops at the epoch's edge instead, which is also correct but not
    the case under test; with ~1,300 mini-batches an epoch, a few tries always find one."""
    for attempt in range(attempts):
        name = f"a{attempt}"
        proc = start(tmp_path, name)
        run_dir = tmp_path / "runs" / name
        wait_for(run_dir / "checkpoint.safetensors", proc)  # end of epoch 1: now mid-epoch 2
        time.sleep(0.3 + 0.037 * attempt)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, (out, err)
        assert "Traceback" not in err
        assert f"deltaprop resume runs/{name}" in err and "checkpoint saved" in err
        _, _, state = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")
        assert 1 <= state["epoch"] < EPOCHS and state["seed"] == 7 and not state["finished"]
        assert len(state["history"]["epoch"]) == state["epoch"]
        assert not (run_dir / "model.safetensors").exists()
        if state["batch"] > 0:
            return name, run_dir, state
    raise AssertionError(f"no Ctrl-C in {attempts} tries stopped between two mini-batches")


def test_ctrl_c_checkpoints_exits_130_and_resume_is_bit_identical(cli, tmp_path):
    reference = uninterrupted(tmp_path)
    name, run_dir, state = interrupt_mid_epoch(tmp_path)

    whole_dir = finish(reference, tmp_path)
    resumed = cli("resume", f"runs/{name}", "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert f"from epoch {state['epoch'] + 1}, batch {state['batch']}" in resumed.stdout
    assert same_weights(run_dir / "model.safetensors", whole_dir / "model.safetensors")
    history = json.loads((run_dir / "history.json").read_text())
    whole = json.loads((whole_dir / "history.json").read_text())
    assert history["epoch"] == whole["epoch"] == list(range(EPOCHS))
    # Every logged number too: the interrupted epoch's loss and accuracy go on from the sums
    # the checkpoint kept (history.partial), so they cover all its mini-batches.
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
        assert history["history"][key] == whole["history"][key], key
    assert state["history"]["partial"]["batch"] == state["batch"]


def test_sigkill_leaves_a_complete_checkpoint_and_resume_is_bit_identical(cli, tmp_path):
    reference = uninterrupted(tmp_path)
    proc = start(tmp_path, "k")
    run_dir = tmp_path / "runs" / "k"
    wait_for(run_dir / "checkpoint.safetensors", proc)
    time.sleep(0.4)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    leftovers = [p.name for p in run_dir.iterdir() if p.name.startswith(".")]
    _, _, state = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")  # complete and readable
    assert state["batch"] == 0 and 1 <= state["epoch"] < EPOCHS, (state["epoch"], state["batch"], leftovers)
    # a write cut short by the kill leaves a temporary file; resume clears it (made here when
    # the kill did not land mid-write)
    (run_dir / ".checkpoint.safetensors.abc123.tmp").write_bytes(b"half a checkpoint")
    whole_dir = finish(reference, tmp_path)
    resumed = cli("resume", "runs/k", "--quiet", "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.strip() == "runs/k"
    assert same_weights(run_dir / "model.safetensors", whole_dir / "model.safetensors")
    assert not [p.name for p in run_dir.iterdir() if p.name.endswith(".tmp")]


def test_resume_errors_and_a_finished_run(cli, tmp_path):
    assert_one_line_error(cli("resume", "runs/none"), 2, "runs/none does not exist")
    (tmp_path / "empty").mkdir()
    assert_one_line_error(cli("resume", "empty"), 2, "empty holds neither", "not a run folder")
    (tmp_path / "empty/config.toml").write_text("")  # a run stopped before its first checkpoint
    assert_one_line_error(cli("resume", "empty"), 2, "no checkpoint.safetensors", "deltaprop train --config")
    assert cli("train", "--epochs", "1", "--name", "done", "--quiet", "--no-plots").returncode == 0
    done = cli("resume", "runs/done")
    assert done.returncode == 0, done.stderr
    assert "nothing to resume" in done.stdout


# --- every optimizer, Ctrl-C at a fixed mini-batch (deterministic, no timing) ---------------

# Runs `deltaprop train` with one more callback, first in the list, that sends this process a
# real SIGINT after a given mini-batch: the CLI's own handler, Checkpointer and exit path do
# the rest exactly as for a user's Ctrl-C, but at the same batch every time.
SIGINT_AT_BATCH = """
import os, signal, sys
import deltaprop.training as training
from deltaprop.cli import main
from deltaprop.training.callback import Callback

EPOCH, BATCH = int(sys.argv[1]), int(sys.argv[2])
fit = training.fit

class CtrlC(Callback):  # BATCH 0: after the epoch's last mini-batch
    def on_batch_end(self, batch, logs=None):
        if self.run.epoch == EPOCH and batch + 1 == (BATCH or self.run.params["steps"]):
            os.kill(os.getpid(), signal.SIGINT)

def fit_with_ctrl_c(*args, callbacks=(), **kwargs):
    return fit(*args, callbacks=[CtrlC(), *callbacks], **kwargs)

training.fit = fit_with_ctrl_c
sys.exit(main(sys.argv[3:]))
"""
# Adam is interrupted by a real Ctrl-C in the tests above; these are the other optimizers.
OPTIMIZER_RUNS = {
    "sgd": ["--optimizer", "sgd", "--lr", "0.5", "--schedule", "step:0.5:1"],
    "momentum": ["--optimizer", "momentum", "--lr", "0.05", "--momentum", "0.8", "--schedule", "cosine"],
    "nesterov": ["--optimizer", "nesterov", "--lr", "0.05", "--schedule", "exponential:0.9"],
}
SHORT = ["train", "--epochs", "2", "--batch-size", "10", "--seed", "3", "--no-plots", "--quiet"]


def popen_in(tmp_path):
    """``popen(*argv)``: ``python *argv`` in ``tmp_path``, as the runs above are started; and
    the Ctrl-C script written there (``popen(script, EPOCH, BATCH, *deltaprop_argv)``)."""
    (tmp_path / "cache").mkdir(exist_ok=True)
    script = tmp_path / "ctrl_c.py"
    script.write_text(SIGINT_AT_BATCH)

    def popen(*argv):
        return subprocess.Popen(
            [sys.executable, *argv],
            cwd=tmp_path,
            env=cli_env(tmp_path / "cache"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    return popen, str(script)


def whole_and_cut(popen, script: str, runs: dict) -> dict:
    """Every run of ``runs`` (name -> options) twice, all at once: ``whole-NAME`` uninterrupted
    and ``cut-NAME`` interrupted in epoch 2, after mini-batch 17; ``{run: ((out, err), code)}``."""
    procs = {}
    for name, options in runs.items():
        procs["whole-" + name] = popen("-m", "deltaprop", *SHORT, *options, "--name", "whole-" + name)
        procs["cut-" + name] = popen(script, "1", "17", *SHORT, *options, "--name", "cut-" + name)
    return {key: (proc.communicate(timeout=120), proc.returncode) for key, proc in procs.items()}


def test_ctrl_c_then_resume_is_bit_identical_for_every_optimizer(cli, tmp_path):
    popen, script = popen_in(tmp_path)

    done = whole_and_cut(popen, script, OPTIMIZER_RUNS)
    for name in OPTIMIZER_RUNS:
        (_, err), code = done["cut-" + name]
        assert code == 130 and "Traceback" not in err, (name, code, err)
        assert done["whole-" + name][1] == 0, done["whole-" + name]
        _, optimizer, state = dp.files.load_checkpoint(
            tmp_path / "runs" / f"cut-{name}" / "checkpoint.safetensors"
        )
        assert (state["epoch"], state["batch"], state["finished"]) == (1, 17, False), name
        assert optimizer.iterations > 0 and (name == "sgd" or optimizer.state_dict()["state"]), name

    resumed = {
        name: popen("-m", "deltaprop", "resume", f"runs/cut-{name}", "--quiet", "--no-plots")
        for name in OPTIMIZER_RUNS
    }
    for name, proc in resumed.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (name, err)
        cut, whole = tmp_path / "runs" / f"cut-{name}", tmp_path / "runs" / f"whole-{name}"
        assert same_weights(cut / "model.safetensors", whole / "model.safetensors"), name
        history = json.loads((cut / "history.json").read_text())["history"]
        reference = json.loads((whole / "history.json").read_text())["history"]
        for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
            assert history[key] == reference[key], (name, key)


# --scale: the checkpoint holds the network folded, the weights as they train and the scaling's
# statistics; resume must go on from the latter. Diabetes scales its targets too.
SCALED_RUNS = {
    "targets": ["--data", "reg.csv", "--task", "regression", "--scale", "standard", "--lr", "0.1"],
    "inputs": ["--scale", "minmax", "--restore-best-weights"],
}


def test_ctrl_c_then_resume_of_a_scaled_run_is_bit_identical(cli, tmp_path):
    from sklearn.datasets import load_diabetes

    load_diabetes(as_frame=True).frame.to_csv(tmp_path / "reg.csv", index=False)
    popen, script = popen_in(tmp_path)
    done = whole_and_cut(popen, script, SCALED_RUNS)
    for name in SCALED_RUNS:
        assert done["cut-" + name][1] == 130 and done["whole-" + name][1] == 0, done
        _, _, state = dp.files.load_checkpoint(tmp_path / "runs" / f"cut-{name}" / "checkpoint.safetensors")
        assert (state["epoch"], state["batch"]) == (1, 17) and "scale_x_shift" in state, name
        assert ("scale_y_shift" in state) == (name == "targets")
        resumed = cli("resume", f"runs/cut-{name}", "--quiet", "--no-plots")
        assert resumed.returncode == 0, (name, resumed.stderr)
        cut, whole = tmp_path / "runs" / f"cut-{name}", tmp_path / "runs" / f"whole-{name}"
        assert same_weights(cut / "model.safetensors", whole / "model.safetensors"), name
        assert same_weights(cut / "checkpoint.safetensors", whole / "checkpoint.safetensors"), name
        history = json.loads((cut / "history.json").read_text())["history"]
        reference = json.loads((whole / "history.json").read_text())["history"]
        for key in ("loss", "val_loss", "lr"):
            assert history[key] == reference[key], (name, key)


# --- --restore-best-weights: the best epoch's weights go through the checkpoint --------------

# η = 2 on the digits: val_loss jumps about, its lowest at epoch 12 of 15 (seed 0).
BEST_RUN = ["train", "--epochs", "15", "--lr", "2.0", "--seed", "0", "--restore-best-weights"]
BEST_RUN += ["--no-plots", "--quiet"]
# (epoch, mini-batch) of the Ctrl-C: after the best epoch, before it, at the end of epoch 1,
# and before any epoch has ended (no best epoch yet)
CUTS = {"after": ("12", "17"), "before": ("3", "5"), "edge": ("0", "0"), "first": ("0", "5")}


def assert_same_run(run_dir, whole_dir):
    assert same_weights(run_dir / "model.safetensors", whole_dir / "model.safetensors")
    history = json.loads((run_dir / "history.json").read_text())
    reference = json.loads((whole_dir / "history.json").read_text())
    assert history["epoch"] == reference["epoch"]
    assert history["stopped_reason"] == reference["stopped_reason"]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
        assert history["history"][key] == reference["history"][key], key


def test_ctrl_c_then_resume_keeps_the_same_best_epoch(cli, tmp_path):
    popen, script = popen_in(tmp_path)
    procs = {"whole": popen("-m", "deltaprop", *BEST_RUN, "--name", "whole")}
    for name, (epoch, batch) in CUTS.items():
        procs[name] = popen(script, epoch, batch, *BEST_RUN, "--name", name)
    done = {name: (proc.communicate(timeout=120), proc.returncode) for name, proc in procs.items()}
    assert done["whole"][1] == 0, done["whole"]
    whole_dir = tmp_path / "runs/whole"
    best = json.loads((whole_dir / "history.json").read_text())["history"]["val_loss"]
    assert min(best) < best[-1]  # the model kept is not the last epoch's
    for name in CUTS:
        assert done[name][1] == 130, (name, done[name])
        _, _, state = dp.files.load_checkpoint(tmp_path / "runs" / name / "checkpoint.safetensors")
        assert not state["finished"], name
        kept = state["history"]["history"].get("val_loss")
        if name == "first":
            assert kept is None and not [key for key in state if key.startswith("best")]
            continue
        assert state["best"] == {"epoch": kept.index(min(kept)), "val_loss": min(kept)}, name
        assert state["best_w0"].shape == (64, 30), name
    for name in CUTS:
        resumed = cli("resume", f"runs/{name}", "--no-plots")
        assert resumed.returncode == 0, (name, resumed.stderr)
        assert f"weights of epoch {best.index(min(best)) + 1} (best val_loss" in resumed.stdout
        assert_same_run(tmp_path / "runs" / name, whole_dir)


def test_ctrl_c_in_the_epoch_early_stopping_ends_finishes_the_run(cli, tmp_path):
    # The Ctrl-C comes as the epoch after which early stopping ends the run closes: the run is
    # finished (exit 0, the best epoch's model, early stopping's reason), not left to resume.
    popen, script = popen_in(tmp_path)
    run = [*BEST_RUN, "--epochs", "200", "--early-stopping", "2"]
    whole = popen("-m", "deltaprop", *run, "--name", "whole")
    assert whole.communicate(timeout=120) and whole.returncode == 0
    history = json.loads((tmp_path / "runs/whole/history.json").read_text())
    assert "EarlyStopping" in history["stopped_reason"]
    cut = popen(script, str(history["stopped_epoch"]), "0", *run, "--name", "cut")
    out, err = cut.communicate(timeout=120)
    assert cut.returncode == 0, err
    assert out.strip() == "runs/cut"
    assert_same_run(tmp_path / "runs/cut", tmp_path / "runs/whole")
    assert cli("resume", "runs/cut").stdout.count("nothing to resume") == 1


def test_sigkill_then_resume_keeps_the_same_best_epoch(cli, tmp_path):
    # As test_sigkill_leaves_a_complete_checkpoint_and_resume_is_bit_identical, with the flag.
    (tmp_path / "cache").mkdir(exist_ok=True)

    def start_best(name):
        return subprocess.Popen(
            [sys.executable, "-m", "deltaprop", *RUN, "--restore-best-weights", "--name", name],
            cwd=tmp_path,
            env=cli_env(tmp_path / "cache"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    reference = start_best("whole")
    proc = start_best("k")
    run_dir = tmp_path / "runs" / "k"
    wait_for(run_dir / "checkpoint.safetensors", proc)
    time.sleep(0.4)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    _, _, state = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")
    assert 1 <= state["epoch"] < EPOCHS and "best_w0" in state
    whole_dir = finish(reference, tmp_path)
    val = json.loads((whole_dir / "history.json").read_text())["history"]["val_loss"]
    assert min(val) < val[-1]  # the model kept is not the last epoch's
    resumed = cli("resume", "runs/k", "--quiet", "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_run(run_dir, whole_dir)


def rewrite_checkpoint(path, change) -> None:
    """Load the checkpoint at ``path``, ``change(state)`` in place, and write it back."""
    net, optimizer, state = dp.files.load_checkpoint(path)
    change(state)
    dp.files.save_checkpoint(path, net, optimizer, state)


def test_a_checkpoint_from_before_the_flag_resumes_as_before(cli, tmp_path):
    # Its config has no restore_best_weights: the run kept its last weights, and still does.
    popen, script = popen_in(tmp_path)
    procs = {
        "whole": popen("-m", "deltaprop", *SHORT, "--name", "whole"),
        "old": popen(script, "1", "17", *SHORT, "--name", "old"),
    }
    assert [proc.wait(timeout=120) for proc in procs.values()] == [0, 130]
    checkpoint = tmp_path / "runs/old/checkpoint.safetensors"
    rewrite_checkpoint(checkpoint, lambda state: state["config"]["training"].pop("restore_best_weights"))
    resumed = cli("resume", "runs/old", "--quiet", "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert_same_run(tmp_path / "runs/old", tmp_path / "runs/whole")


def test_a_checkpoint_without_its_best_epoch_is_refused(cli, tmp_path):
    popen, script = popen_in(tmp_path)
    procs = [popen(script, "3", "5", *BEST_RUN, "--name", name) for name in ("lost", "moved")]
    assert [proc.wait(timeout=120) for proc in procs] == [130, 130]

    def lose(state):
        del state["best_w1"]

    def move(state):
        state["best"]["epoch"] -= 1

    rewrite_checkpoint(tmp_path / "runs/lost/checkpoint.safetensors", lose)
    rewrite_checkpoint(tmp_path / "runs/moved/checkpoint.safetensors", move)
    for name, problem in (("lost", "does not hold them"), ("moved", "but its history's best is epoch")):
        assert_one_line_error(
            cli("resume", f"runs/{name}"),
            1,
            f"runs/{name}/checkpoint.safetensors: the run keeps its best epoch's weights",
            problem,
            "cannot be resumed exactly",
        )
