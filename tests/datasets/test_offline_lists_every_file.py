"""Offline, the error lists every file of the data set still missing, not the first split's alone:
``deltaprop train --data mnist`` reads the test split after the training one, and its error named
only the two training files, so that copying them in was followed by a second error for the test
files."""

from __future__ import annotations

import socket

import pytest

from deltaprop.cli import main
from deltaprop.datasets import MNIST, MNIST_MIRRORS, load_mnist

TRAIN = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz"
TEST = "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"


@pytest.fixture
def offline():
    """MNIST's mirrors replaced by a port nothing listens on, as the download tests do."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    saved = list(MNIST_MIRRORS)
    MNIST_MIRRORS[:] = [dead]
    try:
        yield dead
    finally:
        MNIST_MIRRORS[:] = saved


def test_train_offline_names_the_test_files_it_also_needs(isolated_data, offline, tmp_path, capsys):
    argv = ["train", "--data", "mnist", "--out", str(tmp_path / "runs"), "--no-plots", "--quiet"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    folder = isolated_data / "mnist"
    assert f"mnist files still missing in {folder}: {TRAIN}, and the test split's {TEST}, which a run" in err
    assert f"{offline}train-images-idx3-ubyte.gz: could not connect" in err


def test_only_the_files_still_missing_are_named(isolated_data, offline):
    folder = isolated_data / "mnist"
    folder.mkdir(parents=True)
    for name in MNIST.files["test"]:  # the test split copied in already
        (folder / name).write_bytes(b"")
    with pytest.raises(OSError) as info:
        load_mnist("train")
    assert f"mnist files still missing in {folder}: {TRAIN}. If you have them" in str(info.value)


def test_without_download_the_other_split_is_named_too(isolated_data):
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("test", download=False)
    assert f"(missing: {TEST}, and the train split's {TRAIN}, which a run reads too)" in str(info.value)
