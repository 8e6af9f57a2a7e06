"""The backward pass: δ of each output neuron, then of each hidden layer's, front to back.

Output: δ_j = ∂C_x/∂o_j · σ′(net_j) (or a_j − y_j where the cost/activation pair simplifies —
a_j Σ_k y_k − y_j for softmax with log-likelihood when a sample's targets do not sum to 1;
softmax, whose σ′ is not diagonal, gets its own form). Hidden: ∂C_x/∂o_j = Σ_k w_jk δ_k over
the neurons k that j feeds, then δ_j = ∂C_x/∂o_j · σ′(net_j).

Every line here is one example's: it differentiates that example's cost C_x (E_x), written
so in a batch, whose C = 1/n Σ_x C_x has derivatives n times smaller (the 1/n appears only
in the gradients of :mod:`.updates`). With one example C_x is C and is written C.
"""

from __future__ import annotations

from ...activations import LEAKY_SLOPE, get
from ..blocks import Block, Equations, Heading, Note, Paragraph
from ..math import Eq, Frac, Num, Op, Paren, Sym, Word, to_text, typeset
from ..trace import Trace
from .introduction import COST_NAMES
from .sums import MAX_TERMS, sum_terms


def _slope(trace: Trace, layer: int) -> float:
    """α of a leaky_relu layer (``layer`` counts layers of weights from 0)."""
    return getattr(get(trace.specs[layer]), "slope", LEAKY_SLOPE)


def _sigma_prime_sides(act: str, o: Sym, net: Sym, o_value: float, slope: float = LEAKY_SLOPE) -> list[tuple]:
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
        return [(Word("1 if "), net, Word(f" > 0, else {slope:g}"))]
    if act == "linear":
        return []
    return []


def _kink_side(act: str, net: Sym, net_value: float) -> str:
    """For relu and leaky_relu, which side of 0 the weighted input is on: what picks σ′."""
    if act not in ("relu", "leaky_relu"):
        return ""
    return f"{to_text(Eq(((net,),)))} = {typeset(net_value)} {'>' if net_value > 0 else '≤'} 0"


PROBABILITY_OUTPUTS = ("logistic", "softmax")  # outputs in (0, 1): targets beyond [0, 1] are out of reach


def _dC_do_sides(cost: str, a: Sym, y: Sym, a_value: float, y_value: float) -> list[tuple]:
    if cost == "quadratic":
        return [(a, Op("−"), y), (Num(a_value), Op("−"), Num(y_value))]
    if cost == "cross_entropy":
        return [
            (Frac((a, Op("−"), y), (a, Paren((Word("1"), Op("−"), a)))),),
            (
                Frac(
                    (Num(a_value), Op("−"), Num(y_value)),
                    (Num(a_value), Paren((Word("1"), Op("−"), Num(a_value)))),
                ),
            ),
        ]
    if cost == "log_likelihood":
        return [(Op("−"), Frac((y,), (a,))), (Op("−"), Frac((Num(y_value),), (Num(a_value),)))]
    return []


def _softmax_not_bp1(trace: Trace, nt) -> str:
    """Why no line of a softmax output is marked BP1, said where the reader looks for it."""
    bp1, L = nt.bp(1), trace.n_layers
    a_j, a_k = (to_text(Eq(((nt.o_any(L, index),),))) for index in "jk")
    z = nt.net(L, 0)
    z_k = to_text(Eq(((Sym(z.base, "k", z.sup),),)))
    C = to_text(Eq(((nt.sample_cost(trace.n_samples),),)))
    text = (
        f"No line here is marked ({bp1}): softmax couples the outputs, each {a_j} depending on every {z_k}, "
        f"so its σ′ is a matrix, not one number per neuron, and {bp1}'s δ = ∂{C}/∂a ⊙ σ′(z) does not apply. "
        f"δ_j = {a_j}(∂{C}/∂{a_j} − Σ_k ∂{C}/∂{a_k} {a_k}) is the chain rule through that matrix"
    )
    if trace.cost_simplifies:
        return (
            text
            + f"; with this cost it is δ = a − y (for targets that sum to 1), which comes from the cost and "
            f"softmax together, not {bp1}."
        )
    return text + "."


