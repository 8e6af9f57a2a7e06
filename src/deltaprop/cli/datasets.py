"""``deltaprop datasets``: list the data sets, and ``deltaprop datasets download NAME``.

The list says what each set is, its shape, whether it is here (built in, generated on
demand, or downloaded into the cache) and where. Downloads go to ``$DELTAPROP_DATA``, else
``$XDG_CACHE_HOME/deltaprop`` where that is set, else ``~/.cache/deltaprop``, with a progress
bar; every file's SHA-256 is checked. A set whose files are there but damaged (cut short,
another set's) is listed as damaged, with what is wrong, and ``download`` replaces those files.
"""

from __future__ import annotations

import sys

from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from .._text import did_you_mean
from .config import BUILTIN_DATA
from .errors import UsageError
from .progress import make_console
from .stdout import raising_broken_pipe


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "datasets",
        help="list the data sets, or download one",
        description="List the data sets (what, shape, whether local, where), or download one: "
        "'deltaprop datasets download mnist'.",
    )
    # Checked in run, not by argparse's choices: a data set's name there ("datasets mnist") is
    # answered with the command meant, not with "did you mean 'list'?".
    p.add_argument(
        "action", nargs="?", metavar="{list,download}", default="list", help="list (default) or download"
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="the data set to download (mnist, fashion-mnist)")
    p.set_defaults(run=run)


ACTIONS = ("list", "download")


def show_list(console, infos, home) -> None:
    """The table of data sets, then where each downloaded one's files are (or would go), one
    line each: a path in a table cell is folded mid-word to fit, and a folded path cannot be
    copied."""
    table = Table(title=f"Data sets (cache: {escape(str(home))})", title_justify="left")
    table.add_column("name", no_wrap=True)
    for column in ("train/test", "inputs", "classes", "here"):
        table.add_column(column, no_wrap=True)
    table.add_column("description", ratio=1)
    for info in infos:
        samples = "/".join(f"{info.n_samples[s]:,}" for s in ("train", "test") if s in info.n_samples)
        here = {"built-in": "built in", "generated": "generated"}.get(info.source)
        if here is None and info.damaged:
            here = "[red]damaged[/]"
        elif here is None:
            here = "[green]downloaded[/]" if info.present else "[yellow]not yet[/]"
        table.add_row(info.name, samples, str(info.n_features), str(info.n_classes), here, info.description)
    console.print(table)
    problem = next((info.root_problem for info in infos if info.root_problem), None)
    unusable = home.exists() and not home.is_dir()  # a file: no set is here, and none can go there
    if problem is not None:
        fix = "nothing can be kept there" if unusable else "a download creates it"
        console.print(f"note: {problem} (mistyped?); {fix}", markup=False, highlight=False, soft_wrap=True)
    for info in infos:
        if info.location is None or unusable:
            continue
        fetch = f"'deltaprop datasets download {info.name}'"
        if info.present:
            where = f"{info.name} files: {info.location}"
        elif info.damaged:
            damaged = "\n  ".join([f"{info.name} files: {info.location}, damaged:", *info.damaged])
            where = (
                f"{damaged}\n{fetch} replaces them with verified copies; or put good copies there by hand."
            )
        elif info.location_note is not None:
            nested = f"{fetch} now would put it in {info.location}, inside that folder."
            where = f"{info.name} files: not yet here. {info.location_note} {nested}"
        else:
            where = f"{info.name} files: not yet here; {fetch} puts it in {info.location}"
        console.print(where, markup=False, highlight=False, soft_wrap=True)


class _Bar:
    """The download's progress for the library: ``bar(done, total)`` moves the rich bar, and
    ``bar.message(text)`` (what is fetched from where, a mirror given up) goes to stderr."""

    def __init__(self, bar, task):
        self._bar, self._task = bar, task

    def __call__(self, done: int, total: int | None) -> None:
        self._bar.update(self._task, completed=done, total=total)

    def message(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)


def run(args) -> int:
    from .. import datasets

    console = raising_broken_pipe(make_console())
    if args.action not in ACTIONS:
        if args.action in BUILTIN_DATA:
            raise UsageError(
                f"{args.action!r} is a data set, not an action: to fetch it, "
                f"'deltaprop datasets download {args.action}'"
            )
        raise UsageError(
            f"unknown action {args.action!r}; expected one of {', '.join(ACTIONS)}"
            f"{did_you_mean(args.action, ACTIONS)}"
        )
    if args.action == "list":
        if args.name:
            raise UsageError(f"'datasets list' takes no name; got {args.name!r}")
        show_list(console, datasets.list_datasets(), datasets.data_home())
        return 0
    if not args.name:
        raise UsageError("name the data set to download, e.g. 'deltaprop datasets download mnist'")
    if args.name not in BUILTIN_DATA:
        raise UsageError(
            f"unknown data set {args.name!r}; expected one of {', '.join(BUILTIN_DATA)}"
            f"{did_you_mean(args.name, BUILTIN_DATA)}"
        )
    info = datasets.dataset_info(args.name)
    if info.source != "download":
        console.print(f"{args.name} is {info.source}: nothing to download")
        return 0
    if info.present:
        console.print(f"{args.name} is already here: {info.location}", markup=False)
        return 0
    with Progress(
        TextColumn(f"[bold]{args.name}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        # Gone when done, and none in a log: a failed download left "0/? bytes ?" above its error.
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        progress = _Bar(bar, bar.add_task("download", total=None))
        folder = datasets.download_dataset(args.name, progress=progress)
    console.print(f"{args.name} downloaded and verified: {folder}", markup=False)
    return 0
