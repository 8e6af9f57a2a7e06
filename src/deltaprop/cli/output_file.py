"""An output file named on the command line (``predict --output``, ``explain --out``), checked
before any work.

One rule for every command's exit code: what can be known about the path before running (it
is a folder, a pipe or a device; its folder is missing, read-only or closed to us) is a usage
error, exit 2, as a bad flag is; the file system failing while the file is written (the disk
full) is a failure while running, exit 1, with the file named.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._atomic import write_target
from .errors import UsageError


def check_output_file(path: str | Path, flag: str) -> Path:
    """``path`` as given to ``flag``, once it is known that a file can be written there: a
    :class:`UsageError` naming the flag, the path and the problem otherwise."""
    path = Path(path)
    try:
        target = write_target(path)  # as atomic_write will: refuses a folder, a pipe, a device, a socket
    except OSError as err:
        raise UsageError(f"{flag} {path}: cannot write it ({err.strerror or err})") from None
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"{flag} {path}: the folder {folder} does not exist; create it first")
    why = unwritable(folder)
    if why:
        raise UsageError(f"{flag} {path}: cannot write in {folder} ({why}); choose another {flag}")
    return path


def unwritable(folder: Path) -> str | None:
    """Why no file can be made in the existing ``folder``, or None when one can."""
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        read_only = False
    return "a read-only file system" if read_only else "no permission to write in it"
