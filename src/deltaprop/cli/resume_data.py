"""``deltaprop resume RUN --data FILE``: the run's data file, found at another path.

A run goes on with the rows it started on: the checkpoint records the data file's path and
SHA-256 (``[data] sha256``), and a file elsewhere is taken for it only where its SHA-256 is
that one (the same bytes, so the same rows, split and order). A built-in set is loaded by its
name, wherever it is cached: ``--data`` may only name that set. The new path is written into
the configuration the run trains with, and so into its ``config.toml`` and checkpoints, which
``evaluate``, ``plot`` and ``diagnose`` read.
"""

from __future__ import annotations

from pathlib import Path

from ..datasets.by_name import file_sha256
from . import rundir
from .data import data_table
from .errors import UsageError


def add_option(p) -> None:
    p.add_argument(
        "--data",
        metavar="FILE",
        help="the run's data file at another path (moved): accepted only if it is the same file, "
        "its SHA-256 the one the run recorded",
    )


def relocate(table: dict, given: str, run_dir: Path) -> bool:
    """Point the run's ``[data]`` ``table`` (the checkpoint's) at ``given`` (``--data``), or
    refuse it, naming why: another built-in set, a file of other bytes. Returns whether the
    path changed (then ``config.toml`` is to be written anew)."""
    name = table.get("name")
    if name:
        if given != name:
            raise UsageError(
                f"--data {given}: {run_dir} trained on the built-in data set {name}, which resume "
                f"loads again by its name; leave --data out"
            )
        return False
    new = data_table(given)
    if new["name"]:
        raise UsageError(
            f"--data {given}: {run_dir} trained on the file {table.get('path')}, not on a built-in "
            f"set; give that file's new path"
        )
    recorded = table.get("sha256") or ""
    if not recorded:
        raise UsageError(
            f"--data {given}: {run_dir} recorded no SHA-256 of its file {table.get('path')} (it was "
            f"trained by a deltaprop from before it did), so no other file can be known for it; put "
            f"the file back at that path"
        )
    now = file_sha256(new["path"])
    if now != recorded:
        raise UsageError(
            f"--data {given}: not the file {run_dir} trained on: its SHA-256 is {now}, the run's "
            f"file's {recorded}; the run can only go on with the rows it started on"
        )
    changed = new["path"] != table.get("path")
    table["path"] = new["path"]
    return changed


def missing_file(table: dict, run_dir: Path) -> str | None:
    """Why the run cannot be resumed where its data file is not at the path its checkpoint
    records (resume trains with the checkpoint's configuration, not config.toml's); None
    where it is there, or the run trained on a built-in set."""
    path = table.get("path")
    if table.get("name") or not path or Path(path).is_file():
        return None
    return (
        f"cannot resume {run_dir}: the run's data file {path} (the path its {rundir.CHECKPOINT} "
        f"records, from which resume trains) does not exist: moved or deleted? Put it back there, "
        f"or give its new path: deltaprop resume {run_dir} --data NEW_PATH"
    )
