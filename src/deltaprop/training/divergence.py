"""Divergence in ``fit``: the last good state it keeps (weights, biases and optimizer state),
the check that an update left every parameter finite, and the message that says where the
cost stopped being finite and what to try.

A step computes its cost in the forward pass, before its update. So a cost already
non-finite on a call's first mini-batch comes from the weights, inputs, targets or sample
weights the call began with, not from any update: a smaller learning rate cannot help, and
:func:`start_message` says so and gives their magnitudes instead.
"""

from __future__ import annotations

import numpy as np

from ..errors import DivergenceError


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


def end_diverged(
    run,
    good: tuple,
    good_at: tuple[int, int],
    C: float,
    epoch: int,
    batch: int,
    terminate_on_nan: bool,
    before_update: bool,
) -> None:
    """End ``fit``'s ``run`` where the cost ``C`` of mini-batch ``batch`` of ``epoch`` (from 0)
    was not finite: put back the last good state ``good`` (:func:`snapshot`), the position it
    was taken at ``good_at`` (epoch, batch) becoming where a resumed run starts; then raise
    DivergenceError, or, under TerminateOnNaN, record the message as the history's stop.
    ``before_update``: the call's first mini-batch, before any update (see :func:`start_message`);
    the error's ``before_update`` says so, for the CLI, whose advice is its own."""
    net, params = run.network, run.params
    eta = run.optimizer.learning_rate  # before restore, which puts back the last good state's
    restore(net, run.optimizer, good)  # first: the message gives the weights' magnitude
    run.next_epoch, run.next_batch = good_at
    if before_update:
        message = start_message(C, epoch, batch, params["steps"], net, run.X, run.targets, run.sample_weight)
    else:
        message = divergence_message(C, epoch, batch, params["steps"], eta, params["initial_epoch"])
    if not terminate_on_nan:
        raise DivergenceError(
            message, epoch=epoch + 1, batch=batch + 1, history=run.history, before_update=before_update
        )
    run.history.stopped_reason, run.history.stopped_epoch = message, epoch


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


def start_message(C: float, epoch: int, batch: int, steps: int, net, X, targets, sample_weight) -> str:
    """The cost ``C`` was not finite on the first mini-batch of a call (``epoch``, ``batch``
    from 0, of ``steps``), at the weights it began with, before any update: the magnitudes of
    what the cost is made of (inputs ``X``, regression ``targets``, ``net``'s weights and
    biases, ``sample_weight``), not the learning rate, are to blame."""
    return (
        f"{DIVERGED}: the cost was {C!r} already at epoch {epoch + 1}, mini-batch {batch + 1} of "
        f"{steps}, with the weights this fit() began with, before any update, so the learning "
        f"rate plays no part (a smaller one gives the same). The cost overflows on the data or "
        f"weights themselves: {magnitudes(net, X, targets, sample_weight)}. Scale the inputs or "
        f"targets (standardise them, or divide by their magnitude), or the sample weights (only "
        f"their ratios matter), or start from smaller weights. The network keeps the weights it "
        f"had when this fit() began."
    )


def magnitudes(net, X, targets, sample_weight) -> str:
    """The greatest magnitudes of what a cost is made of: the inputs ``X``, regression
    ``targets``, ``net``'s weights and biases, ``sample_weight`` (and its sum)."""
    parts = [f"inputs X up to |x| = {_largest(X):.3g}"]
    if not targets.classify:
        low, high = targets.range()
        parts.append(f"targets Y up to |y| = {max(-low, high):.3g}")
    parts.append(f"weights and biases up to {max(_largest(p) for p in (*net.weights, *net.biases)):.3g}")
    if sample_weight is not None:
        with np.errstate(over="ignore"):
            total = float(np.sum(sample_weight, dtype=np.float64))
        parts.append(f"sample_weight up to {_largest(sample_weight):.3g}, summing to {total:.3g}")
    return "; ".join(parts)


def _largest(arr) -> float:
    """The greatest |value| of ``arr`` (NaN if it holds one), without an array of |values|."""
    return max(-float(np.min(arr)), float(np.max(arr))) if np.size(arr) else 0.0
