"""Model files and checkpoints: safetensors on disk, atomic writes, hostile files refused.

A model file is one safetensors file (https://github.com/huggingface/safetensors): an 8-byte
little-endian header length N, N bytes of JSON naming every tensor's dtype, shape and byte
range, then the raw bytes. deltaprop stores

* the tensors ``w0, b0, w1, b1, ...``: ``w{l}`` is ``weights[l]``, ``(n_l, n_{l+1})``, with
  w_ij from neuron i of layer l to neuron j of layer l + 1; ``b{l}`` is ``biases[l]``,
  ``(n_{l+1},)``; all in the network's dtype (float32 or float64);
* string metadata: ``deltaprop.format`` (the format version, ``"1"``), ``deltaprop.kind``
  (``"model"`` or ``"checkpoint"``), ``deltaprop.version`` (the package that wrote it), and the
  architecture: ``deltaprop.sizes``, ``deltaprop.activations`` (one per layer of weights),
  ``deltaprop.cost``, ``deltaprop.init``, ``deltaprop.dtype``; the user's own metadata under
  ``user.<key>``, each value JSON-encoded.

A checkpoint adds the optimizer (``optimizer.<key>`` tensors for its state arrays, and
``deltaprop.optimizer``: JSON with its name, hyperparameters and step count) and the
training loop's ``state`` (``deltaprop.state``: JSON; NumPy arrays at its top level become
``state.<key>`` tensors).

Nothing here unpickles or executes anything. ``load`` reads the bytes and checks the header
length against the file size, the JSON, every dtype, shape and byte range (they must tile
the data exactly: no gaps, no overlaps) before safetensors sees the bytes, so a hostile file
can make it allocate no more than the file's own size and gets a :class:`ModelFileError`
(see :mod:`deltaprop._safetensors_layout`).
OS errors (a missing file, no permission) propagate unchanged: ``FileNotFoundError`` for a
path that does not exist.
"""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import safetensors.numpy

from . import __version__, activations, costs, optimizers
from ._atomic import atomic_write
from ._safetensors_layout import DTYPES, check_layout, is_int
from .errors import ModelFileError
from .network import Network

FORMAT_NAME = "deltaprop.format"
FORMAT_VERSION = 1
KIND_MODEL = "model"
KIND_CHECKPOINT = "checkpoint"

WRITE_CHUNK_BYTES = 1 << 20

_META_KEYS = ("sizes", "activations", "cost", "init", "dtype")
_OPTIMIZER_PREFIX = "optimizer."
_STATE_PREFIX = "state."
_USER_PREFIX = "user."


# --- writing -----------------------------------------------------------------------------


def save(net: Network, path, *, metadata: Mapping | None = None, allow_nonfinite: bool = False) -> Path:
    """Write ``net`` to ``path`` as a safetensors model file, atomically; returns the path.

    ``metadata`` is a dict of the user's own, with string keys and JSON-serialisable values;
    :func:`read_metadata` gives it back. A network holding NaN or ±inf is refused with a
    ``ValueError`` naming the layer, unless ``allow_nonfinite=True``.
    """
    tensors, meta = _network_payload(net, allow_nonfinite)
    meta[_key("kind")] = KIND_MODEL
    meta.update(_user_metadata(metadata))
    return _atomic_write(path, safetensors.numpy.save(tensors, metadata=meta))


