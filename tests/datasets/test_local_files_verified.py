"""Files put in by hand are checked against the registry's checksums when loaded: Fashion-MNIST's
files copied into ``mnist/`` loaded as MNIST (its labels, its images) and ``deltaprop train
--data mnist`` reported "mnist", though the download error promises "its SHA-256 must be ...".
Un-gzipped copies are checked against the hashes of the published files decompressed."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.cli import main
from deltaprop.datasets import MNIST, dataset_info, idx_verify, load_idx_dataset, load_mnist

SHARED = Path(os.environ.get("DELTAPROP_DATA") or "/work/shared/data")
TEST_FILES = MNIST.files["test"]
needs_shared = pytest.mark.skipif(
    any(
        not (SHARED / folder / name).is_file() for folder in ("mnist", "fashion-mnist") for name in TEST_FILES
    ),
    reason=f"needs MNIST's and Fashion-MNIST's test files in {SHARED}",
)


def _copy_test_files(source: str, dest: Path, *, gunzip: bool = False) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in TEST_FILES:
        if gunzip:
            (dest / name.removesuffix(".gz")).write_bytes(
                gzip.decompress((SHARED / source / name).read_bytes())
            )
        else:
            shutil.copyfile(SHARED / source / name, dest / name)
    return dest


@needs_shared
@pytest.mark.parametrize("gunzip", [False, True], ids=["gzipped", "un-gzipped"])
def test_fashion_files_in_the_mnist_folder_are_refused_and_named(tmp_path, gunzip):
    folder = _copy_test_files("fashion-mnist", tmp_path / "mnist", gunzip=gunzip)
    with pytest.raises(DataFileError) as info:
        load_mnist("test", data_dir=tmp_path, download=False)
    message = str(info.value)
    name = "t10k-images-idx3-ubyte.gz"
    path = folder / (name.removesuffix(".gz") if gunzip else name)
    assert f"{path} is not mnist's {name}: " in message
    # un-gzipped, both sets' files have the same size: the checksum tells them apart
    assert ("its SHA-256 is" if gunzip else "it has 4,422,102 bytes") in message
    assert f"It is fashion-mnist's {name}: move it into {tmp_path / 'fashion-mnist'}." in message
    assert "`deltaprop datasets download mnist` (in Python: dp.datasets.download_dataset('mnist'))" in message


@needs_shared
def test_train_refuses_them_too(tmp_path, monkeypatch, capsys):
    _copy_test_files("fashion-mnist", tmp_path / "data" / "mnist")
    for name in MNIST.files["train"]:
        shutil.copyfile(SHARED / "fashion-mnist" / name, tmp_path / "data" / "mnist" / name)
    monkeypatch.setenv("DELTAPROP_DATA", str(tmp_path / "data"))
    argv = [
        "train",
        "--data",
        "mnist",
        "--epochs",
        "1",
        "--out",
        str(tmp_path / "runs"),
        "--no-plots",
        "--quiet",
    ]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz is not mnist's train-images-idx3-ubyte.gz" in err
    assert "It is fashion-mnist's train-images-idx3-ubyte.gz" in err


@needs_shared
def test_un_gzipped_mnist_is_verified_and_read(tmp_path):
    _copy_test_files("mnist", tmp_path / "mnist", gunzip=True)
    X, y = load_mnist("test", data_dir=tmp_path, download=False)
    X_gz, y_gz = load_mnist("test", data_dir=SHARED, download=False)
    np.testing.assert_array_equal(y, y_gz)
    np.testing.assert_array_equal(X, X_gz)
    assert dataset_info("mnist", data_dir=tmp_path).damaged == ()


def test_a_file_is_hashed_once_until_it_changes(tmp_path, fake_mnist, fake_spec_factory, monkeypatch):
    files, arrays = fake_mnist
    spec = fake_spec_factory(files, [])
    folder = tmp_path / "fake"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_bytes(body)
    load_idx_dataset(spec, "test", data_dir=tmp_path, download=False)  # hashed here

    def no_hashing(*args):
        raise AssertionError("hashed again")

    monkeypatch.setattr(idx_verify.hashlib, "sha256", no_hashing)
    X, y = load_idx_dataset(spec, "test", data_dir=tmp_path, download=False)  # remembered
    np.testing.assert_array_equal(y, arrays["test"][1])
    monkeypatch.undo()

    # The same size, one byte changed, a new mtime: hashed anew, and refused
    path = folder / "t10k-labels-idx1-ubyte.gz"
    body = bytearray(files[path.name])
    body[-9] ^= 1  # the last byte of the deflate data (before the 8-byte trailer)
    stat = path.stat()
    path.write_bytes(bytes(body))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    with pytest.raises(
        DataFileError, match=r"is not fake's t10k-labels-idx1-ubyte.gz: its SHA-256 is [0-9a-f]{64}"
    ):
        load_idx_dataset(spec, "test", data_dir=tmp_path, download=False)


def test_an_empty_gz_file_is_compared_with_the_gzipped_file(
    tmp_path, fake_mnist, fake_spec_factory, put_files
):
    files, _ = fake_mnist
    spec = fake_spec_factory(files, [])
    folder = put_files(tmp_path / "fake", files)
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"")  # too short to tell: as its name says
    size = len(files["t10k-labels-idx1-ubyte.gz"])
    with pytest.raises(
        DataFileError, match=rf"it has 0 bytes, but fake's t10k-labels-idx1-ubyte.gz \(gzipped\) has {size}"
    ):
        load_idx_dataset(spec, "test", data_dir=tmp_path, download=False)
