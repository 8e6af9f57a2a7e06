"""gradient_check catches what it exists to catch: a wrong derivative, a backprop that drops a
factor; and a float32 network is checked for its mathematics, in float64."""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import activations


class WrongLogisticPrime(activations.Logistic):
    """σ' off by 10 %: the kind of slip (a missing factor) gradient checking exists to catch."""

    def prime(self, a, out=None):
        return 1.1 * a * (1.0 - a)


class TanhWithLogisticPrime(activations.Tanh):
    """tanh forward with the derivative of the logistic: the classic mismatched pair."""

    def prime(self, a, out=None):
        return a * (1.0 - a)


@pytest.mark.parametrize("wrong", [WrongLogisticPrime, TanhWithLogisticPrime])
@pytest.mark.parametrize("where", ["hidden", "output"])
def test_gradient_check_detects_a_wrong_derivative(wrong, where):
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(0.1, 0.9, size=(5, 2))
    right = dp.Network([3, 4, 2], activation="logistic", cost="quadratic", seed=1)
    assert dp.gradient_check(right, X, Y) < 1e-7
    acts = [wrong(), "logistic"] if where == "hidden" else ["logistic", wrong()]
    bad = dp.Network.from_arrays(right.weights, right.biases, activation=acts, cost="quadratic")
    assert dp.gradient_check(bad, X, Y) > 1e-2


def test_gradient_check_detects_a_wrong_backprop(monkeypatch):
    """A backprop that forgets σ' in the hidden rule (δ_j = Σ_l w_jl δ_l) is caught."""
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(0.1, 0.9, size=(4, 2))
    net = dp.Network([3, 4, 2], activation="tanh", output_activation="logistic", cost="cross_entropy", seed=2)
    assert dp.gradient_check(net, X, Y) < 1e-7
    monkeypatch.setattr(activations.Tanh, "prime", lambda self, a, out=None: np.ones_like(a))
    assert dp.gradient_check(net, X, Y) > 1e-2


def test_gradient_check_of_a_float32_network_checks_the_mathematics():
    rng = np.random.default_rng(6)
    X, labels = rng.normal(size=(6, 4)), rng.integers(0, 3, 6)
    net = dp.Network(
        [4, 5, 3],
        activation="relu",
        output_activation="softmax",
        cost="log_likelihood",
        seed=3,
        dtype=np.float32,
    )
    assert dp.gradient_check(net, X, labels) < 1e-6
    assert net.dtype == np.float32 and net.weights[0].dtype == np.float32  # not changed


def test_gradient_check_catches_a_wrong_gradient():
    net = dp.Network([3, 4, 2], seed=0)
    X, Y = np.random.default_rng(0).normal(size=(4, 3)), np.full((4, 2), 0.5)

    class Broken(type(net.activations[0])):
        def prime(self, a, out=None):
            return 2.0 * super().prime(a)  # a derivative off by a factor of two

    net.activations[0] = Broken()
    assert dp.gradient_check(net, X, Y) > 1e-2


def test_gradient_check_leaves_the_network_as_it_was():
    """Every parameter is moved by ±ε on a float64 probe, never on the network itself."""
    net = dp.Network([3, 4, 2], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=7)
    kept = [p.copy() for p in net.weights + net.biases]
    error = dp.gradient_check(net, np.random.default_rng(7).normal(size=(3, 3)), [0, 1, 1])
    assert isinstance(error, float) and error < 1e-7
    for got, want in zip(net.weights + net.biases, kept, strict=True):
        np.testing.assert_array_equal(got, want)


def test_gradient_errors_say_which_layer_is_wrong():
    """A wrong σ' in the hidden layer spoils the gradients into it, not those into the output
    (∂C/∂w of the output layer is a_hidden δ_output, and neither uses the hidden σ')."""
    from deltaprop.gradcheck import gradient_errors

    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(0.1, 0.9, size=(5, 2))
    right = dp.Network([3, 4, 2], activation="logistic", cost="quadratic", seed=1)
    bad = dp.Network.from_arrays(right.weights, right.biases, activation=[WrongLogisticPrime(), "logistic"])
    errors = gradient_errors(bad, X, Y)
    assert list(errors) == ["weights[0]", "biases[0]", "weights[1]", "biases[1]"]
    assert errors["weights[0]"] > 1e-2 and errors["biases[0]"] > 1e-2
    assert errors["weights[1]"] < 1e-7 and errors["biases[1]"] < 1e-7
    assert dp.gradient_check(bad, X, Y) == max(errors.values())


def test_gradcheck_command_per_layer(capsys):
    import json

    from deltaprop.cli import main

    assert main(["gradcheck", "--layers", "3,4,4,2", "--activation", "tanh", "--per-layer"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[2:]] == [
        "  into hidden 1 (tanh)",
        "  into hidden 2 (tanh)",
        "  into output (tanh)",
    ]
    assert all("weights[" in line and "biases[" in line and "FAIL" not in line for line in lines[2:])
    assert main(["gradcheck", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["relative_errors"]) == ["weights[0]", "biases[0]", "weights[1]", "biases[1]"]
    assert result["max_relative_error"] == max(result["relative_errors"].values())
