"""Where an IDX data set's files are, which are missing or damaged, and what to say about them.

A set's folder is ``<root>/<spec.folder>`` (``mnist/`` under the data root of
:mod:`deltaprop.datasets.paths`). When that folder does not exist, the set's files are also taken
from where people commonly keep them, but only where they are verifiably this set's own
(:mod:`deltaprop.datasets.idx_verify`): MNIST and Fashion-MNIST files have the same names, so a
name alone cannot tell which set a folder of loose IDX files holds, while their checksums can.
Those places, in order: the root itself when it is named as the set (``DELTAPROP_DATA=/data/mnist``;
by name, as before checksums were kept), then the root holding the files directly, its ``raw/``,
and torchvision's ``MNIST/raw/`` and ``MNIST/`` (``FashionMNIST/...`` for Fashion-MNIST). Loose
files that are not the set's are never taken; the not-found error says what they are instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .idx_sets import FASHION_MNIST, IDX_SETS, MNIST, SPLITS, IdxDataset
from .idx_verify import file_fault, identify
from .paths import ENV_VAR, data_home

_GZ = ".gz"


def local_file(folder: Path, name: str) -> Path | None:
    """``folder / name`` if it exists, else the un-gzipped ``folder / name[:-3]``, else ``None``."""
    candidates = [folder / name]
    if name.endswith(_GZ):
        candidates.append(folder / name[: -len(_GZ)])
    for path in candidates:
        if path.is_file():
            return path
    return None


def _all_names(spec: IdxDataset) -> list[str]:
    return [name for names in spec.files.values() for name in names]


def missing_files(spec: IdxDataset, folder: Path, splits: Sequence[str] = SPLITS) -> list[str]:
    """The names of ``splits``' files of which no copy (gzipped or not) is in ``folder``."""
    return [name for split in splits for name in spec.files[split] if local_file(folder, name) is None]


def damaged_files(
    spec: IdxDataset, folder: Path, splits: Sequence[str] = SPLITS
) -> list[tuple[str, Path, str]]:
    """``(name, path, fault)`` for each file of ``splits`` in ``folder`` that is not the set's own
    (wrong size or checksum: see :func:`~deltaprop.datasets.idx_verify.file_fault`)."""
    found = []
    for split in splits:
        for name in spec.files[split]:
            path = local_file(folder, name)
            fault = None if path is None else file_fault(spec, name, path)
            if fault is not None:
                found.append((name, path, fault))
    return found


def how_to_fetch(spec: IdxDataset) -> str:
    """The command, and its Python equivalent, that fetch a verified copy of ``spec``'s files."""
    return (
        f"`deltaprop datasets download {spec.name}` (in Python: dp.datasets.download_dataset({spec.name!r}))"
    )


def damaged_reason(spec: IdxDataset, name: str, path: Path, fault: str, root: Path | None = None) -> str:
    """Why ``path`` is not ``spec``'s ``name``, and what it is instead if it is another known
    file; with the data ``root``, where such a file belongs (none is said when it is about to be
    replaced)."""
    text = f"{path} is not {spec.name}'s {name}: {fault}."
    other = identify(path, [*IDX_SETS, spec])
    if other is not None:
        other_spec, other_name = other
        text += f" It is {other_spec.name}'s {other_name}"
        if root is not None and other_spec is not spec and other_spec in IDX_SETS:
            text += f": move it into {root / other_spec.folder}"
        text += "."
    return text


def damaged_message(spec: IdxDataset, name: str, path: Path, fault: str, root: Path) -> str:
    """:func:`damaged_reason`, then how to get the right file."""
    reason = damaged_reason(spec, name, path, fault, root)
    return (
        f"{reason} {how_to_fetch(spec)} replaces it with a verified copy; or put a good copy there by hand."
    )


def still_damaged(spec: IdxDataset, folder: Path, root: Path) -> str:
    """After a download failed: each file of the set (every split, as :func:`still_missing` names)
    in ``folder`` that is still not the set's own, what is wrong with it, and what to do; ``""``
    when there is none."""
    reasons = [damaged_reason(spec, *found, root) for found in damaged_files(spec, folder)]
    if not reasons:
        return ""
    head = f"{spec.name} files in {folder} that are damaged (kept until a verified copy replaces them):"
    fix = "Replace them with good copies by hand (each must have its published SHA-256), or download again"
    fix += " when online."
    return "\n  ".join([head, *reasons]) + f"\n{fix}"


