"""``deltaprop gradcheck`` as the audit ran it: a correct backprop with a vanishing first-layer
gradient FAILed (the rounding of C at ε = 1e-6), a network of dead ReLUs PASSed though nothing
was compared, and one sample was "1 samples"."""

from __future__ import annotations

import json

DEEP = ("gradcheck", "--layers", "20,30,30,30,30,10", "--init", "normal_scaled")
DEAD = ("gradcheck", "--layers", "2,3,2", "--activation", "relu", "--output-activation", "relu")


def test_a_deep_correct_backprop_passes_in_every_layer(run):
    result = run(*DEEP, "--per-layer")
    assert result.returncode == 0, result.stdout
    assert "ε = 3e-06" in result.stdout and "PASS" in result.stdout and "FAIL" not in result.stdout
    assert len([line for line in result.stdout.splitlines() if line.startswith("  into ")]) == 5


def test_the_old_eps_passes_too_thanks_to_the_floor(run):
    """At the old default ε = 1e-6 the same network passes too: the floor, not only the new ε."""
    assert run(*DEEP, "--eps", "1e-6").returncode == 0


def test_dead_relus_are_nothing_to_compare_not_a_pass(run):
    result = run(*DEAD, "--samples", "1", "--seed", "0", "--per-layer")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "1 sample," in lines[0] and "1 samples" not in lines[0]
    assert lines[1].startswith("nothing to compare (all gradients 0") and "PASS" not in result.stdout
    assert all("nothing to compare" in line for line in lines[2:]) and len(lines) == 4
    report = json.loads(run(*DEAD, "--samples", "1", "--seed", "0", "--json").stdout)
    assert report["passed"] is False and report["max_relative_error"] is None
    assert report["nothing_to_compare"] == ["weights[0]", "biases[0]", "weights[1]", "biases[1]"]
    assert set(report["relative_errors"].values()) == {None}


def test_the_header_counts_samples_in_words(run):
    assert ", 2 samples, " in run("gradcheck", "--samples", "2").stdout.splitlines()[0]
