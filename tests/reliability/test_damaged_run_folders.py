"""A run folder whose checkpoint state or gradients.json was damaged or edited by hand.

``deltaprop resume`` trusts the training state inside a checkpoint whose safetensors framing
is sound, and ``deltaprop diagnose`` (and ``plot``) the records of gradients.json. A damaged
one must give one line naming the file and what is wrong (exit code 1), never a bare
``'bool' object is not subscriptable``, an "internal error", or a half-resumed run; the
folder is left as it was.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
from pathlib import Path

import pytest

from deltaprop.cli import main


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    """A 2-epoch digits run with every file train writes (plots aside)."""
    root = tmp_path_factory.mktemp("runs")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setenv("MPLBACKEND", "Agg")
        code = main(["train", "--epochs", "2", "--seed", "1", "--no-plots", "--quiet", "--name", "base"])
    assert code == 0
    return root / "runs" / "base"


def _rewrite_state(checkpoint: Path, change) -> None:
    """Apply ``change(state)`` to the training-state JSON of ``checkpoint``, framing kept valid."""
    raw = checkpoint.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    state = json.loads(header["__metadata__"]["deltaprop.state"])
    state["finished"], state["epoch"] = False, 1  # something left to resume: the second epoch
    history = state["history"]  # which its history, of the first epoch alone, goes on to
    history["epoch"] = history["epoch"][:1]
    history["history"] = {key: values[:1] for key, values in history["history"].items()}
    change(state)
    header["__metadata__"]["deltaprop.state"] = json.dumps(state)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    checkpoint.write_bytes(struct.pack("<Q", len(text)) + text + raw[8 + n :])


def _set(path: tuple, value):
    def change(obj):
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value

    return change


def _run_in(folder: Path, capsys, *args: str):
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        mp.setenv("MPLBACKEND", "Agg")
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code
    return code, capsys.readouterr().err


def _digests(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _assert_named_refusal(code, err: str, file: str) -> None:
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1, (code, err)
    assert "internal error" not in err and "Traceback" not in err, err
    assert file in lines[0], err


STATE_DAMAGE = [
    pytest.param(_set(("config",), True), id="config is true"),
    pytest.param(_set(("config", "training", "epochs"), None), id="epochs null"),
    pytest.param(_set(("config", "training", "epochs"), "ten"), id="epochs a string"),
    pytest.param(_set(("batch",), -5), id="batch negative"),
    pytest.param(_set(("history", "history"), "x"), id="history not a dict"),
    pytest.param(_set(("history", "epoch"), 3), id="history epochs not a list"),
    # its history runs past its epoch: fit's "initial_epoch" refusal, in Python's words, before
    pytest.param(_set(("epoch",), 0), id="epoch before its history's end"),
    pytest.param(_set(("epoch",), 2), id="epoch past its history's end"),
]


@pytest.mark.parametrize("change", STATE_DAMAGE)
def test_resume_refuses_a_damaged_state_naming_the_checkpoint(finished_run, tmp_path, capsys, change):
    run_dir = tmp_path / "runs" / "r"
    shutil.copytree(finished_run, run_dir)
    _rewrite_state(run_dir / "checkpoint.safetensors", change)
    before = _digests(run_dir)
    code, err = _run_in(tmp_path, capsys, "resume", "runs/r", "--no-plots", "--quiet")
    _assert_named_refusal(code, err, "runs/r/checkpoint.safetensors")
    assert _digests(run_dir) == before


GRADIENT_DAMAGE = [
    pytest.param(("records",), 1.5, id="records a number"),
    pytest.param(("records", 0), "x", id="a record a string"),
    pytest.param(("records", 0, "delta"), None, id="delta null"),
    pytest.param(("records", 0, "cost"), [], id="cost a list"),
    pytest.param(("layers", 0), None, id="a layer null"),
    pytest.param(("percentiles",), 5, id="percentiles a number"),
]


@pytest.mark.parametrize("command", ["diagnose", "plot"])
@pytest.mark.parametrize(("path", "value"), GRADIENT_DAMAGE)
def test_damaged_gradient_records_are_refused(finished_run, tmp_path, capsys, path, value, command):
    run_dir = tmp_path / "runs" / "g"
    shutil.copytree(finished_run, run_dir)
    gradients = run_dir / "gradients.json"
    data = json.loads(gradients.read_text())
    _set(path, value)(data)
    gradients.write_text(json.dumps(data))
    before = _digests(run_dir)
    code, err = _run_in(
        tmp_path, capsys, command, "runs/g", *(["--out", "pics"] if command == "plot" else [])
    )
    _assert_named_refusal(code, err, "runs/g/gradients.json")
    assert _digests(run_dir) == before


def test_an_intact_copy_resumes_and_diagnoses(finished_run, tmp_path, capsys):
    """The control: the same copy, undamaged, is read without complaint (so the cases above
    fail for their damage, not for the copying)."""
    run_dir = tmp_path / "runs" / "ok"
    shutil.copytree(finished_run, run_dir)
    assert _run_in(tmp_path, capsys, "diagnose", "runs/ok")[0] == 0
    _rewrite_state(run_dir / "checkpoint.safetensors", lambda state: None)
    code, err = _run_in(tmp_path, capsys, "resume", "runs/ok", "--no-plots", "--quiet")
    assert code == 0, err
