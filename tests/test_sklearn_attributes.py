"""The fitted attributes of scikit-learn's MLPClassifier / MLPRegressor, attribute by attribute
beside scikit-learn's own estimator fitted on the same data: the same names, types and shapes,
the same values where they must agree (n_layers_, n_outputs_, out_activation_, t_, n_iter_),
and the same relations elsewhere (loss_ is the last of loss_curve_, best_loss_ its minimum,
validation_scores_ one score per epoch), across fit, partial_fit, warm starts, refused calls
and divergence."""

from __future__ import annotations

import copy
import numbers
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes, load_iris, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import has_fit_parameter

import deltaprop as dp
from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor
from deltaprop.training._data import check_targets
from deltaprop.training.arguments import split_indices

SMALL = dict(hidden_layer_sizes=(8, 5), batch_size=16, random_state=0)
EPOCHS = 4  # max_iter of scikit-learn's: too few for its n_iter_no_change=10 to stop it

IRIS_X, IRIS_Y = load_iris(return_X_y=True)
IRIS_X = StandardScaler().fit_transform(IRIS_X)
REG_X, REG_Y = make_regression(n_samples=120, n_features=5, n_targets=2, noise=0.1, random_state=0)
REG_Y = REG_Y / REG_Y.std(axis=0)

# What scikit-learn's MLP sets after fit that the estimators have too (deltaprop adds history_,
# network_ and optimizer_); feature_names_in_ only with a DataFrame, as in scikit-learn.
MLP_ATTRIBUTES = {
    "best_loss_",
    "best_validation_score_",
    "coefs_",
    "intercepts_",
    "loss_",
    "loss_curve_",
    "n_features_in_",
    "n_iter_",
    "n_layers_",
    "n_outputs_",
    "out_activation_",
    "t_",
    "validation_scores_",
}


def fitted_attributes(est) -> set[str]:
    return {a for a in dir(est) if a.endswith("_") and not a.startswith("_") and hasattr(est, a)}