def save_checkpoint(
    path,
    net: Network,
    optimizer: optimizers.Optimizer | None = None,
    state: Mapping | None = None,
    *,
    allow_nonfinite: bool = False,
) -> Path:
    """Write everything needed to resume training to one safetensors file, atomically.

    ``optimizer``'s ``state_dict()`` is stored so that ``optimizers.get(name, **hyper)``
    followed by ``load_state_dict`` rebuilds it exactly (bit for bit). ``state`` is a dict
    with string keys whose values are JSON-serialisable (epoch, batch position, seed, RNG
    state, history, ...); NumPy arrays at its top level are stored as tensors and NumPy
    scalars as Python numbers.
    """
    if isinstance(path, Network):
        raise TypeError("save_checkpoint takes the path first: save_checkpoint(path, net, optimizer, state)")
    tensors, meta = _network_payload(net, allow_nonfinite)
    meta[_key("kind")] = KIND_CHECKPOINT
    if optimizer is not None:
        opt_tensors, opt_meta = _optimizer_payload(optimizer)
        tensors.update(opt_tensors)
        meta[_key("optimizer")] = opt_meta
    state_tensors, state_json = _state_payload(state)
    tensors.update(state_tensors)
    meta[_key("state")] = state_json
    return _atomic_write(path, safetensors.numpy.save(tensors, metadata=meta))


def _key(name: str) -> str:
    return f"deltaprop.{name}"


def _network_payload(net: Network, allow_nonfinite: bool) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    if not isinstance(net, Network):
        raise TypeError(f"net must be a deltaprop.Network; got {type(net).__name__}")
    tensors: dict[str, np.ndarray] = {}
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        for name, arr in ((f"w{l}", w), (f"b{l}", b)):
            if not allow_nonfinite and not np.isfinite(arr).all():
                what = "weights" if name[0] == "w" else "biases"
                raise ValueError(
                    f"{what}[{l}] (layer {l + 1}) holds NaN or infinity; refusing to save a diverged "
                    f"model. Pass allow_nonfinite=True to save it anyway."
                )
            tensors[name] = np.ascontiguousarray(arr)
    config = net.config()
    meta = {
        FORMAT_NAME: str(FORMAT_VERSION),
        _key("version"): __version__,
        _key("sizes"): json.dumps(config["sizes"]),
        _key("activations"): json.dumps(config["activations"]),
        _key("cost"): config["cost"],
        _key("init"): str(config["init"]),
        _key("dtype"): config["dtype"],
    }
    return tensors, meta


def _user_metadata(metadata: Mapping | None) -> dict[str, str]:
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        raise TypeError(f"metadata must be a dict; got {type(metadata).__name__}")
    out = {}
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise TypeError(f"metadata keys must be strings; got {key!r} of type {type(key).__name__}")
        try:
            out[_USER_PREFIX + key] = json.dumps(value, default=_json_default)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"metadata[{key!r}] must be JSON-serialisable (str, number, bool, None, list, dict); "
                f"got {type(value).__name__}: {err}"
            ) from err
    return out


def _json_default(value):
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


def _optimizer_payload(optimizer) -> tuple[dict[str, np.ndarray], str]:
    if not isinstance(optimizer, optimizers.Optimizer):
        raise TypeError(f"optimizer must be a deltaprop Optimizer or None; got {type(optimizer).__name__}")
    sd = optimizer.state_dict()
    if sd["name"] not in optimizers.OPTIMIZERS:
        raise ValueError(
            f"optimizer {type(optimizer).__name__} has name {sd['name']!r}, which optimizers.get() "
            f"cannot rebuild; expected one of {sorted(optimizers.OPTIMIZERS)}"
        )
    tensors = {_OPTIMIZER_PREFIX + k: np.ascontiguousarray(v) for k, v in sd["state"].items()}
    meta = {"name": sd["name"], "hyper": sd["hyper"], "iterations": int(sd["iterations"])}
    return tensors, json.dumps(meta, default=_json_default)


