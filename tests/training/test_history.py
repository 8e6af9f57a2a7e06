"""History: Keras's names, round trips through JSON and CSV, atomic writes."""

from __future__ import annotations

import json
import math

import pytest

import deltaprop as dp
from deltaprop.training import History


@pytest.fixture
def history(digits):
    X_train, y_train, X_test, y_test = digits
    net = dp.Network([64, 8, 10], seed=0)
    return net.fit(X_train[:300], y_train[:300], 3, validation_data=(X_test, y_test), seed=4)


def test_keras_names_and_params(history):
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy", "lr", "time"]
    assert history.epoch == [0, 1, 2]
    assert all(len(values) == 3 for values in history.history.values())
    assert history.params["seed"] == 4 and history.params["epochs"] == 3
    assert history.params["n_samples"] == 300 and history.params["steps_per_epoch"] == 30
    assert history.params["steps"] == 30 and history.params["verbose"] == 0  # Keras's keys too
    assert history["loss"] is history.history["loss"]


def test_repr_is_useful(history):
    text = repr(history)
    assert text.startswith("History(3 epochs 0..2; last: loss=")
    assert "val_accuracy=" in text
    assert repr(History()) == "History(no epochs)"


def test_json_round_trip(history, tmp_path):
    history.stopped_reason = "EarlyStopping: for the test"
    path = tmp_path / "h.json"
    history.to_json(path)
    again = History.from_json(path)
    assert again == history
    assert again.history == history.history  # exact floats
    assert again.params == history.params and again.stopped_reason == history.stopped_reason
    assert json.loads(path.read_text())["format"] == "deltaprop-history"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_csv_round_trip(history, tmp_path):
    path = tmp_path / "h.csv"
    history.to_csv(path)
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,loss,accuracy,val_loss,val_accuracy,lr,time"
    assert len(lines) == 4
    again = History.from_csv(path)
    assert again.epoch == history.epoch
    assert again.history == history.history


def test_nan_survives_json_and_csv(tmp_path):
    h = History()
    h.append(0, {"loss": 1.5})
    h.append(1, {"loss": 1.0, "val_loss": 0.5})  # a name that appears late: NaN before it
    assert math.isnan(h.history["val_loss"][0])
    h.to_json(tmp_path / "h.json")
    h.to_csv(tmp_path / "h.csv")
    for again in (History.from_json(tmp_path / "h.json"), History.from_csv(tmp_path / "h.csv")):
        assert again.history["loss"] == [1.5, 1.0]
        assert math.isnan(again.history["val_loss"][0]) and again.history["val_loss"][1] == 0.5


def test_best(history):
    epoch, value = history.best("val_accuracy")
    assert value == max(history.history["val_accuracy"])
    assert history.history["val_accuracy"][epoch] == value
    with pytest.raises(KeyError, match="'nope' was not recorded"):
        history.best("nope")


def test_best_modes_ties_and_nan():
    h = History()
    for epoch, (loss, acc) in enumerate([(0.5, 0.7), (0.3, 0.9), (0.3, 0.9), (math.nan, math.nan)]):
        h.append(epoch, {"loss": loss, "val_accuracy": acc})
    assert h.best("loss") == (1, 0.3)  # the earliest of a tie; NaN never best
    assert h.best("val_accuracy") == (1, 0.9)  # "auto": an accuracy is maximised
    assert h.best("val_accuracy", mode="min") == (0, 0.7)
    assert h.best("loss", mode="max") == (0, 0.5)
    with pytest.raises(ValueError, match=r"mode must be one of \('auto', 'min', 'max'\); got 'maximum'"):
        h.best("loss", mode="maximum")  # silently minimised before


def test_a_failed_write_keeps_the_old_file(history, tmp_path, monkeypatch):
    path = tmp_path / "h.json"
    history.to_json(path)
    before = path.read_bytes()

    import deltaprop.training.history as module

    monkeypatch.setattr(module.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        history.to_json(path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_reading_garbage_fails_clearly(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"format": "other"}))
    with pytest.raises(ValueError, match="not a deltaprop history"):
        History.from_json(tmp_path / "x.json")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="first column must be 'epoch'"):
        History.from_csv(tmp_path / "x.csv")
    (tmp_path / "y.csv").write_text("epoch,loss\n0,1.0,3\n")
    with pytest.raises(ValueError, match="line 2 has 3 fields; expected 2"):
        History.from_csv(tmp_path / "y.csv")


