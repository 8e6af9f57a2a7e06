"""A network as a model file: its weights and biases as tensors, its architecture as metadata.

:func:`save` writes ``w{l}``, ``b{l}`` and the ``deltaprop.*`` architecture keys (with the
user's own metadata under ``user.<key>``); :func:`load` rebuilds the network from any deltaprop
file, checkpoints included, after checking every tensor against the stored sizes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import safetensors.numpy

from .. import __version__, activations, costs
from .._safetensors_layout import is_int
from .._validation import check_network
from ..errors import ModelFileError
from ..network import Network
from .container import (
    FORMAT_NAME,
    FORMAT_VERSION,
    KIND_MODEL,
    META_KEYS,
    OPTIMIZER_PREFIX,
    STATE_PREFIX,
    json_default,
    json_field,
    meta_key,
    read,
    write_file,
)

_USER_PREFIX = "user."


def save(net: Network, path, *, metadata: Mapping | None = None, allow_nonfinite: bool = False) -> Path:
    """Write ``net`` to ``path`` as a safetensors model file, atomically; returns the path.

    ``metadata`` is a dict of the user's own, with string keys and JSON-serialisable values;
    :func:`read_metadata` gives it back. A network holding NaN or ±inf is refused with a
    ``ValueError`` naming the layer, unless ``allow_nonfinite=True``.
    """
    tensors, meta = network_payload(net, allow_nonfinite)
    meta[meta_key("kind")] = KIND_MODEL
    meta.update(_user_metadata(metadata))
    return write_file(path, safetensors.numpy.save(tensors, metadata=meta))


def load(path, *, allow_nonfinite: bool = False) -> Network:
    """The network stored at ``path`` (a model file or a checkpoint); predictions are bit-identical.

    ``path`` may also be a run folder, as every command accepts: its ``model.safetensors``,
    else (a run stopped before it finished) its ``checkpoint.safetensors``. Raises
    ``FileNotFoundError`` for a missing path, ``IsADirectoryError`` for a folder holding
    neither, and :class:`ModelFileError` for anything wrong with the contents. Weights holding
    NaN or ±inf (saved with ``allow_nonfinite``) are refused unless ``allow_nonfinite=True``
    here too.
    """
    tensors, meta, path = read(path)
    return build_network(
        tensors, meta, path, allow_nonfinite, extra_prefixes=(OPTIMIZER_PREFIX, STATE_PREFIX)
    )


def read_metadata(path) -> dict:
    """The file's metadata, decoded: format, kind, version, the architecture and ``user``.

    ``user`` is the ``metadata`` dict passed to :func:`save`, with its JSON values decoded and
    its keys in sorted order (safetensors keeps the header in a hash map: no order survives).
    A ``user.<key>`` entry that is not JSON (a plain string, as other safetensors tools write
    it: ``"trained on MNIST"``) is given as that string, as :func:`load` ignores it.
    """
    _, meta, path = read(path)
    return _decoded_metadata(meta, path)


def load_with_metadata(path, *, allow_nonfinite: bool = False) -> tuple[Network, dict]:
    """:func:`load` and :func:`read_metadata` from one read of the file."""
    tensors, meta, path = read(path)
    net = build_network(tensors, meta, path, allow_nonfinite, extra_prefixes=(OPTIMIZER_PREFIX, STATE_PREFIX))
    return net, _decoded_metadata(meta, path)


def _decoded_metadata(meta: dict[str, str], path) -> dict:
    out: dict = {
        "format": int(meta[FORMAT_NAME]),
        "kind": meta.get(meta_key("kind"), KIND_MODEL),
        "version": meta.get(meta_key("version")),
    }
    for name in META_KEYS:
        raw = meta[meta_key(name)]
        out[name] = json_field(raw, name, path) if name in ("sizes", "activations") else raw
    out["user"] = {
        key[len(_USER_PREFIX) :]: _user_value(value)
        for key, value in sorted(meta.items())  # the same order in every process
        if key.startswith(_USER_PREFIX)
    }
    return out


def _user_value(raw: str):
    """A ``user.<key>`` entry: its JSON decoded, or the plain string itself where it is not JSON."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return raw


def network_payload(net: Network, allow_nonfinite: bool) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    check_network(net)
    for l, fn in enumerate(net.activations):
        _check_rebuilds(fn, fn.spec, activations.get, f"activations[{l}] (layer {l + 1})")
    _check_rebuilds(net.cost, net.cost.name, costs.get, "cost")
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
        meta_key("version"): __version__,
        meta_key("sizes"): json.dumps(config["sizes"]),
        meta_key("activations"): json.dumps(config["activations"]),
        meta_key("cost"): config["cost"],
        meta_key("init"): str(config["init"]),
        meta_key("dtype"): config["dtype"],
    }
    return tensors, meta


