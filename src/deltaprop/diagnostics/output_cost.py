"""Does the output layer fit the cost and the targets? Checked from the configuration alone.

softmax with the quadratic cost is allowed but named; softmax with cross-entropy, logistic with
log-likelihood, a cost that takes ln a of an output that is not a probability, a softmax over
one output, more classes than one output can say, and targets a logistic/softmax output can
never reach are not. ``deltaprop train`` asks :func:`output_cost_findings` by name, before any
network is built.
"""

from __future__ import annotations

import numpy as np

from .._validation import label_column
from .finding import Finding


def check_output_cost(net, Y=None) -> list[Finding]:
    """The output activation, the cost and the targets should fit each other."""
    return output_cost_findings(net.activation_names[-1], net.cost.name, net.sizes[-1], Y)


def output_cost_findings(out_act: str, cost: str, n_out: int, Y=None) -> list[Finding]:
    """:func:`check_output_cost` by names: the output activation's and the cost's (canonical, not
    aliases) and the output layer's size — for a configuration, before any network is built."""
    found = []
    if out_act == "softmax" and n_out == 1:
        found.append(
            Finding(
                "output-cost-mismatch",
                "error",
                "a softmax over a single output is always 1: the network cannot say anything.",
                "use one logistic output for two classes, or one softmax output per class",
            )
        )
    elif out_act == "softmax" and cost == "quadratic":
        found.append(
            Finding(
                "softmax-quadratic",
                "info",
                "softmax output with the quadratic cost: allowed, but the softmax's Jacobian then "
                "slows learning when an output is confidently wrong.",
                "the natural pair for softmax is cost='log_likelihood' (δ = a − y)",
            )
        )
    elif out_act == "softmax" and cost == "cross_entropy":
        found.append(
            Finding(
                "output-cost-mismatch",
                "warning",
                "softmax output with the (binary) cross-entropy cost: the cost treats each output as an "
                "independent yes/no, which softmax outputs are not.",
                "use cost='log_likelihood' with softmax, or logistic outputs with cross_entropy",
            )
        )
    elif out_act == "logistic" and cost == "log_likelihood":
        found.append(
            Finding(
                "output-cost-mismatch",
                "warning",
                "logistic outputs with the log-likelihood cost: −ln a_y only pushes the correct output up, "
                "never the others down, because logistic outputs need not sum to 1.",
                "use output_activation='softmax' with log_likelihood, or keep logistic with cross_entropy",
            )
        )
    elif out_act not in ("logistic", "softmax") and cost in ("cross_entropy", "log_likelihood"):
        found.append(
            Finding(
                "output-cost-mismatch",
                "error",
                f"a {out_act} output with the {cost} cost: that cost takes ln a, so it needs outputs in "
                f"(0, 1), which {out_act} does not give.",
                "use logistic outputs with cross_entropy or softmax with log_likelihood; keep quadratic for "
                "linear outputs (regression)",
            )
        )
    elif out_act == "relu" and n_out > 1:
        found.append(
            Finding(
                "relu-output",
                "info",
                "ReLU output: an output neuron whose net goes negative gives 0 with δ = 0 and stops "
                "learning.",
                "use softmax (classification) or linear (regression) outputs",
            )
        )
    if Y is not None:
        Y = label_column(np.asarray(Y), n_out)  # df[["label"]]'s column: labels, not targets in [0, 1]
        if n_out == 1 and Y.ndim == 1 and Y.size and np.all(Y == np.round(Y)) and len(np.unique(Y)) > 2:
            found.append(
                Finding(
                    "single-output-multiclass",
                    "error",
                    f"the targets hold {len(np.unique(Y))} classes but the network has a single output, "
                    f"which can only say yes or no.",
                    f"give the output layer one neuron per class ({len(np.unique(Y))}) with softmax",
                )
            )
        elif Y.ndim == 2 and Y.size and out_act in ("logistic", "softmax"):
            low, high = float(Y.min()), float(Y.max())
            if low < 0.0 or high > 1.0:
                found.append(
                    Finding(
                        "targets-out-of-range",
                        "error",
                        f"the targets run from {low:g} to {high:g}, but {out_act} outputs lie in (0, 1) and "
                        f"can never reach them.",
                        "scale the targets to [0, 1], or use a linear output for regression",
                    )
                )
    return found
