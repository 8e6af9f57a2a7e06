"""scikit-learn estimators: a deltaprop network behind ``fit`` / ``predict`` / ``score``.

``DeltapropClassifier`` and ``DeltapropRegressor`` follow scikit-learn's conventions, so they
drop into ``Pipeline``, ``GridSearchCV``, ``cross_val_score`` and ``clone``: ``__init__`` only
stores its arguments, everything is checked in ``fit``, fitted attributes end in ``_``.

The fitted network is ``network_``, a :class:`deltaprop.Network` with all its textbook
internals (``forward``, ``backprop``, every δ); ``coefs_[l]`` and ``intercepts_[l]`` are its
``weights[l]`` ``(n_l, n_{l+1})`` and ``biases[l]`` ``(n_{l+1},)``, the very same arrays, in
the same layout as scikit-learn's ``MLPClassifier.coefs_`` (w_ij from neuron i to neuron j).

Differences from scikit-learn's MLP, by design:

* ``epochs`` is the number of passes over the data (``max_iter`` there); training stops early
  only with ``early_stopping=True`` (scikit-learn also stops, without it, when the training
  loss stalls; ``tol`` and ``n_iter_no_change`` do nothing here without early stopping). With
  early stopping, ``fit`` warns scikit-learn's ``ConvergenceWarning`` when ``epochs`` runs out
  before the criterion stops training, as scikit-learn's MLP does when ``max_iter`` runs out;
  without it there is no criterion to meet, every epoch asked for runs, and nothing is said
  (scikit-learn's MLP warns then too).
* Early stopping watches the validation cost ``val_loss`` (lower is better), not the validation
  score (accuracy or R²), with scikit-learn's counting otherwise: an epoch whose cost is not
  below the best by at least ``tol`` is a miss, any other resets the count; training stops
  when the count exceeds ``n_iter_no_change``, and ends with the weights of the epoch with
  the lowest validation cost. Each ``fit`` starts the count afresh, warm-started or not.
  ``validation_scores_`` still holds scikit-learn's scores (accuracy, R²), and
  ``best_validation_score_`` is the score of that kept epoch, not always the highest one.
  ``partial_fit`` refuses ``early_stopping=True``, as scikit-learn's does.
* ``loss_curve_`` (``history_["loss"]``) is the cost C_0 of the data alone; scikit-learn's
  includes its L2 penalty.
* ``optimizer="sgd"`` with ``momentum`` > 0 is heavy-ball momentum; scikit-learn's ``sgd``
  defaults to Nesterov's (``optimizer="nesterov"`` here).
* ``l2`` is Nielsen's λ: the cost gains λ/(2n) Σ w² with n the training set size (scikit-learn's
  ``alpha`` adds α/(2 n_batch) Σ w² per mini-batch), and biases are not decayed. ``partial_fit``
  cannot know the training set, so its n is the rows of each call: the decay then depends on
  the chunking (chunks of m rows of N decay as ``fit`` does with ``l2`` = λ·m/N), and the first
  call with l2 > 0 warns so.
* ``X`` must be dense (scikit-learn's MLP also takes ``scipy.sparse`` matrices), and the
  classifier has one output per class, softmax by default, even for two classes
  (scikit-learn's has one logistic output then, so ``n_outputs_`` is 1 there and 2 here) and
  no multilabel or multi-output ``y`` ``(n_samples, k)``: fit one classifier per column
  (``sklearn.multioutput.MultiOutputClassifier``), or for 0/1 columns a
  ``DeltapropRegressor(output_activation="logistic")`` (cross-entropy; ``predict(X) > 0.5``).
* ``sample_weight`` in ``fit`` and ``partial_fit`` is scikit-learn's (since 1.7): each
  mini-batch's gradient is Σ s_x ∇C_x / Σ s_x, the weights follow their rows through the
  shuffle and the early-stopping split, and the validation score is weighted. Two
  differences: a mini-batch whose weights are all 0 makes no step here (scikit-learn's fit
  stops there with ``ZeroDivisionError: Weights sum to zero``, from its loss), and the L2
  term keeps λ/n with n the number of training samples (scikit-learn's α is divided by each
  mini-batch's Σ s_x).
  ``loss_curve_`` is the epoch's weighted mean cost Σ s_x C_x / Σ s_x (scikit-learn's
  averages the mini-batches' weighted costs by their number of rows).
* The quadratic cost is C = 1/(2n) Σ_x ||y − a||², a sum over the outputs; the squared loss
  scikit-learn reports is also divided by the number of outputs. Its gradient is not: both
  use δ = a − y averaged over the mini-batch, so the weight updates agree (a test checks one
  epoch against ``MLPRegressor`` to 1e-10).

A fitted estimator is saved without pickle: ``est.save(path)`` writes a deltaprop checkpoint
(the network, ``optimizer_`` with its state, and the parameters and fitted attributes in its
metadata) and ``DeltapropClassifier.load(path)`` / ``DeltapropRegressor.load(path)`` give it
back, predicting and training on exactly as before (:mod:`._sklearn_files`).
``deltaprop.load(path)`` reads such a file's network, as it reads any checkpoint's;
``deltaprop.save`` stays the network's writer and refuses an estimator.

Each estimator has its module (:mod:`._sklearn_classifier`, :mod:`._sklearn_regressor`);
import them from here.
"""

from __future__ import annotations

from ._sklearn_classifier import DeltapropClassifier
from ._sklearn_regressor import DeltapropRegressor

__all__ = ["DeltapropClassifier", "DeltapropRegressor"]
