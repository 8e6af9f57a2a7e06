"""Every neuron and every parameter of the step, one record each (what a small network shows).

:func:`~deltaprop.walkthrough.trace.explain` keeps these records when the network has at most
``max_neurons`` neurons: the forward pass neuron by neuron (:class:`NeuronForward`), the δ of
each output and hidden neuron (:class:`OutputError`, :class:`HiddenError`) and each weight's
and bias's step (:class:`WeightStep`, :class:`BiasStep`). The builders read δ, the gradients
and the new parameters from the engine's ``ForwardPass``, ``Gradients`` and stepped network;
they only multiply out the per-term breakdowns (the o_i w_ij, the w_jk δ_k) for display.
``weights[l][i, j]`` is w_ij from neuron i of layer l to neuron j of layer l + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..costs import LogLikelihood
from ..network import ForwardPass, Gradients, Network


@dataclass(frozen=True)
class NeuronForward:
    """Neuron ``j`` of layer ``layer`` (1..L) in the forward pass; arrays are per sample.

    ``w_in`` ``(n_{layer-1},)`` holds the w_ij into j, ``o_in`` ``(n_samples, n_{layer-1})``
    the o_i feeding it and ``terms`` their products o_i w_ij; ``net`` = Σ terms + ``b``
    and ``o`` = σ(net), both ``(n_samples,)``.
    """

    layer: int
    j: int
    w_in: np.ndarray
    o_in: np.ndarray
    terms: np.ndarray
    b: float
    net: np.ndarray
    o: np.ndarray


@dataclass(frozen=True)
class OutputError:
    """δ of output neuron ``j``: ∂C/∂o_j ``dC_do``, σ'(net_j) ``sigma_prime`` and ``delta``.

    ``simplified`` says the engine used the pair's simplified δ (the cost/activation pair
    allows it): a − y, or for softmax with log-likelihood a Σ_k y_k − y, with ``y_sum`` the
    Σ_k y_k of each sample (None for every other pair); ``sums_to_one`` says, per sample,
    that Σ_k y_k is 1 to rounding, so that this δ reads a − y. ``dC_do`` and ``sigma_prime``
    are recorded anyway, and their product equals ``delta`` up to rounding. For softmax,
    σ' is not elementwise: ``sigma_prime`` is None and ``softmax_sum`` holds
    Σ_k ∂C/∂a_k a_k, so that δ_j = a_j (∂C/∂a_j − softmax_sum). ``cost_share`` is this
    output's term of C_x. Arrays are ``(n_samples,)``.
    """

    j: int
    y: np.ndarray
    a: np.ndarray
    net: np.ndarray
    cost_share: np.ndarray
    dC_do: np.ndarray
    sigma_prime: np.ndarray | None
    softmax_sum: np.ndarray | None
    delta: np.ndarray
    simplified: bool
    y_sum: np.ndarray | None = None
    sums_to_one: np.ndarray | None = None


@dataclass(frozen=True)
class HiddenError:
    """δ of hidden neuron ``j`` of layer ``layer`` (1..L−1).

    ``w_out`` ``(n_{layer+1},)`` holds the w_jk out of j (in the ``"post"`` variant the
    already-updated ones), ``delta_next`` ``(n_samples, n_{layer+1})`` the δ_k they carry
    back, ``terms`` the products w_jk δ_k; ``total`` = Σ_k w_jk δ_k = ∂C/∂o_j, then
    δ_j = ``total`` · ``sigma_prime``. ``net``, ``o``, ``total``, ``sigma_prime`` and
    ``delta`` are ``(n_samples,)``.
    """

    layer: int
    j: int
    net: np.ndarray
    o: np.ndarray
    w_out: np.ndarray
    delta_next: np.ndarray
    terms: np.ndarray
    total: np.ndarray
    sigma_prime: np.ndarray
    delta: np.ndarray


@dataclass(frozen=True)
class WeightStep:
    """Weight w_ij of ``weights[l]``: o_i and δ_j per sample, then ∂C/∂w_ij = mean(o_i δ_j),
    Δw_ij = −η ∂C/∂w_ij, and ``old`` → ``new``; ``new`` = ``old`` + ``change`` exactly when
    added in the network's dtype (float32 networks round the sum to float32)."""

    l: int
    i: int
    j: int
    o_i: np.ndarray
    delta_j: np.ndarray
    grad: float
    change: float
    old: float
    new: float


@dataclass(frozen=True)
class BiasStep:
    """Bias b_j of ``biases[l]``: ∂C/∂b_j = mean(δ_j), Δb_j and the new value.

    ``updated`` is False when the step left biases untouched (``update_biases=False``):
    ``change`` is then 0 and ``new`` == ``old``.
    """

    l: int
    j: int
    delta_j: np.ndarray
    grad: float
    change: float
    old: float
    new: float
    updated: bool


def neuron_records(net: Network, fp: ForwardPass):
    """The forward pass neuron by neuron: each term o_i w_ij of net_j, then o_j."""
    return tuple(
        NeuronForward(
            layer=l + 1,
            j=j,
            w_in=net.weights[l][:, j].copy(),
            o_in=fp.o[l],
            terms=fp.o[l] * net.weights[l][:, j],
            b=float(net.biases[l][j]),
            net=fp.net[l][:, j],
            o=fp.o[l + 1][:, j],
        )
        for l in range(net.n_layers)
        for j in range(net.sizes[l + 1])
    )


