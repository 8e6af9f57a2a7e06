"""A fitted estimator saved without pickle: ``est.save(path)`` and ``DeltapropClassifier.load`` /
``DeltapropRegressor.load``. Before, there was no way but pickle: ``dp.save(clf)`` raised
TypeError, and saving ``network_`` lost ``classes_``, ``n_features_in_``, the parameters and
``optimizer_``.

A loaded estimator predicts, scores and keeps every fitted attribute as the original, labels of
every kind in their dtype; ``partial_fit`` and a warm-started ``fit`` after ``load`` continue
bit for bit as they would have without the file; a file of another kind is refused saying
what it holds; a parameter a file cannot hold is refused on save, naming it."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

import deltaprop as dp
from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor

X, Y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)
SMALL = dict(hidden_layer_sizes=(6,), batch_size=16, epochs=3, random_state=0)
NAMES = np.array(["setosa", "versicolor", "virginica"])
LABELS = {  # the same three classes as every kind of label scikit-learn takes
    "int": Y,
    "negative int": Y - 1,
    "uint8": Y.astype(np.uint8),
    "float": Y + 0.0,
    "str": NAMES[Y],
    "object str (pandas)": pd.Series(NAMES[Y], dtype=object),
}
# What scikit-learn's MLP sets after fit (history_, network_ and optimizer_ are deltaprop's).
ATTRIBUTES = [
    "n_features_in_",
    "n_iter_",
    "t_",
    "loss_",
    "loss_curve_",
    "best_loss_",
    "validation_scores_",
    "best_validation_score_",
    "n_layers_",
    "n_outputs_",
    "out_activation_",
]


def roundtrip(est, tmp_path):
    return type(est).load(est.save(tmp_path / "est.safetensors"))


def assert_same_estimator(loaded, est, X):
    """Every fitted attribute, the network and the optimizer's state, and every prediction, to the bit."""
    assert type(loaded) is type(est) and sorted(vars(loaded)) == sorted(vars(est))
    check_is_fitted(loaded)
    for name in ATTRIBUTES:
        np.testing.assert_equal(getattr(loaded, name), getattr(est, name), err_msg=name)
    # NaN where a call did not log a key; "time" is each epoch's own (the same as long as no one trains).
    assert loaded.history_.keys() == est.history_.keys()
    np.testing.assert_equal({**loaded.history_, "time": 0}, {**est.history_, "time": 0})
    for ours, theirs in zip(loaded.coefs_ + loaded.intercepts_, est.coefs_ + est.intercepts_):
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype
    np.testing.assert_equal(loaded.optimizer_.state_dict(), est.optimizer_.state_dict())
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
    assert loaded.predict(X).dtype == est.predict(X).dtype
    assert loaded.score(X, est.predict(X)) == est.score(X, est.predict(X))


@pytest.mark.parametrize("kind", LABELS)
def test_a_loaded_classifier_predicts_the_same_labels_in_the_same_dtype(kind, tmp_path):
    y = LABELS[kind]
    clf = DeltapropClassifier(**SMALL).fit(X, y)
    loaded = roundtrip(clf, tmp_path)
    assert_same_estimator(loaded, clf, X)
    assert loaded.classes_.dtype == clf.classes_.dtype and loaded.classes_.tolist() == clf.classes_.tolist()
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.get_params() == clf.get_params()
    assert clone(loaded).get_params() == clf.get_params()


def test_boolean_labels_and_feature_names_come_back(tmp_path):
    frame = pd.DataFrame(X, columns=["sepal length", "sepal width", "petal length", "petal width"])
    clf = DeltapropClassifier(**SMALL).fit(frame, Y == 0)
    loaded = roundtrip(clf, tmp_path)
    assert_same_estimator(loaded, clf, frame)
    assert loaded.classes_.dtype == bool and loaded.predict(frame).dtype == bool
    np.testing.assert_array_equal(loaded.feature_names_in_, clf.feature_names_in_)
    with pytest.warns(UserWarning, match="fitted with feature names"):  # scikit-learn's check, kept
        loaded.predict(X)


@pytest.mark.parametrize("early_stopping", [False, True])
def test_early_stopping_attributes_and_a_regressors_outputs_come_back(early_stopping, tmp_path):
    Y2 = np.column_stack([X[:, 0] + X[:, 1], X[:, 2] * X[:, 3]])
    params = dict(SMALL, epochs=15, early_stopping=early_stopping, n_iter_no_change=2)
    for est, y in [(DeltapropRegressor(**params), Y2), (DeltapropRegressor(**params), Y2[:, 0])]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: not the point here
            est.fit(X, y)
        loaded = roundtrip(est, tmp_path)
        assert_same_estimator(loaded, est, X)
        assert loaded.predict(X).shape == y.shape
    clf = DeltapropClassifier(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, Y)
    clf.set_params(early_stopping=False).partial_fit(X, Y)  # history_ holds NaN for val_loss now
    assert_same_estimator(roundtrip(clf, tmp_path), clf, X)


