"""A history whose values are not lists of numbers is named by key and value, in diagnose and in
the learning-curve plot alike: ``diagnose(net, history={"loss": "x"})`` said only NumPy's "could not
convert string to float: 'x'", and ``{"loss": None}`` "len() of unsized object"."""

from __future__ import annotations

import pytest

import deltaprop as dp
from deltaprop import plots
from deltaprop.diagnostics import diagnose


@pytest.mark.parametrize(
    ("history", "named"),
    [
        ({"loss": "x"}, "history['loss'] must be a list of numbers, one per epoch; got 'x'"),
        ({"loss": None}, "history['loss'] must be a list of numbers, one per epoch; got None"),
        ({"loss": [0.9, "x"]}, "history['loss'] must be a list of numbers, one per epoch; got [0.9, 'x']"),
        (
            {"loss": [[0.9, 0.5]]},
            "history['loss'] must be a list of numbers, one per epoch; got [[0.9, 0.5]]",
        ),
        ({"loss": [0.9, 0.5], "accuracy": "ab"}, "history['accuracy'] must be a list of numbers"),
    ],
)
def test_values_that_are_not_numbers_per_epoch_are_named(history, named):
    net = dp.Network([64, 10, 10], seed=0)
    with pytest.raises(TypeError) as raised:
        diagnose(net, history=history)
    assert str(raised.value).startswith(named)
    if history["loss"] is None:  # the plot says it has no loss to draw
        return
    with pytest.raises(TypeError) as drawn:
        plots.learning_curves(history)
    assert str(drawn.value).startswith(named)


def test_a_real_history_still_reads():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    net = dp.Network([64, 10, 10], seed=0)
    history = net.fit(X / 16, y, epochs=2, learning_rate=0.5, seed=0)
    losses = history.history["loss"]
    assert len(losses) == 2 and all(0.0 < c < 3.0 for c in losses) and losses[1] < losses[0]
    assert diagnose(net, history=history.history) == []  # a falling cost: nothing to say
    # the values are read: the same epochs in reverse order are a cost that rose
    rising = {key: values[::-1] for key, values in history.history.items()}
    (finding,) = diagnose(net, history=rising)
    assert finding.code == "cost-rising"
    assert finding.message.startswith(
        f"the cost rose from {losses[1]:.4} (the first epoch) to {losses[0]:.3}"
    )
    figure = plots.learning_curves(history.history)
    drawn = [line.get_ydata() for ax in figure.axes for line in ax.get_lines()]
    assert any(list(y) == losses for y in drawn)  # the loss curve is the history's loss
