"""MNIST and Fashion-MNIST: their loaders and download (the registry is :mod:`.idx_sets`).

Each data set is four IDX files in a folder under the data root (see
:mod:`deltaprop.datasets.paths` and, for the other places looked in, :mod:`.idx_files`):
``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz``
and ``t10k-labels-idx1-ubyte.gz``; the un-gzipped names (without ``.gz``) are accepted too. A
missing file is downloaded from the mirrors in :data:`MNIST_MIRRORS` /
:data:`FASHION_MNIST_MIRRORS` (tried in order) and must match the published SHA-256 before it is
kept. A file already there is checked against the same checksums when it is loaded
(:mod:`.idx_verify`), so a copy put in by hand, or another set's file, is never read as the set's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .._validation import check_dtype
from ..errors import DataFileError, DownloadError
from .download import Progress, announce, check_mirrors, fetch_files
from .idx import DEFAULT_MAX_BYTES, read_idx_images, read_idx_labels
from .idx_files import (
    damaged_files,
    damaged_message,
    damaged_reason,
    dataset_folder,
    how_to_fetch,
    local_file,
    missing_files,
    still_damaged,
    still_missing,
    where_hint,
)
from .idx_sets import (
    FASHION_MNIST,
    FASHION_MNIST_MIRRORS,
    IDX_SETS,
    MNIST,
    MNIST_MIRRORS,
    SPLITS,
    IdxDataset,
    check_split,
)
from .idx_verify import file_fault, identify, is_gzip
from .paths import ENV_VAR, data_home, root_problem
from .progress import check_progress

__all__ = [
    "FASHION_MNIST",
    "FASHION_MNIST_MIRRORS",
    "MNIST",
    "MNIST_MIRRORS",
    "PIXEL_MAX",
    "IdxDataset",
    "dataset_folder",
    "download_idx_dataset",
    "load_fashion_mnist",
    "load_idx_dataset",
    "load_mnist",
    "missing_files",
]

PIXEL_MAX = 255  # uint8 pixels; dividing by this scales them to [0, 1]
_MB = 1e6


def download_idx_dataset(
    spec: IdxDataset,
    *,
    splits: Sequence[str] = SPLITS,
    data_dir: str | os.PathLike | None = None,
    progress: Progress | bool | None = None,
    mirrors: Sequence[str] | None = None,
) -> Path:
    """Fetch the files of ``splits`` that are missing or damaged; return the data set's folder.

    Files already present (gzipped or not) and verified are left alone; the others are
    downloaded and verified against ``spec.sha256``, a damaged file replaced (an un-gzipped one
    deleted once its gzipped replacement is in). The data root is created if missing. Before
    connecting, a progress that can show words (``TextProgress``, the CLI's bar) is told each
    damaged file being replaced and what is wrong with it, then what is downloaded, how much,
    where to and from where. ``progress``: see :func:`load_mnist`. Raises
    :class:`~deltaprop.errors.DownloadError` on failure, naming every file still missing, every
    file still damaged and what is wrong with it, and how to provide them without a download.
    """
    for split in splits:
        check_split(split, spec)
    mirrors = check_mirrors(spec.mirrors if mirrors is None else mirrors)
    progress = check_progress(progress, spec.name)
    problem = root_problem(data_dir)
    if problem is not None and data_home(data_dir).exists():
        raise DownloadError(f"{problem}: set it to the folder to keep data sets in (it holds {spec.folder}/)")
    folder = dataset_folder(spec, data_dir)
    damaged = damaged_files(spec, folder, splits)
    wanted = set(missing_files(spec, folder, splits)) | {name for name, _, _ in damaged}
    todo = [remote for remote in spec.remote_files(splits) if remote.name in wanted]
    if not todo:
        return folder
    for name, path, fault in damaged:
        moved = _move_to_its_set(spec, path, data_home(data_dir))
        if moved is not None:  # another set's good file, kept where it belongs, not overwritten
            announce(progress, f"moving {path}, another set's file, to {moved}")
        else:
            announce(progress, f"replacing a damaged file: {damaged_reason(spec, name, path, fault)}")
    sizes = [remote.size for remote in todo]
    size = f" ({_megabytes(sum(sizes))})" if None not in sizes else ""
    announce(progress, f"downloading {spec.name}{size} into {folder} from {mirrors[0]}")
    try:
        fetch_files(todo, folder, mirrors, progress=progress)
    except DownloadError as err:
        still = still_missing(spec, folder, splits)
        missing = f"{spec.name} files still missing in {folder}: {still}." if still else ""
        bad = still_damaged(spec, folder, data_home(data_dir))
        found = "\n".join(part for part in (missing, bad) if part)
        typo = f"\n{problem} (mistyped?)" if problem is not None else ""
        raise DownloadError(
            f"{err}{typo}\n{found} If you have them elsewhere, set "
            f"{ENV_VAR} (or, from Python, pass data_dir=) to the folder holding {spec.folder}/."
            f"{where_hint(spec, folder)}"
        ) from err
    for name, path, _ in damaged:
        if path != folder / name:  # an un-gzipped copy the verified download now stands in for
            path.unlink(missing_ok=True)  # (gone already if it was another set's, moved)
    return folder


def _move_to_its_set(spec: IdxDataset, path: Path, root: Path) -> Path | None:
    """Move ``path``, found in ``spec``'s folder, to its own set's folder under ``root`` when it
    is another known set's file (Fashion-MNIST's labels copied into ``mnist/``) and that place is
    free; return where it went, or None (damaged, or the other set has its copy already)."""
    other = identify(path, IDX_SETS)
    if other is None or other[0] is spec:
        return None
    name = other[1] if is_gzip(path) else other[1].removesuffix(".gz")
    target = root / other[0].folder / name
    if target.exists() or target.with_suffix("").exists() or (target.parent / other[1]).exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)
    return target


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / _MB:.1f} MB" if n_bytes >= _MB / 10 else f"{max(n_bytes // 1000, 1)} kB"


def load_idx_dataset(
    spec: IdxDataset,
    split: str = "train",
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    dtype=np.float32,
    progress: Progress | bool | None = None,
    mirrors: Sequence[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Load one split of an IDX data set described by ``spec`` (see :func:`load_mnist`)."""
    check_split(split, spec)
    dtype = check_dtype(dtype)
    progress = check_progress(progress, spec.name)
    folder = dataset_folder(spec, data_dir)
    if missing_files(spec, folder, [split]):
        if not download:
            missing = still_missing(spec, folder, [split])
            problem = root_problem(data_dir)
            typo = f" {problem} (mistyped?)." if problem is not None else ""
            raise FileNotFoundError(
                f"{spec.name} {split} files not found in {folder} (missing: {missing}).{typo} "
                f"Pass download=True, run {how_to_fetch(spec)}, or set {ENV_VAR} to a folder holding "
                f"{spec.folder}/ with these files.{where_hint(spec, folder)}"
            )
        download_idx_dataset(spec, splits=[split], data_dir=data_dir, progress=progress, mirrors=mirrors)
    paths = [local_file(folder, name) for name in spec.files[split]]
    for name, path in zip(spec.files[split], paths):
        fault = file_fault(spec, name, path)
        if fault is not None:
            raise DataFileError(damaged_message(spec, name, path, fault, data_home(data_dir)))
    images_path, labels_path = paths
    try:
        images = read_idx_images(images_path, max_bytes=DEFAULT_MAX_BYTES)
        labels = read_idx_labels(labels_path, n_classes=len(spec.classes))
    except DataFileError as err:  # a damaged copy no checksum caught: say how to get a good one
        raise DataFileError(
            f"{err}\n{how_to_fetch(spec)} replaces it with a verified copy; or put a good copy there by hand."
        ) from err
    if images.shape[1:] != spec.image_shape:
        raise DataFileError(
            f"{images_path}: images are {images.shape[1]}x{images.shape[2]}, but {spec.name} images "
            f"are {spec.image_shape[0]}x{spec.image_shape[1]}"
        )
    if images.shape[0] != labels.shape[0]:
        raise DataFileError(
            f"{images_path} holds {images.shape[0]:,} images but {labels_path} holds "
            f"{labels.shape[0]:,} labels; the two files must come from the same split"
        )
    if images.shape[0] == 0:
        raise DataFileError(f"{images_path}: holds no images")
    X = images.reshape(images.shape[0], -1).astype(dtype)
    X /= PIXEL_MAX  # in place: a (60000, 784) float32 array is 188 MB, a second one is not needed
    return X, labels.astype(np.int64)


