"""The structured trace of one backpropagation step, built from the engine's own arrays.

:func:`explain` runs ``net.forward``, ``net.backprop`` and ``SGD(η).step`` (on a copy) and
records, neuron by neuron and weight by weight, what the textbook's walk-through shows:

* forward: each neuron's terms o_i w_ij, its net = Σ_i o_i w_ij + b_j and its o = σ(net);
* the cost C (and each output's share of it);
* output layer: ∂C/∂o_j, σ'(net_j) and δ_j = ∂C/∂o_j · σ'(net_j) (or a_j − y_j where the
  cost/activation pair simplifies, which is what the engine computes: both factors are
  recorded anyway);
* hidden layers: the terms w_jl δ_l, their sum Σ_l w_jl δ_l = ∂C/∂o_j, σ'(net_j) and δ_j;
* every weight: o_i, δ_j, ∂C/∂w_ij = o_i δ_j, Δw_ij = −η ∂C/∂w_ij and the new w_ij (and
  every bias: ∂C/∂b_j = δ_j);
* the cost after the step.

δ, ∂C/∂w, ∂C/∂b and the new parameters are read from ``net.backprop`` and the optimizer's
step; only the per-term breakdowns (the o_i w_ij, the w_jl δ_l) are multiplied out here, for
display. Indices are the package's: ``weights[l][i, j]`` is w_ij from neuron i of layer l to
neuron j of layer l + 1; layer 0 is the input layer, layer L the output layer.

**Batches.** ``x`` may be one sample ``(n_0,)`` or a batch ``(n_samples, n_0)``. Per-neuron
quantities (net, o, δ, …) are then arrays over the samples, ``(n_samples,)``, and every
gradient is the batch average ∂C/∂w_ij = 1/n Σ_x o_i δ_j, exactly as ``net.backprop`` and
training compute it. With one sample the arrays have length 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .._validation import _as_numeric, check_positive_float, check_positive_int, check_X, check_Y
from ..network import ForwardPass, Gradients, Network
from ..optimizers import SGD

DEFAULT_MAX_NEURONS = 30  # above this many neurons (all layers) the trace is summarised
DEFAULT_TOP_K = 10  # how many of the largest terms a summary lists
VARIANTS = ("exact", "post")


@dataclass(frozen=True)
class NeuronForward:
    """Neuron ``j`` of layer ``layer`` (1..L) in the forward pass; arrays are per sample.

    ``w_in`` ``(n_{layer-1},)`` holds the w_ij into j, ``o_in`` ``(n_samples, n_{layer-1})``
    the o_i feeding it and ``terms`` their products o_i w_ij; ``net`` = Σ terms + ``b``
    and ``o`` = σ(net), both ``(n_samples,)``.
    """

    layer: int
    j: int
    w_in: np.ndarray
    o_in: np.ndarray
    terms: np.ndarray
    b: float
    net: np.ndarray
    o: np.ndarray


@dataclass(frozen=True)
class OutputError:
    """δ of output neuron ``j``: ∂C/∂o_j ``dC_do``, σ'(net_j) ``sigma_prime`` and ``delta``.

    ``simplified`` says the engine used δ = a − y (the cost/activation pair allows it);
    ``dC_do`` and ``sigma_prime`` are recorded anyway, and their product equals ``delta`` up
    to rounding. For softmax, σ' is not elementwise: ``sigma_prime`` is None and
    ``softmax_sum`` holds Σ_k ∂C/∂a_k a_k, so that δ_j = a_j (∂C/∂a_j − softmax_sum).
    ``cost_share`` is this output's term of C_x. Arrays are ``(n_samples,)``.
    """

    j: int
    y: np.ndarray
    a: np.ndarray
    net: np.ndarray
    cost_share: np.ndarray
    dC_do: np.ndarray
    sigma_prime: np.ndarray | None
    softmax_sum: np.ndarray | None
    delta: np.ndarray
    simplified: bool


@dataclass(frozen=True)
class HiddenError:
    """δ of hidden neuron ``j`` of layer ``layer`` (1..L−1).

    ``w_out`` ``(n_{layer+1},)`` holds the w_jl out of j (in the ``"post"`` variant the
    already-updated ones), ``delta_next`` ``(n_samples, n_{layer+1})`` the δ_l they carry
    back, ``terms`` the products w_jl δ_l; ``total`` = Σ_l w_jl δ_l = ∂C/∂o_j, then
    δ_j = ``total`` · ``sigma_prime``. ``net``, ``o``, ``total``, ``sigma_prime`` and
    ``delta`` are ``(n_samples,)``.
    """

    layer: int
    j: int
    net: np.ndarray
    o: np.ndarray
    w_out: np.ndarray
    delta_next: np.ndarray
    terms: np.ndarray
    total: np.ndarray
    sigma_prime: np.ndarray
    delta: np.ndarray


@dataclass(frozen=True)
class WeightStep:
    """Weight w_ij of ``weights[l]``: o_i and δ_j per sample, then ∂C/∂w_ij = mean(o_i δ_j),
    Δw_ij = −η ∂C/∂w_ij, and ``old`` → ``new``; ``new`` = ``old`` + ``change`` exactly when
    added in the network's dtype (float32 networks round the sum to float32)."""

    l: int
    i: int
    j: int
    o_i: np.ndarray
    delta_j: np.ndarray
    grad: float
    change: float
    old: float
    new: float


