"""Where data set files live: one root folder with a subfolder per data set.

The root is, in order of precedence:

1. the ``data_dir`` argument of a loader, when given;
2. the environment variable ``DELTAPROP_DATA``, when set and not empty;
3. ``$XDG_CACHE_HOME/deltaprop`` when ``XDG_CACHE_HOME`` is set, else ``~/.cache/deltaprop``.

Under the root, MNIST lives in ``mnist/`` and Fashion-MNIST in ``fashion-mnist/``, each holding
the four standard IDX files. Downloads are written to the same place loaders read from.

A root given (``data_dir`` or ``DELTAPROP_DATA``) that does not exist is created by a download, as
pip and Hugging Face create their caches; but a loader that finds no files there, or a download
that fails, says that the folder did not exist (:func:`root_problem`): a mistyped
``DELTAPROP_DATA`` is the likely cause, and the message names it as the user wrote it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DELTAPROP_DATA"
CACHE_SUBDIR = "deltaprop"


def default_cache_dir() -> Path:
    """The cache used when neither ``data_dir`` nor ``$DELTAPROP_DATA`` is given."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / CACHE_SUBDIR


def data_home(data_dir: str | os.PathLike | None = None) -> Path:
    """The root folder for data set files (see the module docstring for the order).

    The folder is not created here; downloads create it when they need it.
    """
    if data_dir is not None:
        if not isinstance(data_dir, (str, os.PathLike)):
            raise TypeError(
                f"data_dir must be a path (str or os.PathLike) or None; got {data_dir!r} "
                f"of type {type(data_dir).__name__}"
            )
        return Path(data_dir).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_cache_dir()


def root_problem(data_dir: str | os.PathLike | None = None) -> str | None:
    """What is wrong with the data root, naming where it was set (``DELTAPROP_DATA=/data does not
    exist``), or ``None``: it is a folder, or it is the default cache, not made yet."""
    root = data_home(data_dir)
    if root.is_dir():
        return None
    if data_dir is not None:
        origin = f"data_dir={os.fspath(data_dir)!r}"
    elif os.environ.get(ENV_VAR):
        origin = f"{ENV_VAR}={os.environ[ENV_VAR]}"
    else:
        return None if not root.exists() else f"the cache {root} is not a folder"
    return f"{origin} is not a folder" if root.exists() else f"{origin} does not exist"
