"""The scikit-learn estimators: scikit-learn's own checks, pipelines, grid search, clone, and a
differential test against scikit-learn's MLPRegressor."""

from __future__ import annotations

import inspect
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes, load_iris, make_regression
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import deltaprop as dp
from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor
from deltaprop.training import fit

# Small enough that each of scikit-learn's ~100 checks fits in a fraction of a second, large
# enough to pass its accuracy checks (≥ 0.83 on its blobs, R² > 0.5 on its regression set).
SMALL = dict(hidden_layer_sizes=(8,), epochs=20, batch_size=16, learning_rate=0.01, random_state=0)
SMALL_NO_ETA = {key: value for key, value in SMALL.items() if key != "learning_rate"}  # beside an Optimizer

IRIS_X, IRIS_Y = load_iris(return_X_y=True)
IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])[IRIS_Y]


PARTIAL_FIT_REFUSES = (
    "partial_fit refuses early_stopping=True with a ValueError, as scikit-learn's MLP does (one "
    "epoch on the data given has no validation set to watch), and this check calls partial_fit"
)
TOO_FEW_TO_VALIDATE = (
    "the check fits {n} samples, of which validation_fraction={fraction} holds out {held} (class by "
    "class for labels, ceil(fraction × n) for real targets), fewer than the 2 early stopping needs, "
    "so fit refuses where the check expects it to train or to name another problem (scikit-learn's "
    "MLP refuses it too: 'The validation set is too small')"
)


def expected_failed_checks(estimator) -> dict[str, str]:
    """The checks expected to fail, each with its reason; every other check passes (scikit-learn's
    own MLP fails these and more with early_stopping=True). With pandas absent, the DataFrame
    checks are skipped by scikit-learn itself, as are the array-API ones without SCIPY_ARRAY_API.
    The README's "With scikit-learn" section lists the failures at the default settings."""
    regressor = isinstance(estimator, DeltapropRegressor)
    expected = {}
    weights = "check_sample_weight_equivalence_on_dense_data"
    if estimator.batch_size != "auto":
        expected[weights] = (
            "mini-batch SGD over shuffled rows: a row of weight 2 and the same row given twice fall "
            "into different mini-batches, so the steps differ (scikit-learn tests its MLPs' weights "
            "with lbfgs, a full batch); one full-batch step does match the repeated rows "
            "(tests/training/test_fit_sample_weight.py)"
        )
    elif estimator.dtype == "float32":
        expected[weights] = (
            "float32 arithmetic: a row weighted 2 and the same row given twice are summed in another "
            "order, and the rounding differences (float32 carries about 7 digits) exceed the check's "
            "rtol=1e-7"
        )
    elif estimator.early_stopping:
        expected[weights] = (
            TOO_FEW_TO_VALIDATE.format(n=15, fraction=0.1, held="1")
            if not regressor
            else "the early-stopping split is drawn from the rows given: copies of a repeated row can "
            "fall on both sides of it where the weighted row falls on one, so the two fits train and "
            "validate on different data"
        )
    if regressor and estimator.dtype == "float32":
        expected["check_regressor_multioutput"] = (
            "dtype='float32' asks for a float32 network, so its predictions are float32; the "
            "check wants float64 ones whatever the estimator's dtype"
        )
    if estimator.early_stopping:
        for check in [
            "check_fit_score_takes_y",
            "check_n_features_in_after_fitting",
            "check_estimators_partial_fit_n_features",
        ]:
            expected[check] = PARTIAL_FIT_REFUSES
    if estimator.early_stopping and estimator.validation_fraction < 0.2:  # 1 (or 0) of 10 samples
        small = TOO_FEW_TO_VALIDATE.format(n=10, fraction=estimator.validation_fraction, held="1 or 0")
        expected["check_estimators_nan_inf"] = expected["check_fit2d_1feature"] = small
        if regressor:
            expected["check_regressors_no_decision_function"] = small
        else:  # its fit is refused before partial_fit is reached
            expected["check_n_features_in_after_fitting"] = TOO_FEW_TO_VALIDATE.format(
                n=15, fraction=estimator.validation_fraction, held="0"
            )
    if estimator.early_stopping and regressor:
        expected["check_fit2d_1sample"] = (
            "one sample cannot be split into training and validation sets; the refusal says so "
            "('holds out 0 of the 1 training samples'), not in the words the check looks for"
        )
    return expected


# An expected failure that passes fails the run, where scikit-learn can say so (1.8 and later;
# under deltaprop's minimum, 1.6, it is reported as XPASS)
CAN_BE_STRICT = "xfail_strict" in inspect.signature(parametrize_with_checks).parameters
STRICT = {"xfail_strict": True} if CAN_BE_STRICT else {}


# The README's settings (the defaults, float32, early stopping with its default
# validation_fraction=0.1), mini-batches of 16, and early stopping that holds out enough of the
# checks' small data sets to train (validation_fraction=0.2).
@parametrize_with_checks(
    [
        DeltapropClassifier(random_state=0),
        DeltapropRegressor(random_state=0),
        DeltapropClassifier(dtype="float32", random_state=0),
        DeltapropRegressor(dtype="float32", random_state=0),
        DeltapropClassifier(early_stopping=True, random_state=0),
        DeltapropRegressor(early_stopping=True, random_state=0),
        DeltapropClassifier(**SMALL),
        DeltapropRegressor(**SMALL),
        DeltapropClassifier(**SMALL, early_stopping=True, validation_fraction=0.2),
        DeltapropRegressor(**SMALL, early_stopping=True, validation_fraction=0.2),
    ],
    expected_failed_checks=expected_failed_checks,
    **STRICT,
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


# --- fitting and the fitted attributes ---------------------------------------------------


def test_classifier_learns_iris_with_string_labels():
    clf = make_pipeline(StandardScaler(), DeltapropClassifier(**{**SMALL, "epochs": 60}))
    clf.fit(IRIS_X, IRIS_NAMES)
    model = clf[-1]
    assert list(model.classes_) == ["setosa", "versicolor", "virginica"]
    assert model.n_features_in_ == 4
    assert clf.score(IRIS_X, IRIS_NAMES) > 0.9
    assert set(clf.predict(IRIS_X)) <= set(IRIS_NAMES)
    proba = clf.predict_proba(IRIS_X)
    assert proba.shape == (150, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(model.classes_[proba.argmax(axis=1)], clf.predict(IRIS_X))


def test_fitted_network_and_views_share_memory():
    clf = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_Y)
    net = clf.network_
    assert isinstance(net, dp.Network)
    assert net.sizes == [4, 8, 3]
    assert net.activation_names == ["relu", "softmax"] and net.cost.name == "log_likelihood"
    assert net.init == "he_normal"
    for l in range(2):
        assert clf.coefs_[l] is net.weights[l] and clf.intercepts_[l] is net.biases[l]
    assert clf.coefs_[0].shape == (4, 8) and clf.intercepts_[1].shape == (3,)
    before = clf.predict_proba(IRIS_X[:3])
    clf.coefs_[1][:] = 0.0  # the same memory: zero output weights leave only the biases
    clf.intercepts_[1][:] = 0.0
    assert not np.allclose(before, clf.predict_proba(IRIS_X[:3]))
    assert np.allclose(clf.predict_proba(IRIS_X[:3]), 1 / 3)


def test_history_and_loss_curve():
    clf = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_Y)
    assert clf.n_iter_ == 20
    assert len(clf.loss_curve_) == 20 and clf.loss_curve_ is clf.history_["loss"]
    assert set(clf.history_) >= {"loss", "accuracy", "lr", "time"}
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert clf.history_["lr"] == [0.01] * 20


