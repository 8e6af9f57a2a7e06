"""Reading a finished run folder: the model, history, configuration, statistics and data.

Shared by ``diagnose_run`` and ``deltaprop.plots.plot_run``. A run folder holds
``model.safetensors``, ``config.toml``, ``history.json`` (or ``history.csv``), and, where
the run recorded them, ``gradients.json`` and ``diagnostics.json``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .checks import Finding, diagnose
from .gradient_stats import GradientStats

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MODEL_FILE = "model.safetensors"
CONFIG_FILE = "config.toml"
HISTORY_JSON, HISTORY_CSV = "history.json", "history.csv"
GRADIENTS_FILE = "gradients.json"
DIAGNOSTICS_FILE = "diagnostics.json"


@dataclass
class RunFiles:
    """What a run folder holds; ``None`` (with a reason in ``missing``) for what it lacks."""

    path: Path
    network: object = None
    history: dict | None = None
    config: dict = field(default_factory=dict)
    stats: GradientStats | None = None
    missing: dict[str, str] = field(default_factory=dict)
    stopped_reason: str | None = None  # why training ended early (a divergence, early stopping), if it did

    @property
    def data_name(self) -> str | None:
        data = self.config.get("data", {})
        name = data.get("name") if isinstance(data, dict) else None
        return name if isinstance(name, str) else None


def read_run(run_dir) -> RunFiles:
    """The parts of ``run_dir`` that exist and can be read; ValueError if it is no run folder."""
    path = Path(run_dir)
    if not path.is_dir():
        raise ValueError(
            f"run_dir {str(path)!r} is not a folder; expected a run folder written by "
            f"'deltaprop train' (holding {MODEL_FILE}, {HISTORY_JSON}, {CONFIG_FILE})"
        )
    run = RunFiles(path)
    model = path / MODEL_FILE
    if not model.is_file():
        raise ValueError(
            f"{str(path)!r} holds no {MODEL_FILE}; is it a run folder written by 'deltaprop train'?"
        )
    from .. import files  # lazily: reading model files is a layer of its own

    run.network = files.load(model)
    if (path / CONFIG_FILE).is_file():
        try:
            run.config = tomllib.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path / CONFIG_FILE} is not valid TOML: {err}") from err
    else:
        run.missing["config"] = f"no {CONFIG_FILE}"
    history = _read_history(path, run.missing)
    if history is not None:
        run.history, run.stopped_reason = history.history, history.stopped_reason
    if (path / GRADIENTS_FILE).is_file():
        run.stats = GradientStats.from_json(path / GRADIENTS_FILE)
    else:
        run.missing["gradients"] = f"no {GRADIENTS_FILE} (the run recorded no gradient statistics)"
    return run


def _read_history(path: Path, missing: dict):
    from ..training.history import History

    if (path / HISTORY_JSON).is_file():
        return History.from_json(path / HISTORY_JSON)
    if (path / HISTORY_CSV).is_file():
        return History.from_csv(path / HISTORY_CSV)
    missing["history"] = f"no {HISTORY_JSON} or {HISTORY_CSV}"
    return None


GENERATED = ("moons", "circles", "spiral", "blobs")  # drawn from the run's seed, as in training


def load_run_data(run: RunFiles, split: str = "test"):
    """``(X, y)`` of the run's data, or ``None`` with the reason recorded in ``run.missing``.

    A built-in set gives its ``split`` (the generated 2-D sets drawn with the run's seed, as
    ``deltaprop train`` drew them); a user's ``.csv``/``.npz`` file is read whole.
    """
    table = run.config.get("data", {}) if isinstance(run.config.get("data"), dict) else {}
    name, path = table.get("name") or None, table.get("path") or None
    if name is None and path is None:
        run.missing["data"] = f"{CONFIG_FILE} names no data set ([data] name or path)"
        return None
    from .. import datasets

    try:
        if name is not None:
            kwargs = {}
            seed = run.config.get("training", {}).get("seed")
            if name in GENERATED and isinstance(seed, int) and seed >= 0:
                kwargs["seed"] = seed
            loaded = datasets.load(name, split=split, **kwargs)
        elif str(path).lower().endswith(".csv"):
            column = table.get("label_column")
            kwargs = {} if column in (None, "") else {"label_column": _column(column)}
            loaded = datasets.load_csv(path, **kwargs)
        else:
            loaded = datasets.load_npz(path)
    except (OSError, ValueError, KeyError) as err:
        run.missing["data"] = f"data {name or path!r} could not be loaded: {err}"
        return None
    X, y = _as_arrays(loaded)
    if X is None:
        run.missing["data"] = f"data {name or path!r} loaded as {type(loaded).__name__}, not arrays"
        return None
    return X, y


def _column(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _as_arrays(loaded):
    if isinstance(loaded, tuple) and len(loaded) == 2:
        return np.asarray(loaded[0]), np.asarray(loaded[1])
    for xs, ys in (("X", "y"), ("X", "Y"), ("data", "target")):
        if hasattr(loaded, xs) and hasattr(loaded, ys):
            return np.asarray(getattr(loaded, xs)), np.asarray(getattr(loaded, ys))
    return None, None


def diagnose_run(run_dir, probe_size: int = 256) -> list[Finding]:
    """The findings for a finished run folder: its model, history, statistics and data. Writes nothing."""
    run = read_run(run_dir)
    data = load_run_data(run, split="train")
    X = Y = None
    if data is not None:
        X, Y = data[0][:probe_size], data[1][:probe_size]
        if X.ndim > 2:
            X = X.reshape(len(X), -1)
        if X.shape[1] != run.network.sizes[0]:
            X = Y = None
    history = None
    if run.history is not None:
        from ..training.history import History

        history = History()
        history.history, history.stopped_reason = run.history, run.stopped_reason
    return diagnose(run.network, history, X, Y, run.stats)
