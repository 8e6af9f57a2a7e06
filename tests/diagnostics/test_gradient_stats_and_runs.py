"""GradientStats records what backprop says, round-trips via JSON; diagnose_run, `deltaprop diagnose`."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.cli import diagnose as diagnose_command
from deltaprop.cli.errors import UsageError
from deltaprop.diagnostics import PERCENTILES, Diagnostics, GradientStats, diagnose_run, read_findings
from deltaprop.diagnostics.run import RunFiles, load_run_data


@pytest.fixture(scope="module")
def digits():
    X, y = dp.datasets.load("digits", split="train")
    return X[:400], y[:400]


def test_a_record_holds_the_percentiles_of_backprops_delta_and_gradient():
    rng = np.random.default_rng(0)
    X, y = rng.random((40, 5)), rng.integers(0, 3, 40)
    net = dp.Network([5, 4, 3], activation="relu", output_activation="softmax", cost="log_likelihood", seed=0)
    stats = GradientStats(X, y)
    record = stats.record(net, epoch=7)
    grads = net.backprop(X, y)
    for l in range(2):
        np.testing.assert_allclose(record["delta"][l], np.percentile(np.abs(grads.deltas[l]), PERCENTILES))
        np.testing.assert_allclose(record["grad_w"][l], np.percentile(np.abs(grads.weights[l]), PERCENTILES))
    assert record["epoch"] == 7 and record["cost"] == pytest.approx(grads.cost)
    assert record["saturated"] == [None, None]  # neither relu nor softmax saturate this way
    a1 = net.forward(X).o[1]
    assert record["dead"][0] == pytest.approx((a1 <= 0).all(axis=0).mean()) and record["dead"][1] is None


def test_the_vanishing_gradient_of_a_deep_logistic_net_shows_in_the_records(digits):
    X, y = digits
    net = dp.Network([64, 30, 30, 30, 10], init="normal_scaled", seed=0)
    stats = GradientStats(probe_size=128)
    dp.fit(net, X, y, epochs=2, learning_rate=1.0, seed=0, callbacks=[stats])
    assert stats.epochs.tolist() == [-1, 0, 1]  # before training, then each epoch end
    medians = stats.percentiles("delta")[:, :, PERCENTILES.index(50)]
    assert medians.shape == (3, 4)
    # with weights of size 1/√n_in each logistic layer back from the output shrinks δ (σ' ≤ 1/4)
    assert np.all(np.diff(medians, axis=1) > 0)
    assert medians[-1, 0] < medians[-1, -1] / 10


def test_every_records_every_nth_epoch_and_the_last(digits):
    X, y = digits
    stats = GradientStats(every=2, probe_size=32)
    dp.fit(dp.Network([64, 8, 10], seed=0), X, y, epochs=5, learning_rate=1.0, seed=0, callbacks=[stats])
    assert stats.epochs.tolist() == [-1, 0, 2, 4]


def test_json_round_trip_and_bad_files(tmp_path, digits):
    X, y = digits
    stats = GradientStats(X[:50], y[:50])
    net = dp.Network([64, 10, 10], seed=0)
    stats.record(net, 0)
    stats.record(net, 1)
    path = stats.to_json(tmp_path / "gradients.json")
    back = GradientStats.from_json(path)
    assert back.records == json.loads(path.read_text())["records"]
    np.testing.assert_array_equal(back.percentiles("grad_w"), stats.percentiles("grad_w"))
    assert back.layers == [{"activation": "logistic", "n_units": 10}] * 2
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    with pytest.raises(ValueError, match="not a gradient-statistics record"):
        GradientStats.from_json(tmp_path / "bad.json")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        GradientStats.from_json(tmp_path / "broken.json")
    with pytest.raises(ValueError, match="both X_probe and Y_probe"):
        GradientStats(X_probe=X)
    with pytest.raises(ValueError, match="every"):
        GradientStats(every=0)


def test_the_diagnostics_callback_reports_new_findings_and_saves_them(tmp_path, digits):
    X, y = digits

    class Watch(dp.Callback):
        def __init__(self, diag):
            self.diag, self.new = diag, []

        def on_epoch_end(self, epoch, logs=None):
            self.new.append([f.code for f in self.diag.new])

    live = Diagnostics()
    watch = Watch(live)
    dp.fit(
        dp.Network([64, 10, 10], seed=0),
        X * 255.0,
        y,
        epochs=3,
        learning_rate=3.0,
        seed=0,
        callbacks=[live, watch],
    )
    first_seen = [code for codes in watch.new for code in codes]
    assert len(first_seen) == len(set(first_seen))  # each finding announced once
    assert "unscaled-inputs" in {f.code for f in live.findings}
    path = live.to_json(tmp_path / "diagnostics.json")
    assert read_findings(path) == live.findings


def _write_run(run_dir, net, history, stats):
    run_dir.mkdir()
    dp.files.save(net, run_dir / "model.safetensors")
    history.to_json(run_dir / "history.json")
    stats.to_json(run_dir / "gradients.json")
    (run_dir / "config.toml").write_text('[data]\nname = "digits"\n')
    return run_dir


def test_diagnose_run_reads_a_stuck_run_and_writes_nothing(tmp_path, digits):
    X, y = digits
    net = dp.Network([64, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    stats = GradientStats(probe_size=64)
    history = dp.fit(net, X, y, epochs=3, learning_rate=100.0, seed=0, callbacks=[stats])
    run_dir = _write_run(tmp_path / "run", net, history, stats)
    before = sorted(p.name for p in run_dir.iterdir())
    codes = {f.code for f in diagnose_run(run_dir)}
    assert {"cost-rising", "chance-level"} <= codes
    assert sorted(p.name for p in run_dir.iterdir()) == before


def test_diagnose_run_finds_a_divergence_recorded_in_the_history(tmp_path):
    X, y = dp.datasets.load("digits", split="train")
    net = dp.Network([64, 30, 10], activation="relu", output_activation="linear", seed=0)
    stats = GradientStats(probe_size=64)
    history = dp.fit(net, X, y, epochs=3, learning_rate=100.0, seed=0, callbacks=[stats, dp.TerminateOnNaN()])
    assert history.stopped_reason.startswith("training diverged")
    run_dir = _write_run(tmp_path / "diverged", net, history, stats)
    found = diagnose_run(run_dir)
    assert found[0].code == "diverged" and found[0].severity == "error"


def _parse(argv):
    parser = argparse.ArgumentParser(prog="deltaprop")
    diagnose_command.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_the_diagnose_command_prints_a_table_or_no_problems(tmp_path, digits, capsys):
    X, y = digits
    stuck = dp.Network([64, 30, 10], seed=0)
    stats = GradientStats(probe_size=64)
    history = dp.fit(stuck, X, y, epochs=4, learning_rate=100.0, seed=0, callbacks=[stats])
    args = _parse(["diagnose", str(_write_run(tmp_path / "stuck", stuck, history, stats))])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "stuck" in out and "error" in out and "no problems" not in out

    healthy = dp.Network([64, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    stats = GradientStats(probe_size=64)
    history = dp.fit(healthy, X, y, epochs=3, learning_rate=0.5, seed=0, callbacks=[stats])
    args = _parse(["diagnose", str(_write_run(tmp_path / "healthy", healthy, history, stats))])
    assert args.run(args) == 0
    assert "no problems found" in capsys.readouterr().out


def test_the_diagnose_command_refuses_what_is_not_a_run_folder(tmp_path):
    args = _parse(["diagnose", str(tmp_path / "nope")])
    with pytest.raises(UsageError, match="does not exist"):
        args.run(args)
    args = _parse(["diagnose", str(tmp_path)])
    with pytest.raises(UsageError, match="model.safetensors"):
        args.run(args)


def test_a_resumed_run_is_judged_on_all_its_epochs(digits):
    X, y = digits
    net = dp.Network([64, 30, 10], seed=0)
    history = dp.fit(net, X, y, epochs=2, learning_rate=1e-4, seed=0)
    live = Diagnostics()
    dp.fit(
        net, X, y, epochs=5, learning_rate=1e-4, seed=0, initial_epoch=2, history=history, callbacks=[live]
    )
    # two epochs ran here, too few for a trend alone (3); with the first two, the cost is flat
    assert "cost-flat" in {f.code for f in live.findings}


@pytest.mark.parametrize(
    ("config", "name", "path", "seed"),
    [
        # as 'deltaprop train' writes it: the source not used is ""
        ({"data": {"name": "moons", "path": ""}, "training": {"seed": 3}}, "moons", None, 3),
        ({"data": {"name": "", "path": "/d/pets.csv"}, "training": {"seed": 0}}, None, "/d/pets.csv", 0),
        ({"data": {"name": "digits", "path": "/d/pets.csv"}}, "digits", None, None),  # a name wins
        ({}, None, None, None),  # no config.toml
        ({"data": "digits", "training": 7}, None, None, None),  # not tables: nothing is read from them
        ({"data": {"name": 5}, "training": {"seed": True}}, None, None, None),  # wrong types
    ],
)
def test_a_runs_data_table_is_read_in_one_place(tmp_path, config, name, path, seed):
    run = RunFiles(tmp_path, config=config)
    assert (run.data_name, run.data_path, run.seed) == (name, path, seed)
    if name is None and path is None:
        assert load_run_data(run) is None and "names no data set" in run.missing["data"]


def test_the_callbacks_take_a_probe_without_copying_the_training_set():
    """Diagnostics and GradientStats read a probe of the training rows and the scale of X as it
    is: neither copies the data set (on MNIST that was 1.3 GB of a 360 MB run)."""
    import tracemalloc

    rng = np.random.default_rng(0)
    X = rng.random((6000, 784))  # 37.6 MB, float64 like the network: fit itself copies nothing
    y = rng.integers(0, 10, 6000)
    X[5, 7] = 255.0  # one unscaled value: the scale check must still see every row
    net = dp.Network([784, 8, 10], seed=0)
    diagnostics, stats = Diagnostics(), GradientStats(every=1)
    tracemalloc.start()
    try:
        net.fit(
            X,
            y,
            epochs=1,
            batch_size=500,
            learning_rate=0.1,
            seed=0,
            validation_split=0.1,
            callbacks=[diagnostics, stats],
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes / 2, f"peak {peak / 2**20:.1f} MB for {X.nbytes / 2**20:.1f} MB of data"
    assert "unscaled-inputs" in {f.code for f in diagnostics.findings}
    assert stats.X_probe.shape[0] == min(stats.probe_size, 5400)
