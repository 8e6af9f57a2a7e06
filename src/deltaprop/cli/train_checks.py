"""``deltaprop train``'s checks of the loaded data, made before a run folder is made: class
labels of one class only or numbers far too large to be class numbers (and labels that look
like no classes: hundreds of values of a row or two each, or numbers from 1 that leave class 0
empty), a validation split that would hold out no sample (or every sample), regression
targets far from a small range, and the data file's SHA-256 recorded in the ``[data]`` table.
"""

from __future__ import annotations

import numpy as np

from .._text import count
from ..datasets.by_name import AUTO, NPZ_SUFFIX, changed_since, file_sha256
from ..diagnostics.input_scale import INPUT_SCALE_LIMIT
from ..training._data import check_targets
from ..training.arguments import validation_size
from . import config as cfg
from .data import RunData, file_kind
from .errors import UsageError


def check_classes(config: dict, data: RunData, origins: cfg.Origins) -> list[str]:
    """Refuse, before a run folder is made, class labels that hold one class only; return the
    warnings for labels that do not look like classes (:func:`label_warnings`), for the caller
    to print once nothing else can refuse the run.

    Trained anyway, such a run reports 100 % accuracy and saves a model with an output for
    a class that never occurs; the scikit-learn estimators refuse the same data.
    """
    if not data.classification:
        return []
    present, rows = np.unique(data.y_train, return_counts=True)
    if len(present) != 1:
        _check_label_range(config, data, present, rows, origins)
        return label_warnings(config, data, origins)
    label = int(present[0])
    name = data.classes[label] if data.classes and label < len(data.classes) else label
    raise UsageError(
        f"the data file {data.label} has one class only: {_label_column(config, origins)} holds "
        f"'{name}' in all {len(data.y_train)} rows. A classifier needs at least 2 classes to learn; "
        f"give data with 2 classes or more"
    )


def _label_column(config: dict, origins: cfg.Origins) -> str:
    """Where the labels of the run's file come from, in words."""
    table = config["data"]
    if file_kind(table["path"]) == NPZ_SUFFIX:
        return "its array y"
    if table["label_column"] in ("", None):
        return "its label column (the last one; choose another with --label-column)"
    return f"its label column ({cfg.given(origins, 'data', 'label_column', table['label_column'])})"


# A class label is an output's index, so label k asks for outputs 0..k. Labels that ask for
# more than SPARSE_OUTPUTS outputs, over SPARSE_FACTOR per label that occurs, are no class
# numbers but an ID, a quantity or a typo: a label 10^9 asked 7.45 GiB for the split's class
# counts alone, and {0, 5000} trained a softmax of 5001 outputs for 2 classes. The limit is
# ImageNet's 1000 classes, the widest class numbering in common use: a few of its classes
# under their own numbers (1, 404, 999) still train as given.
SPARSE_FACTOR = 10
SPARSE_OUTPUTS = 1000


def _check_label_range(
    config: dict, data: RunData, present: np.ndarray, rows: np.ndarray, origins: cfg.Origins
) -> None:
    """Refuse class labels ``present`` (sorted, ``rows`` of each) whose largest would need far
    more outputs than there are labels, before anything is sized by it (the validation
    split's class counts, the output layer)."""
    top = int(present[-1])
    needed, k = top + 1, len(present)
    if needed <= SPARSE_OUTPUTS or needed <= SPARSE_FACTOR * k:
        return
    if file_kind(config["data"]["path"]) == NPZ_SUFFIX:
        source, other = "array y", "name the labels' array with --y-key"
    else:
        source, other = "label column", "name the label column with --label-column"
    raise UsageError(
        f"the data file {data.label} has class label {top} ({count(int(rows[-1]), 'row')}) in its "
        f"{source}: as a class number it needs a network of {needed} outputs, for {k} distinct labels "
        f"in {len(data.y_train)} rows. If the labels are a quantity, say "
        f"{cfg.spell(origins, 'data', 'task', 'regression')}; if the {source} is an ID, {other}; if "
        f"the labels are classes, number them 0..{k - 1}"
    )


# Numeric labels that are more likely real-valued targets than classes (scikit-learn's
# diabetes, targets 25-346: 214 values over 442 rows): at least SUSPECT_CLASSES classes, and
# more of them than MANY_CLASSES_SHARE of the rows, or most of them with under FEW_ROWS rows.
SUSPECT_CLASSES = 10
MANY_CLASSES_SHARE = 0.2
FEW_ROWS = 3


def label_warnings(config: dict, data: RunData, origins: cfg.Origins) -> list[str]:
    """Warnings for a data file's numeric labels read as classes that do not look like classes:
    far too many of them (real-valued targets, read as classes by ``--task auto``), or numbers
    from 1 (UCI's 1..3: the network gets an output for a class 0 it never sees). Labels with
    gaps (0 and 999) are taken as meant (far wider ones are refused: :func:`check_classes`);
    text labels and the built-in sets have neither problem."""
    if not data.classification or not config["data"]["path"] or not _numbered(data.classes):
        return []
    labels, rows = np.unique(data.y_train, return_counts=True)
    n, k = len(data.y_train), len(labels)
    few = int(np.count_nonzero(rows < FEW_ROWS))
    if (
        config["data"]["task"] == AUTO
        and k >= SUSPECT_CLASSES
        and (k > MANY_CLASSES_SHARE * n or 2 * few > k)
    ):
        return [
            f"deltaprop train: warning: {k} classes for {n} rows of {data.label} ({few} of them with "
            f"fewer than {FEW_ROWS} rows): are its labels real-valued targets? If so, say "
            f"{cfg.spell(origins, 'data', 'task', 'regression')}"
        ]
    lo, hi = int(labels[0]), int(labels[-1])
    if not 0 < lo or hi - lo + 1 != k:  # from 0, or with gaps (0 and 999: meant, say)
        return []
    unused = "class 0 has" if lo == 1 else f"classes 0..{lo - 1} have"
    return [
        f"deltaprop train: warning: the labels of {data.label} are {lo}..{hi}: {unused} no samples, "
        f"and the network gets an output for each class number ({data.n_out} outputs for {k} "
        f"classes); number them from 0 (subtract {lo}) to do without {'it' if lo == 1 else 'them'}"
    ]


