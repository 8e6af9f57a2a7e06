"""The checks behind "why is it stuck at 10%?", run together: :func:`diagnose`.

``diagnose`` runs every check the evidence allows over a network, its history and, where
given, the data and the gradient statistics, and returns their :class:`Finding` list, most
severe first, less the advice that another finding contradicts (:func:`without_contradictions`).
Each check looks at one thing and lives with its kind: the learning curve in
:mod:`.learning_curve`, the hidden neurons in :mod:`.neurons`, the inputs in
:mod:`.input_scale`, the output activation and cost against the targets in
:mod:`.output_cost`, the classes a classifier never predicts in :mod:`.classes`, the
:class:`Finding` record in :mod:`.finding`; all are re-exported here.
"""

from __future__ import annotations

import numpy as np

from .classes import MIN_CLASS_ROWS, RARELY_PREDICTED, check_classes_predicted
from .finding import SEVERITIES, Finding, sort_findings
from .gradient_stats import DEFAULT_PROBE_SIZE, GradientStats
from .input_scale import INPUT_SCALE_LIMIT, check_input_scale
from .learning_curve import (
    CHANCE_MARGIN,
    FAR_ABOVE_CHANCE,
    FELL_BEFORE_FLAT,
    FEW_UPDATES,
    FLAT_ACCURACY_GAIN,
    FLAT_CHANGE,
    FLAT_WINDOW,
    LEARNED_ACCURACY,
    LEARNED_COST_FRACTION,
    MIN_EPOCHS_STUCK,
    MIN_EPOCHS_TREND,
    OSCILLATION_SHARE,
    OSCILLATION_STEP,
    RISE_FACTOR,
    SLOW_FALL,
    chance_level,
    check_chance_level,
    check_learning_rate,
)
from .neurons import (
    DEAD_INFO_SHARE,
    DEAD_WARNING_SHARE,
    MEDIAN,
    NEGLIGIBLE,
    SATURATED_SHARE,
    VANISHING_RATIO,
    check_dead_relu,
    check_saturation,
)
from .output_cost import check_output_cost, output_cost_findings


def probe_stats(net, X, Y, probe_size: int = DEFAULT_PROBE_SIZE) -> GradientStats:
    """One record of gradient statistics for ``net`` on the first ``probe_size`` samples."""
    stats = GradientStats(np.asarray(X)[:probe_size], np.asarray(Y)[:probe_size])
    stats.record(net, epoch=0)
    return stats


def diagnose(
    net,
    history=None,
    X=None,
    Y=None,
    stats: GradientStats | None = None,
    probe_size: int = DEFAULT_PROBE_SIZE,
    scaling=None,
) -> list[Finding]:
    """Every check that the given evidence allows, most severe first.

    Parameters
    ----------
    net : Network
        The trained (or stuck) network.
    history : History or dict of lists, optional
        Keras-named per-epoch lists (``loss``, ``accuracy``, ``lr``, ...).
    X : array ``(n_samples, n_0)``, optional
        The training inputs the history was measured on (for the input-scale check, with ``Y``
        for the classes never predicted, and a probe batch of the first ``probe_size`` rows).
    Y : array ``(n_samples, n_L)`` or labels ``(n_samples,)``, optional
        Their targets (all of them: the chance level is the commonest class's share of Y).
    stats : GradientStats, optional
        Recorded during training; without it, and with ``X`` and ``Y``, one probe record is
        taken from the network as it is now.
    probe_size : int
        Rows of ``X``, ``Y`` in that probe record.
    scaling : deltaprop.training.scaling.Scaling, optional
        The per-feature scaling that made ``X`` from the raw inputs, if one did: the input-scale
        finding then says what it made of which feature (:func:`check_input_scale`).
    """
    if not hasattr(net, "activations") or not hasattr(net, "backprop"):
        raise TypeError(f"net must be a deltaprop Network; got {type(net).__name__}")
    if stats is None and X is not None and Y is not None:
        stats = probe_stats(net, X, Y, probe_size)
    at_chance = check_chance_level(history, net, Y)
    unscaled = check_input_scale(X, scaling)
    findings = [
        *check_output_cost(net, Y),
        *unscaled,
        *check_learning_rate(history, stats.initial_cost if stats is not None else None),
        *at_chance,
        *check_saturation(
            stats,
            history,
            bool(at_chance),
            chance_level(net, Y)[0],
            inputs_scaled=None if X is None else not unscaled,
        ),
        *check_dead_relu(stats),
        # at chance level the network predicts one class or few: the chance-level error says so
        *([] if at_chance else check_classes_predicted(net, X, Y)),
    ]
    return sort_findings(without_contradictions(findings))


# Findings that name a cause of slow learning other than the learning rate.
_OTHER_CAUSES = frozenset({"saturated-units", "dead-relu", "unscaled-inputs", "vanishing-gradient"})


def without_contradictions(findings: list[Finding]) -> list[Finding]:
    """``findings`` less a ``cost-slow`` ("η too low") where a warning names another cause:
    a ReLU layer that died at η = 5 also makes the cost fall slowly, and raising η is then
    the wrong advice."""
    if any(f.code in _OTHER_CAUSES and f.severity != "info" for f in findings):
        return [f for f in findings if f.code != "cost-slow"]
    return findings


__all__ = [
    "SEVERITIES",
    "Finding",
    "chance_level",
    "check_chance_level",
    "check_classes_predicted",
    "check_dead_relu",
    "check_input_scale",
    "check_learning_rate",
    "check_output_cost",
    "check_saturation",
    "diagnose",
    "output_cost_findings",
    "probe_stats",
    "sort_findings",
    "without_contradictions",
    # the checks' thresholds, defined beside their checks
    "CHANCE_MARGIN",
    "MIN_EPOCHS_STUCK",
    "RISE_FACTOR",
    "OSCILLATION_SHARE",
    "OSCILLATION_STEP",
    "FLAT_CHANGE",
    "FLAT_WINDOW",
    "FLAT_ACCURACY_GAIN",
    "LEARNED_ACCURACY",
    "FAR_ABOVE_CHANCE",
    "LEARNED_COST_FRACTION",
    "MIN_EPOCHS_TREND",
    "FELL_BEFORE_FLAT",
    "FEW_UPDATES",
    "SLOW_FALL",
    "SATURATED_SHARE",
    "VANISHING_RATIO",
    "NEGLIGIBLE",
    "DEAD_WARNING_SHARE",
    "DEAD_INFO_SHARE",
    "MEDIAN",
    "INPUT_SCALE_LIMIT",
    "RARELY_PREDICTED",
    "MIN_CLASS_ROWS",
]
