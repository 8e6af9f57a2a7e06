"""``DELTAPROP_DATA`` at a folder holding the IDX files directly (torchvision's ``MNIST/raw``, or
the files themselves): read where the checksums show they are the set's own, else told what they
are. MNIST and Fashion-MNIST files have the same names, so a name alone cannot decide; it failed
with "mnist test files not found in .../raw/mnist" though the README says such a folder works."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from deltaprop.datasets import ENV_VAR, MNIST, dataset_info, load_fashion_mnist, load_mnist

SHARED = Path(os.environ.get("DELTAPROP_DATA") or "/work/shared/data")


@pytest.mark.parametrize(
    ("below", "gunzip"),
    [("", False), ("raw", True), ("MNIST/raw", True), ("MNIST", False)],
    ids=["files-in-the-root", "raw", "torchvision-MNIST-raw", "torchvision-MNIST"],
)
def test_the_sets_own_files_are_read_where_they_are(
    monkeypatch, tmp_path, fake_mnist, register_fakes, below, gunzip, put_files
):
    files, arrays = fake_mnist
    register_fakes(MNIST)  # as MNIST's only: Fashion-MNIST's checksums stay the real ones
    root = tmp_path / "raw-data"
    folder = put_files(root / below, files, gunzip=gunzip)
    monkeypatch.setenv(ENV_VAR, str(root))
    X, y = load_mnist("test", download=False)
    np.testing.assert_array_equal(y, arrays["test"][1])
    info = dataset_info("mnist")
    assert info.present and info.location == folder
    # ... and they are not Fashion-MNIST's, whatever their names: it is told so, not fed them
    with pytest.raises(FileNotFoundError) as raised:
        load_fashion_mnist("test", download=False)
    assert f"{folder} holds mnist's files, not taken as fashion-mnist's." in str(raised.value)


@pytest.mark.skipif(
    any(not (SHARED / "fashion-mnist" / name).is_file() for name in MNIST.files["test"]),
    reason=f"needs Fashion-MNIST's test files in {SHARED}",
)
def test_another_sets_loose_files_are_named_not_read(monkeypatch, tmp_path):
    root = tmp_path / "raw-data"
    root.mkdir()
    for name in MNIST.files["test"]:
        shutil.copyfile(SHARED / "fashion-mnist" / name, root / name)
    monkeypatch.setenv(ENV_VAR, str(root))
    with pytest.raises(FileNotFoundError) as raised:
        load_mnist("test", download=False)
    message = str(raised.value)
    assert f"mnist test files not found in {root / 'mnist'}" in message
    assert f"{root} holds fashion-mnist's files, not taken as mnist's. Put mnist's own files in " in message


def test_damaged_loose_files_are_not_taken(monkeypatch, tmp_path, fake_mnist, fake_checksums, put_files):
    files, _ = fake_mnist
    root = put_files(tmp_path / "raw-data", {name: body[:-1] for name, body in files.items()})
    monkeypatch.setenv(ENV_VAR, str(root))
    assert dataset_info("mnist").location == root / "mnist"
    with pytest.raises(FileNotFoundError, match=r"holds files named as its, but not its published files"):
        load_mnist("test", download=False)


@pytest.mark.skipif(
    any(not (SHARED / "fashion-mnist" / name).is_file() for name in MNIST.files["test"]),
    reason=f"needs Fashion-MNIST's test files in {SHARED}",
)
@pytest.mark.parametrize("below", ["mnist", "MNIST/raw"])
def test_a_sets_files_in_the_other_sets_folder_are_to_be_moved(monkeypatch, tmp_path, below):
    folder = tmp_path / "data" / below
    folder.mkdir(parents=True)
    for name in MNIST.files["test"]:
        shutil.copyfile(SHARED / "fashion-mnist" / name, folder / name)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "data"))
    with pytest.raises(FileNotFoundError) as raised:
        load_fashion_mnist("test", download=False)
    move = f"{folder} holds fashion-mnist's files: move them into {tmp_path / 'data' / 'fashion-mnist'}."
    assert str(raised.value).endswith(move)
