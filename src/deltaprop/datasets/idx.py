"""A strict reader for IDX files, the format of MNIST and Fashion-MNIST.

An IDX file is big-endian: a four-byte magic number ``0x00 0x00 <type> <ndim>``, then
``ndim`` unsigned 32-bit sizes, then the data, row-major. ``<type>`` is one of the codes in
:data:`IDX_TYPES` (MNIST uses ``0x08``, unsigned bytes). MNIST's images file has magic
2051 (``0x00000803``: bytes, 3 dimensions ``(n, 28, 28)``) and its labels file 2049
(``0x00000801``: bytes, 1 dimension ``(n,)``). A file may be gzipped; that is recognised by
its first two bytes, not by its name.

The reader trusts nothing in the file. It checks the magic number and the sizes, computes how
many bytes the header promises and compares that with what is really there *before* it
allocates anything, and inflates gzip data in bounded steps, never more than the header
promised plus one byte, so a gzip bomb cannot fill memory. Whatever is wrong raises
:class:`~deltaprop.errors.DataFileError` naming the file and the fault.
"""

from __future__ import annotations

import math
import os
import zlib
from pathlib import Path

import numpy as np

from ..errors import DataFileError
from .size_limit import DEFAULT_MAX_BYTES  # refused: a header promising more (MNIST's largest: 47 MB)

#: IDX type code -> big-endian NumPy dtype of one element.
IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
IMAGES_MAGIC = 0x00000803  # 2051: unsigned bytes, 3 dimensions
LABELS_MAGIC = 0x00000801  # 2049: unsigned bytes, 1 dimension

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 31  # zlib: expect a gzip header and trailer (and check its CRC-32 and length)
_CHUNK = 1 << 20
_MAGIC_BYTES = 4
_SIZE_BYTES = 4


class _RawSource:
    """Bytes of an uncompressed file; ``remaining`` is known from the file's size."""

    def __init__(self, fileobj, size: int):
        self._file = fileobj
        self.remaining: int | None = size

    def read(self, n: int) -> bytearray:
        data = bytearray(n)  # n is at most the file's size (checked before the data are read)
        got = self._file.readinto(data)
        del data[got:]
        self.remaining -= got
        return data


class _GunzipSource:
    """Bytes of a gzipped file, inflated on demand and never more than asked for.

    ``read(n)`` returns at most ``n`` bytes (fewer only at the end of the data); concatenated
    gzip members are read one after another, as gzip(1) does.
    """

    remaining = None  # unknown until inflated

    def __init__(self, fileobj, name: str):
        self._file = fileobj
        self._name = name
        self._inflater = zlib.decompressobj(wbits=_GZIP_WBITS)
        self._pending = b""  # compressed input not yet given to the inflater

    def read(self, n: int) -> bytearray:
        out = bytearray()
        try:
            while len(out) < n:
                if self._inflater.eof:
                    rest = self._inflater.unused_data or self._file.read(_CHUNK)
                    if not rest:
                        break  # the clean end of the last member
                    self._inflater = zlib.decompressobj(wbits=_GZIP_WBITS)
                    self._pending = rest
                if not self._pending:
                    self._pending = self._file.read(_CHUNK)
                    if not self._pending:
                        raise DataFileError(
                            f"{self._name}: the gzip stream is truncated (it ends before its end marker); "
                            f"the file was probably cut short while being copied or downloaded"
                        )
                out += self._inflater.decompress(self._pending, n - len(out))
                self._pending = self._inflater.unconsumed_tail
        except zlib.error as err:
            raise DataFileError(f"{self._name}: corrupt gzip data ({err})") from err
        return out  # a bytearray: the array made on it is writable, and no copy is needed


def _describe_magic(magic: int) -> str:
    return f"{magic} (0x{magic:08X})"


def _read_header(source, name: str, expect_magic: int | None) -> tuple[np.dtype, tuple[int, ...], int]:
    head = source.read(_MAGIC_BYTES)
    if len(head) < _MAGIC_BYTES:
        raise DataFileError(
            f"{name}: too short to be an IDX file ({len(head)} bytes; the magic number alone needs 4)"
        )
    magic = int.from_bytes(head, "big")
    if expect_magic is not None and magic != expect_magic:
        raise DataFileError(
            f"{name}: wrong magic number {_describe_magic(magic)}; expected {_describe_magic(expect_magic)} "
            f"(IDX, type 0x{(expect_magic >> 8) & 0xFF:02X}, {expect_magic & 0xFF} dimension(s)). "
            f"Is this the right file?"
        )
    if head[0] != 0 or head[1] != 0:
        raise DataFileError(
            f"{name}: not an IDX file: magic number {_describe_magic(magic)} "
            f"does not start with two zero bytes"
        )
    type_code, ndim = head[2], head[3]
    if type_code not in IDX_TYPES:
        known = ", ".join(f"0x{code:02X}" for code in IDX_TYPES)
        raise DataFileError(f"{name}: unknown IDX type code 0x{type_code:02X}; known codes are {known}")
    if ndim == 0:
        raise DataFileError(f"{name}: the IDX header declares 0 dimensions; expected at least 1")
    raw_sizes = source.read(_SIZE_BYTES * ndim)
    if len(raw_sizes) < _SIZE_BYTES * ndim:
        raise DataFileError(
            f"{name}: truncated IDX header: it declares {ndim} dimension(s), which need "
            f"{_SIZE_BYTES * ndim} bytes of sizes, but only {len(raw_sizes)} follow the magic number"
        )
    shape = tuple(
        int.from_bytes(raw_sizes[k : k + _SIZE_BYTES], "big") for k in range(0, len(raw_sizes), _SIZE_BYTES)
    )
    dtype = IDX_TYPES[type_code]
    n_bytes = math.prod(shape) * dtype.itemsize  # a Python int: cannot overflow
    return dtype, shape, n_bytes


