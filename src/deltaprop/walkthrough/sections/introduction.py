"""The opening of the walk-through: the network, the cost, η, the notation in use.

For the ``"post"`` variant it also warns, before anything else, that this is not the algorithm.
"""

from __future__ import annotations

from ...activations import get
from ..blocks import Block, Heading, Note, Paragraph
from ..examples import is_mazur_step
from ..math import DEFAULT_DIGITS, fmt
from ..trace import Trace

_ACTIVATION_TEXT = {
    "logistic": "σ(z) = 1/(1 + e^(−z)), σ′ = σ(1 − σ)",
    "tanh": "σ(z) = tanh z, σ′ = 1 − σ²",
    "relu": "σ(z) = max(0, z), σ′ = 1 where z > 0, else 0",
    "leaky_relu": "σ(z) = z where z > 0, else α z; σ′ = 1 or α, with α = {slope:g}",
    "linear": "σ(z) = z, σ′ = 1",
    "softmax": "a_j = e^(z_j) / Σ_k e^(z_k), whose Jacobian ∂a_j/∂z_k = a_j (1[j=k] − a_k) is not diagonal",
}
_COST_TEXT = {
    "quadratic": "quadratic, C_x = ½ Σ_j (y_j − a_j)²",
    "cross_entropy": "cross-entropy, C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]",
    "log_likelihood": "log-likelihood, C_x = −Σ_j y_j ln a_j",
}


def introduction(trace: Trace, nt, digits: int = DEFAULT_DIGITS) -> list[Block]:
    title = "One step of backpropagation"
    if trace.example == "mazur":
        title += ": Mazur's 2-2-2 example"
    elif trace.example:
        title += f": the {trace.example} example"
    blocks: list[Block] = [Heading(1, title)]
    acts = list(trace.specs)  # names, with any parameter (leaky_relu(0.2))
    hidden = sorted(set(acts[:-1]))
    act_text = (
        f"σ = {acts[-1]} in every layer"
        if len(set(acts)) == 1
        else f"hidden σ = {', '.join(hidden)}, output σ = {acts[-1]}"
    )
    samples = (
        "one example"
        if trace.n_samples == 1
        else f"a batch of {trace.n_samples} examples (every gradient is the batch average)"
    )
    blocks.append(
        Paragraph(
            f"Network {trace.sizes} ({act_text}); cost {_COST_TEXT.get(trace.cost, trace.cost)}, "
            f"C = 1/n Σ_x C_x; learning rate η = {fmt(trace.learning_rate, digits)}; {samples}; "
            + (
                "weights and biases are updated."
                if trace.update_biases
                else "weights are updated, biases kept."
            )
        )
    )
    for spec in dict.fromkeys(acts):
        fn = get(spec)
        text = _ACTIVATION_TEXT.get(fn.name, fn.name).format(slope=getattr(fn, "slope", 0.0))
        blocks.append(Paragraph(f"{spec}: {text}."))
    if nt.name == "nielsen":
        blocks.append(
            Paragraph(
                "Notation (Nielsen): layers count from 1 at the input; z^l_j is the weighted input and "
                "a^l_j the output of neuron j in layer l, δ^l_j = ∂C/∂z^l_j its error, w^l_jk the weight "
                "into neuron j of layer l from neuron k of layer l − 1, and a ⁺ marks a value after the step."
            )
        )
    else:
        blocks.append(
            Paragraph(
                "Notation (Mazur): i1, i2 … are the inputs, h… the hidden and o… the output neurons; "
                "net is a neuron's weighted input, out its output, δ = ∂E_total/∂net its error; the "
                "weights are numbered w1, w2 … as in the post, and ⁺ marks a value after the step."
            )
        )
    if trace.variant == "post":
        post = (
            "that is where the post's error after the step comes from "
            f"({fmt(trace.cost_after, digits)})"
            if is_mazur_step(trace)
            else f"with these settings it gives {fmt(trace.cost_after, digits)} after the step"
        )
        blocks.append(
            Note(
                "This is NOT the backpropagation algorithm. In this 'post' variant each hidden δ is computed "
                "from the already-updated outgoing weights w⁺, as the older script behind Mazur's post did; "
                f"{post}. The exact algorithm uses the weights before the step "
                f"and gives {fmt(trace.exact_cost_after, digits)}."
            )
        )
    return blocks
