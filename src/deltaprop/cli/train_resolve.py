"""``deltaprop train``'s configuration, resolved before a run folder is made.

:func:`resolve_config` takes the defaults, then ``--config``, then the flags given, and checks
what needs no data; :func:`resolve_model` fills in the layer sizes and the output activation
from the data; :func:`check_output_fits_cost` refuses an output layer and cost that cannot
learn. Every error names the value where the user wrote it (:func:`deltaprop.cli.config.bad_value`).
:func:`schedule_callback` is the learning-rate schedule a configuration names, for the run too;
:func:`early_stopping_callback` its early stopping and best-epoch restoring.
"""

from __future__ import annotations

from pathlib import Path

from .. import activations, costs, initializers
from .._text import count
from ..datasets.by_name import CSV_KEYS, CSV_SUFFIX, NPZ_KEYS, REGRESSION
from . import config as cfg
from .data import FILE_SUFFIXES, RunData, check_label_column, check_targets_fit_cost, data_table, file_kind
from .errors import UsageError

ADAM_LR = 0.001  # --lr's default for --optimizer adam: dp.Adam's own (and Kingma & Ba's)
# --lr's default where --task regression picks the quadratic cost and a linear output: SGD's 0.5
# diverged on standardised diabetes for 2 seeds of 8 and fitted worse than 0.1 on every set
# measured (diabetes and a California-housing-like set, seeds 1-8: none diverged at 0.3 or below,
# and 0.1 came within 0.05 of the best mean validation R² on both).
REGRESSION_LR = 0.1


def resolve_config(args) -> tuple[dict, cfg.Origins]:
    """Defaults, then ``--config``, then the flags given; validated (data-free checks).

    Returns the configuration and where each of its values came from (see
    :func:`deltaprop.cli.config.bad_value`), so that a later error names what the user wrote.
    """
    config, origins = cfg.defaults(), {}
    if args.config:
        from_file = cfg.read_toml(args.config)
        path = from_file.get("data", {}).get("path")
        if path and not Path(path).is_absolute():  # relative to the config file, not the shell
            from_file["data"]["path"] = str((Path(args.config).parent / path).resolve())
        config = cfg.merge(config, from_file)  # a file's [model] hidden lands beside layers = []
        origins.update(cfg.origins_of(from_file, str(args.config)))
    if args.layers is not None and args.hidden is not None:
        raise UsageError("give either --layers (every size) or --hidden (hidden sizes only), not both")
    for dest, (section, key) in cfg.FLAG_KEYS.items():
        value = getattr(args, dest, None)
        if value is None:
            continue
        if dest == "layers":
            value = cfg.parse_int_list(value, "--layers")
            config["model"].pop("hidden", None)  # every size given: a file's hidden sizes go
        config[section][key] = value
        origins[section, key] = cfg.FLAG
    if args.hidden is not None:  # "" too: refused, never taken for the default hidden layer
        config["model"]["layers"] = []
        config["model"]["hidden"] = cfg.parse_hidden(args.hidden)
        origins["model", "layers"] = origins["model", "hidden"] = cfg.FLAG
    if args.data is not None:
        config["data"].update(data_table(args.data))
        origins["data", "name"] = origins["data", "path"] = cfg.FLAG
        _reset_other_kinds_keys(config["data"], origins)
        config["data"]["sha256"] = ""  # a config file's fingerprint is of its own data, not these
        origins["data", "sha256"] = cfg.DEFAULT
        if args.task is None and not config["data"]["path"]:
            config["data"]["task"] = cfg.DEFAULTS["data"]["task"]  # nor its task to a built-in set
            origins["data", "task"] = cfg.DEFAULT
    _regression_defaults(config, origins)
    training = config["training"]
    if training["optimizer"] in ("momentum", "nesterov") and ("training", "momentum") not in origins:
        training["momentum"] = 0.9  # the default for the optimizers that use it
    if training["optimizer"] == "adam" and ("training", "lr") not in origins:
        training["lr"] = ADAM_LR  # SGD's 0.5 is far too large a step for Adam: it would not learn
    if config["data"]["path"] and config["data"]["name"]:
        config["data"]["name"] = ""
    cfg.validate(config, origins)
    _canonical_names(config["model"])
    _check_data_path(config, origins)
    optimizer, momentum = training["optimizer"], training["momentum"]
    named_optimizer = cfg.given(origins, "training", "optimizer", optimizer, beside=("training", "momentum"))
    if optimizer in ("momentum", "nesterov") and momentum == 0:
        raise cfg.bad_value(
            origins,
            "training",
            "momentum",
            momentum,
            f"{named_optimizer} needs a momentum in (0, 1), e.g. 0.9",
        )
    if optimizer == "adam" and momentum:
        raise cfg.bad_value(
            origins,
            "training",
            "momentum",
            momentum,
            f"does not apply to {named_optimizer}, whose moment decay rates are fixed at β₁ = 0.9, "
            f"β₂ = 0.999; leave the momentum out, or use "
            f"{cfg.spell(origins, 'training', 'optimizer', 'momentum')} or nesterov",
        )
    _check_label_column(config, origins)
    schedule_callback(config, origins)  # a schedule the lr or the epochs make impossible
    return config, origins


