"""The opening of the walk-through: the network, the cost, η, the notation in use.

For the ``"post"`` variant it also warns that this is not the algorithm. Last, before the step,
the trace's notes (a run's optimizer, weight decay, scaling: what the one step shown leaves out
of the run's own) under "About this run".
"""

from __future__ import annotations

from ...activations import get
from ..blocks import Block, Equations, Heading, Note, Paragraph
from ..examples import is_mazur_step
from ..math import DEFAULT_DIGITS, Eq, Frac, Op, Paren, Sym, eq, to_text, typeset
from ..trace import Trace
from .cost import cost_sum

_ACTIVATION_TEXT = {
    "logistic": "σ(z) = 1/(1 + e^(−z)), σ′ = σ(1 − σ)",
    "tanh": "σ(z) = tanh z, σ′ = 1 − σ²",
    "relu": "σ(z) = max(0, z), σ′ = 1 where z > 0, else 0",
    "leaky_relu": "σ(z) = z where z > 0, else α z; σ′ = 1 or α, with α = {slope:g}",
    "linear": "σ(z) = z, σ′ = 1",
    "softmax": "a_j = e^(z_j) / Σ_k e^(z_k), whose Jacobian ∂a_j/∂z_k = a_j (1[j=k] − a_k) is not diagonal",
}
# Mazur's names for the one σ that is written with its weighted inputs and outputs
_MAZUR_SOFTMAX = (
    "out_j = e^(net_j) / Σ_k e^(net_k), whose Jacobian ∂out_j/∂net_k = out_j (1[j=k] − out_k) is not diagonal"
)
BP_LABELS = (
    " (BP1) to (BP4) mark the lines that are the four equations of backpropagation of his chapter 2: "
    "δ of an output neuron, δ of a hidden one, ∂C/∂b and ∂C/∂w."
)
SOFTMAX_NOT_BP1 = (
    " A softmax output's δ is not BP1, whose σ′ acts on each neuron alone (see the output layer)."
)
ABOUT_THE_RUN = "About this run"
COST_NAMES = {"quadratic": "quadratic", "cross_entropy": "cross-entropy", "log_likelihood": "log-likelihood"}


def _cost_text(trace: Trace, nt) -> str:
    """The cost of one example and of the batch, in the notation's symbols: C_x = ½ Σ_j (y_j − a³_j)²."""
    C, C_x = nt.cost(), Sym(nt.cost().base, "x")
    form = cost_sum(trace, nt)
    name = COST_NAMES.get(trace.cost, trace.cost)
    if not form:
        return name
    return f"{name}, {to_text(eq(C_x, form))}, {to_text(eq(C))} = 1/n Σ_x {to_text(eq(C_x))}"


def _vector_forms(trace: Trace) -> list[Block]:
    """Nielsen's BP1–BP4 for whole layers, once: the lines below are their components."""
    C = Sym("C") if trace.n_samples == 1 else Sym("C", "x")

    def layer(base: str, sup: str, t: bool = False):
        symbol = Sym(base, "", sup)
        return Paren((symbol,), "T") if t else symbol

    def sigma_prime(sup: str) -> tuple:
        return (Sym("σ′"), Paren((layer("z", sup),)))

    def partial(bottom) -> Frac:
        return Frac((Op("∂"), C), (Op("∂"), bottom))

    forms = (
        Eq(((layer("δ", "L"),), (Sym("∇", "a"), C, Op("⊙"), *sigma_prime("L"))), note="BP1"),
        Eq(
            (
                (layer("δ", "l"),),
                (Paren((layer("w", "l+1", t=True), layer("δ", "l+1"))), Op("⊙"), *sigma_prime("l")),
            ),
            note="BP2",
        ),
        Eq(((partial(layer("b", "l")),), (layer("δ", "l"),)), note="BP3"),
        Eq(((partial(layer("w", "l")),), (layer("δ", "l"), layer("a", "l−1", t=True))), note="BP4"),
    )
    batch = (
        "; each for one example x, whose cost is C_x, and a batch's ∂C/∂b and ∂C/∂w are their means"
        if trace.n_samples > 1
        else ""
    )
    return [
        Paragraph(
            f"The four equations for whole layers, with L = {trace.n_layers + 1} the output layer, "
            "l = 2 … L − 1 in BP2 and 2 … L in BP3 and BP4, ⊙ the elementwise product and ᵀ the transpose; "
            f"the lines marked below are their components, one neuron or weight at a time{batch}:"
        ),
        Equations(forms),
    ]


