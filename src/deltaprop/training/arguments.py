"""fit's arguments: each checked (with a message that names it and the value received) before
anything changes, and the defaults a run takes when they are left out.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import optimizers as _optimizers
from .._text import count
from .._validation import check_features, check_positive_float, check_positive_int, check_sample_weight
from .._validation import check_seed as check_seed_value
from ._data import Targets, check_targets
from .callback import Callback
from .callbacks import ProgressLogger
from .history import History

# η when neither ``optimizer`` nor ``learning_rate`` is given, by cost. Quadratic: 3.0, as in
# Nielsen's chapter 1 (logistic outputs under the quadratic cost learn slowly, σ' ≤ 1/4).
# Cross-entropy: 0.5, his chapter 3 value (δ = a − y, no σ' to slow it). Log-likelihood with
# softmax: 0.1 — the same δ = a − y, but all outputs move together, so a smaller step is safer.
DEFAULT_LEARNING_RATES = {"quadratic": 3.0, "cross_entropy": 0.5, "log_likelihood": 0.1}
FALLBACK_LEARNING_RATE = 0.1

# The validation split draws from its own stream, default_rng([seed, SPLIT_STREAM, 0]), which
# never meets an epoch's default_rng([seed, e]).
SPLIT_STREAM = 0x5EED


def check_seed(seed) -> int:
    """The run's seed: a non-negative int, or one drawn from the OS when ``seed`` is None.

    A ``numpy.random.Generator``, which Network and the data sets take, is refused with the
    reason: epoch e's order is ``default_rng([seed, e])``, and the seed is recorded
    (``history.params["seed"]``, checkpoints) so that a run can be resumed and repeated,
    which a Generator's state cannot be."""
    if isinstance(seed, np.random.Generator):
        raise TypeError(
            f"seed must be an integer ≥ 0 or None; got {seed!r} of type {type(seed).__name__}. fit "
            f"records its seed (history.params['seed'], checkpoints) to resume and repeat a run, and "
            f"orders epoch e by default_rng([seed, e]), which a Generator's state cannot do. Pass "
            f"an integer (from your Generator: seed=int(rng.integers(2**32))), or None to draw one"
        )
    seed = check_seed_value(seed, generator=False)
    return int(np.random.SeedSequence().entropy) if seed is None else seed


def resolve_optimizer(net, optimizer, learning_rate):
    """The optimizer object a run uses, from ``optimizer`` and/or ``learning_rate`` (see ``fit``)."""
    if learning_rate is not None:
        learning_rate = check_positive_float(learning_rate, "learning_rate")
    if optimizer is None:
        if learning_rate is None:
            learning_rate = DEFAULT_LEARNING_RATES.get(net.cost.name, FALLBACK_LEARNING_RATE)
        return _optimizers.SGD(learning_rate)
    if isinstance(optimizer, str):
        kwargs = {} if learning_rate is None else {"learning_rate": learning_rate}
        return _optimizers.get(optimizer, **kwargs)
    if not isinstance(optimizer, _optimizers.Optimizer):
        raise TypeError(
            f"optimizer must be a deltaprop optimizer such as dp.SGD(3.0) or a name such as 'adam'; "
            f"got {optimizer!r} of type {type(optimizer).__name__}"
        )
    if learning_rate is not None:
        raise ValueError(
            f"give either optimizer or learning_rate, not both: learning_rate={learning_rate!r} is "
            f"shorthand for optimizer=SGD({learning_rate!r}), but optimizer={optimizer!r} was given too. "
            f"Set the optimizer's own learning_rate instead."
        )
    check_positive_float(optimizer.learning_rate, "optimizer.learning_rate")
    optimizer._check_network(net)  # its state (velocities, moments) must be net's, if it has any
    return optimizer


