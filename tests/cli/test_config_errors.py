"""A bad value is named where the user wrote it: a config file's value by the file and its key
(``[training] batch_size = 0 in conf/run.toml: ...``), a flag's value by the flag
(``--batch-size 0: ...``). A user who never typed ``--batch-size`` must not be told about it.

The commands run in-process (``deltaprop.cli.main``); every mistake here is caught before
any training starts, so each case costs milliseconds.
"""

from __future__ import annotations

import pytest
from cli_helpers import assert_one_line_error, same_weights

from deltaprop.cli import config as cfg

CONFIG = "conf/run.toml"


def nothing_trained(tmp_path) -> bool:
    return not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


# Each case: the bad value as a config file writes it, and as flags give it.
#   toml:    the file's text (the bad value, and any value it needs beside it)
#   named:   how the file's error quotes the value, before " in conf/run.toml"
#   flags:   the same run on the command line
#   flag:    how the flags' error names it
#   problem: what both say is wrong (None where argparse answers the flag in its own words)
CASES = {
    "batch_size": (
        "[training]\nbatch_size = 0",
        "[training] batch_size = 0",
        ["--batch-size", "0"],
        "--batch-size 0",
        "must be a whole number ≥ 1",
    ),
    "epochs": (
        "[training]\nepochs = 0",
        "[training] epochs = 0",
        ["--epochs", "0"],
        "--epochs 0",
        "must be a whole number ≥ 1",
    ),
    "lr": (
        "[training]\nlr = -1",
        "[training] lr = -1",
        ["--lr", "-1"],
        "--lr -1.0",
        "must be a finite number > 0",
    ),
    "l2": ("[training]\nl2 = -0.5", "[training] l2 = -0.5", ["--l2", "-0.5"], "--l2 -0.5", "≥ 0"),
    "momentum": (
        "[training]\nmomentum = 1.5",
        "[training] momentum = 1.5",
        ["--momentum", "1.5"],
        "--momentum 1.5",
        "must be in [0, 1)",
    ),
    "momentum with adam": (
        '[training]\noptimizer = "adam"\nmomentum = 0.5',
        "[training] momentum = 0.5",
        ["--optimizer", "adam", "--momentum", "0.5"],
        "--momentum 0.5",
        "does not apply to",
    ),
    "early_stopping": (
        "[training]\nearly_stopping = -1",
        "[training] early_stopping = -1",
        ["--early-stopping", "-1"],
        "--early-stopping -1",
        "must be ≥ 0 epochs",
    ),
    "early_stopping without a split": (
        "[data]\nvalidation_split = 0.0\n[training]\nearly_stopping = 2",
        "[training] early_stopping = 2",
        ["--validation-split", "0", "--early-stopping", "2"],
        "--early-stopping 2",
        "watches the validation loss",
    ),
    "restore_best_weights without a split": (
        "[data]\nvalidation_split = 0.0\n[training]\nrestore_best_weights = true",
        "[training] restore_best_weights = true",
        ["--validation-split", "0", "--restore-best-weights"],
        "--restore-best-weights",
        "keeps the epoch of the lowest validation loss, but",
    ),
    "seed": (
        "[training]\nseed = -3",
        "[training] seed = -3",
        ["--seed", "-3"],
        "--seed -3",
        "must be a whole number ≥ 0",
    ),
    "schedule": (
        '[training]\nschedule = "step:x"',
        '[training] schedule = "step:x"',
        ["--schedule", "step:x"],
        "--schedule step:x",
        "non-numeric",
    ),
    "schedule kind": (
        '[training]\nschedule = "wobbly"',
        '[training] schedule = "wobbly"',
        ["--schedule", "wobbly"],
        "--schedule wobbly",
        "unknown schedule",
    ),
    "schedule factor": (  # refused by StepDecay, once the schedule is built
        '[training]\nschedule = "step:2:10"',
        '[training] schedule = "step:2:10"',
        ["--schedule", "step:2:10"],
        "--schedule step:2:10",
        "drop must be in (0, 1]",
    ),
    "optimizer": (
        '[training]\noptimizer = "rmsprop"',
        '[training] optimizer = "rmsprop"',
        ["--optimizer", "rmsprop"],
        "--optimizer",
        None,
    ),
    "layers of size 0": (
        "[model]\nlayers = [784, 0, 10]",
        "[model] layers = [784, 0, 10]",
        ["--layers", "784,0,10"],
        "--layers",
        None,  # parsed as comma-separated positive integers: "--layers must be ..."
    ),
    "layers for other data": (
        "[model]\nlayers = [784, 30, 10]",
        "[model] layers = [784, 30, 10]",
        ["--layers", "784,30,10"],
        "--layers 784,30,10",
        "starts with 784 inputs, but the data digits has 64 features",
    ),
    "hidden of size 0": (
        "[model]\nhidden = [0, 3]",
        "[model] hidden = [0, 3]",
        ["--hidden", "0,3"],
        "--hidden",
        None,  # the flag is parsed as comma-separated positive integers: "--hidden must be ..."
    ),
    "hidden beside layers": (
        "[model]\nhidden = [30]\nlayers = [64, 30, 10]",
        "[model] hidden = [30]",
        ["--hidden", "30", "--layers", "64,30,10"],
        "--hidden",
        None,
    ),
    "one layer": (
        "[model]\nlayers = [64]",
        "[model] layers = [64]",
        ["--layers", "64"],
        "--layers 64",
        "needs an input and an output size",
    ),
    "activation": (
        '[model]\nactivation = "sigmoidd"',
        '[model] activation = "sigmoidd"',
        ["--activation", "sigmoidd"],
        "--activation sigmoidd",
        "unknown activation",
    ),
    "softmax hidden": (
        '[model]\nactivation = "softmax"',
        '[model] activation = "softmax"',
        ["--activation", "softmax"],
        "--activation softmax",
        "for the output layer only",
    ),
    "output_activation": (
        '[model]\noutput_activation = "softmaxx"',
        '[model] output_activation = "softmaxx"',
        ["--output-activation", "softmaxx"],
        "--output-activation softmaxx",
        "unknown activation",
    ),
    "cost": (
        '[model]\ncost = "nope"',
        '[model] cost = "nope"',
        ["--cost", "nope"],
        "--cost nope",
        "unknown cost",
    ),
    "init": (
        '[model]\ninit = "nope"',
        '[model] init = "nope"',
        ["--init", "nope"],
        "--init nope",
        "unknown init",
    ),
    "dtype": (
        '[model]\ndtype = "float16"',
        '[model] dtype = "float16"',
        ["--dtype", "float16"],
        "--dtype",
        None,
    ),
    "scale": (
        '[data]\nscale = "zscore"',
        '[data] scale = "zscore"',
        ["--scale", "zscore"],
        "--scale",
        None,  # the flag's choices are argparse's: "invalid choice: 'zscore'"
    ),
    "validation_split": (
        "[data]\nvalidation_split = 1.5",
        "[data] validation_split = 1.5",
        ["--validation-split", "1.5"],
        "--validation-split 1.5",
        "must be in [0, 1)",
    ),
    "validation_split too small for the data": (
        '[data]\nname = "xor"\nvalidation_split = 0.2',
        "[data] validation_split = 0.2",
        ["--data", "xor", "--validation-split", "0.2"],
        "--validation-split 0.2",
        "leaves no validation samples",
    ),
    "data name": (
        '[data]\nname = "imagenet"',
        '[data] name = "imagenet"',
        ["--data", "imagenet"],
        "--data 'imagenet'",
        None,  # data_table's words: "is neither a built-in data set ... nor a .csv or .npz file"
    ),
    "label_column": (
        '[data]\nname = "xor"\nlabel_column = "y"',
        '[data] label_column = "y"',
        ["--data", "xor", "--label-column", "y"],
        "--label-column y",
        "CSV data only",
    ),
}


