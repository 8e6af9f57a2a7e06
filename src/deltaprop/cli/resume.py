"""``deltaprop resume RUN_DIR``: continue an interrupted run from its last checkpoint.

The checkpoint holds the weights, the optimizer's state, the position (epoch and batch),
the seed, the history and the resolved configuration; for a run with ``--scale``, the
scaling's statistics and the weights as they train on the scaled data too (its network
tensors hold them with the scaling folded in, as the model file does). The data are reloaded as the
configuration says, and ``fit`` goes on from that epoch and batch: each epoch's order
comes from ``default_rng([seed, epoch])`` and the validation split from the seed, so the
run ends with weights bit-identical to a run that was never interrupted. ``--epochs N``
trains a run, finished or not, on to N epochs in all (:mod:`deltaprop.cli.resume_epochs`).
"""

from __future__ import annotations

import sys

from .._atomic import leftovers
from .._text import count
from ..datasets.by_name import changed_since
from ..files import CLASS_NAMES
from . import config as cfg
from . import one_line, rundir, threads
from .data import load_run_data
from .errors import UsageError
from .progress import make_console
from .resume_data import add_option as add_data_option
from .resume_data import missing_file, relocate
from .resume_epochs import add_option as add_epochs_option
from .resume_epochs import done_epochs, extend, ignored_edits, reopen, write_config
from .run_divergence import divergence
from .stdout import raising_broken_pipe
from .train import BEST, BEST_B, BEST_W, class_names, execute, save_model
from .train_scaling import from_checkpoint


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "resume",
        help="continue an interrupted run from its checkpoint, or train a run on (--epochs)",
        description="Continue an interrupted run (Ctrl-C, a crash, a kill) from its checkpoint "
        "to its configured number of epochs, or, with --epochs N, any run on to N epochs in all.",
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="the run folder written by 'deltaprop train'")
    add_epochs_option(p)
    add_data_option(p)
    p.add_argument("--quiet", action="store_true", help="print only the run folder")
    p.add_argument("--no-plots", action="store_true", help="skip the figures in RUN_DIR/plots (faster)")
    threads.add_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import files

    threads.check(args.threads)
    run_dir = rundir.existing(args.run_dir)
    checkpoint = run_dir / rundir.CHECKPOINT
    if not checkpoint.is_file() and not (run_dir / rundir.CONFIG).is_file():
        raise UsageError(
            f"{run_dir} holds neither {rundir.CHECKPOINT} nor {rundir.CONFIG}: it is not a run folder "
            f"written by 'deltaprop train'"
        )
    diverged = divergence(run_dir)
    if diverged:  # the same seed, the same steps: it would diverge again
        reason, _, advice = diverged
        raise UsageError(
            f"{run_dir} cannot be resumed: its {reason}, and resuming repeats the same steps from the "
            f"same seed, so it would diverge again; {advice}"
        )
    if not checkpoint.is_file() and (run_dir / rundir.MODEL).is_file():
        return _finished_without_checkpoint(run_dir, args)
    if not checkpoint.is_file():
        raise UsageError(
            f"{run_dir} holds no {rundir.CHECKPOINT}: the run stopped before its first checkpoint; "
            f"start it again with 'deltaprop train --config {run_dir / rundir.CONFIG}'"
        )
    net, optimizer, state = files.load_checkpoint(checkpoint)
    config, history = _saved_run(state, checkpoint, run_dir)
    scaling = _training_network(net, state, checkpoint, run_dir)
    best = _carried_best(state, config, history, checkpoint, run_dir)
    for name in rundir.WRITTEN:  # what a killed run left half-written: it will be written anew
        for stale in leftovers(run_dir / name):
            stale.unlink(missing_ok=True)
    moved = args.data is not None and relocate(config["data"], args.data, run_dir)
    ignored = ignored_edits(config, run_dir, args.epochs, moved)
    if args.epochs is not None:
        extend(config, state, history, run_dir, args.epochs)
    elif state.get("finished") or done_epochs(state) >= config["training"]["epochs"]:
        if ignored:
            print(ignored, file=sys.stderr)
        if moved:  # nothing to train: the new path is recorded for evaluate, plot and diagnose
            write_config(config, run_dir)
        if not (run_dir / rundir.MODEL).is_file():  # killed before writing it, or deleted
            _write_model(run_dir, net, scaling, state, config, history, best)
            print(
                f"deltaprop resume: {run_dir} had finished but held no {rundir.MODEL}; wrote it from "
                f"its checkpoint, as train writes it"
                + (f" (the weights of its best epoch, {best[0] + 1})" if best is not None else ""),
                file=sys.stderr,
            )
        if not args.quiet:  # no training to outlive its reader: `| head -1` ends it, exit 141
            raising_broken_pipe(make_console()).print(
                f"{run_dir} is complete ({count(len(state['history']['epoch']), 'epoch')}); nothing to "
                f"resume. To train it on, give the total: deltaprop resume {run_dir} --epochs N",
                markup=False,
                soft_wrap=True,
            )
        else:
            print(run_dir)
        return 0
    missing = missing_file(config["data"], run_dir)
    if missing:
        raise UsageError(missing)
    changed = changed_since(config["data"])
    if changed:  # the rest of the run would learn from other data than its start did
        raise UsageError(
            f"cannot resume {run_dir}: {changed}. Put the file back as it was, or start a new run on "
            f"it with 'deltaprop train --config {run_dir / rundir.CONFIG}'"
        )
    data = load_run_data(config["data"], int(config["training"]["seed"]))
    state[CLASS_NAMES] = class_names(data)  # those of a checkpoint from before it kept them too
    if moved:  # where evaluate, plot and diagnose look for it too
        write_config(config, run_dir)
    plots = not args.no_plots
    if args.epochs is not None:  # once the data have loaded: the run now trains to N epochs
        # a finished run without figures was trained with --no-plots: its extension draws none either
        plots = plots and (state.get("finished") is not True or (run_dir / rundir.PLOTS).is_dir())
        write_config(config, run_dir)
        kept = reopen(run_dir, net, optimizer, state, scaling)  # no stale model beside the run under way
        if kept is not None:
            print(
                f"deltaprop resume: the finished run's model ({count(done_epochs(state), 'epoch')}) is kept "
                f"as {kept}; {run_dir / rundir.MODEL} will hold the model of {args.epochs} epochs",
                file=sys.stderr,
            )
    if ignored:
        print(ignored, file=sys.stderr)
    with threads.limit(args.threads):
        return execute(
            config,
            run_dir,
            make_console(),
            args.quiet,
            data,
            net=net,
            optimizer=optimizer,
            initial_epoch=int(state["epoch"]),
            started=getattr(args, "started", None),
            initial_batch=int(state["batch"]),
            history=history,
            best=best,
            scaling=scaling,
            plots=plots,
        )


