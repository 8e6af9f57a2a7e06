"""A fitted estimator of :mod:`deltaprop.sklearn` as a file, and back: ``est.save(path)``,
``DeltapropClassifier.load(path)``, ``DeltapropRegressor.load(path)``; no pickle.

The file is a deltaprop checkpoint (:func:`deltaprop.files.save_checkpoint`): ``network_``'s
weights and biases and ``optimizer_`` with its state (velocities, Adam's moments, the step
count) as tensors, so that ``partial_fit`` after ``load`` continues bit for bit as it would
have without the file; and, under ``"sklearn"`` in the checkpoint's training state (JSON in
the file's metadata), what the estimator adds to the network: its class, its parameters
(``get_params()``), ``classes_`` and ``feature_names_in_`` with their dtype, so that
``predict`` gives back labels of the same values and dtype, ``n_features_in_``, ``history_``
(NaN as null, as ``history.json`` writes it), ``n_iter_``, ``t_``, and what the
early-stopping attributes are read from. Nothing is unpickled or executed on load: the file
is data, not code.

A parameter is stored as JSON; a tuple, a NumPy dtype, an array, a ``RandomState`` (its
state) and a built-in deltaprop optimizer (its name and hyperparameters, as a checkpoint
stores one) are tagged and rebuilt as such. Anything else (a user's own class) is refused on
save, naming the parameter.

``deltaprop.load(path)`` reads such a file's network, as it reads any checkpoint's (and so
does ``deltaprop predict``, which names a classifier's classes by ``classes_``, kept as text
under the checkpoint's ``classes`` as a run's are); the estimator itself comes back only
from its own class's ``load``, which refuses a plain model file, a training checkpoint and
the other estimator's file, saying which is which.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

from . import optimizers
from ._validation import is_number_or_null
from .errors import ModelFileError
from .files import CLASS_NAMES, KIND_CHECKPOINT, load_checkpoint, read_metadata, save_checkpoint
from .files.container import json_default

STATE_KEY = "sklearn"  # the estimator's entry in the checkpoint's training state
LAYOUT_VERSION = 1  # of what STATE_KEY holds; a newer one is refused on load
ARRAY_KINDS = "biufUO"  # dtype kinds of labels a file's JSON gives back exactly
COUNTS = ("n_features_in_", "n_iter_", "t_", "_epochs_done", "_seed")  # integers ≥ 0
FITTED = (*COUNTS, "_validated", "_kept_epoch")  # the last two: what early stopping's attributes read
ARRAYS = ("classes_", "feature_names_in_")  # stored where the estimator has them
ACCEPTED = (
    "JSON values (str, number, bool, None and lists of them), tuples, NumPy dtypes and arrays, "
    "a numpy.random.RandomState or a built-in deltaprop optimizer"
)


class EstimatorFiles:
    """``save`` and ``load`` of a ``_DeltapropEstimator`` (a mixin of :mod:`._sklearn_base`)."""

    def save(self, path) -> Path:
        """Write the fitted estimator to ``path`` (a ``.safetensors`` file), atomically; returns
        the path. ``type(self).load(path)`` gives back an estimator that predicts, scores and
        goes on training (``partial_fit``, a warm-started ``fit``) exactly as this one does;
        ``deltaprop.load(path)`` gives its network. Raises ``NotFittedError`` before ``fit``,
        and ``ValueError`` for a parameter a file cannot hold (the message names it)."""
        check_is_fitted(self, "network_")
        state = {STATE_KEY: _estimator_state(self)}
        if is_classifier(self):  # for deltaprop predict/evaluate, which name classes by these
            state[CLASS_NAMES] = [str(label) for label in self.classes_]
        return save_checkpoint(path, self.network_, self.optimizer_, state)

    @classmethod
    def load(cls, path):
        """The estimator :meth:`save` wrote to ``path``, fitted, with its parameters, network,
        optimizer state and fitted attributes. A file that holds no such estimator (a model
        file or training checkpoint from ``deltaprop.save`` or ``deltaprop train``, the other
        estimator's file) raises :class:`deltaprop.ModelFileError` saying what it holds."""
        try:
            net, optimizer, state = load_checkpoint(path)
        except ModelFileError:
            kind = read_metadata(path)["kind"]  # a file that is no deltaprop file says so here
            if kind != KIND_CHECKPOINT:
                raise ModelFileError(
                    f"{path}: a deltaprop {kind} file, which holds a network alone, not a saved "
                    f"{cls.__name__}; deltaprop.load(path) reads its network. {cls.__name__}.load "
                    f"reads the files that est.save(path) writes"
                ) from None
            raise
        info = state.get(STATE_KEY)
        if not isinstance(info, dict):
            raise ModelFileError(
                f"{path}: a deltaprop training checkpoint (as deltaprop train writes one), not a "
                f"saved {cls.__name__}: it holds no estimator. deltaprop.load_checkpoint(path) reads "
                f"its network and optimizer"
            )
        stored = info.get("estimator")
        if stored != cls.__name__:
            how = (
                f"; load it with {stored}.load(path)"
                if isinstance(stored, str) and stored.isidentifier()
                else ""
            )
            raise ModelFileError(f"{path}: holds a saved {stored!r:.60}, not a {cls.__name__}{how}")
        if info.get("layout") != LAYOUT_VERSION:
            raise ModelFileError(
                f"{path}: the saved {cls.__name__} has layout {info.get('layout')!r:.40}; this "
                f"deltaprop reads layout {LAYOUT_VERSION} (a newer deltaprop wrote it? upgrade)"
            )
        try:
            return _rebuilt(cls, info, net, optimizer)
        except ModelFileError as err:
            raise ModelFileError(f"{path}: {err}") from None
        except KeyError as err:
            raise ModelFileError(f"{path}: the saved {cls.__name__} lacks its entry {err}") from None
        except (TypeError, ValueError, AttributeError, OverflowError) as err:
            raise ModelFileError(f"{path}: the saved {cls.__name__} is malformed: {err!s:.300}") from None


# --- saving --------------------------------------------------------------------------------


def _estimator_state(est) -> dict:
    """Everything of ``est`` besides its network and optimizer, as JSON-ready data."""
    params, tags = {}, {}
    for name, value in est.get_params(deep=False).items():
        params[name], tag = _encoded_param(est, name, value)
        if tag:
            tags[name] = tag
    return {
        "estimator": type(est).__name__,
        "layout": LAYOUT_VERSION,
        "params": params,
        "param_types": tags,
        "fitted": {name: getattr(est, name) for name in FITTED},
        "arrays": {
            name: _encoded_array(est, name, getattr(est, name)) for name in ARRAYS if hasattr(est, name)
        },
        "history": {
            key: [v if math.isfinite(v) else None for v in values] for key, values in est.history_.items()
        },
    }


def _refuse(est, what: str, why: str, fix: str) -> ValueError:
    return ValueError(f"cannot save {type(est).__name__}: {what} {why}. {fix}")


def _encoded_param(est, name: str, value) -> tuple[object, str | None]:
    """``value`` of parameter ``name`` as JSON, and the tag that says how to rebuild it (None for
    plain JSON)."""
    if isinstance(value, optimizers.Optimizer):
        return _encoded_optimizer(est, value), "optimizer"
    if isinstance(value, np.random.RandomState):
        _, keys, pos, has_gauss, cached = value.get_state(legacy=True)
        return {
            "keys": keys.tolist(),
            "pos": pos,
            "has_gauss": has_gauss,
            "cached_gaussian": cached,
        }, "RandomState"
    if isinstance(value, np.dtype):
        return value.name, "dtype"
    if isinstance(value, type) and issubclass(value, np.generic):  # dtype=np.float32
        return np.dtype(value).name, "scalar_type"
    if isinstance(value, np.ndarray):
        return _encoded_array(est, name, value), "ndarray"
    tag = "tuple" if isinstance(value, tuple) else None
    plain = list(value) if tag else value
    try:
        same = json.loads(json.dumps(plain, default=json_default, allow_nan=False)) == plain
    except (TypeError, ValueError):
        same = False
    if not same:
        raise _refuse(
            est,
            f"its parameter {name}={value!r:.80}",
            f"is a {type(value).__name__}, which a model file cannot hold (it stores data, not code)",
            f"A file holds {ACCEPTED}",
        )
    return plain, tag


def _encoded_optimizer(est, optimizer: optimizers.Optimizer) -> dict:
    """A fresh built-in optimizer given as the ``optimizer`` parameter, by its name and
    hyperparameters: ``optimizers.get(name, **hyper)`` rebuilds it, as a checkpoint's."""
    sd = optimizer.state_dict()
    try:
        rebuilt = optimizers.get(sd["name"], **sd["hyper"])
    except (TypeError, ValueError):
        rebuilt = None
    what = f"its parameter optimizer={optimizer!r:.80}"
    if type(rebuilt) is not type(optimizer) or rebuilt.hyperparameters() != optimizer.hyperparameters():
        raise _refuse(
            est,
            what,
            f"is a {type(optimizer).__name__}, which optimizers.get({sd['name']!r}, ...) does not rebuild "
            f"(a file names an optimizer, it holds no code)",
            "Use a built-in optimizer (SGD, Momentum, Nesterov, Adam) or its name",
        )
    # Its state, if it stepped a network, is not kept: each fit starts from a fresh copy.
    return {"name": sd["name"], "hyper": sd["hyper"]}


def _encoded_array(est, name: str, arr: np.ndarray) -> dict:
    """``arr`` (labels, feature names) as its dtype and values, refused unless they come back
    from JSON equal, in the same dtype."""
    try:
        values = json.loads(json.dumps(arr.tolist(), default=json_default, allow_nan=False))
        same = arr.dtype.kind in ARRAY_KINDS and _same(
            _decoded_array({"dtype": arr.dtype.str, "values": values}), arr
        )
    except (TypeError, ValueError):
        same = False
    if not same:
        raise _refuse(
            est,
            f"{name} {arr!r:.80} (dtype {arr.dtype})",
            "does not come back equal from a model file's JSON",
            "Labels and names may be integers, floats (not NaN), booleans or strings",
        )
    return {"dtype": arr.dtype.str, "values": values}


def _same(got: np.ndarray, want: np.ndarray) -> bool:
    return got.dtype == want.dtype and got.shape == want.shape and bool(np.all(got == want))


# --- loading -------------------------------------------------------------------------------


def _decoded_array(spec: dict) -> np.ndarray:
    dtype = np.dtype(spec["dtype"])
    if dtype.kind not in ARRAY_KINDS:
        raise ValueError(f"an array of dtype {dtype} (expected kind one of {list(ARRAY_KINDS)})")
    values = spec["values"]
    if not isinstance(values, list):
        raise ValueError(f"array values {values!r:.40} are not a list")
    return np.array(values, dtype=dtype)


def _decoded_param(tag: str | None, value):
    if tag is None:
        return value
    if tag == "tuple":
        return tuple(value)
    if tag == "dtype":
        return np.dtype(value)
    if tag == "scalar_type":
        return np.dtype(value).type
    if tag == "ndarray":
        return _decoded_array(value)
    if tag == "optimizer":
        return optimizers.get(value["name"], **value["hyper"])
    if tag == "RandomState":
        rng = np.random.RandomState()
        keys = np.array(value["keys"], dtype=np.uint32)
        rng.set_state(("MT19937", keys, value["pos"], value["has_gauss"], value["cached_gaussian"]))
        return rng
    raise ValueError(f"a parameter of unknown type {tag!r:.40}")


def _rebuilt(cls, info: dict, net, optimizer):
    """The estimator ``info`` (a file's ``"sklearn"`` state) describes, around ``net`` and
    ``optimizer``; a part missing or not fitting the others is refused."""
    tags = info["param_types"]
    est = cls(**{name: _decoded_param(tags.get(name), value) for name, value in info["params"].items()})
    fitted = info["fitted"]
    for name in COUNTS:
        if type(fitted[name]) is not int or fitted[name] < 0:
            raise ModelFileError(f"{name} is {fitted[name]!r:.40}; expected an integer ≥ 0")
    kept = fitted["_kept_epoch"]
    if type(fitted["_validated"]) is not bool or not (kept is None or (type(kept) is int and kept >= 0)):
        raise ModelFileError(f"early stopping's state {fitted!r:.200} is malformed")
    history = info["history"]
    lengths = {
        len(v) if isinstance(v, list) and all(map(is_number_or_null, v)) else -1 for v in history.values()
    }
    if "loss" not in history or lengths != {fitted["_epochs_done"]}:
        raise ModelFileError(
            f"history_ must hold lists of numbers, one per epoch ({fitted['_epochs_done']}), 'loss' "
            f"among them; got {sorted(history)!r:.200}"
        )
    arrays = {name: _decoded_array(spec) for name, spec in info["arrays"].items() if name in ARRAYS}
    if is_classifier(est) != ("classes_" in arrays) or optimizer is None:
        raise ModelFileError(f"the saved {cls.__name__} lacks classes_ or optimizer_")
    if kept is not None and kept >= fitted["_epochs_done"]:
        raise ModelFileError(f"_kept_epoch {kept} is beyond the {fitted['_epochs_done']} epochs of history_")
    vars(est).update({name: fitted[name] for name in FITTED})
    vars(est).update(arrays)
    est.history_ = {
        key: [math.nan if v is None else float(v) for v in values] for key, values in history.items()
    }
    est.network_, est.optimizer_ = net, optimizer
    n_out = len(arrays["classes_"]) if "classes_" in arrays else net.sizes[-1]
    n_names = len(arrays.get("feature_names_in_", [None] * net.sizes[0]))
    if (net.sizes[0], net.sizes[-1], n_names) != (est.n_features_in_, n_out, est.n_features_in_):
        raise ModelFileError(
            f"network_ has {net.sizes[0]} inputs and {net.sizes[-1]} outputs, where n_features_in_ is "
            f"{est.n_features_in_}, feature_names_in_ holds {n_names} and classes_ {n_out}"
        )
    return est
