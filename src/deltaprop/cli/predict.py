"""``deltaprop predict MODEL INPUT...``: the predicted class and probabilities of each input
(for a model with one linear, tanh or ReLU output, a regression, the output value instead).

An INPUT is a CSV of feature rows (``.csv``, ``.tsv`` or ``.txt``; no label column unless
``--label-column`` names one to drop), an NPZ holding ``X``, or an image file (PNG, JPEG, ...) for a
model with 784 (28×28) or 64 (8×8) inputs, prepared as :mod:`deltaprop.cli.images`
describes: an image of the model's size is used as it is (grey, [0, 1], light on dark);
one of another size is digit-normalised as MNIST was made when the model was trained on
digits, else resized whole. Which applies (``--image-prep auto``) is read from the run: its
``config.toml`` ``[data]`` name (``mnist`` and ``digits`` are digits), or, for a model file
outside a run folder, its class names (the ten digits "0".."9").

A CSV or NPZ INPUT is read as ``--header``, ``--delimiter``, ``--drop-columns`` and ``--x-key``
say (:func:`input_reading`); for MODEL a run folder, those not given are the run's
(its ``[data]`` table) where INPUT is of the run's file's kind, so more rows of the run's file
layout are read as the run read its file. The run's label column is not dropped unasked (an
INPUT holds feature rows); a CSV that still holds it is refused with a message naming it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from rich.console import Console

from .._text import count
from ..datasets.by_name import (
    CSV_KEYS,
    CSV_SUFFIX,
    HEADER_WORDS,
    NPZ_KEYS,
    NPZ_SUFFIX,
    delimiter_for,
    parse_label_column,
)
from . import rundir
from .config import read_toml
from .config_origins import spell
from .config_validate import reading_problem
from .data import add_file_options, file_kind, run_file_options
from .errors import UsageError
from .images import (
    AS_IS,
    DIGIT,
    IMAGE_SIDES,
    IMAGE_SUFFIXES,
    MNIST_SIZE,
    WHOLE,
    check_image_model,
    preparation,
    prepare,
    read_grey,
)
from .predict_csv import data_lines, read_csv_rows, wrong_width
from .predict_output import add_options as add_output_options
from .predict_output import check_options, deliver, show, show_outputs
from .run_model import load_model_and_classes

KIND_NAMES = {CSV_SUFFIX: "CSV", NPZ_SUFFIX: "NPZ"}  # the INPUTs the file options read
AUTO = "auto"
MAX_NAMED = 5  # inputs named in one note; the rest are counted
IMAGE_PREPS = (AUTO, DIGIT, WHOLE)
DIGIT_DATA = ("mnist", "digits")  # the built-in sets of digits, whose models get digit images
DIGIT_CLASSES = [str(digit) for digit in range(10)]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "predict",
        help="predict the class of rows (CSV, NPZ) or images (PNG, JPEG)",
        description="Predict with a trained model. INPUT: a CSV or NPZ of feature rows, or image files for a "
        "model with 784 (28x28) or 64 (8x8) inputs. Every image is made grey in [0, 1] at its own "
        "depth (8-bit / 255 as the data sets are, 16-bit / 65535) and inverted if its background is "
        "light (the data sets are light on black). An image already 28x28 (8x8) is then used as it "
        "is. One of another size (say a photo) is, for a model trained on digits (mnist, digits), "
        "digit-normalised as MNIST was made: cropped to the ink, scaled into a 20x20 box and centred "
        "by its centre of mass in 28x28 (for 8x8: a 32x32 bitmap counted in 4x4 blocks); for any "
        "other model (fashion-mnist, a CSV) resized whole to 28x28 (8x8) as Fashion-MNIST was made: "
        "plain margins trimmed, aspect kept, padded with its background, nothing inside cropped. The "
        "table says which was done.",
    )
    p.add_argument("model", metavar="MODEL", help="a model file (.safetensors) or a run folder")
    p.add_argument("inputs", metavar="INPUT", nargs="+", help="CSV, NPZ or image files")
    p.add_argument(
        "--image-prep",
        choices=IMAGE_PREPS,
        default=AUTO,
        help="how an image not of the model's size is prepared: digit (MNIST's digit "
        "normalisation), whole (resized whole), or auto (default): digit for a model trained on "
        "mnist or digits, as its run folder's config.toml says (a model file alone: when its "
        "classes are the digits 0-9), else whole",
    )
    files = p.add_argument_group(
        "reading CSV and NPZ inputs",
        "How INPUT files are read. Default: for MODEL a run folder, as the run read its data file, "
        "for INPUTs of that file's kind (a CSV or an NPZ); else the defaults shown.",
    )
    files.add_argument(
        "--label-column",
        metavar="COL",
        help="a CSV's label column to drop, by name or index (default: none; INPUT holds feature rows)",
    )
    add_file_options(files, labels=False)
    files.add_argument("--y-key", help=argparse.SUPPRESS)  # refused with its reason (input_reading)
    add_output_options(p)
    p.set_defaults(run=run)


def run_data(model: str | Path) -> dict | None:
    """The ``[data]`` table of the run folder ``model`` names (or whose model or checkpoint file
    it is); None where it is no run folder or its ``config.toml`` cannot be read."""
    folder = rundir.folder_of(model)
    if folder is None:
        return None
    try:
        data = read_toml(folder / rundir.CONFIG).get("data", {})
    except UsageError:  # an unreadable config says nothing of the data
        return None
    return data if isinstance(data, dict) else None


def input_reading(args, data: dict | None) -> dict:
    """How the INPUT files are read: ``header`` (as :func:`~deltaprop.datasets.load_csv` takes
    it), ``delimiter``, ``drop_columns``, ``label_column`` (``--label-column``, None without
    it) and ``run_label`` (the run's label column where it named one, for a message; never
    dropped unasked: predict reads feature rows) for a CSV; ``x_key`` for an NPZ.

    ``data``: the run's ``[data]`` table (:func:`run_data`), whose keys are the defaults for
    INPUTs of its file's kind; a built-in set's run, or a model file, gives none. A flag given
    wins. One for a kind of file that no INPUT is (``--delimiter`` with an NPZ only), a value
    no reader can use, and ``--y-key`` (predict reads features only) are usage errors naming it.
    """
    if args.y_key is not None:
        raise UsageError(
            f"{spell({}, 'data', 'y_key', args.y_key)}: predict reads an NPZ's features only "
            f"(the --x-key array), not its labels; leave --y-key out"
        )
    kinds = {file_kind(given) for given in args.inputs}
    run_csv = run_file_options(data, CSV_SUFFIX, args.inputs)  # {}: the run's data were no CSV
    reading = {**CSV_KEYS, **NPZ_KEYS, **run_csv, **run_file_options(data, NPZ_SUFFIX)}
    run_label = parse_label_column(run_csv["label_column"]) if run_csv else None
    if run_csv and run_label is None:
        run_label = -1  # the run read its CSV's labels from the last column, the loader's default
    for key, kind in [(key, CSV_SUFFIX) for key in CSV_KEYS] + [("x_key", NPZ_SUFFIX)]:
        value = getattr(args, key, None)
        if value is None:
            continue
        flag = spell({}, "data", key, value)
        if kind not in kinds:
            raise UsageError(
                f"{flag}: applies to {KIND_NAMES[kind]} INPUT files only, and "
                f"{_none_of(args.inputs)}; leave it out"
            )
        problem = reading_problem({"path": f"INPUT{kind}", key: value}, "INPUT")
        if problem is not None:
            raise UsageError(f"{flag}: {problem[1]}")
        reading[key] = value
    return _readers_keywords(reading, parse_label_column(args.label_column), run_label)


def _none_of(inputs: list[str]) -> str:
    """``more.npz is not one``, or ``none of a.npz, b.png is one``, for a message."""
    if len(inputs) == 1:
        return f"{inputs[0]} is not one"
    return f"none of {', '.join(inputs)} is one"


def _readers_keywords(values: dict, label_column, run_label) -> dict:
    """:func:`input_reading`'s dict from ``[data]`` values (``header`` as ``auto``/``yes``/``no``)."""
    return {
        "header": HEADER_WORDS.get(values["header"], values["header"]),
        "delimiter": values["delimiter"],
        "drop_columns": list(values["drop_columns"]),
        "label_column": label_column,
        "run_label": run_label,
        "x_key": values["x_key"],
    }


