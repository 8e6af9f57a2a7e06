"""The framing of a safetensors file, checked byte by byte before safetensors parses it.

A safetensors file is an 8-byte little-endian header length N, N bytes of JSON naming each
tensor's dtype, shape and byte range (plus a ``__metadata__`` map of strings), then the raw
bytes. :func:`check_layout` refuses, with a :class:`ModelFileError` naming the path, a file
whose header length exceeds the file, whose JSON is malformed or names a tensor twice,
whose dtypes are unknown, whose shapes are absurd for the bytes present, or whose byte
ranges leave gaps, overlap or run past the end. After it, the data can claim no more
memory than the file's own size, so a hostile file cannot make the loader allocate more.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np

from .errors import ModelFileError

HEADER_LENGTH_BYTES = 8  # the u64 that opens every safetensors file
MAX_HEADER_BYTES = 100_000_000  # safetensors' own limit on the JSON header
MAX_NDIM = 32  # far beyond what deltaprop writes; bounds the work of checking a shape
DTYPES = {  # safetensors' dtype codes that deltaprop writes, and the NumPy dtype of each
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("bool"),
}


def check_layout(data: bytes, path: Path) -> tuple[dict, dict[str, str]]:
    """Check the safetensors framing byte by byte; return the tensor entries and metadata."""
    size = len(data)
    if size < HEADER_LENGTH_BYTES:
        raise ModelFileError(
            f"{path}: not a safetensors model file: it holds {size} bytes, fewer than the "
            f"{HEADER_LENGTH_BYTES}-byte header length that opens every safetensors file (truncated?)"
        )
    (n_header,) = struct.unpack("<Q", data[:HEADER_LENGTH_BYTES])
    if n_header > size - HEADER_LENGTH_BYTES:
        raise ModelFileError(
            f"{path}: not a safetensors file, or truncated: its first 8 bytes claim a header of "
            f"{n_header} bytes but only {size - HEADER_LENGTH_BYTES} bytes follow"
        )
    if n_header > MAX_HEADER_BYTES:
        raise ModelFileError(f"{path}: header of {n_header} bytes exceeds the limit of {MAX_HEADER_BYTES}")
    raw = data[HEADER_LENGTH_BYTES : HEADER_LENGTH_BYTES + n_header]
    if not raw.startswith(b"{"):
        raise ModelFileError(f"{path}: not a safetensors file: its header does not start with '{{'")
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except _DuplicateKey as err:
        raise ModelFileError(f"{path}: the header names {err.args[0]!r} twice") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ModelFileError(f"{path}: the header is not valid JSON: {err}") from None
    if not isinstance(header, dict):
        raise ModelFileError(f"{path}: the header must be a JSON object; got {type(header).__name__}")
    meta = header.pop("__metadata__", {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise ModelFileError(f"{path}: the header's __metadata__ must map strings to strings")

    n_data = size - HEADER_LENGTH_BYTES - n_header
    spans = []
    for name, entry in header.items():
        spans.append((*_check_entry(name, entry, n_data, path), name))
    # The tensors must tile the data exactly, in order: each begins where the last ended.
    spans.sort()
    end = 0
    for begin, stop, name in spans:
        if begin < end:
            raise ModelFileError(
                f"{path}: tensor {name!r} overlaps the tensor before it (bytes {begin}..{stop})"
            )
        if begin > end:
            raise ModelFileError(f"{path}: {begin - end} unclaimed bytes before tensor {name!r}")
        end = stop
    if end != n_data:
        raise ModelFileError(
            f"{path}: the tensors cover {end} bytes of data but the file holds {n_data} after its "
            f"header (truncated, or trailing bytes)"
        )
    return header, meta


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _check_entry(name: str, entry, n_data: int, path: Path) -> tuple[int, int]:
    """One tensor's dtype, shape and byte range, checked; returns (begin, end)."""
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        raise ModelFileError(
            f"{path}: tensor {name!r} must be described by dtype, shape and data_offsets; got {entry!r:.200}"
        )
    code, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if not isinstance(code, str) or code not in DTYPES:
        raise ModelFileError(
            f"{path}: tensor {name!r} has dtype {code!r:.40}; expected one of {sorted(DTYPES)}"
        )
    if not isinstance(shape, list) or not all(is_int(n) for n in shape):
        raise ModelFileError(f"{path}: tensor {name!r} has shape {shape!r:.200}; expected a list of integers")
    if len(shape) > MAX_NDIM:
        raise ModelFileError(
            f"{path}: tensor {name!r} has {len(shape)} dimensions; at most {MAX_NDIM} are allowed"
        )
    if any(n < 0 or n > n_data for n in shape):
        raise ModelFileError(
            f"{path}: tensor {name!r} has shape {shape!r:.200}: every dimension must be between 0 and "
            f"the {n_data} bytes of data the file holds"
        )
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(is_int(n) for n in offsets)):
        raise ModelFileError(
            f"{path}: tensor {name!r} has data_offsets {offsets!r:.200}; expected [begin, end]"
        )
    begin, stop = offsets
    if not 0 <= begin <= stop <= n_data:
        raise ModelFileError(
            f"{path}: tensor {name!r} has data_offsets [{begin}, {stop}], outside the {n_data} bytes "
            f"of data the file holds (truncated?)"
        )
    expected = math.prod(shape) * DTYPES[code].itemsize
    if stop - begin != expected:
        raise ModelFileError(
            f"{path}: tensor {name!r} of shape {shape} and dtype {code} needs {expected} bytes; "
            f"its data_offsets span {stop - begin}"
        )
    return begin, stop


def is_int(value) -> bool:
    """A JSON integer (``bool`` is not one, though Python says it is an ``int``)."""
    return isinstance(value, int) and not isinstance(value, bool)
