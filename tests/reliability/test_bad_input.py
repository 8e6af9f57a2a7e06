"""Bad input at every public library entry point: a clear error, and nothing changed.

Each row of the tables below feeds one bad input to one entry point and asserts
(a) ``ValueError`` or ``TypeError`` (``DataFileError`` and ``ModelFileError`` are
``ValueError``\\ s; a path that is a folder or in no folder is an ``OSError``, as ``open``
would raise), (b) every listed fragment of the message, which names what was wrong, the
value or shape received and what was expected, and (c) that the network's weights and
biases, the optimizer's state and the files in the working folder are exactly as before.

The estimators in :mod:`deltaprop.sklearn` check their input with scikit-learn's own
``validate_data``, so their messages are scikit-learn's; the table asserts those too.
"""

# ruff: noqa: E501  (the tables keep one case per line)

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import datasets

pytestmark = pytest.mark.filterwarnings("error")

N_IN, N_HIDDEN, N_OUT = 4, 3, 3
RNG = np.random.default_rng(0)
X_OK = RNG.random((6, N_IN))
Y_OK = np.array([0, 1, 2, 0, 1, 2])


def make_net() -> dp.Network:
    return dp.Network([N_IN, N_HIDDEN, N_OUT], seed=0)


def with_value(value, index=(1, 2)):
    X = X_OK.copy()
    X[index] = value
    return X


def with_object(value, array=X_OK, index=(1, 2)):
    """``array`` as an object array (all numbers, which is accepted) with ``value`` at ``index``."""
    objects = array.astype(object)
    objects[index] = value
    return objects


# --- the bad inputs ------------------------------------------------------------------------
# (id, value, exception, fragments of the message; "{x}" is the entry point's name for X)

BAD_X = [
    (
        "1-D",
        X_OK[0],
        ValueError,
        ["{x} must be a 2-D array of shape (n_samples, 4)", "1-D", "(4,)", "reshape(1, -1)"],
    ),
    ("3-D", X_OK.reshape(6, 4, 1), ValueError, ["2-D array of shape (n_samples, 4)", "3-D", "(6, 4, 1)"]),
    ("0-D", 3.0, ValueError, ["2-D array of shape (n_samples, 4)", "0-D"]),
    ("wrong n_features", X_OK[:, :3], ValueError, ["3 features per sample", "expects 4", "(6, 3)"]),
    ("NaN", with_value(np.nan), ValueError, ["{x} contains nan or infinity", "(1, 2)", ": nan)"]),
    ("+inf", with_value(np.inf), ValueError, ["{x} contains nan or infinity", "(1, 2)", ": inf)"]),
    ("-inf", with_value(-np.inf), ValueError, ["{x} contains nan or infinity", "(1, 2)", ": -inf)"]),
    ("empty", np.empty((0, N_IN)), ValueError, ["{x} is empty", "(0, 4)", "at least one sample"]),
    (
        "object array",
        with_object(object()),
        TypeError,
        ["{x} must hold numbers", "'object'", "convert strings or objects to numbers"],
    ),
    (
        "None value",
        with_object(None),
        ValueError,
        ["{x} contains a missing value", "(1, 2): none)", "impute"],
    ),
    ("string array", np.full((6, N_IN), "a"), TypeError, ["{x} must hold numbers", "'str"]),
    ("numeric strings", X_OK.astype(str), TypeError, ["{x} must hold numbers", "'str"]),
    ("complex", X_OK.astype(complex), TypeError, ["{x} must hold real numbers", "complex128"]),
    (
        "ragged lists",
        [[1.0, 2.0, 3.0, 4.0], [1.0, 2.0]],
        ValueError,
        ["{x} could not be read as a rectangular"],
    ),
    ("None", None, TypeError, ["{x} must hold numbers (an array or a list of lists); got none"]),
]

BAD_Y = [
    ("length", Y_OK[:5], ValueError, ["different numbers of samples", "{x} has 6", "{y} has 5"]),
    (
        "NaN label",
        np.array([0, 1, np.nan, 0, 1, 2]),
        ValueError,
        ["{y} contains nan or infinity", "(2,)", "nan"],
    ),
    ("+inf target", np.full((6, N_OUT), np.inf), ValueError, ["{y} contains nan or infinity", "inf"]),
    ("-inf target", np.full((6, N_OUT), -np.inf), ValueError, ["{y} contains nan or infinity", "-inf"]),
    (
        "label = n_out",
        np.array([0, 1, 3, 0, 1, 2]),
        ValueError,
        ["class label 3", "outside 0..2", "3 outputs"],
    ),
    ("negative label", np.array([0, -1, 2, 0, 1, 2]), ValueError, ["class label -1", "outside 0..2"]),
    # quoted as given, not as the int64 it would wrap to (-9223372036854775808)
    ("label 1e20", np.array([0, 1, 1e20, 0, 1, 2]), ValueError, ["class label 1e+20", "outside 0..2"]),
    (
        "uint64 label 2**63",
        np.array([0, 1, 2**63, 0, 1, 2], dtype=np.uint64),
        ValueError,
        ["class label 9223372036854775808", "outside 0..2"],
    ),
    ("non-integer label", np.array([0, 1.5, 2, 0, 1, 2]), ValueError, ["integer class labels 0..2", "1.5"]),
    ("3-D", np.zeros((6, N_OUT, 1)), ValueError, ["(n_samples,)", "(n_samples, 3)", "(6, 3, 1)"]),
    ("wrong n_outputs", np.zeros((6, 2)), ValueError, ["2 columns", "3 outputs", "(6, 2)", "(6, 3)"]),
    ("string labels", Y_OK.astype(str), TypeError, ["{y} must hold numbers", "'str"]),
    ("object labels", with_object(object(), Y_OK, 2), TypeError, ["{y} must hold numbers", "'object'"]),
    ("None label", with_object(None, Y_OK, 2), ValueError, ["{y} contains a missing value", "(2,): none)"]),
    ("empty", np.empty(0), ValueError, ["different numbers of samples", "{y} has 0"]),
]


