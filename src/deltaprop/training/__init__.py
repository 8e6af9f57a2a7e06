"""Training: the fit loop, its History, callbacks and learning-rate schedules, evaluation.

``fit(net, X, Y, epochs, ...)`` is mini-batch gradient descent (Nielsen, chapter 1) over the
step kernel of :mod:`.step`, optionally with per-sample weights (``sample_weight``: each step
descends its mini-batch's weighted average C = Σ s_x C_x / Σ s_x, and the logged losses and
accuracies are weighted too); it reports through callbacks (:mod:`.callback` holds the
contract, :class:`Run` is what they see) and returns a :class:`History`. ``evaluate`` gives
the cost and accuracy, weighted by ``sample_weight`` when given. ``fit`` refuses an output
activation, cost and targets that cannot learn, and warns (:class:`OutputCostWarning`) about
pairs that learn badly (:mod:`.output_cost`, the rule ``deltaprop.diagnostics`` reports by).
"""

from .arguments import DEFAULT_LEARNING_RATES
from .callback import Callback
from .callbacks import ModelCheckpoint, ProgressLogger, ReduceLROnPlateau, TerminateOnNaN
from .early_stopping import EarlyStopping
from .fit import fit
from .history import History
from .metrics import accuracy, evaluate
from .output_cost import OutputCostWarning
from .run import Run
from .schedules import CosineDecay, ExponentialDecay, LearningRateScheduler, Schedule, StepDecay

__all__ = [
    "Callback",
    "CosineDecay",
    "DEFAULT_LEARNING_RATES",
    "EarlyStopping",
    "ExponentialDecay",
    "History",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "OutputCostWarning",
    "ProgressLogger",
    "ReduceLROnPlateau",
    "Run",
    "Schedule",
    "StepDecay",
    "TerminateOnNaN",
    "accuracy",
    "evaluate",
    "fit",
]
