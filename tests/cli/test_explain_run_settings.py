"""``deltaprop explain --model RUN`` says what of the run's training its one plain step leaves out.

A teacher's audit: after ``deltaprop train --data moons --layers 2,4,2 --scale standard``,
``explain --model runs/sc --input 2,1 --target 1`` said only "η = 0.5, the run's learning
rate", and stepped the saved model (the scaling folded in) on the raw input, which is not the
step training takes; a ``--l2 5`` run's weight decay and a schedule's lowered η went unmentioned.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.cli import main


def _train(folder, name: str, *extra: str):
    data = [] if "--data" in extra else ["--data", "moons", "--layers", "2,4,2"]
    args = ["train", *data, "--epochs", "2", "--seed", "1", "--no-plots", "--quiet"]
    assert main([*args, "--out", str(folder), "--name", name, *extra]) == 0
    return folder / name


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    return {
        "scaled": _train(folder, "sc", "--scale", "standard"),
        "l2": _train(folder, "l2", "--l2", "5"),
        "schedule": _train(folder, "sched", "--schedule", "step:0.5:1"),
        "plain": _train(folder, "plain"),
    }


def notes_and_text(capsys, run, *extra: str) -> tuple[str, str]:
    """The notes (stderr, with a document on stdout) and the Markdown walk-through."""
    capsys.readouterr()
    args = ["explain", "--model", str(run), "--input", "2,1", "--target", "1", "--format", "markdown"]
    assert main([*args, *extra]) == 0
    captured = capsys.readouterr()
    return captured.err, captured.out


def cost_after(run, eta: float) -> str:
    trace = dp.explain(dp.load(run / "model.safetensors"), [2.0, 1.0], 1, eta)
    return f"{trace.cost_after:.9f}".rstrip("0")


def test_a_scaled_run_is_told_the_step_is_on_the_folded_model_and_raw_inputs(runs, capsys):
    notes, text = notes_and_text(capsys, runs["scaled"])
    assert notes.splitlines()[1] == (
        "The run trained with --scale standard: on inputs scaled by its training rows' statistics, "
        "o_i = (x_i − μ_i)/s_i. The saved model has that scaling folded into its first layer "
        "(w_ij/s_i, b_j − Σ_i w_ij μ_i/s_i), and this step is on the folded model and the raw input "
        "given: its outputs are the trained network's, but its first layer's ∂C/∂w_ij = x_i δ_j, "
        "not (x_i − μ_i)/s_i · δ_j, so the update differs from the one training takes on the "
        "unfolded weights."
    )
    assert cost_after(runs["scaled"], 0.5) in text  # what is shown: the folded model, raw x = (2, 1)


def test_an_l2_run_is_told_the_decay_factor_this_step_leaves_out(runs, capsys):
    n_train = json.loads((runs["l2"] / "history.json").read_text())["params"]["optimizer"]["n_train"]
    notes, text = notes_and_text(capsys, runs["l2"])
    factor = f"(1 − ηλ/n) = 1 − 0.5 × 5/{n_train} = {1 - 0.5 * 5 / n_train:.6g}"
    assert notes.splitlines()[1] == (
        "The run trained with L2 weight decay, λ = 5 ([training] l2): its gradient of every weight "
        f"had the term (λ/n) w too, so that an SGD step shrank each weight by the factor {factor} "
        "before subtracting η ∂C/∂w. This walk-through leaves that out: its C has no λ/(2n) Σ w² "
        "term, and its step is Δw = −η ∂C/∂w alone."
    )
    assert cost_after(runs["l2"], 0.5) in text
    notes, _ = notes_and_text(capsys, runs["l2"], "--lr", "0.1")  # the factor of the η used
    assert f"= 1 − 0.1 × 5/{n_train} = {1 - 0.1 * 5 / n_train:.6g}" in notes
    assert "the run's learning rate" not in notes


def test_a_scheduled_run_says_which_eta_is_used(runs, capsys):
    config = runs["schedule"] / "config.toml"
    notes, text = notes_and_text(capsys, runs["schedule"])
    assert notes.splitlines() == [
        f"η = 0.5, the run's base learning rate ([training] lr of {config}): its schedule step:0.5:1 "
        "had lowered η to 0.25 by its last epoch (history.json). This step uses the base η; give "
        "--lr 0.25 for the last epoch's."
    ]
    assert "learning rate η = 0.5" in text and cost_after(runs["schedule"], 0.5) in text
    notes, text = notes_and_text(capsys, runs["schedule"], "--lr", "0.25")
    assert notes == "" and cost_after(runs["schedule"], 0.25) in text


def test_a_plain_run_gets_the_eta_line_alone(runs, capsys):
    notes, _ = notes_and_text(capsys, runs["plain"])
    config = runs["plain"] / "config.toml"
    assert notes.splitlines() == [f"η = 0.5, the run's learning rate ([training] lr of {config})"]


def test_the_notes_come_first_on_the_terminal_too(runs, capsys):
    capsys.readouterr()
    assert main(["explain", "--model", str(runs["l2"]), "--input", "2,1", "--target", "1"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the notes, wrapped to the console's width
    assert out.startswith("η = 0.5, the run's learning rate")
    assert out.index("The run trained with L2 weight decay") < out.index("One step of backpropagation")


def test_a_scaled_regression_run_is_told_its_targets_were_folded_too(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2)) * 100  # features and targets in the hundreds: what --scale is for
    rows = "".join(f"{a},{b},{3 * a + 50}\n" for a, b in X)
    (tmp_path / "reg.csv").write_text("a,b,y\n" + rows, encoding="utf-8")
    flags = ["--label-column", "y", "--task", "regression", "--output-activation", "linear"]
    flags += ["--cost", "quadratic", "--scale", "standard", "--layers", "2,3,1"]
    run = _train(tmp_path, "reg", "--data", str(tmp_path / "reg.csv"), *flags)
    notes, _ = notes_and_text(capsys, run)
    assert notes.splitlines()[1].endswith(
        "Real-valued targets of its linear output were scaled too, y' = (y − m)/s_y, and folded into "
        "its output layer: the cost and δ here are in raw target units, training's in scaled ones."
    )


def test_a_scaled_classifier_with_a_linear_output_is_not_told_its_targets_were_scaled(tmp_path, capsys):
    # class labels are never scaled (training.scaling.scaled_targets); the note said they were
    # for any linear output
    flags = ["--output-activation", "linear", "--cost", "quadratic", "--scale", "standard"]
    run = _train(tmp_path, "lc", *flags)
    notes, _ = notes_and_text(capsys, run)
    assert "--scale standard" in notes and "targets" not in notes
