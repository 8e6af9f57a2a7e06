"""Where ``predict``'s predictions go, and how they look: a table on stdout (boxed on a
terminal, plain in a pipe or a log; a column per class, or each input's likeliest classes where
the terminal is too narrow for those: :func:`show`, :func:`show_outputs`), JSON (``--json``),
CSV (``--format csv``), or a file (``--output FILE``, its format chosen by its extension,
written atomically).

The CSV has a header and one row per input: ``input``, the predicted ``class`` and, where
the model stores class names, its ``class_name``, then one column per class, ``p_<name>``
(the class number where there are no names), holding its probability (the output ``a``
for a model whose outputs are not a softmax); a regression model's rows hold ``input`` and
``output``. Numbers are written in full (Python's shortest exact form), for a program to read.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .._atomic import atomic_write
from .._text import count
from .errors import UsageError
from .json_out import json_text
from .output_file import check_output_file
from .progress import make_console
from .run_model import class_label
from .stdout import raising_broken_pipe

TABLE, CSV = "table", "csv"
FORMATS = (TABLE, CSV)
FILE_FORMATS = {".csv": CSV, ".json": "json"}  # --output FILE: by its extension


def add_options(p) -> None:
    """``--json``, ``--format`` and ``--output`` on predict's parser ``p``."""
    p.add_argument("--json", action="store_true", help="print the predictions as JSON")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=TABLE,
        help="table (default: boxed on a terminal, plain columns in a pipe or a file) or csv: a "
        "header, then one row per input with its class, class name and each class's probability",
    )
    p.add_argument(
        "--output",
        metavar="FILE",
        help="write the predictions to FILE instead, as CSV (FILE.csv) or JSON (FILE.json), "
        "atomically: a reader never sees half a file",
    )


def check_options(args) -> None:
    """Refuse contradicting flags and an ``--output`` that cannot be written, before any work."""
    if args.json and args.format != TABLE:
        raise UsageError(f"--json and --format {args.format} ask for two formats; give one of them")
    if args.output is None:
        return
    path = Path(args.output)
    if args.json or args.format != TABLE:
        given = "--json" if args.json else f"--format {args.format}"
        raise UsageError(
            f"{given} is for stdout; with --output {args.output} the file's extension chooses the "
            f"format (.csv or .json): leave {given} out"
        )
    if path.suffix.lower() not in FILE_FORMATS:
        raise UsageError(
            f"--output {args.output}: its extension {path.suffix or '(none)'} names no format; "
            f"give a file name ending in .csv or .json"
        )
    if path.is_dir():
        raise UsageError(f"--output {args.output} is a folder; give the path of a .csv or .json file")
    check_output_file(path, "--output")


def csv_text(results: list[dict], names: list[str] | None) -> str:
    """The predictions as CSV text (see the module's docstring), ending in a newline."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if "outputs" in results[0]:  # a regression
        writer.writerow(["input", "output"])
        writer.writerows([r["input"], repr(r["outputs"][0])] for r in results)
        return out.getvalue()
    n_classes = len(results[0]["probabilities"])
    columns = [f"p_{names[c] if names else c}" for c in range(n_classes)]
    writer.writerow(["input", "class", *(["class_name"] if names else []), *columns])
    for r in results:
        named = [r["class_name"]] if names else []
        writer.writerow([r["input"], r["class"], *named, *map(repr, r["probabilities"])])
    return out.getvalue()


def deliver(args, results: list[dict], names: list[str] | None, note: str | None, table: Callable) -> int:
    """Send ``results`` where the flags say; ``table(console)`` prints them as a table.
    ``note`` (what was done to the images) goes under the table, to stderr beside CSV on
    stdout (the CSV stays a CSV), and after the line that names the file written."""
    document = {"model": str(args.model), "predictions": results}
    if args.output is not None:
        path = Path(args.output)
        if FILE_FORMATS[path.suffix.lower()] == CSV:
            text = csv_text(results, names)
        else:
            text = json_text(document)[0] + "\n"  # standard JSON: a non-finite output as null
        try:
            atomic_write(path, lambda fh: fh.write(text), binary=False)
        except OSError as err:  # the file system failing while writing (the disk full): exit 1
            raise OSError(f"--output {args.output}: cannot write it ({err.strerror or err})") from err
        console = raising_broken_pipe(make_console())
        console.print(f"{count(len(results), 'prediction')} written to {path}", markup=False, highlight=False)
        if note:
            console.print(note, markup=False, highlight=False, soft_wrap=True)
        return 0
    if args.json:
        print(json_text(document)[0])  # standard JSON: a non-finite output as null
        return 0
    if args.format == CSV:
        sys.stdout.write(csv_text(results, names))
        if note:
            print(note, file=sys.stderr)
        return 0
    table(raising_broken_pipe(make_console()))
    return 0


def show_outputs(console: Console, results: list[dict], note: str | None = None) -> None:
    """A regression model's predictions: one output value per input; ``note`` under the table."""
    table = Table()
    table.add_column("input")
    table.add_column("output", justify="right", style="bold")
    for result in results:
        table.add_row(escape(result["input"]), f"{result['outputs'][0]:.6g}")
    _print_table(console, "Predictions (the output a)", table)
    _print_note(console, note)


