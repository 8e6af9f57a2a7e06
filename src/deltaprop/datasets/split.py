"""Carving a validation set out of training data (never out of test data).

:func:`train_validation_split` is a seeded, by default stratified, random split.
:func:`load_mnist_split` gives the classic arrangement of the textbook runs: of MNIST's
60,000 training images, the first 50,000 for training and the last 10,000 for validation;
the 10,000 test images stay untouched (load them with ``load_mnist("test")``).
"""

from __future__ import annotations

import os

import numpy as np

from .._validation import check_positive_int
from .download import Progress
from .mnist import FASHION_MNIST, MNIST, load_idx_dataset
from .toy import sklearn_seed

MNIST_N_VALIDATION = 10_000


def _as_array(value, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except ValueError as err:
        raise ValueError(f"{name} could not be read as a rectangular array: {err}") from err
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array with one row per sample; got a scalar {value!r}")
    return arr


def train_validation_split(X, y, validation_fraction: float = 0.1, *, seed=None, stratify: bool = True):
    """Split training data at random into a training part and a validation part.

    Parameters
    ----------
    X : ``(n_samples, n_features)`` (any array with samples on axis 0).
    y : ``(n_samples,)`` class labels or ``(n_samples, n_outputs)`` targets.
    validation_fraction : the share of samples, in (0, 1), that goes to validation
        (rounded up to a whole sample, as scikit-learn does).
    seed : ``int``, ``numpy.random.Generator`` or ``None``; the same int gives the same split.
    stratify : keep each class's share equal in both parts. It applies when ``y`` holds
        integer class labels ``(n_samples,)``; real-valued or 2-D targets have no classes and
        are split without stratification.

    Returns
    -------
    X_train, y_train, X_val, y_val : rows of ``X`` and ``y``, in the split's random order.
    """
    from sklearn.model_selection import train_test_split

    X = _as_array(X, "X")
    y = _as_array(y, "y")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y have different numbers of samples: X has {X.shape[0]} (shape {X.shape}), "
            f"y has {y.shape[0]} (shape {y.shape})"
        )
    if isinstance(validation_fraction, bool) or not isinstance(validation_fraction, (int, float)):
        raise TypeError(f"validation_fraction must be a number in (0, 1); got {validation_fraction!r}")
    if not 0 < validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in (0, 1) (exclusive); got {validation_fraction!r}")
    n_samples = X.shape[0]
    n_val = int(np.ceil(validation_fraction * n_samples))
    if n_samples < 2 or n_val >= n_samples:
        raise ValueError(
            f"cannot split {n_samples} sample(s) with validation_fraction={validation_fraction}: "
            f"both parts need at least one sample"
        )
    labels = None
    if stratify and y.ndim == 1 and y.dtype.kind in "biu":
        labels = y
        values, counts = np.unique(y, return_counts=True)
        if counts.min() < 2:
            rare = values[np.argmin(counts)].item()
            raise ValueError(
                f"cannot stratify: class {rare!r} has only {counts.min()} sample; "
                f"each class needs at least 2. "
                f"Pass stratify=False, or gather more samples of that class."
            )
        if n_val < len(values) or n_samples - n_val < len(values):
            raise ValueError(
                f"cannot stratify {len(values)} classes with validation_fraction={validation_fraction}: "
                f"the validation part would have {n_val} sample(s) and the training part "
                f"{n_samples - n_val}; each needs at least one per class. Use a larger fraction "
                f"or pass stratify=False."
            )
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=n_val, random_state=sklearn_seed(seed), shuffle=True, stratify=labels
    )
    return X_train, y_train, X_val, y_val


def _load_holdout(spec, n_validation, **kwargs):
    X, y = load_idx_dataset(spec, "train", **kwargs)
    n_validation = check_positive_int(n_validation, "n_validation")
    if n_validation >= len(y):
        raise ValueError(f"n_validation must be less than the {len(y)} training images; got {n_validation}")
    cut = len(y) - n_validation
    return X[:cut], y[:cut], X[cut:], y[cut:]


def load_mnist_split(
    *,
    n_validation: int = MNIST_N_VALIDATION,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    dtype=np.float32,
    progress: Progress | bool | None = None,
):
    """MNIST's training images as the textbook uses them: 50,000 to train, 10,000 to validate.

    The last ``n_validation`` training images (in file order, no shuffling) are the validation
    set; the test split is not touched. Parameters as for :func:`~deltaprop.datasets.load_mnist`.

    Returns
    -------
    X_train ``(60000 - n_validation, 784)``, y_train, X_val ``(n_validation, 784)``, y_val
        (views into one loaded array; labels ``int64``).
    """
    return _load_holdout(
        MNIST, n_validation, data_dir=data_dir, download=download, dtype=dtype, progress=progress
    )


def load_fashion_mnist_split(
    *,
    n_validation: int = MNIST_N_VALIDATION,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    dtype=np.float32,
    progress: Progress | bool | None = None,
):
    """Fashion-MNIST's training images split as :func:`load_mnist_split` splits MNIST's."""
    return _load_holdout(
        FASHION_MNIST, n_validation, data_dir=data_dir, download=download, dtype=dtype, progress=progress
    )
