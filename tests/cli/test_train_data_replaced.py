"""``train --config RUN/config.toml --data OTHER`` reads OTHER with the defaults of its own kind:
a config file's ways of reading a CSV (delimiter, header, dropped columns, label column) go
back to their defaults for an NPZ file or a built-in set, an NPZ's array names for a CSV or a
built-in set, unless a flag gives them. A ';' run's config was refused for an NPZ file:
"[data] delimiter = ';' in ...: applies to a .csv file only"."""

from __future__ import annotations

import sys

import numpy as np
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FAST = ("--epochs", "1", "--hidden", "5", "--no-plots", "--quiet", "--seed", "1")


@pytest.fixture
def files(tmp_path):
    """The same 40 points as a ';' CSV with an ID column and as an NPZ with its own array names."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    rows = [f"{i};{a};{b};{c};{k}" for i, ((a, b, c), k) in enumerate(zip(X, y))]
    (tmp_path / "semi.csv").write_text("\n".join(["id;a;b;c;label", *rows]) + "\n")
    np.savez(tmp_path / "named.npz", inputs=X, labels=y)
    np.savez(tmp_path / "plain.npz", X=X, y=y)
    (tmp_path / "plain.csv").write_text(
        "\n".join(["a,b,c,label", *(f"{a},{b},{c},{k}" for (a, b, c), k in zip(X, y))]) + "\n"
    )
    return tmp_path


def _data_table(folder) -> dict:
    return tomllib.loads((folder / "config.toml").read_text())["data"]


def _train(run, *args, name):
    result = run("train", *args, *FAST, "--name", name)
    assert result.returncode == 0, result.stderr
    return result


CSV_DEFAULTS = {"label_column": "", "header": "auto", "delimiter": ",", "drop_columns": []}
NPZ_DEFAULTS = {"x_key": "X", "y_key": "y"}


def test_a_csv_runs_reading_keys_do_not_follow_it_to_other_data(run, files):
    _train(
        run, "--data", "semi.csv", "--delimiter", ";", "--drop-columns", "id", "--header", "yes", name="semi"
    )
    first = _data_table(files / "runs/semi")
    assert (first["delimiter"], first["drop_columns"], first["header"]) == (";", ["id"], "yes")

    _train(run, "--config", "runs/semi/config.toml", "--data", "plain.npz", name="npz")
    _train(run, "--config", "runs/semi/config.toml", "--data", "moons", name="moons")
    _train(run, "--config", "runs/semi/config.toml", "--data", "semi.csv", name="again")  # a CSV: kept

    for name in ("npz", "moons"):
        table = _data_table(files / "runs" / name)
        assert {key: table[key] for key in CSV_DEFAULTS} == CSV_DEFAULTS, name
    again = _data_table(files / "runs/again")
    assert (again["delimiter"], again["drop_columns"], again["header"]) == (";", ["id"], "yes")


def test_an_npz_runs_array_names_do_not_follow_it_to_other_data(run, files):
    _train(run, "--data", "named.npz", "--x-key", "inputs", "--y-key", "labels", name="named")

    _train(run, "--config", "runs/named/config.toml", "--data", "plain.csv", name="csv")
    _train(run, "--config", "runs/named/config.toml", "--data", "moons", name="moons")

    for name in ("csv", "moons"):
        table = _data_table(files / "runs" / name)
        assert {key: table[key] for key in NPZ_DEFAULTS} == NPZ_DEFAULTS, name


def test_a_reading_flag_given_with_the_data_still_applies_or_is_refused(run, files):
    _train(run, "--data", "semi.csv", "--delimiter", ";", "--drop-columns", "id", name="semi")
    config = ("--config", "runs/semi/config.toml")

    refused = run("train", *config, "--data", "plain.npz", "--delimiter", ";", *FAST)

    assert refused.returncode == 2
    assert "--delimiter ';': applies to a .csv file only" in refused.stderr, refused.stderr
    _train(run, *config, "--data", "named.npz", "--x-key", "inputs", "--y-key", "labels", name="keys")
    table = _data_table(files / "runs/keys")
    assert (table["x_key"], table["y_key"], table["delimiter"]) == ("inputs", "labels", ",")