# --- the entry points -----------------------------------------------------------------------


class State:
    """What a failed call must leave alone: a network, an optimizer with state, a folder of files."""

    def __init__(self, tmp_path: Path):
        self.net = make_net()
        self.optimizer = dp.Momentum(0.1)
        self.optimizer.step(self.net, self.net.backprop(X_OK, Y_OK))  # velocity ≠ 0
        self.folder = tmp_path
        self.model = dp.save(self.net, tmp_path / "model.safetensors")
        self.csv = tmp_path / "data.csv"
        self.csv.write_text("1,2,0\n3,4,1\n")
        self.npz = tmp_path / "data.npz"
        np.savez(self.npz, X=X_OK, y=Y_OK)

    def snapshot(self):
        files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in self.folder.iterdir()}
        opt = self.optimizer.state_dict()
        return (
            [w.copy() for w in self.net.weights],
            [b.copy() for b in self.net.biases],
            opt["iterations"],
            opt["hyper"],
            {k: v.copy() for k, v in opt["state"].items()},
            self.optimizer.n_train,
            files,
        )


def assert_unchanged(before, after):
    (w0, b0, it0, hyper0, state0, n0, files0), (w1, b1, it1, hyper1, state1, n1, files1) = before, after
    for p, q in zip([*w0, *b0], [*w1, *b1], strict=True):
        np.testing.assert_array_equal(p, q)
    assert (it0, hyper0, n0) == (it1, hyper1, n1)
    assert state0.keys() == state1.keys()
    for key in state0:
        np.testing.assert_array_equal(state0[key], state1[key])
    assert files0 == files1, "a file was changed, created or removed"


# name → (call(state, X, Y), names of X and Y in its messages)
XY_ENTRIES = {
    "Network.backprop": (lambda s, X, Y: s.net.backprop(X, Y), "X", "Y"),
    "Network.cost_value": (lambda s, X, Y: s.net.cost_value(X, Y), "X", "Y"),
    "Network.evaluate": (lambda s, X, Y: s.net.evaluate(X, Y), "X", "Y"),
    "evaluate": (lambda s, X, Y: dp.evaluate(s.net, X, Y), "X", "Y"),
    "fit": (lambda s, X, Y: dp.fit(s.net, X, Y, 1, optimizer=s.optimizer), "X", "Y"),
    "Network.fit": (lambda s, X, Y: s.net.fit(X, Y, 1, optimizer=s.optimizer), "X", "Y"),
    "fit validation_data": (
        lambda s, X, Y: dp.fit(s.net, X_OK, Y_OK, 1, optimizer=s.optimizer, validation_data=(X, Y)),
        "validation_data[0] (X_val)",
        "validation_data[1] (Y_val)",
    ),
    "gradient_check": (lambda s, X, Y: dp.gradient_check(s.net, X, Y), "X", "Y"),
    "explain": (lambda s, X, Y: dp.explain(s.net, X, Y, 0.5), "x", "y"),
}
X_ENTRIES = {
    "Network.predict": lambda s, X: s.net.predict(X),
    "Network.predict_classes": lambda s, X: s.net.predict_classes(X),
    "Network.forward": lambda s, X: s.net.forward(X),
}
# explain and gradient_check take one sample as a 1-D x; explain's 1-D case is a feature count, below.
SKIP = {("explain", "1-D"), ("gradient_check", "1-D")}


def cases():
    for entry, (call, x_name, y_name) in XY_ENTRIES.items():
        for cid, value, exc, parts in BAD_X:
            if (entry, cid) not in SKIP:
                yield pytest.param(
                    lambda s, v=value, c=call: c(s, v, Y_OK),
                    exc,
                    parts,
                    x_name,
                    y_name,
                    id=f"{entry}-X {cid}",
                )
        for cid, value, exc, parts in BAD_Y:
            if (entry, cid) not in SKIP:
                yield pytest.param(
                    lambda s, v=value, c=call: c(s, X_OK, v),
                    exc,
                    parts,
                    x_name,
                    y_name,
                    id=f"{entry}-Y {cid}",
                )
    for entry, call in X_ENTRIES.items():
        for cid, value, exc, parts in BAD_X:
            yield pytest.param(
                lambda s, v=value, c=call: c(s, v), exc, parts, "X", "Y", id=f"{entry}-X {cid}"
            )


