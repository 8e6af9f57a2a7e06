"""The standard callbacks, with Keras's names and meanings.

``EarlyStopping`` and ``ReduceLROnPlateau`` watch a logged quantity (``monitor``) at each
epoch's end; ``ModelCheckpoint`` saves the network (atomically, through
:mod:`deltaprop.files`); ``TerminateOnNaN`` turns a non-finite cost into a graceful stop
instead of a :class:`~deltaprop.errors.DivergenceError`; ``ProgressLogger`` writes one line
per epoch (``fit(verbose=1)`` adds one). Each reads the run through ``self.run``
(see :mod:`deltaprop.training.callback`).

Where these differ from Keras 3, by design:

* A ``monitor`` the run will not log is refused before the first update (ValueError naming
  what is logged); Keras warns at every epoch's end and carries on without acting.
* ``mode="auto"`` maximises a name containing ``"acc"`` and minimises anything else (Keras 2's
  rule; Keras 3 asks the metric, and refuses a name it cannot place).
* ``min_delta`` must be ≥ 0 (Keras takes its absolute value).
"""

from __future__ import annotations

import math
import numbers
import sys

import numpy as np

from .._text import fmt_seconds
from .._validation import check_positive_float, check_positive_int
from .callback import Callback

MODES = ("auto", "min", "max")


class _Monitor(Callback):
    """A callback that watches one logged quantity, improving downwards (min) or upwards (max)."""

    def __init__(self, monitor: str, mode: str, min_delta: float):
        if not isinstance(monitor, str):
            raise TypeError(
                f"monitor must be the name of a logged quantity such as 'val_loss'; got {monitor!r}"
            )
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(check_positive_float(min_delta, "min_delta", allow_zero=True))
        self.maximise = mode == "max" or (mode == "auto" and "acc" in monitor)

    def _check_monitor(self) -> None:
        """Refuse, before the first update, to watch a quantity the run will not log."""
        logged = self.run.metrics
        if self.monitor not in logged:
            hint = (
                " Pass validation_data or validation_split to fit, or monitor the training loss."
                if self.monitor.startswith("val_")
                else ""
            )
            raise ValueError(
                f"{type(self).__name__} monitors {self.monitor!r}, which this run does not log; "
                f"it logs {logged}.{hint}"
            )

    def _improved(self, current: float, best: float) -> bool:
        if math.isnan(current):
            return False
        if self.maximise:
            return current > best + self.min_delta
        return current < best - self.min_delta

    def _worst(self) -> float:
        return -math.inf if self.maximise else math.inf