def test_same_random_state_same_network_and_different_seeds_differ():
    a = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_Y)
    b = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_Y)
    c = DeltapropClassifier(**{**SMALL, "random_state": 1}).fit(IRIS_X, IRIS_Y)
    assert all(np.array_equal(x, y) for x, y in zip(a.coefs_, b.coefs_))
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_regressor_single_and_multi_output():
    X, y = make_regression(n_samples=120, n_features=4, n_targets=2, noise=0.1, random_state=0)
    y = y / y.std(axis=0)
    model = make_pipeline(StandardScaler(), DeltapropRegressor(**{**SMALL, "epochs": 80}))
    model.fit(X, y)
    assert model.predict(X).shape == (120, 2)
    assert model.score(X, y) > 0.9
    model.fit(X, y[:, 0])
    assert model.predict(X).shape == (120,)
    reg = model[-1]
    assert reg.network_.sizes == [4, 8, 1] and reg.network_.activation_names == ["relu", "linear"]
    assert reg.network_.cost.name == "quadratic"


def test_regressor_accepts_a_column_target():
    X, y = make_regression(n_samples=40, n_features=3, random_state=1)
    reg = DeltapropRegressor(**SMALL).fit(X, y[:, None])
    assert reg.predict(X).shape == (40,)


def scikit_learn_stop(scores, tol, n_iter_no_change):
    """(epochs run, index of the best epoch) by scikit-learn's MLP early-stopping rule,
    transcribed from ``_update_no_improvement_count`` and the loop of ``_fit_stochastic``
    (scikit-learn 1.9): a score below best + tol is a miss, any other resets the count; a
    score above the best becomes the best (its weights kept); stop once count > n_iter_no_change."""
    best, best_at, count = -np.inf, None, 0
    for epoch, score in enumerate(scores):
        count = count + 1 if score < best + tol else 0
        if score > best:
            best, best_at = score, epoch
        if count > n_iter_no_change:
            return epoch + 1, best_at
    return len(scores), best_at


def test_early_stopping_counts_as_scikit_learns_mlp_on_the_validation_cost():
    """The score scikit-learn watches is −val_loss here: the same rule, run side by side."""
    X = StandardScaler().fit_transform(IRIS_X)
    params = dict(SMALL, epochs=300, learning_rate=0.05, early_stopping=True, validation_fraction=0.2)
    for n_iter_no_change, tol in [(3, 0.0), (2, 0.01)]:
        free = DeltapropClassifier(**params, n_iter_no_change=10_000, tol=tol).fit(X, IRIS_Y)
        scores = [-v for v in free.history_["val_loss"]]
        n_iter, best = scikit_learn_stop(scores, tol, n_iter_no_change)
        assert n_iter < 300
        clf = DeltapropClassifier(**params, n_iter_no_change=n_iter_no_change, tol=tol).fit(X, IRIS_Y)
        assert clf.n_iter_ == n_iter  # e.g. best + 1 + (n_iter_no_change + 1) without ties
        assert clf.history_["val_loss"] == free.history_["val_loss"][:n_iter]
        # The weights it ends with are those of the best epoch: a run stopped by hand there.
        short = DeltapropClassifier(**{**params, "epochs": best + 1}, n_iter_no_change=10_000).fit(X, IRIS_Y)
        for got, want in zip(clf.coefs_ + clf.intercepts_, short.coefs_ + short.intercepts_):
            np.testing.assert_array_equal(got, want)


def test_early_stopping_keeps_an_improvement_smaller_than_tol():
    """scikit-learn counts an improvement by less than tol as a miss, but still keeps its
    weights as the best (Keras's min_delta would not); slow learning makes every step small."""
    X = StandardScaler().fit_transform(IRIS_X)
    clf = DeltapropClassifier(
        **{**SMALL, "learning_rate": 1e-4, "epochs": 50},
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=2,
        tol=1.0,
    ).fit(X, IRIS_Y)
    val_loss = clf.history_["val_loss"]
    # Epoch 0 beats best = −∞ in score terms (it is no miss); epochs 1, 2, 3 improve by far less
    # than tol = 1.0, so they are misses: 3 > n_iter_no_change = 2 stops after 4 epochs.
    assert clf.n_iter_ == 4
    assert val_loss[3] < val_loss[2] < val_loss[1] < val_loss[0]  # yet each improved a little
    short = DeltapropClassifier(
        **{**SMALL, "learning_rate": 1e-4, "epochs": 4},
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=100,
    ).fit(X, IRIS_Y)
    for got, want in zip(clf.coefs_, short.coefs_):  # the last epoch's, the best one
        np.testing.assert_array_equal(got, want)


