"""A finished run without its ``model.safetensors`` (stopped between its last checkpoint, marked
finished, and the model's write, or the file deleted): ``resume`` writes the model ``train``
would have written (the best epoch's, for --restore-best-weights), and ``evaluate`` says so; a
finished run without its checkpoint is said to be finished, not stopped before its first one.
"""

from __future__ import annotations

import shutil

import numpy as np
from safetensors.numpy import load_file

import deltaprop as dp

TRAIN = ["train", "--epochs", "12", "--lr", "3", "--restore-best-weights", "--scale", "standard"]
TRAIN += ["--seed", "4", "--name", "rb", "--no-plots", "--quiet"]


def _finished(run, tmp_path):
    trained = run(*TRAIN)
    assert trained.returncode == 0, trained.stderr
    return tmp_path / "runs/rb"


def test_resume_writes_the_model_a_finished_run_lost_as_train_wrote_it(run, tmp_path):
    original = _finished(run, tmp_path)
    kept = dp.files.read_metadata(original / "model.safetensors")["user"]["epoch"]
    assert kept < 12  # the best epoch is not the last: the model is not the checkpoint's weights
    shutil.copytree(original, tmp_path / "rb2")
    (tmp_path / "rb2/model.safetensors").unlink()

    scored = run("evaluate", "rb2", "--json")
    assert scored.returncode == 0, scored.stderr
    assert "though the run finished" in scored.stderr
    assert f"not those of its best epoch ({kept})" in scored.stderr
    assert "deltaprop resume rb2" in scored.stderr

    resumed = run("resume", "rb2")
    assert resumed.returncode == 0, resumed.stderr
    assert "wrote it from its checkpoint" in resumed.stderr and f"best epoch, {kept}" in resumed.stderr
    # the same tensors, bit for bit, and the same metadata (safetensors orders its header by hash)
    written, wanted = load_file(tmp_path / "rb2/model.safetensors"), load_file(original / "model.safetensors")
    assert written.keys() == wanted.keys()
    assert all(written[k].dtype == wanted[k].dtype and np.array_equal(written[k], wanted[k]) for k in wanted)
    read = dp.files.read_metadata
    assert read(tmp_path / "rb2/model.safetensors") == read(original / "model.safetensors")


def test_a_finished_run_without_its_checkpoint_is_said_to_be_finished(run, tmp_path):
    run_dir = _finished(run, tmp_path)
    (run_dir / "checkpoint.safetensors").unlink()
    resumed = run("resume", "runs/rb")
    assert resumed.returncode == 0, resumed.stderr
    assert "is finished (it holds its model.safetensors); nothing to resume" in resumed.stdout
    assert "before its first checkpoint" not in resumed.stdout + resumed.stderr
    longer = run("resume", "runs/rb", "--epochs", "20")
    assert longer.returncode == 2
    assert "deltaprop train --config runs/rb/config.toml --epochs 20" in longer.stderr
