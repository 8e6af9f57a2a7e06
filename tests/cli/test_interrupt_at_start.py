"""A Ctrl-C while ``deltaprop`` starts, before any command runs: building the parser imports
every command's modules (NumPy, SciPy, rich), and a KeyboardInterrupt raised in the middle of
an import can come out as another error (NumPy's ImportError about "a bad install", exit 1).
So a first Ctrl-C there is noted, the imports finish, and the command stops with the usual
one line and exit 130; a second stops at once."""

from __future__ import annotations

import os
import signal

import pytest

import deltaprop.cli as cli


@pytest.fixture
def interrupted_build_parser(monkeypatch):
    """``build_parser`` receiving ``presses`` SIGINTs as it starts; ``finished`` says whether it
    ran to its end."""
    real = cli.build_parser
    state = {"presses": 1, "finished": False}

    def build_parser():
        for _ in range(state["presses"]):
            os.kill(os.getpid(), signal.SIGINT)  # the handler runs here, mid-"import"
        parser = real()
        state["finished"] = True
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)
    return state


def test_a_first_ctrl_c_lets_the_imports_finish_then_stops(interrupted_build_parser, capsys):
    assert cli.main(["datasets"]) == cli.EXIT_INTERRUPTED
    assert interrupted_build_parser["finished"]
    out, err = capsys.readouterr()
    assert (out, err) == ("", "deltaprop: interrupted\n")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_stops_at_once(interrupted_build_parser, capsys):
    interrupted_build_parser["presses"] = 2
    assert cli.main(["datasets"]) == cli.EXIT_INTERRUPTED
    assert not interrupted_build_parser["finished"]
    assert capsys.readouterr().err == "deltaprop: interrupted\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_without_ctrl_c_the_command_runs(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DELTAPROP_DATA", str(tmp_path))
    assert cli.main(["datasets"]) == cli.EXIT_OK
    assert "digits" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
