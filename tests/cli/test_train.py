"""``deltaprop train``: the default run, the run folder, config files and flags, and usage errors."""

from __future__ import annotations

import json
import sys

import pytest
from cli_helpers import assert_one_line_error, same_weights

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RUN_FILES = ("model.safetensors", "checkpoint.safetensors", "config.toml", "history.json", "history.csv")


def test_train_with_no_arguments_trains_digits_and_writes_a_run_folder(cli, tmp_path):
    result = cli("train")
    assert result.returncode == 0, result.stderr
    runs = list((tmp_path / "runs").iterdir())
    assert len(runs) == 1
    run_dir = runs[0]
    for name in RUN_FILES:
        assert (run_dir / name).is_file(), name
    # stdout is not a terminal here: one plain line per epoch, then the summary and the folder.
    epoch_lines = [line for line in result.stdout.splitlines() if line.startswith("epoch ")]
    assert len(epoch_lines) == 30
    assert epoch_lines[0].startswith("epoch 1/30  loss ")
    assert "val_accuracy" in epoch_lines[-1]
    assert "test accuracy" in result.stdout
    assert f"results in runs/{run_dir.name}" in result.stdout
    config = tomllib.loads((run_dir / "config.toml").read_text())
    assert config["data"]["name"] == "digits"
    assert config["model"]["layers"] == [64, 30, 10]
    assert config["model"]["output_activation"] == "softmax"
    assert isinstance(config["training"]["seed"], int) and config["training"]["seed"] >= 0
    history = json.loads((run_dir / "history.json").read_text())
    assert len(history["history"]["loss"]) == 30
    assert (run_dir / "history.csv").read_text().splitlines()[0].startswith("epoch,loss,accuracy,val_loss")
    # The test split (last 360 images) was kept out of training: the summary's test accuracy is on it.
    test_line = next(line for line in result.stdout.splitlines() if "test accuracy" in line)
    accuracy = float(test_line.split("│")[2].strip().rstrip("%"))
    assert accuracy > 85.0
    plots = run_dir / "plots"
    assert (plots.is_dir() and any(plots.iterdir())) or "plots skipped" in result.stdout
    # The last lines say where the results are, as the README's Quick start promises: the model,
    # its configuration, its history, a checkpoint and plots.
    listed = result.stdout.splitlines()[-5 if plots.is_dir() else -4 :]
    assert [line.split()[0] for line in listed] == ["model", "configuration", "history", "checkpoint"] + (
        ["plots"] if plots.is_dir() else []
    )
    assert listed[0].endswith(" model.safetensors") and listed[2].endswith(" history.csv, history.json")
    assert result.stdout.splitlines()[-len(listed) - 1] == f"results in runs/{run_dir.name}"


def test_quiet_prints_only_the_run_folder(cli, tmp_path):
    result = cli("train", "--epochs", "1", "--quiet", "--no-plots", "--name", "q", "--out", "results")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "results/q\n"
    assert result.stderr == ""
    assert (tmp_path / "results/q/model.safetensors").is_file()


def test_flags_override_the_config_file_and_the_resolved_config_reruns_exactly(cli, tmp_path):
    (tmp_path / "my.toml").write_text(
        '[training]\nepochs = 2\nlr = 0.3\nbatch_size = 20\nseed = 11\n[model]\nactivation = "tanh"\n'
    )
    first = cli(
        "train", "--config", "my.toml", "--epochs", "3", "--hidden", "20,15", "--name", "a", "--no-plots"
    )
    assert first.returncode == 0, first.stderr
    config = tomllib.loads((tmp_path / "runs/a/config.toml").read_text())
    assert config["training"]["epochs"] == 3  # the flag
    assert config["training"]["lr"] == 0.3  # the file
    assert config["training"]["batch_size"] == 20
    assert config["model"]["activation"] == "tanh"
    assert config["model"]["layers"] == [64, 20, 15, 10]
    assert len(json.loads((tmp_path / "runs/a/history.json").read_text())["epoch"]) == 3
    again = cli("train", "--config", "runs/a/config.toml", "--name", "b", "--quiet", "--no-plots")
    assert again.returncode == 0, again.stderr
    assert same_weights(tmp_path / "runs/a/model.safetensors", tmp_path / "runs/b/model.safetensors")


