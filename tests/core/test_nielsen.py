"""Backprop and the update against Nielsen's own code (*Neural Networks and Deep Learning*).

``nielsen_backprop`` and ``nielsen_update`` below are his ``network.py`` / ``network2.py``
``backprop`` and ``update_mini_batch``, kept line for line in his layout (column vectors, one
example at a time, ``w[j, k]`` from neuron k into neuron j: the transpose of deltaprop's
``weights[l][i, j]``) and ported to Python 3. They are the four equations of chapter 2:

    BP1  δ^L = ∇_a C ⊙ σ'(z^L)                  (cross-entropy with σ: δ^L = a − y)
    BP2  δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l)
    BP3  ∂C/∂b^l_j = δ^l_j
    BP4  ∂C/∂w^l_jk = a^{l−1}_k δ^l_j

and the mini-batch step of chapter 3 with L2 regularisation,
w → (1 − ηλ/n) w − (η/m) Σ_x ∂C_x/∂w,  b → b − (η/m) Σ_x ∂C_x/∂b,
with n the training set size and m the mini-batch size (λ = 0 is chapter 1's rule).
"""

import numpy as np
import pytest

import deltaprop as dp

SIZES = [4, 5, 3, 2]
TOL = dict(rtol=1e-12, atol=1e-14)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def nielsen_backprop(weights, biases, x, y, cost):
    """Nielsen's ``Network.backprop(x, y)``: (nabla_b, nabla_w) for one example, and every δ."""
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    activation = x
    activations = [x]
    zs = []
    for b, w in zip(biases, weights):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    if cost == "quadratic":  # network.py: cost_derivative(a, y) * sigmoid_prime(z)
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    else:  # network2.py, CrossEntropyCost.delta(z, a, y)
        delta = activations[-1] - y
    deltas = [delta]
    nabla_b[-1] = delta
    nabla_w[-1] = np.dot(delta, activations[-2].transpose())
    for l in range(2, len(weights) + 1):
        z = zs[-l]
        sp = sigmoid_prime(z)
        delta = np.dot(weights[-l + 1].transpose(), delta) * sp
        deltas.insert(0, delta)
        nabla_b[-l] = delta
        nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
    return nabla_b, nabla_w, deltas


def nielsen_update(weights, biases, mini_batch, eta, lmbda, n, cost):
    """Nielsen's ``update_mini_batch(mini_batch, eta, lmbda, n)`` of network2.py."""
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    for x, y in mini_batch:
        delta_nabla_b, delta_nabla_w, _ = nielsen_backprop(weights, biases, x, y, cost)
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    weights = [(1 - eta * (lmbda / n)) * w - (eta / len(mini_batch)) * nw for w, nw in zip(weights, nabla_w)]
    biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(biases, nabla_b)]
    return weights, biases


def in_nielsens_layout(net: dp.Network):
    """deltaprop's weights[l] (n_l, n_{l+1}) as his w (n_{l+1}, n_l), biases as columns."""
    return [w.T.copy() for w in net.weights], [b.reshape(-1, 1).copy() for b in net.biases]


def batch(seed: int, m: int = 6):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, SIZES[0])), rng.uniform(0.05, 0.95, size=(m, SIZES[-1]))


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_every_delta_and_gradient_is_nielsens_bp1_to_bp4(cost):
    net = dp.Network(SIZES, cost=cost, init="normal_scaled", seed=11)
    X, Y = batch(11)
    grads = net.backprop(X, Y)
    weights, biases = in_nielsens_layout(net)
    sums_w = [np.zeros(w.shape) for w in weights]
    sums_b = [np.zeros(b.shape) for b in biases]
    for k in range(len(X)):
        nabla_b, nabla_w, deltas = nielsen_backprop(weights, biases, X[k : k + 1].T, Y[k : k + 1].T, cost)
        for l, delta in enumerate(deltas):  # BP1, BP2: δ of example k, a column in his layout
            np.testing.assert_allclose(grads.deltas[l][k], delta[:, 0], **TOL)
        sums_w = [s + g for s, g in zip(sums_w, nabla_w)]
        sums_b = [s + g for s, g in zip(sums_b, nabla_b)]
    for l in range(net.n_layers):  # BP3, BP4, averaged over the batch
        np.testing.assert_allclose(grads.weights[l], sums_w[l].T / len(X), **TOL)
        np.testing.assert_allclose(grads.biases[l], sums_b[l][:, 0] / len(X), **TOL)


@pytest.mark.parametrize(
    ("cost", "lmbda"), [("quadratic", 0.0), ("cross_entropy", 0.0), ("cross_entropy", 5.0)]
)
def test_three_sgd_steps_are_nielsens_update_mini_batch(cost, lmbda):
    eta, n = 0.5, 1000  # n: the training set size in his λ/n
    net = dp.Network(SIZES, cost=cost, init="normal_scaled", seed=12)
    weights, biases = in_nielsens_layout(net)
    opt = dp.SGD(eta, l2=lmbda, n_train=n)
    for step in range(3):
        X, Y = batch(100 + step)
        opt.step(net, net.backprop(X, Y))
        mini_batch = [(X[k : k + 1].T, Y[k : k + 1].T) for k in range(len(X))]
        weights, biases = nielsen_update(weights, biases, mini_batch, eta, lmbda, n, cost)
    for l in range(net.n_layers):
        np.testing.assert_allclose(net.weights[l], weights[l].T, **TOL)
        np.testing.assert_allclose(net.biases[l], biases[l][:, 0], **TOL)
    start = dp.Network(SIZES, init="normal_scaled", seed=12)
    assert np.abs(net.weights[-1] - start.weights[-1]).max() > 1e-2  # the steps really moved