def _state_payload(state: Mapping | None) -> tuple[dict[str, np.ndarray], str]:
    if state is None:
        state = {}
    if not isinstance(state, Mapping):
        raise TypeError(f"state must be a dict; got {type(state).__name__}")
    tensors, plain = {}, {}
    for key, value in state.items():
        if not isinstance(key, str):
            raise TypeError(f"state keys must be strings; got {key!r} of type {type(key).__name__}")
        if isinstance(value, np.ndarray):
            arr = np.ascontiguousarray(value)
            code = _code_of(arr.dtype)
            if code is None:
                raise TypeError(
                    f"state[{key!r}] has dtype {arr.dtype.name!r}; arrays must be float32/64, int32/64, "
                    f"uint8 or bool"
                )
            tensors[_STATE_PREFIX + key] = arr
        else:
            plain[key] = value
    try:
        text = json.dumps(plain, default=_json_default)
    except (TypeError, ValueError) as err:
        raise TypeError(f"state must be JSON-serialisable apart from top-level arrays: {err}") from err
    return tensors, text


def _code_of(dtype: np.dtype) -> str | None:
    for code, known in DTYPES.items():
        if dtype == known or (dtype.kind != "b" and dtype.newbyteorder("<") == known):
            return code
    return None


def _write_chunks(fh, data: bytes) -> None:
    view = memoryview(data)
    for start in range(0, len(view), WRITE_CHUNK_BYTES):
        fh.write(view[start : start + WRITE_CHUNK_BYTES])


