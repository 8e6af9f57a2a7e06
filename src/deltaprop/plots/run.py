"""Every picture that applies to a finished run folder, written to RUN_DIR/plots/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._text import count
from ..diagnostics.run import RunFiles, load_run_data, read_run
from ..files import run_folder
from ._figure import DPI, FORMATS, check_dpi, font_size, save_figure
from .boundary import decision_boundary
from .confusion import confusion_matrix, misclassified_gallery
from .curves import learning_curves
from .gradients import gradient_distributions
from .network_diagram import MAX_NEURONS, check_max_neurons, network_diagram
from .weights import first_layer_weights

IMAGE_SHAPES = {784: (28, 28), 64: (8, 8)}  # MNIST-style and scikit-learn's digits
MAX_EVAL = 10_000
SPLIT = "test"  # a built-in set's split the class pictures are drawn on
SUBTITLE_PT = 9.0  # at matplotlib's default font.size


@dataclass
class RunPlots:
    """The files ``plot_run`` wrote, and for each picture it did not draw, why."""

    paths: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def plot_run(
    run_dir, formats=("png",), out_dir=None, dpi: float = DPI, max_neurons: int = MAX_NEURONS
) -> RunPlots:
    """Draw the learning curves, the network, and what else the run allows, into ``out_dir``
    (RUN_DIR/plots).

    The network diagram shows each weight's sign and size and, where the run's data can be
    loaded, each neuron's δ on its first sample (a built-in set's test split, a file's row 1). Such runs also
    get a confusion matrix (on the test split); image data (784 or 64 inputs) a misclassified
    gallery and the first-layer weights; runs with ``gradients.json`` the gradient
    distributions; 2-D data the decision boundary. ``formats`` is any of ``"png"``, ``"svg"``,
    ``"pdf"``; ``dpi`` a PNG's pixels per inch; ``max_neurons`` the most neurons the diagram
    draws of a layer (:func:`~deltaprop.plots.network_diagram`'s).
    """
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(formats)
    bad = [f for f in formats if f not in FORMATS]
    if not formats or bad:
        raise ValueError(f"formats must be a non-empty selection of {FORMATS}; got {formats!r}")
    dpi = check_dpi(dpi)  # before anything is drawn
    most = check_max_neurons(max_neurons)
    run = read_run(run_dir)
    out = Path(out_dir) if out_dir is not None else run.path / run_folder.PLOTS
    result = RunPlots()
    net = run.network
    n_in, n_out = net.sizes[0], net.sizes[-1]

    def save(fig, name: str) -> None:
        for fmt in formats:
            result.paths.append(save_figure(fig, out / f"{name}.{fmt}", dpi=dpi))

    if run.history is not None and "loss" in run.history:
        # fit records accuracy exactly when the targets are classes
        classify = bool(np.isfinite(np.asarray(run.history.get("accuracy", []), dtype=float)).any())
    else:
        classify = n_out > 1
    # the outputs of a classifier are its classes: their names where the run has them, else numbers
    classes = (
        (_names_for(run.class_names, n_out) or [str(k) for k in range(n_out)])
        if classify and n_out > 1
        else None
    )

    def diagram(x=None, label=None):
        return network_diagram(net, x, label, max_neurons=most, class_names=classes)

    if run.history is not None and run.history.get("loss"):
        curves = learning_curves(
            run.history, scaled_targets=_scaled_targets(run, classify), kept_epoch=_kept_epoch(run)
        )
        save(curves, "learning_curves")
    else:
        result.skipped["learning_curves"] = run.missing.get("history", "the history holds no epochs")
    if n_in in IMAGE_SHAPES:
        save(first_layer_weights(net, IMAGE_SHAPES[n_in]), "first_layer_weights")
    else:
        result.skipped["first_layer_weights"] = f"{count(n_in, 'input')}: not a known image shape"
    if run.stats is not None and run.stats.records:
        save(gradient_distributions(run.stats), "gradient_distributions")
    else:
        result.skipped["gradient_distributions"] = run.missing.get(
            "gradients", f"{run_folder.GRADIENTS} holds no records"
        )

    data = load_run_data(run, split=SPLIT)  # a regression run's too: the diagram's δ needs an example
    if not classify or data is None:
        reason = (
            run.missing.get("data", "the data could not be loaded")
            if classify
            else "not a classification run (the history records no accuracy)"
        )
        for name in ("confusion_matrix", "misclassified", "decision_boundary"):
            result.skipped[name] = reason
        save(_regression_diagram(net, data, run, most) if not classify else diagram(), "network_diagram")
        return result
    X, y = data
    X = X.reshape(len(X), -1)[:MAX_EVAL].astype(net.dtype)
    y = np.asarray(y)[:MAX_EVAL]
    if X.shape[1] != n_in:
        reason = f"the data set has {count(X.shape[1], 'feature')} but the network {count(n_in, 'input')}"
        for name in ("confusion_matrix", "misclassified", "decision_boundary"):
            result.skipped[name] = reason
        save(diagram(), "network_diagram")
        return result
    labels = y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(-1).astype(int)
    predicted = net.predict_classes(X)
    where = _data_described(run, len(X), SPLIT)
    names = _names_for(run.class_names, n_out)
    save(_subtitled(confusion_matrix(labels, predicted, class_names=names), where), "confusion_matrix")
    if n_in in IMAGE_SHAPES:
        gallery = misclassified_gallery(X, labels, predicted, IMAGE_SHAPES[n_in], class_names=names)
        save(gallery, "misclassified")
    else:
        result.skipped["misclassified"] = f"{count(n_in, 'input')}: not a known image shape"
    if n_in == 2:
        save(_subtitled(decision_boundary(net, X, labels), where), "decision_boundary")
    else:
        result.skipped["decision_boundary"] = f"the data has {count(n_in, 'feature')}, not 2"
    # the δ of one example, as the walk-through computes it: the split's first sample
    name = names[labels[0]] if names else str(labels[0])
    drawn = diagram(X[0], labels[0])
    save(_subtitled(drawn, f"for {_first_sample(run)} (class {name})"), "network_diagram")
    return result


def _scaled_targets(run: RunFiles, classify: bool) -> bool:
    """Whether the run's history is in scaled units: it scaled its data (``[data] scale``) and
    its targets with them, as train does for real targets of a linear output layer."""
    from ..training.scaling import NONE

    scaled = (run.data.get("scale") or NONE) != NONE
    return scaled and not classify and run.network.activations[-1].name == "linear"


def _kept_epoch(run: RunFiles) -> int | None:
    """The epoch (from 1) whose weights a run that kept its best epoch's (``[training]
    restore_best_weights``) saved: its lowest val_loss, the earliest of a tie, as EarlyStopping
    keeps it and ``deltaprop resume`` checks it (the first epoch when no val_loss was a number);
    None for a run that kept its last epoch's weights, and for one that wrote no model (diverged,
    interrupted, killed): the network drawn is its checkpoint's, the weights of where it stopped,
    and the best epoch's (kept beside them, for resume) were never restored."""
    from ..training.history import History

    training = run.config.get("training")
    if not (isinstance(training, dict) and training.get("restore_best_weights") is True):
        return None
    if run.unfinished is not None:
        return None
    history = History()
    history.history = run.history
    history.epoch = list(range(len(run.history["loss"])))
    try:
        return history.best("val_loss")[0] + 1
    except (KeyError, ValueError):  # no val_loss recorded, or none a number: the first epoch's
        return 1 if "val_loss" in run.history else None