def quiet(method, *args, **kwargs):
    """A scikit-learn MLP call, quiet about max_iter running out (the point is its attributes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return method(*args, **kwargs)


ESTIMATORS = {
    "classifier": (MLPClassifier, DeltapropClassifier),
    "regressor": (MLPRegressor, DeltapropRegressor),
}


def pair(kind: str, **params):
    """scikit-learn's estimator and deltaprop's, with the same layers, batches and epochs."""
    mlp, ours = ESTIMATORS[kind]
    return mlp(**SMALL, max_iter=EPOCHS, **params), ours(**SMALL, epochs=EPOCHS, **params)


def same_kind(got, want, name):
    """``got`` has the type scikit-learn's attribute ``want`` has: None, int, float, str, or a
    list of floats."""
    if want is None:
        assert got is None, name
    elif isinstance(want, str):
        assert isinstance(got, str), name
    elif isinstance(want, numbers.Integral):
        assert isinstance(got, numbers.Integral) and not isinstance(got, bool), name
    elif isinstance(want, numbers.Real):
        assert isinstance(got, numbers.Real) and not isinstance(got, numbers.Integral), name
    elif isinstance(want, np.ndarray):  # classes_
        assert isinstance(got, np.ndarray) and got.shape == want.shape and got.dtype == want.dtype, name
    elif isinstance(want, list) and not isinstance(want[0], np.ndarray):
        assert isinstance(got, list) and all(isinstance(v, numbers.Real) for v in got), name
    else:  # coefs_, intercepts_: lists of arrays of the same shapes
        assert [a.shape for a in got] == [a.shape for a in want], name


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize(
    "kind, X, y",
    [("classifier", IRIS_X, IRIS_Y), ("regressor", REG_X, REG_Y), ("regressor", REG_X, REG_Y[:, 0])],
)
def test_the_fitted_attributes_are_those_of_scikit_learns_mlp(kind, X, y, early_stopping):
    mlp, est = pair(kind, early_stopping=early_stopping)
    quiet(mlp.fit, X, y)
    est.fit(X, y)
    assert fitted_attributes(mlp) == MLP_ATTRIBUTES | ({"classes_"} if kind == "classifier" else set())
    assert fitted_attributes(est) == fitted_attributes(mlp) | {"history_", "network_", "optimizer_"}
    for name in sorted(fitted_attributes(mlp)):
        same_kind(getattr(est, name), getattr(mlp, name), name)
    # The values that must agree: the layers, the outputs, the epochs and the samples seen
    # (with early stopping, the training rows: both hold out ceil(10 %) = 15 of iris's 150
    # (5 per class) and 12 of the 120 regression rows).
    for name in ["n_features_in_", "n_layers_", "n_outputs_", "out_activation_", "n_iter_", "t_"]:
        assert getattr(est, name) == getattr(mlp, name), name
    assert est.n_layers_ == 4 and est.t_ == EPOCHS * (len(y) - (len(y) // 10 if early_stopping else 0))
    # The relations scikit-learn's attributes keep, kept here too.
    for fitted in (mlp, est):
        assert fitted.loss_ == fitted.loss_curve_[-1] and len(fitted.loss_curve_) == EPOCHS
        if early_stopping:
            assert fitted.best_loss_ is None and len(fitted.validation_scores_) == EPOCHS
            assert fitted.best_validation_score_ in fitted.validation_scores_
        else:
            assert fitted.best_loss_ == min(fitted.loss_curve_)
            assert fitted.validation_scores_ is None and fitted.best_validation_score_ is None


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_t_counts_the_samples_of_fit_partial_fit_and_warm_starts_as_scikit_learn_does(kind):
    X, y = (IRIS_X, IRIS_Y) if kind == "classifier" else (REG_X, REG_Y)
    extra = {"classes": np.unique(IRIS_Y)} if kind == "classifier" else {}
    mlp, est = pair(kind)
    chunks = [slice(0, 150, 2), slice(1, 100, 3), slice(5, 50)]  # of iris: 75, 33 and 45 rows
    for fitted in (mlp, est):
        for rows in chunks:
            quiet(fitted.partial_fit, X[rows], y[rows], **extra)
    seen = sum(len(y[rows]) for rows in chunks)
    assert est.t_ == mlp.t_ == seen
    assert est.n_iter_ == mlp.n_iter_ == 1 and len(est.loss_curve_) == len(mlp.loss_curve_) == 3
    assert est.best_loss_ == min(est.loss_curve_) and est.loss_ == est.loss_curve_[-1]
    # A warm-started fit goes on counting; a cold one starts again from 0.
    for fitted in (mlp, est):
        fitted.set_params(warm_start=True)
        quiet(fitted.fit, X, y)
    assert est.t_ == mlp.t_ == seen + EPOCHS * len(y)
    for fitted in (mlp, est):
        fitted.set_params(warm_start=False)
        quiet(fitted.fit, X[:60], y[:60])
    assert est.t_ == mlp.t_ == EPOCHS * 60 and len(est.loss_curve_) == EPOCHS


@pytest.mark.parametrize(
    "output_activation, name",
    [
        (None, "softmax"),
        ("softmax", "softmax"),
        ("logistic", "logistic"),
        ("sigmoid", "logistic"),
        ("linear", "identity"),
        ("identity", "identity"),
        ("tanh", "tanh"),
        ("relu", "relu"),
        ("leaky_relu", "leaky_relu"),
        ("leaky_relu(0.2)", "leaky_relu(0.2)"),
    ],
)
def test_out_activation_is_scikit_learns_name_where_it_has_one(output_activation, name):
    clf = DeltapropClassifier(**SMALL, epochs=1, output_activation=output_activation).fit(IRIS_X, IRIS_Y)
    assert clf.out_activation_ == name
    reg = DeltapropRegressor(**SMALL, epochs=1, output_activation=output_activation or "linear")
    # Outputs in (0, 1) need targets there: fit refuses targets they can never reach.
    bounded = name in ("softmax", "logistic")
    y = (REG_Y - REG_Y.min()) / (REG_Y.max() - REG_Y.min()) if bounded else REG_Y
    assert reg.fit(REG_X, y).out_activation_ == ("identity" if output_activation is None else name)


def test_two_classes_have_two_outputs_where_mlp_classifier_has_one_logistic_output():
    mlp, est = pair("classifier")
    X, y = IRIS_X[:100], IRIS_Y[:100]
    quiet(mlp.fit, X, y)
    est.fit(X, y)
    assert (mlp.n_outputs_, mlp.out_activation_) == (1, "logistic")
    assert (est.n_outputs_, est.out_activation_) == (2, "softmax") and est.coefs_[-1].shape == (5, 2)


def validation_rows(est, targets, fraction):
    """The rows early stopping held out: the split training.fit draws with the estimator's seed."""
    n_out = est.network_.sizes[-1]
    return split_indices(check_targets(targets, n_out, len(targets)), len(targets), fraction, est._seed)[1]


