"""The diagnostics callback: the cheap checks at every epoch end, collected, never printed.

It never stops training and never prints: it keeps ``findings`` (the latest of each code)
and ``new`` (those first raised at the last epoch) for a progress display to show.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .._atomic import atomic_write
from ..training.callback import Callback
from .checks import (
    Finding,
    chance_level,
    check_chance_level,
    check_classes_predicted,
    check_dead_relu,
    check_input_scale,
    check_learning_rate,
    check_output_cost,
    check_saturation,
    sort_findings,
    without_contradictions,
)
from .gradient_stats import (
    DEFAULT_PROBE_SIZE,
    GradientStats,
    training_arrays,
    training_parts,
    training_targets,
)

FORMAT = "deltaprop-diagnostics"
LEARNING_RATE_CODES = frozenset({"diverged", "cost-rising", "cost-oscillating", "cost-flat", "cost-slow"})
VERSION = 1


class Diagnostics(Callback):
    """Runs the checks of ``deltaprop.diagnostics`` at epoch ends and collects their findings.

    It never prints and never stops training. ``findings`` is what holds now, most severe
    first: the checks of the set-up (output and cost, input scale) plus those of the latest
    checked epoch, and, once training ends, the classes the network never predicts on the
    training rows (a pass over all of them, made once; not at chance level); ``new`` lists the
    findings that the latest check raised for the first time (for a live display).

    Parameters
    ----------
    every : int
        Check every ``every`` epochs.
    probe_size : int
        Training samples used to look for saturated and dead units.
    stats : GradientStats, optional
        A GradientStats callback of the same run, placed before this one in ``callbacks``: its
        latest record is used instead of a probe of this callback's own.
    scaling : deltaprop.training.scaling.Scaling, optional
        The per-feature scaling that made the inputs given to ``fit`` from the raw ones, if one
        did (``deltaprop train --scale``): the input-scale finding is said in its terms.
    """

    def __init__(
        self,
        every: int = 1,
        probe_size: int = DEFAULT_PROBE_SIZE,
        stats: GradientStats | None = None,
        scaling=None,
    ):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer ≥ 1; got {every!r}")
        if isinstance(probe_size, bool) or not isinstance(probe_size, int) or probe_size < 1:
            raise ValueError(f"probe_size must be an integer ≥ 1; got {probe_size!r}")
        if stats is not None and not isinstance(stats, GradientStats):
            raise TypeError(f"stats must be a GradientStats; got {type(stats).__name__}")
        self.every = every
        self.probe_size = probe_size
        self.stats = stats
        self.scaling = scaling
        self.new: list[Finding] = []
        self._setup: list[Finding] = []
        self._latest: list[Finding] = []
        self._log: dict[str, list[float]] = {}
        self._X = self._Y = self._Y_train = None
        self._initial_cost: float | None = None
        self._inputs_scaled: bool | None = None

    @property
    def findings(self) -> list[Finding]:
        return sort_findings([*self._setup, *self._latest])

    def __repr__(self) -> str:  # what it found, by code: in a notebook, `diagnostics` says it at once
        codes = ", ".join(f"{f.severity} {f.code}" for f in self.findings) or "none"
        return f"Diagnostics(every={self.every}, findings: {codes})"

    def on_train_begin(self, logs=None):
        # a resumed run carries the epochs before it in its history: the trends include them
        earlier = getattr(self.run.history, "history", None) or {}
        self._log = {key: [float(v) for v in values] for key, values in earlier.items()}
        self._latest = []
        net = self.run.network
        self._initial_cost = None
        try:  # a probe's rows, not a copy of the training set
            self._X, self._Y = training_arrays(self.run, rows=self.probe_size)
            self._Y_train = training_targets(self.run)  # the chance level is a share of all rows
        except ValueError:
            self._X = self._Y = self._Y_train = None
        if self._X is not None:
            self._initial_cost = net.cost_value(self._X, self._Y)
        # the scale of every row given to fit (validation rows included: the same inputs)
        X_all = getattr(self.run, "X", None)
        unscaled = check_input_scale(X_all, self.scaling)
        self._inputs_scaled = None if X_all is None else not unscaled  # for the saturation advice
        self._update(setup=[*check_output_cost(net, self._Y), *unscaled])

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            if isinstance(value, (int, float, np.floating)):
                self._log.setdefault(key, []).append(float(value))
        if epoch % self.every:
            return
        net = self.run.network
        stats = self.stats
        initial = self._initial_cost
        if stats is not None and stats.initial_cost is not None:
            initial = stats.initial_cost
        at_chance = check_chance_level(self._log, net, self._Y_train, self.run.params)
        found = [*check_learning_rate(self._log, initial), *at_chance]
        finite = all(np.isfinite(w).all() for w in net.weights)
        if (stats is None or not stats.records) and self._X is not None and finite:
            stats = GradientStats(self._X, self._Y)
            stats.record(net, epoch)
        chance = chance_level(net, self._Y_train)[0]
        saturation = check_saturation(
            stats, self._log, bool(at_chance), chance, inputs_scaled=self._inputs_scaled
        )
        latest = [*found, *saturation, *check_dead_relu(stats)]
        kept = without_contradictions([*self._setup, *latest])  # the set-up may name the cause
        self._update(latest=[f for f in latest if f in kept])

    def on_train_end(self, logs=None):
        # a divergence under TerminateOnNaN ends the run without an epoch that shows it
        diverged = [f for f in check_learning_rate(self.run.history) if f.code == "diverged"]
        latest = [f for f in self._latest if not (diverged and f.code in LEARNING_RATE_CODES)]
        found = [*diverged, *self._classes_never_predicted()]
        if found:
            self._update(latest=[*found, *latest])
        else:
            self.new = []

    def _classes_never_predicted(self) -> list[Finding]:
        """The classes the trained network never predicts, judged on every training row as
        ``diagnose`` judges a run folder (a probe's few rows per class would be no evidence);
        none at chance level, whose error says as much."""
        if any(f.code == "chance-level" for f in self._latest):
            return []
        try:
            X, Y, index = training_parts(self.run)
        except ValueError:
            return []
        return check_classes_predicted(self.run.network, X, Y if index is None else Y[index], index)

    def _update(self, setup: list[Finding] | None = None, latest: list[Finding] | None = None) -> None:
        before = {f.code for f in self.findings}
        if setup is not None:
            self._setup = setup
        if latest is not None:
            self._latest = latest
        self.new = [f for f in self.findings if f.code not in before]

    def to_json(self, path) -> Path:
        """Write the findings to ``path`` (``diagnostics.json`` in a run folder), atomically."""
        return write_findings(self.findings, path)


def write_findings(findings: list[Finding], path) -> Path:
    """Store ``findings`` as JSON at ``path`` (atomically)."""
    data = {"format": FORMAT, "version": VERSION, "findings": [f.to_dict() for f in findings]}
    return atomic_write(
        path, lambda fh: json.dump(data, fh, indent=1, ensure_ascii=False), binary=False, parents=True
    )


def read_findings(path) -> list[Finding]:
    """The findings stored in a ``diagnostics.json``."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path} is not a deltaprop diagnostics file (expected format {FORMAT!r})")
    return [Finding(**f) for f in data.get("findings", [])]
