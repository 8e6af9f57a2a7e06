"""SIGTERM and SIGHUP stop ``train`` and ``resume`` as Ctrl-C does: at a mini-batch boundary,
with a checkpoint there and the resume message, exiting 128 + the signal (143, 129).

``docker stop``, systemd, Slurm's preemption and ``timeout`` send SIGTERM; a closed terminal
or a dropped ssh session, SIGHUP. Both used to end the process at once (143 with no word),
losing the epoch under way. As in ``test_resume.py``, the signal is sent by the process to
itself after a given mini-batch, so that the stop lands at the same batch every time.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys

import pytest
from cli_helpers import cli_env, same_weights

import deltaprop as dp
from deltaprop.cli.interrupt_flag import InterruptFlag

# `deltaprop ARGV` with one more callback, first in the list, that sends this process the
# signal SIGNAL after mini-batch BATCH of epoch EPOCH (0-based): the CLI's own handler does
# the rest, as for a signal from outside.
SIGNAL_AT_BATCH = """
import os, signal, sys
import deltaprop.training as training
from deltaprop.cli import main
from deltaprop.training.callback import Callback

SIGNUM, EPOCH, BATCH = (int(arg) for arg in sys.argv[1:4])
fit = training.fit

class Stop(Callback):
    def on_batch_end(self, batch, logs=None):
        if self.run.epoch == EPOCH and batch + 1 == BATCH:
            os.kill(os.getpid(), SIGNUM)

def fit_with_stop(*args, callbacks=(), **kwargs):
    return fit(*args, callbacks=[Stop(), *callbacks], **kwargs)

training.fit = fit_with_stop
sys.exit(main(sys.argv[4:]))
"""
SHORT = ["--epochs", "2", "--batch-size", "10", "--seed", "3", "--no-plots", "--quiet"]


def popen_in(tmp_path, ignore_sighup: bool = False):
    """``popen(*argv)``: ``python *argv`` in ``tmp_path``; and the signal script written there
    (``popen(script, SIGNUM, EPOCH, BATCH, *deltaprop_argv)``). ``ignore_sighup``: started
    as ``nohup`` starts a command, with SIGHUP ignored."""
    (tmp_path / "cache").mkdir(exist_ok=True)
    script = tmp_path / "stop.py"
    script.write_text(SIGNAL_AT_BATCH)

    def popen(*argv):
        return subprocess.Popen(
            [sys.executable, *map(str, argv)],
            cwd=tmp_path,
            env=cli_env(tmp_path / "cache"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=(lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)) if ignore_sighup else None,
        )

    return popen, script


def done(proc) -> tuple[int, str]:
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def checkpoint_at(run_dir) -> tuple[int, int, bool]:
    _, _, state = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")
    return state["epoch"], state["batch"], state["finished"]


def test_sigterm_and_sighup_checkpoint_and_resume_is_bit_identical(tmp_path):
    popen, script = popen_in(tmp_path)
    whole = popen("-m", "deltaprop", "train", *SHORT, "--name", "whole")
    term = popen(script, signal.SIGTERM, 1, 17, "train", *SHORT, "--name", "term")
    hup = popen(script, signal.SIGHUP, 0, 5, "train", *SHORT, "--name", "hup")
    assert done(whole)[0] == 0
    runs = tmp_path / "runs"
    for proc, name, code, at in ((term, "term", 143, (1, 17)), (hup, "hup", 129, (0, 5))):
        returncode, err = done(proc)
        assert returncode == code, (name, returncode, err)
        assert "Traceback" not in err
        signame = name.upper()
        assert f"interrupted by SIG{signame} at epoch {at[0] + 1}, batch {at[1]}; checkpoint saved" in err, (
            err
        )
        assert f"deltaprop resume runs/{name}" in err
        assert checkpoint_at(runs / name) == (*at, False)
        assert not (runs / name / "model.safetensors").exists()

    # resume is stopped by SIGTERM too (a job preempted twice), then finishes the run.
    again = popen(script, signal.SIGTERM, 1, 40, "resume", "runs/term", "--quiet", "--no-plots")
    returncode, err = done(again)
    assert returncode == 143 and "interrupted by SIGTERM at epoch 2, batch 40" in err, (returncode, err)
    assert checkpoint_at(runs / "term") == (1, 40, False)

    for name in ("term", "hup"):
        returncode, err = done(popen("-m", "deltaprop", "resume", f"runs/{name}", "--quiet", "--no-plots"))
        assert returncode == 0, (name, err)
        assert same_weights(runs / name / "model.safetensors", runs / "whole" / "model.safetensors"), name


def test_a_sighup_ignored_as_nohup_does_leaves_the_run_going(tmp_path):
    popen, script = popen_in(tmp_path, ignore_sighup=True)
    returncode, err = done(popen(script, signal.SIGHUP, 0, 5, "train", *SHORT, "--name", "nohup"))
    assert returncode == 0, err
    assert checkpoint_at(tmp_path / "runs" / "nohup")[2]  # finished
    assert (tmp_path / "runs" / "nohup" / "model.safetensors").is_file()


def test_a_terminal_that_hangs_up_stops_the_run_with_a_checkpoint(tmp_path):
    """A dropped ssh session: the terminal hangs up, the kernel sends SIGHUP, and every later
    write to the terminal fails (EIO). The progress bar's next write stopped the run with
    exit 1 before its checkpoint; now the terminal's output goes to /dev/null and the run
    stops as for any SIGHUP."""
    (tmp_path / "cache").mkdir()
    argv = [sys.executable, "-m", "deltaprop", "train", "--epochs", "1000", "--batch-size", "1"]
    pid, terminal = pty.fork()
    if pid == 0:  # the child: training on the pseudo-terminal, with its progress bar
        try:
            os.chdir(tmp_path)
            os.execve(sys.executable, [*argv, "--name", "h", "--no-plots"], cli_env(tmp_path / "cache"))
        finally:
            os._exit(1)  # never back into pytest
    checkpoint = tmp_path / "runs" / "h" / "checkpoint.safetensors"
    try:
        while not checkpoint.exists():  # the terminal shows the run until its first epoch ends
            os.read(terminal, 65536)
    finally:
        os.close(terminal)  # the terminal hangs up
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 129
    epoch, _, finished = checkpoint_at(tmp_path / "runs" / "h")
    assert 1 <= epoch < 1000 and not finished


@pytest.mark.parametrize(
    "signum, name, code",
    [(signal.SIGINT, "Ctrl-C", 130), (signal.SIGTERM, "SIGTERM", 143), (signal.SIGHUP, "SIGHUP", 129)],
)
def test_the_flag_notes_the_first_signal_and_a_second_stops_at_once(signum, name, code):
    before = signal.getsignal(signum)
    if before is signal.SIG_IGN:  # run under nohup: the flag leaves an ignored signal ignored
        pytest.skip(f"{name} is ignored in this process")
    flag = InterruptFlag()
    with flag:
        os.kill(os.getpid(), signum)
        assert flag.requested and (flag.name, flag.exit_code) == (name, code)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signum)
    assert signal.getsignal(signum) is before  # the caller's handler is back