def _print_table(console: Console, title: str, table: Table) -> None:
    """``title`` on a line of its own, then ``table`` (plain off a terminal): as the table's
    title it was wrapped to the table's width, "Predictions (the" above "output a)" in a pipe."""
    console.print(title, style="italic", markup=False, highlight=False, soft_wrap=True)
    console.print(_plain_off_a_terminal(console, table))


def _plain_off_a_terminal(console: Console, table: Table) -> Table:
    """``table`` without box drawing where stdout is no terminal (``> p.txt``, ``| grep``):
    columns aligned by spaces, the heading a line of its own, for a file or another tool."""
    if not console.is_terminal:
        table.box, table.pad_edge = None, False
    return table


def _print_note(console: Console, note: str | None) -> None:
    """``note`` under the table, on one line (as a caption it was wrapped to the table's width,
    which cut it mid-phrase in a log)."""
    if note:
        console.print(note, markup=False, highlight=False, soft_wrap=True)


TOP_SHOWN = 3  # on a terminal too narrow for a column per class: the most likely classes


def show(
    console: Console,
    results: list[dict],
    normalised: bool,
    names: list[str] | None = None,
    note: str | None = None,
) -> None:
    """Each input's class and the probability of every class, a column per class; on a
    terminal too narrow for those, the :data:`TOP_SHOWN` most likely classes of each input
    instead. Then the class names (where they are not the numbers) and ``note``."""
    n_classes = len(results[0]["probabilities"])
    title = "Predictions" + ("" if normalised else " (outputs a; not a softmax, so they need not sum to 1)")
    table = _table_per_class(results, names, n_classes)
    if _width(table) > console.width:
        table = _table_of_the_likeliest(results, names)
    _print_table(console, title, table)
    if names and any(class_label(c, names) != str(c) for c in range(n_classes)):
        legend = ", ".join(class_label(c, names) for c in range(n_classes))
        console.print(f"classes: {legend}", markup=False, highlight=False, soft_wrap=True)
    _print_note(console, note)


def _first_columns(results: list[dict], names: list[str] | None) -> Table:
    """A table with the input and the predicted class, neither of them ever cut ("f0_9.p…"
    named no file)."""
    table = Table()
    table.add_column("input", no_wrap=True, min_width=max(len(r["input"]) for r in results))
    shown = [class_label(r["class"], names) for r in results]
    justify = "left" if names else "right"
    table.add_column("class", justify=justify, style="bold", no_wrap=True, min_width=max(map(len, shown)))
    return table


def _width(table: Table) -> int:
    """The width ``table`` needs with none of its columns cut: each column's widest cell or
    heading (or its minimum width), a space either side, and a border between and around."""

    def widest(column) -> int:
        texts = [column.header, *column.cells]
        return max([column.min_width or 0, *(Text.from_markup(str(text)).cell_len for text in texts)])

    return sum(widest(column) + 2 for column in table.columns) + len(table.columns) + 1


def _cell(p: float, predicted: bool) -> str:
    if predicted:
        return f"[bold green]{p:.3f}[/]"
    return f"[dim]{p:.3f}[/]" if p < 0.01 else f"{p:.3f}"


def _table_per_class(results: list[dict], names: list[str] | None, n_classes: int) -> Table:
    """A column per class, headed by its number (the names go in a line under the table: ten
    names such as "T-shirt/top" as headings made it too wide, and every column was cut)."""
    table = _first_columns(results, names)
    for c in range(n_classes):
        table.add_column(str(c), justify="right", no_wrap=True, min_width=len("0.000"))
    for result in results:
        cells = [_cell(p, c == result["class"]) for c, p in enumerate(result["probabilities"])]
        table.add_row(escape(result["input"]), escape(class_label(result["class"], names)), *cells)
    return table


def _table_of_the_likeliest(results: list[dict], names: list[str] | None) -> Table:
    """The predicted class's probability and the next likeliest classes with theirs."""
    table = _first_columns(results, names)
    table.add_column("p", justify="right", no_wrap=True)
    table.add_column(f"next {TOP_SHOWN - 1} (class p)")
    for result in results:
        probs = result["probabilities"]
        order = sorted(range(len(probs)), key=lambda c: -probs[c])
        others = [c for c in order if c != result["class"]][: TOP_SHOWN - 1]
        table.add_row(
            escape(result["input"]),
            escape(class_label(result["class"], names)),
            _cell(probs[result["class"]], True),
            ", ".join(f"{c} {probs[c]:.3f}" for c in others),
        )
    return table
