"""Fuzzing the loaders with hostile files (issue 7): random bytes and mutations of valid files.

The property for every loader: it either returns well-formed arrays or raises DataFileError
(never another exception type, never a hang, never an allocation beyond what the file
holds). Examples are kept small and few enough that this module runs in a few seconds.
"""

from __future__ import annotations

import gzip
import io
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deltaprop import DataFileError
from deltaprop.datasets import load_csv, load_npz, read_idx, read_idx_images, read_idx_labels
from memory_peak import peak_bytes

FUZZ = settings(
    max_examples=100,
    deadline=None,  # a shared 2-core machine: time limits would only make the test flaky
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _valid_idx() -> bytes:
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    return struct.pack(">BBBB", 0, 0, 8, 3) + struct.pack(">III", 2, 3, 4) + images.tobytes()


VALID_IDX = _valid_idx()
VALID_IDX_GZ = gzip.compress(VALID_IDX, mtime=0)


def _mutate(data: bytes, draw) -> bytes:
    """One of: cut short, flip a byte, overwrite a 4-byte word with any uint32, append junk."""
    kind = draw(st.sampled_from(["truncate", "flip", "word", "append"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if kind == "word":
        at = draw(st.integers(0, max(len(data) - 4, 0)))
        return data[:at] + struct.pack(">I", draw(st.integers(0, 2**32 - 1))) + data[at + 4 :]
    return data + draw(st.binary(min_size=1, max_size=32))


def _read_or_refuse(reader, path) -> np.ndarray | None:
    try:
        return reader(path)
    except DataFileError as err:
        assert str(path) in str(err)
        return None


@FUZZ
@given(data=st.binary(max_size=300))
def test_idx_random_bytes(tmp_path, data):
    path = tmp_path / "random.idx"
    path.write_bytes(data)
    result = _read_or_refuse(read_idx, path)
    if result is not None:  # a header that happens to be valid with exactly the data it declares
        assert result.size * result.itemsize == len(data) - 4 - 4 * result.ndim


@FUZZ
@given(draw=st.data(), compressed=st.booleans())
def test_idx_mutations_of_a_valid_file(tmp_path, draw, compressed):
    data = _mutate(VALID_IDX_GZ if compressed else VALID_IDX, draw.draw)
    path = tmp_path / "mutant.idx"
    path.write_bytes(data)
    images = _read_or_refuse(read_idx_images, path)
    if images is not None:
        assert images.dtype == np.uint8 and images.ndim == 3
    labels = _read_or_refuse(lambda p: read_idx_labels(p, n_classes=10), path)
    assert labels is None  # an images file is never a labels file


@FUZZ
@given(shape=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=6), body=st.binary(max_size=64))
def test_idx_headers_with_any_dimensions(tmp_path, shape, body):
    data = struct.pack(">BBBB", 0, 0, 8, len(shape)) + struct.pack(f">{len(shape)}I", *shape) + body
    path = tmp_path / "dims.idx"
    path.write_bytes(data)
    result = _read_or_refuse(read_idx, path)
    if result is not None:
        assert result.shape == tuple(shape) and result.size == len(body)


VALID_CSV = b"x1,x2,label\n0.5,1.5,cat\n-2,0.3,dog\n4,5,cat\n"


@FUZZ
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_csv_random_content(tmp_path, data):
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    try:
        X, y = load_csv(path)
    except DataFileError as err:
        assert str(path) in str(err)
        return
    assert X.ndim == 2 and X.shape[1] >= 1 and np.isfinite(X).all() and len(y) == len(X)


@FUZZ
@given(draw=st.data())
def test_csv_mutations_of_a_valid_file(tmp_path, draw):
    path = tmp_path / "mutant.csv"
    path.write_bytes(_mutate(VALID_CSV, draw.draw))
    try:
        X, y = load_csv(path, "label")
    except DataFileError as err:
        assert str(path) in str(err)
        return
    assert X.ndim == 2 and np.isfinite(X).all() and y.shape == (len(X),)


def _valid_npz(compressed: bool) -> bytes:
    buffer = io.BytesIO()
    save = np.savez_compressed if compressed else np.savez
    save(buffer, X=np.arange(6.0).reshape(3, 2), y=np.array([0, 1, 1]))
    return buffer.getvalue()


VALID_NPZ = {False: _valid_npz(False), True: _valid_npz(True)}


@FUZZ
@given(data=st.binary(max_size=400))
def test_npz_random_bytes(tmp_path, data):
    path = tmp_path / "random.npz"
    path.write_bytes(b"PK\x03\x04" + data)  # start like a zip, to get past the first check
    with pytest.raises(DataFileError, match="random.npz"):
        load_npz(path)


@FUZZ
@given(draw=st.data(), compressed=st.booleans())
def test_npz_mutations_of_a_valid_file(tmp_path, draw, compressed):
    path = tmp_path / "mutant.npz"
    path.write_bytes(_mutate(VALID_NPZ[compressed], draw.draw))
    try:
        X, y = load_npz(path)
    except DataFileError as err:
        assert str(path) in str(err)
        return
    assert X.shape == (3, 2) and np.isfinite(X).all() and y.shape == (3,)


# --- headers that claim far more than the file holds: refused before the claim is allocated ---------

# Anything the loaders allocate for a file of a few hundred bytes stays under this; a claim
# honoured would be thousands of times more. (The gzip reader reads its input in 1 MiB
# chunks, so a gzipped file may cost one such chunk whatever its size.)
SMALL_ALLOCATION = 2 * (1 << 20)


def _peak_of_refusal(load, path, match) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError, match=match):
            load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def _idx_claiming(shape, body: bytes) -> bytes:
    return struct.pack(">BBBB", 0, 0, 8, len(shape)) + struct.pack(f">{len(shape)}I", *shape) + body


@pytest.mark.parametrize("compressed", [False, True], ids=["raw", "gzip"])
def test_an_idx_header_claiming_a_gigabyte_allocates_nothing_like_it(tmp_path, compressed):
    data = _idx_claiming((1000, 1000, 1000), bytes(100))  # 10^9 bytes claimed, under the 1 GiB limit
    path = tmp_path / ("claim.idx.gz" if compressed else "claim.idx")
    path.write_bytes(gzip.compress(data, mtime=0) if compressed else data)
    peak = _peak_of_refusal(
        read_idx, path, r"declares shape \(1000, 1000, 1000\).*1,000,000,000 bytes.*only 100"
    )
    assert peak < SMALL_ALLOCATION, (
        f"a {path.stat().st_size}-byte file claiming 1 GB allocated {peak:,} bytes"
    )


def test_an_npy_header_claiming_a_terabyte_inside_an_npz_allocates_nothing_like_it(tmp_path):
    member = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        member, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}
    )
    member.write(bytes(64))
    path = tmp_path / "claim.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("X.npy", member.getvalue())
        archive.writestr("y.npy", member.getvalue())
    peak = _peak_of_refusal(load_npz, path, r"declares shape \(1000000, 1000000\).*8,000,000,000,000 bytes")
    assert peak < SMALL_ALLOCATION, (
        f"a {path.stat().st_size}-byte archive claiming 8 TB allocated {peak:,} bytes"
    )


