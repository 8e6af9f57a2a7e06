"""Invariants, checked over many random cases (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import deltaprop as dp
from deltaprop.training import History, evaluate, fit


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), chunk=st.integers(1, 70), seed=st.integers(0, 2**32 - 1))
def test_evaluate_does_not_depend_on_the_split_into_chunks(n, chunk, seed):
    rng = np.random.default_rng(seed)
    net = dp.Network([3, 4, 3], seed=seed)
    X = rng.normal(size=(n, 3))
    y = rng.integers(0, 3, size=n)
    whole = evaluate(net, X, y, batch_size=n)
    split = evaluate(net, X, y, batch_size=chunk)
    assert math.isclose(split["loss"], whole["loss"], rel_tol=1e-12)
    assert split["accuracy"] == whole["accuracy"] == np.mean(net.predict_classes(X) == y)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 40), batch_size=st.integers(1, 45), seed=st.integers(0, 2**63))
def test_every_sample_is_used_once_per_epoch(n, batch_size, seed):
    """The mini-batches of an epoch are full but for the last, and their sizes add up to n."""
    sizes = []

    class Sizes(dp.Callback):
        def on_batch_end(self, batch, logs=None):
            sizes.append(logs["size"])

    X = np.random.default_rng(0).normal(size=(n, 2))
    y = np.arange(n) % 2
    history = fit(dp.Network([2, 2], seed=0), X, y, 1, batch_size=batch_size, seed=seed, callbacks=[Sizes()])
    assert sum(sizes) == n and len(sizes) == history.params["steps_per_epoch"]
    assert all(s == min(batch_size, n) for s in sizes[:-1])


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(finite, finite | st.just(math.nan)), min_size=0, max_size=8))
def test_history_round_trips_through_json_and_csv(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("h")
    h = History({"seed": 3})
    for epoch, (loss, val_loss) in enumerate(rows):
        h.append(epoch, {"loss": loss, "val_loss": val_loss})
    h.to_json(folder / "h.json")
    h.to_csv(folder / "h.csv")
    for again in (History.from_json(folder / "h.json"), History.from_csv(folder / "h.csv")):
        assert again.epoch == h.epoch
        for key, values in h.history.items():
            assert len(again.history[key]) == len(values)
            for a, b in zip(again.history[key], values):
                assert a == b or (math.isnan(a) and math.isnan(b))
