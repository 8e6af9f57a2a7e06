"""A run's configuration: defaults, a TOML file, then command-line flags, in that order.

The resolved configuration is a dict of four tables, written to ``RUN_DIR/config.toml``
so that ``deltaprop train --config RUN_DIR/config.toml`` repeats the run exactly::

    [data]      name or path, label_column, task, validation_split, scale, sha256 (written by train)
    [model]     layers, activation, output_activation, cost, init, dtype
    [training]  optimizer, lr, momentum, l2, batch_size, epochs, seed, early_stopping,
                restore_best_weights, schedule
    [run]       out, name

Every key has a command-line flag of the same name (``--batch-size`` for ``batch_size``),
but for ``[data]`` ``name`` and ``path``, which ``--data`` sets (a built-in name or a file), and
``sha256``, which only ``train`` writes; a true/false key has a ``--no-`` flag too
(``--no-restore-best-weights``), to turn off what a file turned on. ``--hidden 30,30``
(``[model] hidden = [30, 30]`` in a file) is shorthand for ``layers`` with the input and output
sizes taken from the data; the resolved file records ``layers`` only. A key the file does not
know is a usage error that names it.

An error about a value names it where the user wrote it: ``--batch-size 0`` for a flag,
``[training] batch_size = 0 in run.toml`` for a config file. Each value's origin (the
defaults, a flag, or the file's path) is recorded in an ``origins`` dict as the run is
resolved; :func:`bad_value` is the one place that turns it into words.

Schedules (``schedule``): ``none``; ``step:FACTOR:EVERY`` (η × FACTOR every EVERY epochs,
e.g. ``step:0.5:10``); ``exponential:RATE`` (η × RATE each epoch, e.g. ``exponential:0.95``);
``cosine`` or ``cosine:MIN_LR`` (from η down to MIN_LR, default 0, over the run's epochs).
"""

from __future__ import annotations

import copy
import json
import math
import sys
from pathlib import Path

from .. import activations, costs, initializers, optimizers
from .._text import did_you_mean
from ..datasets.by_name import REGRESSION, TASKS
from ..datasets.catalog import DATASET_NAMES
from ..training.scaling import METHODS as SCALES
from .errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

BUILTIN_DATA = DATASET_NAMES  # the names --data and [data] name accept
OPTIMIZER_NAMES = tuple(optimizers.OPTIMIZERS)  # "sgd", "momentum", "nesterov", "adam"
DTYPE_NAMES = ("float32", "float64")
SCHEDULE_HINT = (
    "use none, step:FACTOR:EVERY (e.g. step:0.5:10), exponential:RATE (e.g. exponential:0.95) "
    "or cosine[:MIN_LR]"
)
AUTO = "auto"  # output_activation: softmax for log-likelihood, else the hidden activation
DEFAULT_HIDDEN = [30]
SHA256_HEX_DIGITS = 64
# What --hidden "" or --hidden 0 may have meant, and how to ask for it.
NO_HIDDEN_LAYER = "for no hidden layer, give every size with --layers N_IN,N_OUT (e.g. --layers 64,10)"

