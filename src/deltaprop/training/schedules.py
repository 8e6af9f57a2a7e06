"""Learning-rate schedules: η as a function of the epoch.

A schedule is two things at once, so there is one way to use it however it is written:

- a function ``schedule(epoch, lr) -> lr`` (``epoch`` from 0, ``lr`` the current η), as
  Keras's ``LearningRateScheduler`` expects (it takes ``schedule(epoch)`` too, as Keras's does), and
- a callback that sets ``optimizer.learning_rate`` to that value at the start of each epoch.

So ``fit(..., callbacks=[CosineDecay(0.1, epochs=30)])`` and
``fit(..., callbacks=[LearningRateScheduler(CosineDecay(0.1, epochs=30))])`` do the same,
and ``LearningRateScheduler`` also takes any plain function. The epoch is the run's absolute
epoch, so a resumed run (``initial_epoch``) continues the same curve.

Where these differ from Keras, by design: ``ExponentialDecay`` and ``CosineDecay`` here are
per-epoch callbacks, not Keras's per-step ``keras.optimizers.schedules`` of the same names
(those take ``decay_steps`` in optimizer steps, and Keras's ``CosineDecay`` takes ``alpha``, a
fraction of the initial η, where this one takes ``min_lr``, an η). A schedule must return a
finite η > 0 (Keras accepts any float). As in Keras, the scheduler sets η at every epoch's
start: a closed-form :class:`Schedule` (η from the epoch alone) thus overrides what
``ReduceLROnPlateau`` set at the end of the epoch before, while a function of the current η
(``lambda epoch, lr: lr * 0.95``) builds on it.
"""

from __future__ import annotations

import inspect
import math
import numbers
from abc import ABC, abstractmethod

from .._validation import check_positive_float, check_positive_int
from .callback import Callback