def _first_sample(run: RunFiles) -> str:
    """Which sample the diagram's δ are of: a built-in set's split's first, or a user file's first row."""
    if run.data_name:
        return f"sample 1 of the {SPLIT} split"
    return f"row 1 of {Path(run.data_path or 'the data file').name}"


def _regression_diagram(net, data, run: RunFiles, max_neurons: int):
    """A regression run's diagram: each neuron's δ on the first sample, where the data fits the network."""
    if data is None:
        return network_diagram(net, max_neurons=max_neurons)
    X, Y = data
    x, y = np.asarray(X[0], dtype=net.dtype).reshape(-1), np.asarray(Y[0], dtype=float).reshape(-1)
    if (
        x.size != net.sizes[0]
        or y.size != net.sizes[-1]
        or not (np.isfinite(x).all() and np.isfinite(y).all())
    ):
        return network_diagram(net, max_neurons=max_neurons)
    target = ", ".join(f"{v:.3g}" for v in y)
    drawn = network_diagram(net, x, y, max_neurons=max_neurons)
    return _subtitled(drawn, f"for {_first_sample(run)} (target {target})")


def _names_for(class_names, n_out: int):
    """The data set's class names when they name the network's classes (T-shirt/top, ...), and
    say more than the class numbers; else None (the pictures show the numbers)."""
    if not class_names:
        return None
    names = [str(name) for name in class_names]
    if names == [str(k) for k in range(len(names))] or len(names) < max(n_out, 2):
        return None
    return names


def _data_described(run: RunFiles, n: int, split: str) -> str:
    """Which samples the pictures show: a built-in set's ``split``, or a user's whole file
    (as :func:`~deltaprop.diagnostics.run.load_run_data` loaded them)."""
    if run.data_name:
        return f"{run.data_name}, {split} split ({n} samples)"
    name = Path(run.data_path or "the data file").name
    return f"all {n} rows of {name} (training rows included)"


def _subtitled(fig, where: str):
    """The figure with ``where`` under its first axes' title."""
    ax = fig.axes[0]
    ax.set_title(f"{ax.get_title()}\n{where}", fontsize=font_size(SUBTITLE_PT))
    return fig
