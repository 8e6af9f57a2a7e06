"""Diagnostics: "why is it stuck at 10%?" answered in plain words, with a fix for each finding.

- :func:`diagnose` runs every check the evidence allows over a network, its history and,
  where given, the data and the gradient statistics; :func:`diagnose_run` does it for a
  finished run folder.
- :class:`Diagnostics` is a training callback running the cheap checks at epoch ends.
- :class:`GradientStats` is a training callback recording per-layer |δ| and |∂C/∂w| on a
  probe batch (``gradients.json``), for the checks and for ``plots.gradient_distributions``.
"""

from .callback import Diagnostics, read_findings, write_findings
from .checks import (
    Finding,
    check_chance_level,
    check_classes_predicted,
    check_dead_relu,
    check_input_scale,
    check_learning_rate,
    check_output_cost,
    check_saturation,
    diagnose,
)
from .gradient_stats import PERCENTILES, GradientStats
from .run import diagnose_run, read_run

__all__ = [
    "PERCENTILES",
    "Diagnostics",
    "Finding",
    "GradientStats",
    "check_chance_level",
    "check_classes_predicted",
    "check_dead_relu",
    "check_input_scale",
    "check_learning_rate",
    "check_output_cost",
    "check_saturation",
    "diagnose",
    "diagnose_run",
    "read_findings",
    "read_run",
    "write_findings",
]
