"""The fast step with activations and costs that are not the library's own classes.

A user's own activation (``from_arrays(..., activation=YourActivation())``), or a subclass of a
built-in that changes its math but keeps its name, must train exactly as the readable step
(``optimizer.step(net, net._backprop(X, Y))``) does: the fast step's shortcuts (δ = a − y, no
σ' for a linear layer, SciPy's expit for the logistic, the built-in C) are only for the built-in
classes, and the result of ``forward``/``prime`` counts whether or not it was written into
``out``. The readable step itself is checked against central differences here too.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_step import OPTIMIZERS, SCIPY, _run_side_by_side

import deltaprop as dp
from deltaprop import activations, costs
from deltaprop.activations import Activation
from deltaprop.training import step_plan
from deltaprop.training.fast_step import FastStep


class Softplus(Activation):
    """σ(net) = ln(1 + e^net), σ' = 1 − e^(−a); returns new arrays, never fills ``out``."""

    name = "softplus"

    def forward(self, net, out=None):
        return np.logaddexp(0.0, net)

    def prime(self, a, out=None):
        return -np.expm1(-a)


class SoftplusInPlace(Softplus):
    """The same σ, written into ``out`` when one is given (as the built-ins do)."""

    def forward(self, net, out=None):
        return np.logaddexp(0.0, net, out=out)

    def prime(self, a, out=None):
        out = np.negative(a, out=out)
        np.expm1(out, out=out)
        return np.negative(out, out=out)


def steep(cls: type[Activation]) -> Activation:
    """σ(2·net) from the built-in ``cls``: σ' doubles; the subclass keeps ``cls.name``."""

    class Steep(cls):
        def forward(self, net, out=None):
            return super().forward(2.0 * net, out)

        def prime(self, a, out=None):
            return 2.0 * super().prime(a, out)

        def delta(self, a, dC_da):  # softmax's Jacobian product, doubled; the rest go through prime
            return 2.0 * super().delta(a, dC_da) if cls is activations.Softmax else super().delta(a, dC_da)

    return Steep()


def double(cls: type[costs.Cost]) -> costs.Cost:
    """2 C from the built-in ``cls``: C_x and ∂C_x/∂a doubled; the subclass keeps ``cls.name``."""

    class Double(cls):
        def per_sample(self, a, y):
            return 2.0 * super().per_sample(a, y)

        def derivative(self, a, y):
            return 2.0 * super().derivative(a, y)

    return Double()


HIDDEN_BUILTINS = [activations.Logistic, activations.Tanh, activations.LeakyReLU, activations.Linear]
# The pairs whose output δ the fast step simplifies, or forms by the quadratic's rule.
COST_PAIRS = [
    (costs.Quadratic, "linear"),
    (costs.Quadratic, "logistic"),
    (costs.CrossEntropy, "logistic"),
    (costs.LogLikelihood, "softmax"),
]


def _gradient_check_passes(net):
    X = np.random.default_rng(5).normal(size=(4, net.sizes[0]))
    Y = np.random.default_rng(6).dirichlet(np.ones(net.sizes[-1]), size=4)  # rows sum to 1
    assert dp.gradient_check(net, X, Y) < 1e-6


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("own", [Softplus, SoftplusInPlace], ids=["returns_new", "fills_out"])
def test_an_activation_of_ones_own_steps_as_the_readable_step(own, optimizer, use_scipy):
    for layers in ([own(), "logistic"], ["tanh", own()], [own(), own()]):
        net = dp.Network([5, 7, 3], activation=layers, cost="quadratic", seed=1)
        _gradient_check_passes(net)
        _run_side_by_side(net, OPTIMIZERS[optimizer], eta=0.5, use_scipy=use_scipy)


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("cls", HIDDEN_BUILTINS, ids=lambda cls: cls.name)
def test_a_subclass_of_a_built_in_hidden_activation_steps_with_its_own_math(cls, use_scipy):
    # Batches of 6 × 7 values take SciPy's expit for the built-in logistic, 64 × 40 the
    # unclipped σ: neither may stand in for a subclass.
    for hidden in (7, 40):
        net = dp.Network([5, hidden, 3], activation=[steep(cls), "logistic"], seed=2)
        _gradient_check_passes(net)
        _run_side_by_side(net, OPTIMIZERS["sgd"], eta=0.5, use_scipy=use_scipy)


