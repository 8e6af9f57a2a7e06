"""The walk-through as a list of blocks (headings, prose, equations, tables) for any renderer.

:func:`build` turns a :class:`~deltaprop.walkthrough.trace.Trace` into blocks once; the text,
Markdown and HTML renderers only format them, so the three always say the same thing.
Equations substitute the trace's numbers: every value shown is read from the trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import notation as notations
from .math import Eq, Frac, Num, Op, Paren, Sym, Word, eq, fmt, to_text
from .trace import Trace

MAX_TERMS = 8  # a sum with more terms than this is written Σ = value, not term by term
STATS_DIGITS = 6  # decimals in the per-layer statistics tables
MAX_SAMPLE_TERMS = 4  # a batch average over more samples than this is not written out

MAZUR_POST_ERROR = 0.291027924  # the error after one step as Mazur's post prints it


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Note:
    """A paragraph that must stand out (the post variant is not the algorithm)."""

    text: str


@dataclass(frozen=True)
class Equations:
    items: tuple[Eq, ...]


@dataclass(frozen=True)
class Table:
    """A table; each cell is a str, a float (formatted by the renderer) or a tuple of math nodes."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    caption: str = ""
    digits: int | None = None  # fewer decimals than the equations, for wide statistics tables


Block = Heading | Paragraph | Note | Equations | Table

_ACTIVATION_TEXT = {
    "logistic": "σ(z) = 1/(1 + e^(−z)), σ′ = σ(1 − σ)",
    "tanh": "σ(z) = tanh z, σ′ = 1 − σ²",
    "relu": "σ(z) = max(0, z), σ′ = 1 where z > 0, else 0",
    "leaky_relu": "σ(z) = z where z > 0, else 0.01 z; σ′ = 1 or 0.01",
    "linear": "σ(z) = z, σ′ = 1",
    "softmax": "a_j = e^(z_j) / Σ_k e^(z_k), whose Jacobian ∂a_j/∂z_k = a_j (1[j=k] − a_k) is not diagonal",
}
_COST_TEXT = {
    "quadratic": "quadratic, C_x = ½ Σ_j (y_j − a_j)²",
    "cross_entropy": "cross-entropy, C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]",
    "log_likelihood": "log-likelihood, C_x = −Σ_j y_j ln a_j",
}


def build(trace: Trace, notation: str = "nielsen", digits: int = 9) -> list[Block]:
    """The blocks of the walk-through of ``trace`` in ``notation`` (``"nielsen"``/``"mazur"``)."""
    if not isinstance(trace, Trace):
        raise TypeError(f"trace must be a Trace from deltaprop.explain(); got {type(trace).__name__}")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise ValueError(f"digits must be an integer from 1 to 17; got {digits!r}")
    nt = notations.get(notation, trace.sizes)
    blocks: list[Block] = list(_introduction(trace, nt))
    if trace.detailed:
        for s in range(trace.n_samples):
            if trace.n_samples > 1:
                blocks.append(Heading(2, f"Sample {s + 1} of {trace.n_samples}"))
            blocks += _forward(trace, nt, s)
            blocks += _cost(trace, nt, s)
            blocks += _output_errors(trace, nt, s)
            blocks += _hidden_errors(trace, nt, s)
        blocks += _updates(trace, nt)
    else:
        blocks += _summary(trace, nt)
    blocks += _after(trace, nt)
    return blocks


# --- pieces shared by the sections -------------------------------------------------------


def _sigma_prime_sides(act: str, o: Sym, net: Sym, o_value: float) -> list[tuple]:
    """σ′ written through the output, then with the number substituted where that reads well."""
    if act == "logistic":
        return [
            (o, Paren((Word("1"), Op("−"), o))),
            (Num(o_value), Paren((Word("1"), Op("−"), Num(o_value)))),
        ]
    if act == "tanh":
        return [(Word("1"), Op("−"), Paren((o,), "2")), (Word("1"), Op("−"), Paren((Num(o_value),), "2"))]
    if act == "relu":
        return [(Word("1 if "), net, Word(" > 0, else 0"))]
    if act == "leaky_relu":
        return [(Word("1 if "), net, Word(" > 0, else 0.01"))]
    if act == "linear":
        return []
    return []


