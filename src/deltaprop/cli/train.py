"""``deltaprop train``: train a network and keep everything in a run folder.

With no arguments it trains [64, 30, 10] on the built-in 8×8 digits in a few seconds. The
resolved configuration goes to ``RUN_DIR/config.toml``; see :mod:`deltaprop.cli.config`
for the keys and :mod:`deltaprop.cli.rundir` for the files a run writes. The work itself
(:func:`execute`) is shared with ``deltaprop resume``. The flags are defined in
:mod:`deltaprop.cli.train_options`; the configuration is resolved in
:mod:`deltaprop.cli.train_resolve`, checked against the data in
:mod:`deltaprop.cli.train_checks`, scaled in :mod:`deltaprop.cli.train_scaling`, and reported
in :mod:`deltaprop.cli.train_report`.
"""

from __future__ import annotations

import math
import secrets
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from rich.console import Console

from ..diagnostics import Diagnostics, GradientStats
from ..errors import DivergenceError
from ..files import CLASS_NAMES
from ..training.output_cost import OutputCostWarning
from ..training.scaling import fold
from . import config as cfg
from . import rundir, threads
from .data import RunData, load_run_data
from .errors import UsageError
from .interrupt import Checkpointer, InterruptFlag, what_is_kept, write_failure
from .progress import make_console, make_progress
from .resume_epochs import write_config
from .stdout import outliving_stdout_reader
from .train_checks import check_classes, check_target_scale, check_validation_split, record_fingerprint
from .train_options import add_options
from .train_report import (
    LiveFindings,
    announce,
    boundary_snapshots,
    diverged,
    finding_text,
    kept_weights,
    plots_of_run,
    summary,
    write_history,
)
from .train_resolve import (
    check_output_fits_cost,
    early_stopping_callback,
    resolve_config,
    resolve_model,
    schedule_callback,
)
from .train_scaling import checkpoint_state, described, run_scaling, scaled

SEED_LIMIT = 2**31  # a drawn seed is below this, so it reads well and fits every integer type
CHECKPOINT_FORMAT = 1


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "train",
        help="train a network; writes a run folder",
        description=(
            "Train a feed-forward network by backpropagation and write a run folder (model, "
            "checkpoint, config.toml, history, plots). With no options: [64, 30, 10] on the "
            "built-in digits. Flags override --config."
        ),
        epilog=(
            "schedules: none | step:FACTOR:EVERY (e.g. step:0.5:10) | exponential:RATE "
            "(e.g. exponential:0.95) | cosine[:MIN_LR]"
        ),
    )
    add_options(p)
    p.set_defaults(run=run)


def build(config: dict, seed: int):
    """The network and optimizer the configuration describes."""
    from .. import Network, optimizers

    model, training = config["model"], config["training"]
    try:
        net = Network(
            model["layers"],
            activation=model["activation"],
            output_activation=model["output_activation"],
            cost=model["cost"],
            init=model["init"],
            seed=seed,
            dtype=np.dtype(model["dtype"]),
        )
        kwargs = {"learning_rate": float(training["lr"]), "l2": float(training["l2"])}
        if training["optimizer"] != "adam":
            kwargs["momentum"] = float(training["momentum"])
        optimizer = optimizers.get(training["optimizer"], **kwargs)
    except (ValueError, TypeError, KeyError) as err:
        raise UsageError(str(err).strip("'\"")) from err
    return net, optimizer


# The checkpoint's record of the epoch whose weights a --restore-best-weights run keeps: its
# number and val_loss as BEST (JSON), its weights and biases as the arrays BEST_W{l}, BEST_B{l}.
BEST = "best"
BEST_W, BEST_B = "best_w", "best_b"


def class_names(data: RunData) -> list[str] | None:
    """The class names, label k the k-th, that a run stores with its model (``classes``
    metadata) and its checkpoint (that key of its state, :data:`deltaprop.files.CLASS_NAMES`),
    so that evaluate and predict name a stopped run's classes as a finished run's; None for
    numbered classes or regression targets."""
    return list(data.classes) if data.classes and data.classification else None


