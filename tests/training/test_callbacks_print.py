"""Callbacks print as the constructor call that makes them (STYLE §12)."""

from pathlib import PosixPath  # noqa: F401 -- what ModelCheckpoint's repr names a Path by

import pytest

import deltaprop as dp
from deltaprop.training.callback import Callback
from deltaprop.training.callbacks import (
    EarlyStopping,
    ModelCheckpoint,
    ProgressLogger,
    ReduceLROnPlateau,
    TerminateOnNaN,
)
from deltaprop.training.schedules import CosineDecay, LearningRateScheduler, StepDecay


def halve_every_ten(epoch):
    return 0.1 * 0.5 ** (epoch // 10)


CALLBACKS = [
    EarlyStopping(patience=5, restore_best_weights=True),
    EarlyStopping(monitor="val_accuracy", min_delta=0.01, mode="max", baseline=0.9, start_from_epoch=3),
    ReduceLROnPlateau(),
    ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=1, min_lr=1e-5),
    ModelCheckpoint("runs/model-{epoch:02d}.safetensors"),
    ModelCheckpoint(PosixPath("best.safetensors"), save_best_only=True, initial_value_threshold=0.3),
    TerminateOnNaN(),
    ProgressLogger(),
    LearningRateScheduler(StepDecay(0.1, drop=0.25, every=3)),
    StepDecay(0.2, every=4),
    CosineDecay(0.1, epochs=20, min_lr=0.001),
]


@pytest.mark.parametrize("callback", CALLBACKS, ids=lambda c: type(c).__name__)
def test_a_callback_prints_as_the_call_that_makes_it_again(callback):
    text = repr(callback)
    assert text.startswith(f"{type(callback).__name__}(") and " object at 0x" not in text
    remade = eval(text, globals())  # the printed call builds the same callback
    assert type(remade) is type(callback)
    assert repr(remade) == text


def test_every_setting_is_shown_by_its_parameter_name_in_the_constructors_order():
    assert repr(EarlyStopping(patience=5)) == (
        "EarlyStopping(monitor='val_loss', min_delta=0.0, patience=5, mode='auto', "
        "restore_best_weights=False, baseline=None, start_from_epoch=0)"
    )
    assert repr(ReduceLROnPlateau(factor=0.5)) == (
        "ReduceLROnPlateau(monitor='val_loss', factor=0.5, patience=10, mode='auto', "
        "min_delta=0.0001, cooldown=0, min_lr=0.0)"
    )
    assert repr(ModelCheckpoint("m.safetensors", monitor="loss")) == (
        "ModelCheckpoint(filepath='m.safetensors', monitor='loss', save_best_only=False, mode='auto', "
        "initial_value_threshold=None)"
    )
    assert repr(TerminateOnNaN()) == "TerminateOnNaN()"
    assert repr(ProgressLogger()) == "ProgressLogger(stream=None)"
    assert repr(StepDecay(0.1)) == "StepDecay(initial=0.1, drop=0.5, every=10)"


def test_a_schedule_function_is_shown_by_its_name():
    assert repr(LearningRateScheduler(halve_every_ten)) == "LearningRateScheduler(schedule=halve_every_ten)"


def test_the_repr_does_not_change_when_the_callback_has_trained():
    X, Y = dp.datasets.xor()
    stopper = EarlyStopping(monitor="loss", patience=1, restore_best_weights=True)
    before = repr(stopper)
    net = dp.Network([2, 3, 1], seed=0)
    net.fit(X, Y, epochs=3, learning_rate=0.5, callbacks=[stopper, TerminateOnNaN()], seed=0)
    assert repr(stopper) == before


def test_a_users_callback_that_keeps_its_arguments_prints_as_a_call_and_one_that_does_not_as_python_would():
    class Every(Callback):
        def __init__(self, n: int, *args, **kwargs):
            self.n = n

    class Counter(Callback):
        def __init__(self, start: int = 0):
            self.count = start  # not kept under its parameter's name

    class Plain(Callback):
        pass

    assert repr(Every(3)) == "Every(n=3)"
    assert repr(Plain()) == "Plain()"
    text = repr(Counter(2))
    assert text.startswith("<") and " object at 0x" in text and "Counter" in text
