"""``deltaprop evaluate MODEL --data ...``: cost, accuracy, per-class precision and recall,
and the confusion matrix, as rich tables or ``--json``.

MODEL is a model file or a run folder; with a run folder and no ``--data``, the data of its
``config.toml`` is used. A built-in set is evaluated on its test split (``--split``). A file
has no test split: for a run trained on it, the validation rows the run held out are scored
(the same seeded split, drawn again), and where there are none, or with ``--data FILE``,
every row; the header says which rows, and whether the model was trained on them.

A file's labels are read through the model's class names, in the order ``train`` stored
them: a file holding only some of the classes keeps each label's meaning, and a label the
model does not know is refused.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .._text import count
from ..datasets.by_name import changed_since, file_sha256
from . import rundir
from .config import read_toml
from .data import (
    TASKS,
    add_file_options,
    apply_file_flags,
    check_label_column,
    data_table,
    file_kind,
    file_options,
    load_labelled,
    match_classes,
    run_file_options,
)
from .errors import UsageError
from .evaluate_fit import builtin_for, check_data_fits, check_width_first
from .json_out import json_text
from .progress import fmt_metric, make_console
from .run_model import class_label, load_model_and_classes, weights_epoch
from .scores import REGRESSION_METRICS, evaluate_model
from .stdout import raising_broken_pipe

DEFAULT_SPLIT = "test"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="cost, accuracy, per-class precision/recall and confusion matrix of a model",
        description="Evaluate a trained model on a data set: cost, accuracy, per-class precision and "
        "recall, confusion matrix.",
    )
    p.add_argument("model", metavar="MODEL", help="a model file (.safetensors) or a run folder")
    p.add_argument(
        "--data",
        help="digits, mnist, fashion-mnist, ..., or a PATH.csv / PATH.npz "
        "(default: the run folder's data; for a model file outside one, the built-in set "
        "whose inputs and classes are the model's)",
    )
    p.add_argument("--label-column", help="the label column of a CSV: a name or an index (default: the last)")
    add_file_options(p)  # --header, --delimiter, --drop-columns, --x-key, --y-key (default: the run's)
    p.add_argument(
        "--split",
        choices=("train", "test"),
        help="which split of a built-in data set (default: test); a .csv/.npz file has none",
    )
    p.add_argument(
        "--task",
        choices=TASKS,
        help="read a file's numeric labels as classes or regression targets (default: classes for "
        "a model that stores class names, else as the run read them, else auto)",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(run=run)


def _run_config(model: str) -> dict:
    """The ``config.toml`` of MODEL's run folder (MODEL the folder, or its model or checkpoint
    file); ``{}`` for a model file outside a run folder, and for a model file given by its
    name beside a ``config.toml`` that is no run's (the file alone is read, as predict reads
    it): only a folder given as MODEL must be a run folder."""
    folder = rundir.folder_of(model)
    if folder is None:
        return {}
    try:
        return read_toml(folder / rundir.CONFIG)
    except UsageError:
        if Path(model).is_dir():
            raise
        return {}


def _data_for(args, run_config: dict, net, names) -> dict:
    """The ``[data]`` table to evaluate on: ``--data``, else the run's own, else the built-in
    set that fits the model (:func:`~.evaluate_fit.builtin_for`); a ``--data`` file of the run's
    file's kind is read as the run read its file (:func:`~.data.run_file_options`), the flags
    given winning; with the ``task`` that reads its labels as the model was trained to output them."""
    trained = run_config.get("data")
    if args.data:  # read as the run read its file where it is of that file's kind, as predict does
        table = data_table(args.data)
        table.update(run_file_options(trained, file_kind(table["path"]), [table["path"]]))
    else:
        table = trained or {"name": builtin_for(args.model, net, names)}
        table = {"name": table.get("name", ""), "path": table.get("path", ""), **file_options(table)}
    if args.label_column is not None:
        table["label_column"] = args.label_column
        check_label_column(table)
    data = table.get("name") or table.get("path")
    named = f"the run's data {data}" if trained else f"{data}, the built-in set that fits the model,"
    apply_file_flags(args, table, None if args.data else named)
    # A model with class names is a classifier, whatever the run's task; -1/1 in a file are then
    # two classes to look up, not targets for a network with two outputs.
    table["task"] = args.task or ("classification" if names else run_config.get("data", {}).get("task", ""))
    return table


def _same_data(table: dict, trained: dict | None) -> bool:
    """Whether ``table`` names the data the run trained on (the same set, or file and column).
    A file is the run's at the path the run read, or anywhere with the SHA-256 the run recorded
    (``[data] sha256``): a moved or copied file holds the same rows, the trained ones among them."""
    if not trained:
        return False
    if table.get("name") or trained.get("name"):
        return table.get("name") == trained.get("name")
    if not table.get("path") or not trained.get("path"):
        return False
    if str(table.get("label_column") or "") != str(trained.get("label_column") or ""):
        return False
    path, recorded = Path(table["path"]), trained.get("sha256")
    if path.resolve() == Path(trained["path"]).resolve():
        return True
    return bool(recorded) and path.is_file() and file_sha256(path) == recorded


def _validation_rows(net, y: np.ndarray, run_config: dict, data: str) -> np.ndarray | None:
    """The rows ``fit`` held out for validation in the run (sorted), drawn again from the
    run's seed and fraction as :func:`deltaprop.training.fit` drew them; None if none."""
    from ..training._data import check_targets
    from ..training.arguments import split_indices

    fraction = run_config.get("data", {}).get("validation_split", 0.0)
    seed = run_config.get("training", {}).get("seed")
    if not isinstance(fraction, (int, float)) or not 0 < fraction < 1:
        return None
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        return None
    try:
        targets = check_targets(y, net.sizes[-1], len(y))
        return split_indices(targets, len(y), float(fraction), seed)[1]
    except ValueError as err:  # the run drew this split from these rows: has the file changed since?
        raise ValueError(
            f"the validation rows the run held out cannot be drawn again from {data} ({err}); has the file "
            f"changed since the run? Give it with --data to score every row"
        ) from err


