"""MNIST and Fashion-MNIST: the registry (files, mirrors, SHA-256s) and their loaders.

Each data set is four IDX files in a folder under the data root (see
:mod:`deltaprop.datasets.paths`): ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
``t10k-images-idx3-ubyte.gz`` and ``t10k-labels-idx1-ubyte.gz``; the un-gzipped names
(without ``.gz``) are accepted too. A missing file is downloaded from the mirrors in
:data:`MNIST_MIRRORS` / :data:`FASHION_MNIST_MIRRORS` (tried in order) and must match the
published SHA-256 before it is kept.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._validation import check_dtype
from ..errors import DataFileError, DownloadError
from .download import Progress, RemoteFile, check_mirrors, fetch_files
from .idx import DEFAULT_MAX_BYTES, read_idx_images, read_idx_labels
from .paths import ENV_VAR, data_home
from .progress import check_progress

SPLITS = ("train", "test")
PIXEL_MAX = 255  # uint8 pixels; dividing by this scales them to [0, 1]
_GZ = ".gz"

#: Base URLs for MNIST, tried in order. Replace or reorder to use another mirror.
MNIST_MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
]

#: Base URLs for Fashion-MNIST, tried in order.
FASHION_MNIST_MIRRORS: list[str] = [
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
]

_STANDARD_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


@dataclass(frozen=True)
class IdxDataset:
    """An image classification data set stored as IDX files, and where to download it.

    Attributes
    ----------
    name : the name used by :func:`deltaprop.datasets.load` (``"mnist"``).
    folder : its subfolder under the data root.
    description : one line for listings.
    mirrors : the default base URLs, tried in order. A list, read when a download starts,
        so changing it in place redirects later downloads.
    files : split -> ``(images file, labels file)``, gzipped names.
    sha256 : file name -> published SHA-256 of the gzipped file.
    sizes : file name -> size in bytes of the gzipped file.
    n_samples : split -> number of images.
    classes : the class names; label ``k`` means ``classes[k]``.
    image_shape : ``(n_rows, n_cols)`` of every image.
    """

    name: str
    folder: str
    description: str
    mirrors: Sequence[str]
    files: Mapping[str, tuple[str, str]]
    sha256: Mapping[str, str]
    sizes: Mapping[str, int]
    n_samples: Mapping[str, int]
    classes: tuple[str, ...]
    image_shape: tuple[int, int] = (28, 28)

    @property
    def n_features(self) -> int:
        return self.image_shape[0] * self.image_shape[1]

    def remote_files(self, splits: Sequence[str] = SPLITS) -> list[RemoteFile]:
        """The files of ``splits``, with their checksums and sizes, for the downloader."""
        names = [name for split in splits for name in self.files[split]]
        return [RemoteFile(name, self.sha256[name], self.sizes.get(name)) for name in names]


MNIST = IdxDataset(
    name="mnist",
    folder="mnist",
    description="MNIST handwritten digits (LeCun, Cortes & Burges), 28x28 grey images",
    mirrors=MNIST_MIRRORS,
    files=_STANDARD_FILES,
    sha256={
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    sizes={
        "train-images-idx3-ubyte.gz": 9_912_422,
        "train-labels-idx1-ubyte.gz": 28_881,
        "t10k-images-idx3-ubyte.gz": 1_648_877,
        "t10k-labels-idx1-ubyte.gz": 4_542,
    },
    n_samples={"train": 60_000, "test": 10_000},
    classes=tuple(str(digit) for digit in range(10)),
)

FASHION_MNIST = IdxDataset(
    name="fashion-mnist",
    folder="fashion-mnist",
    description="Fashion-MNIST clothing images (Zalando Research, 2017), 28x28 grey images",
    mirrors=FASHION_MNIST_MIRRORS,
    files=_STANDARD_FILES,
    sha256={
        "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    },
    sizes={
        "train-images-idx3-ubyte.gz": 26_421_880,
        "train-labels-idx1-ubyte.gz": 29_515,
        "t10k-images-idx3-ubyte.gz": 4_422_102,
        "t10k-labels-idx1-ubyte.gz": 5_148,
    },
    n_samples={"train": 60_000, "test": 10_000},
    classes=(
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
)


def check_split(split, spec: IdxDataset) -> str:
    if split not in spec.files:
        raise ValueError(f"split must be one of {tuple(spec.files)} for {spec.name}; got {split!r}")
    return split


def local_file(folder: Path, name: str) -> Path | None:
    """``folder / name`` if it exists, else the un-gzipped ``folder / name[:-3]``, else ``None``."""
    candidates = [folder / name]
    if name.endswith(_GZ):
        candidates.append(folder / name[: -len(_GZ)])
    for path in candidates:
        if path.is_file():
            return path
    return None


def missing_files(spec: IdxDataset, folder: Path, splits: Sequence[str] = SPLITS) -> list[str]:
    """The names of ``splits``' files of which no copy (gzipped or not) is in ``folder``."""
    return [name for split in splits for name in spec.files[split] if local_file(folder, name) is None]