def _dC_do_sides(cost: str, a: Sym, y: Sym, a_value: float, y_value: float) -> list[tuple]:
    if cost == "quadratic":
        return [(a, Op("−"), y), (Num(a_value), Op("−"), Num(y_value))]
    if cost == "cross_entropy":
        return [(Frac((a, Op("−"), y), (a, Paren((Word("1"), Op("−"), a)))),)]
    if cost == "log_likelihood":
        return [(Op("−"), Frac((y,), (a,)))]
    return []


def _sum_terms(pairs: list[tuple[tuple, tuple]]) -> list[tuple]:
    """Two sides of a sum of products: the symbols, then the numbers."""
    symbolic, numeric = [], []
    for k, (sym, num) in enumerate(pairs):
        if k:
            symbolic.append(Op("+"))
            numeric.append(Op("+"))
        symbolic += sym
        numeric += num
    return [tuple(symbolic), tuple(numeric)]


# --- sections ----------------------------------------------------------------------------


def _introduction(trace: Trace, nt) -> list[Block]:
    title = "One step of backpropagation"
    if trace.example == "mazur":
        title += ": Mazur's 2-2-2 example"
    elif trace.example:
        title += f": the {trace.example} example"
    blocks: list[Block] = [Heading(1, title)]
    acts = trace.activations
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
            f"C = 1/n Σ_x C_x; learning rate η = {fmt(trace.learning_rate)}; {samples}; "
            + (
                "weights and biases are updated."
                if trace.update_biases
                else "weights are updated, biases kept."
            )
        )
    )
    for name in dict.fromkeys(acts):
        blocks.append(Paragraph(f"{name}: {_ACTIVATION_TEXT.get(name, name)}."))
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
        blocks.append(
            Note(
                "This is NOT the backpropagation algorithm. In this 'post' variant each hidden δ is computed "
                "from the already-updated outgoing weights w⁺, as the older script behind Mazur's post did; "
                f"that is where the post's error after the step comes from ({fmt(trace.cost_after)}). The "
                f"exact algorithm uses the weights before the step and gives {fmt(trace.exact_cost_after)}."
            )
        )
    return blocks


def _forward(trace: Trace, nt, s: int) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The forward pass")]
    x = trace.x[s]
    blocks.append(
        Equations(tuple(eq(nt.o(0, i), Num(x[i])) for i in range(trace.sizes[0])))
        if trace.sizes[0] <= MAX_TERMS
        else Paragraph(f"Input: {trace.sizes[0]} values from {fmt(x.min())} to {fmt(x.max())}.")
    )
    for m in range(1, trace.n_layers + 1):
        act = trace.activations[m - 1]
        items = []
        for neuron in (n for n in trace.neurons if n.layer == m):
            j, l = neuron.j, m - 1
            sides: list[tuple] = [(nt.net(m, j),)]
            if trace.sizes[l] <= MAX_TERMS:
                pairs = [
                    (
                        (nt.w(l, i, j), Op("·"), nt.o(l, i)),
                        (Num(neuron.w_in[i]), Op("×"), Num(neuron.o_in[s, i])),
                    )
                    for i in range(trace.sizes[l])
                ]
                symbolic, numeric = _sum_terms(pairs)
                sides += [symbolic + (Op("+"), nt.b(l, j)), numeric + (Op("+"), Num(neuron.b))]
            else:
                sides += [(Sym("Σ", "i"), Sym("w", "ij"), Sym("o", "i"), Op("+"), nt.b(l, j))]
            sides.append((Num(neuron.net[s]),))
            items.append(Eq(tuple(sides)))
            out_sides: list[tuple] = [(nt.o(m, j),)]
            if act == "logistic":
                for exponent in ((Op("−"), nt.net(m, j)), (Num(-neuron.net[s]),)):
                    out_sides.append((Frac((Word("1"),), (Word("1"), Op("+"), Sym("e", sup=exponent))),))
            elif act == "softmax":
                z_k = Sym(nt.net(m, j).base, "k", nt.net(m, j).sup)
                out_sides.append(
                    (Frac((Sym("e", sup=(nt.net(m, j),)),), (Sym("Σ", "k"), Sym("e", sup=(z_k,)))),)
                )
            else:
                out_sides.append((Word(act), Paren((nt.net(m, j),))))
                out_sides.append((Word(act), Paren((Num(neuron.net[s]),))))
            out_sides.append((Num(neuron.o[s]),))
            items.append(Eq(tuple(out_sides)))
        blocks.append(Heading(3, nt.layer(m).capitalize()))
        blocks.append(Equations(tuple(items)))
    return blocks


