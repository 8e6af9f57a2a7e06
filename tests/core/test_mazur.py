"""Mazur's "A Step by Step Backpropagation Example" (2015), reproduced to 1e-9.

The network is 2-2-2 with logistic units and E = ½ Σ (target − out)², which for a single
example is the quadratic cost C = 1/(2n) Σ_x ||y − a||² with n = 1. Mazur numbers the
weights w1..w8: w1 (i1→h1) = .15, w2 (i2→h1) = .20, w3 (i1→h2) = .25, w4 (i2→h2) = .30,
w5 (h1→o1) = .40, w6 (h2→o1) = .45, w7 (h1→o2) = .50, w8 (h2→o2) = .55. In deltaprop's
layout weights[l][i, j] is the weight from i to j, so weights[0] = [[w1, w3], [w2, w4]].
"""

import numpy as np
import pytest

import deltaprop as dp

X = np.array([[0.05, 0.10]])
Y = np.array([[0.01, 0.99]])
ETA = 0.5
TOL = 1e-9


def published(figure: str):
    """The post's figures, each to the precision it is printed at (1e-9 for nine decimals;
    the eight-decimal ones, such as w2 = 0.19956143, to half a unit of their last digit)."""
    decimals = len(figure.split(".")[1])
    return pytest.approx(float(figure), abs=max(TOL, 0.5 * 10.0**-decimals))


def mazur_network() -> dp.Network:
    return dp.Network.from_arrays(
        weights=[[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]],
        biases=[[0.35, 0.35], [0.60, 0.60]],
        activation="logistic",
        cost="quadratic",
    )


def test_forward_pass_matches_the_post():
    fp = mazur_network().forward(X)
    # net_h1 = w1·i1 + w2·i2 + b1 = .15·.05 + .20·.10 + .35 = .3775; out_h1 = σ(.3775)
    assert fp.net[0][0, 0] == pytest.approx(0.3775, abs=TOL)
    assert fp.o[1][0, 0] == pytest.approx(0.593269992, abs=TOL)
    assert fp.o[2][0, 0] == pytest.approx(0.75136507, abs=TOL)
    assert fp.o[2][0, 1] == pytest.approx(0.772928465, abs=TOL)


def test_total_error_and_gradients_match_the_post():
    grads = mazur_network().backprop(X, Y)
    # E_total = ½(.01 − .75136507)² + ½(.99 − .772928465)² = .274811083 + .023560026
    assert grads.cost == pytest.approx(0.298371109, abs=TOL)
    # ∂E/∂w5 = (out_o1 − target_o1) · out_o1(1 − out_o1) · out_h1
    #        = .74136507 × .186815602 × .593269992 = .082167041
    assert grads.weights[1][0, 0] == pytest.approx(0.082167041, abs=TOL)
    # ∂E/∂w1 = (δ_o1 w5 + δ_o2 w7) · out_h1(1 − out_h1) · i1 = .000438568
    assert grads.weights[0][0, 0] == pytest.approx(0.000438568, abs=TOL)


def test_one_step_with_biases_untouched_matches_the_post():
    net = mazur_network()
    dp.SGD(ETA, update_biases=False).step(net, net.backprop(X, Y))
    w5, w7, w6, w8 = net.weights[1].ravel()  # rows: from h1, from h2; columns: to o1, to o2
    assert w5 == published("0.35891648")
    assert w6 == published("0.408666186")
    assert w7 == published("0.511301270")
    assert w8 == published("0.561370121")
    w1, w3, w2, w4 = net.weights[0].ravel()
    assert w1 == published("0.149780716")
    assert w2 == published("0.19956143")
    assert w3 == published("0.24975114")
    assert w4 == published("0.29950229")
    assert [b.tolist() for b in net.biases] == [[0.35, 0.35], [0.60, 0.60]]


def test_error_after_the_step_is_the_exact_algorithms_value():
    net = mazur_network()
    dp.SGD(ETA, update_biases=False).step(net, net.backprop(X, Y))
    # The post prints 0.291027924. That figure comes from an older version of its script,
    # which computed the hidden δ from the already-updated output weights w5..w8. The exact
    # algorithm computes every δ from the weights of the forward pass, and gives .291027774.
    assert net.cost_value(X, Y) == pytest.approx(0.291027774, abs=TOL)


def test_the_posts_figure_comes_from_hidden_deltas_through_updated_weights():
    net = mazur_network()
    grads = net.backprop(X, Y)
    new_w_out = net.weights[1] - ETA * grads.weights[1]
    o = net.forward(X).o
    delta_hidden = (grads.deltas[1] @ new_w_out.T) * o[1] * (1 - o[1])
    new_w_hidden = net.weights[0] - ETA * (o[0].T @ delta_hidden)
    net.weights = [new_w_hidden, new_w_out]
    assert net.cost_value(X, Y) == pytest.approx(0.291027924, abs=TOL)
