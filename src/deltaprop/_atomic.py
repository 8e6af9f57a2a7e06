"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every file deltaprop writes (models, checkpoints, histories, downloads, pictures, reports)
goes through :func:`atomic_write`. The data go to a temporary file in the destination's
own folder, so that the final ``os.replace`` is a rename within one file system; they are
flushed and fsync'd first, and the folder is fsync'd after the rename, so a power cut
leaves either file whole. A symbolic link is written through (the temporary file goes beside
the file it leads to, which it replaces; the link stays), and a path that holds anything but
a regular file (a folder, a named pipe, a device, a socket) is refused before anything is
written, for the rename would put a regular file in its place. On any failure, Ctrl-C
included, the temporary file is removed and the destination is untouched.
(``tempfile.mkstemp`` makes its file readable by the owner only; the finished file gets what
``open(path, "w")`` would have given it: an existing file's own permissions, a new file
0o666 less the umask.)

This is plumbing for the layers above the core; the core itself does no I/O.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

_UMASK_LOCK = threading.Lock()
# The file system refusing the bytes themselves, wherever in the writing it shows (a buffered
# write, the flush, the close, fsync): these name no file, so the error is made to name it.
_STORAGE_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS") if hasattr(errno, name)
)


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux ≥ 4.7).

    Elsewhere the only way to read it is to set it and set it back; the lock keeps two of
    our own threads from interleaving there (another library's thread creating a file in
    those few nanoseconds would get 0o022).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        umask = os.umask(0o022)
        os.umask(umask)
    return umask


def _file_mode(path: Path) -> int:
    """The permissions ``open(path, "w")`` would give: an existing file keeps its own,
    a new one gets 0o666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


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


# What a path can hold besides a regular file or a folder; the rename would put a file in its place.
_NOT_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _resolved(path: Path) -> Path:
    """Where a symbolic link ``path`` leads, its chain followed to the end (dangling or not);
    any other path as it is."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def write_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path``, or the file its link leads to, so that
    the link stays a link. Refused before anything is written: a folder
    (``IsADirectoryError``), and a named pipe, a device or a socket (``OSError``), which the
    rename would turn into a regular file (as root, ``/dev/null`` itself)."""
    target = _resolved(path)
    # /dev/stdout leads to no path one could give (/proc/<pid>/fd/pipe:[<inode>]): not shown
    shown = f"{path} (a link to {target})" if target != path and os.path.lexists(target) else str(path)
    try:  # the path itself, as the system follows it (/dev/stdout's link to a pipe too)
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # a new file; a missing folder is said below
        return target
    except OSError as err:  # a link that loops, a folder that may not be searched
        raise _naming(err, path) from err
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{shown} is a folder; give the path of a file inside it")
    for is_kind, kind in _NOT_FILES:
        if is_kind(mode):
            raise OSError(f"{shown} is {kind}, not a regular file; give the path of a file to write")
    return target


def _naming(err: OSError, path: Path) -> OSError:
    """``err`` naming ``path``, the file the caller asked for, and nothing after it: not our
    temporary file, not ``-> None``. (``OSError(errno, ...)`` is the subclass the errno
    calls for, ``PermissionError`` for EACCES, as the original was.)"""
    return OSError(err.errno, err.strerror, str(path))


def _of_the_file(err: OSError, tmp: str) -> bool:
    """Whether ``err`` is the file system refusing our temporary file: named by it (chmod, the
    rename), or by nothing with a storage errno (the disk full mid-write). Any other error
    raised by the caller's ``write`` (a connection lost while downloading) passes as it is."""
    if type(err).__module__ != "builtins" or err.errno is None:
        return False
    return err.filename == tmp or (err.filename is None and err.errno in _STORAGE_ERRNOS)


def atomic_write(
    path: str | os.PathLike, write: Callable[[IO], None], *, binary: bool = True, parents: bool = False
) -> Path:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it to ``path``.

    A symbolic link is written through, as ``open(path, "w")`` would: the file it leads to is
    replaced (a dangling link's file is created) and the link stays. A folder, a named pipe, a
    device or a socket at ``path`` is refused before anything is written.

    ``binary=False`` opens the file as UTF-8 text (no newline translation); ``parents=True``
    creates missing folders first, otherwise a missing folder is a ``FileNotFoundError``.
    An exception raised by ``write`` (a failed checksum, say) leaves nothing behind. An
    ``OSError`` of the file system (a read-only folder, the disk full) names ``path`` alone.
    """
    path = Path(os.fspath(path))
    target = write_target(path)
    folder = target.parent
    if parents:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the folder {folder} does not exist; create it first")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:  # a folder that refuses new files: its random name means nothing
        raise _naming(err, path) from err
    try:
        os.chmod(tmp, _file_mode(target))
        mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, **mode) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(err, OSError) and _of_the_file(err, tmp):
            raise _naming(err, path) from err
        raise
    _fsync_folder(folder)
    return path


def write_text(path: str | os.PathLike, text: str, *, parents: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return atomic_write(path, lambda fh: fh.write(text), binary=False, parents=parents)


def leftovers(path) -> list[Path]:
    """The temporary files :func:`atomic_write` began for ``path`` and never finished: a
    process killed mid-write (SIGKILL, a power cut) leaves one, ``.<name>.<random>.tmp``. The
    file at ``path`` itself is never among them; a caller that knows no write is under way
    may delete them."""
    path = _resolved(Path(os.fspath(path)))  # a link's are beside the file it leads to
    return sorted(p for p in path.parent.glob(f".{path.name}.*.tmp") if p.is_file())
