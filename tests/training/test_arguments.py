"""Bad arguments to fit and evaluate: a clear error naming what was wrong, and nothing changed."""

from __future__ import annotations

import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import EarlyStopping, evaluate, fit

X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y4 = np.array([0, 1, 1, 0])


def net2():
    return dp.Network([2, 3, 2], seed=0)


CASES = [
    # (kwargs overriding fit's arguments, error type, pieces the message must hold)
    ({"epochs": -1}, ValueError, ["epochs must be ≥ 0", "-1"]),
    ({"epochs": 2.5}, TypeError, ["epochs must be an integer", "2.5"]),
    ({"epochs": "3"}, TypeError, ["epochs must be an integer", "'3'"]),
    ({"batch_size": 0}, ValueError, ["batch_size must be > 0", "0"]),
    ({"batch_size": -4}, ValueError, ["batch_size must be > 0", "-4"]),
    ({"batch_size": 2.0}, TypeError, ["batch_size must be an integer", "2.0"]),
    ({"learning_rate": 0.0}, ValueError, ["learning_rate must be a finite number > 0", "0.0"]),
    ({"learning_rate": -0.5}, ValueError, ["learning_rate", "-0.5"]),
    ({"learning_rate": float("nan")}, ValueError, ["learning_rate", "nan"]),
    ({"learning_rate": float("inf")}, ValueError, ["learning_rate", "inf"]),
    ({"learning_rate": "fast"}, TypeError, ["learning_rate must be a number", "'fast'"]),
    ({"optimizer": dp.SGD(1.0), "learning_rate": 0.5}, ValueError, ["either optimizer or learning_rate"]),
    ({"optimizer": 3}, TypeError, ["optimizer must be", "got 3"]),
    ({"optimizer": "rmsprop"}, ValueError, ["unknown optimizer 'rmsprop'"]),
    ({"X": X4[:, :1]}, ValueError, ["X has 1 feature per sample", "expects 2", "(4, 1)"]),
    ({"X": X4[0]}, ValueError, ["X must be a 2-D array", "shape (2,)", "reshape(1, -1)"]),
    ({"X": X4.reshape(4, 2, 1)}, ValueError, ["X must be a 2-D array", "(4, 2, 1)"]),
    ({"X": np.empty((0, 2)), "Y": np.empty(0, dtype=int)}, ValueError, ["X is empty", "(0, 2)"]),
    ({"Y": Y4[:3]}, ValueError, ["different numbers of samples", "X has 4", "Y has 3"]),
    ({"X": np.where(X4 == 1, np.nan, X4)}, ValueError, ["X contains NaN or infinity", "(1, 1)"]),
    ({"X": np.where(X4 == 1, np.inf, X4)}, ValueError, ["X contains NaN or infinity"]),
    ({"X": np.array([["a", "b"]] * 4)}, TypeError, ["X must hold numbers", "str32"]),
    ({"X": np.array([[object(), 1]] * 4)}, TypeError, ["X must hold numbers", "object"]),
    ({"Y": np.array([0, 1, 2, 0])}, ValueError, ["class label 2", "outside 0..1"]),
    ({"Y": np.array([0, -1, 1, 0])}, ValueError, ["class label -1", "outside 0..1"]),
    ({"Y": np.array([0, 0.5, 1, 0])}, ValueError, ["non-integer value 0.5"]),
    ({"Y": np.array([[0.0, np.nan]] * 4)}, ValueError, ["Y contains NaN or infinity"]),
    ({"Y": np.zeros((4, 3))}, ValueError, ["Y has 3 columns", "2 outputs"]),
    ({"Y": np.zeros((4, 2, 1))}, ValueError, ["Y must be class labels", "(4, 2, 1)"]),
    ({"validation_split": 1.0}, ValueError, ["validation_split must be in [0, 1)", "1.0"]),
    ({"validation_split": -0.1}, ValueError, ["validation_split must be in [0, 1)"]),
    ({"validation_split": 0.01}, ValueError, ["leaves no validation samples"]),
    ({"validation_split": 0.5, "validation_data": (X4, Y4)}, ValueError, ["not both"]),
    ({"validation_data": X4}, TypeError, ["validation_data must be a pair (X_val, Y_val)"]),
    ({"validation_data": (X4[:, :1], Y4)}, ValueError, ["validation_data[0] (X_val) has 1 feature per"]),
    ({"validation_data": (X4, Y4[:2])}, ValueError, ["validation_data[1] (Y_val) has 2"]),
    ({"seed": -1}, ValueError, ["seed must be an integer ≥ 0 or None; got -1"]),
    ({"seed": 1.5}, TypeError, ["seed must be an integer ≥ 0 or None; got 1.5 of type float"]),
    ({"callbacks": [print]}, TypeError, ["callbacks[0] must be a deltaprop Callback"]),
    ({"verbose": 3}, ValueError, ["verbose must be 0 (silent), or 1 or 2", "got 3"]),
    ({"verbose": "1"}, ValueError, ["verbose must be 0 (silent), or 1 or 2", "got '1'"]),
    ({"shuffle": "yes"}, TypeError, ["shuffle must be True or False"]),
    ({"initial_epoch": 3, "epochs": 2}, ValueError, ["initial_epoch must be ≤ epochs (2)", "3"]),
    ({"initial_batch": 2, "batch_size": 2}, ValueError, ["initial_batch must be below the 2 mini-batches"]),
    ({"initial_batch": -1}, ValueError, ["initial_batch must be ≥ 0", "-1"]),
    ({"history": {}}, TypeError, ["history must be a deltaprop History"]),
    ({"callbacks": [EarlyStopping()]}, ValueError, ["EarlyStopping monitors 'val_loss'", "validation_data"]),
]


