"""Early stopping as scikit-learn's MLP does it, for the estimators of :mod:`deltaprop.sklearn`:
the validation set it holds out (at least MIN_VALIDATION_SAMPLES, some left to train on), the
count of epochs without improvement that stops training (and the ConvergenceWarning when the
epochs run out first), and the regressor's validation score
(R², its ``validation_scores_``; the classifier's is the ``val_accuracy`` training logs).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score

from .training._data import check_targets
from .training.arguments import check_split_weights, split_indices, validation_size
from .training.callback import Callback

# Early stopping's held-out set must hold at least this many samples, as scikit-learn's MLP
# requires ("The validation set is too small"): one sample is a noisy score to stop on.
MIN_VALIDATION_SAMPLES = 2


def validation_rows(fraction: float, targets: np.ndarray, n_out: int) -> int:
    """How many rows of ``targets`` ``(n_samples[, n_out])`` the early-stopping split holds out,
    counted by the rule ``training.fit`` draws it with
    (:func:`~deltaprop.training.arguments.validation_size`), so the count is the one training gets."""
    return validation_size(check_targets(targets, n_out, len(targets)), len(targets), fraction)


def check_validation_split(fraction: float, targets: np.ndarray, n_out: int, seed: int) -> None:
    """Refuse an early-stopping split of ``targets`` ``(n_samples[, n_out])`` that holds out fewer
    than MIN_VALIDATION_SAMPLES (:func:`validation_rows`), or every sample."""
    n = len(targets)
    kind = check_targets(targets, n_out, n)
    n_val = validation_rows(fraction, targets, n_out)
    if MIN_VALIDATION_SAMPLES <= n_val < n:
        return
    if n_val == n:
        problem, fix = "leaving none to train on", "lower validation_fraction"
    else:
        problem = (
            f"but early stopping needs at least {MIN_VALIDATION_SAMPLES} validation samples "
            f"(as scikit-learn's MLP does)"
        )
        fix = "raise validation_fraction, give more samples"
    stratified = " (stratified: rounded class by class)" if kind.classify else ""
    raise ValueError(
        f"validation_fraction={fraction} holds out {n_val} of the {n} training samples{stratified}, "
        f"{problem}; {fix} or set early_stopping=False"
    )


def check_validation_weights(
    fraction: float, targets: np.ndarray, n_out: int, seed: int, sample_weight: np.ndarray
) -> None:
    """Refuse ``sample_weight`` ``(n_samples,)`` that is 0 on every training or every validation
    row of the early-stopping split of ``targets`` ``(n_samples[, n_out])``, in the estimator's
    words (``validation_fraction``, ``random_state``), not ``training.fit``'s
    (``validation_split``, the seed). The split is the one ``training.fit`` draws with the same
    ``seed`` (:func:`~deltaprop.training.arguments.split_indices`)."""
    n = len(targets)
    train_idx, val_idx = split_indices(check_targets(targets, n_out, n), n, fraction, seed)
    check_split_weights(
        sample_weight,
        train_idx,
        val_idx,
        split=f"early_stopping=True with validation_fraction={fraction}",
        fix="change validation_fraction or random_state, or set early_stopping=False",
    )


class NoImprovementStopper(Callback):
    """scikit-learn's early-stopping rule (``BaseMultilayerPerceptron._update_no_improvement_count``)
    on the validation cost, lower being better.

    An epoch with ``val_loss > best − tol`` is a miss (``count += 1``), any other resets the
    count; a ``val_loss`` below the best (by any amount) becomes the best and its weights are
    kept. Training stops once ``count > n_iter_no_change``. NaN is a miss.
    """

    def __init__(self, n_iter_no_change: int, tol: float):
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol

    def on_train_begin(self, logs=None):
        self.best = np.inf
        self.count = 0
        self.best_epoch: int | None = None
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get("val_loss", np.nan)
        if current <= self.best - self.tol:  # False for NaN
            self.count = 0
        else:
            self.count += 1
        if current < self.best:
            net = self.run.network
            self.best, self.best_epoch = current, epoch
            self.best_weights = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
        if self.count > self.n_iter_no_change:
            self.run.stop_training = True
            self.run.history.stopped_reason = (
                f"early stopping: val_loss did not improve by tol={self.tol:g} for {self.count} "
                f"consecutive epochs (more than n_iter_no_change={self.n_iter_no_change}); best "
                f"{self.best:.6g} at epoch {self.best_epoch + 1 if self.best_epoch is not None else None}"
            )
            self.run.history.stopped_epoch = epoch

    def warn_if_not_stopped(self, epochs: int) -> None:
        """After a run of ``epochs`` epochs: scikit-learn's ConvergenceWarning if they ran out before
        this rule stopped training, as its MLP warns when ``max_iter`` runs out."""
        if self.count <= self.n_iter_no_change:
            warnings.warn(
                f"Maximum epochs ({epochs}) reached and the optimization hasn't converged yet: early "
                f"stopping had not stopped training (it stops once the validation cost has not improved "
                f"by tol={self.tol:g} for more than n_iter_no_change={self.n_iter_no_change} epochs). "
                f"Raise epochs to train longer",
                ConvergenceWarning,
                stacklevel=4,
            )


class ValidationR2(Callback):
    """R² of the network's outputs on the validation rows at each epoch's end, as scikit-learn's
    MLPRegressor scores its validation set (``r2_score``, averaged over the outputs, weighted by
    the validation rows' ``sample_weight`` when the run has one, as its ``val_loss`` is; NaN
    when an output is not finite): ``scores[k]`` is the k-th epoch of this run's. ``Y``
    ``(n_samples, n_out)`` are the targets given to ``fit`` (which reads 0/1 targets of a
    single output as labels, so they are taken from here, not from the run)."""

    def __init__(self, Y: np.ndarray):
        self.Y = Y

    def on_train_begin(self, logs=None):
        run = self.run
        rows = slice(None) if run.val_index is None else run.val_index
        self.X_val, self.Y_val = run.X_val[rows], self.Y[rows]
        self.s_val = None if run.sample_weight_val is None else run.sample_weight_val[rows]
        self.scores: list[float] = []

    def on_epoch_end(self, epoch, logs=None):
        a = self.run.network.predict(self.X_val)
        finite = np.isfinite(a).all()
        self.scores.append(float(r2_score(self.Y_val, a, sample_weight=self.s_val)) if finite else np.nan)
