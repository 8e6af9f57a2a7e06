"""What the trace of a large network keeps: per-layer statistics and the largest terms.

Every trace carries these (:class:`~deltaprop.walkthrough.trace.Trace` ``layers``,
``top_weights`` and ``top_neurons``); when the network has more than ``max_neurons`` neurons
they are all the renderers show, in place of the records of :mod:`.neurons`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..network import ForwardPass, Gradients, Network
from .neurons import WeightStep, weight_step


@dataclass(frozen=True)
class Stats:
    """Range, mean and Euclidean norm of an array."""

    min: float
    max: float
    mean: float
    norm: float

    @classmethod
    def of(cls, values: np.ndarray) -> Stats:
        values = np.asarray(values, dtype=np.float64)
        return cls(
            float(values.min()), float(values.max()), float(values.mean()), float(np.linalg.norm(values))
        )


@dataclass(frozen=True)
class LayerSummary:
    """Layer ``layer`` (1..L) of neurons, with the weights ``weights[layer-1]`` feeding it.

    Statistics over every sample and neuron (net, o, δ) or every weight (∂C/∂w, Δw).
    """

    layer: int
    n_neurons: int
    activation: str
    net: Stats
    o: Stats
    delta: Stats
    grad_w: Stats
    grad_b: Stats
    change_w: Stats


@dataclass(frozen=True)
class NeuronDelta:
    """A neuron ranked by mean |δ| over the batch (``score``); arrays are ``(n_samples,)``."""

    layer: int
    j: int
    net: np.ndarray
    o: np.ndarray
    delta: np.ndarray
    score: float


def layer_summaries(net: Network, fp: ForwardPass, grads: Gradients, stepped: Network):
    """Per-layer statistics of net, o, δ, ∂C/∂w, ∂C/∂b and Δw (what a large network shows)."""
    return tuple(
        LayerSummary(
            layer=l + 1,
            n_neurons=net.sizes[l + 1],
            activation=net.activation_names[l],
            net=Stats.of(fp.net[l]),
            o=Stats.of(fp.o[l + 1]),
            delta=Stats.of(grads.deltas[l]),
            grad_w=Stats.of(grads.weights[l]),
            grad_b=Stats.of(grads.biases[l]),
            change_w=Stats.of(stepped.weights[l] - net.weights[l]),
        )
        for l in range(net.n_layers)
    )


def top_weights(trace, k: int) -> list[WeightStep]:
    """The k weights with the largest |∂C/∂w| over all layers, largest first; none with ∂C/∂w = 0."""
    flat = [(l, g.ravel()) for l, g in enumerate(trace.gradients.weights)]
    candidates = []
    for l, g in flat:
        take = min(k, g.size)
        idx = np.argpartition(-np.abs(g), take - 1)[:take]
        candidates += [(abs(float(g[p])), l, int(p)) for p in idx]
    candidates = [c for c in candidates if c[0] > 0.0]  # a zero gradient is no "largest" term
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    steps = []
    for _, l, p in candidates[:k]:
        i, j = divmod(p, trace.gradients.weights[l].shape[1])
        steps.append(weight_step(trace, l, i, j))
    return steps


def top_neurons(fp: ForwardPass, grads: Gradients, k: int) -> list[NeuronDelta]:
    """The k neurons with the largest mean |δ| over the batch, largest first; none with δ = 0."""
    candidates = []
    for l, d in enumerate(grads.deltas):
        score = np.abs(d).mean(axis=0)
        take = min(k, score.size)
        for j in np.argpartition(-score, take - 1)[:take]:
            if score[j] > 0.0:  # δ = 0 (an inactive ReLU, say) is no "largest" term
                candidates.append((float(score[j]), l, int(j)))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    return [
        NeuronDelta(
            layer=l + 1, j=j, net=fp.net[l][:, j], o=fp.o[l + 1][:, j], delta=grads.deltas[l][:, j], score=s
        )
        for s, l, j in candidates[:k]
    ]
