"""What ``deltaprop explain --model RUN`` says of the run behind the model, before its step.

The walk-through takes one plain SGD step, Δw = −η ∂C/∂w, on the saved model and the input
given. A run's training step may differ from it, and each difference gets a line:

* η: ``--lr``, else the run's ``[training] lr``, else :data:`MODEL_DEFAULT_ETA`; with a
  schedule the base η is used, and the line gives the η of the run's last epoch (its
  ``history.json``) and how to use that instead;
* the optimizer: momentum's velocity and Adam's moments are not part of backprop's step;
* ``l2``: training's gradient had the term (λ/n) w too, so its SGD step was
  w ← (1 − ηλ/n) w − η ∂C/∂w; the walk-through's C has no λ/(2n) Σ w² and its step no factor;
* ``scale``: training stepped the unfolded weights on scaled inputs; the saved model has the
  scaling folded in, and the walk-through steps it on the raw input.

The run's files are read only, with :mod:`.config_file` and :class:`~deltaprop.training.History`;
a model outside a run folder gets the default η and no lines.
"""

from __future__ import annotations

import math
from pathlib import Path

from . import rundir

MODEL_DEFAULT_ETA = 0.5


def _positive(value) -> bool:
    """A number > 0 that is finite (not a bool, as TOML's true would be)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < math.inf


def _history(folder: Path):
    """The run's History, or None where it has none it can read."""
    from ..training.history import History

    try:
        return History.from_json(folder / rundir.HISTORY_JSON)
    except (OSError, ValueError):
        return None


def run_notes(model: str, lr: float | None) -> tuple[float, list[str]]:
    """η for ``--model MODEL`` (``lr`` being ``--lr`` or None) and the lines that say where it came
    from and how the run's own step differed from the walk-through's."""
    from .config_file import read_toml

    folder = rundir.folder_of(model)
    if folder is None:
        return (MODEL_DEFAULT_ETA if lr is None else lr), []
    config_path = folder / rundir.CONFIG
    config = read_toml(config_path)
    training, data = config.get("training") or {}, config.get("data") or {}
    history = _history(folder)
    notes = []
    eta = lr
    if eta is None and _positive(training.get("lr")):
        eta = float(training["lr"])
        notes.append(_eta_note(eta, config_path, training.get("schedule", "none"), history))
    eta = MODEL_DEFAULT_ETA if eta is None else eta
    notes += [
        note
        for note in (
            _optimizer_note(training),
            _l2_note(training.get("l2", 0.0), eta, history),
            _scale_note(data.get("scale", "none"), _scaled_targets(config, history)),
        )
        if note
    ]
    return eta, notes


def _eta_note(eta: float, config_path: Path, schedule, history) -> str:
    note = f"η = {eta!r}, the run's learning rate ([training] lr of {config_path})"
    if not isinstance(schedule, str) or schedule.strip().lower() in ("", "none"):
        return note
    rates = history.history.get("lr", []) if history is not None else []
    last = rates[-1] if rates and _positive(rates[-1]) else None
    if last is None or last == eta:
        return f"{note}; its schedule {schedule} set η epoch by epoch, and this step uses the base η"
    return (
        f"η = {eta!r}, the run's base learning rate ([training] lr of {config_path}): its schedule "
        f"{schedule} had lowered η to {last!r} by its last epoch ({rundir.HISTORY_JSON}). This step "
        f"uses the base η; give --lr {last!r} for the last epoch's."
    )


def _optimizer_note(training: dict) -> str:
    optimizer = training.get("optimizer", "sgd")
    momentum = training.get("momentum", 0.0)
    if optimizer == "sgd" and _positive(momentum):
        optimizer = f"sgd with momentum {momentum:g}"  # --optimizer sgd --momentum 0.9: heavy ball
    if optimizer == "sgd":
        return ""
    return (
        f"The run trained with {optimizer}; this walk-through shows a plain SGD step, "
        "Δw = −η ∂C/∂w: the optimizer's state (momentum's velocity, Adam's moment estimates) "
        "is not part of backprop's step."
    )


def _l2_note(l2, eta: float, history) -> str:
    if not _positive(l2):
        return ""
    optimizer = history.params.get("optimizer") if history is not None else None
    n_train = optimizer.get("n_train") if isinstance(optimizer, dict) else None
    if _positive(n_train):
        factor = f"(1 − ηλ/n) = 1 − {eta:g} × {l2:g}/{n_train} = {1 - eta * l2 / n_train:.6g}"
    else:
        factor = "(1 − ηλ/n), n its training rows,"
    return (
        f"The run trained with L2 weight decay, λ = {l2:g} ([training] l2): its gradient of every "
        f"weight had the term (λ/n) w too, so that an SGD step shrank each weight by the factor "
        f"{factor} before subtracting η ∂C/∂w. This walk-through leaves that out: its C has no "
        "λ/(2n) Σ w² term, and its step is Δw = −η ∂C/∂w alone."
    )


def _scaled_targets(config: dict, history) -> bool:
    """Whether a scaled run scaled its targets too: real ones of a linear output (class labels
    never are, see training.scaling.scaled_targets), told by the history (classification logs
    accuracy) or, without one, by the run's ``[data] task``."""
    if (config.get("model") or {}).get("output_activation") != "linear":
        return False
    if history is not None:
        return "accuracy" not in history.history
    return (config.get("data") or {}).get("task") == "regression"


def _scale_note(scale, targets_scaled: bool) -> str:
    if not isinstance(scale, str) or scale in ("", "none"):
        return ""
    targets = (
        " Real-valued targets of its linear output were scaled too, y' = (y − m)/s_y, and folded into "
        "its output layer: the cost and δ here are in raw target units, training's in scaled ones."
        if targets_scaled
        else ""
    )
    return (
        f"The run trained with --scale {scale}: on inputs scaled by its training rows' statistics, "
        "o_i = (x_i − μ_i)/s_i. The saved model has that scaling folded into its first layer "
        "(w_ij/s_i, b_j − Σ_i w_ij μ_i/s_i), and this step is on the folded model and the raw "
        "input given: its outputs are the trained network's, but its first layer's "
        "∂C/∂w_ij = x_i δ_j, not (x_i − μ_i)/s_i · δ_j, so the update differs from the one "
        f"training takes on the unfolded weights.{targets}"
    )
