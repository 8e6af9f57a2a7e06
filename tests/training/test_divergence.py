"""A non-finite cost: the weights of the last good epoch are kept, and the message says where and why."""

from __future__ import annotations

import math

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import Callback, TerminateOnNaN, fit


def regression_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    Y = X @ rng.normal(size=(3, 2))
    return X, Y


def unstable_net():
    # ReLU hidden layer, linear output, quadratic cost: nothing saturates, so η = 100 blows up.
    return dp.Network([3, 8, 2], activation="relu", output_activation="linear", seed=0)


class SwitchEta(Callback):
    """Train gently for ``good`` epochs, then set η = 100."""

    def __init__(self, good):
        self.good = good
        self.weights_at_switch = None

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.good:
            self.weights_at_switch = [w.copy() for w in self.run.network.weights]
            self.run.optimizer.learning_rate = 100.0


def test_raises_with_epoch_batch_and_advice_and_restores_the_start():
    X, Y = regression_problem()
    net = unstable_net()
    before = net.copy()
    with pytest.raises(dp.DivergenceError) as info:
        fit(net, X, Y, 5, learning_rate=100.0, seed=0)
    err = info.value
    message = str(err)
    assert f"epoch {err.epoch}, mini-batch {err.batch} of 7" in message
    assert err.epoch == 1 and 1 <= err.batch <= 7
    assert "η = 100" in message and "smaller learning rate" in message and "η = 10" in message
    assert isinstance(err, FloatingPointError)
    assert len(err.history) == 0
    for p, q in zip([*net.weights, *net.biases], [*before.weights, *before.biases]):
        np.testing.assert_array_equal(p, q)


def test_keeps_the_weights_of_the_last_good_epoch():
    X, Y = regression_problem()
    net = unstable_net()
    switch = SwitchEta(good=2)
    with pytest.raises(dp.DivergenceError) as info:
        fit(net, X, Y, 6, learning_rate=0.01, seed=0, callbacks=[switch])
    assert info.value.epoch == 3
    assert "the weights from the end of epoch 2" in str(info.value)
    assert info.value.history.epoch == [0, 1]
    assert all(math.isfinite(v) for v in info.value.history.history["loss"])
    for w, good in zip(net.weights, switch.weights_at_switch):
        np.testing.assert_array_equal(w, good)


def test_terminate_on_nan_stops_gracefully():
    X, Y = regression_problem()
    net = unstable_net()
    switch = SwitchEta(good=2)
    ended = []

    class End(Callback):
        def on_train_end(self, logs=None):
            ended.append(True)

    history = fit(net, X, Y, 6, learning_rate=0.01, seed=0, callbacks=[switch, TerminateOnNaN(), End()])
    assert ended == [True]
    assert history.epoch == [0, 1]
    assert history.stopped_epoch == 2
    assert history.stopped_reason.startswith("training diverged: the cost became")
    assert (
        "at epoch 3, mini-batch" in history.stopped_reason
        and "smaller learning rate" in history.stopped_reason
    )
    for w, good in zip(net.weights, switch.weights_at_switch):
        np.testing.assert_array_equal(w, good)
    assert all(np.isfinite(p).all() for p in [*net.weights, *net.biases])


def test_optimizer_state_is_restored_too():
    X, Y = regression_problem()
    net = unstable_net()
    opt = dp.Momentum(0.001, momentum=0.9)
    fit(net, X, Y, 2, optimizer=opt, seed=0)
    state = opt.state_dict()
    opt.learning_rate = 100.0
    with pytest.raises(dp.DivergenceError):
        fit(net, X, Y, 6, optimizer=opt, seed=0)
    for key, value in state["state"].items():
        np.testing.assert_array_equal(opt.state_dict()["state"][key], value)


def test_resume_position_points_at_the_restored_weights():
    X, Y = regression_problem()
    switch = SwitchEta(good=2)
    fit(unstable_net(), X, Y, 6, learning_rate=0.01, seed=0, callbacks=[switch, TerminateOnNaN()])
    assert (switch.run.next_epoch, switch.run.next_batch) == (2, 0)
