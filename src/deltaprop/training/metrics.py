"""Evaluation: the cost C and the accuracy of a network on a data set, forward passes only.

Both run over the data in chunks of ``batch_size`` rows gathered into one reused buffer
of the network's dtype, so a large float32 or uint8 X is never converted whole.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_features, check_network, check_positive_int, check_sample_weight
from ..costs import per_sample_costs
from ._data import Gatherer, Targets, check_targets, count_correct, iter_chunks

# Rows per forward pass when evaluating: large enough for fast matrix products, small
# enough that the layer outputs of a chunk stay in cache-friendly tens of megabytes.
EVAL_CHUNK = 4096


class Evaluator:
    """Forward passes over rows ``idx`` of checked data (all rows if None), chunk by chunk.

    ``checked=True`` says the values were also checked against the network's dtype (as
    ``fit`` does), so the gatherer need not look for values its cast would make infinite.

    Built once per data set (buffers and targets are prepared here), then called after
    every epoch: ``evaluator()`` → ``{"loss": C, "accuracy": ...}`` with C averaged over
    the samples and accuracy only for classification targets. With ``sample_weight``
    (``(n_rows_of_X,)``, checked, weights of ``idx`` not all 0) both are weighted averages:
    Σ s_x C_x / Σ s_x and the weight of the rows predicted right over Σ s_x.
    """

    def __init__(
        self,
        net,
        X: np.ndarray,
        targets: Targets,
        idx: np.ndarray | None = None,
        chunk: int = EVAL_CHUNK,
        checked: bool = False,
        sample_weight: np.ndarray | None = None,
    ):
        self.net, self.X, self.targets, self.idx = net, X, targets, idx
        self.sample_weight = sample_weight
        self.n = X.shape[0] if idx is None else len(idx)
        self.chunk = min(chunk, self.n)
        # checked: X and the targets fit the network's dtype already (fit checks them up front)
        self.gather = Gatherer(X, targets, net.dtype, self.chunk, checked=checked)
        self.direct = idx is None and X.dtype == net.dtype  # slices of X are used as they are

    def __call__(self) -> dict:
        net, targets, idx = self.net, self.targets, self.idx
        cost_sum, correct = 0.0, 0
        for start, stop in iter_chunks(self.n, self.chunk):
            rows = np.arange(start, stop) if idx is None else idx[start:stop]
            xb = self.X[start:stop] if self.direct else self.gather.x(rows)
            a = net._predict(xb)
            if self.sample_weight is None:
                cost_sum += net.cost.value(a, self.gather.y(rows)) * (stop - start)
                if targets.classify:
                    correct += count_correct(a, targets.labels[rows])
            else:
                s = self.sample_weight[rows]
                cost_sum += float(np.dot(s, per_sample_costs(net.cost, a, self.gather.y(rows))))
                if targets.classify:
                    correct += count_correct(a, targets.labels[rows], s)
        total = self.n if self.sample_weight is None else self._weight_sum()
        logs = {"loss": cost_sum / total}
        if targets.classify:
            logs["accuracy"] = correct / total
        return logs

    def _weight_sum(self) -> float:
        s = self.sample_weight
        return float(s.sum() if self.idx is None else s[self.idx].sum())


def evaluate(net, X, Y, batch_size: int | None = None, sample_weight=None) -> dict:
    """The cost and, for classification targets, the accuracy of ``net`` on ``(X, Y)``.

    Parameters
    ----------
    X : array ``(n_samples, n_0)``
        Inputs, any real dtype (cast chunk by chunk to the network's dtype).
    Y : array ``(n_samples,)`` or ``(n_samples, n_L)``
        Integer class labels (a column ``(n_samples, 1)`` of them too, for several outputs),
        one-hot rows, 0/1 labels of a single-output network, or real targets (regression: no
        accuracy).
    batch_size : int, optional
        Rows per forward pass (default 4096); the result does not depend on it beyond rounding.
    sample_weight : array ``(n_samples,)``, optional
        Weights s_x ≥ 0, not all 0: C and the accuracy become weighted averages, as in Keras's
        ``evaluate`` and scikit-learn's ``score``.

    Returns
    -------
    dict
        ``{"loss": C}`` with C averaged over the samples, plus ``"accuracy"`` (the fraction
        predicted right: argmax of a, or a > 0.5 for a single output) for classification;
        with ``sample_weight``, Σ s_x C_x / Σ s_x and the weighted fraction.
    """
    if np.ndim(batch_size) > 0:  # evaluate(X, Y, weights): Keras's order puts batch_size third
        raise TypeError(
            f"batch_size must be an integer; got an array of shape {np.shape(batch_size)}: pass "
            f"per-sample weights as sample_weight=... (the third parameter is batch_size, as in Keras)"
        )
    chunk = EVAL_CHUNK if batch_size is None else check_positive_int(batch_size, "batch_size")
    check_network(net)
    X = check_features(X, net.sizes[0])
    targets = check_targets(Y, net.sizes[-1], X.shape[0])
    if sample_weight is not None:
        sample_weight = check_sample_weight(sample_weight, X.shape[0], np.float64)
    return Evaluator(net, X, targets, chunk=chunk, sample_weight=sample_weight)()


def accuracy(net, X, Y, batch_size: int | None = None, sample_weight=None) -> float:
    """The fraction of samples of ``(X, Y)`` that ``net`` classifies right (labels or one-hot Y),
    weighted by ``sample_weight`` ``(n_samples,)`` if given."""
    logs = evaluate(net, X, Y, batch_size=batch_size, sample_weight=sample_weight)
    if "accuracy" not in logs:
        raise ValueError(
            "accuracy needs classification targets (integer labels, one-hot rows, or 0/1 labels "
            "for a single output); got real-valued Y"
        )
    return logs["accuracy"]
