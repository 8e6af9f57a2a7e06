"""``net.summary()``, Keras's ``model.summary()``: a table of the layers (size, σ, the shapes of
the w and b feeding each, their parameter count), the total, the cost, the dtype and the init."""

from __future__ import annotations

import numpy as np

import deltaprop as dp

# [2, 3, 1]: layer 1 has 2·3 weights + 3 biases = 9 parameters, layer 2 has 3·1 + 1 = 4: 13 in all.
SMALL = """\
Network [2, 3, 1]
----------------------------------------------------------------
layer     neurons  activation σ  weights w  biases b  parameters
----------------------------------------------------------------
0 input         2                                              0
1 hidden        3  logistic      (2, 3)     (3,)               9
2 output        1  logistic      (3, 1)     (1,)               4
----------------------------------------------------------------
Total parameters: 13 (9 weights, 4 biases)
Cost: quadratic   dtype: float64   init: normal"""


def test_the_summary_of_a_small_network_by_hand():
    summary = dp.Network([2, 3, 1], seed=0).summary()
    assert summary == SMALL
    assert isinstance(summary, str) and repr(summary) == SMALL  # a prompt shows the table itself


def test_every_layer_its_activation_and_the_total_of_a_deeper_network():
    net = dp.Network(
        [784, 100, 100, 10],
        activation="leaky_relu(0.1)",
        output_activation="softmax",
        init="he_normal",
        seed=0,
        dtype=np.float32,
    )
    lines = net.summary().splitlines()
    assert lines[0] == "Network [784, 100, 100, 10]"
    # 784·100 + 100 = 78,500; 100·100 + 100 = 10,100; 100·10 + 10 = 1,010
    assert lines[5].split() == ["1", "hidden", "100", "leaky_relu(0.1)", "(784,", "100)", "(100,)", "78,500"]
    assert lines[6].split() == ["2", "hidden", "100", "leaky_relu(0.1)", "(100,", "100)", "(100,)", "10,100"]
    assert lines[7].split() == ["3", "output", "10", "softmax", "(100,", "10)", "(10,)", "1,010"]
    assert net.n_params == 78_500 + 10_100 + 1_010
    assert lines[-2] == "Total parameters: 89,610 (89,400 weights, 210 biases)"
    assert lines[-1] == "Cost: log_likelihood   dtype: float32   init: he_normal"
    column = lines[2].index(
        "activation σ"
    )  # every σ starts under its heading, every count ends under its own
    assert [lines[k].index(spec) for k, spec in ((5, "leaky"), (6, "leaky"), (7, "softmax"))] == [column] * 3
    assert {len(line) for line in lines[2:8] if line[0] != "-"} == {len(lines[2])}


def test_a_network_built_from_arrays_says_its_weights_were_given():
    net = dp.Network.from_arrays([[[0.15, 0.25], [0.2, 0.3]]], [[0.35, 0.35]], activation="tanh")
    text = net.summary()
    assert "\n1 output        2  tanh          (2, 2)     (2,)               6\n" in text
    assert text.endswith("Cost: quadratic   dtype: float64   init: given")