class EarlyStopping(_Monitor):
    """Stop training when ``monitor`` has stopped improving (Keras 3's rules).

    An epoch improves when the monitored value beats the best so far by more than
    ``min_delta``. Each epoch from ``start_from_epoch`` on (an absolute epoch, from 0; earlier
    ones are a warm-up, not watched) adds one to ``wait``; an improving epoch resets it, but
    with a ``baseline`` only if it also beats the baseline by more than ``min_delta``. An epoch
    that does not improve, with ``wait ≥ patience``, stops training at its end (so
    ``patience=0`` stops at the first epoch that does not improve). ``stopped_epoch`` and
    ``best_epoch`` count from 0 (``stopped_epoch`` is None when this callback did not stop
    the run).

    ``restore_best_weights``: when training ends, however it ends (stopped here, epochs run
    out, another callback stopped it, ``TerminateOnNaN``), the network gets back the weights
    and biases of its best epoch (of the first watched epoch if none improved), as Keras 3
    does. (Keras 2 restored them only when this callback stopped the run.) Deliberately not
    after ``run.request_interrupt()``: an interrupted run keeps its current weights, so it can
    be resumed exactly. ``best_weights`` holds ``(weights, biases)`` copies, and
    ``best_weights_epoch`` the epoch (from 0) they are of, or None before the first watched
    epoch.

    Resuming: a new EarlyStopping counts on from the history it is given (``fit(...,
    history=h)``), but the weights of the epochs before cannot come from the history. Give
    them with :meth:`carry_best` (what ``best_weights`` and ``best_weights_epoch`` held when
    the run stopped), and the resumed run restores what the uninterrupted one would have.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        mode: str = "auto",
        restore_best_weights: bool = False,
        baseline: float | None = None,
        start_from_epoch: int = 0,
    ):
        super().__init__(monitor, mode, min_delta)
        self.patience = check_positive_int(patience, "patience", allow_zero=True)
        if baseline is not None:
            if isinstance(baseline, bool) or not isinstance(baseline, numbers.Real) or math.isnan(baseline):
                raise TypeError(f"baseline must be a number or None; got {baseline!r}")
            baseline = float(baseline)
        self.baseline = baseline
        self.restore_best_weights = bool(restore_best_weights)
        self.start_from_epoch = check_positive_int(start_from_epoch, "start_from_epoch", allow_zero=True)
        self._carried = None

    def carry_best(self, epoch: int, weights, biases) -> None:
        """Before a resumed ``fit``: the weights and biases (lists of arrays, as
        ``best_weights`` holds them) of ``epoch``, the epoch whose weights the interrupted
        run kept. ``fit`` refuses them (ValueError) unless the history it continues shows
        that same epoch as the one to keep; the network's shapes are checked there too."""
        if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
            raise TypeError(f"epoch must be a whole number ≥ 0 (an epoch counted from 0); got {epoch!r}")
        self._carried = (
            int(epoch),
            [np.array(w, copy=True) for w in weights],
            [np.array(b, copy=True) for b in biases],
        )

    def on_train_begin(self, logs=None):
        self._check_monitor()
        self.wait = 0
        self.best = self._worst()
        self.best_epoch: int | None = None
        self.best_weights = None
        self.best_weights_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self.reason: str | None = None  # why this callback stopped the run, as the history says it
        # A resumed run (fit(..., initial_epoch=e, history=h)) counts on from the epochs the
        # history holds; their weights are not in it, so a best epoch among them is restored
        # only if carry_best gave its weights (otherwise the network keeps its own).
        history = self.run.history
        watched = []
        if history is not None:
            for epoch, current in zip(history.epoch, history.history.get(self.monitor, [])):
                if self._count(epoch, current) is not None:
                    watched.append(epoch)
        if self._carried is not None:
            self._take_carried(watched[0] if watched else None)

    def _take_carried(self, first_watched: int | None) -> None:
        """Install carry_best's weights, if they are those of the epoch this run would keep:
        the best epoch of the history, else (no epoch improved) its first watched one."""
        epoch, weights, biases = self._carried
        self._carried = None
        due = self.best_epoch if self.best_epoch is not None else first_watched
        if epoch != due:
            raise ValueError(
                f"EarlyStopping.carry_best gave the weights of epoch {epoch}, but the history this run "
                f"continues makes epoch {due} the one to keep ({self.monitor}); they are not this run's"
            )
        net = self.run.network
        for name, given, own in (("weights", weights, net.weights), ("biases", biases, net.biases)):
            if [(a.shape, a.dtype) for a in given] != [(a.shape, a.dtype) for a in own]:
                raise ValueError(
                    f"EarlyStopping.carry_best: the {name} given are "
                    f"{[(a.shape, a.dtype.name) for a in given]}, but the network's are "
                    f"{[(a.shape, a.dtype.name) for a in own]}"
                )
        self.best_weights, self.best_weights_epoch = (weights, biases), epoch

    def _keep_weights(self, epoch: int) -> None:
        net = self.run.network
        self.best_weights = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
        self.best_weights_epoch = epoch

    def _count(self, epoch: int, current: float) -> bool | None:
        """Count one epoch's value into ``wait``, ``best``, ``best_epoch``; whether it improved
        (None for an epoch before ``start_from_epoch``, which is not watched)."""
        if epoch < self.start_from_epoch:
            return None
        self.wait += 1
        if not self._improved(current, self.best):
            return False
        self.best, self.best_epoch = current, epoch
        if self.baseline is None or self._improved(current, self.baseline):
            self.wait = 0
        return True

    def on_epoch_end(self, epoch, logs=None):
        watched = epoch >= self.start_from_epoch
        if watched and self.restore_best_weights and self.best_weights is None and self.best_epoch is None:
            self._keep_weights(epoch)  # the fallback, should no epoch improve (Keras 3 does the same)
        improved = self._count(epoch, (logs or {}).get(self.monitor, math.nan))
        if improved is None:
            return
        if improved:
            if self.restore_best_weights:
                self._keep_weights(epoch)
            return
        if self.wait >= self.patience and self.best_epoch is not None:
            self.stopped_epoch = epoch
            self.run.stop_training = True
            reason = (
                f"EarlyStopping: {self.monitor} did not improve for {self.wait} epoch(s) after its best "
                f"{self.best:.6g} at epoch {self.best_epoch + 1}"
            )
            if self.restore_best_weights and self.best_weights is not None:
                reason += "; the weights of that epoch were restored"
            self.reason = reason
            self.run.history.stopped_reason = reason
            self.run.history.stopped_epoch = epoch

    def on_train_end(self, logs=None):
        if not self.run.interrupted:
            self.restore()

    def restore(self) -> None:
        """Give the network the best epoch's weights and biases (copies), if this callback
        restores them and has kept some; ``on_train_end`` calls it unless the run was
        interrupted. Calling it again does nothing more."""
        if self.restore_best_weights and self.best_weights is not None:
            weights, biases = self.best_weights
            self.run.network.weights = [w.copy() for w in weights]
            self.run.network.biases = [b.copy() for b in biases]


