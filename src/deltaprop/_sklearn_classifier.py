"""``DeltapropClassifier``: labels of any sortable kind, one softmax output per class, probabilities.

The classifier's own part of the estimators of :mod:`deltaprop.sklearn` (the shared fit is
:mod:`._sklearn_base`'s): its labels turned into output indices and checked against
``classes_`` (by ``fit``, a warm-started ``fit`` and ``partial_fit``, each with scikit-learn's
MLPClassifier rules), and its outputs turned back into labels and probabilities, clipped and
normalised where the output layer is not softmax. Import it from :mod:`deltaprop.sklearn`,
whose notes say where it differs from scikit-learn's MLP.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import validate_data

from ._sklearn_base import _DeltapropEstimator

LABELS_SHOWN = 5  # labels listed in an error message before "…"


def _clipped_proba(a: np.ndarray) -> np.ndarray:
    """Rows of class probabilities ``(n_samples, n_classes)`` from the outputs ``a`` of an output
    layer that is not softmax (see :meth:`DeltapropClassifier.predict_proba`): each output
    clipped at 0 and the row divided by its sum; a row with no positive output puts all its
    probability on its largest output, shared equally among ties."""
    p = np.clip(a, 0.0, None)
    total = p.sum(axis=1, keepdims=True)
    flat = total[:, 0] == 0.0
    if np.any(flat):
        rows = a[flat]
        p[flat] = rows == rows.max(axis=1, keepdims=True)
        total[flat] = p[flat].sum(axis=1, keepdims=True)
    return np.divide(p, total, out=p)


class DeltapropClassifier(ClassifierMixin, _DeltapropEstimator):
    """A feed-forward network classifier trained by backpropagation (scikit-learn API).

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default (100,)
        Neurons of each hidden layer; ``()`` is multinomial logistic regression.
    activation : str or list of str, default "relu"
        σ of the hidden layers: ``"logistic"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"``,
        ``"linear"`` (or one per hidden layer).
    output_activation : str, default None → "softmax"
        σ of the output layer, one neuron per class: any activation (``"logistic"``,
        ``"tanh"``, ``"linear"``, …); :meth:`predict_proba` says how its outputs become
        probabilities.
    cost : str, default None → "log_likelihood" for softmax, "cross_entropy" for logistic
        outputs, else "quadratic".
    init : str, default None → "he_normal" for relu-type hidden layers, else "glorot_uniform".
    optimizer : {"adam", "sgd", "momentum", "nesterov"} or a deltaprop Optimizer, default "adam"
        A given Optimizer is copied, never changed; it has its own η, μ and λ, so
        ``learning_rate``, ``momentum`` and ``l2`` must then keep their defaults (a changed
        one would be ignored, and is refused).
    learning_rate : float, default 0.001
        η of the named optimizer: scikit-learn's ``learning_rate_init``. There is no schedule
        by name (scikit-learn's ``learning_rate="adaptive"``); η stays as given.
    momentum : float, default 0.9
        μ of "sgd" (heavy ball), "momentum" and "nesterov"; 0 makes "sgd" plain gradient descent.
    l2 : float, default 0.0
        λ of L2 weight decay, as in Nielsen: C = C_0 + λ/(2n) Σ w², n the training set size:
        in ``fit`` the rows it trains on (validation rows apart), in ``partial_fit`` the rows of
        that call, so there the decay depends on the chunking (see :meth:`partial_fit`).
    batch_size : int or "auto", default "auto"
        Samples per mini-batch; "auto" is min(200, n_samples). A number larger than the
        training samples is clipped to them with a UserWarning, as in scikit-learn's MLP.
    epochs : int, default 200
        Passes over the training data in ``fit`` (``partial_fit`` makes one): scikit-learn's
        ``max_iter``. Its other names spelled differently here: ``learning_rate_init`` is
        ``learning_rate``, ``alpha`` is ``l2`` (on another scale), ``solver`` is ``optimizer``;
        given by those names, they are refused with what to use.
    shuffle : bool, default True
        Shuffle the samples each epoch.
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the data (stratified, seeded by ``random_state``) and
        stop when the validation cost has not fallen by at least ``tol`` below its best for
        more than ``n_iter_no_change`` epochs in a row, as scikit-learn's MLP counts (it
        watches the validation score instead). Stopped or not, ``fit`` ends with the weights
        of the epoch with the lowest validation cost; not stopped, it warns scikit-learn's
        ``ConvergenceWarning``, as scikit-learn's MLP does when ``max_iter`` runs out. Not with
        ``partial_fit``.
    validation_fraction : float in (0, 1), default 0.1
    n_iter_no_change : int, default 10
    tol : float, default 1e-4
        See ``early_stopping``; unused without it (scikit-learn's MLP then watches the
        training loss; here every one of the ``epochs`` runs), but checked all the same, as
        scikit-learn checks them (``validation_fraction`` may then be 0).
    random_state : int, RandomState or None
        Seeds the initial weights and the shuffling.
    warm_start : bool, default False
        ``fit`` continues from the fitted network instead of starting afresh, with an optimizer
        built from the current parameters (as scikit-learn's MLP does). Its ``y`` must hold
        exactly the classes of ``classes_``, as scikit-learn's MLPClassifier requires;
        ``partial_fit`` may train on some of them. Parameters that shape the network
        (``hidden_layer_sizes``, ``activation``, ``output_activation``, ``cost``, ``dtype``) must
        still be those it was built with, here and in every ``partial_fit`` after the first:
        a change is refused, not ignored (scikit-learn's MLP ignores a new
        ``hidden_layer_sizes``).
    verbose : 0 or 1
        1 (or True; 2 too, as in Keras) prints one line per epoch; anything else is refused.
    dtype : "float64" or "float32"
        The network's dtype.

    A call that is refused (a bad parameter, labels or data) leaves the estimator as it was.
    One that diverges (:class:`deltaprop.DivergenceError`) leaves ``network_`` with the weights
    of the last good epoch, and ``history_``, ``loss_curve_`` and ``n_iter_`` with those epochs.
    One interrupted (Ctrl-C) keeps what it trained, as scikit-learn's MLP does: it warns
    "Training interrupted by user.", records the epochs it completed (``history_``,
    ``loss_curve_``, ``n_iter_``) and in ``t_`` the samples of every mini-batch it stepped on,
    leaves ``network_`` and ``optimizer_`` as they were at the interrupt (with early stopping,
    on the best epoch's weights, as at any end; a cold ``fit`` is fitted even with no epoch
    completed), then lets the KeyboardInterrupt go on. Before the first step it changes nothing.

    Attributes
    ----------
    classes_ : ndarray (n_classes,)
        The class labels (any sortable labels: integers, strings).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.
    network_ : deltaprop.Network
        The fitted network, ``[n_features_in_, *hidden_layer_sizes, n_classes]``.
    coefs_, intercepts_ : list of ndarray
        ``network_.weights`` and ``network_.biases`` (the same arrays, not copies).
    optimizer_ : deltaprop Optimizer
        With its state (velocities, Adam moments), which the next partial_fit continues.
    history_ : dict of lists
        Per epoch: ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` (with early stopping),
        ``lr``, ``time``, over all calls to fit / partial_fit since the network was created;
        every list has one entry per epoch, NaN for the epochs of a call that did not log it.
    loss_curve_ : list of float
        ``history_["loss"]``.
    loss_ : float
        ``loss_curve_[-1]``, the last epoch's training cost.
    n_iter_ : int
        Epochs run by the last call to fit (1 after partial_fit), as in scikit-learn.
    t_ : int
        Training samples seen by the optimizer since the network was created (validation rows
        apart), as scikit-learn counts them: each epoch adds its training set's size.
    best_loss_ : float or None
        ``min(loss_curve_)``; None when the last call that trained used early stopping.
    validation_scores_ : list of float or None
        With early stopping (in the last call that trained), the validation accuracy of each
        epoch since the network was created, ``history_["val_accuracy"]``; None without.
    best_validation_score_ : float or None
        With early stopping, the validation accuracy of the epoch whose weights the network
        ends on (the one of lowest validation cost); None without.
    n_layers_ : int
        ``len(network_.sizes)``: input, hidden and output layers.
    n_outputs_ : int
        ``n_classes``, even for two classes (scikit-learn's MLPClassifier has 1 output then).
    out_activation_ : str
        The output activation, under scikit-learn's name where it has one (``"softmax"``,
        ``"logistic"``, ``"identity"`` for ``"linear"``, ``"tanh"``, ``"relu"``), else
        deltaprop's (``"leaky_relu"``, ``"leaky_relu(0.2)"``).

    ``loss_curve_``, ``loss_`` and ``best_loss_`` are the cost C_0 of the data alone, without
    the L2 term scikit-learn's include.
    """

    _default_output_activation = "softmax"
    _validation_score = "val_accuracy"

    def _checked_data(self, X, y, sample_weight, first: bool):
        """``X``, ``y`` and ``sample_weight`` checked as fit and partial_fit take them (``first``:
        the call that fixes n_features_in_): one label per sample, classification targets."""
        self._refuse_multilabel(y)
        X, y = validate_data(self, X, y, reset=first, dtype=[np.float64, np.float32])
        sample_weight = self._sample_weight(sample_weight, X)
        check_classification_targets(y)
        return X, y, sample_weight

    def fit(self, X, y, sample_weight=None):
        """Train on ``X`` ``(n_samples, n_features)`` and labels ``y`` ``(n_samples,)``, each
        sample weighted by ``sample_weight`` ``(n_samples,)`` if given (see :mod:`deltaprop.sklearn`)."""
        epochs = self._check_params()
        first = not (self.warm_start and hasattr(self, "network_"))
        with self._unchanged_if_refused():
            X, y, sample_weight = self._checked_data(X, y, sample_weight, first)
            if first:
                classes = unique_labels(y)  # refuses a mix of strings and numbers by name
                if len(classes) < 2:
                    raise ValueError(
                        f"{type(self).__name__} needs at least 2 classes to learn; got 1 class: "
                        f"{classes.tolist()[0]!r}"
                    )
                targets = self._encode(y, classes)
                self._reset(X, targets, len(classes), classes)
            else:
                self._check_warm_start_classes(y)
                targets = self._encode(y)
                self._renew_optimizer(targets)
            return self._train(X, targets, epochs, allow_early_stopping=True, sample_weight=sample_weight)

    def _refuse_multilabel(self, y) -> None:
        """Refuse ``y`` ``(n_samples, k)`` with k > 1, several labels per sample, in words that say
        what is not supported and what to do (scikit-learn's check said only "y should be a 1d
        array"); a column ``(n_samples, 1)`` is one label per sample, as scikit-learn takes it."""
        shape = getattr(y, "shape", None)  # not np.shape, which some array-likes refuse
        if shape is None:
            try:
                shape = np.asarray(y).shape
            except ValueError:  # ragged: validate_data names it
                return
        if len(shape) == 2 and shape[1] > 1:
            raise ValueError(
                f"{type(self).__name__} does not support multilabel or multi-output classification: "
                f"y has shape {shape}, {shape[1]} labels per sample, where it takes one, y of shape "
                f"(n_samples,). Fit one classifier per column "
                f"(sklearn.multioutput.MultiOutputClassifier({type(self).__name__}()) does so), or, "
                f"for 0/1 columns (multilabel), DeltapropRegressor(output_activation='logistic'), "
                f"one logistic output per column with the cross-entropy cost: its predict(X) > 0.5 "
                f"gives the labels"
            )

    def _check_warm_start_classes(self, y: np.ndarray) -> None:
        """A warm-started ``fit`` continues a network with one output per class of ``classes_``,
        so ``y`` must hold exactly those classes, as scikit-learn's MLPClassifier requires: a
        new class has no output to learn it, and a missing one would only be pushed towards 0.
        ``partial_fit`` is the way to train on some of the classes."""
        unique_labels(self.classes_, y)  # a mix of strings and numbers is refused by name
        seen = unique_labels(y)
        if np.array_equal(seen, self.classes_):
            return
        missing = np.setdiff1d(self.classes_, seen)
        new = np.setdiff1d(seen, self.classes_)
        found = "; ".join(
            f"{what} {labels[:LABELS_SHOWN].tolist()!r}{' …' if len(labels) > LABELS_SHOWN else ''}"
            for what, labels in [("y lacks", missing), ("y adds", new)]
            if len(labels)
        )
        subset = "" if len(new) else ", or use partial_fit, which may train on some of the classes"
        raise ValueError(
            f"warm_start=True continues the fitted network, one output per class of classes_ "
            f"({len(self.classes_)} classes), so y must hold exactly those classes; {found}. "
            f"Set warm_start=False to start afresh{subset}"
        )

    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``(X, y)``, weighted by ``sample_weight`` ``(n_samples,)`` if given
        (scikit-learn's order of the arguments); the first call needs ``classes``, every label
        there is.

        Later calls may hold any of ``classes_`` (some or all) and no other label, as in
        scikit-learn's MLPClassifier. A first call that fails (a label of ``y`` not in
        ``classes``, say) leaves the estimator unfitted, so the next call is a first call again.

        With ``l2`` = λ > 0, the L2 term of each call is λ/n with n the rows of that call, as
        ``fit`` on them would have it: the estimator never sees the whole training set, so
        chunks of m rows decay the weights N/m times as much as ``fit`` on all N rows does.
        For ``fit``'s decay, give chunks of m rows ``l2`` = λ·m/N: with ``shuffle=False`` and
        chunks made of whole mini-batches, the calls then end at the weights of one epoch of
        ``fit`` with λ (a test checks it). The first call of a fresh estimator with l2 > 0 says
        so in a UserWarning. (scikit-learn's ``alpha`` is divided by each mini-batch's size
        instead, so its chunking does not matter.)"""
        self._check_params()
        self._refuse_early_stopping()
        first = not hasattr(self, "network_")
        with self._unchanged_if_refused():
            X, y, sample_weight = self._checked_data(X, y, sample_weight, first)
            if first:
                if classes is None:
                    raise ValueError(
                        "classes must be passed on the first call to partial_fit: every label the "
                        "classifier will ever see, e.g. classes=np.unique(y_all)"
                    )
                classes = unique_labels(np.asarray(classes))
                if len(classes) < 2:
                    raise ValueError(f"classes must hold at least 2 labels; got {classes.tolist()!r}")
                targets = self._encode(y, classes)
                self._reset(X, targets, len(classes), classes)
                self._warn_partial_fit_l2(X.shape[0])
            else:
                same = classes is None or np.array_equal(unique_labels(np.asarray(classes)), self.classes_)
                if not same:
                    raise ValueError(
                        f"classes={np.unique(classes).tolist()!r} differs from classes_ "
                        f"{self.classes_.tolist()!r}, the classes this {type(self).__name__} was "
                        f"fitted with (by the fit or first partial_fit that made network_, one "
                        f"output per class); give those (or none), or fit afresh with warm_start=False"
                    )
                self._check_same_network("partial_fit")
                targets = self._encode(y)
            return self._train(X, targets, 1, allow_early_stopping=False, sample_weight=sample_weight)

    def _encode(self, y: np.ndarray, classes: np.ndarray | None = None) -> np.ndarray:
        """Labels as indices into ``classes`` (default ``classes_``), ``(n_samples,)`` int64."""
        classes = self.classes_ if classes is None else classes
        unique_labels(classes, y)  # a mix of strings and numbers is refused by name, not by np.searchsorted
        idx = np.searchsorted(classes, y)
        idx = np.clip(idx, 0, len(classes) - 1)
        unknown = classes[idx] != y
        if np.any(unknown):
            raise ValueError(
                f"y holds labels {np.unique(y[unknown])[:LABELS_SHOWN].tolist()!r} that are not in classes_ "
                f"{classes.tolist()!r}"
            )
        return idx.astype(np.int64)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(n_samples, n_classes)``, columns in the order of ``classes_``:
        every entry in [0, 1], every row summing to 1, and ``classes_[argmax]`` of each row is
        :meth:`predict`'s label for it.

        With the default softmax output these are the network's outputs a. Any other output
        layer was trained towards the one-hot targets, so its a_k are read as estimates of
        P(class k), clipped into range and normalised: p_k = max(a_k, 0) / Σ_j max(a_j, 0).
        For logistic outputs, always positive, that is a_k / Σ_j a_j, the one-vs-rest
        normalisation of scikit-learn's OneVsRestClassifier. A row with no positive output
        (tanh, linear and leaky_relu outputs can all be negative; relu ones all 0) puts all
        its probability on its largest output, shared equally among ties: the rule's limit as
        the row is raised until that output turns positive. Such a row says which class the
        network ranks first, not how sure it is.
        """
        a = self._forward(X)
        if self.network_.activations[-1].name == "softmax":
            return a
        return _clipped_proba(a)

    def predict_log_proba(self, X) -> np.ndarray:
        """ln of :meth:`predict_proba`, ``(n_samples, n_classes)``: −inf where a probability is 0,
        as scikit-learn's MLPClassifier (``np.log(predict_proba(X))``) and its estimator checks
        have it, not a large finite number that would pass for a probability."""
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):  # ln 0 = −inf is the answer, not an accident
            return np.log(proba, out=proba)

    def predict(self, X) -> np.ndarray:
        """The label of the largest output for each row of ``X`` (the first, for a tie):
        ``(n_samples,)``. Taken from :meth:`predict_proba`, which keeps the outputs' order, so
        ``predict(X) == classes_[argmax(predict_proba(X))]`` for every row, to the last bit."""
        proba = self.predict_proba(X)  # first, so an unfitted estimator raises NotFittedError
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        tags.classifier_tags.multi_label = False
        return tags