# ids without memory addresses ("<object object at 0x7f…>"), the same in every process
IDS = [re.sub(r" at 0x[0-9a-f]+", "", str(case[0]))[:60] for case in CASES]


@pytest.mark.parametrize("override, error, pieces", CASES, ids=IDS)
def test_bad_argument_raises_clearly_and_changes_nothing(override, error, pieces):
    net = net2()
    before = net.copy()
    kwargs = {"X": X4, "Y": Y4, "epochs": 2, "batch_size": 2, **override}
    X, Y, epochs = kwargs.pop("X"), kwargs.pop("Y"), kwargs.pop("epochs")
    with pytest.raises(error) as info:
        fit(net, X, Y, epochs, **kwargs)
    message = str(info.value)
    for piece in pieces:
        assert piece in message, f"{piece!r} not in {message!r}"
    for p, q in zip([*net.weights, *net.biases], [*before.weights, *before.biases]):
        np.testing.assert_array_equal(p, q)


def test_optimizer_is_not_touched_by_a_rejected_fit():
    opt = dp.SGD(1.0)
    with pytest.raises(ValueError):
        fit(net2(), X4, Y4, -1, optimizer=opt)
    assert opt.n_train is None and opt.iterations == 0


class RefuseAfterChanging(dp.training.Callback):
    """Changes the network and the optimizer in on_train_begin, then refuses the call."""

    def on_train_begin(self, logs=None):
        self.run.network.weights[0] += 1.0
        self.run.optimizer.learning_rate = 99.0
        raise ValueError("refused by on_train_begin")


