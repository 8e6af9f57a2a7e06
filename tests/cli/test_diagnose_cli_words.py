"""The command line says the diagnostics' fixes in its own flags (``--init glorot_normal``), not
in Python's (``init='glorot_normal'``), and does not advise the initialiser the run used: a
run with the default normal_scaled was told to start from normal_scaled. The library keeps
its words for Python users."""

from __future__ import annotations

import pytest

from deltaprop.cli.train_report import cli_fix
from deltaprop.diagnostics import diagnose_run
from deltaprop.diagnostics.finding import Finding
from deltaprop.diagnostics.neurons import HE_OR_LEAKY, RELU_OR_TANH, SATURATION_FIXES, SMALLER_INIT


def _saturated() -> Finding:
    return Finding("saturated-units", "warning", "100% saturated.", SATURATION_FIXES[True])


@pytest.mark.parametrize(
    ("init", "advised"),
    [
        ("normal_scaled", "(--init glorot_normal)"),
        ("glorot_normal", "(--init normal_scaled)"),
        ("normal", "(--init normal_scaled or --init glorot_normal)"),
        (None, "(--init normal_scaled or --init glorot_normal)"),  # not known: both
    ],
)
def test_the_smaller_initialisers_are_flags_less_the_one_the_run_used(init, advised):
    fix = cli_fix(_saturated(), init)
    assert f"start from smaller weights {advised}" in fix
    assert "init='" not in fix and "'glorot_normal'" not in fix
    assert SMALLER_INIT in _saturated().fix  # the library's own words stay


def test_the_other_python_words_become_flags():
    vanishing = Finding(
        "vanishing-gradient", "warning", "δ vanishes.", f"use fewer logistic layers, {RELU_OR_TANH}"
    )
    assert cli_fix(vanishing) == (
        "use fewer logistic layers, ReLU or tanh hidden layers (--activation relu --init he_normal, "
        "or --activation tanh --init glorot_normal)"
    )
    dead = Finding("dead-relu", "warning", "dead.", f"lower the learning rate, {HE_OR_LEAKY}")
    assert cli_fix(dead, init="normal_scaled") == (
        "lower the learning rate, use --init he_normal, or --activation leaky_relu"
    )
    assert cli_fix(dead, init="he_normal") == "lower the learning rate, use --activation leaky_relu"


def test_diagnose_of_a_default_run_does_not_advise_its_own_initialiser(run, tmp_path):
    trained = run("train", "--seed", "1", "--lr", "100", "--epochs", "6", "--no-plots", "--name", "stuck")
    assert trained.returncode == 0, trained.stderr
    assert "saturated-units" in [f.code for f in diagnose_run(tmp_path / "runs" / "stuck")]

    result = run("diagnose", "runs/stuck")

    rows = [line.split("│")[1:-1] for line in result.stdout.splitlines() if line.startswith("│")]
    fixes = "".join("".join(row[2].split()) for row in rows)  # folded over the table's lines
    assert "startfromsmallerweights(--initglorot_normal)" in fixes
    assert "normal_scaled" not in fixes and "init='" not in fixes
