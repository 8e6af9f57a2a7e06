"""Labels that are words (``"cat"``, ``"dog"``): the core takes numbers only, and says how to get them.

A black-box audit met "Y must hold numbers; got an array of dtype 'str160'. Convert strings or
objects to numbers first.", which named neither the values nor the way to number them. The
refusal now quotes the first labels and gives both ways on: ``np.unique(y,
return_inverse=True)``, or :class:`deltaprop.sklearn.DeltapropClassifier`, which takes any labels.
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp

NAMES = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
FIX = (
    "To train on labels that are not numbers, number them with `np.unique(y, return_inverse=True)` "
    "(its second result is the numbers, its first the labels they stand for), or use "
    "`deltaprop.sklearn.DeltapropClassifier`, which takes any labels."
)


@pytest.fixture(scope="module")
def digits():
    X, y = dp.datasets.load_digits("train")
    return X[:100].astype(np.float64), y[:100]


def _net():
    return dp.Network([64, 8, 10], output_activation="softmax", cost="log_likelihood", seed=0)


@pytest.mark.parametrize("as_object", [False, True])  # NumPy strings, or pandas' object column
def test_word_labels_are_refused_naming_the_labels_and_how_to_number_them(digits, as_object):
    X, y = digits
    words = NAMES[y].astype(object) if as_object else NAMES[y]
    first = ", ".join(repr(str(w)) for w in words[:3]) + ", ..."
    dtype = "object" if as_object else words.dtype.name
    calls = {
        "Y": [
            lambda: _net().fit(X, words),
            lambda: _net().backprop(X, words),
            lambda: _net().evaluate(X, words),
            lambda: _net().cost_value(X, words),
            lambda: dp.gradient_check(_net(), X[:5], words[:5]),
            lambda: _net().fit(X, words[:, None]),  # a column of them too
        ],
        "validation_data[1] (Y_val)": [lambda: _net().fit(X, y, validation_data=(X, words))],
    }
    for name, group in calls.items():
        for call in group:
            with pytest.raises(TypeError) as err:
                call()
            message = str(err.value)
            assert message.startswith(
                f"{name} must hold numbers; got an array of dtype {dtype!r} ({first}). "
            )
            assert message.endswith(FIX)


def test_the_advice_works_and_words_of_inputs_get_no_label_advice(digits):
    X, y = digits
    classes, numbers = np.unique(NAMES[y], return_inverse=True)  # what the message says to do
    net = _net()
    net.fit(X, numbers, 2, seed=0)
    assert set(classes[net.predict_classes(X)]) <= set(NAMES)
    with pytest.raises(TypeError, match=r"^X must hold numbers; .*\('a', 'b', 'a', \.\.\.\)\. Convert"):
        net.predict(np.array([["a", "b"] * 32] * 2))
    # an object array of numbers with one other object in it is not words: no label advice
    # (an object array of numbers alone is read as numbers)
    objects = (np.arange(100) % 10).astype(object)
    objects[50] = object()
    with pytest.raises(
        TypeError, match=r"\(0, 1, 2, \.\.\.\)\. Convert strings or objects to numbers first\.$"
    ):
        net.fit(X, objects)