@pytest.mark.parametrize(("call", "exc", "parts", "x_name", "y_name"), list(cases()))
def test_bad_data_is_refused_and_changes_nothing(tmp_path, call, exc, parts, x_name, y_name):
    state = State(tmp_path)
    before = state.snapshot()
    with pytest.raises(exc) as info:
        call(state)
    message = str(info.value).lower()
    for part in parts:
        assert part.format(x=x_name, y=y_name).lower() in message, message
    assert_unchanged(before, state.snapshot())


# --- hyperparameters and other arguments ------------------------------------------------------


def _fit(**kwargs):
    def call(s):
        kwargs.setdefault("optimizer", s.optimizer)
        return dp.fit(s.net, X_OK, Y_OK, kwargs.pop("epochs", 1), **kwargs)

    return call


def _foreign_grads(s):
    other = dp.Network([N_IN, 5, N_OUT], seed=1)
    return s.optimizer.step(s.net, other.backprop(X_OK, Y_OK))


BAD_ARGUMENTS = [
    # fit: batch_size, epochs, learning rate (given as η or through the optimizer), the rest
    ("fit batch_size=0", _fit(batch_size=0), ValueError, ["batch_size must be > 0", "got 0"]),
    ("fit batch_size=-1", _fit(batch_size=-1), ValueError, ["batch_size must be > 0", "got -1"]),
    ("fit batch_size=2.5", _fit(batch_size=2.5), TypeError, ["batch_size must be an integer", "2.5", "float"]),
    ("fit batch_size=2.0", _fit(batch_size=np.float64(2.0)), TypeError, ["batch_size must be an integer", "float64"]),
    ("fit batch_size='10'", _fit(batch_size="10"), TypeError, ["batch_size must be an integer", "'10'", "str"]),
    ("fit batch_size=True", _fit(batch_size=True), TypeError, ["batch_size must be an integer", "true", "bool"]),
    ("fit epochs=-1", _fit(epochs=-1), ValueError, ["epochs must be ≥ 0", "got -1"]),
    ("fit epochs=1.5", _fit(epochs=1.5), TypeError, ["epochs must be an integer", "1.5"]),
    ("fit epochs='2'", _fit(epochs="2"), TypeError, ["epochs must be an integer", "'2'"]),
    ("fit epochs=True", _fit(epochs=True), TypeError, ["epochs must be an integer", "true", "bool"]),
    ("fit epochs=None", _fit(epochs=None), TypeError, ["epochs must be an integer", "none"]),
    ("fit seed=-1", _fit(seed=-1), ValueError, ["seed must be an integer ≥ 0 or None; got -1"]),
    ("fit seed=1.5", _fit(seed=1.5), TypeError, ["seed must be an integer ≥ 0 or None; got 1.5 of type float"]),
    ("fit validation_split=1.5", _fit(validation_split=1.5), ValueError, ["validation_split", "[0, 1)", "1.5"]),
    ("fit validation_split=nan", _fit(validation_split=math.nan), ValueError, ["validation_split", "nan"]),
    ("fit optimizer='bogus'", _fit(optimizer="bogus"), ValueError, ["unknown optimizer 'bogus'", "'adam'"]),
    ("fit optimizer=3", _fit(optimizer=3), TypeError, ["optimizer must be", "got 3 of type int"]),
    ("evaluate batch_size=0", lambda s: dp.evaluate(s.net, X_OK, Y_OK, batch_size=0), ValueError, ["batch_size must be > 0"]),
    ("evaluate batch_size=2.5", lambda s: dp.evaluate(s.net, X_OK, Y_OK, 2.5), TypeError, ["batch_size must be an integer"]),
    # optimizers
    ("Momentum momentum=-0.1", lambda s: dp.Momentum(0.1, -0.1), ValueError, ["momentum must be", "-0.1"]),
    ("Momentum momentum=1", lambda s: dp.Momentum(0.1, 1.0), ValueError, ["momentum must be in [0, 1)", "1.0"]),
    ("Momentum momentum=nan", lambda s: dp.Momentum(0.1, math.nan), ValueError, ["momentum must be", "nan"]),
    ("Nesterov momentum='0.9'", lambda s: dp.Nesterov(0.1, "0.9"), TypeError, ["momentum must be a number", "str"]),
    ("SGD l2=-1", lambda s: dp.SGD(0.1, l2=-1), ValueError, ["l2 must be a finite number ≥ 0", "-1.0"]),
    ("SGD n_train=0", lambda s: dp.SGD(0.1, n_train=0), ValueError, ["n_train must be > 0", "0"]),
    ("Adam beta1=1", lambda s: dp.Adam(0.1, beta1=1.0), ValueError, ["beta1 must be in [0, 1)", "1.0"]),
    ("Adam beta2=-0.5", lambda s: dp.Adam(0.1, beta2=-0.5), ValueError, ["beta2 must be", "-0.5"]),
    ("Adam epsilon=0", lambda s: dp.Adam(0.1, epsilon=0), ValueError, ["epsilon must be a finite number > 0", "0.0"]),
    ("optimizer.step grads='g'", lambda s: s.optimizer.step(s.net, "g"), TypeError, ["grads must be the gradients", "str"]),
    ("optimizer.step foreign grads", _foreign_grads, ValueError, ["do not fit the network", "(4, 5)", "(4, 3)"]),
    # the constructor
    ("Network sizes=[4]", lambda s: dp.Network([4]), ValueError, ["at least an input and an output layer", "[4]"]),
    ("Network sizes=[4, 0, 3]", lambda s: dp.Network([4, 0, 3]), ValueError, ["sizes[1] must be ≥ 1", "got 0"]),
    ("Network sizes=[4, -1]", lambda s: dp.Network([4, -1]), ValueError, ["sizes[1] must be ≥ 1", "got -1"]),
    ("Network sizes=[4.0, 3]", lambda s: dp.Network([4.0, 3]), TypeError, ["sizes[0] must be an integer", "4.0"]),
    ("Network sizes=[True, 3]", lambda s: dp.Network([True, 3]), TypeError, ["sizes[0] must be an integer", "true"]),
    ("Network sizes='43'", lambda s: dp.Network("43"), TypeError, ["sizes must be a list of layer sizes", "'43'"]),
    ("Network activation", lambda s: dp.Network([4, 3], activation="sigmoidal"), ValueError, ["unknown activation 'sigmoidal'", "'logistic'"]),
    ("Network cost", lambda s: dp.Network([4, 3], cost="hinge"), ValueError, ["unknown cost 'hinge'", "'quadratic'"]),
    ("Network init", lambda s: dp.Network([4, 3], init="zeros"), ValueError, ["unknown init 'zeros'", "'normal'"]),
    ("Network dtype=int", lambda s: dp.Network([4, 3], dtype=int), ValueError, ["dtype must be float32 or float64", "'int64'"]),
    ("Network dtype='x'", lambda s: dp.Network([4, 3], dtype="x"), (ValueError, TypeError), ["dtype must be float32 or float64", "'x'"]),
    ("Network seed=-1", lambda s: dp.Network([4, 3], seed=-1), ValueError, ["seed must be an integer ≥ 0, a numpy.random.Generator or None; got -1"]),
    ("Network seed=1.5", lambda s: dp.Network([4, 3], seed=1.5), TypeError, ["seed must be an integer ≥ 0, a numpy.random.Generator or None; got 1.5 of type float"]),
    ("Network seed='0'", lambda s: dp.Network([4, 3], seed="0"), TypeError, ["seed must be an integer ≥ 0, a numpy.random.Generator or None; got '0' of type str"]),
    # gradient_check, explain
    ("gradient_check eps=0", lambda s: dp.gradient_check(s.net, X_OK, Y_OK, eps=0), ValueError, ["eps must be a finite number > 0", "0.0"]),
    ("gradient_check eps=nan", lambda s: dp.gradient_check(s.net, X_OK, Y_OK, eps=math.nan), ValueError, ["eps must be", "nan"]),
    ("gradient_check net='x'", lambda s: dp.gradient_check("x", X_OK, Y_OK), TypeError, ["net must be a deltaprop network", "str"]),
    ("explain 1-D x of 3 features", lambda s: dp.explain(s.net, X_OK[0, :3], [1, 0, 0], 0.5), ValueError, ["one sample of 3 features", "expects 4"]),
    ("explain variant", lambda s: dp.explain(s.net, X_OK, Y_OK, 0.5, variant="late"), ValueError, ["variant must be one of", "'late'"]),
    ("explain top_k=0", lambda s: dp.explain(s.net, X_OK, Y_OK, 0.5, top_k=0), ValueError, ["top_k must be > 0", "got 0"]),
    ("explain net='x'", lambda s: dp.explain("x", X_OK, Y_OK, 0.5), TypeError, ["net must be a deltaprop network", "str"]),
]  # fmt: skip

