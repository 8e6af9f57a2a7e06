"""What ``deltaprop explain`` steps on: the example given by ``--input``/``--target`` or
``--input-file``, checked against the network's layers.

``--input-file`` takes a text file with one example per line — its inputs, then its targets or,
for a network of several outputs, one class label (as ``--target 7`` takes one) — or an image
(PNG, JPEG, ...) for a model with 784 (28×28) or 64 (8×8) inputs, read and prepared as
``deltaprop predict`` prepares it (:mod:`.images`), whose target is then ``--target``'s.
"""

from __future__ import annotations

import math
from pathlib import Path

from .._text import count
from .errors import UsageError
from .images import IMAGE_SIDES, IMAGE_SUFFIXES, ImageError, preparation, prepare, read_grey

TAKES = (
    "it takes a text file with one example per line, its inputs then its targets (or one class "
    "label), or an image (PNG, JPEG) for a model of 784 or 64 inputs, with --target"
)


def numbers(text: str, option: str) -> list[float]:
    """Comma- (or space-) separated numbers, or a UsageError naming the bad one."""
    values = []
    for position, part in enumerate(text.replace(",", " ").split(), start=1):
        try:
            value = float(part)
        except ValueError:
            raise UsageError(
                f"{option}: {part!r} is not a number (expected e.g. {option} 0.05,0.10)"
            ) from None
        if not math.isfinite(value):  # float() reads nan and inf; the step cannot use them
            raise UsageError(f"{option}: value {position} is {part!r}; give finite numbers such as 0.05,0.10")
        values.append(value)
    if not values:
        raise UsageError(f"{option} is empty; give comma-separated numbers such as 0.05,0.10")
    return values


def class_label(value: float, n_out: int) -> int | None:
    """``value`` as a class label of a network of ``n_out`` outputs (a whole number from 0 to
    n_out − 1, for several outputs); None where it is none."""
    return int(value) if n_out > 1 and value.is_integer() and 0 <= value < n_out else None


def one_hot(label: int, n_out: int) -> list[float]:
    return [1.0 if k == label else 0.0 for k in range(n_out)]


def read_input_file(path: Path, n_in: int, n_out: int, whose: str):
    """``(xs, ys)`` from a text file of examples, one a line: n_in inputs, then n_out targets
    or one class label. All labels stay labels (the walk-through names their classes); in a
    file that mixes both, the labels become their one-hot targets."""
    if not path.is_file():
        raise UsageError(f"--input-file {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"--input-file {path} is not a text file of numbers; {TAKES}") from None
    xs, ys = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        values = numbers(line, f"--input-file line {number}")
        if len(values) == n_in + 1 and class_label(values[-1], n_out) is not None:
            ys.append(class_label(values[-1], n_out))
        elif len(values) == n_in + n_out:
            ys.append(values[n_in:])
        else:
            raise UsageError(_wrong_line(number, values, n_in, n_out, whose))
        xs.append(values[:n_in])
    if not xs:
        raise UsageError(f"--input-file {path} holds no examples")
    if any(isinstance(y, int) for y in ys) and not all(isinstance(y, int) for y in ys):
        ys = [one_hot(y, n_out) if isinstance(y, int) else y for y in ys]
    return xs, ys


def _wrong_line(number: int, values: list[float], n_in: int, n_out: int, whose: str) -> str:
    needs = f"{count(n_in, 'input')} then {count(n_out, 'target')} ({n_in + n_out} numbers)"
    if n_out > 1:
        needs += (
            f", or {count(n_in, 'input')} then one class label from 0 to {n_out - 1} ({n_in + 1} numbers)"
        )
    said = f"--input-file line {number} has {len(values)} numbers; {whose} needs {needs}"
    if len(values) == n_in + 1 and n_out > 1:
        said += f"; its last number, {values[-1]:g}, is no class label"
    return said


def target(text: str, n_out: int, whose: str):
    """``--target``: n_out values, or for several outputs one class label (an int)."""
    y = numbers(text, "--target")
    if len(y) == 1 and class_label(y[0], n_out) is not None:
        return class_label(y[0], n_out)  # as dp.explain(net, x, 2, η) takes it: one-hot encoded
    if len(y) != n_out:
        raise UsageError(
            f"--target has {count(len(y), 'value')}, but {whose}'s output layer has "
            f"{count(n_out, 'neuron')}; give {count(n_out, 'target')}"
            + (f" or one class label from 0 to {n_out - 1}" if n_out > 1 else "")
        )
    return y


def image_input(path: Path, target_text: str | None, n_in: int, n_out: int, whose: str, digit: bool):
    """``(x, y, how)``: the image at ``path`` as one input ``(n_in,)``, prepared as ``deltaprop
    predict`` prepares it (``digit``: for a model trained on digits), ``--target``'s y, and what
    was done to the image (``"as-is"``, ``"digit"``, ``"whole"``)."""
    if not path.is_file():
        raise UsageError(f"--input-file {path} does not exist")
    if n_in not in IMAGE_SIDES:
        raise UsageError(
            f"--input-file {path} is an image, but {whose} has {count(n_in, 'input')}; images go only to "
            "models of 784 (28×28) or 64 (8×8) inputs: give the numbers in a text file, one example a line"
        )
    if target_text is None:
        raise UsageError(
            f"--input-file {path} is an image, which holds no target: give it with --target "
            + (f"(a class label from 0 to {n_out - 1}, e.g. --target 7)" if n_out > 1 else "T")
        )
    y = target(target_text, n_out, whose)
    try:
        grey = read_grey(path)
        return (
            prepare(grey, n_in, digit=digit, where=str(path)),
            y,
            preparation(grey.shape, n_in, digit=digit),
        )
    except ImageError as err:
        raise UsageError(f"--input-file {err}") from None


def is_image(path: str | Path) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES
