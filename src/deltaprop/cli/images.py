"""A digit drawn in any paint program, made to look like the data a model was trained on.

MNIST (LeCun et al.): each digit was size-normalised to fit a 20×20 box keeping its aspect
ratio (with anti-aliasing, hence grey levels), then placed in a 28×28 image so that its
centre of mass sits at the centre. :func:`mnist_like` does the same to an image file:

1. convert to grey (a transparent background counts as white) in [0, 1];
2. invert when the background is light (MNIST is white ink on black) — the background is
   the median of the border pixels;
3. stretch the contrast so the background is 0 and the darkest ink 1;
4. crop to the bounding box of the ink (pixels above ``INK_THRESHOLD``);
5. scale so the longer side is 20 pixels, keeping the aspect ratio;
6. paste into 28×28 with the centre of mass at the centre (13.5, 13.5), rounded to a pixel.

scikit-learn's 8×8 digits (UCI optdigits) were made from 32×32 bitmaps of normalised
digits, each 4×4 block counted into a value 0..16. :func:`digits_like` follows that:
steps 1–4, scale so the longer side is 32 keeping the aspect ratio, centre the box in
32×32, threshold into a bitmap, count the ink in each 4×4 block and divide by 16 (the
built-in digits are scaled to [0, 1] the same way, 0..16 / 16).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

INK_THRESHOLD = 0.2  # after the contrast stretch: above this a pixel is ink, not paper
MNIST_SIZE, MNIST_BOX = 28, 20
DIGITS_SIZE, DIGITS_BITMAP, DIGITS_BLOCK = 8, 32, 4
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


class ImageError(ValueError):
    """An image that cannot be read, or holds no digit."""


def read_grey(path: str | Path) -> np.ndarray:
    """The image at ``path`` as grey levels in [0, 1], ``(height, width)``; transparency is white."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img.load()
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                img = Image.alpha_composite(white, rgba)
            grey = np.asarray(img.convert("L"), dtype=np.float64) / 255.0
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        raise ImageError(f"cannot read {path} as an image ({err}); give a PNG or JPEG file") from err
    if grey.size == 0:
        raise ImageError(f"{path} is an empty image")
    return grey


def ink(grey: np.ndarray, where: str = "image") -> np.ndarray:
    """Steps 2–4: white-on-black ink in [0, 1], cropped to its bounding box."""
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    if np.median(border) > 0.5:
        grey = 1.0 - grey
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


def image_features(path: str | Path, n_in: int) -> np.ndarray:
    """The image at ``path`` as one row of features for a model with ``n_in`` inputs."""
    grey = read_grey(path)
    if n_in == MNIST_SIZE * MNIST_SIZE:
        return mnist_like(grey, str(path)).reshape(-1)
    if n_in == DIGITS_SIZE * DIGITS_SIZE:
        return digits_like(grey, str(path)).reshape(-1)
    raise ImageError(
        f"the model has {n_in} inputs; images can be given only to models with 784 (28×28, MNIST) "
        f"or 64 (8×8, digits) inputs. Give the features as a CSV or NPZ file instead"
    )
