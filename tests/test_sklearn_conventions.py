"""Where the estimators follow scikit-learn's MLPClassifier / MLPRegressor rules, checked side by
side with scikit-learn's own estimators on the same input: a warm-started fit needs the classes
it was fitted on, early stopping needs a validation set of at least 2 samples, predict_proba's
rows agree with predict for every output activation, epochs that run out before early stopping
warn ConvergenceWarning, and a multilabel y is refused with what to do instead."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_classifiers_train

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


def test_predict_log_proba_is_minus_infinity_where_a_probability_is_zero():
    """ln 0 = −inf, as MLPClassifier's np.log(predict_proba(X)); it used to be clipped to
    ln(tiny) ≈ −708, which scikit-learn's check_classifiers_train refuses (it compares with
    np.log(predict_proba)) for an output layer that can give a probability of exactly 0."""
    clf = with_output_biases("linear", [0.6, -0.5, 0.2])  # p = (0.75, 0, 0.25), see above
    with np.errstate(all="raise"):  # no divide-by-zero warning either
        log_proba = clf.predict_log_proba(IRIS_X[:2])
    assert np.isneginf(log_proba[:, 1]).all()
    np.testing.assert_allclose(log_proba[:, [0, 2]], np.log([[0.75, 0.25]] * 2), rtol=1e-15)
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(log_proba, np.log(clf.predict_proba(IRIS_X[:2])))
    check_classifiers_train(
        "DeltapropClassifier", DeltapropClassifier(**{**SMALL, "epochs": 20}, output_activation="tanh")
    )


# --- 4. a refused call changes nothing; parameters are checked before the data ----------------


def fitted_state(est) -> dict:
    return {key: value for key, value in vars(est).items() if key.endswith("_")}


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(hidden_layer_sizes=(0,)), r"hidden_layer_sizes\[0\] must be an integer ≥ 1"),
        (dict(activation="swish"), "unknown activation 'swish'"),
        (dict(verbose="loud"), "verbose must be 0 .* got 'loud'"),
    ],
)
def test_a_refused_fit_leaves_a_fitted_estimator_as_it_was(params, message):
    """validate_data sets n_features_in_ before the network's parameters are checked; a fit
    refused after that used to leave n_features_in_ = 3 beside a network of 4 inputs, so that
    predict refused the very data the network was fitted on."""
    clf = DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_NAMES)
    state, proba = fitted_state(clf), clf.predict_proba(IRIS_X)
    clf.set_params(**params)
    with pytest.raises(ValueError, match=message):
        clf.fit(IRIS_X[:, :3], IRIS_Y)
    assert fitted_state(clf).keys() == state.keys()
    assert all(fitted_state(clf)[key] is value for key, value in state.items())
    assert clf.n_features_in_ == 4
    np.testing.assert_array_equal(clf.predict_proba(IRIS_X), proba)


def test_a_refused_verbose_leaves_the_estimator_unfitted():
    """verbose was checked by training.fit, after the network had been built and set: the
    refused fit left a "fitted" estimator with untrained weights and an empty history."""
    for est in (DeltapropClassifier(**SMALL, verbose="loud"), DeltapropRegressor(**SMALL, verbose=-1)):
        with pytest.raises(ValueError, match="verbose must be 0 .* got"):
            est.fit(IRIS_X, IRIS_Y)
        assert fitted_state(est) == {}


@pytest.mark.parametrize("name", ["shuffle", "early_stopping", "warm_start"])
@pytest.mark.parametrize("value", ["no", 0, None])
def test_flags_must_be_true_or_false(name, value):
    """Any string is truthy: shuffle="no" used to shuffle, early_stopping="no" to stop early.
    scikit-learn's MLP refuses anything but a bool for these three (InvalidParameterError)."""
    with pytest.raises(ValueError, match=f"The '{name}' parameter of MLPClassifier must be"):
        mlp_fit(MLPClassifier(**MLP_SMALL, **{name: value}), IRIS_X, IRIS_Y)
    with pytest.raises(TypeError, match=rf"{name} must be True or False; got {value!r} of type"):
        DeltapropClassifier(**{**SMALL, name: value}).fit(IRIS_X, IRIS_Y)
    DeltapropClassifier(**{**SMALL, name: np.bool_(False)}).fit(IRIS_X, IRIS_Y)  # NumPy's bool is one