# A learning rate ≤ 0, non-finite, a string or a bool, at each door it can come in by.
BAD_ETAS = [
    (0, ValueError, ["learning_rate must be a finite number > 0", "got 0.0"]),
    (-0.1, ValueError, ["learning_rate must be a finite number > 0", "got -0.1"]),
    (math.nan, ValueError, ["learning_rate must be a finite number > 0", "got nan"]),
    (math.inf, ValueError, ["learning_rate must be a finite number > 0", "got inf"]),
    (-math.inf, ValueError, ["learning_rate must be a finite number > 0", "got -inf"]),
    ("0.1", TypeError, ["learning_rate must be a number", "'0.1'", "str"]),
    (True, TypeError, ["learning_rate must be a number", "true", "bool"]),
]
ETA_DOORS = {
    "fit learning_rate": lambda s, eta: dp.fit(s.net, X_OK, Y_OK, 1, learning_rate=eta),
    "SGD": lambda s, eta: dp.SGD(eta),
    "Momentum": lambda s, eta: dp.Momentum(eta),
    "Nesterov": lambda s, eta: dp.Nesterov(eta),
    "Adam": lambda s, eta: dp.Adam(eta),
    "explain": lambda s, eta: dp.explain(s.net, X_OK[0], [1, 0, 0], eta),
}


