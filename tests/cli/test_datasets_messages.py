"""``deltaprop datasets`` where the data root is unusual, and ``download`` of a damaged set:
a root that is a file was said to be unusable and, on the next line, where each set "goes" in it;
a root that is MNIST's own folder gave Fashion-MNIST's folder nested inside it as its place, with
no word that it would be; each "replacing a damaged file" line told the user to run the command
already running; and offline, the error for a set whose only fault was a damaged file listed an
empty "still missing"."""

from __future__ import annotations

import shutil

import pytest
from cli_helpers import SHARED_DATA, mirror_of

from deltaprop.datasets.mnist import MNIST

needs_mnist = pytest.mark.skipif(not (SHARED_DATA / "mnist").is_dir(), reason="needs the shared MNIST files")
LABELS = "t10k-labels-idx1-ubyte.gz"


def test_a_root_that_is_a_file_is_not_given_as_where_sets_go(run, monkeypatch, tmp_path):
    (tmp_path / "afile").write_text("")
    monkeypatch.setenv("DELTAPROP_DATA", "afile")
    listed = run("datasets")
    assert listed.returncode == 0, listed.stderr
    assert (
        "note: DELTAPROP_DATA=afile is not a folder (mistyped?); nothing can be kept there" in listed.stdout
    )
    assert "puts it in" not in listed.stdout and "afile/mnist" not in listed.stdout


def test_a_root_that_is_mnists_folder_says_fashion_mnist_would_be_nested_in_it(run, monkeypatch, tmp_path):
    root = tmp_path / "data" / "mnist"
    root.mkdir(parents=True)
    monkeypatch.setenv("DELTAPROP_DATA", str(root))
    listed = run("datasets")
    assert listed.returncode == 0, listed.stderr
    assert (
        f"fashion-mnist files: not yet here. {root} is the folder of the mnist files, not a data root: "
        f"set DELTAPROP_DATA to the folder above it ({root.parent}), which holds mnist/ and fashion-mnist/. "
        f"'deltaprop datasets download fashion-mnist' now would put it in {root / 'fashion-mnist'}, "
        "inside that folder.\n"
    ) in listed.stdout
    assert "fashion-mnist' puts it in" not in listed.stdout


@needs_mnist
def test_downloading_a_set_whose_one_file_is_cut_short_offline_names_that_file(run, tmp_path):
    folder = tmp_path / "cache" / "mnist"
    folder.mkdir(parents=True)
    for path in (SHARED_DATA / "mnist").glob("*.gz"):
        shutil.copyfile(path, folder / path.name)
    (folder / LABELS).write_bytes((SHARED_DATA / "mnist" / LABELS).read_bytes()[:1000])  # cut short

    listed = run("datasets")
    assert (
        f"it has 1,000 bytes, but mnist's {LABELS} (gzipped) has 4,542 (cut short while copied or "
        "downloaded?).\n'deltaprop datasets download mnist' replaces them with verified copies; "
        "or put good copies there by hand."
    ) in listed.stdout

    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    with mirror_of(MNIST, empty):  # every file 404: as offline, without a network
        fetched = run("datasets", "download", "mnist")
    assert fetched.returncode == 1
    replacing = [line for line in fetched.stderr.splitlines() if line.startswith("replacing a damaged file")]
    assert replacing == [
        f"replacing a damaged file: {folder / LABELS} is not mnist's {LABELS}: it has 1,000 bytes, but "
        f"mnist's {LABELS} (gzipped) has 4,542 (cut short while copied or downloaded?)."
    ]
    assert "still missing" not in fetched.stderr
    assert (
        f"mnist files in {folder} that are damaged (kept until a verified copy replaces them):"
        in fetched.stderr
    )
    assert (
        f"{folder / LABELS} is not mnist's {LABELS}: it has 1,000 bytes"
        in fetched.stderr.split("damaged (kept")[1]
    )
    assert "Replace them with good copies by hand (each must have its published SHA-256)" in fetched.stderr
