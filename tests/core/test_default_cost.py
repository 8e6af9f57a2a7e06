"""A network's cost when none is named: log-likelihood under a softmax output, else quadratic.

``dp.Network([...], output_activation="softmax")`` used the quadratic cost without a word,
while the command line and the scikit-learn classifier pair softmax with log-likelihood, as
Nielsen's chapter 3 does; a black-box audit's author trained such a network and fell into it.
``cost=None`` (the default) now chooses by the output layer; a cost that is named is kept.
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.files import read_metadata


@pytest.fixture(scope="module")
def digits():
    X, y = dp.datasets.load_digits("train")
    return X[:150].astype(np.float64), y[:150]


@pytest.mark.parametrize(
    ("kwargs", "cost"),
    [
        ({}, "quadratic"),  # Nielsen's chapter 1 network: logistic, quadratic
        ({"output_activation": "linear"}, "quadratic"),
        ({"output_activation": "softmax"}, "log_likelihood"),
        ({"activation": ["relu", "softmax"]}, "log_likelihood"),  # the last σ of the list
        ({"output_activation": "softmax", "cost": None}, "log_likelihood"),
        ({"output_activation": "softmax", "cost": "quadratic"}, "quadratic"),  # named: kept
        ({"output_activation": "logistic", "cost": "log_likelihood"}, "log_likelihood"),
    ],
)
def test_the_cost_is_chosen_by_the_output_layer_unless_named(kwargs, cost):
    net = dp.Network([4, 5, 3], seed=0, **kwargs)
    assert net.cost.name == cost and f"cost='{cost}'" in repr(net)
    given = dp.Network.from_arrays(net.weights, net.biases, net.activation_names, cost=kwargs.get("cost"))
    assert given.cost.name == cost


def test_a_softmax_network_without_a_cost_trains_as_one_with_log_likelihood(digits, tmp_path):
    X, y = digits
    default = dp.Network([64, 12, 10], output_activation="softmax", seed=0)
    named = dp.Network([64, 12, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    h_default = default.fit(X, y, 3, seed=1)
    h_named = named.fit(X, y, 3, seed=1)
    assert h_default.history["loss"] == h_named.history["loss"]
    assert h_default.history["lr"] == [0.1] * 3  # log-likelihood's η when none is given
    for a, b in zip(default.weights + default.biases, named.weights + named.biases):
        np.testing.assert_array_equal(a, b)
    # the cost chosen is the one a model file records, and loads as
    dp.save(default, tmp_path / "m.safetensors")
    assert read_metadata(tmp_path / "m.safetensors")["cost"] == "log_likelihood"
    assert dp.load(tmp_path / "m.safetensors").cost.name == "log_likelihood"
