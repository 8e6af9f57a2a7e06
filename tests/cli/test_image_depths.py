"""Images read at their own depth: a digits test image saved as 8-bit, 16-bit and float gives
the same grey levels and the same prediction; a mode whose levels are unknown is refused.

Pillow's ``convert("L")`` clipped a 16-bit image at 255 (every inked pixel white) and truncated
floats in [0, 1] to 0 or 1, so ``predict`` gave other probabilities, or another class, silently.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from cli_helpers import assert_one_line_error
from PIL import Image

import deltaprop as dp
from deltaprop.cli.images import ImageError, read_grey

SIXTEEN_BIT_MAX = 65535


@pytest.fixture(scope="module")
def digit():
    """The first built-in digits test image, 8×8 grey levels in [0, 1] (0..16 / 16)."""
    return dp.datasets.load_digits("test")[0][0].reshape(8, 8).astype(np.float64)


def save_depths(folder, x):
    """``x`` saved as 8-bit, 16-bit, 32-bit integer and float images; their paths by name."""
    paths = {name: folder / name for name in ("d8.png", "d16.png", "d32.tif", "d01.tiff")}
    Image.fromarray(np.rint(x * 255).astype(np.uint8)).save(paths["d8.png"])
    Image.fromarray(np.rint(x * SIXTEEN_BIT_MAX).astype(np.uint16)).save(paths["d16.png"])
    Image.fromarray(np.rint(x * SIXTEEN_BIT_MAX).astype(np.int32)).save(paths["d32.tif"])
    Image.fromarray(x.astype(np.float32), mode="F").save(paths["d01.tiff"])
    return paths


def test_each_mode_is_read_at_its_own_depth(tmp_path, digit):
    paths = save_depths(tmp_path, digit)
    assert Image.open(paths["d16.png"]).mode in ("I;16", "I")  # "I" in older Pillow (10.1): the same levels
    assert Image.open(paths["d32.tif"]).mode == "I"
    assert Image.open(paths["d01.tiff"]).mode == "F"
    # 8 bits round each level to 1/255, 16 bits to 1/65535, float32 to its 24-bit mantissa.
    np.testing.assert_allclose(read_grey(paths["d8.png"]), digit, atol=0.5 / 255)
    np.testing.assert_allclose(read_grey(paths["d16.png"]), digit, atol=0.5 / SIXTEEN_BIT_MAX)
    np.testing.assert_allclose(read_grey(paths["d32.tif"]), digit, atol=0.5 / SIXTEEN_BIT_MAX)
    np.testing.assert_allclose(read_grey(paths["d01.tiff"]), digit, atol=1e-7)
    # The old reader made every inked 16-bit pixel 1.0 and every float pixel below 1 zero.
    assert np.unique(read_grey(paths["d16.png"])).size > 3


def test_16_bit_big_endian_is_read_by_65535(tmp_path):
    levels = np.array([[0, 256, 32768, SIXTEEN_BIT_MAX]], dtype=">u2")
    img = Image.frombytes("I;16B", (4, 1), levels.tobytes())
    img.save(tmp_path / "b.tif")
    np.testing.assert_allclose(read_grey(tmp_path / "b.tif"), levels / SIXTEEN_BIT_MAX)


@pytest.mark.parametrize(
    "make, fragments",
    [
        (
            lambda: Image.fromarray(np.full((8, 8), 3.0, np.float32), mode="F"),
            ["mode F", "from 3 to 3", "[0, 1]"],
        ),
        (lambda: Image.fromarray(np.full((8, 8), np.nan, np.float32), mode="F"), ["mode F", "nan"]),
        (lambda: Image.fromarray(np.full((8, 8), -5, np.int32)), ["mode I", "from -5 to -5", "0..65535"]),
        (lambda: Image.new("LAB", (8, 8)), ["mode LAB"]),
    ],
)
def test_a_mode_whose_grey_levels_are_unknown_is_refused_by_name(tmp_path, make, fragments):
    path = tmp_path / "odd.tif"
    make().save(path)
    with pytest.raises(ImageError) as err:
        read_grey(path)
    assert str(path) in str(err.value)
    for fragment in fragments:
        assert fragment in str(err.value), (fragment, str(err.value))


def test_predict_gives_one_answer_whatever_the_depth(cli, trained_run, tmp_path, digit):
    paths = save_depths(tmp_path, digit)
    result = cli("predict", str(trained_run), *map(str, paths.values()), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["input"] for row in rows] == list(paths)
    p = np.array([[float(row[f"p_{k}"]) for k in range(10)] for row in rows])
    assert len({row["class"] for row in rows}) == 1
    np.testing.assert_allclose(p[1:], np.repeat(p[:1], 3, axis=0), atol=0.01)


def test_explain_input_file_reads_a_float_image_as_predict_does(cli, trained_run, tmp_path, digit):
    paths = save_depths(tmp_path, digit)
    for name in ("d16.png", "d01.tiff"):
        result = cli(
            "explain",
            "--model",
            str(trained_run),
            "--input-file",
            str(paths[name]),
            "--target",
            "1",
            "--format",
            "json",
        )
        assert result.returncode == 0, result.stderr
        x = np.array(json.loads(result.stdout)["x"])
        np.testing.assert_allclose(x, digit.reshape(1, 64), atol=1e-4)
    bad = tmp_path / "f3.tiff"
    Image.fromarray(np.full((8, 8), 3.0, np.float32), mode="F").save(bad)
    result = cli("explain", "--model", str(trained_run), "--input-file", str(bad), "--target", "1")
    assert_one_line_error(result, 2, "--input-file", "mode F", "[0, 1]")
