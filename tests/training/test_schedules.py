"""Learning-rate schedules: the right η for each epoch, as functions and as callbacks."""

from __future__ import annotations

import math

import pytest

import deltaprop as dp
from deltaprop.training import CosineDecay, ExponentialDecay, LearningRateScheduler, StepDecay


def test_step_decay():
    schedule = StepDecay(0.8, drop=0.5, every=3)
    assert [schedule(e, None) for e in range(7)] == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]


def test_exponential_decay():
    schedule = ExponentialDecay(1.0, rate=0.9)
    assert [schedule(e) for e in range(3)] == [1.0, 0.9, pytest.approx(0.81)]


def test_cosine_decay():
    schedule = CosineDecay(1.0, epochs=4, min_lr=0.2)
    # η_e = 0.2 + 0.8 · (1 + cos(π e / 4)) / 2
    expected = [
        1.0,
        0.2 + 0.4 * (1 + math.cos(math.pi / 4)),
        0.6,
        0.2 + 0.4 * (1 - math.cos(math.pi / 4)),
        0.2,
    ]
    assert [schedule(e) for e in range(5)] == pytest.approx(expected)
    assert schedule(10) == 0.2
    no_floor = CosineDecay(1.0, epochs=4)
    assert all(no_floor(e) > 0 for e in range(10))
    assert no_floor(10) == no_floor(3)


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: StepDecay(2.0, drop=0.5, every=2), [2.0, 2.0, 1.0, 1.0, 0.5]),
        (lambda: ExponentialDecay(2.0, rate=0.5), [2.0, 1.0, 0.5, 0.25, 0.125]),
        (
            lambda: CosineDecay(2.0, epochs=4),
            [2.0, 1 + math.cos(math.pi / 4), 1.0, 1 - math.cos(math.pi / 4)],
        ),
    ],
)
def test_schedules_set_lr_each_epoch_directly_or_wrapped(xor, make, expected):
    X, y = xor
    direct = dp.Network([2, 3, 1], seed=0).fit(X, y, len(expected), callbacks=[make()], seed=0)
    wrapped = dp.Network([2, 3, 1], seed=0).fit(
        X, y, len(expected), callbacks=[LearningRateScheduler(make())], seed=0
    )
    assert direct.history["lr"] == pytest.approx(expected)
    assert wrapped.history == direct.history | {"time": wrapped.history["time"]}


def test_plain_function_schedule_and_resume_continues_the_curve(xor):
    X, y = xor
    halve = LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    history = dp.Network([2, 3, 1], seed=0).fit(X, y, 3, learning_rate=4.0, callbacks=[halve], seed=0)
    assert history.history["lr"] == [2.0, 1.0, 0.5]
    resumed = dp.Network([2, 3, 1], seed=0).fit(
        X, y, 5, initial_epoch=3, callbacks=[StepDecay(1.0, drop=0.1, every=4)], seed=0
    )
    assert resumed.epoch == [3, 4] and resumed.history["lr"] == pytest.approx([1.0, 0.1])


def test_schedule_errors():
    with pytest.raises(ValueError, match="initial must be a finite number > 0"):
        StepDecay(0.0)
    with pytest.raises(ValueError, match=r"drop must be in \(0, 1\]"):
        StepDecay(1.0, drop=2.0)
    with pytest.raises(ValueError, match="every must be > 0"):
        StepDecay(1.0, every=0)
    with pytest.raises(ValueError, match=r"rate must be in \(0, 1\]"):
        ExponentialDecay(1.0, rate=1.5)
    with pytest.raises(ValueError, match="min_lr must be below initial"):
        CosineDecay(1.0, epochs=3, min_lr=2.0)
    with pytest.raises(TypeError, match="schedule must be a callable"):
        LearningRateScheduler(0.1)


def test_a_schedule_returning_a_bad_lr_is_refused(xor):
    X, y = xor
    net = dp.Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"returned η = -1.0 for epoch 0; expected a finite number > 0"):
        net.fit(X, y, 2, callbacks=[LearningRateScheduler(lambda epoch, lr: -1.0)])


def test_a_schedule_beside_reduce_lr_on_plateau(xor):
    """The scheduler sets η at each epoch's start, as Keras's does: a closed-form schedule
    undoes ReduceLROnPlateau's cut, a function of the current η carries it on."""
    from deltaprop.training import ReduceLROnPlateau

    X, y = xor

    def lrs(schedule):
        # min_delta = 10: no epoch counts as an improvement after the first, so with
        # patience = 0 η is halved at the end of every epoch from epoch 1 on.
        plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
        net = dp.Network([2, 3, 1], seed=0)
        return net.fit(X, y, 4, optimizer=dp.SGD(1.0), callbacks=[schedule, plateau], seed=0)["lr"]

    assert lrs(ExponentialDecay(1.0, rate=0.9)) == [1.0, 0.9, pytest.approx(0.81), pytest.approx(0.729)]
    # η at epoch e's start: the last η (halved after epochs 1 and 2) times 0.9.
    assert lrs(LearningRateScheduler(lambda epoch, lr: lr * 0.9)) == pytest.approx(
        [0.9, 0.81, 0.81 * 0.5 * 0.9, 0.81 * 0.5 * 0.9 * 0.5 * 0.9]
    )


def test_a_schedule_of_the_epoch_alone_is_taken_as_keras_takes_it(xor):
    # It failed inside fit with the lambda's own "takes 1 positional argument but 2 were given".
    X, y = xor
    net = dp.Network([2, 3, 1], seed=0)
    history = net.fit(X, y, epochs=3, seed=0, callbacks=[LearningRateScheduler(lambda e: 0.1 * 0.5**e)])
    assert history.history["lr"] == [0.1, 0.05, 0.025]


def test_a_schedule_that_can_take_the_current_lr_is_given_it(xor):
    def halve(epoch, lr=None, *rest):
        return lr / 2

    X, y = xor
    net = dp.Network([2, 3, 1], seed=0)
    history = net.fit(X, y, epochs=2, learning_rate=1.0, seed=0, callbacks=[LearningRateScheduler(halve)])
    assert history.history["lr"] == [0.5, 0.25]


@pytest.mark.parametrize("schedule", [lambda: 0.1, lambda epoch, lr, step: lr], ids=["none", "three"])
def test_a_schedule_of_another_form_is_refused_when_made(schedule):
    with pytest.raises(TypeError, match=r"must take the epoch and the current η.* or the epoch alone"):
        LearningRateScheduler(schedule)
