"""fit refuses an output activation, cost and targets that cannot learn, as ``deltaprop train`` does.

The audit's reproductions trained silently to garbage: a linear output under log-likelihood
(loss at the clip, 10 % accuracy), labels 0..2 on one logistic output under cross-entropy (the
loss fell below 0 without bound), targets up to 10 under a logistic output. Now each is a
ValueError before any update; the pairs that train but badly give one OutputCostWarning per call.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.diagnostics import check_output_cost
from deltaprop.training import fit
from deltaprop.training._data import check_targets, extent
from deltaprop.training.output_cost import OutputCostWarning, output_cost_issues

RNG = np.random.default_rng(0)
X4 = RNG.random((60, 4))
Y3 = RNG.integers(0, 3, 60)  # labels 0..2


def _state(net, optimizer, history):
    return (
        [w.copy() for w in net.weights],
        [b.copy() for b in net.biases],
        copy.deepcopy(optimizer.__dict__),
        copy.deepcopy(history.history),
        dict(history.params),
        history.epoch[:],
    )


def _same(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a[0] + a[1], b[0] + b[1])) and repr(a[2:]) == repr(b[2:])


def _fit_quietly(net, X, Y, epochs=1, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit(net, X, Y, epochs, **kwargs)
    return history, [w for w in caught if issubclass(w.category, OutputCostWarning)]


@pytest.mark.parametrize("output", ["linear", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("cost", ["cross_entropy", "log_likelihood"])
def test_ln_a_costs_on_outputs_that_are_not_probabilities_are_refused_and_nothing_changes(
    digits, output, cost
):
    X, y, _, _ = digits
    net = dp.Network([64, 30, 10], output_activation=output, cost=cost, seed=0)  # building stays allowed
    optimizer, history = dp.Adam(0.01), dp.History()
    pair = "softmax" if cost == "log_likelihood" else "logistic"
    natural = dp.Network([64, 30, 10], output_activation=pair, cost=cost, seed=0)
    fit(natural, X, y, 1, optimizer=optimizer, history=history, seed=0)  # an optimizer state and a history
    before = _state(net, optimizer, history)
    with pytest.raises(ValueError) as err:
        net.fit(X, y, 5, batch_size=10, optimizer=optimizer, history=history, seed=0)
    message = str(err.value)
    assert message.startswith(f"output_activation={output!r} with cost={cost!r} cannot be trained: ")
    assert f"a {output} output with the {cost} cost: that cost takes ln a" in message
    assert "To fix it, use logistic outputs with cross_entropy or softmax with log_likelihood" in message
    assert _same(before, _state(net, optimizer, history))
    # evaluate stays as it is: the cost of such a network is still measured
    assert set(net.evaluate(X, y)) >= {"loss", "accuracy"}


def test_the_audits_linear_log_likelihood_run_is_refused(digits):
    """It trained to loss 2.2e-16 (the clip), 9.7 % accuracy and outputs of ~1e15."""
    X, y, _, _ = digits
    net = dp.Network([64, 30, 10], output_activation="linear", cost="log_likelihood", seed=0)
    with pytest.raises(ValueError, match=r"output_activation='linear' with cost='log_likelihood'.*ln a"):
        net.fit(X, y, 5, batch_size=10, learning_rate=0.1, seed=0)


def test_more_than_two_classes_on_one_output_are_refused():
    """Labels 0..2 on one logistic output under cross-entropy: the loss fell below 0 without bound."""
    net = dp.Network([4, 5, 1], cost="cross_entropy", seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(ValueError) as err:
        net.fit(X4, Y3, 20, learning_rate=0.5)
    assert str(err.value) == (
        "Y does not fit output_activation='logistic' (cost='cross_entropy'): the targets hold 3 classes "
        "but the network has a single output, which can only say yes or no. To fix it, give the output "
        "layer one neuron per class (3) with softmax."
    )
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))
    # One softmax output per class trains them.
    _, said = _fit_quietly(dp.Network([4, 5, 3], output_activation="softmax", seed=0), X4, Y3, 2)
    assert said == []


@pytest.mark.parametrize("shape", ["column", "1-D"])
def test_targets_a_logistic_output_can_never_reach_are_refused(shape):
    targets = 10 * X4[:, :1] if shape == "column" else 10 * X4[:, 0]
    net = dp.Network([4, 8, 1], seed=0)
    with pytest.raises(ValueError) as err:
        net.fit(X4, targets, 30, learning_rate=0.5)
    low, high = float(targets.min()), float(targets.max())
    assert str(err.value) == (
        f"Y does not fit output_activation='logistic' (cost='quadratic'): the targets run from {low:g} to "
        f"{high:g}, but logistic outputs lie in (0, 1) and can never reach them. To fix it, scale the "
        f"targets to [0, 1], or use a linear output for regression."
    )
    # The fix it names works: the same targets scaled to [0, 1], or a linear output.
    _fit_quietly(net, X4, targets / 10, 1, learning_rate=0.5)
    _fit_quietly(
        dp.Network([4, 8, 1], output_activation="linear", seed=0), X4, targets, 1, learning_rate=0.01
    )


def test_validation_targets_an_output_cannot_reach_are_refused_before_any_update():
    """Before, fit trained on Y and reported a val_loss that could never fall: validation
    targets up to 10 under a logistic output, or three classes on one output."""
    net = dp.Network([4, 8, 1], seed=0)
    before = [w.copy() for w in net.weights]
    with pytest.raises(ValueError) as err:
        net.fit(X4, X4[:, :1], 3, validation_data=(X4, 10 * X4[:, :1]))
    assert str(err.value).startswith(
        "validation_data[1] (Y_val) does not fit output_activation='logistic' (cost='quadratic'): "
        "the targets run from "
    )
    assert "scale the targets to [0, 1]" in str(err.value)
    three_classes = r"validation_data\[1\] \(Y_val\) .* hold 3 classes .* single output"
    with pytest.raises(ValueError, match=three_classes):
        net.fit(X4, X4[:, 0] > 0.5, 3, validation_data=(X4, Y3))
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))
    history, said = _fit_quietly(net, X4, X4[:, :1], 2, validation_data=(X4, X4[:, 1:2]))
    assert len(history.history["val_loss"]) == 2 and said == []


def test_a_column_of_whole_numbers_is_targets_out_of_range_not_classes():
    """Regression targets in whole units (diabetes: 25..346), given as a column as
    DeltapropRegressor gives them: the advice is to scale them, not one output per class; the same
    numbers given as labels (n,) are taken for classes."""
    whole = RNG.integers(25, 347, 60).astype(float)
    net = dp.Network([4, 5, 1], cost="cross_entropy", seed=0)
    with pytest.raises(ValueError, match=r"targets run from \d+ to \d+, but logistic .* scale the targets"):
        fit(net, X4, whole.reshape(-1, 1))
    with pytest.raises(ValueError, match=r"the targets hold \d+ classes but the network has a single output"):
        fit(net, X4, whole)


def test_softmax_targets_beyond_one_are_refused_but_soft_targets_are_not():
    net = dp.Network([4, 5, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    with pytest.raises(ValueError, match=r"targets run from 3 to 3, but softmax outputs lie in \(0, 1\)"):
        fit(net, X4, np.full((60, 2), 3.0))
    soft = np.column_stack([X4[:, 0], 1 - X4[:, 0]])  # probabilities: reachable
    _, said = _fit_quietly(net, X4, soft, 1)
    assert said == []


def test_regression_on_whole_numbers_under_an_unbounded_output_is_not_refused():
    """One linear output and integer targets (counts, prices in whole units) is regression, not
    "more classes than one output can say": only an output in (0, 1) can be given too many classes."""
    counts = RNG.integers(0, 300, 60)
    for output in ("linear", "relu", "tanh"):
        net = dp.Network([4, 5, 1], activation="tanh", output_activation=output, seed=0)
        history, said = _fit_quietly(
            net, X4, counts / 300 if output == "tanh" else counts, 1, learning_rate=1e-4
        )
        assert len(history) == 1 and said == []


@pytest.mark.parametrize(
    ("output", "cost", "words"),
    [
        ("logistic", "log_likelihood", "logistic outputs with the log-likelihood cost"),
        ("softmax", "cross_entropy", "softmax output with the (binary) cross-entropy cost"),
    ],
)
def test_pairs_that_train_badly_warn_once_per_fit_call(digits, output, cost, words):
    X, y, _, _ = digits
    net = dp.Network([64, 10, 10], output_activation=output, cost=cost, seed=0)
    for _ in range(2):
        history, said = _fit_quietly(net, X[:200], y[:200], 3, seed=0)
        assert len(history) == 3 and len(said) == 1  # once per call, not per epoch
        assert str(said[0].message).startswith(words) and "To fix it, use " in str(said[0].message)
        assert issubclass(said[0].category, UserWarning)
        assert said[0].filename == __file__  # where the user called fit, not inside deltaprop


@pytest.mark.parametrize(
    ("output", "cost"),
    [
        ("softmax", "log_likelihood"),
        ("logistic", "cross_entropy"),
        ("logistic", "quadratic"),
        ("softmax", "quadratic"),
    ],
)
def test_the_pairs_that_fit_neither_warn_nor_refuse(digits, output, cost):
    X, y, _, _ = digits
    history, said = _fit_quietly(
        dp.Network([64, 10, 10], output_activation=output, cost=cost, seed=0), X, y, 1
    )
    assert len(history) == 1 and said == []


def test_a_refused_call_gives_no_warning_and_a_failing_argument_is_named_first():
    """The warning comes only once the run is sure to start; a bad argument is still its own error."""
    net = dp.Network([4, 5, 3], output_activation="logistic", cost="log_likelihood", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="batch_size must be > 0"):
            fit(net, X4, Y3, 1, batch_size=0)
    linear = dp.Network([4, 5, 3], output_activation="linear", cost="log_likelihood", seed=0)
    with pytest.raises(ValueError, match="Y has 2 columns"):
        fit(linear, X4, np.zeros((60, 2)))


def test_fit_refuses_exactly_what_the_diagnostics_call_an_error():
    """One rule: for every output, cost and kind of targets, fit raises iff check_output_cost has an
    error, with that error's words; the CLI asks the same findings."""
    targets = {
        "labels": Y3,
        "one-hot": np.eye(3)[Y3],
        "soft": np.column_stack([X4[:, :2], 1 - X4[:, :2].sum(axis=1, keepdims=True)]) / 1.0,
        "beyond one": 2 * X4[:, :3],
        "negative": X4[:, :3] - 0.5,
    }
    for output in ("logistic", "softmax", "linear", "tanh", "relu", "leaky_relu"):
        for cost in ("quadratic", "cross_entropy", "log_likelihood"):
            for name, Y in targets.items():
                net = dp.Network([4, 5, 3], activation="tanh", output_activation=output, cost=cost, seed=0)
                errors = [f for f in check_output_cost(net, Y) if f.severity == "error"]
                if errors:
                    with pytest.raises(ValueError) as err:
                        fit(net, X4, Y, 1, learning_rate=1e-3)
                    assert errors[0].message in str(err.value) and errors[0].fix in str(err.value), (
                        output,
                        cost,
                        name,
                    )
                else:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", OutputCostWarning)
                        fit(net, X4, Y, 1, learning_rate=1e-3)