def _checked_lr(value, epoch: int, source) -> float:
    """η as ``source(epoch, lr)`` returned it: a real number (as Keras requires a float), finite, > 0.

    Nothing is converted: a string such as ``"0.1"`` is refused, as ``fit(learning_rate="0.1")`` is.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"the learning-rate schedule {source!r} returned {value!r} of type {type(value).__name__} "
            f"for epoch {epoch}; expected a number such as 0.1"
        )
    lr = float(value)
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(
            f"the learning-rate schedule {source!r} returned η = {lr!r} for epoch {epoch}; "
            f"expected a finite number > 0"
        )
    return lr


def _reads_lr(schedule) -> bool:
    """Whether ``schedule`` is called ``schedule(epoch, lr)`` (True) or ``schedule(epoch)``
    (False), from its signature; TypeError for one that takes neither form."""
    try:
        signature = inspect.signature(schedule)
    except (TypeError, ValueError):  # a callable without a signature: Keras's form
        return True
    for arguments, reads_lr in (((0, 1.0), True), ((0,), False)):
        try:
            signature.bind(*arguments)
            return reads_lr
        except TypeError:
            pass
    raise TypeError(
        f"schedule must take the epoch and the current η, schedule(epoch, lr) -> lr, or the epoch "
        f"alone, schedule(epoch) -> lr (as Keras's LearningRateScheduler); {schedule!r} takes "
        f"{signature}"
    )


class LearningRateScheduler(Callback):
    """At the start of each epoch, set η to ``schedule(epoch, lr)`` (or ``schedule(epoch)``).

    ``schedule`` is any callable taking the epoch (from 0) and the current η and returning
    the new η, e.g. ``lambda epoch, lr: lr * 0.95`` or a :class:`Schedule`; or, as Keras
    also takes it, the epoch alone: ``lambda epoch: 0.1 * 0.5**epoch``. Which of the two is
    read from its signature once, here; one that takes neither is refused (TypeError).

    A run resumed in the middle of an epoch (``fit(..., initial_batch=k)``) goes on with the
    η that epoch began with, restored with the optimizer: a schedule of the current η is not
    applied to it a second time (0.9 · 0.9 · η). A closed-form schedule (a :class:`Schedule`,
    or a function of the epoch alone) is applied again, which gives the same η.
    """

    # Whether the schedule is a function of the current η (else of the epoch alone).
    reads_lr = False

    def __init__(self, schedule):
        if not callable(schedule):
            raise TypeError(f"schedule must be a callable schedule(epoch, lr) -> lr; got {schedule!r}")
        self.schedule = schedule
        self.reads_lr = not isinstance(schedule, Schedule) and _reads_lr(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        resumed_mid_epoch = self.run is not None and self.run.next_batch > 0
        if resumed_mid_epoch and self.reads_lr:
            return
        optimizer = self.run.optimizer
        lr = self.schedule(epoch, optimizer.learning_rate) if self.reads_lr else self.schedule(epoch)
        optimizer.learning_rate = _checked_lr(lr, epoch, self.schedule)


class Schedule(LearningRateScheduler, ABC):
    """Base class of the closed-form schedules: ``lr_at(epoch)``, callable and a callback."""

    def __init__(self, initial: float):
        self.initial = check_positive_float(initial, "initial")
        self.schedule = self

    @abstractmethod
    def lr_at(self, epoch: int) -> float:
        """η for ``epoch`` (counted from 0)."""

    def __call__(self, epoch: int, lr: float | None = None) -> float:
        """η for ``epoch`` (from 0); ``lr``, the current η, is ignored: the curve is closed-form."""
        return self.lr_at(check_positive_int(epoch, "epoch", allow_zero=True))


class StepDecay(Schedule):
    """η_e = initial · drop^⌊e / every⌋: multiply η by ``drop`` every ``every`` epochs."""

    def __init__(self, initial: float, drop: float = 0.5, every: int = 10):
        super().__init__(initial)
        self.drop = check_positive_float(drop, "drop")
        if self.drop > 1.0:
            raise ValueError(f"drop must be in (0, 1] (the factor η is multiplied by); got {drop}")
        self.every = check_positive_int(every, "every")

    def lr_at(self, epoch):
        return self.initial * self.drop ** (epoch // self.every)


class ExponentialDecay(Schedule):
    """η_e = initial · rate^e: multiply η by ``rate`` each epoch (e.g. 0.95)."""

    def __init__(self, initial: float, rate: float = 0.95):
        super().__init__(initial)
        self.rate = check_positive_float(rate, "rate")
        if self.rate > 1.0:
            raise ValueError(f"rate must be in (0, 1] (the factor η is multiplied by each epoch); got {rate}")

    def lr_at(self, epoch):
        return self.initial * self.rate**epoch


class CosineDecay(Schedule):
    """η_e = min_lr + (initial − min_lr) · (1 + cos(π · e / epochs)) / 2 for e < ``epochs``.

    Half a cosine from ``initial`` at epoch 0 down towards ``min_lr`` (Loshchilov & Hutter,
    2017, without restarts); every one of the ``epochs`` epochs gets η > 0. Past ``epochs``
    η stays at ``min_lr``, or at the last epoch's η when ``min_lr`` is 0 (η must be > 0).
    """

    def __init__(self, initial: float, epochs: int, min_lr: float = 0.0):
        super().__init__(initial)
        self.epochs = check_positive_int(epochs, "epochs")
        self.min_lr = check_positive_float(min_lr, "min_lr", allow_zero=True)
        if self.min_lr >= self.initial:
            raise ValueError(f"min_lr must be below initial ({self.initial}); got {min_lr}")

    def lr_at(self, epoch):
        if epoch >= self.epochs:
            return self.min_lr if self.min_lr > 0 else self.lr_at(self.epochs - 1)
        cosine = 0.5 * (1.0 + math.cos(math.pi * epoch / self.epochs))
        return self.min_lr + (self.initial - self.min_lr) * cosine