def trained_on(model: str | Path) -> str | None:
    """The data a run was trained on, as its ``config.toml`` ``[data]`` table names it: a
    built-in set's name (``"fashion-mnist"``) or the file's (``"rows.csv"``); None where
    ``model`` is not a run folder (or its model or checkpoint file) with a readable config."""
    data = run_data(model) or {}  # an unreadable config says nothing of the data: the class names decide
    for key in ("name", "path"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value if key == "name" else Path(value).name
    return None


def digit_images(model: str | Path, class_names: list[str] | None, image_prep: str) -> tuple[bool, str]:
    """Whether images not of the model's size get digit normalisation, and why (said under
    the table): ``--image-prep``, else the run's data set, else the model's class names."""
    if image_prep != AUTO:
        return image_prep == DIGIT, f"--image-prep {image_prep} asked"
    data = trained_on(model)
    if data is not None:
        return data in DIGIT_DATA, f"the model was trained on {data}"
    if class_names == DIGIT_CLASSES:
        return True, "the model's classes are the digits 0-9"
    return False, "nothing says the model was trained on digits"


def read_inputs(
    paths: list[str], n_in: int, label_column=None, digit: bool = False, reading: dict | None = None
) -> tuple[list[str], np.ndarray, list[str | None]]:
    """One name and one feature row ``(n_in,)`` per sample, from every INPUT in order, and
    per sample what was done to it if it is an image (``"as-is"``, ``"digit"``, ``"whole"``),
    else None. ``reading``: how a CSV or NPZ is read (:func:`input_reading`); None: the
    readers' defaults, with ``label_column`` (a name or an index) dropped from a CSV."""
    from .. import datasets

    if reading is None:
        reading = _readers_keywords({**CSV_KEYS, **NPZ_KEYS}, parse_label_column(label_column), None)

    names: list[str] = []
    rows: list[np.ndarray] = []
    prepared: list[str | None] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            raise UsageError(
                f"input {given} is a folder; give CSV, NPZ or image files (e.g. {path / '*.png'})"
            )
        if not path.is_file():
            raise UsageError(f"input {given} does not exist; give CSV, NPZ or image files")
        suffix = path.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            check_image_model(n_in)
            grey = read_grey(path)
            prepared.append(preparation(grey.shape, n_in, digit=digit))
            rows.append(prepare(grey, n_in, digit=digit, where=str(path))[None, :])
            names.append(path.name)
            continue
        kind = file_kind(given)
        if kind == CSV_SUFFIX:  # a .tsv's tabs where no other separator was given
            read = {**reading, "delimiter": delimiter_for(path, reading["delimiter"])}
            X = read_csv_rows(path, given, n_in, read)  # its width checked, with advice
        elif kind == NPZ_SUFFIX:
            X, _ = datasets.load_npz(path, reading["x_key"], y_key=None)
        else:
            raise UsageError(
                f"input {given}: unknown kind {suffix or '(no suffix)'}; give .csv, .tsv, .txt, .npz or an "
                f"image ({', '.join(IMAGE_SUFFIXES)})"
            )
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != n_in:
            raise ValueError(wrong_width(given, X, n_in))
        rows.append(X)
        lines = data_lines(path, len(X), read["delimiter"]) if kind == CSV_SUFFIX else None
        names.extend(f"{path.name}:{k}" for k in (lines or range(1, len(X) + 1)))
        prepared.extend([None] * len(X))
    return names, np.concatenate(rows, axis=0), prepared


def image_note(prepared: list[str | None], n_in: int, why: str) -> str | None:
    """A line that says what was done to the image inputs, and why; None without images."""
    done = set(prepared) - {None}
    if not done:
        return None
    side = IMAGE_SIDES[n_in]
    size = f"{side}×{side}"
    parts = []
    if AS_IS in done:
        parts.append(f"images already {size} were used as they are (grey in [0, 1], light on dark)")
    which = "others" if AS_IS in done else "images"
    if DIGIT in done:
        how = (
            "scaled into a 20×20 box and centred by its mass"
            if side == MNIST_SIZE
            else "scaled into a 32×32 bitmap and counted in 4×4 blocks"
        )
        parts.append(f"{which} were digit-normalised (cropped to the ink, {how}), as {why}")
    if WHOLE in done:
        parts.append(
            f"{which} were resized whole to {size} (plain margins trimmed, aspect kept, padded), as {why}"
        )
    note = "; ".join(parts)
    return note[0].upper() + note[1:] + "."


def run(args) -> int:
    check_options(args)
    reading = input_reading(args, run_data(args.model))  # a flag that cannot apply: before any work
    net, class_names = load_model_and_classes(args.model, data_after="the INPUT files after it")
    n_in = net.sizes[0]
    digit, why = digit_images(args.model, class_names, args.image_prep)
    names, X, prepared = read_inputs(args.inputs, n_in, digit=digit, reading=reading)
    note = image_note(prepared, n_in, why)
    with np.errstate(over="ignore", invalid="ignore"):  # said below, in one line, not in NumPy's traces
        a = net.predict(X)
    overflowed = [name for name, row in zip(names, a) if not np.isfinite(row).all()]
    if overflowed:
        shown = ", ".join(overflowed[:MAX_NAMED]) + (", ..." if len(overflowed) > MAX_NAMED else "")
        print(
            f"deltaprop predict: note: the outputs of {count(len(overflowed), 'input')} ({shown}) came out "
            f"not finite: the inputs are too large for the model, and float64 overflowed",
            file=sys.stderr,
        )
    single = a.shape[1] == 1
    if single and net.activation_names[-1] not in ("logistic", "softmax"):
        # One linear (tanh, ReLU) output is a regression: its a is the prediction, not a
        # probability, so there is no class to name and no 1 − a to show beside it.
        results = [{"input": name, "outputs": [float(row[0])]} for name, row in zip(names, a)]
        for result, how in zip(results, prepared):
            if how is not None:
                result["image"] = how
        return deliver(args, results, None, note, lambda console: show_outputs(console, results, note))
    predicted = net.predict_classes(X)
    results = []
    for name, row, label, how in zip(names, a, predicted, prepared):
        if single:
            probs = [1.0 - float(row[0]), float(row[0])]
        else:
            probs = [float(v) for v in row]
        result = {"input": name, "class": int(label), "probabilities": probs}
        if class_names:
            result["class_name"] = class_names[int(label)]
        if how is not None:
            result["image"] = how
        results.append(result)
    normalised = net.activation_names[-1] == "softmax" or single

    def table(console: Console) -> None:
        show(console, results, normalised=normalised, names=class_names, note=note)

    return deliver(args, results, class_names, note, table)
