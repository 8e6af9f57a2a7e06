"""What a user of scikit-learn's MLPClassifier / MLPRegressor meets first: its parameter names
(``max_iter`` is ``epochs`` here), its learning-rate schedules by name, a ``batch_size``
larger than the data (which its MLP warns about), and the classes of a fitted estimator.

Before, ``DeltapropClassifier(max_iter=3)`` said "_DeltapropEstimator.__init__() got an
unexpected keyword argument 'max_iter'" (a private class, no help), ``learning_rate="adaptive"``
said only that it must be a number, a ``batch_size`` beyond the data was clipped without a word,
and a ``partial_fit`` after ``fit`` spoke of "the first call to partial_fit"."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor

X, Y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)
SMALL = dict(hidden_layer_sizes=(4,), epochs=2, random_state=0)


@pytest.mark.parametrize(
    ("name", "value", "use"),
    [
        ("max_iter", 3, "use epochs, the passes over the data"),
        ("learning_rate_init", 0.01, "use learning_rate, the optimizer's η"),
        ("alpha", 1e-4, "use l2, Nielsen's λ, on another scale"),
        ("solver", "sgd", "use optimizer: 'adam', 'sgd', 'momentum' or 'nesterov'"),
    ],
)
@pytest.mark.parametrize("estimator", [DeltapropClassifier, DeltapropRegressor])
def test_scikit_learns_mlp_names_say_what_to_use(estimator, name, value, use):
    assert name in MLPClassifier().get_params()  # the name a scikit-learn user knows
    with pytest.raises(TypeError) as err:
        estimator(**{name: value})
    message = str(err.value)
    assert message.startswith(f"{estimator.__name__} has no parameter {name}; got {name}={value!r}. ")
    assert f"{name} is scikit-learn's MLP name; {use}" in message and "_Deltaprop" not in message
    with pytest.raises(
        ValueError, match=rf"^Invalid parameter '{name}' for estimator {estimator.__name__}\(\)"
    ):
        estimator().set_params(**{name: value})
    with pytest.raises(ValueError, match=f"{name} is scikit-learn's MLP name; {use}"):
        estimator().set_params(**{name: value})


def test_alphas_scale_is_given_as_an_l2():
    """alpha=α adds α/m · w to each step's gradient (m the mini-batch's rows), l2=λ adds λ/n · w
    (n the training rows): the same decay is l2 = α·n/m, as the message says."""
    with pytest.raises(TypeError, match=r"so alpha=α decays the weights as l2 = α·n/batch_size does"):
        DeltapropClassifier(alpha=0.1)


def test_other_unknown_names_are_named_with_the_parameters_there_are():
    with pytest.raises(TypeError) as err:
        DeltapropRegressor(hidden_layers=(3,))
    assert str(err.value).startswith(
        "DeltapropRegressor has no parameter hidden_layers; got hidden_layers=(3,). "
    )
    assert "Its parameters: hidden_layer_sizes, activation, " in str(err.value)
    with pytest.raises(ValueError, match="Invalid parameter 'hidden_layers' for estimator"):  # scikit-learn's
        DeltapropRegressor().set_params(hidden_layers=(3,))


def test_the_check_keeps_construction_clone_and_pickle_as_they_were():
    clf = DeltapropClassifier((5,), epochs=3, l2=0.5)
    assert clf.get_params()["hidden_layer_sizes"] == (5,) and clf.epochs == 3
    for copy in (clone(clf), pickle.loads(pickle.dumps(clf))):
        assert type(copy) is DeltapropClassifier and copy.get_params() == clf.get_params()
    fitted = DeltapropClassifier(**SMALL).fit(X, Y)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))
    assert clf.set_params(epochs=4).epochs == 4


@pytest.mark.parametrize("schedule", ["adaptive", "constant", "invscaling"])
def test_a_schedules_name_as_learning_rate_says_learning_rate_is_eta(schedule):
    with pytest.raises(TypeError) as err:
        DeltapropClassifier(learning_rate=schedule).fit(X, Y)
    assert str(err.value) == (
        f"learning_rate must be a number; got {schedule!r} (a schedule's name in scikit-learn's MLP). "
        f"In deltaprop learning_rate is η, scikit-learn's learning_rate_init, and these estimators have "
        f"no schedule by name: η stays as given"
    )


def test_a_partial_fit_after_fit_names_the_classes_it_was_fitted_with():
    clf = DeltapropClassifier(**SMALL).fit(X[Y < 2], Y[Y < 2])
    with pytest.raises(ValueError) as err:
        clf.partial_fit(X, Y, classes=[0, 1, 2])
    message = str(err.value)
    assert message.startswith("classes=[0, 1, 2] differs from classes_ [0, 1], the classes this ")
    assert "DeltapropClassifier was fitted with" in message and "first call to partial_fit" not in message


@pytest.mark.parametrize("estimator", [DeltapropClassifier, DeltapropRegressor])
def test_a_batch_size_larger_than_the_data_warns_that_it_is_clipped(estimator):
    """As scikit-learn's MLP warns ("Got `batch_size` ... larger than sample size. It is going to
    be clipped"); the clipped run is the full-batch run."""
    y = Y if estimator is DeltapropClassifier else Y.astype(float)
    with pytest.warns(UserWarning) as caught:
        big = estimator(**SMALL, batch_size=500).fit(X, y)
    assert len(caught) == 1 and caught[0].filename == __file__
    assert str(caught[0].message) == (
        "batch_size=500 is larger than the 150 training samples: it is clipped to 150, one "
        "full-batch step per epoch"
    )
    full = estimator(**SMALL, batch_size=150).fit(X, y)
    np.testing.assert_array_equal(big.coefs_[0], full.coefs_[0])
    with pytest.warns(UserWarning, match=r"^batch_size=500 is larger than the 30 training samples: "):
        estimator(**SMALL, batch_size=500).partial_fit(
            X[:30], y[:30], **({"classes": [0, 1, 2]} if estimator is DeltapropClassifier else {})
        )


def test_the_warning_counts_the_rows_early_stopping_leaves_and_auto_never_warns():
    with pytest.warns(UserWarning) as caught:
        DeltapropClassifier(**SMALL, batch_size=140, early_stopping=True).fit(X, Y)
    [clipped] = [w for w in caught if "batch_size" in str(w.message)]  # beside a ConvergenceWarning
    assert str(clipped.message).startswith(
        "batch_size=140 is larger than the 135 training samples "
        "(of 150, the rest held out by early stopping): it is clipped to 135"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DeltapropClassifier(**SMALL).fit(X[::4], Y[::4])  # "auto": min(200, 38), meant to clip
        DeltapropClassifier(**SMALL, batch_size=150).fit(X, Y)  # exactly the samples: no clipping
