"""``explain --input-file``: an image for an image model, read as ``predict`` reads it, and a row of
inputs then one class label, as ``--target 7`` takes one. Before, a PNG failed with "'utf-8' codec
can't decode byte 0x89" and a row of 784 pixels and a label with "785 numbers; the model needs 784
inputs then 10 targets"."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import deltaprop as dp
from deltaprop.cli import main
from deltaprop.cli.predict import read_inputs


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    """A run folder of the built-in digits (one epoch), and its first test image and label."""
    out = tmp_path_factory.mktemp("runs")
    argv = [
        "train",
        "--epochs",
        "1",
        "--seed",
        "0",
        "--out",
        str(out),
        "--name",
        "d",
        "--quiet",
        "--no-plots",
    ]
    assert main(argv) == 0
    X, y = dp.datasets.load_digits("test")
    return out / "d", X[0], int(y[0])


def _png(path, pixels: np.ndarray):
    Image.fromarray(np.rint(pixels * 255).astype(np.uint8), mode="L").save(path)
    return path


def _trace(capsys, *args) -> dict:
    assert main(["explain", *args, "--format", "json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_an_image_is_read_as_predict_reads_it(digits_run, tmp_path, capsys):
    run_dir, x, label = digits_run
    png = _png(tmp_path / "digit.png", x.reshape(8, 8))  # an 8×8 test digit, light on dark
    trace = _trace(capsys, "--model", str(run_dir), "--input-file", str(png), "--target", str(label))
    _, row, prepared = read_inputs([str(png)], 64, digit=True)
    assert prepared == ["as-is"]
    assert np.array_equal(trace["x"], row)  # the very row predict would classify
    assert np.allclose(trace["x"][0], x, atol=0.5 / 255)  # the test image, to the PNG's 8 bits
    assert trace["y"][0] == [1.0 if k == label else 0.0 for k in range(10)]
    # a larger drawing, dark on light, is digit-normalised as the run trained on the digits, and said so
    big = np.kron(1.0 - x.reshape(8, 8), np.ones((4, 4)))
    png = _png(tmp_path / "big.png", big)
    assert main(["explain", "--model", str(run_dir), "--input-file", str(png), "--target", str(label)]) == 0
    assert "were digit-normalised" in capsys.readouterr().out


def test_an_image_needs_its_target_and_an_image_model(digits_run, tmp_path, capsys):
    run_dir, x, _ = digits_run
    png = _png(tmp_path / "digit.png", x.reshape(8, 8))
    assert main(["explain", "--model", str(run_dir), "--input-file", str(png)]) == 2
    assert "is an image, which holds no target: give it with --target (a class label from 0 to 9" in (
        capsys.readouterr().err
    )
    assert main(["explain", "--example", "xor", "--input-file", str(png), "--target", "1"]) == 2
    err = capsys.readouterr().err
    assert "is an image, but the xor example has 2 inputs; images go only to models of 784" in err


def test_a_file_that_is_neither_text_nor_an_image_says_what_is_taken(digits_run, tmp_path, capsys):
    run_dir, x, _ = digits_run
    data = tmp_path / "digit.npy"
    np.save(data, x)
    assert main(["explain", "--model", str(run_dir), "--input-file", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"--input-file {data} is not a text file of numbers; it takes a text file" in err
    assert "or an image (PNG, JPEG) for a model of 784 or 64 inputs, with --target" in err
    assert "codec" not in err


def test_a_row_of_inputs_then_a_class_label(digits_run, tmp_path, capsys):
    run_dir, x, label = digits_run
    rows = tmp_path / "rows.txt"
    rows.write_text(",".join(f"{v:g}" for v in [*x, label]) + "\n", encoding="utf-8")
    trace = _trace(capsys, "--model", str(run_dir), "--input-file", str(rows))
    net = dp.load(run_dir / "model.safetensors")
    expected = dp.explain(net, x, label, trace["learning_rate"])
    assert np.allclose(trace["x"][0], x) and trace["cost_after"] == pytest.approx(expected.cost_after)
    # with a line of targets too, the label becomes its one-hot row
    rows.write_text(
        ",".join(f"{v:g}" for v in [*x, label])
        + "\n"
        + ",".join(f"{v:g}" for v in [*x, *np.eye(10)[label]])
        + "\n",
        encoding="utf-8",
    )
    trace = _trace(capsys, "--model", str(run_dir), "--input-file", str(rows))
    assert trace["y"][0] == trace["y"][1]
    rows.write_text(",".join(f"{v:g}" for v in [*x, 12]) + "\n", encoding="utf-8")
    assert main(["explain", "--model", str(run_dir), "--input-file", str(rows)]) == 2
    err = capsys.readouterr().err
    assert (
        "line 1 has 65 numbers; the model needs 64 inputs then 10 targets (74 numbers), or 64 inputs" in err
    )
    assert "64 inputs then one class label from 0 to 9 (65 numbers); its last number, 12, is no" in err
