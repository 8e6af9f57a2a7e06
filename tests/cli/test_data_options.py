"""How train, resume and evaluate read a user's file: --header, --delimiter, --drop-columns,
--x-key/--y-key, recorded in the run's config.toml so that every later reader reads it the
same way; pandas' header and index column; the hints that name those flags. On iris, saved by
pandas as a new user saves it."""

from __future__ import annotations

import numpy as np
import pytest
import tomllib
from cli_helpers import assert_one_line_error, same_weights

pd = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")

FAST = ("--epochs", "1", "--no-plots", "--hidden", "5")


@pytest.fixture
def iris():
    data = sk_datasets.load_iris(as_frame=True)
    frame = data.data.copy()
    frame["species"] = data.target_names[data.target.to_numpy()]
    return frame


def _data_table(run_dir) -> dict:
    return tomllib.loads((run_dir / "config.toml").read_text())["data"]


def _first_line(result) -> str:
    return result.stdout.splitlines()[1]  # "data iris.csv: 150 train, ..."


def test_pandas_numbered_header_is_not_a_sample(run, tmp_path, iris):
    X, y = sk_datasets.load_iris(return_X_y=True)
    pd.DataFrame(np.c_[X, y]).to_csv(tmp_path / "iris.csv", index=False)
    result = run("train", "--data", "iris.csv", *FAST, "--name", "a")
    assert result.returncode == 0, result.stderr
    assert "training [4, 5, 3]" in result.stdout and "iris.csv: 150 train" in _first_line(result)
    said = run("train", "--data", "iris.csv", *FAST, "--header", "no", "--name", "b")  # as asked
    assert "training [4, 5, 5]" in said.stdout and "151 train" in _first_line(said)
    assert _data_table(tmp_path / "runs" / "b")["header"] == "no"


def test_a_semicolon_file_is_named_then_read_and_its_separator_recorded(run, tmp_path, iris):
    iris.to_csv(tmp_path / "iris.csv", index=False, sep=";")
    refused = run("train", "--data", "iris.csv", *FAST)
    assert_one_line_error(refused, 1, "no feature columns", "line 1 holds ';' and no ','", "--delimiter ';'")
    result = run("train", "--data", "iris.csv", *FAST, "--delimiter", ";", "--name", "a")
    assert result.returncode == 0 and "150 train" in _first_line(result), result.stderr
    assert _data_table(tmp_path / "runs" / "a")["delimiter"] == ";"
    evaluated = run("evaluate", "runs/a")  # the run's file, read as the run read it
    assert (
        evaluated.returncode == 0 and "the validation rows held out by the run: 15 of 150" in evaluated.stdout
    )
    again = run("train", "--config", "runs/a/config.toml", "--no-plots", "--name", "b")
    assert again.returncode == 0, again.stderr
    assert same_weights(tmp_path / "runs/a/model.safetensors", tmp_path / "runs/b/model.safetensors")


def test_tabs_by_name(run, tmp_path, iris):
    iris.to_csv(tmp_path / "iris.csv", index=False, sep="\t")
    assert "--delimiter tab" in run("train", "--data", "iris.csv", *FAST).stderr
    result = run("train", "--data", "iris.csv", *FAST, "--delimiter", "tab", "--name", "a")
    assert result.returncode == 0, result.stderr
    assert _data_table(tmp_path / "runs" / "a")["delimiter"] == "\t"


def test_an_id_column_is_named_and_dropped(run, tmp_path, iris):
    iris.insert(0, "id", [f"r{i}" for i in range(len(iris))])
    iris.to_csv(tmp_path / "iris.csv", index=False)
    refused = run("train", "--data", "iris.csv", *FAST)
    assert_one_line_error(refused, 1, "'r0' is not a number", "--drop-columns id", "--label-column id")
    result = run("train", "--data", "iris.csv", *FAST, "--drop-columns", "id", "--name", "a")
    assert result.returncode == 0 and "training [4, 5, 3]" in result.stdout, result.stderr
    assert _data_table(tmp_path / "runs" / "a")["drop_columns"] == ["id"]
    assert run("evaluate", "runs/a").returncode == 0


def test_the_label_column_first_is_named(run, tmp_path, iris):
    iris[["species", *iris.columns[:-1]]].to_csv(tmp_path / "iris.csv", index=False)
    refused = run("train", "--data", "iris.csv", *FAST)
    assert_one_line_error(refused, 1, "'setosa' is not a number", "--label-column species")
    assert run("train", "--data", "iris.csv", *FAST, "--label-column", "species").returncode == 0


def test_pandas_index_column_is_warned_about_and_dropped(run, tmp_path, iris):
    iris.sort_values("species", ascending=False, kind="stable").to_csv(tmp_path / "iris.csv")  # index kept
    result = run("train", "--data", "iris.csv", *FAST, "--name", "a")
    assert result.returncode == 0 and "training [5, 5, 3]" in result.stdout
    assert "warning: " in result.stderr and "row numbers 0..149" in result.stderr
    assert "--drop-columns 0" in result.stderr and "index=False" in result.stderr
    dropped = run("train", "--data", "iris.csv", *FAST, "--drop-columns", "0", "--name", "b")
    assert dropped.returncode == 0 and "training [4, 5, 3]" in dropped.stdout
    assert "warning" not in dropped.stderr


