"""Reading a run folder: the model, history, configuration, statistics and data.

Shared by ``diagnose_run`` and ``deltaprop.plots.plot_run``. A run folder holds
``model.safetensors``, ``config.toml``, ``history.json`` (or ``history.csv``), and, where
the run recorded them, ``gradients.json`` and ``diagnostics.json``: the names
'deltaprop train' writes them under, from :mod:`deltaprop.files.run_folder`. A run that
diverged or was stopped holds no model but its ``checkpoint.safetensors``: its weights (and,
where no history file was written, its history) are read from that instead.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import files
from .._text import count
from ..datasets.by_name import changed_since, load_by_name, read_options
from ..datasets.csv_file import CsvLayoutWarning
from ..files.run_folder import CHECKPOINT, CONFIG, GRADIENTS, HISTORY_CSV, HISTORY_JSON, MODEL, weights_file
from ..training.divergence import DIVERGED  # how a diverged run's stopped_reason begins: see diverged()
from .checks import Finding, diagnose
from .gradient_stats import GradientStats

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


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
    class_names: tuple[str, ...] | None = None  # the loaded data set's, once load_run_data has run
    params: dict = field(default_factory=dict)  # the history's params (epochs, batch_size, steps, ...)
    # for a run without its model: how it ended, and that its checkpoint's weights are read instead
    unfinished: str | None = None
    finished: bool = False  # such a run's checkpoint says it finished: only its model was not written

    @property
    def data(self) -> dict:
        """The ``[data]`` table of ``config.toml``: the one place a run's data is looked up
        (empty when the run has none)."""
        return _table(self.config, "data")

    @property
    def data_name(self) -> str | None:
        """The built-in data set the run trained on; ``None`` for a user's file."""
        return _text(self.data.get("name"))

    @property
    def data_path(self) -> str | None:
        """The user's ``.csv``/``.npz`` file the run trained on; ``None`` for a built-in set."""
        return None if self.data_name else _text(self.data.get("path"))

    @property
    def seed(self) -> int | None:
        """The run's seed (``[training] seed``), which drew its generated data and validation split."""
        seed = _table(self.config, "training").get("seed")
        return seed if isinstance(seed, int) and not isinstance(seed, bool) else None


def _table(config: dict, name: str) -> dict:
    table = config.get(name)
    return table if isinstance(table, dict) else {}


def _text(value) -> str | None:
    """A non-empty string, else None: 'deltaprop train' writes ``""`` for the source not used."""
    return value if isinstance(value, str) and value else None


def read_run(run_dir) -> RunFiles:
    """The parts of ``run_dir`` that exist and can be read; ValueError if it is no run folder."""
    path = _folder(run_dir)
    state, weights = None, weights_file(path)
    if weights is None:
        raise ValueError(
            f"{str(path)!r} holds neither {MODEL} nor {CHECKPOINT}; is it a run folder written by "
            f"'deltaprop train' (one that finished its first epoch)?"
        )
    if weights.name == MODEL:
        network = files.load(weights)
    else:  # the checkpoint of a run that diverged or was stopped
        network, _, state = files.load_checkpoint(weights)
    run = read_record(path, state)
    run.network = network
    if state is not None:
        run.unfinished = _unfinished(run.stopped_reason, state)
        run.finished = state.get("finished") is True
    if (path / GRADIENTS).is_file():
        run.stats = GradientStats.from_json(path / GRADIENTS)
    else:
        run.missing["gradients"] = f"no {GRADIENTS} (the run recorded no gradient statistics)"
    return run


def read_record(run_dir, state: dict | None = None) -> RunFiles:
    """The configuration and history of ``run_dir``, without its weights (``network`` None):
    enough to say how a run ended, one that wrote no weights too (it diverged in its first
    epoch: ``train`` writes its history, no checkpoint). ``state``: the checkpoint's training
    state, whose history is read where the folder holds no history file. ValueError if
    ``run_dir`` is no folder or its ``config.toml`` no TOML."""
    path = _folder(run_dir)
    run = RunFiles(path)
    if (path / CONFIG).is_file():
        try:
            run.config = tomllib.loads((path / CONFIG).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path / CONFIG} is not valid TOML: {err}") from err
    else:  # deleted: the checkpoint holds the configuration the run trained with
        if state is None and (path / CHECKPOINT).is_file():
            state = _checkpoint_state(path / CHECKPOINT)
        config = state.get("config") if state is not None else None
        if isinstance(config, dict):
            run.config = config
        else:
            run.missing["config"] = f"no {CONFIG}, nor a {CHECKPOINT} holding the run's configuration"
    history = _read_history(path, run.missing, state)
    if history is not None:
        run.history, run.stopped_reason, run.params = history.history, history.stopped_reason, history.params
    return run


def _checkpoint_state(checkpoint: Path) -> dict | None:
    """The training state ``checkpoint`` holds; None where it cannot be read."""
    try:
        return files.load_checkpoint(checkpoint)[2]
    except (ValueError, OSError):  # a damaged checkpoint: the config is missing, as said
        return None