def test_the_classifiers_validation_scores_are_its_accuracy_on_the_held_out_rows():
    """With a large step the validation cost goes up and down: the kept epoch, of lowest
    validation cost, is neither the last nor the one of highest accuracy (scikit-learn keeps
    that one; the estimator watches the cost), and best_validation_score_ is its accuracy,
    which score() on the held-out rows gives again for the weights the classifier ends with."""
    params = dict(hidden_layer_sizes=(16,), optimizer="sgd", learning_rate=1.0, batch_size=10, random_state=0)
    clf = DeltapropClassifier(**params, epochs=15, early_stopping=True, validation_fraction=0.2)
    clf.set_params(n_iter_no_change=1000).fit(IRIS_X, IRIS_Y)
    kept = int(np.argmin(clf.history_["val_loss"]))
    assert clf.validation_scores_ is clf.history_["val_accuracy"] and len(clf.validation_scores_) == 15
    assert clf.best_validation_score_ == clf.validation_scores_[kept]
    assert clf.validation_scores_[-1] < clf.best_validation_score_ < max(clf.validation_scores_)
    val = validation_rows(clf, IRIS_Y, 0.2)
    assert len(val) == 30 and clf.t_ == 15 * 120
    assert clf.score(IRIS_X[val], IRIS_Y[val]) == clf.best_validation_score_
    # Each epoch's score is accuracy_score of that epoch's weights: the first epoch's, refitted.
    first = DeltapropClassifier(**params, epochs=1, early_stopping=True, validation_fraction=0.2).fit(
        IRIS_X, IRIS_Y
    )
    assert first.validation_scores_ == clf.validation_scores_[:1]
    assert accuracy_score(IRIS_Y[val], first.predict(IRIS_X[val])) == first.validation_scores_[0]


@pytest.mark.parametrize("y", [REG_Y, REG_Y[:, 0]], ids=["two outputs", "one output"])
def test_the_regressors_validation_scores_are_r2_on_the_held_out_rows(y):
    reg = DeltapropRegressor(
        **SMALL, epochs=6, learning_rate=0.01, early_stopping=True, validation_fraction=0.2
    )
    reg.fit(REG_X, y)
    assert reg.validation_scores_ is reg.history_["val_r2"] and len(reg.validation_scores_) == 6
    kept = int(np.argmin(reg.history_["val_loss"]))
    assert reg.best_validation_score_ == reg.validation_scores_[kept]
    val = validation_rows(reg, y.reshape(len(y), -1), 0.2)
    assert len(val) == 24 and reg.t_ == 6 * 96
    # r2_score averaged over the outputs, as MLPRegressor scores its validation set and as score() does.
    assert reg.best_validation_score_ == reg.score(REG_X[val], y[val])
    assert reg.best_validation_score_ == r2_score(y[val], reg.predict(REG_X[val]))
    assert "val_r2" not in DeltapropRegressor(**SMALL, epochs=1).fit(REG_X, y).history_


