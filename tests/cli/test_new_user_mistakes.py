"""Mistakes a new user makes on the command line: each is one line on stderr that names the
flag and the value received, with the right exit code, and nothing is trained or written.

The commands run in-process (``deltaprop.cli.main``), so each case costs milliseconds; every
mistake here is caught before any training starts.
"""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

import deltaprop as dp
from deltaprop.cli import config as cfg
from deltaprop.cli.errors import UsageError


def nothing_trained(tmp_path) -> bool:
    return not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


# --- an output layer and cost that cannot learn: refused, not trained to a useless model ------------


def test_a_single_output_with_the_default_cost_is_refused(run, tmp_path):
    """The default cost picks a softmax output; over one output it is always 1 and the run
    used to train a model that predicts nothing, with exit code 0."""
    result = run("train", "--data", "xor", "--layers", "2,4,1", "--epochs", "1")
    assert_one_line_error(
        result,
        2,
        "softmax over a single output",
        "--output-activation softmax",
        "--cost log_likelihood",
        "2,4,1",
    )
    assert nothing_trained(tmp_path)


def test_regression_targets_in_0_1_with_the_default_cost_are_refused(run, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.random((40, 3))
    lines = ["a,b,c,target"] + [f"{r[0]},{r[1]},{r[2]},{0.8 * r[0] + 0.1}" for r in X]
    (tmp_path / "reg01.csv").write_text("\n".join(lines) + "\n")
    result = run("train", "--data", "reg01.csv", "--epochs", "1")
    assert_one_line_error(
        result, 2, "softmax over a single output", "--cost quadratic --output-activation linear"
    )
    assert nothing_trained(tmp_path)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ["--output-activation", "linear"],
            ["linear output with the log_likelihood cost", "--output-activation linear"],
        ),
        (["--activation", "relu", "--cost", "cross_entropy"], ["relu output", "taken from --activation"]),
    ],
)
def test_an_output_that_a_log_cost_cannot_take_is_refused(run, tmp_path, args, fragments):
    assert_one_line_error(run("train", *args, "--epochs", "1"), 2, *fragments)
    assert nothing_trained(tmp_path)


# --- data that a run cannot learn from as given --------------------------------------------------


def _csv(path, labels) -> None:
    rng = np.random.default_rng(0)
    rows = [f"{a},{b},{label}" for (a, b), label in zip(rng.normal(size=(len(labels), 2)), labels)]
    path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")


@pytest.mark.parametrize(
    ("labels", "flags", "fragments"),
    [
        ([1] * 30, [], ["the last one", "--label-column", "'1' in all 30 rows"]),
        (["yes"] * 30, ["--label-column", "label"], ["(--label-column label)", "'yes' in all 30 rows"]),
    ],
)
def test_labels_of_one_class_are_refused_naming_the_file_the_column_and_the_class(
    run, tmp_path, labels, flags, fragments
):
    """One class used to train to 100 % accuracy, with an output for a class that never occurs."""
    _csv(tmp_path / "one.csv", labels)
    result = run("train", "--data", "one.csv", *flags, "--epochs", "1")
    assert_one_line_error(result, 2, "one.csv has one class only", *fragments, "at least 2 classes")
    assert nothing_trained(tmp_path)


def test_an_npz_of_one_class_is_refused(run, tmp_path):
    np.savez(tmp_path / "one.npz", X=np.zeros((8, 2)), y=np.zeros(8, dtype=int))
    result = run("train", "--data", "one.npz", "--epochs", "1")
    assert_one_line_error(result, 2, "one.npz has one class only", "array y holds '0' in all 8 rows")
    assert nothing_trained(tmp_path)


def test_the_validation_split_counts_the_classes_present_not_the_outputs(run, tmp_path):
    """Labels 0 and 999 make 1000 outputs, but two classes of 100 samples: 10 % of each is
    held out. The split used to be dropped, without a word, for 200 / 1000 < 1 sample a class."""
    _csv(tmp_path / "wide.csv", [0, 999] * 100)
    result = run("train", "--data", "wide.csv", "--epochs", "1", "--no-plots", "--name", "w")
    assert result.returncode == 0, result.stderr
    assert "10% of it held out for validation" in result.stdout
    assert "validation accuracy" in result.stdout and result.stderr == ""
    config = (tmp_path / "runs/w/config.toml").read_text()
    assert "validation_split = 0.1\n" in config


