"""Digit images made MNIST-like (28×28) and digits-like (8×8), with exact expectations.

The drawings are filled rectangles, so every step can be worked by hand: after cropping,
a constant block stays constant whatever the resampling, and only its size and place matter.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from deltaprop.cli.images import ImageError, digits_like, image_features, mnist_like, read_grey


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


def test_image_features_by_model_size_and_refusals(tmp_path):
    path = draw(tmp_path / "bar.jpg", (90, 90), [30, 10, 49, 79])
    assert image_features(path, 784).shape == (784,)
    assert image_features(path, 64).shape == (64,)
    with pytest.raises(ImageError, match="784 .* or 64"):
        image_features(path, 2)
    blank = tmp_path / "blank.png"
    Image.new("L", (30, 30), 255).save(blank)
    with pytest.raises(ImageError, match="no visible digit"):
        image_features(blank, 784)
    (tmp_path / "text.png").write_text("not an image")
    with pytest.raises(ImageError, match="cannot read"):
        read_grey(tmp_path / "text.png")
