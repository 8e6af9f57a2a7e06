"""Verified downloads: try each mirror in turn, check SHA-256, write atomically.

A file is streamed into a temporary file in the destination folder while its SHA-256 is
computed; only when the transfer is complete and the digest matches is it flushed to disk
(``fsync``) and moved into place with ``os.replace``. A failed, truncated or mismatched
download leaves nothing behind, and an existing file is never half-overwritten.

Nothing here prints. Progress goes to an optional callable ``progress(bytes_done, bytes_total)``
(``bytes_total`` is ``None`` when the sizes are not known in advance). A progress that can also
show words has a ``message(text)`` method (:class:`~deltaprop.datasets.progress.TextProgress` and
the CLI's bar do): it is told, as it happens, that a mirror failed and the next is tried, so a
network that drops packets is not half a minute of silence per mirror (see :func:`announce`).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._atomic import atomic_write
from ..errors import DownloadError

Progress = Callable[[int, "int | None"], None]

DEFAULT_TIMEOUT = 30.0  # seconds without data before a mirror is given up
_CHUNK = 1 << 16
_SCHEMES = ("http", "https")
_USER_AGENT = "deltaprop (https://pypi.org/project/deltaprop/)"


@dataclass(frozen=True)
class RemoteFile:
    """A file to fetch: its ``name`` (appended to each mirror URL), SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int | None = None


class _AttemptFailed(Exception):
    """One mirror failed for one file; the message says why."""


def check_mirrors(mirrors, name: str = "mirrors") -> tuple[str, ...]:
    """``mirrors`` as a non-empty tuple of http(s) base URLs."""
    if isinstance(mirrors, str) or not isinstance(mirrors, Sequence):
        raise TypeError(f"{name} must be a list of base URLs; got {mirrors!r}")
    if not mirrors:
        raise ValueError(f"{name} is empty; give at least one base URL to download from")
    for url in mirrors:
        scheme = urllib.parse.urlsplit(url).scheme if isinstance(url, str) else None
        if scheme not in _SCHEMES:
            raise ValueError(f"{name} must hold http:// or https:// URLs; got {url!r}")
    return tuple(mirrors)


def announce(progress, text: str) -> None:
    """Tell ``text`` to ``progress`` if it can show words (has a ``message`` method); else nothing."""
    message = getattr(progress, "message", None)
    if callable(message):
        message(text)


def file_url(mirror: str, name: str) -> str:
    """The URL of ``name`` on ``mirror`` (a base URL with or without a trailing slash)."""
    return mirror.rstrip("/") + "/" + urllib.parse.quote(name)


def fetch_files(
    files: Sequence[RemoteFile],
    dest_dir: str | os.PathLike,
    mirrors: Sequence[str],
    *,
    progress: Progress | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Path]:
    """Download ``files`` into ``dest_dir``, each from the first mirror that serves it intact.

    Parameters
    ----------
    files : what to fetch, with the SHA-256 each must have.
    dest_dir : created if missing; each file lands at ``dest_dir / file.name``.
    mirrors : base URLs, tried in order; the file's URL is ``mirror + "/" + name``.
    progress : called as ``progress(bytes_done, bytes_total)`` as data arrives, counted over
        all of ``files`` (``bytes_total`` is ``None`` unless every size is known).
    timeout : seconds to wait for a connection or for data before trying the next mirror.

    Returns
    -------
    The paths written, in the order of ``files``.

    Raises
    ------
    DownloadError : a file could not be fetched intact from any mirror. The message lists
        every URL tried and why it failed, and where to put the file by hand. Files already
        fetched intact stay; folders this call created and left empty are removed.
    """
    mirrors = check_mirrors(mirrors)
    dest = Path(dest_dir)
    created = _missing_folders(dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(f"cannot create the download folder {dest}: {err}") from err
    try:
        return _fetch_all(files, dest, mirrors, progress, timeout)
    except BaseException:
        _remove_if_empty(created)  # a failed first download leaves no empty cache folders behind
        raise


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, deepest first."""
    missing = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; stops at the first that holds something
        try:
            folder.rmdir()
        except OSError:
            return


def _fetch_all(files, dest: Path, mirrors, progress, timeout) -> list[Path]:
    sizes = [remote.size for remote in files]
    total = sum(sizes) if all(size is not None for size in sizes) else None
    done = 0
    written = []
    for remote in files:
        failures = []
        for number, mirror in enumerate(mirrors):
            url = file_url(mirror, remote.name)
            base = done

            def report(file_done: int, base: int = base) -> None:
                if progress is not None:
                    progress(base + file_done, total)

            try:
                written.append(_fetch_one(url, remote, dest, report, timeout))
            except _AttemptFailed as err:
                failures.append(f"{url}: {err}")
                if number + 1 < len(mirrors):
                    announce(progress, f"{url}: {err}; trying the next mirror, {mirrors[number + 1]}")
                continue
            done += remote.size if remote.size is not None else written[-1].stat().st_size
            break
        else:
            tried = "\n".join(f"  - {line}" for line in failures)
            raise DownloadError(
                f"could not download {remote.name} from any of {len(mirrors)} mirror(s):\n{tried}\n"
                f"Check your internet connection, or put the file in {dest} by hand "
                f"(its SHA-256 must be {remote.sha256})."
            )
    return written


def _fetch_one(url: str, remote: RemoteFile, dest: Path, report, timeout: float) -> Path:
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _stream_to_file(response, remote, dest, report)
    except urllib.error.HTTPError as err:
        raise _AttemptFailed(f"HTTP {err.code} {err.reason}") from err
    except (urllib.error.URLError, TimeoutError) as err:  # connecting, or waiting for the answer
        if isinstance(err, TimeoutError) or isinstance(err.reason, TimeoutError):
            raise _AttemptFailed(f"timed out: nothing received within {timeout:g} s") from err
        raise _AttemptFailed(f"could not connect ({err.reason})") from err
    except (http.client.HTTPException, OSError) as err:
        raise _AttemptFailed(f"transfer failed ({type(err).__name__}: {err})") from err


def _content_length(response) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _stream_to_file(response, remote: RemoteFile, dest: Path, report) -> Path:
    """Stream the response into ``dest/remote.name`` atomically, checking size and SHA-256
    before the file takes its name: a short, long or mismatched transfer leaves nothing."""
    announced = _content_length(response)
    if remote.size is not None and announced is not None and announced != remote.size:
        raise _AttemptFailed(f"the server announces {announced:,} bytes, but the file has {remote.size:,}")
    expected = remote.size if remote.size is not None else announced

    def copy_verified(out) -> None:
        digest = hashlib.sha256()
        received = 0
        while True:
            try:
                chunk = response.read(_CHUNK)
            except http.client.IncompleteRead as err:
                received += len(err.partial)
                chunk = b""
            if not chunk:
                break
            received += len(chunk)
            if expected is not None and received > expected:
                raise _AttemptFailed(f"the server sent more than the {expected:,} bytes expected")
            digest.update(chunk)
            out.write(chunk)
            report(received)
        if expected is not None and received < expected:
            raise _AttemptFailed(f"truncated transfer: got {received:,} of {expected:,} bytes")
        got = digest.hexdigest()
        if got != remote.sha256.lower():
            raise _AttemptFailed(f"checksum mismatch: expected SHA-256 {remote.sha256}, got {got}")

    return atomic_write(dest / remote.name, copy_verified)