def test_schedule_and_optimizer_flags_are_applied(cli, tmp_path):
    result = cli(
        "train",
        "--epochs",
        "4",
        "--schedule",
        "step:0.5:2",
        "--optimizer",
        "momentum",
        "--lr",
        "0.1",
        "--seed",
        "3",
        "--name",
        "s",
        "--quiet",
        "--no-plots",
        "--dtype",
        "float32",
    )
    assert result.returncode == 0, result.stderr
    history = json.loads((tmp_path / "runs/s/history.json").read_text())
    assert history["history"]["lr"] == pytest.approx([0.1, 0.1, 0.05, 0.05])
    config = tomllib.loads((tmp_path / "runs/s/config.toml").read_text())
    assert config["training"]["momentum"] == 0.9 and config["model"]["dtype"] == "float32"
    import deltaprop as dp

    assert dp.load(tmp_path / "runs/s/model.safetensors").dtype.name == "float32"


def test_early_stopping_stops_before_the_last_epoch(cli, tmp_path):
    result = cli(
        "train",
        "--epochs",
        "200",
        "--early-stopping",
        "1",
        "--lr",
        "2.0",
        "--seed",
        "0",
        "--name",
        "e",
        "--no-plots",
    )
    assert result.returncode == 0, result.stderr
    history = json.loads((tmp_path / "runs/e/history.json").read_text())
    assert len(history["epoch"]) < 200
    assert "EarlyStopping" in history["stopped_reason"]
    assert "stopped" in result.stdout