def test_early_stopping_keeps_the_best_weights_when_the_epochs_run_out_first():
    """scikit-learn's MLP ends an early-stopping fit with its best epoch's weights even when
    max_iter comes first; so does the estimator (its EarlyStopping restores only on a stop)."""
    X = StandardScaler().fit_transform(IRIS_X)
    params = dict(
        hidden_layer_sizes=(16,),
        optimizer="sgd",
        learning_rate=0.5,
        momentum=0.9,  # a large step, so that the validation cost goes up and down
        batch_size=10,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=1000,  # never stops on its own
        random_state=3,
    )
    long = DeltapropClassifier(**params, epochs=15).fit(X, IRIS_Y)
    val_loss = long.history_["val_loss"]
    assert long.n_iter_ == 15
    best = int(np.argmin(val_loss))
    assert best < 14 and val_loss[-1] > val_loss[best]  # the last epoch is not the best one
    # The same seed and split, stopped by hand at the best epoch: the weights to end with.
    short = DeltapropClassifier(**params, epochs=best + 1).fit(X, IRIS_Y)
    assert short.history_["val_loss"] == val_loss[: best + 1]
    for got, want in zip(long.coefs_ + long.intercepts_, short.coefs_ + short.intercepts_):
        np.testing.assert_array_equal(got, want)


