"""A run's configuration: defaults, a TOML file, then command-line flags, in that order.

The resolved configuration is a dict of four tables, written to ``RUN_DIR/config.toml``
so that ``deltaprop train --config RUN_DIR/config.toml`` repeats the run exactly::

    [data]      name or path, label_column, validation_split
    [model]     layers, activation, output_activation, cost, init, dtype
    [training]  optimizer, lr, momentum, l2, batch_size, epochs, seed, early_stopping, schedule
    [run]       out, name

Every key has a command-line flag of the same name (``--batch-size`` for ``batch_size``);
``--hidden 30,30`` is shorthand for ``layers`` with the input and output sizes taken from
the data. A key the file does not know is a usage error that names it.

Schedules (``schedule``): ``none``; ``step:FACTOR:EVERY`` (η × FACTOR every EVERY epochs,
e.g. ``step:0.5:10``); ``exponential:RATE`` (η × RATE each epoch, e.g. ``exponential:0.95``);
``cosine`` or ``cosine:MIN_LR`` (from η down to MIN_LR, default 0, over the run's epochs).
"""

from __future__ import annotations

import copy
import math
import sys
from pathlib import Path

from .errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

BUILTIN_DATA = ("digits", "mnist", "fashion-mnist", "xor", "moons", "circles", "spiral", "blobs")
OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adam")
DTYPE_NAMES = ("float32", "float64")
AUTO = "auto"  # output_activation: softmax for log-likelihood, else the hidden activation
DEFAULT_HIDDEN = [30]

# The default run: Nielsen's [n_in, 30, n_out] network with a softmax output and the
# log-likelihood cost (his chapter 3), plain SGD. On the built-in digits it reaches about
# 96-97% test accuracy in a few seconds.
DEFAULTS: dict[str, dict] = {
    "data": {"name": "digits", "path": "", "label_column": "", "validation_split": 0.1},
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
        "schedule": "none",
    },
    "run": {"out": "runs", "name": ""},
}

# Where each flag lands: argparse dest -> (table, key).
FLAG_KEYS = {
    "label_column": ("data", "label_column"),
    "validation_split": ("data", "validation_split"),
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
    "schedule": ("training", "schedule"),
    "out": ("run", "out"),
    "name": ("run", "name"),
}


def defaults() -> dict:
    return copy.deepcopy(DEFAULTS)