@pytest.mark.parametrize(
    "params",
    [
        dict(optimizer="adam"),
        dict(optimizer="sgd", learning_rate=0.05, momentum=0.5, l2=0.1),
        dict(optimizer=dp.Nesterov(0.05, momentum=0.8)),
        dict(hidden_layer_sizes=np.array([5, 4]), dtype=np.float32, random_state=np.random.RandomState(7)),
        dict(hidden_layer_sizes=[5], dtype=np.dtype("float32"), activation=["tanh"]),
    ],
    ids=["adam", "sgd-l2", "nesterov-object", "array-float32-RandomState", "list-dtype"],
)
def test_training_after_load_continues_bit_for_bit(params, tmp_path):
    clf = DeltapropClassifier(**{**SMALL, **params}).fit(X, Y)
    loaded = roundtrip(clf, tmp_path)
    for name, value in clf.get_params().items():  # each parameter rebuilt as the type it was
        assert type(loaded.get_params()[name]) is type(value), name
    # partial_fit goes on with optimizer_'s state (Adam's moments, the velocities, the step count).
    for est in (clf, loaded):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # partial_fit's l2 note
            est.partial_fit(X[:60], Y[:60]).partial_fit(X[60:], Y[60:])
    assert_same_estimator(loaded, clf, X)
    # A warm-started fit builds a new optimizer from the parameters, as it would have.
    for est in (clf, loaded):
        est.set_params(warm_start=True, epochs=2).fit(X, Y)
    assert_same_estimator(loaded, clf, X)
    # A cold fit draws new weights from random_state, a RandomState object's state included.
    for est in (clf, loaded):
        est.set_params(warm_start=False).fit(X, Y)
    assert_same_estimator(loaded, clf, X)


def test_deltaprop_load_reads_the_network_of_an_estimator_file(tmp_path):
    clf = DeltapropClassifier(**SMALL).fit(X, NAMES[Y])
    path = clf.save(tmp_path / "clf.safetensors")
    net = dp.load(path)
    np.testing.assert_array_equal(net.predict(X), clf.predict_proba(X))
    with pytest.raises(TypeError, match=r"must be a deltaprop Network; .*est\.save\(path\) saves the whole"):
        dp.save(clf, tmp_path / "other.safetensors")


def test_files_of_another_kind_are_refused_saying_what_they_hold(tmp_path):
    clf = DeltapropClassifier(**SMALL).fit(X, Y)
    reg = DeltapropRegressor(**SMALL).fit(X, X[:, 0])
    clf_file, reg_file = clf.save(tmp_path / "clf.safetensors"), reg.save(tmp_path / "reg.safetensors")
    other = (
        r"holds a saved 'DeltapropRegressor', not a DeltapropClassifier; load it with DeltapropRegressor.load"
    )
    with pytest.raises(dp.ModelFileError, match=other):
        DeltapropClassifier.load(reg_file)
    with pytest.raises(dp.ModelFileError, match="saved 'DeltapropClassifier', not a DeltapropRegressor"):
        DeltapropRegressor.load(clf_file)
    model = dp.save(clf.network_, tmp_path / "model.safetensors")
    plain = r"a deltaprop model file, which holds a network alone, not a saved DeltapropClassifier; deltaprop"
    with pytest.raises(dp.ModelFileError, match=plain):
        DeltapropClassifier.load(model)
    run = dp.save_checkpoint(tmp_path / "run.safetensors", clf.network_, clf.optimizer_, {"epoch": 3})
    with pytest.raises(
        dp.ModelFileError, match="a deltaprop training checkpoint .* not a saved DeltapropRegressor"
    ):
        DeltapropRegressor.load(run)
    (tmp_path / "foreign.safetensors").write_bytes(b"not a safetensors file at all")
    with pytest.raises(dp.ModelFileError):
        DeltapropClassifier.load(tmp_path / "foreign.safetensors")
    with pytest.raises(FileNotFoundError):
        DeltapropClassifier.load(tmp_path / "missing.safetensors")


def rewritten(path, change):
    """The estimator file at ``path`` with its ``"sklearn"`` state passed through ``change``."""
    net, optimizer, state = dp.load_checkpoint(path)
    change(state["sklearn"])
    return dp.save_checkpoint(path.with_name("changed.safetensors"), net, optimizer, state)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s["fitted"].update(t_=-1), "t_ is -1; expected an integer ≥ 0"),
        (lambda s: s["fitted"].update(n_features_in_=3), "network_ has 4 inputs .* n_features_in_ is 3"),
        (lambda s: s["arrays"]["classes_"]["values"].pop(), "3 outputs, .* classes_ 2"),
        (lambda s: s["history"]["loss"].pop(), "history_ must hold lists of numbers, one per epoch"),
        (lambda s: s["fitted"].update(_kept_epoch=99), "_kept_epoch 99 is beyond the 3 epochs"),
        (
            lambda s: s["params"].update(max_iter=5),
            "DeltapropClassifier has no parameter max_iter",
        ),
        (lambda s: s["param_types"].update(epochs="code"), "malformed: a parameter of unknown type 'code'"),
        (lambda s: s["arrays"]["classes_"].update(dtype="V8"), "malformed: an array of dtype"),
        (lambda s: s.update(layout=2), "has layout 2; this deltaprop reads layout 1"),
        (lambda s: s.pop("history"), "lacks its entry 'history'"),
    ],
)
def test_a_malformed_estimator_file_is_refused(change, message, tmp_path):
    path = DeltapropClassifier(**SMALL).fit(X, Y).save(tmp_path / "clf.safetensors")
    with pytest.raises(dp.ModelFileError, match=message):
        DeltapropClassifier.load(rewritten(path, change))


