"""``deltaprop resume RUN --epochs N``: train a run on to N epochs in all, finished or not.

N counts as ``train``'s ``--epochs`` does (Keras's ``epochs`` beside ``initial_epoch``): the
run's total, not how many more. Each epoch's order comes from the seed and the epoch number,
so ``train --epochs 3`` then ``resume --epochs 5`` ends with the weights and history of
``train --epochs 5``. Refused, each with the reason and what to do instead:

- N not above the epochs done;
- a run that early stopping ended (in its last epoch too): ``train --epochs N`` would have
  stopped at the same epoch, so there is nothing to go on to (a new run with more patience can);
- a cosine schedule: its η depends on the total, so the epochs done would have had other
  rates in an N-epoch run.

Once it goes on, the folder reads as a run under way until it ends (:func:`reopen`): no model
(the finished one kept as ``model-epochN.safetensors``), none of deltaprop's figures, an
unfinished checkpoint. A ``config.toml`` edited after the run began is not
read: the checkpoint holds the configuration the run trains with. :func:`ignored_edits` says
which values are ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

from .._text import count
from . import config as cfg
from . import rundir
from .errors import UsageError

RUN_TABLE = "run"


def add_option(p) -> None:
    p.add_argument(
        "--epochs",
        type=int,
        metavar="N",
        help="train on to N epochs in all (more than it has done), a finished run too; the run's "
        "config.toml then says N (default: the epochs the run was started with)",
    )


def done_epochs(state: dict) -> int:
    """The epochs a checkpoint's run has completed (its next epoch, from 0)."""
    return int(state["epoch"])


def extend(config: dict, state: dict, history, run_dir: Path, epochs: int) -> None:
    """Set the run's total to ``epochs`` (``--epochs``) in ``config``, or refuse it: a usage
    error that says why and what to do (see the module's docstring)."""
    done, configured = done_epochs(state), int(config["training"]["epochs"])
    again = f"deltaprop train --config {run_dir / rundir.CONFIG} --epochs {epochs}"
    if epochs <= done:
        raise UsageError(
            f"--epochs {epochs}: {run_dir} has trained {count(done, 'epoch')} already; --epochs is "
            f"the total, as for train, so give more than {done} to train it on"
        )
    patience = int(config["training"]["early_stopping"])
    if ended_by_early_stopping(history):
        raise UsageError(
            f"--epochs {epochs}: {run_dir} was ended by early stopping after epoch {done} "
            f"({history.stopped_reason}); trained for {epochs} epochs it would have stopped there "
            f"too, so there is nothing to go on to. To train past it, start a new run with more "
            f"patience than its {patience}: {again} --early-stopping {2 * patience}"
        )
    kind, _ = cfg.parse_schedule(config["training"]["schedule"])
    if kind == "cosine" and epochs != configured:
        raise UsageError(
            f"--epochs {epochs}: {run_dir} decays η by a cosine over its {configured} epochs, so in "
            f"a run of {epochs} its first {count(done, 'epoch')} would have had other rates; start "
            f"a new run instead: {again}"
        )
    config["training"]["epochs"] = epochs


def ended_by_early_stopping(history) -> bool:
    """Whether early stopping ended the run whose History this is, as its ``stopped_reason``
    (:class:`~deltaprop.training.EarlyStopping`'s ``reason``: ``"EarlyStopping: ..."``) says:
    in its last configured epoch too, where the epochs done alone do not show it."""
    from ..training.early_stopping import REASON_PREFIX

    reason = history.stopped_reason
    return isinstance(reason, str) and reason.startswith(REASON_PREFIX)


def write_config(config: dict, run_dir: Path) -> None:
    """The run's ``config.toml`` rewritten (atomically) to the configuration it trains on."""
    from .._atomic import write_text

    write_text(run_dir / rundir.CONFIG, cfg.to_toml(config))


