"""Small 2-D classification problems, generated on demand (as in TensorFlow Playground).

Every generator returns ``(X, y)``: ``X`` float64 of shape ``(n_samples, 2)`` and ``y`` int64
class labels of shape ``(n_samples,)``. ``noise`` is the standard deviation of Gaussian noise
added to each coordinate (in the units of the data); ``seed`` is an ``int``, a
``numpy.random.Generator`` or ``None`` (fresh entropy). Moons, circles and blobs use
scikit-learn's generators; the spiral is written here. An ``n_samples`` whose arrays would not
fit in the memory available raises ``MemoryError`` naming it and the bytes it needs, before
anything is made (:mod:`.memory`).
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import check_positive_float, check_positive_int, rng_from_seed
from .memory import fits_in_memory

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0], dtype=np.int64)

_SEED_BOUND = 2**32  # scikit-learn's random_state takes ints in [0, 2**32)
BLOB_RADIUS = 2.5  # blob centres sit evenly on a circle of this radius
SPIRAL_TURNS = 1.75  # how far each arm winds, in turns (TensorFlow Playground's value)
# Bytes a sample takes at a generator's peak, its temporaries included (the result is 24: X's two
# float64 and y's int64). Measured with tracemalloc: circles 80, moons and spiral 72, blobs 56.
PEAK_BYTES_PER_SAMPLE = 80


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four points of XOR: ``X`` ``(4, 2)`` float64 and ``y`` ``(4,)`` int64 = ``x1 XOR x2``.

    Return fresh copies, so callers may modify them.
    """
    return XOR_X.copy(), XOR_Y.copy()


def sklearn_seed(seed) -> int:
    """An int for scikit-learn's ``random_state``, drawn from ``seed`` (so ``None`` varies)."""
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and 0 <= seed < _SEED_BOUND:
        return int(seed)
    return int(rng_from_seed(seed).integers(_SEED_BOUND))


def _check_common(n_samples, noise) -> tuple[int, float]:
    return check_positive_int(n_samples, "n_samples"), check_positive_float(noise, "noise", allow_zero=True)


def make_moons(n_samples: int = 200, *, noise: float = 0.1, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's ``make_moons``), shuffled.

    Returns ``X`` ``(n_samples, 2)`` float64 and ``y`` ``(n_samples,)`` int64 in {0, 1}.
    """
    from sklearn.datasets import make_moons as sk_make_moons

    n_samples, noise = _check_common(n_samples, noise)
    with fits_in_memory(n_samples, PEAK_BYTES_PER_SAMPLE):
        X, y = sk_make_moons(n_samples=n_samples, noise=noise, shuffle=True, random_state=sklearn_seed(seed))
        return X.astype(np.float64, copy=False), y.astype(np.int64, copy=False)


def make_circles(
    n_samples: int = 200, *, noise: float = 0.05, factor: float = 0.5, seed=None
) -> tuple[np.ndarray, np.ndarray]:
    """A circle inside a circle (scikit-learn's ``make_circles``), shuffled.

    ``factor`` in (0, 1) is the inner radius over the outer (which is 1). Returns ``X``
    ``(n_samples, 2)`` float64 and ``y`` ``(n_samples,)`` int64: 0 outer, 1 inner.
    """
    from sklearn.datasets import make_circles as sk_make_circles

    n_samples, noise = _check_common(n_samples, noise)
    factor = check_positive_float(factor, "factor")
    if factor >= 1:
        raise ValueError(f"factor must be in (0, 1) (inner radius / outer radius); got {factor}")
    with fits_in_memory(n_samples, PEAK_BYTES_PER_SAMPLE):
        X, y = sk_make_circles(
            n_samples=n_samples, noise=noise, factor=factor, shuffle=True, random_state=sklearn_seed(seed)
        )
        return X.astype(np.float64, copy=False), y.astype(np.int64, copy=False)


def make_blobs(
    n_samples: int = 200, *, noise: float = 1.0, n_classes: int = 2, seed=None
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs, one per class, with centres evenly spaced on a circle of radius 2.5.

    ``noise`` is each blob's standard deviation (scikit-learn's ``cluster_std``); with the
    default of 1.0 two blobs overlap a little, as in TensorFlow Playground's "Gaussian".
    Returns ``X`` ``(n_samples, 2)`` float64 and ``y`` ``(n_samples,)`` int64 in 0..n_classes-1.
    """
    from sklearn.datasets import make_blobs as sk_make_blobs

    n_samples, noise = _check_common(n_samples, noise)
    n_classes = check_positive_int(n_classes, "n_classes")
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 4
    centers = BLOB_RADIUS * np.column_stack([np.cos(angles), np.sin(angles)])
    with fits_in_memory(n_samples, PEAK_BYTES_PER_SAMPLE):
        X, y = sk_make_blobs(
            n_samples=n_samples,
            centers=centers,
            cluster_std=noise,
            shuffle=True,
            random_state=sklearn_seed(seed),
        )
        return X.astype(np.float64, copy=False), y.astype(np.int64, copy=False)


def make_spiral(
    n_samples: int = 200, *, noise: float = 0.0, n_classes: int = 2, turns: float = SPIRAL_TURNS, seed=None
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class, shuffled.

    Arm ``k`` of ``n_classes`` holds points at radius r ∈ [0, 1] and angle
    θ = 2π·turns·r + 2πk/n_classes, i.e. ``(r cos θ, r sin θ)``, plus Gaussian noise of standard
    deviation ``noise``. The samples are shared out as evenly as possible (the first arms get
    one more when ``n_samples`` is not a multiple of ``n_classes``).

    Returns ``X`` ``(n_samples, 2)`` float64 and ``y`` ``(n_samples,)`` int64 in 0..n_classes-1.
    """
    n_samples, noise = _check_common(n_samples, noise)
    n_classes = check_positive_int(n_classes, "n_classes")
    turns = check_positive_float(turns, "turns")
    rng = rng_from_seed(seed)
    per_arm = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    with fits_in_memory(n_samples, PEAK_BYTES_PER_SAMPLE):
        y = np.repeat(np.arange(n_classes, dtype=np.int64), per_arm)
        r = np.concatenate([np.linspace(0.0, 1.0, m) for m in per_arm])
        theta = 2 * np.pi * turns * r + 2 * np.pi * y / n_classes
        X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
        X += noise * rng.standard_normal(X.shape)
        order = rng.permutation(n_samples)
        return X[order], y[order]