def test_written_files_get_ordinary_permissions(history, tmp_path):
    import os

    umask = os.umask(0o022)
    os.umask(umask)
    history.to_json(tmp_path / "h.json")
    assert (tmp_path / "h.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_sums_of_an_interrupted_epoch_survive_json(digits, tmp_path):
    X_train, y_train, _, _ = digits

    class StopAt3(dp.Callback):
        def on_batch_end(self, batch, logs=None):
            if batch == 3:
                self.run.request_interrupt()

    net = dp.Network([64, 8, 10], seed=0)
    history = net.fit(X_train[:200], y_train[:200], 2, batch_size=20, seed=1, callbacks=[StopAt3()])
    partial = history.partial
    assert partial["epoch"] == 0 and partial["batch"] == 4
    assert isinstance(partial["correct"], int) and 0 <= partial["correct"] <= 80
    assert partial["loss_sum"] > 0
    history.to_json(tmp_path / "h.json")
    again = History.from_json(tmp_path / "h.json")
    assert again.partial == partial and again == history


@pytest.mark.parametrize(
    "partial",
    [
        {"epoch": -1, "batch": 2, "loss_sum": 1.0, "correct": 3},
        {"epoch": 0, "batch": 2, "loss_sum": "x"},
        {"epoch": 0, "batch": 2, "loss_sum": 1.0, "correct": -0.5},
        {"epoch": 0, "batch": 2, "loss_sum": 1.0, "correct": True},
        {"epoch": True, "batch": 2, "loss_sum": 1.0, "correct": 3},
        {"epoch": 0, "batch": 2, "loss_sum": 1.0, "correct": float("inf")},
        [1],
    ],
)
def test_a_malformed_partial_epoch_is_refused(history, partial):
    data = history.to_dict()
    data["partial"] = partial
    with pytest.raises(ValueError, match="history 'partial' must be null or"):
        History.from_dict(data)


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"epoch": ["x", 1, 2]}, r"history 'epoch' must hold epoch numbers ≥ 0; got 'x'"),
        ({"epoch": [0, 1.5, 2]}, r"history 'epoch' must hold epoch numbers ≥ 0; got 1\.5"),
        ({"epoch": [0, True, 2]}, r"history 'epoch' must hold epoch numbers ≥ 0; got True"),
        ({"epoch": "abc"}, r"holds 'epoch' \(a list\).*got epoch='abc'"),
        ({"params": 5}, r"history 'params' must be a dict; got 5"),
        ({"history": {"loss": [1.0, {}, 0.5]}}, r"history\['loss'\] must hold numbers \(or null\); got \{\}"),
        ({"history": {"loss": [1.0, "a", 0.5]}}, r"history\['loss'\] must hold numbers \(or null\); got 'a'"),
        # "has 1 values but 3 epochs are recorded" before: counts of 1 are singular
        ({"history": {"loss": [1.0]}}, r"history\['loss'\] has 1 value but the history records 3 epochs$"),
    ],
)
def test_a_damaged_history_is_refused_naming_what_and_where(history, change, pattern):
    # int() and float() refused these in their own words ("invalid literal for int()"), which
    # resume quoted as the reason a checkpoint was damaged; 1.5 and True were taken as epochs.
    data = history.to_dict()
    data.update(change)
    with pytest.raises(ValueError, match=pattern):
        History.from_dict(data)


def test_repr_counts_one_epoch_in_the_singular():
    history = History({})
    history.epoch = [0]
    history.history = {"loss": [0.5]}
    assert repr(history) == "History(1 epoch 0..0; last: loss=0.5)"


def test_partial_at_gives_the_sums_only_for_the_position_they_were_recorded_at():
    # fit resumes mid-epoch from these sums only at the exact epoch and mini-batch where the
    # interrupted run stopped; anywhere else the batches it runs are all it counts.
    h = History()
    assert h.partial_at(0, 3) is None
    h.partial = {"epoch": 2, "batch": 5, "loss_sum": 1.5, "correct": 7}
    assert h.partial_at(2, 5) == {"epoch": 2, "batch": 5, "loss_sum": 1.5, "correct": 7}
    assert h.partial_at(2, 4) is None
    assert h.partial_at(1, 5) is None
