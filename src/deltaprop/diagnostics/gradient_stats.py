"""Per-layer statistics of δ and ∂C/∂w on a fixed probe batch, recorded as training goes.

At each recorded epoch :class:`GradientStats` runs ``net.backprop`` on the same probe batch
``(X_probe, Y_probe)`` and keeps, for every layer of weights l = 0..L−1 (the neurons of
layer l + 1):

- percentiles of |δ| over every (sample, neuron) of the layer, δ = ∂C_x/∂net;
- percentiles of |∂C/∂w| over every weight w_ij feeding the layer (the probe's batch average);
- for logistic and tanh layers, the fraction of neurons *saturated*: |net| > 5 for most probe
  samples, where σ'(net) is below 0.007 (logistic) and learning through them almost stops;
- for ReLU layers, the fraction of *dead* neurons: a = 0 on every probe sample.

This is what makes the vanishing gradient of a deep logistic network visible: δ of a hidden
layer is σ'(net) · Σ_k w_jk δ_k with σ' ≤ 1/4, so unless the weights are large the median
|δ| falls layer by layer back from the output. ``to_json``/``from_json`` store the record
as ``gradients.json`` in a run folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .._atomic import atomic_write
from .._validation import is_number_or_null
from ..training.callback import Callback

PERCENTILES = (5, 25, 50, 75, 95)
SATURATION_NET = 5.0  # |net| beyond which a logistic or tanh neuron counts as saturated
SATURATING = frozenset({"logistic", "tanh"})
DEAD_CAPABLE = frozenset({"relu"})
DEFAULT_PROBE_SIZE = 256
FORMAT = "deltaprop-gradient-stats"
VERSION = 1
BEFORE_TRAINING = -1  # the epoch label of the record taken before the first update


def _layer_record(net, X: np.ndarray, Y: np.ndarray) -> dict:
    """One epoch's statistics: lists indexed by layer of weights l."""
    grads = net.backprop(X, Y)
    fp = net.forward(X)
    q = np.asarray(PERCENTILES, dtype=float)
    delta, grad_w, saturated, dead = [], [], [], []
    for l, fn in enumerate(net.activations):
        delta.append(np.percentile(np.abs(grads.deltas[l]), q).tolist())
        grad_w.append(np.percentile(np.abs(grads.weights[l]), q).tolist())
        z = fp.net[l]
        if fn.name in SATURATING:
            # a neuron is saturated when most probe samples drive it past |net| = 5
            share = (np.abs(z) > SATURATION_NET).mean(axis=0)
            saturated.append(float((share > 0.5).mean()))
        else:
            saturated.append(None)
        if fn.name in DEAD_CAPABLE:
            dead.append(float((fp.o[l + 1] <= 0).all(axis=0).mean()))
        else:
            dead.append(None)
    cost = float(grads.cost) if np.isfinite(grads.cost) else None
    return {"cost": cost, "delta": delta, "grad_w": grad_w, "saturated": saturated, "dead": dead}


def _finite_or_none(values: list) -> list:
    """JSON has no NaN: a non-finite percentile (a diverged run) is stored as null."""
    return [None if v is None or not np.isfinite(v) else float(v) for v in values]


