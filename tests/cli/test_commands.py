"""``datasets``, ``gradcheck``, ``--version`` and the bare command."""

from __future__ import annotations

import json

import pytest
from cli_helpers import SHARED_DATA, assert_one_line_error


def test_datasets_lists_every_set_with_where_it_is(cli, tmp_path):
    result = cli("datasets")
    assert result.returncode == 0, result.stderr
    for name in ("digits", "mnist", "fashion-mnist", "xor", "moons", "circles", "spiral", "blobs"):
        assert f"│ {name} " in result.stdout
    assert "not yet" in result.stdout  # the tests' cache is empty
    assert "built in" in result.stdout and "generated" in result.stdout
    # Where the files go, whole on one line: in a table cell the path was folded mid-word.
    where = tmp_path / "cache" / "fashion-mnist"
    download = "'deltaprop datasets download fashion-mnist'"
    assert f"fashion-mnist files: not yet here; {download} puts it in {where}\n" in result.stdout
    if (SHARED_DATA / "mnist").is_dir():
        here = cli("datasets", data_dir=SHARED_DATA)
        assert f"mnist files: {SHARED_DATA / 'mnist'}\n" in here.stdout


def test_a_cache_folder_with_square_brackets_is_named_as_it_is(cli, tmp_path):
    cache = tmp_path / "cache[x]"  # rich took "[x]" for a style tag and dropped it from the title
    cache.mkdir()
    result = cli("datasets", data_dir=cache)
    assert result.returncode == 0, result.stderr
    assert f"Data sets (cache: {cache})" in result.stdout


def test_datasets_download(cli, tmp_path):
    builtin = cli("datasets", "download", "digits")
    assert builtin.returncode == 0 and "nothing to download" in builtin.stdout
    if (SHARED_DATA / "mnist").is_dir():
        here = cli("datasets", "download", "mnist", data_dir=SHARED_DATA)
        assert here.returncode == 0, here.stderr
        assert "already here" in here.stdout
    assert_one_line_error(cli("datasets", "download"), 2, "name the data set")
    assert_one_line_error(cli("datasets", "download", "imagenet"), 2, "unknown data set 'imagenet'")


@pytest.mark.skipif(not (SHARED_DATA / "mnist").is_dir(), reason="needs the shared MNIST files to serve")
def test_datasets_download_fetches_verifies_and_says_where(run, tmp_path):
    """The download itself, from a local HTTP server standing in for the mirrors."""
    from cli_helpers import mirror_of

    from deltaprop.datasets.mnist import MNIST

    with mirror_of(MNIST, SHARED_DATA / "mnist"):
        result = run("datasets", "download", "mnist")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "cache" / "mnist"
    assert result.stdout.splitlines()[-1] == f"mnist downloaded and verified: {folder}"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in (SHARED_DATA / "mnist").iterdir()
    )
    assert "already here" in run("datasets", "download", "mnist").stdout


def test_a_failed_download_leaves_no_progress_bar_behind(run, tmp_path):
    """The bar of a download that failed stayed on stdout above the error ("mnist ━━━ 0/? bytes ?")."""
    from cli_helpers import mirror_of

    from deltaprop.datasets.mnist import MNIST

    (tmp_path / "empty").mkdir()
    with mirror_of(MNIST, tmp_path / "empty"):
        result = run("datasets", "download", "mnist")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "could not download" in result.stderr


def test_gradcheck_pass_and_fail(cli):
    passed = cli("gradcheck", "--layers", "4,5,3", "--activation", "tanh", "--cost", "quadratic")
    assert passed.returncode == 0, passed.stderr
    assert "PASS" in passed.stdout and "[4, 5, 3]" in passed.stdout
    report = cli(
        "gradcheck",
        "--layers",
        "3,4,4,2",
        "--activation",
        "relu",
        "--output-activation",
        "softmax",
        "--cost",
        "log_likelihood",
        "--seed",
        "2",
        "--json",
    )
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["passed"] and data["max_relative_error"] < 1e-6 and data["activations"][-1] == "softmax"
    failed = cli("gradcheck", "--threshold", "1e-30")
    assert failed.returncode == 1 and "FAIL" in failed.stdout
    assert_one_line_error(cli("gradcheck", "--cost", "hinge"), 2, "hinge")


