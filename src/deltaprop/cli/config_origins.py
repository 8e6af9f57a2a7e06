"""Where each value of a run's configuration came from, and how a message names it there.

A value comes from the defaults, a command-line flag, or a config file; the run records each
one's origin in an :data:`Origins` dict (``(table, key)`` to :data:`DEFAULT`, :data:`FLAG` or
the file's path) as it is resolved. The functions here turn that into the words the user
wrote: ``--batch-size 0`` for a flag (or a default, which a flag changes), ``[training]
batch_size = 0 in run.toml`` for a config file. :func:`bad_value` is the one place a usage
error about a value is made, so that every such error names the value where it was written.
"""

from __future__ import annotations

import json
import shlex

from .errors import UsageError

# Where a value came from, when not from a config file (whose path is its origin).
DEFAULT = "default"
FLAG = "flag"

Origins = dict[tuple[str, str], str]  # (table, key) -> DEFAULT, FLAG or the config file's path


def origins_of(tables: dict, origin: str) -> Origins:
    """Every key of ``tables`` (``{table: {key: value}}``) marked as coming from ``origin``."""
    return {(section, key): origin for section, values in tables.items() for key in values}


def from_file(origins: Origins, section: str, key: str) -> bool:
    return origins.get((section, key), DEFAULT) not in (DEFAULT, FLAG)


def flag_name(section: str, key: str) -> str:
    """The command-line flag of a key: ``--batch-size`` for ``batch_size``; ``--data`` gives
    ``[data]`` its ``name`` or its ``path``."""
    if section == "data" and key in ("name", "path"):
        return "--data"
    return "--" + key.replace("_", "-")


def key_name(origins: Origins, section: str, key: str) -> str:
    """A key as the user would change it: ``--batch-size`` on the command line (also for a
    default, which a flag changes), ``[training] batch_size in run.toml`` in a config file."""
    if from_file(origins, section, key):
        return f"[{section}] {key} in {origins[section, key]}"
    return flag_name(section, key)


def spell(origins: Origins, section: str, key: str, value) -> str:
    """A setting as its source writes it: ``--layers 64,30,10`` on the command line (also for
    a default; the value shell-quoted, ``--delimiter ';'``, so that it can be typed as shown),
    ``layers = [64, 30, 10]`` in a config file. For suggestions and for naming."""
    if from_file(origins, section, key):
        return f"{key} = {_toml_text(value)}"
    if isinstance(value, bool):  # a switch: --restore-best-weights, --no-restore-best-weights
        return flag_name(section, key).replace("--", "--" if value else "--no-", 1)
    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    if section == "data" and key == "delimiter" and text == "\t":
        return f"{flag_name(section, key)} tab"  # as --delimiter takes it; a quoted tab is unseen
    return f"{flag_name(section, key)} {shlex.quote(text)}"  # as it is typed: --delimiter ';'


def given(origins: Origins, section: str, key: str, value, beside: tuple[str, str] | None = None) -> str:
    """A value as an error names it, where the user wrote it: ``--batch-size 0`` from a flag,
    ``[training] batch_size = 0 in run.toml`` from a config file. ``beside``: the (table, key)
    the error is about, when this value is named next to it; if both came from the same file,
    the file is named once, there."""
    same = beside is not None and origins.get(beside) == origins.get((section, key))
    if from_file(origins, section, key) and not same:
        return f"[{section}] {spell(origins, section, key, value)} in {origins[section, key]}"
    return spell(origins, section, key, value)


def bad_value(origins: Origins, section: str, key: str, value, problem: str) -> UsageError:
    """The usage error for one value: ``--batch-size 0: must be ...`` when a flag gave it,
    ``[training] batch_size = 0 in run.toml: must be ...`` when a config file did."""
    return UsageError(f"{given(origins, section, key, value)}: {problem}")


def _toml_text(value) -> str:
    """``value`` written as TOML writes it (on one line), to quote a config file back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_text(v)}" for k, v in value.items()) + "}"
    return str(value)