def _cost(trace: Trace, nt, s: int) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The cost")]
    items = []
    shares = []
    for out in trace.outputs:
        j, a, y = out.j, nt.o(trace.n_layers, out.j), nt.y(out.j)
        if trace.cost == "quadratic":
            sides = [
                (Word("½"), Paren((y, Op("−"), a), "2")),
                (Word("½"), Paren((Num(out.y[s]), Op("−"), Num(out.a[s])), "2")),
            ]
        elif trace.cost == "cross_entropy":
            sides = [
                (
                    Op("−"),
                    Paren(
                        (
                            y,
                            Word(" ln "),
                            a,
                            Op("+"),
                            Paren((Word("1"), Op("−"), y)),
                            Word(" ln"),
                            Paren((Word("1"), Op("−"), a)),
                        )
                    ),
                )
            ]
        elif trace.cost == "log_likelihood":
            sides = [(Op("−"), y, Word(" ln "), a)]
        else:
            sides = []
        items.append(Eq(((nt.cost_share(j),), *sides, (Num(out.cost_share[s]),))))
        shares.append(out.cost_share[s])
    total_sides = [(nt.cost(),)]
    if len(trace.outputs) <= MAX_TERMS:
        symbolic, numeric = [], []
        for k, out in enumerate(trace.outputs):
            if k:
                symbolic.append(Op("+"))
                numeric.append(Op("+"))
            symbolic.append(nt.cost_share(out.j))
            numeric.append(Num(out.cost_share[s]))
        total_sides += [tuple(symbolic), tuple(numeric)]
    c_x = float(np.sum(shares)) if trace.n_samples > 1 else trace.cost_before
    total_sides.append((Num(c_x),))
    items.append(Eq(tuple(total_sides), note="for this example" if trace.n_samples > 1 else ""))
    blocks.append(Equations(tuple(items)))
    return blocks


