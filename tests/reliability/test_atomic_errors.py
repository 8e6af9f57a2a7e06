"""A write the file system refuses (a read-only folder, a full disk) is one error that names the
file asked for and ends there: not ``'m.safetensors' -> None``, not our hidden temporary file,
not a bare ``[Errno 28] No space left on device`` that names nothing. Every writer goes through
``deltaprop._atomic``, so each is checked here with the file system's refusal monkeypatched in
(as root, ``chmod`` refuses nothing)."""

from __future__ import annotations

import errno
import functools
import os
import tempfile

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.cli import main


def _read_only(monkeypatch) -> None:
    """Every new file refused as on a read-only mount: mkstemp's error names its own file."""

    def refused(prefix, suffix, dir):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(dir, f"{prefix}k2j4{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)


class _DiskFull:
    """A file whose every write fails as on a full disk (the OSError names no file)."""

    def __init__(self, fh):
        self._fh = fh

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def __getattr__(self, name):
        return getattr(self._fh, name)


def _disk_full(monkeypatch) -> None:
    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, **kw: _DiskFull(real(fd, **kw)))


def _history():
    X = np.random.default_rng(0).random((8, 2))
    return dp.Network([2, 3, 2], seed=0).fit(X, np.arange(8) % 2, epochs=1, seed=0)


# Each writer with its file name, made ready (trained, drawn) before the file system refuses.
WRITERS = {
    "m.safetensors": lambda: functools.partial(dp.save, dp.Network([2, 3, 2], seed=0)),
    "h.json": lambda: _history().to_json,
    "curves.png": lambda: functools.partial(dp.plots.save_figure, dp.plots.learning_curves(_history())),
}
REFUSALS = [
    (_read_only, f"[Errno {errno.EROFS}] {os.strerror(errno.EROFS)}"),
    (_disk_full, f"[Errno {errno.ENOSPC}] {os.strerror(errno.ENOSPC)}"),
]


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize(("refusal", "says"), REFUSALS)
def test_a_refused_write_names_the_file_and_ends_there(name, refusal, says, tmp_path, monkeypatch):
    path = tmp_path / name
    write = WRITERS[name]()
    write(path)  # an old file, to be kept
    before = path.read_bytes()
    refusal(monkeypatch)
    with pytest.raises(OSError) as caught:
        write(path)
    monkeypatch.undo()
    assert str(caught.value) == f"{says}: {str(path)!r}"
    assert caught.value.filename == str(path) and caught.value.filename2 is None
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def _cli(folder, capsys, *args: str) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        mp.setenv("MPLBACKEND", "Agg")
        code = main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("refusal", "says"), REFUSALS)
def test_explain_out_names_the_file_it_could_not_write(refusal, says, tmp_path, monkeypatch, capsys):
    refusal(monkeypatch)
    code, err = _cli(tmp_path, capsys, "explain", "--format", "html", "--out", "x.html")
    assert (code, err) == (1, f"deltaprop explain: error: {says}: 'x.html'\n")
    assert list(tmp_path.iterdir()) == []


def test_resume_in_a_read_only_run_folder_names_the_file(tmp_path, monkeypatch, capsys):
    train = ("train", "--epochs", "2", "--seed", "0", "--quiet", "--no-plots", "--name", "r")
    code, _ = _cli(tmp_path, capsys, *train)
    assert code == 0
    _read_only(monkeypatch)
    code, err = _cli(tmp_path, capsys, "resume", "runs/r", "--epochs", "3")
    assert code == 1
    assert err == f"deltaprop resume: error: {REFUSALS[0][1]}: 'runs/r/config.toml'\n"