def eta_cases():
    for door, call in ETA_DOORS.items():
        for eta, exc, parts in BAD_ETAS:
            yield pytest.param(lambda s, c=call, e=eta: c(s, e), exc, parts, id=f"{door} η={eta!r}")


def _optimizer_with_eta(eta):
    def call(s):
        s.optimizer.learning_rate = eta  # refused as it is set: no step ever meets it
        dp.fit(s.net, X_OK, Y_OK, 1, optimizer=s.optimizer)

    return call


def optimizer_eta_cases():
    yield pytest.param(
        _optimizer_with_eta(0.0),
        ValueError,
        ["learning_rate must be a finite number > 0", "0.0"],
        id="fit optimizer η=0",
    )
    yield pytest.param(
        _optimizer_with_eta(math.nan),
        ValueError,
        ["learning_rate must be a finite number > 0", "nan"],
        id="fit optimizer η=nan",
    )


# --- model files --------------------------------------------------------------------------------


def _save_nonfinite(s):
    bad = s.net.copy()
    bad._w[1][0, 0] = np.nan  # as a diverged run would leave it
    return dp.save(bad, s.model)


def _checkpoint_nonfinite(s):
    bad = s.net.copy()
    bad._b[0][1] = np.inf
    return dp.save_checkpoint(s.folder / "model.safetensors", bad, s.optimizer, {"epoch": 1})


FILE_CASES = [
    ("save non-finite over a good file", _save_nonfinite, ValueError, ["weights[1] (layer 2)", "holds nan or infinity", "refusing to save", "allow_nonfinite=true"]),
    ("save_checkpoint non-finite", _checkpoint_nonfinite, ValueError, ["biases[0] (layer 1)", "holds nan or infinity", "refusing to save", "allow_nonfinite=true"]),
    ("save metadata not JSON", lambda s: dp.save(s.net, s.model, metadata={"a": object()}), TypeError, ["metadata['a'] must be json-serialisable", "object"]),
    ("save not a Network", lambda s: dp.save("net", s.model), TypeError, ["net must be a deltaprop", "str"]),
    ("save_checkpoint path second", lambda s: dp.save_checkpoint(s.net, s.model), TypeError, ["takes the path first"]),
    ("save to a folder", lambda s: dp.save(s.net, s.folder), IsADirectoryError, ["is a folder", "model.safetensors"]),
    ("save into no folder", lambda s: dp.save(s.net, s.folder / "no" / "m.safetensors"), FileNotFoundError, ["folder", "does not exist"]),
    ("load a CSV file", lambda s: dp.load(s.csv), dp.ModelFileError, ["data.csv"]),
    ("load a folder holding no model", lambda s: dp.load(Path(np.__file__).parent), IsADirectoryError,
     ["is a directory holding no model.safetensors or checkpoint.safetensors"]),
    ("load a missing file", lambda s: dp.load(s.folder / "none.safetensors"), FileNotFoundError, ["none.safetensors"]),
    ("load path=3", lambda s: dp.load(3), TypeError, ["os.pathlike", "int"]),
]  # fmt: skip


# --- data sets -------------------------------------------------------------------------------------


def _rewrite_csv(text):
    def call(s):
        s.csv.write_text(text)
        try:
            return datasets.load_csv(s.csv)
        finally:
            s.csv.write_text("1,2,0\n3,4,1\n")

    return call


def _npz_call(**arrays):
    def call(s):
        path = s.folder / "bad.npz"
        np.savez(path, **arrays)
        try:
            return datasets.load_npz(path)
        finally:
            path.unlink()

    return call


