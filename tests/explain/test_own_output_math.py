"""The walk-through calls the output δ simplified (δ = a − y) exactly when backprop takes that
shortcut: for deltaprop's own classes, not for a subclass that changes their math."""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop.activations import Logistic


class Steep(Logistic):
    """σ(2·net): named "logistic", but not the logistic the shortcut was derived for."""

    def forward(self, net, out=None):
        return super().forward(2 * net, out)

    def prime(self, a, out=None):
        return 2 * super().prime(a, out)


def _trace(output):
    net = dp.Network([2, 3, 2], activation=["logistic", output], cost="cross_entropy", seed=0)
    return net, dp.explain(net, [[0.2, 0.7]], [[0.0, 1.0]], 0.5)


def test_the_built_in_pair_is_shown_simplified():
    _, trace = _trace("logistic")
    assert trace.cost_simplifies and all(out.simplified for out in trace.outputs)


def test_a_subclass_is_shown_with_its_own_delta_and_that_delta_is_backprops():
    net, trace = _trace(Steep())
    assert not trace.cost_simplifies and not any(out.simplified for out in trace.outputs)
    grads = net.backprop([[0.2, 0.7]], [[0.0, 1.0]])
    shown = np.array([[out.delta[0] for out in trace.outputs]])
    np.testing.assert_array_equal(shown, grads.deltas[-1])