@pytest.mark.parametrize("value", [-1, 2**32, "a", 1.5, np.random.default_rng(0)])
def test_a_bad_random_state_is_named(value):
    """check_random_state's own message ("Seed must be between 0 and 2**32 - 1") named neither
    the parameter nor the value."""
    est = DeltapropClassifier(**{**SMALL, "random_state": value})
    with pytest.raises(ValueError, match=r"random_state must be None, an integer in \[0, 2\*\*32 - 1\] or"):
        est.fit(IRIS_X, IRIS_Y)
    assert fitted_state(est) == {}


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(tol="x"), "tol must be a number; got 'x'"),
        (dict(tol=-1.0), "tol must be a finite number ≥ 0; got -1.0"),
        (dict(n_iter_no_change=0), "n_iter_no_change must be > 0; got 0"),
        (dict(validation_fraction=1.5), r"validation_fraction must be a number in \[0, 1\).*got 1.5"),
        (
            dict(validation_fraction=float("nan")),
            r"validation_fraction must be a number in \[0, 1\).*got nan",
        ),
    ],
)
def test_the_early_stopping_parameters_are_checked_with_early_stopping_off(params, message):
    """As scikit-learn's MLP checks them: a bad value used to be kept unseen until
    early_stopping=True was set, maybe by a grid search."""
    for ours, theirs in [(DeltapropClassifier, MLPClassifier), (DeltapropRegressor, MLPRegressor)]:
        with pytest.raises((TypeError, ValueError)):
            mlp_fit(theirs(**MLP_SMALL, **params), IRIS_X, IRIS_Y)
        with pytest.raises((TypeError, ValueError), match=message):
            ours(**SMALL, **params).fit(IRIS_X, IRIS_Y)
    # validation_fraction = 0 is in scikit-learn's range; it means nothing without early stopping.
    DeltapropClassifier(**SMALL, validation_fraction=0.0).fit(IRIS_X, IRIS_Y)


# --- 5. continuing a network needs the parameters it was built with ---------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(hidden_layer_sizes=(20,)), r"hidden_layer_sizes asks for \[20\] where network_ has \[8\]"),
        (dict(hidden_layer_sizes=(8, 8)), r"hidden_layer_sizes asks for \[8, 8\] where network_ has \[8\]"),
        (dict(activation="tanh"), r"activation asks for \['tanh'\] where network_ has \['relu'\]"),
        (
            dict(output_activation="logistic"),
            "output_activation asks for logistic where network_ has softmax",
        ),
        (dict(cost="quadratic"), "cost asks for quadratic where network_ has log_likelihood"),
        (dict(dtype="float32"), "dtype asks for float32 where network_ has float64"),
    ],
)
def test_continuing_with_parameters_of_another_network_is_refused(params, message):
    """A warm-started fit and a later partial_fit continue network_; they used to ignore a new
    hidden_layer_sizes, activation, cost or dtype without a word (scikit-learn's MLP ignores a
    new hidden_layer_sizes as silently, and applies a new activation to the old weights)."""
    for call in ("fit", "partial_fit"):
        clf = DeltapropClassifier(**SMALL, warm_start=True).fit(IRIS_X, IRIS_Y)
        before, losses = parameters(clf), list(clf.loss_curve_)
        clf.set_params(**params)
        pattern = "warm_start=True" if call == "fit" else "partial_fit"
        with pytest.raises(
            ValueError, match=rf"{pattern} continues the fitted network Network\(sizes="
        ) as err:
            getattr(clf, call)(IRIS_X, IRIS_Y)
        assert err.match(message) and err.match(r"or fit afresh \(warm_start=False\)")
        assert all(np.array_equal(a, b) for a, b in zip(before, parameters(clf)))
        assert clf.loss_curve_ == losses
        clf.set_params(warm_start=False).fit(IRIS_X, IRIS_Y)  # afresh: the new network
        assert clf.network_.sizes[1:-1] == list(clf.get_params()["hidden_layer_sizes"])


@pytest.mark.parametrize(
    "call, message",
    [
        ("fit", r"y has 2 outputs but the warm-started network_ has 1"),
        ("partial_fit", r"y has 2 outputs but network_, built by the first partial_fit, has 1"),
    ],
)
def test_continuing_a_regressor_with_another_number_of_outputs_is_refused(call, message):
    reg = DeltapropRegressor(**SMALL, warm_start=True).fit(IRIS_X, IRIS_Y.astype(float))
    before, losses = parameters(reg), list(reg.loss_curve_)
    with pytest.raises(ValueError, match=message):
        getattr(reg, call)(IRIS_X, np.c_[IRIS_Y, IRIS_Y].astype(float))
    assert all(np.array_equal(a, b) for a, b in zip(before, parameters(reg)))
    assert reg.loss_curve_ == losses and reg.network_.sizes[-1] == 1


def test_continuing_with_another_init_or_seed_or_spelling_is_accepted():
    """init and random_state only choose initial weights; "identity" is "linear" by another name."""
    reg = DeltapropRegressor(**SMALL, activation="linear", warm_start=True).fit(IRIS_X, IRIS_Y)
    reg.set_params(init="glorot_normal", random_state=7, activation="identity", learning_rate=0.1)
    reg.fit(IRIS_X, IRIS_Y)
    reg.partial_fit(IRIS_X, IRIS_Y)
    assert len(reg.loss_curve_) == 2 * SMALL["epochs"] + 1


# --- 5. ConvergenceWarning when the epochs run out; multilabel y named ----------------------


