"""The callback contract: how the training loop reports, and how reporting can steer it.

``fit`` calls, in order: ``set_run(run)`` once, ``on_train_begin(logs)``, then for each
epoch ``on_epoch_begin(epoch, logs)``, ``on_batch_end(batch, logs)`` after every update
(only for callbacks that override it, so the hot loop pays nothing otherwise) and
``on_epoch_end(epoch, logs)``, and finally ``on_train_end(logs)``. ``epoch`` and ``batch``
count from 0, as in Keras.

``logs`` at the end of an epoch holds Keras's names: ``loss``, ``accuracy``, ``val_loss``,
``val_accuracy`` (where there is validation data), ``lr`` and ``time`` (seconds).

``logs`` of ``on_batch_end`` holds the batch's ``loss`` (its cost before the update) and
``size`` (its number of samples). The history records an epoch's logs before
``on_epoch_end`` is called, so ``run.history`` already includes the epoch.

``run`` (a :class:`~deltaprop.training.run.Run`) gives a callback the ``network``, the
``optimizer``, the ``history``, the ``params`` dict (epochs, batch_size, n_samples,
steps_per_epoch, seed, ...), the ``metrics`` each epoch will log, the training and
validation arrays, and ``stop_training``, which a callback sets to True to end training
after the current epoch. ``run.request_interrupt()`` stops sooner, after the mini-batch
being computed (from a signal handler, say); ``run.next_epoch`` and ``run.next_batch`` then
say where ``fit(..., initial_epoch=, initial_batch=)`` resumes. ``on_train_end`` is called
when training ends normally, early or interrupted, but not when ``fit`` raises.
"""

from __future__ import annotations

import inspect
import types


class Callback:
    """Base class: every hook does nothing.

    It prints as the constructor call that makes it (``EarlyStopping(monitor='val_loss',
    min_delta=0.0, patience=5, ...)``), every parameter of ``__init__`` with the value the
    callback holds under that name; a callback that does not keep each one under its own name
    prints as Python's default ``<... object at 0x...>`` rather than as a call that would
    leave some out.
    """

    run = None

    def __repr__(self) -> str:
        parameters = inspect.signature(type(self).__init__).parameters.values()
        names = [
            p.name for p in parameters if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        if not all(hasattr(self, name) for name in names):
            return object.__repr__(self)
        args = ", ".join(f"{name}={_as_written(getattr(self, name))}" for name in names)
        return f"{type(self).__name__}({args})"

    def set_run(self, run) -> None:
        self.run = run

    def on_train_begin(self, logs: dict | None = None) -> None:
        pass

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        pass

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        pass

    def on_train_end(self, logs: dict | None = None) -> None:
        pass


def _as_written(value) -> str:
    """``value`` as a call would pass it: a function by its name (``schedule=halve``), not as
    ``<function halve at 0x...>``; anything else by its repr."""
    if isinstance(value, types.FunctionType | types.BuiltinFunctionType):
        return value.__qualname__
    return repr(value)
