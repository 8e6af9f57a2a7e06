"""Resume through a checkpoint file: ``fit`` stopped, saved, loaded and continued is bit-identical.

For every optimizer (plain SGD on its fused path, SGD with L2, momentum, Nesterov with L2,
Adam, Adam with L2), every closed-form learning-rate schedule and both dtypes, a run is
interrupted mid-epoch (``Run.request_interrupt`` after a mini-batch, as Ctrl-C does) and
at an epoch's end, written with :func:`deltaprop.files.save_checkpoint`, read back with
:func:`~deltaprop.files.load_checkpoint` into new objects, and continued with
``fit(..., initial_epoch=..., initial_batch=..., history=...)``. Weights, optimizer state
and every logged number must equal those of the run never interrupted, bit for bit. So must
the weights ``EarlyStopping(restore_best_weights=True)`` restores, carried through the file.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import files
from deltaprop.training import (
    Callback,
    CosineDecay,
    EarlyStopping,
    ExponentialDecay,
    History,
    LearningRateScheduler,
    StepDecay,
    fit,
)

EPOCHS = 4
BATCH = 7  # 93 training samples: 14 mini-batches an epoch, the last one short
SEED = 5
RNG = np.random.default_rng(11)
X = RNG.normal(size=(103, 6))
Y = RNG.integers(0, 3, 103)

OPTIMIZERS = {
    "sgd": lambda: dp.SGD(0.1),
    "sgd-l2": lambda: dp.SGD(0.1, l2=0.5),
    "momentum": lambda: dp.SGD(0.1, momentum=0.9),
    "nesterov-l2": lambda: dp.SGD(0.1, momentum=0.9, nesterov=True, l2=0.3),
    "adam": lambda: dp.Adam(0.01),
    "adam-l2": lambda: dp.Adam(0.01, beta1=0.8, l2=1.0),
}
SCHEDULES = {
    "constant": lambda: [],
    "step": lambda: [StepDecay(0.1, drop=0.5, every=2)],
    "exponential": lambda: [ExponentialDecay(0.1, rate=0.9)],
    "cosine": lambda: [CosineDecay(0.1, epochs=EPOCHS)],
}
# (epoch, mini-batches done in it) where the first run stops: mid-epoch, and an epoch's end
STOPS = [(1, 3), (2, 14)]


class StopAfter(Callback):
    """Ask the run to stop after mini-batch ``batch`` (from 1) of ``epoch``, as Ctrl-C does."""

    def __init__(self, epoch: int, batch: int):
        self.epoch, self.batch = epoch, batch

    def on_batch_end(self, batch, logs=None):
        if self.run.epoch == self.epoch and batch + 1 == self.batch:
            self.run.request_interrupt()


def _net(dtype):
    return dp.Network(
        [6, 5, 3], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=1, dtype=dtype
    )


def _fit(net, optimizer, callbacks, **kwargs):
    return fit(
        net,
        X,
        Y,
        EPOCHS,
        batch_size=BATCH,
        optimizer=optimizer,
        seed=SEED,
        validation_split=0.1,
        callbacks=callbacks,
        **kwargs,
    )


def _interrupted_then_resumed(tmp_path, dtype, make_optimizer, make_callbacks, stop):
    net, optimizer = _net(dtype), make_optimizer()
    callbacks = make_callbacks() + [StopAfter(*stop)]
    history = _fit(net, optimizer, callbacks)
    run = callbacks[-1].run
    path = files.save_checkpoint(
        tmp_path / "ckpt.safetensors",
        net,
        optimizer,
        {"epoch": run.next_epoch, "batch": run.next_batch, "history": history.to_dict()},
    )
    del net, optimizer, history  # nothing but the file goes on
    net, optimizer, state = files.load_checkpoint(path)
    history = _fit(
        net,
        optimizer,
        make_callbacks(),
        initial_epoch=state["epoch"],
        initial_batch=state["batch"],
        history=History.from_dict(state["history"]),
    )
    return net, optimizer, history, state


def _assert_same_run(a, b):
    (net_a, opt_a, hist_a), (net_b, opt_b, hist_b) = a, b
    for p, q in zip(net_a.weights + net_a.biases, net_b.weights + net_b.biases):
        assert p.dtype == q.dtype and np.array_equal(p, q)
    sd_a, sd_b = opt_a.state_dict(), opt_b.state_dict()
    assert sd_a["iterations"] == sd_b["iterations"] and sd_a["hyper"] == sd_b["hyper"]
    assert sorted(sd_a["state"]) == sorted(sd_b["state"])
    for key in sd_a["state"]:
        assert sd_a["state"][key].dtype == sd_b["state"][key].dtype
        assert np.array_equal(sd_a["state"][key], sd_b["state"][key]), key
    assert hist_a.epoch == hist_b.epoch == list(range(EPOCHS))
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
        assert hist_a.history[key] == hist_b.history[key], key


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("optimizer_name", sorted(OPTIMIZERS))
def test_resume_from_a_checkpoint_file_is_bit_identical(tmp_path, optimizer_name, dtype):
    make_optimizer = OPTIMIZERS[optimizer_name]
    for schedule_name, make_callbacks in SCHEDULES.items():
        net, optimizer = _net(dtype), make_optimizer()
        whole = (net, optimizer, _fit(net, optimizer, make_callbacks()))
        for stop in STOPS:
            net2, optimizer2, history2, state = _interrupted_then_resumed(
                tmp_path, dtype, make_optimizer, make_callbacks, stop
            )
            assert (state["epoch"], state["batch"]) == (
                (stop[0], stop[1]) if stop[1] < 14 else (stop[0] + 1, 0)
            )
            assert type(optimizer2) is type(optimizer), schedule_name
            _assert_same_run(whole, (net2, optimizer2, history2))


def test_resume_mid_epoch_with_a_schedule_of_the_current_lr(tmp_path):
    def make_callbacks():
        return [LearningRateScheduler(lambda epoch, lr: 0.9 * lr)]

    net, optimizer = _net(np.float64), dp.SGD(0.1, momentum=0.9)
    whole = (net, optimizer, _fit(net, optimizer, make_callbacks()))
    net2, optimizer2, history2, _ = _interrupted_then_resumed(
        tmp_path, np.float64, lambda: dp.SGD(0.1, momentum=0.9), make_callbacks, (1, 3)
    )
    _assert_same_run(whole, (net2, optimizer2, history2))


def test_resume_at_an_epoch_end_with_a_schedule_of_the_current_lr(tmp_path):
    def make_callbacks():
        return [LearningRateScheduler(lambda epoch, lr: 0.9 * lr)]

    net, optimizer = _net(np.float64), dp.Adam(0.01)
    whole = (net, optimizer, _fit(net, optimizer, make_callbacks()))
    resumed = _interrupted_then_resumed(tmp_path, np.float64, lambda: dp.Adam(0.01), make_callbacks, (1, 14))
    _assert_same_run(whole, resumed[:3])


def test_early_stopping_restores_the_best_epoch_across_a_checkpoint(tmp_path):
    # The weights EarlyStopping(restore_best_weights=True) keeps go into the checkpoint as state
    # arrays; carry_best hands them to the resumed run's EarlyStopping, so it restores the same.
    def stopper():
        return EarlyStopping(monitor="val_loss", patience=EPOCHS, restore_best_weights=True)

    net, optimizer = _net(np.float64), dp.Adam(0.05)
    whole = stopper()
    _fit(net, optimizer, [whole])
    assert 0 < whole.best_weights_epoch < EPOCHS - 1  # a best epoch that is not the last one
    for stop in STOPS:
        net2, optimizer2, first = _net(np.float64), dp.Adam(0.05), stopper()
        history = _fit(net2, optimizer2, [first, StopAfter(*stop)])
        run = first.run
        weights, biases = first.best_weights
        best = {f"best_w{l}": w for l, w in enumerate(weights)} | {
            f"best_b{l}": b for l, b in enumerate(biases)
        }
        state = {"epoch": run.next_epoch, "batch": run.next_batch, "history": history.to_dict()}
        path = files.save_checkpoint(tmp_path / "ckpt.safetensors", net2, optimizer2, {**state, **best})
        net2, optimizer2, state = files.load_checkpoint(path)
        second = stopper()
        n = len(net2.weights)
        second.carry_best(
            first.best_weights_epoch,
            [state[f"best_w{l}"] for l in range(n)],
            [state[f"best_b{l}"] for l in range(n)],
        )
        _fit(
            net2,
            optimizer2,
            [second],
            initial_epoch=state["epoch"],
            initial_batch=state["batch"],
            history=History.from_dict(state["history"]),
        )
        assert second.best_weights_epoch == whole.best_weights_epoch, stop
        for p, q in zip(net.weights + net.biases, net2.weights + net2.biases):
            assert np.array_equal(p, q), stop


def test_early_stopping_refuses_the_weights_of_another_epoch_or_network():
    net, optimizer = _net(np.float64), dp.Adam(0.05)
    history = _fit(net, optimizer, [StopAfter(2, 14)])  # three epochs recorded
    best = history.best("val_loss")[0]
    weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    cases = [
        ((best + 1) % 3, weights, biases, f"makes epoch {best} the one to keep"),
        (best, weights[:1], biases, "the weights given are [((6, 5), 'float64')]"),
        (best, weights, [b.astype(np.float32) for b in biases], "the biases given are"),
    ]
    for epoch, w, b, message in cases:
        stopper = EarlyStopping(patience=EPOCHS, restore_best_weights=True)
        stopper.carry_best(epoch, w, b)
        with pytest.raises(ValueError, match=re.escape(message)):
            _fit(_net(np.float64), dp.Adam(0.05), [stopper], initial_epoch=3, history=history)
    with pytest.raises(TypeError, match="epoch must be a whole number ≥ 0"):
        EarlyStopping().carry_best(-1, weights, biases)