def test_user_csv_with_a_named_label_column(cli, tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    lines = ["a,label,b,c"] + [f"{r[0]},{t},{r[1]},{r[2]}" for r, t in zip(X, y)]
    (tmp_path / "mine.csv").write_text("\n".join(lines) + "\n")
    result = cli(
        "train", "--data", "mine.csv", "--label-column", "label", "--epochs", "2", "--name", "c", "--no-plots"
    )
    assert result.returncode == 0, result.stderr
    config = tomllib.loads((tmp_path / "runs/c/config.toml").read_text())
    assert config["model"]["layers"] == [3, 30, 2]
    assert config["data"]["path"].endswith("mine.csv") and config["data"]["label_column"] == "label"
    assert "test accuracy" not in result.stdout  # a user's file has no test split
    # A config file's data path is read relative to the file.
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf/c.toml").write_text('[data]\npath = "../mine.csv"\nlabel_column = "label"\n')
    again = cli("train", "--config", "conf/c.toml", "--epochs", "1", "--quiet", "--no-plots")
    assert again.returncode == 0, again.stderr


def test_a_csv_of_real_valued_targets_trains_a_regression(cli, tmp_path):
    """load_csv reads a column of real numbers as regression targets; so does the CLI: one
    output, no accuracy, and predict prints the output value (not a class and 1 − a)."""
    import numpy as np

    rng = np.random.default_rng(2)
    X = rng.normal(size=(150, 3))
    y = 0.5 * X[:, 0] + np.sin(X[:, 1]) + 0.3  # from about −1.5 to 2.5
    lines = ["a,b,c,target"] + [f"{r[0]},{r[1]},{r[2]},{t}" for r, t in zip(X, y)]
    (tmp_path / "reg.csv").write_text("\n".join(lines) + "\n")

    # The default cost (log-likelihood) cannot fit such targets: a usage error, and no run folder.
    refused = cli("train", "--data", "reg.csv", "--epochs", "2", "--name", "bad")
    assert_one_line_error(
        refused,
        2,
        "reg.csv has real-valued targets",
        "log_likelihood",
        "--cost quadratic --output-activation linear",
    )
    assert not (tmp_path / "runs/bad").exists()

    flags = ["--cost", "quadratic", "--output-activation", "linear", "--lr", "0.05", "--epochs", "3"]
    result = cli("train", "--data", "reg.csv", *flags, "--name", "r", "--no-plots", "--seed", "0")
    assert result.returncode == 0, result.stderr
    config = tomllib.loads((tmp_path / "runs/r/config.toml").read_text())
    assert config["model"]["layers"] == [3, 30, 1]
    history = json.loads((tmp_path / "runs/r/history.json").read_text())["history"]
    assert "accuracy" not in history and history["loss"][-1] < history["loss"][0]

    evaluated = cli("evaluate", "runs/r", "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)
    assert "accuracy" not in report and "per_class" not in report
    # evaluate RUN_DIR scores the 10 % of the file's rows the run held out for validation
    assert (report["n_samples"], report["n_rows"], report["rows"]) == (15, 150, "validation")

    import deltaprop as dp

    net = dp.load(tmp_path / "runs/r/model.safetensors")
    predicted = cli("predict", "runs/r", "reg.csv", "--label-column", "target", "--json")
    assert predicted.returncode == 0, predicted.stderr
    rows = json.loads(predicted.stdout)["predictions"]
    assert [row["input"] for row in rows[:2]] == ["reg.csv:2", "reg.csv:3"]
    assert "class" not in rows[0]
    np.testing.assert_allclose([row["outputs"][0] for row in rows], net.predict(X)[:, 0], rtol=1e-12)
    table = cli("predict", "runs/r", "reg.csv", "--label-column", "target")
    assert table.returncode == 0 and "output" in table.stdout and "class" not in table.stdout


def test_user_npz_and_a_toy_set(cli, tmp_path):
    import numpy as np

    rng = np.random.default_rng(1)
    np.savez(tmp_path / "d.npz", X=rng.normal(size=(60, 5)), y=rng.integers(0, 3, size=60))
    result = cli("train", "--data", "d.npz", "--epochs", "1", "--quiet", "--no-plots", "--name", "n")
    assert result.returncode == 0, result.stderr
    assert tomllib.loads((tmp_path / "runs/n/config.toml").read_text())["model"]["layers"] == [5, 30, 3]
    moons = cli(
        "train",
        "--data",
        "moons",
        "--layers",
        "2,8,2",
        "--activation",
        "tanh",
        "--epochs",
        "2",
        "--quiet",
        "--no-plots",
        "--name",
        "m",
    )
    assert moons.returncode == 0, moons.stderr
    # Four XOR points cannot spare a validation sample per class: the default split is dropped.
    xor = cli(
        "train", "--data", "xor", "--hidden", "4", "--epochs", "2", "--quiet", "--no-plots", "--name", "x"
    )
    assert xor.returncode == 0, xor.stderr
    assert tomllib.loads((tmp_path / "runs/x/config.toml").read_text())["data"]["validation_split"] == 0.0


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ["--layers", "784,30,10"],
            ["--layers 784,30,10: starts with 784", "64 features", "--layers 64,30,10"],
        ),
        (["--layers", "64,30,3"], ["--layers 64,30,3: ends with 3", "10 classes"]),
        (["--layers", "64,10", "--hidden", "30"], ["either --layers", "--hidden"]),
        (["--data", "nope.csv"], ["nope.csv does not exist"]),
        (["--data", "imagenet"], ["imagenet", "built-in"]),
        (["--schedule", "wobbly:3"], ["unknown schedule", "step:FACTOR:EVERY"]),
        (["--data", "xor", "--validation-split", "0.2"], ["leaves no validation samples"]),
        (["--validation-split", "1.5"], ["--validation-split 1.5: must be in [0, 1)"]),
        (["--activation", "sigmoidish"], ["sigmoidish"]),
        (["--optimizer", "rmsprop"], ["invalid choice", "rmsprop"]),
        # -1 is the "draw a seed" default inside; given, it must not silently become a random seed.
        (["--seed", "-1"], ["--seed -1: must be a whole number ≥ 0"]),
        (["--seed", "-7"], ["--seed -7: must be a whole number ≥ 0"]),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(cli, tmp_path, args, fragments):
    result = cli("train", *args)
    assert_one_line_error(result, 2, *fragments)
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_unknown_config_key_is_named(cli, tmp_path):
    (tmp_path / "bad.toml").write_text("[training]\nlearning_rate = 0.1\n")
    assert_one_line_error(cli("train", "--config", "bad.toml"), 2, "training.learning_rate", "bad.toml")
    (tmp_path / "bad2.toml").write_text("[optimiser]\nname = 'sgd'\n")
    assert_one_line_error(cli("train", "--config", "bad2.toml"), 2, "'optimiser'")


def test_a_negative_seed_in_a_config_file_is_named(cli, tmp_path):
    (tmp_path / "seed.toml").write_text("[training]\nseed = -1\nepochs = 1\n")
    assert_one_line_error(cli("train", "--config", "seed.toml"), 2, "[training] seed = -1 in seed.toml")
    assert not (tmp_path / "runs").exists()


def test_an_existing_run_folder_is_never_overwritten(cli, tmp_path):
    assert cli("train", "--epochs", "1", "--name", "x", "--quiet", "--no-plots").returncode == 0
    before = (tmp_path / "runs/x/model.safetensors").read_bytes()
    again = cli("train", "--epochs", "1", "--name", "x")
    assert_one_line_error(again, 2, "runs/x exists already", "finished run; choose another --name")
    assert "resume" not in again.stderr  # a finished run has nothing to resume
    assert (tmp_path / "runs/x/model.safetensors").read_bytes() == before
    # A run stopped before its model was written (Ctrl-C) can be continued: that is said.
    (tmp_path / "runs/x/model.safetensors").unlink()
    assert_one_line_error(
        cli("train", "--epochs", "1", "--name", "x"), 2, "choose another --name, or continue", "resume runs/x"
    )


DIVERGING = [
    "--activation",
    "relu",
    "--output-activation",
    "linear",
    "--cost",
    "quadratic",
    "--init",
    "he_normal",
]


@pytest.mark.parametrize(("lr", "then"), [("1e4", "1000"), ("3", "0.3")])
def test_a_diverging_run_says_in_cli_terms_what_it_left_and_how_to_run_it_again(cli, tmp_path, lr, then):
    """One line on stderr, exit 1, no model. Not the library's "the network keeps the weights
    it had when this fit() began": a CLI user called no fit(), and no weights are kept but a
    checkpoint's. η = 1e4 diverges in the first epoch (no checkpoint yet); η = 3 (seed 0) a
    few epochs in, after checkpoints."""
    import re

    result = cli(
        "train", *DIVERGING, "--lr", lr, "--epochs", "10", "--seed", "0", "--no-plots", "--name", "d"
    )
    fix = f"Try a smaller learning rate, e.g. deltaprop train --config runs/d/config.toml --lr {then}"
    assert_one_line_error(result, 1, "training diverged at epoch", "No model was written", fix)
    assert "fit()" not in result.stderr
    assert not (tmp_path / "runs/d/model.safetensors").exists()
    epoch = int(re.search(r"diverged at epoch (\d+)", result.stderr).group(1))
    if epoch == 1:
        assert "runs/d holds only its config.toml" in result.stderr
        assert not (tmp_path / "runs/d/checkpoint.safetensors").exists()
    else:
        assert (
            f"runs/d holds its config.toml, history and the checkpoint from the end of epoch {epoch - 1}"
            in result.stderr
        )
        import deltaprop as dp

        assert dp.load_checkpoint(tmp_path / "runs/d/checkpoint.safetensors")[2]["epoch"] == epoch - 1
    if lr == "3":
        assert epoch > 1, "η = 3 was meant to diverge after an epoch had finished"


def test_debug_shows_the_traceback(cli):
    result = cli("train", "--debug", "--data", "imagenet")
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "UsageError" in result.stderr


def test_a_run_whose_stdout_reader_goes_away_trains_on_and_saves_everything(cli, tmp_path):
    """``deltaprop train | head -1``: the run used to die at the next line (exit 1, no message),
    leaving a folder with only config.toml. Training is the job: it goes on, stdout to
    /dev/null, stderr says so once, everything is saved, exit 0, and the weights are those
    of the same run with its output read to the end."""
    import subprocess

    from cli_helpers import cli_env

    args = ["train", "--epochs", "20", "--seed", "0", "--no-plots"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "deltaprop", *args, "--name", "piped"],
        cwd=tmp_path,
        env=cli_env(tmp_path / "cache"),  # the cli fixture's empty cache
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().startswith("training [64, 30, 10]")
    proc.stdout.close()  # as head does after its first line; the epochs' lines are still to come
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 0, stderr
    assert stderr.strip().splitlines() == [
        "deltaprop: stdout was closed by its reader; training goes on without printing, "
        "and saves everything in runs/piped"
    ]
    for name in RUN_FILES:
        assert (tmp_path / "runs/piped" / name).is_file(), name
    read = cli(*args, "--name", "read")
    assert read.returncode == 0, read.stderr
    assert same_weights(tmp_path / "runs/piped/model.safetensors", tmp_path / "runs/read/model.safetensors")
    assert "complete (20 epochs)" in cli("resume", "runs/piped").stdout


def test_a_run_whose_stdout_and_stderr_share_a_pipe_that_closes_trains_on(tmp_path):
    """``deltaprop train 2>&1 | head -1``: the note that stdout's reader had gone was written to
    the same closed pipe, and its BrokenPipeError ended the run (exit 1, only config.toml
    saved). Now stderr follows stdout to /dev/null, and the run saves everything, exit 0."""
    import subprocess

    from cli_helpers import cli_env

    proc = subprocess.Popen(
        [sys.executable, "-m", "deltaprop", "train", "--epochs", "5", "--seed", "0", "--no-plots"]
        + ["--name", "piped"],
        cwd=tmp_path,
        env=cli_env(tmp_path / "cache"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout.readline().startswith("training [64, 30, 10]")
    proc.stdout.close()
    assert proc.wait(timeout=120) == 0
    for name in RUN_FILES:
        assert (tmp_path / "runs/piped" / name).is_file(), name


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_a_rich_progress_bar_replaces_the_plain_lines(tmp_path):
    import os
    import pty
    import subprocess

    from cli_helpers import cli_env

    (tmp_path / "cache").mkdir()
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deltaprop", "train", "--epochs", "2", "--no-plots", "--name", "tty"],
        cwd=tmp_path,
        env=cli_env(tmp_path / "cache"),
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    screen = b"".join(chunks).decode("utf-8", errors="replace")
    assert "━" in screen and "epochs" in screen and "batches" in screen  # the bars
    assert "epoch 1/2  loss" not in screen  # no plain lines on a terminal
    assert "Run summary" in screen and "results in runs/tty" in screen


def test_threads_limits_blas_for_the_run_and_is_checked_first(cli, tmp_path):
    one = cli("train", "--epochs", "2", "--seed", "3", "--name", "one", "--no-plots", "--threads", "1")
    assert one.returncode == 0, one.stderr
    free = cli("train", "--epochs", "2", "--seed", "3", "--name", "free", "--no-plots")
    assert free.returncode == 0, free.stderr
    # Small products run on one thread anyway: the same run, bit for bit.
    assert same_weights(tmp_path / "runs/one/model.safetensors", tmp_path / "runs/free/model.safetensors")
    assert "threads" not in (tmp_path / "runs/one/config.toml").read_text()  # not part of the run
    for bad in ("0", "-2"):
        result = cli("train", "--threads", bad, "--name", f"bad{bad}")
        assert_one_line_error(result, 2, "--threads must be a whole number ≥ 1", f"got {bad}")
        assert not (tmp_path / "runs" / f"bad{bad}").exists()
    resumed = cli("resume", "runs/one", "--threads", "0")
    assert_one_line_error(resumed, 2, "--threads must be a whole number ≥ 1", "got 0")


def test_the_threads_limit_holds_inside_the_block_only():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from deltaprop.cli import threads

    def blas_threads():
        return {info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"}

    before = blas_threads()
    with threads.limit(1):
        assert blas_threads() == {1}
    assert blas_threads() == before
    with threads.limit(None):
        assert blas_threads() == before


def test_output_away_from_a_terminal_has_no_trailing_blanks(run):
    """rich pads a table's title ("Run summary", "Evaluation") to the table's width; in a log
    file those were lines ending in dozens of spaces. Only the text is written now."""
    trained = run("train", "--epochs", "1", "--seed", "0", "--no-plots", "--name", "r")
    assert trained.returncode == 0, trained.stderr
    evaluated = run("evaluate", "runs/r")
    assert evaluated.returncode == 0, evaluated.stderr
    for result in (trained, evaluated):
        lines = result.stdout.splitlines()
        assert any(line == "Run summary" or line == "Evaluation" for line in lines), result.stdout
        assert [line for line in lines if line != line.rstrip()] == []


def test_a_2d_run_draws_its_decision_boundary_as_training_went(run, tmp_path):
    """Issue 5's boundary "as training proceeds": a classifier of 2-D points gets
    plots/decision_boundary.gif, one frame per snapshot (about 20 over the run), titled with
    the epoch; image data gets none."""
    import numpy as np
    from PIL import Image

    from deltaprop.cli.train_report import BOUNDARY_FRAMES

    result = run("train", "--data", "moons", "--hidden", "8", "--epochs", "45", "--seed", "0", "--name", "m")
    assert result.returncode == 0, result.stderr
    gif = tmp_path / "runs/m/plots/decision_boundary.gif"
    with Image.open(gif) as image:
        # every ceil(45 / 20) = 3 epochs: epochs 0, 3, ..., 45
        assert image.n_frames == 16 <= BOUNDARY_FRAMES + 1
        first = np.asarray(image.convert("RGB"))
        image.seek(image.n_frames - 1)
        last = np.asarray(image.convert("RGB"))
    assert first.shape == last.shape and (first != last).any()  # the boundary moved
    digits = run("train", "--epochs", "2", "--seed", "0", "--name", "d")
    assert digits.returncode == 0, digits.stderr
    assert not (tmp_path / "runs/d/plots/decision_boundary.gif").exists()
    assert (tmp_path / "runs/d/plots/learning_curves.png").is_file()


def test_errors_of_the_diagnostics_are_said_under_the_epoch_that_shows_them(run, tmp_path):
    """A run stuck at chance is told so at epoch 2, once, not only in the summary; a healthy
    run prints no such line."""
    stuck = run("train", "--data", "spiral", "--seed", "1", "--epochs", "5", "--no-plots", "--name", "s")
    assert stuck.returncode == 0, stuck.stderr
    lines = stuck.stdout.splitlines()
    said = [k for k, line in enumerate(lines) if line.startswith("  ! error: accuracy is stuck at chance")]
    assert len(said) == 1
    epoch_above = next(line for line in reversed(lines[: said[0]]) if line.startswith("epoch "))
    assert epoch_above.startswith("epoch 2/5 ")  # under the epoch that showed it
    assert any(line.startswith("• error: accuracy is stuck at chance") for line in lines)  # and the summary
    healthy = run("train", "--seed", "1", "--epochs", "5", "--no-plots", "--name", "h")
    assert healthy.returncode == 0 and "  ! " not in healthy.stdout


def test_a_set_up_warning_is_said_before_the_first_epoch(run, tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(120, 4))  # raw 0..255 values
    np.savez(tmp_path / "raw.npz", X=X, y=(X[:, 0] > 127).astype(int))
    result = run("train", "--data", "raw.npz", "--epochs", "2", "--seed", "0", "--no-plots", "--name", "r")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    warned = [k for k, line in enumerate(lines) if line.startswith("  ! warning: the inputs are not scaled")]
    first_epoch = next(k for k, line in enumerate(lines) if line.startswith("epoch 1/2"))
    assert len(warned) == 1 and warned[0] < first_epoch


def test_adam_trains_at_its_own_default_learning_rate(run, tmp_path):
    """SGD's default η = 0.5 is far too large a step for Adam (digits: 10 % test accuracy);
    --optimizer adam without --lr takes dp.Adam's 0.001, and records it; a given --lr wins."""
    import inspect

    import deltaprop as dp
    from deltaprop.cli.train_resolve import ADAM_LR

    assert ADAM_LR == inspect.signature(dp.Adam).parameters["learning_rate"].default
    adam = run("train", "--optimizer", "adam", "--epochs", "3", "--seed", "1", "--no-plots", "--name", "a")
    assert adam.returncode == 0, adam.stderr
    assert "adam η=0.001, batch 10, 3 epochs" in adam.stdout
    assert tomllib.loads((tmp_path / "runs/a/config.toml").read_text())["training"]["lr"] == 0.001
    given = run("train", "--optimizer", "adam", "--lr", "0.01", "--epochs", "1", "--no-plots", "--name", "b")
    assert given.returncode == 0, given.stderr
    assert "adam η=0.01, batch 10, 1 epoch, seed" in given.stdout  # and one epoch, not "1 epochs"
    sgd = run("train", "--epochs", "1", "--no-plots", "--name", "c")
    assert "sgd η=0.5" in sgd.stdout