def _folder(run_dir) -> Path:
    """``run_dir`` as a Path; ValueError if it is not a folder."""
    path = Path(run_dir)
    if not path.is_dir():
        raise ValueError(
            f"run_dir {str(path)!r} is not a folder; expected a run folder written by "
            f"'deltaprop train' (holding {MODEL}, {HISTORY_JSON}, {CONFIG})"
        )
    return path


def _read_history(path: Path, missing: dict, state: dict | None = None):
    """The run's History: its history file, else (a run stopped without writing one) the one
    its checkpoint's training ``state`` holds; None, with the reason in ``missing``."""
    from ..training.history import History

    if (path / HISTORY_JSON).is_file():
        return History.from_json(path / HISTORY_JSON)
    if (path / HISTORY_CSV).is_file():
        return History.from_csv(path / HISTORY_CSV)
    if state is not None and isinstance(state.get("history"), dict):
        return History.from_dict(state["history"])
    missing["history"] = f"no {HISTORY_JSON} or {HISTORY_CSV}"
    return None


def position(epoch: int, batch: int) -> str:
    """Where a run stood with ``epoch`` epochs and ``batch`` mini-batches of the next done:
    "the end of epoch 4", "epoch 5, after mini-batch 12"."""
    return f"the end of epoch {epoch}" if not batch else f"epoch {epoch + 1}, after mini-batch {batch}"


# How train's reason goes on for a run whose cost overflowed before any update (the data's
# doing, not η's): a smaller learning rate would diverge the same.
BEFORE_ANY_UPDATE = "already before any update"


def diverged(stopped_reason) -> bool:
    """Whether a history's ``stopped_reason`` says that its run diverged."""
    return isinstance(stopped_reason, str) and stopped_reason.startswith(DIVERGED)


def _unfinished(stopped_reason: str | None, state: dict) -> str:
    """How a run without its model ended (its history's ``stopped_reason`` says, where it was
    written), and where the checkpoint's weights, read instead, stand."""
    epoch, batch = state.get("epoch"), state.get("batch")
    at = position(epoch, batch) if type(epoch) is int and type(batch) is int else "its last checkpoint"
    if state.get("finished") is True:  # stopped between its last checkpoint and its model, or it was deleted
        return (
            f"the run finished but holds no {MODEL} (it was stopped before writing it, or the file was "
            f"deleted): the weights looked at are those of its {CHECKPOINT}, from {at}"
        )
    if diverged(stopped_reason):
        how = "the run diverged"
    elif isinstance(stopped_reason, str) and stopped_reason.startswith("interrupted"):
        how = "the run was interrupted"
    else:
        how = "the run stopped before it finished (killed, or stopped at once by a second Ctrl-C)"
    return f"{how} and wrote no {MODEL}: the weights looked at are those of its {CHECKPOINT}, from {at}"


def unfinished_fix(run: RunFiles) -> str:
    """What to do with a run that wrote no model: start a diverged one again with a smaller
    learning rate, continue a stopped one from its checkpoint."""
    if run.finished:
        return f"write its model from the checkpoint: deltaprop resume {run.path}"
    if not diverged(run.stopped_reason):
        return f"continue it from its checkpoint: deltaprop resume {run.path}"
    if BEFORE_ANY_UPDATE in run.stopped_reason:
        return (
            f"scale the inputs and targets, which overflowed the cost before any update (a smaller "
            f"learning rate diverges the same): deltaprop train --config {Path(run.path) / CONFIG} "
            f"--scale standard, or divide them by their magnitude in the data file"
        )
    lr = _table(run.config, "training").get("lr")
    number = isinstance(lr, (int, float)) and not isinstance(lr, bool)
    return (
        f"start it again with a smaller learning rate: {smaller_lr_command(run.path, lr if number else None)}"
    )


def smaller_lr_command(run_dir: Path, lr: float | None) -> str:
    """The command that starts a diverged run in ``run_dir`` again with a tenth of its learning
    rate ``lr`` (None: not known, no ``--lr``): ``train``'s advice, and that of every command
    after it, since the same seed and rate would diverge again."""
    smaller = "" if lr is None else f" --lr {lr / 10:g}"
    return f"deltaprop train --config {Path(run_dir) / CONFIG}{smaller}"


def load_run_data(run: RunFiles, split: str = "test"):
    """``(X, y)`` of the run's data, or ``None`` with the reason recorded in ``run.missing``.

    Loaded as ``deltaprop train`` loaded it, by :func:`deltaprop.datasets.load_by_name`: a
    built-in set gives its ``split`` (the generated 2-D sets drawn with the run's seed); a
    user's ``.csv``/``.npz`` file is read whole, as the run read it (its label column, header,
    delimiter, dropped columns, NPZ keys: :func:`~deltaprop.datasets.by_name.read_options`),
    its labels read as the run's ``[data] task`` says (a regression column as ``(n, 1)``
    targets). The data set's class names, where it has them, are kept in ``run.class_names``.
    """
    name, path = run.data_name, run.data_path
    if name is None and path is None:
        run.missing["data"] = run.missing.get("config") or f"{CONFIG} names no data set ([data] name or path)"
        return None
    changed = changed_since(run.data)
    if changed:  # its rows are not the ones the run learnt from: no verdict on them
        run.missing["data"] = changed
        return None
    try:
        task = run.data.get("task") or "auto"  # runs from before [data] task existed: auto
        options = read_options(run.data)  # the file read as the run read it: --delimiter ';', ...
        with warnings.catch_warnings():  # its layout was warned of when the run read it
            warnings.simplefilter("ignore", CsvLayoutWarning)
            X, y, names = load_by_name(name, path, split=split, seed=run.seed, task=task, **options)
    except (OSError, ValueError, KeyError, TypeError) as err:
        run.missing["data"] = f"data {name or path!r} could not be loaded: {err}"
        return None
    run.class_names = names
    return X, y