def best_state(early) -> dict:
    """The checkpoint state that lets a resumed run keep the same best epoch (empty when the
    run does not restore, or no epoch has ended yet)."""
    if early is None or not early.restore_best_weights or early.best_weights is None:
        return {}
    weights, biases = early.best_weights
    value = early.best if math.isfinite(early.best) else None
    state = {BEST: {"epoch": early.best_weights_epoch, "val_loss": value}}
    state.update({f"{BEST_W}{l}": w for l, w in enumerate(weights)})
    state.update({f"{BEST_B}{l}": b for l, b in enumerate(biases)})
    return state


def diagnostics_callbacks(
    earlier: Path | None = None, before: int = 0, scaling=None
) -> tuple[GradientStats, Diagnostics]:
    """The gradient statistics and the live diagnostics every run records.

    ``earlier``, a resumed run's ``gradients.json``, supplies the records of the epochs
    before ``before``, so the file ends up covering the whole run, and the layers they
    describe (a resumed run stopped before its first epoch's end records none of its own).
    """
    stats = GradientStats()
    if earlier is not None and earlier.is_file():
        kept = GradientStats.from_json(earlier)
        stats.records = [r for r in kept.records if r["epoch"] < before]
        stats.layers = kept.layers
    return stats, Diagnostics(stats=stats, scaling=scaling)


def execute(config: dict, run_dir: Path, console: Console, quiet: bool, data: RunData, **kwargs) -> int:
    """Train (or go on training) and write everything into ``run_dir``. Returns the exit code.

    A checkpoint is written at every epoch's end. On Ctrl-C (SIGTERM, SIGHUP) training stops
    after the mini-batch under way, a checkpoint records that exact position, and the exit
    code is 128 + the signal's number (130; 143, 129).
    ``kwargs``: those of :func:`_execute`, for a resumed run.

    Training is the job and its output is secondary: if stdout's reader goes away
    (``deltaprop train | head -1``), the run goes on with stdout sent to /dev/null, saves
    everything as usual and exits 0; stderr says so once.
    """
    note = (
        f"deltaprop: stdout was closed by its reader; training goes on without printing, "
        f"and saves everything in {run_dir}"
    )
    with outliving_stdout_reader(note):
        try:
            return _execute(config, run_dir, console, quiet, data, **kwargs)
        except OSError as err:  # a run file refused (the disk full): say what is intact
            said = write_failure(err, run_dir)
            if said is None:
                raise
            raise said from err


