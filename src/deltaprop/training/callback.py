"""The callback contract: how the training loop reports, and how reporting can steer it.

``fit`` calls, in order: ``set_run(run)`` once, ``on_train_begin(logs)``, then for each
epoch ``on_epoch_begin(epoch, logs)``, ``on_batch_end(batch, logs)`` after every update
(only for callbacks that override it, so the hot loop pays nothing otherwise) and
``on_epoch_end(epoch, logs)``, and finally ``on_train_end(logs)``. ``epoch`` and ``batch``
count from 0, as in Keras.

``logs`` at the end of an epoch holds Keras's names: ``loss``, ``accuracy``, ``val_loss``,
``val_accuracy`` (where there is validation data), ``lr`` and ``time`` (seconds).

``run`` (a :class:`~deltaprop.training.fit.Run`) gives a callback the ``network``, the
``optimizer``, the ``history``, the ``params`` dict (epochs, batch_size, n_samples,
steps_per_epoch, seed, ...), the training and validation arrays, and ``stop_training``,
which a callback sets to True to end training after the current epoch.
"""

from __future__ import annotations


class Callback:
    """Base class: every hook does nothing."""

    run = None

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
