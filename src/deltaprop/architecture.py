"""A network's architecture as the caller states it: layer sizes and one σ per layer of weights.

``sizes = [n_0, n_1, ..., n_L]`` lists the neurons per layer, input first; a network of L + 1
layers has L layers of weights, and each gets an activation σ_l. :func:`check_sizes` and
:func:`layer_activations` turn what a caller wrote (a list of sizes; one activation name, a
list of them, an ``output_activation``) into that, or refuse it with a message naming the
argument, what was received and what was expected. :func:`network_cost` gives the cost, the
one named or, for ``cost=None``, the one the output σ calls for (:func:`default_cost`). Both
:class:`~deltaprop.network.Network` constructors go through them.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from . import activations, costs


def check_sizes(sizes) -> list[int]:
    """``sizes`` as a list of ints, each ≥ 1, at least two of them (an input and an output layer)."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(f"sizes must be a list of layer sizes such as [784, 30, 10]; got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output layer; got {sizes!r}")
    for k, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"sizes[{k}] must be an integer; got {n!r} in sizes={sizes!r}")
        if n < 1:
            raise ValueError(
                f"sizes[{k}] must be ≥ 1 (every layer needs a neuron); got {n} in sizes={sizes!r}"
            )
    return [int(n) for n in sizes]


def layer_activations(activation, output_activation, sizes: list[int]) -> list[activations.Activation]:
    """One activation per layer of weights, validated (softmax only at the output, over ≥ 2 neurons)."""
    n_layers = len(sizes) - 1
    if isinstance(activation, (str, activations.Activation)):
        names = [activation] * n_layers
        params = ["activation"] * n_layers  # the argument each name came from, for messages
    elif isinstance(activation, Sequence):
        names = list(activation)
        params = [f"activation[{l}]" for l in range(len(names))]
        if len(names) == n_layers - 1 and output_activation is not None:
            names.append(output_activation)
            params.append("output_activation")
        elif len(names) != n_layers:
            raise ValueError(
                f"activation as a list needs one name per layer of weights ({n_layers}), or "
                f"{n_layers - 1} hidden ones plus output_activation; got {len(names)}: {names!r}"
            )
        elif output_activation is not None:
            _check_same_output(names[-1], output_activation, n_layers)
    else:
        raise TypeError(
            f"activation must be a name or a list of names; got {activation!r} "
            f"of type {type(activation).__name__}"
        )
    if output_activation is not None:
        names[-1], params[-1] = output_activation, "output_activation"
    resolved = [activations.get(name, param) for name, param in zip(names, params)]
    for l, fn in enumerate(resolved[:-1]):
        if not fn.elementwise:
            raise ValueError(
                f"activation {fn.name!r} is for the output layer only; got it for hidden "
                f"layer {l + 1} of {n_layers}. Use e.g. 'logistic', 'tanh' or 'relu' there."
            )
    if resolved[-1].name == "softmax" and sizes[-1] == 1:
        raise ValueError(
            "output activation 'softmax' over a single output neuron (sizes ending in 1) is always 1, "
            "so nothing can be learned; for one output (two classes, 0/1 labels) use "
            "output_activation='logistic' (with cost='cross_entropy'), or give the output layer a "
            "neuron per class"
        )
    return resolved


def _check_same_output(listed, output_activation, n_layers: int) -> None:
    """Refuse a list of one σ per layer whose last disagrees with ``output_activation``: one of
    the two would be dropped without a word (``["tanh", "relu"]`` with ``"softmax"``)."""
    last = activations.get(listed, f"activation[{n_layers - 1}]")
    output = activations.get(output_activation, "output_activation")
    if type(last) is not type(output) or last.spec != output.spec:
        raise ValueError(
            f"activation[{n_layers - 1}]={last.spec!r} and output_activation={output.spec!r} both "
            f"name the output layer's σ and disagree; give activation {n_layers - 1} hidden "
            f"σ (one per hidden layer) with output_activation, or a list of {n_layers} without it"
        )


def output_took_activation(activation, output_activation) -> bool:
    """Whether the output layer's σ came from a lone ``activation`` (one name or Activation for
    every layer) with no ``output_activation``: what fit's note on a ReLU output reads. Both
    Network constructors record it; a model file lists one σ per layer, so a loaded network's
    output σ was stated, not taken (False)."""
    return output_activation is None and isinstance(activation, (str, activations.Activation))


def default_cost(output: activations.Activation) -> str:
    """The cost of a network given ``cost=None``, by its output layer's σ: ``"log_likelihood"``
    under a softmax, whose outputs are a distribution over the classes (Nielsen ch. 3, the
    command line's and the scikit-learn classifier's pair), else ``"quadratic"`` (Nielsen ch. 1)."""
    return "log_likelihood" if output.name == "softmax" else "quadratic"


def network_cost(cost: str | costs.Cost | None, output: activations.Activation) -> costs.Cost:
    """The :class:`~deltaprop.costs.Cost` named by ``cost``, or :func:`default_cost`'s for None."""
    return costs.get(default_cost(output) if cost is None else cost)