def test_the_regressors_validation_scores_are_weighted_as_its_validation_loss():
    """With sample_weight, R² on the held-out rows is r2_score with their weights, as
    MLPRegressor scores them (and as val_loss, the cost early stopping watches, is weighted)."""
    s = np.random.default_rng(0).uniform(0.0, 3.0, len(REG_Y))
    params = dict(**SMALL, epochs=6, learning_rate=0.01, early_stopping=True, validation_fraction=0.2)
    reg = DeltapropRegressor(**params).fit(REG_X, REG_Y, sample_weight=s)
    plain = DeltapropRegressor(**params).fit(REG_X, REG_Y)
    val = validation_rows(reg, REG_Y, 0.2)
    kept = int(np.argmin(reg.history_["val_loss"]))
    assert reg.best_validation_score_ == reg.validation_scores_[kept]
    weighted = r2_score(REG_Y[val], reg.predict(REG_X[val]), sample_weight=s[val])
    assert reg.best_validation_score_ == pytest.approx(weighted, rel=1e-12)
    assert reg.best_validation_score_ == pytest.approx(reg.score(REG_X[val], REG_Y[val], s[val]), rel=1e-12)
    assert weighted != pytest.approx(r2_score(REG_Y[val], reg.predict(REG_X[val])), rel=1e-6)
    assert reg.validation_scores_ != plain.validation_scores_


def snapshot(est) -> dict:
    return {name: getattr(est, name) for name in sorted(MLP_ATTRIBUTES)} | {"history_": est.history_}


def equal(a: dict, b: dict) -> bool:
    """Attribute by attribute, NaN equal to NaN, arrays compared by value."""
    for name in a:
        x, y = a[name], b[name]
        if name in ("coefs_", "intercepts_"):
            if not all(np.array_equal(u, v) for u, v in zip(x, y)):
                return False
        elif name == "history_":
            if x.keys() != y.keys() or not all(np.array_equal(x[k], y[k], equal_nan=True) for k in x):
                return False
        elif not (x is y or x == y or (isinstance(x, list) and np.array_equal(x, y, equal_nan=True))):
            return False
    return True


@pytest.mark.parametrize(
    "call",
    [
        lambda clf: clf.set_params(warm_start=True).fit(IRIS_X[:100], IRIS_Y[:100]),  # lacks a class
        lambda clf: clf.set_params(early_stopping=True).partial_fit(IRIS_X, IRIS_Y),
        lambda clf: clf.set_params(warm_start=True, hidden_layer_sizes=(3,)).fit(IRIS_X, IRIS_Y),
        lambda clf: clf.partial_fit(IRIS_X[:, :3], IRIS_Y),
        lambda clf: clf.partial_fit(IRIS_X, IRIS_Y + 5),
    ],
    ids=["other classes", "early stopping", "another network", "another width", "unknown labels"],
)
@pytest.mark.parametrize("early_stopping", [False, True])
def test_a_refused_call_leaves_every_attribute_as_it_was(call, early_stopping):
    clf = DeltapropClassifier(**SMALL, epochs=3, early_stopping=early_stopping).fit(IRIS_X, IRIS_Y)
    clf.set_params(early_stopping=False)  # so that partial_fit may run, and be refused for its data
    before = copy.deepcopy(snapshot(clf))
    with pytest.raises(ValueError):
        call(clf)
    assert equal(snapshot(clf), before)
    assert (clf.best_loss_ is None) == early_stopping == (clf.validation_scores_ is not None)