def flag_of(flags: list[str], named: str) -> str:
    """The flag the error is about: the last one of ``flags`` that the flag-side words name."""
    return [f for f in flags if f.startswith("--") and named.startswith(f)][-1]


@pytest.mark.parametrize(("toml", "named", "flags", "flag", "problem"), CASES.values(), ids=CASES.keys())
def test_a_bad_value_in_a_config_file_names_the_file_and_key_not_the_flag(
    run, tmp_path, toml, named, flags, flag, problem
):
    (tmp_path / "conf").mkdir()
    (tmp_path / CONFIG).write_text(toml + "\n")
    epochs = [] if "epochs" in toml else ["--epochs", "1"]  # should it train after all: briefly
    result = run("train", "--config", CONFIG, *epochs, "--no-plots")
    assert_one_line_error(result, 2, f"{named} in {CONFIG}: ", *[problem] if problem else [])
    assert flag_of(flags, flag) not in result.stderr
    assert nothing_trained(tmp_path)


@pytest.mark.parametrize(("toml", "named", "flags", "flag", "problem"), CASES.values(), ids=CASES.keys())
def test_the_same_bad_value_as_a_flag_names_the_flag(run, tmp_path, toml, named, flags, flag, problem):
    epochs = [] if "--epochs" in flags else ["--epochs", "1"]
    result = run("train", *flags, *epochs, "--no-plots")
    assert_one_line_error(result, 2, flag, *[problem] if problem else [])
    assert "[training]" not in result.stderr and "[model]" not in result.stderr
    assert nothing_trained(tmp_path)


