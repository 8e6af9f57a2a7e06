"""``predict``'s output for programs and files: a plain table when stdout is no terminal,
``--format csv``, ``--output FILE.csv|.json`` (written atomically), and CSV rows named by
their file line, as the CSV reader's errors name them."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, write_iris_csv

TRAIN = ("train", "--epochs", "2", "--seed", "0", "--quiet", "--no-plots")
BOX_DRAWING = set("─│┃━┏┓┗┛┡┩└┘┌┐╇┼┬┴")


@pytest.fixture
def iris(run, tmp_path):
    """A run trained on iris (text labels in ``species``) and 5 of its rows, features only."""
    features = write_iris_csv(tmp_path)
    features.iloc[[0, 60, 120, 1, 2]].to_csv(tmp_path / "rows.csv", index=False)
    result = run(*TRAIN, "--epochs", "30", "--data", "iris.csv", "--name", "iris")  # learns all 3
    assert result.returncode == 0, result.stderr
    return "runs/iris"


def _json(run, *args):
    result = run("predict", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["predictions"]


def test_a_piped_table_has_no_box_drawing_and_keeps_every_value(run, iris):
    result = run("predict", iris, "rows.csv")  # captured: stdout is no terminal
    assert result.returncode == 0, result.stderr
    assert not BOX_DRAWING & set(result.stdout), result.stdout
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["input", "class", "0", "1", "2"]
    expected = _json(run, iris, "rows.csv")
    for line, p in zip(lines[2:7], expected):
        cells = line.split()
        assert cells[0] == p["input"] and cells[1:3] == [str(p["class"]), p["class_name"]]
        assert [float(c) for c in cells[3:]] == pytest.approx(p["probabilities"], abs=5e-4)


def test_format_csv_writes_a_header_and_a_row_per_input_with_every_probability(run, iris):
    result = run("predict", iris, "rows.csv", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["input", "class", "class_name", "p_setosa", "p_versicolor", "p_virginica"]
    expected = _json(run, iris, "rows.csv")
    assert len(rows) == 1 + len(expected) == 6
    for row, p in zip(rows[1:], expected):
        assert row[:3] == [p["input"], str(p["class"]), p["class_name"]]
        assert [float(v) for v in row[3:]] == p["probabilities"]  # in full: exactly the JSON's
        assert sum(map(float, row[3:])) == pytest.approx(1.0)
    assert {row[2] for row in rows[1:]} == {"setosa", "versicolor", "virginica"}


def test_output_csv_is_the_csv_of_format_csv_written_atomically(run, iris, tmp_path):
    (tmp_path / "out").mkdir()
    result = run("predict", iris, "rows.csv", "--output", "out/p.csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5 predictions written to out/p.csv"
    on_stdout = run("predict", iris, "rows.csv", "--format", "csv").stdout
    assert (tmp_path / "out" / "p.csv").read_text() == on_stdout
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["p.csv"]  # no temporary file left


def test_output_json_holds_what_json_prints(run, iris, tmp_path):
    result = run("predict", iris, "rows.csv", "--output", "p.json")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "p.json").read_text())["predictions"] == _json(run, iris, "rows.csv")


@pytest.mark.parametrize(
    ("flags", "fragments"),
    [
        (("--output", "p.txt"), ("--output p.txt", "extension .txt", ".csv or .json")),
        (("--output", "nowhere/p.csv"), ("--output nowhere/p.csv", "folder nowhere does not exist")),
        (("--output", "p.csv", "--json"), ("--json is for stdout", "leave --json out")),
        (("--json", "--format", "csv"), ("--json and --format csv",)),
    ],
)
def test_output_flags_that_cannot_work_are_usage_errors_naming_them(run, iris, tmp_path, flags, fragments):
    result = run("predict", iris, "rows.csv", *flags)
    assert_one_line_error(result, 2, *fragments)
    assert not (tmp_path / "p.csv").exists() and not (tmp_path / "p.txt").exists()


def test_a_regression_model_writes_its_output_column(run, tmp_path):
    from sklearn.datasets import load_diabetes

    frame = load_diabetes(as_frame=True).frame
    frame.to_csv(tmp_path / "diabetes.csv", index=False)
    frame.drop(columns="target").head(4).to_csv(tmp_path / "rows.csv", index=False)
    trained = run(*TRAIN, "--data", "diabetes.csv", "--task", "regression", "--scale", "standard")
    assert trained.returncode == 0, trained.stderr
    model = trained.stdout.strip()
    rows = list(csv.reader(io.StringIO(run("predict", model, "rows.csv", "--format", "csv").stdout)))
    expected = _json(run, model, "rows.csv")
    assert rows[0] == ["input", "output"]
    assert [[r["input"], r["outputs"][0]] for r in expected] == [[a, float(b)] for a, b in rows[1:]]
    piped = run("predict", model, "rows.csv").stdout
    assert not BOX_DRAWING & set(piped)


def test_csv_rows_are_named_by_the_file_line_that_errors_cite(run, iris, tmp_path):
    # a header on line 1, a blank line 2, rows on lines 3 and 4
    (tmp_path / "gap.csv").write_text("a,b,c,d\n\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n")
    names = [p["input"] for p in _json(run, iris, "gap.csv")]
    assert names == ["gap.csv:3", "gap.csv:4"]
    assert [p["input"] for p in _json(run, iris, "rows.csv")][0] == "rows.csv:2"  # after its header
    (tmp_path / "bad.csv").write_text("a,b,c,d\n\n5.1,3.5,1.4,0.2\n6.3,x,6.0,2.5\n")
    result = run("predict", iris, "bad.csv")
    assert result.returncode == 1 and "line 4" in result.stderr  # the row named gap.csv:4 above
    headless = np.array([[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]])
    np.savetxt(tmp_path / "bare.csv", headless, delimiter=",")
    assert [p["input"] for p in _json(run, iris, "bare.csv")] == ["bare.csv:1", "bare.csv:2"]
