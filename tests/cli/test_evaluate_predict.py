"""``evaluate`` and ``predict`` on a digits model: tables, JSON, a drawn PNG digit, bad inputs."""

from __future__ import annotations

import json

import numpy as np
from cli_helpers import assert_one_line_error
from PIL import Image, ImageDraw


def draw_seven(path):
    """A thick black 7 on white, larger than 28×28 and off-centre, as a paint program would save it."""
    img = Image.new("RGB", (300, 240), "white")
    ImageDraw.Draw(img).line([(150, 40), (210, 40), (170, 200)], fill="black", width=18)
    img.save(path)
    return path


def test_evaluate_shows_cost_accuracy_per_class_and_confusion(cli, trained_run):
    result = cli("evaluate", str(trained_run))
    assert result.returncode == 0, result.stderr
    for heading in (
        "on digits (test split): 360 samples",
        "accuracy",
        "Per class",
        "precision",
        "Confusion matrix",
    ):
        assert heading in result.stdout
    as_json = cli("evaluate", str(trained_run / "model.safetensors"), "--data", "digits", "--json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["n_samples"] == 360 and 0.8 < report["accuracy"] <= 1.0
    matrix = np.array(report["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 360
    assert np.trace(matrix) / 360 == report["accuracy"]
    assert [row["support"] for row in report["per_class"]] == matrix.sum(axis=1).tolist()


def test_evaluate_errors(cli, trained_run):
    assert_one_line_error(cli("evaluate", "nope.safetensors"), 2, "nope.safetensors does not exist")
    assert_one_line_error(cli("evaluate", str(trained_run), "--data", "moons"), 1, "2 features", "64 inputs")


def test_predict_a_drawn_png_digit_end_to_end(cli, tmp_path, trained_run):
    draw_seven(tmp_path / "seven.png")
    table = cli("predict", str(trained_run), "seven.png")
    assert table.returncode == 0, table.stderr
    assert "Predictions" in table.stdout and "seven.png" in table.stdout
    result = cli("predict", str(trained_run), "seven.png", "--json")
    assert result.returncode == 0, result.stderr
    (prediction,) = json.loads(result.stdout)["predictions"]
    probabilities = np.array(prediction["probabilities"])
    assert probabilities.shape == (10,) and abs(probabilities.sum() - 1) < 1e-9
    assert prediction["class"] == int(probabilities.argmax())
    # The digits model reads the drawing as a 7 (p ≈ 0.68; the runner-up, 2, ≈ 0.21): the
    # round trip through the image preparation gives the right class, not just a near miss.
    assert prediction["class"] == 7 and prediction["image"] == "digit"


def test_predict_rows_from_csv_and_npz(cli, tmp_path, trained_run):
    import deltaprop as dp

    X, y = dp.datasets.load("digits", "test")
    np.savetxt(tmp_path / "rows.csv", X[:4], delimiter=",")
    np.savez(tmp_path / "rows.npz", X=X[4:6])
    result = cli("predict", str(trained_run), "rows.csv", "rows.npz", "--json")
    assert result.returncode == 0, result.stderr
    predictions = json.loads(result.stdout)["predictions"]
    assert [p["input"] for p in predictions] == [f"rows.csv:{k}" for k in (1, 2, 3, 4)] + [
        "rows.npz:1",
        "rows.npz:2",
    ]
    expected = dp.load(trained_run / "model.safetensors").predict_classes(X[:6])
    assert [p["class"] for p in predictions] == expected.tolist()


def test_predict_errors(cli, tmp_path, trained_run):
    assert_one_line_error(cli("predict", str(trained_run), "missing.png"), 2, "missing.png does not exist")
    (tmp_path / "bad.png").write_text("not a png")
    assert_one_line_error(cli("predict", str(trained_run), "bad.png"), 1, "cannot read bad.png")
    np.savetxt(tmp_path / "wide.csv", np.zeros((2, 5)), delimiter=",")
    assert_one_line_error(cli("predict", str(trained_run), "wide.csv"), 1, "5 features", "expects 64")
    (tmp_path / "notes.md").write_text("1,2")  # a .txt is a text table now: read as CSV
    assert_one_line_error(cli("predict", str(trained_run), "notes.md"), 2, "unknown kind .md")


def test_a_csv_with_named_classes_is_predicted_and_evaluated_by_name(cli, tmp_path):
    # train stores the CSV's class names with the model; predict and evaluate show them.
    rows = ["width,height,label"]
    for k in range(6):
        d = 0.01 * k
        rows += [f"{0.1 + d:.2f},{0.2 - d:.2f},cat", f"{0.9 - d:.2f},{0.8 + d:.2f},dog"]
    (tmp_path / "pets.csv").write_text("\n".join(rows) + "\n")
    train = cli("train", "--data", "pets.csv", "--epochs", "300", "--seed", "0", "--quiet", "--no-plots")
    assert train.returncode == 0, train.stderr
    run_dir = tmp_path / train.stdout.strip()
    import deltaprop as dp

    assert dp.files.read_metadata(run_dir / "model.safetensors")["user"]["classes"] == ["cat", "dog"]

    predicted = cli("predict", str(run_dir), "pets.csv", "--label-column", "label", "--json")
    assert predicted.returncode == 0, predicted.stderr
    by_row = json.loads(predicted.stdout)["predictions"]
    assert [p["class_name"] for p in by_row] == ["cat", "dog"] * 6
    assert [p["class"] for p in by_row] == [0, 1] * 6
    table = cli("predict", str(run_dir), "pets.csv", "--label-column", "label")
    assert "0 cat" in table.stdout and "1 dog" in table.stdout
    # The training file as it is: its text labels are no feature, and the message used to stop
    # there, never naming --label-column, as it does for a numeric label column.
    assert_one_line_error(
        cli("predict", str(run_dir), "pets.csv"), 1, "'cat' is not a number", "3 columns", "--label-column"
    )

    report = cli("evaluate", str(run_dir), "--data", "pets.csv", "--json")
    assert report.returncode == 0, report.stderr
    per_class = json.loads(report.stdout)["per_class"]
    assert [(row["class"], row["name"]) for row in per_class] == [(0, "cat"), (1, "dog")]
    shown = cli("evaluate", str(run_dir), "--data", "pets.csv")
    assert "│ 0 cat │" in shown.stdout and "│ 1 dog │" in shown.stdout


def test_digits_classes_are_their_numbers_and_shown_once(cli, trained_run):
    # The digits' names are "0".."9": the tables show each class once, not "7 7".
    shown = cli("evaluate", str(trained_run))
    assert shown.returncode == 0, shown.stderr
    assert "7 7" not in shown.stdout
    report = json.loads(cli("evaluate", str(trained_run), "--json").stdout)
    assert [row["name"] for row in report["per_class"]] == [str(k) for k in range(10)]


def test_the_train_split_of_the_runs_own_set_says_the_model_was_trained_on_it(cli, trained_run, tmp_path):
    shown = cli("evaluate", str(trained_run), "--split", "train")
    assert shown.returncode == 0, shown.stderr
    first = shown.stdout.splitlines()[0]
    assert "on digits (train split): 1437 samples — including the rows the model was trained on" in first
    report = json.loads(cli("evaluate", str(trained_run), "--json").stdout)
    assert report["rows"] == "test split" and report["includes_training_rows"] is False
    # The run folder's model file is the run's: its training rows are known, as for the folder.
    inside = json.loads(
        cli("evaluate", str(trained_run / "model.safetensors"), "--split", "train", "--json").stdout
    )
    assert inside["includes_training_rows"] is True
    alone = tmp_path / "alone.safetensors"
    alone.write_bytes((trained_run / "model.safetensors").read_bytes())
    other = json.loads(cli("evaluate", str(alone), "--split", "train", "--json").stdout)
    assert other["includes_training_rows"] is None  # a model file alone: its training data unknown


def test_square_brackets_in_names_are_shown_as_written_not_read_as_markup(cli, tmp_path):
    # rich reads "[b]" or "[dog]" as a style tag: a file my[b]pets.csv was shown as mypets.csv,
    # and its classes [cat], [dog] as "0", "1" with the names gone from the tables.
    rows = ["w,h,label", "0.1,0.2,[cat]", "0.9,0.8,[dog]", "0.2,0.1,[cat]", "0.8,0.9,[dog]"]
    (tmp_path / "my[b]pets.csv").write_text("\n".join(rows) + "\n")
    train = cli("train", "--data", "my[b]pets.csv", "--epochs", "1", "--name", "exp[b]1", "--no-plots")
    assert train.returncode == 0, train.stderr
    assert "data my[b]pets.csv" in train.stdout and "run folder: runs/exp[b]1" in train.stdout
    assert "results in runs/exp[b]1" in train.stdout and "runs/exp[b]1 " in train.stdout  # summary
    predicted = cli("predict", "runs/exp[b]1", "my[b]pets.csv", "--label-column", "label")
    assert predicted.returncode == 0, predicted.stderr
    # a pipe's plain table; the row named by its file line, after the header
    assert "\nmy[b]pets.csv:2 " in predicted.stdout
    assert "0 [cat]" in predicted.stdout or "1 [dog]" in predicted.stdout
    shown = cli("evaluate", "runs/exp[b]1", "--data", "my[b]pets.csv")
    assert shown.returncode == 0, shown.stderr
    assert "my[b]pets.csv" in shown.stdout
    assert "│ 0 [cat] │" in shown.stdout and "│ 1 [dog] │" in shown.stdout


def test_a_model_holding_nan_says_what_a_command_line_user_can_do(run, tmp_path):
    import deltaprop as dp

    net = dp.Network([2, 3, 2], seed=0)
    net._w[1][0, 1] = np.nan  # as a diverged run's weights, forced into the file
    dp.files.save(net, tmp_path / "nan.safetensors", allow_nonfinite=True)
    (tmp_path / "rows.csv").write_text("0.5,0.25\n")
    for command in (["evaluate", "--data", "digits"], ["predict", "rows.csv"]):
        result = run(command[0], "nan.safetensors", *command[1:])
        assert_one_line_error(result, 1, "weights[1] (layer 2) holds NaN or infinity", "--lr")
        assert "pass allow_nonfinite=True" not in result.stderr  # a Python argument: no such flag
