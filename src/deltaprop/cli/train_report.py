"""What ``deltaprop train`` and ``resume`` tell their user: the run announced before it
trains, and the summary after (the numbers, which epoch's weights the model holds, the
findings of the diagnostics, and the files the run folder holds); the run's pictures; and a
divergence said in the CLI's terms."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import numpy as np
from rich.console import Console

from .._text import count, fmt_seconds
from ..diagnostics import Diagnostics, Finding
from ..diagnostics.input_scale import MINMAX, NO_SCALING, STANDARDISE
from ..diagnostics.learning_curve import MORE_STEPS, SCHEDULE_LOWERS
from ..diagnostics.neurons import HE_OR_LEAKY, RELU_OR_TANH, SMALLER_INIT
from ..diagnostics.run import BEFORE_ANY_UPDATE, DIVERGED, position, smaller_lr_command
from ..errors import DivergenceError
from ..training import Callback
from ..training.divergence import magnitudes
from . import rundir
from .data import RunData
from .progress import fmt_metric, fmt_percent, summary_table
from .train_checks import validation_count

BOUNDARY_FRAMES = 20  # frames of a 2-D run's decision_boundary.gif (≈ 1.5 s to draw)
# The rows a validation split holds out are said as the share asked for ("10% of it") when
# within this fraction of it (or a row); else as counts (a class's share rounded to 0).
SHARE_TOLERANCE = 0.1


SMALL_INITS = ("normal_scaled", "glorot_normal")  # the library's "smaller weights" (SMALLER_INIT)


def cli_words(init: str | None = None) -> dict[str, str]:
    """The library's advice in Python's words (``init='glorot_normal'``) → the command line's
    flags (``--init glorot_normal``), leaving out the initialiser the run used, ``init``
    (its ``[model] init``; None: not known)."""
    smaller = [f"--init {name}" for name in SMALL_INITS if name != init]
    he = "--init he_normal, or " if init != "he_normal" else ""
    return {
        SMALLER_INIT: " or ".join(smaller),
        RELU_OR_TANH: "ReLU or tanh hidden layers (--activation relu --init he_normal, or --activation "
        "tanh --init glorot_normal)",
        HE_OR_LEAKY: f"use {he}--activation leaky_relu",
        MORE_STEPS: "give more --epochs, or a smaller --batch-size",
        SCHEDULE_LOWERS: "let a schedule lower it (--schedule step:0.5:10, or --schedule cosine)",
        STANDARDISE: "standardise them (--scale standard, with statistics of the training rows)",
        MINMAX: "--scale minmax (each feature to [0, 1] by its range in the training rows)",
        NO_SCALING: "train on the raw inputs (--scale none)",
    }


#: A library argument named in a fix (``output_activation='softmax'``), said as its flag.
PYTHON_ARGUMENT = re.compile(r"\b(output_activation|activation|cost|init|optimizer)='([\w().]+)'")


def cli_fix(finding: Finding, init: str | None = None) -> str:
    """A finding's fix in the command line's words: its flags for the library's arguments,
    and an initialiser other than the run's ``init`` (:func:`cli_words`). (The input-scale
    finding words its fix by the scaling the run applied already, so it needs nothing here.)"""
    fix = finding.fix.rstrip(".")
    for python, flags in cli_words(init).items():
        fix = fix.replace(python, flags)
    return PYTHON_ARGUMENT.sub(lambda m: f"--{m[1].replace('_', '-')} {m[2]}", fix)


def finding_text(finding: Finding, init: str | None = None) -> str:
    """A diagnostics finding in plain words: ``warning: what was seen. Try: what to do``
    (``init``: the run's ``[model] init``, for :func:`cli_fix`)."""
    fix = cli_fix(finding, init)
    return f"{finding.severity}: {finding.message}" + (f" Try: {fix}." if fix else "")


class LiveFindings(Callback):
    """Says what cannot wait for the summary, under the epoch's line: the set-up's warnings and
    errors (unscaled inputs, an output the cost does not fit) as training begins, and an error
    (accuracy stuck at chance, a cost rising or gone to NaN) in the epoch it is first seen, so
    that such a run can be stopped at epoch 2. Each once. The trend warnings (a flat or
    oscillating cost) come and go while a run still learns, so they wait for the summary,
    which lists every finding of the finished run."""

    def __init__(self, console: Console, diagnostics: Diagnostics, init: str | None = None):
        self.console = console
        self.diagnostics = diagnostics
        self.init = init  # the run's [model] init, not advised again
        self.said: set[str] = set()

    def _say(self, severities: tuple[str, ...]) -> None:
        for finding in self.diagnostics.new:
            if finding.severity in severities and finding.code not in self.said:
                self.said.add(finding.code)
                self.console.print(
                    f"  ! {finding_text(finding, self.init)}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )

    def on_train_begin(self, logs=None):
        self._say(("error", "warning"))

    def on_epoch_end(self, epoch, logs=None):
        self._say(("error",))


def announce(
    console, config, data: RunData, run_dir, initial_epoch, initial_batch, scaling: str | None = None
) -> None:
    """Three lines before training: the network and its training, the data, the run folder;
    and ``scaling``, what ``--scale`` does to the data, under the data's line."""
    model, training = config["model"], config["training"]
    resuming = bool(initial_epoch or initial_batch)
    held = _held_out(data, float(config["data"]["validation_split"]), model["layers"][-1])
    test = f", {len(data.X_test)} test" if data.X_test is not None else ""
    if data.X_test is not None and np.array_equal(data.X_train, data.X_test):
        test += f" (the training rows again: {data.label} has no others)"
    console.print(
        f"{'resuming' if resuming else 'training'} {model['layers']} {model['activation']}"
        f"/{model['output_activation']}, {model['cost']} cost, {training['optimizer']} "
        f"η={training['lr']:g}, batch {training['batch_size']}, {count(training['epochs'], 'epoch')}, "
        f"seed {training['seed']}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    at = f"; from epoch {initial_epoch + 1}, batch {initial_batch}" if resuming else ""
    console.print(
        f"data {data.label}: {len(data.X_train)} train{held}{test}{at}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if scaling:
        console.print(scaling, markup=False, highlight=False, soft_wrap=True)
    console.print(f"run folder: {run_dir}", markup=False, highlight=False, soft_wrap=True)


def _held_out(data: RunData, split: float, n_out: int) -> str:
    """``, 10% of it held out for validation``; or, where the stratified split's rounding per
    class makes the rows held out far from that share (classes of a few rows give none), the
    true counts: ``442 train rows: 440 trained on, 2 held out for validation (10% asked: ...)``."""
    if not split:
        return ""
    n = len(data.y_train)
    held, counted = validation_count(data.y_train, n_out, split)
    if abs(held - split * n) <= max(1.0, SHARE_TOLERANCE * split * n):
        return f", {split:.0%} of it held out for validation"
    return f", {held} of them held out for validation ({n - held} trained on), not {split:.0%}: {counted}"


def summary(
    console: Console,
    history,
    test: dict | None,
    seconds: tuple[float, float],
    run_dir: Path,
    findings,
    kept: str | None = None,
    scaled_loss: bool = False,
    l2: float = 0.0,
) -> None:
    """The run's summary table, the diagnostics' ``findings`` and where the results are.
    ``kept``: which epoch's weights the model holds, when not the last one's
    (``weights of epoch 12 (best val_loss 0.0931)``). ``scaled_loss``: the history's losses
    are of scaled targets (``--scale`` with regression), and say so. ``l2``: Nielsen's λ,
    whose term (λ/2n)Σw² the losses leave out, which a row says when λ > 0. ``seconds``:
    ``(training, started)``, the wall time of the epochs and the ``perf_counter`` the command
    began at (its ``main``, after Python's and NumPy's start-up): two rows, training and the
    command (data, plots and this summary's own scores too), since a short run's plots can take
    longer than its epochs.

    The train loss and accuracy are the last epoch's means over its mini-batches, taken as
    the weights changed (as Keras reports them), not the final network's score on the
    training data, and are labelled so; the validation figures are the final network's."""
    h = history.history
    rows = [("epochs", str(len(history.epoch)))]
    units = " (scaled targets)" if scaled_loss else ""
    over = f"mean over epoch {history.epoch[-1] + 1}" if history.epoch else "mean over the epoch"
    if h.get("loss"):
        scaled = ", scaled targets" if scaled_loss else ""
        rows.append((f"train loss ({over}{scaled})", fmt_metric(h["loss"][-1])))
    val_loss = np.asarray(h.get("val_loss", []), dtype=float)
    if np.isfinite(val_loss).any():
        best = int(np.nanargmin(np.where(np.isfinite(val_loss), val_loss, np.nan)))
        rows.append((f"final validation loss{units}", fmt_metric(val_loss[-1])))
        rows.append((f"best validation loss{units}", f"{fmt_metric(val_loss[best])} (epoch {best + 1})"))
        if not h.get("accuracy"):  # real targets: the model's fit in their own units
            rows.extend(validation_fit(run_dir))
    if h.get("accuracy"):
        rows.append((f"train accuracy ({over})", fmt_percent(h["accuracy"][-1])))
    val = [v for v in h.get("val_accuracy", []) if not math.isnan(v)]
    if val:
        best = int(np.nanargmax(h["val_accuracy"]))
        rows.append(("final validation accuracy", fmt_percent(val[-1])))
        rows.append(("best validation accuracy", f"{fmt_percent(max(val))} (epoch {best + 1})"))
    if kept is not None:
        rows.append(("model", kept))
    if test is not None:
        same = " (training rows)" if tested_on_training_rows(run_dir) else ""
        rows.append((f"test loss{same}", fmt_metric(test.get("loss"))))
        if test.get("accuracy") is not None:
            rows.append((f"test accuracy{same}", fmt_percent(test["accuracy"])))
    if l2 > 0 and h.get("loss"):
        rows.append(("L2 term (λ/2n)Σw²", "not in the losses above"))
    if history.stopped_reason:
        rows.append(("stopped", history.stopped_reason))
    training, started = seconds
    rows.append(("time: training", fmt_seconds(training)))
    rows.append(("time: the command, after start-up", fmt_seconds(time.perf_counter() - started)))
    rows.append(("run folder", str(run_dir)))
    console.print(summary_table(rows))
    for finding in findings:
        console.print(f"• {finding}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"results in {run_dir}", markup=False, highlight=False, soft_wrap=True)
    results = results_of(run_dir)
    width = max(len(what) for what, _ in results)
    for what, names in results:
        console.print(f"  {what:<{width}}  {names}", markup=False, highlight=False, soft_wrap=True)


def validation_fit(run_dir: Path) -> list[tuple[str, str]]:
    """The summary's rows for a regression run: R² and RMSE of its saved model (raw inputs in,
    raw targets out) on the validation rows it held out, drawn again from its data as
    ``diagnose`` draws them; none where those rows cannot be drawn again."""
    from ..diagnostics.run import read_run, validation_rows
    from .scores import evaluate_model

    run = read_run(run_dir)
    rows = validation_rows(run)
    if rows is None:
        return []
    scores = evaluate_model(run.network, *rows)
    r2 = scores.get("r2")
    fit = [("validation R²", "undefined (constant targets)" if r2 is None else f"{r2:.4f}")]
    fit.append(("validation RMSE", f"{fmt_metric(scores['root_mean_squared_error'])} (targets' units)"))
    return fit


def tested_on_training_rows(run_dir: Path) -> bool:
    """Whether the run's "test" split is its training rows again: a built-in set with no others
    (xor's four points, whatever the split). A downloaded set's test file never is."""
    from ..datasets import dataset_info
    from ..datasets.catalog import DOWNLOAD
    from ..diagnostics.run import load_run_data, read_run

    run = read_run(run_dir)
    if run.data_name is None or dataset_info(run.data_name).source == DOWNLOAD:
        return False
    train, test = load_run_data(run, "train"), load_run_data(run, "test")
    return train is not None and test is not None and np.array_equal(train[0], test[0])


def results_of(run_dir: Path) -> list[tuple[str, str]]:
    """What a finished run folder holds for its user, and the file names: the model, its
    configuration, its history, the checkpoint and the plots (those it holds)."""
    wanted = [
        ("model", [rundir.MODEL]),
        ("configuration", [rundir.CONFIG]),
        ("history", [rundir.HISTORY_CSV, rundir.HISTORY_JSON]),
        ("checkpoint", [rundir.CHECKPOINT]),
    ]
    results = [(what, ", ".join(n for n in names if (run_dir / n).is_file())) for what, names in wanted]
    if (run_dir / rundir.PLOTS).is_dir() and any((run_dir / rundir.PLOTS).iterdir()):
        results.append(("plots", f"{rundir.PLOTS}/"))
    return [(what, names) for what, names in results if names]


def kept_weights(early) -> str | None:
    """``weights of epoch 12 (best val_loss 0.0931)``: what the model saved holds, when the run
    restores its best epoch; None otherwise."""
    if early is None or not early.restore_best_weights or early.best_weights_epoch is None:
        return None
    value = (
        f"best val_loss {fmt_metric(early.best)}" if math.isfinite(early.best) else "no val_loss was a number"
    )
    return f"weights of epoch {early.best_weights_epoch + 1} ({value})"


def diverged(err: DivergenceError, config: dict, run_dir: Path, optimizer, fit_run) -> DivergenceError:
    """The library's divergence said in the CLI's terms: where it happened, what the run
    folder holds (no model; the checkpoint of the last good position, if one was written),
    and the command that runs it again with a smaller learning rate. The library's own
    message speaks of the weights a ``fit()`` call keeps, which a CLI user never sees.

    The history up to the divergence is written too, its ``stopped_reason`` saying that the
    run diverged, for ``diagnose``, ``plot`` and ``resume`` to read (and, where no epoch
    ended, so no checkpoint was written, to advise a smaller learning rate all the same)."""
    checkpoint = run_dir / rundir.CHECKPOINT
    where = f"{DIVERGED} at epoch {err.epoch}, mini-batch {err.batch}: the cost became infinite or NaN"
    if err.before_update:  # already at the weights the call began with: not η's doing
        where = (
            f"{DIVERGED} at epoch {err.epoch}, mini-batch {err.batch}: the cost was infinite or NaN "
            f"{BEFORE_ANY_UPDATE}, so a smaller --lr gives the same"
        )
    recorded = _write_diverged_history(run_dir, err, f"{where}, with η = {optimizer.learning_rate:g}")
    if checkpoint.is_file() and fit_run is not None:
        at = position(fit_run.next_epoch, fit_run.next_batch)  # fit's last good position
        kept = (
            f"{run_dir} holds its {rundir.CONFIG}, history and the checkpoint from {at} "
            f"('deltaprop diagnose {run_dir}' looks at them)"
        )
    else:
        kept = f"{run_dir} holds only its {rundir.CONFIG}" + (
            " and the history saying so" if recorded else ""
        )
    lr = float(config["training"]["lr"])
    if err.before_update:
        found = (
            ""
            if fit_run is None
            else (f" ({magnitudes(fit_run.network, fit_run.X, fit_run.targets, fit_run.sample_weight)})")
        )
        message = (
            f"{where}: the data or the weights themselves overflow{found}. No model was written; "
            f"{kept}. Scale the inputs and targets (--scale standard), or divide them by their "
            f"magnitude in the data file"
        )
    else:
        message = (
            f"{where}, with learning rate η = {optimizer.learning_rate:g}. No model was written; {kept}. "
            f"Try a smaller learning rate, e.g. {smaller_lr_command(run_dir, lr)}"
        )
    return DivergenceError(message, epoch=err.epoch, batch=err.batch, history=err.history)


def _write_diverged_history(run_dir: Path, err: DivergenceError, reason: str) -> bool:
    """``history.json`` and ``.csv`` of a run that diverged: its epochs up to the last good
    position (none where it diverged in its first epoch), stopped for ``reason`` in epoch
    ``err.epoch``. Whether they were written (not without the library's history)."""
    if err.history is None:
        return False
    history = err.history.copy()
    history.stopped_reason, history.stopped_epoch = reason, err.epoch - 1
    write_history(run_dir, history)
    return True


def write_history(run_dir: Path, history) -> None:
    """A run's ``history.json`` and ``history.csv``, finished, interrupted or diverged."""
    history.to_json(run_dir / rundir.HISTORY_JSON)
    history.to_csv(run_dir / rundir.HISTORY_CSV)


def boundary_snapshots(data: RunData, epochs: int):
    """For a classifier of 2-D points, the callback that copies the network about
    BOUNDARY_FRAMES times over the run (the frames of decision_boundary.gif); else None."""
    if data.X_train.shape[1] != 2 or not data.classification or epochs < 1:
        return None
    from ..plots import BoundarySnapshots

    return BoundarySnapshots(every=max(1, math.ceil(epochs / BOUNDARY_FRAMES)))


def plots_of_run(run_dir: Path, console: Console, quiet: bool, snapshots, data: RunData) -> None:
    """The run's pictures (plot_run), and for 2-D data the boundary as training went, drawn on
    the test split's points (the training points where the data has no test split)."""
    from ..plots import animate_decision_boundary, plot_run

    try:
        plot_run(run_dir)
        if snapshots is not None and snapshots.snapshots:
            X, y = (data.X_train, data.y_train) if data.X_test is None else (data.X_test, data.y_test)
            animate_decision_boundary(snapshots, X, y, run_dir / rundir.PLOTS / rundir.BOUNDARY_GIF)
    except Exception as err:  # noqa: BLE001 - plots are a bonus; the run is saved
        if not quiet:
            console.print(f"note: plots skipped ({type(err).__name__}: {err})", markup=False, highlight=False)
