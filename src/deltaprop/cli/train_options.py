"""``deltaprop train``'s command-line options, in the groups its ``--help`` shows: data, network,
training, run. Each sets the config key of its name (:data:`deltaprop.cli.config.FLAG_KEYS`);
a default shown in the help is :data:`deltaprop.cli.config.DEFAULTS`'s, left to the
configuration to apply, so that a flag not given never overrides ``--config``.
"""

from __future__ import annotations

import argparse

from .. import activations, costs, initializers
from . import config as cfg
from . import threads
from .data import add_file_options
from .train_resolve import ADAM_LR, REGRESSION_LR
from .train_scaling import add_scale_option


def add_options(p: argparse.ArgumentParser) -> None:
    d = cfg.DEFAULTS
    data = p.add_argument_group("data")
    data.add_argument(
        "--data",
        help="digits (default), mnist, fashion-mnist, xor, moons, circles, "
        "spiral, blobs, or a PATH.csv / PATH.npz (mnist and fashion-mnist are read from "
        "$DELTAPROP_DATA, else ~/.cache/deltaprop: see `deltaprop datasets`)",
    )
    data.add_argument(
        "--label-column", help="the label column of a CSV: a name or an index (default: the last)"
    )
    add_file_options(data)
    data.add_argument(
        "--task",
        choices=cfg.TASKS,
        help="how a CSV/NPZ file's numeric labels are read: auto (whole numbers ≥ 0 are classes, "
        "other numbers regression targets), classification, or regression (auto). With "
        "regression the cost defaults to quadratic and, unless --cost is given, the output to linear "
        f"and the learning rate to {REGRESSION_LR} unless --lr is given ({ADAM_LR} for adam)",
    )
    add_scale_option(data)
    data.add_argument(
        "--validation-split",
        type=float,
        metavar="FRACTION",
        help=f"fraction of the training data held out for validation ({d['data']['validation_split']})",
    )
    model = p.add_argument_group("network")
    model.add_argument("--layers", metavar="N,N,...", help="every layer's size, e.g. 64,30,10")
    model.add_argument(
        "--hidden",
        metavar="N,...",
        help="hidden sizes only, e.g. 30,30 (input and output from the data); "
        "for no hidden layer use --layers N_IN,N_OUT",
    )
    hidden_activations = [
        name for name in activations.ACTIVATIONS if name not in activations.HIDDEN_ONLY_FORBIDDEN
    ]
    model.add_argument(
        "--activation",
        help=f"hidden activation: {', '.join(hidden_activations)} ({d['model']['activation']})",
    )
    model.add_argument(
        "--output-activation",
        help=f"output activation: {', '.join(activations.ACTIVATIONS)} (default: softmax with "
        "log_likelihood, else --activation)",
    )
    model.add_argument("--cost", help=f"cost C: {', '.join(costs.COSTS)} ({d['model']['cost']})")
    model.add_argument(
        "--init", help=f"weight initialisation: {', '.join(initializers.INITIALIZERS)} ({d['model']['init']})"
    )
    model.add_argument(
        "--dtype", choices=cfg.DTYPE_NAMES, help=f"float type of the weights and data ({d['model']['dtype']})"
    )
    train = p.add_argument_group("training")
    train.add_argument(
        "--optimizer", choices=cfg.OPTIMIZER_NAMES, help=f"the update rule ({d['training']['optimizer']})"
    )
    train.add_argument(
        "--lr",
        type=float,
        metavar="ETA",
        help=f"learning rate η ({d['training']['lr']}; {REGRESSION_LR} for --task regression; "
        f"{ADAM_LR} for adam)",
    )
    train.add_argument(
        "--momentum", type=float, metavar="MU", help="momentum μ for momentum/nesterov (0.9 for those)"
    )
    train.add_argument("--l2", type=float, metavar="LAMBDA", help="L2 regularisation λ (0)")
    train.add_argument(
        "--batch-size", type=int, metavar="N", help=f"mini-batch size ({d['training']['batch_size']})"
    )
    train.add_argument(
        "--epochs", type=int, metavar="N", help=f"passes over the training data ({d['training']['epochs']})"
    )
    train.add_argument(
        "--seed", type=int, help="seed for weights, split and shuffling (default: drawn, then recorded)"
    )
    train.add_argument(
        "--early-stopping",
        type=int,
        metavar="PATIENCE",
        help="stop when val_loss has not improved for PATIENCE epochs; the model keeps the last epoch's "
        "weights, as Keras's EarlyStopping does, unless --restore-best-weights (0: off)",
    )
    train.add_argument(
        "--restore-best-weights",
        action=argparse.BooleanOptionalAction,
        help="save the model of the epoch with the lowest val_loss, not the last epoch's, as Keras's "
        "EarlyStopping(restore_best_weights=True) does; with --early-stopping or without it (then "
        "all epochs run). The test evaluation uses those weights; the checkpoint keeps them, so a "
        "resumed run ends the same. Needs a validation split (off)",
    )
    train.add_argument("--schedule", help="learning-rate schedule (see below; none)")
    run_group = p.add_argument_group("run")
    run_group.add_argument("--config", metavar="FILE.toml", help="read settings from a TOML file first")
    run_group.add_argument("--out", metavar="DIR", help=f"where run folders go ({d['run']['out']})")
    run_group.add_argument("--name", help="the run folder's name (default: a timestamp)")
    run_group.add_argument("--quiet", action="store_true", help="print only the run folder")
    run_group.add_argument(
        "--no-plots", action="store_true", help="skip the figures in RUN_DIR/plots (faster)"
    )
    threads.add_option(run_group)
