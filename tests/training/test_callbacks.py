"""The standard callbacks behave as Keras documents them."""

from __future__ import annotations

import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import (
    Callback,
    EarlyStopping,
    History,
    ModelCheckpoint,
    ReduceLROnPlateau,
    Run,
)


class ScriptedRun:
    """Drive a callback by hand with scripted logs: a real Run around a tiny network."""

    def __init__(self, callback, metrics=("loss", "val_loss", "val_accuracy", "lr", "time"), eta=1.0):
        self.net = dp.Network([2, 2], seed=0)
        self.optimizer = dp.SGD(eta)
        self.run = Run(self.net, self.optimizer, History(), {"epochs": 100}, list(metrics))
        self.callback = callback
        callback.set_run(self.run)
        callback.on_train_begin({})

    def epochs(self, values, key="val_loss", first=0):
        """Feed one epoch per value (from epoch ``first``), marking the weights with the epoch
        number, then end training as ``fit`` does; return the epochs run."""
        ran = []
        for epoch, value in enumerate(values, start=first):
            self.net.weights = [np.full((2, 2), float(epoch))]
            self.callback.on_epoch_begin(epoch, {})
            self.callback.on_epoch_end(epoch, {key: value, "lr": self.optimizer.learning_rate})
            ran.append(epoch)
            if self.run.stop_training:
                break
        self.callback.on_train_end({})
        return ran

    def weights_epoch(self) -> float:
        """The epoch whose weights the network holds now."""
        return float(self.net.weights[0][0, 0])


def test_early_stopping_stops_after_patience_epochs_without_improvement():
    es = EarlyStopping(patience=2)
    ran = ScriptedRun(es).epochs([1.0, 0.8, 0.9, 0.85, 0.5, 0.4])
    assert ran == [0, 1, 2, 3]  # best at epoch 1; epochs 2 and 3 do not improve
    assert es.stopped_epoch == 3 and es.best_epoch == 1 and es.best == 0.8


def test_early_stopping_patience_zero_stops_at_the_first_miss():
    ran = ScriptedRun(EarlyStopping(patience=0)).epochs([1.0, 0.9, 0.95, 0.5])
    assert ran == [0, 1, 2]


def test_early_stopping_min_delta_and_max_mode():
    ran = ScriptedRun(EarlyStopping(min_delta=0.1, patience=1)).epochs([1.0, 0.95, 0.5])
    assert ran == [0, 1]  # 0.95 beats 1.0 by less than min_delta
    acc = EarlyStopping(monitor="val_accuracy", patience=1)
    assert acc.maximise
    ran = ScriptedRun(acc).epochs([0.5, 0.7, 0.6], key="val_accuracy")
    assert ran == [0, 1, 2] and acc.best == 0.7


def test_early_stopping_restores_best_weights_when_it_stops():
    es = EarlyStopping(patience=2, restore_best_weights=True)
    scripted = ScriptedRun(es)
    scripted.epochs([1.0, 0.8, 0.9, 0.85])
    assert scripted.weights_epoch() == 1.0  # epoch 1's
    assert "restored" in scripted.run.history.stopped_reason


def test_early_stopping_restores_best_weights_when_the_epochs_run_out():
    """Keras 3 restores in on_train_end, however training ended (Keras 2 only on its own stop)."""
    es = EarlyStopping(patience=5, restore_best_weights=True)
    scripted = ScriptedRun(es)
    scripted.epochs([1.0, 0.8, 0.9])  # never stops on its own
    assert es.stopped_epoch is None and es.best_epoch == 1
    assert scripted.weights_epoch() == 1.0
    no_restore = ScriptedRun(EarlyStopping(patience=5))
    no_restore.epochs([1.0, 0.8, 0.9])
    assert no_restore.weights_epoch() == 2.0  # restore_best_weights=False: the last weights stay


