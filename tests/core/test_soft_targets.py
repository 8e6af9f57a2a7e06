"""Softmax + log-likelihood with targets whose rows need not sum to 1.

C_x = −Σ_j y_j ln a_j has δ_k = a_k Σ_j y_j − y_k (costs.LogLikelihood), which is the
textbook's a − y only where Σ_j y_j = 1. Rows that sum to 0.5 (soft targets scaled down),
2 (multi-label), 0 (no target) and 1 (soft labels, one-hot rows) are checked here:

* against PyTorch's autograd of −Σ y ln softmax(z) and against
  ``torch.nn.functional.cross_entropy`` with probability targets, float64, to 1e-12;
* against central differences (``gradient_check``) and the textbook loops of
  :mod:`deltaprop.reference`;
* through training: ``fit`` with plain SGD (the fast step) equals a hand loop with the exact δ;
* through ``explain``: the δ it records and prints is backprop's;

and, for one-hot rows, the fast step's exact rule gives the same weights, bit for bit, as
the one-subtraction rule (δ = a − y) it used before for every target.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from core_cases import assert_engine_equals_reference

import deltaprop as dp
from deltaprop.training import fast_step
from deltaprop.training.step import FastStep, Step, make_step
from deltaprop.walkthrough import render_text
from deltaprop.walkthrough.math import fmt

N_SAMPLES = 7
SIZES = [[4, 3], [4, 5, 3], [3, 4, 2, 4]]
ROW_SUMS = ["one_hot", "soft_1", "soft_0.5", "multi_label_2", "zero"]
SCIPY = [True, False] if fast_step._scipy_blas is not None else [False]


def targets(kind: str, n: int, n_out: int, seed: int = 0) -> np.ndarray:
    """Rows ``(n, n_out)`` of one kind; "soft_0.5" sums to 0.5, "multi_label_2" to 2, and so on."""
    rng = np.random.default_rng(seed)
    if kind == "one_hot":
        return np.eye(n_out)[rng.integers(0, n_out, n)]
    if kind == "zero":
        return np.zeros((n, n_out))
    if kind == "multi_label_2":
        Y = np.zeros((n, n_out))
        for row in Y:
            row[rng.choice(n_out, size=2, replace=False)] = 1.0
        return Y
    p = rng.uniform(0.05, 1.0, size=(n, n_out))
    p /= p.sum(axis=1, keepdims=True)
    return p * (0.5 if kind == "soft_0.5" else 1.0)


def case(sizes, kind, seed=0):
    rng = np.random.default_rng([len(sizes), seed])
    net = dp.Network(
        sizes,
        activation="tanh",
        output_activation="softmax",
        cost="log_likelihood",
        init="normal_scaled",
        seed=seed,
    )
    X = rng.normal(size=(N_SAMPLES, sizes[0]))
    return net, X, targets(kind, N_SAMPLES, sizes[-1], seed)


def exact_output_delta(a: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """δ_k = a_k Σ_j y_j − y_k, written out on its own."""
    return a * Y.sum(axis=1)[:, None] - Y


def test_row_sums_are_what_they_say():
    sums = {kind: targets(kind, 5, 4).sum(axis=1) for kind in ROW_SUMS}
    np.testing.assert_allclose(sums["soft_1"], 1.0, rtol=1e-15)
    np.testing.assert_allclose(sums["soft_0.5"], 0.5, rtol=1e-15)
    assert np.all(sums["one_hot"] == 1) and np.all(sums["multi_label_2"] == 2) and np.all(sums["zero"] == 0)


# --- the gradient against PyTorch, central differences and the textbook loops -------------


def torch_gradients(net: dp.Network, X, Y, via_cross_entropy: bool):
    torch = pytest.importorskip("torch")
    weights = [torch.tensor(w, requires_grad=True) for w in net.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in net.biases]
    o, z = torch.tensor(X), None
    for k, (w, b) in enumerate(zip(weights, biases)):
        z = o @ w + b
        o = torch.tanh(z) if k < len(weights) - 1 else None
    z.retain_grad()
    y = torch.tensor(Y)
    if via_cross_entropy:  # probability targets: mean over the batch of −Σ_j y_j log softmax(z)_j
        cost = torch.nn.functional.cross_entropy(z, y)
    else:
        cost = -(y * torch.log_softmax(z, dim=1)).sum() / X.shape[0]
    cost.backward()
    return cost.item(), [w.grad.numpy() for w in weights], [b.grad.numpy() for b in biases], z.grad.numpy()


@pytest.mark.parametrize("via_cross_entropy", [False, True])
@pytest.mark.parametrize("kind", ROW_SUMS)
@pytest.mark.parametrize("sizes", SIZES)
def test_backprop_equals_pytorch(sizes, kind, via_cross_entropy):
    net, X, Y = case(sizes, kind)
    cost, grad_w, grad_b, grad_z = torch_gradients(net, X, Y, via_cross_entropy)
    with np.errstate(all="raise"):
        got = net.backprop(X, Y)
    assert got.cost == pytest.approx(cost, rel=1e-12, abs=1e-12)
    for mine, theirs in zip(got.weights + got.biases, grad_w + grad_b):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
    # deltas are per sample, δ = ∂C_x/∂z: n times the gradient of the batch mean
    np.testing.assert_allclose(got.deltas[-1], N_SAMPLES * grad_z, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got.deltas[-1], exact_output_delta(got.a, Y), rtol=0, atol=1e-15)


@pytest.mark.parametrize("kind", ROW_SUMS)
@pytest.mark.parametrize("sizes", SIZES)
def test_gradient_check_passes(sizes, kind):
    net, X, Y = case(sizes, kind, seed=1)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        error = dp.gradient_check(net, X, Y, eps=1e-5)
    if kind == "zero":  # C = 0 for any weights: every gradient is 0, nothing to compare
        assert np.isnan(error)
    else:
        assert error < 1e-6


@pytest.mark.parametrize("kind", ROW_SUMS)
@pytest.mark.parametrize("sizes", SIZES)
def test_backprop_equals_the_textbook_loops(sizes, kind):
    net, X, Y = case(sizes, kind, seed=2)
    assert_engine_equals_reference(net, X, Y)


def test_the_cost_delta_is_exact_and_a_minus_y_only_where_rows_sum_to_one():
    C, softmax = dp.costs.get("log_likelihood"), dp.activations.get("softmax")
    a = softmax.forward(np.random.default_rng(3).normal(size=(N_SAMPLES, 4)))
    for kind in ROW_SUMS:
        Y = targets(kind, N_SAMPLES, 4)
        delta = C.delta(softmax, a, Y)
        # the full chain rule through the softmax Jacobian, without the simplification
        np.testing.assert_allclose(delta, softmax.delta(a, C.derivative(a, Y)), rtol=0, atol=1e-14)
        if kind == "one_hot":
            assert np.array_equal(delta, a - Y)
        elif kind != "soft_1":
            assert np.max(np.abs(delta - (a - Y))) > 0.1


# --- training: the fast step and fit -----------------------------------------------------


def hand_sgd(net: dp.Network, X, Y, eta: float, batch_size: int, epochs: int) -> dp.Network:
    """Mini-batch SGD in plain NumPy, rows in order, with δ_L = a Σy − y."""
    w, b = [x.copy() for x in net.weights], [x.copy() for x in net.biases]
    for _ in range(epochs):
        for start in range(0, X.shape[0], batch_size):
            xb, yb = X[start : start + batch_size], Y[start : start + batch_size]
            o = [xb]
            for k in range(len(w)):
                z = o[-1] @ w[k] + b[k]
                if k < len(w) - 1:
                    o.append(np.tanh(z))
                else:
                    e = np.exp(z - z.max(axis=1, keepdims=True))
                    o.append(e / e.sum(axis=1, keepdims=True))
            delta = exact_output_delta(o[-1], yb)
            for k in range(len(w) - 1, -1, -1):
                grad_w, grad_b = o[k].T @ delta / len(xb), delta.mean(axis=0)
                if k > 0:
                    delta = (delta @ w[k].T) * (1.0 - o[k] ** 2)
                w[k] -= eta * grad_w
                b[k] -= eta * grad_b
    out = net.copy()
    out.weights, out.biases = w, b
    return out


@pytest.mark.parametrize("kind", ROW_SUMS)
@pytest.mark.parametrize("sizes", SIZES[1:])
def test_fit_with_plain_sgd_equals_a_hand_loop_with_the_exact_delta(sizes, kind):
    rng = np.random.default_rng(4)
    net = dp.Network(sizes, activation="tanh", output_activation="softmax", cost="log_likelihood", seed=4)
    X, Y = rng.normal(size=(23, sizes[0])), targets(kind, 23, sizes[-1], seed=4)
    want = hand_sgd(net, X, Y, eta=0.3, batch_size=5, epochs=3)
    with np.errstate(all="raise"):
        net.fit(X, Y, 3, batch_size=5, learning_rate=0.3, shuffle=False, seed=0)
    for got, expected in zip(net.weights + net.biases, want.weights + want.biases):
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


OPTIMIZERS = {
    "sgd": lambda: dp.SGD(0.4),
    "sgd_l2": lambda: dp.SGD(0.4, l2=2.0, n_train=20),
    "momentum": lambda: dp.SGD(0.2, momentum=0.9),
    "adam": lambda: dp.Adam(0.01),
}


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("kind", ROW_SUMS)
def test_the_fast_step_equals_the_generic_step(kind, optimizer, use_scipy):
    net = dp.Network([4, 5, 3], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=5)
    twin = net.copy()
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(14, 4)), targets(kind, 14, 3, seed=5)
    fast = FastStep(net, OPTIMIZERS[optimizer](), 6, use_scipy=use_scipy)
    generic = Step(twin, OPTIMIZERS[optimizer](), 6)
    for rows in [slice(0, 6), slice(6, 12), slice(12, 14)] * 2:  # with a smaller last batch
        with np.errstate(all="raise"):
            c_fast, c_generic = fast(X[rows], Y[rows]), generic(X[rows], Y[rows])
        assert c_fast == pytest.approx(c_generic, rel=1e-12, abs=1e-15)
        for got, want in zip(net.weights + net.biases, twin.weights + twin.biases):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_a_float32_step_takes_targets_of_another_dtype():
    net = dp.Network([4, 3], output_activation="softmax", cost="log_likelihood", seed=6, dtype=np.float32)
    twin = net.copy()
    X, Y = np.ones((4, 4), dtype=np.float32), targets("multi_label_2", 4, 3)  # Y float64
    FastStep(net, dp.SGD(0.5), 4)(X, Y)
    Step(twin, dp.SGD(0.5), 4)(X, Y.astype(np.float32))
    np.testing.assert_allclose(net.weights[0], twin.weights[0], rtol=1e-6)


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("sizes", SIZES)
def test_one_hot_rows_train_bit_for_bit_as_with_a_minus_y(sizes, use_scipy):
    """For one-hot rows a Σy − y is a · 1 − y = a − y exactly: the step's exact rule and its
    one-subtraction rule (``targets_sum_to_one=True``, the only rule before soft targets were
    handled) give identical weights, and ``fit`` on class labels gives them too."""
    rng = np.random.default_rng(7)
    n, batch, eta = 23, 5, 0.5
    net = dp.Network(sizes, activation="logistic", output_activation="softmax", cost="log_likelihood", seed=7)
    X, labels = rng.normal(size=(n, sizes[0])), rng.integers(0, sizes[-1], n)
    Y = np.eye(sizes[-1])[labels]
    nets = {rule: net.copy() for rule in (True, False)}
    for rule, copy in nets.items():
        step = FastStep(copy, dp.SGD(eta), batch, use_scipy=use_scipy, targets_sum_to_one=rule)
        assert step._output_rule == ("a - y" if rule else "a sum(y) - y")
        for _ in range(2):
            for start in range(0, n, batch):
                step(
                    np.ascontiguousarray(X[start : start + batch]),
                    np.ascontiguousarray(Y[start : start + batch]),
                )
    fitted = net.copy()
    fitted.fit(X, labels, 2, batch_size=batch, learning_rate=eta, shuffle=False, seed=0)
    for old, new, by_fit in zip(
        nets[True].weights + nets[True].biases,
        nets[False].weights + nets[False].biases,
        fitted.weights + fitted.biases,
    ):
        assert np.array_equal(old, new)
        if use_scipy == SCIPY[0]:  # fit takes the default plan
            assert np.array_equal(old, by_fit)
    # and both equal the generic step, which applies the cost's own δ, to rounding
    generic = net.copy()
    step = Step(generic, dp.SGD(eta), batch)
    for _ in range(2):
        for start in range(0, n, batch):
            step(X[start : start + batch], Y[start : start + batch])
    for got, want in zip(nets[False].weights, generic.weights):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_make_step_passes_the_promise_on():
    net = dp.Network([3, 2], output_activation="softmax", cost="log_likelihood")
    assert make_step(net, dp.SGD(0.1), 4)._output_rule == "a sum(y) - y"
    assert make_step(net, dp.SGD(0.1), 4, targets_sum_to_one=True)._output_rule == "a - y"
    # the other simplifying pairs are a − y for any targets: the promise changes nothing there
    logistic = dp.Network([3, 2], output_activation="logistic", cost="cross_entropy")
    assert make_step(logistic, dp.SGD(0.1), 4)._output_rule == "a - y"


# --- explain: what it records and prints is backprop's -----------------------------------


@pytest.mark.parametrize("kind", ROW_SUMS)
def test_explain_prints_backprops_delta(kind):
    net, X, Y = case([3, 4, 3], kind, seed=8)
    X, Y = X[:2], Y[:2]
    trace = dp.explain(net, X, Y, 0.5)
    grads = net.backprop(X, Y)
    for out in trace.outputs:
        assert np.array_equal(out.delta, grads.deltas[-1][:, out.j])
        assert np.array_equal(out.y_sum, Y.sum(axis=1))
        np.testing.assert_allclose(out.a * (out.dC_do - out.softmax_sum), out.delta, rtol=1e-9, atol=1e-12)
    text = render_text(trace, width=100_000)
    lines = [line.strip() for line in text.splitlines() if "the simplified form the engine uses" in line]
    assert len(lines) == 2 * 3  # per sample, per output
    for k, line in enumerate(lines):
        s, j = divmod(k, 3)
        printed = re.sub(r"\s{3}\(.*\)$", "", line).split(" = ")
        assert printed[-1].replace("−", "-") == fmt(grads.deltas[-1][s, j])  # a text minus in the text
        numbers = printed[-2].replace("−", "-").replace("×", "*").replace("(", "").replace(")", "")
        result = float(printed[-1].replace("−", "-"))
        assert eval(numbers, {"__builtins__": {}}) == pytest.approx(result, abs=2e-9)  # noqa: S307
        if kind in ("one_hot", "soft_1"):
            assert " Σ_k y_k " not in printed[1]
        else:
            assert printed[1].endswith(f"Σ_k y_k − y{'₁₂₃'[j]}")
            assert f" × {fmt(Y[s].sum())} − " in printed[2]
    assert ("not 1, so δ is not a − y" in text) == (kind not in ("one_hot", "soft_1"))


def test_fit_promises_rows_summing_to_one_only_for_class_labels(monkeypatch):
    # The one-subtraction δ = a − y is fit's choice for class labels (and one-hot rows, which
    # fit reads as labels); any other targets get the exact a·Σy − y.
    import importlib

    fit_module = importlib.import_module("deltaprop.training.fit")  # the module, not the function
    promised = []
    real = fit_module.make_step

    def spy(*args, **kwargs):
        promised.append(kwargs.get("targets_sum_to_one", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(fit_module, "make_step", spy)
    rng = np.random.default_rng(0)
    X, labels = rng.random((40, 3)), rng.integers(0, 4, 40)
    soft = np.eye(4)[labels] * 0.5
    for Y, expected in ((labels, True), (np.eye(4)[labels], True), (soft, False)):
        net = dp.Network([3, 5, 4], output_activation="softmax", cost="log_likelihood", seed=0)
        net.fit(X, Y, epochs=1, batch_size=8, learning_rate=0.1, seed=0)
        assert promised[-1] is expected
