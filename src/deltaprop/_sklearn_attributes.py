"""The fitted attributes of scikit-learn's MLPClassifier / MLPRegressor, for the estimators of
:mod:`deltaprop.sklearn` (a mixin of their base, :mod:`deltaprop._sklearn_base`).

Each is read from the fitted network and ``history_``, so it cannot drift from them: a refused
call (which puts every attribute back), a diverged one (which keeps the epochs of the
weights it keeps) and an interrupted one (which keeps the epochs it completed) leave them
consistent. ``t_`` is the one counter kept beside them, and the
base sets ``_validated`` (the last call that trained held out a validation set) and
``_kept_epoch`` (the epoch, counted over ``history_``, whose weights such a call ended on).
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

# deltaprop's output activations under scikit-learn's names (its ACTIVATIONS), where they differ.
SCIKIT_LEARN_NAMES = {"linear": "identity"}


class FittedAttributes:
    """scikit-learn's MLP attributes (``self`` is a fitted ``_DeltapropEstimator``)."""

    # The history_ key of the validation score scikit-learn's MLP reports: accuracy or R².
    _validation_score = ""

    @property
    def coefs_(self) -> list[np.ndarray]:
        """``coefs_[l]`` is ``network_.weights[l]``, ``(n_l, n_{l+1})`` (the same arrays)."""
        check_is_fitted(self, "network_")
        return self.network_.weights

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """``intercepts_[l]`` is ``network_.biases[l]``, ``(n_{l+1},)`` (the same arrays)."""
        check_is_fitted(self, "network_")
        return self.network_.biases

    @property
    def loss_curve_(self) -> list[float]:
        """The training cost after each epoch, over every fit, partial_fit and warm start (with
        ``sample_weight``, the epoch's weighted mean Σ s_x C_x / Σ s_x)."""
        check_is_fitted(self, "network_")
        return self.history_["loss"]

    @property
    def loss_(self) -> float:
        """The last epoch's training cost, ``loss_curve_[-1]`` (NaN while no epoch has ended:
        after a first epoch that diverged)."""
        curve = self.loss_curve_
        return curve[-1] if curve else np.nan

    @property
    def best_loss_(self) -> float | None:
        """The lowest training cost of any epoch, ``min(loss_curve_)`` (``inf`` before the first
        epoch ends, as in scikit-learn), or None when the last call that trained ran with
        early stopping (see ``best_validation_score_`` then)."""
        curve = self.loss_curve_
        return None if self._validated else min(curve, default=np.inf)

    @property
    def validation_scores_(self) -> list[float] | None:
        """When the last call that trained ran with early stopping, the validation score
        (accuracy, or R² for the regressor) of every epoch since the network was made, one per
        epoch as ``loss_curve_`` (NaN for the epochs of a call without a validation set);
        otherwise None."""
        check_is_fitted(self, "network_")
        return self.history_[self._validation_score] if self._validated else None

    @property
    def best_validation_score_(self) -> float | None:
        """With early stopping (in the last call that trained), the validation score of the
        epoch whose weights the network holds: the epoch of lowest validation cost, which is
        what early stopping watches here (scikit-learn's MLP watches the score, so there it is
        also the highest score); ``-inf`` if the call diverged before any epoch was recorded.
        None without early stopping."""
        scores = self.validation_scores_
        if scores is None:
            return None
        return -np.inf if self._kept_epoch is None else scores[self._kept_epoch]

    @property
    def n_layers_(self) -> int:
        """Layers of neurons, input and output layers included: ``len(network_.sizes)``."""
        check_is_fitted(self, "network_")
        return len(self.network_.sizes)

    @property
    def n_outputs_(self) -> int:
        """Output neurons: one per class for the classifier, two classes included (scikit-learn's
        MLPClassifier has 1 then), ``y``'s columns for the regressor (1 for a 1-D ``y``)."""
        check_is_fitted(self, "network_")
        return self.network_.sizes[-1]

    @property
    def out_activation_(self) -> str:
        """The output activation's name, scikit-learn's where it has one (``"softmax"``,
        ``"logistic"``, ``"identity"`` for deltaprop's ``"linear"``, ``"tanh"``, ``"relu"``);
        otherwise deltaprop's, as :func:`deltaprop.activations.get` reads it
        (``"leaky_relu"``, ``"leaky_relu(0.2)"``)."""
        check_is_fitted(self, "network_")
        spec = self.network_.activations[-1].spec
        return SCIKIT_LEARN_NAMES.get(spec, spec)
