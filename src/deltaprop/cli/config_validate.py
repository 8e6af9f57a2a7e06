"""The values of a resolved configuration that no run can use, refused before any data is read.

:func:`validate` takes the configuration after defaults, file and flags are merged, with the
origins of its values, and raises the first usage error it finds, naming the value where the
user wrote it: an unknown data set, task, scaling, activation, cost, initialiser or optimizer
(with the names known), a size, rate or count out of range, a schedule that does not parse,
or a key that watches the validation loss (:data:`VALIDATION_WATCHERS`) with no validation
split to watch. Checks that need the data (its width, its labels) come later, in ``train``.
"""

from __future__ import annotations

import math

from .. import activations, costs, initializers
from .._text import did_you_mean
from ..datasets.by_name import CSV_KEYS, HEADER_WORDS, NPZ_KEYS, REGRESSION, TASKS, TEXT_SUFFIXES
from ..training.scaling import METHODS as SCALES
from .config_flags import parse_schedule
from .config_origins import DEFAULT, Origins, bad_value, given, spell
from .config_tables import AUTO, BUILTIN_DATA, DTYPE_NAMES, OPTIMIZER_NAMES, SHA256_HEX_DIGITS
from .errors import UsageError

# The names a key takes, looked up in the registry that builds the network from them.
REGISTRIES = {
    "activation": activations.get,
    "output_activation": activations.get,
    "cost": costs.get,
    "init": initializers.get,
}

QUOTE_AND_NEWLINES = '"\r\n'  # what a CSV's separator cannot be

# The [training] keys that read the validation loss, so need a validation split: what each does.
VALIDATION_WATCHERS = {
    "early_stopping": "watches the validation loss",
    "restore_best_weights": "keeps the epoch of the lowest validation loss",
}


def validation_watcher(config: dict) -> str | None:
    """The first ``[training]`` key that is on and watches the validation loss; None if none."""
    return next((key for key in VALIDATION_WATCHERS if config["training"][key]), None)


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
    _check_reading(config, origins, bad)
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


def _check_reading(config: dict, origins: Origins, bad) -> None:
    """:func:`reading_problem` of the ``[data]`` table, named where the user wrote it."""
    data = config["data"]
    source = "path" if data["path"] and not data["name"] else "name"
    for key in (*CSV_KEYS, *NPZ_KEYS):  # the data named where it was given, beside each key
        problem = reading_problem(data, given(origins, "data", source, data[source], beside=("data", key)))
        if problem is not None and problem[0] == key:
            raise bad("data", key, problem[1])


def reading_problem(data: dict, named: str) -> tuple[str, str] | None:
    """The first ``[data]`` key that says how a file is read (:data:`CSV_KEYS`, :data:`NPZ_KEYS`)
    with a value no loader can use, or given for data of another kind (a CSV's ``delimiter``
    for an NPZ archive or a built-in set, named ``named``): ``(key, what is wrong)``; None if
    none. ``label_column`` is left to :func:`~deltaprop.cli.data.check_label_column`."""
    options = {**CSV_KEYS, **NPZ_KEYS, **{key: data[key] for key in (*CSV_KEYS, *NPZ_KEYS) if key in data}}
    if options["header"] not in HEADER_WORDS:
        return "header", f"expected one of {', '.join(HEADER_WORDS)}"
    delimiter = options["delimiter"]
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in QUOTE_AND_NEWLINES:
        return "delimiter", "must be one character other than a quote or a newline, e.g. ';' or tab"
    for key in NPZ_KEYS:
        if not options[key]:
            return key, "must name an array of the .npz archive"
    if any(isinstance(column, str) and not column.strip() for column in options["drop_columns"]):
        return "drop_columns", "holds an empty column name; give names or indices such as id,0"
    path = "" if data.get("name") else data.get("path") or ""
    is_csv = path.lower().endswith(TEXT_SUFFIXES)
    for keys, fits, kind in (
        (CSV_KEYS, is_csv, "a .csv file"),
        (NPZ_KEYS, path and not is_csv, "a .npz archive"),
    ):
        for key, default in keys.items():
            if key != "label_column" and not fits and options[key] != default:
                return key, f"applies to {kind} only, and {named} is not one; leave it out"
    return None