def test_gradcheck_takes_the_librarys_default_cost(cli):
    """With no --cost, a softmax output is checked with the log-likelihood, as dp.Network
    chooses, and any other output with the quadratic cost."""
    for output, cost in (("softmax", "log_likelihood"), ("logistic", "quadratic")):
        result = cli("gradcheck", "--output-activation", output, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["cost"] == cost


@pytest.mark.parametrize(
    "flags, named",
    [
        (("--activation", "tanh", "--cost", "cross_entropy"), "--activation tanh"),
        (("--activation", "relu", "--cost", "log_likelihood"), "--activation relu"),
        (("--output-activation", "linear", "--cost", "cross_entropy"), "--output-activation linear"),
    ],
)
def test_gradcheck_refuses_the_pairs_train_refuses(cli, flags, named):
    # ln a of outputs outside (0, 1): the cost clips a there, so central differences give 0
    # where backprop's δ does not, and the check would call a correct backprop FAIL (it did).
    result = cli("gradcheck", *flags)
    assert_one_line_error(result, 2, named)
    assert "ln a" in result.stderr and "FAIL" not in result.stdout
    # The same activation with an output the cost suits passes.
    fine = cli("gradcheck", *flags[:2], "--output-activation", "logistic", "--cost", "cross_entropy")
    assert fine.returncode == 0 and "PASS" in fine.stdout, fine.stderr


@pytest.mark.parametrize(
    "argv, prog",
    [
        (("train", "--bogus", "1"), "deltaprop train"),
        # a train flag resume does not take (--epochs was one until resume --epochs N), given with a
        # folder that does not exist: the usage error comes first, as argparse reports it
        (("resume", "runs/first", "--lr", "0.1"), "deltaprop resume"),
        (("--bogus",), "deltaprop"),
    ],
)
def test_an_unknown_flag_is_reported_by_the_command_it_was_given_to(cli, argv, prog):
    # argparse left the subcommand's leftovers to the top-level parser, which then pointed at
    # 'deltaprop --help', where the command's flags are not listed.
    result = cli(*argv)
    assert_one_line_error(result, 2, f"{prog}: error: unrecognized arguments: ")
    assert f"(see '{prog} --help')" in result.stderr


def test_version_help_and_no_command(cli):
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("deltaprop ")
    bare = cli()
    assert bare.returncode == 2 and bare.stdout.startswith("usage: deltaprop")  # the help, for a pager
    helped = cli("train", "--help")
    assert (
        helped.returncode == 0
        and "--early-stopping PATIENCE" in helped.stdout
        and "step:FACTOR:EVERY" in helped.stdout
    )
    assert_one_line_error(cli("frobnicate"), 2, "invalid choice: 'frobnicate'")


def test_epoch_lines_show_quick_epochs_in_milliseconds():
    from deltaprop.cli.progress import epoch_line

    assert epoch_line(0, 30, {"loss": 0.5, "time": 0.0034}) == "epoch 1/30  loss 0.5000  3.4ms"
    line = epoch_line(2, 30, {"loss": 0.25, "lr": 0.5, "time": 2.374})
    assert line == "epoch 3/30  loss 0.2500  lr 0.5  2.37s"


def test_a_huge_cost_is_written_in_scientific_notation_not_in_ninety_digits(capsys):
    # A diverging run's cost can reach 1e90 before it turns inf; ".4f" printed all 91 digits.
    import io

    import deltaprop as dp
    from deltaprop.cli.progress import epoch_line, fmt_metric

    line = epoch_line(0, 3, {"loss": 1.2e90, "accuracy": 0.1, "val_loss": 99999.0})
    assert line == "epoch 1/3  loss 1.2000e+90  accuracy 0.1000  val_loss 99999.0000"
    assert fmt_metric(-3e7) == "-3.0000e+07" and fmt_metric(float("nan")) == "—"
    stream = io.StringIO()
    logger = dp.ProgressLogger(stream=stream)
    logger.on_epoch_end(0, {"loss": 1.2e90, "accuracy": 0.5})
    assert "loss: 1.2000e+90 - accuracy: 0.5000" in stream.getvalue()


def test_ctrl_c_while_the_commands_are_imported_is_exit_130_without_a_traceback(monkeypatch, capsys):
    """The parser imports every command (NumPy, SciPy, rich): a Ctrl-C there is caught too."""
    import deltaprop.cli as cli_module

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "build_parser", interrupted)
    assert cli_module.main(["train"]) == cli_module.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "deltaprop: interrupted\n"


def test_the_deltaprop_console_script_is_python_m_deltaprop(cli, tmp_path):
    """The installed ``deltaprop`` command (pyproject's [project.scripts]) answers as
    ``python -m deltaprop`` does: the same output and exit codes, 0 and 2."""
    import shutil
    import subprocess
    import sys
    import sysconfig
    from pathlib import Path

    from cli_helpers import cli_env

    beside = Path(sys.executable).with_name("deltaprop")  # the script of this interpreter
    script = beside if beside.is_file() else Path(sysconfig.get_path("scripts")) / "deltaprop"
    if not script.is_file():
        script = Path(shutil.which("deltaprop") or "")
    if not script.is_file():
        pytest.skip("the deltaprop console script is not installed (pip install -e .)")
    for argv in (["--version"], ["train", "--epochs", "0"], ["gradcheck"]):
        done = subprocess.run(
            [str(script), *argv], cwd=tmp_path, env=cli_env(tmp_path), capture_output=True, text=True
        )
        module = cli(*argv)
        assert (done.returncode, done.stdout, done.stderr) == (
            module.returncode,
            module.stdout,
            module.stderr,
        )
    assert done.returncode == 0 and "PASS" in done.stdout


def test_train_help_lists_the_names_each_option_takes(cli):
    """--epochs, --optimizer and --dtype showed only their default, "(30)"; --activation and
    --init a few names and "..."; every name the registries hold is listed now."""
    from deltaprop import activations, costs, initializers

    helped = " ".join(cli("train", "--help").stdout.split())  # argparse wraps the lines
    assert "--epochs N passes over the training data (30)" in helped
    assert "--optimizer {sgd,momentum,nesterov,adam} the update rule (sgd)" in helped
    for name in (*activations.ACTIVATIONS, *costs.COSTS, *initializers.INITIALIZERS):
        assert name in helped, name
    assert "hidden activation: logistic, tanh, relu, leaky_relu, linear (logistic)" in helped


def test_a_multi_line_error_reads_as_one_line_of_sentences():
    from deltaprop.cli import one_line

    err = OSError("download failed from 2 mirrors:\n- a: 404\n- b: timed out.\nfiles still missing.")
    assert one_line(err) == "download failed from 2 mirrors: a: 404; b: timed out. files still missing."
    # a sentence after a list: it read "...: x (not known); Check your internet connection"
    err = OSError(
        "could not download f from 2 mirrors:\n- a: 404\n- b: x (not known)\nCheck your connection."
    )
    assert (
        one_line(err)
        == "could not download f from 2 mirrors: a: 404; b: x (not known). Check your connection."
    )
    assert one_line(OSError("classes:\n- Bag\n- Coat")) == "classes: Bag; Coat"
