"""A mistyped ``DELTAPROP_DATA`` is named as the user wrote it: it was never flagged, and the
offline error said "If you have them elsewhere, set DELTAPROP_DATA", which was set."""

from __future__ import annotations

import pytest

from deltaprop.cli import main
from deltaprop.datasets import ENV_VAR, dataset_info, load_mnist
from deltaprop.datasets.paths import root_problem
from deltaprop.errors import DownloadError


def test_the_problem_names_where_the_root_was_set(monkeypatch, tmp_path):
    missing, a_file = tmp_path / "nonexistent", tmp_path / "passwd"
    a_file.write_text("root:x:0:0")
    monkeypatch.setenv(ENV_VAR, str(missing))
    assert root_problem() == f"{ENV_VAR}={missing} does not exist"
    monkeypatch.setenv(ENV_VAR, str(a_file))
    assert root_problem() == f"{ENV_VAR}={a_file} is not a folder"
    assert dataset_info("mnist").root_problem == f"{ENV_VAR}={a_file} is not a folder"
    assert root_problem(data_dir=str(missing)) == f"data_dir={str(missing)!r} does not exist"
    assert root_problem(data_dir=tmp_path) is None
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(missing))
    assert root_problem() is None  # the default cache: made by the first download, not a typo


def test_without_download_the_error_says_the_folder_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nonexistent"))
    with pytest.raises(FileNotFoundError) as info:
        load_mnist("test", download=False)
    assert f"{ENV_VAR}={tmp_path / 'nonexistent'} does not exist (mistyped?)." in str(info.value)


def test_offline_train_says_the_folder_does_not_exist(monkeypatch, tmp_path, capsys, offline):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nonexistent"))
    argv = ["train", "--data", "mnist", "--out", str(tmp_path / "runs"), "--no-plots", "--quiet"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{ENV_VAR}={tmp_path / 'nonexistent'} does not exist (mistyped?)" in err
    assert not (tmp_path / "nonexistent").exists()  # the failed download left nothing behind


def test_a_download_into_a_file_is_refused_before_connecting(monkeypatch, tmp_path, http_server):
    (tmp_path / "passwd").write_text("root:x:0:0")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "passwd"))
    with pytest.raises(DownloadError, match=rf"^{ENV_VAR}=.*passwd is not a folder: set it to the folder"):
        load_mnist("test", mirrors=[http_server.url])
    assert http_server.requests == []
