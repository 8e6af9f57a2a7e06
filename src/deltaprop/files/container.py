"""What every deltaprop file shares: its metadata keys, how it is read and checked, how it is written.

:func:`read` gives a file's tensors and string metadata only after the safetensors framing
(:mod:`deltaprop._safetensors_layout`) and the ``deltaprop.format`` version have been checked;
:func:`write_file` writes the bytes atomically (:mod:`deltaprop._atomic`). What the tensors
and metadata mean is :mod:`.model`'s and :mod:`.checkpoint`'s business.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import safetensors.numpy

from .. import __version__
from .._atomic import atomic_write
from .._safetensors_layout import check_layout
from ..errors import ModelFileError
from .run_folder import CHECKPOINT, HISTORY_JSON, MODEL, weights_file

FORMAT_NAME = "deltaprop.format"
FORMAT_VERSION = 1
KIND_MODEL = "model"
KIND_CHECKPOINT = "checkpoint"
# The class names, label k the k-th: a model file's ``classes`` metadata and this key of a
# checkpoint's state (a run's, an estimator's), read by predict and evaluate to name classes.
CLASS_NAMES = "classes"

WRITE_CHUNK_BYTES = 1 << 20

META_KEYS = ("sizes", "activations", "cost", "init", "dtype")  # the architecture, in every file
OPTIMIZER_PREFIX = "optimizer."  # a checkpoint's optimizer state tensors
STATE_PREFIX = "state."  # a checkpoint's training-state arrays


def meta_key(name: str) -> str:
    return f"deltaprop.{name}"


def json_default(value):
    """NumPy scalars as Python numbers; anything else is not JSON."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


def json_field(raw: str, name: str, path: Path):
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise ModelFileError(f"{path}: metadata {name!r} is not valid JSON: {err}") from None


# --- reading -----------------------------------------------------------------------------


def read(
    path, in_folder: tuple[str, ...] = (MODEL, CHECKPOINT)
) -> tuple[dict[str, np.ndarray], dict[str, str], Path]:
    """The validated tensors and metadata of a deltaprop safetensors file, and its path.

    ``path`` may be a run folder, as for every command: the first of ``in_folder`` it holds
    is read (see :func:`.run_folder.weights_file`); a folder holding none of them is an
    ``IsADirectoryError`` that names them.
    """
    try:
        path = Path(os.fspath(path))
    except TypeError:
        raise TypeError(
            f"path must be a file or folder path (str or os.PathLike); got {path!r:.80} of type "
            f"{type(path).__name__}"
        ) from None
    if path.is_dir():
        path = _file_in(path, in_folder)
    with open(path, "rb") as fh:  # FileNotFoundError, PermissionError, ... propagate
        data = fh.read()
    header, meta = check_layout(data, path)
    _check_format(meta, header, path)
    try:
        tensors = safetensors.numpy.load(data)
    except Exception as err:  # the checks above should make this unreachable
        raise ModelFileError(f"{path}: safetensors could not read the file: {err}") from err
    if set(tensors) != set(header):
        raise ModelFileError(
            f"{path}: safetensors read tensors {sorted(tensors)}, the header names {sorted(header)}"
        )
    return tensors, meta, path


def _file_in(folder: Path, names: tuple[str, ...]) -> Path:
    found = weights_file(folder, names)
    if found is None:
        raise IsADirectoryError(
            f"{folder}: is a directory holding no {' or '.join(names)}; give "
            f"{'a checkpoint file' if names == (CHECKPOINT,) else 'a model file'}, or a run folder written "
            f"by 'deltaprop train'{_how_it_ended(folder)}"
        )
    return found


def _how_it_ended(folder: Path) -> str:
    """``"; its history.json says: training diverged …"`` for a run folder whose history records
    why it stopped (a run that diverged in its first epoch writes no weights), else ``""``."""
    try:
        reason = json.loads((folder / HISTORY_JSON).read_text(encoding="utf-8")).get("stopped_reason")
    except (OSError, ValueError, AttributeError):
        return ""
    return f"; its {HISTORY_JSON} says: {reason}" if isinstance(reason, str) and reason else ""


def _check_format(meta: dict[str, str], header: dict, path: Path) -> None:
    if not any(key.startswith("deltaprop.") for key in meta):
        raise ModelFileError(
            f"{path}: a safetensors file, but not a deltaprop model: its metadata has no "
            f"'{FORMAT_NAME}' entry (a file from PyTorch or another library?){_state_dict_hint(header)}"
        )
    if FORMAT_NAME not in meta:
        raise ModelFileError(f"{path}: the metadata has no '{FORMAT_NAME}' version entry")
    raw = meta[FORMAT_NAME]
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or int(raw) < 1:
        raise ModelFileError(f"{path}: '{FORMAT_NAME}' is {raw!r:.40}; expected a version number such as '1'")
    if int(raw) > FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: written in deltaprop model format {raw}, newer than the format {FORMAT_VERSION} "
            f"this deltaprop {__version__} reads; upgrade deltaprop to load it"
        )
    for name in META_KEYS:
        if meta_key(name) not in meta:
            raise ModelFileError(f"{path}: the metadata lacks '{meta_key(name)}'")


def _natural(name: str) -> list:
    """A sort key that puts ``2.weight`` before ``10.weight``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _state_dict_hint(header: dict) -> str:
    """How to load a PyTorch state dict of ``nn.Linear`` layers (every tensor a 2-D ``*.weight``
    or a 1-D ``*.bias``, as ``safetensors.torch.save_file(model.state_dict(), path)`` writes),
    or ``""`` for any other file."""
    shapes = {name: entry["shape"] for name, entry in header.items()}
    weights = sorted((n for n, s in shapes.items() if n.endswith(".weight") and len(s) == 2), key=_natural)
    biases = [n for n, s in shapes.items() if n.endswith(".bias") and len(s) == 1]
    if not weights or len(weights) + len(biases) != len(shapes):
        return ""
    listed = ", ".join(f"{n!r} {tuple(shapes[n])}" for n in weights[:4]) + (
        ", ..." if len(weights) > 4 else ""
    )
    return (
        f". Its tensors are the weights of PyTorch Linear layers ({listed}); load them with "
        f"state = safetensors.numpy.load_file(path) and build the network with Network.from_arrays("
        f"[state[k].T for k in {_keys(weights, '.weight')}], [state[k] for k in {_keys(weights, '.bias')}], "
        f"activation=..., cost=...), each weight transposed (.T): PyTorch stores it as (n_out, n_in), "
        f"deltaprop as (n_in, n_out). dp.save then writes a deltaprop model file"
    )


def _keys(weights: list[str], suffix: str) -> str:
    """``['0.weight', '2.weight']``, or ``['0.bias', '2.bias']``: one key per layer, in order."""
    keys = [name.removesuffix(".weight") + suffix for name in weights]
    return repr(keys) if len(keys) <= 4 else f"[{keys[0]!r}, ..., {keys[-1]!r}]"


# --- writing -----------------------------------------------------------------------------


def _write_chunks(fh, data: bytes) -> None:
    view = memoryview(data)
    for start in range(0, len(view), WRITE_CHUNK_BYTES):
        fh.write(view[start : start + WRITE_CHUNK_BYTES])


def write_file(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :mod:`deltaprop._atomic`), naming the path
    in the error when it is a folder or its folder does not exist."""
    path = Path(os.fspath(path))
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file path such as {path / 'model.safetensors'}")
    return atomic_write(path, lambda fh: _write_chunks(fh, data))