def _execute(
    config: dict,
    run_dir: Path,
    console: Console,
    quiet: bool,
    data: RunData,
    *,
    net=None,
    optimizer=None,
    initial_epoch: int = 0,
    initial_batch: int = 0,
    history=None,
    best=None,
    scaling=None,
    plots: bool = True,
    started: float | None = None,
) -> int:
    """:func:`execute`'s work: ``net`` and ``optimizer`` (None: built from ``config``), the
    position to go on from, the ``history`` so far and the ``best`` epoch's ``(epoch, weights,
    biases)`` that ``--restore-best-weights`` keeps (None: none yet), for a resumed run.
    ``scaling``: the :class:`~deltaprop.training.scaling.Scaling` of ``--scale`` (None: none);
    ``data`` are raw, the network trains on them scaled, and the model saved has the scaling
    folded in."""
    from .. import files
    from ..training import fit

    seed = int(config["training"]["seed"])
    if net is None:
        net, optimizer = build(config, seed)
    epochs = int(config["training"]["epochs"])
    batch_size = int(config["training"]["batch_size"])

    def save_checkpoint(run) -> Path:
        stored, scaling_state = checkpoint_state(net, scaling)
        state = {
            "format": CHECKPOINT_FORMAT,
            "epoch": run.next_epoch,
            "batch": run.next_batch,
            "seed": seed,
            "config": config,
            "history": run.history.to_dict(),
            CLASS_NAMES: class_names(data),
            "finished": run.next_epoch >= epochs
            or stopped_early()
            or bool(run.stop_training and not flag.requested),
            **best_state(early),
            **scaling_state,
        }
        return files.save_checkpoint(run_dir / rundir.CHECKPOINT, stored, optimizer, state)

    def stopped_early() -> bool:  # finished by early stopping, even if a Ctrl-C came in its last epoch
        return early is not None and early.stopped_epoch is not None

    flag = InterruptFlag()
    trained_on = scaled(data, scaling, net.dtype)  # one scaled copy, in the dtype trained on
    early = early_stopping_callback(config)
    if early is not None and best is not None:
        early.carry_best(*best)
    callbacks = [cb for cb in (schedule_callback(config), early) if cb is not None]
    resuming = bool(initial_epoch or initial_batch)
    earlier = run_dir / rundir.GRADIENTS if resuming else None
    stats, diagnostics = diagnostics_callbacks(earlier, initial_epoch, scaling)
    callbacks.extend([stats, diagnostics])
    snapshots = boundary_snapshots(trained_on, epochs - initial_epoch) if plots else None
    if snapshots is not None:
        callbacks.append(snapshots)
    progress = None
    init = config["model"]["init"]  # the fixes leave out the run's own initialiser
    if not quiet:
        progress = make_progress(console, epochs, initial_epoch, initial_batch)
        live = LiveFindings(console, diagnostics, init)  # under the epoch's line
        callbacks.extend([progress, live])
    checkpointer = Checkpointer(save_checkpoint, flag)
    callbacks.append(checkpointer)  # last: the checkpoint sees every other callback's epoch end
    if not quiet:
        announce(console, config, data, run_dir, initial_epoch, initial_batch, described(scaling))
    fit_started = time.perf_counter()
    try:
        with flag, warnings.catch_warnings():
            warnings.simplefilter("ignore", OutputCostWarning)  # the set-up's findings say it
            history = fit(
                net,
                trained_on.X_train,
                trained_on.y_train,
                epochs,
                batch_size=batch_size,
                optimizer=optimizer,
                validation_split=float(config["data"]["validation_split"]),
                shuffle=True,
                seed=seed,
                callbacks=callbacks,
                initial_epoch=initial_epoch,
                initial_batch=initial_batch,
                history=history,
            )
    except KeyboardInterrupt:  # a second Ctrl-C (SIGTERM, SIGHUP): stopped at once, mid-update
        if progress is not None:
            progress.close()
        print(f"deltaprop: stopped at once (second {flag.name}); {what_is_kept(run_dir)}", file=sys.stderr)
        return flag.exit_code
    except DivergenceError as err:
        raise diverged(err, config, run_dir, optimizer, getattr(checkpointer, "run", None)) from err
    finally:
        if progress is not None:
            progress.close()
    fit_ended = time.perf_counter()
    fit_run = checkpointer.run
    if stopped_early() and fit_run.interrupted:  # a Ctrl-C in the epoch that stopped the run:
        history.stopped_reason = early.reason  # it is finished (so its checkpoint said), not interrupted
    write_history(run_dir, history)
    if (
        flag.requested
        and fit_run.next_epoch < epochs
        and not stopped_early()
        and (fit_run.interrupted or not history.stopped_reason)
    ):
        save_checkpoint(fit_run)
        _write_diagnostics(run_dir, stats, diagnostics)
        by = "" if flag.name == "Ctrl-C" else f" by {flag.name}"
        print(
            f"deltaprop: interrupted{by} at epoch {fit_run.next_epoch + 1}, batch {fit_run.next_batch}; "
            f"checkpoint saved in {run_dir}. Continue with: deltaprop resume {run_dir}",
            file=sys.stderr,
        )
        return flag.exit_code
    if early is not None:  # done by EarlyStopping at the run's end, unless a Ctrl-C came in the last epoch
        early.restore()
    kept = early is not None and early.restore_best_weights and early.best_weights_epoch is not None
    epoch = (early.best_weights_epoch if kept else history.epoch[-1]) if kept or history.epoch else None
    model = save_model(run_dir, net, scaling, class_names(data), epoch)
    findings = [finding_text(f, init) for f in _write_diagnostics(run_dir, stats, diagnostics)]
    test = None if data.X_test is None else _evaluate(model, data.X_test, data.y_test)
    if snapshots is not None and scaling is not None:  # drawn over the raw inputs, as plot draws
        snapshots.snapshots = [
            (epoch, fold(copy, scaling), logs) for epoch, copy, logs in snapshots.snapshots
        ]
    if plots:
        plots_of_run(run_dir, console, quiet, snapshots, data)
    if quiet:
        print(run_dir)
        return 0
    summary(
        console,
        history,
        test,
        (fit_ended - fit_started, fit_started if started is None else started),
        run_dir,
        findings,
        kept_weights(early),
        scaled_loss=scaling is not None and scaling.targets,
        l2=float(config["training"]["l2"]),
    )
    return 0


