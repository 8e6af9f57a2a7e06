"""What makes a saved picture a picture: drawn pixels for PNG, drawing elements for SVG."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

BACKGROUND = 250  # a pixel lighter than this in every channel counts as background


def assert_png_drawn(path, min_share: float = 0.02) -> None:
    """The PNG holds a real drawing: enough non-background pixels, and not one flat colour."""
    image = np.asarray(Image.open(path).convert("RGB"), dtype=float)
    drawn = (image < BACKGROUND).any(axis=2).mean()
    assert drawn > min_share, f"{path}: only {drawn:.2%} of the pixels are drawn"
    assert image.std() > 10, f"{path}: pixel standard deviation {image.std():.1f}, nearly blank"


def assert_svg_drawn(path, min_paths: int = 10) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    n_paths = text.count("<path") + text.count("<use") + text.count("<image")
    assert n_paths >= min_paths, f"{path}: only {n_paths} drawing elements"


def png_bytes_drawn(data: bytes) -> float:
    image = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    return float((image < BACKGROUND).any(axis=2).mean())


def assert_lines_fill_height(ax, min_share: float) -> None:
    """The axes' lines, all together, span at least ``min_share`` of its y-range and lie inside it."""
    values = np.concatenate([np.asarray(line.get_ydata(), dtype=float) for line in ax.lines])
    values = values[np.isfinite(values)]
    bottom, top = ax.get_ylim()
    assert bottom <= values.min() and values.max() <= top, (
        f"data {values.min()}..{values.max()} outside {bottom}..{top}"
    )
    share = (values.max() - values.min()) / (top - bottom)
    assert share >= min_share, (
        f"the lines fill {share:.0%} of the height {bottom}..{top}; expected ≥ {min_share:.0%}"
    )
