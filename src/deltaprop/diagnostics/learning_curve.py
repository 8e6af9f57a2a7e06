"""The learning curve: what the cost and accuracy of each epoch say about a run.

A run that learns lowers its cost C epoch by epoch and raises its accuracy above guessing.
:func:`check_chance_level` finds a training accuracy no better than guessing
(:func:`chance_level`: 1/n_classes, or the commonest class's share); :func:`check_learning_rate`
reads the shape of the cost curve: non-finite or rising (η too high), oscillating (η too
high to settle), flat or falling slowly (η too low, or the gradients gone).
:func:`still_learning` tells the other checks whether the curve shows a run that has learned
or is learning. The thresholds are named below; each check returns a list of
:class:`~deltaprop.diagnostics.finding.Finding` (empty when all is well).
"""

from __future__ import annotations

import numpy as np

from .._text import count
from .._validation import label_column
from ..training.divergence import DIVERGED
from .finding import Finding

CHANCE_MARGIN = 0.1  # stuck: accuracy within 10 % of the way from chance to perfect
MIN_EPOCHS_STUCK = 2  # one epoch is too early to call a run stuck
RISE_FACTOR = 1.05  # the cost ended 5 % above where it started
OSCILLATION_SHARE = 0.4  # this share of epoch-to-epoch changes went up by more than 1 %
OSCILLATION_STEP = 0.01
FLAT_CHANGE = 0.02  # the cost moved less than 2 % over the last FLAT_WINDOW epochs ...
FLAT_WINDOW = 4
FLAT_ACCURACY_GAIN = 0.01  # ... accuracy gained less than 1 point ...
LEARNED_ACCURACY = 0.9  # ... and is below 90 %: a run that has learned may level off
FAR_ABOVE_CHANCE = 0.5  # an accuracy past half the way from chance to 100 % has learned something
# Without an accuracy (a regression), a run whose cost has fallen to at most this fraction of
# where it started has learned: its cost levelling off is convergence, not a stuck run.
LEARNED_COST_FRACTION = 0.5
MIN_EPOCHS_TREND = 3
# A flat cost that first fell by more than this fraction of where it started was not held
# back by a learning rate too low: its gradients vanished on the way.
FELL_BEFORE_FLAT = 0.1
# A run stuck at chance that made fewer updates of the weights than this in all (XOR's 4 samples
# in one mini-batch: 30 updates in 30 epochs) is told first that it took too few steps.
FEW_UPDATES = 250
MORE_STEPS = "train for more epochs, or with smaller mini-batches"  # the CLI names its flags instead
SCHEDULE_LOWERS = "let a schedule (e.g. ReduceLROnPlateau) lower it"  # the CLI names its schedules
# A cost falling every epoch but, over the whole run, by less than this fraction, with the
# accuracy not moving: steps too small (η too low), though not yet flat.
SLOW_FALL = 0.2


def _history_dict(history) -> dict:
    if history is None:
        return {}
    data = getattr(history, "history", history)
    if not isinstance(data, dict):
        raise TypeError(f"history must be a History or its dict of lists; got {type(history).__name__}")
    return {
        k: history_series(v, k)
        for k, v in data.items()
        if k in ("loss", "accuracy", "val_loss", "val_accuracy", "lr")
    }


def history_series(values, key: str) -> np.ndarray:
    """``history[key]``, one number per epoch, as float64 ``(n_epochs,)``; anything else (a
    string, None, a list of lists) raises ``TypeError`` naming the key and the value."""
    try:
        series = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        series = None
    if series is None or series.ndim != 1:
        raise TypeError(f"history[{key!r}] must be a list of numbers, one per epoch; got {values!r:.60}")
    return series


def _n_classes(net, Y=None) -> int:
    n_out = net.sizes[-1]
    return 2 if n_out == 1 else n_out


def _labels(Y, n_out: int) -> np.ndarray | None:
    """The class of each row of ``Y`` as ``fit`` reads it for a network of ``n_out`` outputs;
    None for targets that are not classes."""
    if Y is None:
        return None
    Y = label_column(np.asarray(Y), n_out)  # df[["label"]]'s column, as fit reads it: not 0/1 targets
    if Y.ndim == 1:
        return Y.astype(np.int64) if np.all(Y == np.round(Y)) else None
    if Y.ndim == 2 and Y.shape[1] == 1:
        return (Y[:, 0] > 0.5).astype(np.int64)
    if Y.ndim == 2:
        return Y.argmax(axis=1)
    return None


def chance_level(net, Y=None) -> tuple[float, str]:
    """The accuracy of guessing, and how it is got: 1/n_classes, or the commonest class's share
    of ``Y`` where that is higher."""
    n_classes = _n_classes(net)
    chance = 1.0 / n_classes
    guess = f"guessing among {n_classes} classes gives {chance:.1%}"
    labels = _labels(Y, net.sizes[-1])
    if labels is not None and labels.size:
        commonest = np.bincount(labels).max() / labels.size
        if commonest >= chance:
            chance = commonest
            guess = (
                f"always guessing the commonest class gives {chance:.1%} on the same "
                f"{labels.size} training samples"
            )
    return float(chance), guess


