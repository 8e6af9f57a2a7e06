"""One training step: the batch-averaged gradient, then one optimizer update.

``make_step(net, optimizer, batch_size)`` returns a callable ``step(X_batch, Y_batch) -> C``
that updates ``net`` in place from the batch's averaged gradient and returns the batch's
cost C (computed in the forward pass, before the update). After a call, ``step.a`` holds
the batch's outputs a ``(n_batch, n_out)`` from that same forward pass, so the caller can
count correct predictions without a second forward pass.

This is the readable path: ``net._backprop`` then ``optimizer.step``. The training loop
calls nothing else, so a faster kernel can replace it without touching the loop.
"""

from __future__ import annotations

import numpy as np

from ..network import Network
from ..optimizers import Optimizer


class Step:
    """The generic step: exactly ``optimizer.step(net, net.backprop(X, Y))``."""

    def __init__(self, net: Network, optimizer: Optimizer, batch_size: int):
        self.net = net
        self.optimizer = optimizer
        self.a: np.ndarray | None = None

    def __call__(self, X: np.ndarray, Y: np.ndarray) -> float:
        grads = self.net._backprop(X, Y)
        self.a = grads.a
        self.optimizer.step(self.net, grads)
        return grads.cost


def make_step(net: Network, optimizer: Optimizer, batch_size: int) -> Step:
    """The fastest correct step for this network and optimizer."""
    return Step(net, optimizer, batch_size)