class ReduceLROnPlateau(_Monitor):
    """Multiply η by ``factor`` when ``monitor`` has not improved for ``patience`` epochs.

    After a reduction, ``cooldown`` epochs pass before counting resumes; η never goes below
    ``min_lr``. Improvement means beating the best by more than ``min_delta``, as in Keras.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
    ):
        super().__init__(monitor, mode, min_delta)
        factor = check_positive_float(factor, "factor")
        if factor >= 1.0:
            raise ValueError(f"factor must be in (0, 1) so that η goes down; got {factor}")
        self.factor = factor
        self.patience = check_positive_int(patience, "patience", allow_zero=True)
        self.cooldown = check_positive_int(cooldown, "cooldown", allow_zero=True)
        self.min_lr = check_positive_float(min_lr, "min_lr", allow_zero=True)

    def on_train_begin(self, logs=None):
        self._check_monitor()
        self.wait = 0
        self.cooldown_counter = 0
        self.best = self._worst()
        # A resumed run (fit(..., initial_epoch=e, history=h)) counts on from the epochs the
        # history holds, so η is cut at the same epochs as in the uninterrupted run; whether
        # an epoch's plateau did cut η is read from the logged η (η itself is not touched).
        history = self.run.history
        if history is not None:
            lrs = history.history.get("lr", [])
            for e, current in enumerate(history.history.get(self.monitor, [])):
                if self._advance(current) and e < len(lrs):
                    after = lrs[e + 1] if e + 1 < len(lrs) else self.run.optimizer.learning_rate
                    if after < lrs[e]:
                        self.cooldown_counter, self.wait = self.cooldown, 0

    def _advance(self, current: float) -> bool:
        """Count one epoch's ``current`` value; True when patience has run out."""
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(current, self.best):
            self.best, self.wait = current, 0
            return False
        if self.cooldown_counter > 0:
            return False
        self.wait += 1
        return self.wait >= self.patience

    def on_epoch_end(self, epoch, logs=None):
        if not self._advance((logs or {}).get(self.monitor, math.nan)):
            return
        optimizer = self.run.optimizer
        old = optimizer.learning_rate
        new = max(old * self.factor, self.min_lr)
        if new < old and new > 0:
            optimizer.learning_rate = new
            self.cooldown_counter = self.cooldown
            self.wait = 0


class TerminateOnNaN(Callback):
    """Stop gracefully on a non-finite cost instead of raising ``DivergenceError``.

    The loop checks every batch's cost itself; this callback's presence tells it what to
    do then: restore the weights of the last good epoch, record the reason in
    ``history.stopped_reason`` and end the run normally (``on_train_end`` is called).
    Unlike Keras's, which stops after the bad batch with whatever weights it left and still
    logs that epoch, the network keeps the last good epoch's weights and the epoch with the
    non-finite cost is not recorded in the history.
    """