def _output_errors(trace: Trace, nt, s: int) -> list[Block]:
    L = trace.n_layers
    act = trace.activations[-1]
    blocks: list[Block] = [Heading(2, "Backward: the output layer")]
    if trace.cost_simplifies:
        blocks.append(
            Paragraph(
                f"With the {trace.cost} cost and a {act} output the factors cancel and δ = a − y, which is "
                "what the engine computes; both factors are shown anyway, and their product equals a − y "
                "up to rounding."
            )
        )
    C = nt.cost()
    items = []
    for out in trace.outputs:
        j = out.j
        a, y, z, d = nt.o(L, j), nt.y(j), nt.net(L, j), nt.delta(L, j)
        dCda = nt.partial(C, a)
        items.append(Eq(((dCda,), *_dC_do_sides(trace.cost, a, y, out.a[s], out.y[s]), (Num(out.dC_do[s]),))))
        if out.sigma_prime is not None:
            sp = _sigma_prime_sides(act, a, z, out.a[s])
            items.append(Eq(((nt.partial(a, z),), nt.sigma_prime(L, j), *sp, (Num(out.sigma_prime[s]),))))
            product = out.dC_do[s] * out.sigma_prime[s]
            factors = (dCda, Op("·"), *nt.sigma_prime(L, j))
            numbers = (Num(out.dC_do[s]), Op("×"), Num(out.sigma_prime[s]))
        else:
            S = Sym("Σ", "k"), nt.partial(C, Sym("a", "k")), Sym("a", "k")
            if j == 0:  # the same sum serves every output neuron
                items.append(Eq((S, (Num(out.softmax_sum[s]),))))
            product = out.a[s] * (out.dC_do[s] - out.softmax_sum[s])
            factors = (a, Paren((dCda, Op("−"), *S)))
            numbers = (Num(out.a[s]), Op("×"), Paren((Num(out.dC_do[s]), Op("−"), Num(out.softmax_sum[s]))))
        if out.simplified:
            items.append(Eq(((d,), factors, numbers, (Num(product),))))
            items.append(
                Eq(
                    ((d,), (a, Op("−"), y), (Num(out.a[s]), Op("−"), Num(out.y[s])), (Num(out.delta[s]),)),
                    note="the simplified form the engine uses",
                )
            )
        else:
            items.append(Eq(((d,), factors, numbers, (Num(out.delta[s]),))))
    blocks.append(Equations(tuple(items)))
    return blocks


def _hidden_errors(trace: Trace, nt, s: int) -> list[Block]:
    blocks: list[Block] = []
    post = trace.variant == "post"
    C = nt.cost()
    for m in range(trace.n_layers - 1, 0, -1):
        act = trace.activations[m - 1]
        blocks.append(Heading(2, f"Backward: {nt.layer(m)}"))
        if post:
            blocks.append(
                Note("Post variant: the sums below use the updated weights w⁺ (not the algorithm).")
            )
        items = []
        for h in (h for h in trace.hidden if h.layer == m):
            j = h.j
            o, z = nt.o(m, j), nt.net(m, j)
            sides: list[tuple] = [(nt.partial(C, o),)]
            n_next = trace.sizes[m + 1]
            if n_next <= MAX_TERMS:
                pairs = [
                    (
                        (nt.w(m, j, k, new=post), nt.delta(m + 1, k)),
                        (Num(h.w_out[k]), Op("×"), Num(h.delta_next[s, k])),
                    )
                    for k in range(n_next)
                ]
                sides += _sum_terms(pairs)
            else:
                sides.append((Sym("Σ", "l"), Sym("w", "jl"), Sym("δ", "l")))
            sides.append((Num(h.total[s]),))
            items.append(Eq(tuple(sides)))
            sp = _sigma_prime_sides(act, o, z, h.o[s])
            items.append(Eq(((nt.partial(o, z),), nt.sigma_prime(m, j), *sp, (Num(h.sigma_prime[s]),))))
            items.append(
                Eq(
                    (
                        (nt.delta(m, j),),
                        (nt.partial(C, o), Op("·"), *nt.sigma_prime(m, j)),
                        (Num(h.total[s]), Op("×"), Num(h.sigma_prime[s])),
                        (Num(h.delta[s]),),
                    )
                )
            )
        blocks.append(Equations(tuple(items)))
    return blocks


def _batch_sides(
    trace: Trace, first: Sym, second: Sym | None, a: np.ndarray, b: np.ndarray | None
) -> list[tuple]:
    """The product o_i δ_j (or δ_j alone), averaged over the batch, as sides of an equation."""
    n = trace.n_samples
    if n == 1:
        if second is None:
            return [(first,)]
        return [(first, Op("·"), second), (Num(a[0]), Op("×"), Num(b[0]))]
    sym = (first,) if second is None else (first, second)
    sides = [(Frac((Word("1"),), (Word(str(n)),)), Sym("Σ", "x"), *sym)]
    if n <= MAX_SAMPLE_TERMS:
        numeric: list = []
        for k in range(n):
            if k:
                numeric.append(Op("+"))
            numeric += [Num(a[k])] if second is None else [Num(a[k]), Op("×"), Num(b[k])]
        sides.append((Frac((Word("1"),), (Word(str(n)),)), Paren(tuple(numeric))))
    return sides


