"""plot_run and 'deltaprop plot' on run folders built with the library's own writers."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
from picture_checks import assert_png_drawn, assert_svg_drawn

import deltaprop as dp
from deltaprop import plots
from deltaprop.cli import plot as plot_command
from deltaprop.cli.errors import UsageError
from deltaprop.diagnostics import GradientStats


def _write_run(run_dir, net, history, data_name, stats=None, seed=0):
    run_dir.mkdir(parents=True)
    dp.files.save(net, run_dir / "model.safetensors")
    history.to_json(run_dir / "history.json")
    (run_dir / "config.toml").write_text(f'[data]\nname = "{data_name}"\n\n[training]\nseed = {seed}\n')
    if stats is not None:
        stats.to_json(run_dir / "gradients.json")
    return run_dir


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    X, y = dp.datasets.load("digits", split="train")
    net = dp.Network([64, 16, 10], seed=0)
    stats = GradientStats(every=1, probe_size=64)
    history = dp.fit(net, X[:500], y[:500], epochs=3, learning_rate=3.0, seed=0, callbacks=[stats])
    return _write_run(tmp_path_factory.mktemp("runs") / "digits", net, history, "digits", stats)


def test_plot_run_draws_everything_that_applies_to_an_image_classifier(digits_run):
    result = plots.plot_run(digits_run)
    names = sorted(p.name for p in result.paths)
    assert names == sorted(
        f"{n}.png"
        for n in (
            "learning_curves",
            "first_layer_weights",
            "gradient_distributions",
            "confusion_matrix",
            "misclassified",
            "network_diagram",
        )
    )
    for path in result.paths:
        assert path.parent == digits_run / "plots"
        assert_png_drawn(path)
    assert "2" in result.skipped["decision_boundary"]  # not 2-D data, and it says so


def test_plot_run_draws_the_network_with_the_delta_of_the_first_test_sample(digits_run, monkeypatch):
    # The first picture: neurons with their δ, lines by the weight's sign and size.
    seen = {}
    real = plots.run.network_diagram

    def spy(net, x=None, y=None, **kwargs):
        seen.update(x=x, y=y)
        return real(net, x, y, **kwargs)

    monkeypatch.setattr(plots.run, "network_diagram", spy)
    result = plots.plot_run(digits_run, out_dir=digits_run / "diagram")
    X, y = dp.datasets.load("digits", split="test")
    np.testing.assert_array_equal(seen["x"], X[0])
    assert seen["y"] == y[0]
    assert any(p.name == "network_diagram.png" for p in result.paths)


def test_plot_run_on_2d_data_draws_the_decision_boundary_in_svg(tmp_path):
    X, y = dp.datasets.load("moons", split="train", seed=3)
    net = dp.Network([2, 6, 2], seed=0)
    history = dp.fit(net, X, y, epochs=2, learning_rate=1.0, seed=0)
    run_dir = _write_run(tmp_path / "moons", net, history, "moons", seed=3)
    out = tmp_path / "pictures"
    result = plots.plot_run(run_dir, formats=("svg",), out_dir=out)
    names = {p.name for p in result.paths}
    assert {"decision_boundary.svg", "learning_curves.svg", "confusion_matrix.svg"} <= names
    assert "gradient_distributions" in result.skipped  # no gradients.json in this run
    for path in result.paths:
        assert path.parent == out
        assert_svg_drawn(path)


def test_plot_run_on_a_regression_run_draws_no_confusion_matrix(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.random((60, 3))
    Y = np.column_stack([X.sum(axis=1), X[:, 0] - X[:, 1]]) / 3
    net = dp.Network([3, 4, 2], output_activation="linear", seed=0)
    history = dp.fit(net, X, Y, epochs=2, learning_rate=0.1, seed=0)
    assert "accuracy" not in history.history
    run_dir = _write_run(tmp_path / "regression", net, history, "digits")
    result = plots.plot_run(run_dir)
    assert [p.name for p in result.paths] == ["learning_curves.png", "network_diagram.png"]
    assert "classification" in result.skipped["confusion_matrix"]


def test_plot_run_rejects_what_is_not_a_run_folder(tmp_path):
    with pytest.raises(ValueError, match="not a folder"):
        plots.plot_run(tmp_path / "missing")
    with pytest.raises(ValueError, match="model.safetensors"):
        plots.plot_run(tmp_path)
    with pytest.raises(ValueError, match="formats"):
        plots.plot_run(tmp_path, formats=("jpg",))


def _parse(argv):
    parser = argparse.ArgumentParser(prog="deltaprop")
    plot_command.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_the_plot_command_prints_the_paths_it_wrote(digits_run, tmp_path, capsys):
    args = _parse(["plot", str(digits_run), "--format", "svg", "--out", str(tmp_path / "out")])
    assert args.run(args) == 0
    lines = capsys.readouterr().out.splitlines()
    written = [line for line in lines if not line.startswith("skipped")]
    assert len(written) == 6 and all(line.endswith(".svg") for line in written)
    assert all((tmp_path / "out" / line.rsplit("/", 1)[-1]).is_file() for line in written)
    assert any(line.startswith("skipped decision_boundary:") for line in lines)


def test_the_plot_command_refuses_a_missing_run_folder(tmp_path):
    args = _parse(["plot", str(tmp_path / "nope")])
    with pytest.raises(UsageError, match="does not exist"):
        args.run(args)
    args = _parse(["plot", str(tmp_path)])
    with pytest.raises(UsageError, match="model.safetensors"):
        args.run(args)


def test_deltaprop_plot_and_diagnose_through_the_cli_entry_point(digits_run, tmp_path, capsys):
    from deltaprop.cli import main

    assert main(["plot", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["plot", str(digits_run), "--out", str(tmp_path / "pics")]) == 0
    assert (tmp_path / "pics" / "learning_curves.png").is_file()
    capsys.readouterr()
    assert main(["diagnose", str(digits_run)]) == 0
    assert capsys.readouterr().out.strip()  # a table, or "no problems found"


def test_the_class_pictures_say_which_samples_they_show(tmp_path):
    # A built-in set is drawn on its test split; a user's file whole, training rows included.
    from deltaprop.diagnostics.run import RunFiles
    from deltaprop.plots.run import _data_described, _subtitled

    def described(data: dict, n: int) -> str:
        return _data_described(RunFiles(tmp_path, config={"data": data}), n, "test")

    # [data] tables as 'deltaprop train' writes them: the source not used is ""
    assert described({"name": "moons", "path": ""}, 200) == "moons, test split (200 samples)"
    where = described({"name": "", "path": "/somewhere/pets.csv"}, 12)
    assert where == "all 12 rows of pets.csv (training rows included)"
    X = np.array([[0.1, 0.2], [0.9, 0.8]] * 6)
    y = np.array([0, 1] * 6)
    fig = _subtitled(plots.confusion_matrix(y, y), where)
    assert fig.axes[0].get_title().endswith("\n" + where)

    (tmp_path / "pets.csv").write_text("a,b,label\n" + "".join(f"{p},{q},{c}\n" for (p, q), c in zip(X, y)))
    net = dp.Network([2, 3, 2], seed=0)
    history = dp.fit(net, X, y, epochs=2, learning_rate=1.0, seed=0)
    run_dir = tmp_path / "csv-run"
    _write_run(run_dir, net, history, "moons")
    config = f'[data]\npath = "{tmp_path / "pets.csv"}"\n\n[training]\nseed = 0\n'
    (run_dir / "config.toml").write_text(config)
    result = plots.plot_run(run_dir)
    assert {"confusion_matrix.png", "decision_boundary.png"} <= {p.name for p in result.paths}


def test_dpi_sets_the_png_size_and_is_checked(digits_run, tmp_path, capsys):
    from PIL import Image

    from deltaprop.cli import main

    fig = plots.learning_curves({"loss": [1.0, 0.5]})
    width, height = (round(v) for v in fig.get_size_inches() * 100)
    with Image.open(plots.save_figure(fig, tmp_path / "a.png")) as image:
        assert image.size == (width, height)  # 100 dpi by default
    with Image.open(plots.save_figure(fig, tmp_path / "b.png", dpi=200)) as image:
        assert image.size == (2 * width, 2 * height)
    for bad in (0, -5, float("nan"), 5000):
        with pytest.raises(ValueError, match="dpi"):
            plots.save_figure(fig, tmp_path / "c.png", dpi=bad)
    assert not (tmp_path / "c.png").exists()
    with pytest.raises(ValueError, match="dpi"):
        plots.plot_run(digits_run, out_dir=tmp_path / "never", dpi=0)
    assert not (tmp_path / "never").exists()  # refused before anything is drawn

    assert main(["plot", str(digits_run), "--dpi", "200", "--out", str(tmp_path / "big")]) == 0
    assert main(["plot", str(digits_run), "--out", str(tmp_path / "small")]) == 0
    with Image.open(tmp_path / "big" / "learning_curves.png") as big:
        with Image.open(tmp_path / "small" / "learning_curves.png") as small:
            assert big.size == (2 * small.size[0], 2 * small.size[1])
    capsys.readouterr()
    assert main(["plot", str(digits_run), "--dpi", "0"]) == 2
    assert "--dpi 0" in capsys.readouterr().err


def _csv_run(tmp_path, rows: np.ndarray, net, history, task: str):
    """A run folder of a user's CSV file (no sha256 recorded: not checked for changes)."""
    data = tmp_path / "points.csv"
    np.savetxt(data, rows, delimiter=",", header="x1,x2,y", comments="")
    run_dir = _write_run(tmp_path / task, net, history, "")
    (run_dir / "config.toml").write_text(
        f'[data]\npath = "{data}"\ntask = "{task}"\n\n[training]\nseed = 0\n'
    )
    return run_dir


