"""MNIST and Fashion-MNIST loaders: the real files (where present) and small fakes on disk."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import (
    ENV_VAR,
    FASHION_MNIST,
    MNIST,
    data_home,
    load_fashion_mnist,
    load_fashion_mnist_split,
    load_idx_dataset,
    load_mnist,
    load_mnist_split,
)
from deltaprop.datasets.mnist import missing_files

MNIST_COUNTS = {
    "train": [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    "test": [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
}
MNIST_FIRST = {"train": [5, 0, 4, 1, 9, 2, 1, 3, 1, 4], "test": [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]}
FASHION_COUNTS = {"train": [6000] * 10, "test": [1000] * 10}
FASHION_FIRST = {"train": [9, 0, 0, 3, 0, 2, 7, 2, 5, 5], "test": [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]}
SIZES = {"train": 60_000, "test": 10_000}


def _real_root(folder: str) -> Path:
    root = data_home()  # $DELTAPROP_DATA, else the user's cache
    if missing_files(MNIST if folder == "mnist" else FASHION_MNIST, root / folder):
        pytest.skip(
            f"no complete {folder} copy in {root}: set {ENV_VAR} to a folder holding {folder}/ "
            f"(e.g. /work/shared/data)"
        )
    return root


@pytest.fixture(scope="module")
def real_mnist():
    root = _real_root("mnist")
    return {split: load_mnist(split, data_dir=root, download=False) for split in SIZES}


@pytest.fixture(scope="module")
def real_fashion():
    root = _real_root("fashion-mnist")
    return {split: load_fashion_mnist(split, data_dir=root, download=False) for split in SIZES}


def _check_real(data, counts, first):
    for split, (X, y) in data.items():
        assert X.shape == (SIZES[split], 784) and X.dtype == np.float32
        assert y.shape == (SIZES[split],) and y.dtype == np.int64
        assert X.min() == 0.0 and X.max() == 1.0
        assert y[:10].tolist() == first[split]
        assert np.bincount(y, minlength=10).tolist() == counts[split]


@pytest.mark.mnist
def test_real_mnist(real_mnist):
    _check_real(real_mnist, MNIST_COUNTS, MNIST_FIRST)


@pytest.mark.mnist
def test_real_fashion_mnist(real_fashion):
    _check_real(real_fashion, FASHION_COUNTS, FASHION_FIRST)


@pytest.mark.mnist
def test_real_mnist_in_float64_equals_float32(real_mnist):
    X64, y64 = load_mnist("test", data_dir=_real_root("mnist"), download=False, dtype=np.float64)
    X32, y32 = real_mnist["test"]
    assert X64.dtype == np.float64
    np.testing.assert_array_equal(y64, y32)
    assert np.abs(X64 - X32).max() < 1e-7  # float32 rounding of k/255, nothing more
    levels = X64 * 255  # every pixel is k/255 for an integer k
    assert np.abs(levels - np.round(levels)).max() < 1e-9


@pytest.mark.mnist
def test_real_mnist_textbook_split(real_mnist):
    X_train, y_train, X_val, y_val = load_mnist_split(data_dir=_real_root("mnist"), download=False)
    X_all, y_all = real_mnist["train"]
    assert X_train.shape == (50_000, 784) and X_val.shape == (10_000, 784)
    np.testing.assert_array_equal(y_train, y_all[:50_000])
    np.testing.assert_array_equal(y_val, y_all[50_000:])
    np.testing.assert_array_equal(X_val[-1], X_all[-1])


# ------------------------------------------------------------------- fake files on disk


@pytest.fixture
def offline_spec(fake_mnist, fake_spec_factory):
    files, _ = fake_mnist
    return fake_spec_factory(files, ["http://127.0.0.1:9/never-used/"])


@pytest.mark.parametrize("gunzip", [False, True])
def test_fake_files_gzipped_or_not(tmp_path, fake_mnist, offline_spec, gunzip, put_files):
    files, arrays = fake_mnist
    put_files(tmp_path / "fake", files, gunzip=gunzip)
    for split in ("train", "test"):
        X, y = load_idx_dataset(offline_spec, split, data_dir=tmp_path, download=False, dtype=np.float64)
        images, labels = arrays[split]
        assert X.dtype == np.float64 and X.shape == (len(labels), 28 * 28)
        assert X.min() == 0.0 and X.max() == 1.0
        np.testing.assert_array_equal(X, images.reshape(len(labels), -1) / 255.0)
        np.testing.assert_array_equal(y, labels)


def test_data_dir_wins_over_the_environment(monkeypatch, tmp_path, fake_mnist, offline_spec, put_files):
    files, arrays = fake_mnist
    put_files(tmp_path / "explicit" / "fake", files)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "empty"))
    X, y = load_idx_dataset(offline_spec, "test", data_dir=tmp_path / "explicit", download=False)
    np.testing.assert_array_equal(y, arrays["test"][1])
    with pytest.raises(FileNotFoundError, match=r"fake test files not found in .*empty/fake"):
        load_idx_dataset(offline_spec, "test", download=False)
    put_files(tmp_path / "empty" / "fake", files)
    np.testing.assert_array_equal(load_idx_dataset(offline_spec, "test", download=False)[1], y)


def test_missing_files_without_download_say_how_to_get_them(isolated_data):
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("test", download=False)
    message = str(info.value)
    assert f"mnist test files not found in {isolated_data / 'mnist'}" in message
    assert "missing: t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz" in message
    assert "deltaprop datasets download mnist" in message and ENV_VAR in message


# In the next three tests the bad file is written un-gzipped: the fake registry records no
# un-gzipped checksum, so it is the reader's own checks that catch it (as for a registry that
# records none).


def test_count_mismatch_between_images_and_labels(tmp_path, idx_encode, fake_mnist, offline_spec, put_files):
    files, arrays = fake_mnist
    folder = put_files(tmp_path / "fake", files)
    labels = arrays["train"][1][:-1]
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(idx_encode(labels))
    with pytest.raises(
        DataFileError,
        match=r"train-images-idx3-ubyte.gz holds 12 images but .*"
        r"train-labels-idx1-ubyte.gz holds 11 labels",
    ):
        load_idx_dataset(offline_spec, "train", data_dir=tmp_path, download=False)


def test_wrong_image_size(tmp_path, idx_encode, fake_mnist, offline_spec, put_files):
    files, _ = fake_mnist
    folder = put_files(tmp_path / "fake", files)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(idx_encode(np.zeros((12, 27, 28), np.uint8)))
    with pytest.raises(DataFileError, match=r"images are 27x28, but fake images are 28x28"):
        load_idx_dataset(offline_spec, "train", data_dir=tmp_path, download=False)


def test_label_out_of_range(tmp_path, idx_encode, fake_mnist, offline_spec, put_files):
    files, _ = fake_mnist
    folder = put_files(tmp_path / "fake", files)
    labels = np.full(12, 3, np.uint8)
    labels[5] = 10
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(idx_encode(labels))
    with pytest.raises(DataFileError, match=r"label 10 at index 5 is outside 0..9"):
        load_idx_dataset(offline_spec, "train", data_dir=tmp_path, download=False)


def test_empty_files_are_refused(tmp_path, idx_encode, fake_mnist, offline_spec, put_files):
    files, _ = fake_mnist
    folder = put_files(tmp_path / "fake", files)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(idx_encode(np.zeros((0, 28, 28), np.uint8)))
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(idx_encode(np.zeros(0, np.uint8)))
    with pytest.raises(DataFileError, match="holds no images"):
        load_idx_dataset(offline_spec, "train", data_dir=tmp_path, download=False)


def test_a_corrupt_local_file_is_reported_not_replaced(tmp_path, fake_mnist, offline_spec, put_files):
    files, _ = fake_mnist
    folder = put_files(tmp_path / "fake", files)
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(files["t10k-images-idx3-ubyte.gz"][:100])
    with pytest.raises(DataFileError) as info:
        load_idx_dataset(offline_spec, "test", data_dir=tmp_path)
    message = str(info.value)  # caught by its size, before the reader sees the cut-short gzip stream
    path = folder / "t10k-images-idx3-ubyte.gz"
    assert f"{path} is not fake's t10k-images-idx3-ubyte.gz: it has 100 bytes, but fake's" in message
    # ... and the message says how to get a good copy, from the shell or Python: the loader never
    # re-fetches on its own
    assert "`deltaprop datasets download fake` (in Python: dp.datasets.download_dataset('fake'))" in message


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"split": "validation"},
            ValueError,
            r"split must be one of \('train', 'test'\) for mnist; got 'validation'",
        ),
        ({"dtype": np.int32}, ValueError, r"dtype must be float32 or float64; got 'int32'"),
        ({"data_dir": 3}, TypeError, r"data_dir must be a path \(str or os.PathLike\) or None; got 3"),
    ],
)
def test_bad_arguments(isolated_data, kwargs, error, message):
    with pytest.raises(error, match=message):
        load_mnist(**kwargs)


def test_textbook_split_of_fake_files(tmp_path, fake_mnist, offline_spec, fake_checksums, put_files):
    files, arrays = fake_mnist
    put_files(tmp_path / "fashion-mnist", files)  # the fake files under Fashion-MNIST's folder name
    X_train, y_train, X_val, y_val = load_fashion_mnist_split(
        n_validation=4, data_dir=tmp_path, download=False
    )
    labels = arrays["train"][1]
    assert X_train.shape == (8, 784) and X_val.shape == (4, 784)
    np.testing.assert_array_equal(np.concatenate([y_train, y_val]), labels)
    with pytest.raises(ValueError, match=r"n_validation must be less than the 12 training images; got 12"):
        load_fashion_mnist_split(n_validation=12, data_dir=tmp_path, download=False)


# ------------------------------------------ the real files, checked independently (audit)


@pytest.mark.mnist
@pytest.mark.parametrize("spec", [MNIST, FASHION_MNIST], ids=["mnist", "fashion-mnist"])
def test_real_files_match_the_registry_checksums(spec):
    import hashlib

    folder = _real_root(spec.folder) / spec.folder
    for name, digest in spec.sha256.items():
        path = folder / name
        if not path.is_file():
            pytest.skip(f"{path} is stored un-gzipped; the registry's checksums are of the .gz files")
        assert path.stat().st_size == spec.sizes[name], name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name


@pytest.mark.mnist
def test_real_mnist_pixels_are_the_file_bytes_over_255(real_mnist):
    # The reading the data's README gives, with nothing of deltaprop's reader in it.
    folder = _real_root("mnist") / "mnist"
    raw = np.frombuffer(gzip.open(folder / "t10k-images-idx3-ubyte.gz").read(), np.uint8, offset=16)
    labels = np.frombuffer(gzip.open(folder / "t10k-labels-idx1-ubyte.gz").read(), np.uint8, offset=8)
    X, y = real_mnist["test"]
    np.testing.assert_array_equal(X, raw.reshape(10_000, 784).astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(y, labels)
    assert X.flags.c_contiguous and X.flags.writeable


@pytest.mark.mnist
def test_loading_real_mnist_needs_little_more_memory_than_its_result():
    import tracemalloc

    root = _real_root("mnist")
    tracemalloc.start()
    try:
        X, y = load_mnist("train", data_dir=root, download=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    result = X.nbytes + y.nbytes  # 188 MB of float32 pixels, 0.5 MB of labels
    # The result plus the 47 MB of uint8 pixels it is made from, and nothing else of that size.
    assert peak < result + 60_000 * 784 + (16 << 20), (peak, result)
