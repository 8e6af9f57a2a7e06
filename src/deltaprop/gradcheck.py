"""Gradient checking: backprop's ∂C/∂w against central differences of C itself.

For every weight and bias θ, ĝ = (C(θ + ε) − C(θ − ε)) / 2ε approximates ∂C/∂θ. Its error
has two parts: truncation, ~ε² ∂³C/∂θ³ / 6, which grows with ε, and rounding: C(θ ± ε) are
each off by about u·|C| (u = 2.2e-16, float64's unit roundoff), so ĝ is off by about
u·|C|/ε, which grows as ε shrinks. The comparison runs on a float64 copy of the network, so
a float32 network is checked for its mathematics, not its rounding.

Each parameter array's gradient g (backprop) is compared with ĝ by the relative error

    ‖g − ĝ‖ / max(‖g‖ + ‖ĝ‖, ν / RESOLUTION),    ν = √n · u · |C| / ε,

where n is the array's size and ν the size of ĝ's rounding over the array. Where
‖g‖ + ‖ĝ‖ is large, this is the plain relative error; where it is small (a vanishing gradient
deep in a network), rounding alone would make the plain one large for a correct backprop,
and the floor ν / RESOLUTION keeps the error to what the differences can resolve: a
difference ‖g − ĝ‖ of the size of the rounding ν counts as RESOLUTION. An array whose
gradients are all 0, or smaller than ν (a dead ReLU layer, a saturated network), has nothing
to compare: its error is NaN, never 0.

The defaults were measured over 841 random networks (depths 1 to 5, every hidden activation,
every output activation and cost ``train`` accepts, ``normal`` and ``normal_scaled`` weights,
float64, 5 samples), each checked with its right backprop and with wrong ones: σ′ × 0.77, or
one neuron's δ dropped, in each layer in turn (4,165), at ε from 1e-7 to 1e-3. Of the 744
whose outputs were not saturated under a log cost, at ε = 3e-6 every correct backprop gave
1.5e-7 or less (99 % below 5e-8; 9 had nothing to compare), and every wrong one 1e-6 or more
but 11, each of which changed every array's gradient by less than 1e-6 of its size or less
than 10 ν: below what any check can see. At ε = 1e-6 rounding, and at ε ≥ 1e-5 truncation,
brought correct backprops nearer 1e-6 (2 FAILs at 1e-5); without the floor 12 correct ones
FAILed at ε = 1e-6, as the audit's vanishing first layer did (1.2e-6). Log costs of saturated
outputs (a or 1 − a below 1e-6) cannot be checked this way: C is computed from a, and
1 − a has lost its digits there.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import check_network, check_positive_float, check_sample_or_batch
from .network import Network

DEFAULT_EPS = 3e-6  # the ε at which rounding and truncation balance best (module docstring)
RESOLUTION = 1e-7  # the relative error that a difference as large as ĝ's rounding counts as
UNIT_ROUNDOFF = float(np.finfo(np.float64).eps)


def numerical_gradients(net: Network, X: np.ndarray, Y: np.ndarray, eps: float = DEFAULT_EPS):
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


def relative_error(analytic: np.ndarray, numeric: np.ndarray, rounding: float = 0.0) -> float:
    """‖g − ĝ‖ / max(‖g‖ + ‖ĝ‖, rounding / RESOLUTION) for one parameter array; NaN where
    ‖g‖ + ‖ĝ‖ ≤ ``rounding`` (ν, the size of ĝ's rounding): nothing to compare, all
    gradients 0 included; inf where either holds a NaN or an infinity (a backprop that
    returns one is wrong, not "nothing to compare")."""
    if not (np.isfinite(analytic).all() and np.isfinite(numeric).all()):
        return math.inf
    total = float(np.linalg.norm(analytic) + np.linalg.norm(numeric))
    if total <= rounding:
        return math.nan
    return float(np.linalg.norm(analytic - numeric) / max(total, rounding / RESOLUTION))


def gradient_errors(net: Network, X, Y, eps: float = DEFAULT_EPS) -> dict[str, float]:
    """The relative error of each parameter array, by name (see the module docstring).

    ``{"weights[0]": …, "biases[0]": …, "weights[1]": …}``, layer by layer from the input:
    ``weights[l]`` feeds layer l + 1 (Nielsen's w^(l+2)). Where :func:`gradient_check` says a
    backprop is wrong, this says in which layer. NaN for an array with nothing to compare (all
    its gradients 0, or below the rounding of the differences). Arguments and errors as for
    :func:`gradient_check`.

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
    X, Y = check_sample_or_batch(X, Y, net.sizes[0], net.sizes[-1], np.float64)
    grads = probe.backprop(X, Y)  # the public method: a subclass's own backprop is what is checked
    num_w, num_b = numerical_gradients(probe, X, Y, eps)
    cost = abs(probe.cost.value(probe._predict(X), Y))
    errors = {}
    for l in range(net.n_layers):
        pairs = (("weights", grads.weights[l], num_w[l]), ("biases", grads.biases[l], num_b[l]))
        for name, g, g_hat in pairs:
            rounding = math.sqrt(g.size) * UNIT_ROUNDOFF * cost / eps  # ν
            errors[f"{name}[{l}]"] = relative_error(g, g_hat, rounding)
    return errors


def gradient_check(net: Network, X, Y, eps: float = DEFAULT_EPS) -> float:
    """The largest relative error, over all weight and bias arrays, between backprop and
    central differences on ``(X, Y)``: ``X`` ``(n, n_0)``, ``Y`` ``(n, n_L)`` or labels
    ``(n,)``; or one sample, ``x`` ``(n_0,)`` with its target ``(n_L,)`` or label.

    A correct backprop gives about 1e-7 or less; a wrong derivative gives 1e-2 or more
    (1e-6 or more where it changes the gradient by little). The error is relative to the
    gradients, with a floor where they are too small for central differences to resolve
    (the module docstring says how, and how the default ε = 3e-6 was chosen). NaN when
    nothing could be compared: every gradient 0 (dead ReLUs) or below the rounding of the
    differences. Avoid points where a ReLU's net is exactly 0 (its kink), where no
    derivative exists for the differences to estimate. ``net`` is not changed. Raises
    ``TypeError`` when ``net`` is not a :class:`Network`, ``ValueError`` for ``eps`` ≤ 0
    and, as ``Network.backprop`` does, for ``X`` or ``Y`` that do not fit.
    :func:`gradient_errors` gives the error of each array.

    >>> import deltaprop as dp
    >>> net = dp.Network([3, 4, 2], seed=0)
    >>> dp.gradient_check(net, [[0.1, 0.2, 0.3]], [1]) < 1e-7
    True
    """
    compared = [e for e in gradient_errors(net, X, Y, eps).values() if not math.isnan(e)]
    return max(compared, default=math.nan)