def test_a_flag_overrides_a_bad_value_of_the_file(run, tmp_path):
    """The file's value is never used, so it is no error; the flag's own value is checked."""
    (tmp_path / "conf").mkdir()
    (tmp_path / CONFIG).write_text('[data]\nname = "xor"\n[training]\nbatch_size = 0\nepochs = 1\n')
    result = run("train", "--config", CONFIG, "--batch-size", "2", "--quiet", "--no-plots")
    assert result.returncode == 0, result.stderr
    result = run("train", "--config", CONFIG, "--batch-size", "-2", "--no-plots")
    assert_one_line_error(result, 2, "--batch-size -2: must be a whole number ≥ 1")
    assert CONFIG not in result.stderr


def test_values_named_beside_the_bad_one_say_where_they_came_from(run, tmp_path):
    """A setting that makes another one wrong is named too: by its key if it came from the file,
    by its flag if from the command line."""
    (tmp_path / "conf").mkdir()
    (tmp_path / CONFIG).write_text('[training]\noptimizer = "adam"\n')
    result = run("train", "--config", CONFIG, "--momentum", "0.5", "--epochs", "1")
    assert_one_line_error(result, 2, "--momentum 0.5: does not apply to", f'optimizer = "adam" in {CONFIG}')
    assert "--optimizer" not in result.stderr
    # A layer count from the file, the output activation and cost left to their defaults.
    (tmp_path / CONFIG).write_text('[data]\nname = "xor"\n[model]\nlayers = [2, 4, 1]\n')
    result = run("train", "--config", CONFIG, "--epochs", "1")
    assert_one_line_error(
        result, 2, "softmax over a single output", f"[model] layers = [2, 4, 1] in {CONFIG}"
    )
    assert "--layers" not in result.stderr


def test_a_type_error_in_the_file_is_named_the_same_way(run, tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / CONFIG).write_text('[model]\nlayers = ["a", 2]\n')
    result = run("train", "--config", CONFIG)
    assert_one_line_error(
        result, 2, f'[model] layers = ["a", 2] in {CONFIG}: must be a list of whole numbers'
    )
    (tmp_path / CONFIG).write_text("[training]\nrestore_best_weights = 1\n")  # TOML's true is not 1
    result = run("train", "--config", CONFIG)
    assert_one_line_error(
        result, 2, f"[training] restore_best_weights = 1 in {CONFIG}: must be true or false"
    )


