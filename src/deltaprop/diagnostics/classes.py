"""The classes a classifier never predicts: :func:`check_classes_predicted`.

A network whose outputs saturated early can settle with one output low for every input: its
class is then never the argmax, its recall is 0, and the accuracy stops short of what the
other classes allow. The chapter-1 network of Nielsen's book does this on MNIST with the
quadratic cost and N(0, 1) weights (73.9 % after 3 epochs, digits 1 and 7 never predicted),
and neither the learning curve nor the hidden neurons show it: the accuracy still rises, and
the saturated output neurons look as a trained network's do.
"""

from __future__ import annotations

import numpy as np

from .._predict import classes_of
from .._text import count
from .._validation import check_features
from ..training._data import check_targets  # fit's own reading of Y: classes, or not
from .finding import Finding
from .learning_curve import MORE_STEPS
from .neurons import SMALLER_INIT

# A class counts as (almost) never predicted when it is predicted for fewer rows than this
# share of the rows it holds: its recall is then below 10 % (recall ≤ predicted / rows), where
# a network that has learned a class predicts it about as often as it occurs.
RARELY_PREDICTED = 0.1
# Fewer rows than this of a class are no evidence: a network can miss a handful by chance.
MIN_CLASS_ROWS = 10
# A class with less than this share of 1 / n_classes of the rows is rare: more rows may help.
RARE_SHARE = 0.5

# Where the quadratic cost is the cause: its δ = (a − y) σ'(net) vanishes at an output
# saturated at the wrong value; cross-entropy's and log-likelihood's δ = a − y does not
# (Nielsen, ch. 3). By the output activation, the cost that keeps δ = a − y.
SATURATION_FREE_COST = {
    "logistic": "cost='cross_entropy' (or output_activation='softmax' with cost='log_likelihood')",
    "softmax": "cost='log_likelihood'",
}


def predicted_labels(net, X, index=None) -> np.ndarray | None:
    """The class ``net`` predicts for each row of ``X`` ``(n_all, n_0)`` (only rows ``index``
    of it, in that order, when given), int64 ``(n,)``; None for a network whose weights are not
    finite (a diverged run).

    ``X`` is checked once and predicted in one call of the network's own blocked forward
    pass (:mod:`deltaprop._predict`: X converted to its dtype whole up to 16 MB, a block of
    rows at a time beyond), then the labels of ``index`` are taken. The rows ``index`` leaves
    out (fit's validation rows, a tenth by default) are predicted too: that costs less than
    gathering the others into a copy. Not through the public ``predict`` in small chunks, each
    checked again and each product above OpenBLAS's threading threshold (so each wakes its
    threads): on a busy machine those waits cost more than the predictions."""
    if not all(np.isfinite(w).all() for w in net.weights):
        return None
    X = check_features(X, net.sizes[0], dtype=net.dtype)
    labels = classes_of(net._predict(X))
    return labels if index is None else labels[np.asarray(index)]


def check_classes_predicted(net, X=None, Y=None, index=None) -> list[Finding]:
    """Classes present in ``Y`` that ``net`` never, or almost never, predicts.

    A class of at least :data:`MIN_CLASS_ROWS` rows predicted for fewer than
    :data:`RARELY_PREDICTED` of its rows count: its recall is below 10 %. The finding names
    each (its share of the rows, how often it was predicted, its recall), the accuracy that the
    rows of those classes cap, and the fix: for a quadratic cost with logistic or softmax
    outputs, the cost whose δ does not vanish at a saturated output. (:func:`~.checks.diagnose`
    leaves it out for a run at chance level, which predicts one class or few by definition:
    the chance-level error says so.)

    Parameters
    ----------
    X : array ``(n_all, n_0)``, optional
        Inputs: the rows the run is judged on (the training rows, as the history's accuracy).
    Y : labels ``(n,)``, a column ``(n, 1)`` of them, or one-hot ``(n, n_L)``, optional
        Their targets; regression targets give no finding.
    index : array ``(n,)`` of int, optional
        The rows of ``X`` that ``Y`` belongs to (fit's ``train_index``); None: all of them.
    """
    if X is None or Y is None:
        return []
    n_out = net.sizes[-1]
    n = len(X) if index is None else len(index)
    targets = check_targets(np.asarray(Y), n_out, n)
    if not targets.classify or not n:
        return []
    predicted = predicted_labels(net, X, index)
    if predicted is None:
        return []
    labels = targets.labels
    n_classes = max(n_out, 2)
    rows = np.bincount(labels, minlength=n_classes)
    times = np.bincount(predicted, minlength=n_classes)
    right = np.bincount(labels[predicted == labels], minlength=n_classes)
    seldom = times < RARELY_PREDICTED * rows
    missed = [c for c in range(n_classes) if rows[c] >= MIN_CLASS_ROWS and seldom[c]]
    if not missed:
        return []
    each = [
        f"class {c} ({rows[c] / n:.1%} of the rows, predicted {count(int(times[c]), 'time')}, "
        f"recall {right[c] / rows[c]:.1%})"
        for c in missed
    ]
    ceiling = 1.0 - sum(rows[c] - right[c] for c in missed) / n
    message = (
        f"{count(len(missed), 'class', 'classes')} of {n_classes} "
        f"{'is' if len(missed) == 1 else 'are'} (almost) never predicted on the {n} training rows: "
        f"{', '.join(each)}. Their rows are nearly all misclassified, so the accuracy cannot pass "
        f"{ceiling:.1%} however well the other classes are learned."
    )
    return [Finding("classes-never-predicted", "warning", message, _fix(net, rows, missed, n))]


def _fix(net, rows: np.ndarray, missed: list[int], n: int) -> str:
    """What gets the missed classes predicted: a cost whose δ does not vanish at a saturated
    output (where the cost is quadratic), smaller first weights, more training; more rows of a
    class that is rare."""
    better_cost = SATURATION_FREE_COST.get(net.activation_names[-1]) if net.cost.name == "quadratic" else None
    steps = (
        [
            f"use {better_cost}: the quadratic cost's δ = (a − y) σ'(net) all but vanishes at an output "
            "saturated at the wrong value, and that output stops learning (Nielsen, ch. 3)"
        ]
        if better_cost
        else []
    )
    steps.append(f"start from smaller weights ({SMALLER_INIT}), which saturate fewer units at the start")
    steps.append(f"else {MORE_STEPS}")
    if any(rows[c] < RARE_SHARE * n / len(rows) for c in missed):
        steps.append("a class rare in the data may also need more rows of it")
    return "; ".join(steps)
