"""The named data sets: what each is, whether it is here, and one ``load(name)`` for all.

The command line's ``deltaprop datasets`` lists :func:`list_datasets` and fetches with
:func:`download_dataset`; ``deltaprop train --data NAME`` goes through :func:`load`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._text import did_you_mean
from .._validation import check_dtype, check_seed
from .digits import DIGITS_N_SAMPLES, DIGITS_N_TEST, load_digits
from .download import Progress
from .idx_files import damaged_files, damaged_reason, dataset_folder, missing_files, root_is_a_set_folder
from .idx_sets import FASHION_MNIST, MNIST, IdxDataset
from .mnist import download_idx_dataset, load_idx_dataset
from .paths import data_home, root_problem
from .toy import make_blobs, make_circles, make_moons, make_spiral, xor

BUILT_IN = "built-in"
GENERATED = "generated"
DOWNLOAD = "download"
TOY_SPLITS = ("train", "test")
_TEST_STREAM = 1  # the test split of a generated set draws from a second, independent stream


@dataclass(frozen=True)
class DatasetInfo:
    """One row of the catalogue.

    Attributes
    ----------
    name : what :func:`load` and the CLI call it.
    description : one line.
    n_features : columns of ``X``.
    n_classes : distinct labels (labels are ``0..n_classes-1``).
    classes : the class names; label ``k`` means ``classes[k]``.
    n_samples : split -> number of samples (for generated sets: the default ``n_samples``).
    source : ``"built-in"`` (shipped), ``"generated"`` (made on demand) or ``"download"``.
    present : whether it can be loaded without a download.
    location : the folder holding (or that would hold) the files; ``None`` unless downloaded.
    damaged : for each file there that is not the set's own (cut short, another set's, ...), what
        is wrong (and where another set's file belongs); such a set is not ``present``, and
        downloading it replaces them.
    root_problem : what is wrong with the data root as given (``DELTAPROP_DATA=/x does not
        exist``), else ``None``.
    location_note : for a set not here whose ``location`` would be inside another set's folder
        (the data root is that set's own folder, ``DELTAPROP_DATA=/data/mnist``), that and which
        folder to use instead; else ``None``.
    """

    name: str
    description: str
    n_features: int
    n_classes: int
    classes: tuple[str, ...]
    n_samples: dict[str, int]
    source: str
    present: bool
    location: Path | None
    damaged: tuple[str, ...] = ()
    root_problem: str | None = None
    location_note: str | None = None


_TOY_GENERATORS: dict[str, Callable] = {
    "moons": make_moons,
    "circles": make_circles,
    "spiral": make_spiral,
    "blobs": make_blobs,
}
_TOY_DESCRIPTIONS = {
    "xor": "XOR: the four corners of the unit square, label x1 XOR x2",
    "moons": "two interleaving half circles, 2-D (noise 0.1 by default)",
    "circles": "a circle inside a circle, 2-D (noise 0.05 by default)",
    "spiral": "two interleaved spiral arms, 2-D (noise 0 by default)",
    "blobs": "two Gaussian blobs, 2-D (standard deviation 1 by default)",
}
_DEFAULT_TOY_SAMPLES = 200
_DIGIT_NAMES = tuple(str(digit) for digit in range(10))
_XOR_NAMES = ("0 (x1 = x2)", "1 (x1 != x2)")
_IDX_SETS: dict[str, IdxDataset] = {MNIST.name: MNIST, FASHION_MNIST.name: FASHION_MNIST}

#: Every name :func:`load` accepts, in the order :func:`list_datasets` gives them.
DATASET_NAMES = ("digits", "mnist", "fashion-mnist", "xor", "moons", "circles", "spiral", "blobs")


def _check_name(name) -> str:
    if name not in DATASET_NAMES:
        suggestion = did_you_mean(name, DATASET_NAMES) if isinstance(name, str) else ""
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASET_NAMES)}{suggestion}")
    return name


def dataset_info(name: str, *, data_dir: str | os.PathLike | None = None) -> DatasetInfo:
    """The catalogue entry for ``name`` (see :class:`DatasetInfo`)."""
    name = _check_name(name)
    if name in _IDX_SETS:
        spec = _IDX_SETS[name]
        folder = dataset_folder(spec, data_dir)
        damaged = tuple(
            damaged_reason(spec, file, path, fault, data_home(data_dir))
            for file, path, fault in damaged_files(spec, folder)
        )
        present = not missing_files(spec, folder) and not damaged
        return DatasetInfo(
            name=name,
            description=spec.description,
            n_features=spec.n_features,
            n_classes=len(spec.classes),
            classes=spec.classes,
            n_samples=dict(spec.n_samples),
            source=DOWNLOAD,
            present=present,
            location=folder,
            damaged=damaged,
            root_problem=root_problem(data_dir),
            location_note=None if present else root_is_a_set_folder(spec, folder.parent),
        )
    if name == "digits":
        return DatasetInfo(
            name="digits",
            description="8x8 handwritten digits bundled with scikit-learn (UCI), pixels scaled to [0, 1]",
            n_features=64,
            n_classes=10,
            classes=_DIGIT_NAMES,
            n_samples={"train": DIGITS_N_SAMPLES - DIGITS_N_TEST, "test": DIGITS_N_TEST},
            source=BUILT_IN,
            present=True,
            location=None,
        )
    n_samples = 4 if name == "xor" else _DEFAULT_TOY_SAMPLES
    return DatasetInfo(
        name=name,
        description=_TOY_DESCRIPTIONS[name],
        n_features=2,
        n_classes=2,
        classes=_XOR_NAMES if name == "xor" else ("0", "1"),
        n_samples={split: n_samples for split in TOY_SPLITS},
        source=BUILT_IN if name == "xor" else GENERATED,
        present=True,
        location=None,
    )


def list_datasets(*, data_dir: str | os.PathLike | None = None) -> list[DatasetInfo]:
    """Every named data set, with whether it is available locally and where."""
    return [dataset_info(name, data_dir=data_dir) for name in DATASET_NAMES]


def download_dataset(
    name: str,
    *,
    data_dir: str | os.PathLike | None = None,
    progress: Progress | bool | None = None,
    mirrors=None,
) -> Path | None:
    """Fetch every file of ``name`` that is not present yet or is damaged; return its folder.

    Built-in and generated sets need nothing and return ``None``. ``progress``: ``True``
    for a text bar on stderr, or a callable (see :func:`~deltaprop.datasets.load_mnist`).
    Raises :class:`~deltaprop.errors.DownloadError` if a file cannot be fetched intact.
    """
    name = _check_name(name)
    if name not in _IDX_SETS:
        return None
    return download_idx_dataset(_IDX_SETS[name], data_dir=data_dir, progress=progress, mirrors=mirrors)


def _test_seed(seed):
    """A seed for a generated test split, independent of (and reproducible from) ``seed``."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed  # fresh entropy, or a generator that has moved on since the training draw
    check_seed(seed, generator=True)  # the same message as the generators give
    return np.random.default_rng([int(seed), _TEST_STREAM])


def load(
    name: str,
    split: str = "train",
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    progress: Progress | bool | None = None,
    dtype=None,
    seed=None,
    **kwargs,
) -> tuple[np.ndarray, np.ndarray]:
    """Load the named data set's ``split`` as ``(X, y)``.

    ``data_dir``, ``download`` and ``progress`` concern only the downloaded sets (MNIST,
    Fashion-MNIST), and ``seed`` only the generated ones; each is ignored where it has no
    meaning, so a caller can pass the same options whatever the name. ``dtype`` (float32 or
    float64; ``None`` for the loader's default) applies to all. Further ``kwargs`` go to the
    set's own function:

    - ``"mnist"``, ``"fashion-mnist"``: :func:`load_mnist` / :func:`load_fashion_mnist`
      (e.g. ``mirrors``); split ``"train"`` or ``"test"``.
    - ``"digits"``: :func:`load_digits`; split ``"train"``, ``"test"`` or ``"all"``.
    - ``"xor"``: the four points, whatever the split.
    - ``"moons"``, ``"circles"``, ``"spiral"``, ``"blobs"``: the generator's ``n_samples``,
      ``noise``, ``seed`` … For ``split="train"`` the generator is called as given (so
      ``load("moons", seed=0)`` equals ``make_moons(seed=0)``); ``split="test"`` draws a
      fresh sample from a stream derived from ``seed``, so train and test differ but both
      are reproducible.

    Returns ``X`` ``(n_samples, n_features)`` and ``y`` ``(n_samples,)`` int64 labels.
    """
    name = _check_name(name)
    dtype_kw = {} if dtype is None else {"dtype": check_dtype(dtype)}
    if name in _IDX_SETS:
        return load_idx_dataset(
            _IDX_SETS[name],
            split,
            data_dir=data_dir,
            download=download,
            progress=progress,
            **dtype_kw,
            **kwargs,
        )
    if name == "digits":
        return load_digits(split, **dtype_kw, **kwargs)
    if split not in TOY_SPLITS:
        raise ValueError(f"split must be one of {TOY_SPLITS} for {name}; got {split!r}")
    if name == "xor":
        X, y = xor(**kwargs)
    else:
        X, y = _TOY_GENERATORS[name](seed=_test_seed(seed) if split == "test" else seed, **kwargs)
    return (X.astype(dtype_kw["dtype"]) if dtype_kw else X), y
