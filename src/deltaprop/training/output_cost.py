"""Does the output layer fit the cost and the targets? The rule, and fit's use of it.

softmax with the quadratic cost is allowed but named; softmax with cross-entropy, logistic
with log-likelihood and a ReLU output trained towards class labels are warned about; a cost
that takes ln a of an output that is not a probability, a softmax over one output, and targets
a logistic/softmax output can never reach (more than two classes on one output among them)
are errors. :func:`output_cost_issues` says
which, as :class:`Issue` records; :func:`check_output_cost_fits` is ``fit``'s use of them: it
refuses the errors before any update and returns the warnings for ``fit`` to give.
``deltaprop.diagnostics`` and the CLI ask the same rule (their :class:`Finding` holds an
Issue's four fields), so a combination ``deltaprop train`` refuses, the Python API refuses too.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._data import REGRESSION, Targets, check_targets

PROBABILITY_OUTPUTS = ("logistic", "softmax")  # outputs in (0, 1)
LN_A_COSTS = ("cross_entropy", "log_likelihood")  # costs that take ln a
TARGET_CODES = ("single-output-multiclass", "targets-out-of-range")  # issues of the targets, not the pair


class Issue(NamedTuple):
    """One way the output layer does not fit: a stable ``code``, a ``severity`` (info,
    warning, error), what is wrong and what to do — the fields of a diagnostics Finding."""

    code: str
    severity: str
    message: str
    fix: str


class OutputCostWarning(UserWarning):
    """``fit`` trains an output activation and cost that fit each other badly (a warning Issue).
    Its own class, so a caller that reports the issue otherwise (the CLI) can filter it."""


def output_cost_issues(out_act: str, cost: str, n_out: int, Y=None) -> list[Issue]:
    """What does not fit among the output activation ``out_act``, the ``cost`` (canonical names,
    not aliases), the output layer's size ``n_out`` and, if given, the targets ``Y``: the
    :class:`~._data.Targets` that fit checked, or an array read as fit reads it (labels, one-hot
    rows, 0/1 labels or real targets). Targets fit would refuse for their own sake (a label out
    of range, NaN) give no issue here: fit names what is wrong with them itself."""
    if Y is not None and not isinstance(Y, Targets):
        try:
            Y = check_targets(Y, n_out, len(Y))
        except (TypeError, ValueError):
            Y = None
    pair = _pair_issues(out_act, cost, n_out) or _relu_issues(out_act, n_out, Y)
    return [*pair, *_target_issues(out_act, n_out, Y)]


def _pair_issues(out_act: str, cost: str, n_out: int) -> list[Issue]:
    if out_act == "softmax" and n_out == 1:
        return [
            Issue(
                "output-cost-mismatch",
                "error",
                "a softmax over a single output is always 1: the network cannot say anything.",
                "use one logistic output for two classes, or one softmax output per class",
            )
        ]
    if out_act == "softmax" and cost == "quadratic":
        return [
            Issue(
                "softmax-quadratic",
                "info",
                "softmax output with the quadratic cost: allowed, but the softmax's Jacobian then "
                "slows learning when an output is confidently wrong.",
                "the natural pair for softmax is cost='log_likelihood' (δ = a − y)",
            )
        ]
    if out_act == "softmax" and cost == "cross_entropy":
        return [
            Issue(
                "output-cost-mismatch",
                "warning",
                "softmax output with the (binary) cross-entropy cost: the cost treats each output as an "
                "independent yes/no, which softmax outputs are not.",
                "use cost='log_likelihood' with softmax, or logistic outputs with cross_entropy",
            )
        ]
    if out_act == "logistic" and cost == "log_likelihood":
        return [
            Issue(
                "output-cost-mismatch",
                "warning",
                "logistic outputs with the log-likelihood cost: −ln a_y only pushes the correct output up, "
                "never the others down, because logistic outputs need not sum to 1.",
                "use output_activation='softmax' with log_likelihood, or keep logistic with cross_entropy",
            )
        ]
    if out_act not in PROBABILITY_OUTPUTS and cost in LN_A_COSTS:
        return [
            Issue(
                "output-cost-mismatch",
                "error",
                f"a {out_act} output with the {cost} cost: that cost takes ln a, so it needs outputs in "
                f"(0, 1), which {out_act} does not give.",
                "use logistic outputs with cross_entropy or softmax with log_likelihood; keep quadratic for "
                "linear outputs (regression)",
            )
        ]
    return []


RELU_DIES = "an output neuron whose net goes negative gives 0 with δ = 0 and stops learning"


def _relu_issues(out_act: str, n_out: int, targets: Targets | None) -> list[Issue]:
    """A ReLU output: named (info) for several outputs; a warning when it is trained towards class
    labels (one-hot or 0/1), where outputs that die leave accuracy at chance. Measured on the 8×8
    digits, [64, 64, 10], 10 epochs of mini-batches of 32, η 0.01 to 0.5, four inits: test
    accuracy 10 % under the normal init whatever η, at most 87 % under any (softmax: 93–97 %).
    A leaky ReLU output, whose δ never vanishes, reached 96–97 % under he_normal or glorot_uniform."""
    if out_act != "relu":
        return []
    if targets is not None and targets.classify:
        return [
            Issue(
                "relu-output",
                "warning",
                f"ReLU output trained towards class labels: {RELU_DIES}, so outputs that die early "
                "stay at 0 and accuracy can stay at chance whatever the learning rate.",
                "use output_activation='softmax' with cost='log_likelihood', or 'logistic' outputs "
                "(with cost='cross_entropy')",
            )
        ]
    if n_out > 1:
        return [
            Issue(
                "relu-output",
                "info",
                f"ReLU output: {RELU_DIES}.",
                "use softmax (classification) or linear (regression) outputs",
            )
        ]
    return []


def _target_issues(out_act: str, n_out: int, targets: Targets | None) -> list[Issue]:
    """Real targets outside [0, 1] for outputs in (0, 1): more than two classes when they are
    whole numbers given as labels ``(n,)`` to one output, else targets out of range. Labels
    (one-hot or 0/1) are in range; an unbounded output (linear, tanh, ...) may be given any
    targets (regression, whole numbers too)."""
    if (
        targets is None
        or targets.kind != REGRESSION
        or out_act not in PROBABILITY_OUTPUTS
        or not len(targets)
    ):
        return []
    low, high = targets.range()
    if low >= 0.0 and high <= 1.0:
        return []
    values = targets.values
    # Whole numbers given as labels (n,), not as a column of targets: read only on the way to an error.
    if n_out == 1 and targets.flat and np.all(values == np.round(values)):
        n_classes = len(np.unique(values))
        if n_classes > 2:
            return [
                Issue(
                    "single-output-multiclass",
                    "error",
                    f"the targets hold {n_classes} classes but the network has a single output, "
                    f"which can only say yes or no.",
                    f"give the output layer one neuron per class ({n_classes}) with softmax",
                )
            ]
    return [
        Issue(
            "targets-out-of-range",
            "error",
            f"the targets run from {low:g} to {high:g}, but {out_act} outputs lie in (0, 1) and "
            f"can never reach them.",
            "scale the targets to [0, 1], or use a linear output for regression",
        )
    ]


def check_output_cost_fits(net, targets: Targets, name: str = "Y") -> list[Issue]:
    """Refuse (ValueError) what :func:`output_cost_issues` calls an error for ``net`` trained
    towards ``targets`` (the argument ``name``), in the issue's words, naming the output
    activation and the cost; return the warnings, for :func:`warn` once the run is sure to start."""
    out_act, cost = net.activation_names[-1], net.cost.name
    issues = output_cost_issues(out_act, cost, net.sizes[-1], targets)
    for issue in issues:
        if issue.severity != "error":
            continue
        if issue.code in TARGET_CODES:
            given = f"{name} does not fit output_activation={out_act!r} (cost={cost!r})"
        else:
            given = f"output_activation={out_act!r} with cost={cost!r} cannot be trained"
        raise ValueError(f"{given}: {issue.message} To fix it, {issue.fix}.")
    return [_taken_from_activation(net, issue) for issue in issues if issue.severity == "warning"]


def _taken_from_activation(net, issue: Issue) -> Issue:
    """``issue`` with a word on ``activation=`` where the network was built with one ``activation``
    name and no ``output_activation``: the output layer took that σ, which a Keras user does not
    expect (``Network([64, 64, 10], activation="relu")`` has a ReLU output)."""
    if issue.code != "relu-output" or not net._output_took_activation:
        return issue
    note = (
        f" The output layer took activation={net.activation_names[-1]!r}: activation= sets every "
        f"layer's σ, the output's too, unless output_activation= is given."
    )
    return issue._replace(message=issue.message + note)


def warn(issues: list[Issue]) -> None:
    """Give ``issues`` (warnings of :func:`check_output_cost_fits`) as one
    :class:`OutputCostWarning`, attributed to the first caller outside deltaprop."""
    if issues:
        text = " ".join(f"{issue.message} To fix it, {issue.fix}." for issue in issues)
        warnings.warn(text, OutputCostWarning, stacklevel=_caller_level())


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside the deltaprop package, as seen from the
    ``warnings.warn`` in :func:`warn` (Network.fit, fit and the scikit-learn estimators lie between)."""
    package = str(Path(__file__).resolve().parent.parent)
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level