DATA_CASES = [
    ("load_mnist split='validation'", lambda s: datasets.load_mnist("validation", data_dir=s.folder, download=False), ValueError, ["split must be one of ('train', 'test')", "'validation'"]),
    ("load_mnist split=None", lambda s: datasets.load_mnist(None, data_dir=s.folder, download=False), ValueError, ["split must be one of", "none"]),
    ("load_mnist dtype=int", lambda s: datasets.load_mnist("test", data_dir=s.folder, download=False, dtype=int), ValueError, ["dtype must be float32 or float64", "'int64'"]),
    ("load name='mnist2'", lambda s: datasets.load("mnist2"), ValueError, ["unknown data set 'mnist2'", "mnist, fashion-mnist"]),
    ("load name=3", lambda s: datasets.load(3), (ValueError, TypeError), ["data set", "3"]),
    ("load moons split='dev'", lambda s: datasets.load("moons", split="dev"), ValueError, ["split must be one of ('train', 'test')", "'dev'"]),
    ("load moons seed=-1", lambda s: datasets.load("moons", seed=-1), ValueError, ["seed must be an integer ≥ 0, a numpy.random.Generator or None; got -1"]),
    ("load_csv delimiter=''", lambda s: datasets.load_csv(s.csv, delimiter=""), ValueError, ["delimiter must be one character", "''"]),
    ("load_csv dtype=int", lambda s: datasets.load_csv(s.csv, dtype=int), ValueError, ["dtype must be float32 or float64", "'int64'"]),
    ("load_csv max_bytes=-1", lambda s: datasets.load_csv(s.csv, max_bytes=-1), ValueError, ["max_bytes must be > 0", "-1"]),
    ("load_csv max_bytes=2.5", lambda s: datasets.load_csv(s.csv, max_bytes=2.5), TypeError, ["max_bytes must be an integer", "2.5"]),
    ("load_csv label_column=7", lambda s: datasets.load_csv(s.csv, label_column=7), dp.DataFileError, ["label_column=7 is out of range", "3 columns", "-3..2"]),
    ("load_csv label_column=True", lambda s: datasets.load_csv(s.csv, label_column=True), TypeError, ["label_column must be a column index", "true"]),
    ("load_csv label_column='zz'", lambda s: datasets.load_csv(s.csv, label_column="zz"), dp.DataFileError, ["no column named 'zz'"]),
    ("load_csv NaN", _rewrite_csv("1,2,0\n3,nan,1\n"), dp.DataFileError, ["line 2, column 1", "'nan' is not finite"]),
    ("load_csv -inf", _rewrite_csv("1,2,0\n3,-inf,1\n"), dp.DataFileError, ["line 2, column 1", "'-inf' is not finite"]),
    ("load_csv ragged", _rewrite_csv("1,2,0\n3,1\n"), dp.DataFileError, ["line 2 has 2 fields", "expected 3"]),
    ("load_csv text", _rewrite_csv("1,2,0\n3,x,1\n"), dp.DataFileError, ["line 2", "'x'"]),
    ("load_csv empty", _rewrite_csv(""), dp.DataFileError, ["holds no data"]),
    ("load_npz x_key missing", lambda s: datasets.load_npz(s.npz, x_key="Z"), dp.DataFileError, ["no array named 'z'", "['x', 'y']"]),
    ("load_npz x_key=3", lambda s: datasets.load_npz(s.npz, x_key=3), TypeError, ["x_key must be an array name", "3"]),
    ("load_npz max_bytes=0", lambda s: datasets.load_npz(s.npz, max_bytes=0), ValueError, ["max_bytes must be > 0", "0"]),
    ("load_npz 1-D X", _npz_call(X=X_OK[0], y=Y_OK), dp.DataFileError, ["'x' must be 2-d", "(4,)"]),
    ("load_npz 3-D X", _npz_call(X=X_OK.reshape(6, 2, 2), y=Y_OK), dp.DataFileError, ["'x' must be 2-d", "(6, 2, 2)"]),
    ("load_npz lengths", _npz_call(X=X_OK, y=Y_OK[:5]), dp.DataFileError, ["x has 6 samples", "'y' has 5"]),
    ("load_npz NaN", _npz_call(X=with_value(np.nan), y=Y_OK), dp.DataFileError, ["'x' contains nan at [1, 2]", "remove nan and infinity"]),
    ("load_npz inf in y", _npz_call(X=X_OK, y=np.array([0, 1, np.inf, 0, 1, 2])), dp.DataFileError, ["'y' contains nan or infinity (inf at [2])", "remove it"]),
    ("load_npz strings", _npz_call(X=X_OK.astype(str), y=Y_OK), dp.DataFileError, ["'x' must hold numbers", "<u32"]),
    ("load_npz empty", _npz_call(X=np.empty((0, 4)), y=np.empty(0)), dp.DataFileError, ["'x' is empty", "(0, 4)"]),
]  # fmt: skip


# --- the scikit-learn estimators (scikit-learn's own messages) ---------------------------------------


def _estimator(kind, **params):
    from deltaprop.sklearn import DeltapropClassifier, DeltapropRegressor

    cls = DeltapropClassifier if kind == "classifier" else DeltapropRegressor
    return cls(**{"hidden_layer_sizes": (3,), "epochs": 1, "random_state": 0, **params})


_FITTED: dict = {}


def _fitted(kind):
    if kind not in _FITTED:
        _FITTED[kind] = _estimator(kind).fit(X_OK, Y_OK if kind == "classifier" else Y_OK.astype(float))
    return _FITTED[kind]


