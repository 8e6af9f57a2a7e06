"""The registry of IDX data sets (MNIST, Fashion-MNIST): their files, mirrors and checksums.

Each set is four IDX files, gzipped as the mirrors publish them. ``sha256`` and ``sizes`` are the
published files'; ``raw_sha256`` and ``raw_sizes`` are those of the same files un-gzipped (as
torchvision keeps them in ``MNIST/raw/``), recorded once by decompressing the published files, so
that a copy put in by hand is checked whichever of the two forms it takes
(:mod:`deltaprop.datasets.idx_verify`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .download import RemoteFile

SPLITS = ("train", "test")

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


# Both sets hold 60,000 + 10,000 images of 28x28 bytes: a 16-byte images header (magic and three
# sizes), an 8-byte labels header (magic and one size).
_RAW_SIZES = {
    "train-images-idx3-ubyte.gz": 16 + 60_000 * 28 * 28,
    "train-labels-idx1-ubyte.gz": 8 + 60_000,
    "t10k-images-idx3-ubyte.gz": 16 + 10_000 * 28 * 28,
    "t10k-labels-idx1-ubyte.gz": 8 + 10_000,
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
    raw_sha256 : file name (gzipped name) -> SHA-256 of the file un-gzipped; empty where not
        recorded, and then an un-gzipped copy is checked by the IDX reader alone.
    raw_sizes : file name (gzipped name) -> size in bytes of the file un-gzipped.
    torchvision_folder : the folder torchvision keeps the set in (``MNIST``, its files in
        ``MNIST/raw/``), looked in when the set's own folder is not there; ``None``: none.
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
    raw_sha256: Mapping[str, str] = field(default_factory=dict)
    raw_sizes: Mapping[str, int] = field(default_factory=dict)
    torchvision_folder: str | None = None

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
    raw_sha256={
        "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
    raw_sizes=_RAW_SIZES,
    torchvision_folder="MNIST",
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
    raw_sha256={
        "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
    raw_sizes=_RAW_SIZES,
    torchvision_folder="FashionMNIST",
)

#: The sets of this registry: what a file found in the wrong place is looked up among.
IDX_SETS: tuple[IdxDataset, ...] = (MNIST, FASHION_MNIST)


def check_split(split, spec: IdxDataset) -> str:
    if split not in spec.files:
        raise ValueError(f"split must be one of {tuple(spec.files)} for {spec.name}; got {split!r}")
    return split
