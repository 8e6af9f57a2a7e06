"""Mazur's "A Step by Step Backpropagation Example" (2015), reproduced to 1e-9.

Every figure the post prints to nine decimals is asserted to 1e-9. Four of its new weights
(w5, w2, w3, w4) are printed to eight decimals, and three of those differ from the exact
values by more than 1e-9 (w2 = 0.19956143 is 0.199561432266 exactly), so they are asserted
to half a unit of their last printed digit; every number is also asserted to 1e-12 against
the exact values, computed with 40-digit arithmetic from the post's formulas.

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


# The exact values, from the post's formulas in 40-digit arithmetic (mpmath, mp.dps = 40),
# rounded to 15 significant digits: outputs, E_total, ∂E/∂w5, ∂E/∂w1, w1..w8 after one step
# with η = 0.5 and the biases kept, and E_total after it.
EXACT = {
    "out_h1": 0.593269992107187,
    "out_h2": 0.596884378259767,
    "out_o1": 0.751365069552316,
    "out_o2": 0.772928465321463,
    "E_total": 0.298371108760003,
    "dE/dw5": 0.0821670405642308,
    "dE/dw1": 0.000438567734474347,
    "new_w": [
        0.149780716132763,
        0.199561432265526,
        0.24975114363237,
        0.299502287264739,
        0.358916479717885,
        0.408666186076233,
        0.511301270238738,
        0.561370121107989,
    ],
    "E_total_after": 0.291027773693599,
}
EXACT_TOL = 1e-12


@pytest.mark.parametrize("engine", ["vectorised", "reference"])
def test_every_number_equals_the_exact_value_to_1e_12(engine):
    from deltaprop import reference

    net = mazur_network()
    fp = net.forward(X)
    grads = net.backprop(X, Y) if engine == "vectorised" else reference.backprop(net, X, Y)
    got = [fp.o[1][0, 0], fp.o[1][0, 1], fp.o[2][0, 0], fp.o[2][0, 1], grads.cost]
    got += [grads.weights[1][0, 0], grads.weights[0][0, 0]]
    want = [EXACT[k] for k in ("out_h1", "out_h2", "out_o1", "out_o2", "E_total", "dE/dw5", "dE/dw1")]
    np.testing.assert_allclose(got, want, rtol=0, atol=EXACT_TOL)
    dp.SGD(ETA, update_biases=False).step(net, grads)
    # Mazur's w1..w8 in deltaprop's layout: weights[0] = [[w1, w3], [w2, w4]], weights[1] likewise.
    new_w = [net.weights[l][i, j] for l in (0, 1) for j in (0, 1) for i in (0, 1)]
    np.testing.assert_allclose(new_w, EXACT["new_w"], rtol=0, atol=EXACT_TOL)
    assert net.cost_value(X, Y) == pytest.approx(EXACT["E_total_after"], abs=EXACT_TOL)


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


def test_the_reference_module_offers_backprop_alone():
    """``from deltaprop.reference import *`` and help() showed np, check_X, Network … too."""
    from deltaprop import reference

    assert reference.__all__ == ["backprop"]
    namespace: dict = {}
    exec("from deltaprop.reference import *", namespace)  # noqa: S102
    assert sorted(k for k in namespace if not k.startswith("__")) == ["backprop"]
