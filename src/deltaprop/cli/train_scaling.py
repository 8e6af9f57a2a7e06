"""``deltaprop train --scale``: the run's data scaled for training, and the scaling kept.

The statistics come from the training rows only: the rows ``fit`` trains on, the validation
split left out (:func:`deltaprop.training.arguments.training_indices`, which ``diagnose``
shares, so that it computes the same scaling again), and never a test split. The network
trains on the scaled data; the model file gets the scaling folded in
(:func:`deltaprop.training.scaling.fold`), so it takes raw inputs and gives raw targets.
The checkpoint keeps the network as it trains, unfolded, and the statistics, for ``resume``
(:func:`checkpoint_state`, :func:`from_checkpoint`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import activations
from .._text import count
from ..training.arguments import training_indices
from ..training.scaling import NONE, Scaling, fit_scaling, fold, from_state, scaled_targets, to_state
from . import config as cfg
from .data import RunData

# The checkpoint's record of the network as it trains (its network tensors hold it folded,
# so that every reader of a checkpoint gets raw inputs in and raw targets out): the arrays
# TRAIN_W{l}, TRAIN_B{l}.
TRAIN_W, TRAIN_B = "train_w", "train_b"


def add_scale_option(group) -> None:
    """``--scale`` in train's argparse ``group`` of data options."""
    group.add_argument(
        "--scale",
        choices=cfg.SCALES,
        help="scale each input feature for training, with statistics of the training rows only "
        "(not the validation split): standard (x − mean) / std, or minmax to [0, 1]; a constant "
        "feature is left as it is. For regression with a linear output the targets are scaled "
        "the same way (loss and val_loss are then in scaled units). The saved model has the "
        "scaling folded into its first (and output) layer: it takes raw inputs and gives raw "
        "targets, for evaluate, predict and deltaprop.load alike "
        f"({cfg.DEFAULTS['data']['scale']}: the built-in sets are in [0, 1] already)",
    )


def run_scaling(config: dict, data: RunData) -> Scaling | None:
    """The scaling ``[data] scale`` asks for, from the rows the run trains on; None for none.

    The targets are scaled too where they are real numbers (not classes, nor a 0/1 column)
    and the output layer is linear. Call once the model is resolved (its layers and output).
    """
    method = config["data"]["scale"]
    if method == NONE:
        return None
    model = config["model"]
    n_out, output = model["layers"][-1], activations.get(model["output_activation"]).name
    split = float(config["data"]["validation_split"])
    rows = training_indices(data.y_train, n_out, split, int(config["training"]["seed"]))
    X, Y = data.X_train[rows], data.y_train[rows]
    return fit_scaling(X, method, Y if scaled_targets(output, n_out, Y) else None)


def scaled(data: RunData, scaling: Scaling | None, dtype=np.float64) -> RunData:
    """``data`` with its training arrays scaled, as the network trains on them, in ``dtype``
    (the network's: one scaled copy of the training inputs, beside the raw ones, which the
    plots and the test evaluation still read; the test arrays stay raw: the folded model is
    evaluated on them)."""
    if scaling is None:
        return data
    return replace(
        data, X_train=scaling.inputs(data.X_train, dtype), y_train=scaling.outputs(data.y_train, dtype)
    )


def described(scaling: Scaling | None) -> str | None:
    """One line for the run's announcement: what was scaled, how, and in which units the loss
    is; None for a run that does not scale."""
    if scaling is None:
        return None
    how = "standardised (x − mean) / std" if scaling.method == "standard" else "scaled to [0, 1] (min-max)"
    text = f"inputs {how} with statistics of the training rows"
    if scaling.targets:
        text += "; so are the targets, so loss and val_loss are in scaled units"
    text += "; the saved model takes raw inputs" + (" and gives raw targets" if scaling.targets else "")
    if scaling.constant:
        shown = ", ".join(str(i) for i in scaling.constant[:10]) + (
            ", ..." if len(scaling.constant) > 10 else ""
        )
        text += (
            f"\nnote: {count(len(scaling.constant), 'feature')} constant in the training rows, "
            f"read as that value in every row: the model ignores them (columns {shown}, from 0)"
        )
    return text


def checkpoint_state(net, scaling: Scaling | None) -> tuple[object, dict]:
    """What a checkpoint stores for ``net`` as it trains: the network to store as its model
    (folded: raw in, raw out) and the state entries that let ``resume`` go on exactly (the
    unfolded weights and the statistics); ``(net, {})`` for a run that does not scale."""
    if scaling is None:
        return net, {}
    state = to_state(scaling)
    state.update({f"{TRAIN_W}{l}": np.array(w) for l, w in enumerate(net.weights)})
    state.update({f"{TRAIN_B}{l}": np.array(b) for l, b in enumerate(net.biases)})
    return fold(net, scaling), state


def from_checkpoint(net, state: dict) -> Scaling | None:
    """The scaling of a checkpoint's run, and ``net`` (as the checkpoint stores it: folded)
    given back its training weights, in place; None (``net`` untouched) for a run that did
    not scale. ``ValueError`` naming what is wrong for a damaged state."""
    scaling = from_state(state)
    if scaling is None:
        return None
    n = net.n_layers
    names = [f"{TRAIN_W}{l}" for l in range(n)] + [f"{TRAIN_B}{l}" for l in range(n)]
    missing = [name for name in names if not isinstance(state.get(name), np.ndarray)]
    if missing:
        raise ValueError(
            f"it scaled its data but lacks the weights it trained ({', '.join(missing[:2])}, ...)"
        )
    net.weights = [state[f"{TRAIN_W}{l}"] for l in range(n)]
    net.biases = [state[f"{TRAIN_B}{l}"] for l in range(n)]
    return scaling