def test_early_stopping_restores_at_the_end_of_a_real_fit_stopped_by_another_callback(xor):
    X, y = xor

    class StopAfter(Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.run.stop_training = epoch == 2

    net = dp.Network([2, 3, 1], seed=0)
    # η = 20: steps so large that the training loss goes up at epoch 2 (0.221 → 0.330).
    es = EarlyStopping(monitor="loss", patience=100, restore_best_weights=True)
    history = net.fit(X, y, 50, learning_rate=20.0, batch_size=2, callbacks=[es, StopAfter()], seed=0)
    assert len(history) == 3 and es.stopped_epoch is None
    assert es.best_epoch == int(np.argmin(history["loss"])) == 1
    kept = es.best_weights[0]
    for got, want in zip(net.weights, kept):
        np.testing.assert_array_equal(got, want)


def test_early_stopping_keeps_the_weights_of_an_interrupted_run_for_an_exact_resume(xor):
    X, y = xor

    class Interrupt(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                self.run.request_interrupt()

    net = dp.Network([2, 3, 1], seed=0)
    es = EarlyStopping(monitor="loss", patience=100, restore_best_weights=True)
    snapshot = []

    class Last(Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshot[:] = [w.copy() for w in self.run.network.weights]

    net.fit(X, y, 50, learning_rate=20.0, batch_size=2, callbacks=[es, Interrupt(), Last()], seed=0)
    assert es.best_epoch == 1  # not the last epoch: restoring would change the weights
    for got, want in zip(net.weights, snapshot):
        np.testing.assert_array_equal(got, want)


def test_early_stopping_baseline_as_in_keras():
    # Keras: "training will stop if the model doesn't show improvement over the baseline".
    # Epochs 0-2 improve on the one before but none beats 0.5, so wait is never reset
    # (1, 2, 3); an improving epoch is not checked against patience, so epoch 3, the first
    # that does not improve, has wait = 4 ≥ 2 and stops the run.
    es = EarlyStopping(patience=2, baseline=0.5, restore_best_weights=True)
    scripted = ScriptedRun(es)
    ran = scripted.epochs([1.0, 0.9, 0.8, 0.85, 0.1])
    assert ran == [0, 1, 2, 3] and es.stopped_epoch == 3 and es.best == 0.8
    assert scripted.weights_epoch() == 2.0  # "restore weights from the best epoch in that set"
    # Beating the baseline resets wait as usual.
    es = EarlyStopping(patience=2, baseline=0.5)
    ran = ScriptedRun(es).epochs([1.0, 0.4, 0.45, 0.3, 0.35, 0.36, 0.2])
    assert ran == [0, 1, 2, 3, 4, 5] and es.best_epoch == 3
    # In max mode the baseline is a floor to rise above.
    es = EarlyStopping(monitor="val_accuracy", patience=1, baseline=0.9)
    ran = ScriptedRun(es).epochs([0.5, 0.6, 0.55, 0.95], key="val_accuracy")
    assert ran == [0, 1, 2]
    with pytest.raises(TypeError, match="baseline must be a number or None; got 'low'"):
        EarlyStopping(baseline="low")


def test_early_stopping_says_when_the_baseline_was_never_beaten():
    """Until the baseline is beaten, improving epochs do not reset wait, so the stop message may
    not say "did not improve for 4 epoch(s) after its best at epoch 3": it improved at epoch 3."""
    es = EarlyStopping(patience=1, baseline=1e-4)
    scripted = ScriptedRun(es)
    assert scripted.epochs([0.9, 0.7, 0.501424, 0.6]) == [0, 1, 2, 3]
    reason = scripted.run.history.stopped_reason
    assert reason == (
        "EarlyStopping: val_loss never beat the baseline 0.0001 in 4 epoch(s) (best 0.501424 at epoch 3)"
    )
    assert es.reason == reason and "did not improve" not in reason
    # min_delta and start_from_epoch are named where they shape the count.
    es = EarlyStopping(patience=1, baseline=0.5, min_delta=0.01, start_from_epoch=1)
    ScriptedRun(es).epochs([0.1, 0.9, 0.8, 0.85])
    assert es.reason == (
        "EarlyStopping: val_loss never beat the baseline 0.5 by more than min_delta=0.01 in 3 epoch(s) "
        "from epoch 2 (best 0.8 at epoch 3)"
    )
    # Once the baseline is beaten, wait counts from the best epoch again, and the message says so.
    es = EarlyStopping(patience=2, baseline=0.5)
    ScriptedRun(es).epochs([1.0, 0.4, 0.45, 0.3, 0.35, 0.36, 0.2])
    assert es.reason == "EarlyStopping: val_loss did not improve for 2 epoch(s) after its best 0.3 at epoch 4"


def test_early_stopping_on_a_real_run_that_never_reaches_its_baseline(digits):
    """The audit's run: the best val_loss is far above baseline=1e-4, so the run stops at the first
    epoch that does not improve, and the reason gives the epochs counted and the best."""
    X, y, _, _ = digits
    net = dp.Network([64, 10, 10], seed=0)
    es = EarlyStopping(patience=1, baseline=1e-4)
    history = net.fit(X, y, 30, learning_rate=10.0, validation_split=0.2, seed=0, callbacks=[es])
    best = int(np.argmin(history["val_loss"]))
    assert es.stopped_epoch == len(history) - 1 and es.best_epoch == best
    assert history.stopped_reason == (
        f"EarlyStopping: val_loss never beat the baseline 0.0001 in {len(history)} epoch(s) "
        f"(best {history['val_loss'][best]:.6g} at epoch {best + 1})"
    )


def test_early_stopping_start_from_epoch_ignores_the_warm_up():
    # The first start_from_epoch = 3 epochs (0, 1, 2) are not watched: their values,
    # good or bad, neither set the best nor count against patience.
    es = EarlyStopping(patience=1, start_from_epoch=3, restore_best_weights=True)
    scripted = ScriptedRun(es)
    ran = scripted.epochs([0.1, 5.0, 6.0, 1.0, 0.9, 0.95])
    assert ran == [0, 1, 2, 3, 4, 5] and es.best_epoch == 4 and es.best == 0.9
    assert scripted.weights_epoch() == 4.0
    # Absolute epochs: a run resumed at epoch 5 is past the warm-up already.
    es = EarlyStopping(patience=0, start_from_epoch=3)
    assert ScriptedRun(es).epochs([1.0, 2.0, 0.5], first=5) == [5, 6]
    with pytest.raises(ValueError, match="start_from_epoch must be ≥ 0; got -1"):
        EarlyStopping(start_from_epoch=-1)


def test_early_stopping_auto_mode_by_name():
    # mode="auto": names with "acc" are maximised, the rest (losses) minimised; an explicit
    # mode wins over the name.
    assert EarlyStopping(monitor="val_accuracy").maximise and EarlyStopping(monitor="accuracy").maximise
    assert not EarlyStopping(monitor="val_loss").maximise and not EarlyStopping(monitor="loss").maximise
    assert not EarlyStopping(monitor="val_accuracy", mode="min").maximise
    assert EarlyStopping(monitor="loss", mode="max").maximise


def test_early_stopping_patience_zero_stops_on_a_tie():
    # min_delta = 0: an equal value is no improvement (Keras compares with a strict < ).
    assert ScriptedRun(EarlyStopping(patience=0)).epochs([1.0, 1.0, 0.5]) == [0, 1]


def test_early_stopping_in_a_real_fit(digits):
    X_train, y_train, X_test, y_test = digits
    net = dp.Network([64, 30, 10], cost="cross_entropy", init="normal_scaled", seed=0)
    es = EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True)
    history = net.fit(
        X_train, y_train, 200, learning_rate=2.0, validation_data=(X_test, y_test), callbacks=[es], seed=0
    )
    assert len(history) < 200 and history.stopped_epoch == len(history) - 1
    best_epoch, best = history.best("val_loss")
    assert best_epoch == es.best_epoch
    assert net.evaluate(X_test, y_test)["loss"] == pytest.approx(best, rel=1e-12)


def test_reduce_lr_on_plateau_cuts_lr_after_patience_with_cooldown_and_floor():
    rl = ReduceLROnPlateau(factor=0.5, patience=2, cooldown=1, min_lr=0.3)
    scripted = ScriptedRun(rl, eta=1.0)
    lrs = []
    for epoch, value in enumerate([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]):
        rl.on_epoch_end(epoch, {"val_loss": value})
        lrs.append(scripted.optimizer.learning_rate)
    # epoch 0 sets the best; epochs 1, 2 miss → η halves at the end of epoch 2. Epoch 3 ends
    # the one-epoch cooldown and, as in Keras, already counts: epochs 3, 4 miss → 0.25,
    # floored at min_lr = 0.3. Then η is at the floor and stays.
    assert lrs == [1.0, 1.0, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3]


def test_reduce_lr_on_plateau_waits_while_improving():
    rl = ReduceLROnPlateau(factor=0.1, patience=1)
    scripted = ScriptedRun(rl, eta=1.0)
    for epoch, value in enumerate([1.0, 0.9, 0.8, 0.7]):
        rl.on_epoch_end(epoch, {"val_loss": value})
    assert scripted.optimizer.learning_rate == 1.0
    rl.on_epoch_end(4, {"val_loss": 0.69995})  # better by less than min_delta = 1e-4
    assert scripted.optimizer.learning_rate == pytest.approx(0.1)


def test_reduce_lr_in_a_real_fit_is_recorded_in_history(xor):
    X, y = xor
    net = dp.Network([2, 3, 1], seed=0)
    rl = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
    history = net.fit(X, y, 3, learning_rate=2.0, callbacks=[rl], seed=0)
    # Epoch 0 improves on +inf; epoch 1 cannot beat it by min_delta = 10, so η halves at its
    # end. "lr" is the η each epoch trained with.
    assert history.history["lr"] == [2.0, 2.0, 1.0]


def test_callback_argument_errors():
    with pytest.raises(ValueError, match="mode must be one of"):
        EarlyStopping(mode="up")
    with pytest.raises(ValueError, match="patience must be ≥ 0; got -1"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        ReduceLROnPlateau(factor=1.5)
    with pytest.raises(TypeError, match="monitor must be the name"):
        EarlyStopping(monitor=3)


def test_one_callback_instead_of_a_list_is_refused_by_name(xor):
    X, y = xor
    net = dp.Network([2, 3, 1], seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(TypeError, match=r"callbacks must be a list .*pass callbacks=\[EarlyStopping"):
        net.fit(X, y, 1, callbacks=EarlyStopping(monitor="loss"))
    with pytest.raises(TypeError, match="callbacks must be a list of deltaprop Callbacks; got 3 of type int"):
        net.fit(X, y, 1, callbacks=3)
    assert all(np.array_equal(w, b) for w, b in zip(net.weights, before))


class FakeFiles:
    def __init__(self):
        self.saved = []

    def save(self, net, path):
        self.saved.append((path, [w.copy() for w in net.weights]))


@pytest.fixture
def fake_files(monkeypatch):
    import deltaprop

    fake = FakeFiles()
    monkeypatch.setitem(__import__("sys").modules, "deltaprop.files", fake)
    monkeypatch.setattr(deltaprop, "files", fake, raising=False)
    return fake


def test_model_checkpoint_names_files_by_epoch_and_logs(fake_files):
    cp = ModelCheckpoint("m-{epoch:02d}-{val_loss:.2f}.safetensors")
    ScriptedRun(cp).epochs([1.0, 0.5])
    assert [path for path, _ in fake_files.saved] == ["m-01-1.00.safetensors", "m-02-0.50.safetensors"]


def test_model_checkpoint_save_best_only(fake_files):
    cp = ModelCheckpoint("best.safetensors", save_best_only=True)
    ScriptedRun(cp).epochs([1.0, 0.5, 0.7, 0.4])
    saved_epochs = [float(weights[0][0, 0]) for _, weights in fake_files.saved]
    assert saved_epochs == [0.0, 1.0, 3.0]


def test_model_checkpoint_initial_value_threshold_must_be_beaten_first(fake_files):
    # Keras: "Only overwrites the model weights already saved if the performance of current
    # model is better than this value." A resumed run whose best so far was 0.6.
    cp = ModelCheckpoint("best.safetensors", save_best_only=True, initial_value_threshold=0.6)
    ScriptedRun(cp).epochs([1.0, 0.7, 0.5, 0.55], first=10)
    assert [float(weights[0][0, 0]) for _, weights in fake_files.saved] == [12.0]
    acc = ModelCheckpoint(
        "best.safetensors", monitor="val_accuracy", save_best_only=True, initial_value_threshold=0.9
    )
    ScriptedRun(acc).epochs([0.8, 0.95], key="val_accuracy")
    assert [float(weights[0][0, 0]) for _, weights in fake_files.saved] == [12.0, 1.0]
    with pytest.raises(TypeError, match="initial_value_threshold must be a number or None"):
        ModelCheckpoint("m.safetensors", initial_value_threshold="best")


def test_model_checkpoint_never_writes_non_finite_weights(fake_files):
    cp = ModelCheckpoint("m.safetensors")
    scripted = ScriptedRun(cp)
    scripted.net._w[0][0, 0] = np.nan  # bypass the setter's check, as a blown-up update would
    cp.on_epoch_end(0, {"val_loss": 1.0})
    assert fake_files.saved == [] and cp.skipped == [0]


def test_model_checkpoint_writes_a_real_loadable_file(tmp_path, digits):
    files = pytest.importorskip("deltaprop.files")
    X_train, y_train, X_test, y_test = digits
    net = dp.Network([64, 8, 10], seed=0)
    path = tmp_path / "best.safetensors"
    cp = ModelCheckpoint(path, monitor="val_accuracy", save_best_only=True)
    history = net.fit(
        X_train[:200], y_train[:200], 3, validation_data=(X_test, y_test), callbacks=[cp], seed=0
    )
    loaded = files.load(path)
    best_epoch, best = history.best("val_accuracy")
    assert loaded.evaluate(X_test, y_test)["accuracy"] == best
    assert [p for p in tmp_path.iterdir() if p.name != "best.safetensors"] == []  # no temporary left


def test_monitor_checked_before_training(xor):
    X, y = xor
    net = dp.Network([2, 3, 1], seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(ValueError, match="ReduceLROnPlateau monitors 'val_accuracy'"):
        net.fit(X, y, 2, callbacks=[ReduceLROnPlateau(monitor="val_accuracy")])
    for w, b in zip(net.weights, before):
        np.testing.assert_array_equal(w, b)


def test_on_batch_end_only_called_for_callbacks_that_override_it(xor):
    X, y = xor
    batches = []

    class Quiet(Callback):
        pass

    class Counting(Callback):
        def on_batch_end(self, batch, logs=None):
            batches.append((batch, logs["size"], round(logs["loss"], 12) >= 0))

    dp.Network([2, 3, 1], seed=0).fit(X, y, 1, batch_size=3, callbacks=[Quiet(), Counting()])
    assert batches == [(0, 3, True), (1, 1, True)]


def test_model_checkpoint_refuses_a_file_name_it_cannot_fill_before_training(xor, fake_files):
    X, y = xor
    net = dp.Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"ModelCheckpoint filepath 'm-\{val_loss\}.st' cannot be filled in"):
        net.fit(X, y, 2, callbacks=[ModelCheckpoint("m-{val_loss}.st")])
    assert fake_files.saved == []


def test_reduce_lr_on_plateau_counts_on_across_a_resume():
    # With min_delta too large for any improvement, η is cut on a fixed rhythm (patience 2,
    # cooldown 1). A run continued at epoch 4 with a new callback must cut at the same epochs.
    X, y = dp.datasets.load_digits("train")
    X, y = X[:200], y[:200]

    def plateau():
        return dp.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=1, min_delta=10.0)

    whole = dp.fit(
        dp.Network([64, 10, 10], seed=0), X, y, epochs=10, learning_rate=1.0, seed=0, callbacks=[plateau()]
    )
    net, optimizer = dp.Network([64, 10, 10], seed=0), dp.SGD(1.0)
    history = dp.fit(net, X, y, epochs=4, optimizer=optimizer, seed=0, callbacks=[plateau()])
    dp.fit(
        net,
        X,
        y,
        epochs=10,
        optimizer=optimizer,
        seed=0,
        callbacks=[plateau()],
        initial_epoch=4,
        history=history,
    )
    assert history.history["lr"] == whole.history["lr"]
    assert whole.history["lr"] != [1.0] * 10  # it did cut η
    assert history.history["loss"] == whole.history["loss"]


def test_early_stopping_counts_on_across_a_resume():
    # A run continued with a new EarlyStopping stops at the same epoch as the uninterrupted one.
    X, y = dp.datasets.load_digits("train")
    X, y = X[:200], y[:200]

    def stopper():
        return EarlyStopping(monitor="loss", patience=2, min_delta=10.0)  # improves only at epoch 0

    whole = dp.fit(
        dp.Network([64, 10, 10], seed=0), X, y, epochs=10, learning_rate=1.0, seed=0, callbacks=[stopper()]
    )
    assert whole.stopped_epoch == 2 and len(whole.epoch) == 3
    net, optimizer = dp.Network([64, 10, 10], seed=0), dp.SGD(1.0)
    history = dp.fit(net, X, y, epochs=2, optimizer=optimizer, seed=0, callbacks=[stopper()])
    resumed = stopper()
    dp.fit(
        net,
        X,
        y,
        epochs=10,
        optimizer=optimizer,
        seed=0,
        callbacks=[resumed],
        initial_epoch=2,
        history=history,
    )
    assert history.epoch == whole.epoch and history.stopped_epoch == 2
    assert resumed.best_epoch == 0 and resumed.stopped_epoch == 2


def test_progress_logger_writes_an_epochs_time_as_the_command_line_does(digits, capsys):
    """An epoch of the digits takes milliseconds: ".1f" wrote "0.0s" where ``deltaprop train``
    writes "3.9ms" (the audit's finding). Both now use one formatter."""
    import io

    from deltaprop.cli.progress import epoch_line

    stream = io.StringIO()
    logger = dp.ProgressLogger(stream=stream)
    seconds = [0.0039, 0.04, 0.1, 1.234]
    for epoch, time in enumerate(seconds):
        logger.on_epoch_end(epoch, {"loss": 0.5, "time": time})
    times = [line.rsplit(" - ", 1)[1] for line in stream.getvalue().splitlines()]
    assert times == ["3.9ms", "40.0ms", "0.10s", "1.23s"]
    assert times == [epoch_line(e, 4, {"time": t}).rsplit("  ", 1)[1] for e, t in enumerate(seconds)]
    # in a real fit, whatever the epochs take: milliseconds with one decimal, or seconds with two
    X, y = digits[0][:50], digits[1][:50]
    dp.Network([64, 5, 10], seed=0).fit(X, y, 2, verbose=1, seed=0)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(re.search(r" - (\d+\.\dms|\d+\.\d\ds)$", line) for line in lines), lines


@pytest.mark.parametrize("filepath", [None, 3, b"model.safetensors"])
def test_model_checkpoint_refuses_a_filepath_that_is_not_a_name(filepath):
    # str(None) and str(3) made files named 'None' and '3'.
    with pytest.raises(TypeError, match=rf"filepath must be a file name.*got {filepath!r:.6}"):
        ModelCheckpoint(filepath)


def test_model_checkpoint_refuses_a_network_no_model_file_holds_before_training(tmp_path):
    class Doubled(dp.activations.Linear):  # a user's own activation: a file cannot hold its code
        def __call__(self, net):
            return 2 * net

    net = dp.Network([2, 3, 1], output_activation=Doubled(), seed=0)
    before = [w.copy() for w in net.weights]
    X, Y = np.random.default_rng(0).random((8, 2)), np.random.default_rng(1).random((8, 1))
    with pytest.raises(ValueError, match="cannot save activations\\[1\\] .*Doubled"):
        net.fit(X, Y, epochs=1, callbacks=[ModelCheckpoint(tmp_path / "m.safetensors")])
    assert all(np.array_equal(w, b) for w, b in zip(net.weights, before))  # no update was made
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("stream", [3, "log.txt"])
def test_progress_logger_refuses_a_stream_without_write(stream):
    with pytest.raises(TypeError, match=rf"stream must have a write method.*got {stream!r}"):
        dp.ProgressLogger(stream=stream)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda v: dp.ModelCheckpoint("m.safetensors", save_best_only=v), "save_best_only"),
        (lambda v: dp.EarlyStopping(restore_best_weights=v), "restore_best_weights"),
    ],
)
@pytest.mark.parametrize("value", ["False", None, 1])
def test_switches_must_be_true_or_false(make, name, value):
    """bool("False") is True: a string, None or 1 chose behaviour by its truth value, unseen."""
    with pytest.raises(TypeError, match=rf"^{name} must be True or False; got {value!r}"):
        make(value)
    assert make(np.bool_(True)) is not None