def _reset_other_kinds_keys(table: dict, origins: cfg.Origins) -> None:
    """Where ``--data`` replaces a config file's data, the file-reading keys of another kind of
    data back at their defaults, unless a flag gave them: a CSV's (:data:`CSV_KEYS`: its label
    column, header, delimiter, dropped columns) for an NPZ file, an NPZ's (:data:`NPZ_KEYS`)
    for a CSV, both for a built-in set. They mean nothing to the new data, and would be
    refused as not applying to it (``deltaprop train --config RUN/config.toml --data
    other.npz`` of a run with ``delimiter = ";"``); those of its own kind still apply."""
    path = table["path"]
    csv = bool(path) and file_kind(path) == CSV_SUFFIX  # .csv, .tsv and .txt alike
    other = {**({} if csv else CSV_KEYS), **(NPZ_KEYS if csv or not path else {})}
    for key, default in other.items():
        if origins.get(("data", key)) != cfg.FLAG:
            table[key] = list(default) if isinstance(default, list) else default
            origins["data", key] = cfg.DEFAULT


def _canonical_names(model: dict) -> None:
    """The library's own names for what may be given by an alias or in capitals (sigmoid →
    logistic, identity → linear, mse → quadratic, nll → log_likelihood, xavier_normal →
    glorot_normal), as the network stores them: the header, ``config.toml`` and the checks that
    compare names (``--cost nll`` picks a softmax output, as log_likelihood does) then agree with
    the model file. The aliases stay accepted; a rerun of ``config.toml`` builds the same network."""
    for key in ("activation", "output_activation"):
        if model[key] != cfg.AUTO:
            model[key] = activations.get(model[key]).spec
    model["cost"] = costs.get(model["cost"]).name
    model["init"] = initializers.get(model["init"]).__name__


def _regression_defaults(config: dict, origins: cfg.Origins) -> None:
    """With the task said to be regression (``--task regression``, or ``task`` in a config
    file), the cost and output layer that fit real targets where the user gave neither: the
    quadratic cost (the default log-likelihood is for classes) and a linear output (the hidden
    activation's range would clip the targets), and a learning rate of REGRESSION_LR where none
    was given. A cost given keeps its old defaults; data whose task is found out (``auto``)
    keep theirs, as before."""
    if config["data"]["task"] != REGRESSION or origins.get(("data", "task"), cfg.DEFAULT) == cfg.DEFAULT:
        return
    model = config["model"]
    if ("model", "cost") in origins:
        return
    model["cost"] = "quadratic"
    if model["output_activation"] == cfg.AUTO:
        model["output_activation"] = "linear"
    if ("training", "lr") not in origins:  # Adam's own default replaces it, as it does SGD's
        config["training"]["lr"] = REGRESSION_LR


def _check_data_path(config: dict, origins: cfg.Origins) -> None:
    """A config file's data path, checked as ``--data`` checks its own (:func:`data_table`)."""
    path = config["data"]["path"]
    if not path or not cfg.from_file(origins, "data", "path"):
        return
    if Path(path).suffix.lower() not in FILE_SUFFIXES:
        raise cfg.bad_value(origins, "data", "path", path, "is neither a .csv, .tsv, .txt nor a .npz file")
    if not Path(path).is_file():
        raise cfg.bad_value(
            origins,
            "data",
            "path",
            path,
            "no such file (a relative path is read from the config file's folder)",
        )


def _check_label_column(config: dict, origins: cfg.Origins) -> None:
    """:func:`check_label_column`, naming the config file's keys where the file gave them."""
    table = config["data"]
    try:
        check_label_column(table)
    except UsageError:
        data = "name" if table["name"] else "path"
        if not (cfg.from_file(origins, "data", "label_column") or cfg.from_file(origins, "data", data)):
            raise
        named = cfg.given(origins, "data", data, table[data], beside=("data", "label_column"))
        raise cfg.bad_value(
            origins,
            "data",
            "label_column",
            table["label_column"],
            f"applies to CSV data only, and {named} has its labels already; leave the label column out",
        ) from None


