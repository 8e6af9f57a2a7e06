"""scikit-learn's bundled 8x8 handwritten digits (UCI optical digits, test part): no download.

1,797 images of 8x8 pixels with values 0..16, ten classes. deltaprop scales the pixels to
[0, 1]. The fixed split used by ``split="train"``/``"test"`` keeps the first 1,437 images
for training and the last 360 (20%) for testing, in the file's order: the images were
written by different people in turn, so the test images come largely from writers the
network has not seen, as with MNIST.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_dtype

DIGITS_PIXEL_MAX = 16  # pixel values are counts 0..16 of "on" bits in 4x4 blocks
DIGITS_N_SAMPLES = 1797
DIGITS_N_TEST = 360
DIGITS_SPLITS = ("all", "train", "test")


def load_digits(split: str = "all", *, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 digits, pixels scaled to [0, 1].

    Parameters
    ----------
    split : ``"all"`` (1,797 images), ``"train"`` (the first 1,437) or ``"test"`` (the last 360).
    dtype : ``float64`` (default) or ``float32``.

    Returns
    -------
    X : ``(n_samples, 64)`` pixels in [0, 1], each image's rows concatenated.
    y : ``(n_samples,)`` ``int64`` digit labels 0..9.
    """
    from sklearn.datasets import load_digits as sk_load_digits

    if split not in DIGITS_SPLITS:
        raise ValueError(f"split must be one of {DIGITS_SPLITS} for digits; got {split!r}")
    dtype = check_dtype(dtype)
    bunch = sk_load_digits()
    X = np.asarray(bunch.data, dtype=dtype) / DIGITS_PIXEL_MAX
    y = np.asarray(bunch.target, dtype=np.int64)
    n_train = len(y) - DIGITS_N_TEST
    if split == "train":
        return X[:n_train].copy(), y[:n_train].copy()
    if split == "test":
        return X[n_train:].copy(), y[n_train:].copy()
    return X, y
