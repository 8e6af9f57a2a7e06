"""Images made model-like: as they are at the model's size, digit-normalised (MNIST-like 28×28,
digits-like 8×8) or resized whole, with exact expectations.

The drawings are filled rectangles, so every step can be worked by hand: after cropping,
a constant block stays constant whatever the resampling, and only its size and place matter.
Real MNIST and Fashion-MNIST test images, where ``$DELTAPROP_DATA`` holds them, check that a
data set's own image saved as a PNG comes back as exactly the array it was saved from.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

import deltaprop as dp
from deltaprop.cli.images import (
    ImageError,
    check_image_model,
    digits_like,
    mnist_like,
    preparation,
    prepare,
    read_grey,
    whole,
)

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def draw(path, size, box, background="white", ink="black", mode="RGB"):
    img = Image.new(mode, size, background)
    ImageDraw.Draw(img).rectangle(box, fill=ink)
    img.save(path)
    return path


def test_mnist_like_scales_into_20x20_and_centres_by_mass(tmp_path):
    # A 40 wide × 80 tall black bar, off-centre in a 200×200 white image.
    path = draw(tmp_path / "bar.png", (200, 200), [120, 30, 159, 109])
    out = mnist_like(read_grey(path))
    # Inverted, cropped to 80×40, scaled by 20/80 to 20 rows × 10 columns. Its centre of mass
    # (9.5, 4.5) goes to the image centre (13.5, 13.5): rows 4..23, columns 9..18.
    expected = np.zeros((28, 28))
    expected[4:24, 9:19] = 1.0
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_mnist_like_centres_by_mass_not_by_box(tmp_path):
    # An L: a tall bar and a foot. The mass sits left of the box's centre, so the box shifts right.
    img = Image.new("L", (100, 100), 255)
    d = ImageDraw.Draw(img)
    d.rectangle([10, 10, 29, 89], fill=0)  # 20 × 80
    d.rectangle([10, 70, 69, 89], fill=0)  # foot, 60 × 20
    img.save(tmp_path / "l.png")
    out = mnist_like(read_grey(tmp_path / "l.png"))
    rows, cols = np.nonzero(out > 0.5)
    assert rows.max() - rows.min() + 1 == 20  # the longer side is 20 pixels
    mass = out / out.sum()
    com = (mass.sum(axis=1) @ np.arange(28), mass.sum(axis=0) @ np.arange(28))
    assert abs(com[0] - 13.5) <= 0.5 and abs(com[1] - 13.5) <= 0.5


def test_light_ink_on_dark_paper_is_not_inverted_and_alpha_counts_as_white(tmp_path):
    dark = draw(tmp_path / "dark.png", (60, 60), [20, 10, 29, 49], background="black", ink="white")
    clear = draw(
        tmp_path / "clear.png",
        (60, 60),
        [20, 10, 29, 49],
        background=(0, 0, 0, 0),
        ink=(0, 0, 0, 255),
        mode="RGBA",
    )
    np.testing.assert_allclose(mnist_like(read_grey(dark)), mnist_like(read_grey(clear)), atol=1e-6)


def test_digits_like_follows_the_32x32_bitmap_and_4x4_counts(tmp_path):
    path = draw(tmp_path / "bar.png", (200, 200), [120, 30, 159, 109])
    out = digits_like(read_grey(path))
    # 80×40 scaled to 32×16, centred in 32×32 at columns 8..23: 4×4 blocks 2..5 are full (16/16).
    expected = np.zeros((8, 8))
    expected[:, 2:6] = 1.0
    np.testing.assert_array_equal(out, expected)


def test_an_image_file_as_a_row_by_model_size_and_refusals(tmp_path):
    # what predict and explain do with an image file: check the model, read it, prepare it
    path = draw(tmp_path / "bar.jpg", (90, 90), [30, 10, 49, 79])
    for digit in (True, False):
        assert prepare(read_grey(path), 784, digit=digit).shape == (784,)
        assert prepare(read_grey(path), 64, digit=digit).shape == (64,)
    check_image_model(784)
    check_image_model(64)
    with pytest.raises(ImageError, match="784 .* or 64"):
        check_image_model(2)
    blank = tmp_path / "blank.png"
    Image.new("L", (30, 30), 255).save(blank)
    with pytest.raises(ImageError, match="no visible digit"):
        prepare(read_grey(blank), 784, digit=True)
    # Resized whole, a blank page is a blank input (black, as the data sets' background is).
    np.testing.assert_array_equal(prepare(read_grey(blank), 784, digit=False), np.zeros(784))
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(ImageError, match="cannot read"):
        read_grey(tmp_path / "text.png")


def test_what_is_done_depends_on_the_size_first_then_on_the_model():
    assert preparation((28, 28), 784, digit=True) == "as-is"
    assert preparation((28, 28), 784, digit=False) == "as-is"
    assert preparation((8, 8), 64, digit=True) == "as-is"
    assert preparation((28, 28), 64, digit=True) == "digit"  # not the 8×8 model's size
    assert preparation((240, 300), 784, digit=True) == "digit"
    assert preparation((240, 300), 784, digit=False) == "whole"
    assert preparation((28, 20), 784, digit=False) == "whole"


@pytest.mark.parametrize("side", [28, 8])
@pytest.mark.parametrize("digit", [True, False])
def test_an_image_of_the_model_size_round_trips_to_exactly_its_pixels_over_255(tmp_path, side, digit):
    # Light on dark, as the data sets are: a black border (the background), any pixels inside.
    pixels = np.zeros((side, side), dtype=np.uint8)
    pixels[1:-1, 1:-1] = np.random.default_rng(0).integers(0, 256, size=(side - 2, side - 2))
    Image.fromarray(pixels).save(tmp_path / "x.png")
    row = prepare(read_grey(tmp_path / "x.png"), side * side, digit=digit)
    np.testing.assert_array_equal(row, pixels.reshape(-1) / 255.0)
    # Dark on light paper: inverted, and nothing else (no contrast stretch, no crop).
    Image.fromarray(255 - pixels).save(tmp_path / "paper.png")
    inverted = prepare(read_grey(tmp_path / "paper.png"), side * side, digit=digit)
    np.testing.assert_allclose(inverted, pixels.reshape(-1) / 255.0, atol=1e-12)


def test_whole_trims_the_plain_margins_keeps_the_aspect_and_pads_with_the_background(tmp_path):
    # A 120 wide × 60 tall white page with a black 40 × 20 block in its middle, as a product
    # photo has a garment on a plain ground. Fashion-MNIST was made by trimming such margins
    # (edges within 5 % of the background), resizing the longer side to 28 and padding the
    # other: inverted, the block becomes 28 wide × 14 tall, centred in rows 7..20. Untrimmed,
    # the whole page shrank to 28 × 14 with the garment a 9 × 5 speck in its middle.
    path = draw(tmp_path / "page.png", (120, 60), [40, 20, 79, 39])
    out = whole(read_grey(path), 28)
    assert out.shape == (28, 28)
    np.testing.assert_array_equal(out[:7], 0.0)  # padding: the page's background, black
    np.testing.assert_array_equal(out[21:], 0.0)
    np.testing.assert_allclose(out[7:21], 1.0, atol=1e-6)  # the block, every column of it
    # A margin that is not plain (a grey mark in a corner) is part of the picture: kept.
    marked = draw(tmp_path / "marked.png", (120, 60), [40, 20, 79, 39])
    img = Image.open(marked)
    ImageDraw.Draw(img).rectangle([0, 0, 3, 3], fill=(200, 200, 200))
    img.save(marked)
    kept = whole(read_grey(marked), 28)
    assert kept[7:21].sum() < 0.5 * out[7:21].sum()  # the block shrinks back towards its share
    # MNIST's digit normalisation of the same page: the block fits the 20×20 box instead.
    assert (mnist_like(read_grey(path)) > 0.5).any(axis=0).sum() == 20


def test_whole_pads_with_the_image_own_background_not_black(tmp_path):
    # A mid-grey page (not light: not inverted) 20 wide × 10 tall → 28 × 14 inside a grey 28×28.
    Image.new("L", (20, 10), 100).save(tmp_path / "grey.png")
    np.testing.assert_allclose(whole(read_grey(tmp_path / "grey.png"), 28), 100 / 255, atol=1e-6)


def real_test_images(name: str, count: int):
    """The first ``count`` test images of ``name`` as uint8 ``(count, 28, 28)`` with their
    deltaprop arrays ``(count, 784)``, from ``$DELTAPROP_DATA`` or the shared copy; else skip."""
    for root in (os.environ.get("DELTAPROP_DATA"), SHARED_DATA):
        if root and dp.datasets.dataset_info(name, data_dir=root).present:
            X, _ = dp.datasets.load(name, "test", data_dir=root, download=False)
            pixels = np.round(X[:count] * 255).astype(np.uint8).reshape(-1, 28, 28)
            return pixels, X[:count]
    pytest.skip(f"no {name} copy: set DELTAPROP_DATA to a folder holding {name}/t10k-*-ubyte.gz")


@pytest.mark.mnist
@pytest.mark.parametrize("name", ["mnist", "fashion-mnist"])
def test_real_test_images_saved_as_png_come_back_as_their_arrays(tmp_path, name):
    pixels, X = real_test_images(name, 300)
    rows = []
    for k, image in enumerate(pixels):
        Image.fromarray(image).save(tmp_path / f"{k}.png")
        rows.append(prepare(read_grey(tmp_path / f"{k}.png"), 784, digit=name == "mnist"))
    # The arrays are float32 pixel / 255; the image path computes the same in float64.
    np.testing.assert_array_equal(np.array(rows, dtype=np.float32), X)


def test_a_photo_stored_sideways_with_an_exif_orientation_is_read_upright(tmp_path):
    # A phone stores a portrait photo as landscape pixels and an Orientation tag (6: turn 90°
    # clockwise to view). Read without the tag, a 7 reached the model lying on its side.
    upright = np.zeros((30, 20), dtype=np.uint8)
    upright[2:6, 3:17] = 255  # the 7's bar, along the top
    stored = Image.fromarray(upright).rotate(90, expand=True)  # 20×30, the bar down the left side
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(tmp_path / "photo.png", exif=exif)
    assert np.array_equal(read_grey(tmp_path / "photo.png"), upright / 255)


def test_an_image_too_large_to_read_safely_is_refused_by_name(tmp_path, monkeypatch):
    # An image over twice Pillow's decompression-bomb limit: its own exception used to escape
    # as a traceback; it is an ImageError (one line from predict) naming the file. The limit
    # is lowered to 10,000 pixels here, so that a 200 × 200 image is "too large": one over the
    # real limit (2 × 89 million pixels) took 400 MB of the test's memory to draw.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    Image.new("L", (200, 200), 255).save(tmp_path / "huge.png")
    with pytest.raises(ImageError, match=r"huge.png is too large to read safely \(Image size \(40000 pixels"):
        read_grey(tmp_path / "huge.png")