def output_errors(trace: Trace, nt, s: int) -> list[Block]:
    L = trace.n_layers
    act, slope = trace.activations[-1], _slope(trace, L - 1)
    blocks: list[Block] = [Heading(2, "Backward: the output layer")]
    first = trace.outputs[0] if trace.outputs else None
    y_sum = None if first is None or first.y_sum is None else first.y_sum[s]
    if trace.cost_simplifies and y_sum is not None:
        blocks.append(
            Paragraph(
                f"With the {COST_NAMES.get(trace.cost, trace.cost)} cost and a {act} output the factors "
                "cancel and δ = a Σ_k y_k − y, "
                "which is a − y when a sample's targets sum to 1, as one-hot targets do; that is what the "
                "engine computes. Both factors are shown anyway, and their product equals it up to rounding."
            )
        )
        if not first.sums_to_one[s]:
            blocks.append(
                Note(
                    f"This sample's targets sum to {typeset(y_sum)}, not 1, so δ is not a − y. "
                    "C = −Σ_k y_k ln a_k is then Σ_k y_k times the cost of the targets y / Σ_k y_k, and "
                    "pulls a towards them. Mean one class? Give one-hot targets (or a class label). "
                    "Several independent labels? Logistic outputs with the cross-entropy cost model those."
                )
            )
    elif trace.cost_simplifies:
        blocks.append(
            Paragraph(
                f"With the {COST_NAMES.get(trace.cost, trace.cost)} cost and a {act} output the factors "
                "cancel and δ = a − y, which is "
                "what the engine computes; both factors are shown anyway, and their product equals a − y "
                "up to rounding."
            )
        )
    if act == "softmax" and nt.bp(1):
        blocks.append(Paragraph(_softmax_not_bp1(trace, nt)))
    outside = [float(out.y[s]) for out in trace.outputs if not 0.0 <= out.y[s] <= 1.0]
    if act in PROBABILITY_OUTPUTS and outside:
        blocks.append(
            Note(
                f"This sample's targets include {', '.join(typeset(v) for v in outside)}, outside [0, 1], "
                f"where a {act} output never goes: the cost has no minimum the network can reach, and "
                f"training pushes those outputs to 0 or 1. A {act} output's targets are probabilities; "
                "for other values use a linear output with the quadratic cost."
            )
        )
    C = nt.sample_cost(trace.n_samples)  # each line is one example's: ∂C_x/∂a in a batch
    items = []
    for out in trace.outputs:
        j = out.j
        a, y, z, d = nt.o(L, j), nt.y(j), nt.net(L, j), nt.delta(L, j)
        dCda = nt.partial(C, a)
        items.append(Eq(((dCda,), *_dC_do_sides(trace.cost, a, y, out.a[s], out.y[s]), (Num(out.dC_do[s]),))))
        if out.sigma_prime is not None:
            sp = _sigma_prime_sides(act, a, z, out.a[s], slope)
            items.append(
                Eq(
                    ((nt.partial(a, z),), nt.sigma_prime(L, j), *sp, (Num(out.sigma_prime[s]),)),
                    note=_kink_side(act, z, out.net[s]),
                )
            )
            product = out.dC_do[s] * out.sigma_prime[s]
            factors = (dCda, Op("·"), *nt.sigma_prime(L, j))
            numbers = (Num(out.dC_do[s]), Op("×"), Num(out.sigma_prime[s]))
        else:
            a_k = nt.o_any(L, "k")
            S = Sym("Σ", "k"), nt.partial(C, a_k), a_k
            if j == 0:  # the same sum serves every output neuron, its terms written out where few
                terms = [((), (Num(k.dC_do[s]), Op("×"), Num(k.a[s]))) for k in trace.outputs]
                shown = (sum_terms(terms)[1],) if len(terms) <= MAX_TERMS else ()
                items.append(Eq((S, *shown, (Num(out.softmax_sum[s]),))))
            product = out.a[s] * (out.dC_do[s] - out.softmax_sum[s])
            factors = (a, Paren((dCda, Op("−"), *S)))
            numbers = (Num(out.a[s]), Op("×"), Paren((Num(out.dC_do[s]), Op("−"), Num(out.softmax_sum[s]))))
        # BP1, δ^L = ∇_a C ⊙ σ′(z^L), is this line for an elementwise σ; softmax's is the chain rule
        bp1 = nt.bp(1) if out.sigma_prime is not None else ""
        if out.simplified and out.y_sum is not None and not out.sums_to_one[s]:
            items.append(Eq(((d,), factors, numbers, (Num(product),)), note=bp1))
            items.append(
                Eq(
                    (
                        (d,),
                        (a, Sym("Σ", "k"), nt.y_any("k"), Op("−"), y),
                        (Num(out.a[s]), Op("×"), Num(out.y_sum[s]), Op("−"), Num(out.y[s])),
                        (Num(out.delta[s]),),
                    ),
                    note="the simplified form the engine uses",
                )
            )
        elif out.simplified:
            items.append(Eq(((d,), factors, numbers, (Num(product),)), note=bp1))
            items.append(
                Eq(
                    ((d,), (a, Op("−"), y), (Num(out.a[s]), Op("−"), Num(out.y[s])), (Num(out.delta[s]),)),
                    note="the simplified form the engine uses",
                )
            )
        else:
            items.append(Eq(((d,), factors, numbers, (Num(out.delta[s]),)), note=bp1))
    blocks.append(Equations(tuple(items)))
    return blocks


def hidden_errors(trace: Trace, nt, s: int) -> list[Block]:
    blocks: list[Block] = []
    post = trace.variant == "post"
    C = nt.sample_cost(trace.n_samples)
    for m in range(trace.n_layers - 1, 0, -1):
        act, slope = trace.activations[m - 1], _slope(trace, m - 1)
        blocks.append(Heading(2, f"Backward: {nt.layer(m)}"))
        if post:
            blocks.append(
                Note(
                    f"Post variant: the sums below use the updated weights w{nt.after_mark} "
                    "(not the algorithm)."
                )
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
                sides += sum_terms(pairs)
                if nt.name == "mazur" and n_next > 1:
                    # each term's value, as the post shows them: ∂E_o1/∂out_h1 = 0.055399425 …
                    sides.append(sum_terms([((), (Num(h.terms[s, k]),)) for k in range(n_next)])[1])
            else:
                sides.append(nt.backward_sum(m, j))
            sides.append((Num(h.total[s]),))
            items.append(Eq(tuple(sides)))
            sp = _sigma_prime_sides(act, o, z, h.o[s], slope)
            items.append(
                Eq(
                    ((nt.partial(o, z),), nt.sigma_prime(m, j), *sp, (Num(h.sigma_prime[s]),)),
                    note=_kink_side(act, z, h.net[s]),
                )
            )
            items.append(
                Eq(
                    (
                        (nt.delta(m, j),),
                        (nt.partial(C, o), Op("·"), *nt.sigma_prime(m, j)),
                        (Num(h.total[s]), Op("×"), Num(h.sigma_prime[s])),
                        (Num(h.delta[s]),),
                    ),
                    note="" if post else nt.bp(2),  # the post's sums use the updated weights: not BP2
                )
            )
        blocks.append(Equations(tuple(items)))
    return blocks
