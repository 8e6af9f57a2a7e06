"""``deltaprop predict MODEL INPUT...``: the predicted class and probabilities of each input
(for a model with one linear, tanh or ReLU output, a regression, the output value instead).

An INPUT is a CSV of feature rows (no label column unless ``--label-column`` names one to
drop), an NPZ holding ``X`` (or a single array), or an image file (PNG, JPEG, ...): images
are made MNIST-like (28×28) or digits-like (8×8) for models with 784 or 64 inputs, as
:mod:`deltaprop.cli.images` describes, so a digit drawn in any paint program works.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from .data import label_column_arg
from .errors import UsageError
from .evaluate import class_label, load_model_and_classes
from .images import IMAGE_SUFFIXES, image_features
from .progress import make_console

TABLE_SUFFIXES = (".csv", ".npz")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "predict",
        help="predict the class of rows (CSV, NPZ) or images (PNG, JPEG)",
        description="Predict with a trained model. INPUT: a CSV or NPZ of feature rows, or image files "
        "(a digit drawn dark on light, or light on dark; made MNIST-like for 784-input models, "
        "digits-like for 64-input models).",
    )
    p.add_argument("model", metavar="MODEL", help="a model file (.safetensors) or a run folder")
    p.add_argument("inputs", metavar="INPUT", nargs="+", help="CSV, NPZ or image files")
    p.add_argument("--label-column", help="a label column to drop from CSV input (a name or an index)")
    p.add_argument("--json", action="store_true", help="print the predictions as JSON")
    p.set_defaults(run=run)


def read_inputs(paths: list[str], n_in: int, label_column=None) -> tuple[list[str], np.ndarray]:
    """One name and one feature row ``(n_in,)`` per sample, from every INPUT in order."""
    from .. import datasets

    names: list[str] = []
    rows: list[np.ndarray] = []
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
            rows.append(image_features(path, n_in)[None, :])
            names.append(path.name)
            continue
        if suffix == ".csv":
            X, _ = datasets.load_csv(path, label_column=label_column_arg(label_column))
        elif suffix == ".npz":
            X, _ = datasets.load_npz(path, y_key=None)
        else:
            raise UsageError(
                f"input {given}: unknown kind {suffix or '(no suffix)'}; give .csv, .npz or an image "
                f"({', '.join(IMAGE_SUFFIXES)})"
            )
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != n_in:
            raise ValueError(
                f"input {given} has {X.shape[1] if X.ndim == 2 else X.shape} features per row, but the "
                f"model expects {n_in}; give rows with {n_in} features"
            )
        rows.append(X)
        names.extend(f"{path.name}:{k + 1}" for k in range(len(X)))
    return names, np.concatenate(rows, axis=0)


def run(args) -> int:
    net, class_names = load_model_and_classes(args.model)
    n_in = net.sizes[0]
    names, X = read_inputs(args.inputs, n_in, args.label_column)
    a = net.predict(X)
    single = a.shape[1] == 1
    if single and net.activation_names[-1] not in ("logistic", "softmax"):
        # One linear (tanh, ReLU) output is a regression: its a is the prediction, not a
        # probability, so there is no class to name and no 1 − a to show beside it.
        results = [{"input": name, "outputs": [float(row[0])]} for name, row in zip(names, a)]
        if args.json:
            json.dump({"model": str(args.model), "predictions": results}, sys.stdout, indent=1)
            print()
            return 0
        show_outputs(make_console(), results)
        return 0
    predicted = net.predict_classes(X)
    results = []
    for name, row, label in zip(names, a, predicted):
        if single:
            probs = [1.0 - float(row[0]), float(row[0])]
        else:
            probs = [float(v) for v in row]
        result = {"input": name, "class": int(label), "probabilities": probs}
        if class_names:
            result["class_name"] = class_names[int(label)]
        results.append(result)
    if args.json:
        json.dump({"model": str(args.model), "predictions": results}, sys.stdout, indent=1)
        print()
        return 0
    normalised = net.activation_names[-1] == "softmax" or single
    show(make_console(), results, normalised=normalised, names=class_names)
    return 0


def show_outputs(console: Console, results: list[dict]) -> None:
    """A regression model's predictions: one output value per input."""
    table = Table(title="Predictions (the output a)", title_justify="left")
    table.add_column("input")
    table.add_column("output", justify="right", style="bold")
    for result in results:
        table.add_row(result["input"], f"{result['outputs'][0]:.6g}")
    console.print(table)


def show(console: Console, results: list[dict], normalised: bool, names: list[str] | None = None) -> None:
    n_classes = len(results[0]["probabilities"])
    title = "Predictions" + ("" if normalised else " (outputs a; not a softmax, so they need not sum to 1)")
    table = Table(title=title, title_justify="left")
    table.add_column("input")
    table.add_column("class", justify="left" if names else "right", style="bold")
    for c in range(n_classes):
        table.add_column(class_label(c, names), justify="right")
    for result in results:
        probs = result["probabilities"]
        cells = [
            f"[bold green]{p:.3f}[/]"
            if c == result["class"]
            else f"[dim]{p:.3f}[/]"
            if p < 0.01
            else f"{p:.3f}"
            for c, p in enumerate(probs)
        ]
        table.add_row(result["input"], class_label(result["class"], names), *cells)
    console.print(table)