class GradientStats(Callback):
    """Records per-layer |δ| and |∂C/∂w| percentiles on a fixed probe batch at epoch ends.

    Parameters
    ----------
    X_probe : array ``(n_probe, n_0)``, optional
        The probe inputs; by default the first ``probe_size`` training samples.
    Y_probe : array ``(n_probe, n_L)`` or labels ``(n_probe,)``, optional
        Their targets (required when ``X_probe`` is given).
    every : int
        Record every ``every`` epochs (and always the last).
    probe_size : int
        How many training samples to take when no probe is given.

    ``records`` is a list of dicts ``{"epoch", "cost", "delta", "grad_w", "saturated",
    "dead"}``, each list indexed by layer of weights, ``cost`` the probe's C. As a callback
    it first records the untrained network, labelled epoch −1 (``BEFORE_TRAINING``);
    ``record(net, epoch)`` adds a record by hand.
    """

    def __init__(self, X_probe=None, Y_probe=None, every: int = 1, probe_size: int = DEFAULT_PROBE_SIZE):
        if (X_probe is None) != (Y_probe is None):
            raise ValueError(
                "GradientStats needs both X_probe and Y_probe, or neither (then it probes "
                "the first training samples)"
            )
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer ≥ 1 (record every `every` epochs); got {every!r}")
        if isinstance(probe_size, bool) or not isinstance(probe_size, int) or probe_size < 1:
            raise ValueError(f"probe_size must be an integer ≥ 1; got {probe_size!r}")
        self.X_probe = None if X_probe is None else np.asarray(X_probe)
        self.Y_probe = None if Y_probe is None else np.asarray(Y_probe)
        self.every = every
        self.probe_size = probe_size
        self.records: list[dict] = []
        self.layers: list[dict] = []

    # --- recording ----------------------------------------------------------------------

    def record(self, net, epoch: int) -> dict:
        """Add the statistics of ``net`` on the probe batch, labelled ``epoch``; returns them."""
        if self.X_probe is None:
            raise ValueError("GradientStats.record needs a probe batch: pass X_probe and Y_probe")
        self.layers = [
            {"activation": fn.name, "n_units": int(n)} for fn, n in zip(net.activations, net.sizes[1:])
        ]
        rec = {"epoch": int(epoch), **_layer_record(net, self.X_probe, self.Y_probe)}
        self.records.append(rec)
        return rec

    def on_train_begin(self, logs=None):
        if self.X_probe is None:
            self.X_probe, self.Y_probe = training_arrays(self.run, rows=self.probe_size)
        params = self.run.params or {}
        self._last_epoch = int(params.get("epochs", 0)) - 1
        fresh = params.get("initial_epoch", 0) == 0 and params.get("initial_batch", 0) == 0
        if not self.records and fresh:  # a resumed run has no "before training"
            self.record(self.run.network, BEFORE_TRAINING)

    def on_epoch_end(self, epoch, logs=None):
        if epoch % self.every == 0 or epoch == self._last_epoch:
            net = self.run.network
            if all(np.isfinite(w).all() for w in net.weights):
                self.record(net, epoch)

    # --- reading ------------------------------------------------------------------------

    @property
    def initial_cost(self) -> float | None:
        """C on the probe batch before training, if the first record was taken then."""
        if self.records and self.records[0]["epoch"] == BEFORE_TRAINING:
            return self.records[0].get("cost")
        return None

    @property
    def epochs(self) -> np.ndarray:
        """The recorded epochs, ``(n_records,)``."""
        return np.array([r["epoch"] for r in self.records], dtype=int)

    def percentiles(self, key: str) -> np.ndarray:
        """``key`` "delta" or "grad_w" as ``(n_records, L, len(PERCENTILES))``; NaN where unknown."""
        if key not in ("delta", "grad_w"):
            raise ValueError(f"key must be 'delta' or 'grad_w'; got {key!r}")
        if not self.records:
            return np.empty((0, len(self.layers), len(PERCENTILES)))
        return np.array(
            [[[np.nan if v is None else v for v in layer] for layer in r[key]] for r in self.records],
            dtype=float,
        )

    # --- files --------------------------------------------------------------------------

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "percentiles": list(PERCENTILES),
            "saturation_net": SATURATION_NET,
            "layers": self.layers,
            "records": [
                {
                    "epoch": r["epoch"],
                    "cost": r.get("cost"),
                    "delta": [_finite_or_none(p) for p in r["delta"]],
                    "grad_w": [_finite_or_none(p) for p in r["grad_w"]],
                    "saturated": r["saturated"],
                    "dead": r["dead"],
                }
                for r in self.records
            ],
        }

    def to_json(self, path) -> Path:
        """Write the records to ``path`` (atomically: a temporary file, then a rename)."""
        data = self.to_dict()
        return atomic_write(path, lambda fh: json.dump(data, fh, indent=1), binary=False, parents=True)

    @classmethod
    def from_dict(cls, data: dict) -> GradientStats:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a gradient-statistics record: expected format {FORMAT!r}")
        if data.get("version") != VERSION:
            raise ValueError(
                f"gradient statistics version {data.get('version')!r}; this deltaprop reads version {VERSION}"
            )
        if data.get("percentiles") != list(PERCENTILES):
            raise ValueError(
                f"gradient statistics hold percentiles {data.get('percentiles')!r}; "
                f"expected {list(PERCENTILES)}"
            )
        stats = cls()
        stats.layers = _checked_layers(data.get("layers", []))
        stats.records = [
            _checked_record(r, k, len(stats.layers))
            for k, r in enumerate(_list(data.get("records", []), "records"))
        ]
        return stats

    @classmethod
    def from_json(cls, path) -> GradientStats:
        """Read a file written by ``to_json``; ValueError if it is not one."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ValueError(f"{path} is not valid JSON: {err}") from err
        try:
            return cls.from_dict(data)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from err

    def __repr__(self) -> str:
        return f"GradientStats(every={self.every}, records={len(self.records)}, layers={len(self.layers)})"


def training_parts(run):
    """``(X, Y, index)`` of fit's :class:`~deltaprop.training.run.Run`: every row of the data
    given to fit, labels or real targets, and the rows used for training (None for all)."""
    X, targets = getattr(run, "X", None), getattr(run, "targets", None)
    if X is None or targets is None:
        raise ValueError(
            "the training run exposes no training arrays (run.X, run.targets); "
            "pass X_probe and Y_probe explicitly"
        )
    Y = targets.labels if getattr(targets, "labels", None) is not None else targets.values
    return np.asarray(X), np.asarray(Y), getattr(run, "train_index", None)


def training_arrays(run, rows: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The training inputs ``(n, n_0)`` and targets (labels ``(n,)`` or ``(n, n_L)``) of a run,
    only the first ``rows`` of them when given (a probe: the data set is not copied whole).

    Reads ``fit``'s :class:`~deltaprop.training.run.Run`: ``X``, ``targets`` (labels or real
    values) and ``train_index`` (the rows of X used for training; None for all).
    """
    X, Y, index = training_parts(run)
    if index is None:
        return (X, Y) if rows is None else (X[:rows], Y[:rows])
    index = index if rows is None else index[:rows]
    return X[index], Y[index]


