"""Folders the commands write into: ``deltaprop train --out`` (where run folders go) and
``deltaprop plot --out`` are made by one function, so a path that cannot be a folder is refused
by both with the same one-line message, exit 2, naming the flag, the path and the problem.

The commands run in-process (``deltaprop.cli.main``); each refusal comes before any training.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error

import deltaprop as dp
from deltaprop.cli import rundir
from deltaprop.cli.errors import UsageError

TRAIN = ("train", "--epochs", "1", "--quiet", "--no-plots")


@pytest.fixture
def finished_run(tmp_path):
    """A run folder that 'deltaprop plot' accepts: runs/r with its model."""
    (tmp_path / "runs/r").mkdir(parents=True)
    dp.save(dp.Network([2, 2, 2], seed=0), tmp_path / "runs/r/model.safetensors")
    return "runs/r"


@pytest.fixture
def locked(tmp_path, monkeypatch):
    """A folder ``locked`` that cannot be written in (faked: the tests may run as root)."""
    (tmp_path / "locked").mkdir()
    real_access, real_mkdir = os.access, Path.mkdir

    def access(path, mode, *args, **kwargs):
        return False if Path(path).name == "locked" else real_access(path, mode, *args, **kwargs)

    def mkdir(self, *args, **kwargs):
        if "locked" in self.parts[:-1]:
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(Path, "mkdir", mkdir)
    return "locked"


@pytest.fixture
def kept_by_the_system(tmp_path, monkeypatch):
    """A folder ``kept`` that os.access calls writable but where no folder can be made, as
    /sys is for root (EPERM): only the run folder's own mkdir finds out."""
    (tmp_path / "kept").mkdir()
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.parent.name == "kept":
            raise PermissionError(1, "Operation not permitted", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    return "kept"


def _command(which: str, finished_run: str, out: str) -> tuple[str, ...]:
    return (*TRAIN, "--out", out) if which == "train" else ("plot", finished_run, "--out", out)


@pytest.mark.parametrize("which", ["train", "plot"])
def test_out_that_is_a_file_is_refused_alike(run, tmp_path, finished_run, which):
    (tmp_path / "notes.txt").write_text("x")
    result = run(*_command(which, finished_run, "notes.txt"))
    assert_one_line_error(result, 2, "--out notes.txt: it is a file, not a folder", "choose another --out")
    assert (tmp_path / "notes.txt").read_text() == "x"


@pytest.mark.parametrize("which", ["train", "plot"])
def test_out_below_a_file_names_the_file(run, tmp_path, finished_run, which):
    (tmp_path / "notes.txt").write_text("x")
    result = run(*_command(which, finished_run, "notes.txt/deeper/out"))
    assert_one_line_error(
        result,
        2,
        "--out notes.txt/deeper/out: cannot create the folder (notes.txt is a file, not a folder)",
        "choose another --out",
    )


@pytest.mark.parametrize("which", ["train", "plot"])
def test_out_in_a_folder_without_permission(run, tmp_path, finished_run, locked, which):
    result = run(*_command(which, finished_run, "locked/out"))
    assert_one_line_error(
        result, 2, "--out locked/out: cannot create the folder (no permission to write in locked)"
    )
    assert not (tmp_path / "locked/out").exists()


@pytest.mark.parametrize("which", ["train", "plot"])
def test_out_that_exists_but_cannot_be_written_in(run, tmp_path, finished_run, locked, which):
    result = run(*_command(which, finished_run, "locked"))
    assert_one_line_error(result, 2, "--out locked: no permission to write in it", "choose another --out")
    assert list((tmp_path / "locked").iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_a_truly_read_only_folder_is_refused(tmp_path):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o500)
    try:
        with pytest.raises(UsageError, match="no permission to write in"):
            rundir.output_folder(tmp_path / "ro" / "out")
        with pytest.raises(UsageError, match="no permission to write in it"):
            rundir.output_folder(tmp_path / "ro")
    finally:
        (tmp_path / "ro").chmod(0o700)


@pytest.mark.parametrize("name", [("--name", "x"), ()], ids=["named", "timestamped"])
def test_a_run_folder_that_cannot_be_made_is_a_usage_error(run, tmp_path, kept_by_the_system, name):
    # deltaprop train --out /sys --name x (as root) was "[Errno 1] Operation not permitted", exit 1
    result = run(*TRAIN, "--out", "kept", *name)
    assert_one_line_error(
        result,
        2,
        "--out kept: cannot create the run folder kept/",
        "(no permission to write in kept); choose another --out",
    )
    assert "Errno" not in result.stderr
    assert list((tmp_path / "kept").iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_run_folder_in_proc_is_a_usage_error(run):
    # /proc is a folder anyone may "write" in by its mode bits, yet no folder can be made there
    result = run(*TRAIN, "--out", "/proc", "--name", "x")
    assert_one_line_error(result, 2, "--out /proc", "choose another --out")  # root: "cannot create"
    assert "Errno" not in result.stderr


def test_missing_parents_are_made(tmp_path):
    made = rundir.output_folder(tmp_path / "a" / "b" / "c")
    assert made == tmp_path / "a" / "b" / "c" and made.is_dir()
    assert rundir.output_folder(made) == made  # an existing folder is fine as it is


def test_the_flag_named_is_the_one_given(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(UsageError, match=r"^--plots-out .*f: it is a file.*choose another --plots-out$"):
        rundir.output_folder(tmp_path / "f", "--plots-out")


def test_a_run_name_taken_by_a_file_is_not_offered_for_resume(run, tmp_path):
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs/q").write_text("x")
    result = run(*TRAIN, "--out", "runs", "--name", "q")
    assert_one_line_error(result, 2, "--name q: runs/q is a file, not a folder", "choose another --name")
    assert "resume" not in result.stderr