def _first_names(names, shown: int = 4) -> str:
    """``T-shirt/top, Trouser, Pullover, Dress, ...``: the first class names, for a message."""
    return ", ".join(map(str, names[:shown])) + (", ..." if len(names) > shown else "")


def run(args) -> int:
    net, names = load_model_and_classes(args.model)
    run_config = _run_config(args.model)
    table = _data_for(args, run_config, net, names)
    data = table.get("name") or table.get("path")
    own = _same_data(table, run_config.get("data"))
    is_file = not table.get("name")
    if is_file and args.split is not None:
        validated = own and not args.data and run_config.get("data", {}).get("validation_split")
        instead = "a file is scored whole"
        if validated:
            instead = f"evaluate {args.model} then scores the validation rows the run held out"
        raise UsageError(
            f"--split {args.split} applies to the built-in data sets only; {data} is a file, which has "
            f"no train or test split. Leave --split out: {instead}"
        )
    check_width_first(table, args.model, net.sizes[0])
    X, y, classes = load_labelled(
        table,
        args.split or DEFAULT_SPLIT,
        seed=_seed_of(run_config),
        instead=", or give the data with --data",
    )
    y = match_classes(y, classes, names, data, args.model)
    check_data_fits(net, X, y, data, args.model, table)
    if not is_file and classes is not None and names is not None and tuple(classes) != tuple(names):
        # a built-in set's numbers name its own classes (MNIST's digits), not the model's
        # (Fashion-MNIST's clothes): scored by number, the result would mean nothing
        raise UsageError(
            f"the model {args.model} knows the classes {_first_names(names)}, but the data set {data} "
            f"has the classes {_first_names(classes)}; evaluate it on data of its own classes"
        )
    changed = changed_since(run_config.get("data", {})) if is_file and own else None
    if changed and not args.data:  # the rows drawn again would be others: a wrong score, said as right
        raise ValueError(
            f"the validation rows the run held out cannot be found again: {changed}. Give it with "
            f"--data to score every row"
        )
    held_out = _validation_rows(net, y, run_config, data) if is_file and own and not changed else None
    n_rows = len(X)
    result_rows: dict = {"n_rows": n_rows}
    if not is_file:
        split = args.split or DEFAULT_SPLIT
        result_rows.update(rows=f"{split} split", includes_training_rows=(split == "train") if own else None)
    elif own and held_out is not None and not args.data:
        X, y = X[held_out], y[held_out]
        result_rows.update(rows="validation", includes_training_rows=False)
    else:
        result_rows.update(rows="all", includes_training_rows=True if own else None)
        if changed:
            result_rows["changed"] = changed
        elif own:
            result_rows["n_trained"] = n_rows - (0 if held_out is None else len(held_out))
            result_rows["n_validation"] = 0 if held_out is None else len(held_out)
    result = evaluate_model(net, X, y)
    if names and "per_class" in result:
        for row in result["per_class"]:
            row["name"] = names[row["class"]]
    result["model"] = str(args.model)
    epoch = weights_epoch(args.model)
    if epoch is not None:
        result["weights_epoch"] = epoch
    result["data"] = data
    result["split"] = None if is_file else (args.split or DEFAULT_SPLIT)
    result.update(result_rows)
    text, not_finite = json_text(result)
    if not_finite:  # said on stderr, for JSON (null) and the table (inf, nan) alike
        print(
            f"deltaprop evaluate: note: {_and(not_finite)} came out not finite: squared, errors as large "
            f"as these (past about 1e154) overflow float64"
            + ("; JSON has no infinity or NaN, so they are written as null" if args.json else ""),
            file=sys.stderr,
        )
    if args.json:
        print(text)
        return 0
    show(raising_broken_pipe(make_console()), result)
    return 0


