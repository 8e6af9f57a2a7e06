"""Each diagnostic is triggered by a run built to show it, and silent on a healthy run."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.diagnostics import Diagnostics, Finding, GradientStats, diagnose

SERIOUS = ("warning", "error")


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    data = load_digits()
    return data.data[:900], data.target[:900]  # raw pixels 0..16


def _train(net, X, y, epochs=5, eta=3.0, extra=()):
    """Train with the two diagnostics callbacks; return (findings of diagnose, the callback's, history)."""
    stats = GradientStats(probe_size=128)
    live = Diagnostics(stats=stats, probe_size=128)
    history = dp.fit(net, X, y, epochs=epochs, learning_rate=eta, seed=0, callbacks=[stats, live, *extra])
    return diagnose(net, history, X, y, stats), live, history


def _codes(findings):
    return {f.code for f in findings}


def test_a_healthy_run_raises_no_warning(digits):
    X, y = digits
    # Nielsen's ch. 3 weights: with N(0, 1) ones this quadratic-cost run reaches 58 % but never
    # predicts the digits 0, 3, 6 and 8 (classes-never-predicted), which is not healthy
    net = dp.Network([64, 30, 10], init="normal_scaled", seed=0)
    found, live, history = _train(net, X / 16.0, y, epochs=5, eta=3.0)
    assert history.history["accuracy"][-1] > 0.9  # it learns
    assert [f for f in found if f.severity in SERIOUS] == []
    assert [f for f in live.findings if f.severity in SERIOUS] == []


def test_a_healthy_softmax_run_raises_nothing_at_all(digits):
    X, y = digits
    net = dp.Network([64, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    found, live, _ = _train(net, X / 16.0, y, epochs=4, eta=0.5)
    assert found == [] and live.findings == []


def test_eta_100_with_softmax_makes_the_cost_rise(digits):
    X, y = digits
    net = dp.Network([64, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    found, live, history = _train(net, X / 16.0, y, epochs=4, eta=100.0)
    assert {"cost-rising", "chance-level"} <= _codes(found)
    assert {"cost-rising", "chance-level"} <= _codes(live.findings)  # seen live, too
    rising = next(f for f in found if f.code == "cost-rising")
    assert (
        rising.severity == "error"
        and "η = 100" in rising.message
        and "divide the learning rate" in rising.fix
    )
    assert len(history) == 4  # the callback collected; it did not stop training


def test_eta_100_with_logistic_outputs_saturates_and_stalls_at_chance(digits):
    X, y = digits
    found, _, _ = _train(dp.Network([64, 30, 10], seed=0), X / 16.0, y, epochs=6, eta=100.0)
    assert {"chance-level", "cost-flat", "saturated-units"} <= _codes(found)
    # The cost fell a long way in the first epoch, then froze: η = 100 is not "too low", and
    # raising it 10× (the advice for a cost that never moved) would make things worse.
    flat = next(f for f in found if f.code == "cost-flat")
    assert "a learning rate too low would not have done" in flat.message and "η = 100" in flat.message
    assert "lower the learning rate" in flat.fix and "raise" not in flat.fix


def test_eta_100_on_a_relu_regression_diverges():
    X, y = dp.datasets.load("digits", split="train")
    net = dp.Network([64, 30, 10], activation="relu", output_activation="linear", seed=0)
    found, live, history = _train(net, X, y, epochs=3, eta=100.0, extra=[dp.TerminateOnNaN()])
    assert history.stopped_reason is not None
    assert "diverged" in _codes(found) and "diverged" in _codes(live.findings)


def test_a_non_finite_cost_in_a_history_is_a_divergence():
    net = dp.Network([2, 2, 1], seed=0)
    found = diagnose(net, {"loss": [0.5, float("inf")], "lr": [10.0, 10.0]})
    assert [f.code for f in found] == ["diverged"]
    assert "η = 10" in found[0].message


def test_a_cost_that_zigzags_is_oscillating():
    net = dp.Network([2, 2, 1], seed=0)
    found = diagnose(net, {"loss": [1.0, 0.6, 0.9, 0.5, 0.8, 0.45, 0.7], "accuracy": [0.6] * 7})
    assert "cost-oscillating" in _codes(found)


def test_a_tiny_learning_rate_barely_moves_the_cost(digits):
    X, y = digits
    found, _, _ = _train(dp.Network([64, 30, 10], seed=0), X / 16.0, y, epochs=6, eta=1e-4)
    assert {"cost-flat", "chance-level"} <= _codes(found)
    flat = next(f for f in found if f.code == "cost-flat")
    assert "η = 0.0001 is too low" in flat.message and "raise the learning rate by 10×" in flat.fix
    assert "saturated-units" not in _codes(found)


def test_unscaled_pixels_saturate_the_hidden_layer_and_stick_at_chance(digits):
    X, y = digits
    found, live, _ = _train(dp.Network([64, 30, 10], seed=0), X * 16.0, y, epochs=5)  # 0..256
    assert {"unscaled-inputs", "saturated-units", "chance-level", "vanishing-gradient"} <= _codes(found)
    assert _codes(live.findings) == _codes(found)  # what was seen live is what holds at the end
    unscaled = next(f for f in found if f.code == "unscaled-inputs")
    assert "256" in unscaled.message and "whole numbers 0..256 as pixels" in unscaled.message
    assert unscaled.fix.startswith("divide every feature by 256 before training (x / 256")


def _mnist_subset(n: int):
    """The first ``n`` test images as raw 0..255 pixels (as stored in the IDX file), labels."""
    root = os.environ.get("DELTAPROP_DATA")
    if not root or not (Path(root) / "mnist" / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip("real MNIST not found: set DELTAPROP_DATA to a folder holding mnist/t10k-*-ubyte.gz")
    X, y = dp.datasets.load_mnist("test", data_dir=root, download=False, dtype=np.float64)
    return np.rint(X[:n] * 255).astype(np.uint8), y[:n]  # the loader's x/255, undone exactly


@pytest.mark.mnist
def test_a_784_3_10_logistic_net_on_raw_mnist_is_stuck_at_chance():
    X, y = _mnist_subset(1500)  # raw 0..255 pixels, as read from the IDX file
    found, live, history = _train(dp.Network([784, 3, 10], seed=0), X, y, epochs=3)
    assert history.history["accuracy"][-1] < 0.2
    assert {"chance-level", "unscaled-inputs", "saturated-units"} <= _codes(found)
    assert {"chance-level", "unscaled-inputs", "saturated-units"} <= _codes(live.findings)


def test_saturated_logistic_units_are_found_from_the_weights():
    rng = np.random.default_rng(0)
    X, y = rng.random((64, 8)), rng.integers(0, 2, 64)
    net = dp.Network([8, 6, 1], seed=0)
    net.weights = [net.weights[0] * 40.0, net.weights[1]]  # |net| ≫ 5 for nearly every sample
    found = diagnose(net, None, X, y)
    assert "saturated-units" in _codes(found)
    healthy = dp.Network([8, 6, 1], init="glorot_normal", seed=0)
    assert "saturated-units" not in _codes(diagnose(healthy, None, X, y))


def test_saturated_units_in_a_run_that_learns_are_information_not_a_warning():
    rng = np.random.default_rng(0)
    X, y = rng.random((64, 8)), rng.integers(0, 2, 64)
    net = dp.Network([8, 6, 1], seed=0)
    net.weights = [net.weights[0] * 40.0, net.weights[1]]
    runs = {
        "learned": {"loss": [0.3, 0.2, 0.15], "accuracy": [0.80, 0.88, 0.93]},
        "learning": {"loss": [0.6, 0.5, 0.45], "accuracy": [0.60, 0.66, 0.70]},
        "stuck": {"loss": [0.69, 0.69, 0.69], "accuracy": [0.52, 0.52, 0.521]},
    }
    severity = {}
    for name, history in runs.items():
        (found,) = [f for f in diagnose(net, history, X, y) if f.code == "saturated-units"]
        severity[name] = found.severity
        if found.severity == "info":
            assert "still learns (training accuracy" in found.message and "learning rate" in found.fix
    assert severity == {"learned": "info", "learning": "info", "stuck": "warning"}
    (no_history,) = [f for f in diagnose(net, None, X, y) if f.code == "saturated-units"]
    assert no_history.severity == "warning"


def test_dead_relu_units_are_found_after_a_too_large_step(digits):
    X, y = digits
    net = dp.Network(
        [64, 30, 10], activation="relu", output_activation="softmax", cost="log_likelihood", seed=0
    )
    found, live, _ = _train(net, X / 16.0, y, epochs=4, eta=5.0)
    dead = next(f for f in found if f.code == "dead-relu")
    assert dead.severity == "warning" and "leaky_relu" in dead.fix
    assert "dead-relu" in _codes(live.findings)


def test_some_dead_relu_units_are_only_an_info():
    rng = np.random.default_rng(0)
    X, y = rng.random((50, 4)), rng.integers(0, 3, 50)
    net = dp.Network(
        [4, 10, 3], activation="relu", output_activation="softmax", cost="log_likelihood", seed=0
    )
    biases = [b.copy() for b in net.biases]
    biases[0][:3] = -100.0  # 3 of 10 neurons can never fire
    net.biases = biases
    dead = [f for f in diagnose(net, None, X, y) if f.code == "dead-relu"]
    assert len(dead) == 1 and dead[0].severity == "info" and "30%" in dead[0].message


@pytest.mark.parametrize(
    ("output", "cost", "code", "severity"),
    [
        ("softmax", "quadratic", "softmax-quadratic", "info"),
        ("softmax", "cross_entropy", "output-cost-mismatch", "warning"),
        ("logistic", "log_likelihood", "output-cost-mismatch", "warning"),
        ("linear", "cross_entropy", "output-cost-mismatch", "error"),
        ("tanh", "log_likelihood", "output-cost-mismatch", "error"),
    ],
)
def test_output_activations_and_costs_that_do_not_fit(output, cost, code, severity):
    net = dp.Network([4, 5, 3], output_activation=output, cost=cost, seed=0)
    found = [f for f in diagnose(net) if f.code == code]
    assert len(found) == 1 and found[0].severity == severity
    assert (
        cost in found[0].message or cost.replace("_", "-") in found[0].message or "cost" in found[0].message
    )


def test_the_natural_pairs_raise_nothing():
    for output, cost in (
        ("softmax", "log_likelihood"),
        ("logistic", "cross_entropy"),
        ("linear", "quadratic"),
    ):
        assert diagnose(dp.Network([4, 5, 3], output_activation=output, cost=cost, seed=0)) == []


def test_one_output_for_many_classes_and_targets_out_of_range():
    X = np.random.default_rng(0).random((30, 4))
    single = dp.Network([4, 5, 1], seed=0)
    found = diagnose(single, None, X, np.arange(30) % 5)
    assert "single-output-multiclass" in _codes(found)
    two = dp.Network([4, 5, 2], seed=0)
    found = diagnose(two, None, X, np.full((30, 2), 3.0))
    assert "targets-out-of-range" in _codes(found)


def test_a_column_of_labels_is_labels_not_targets_out_of_range():
    """df[["label"]] gives labels as a column (n, 1), which fit reads as labels for several
    outputs; the output check took them for targets 0..4 beyond a softmax's (0, 1), an error."""
    X = np.random.default_rng(0).random((30, 4))
    net = dp.Network([4, 5, 5], output_activation="softmax", seed=0)
    labels = np.arange(30) % 5
    assert _codes(diagnose(net, None, X, labels.reshape(-1, 1))) == _codes(diagnose(net, None, X, labels))
    assert "targets-out-of-range" not in _codes(diagnose(net, None, X, labels.reshape(-1, 1)))


def test_findings_are_sorted_most_severe_first_and_print_in_words(digits):
    X, y = digits
    found, _, _ = _train(dp.Network([64, 30, 10], seed=0), X * 16.0, y, epochs=3)
    order = {"error": 0, "warning": 1, "info": 2}
    assert [order[f.severity] for f in found] == sorted(order[f.severity] for f in found)
    text = str(found[0])
    assert text.startswith(found[0].severity + ":") and "Fix:" in text


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="severity"):
        Finding("x", "fatal", "m", "f")
    with pytest.raises(TypeError, match="Network"):
        diagnose("not a network")
    with pytest.raises(TypeError, match="history"):
        diagnose(dp.Network([2, 2]), history=[1, 2, 3])
    with pytest.raises(ValueError, match="every"):
        Diagnostics(every=0)
    with pytest.raises(TypeError, match="GradientStats"):
        Diagnostics(stats="no")


def test_a_regression_that_has_converged_is_not_called_flat():
    # No accuracy to show it learned: a cost that came down from 1.71 to 0.105 and settled
    # is convergence; a cost that never came down is still flagged.
    from deltaprop.diagnostics import check_learning_rate

    converged = dp.History()
    stuck = dp.History()
    for epoch, (good, bad) in enumerate(
        zip([1.71, 0.6, 0.2, 0.1050, 0.1049, 0.1049, 0.1048], [1.71, 1.70, 1.70, 1.69, 1.69, 1.69, 1.69])
    ):
        converged.append(epoch, {"loss": good, "lr": 0.5})
        stuck.append(epoch, {"loss": bad, "lr": 0.5})
    assert "cost-flat" not in _codes(check_learning_rate(converged, initial_cost=1.9))
    assert "cost-flat" in _codes(check_learning_rate(stuck, initial_cost=1.9))