def _updates(trace: Trace, nt) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The gradients and the update")]
    C, eta = nt.cost(), nt.eta()
    cost = to_text(eq(C))
    blocks.append(
        Paragraph(
            f"For every weight ∂{cost}/∂w_ij = o_i δ_j"
            + (" averaged over the batch" if trace.n_samples > 1 else "")
            + f", the change is Δw_ij = −η ∂{cost}/∂w_ij, and the new weight w⁺_ij = w_ij + Δw_ij."
        )
    )
    for l in range(trace.n_layers - 1, -1, -1):
        items = []
        for step in (w for w in trace.weight_steps if w.l == l):
            i, j = step.i, step.j
            w, w_new = nt.w(l, i, j), nt.w(l, i, j, new=True)
            dCdw = nt.partial(C, w)
            sides = _batch_sides(trace, nt.o(l, i), nt.delta(l + 1, j), step.o_i, step.delta_j)
            items.append(Eq(((dCdw,), *sides, (Num(step.grad),))))
            items.append(
                Eq(
                    (
                        (Word("Δ"), w),
                        (Op("−"), eta, dCdw),
                        (Op("−"), Num(trace.learning_rate), Op("×"), Num(step.grad)),
                        (Num(step.change),),
                    )
                )
            )
            items.append(
                Eq(
                    (
                        (w_new,),
                        (w, Op("+"), Word("Δ"), w),
                        (Num(step.old), Op("+"), Num(step.change)),
                        (Num(step.new),),
                    )
                )
            )
        blocks.append(Heading(3, f"Weights into {'the ' if nt.name == 'mazur' else ''}{nt.layer(l + 1)}"))
        blocks.append(Equations(tuple(items)))
    items = []
    for step in trace.bias_steps:
        b = nt.b(step.l, step.j)
        dCdb = nt.partial(C, b)
        sides = _batch_sides(trace, nt.delta(step.l + 1, step.j), None, step.delta_j, None)
        items.append(Eq(((dCdb,), *sides, (Num(step.grad),))))
        if step.updated:
            items.append(
                Eq(
                    (
                        (nt.b(step.l, step.j, new=True),),
                        (b, Op("−"), eta, dCdb),
                        (Num(step.old), Op("−"), Num(trace.learning_rate), Op("×"), Num(step.grad)),
                        (Num(step.new),),
                    )
                )
            )
    blocks.append(Heading(3, "Biases"))
    if not trace.update_biases:
        blocks.append(
            Paragraph("The biases are kept as they are in this step (update_biases=False); their gradients:")
        )
    blocks.append(Equations(tuple(items)))
    return blocks


def _after(trace: Trace, nt) -> list[Block]:
    blocks: list[Block] = [Heading(2, "After the step")]
    C = nt.cost()
    after = Sym(C.base, C.sub, "+", C.tight)
    change = trace.cost_after - trace.cost_before
    blocks.append(
        Equations(
            (
                Eq(((C,), (Num(trace.cost_before),)), note="before"),
                Eq(((after,), (Num(trace.cost_after),)), note="after one step"),
                Eq(((after, Op("−"), C), (Num(change),))),
            )
        )
    )
    if trace.example == "mazur" and trace.variant == "exact":
        blocks.append(
            Paragraph(
                f"Mazur's post prints {fmt(MAZUR_POST_ERROR)} for the error after this step; the exact "
                f"algorithm gives {fmt(trace.cost_after)}. The post's figure came from an older version "
                "of its script, "
                "which computed the hidden δ from the already-updated output weights w5⁺…w8⁺ instead of the "
                "weights the forward pass used. Run with variant='post' (CLI: --variant post) to see that "
                "computation step by step."
            )
        )
    if trace.variant == "post":
        blocks.append(
            Note(
                f"Post variant: {fmt(trace.cost_after)}. The exact algorithm gives "
                f"{fmt(trace.exact_cost_after)}; the difference comes only from the hidden δ (and so "
                "from the update of the weights into the hidden layers)."
            )
        )
    return blocks


