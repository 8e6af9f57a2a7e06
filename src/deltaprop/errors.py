"""The exceptions deltaprop raises on purpose, but for those that belong to one layer's module.

Each subclasses the builtin a user would already catch (``ValueError`` for bad
files, ``FloatingPointError`` for a diverged run), so ``except ValueError`` keeps
working in code that does not know deltaprop.

Defined beside the code that raises them, and importable from :mod:`deltaprop` like these:

* ``CsvCellError`` (a :class:`DataFileError`: a feature cell that is not a number, with its
  ``column``) and the warning ``CsvLayoutWarning``: :mod:`deltaprop.datasets.csv_file`;
* the warning ``OutputCostWarning`` (an output activation and cost that fit each other badly):
  :mod:`deltaprop.training.output_cost`.

The command line's own, which it turns into a one-line message and never lets out:
``ImageError`` (:mod:`deltaprop.cli.images`) and ``UsageError`` (:mod:`deltaprop.cli.errors`).
"""

from __future__ import annotations


class ModelFileError(ValueError):
    """A model or checkpoint file is missing, truncated, corrupted, foreign or of an unknown version."""


class DataFileError(ValueError):
    """A data file (IDX, CSV, NPZ) is malformed, truncated or hostile."""


class DownloadError(OSError):
    """A data set could not be downloaded or failed its checksum."""


class DivergenceError(FloatingPointError):
    """Training produced a non-finite cost.

    ``epoch`` and ``batch`` (both counted from 1) say where; ``history`` holds what
    was recorded up to the last good epoch; ``before_update`` is True when the cost was
    already non-finite on the call's first mini-batch, before any update (so not η's doing:
    the data or the weights are).
    """

    def __init__(self, message: str, *, epoch: int, batch: int, history=None, before_update: bool = False):
        super().__init__(message)
        self.epoch = epoch
        self.batch = batch
        self.history = history
        self.before_update = before_update