def test_partial_fit_needs_classes_then_continues():
    clf = DeltapropClassifier(**SMALL)
    with pytest.raises(ValueError, match="classes must be passed on the first call to partial_fit"):
        clf.partial_fit(IRIS_X[:50], IRIS_Y[:50])
    X = StandardScaler().fit_transform(IRIS_X)
    order = np.random.default_rng(0).permutation(150)
    clf.partial_fit(X[order[:50]], IRIS_Y[order[:50]], classes=[0, 1, 2])
    assert list(clf.classes_) == [0, 1, 2] and clf.n_iter_ == 1
    steps = clf.optimizer_.iterations
    for _ in range(30):
        clf.partial_fit(X[order], IRIS_Y[order])
    assert len(clf.loss_curve_) == 31
    assert clf.optimizer_.iterations == steps + 30 * 10  # Adam's step count carries on
    assert clf.score(X, IRIS_Y) > 0.9
    with pytest.raises(
        ValueError,
        match=r"differs from classes_ \[0, 1, 2\], the classes this DeltapropClassifier was fitted with",
    ):
        clf.partial_fit(X[:5], IRIS_Y[:5], classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[7\] that are not in classes_"):
        clf.partial_fit(X[:2], [0, 7])
    with pytest.raises(ValueError, match="X has 3 features, but DeltapropClassifier is expecting 4"):
        clf.partial_fit(X[:5, :3], IRIS_Y[:5])


def test_partial_fit_refuses_early_stopping_as_scikit_learn_does():
    # scikit-learn's MLP: ValueError("partial_fit does not support early_stopping=True").
    for est, args in [
        (DeltapropClassifier(**SMALL, early_stopping=True), dict(classes=[0, 1, 2])),
        (DeltapropRegressor(**SMALL, early_stopping=True), {}),
    ]:
        with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
            est.partial_fit(IRIS_X, IRIS_Y, **args)
        assert not hasattr(est, "network_")


def test_a_failed_first_partial_fit_leaves_the_classifier_unfitted():
    clf = DeltapropClassifier(**SMALL)
    with pytest.raises(ValueError, match=r"labels \[5\] that are not in classes_ \[0, 1, 2\]"):
        clf.partial_fit(IRIS_X[:3], [0, 1, 5], classes=[0, 1, 2])
    assert not hasattr(clf, "network_") and not hasattr(clf, "classes_")
    with pytest.raises(NotFittedError):
        clf.predict(IRIS_X[:1])
    # So the next call is a first call again, and may bring other classes.
    clf.partial_fit(IRIS_X[:100], IRIS_Y[:100] + 10, classes=[10, 11, 12, 13])
    assert list(clf.classes_) == [10, 11, 12, 13] and len(clf.loss_curve_) == 1


def test_labels_of_another_kind_than_classes_are_named():
    clf = DeltapropClassifier(**SMALL).partial_fit(IRIS_X, IRIS_Y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match=r"Mix of label input types \(string and number\)"):
        clf.partial_fit(IRIS_X[:3], np.array(["a", "b", "c"]))


def test_bool_labels():
    y = IRIS_Y == 0
    clf = DeltapropClassifier(**{**SMALL, "epochs": 30}).fit(StandardScaler().fit_transform(IRIS_X), y)
    assert clf.classes_.dtype == bool and list(clf.classes_) == [False, True]
    assert clf.predict(StandardScaler().fit_transform(IRIS_X)).dtype == bool


def test_history_lists_stay_one_entry_per_epoch_across_calls():
    """A warm start with early stopping switched on, then a partial_fit without validation:
    every list of history_ keeps one entry per epoch, NaN where a call did not log the name
    (as History does), instead of val_loss[k] silently belonging to another epoch."""
    X = StandardScaler().fit_transform(IRIS_X)
    clf = DeltapropClassifier(**{**SMALL, "epochs": 3}, warm_start=True).fit(X, IRIS_Y)
    clf.set_params(early_stopping=True, n_iter_no_change=100)
    clf.fit(X, IRIS_Y)
    clf.set_params(early_stopping=False)
    clf.partial_fit(X, IRIS_Y)
    lengths = {key: len(values) for key, values in clf.history_.items()}
    assert set(lengths.values()) == {7}, lengths
    val_loss = np.array(clf.history_["val_loss"])
    assert np.isnan(val_loss[[0, 1, 2, 6]]).all() and np.isfinite(val_loss[3:6]).all()


def test_regressor_partial_fit():
    X, y = make_regression(n_samples=60, n_features=3, noise=0.1, random_state=2)
    reg = DeltapropRegressor(**SMALL)
    for _ in range(3):
        reg.partial_fit(X, y / y.std())
    assert reg.n_iter_ == 1 and len(reg.loss_curve_) == 3


def test_warm_start_continues_from_the_fitted_network():
    clf = DeltapropClassifier(**{**SMALL, "epochs": 5}, warm_start=True)
    clf.fit(IRIS_X, IRIS_Y)
    net = clf.network_
    after_five = [w.copy() for w in net.weights]
    clf.fit(IRIS_X, IRIS_Y)
    assert clf.network_ is net and len(clf.loss_curve_) == 10
    assert not np.array_equal(after_five[0], net.weights[0])
    cold = DeltapropClassifier(**{**SMALL, "epochs": 5}).fit(IRIS_X, IRIS_Y)
    cold.fit(IRIS_X, IRIS_Y)
    assert len(cold.loss_curve_) == 5


def test_warm_start_fit_uses_the_current_hyperparameters():
    clf = DeltapropClassifier(**{**SMALL, "epochs": 2}, warm_start=True).fit(IRIS_X, IRIS_Y)
    clf.set_params(learning_rate=0.5)
    clf.fit(IRIS_X, IRIS_Y)
    assert clf.optimizer_.learning_rate == 0.5
    kept = [w.copy() for w in clf.network_.weights]
    clf.set_params(learning_rate=0.0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0; got 0.0"):
        clf.fit(IRIS_X, IRIS_Y)
    assert all(np.array_equal(a, b) for a, b in zip(kept, clf.network_.weights))


def test_optimizer_object_is_copied_not_changed():
    optimizer = dp.SGD(0.05, momentum=0.5)
    clf = DeltapropClassifier(**{**SMALL_NO_ETA, "optimizer": optimizer}).fit(IRIS_X, IRIS_Y)
    assert optimizer.iterations == 0 and optimizer.state_dict()["state"] == {}
    assert clf.optimizer_ is not optimizer and clf.optimizer_.iterations > 0


@pytest.mark.parametrize(
    "params, named",
    [(dict(l2=0.5), "l2=0.5"), (dict(learning_rate=0.1, momentum=0.5), "learning_rate=0.1, momentum=0.5")],
)
def test_step_parameters_beside_an_optimizer_object_are_refused_not_ignored(params, named):
    """The optimizer object brings its own η, μ and λ: l2=0.5 beside it used to train with no
    penalty at all, without a word."""
    clf = DeltapropClassifier(**SMALL_NO_ETA, optimizer=dp.SGD(0.05), **params)
    with pytest.raises(
        ValueError, match=rf"^{named} would be ignored: optimizer=SGD\(learning_rate=0.05"
    ) as err:
        clf.fit(IRIS_X, IRIS_Y)
    assert err.match(r"Set them on the optimizer, or name it \(optimizer='sgd'\)")
    assert not hasattr(clf, "network_")
    defaults = DeltapropClassifier().get_params()
    clf.set_params(**{name: defaults[name] for name in params}).fit(IRIS_X, IRIS_Y)  # left alone: fine
    assert clf.optimizer_.l2 == 0.0 and clf.optimizer_.learning_rate == 0.05


def test_unfitted_estimator_raises_not_fitted():
    for est in (DeltapropClassifier(), DeltapropRegressor()):
        with pytest.raises(NotFittedError):
            est.predict(IRIS_X)
    with pytest.raises(NotFittedError):
        DeltapropClassifier().coefs_  # noqa: B018


@pytest.mark.parametrize(
    "params, error, message",
    [
        (dict(optimizer="rmsprop"), ValueError, "optimizer must be one of .* got 'rmsprop'"),
        (
            dict(hidden_layer_sizes=(4, 0)),
            ValueError,
            r"hidden_layer_sizes\[1\] must be an integer ≥ 1; got 0",
        ),
        (dict(hidden_layer_sizes="big"), TypeError, "hidden_layer_sizes must be a tuple of layer sizes"),
        (dict(epochs=0), ValueError, "epochs must be a positive integer; got 0"),
        (dict(batch_size=0), ValueError, "batch_size must be 'auto' or a positive integer; got 0"),
        (dict(batch_size=2.5), TypeError, "batch_size must be 'auto' or a positive integer; got 2.5"),
        (dict(learning_rate=-1.0), ValueError, "learning_rate must be a finite number > 0; got -1.0"),
        (dict(activation="swish"), ValueError, "unknown activation 'swish'"),
        (dict(cost="hinge"), ValueError, "unknown cost 'hinge'"),
        (dict(dtype="float16"), ValueError, "dtype must be float32 or float64; got 'float16'"),
        (dict(momentum=1.5), ValueError, r"momentum must be in \[0, 1\); got 1.5"),
        # The early-stopping parameters are named as the user wrote them, not as EarlyStopping
        # and fit call them (min_delta, patience, validation_split).
        (dict(early_stopping=True, tol=-1.0), ValueError, "tol must be a finite number ≥ 0; got -1.0"),
        (dict(early_stopping=True, n_iter_no_change=0), ValueError, "n_iter_no_change must be > 0; got 0"),
        (
            dict(early_stopping=True, validation_fraction=0.0),
            ValueError,
            r"validation_fraction must be a number in \(0, 1\) with early_stopping=True.*got 0.0",
        ),
    ],
)
def test_bad_parameters_are_reported_at_fit(params, error, message):
    est = DeltapropClassifier(**{**SMALL, "optimizer": "sgd", **params})  # __init__ accepts anything
    with pytest.raises(error, match=message):
        est.fit(IRIS_X, IRIS_Y)
    assert not hasattr(est, "network_")


def test_a_validation_fraction_too_small_for_the_data_is_named():
    est = DeltapropClassifier(**SMALL, early_stopping=True, validation_fraction=0.001)
    with pytest.raises(ValueError, match="validation_fraction=0.001 holds out 0 of the 150 training samples"):
        est.fit(IRIS_X, IRIS_Y)
    assert not hasattr(est, "network_")  # refused before the network is built


def test_one_class_is_refused():
    with pytest.raises(ValueError, match="needs at least 2 classes to learn; got 1 class: 0$"):
        DeltapropClassifier(**SMALL).fit(IRIS_X[:10], IRIS_Y[:10])  # not "np.int64(0)"
    with pytest.raises(ValueError, match="needs at least 2 classes to learn; got 1 class: 'setosa'$"):
        DeltapropClassifier(**SMALL).fit(IRIS_X[:10], IRIS_NAMES[:10])


@pytest.mark.parametrize(("batch_size", "good_epochs"), [(16, 0), ("auto", 1)])
def test_a_diverged_fit_keeps_the_history_of_the_weights_it_keeps(batch_size, good_epochs):
    """fit stops on a non-finite cost with the weights of the last good epoch; the estimator's
    history_, loss_curve_ and n_iter_ now say which epochs those are (they were left as before
    the fit: loss_curve_ raised KeyError, and a warm start would number its epochs from 0 again)."""
    X, y = load_diabetes(return_X_y=True)  # unscaled targets 25..346: η = 10 overflows
    X = StandardScaler().fit_transform(X)
    reg = DeltapropRegressor(**{**SMALL, "epochs": 3, "batch_size": batch_size})
    reg.set_params(optimizer="sgd", learning_rate=10.0, momentum=0.0, warm_start=True)
    with pytest.raises(dp.DivergenceError) as err:
        reg.fit(X, y)
    assert err.value.epoch == good_epochs + 1
    assert len(reg.loss_curve_) == reg.n_iter_ == good_epochs
    assert {len(values) for values in reg.history_.values()} == {good_epochs}
    assert all(np.isfinite(w).all() for w in reg.coefs_ + reg.intercepts_)


def test_float32_networks():
    clf = DeltapropClassifier(**SMALL, dtype="float32").fit(IRIS_X, IRIS_Y)
    assert clf.network_.dtype == np.float32 and clf.coefs_[0].dtype == np.float32
    assert clf.predict_proba(IRIS_X).dtype == np.float32


@pytest.mark.parametrize(
    ("y", "where"), [(IRIS_X[:, 0] * 1e39, "index (0,)"), (IRIS_X[:, :2] * 1e39, "row 0, column 0")]
)
def test_a_target_beyond_float32_is_named_as_y_as_x_is(y, where):
    """y = 5.1e39 for a float32 network: refused as X is, by value and place. The cast came
    first, so the message named an infinity the user never gave ("Y contains NaN or infinity
    (first at index (1, 0): -inf)")."""
    with pytest.raises(ValueError) as refused:
        DeltapropRegressor(**SMALL, dtype="float32").fit(IRIS_X, y)
    message = str(refused.value)
    assert message.startswith(f"y holds {y.flat[0].item()!r} (first at {where}), beyond the range of float32")
    assert message.endswith("To fix it, scale the targets or use a float64 network (dtype=np.float64).")
    assert DeltapropRegressor(**{**SMALL, "epochs": 1}).fit(IRIS_X, y).network_.dtype == np.float64


def test_pickle_round_trip():
    # scikit-learn's tools copy estimators between processes by pickling them (joblib, as in
    # GridSearchCV(n_jobs=2)), so an estimator must survive it. deltaprop's own files never
    # use pickle: models are saved with dp.save (safetensors).
    clf = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_NAMES)
    again = pickle.loads(pickle.dumps(clf))
    assert np.array_equal(again.predict_proba(IRIS_X), clf.predict_proba(IRIS_X))


def test_feature_names_from_a_dataframe():
    """DataFrames as scikit-learn's own estimators take them: feature_names_in_, a warning for
    an array where names were fitted, an error for other names, and y as a Series (labels,
    categories)."""
    pd = pytest.importorskip("pandas")
    names = ["sl", "sw", "pl", "pw"]
    frame = pd.DataFrame(IRIS_X, columns=names)
    labels = pd.Series(IRIS_NAMES, dtype="category")
    clf = DeltapropClassifier(**SMALL).fit(frame, labels)
    assert list(clf.feature_names_in_) == names
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the frame it was fitted on: no warning
        from_frame = clf.predict_proba(frame)
    with pytest.warns(UserWarning, match="X does not have valid feature names, but DeltapropClassifier"):
        np.testing.assert_array_equal(clf.predict_proba(IRIS_X), from_frame)
    with pytest.raises(ValueError, match="feature names should match those that were passed during fit"):
        clf.predict(frame.rename(columns={"sl": "sepal"}))
    reg = DeltapropRegressor(**SMALL).fit(frame, pd.DataFrame({"a": IRIS_Y, "b": -IRIS_Y}))
    assert list(reg.feature_names_in_) == names and reg.predict(frame).shape == (150, 2)


# --- scikit-learn's tools ------------------------------------------------------------------


def test_clone_gives_an_unfitted_twin_with_the_same_parameters():
    clf = DeltapropClassifier(**SMALL, l2=0.5).fit(IRIS_X, IRIS_Y)
    twin = clone(clf)
    assert twin.get_params() == clf.get_params()
    assert not hasattr(twin, "network_")
    twin.fit(IRIS_X, IRIS_Y)
    assert all(np.array_equal(a, b) for a, b in zip(twin.coefs_, clf.coefs_))
    assert twin.network_ is not clf.network_
    other = clone(clf).set_params(hidden_layer_sizes=(3,))
    assert clf.hidden_layer_sizes == (8,) and other.hidden_layer_sizes == (3,)


def test_pipeline_with_a_scaler():
    pipe = Pipeline([("scale", StandardScaler()), ("net", DeltapropClassifier(**{**SMALL, "epochs": 40}))])
    scores = cross_val_score(pipe, IRIS_X, IRIS_NAMES, cv=3)
    assert scores.mean() > 0.85
    pipe.set_params(net__hidden_layer_sizes=(4,)).fit(IRIS_X, IRIS_NAMES)
    assert pipe.named_steps["net"].network_.sizes == [4, 4, 3]


def test_grid_search_in_two_processes():
    pipe = Pipeline([("scale", StandardScaler()), ("net", DeltapropClassifier(**{**SMALL, "epochs": 30}))])
    grid = GridSearchCV(
        pipe,
        {"net__hidden_layer_sizes": [(2,), (8,)], "net__learning_rate": [0.0001, 0.02]},
        cv=3,
        n_jobs=2,
    )
    grid.fit(IRIS_X, IRIS_NAMES)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_params_["net__learning_rate"] == 0.02  # 30 epochs at η = 0.0001 barely move
    assert grid.best_score_ > 0.85
    assert grid.predict(IRIS_X[:5]).tolist() == ["setosa"] * 5


# --- differential test: scikit-learn's own MLP ---------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
def test_one_epoch_matches_scikit_learns_mlp_regressor(weighted):
    """One epoch of plain SGD on the quadratic cost ends at scikit-learn's weights, to 1e-10.

    Why the two must agree (read from sklearn/neural_network/_multilayer_perceptron.py and
    _stochastic_optimizers.py):

    * Batches. With ``shuffle=False`` scikit-learn walks ``gen_batches(n, batch_size)``:
      consecutive slices, the last holding the remainder; deltaprop's ``fit`` with
      ``shuffle=False`` cuts the same slices (n = 37, m = 8: four of 8, one of 5).
    * Gradient. scikit-learn's output δ is ``a − y`` (identity output, squared error) and a
      hidden δ is ``(δ W^T) · a (1 − a)`` for logistic units; ``coef_grads = (o^T δ + α W) / n_b``
      and ``intercept_grads = Σ δ / n_b`` with n_b the batch size. That is deltaprop's quadratic
      cost with a linear output (δ = a − y, its simplified pair) and the batch average 1/n_b Σ_x,
      so with α = 0 the gradients are the same numbers. (scikit-learn's reported squared loss is
      also divided by the number of outputs, so its ``loss_curve_`` is deltaprop's loss / n_out;
      its gradient is not, which is why the weights agree.)
    * Update. ``SGDOptimizer`` with momentum 0 makes ``velocity = 0·v − η g`` and adds it:
      w + (−η g) = w − η g, deltaprop's SGD step. ``learning_rate="constant"`` keeps η fixed.
    * Initial weights. scikit-learn draws its own (Glorot uniform from its RandomState) inside
      ``fit``. A first ``fit`` with ``max_iter=1`` builds all its internal state; then its
      ``coefs_``/``intercepts_`` are replaced by deltaprop's initial weights (the same layout,
      ``(n_in, n_out)``, w_ij from i to j) and ``warm_start=True`` makes the second ``fit`` start
      from them (no re-initialisation; a fresh optimizer over the new arrays).

    The only difference left is rounding: scikit-learn divides by n_b where deltaprop multiplies
    by 1/n_b, a last-bit difference per step, far below the 1e-10 asked for.

    Weighted (``sample_weight=s`` to every fit): scikit-learn scales δ[last] by s and divides the
    sums by the mini-batch's Σ s, deltaprop's weighted step. Its ``loss_curve_`` then averages
    the batches' weighted costs by their sizes, deltaprop's loss by their Σ s, so only the
    weights are compared.
    """
    rng = np.random.default_rng(5)
    n, n_in, n_hidden, n_out, m, eta = 37, 3, 6, 2, 8, 0.1
    X = rng.normal(size=(n, n_in))
    Y = np.column_stack([np.sin(X[:, 0]) + X[:, 1], X[:, 2] ** 2])
    start = dp.Network([n_in, n_hidden, n_out], activation="logistic", output_activation="linear", seed=11)
    s = _weights_no_batch_all_zero(n, m, seed=1) if weighted else None

    mlp = MLPRegressor(
        hidden_layer_sizes=(n_hidden,),
        activation="logistic",
        solver="sgd",
        learning_rate="constant",
        learning_rate_init=eta,
        momentum=0.0,
        nesterovs_momentum=False,
        alpha=0.0,
        batch_size=m,
        shuffle=False,
        max_iter=1,
        warm_start=True,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter=1 "has not converged"
        mlp.fit(X, Y)
        mlp.coefs_ = [w.copy() for w in start.weights]
        mlp.intercepts_ = [b.copy() for b in start.biases]
        mlp.fit(X, Y, sample_weight=s)

    # 1. The textbook loop by hand: backprop on each consecutive batch, then one SGD step.
    by_hand = start.copy()
    sgd = dp.SGD(eta)
    for begin in range(0, n, m):
        rows = slice(begin, begin + m)
        sgd.step(by_hand, by_hand.backprop(X[rows], Y[rows], None if s is None else s[rows]))

    # 2. deltaprop's training loop.
    looped = start.copy()
    history = fit(looped, X, Y, 1, batch_size=m, learning_rate=eta, shuffle=False, seed=0, sample_weight=s)

    # 3. The estimator: fit once to build it, put the same initial weights in, warm-start one epoch.
    reg = DeltapropRegressor(
        hidden_layer_sizes=(n_hidden,),
        activation="logistic",
        optimizer="sgd",
        learning_rate=eta,
        momentum=0.0,
        l2=0.0,
        batch_size=m,
        epochs=1,
        shuffle=False,
        warm_start=True,
        random_state=0,
    )
    reg.fit(X, Y)
    reg.network_.weights = [w.copy() for w in start.weights]
    reg.network_.biases = [b.copy() for b in start.biases]
    reg.fit(X, Y, sample_weight=s)

    moved = np.abs(mlp.coefs_[0] - start.weights[0]).max()
    assert moved > 1e-3  # the epoch really changed the weights
    for net in (by_hand, looped, reg.network_):
        for l in range(2):
            np.testing.assert_allclose(net.weights[l], mlp.coefs_[l], rtol=0, atol=1e-10)
            np.testing.assert_allclose(net.biases[l], mlp.intercepts_[l], rtol=0, atol=1e-10)
    # deltaprop's C sums ½(y − a)² over the outputs; scikit-learn's also averages over them.
    if not weighted:
        assert history.history["loss"][0] == pytest.approx(n_out * mlp.loss_curve_[-1], rel=1e-10)


def _weights_no_batch_all_zero(n: int, m: int, seed: int) -> np.ndarray:
    """Weights in [0, 2) with some zeros, no mini-batch of m consecutive rows all 0 (scikit-learn's
    MLP stops at such a batch: see the test after next)."""
    s = np.random.default_rng(seed).uniform(0.0, 2.0, size=n)
    s[::5] = 0.0
    s[::m] = 1.5
    return s


@pytest.mark.parametrize("activation", ["logistic", "relu"])
def test_one_weighted_epoch_matches_scikit_learns_mlp_classifier(activation):
    """MLPClassifier(solver="sgd", momentum=0, alpha=0, shuffle=False) with sample_weight: softmax
    + log-loss, δ[last] = s (a − y), sums over Σ s of each mini-batch of 10; the same initial
    weights (fitted once, replaced, warm-started) end one epoch at the same weights, through
    training.fit, the estimator's fit and its partial_fit."""
    X = StandardScaler().fit_transform(IRIS_X)
    n, n_hidden, m, eta = 150, 7, 10, 0.1
    s = _weights_no_batch_all_zero(n, m, seed=2)
    mlp = _sgd_mlp_classifier(n_hidden, activation, eta, 0.0, False, alpha=0.0, m=m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, IRIS_NAMES)
        start = [a.copy() for a in mlp.coefs_ + mlp.intercepts_]
        mlp.fit(X, IRIS_NAMES, sample_weight=s)

    net = dp.Network(
        [4, n_hidden, 3], activation=activation, output_activation="softmax", cost="log_likelihood"
    )
    net.weights, net.biases = start[:2], start[2:]
    fit(net, X, IRIS_Y, 1, batch_size=m, learning_rate=eta, shuffle=False, seed=0, sample_weight=s)
    params = dict(hidden_layer_sizes=(n_hidden,), activation=activation, optimizer="sgd", learning_rate=eta)
    params.update(momentum=0.0, batch_size=m, epochs=1, shuffle=False, random_state=0)
    clf = DeltapropClassifier(**params, warm_start=True).fit(X, IRIS_NAMES)
    clf.network_.weights, clf.network_.biases = start[:2], start[2:]
    clf.fit(X, IRIS_NAMES, sample_weight=s)
    partial = DeltapropClassifier(**params).partial_fit(X, IRIS_NAMES, classes=np.unique(IRIS_NAMES))
    partial.network_.weights, partial.network_.biases = start[:2], start[2:]
    partial.partial_fit(X, IRIS_NAMES, s)  # scikit-learn's order: sample_weight third

    assert np.abs(mlp.coefs_[0] - start[0]).max() > 1e-2
    for ours in (
        net.weights + net.biases,
        clf.coefs_ + clf.intercepts_,
        partial.coefs_ + partial.intercepts_,
    ):
        for a, b in zip(ours, mlp.coefs_ + mlp.intercepts_):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)
    # score's sample_weight comes from ClassifierMixin: the weighted accuracy.
    hit = clf.predict(X) == IRIS_NAMES
    assert clf.score(X, IRIS_NAMES, sample_weight=s) == pytest.approx(np.dot(s, hit) / s.sum(), rel=1e-12)


def _sgd_mlp_classifier(n_hidden, activation, eta, momentum, nesterov, alpha, m) -> MLPClassifier:
    """scikit-learn's MLPClassifier doing what deltaprop's SGD does: a constant η, mini-batches
    of m in the order given, one epoch per fit until max_iter is raised, warm-started (so
    that its weights can be replaced after a first fit builds its state)."""
    return MLPClassifier(
        hidden_layer_sizes=(n_hidden,),
        activation=activation,
        solver="sgd",
        learning_rate="constant",
        learning_rate_init=eta,
        momentum=momentum,
        nesterovs_momentum=nesterov,
        alpha=alpha,
        batch_size=m,
        shuffle=False,
        max_iter=1,
        warm_start=True,
        random_state=0,
    )


@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu"])
@pytest.mark.parametrize(("momentum", "nesterov"), [(0.0, False), (0.9, False), (0.9, True)])
def test_three_epochs_match_scikit_learns_mlp_classifier_with_momentum_and_l2(activation, momentum, nesterov):
    """Softmax + log-likelihood, SGD with heavy-ball or Nesterov momentum and L2, three epochs.

    scikit-learn's multi-class MLPClassifier has a softmax output with the log-loss, whose
    output δ is a − y, deltaprop's softmax + log_likelihood pair. Its momentum keeps
    v ← μ v − η g and adds v (Nesterov: adds μ v − η g after that), which is PyTorch's
    v ← μ v + g, w ← w − η v (w ← w − η (g + μ v)) with its v scaled by −η. Its L2 term adds
    α W / n_b to each mini-batch's gradient; deltaprop's adds (λ/n) W, so α = λ n_b / n gives
    the same decay when every batch holds n_b samples (150 = 15 × 10 here). The velocities
    start at zero in both (a warm-started ``fit`` builds a fresh optimizer).
    """
    X = StandardScaler().fit_transform(IRIS_X)
    n, n_hidden, m, eta, lam, epochs = 150, 7, 10, 0.05, 3.0, 3
    start = dp.Network(
        [4, n_hidden, 3], activation=activation, output_activation="softmax", cost="log_likelihood", seed=3
    )
    mlp = _sgd_mlp_classifier(n_hidden, activation, eta, momentum, nesterov, alpha=lam * m / n, m=m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, IRIS_Y)  # builds scikit-learn's state; the weights are then replaced
        mlp.coefs_ = [w.copy() for w in start.weights]
        mlp.intercepts_ = [b.copy() for b in start.biases]
        mlp.set_params(max_iter=epochs)
        mlp.fit(X, IRIS_Y)
    assert mlp.n_iter_ == epochs

    ours = start.copy()
    optimizer = dp.SGD(eta, momentum=momentum, nesterov=nesterov, l2=lam)
    fit(ours, X, IRIS_Y, epochs, batch_size=m, optimizer=optimizer, shuffle=False, seed=0)

    assert np.abs(mlp.coefs_[0] - start.weights[0]).max() > 1e-2  # training moved the weights
    for l in range(2):
        np.testing.assert_allclose(ours.weights[l], mlp.coefs_[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(ours.biases[l], mlp.intercepts_[l], rtol=0, atol=1e-12)


@pytest.mark.parametrize(("optimizer", "nesterovs_momentum"), [("sgd", False), ("nesterov", True)])
def test_the_classifier_matches_mlp_classifier_through_its_parameters(optimizer, nesterovs_momentum):
    """The estimator's own path (string labels encoded in classes_ order, optimizer named, l2
    mapped to the optimizer) ends three epochs at MLPClassifier's weights: "sgd" with momentum is
    scikit-learn's sgd with nesterovs_momentum=False, "nesterov" is its default True, and
    α = λ m / n (see the test above). Same initial weights: fitted once, replaced, warm-started."""
    X = StandardScaler().fit_transform(IRIS_X)
    n, m, eta, lam, mu = 150, 10, 0.05, 3.0, 0.9
    mlp = _sgd_mlp_classifier(7, "tanh", eta, mu, nesterovs_momentum, alpha=lam * m / n, m=m)
    clf = DeltapropClassifier(
        hidden_layer_sizes=(7,),
        activation="tanh",
        optimizer=optimizer,
        learning_rate=eta,
        momentum=mu,
        l2=lam,
        batch_size=m,
        epochs=1,
        shuffle=False,
        warm_start=True,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, IRIS_NAMES)
        start = [a.copy() for a in mlp.coefs_ + mlp.intercepts_]
        mlp.set_params(max_iter=3).fit(X, IRIS_NAMES)
    clf.fit(X, IRIS_NAMES)
    clf.network_.weights, clf.network_.biases = start[:2], start[2:]
    clf.set_params(epochs=3).fit(X, IRIS_NAMES)

    assert np.abs(mlp.coefs_[0] - start[0]).max() > 1e-2  # training moved the weights
    for ours, theirs in zip(clf.coefs_ + clf.intercepts_, mlp.coefs_ + mlp.intercepts_):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(clf.predict_proba(X), mlp.predict_proba(X), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), mlp.predict(X))


@pytest.mark.parametrize(
    ("ours", "theirs"), [(DeltapropClassifier, MLPClassifier), (DeltapropRegressor, MLPRegressor)]
)
@pytest.mark.parametrize("method", ["fit", "partial_fit", "score"])
def test_sample_weight_sits_where_scikit_learn_puts_it(ours, theirs, method):
    import inspect

    assert list(inspect.signature(getattr(ours, method)).parameters) == list(
        inspect.signature(getattr(theirs, method)).parameters
    )


@pytest.mark.parametrize(
    ("s", "match"),
    [
        ([1.0] * 149, r"sample_weight.shape == \(149,\), expected \(150,\)"),
        ([1.0] * 149 + [-3.0], r"sample_weight must be ≥ 0; got -3.0 at index 149"),
        # scikit-learn's own words from its 1.9, deltaprop's where scikit-learn lets it through
        ([0.0] * 150, r"Sample weights must contain at least one non-zero number|sample_weight is all 0"),
        ([1.0] * 149 + [np.nan], r"sample_weight.*NaN"),
    ],
)
def test_bad_sample_weight_is_refused_and_the_estimator_left_as_it_was(s, match):
    clf = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_Y)
    before = [a.copy() for a in clf.coefs_]
    with pytest.raises(ValueError, match=match):
        clf.fit(IRIS_X, IRIS_Y, sample_weight=s)
    assert all(np.array_equal(a, b) for a, b in zip(clf.coefs_, before))


def test_a_number_is_every_samples_weight_as_in_scikit_learn():
    a = DeltapropRegressor(**SMALL).fit(IRIS_X, IRIS_X[:, 0], sample_weight=1.0)
    b = DeltapropRegressor(**SMALL).fit(IRIS_X, IRIS_X[:, 0])
    assert all(np.array_equal(x, y) for x, y in zip(a.coefs_, b.coefs_))


def test_early_stopping_scores_the_weighted_validation_rows():
    """val_accuracy, the classifier's validation score, is weighted as scikit-learn's is."""
    s = np.where(IRIS_Y == 0, 5.0, 1.0)
    clf = DeltapropClassifier(**SMALL, early_stopping=True, validation_fraction=0.2).fit(IRIS_X, IRIS_Y, s)
    plain = DeltapropClassifier(**SMALL, early_stopping=True, validation_fraction=0.2).fit(IRIS_X, IRIS_Y)
    assert clf.validation_scores_ != plain.validation_scores_
    assert all(np.isfinite(clf.validation_scores_))


def test_a_mini_batch_of_weight_zero_skips_its_step_where_scikit_learn_stops():
    """scikit-learn's MLP averages a batch's loss with np.average, which raises on weights that
    sum to 0; deltaprop makes no step for that batch (and trains on the others)."""
    X = StandardScaler().fit_transform(IRIS_X)
    s = np.ones(150)
    s[:10] = 0.0
    mlp = MLPClassifier(solver="sgd", batch_size=10, shuffle=False, max_iter=1, random_state=0)
    with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
        mlp.fit(X, IRIS_Y, sample_weight=s)
    clf = DeltapropClassifier(
        **{**SMALL, "batch_size": 10, "shuffle": False, "epochs": 1, "optimizer": "sgd"}
    )
    clf.fit(X, IRIS_Y, sample_weight=s)
    assert clf.optimizer_.iterations == 14  # 15 mini-batches, the first of weight 0
    assert all(np.isfinite(a).all() for a in clf.coefs_)


@pytest.mark.parametrize("ours", [DeltapropClassifier, DeltapropRegressor])
@pytest.mark.parametrize("warm_start", [False, True])
@pytest.mark.parametrize(
    ("params", "s", "match"),
    [
        # one row of weight > 0: early stopping's training or validation rows all weigh 0
        (dict(early_stopping=True, validation_fraction=0.2), [1.0] + [0.0] * 149, "weight is 0 on all"),
        (dict(dtype="float32"), [1e39] + [1.0] * 149, "beyond the range of float32"),
    ],
)
def test_what_only_training_refuses_leaves_the_estimator_as_it_was(ours, warm_start, params, s, match):
    """Refused by training.fit, after the estimator has made its new network (or its warm start's
    new optimizer): every attribute is put back. It was left with an untrained network_, an
    empty loss_curve_ and the last call's n_iter_."""
    y = IRIS_Y if ours is DeltapropClassifier else IRIS_X[:, 0]
    est = ours(**SMALL, **params, warm_start=warm_start).fit(IRIS_X, y)
    before = ([a.copy() for a in est.coefs_], list(est.loss_curve_), est.n_iter_, est.optimizer_)
    with pytest.raises(ValueError, match=match):
        est.fit(IRIS_X, y, sample_weight=s)
    assert all(np.array_equal(a, b) for a, b in zip(est.coefs_, before[0]))
    assert (est.loss_curve_, est.n_iter_, est.optimizer_) == tuple(before[1:])


@pytest.mark.parametrize("ours", [DeltapropClassifier, DeltapropRegressor])
def test_early_stopping_split_of_weight_0_is_refused_in_the_estimators_words(ours):
    """Weights 0 on exactly the rows early stopping holds out: the refusal names the estimator's
    validation_fraction and early_stopping=True. It named validation_split, training.fit's
    parameter, which the estimator's user never wrote."""
    from deltaprop.training._data import check_targets
    from deltaprop.training.arguments import split_indices

    y = IRIS_Y if ours is DeltapropClassifier else IRIS_X[:, 0]
    targets = np.eye(3)[IRIS_Y] if ours is DeltapropClassifier else IRIS_X[:, :1]
    seed = np.random.RandomState(0).randint(2**31 - 1)  # the estimator's first draw: fit's seed
    train_idx, val_idx = split_indices(check_targets(targets, targets.shape[1], 150), 150, 0.2, seed)
    est = ours(**{**SMALL, "epochs": 2}, early_stopping=True, validation_fraction=0.2)
    for zero, which in ((val_idx, "validation"), (train_idx, "training")):
        s = np.ones(150)
        s[zero] = 0.0
        with pytest.raises(ValueError) as refused:
            est.fit(IRIS_X, y, sample_weight=s)
        message = str(refused.value)
        assert f"sample_weight is 0 on all {len(zero)} {which} rows" in message
        assert "early_stopping=True with validation_fraction=0.2" in message
        assert "change validation_fraction or random_state, or set early_stopping=False" in message
        assert "validation_split" not in message
    s = np.ones(150)
    s[val_idx[1:]] = 0.0  # one validation row of weight > 0: accepted
    assert est.fit(IRIS_X, y, sample_weight=s).n_iter_ == 2
