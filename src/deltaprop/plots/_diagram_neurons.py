"""Which neurons a network diagram draws of a layer too tall to draw whole.

The ones that matter for the picture, in their index order: of the input layer, the largest
|x| of the sample drawn; of a layer with δ, the largest |δ|, ranked as the walk-through ranks
the neurons it names (:func:`deltaprop.walkthrough.summary.top_neurons`); otherwise, or to
fill up when fewer are non-zero, the neurons with the largest weights (‖w‖ of a neuron's
incoming weights; of an input neuron, its outgoing ones). Each layer says which rule chose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..passes import ForwardPass, Gradients

BY_X, BY_DELTA, BY_WEIGHTS = "largest |x|", "largest |δ|", "largest ‖w‖"


@dataclass(frozen=True)
class Shown:
    """The neurons drawn of a layer of ``n``, in index order, and ``why`` (None when all are)."""

    neurons: list[int]
    n: int
    why: str | None

    @property
    def truncated(self) -> bool:
        return len(self.neurons) < self.n


def shown_neurons(net, max_neurons: int, fp: ForwardPass | None, grads: Gradients | None) -> list[Shown]:
    """Per layer m = 0..L, the neurons drawn; ``fp`` and ``grads`` of the example drawn
    (its first sample) where there is one, ``grads`` None without a target."""
    layers = []
    for m, n in enumerate(net.sizes):
        if n <= max_neurons:
            layers.append(Shown(list(range(n)), n, None))
            continue
        if m == 0 and fp is not None:
            first, why = _largest(np.abs(fp.o[0][0]), max_neurons), BY_X
        elif m > 0 and grads is not None:
            first, why = _largest_delta(fp, grads, m, max_neurons), BY_DELTA
        else:
            first, why = [], BY_WEIGHTS
        norms = (
            np.linalg.norm(net.weights[0], axis=1) if m == 0 else np.linalg.norm(net.weights[m - 1], axis=0)
        )
        rest = [i for i in _largest(norms, n) if i not in set(first)]
        if first and len(first) < max_neurons:
            why = f"{why}, then {BY_WEIGHTS}"
        layers.append(Shown(sorted(first + rest[: max_neurons - len(first)]), n, why))
    return layers


def _largest(score: np.ndarray, k: int) -> list[int]:
    """The indices of the k largest non-zero scores, largest first (the lower index of a tie)."""
    order = np.argsort(-score, kind="stable")[:k]
    return [int(i) for i in order if score[i] > 0.0]


def _largest_delta(fp: ForwardPass, grads: Gradients, m: int, k: int) -> list[int]:
    """The k neurons of layer m with the largest mean |δ|, as the walk-through names them: its
    own ranking, given layer m alone."""
    from ..walkthrough.summary import top_neurons

    one_layer = ForwardPass(net=[fp.net[m - 1]], o=[fp.o[m - 1], fp.o[m]])
    deltas = Gradients(weights=[], biases=[], deltas=[grads.deltas[m - 1]], cost=float(grads.cost))
    return [neuron.j for neuron in top_neurons(one_layer, deltas, k)]


def check_drawable(net) -> None:
    """Refuse (ValueError) a network whose weights or biases hold NaN or ∞ — a diverged run —
    naming them: no line width or colour scale can show them (matplotlib failed deep inside)."""
    for kind, arrays in (("weights", net.weights), ("biases", net.biases)):
        bad = [l for l, arr in enumerate(arrays) if not np.isfinite(arr).all()]
        if bad:
            raise ValueError(f"net.{kind}[{bad[0]}] holds NaN or ∞ (a diverged run?): nothing to draw")
