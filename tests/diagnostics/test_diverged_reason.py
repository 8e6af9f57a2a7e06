"""One prefix, ``deltaprop.diagnostics.run.DIVERGED``, says that a history's run diverged: the
library's own ``stopped_reason`` (``TerminateOnNaN``) and ``deltaprop train``'s both begin
with it, and every reader (diagnose, plot, evaluate, resume) tests it with ``diverged``."""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop.diagnostics.run import DIVERGED, diverged, smaller_lr_command
from deltaprop.training import TerminateOnNaN, fit


def test_the_librarys_divergence_is_recognised():
    # ReLU hidden layer, linear output, quadratic cost: nothing saturates, so η = 100 blows up.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    Y = X @ rng.normal(size=(3, 2))
    net = dp.Network([3, 8, 2], activation="relu", output_activation="linear", seed=0)
    history = fit(net, X, Y, 3, learning_rate=100.0, seed=0, callbacks=[TerminateOnNaN()])
    assert history.stopped_reason.startswith(DIVERGED)
    assert diverged(history.stopped_reason)


def test_other_ends_are_not_divergences():
    for reason in (None, "", "interrupted at epoch 3, after mini-batch 5 of 40", "EarlyStopping: ...", 7):
        assert not diverged(reason)


def test_the_smaller_lr_command_is_trains_advice(tmp_path):
    # train's words: "Try a smaller learning rate, e.g. deltaprop train --config RUN/config.toml --lr η/10"
    config = tmp_path / "config.toml"
    assert smaller_lr_command(tmp_path, 3.0) == f"deltaprop train --config {config} --lr 0.3"
    assert smaller_lr_command(tmp_path, None) == f"deltaprop train --config {config}"
