"""Does the output layer fit the cost and the targets? Checked from the configuration alone.

The rule is training's (:mod:`deltaprop.training.output_cost`), so that what these findings call
an error is what ``fit`` refuses: softmax with the quadratic cost is allowed but named; softmax
with cross-entropy, logistic with log-likelihood and a ReLU output trained towards class labels
(outputs that can die at 0 and stop learning) are warnings; a cost that takes ln a of an
output that is not a probability, a softmax over one output, and targets a logistic/softmax
output can never reach (more than two classes on one output among them) are errors.
``deltaprop train`` and ``deltaprop gradcheck`` ask :func:`output_cost_findings` by name, before
any network is built.
"""

from __future__ import annotations

from ..training.output_cost import output_cost_issues
from .finding import Finding


def check_output_cost(net, Y=None) -> list[Finding]:
    """The output activation, the cost and the targets should fit each other."""
    return output_cost_findings(net.activation_names[-1], net.cost.name, net.sizes[-1], Y)


def output_cost_findings(out_act: str, cost: str, n_out: int, Y=None) -> list[Finding]:
    """:func:`check_output_cost` by names: the output activation's and the cost's (canonical, not
    aliases) and the output layer's size — for a configuration, before any network is built.
    ``Y`` is read as ``fit`` reads it; see :func:`deltaprop.training.output_cost.output_cost_issues`."""
    return [Finding(*issue) for issue in output_cost_issues(out_act, cost, n_out, Y)]
