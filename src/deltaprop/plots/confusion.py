"""The confusion matrix and a gallery of misclassified examples."""

from __future__ import annotations

import math

import numpy as np

from ._figure import (
    MAX_JUDGED,
    axes_or_new,
    check_image_shape,
    font_size,
    image_cmap,
    new_figure,
    tile_mosaic,
)

MAX_GALLERY = 36
MIN_SIZE = (3.8, 3.2)  # inches: room for the title, the labels and the colour bar of a 2×2 matrix


def _labels_1d(values, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 2 and arr.shape[1] > 1:
        arr = arr.argmax(axis=1)  # one-hot rows or network outputs
    elif arr.ndim == 2:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be class labels (n_samples,) or one-hot rows; got shape {arr.shape}")
    return arr


def _class_names(class_names, classes) -> list[str]:
    """Each class's name: ``class_names[k]`` for class k, or the label itself without names."""
    if class_names is None:
        return [str(c) for c in classes]
    names = [str(name) for name in class_names]
    for c in classes:
        if not (isinstance(c, (int, np.integer)) and 0 <= c < len(names)):
            raise ValueError(
                f"class_names has {len(names)} names, one per class 0..{len(names) - 1}; "
                f"got a class label {c.item() if isinstance(c, np.generic) else c!r} it does not name"
            )
    return [names[int(c)] for c in classes]


def _counts(y_true: np.ndarray, y_pred: np.ndarray, labels: list) -> np.ndarray:
    """``counts[i, j]``: how many samples of class ``labels[i]`` were predicted ``labels[j]``;
    samples with a label not in ``labels`` are left out, as in scikit-learn's
    confusion_matrix (whose import alone took longer than drawing the figure)."""
    k = len(labels)
    if k == 0:
        return np.zeros((0, 0), dtype=np.intp)
    order = np.argsort(np.asarray(labels), kind="stable")
    ranked = np.asarray(labels)[order]

    def row(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # index in labels; whether it is one
        at = np.minimum(np.searchsorted(ranked, y), k - 1)
        return order[at], ranked[at] == y

    (i, known_i), (j, known_j) = row(y_true), row(y_pred)
    kept = known_i & known_j
    return np.bincount(i[kept] * k + j[kept], minlength=k * k).reshape(k, k)


def confusion_matrix(y_true, y_pred, labels=None, ax=None, normalize: bool = False, class_names=None):
    """Counts of true class (rows) against predicted class (columns); returns the Figure.

    ``y_true`` and ``y_pred`` are labels ``(n_samples,)`` (or one-hot rows); ``labels`` fixes
    the classes and their order; ``normalize`` shows each row as fractions of its class;
    ``class_names`` (``class_names[k]`` names class k, e.g. Fashion-MNIST's "T-shirt/top")
    labels the rows and columns instead of the class numbers.
    """
    y_true, y_pred = _labels_1d(y_true, "y_true"), _labels_1d(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length; got {len(y_true)} and {len(y_pred)}")
    if labels is None:
        labels = np.union1d(y_true, y_pred)
    labels = list(labels)
    names = _class_names(class_names, labels)
    counts = _counts(y_true, y_pred, labels)
    shown = counts.astype(float)
    if normalize:
        shown = shown / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    k = len(labels)
    fig, ax = axes_or_new(ax, (max(MIN_SIZE[0], 1.2 + 0.45 * k), max(MIN_SIZE[1], 1.0 + 0.45 * k)))
    # the colour scale starts at 0: white is "none", not "the fewest of any cell"
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else max(float(shown.max()), 1))
    fig.colorbar(image, ax=ax, shrink=0.8, label="fraction of class" if normalize else "count")
    threshold = shown.max() / 2 if shown.size else 0
    for i in range(k):
        for j in range(k):
            text = f"{shown[i, j]:.2f}" if normalize else str(counts[i, j])
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=font_size(7 if k > 10 else 8),
                color="white" if shown[i, j] > threshold else "black",
            )
    long_names = max(len(name) for name in names) > 2 if names else False
    ax.set_xticks(range(k), names, rotation=45 if long_names else 0, ha="right" if long_names else "center")
    ax.set_yticks(range(k), names)
    accuracy = np.trace(counts) / max(counts.sum(), 1)
    ax.set(xlabel="predicted class", ylabel="true class", title=f"Confusion matrix (accuracy {accuracy:.1%})")
    return fig


def misclassified_gallery(
    X, y_true, y_pred, image_shape=(28, 28), max_images: int = MAX_GALLERY, class_names=None, cmap=None
):
    """The first ``max_images`` misclassified inputs as images, titled "true → predicted".

    ``X`` is ``(n_samples, h·w)`` (or ``(n_samples, h, w)``); ``image_shape`` is ``(h, w)``;
    ``class_names[k]`` names class k in the titles (the class numbers without it). ``cmap``:
    a matplotlib colour map; by default chosen from ``X`` (:func:`._figure.image_cmap`): ink
    (MNIST, digits) dark on white, objects (Fashion-MNIST's garments) bright on dark, as stored.
    """
    X = np.asarray(X, dtype=float)
    y_true, y_pred = _labels_1d(y_true, "y_true"), _labels_1d(y_pred, "y_pred")
    if len(X) != len(y_true) or len(y_true) != len(y_pred):
        raise ValueError(
            f"X, y_true and y_pred must have the same length; got {len(X)}, {len(y_true)}, {len(y_pred)}"
        )
    n_features = math.prod(X.shape[1:])
    image_shape = check_image_shape(image_shape, n_features, f"the {n_features} features of each sample")
    if isinstance(max_images, bool) or not isinstance(max_images, int) or max_images < 1:
        raise ValueError(f"max_images must be an integer ≥ 1; got {max_images!r}")
    wrong = np.flatnonzero(y_true != y_pred)[:max_images]
    true_names = _class_names(class_names, y_true[wrong])
    predicted_names = _class_names(class_names, y_pred[wrong])
    if wrong.size == 0:
        fig = new_figure((4, 1.5))
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no misclassified examples", ha="center", va="center")
        ax.set_axis_off()
        return fig
    cols = min(wrong.size, 6)
    rows = math.ceil(wrong.size / cols)
    h, w = image_shape
    gap = max(1, h // 4)
    named = class_names is not None and max(len(name) for name in true_names + predicted_names) > 2
    tile_inches = 1.6 if named else 1.0  # "T-shirt/top → Shirt" needs more than a digit's width
    fig = new_figure((0.3 + tile_inches * cols, 0.5 + 1.15 * rows))
    ax = fig.add_subplot()
    tiles = X[wrong].reshape(len(wrong), h, w)
    if cmap is None:
        cmap = image_cmap(X[:MAX_JUDGED].reshape(-1, h, w))
    ax.imshow(tile_mosaic(tiles, cols, gap), cmap=cmap, interpolation="nearest")
    for k in range(len(wrong)):
        r, c = divmod(k, cols)
        ax.text(
            c * (w + gap) + w / 2 - 0.5,
            r * (h + gap) - 0.6,
            f"{true_names[k]} → {predicted_names[k]}",
            ha="center",
            va="bottom",
            fontsize=font_size(7 if named else 8),
            color="#c0392b",
        )
    ax.set_axis_off()
    n_wrong = int((y_true != y_pred).sum())
    fig.suptitle(f"Misclassified: {n_wrong} of {len(y_true)} (true → predicted)", fontsize=font_size(10))
    return fig