def output_errors(net: Network, fp: ForwardPass, grads: Gradients, Y: np.ndarray, simplifies: bool):
    """Each output neuron's ∂C/∂o, σ'(net) (or softmax's sum term) and δ."""
    out_fn, cost = net.activations[-1], net.cost
    a = fp.o[-1]
    dC_da = cost.derivative(a, Y)
    softmax_sum = None if out_fn.elementwise else np.sum(dC_da * a, axis=1)
    prime_out = out_fn.prime(a) if out_fn.elementwise else None
    shares = _cost_shares(cost.name, a, Y)
    y_sum = sums_to_one = None
    if simplifies and isinstance(cost, LogLikelihood):  # δ = a Σ_k y_k − y (costs.LogLikelihood)
        y_sum = np.sum(Y, axis=1)
        # 1 to the rounding of a sum of n_L numbers: then a Σy − y is a − y to that rounding.
        sums_to_one = np.abs(y_sum - 1.0) <= Y.shape[1] * np.finfo(Y.dtype).eps
    return tuple(
        OutputError(
            j=j,
            y=Y[:, j],
            a=a[:, j],
            net=fp.net[-1][:, j],
            cost_share=shares[:, j],
            dC_do=dC_da[:, j],
            sigma_prime=None if prime_out is None else prime_out[:, j],
            softmax_sum=softmax_sum,
            delta=grads.deltas[-1][:, j],
            simplified=simplifies,
            y_sum=y_sum,
            sums_to_one=sums_to_one,
        )
        for j in range(net.sizes[-1])
    )


def hidden_errors(net: Network, fp: ForwardPass, grads: Gradients, weights_back: list[np.ndarray]):
    """Each hidden neuron's terms w_jk δ_k, their sum, σ'(net_j) and δ_j, front to back.

    ``weights_back`` are the weights δ travels back through: the network's own, or (the
    post's variant) the already updated ones.
    """
    hidden = []
    for l in range(net.n_layers - 1, 0, -1):  # hidden layer l of neurons, fed back through weights[l]
        w = weights_back[l]
        # Σ_k w_jk δ_k for every j at once, the same product the engine forms.
        totals = grads.deltas[l] @ w.T
        prime = net.activations[l - 1].prime(fp.o[l])
        for j in range(net.sizes[l]):
            hidden.append(
                HiddenError(
                    layer=l,
                    j=j,
                    net=fp.net[l - 1][:, j],
                    o=fp.o[l][:, j],
                    w_out=w[j].copy(),
                    delta_next=grads.deltas[l],
                    terms=grads.deltas[l] * w[j],
                    total=totals[:, j],
                    sigma_prime=prime[:, j],
                    delta=grads.deltas[l - 1][:, j],
                )
            )
    hidden.sort(key=lambda h: (h.layer, h.j))
    return tuple(hidden)


def bias_steps(net: Network, stepped: Network, grads: Gradients, eta: float, update_biases: bool):
    """Each bias: δ_j, ∂C/∂b_j, Δb_j and the new value (unchanged where biases are kept)."""
    return tuple(
        BiasStep(
            l=l,
            j=j,
            delta_j=grads.deltas[l][:, j],
            grad=float(grads.biases[l][j]),
            change=float(-(eta * grads.biases[l][j])) if update_biases else 0.0,
            old=float(net.biases[l][j]),
            new=float(stepped.biases[l][j]),
            updated=bool(update_biases),
        )
        for l in range(net.n_layers)
        for j in range(net.sizes[l + 1])
    )


def weight_step(trace, l: int, i: int, j: int) -> WeightStep:
    """The record of w_ij of ``weights[l]``, read from ``trace``."""
    grad = trace.gradients.weights[l][i, j]
    return WeightStep(
        l=l,
        i=i,
        j=j,
        o_i=trace.forward.o[l][:, i],
        delta_j=trace.gradients.deltas[l][:, j],
        grad=float(grad),
        # The optimizer subtracts η·g; −(η·g) is that same product, so old + change == new.
        change=float(-(trace.learning_rate * grad)),
        old=float(trace.weights_before[l][i, j]),
        new=float(trace.weights_after[l][i, j]),
    )


def _cost_shares(cost_name: str, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each output's term of C_x, ``(n_samples, n_L)``, for display (C itself is the engine's).

    quadratic ½(y_j − a_j)², cross-entropy −[y_j ln a_j + (1 − y_j) ln(1 − a_j)],
    log-likelihood −y_j ln a_j; NaN for a cost this module does not know.
    """
    eps = np.finfo(a.dtype).eps
    p = np.clip(a, eps, 1.0 - eps)
    if cost_name == "quadratic":
        return 0.5 * (y - a) ** 2
    if cost_name == "cross_entropy":
        return -(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    if cost_name == "log_likelihood":
        return -(y * np.log(p))
    return np.full_like(a, np.nan)
