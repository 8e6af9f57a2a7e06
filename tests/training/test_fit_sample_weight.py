"""``fit(..., sample_weight=)`` and ``evaluate(..., sample_weight=)``: per-sample weights through
the training loop — the shuffle, the validation split, the logged metrics — on real digits."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import Callback, evaluate, fit
from deltaprop.training.step import Step

ETA = 0.5


@pytest.fixture(scope="module")
def digits():
    X, y = dp.datasets.load_digits("train")
    X, y = X[:120].astype(np.float64), y[:120]
    s = np.random.default_rng(0).uniform(0.0, 2.0, size=len(y))
    s[::7] = 0.0
    return X, y, s


def _net(seed=1, **kwargs):
    kwargs.setdefault("output_activation", "softmax")
    kwargs.setdefault("cost", "log_likelihood")
    return dp.Network([64, 12, 10], seed=seed, **kwargs)


def _assert_same(a, b, atol=0.0):
    for x, y in zip(a.weights + a.biases, b.weights + b.biases):
        if atol:
            np.testing.assert_allclose(x, y, rtol=0, atol=atol)
        else:
            np.testing.assert_array_equal(x, y)


class _Spy(Callback):
    def on_train_begin(self, logs=None):
        self.val_index, self.optimizer = self.run.val_index, self.run.optimizer


def test_unit_weights_train_exactly_as_no_weights(digits):
    X, y, _ = digits
    plain, weighted = _net(), _net()
    h0 = fit(plain, X, y, 2, batch_size=16, learning_rate=ETA, seed=3)
    h1 = fit(weighted, X, y, 2, batch_size=16, learning_rate=ETA, seed=3, sample_weight=np.ones(len(y)))
    _assert_same(plain, weighted)
    np.testing.assert_allclose(h1.history["loss"], h0.history["loss"], rtol=1e-14)
    assert h1.history["accuracy"] == h0.history["accuracy"]


def test_weights_follow_their_rows_through_the_shuffle(digits):
    """fit's epochs are the generic step on the order default_rng([seed, e]).permutation(n),
    each batch given its rows' weights; the logged loss is Σ s C_x / Σ s over the epoch."""
    X, y, s = digits
    net, by_hand = _net(), _net()
    history = fit(net, X, y, 2, batch_size=16, learning_rate=ETA, seed=4, sample_weight=s)
    step, Y = Step(by_hand, dp.SGD(ETA), 16), np.eye(10)[y]
    for epoch in range(2):
        order = np.random.default_rng([4, epoch]).permutation(len(y))
        weighted_sum = 0.0
        for start in range(0, len(y), 16):
            rows = order[start : start + 16]
            weighted_sum += step(X[rows], Y[rows], None, s[rows]) * s[rows].sum()
        assert history.history["loss"][epoch] == pytest.approx(weighted_sum / s.sum(), rel=1e-12)
    _assert_same(net, by_hand, atol=1e-12)


def test_integer_weights_equal_repeated_rows_in_one_full_batch_step(digits):
    X, y, _ = digits
    s = np.random.default_rng(2).integers(0, 4, size=len(y))
    rows = np.repeat(np.arange(len(y)), s)
    weighted, repeated = _net(), _net()
    h0 = fit(weighted, X, y, 1, batch_size=None, learning_rate=ETA, shuffle=False, sample_weight=s, seed=0)
    h1 = fit(repeated, X[rows], y[rows], 1, batch_size=None, learning_rate=ETA, shuffle=False, seed=0)
    _assert_same(weighted, repeated, atol=1e-13)
    assert h0.history["loss"][0] == pytest.approx(h1.history["loss"][0], rel=1e-13)
    assert h0.history["accuracy"][0] == pytest.approx(h1.history["accuracy"][0], rel=1e-13)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_mini_batch_of_weight_zero_makes_no_step(digits, optimizer):
    """Rows 0..15 weigh 0: their batch is skipped, the optimizer's step count included, and the
    run ends where a run on the other rows alone ends."""
    X, y, _ = digits
    s = np.ones(len(y))
    s[:16] = 0.0
    skipped, rest = _net(), _net()
    opt = dp.optimizers.get(optimizer, learning_rate=0.01)
    history = fit(skipped, X, y, 1, batch_size=16, optimizer=opt, shuffle=False, sample_weight=s, seed=0)
    fit(
        rest, X[16:], y[16:], 1, batch_size=16, optimizer=optimizer, learning_rate=0.01, shuffle=False, seed=0
    )
    assert opt.iterations == history.params["steps"] - 1
    _assert_same(skipped, rest)
    assert np.isfinite(history.history["loss"][0])


def test_validation_split_weighs_the_rows_it_holds_out(digits):
    X, y, s = digits
    net, spy = _net(), _Spy()
    history = fit(
        net,
        X,
        y,
        1,
        batch_size=16,
        learning_rate=ETA,
        seed=5,
        validation_split=0.25,
        sample_weight=s,
        callbacks=[spy],
    )
    val = spy.val_index
    expected = evaluate(net, X[val], y[val], sample_weight=s[val])
    assert history.history["val_loss"][0] == pytest.approx(expected["loss"], rel=1e-12)
    assert history.history["val_accuracy"][0] == pytest.approx(expected["accuracy"], rel=1e-12)
    assert expected["loss"] != pytest.approx(evaluate(net, X[val], y[val])["loss"], rel=1e-6)


