"""What ``deltaprop evaluate`` computes for a model on labelled data: the cost, and accuracy,
per-class precision, recall, F1 and the confusion matrix for classes, or MAE, RMSE and R² for
regression targets."""

from __future__ import annotations

import numpy as np

REGRESSION_METRICS = (  # JSON key, row of the table
    ("mean_absolute_error", "mean absolute error"),
    ("root_mean_squared_error", "root mean squared error"),
    ("r2", "R²"),
)


def evaluate_model(net, X, y) -> dict:
    """Cost, accuracy and (for class labels) per-class precision, recall and the confusion
    matrix; for regression targets, scikit-learn's mean absolute error, root mean squared
    error and R² (averaged over the outputs), which say more than the cost ½‖y − a‖²."""
    from ..training import evaluate

    # Targets or outputs too large for float64 overflow in the cost and in scikit-learn's
    # squares: the scores are inf (R² NaN), which the caller says in one line, not in NumPy's
    # RuntimeWarning traces.
    with np.errstate(over="ignore", invalid="ignore"):
        result = {"n_samples": int(len(X)), **{k: float(v) for k, v in evaluate(net, X, y).items()}}
        y = np.asarray(y)
        if "accuracy" not in result:  # real-valued targets, (n, n_L) or, for one output, (n,)
            result.update(_regression_metrics(y, net.predict(X)))
            return result
    if y.ndim != 1:
        return result
    # here only: importing sklearn.metrics takes ~1 s, longer than a short run's training
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    n_classes = max(net.sizes[-1], 2)
    labels = list(range(n_classes))
    predicted = net.predict_classes(X)
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predicted, labels=labels, zero_division=0
    )
    result["per_class"] = [
        {"class": c, "precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for c, p, r, f, s in zip(labels, precision, recall, f1, support)
    ]
    result["confusion_matrix"] = confusion_matrix(y, predicted, labels=labels).tolist()
    return result


def _regression_metrics(y: np.ndarray, a: np.ndarray) -> dict:
    """scikit-learn's MAE, RMSE and R² of targets ``y`` against outputs ``a`` ``(n, n_L)``: each
    computed per output, then averaged over the outputs (``multioutput="uniform_average"``),
    so the RMSE is the mean of the outputs' RMSEs, not √ of the MSE pooled over them. R² is
    None where undefined: one sample, or an output whose targets are all equal, so that no
    mean is there to compare with. (Written here as scikit-learn defines them, which a test
    holds them to: its metrics module took longer to import than a short run to train.)"""
    y = y.reshape(a.shape).astype(np.float64)
    error = y - a
    defined = len(y) > 1 and bool(np.all(np.ptp(y, axis=0) > 0))
    r2 = 1.0 - np.sum(error**2, axis=0) / np.sum((y - y.mean(axis=0)) ** 2, axis=0) if defined else None
    return {
        "mean_absolute_error": float(np.mean(np.mean(np.abs(error), axis=0))),
        "root_mean_squared_error": float(np.mean(np.sqrt(np.mean(error**2, axis=0)))),
        "r2": float(np.mean(r2)) if defined else None,
    }
