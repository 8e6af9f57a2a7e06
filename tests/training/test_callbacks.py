"""The standard callbacks behave as Keras documents them."""

from __future__ import annotations

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

    def epochs(self, values, key="val_loss"):
        """Feed one epoch per value; mark the weights with the epoch number; return the epochs run."""
        ran = []
        for epoch, value in enumerate(values):
            self.net.weights = [np.full((2, 2), float(epoch))]
            self.callback.on_epoch_begin(epoch, {})
            self.callback.on_epoch_end(epoch, {key: value, "lr": self.optimizer.learning_rate})
            ran.append(epoch)
            if self.run.stop_training:
                break
        return ran


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


def test_early_stopping_restores_best_weights_only_when_it_stops():
    es = EarlyStopping(patience=2, restore_best_weights=True)
    scripted = ScriptedRun(es)
    scripted.epochs([1.0, 0.8, 0.9, 0.85])
    np.testing.assert_array_equal(scripted.net.weights[0], np.full((2, 2), 1.0))  # epoch 1's
    assert "restored" in scripted.run.history.stopped_reason
    es = EarlyStopping(patience=5, restore_best_weights=True)
    scripted = ScriptedRun(es)
    scripted.epochs([1.0, 0.8, 0.9])  # never stops: the last weights stay, as in Keras
    np.testing.assert_array_equal(scripted.net.weights[0], np.full((2, 2), 2.0))


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
