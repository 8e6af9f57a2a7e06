"""Ctrl-C in the middle of training. scikit-learn's MLP keeps what it trained and warns
"Training interrupted by user."; the estimators here keep it, warn, and let the
KeyboardInterrupt go on. Before, a KeyboardInterrupt was treated as a refusal: every attribute
was put back (loss_curve_, t_, n_iter_ said nothing had happened) while network_'s weights and
optimizer_'s state, changed in place, kept every step (the audit's Ctrl-C after 1 s: t_ 100,
6,024 steps in the weights).

The interrupt is raised by the optimizer itself, before a known step (``at``: its step count),
so each test knows exactly how many steps ran."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

import deltaprop as dp
from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor

X, Y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)
ORDER = np.random.default_rng(0).permutation(len(Y))  # classes mixed, so that any rows hold all three
X, Y = X[ORDER], Y[ORDER]
BATCH = 10
PARAMS = dict(hidden_layer_sizes=(8,), batch_size=BATCH, shuffle=False, random_state=0)


class InterruptingAdam(dp.Adam):
    """Adam that raises KeyboardInterrupt instead of taking a step after ``at`` steps."""

    at: int | None = None

    def step(self, net, grads):
        if self.iterations == self.at:
            raise KeyboardInterrupt
        super().step(net, grads)


def interrupting_adam(at: int) -> InterruptingAdam:
    optimizer = InterruptingAdam()
    optimizer.at = at
    return optimizer


def interrupted(estimator, method: str, *args, **kwargs):
    with pytest.warns(UserWarning, match="Training interrupted by user") as caught:
        with pytest.raises(KeyboardInterrupt):
            getattr(estimator, method)(*args, **kwargs)
    assert caught[0].filename == __file__  # points at the call
    return str(caught[0].message)


def assert_same_weights(a, b):
    for ours, theirs in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(ours, theirs)


def test_an_interrupted_partial_fit_keeps_its_steps_and_counts_them():
    """The audit's case: the second partial_fit is cut after 7 of its 12 steps. The weights and
    the optimizer hold those 7 steps; t_ counts their 70 rows; no epoch was completed."""
    clf = DeltapropClassifier(**PARAMS, optimizer=interrupting_adam(at=10 + 7))
    clf.partial_fit(X[:100], Y[:100], classes=[0, 1, 2])  # 10 steps
    message = interrupted(clf, "partial_fit", X[30:150], Y[30:150])
    assert clf.optimizer_.iterations == 17 and clf.t_ == 100 + 7 * BATCH
    assert len(clf.loss_curve_) == 1 and clf.n_iter_ == 0
    assert "0 epochs completed (n_iter_, loss_curve_) and 70 samples of an unfinished one" in message
    # The same 17 steps, uninterrupted: rows 30..100 are the first 7 mini-batches of the call.
    ref = DeltapropClassifier(**PARAMS).partial_fit(X[:100], Y[:100], classes=[0, 1, 2])
    ref.partial_fit(X[30:100], Y[30:100])
    assert_same_weights(clf, ref)
    assert ref.optimizer_.iterations == 17 and ref.t_ == clf.t_
    # and the next call goes on from there, as after any other partial_fit
    clf.optimizer_.at = None
    clf.partial_fit(X[:100], Y[:100])
    ref.partial_fit(X[:100], Y[:100])
    assert_same_weights(clf, ref)
    assert clf.t_ == ref.t_ == 270 and len(clf.loss_curve_) == 2


def test_an_interrupted_fit_is_fitted_with_the_epochs_it_completed():
    """15 steps an epoch: cut after 2 epochs and 3 steps, a cold fit is a fitted estimator with
    those 2 epochs recorded, and the weights of all 33 steps."""
    clf = DeltapropRegressor(**PARAMS, epochs=5, optimizer=interrupting_adam(at=2 * 15 + 3))
    message = interrupted(clf, "fit", X, Y.astype(float))
    assert clf.n_iter_ == len(clf.loss_curve_) == len(clf.history_["time"]) == 2
    assert clf.t_ == 2 * 150 + 3 * BATCH and clf.optimizer_.iterations == 33
    assert "2 epochs completed" in message and "t_ = 330 samples" in message
    ref = DeltapropRegressor(**PARAMS, epochs=2).fit(X, Y.astype(float))
    ref.partial_fit(X[:30], Y[:30].astype(float))  # 3 more steps on the rows of the third epoch's start
    assert clf.loss_curve_ == ref.loss_curve_[:2]
    assert_same_weights(clf, ref)
    assert clf.predict(X).shape == (150,)


def test_a_fit_interrupted_between_epochs_counts_whole_epochs():
    clf = DeltapropClassifier(**PARAMS, epochs=5, optimizer=interrupting_adam(at=3 * 15))
    message = interrupted(clf, "fit", X, Y)
    assert clf.n_iter_ == 3 and clf.t_ == 3 * 150 and "unfinished" not in message


def test_a_fit_interrupted_in_its_first_epoch_keeps_the_network_it_trained():
    """Chosen: the steps are kept (as scikit-learn's MLP keeps them), not thrown away with the new
    network; the estimator is fitted, with no epoch recorded (as after a first epoch that diverged)."""
    clf = DeltapropClassifier(**PARAMS, optimizer=interrupting_adam(at=4))
    interrupted(clf, "fit", X, Y)
    assert clf.loss_curve_ == [] and clf.n_iter_ == 0 and clf.t_ == 4 * BATCH and np.isnan(clf.loss_)
    ref = DeltapropClassifier(**PARAMS, epochs=1).fit(X[:40], Y[:40])
    assert_same_weights(clf, ref)
    assert clf.predict(X).shape == (150,)


def test_an_interrupted_fit_with_early_stopping_ends_on_its_best_epoch():
    """As scikit-learn's MLP does, and as this fit does at any end: the weights of the epoch of
    lowest validation cost, whose score best_validation_score_ is."""
    params = dict(PARAMS, early_stopping=True, n_iter_no_change=50)
    ref = DeltapropClassifier(**params, epochs=4)
    with pytest.warns(ConvergenceWarning):
        ref.fit(X, Y)
    steps = -(-135 // BATCH)  # 15 of the 150 rows held out
    clf = DeltapropClassifier(**params, epochs=9, optimizer=interrupting_adam(at=4 * steps + 5))
    message = interrupted(clf, "fit", X, Y)
    assert "with the weights of the epoch of lowest validation cost" in message
    assert_same_weights(clf, ref)
    assert clf.validation_scores_ == ref.validation_scores_ and clf.n_iter_ == 4
    assert clf.best_validation_score_ == ref.best_validation_score_ and clf.t_ == ref.t_ + 5 * BATCH


@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_an_interrupt_before_the_first_step_changes_nothing(method):
    """Before training starts nothing was trained: the estimator is put back, as after a refusal."""
    clf = DeltapropClassifier(**PARAMS, epochs=1, optimizer=InterruptingAdam()).fit(X, Y)
    before = [w.copy() for w in clf.coefs_]
    network, history = clf.network_, clf.history_
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "interrupted" warning: nothing was kept
        with pytest.raises(KeyboardInterrupt):
            if method == "fit":
                clf.set_params(optimizer=interrupting_adam(at=0)).fit(X, Y)  # builds a new network
            else:
                clf.optimizer_.at = clf.optimizer_.iterations
                clf.partial_fit(X, Y)
    assert clf.network_ is network and clf.history_ is history and clf.t_ == 150 and clf.n_iter_ == 1
    assert all(np.array_equal(a, b) for a, b in zip(before, clf.coefs_))
    fresh = DeltapropRegressor(**PARAMS, optimizer=interrupting_adam(at=0))
    with pytest.raises(KeyboardInterrupt):
        fresh.fit(X, Y.astype(float))
    assert not hasattr(fresh, "network_") and not hasattr(fresh, "n_features_in_")