def test_issues_read_targets_as_fit_reads_them():
    # a column of labels for several outputs is labels, not targets 0..2 beyond a softmax
    assert output_cost_issues("softmax", "log_likelihood", 3, Y3.reshape(-1, 1)) == []
    # targets fit would refuse for their own sake give no issue here (fit names them itself)
    assert output_cost_issues("softmax", "log_likelihood", 3, np.full(60, 7)) == []
    assert output_cost_issues("logistic", "quadratic", 1, [0.5, np.nan]) == []


def test_the_targets_extent_is_read_once_and_still_names_what_is_refused():
    assert extent(np.eye(3)) == (0.0, 1.0, True)
    assert extent(np.arange(5)) == (0.0, 4.0, False)
    assert extent(np.array([[0.25], [2.0]])) == (0.25, 2.0, False)
    assert extent(np.empty((0, 2))) == (0.0, 0.0, True)
    big = np.zeros((70_000, 3))  # several blocks: a value in the last one counts
    big[-1, 2] = 5.0
    assert extent(big) == (0.0, 5.0, False)
    big[-1, 2] = np.nan
    low, high, _ = extent(big)
    assert np.isnan(low) and np.isnan(high)
    with pytest.raises(ValueError, match=r"Y contains NaN or infinity \(first at index \(69999, 2\): nan\)"):
        check_targets(big, 3, len(big))
    big[-1, 2] = 1e39
    with pytest.raises(
        ValueError, match=r"Y holds 1e\+39 \(first at row 69999, column 2\), beyond the range of float32"
    ):
        check_targets(big, 3, len(big), dtype=np.float32)
    targets = check_targets(2 * X4[:, :3], 3, 60)
    assert targets.kind == "regression" and targets.range() == (
        float(2 * X4[:, :3].min()),
        float(2 * X4[:, :3].max()),
    )