def _and(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: names in a sentence."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _seed_of(run_config: dict) -> int | None:
    """The seed of a run's generated data set (moons, spiral, ...), so its test split matches."""
    seed = run_config.get("training", {}).get("seed")
    return int(seed) if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0 else None


def _rows_scored(result: dict) -> str:
    """Which rows were scored, in words, so that no score on training rows passes for a test."""
    n, n_rows = result["n_samples"], result.get("n_rows", result["n_samples"])
    samples, rows = count(n, "sample"), count(n_rows, "row")
    if result.get("split"):
        trained = ""
        if result.get("includes_training_rows"):
            trained = " — including the rows the model was trained on"
        return f" ({result['split']} split): {samples}{trained}"
    if result.get("rows") == "validation":
        return f": {samples} — the validation rows held out by the run: {n} of {n_rows}"
    if result.get("changed"):
        return (
            f": {samples} — all {rows} of the file, which has changed since the run read it (its "
            f"SHA-256 is not the one the run recorded): which rows the model was trained on is not known"
        )
    if not result.get("includes_training_rows"):
        return f": {samples} — all {rows} of the file"
    if not result.get("n_validation"):
        return (
            f": {samples} — all {rows} of the file, every one of them a row the model was "
            f"trained on (the run held out none for validation)"
        )
    return (
        f": {samples} — all {rows} of the file, including the {result['n_trained']} the model "
        f"was trained on; without --data, evaluate scores only the {result['n_validation']} validation "
        f"rows the run held out"
    )


def show(console: Console, result: dict) -> None:
    epoch = f" (weights of epoch {result['weights_epoch']})" if "weights_epoch" in result else ""
    console.print(
        f"model {result['model']}{epoch} on {result['data']}{_rows_scored(result)}",
        markup=False,
        soft_wrap=True,
    )
    summary = Table(show_header=False, title="Evaluation", title_justify="left")
    summary.add_row("cost", fmt_metric(result["loss"]))
    if "accuracy" in result:
        summary.add_row("accuracy", f"{100 * result['accuracy']:.2f}%")
    for key, label in REGRESSION_METRICS:
        if key in result:
            summary.add_row(label, fmt_metric(result[key]))
    console.print(summary)
    if "per_class" not in result:
        return
    per_class = Table(title="Per class", title_justify="left")
    names = [row.get("name", str(row["class"])) for row in result["per_class"]]
    named = any(class_label(c, names) != str(c) for c in range(len(names)))
    for column in ("class", "precision", "recall", "f1", "support"):
        per_class.add_column(column, justify="left" if named and column == "class" else "right")
    for row in result["per_class"]:
        per_class.add_row(
            escape(class_label(row["class"], names)),
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            str(row["support"]),
        )
    console.print(per_class)
    matrix = result["confusion_matrix"]
    # The caption as a line of its own: as the table's title it wraps to the narrow table's width.
    console.print("Confusion matrix (rows: true class, columns: predicted)", style="italic")
    confusion = Table()
    confusion.add_column("true", justify="left" if named else "right", style="bold")
    for c in range(len(matrix)):
        confusion.add_column(str(c), justify="right")
    for c, row in enumerate(matrix):
        cells = [
            f"[bold green]{v}[/]" if k == c else (f"[red]{v}[/]" if v else "[dim]0[/]")
            for k, v in enumerate(row)
        ]
        confusion.add_row(escape(class_label(c, names)), *cells)
    console.print(confusion)
