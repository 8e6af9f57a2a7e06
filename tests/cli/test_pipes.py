"""A command whose stdout's reader goes away (``deltaprop predict ... | head -1``) stops quietly
with the status a shell gives any Unix tool that SIGPIPE ends (141), as ``yes | head -1`` does;
not 1, which means that the command failed. Real processes and real pipes."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from cli_helpers import cli_env

import deltaprop as dp
from deltaprop.cli import EXIT_BROKEN_PIPE


def _run_into_a_closed_pipe(args, cwd, cache):
    """Run ``python -m deltaprop *args`` with stdout a pipe whose reader is already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "deltaprop", *args],
            cwd=cwd,
            env=cli_env(cache),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    return done


@pytest.fixture(scope="module")
def stuck_run(tmp_path_factory):
    """A digits run at η = 50, whose saturated units ``diagnose`` shows in a rich table."""
    home = tmp_path_factory.mktemp("stuck")

    def deltaprop(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "deltaprop", *args]
        return subprocess.run(command, cwd=home, env=cli_env(home), capture_output=True, text=True)

    done = deltaprop("train", "--epochs", "2", "--lr", "50", "--seed", "1", "--name", "stuck", "--no-plots")
    assert done.returncode == 0, done.stderr
    shown = deltaprop("diagnose", "runs/stuck")
    assert "Diagnostics for" in shown.stdout, shown.stdout  # the table, not "no problems found"
    return home / "runs" / "stuck"


def test_the_status_is_the_shells_for_a_tool_ended_by_sigpipe():
    if sys.platform == "win32":
        pytest.skip("no SIGPIPE on Windows")
    import signal

    assert EXIT_BROKEN_PIPE == 128 + signal.SIGPIPE
    script = 'yes | head -1 > /dev/null; echo "${PIPESTATUS[0]}"'
    shell = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert shell.stdout.split() == [str(EXIT_BROKEN_PIPE)]


@pytest.mark.parametrize(
    "args",
    [
        ("evaluate", "--json", "{run}"),
        ("evaluate", "{run}"),
        ("predict", "--json", "{run}", "rows.csv"),
        ("predict", "{run}", "rows.csv"),
        ("datasets",),
        ("explain",),
        ("explain", "--format", "markdown"),
        ("gradcheck",),
        ("gradcheck", "--json"),
        ("diagnose", "{stuck}"),  # its findings' table: rich's own exit 1 before
        ("diagnose", "{run}"),  # "no problems found"
        ("resume", "{run}"),  # "is complete; nothing to resume": rich's own exit 1 before
        ("resume", "--quiet", "{run}"),
        ("plot", "{run}", "--out", "pictures"),
    ],
)
def test_a_reader_gone_before_any_output_is_exit_141_and_silence(tmp_path, trained_run, stuck_run, args):
    X, _ = dp.datasets.load_digits("test")
    np.savetxt(tmp_path / "rows.csv", X[:5], delimiter=",")
    args = [arg.format(run=trained_run, stuck=stuck_run) for arg in args]
    done = _run_into_a_closed_pipe(args, tmp_path, tmp_path)
    assert (done.returncode, done.stderr) == (EXIT_BROKEN_PIPE, "")


def test_head_1_of_a_long_prediction_table(tmp_path, trained_run):
    """The reader takes the first line and leaves while predict still writes (its table, 1,080
    rows of 100 characters, is more than a pipe holds). stdout buffered, as a user's is: an
    unbuffered one (PYTHONUNBUFFERED) drops what a short write left unwritten without an
    error, a quirk of Python's text layer over a raw file."""
    env = cli_env(tmp_path)
    env.pop("PYTHONUNBUFFERED")
    X, _ = dp.datasets.load_digits("test")
    np.savetxt(tmp_path / "rows.csv", np.tile(X, (3, 1)), delimiter=",")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deltaprop", "predict", str(trained_run), "rows.csv"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "Predictions"
    proc.stdout.close()
    assert proc.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert proc.stderr.read() == ""
    proc.stderr.close()