def read_toml(path: str | Path) -> dict:
    """The tables of a config file, checked against the known keys and their types."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(
            f"config file {path} is a folder, not a TOML file; give a file such as {path / 'config.toml'}"
        )
    if not path.is_file():
        raise UsageError(f"config file {path} does not exist; check the path given to --config")
    try:
        with path.open("rb") as fh:
            table = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"config file {path} is not valid TOML: {err}; fix the file") from err
    except UnicodeDecodeError as err:  # tomllib reads UTF-8 only; a binary file lands here
        raise UsageError(
            f"config file {path} is not UTF-8 text (byte {err.start} cannot be decoded); give a TOML file"
        ) from err
    except OSError as err:
        raise UsageError(f"cannot read config file {path}: {err.strerror}") from err
    for section, values in table.items():
        if section not in DEFAULTS or not isinstance(values, dict):
            raise UsageError(f"unknown key {section!r} in {path}; expected tables [{'], ['.join(DEFAULTS)}]")
        for key, value in values.items():
            if key not in DEFAULTS[section]:
                raise UsageError(
                    f"unknown key '{section}.{key}' in {path}; "
                    f"[{section}] knows {', '.join(DEFAULTS[section])}"
                )
            _check_type(section, key, value, path)
    seed = table.get("training", {}).get("seed")
    if seed is not None and seed < 0:  # -1 means "draw one" inside; a file must not say it
        raise UsageError(
            f"'training.seed' in {path} must be ≥ 0; got {seed}. Leave it out to draw a seed at random"
        )
    return table


def _check_type(section: str, key: str, value, where) -> None:
    default = DEFAULTS[section][key]
    if isinstance(default, bool) or isinstance(value, bool):  # bool is an int to Python, not to TOML
        ok = isinstance(default, bool) and isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
    elif isinstance(default, int):
        ok = isinstance(value, int)
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    elif key == "label_column":
        ok = isinstance(value, (str, int))
    else:
        ok = isinstance(value, type(default))
    if not ok:
        expected = "a list of integers" if isinstance(default, list) else type(default).__name__
        raise UsageError(f"'{section}.{key}' in {where} must be {expected}; got {value!r}")


def merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for section, values in override.items():
        out.setdefault(section, {}).update(values)
    return out


def parse_int_list(text: str, flag: str) -> list[int]:
    """``"784,30,10"`` as ``[784, 30, 10]``; anything else is a usage error naming the flag."""
    try:
        sizes = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise UsageError(
            f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise UsageError(f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}")
    return sizes


def parse_schedule(text: str) -> tuple[str, list[float]]:
    """``step:0.5:10`` -> ("step", [0.5, 10.0]); checks the kind and the number of arguments."""
    kind, *parts = text.strip().lower().split(":")
    arity = {"none": (0, 0), "step": (2, 2), "exponential": (1, 1), "cosine": (0, 1)}
    hint = (
        "use none, step:FACTOR:EVERY (e.g. step:0.5:10), exponential:RATE (e.g. exponential:0.95) "
        "or cosine[:MIN_LR]"
    )
    if kind not in arity:
        raise UsageError(f"unknown schedule {text!r}; {hint}")
    low, high = arity[kind]
    try:
        args = [float(p) for p in parts]
    except ValueError:
        raise UsageError(f"schedule {text!r} has a non-numeric argument; {hint}") from None
    if not low <= len(args) <= high or not all(math.isfinite(a) for a in args):
        raise UsageError(f"schedule {text!r} has the wrong arguments; {hint}")
    if kind == "step" and (not 0 < args[0] or args[1] < 1 or args[1] != int(args[1])):
        raise UsageError(f"schedule {text!r}: FACTOR must be > 0 and EVERY a whole number of epochs ≥ 1")
    if kind == "exponential" and not 0 < args[0]:
        raise UsageError(f"schedule {text!r}: RATE must be > 0")
    return kind, args


def validate(config: dict) -> None:
    """Usage errors for values no run can use (data-dependent checks happen later)."""
    data, model, training = config["data"], config["model"], config["training"]
    if not data["name"] and not data["path"]:
        raise UsageError("no data given; use --data digits (or another built-in name, or a .csv/.npz path)")
    if data["name"] and data["name"] not in BUILTIN_DATA:
        raise UsageError(f"unknown data set {data['name']!r}; expected one of {', '.join(BUILTIN_DATA)}")
    if not 0.0 <= float(data["validation_split"]) < 1.0:
        raise UsageError(f"--validation-split must be in [0, 1); got {data['validation_split']}")
    if model["dtype"] not in DTYPE_NAMES:
        raise UsageError(f"--dtype must be float32 or float64; got {model['dtype']!r}")
    if training["optimizer"] not in OPTIMIZER_NAMES:
        raise UsageError(
            f"unknown optimizer {training['optimizer']!r}; expected one of {', '.join(OPTIMIZER_NAMES)}"
        )
    for key, low, strict in (("lr", 0.0, True), ("l2", 0.0, False), ("momentum", 0.0, False)):
        value = float(training[key])
        if not math.isfinite(value) or value < low or (strict and value == low):
            flag = "--" + key.replace("_", "-")
            raise UsageError(f"{flag} must be a finite number {'>' if strict else '≥'} {low:g}; got {value}")
    if training["momentum"] >= 1.0:
        raise UsageError(f"--momentum must be in [0, 1); got {training['momentum']}")
    for key in ("batch_size", "epochs"):
        if int(training[key]) < 1:
            raise UsageError(f"--{key.replace('_', '-')} must be a whole number ≥ 1; got {training[key]}")
    if int(training["early_stopping"]) < 0:
        raise UsageError(f"--early-stopping must be ≥ 0 epochs (0 is off); got {training['early_stopping']}")
    if int(training["seed"]) < -1:  # -1 is the default: draw a seed (given seeds are checked earlier)
        raise UsageError(f"--seed must be ≥ 0; got {training['seed']}")
    parse_schedule(training["schedule"])
    if training["early_stopping"] and not data["validation_split"]:
        raise UsageError("--early-stopping watches the validation loss; give --validation-split > 0 too")


def to_toml(config: dict) -> str:
    """The resolved configuration as TOML text, with a comment saying how to rerun it."""
    import tomli_w

    head = (
        "# deltaprop run configuration, resolved: every value the run used.\n"
        "# Rerun it exactly with: deltaprop train --config PATH/TO/THIS/config.toml\n\n"
    )
    clean = {section: dict(values) for section, values in config.items()}
    clean["run"]["name"] = ""  # the run folder is named once; a rerun gets its own folder
    return head + tomli_w.dumps(clean)
