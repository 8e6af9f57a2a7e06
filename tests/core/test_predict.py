"""The forward pass's front doors (``predict``, ``predict_classes``, ``evaluate``,
``predict_proba``) against a forward pass written out here from the textbook equations."""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import activations


def manual_forward(net: dp.Network, X: np.ndarray) -> np.ndarray:
    """o = σ(o w + b) layer by layer, σ written out here (softmax minus the row max)."""
    sigma = {
        "logistic": lambda z: 1.0 / (1.0 + np.exp(-z)),
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0),
        "leaky_relu": lambda z: np.where(z > 0, z, activations.LEAKY_SLOPE * z),
        "linear": lambda z: z,
        "softmax": lambda z: (
            np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)
        ),
    }
    o = np.asarray(X, dtype=np.float64)
    for w, b, name in zip(net.weights, net.biases, net.activation_names):
        o = sigma[name](o @ w.astype(np.float64) + b.astype(np.float64))
    return o


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_predict_classes_and_evaluate_equal_a_manual_forward_pass(dtype):
    rng = np.random.default_rng(8)
    net = dp.Network(
        [5, 7, 6, 4],
        activation=["tanh", "leaky_relu"],
        output_activation="softmax",
        cost="log_likelihood",
        seed=4,
        dtype=dtype,
    )
    X, labels = rng.normal(size=(300, 5)), rng.integers(0, 4, 300)
    a = manual_forward(net, X)
    tol = dict(rtol=1e-12, atol=1e-14) if dtype == np.float64 else dict(rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(net.predict(X), a, **tol)
    np.testing.assert_allclose(net.forward(X).a, a, **tol)
    np.testing.assert_array_equal(net.predict_classes(X), net.predict(X).argmax(1))
    cost = -np.mean(np.log(a[np.arange(300), labels]))
    accuracy = np.mean(a.argmax(1) == labels)
    for batch_size in (None, 1, 7, 128, 300):
        logs = dp.training.evaluate(net, X, labels, batch_size=batch_size)
        assert logs["loss"] == pytest.approx(cost, rel=1e-12 if dtype == np.float64 else 1e-5)
        assert logs["accuracy"] == pytest.approx(accuracy, abs=1 / 300 if dtype == np.float32 else 0)
    assert net.evaluate(X, labels)["loss"] == pytest.approx(cost, rel=1e-12 if dtype == np.float64 else 1e-5)
    assert net.cost_value(X, labels) == pytest.approx(cost, rel=1e-12 if dtype == np.float64 else 1e-5)


def test_single_output_accuracy_and_cost_by_hand():
    rng = np.random.default_rng(9)
    net = dp.Network([3, 4, 1], activation="relu", output_activation="logistic", cost="cross_entropy", seed=1)
    X, y = rng.normal(size=(50, 3)), rng.integers(0, 2, 50)
    a = manual_forward(net, X)[:, 0]
    logs = net.evaluate(X, y)
    assert logs["accuracy"] == np.mean((a > 0.5) == y)
    cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert logs["loss"] == pytest.approx(cost, rel=1e-12)
    np.testing.assert_array_equal(net.predict_classes(X), (a > 0.5).astype(int))


def test_predict_in_blocks_equals_the_manual_forward_pass():
    """Large batches go through ``predict``'s blocked path (> 2048 rows, > 16 MB a layer)."""
    rng = np.random.default_rng(10)
    net = dp.Network([6, 1100, 3], activation="relu", output_activation="softmax", seed=5, init="he_normal")
    X = rng.normal(size=(2500, 6))
    assert 1100 * 2500 * 8 > 16 * 2**20  # the blocked path is taken
    np.testing.assert_allclose(net.predict(X), manual_forward(net, X), rtol=1e-12, atol=1e-15)
    # and rows do not depend on which block they fall in
    np.testing.assert_allclose(net.predict(X[2047:2050]), net.predict(X)[2047:2050], rtol=1e-13, atol=1e-16)


def test_sklearn_predict_proba_equals_the_networks_softmax_outputs():
    from deltaprop.sklearn import DeltapropClassifier

    rng = np.random.default_rng(11)
    X, y = rng.normal(size=(60, 4)), rng.integers(0, 3, 60)
    clf = DeltapropClassifier(hidden_layer_sizes=(5,), epochs=3, batch_size=10, random_state=0).fit(X, y)
    a = manual_forward(clf.network_, X)
    np.testing.assert_allclose(clf.predict_proba(X), a, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[a.argmax(1)])
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), a, rtol=1e-12, atol=1e-15)
    # a logistic output: clipped at 0 and normalised per row
    clf = DeltapropClassifier(
        hidden_layer_sizes=(5,), output_activation="logistic", epochs=2, batch_size=10, random_state=0
    ).fit(X, y)
    a = manual_forward(clf.network_, X)
    np.testing.assert_allclose(clf.predict_proba(X), a / a.sum(1, keepdims=True), rtol=1e-12)