class ModelCheckpoint(_Monitor):
    """Save the network to ``filepath`` at the end of each epoch, atomically.

    ``filepath`` may hold ``str.format`` fields: ``{epoch}`` (counted from 1, as in Keras's
    file names) and any logged name, e.g. ``"model-{epoch:02d}-{val_loss:.3f}.safetensors"``.
    With ``save_best_only`` only an epoch that improves ``monitor`` is saved. A network with
    a non-finite weight is never written (``skipped`` lists those epochs). Saving goes
    through :func:`deltaprop.files.save` (safetensors, temporary file then ``os.replace``).

    ``initial_value_threshold`` (as in Keras) is the value to beat before the first save with
    ``save_best_only``; otherwise the first watched epoch is always saved. Pass the best value
    so far (``history.best(monitor)[1]``) when resuming a run, so that a resumed epoch worse
    than the saved file does not overwrite it.
    """

    def __init__(
        self,
        filepath,
        monitor: str = "val_loss",
        save_best_only: bool = False,
        mode: str = "auto",
        initial_value_threshold: float | None = None,
    ):
        super().__init__(monitor, mode, 0.0)
        self.filepath = filepath
        self.save_best_only = bool(save_best_only)
        if initial_value_threshold is not None:
            if (
                isinstance(initial_value_threshold, bool)
                or not isinstance(initial_value_threshold, numbers.Real)
                or math.isnan(initial_value_threshold)
            ):
                raise TypeError(
                    f"initial_value_threshold must be a number or None; got {initial_value_threshold!r}"
                )
            initial_value_threshold = float(initial_value_threshold)
        self.initial_value_threshold = initial_value_threshold
        self.saved: list[str] = []
        self.skipped: list[int] = []

    def on_train_begin(self, logs=None):
        if self.save_best_only:
            self._check_monitor()
        try:  # refuse, before training, a file name that asks for a quantity never logged
            str(self.filepath).format(epoch=1, **dict.fromkeys(self.run.metrics, 0.0))
        except (KeyError, IndexError, ValueError) as err:
            raise ValueError(
                f"ModelCheckpoint filepath {str(self.filepath)!r} cannot be filled in: {err!r}; it may use "
                f"{{epoch}} and the logged names {self.run.metrics}"
            ) from err
        self.best = self._worst() if self.initial_value_threshold is None else self.initial_value_threshold

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.save_best_only:
            current = logs.get(self.monitor, math.nan)
            if not self._improved(current, self.best):
                return
            self.best = current
        net = self.run.network
        if not all(np.isfinite(p).all() for p in (*net.weights, *net.biases)):
            self.skipped.append(epoch)
            return
        from .. import files  # the model-file layer, imported only when a checkpoint is written

        path = str(self.filepath).format(epoch=epoch + 1, **logs)
        files.save(net, path)
        self.saved.append(path)


class ProgressLogger(Callback):
    """Write one line per epoch (``epoch 3/30 - loss: ... - val_accuracy: ... - 1.23s``; ``3.9ms``
    for an epoch under 0.1 s).

    ``stream`` defaults to ``sys.stdout``, read when the line is written. This is the
    only thing in the library that prints, and it does so only when asked
    (``fit(verbose=1)`` or passing it in ``callbacks``).
    """

    def __init__(self, stream=None):
        self.stream = stream

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        epochs = self.run.params.get("epochs", "?") if self.run is not None else "?"
        parts = [f"epoch {epoch + 1}/{epochs}"]
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            if key in logs:
                value = logs[key]  # four decimals; a huge cost as 1.2346e+90, not in 91 digits
                parts.append(f"{key}: {value:.4f}" if abs(value) < 1e5 else f"{key}: {value:.4e}")
        if "lr" in logs:
            parts.append(f"lr: {logs['lr']:.3g}")
        if "time" in logs:
            parts.append(fmt_seconds(logs["time"]))  # as the CLI writes it: 3.9ms, not 0.0s
        stream = self.stream if self.stream is not None else sys.stdout
        print(" - ".join(parts), file=stream, flush=True)

    def on_train_end(self, logs=None):
        reason = self.run.history.stopped_reason if self.run is not None else None
        if reason:
            stream = self.stream if self.stream is not None else sys.stdout
            print(f"stopped: {reason}", file=stream, flush=True)
