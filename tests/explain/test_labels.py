"""What the walk-through calls things: a sample's cost C_x, a leaky_relu's own slope α."""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop.walkthrough import explain, render_text

X2 = np.array([[0.5, -1.0], [0.1, 0.2]])
Y2 = np.array([[0.0, 1.0], [1.0, 0.0]])


def _section(text: str, title: str) -> str:
    start = text.index(title)
    return text[start : text.index("\n\n", start)]


def test_a_batch_sample_total_is_c_x_not_the_batch_cost():
    net = dp.Network([2, 2, 2], seed=1)
    trace = explain(net, X2, Y2, learning_rate=0.5)
    cost = _section(render_text(trace), "The cost")
    assert "C_x = ½Σ_j(y_j − a³_j)² = " in cost and "(for this example)" in cost
    assert "\n  C = " not in cost  # the batch's C = 1/n Σ_x C_x is another number
    c1, c2 = (0.5 * (Y2[0] - trace.forward.o[-1][0]) ** 2).tolist()
    assert f"= {c1 + c2:.9f}" in cost


def test_one_output_writes_its_term_once():
    net = dp.Network([2, 2, 1], seed=1)
    cost = _section(render_text(explain(net, X2[:1], Y2[:1, :1], learning_rate=0.5)), "The cost")
    lines = cost.splitlines()[1:]
    assert len(lines) == 1 and lines[0].strip().startswith("C = ½(y₁ − a³₁)² = "), lines  # not twice


def test_leaky_relu_shows_the_networks_own_slope():
    net = dp.Network([2, 3, 2], activation="leaky_relu(0.2)", output_activation="logistic", seed=0)
    X = np.array([[1.0, -3.0]])  # drives some hidden net below 0
    text = render_text(explain(net, X, Y2[:1], learning_rate=0.5))
    assert "leaky_relu(0.2): σ(z) = z where z > 0, else α z; σ′ = 1 or α, with α = 0.2." in text
    assert "else 0.2" in text and "else 0.01" not in text
    trace = explain(net, X, Y2[:1], learning_rate=0.5)
    hidden_net = trace.forward.net[0][0]
    assert (hidden_net < 0).any()  # the slope is used, and the printed σ′ values say so
    for j in np.flatnonzero(hidden_net < 0):
        assert f"z²{'₁₂₃'[j]}) = 1 if z²{'₁₂₃'[j]} > 0, else 0.2 = 0.2" in text


def test_the_prose_uses_the_same_decimals_as_the_equations():
    # A float32 network is printed to 6 decimals; the sentences around the equations too.
    from deltaprop.walkthrough import examples

    ex = examples.get("mazur")
    net = dp.Network.from_arrays(
        [w.astype(np.float32) for w in ex.net.weights], [b.astype(np.float32) for b in ex.net.biases]
    )
    trace = explain(net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases, example="mazur")
    text = render_text(trace, "mazur")
    sentence = text[text.index("the exact algorithm gives ") :].split()[4].rstrip(".")
    assert len(sentence.split(".")[1]) <= 6, sentence
    assert sentence == f"{float(trace.cost_after):.6f}".rstrip("0")
    assert "Mazur's post prints 0.291027924" in text  # a quoted figure keeps the post's digits
    wide = render_text(trace, "mazur", digits=9)
    assert f"the exact algorithm gives {float(trace.cost_after):.9f}".rstrip("0") in " ".join(wide.split())


def test_the_prose_names_a_cost_as_the_heading_does_not_by_its_code_name():
    # "cost cross-entropy" in the opening line, then "With the cross_entropy cost" two sections on
    for output, cost, name in (
        ("logistic", "cross_entropy", "cross-entropy"),
        ("softmax", "log_likelihood", "log-likelihood"),
    ):
        net = dp.Network([2, 2, 2], output_activation=output, cost=cost, seed=1)
        text = render_text(explain(net, X2[0], Y2[0], learning_rate=0.5))
        assert f"With the {name} cost" in text
        assert cost not in text
