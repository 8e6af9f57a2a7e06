"""η = 100 on the real MNIST (a 2,000-image subset): what stops, what is kept, what is never saved.

Two different things happen at η = 100, and both are tested:

- A net with nothing to saturate (ReLU hidden layer, linear output, quadratic cost) really
  diverges: the cost overflows to inf within the first epoch. With ``TerminateOnNaN`` the run
  stops with a message naming the epoch and mini-batch and keeps the last good epoch's
  weights; without it ``fit`` raises ``DivergenceError``. No model file ever holds NaN/inf.
- Logistic or softmax nets with a cross-entropy / log-likelihood cost do *not* produce NaN at
  η = 100 (their outputs saturate, the costs stay finite), but they learn nothing: the
  diagnostics flag the run (accuracy at chance level, saturated hidden neurons).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import Callback, ModelCheckpoint, TerminateOnNaN

pytestmark = pytest.mark.mnist

N_IMAGES = 2000
BAD_ETA = 100.0
GOOD_ETA = 0.01  # gentle enough for the ReLU/linear/quadratic net below
REPO = Path(__file__).resolve().parents[2]


def mnist_root() -> Path | None:
    for root in (os.environ.get("DELTAPROP_DATA"), REPO.parent / "shared" / "data"):
        if root and (Path(root) / "mnist" / "train-images-idx3-ubyte.gz").exists():
            return Path(root)
    return None


@pytest.fixture(scope="module")
def mnist():
    root = mnist_root()
    if root is None:
        pytest.skip("real MNIST not found: set DELTAPROP_DATA to a folder holding mnist/train-*-ubyte.gz")
    X, y = dp.datasets.load_mnist("train", data_dir=root, download=False)
    return X[:N_IMAGES], y[:N_IMAGES]


def unstable_net() -> dp.Network:
    return dp.Network([784, 30, 10], activation="relu", output_activation="linear", seed=0)


def all_finite(net) -> bool:
    return all(np.isfinite(p).all() for p in [*net.weights, *net.biases])


class SwitchEta(Callback):
    """Train at GOOD_ETA for ``good`` epochs, then at η = 100; remember the weights at the switch."""

    def __init__(self, good: int):
        self.good = good
        self.weights_at_switch = None

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.good:
            self.weights_at_switch = [p.copy() for p in [*self.run.network.weights, *self.run.network.biases]]
            self.run.optimizer.learning_rate = BAD_ETA


def test_terminate_on_nan_stops_naming_epoch_and_batch_and_keeps_the_last_good_epoch(mnist):
    X, y = mnist
    net = unstable_net()
    switch = SwitchEta(good=2)
    history = dp.fit(net, X, y, 5, learning_rate=GOOD_ETA, seed=0, callbacks=[switch, TerminateOnNaN()])
    assert history.epoch == [0, 1] and history.stopped_epoch == 2
    reason = history.stopped_reason
    assert reason.startswith("training diverged: the cost became")
    assert "at epoch 3, mini-batch " in reason and f"of {N_IMAGES // 10}" in reason
    assert "η = 100" in reason and "the weights from the end of epoch 2" in reason
    assert "smaller learning rate" in reason
    assert all(math.isfinite(v) for v in history.history["loss"])
    for p, good in zip([*net.weights, *net.biases], switch.weights_at_switch, strict=True):
        np.testing.assert_array_equal(p, good)


def test_without_terminate_on_nan_fit_raises_divergence_error_and_keeps_the_start(mnist):
    X, y = mnist
    net = unstable_net()
    before = net.copy()
    with pytest.raises(dp.DivergenceError) as info:
        dp.fit(net, X, y, 3, learning_rate=BAD_ETA, seed=0)
    err = info.value
    message = str(err)
    assert err.epoch == 1 and 1 <= err.batch <= N_IMAGES // 10
    assert f"at epoch 1, mini-batch {err.batch} of {N_IMAGES // 10}" in message
    assert "η = 100" in message and "keeps the weights it had when this fit() began" in message
    assert "Try a smaller learning rate, e.g. η = 10" in message
    assert len(err.history) == 0
    for p, q in zip([*net.weights, *net.biases], [*before.weights, *before.biases], strict=True):
        np.testing.assert_array_equal(p, q)


class Poison(Callback):
    """Put a NaN into w[0] at the end of epoch ``at``, so that the checkpoint after it sees one."""

    def __init__(self, at: int):
        self.at = at
        self.kept = None

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at:
            w = self.run.network.weights[0]
            self.kept = w[0, 0]
            w[0, 0] = np.nan


class Heal(Callback):
    """Undo Poison after the checkpoint has had its look (the loop itself never ends an epoch on NaN)."""

    def __init__(self, poison: Poison):
        self.poison = poison

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.poison.at:
            self.run.network.weights[0][0, 0] = self.poison.kept


def test_model_checkpoint_skips_a_non_finite_epoch(mnist, tmp_path):
    X, y = mnist
    net = unstable_net()
    poison = Poison(at=1)
    path = tmp_path / "model-{epoch}.safetensors"
    checkpoint = ModelCheckpoint(path, monitor="loss")
    dp.fit(net, X, y, 3, learning_rate=GOOD_ETA, seed=0, callbacks=[poison, checkpoint, Heal(poison)])
    assert checkpoint.skipped == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-1.safetensors", "model-3.safetensors"]
    assert all(all_finite(dp.load(p)) for p in tmp_path.iterdir())


def test_a_diverging_run_leaves_its_checkpoint_at_the_last_good_epoch(mnist, tmp_path):
    X, y = mnist
    net = unstable_net()
    path = tmp_path / "model.safetensors"
    checkpoint = ModelCheckpoint(path, monitor="loss")
    with pytest.raises(dp.DivergenceError) as info:
        dp.fit(net, X, y, 5, learning_rate=GOOD_ETA, seed=0, callbacks=[SwitchEta(good=2), checkpoint])
    assert info.value.epoch == 3 and "the weights from the end of epoch 2" in str(info.value)
    assert checkpoint.saved == [str(path)] * 2 and checkpoint.skipped == []
    saved = dp.load(path)
    assert all_finite(saved) and all_finite(net)
    for p, q in zip([*saved.weights, *saved.biases], [*net.weights, *net.biases], strict=True):
        np.testing.assert_array_equal(p, q)  # the file holds exactly the weights fit kept


def test_a_diverged_network_is_saved_only_when_forced(mnist, tmp_path):
    X, y = mnist
    net = unstable_net()
    dp.fit(net, X, y, 1, learning_rate=GOOD_ETA, seed=0)
    good = dp.save(net, tmp_path / "model.safetensors")
    good_bytes = good.read_bytes()
    diverged = net.copy()
    diverged._w[1][:] = np.inf  # what the weights look like after an overflowing step
    with pytest.raises(ValueError, match=r"weights\[1\] \(layer 2\) holds NaN or infinity"):
        dp.save(diverged, good)
    with pytest.raises(ValueError, match="allow_nonfinite"):
        dp.save_checkpoint(tmp_path / "checkpoint.safetensors", diverged)
    assert good.read_bytes() == good_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.safetensors"]
    forced = dp.save(diverged, tmp_path / "forced.safetensors", allow_nonfinite=True)
    with pytest.raises(dp.ModelFileError, match="allow_nonfinite"):
        dp.load(forced)
    assert not all_finite(dp.load(forced, allow_nonfinite=True))


@pytest.mark.parametrize(
    ("output", "cost"),
    [("logistic", "cross_entropy"), ("softmax", "log_likelihood")],
)
def test_saturating_nets_stay_finite_at_eta_100_but_the_diagnostics_flag_them(mnist, output, cost):
    from deltaprop.diagnostics import diagnose

    X, y = mnist
    net = dp.Network([784, 30, 10], output_activation=output, cost=cost, seed=0)
    history = dp.fit(net, X, y, 3, learning_rate=BAD_ETA, seed=0, callbacks=[TerminateOnNaN()])
    assert history.stopped_reason is None and history.epoch == [0, 1, 2]
    assert all(math.isfinite(v) for v in history.history["loss"])
    assert all_finite(net)
    assert max(history.history["accuracy"]) < 0.2  # chance is 0.1: nothing learnt
    findings = {f.code: f for f in diagnose(net, history, X, y)}
    assert findings["chance-level"].severity == "error"
    assert "stuck at chance level" in findings["chance-level"].message
    saturation = [f for code, f in findings.items() if "saturat" in code]
    assert saturation and "saturated" in saturation[0].message
