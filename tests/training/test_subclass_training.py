"""A Network subclass is trained and copied as itself: its own backprop is the one fit steps
with (the one gradient_check checks), and a copy shares none of its attributes."""

from __future__ import annotations

import copy
import pickle
import sys

import numpy as np
import pytest

import deltaprop as dp


class Halved(dp.Network):
    """A learner's backprop with a mistake: ∂C/∂w half what it should be."""

    def backprop(self, X, Y, sample_weight=None):
        grads = super().backprop(X, Y, sample_weight)
        for gw in grads.weights:
            gw *= 0.5
        return grads


class Logged(dp.Network):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = []

    def backprop(self, X, Y, sample_weight=None):
        grads = super().backprop(X, Y, sample_weight)
        self.log.append(grads.cost)
        return grads


X, Y = dp.datasets.make_moons(40, seed=0)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fit_steps_with_the_subclass_own_backprop(optimizer):
    net = Halved([2, 4, 2], seed=0)
    by_hand = net.copy()
    net.fit(X, Y, epochs=1, batch_size=None, learning_rate=0.5, optimizer=optimizer, shuffle=False, seed=0)
    opt = dp.optimizers.get(optimizer, learning_rate=0.5)
    opt.step(by_hand, by_hand.backprop(X, Y))  # the subclass's gradients, halved
    for ours, theirs in zip(net.weights + net.biases, by_hand.weights + by_hand.biases):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    if optimizer == "sgd":  # (Adam's step hardly sees a gradient halved: m̂/√v̂ is scale-free)
        plain = dp.Network([2, 4, 2], seed=0)
        plain.fit(X, Y, epochs=1, batch_size=None, learning_rate=0.5, shuffle=False, seed=0)
        assert not np.allclose(plain.weights[0], net.weights[0])  # the library's backprop would differ
    assert dp.gradient_check(Halved([2, 4, 2], seed=0), X[:3], Y[:3]) > 0.1  # and the check says why


def test_a_copy_and_gradient_check_leave_the_subclass_attributes_alone():
    net = Logged([2, 3, 2], seed=0)
    dp.gradient_check(net, X[:2], Y[:2])
    assert net.log == []  # "net is not changed"
    twin = net.copy()
    twin.backprop(X[:2], Y[:2])
    assert net.log == [] and twin.log is not net.log and len(twin.log) == 1
    assert type(twin) is Logged


def test_adam_pickles_and_copies_without_its_scratch_arrays():
    net = dp.Network([20, 30, 2], seed=0)
    adam = dp.Adam(0.01)
    adam.step(net, net.backprop(np.ones((4, 20)), [0, 1, 0, 1]))
    assert "_buffers" in adam.__dict__
    for twin in (pickle.loads(pickle.dumps(adam)), copy.copy(adam), copy.deepcopy(adam)):  # noqa: S301
        assert "_buffers" not in twin.__dict__ and twin.iterations == adam.iterations


def test_weights_given_where_evaluate_takes_batch_size_are_named():
    net = dp.Network([2, 3, 2], seed=0)
    with pytest.raises(TypeError, match=r"array of shape \(40,\): pass per-sample weights as sample_weight="):
        net.evaluate(X, Y, np.ones(40))


def test_an_attribute_that_cannot_be_copied_is_shared_not_a_failure():
    class Reporting(dp.Network):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.stream = sys.stdout  # an open file: deepcopy refuses it

    net = Reporting([2, 3, 2], seed=0)
    twin = net.copy()
    assert twin.stream is net.stream
    assert twin.weights[0] is not net.weights[0] and np.array_equal(twin.weights[0], net.weights[0])


def test_a_two_argument_backprop_trains_and_a_wrong_return_is_named():
    class Mine(dp.Network):  # a learner's signature: no sample_weight
        def backprop(self, X, Y):
            return super().backprop(X, Y)

    net = Mine([2, 3, 2], seed=0)
    net.fit(X, Y, epochs=1, verbose=0, seed=0)
    plain = dp.Network([2, 3, 2], seed=0)
    plain.fit(X, Y, epochs=1, verbose=0, seed=0)
    for ours, theirs in zip(net.weights, plain.weights):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)

    class Nielsen(dp.Network):  # network.py's (nabla_b, nabla_w)
        def backprop(self, X, Y, sample_weight=None):
            grads = super().backprop(X, Y)
            return grads.biases, grads.weights

    with pytest.raises(TypeError, match="Nielsen's own backprop, which returned a tuple: it must return"):
        Nielsen([2, 3, 2], seed=0).fit(X, Y, epochs=1, verbose=0, seed=0)


def test_a_copy_of_a_network_that_refers_to_itself_refers_to_the_copy():
    class Ref(dp.Network):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.owner = self

    net = Ref([2, 3, 2], seed=0)
    twin = net.copy()
    assert twin.owner is twin