# Every output activation with the quadratic cost; the probability costs with outputs in (0, 1).
OUTPUT_PAIRS = [(cls, "quadratic") for cls in [*HIDDEN_BUILTINS, activations.Softmax]] + [
    (cls, cost)
    for cls in (activations.Logistic, activations.Softmax)
    for cost in ("cross_entropy", "log_likelihood")
]


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize(("cls", "cost"), OUTPUT_PAIRS, ids=lambda p: getattr(p, "name", p))
def test_a_subclass_of_a_built_in_output_activation_steps_with_its_own_math(cls, cost, use_scipy):
    net = dp.Network([5, 7, 3], activation=["tanh", steep(cls)], cost=cost, seed=3)
    _gradient_check_passes(net)
    _run_side_by_side(net, OPTIMIZERS["sgd"], eta=0.1, use_scipy=use_scipy)


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize(("cls", "output"), COST_PAIRS, ids=lambda p: getattr(p, "name", p))
def test_a_subclass_of_a_built_in_cost_steps_with_its_own_math(cls, output, optimizer, use_scipy):
    net = dp.Network([5, 7, 3], activation="tanh", output_activation=output, cost=double(cls), seed=4)
    _gradient_check_passes(net)
    _run_side_by_side(net, OPTIMIZERS[optimizer], eta=0.1, use_scipy=use_scipy)
    X = np.random.default_rng(0).normal(size=(6, 5))
    Y = np.random.default_rng(1).dirichlet(np.ones(3), size=6)
    a = net.predict(X)
    assert net.backprop(X, Y).cost == pytest.approx(2.0 * cls().value(a, Y), rel=1e-12)


def test_fit_logs_and_steps_with_a_subclassed_cost_and_activation():
    """The reviewer's case: fit's loss and weights are those of backprop, not of the built-ins."""
    X, Y = np.random.default_rng(0).random((8, 3)), np.random.default_rng(1).random((8, 2))
    for act, cost in ((Softplus(), "quadratic"), (steep(activations.Logistic), double(costs.Quadratic))):
        fitted = dp.Network([3, 4, 2], activation=[act, "logistic"], cost=cost, seed=0)
        stepped = fitted.copy()
        history = fitted.fit(X, Y, epochs=1, batch_size=None, learning_rate=1.0, shuffle=False, seed=0)
        grads = stepped.backprop(X, Y)
        dp.SGD(1.0).step(stepped, grads)
        assert history.history["loss"][0] == pytest.approx(grads.cost, rel=1e-12)
        for p, q in zip(fitted.weights + fitted.biases, stepped.weights + stepped.biases):
            np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)


def test_the_built_ins_keep_their_shortcuts():
    """The plan for the library's own classes is unchanged: expit or the unclipped σ for the
    logistic, no σ' for a linear hidden layer, δ = a − y for the pairs that allow it."""
    net = dp.Network([5, 7, 7, 3], activation=["logistic", "linear", "linear"], cost="quadratic", seed=0)
    step = FastStep(net, dp.SGD(0.1), 6, use_scipy=bool(SCIPY[0]))
    assert step._forward[0] in (step_plan._expit, step_plan.logistic_unclipped)
    assert step._hidden_prime[1] is None and step._output_rule == "a - y"
    for output, cost, rule in [
        ("logistic", "cross_entropy", "a - y"),
        ("softmax", "log_likelihood", "a sum(y) - y"),
        ("tanh", "quadratic", "quadratic"),
        ("softmax", "quadratic", "general"),
    ]:
        net = dp.Network([5, 3], activation=output, cost=cost, seed=0)
        assert FastStep(net, dp.SGD(0.1), 6)._output_rule == rule
    own = dp.Network([5, 7, 3], activation=[steep(activations.Linear), steep(activations.Linear)], seed=0)
    own.cost = double(costs.Quadratic)
    step = FastStep(own, dp.SGD(0.1), 6)
    assert step._forward[0] == own.activations[0].forward and step._hidden_prime[0] is not None
    assert step._output_rule == "general"


def test_predict_by_blocks_uses_what_forward_returns(monkeypatch):
    """predict's block path writes each layer's output into a buffer: from forward's result."""
    from deltaprop import _predict

    net = dp.Network([4, 6, 2], activation=Softplus(), seed=0)
    X = np.random.default_rng(0).normal(size=(_predict.BLOCK_ROWS + 5, 4))
    whole = net._forward(X).a
    monkeypatch.setattr(_predict, "WHOLE_BATCH_BYTES", 1024)  # every batch by blocks
    np.testing.assert_allclose(net.predict(X), whole, rtol=1e-12)