def test_a_dropped_default_split_is_said_and_a_split_given_that_cannot_be_held_is_refused(run, tmp_path):
    """Four XOR points, two of each class: 10 % of each class rounds to none. The default
    split is dropped with one warning line; a split the user gives is a usage error."""
    dropped = run("train", "--data", "xor", "--hidden", "4", "--epochs", "1", "--quiet", "--no-plots")
    assert dropped.returncode == 0, dropped.stderr
    assert len(dropped.stderr.strip().splitlines()) == 1
    assert "warning: training without a validation set" in dropped.stderr
    assert "is 0 of its 4 training samples" in dropped.stderr
    (tmp_path / "runs").rename(tmp_path / "earlier")
    for split, fragments in (
        ("0.2", ["--validation-split 0.2: leaves no validation samples of xor", "use a larger fraction"]),
        ("0.9", ["--validation-split 0.9: leaves no training samples of xor", "use a smaller fraction"]),
    ):
        result = run("train", "--data", "xor", "--validation-split", split, "--epochs", "1")
        assert_one_line_error(result, 2, *fragments)
        assert nothing_trained(tmp_path)


# --- options that would be silently ignored ---------------------------------------------------------


def test_momentum_with_adam_is_refused_not_ignored(run, tmp_path):
    result = run("train", "--optimizer", "adam", "--momentum", "0.5", "--epochs", "1")
    assert_one_line_error(result, 2, "--momentum 0.5", "--optimizer adam")
    assert nothing_trained(tmp_path)


def test_a_label_column_for_data_without_columns_is_refused(run, tmp_path):
    assert_one_line_error(run("train", "--label-column", "3"), 2, "--label-column 3", "CSV", "digits")
    dp.save(
        dp.Network([64, 5, 10], output_activation="softmax", cost="log_likelihood", seed=0), "m.safetensors"
    )
    assert_one_line_error(run("evaluate", "m.safetensors", "--label-column", "3"), 2, "--label-column 3")


@pytest.mark.parametrize("hidden", ["", " ", "0", "0,0"])
def test_hidden_with_no_sizes_is_refused_and_says_how_to_ask_for_no_hidden_layer(run, tmp_path, hidden):
    """--hidden "" used to train the default [64, 30, 10] without a word, where " " and 0 were
    refused; a user who writes it means "no hidden layer", which --layers N_IN,N_OUT asks for."""
    result = run("train", "--hidden", hidden, "--epochs", "1")
    assert_one_line_error(result, 2, "--hidden must be", f"got {hidden!r}", "--layers N_IN,N_OUT")
    assert nothing_trained(tmp_path)
    both = run("train", "--hidden", hidden, "--layers", "64,10", "--epochs", "1")
    assert_one_line_error(both, 2, "either --layers", "--hidden")


@pytest.mark.parametrize("flag", ["--layers", "--hidden"])
@pytest.mark.parametrize("sizes", ["64,,10", "30,", ",30"])
def test_an_empty_size_in_a_list_of_sizes_is_refused_not_dropped(run, tmp_path, flag, sizes):
    """--layers 64,,10 used to train [64, 10], a network without its hidden layer, in silence."""
    result = run("train", flag, sizes, "--epochs", "1", "--no-plots")
    assert_one_line_error(result, 2, f"{flag} must be", f"got {sizes!r}", "empty size")
    assert nothing_trained(tmp_path)


# --- config files -----------------------------------------------------------------------------------


def test_a_boolean_for_a_whole_number_in_a_config_file_is_refused(tmp_path):
    (tmp_path / "c.toml").write_text("[training]\nepochs = true\n")
    with pytest.raises(UsageError, match=r"\[training\] epochs = true in .*c.toml: must be a whole number"):
        cfg.read_toml(tmp_path / "c.toml")


def test_a_folder_or_a_binary_file_as_config(run, tmp_path):
    (tmp_path / "a_run").mkdir()
    assert_one_line_error(run("train", "--config", "a_run"), 2, "a_run is a folder", "a_run/config.toml")
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00")
    assert_one_line_error(run("train", "--config", "bin.toml"), 2, "bin.toml is not UTF-8")


# --- models and folders of the wrong kind -----------------------------------------------------------


@pytest.mark.parametrize("n_out", [1, 3])
def test_evaluating_a_model_on_data_with_more_classes_than_it_has_outputs(run, tmp_path, n_out):
    """A single-output model scored the digits' labels 2..9 as nothing at all, and exit 0."""
    out = "logistic" if n_out == 1 else "softmax"
    net = dp.Network(
        [64, 5, n_out], output_activation=out, cost="cross_entropy" if n_out == 1 else "log_likelihood"
    )
    dp.save(net, "m.safetensors")
    result = run("evaluate", "m.safetensors", "--data", "digits")
    assert_one_line_error(result, 1, "class labels up to 9", f"{n_out} output", "m.safetensors")


