"""A file the CLI cannot write: a full disk names the file and says what is intact.

As root, ``chmod`` refuses nothing: the file system's refusals are monkeypatched in
(``tempfile.mkstemp``, ``os.fdopen``, ``os.access``), as in tests/reliability/test_atomic_errors.py.
"""

from __future__ import annotations

import errno
import os
import tempfile

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