def test_a_file_sets_only_the_estimators_own_attributes(tmp_path):
    path = DeltapropClassifier(**SMALL).fit(X, Y).save(tmp_path / "clf.safetensors")
    loaded = DeltapropClassifier.load(rewritten(path, lambda s: s["fitted"].update(predict=1, fit=2)))
    assert "predict" not in vars(loaded) and "fit" not in vars(loaded)
    assert loaded.predict(X).shape == (150,)


class OwnAdam(dp.Adam):
    """A user's own optimizer: a file names optimizers, it holds no code."""


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(optimizer=OwnAdam()), r"optimizer=.* is a OwnAdam, which optimizers.get\('adam', ...\)"),
        (dict(hidden_layer_sizes=range(5, 7)), r"hidden_layer_sizes=range\(5, 7\) is a range, which a model"),
        (dict(activation=dp.activations.get("tanh")), "parameter activation=<activation 'tanh'> is a Tanh"),
    ],
)  # fmt: skip
def test_a_parameter_a_file_cannot_hold_is_refused_on_save(params, message, tmp_path):
    clf = DeltapropClassifier(**SMALL).set_params(**params)
    clf.fit(X, Y)
    with pytest.raises(ValueError, match=f"cannot save DeltapropClassifier: .*{message}"):
        clf.save(tmp_path / "clf.safetensors")
    assert not (tmp_path / "clf.safetensors").exists()


def test_a_used_optimizer_parameter_is_saved_as_its_hyperparameters_and_an_unfitted_estimator_refused(
    tmp_path,
):
    """Each fit starts from a fresh copy of the optimizer parameter, so the state it may hold
    from stepping another network is not the estimator's, and the file keeps only η, β₁, ..."""
    used = dp.Adam(0.01)
    other = dp.Network([4, 5, 3], output_activation="softmax", seed=1)
    used.step(other, other.backprop(X[:5], np.eye(3)[Y[:5]]))
    clf = DeltapropClassifier(**SMALL, optimizer=used).fit(X, Y)  # was refused: another network's state
    fresh = DeltapropClassifier(**SMALL, optimizer=dp.Adam(0.01)).fit(X, Y)
    for a, b in zip(clf.coefs_ + clf.intercepts_, fresh.coefs_ + fresh.intercepts_):
        np.testing.assert_array_equal(a, b)
    assert used.iterations == 1  # the parameter itself is left as it was
    again = DeltapropClassifier.load(clf.save(tmp_path / "clf.safetensors"))
    assert again.optimizer.hyperparameters() == used.hyperparameters() and again.optimizer.iterations == 0
    with pytest.raises(NotFittedError):
        DeltapropClassifier().save(tmp_path / "clf.safetensors")


def test_the_file_holds_json_and_tensors_only(tmp_path):
    path = DeltapropClassifier(**SMALL).fit(X, NAMES[Y]).save(tmp_path / "clf.safetensors")
    meta = dp.files.read_metadata(path)
    assert meta["kind"] == "checkpoint" and meta["sizes"] == [4, 6, 3]
    state = json.loads(json.dumps(dp.load_checkpoint(path)[2]))  # plain JSON all through
    assert state["sklearn"]["arrays"]["classes_"] == {"dtype": "<U10", "values": NAMES.tolist()}
    assert state["sklearn"]["params"]["hidden_layer_sizes"] == [6]
    assert state["sklearn"]["param_types"] == {"hidden_layer_sizes": "tuple"}


def test_deltaprop_predict_names_a_saved_classifier_classes(tmp_path):
    from deltaprop.cli import main

    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    est = DeltapropClassifier(hidden_layer_sizes=(8,), epochs=30, random_state=0).fit(X, names)
    path = est.save(tmp_path / "iris.safetensors")
    # under the one key a run's checkpoint keeps its class names in (files.CLASS_NAMES)
    assert dp.files.load_checkpoint(path)[2][dp.files.CLASS_NAMES] == ["setosa", "versicolor", "virginica"]
    rows = tmp_path / "rows.csv"
    np.savetxt(rows, X[:3], delimiter=",")
    out = tmp_path / "predictions.json"
    assert main(["predict", str(path), str(rows), "--output", str(out)]) == 0
    predicted = [row["class_name"] for row in json.loads(out.read_text())["predictions"]]
    assert predicted == list(est.predict(X[:3]))