def test_a_compressed_npz_inflating_beyond_max_bytes_is_refused_before_inflating(tmp_path):
    # 8 MB of zeros deflate to a few kilobytes: the archive's directory says how large the
    # array inflates to, and that is checked against max_bytes before any byte is inflated.
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, X=np.zeros((1000, 1000)), y=np.zeros(1000))
    assert path.stat().st_size < 100_000
    peak = _peak_of_refusal(
        lambda p: load_npz(p, max_bytes=1_000_000),
        path,
        r"array 'X' claims 8,000,128 bytes, more than the limit",
    )
    assert peak < SMALL_ALLOCATION, f"refusing a {path.stat().st_size}-byte archive allocated {peak:,} bytes"


@pytest.mark.parametrize("loader", [load_csv, load_npz, read_idx], ids=lambda f: f.__name__)
def test_a_file_over_max_bytes_is_refused_without_being_read(tmp_path, loader):
    # 3 MiB under a 1 MiB limit: CSV and NPZ are refused by the file's size, IDX by what its
    # header declares; either way before the data are read.
    path = tmp_path / "big"
    path.write_bytes(_idx_claiming((3 << 20,), bytes(3 << 20)))
    peak = _peak_of_refusal(
        lambda p: loader(p, max_bytes=1 << 20), path, "more than the limit of 1,048,576 bytes"
    )
    assert peak < SMALL_ALLOCATION, f"refusing a 3 MiB file allocated {peak:,} bytes"


# What load_npz costs for a genuine archive: the arrays it returns, plus a small margin (no
# copy of an X already of the dtype asked for).
NPZ_PEAK_OVER_RESULT = 1.3


@pytest.mark.parametrize("compressed", [False, True], ids=["stored", "deflated"])
def test_loading_an_npz_costs_about_the_arrays_it_returns(tmp_path, compressed):
    path = tmp_path / "data.npz"
    (np.savez_compressed if compressed else np.savez)(
        path, X=np.zeros((2000, 500)), y=np.zeros(2000, np.int64)
    )
    peak, (X, y) = peak_bytes(lambda: load_npz(path))
    assert peak < NPZ_PEAK_OVER_RESULT * (X.nbytes + y.nbytes), f"{peak:,} bytes for {X.nbytes + y.nbytes:,}"
