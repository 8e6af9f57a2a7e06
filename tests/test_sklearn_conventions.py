"""Where the estimators follow scikit-learn's MLPClassifier / MLPRegressor rules, checked side by
side with scikit-learn's own estimators on the same input: a warm-started fit needs the classes
it was fitted on, early stopping needs a validation set of at least 2 samples, and
predict_proba's rows agree with predict for every output activation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor

SMALL = dict(hidden_layer_sizes=(8,), epochs=3, batch_size=16, learning_rate=0.01, random_state=0)
MLP_SMALL = dict(hidden_layer_sizes=(8,), max_iter=3, batch_size=16, random_state=0)

IRIS_X, IRIS_Y = load_iris(return_X_y=True)
IRIS_X = StandardScaler().fit_transform(IRIS_X)
IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])[IRIS_Y]


def mlp_fit(estimator, X, y):
    """scikit-learn's MLP fit, quiet about max_iter running out (the point here is what it refuses)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y)


def parameters(est) -> list[np.ndarray]:
    return [a.copy() for a in est.coefs_ + est.intercepts_]


# --- 1. a warm-started fit needs the classes of the fit it continues ------------------------


@pytest.mark.parametrize(
    "first, rows, second, message",
    [
        # a subset: classes_ keeps an output that this fit would only push towards 0
        (IRIS_Y, slice(0, 100), IRIS_Y, r"y lacks \[2\]\. Set warm_start=False .*, or use partial_fit"),
        # a new class: no output to learn it, so partial_fit is no way out either
        (
            IRIS_Y,
            slice(None),
            IRIS_Y + 1,
            r"y lacks \[0\]; y adds \[3\]\. Set warm_start=False to start afresh$",
        ),
        (IRIS_NAMES, slice(50, 150), IRIS_NAMES, r"y lacks \['setosa'\]"),
    ],
)
def test_warm_start_fit_refuses_other_classes_as_mlp_classifier_does(first, rows, second, message):
    mlp = mlp_fit(MLPClassifier(**MLP_SMALL, warm_start=True), IRIS_X, first)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has the same classes"):
        mlp_fit(mlp, IRIS_X[rows], second[rows])

    clf = DeltapropClassifier(**SMALL, warm_start=True).fit(IRIS_X, first)
    before, optimizer, losses = parameters(clf), clf.optimizer_, list(clf.loss_curve_)
    with pytest.raises(ValueError, match=r"warm_start=True continues the fitted network") as err:
        clf.fit(IRIS_X[rows], second[rows])
    assert err.match(r"one output per class of classes_ \(3 classes\)") and err.match(message)
    # Refused before anything changed: the weights, the optimizer and the history of the first fit.
    assert all(np.array_equal(a, b) for a, b in zip(before, parameters(clf)))
    assert clf.optimizer_ is optimizer and clf.loss_curve_ == losses
    assert np.array_equal(clf.classes_, np.unique(first))


def test_warm_start_fit_accepts_the_same_classes_in_any_order_and_a_cold_fit_any_classes():
    clf = DeltapropClassifier(**SMALL, warm_start=True).fit(IRIS_X, IRIS_Y)
    order = np.random.default_rng(0).permutation(150)[:40]  # a sample that holds all three classes
    assert set(IRIS_Y[order]) == {0, 1, 2}
    clf.fit(IRIS_X[order], IRIS_Y[order])
    assert len(clf.loss_curve_) == 6
    # Without warm_start, fit starts afresh and takes the classes of y, as MLPClassifier does.
    clf.set_params(warm_start=False).fit(IRIS_X[:100], IRIS_Y[:100])
    assert list(clf.classes_) == [0, 1] and clf.network_.sizes[-1] == 2


def test_warm_start_after_partial_fit_needs_the_classes_given_to_partial_fit():
    """A network made by partial_fit has classes_ too; MLPClassifier then checks a warm fit's y
    against them, and so does the estimator."""
    mlp = MLPClassifier(**MLP_SMALL, warm_start=True).partial_fit(IRIS_X, IRIS_Y, classes=[0, 1, 2])
    clf = DeltapropClassifier(**SMALL, warm_start=True).partial_fit(IRIS_X, IRIS_Y, classes=[0, 1, 2])
    for est in (mlp, clf):
        with pytest.raises(ValueError, match="warm_start"):
            mlp_fit(est, IRIS_X[:100], IRIS_Y[:100])


