"""Pictures of a classifier name its classes when the data set has names (Fashion-MNIST's
"T-shirt/top", a CSV's "cat"/"dog"), not only their numbers 0..9."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import plots

FASHION = ("T-shirt/top", "Trouser", "Pullover")


def _tick_texts(ticks) -> list[str]:
    return [tick.get_text() for tick in ticks]


def test_the_confusion_matrix_labels_rows_and_columns_with_the_class_names():
    fig = plots.confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1], class_names=FASHION)
    ax = fig.axes[0]
    assert _tick_texts(ax.get_xticklabels()) == list(FASHION)
    assert _tick_texts(ax.get_yticklabels()) == list(FASHION)
    assert ax.get_xticklabels()[0].get_rotation() == 45  # long names slant instead of overlapping
    numbers = plots.confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1]).axes[0]
    assert _tick_texts(numbers.get_xticklabels()) == ["0", "1", "2"]


def test_the_gallery_titles_say_true_and_predicted_class_by_name():
    X = np.random.default_rng(0).random((3, 16))
    fig = plots.misclassified_gallery(X, [0, 1, 2], [1, 1, 0], (4, 4), class_names=FASHION)
    titles = [text.get_text() for text in fig.axes[0].texts]
    assert titles == ["T-shirt/top → Trouser", "Pullover → T-shirt/top"]


def test_class_names_that_do_not_name_every_class_are_refused():
    with pytest.raises(ValueError, match=r"class_names has 2 names.*class label 2"):
        plots.confusion_matrix([0, 1, 2], [0, 1, 2], class_names=("a", "b"))


def test_plot_run_takes_the_names_from_the_runs_data(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    animal = np.where(X[:, 0] > 0, "dog", "cat")
    csv = tmp_path / "pets.csv"
    csv.write_text("x1,x2,animal\n" + "".join(f"{a},{b},{c}\n" for (a, b), c in zip(X, animal)))
    net = dp.Network([2, 4, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    history = dp.fit(net, X, (X[:, 0] > 0).astype(int), epochs=2, learning_rate=0.5, seed=0)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    dp.files.save(net, run_dir / "model.safetensors")
    history.to_json(run_dir / "history.json")
    (run_dir / "config.toml").write_text(f'[data]\npath = "{csv.as_posix()}"\n\n[training]\nseed = 0\n')
    seen = {}
    real = plots.run.confusion_matrix

    def spy(*args, **kwargs):
        fig = real(*args, **kwargs)
        seen["ticks"] = _tick_texts(fig.axes[0].get_yticklabels())
        return fig

    monkeypatch.setattr(plots.run, "confusion_matrix", spy)
    plots.plot_run(run_dir)
    assert seen["ticks"] == ["cat", "dog"]
