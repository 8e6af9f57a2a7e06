"""The textbook loop: Nielsen's ``network.py`` (chapter 1), per example, for the speed benchmark.

The same algorithm as deltaprop's step, written the way the book writes it: for each example
of a mini-batch, a forward pass on column vectors, backpropagation, and the per-example
gradients summed into ``nabla_w``/``nabla_b``; then w ← w − (η/m) Σ nabla_w. Nielsen stores
w[l] as ``(n_{l+1}, n_l)`` (w_jk from k to j) and column vectors ``(n, 1)``; so does this file,
to stay line-for-line close to the book's code. Only the parts the benchmark needs are here.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime_from_z(z):
    """σ'(z) from the weighted input z, as network.py computes it."""
    return sigmoid(z) * (1 - sigmoid(z))


class TextbookNetwork:
    """``weights[l]`` ``(n_{l+1}, n_l)``, ``biases[l]`` ``(n_{l+1}, 1)``, as in network.py."""

    def __init__(self, weights, biases):
        # From deltaprop's layout (w_ij from i to j, (n_l, n_{l+1})) to the book's.
        self.weights = [np.array(w.T) for w in weights]
        self.biases = [np.array(b).reshape(-1, 1) for b in biases]

    def update_mini_batch(self, xs, ys, eta):
        """One step from the examples (rows of ``xs``, ``ys``) of one mini-batch."""
        nabla_b = [np.zeros(b.shape, dtype=b.dtype) for b in self.biases]
        nabla_w = [np.zeros(w.shape, dtype=w.dtype) for w in self.weights]
        for x, y in zip(xs, ys):
            delta_nabla_b, delta_nabla_w = self.backprop(x.reshape(-1, 1), y.reshape(-1, 1))
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        m = len(xs)
        self.weights = [w - (eta / m) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / m) * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x, y):
        """(∇_b C_x, ∇_w C_x) for one example, quadratic cost, logistic units."""
        nabla_b = [np.zeros(b.shape, dtype=b.dtype) for b in self.biases]
        nabla_w = [np.zeros(w.shape, dtype=w.dtype) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y) * sigmoid_prime_from_z(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, len(self.weights) + 1):
            z = zs[-l]
            sp = sigmoid_prime_from_z(z)
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w
