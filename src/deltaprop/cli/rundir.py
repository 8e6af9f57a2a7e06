"""The run folder: where one training run keeps everything it made.

The files it holds (``model.safetensors``, ``checkpoint.safetensors``, ``config.toml``,
``history.json``, ...) are named in :mod:`deltaprop.files.run_folder`, which the readers of a
run (:mod:`deltaprop.diagnostics.run`) share; they are re-exported here as
``rundir.MODEL``, ``rundir.CONFIG``, ... for the commands.

A folder is never reused: a named run that exists already is an error, and a timestamped
one gets a ``-2``, ``-3``, ... suffix.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

# The file names, re-exported (``X as X``) for train, resume and evaluate, which say rundir.X.
from ..files.run_folder import BOUNDARY_GIF as BOUNDARY_GIF
from ..files.run_folder import CHECKPOINT as CHECKPOINT
from ..files.run_folder import CONFIG as CONFIG
from ..files.run_folder import DIAGNOSTICS as DIAGNOSTICS
from ..files.run_folder import GRADIENTS as GRADIENTS
from ..files.run_folder import HISTORY_CSV as HISTORY_CSV
from ..files.run_folder import HISTORY_JSON as HISTORY_JSON
from ..files.run_folder import MODEL as MODEL
from ..files.run_folder import PLOTS as PLOTS
from ..files.run_folder import weights_file
from .errors import UsageError

# The files a run writes (and rewrites) in its folder, the plots apart.
WRITTEN = (MODEL, CHECKPOINT, HISTORY_JSON, HISTORY_CSV, GRADIENTS, DIAGNOSTICS)


def create(out: str | Path, name: str = "", flag: str = "--out") -> Path:
    """A new, empty run folder under ``out``: ``out/name``, or ``out/<timestamp>``.

    ``out`` is made as :func:`output_folder` makes it; a run folder that cannot be made in it
    (a folder the system keeps, as /sys or /proc, which even root cannot write in) is the same
    usage error, naming ``flag``.
    """
    out = output_folder(out, flag)
    if name:
        if os.sep in name or name in (".", ".."):
            raise UsageError(f"--name must be a plain folder name, not a path; got {name!r}")
        folder = out / name
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"--name {name}: {folder} is a file, not a folder; choose another --name")
        try:
            _make(folder, flag)
        except FileExistsError:
            raise UsageError(f"run folder {folder} exists already; {_instead(folder)}") from None
        return folder
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 1000):
        folder = out / (stamp if attempt == 1 else f"{stamp}-{attempt}")
        try:
            _make(folder, flag)
            return folder
        except FileExistsError:
            continue
    raise UsageError(f"could not find a free run folder name under {out}; give one with --name")


def _make(folder: Path, flag: str) -> None:
    """``folder`` made; FileExistsError where it exists, any other failure a usage error."""
    try:
        folder.mkdir()
    except FileExistsError:
        raise
    except OSError as err:
        raise UsageError(
            f"{flag} {folder.parent}: cannot create the run folder {folder} "
            f"({_in_the_way(folder, err)}); choose another {flag}"
        ) from err


def _instead(folder: Path) -> str:
    """What to do instead of reusing ``folder``: another name; and, for a run that stopped
    before its model was written, ``resume`` (a finished run has nothing to resume)."""
    if (folder / MODEL).is_file():
        return "it holds a finished run; choose another --name"
    if (folder / CHECKPOINT).is_file():
        return f"choose another --name, or continue that run with 'deltaprop resume {folder}'"
    return "choose another --name"


def output_folder(path: str | Path, flag: str = "--out") -> Path:
    """``path`` as a folder to write in, made with its parents where missing.

    Whatever stands in the way is a usage error that names ``flag``, the path and the
    problem: the path is a file, a folder above it is a file, no permission to write.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path}: it is a file, not a folder; choose another {flag}")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(
            f"{flag} {path}: cannot create the folder ({_in_the_way(path, err)}); choose another {flag}"
        ) from err
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"{flag} {path}: no permission to write in it; choose another {flag}")
    return path


def _in_the_way(path: Path, err: OSError) -> str:
    """Why ``path`` could not be made, said of the nearest folder above it that exists."""
    above = next((p for p in path.parents if p.exists()), Path("."))
    if not above.is_dir():
        return f"{above} is a file, not a folder"
    if isinstance(err, PermissionError):
        return f"no permission to write in {above}"
    return err.strerror or str(err)


def model_path(path: str | Path) -> Path:
    """A model file given directly, or the model (else the checkpoint) of a run folder."""
    path = Path(path)
    if path.is_dir():
        found = weights_file(path)
        if found is not None:
            return found
        _refuse_diverged(path)
        raise UsageError(f"{path} is a folder without {MODEL}; give a model file or a finished run folder")
    if not path.exists():
        raise UsageError(f"model file {path} does not exist; give a .safetensors file or a run folder")
    return path


def folder_of(model: str | Path) -> Path | None:
    """The run folder a MODEL argument names or lies in: the folder itself, or the folder of
    its model or checkpoint file, where that folder holds a ``config.toml``; None for a model
    file anywhere else."""
    path = Path(model)
    if path.is_dir():
        folder = path
    elif path.name in (MODEL, CHECKPOINT):
        folder = path.parent
    else:
        return None
    return folder if (folder / CONFIG).is_file() else None


def with_weights(path: str | Path) -> Path:
    """``path`` as the folder of a run that has weights to read: its model, else (a run that
    diverged or was stopped before it finished) its checkpoint; else a usage error, which for
    a run that diverged in its first epoch advises a smaller learning rate."""
    run_dir = existing(path)
    if weights_file(run_dir) is not None:
        return run_dir
    _refuse_diverged(run_dir)
    if (run_dir / CONFIG).is_file():
        raise UsageError(
            f"{run_dir} holds neither {MODEL} nor {CHECKPOINT}: the run stopped before its first "
            f"epoch ended, so it has no weights to look at; start it again with "
            f"'deltaprop train --config {run_dir / CONFIG}'"
        )
    raise UsageError(
        f"{run_dir} holds neither {MODEL} nor {CHECKPOINT}; is it a run folder written by 'deltaprop train'?"
    )


def _refuse_diverged(run_dir: Path) -> None:
    """For a run folder without weights whose history says it diverged (in its first epoch, so
    no checkpoint was written), the usage error that advises a smaller learning rate, as
    ``train`` did: starting it again as it was would diverge again."""
    from .run_divergence import divergence

    diverged = divergence(run_dir)
    if diverged:
        reason, where, advice = diverged
        raise UsageError(f"{run_dir} has no weights to look at: its {reason}, and {where}; {advice}")


def existing(path: str | Path) -> Path:
    """``path`` as an existing folder (a run folder, presumably), else a usage error that says
    what it is instead."""
    run_dir = Path(path)
    if run_dir.exists() and not run_dir.is_dir():
        raise UsageError(f"{run_dir} is a file, not a run folder; give the folder 'deltaprop train' wrote")
    if not run_dir.is_dir():
        raise UsageError(f"run folder {run_dir} does not exist; give the folder 'deltaprop train' wrote")
    return run_dir