def reopen(run_dir: Path, net, optimizer, state: dict, scaling) -> Path | None:
    """Make the folder of a run that goes on to more epochs read as a run under way, once
    ``write_config`` has set the new total: a model file exists only once a run has finished,
    so the finished run's ``model.safetensors`` is renamed ``model-epochN.safetensors`` (N its
    epochs; evaluate, predict, diagnose, plot and ``deltaprop.load`` would read its stale
    weights beside a newer checkpoint, and an extension stopped or diverged would lose it:
    it is the user's earlier result, kept) and the figures deltaprop drew of it in ``plots/``
    go (a user's own files there stay); the checkpoint is rewritten unfinished, with the
    new total (``state``'s config), so that a run stopped before its next checkpoint (a
    kill, a second Ctrl-C) is continued by a plain ``resume``. The model goes first: a kill
    between the two leaves no stale model, and a checkpoint that ``--epochs N`` trains on.
    ``net``, ``optimizer``, ``scaling``: the checkpoint's, as resume trains them. Returns the
    path the finished model is kept at (None: the run had none)."""
    import os

    from .. import files
    from ..files.run_folder import FIGURES, earlier_model
    from ..plots._figure import FORMATS
    from .train_scaling import checkpoint_state

    kept = None
    if (run_dir / rundir.MODEL).is_file():
        kept = run_dir / earlier_model(done_epochs(state))
        os.replace(run_dir / rundir.MODEL, kept)
    # The finished run's history and findings too: a kill before the end writes neither again,
    # and readers would take them over the checkpoint's history (its own, kept epoch by epoch).
    # gradients.json stays: the resumed run continues its records.
    for written in (rundir.HISTORY_JSON, rundir.HISTORY_CSV, rundir.DIAGNOSTICS):
        (run_dir / written).unlink(missing_ok=True)
    stored, scaling_state = checkpoint_state(net, scaling)
    files.save_checkpoint(
        run_dir / rundir.CHECKPOINT, stored, optimizer, {**state, **scaling_state, "finished": False}
    )
    plots = run_dir / rundir.PLOTS
    drawn = [f"{name}.{fmt}" for name in FIGURES for fmt in FORMATS] + [rundir.BOUNDARY_GIF]
    for figure in drawn:
        (plots / figure).unlink(missing_ok=True)
    if plots.is_dir() and not any(plots.iterdir()):
        plots.rmdir()
    return kept


def ignored_edits(config: dict, run_dir: Path, epochs: int | None, moved: bool = False) -> str | None:
    """A warning naming the values of ``config.toml`` that differ from the checkpoint's
    ``config`` (the file edited after the run began), which resume ignores; for ``epochs``,
    ``--epochs`` is named. None where they agree (or the file cannot be read: the run does
    not need it). ``epochs``: ``--epochs`` (None: not given); that value is not ignored, nor,
    where ``moved`` (``--data`` gave the file's new path), the data's ``path``."""
    try:
        written = cfg.read_toml(run_dir / rundir.CONFIG)
    except UsageError:
        return None
    changed = []
    for table, values in config.items():
        if table == RUN_TABLE:  # where the run is, not how it trains: the file blanks its name
            continue
        for key, value in values.items():
            there = written.get(table, {}).get(key, value)
            given = (key == "epochs" and epochs is not None) or (table, key) == ("data", "path") and moved
            if there != value and not given:
                changed.append((table, key, there, value))
    if not changed:
        return None
    listed = "; ".join(
        f"{t}.{k} = {json.dumps(there)} in the file, {json.dumps(value)} in the checkpoint"
        for t, k, there, value in changed
    )
    advice = ""
    if any(key == "epochs" for _, key, _, _ in changed):
        wanted = next(there for _, key, there, _ in changed if key == "epochs")
        advice = f". To train on to {wanted} epochs, give them on the command line: --epochs {wanted}"
    return (
        f"deltaprop resume: warning: {run_dir / rundir.CONFIG} was changed after the run began "
        f"({listed}); resume trains with the configuration its checkpoint holds, and ignores "
        f"the file's values{advice}"
    )
