"""A checkpoint: a model file plus the optimizer and the training loop's state, to resume exactly.

The optimizer's ``state_dict`` arrays become ``optimizer.<key>`` tensors and the rest of it
the ``deltaprop.optimizer`` JSON; the loop's ``state`` becomes ``deltaprop.state`` JSON, its
top-level arrays ``state.<key>`` tensors. The network itself is stored and read as in
:mod:`.model`.
"""

from __future__ import annotations

import json
import numbers
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import safetensors.numpy

from .. import optimizers
from .._safetensors_layout import DTYPES, is_int
from ..errors import ModelFileError
from ..network import Network
from .container import (
    KIND_CHECKPOINT,
    OPTIMIZER_PREFIX,
    STATE_PREFIX,
    json_default,
    json_field,
    meta_key,
    read,
    write_file,
)
from .model import build_network, network_payload
from .run_folder import CHECKPOINT


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
    tensors, meta = network_payload(net, allow_nonfinite)
    meta[meta_key("kind")] = KIND_CHECKPOINT
    if optimizer is not None:
        opt_tensors, opt_meta = _optimizer_payload(optimizer)
        tensors.update(opt_tensors)
        meta[meta_key("optimizer")] = opt_meta
    state_tensors, state_json = _state_payload(state)
    tensors.update(state_tensors)
    meta[meta_key("state")] = state_json
    return write_file(path, safetensors.numpy.save(tensors, metadata=meta))


def load_checkpoint(path, *, allow_nonfinite: bool = False):
    """``(net, optimizer or None, state)`` from a file written by :func:`save_checkpoint`.

    The optimizer is rebuilt with ``optimizers.get(name, **hyper)`` and its ``state_dict``
    restored, so its next step equals the step an uninterrupted run would take, bit for bit.
    ``path`` may be a run folder: its ``checkpoint.safetensors`` is read.
    """
    tensors, meta, path = read(path, in_folder=(CHECKPOINT,))
    kind = meta.get(meta_key("kind"))
    if kind != KIND_CHECKPOINT:
        raise ModelFileError(
            f"{path}: is a {kind or 'model'} file, not a checkpoint: it holds no optimizer or "
            f"training state. Load it with deltaprop.load() instead."
        )
    net = build_network(tensors, meta, path, allow_nonfinite, extra_prefixes=(OPTIMIZER_PREFIX, STATE_PREFIX))
    optimizer = _build_optimizer(tensors, meta, path)
    if optimizer is not None:
        _check_optimizer_state(optimizer, net, path)
    state = _build_state(tensors, meta, path)
    return net, optimizer, state


def _optimizer_payload(optimizer) -> tuple[dict[str, np.ndarray], str]:
    if not isinstance(optimizer, optimizers.Optimizer):
        raise TypeError(f"optimizer must be a deltaprop Optimizer or None; got {type(optimizer).__name__}")
    sd = optimizer.state_dict()
    if sd["name"] not in optimizers.OPTIMIZERS:
        raise ValueError(
            f"optimizer {type(optimizer).__name__} has name {sd['name']!r}, which optimizers.get() "
            f"cannot rebuild; expected one of {sorted(optimizers.OPTIMIZERS)}"
        )
    tensors = {OPTIMIZER_PREFIX + k: np.ascontiguousarray(v) for k, v in sd["state"].items()}
    meta = {"name": sd["name"], "hyper": sd["hyper"], "iterations": int(sd["iterations"])}
    return tensors, json.dumps(meta, default=json_default)


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
            tensors[STATE_PREFIX + key] = arr
        else:
            plain[key] = value
    try:
        text = json.dumps(plain, default=json_default)
    except (TypeError, ValueError) as err:
        raise TypeError(f"state must be JSON-serialisable apart from top-level arrays: {err}") from err
    return tensors, text


def _code_of(dtype: np.dtype) -> str | None:
    for code, known in DTYPES.items():
        if dtype == known or (dtype.kind != "b" and dtype.newbyteorder("<") == known):
            return code
    return None


def _build_optimizer(tensors, meta, path):
    raw = meta.get(meta_key("optimizer"))
    if raw is None:
        if any(k.startswith(OPTIMIZER_PREFIX) for k in tensors):
            raise ModelFileError(f"{path}: optimizer tensors without the '{meta_key('optimizer')}' metadata")
        return None
    info = json_field(raw, "optimizer", path)
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
        if key.startswith(OPTIMIZER_PREFIX):
            if arr.dtype.kind != "f":
                raise ModelFileError(
                    f"{path}: optimizer tensor {key!r} has dtype {arr.dtype.name}; expected floats"
                )
            state[key[len(OPTIMIZER_PREFIX) :]] = arr
    optimizer.load_state_dict({"name": name, "hyper": hyper, "iterations": iterations, "state": state})
    return optimizer


def _check_optimizer_state(optimizer, net: Network, path: Path) -> None:
    """Refuse state arrays that do not fit ``net`` (a wrong key, shape or dtype): the resumed
    run would not continue the interrupted one."""
    misfit = optimizer.misfit(net, "optimizer tensor", OPTIMIZER_PREFIX)
    if misfit:
        raise ModelFileError(f"{path}: {misfit}; the checkpoint is corrupt")


def _build_state(tensors, meta, path) -> dict:
    state = json_field(meta.get(meta_key("state"), "{}"), "state", path)
    if not isinstance(state, dict):
        raise ModelFileError(f"{path}: metadata state must be a JSON object; got {type(state).__name__}")
    for key, arr in tensors.items():
        if key.startswith(STATE_PREFIX):
            state[key[len(STATE_PREFIX) :]] = np.array(arr, copy=True)
    return state