def test_partial_fit_takes_a_subset_of_classes_but_no_label_outside_them_as_mlp_classifier_does():
    mlp = MLPClassifier(**MLP_SMALL).partial_fit(IRIS_X, IRIS_Y, classes=[0, 1, 2])
    clf = DeltapropClassifier(**SMALL).partial_fit(IRIS_X, IRIS_Y, classes=[0, 1, 2])
    for est in (mlp, clf):
        est.partial_fit(IRIS_X[:100], IRIS_Y[:100])  # classes 0 and 1 only: accepted
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        mlp.partial_fit(IRIS_X[:3], [0, 1, 7])
    with pytest.raises(ValueError, match=r"y holds labels \[7\] that are not in classes_ \[0, 1, 2\]"):
        clf.partial_fit(IRIS_X[:3], [0, 1, 7])


# --- 2. early stopping needs a validation set of at least 2 samples -------------------------

RNG = np.random.default_rng(0)
REG_X = RNG.normal(size=(20, 3))
REG_Y = REG_X @ np.array([1.0, -2.0, 0.5])
# 10 samples of class 0 and 4 of class 1: scikit-learn holds out ceil(0.07 × 14) = 1 sample;
# deltaprop's stratified split round(0.07 × 10) + round(0.07 × 4) = 1 + 0 = 1 too.
CLF_X, CLF_Y = REG_X[:14], np.array([0] * 10 + [1] * 4)


@pytest.mark.parametrize(
    "ours, theirs, X, y, fraction, held_out",
    [
        # ceil(0.05 × 20) = 1 sample in both: scikit-learn's "The validation set is too small".
        (DeltapropRegressor, MLPRegressor, REG_X, REG_Y, 0.05, "holds out 1 of the 20 training samples, "),
        # scikit-learn refuses it in train_test_split (fewer test samples than classes).
        (
            DeltapropClassifier,
            MLPClassifier,
            CLF_X,
            CLF_Y,
            0.07,
            r"holds out 1 of the 14 training samples \(",
        ),
    ],
)
def test_a_one_sample_validation_set_is_refused_as_scikit_learn_does(ours, theirs, X, y, fraction, held_out):
    with pytest.raises(ValueError):
        mlp_fit(theirs(**MLP_SMALL, early_stopping=True, validation_fraction=fraction), X, y)
    est = ours(**SMALL, early_stopping=True, validation_fraction=fraction)
    with pytest.raises(ValueError, match=rf"validation_fraction={fraction} {held_out}") as err:
        est.fit(X, y)
    assert err.match("needs at least 2 validation samples")
    assert not hasattr(est, "network_")  # refused before anything was built


def test_two_validation_samples_are_enough_in_both():
    """ceil(0.1 × 20) = 2: scikit-learn fits, and so does the estimator, validating on 2 samples."""
    mlp = mlp_fit(MLPRegressor(**MLP_SMALL, early_stopping=True, validation_fraction=0.1), REG_X, REG_Y)
    assert len(mlp.validation_scores_) == 3
    reg = DeltapropRegressor(**SMALL, early_stopping=True, validation_fraction=0.1).fit(REG_X, REG_Y)
    assert len(reg.history_["val_loss"]) == 3 and np.isfinite(reg.history_["val_loss"]).all()


def test_a_split_that_leaves_nothing_to_train_on_says_so():
    """ceil(0.9 × 5) = 5: every sample held out (scikit-learn: "the resulting train set will
    be empty"); before, the message said no *validation* samples were left."""
    with pytest.raises(ValueError, match="train set will be empty"):
        mlp_fit(MLPRegressor(**MLP_SMALL, early_stopping=True, validation_fraction=0.9), REG_X[:5], REG_Y[:5])
    with pytest.raises(
        ValueError, match=r"validation_fraction=0.9 holds out 5 of the 5 .*, leaving none to train"
    ):
        DeltapropRegressor(**SMALL, early_stopping=True, validation_fraction=0.9).fit(REG_X[:5], REG_Y[:5])


def test_a_warm_started_fit_checks_the_validation_set_of_its_own_data():
    """Switching early stopping on for a warm-started fit checks the split of that fit's data,
    and refuses it before the fitted network or its optimizer change."""
    reg = DeltapropRegressor(**SMALL, warm_start=True).fit(REG_X, REG_Y)
    before, optimizer = parameters(reg), reg.optimizer_
    reg.set_params(early_stopping=True, validation_fraction=0.05)
    with pytest.raises(ValueError, match="validation_fraction=0.05 holds out 1 of the 20 training samples"):
        reg.fit(REG_X, REG_Y)
    assert all(np.array_equal(a, b) for a, b in zip(before, parameters(reg))) and reg.optimizer_ is optimizer
    reg.set_params(validation_fraction=0.1).fit(REG_X, REG_Y)  # 2 samples: accepted
    assert len(reg.loss_curve_) == 6