def check_chance_level(history, net, Y=None, params: dict | None = None) -> list[Finding]:
    """Training accuracy no better than guessing: 1/n_classes, or the commonest class's share of Y.

    ``Y`` are the targets of the data the history's ``accuracy`` was measured on: the training
    split, every row of it (the validation rows carved off excluded), so that the figure
    is the same wherever it is computed. A probe of a few hundred rows would give a share
    that varies with the rows drawn. ``params`` (a History's, where ``history`` is a dict of
    lists) tell how many updates the run made: too few to learn anything are said first.
    """
    h = _history_dict(history)
    acc = h.get("accuracy")
    if acc is None or len(acc) < MIN_EPOCHS_STUCK:
        return []
    chance, guess = chance_level(net, Y)
    limit = chance + CHANCE_MARGIN * (1.0 - chance)
    final = acc[-1]
    if not np.isfinite(final) or final > limit:
        return []
    fix = (
        "look at the other findings for the cause (saturated units, unscaled inputs, a learning rate "
        "far off, a cost that does not fit the output); the usual fixes are inputs scaled to [0, 1], "
        "more hidden neurons, a learning rate of 0.1-3 for SGD, and a softmax output with the "
        "log-likelihood cost"
    )
    few = few_updates(getattr(history, "params", None) if params is None else params, len(acc))
    return [
        Finding(
            "chance-level",
            "error",
            f"accuracy is stuck at chance level: training accuracy {final:.1%} after {len(acc)} epochs, "
            f"where {guess}. The network has not learned anything it can use.",
            f"{few}; then {fix}" if few else fix,
        )
    ]


def few_updates(params: dict | None, epochs: int) -> str | None:
    """``only 30 updates in all (...): train for more epochs, ...`` for a run of ``epochs``
    epochs that updated its weights fewer than FEW_UPDATES times, as its ``params`` (a
    History's: ``steps_per_epoch``, ``n_samples``, ``batch_size``) tell; None otherwise, or
    without them."""
    params = params if isinstance(params, dict) else {}
    steps, n, batch = (params.get(key) for key in ("steps_per_epoch", "n_samples", "batch_size"))
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (steps, n, batch)):
        return None
    planned = params.get("epochs")  # mid-run (the live check), the whole run's plan
    updates = steps * max(epochs, planned if isinstance(planned, int) else 0)
    if updates >= FEW_UPDATES:
        return None
    batches = (
        f"all {count(n, 'sample')} in one mini-batch"
        if steps == 1
        else f"{count(n, 'sample')} in mini-batches of {batch}: {steps} an epoch"
    )
    return f"only {count(updates, 'update')} of the weights in all ({batches}): {MORE_STEPS}"