def read_idx(
    path: str | os.PathLike, *, expect_magic: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> np.ndarray:
    """Read an IDX file (gzipped or not) into an array of the shape its header declares.

    Parameters
    ----------
    path : the file.
    expect_magic : if given, the magic number the file must carry (e.g. :data:`IMAGES_MAGIC`).
    max_bytes : refuse a file whose header promises more data bytes than this.

    Returns
    -------
    ndarray of shape ``(d_1, ..., d_ndim)`` in the native-endian form of the file's type
    (``uint8`` for MNIST); a new, writable array that owns its memory.

    Raises
    ------
    DataFileError : wrong magic number, unknown type code, truncated header or data, trailing
        bytes after the data, corrupt gzip stream, or a header promising more than ``max_bytes``.
    FileNotFoundError : no file at ``path``.
    """
    path = Path(path)
    name = str(path)
    with open(path, "rb") as fileobj:
        is_gzip = fileobj.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        fileobj.seek(0)
        if is_gzip:
            source = _GunzipSource(fileobj, name)
        else:
            source = _RawSource(fileobj, os.fstat(fileobj.fileno()).st_size)
        dtype, shape, n_bytes = _read_header(source, name, expect_magic)
        if n_bytes > max_bytes:
            raise DataFileError(
                f"{name}: the IDX header declares shape {shape} of {dtype.name}, {n_bytes:,} bytes of data, "
                f"more than the limit of {max_bytes:,} bytes; the file is corrupt or hostile "
                f"(raise max_bytes if it is genuine)"
            )
        if math.prod(size for size in shape if size) * dtype.itemsize > max_bytes:
            # An empty array (a size of 0) whose other sizes are absurd: NumPy cannot hold the shape.
            raise DataFileError(
                f"{name}: the IDX header declares shape {shape}, an empty array whose other sizes "
                f"exceed the limit of {max_bytes:,} bytes; the file is corrupt or hostile"
            )
        if source.remaining is not None and source.remaining != n_bytes:
            # Uncompressed: the size is known, so compare before allocating anything.
            raise DataFileError(_size_mismatch(name, shape, dtype, n_bytes, source.remaining))
        data = source.read(n_bytes)
        if len(data) < n_bytes:
            raise DataFileError(_size_mismatch(name, shape, dtype, n_bytes, len(data)))
        if source.read(1):
            raise DataFileError(
                f"{name}: trailing bytes after the {n_bytes:,} bytes of data that the IDX header "
                f"declares (shape {shape}); the file is corrupt"
            )
    return np.frombuffer(data, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="), copy=False)


def _size_mismatch(name: str, shape, dtype: np.dtype, expected: int, present: int) -> str:
    if present < expected:
        return (
            f"{name}: truncated: the IDX header declares shape {shape} of {dtype.name}, {expected:,} bytes "
            f"of data, but only {present:,} are present"
        )
    return (
        f"{name}: the IDX header declares shape {shape} of {dtype.name}, {expected:,} bytes of data, "
        f"but {present:,} bytes follow the header; the file is corrupt"
    )


def read_idx_images(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
    """Images from an IDX file with magic 2051: uint8 array ``(n_images, n_rows, n_cols)``."""
    return read_idx(path, expect_magic=IMAGES_MAGIC, max_bytes=max_bytes)


def read_idx_labels(
    path: str | os.PathLike, *, n_classes: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> np.ndarray:
    """Labels from an IDX file with magic 2049: uint8 array ``(n_labels,)``.

    With ``n_classes``, every label must lie in ``0..n_classes - 1``.
    """
    labels = read_idx(path, expect_magic=LABELS_MAGIC, max_bytes=max_bytes)
    if n_classes is not None and labels.size and int(labels.max()) >= n_classes:
        where = int(np.argmax(labels >= n_classes))
        raise DataFileError(
            f"{path}: label {int(labels[where])} at index {where} is outside 0..{n_classes - 1}; "
            f"this is not a {n_classes}-class label file"
        )
    return labels