def _diagram_drawn(run_dir, monkeypatch) -> dict:
    """plot_run's result, and the x, y and figure of the network diagram it drew."""
    seen = {}
    real = plots.run.network_diagram

    def spy(net, x=None, y=None, **kwargs):
        seen.update(x=x, y=y, fig=real(net, x, y, **kwargs))
        return seen["fig"]

    monkeypatch.setattr(plots.run, "network_diagram", spy)
    seen["result"] = plots.plot_run(run_dir, out_dir=run_dir / "pictures")
    return seen


def test_a_regression_runs_diagram_shows_the_delta_of_its_first_row(tmp_path, monkeypatch):
    """The README promises each neuron's δ always; a regression run's diagram had none."""
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (40, 2))
    y = np.sin(3 * X[:, 0]) * X[:, 1]
    net = dp.Network([2, 3, 1], output_activation="linear", seed=0)
    history = dp.fit(net, X, y.reshape(-1, 1), epochs=2, learning_rate=0.1, seed=0)
    seen = _diagram_drawn(
        _csv_run(tmp_path, np.column_stack([X, y]), net, history, "regression"), monkeypatch
    )
    assert [p.name for p in seen["result"].paths] == ["learning_curves.png", "network_diagram.png"]
    np.testing.assert_allclose(seen["x"], X[0], rtol=1e-15)
    np.testing.assert_allclose(seen["y"], [y[0]], rtol=1e-15)
    title = seen["fig"].axes[0].get_title()
    assert "neurons show δ" in title and title.endswith(f"\nfor row 1 of points.csv (target {y[0]:.3g})")


def test_a_classifier_of_a_csv_file_names_its_row_not_a_test_split(tmp_path, monkeypatch):
    """A user's file is read whole: "sample 1 of the test split" was wrong for it."""
    X, y = dp.datasets.load("moons", split="train", seed=3)
    net = dp.Network([2, 4, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    history = dp.fit(net, X, y, epochs=2, learning_rate=1.0, seed=0)
    seen = _diagram_drawn(
        _csv_run(tmp_path, np.column_stack([X, y]), net, history, "classification"), monkeypatch
    )
    title = seen["fig"].axes[0].get_title()
    assert title.endswith(f"\nfor row 1 of points.csv (class {int(y[0])})"), title
