"""The textbook's backpropagation, literally: one example at a time, one neuron at a time.

Written for reading, not for speed, and as the independent witness the vectorised engine
in :mod:`deltaprop.network` is tested against. For each training example x:

1. forward:  net_j = Σ_i o_i w_ij + b_j,  o_j = σ(net_j), layer after layer;
2. output:   δ_j = ∂C_x/∂o_j · σ'(net_j)   (for softmax, Σ_k ∂C_x/∂o_k · ∂o_k/∂net_j);
3. hidden:   δ_j = σ'(net_j) · Σ_k w_jk δ_k, over the neurons k of the next layer that j feeds;
4. gradient: ∂C_x/∂w_ij = o_i δ_j,  ∂C_x/∂b_j = δ_j;

and the batch's gradient is the average of the examples' gradients. No cost/activation
shortcut (such as δ = a − y) is used here: the chain rule is followed all the way.

**Indices, and where they differ from Nielsen's.** Here ``l`` only ever counts layers, and
i, j, k count neurons within a layer, all from 0. Layer 0 is the input: ``o[0]`` is x and
``o[l + 1] = σ(net)`` is the output of the layer that ``w[l]`` feeds. ``w[l][i, j]`` is w_ij,
the weight *from* neuron i of layer l *to* neuron j of layer l + 1; ``b[l][j]`` is the bias of
neuron j of layer l + 1. Nielsen (*Neural Networks and Deep Learning*, ch. 2) counts layers
from 1 at the input and neurons from 1, and writes w^l_jk for the weight *into* neuron j of
layer l *from* neuron k of layer l − 1: the same number is ``w[l][i, j]`` here and
w^(l+2)_(j+1)(i+1) there — the indices swapped, both shifted by one, the layer by two.
Writing m for his layer number, his a^m is ``o[m − 1]`` here, and his BP2,
δ^m = ((w^(m+1))ᵀ δ^(m+1)) ⊙ σ'(z^m), is step 3: for neuron j of layer l the sum over k runs
along row j of ``w[l]``, the weights out of j.

**σ' is computed from the output.** The steps write σ'(net_j), and Nielsen's code calls
``sigmoid_prime(z)``; here ``activation.prime(o)`` takes the output o_j = σ(net_j) instead,
as every activation in :mod:`deltaprop.activations` allows: o (1 − o) for logistic, 1 − o²
for tanh, and for relu and leaky_relu 1 or the slope by the sign of o, which is that of net.
The values are the same; only the argument differs.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_X, check_Y
from .network import Gradients, Network

__all__ = ["backprop"]  # help(deltaprop.reference) lists this, not the helpers it imports


def _layer_output(activation, net_values: list[float], dtype) -> list[float]:
    """σ applied to one layer's weighted inputs (softmax needs the whole layer at once)."""
    return list(activation.forward(np.array([net_values], dtype=dtype))[0])


def _activation_jacobian(activation, o: list[float], dtype) -> list[list[float]]:
    """∂o_k/∂net_j for one layer: diagonal σ'(net_j) for elementwise σ, full for softmax."""
    n = len(o)
    if activation.elementwise:
        prime = activation.prime(np.array([o], dtype=dtype))[0]
        return [[prime[j] if k == j else 0.0 for j in range(n)] for k in range(n)]
    return [[o[k] * ((1.0 if k == j else 0.0) - o[j]) for j in range(n)] for k in range(n)]


def backprop(net: Network, X, Y) -> Gradients:
    """∂C/∂w, ∂C/∂b, δ and C for a batch, by explicit loops over examples and neurons.

    ``X`` is ``(n_samples, n_0)``, ``Y`` is ``(n_samples, n_L)`` or integer class labels
    ``(n_samples,)``, checked and converted as :meth:`Network.backprop` does; the result has
    the same layout as its :class:`Gradients`, the outputs ``a`` ``(n_samples, n_L)`` included.
    """
    X = check_X(X, net.sizes[0], net.dtype)
    Y = check_Y(Y, net.sizes[-1], X.shape[0], net.dtype)
    w, b, sigma, L = net.weights, net.biases, net.activations, net.n_layers
    n = X.shape[0]
    grad_w = [np.zeros_like(wl) for wl in w]
    grad_b = [np.zeros_like(bl) for bl in b]
    deltas = [np.zeros((n, wl.shape[1]), dtype=net.dtype) for wl in w]
    outputs = np.zeros((n, w[-1].shape[1]), dtype=net.dtype)
    total_cost = 0.0

    for x in range(n):
        # 1. forward, neuron by neuron
        o = [list(X[x])]
        for l in range(L):
            n_in, n_out = w[l].shape
            net_l = [sum(o[l][i] * w[l][i, j] for i in range(n_in)) + b[l][j] for j in range(n_out)]
            o.append(_layer_output(sigma[l], net_l, net.dtype))
        a, y = np.array([o[L]], dtype=net.dtype), np.array([Y[x]], dtype=net.dtype)
        outputs[x] = o[L]
        total_cost += net.cost.value(a, y)

        # 2. output layer: δ_j = Σ_k ∂C/∂o_k · ∂o_k/∂net_j
        dC_do = net.cost.derivative(a, y)[0]
        jac = _activation_jacobian(sigma[L - 1], o[L], net.dtype)
        delta = [sum(dC_do[k] * jac[k][j] for k in range(len(o[L]))) for j in range(len(o[L]))]
        deltas[L - 1][x] = delta

        # 3. hidden layers, back to front: δ_j = σ'(net_j) Σ_k w_jk δ_k, with σ' from the output o
        for l in range(L - 1, 0, -1):
            prime = sigma[l - 1].prime(np.array([o[l]], dtype=net.dtype))[0]
            n_here, n_next = w[l].shape
            delta = [prime[j] * sum(w[l][j, k] * delta[k] for k in range(n_next)) for j in range(n_here)]
            deltas[l - 1][x] = delta

        # 4. ∂C_x/∂w_ij = o_i δ_j, averaged over the batch
        for l in range(L):
            n_in, n_out = w[l].shape
            for j in range(n_out):
                grad_b[l][j] += deltas[l][x, j] / n
                for i in range(n_in):
                    grad_w[l][i, j] += o[l][i] * deltas[l][x, j] / n

    return Gradients(grad_w, grad_b, deltas, total_cost / n, outputs)