def test_a_file_where_a_run_folder_belongs_and_a_folder_that_is_no_run(run, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    for command in ("resume", "diagnose", "plot"):
        assert_one_line_error(run(command, "notes.txt"), 2, "notes.txt is a file, not a run folder")
    (tmp_path / "empty").mkdir()
    # not "start it again with 'deltaprop train --config empty/config.toml'": there is no such file
    result = run("resume", "empty")
    assert_one_line_error(result, 2, "not a run folder")
    assert "--config" not in result.stderr


def test_a_folder_as_predict_input(run, tmp_path):
    dp.save(dp.Network([64, 5, 10], output_activation="softmax", cost="log_likelihood"), "m.safetensors")
    (tmp_path / "drawings").mkdir()
    assert_one_line_error(run("predict", "m.safetensors", "drawings"), 2, "input drawings is a folder")


def test_explain_takes_a_run_folder_as_evaluate_and_predict_do(run, tmp_path):
    (tmp_path / "runs/r").mkdir(parents=True)
    dp.save(dp.Network([2, 2, 1], seed=0), tmp_path / "runs/r/model.safetensors")
    result = run("explain", "--model", "runs/r", "--input", "0.1,0.2", "--target", "1")
    assert result.returncode == 0, result.stderr
    assert "One step of backpropagation" in result.stdout
    assert_one_line_error(
        run("explain", "--model", "nope", "--input", "1", "--target", "1"), 2, "--model nope"
    )


def test_plot_out_that_cannot_be_made_is_a_usage_error(run, tmp_path):
    (tmp_path / "runs/r").mkdir(parents=True)
    dp.save(dp.Network([2, 2, 2], seed=0), tmp_path / "runs/r/model.safetensors")
    (tmp_path / "file").write_text("x")
    assert_one_line_error(
        run("plot", "runs/r", "--out", "file/plots"), 2, "--out file/plots", "cannot create"
    )


def test_a_corrupt_history_names_its_file(run, tmp_path):
    (tmp_path / "runs/r").mkdir(parents=True)
    dp.save(dp.Network([2, 2, 2], seed=0), tmp_path / "runs/r/model.safetensors")
    (tmp_path / "runs/r/history.json").write_text("{")
    assert_one_line_error(run("diagnose", "runs/r"), 1, "history.json is not a history file")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--eps", "-1"], ["--eps must be", "got -1.0"]),
        (["--threshold", "nan"], ["--threshold must be", "got nan"]),
        (["--seed", "-1"], ["--seed must be", "got -1"]),
    ],
)
def test_gradcheck_names_the_flag_and_the_value(run, args, fragments):
    assert_one_line_error(run("gradcheck", *args), 2, *fragments)


def test_a_network_too_large_for_memory_is_one_line_not_a_traceback(run, tmp_path):
    # The MemoryError used to print a traceback. 30 × 10^12 weights are 218 TiB, beyond the
    # 128 TiB a Linux process can address, so the allocation fails at once on every machine,
    # even one whose kernel overcommits (10^6 × 10^6, 7.3 TiB, could be granted there and the
    # run killed while drawing it), and no large first layer is drawn before it (64 × 10^6
    # took 512 MB and seconds).
    result = run("train", "--hidden", "30,1000000000000", "--epochs", "1", "--no-plots")
    assert_one_line_error(
        result, 1, "deltaprop train: error: out of memory", "1000000000000", "smaller network"
    )
    assert nothing_trained(tmp_path)


def test_an_unexpected_exception_is_one_line_that_names_it_and_says_how_to_see_more(run, monkeypatch):
    from deltaprop.cli import gradcheck

    def broken(args):
        raise RuntimeError("something we did not foresee\non two lines")

    monkeypatch.setattr(gradcheck, "run", broken)
    assert_one_line_error(
        run("gradcheck"),
        1,
        "deltaprop gradcheck: internal error: RuntimeError: something we did not foresee; on two lines",
        "--debug",
    )
    with pytest.raises(RuntimeError, match="did not foresee"):
        run("gradcheck", "--debug")


def test_a_folder_named_like_a_data_file_is_called_a_folder(run, tmp_path):
    (tmp_path / "rows.csv").mkdir()  # "does not exist" was the message, of a folder that does
    dp.save(dp.Network([64, 10], seed=0), tmp_path / "m.safetensors")
    for command in (["train"], ["evaluate", "m.safetensors"]):
        result = run(*command, "--data", "rows.csv")
        assert_one_line_error(result, 2, "--data rows.csv is a folder, not a file")
    assert nothing_trained(tmp_path)


# --- the arguments swapped: data where the model goes ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("predict", "rows.csv", "{run}"),
        ("evaluate", "rows.csv"),
        ("evaluate", "{run}/history.csv"),
    ],
)
def test_data_given_as_the_model_says_so(run, tmp_path, trained_run, args):
    """It said "rows.csv: not a safetensors file, or truncated: its first 8 bytes claim a header
    of 3472328296227679792 bytes", exit 1, as if a model file were damaged."""
    np.savetxt(tmp_path / "rows.csv", np.zeros((2, 64)), delimiter=",")
    args = [arg.format(run=trained_run) for arg in args]
    result = run(*args)
    assert_one_line_error(result, 2, f"{args[1]} is a .csv file, not a model", "give the model first")