def load_mnist(
    split: str = "train",
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    dtype=np.float32,
    progress: Progress | bool | None = None,
    mirrors: Sequence[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 pixels.

    Parameters
    ----------
    split : ``"train"`` (60,000 images) or ``"test"`` (10,000).
    data_dir : the data root holding ``mnist/``; default ``$DELTAPROP_DATA``, else
        ``~/.cache/deltaprop`` (see :mod:`deltaprop.datasets.paths`).
    download : fetch missing files from :data:`MNIST_MIRRORS` (verified by SHA-256). With
        ``False``, missing files raise ``FileNotFoundError``. Files already there are checked
        against the same checksums (once per process), never replaced: a damaged one is an error.
    dtype : ``float32`` (default: half the memory) or ``float64``.
    progress : during a download, ``True`` draws a text bar on stderr
        (:class:`~deltaprop.datasets.progress.TextProgress`); a callable is called as
        ``progress(bytes_done, bytes_total)``; ``None`` (default) or ``False`` is silent.
    mirrors : base URLs to use instead of :data:`MNIST_MIRRORS`.

    Returns
    -------
    X : ``(n_samples, 784)`` pixels in [0, 1] of ``dtype``, each image's rows concatenated.
    y : ``(n_samples,)`` ``int64`` digit labels 0..9.

    Raises
    ------
    DataFileError : a file is not the published one (its size or SHA-256 differs: cut short,
        another set's, ...; the message says which and how to replace it), is malformed (see
        :func:`deltaprop.datasets.idx.read_idx`), the image and label counts differ, or a label is
        outside 0..9.
    DownloadError : a missing file could not be downloaded intact (offline, say): the message
        lists each URL tried and why, the files still missing, and where to put them.
    """
    return load_idx_dataset(
        MNIST, split, data_dir=data_dir, download=download, dtype=dtype, progress=progress, mirrors=mirrors
    )


def load_fashion_mnist(
    split: str = "train",
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    dtype=np.float32,
    progress: Progress | bool | None = None,
    mirrors: Sequence[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST: 60,000 training and 10,000 test images of clothing, 28x28 pixels.

    The same contract as :func:`load_mnist` (folder ``fashion-mnist/``, mirrors
    :data:`FASHION_MNIST_MIRRORS`); label ``k`` names the class ``FASHION_MNIST.classes[k]``
    (0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
    8 Bag, 9 Ankle boot).

    Returns
    -------
    X : ``(n_samples, 784)`` pixels in [0, 1] of ``dtype``.
    y : ``(n_samples,)`` ``int64`` labels 0..9.
    """
    return load_idx_dataset(
        FASHION_MNIST,
        split,
        data_dir=data_dir,
        download=download,
        dtype=dtype,
        progress=progress,
        mirrors=mirrors,
    )