@dataclass(frozen=True)
class BiasStep:
    """Bias b_j of ``biases[l]``: ∂C/∂b_j = mean(δ_j), Δb_j and the new value.

    ``updated`` is False when the step left biases untouched (``update_biases=False``):
    ``change`` is then 0 and ``new`` == ``old``.
    """

    l: int
    j: int
    delta_j: np.ndarray
    grad: float
    change: float
    old: float
    new: float
    updated: bool


@dataclass(frozen=True)
class Stats:
    """Range, mean and Euclidean norm of an array."""

    min: float
    max: float
    mean: float
    norm: float

    @classmethod
    def of(cls, values: np.ndarray) -> Stats:
        values = np.asarray(values, dtype=np.float64)
        return cls(
            float(values.min()), float(values.max()), float(values.mean()), float(np.linalg.norm(values))
        )


@dataclass(frozen=True)
class LayerSummary:
    """Layer ``layer`` (1..L) of neurons, with the weights ``weights[layer-1]`` feeding it.

    Statistics over every sample and neuron (net, o, δ) or every weight (∂C/∂w, Δw).
    """

    layer: int
    n_neurons: int
    activation: str
    net: Stats
    o: Stats
    delta: Stats
    grad_w: Stats
    grad_b: Stats
    change_w: Stats


@dataclass(frozen=True)
class NeuronDelta:
    """A neuron ranked by mean |δ| over the batch (``score``); arrays are ``(n_samples,)``."""

    layer: int
    j: int
    net: np.ndarray
    o: np.ndarray
    delta: np.ndarray
    score: float


@dataclass(frozen=True)
class Trace:
    """One step of backpropagation and gradient descent on ``x``, ``y``, recorded in full.

    Always present: the network's shape (``sizes``, ``activations``, ``cost``), ``x``
    ``(n_samples, n_0)``, ``y`` ``(n_samples, n_L)``, the engine's ``forward`` pass and
    ``gradients``, the parameters before and after, ``cost_before``/``cost_after``, the
    per-layer ``layers`` summaries and the ``top_weights`` (by |∂C/∂w|) and ``top_neurons``
    (by |δ|). When ``detailed`` (the network has at most ``max_neurons`` neurons) also every
    neuron (``neurons``, ``outputs``, ``hidden``) and every parameter (``weight_steps``,
    ``bias_steps``); otherwise those are empty and renderers show the summary.

    ``variant`` is ``"exact"`` (the algorithm) or ``"post"`` (hidden δ from the already
    updated outgoing weights, as an older script behind Mazur's post did; *not* the
    algorithm). For ``"post"`` ``exact_cost_after`` holds what the exact step gives.
    """

    sizes: list[int]
    activations: list[str]
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

    @property
    def n_samples(self) -> int:
        return int(self.x.shape[0])

    @property
    def n_layers(self) -> int:
        """L, the number of layers of weights."""
        return len(self.sizes) - 1

    def weight_step(self, l: int, i: int, j: int) -> WeightStep:
        """The record of w_ij in ``weights[l]`` (also in a summarised trace)."""
        return _weight_step(self, l, i, j)