def test_a_damaged_model_file_is_still_named_as_one(run, tmp_path, trained_run):
    data = (trained_run / "model.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(data[:200])
    assert_one_line_error(
        run("evaluate", "cut.safetensors"), 1, "cut.safetensors: not a safetensors file, or truncated"
    )


# --- a mistyped flag: the nearest one is named --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("train", "--lrr", "0.1"),
            ("unrecognized arguments: --lrr 0.1; did you mean --lr?", "deltaprop train --help"),
        ),
        (("train", "--bacth-size=5"), ("--bacth-size=5; did you mean --batch-size?",)),
        (("predict", "--jsn", "m", "x.csv"), ("--jsn; did you mean --json?", "deltaprop predict --help")),
        (("--verison",), ("--verison; did you mean --version?",)),
    ],
)
def test_a_mistyped_flag_names_the_nearest(run, tmp_path, args, fragments):
    assert_one_line_error(run(*args), 2, *fragments)
    assert nothing_trained(tmp_path)


def test_a_flag_like_no_other_is_named_alone(run):
    result = run("train", "--zzz")
    assert_one_line_error(result, 2, "unrecognized arguments: --zzz (see")
    assert "did you mean" not in result.stderr


# --- a mistyped config key, table or data set name: the nearest one is named too ----------------


@pytest.mark.parametrize(
    ("toml", "fragments"),
    [
        (
            "[training]\nepoch = 3\n",
            ("unknown key 'training.epoch' in run.toml", "[training] knows", "; did you mean 'epochs'?"),
        ),
        ("[model]\nactivations = 'tanh'\n", ("; did you mean 'activation'?",)),
        (
            "[trainig]\nepochs = 3\n",
            ("unknown key 'trainig' in run.toml; expected tables", "; did you mean [training]?"),
        ),
        (
            '[data]\nname = "fashion_mnist"\n',
            ('[data] name = "fashion_mnist" in run.toml: unknown data set', "; did you mean fashion-mnist?"),
        ),
    ],
    ids=["key", "key-plural", "table", "data-name"],
)
def test_a_mistyped_config_name_names_the_nearest(run, tmp_path, toml, fragments):
    (tmp_path / "run.toml").write_text(toml)
    assert_one_line_error(run("train", "--config", "run.toml"), 2, *fragments)
    assert nothing_trained(tmp_path)


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ("epochs = 3\n", "epochs belongs in [training]: write it under a [training] line"),
        ("epochs = 3\n[model]\nactivation = 'tanh'\n", "epochs belongs in [training]: write it"),
        ("hidden = [30, 30]\n", "hidden belongs in [model]: write it under a [model] line"),
        ("name = 'mnist'\n", "name belongs in [data] or [run]: write it under a [data] or [run] line"),
    ],
    ids=["alone", "above-a-table", "file-only-key", "two-tables"],
)
def test_a_key_above_every_table_line_is_told_its_table(run, tmp_path, toml, fragment):
    # A key written before the first [table] line is TOML's top level, not a table's key.
    (tmp_path / "run.toml").write_text(toml)
    key = toml.split(" ")[0]
    assert_one_line_error(
        run("train", "--config", "run.toml"), 2, f"unknown key '{key}' in run.toml; {fragment}"
    )
    assert nothing_trained(tmp_path)


@pytest.mark.parametrize(
    ("name", "nearest"), [("fashion_mnist", "fashion-mnist"), ("MNIST", "mnist"), ("Digits", "digits")]
)
@pytest.mark.parametrize("command", [("train", "--data"), ("evaluate", "--data"), ("datasets", "download")])
def test_a_data_set_spelt_otherwise_names_ours(run, tmp_path, trained_run, command, name, nearest):
    # Keras calls it fashion_mnist; the nearest name is found whatever the case or - / _
    args = (*command, name) if command[0] != "evaluate" else ("evaluate", str(trained_run), "--data", name)
    result = run(*args)
    assert_one_line_error(result, 2, repr(name), f"; did you mean {nearest}?")
    assert nothing_trained(tmp_path)


def test_a_name_like_no_other_gets_no_suggestion(run, tmp_path):
    (tmp_path / "run.toml").write_text("[training]\nzzz = 3\n")
    for args in (("train", "--data", "imagenet"), ("train", "--config", "run.toml")):
        result = run(*args)
        assert result.returncode == 2 and "did you mean" not in result.stderr, result.stderr
