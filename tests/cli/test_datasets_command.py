"""``deltaprop datasets``: a damaged set is listed as damaged and ``download`` replaces it (it was
"downloaded" and "already here"), a mistyped ``DELTAPROP_DATA`` is flagged, a data set's name in
the action's place is answered with the command meant, and a download says where from."""

from __future__ import annotations

import shutil

import pytest
from cli_helpers import SHARED_DATA, assert_one_line_error, mirror_of

from deltaprop.datasets.mnist import MNIST

needs_mnist = pytest.mark.skipif(not (SHARED_DATA / "mnist").is_dir(), reason="needs the shared MNIST files")
IMAGES = "t10k-images-idx3-ubyte.gz"


def test_a_data_sets_name_in_place_of_the_action_gets_the_command_meant(run):
    result = run("datasets", "mnist")
    assert_one_line_error(result, 2, "'mnist' is a data set", "'deltaprop datasets download mnist'")
    assert "did you mean 'list'" not in result.stderr
    assert_one_line_error(run("datasets", "lsit"), 2, "unknown action 'lsit'", "did you mean list?")


@needs_mnist
def test_a_damaged_set_is_listed_as_damaged_and_download_replaces_it(run, tmp_path):
    folder = tmp_path / "cache" / "mnist"
    folder.mkdir(parents=True)
    for path in (SHARED_DATA / "mnist").iterdir():
        shutil.copyfile(path, folder / path.name)
    (folder / IMAGES).write_bytes((SHARED_DATA / "mnist" / IMAGES).read_bytes()[:1_000_000])  # cut short

    listed = run("datasets")
    assert listed.returncode == 0, listed.stderr
    assert "│ mnist " in listed.stdout and "damaged" in listed.stdout
    assert (
        f"mnist files: {folder}, damaged:\n  {folder / IMAGES} is not mnist's {IMAGES}: it has 1,000,000"
        in (listed.stdout)
    )

    with mirror_of(MNIST, SHARED_DATA / "mnist"):
        fetched = run("datasets", "download", "mnist")
    assert fetched.returncode == 0, fetched.stderr
    assert "already here" not in fetched.stdout
    assert f"replacing a damaged file: {folder / IMAGES} is not mnist's" in fetched.stderr
    assert f"downloading mnist (1.6 MB) into {folder} from http://127.0.0.1:" in fetched.stderr
    assert (folder / IMAGES).read_bytes() == (SHARED_DATA / "mnist" / IMAGES).read_bytes()
    assert "already here" in run("datasets", "download", "mnist").stdout


def test_a_mistyped_data_root_is_flagged_in_the_list(run, monkeypatch, tmp_path):
    monkeypatch.setenv("DELTAPROP_DATA", str(tmp_path / "nonexistent"))
    listed = run("datasets")
    assert listed.returncode == 0, listed.stderr
    note = (
        f"note: DELTAPROP_DATA={tmp_path / 'nonexistent'} does not exist (mistyped?); a download creates it"
    )
    assert note in listed.stdout
    (tmp_path / "passwd").write_text("root:x:0:0")
    monkeypatch.setenv("DELTAPROP_DATA", str(tmp_path / "passwd"))
    assert f"DELTAPROP_DATA={tmp_path / 'passwd'} is not a folder (mistyped?)" in run("datasets").stdout
    refused = run("datasets", "download", "mnist")
    assert refused.returncode == 1
    assert f"DELTAPROP_DATA={tmp_path / 'passwd'} is not a folder: set it to the folder" in refused.stderr