def _as_batch(x, y, net: Network) -> tuple[np.ndarray, np.ndarray]:
    """``x``, ``y`` as ``(n_samples, n_0)``, ``(n_samples, n_L)``; one sample may be 1-D."""
    x_arr = _as_numeric(x, "x")
    single = x_arr.ndim == 1
    X = check_X(x_arr.reshape(1, -1) if single else x_arr, net.sizes[0], net.dtype, name="x")
    y_arr = _as_numeric(y, "y")
    if single:
        if y_arr.ndim == 0:
            y_arr = y_arr.reshape(1, 1)
        elif y_arr.ndim == 1:
            y_arr = y_arr.reshape(1, -1)
    Y = check_Y(y_arr, net.sizes[-1], X.shape[0], net.dtype, name="y")
    return X, Y


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
) -> Trace:
    """Trace one step of backpropagation and gradient descent (η = ``learning_rate``).

    Parameters
    ----------
    net : Network
        Not changed: the step is taken on ``net.copy()``.
    x : array ``(n_0,)`` or ``(n_samples, n_0)``
        One input, or a batch (then every gradient is the batch average).
    y : array ``(n_L,)`` or ``(n_samples, n_L)``
        The target(s); integer class labels ``(n_samples,)`` are one-hot encoded.
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
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a deltaprop Network; got {type(net).__name__}")
    eta = check_positive_float(learning_rate, "learning_rate")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}")
    max_neurons = check_positive_int(max_neurons, "max_neurons")
    top_k = check_positive_int(top_k, "top_k")
    X, Y = _as_batch(x, y, net)

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
    simplifies = net.activations[-1].name in cost.simplifies_with
    sizes = net.sizes
    detailed = sum(sizes) <= max_neurons
    trace_args = dict(
        sizes=sizes,
        activations=net.activation_names,
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
    )
    layers = _layer_summaries(net, fp, grads, stepped)
    trace = Trace(**trace_args, layers=layers, top_weights=(), top_neurons=())
    trace = replace(
        trace,
        top_weights=tuple(_top_weights(trace, top_k)),
        top_neurons=tuple(_top_neurons(fp, grads, top_k)),
    )
    if not detailed:
        return trace
    weights_back = trace_args["weights_after"] if variant == "post" else net.weights
    return replace(
        trace,
        neurons=_neuron_records(net, fp),
        outputs=_output_errors(net, fp, grads, Y, simplifies),
        hidden=_hidden_errors(net, fp, grads, weights_back),
        weight_steps=tuple(
            _weight_step(trace, l, i, j)
            for l in range(L)
            for j in range(sizes[l + 1])
            for i in range(sizes[l])
        ),
        bias_steps=_bias_steps(net, stepped, grads, eta, update_biases),
    )


def _layer_summaries(net: Network, fp: ForwardPass, grads: Gradients, stepped: Network):
    """Per-layer statistics of net, o, δ, ∂C/∂w, ∂C/∂b and Δw (what a large network shows)."""
    return tuple(
        LayerSummary(
            layer=l + 1,
            n_neurons=net.sizes[l + 1],
            activation=net.activation_names[l],
            net=Stats.of(fp.net[l]),
            o=Stats.of(fp.o[l + 1]),
            delta=Stats.of(grads.deltas[l]),
            grad_w=Stats.of(grads.weights[l]),
            grad_b=Stats.of(grads.biases[l]),
            change_w=Stats.of(stepped.weights[l] - net.weights[l]),
        )
        for l in range(net.n_layers)
    )


def _neuron_records(net: Network, fp: ForwardPass):
    """The forward pass neuron by neuron: each term o_i w_ij of net_j, then o_j."""
    return tuple(
        NeuronForward(
            layer=l + 1,
            j=j,
            w_in=net.weights[l][:, j].copy(),
            o_in=fp.o[l],
            terms=fp.o[l] * net.weights[l][:, j],
            b=float(net.biases[l][j]),
            net=fp.net[l][:, j],
            o=fp.o[l + 1][:, j],
        )
        for l in range(net.n_layers)
        for j in range(net.sizes[l + 1])
    )


def _output_errors(net: Network, fp: ForwardPass, grads: Gradients, Y: np.ndarray, simplifies: bool):
    """Each output neuron's ∂C/∂o, σ'(net) (or softmax's sum term) and δ."""
    out_fn, cost = net.activations[-1], net.cost
    a = fp.o[-1]
    dC_da = cost.derivative(a, Y)
    softmax_sum = None if out_fn.elementwise else np.sum(dC_da * a, axis=1)
    prime_out = out_fn.prime(a) if out_fn.elementwise else None
    shares = _cost_shares(cost.name, a, Y)
    return tuple(
        OutputError(
            j=j,
            y=Y[:, j],
            a=a[:, j],
            net=fp.net[-1][:, j],
            cost_share=shares[:, j],
            dC_do=dC_da[:, j],
            sigma_prime=None if prime_out is None else prime_out[:, j],
            softmax_sum=softmax_sum,
            delta=grads.deltas[-1][:, j],
            simplified=simplifies,
        )
        for j in range(net.sizes[-1])
    )


def _hidden_errors(net: Network, fp: ForwardPass, grads: Gradients, weights_back: list[np.ndarray]):
    """Each hidden neuron's terms w_jl δ_l, their sum, σ'(net_j) and δ_j, front to back.

    ``weights_back`` are the weights δ travels back through: the network's own, or (the
    post's variant) the already updated ones.
    """
    hidden = []
    for l in range(net.n_layers - 1, 0, -1):  # hidden layer l of neurons, fed back through weights[l]
        w = weights_back[l]
        # Σ_l w_jl δ_l for every j at once, the same product the engine forms.
        totals = grads.deltas[l] @ w.T
        prime = net.activations[l - 1].prime(fp.o[l])
        for j in range(net.sizes[l]):
            hidden.append(
                HiddenError(
                    layer=l,
                    j=j,
                    net=fp.net[l - 1][:, j],
                    o=fp.o[l][:, j],
                    w_out=w[j].copy(),
                    delta_next=grads.deltas[l],
                    terms=grads.deltas[l] * w[j],
                    total=totals[:, j],
                    sigma_prime=prime[:, j],
                    delta=grads.deltas[l - 1][:, j],
                )
            )
    hidden.sort(key=lambda h: (h.layer, h.j))
    return tuple(hidden)


def _bias_steps(net: Network, stepped: Network, grads: Gradients, eta: float, update_biases: bool):
    """Each bias: δ_j, ∂C/∂b_j, Δb_j and the new value (unchanged where biases are kept)."""
    return tuple(
        BiasStep(
            l=l,
            j=j,
            delta_j=grads.deltas[l][:, j],
            grad=float(grads.biases[l][j]),
            change=float(-(eta * grads.biases[l][j])) if update_biases else 0.0,
            old=float(net.biases[l][j]),
            new=float(stepped.biases[l][j]),
            updated=bool(update_biases),
        )
        for l in range(net.n_layers)
        for j in range(net.sizes[l + 1])
    )


def _weight_step(trace, l: int, i: int, j: int) -> WeightStep:
    """The record of w_ij of ``weights[l]``, read from ``trace``."""
    grad = trace.gradients.weights[l][i, j]
    return WeightStep(
        l=l,
        i=i,
        j=j,
        o_i=trace.forward.o[l][:, i],
        delta_j=trace.gradients.deltas[l][:, j],
        grad=float(grad),
        # The optimizer subtracts η·g; −(η·g) is that same product, so old + change == new.
        change=float(-(trace.learning_rate * grad)),
        old=float(trace.weights_before[l][i, j]),
        new=float(trace.weights_after[l][i, j]),
    )


def _top_weights(trace, k: int) -> list[WeightStep]:
    """The k weights with the largest |∂C/∂w| over all layers, largest first."""
    flat = [(l, g.ravel()) for l, g in enumerate(trace.gradients.weights)]
    candidates = []
    for l, g in flat:
        take = min(k, g.size)
        idx = np.argpartition(-np.abs(g), take - 1)[:take]
        candidates += [(abs(float(g[p])), l, int(p)) for p in idx]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    steps = []
    for _, l, p in candidates[:k]:
        i, j = divmod(p, trace.gradients.weights[l].shape[1])
        steps.append(_weight_step(trace, l, i, j))
    return steps


def _top_neurons(fp: ForwardPass, grads: Gradients, k: int) -> list[NeuronDelta]:
    """The k neurons with the largest mean |δ| over the batch, largest first."""
    candidates = []
    for l, d in enumerate(grads.deltas):
        score = np.abs(d).mean(axis=0)
        take = min(k, score.size)
        for j in np.argpartition(-score, take - 1)[:take]:
            candidates.append((float(score[j]), l, int(j)))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    return [
        NeuronDelta(
            layer=l + 1, j=j, net=fp.net[l][:, j], o=fp.o[l + 1][:, j], delta=grads.deltas[l][:, j], score=s
        )
        for s, l, j in candidates[:k]
    ]


def _cost_shares(cost_name: str, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each output's term of C_x, ``(n_samples, n_L)``, for display (C itself is the engine's).

    quadratic ½(y_j − a_j)², cross-entropy −[y_j ln a_j + (1 − y_j) ln(1 − a_j)],
    log-likelihood −y_j ln a_j; NaN for a cost this module does not know.
    """
    eps = np.finfo(a.dtype).eps
    p = np.clip(a, eps, 1.0 - eps)
    if cost_name == "quadratic":
        return 0.5 * (y - a) ** 2
    if cost_name == "cross_entropy":
        return -(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    if cost_name == "log_likelihood":
        return -(y * np.log(p))
    return np.full_like(a, np.nan)


def _post_variant_step(net: Network, fp: ForwardPass, Y: np.ndarray, eta: float, update_biases: bool):
    """The step as the older script behind Mazur's post took it: not backpropagation.

    Layer by layer from the output, each layer's weights are updated *before* the δ of the
    layer below is computed, so hidden δ_j = σ'(net_j) Σ_l w⁺_jl δ_l uses the new w⁺_jl.
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