def test_the_attributes_follow_early_stopping_as_the_last_call_that_trained_had_it():
    clf = DeltapropClassifier(**SMALL, epochs=3, early_stopping=True).fit(IRIS_X, IRIS_Y)
    assert clf.best_loss_ is None and len(clf.validation_scores_) == 3 and clf.t_ == 3 * 135
    # partial_fit has no validation set: scikit-learn's attributes of a fit without one.
    clf.set_params(early_stopping=False).partial_fit(IRIS_X, IRIS_Y)
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None
    assert clf.best_loss_ == min(clf.loss_curve_) and clf.t_ == 3 * 135 + 150
    # A warm-started fit with early stopping: every epoch's score, NaN for the partial_fit's.
    clf.set_params(early_stopping=True, warm_start=True).fit(IRIS_X, IRIS_Y)
    scores = clf.validation_scores_
    assert len(scores) == len(clf.loss_curve_) == 7 and np.isnan(scores[3])
    assert not np.isnan(scores[:3] + scores[4:]).any() and clf.t_ == 6 * 135 + 150
    kept = 4 + int(np.argmin(clf.history_["val_loss"][4:]))  # this fit counts afresh
    assert clf.best_validation_score_ == scores[kept]


@pytest.mark.parametrize(
    ("batch_size", "early_stopping", "good_epochs"),
    [(16, False, 0), ("auto", False, 1), (16, True, 0), ("auto", True, 2)],
)
def test_a_diverged_fit_counts_the_epochs_of_the_weights_it_keeps(batch_size, early_stopping, good_epochs):
    """The network keeps the weights of the last good epoch: the attributes count those epochs,
    and with early stopping best_validation_score_ is that epoch's score (−inf before any)."""
    X, y = load_diabetes(return_X_y=True)  # unscaled targets 25..346: η = 10 overflows
    X = StandardScaler().fit_transform(X)
    reg = DeltapropRegressor(**{**SMALL, "hidden_layer_sizes": (8,), "batch_size": batch_size}, epochs=3)
    reg.set_params(optimizer="sgd", learning_rate=10.0, momentum=0.0, early_stopping=early_stopping)
    with pytest.raises(dp.DivergenceError):
        reg.fit(X, y)
    n_train = len(y) - (45 if early_stopping else 0)  # ceil(0.1 × 442) held out
    assert reg.n_iter_ == len(reg.loss_curve_) == good_epochs and reg.t_ == good_epochs * n_train
    if good_epochs:
        assert reg.loss_ == reg.loss_curve_[-1]
    else:
        assert np.isnan(reg.loss_)
    if early_stopping:
        assert reg.best_loss_ is None and len(reg.validation_scores_) == good_epochs
        assert reg.best_validation_score_ == (reg.validation_scores_[-1] if good_epochs else -np.inf)
    else:
        assert reg.best_loss_ == min(reg.loss_curve_, default=np.inf) and reg.validation_scores_ is None


def test_unfitted_estimators_have_none_of_the_attributes():
    for est in (DeltapropClassifier(), DeltapropRegressor()):
        assert not any(hasattr(est, name) for name in MLP_ATTRIBUTES)


def test_sample_weight_is_taken_where_scikit_learns_mlp_takes_it():
    """scikit-learn ≥ 1.7 weights each mini-batch's gradient, Σ s_x ∇C_x / Σ s_x, and so does
    deltaprop's training step: fit and partial_fit take sample_weight, and unit weights change
    nothing (tests/test_sklearn.py checks weighted epochs against scikit-learn's)."""
    for mlp, est in [(MLPClassifier(), DeltapropClassifier()), (MLPRegressor(), DeltapropRegressor())]:
        assert has_fit_parameter(mlp, "sample_weight") and has_fit_parameter(est, "sample_weight")
        params = dict(hidden_layer_sizes=(4,), epochs=2, random_state=0)
        a = clone(est).set_params(**params).fit(IRIS_X, IRIS_Y, sample_weight=np.ones(150))
        b = clone(est).set_params(**params).fit(IRIS_X, IRIS_Y)
        assert all(np.array_equal(x, y) for x, y in zip(a.coefs_, b.coefs_))
