"""In Nielsen's notation the walk-through names the lines that are his BP1–BP4.

A student working through chapter 2 checks δ^L = ∇_a C ⊙ σ′(z^L) (BP1),
δ^l = ((w^(l+1))ᵀ δ^(l+1)) ⊙ σ′(z^l) (BP2), ∂C/∂b^l_j = δ^l_j (BP3) and
∂C/∂w^l_jk = a^(l−1)_k δ^l_j (BP4) against the numbers; before, nothing said which line was
which. Mazur's post does not number them, so his notation does not either.
"""

from __future__ import annotations

import re
from collections import Counter

import deltaprop as dp
from deltaprop.walkthrough import examples, render_markdown, render_text

WIDE = 2000


def labels(text: str) -> Counter:
    """How many lines carry each note (BP1), (BP2, averaged over the batch), … (not the four vector forms)."""
    components = "\n".join(line for line in text.splitlines() if not re.search(r"\^[lL(]", line))
    return Counter(re.findall(r"   \((BP\d[^)]*)\)$", components, re.M))


def xor_trace(**kwargs):
    ex = examples.get("xor")
    return dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, **kwargs)


def test_each_equation_is_named_once_per_neuron_or_parameter():
    text = render_text(xor_trace(), width=WIDE)  # [2, 2, 1]: 1 output, 2 hidden, 3 biases, 6 weights
    assert labels(text) == {"BP1": 1, "BP2": 2, "BP3": 3, "BP4": 6}
    assert "δ³₁ = ∂C/∂a³₁ · σ′(z³₁) = −0.099946175 × 0.089956937 = −0.008990852   (BP1)" in text
    assert "  ∂C/∂w³₁₂ = a²₂ · δ³₁ = 0.119202922 × (−0.008990852) = −0.001071736   (BP4)" in text.splitlines()
    assert "(BP1) to (BP4) mark the lines" in " ".join(text.split())


def test_markdown_names_them_too():
    markdown = render_markdown(xor_trace())
    assert markdown.count(r"\quad \text{(BP2)}") == 1 + 2  # the vector form, then each hidden neuron


def test_mazur_notation_and_the_post_variant():
    assert "BP" not in render_text(xor_trace(), "mazur", width=WIDE)
    post = render_text(xor_trace(variant="post"), width=WIDE)
    assert "BP2" not in labels(post)  # its hidden δ use the updated weights: not BP2


def test_softmax_output_and_batches():
    net = dp.Network([2, 3, 3], output_activation="softmax", cost="log_likelihood", seed=1)
    text = render_text(dp.explain(net, [0.5, -1.0], [0, 1, 0], 0.5), width=WIDE)
    assert labels(text) == {"BP2": 3, "BP3": 6, "BP4": 15}  # softmax's δ is the chain rule, not BP1
    batch = render_text(dp.explain(examples.get("xor").net, [[0, 1], [1, 1]], [1, 0], 0.5), width=WIDE)
    assert labels(batch) == {
        "BP1": 2,
        "BP2": 4,
        "BP3, averaged over the batch, n = 2": 3,
        "BP4, averaged over the batch, n = 2": 6,
    }


def test_a_summary_does_not_announce_labels_it_does_not_show():
    net = dp.Network([6, 30, 4], seed=0)  # 40 neurons: summarised
    text = " ".join(render_text(dp.explain(net, [0.1] * 6, 2, 0.5), width=WIDE).split())
    assert "summary" in text and "BP" not in text


def test_a_softmax_output_says_why_it_has_no_bp1():
    # Before: the header promised (BP1) for δ of an output neuron, and a softmax output had none, unexplained
    net = dp.Network([2, 3, 3], output_activation="softmax", cost="log_likelihood", seed=1)
    text = " ".join(render_text(dp.explain(net, [0.5, -1.0], [0, 1, 0], 0.5), width=WIDE).split())
    assert "A softmax output's δ is not BP1" in text
    output_layer = text[text.index("Backward: the output layer") :]
    why = output_layer.index("No line here is marked (BP1): softmax couples the outputs")
    assert why < output_layer.index("δ³₁ = ")
    simplified = "δ = a − y (for targets that sum to 1), which comes from the cost and softmax together"
    assert simplified in output_layer
    quadratic = dp.Network([2, 3, 3], output_activation="softmax", cost="quadratic", seed=1)
    text = " ".join(render_text(dp.explain(quadratic, [0.5, -1.0], [0, 1, 0], 0.5), width=WIDE).split())
    assert "δ_j = a³_j(∂C/∂a³_j − Σ_k ∂C/∂a³_k a³_k) is the chain rule through that matrix." in text
    assert "softmax couples" not in render_text(xor_trace(), width=WIDE)  # a logistic output is BP1


def test_the_vector_forms_are_printed_once_where_the_equations_are_introduced():
    text = render_text(xor_trace(), width=WIDE)
    forms = [
        "  δ^L = ∇_a C ⊙ σ′(z^L)   (BP1)",
        "  δ^l = ((w^(l+1))ᵀδ^(l+1)) ⊙ σ′(z^l)   (BP2)",
        "  ∂C/∂b^l = δ^l   (BP3)",
        "  ∂C/∂w^l = δ^l(a^(l−1))ᵀ   (BP4)",
    ]
    lines = text.splitlines()
    at = lines.index(forms[0])
    assert lines[at : at + 4] == forms and at < lines.index("The forward pass")
    assert text.count("⊙") == 2 + 1 and "with L = 3 the output layer" in text
    markdown = render_markdown(xor_trace())
    assert r"\delta^{L} = \nabla_{a} C \odot \sigma' \left(z^{L}\right) \quad \text{(BP1)}" in markdown
    assert r"\left(a^{l-1}\right)^{T} \quad \text{(BP4)}" in markdown
    assert "⊙" not in render_text(xor_trace(), "mazur", width=WIDE)  # Mazur's post has no BP1–BP4
    batch = render_text(dp.explain(examples.get("xor").net, [[0, 1], [1, 1]], [1, 0], 0.5), width=WIDE)
    assert "  δ^L = ∇_a C_x ⊙ σ′(z^L)   (BP1)" in batch.splitlines()