def still_missing(spec: IdxDataset, folder: Path, splits: Sequence[str]) -> str:
    """The files of ``splits`` missing from ``folder``, then the other splits' that are missing
    too, so that the files named are every one to copy in (``deltaprop train`` reads the test
    split after the training one), not the first split's alone."""
    named = ", ".join(missing_files(spec, folder, splits))
    for split in spec.files:
        others = missing_files(spec, folder, [split]) if split not in splits else []
        if others:
            named += f"; the {split} split's {', '.join(others)} are missing too"
    return named


def _other_places(spec: IdxDataset, root: Path) -> list[Path]:
    places = [root, root / "raw"]
    if spec.torchvision_folder:
        places += [root / spec.torchvision_folder / "raw", root / spec.torchvision_folder]
    return places


def _present(spec: IdxDataset, folder: Path) -> list[Path]:
    return [path for name in _all_names(spec) if (path := local_file(folder, name)) is not None]


def _holds_the_set(spec: IdxDataset, folder: Path) -> bool:
    """Whether ``folder`` holds some of ``spec``'s files and nothing else under their names."""
    present = _present(spec, folder)
    return bool(present) and all(identify(path, [spec]) is not None for path in present)


def dataset_folder(spec: IdxDataset, data_dir: str | os.PathLike | None = None) -> Path:
    """The folder of ``spec``'s files: ``spec.folder`` under the data root
    (:func:`~deltaprop.datasets.paths.data_home`), else one of the places the module docstring
    names that holds the set's files, verified; else ``spec.folder`` under the root, where a
    download puts them."""
    root = data_home(data_dir)
    folder = root / spec.folder
    if folder.exists():
        return folder
    if root.name == spec.folder and _present(spec, root):
        return root
    for place in _other_places(spec, root):
        if _holds_the_set(spec, place):
            return place
    return folder


def root_is_a_set_folder(spec: IdxDataset, root: Path) -> str | None:
    """What to say when the data ``root`` is another set's own folder (``DELTAPROP_DATA=/data/mnist``
    when ``spec`` is Fashion-MNIST), where ``spec``'s folder would be nested; else ``None``."""
    if root.name in (MNIST.folder, FASHION_MNIST.folder) and root.name != spec.folder:
        return (
            f"{root} is the folder of the {root.name} files, not a data root: set {ENV_VAR} to the "
            f"folder above it ({root.parent}), which holds {MNIST.folder}/ and {FASHION_MNIST.folder}/."
        )
    return None


def where_hint(spec: IdxDataset, folder: Path) -> str:
    """What to say when ``spec``'s files are not in ``folder``: the root is another set's folder
    (set ``DELTAPROP_DATA`` to the folder above), or files named as the set's lie elsewhere
    under the root but are not its own (another set's, or damaged)."""
    root = folder.parent
    other_set = root_is_a_set_folder(spec, root)
    if other_set is not None:
        return f" {other_set}"
    places = [root / known.folder for known in IDX_SETS if known is not spec]  # copied in the wrong one
    places += [place for known in (spec, *IDX_SETS) for place in _other_places(known, root)]
    hints = [_place_hint(spec, place, folder) for place in dict.fromkeys(places) if _present(spec, place)]
    if any(not move for _, move in hints):
        hints.append((f" Put {spec.name}'s own files in {folder}.", True))
    return "".join(text for text, _ in hints)


def _place_hint(spec: IdxDataset, place: Path, folder: Path) -> tuple[str, bool]:
    """What the files under ``spec``'s names in ``place`` (a folder not read for ``spec``) are,
    and whether that says what to do with them (they are the set's own: move them)."""
    present = _present(spec, place)
    odd = [path for path in present if identify(path, [spec]) is None]
    if not odd:  # the set's own, in another set's folder or one looked in for another set only
        return f" {place} holds {spec.name}'s files: move them into {folder}.", True
    if len(odd) < len(present):
        return f" {place} holds {spec.name}'s files, but {odd[0].name} is not one of them.", False
    known = identify(odd[0], IDX_SETS)
    what = f"{known[0].name}'s files" if known else "files named as its, but not its published files"
    return f" {place} holds {what}, not taken as {spec.name}'s.", False
