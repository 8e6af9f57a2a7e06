"""The training loop: mini-batch gradient descent as in Nielsen's chapter 1.

Each epoch shuffles the training samples, cuts them into mini-batches of ``batch_size`` and
makes one update per mini-batch from the batch-averaged gradient, through the step kernel of
:mod:`deltaprop.training.step`. Everything around it — validation, history, callbacks,
divergence — happens at the epoch's edges, so the per-batch work is: gather the rows into
reused buffers, call ``step``, check the returned cost is finite, keep the predictions.

Per-sample weights (``sample_weight``) follow their rows through the shuffle and the
validation split; each step then descends the weighted average C = Σ s_x C_x / Σ s_x of its
mini-batch, as scikit-learn's MLP does (see :mod:`deltaprop.training.step`).

Determinism: the order of epoch e is ``np.random.default_rng([seed, e]).permutation(n)``,
a pure function of the seed and the epoch, so a run can resume at any epoch and batch
without saving a random stream, and two runs with the same seed are bit-identical.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .._predict import THRESHOLD
from .._validation import (
    check_features,
    check_flag,
    check_network,
    check_positive_int,
    check_sample_weight,
)
from ._data import BINARY, CLASSES, Gatherer, check_targets, epoch_hits
from .arguments import (
    check_callbacks,
    check_history,
    check_params_trainable,
    check_resume,
    check_seed,
    check_split_weights,
    check_validation_data,
    check_validation_split,
    resolve_optimizer,
    split_indices,
)
from .callback import Callback
from .callbacks import TerminateOnNaN
from .divergence import end_diverged, params_finite, restore, snapshot
from .fast_step import check_buffers_fit
from .history import History
from .metrics import Evaluator
from .output_cost import check_output_cost_fits, warn
from .run import Run, record_interrupt_at_epoch_end, record_interrupt_mid_epoch
from .step import make_step

# Classification keeps the epoch's outputs (n × n_out values, 32 MiB in float64 at this
# limit) for one argmax per epoch; beyond it, predictions are made per mini-batch.
OUTPUTS_ONCE_LIMIT = 1 << 22


def fit(
    net,
    X,
    Y,
    epochs: int = 1,
    batch_size: int | None = 10,
    optimizer=None,
    learning_rate: float | None = None,
    validation_data=None,
    validation_split: float = 0.0,
    shuffle: bool = True,
    seed: int | None = None,
    callbacks=(),
    verbose: int = 0,
    initial_epoch: int = 0,
    initial_batch: int = 0,
    history: History | None = None,
    sample_weight=None,
) -> History:
    """Train ``net`` by mini-batch gradient descent; return the :class:`History`.

    Parameters
    ----------
    net : Network
        Changed in place. Left unchanged, as are ``optimizer`` and ``history``, when an argument
        or a callback's ``on_train_begin`` refuses the call (all before the first update).
    X : array ``(n_samples, n_0)``
        Inputs, any real dtype, lists of lists too. Never copied or converted whole: each
        mini-batch is gathered (and cast, e.g. uint8 or float32 → float64) into a buffer.
    Y : array ``(n_samples,)`` or ``(n_samples, n_L)``
        Integer class labels (one-hot encoded for the output layer; a column ``(n_samples, 1)``
        of them too, for several outputs), one-hot rows, 0/1 labels for a single-output network
        (binary: predicted by a > 0.5), or real targets (regression: no accuracy is logged).
    epochs : int, default 1
        The epoch to stop at, as in Keras: epochs ``initial_epoch .. epochs − 1`` run.
    batch_size : int or None, default 10
        Samples per mini-batch, m: 1 is online (stochastic) descent, None the full batch.
        The last mini-batch of an epoch holds the remainder.
    optimizer : Optimizer or str, optional
        How gradients are applied (``dp.SGD(3.0)``, ``dp.Adam()``, or a name). Its
        ``n_train`` is set to the number of training samples n, for the L2 term λ/n. An
        Optimizer object keeps its state (step count t, velocities, moments) from one call to
        the next: ``fit(epochs=1)`` then ``fit(epochs=2, initial_epoch=1)`` with the same one
        equals ``fit(epochs=2)``. That state is ``net``'s: an optimizer that stepped another
        network is refused (ValueError; give each network its own, or ``optimizer.reset()``).
        A name (or ``learning_rate`` alone, or neither) builds a new optimizer for this call,
        without state: with momentum, Nesterov or Adam, two calls then differ from one.
    learning_rate : float, optional
        η. Shorthand for ``optimizer=dp.SGD(η)`` (or η of a named optimizer); not with an
        optimizer object. With neither, plain SGD with η by cost: quadratic 3.0 (Nielsen
        ch. 1), cross_entropy 0.5 (ch. 3), log_likelihood 0.1 (see DEFAULT_LEARNING_RATES).
    validation_data : (X_val, Y_val), optional
        Evaluated (forward only) at each epoch's end: ``val_loss``, ``val_accuracy``.
    validation_split : float in [0, 1), default 0.0
        Instead: carve this fraction of the training data out as validation data, seeded
        (and stratified by class for classification targets). Never both.
    shuffle : bool, default True
        Shuffle every epoch (from ``default_rng([seed, epoch])``); False keeps the order. A
        full batch is never shuffled (its order would change only the rounding of its sums),
        so every X of the same values gives the same bits, whatever its dtype or layout.
    seed : int, optional
        Makes the run bit-identical each time and resumable; None draws one, recorded in
        ``history.params["seed"]``. Not a ``numpy.random.Generator`` (a recorded run needs a
        number): ``seed=int(rng.integers(2**32))`` draws one from it.
    callbacks : list of Callback, default ()
        See :mod:`deltaprop.training.callback` for the hooks and their order.
    verbose : 0 or 1, default 0
        1 (or True; 2 too, as in Keras) adds a :class:`ProgressLogger`, one line per epoch
        on stdout; 0 prints nothing.
    initial_epoch, initial_batch : int, default 0
        Continue a run: start at this epoch (from 0), skipping its first ``initial_batch``
        mini-batches. With the weights and optimizer state of that moment restored and the
        same seed, the result is bit-identical to a run never interrupted.
    history : History, optional
        A history to append to (a resumed run's); a new one otherwise. Its epochs must end
        right before ``initial_epoch`` (``initial_epoch=len(history.epoch)`` continues a run
        from epoch 0), else ValueError: the history would record an epoch twice. A run interrupted
        mid-epoch leaves that epoch's sums so far in ``history.partial``; resumed with this
        history at that position, the epoch logs the loss and accuracy of all its
        mini-batches (otherwise, of those run after resuming).
    sample_weight : array ``(n_samples,)``, optional
        A weight s_x ≥ 0 per sample (not all 0), as scikit-learn's MLP and Keras take it: each
        step descends its mini-batch's weighted average C = Σ s_x C_x / Σ s_x (δ rows scaled by
        s_x, divided by Σ s_x instead of the batch size m; Keras divides by m instead). The
        weights follow their rows through the shuffle; a mini-batch whose weights are all 0
        makes no update (the optimizer is not called, so its step count does not advance).
        The logged ``loss`` and ``accuracy`` are weighted averages over the epoch, and so are
        ``val_loss`` and ``val_accuracy`` on the rows ``validation_split`` holds out (as
        scikit-learn scores its validation set); ``validation_data`` takes the validation
        rows' weights as a third item, (X_val, Y_val, s_val), and is unweighted without one.
        The L2 term's n stays the number of training samples, whatever the weights.

    Returns
    -------
    History
        One entry per completed epoch: ``loss`` and ``accuracy`` (running means over the
        epoch's mini-batches, each measured before its update, as Keras reports them),
        ``val_loss``, ``val_accuracy``, ``lr``, ``time``. The losses are the cost C_0 of the
        data; an L2 term λ/(2n) Σ w² of the optimizer is not added to them.

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type, shape or range (checked before anything changes;
        the message names the argument, the value received and what was expected); also an
        output activation, cost and targets that cannot learn, as ``deltaprop train`` refuses
        them (see :mod:`deltaprop.training.output_cost`): ln a of outputs outside (0, 1), a
        softmax over one output, targets a logistic/softmax output can never reach.
    DivergenceError
        When a mini-batch's cost is NaN or infinite (without ``TerminateOnNaN``); the network
        keeps the weights of the last good epoch, and the error carries the history.

    Warns
    -----
    OutputCostWarning
        (a UserWarning) Once per call, for logistic outputs with log_likelihood or softmax with
        cross_entropy, or a ReLU output trained towards class labels: they train, but badly.
    """
    # --- everything is checked before anything changes ------------------------------------
    epochs = check_positive_int(epochs, "epochs", allow_zero=True)
    check_network(net)
    check_params_trainable(net)
    X = check_features(X, net.sizes[0], dtype=net.dtype)  # dtype: refuse 1e39 for a float32 net
    targets = check_targets(Y, net.sizes[-1], X.shape[0], dtype=net.dtype)
    mismatches = check_output_cost_fits(net, targets)  # the errors refused here, the warnings given below
    if sample_weight is not None:
        sample_weight = check_sample_weight(sample_weight, X.shape[0], net.dtype)
    validation_split = check_validation_split(validation_split, validation_data)
    seed = check_seed(seed)
    train_idx = val_idx = None
    X_val, targets_val, s_val = None, None, None
    if validation_data is not None:
        X_val, targets_val, s_val = check_validation_data(net, validation_data)
        check_output_cost_fits(net, targets_val, name="validation_data[1] (Y_val)")  # its warnings are Y's
    elif validation_split > 0:
        train_idx, val_idx = split_indices(targets, X.shape[0], validation_split, seed)
        X_val, targets_val, s_val = X, targets, sample_weight
        if sample_weight is not None:
            check_split_weights(sample_weight, train_idx, val_idx)
    n = X.shape[0] if train_idx is None else len(train_idx)
    if batch_size is None:
        batch_size = n
    batch_size = min(check_positive_int(batch_size, "batch_size"), n)
    steps = -(-n // batch_size)
    check_buffers_fit(batch_size, net.sizes, net.dtype)  # the step's, made below: refused now
    optimizer = resolve_optimizer(net, optimizer, learning_rate)
    shuffle = check_flag(shuffle, "shuffle")
    callbacks = check_callbacks(callbacks, verbose)
    initial_epoch, initial_batch = check_resume(initial_epoch, initial_batch, epochs, steps)
    check_history(history, initial_epoch)

    classify = targets.classify
    metrics = ["loss"] + (["accuracy"] if classify else [])
    if X_val is not None:
        metrics += ["val_loss"] + (["val_accuracy"] if targets_val.classify else [])
    metrics += ["lr", "time"]
    params = {
        "epochs": epochs,
        "batch_size": batch_size,
        "steps_per_epoch": steps,
        "steps": steps,  # Keras's name for it
        "verbose": int(verbose),
        "n_samples": n,
        "n_validation": 0 if X_val is None else (X_val.shape[0] if val_idx is None else len(val_idx)),
        "validation_split": validation_split,
        "shuffle": bool(shuffle),
        "seed": seed,
        "initial_epoch": initial_epoch,
        "initial_batch": initial_batch,
        # n_train as this run sets it (below, once every check has passed): λ/n uses it.
        "optimizer": {"name": optimizer.name, **optimizer.hyperparameters(), "n_train": n},
        "targets": targets.kind,
        "metrics": metrics,
    }
    history = History() if history is None else history
    # What a call refused by a callback's on_train_begin puts back (the callbacks see the new
    # params there, so they are set first): the history's params and stop, the network, the optimizer.
    before = dict(history.params), history.stopped_reason, history.stopped_epoch, snapshot(net, optimizer)
    history.params.update(params)
    history.stopped_reason = history.stopped_epoch = None
    run = Run(net, optimizer, history, history.params, metrics)
    run.X, run.targets, run.train_index = X, targets, train_idx
    run.X_val, run.targets_val, run.val_index = X_val, targets_val, val_idx
    run.sample_weight, run.sample_weight_val = sample_weight, s_val
    for cb in callbacks:
        cb.set_run(run)
    try:
        for cb in callbacks:
            cb.on_train_begin({})  # may still refuse (e.g. a monitor that is never logged)
    except BaseException:
        history.params.clear()
        history.params.update(before[0])
        history.stopped_reason, history.stopped_epoch = before[1:3]
        restore(net, optimizer, before[3])
        raise

    # --- the loop -------------------------------------------------------------------------
    warn(mismatches)
    optimizer.n_train = n
    # Class labels are one-hot rows (Σy = 1): softmax + log-likelihood's δ is then a − y, one
    # subtraction; other targets get the exact a·Σy − y (training/fast_step.py).
    step = make_step(net, optimizer, batch_size, targets_sum_to_one=targets.kind == CLASSES)
    sw = sample_weight  # X, Y and the weights are checked above
    gather = Gatherer(X, targets, net.dtype, batch_size, checked=True, sample_weight=sw)
    # A full batch (one mini-batch an epoch) is not shuffled: the order of one batch's rows
    # changes nothing but the rounding of its sums, and the natural order gives the same bits
    # whatever X's dtype or layout (or the training rows a validation split leaves). Over all
    # of X in the network's dtype, X itself goes to the step (no copy).
    full_batch = batch_size == n
    whole = (
        full_batch
        and train_idx is None
        and X.dtype == net.dtype
        and X.flags.c_contiguous
        and gather.dense is not None
    )
    validate = None
    if X_val is not None:
        validate = Evaluator(net, X_val, targets_val, val_idx, checked=True, sample_weight=s_val)
    batch_callbacks = [cb for cb in callbacks if type(cb).on_batch_end is not Callback.on_batch_end]
    terminate_on_nan = any(isinstance(cb, TerminateOnNaN) for cb in callbacks)
    labels = targets.labels
    binary = targets.kind == BINARY
    # The epoch's outputs a, one row per sample in the order of the epoch: each step writes
    # its rows, and one argmax per epoch gives the predictions (an argmax per mini-batch
    # costs ~1 µs, a noticeable share of a 30 µs step). Past OUTPUTS_ONCE_LIMIT values the
    # predictions are made per mini-batch instead, into n integers.
    outputs = preds = None
    if classify and n * targets.n_out <= OUTPUTS_ONCE_LIMIT:
        outputs = np.empty((n, targets.n_out), dtype=net.dtype)
    elif classify:
        preds = np.empty(n, dtype=np.int64)
    good, good_at = snapshot(net, optimizer), (initial_epoch, initial_batch)  # the last good state
    logs: dict = {}
    isfinite, argmax, greater, perf_counter = math.isfinite, np.argmax, np.greater, time.perf_counter

    # Overflow inside a step is not an error here: the loop checks every batch's cost and
    # reports divergence itself (DivergenceError, or a graceful stop under TerminateOnNaN).
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(initial_epoch, epochs):
            run.epoch = epoch
            first = initial_batch if epoch == initial_epoch else 0
            for cb in callbacks:
                cb.on_epoch_begin(epoch, {})
            t0 = perf_counter()
            if shuffle and not full_batch:
                order = np.random.default_rng([seed, epoch]).permutation(n)
            else:
                order = np.arange(n)
            if train_idx is not None:
                order = train_idx[order]
            # An epoch resumed mid-way goes on from the sums its interrupted run left in the
            # history (history.partial), so its logged loss and accuracy are those of the
            # whole epoch, as if never interrupted; without them, the batches run here count.
            carried = history.partial_at(epoch, first) if first else None
            cost_sum = carried["loss_sum"] if carried else 0.0
            counted_from = 0 if carried else first * batch_size
            diverged = False
            for k in range(first, steps):
                start = k * batch_size
                stop = min(start + batch_size, n)
                a_out = None if outputs is None else outputs[start:stop]
                if sw is not None:  # weighted: the batch's rows of the weights, and their sum
                    s_batch = sw if whole else gather.s(order[start:stop])
                    weight = float(s_batch.sum())
                    if whole:
                        C = step(X, gather.dense, a_out, s_batch)
                    else:
                        idx = order[start:stop]
                        C = step(gather.x(idx), gather.y(idx), a_out, s_batch)
                elif whole:
                    C = step(X, gather.dense, a_out)
                else:
                    idx = order[start:stop]
                    C = step(gather.x(idx), gather.y(idx), a_out)
                if not isfinite(C):
                    # The cost is that of the weights before this step's update: on the call's
                    # first mini-batch no update has been made, and η is not to blame.
                    before_update = (epoch, k) == (initial_epoch, initial_batch)
                    end_diverged(run, good, good_at, C, epoch, k, terminate_on_nan, before_update)
                    diverged = True
                    break
                cost_sum += C * (stop - start if sw is None else weight)
                if preds is not None:
                    if binary:
                        greater(step.a[:, 0], THRESHOLD, out=preds[start:stop])
                    else:
                        argmax(step.a, axis=1, out=preds[start:stop])
                run.next_batch = k + 1
                for cb in batch_callbacks:
                    cb.on_batch_end(k, {"loss": C, "size": stop - start})
                if run.interrupted:
                    break
            if diverged:
                break  # under TerminateOnNaN: this epoch is not recorded
            if run.interrupted and run.next_batch < steps:  # mid-epoch: the epoch is not recorded
                correct = None
                if classify:
                    done = slice(first * batch_size, run.next_batch * batch_size)
                    correct = epoch_hits(outputs, preds, labels, order, done, sw)
                    correct += carried["correct"] if carried else 0
                record_interrupt_mid_epoch(run, epoch, steps, cost_sum, correct)
                break
            if not params_finite(net):  # the last update overflowed although its cost was finite
                end_diverged(run, good, good_at, math.inf, epoch, steps - 1, terminate_on_nan, False)
                break
            # The samples (or, weighted, the weight) the epoch's sums hold; a weighted epoch
            # resumed where only weight-0 rows were left to run logs NaN, the mean of nothing.
            seen = n - counted_from if sw is None else float(sw[order[counted_from:]].sum())
            logs = {"loss": cost_sum / seen if seen else math.nan}
            if classify:
                hits = epoch_hits(outputs, preds, labels, order, slice(first * batch_size, n), sw)
                hits += carried["correct"] if carried else 0
                logs["accuracy"] = hits / seen if seen else math.nan
            if validate is not None:
                logs.update({f"val_{key}": value for key, value in validate().items()})
            logs["lr"] = optimizer.learning_rate
            logs["time"] = perf_counter() - t0
            history.append(epoch, logs)
            history.partial = None
            run.next_epoch, run.next_batch = epoch + 1, 0
            for cb in callbacks:
                cb.on_epoch_end(epoch, logs)
            good, good_at = snapshot(net, optimizer), (epoch + 1, 0)
            if run.interrupted:  # after an epoch's last mini-batch: the epoch was recorded above
                record_interrupt_at_epoch_end(run, epoch)
                break
            if run.stop_training:
                break

    for cb in callbacks:
        cb.on_train_end(logs)
    return history
