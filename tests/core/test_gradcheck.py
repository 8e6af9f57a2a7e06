"""gradient_check catches what it exists to catch: a wrong derivative, a backprop that drops a
factor; and a float32 network is checked for its mathematics, in float64."""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import activations
from deltaprop.network import Network


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


class HalvedWeightGradients(Network):
    """A subclass whose backprop returns ∂C/∂w halved: wrong, and gradient_check must say so."""

    def backprop(self, X, Y, sample_weight=None):
        grads = super().backprop(X, Y, sample_weight)
        for g in grads.weights:
            g *= 0.5
        return grads


def test_gradient_check_checks_a_subclasss_own_backprop():
    """The check runs on a copy of the network: of its class, so the subclass's backprop is checked."""
    net = HalvedWeightGradients([3, 4, 2], seed=0)
    assert type(net.copy()) is HalvedWeightGradients
    # ‖g − 2g‖ / (‖g‖ + ‖2g‖) = 1/3 for every weight array
    assert dp.gradient_check(net, [[0.1, 0.2, 0.3]], [1]) == pytest.approx(1 / 3, rel=1e-4)
    errors = dp.gradcheck.gradient_errors(net, [[0.1, 0.2, 0.3]], [1])
    assert errors["biases[0]"] < 1e-7 and errors["weights[0]"] == pytest.approx(1 / 3, rel=1e-4)


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


# --- what the audit found: a correct backprop failed, a check of nothing passed, 1-D x refused


def _deep_logistic_case():
    """The network and batch of ``deltaprop gradcheck --layers 20,30,30,30,30,10 --init
    normal_scaled``: its first layer's gradient vanishes (‖g‖ ≈ 3e-3), so at ε = 1e-6 the
    rounding of C alone made its plain relative error 1.2e-6, a FAIL of a correct backprop."""
    net = dp.Network([20, 30, 30, 30, 30, 10], init="normal_scaled", seed=0)
    rng = np.random.default_rng([0, 1])
    X = rng.normal(size=(5, 20))
    Y = np.eye(10)[rng.integers(0, 10, size=5)]
    return net, X, Y


def test_a_vanishing_gradient_is_not_failed_for_the_rounding_of_c():
    from deltaprop.gradcheck import gradient_errors, numerical_gradients, relative_error

    net, X, Y = _deep_logistic_case()
    errors = gradient_errors(net, X, Y)
    assert max(errors.values()) < 1e-7, errors
    # What failed before: the plain relative error, without the floor, at the old ε = 1e-6.
    g, (g_hat, _) = net.backprop(X, Y).weights[0], numerical_gradients(net.copy(), X, Y, 1e-6)
    assert relative_error(g, g_hat[0]) > 1e-6
    # The backprop was right all along: PyTorch's autograd agrees with it.
    torch = pytest.importorskip("torch")
    w = [torch.tensor(a, requires_grad=True) for a in net.weights]
    b = [torch.tensor(a, requires_grad=True) for a in net.biases]
    a = torch.tensor(X)
    for wl, bl in zip(w, b):
        a = torch.sigmoid(a @ wl + bl)
    (0.5 * ((a - torch.tensor(Y)) ** 2).sum(dim=1).mean()).backward()
    np.testing.assert_allclose(g, w[0].grad.numpy(), rtol=1e-12, atol=1e-18)


class DeltaMissing(activations.Logistic):
    """σ' with neuron 0's term dropped: one δ of the layer is always 0."""

    def prime(self, a, out=None):
        d = a * (1.0 - a)
        d[:, 0] = 0.0
        return d


class ScaledLogisticPrime(activations.Logistic):
    """σ' off by a constant factor 0.77."""

    def prime(self, a, out=None):
        return 0.77 * a * (1.0 - a)


@pytest.mark.parametrize("wrong", [ScaledLogisticPrime, DeltaMissing])
@pytest.mark.parametrize("layer", [0, 2, 4])
def test_a_wrong_backprop_still_fails_where_the_gradient_vanishes(wrong, layer):
    """The floor that spares the vanishing first layer its rounding does not hide a wrong σ'
    or a missing δ there, nor anywhere else (layer 0 is the first hidden layer, 4 the output)."""
    net, X, Y = _deep_logistic_case()
    acts = ["logistic"] * 5
    acts[layer] = wrong()
    bad = dp.Network.from_arrays(net.weights, net.biases, activation=acts, cost="quadratic")
    assert dp.gradient_check(bad, X, Y) > 1e-3


def test_dead_relus_leave_nothing_to_compare_and_never_pass():
    """Every ReLU dead: every gradient is exactly 0, backprop's and the differences' alike,
    and the check compared nothing; it said 0.0, a PASS. Now each such array is NaN, and
    gradient_check is the largest error over the arrays that were compared, NaN if none."""
    from deltaprop.gradcheck import gradient_errors, relative_error

    assert np.isnan(relative_error(np.zeros(3), np.zeros(3)))
    w = [np.ones((2, 3)), np.ones((3, 2))]
    X, Y = np.array([[0.5, 0.2]]), np.array([[1.0, 0.0]])
    dead = dp.Network.from_arrays(w, [np.full(3, -5.0), np.full(2, -5.0)], activation="relu")
    errors = gradient_errors(dead, X, Y)
    assert all(np.isnan(e) for e in errors.values()), errors
    assert np.isnan(dp.gradient_check(dead, X, Y))
    # Hidden layer dead, outputs alive: only the output biases have a gradient to compare.
    half = dp.Network.from_arrays(w, [np.full(3, -5.0), np.full(2, 0.3)], activation="relu")
    errors = gradient_errors(half, X, Y)
    assert [name for name, e in errors.items() if not np.isnan(e)] == ["biases[1]"]
    assert dp.gradient_check(half, X, Y) == errors["biases[1]"] < 1e-7


def test_one_sample_as_a_1d_x_as_explain_takes_it():
    """Mazur's example holds one sample as a 1-D x; explain takes it, and so does the check."""
    from deltaprop.walkthrough import examples

    ex = examples.mazur()
    error = dp.gradient_check(ex.net, ex.x, ex.y)
    assert error == dp.gradient_check(ex.net, ex.x.reshape(1, -1), ex.y.reshape(1, -1)) < 1e-7
    net, x = dp.Network([3, 4, 2], seed=0), np.array([0.1, 0.2, 0.3])
    for label in (1, [1]):  # one class label, as explain takes it
        assert dp.gradient_check(net, x, label) == dp.gradient_check(net, [x], [1])


def test_a_backprop_returning_nan_fails_and_is_not_nothing_to_compare(monkeypatch):
    # NaN gradients are a wrong backprop: skipped as "nothing to compare", the check passed
    original = Network._backprop

    def broken(self, X, Y, s=None):
        grads = original(self, X, Y, s)
        grads.biases[0][:] = np.nan
        return grads

    monkeypatch.setattr(Network, "_backprop", broken)
    net, X = dp.Network([3, 4, 2], seed=0), np.random.default_rng(0).normal(size=(5, 3))
    assert dp.gradient_check(net, X, [0, 1, 0, 1, 1]) == np.inf
    assert dp.gradient_errors(net, X, [0, 1, 0, 1, 1])["biases[0]"] == np.inf
