"""A file the CLI cannot write: a full disk names the file and says what is intact, a read-only
run points plot to --out, and an output path's exit code follows one rule for every command:
a path that can be seen to be unwritable before running is a usage error (2); the file system
failing while writing is a failure (1).

As root, ``chmod`` refuses nothing: the file system's refusals are monkeypatched in
(``tempfile.mkstemp``, ``os.fdopen``, ``os.access``), as in tests/reliability/test_atomic_errors.py.
"""

from __future__ import annotations

import errno
import os
import tempfile

import pytest
from cli_helpers import assert_one_line_error, same_weights

NO_SPACE = f"[Errno {errno.ENOSPC}] {os.strerror(errno.ENOSPC)}"
TRAIN = ("train", "--epochs", "3", "--seed", "0", "--quiet", "--no-plots")


def disk_full_at(monkeypatch, name: str, allowed: int = 0) -> None:
    """The disk fills up after ``allowed`` writes of the file ``name``: every later one is refused."""
    real = tempfile.mkstemp
    done = []

    def mkstemp(prefix="", suffix="", dir=None):
        if prefix == f".{name}.":
            done.append(prefix)
            if len(done) > allowed:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(prefix=prefix, suffix=suffix, dir=dir)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_a_full_disk_mid_run_names_the_file_and_the_checkpoint_to_resume(run, monkeypatch):
    assert run(*TRAIN, "--name", "whole").returncode == 0
    with monkeypatch.context() as mp:
        disk_full_at(mp, "checkpoint.safetensors", allowed=1)  # epoch 1's checkpoint is written
        result = run(*TRAIN, "--name", "f")
    assert_one_line_error(
        result,
        1,
        f"{NO_SPACE}: 'runs/f/checkpoint.safetensors'",
        "the checkpoint at the end of epoch 1 is intact; free some space, then continue with: "
        "deltaprop resume runs/f",
    )
    # Space freed: the resumed run ends as the run that never met a full disk.
    assert run("resume", "runs/f", "--quiet", "--no-plots").returncode == 0
    assert same_weights("runs/f/model.safetensors", "runs/whole/model.safetensors")


def test_a_full_disk_before_the_first_checkpoint_says_how_to_start_again(run, monkeypatch):
    disk_full_at(monkeypatch, "checkpoint.safetensors")
    result = run(*TRAIN, "--name", "f")
    assert_one_line_error(
        result,
        1,
        f"{NO_SPACE}: 'runs/f/checkpoint.safetensors'",
        "no epoch had finished, so there is no checkpoint; free some space, then start again with "
        "'deltaprop train --config runs/f/config.toml'",
    )


def test_a_full_disk_at_the_model_leaves_the_finished_checkpoint_and_resume_writes_it(run, monkeypatch):
    with monkeypatch.context() as mp:
        disk_full_at(mp, "model.safetensors")
        result = run(*TRAIN, "--name", "f")
    assert_one_line_error(
        result, 1, f"{NO_SPACE}: 'runs/f/model.safetensors'", "the checkpoint at the end of epoch 3 is intact"
    )
    assert run("resume", "runs/f", "--quiet", "--no-plots").returncode == 0
    assert os.path.isfile("runs/f/model.safetensors")


def refuse_writing_in(monkeypatch, folder: str) -> None:
    """``os.access`` says no file can be made in ``folder``, as for a read-only mount."""
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if str(p) == folder else real(p, mode, **kw)
    )


@pytest.fixture
def model(run):
    assert run(*TRAIN, "--name", "m").returncode == 0
    with open("rows.csv", "w") as fh:
        fh.write(",".join(["0"] * 64) + "\n")
    os.mkdir("out")
    return "runs/m"


# (command, its output flag, the file name), each run in the folder `model` makes.
OUTPUTS = [
    (("predict", "runs/m", "rows.csv", "--output"), "--output", "p.csv"),
    (("explain", "--format", "html", "--out"), "--out", "x.html"),
]


@pytest.mark.parametrize(("command", "flag", "name"), OUTPUTS)
def test_an_output_path_seen_to_be_unwritable_before_running_is_a_usage_error(
    run, model, monkeypatch, command, flag, name
):
    os.mkdir(f"out/{name}")
    assert_one_line_error(run(*command, f"out/{name}"), 2, f"{flag} out/{name}", "is a folder")
    refuse_writing_in(monkeypatch, "out")
    result = run(*command, f"out/new-{name}")
    assert_one_line_error(result, 2, f"{flag} out/new-{name}: cannot write in out", f"choose another {flag}")


@pytest.mark.parametrize(("command", "flag", "name"), OUTPUTS)
def test_the_file_system_failing_while_writing_is_a_failure(run, model, monkeypatch, command, flag, name):
    def full(fd):  # the disk full when the data reach it: a delayed allocation, a network disk
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run(*command, f"out/{name}")
    assert_one_line_error(result, 1, f"out/{name}", os.strerror(errno.ENOSPC))
    assert os.listdir("out") == []


def test_plot_of_a_read_only_run_points_to_out(run, model, monkeypatch):
    with monkeypatch.context() as mp:
        refuse_writing_in(mp, "runs/m/plots")
        result = run("plot", "runs/m")
    assert_one_line_error(result, 2, "cannot write the pictures in runs/m/plots", "give --out DIR")
    result = run("plot", "runs/m", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "out/learning_curves.png" in result.stdout.splitlines()
