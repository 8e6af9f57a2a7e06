"""What the two passes over a network return, for one batch of samples.

The forward pass gives a :class:`ForwardPass`: every layer's weighted inputs ``net`` and
outputs ``o``, the last of them the network's output a. Backpropagation gives
:class:`Gradients`: ∂C/∂w and ∂C/∂b averaged over the batch, every layer's δ, and C. Both are
plain records the :class:`~deltaprop.network.Network` fills; index ``l`` of every list names
the same layer of weights, as in :mod:`deltaprop.network`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ForwardPass:
    """Every layer's weighted inputs and outputs for one batch.

    ``net[l]`` is ``(n_samples, n_{l+1})`` for l = 0..L−1; ``o[l]`` is ``(n_samples, n_l)``
    for l = 0..L, with ``o[0] = X`` and ``o[L]`` the network's output a.
    """

    net: list[np.ndarray]
    o: list[np.ndarray]

    @property
    def a(self) -> np.ndarray:
        """The network's output, ``(n_samples, n_L)``."""
        return self.o[-1]

    def __repr__(self) -> str:  # the shapes, not every number
        return f"ForwardPass(n_samples={self.o[0].shape[0]}, sizes={[o.shape[1] for o in self.o]})"


@dataclass(frozen=True)
class Gradients:
    """What backpropagation returns for one batch of n samples.

    ``weights[l]`` = ∂C/∂w ``(n_l, n_{l+1})``, shaped like ``net.weights[l]``;
    ``biases[l]`` = ∂C/∂b ``(n_{l+1},)``; ``deltas[l]`` = δ of layer l + 1 for every sample,
    ``(n_samples, n_{l+1})``; ``cost`` = C averaged over the n samples; ``a`` the outputs
    ``(n_samples, n_L)`` of the forward pass the gradient came from. With per-sample weights
    s (``backprop(X, Y, sample_weight=s)``) the averages are weighted, Σ_x s_x (…) / Σ_x s_x,
    and each row of ``deltas[l]`` is that sample's δ times s_x.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    deltas: list[np.ndarray]
    cost: float
    a: np.ndarray | None = None

    def __repr__(self) -> str:  # a summary: printing every δ of a batch helps nobody
        n_samples = np.shape(self.deltas[0])[0] if self.deltas else 0
        shapes = [tuple(g.shape) for g in self.weights]
        norms = ", ".join(f"{float(np.linalg.norm(g)):.4g}" for g in self.weights)
        return (
            f"Gradients(cost={float(self.cost):.6g}, n_samples={n_samples}, weights={shapes}, "
            f"‖∂C/∂w‖ per layer=[{norms}])"
        )
