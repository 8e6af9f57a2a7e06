"""The run folder's layout: the name of each file one training run keeps.

    RUN_DIR/model.safetensors       the trained network (deltaprop.load reads it); with
                                    ``--scale``, its scaling folded in: raw inputs, raw targets
    RUN_DIR/checkpoint.safetensors  weights, optimizer state, epoch, batch position, seed,
                                    history: what ``deltaprop resume`` continues from; with
                                    ``--scale``, also the scaling's statistics and the weights
                                    as they train on the scaled data
    RUN_DIR/config.toml             the resolved configuration (rerun with --config)
    RUN_DIR/history.json, .csv      loss, accuracy, val_loss, val_accuracy, lr, time per epoch
    RUN_DIR/gradients.json          gradient statistics per layer (when diagnostics exist)
    RUN_DIR/diagnostics.json        plain-words findings about the run
    RUN_DIR/plots/                  learning curves, confusion matrix, ...; for 2-D data
                                    decision_boundary.gif, drawn during training
    RUN_DIR/model-epochN.safetensors  a finished run's model, kept when ``resume --epochs``
                                    trains it on (N: its epochs); no reader takes it for the
                                    run's model

``deltaprop train`` writes them (:mod:`deltaprop.cli.rundir` makes the folder); ``resume``,
``evaluate``, ``diagnose`` and ``plot`` read them back (the last two through
:mod:`deltaprop.diagnostics.run`). The names are here, below both, so that writer and readers
cannot drift apart; so is :func:`weights_file`, the one rule by which ``deltaprop.load`` and
every command find a run's network in its folder. Nothing here reads or writes a file.
"""

from pathlib import Path

MODEL = "model.safetensors"
CHECKPOINT = "checkpoint.safetensors"
CONFIG = "config.toml"
HISTORY_JSON = "history.json"
HISTORY_CSV = "history.csv"
GRADIENTS = "gradients.json"
DIAGNOSTICS = "diagnostics.json"
PLOTS = "plots"  # a folder
BOUNDARY_GIF = "decision_boundary.gif"  # in PLOTS: 2-D data's boundary as training went (train only)
# The figures deltaprop draws in PLOTS (deltaprop.plots.plot_run's names; each a .png or .svg),
# BOUNDARY_GIF apart: what ``resume --epochs`` removes there, leaving a user's own files alone.
FIGURES = (
    "learning_curves",
    "network_diagram",
    "gradient_distributions",
    "confusion_matrix",
    "first_layer_weights",
    "misclassified",
    "decision_boundary",
)


def earlier_model(epochs: int) -> str:
    """The name a finished run's MODEL is kept under once ``resume --epochs`` trains the run on:
    ``model-epoch{epochs}.safetensors``, ``epochs`` the run's epochs when it finished. Not MODEL,
    so no reader (:func:`weights_file`) takes it for the run's model."""
    return f"model-epoch{epochs}.safetensors"


def weights_file(folder: Path, names: tuple[str, ...] = (MODEL, CHECKPOINT)) -> Path | None:
    """The first of ``names`` that is a file in ``folder``, else None: by default the run's
    model, else its checkpoint (a run stopped before it finished has only that)."""
    return next((folder / name for name in names if (folder / name).is_file()), None)
