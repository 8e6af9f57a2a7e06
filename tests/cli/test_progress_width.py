"""The progress bars fit the terminal: the batch counter is never cut, whatever its width.

On 80 columns rich used to shrink every column alike and print ``130/1…``. Each test draws
the bars into a rich Console of a given width and reads the table as it appears on screen.
"""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

import deltaprop as dp
from deltaprop.cli.progress import RichProgress
from deltaprop.training import Callback

N_TRAIN, BATCH = 1300, 10  # 130 batches an epoch, as in the audit's digits run
EPOCHS = 2


def _console(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None)


def _screen(progress, width: int) -> list[str]:
    """The bars' table as a terminal ``width`` wide shows it, one string per line."""
    out = _console(width)
    out.print(progress.make_tasks_table(progress.tasks))
    return out.file.getvalue().rstrip("\n").split("\n")


class _Screens(Callback):
    """Keeps what the bars show at the end of each epoch (after RichProgress has drawn it)."""

    def __init__(self, bars: RichProgress, width: int):
        self.bars, self.width, self.screens = bars, width, []

    def on_epoch_end(self, epoch, logs=None):
        self.screens.append(_screen(self.bars.progress, self.width))


@pytest.fixture(scope="module")
def digits():
    X, y = dp.datasets.load("digits", split="train")
    return X, y


def _train_with_bars(digits, width: int) -> list[list[str]]:
    X, y = digits
    bars = RichProgress(_console(width), EPOCHS)
    screens = _Screens(bars, width)
    net = dp.Network([64, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.fit(
        net,
        X[:N_TRAIN],
        y[:N_TRAIN],
        epochs=EPOCHS,
        batch_size=BATCH,
        learning_rate=0.5,
        validation_data=(X[N_TRAIN:], y[N_TRAIN:]),
        seed=0,
        callbacks=[bars, screens],
    )
    return screens.screens


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_batch_counter_is_whole_at_every_width(digits, width):
    for epoch, lines in enumerate(_train_with_bars(digits, width), start=1):
        assert all(cell_len(line) <= width for line in lines), lines
        batches = next(line for line in lines if line.startswith("batches"))
        assert "130/130" in batches, lines
        assert f"{epoch}/{EPOCHS}" in next(line for line in lines if line.startswith("epochs")), lines
        shown = " ".join(" ".join(lines).split())
        assert "…" not in shown, lines  # nothing cut: the metrics wrap rather than lose digits
        assert "val_accuracy 0." in shown, lines


def test_on_80_columns_the_metrics_stay_on_the_epoch_line(digits):
    epochs_line = next(line for line in _train_with_bars(digits, 80)[-1] if line.startswith("epochs"))
    assert "loss 0." in epochs_line and "accuracy 0." in epochs_line and "val_accuracy 0." in epochs_line
    assert "━" in epochs_line  # still a bar


def test_a_wide_terminal_keeps_the_full_bar_and_the_elapsed_time(digits):
    lines = _train_with_bars(digits, 120)[-1]
    batches = next(line for line in lines if line.startswith("batches"))
    assert batches.count("━") == 30
    assert "0:00:0" in batches


@pytest.mark.parametrize("total", [130, 5000, 60000])
@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_any_counter_fits_any_width(total, width):
    from deltaprop.cli.progress import FittedProgress

    progress = FittedProgress(_console(width))
    metrics = "loss 0.1234  accuracy 0.9876  val_accuracy 0.9543"
    progress.add_task("epochs", total=30, completed=30, metrics=metrics)
    progress.add_task("batches", total=total, completed=total, metrics="")
    lines = _screen(progress, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert f"{total}/{total}" in next(line for line in lines if line.startswith("batches")), lines
    assert "30/30" in next(line for line in lines if line.startswith("epochs")), lines
