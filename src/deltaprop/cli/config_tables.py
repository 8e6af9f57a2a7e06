"""The tables of a run's configuration and their defaults, and where each flag lands.

``DEFAULTS`` is the configuration of a run given no file and no flag, table by table; its
keys are the only ones the resolved configuration holds, and its values' types are those a
config file must give (:mod:`deltaprop.cli.config_file` checks them). ``FILE_ONLY_KEYS`` holds
the keys a file may write beyond them (``[model] hidden``), and ``FLAG_KEYS`` maps each
command-line flag's argparse destination to the ``(table, key)`` it sets. The names the keys
accept (data sets, optimizers, dtypes) are named here too, for the help and for validation.
"""

from __future__ import annotations

import copy

from .. import optimizers
from ..datasets.catalog import DATASET_NAMES

BUILTIN_DATA = DATASET_NAMES  # the names --data and [data] name accept
OPTIMIZER_NAMES = tuple(optimizers.OPTIMIZERS)  # "sgd", "momentum", "nesterov", "adam"
DTYPE_NAMES = ("float32", "float64")
AUTO = "auto"  # output_activation: softmax for log-likelihood, else the hidden activation
DEFAULT_HIDDEN = [30]
SHA256_HEX_DIGITS = 64

# The default run: Nielsen's [n_in, 30, n_out] network with a softmax output and the
# log-likelihood cost (his chapter 3), plain SGD. On the built-in digits it reaches about
# 96-97% test accuracy in a few seconds.
DEFAULTS: dict[str, dict] = {
    "data": {
        "name": "digits",
        "path": "",
        "label_column": "",
        # how a CSV is read: its first line a header or data (auto, yes, no), its separator,
        # the columns that are neither features nor labels (names or indices)
        "header": "auto",
        "delimiter": ",",
        "drop_columns": [],
        # an NPZ archive's arrays of features and labels
        "x_key": "X",
        "y_key": "y",
        "task": "auto",
        "validation_split": 0.1,
        # none, standard or minmax: the inputs (and a linear output's regression targets)
        # scaled by statistics of the training rows, the scaling folded into the saved model
        "scale": "none",
        "sha256": "",  # of a data file, recorded by train so that its readers see a changed file
    },
    "model": {
        "layers": [],  # empty: [n_in, *DEFAULT_HIDDEN, n_out] from the data
        "activation": "logistic",
        "output_activation": AUTO,
        "cost": "log_likelihood",
        "init": "normal_scaled",
        "dtype": "float64",
    },
    "training": {
        "optimizer": "sgd",
        "lr": 0.5,
        "momentum": 0.0,
        "l2": 0.0,
        "batch_size": 10,
        "epochs": 30,
        "seed": -1,  # -1: draw one at random, then record it
        "early_stopping": 0,  # patience in epochs; 0 is off
        # the model saved is the lowest-val_loss epoch's, not the last one's (with or without
        # early stopping); a checkpoint carries that epoch's weights, so resume keeps it too
        "restore_best_weights": False,
        "schedule": "none",
    },
    "run": {"out": "runs", "name": ""},
}

# Keys a config file may hold beyond those of the resolved configuration: [model] hidden,
# the hidden sizes only (input and output from the data), as --hidden gives them.
FILE_ONLY_KEYS = {"model": {"hidden": [30]}}

# Where each flag lands: argparse dest -> (table, key).
FLAG_KEYS = {
    "label_column": ("data", "label_column"),
    "header": ("data", "header"),
    "delimiter": ("data", "delimiter"),
    "drop_columns": ("data", "drop_columns"),
    "x_key": ("data", "x_key"),
    "y_key": ("data", "y_key"),
    "task": ("data", "task"),
    "validation_split": ("data", "validation_split"),
    "scale": ("data", "scale"),
    "layers": ("model", "layers"),
    "activation": ("model", "activation"),
    "output_activation": ("model", "output_activation"),
    "cost": ("model", "cost"),
    "init": ("model", "init"),
    "dtype": ("model", "dtype"),
    "optimizer": ("training", "optimizer"),
    "lr": ("training", "lr"),
    "momentum": ("training", "momentum"),
    "l2": ("training", "l2"),
    "batch_size": ("training", "batch_size"),
    "epochs": ("training", "epochs"),
    "seed": ("training", "seed"),
    "early_stopping": ("training", "early_stopping"),
    "restore_best_weights": ("training", "restore_best_weights"),
    "schedule": ("training", "schedule"),
    "out": ("run", "out"),
    "name": ("run", "name"),
}


def defaults() -> dict:
    """A fresh copy of :data:`DEFAULTS`, for a run to fill in."""
    return copy.deepcopy(DEFAULTS)


def file_keys(section: str) -> dict:
    """The keys a config file's ``[section]`` may hold, with their defaults (whose types the
    file's values must have)."""
    return {**DEFAULTS[section], **FILE_ONLY_KEYS.get(section, {})}


def tables_of_key(key: str) -> list[str]:
    """The tables a config file may write ``key`` in: ``["training"]`` for ``epochs``,
    ``["data", "run"]`` for ``name``; empty for a key no table knows."""
    return [section for section in DEFAULTS if key in file_keys(section)]