def check_validation_data(net, validation_data):
    """``(X_val, targets_val, s_val)`` from ``validation_data``, checked like X, Y and
    sample_weight: a pair ``(X_val, Y_val)`` (``s_val`` None) or, as in Keras, a triple
    ``(X_val, Y_val, sample_weight_val)``."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise TypeError(
            f"validation_data must be a pair (X_val, Y_val) or a triple (X_val, Y_val, "
            f"sample_weight_val); got {type(validation_data).__name__}"
            + (f" of length {len(validation_data)}" if isinstance(validation_data, (tuple, list)) else "")
        )
    x_name, y_name = "validation_data[0] (X_val)", "validation_data[1] (Y_val)"
    X_val = check_features(validation_data[0], net.sizes[0], name=x_name, dtype=net.dtype)
    targets = check_targets(
        validation_data[1], net.sizes[-1], X_val.shape[0], name=y_name, dtype=net.dtype, x_name=x_name
    )
    s_val = None
    if len(validation_data) == 3 and validation_data[2] is not None:
        s_val = check_sample_weight(
            validation_data[2],
            X_val.shape[0],
            net.dtype,
            x_name=x_name,
            name="validation_data[2] (sample_weight_val)",
        )
    return X_val, targets, s_val


def check_split_weights(
    sample_weight: np.ndarray,
    train_idx: np.ndarray,
    val_idx: np.ndarray,
    split: str = "validation_split",
    fix: str = "change validation_split or the seed",
) -> None:
    """Refuse a split whose training or validation rows all weigh 0. ``split`` names the
    parameter that asked for it and ``fix`` what to change, in the caller's words (the
    scikit-learn estimators' ``validation_fraction``, not fit's ``validation_split``)."""
    for rows, which in ((train_idx, "training"), (val_idx, "validation")):
        if not np.any(sample_weight[rows]):
            raise ValueError(
                f"sample_weight is 0 on {'the' if len(rows) == 1 else 'all'} "
                f"{count(len(rows), which + ' row')} that {split} holds "
                f"{'in' if which == 'training' else 'out'}: nothing would count there; give some of "
                f"them a weight > 0, or {fix}"
            )


def check_validation_split(validation_split, validation_data) -> float:
    """``validation_split`` as a float in [0, 1), refused beside ``validation_data``."""
    if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real):
        raise TypeError(f"validation_split must be a number in [0, 1); got {validation_split!r}")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"validation_split must be in [0, 1); got {validation_split!r}")
    if validation_data is not None and validation_split > 0:
        raise ValueError(
            f"give validation_data or validation_split, not both (got validation_split={validation_split})"
        )
    return float(validation_split)


def _class_sizes(targets: Targets, fraction: float) -> list[int]:
    """Per class label 0, 1, …: how many of its rows a stratified split holds out (rounded)."""
    counts = np.bincount(targets.labels, minlength=max(targets.n_out, 2))
    return [int(round(fraction * int(count))) for count in counts]


def validation_size(targets: Targets, n: int, fraction: float) -> int:
    """How many of the ``n`` rows :func:`split_indices` holds out: ``fraction`` of each class,
    rounded, for labels; of all rows, rounded up, for real targets. For callers that must
    judge a split before drawing it (the CLI's and the estimators' checks)."""
    if targets.classify:
        return sum(_class_sizes(targets, fraction))
    return int(math.ceil(fraction * n))


def split_indices(targets: Targets, n: int, fraction: float, seed: int):
    """Sorted (train rows, validation rows): stratified by class for labels, seeded."""
    size = validation_size(targets, n, fraction)
    if size == 0 or size == n:
        raise ValueError(
            f"validation_split={fraction} of {count(n, 'sample')} leaves "
            f"{'no validation' if size == 0 else 'no training'} samples; use a fraction "
            f"that keeps both sets non-empty, or pass validation_data"
        )
    rng = np.random.default_rng([seed, SPLIT_STREAM, 0])
    if targets.classify:
        val_parts = []
        for label, k in enumerate(_class_sizes(targets, fraction)):
            members = np.flatnonzero(targets.labels == label)
            val_parts.append(rng.permutation(members)[:k])
        val_idx = np.sort(np.concatenate(val_parts))
    else:
        val_idx = np.sort(rng.permutation(n)[:size])
    mask = np.ones(n, dtype=bool)
    mask[val_idx] = False
    return np.flatnonzero(mask), val_idx


def training_indices(Y, n_out: int, fraction: float, seed: int):
    """The rows of the training data that ``fit(..., validation_split=fraction, seed=seed)``
    trains on (sorted), the validation rows left out; all rows for a ``fraction`` of 0.
    ``Y``: the targets as ``fit`` is given them, for a network of ``n_out`` outputs."""
    if not fraction:
        return np.arange(len(Y))
    targets = check_targets(Y, n_out, len(Y))
    return split_indices(targets, len(Y), fraction, seed)[0]


def check_verbose(verbose) -> int:
    """``verbose`` as 0 (silent) or 1; 2 (Keras's "one line per epoch") is taken as 1, which
    is what 1 prints here."""
    if isinstance(verbose, bool):
        verbose = int(verbose)
    if isinstance(verbose, str) or verbose not in (0, 1, 2):
        raise ValueError(
            f"verbose must be 0 (silent), or 1 or 2 (a line per epoch, as Keras's 2); got {verbose!r}"
        )
    return min(int(verbose), 1)


def check_callbacks(callbacks, verbose) -> list[Callback]:
    """The run's callbacks as a new list, with a :class:`ProgressLogger` added for ``verbose``."""
    if isinstance(callbacks, Callback):
        raise TypeError(
            f"callbacks must be a list of callbacks; got one {type(callbacks).__name__} — "
            f"pass callbacks=[{type(callbacks).__name__}(...)]"
        )
    try:
        callbacks = [] if callbacks is None else list(callbacks)
    except TypeError:
        raise TypeError(
            f"callbacks must be a list of deltaprop Callbacks; got {callbacks!r} of type "
            f"{type(callbacks).__name__}"
        ) from None
    for k, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(
                f"callbacks[{k}] must be a deltaprop Callback (e.g. EarlyStopping()); got {cb!r} "
                f"of type {type(cb).__name__}"
            )
    if check_verbose(verbose):
        callbacks.append(ProgressLogger())
    return callbacks


def check_resume(initial_epoch, initial_batch, epochs: int, steps: int) -> tuple[int, int]:
    """``(initial_epoch, initial_batch)``: a position inside a run of ``epochs`` × ``steps``."""
    initial_epoch = check_positive_int(initial_epoch, "initial_epoch", allow_zero=True)
    initial_batch = check_positive_int(initial_batch, "initial_batch", allow_zero=True)
    if initial_epoch > epochs:
        raise ValueError(f"initial_epoch must be ≤ epochs ({epochs}); got {initial_epoch}")
    if initial_batch >= steps or (initial_batch and initial_epoch == epochs):
        raise ValueError(
            f"initial_batch must be below the {count(steps, 'mini-batch', 'mini-batches')} of an epoch, "
            f"in an epoch still to run (initial_epoch < epochs); got initial_batch={initial_batch}"
        )
    return initial_epoch, initial_batch


def check_history(history, initial_epoch: int) -> None:
    """Refuse a ``history`` that is not a History, or whose epochs do not end right before
    ``initial_epoch``: appended to, it would record an epoch twice (or leave a gap), and the
    callbacks resumed on it would count its epochs as those just before this run's. A run
    interrupted mid-epoch recorded the epochs before it (its partial epoch is not in
    ``history.epoch``), so it goes on at that epoch too."""
    if history is None:
        return
    if not isinstance(history, History):
        raise TypeError(f"history must be a deltaprop History or None; got {type(history).__name__}")
    if history.epoch and history.epoch[-1] + 1 != initial_epoch:
        last = history.epoch[-1]
        raise ValueError(
            f"history ends at epoch {last} (from 0), so the run it records goes on at initial_epoch="
            f"{last + 1}; got initial_epoch={initial_epoch}, which would record "
            f"{'epochs twice' if initial_epoch <= last else 'a run with a gap'}. Pass "
            f"initial_epoch={last + 1} (len(history.epoch) for a run from epoch 0) with epochs= the "
            f"total to continue it, or leave history out (a new History) to record a new run"
        )


def check_params_trainable(net) -> None:
    """Refuse weights or biases that the step cannot update in place.

    Every array the network stores is a C-contiguous, writeable array of its dtype (assigning
    ``net.weights[l] = arr`` copies into one); this catches one changed afterwards, e.g.
    ``net.weights[0].flags.writeable = False``, which the fused SGD update would write through.
    """
    for kind, params in (("weights", net.weights), ("biases", net.biases)):
        for l, p in enumerate(params):
            if not (p.flags.c_contiguous and p.flags.writeable and p.dtype == net.dtype):
                why = (
                    "read-only"
                    if not p.flags.writeable
                    else (
                        f"of dtype {p.dtype.name}, not the network's {net.dtype.name}"
                        if p.dtype != net.dtype
                        else "not C-contiguous"
                    )
                )
                raise ValueError(
                    f"{kind}[{l}] is {why}, and fit updates the network's arrays in place; give the "
                    f"network a copy to train: net.{kind}[{l}] = net.{kind}[{l}].copy()"
                )
