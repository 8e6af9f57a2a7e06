"""Fixtures for the CLI tests: a ``cli`` runner in a tmp folder (a subprocess, as a user runs it),
a ``run`` runner in this process, and one small trained run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import Result, cli_env

from deltaprop.cli import main


@pytest.fixture
def cli(tmp_path):
    """``cli("train", "--epochs", "2")`` runs the command in ``tmp_path`` and returns its Result."""
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)

    def run(
        *args: str, cwd: Path | None = None, data_dir: Path | None = None, timeout: float = 120
    ) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "deltaprop", *args],
            cwd=cwd or tmp_path,
            env=cli_env(data_dir or cache),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """``run("train", ...)`` in this process (milliseconds, not a subprocess's second), in
    ``tmp_path`` with an empty data cache; returns its Result. An exit that argparse makes
    itself (a flag's choices or type) is its code, as for a user."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DELTAPROP_DATA", str(tmp_path / "cache"))
    monkeypatch.setenv("MPLBACKEND", "Agg")

    def call(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return call


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    """One small digits run (10 epochs, seed 1), shared by the evaluate and predict tests."""
    home = tmp_path_factory.mktemp("trained")
    cache = home / "cache"
    cache.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "deltaprop",
            "train",
            "--epochs",
            "10",
            "--seed",
            "1",
            "--name",
            "digits",
            "--quiet",
            "--no-plots",
        ],
        cwd=home,
        env=cli_env(cache),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return home / "runs" / "digits"
