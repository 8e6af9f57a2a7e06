"""The size limit on a user's data file: refused, before it is read, when larger than ``max_bytes``.

A data file is read whole into memory, so a file far larger than the data it should hold (a
wrong path, a hostile file) is refused by its size on disk before a byte of it is read.
:data:`DEFAULT_MAX_BYTES` is the default of every loader's ``max_bytes``; :func:`check_file_size`
applies it.
"""

from __future__ import annotations

from pathlib import Path

from .._validation import check_positive_int
from ..errors import DataFileError

#: Files larger than this are refused unless ``max_bytes`` is raised (1 GiB).
DEFAULT_MAX_BYTES = 1 << 30


def check_file_size(path: Path, max_bytes: int) -> None:
    """Refuse ``path`` if it is larger than ``max_bytes`` (a ``DataFileError`` naming both sizes)."""
    max_bytes = check_positive_int(max_bytes, "max_bytes")
    size = path.stat().st_size  # FileNotFoundError for a missing file, as open() would raise
    if size > max_bytes:
        raise DataFileError(
            f"{path}: the file is {size:,} bytes, more than the limit of {max_bytes:,} bytes "
            f"(pass a larger max_bytes to read it anyway)"
        )
