"""The IDX reader: round trips, and every way a file can be wrong, each with its message."""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zlib

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import read_idx, read_idx_images, read_idx_labels
from deltaprop.datasets.idx import IMAGES_MAGIC, LABELS_MAGIC


@pytest.fixture
def images():
    return np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5)


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_round_trip_of_images_and_labels(tmp_path, idx_encode, images, compress):
    pack = (lambda b: gzip.compress(b, mtime=0)) if compress else (lambda b: b)
    img_path = write(tmp_path, "img", pack(idx_encode(images)))
    lab_path = write(tmp_path, "lab", pack(idx_encode(np.array([3, 1, 4], dtype=np.uint8))))
    got = read_idx_images(img_path)
    assert got.dtype == np.uint8 and got.shape == (3, 4, 5)
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(read_idx_labels(lab_path, n_classes=10), [3, 1, 4])


@pytest.mark.parametrize(
    ("code", "dtype"),
    [(0x09, np.int8), (0x0B, np.int16), (0x0C, np.int32), (0x0D, np.float32), (0x0E, np.float64)],
)
def test_every_idx_type_reads_big_endian_into_native_order(tmp_path, idx_encode, code, dtype):
    array = np.array([[-2, 7], [1, 100]], dtype=dtype)
    got = read_idx(write(tmp_path, "x", idx_encode(array, type_code=code)))
    assert got.dtype == np.dtype(dtype) and got.dtype.isnative
    np.testing.assert_array_equal(got, array)


def test_concatenated_gzip_members_are_read_as_one_stream(tmp_path, idx_encode, images):
    raw = idx_encode(images)
    data = gzip.compress(raw[:30], mtime=0) + gzip.compress(raw[30:], mtime=0)
    np.testing.assert_array_equal(read_idx_images(write(tmp_path, "x.gz", data)), images)


def test_wrong_magic_number_names_the_file_and_both_numbers(tmp_path, idx_encode):
    path = write(tmp_path, "labels-as-images", idx_encode(np.zeros(5, dtype=np.uint8)))
    with pytest.raises(
        DataFileError,
        match=r"labels-as-images: wrong magic number 2049 \(0x00000801\); "
        r"expected 2051 \(0x00000803\)",
    ):
        read_idx_images(path)
    images_path = write(tmp_path, "images-as-labels", idx_encode(np.zeros((1, 2, 2), dtype=np.uint8)))
    with pytest.raises(DataFileError, match=r"expected 2049"):
        read_idx_labels(images_path)
    assert (IMAGES_MAGIC, LABELS_MAGIC) == (2051, 2049)


def test_magic_must_start_with_two_zero_bytes(tmp_path):
    path = write(tmp_path, "png", b"\x89PNG\r\n\x1a\n" + bytes(20))
    with pytest.raises(DataFileError, match=r"png: not an IDX file: .*does not start with two zero bytes"):
        read_idx(path)