# --- the summary of a large network ------------------------------------------------------


def _summary(trace: Trace, nt) -> list[Block]:
    n_neurons = sum(trace.sizes)
    blocks: list[Block] = [
        Paragraph(
            f"The network has {n_neurons} neurons, more than max_neurons = {trace.max_neurons}, so this is a "
            "summary: statistics per layer and the largest terms, all from the same step."
        ),
        Heading(2, "The cost"),
        Equations((Eq(((nt.cost(),), (Num(trace.cost_before),))),)),
    ]
    fwd_rows, back_rows = [], []
    for ls in trace.layers:
        name = nt.layer(ls.layer)
        fwd_rows.append(
            (
                name,
                str(ls.n_neurons),
                ls.activation,
                ls.net.min,
                ls.net.mean,
                ls.net.max,
                ls.o.min,
                ls.o.mean,
                ls.o.max,
            )
        )
        back_rows.append(
            (
                name,
                ls.delta.min,
                ls.delta.max,
                ls.delta.norm,
                ls.grad_w.min,
                ls.grad_w.max,
                ls.grad_w.norm,
                ls.grad_b.norm,
                ls.change_w.norm,
            )
        )
    blocks.append(Heading(2, "Forward, per layer"))
    blocks.append(
        Table(
            ("layer", "neurons", "σ", "min net", "mean net", "max net", "min o", "mean o", "max o"),
            tuple(fwd_rows),
            digits=STATS_DIGITS,
        )
    )
    blocks.append(Heading(2, "Backward, per layer"))
    blocks.append(
        Table(
            ("layer", "min δ", "max δ", "‖δ‖", "min ∂C/∂w", "max ∂C/∂w", "‖∂C/∂w‖", "‖∂C/∂b‖", "‖Δw‖"),
            tuple(back_rows),
            caption="δ over every sample and neuron; ‖·‖ the Euclidean norm",
            digits=STATS_DIGITS,
        )
    )
    one = trace.n_samples == 1
    rows = []
    for step in trace.top_weights:
        o_i = step.o_i[0] if one else float(np.mean(step.o_i))
        d_j = step.delta_j[0] if one else float(np.mean(step.delta_j))
        rows.append(((nt.w(step.l, step.i, step.j),), o_i, d_j, step.grad, step.change, step.old, step.new))
    blocks.append(Heading(2, f"The {len(rows)} weights with the largest |∂C/∂w|"))
    blocks.append(
        Table(
            ("weight", "o_i" if one else "mean o_i", "δ_j" if one else "mean δ_j", "∂C/∂w", "Δw", "w", "w⁺"),
            tuple(rows),
            caption="∂C/∂w = o_i δ_j" + ("" if one else " averaged over the batch") + ", Δw = −η ∂C/∂w",
        )
    )
    rows = []
    for nd in trace.top_neurons:
        pick = (lambda v: float(v[0])) if one else (lambda v: float(np.mean(v)))
        rows.append(
            ((nt.delta(nd.layer, nd.j),), nt.layer(nd.layer), pick(nd.net), pick(nd.o), pick(nd.delta))
        )
    blocks.append(Heading(2, f"The {len(rows)} neurons with the largest |δ|"))
    blocks.append(
        Table(
            ("neuron", "layer", "net", "o", "δ"), tuple(rows), caption="" if one else "means over the batch"
        )
    )
    return blocks
