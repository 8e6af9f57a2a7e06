"""Figures without pyplot: a ``matplotlib.figure.Figure`` per picture, saved atomically.

Nothing here changes matplotlib's global state (no ``pyplot``, no ``matplotlib.use``, no
``rcParams`` set): a Figure made directly is drawn by the Agg renderer when it is saved. Text
sizes follow matplotlib's ``font.size`` when a figure is made (:func:`font_size`), so
``with matplotlib.rc_context({"font.size": 16}):`` makes a picture's words readable on a slide.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontManager

from .._atomic import atomic_write
from .._validation import check_positive_float

FORMATS = ("png", "svg", "pdf")
DPI = 100  # PNG pixels per inch by default; 200 suits a projector or print
MAX_DPI = 1200
POSITIVE, NEGATIVE = "#c0392b", "#2e6fba"  # w > 0 red, w < 0 blue, as in most network diagrams
DEFAULT_FONT_SIZE = 10.0  # matplotlib's own font.size, at which every size below was chosen
# Images: ink (handwriting, strokes on a blank page) is drawn dark on white, as on paper; an
# object (a garment, a photo) bright on dark, as stored. A stroke is a few pixels wide, so few of
# its lit pixels have all four neighbours lit: MNIST's median share is 0.40, scikit-learn's 8×8
# digits' 0.13, Fashion-MNIST's garments' 0.70.
LIT = 0.25  # of the images' range: a pixel brighter than this is lit
FILLED_SHARE = 0.55  # a median share of filled lit pixels above this: objects, not strokes
MAX_JUDGED = 500  # images looked at to judge
INK_CMAP, OBJECT_CMAP = "gray_r", "gray"


def layer_name(l: int, n_layers: int) -> str:
    """The layer of neurons that ``weights[l]`` feeds, as every picture names it: "hidden 1" … "output"."""
    return "output" if l == n_layers - 1 else f"hidden {l + 1}"


def cost_name(name: str) -> str:
    """A cost's name as prose writes it: "log-likelihood", "cross-entropy", "quadratic"."""
    return name.replace("_", "-")


def font_size(points: float) -> float:
    """``points`` at matplotlib's default font size (10), scaled to its ``font.size`` in force now."""
    return points * FontManager.get_default_size() / DEFAULT_FONT_SIZE


def image_cmap(images: np.ndarray) -> str:
    """``"gray_r"`` for ink (MNIST, digits: strokes drawn dark on white) or ``"gray"`` for
    objects (Fashion-MNIST: drawn as stored, bright on dark), judged from ``images``
    ``(n, height, width)``: objects when the median image has more than FILLED_SHARE of its lit
    pixels filled, all four neighbours lit too."""
    tiles = np.asarray(images, dtype=float)[:MAX_JUDGED]
    finite = tiles[np.isfinite(tiles)]
    if finite.size == 0 or finite.max() == finite.min():
        return INK_CMAP
    lit = (tiles - finite.min()) > LIT * (finite.max() - finite.min())
    padded = np.pad(lit, ((0, 0), (1, 1), (1, 1)))
    filled = lit & padded[:, :-2, 1:-1] & padded[:, 2:, 1:-1] & padded[:, 1:-1, :-2] & padded[:, 1:-1, 2:]
    shares = filled.sum(axis=(1, 2)) / np.maximum(lit.sum(axis=(1, 2)), 1)
    return OBJECT_CMAP if float(np.median(shares)) > FILLED_SHARE else INK_CMAP


def new_figure(figsize: tuple[float, float]) -> Figure:
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def settle_layout(fig: Figure) -> None:
    """Lay ``fig`` out once, drawing nothing, so that its saved picture has every label inside it.

    Constrained layout makes room for what lies round an axes where the last draw put it, and
    an axis label (a colour bar's "δ = ∂C_x/∂z") is placed beside its tick labels only as it is
    drawn: in a figure never drawn, the first layout measured the label where it was not, and a
    batch's network diagram was saved with it cut at the right edge. The size is not changed.
    """
    fig.draw_without_rendering()


def axes_or_new(ax, figsize: tuple[float, float]):
    """``(fig, ax)``: the given axes and its figure, or a new figure with one axes."""
    if ax is None:
        fig = new_figure(figsize)
        return fig, fig.add_subplot()
    if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax.figure, ax


def check_image_shape(image_shape, n_pixels: int, whose: str) -> tuple[int, int]:
    """``image_shape`` as ``(height, width)``: two whole numbers ≥ 1 with height·width =
    ``n_pixels``, which ``whose`` names in the message (``"the 784 inputs of the network"``)."""
    try:
        shape = tuple(image_shape)
    except TypeError:
        shape = ()
    if not shape or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in shape):
        raise TypeError(f"image_shape must be (height, width), two whole numbers; got {image_shape!r}")
    if len(shape) != 2 or min(shape) < 1 or shape[0] * shape[1] != n_pixels:
        raise ValueError(
            f"image_shape {tuple(int(s) for s in shape)} does not match {whose}; expected (height, width), "
            f"each ≥ 1, with height·width = {n_pixels}"
        )
    return int(shape[0]), int(shape[1])


def check_dpi(dpi) -> float:
    dpi = check_positive_float(dpi, "dpi")
    if dpi > MAX_DPI:
        raise ValueError(f"dpi must be at most {MAX_DPI} (pixels per inch of a PNG); got {dpi:g}")
    return dpi


def save_figure(fig: Figure, path, dpi: float = DPI) -> Path:
    """Write ``fig`` to ``path`` as PNG, SVG or PDF (chosen by the extension), atomically.

    ``dpi`` sets a PNG's pixels per inch (100 by default; 200 for slides or print); an SVG
    or a PDF is drawn in vectors at any size. The picture goes to a temporary file in the same folder,
    then replaces ``path``, so a reader never sees half a file. Missing parent folders are
    created.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    dpi = check_dpi(dpi)
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"path must end in {_suffixes()}; got {str(path)!r}")
    return atomic_write(path, lambda fh: fig.savefig(fh, format=fmt, dpi=dpi), parents=True)


def _suffixes() -> str:
    """ ".png, .svg or .pdf": the file names a picture may have."""
    names = [f".{fmt}" for fmt in FORMATS]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def render_rgb(fig: Figure) -> np.ndarray:
    """The figure drawn as an ``(height, width, 3)`` uint8 image."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def tile_mosaic(tiles: np.ndarray, cols: int, gap: int = 1) -> np.ndarray:
    """``tiles`` ``(n, h, w)`` laid out ``cols`` to a row, NaN between and after them.

    One image in one axes draws many small pictures far faster than one axes per picture.
    """
    n, h, w = tiles.shape
    rows = -(-n // cols)
    mosaic = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan)
    for k in range(n):
        r, c = divmod(k, cols)
        mosaic[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = tiles[k]
    return mosaic
