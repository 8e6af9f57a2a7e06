"""``DeltapropRegressor``: one or more real-valued targets, a linear output and the quadratic cost.

The regressor's own part of the estimators of :mod:`deltaprop.sklearn` (the shared fit is
:mod:`._sklearn_base`'s): its targets read as ``(n_samples, n_outputs)`` in the network's
dtype, a continued network (warm start, ``partial_fit``) checked to have as many outputs as
``y`` has, and a single output given back 1-D, as scikit-learn's MLPRegressor does. Import
it from :mod:`deltaprop.sklearn`, whose notes say where it differs from scikit-learn's MLP.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import validate_data

from ._sklearn_base import _DeltapropEstimator
from ._text import count
from ._validation import TARGETS, check_range


class DeltapropRegressor(RegressorMixin, _DeltapropEstimator):
    """A feed-forward network regressor trained by backpropagation (scikit-learn API).

    The parameters and attributes are those of :class:`~deltaprop.sklearn.DeltapropClassifier`,
    except that the output layer defaults to ``"linear"`` with the ``"quadratic"`` cost, ``y``
    may be ``(n_samples,)`` or ``(n_samples, n_outputs)``, ``predict`` returns the same shape
    (a single output comes back 1-D, as in scikit-learn's MLP) and there are no ``classes_`` or
    ``predict_proba``. ``score`` is R². With early stopping, ``history_`` also holds each
    epoch's validation R² as ``val_r2`` (the R² of ``score``, averaged over the outputs, NaN for
    a non-finite output), which ``validation_scores_`` and ``best_validation_score_`` report,
    as scikit-learn's MLPRegressor does; ``n_outputs_`` is ``y``'s number of columns (1 for a
    1-D ``y``), ``out_activation_`` ``"identity"`` by default.
    """

    _default_output_activation = "linear"
    _validation_score = "val_r2"

    def fit(self, X, y, sample_weight=None):
        """Train on ``X`` ``(n_samples, n_features)`` and targets ``y`` ``(n_samples[, n_outputs])``,
        each sample weighted by ``sample_weight`` ``(n_samples,)`` if given."""
        epochs = self._check_params()
        first = not (self.warm_start and hasattr(self, "network_"))
        with self._unchanged_if_refused():
            X, Y = self._validate(X, y, reset=first)
            sample_weight = self._sample_weight(sample_weight, X)
            if first:
                self._reset(X, Y, Y.shape[1])
            else:
                self._check_outputs(Y, "the warm-started network_")
                self._renew_optimizer(Y)
            return self._train(X, Y, epochs, allow_early_stopping=True, sample_weight=sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``(X, y)``, weighted by ``sample_weight`` ``(n_samples,)`` if given,
        continuing from the fitted network and optimizer. With ``l2`` = λ > 0, its L2 term is
        λ/n with n the rows of this call, as in :meth:`DeltapropClassifier.partial_fit
        <deltaprop.sklearn.DeltapropClassifier.partial_fit>`, which says how to get ``fit``'s."""
        self._check_params()
        self._refuse_early_stopping()
        first = not hasattr(self, "network_")
        with self._unchanged_if_refused():
            X, Y = self._validate(X, y, reset=first)
            sample_weight = self._sample_weight(sample_weight, X)
            if first:
                self._reset(X, Y, Y.shape[1])
                self._warn_partial_fit_l2(X.shape[0])
            else:
                self._check_outputs(Y, "network_, built by the first partial_fit,")
                self._check_same_network("partial_fit")
            return self._train(X, Y, 1, allow_early_stopping=False, sample_weight=sample_weight)

    def _check_outputs(self, Y, which: str) -> None:
        """A call that continues ``network_`` must give ``y`` as many outputs as it has."""
        if Y.shape[1] != self.network_.sizes[-1]:
            raise ValueError(f"y has {count(Y.shape[1], 'output')} but {which} has {self.network_.sizes[-1]}")

    def _validate(self, X, y, reset: bool):
        """``X`` ``(n_samples, n_features)`` and ``y`` as targets ``(n_samples, n_outputs)`` in the
        network's dtype; a ``y`` beyond that dtype's range (1e39 for float32) is refused by name
        before the cast, which would make it ±inf."""
        X, y = validate_data(
            self, X, y, reset=reset, multi_output=True, y_numeric=True, dtype=[np.float64, np.float32]
        )
        check_range(y, self._dtype(), "y", TARGETS)
        return X, (y.reshape(-1, 1) if y.ndim == 1 else y).astype(self._dtype(), copy=False)

    def predict(self, X) -> np.ndarray:
        """The outputs a: ``(n_samples,)`` for a single output, else ``(n_samples, n_outputs)``."""
        a = self._forward(X)
        return a[:, 0].copy() if a.shape[1] == 1 else a

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags
