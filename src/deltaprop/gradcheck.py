"""Gradient checking: backprop's ∂C/∂w against central differences of C itself.

For every weight and bias θ, (C(θ + ε) − C(θ − ε)) / 2ε approximates ∂C/∂θ with an error
of order ε². The comparison runs on a float64 copy of the network, so a float32 network is
checked for its mathematics, not its rounding.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_network, check_positive_float, check_X, check_Y
from .network import Network

TINY = 1e-12  # keeps the relative error defined where both gradients vanish


def numerical_gradients(net: Network, X: np.ndarray, Y: np.ndarray, eps: float = 1e-6):
    """Central-difference estimates ``(∂C/∂w list, ∂C/∂b list)``, shaped like the network's parameters.

    ``X`` ``(n, n_0)`` and ``Y`` ``(n, n_L)`` must already be arrays in ``net.dtype`` (no
    labels, no checks: :func:`gradient_check` prepares them). Each parameter of ``net`` is
    moved by ±``eps`` in place and put back, so ``net`` ends as it began.
    """
    estimates = []
    for params in (net.weights, net.biases):
        layer_estimates = []
        for p in params:
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for k in range(flat.size):
                kept = flat[k]
                flat[k] = kept + eps
                c_plus = net.cost.value(net._predict(X), Y)
                flat[k] = kept - eps
                c_minus = net.cost.value(net._predict(X), Y)
                flat[k] = kept
                gflat[k] = (c_plus - c_minus) / (2 * eps)
            layer_estimates.append(g)
        estimates.append(layer_estimates)
    return estimates[0], estimates[1]


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) for one parameter array (0 where both are zero)."""
    diff = np.linalg.norm(analytic - numeric)
    return float(diff / max(np.linalg.norm(analytic) + np.linalg.norm(numeric), TINY))


def gradient_errors(net: Network, X, Y, eps: float = 1e-6) -> dict[str, float]:
    """The relative error ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) of each parameter array, by name.

    ``{"weights[0]": …, "biases[0]": …, "weights[1]": …}``, layer by layer from the input:
    ``weights[l]`` feeds layer l + 1 (Nielsen's w^(l+2)). Where :func:`gradient_check` says a
    backprop is wrong, this says in which layer. Arguments and errors as for it.

    >>> import deltaprop as dp
    >>> from deltaprop.gradcheck import gradient_errors
    >>> errors = gradient_errors(dp.Network([3, 4, 2], seed=0), [[0.1, 0.2, 0.3]], [1])
    >>> list(errors), max(errors.values()) < 1e-7
    (['weights[0]', 'biases[0]', 'weights[1]', 'biases[1]'], True)
    """
    check_network(net)
    eps = check_positive_float(eps, "eps")
    probe = net.copy()
    probe.dtype = np.dtype(np.float64)
    probe._w = [w.astype(np.float64) for w in net.weights]
    probe._b = [b.astype(np.float64) for b in net.biases]
    X = check_X(X, net.sizes[0], np.float64)
    Y = check_Y(Y, net.sizes[-1], X.shape[0], np.float64)
    grads = probe._backprop(X, Y)
    num_w, num_b = numerical_gradients(probe, X, Y, eps)
    errors = {}
    for l in range(net.n_layers):
        errors[f"weights[{l}]"] = relative_error(grads.weights[l], num_w[l])
        errors[f"biases[{l}]"] = relative_error(grads.biases[l], num_b[l])
    return errors


def gradient_check(net: Network, X, Y, eps: float = 1e-6) -> float:
    """The largest relative error, over all weight and bias arrays, between backprop and
    central differences on ``(X, Y)`` (``X`` ``(n, n_0)``, ``Y`` ``(n, n_L)`` or labels ``(n,)``).

    A correct backprop gives about 1e-7 or less; a wrong derivative gives 1e-2 or more.
    The error of the estimate is ~ε² (truncation) plus ~1e-16/ε (rounding), which balance
    near ε = 5e-6 in float64 (the default is 1e-6). Avoid points where a ReLU's net is
    exactly 0 (its kink), where no derivative exists for the differences to estimate. ``net`` is not
    changed. Raises ``TypeError`` when ``net`` is not a :class:`Network`, ``ValueError`` for
    ``eps`` ≤ 0 and, as ``Network.backprop`` does, for ``X`` or ``Y`` that do not fit.
    :func:`gradient_errors` gives the error of each array.

    >>> import deltaprop as dp
    >>> net = dp.Network([3, 4, 2], seed=0)
    >>> dp.gradient_check(net, [[0.1, 0.2, 0.3]], [1]) < 1e-7
    True
    """
    return max(gradient_errors(net, X, Y, eps).values())