SKLEARN_X = [
    ("1-D", X_OK[0], ValueError, ["expected 2d array, got 1d array"]),
    ("3-D", X_OK.reshape(6, 4, 1), ValueError, ["found array with dim 3", "dim <= 2"]),
    ("NaN", with_value(np.nan), ValueError, ["input x contains nan"]),
    ("inf", with_value(np.inf), ValueError, ["input x contains infinity"]),
    ("empty", np.empty((0, N_IN)), ValueError, ["0 sample(s)", "(0, 4)", "minimum of 1"]),
    ("letters", np.full((6, N_IN), "a"), ValueError, ["could not convert string to float", "'a'"]),
    ("complex", X_OK.astype(complex), ValueError, ["complex data not supported"]),
]


def sklearn_cases():
    for kind in ("classifier", "regressor"):
        y = Y_OK if kind == "classifier" else Y_OK.astype(float)
        for cid, value, exc, parts in SKLEARN_X:
            yield pytest.param(
                kind, lambda e, v=value, y=y: e.fit(v, y), exc, parts, id=f"{kind}.fit X {cid}"
            )
            yield pytest.param(
                kind, lambda e, v=value: e.predict(v), exc, parts, id=f"{kind}.predict X {cid}"
            )
        yield pytest.param(
            kind,
            lambda e: e.predict(X_OK[:, :3]),
            ValueError,
            ["x has 3 features", "expecting 4 features"],
            id=f"{kind}.predict wrong n_features",
        )
        yield pytest.param(
            kind,
            lambda e, y=y: e.fit(X_OK, y[:5]),
            ValueError,
            ["inconsistent numbers of samples", "[6, 5]"],
            id=f"{kind}.fit lengths",
        )
        yield pytest.param(
            kind,
            lambda e, y=y: e.fit(X_OK, np.where(y == 1, np.nan, y)),
            ValueError,
            ["input y contains nan"],
            id=f"{kind}.fit NaN in y",
        )
        for param, value, exc, parts in [
            ("epochs", -1, ValueError, ["epochs must be a positive integer", "-1"]),
            ("epochs", True, ValueError, ["epochs must be a positive integer", "true"]),
            ("batch_size", 0, ValueError, ["batch_size must be 'auto' or a positive integer", "0"]),
            ("batch_size", 2.5, TypeError, ["batch_size must be 'auto' or a positive integer", "2.5"]),
            ("learning_rate", 0, ValueError, ["learning_rate must be a finite number > 0", "0.0"]),
            ("learning_rate", math.nan, ValueError, ["learning_rate must be a finite number > 0", "nan"]),
            ("l2", -1, ValueError, ["l2 must be a finite number ≥ 0", "-1.0"]),
            ("hidden_layer_sizes", (0,), ValueError, ["hidden_layer_sizes[0] must be an integer ≥ 1", "0"]),
        ]:
            yield pytest.param(
                kind,
                lambda e, p=param, v=value, y=y: e.set_params(**{p: v}).fit(X_OK, y),
                exc,
                parts,
                id=f"{kind} {param}={value!r}",
            )
    yield pytest.param(
        "classifier",
        lambda e: e.fit(X_OK, np.array([0, 1.5, 2, 0, 1, 2])),
        ValueError,
        ["unknown label type: continuous"],
        id="classifier.fit non-integer labels",
    )
    yield pytest.param(
        "classifier",
        lambda e: _estimator("classifier").partial_fit(X_OK, Y_OK, classes=[0, 1]),
        ValueError,
        ["labels [2]", "not in classes_ [0, 1]"],
        id="classifier.partial_fit labels outside classes",
    )


@pytest.mark.parametrize(("kind", "call", "exc", "parts"), list(sklearn_cases()))
def test_sklearn_estimators_refuse_bad_input_and_keep_their_network(kind, call, exc, parts):
    fitted = _fitted(kind)
    estimator = _estimator(kind).fit(X_OK, Y_OK if kind == "classifier" else Y_OK.astype(float))
    weights = [w.copy() for w in estimator.network_.weights + estimator.network_.biases]
    with pytest.raises(exc) as info:
        call(estimator)
    message = str(info.value).lower()
    for part in parts:
        assert part in message, message
    for p, q in zip(weights, estimator.network_.weights + estimator.network_.biases, strict=True):
        np.testing.assert_array_equal(p, q)
    assert fitted.n_features_in_ == N_IN


# --- everything but the data tables goes through one check ----------------------------------------------


# Not a network where fit and evaluate expect one.
NOT_A_NETWORK = [
    ("fit net='x'", lambda s: dp.fit("x", X_OK, Y_OK, 1), TypeError, ["net must be a deltaprop network", "got 'x' of type str"]),
    ("evaluate net=None", lambda s: dp.evaluate(None, X_OK, Y_OK), TypeError, ["net must be a deltaprop network", "got none of type nonetype"]),
]  # fmt: skip


def argument_cases():
    for cid, call, exc, parts in BAD_ARGUMENTS + FILE_CASES + DATA_CASES + NOT_A_NETWORK:
        yield pytest.param(call, exc, parts, id=cid)
    yield from eta_cases()
    yield from optimizer_eta_cases()


