"""XOR with train's defaults: 4 samples in mini-batches of 10 make one update an epoch, 30 in
all, and the run learns nothing; the chance-level advice says so first, in the command line's
flags. Its "test" rows are its 4 training points again (xor has no others), and say so."""

from __future__ import annotations

import re


def test_xor_with_the_defaults_is_told_it_took_too_few_steps(run):
    result = run("train", "--data", "xor", "--seed", "1", "--no-plots", "--name", "x")

    assert result.returncode == 0, result.stderr
    assert "data xor: 4 train, 4 test (the training rows again: xor has no others)\n" in result.stdout
    assert re.search(r"^│ test accuracy \(training rows\)\s+│ 50\.00%", result.stdout, re.MULTILINE)
    advice = (
        "Try: only 30 updates of the weights in all (all 4 samples in one mini-batch): give more "
        "--epochs, or a smaller --batch-size; then look at the other findings"
    )
    assert "• error: accuracy is stuck at chance level" in result.stdout and advice in result.stdout
    # and the advice works: 300 epochs of mini-batches of 1 are 1,200 updates
    taken = run("train", "--data", "xor", "--seed", "1", "--batch-size", "1", "--epochs", "300", "--no-plots")
    assert re.search(r"^│ train accuracy \(mean over epoch 300\)\s+│ 100\.00%", taken.stdout, re.MULTILINE), (
        taken.stdout
    )


def test_a_set_with_its_own_test_rows_says_nothing_of_training_rows(run):
    result = run("train", "--data", "moons", "--epochs", "1", "--seed", "1", "--no-plots", "--name", "m")

    assert "(training rows)" not in result.stdout and "has no others" not in result.stdout
    assert re.search(r"^│ test accuracy\s+│", result.stdout, re.MULTILINE)
