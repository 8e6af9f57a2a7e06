"""Where ``predict``'s predictions go: a table on stdout (boxed on a terminal, plain in a pipe
or a log), JSON (``--json``), CSV (``--format csv``), or a file (``--output FILE``, its
format chosen by its extension, written atomically).

The CSV has a header and one row per input: ``input``, the predicted ``class`` and, where
the model stores class names, its ``class_name``, then one column per class, ``p_<name>``
(the class number where there are no names), holding its probability (the output ``a``
for a model whose outputs are not a softmax); a regression model's rows hold ``input`` and
``output``. Numbers are written in full (Python's shortest exact form), for a program to read.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .._atomic import atomic_write
from .._text import count
from .errors import UsageError
from .progress import make_console
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
    if not path.parent.is_dir():
        raise UsageError(f"--output {args.output}: the folder {path.parent} does not exist; create it first")


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
            text = json.dumps(document, indent=1) + "\n"
        try:
            atomic_write(path, lambda fh: fh.write(text), binary=False)
        except OSError as err:
            raise UsageError(f"--output {args.output}: cannot write it ({err.strerror or err})") from err
        console = raising_broken_pipe(make_console())
        console.print(f"{count(len(results), 'prediction')} written to {path}", markup=False, highlight=False)
        if note:
            console.print(note, markup=False, highlight=False, soft_wrap=True)
        return 0
    if args.json:
        json.dump(document, sys.stdout, indent=1)
        print()
        return 0
    if args.format == CSV:
        sys.stdout.write(csv_text(results, names))
        if note:
            print(note, file=sys.stderr)
        return 0
    table(raising_broken_pipe(make_console()))
    return 0