def test_a_relu_output_trained_on_class_labels_warns_and_says_activation_set_it(digits):
    """The audit's run: ``activation="relu"`` alone gives a ReLU output, and under the quadratic cost
    with one-hot labels its outputs die (10 % whatever η); fit said nothing."""
    X, y, _, _ = digits
    net = dp.Network([64, 64, 10], activation="relu", seed=0)
    history, said = _fit_quietly(net, X[:200], y[:200], 2, batch_size=32, seed=0)
    assert len(history) == 2 and len(said) == 1  # once per call
    message = str(said[0].message)
    assert message.startswith("ReLU output trained towards class labels") and "stops learning" in message
    assert (
        "The output layer took activation='relu': activation= sets every layer's σ, the output's too, "
        in message
    )
    assert "To fix it, use output_activation='softmax' with cost='log_likelihood'" in message
    assert said[0].filename == __file__
    # a ReLU output asked for: the warning, without the word on activation=
    for asked in (dict(activation="relu", output_activation="relu"), dict(activation=["tanh", "relu"])):
        _, said = _fit_quietly(
            dp.Network([64, 8, 10], seed=0, **asked), X[:50], y[:50], 1, learning_rate=0.01
        )
        assert len(said) == 1 and "took activation=" not in str(said[0].message)
    # one ReLU output and 0/1 labels: the same
    binary = dp.Network([64, 8, 1], activation="tanh", output_activation="relu", seed=0)
    _, said = _fit_quietly(binary, X[:50], (y[:50] > 4).astype(int), 1, learning_rate=0.01)
    assert len(said) == 1


def test_relu_output_warns_for_labels_only_and_leaky_relu_not_at_all(digits):
    """Regression towards real targets keeps the ReLU output's info finding; a leaky ReLU output,
    whose δ never vanishes, trains on labels (96–97 % on digits under he_normal), so it is not warned."""
    X, y, _, _ = digits
    assert [i.severity for i in output_cost_issues("relu", "quadratic", 10, y)] == ["warning"]
    assert [i.severity for i in output_cost_issues("relu", "quadratic", 10, np.eye(10)[y])] == ["warning"]
    assert [i.severity for i in output_cost_issues("relu", "quadratic", 10)] == ["info"]
    assert [i.severity for i in output_cost_issues("relu", "quadratic", 10, 3 * X[:, :10])] == ["info"]
    assert output_cost_issues("leaky_relu", "quadratic", 10, y) == []
    found = check_output_cost(dp.Network([64, 8, 10], activation="relu", seed=0), y)
    assert [(f.code, f.severity) for f in found] == [("relu-output", "warning")]
    leaky = dp.Network([64, 8, 10], activation="leaky_relu", init="he_normal", seed=0)
    _, said = _fit_quietly(leaky, X[:100], y[:100], 1, learning_rate=0.1)
    assert said == []