def still_missing(spec: IdxDataset, folder: Path, splits: Sequence[str]) -> str:
    """The files missing from ``folder``: those of ``splits`` first, then the other splits'
    (``deltaprop train`` reads the test split after the training one), so that the files
    named are every one to copy in, not the first split's alone."""
    asked = missing_files(spec, folder, splits)
    others = [split for split in spec.files if split not in splits and missing_files(spec, folder, [split])]
    named = ", ".join(asked)
    for split in others:
        named += f", and the {split} split's {', '.join(missing_files(spec, folder, [split]))}"
    return named + (", which a run reads too" if others else "")


def dataset_folder(spec: IdxDataset, data_dir: str | os.PathLike | None = None) -> Path:
    """The folder of ``spec``'s files: ``spec.folder`` under the data root
    (:func:`~deltaprop.datasets.paths.data_home`), or the root itself where the root is that
    folder: named as it (``DELTAPROP_DATA=/data/mnist``), holding some of the set's files, and
    with no subfolder of that name below it. Only a folder of the set's own name is taken so:
    MNIST and Fashion-MNIST files have the same names."""
    root = data_home(data_dir)
    folder = root / spec.folder
    if root.name == spec.folder and not folder.exists():
        if len(missing_files(spec, root)) < sum(len(names) for names in spec.files.values()):
            return root
    return folder


def _root_hint(spec: IdxDataset, folder: Path) -> str:
    """What to say when the data root is another set's folder (``DELTAPROP_DATA=/data/mnist``
    for Fashion-MNIST): set it to the folder above, which holds them both."""
    root = folder.parent
    if root.name in (MNIST.folder, FASHION_MNIST.folder) and root.name != spec.folder:
        return (
            f" {root} is the folder of the {root.name} files, not a data root: set {ENV_VAR} to the "
            f"folder above it ({root.parent}), which holds {MNIST.folder}/ and {FASHION_MNIST.folder}/."
        )
    return ""


def download_idx_dataset(
    spec: IdxDataset,
    *,
    splits: Sequence[str] = SPLITS,
    data_dir: str | os.PathLike | None = None,
    progress: Progress | bool | None = None,
    mirrors: Sequence[str] | None = None,
) -> Path:
    """Fetch the files of ``splits`` that are not already present; return the data set's folder.

    Files already present (gzipped or not) are left alone; the others are downloaded and
    verified against ``spec.sha256``. ``progress``: see :func:`load_mnist`. Raises
    :class:`~deltaprop.errors.DownloadError` on failure, naming every file still missing and
    how to provide them without a download.
    """
    for split in splits:
        check_split(split, spec)
    mirrors = check_mirrors(spec.mirrors if mirrors is None else mirrors)
    progress = check_progress(progress, spec.name)
    folder = dataset_folder(spec, data_dir)
    wanted = set(missing_files(spec, folder, splits))
    todo = [remote for remote in spec.remote_files(splits) if remote.name in wanted]
    if todo:
        try:
            fetch_files(todo, folder, mirrors, progress=progress)
        except DownloadError as err:
            still = still_missing(spec, folder, splits)
            raise DownloadError(
                f"{err}\n{spec.name} files still missing in {folder}: {still}. If you have them "
                f"elsewhere, set {ENV_VAR} (or, from Python, pass data_dir=) to the folder holding "
                f"{spec.folder}/.{_root_hint(spec, folder)}"
            ) from err
    return folder


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
            raise FileNotFoundError(
                f"{spec.name} {split} files not found in {folder} (missing: {missing}). "
                f"Pass download=True, run `deltaprop datasets download {spec.name}`, or set "
                f"{ENV_VAR} to a folder holding {spec.folder}/ with these files.{_root_hint(spec, folder)}"
            )
        download_idx_dataset(spec, splits=[split], data_dir=data_dir, progress=progress, mirrors=mirrors)
    images_name, labels_name = spec.files[split]
    images_path, labels_path = local_file(folder, images_name), local_file(folder, labels_name)
    try:
        images = read_idx_images(images_path, max_bytes=DEFAULT_MAX_BYTES)
        labels = read_idx_labels(labels_path, n_classes=len(spec.classes))
    except DataFileError as err:  # a damaged copy: say how to get a good one
        raise DataFileError(
            f"{err}\nDelete the damaged file: the next load with download=True fetches a verified "
            f"copy (or put a good copy there by hand)."
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
        ``False``, missing files raise ``FileNotFoundError``.
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
    DataFileError : a file is malformed (see :func:`deltaprop.datasets.idx.read_idx`), the image
        and label counts differ, or a label is outside 0..9.
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
