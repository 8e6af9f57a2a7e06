"""The model a command scores with: a model file, a run folder's model or, for a run not
finished, its checkpoint, with the class names ``train`` stored beside the weights; and what
to say when a run folder's checkpoint stands in for its model (``evaluate``, ``predict`` and
``explain --model`` read models through here)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ..files import KIND_CHECKPOINT
from . import rundir
from .errors import UsageError

DATA_AFTER = "the data with --data"  # evaluate's; predict takes INPUT files after MODEL


def load_model_and_classes(path: str | Path, data_after: str = DATA_AFTER):
    """``(net, names)``: the network in a model file, a checkpoint or a run folder, and the class
    names ``train`` stored with it (label k is ``names[k]``), from one read of the file.
    ``data_after``: how the command takes its data, for the message when MODEL is a data file
    (the arguments swapped).

    ``names`` is None unless it holds one string per class of the model; a file without them
    (saved from Python, or by an older deltaprop) shows class numbers.
    """
    from .. import files
    from ..errors import ModelFileError

    given, path = Path(path), rundir.model_path(path)
    unfinished = given.is_dir() and path.name == rundir.CHECKPOINT  # a run folder without its model
    try:
        net, meta = files.load_with_metadata(path)
    except ModelFileError as err:  # perhaps only a user metadata entry is unreadable: the net may still load
        try:
            net, meta = files.load(path), None
        except ModelFileError as unread:
            if path.suffix.lower() not in ("", ".safetensors"):
                raise UsageError(  # `deltaprop predict rows.csv runs/r`: the arguments swapped
                    f"{given} is a {path.suffix} file, not a model; give the model first, as a "
                    f".safetensors file or a run folder, and {data_after}"
                ) from err
            _refuse_nonfinite(path)
            if unfinished:  # said once: no note that its weights are used before it
                raise ModelFileError(_damaged_checkpoint(given, unread)) from None
            raise
    if unfinished:  # said on stderr once its weights are read: --json stays JSON
        print(_unfinished_note(given), file=sys.stderr)
    if meta is None:
        return net, None
    names = meta["user"].get("classes")
    if meta["kind"] == KIND_CHECKPOINT:  # a stopped run's: train keeps them in its state
        names = _checkpoint_classes(path)
    n_classes = max(net.sizes[-1], 2)
    if isinstance(names, list) and len(names) == n_classes and all(isinstance(n, str) for n in names):
        return net, names
    return net, None


def _refuse_nonfinite(path: Path) -> None:
    """For a model file whose weights hold NaN or infinity (which ``files.load`` refuses, in
    Python's words: ``allow_nonfinite=True``), the error a command-line user can act on."""
    from .. import files
    from ..errors import ModelFileError

    try:
        net = files.load(path, allow_nonfinite=True)
    except ModelFileError:  # refused for another reason, which its own message says
        return
    layers = [("weights", l, w) for l, w in enumerate(net.weights)]
    layers += [("biases", l, b) for l, b in enumerate(net.biases)]
    bad = next((f"{what}[{l}] (layer {l + 1})" for what, l, a in layers if not np.isfinite(a).all()), "it")
    raise ModelFileError(
        f"{path}: {bad} holds NaN or infinity, so every output would be NaN: the training that "
        f"wrote it diverged. Train the model again with a smaller learning rate (deltaprop train "
        f"--lr); in Python, deltaprop.load({str(path)!r}, allow_nonfinite=True) opens it to look at"
    )


def _checkpoint_classes(path: Path):
    """The class names a checkpoint's training state holds (``train``'s ``classes``), else None:
    a checkpoint saved from Python, or by a deltaprop from before it kept them."""
    from ..files import CLASS_NAMES

    return _checkpoint_state(path).get(CLASS_NAMES)


def _checkpoint_state(path: Path) -> dict:
    """The training state of the checkpoint ``path``; ``{}`` where it cannot be read (the
    network loaded: only what the state says is unknown)."""
    from .. import files
    from ..errors import ModelFileError

    try:
        return files.load_checkpoint(path)[2]
    except ModelFileError:
        return {}


def _unfinished_note(run_dir: Path) -> str:
    """Why a run folder's checkpoint is scored: the run has not finished, or it diverged (as
    its history records), when resuming it would only diverge again."""
    from .run_divergence import divergence
    from .train import BEST

    diverged = divergence(run_dir)
    if diverged:
        reason, where, advice = diverged
        return (
            f"note: {run_dir}: {where} ({reason}). Resuming it would diverge again at the same step; {advice}"
        )
    state = _checkpoint_state(run_dir / rundir.CHECKPOINT)
    if state.get("finished"):  # killed between its last checkpoint and its model, or the model deleted
        best = state.get(BEST)
        kept = ""
        if isinstance(best, dict) and isinstance(best.get("epoch"), int):
            kept = f", not those of its best epoch ({best['epoch'] + 1}), which its model holds"
        return (
            f"note: {run_dir} holds no {rundir.MODEL}, though the run finished (it was stopped before "
            f"writing it, or the file was deleted); the weights of its checkpoint are used: those of "
            f"its last epoch{kept}. Write the model with 'deltaprop resume {run_dir}'"
        )
    return (
        f"note: {run_dir} holds no {rundir.MODEL} (the run has not finished); the weights of its "
        f"checkpoint are used. Finish the run with 'deltaprop resume {run_dir}'"
    )


def _damaged_checkpoint(run_dir: Path, err: Exception) -> str:
    """Why a run folder without its model has no weights to use: its checkpoint is damaged."""
    return (
        f"{run_dir} holds no {rundir.MODEL} and its {rundir.CHECKPOINT}, the only weights of the run, "
        f"is damaged ({err}); train the run again with "
        f"'deltaprop train --config {run_dir / rundir.CONFIG}'"
    )


def weights_epoch(model: str | Path) -> int | None:
    """The epoch (from 1) whose weights MODEL holds, as ``train`` records it in the file's
    metadata (``epoch``: the best epoch's with --restore-best-weights); None for a file without
    it (written by an older deltaprop, or saved from Python without it)."""
    from .. import files
    from ..errors import ModelFileError

    try:
        epoch = files.read_metadata(rundir.model_path(model))["user"].get("epoch")
    except ModelFileError:  # the network loaded (else evaluate stopped before): only the epoch is unknown
        return None
    return epoch if isinstance(epoch, int) and not isinstance(epoch, bool) and epoch >= 1 else None


def class_label(c: int, names: list[str] | None) -> str:
    """``"7"``, or ``"7 Sneaker"`` where the class has a name other than its number."""
    if not names or names[c] == str(c):
        return str(c)
    return names[c] if names[c].startswith(f"{c} ") else f"{c} {names[c]}"