def training_targets(run) -> np.ndarray:
    """The targets of every training row of a run (labels ``(n,)`` or ``(n, n_L)``)."""
    _, Y, index = training_parts(run)
    return Y if index is None else Y[index]


def _list(value, name: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list; got {value!r:.80}")
    return value


def _checked_layers(layers) -> list[dict]:
    """``layers`` as written by :meth:`GradientStats.record`; ValueError naming the first bad one."""
    for l, layer in enumerate(_list(layers, "layers")):
        if not (
            isinstance(layer, dict)
            and isinstance(layer.get("activation"), str)
            and type(layer.get("n_units")) is int
            and layer["n_units"] > 0
        ):
            raise ValueError(
                f"layers[{l}] must be {{'activation': name, 'n_units': int > 0}}; got {layer!r:.120}"
            )
    return list(layers)


def _checked_record(record, k: int, n_layers: int) -> dict:
    """One record as :meth:`GradientStats.record` writes it: an int epoch, a number (or null) cost,
    per layer a list of len(PERCENTILES) numbers for delta and grad_w, a number for saturated and dead."""

    def per_layer(key, ok) -> bool:
        values = record.get(key)
        return isinstance(values, list) and len(values) == n_layers and all(ok(v) for v in values)

    def row(p) -> bool:
        return isinstance(p, list) and len(p) == len(PERCENTILES) and all(is_number_or_null(v) for v in p)

    if not (
        isinstance(record, dict)
        and type(record.get("epoch")) is int
        and is_number_or_null(record.get("cost"))
        and per_layer("delta", row)
        and per_layer("grad_w", row)
        and per_layer("saturated", is_number_or_null)
        and per_layer("dead", is_number_or_null)
    ):
        raise ValueError(
            f"records[{k}] is not a record of {n_layers} layer(s) {{'epoch': int, 'cost', 'delta', 'grad_w', "
            f"'saturated', 'dead'}}; got {record!r:.120}"
        )
    return record
