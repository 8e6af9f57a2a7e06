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


def test_a_cost_infinite_before_any_update_blames_the_data_not_eta():
    # Targets near 1e160: (a − y)² overflows at the starting weights, whatever η is.
    rng = np.random.default_rng(0)
    X, Y = rng.random((40, 4)), rng.random((40, 1)) * 1e160
    net = dp.Network([4, 3, 1], output_activation="linear", seed=0)
    before = net.copy()
    with pytest.raises(dp.DivergenceError) as info:
        fit(net, X, Y, 1, learning_rate=1e-12, seed=0)
    message, err = str(info.value), info.value
    assert (err.epoch, err.batch, err.before_update) == (1, 1, True)
    assert "before any update" in message and "learning rate plays no part" in message
    assert "smaller learning rate" not in message and "1e-13" not in message
    assert "targets Y up to |y| = 9." in message and "e+159" in message
    assert (
        f"weights and biases up to {max(np.abs(p).max() for p in [*before.weights, *before.biases]):.3g}"
        in message
    )
    for p, q in zip([*net.weights, *net.biases], [*before.weights, *before.biases]):
        np.testing.assert_array_equal(p, q)


def test_a_later_divergence_still_advises_a_smaller_eta():
    X, Y = regression_problem()
    with pytest.raises(dp.DivergenceError) as info:
        fit(unstable_net(), X, Y, 5, learning_rate=100.0, seed=0)
    assert info.value.before_update is False and "smaller learning rate" in str(info.value)


@pytest.mark.parametrize("dtype, weight", [("float64", 1e308), ("float32", 1e38)])
def test_sample_weights_whose_sum_overflows_are_refused(dtype, weight):
    X, y = regression_problem()[0][:20], np.arange(20) % 3
    net = dp.Network([3, 5, 3], seed=0, dtype=dtype)
    with pytest.raises(ValueError, match=rf"sample_weight sums to inf in {dtype}.*sample_weight.max\(\)"):
        fit(net, X, y, 1, sample_weight=np.full(20, weight))
    with pytest.raises(ValueError, match=r"validation_data\[2\] \(sample_weight_val\) sums to inf"):
        fit(net, X, y, 1, validation_data=(X, y, np.full(20, weight)))


def test_evaluate_and_backprop_refuse_sample_weights_whose_sum_overflows_as_fit_does():
    """They returned loss and accuracy NaN (backprop: cost NaN and a RuntimeWarning)."""
    X, y = regression_problem()[0][:20], np.arange(20) % 3
    net = dp.Network([3, 5, 3], seed=0)
    for call in (net.evaluate, net.backprop):
        with pytest.raises(ValueError, match=r"^sample_weight sums to inf in float64"):
            call(X, y, sample_weight=np.full(20, 1e308))
    assert np.isfinite(net.evaluate(X, y, sample_weight=np.full(20, 1e306))["loss"])