def _check_rebuilds(fn, spec: str, get, what: str) -> None:
    """Refuse an activation or cost that ``get(spec)``, which :func:`load` calls, would not rebuild
    as an object of exactly its class with the same parameters: a file names its functions, it
    holds no code, so a user's subclass would load as the built-in (or not at all)."""
    try:
        rebuilt = get(spec)
    except (TypeError, ValueError) as err:
        why = f"load would find no such function: {err}"
    else:
        if type(rebuilt) is type(fn) and _same_parameters(rebuilt, fn):
            return
        why = f"load would rebuild it from {spec!r} as deltaprop's {type(rebuilt).__name__}"
        if type(rebuilt) is type(fn):
            why += f" with the parameters {vars(rebuilt)}, not {vars(fn)}"
    argument = "cost" if what == "cost" else "activation"
    raise ValueError(
        f"cannot save {what}, a {type(fn).__qualname__} named {spec!r}: a model file names its "
        f"functions, it does not hold code, and {why}. Use a built-in {argument}, or store the arrays "
        f"yourself (net.weights and net.biases, e.g. with safetensors.numpy.save_file) and rebuild the "
        f"network with Network.from_arrays(weights, biases, {argument}={type(fn).__qualname__}(...))"
    )


def _same_parameters(rebuilt, fn) -> bool:
    try:
        return bool(vars(rebuilt) == vars(fn))
    except ValueError:  # an array among them: not a parameter a name can carry
        return False


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
            text = json.dumps(value, default=json_default)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"metadata[{key!r}] must be JSON-serialisable (str, number, bool, None, list, dict); "
                f"got {type(value).__name__}: {err}"
            ) from err
        try:  # Python writes a bare NaN or Infinity, which JSON has not: strict readers refuse it
            json.dumps(value, default=json_default, allow_nan=False)
        except ValueError:
            raise ValueError(
                f"metadata[{key!r}] holds NaN or ±infinity ({_preview(value, 80)}), which JSON cannot "
                f"write (Python's bare NaN makes the file unreadable to strict JSON readers); store it "
                f"as None or as a string such as 'nan'"
            ) from None
        out[_USER_PREFIX + key] = text
    return out


def _preview(value, limit: int = 200) -> str:
    """``repr(value)`` cut to ``limit`` characters, without first writing out a huge list."""
    if isinstance(value, list) and len(value) > limit:
        return repr(value[:limit])[: limit - 5] + f"..., {len(value):,} items]"
    return f"{value!r:.{limit}}"


def build_network(tensors, meta, path, allow_nonfinite: bool, extra_prefixes=()) -> Network:
    sizes = json_field(meta[meta_key("sizes")], "sizes", path)
    params = {k for k in tensors if not k.startswith(extra_prefixes)}
    if isinstance(sizes, list) and len(sizes) - 1 > len(params):
        # Checked before any per-layer work, so a hostile header's million-layer ``sizes`` costs
        # no more than its JSON: no million activations parsed, no million names listed.
        raise ModelFileError(
            f"{path}: metadata sizes holds {len(sizes):,} numbers, {len(sizes) - 1:,} layers of weights, "
            f"which need {2 * (len(sizes) - 1):,} tensors (a w and a b each); the file holds {len(params)}"
        )
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(is_int(n) and n >= 1 for n in sizes)):
        raise ModelFileError(
            f"{path}: metadata sizes is {sizes!r:.200}; expected a list of at least 2 positive integers"
        )
    n_layers = len(sizes) - 1
    names = json_field(meta[meta_key("activations")], "activations", path)
    if not (isinstance(names, list) and len(names) == n_layers and all(isinstance(n, str) for n in names)):
        raise ModelFileError(
            f"{path}: metadata activations is {_preview(names)}; "
            f"expected {n_layers} names, one per layer of weights"
        )
    for name in names:
        try:
            activations.get(name)  # a name, or a name with its parameter: "leaky_relu(0.2)"
        except ValueError as err:
            raise ModelFileError(f"{path}: metadata activations: {str(err):.300}") from None
    cost = meta[meta_key("cost")]
    if cost.lower() not in costs.COSTS and cost.lower() not in costs.ALIASES:
        raise ModelFileError(f"{path}: unknown cost {cost!r:.40}; this deltaprop knows {sorted(costs.COSTS)}")
    dtype_name = meta[meta_key("dtype")]
    if dtype_name not in ("float32", "float64"):
        raise ModelFileError(f"{path}: metadata dtype is {dtype_name!r:.40}; expected 'float32' or 'float64'")
    dtype = np.dtype(dtype_name)

    expected = {f"{p}{l}" for l in range(n_layers) for p in "wb"}
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
    net.init = meta[meta_key("init")]
    return net