def _numbered(classes) -> bool:
    """Whether the class names are the labels' own numbers (a file's numeric labels), not words."""
    return classes is None or all(name == str(k) for k, name in enumerate(classes))


def validation_count(y: np.ndarray, n_out: int, split: float) -> tuple[int, str]:
    """How many samples ``fit`` holds out of ``y`` for ``validation_split=split``, and how that
    count comes about, in words. ``y`` is read as ``fit`` reads it (class labels, 0/1 of a
    single output, one-hot rows, or real targets), and counted by the rule ``fit`` carves the
    split with (:func:`deltaprop.training.arguments.validation_size`): for classes, the
    fraction of each class, rounded (stratified); for targets, of all samples, rounded up."""
    n = len(y)
    targets = check_targets(y, n_out, n)
    held = validation_size(targets, n, split)
    if not targets.classify:
        return held, f"{split:.0%} of its {n} training samples, rounded up, is {held}"
    counts = np.unique(targets.labels, return_counts=True)[1]
    return held, (
        f"{split:.0%} of each class, rounded, is {held} of its {n} training samples (the largest "
        f"of its {len(counts)} classes has {int(counts.max())})"
    )


def check_validation_split(config: dict, data: RunData, origins: cfg.Origins) -> str | None:
    """A validation split that would hold out no sample, or every sample, of the training data.

    The split counts the classes the labels hold, not the network's outputs (labels 0 and
    999 are two classes of 100 samples each, not 1000 classes). Given by the user (a flag or
    the config file) it is a usage error; the default split is dropped, and the run trains
    without a validation set (recorded as 0 in config.toml), unless early stopping or
    restore_best_weights needs it (a usage error then too). Returns the warning that says
    so, for the caller to print once the run goes ahead; None when the split stands.
    """
    split = float(config["data"]["validation_split"])
    if not split:
        return None
    held, counted = validation_count(data.y_train, data.n_out, split)
    if 0 < held < len(data.y_train):
        return None
    none_held = held == 0
    problem = f"leaves no {'validation' if none_held else 'training'} samples of {data.label}: {counted}"
    if origins.get(("data", "validation_split"), cfg.DEFAULT) != cfg.DEFAULT:
        fix = "use a larger fraction, or 0 for none" if none_held else "use a smaller fraction"
        raise cfg.bad_value(origins, "data", "validation_split", split, f"{problem}; {fix}")
    watcher = cfg.validation_watcher(config)
    if watcher:  # it cannot do without the validation loss: refused, not dropped
        raise cfg.bad_value(
            origins,
            "training",
            watcher,
            config["training"][watcher],
            f"{cfg.VALIDATION_WATCHERS[watcher]}, but the default --validation-split {split:g} "
            f"{problem}; give a --validation-split that holds some out",
        )
    config["data"]["validation_split"] = 0.0
    return (
        f"deltaprop train: warning: training without a validation set: the default "
        f"--validation-split {split:g} {problem}; training on all of them"
        + ("; give a larger --validation-split to hold some out" if none_held else "")
    )


def record_fingerprint(table: dict, origins: cfg.Origins) -> str | None:
    """Record the data file's SHA-256 in ``table`` (for evaluate, diagnose, plot and resume to
    check against); returns a warning if a config file recorded another one for it."""
    if not table["path"]:
        table["sha256"] = ""
        return None
    now = file_sha256(table["path"])  # read once, for the check and the record
    changed = changed_since(table, now)
    table["sha256"] = now
    if changed is None:
        return None
    where = cfg.key_name(origins, "data", "sha256")
    return f"deltaprop train: warning: {changed} ({where}); this run will not repeat that one exactly"


def check_target_scale(config: dict, data: RunData, origins: cfg.Origins) -> str | None:
    """A warning for regression targets far outside a small range (sklearn's diabetes: 25 to
    346) learnt unscaled by a linear output: the quadratic cost's gradients are then hundreds
    of times too large for the learning rate, and such a run learns next to nothing. None
    where the targets are scaled (``--scale``), small, or classes, or the output not linear.
    The limit is the one the unscaled-inputs finding uses for the inputs."""
    from .. import activations

    if data.classification or config["data"]["scale"] != "none":
        return None
    if activations.get(config["model"]["output_activation"]).name != "linear":
        return None
    low, high = float(np.min(data.y_train)), float(np.max(data.y_train))
    if max(abs(low), abs(high)) <= INPUT_SCALE_LIMIT:
        return None
    fix = cfg.spell(origins, "data", "scale", "standard")
    return (
        f"deltaprop train: warning: the regression targets of {data.label} run from {low:.4g} to "
        f"{high:.4g}, far outside a small range: a linear output learns them poorly unscaled; "
        f"{fix} standardises them (and the inputs) for training, and the saved model still "
        f"gives raw values"
    )