def save_model(run_dir: Path, net, scaling, classes: list[str] | None, epoch: int | None):
    """Write the run's ``model.safetensors``: ``net`` (the weights as trained) with the scaling
    folded in (raw inputs, raw targets), and as metadata the class names, so that predict and
    evaluate can name what they predict, and the epoch (from 0; None: none) whose weights it
    holds, which evaluate names (from 1). Returns the network saved."""
    from .. import files

    metadata = {CLASS_NAMES: classes} if classes else {}
    if epoch is not None:
        metadata["epoch"] = epoch + 1
    model, _ = checkpoint_state(net, scaling)
    files.save(model, run_dir / rundir.MODEL, metadata=metadata or None)
    return model


def _write_diagnostics(run_dir: Path, stats: GradientStats, diagnostics: Diagnostics) -> list:
    """Write ``gradients.json`` and ``diagnostics.json``; the findings."""
    stats.to_json(run_dir / rundir.GRADIENTS)
    diagnostics.to_json(run_dir / rundir.DIAGNOSTICS)
    return diagnostics.findings


def _evaluate(net, X, y) -> dict:
    from ..training import evaluate

    return evaluate(net, X, y)


def run(args) -> int:
    config, origins = resolve_config(args)
    threads.check(args.threads)
    console = make_console()
    if int(config["training"]["seed"]) == -1:
        config["training"]["seed"] = secrets.randbelow(SEED_LIMIT)
    seed = int(config["training"]["seed"])
    data = load_run_data(config["data"], seed)
    changed = record_fingerprint(config["data"], origins)
    labels = check_classes(config, data, origins)
    no_validation = check_validation_split(config, data, origins)
    chosen = config["model"]["output_activation"] == cfg.AUTO
    resolve_model(config, data, origins)
    check_output_fits_cost(config, data, chosen, origins)
    # Refuse, before a folder is made, what the names alone do not show (a softmax hidden layer).
    build(config, seed)
    scaling = run_scaling(config, data)
    unscaled = check_target_scale(config, data, origins)
    out = cfg.key_name(origins, "run", "out")
    run_dir = rundir.create(config["run"]["out"], config["run"]["name"], flag=out)
    write_config(config, run_dir)  # atomically, as every file of a run
    for warning in (changed, *labels, no_validation, unscaled):  # said once nothing else can refuse the run
        if warning:
            print(warning, file=sys.stderr)
    with threads.limit(args.threads):
        plots = not args.no_plots
        started = getattr(args, "started", None)  # main's clock; None when run is called alone
        return execute(
            config, run_dir, console, args.quiet, data, scaling=scaling, plots=plots, started=started
        )
