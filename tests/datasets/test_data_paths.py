"""Where data set files are looked for: data_dir, then $DELTAPROP_DATA, then the user's cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from deltaprop.datasets import ENV_VAR, data_home, default_cache_dir


def test_order_of_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "deltaprop"
    assert data_home() == default_cache_dir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_home() == tmp_path / "xdg" / "deltaprop"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert data_home() == tmp_path / "env"
    assert data_home(tmp_path / "arg") == tmp_path / "arg"
    assert data_home(str(tmp_path / "arg")) == tmp_path / "arg"


def test_empty_environment_variable_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data_home() == tmp_path / "deltaprop"


def test_user_home_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(ENV_VAR, "~/data")
    assert data_home() == tmp_path / "data"
    assert data_home("~/other") == Path(tmp_path) / "other"


def test_nothing_is_created(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "not-yet"))
    data_home()
    assert not (tmp_path / "not-yet").exists()


def test_bad_data_dir():
    with pytest.raises(TypeError, match=r"data_dir must be a path \(str or os.PathLike\) or None; got 3.5"):
        data_home(3.5)
