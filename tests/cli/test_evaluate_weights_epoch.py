"""``evaluate`` says which epoch's weights a model holds where its file records it (metadata
``epoch``, as train records the epoch a --restore-best-weights run kept); files without it load
and evaluate as before."""

from __future__ import annotations

import json

import pytest

import deltaprop as dp
from deltaprop import files
from deltaprop.cli import main


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    args = [
        "train",
        "--epochs",
        "1",
        "--lr",
        "0.25",
        "--no-plots",
        "--out",
        str(out),
        "--name",
        "r",
        "--quiet",
    ]
    assert main(args) == 0
    return out / "r"


def _with_epoch(run_dir, tmp_path, epoch):
    """A copy of the run folder whose model records ``epoch`` beside train's own metadata."""
    copy = tmp_path / "kept"
    copy.mkdir()
    for name in ("config.toml", "history.json"):
        (copy / name).write_bytes((run_dir / name).read_bytes())
    net, meta = files.load_with_metadata(run_dir / "model.safetensors")
    files.save(net, copy / "model.safetensors", metadata={**meta["user"], "epoch": epoch})
    return copy


def test_the_epoch_round_trips_beside_the_class_names(run_dir, tmp_path):
    copy = _with_epoch(run_dir, tmp_path, 12)
    user = files.read_metadata(copy / "model.safetensors")["user"]
    assert (
        user["epoch"] == 12
        and user["classes"] == files.read_metadata(run_dir / "model.safetensors")["user"]["classes"]
    )


def test_evaluate_names_the_epoch_of_the_weights(run_dir, tmp_path, capsys):
    copy = _with_epoch(run_dir, tmp_path, 12)
    assert main(["evaluate", str(copy)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"model {copy} (weights of epoch 12) on digits")
    assert main(["evaluate", str(copy / "model.safetensors"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["weights_epoch"] == 12


def test_a_file_without_the_epoch_loads_and_says_nothing_of_it(run_dir, tmp_path, capsys):
    """As a model saved before train recorded the epoch."""
    copy = _with_epoch(run_dir, tmp_path, 1)
    net, meta = files.load_with_metadata(copy / "model.safetensors")
    files.save(net, copy / "model.safetensors", metadata={"classes": meta["user"]["classes"]})
    assert "epoch" not in files.read_metadata(copy / "model.safetensors")["user"]
    assert dp.load(copy / "model.safetensors").sizes[0] == 64
    assert main(["evaluate", str(copy)]) == 0
    assert "weights of epoch" not in capsys.readouterr().out
    assert main(["evaluate", str(copy), "--json"]) == 0
    assert "weights_epoch" not in json.loads(capsys.readouterr().out)


def test_train_records_the_epoch_of_the_weights_it_saves(run_dir, tmp_path, capsys):
    """The last epoch's for a plain run; the best val_loss epoch's with --restore-best-weights."""
    assert files.read_metadata(run_dir / "model.safetensors")["user"]["epoch"] == 1
    args = ["train", "--epochs", "8", "--lr", "3", "--seed", "3", "--no-plots", "--quiet"]
    assert main([*args, "--restore-best-weights", "--out", str(tmp_path), "--name", "best"]) == 0
    history = json.loads((tmp_path / "best" / "history.json").read_text())
    val_loss = history["history"]["val_loss"]
    best = 1 + min(range(len(val_loss)), key=val_loss.__getitem__)
    assert files.read_metadata(tmp_path / "best" / "model.safetensors")["user"]["epoch"] == best
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "best"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["weights_epoch"] == best


@pytest.mark.parametrize("bad", [0, "12", 1.5, True])
def test_an_epoch_that_is_not_a_whole_number_from_1_is_not_shown(run_dir, tmp_path, capsys, bad):
    copy = _with_epoch(run_dir, tmp_path, bad)
    assert main(["evaluate", str(copy)]) == 0
    assert "weights of epoch" not in capsys.readouterr().out
