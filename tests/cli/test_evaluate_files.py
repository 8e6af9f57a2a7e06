"""``evaluate`` on a user's CSV/NPZ: labels read through the model's class names, and the rows
scored said out loud (the run's held-out validation rows, or every row, training rows included)."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from cli_helpers import SHARED_DATA, assert_one_line_error, cli_env, mirror_of

import deltaprop as dp

N_ROWS = 200  # the default validation split holds out 10 %: 20 rows, 10 of each class


def _answers(n: int = N_ROWS, seed: int = 0):
    """Two features and a "yes"/"no" label: yes where a > b (about half the rows)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(n, 2)).round(3)
    labels = np.where(X[:, 0] > X[:, 1], "yes", "no")
    return X, labels


def _write_csv(path, X, labels):
    rows = ["a,b,label"] + [f"{a},{b},{label}" for (a, b), label in zip(X, labels)]
    path.write_text("\n".join(rows) + "\n")
    return path


TRAIN = ("train", "--epochs", "5", "--seed", "3", "--quiet", "--no-plots")


@pytest.fixture
def cli(run):
    """``cli("evaluate", ...)`` in this process (conftest's ``run``): faster than a subprocess."""
    return run


def _train(cli, tmp_path, *args: str):
    result = cli(*TRAIN, *args)
    assert result.returncode == 0, result.stderr
    return tmp_path / result.stdout.strip()


