"""scikit-learn's bundled 8x8 handwritten digits (UCI optical digits, test part): no download.

1,797 images of 8x8 pixels with values 0..16, ten classes. deltaprop scales the pixels to
[0, 1]. ``split="train"``/``"test"`` is a fixed, class-stratified random split of 1,437
and 360 images (20%), drawn once with seed 0, so every run and every user tests on the
same images, with each digit in the same proportion as in the whole set (as scikit-learn's
own examples split these digits). The file's order is not random: its last 360 images
come mostly from a few writers, and a network trained on the rest scores several points
lower on them than on a stratified sample.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_dtype

DIGITS_PIXEL_MAX = 16  # pixel values are counts 0..16 of "on" bits in 4x4 blocks
DIGITS_N_SAMPLES = 1797
DIGITS_N_TEST = 360
DIGITS_SPLITS = ("all", "train", "test")
DIGITS_SPLIT_SEED = 0


def load_digits(split: str = "all", *, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 digits, pixels scaled to [0, 1].

    Parameters
    ----------
    split : ``"all"`` (1,797 images in the file's order), ``"train"`` (1,437) or ``"test"`` (360),
        the fixed stratified split described above.
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
    if split == "all":
        return X, y
    from sklearn.model_selection import train_test_split

    index = np.arange(len(y))
    train, test = train_test_split(index, test_size=DIGITS_N_TEST, stratify=y, random_state=DIGITS_SPLIT_SEED)
    chosen = np.sort(train if split == "train" else test)
    return X[chosen], y[chosen]
