"""A download that fails (offline) names each file still damaged and what is wrong with it: it
counted only absent files, so a set whose one bad file was all that was wrong ended with
"mnist files still missing in …/mnist: ." (an empty list). And the progress is told each damaged
file being replaced and what is wrong with it, without the command being run as the remedy."""

from __future__ import annotations

import pytest

from deltaprop.datasets import FASHION_MNIST, MNIST, download_dataset
from deltaprop.errors import DownloadError

LABELS = "t10k-labels-idx1-ubyte.gz"


class _Words:
    """A progress that can show words: it keeps them."""

    def __init__(self):
        self.texts = []

    def __call__(self, done, total):
        pass

    def message(self, text):
        self.texts.append(text)


def _fail(progress=None) -> str:
    with pytest.raises(DownloadError) as info:
        download_dataset("mnist", progress=progress)
    return str(info.value)


def test_a_file_cut_short_is_named_with_what_to_do(isolated_data, offline, register_fakes, put_files):
    files = register_fakes(MNIST)
    folder = put_files(isolated_data / "mnist", files)
    (folder / LABELS).write_bytes(files[LABELS][:10])
    words = _Words()
    message = _fail(words)
    assert "still missing" not in message  # nothing is: "still missing in …/mnist: ." was the error
    assert f"mnist files in {folder} that are damaged (kept until a verified copy replaces them):" in message
    assert f"\n  {folder / LABELS} is not mnist's {LABELS}: it has 10 bytes, but mnist's {LABELS}" in message
    assert "(cut short while copied or downloaded?)" in message
    assert "Replace them with good copies by hand (each must have its published SHA-256)" in message
    assert (folder / LABELS).read_bytes() == files[LABELS][:10]  # kept: nothing better came
    replacing = [text for text in words.texts if text.startswith("replacing a damaged file: ")]
    assert replacing == [
        f"replacing a damaged file: {folder / LABELS} is not mnist's {LABELS}: it has 10 bytes, but mnist's "
        f"{LABELS} (gzipped) has {len(files[LABELS]):,} (cut short while copied or downloaded?)."
    ]


def test_another_sets_files_go_to_its_folder_not_under_a_download(
    isolated_data, offline, register_fakes, put_files
):
    """Fashion-MNIST's files copied into mnist/ are moved to fashion-mnist/ before a download of
    MNIST (which would overwrite them) and said so; where fashion-mnist/ has the file already
    (the fakes' two label files are alike), the copy is named as a damaged MNIST file."""
    files = register_fakes(FASHION_MNIST)  # MNIST keeps its published checksums
    folder = put_files(isolated_data / "mnist", files)
    words = _Words()
    message = _fail(words)
    home = isolated_data / "fashion-mnist"
    moved = [name for name in files if (home / name).exists()]
    assert len(moved) == len(files) - 1  # one of the twin label files stays: its place is taken
    for name in moved:
        assert (home / name).read_bytes() == files[name] and not (folder / name).exists()
        assert f"moving {folder / name}, another set's file, to {home / name}" in words.texts
    kept = [name for name in files if name not in moved]
    assert [f"{folder / kept[0]} is not mnist's {kept[0]}" in message] == [True]
    assert sum(text.startswith("replacing a damaged file: ") for text in words.texts) == 1
    for text in words.texts:
        assert "deltaprop datasets download" not in text


def test_a_file_whose_checksum_differs_is_named_with_both_checksums(
    isolated_data, offline, register_fakes, put_files
):
    files = register_fakes(MNIST)
    folder = put_files(isolated_data / "mnist", files)
    body = bytearray(files[LABELS])
    body[-9] ^= 0xFF  # the same size, another file
    (folder / LABELS).write_bytes(bytes(body))
    message = _fail()
    assert f"{folder / LABELS} is not mnist's {LABELS}: its SHA-256 is " in message
    assert f"but mnist's {LABELS} (gzipped) has {MNIST.sha256[LABELS]}." in message


def test_missing_and_damaged_files_are_both_named(isolated_data, offline, register_fakes, put_files):
    files = register_fakes(MNIST)
    folder = put_files(isolated_data / "mnist", {LABELS: files[LABELS][:10]})
    message = _fail()
    missing = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz"
    assert (
        f"mnist files still missing in {folder}: {missing}.\nmnist files in {folder} that are damaged"
        in message
    )
    assert f"\n  {folder / LABELS} is not mnist's {LABELS}: it has 10 bytes" in message
