"""The catalogue the CLI lists, download_dataset, and the load(name) dispatcher."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from deltaprop import DownloadError
from deltaprop.datasets import (
    DATASET_NAMES,
    dataset_info,
    download_dataset,
    list_datasets,
    load,
    load_digits,
    make_moons,
    make_spiral,
    xor,
)


def test_every_name_is_listed_in_order(isolated_data):
    infos = list_datasets()
    assert [info.name for info in infos] == list(DATASET_NAMES)
    assert DATASET_NAMES == ("digits", "mnist", "fashion-mnist", "xor", "moons", "circles", "spiral", "blobs")
    by_name = {info.name: info for info in infos}
    assert by_name["digits"].source == "built-in" and by_name["digits"].present
    assert by_name["digits"].n_samples == {"train": 1437, "test": 360}
    assert (by_name["mnist"].n_features, by_name["mnist"].n_classes) == (784, 10)
    assert by_name["mnist"].source == "download" and not by_name["mnist"].present
    assert by_name["mnist"].location == isolated_data / "mnist"
    assert by_name["fashion-mnist"].location == isolated_data / "fashion-mnist"
    assert by_name["moons"].source == "generated" and by_name["moons"].location is None
    assert by_name["xor"].n_samples == {"train": 4, "test": 4}


def test_presence_follows_the_files(tmp_path, fake_mnist, fake_checksums):
    files, _ = fake_mnist
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name, body in list(files.items())[:3]:
        (folder / name).write_bytes(body)
    assert not dataset_info("mnist", data_dir=tmp_path).present
    last = list(files)[3]
    (folder / last.removesuffix(".gz")).write_bytes(b"")  # cut short: there, but not present
    info = dataset_info("mnist", data_dir=tmp_path)
    assert not info.present and len(info.damaged) == 1
    assert f"{folder / last.removesuffix('.gz')} is not mnist's {last}: it has 0 bytes" in info.damaged[0]
    (folder / last.removesuffix(".gz")).write_bytes(gzip.decompress(files[last]))  # un-gzipped names count
    assert dataset_info("mnist", data_dir=tmp_path).present


def test_download_dataset_skips_what_is_present(http_server, tmp_path, fake_mnist, fake_checksums):
    files, arrays = fake_mnist
    (tmp_path / "mnist").mkdir()
    for name, body in files.items():
        (tmp_path / "mnist" / name).write_bytes(body)
    assert download_dataset("mnist", data_dir=tmp_path, mirrors=[http_server.url]) == tmp_path / "mnist"
    assert http_server.requests == []
    # And load() reads them (fake data under MNIST's names, with the fakes' checksums registered).
    X, y = load("mnist", "test", data_dir=tmp_path, download=False)
    np.testing.assert_array_equal(y, arrays["test"][1])


def test_download_dataset_reports_failures(http_server, tmp_path):
    with pytest.raises(
        DownloadError, match=r"(?s)could not download train-images-idx3-ubyte.gz .*: HTTP 404 Not Found"
    ):
        download_dataset("fashion-mnist", data_dir=tmp_path, mirrors=[http_server.url])
    assert http_server.requests == ["/train-images-idx3-ubyte.gz"]


def test_built_in_sets_need_no_download(tmp_path):
    for name in ("digits", "xor", "moons", "circles", "spiral", "blobs"):
        assert download_dataset(name, data_dir=tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_load_dispatches_to_each_loader():
    for split in ("train", "test", "all"):
        for a, b in zip(load("digits", split), load_digits(split)):
            np.testing.assert_array_equal(a, b)
    for a, b in zip(load("xor", "test"), xor()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(load("moons", n_samples=30, seed=4), make_moons(30, seed=4)):
        np.testing.assert_array_equal(a, b)


def test_generated_test_split_is_fresh_but_reproducible():
    train, _ = load("spiral", "train", noise=0.1, seed=5)
    test, _ = load("spiral", "test", noise=0.1, seed=5)
    again, _ = load("spiral", "test", noise=0.1, seed=5)
    np.testing.assert_array_equal(train, make_spiral(noise=0.1, seed=5)[0])
    np.testing.assert_array_equal(test, again)
    assert not np.array_equal(train, test)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("cifar10",), {}, r"unknown data set 'cifar10'; choose one of digits, mnist, fashion-mnist, xor"),
        (("fashion_mnist",), {}, r"'fashion_mnist'; choose one of .*blobs; did you mean fashion-mnist\?$"),
        (("MNIST",), {}, r"; did you mean mnist\?$"),
        (
            ("moons", "validation"),
            {},
            r"split must be one of \('train', 'test'\) for moons; got 'validation'",
        ),
        (("mnist", "all"), {}, r"split must be one of \('train', 'test'\) for mnist; got 'all'"),
    ],
)
def test_bad_names_and_splits(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        load(*args, **kwargs)
    if args[0] == "cifar10":
        with pytest.raises(ValueError, match=message):
            download_dataset("cifar10")


def test_class_names_are_listed():
    assert dataset_info("fashion-mnist").classes[9] == "Ankle boot"
    assert dataset_info("digits").classes == tuple("0123456789")
    assert all(len(info.classes) == info.n_classes for info in list_datasets())


def test_load_takes_the_same_options_for_every_name(tmp_path):
    # What a command line passes whatever the name: location options are ignored where moot.
    common = {"data_dir": tmp_path, "download": False, "progress": None, "dtype": np.float32}
    for name in ("digits", "xor", "moons", "circles", "spiral", "blobs"):
        X, y = load(name, "test", **common)
        assert X.dtype == np.float32 and y.dtype == np.int64 and len(X) == len(y)
    with pytest.raises(FileNotFoundError, match="mnist test files not found"):
        load("mnist", "test", **common)
    with pytest.raises(ValueError, match=r"dtype must be float32 or float64; got 'int16'"):
        load("moons", dtype=np.int16)


def test_seed_is_accepted_for_every_name_and_checked_where_it_matters():
    for name in DATASET_NAMES[3:] + ("digits",):
        X, _ = load(name, "test", seed=1)
        assert len(X) > 0
    with pytest.raises(
        ValueError, match=r"seed must be an integer ≥ 0, a numpy\.random\.Generator or None; got -1"
    ):
        load("moons", "test", seed=-1)
    with pytest.raises(
        TypeError,
        match=r"seed must be an integer ≥ 0, a numpy\.random\.Generator or None; got 'x' of type str",
    ):
        load("circles", "test", seed="x")