# The default run: Nielsen's [n_in, 30, n_out] network with a softmax output and the
# log-likelihood cost (his chapter 3), plain SGD. On the built-in digits it reaches about
# 96-97% test accuracy in a few seconds.
DEFAULTS: dict[str, dict] = {
    "data": {
        "name": "digits",
        "path": "",
        "label_column": "",
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


# Where a value came from, when not from a config file (whose path is its origin).
DEFAULT = "default"
FLAG = "flag"

Origins = dict[tuple[str, str], str]  # (table, key) -> DEFAULT, FLAG or the config file's path


def defaults() -> dict:
    return copy.deepcopy(DEFAULTS)


def origins_of(tables: dict, origin: str) -> Origins:
    """Every key of ``tables`` (``{table: {key: value}}``) marked as coming from ``origin``."""
    return {(section, key): origin for section, values in tables.items() for key in values}


def from_file(origins: Origins, section: str, key: str) -> bool:
    return origins.get((section, key), DEFAULT) not in (DEFAULT, FLAG)


def flag_name(section: str, key: str) -> str:
    """The command-line flag of a key: ``--batch-size`` for ``batch_size``; ``--data`` gives
    ``[data]`` its ``name`` or its ``path``."""
    if section == "data" and key in ("name", "path"):
        return "--data"
    return "--" + key.replace("_", "-")


def key_name(origins: Origins, section: str, key: str) -> str:
    """A key as the user would change it: ``--batch-size`` on the command line (also for a
    default, which a flag changes), ``[training] batch_size in run.toml`` in a config file."""
    if from_file(origins, section, key):
        return f"[{section}] {key} in {origins[section, key]}"
    return flag_name(section, key)


def spell(origins: Origins, section: str, key: str, value) -> str:
    """A setting as its source writes it: ``--layers 64,30,10`` on the command line (also for
    a default), ``layers = [64, 30, 10]`` in a config file. For suggestions and for naming."""
    if from_file(origins, section, key):
        return f"{key} = {_toml_text(value)}"
    if isinstance(value, bool):  # a switch: --restore-best-weights, --no-restore-best-weights
        return flag_name(section, key).replace("--", "--" if value else "--no-", 1)
    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"{flag_name(section, key)} {text}"


def given(origins: Origins, section: str, key: str, value, beside: tuple[str, str] | None = None) -> str:
    """A value as an error names it, where the user wrote it: ``--batch-size 0`` from a flag,
    ``[training] batch_size = 0 in run.toml`` from a config file. ``beside``: the (table, key)
    the error is about, when this value is named next to it; if both came from the same file,
    the file is named once, there."""
    same = beside is not None and origins.get(beside) == origins.get((section, key))
    if from_file(origins, section, key) and not same:
        return f"[{section}] {spell(origins, section, key, value)} in {origins[section, key]}"
    return spell(origins, section, key, value)


def bad_value(origins: Origins, section: str, key: str, value, problem: str) -> UsageError:
    """The usage error for one value: ``--batch-size 0: must be ...`` when a flag gave it,
    ``[training] batch_size = 0 in run.toml: must be ...`` when a config file did."""
    return UsageError(f"{given(origins, section, key, value)}: {problem}")


def _toml_text(value) -> str:
    """``value`` written as TOML writes it (on one line), to quote a config file back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_text(v)}" for k, v in value.items()) + "}"
    return str(value)


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
    return check_tables(table, str(path))


def check_tables(table: dict, path: str) -> dict:
    """``table`` (a config file's, or the one a checkpoint keeps) checked against the known
    keys and their types; a UsageError naming ``path`` and the key."""
    for section, values in table.items():
        if section not in DEFAULTS or not isinstance(values, dict):
            raise UsageError(
                f"unknown key {section!r} in {path}; expected tables [{'], ['.join(DEFAULTS)}]"
                f"{did_you_mean(section, DEFAULTS, '[{}]') if section not in DEFAULTS else ''}"
            )
        known = {**DEFAULTS[section], **FILE_ONLY_KEYS.get(section, {})}
        for key, value in values.items():
            if key not in known:
                raise UsageError(
                    f"unknown key '{section}.{key}' in {path}; [{section}] knows {', '.join(known)}"
                    f"{did_you_mean(key, known, QUOTED)}"
                )
            _check_type(section, key, value, str(path))
    _check_hidden(table.get("model", {}), path)
    seed = table.get("training", {}).get("seed")
    if seed is not None and seed < 0:  # -1 means "draw one" inside; a file must not say it
        raise bad_value(
            {("training", "seed"): path},
            "training",
            "seed",
            seed,
            "must be a whole number ≥ 0; leave it out to draw a seed at random",
        )
    return table


QUOTED = "'{}'"  # a key as an error quotes it: 'epochs'
TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _check_hidden(model: dict, path: str) -> None:
    """A file's ``[model] hidden``: hidden sizes ≥ 1, and not beside ``layers``, which gives
    them too."""
    if "hidden" not in model:
        return
    origins = {("model", "hidden"): path, ("model", "layers"): path}
    if "layers" in model:
        raise bad_value(
            origins,
            "model",
            "hidden",
            model["hidden"],
            "give either layers (every size) or hidden (hidden sizes only), not both",
        )
    if not model["hidden"] or min(model["hidden"]) < 1:
        raise bad_value(
            origins,
            "model",
            "hidden",
            model["hidden"],
            "must be hidden sizes ≥ 1 such as [30, 30]; for no hidden layer, give every size "
            "with layers = [N_IN, N_OUT] instead",
        )


def _check_type(section: str, key: str, value, path: str) -> None:
    default = {**DEFAULTS[section], **FILE_ONLY_KEYS.get(section, {})}[key]
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
        if isinstance(default, list):
            expected = f"a list of whole numbers such as {[30, 30] if key == 'hidden' else [64, 30, 10]}"
        elif key == "label_column":
            expected = "a column's name (a string) or index (a whole number)"
        else:
            expected = TYPE_WORDS.get(type(default), type(default).__name__)
        raise bad_value({(section, key): path}, section, key, value, f"must be {expected}")


def merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for section, values in override.items():
        out.setdefault(section, {}).update(values)
    return out


def parse_int_list(text: str, flag: str, no_sizes: str = "") -> list[int]:
    """``"784,30,10"`` as ``[784, 30, 10]``; anything else is a usage error naming the flag.

    ``no_sizes``: what to add to the error when ``text`` holds no positive size at all
    (``""``, ``" "``, ``"0"``), where the user may have meant something else by it.
    """
    parts = text.replace(" ", "").split(",")
    if "" in parts and any(parts):  # "64,,10" is a typo, not [64, 10]: a layer would go missing
        raise UsageError(
            f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}, "
            f"which has an empty size (two commas in a row, or one at an end)"
        )
    try:
        sizes = [int(part) for part in parts if part]
    except ValueError:
        raise UsageError(
            f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        extra = f"; {no_sizes}" if no_sizes and max(sizes, default=0) < 1 else ""
        raise UsageError(
            f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}{extra}"
        )
    return sizes


def parse_hidden(text: str) -> list[int]:
    """``--hidden 30,30`` as ``[30, 30]``. No sizes (``""``, ``0``) is a usage error, never the
    default hidden layer: a network without one is asked for with every size, ``--layers
    N_IN,N_OUT``, as a config file asks for it with ``layers = [N_IN, N_OUT]``."""
    return parse_int_list(text, "--hidden", NO_HIDDEN_LAYER)


def parse_schedule(text: str) -> tuple[str, list[float]]:
    """``step:0.5:10`` -> ("step", [0.5, 10.0]); checks the kind and the number of arguments.

    Raises ``ValueError`` saying what is wrong (not repeating ``text``); the caller names
    where the schedule came from.
    """
    kind, *parts = text.strip().lower().split(":")
    arity = {"none": (0, 0), "step": (2, 2), "exponential": (1, 1), "cosine": (0, 1)}
    if kind not in arity:
        raise ValueError(f"unknown schedule; {SCHEDULE_HINT}")
    low, high = arity[kind]
    try:
        args = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"a non-numeric schedule argument; {SCHEDULE_HINT}") from None
    if not low <= len(args) <= high or not all(math.isfinite(a) for a in args):
        raise ValueError(f"the wrong schedule arguments; {SCHEDULE_HINT}")
    if kind == "step" and (not 0 < args[0] or args[1] < 1 or args[1] != int(args[1])):
        raise ValueError("FACTOR must be > 0 and EVERY a whole number of epochs ≥ 1")
    if kind == "exponential" and not 0 < args[0]:
        raise ValueError("RATE must be > 0")
    return kind, args


# The names a key takes, looked up in the registry that builds the network from them.
REGISTRIES = {
    "activation": activations.get,
    "output_activation": activations.get,
    "cost": costs.get,
    "init": initializers.get,
}


def validate(config: dict, origins: Origins | None = None) -> None:
    """Usage errors for values no run can use (data-dependent checks happen later).

    ``origins`` says where each value came from, so that an error names the flag or the
    config file and key the user wrote; a key it lacks is taken for a default.
    """
    origins = origins or {}
    data, model, training = config["data"], config["model"], config["training"]

    def bad(section: str, key: str, problem: str) -> UsageError:
        return bad_value(origins, section, key, config[section][key], problem)

    if not data["name"] and not data["path"]:
        raise bad("data", "name", "no data given; give a built-in name such as digits, or a .csv/.npz path")
    if data["name"] and data["name"] not in BUILTIN_DATA:
        near = did_you_mean(data["name"], BUILTIN_DATA)
        raise bad("data", "name", f"unknown data set; expected one of {', '.join(BUILTIN_DATA)}{near}")
    if data["task"] not in TASKS:
        raise bad("data", "task", f"unknown task; expected one of {', '.join(TASKS)}")
    if data["task"] == REGRESSION and data["name"] and not data["path"]:
        raise bad("data", "task", f"applies to a .csv/.npz file's labels; {data['name']} holds classes")
    digest = data["sha256"]
    if digest and not (len(digest) == SHA256_HEX_DIGITS and all(c in "0123456789abcdef" for c in digest)):
        raise bad("data", "sha256", f"must be the {SHA256_HEX_DIGITS} hex digits train records, or left out")
    if data["scale"] not in SCALES:
        raise bad("data", "scale", f"unknown scaling; expected one of {', '.join(SCALES)}")
    if not 0.0 <= float(data["validation_split"]) < 1.0:
        raise bad("data", "validation_split", "must be in [0, 1)")
    layers = model["layers"]
    if layers and (len(layers) < 2 or min(layers) < 1):
        example = spell(origins, "model", "layers", [64, 30, 10])
        raise bad("model", "layers", f"needs an input and an output size at least, each ≥ 1, e.g. {example}")
    for key, get in REGISTRIES.items():
        if not (key == "output_activation" and model[key] == AUTO):
            try:
                get(model[key])
            except (TypeError, ValueError) as err:
                raise bad("model", key, str(err)) from None
    hidden = not layers or len(layers) > 2  # none given: hidden sizes come with --hidden or the default
    if hidden and activations.get(model["activation"]).name in activations.HIDDEN_ONLY_FORBIDDEN:
        raise bad("model", "activation", "is for the output layer only; use e.g. logistic, tanh or relu")
    if model["dtype"] not in DTYPE_NAMES:
        raise bad("model", "dtype", f"must be {' or '.join(DTYPE_NAMES)}")
    if training["optimizer"] not in OPTIMIZER_NAMES:
        raise bad("training", "optimizer", f"unknown optimizer; expected one of {', '.join(OPTIMIZER_NAMES)}")
    for key, low, strict in (("lr", 0.0, True), ("l2", 0.0, False), ("momentum", 0.0, False)):
        value = float(training[key])
        if not math.isfinite(value) or value < low or (strict and value == low):
            raise bad("training", key, f"must be a finite number {'>' if strict else '≥'} {low:g}")
    if training["momentum"] >= 1.0:
        raise bad("training", "momentum", "must be in [0, 1)")
    for key in ("batch_size", "epochs"):
        if int(training[key]) < 1:
            raise bad("training", key, "must be a whole number ≥ 1")
    if int(training["early_stopping"]) < 0:
        raise bad("training", "early_stopping", "must be ≥ 0 epochs (0 is off)")
    # -1 is the default's "draw a seed"; given by the user it must not silently become one.
    if int(training["seed"]) < (-1 if origins.get(("training", "seed"), DEFAULT) == DEFAULT else 0):
        raise bad("training", "seed", "must be a whole number ≥ 0; leave it out to draw a seed at random")
    try:
        parse_schedule(training["schedule"])
    except ValueError as err:
        raise bad("training", "schedule", str(err)) from None
    watcher = validation_watcher(config)
    if watcher and not data["validation_split"]:
        split = given(origins, "data", "validation_split", data["validation_split"], ("training", watcher))
        raise bad(
            "training",
            watcher,
            f"{VALIDATION_WATCHERS[watcher]}, but {split} holds none out; give a validation split > 0 too",
        )


# The [training] keys that read the validation loss, so need a validation split: what each does.
VALIDATION_WATCHERS = {
    "early_stopping": "watches the validation loss",
    "restore_best_weights": "keeps the epoch of the lowest validation loss",
}


def validation_watcher(config: dict) -> str | None:
    """The first ``[training]`` key that is on and watches the validation loss; None if none."""
    return next((key for key in VALIDATION_WATCHERS if config["training"][key]), None)


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
