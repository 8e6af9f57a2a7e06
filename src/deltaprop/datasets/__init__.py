"""Data sets: arrays ``(X, y)`` with samples on axis 0, ready for a network.

- MNIST and Fashion-MNIST from their IDX files, downloaded and verified on first use
  (``progress=True`` shows a download bar on stderr): :func:`load_mnist`,
  :func:`load_fashion_mnist`, :func:`load_mnist_split`.
- Built in, no download: :func:`load_digits` (8x8 digits), :func:`xor`, and the 2-D toy
  sets :func:`make_moons`, :func:`make_circles`, :func:`make_spiral`, :func:`make_blobs`.
- The user's own files: :func:`load_csv`, :func:`load_npz`.
- :func:`train_validation_split`: a seeded, stratified validation set carved from training data.
- :func:`list_datasets`, :func:`download_dataset`, :func:`load`: the catalogue by name.
- :func:`load_by_name`: a run's data as its ``[data]`` table names it, a built-in set or a file.

Images come as rows of pixels scaled to [0, 1]; class labels as ``int64``. Files are looked
for under ``data_dir``, else ``$DELTAPROP_DATA``, else ``~/.cache/deltaprop`` (see
:mod:`deltaprop.datasets.paths`). Nothing here prints or knows about training.
"""

from .by_name import load_by_name
from .catalog import DATASET_NAMES, DatasetInfo, dataset_info, download_dataset, list_datasets, load
from .csv_file import CsvLayoutWarning, load_csv
from .digits import load_digits
from .download import RemoteFile, fetch_files
from .idx import read_idx, read_idx_images, read_idx_labels
from .mnist import (
    FASHION_MNIST,
    FASHION_MNIST_MIRRORS,
    MNIST,
    MNIST_MIRRORS,
    IdxDataset,
    download_idx_dataset,
    load_fashion_mnist,
    load_idx_dataset,
    load_mnist,
)
from .npz_file import load_npz
from .paths import ENV_VAR, data_home, default_cache_dir
from .split import load_fashion_mnist_split, load_mnist_split, train_validation_split
from .toy import make_blobs, make_circles, make_moons, make_spiral, xor

__all__ = [
    "DATASET_NAMES",
    "CsvLayoutWarning",
    "ENV_VAR",
    "FASHION_MNIST",
    "FASHION_MNIST_MIRRORS",
    "MNIST",
    "MNIST_MIRRORS",
    "DatasetInfo",
    "IdxDataset",
    "RemoteFile",
    "data_home",
    "dataset_info",
    "default_cache_dir",
    "download_dataset",
    "download_idx_dataset",
    "fetch_files",
    "list_datasets",
    "load",
    "load_by_name",
    "load_csv",
    "load_digits",
    "load_fashion_mnist",
    "load_fashion_mnist_split",
    "load_idx_dataset",
    "load_mnist",
    "load_mnist_split",
    "load_npz",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_spiral",
    "read_idx",
    "read_idx_images",
    "read_idx_labels",
    "train_validation_split",
    "xor",
]
