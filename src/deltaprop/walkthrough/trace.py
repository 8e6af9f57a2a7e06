"""The structured trace of one backpropagation step, built from the engine's own arrays.

:func:`explain` runs ``net.forward``, ``net.backprop`` and ``SGD(η).step`` (on a copy) and
records, neuron by neuron and weight by weight, what the textbook's walk-through shows:

* forward: each neuron's terms o_i w_ij, its net = Σ_i o_i w_ij + b_j and its o = σ(net);
* the cost C (and each output's share of it);
* output layer: ∂C/∂o_j, σ'(net_j) and δ_j = ∂C/∂o_j · σ'(net_j) (or a_j − y_j where the
  cost/activation pair simplifies — a_j Σ_k y_k − y_j for softmax with log-likelihood, the
  same where a sample's targets sum to 1 — which is what the engine computes: both factors
  are recorded anyway);
* hidden layers: the terms w_jk δ_k, their sum Σ_k w_jk δ_k = ∂C/∂o_j, σ'(net_j) and δ_j;
* every weight: o_i, δ_j, ∂C/∂w_ij = o_i δ_j, Δw_ij = −η ∂C/∂w_ij and the new w_ij (and
  every bias: ∂C/∂b_j = δ_j);
* the cost after the step.

δ, ∂C/∂w, ∂C/∂b and the new parameters are read from ``net.backprop`` and the optimizer's
step; only the per-term breakdowns (the o_i w_ij, the w_jk δ_k) are multiplied out here, for
display. Indices are the package's: ``weights[l][i, j]`` is w_ij from neuron i of layer l to
neuron j of layer l + 1; layer 0 is the input layer, layer L the output layer.

**Batches.** ``x`` may be one sample ``(n_0,)`` or a batch ``(n_samples, n_0)``. Per-neuron
quantities (net, o, δ, …) are then arrays over the samples, ``(n_samples,)`` — δ and ∂C/∂o
are each sample's own, ∂C_x/∂net and ∂C_x/∂o, n times the derivatives of the batch's
C = 1/n Σ_x C_x — and every gradient is the batch average ∂C/∂w_ij = 1/n Σ_x o_i δ_j, exactly
as ``net.backprop`` and training compute it. With one sample the arrays have length 1.

The records live beside this module: :mod:`.neurons` (every neuron and parameter, for a
small network) and :mod:`.summary` (per-layer statistics and the largest terms, for any).

**Export.** :meth:`Trace.to_dict` gives the whole step as plain Python (floats, lists,
strings), for ``json.dump``; :meth:`Trace.neuron_table` one row per sample and neuron, for
``pandas.DataFrame`` or a CSV file (``deltaprop explain --format json|csv``); both in
:mod:`.export`, indices from 0 and each number with its name in the walk-through.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field, replace

import numpy as np

from .._validation import check_network, check_positive_float, check_positive_int, check_sample_or_batch
from ..network import ForwardPass, Gradients, Network
from ..optimizers import SGD
from . import export, neurons, summary
from .neurons import BiasStep, HiddenError, NeuronForward, OutputError, WeightStep
from .summary import LayerSummary, NeuronDelta

DEFAULT_MAX_NEURONS = 30  # above this many neurons (all layers) the trace is summarised
DEFAULT_TOP_K = 10  # how many of the largest terms a summary lists
VARIANTS = ("exact", "post")


@dataclass(frozen=True, repr=False)
class Trace:
    """One step of backpropagation and gradient descent on ``x``, ``y``, recorded in full.

    Always present: the network's shape (``sizes``, ``activations`` by name, ``specs`` with
    their parameters, ``cost``), ``x``
    ``(n_samples, n_0)``, ``y`` ``(n_samples, n_L)``, the engine's ``forward`` pass and
    ``gradients``, the parameters before and after, ``cost_before``/``cost_after``, the
    per-layer ``layers`` summaries and the ``top_weights`` (by |∂C/∂w|) and ``top_neurons``
    (by |δ|). When ``detailed`` (the network has at most ``max_neurons`` neurons) also every
    neuron (``neurons``, ``outputs``, ``hidden``) and every parameter (``weight_steps``,
    ``bias_steps``); otherwise those are empty and renderers show the summary.

    ``variant`` is ``"exact"`` (the algorithm) or ``"post"`` (hidden δ from the already
    updated outgoing weights, as an older script behind Mazur's post did; *not* the
    algorithm). For ``"post"`` ``exact_cost_after`` holds what the exact step gives.

    ``notes`` are lines about the step's context that the numbers cannot say (a run's optimizer,
    weight decay or input scaling, which one plain SGD step leaves out): every rendering opens
    with them under "About this run", and :meth:`to_dict` lists them.
    """

    sizes: list[int]
    activations: list[str]
    specs: tuple[str, ...]  # each layer's activation with any parameter: "leaky_relu(0.2)"
    cost: str
    cost_simplifies: bool
    learning_rate: float
    update_biases: bool
    variant: str
    x: np.ndarray
    y: np.ndarray
    forward: ForwardPass
    gradients: Gradients
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    cost_before: float
    cost_after: float
    exact_cost_after: float
    max_neurons: int
    detailed: bool
    layers: tuple[LayerSummary, ...]
    top_weights: tuple[WeightStep, ...]
    top_neurons: tuple[NeuronDelta, ...]
    neurons: tuple[NeuronForward, ...] = field(default=())
    outputs: tuple[OutputError, ...] = field(default=())
    hidden: tuple[HiddenError, ...] = field(default=())
    weight_steps: tuple[WeightStep, ...] = field(default=())
    bias_steps: tuple[BiasStep, ...] = field(default=())
    example: str | None = None
    notes: tuple[str, ...] = ()  # what the step leaves out of a run's own; each document opens with them

    @property
    def n_samples(self) -> int:
        return int(self.x.shape[0])

    @property
    def n_layers(self) -> int:
        """L, the number of layers of weights."""
        return len(self.sizes) - 1

    def weight_step(self, l: int, i: int, j: int) -> WeightStep:
        """The record of w_ij in ``weights[l]`` (also in a summarised trace).

        Indices from 0, i the source: Nielsen's w^m_jk (his layers and neurons from 1, j the
        target) is ``weight_step(m - 2, k - 1, j - 1)``: his w³₁₂ is ``weight_step(1, 1, 0)``.
        An index that is not a whole number raises ``TypeError``, one out of range (negative
        ones too) ``IndexError``, each naming the argument, the value and the range.
        """
        l = _index(l, "l", self.n_layers, "layers of weights")
        i = _index(i, "i", self.sizes[l], f"neurons of layer {l}, where weights[{l}] starts")
        j = _index(j, "j", self.sizes[l + 1], f"neurons of layer {l + 1}, where weights[{l}] ends")
        return neurons.weight_step(self, l, i, j)

    def to_dict(self, notation: str | None = None) -> dict:
        """The step as plain Python, JSON-serialisable: ``json.dumps(trace.to_dict())``.

        Every number of the step (x, y, per layer net, o, δ, the weights and biases before and
        after, ∂C/∂w, ∂C/∂b; η and C before and after) with its name in ``notation``; indices from
        0, names as the walk-through counts (:func:`.export.to_dict` lists the keys).
        """
        return export.to_dict(self, notation)

    def neuron_table(self, notation: str | None = None) -> list[dict]:
        """One row per sample and neuron of layers 1..L, for ``pandas.DataFrame(rows)``:
        ``sample``, ``layer``, ``neuron`` (from 0), then ``net_name``, ``net``, ``o_name``, ``o``,
        ``delta_name``, ``delta``, each number after its name in ``notation`` (z²₁, a²₁, δ²₁ for
        sample 0, layer 1, neuron 0 in Nielsen's; :func:`.export.neuron_table`).
        """
        return export.neuron_table(self, notation)

    def __repr__(self) -> str:  # a summary: the full record is what the renderers are for
        samples = "1 sample" if self.n_samples == 1 else f"{self.n_samples} samples"
        variant = "" if self.variant == "exact" else f", variant={self.variant!r}"
        return (
            f"Trace(sizes={self.sizes}, cost={self.cost!r}, learning_rate={self.learning_rate:g}, "
            f"{samples}{variant}, C {self.cost_before:.6g} → {self.cost_after:.6g}; "
            "render_text(trace) shows the step)"
        )

    def _repr_html_(self) -> str:
        """The walk-through in a notebook (Jupyter, VS Code): the HTML page's body, MathML equations."""
        from .html import render_html_fragment
        from .notation import default_for

        return render_html_fragment(self, default_for(self.example))

    def _repr_markdown_(self) -> str:
        """The walk-through as Markdown with LaTeX math, for front ends that show no HTML."""
        from .markdown import render_markdown
        from .notation import default_for

        return render_markdown(self, default_for(self.example))


def _index(value, name: str, n: int, what: str) -> int:
    """``value`` as an index in 0..n-1 of ``what``; ``TypeError`` or ``IndexError`` naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number; got {value!r} of type {type(value).__name__}")
    if not 0 <= value < n:
        raise IndexError(f"{name} must be in 0..{n - 1} (the {n} {what}); got {value}")
    return int(value)


def _check_notes(notes) -> tuple[str, ...]:
    """``notes`` as a tuple of non-blank strings; a ``TypeError`` or ``ValueError`` naming the bad one."""
    if isinstance(notes, str) or not isinstance(notes, list | tuple):
        raise TypeError(f"notes must be a list of strings, one note each; got {notes!r}")
    for k, note in enumerate(notes):
        if not isinstance(note, str):
            raise TypeError(f"notes[{k}] must be a string; got {note!r} of type {type(note).__name__}")
        if not note.strip():
            raise ValueError(f"notes[{k}] is blank; give each note some text, or leave it out")
    return tuple(notes)


def explain(
    net: Network,
    x,
    y,
    learning_rate: float,
    *,
    update_biases: bool = True,
    variant: str = "exact",
    max_neurons: int = DEFAULT_MAX_NEURONS,
    top_k: int = DEFAULT_TOP_K,
    example: str | None = None,
    notes=(),
) -> Trace:
    """Trace one step of backpropagation and gradient descent (η = ``learning_rate``).

    Parameters
    ----------
    net : Network
        Not changed: the step is taken on ``net.copy()``.
    x : array ``(n_0,)`` or ``(n_samples, n_0)``
        One input, or a batch (then every gradient is the batch average).
    y : array ``(n_L,)`` or ``(n_samples, n_L)``, or class labels
        The target(s); integer class labels ``(n_samples,)`` are one-hot encoded, and one
        example's label may be a scalar (``explain(net, x, 2, eta)``), as for ``network_diagram``.
    learning_rate : float
        η > 0 of Δw = −η ∂C/∂w.
    update_biases : bool
        False leaves every bias as it is (Mazur's example does).
    variant : ``"exact"`` or ``"post"``
        ``"post"`` computes each hidden δ from the *already updated* outgoing weights, as the
        older script behind Mazur's post did. It is not backpropagation; it is here to show
        where the post's 0.291027924 comes from.
    max_neurons : int
        Networks with more neurons than this (all layers counted) are summarised: per-layer
        statistics and the ``top_k`` largest terms instead of every neuron and weight.
    top_k : int
        How many weights (by |∂C/∂w|) and neurons (by |δ|) the summary ranks.
    example : str, optional
        A name for the renderers' title (e.g. ``"mazur"``).
    notes : list of str, optional
        Lines that every rendering shows under "About this run", near its top, and
        :meth:`Trace.to_dict` lists as ``"notes"``: what the step leaves out of the training it
        stands for (``deltaprop explain --model RUN`` gives the run's momentum, L2 decay, scaling).
    """
    check_network(net)
    eta = check_positive_float(learning_rate, "learning_rate")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}")
    max_neurons = check_positive_int(max_neurons, "max_neurons")
    top_k = check_positive_int(top_k, "top_k")
    X, Y = check_sample_or_batch(x, y, net.sizes[0], net.sizes[-1], net.dtype, "x", "y")
    notes = _check_notes(notes)

    # The exact step: the engine's own backprop and the optimizer's own update, on a copy.
    fp = net.forward(X)
    exact = net.backprop(X, Y)
    stepped = net.copy()
    SGD(eta, update_biases=update_biases).step(stepped, exact)
    exact_cost_after = stepped.cost_value(X, Y)
    if variant == "post":
        grads, stepped = _post_variant_step(net, fp, Y, eta, update_biases)
    else:
        grads = exact
    cost_after = stepped.cost_value(X, Y)

    L = net.n_layers
    cost = net.cost
    simplifies = cost.simplifies(net.activations[-1])  # as backprop decides it: built-in classes only
    sizes = net.sizes
    detailed = sum(sizes) <= max_neurons
    trace_args = dict(
        sizes=sizes,
        activations=net.activation_names,
        specs=tuple(fn.spec for fn in net.activations),
        cost=cost.name,
        cost_simplifies=simplifies,
        learning_rate=eta,
        update_biases=bool(update_biases),
        variant=variant,
        x=X,
        y=Y,
        forward=fp,
        gradients=grads,
        weights_before=[w.copy() for w in net.weights],
        biases_before=[b.copy() for b in net.biases],
        weights_after=[w.copy() for w in stepped.weights],
        biases_after=[b.copy() for b in stepped.biases],
        cost_before=float(grads.cost),
        cost_after=float(cost_after),
        exact_cost_after=float(exact_cost_after),
        max_neurons=max_neurons,
        detailed=detailed,
        example=example,
        notes=notes,
    )
    layers = summary.layer_summaries(net, fp, grads, stepped)
    trace = Trace(**trace_args, layers=layers, top_weights=(), top_neurons=())
    trace = replace(
        trace,
        top_weights=tuple(summary.top_weights(trace, top_k)),
        top_neurons=tuple(summary.top_neurons(fp, grads, top_k)),
    )
    if not detailed:
        return trace
    weights_back = trace_args["weights_after"] if variant == "post" else net.weights
    return replace(
        trace,
        neurons=neurons.neuron_records(net, fp),
        outputs=neurons.output_errors(net, fp, grads, Y, simplifies),
        hidden=neurons.hidden_errors(net, fp, grads, weights_back),
        weight_steps=tuple(
            neurons.weight_step(trace, l, i, j)
            for l in range(L)
            for j in range(sizes[l + 1])
            for i in range(sizes[l])
        ),
        bias_steps=neurons.bias_steps(net, stepped, grads, eta, update_biases),
    )


def _post_variant_step(net: Network, fp: ForwardPass, Y: np.ndarray, eta: float, update_biases: bool):
    """The step as the older script behind Mazur's post took it: not backpropagation.

    Layer by layer from the output, each layer's weights are updated *before* the δ of the
    layer below is computed, so hidden δ_j = σ'(net_j) Σ_k w⁺_jk δ_k uses the new w⁺_jk.
    Returns Gradients in the engine's layout and the stepped copy.
    """
    stepped = net.copy()
    L, n = net.n_layers, fp.o[0].shape[0]
    deltas: list[np.ndarray] = [None] * L  # type: ignore[list-item]
    grad_w: list[np.ndarray] = [None] * L  # type: ignore[list-item]
    grad_b: list[np.ndarray] = [None] * L  # type: ignore[list-item]
    deltas[-1] = net.cost.delta(net.activations[-1], fp.o[-1], Y)
    for l in range(L - 1, -1, -1):
        grad_w[l] = (fp.o[l].T @ deltas[l]) * (1.0 / n)
        grad_b[l] = deltas[l].sum(axis=0) * (1.0 / n)
        stepped.weights[l] -= eta * grad_w[l]
        if update_biases:
            stepped.biases[l] -= eta * grad_b[l]
        if l > 0:
            deltas[l - 1] = (deltas[l] @ stepped.weights[l].T) * net.activations[l - 1].prime(fp.o[l])
    grads = Gradients(grad_w, grad_b, deltas, net.cost.value(fp.o[-1], Y), fp.o[-1])
    return grads, stepped
