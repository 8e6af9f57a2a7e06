"""Divergence in ``fit``: the last good state it keeps (weights, biases and optimizer state),
the check that an update left every parameter finite, and the message that says where the
cost stopped being finite and what to try.
"""

from __future__ import annotations

import numpy as np


def snapshot(net, optimizer) -> tuple:
    """Copies of ``net``'s weights and biases and ``optimizer``'s state (with the network it
    belongs to), to go back to."""
    weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    return weights, biases, optimizer.state_dict(), optimizer._network


def restore(net, optimizer, saved: tuple) -> None:
    """Put back what :func:`snapshot` saved into ``net`` and ``optimizer``."""
    weights, biases, state, owner = saved
    net.weights, net.biases = weights, biases
    optimizer.load_state_dict(state)
    optimizer._network = owner  # load_state_dict leaves the state to no network


def params_finite(net) -> bool:
    """Whether every weight and bias of ``net`` is finite."""
    return all(np.isfinite(p).all() for p in (*net.weights, *net.biases))


# How a diverged run's message (DivergenceError's, TerminateOnNaN's stopped_reason, and
# deltaprop train's history) begins: every reader tests it (diagnostics.run.diverged).
DIVERGED = "training diverged"


def divergence_message(C: float, epoch: int, batch: int, steps: int, eta: float, initial_epoch: int) -> str:
    """Where the cost ``C`` stopped being finite (``epoch``, ``batch`` from 0, of ``steps``), the
    weights the network keeps, and a smaller learning rate than ``eta`` to try."""
    kept = (
        f"the weights from the end of epoch {epoch}"
        if epoch > initial_epoch
        else "the weights it had when this fit() began"
    )
    return (
        f"{DIVERGED}: the cost became {C!r} at epoch {epoch + 1}, mini-batch {batch + 1} of "
        f"{steps}, with learning rate η = {eta:g}. The network keeps {kept}. Try a smaller "
        f"learning rate, e.g. η = {eta / 10:g}."
    )