def resolve_model(config: dict, data: RunData, origins: cfg.Origins | None = None) -> None:
    """Fill in the layer sizes and the output activation from the data, in place."""
    origins = origins or {}
    model = config["model"]
    hidden = model.pop("hidden", None)
    n_out = data.n_out
    if not model["layers"]:
        model["layers"] = [data.n_in, *(hidden or cfg.DEFAULT_HIDDEN), n_out]
    layers = model["layers"]
    other = "or leave layers out" if cfg.from_file(origins, "model", "layers") else "or --hidden"
    if layers[0] != data.n_in:
        fix = cfg.spell(origins, "model", "layers", [data.n_in, *layers[1:]])
        raise cfg.bad_value(
            origins,
            "model",
            "layers",
            layers,
            f"starts with {layers[0]} inputs, but the data {data.label} has {data.n_in} features; "
            f"use {fix} {other}",
        )
    binary_single = layers[-1] == 1 and data.classification and n_out == 2
    if layers[-1] != n_out and not binary_single:
        what = "classes" if data.classification else "target columns"
        fix = cfg.spell(origins, "model", "layers", [*layers[:-1], n_out])
        raise cfg.bad_value(
            origins,
            "model",
            "layers",
            layers,
            f"ends with {layers[-1]} outputs, but the data {data.label} has {n_out} {what}; "
            f"use {fix} {other}",
        )
    check_targets_fit_cost(data, model["cost"])
    if model["output_activation"] == cfg.AUTO:
        model["output_activation"] = "softmax" if model["cost"] == "log_likelihood" else model["activation"]


def check_output_fits_cost(
    config: dict, data: RunData, chosen: bool = False, origins: cfg.Origins | None = None
) -> None:
    """Refuse, before a run folder is made, an output layer and cost that cannot learn anything.

    These are the configuration errors :func:`deltaprop.diagnostics.check_output_cost` finds
    (a softmax over one output, ln a of outputs outside (0, 1), logistic outputs for targets
    outside [0, 1]); trained anyway they give a useless model and exit 0. ``chosen``: the
    output activation was not given but picked for the cost. ``origins``: where each value
    came from, so the message names the flags or the config file's keys the user wrote.
    """
    from ..diagnostics.checks import output_cost_findings

    model = config["model"]
    try:
        out_act, cost_name = activations.get(model["output_activation"]).name, costs.get(model["cost"]).name
    except (TypeError, ValueError):
        return  # a bad name: build() reports it
    findings = output_cost_findings(out_act, cost_name, model["layers"][-1], data.y_train)
    errors = [f for f in findings if f.severity == "error"]
    if not errors:
        return
    origins = origins or {}

    def named(key: str) -> str:
        return cfg.given(origins, "model", key, model[key])

    def spelled(key: str, value) -> str:
        return cfg.spell(origins, "model", key, value)

    cost, n_out = model["cost"], model["layers"][-1]
    given = f"{named('output_activation')} with {named('cost')}"
    if chosen and cost == "log_likelihood":
        given += " (an output activation picked for that cost)"
    elif chosen:
        given += f" (an output activation taken from {cfg.key_name(origins, 'model', 'activation')})"
    outputs = f"{count(n_out, 'output')} ({named('layers')})"
    fix = errors[0].fix.rstrip(".")
    if not data.classification and "regression" not in fix:
        regression = (spelled("cost", "quadratic"), spelled("output_activation", "linear"))
        in_file = cfg.from_file(origins, "model", "cost") or cfg.from_file(
            origins, "model", "output_activation"
        )
        fix += f"; for regression targets, {(' and ' if in_file else ' ').join(regression)}"
    raise UsageError(f"{errors[0].message} Got {given} and {outputs}. Try: {fix}")


def schedule_callback(config: dict, origins: cfg.Origins | None = None):
    """The learning-rate schedule the configuration names (None for none); a schedule the
    rate or the epochs make impossible is a usage error naming where it came from."""
    from ..training import CosineDecay, ExponentialDecay, StepDecay

    kind, args = cfg.parse_schedule(config["training"]["schedule"])
    lr, epochs = float(config["training"]["lr"]), int(config["training"]["epochs"])
    try:
        if kind == "step":
            return StepDecay(lr, drop=args[0], every=int(args[1]))
        if kind == "exponential":
            return ExponentialDecay(lr, rate=args[0])
        if kind == "cosine":
            return CosineDecay(lr, epochs=epochs, min_lr=args[0] if args else 0.0)
    except (ValueError, TypeError) as err:
        raise cfg.bad_value(
            origins or {}, "training", "schedule", config["training"]["schedule"], str(err)
        ) from err
    return None


def early_stopping_callback(config: dict):
    """EarlyStopping on val_loss (in a resumed run it counts on from the history so far), with
    ``restore_best_weights`` as configured; None when neither is on.

    Restoring without early stopping watches with a patience of the run's epochs, which never
    runs out (the first epoch improves on nothing, and fewer epochs than that follow it): the
    run goes its full length and keeps its best epoch's weights.
    """
    from ..training import EarlyStopping

    training = config["training"]
    patience, restore = int(training["early_stopping"]), bool(training["restore_best_weights"])
    if not patience and not restore:
        return None
    return EarlyStopping(
        monitor="val_loss", patience=patience or int(training["epochs"]), restore_best_weights=restore
    )