def _finished_without_checkpoint(run_dir, args) -> int:
    """A run folder with its model and no checkpoint (deleted): the run is finished, so there
    is nothing to resume, and without the checkpoint it cannot be trained on (``--epochs``)."""
    again = f"deltaprop train --config {run_dir / rundir.CONFIG}"
    if args.epochs is not None:
        raise UsageError(
            f"--epochs {args.epochs}: {run_dir} holds its {rundir.MODEL} but no {rundir.CHECKPOINT}, which "
            f"training on needs (the optimizer's state, the position); start a new run instead: "
            f"{again} --epochs {args.epochs}"
        )
    if args.quiet:
        print(run_dir)
    else:
        print(f"{run_dir} is finished (it holds its {rundir.MODEL}); nothing to resume")
    return 0


def _write_model(run_dir, net, scaling, state: dict, config: dict, history, best: tuple | None) -> None:
    """The ``model.safetensors`` that ``train`` writes at the end of the finished run whose
    checkpoint this is: the best epoch's weights for a run that keeps them, else the last's.
    The class names are the checkpoint's (those of a checkpoint from before it kept them, its
    data's, loaded again)."""
    if best is not None:
        epoch, weights, biases = best
        net.weights, net.biases = [w.copy() for w in weights], [b.copy() for b in biases]
    else:
        epoch = history.epoch[-1] if history.epoch else None
    if CLASS_NAMES in state:
        classes = state[CLASS_NAMES]
    else:
        classes = class_names(load_run_data(config["data"], int(config["training"]["seed"])))
    save_model(run_dir, net, scaling, classes, epoch)


