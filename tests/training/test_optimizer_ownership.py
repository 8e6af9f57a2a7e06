"""An optimizer's state (velocities, Adam's moments and t) belongs to the network it stepped.

Before, one optimizer object carried its state from one network to the next without a word: a
new network started from another's Adam moments at t = 225, 450, ..., and a network of other
sizes got its slots re-zeroed with t still counting (Adam's bias correction then wrong).
"""

import copy

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import files
from deltaprop.training import EarlyStopping

OTHER_NETWORK = r"holds the state of another network: its moments after t = \d+ steps on Network"


def _net(seed=0, sizes=(64, 16, 10)):
    return dp.Network(
        list(sizes), activation="relu", output_activation="softmax", init="he_normal", seed=seed
    )


def _params(net):
    return [p.copy() for p in (*net.weights, *net.biases)]


def _same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(_params(a), _params(b)))


def _fit(net, X, y, optimizer, epochs=1, **kwargs):
    return net.fit(X, y, epochs=epochs, batch_size=32, optimizer=optimizer, seed=0, **kwargs)


def test_a_second_network_is_refused_before_anything_changes(digits):
    # The audit's loop: one dp.Adam(0.01) for the networks of seeds 0, 1, 2.
    X, y = digits[:2]
    opt = dp.Adam(0.01)
    _fit(_net(0), X, y, opt)
    t, second = opt.iterations, _net(1)
    before = _params(second)
    with pytest.raises(ValueError, match=OTHER_NETWORK + r".*own optimizer.*optimizer\.reset\(\)"):
        _fit(second, X, y, opt)
    assert opt.iterations == t and all(np.array_equal(a, b) for a, b in zip(before, _params(second)))


@pytest.mark.parametrize(
    "make",
    [lambda: dp.Adam(0.01), lambda: dp.SGD(0.1, momentum=0.9), lambda: dp.Nesterov(0.1)],
    ids=["adam", "momentum", "nesterov"],
)
def test_a_network_of_other_sizes_is_refused_by_step(make):
    small, other = _net(0, (4, 3, 2)), _net(0, (4, 5, 2))
    opt = make()
    opt.step(small, small.backprop(np.ones((2, 4)), np.eye(2)))
    with pytest.raises(ValueError, match=r"holds the state of another network"):
        opt.step(other, other.backprop(np.ones((2, 4)), np.eye(2)))
    assert opt.iterations == 1


def test_reset_starts_afresh_as_a_new_optimizer(digits):
    X, y = digits[:2]
    used = dp.Adam(0.01)
    _fit(_net(0), X, y, used)
    used.reset()
    assert used.iterations == 0 and used.state_dict()["state"] == {}
    a, b = _net(1), _net(1)
    _fit(a, X, y, used)
    _fit(b, X, y, dp.Adam(0.01))
    assert _same(a, b)


def test_plain_sgd_has_no_state_to_carry(digits):
    X, y = digits[:2]
    opt = dp.SGD(0.5)
    _fit(_net(0), X, y, opt)
    a, b = _net(1), _net(1)
    _fit(a, X, y, opt)  # accepted: plain SGD keeps nothing but its step count
    _fit(b, X, y, dp.SGD(0.5))
    assert _same(a, b)


def test_the_same_network_across_calls_and_restored_weights(digits):
    # The state stays the network's when EarlyStopping assigns it new weight arrays, and an
    # Optimizer object continues across calls: 1 epoch then 2 more equals 3 at once.
    X, y, X_val, y_val = digits
    whole, split = _net(0), _net(0)
    stop = EarlyStopping(monitor="val_loss", patience=0, restore_best_weights=True)
    once, twice = dp.Adam(0.01), dp.Adam(0.01)
    _fit(whole, X, y, once, epochs=3)
    _fit(split, X, y, twice, epochs=1)
    _fit(split, X, y, twice, epochs=3, initial_epoch=1)
    assert _same(whole, split)
    _fit(split, X, y, twice, epochs=30, initial_epoch=3, validation_data=(X_val, y_val), callbacks=[stop])
    _fit(split, X, y, twice, epochs=31, initial_epoch=30)  # after the restore: still its state


def test_a_deep_copy_of_both_trains_on_like_the_original(digits):
    X, y = digits[:2]
    net, opt = _net(0), dp.Adam(0.01)
    _fit(net, X, y, opt)
    net2, opt2 = copy.deepcopy((net, opt))
    _fit(net, X, y, opt, epochs=2, initial_epoch=1)
    _fit(net2, X, y, opt2, epochs=2, initial_epoch=1)
    assert _same(net, net2)
    with pytest.raises(ValueError, match=OTHER_NETWORK):
        _fit(net2, X, y, opt)  # the original optimizer is still the original network's


def test_a_shallow_copy_shares_the_parameters_and_the_state(digits):
    """copy.copy of both holds the very arrays of the original (so the state's owner check lets
    the copy step it), and stepping the copies moves the original's parameters and moments
    exactly as stepping the original would."""
    X, y = digits[:2]
    net, opt = _net(0), dp.Adam(0.01)
    _fit(net, X, y, opt)
    control, control_opt = copy.deepcopy((net, opt))
    net_copy, opt_copy = copy.copy(net), copy.copy(opt)
    assert all(x is y for x, y in zip((*net.weights, *net.biases), (*net_copy.weights, *net_copy.biases)))
    assert opt_copy._state is opt._state and opt_copy._network is net
    _fit(net_copy, X, y, opt_copy, epochs=2, initial_epoch=1)  # the same arrays: no refusal
    _fit(control, X, y, control_opt, epochs=2, initial_epoch=1)
    assert _same(net, control) and _same(net_copy, control)  # the original moved with its copy
    assert opt_copy.iterations == control_opt.iterations > opt.iterations  # t is the copy's own
    assert opt._state.keys() == control_opt._state.keys()
    for key, moment in opt._state.items():  # the moments, shared, moved with the copy's steps
        np.testing.assert_array_equal(moment, control_opt._state[key])


def test_a_loaded_state_goes_to_the_network_it_fits(tmp_path, digits):
    X, y = digits[:2]
    net, opt = _net(0), dp.Adam(0.01)
    _fit(net, X, y, opt)
    files.save_checkpoint(tmp_path / "c.safetensors", net, opt)
    loaded, opt2, _ = files.load_checkpoint(tmp_path / "c.safetensors")
    _fit(net, X, y, opt, epochs=2, initial_epoch=1)
    _fit(loaded, X, y, opt2, epochs=2, initial_epoch=1)
    assert _same(net, loaded)
    other = dp.Adam(0.01)
    other.load_state_dict(opt.state_dict())
    small = _net(0, (64, 8, 10))
    with pytest.raises(ValueError, match=r"state \(loaded with load_state_dict\) does not fit .*'m_w0' is"):
        _fit(small, X, y, other)
