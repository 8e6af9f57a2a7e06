"""One training step: the batch-averaged gradient, then one optimizer update.

``make_step(net, optimizer, batch_size)`` returns a callable ``step(X_batch, Y_batch) -> C``
that updates ``net`` in place from the batch's averaged gradient and returns the batch's
cost C (computed in the forward pass, before the update). After a call, ``step.a`` holds
the batch's outputs a ``(n_batch, n_out)`` from that same forward pass, so the caller can
count correct predictions without a second forward pass. ``step.a`` may be a view of a
buffer the next call overwrites: read it before stepping again — or pass
``step(X, Y, a_out)``, a C-contiguous ``(n_batch, n_out)`` array of the network's dtype,
and the outputs are written there instead (fit hands each step its rows of one array of
the epoch's outputs and finds the predictions with one argmax per epoch, not per batch).

``step(X, Y, a_out, s)`` with per-sample weights ``s`` ``(n_batch,)`` (the network's dtype,
≥ 0) steps on the weighted average C = Σ s_x C_x / Σ s_x instead, as scikit-learn's MLP does:
δ rows scaled by s_x, the sums divided by Σ s_x. A batch whose weights are all 0 makes no
update at all — the optimizer is not called, so its step count (``iterations``, Adam's t) does
not advance and no L2 decay is applied — and returns C = 0.0 (it weighs nothing in an epoch's
loss). scikit-learn's MLP cannot train on such a batch: its fit stops with
``ZeroDivisionError: Weights sum to zero, can't be normalized`` (``np.average`` of its loss).

Two implementations keep the same contract:

- :class:`Step`, the readable path: exactly ``optimizer.step(net, net._backprop(X, Y, s))``.
- :class:`~deltaprop.training.fast_step.FastStep`, the same arithmetic on buffers allocated
  once and reused every step, which is what :func:`make_step` returns. It agrees with
  :class:`Step` to rounding (1e-12 in float64; the tests check every activation × cost ×
  optimizer). :mod:`.fast_step` says how it is made fast, :mod:`.step_plan` how it chooses,
  per layer, the library of each product and the routine of each σ.

The step re-reads ``net.weights`` and ``net.biases`` on every call, so assigning new
arrays between steps (a callback restoring the best weights, say) is safe. What is fixed
when the step is made: the network's activations, cost and dtype.
"""

from __future__ import annotations

import numpy as np

from ..network import Network
from ..optimizers import Optimizer
from ..passes import Gradients
from .fast_step import FastStep
from .step_plan import EXPIT_MAX_VALUES, NUMPY_MIN_MACS, OPENBLAS_SINGLE_THREAD_MACS, UNCLIPPED_MIN_VALUES

# FastStep and the plan's thresholds stay importable from here, where they were first defined.
__all__ = [
    "EXPIT_MAX_VALUES",
    "NUMPY_MIN_MACS",
    "OPENBLAS_SINGLE_THREAD_MACS",
    "UNCLIPPED_MIN_VALUES",
    "FastStep",
    "Step",
    "make_step",
]


class Step:
    """The generic step: exactly ``optimizer.step(net, net._backprop(X, Y, s))`` — or, for a
    subclass of :class:`Network` with a ``backprop`` of its own, with that method's gradients."""

    def __init__(self, net: Network, optimizer: Optimizer, batch_size: int):
        self.net = net
        self.optimizer = optimizer
        self.a: np.ndarray | None = None
        self._own = type(net).backprop is not Network.backprop  # the learner's own, checked per batch

    def __call__(
        self, X: np.ndarray, Y: np.ndarray, a_out: np.ndarray | None = None, s: np.ndarray | None = None
    ) -> float:
        weighed = s is None or s.any()  # backprop refuses weights that are all 0
        grads = self._gradients(X, Y, s if weighed else None)
        if a_out is not None:
            np.copyto(a_out, grads.a)
        self.a = grads.a if a_out is None else a_out
        if weighed:  # a batch of weight 0 makes no step
            self.optimizer.step(self.net, grads)
        return grads.cost if weighed else 0.0

    def _gradients(self, X, Y, s) -> Gradients:
        """The network's gradients: by its own ``backprop`` where a subclass has one, else by
        ``_backprop`` (a subclass's too); without weights called as ``(X, Y)``, so that a
        learner's two-argument method trains."""
        method = self.net.backprop if self._own else self.net._backprop
        grads = method(X, Y) if s is None else method(X, Y, s)
        if not isinstance(grads, Gradients):
            raise TypeError(
                f"fit steps with {type(self.net).__name__}'s own backprop, which returned a "
                f"{type(grads).__name__}: it must return deltaprop's Gradients, as Network.backprop "
                f"does (get one from super().backprop(X, Y) and change its weights and biases)"
            )
        return grads


def make_step(
    net: Network, optimizer: Optimizer, batch_size: int, *, targets_sum_to_one: bool = False
) -> FastStep | Step:
    """The fastest correct step for this network and optimizer (see :class:`FastStep`).

    ``targets_sum_to_one=True`` promises that every target row sums to 1 (class labels), which
    lets softmax + log-likelihood form its δ with one subtraction. A subclass of
    :class:`Network` with its own ``backprop`` or ``_backprop`` (a learner writing backprop,
    then checking it with ``gradient_check``) trains with it, through :class:`Step`: the fast
    step's arithmetic is the library's backprop, not theirs.
    """
    own = type(net).backprop is not Network.backprop or type(net)._backprop is not Network._backprop
    if own:
        return Step(net, optimizer, batch_size)
    return FastStep(net, optimizer, batch_size, targets_sum_to_one=targets_sum_to_one)
