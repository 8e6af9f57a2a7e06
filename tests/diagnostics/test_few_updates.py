"""A run stuck at chance that made only a few updates of its weights (XOR's 4 samples in one
mini-batch: 30 updates in 30 epochs) is told first to take more steps: the usual advice
(scale the inputs, more neurons, η of 0.1-3) does not help a run that has barely started."""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop.diagnostics.checks import FEW_UPDATES, check_chance_level
from deltaprop.training.history import History

X_XOR, Y_XOR = dp.datasets.xor()


def _stuck_history(epochs: int, steps: int, n: int, batch: int) -> History:
    history = History({"epochs": epochs, "steps_per_epoch": steps, "n_samples": n, "batch_size": batch})
    history.history = {"loss": [0.75] * epochs, "accuracy": [0.5] * epochs}
    return history


def test_a_stuck_run_of_few_updates_is_told_to_take_more_steps():
    net = dp.Network([2, 30, 2], output_activation="softmax", cost="log_likelihood", seed=0)

    (found,) = check_chance_level(_stuck_history(30, 1, 4, 4), net, Y_XOR)

    assert found.fix.startswith(
        "only 30 updates of the weights in all (all 4 samples in one mini-batch): train for more "
        "epochs, or with smaller mini-batches; then look at the other findings"
    )


def test_the_updates_are_counted_over_the_whole_run_and_many_are_not_few():
    net = dp.Network([2, 30, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    Y = np.tile(Y_XOR, 50)  # 200 rows, still at chance
    # epoch 2 of 30 (the live check): the run's 30 × 4 = 120 updates, not the 8 made so far
    live = _stuck_history(30, 4, 200, 50)
    live.history = {key: values[:2] for key, values in live.history.items()}
    (found,) = check_chance_level(live, net, Y)
    assert found.fix.startswith(
        "only 120 updates of the weights in all (200 samples in mini-batches of 50: 4 an"
    )
    (enough,) = check_chance_level(_stuck_history(30, FEW_UPDATES // 30 + 1, 200, 2), net, Y)
    assert enough.fix.startswith("look at the other findings")
    # a dict of lists says nothing of the updates: the usual advice
    (plain,) = check_chance_level(_stuck_history(30, 1, 4, 4).history, net, Y_XOR)
    assert plain.fix.startswith("look at the other findings")
