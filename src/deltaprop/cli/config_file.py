"""A config file read: its TOML parsed, and its tables, keys and value types checked.

:func:`read_toml` opens the file (a folder, a missing file, TOML that does not parse or bytes
that are not UTF-8 are each a usage error that says so) and hands its tables to
:func:`check_tables`, which a checkpoint's stored configuration goes through too. A table or
key no run knows is an error naming it and the nearest known name; a value of the wrong type
(a string for ``epochs``, a float in ``layers``) is an error naming the value as the file
writes it (:func:`~deltaprop.cli.config_origins.bad_value`). Values of the right type but no
use to a run are :func:`~deltaprop.cli.config_validate.validate`'s to refuse.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .._text import did_you_mean
from .config_origins import bad_value
from .config_tables import DEFAULTS, file_keys, tables_of_key
from .errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

QUOTED = "'{}'"  # a key as an error quotes it: 'epochs'
TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def read_toml(path: str | Path) -> dict:
    """The tables of a config file, checked against the known keys and their types."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(
            f"config file {path} is a folder, not a TOML file; give a file such as {path / 'config.toml'}"
        )
    if not path.is_file():
        raise UsageError(f"config file {path} does not exist; check the path given to --config")
    try:
        with path.open("rb") as fh:
            table = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"config file {path} is not valid TOML: {err}; fix the file") from err
    except UnicodeDecodeError as err:  # tomllib reads UTF-8 only; a binary file lands here
        raise UsageError(
            f"config file {path} is not UTF-8 text (byte {err.start} cannot be decoded); give a TOML file"
        ) from err
    except OSError as err:
        raise UsageError(f"cannot read config file {path}: {err.strerror}") from err
    return check_tables(table, str(path))


def check_tables(table: dict, path: str) -> dict:
    """``table`` (a config file's, or the one a checkpoint keeps) checked against the known
    keys and their types; a UsageError naming ``path`` and the key."""
    for section, values in table.items():
        if section not in DEFAULTS or not isinstance(values, dict):
            raise UsageError(f"unknown key {section!r} in {path}; {_where_it_belongs(section, values)}")
        known = file_keys(section)
        for key, value in values.items():
            if key not in known:
                raise UsageError(
                    f"unknown key '{section}.{key}' in {path}; [{section}] knows {', '.join(known)}"
                    f"{did_you_mean(key, known, QUOTED)}"
                )
            _check_type(section, key, value, str(path))
    _check_hidden(table.get("model", {}), path)
    data = table.get("data", {})
    if data.get("name") and data.get("path"):  # one was silently dropped: which, the file did not say
        raise UsageError(
            f"{path} gives both [data] name = {data['name']!r} (a built-in set) and path = {data['path']!r} "
            f'(a file); a run reads one of them: leave the other out (or set it to "")'
        )
    seed = table.get("training", {}).get("seed")
    if seed is not None and seed < 0:  # -1 means "draw one" inside; a file must not say it
        raise bad_value(
            {("training", "seed"): path},
            "training",
            "seed",
            seed,
            "must be a whole number ≥ 0; leave it out to draw a seed at random",
        )
    return table


def _where_it_belongs(name: str, value) -> str:
    """What to do with ``name``, found outside any table (or a table that is not one): the
    table(s) it belongs in when it is a key (``epochs = 3`` above every table line), else
    the tables a file holds and the nearest one."""
    homes = tables_of_key(name) if not isinstance(value, dict) else []
    if homes:
        tables = " or ".join(f"[{section}]" for section in homes)
        return f"{name} belongs in {tables}: write it under a {tables} line"
    near = did_you_mean(name, DEFAULTS, "[{}]") if name not in DEFAULTS else ""
    return f"expected tables [{'], ['.join(DEFAULTS)}]{near}"


def _check_hidden(model: dict, path: str) -> None:
    """A file's ``[model] hidden``: hidden sizes ≥ 1, and not beside ``layers``, which gives
    them too."""
    if "hidden" not in model:
        return
    origins = {("model", "hidden"): path, ("model", "layers"): path}
    if "layers" in model:
        raise bad_value(
            origins,
            "model",
            "hidden",
            model["hidden"],
            "give either layers (every size) or hidden (hidden sizes only), not both",
        )
    if not model["hidden"] or min(model["hidden"]) < 1:
        raise bad_value(
            origins,
            "model",
            "hidden",
            model["hidden"],
            "must be hidden sizes ≥ 1 such as [30, 30]; for no hidden layer, give every size "
            "with layers = [N_IN, N_OUT] instead",
        )


def _check_type(section: str, key: str, value, path: str) -> None:
    default = file_keys(section)[key]
    if isinstance(default, bool) or isinstance(value, bool):  # bool is an int to Python, not to TOML
        ok = isinstance(default, bool) and isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
    elif isinstance(default, int):
        ok = isinstance(value, int)
    elif key == "drop_columns":  # names or indices: ["id", 0]
        ok = isinstance(value, list) and all(
            isinstance(v, (str, int)) and not isinstance(v, bool) for v in value
        )
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    elif key == "label_column":
        ok = isinstance(value, (str, int))
    else:
        ok = isinstance(value, type(default))
    if not ok:
        if key == "drop_columns":
            expected = 'a list of column names or indices such as ["id", 0]'
        elif isinstance(default, list):
            expected = f"a list of whole numbers such as {[30, 30] if key == 'hidden' else [64, 30, 10]}"
        elif key == "label_column":
            expected = "a column's name (a string) or index (a whole number)"
        else:
            expected = TYPE_WORDS.get(type(default), type(default).__name__)
        raise bad_value({(section, key): path}, section, key, value, f"must be {expected}")
