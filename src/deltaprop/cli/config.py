"""A run's configuration: defaults, a TOML file, then command-line flags, in that order.

The resolved configuration is a dict of four tables, written to ``RUN_DIR/config.toml``
so that ``deltaprop train --config RUN_DIR/config.toml`` repeats the run exactly::

    [data]      name or path, label_column, header, delimiter, drop_columns, x_key, y_key, task,
                validation_split, scale, sha256 (written by train)
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

Each part has its module, and every name is importable from here too: the tables and their
defaults in :mod:`.config_tables`, origins and how a message names a value in
:mod:`.config_origins`, reading a file in :mod:`.config_file`, the text of ``--layers`` and
``--schedule`` in :mod:`.config_flags`, and the checks of values in :mod:`.config_validate`.
This module merges the tables and writes the resolved configuration back as TOML.
"""

from __future__ import annotations

import copy

from ..datasets.by_name import TASKS  # --task's choices
from ..training.scaling import METHODS as SCALES  # --scale's choices
from .config_file import QUOTED, TYPE_WORDS, check_tables, read_toml
from .config_flags import NO_HIDDEN_LAYER, SCHEDULE_HINT, parse_hidden, parse_int_list, parse_schedule
from .config_origins import (
    DEFAULT,
    FLAG,
    Origins,
    bad_value,
    flag_name,
    from_file,
    given,
    key_name,
    origins_of,
    spell,
)
from .config_tables import (
    AUTO,
    BUILTIN_DATA,
    DEFAULT_HIDDEN,
    DEFAULTS,
    DTYPE_NAMES,
    FILE_ONLY_KEYS,
    FLAG_KEYS,
    OPTIMIZER_NAMES,
    SHA256_HEX_DIGITS,
    defaults,
)
from .config_validate import REGISTRIES, VALIDATION_WATCHERS, validate, validation_watcher

__all__ = [
    "AUTO",
    "BUILTIN_DATA",
    "DEFAULT",
    "DEFAULTS",
    "DEFAULT_HIDDEN",
    "DTYPE_NAMES",
    "FILE_ONLY_KEYS",
    "FLAG",
    "FLAG_KEYS",
    "NO_HIDDEN_LAYER",
    "OPTIMIZER_NAMES",
    "QUOTED",
    "REGISTRIES",
    "SCALES",
    "SCHEDULE_HINT",
    "SHA256_HEX_DIGITS",
    "TASKS",
    "TYPE_WORDS",
    "VALIDATION_WATCHERS",
    "Origins",
    "bad_value",
    "check_tables",
    "defaults",
    "flag_name",
    "from_file",
    "given",
    "key_name",
    "merge",
    "origins_of",
    "parse_hidden",
    "parse_int_list",
    "parse_schedule",
    "read_toml",
    "spell",
    "to_toml",
    "validate",
    "validation_watcher",
]


def merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for section, values in override.items():
        out.setdefault(section, {}).update(values)
    return out


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