def _saved_run(state: dict, checkpoint, run_dir) -> tuple[dict, object]:
    """The config and History a checkpoint's training state holds, checked as a config file
    and a history file are: a damaged or edited state is a ModelFileError naming the file,
    not a KeyError or TypeError from deep inside the run."""
    from ..training import History

    try:
        for key in ("epoch", "batch", "seed", "config", "history"):
            if key not in state:
                raise ValueError(f"it lacks {key!r}")
        for key in ("epoch", "batch"):
            if type(state[key]) is not int or state[key] < 0:
                raise ValueError(f"its {key} is {state[key]!r:.40}, not a whole number ≥ 0")
        config = state["config"]
        if not isinstance(config, dict) or set(config) != set(cfg.DEFAULTS):
            raise ValueError(f"its config must hold the tables {sorted(cfg.DEFAULTS)}")
        cfg.check_tables(config, str(checkpoint))
        # A checkpoint from before --restore-best-weights existed: its run kept the last weights.
        config["training"].setdefault("restore_best_weights", False)
        config["data"].setdefault("scale", "none")  # nor --scale: its run did not scale
        missing = [f"{s}.{k}" for s, keys in cfg.DEFAULTS.items() for k in keys if k not in config[s]]
        if missing:
            raise ValueError(f"its config lacks {', '.join(missing)}")
        cfg.validate(config)
        history = History.from_dict(state["history"])
        ends = history.epoch[-1] + 1 if history.epoch else 0  # the epoch after its last
        if state["epoch"] != ends:
            raise ValueError(
                f"its epoch is {state['epoch']}, but its history's epochs end before epoch {ends} (from 0)"
            )
    except (UsageError, ValueError, TypeError, KeyError) as err:
        raise _damaged(checkpoint, run_dir, err) from None
    return config, history


def _damaged(checkpoint, run_dir, err: Exception):
    """The ModelFileError for a checkpoint whose training state cannot be used, and why."""
    from ..errors import ModelFileError

    return ModelFileError(
        f"{checkpoint}: the training state it holds is damaged or was not written by 'deltaprop "
        f"train' ({one_line(err)}); start the run again with 'deltaprop train --config "
        f"{run_dir / rundir.CONFIG}'"
    )


def _training_network(net, state: dict, checkpoint, run_dir):
    """The scaling a checkpoint's run trained with (None: none), ``net`` given back the weights
    it trains (the checkpoint's network holds them with the scaling folded in), in place. A
    damaged record is a ModelFileError naming the file."""

    try:
        return from_checkpoint(net, state)
    except (ValueError, TypeError) as err:
        raise _damaged(checkpoint, run_dir, err) from None


def _carried_best(state: dict, config: dict, history, checkpoint, run_dir) -> tuple | None:
    """For a run that keeps its best epoch's weights (``restore_best_weights``): that epoch and
    its weights and biases, as the checkpoint holds them, for the resumed run to go on keeping
    (:meth:`deltaprop.training.EarlyStopping.carry_best`); None before the first epoch's end.

    The epoch and its val_loss must be those the history shows as best; a checkpoint without
    them cannot be resumed exactly, and is refused with a ModelFileError naming it."""
    from ..errors import ModelFileError

    if not config["training"]["restore_best_weights"] or not history.epoch:
        return None
    n = len(config["model"]["layers"]) - 1
    names = [f"{BEST_W}{l}" for l in range(n)] + [f"{BEST_B}{l}" for l in range(n)]
    best = state.get(BEST)
    try:
        due = history.best("val_loss")
    except (ValueError, KeyError):  # no val_loss was a number: the first epoch's weights are kept
        due = (history.epoch[0], None)
    if not isinstance(best, dict) or any(name not in state for name in names):
        problem = f"does not hold them ('{BEST}', '{BEST_W}0', ...): it was not written by 'deltaprop train'"
    elif (best.get("epoch"), best.get("val_loss")) != due:
        problem = (
            f"records epoch {best.get('epoch')!r:.20} (val_loss {best.get('val_loss')!r:.30}) as the best, "
            f"but its history's best is epoch {due[0]} (val_loss {due[1]!r})"
        )
    else:
        return due[0], [state[f"{BEST_W}{l}"] for l in range(n)], [state[f"{BEST_B}{l}"] for l in range(n)]
    raise ModelFileError(
        f"{checkpoint}: the run keeps its best epoch's weights (restore_best_weights = true), but the "
        f"checkpoint {problem}; it cannot be resumed exactly. Start the run again with 'deltaprop "
        f"train --config {run_dir / rundir.CONFIG}'"
    )
