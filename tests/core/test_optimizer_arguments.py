"""An optimizer's switches and η are checked where they are set: in the constructor, and η again
whenever a schedule, a callback or a user assigns it, so a hand ``step`` never meets a bad one."""

import numpy as np
import pytest

import deltaprop as dp


@pytest.mark.parametrize("make", [dp.SGD, dp.Adam, dp.Momentum, dp.Nesterov])
@pytest.mark.parametrize("value", ["False", None, 0, 1.0])
def test_update_biases_must_be_a_bool(make, value):
    # bool("False") is True and bool(None) False: neither is what was meant.
    with pytest.raises(TypeError, match=rf"update_biases must be True or False; got {value!r:.5}"):
        make(update_biases=value)


def test_nesterov_must_be_a_bool_and_numpy_bools_are_bools():
    with pytest.raises(TypeError, match="nesterov must be True or False; got 'no'"):
        dp.SGD(0.1, 0.9, nesterov="no")
    opt = dp.SGD(0.1, 0.9, nesterov=np.True_, update_biases=np.False_)
    assert (opt.nesterov, opt.update_biases) == (True, False)
    assert type(opt.nesterov) is bool and type(opt.update_biases) is bool


@pytest.mark.parametrize(
    "value, error, words",
    [
        ("0.1", TypeError, "must be a number; got '0.1'"),
        (-1.0, ValueError, "must be a finite number > 0; got -1.0"),
        (np.nan, ValueError, "must be a finite number > 0; got nan"),
    ],
)
def test_an_assigned_learning_rate_is_checked_as_the_constructors(value, error, words):
    net = dp.Network([2, 3, 1], seed=0)
    grads = net.backprop([[0.5, -0.5]], [[1.0]])
    opt = dp.SGD(0.1)
    with pytest.raises(error, match=f"learning_rate {words}"):
        opt.learning_rate = value
    assert opt.learning_rate == 0.1  # unchanged, so a hand step applies η = 0.1
    before = net.weights[0].copy()
    opt.step(net, grads)
    np.testing.assert_allclose(net.weights[0], before - 0.1 * grads.weights[0])


def test_an_assigned_learning_rate_is_a_float_and_kept_in_the_state():
    opt = dp.Adam()
    opt.learning_rate = np.float32(0.5)
    assert type(opt.learning_rate) is float and opt.learning_rate == 0.5
    assert opt.state_dict()["hyper"]["learning_rate"] == 0.5
    assert "learning_rate=0.5" in repr(opt)
