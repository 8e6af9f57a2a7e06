"""What the user sees while a run trains: callbacks of the CLI layer (the library prints nothing).

On a terminal, :class:`RichProgress` draws an epoch bar and a batch bar with the live loss
and accuracy; elsewhere (a log file, CI) :class:`PlainProgress` writes one line per epoch.
:func:`summary_table` is the table shown when the run ends.
"""

from __future__ import annotations

import math
import re
import sys
import time

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from .._text import fmt_seconds
from ..training.callback import Callback

PLAIN_WIDTH = 120  # columns of rich output when stdout is not a terminal
BAR_WIDTH = 30  # the bar on a wide terminal
MIN_BAR_WIDTH = 10  # narrower than this a bar says little; the elapsed time goes first
ELAPSED_WIDTH = 7  # "0:01:23"
SHOWN = ("loss", "accuracy", "val_accuracy")  # beside the epoch bar, as "loss 0.2143"
BATCH_REFRESH_SECONDS = 0.1  # how often the batch bar is redrawn; drawing each batch would slow training


FIXED_POINT_BELOW = 1e5  # a cost or metric from here on is written 1.2346e+90, not in 91 digits


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.4f}" if abs(value) < FIXED_POINT_BELOW else f"{value:.4e}"


def epoch_line(epoch: int, epochs: int, logs: dict) -> str:
    """``epoch 3/30  loss 0.2143  accuracy 0.9412  val_loss ...  lr 0.5  0.21s``."""
    parts = [f"epoch {epoch + 1}/{epochs}"]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        if key in logs and not math.isnan(logs[key]):
            parts.append(f"{key} {_fmt(logs[key])}")
    if "lr" in logs:
        parts.append(f"lr {logs['lr']:.3g}")
    if "time" in logs:
        parts.append(fmt_seconds(logs["time"]))
    return "  ".join(parts)


class PlainProgress(Callback):
    """One plain line per epoch, for logs and CI."""

    def __init__(self, console: Console, epochs: int):
        self.console = console
        self.epochs = epochs

    def on_epoch_end(self, epoch, logs=None):
        self.console.print(epoch_line(epoch, self.epochs, logs or {}), highlight=False, soft_wrap=True)

    def close(self) -> None:
        pass


class FittedProgress(Progress):
    """Rich's Progress laid out anew at each redraw to fit the terminal's width, as it is now.

    The description and the batch counter (``130/130``) are never cut. As the terminal
    narrows the bar shrinks from BAR_WIDTH to MIN_BAR_WIDTH, then the elapsed time is left
    out, and only then do the metrics wrap onto a second line (rich would otherwise shrink
    every column alike and cut the counter to ``130/1…`` on 80 columns).
    """

    def __init__(self, console: Console, metrics_width: int = 0):
        self.metrics_width = metrics_width  # room kept for the metrics before the first epoch ends
        self.bar = BarColumn(bar_width=BAR_WIDTH, table_column=Column(no_wrap=True))
        self.leading = (
            TextColumn("[bold]{task.description}", table_column=Column(no_wrap=True)),
            self.bar,
            MofNCompleteColumn(table_column=Column(no_wrap=True)),
            TextColumn("{task.fields[metrics]}", table_column=Column(no_wrap=False)),  # it may wrap
        )
        self.elapsed = TimeElapsedColumn(table_column=Column(no_wrap=True))
        super().__init__(*self.leading, self.elapsed, console=console, transient=False)

    def make_tasks_table(self, tasks):
        tasks = [task for task in tasks if task.visible]
        if tasks:
            self.columns = self._fit(self.console.width, tasks)
        return super().make_tasks_table(tasks)

    def _fit(self, width: int, tasks) -> tuple:
        description = max(cell_len(task.description) for task in tasks)
        counter = max(2 * len(str(int(task.total or 0))) + 1 for task in tasks)
        metrics = max(self.metrics_width, *(cell_len(task.fields.get("metrics", "")) for task in tasks))
        room = width - (description + counter + metrics + 3)  # 3 single spaces between 4 columns
        with_time = room - (ELAPSED_WIDTH + 1) >= MIN_BAR_WIDTH
        if with_time:
            room -= ELAPSED_WIDTH + 1
        self.bar.bar_width = max(MIN_BAR_WIDTH, min(BAR_WIDTH, room))
        return (*self.leading, self.elapsed) if with_time else self.leading