def test_validation_data_takes_weights_as_a_third_item(digits):
    X, y, s = digits
    net = _net()
    triple = fit(net, X[:80], y[:80], 1, learning_rate=ETA, seed=0, validation_data=(X[80:], y[80:], s[80:]))
    expected = evaluate(net, X[80:], y[80:], sample_weight=s[80:])
    assert triple.history["val_loss"][0] == pytest.approx(expected["loss"], rel=1e-12)


def test_evaluate_with_integer_weights_equals_repeated_rows(digits):
    X, y, _ = digits
    s = np.random.default_rng(3).integers(0, 3, size=len(y))
    rows = np.repeat(np.arange(len(y)), s)
    net = _net()
    weighted, repeated = net.evaluate(X, y, sample_weight=s), net.evaluate(X[rows], y[rows])
    assert weighted["loss"] == pytest.approx(repeated["loss"], rel=1e-13)
    assert weighted["accuracy"] == pytest.approx(repeated["accuracy"], rel=1e-13)
    assert dp.training.accuracy(net, X, y, sample_weight=s) == weighted["accuracy"]


def test_l2_decay_keeps_n_the_number_of_training_samples(digits):
    X, y, s = digits
    net, spy = _net(), _Spy()
    fit(net, X, y, 1, optimizer=dp.SGD(ETA, l2=1.0), sample_weight=s * 10, seed=0, callbacks=[spy])
    assert spy.optimizer.n_train == len(y)


def test_network_fit_takes_sample_weight(digits):
    X, y, s = digits
    a, b = _net(), _net()
    a.fit(X, y, epochs=1, batch_size=16, learning_rate=ETA, seed=1, sample_weight=s)
    fit(b, X, y, 1, batch_size=16, learning_rate=ETA, seed=1, sample_weight=s)
    _assert_same(a, b)


BAD = [
    (lambda n: np.ones(n - 1), r"sample_weight has 119 weights, but X has 120 samples"),
    (lambda n: np.ones((n, 1)), r"sample_weight must be 1-D.*\(120, 1\)"),
    (lambda n: np.r_[np.ones(n - 1), -2.0], r"sample_weight must be ≥ 0; got -2.0 at index 119"),
    (
        lambda n: np.r_[np.nan, np.ones(n - 1)],
        r"sample_weight contains NaN.*index \(0,\): nan",
    ),
    (lambda n: np.zeros(n), r"sample_weight is all 0 \(120 weights\)"),
]


@pytest.mark.parametrize(("make", "match"), BAD)
def test_bad_weights_are_refused_before_anything_changes(digits, make, match):
    X, y, _ = digits
    net = _net()
    before = net.copy()
    with pytest.raises(ValueError, match=match):
        fit(net, X, y, 1, sample_weight=make(len(y)))
    _assert_same(net, before)


def test_a_split_whose_training_rows_all_weigh_zero_is_refused(digits):
    X, y, _ = digits
    spy = _Spy()
    fit(_net(), X, y, 0, validation_split=0.5, seed=9, callbacks=[spy])
    s = np.zeros(len(y))
    s[spy.val_index] = 1.0
    with pytest.raises(ValueError, match=r"sample_weight is 0 on all 60 training rows"):
        fit(_net(), X, y, 1, validation_split=0.5, seed=9, sample_weight=s)
    with pytest.raises(ValueError, match=r"sample_weight is 0 on all 60 validation rows"):
        fit(_net(), X, y, 1, validation_split=0.5, seed=9, sample_weight=1.0 - s)


def test_evaluate_refuses_bad_weights_by_name(digits):
    X, y, _ = digits
    with pytest.raises(ValueError, match=r"sample_weight must be ≥ 0; got -1"):
        evaluate(_net(), X[:3], y[:3], sample_weight=[1, -1, 1])


class _InterruptAt(Callback):
    def __init__(self, batch):
        self.batch = batch

    def on_batch_end(self, batch, logs=None):
        if batch == self.batch:
            self.run.request_interrupt()


@pytest.mark.parametrize("through_file", [False, True], ids=["in memory", "through history.json"])
def test_a_weighted_run_resumed_mid_epoch_logs_what_an_uninterrupted_one_does(digits, through_file, tmp_path):
    """Read back from its file too: a weighted epoch's partial accuracy is a sum of weights, a
    float, which History.from_json must accept."""
    X, y, s = digits
    whole, parts = _net(), _net()
    kwargs = dict(batch_size=16, seed=7, sample_weight=s)
    expected = fit(whole, X, y, 2, optimizer=dp.SGD(ETA, momentum=0.5), **kwargs)
    opt = dp.SGD(ETA, momentum=0.5)
    history = fit(parts, X, y, 2, optimizer=opt, callbacks=[_InterruptAt(2)], **kwargs)
    assert history.partial["batch"] == 3
    assert isinstance(history.partial["correct"], float) and history.partial["correct"] > 0
    if through_file:
        history.to_json(tmp_path / "history.json")
        partial, history = history.partial, dp.History.from_json(tmp_path / "history.json")
        assert history.partial == partial
    fit(parts, X, y, 2, optimizer=opt, initial_epoch=0, initial_batch=3, history=history, **kwargs)
    _assert_same(whole, parts)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(history.history[key], expected.history[key], rtol=1e-14)