# --- 3. predict_proba agrees with predict, whatever the output activation ------------------

OUTPUTS = ["logistic", "tanh", "linear", "relu", "leaky_relu"]


def with_output_biases(output_activation: str, biases) -> DeltapropClassifier:
    """A fitted classifier whose output layer ignores its input: zero weights, these biases,
    so every row's outputs are a = σ(biases)."""
    clf = DeltapropClassifier(**SMALL, output_activation=output_activation).fit(IRIS_X, IRIS_NAMES)
    clf.coefs_[-1][:] = 0.0
    clf.intercepts_[-1][:] = biases
    return clf


@pytest.mark.parametrize(
    "output_activation, biases, expected",
    [
        # tanh(−0.3, −0.1, −0.2) are all negative: no positive output, so all of the row goes
        # to the largest, −0.0997 (versicolor). It used to be uniform, argmax setosa.
        ("tanh", [-0.3, -0.1, -0.2], [0.0, 1.0, 0.0]),
        # The largest output is tied (−0.1 twice): the two share the row.
        ("linear", [-0.3, -0.1, -0.1], [0.0, 0.5, 0.5]),
        # 0.01 × (−0.3, −0.1, −0.2): leaky_relu's negative side keeps the order.
        ("leaky_relu", [-0.3, -0.1, -0.2], [0.0, 1.0, 0.0]),
        # relu(·) = 0 everywhere: every output ties, the row is uniform (argmax: the first).
        ("relu", [-0.3, -0.1, -0.2], [1 / 3, 1 / 3, 1 / 3]),
        # One positive output takes the whole row; the negative ones are clipped to 0.
        ("linear", [0.4, -0.1, -0.2], [1.0, 0.0, 0.0]),
        # Clipped at 0, then divided by the sum 0.6 + 0.2 = 0.8.
        ("linear", [0.6, -0.5, 0.2], [0.75, 0.0, 0.25]),
        # σ(−0.3, −0.1, −0.2) = (0.425557, 0.475021, 0.450166), sum 1.350744: a / Σa.
        ("logistic", [-0.3, -0.1, -0.2], [0.315054, 0.351673, 0.333273]),
    ],
)
def test_predict_proba_by_hand(output_activation, biases, expected):
    clf = with_output_biases(output_activation, biases)
    with np.errstate(all="raise"):
        proba = clf.predict_proba(IRIS_X[:4])
        labels = clf.predict(IRIS_X[:4])
    np.testing.assert_allclose(proba, np.tile(expected, (4, 1)), rtol=0, atol=1e-6)
    assert list(labels) == [clf.classes_[np.argmax(expected)]] * 4


@pytest.mark.parametrize("output_activation", OUTPUTS)
def test_predict_is_the_argmax_of_predict_proba_for_every_row(output_activation):
    """Rows in [0, 1] summing to 1, and predict == classes_[argmax(predict_proba)] on every row,
    including the rows where every output is ≤ 0 (which tanh, linear and leaky_relu outputs of
    a briefly trained network give for some of iris; the test makes sure they are there)."""
    clf = DeltapropClassifier(**SMALL, output_activation=output_activation).fit(IRIS_X, IRIS_NAMES)
    X = np.vstack([IRIS_X, 3.0 * np.random.default_rng(1).normal(size=(300, 4))])
    a = clf.network_.predict(X)
    if output_activation != "logistic":
        assert np.any(a.max(axis=1) <= 0)  # the rows the old uniform fallback got wrong
    with np.errstate(all="raise"):
        proba = clf.predict_proba(X)
        labels = clf.predict(X)
    assert proba.shape == (450, 3) and np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(labels, clf.classes_[np.argmax(proba, axis=1)])
    np.testing.assert_array_equal(labels, clf.classes_[np.argmax(a, axis=1)])  # the largest output
    if output_activation == "logistic":  # always positive: the one-vs-rest normalisation a / Σa
        np.testing.assert_allclose(proba, a / a.sum(axis=1, keepdims=True), rtol=1e-12)


def test_softmax_probabilities_are_the_outputs_as_in_mlp_classifier():
    """The default softmax output: predict_proba is the network's a, as MLPClassifier's is its
    forward pass; unchanged by the rule for other outputs."""
    clf = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_NAMES)
    np.testing.assert_array_equal(clf.predict_proba(IRIS_X), clf.network_.predict(IRIS_X))
    mlp = mlp_fit(MLPClassifier(**MLP_SMALL), IRIS_X, IRIS_NAMES)
    for est in (clf, mlp):
        proba = est.predict_proba(IRIS_X)
        np.testing.assert_array_equal(est.predict(IRIS_X), est.classes_[np.argmax(proba, axis=1)])
