"""Offline, the error lists every file of the data set still missing, not the first split's alone:
``deltaprop train --data mnist`` reads the test split after the training one, and its error named
only the two training files, so that copying them in was followed by a second error for the test
files."""

from __future__ import annotations

import pytest

from deltaprop.cli import main
from deltaprop.datasets import MNIST, load_mnist

TRAIN = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz"
TEST = "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"


def test_train_offline_names_the_test_files_it_also_needs(isolated_data, offline, tmp_path, capsys):
    argv = ["train", "--data", "mnist", "--out", str(tmp_path / "runs"), "--no-plots", "--quiet"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    folder = isolated_data / "mnist"
    assert f"mnist files still missing in {folder}: {TRAIN}; the test split's {TEST} are missing too" in err
    assert f"{offline}train-images-idx3-ubyte.gz: could not connect" in err


def test_only_the_files_still_missing_are_named(isolated_data, offline):
    folder = isolated_data / "mnist"
    folder.mkdir(parents=True)
    for name in MNIST.files["test"]:  # the test split copied in already (damaged, but there)
        (folder / name).write_bytes(b"")
    with pytest.raises(OSError) as info:
        load_mnist("train")
    message = str(info.value)
    assert (
        f"mnist files still missing in {folder}: {TRAIN}.\nmnist files in {folder} that are damaged"
        in message
    )
    for name in MNIST.files["test"]:  # named as damaged, not as missing
        assert f"\n  {folder / name} is not mnist's {name}: it has 0 bytes" in message
    assert "when online. If you have them elsewhere" in message


def test_without_download_the_other_split_is_named_too(isolated_data):
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("test", download=False)
    assert f"(missing: {TEST}; the train split's {TRAIN} are missing too)" in str(info.value)
