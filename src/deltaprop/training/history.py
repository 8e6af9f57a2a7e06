"""History: what a training run recorded, epoch by epoch, and how it is saved.

``history.history`` is a dict of lists with Keras's names — ``loss`` and ``accuracy`` (on
the training data, running means over the epoch's mini-batches), ``val_loss`` and
``val_accuracy`` (on the validation data at the end of the epoch), ``lr`` (η during the
epoch) and ``time`` (seconds) — one entry per completed epoch; ``history.epoch`` lists
those epochs (counted from 0, as in Keras); ``history.params`` holds the run's settings
(epochs, batch_size, seed, ...). Every list has the same length: a value an epoch did not
record is NaN (Keras's lists can differ in length instead).

Files are written atomically (a temporary file in the same folder, then ``os.replace``),
so a crash never leaves half a history behind. JSON keeps everything; CSV keeps the
per-epoch table only (an ``epoch`` column, then one column per name).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os

from .._atomic import write_text
from .._text import count
from .._validation import is_number_or_null

FORMAT = "deltaprop-history"
FORMAT_VERSION = 1

# The order in which the usual names are shown and written; others follow alphabetically.
KNOWN_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy", "lr", "time")


def _sort_keys(keys) -> list[str]:
    known = [k for k in KNOWN_KEYS if k in keys]
    return known + sorted(k for k in keys if k not in KNOWN_KEYS)


def _finite_or_none(value):
    """JSON has no NaN or infinity: store them as null (read back as NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _is_sum(value) -> bool:
    """A finite number ≥ 0 read from JSON: an int or a float, not a bool."""
    return is_number_or_null(value) and value is not None and math.isfinite(value) and value >= 0


def _check_partial(partial):
    """A recorded partial epoch, checked (a history file may have been edited), or None.

    ``epoch`` and ``batch`` are ints ≥ 0; ``loss_sum`` is a number; ``correct`` is None
    (regression), the number of correct predictions so far, or — in a run with
    ``sample_weight`` — the sum of the weights of those predictions, a float: an int or a
    finite float ≥ 0, not a bool.
    """
    if partial is None:
        return None
    ok = (
        isinstance(partial, dict)
        and all(
            isinstance(partial.get(key), int) and not isinstance(partial[key], bool) and partial[key] >= 0
            for key in ("epoch", "batch")
        )
        and is_number_or_null(partial.get("loss_sum"))
        and partial.get("loss_sum") is not None
        and (partial.get("correct") is None or _is_sum(partial["correct"]))
    )
    if not ok:
        raise ValueError(
            "history 'partial' must be null or {'epoch': int, 'batch': int, 'loss_sum': number, "
            f"'correct': a count or a sum of sample weights (a finite number ≥ 0), or null}}; got {partial!r}"
        )
    return {
        "epoch": partial["epoch"],
        "batch": partial["batch"],
        "loss_sum": float(partial["loss_sum"]),
        "correct": partial["correct"],
    }


class History:
    """Per-epoch records of a training run.

    Attributes
    ----------
    history : dict[str, list[float]]
        One list per name (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``, ``lr``,
        ``time``), one entry per completed epoch.
    epoch : list[int]
        The epochs recorded, counted from 0.
    params : dict
        The run's settings: epochs, batch_size, n_samples, steps_per_epoch, seed, ...
    stopped_reason : str or None
        Why training ended before ``params["epochs"]``, in words (early stopping, a
        non-finite cost under ``TerminateOnNaN``, an interruption); None if it ran to the end.
    stopped_epoch : int or None
        The epoch (from 0) at which it stopped early, where that applies.
    partial : dict or None
        After an interruption in the middle of an epoch: that epoch's sums so far —
        ``{"epoch", "batch", "loss_sum", "correct"}`` (Σ C·m over the mini-batches done, and
        the correct predictions among them; None for regression. With ``sample_weight`` both
        are weighted sums: Σ C·Σ s_x, and the weights of the correct predictions, a float).
        ``fit`` resumed from there with this history goes on from them, so the epoch logs the
        loss and accuracy of all its mini-batches, exactly as an uninterrupted run would.
    """

    def __init__(self, params: dict | None = None):
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.params: dict = dict(params or {})
        self.stopped_reason: str | None = None
        self.stopped_epoch: int | None = None
        self.partial: dict | None = None

    def append(self, epoch: int, logs: dict) -> None:
        """Record the ``logs`` of one completed ``epoch``; names new or missing become NaN."""
        n_before = len(self.epoch)
        for key in logs:
            if key not in self.history:
                self.history[key] = [math.nan] * n_before
        for key, values in self.history.items():
            value = logs.get(key, math.nan)
            values.append(float(value) if value is not None else math.nan)
        self.epoch.append(int(epoch))

    def partial_at(self, epoch: int, batch: int) -> dict | None:
        """The sums an interrupted run recorded (``partial``) if it stopped exactly at mini-batch
        ``batch`` of ``epoch`` (0-based), else None: what a run resumed there goes on from."""
        partial = self.partial
        if partial and partial.get("epoch") == epoch and partial.get("batch") == batch:
            return partial
        return None

    def __len__(self) -> int:
        return len(self.epoch)

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __eq__(self, other) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def best(self, monitor: str = "val_loss", mode: str = "auto") -> tuple[int, float]:
        """``(epoch, value)`` of the best recorded ``monitor``: the lowest, or the highest with
        ``mode="max"`` (``"auto"``: highest for names with ``"acc"``, as the callbacks decide).
        The earliest epoch wins a tie; NaN is never best. ``epoch`` counts from 0, as
        ``history.epoch`` and the callbacks do: the first epoch is 0 (``deltaprop train``'s
        summary and ModelCheckpoint's ``{epoch}`` count from 1)."""
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be one of ('auto', 'min', 'max'); got {mode!r}")
        if monitor not in self.history:
            raise KeyError(f"monitor {monitor!r} was not recorded; recorded: {_sort_keys(self.history)}")
        maximise = mode == "max" or (mode == "auto" and "acc" in monitor)
        pairs = [(e, v) for e, v in zip(self.epoch, self.history[monitor]) if not math.isnan(v)]
        if not pairs:
            raise ValueError(f"monitor {monitor!r} has no recorded values")
        return (max if maximise else min)(pairs, key=lambda p: p[1])

    def __repr__(self) -> str:
        if not self.epoch:
            return "History(no epochs)"
        last = ", ".join(f"{k}={self.history[k][-1]:.4g}" for k in _sort_keys(self.history) if k != "time")
        stopped = f", stopped: {self.stopped_reason}" if self.stopped_reason else ""
        epochs = f"{count(len(self.epoch), 'epoch')} {self.epoch[0]}..{self.epoch[-1]}"
        return f"History({epochs}; last: {last}{stopped})"

    # --- plain data ------------------------------------------------------------------

    def to_dict(self) -> dict:
        """Everything as JSON-ready plain data (NaN and infinities become None)."""
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "epoch": list(self.epoch),
            "history": {k: [_finite_or_none(v) for v in self.history[k]] for k in _sort_keys(self.history)},
            "params": self.params,
            "stopped_reason": self.stopped_reason,
            "stopped_epoch": self.stopped_epoch,
            "partial": None if self.partial is None else dict(self.partial),
        }

    @classmethod
    def from_dict(cls, data: dict) -> History:
        """The inverse of :meth:`to_dict`."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a deltaprop history: expected a dict with format={FORMAT!r}")
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"history format version {data.get('version')!r} is not supported; expected {FORMAT_VERSION}"
            )
        if not isinstance(data.get("epoch"), list) or not isinstance(data.get("history"), dict):
            raise ValueError(
                f"a deltaprop history holds 'epoch' (a list) and 'history' (a dict of lists); got "
                f"epoch={data.get('epoch')!r:.40} and history of type {type(data.get('history')).__name__}"
            )
        params = data.get("params") or {}
        if not isinstance(params, dict):
            raise ValueError(f"history 'params' must be a dict; got {params!r:.40}")
        bad = [e for e in data["epoch"] if type(e) is not int or e < 0]
        if bad:
            raise ValueError(f"history 'epoch' must hold epoch numbers ≥ 0; got {bad[0]!r:.40}")
        hist = cls(params)
        hist.epoch = list(data["epoch"])
        for key, values in data["history"].items():
            if not isinstance(values, list):
                raise ValueError(f"history[{key!r}] must be a list of numbers; got {values!r:.40}")
            bad = [v for v in values if not is_number_or_null(v)]
            if bad:
                raise ValueError(f"history[{key!r}] must hold numbers (or null); got {bad[0]!r:.40}")
            if len(values) != len(hist.epoch):
                raise ValueError(
                    f"history[{key!r}] has {count(len(values), 'value')} but the history records "
                    f"{count(len(hist.epoch), 'epoch')}"
                )
            hist.history[key] = [math.nan if v is None else float(v) for v in values]
        hist.stopped_reason = data.get("stopped_reason")
        hist.stopped_epoch = data.get("stopped_epoch")
        hist.partial = _check_partial(data.get("partial"))
        return hist

    def copy(self) -> History:
        return History.from_dict(json.loads(json.dumps(self.to_dict())))

    # --- files -----------------------------------------------------------------------

    def to_json(self, path: str | os.PathLike) -> None:
        """Write everything (table, params, why it stopped) as JSON, atomically."""
        write_text(path, json.dumps(self.to_dict(), indent=1, allow_nan=False) + "\n")

    @classmethod
    def from_json(cls, path: str | os.PathLike) -> History:
        """Read a file written by :meth:`to_json`; ValueError naming the file if it is not one."""
        with open(path, encoding="utf-8") as fh:
            try:
                data = json.load(fh)
            except (json.JSONDecodeError, UnicodeDecodeError) as err:
                raise ValueError(f"{os.fspath(path)} is not a history file: not valid JSON ({err})") from err
        try:
            return cls.from_dict(data)
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{os.fspath(path)} is not a history file: {err}") from err

    def to_csv(self, path: str | os.PathLike) -> None:
        """Write the per-epoch table (``epoch``, then one column per name) as CSV, atomically.

        Floats are written with ``repr``, so reading them back gives the same values.
        """
        keys = _sort_keys(self.history)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["epoch", *keys])
        for row, epoch in enumerate(self.epoch):
            writer.writerow([epoch, *(repr(self.history[k][row]) for k in keys)])
        write_text(path, buf.getvalue())

    @classmethod
    def from_csv(cls, path: str | os.PathLike) -> History:
        """Read a table written by :meth:`to_csv` (params are not kept in CSV)."""
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        if not rows or rows[0][:1] != ["epoch"]:
            raise ValueError(f"{os.fspath(path)!r} is not a history CSV: its first column must be 'epoch'")
        header = rows[0]
        hist = cls()
        hist.history = {k: [] for k in header[1:]}
        for line, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                raise ValueError(
                    f"{os.fspath(path)!r} line {line} has {len(row)} fields; expected {len(header)}"
                )
            hist.epoch.append(int(row[0]))
            for key, value in zip(header[1:], row[1:]):
                hist.history[key].append(float(value))
        return hist