def _activation_text(trace: Trace, nt) -> str:
    """Each layer's σ in layer order, naming the layers where the hidden ones differ."""
    acts = list(trace.specs)  # names, with any parameter (leaky_relu(0.2))
    if len(set(acts)) == 1:
        return f"σ = {acts[-1]} in every layer"
    hidden = acts[:-1]
    if len(set(hidden)) == 1:
        return f"hidden σ = {hidden[0]}, output σ = {acts[-1]}"
    where = [f"layer {m + 1}" if nt.name == "nielsen" else nt.layer(m) for m in range(1, len(acts))]
    listed = ", ".join(f"{spec} in {layer}" for spec, layer in zip(hidden, where))
    return f"hidden σ = {listed}; output σ = {acts[-1]}"


def introduction(trace: Trace, nt, digits: int = DEFAULT_DIGITS) -> list[Block]:
    title = "One step of backpropagation"
    if trace.example == "mazur":
        title += ": Mazur's 2-2-2 example"
    elif trace.example:
        title += f": the {trace.example} example"
    blocks: list[Block] = [Heading(1, title)]
    samples = (
        "one example"
        if trace.n_samples == 1
        else f"a batch of {trace.n_samples} examples (every gradient is the batch average)"
    )
    blocks.append(
        Paragraph(
            f"Network {trace.sizes} ({_activation_text(trace, nt)}); cost {_cost_text(trace, nt)}; "
            f"learning rate η = {typeset(trace.learning_rate, digits)}; {samples}; "
            + (
                "weights and biases are updated."
                if trace.update_biases
                else "weights are updated, biases kept."
            )
        )
    )
    for spec in dict.fromkeys(trace.specs):
        fn = get(spec)
        text = _ACTIVATION_TEXT.get(fn.name, fn.name).format(slope=getattr(fn, "slope", 0.0))
        if fn.name == "softmax" and nt.name == "mazur":
            text = _MAZUR_SOFTMAX
        blocks.append(Paragraph(f"{spec}: {text}."))
    batch = trace.n_samples > 1
    # In a batch δ and ∂C/∂a are per example, n times the derivatives of the batch's cost.
    per_example = (
        " Each sample's lines differentiate that example's own cost {C_x}; the batch's {C} = 1/n Σ_x {C_x}, "
        "so the 1/n appears in the gradients, which are averages over the samples."
    )
    if nt.name == "nielsen":
        error = "δ^l_j = ∂C_x/∂z^l_j its error on example x" if batch else "δ^l_j = ∂C/∂z^l_j its error"
        blocks.append(
            Paragraph(
                "Notation (Nielsen): layers count from 1 at the input; z^l_j is the weighted input and "
                f"a^l_j the output of neuron j in layer l, {error}, w^l_jk the weight "
                "into neuron j of layer l from neuron k of layer l − 1, and ′ marks a value after the step "
                "(w → w′ = w − η ∂C/∂w, as Nielsen writes it)."
                + (BP_LABELS if trace.detailed else "")  # a summary has no such lines
                + (SOFTMAX_NOT_BP1 if trace.detailed and trace.activations[-1] == "softmax" else "")
                + (per_example.format(C_x="C_x", C="C") if batch else "")
            )
        )
        if trace.detailed:
            blocks += _vector_forms(trace)
    else:
        blocks.append(
            Paragraph(
                "Notation (Mazur): i1, i2 … are the inputs, h… the hidden and o… the output neurons; "
                "net is a neuron's weighted input, out its output, "
                + ("δ = ∂E_x/∂net its error on example x" if batch else "δ = ∂E_total/∂net its error")
                + "; the "
                "weights are numbered w1, w2 … as in the post, and ⁺ marks a value after the step."
                + (per_example.format(C_x="E_x", C="E_total") if batch else "")
            )
        )
    if trace.variant == "post":
        post = (
            f"that is where the post's error after the step comes from ({typeset(trace.cost_after, digits)})"
            if is_mazur_step(trace)
            else f"with these settings it gives {typeset(trace.cost_after, digits)} after the step"
        )
        blocks.append(
            Note(
                "This is NOT the backpropagation algorithm. In this 'post' variant each hidden δ is "
                f"computed from the already-updated outgoing weights w{nt.after_mark}, as the older script "
                "behind Mazur's post did; "
                f"{post}. The exact algorithm uses the weights before the step "
                f"and gives {typeset(trace.exact_cost_after, digits)}."
            )
        )
    if trace.notes:  # a section of its own before the step, so that none takes it for the run's
        blocks += [Heading(2, ABOUT_THE_RUN), *(Paragraph(note) for note in trace.notes)]
    return blocks
