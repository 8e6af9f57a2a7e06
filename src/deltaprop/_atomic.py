"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every file deltaprop writes (models, checkpoints, histories, downloads, pictures, reports)
goes through :func:`atomic_write`. The data go to a temporary file in the destination's
own folder, so that the final ``os.replace`` is a rename within one file system; they are
flushed and fsync'd first, and the folder is fsync'd after the rename, so a power cut
leaves either file whole. On any failure, Ctrl-C included, the temporary file is removed
and the destination is untouched. (``tempfile.mkstemp`` makes its file readable by the
owner only; the finished file gets what ``open(path, "w")`` would have given it.)

This is plumbing for the layers above the core; the core itself does no I/O.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def _new_file_mode() -> int:
    """0o666 less the umask: the permissions of a file made by ``open(path, "w")``."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable where a folder can be opened (POSIX); a no-op elsewhere."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(
    path: str | os.PathLike, write: Callable[[IO], None], *, binary: bool = True, parents: bool = False
) -> Path:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it to ``path``.

    ``binary=False`` opens the file as UTF-8 text (no newline translation); ``parents=True``
    creates missing folders first, otherwise a missing folder is a ``FileNotFoundError``.
    An exception raised by ``write`` (a failed checksum, say) leaves nothing behind.
    """
    path = Path(os.fspath(path))
    folder = path.parent
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give the path of a file inside it")
    if parents:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the folder {folder} does not exist; create it first")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.chmod(tmp, _new_file_mode())
        mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, **mode) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)
    return path


def write_text(path: str | os.PathLike, text: str, *, parents: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return atomic_write(path, lambda fh: fh.write(text), binary=False, parents=parents)
