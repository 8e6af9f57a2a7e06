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