@pytest.fixture(scope="module")
def answers_run(tmp_path_factory):
    """A run trained on answers.csv ("no"/"yes" labels), with the default validation split."""
    home = tmp_path_factory.mktemp("answers")
    (home / "cache").mkdir()
    X, labels = _answers()
    csv = _write_csv(home / "answers.csv", X, labels)
    done = subprocess.run(
        [sys.executable, "-m", "deltaprop", *TRAIN, "--data", "answers.csv", "--name", "answers"],
        cwd=home,
        env=cli_env(home / "cache"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return SimpleNamespace(run=home / done.stdout.strip(), csv=csv, X=X, labels=labels)


def _report(cli, *args: str) -> dict:
    result = cli("evaluate", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- item 1: a file's labels mean what the model's classes mean ----------------------------------


def test_a_file_holding_only_some_classes_keeps_each_labels_meaning(cli, tmp_path, answers_run):
    """A file of "yes" rows only was numbered by itself ("yes" = 0) and scored against "no"."""
    yes = answers_run.labels == "yes"
    _write_csv(tmp_path / "only_yes.csv", answers_run.X[yes], answers_run.labels[yes])
    report = _report(cli, str(answers_run.run), "--data", "only_yes.csv")
    net = dp.load(answers_run.run / "model.safetensors")
    predicted = net.predict_classes(answers_run.X[yes])
    assert report["n_samples"] == int(yes.sum())
    assert report["accuracy"] == pytest.approx(np.mean(predicted == 1))  # class 1 is "yes"
    by_name = {row["name"]: row for row in report["per_class"]}
    assert by_name["yes"]["support"] == int(yes.sum()) and by_name["no"]["support"] == 0
    matrix = np.array(report["confusion_matrix"])
    assert matrix[0].sum() == 0 and matrix[1].tolist() == np.bincount(predicted, minlength=2).tolist()


def test_a_label_the_model_does_not_know_is_refused_naming_it_and_the_models_classes(
    cli, tmp_path, answers_run
):
    labels = np.where(answers_run.labels == "no", "nope", "yes")  # "no" renamed
    _write_csv(tmp_path / "renamed.csv", answers_run.X, labels)
    result = cli("evaluate", str(answers_run.run), "--data", "renamed.csv")
    n_nope = int((labels == "nope").sum())
    assert_one_line_error(
        result, 1, "renamed.csv", f"'nope' ({n_nope} rows)", "the model's 2 classes are 'no', 'yes'"
    )


def _model_with_classes(path, classes, n_in: int = 2):
    net = dp.Network([n_in, 3, len(classes)], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.save(net, path, metadata={"classes": list(classes)})
    return net


def test_numbers_are_matched_by_value_where_the_models_classes_are_numbers(cli, tmp_path):
    # A model trained on -1/1 read as classes stores their names "-1", "1" (class 0 is -1).
    X = np.array([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]])
    net = _model_with_classes(tmp_path / "pm.safetensors", ["-1", "1"])
    np.savetxt(tmp_path / "minus.csv", np.column_stack([X, -np.ones(3)]), delimiter=",", fmt="%g")
    report = _report(cli, "pm.safetensors", "--data", "minus.csv")
    assert [row["support"] for row in report["per_class"]] == [3, 0]  # every row is class 0, "-1"
    assert report["accuracy"] == pytest.approx(np.mean(net.predict_classes(X) == 0))
    np.savez(tmp_path / "plus.npz", X=X, y=np.array([1, 1, 1]))
    report = _report(cli, "pm.safetensors", "--data", "plus.npz")
    assert [row["support"] for row in report["per_class"]] == [0, 3]
    np.savetxt(tmp_path / "zero.csv", np.column_stack([X, np.zeros(3)]), delimiter=",", fmt="%g")
    result = cli("evaluate", "pm.safetensors", "--data", "zero.csv")
    assert_one_line_error(result, 1, "zero.csv", "a label", "does not know: 0 (3 rows)", "classes are -1, 1")


def test_numbers_are_class_numbers_where_the_models_classes_are_words(cli, tmp_path):
    # Fashion-MNIST's files label "Ankle boot" 9: a whole number k is the model's class k.
    X = np.array([[0.1, 0.9], [0.8, 0.2]])
    _model_with_classes(tmp_path / "pets.safetensors", ["cat", "dog"])
    np.savetxt(tmp_path / "dogs.csv", np.column_stack([X, np.ones(2)]), delimiter=",", fmt="%g")
    report = _report(cli, "pets.safetensors", "--data", "dogs.csv")
    assert [(row["name"], row["support"]) for row in report["per_class"]] == [("cat", 0), ("dog", 2)]
    np.savetxt(tmp_path / "three.csv", np.column_stack([X, [0, 2]]), delimiter=",", fmt="%g")
    result = cli("evaluate", "pets.safetensors", "--data", "three.csv")
    assert_one_line_error(result, 1, "three.csv", "does not know: 2 (1 row)", "classes are 0 cat, 1 dog")


def test_integer_labels_of_a_csv_run_are_looked_up_as_train_stored_them(cli, tmp_path):
    # For whole-number labels train stores "0", "1", "2": a file of 2s is class 2, a 5 is unknown.
    X, _ = _answers(60)
    y = np.arange(60) % 3
    np.savetxt(tmp_path / "three.csv", np.column_stack([X, y]), delimiter=",", fmt="%g")
    run_dir = _train(cli, tmp_path, "--data", "three.csv", "--name", "three")
    assert dp.files.read_metadata(run_dir / "model.safetensors")["user"]["classes"] == ["0", "1", "2"]
    np.savetxt(tmp_path / "twos.csv", np.column_stack([X[:4], [2, 2, 2, 2]]), delimiter=",", fmt="%g")
    report = _report(cli, str(run_dir), "--data", "twos.csv")
    assert [row["support"] for row in report["per_class"]] == [0, 0, 4]
    np.savetxt(tmp_path / "five.csv", np.column_stack([X[:2], [2, 5]]), delimiter=",", fmt="%g")
    result = cli("evaluate", str(run_dir), "--data", "five.csv")
    assert_one_line_error(result, 1, "five.csv", "does not know: 5 (1 row)", "classes are 0, 1, 2")


def test_predict_does_not_read_labels_and_is_unchanged(cli, tmp_path, answers_run):
    yes = answers_run.labels == "yes"
    _write_csv(tmp_path / "only_yes.csv", answers_run.X[yes], answers_run.labels[yes])
    result = cli("predict", str(answers_run.run), "only_yes.csv", "--label-column", "label", "--json")
    assert result.returncode == 0, result.stderr
    predictions = json.loads(result.stdout)["predictions"]
    expected = dp.load(answers_run.run / "model.safetensors").predict_classes(answers_run.X[yes])
    assert [p["class"] for p in predictions] == expected.tolist()
    assert [p["class_name"] for p in predictions] == [["no", "yes"][k] for k in expected]


# --- item 6: which rows are scored ------------------------------------------------------------------


def _history(run_dir) -> dict:
    return json.loads((run_dir / "history.json").read_text())["history"]


def test_a_file_run_is_scored_on_the_validation_rows_it_held_out(cli, answers_run):
    """It used to score all 200 rows, 180 of them rows the model was trained on, as if a test."""
    report = _report(cli, str(answers_run.run))
    assert report["n_samples"] == 20 and report["n_rows"] == N_ROWS
    assert report["rows"] == "validation" and report["includes_training_rows"] is False
    assert report["split"] is None
    history = _history(answers_run.run)  # measured by fit on the same rows, with the final weights
    assert report["accuracy"] == pytest.approx(history["val_accuracy"][-1], abs=1e-12)
    assert report["loss"] == pytest.approx(history["val_loss"][-1], rel=1e-9)
    shown = cli("evaluate", str(answers_run.run))
    assert shown.returncode == 0, shown.stderr
    first = shown.stdout.splitlines()[0]
    assert "answers.csv: 20 samples — the validation rows held out by the run: 20 of 200" in first


def test_the_runs_own_file_named_with_data_is_scored_whole_and_says_it_holds_training_rows(cli, answers_run):
    report = _report(cli, str(answers_run.run), "--data", str(answers_run.csv))
    assert report["n_samples"] == N_ROWS and report["rows"] == "all"
    assert report["includes_training_rows"] is True and report["n_trained"] == 180
    shown = cli("evaluate", str(answers_run.run), "--data", str(answers_run.csv))
    first = shown.stdout.splitlines()[0]
    assert "200 samples — all 200 rows of the file, including the 180 the model was trained on" in first
    assert "without --data, evaluate scores only the 20 validation rows" in first


def test_a_run_without_a_validation_split_says_every_row_was_trained_on(cli, tmp_path):
    X, labels = _answers(40)
    _write_csv(tmp_path / "small.csv", X, labels)
    run_dir = _train(cli, tmp_path, "--data", "small.csv", "--validation-split", "0", "--name", "all")
    report = _report(cli, str(run_dir))
    assert report["n_samples"] == 40 and report["rows"] == "all" and report["includes_training_rows"] is True
    first = cli("evaluate", str(run_dir)).stdout.splitlines()[0]
    assert "every one of them a row the model was trained on" in first


def test_another_file_is_scored_whole_and_says_so(cli, tmp_path, answers_run):
    X, labels = _answers(30, seed=1)
    _write_csv(tmp_path / "fresh.csv", X, labels)
    report = _report(cli, str(answers_run.run), "--data", "fresh.csv")
    assert report["n_samples"] == 30 and report["rows"] == "all" and report["includes_training_rows"] is None
    assert (
        "30 samples — all 30 rows of the file"
        in cli("evaluate", str(answers_run.run), "--data", "fresh.csv").stdout.splitlines()[0]
    )


def test_split_with_a_file_is_a_usage_error_naming_the_flag(cli, tmp_path, answers_run):
    """--split test used to be ignored for a file, and the training rows scored all the same."""
    result = cli("evaluate", str(answers_run.run), "--split", "test")
    assert_one_line_error(
        result, 2, "--split test applies to the built-in data sets only", "answers.csv", "validation rows"
    )
    X, labels = _answers(10, seed=2)
    _write_csv(tmp_path / "other.csv", X, labels)
    result = cli("evaluate", str(answers_run.run), "--data", "other.csv", "--split", "train")
    assert_one_line_error(result, 2, "--split train", "other.csv is a file", "a file is scored whole")


def test_an_npz_and_a_regression_run_are_scored_on_their_validation_rows(cli, tmp_path):
    rng = np.random.default_rng(5)
    X = rng.uniform(0, 1, size=(50, 2))
    np.savez(tmp_path / "pts.npz", X=X, y=(X[:, 0] > 0.5).astype(np.int64))
    classes = _train(cli, tmp_path, "--data", "pts.npz", "--name", "pts")
    report = _report(cli, str(classes))
    assert report["n_samples"] == 5 and report["rows"] == "validation"
    assert report["accuracy"] == pytest.approx(_history(classes)["val_accuracy"][-1], abs=1e-12)

    np.savez(tmp_path / "reg.npz", X=X, y=X @ [0.5, -0.25] + 0.1)
    flags = ["--cost", "quadratic", "--output-activation", "linear", "--lr", "0.05"]
    regression = _train(cli, tmp_path, "--data", "reg.npz", *flags, "--name", "reg")
    report = _report(cli, str(regression))
    assert report["n_samples"] == 5 and report["rows"] == "validation" and "accuracy" not in report
    assert report["loss"] == pytest.approx(_history(regression)["val_loss"][-1], rel=1e-9)


# --- item 3: integer-valued regression targets -----------------------------------------------------


def test_task_regression_scores_whole_number_targets_as_targets(cli, tmp_path):
    # sklearn's diabetes targets are whole numbers (25..346); a 1-output linear model predicts them.
    X = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    targets = np.array([25, 151, 346])
    net = dp.Network([2, 3, 1], activation="tanh", output_activation="linear", cost="quadratic", seed=0)
    dp.save(net, tmp_path / "diab.safetensors")
    np.savetxt(tmp_path / "diab.csv", np.column_stack([X, targets]), delimiter=",", fmt="%g")
    as_classes = cli("evaluate", "diab.safetensors", "--data", "diab.csv")
    assert_one_line_error(as_classes, 1, "class labels up to 346")
    report = _report(cli, "diab.safetensors", "--data", "diab.csv", "--task", "regression")
    assert report["n_samples"] == 3 and "accuracy" not in report
    assert report["loss"] == pytest.approx(dp.evaluate(net, X, targets.reshape(-1, 1))["loss"])


def test_the_runs_task_reads_the_labels_unless_the_model_names_its_classes():
    # config.toml's [data] task (train's --task) is how the run read its file's labels.
    from deltaprop.cli.evaluate import _data_for

    def args(task=None):
        return SimpleNamespace(data=None, label_column=None, task=task)

    run_config = {"data": {"name": "", "path": "diab.csv", "label_column": "", "task": "regression"}}
    assert _data_for(args(), run_config, None, None)["task"] == "regression"
    assert _data_for(args(), {"data": {"path": "a.csv"}}, None, None)["task"] == ""  # an older run: auto
    assert _data_for(args(), run_config, None, ["no", "yes"])["task"] == "classification"
    assert _data_for(args(task="auto"), run_config, None, ["no", "yes"])["task"] == "auto"


def test_a_model_is_not_scored_on_a_built_in_set_of_other_classes(run, tmp_path):
    # A Fashion-MNIST model on MNIST (both 784 inputs, 10 classes): MNIST's label 3 is the
    # digit 3, not the model's class 3 ("Dress"); scored by number, the result meant nothing.
    import deltaprop as dp

    net = dp.Network([64, 5, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    dp.save(net, tmp_path / "words.safetensors", metadata={"classes": words})
    result = run("evaluate", str(tmp_path / "words.safetensors"), "--data", "digits")
    assert result.returncode == 2
    assert "knows the classes zero, one, two, three, ..." in result.stderr
    assert "the data set digits has the classes 0, 1, 2, 3, ..." in result.stderr
    dp.save(net, tmp_path / "digits.safetensors", metadata={"classes": [str(k) for k in range(10)]})
    assert run("evaluate", str(tmp_path / "digits.safetensors"), "--data", "digits").returncode == 0


def test_without_data_a_model_file_is_scored_on_the_data_its_model_fits(run, tmp_path, monkeypatch):
    """No --data: a run folder's model file is scored on the run's data, as the folder is (it
    used to fall back to digits); a model file outside a run folder on the one built-in set
    of its inputs and classes, and where none or several fit, a usage error says to give
    --data (it used to try digits and fail on the shape: "64 features ... expects 2")."""
    trained = run("train", "--data", "moons", "--epochs", "1", "--seed", "0", "--name", "m", *TRAIN[5:])
    assert trained.returncode == 0, trained.stderr
    for model in ("runs/m", "runs/m/model.safetensors"):
        assert _report(run, model)["data"] == "moons"
    (tmp_path / "m.safetensors").write_bytes((tmp_path / "runs/m/model.safetensors").read_bytes())
    assert_one_line_error(
        run("evaluate", "m.safetensors"), 2, "outside a run folder", "--data: one of moons, circles, spiral"
    )
    net = dp.Network([5, 3, 3], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.save(net, tmp_path / "five.safetensors")
    assert_one_line_error(
        run("evaluate", "five.safetensors"), 2, "no built-in data set has 5 features and 3 classes"
    )
    # the sizes of moons and four others, but classes of its own: not "no set has 2 features"
    net = dp.Network([2, 3, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.save(net, tmp_path / "pets.safetensors", metadata={"classes": ["cat", "dog"]})
    assert_one_line_error(
        run("evaluate", "pets.safetensors"), 2, "no built-in data set has the model's classes cat, dog"
    )
    fashion = dp.datasets.dataset_info("fashion-mnist")
    net = dp.Network([784, 3, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.save(net, tmp_path / "fashion.safetensors", metadata={"classes": list(fashion.classes)})
    if (SHARED_DATA / "fashion-mnist").is_dir():  # scored on Fashion-MNIST's test split
        monkeypatch.setenv("DELTAPROP_DATA", str(SHARED_DATA))
        report = _report(run, "fashion.safetensors")
        assert (report["data"], report["n_samples"]) == ("fashion-mnist", 10000)


def test_a_runs_data_file_moved_away_is_named_as_the_runs_not_as_a_data_flag(cli, tmp_path):
    # No --data was given: the message used to say "check the path given to --data".
    X, labels = _answers(40)
    _write_csv(tmp_path / "moved.csv", X, labels)
    run_dir = _train(cli, tmp_path, "--data", "moved.csv")
    (tmp_path / "moved.csv").rename(tmp_path / "elsewhere.csv")
    result = cli("evaluate", str(run_dir))
    assert_one_line_error(
        result,
        2,
        f"the run's data file {tmp_path / 'moved.csv'} (named in its config.toml) does not exist",
        "Put it back there, or give the data with --data",
    )
    assert "given to --data" not in result.stderr
    assert _report(cli, str(run_dir), "--data", "elsewhere.csv")["n_samples"] == 40


@pytest.mark.skipif(not (SHARED_DATA / "mnist").is_dir(), reason="needs the shared MNIST files to serve")
def test_a_first_use_download_shows_its_progress_on_stderr(run, tmp_path):
    """``--data mnist`` with an empty cache downloads it: that used to be silent (minutes on
    a slow line, with nothing on the screen). The real files are served here from a local
    HTTP server standing in for the mirrors."""
    from deltaprop.datasets.mnist import MNIST

    net = dp.Network([784, 3, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.save(net, tmp_path / "m.safetensors")
    with mirror_of(MNIST, SHARED_DATA / "mnist"):
        result = run("evaluate", "m.safetensors", "--data", "mnist", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n_samples"] == 10000
    lines = result.stderr.splitlines()  # away from a terminal: a line at each tenth of the way
    assert lines[-1].startswith("mnist  [##############################] 100%"), result.stderr
    assert (tmp_path / "cache" / "mnist" / "t10k-images-idx3-ubyte.gz").is_file()


def test_an_unfinished_run_is_scored_by_its_checkpoint_and_says_so_on_stderr(run, tmp_path):
    # A run stopped by Ctrl-C has a checkpoint and no model: its mid-run weights were scored
    # under the run's name without a word, as if they were the finished model's.
    from test_resume import rewrite_checkpoint

    trained = run("train", "--data", "moons", "--epochs", "2", "--seed", "0", "--name", "u", *TRAIN[5:])
    assert trained.returncode == 0, trained.stderr
    (tmp_path / "runs/u/model.safetensors").unlink()  # as a run stopped after its first epoch
    rewrite_checkpoint(tmp_path / "runs/u/checkpoint.safetensors", lambda state: state.update(finished=False))
    result = run("evaluate", "runs/u", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n_samples"] == 200  # stdout is still JSON alone
    assert result.stderr.startswith("note: runs/u holds no model.safetensors (the run has not finished)")
    assert "'deltaprop resume runs/u'" in result.stderr
    assert run("evaluate", "runs/u/checkpoint.safetensors").stderr == ""  # a file asked for by name


def test_one_row_is_one_sample_and_one_row_in_the_line_above_the_scores():
    from deltaprop.cli.evaluate import _rows_scored

    assert _rows_scored({"n_samples": 1, "n_rows": 1}) == ": 1 sample — all 1 row of the file"
    assert _rows_scored({"n_samples": 2, "split": "test"}) == " (test split): 2 samples"


def test_a_model_file_beside_a_config_toml_of_no_run_is_read_alone(cli, tmp_path):
    run_dir = _train(cli, tmp_path, "--data", _write_csv(tmp_path / "a.csv", *_answers()).name)
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "model.safetensors").write_bytes((run_dir / "model.safetensors").read_bytes())
    (lone / "config.toml").write_text('[tool]\nname = "x"\n')  # another tool's, not a run's
    result = _report(cli, "lone/model.safetensors", "--data", "a.csv")
    assert result["n_samples"] == N_ROWS and result["includes_training_rows"] is None
    # the folder given as MODEL must still be a run folder
    assert_one_line_error(cli("evaluate", "lone", "--data", "a.csv"), 2, "unknown key 'tool'")