def test_a_data_path_in_the_file_is_named_by_its_key(run, tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / CONFIG).write_text('[data]\npath = "nope.csv"\n')
    result = run("train", "--config", CONFIG)
    # Read relative to the config file; the message shows where it looked.
    assert_one_line_error(result, 2, "[data] path = ", "conf/nope.csv", f"in {CONFIG}: no such file")
    assert "--data" not in result.stderr


def test_defaults_never_fail_and_are_named_by_the_flag_that_changes_them():
    cfg.validate(cfg.defaults())
    origins = {("training", "lr"): cfg.FLAG, ("training", "batch_size"): "run.toml"}
    assert cfg.given(origins, "training", "lr", 2.0) == "--lr 2.0"
    assert cfg.given(origins, "training", "batch_size", 0) == "[training] batch_size = 0 in run.toml"
    assert cfg.given(origins, "training", "epochs", 30) == "--epochs 30"  # a default: its flag
    assert cfg.given(origins, "data", "name", "digits") == "--data digits"
    assert cfg.spell(origins, "training", "batch_size", 5) == "batch_size = 5"
    assert (
        cfg.given({("model", "layers"): "a.toml"}, "model", "layers", [2, 3])
        == "[model] layers = [2, 3] in a.toml"
    )


def test_a_run_folders_config_repeats_the_run_exactly(run, tmp_path):
    """RUN_DIR/config.toml names every value; read back, each is from the file and valid."""
    args = ["--data", "moons", "--hidden", "5", "--optimizer", "momentum", "--schedule", "step:0.5:1"]
    first = run("train", *args, "--epochs", "2", "--batch-size", "8", "--name", "a", "--quiet", "--no-plots")
    assert first.returncode == 0, first.stderr
    again = run("train", "--config", "runs/a/config.toml", "--name", "b", "--quiet", "--no-plots")
    assert again.returncode == 0, again.stderr
    assert same_weights(tmp_path / "runs/a/model.safetensors", tmp_path / "runs/b/model.safetensors")
    assert (tmp_path / "runs/a/config.toml").read_text() == (tmp_path / "runs/b/config.toml").read_text()


def test_a_config_file_gives_hidden_sizes_as_hidden_does(run, tmp_path):
    """``[model] hidden = [16, 8]`` is ``--hidden 16,8`` (the file used to refuse the key as
    unknown); the run folder's config records every size under ``layers``, and a flag's
    ``--layers`` or ``--hidden`` overrides the file's hidden sizes."""
    (tmp_path / "conf").mkdir()
    (tmp_path / CONFIG).write_text(
        '[data]\nname = "moons"\n[model]\nhidden = [16, 8]\n[training]\nseed = 1\n'
    )
    quick = ["--epochs", "1", "--quiet", "--no-plots"]
    assert run("train", "--config", CONFIG, *quick, "--name", "file").returncode == 0
    flags = run("train", "--data", "moons", "--hidden", "16,8", "--seed", "1", *quick, "--name", "flags")
    assert flags.returncode == 0, flags.stderr
    assert same_weights(tmp_path / "runs/file/model.safetensors", tmp_path / "runs/flags/model.safetensors")
    written = cfg.read_toml(tmp_path / "runs/file/config.toml")["model"]
    assert written["layers"] == [2, 16, 8, 2] and "hidden" not in written
    assert run("train", "--config", CONFIG, *quick, "--layers", "2,5,2", "--name", "layers").returncode == 0
    assert run("train", "--config", CONFIG, *quick, "--hidden", "7", "--name", "hidden").returncode == 0
    import deltaprop as dp

    assert dp.load(tmp_path / "runs/layers/model.safetensors").sizes == [2, 5, 2]
    assert dp.load(tmp_path / "runs/hidden/model.safetensors").sizes == [2, 7, 2]
