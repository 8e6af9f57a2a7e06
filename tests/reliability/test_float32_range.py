"""Finite values beyond the network's dtype: refused at the boundary, before the cast.

1e39 is a finite float64 but float32's largest value is ~3.4028235e38, so ``float32(1e39)``
is inf. Checked for NaN/inf only before the cast, such data gave a float32 network NaN
predictions with nothing but NumPy's RuntimeWarnings, a DivergenceError advising a smaller
learning rate although no update had happened, or an error quoting an "inf" never passed.
Every entry point must refuse it instead, naming the parameter, the value and where it is,
float32's range and the fix, and change nothing.
"""

# ruff: noqa: E501  (the tables keep one case per line)

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop._numeric import FINITE_CHECK_ROWS

pytestmark = pytest.mark.filterwarnings("error")  # a NumPy overflow warning is a failure here

F32_MAX = float(np.finfo(np.float32).max)
N_IN, N_OUT = 4, 3
RNG = np.random.default_rng(0)
X_OK = RNG.random((6, N_IN))
LABELS = np.array([0, 1, 2, 0, 1, 2])
TARGETS = RNG.random((6, N_OUT))


def with_value(arr, value, index=(1, 2)):
    arr = np.array(arr, dtype=np.float64)
    arr[index] = value
    return arr


def float32_net(**kwargs) -> dp.Network:
    return dp.Network([N_IN, 5, N_OUT], seed=0, dtype=np.float32, **kwargs)


# name → (call(net, X, Y), names of X and Y in its messages); Y is labels or real targets
ENTRIES = {
    "Network.backprop": (lambda net, X, Y: net.backprop(X, Y), "X", "Y"),
    "Network.cost_value": (lambda net, X, Y: net.cost_value(X, Y), "X", "Y"),
    "Network.evaluate": (lambda net, X, Y: net.evaluate(X, Y), "X", "Y"),
    "evaluate": (lambda net, X, Y: dp.evaluate(net, X, Y), "X", "Y"),
    "evaluate batch_size=2": (lambda net, X, Y: dp.evaluate(net, X, Y, batch_size=2), "X", "Y"),
    "Network.fit": (lambda net, X, Y: net.fit(X, Y, 1, seed=0), "X", "Y"),
    "fit full batch": (lambda net, X, Y: dp.fit(net, X, Y, 1, batch_size=None, seed=0), "X", "Y"),
    "fit validation_split": (lambda net, X, Y: dp.fit(net, X, Y, 1, validation_split=0.5, seed=0), "X", "Y"),
    "fit validation_data": (
        lambda net, X, Y: dp.fit(net, X_OK, Y if Y.ndim == 1 else TARGETS, 1, validation_data=(X, Y), seed=0),
        "validation_data[0] (X_val)",
        "validation_data[1] (Y_val)",
    ),
    "explain": (lambda net, X, Y: dp.explain(net, X, Y, 0.5), "x", "y"),
}
X_ONLY = {
    "Network.predict": lambda net, X: net.predict(X),
    "Network.predict_classes": lambda net, X: net.predict_classes(X),
    "Network.forward": lambda net, X: net.forward(X),
}


def cases():
    for entry, (call, x_name, y_name) in ENTRIES.items():
        for value in (1e39, -1e39):
            yield pytest.param(
                lambda net, c=call, v=value: c(net, with_value(X_OK, v), LABELS),
                x_name,
                value,
                id=f"{entry}-X {value:g}",
            )
            yield pytest.param(
                lambda net, c=call, v=value: c(net, X_OK, with_value(TARGETS, v)),
                y_name,
                value,
                id=f"{entry}-Y {value:g}",
            )
    for entry, call in X_ONLY.items():
        yield pytest.param(lambda net, c=call: c(net, with_value(X_OK, 1e39)), "X", 1e39, id=f"{entry}-X")


@pytest.mark.parametrize(("call", "name", "value"), list(cases()))
def test_a_float32_network_refuses_float64_values_beyond_its_range(call, name, value):
    net = float32_net()
    before = [p.copy() for p in net.weights + net.biases]
    with pytest.raises(ValueError) as info:
        call(net)
    message = str(info.value)
    assert message.startswith(f"{name} holds {value!r} (first at row 1, column 2)"), message
    for part in (
        "beyond the range of float32",
        "±3.4028235e+38",
        "would become infinity",
        "scale the",
        "dtype=np.float64",
    ):
        assert part in message, message
    for got, kept in zip(net.weights + net.biases, before, strict=True):
        np.testing.assert_array_equal(got, kept)


