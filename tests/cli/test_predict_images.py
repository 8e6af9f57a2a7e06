"""``predict`` on images: which preparation a model's images get, and why, end to end.

A model trained on digits (``mnist``, ``digits``) gets MNIST's digit normalisation for an image
that is not its size; any other model (Fashion-MNIST's) gets the whole image resized; an image
already the model's size is used as it is. The run folder's ``config.toml`` says what the
model was trained on; a model file alone, its class names. The synthetic models here are
untrained (random weights): what is checked is that predict feeds them exactly the features
:mod:`deltaprop.cli.images` makes, not that they are right.
"""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
from cli_helpers import SHARED_DATA, assert_one_line_error
from PIL import Image, ImageDraw

import deltaprop as dp
from deltaprop.cli.images import mnist_like, read_grey, whole
from deltaprop.datasets.mnist import FASHION_MNIST, MNIST

DIGITS = list(MNIST.classes)  # the catalogue's names, as train stores them with a model
FASHION = list(FASHION_MNIST.classes)


def fake_run(folder, data_name: str, classes: list[str] | None, n_in: int = 784):
    """A run folder as 'deltaprop train' leaves it, as far as predict reads it: the model
    (random weights, the class names as train stores them) and the ``[data]`` of its config."""
    folder.mkdir()
    net = dp.Network([n_in, 16, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.files.save(net, folder / "model.safetensors", metadata={"classes": classes} if classes else None)
    (folder / "config.toml").write_text(f'[data]\nname = "{data_name}"\npath = ""\n')
    return folder, net


def digit_photo(path):
    """A large photo-like digit: a thick black 7 on a white page, off-centre, 300 × 240."""
    img = Image.new("RGB", (300, 240), "white")
    ImageDraw.Draw(img).line([(90, 50), (210, 50), (130, 210)], fill="black", width=22)
    img.save(path)
    return path


def predictions(cli, *args):
    result = cli("predict", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["predictions"]


def test_a_large_white_page_digit_still_gets_digit_normalisation_for_an_mnist_model(cli, tmp_path):
    run, net = fake_run(tmp_path / "mnist-run", "mnist", DIGITS)
    photo = digit_photo(tmp_path / "seven.png")
    (got,) = predictions(cli, str(run), "seven.png")
    assert got["image"] == "digit"
    expected = net.predict(mnist_like(read_grey(photo)).reshape(1, -1))[0]
    np.testing.assert_allclose(got["probabilities"], expected, rtol=1e-12)
    table = cli("predict", str(run), "seven.png")
    assert "digit-normalised" in table.stdout and "trained on mnist" in table.stdout


def test_a_fashion_model_resizes_a_large_image_whole_and_uses_28x28_ones_as_they_are(cli, tmp_path):
    run, net = fake_run(tmp_path / "fashion-run", "fashion-mnist", FASHION)
    photo = digit_photo(tmp_path / "big.png")
    pixels = np.zeros((28, 28), dtype=np.uint8)
    pixels[4:24, 8:20] = np.arange(20 * 12, dtype=np.uint8).reshape(20, 12)
    Image.fromarray(pixels).save(tmp_path / "small.png")
    big, small = predictions(cli, str(run), "big.png", "small.png")
    assert (big["image"], small["image"]) == ("whole", "as-is")
    expected = net.predict(np.stack([whole(read_grey(photo), 28).reshape(-1), pixels.reshape(-1) / 255]))
    np.testing.assert_allclose([big["probabilities"], small["probabilities"]], expected, rtol=1e-12)
    table = cli("predict", str(run), "big.png", "small.png")
    assert "resized whole" in table.stdout and "trained on fashion-mnist" in table.stdout
    assert "used as they are" in table.stdout


def decided(model) -> bool:
    """Whether ``predict MODEL`` (``--image-prep auto``) digit-normalises images, in-process."""
    from deltaprop.cli.predict import digit_images
    from deltaprop.cli.run_model import load_model_and_classes

    _, classes = load_model_and_classes(model)
    return digit_images(model, classes, "auto")[0]


def test_a_model_file_alone_is_judged_by_its_class_names_and_image_prep_overrides(cli, tmp_path):
    for classes, digit in ((DIGITS, True), (FASHION, False), (None, False)):
        run, _ = fake_run(tmp_path / f"run-{digit}-{classes is None}", "", classes)
        alone = tmp_path / f"{run.name}.safetensors"  # outside its run folder: no config.toml
        shutil.copy(run / "model.safetensors", alone)
        assert decided(alone) is digit, classes
    mnist_run, _ = fake_run(tmp_path / "mnist-run", "mnist", DIGITS)
    # The run folder's model file, given by its path, still finds the run's config; a
    # Fashion-MNIST model with digit class names (as a CSV of it would have) is still whole.
    assert decided(mnist_run / "model.safetensors")
    assert not decided(fake_run(tmp_path / "f-run", "fashion-mnist", DIGITS)[0])
    digit_photo(tmp_path / "seven.png")
    forced = cli("predict", str(mnist_run), "seven.png", "--image-prep", "whole")
    assert forced.returncode == 0, forced.stderr
    assert "resized whole" in forced.stdout and "--image-prep whole asked" in forced.stdout


def test_a_digits_model_gets_8x8_digit_images_and_a_csv_model_whole_ones(cli, tmp_path):
    digits_run, _ = fake_run(tmp_path / "digits-run", "digits", DIGITS, n_in=64)
    assert decided(digits_run)
    csv_run, _ = fake_run(tmp_path / "csv-run", "", DIGITS, n_in=64)
    (csv_run / "config.toml").write_text('[data]\nname = ""\npath = "pixels.csv"\n')
    assert not decided(csv_run)
    digit_photo(tmp_path / "seven.png")
    (got,) = predictions(cli, str(csv_run), "seven.png")
    assert got["image"] == "whole" and len(got["probabilities"]) == 10


def test_one_column_too_many_in_a_csv_suggests_label_column(cli, tmp_path):
    from deltaprop.cli.predict import read_inputs

    run, _ = fake_run(tmp_path / "digits-run", "digits", DIGITS, n_in=64)
    rows = np.column_stack([np.zeros((3, 64)), [1, 2, 3]])
    np.savetxt(tmp_path / "rows.csv", rows, delimiter=",")
    assert_one_line_error(
        cli("predict", str(run), "rows.csv"), 1, "65 columns", "64 features", "--label-column -1"
    )
    names, X, _ = read_inputs([str(tmp_path / "rows.csv")], 64, label_column="-1")
    assert names == ["rows.csv:1", "rows.csv:2", "rows.csv:3"] and X.shape == (3, 64)
    # Two too many, or an NPZ (which has no label column to drop): the plain message.
    np.savetxt(tmp_path / "wider.csv", np.zeros((3, 66)), delimiter=",")
    np.savez(tmp_path / "rows.npz", X=rows)
    for name, width in (("wider.csv", 66), ("rows.npz", 65)):
        with pytest.raises(
            ValueError, match=f"has {width} features per row, but the model expects 64"
        ) as err:
            read_inputs([str(tmp_path / name)], 64)
        assert "--label-column" not in str(err.value)


def fashion_data_root():
    for root in (os.environ.get("DELTAPROP_DATA"), SHARED_DATA):
        if root and dp.datasets.dataset_info("fashion-mnist", data_dir=root).present:
            return root
    pytest.skip("no Fashion-MNIST copy: set DELTAPROP_DATA to a folder holding fashion-mnist/*.gz")


@pytest.mark.mnist
def test_a_fashion_mnist_model_predicts_its_own_test_pngs_as_it_predicts_the_arrays(cli, tmp_path):
    # A real run (1 epoch), and the first 300 test images saved as PNG. Before images of the
    # model's size were used as they are, digit normalisation agreed with the arrays on 48 %.
    root = fashion_data_root()
    train = cli(
        "train", "--data", "fashion-mnist", "--epochs", "1", "--lr", "0.1", "--seed", "0",
        "--name", "fashion", "--quiet", "--no-plots", data_dir=root,
    )  # fmt: skip
    assert train.returncode == 0, train.stderr
    X, y = dp.datasets.load("fashion-mnist", "test", data_dir=root, download=False)
    X, y = X[:300], y[:300]
    names = []
    for k, row in enumerate(X):
        Image.fromarray(np.round(row * 255).astype(np.uint8).reshape(28, 28)).save(tmp_path / f"{k:03d}.png")
        names.append(f"{k:03d}.png")
    got = predictions(cli, "runs/fashion", *names)
    net = dp.load(tmp_path / "runs" / "fashion" / "model.safetensors")
    assert {p["image"] for p in got} == {"as-is"}
    assert [p["class"] for p in got] == net.predict_classes(X).tolist()
    # The arrays are float32, the PNG's pixels / 255 float64: the same numbers to float32's precision.
    np.testing.assert_allclose([p["probabilities"] for p in got], net.predict(X), atol=1e-6)
    assert np.mean(np.array([p["class"] for p in got]) == y) > 0.7  # 1 epoch: about 0.8


def test_the_prediction_table_never_cuts_an_input_a_class_or_a_probability():
    """Ten Fashion-MNIST names heading the columns made the table too wide: rich cut the file
    names ("f0_9.p…") and the names ("T-shir…"), and on 80 columns the probabilities ("0.")."""
    import io

    from rich.console import Console

    from deltaprop.cli.predict import show

    probabilities = [0.0] * 10
    probabilities[9], probabilities[7], probabilities[5] = 0.461, 0.333, 0.206
    results = [{"input": "a_long_photo_name.png", "class": 9, "probabilities": probabilities}]

    def shown(width: int) -> str:
        # a terminal's table, boxed (a pipe's is plain: test_predict_output.py)
        console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=True)
        show(console, results, normalised=True, names=list(FASHION))
        return console.file.getvalue()

    wide = shown(140)  # a column per class, headed by its number; the names in a line under it
    assert "│ a_long_photo_name.png │ 9 Ankle boot │ 0.000 │" in wide and "│ 0.461 │" in wide
    assert "classes: 0 T-shirt/top, 1 Trouser, 2 Pullover" in wide and "…" not in wide
    narrow = shown(80)  # too narrow for ten columns: the likeliest classes instead
    assert "│ a_long_photo_name.png │ 9 Ankle boot │ 0.461 │ 7 0.333, 5 0.206 │" in narrow
    assert "…" not in narrow and max(len(line) for line in narrow.splitlines()[:-1]) <= 80