def test_npz_keys(run, tmp_path, iris):
    X, y = sk_datasets.load_iris(return_X_y=True)
    np.savez(tmp_path / "iris.npz", x=X, y=y)
    refused = run("train", "--data", "iris.npz", *FAST)
    assert_one_line_error(refused, 1, "no array named 'X'", "['x', 'y']", "--x-key x --y-key y")
    result = run("train", "--data", "iris.npz", *FAST, "--x-key", "x", "--name", "a")
    assert result.returncode == 0, result.stderr
    assert _data_table(tmp_path / "runs" / "a")["x_key"] == "x"
    assert run("evaluate", "runs/a").returncode == 0
    np.savez(tmp_path / "other.npz", feats=X, y=y)
    other = run("evaluate", "runs/a", "--data", "other.npz", "--x-key", "feats")
    assert other.returncode == 0 and "all 150 rows" in other.stdout, other.stderr


@pytest.mark.parametrize(
    ("data", "flags", "fragments"),
    [
        (
            "iris.npz",
            ("--delimiter", ";"),
            ("--delimiter ';': applies to a .csv file only", "iris.npz is not one"),
        ),
        ("iris.csv", ("--x-key", "a"), ("--x-key a: applies to a .npz archive only",)),
        ("digits", ("--header", "yes"), ("--header yes: applies to a .csv file only", "--data digits")),
        ("iris.csv", ("--delimiter", "ab"), ("--delimiter ab: must be one character",)),
        ("iris.csv", ("--drop-columns", "a,,b"), ("argument --drop-columns", "'a,,b'")),
        ("iris.csv", ("--header", "maybe"), ("argument --header: invalid choice",)),
    ],
)
def test_options_that_do_not_fit_are_usage_errors(run, tmp_path, iris, data, flags, fragments):
    iris.to_csv(tmp_path / "iris.csv", index=False)
    np.savez(tmp_path / "iris.npz", X=iris.iloc[:, :4].to_numpy(), y=np.zeros(150))
    assert_one_line_error(run("train", "--data", data, *FAST, *flags), 2, *fragments)


def test_a_config_file_spells_them_as_toml(run, tmp_path, iris):
    iris.insert(0, "id", range(len(iris)))
    iris.to_csv(tmp_path / "iris.csv", index=False, sep="|")
    (tmp_path / "run.toml").write_text(
        '[data]\npath = "iris.csv"\ndelimiter = "|"\ndrop_columns = ["id"]\nheader = "yes"\n'
        "[training]\nepochs = 1\n"
    )
    result = run("train", "--config", "run.toml", "--no-plots", "--name", "a")
    assert result.returncode == 0 and "training [4, 30, 3]" in result.stdout, result.stderr
    (tmp_path / "bad.toml").write_text('[data]\npath = "iris.csv"\ndrop_columns = "id"\n')
    assert_one_line_error(
        run("train", "--config", "bad.toml"),
        2,
        "[data] drop_columns",
        "in bad.toml",
        "a list of column names",
    )


def test_a_header_of_years_is_named_with_its_flag(run, tmp_path):
    (tmp_path / "years.csv").write_text("1990,region,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    refused = run("train", "--data", "years.csv", *FAST)
    assert_one_line_error(refused, 1, "line 1, column 1: 'region' is not a number", "--header yes")
    result = run("train", "--data", "years.csv", *FAST, "--header", "yes", "--name", "a")
    assert result.returncode == 0 and "4 train" in _first_line(result), result.stderr
    assert _data_table(tmp_path / "runs" / "a")["header"] == "yes"


def test_an_empty_drop_columns_clears_a_config_files(run, tmp_path, iris):
    # --drop-columns '' is no column: the flag overrides a config file's (or a run's) list, which
    # there was no way to clear from the command line ("expected column names" refused it)
    iris.insert(0, "id", range(len(iris)))
    iris.to_csv(tmp_path / "iris.csv", index=False)
    (tmp_path / "run.toml").write_text(
        '[data]\npath = "iris.csv"\ndrop_columns = ["id"]\n[training]\nepochs = 1\n'
    )
    kept = run("train", "--config", "run.toml", "--no-plots", "--drop-columns", "", "--name", "a")
    assert kept.returncode == 0 and "training [5, 30, 3]" in kept.stdout, kept.stderr
    assert _data_table(tmp_path / "runs" / "a")["drop_columns"] == []


def test_a_layout_warned_of_in_training_is_not_warned_again_raw_by_later_commands(run, tmp_path, iris):
    # train's end-of-run reload, diagnose and plot re-read the file through the diagnostics, whose
    # CsvLayoutWarning came out as Python's raw warning with a source line
    iris.to_csv(tmp_path / "iris.csv")  # pandas' index kept
    trained = run("train", "--data", "iris.csv", *FAST, "--name", "a")
    assert trained.returncode == 0 and trained.stderr.count("warning: ") == 1, trained.stderr
    for command in (("diagnose", "runs/a"), ("plot", "runs/a")):
        result = run(*command)
        assert result.returncode == 0 and "CsvLayoutWarning" not in result.stderr, result.stderr