@pytest.mark.parametrize(
    ("refuser", "match"),
    [(RefuseAfterChanging(), "refused by on_train_begin"), (EarlyStopping(monitor="val_loss"), "val_loss")],
)
def test_a_call_refused_by_on_train_begin_leaves_a_continued_history_as_it_was(refuser, match):
    """fit set the history's params and cleared its stopped_reason before the callbacks'
    on_train_begin could refuse the call, so a refused call on a continued History left it
    describing a run that never happened, its stop forgotten."""
    net, opt = net2(), dp.SGD(0.5)
    stop = EarlyStopping(monitor="loss", min_delta=10.0, patience=0)  # stops after epoch 2
    history = fit(net, X4, Y4, 5, batch_size=2, optimizer=opt, seed=3, callbacks=[stop])
    assert history.stopped_reason is not None and history.epoch == [0, 1]
    params, reason, stopped = dict(history.params), history.stopped_reason, history.stopped_epoch
    weights, state = [w.copy() for w in net.weights], opt.state_dict()
    with pytest.raises(ValueError, match=match):
        fit(
            net,
            X4,
            Y4,
            9,
            batch_size=1,
            optimizer=opt,
            seed=4,
            initial_epoch=2,
            history=history,
            callbacks=[refuser],
        )
    assert history.params == params
    assert (history.stopped_reason, history.stopped_epoch, history.epoch) == (reason, stopped, [0, 1])
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, weights))
    assert opt.state_dict()["hyper"] == state["hyper"] and opt.iterations == state["iterations"]


def test_lists_of_lists_and_integer_arrays_are_accepted():
    history = fit(net2(), X4.astype(int).tolist(), Y4.tolist(), 1, batch_size=2, seed=0)
    assert len(history) == 1


def test_batch_size_above_n_is_one_batch():
    history = fit(net2(), X4, Y4, 1, batch_size=100, seed=0)
    assert history.params["batch_size"] == 4 and history.params["steps_per_epoch"] == 1


def test_evaluate_checks_its_arguments():
    with pytest.raises(ValueError, match="X has 1 feature per sample"):
        evaluate(net2(), X4[:, :1], Y4)
    with pytest.raises(ValueError, match="class label 5"):
        evaluate(net2(), X4, [0, 1, 5, 0])
    with pytest.raises(ValueError, match="batch_size must be > 0; got 0"):
        evaluate(net2(), X4, Y4, batch_size=0)


def test_evaluate_does_not_depend_on_the_chunk_size():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(103, 2))
    y = rng.integers(0, 2, size=103)
    net = net2()
    whole = evaluate(net, X, y, batch_size=1000)
    assert whole["loss"] == pytest.approx(net.cost_value(X, y), rel=1e-12)
    assert whole["accuracy"] == np.mean(net.predict_classes(X) == y)
    for chunk in (1, 7, 50):
        logs = evaluate(net, X.astype(np.float32), y, batch_size=chunk)
        assert logs["loss"] == pytest.approx(whole["loss"], rel=1e-6)
        assert logs["accuracy"] == whole["accuracy"]


def test_verbose_2_prints_a_line_per_epoch_as_1_does(capsys):
    """Keras's verbose=2 is one line per epoch: the same as 1 here, so accepted as it."""
    printed = []
    for verbose in (1, 2):
        fit(dp.Network([2, 3, 2], seed=0), X4, Y4, epochs=2, seed=0, learning_rate=0.5, verbose=verbose)
        lines = capsys.readouterr().out.splitlines()
        assert all(re.search(r" - \d+\.\d+m?s$", line) for line in lines), lines
        printed.append([re.sub(r" - \d+\.\d+m?s$", "", line) for line in lines])  # all but the time
    assert len(printed[0]) == 2 and printed[0] == printed[1]


def test_a_generator_as_fits_seed_is_refused_saying_why_and_what_to_pass(xor):
    """Network and the data sets take a Generator; fit cannot (it records its seed to resume),
    and says so, with a way to draw an integer seed from the Generator."""
    X, y = xor
    net = dp.Network([2, 3, 2], seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(TypeError) as refused:
        net.fit(X, y, seed=np.random.default_rng(0))
    message = str(refused.value)
    start = r"seed must be an integer ≥ 0 or None; got Generator\(PCG64\).* of type Generator\."
    assert re.match(start, message)
    assert "records its seed" in message and "seed=int(rng.integers(2**32))" in message
    assert all(np.array_equal(w, b) for w, b in zip(net.weights, before))
    history = net.fit(X, y, seed=int(np.random.default_rng(0).integers(2**32)))
    assert history.params["seed"] == int(np.random.default_rng(0).integers(2**32))