def test_values_at_float32s_edge_are_accepted_and_a_float64_network_takes_1e39():
    net = float32_net(activation="tanh", output_activation="softmax", cost="log_likelihood")
    X = with_value(X_OK, F32_MAX)  # finite after the cast: accepted (the products may overflow)
    with np.errstate(over="ignore", invalid="ignore"):
        assert net.predict(X).shape == (6, N_OUT)
        assert net.predict(X.astype(np.float32)).shape == (6, N_OUT)
    wide = dp.Network(
        [N_IN, 5, N_OUT], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=0
    )
    assert np.isfinite(wide.predict(with_value(X_OK, 1e39))).all()


def test_fit_no_longer_blames_the_learning_rate_for_data_it_never_trained_on():
    net = float32_net(output_activation="softmax", cost="log_likelihood")
    X = np.full((12, N_IN), 1e39)
    with pytest.raises(ValueError, match=r"^X holds 1e\+39") as info:
        net.fit(X, np.arange(12) % 3, 1, seed=0)
    assert not isinstance(info.value, dp.DivergenceError) and "learning rate" not in str(info.value)


def test_regression_targets_beyond_float32_are_reported_as_given_not_as_inf():
    net = dp.Network([N_IN, N_OUT], activation="linear", dtype=np.float32, seed=0)
    with pytest.raises(
        ValueError, match=r"^Y holds 1e\+39 .*scale the targets or use a float64 network"
    ) as info:
        net.backprop(np.ones((2, N_IN)), np.full((2, N_OUT), 1e39))
    assert "inf" not in str(info.value).replace("infinity", "")


def test_weights_given_in_float64_beyond_float32_are_refused():
    big = with_value(np.zeros((N_IN, N_OUT)), 5e38, (3, 0))
    with pytest.raises(
        ValueError,
        match=r"weights\[0\] holds 5e\+38 \(first at row 3, column 0\), beyond the range of float32",
    ):
        dp.Network.from_arrays([big], [np.zeros(N_OUT)], dtype=np.float32)
    net = dp.Network([N_IN, N_OUT], dtype=np.float32, seed=0)
    with pytest.raises(
        ValueError, match=r"biases\[0\] holds -1e\+300 \(first at index \(1,\)\).*scale the biases down"
    ):
        net.biases = [np.array([0.0, -1e300, 0.0])]


@pytest.mark.parametrize("row", [0, FINITE_CHECK_ROWS - 1, FINITE_CHECK_ROWS + 37])
@pytest.mark.parametrize("order", ["C", "F"])
def test_the_check_finds_the_first_value_out_of_range_in_any_block(row, order):
    X = np.asarray(np.random.default_rng(1).random((FINITE_CHECK_ROWS + 100, 6)), order=order)
    X[row, 4] = -4e38
    X[FINITE_CHECK_ROWS + 90, 0] = 1e39  # a later one is not the one reported
    net = dp.Network([6, 2], activation="tanh", seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match=rf"X holds -4e\+38 \(first at row {row}, column 4\)"):
        net.predict(X)
    wide = dp.Network([6, 2], activation="tanh", seed=0)
    assert wide.predict(X).shape == (X.shape[0], 2)  # nothing to refuse in float64


@pytest.mark.skipif(
    np.finfo(np.longdouble).max <= np.finfo(np.float64).max, reason="long double is float64 here"
)
def test_long_double_data_beyond_float64_is_refused_by_a_float64_network():
    X = X_OK.astype(np.longdouble)
    X[2, 1] = np.longdouble(10) ** 400
    net = dp.Network([N_IN, N_OUT], seed=0)
    with pytest.raises(
        ValueError, match=r"X holds .* \(first at row 2, column 1\), beyond the range of float64"
    ) as info:
        net.predict(X)
    assert "use a float64 network" not in str(info.value)


def test_fit_checks_each_array_against_the_dtype_once_not_again_per_gatherer(monkeypatch):
    # fit checks X, Y and the validation data up front; its gatherers (training and the
    # validation Evaluator) are told so, or each would pass over the data again every fit.
    from deltaprop.training import _data, metrics

    made = []
    real = _data.Gatherer.__init__

    def spy(self, *args, **kwargs):
        made.append(kwargs.get("checked", False))
        real(self, *args, **kwargs)

    monkeypatch.setattr(_data.Gatherer, "__init__", spy)
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 4)), rng.integers(0, 3, 60)
    net = dp.Network([4, 5, 3], dtype=np.float32, seed=0)
    net.fit(X, y, epochs=1, batch_size=8, validation_data=(X[:20], y[:20]), learning_rate=0.1)
    net.fit(X, y, epochs=1, batch_size=8, validation_split=0.2, learning_rate=0.1, seed=0)
    assert made and all(made), made
    made.clear()
    metrics.evaluate(net, X, y)  # unchecked input: its gatherer checks the cast itself
    assert made == [False]
