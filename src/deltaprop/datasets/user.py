"""The user's own data: CSV text and NumPy ``.npz`` archives, read strictly and safely.

Both loaders return ``(X, y)``: ``X`` a finite ``(n_samples, n_features)`` array of ``dtype``
and ``y`` the targets (see each function for how labels are typed), or ``None`` when the file
has no label column/array. A malformed, truncated or hostile file raises
:class:`~deltaprop.errors.DataFileError` saying where and what; a file larger than
``max_bytes`` is refused before it is read. ``.npz`` files are always opened with
``allow_pickle=False``, and a Python-object array inside one is refused before NumPy is
asked to read it: loading data never runs code. Each loader has its module,
:mod:`.csv_file` and :mod:`.npz_file`, and both apply the limit of :mod:`.size_limit`;
their public names are importable from here too.
"""

from .csv_file import HEADER_CHOICES, MAX_EXACT_INTEGER, MAX_NAMED_CLASSES, load_csv
from .csv_layout import MISSING_MARKERS
from .npz_file import load_npz
from .size_limit import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "HEADER_CHOICES",
    "MAX_EXACT_INTEGER",
    "MAX_NAMED_CLASSES",
    "MISSING_MARKERS",
    "load_csv",
    "load_npz",
]