@pytest.mark.parametrize(("call", "exc", "parts"), list(argument_cases()))
def test_bad_arguments_are_refused_and_change_nothing(tmp_path, call, exc, parts):
    state = State(tmp_path)
    before = state.snapshot()
    with pytest.raises(exc) as info:
        call(state)
    message = str(info.value).lower()
    for part in parts:
        assert part.lower() in message, message
    assert_unchanged(before, state.snapshot())


# --- what is accepted and converted ------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda X: X.tolist(), id="lists of lists"),
        pytest.param(lambda X: (X * 10).astype(np.int64), id="int64"),
        pytest.param(lambda X: (X * 255).astype(np.uint8), id="uint8"),
        pytest.param(lambda X: X > 0.5, id="bool"),
        pytest.param(lambda X: X.astype(np.float32), id="float32"),
    ],
)
def test_lists_integers_and_bools_are_converted_to_the_networks_dtype(convert, dtype):
    net = dp.Network([N_IN, N_HIDDEN, N_OUT], seed=0, dtype=dtype)
    given = convert(X_OK)
    as_float = np.asarray(given, dtype=dtype)
    a = net.predict(given)
    assert a.dtype == dtype
    np.testing.assert_array_equal(a, net.predict(as_float))
    np.testing.assert_array_equal(net.predict_classes(given), net.predict_classes(as_float))
    g, h = net.backprop(given, Y_OK.tolist()), net.backprop(as_float, Y_OK)
    assert g.weights[0].dtype == dtype
    for p, q in zip(g.weights + g.biases, h.weights + h.biases):
        np.testing.assert_array_equal(p, q)
    assert net.cost_value(given, Y_OK.tolist()) == net.cost_value(as_float, Y_OK)
    assert dp.evaluate(net, given, Y_OK.tolist()) == dp.evaluate(net, as_float, Y_OK)
    one, two = net.copy(), net.copy()
    dp.fit(one, given, Y_OK.tolist(), 2, batch_size=np.int64(3), learning_rate=np.float32(0.5), seed=0)
    dp.fit(two, as_float, Y_OK, 2, batch_size=3, learning_rate=float(np.float32(0.5)), seed=0)
    for p, q in zip(one.weights + one.biases, two.weights + two.biases):
        assert p.dtype == dtype
        np.testing.assert_array_equal(p, q)


def test_bool_and_one_hot_targets_are_accepted_as_labels():
    net = make_net()
    one_hot = np.eye(N_OUT)[Y_OK]
    assert net.cost_value(X_OK, one_hot.astype(bool)) == net.cost_value(X_OK, Y_OK)
    assert dp.evaluate(net, X_OK, one_hot.astype(int)) == dp.evaluate(net, X_OK, Y_OK)


@pytest.mark.parametrize("value", ["0.1", None, [0.1], True], ids=repr)
def test_a_schedule_returning_anything_but_a_number_is_refused_not_converted(value):
    """As ``fit(learning_rate="0.1")`` is; Keras too requires a float. (The schedule is called
    at the first epoch's start, once fit has set ``optimizer.n_train``: the network is unchanged.)"""
    net = make_net()
    before = [p.copy() for p in net.weights + net.biases]
    schedule = dp.LearningRateScheduler(lambda epoch, lr: value)
    with pytest.raises(TypeError) as info:
        net.fit(X_OK, Y_OK, 2, learning_rate=0.1, callbacks=[schedule])
    message = str(info.value)
    assert f"returned {value!r} of type {type(value).__name__} for epoch 0" in message, message
    assert "learning-rate schedule" in message and "expected a number" in message
    for got, kept in zip(net.weights + net.biases, before, strict=True):
        np.testing.assert_array_equal(got, kept)


def test_a_schedule_returning_a_numpy_or_integer_number_is_accepted():
    for value in (np.float32(0.25), np.float64(0.5), 1):
        net = make_net()
        history = net.fit(X_OK, Y_OK, 1, callbacks=[dp.LearningRateScheduler(lambda epoch, lr, v=value: v)])
        assert history.history["lr"] == [float(value)] and type(history.history["lr"][0]) is float


def test_check_network_passes_a_network_through_and_quotes_anything_else():
    from deltaprop._validation import check_network
    from deltaprop.sklearn import DeltapropClassifier

    net = make_net()
    assert check_network(net) is net
    with pytest.raises(TypeError, match=r"^net must be a deltaprop Network; got \[4, 3, 3\] of type list$"):
        check_network([4, 3, 3])
    with pytest.raises(TypeError, match=r"^model must be a deltaprop Network; got 'x' of type str$"):
        check_network("x", "model")
    estimator = DeltapropClassifier(hidden_layer_sizes=(3,), epochs=1, random_state=0).fit(X_OK, Y_OK)
    with pytest.raises(
        TypeError, match=r"of type DeltapropClassifier \(a fitted estimator's network is its network_"
    ):
        check_network(estimator)