class RichProgress(Callback):
    """An epoch bar and a batch bar, with the last epoch's loss and accuracy beside them."""

    def __init__(self, console: Console, epochs: int, initial_epoch: int = 0, initial_batch: int = 0):
        self.console = console
        self.epochs = epochs
        self.initial_epoch = initial_epoch
        self.initial_batch = initial_batch
        self.progress: Progress | None = None
        self._last_draw = 0.0
        self._loss_sum = 0.0
        self._seen = 0

    def on_train_begin(self, logs=None):
        # the bar keeps one width all run: room for the metrics each epoch will show
        shown = [key for key in SHOWN if key in self.run.metrics]
        self.progress = FittedProgress(self.console, len("  ".join(f"{key} 0.0000" for key in shown)))
        steps = int(self.run.params.get("steps_per_epoch") or 1)
        self.epoch_task = self.progress.add_task(
            "epochs", total=self.epochs, completed=self.initial_epoch, metrics=""
        )
        self.batch_task = self.progress.add_task("batches", total=steps, completed=0, metrics="")
        self.progress.start()

    def on_epoch_begin(self, epoch, logs=None):
        start = self.initial_batch if epoch == self.initial_epoch else 0
        self.progress.update(self.batch_task, completed=start, metrics="")
        self._loss_sum, self._seen = 0.0, 0

    def on_batch_end(self, batch, logs=None):
        if logs and "loss" in logs:
            self._loss_sum += float(logs["loss"])
            self._seen += 1
        now = time.monotonic()
        if now - self._last_draw >= BATCH_REFRESH_SECONDS:
            self._last_draw = now
            live = f"loss {_fmt(self._loss_sum / self._seen)}" if self._seen else ""
            self.progress.update(self.batch_task, completed=batch + 1, metrics=live)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        shown = [f"{k} {_fmt(logs[k])}" for k in SHOWN if k in logs]
        self.progress.update(self.batch_task, completed=self.progress.tasks[self.batch_task].total)
        self.progress.update(self.epoch_task, completed=epoch + 1, metrics="  ".join(shown))

    def on_train_end(self, logs=None):
        self.close()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def make_progress(console: Console, epochs: int, initial_epoch: int = 0, initial_batch: int = 0):
    if console.is_terminal:
        return RichProgress(console, epochs, initial_epoch, initial_batch)
    return PlainProgress(console, epochs)


def summary_table(rows: list[tuple[str, str]], title: str = "Run summary") -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    for what, value in rows:
        table.add_row(what, escape(value))  # a value may be a path: "runs/exp[2]" is no markup
    return table


def fmt_metric(value) -> str:
    """A metric for the summary: accuracies as percentages, NaN or None as a dash."""
    return _fmt(value)


def fmt_percent(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{100 * value:.2f}%"


class TrimmedStdout:
    """``sys.stdout`` (whatever it is at each write) with the spaces cut from the end of each
    line: rich pads a table's title and caption to the table's width, which a log file or
    ``grep`` would keep as trailing blanks. Spaces at the end of a write are held back until
    the next shows whether a line ends there."""

    def __init__(self):
        self._spaces = ""

    def write(self, text: str) -> int:
        held = self._spaces + text
        body = held.rstrip(" ")
        self._spaces = held[len(body) :]
        sys.stdout.write(TRAILING_SPACES.sub("\n", body))
        return len(text)

    def __getattr__(self, name: str):  # flush, isatty, fileno, encoding, ...
        return getattr(sys.stdout, name)


TRAILING_SPACES = re.compile(r" +\n")


def make_console() -> Console:
    """Rich output; away from a terminal (logs, pipes) wide enough that tables are not cut,
    and plain lines without trailing blanks (:class:`TrimmedStdout`)."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=max(console.width, PLAIN_WIDTH), file=TrimmedStdout())
    return console
