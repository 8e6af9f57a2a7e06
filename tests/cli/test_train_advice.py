"""train's own findings, live and in the summary, give the diagnostics' fixes as diagnose does:
in flags, less the initialiser the run used. A run with the default normal_scaled was told by
train to start from '--init normal_scaled or --init glorot_normal'."""

from __future__ import annotations

from deltaprop.cli import train


def test_the_summary_does_not_advise_the_initialiser_the_run_used(run, monkeypatch):
    told = []

    class Spy(train.LiveFindings):  # the live lines get the run's init too
        def __init__(self, console, diagnostics, init=None):
            told.append(init)
            super().__init__(console, diagnostics, init)

    monkeypatch.setattr(train, "LiveFindings", Spy)
    monkeypatch.setenv("COLUMNS", "400")  # a finding on one line

    result = run("train", "--seed", "1", "--lr", "100", "--epochs", "6", "--no-plots", "--name", "stuck")

    assert result.returncode == 0, result.stderr
    saturated = [line for line in result.stdout.splitlines() if "are saturated" in line]
    assert saturated and "start from smaller weights (--init glorot_normal)" in saturated[0], saturated
    assert "--init normal_scaled" not in result.stdout
    assert told == ["normal_scaled"]


def test_a_run_with_another_initialiser_is_advised_the_default(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    args = ("--init", "glorot_normal", "--seed", "1", "--lr", "100", "--epochs", "6", "--no-plots")

    result = run("train", *args)

    assert result.returncode == 0, result.stderr
    saturated = [line for line in result.stdout.splitlines() if "are saturated" in line]
    assert saturated and "start from smaller weights (--init normal_scaled)" in saturated[0], saturated


def test_an_output_cost_warning_names_flags_on_the_command_line(run, monkeypatch):
    # the output/cost findings' fixes said output_activation='softmax', Python's words
    monkeypatch.setenv("COLUMNS", "400")
    flags = ("--output-activation", "logistic", "--cost", "log_likelihood", "--epochs", "1", "--no-plots")
    result = run("train", *flags, "--name", "ll")
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stdout.splitlines() if "log-likelihood cost" in line]
    assert warned and "--output-activation softmax" in warned[0], warned
    assert "output_activation=" not in result.stdout