def test_epochs_running_out_before_early_stopping_warns_as_max_iter_does():
    """Early stopping is the estimators' tol / n_iter_no_change criterion: when the epochs run
    out before it stops training, fit warns scikit-learn's ConvergenceWarning, as MLPClassifier
    does when max_iter runs out. Nothing was said before."""
    params = dict(SMALL, early_stopping=True, validation_fraction=0.2)
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
        MLPClassifier(**MLP_SMALL, early_stopping=True, validation_fraction=0.2).fit(IRIS_X, IRIS_Y)
    with pytest.warns(ConvergenceWarning) as caught:
        clf = DeltapropClassifier(**params).fit(IRIS_X, IRIS_Y)
    assert len(caught) == 1 and caught[0].filename == __file__  # points at the caller's fit
    assert str(caught[0].message) == (
        "Maximum epochs (3) reached and the optimization hasn't converged yet: early stopping had not "
        "stopped training (it stops once the validation cost has not improved by tol=0.0001 for more "
        "than n_iter_no_change=10 epochs). Raise epochs to train longer"
    )
    assert clf.n_iter_ == 3
    with pytest.warns(ConvergenceWarning, match=r"Maximum epochs \(3\) reached"):
        DeltapropRegressor(**params).fit(IRIS_X, IRIS_X[:, 0])


def test_no_convergence_warning_when_early_stopping_stops_or_is_off():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # tol=10: the first epoch improves on ∞, no later one by 10; the second miss in a row
        # (2 > n_iter_no_change=1) stops training after epoch 3 of 50.
        stopped = DeltapropClassifier(
            **{**SMALL, "epochs": 50},
            early_stopping=True,
            validation_fraction=0.2,
            n_iter_no_change=1,
            tol=10.0,
        ).fit(IRIS_X, IRIS_Y)
        assert stopped.n_iter_ == 3
        # Without early stopping there is no criterion: every epoch asked for runs, as asked.
        assert DeltapropClassifier(**SMALL).fit(IRIS_X, IRIS_Y).n_iter_ == SMALL["epochs"]


MULTILABEL_Y = np.c_[IRIS_Y == 0, IRIS_Y == 2].astype(int)  # (150, 2): two labels per sample


@pytest.mark.parametrize("call", ["fit", "partial_fit"])
def test_multilabel_y_is_refused_with_what_to_do_instead(call):
    """It met scikit-learn's bare "y should be a 1d array, got an array of shape (150, 2)"."""
    clf = DeltapropClassifier(**SMALL)
    kwargs = {"classes": [0, 1]} if call == "partial_fit" else {}
    with pytest.raises(ValueError) as refused:
        getattr(clf, call)(IRIS_X, MULTILABEL_Y, **kwargs)
    message = str(refused.value)
    assert message.startswith(
        "DeltapropClassifier does not support multilabel or multi-output classification: y has shape "
        "(150, 2), 2 labels per sample, where it takes one, y of shape (n_samples,)."
    )
    assert "MultiOutputClassifier(DeltapropClassifier())" in message
    assert "DeltapropRegressor(output_activation='logistic')" in message
    assert not hasattr(clf, "network_")


def test_the_two_ways_the_multilabel_message_offers_work():
    from sklearn.multioutput import MultiOutputClassifier

    params = {**SMALL, "epochs": 30}
    per_column = MultiOutputClassifier(DeltapropClassifier(**params)).fit(IRIS_X, MULTILABEL_Y)
    assert per_column.predict(IRIS_X).shape == (150, 2)
    assert (per_column.predict(IRIS_X) == MULTILABEL_Y).mean() > 0.9
    logistic = DeltapropRegressor(**params, output_activation="logistic").fit(IRIS_X, MULTILABEL_Y)
    assert logistic.network_.cost.name == "cross_entropy"
    assert ((logistic.predict(IRIS_X) > 0.5) == MULTILABEL_Y).mean() > 0.9


def test_targets_a_logistic_regressor_cannot_reach_are_refused_naming_y():
    # fit refuses them naming its own argument, Y; an estimator's user wrote y
    X = np.random.default_rng(0).normal(size=(40, 3))
    with pytest.raises(ValueError, match=r"^y does not fit output_activation='logistic'"):
        DeltapropRegressor(output_activation="logistic", epochs=2).fit(X, X[:, 0] * 10)


@pytest.mark.parametrize("momentum", [5.0, -0.1, float("nan")])
def test_momentum_is_checked_under_adam_too_as_scikit_learn_checks_it_for_every_solver(momentum):
    """Adam does not use μ, and a bad one was silently ignored: a grid search that later
    tries optimizer="momentum" would fail only then (deltaprop train refuses --momentum
    with --optimizer adam outright)."""
    for ours, theirs in [(DeltapropClassifier, MLPClassifier), (DeltapropRegressor, MLPRegressor)]:
        with pytest.raises((TypeError, ValueError)):
            mlp_fit(theirs(**MLP_SMALL, solver="adam", momentum=momentum), IRIS_X, IRIS_Y)
        with pytest.raises(ValueError, match=r"momentum must be"):
            ours(**SMALL, optimizer="adam", momentum=momentum).fit(IRIS_X, IRIS_Y)
    DeltapropClassifier(**SMALL, optimizer="adam", momentum=0.0).fit(IRIS_X, IRIS_Y)