def check_learning_rate(history, initial_cost: float | None = None) -> list[Finding]:
    """The cost goes non-finite, rises, oscillates (η too high) or stops moving (η too low).

    ``initial_cost`` is C before the first update (e.g. ``GradientStats.initial_cost``): a
    first epoch already above it means the very first steps overshot.
    """
    h = _history_dict(history)
    loss = h.get("loss", np.empty(0))
    lr = h.get("lr")
    eta = f"η = {lr[-1]:g}" if lr is not None and len(lr) and np.isfinite(lr[-1]) else "the learning rate"
    stopped = getattr(history, "stopped_reason", None)
    if isinstance(stopped, str) and stopped.startswith(DIVERGED):
        return [
            Finding(
                "diverged",
                "error",
                stopped,
                "divide the learning rate by 10 and check that the inputs are scaled to a small range",
            )
        ]
    if len(loss) and not np.isfinite(loss).all():
        first = int(np.argmax(~np.isfinite(loss)))
        return [
            Finding(
                "diverged",
                "error",
                f"the cost became {loss[first]} at epoch {first + 1}: training diverged with {eta}.",
                "divide the learning rate by 10 (and check the inputs are scaled to a small range)",
            )
        ]
    start, start_name = (loss[0], "the first epoch") if len(loss) else (None, "")
    if initial_cost is not None and np.isfinite(initial_cost) and len(loss):
        start, start_name = initial_cost, "before training"
    if start is not None and len(loss) and (len(loss) >= 2 or start_name == "before training"):
        if loss[-1] > RISE_FACTOR * start:
            return [
                Finding(
                    "cost-rising",
                    "error",
                    f"the cost rose from {start:.4g} ({start_name}) to {loss[-1]:.4g} after "
                    f"{count(len(loss), 'epoch')}: with {eta} each step overshoots the minimum.",
                    "divide the learning rate by 10: gradient descent should lower the cost epoch by epoch",
                )
            ]
    if len(loss) < MIN_EPOCHS_TREND:
        return []
    changes = np.diff(loss) / np.maximum(np.abs(loss[:-1]), np.finfo(float).tiny)
    ups = (changes > OSCILLATION_STEP).mean()
    if ups >= OSCILLATION_SHARE:
        return [
            Finding(
                "cost-oscillating",
                "warning",
                f"the cost went up in {ups:.0%} of the epochs (by more than {OSCILLATION_STEP:.0%}): with "
                f"{eta} the steps are too large to settle.",
                f"lower the learning rate (by 3-10×), or {SCHEDULE_LOWERS}",
            )
        ]
    recent = loss[-FLAT_WINDOW:]
    if abs(recent[-1] - recent[0]) < FLAT_CHANGE * abs(recent[0]):
        if _learned_or_learning(h.get("accuracy"), len(recent)):
            return []  # it has learned, or is still learning
        if h.get("accuracy") is None and start is not None and recent[-1] <= LEARNED_COST_FRACTION * start:
            return []  # a regression whose cost has come down and settled
        seen = (
            f"the cost has almost stopped moving: {recent[0]:.4g} → {recent[-1]:.4g} over the last "
            f"{len(recent)} epochs"
        )
        if start is not None and start - recent[-1] > FELL_BEFORE_FLAT * abs(start):
            # It came down a long way first (η = 100 on MNIST: 1.46 before training, 0.5 after the
            # first epoch, then frozen), so η is not too low: the gradients have gone.
            return [
                Finding(
                    "cost-flat",
                    "warning",
                    f"{seen}. It had fallen from {start:.4g} ({start_name}) first, which a learning "
                    f"rate too low would not have done: the gradients have vanished, usually because the "
                    f"units have saturated (inputs not scaled, or steps too large for {eta}, push them "
                    f"there), or the network has too few hidden neurons to do better.",
                    "if the units are saturated, do what that finding advises and lower the learning "
                    "rate by 10×, then start again; otherwise give the network more hidden neurons",
                )
            ]
        return [
            Finding(
                "cost-flat",
                "warning",
                f"{seen}. Either {eta} is too low, or the gradients vanish before they reach the "
                f"weights (saturated logistic/tanh units, or dead ReLU units).",
                "if units are saturated or dead (see those findings), fix that first: a larger learning "
                "rate would only make it worse; otherwise raise the learning rate by 10× (SGD on [0, 1] "
                "inputs usually wants 0.1-3)",
            )
        ]
    return _check_slow(loss, start, start_name, h.get("accuracy"), eta)


def _check_slow(loss, start, start_name: str, acc, eta: str) -> list[Finding]:
    """The cost falls every epoch, but by little, and the accuracy does not move: η too low.

    (η = 1e-4 on MNIST: 2.94 → 2.67 in 6 epochs, every epoch a little lower, 10 % accuracy;
    not flat by the 2 % rule, yet the run is going nowhere.)
    """
    if acc is None or start is None or len(acc) != len(loss) or _learned_or_learning(acc, len(loss)):
        return []
    fall = (start - loss[-1]) / abs(start) if start else 0.0
    if not (np.diff(loss) < 0).all() or not 0 < fall < SLOW_FALL:
        return []
    return [
        Finding(
            "cost-slow",
            "warning",
            f"the cost falls, but slowly: {start:.4g} ({start_name}) → {loss[-1]:.4g} after {len(loss)} "
            f"epochs ({fall:.0%} lower), while the accuracy has not moved: with {eta} each step is too "
            f"small to get anywhere.",
            "raise the learning rate by 10× (SGD on [0, 1] inputs usually wants 0.1-3)",
        )
    ]


def _learned_or_learning(acc, window: int) -> bool:
    """Accuracy ≥ LEARNED_ACCURACY (learned), or up ≥ FLAT_ACCURACY_GAIN over the last
    ``window`` epochs (still learning). False without ``window`` finite-ended values."""
    if acc is None or not len(acc) or len(acc) < window or not np.isfinite(acc[-1]):
        return False
    return bool(acc[-1] >= LEARNED_ACCURACY or acc[-1] - acc[-window] >= FLAT_ACCURACY_GAIN)


def still_learning(history, chance: float | None = None) -> float | None:
    """The latest training accuracy when the run has learned or is learning (over the last
    FLAT_WINDOW epochs, or all of them if fewer), or stands far above ``chance`` (the guessing
    accuracy: a first epoch at 80 % on Fashion-MNIST shows no trend yet, but has learned), else None."""
    if history is None:
        return None
    acc = _history_dict(history).get("accuracy")
    if acc is None or not len(acc) or not np.isfinite(acc[-1]):
        return None
    far_above = chance is not None and acc[-1] >= chance + FAR_ABOVE_CHANCE * (1.0 - chance)
    if not far_above and not _learned_or_learning(acc, min(FLAT_WINDOW, len(acc))):
        return None
    return float(acc[-1])
