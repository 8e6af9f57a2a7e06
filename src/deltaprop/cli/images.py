"""An image file made to look like the data a model was trained on.

Every image is first converted to grey (a transparent background counts as white) and
scaled to [0, 1] at its own depth, as the data sets' pixels are (0..255 / 255): 8-bit
images / 255, 16-bit greyscale / 65535, float images as they are when they lie in [0, 1]
(:func:`read_grey` refuses what it cannot place); then inverted when its background is
light, since MNIST and Fashion-MNIST are light on black: the background is the median of
the border pixels. What follows depends on the image and the model:

- **already the model's size** (28×28 for 784 inputs, 8×8 for 64), as the data sets' own
  images are: used as it is. Nothing else is done to it, so a test image saved as a PNG
  gives back exactly the pixels it was saved from, / 255 (/ 65535 for a 16-bit PNG).
- **digit normalisation**, only for a model trained on digits (``digit=True``; ``predict``
  decides it from the run's data set, :mod:`deltaprop.cli.predict`), as MNIST
  itself was made (LeCun et al.): each digit was size-normalised to fit a 20×20 box keeping
  its aspect ratio (with anti-aliasing, hence grey levels), then placed in a 28×28 image
  so that its centre of mass sits at the centre. :func:`mnist_like` does the same:

  1. stretch the contrast so the background is 0 and the darkest ink 1;
  2. crop to the bounding box of the ink (pixels above ``INK_THRESHOLD``);
  3. scale so the longer side is 20 pixels, keeping the aspect ratio;
  4. paste into 28×28 with the centre of mass at the centre (13.5, 13.5), rounded to a pixel.

  scikit-learn's 8×8 digits (UCI optdigits) were made from 32×32 bitmaps of normalised
  digits, each 4×4 block counted into a value 0..16. :func:`digits_like` follows that:
  steps 1–2, scale so the longer side is 32 keeping the aspect ratio, centre the box in
  32×32, threshold into a bitmap, count the ink in each 4×4 block and divide by 16 (the
  built-in digits are scaled to [0, 1] the same way, 0..16 / 16).
- **the whole picture**, for any other model (Fashion-MNIST's, say), as Fashion-MNIST was
  made from Zalando's product photos (Xiao, Rasul & Vollgraf, 2017): :func:`whole` trims the
  plain margins (edges within ``TRIM_TOLERANCE`` of the background), resizes what is left so
  its longer side is the model's, keeping the aspect ratio, and pads the shorter side with
  the image's own background. Nothing inside the picture is cropped and no contrast is
  stretched: a garment is not a digit, and shrinking its ink into a 20×20 box would make it
  another picture. (Fashion-MNIST's sharpening step is not repeated.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..datasets.mnist import PIXEL_MAX

LIGHT = 0.5  # a background brighter than this is paper, and the image is inverted
TRIM_TOLERANCE = 0.05  # Fashion-MNIST's: margins within 5 % of the background level are trimmed
INK_THRESHOLD = 0.2  # after the contrast stretch: above this a pixel is ink, not paper
MNIST_SIZE, MNIST_BOX = 28, 20
DIGITS_SIZE, DIGITS_BITMAP, DIGITS_BLOCK = 8, 32, 4
SIXTEEN_BIT_MAX = 65535  # 16-bit greyscale pixels (PNG, TIFF, PGM) / this are in [0, 1]
#: Pillow modes of 8-bit channels, read as grey by ``convert("L")`` / 255 (LAB has no such path).
EIGHT_BIT_MODES = ("1", "L", "P", "RGB", "RGBA", "LA", "PA", "La", "RGBa", "RGBX", "CMYK", "YCbCr", "HSV")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
#: The image side a model with this many inputs takes: 28×28 (MNIST) or 8×8 (digits).
IMAGE_SIDES = {MNIST_SIZE * MNIST_SIZE: MNIST_SIZE, DIGITS_SIZE * DIGITS_SIZE: DIGITS_SIZE}
AS_IS, DIGIT, WHOLE = "as-is", "digit", "whole"  # what is done to an image (see the docstring)


class ImageError(ValueError):
    """An image that cannot be read, holds no digit, or is given to a model that takes none."""


def read_grey(path: str | Path) -> np.ndarray:
    """The image at ``path`` as grey levels in [0, 1], ``(height, width)``, upright as a viewer
    shows it (a photo's EXIF orientation applied); transparency is white. Each mode is read at
    its own depth (:func:`grey_levels`)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # a phone stores its photos sideways, with a tag
            grey = grey_levels(img, path)
    except Image.DecompressionBombError as err:
        raise ImageError(
            f"{path} is too large to read safely ({err.args[0].split(',')[0]}); scale it down first"
        ) from err
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        raise ImageError(f"cannot read {path} as an image ({err}); give a PNG or JPEG file") from err
    if grey.size == 0:
        raise ImageError(f"{path} is an empty image")
    return grey


def grey_levels(img, path: str | Path) -> np.ndarray:
    """A Pillow image as grey levels in [0, 1] ``(height, width)``, each mode at its own depth:
    8-bit modes (:data:`EIGHT_BIT_MODES`) / 255, transparency white; 16-bit greyscale
    (``I;16``, ``I;16B``, ...) / 65535; ``I`` (32-bit integers, as Pillow reads a 16-bit PGM)
    / 65535 when its values lie in 0..65535; ``F`` (floats) as they are when they lie in
    [0, 1]. Anything else is an :class:`ImageError` naming the mode: ``convert("L")`` clips a
    16-bit image at 255 and truncates floats in [0, 1] to 0 or 1, giving wrong classes silently."""
    from PIL import Image

    mode = img.mode
    if mode in EIGHT_BIT_MODES:
        if mode in ("RGBA", "LA", "PA", "La", "RGBa") or (mode == "P" and "transparency" in img.info):
            rgba = img.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            img = Image.alpha_composite(white, rgba)
        return np.asarray(img.convert("L"), dtype=np.float64) / PIXEL_MAX
    if mode.startswith("I;16"):
        return np.asarray(img, dtype=np.float64) / SIXTEEN_BIT_MAX
    values = np.asarray(img, dtype=np.float64)
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if mode == "I" and 0 <= low and high <= SIXTEEN_BIT_MAX:
        return values / SIXTEEN_BIT_MAX
    if mode == "F" and 0.0 <= low and high <= 1.0:  # NaN fails both comparisons
        return values
    if mode in ("I", "F"):
        kind = "32-bit integer" if mode == "I" else "floating-point"
        allowed = f"0..{SIXTEEN_BIT_MAX}" if mode == "I" else "[0, 1]"
        raise ImageError(
            f"{path} is a {kind} image (mode {mode}) with values from {low:g} to {high:g}, outside "
            f"{allowed}, so its grey levels are unknown; save it as an 8- or 16-bit greyscale PNG"
        )
    raise ImageError(
        f"{path} has image mode {mode}, which cannot be read as grey levels; save it as an 8- or "
        "16-bit greyscale or RGB PNG"
    )


def background(grey: np.ndarray) -> float:
    """The background level of ``grey`` ``(height, width)``: the median of its border pixels."""
    return float(np.median(np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])))


