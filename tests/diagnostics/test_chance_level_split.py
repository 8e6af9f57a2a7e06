"""The chance level names the split it describes, and is the same in `train` and `diagnose`."""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop.diagnostics import check_chance_level, diagnose_run, read_findings


def _chance_message(findings):
    (finding,) = [f for f in findings if f.code == "chance-level"]
    return finding.message


def test_the_chance_level_is_the_commonest_class_share_of_every_training_label():
    net = dp.Network([4, 3, 3], seed=0)
    history = {"accuracy": [0.3, 0.3, 0.3]}
    # 60 % class 0 over all labels, though the first 10 rows are all class 1
    y = np.array([1] * 10 + [0] * 60 + [2] * 30)
    (finding,) = check_chance_level(history, net, y)
    assert "60.0%" in finding.message and "100 training samples" in finding.message
    assert "training accuracy 30.0%" in finding.message


def test_a_column_of_labels_has_the_chance_level_of_the_labels():
    """fit reads a column (n, 1) of labels, df[["label"]], as the labels of a network of several
    outputs; its chance level is theirs (10.2 % on the digits), not that of 0/1 targets y > 0.5
    (90.1 %: every digit but 0), which called a learning network stuck at chance."""
    X, y = dp.datasets.load_digits("train")
    net = dp.Network([64, 10, 10], seed=0)
    history = dp.training.fit(net, X, y.reshape(-1, 1), epochs=2, learning_rate=0.5, seed=0)
    assert 0.2 < history.history["accuracy"][-1] < 0.9  # learning, far below 90 %
    assert check_chance_level(history, net, y.reshape(-1, 1)) == check_chance_level(history, net, y) == []
    codes = [f.code for f in dp.diagnostics.diagnose(net, history, X, y.reshape(-1, 1))]
    assert "chance-level" not in codes


def test_without_labels_the_chance_level_is_one_over_the_classes():
    net = dp.Network([4, 3, 4], seed=0)
    (finding,) = check_chance_level({"accuracy": [0.25, 0.25]}, net)
    assert "guessing among 4 classes gives 25.0%" in finding.message


def test_train_and_diagnose_report_the_same_chance_level(tmp_path, capsys):
    from deltaprop.cli import main

    # η = 30 on logistic units: stuck at chance level after 3 epochs (about a second)
    argv = ["train", "--data", "digits", "--epochs", "3", "--seed", "1", "--lr", "30"]
    argv += ["--out", str(tmp_path), "--name", "stuck", "--quiet", "--no-plots"]
    assert main(argv) == 0
    capsys.readouterr()
    run_dir = tmp_path / "stuck"
    live = _chance_message(read_findings(run_dir / "diagnostics.json"))
    after = _chance_message(diagnose_run(run_dir))
    assert live == after
    # the 1437 digits of the training split less the 10 % carved off for validation
    assert "1295 training samples" in live
