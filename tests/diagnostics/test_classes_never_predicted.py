"""Classes the network never predicts: the chapter-1 failure of Nielsen's book (quadratic cost,
N(0, 1) weights, saturated outputs), which the accuracy alone does not show — the run still
learns the other classes. Found by diagnose, live at the end of training, and in a run folder;
never on a healthy run."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.cli import main
from deltaprop.diagnostics import Diagnostics, check_classes_predicted, diagnose, diagnose_run, read_findings
from deltaprop.diagnostics.classes import MIN_CLASS_ROWS
from deltaprop.diagnostics.neurons import SMALLER_INIT

CODE = "classes-never-predicted"


@pytest.fixture(scope="module")
def digits():
    return dp.datasets.load_digits("train")


def _chapter_1(digits, callbacks=()):
    """[64, 100, 10] logistic, quadratic cost, N(0, 1) weights, η = 3, 3 epochs: 72 % of the
    digits right, but classes 0 and 4 never predicted (seed 0)."""
    X, y = digits
    net = dp.Network([64, 100, 10], output_activation="logistic", cost="quadratic", init="normal", seed=0)
    history = dp.fit(net, X, y, epochs=3, batch_size=10, learning_rate=3.0, seed=0, callbacks=callbacks)
    return net, history


def _healthy(digits, callbacks=(), validation_split=0.0):
    X, y = digits
    net = dp.Network([64, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    history = dp.fit(
        net, X, y, epochs=5, learning_rate=0.5, seed=0, callbacks=callbacks, validation_split=validation_split
    )
    return net, history


def _the_finding(findings):
    (found,) = [f for f in findings if f.code == CODE]
    return found


def test_the_chapter_1_network_on_the_digits_leaves_classes_out(digits):
    X, y = digits
    net, history = _chapter_1(digits)
    predicted = net.predict_classes(X)
    assert history.history["accuracy"][-1] > 0.6  # it learns: no chance-level error hides it
    assert not np.isin([0, 4], predicted).any()
    found = _the_finding(diagnose(net, history, X, y))
    assert found.severity == "warning"
    assert found.message.startswith("2 classes of 10 are (almost) never predicted on the 1437 training rows")
    share = (y == 0).mean()  # 142 of the 1437 rows
    assert f"class 0 ({share:.1%} of the rows, predicted 0 times, recall 0.0%)" in found.message
    assert "class 4 (" in found.message and "class 1 (" not in found.message
    # the accuracy is capped by the rows of the two classes: 1 − (142 + 145) / 1437
    assert f"cannot pass {1 - ((y == 0).sum() + (y == 4).sum()) / len(y):.1%}" in found.message
    assert found.fix.startswith(
        "use cost='cross_entropy' (or output_activation='softmax' with cost='log_likelihood')"
    )
    assert "Nielsen, ch. 3" in found.fix and SMALLER_INIT in found.fix and "more epochs" in found.fix


def test_a_healthy_run_predicts_every_class(digits):
    X, y = digits
    net, history = _healthy(digits)
    assert history.history["accuracy"][-1] > 0.9
    assert CODE not in {f.code for f in diagnose(net, history, X, y)}


def test_the_live_diagnostics_find_it_at_the_end_of_training(digits):
    live = Diagnostics()
    _chapter_1(digits, callbacks=[live])
    assert _the_finding(live.findings).message.startswith("2 classes of 10")
    healthy = Diagnostics()
    _healthy(digits, callbacks=[healthy], validation_split=0.1)  # rows of X, not all of them
    assert CODE not in {f.code for f in healthy.findings}


def test_train_and_diagnose_report_it_alike(tmp_path, capsys):
    """The CLI's summary (the live callback, over the training rows less the validation rows)
    and 'deltaprop diagnose' (the run folder, the same rows drawn again) agree."""
    argv = ["train", "--hidden", "100", "--cost", "quadratic", "--init", "normal", "--lr", "3.0"]
    argv += ["--epochs", "3", "--seed", "0", "--out", str(tmp_path), "--name", "ch1", "--no-plots"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "warning: 3 classes of 10 are (almost) never predicted on the 1295 training rows" in out
    assert "Try: use --cost cross_entropy (or --output-activation softmax with --cost log_likelihood)" in out
    assert "--init normal_scaled or --init glorot_normal" in out and "more --epochs" in out
    live = _the_finding(read_findings(tmp_path / "ch1" / "diagnostics.json"))
    assert _the_finding(diagnose_run(tmp_path / "ch1")) == live


def test_almost_never_is_fewer_than_a_tenth_of_the_class_rows():
    # one input, three classes; the output biases decide alone (w = 0): class 2 for x > 0
    net = dp.Network([1, 3], output_activation="softmax", cost="log_likelihood", seed=0)
    X = np.r_[np.full(99, -1.0), np.full(1, 1.0), np.zeros(100)].reshape(-1, 1)
    y = np.r_[np.zeros(100, int), np.ones(100, int)]  # classes 0 and 1: 100 rows each
    net.weights = [np.array([[0.0, 0.0, 10.0]])]
    net.biases = [np.array([0.0, -1.0, -5.0])]
    # predicted: class 0 for x ≤ 0 (199 rows), class 2 once (x = 1): class 1 never, class 2 not in y
    found = _the_finding(check_classes_predicted(net, X, y))
    assert (
        "1 class of 3 is (almost) never predicted on the 200 training rows: class 1 (50.0%" in found.message
    )
    # the rows given by index, as fit's train_index: only those are judged
    assert check_classes_predicted(net, X, y[:100], index=np.arange(100)) == []


def test_a_class_of_few_rows_a_regression_and_a_diverged_network_are_not_judged():
    net = dp.Network([1, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    net.weights, net.biases = [np.zeros((1, 2))], [np.array([1.0, 0.0])]  # always class 0
    X = np.zeros((100, 1))
    few = np.r_[np.zeros(100 - MIN_CLASS_ROWS + 1, int), np.ones(MIN_CLASS_ROWS - 1, int)]
    assert check_classes_predicted(net, X, few) == []
    assert "class 1 (" in _the_finding(check_classes_predicted(net, X, np.r_[few[1:], 1])).message
    regression = dp.Network([1, 2], output_activation="linear", cost="quadratic", seed=0)
    assert check_classes_predicted(regression, X, np.full((100, 2), 0.3)) == []
    net.weights[0][:] = np.nan  # in place, as a diverged run's steps leave them
    assert check_classes_predicted(net, X, np.r_[few[1:], 1]) == []


def test_at_chance_level_the_chance_level_error_says_it_alone(digits):
    """A network stuck at chance predicts one class or few by definition: the chance-level
    error says so, and eight classes listed again would bury it."""
    X, y = digits
    X = X * 255.0  # raw pixels: the logistic units saturate and the run never leaves chance
    net = dp.Network([64, 30, 10], seed=0)
    live = Diagnostics()
    history = dp.fit(net, X, y, epochs=3, learning_rate=3.0, seed=0, callbacks=[live])
    assert np.bincount(net.predict_classes(X)).max() > 0.9 * len(y)  # nearly always one class
    for findings in (diagnose(net, history, X, y), live.findings):
        assert "chance-level" in {f.code for f in findings}
        assert CODE not in {f.code for f in findings}
    assert _the_finding(check_classes_predicted(net, X, y)).severity == "warning"  # asked alone, it answers