def light_on_dark(grey: np.ndarray) -> np.ndarray:
    """``grey`` ``(height, width)`` inverted when its :func:`background` is light, so that it
    is light on dark as MNIST and Fashion-MNIST are."""
    return 1.0 - grey if background(grey) > LIGHT else grey


def ink(grey: np.ndarray, where: str = "image") -> np.ndarray:
    """Light-on-dark ink in [0, 1], contrast stretched and cropped to its bounding box."""
    grey = light_on_dark(grey)
    low, high = float(grey.min()), float(grey.max())
    if high - low < INK_THRESHOLD:
        raise ImageError(
            f"{where} has no visible digit (it is nearly one colour); draw a dark digit on light paper"
        )
    stretched = (grey - low) / (high - low)
    rows = np.flatnonzero((stretched > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((stretched > INK_THRESHOLD).any(axis=0))
    return stretched[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _fit(img: np.ndarray, box: int) -> np.ndarray:
    """``img`` resized (anti-aliased) so its longer side is ``box``, keeping the aspect ratio."""
    from PIL import Image

    height, width = img.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(img.astype(np.float32)).resize(size, Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized, dtype=np.float64), 0.0, 1.0)


def mnist_like(grey: np.ndarray, where: str = "image") -> np.ndarray:
    """A 28×28 MNIST-style image in [0, 1] from grey levels ``(height, width)``."""
    digit = _fit(ink(grey, where), MNIST_BOX)
    height, width = digit.shape
    total = digit.sum()
    com_row = (digit.sum(axis=1) @ np.arange(height)) / total
    com_col = (digit.sum(axis=0) @ np.arange(width)) / total
    centre = (MNIST_SIZE - 1) / 2
    top = int(np.clip(round(centre - com_row), 0, MNIST_SIZE - height))
    left = int(np.clip(round(centre - com_col), 0, MNIST_SIZE - width))
    out = np.zeros((MNIST_SIZE, MNIST_SIZE))
    out[top : top + height, left : left + width] = digit
    return out


def digits_like(grey: np.ndarray, where: str = "image") -> np.ndarray:
    """An 8×8 image like scikit-learn's digits, in [0, 1] (blocks' ink counts 0..16, / 16)."""
    digit = _fit(ink(grey, where), DIGITS_BITMAP)
    height, width = digit.shape
    bitmap = np.zeros((DIGITS_BITMAP, DIGITS_BITMAP))
    top, left = (DIGITS_BITMAP - height) // 2, (DIGITS_BITMAP - width) // 2
    bitmap[top : top + height, left : left + width] = digit > 0.5
    blocks = bitmap.reshape(DIGITS_SIZE, DIGITS_BLOCK, DIGITS_SIZE, DIGITS_BLOCK).sum(axis=(1, 3))
    return blocks / (DIGITS_BLOCK * DIGITS_BLOCK)


def trim(grey: np.ndarray, level: float) -> np.ndarray:
    """``grey`` ``(height, width)`` without its plain margins: the rows and columns at its
    edges whose pixels all lie within ``TRIM_TOLERANCE`` of the background ``level``. An
    image that is all margin is kept as it is."""
    picture = np.abs(grey - level) > TRIM_TOLERANCE
    if not picture.any():
        return grey
    rows, cols = np.flatnonzero(picture.any(axis=1)), np.flatnonzero(picture.any(axis=0))
    return grey[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def whole(grey: np.ndarray, side: int) -> np.ndarray:
    """The whole picture in ``grey`` ``(height, width)``, light on dark, as ``(side, side)`` in
    [0, 1], as Fashion-MNIST was made: its plain margins trimmed (:func:`trim`), resized so its
    longer side is ``side`` keeping the aspect ratio, the shorter side padded (centred) with
    the image's background, the median of its border pixels."""
    grey = light_on_dark(grey)
    level = background(grey)
    resized = _fit(trim(grey, level), side)
    height, width = resized.shape
    out = np.full((side, side), level)
    top, left = (side - height) // 2, (side - width) // 2
    out[top : top + height, left : left + width] = resized
    return out


def preparation(shape: tuple[int, int], n_in: int, *, digit: bool) -> str:
    """What :func:`prepare` does to an image of ``shape`` ``(height, width)``:
    ``"as-is"`` (it is the model's size already), ``"digit"`` or ``"whole"``."""
    side = IMAGE_SIDES[n_in]
    if tuple(shape) == (side, side):
        return AS_IS
    return DIGIT if digit else WHOLE


def prepare(grey: np.ndarray, n_in: int, *, digit: bool, where: str = "image") -> np.ndarray:
    """Grey levels ``(height, width)`` as one row ``(n_in,)`` for a model with ``n_in`` inputs
    (784 or 64): as they are when already the model's size, else digit-normalised
    (``digit=True``: :func:`mnist_like`, :func:`digits_like`) or resized :func:`whole`."""
    how = preparation(grey.shape, n_in, digit=digit)
    side = IMAGE_SIDES[n_in]
    if how == AS_IS:
        return light_on_dark(grey).reshape(-1)
    if how == WHOLE:
        return whole(grey, side).reshape(-1)
    made = mnist_like(grey, where) if side == MNIST_SIZE else digits_like(grey, where)
    return made.reshape(-1)


def check_image_model(n_in: int) -> None:
    """ImageError unless a model with ``n_in`` inputs takes images (784 or 64 of them)."""
    if n_in not in IMAGE_SIDES:
        raise ImageError(
            f"the model has {n_in} inputs; images can be given only to models with 784 (28×28, "
            f"MNIST-like) or 64 (8×8, digits-like) inputs. Give the features as a CSV or NPZ file instead"
        )
