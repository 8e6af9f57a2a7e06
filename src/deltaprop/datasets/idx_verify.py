"""Whether a file on disk is the data set's file it is named as: its size, then its SHA-256.

A download is checked as it arrives (:mod:`deltaprop.datasets.download`); this checks the files
already there, whoever put them there: a copy made by hand, another set's file copied into the
wrong folder (MNIST and Fashion-MNIST files have the same names), a copy cut short.

- A gzipped file must be the published file byte for byte: ``IdxDataset.sizes`` and
  ``IdxDataset.sha256``, the checksums the mirrors publish. (A file re-compressed by hand differs
  byte for byte though its images do not: un-gzip it, and it is checked as one.)
- An un-gzipped file must be the published file's decompressed bytes: ``raw_sizes`` and
  ``raw_sha256``. A set that records no such hash (a test's fake) has its un-gzipped files checked
  by the IDX reader alone (magic number, sizes, length).

Gzipped or not is told by the first two bytes, not by the name. A file of the wrong size is
refused without being hashed. A digest is remembered for the life of the process, keyed by
``(path, size, mtime_ns)``: a set loaded again is not hashed again, and a file replaced since is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from .idx_sets import IdxDataset

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
_digests: dict[tuple[str, int, int], str] = {}  # (path, size, mtime_ns) -> SHA-256


def file_sha256(path: Path) -> str:
    """The SHA-256 of ``path``'s bytes, hashed once per process for each (size, mtime) it has."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _digests:
        digest = hashlib.sha256()
        with open(path, "rb") as fileobj:
            while chunk := fileobj.read(_CHUNK):
                digest.update(chunk)
        _digests[key] = digest.hexdigest()
    return _digests[key]


def is_gzip(path: Path) -> bool:
    """Whether ``path`` holds gzip data; a file too short to tell (empty) is as its name says."""
    with open(path, "rb") as fileobj:
        head = fileobj.read(len(_GZIP_MAGIC))
    return head == _GZIP_MAGIC or (len(head) < len(_GZIP_MAGIC) and path.suffix == ".gz")


def _expected(spec: IdxDataset, name: str, gzipped: bool) -> tuple[str | None, int | None]:
    if gzipped:
        return spec.sha256.get(name), spec.sizes.get(name)
    return spec.raw_sha256.get(name), spec.raw_sizes.get(name)


def identify(path: Path, sets: Sequence[IdxDataset]) -> tuple[IdxDataset, str] | None:
    """The set and file name (gzipped name) among ``sets`` whose file ``path`` is, if any."""
    gzipped = is_gzip(path)
    size = path.stat().st_size
    for spec in sets:
        for name in spec.sha256:
            sha, expected_size = _expected(spec, name, gzipped)
            if sha is not None and expected_size in (None, size) and file_sha256(path) == sha:
                return spec, name
    return None


def file_fault(spec: IdxDataset, name: str, path: Path) -> str | None:
    """Why ``path`` is not ``spec``'s file ``name`` (its gzipped name), or ``None`` if it is or
    cannot be told (an un-gzipped file of a set that records no un-gzipped hash)."""
    gzipped = is_gzip(path)
    sha, size = _expected(spec, name, gzipped)
    form = "gzipped" if gzipped else "un-gzipped"
    present = path.stat().st_size
    if size is not None and present != size:
        cut = " (cut short while copied or downloaded?)" if present < size else ""
        return f"it has {present:,} bytes, but {spec.name}'s {name} ({form}) has {size:,}{cut}"
    if sha is None:
        return None
    got = file_sha256(path)
    if got != sha:
        return f"its SHA-256 is {got}, but {spec.name}'s {name} ({form}) has {sha}"
    return None