def test_unknown_type_code(tmp_path):
    path = write(tmp_path, "t", b"\x00\x00\x07\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(DataFileError, match=r"t: unknown IDX type code 0x07; known codes are 0x08, 0x09"):
        read_idx(path)


def test_zero_dimensions(tmp_path):
    with pytest.raises(DataFileError, match="declares 0 dimensions"):
        read_idx(write(tmp_path, "z", b"\x00\x00\x08\x00"))


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00\x00\x08"])
def test_too_short_for_a_magic_number(tmp_path, data):
    with pytest.raises(DataFileError, match=rf"too short to be an IDX file \({len(data)} bytes"):
        read_idx(write(tmp_path, "short", data))


def test_truncated_header(tmp_path):
    data = b"\x00\x00\x08\x03" + struct.pack(">I", 2) + b"\x00\x00"
    with pytest.raises(
        DataFileError,
        match=r"truncated IDX header: it declares 3 dimension\(s\), which need 12 "
        r"bytes of sizes, but only 6 follow",
    ):
        read_idx(write(tmp_path, "h", data))


@pytest.mark.parametrize("compress", [False, True])
def test_truncated_data_says_how_much_is_missing(tmp_path, idx_encode, images, compress):
    raw = idx_encode(images)[:-7]  # 60 data bytes declared, 53 present
    data = gzip.compress(raw, mtime=0) if compress else raw
    with pytest.raises(
        DataFileError,
        match=r"truncated: the IDX header declares shape \(3, 4, 5\) of uint8, "
        r"60 bytes of data, but only 53 are present",
    ):
        read_idx_images(write(tmp_path, "cut", data))


def test_trailing_bytes_in_a_plain_file(tmp_path, idx_encode, images):
    with pytest.raises(DataFileError, match=r"60 bytes of data, but 61 bytes follow the header"):
        read_idx_images(write(tmp_path, "long", idx_encode(images) + b"\x00"))


def test_trailing_bytes_in_a_gzipped_file(tmp_path, idx_encode, images):
    data = gzip.compress(idx_encode(images) + b"junk", mtime=0)
    with pytest.raises(DataFileError, match=r"trailing bytes after the 60 bytes of data"):
        read_idx_images(write(tmp_path, "long.gz", data))


def test_huge_header_is_refused_before_any_allocation(tmp_path):
    # 2**32-1 cubed bytes (about 8e28) declared by a 16-byte file.
    data = b"\x00\x00\x08\x03" + struct.pack(">III", 2**32 - 1, 2**32 - 1, 2**32 - 1)
    with pytest.raises(
        DataFileError, match=r"more than the limit of 1,073,741,824 bytes; the file is corrupt or"
    ):
        read_idx_images(write(tmp_path, "huge", data))


def test_header_claiming_more_than_a_plain_file_holds(tmp_path):
    data = b"\x00\x00\x08\x03" + struct.pack(">III", 60000, 28, 28) + bytes(100)
    with pytest.raises(DataFileError, match=r"47,040,000 bytes of data, but only 100 are present"):
        read_idx_images(write(tmp_path, "liar", data))


def test_max_bytes_is_the_callers_limit(tmp_path, idx_encode, images):
    with pytest.raises(DataFileError, match=r"60 bytes of data, more than the limit of 59 bytes"):
        read_idx_images(write(tmp_path, "x", idx_encode(images)), max_bytes=59)


def test_truncated_gzip_stream(tmp_path, idx_encode, images):
    data = gzip.compress(idx_encode(images), mtime=0)[:-8]  # the CRC/length trailer is gone
    with pytest.raises(DataFileError, match=r"the gzip stream is truncated"):
        read_idx_images(write(tmp_path, "cut.gz", data))


def test_corrupt_gzip_stream(tmp_path, idx_encode, images):
    data = bytearray(gzip.compress(idx_encode(images), mtime=0))
    data[-6] ^= 0xFF  # damage the stored CRC-32
    with pytest.raises(DataFileError, match=r"cut.gz: corrupt gzip data"):
        read_idx_images(write(tmp_path, "cut.gz", bytes(data)))


def test_gzip_bomb_is_not_inflated_beyond_the_header(tmp_path):
    # A 16-byte header promising 4 bytes of data, followed by 64 MiB of compressed zeros.
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [deflate.compress(b"\x00\x00\x08\x03" + struct.pack(">III", 1, 2, 2))]
    chunk = bytes(1 << 20)
    parts += [deflate.compress(chunk) for _ in range(64)]
    parts.append(deflate.flush())
    path = write(tmp_path, "bomb.gz", b"".join(parts))
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError, match=r"trailing bytes after the 4 bytes of data"):
            read_idx_images(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"peak allocation {peak:,} bytes while reading a 64 MiB gzip bomb"


def test_label_outside_the_classes(tmp_path, idx_encode):
    path = write(tmp_path, "lab", idx_encode(np.array([1, 2, 12, 3], dtype=np.uint8)))
    with pytest.raises(DataFileError, match=r"lab: label 12 at index 2 is outside 0..9"):
        read_idx_labels(path, n_classes=10)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nope")


def test_empty_array_with_absurd_other_sizes(tmp_path):
    # 0 images of 266010 x 3504555 x 9893704: zero bytes, but no array can have that shape.
    data = b"\x00\x00\x08\x04" + struct.pack(">IIII", 0, 266010, 3504555, 9893704)
    with pytest.raises(DataFileError, match=r"an empty array whose other sizes exceed the limit"):
        read_idx(write(tmp_path, "empty", data))


@pytest.mark.parametrize("compress", [False, True])
def test_arrays_read_are_writable_and_own_their_memory(tmp_path, idx_encode, images, compress):
    # Before the fix the array was a read-only view of an immutable bytes object.
    data = idx_encode(images)
    path = write(tmp_path, "images.idx", gzip.compress(data) if compress else data)
    got = read_idx_images(path)
    got[0, 0, 0] = 255
    assert got.flags.writeable and got[0, 0, 0] == 255
