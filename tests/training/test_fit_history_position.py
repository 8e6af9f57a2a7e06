"""fit(history=h) goes on right after h's last epoch, or is refused before anything changes.

Before, ``h = fit(X, y, epochs=3, history=h)`` on a history of epochs 0..2 recorded
``[0, 1, 2, 0, 1, 2]``: an ambiguous ``h.best("loss")``, duplicate rows in ``to_csv``, and
callbacks resumed on it counting the old epochs as those just before.
"""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import Callback


def _net():
    return dp.Network([64, 8, 10], output_activation="softmax", seed=0)


@pytest.mark.parametrize(("initial_epoch", "words"), [(0, "epochs twice"), (5, "a run with a gap")])
def test_a_history_that_does_not_end_before_initial_epoch_is_refused(digits, initial_epoch, words):
    X, y = digits[:2]
    net = _net()
    h = net.fit(X, y, epochs=3, seed=0)
    weights, recorded = [w.copy() for w in net.weights], h.to_dict()
    message = rf"ends at epoch 2 .* initial_epoch=3; got initial_epoch={initial_epoch}, .* record {words}"
    with pytest.raises(ValueError, match=message):
        net.fit(X, y, epochs=6, seed=0, history=h, initial_epoch=initial_epoch)
    assert h.to_dict() == recorded and all(np.array_equal(a, b) for a, b in zip(weights, net.weights))


def test_a_history_goes_on_at_the_epoch_after_its_last(digits):
    X, y = digits[:2]
    net = _net()
    h = net.fit(X, y, epochs=3, seed=0)
    assert net.fit(X, y, epochs=5, seed=0, history=h, initial_epoch=3) is h
    assert h.epoch == [0, 1, 2, 3, 4]
    assert net.fit(X, y, epochs=2, seed=0, history=dp.training.History()).epoch == [0, 1]  # a new one


class _StopAfter(Callback):
    def __init__(self, batch):
        self.batch = batch

    def on_batch_end(self, batch, logs=None):
        if self.run.epoch == 1 and batch + 1 == self.batch:
            self.run.request_interrupt()


def test_an_epoch_interrupted_midway_resumes_at_that_epoch(digits):
    X, y = digits[:2]
    whole, net = _net(), _net()
    expected = whole.fit(X, y, epochs=3, seed=0)
    h = net.fit(X, y, epochs=3, seed=0, callbacks=[_StopAfter(7)])
    assert h.epoch == [0] and h.partial["epoch"] == 1 and h.partial["batch"] == 7
    net.fit(X, y, epochs=3, seed=0, history=h, initial_epoch=1, initial_batch=7)
    assert h.epoch == [0, 1, 2] and h.history["loss"] == expected.history["loss"]
