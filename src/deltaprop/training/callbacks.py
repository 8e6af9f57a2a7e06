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

``EarlyStopping`` lives in :mod:`.early_stopping`, and the base of the callbacks that watch
``monitor`` in :mod:`.monitor`; their names are importable from here too.
"""

from __future__ import annotations

import math
import os
import string
import sys

import numpy as np

from .._text import fmt_seconds
from .._validation import check_flag, check_positive_float, check_positive_int
from .callback import Callback
from .early_stopping import EarlyStopping
from .monitor import MODES, Monitor, value_to_beat

__all__ = [
    "MODES",
    "EarlyStopping",
    "ModelCheckpoint",
    "ProgressLogger",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
]


class ReduceLROnPlateau(Monitor):
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


class ModelCheckpoint(Monitor):
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

    A folder of ``filepath`` that does not exist is created, as Keras does: before training
    (a path that cannot hold files — a file in the way, no permission — is refused then, with
    a ValueError), or at each save for a folder named with fields (``"run/{epoch}/model.st"``).
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
        if not isinstance(filepath, (str, os.PathLike)) or not isinstance(os.fspath(filepath), str):
            raise TypeError(
                f"ModelCheckpoint filepath must be a file name, a str or a pathlib.Path (it may hold "
                f"{{epoch}}); got {filepath!r} of type {type(filepath).__name__}"
            )
        self.filepath = filepath
        self.save_best_only = check_flag(save_best_only, "save_best_only")
        self.initial_value_threshold = value_to_beat(initial_value_threshold, "initial_value_threshold")
        self.saved: list[str] = []
        self.skipped: list[int] = []

    def on_train_begin(self, logs=None):
        if self.save_best_only:
            self._check_monitor()
        from ..files.model import network_payload  # the model-file layer, as at each save

        # Refuse now, not at the first epoch's end, a network a model file cannot hold (an
        # activation or cost of the user's own class); its weights' finiteness is checked per save.
        network_payload(self.run.network, True)
        try:  # refuse, before training, a file name that asks for a quantity never logged
            str(self.filepath).format(epoch=1, **dict.fromkeys(self.run.metrics, 0.0))
        except (KeyError, IndexError, ValueError) as err:
            raise ValueError(
                f"ModelCheckpoint filepath {str(self.filepath)!r} cannot be filled in: {err!r}; it may use "
                f"{{epoch}} and the logged names {self.run.metrics}"
            ) from err
        self.best = self._worst() if self.initial_value_threshold is None else self.initial_value_threshold
        folder = os.path.dirname(str(self.filepath))
        if folder and not _has_fields(folder):  # a folder named with fields is made at each save
            _make_folder(folder.format(), self.filepath)

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
        if os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
        files.save(net, path)
        self.saved.append(path)


def _has_fields(text: str) -> bool:
    """Whether ``text`` holds a ``str.format`` field (``{epoch}``; not an escaped ``{{``)."""
    try:
        return any(field is not None for _, field, _, _ in string.Formatter().parse(text))
    except ValueError:  # a field cut in two by the folder separator: filled in at save time
        return True


def _make_folder(folder: str, filepath) -> None:
    """Create ``folder`` (and its parents) for ModelCheckpoint's ``filepath``, or refuse a
    folder that cannot hold the files, before the first update rather than after an epoch."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as err:
        raise ValueError(
            f"ModelCheckpoint filepath {str(filepath)!r}: cannot create its folder {folder!r} "
            f"({err.strerror or err}); choose a folder that can be created, or remove what is in the way"
        ) from err
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(
            f"ModelCheckpoint filepath {str(filepath)!r}: the folder {folder!r} is not writable; "
            f"choose another folder, or allow writing to it"
        )


class ProgressLogger(Callback):
    """Write one line per epoch (``epoch 3/30 - loss: ... - val_accuracy: ... - 1.23s``; ``3.9ms``
    for an epoch under 0.1 s).

    ``stream`` defaults to ``sys.stdout``, read when the line is written. This is the
    only thing in the library that prints, and it does so only when asked
    (``fit(verbose=1)`` or passing it in ``callbacks``).
    """

    def __init__(self, stream=None):
        if stream is not None and not callable(getattr(stream, "write", None)):
            raise TypeError(
                f"ProgressLogger stream must have a write method (sys.stdout, sys.stderr, an open "
                f"text file, io.StringIO) or be None for sys.stdout; got {stream!r} of type "
                f"{type(stream).__name__}"
            )
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
