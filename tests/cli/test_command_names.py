"""A mistyped command, or a value not among a flag's choices, says which one was meant, as a
mistyped flag (``--lrr``) does: argparse alone only lists the choices."""

from __future__ import annotations

from cli_helpers import assert_one_line_error


def test_a_mistyped_command_says_which_was_meant(run):
    for typed, meant in (("trian", "train"), ("dignose", "diagnose"), ("evalute", "evaluate")):
        assert_one_line_error(
            run(typed, "--epochs", "3"), 2, f"invalid choice: '{typed}'; did you mean '{meant}'?", "--help"
        )
    # nothing near: argparse's list of the commands, no guess
    far = run("frobnicate")
    assert_one_line_error(far, 2, "invalid choice: 'frobnicate' (choose from 'train'")
    assert "did you mean" not in far.stderr


def test_a_mistyped_choice_of_a_flag_says_which_was_meant(run):
    result = run("train", "--optimizer", "adamm")
    assert_one_line_error(
        result, 2, "invalid choice: 'adamm'; did you mean 'adam'?", "'deltaprop train --help'"
    )


def test_no_command_prints_the_help_where_a_pager_reads_it(run):
    result = run()
    assert result.returncode == 2  # not a command: a usage error's code, as before
    assert result.stdout.startswith("usage: deltaprop") and "train" in result.stdout
    assert result.stderr == ""


def test_the_help_says_where_the_data_sets_are_read_from(run):
    # a user offline with their own MNIST copy must learn DELTAPROP_DATA without the README
    assert "$DELTAPROP_DATA" in run("--help").stdout
    assert "$DELTAPROP_DATA" in " ".join(run("train", "--help").stdout.split())