def _atomic_write(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :mod:`deltaprop._atomic`), naming the path
    in the error when it is a folder or its folder does not exist."""
    path = Path(os.fspath(path))
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file path such as {path / 'model.safetensors'}")
    return atomic_write(path, lambda fh: _write_chunks(fh, data))


# --- reading -----------------------------------------------------------------------------


def load(path, *, allow_nonfinite: bool = False) -> Network:
    """The network stored at ``path`` (a model file or a checkpoint); predictions are bit-identical.

    Raises ``FileNotFoundError`` for a missing path and :class:`ModelFileError` for anything
    wrong with the contents. Weights holding NaN or ±inf (saved with ``allow_nonfinite``)
    are refused unless ``allow_nonfinite=True`` here too.
    """
    tensors, meta, path = _read(path)
    return _build_network(
        tensors, meta, path, allow_nonfinite, extra_prefixes=(_OPTIMIZER_PREFIX, _STATE_PREFIX)
    )


def load_checkpoint(path, *, allow_nonfinite: bool = False):
    """``(net, optimizer or None, state)`` from a file written by :func:`save_checkpoint`.

    The optimizer is rebuilt with ``optimizers.get(name, **hyper)`` and its ``state_dict``
    restored, so its next step equals the step an uninterrupted run would take, bit for bit.
    """
    tensors, meta, path = _read(path)
    kind = meta.get(_key("kind"))
    if kind != KIND_CHECKPOINT:
        raise ModelFileError(
            f"{path}: is a {kind or 'model'} file, not a checkpoint: it holds no optimizer or "
            f"training state. Load it with deltaprop.load() instead."
        )
    net = _build_network(
        tensors, meta, path, allow_nonfinite, extra_prefixes=(_OPTIMIZER_PREFIX, _STATE_PREFIX)
    )
    optimizer = _build_optimizer(tensors, meta, path)
    state = _build_state(tensors, meta, path)
    return net, optimizer, state


def read_metadata(path) -> dict:
    """The file's metadata, decoded: format, kind, version, the architecture and ``user``.

    ``user`` is the ``metadata`` dict passed to :func:`save`, with its JSON values decoded.
    """
    _, meta, path = _read(path)
    out: dict = {
        "format": int(meta[FORMAT_NAME]),
        "kind": meta.get(_key("kind"), KIND_MODEL),
        "version": meta.get(_key("version")),
    }
    for name in _META_KEYS:
        raw = meta[_key(name)]
        out[name] = _json_field(raw, name, path) if name in ("sizes", "activations") else raw
    out["user"] = {
        key[len(_USER_PREFIX) :]: _json_field(value, key, path)
        for key, value in meta.items()
        if key.startswith(_USER_PREFIX)
    }
    return out


def _read(path) -> tuple[dict[str, np.ndarray], dict[str, str], Path]:
    """The validated tensors and metadata of a deltaprop safetensors file."""
    path = Path(os.fspath(path))
    with open(path, "rb") as fh:  # FileNotFoundError, IsADirectoryError, ... propagate
        data = fh.read()
    header, meta = check_layout(data, path)
    _check_format(meta, path)
    try:
        tensors = safetensors.numpy.load(data)
    except Exception as err:  # the checks above should make this unreachable
        raise ModelFileError(f"{path}: safetensors could not read the file: {err}") from err
    if set(tensors) != set(header):
        raise ModelFileError(
            f"{path}: safetensors read tensors {sorted(tensors)}, the header names {sorted(header)}"
        )
    return tensors, meta, path


def _check_format(meta: dict[str, str], path: Path) -> None:
    if not any(key.startswith("deltaprop.") for key in meta):
        raise ModelFileError(
            f"{path}: a safetensors file, but not a deltaprop model: its metadata has no "
            f"'{FORMAT_NAME}' entry (a file from PyTorch or another library?)"
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
    for name in _META_KEYS:
        if _key(name) not in meta:
            raise ModelFileError(f"{path}: the metadata lacks '{_key(name)}'")


def _json_field(raw: str, name: str, path: Path):
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise ModelFileError(f"{path}: metadata {name!r} is not valid JSON: {err}") from None


def _build_network(tensors, meta, path, allow_nonfinite: bool, extra_prefixes=()) -> Network:
    sizes = _json_field(meta[_key("sizes")], "sizes", path)
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(is_int(n) and n >= 1 for n in sizes)):
        raise ModelFileError(
            f"{path}: metadata sizes is {sizes!r:.200}; expected a list of at least 2 positive integers"
        )
    n_layers = len(sizes) - 1
    names = _json_field(meta[_key("activations")], "activations", path)
    if not (isinstance(names, list) and len(names) == n_layers and all(isinstance(n, str) for n in names)):
        raise ModelFileError(
            f"{path}: metadata activations is {names!r:.200}; "
            f"expected {n_layers} names, one per layer of weights"
        )
    for name in names:
        if name.lower() not in activations.ACTIVATIONS and name.lower() not in activations.ALIASES:
            raise ModelFileError(
                f"{path}: unknown activation {name!r:.40}; "
                f"this deltaprop knows {sorted(activations.ACTIVATIONS)}"
            )
    cost = meta[_key("cost")]
    if cost.lower() not in costs.COSTS and cost.lower() not in costs.ALIASES:
        raise ModelFileError(f"{path}: unknown cost {cost!r:.40}; this deltaprop knows {sorted(costs.COSTS)}")
    dtype_name = meta[_key("dtype")]
    if dtype_name not in ("float32", "float64"):
        raise ModelFileError(f"{path}: metadata dtype is {dtype_name!r:.40}; expected 'float32' or 'float64'")
    dtype = np.dtype(dtype_name)

    expected = {f"{p}{l}" for l in range(n_layers) for p in "wb"}
    params = {k for k in tensors if not k.startswith(extra_prefixes)}
    if params - expected:
        raise ModelFileError(
            f"{path}: unexpected tensors {sorted(params - expected)[:5]} in a {n_layers}-layer model"
        )
    if expected - params:
        missing = sorted(expected - params, key=lambda k: (int(k[1:]), k[0]))
        raise ModelFileError(f"{path}: missing tensors {missing[:5]} for sizes {sizes}")
    weights, biases = [], []
    for l in range(n_layers):
        for name, shape, out in (
            (f"w{l}", (sizes[l], sizes[l + 1]), weights),
            (f"b{l}", (sizes[l + 1],), biases),
        ):
            arr = tensors[name]
            if arr.dtype != dtype:
                raise ModelFileError(
                    f"{path}: tensor {name!r} has dtype {arr.dtype.name}; the model is {dtype_name}"
                )
            if arr.shape != shape:
                raise ModelFileError(
                    f"{path}: tensor {name!r} has shape {arr.shape}; sizes {sizes} need {shape} "
                    f"(the layers must chain)"
                )
            if not allow_nonfinite and not np.isfinite(arr).all():
                what = "weights" if name[0] == "w" else "biases"
                raise ModelFileError(
                    f"{path}: {what}[{l}] (layer {l + 1}) holds NaN or infinity; pass "
                    f"allow_nonfinite=True to load it anyway"
                )
            out.append(arr)
    finite_w = [np.where(np.isfinite(w), w, 0) for w in weights] if allow_nonfinite else weights
    finite_b = [np.where(np.isfinite(b), b, 0) for b in biases] if allow_nonfinite else biases
    try:
        net = Network.from_arrays(finite_w, finite_b, activation=names, cost=cost, dtype=dtype)
    except (TypeError, ValueError) as err:  # e.g. softmax on a hidden layer
        raise ModelFileError(f"{path}: the stored architecture is invalid: {err}") from None
    if allow_nonfinite:
        # Network refuses non-finite assignments; the user asked for them, so set them directly.
        net._w = [np.array(w, dtype=dtype, order="C") for w in weights]
        net._b = [np.array(b, dtype=dtype, order="C") for b in biases]
    net.init = meta[_key("init")]
    return net


def _build_optimizer(tensors, meta, path):
    raw = meta.get(_key("optimizer"))
    if raw is None:
        if any(k.startswith(_OPTIMIZER_PREFIX) for k in tensors):
            raise ModelFileError(f"{path}: optimizer tensors without the '{_key('optimizer')}' metadata")
        return None
    info = _json_field(raw, "optimizer", path)
    if not (isinstance(info, dict) and set(info) == {"name", "hyper", "iterations"}):
        raise ModelFileError(
            f"{path}: metadata optimizer must hold name, hyper and iterations; got {info!r:.200}"
        )
    name, hyper, iterations = info["name"], info["hyper"], info["iterations"]
    if not isinstance(name, str) or name.lower() not in optimizers.OPTIMIZERS:
        raise ModelFileError(
            f"{path}: unknown optimizer {name!r:.40}; expected one of {sorted(optimizers.OPTIMIZERS)}"
        )
    scalar = (bool, numbers.Real, str, type(None))
    if not (isinstance(hyper, dict) and all(isinstance(v, scalar) for v in hyper.values())):
        raise ModelFileError(
            f"{path}: optimizer hyperparameters must be a dict of scalars; got {hyper!r:.200}"
        )
    if not is_int(iterations) or iterations < 0:
        raise ModelFileError(f"{path}: optimizer iterations is {iterations!r:.40}; expected an integer ≥ 0")
    try:
        optimizer = optimizers.get(name, **hyper)
    except (TypeError, ValueError) as err:
        raise ModelFileError(
            f"{path}: cannot rebuild optimizer {name!r} from {hyper!r:.200}: {err}"
        ) from None
    state = {}
    for key, arr in tensors.items():
        if key.startswith(_OPTIMIZER_PREFIX):
            if arr.dtype.kind != "f":
                raise ModelFileError(
                    f"{path}: optimizer tensor {key!r} has dtype {arr.dtype.name}; expected floats"
                )
            state[key[len(_OPTIMIZER_PREFIX) :]] = arr
    optimizer.load_state_dict({"name": name, "hyper": hyper, "iterations": iterations, "state": state})
    return optimizer


def _build_state(tensors, meta, path) -> dict:
    state = _json_field(meta.get(_key("state"), "{}"), "state", path)
    if not isinstance(state, dict):
        raise ModelFileError(f"{path}: metadata state must be a JSON object; got {type(state).__name__}")
    for key, arr in tensors.items():
        if key.startswith(_STATE_PREFIX):
            state[key[len(_STATE_PREFIX) :]] = np.array(arr, copy=True)
    return state