def training_rows(run: RunFiles):
    """``(X, Y)``: the rows the run trained on, as ``deltaprop train`` gave them to ``fit``.

    The data set's training split without the validation rows that ``fit`` carved off (the
    same seeded, stratified split), or ``None`` with the reason in ``run.missing``. The
    history's ``accuracy`` was measured on exactly these rows, and the live diagnostics
    probed their first rows.
    """
    return _split_rows(run, held_out=False)


def validation_rows(run: RunFiles):
    """``(X, Y)``: the rows ``fit`` held out for validation in the run (its history's
    ``val_loss``), raw as the data set holds them; ``None``, with the reason in
    ``run.missing["data"]``, where they cannot be drawn again or the run held out none."""
    rows = _split_rows(run, held_out=True)
    if rows is not None and not len(rows[0]):
        run.missing["data"] = "the run held out no validation rows"
        return None
    return rows


def _split_rows(run: RunFiles, held_out: bool):
    """The training rows of the run's data (``held_out``: the validation rows instead), drawn
    again with the run's seeded, stratified split; None with the reason in ``run.missing``."""
    data = load_run_data(run, split="train")
    if data is None:
        return None
    X, Y = data
    X = X.reshape(len(X), -1)
    if X.shape[1] != run.network.sizes[0]:
        run.missing["data"] = (
            f"the data set has {count(X.shape[1], 'feature')} but the network "
            f"{count(run.network.sizes[0], 'input')}"
        )
        return None
    fraction, seed = run.data.get("validation_split", 0.0), run.seed
    if isinstance(fraction, (int, float)) and 0 < fraction < 1 and seed is not None:
        from ..training.arguments import training_indices

        try:
            rows = training_indices(Y, run.network.sizes[-1], float(fraction), seed)
        except (ValueError, TypeError) as err:
            run.missing["data"] = f"the validation split of the run could not be redrawn: {err}"
            return None
    else:
        rows = np.arange(len(X))
    if held_out:
        rows = np.setdiff1d(np.arange(len(X)), rows)
    return X[rows], Y[rows]


def run_scaling(run: RunFiles, X, Y):
    """The scaling a run trained with (``[data] scale``), computed again from its training rows
    ``X``, ``Y`` as ``deltaprop train`` computed it; None for a run that did not scale."""
    from ..training.scaling import NONE, fit_scaling, scaled_targets

    method = run.data.get("scale") or NONE  # runs from before [data] scale existed: none
    if method == NONE:
        return None
    net = run.network
    targets = scaled_targets(net.activations[-1].name, net.sizes[-1], Y)
    return fit_scaling(X, method, Y if targets else None)


def diagnose_run(run_dir, probe_size: int = 256) -> list[Finding]:
    """The findings for a run folder: its model, history, statistics and data. Writes nothing.

    The data are the rows the run trained on (:func:`training_rows`), so that the numbers
    agree with those ``deltaprop train`` printed at the end of the run. A run that scaled its
    data (``[data] scale``) is judged as it trained: on the scaled rows, with the network
    before the scaling was folded into it (so its inputs are not called unscaled).
    """
    run = read_run(run_dir)
    data = training_rows(run)
    X, Y = (None, None) if data is None else data
    net = run.network
    scaling = None if data is None else run_scaling(run, X, Y)
    if scaling is not None:  # judged as it trained: scaled data, the network before the fold
        from ..training.scaling import unfold

        # X is training_rows' own copy: scaled in place where it already has the network's dtype
        X = scaling.inputs(X, net.dtype, out=X if X.dtype == net.dtype else None)
        Y, net = scaling.outputs(Y, net.dtype), unfold(net, scaling)
    history = None
    if run.history is not None:
        from ..training.history import History

        history = History(run.params)
        history.history, history.stopped_reason = run.history, run.stopped_reason
    findings = diagnose(net, history, X, Y, run.stats, probe_size=probe_size, scaling=scaling)
    if run.unfinished is not None:
        findings.insert(0, Finding("unfinished-run", "info", f"{run.unfinished}.", unfinished_fix(run)))
    if data is None and "data" in run.missing:  # say what was not looked at, not "no problems"
        findings.append(
            Finding(
                "data-unavailable",
                "info",
                f"the checks that need the run's data were skipped: {run.missing['data']}.",
                "restore the data the run trained on to check it too",
            )
        )
    return findings
