"""What an installed deltaprop says about itself: its version, its type marker, its licence."""

from __future__ import annotations

import sys
from importlib import metadata, resources
from pathlib import Path

import deltaprop as dp

if sys.version_info >= (3, 11):
    import tomllib
else:  # as deltaprop itself reads TOML on 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_the_one_the_package_was_built_with():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert dp.__version__ == declared == metadata.version("deltaprop")


def test_type_checkers_are_told_the_annotations_are_meant_for_them():
    # PEP 561: without py.typed, mypy skips an installed package ("missing library stubs or
    # py.typed marker") and every deltaprop type is Any to it
    assert resources.files("deltaprop").joinpath("py.typed").is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["deltaprop"]


def test_the_declared_licence_ships_its_text():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
