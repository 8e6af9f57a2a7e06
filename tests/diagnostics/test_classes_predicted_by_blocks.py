"""The end-of-run pass over the training rows (:func:`deltaprop.diagnostics.classes.predicted_labels`):
X is checked once and predicted in one call of the network's own blocked forward pass, not
through the public ``predict`` a small chunk at a time.

Before, 54,000 MNIST rows went through ``predict_classes`` in 211 chunks of 256 rows, each
checked again and each product above OpenBLAS's threading threshold: on a busy machine the
pass took over a second of waiting threads (0.07 s at one thread).
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.diagnostics import classes
from memory_peak import peak_bytes


@pytest.fixture
def counted(monkeypatch):
    """A digits classifier whose ``predict`` and ``_predict`` count their calls, the digits
    eight times over (11,496 rows, 5.9 MB in float64: 45 of the old chunks) and a permutation
    of most of their rows (a training index)."""
    X, y = dp.datasets.load_digits("train")
    net = dp.Network([64, 10, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    dp.fit(net, X, y, epochs=2, learning_rate=0.5, seed=0)
    X = np.tile(X, (8, 1))
    calls = {"predict": 0, "_predict": 0}
    for name in calls:
        method = getattr(net, name)

        def counting(rows, method=method, name=name):
            calls[name] += 1
            return method(rows)

        monkeypatch.setattr(net, name, counting)
    index = np.random.default_rng(0).permutation(len(X))[: len(X) - 100]
    return net, X, index, calls


def test_all_the_rows_are_predicted_in_one_call_of_the_networks_forward_pass(counted):
    net, X, _, calls = counted
    labels = classes.predicted_labels(net, X)
    assert calls == {"predict": 0, "_predict": 1}  # before: predict, once per 256 rows
    np.testing.assert_array_equal(labels, net.predict_classes(X))
    assert labels.dtype == np.int64


def test_the_training_rows_are_predicted_in_that_one_call_and_never_copied(counted):
    net, X, index, calls = counted
    peak, labels = peak_bytes(lambda: classes.predicted_labels(net, X, index))
    assert calls == {"predict": 0, "_predict": 1}
    np.testing.assert_array_equal(labels, net.predict_classes(X[index]))
    # the outputs and predict's own blocks; never a gathered copy of the rows
    assert peak < X.nbytes / 2, f"peak {peak} bytes for {X.nbytes} of X"


def test_the_rows_are_checked_once_naming_the_problem(counted):
    net, X, index, _ = counted
    bad = X.copy()
    bad[index[5], 3] = np.nan  # a training row
    with pytest.raises(ValueError, match=rf"X contains NaN or infinity \(first at index \({index[5]}, 3\)"):
        classes.predicted_labels(net, bad, index)
    with pytest.raises(ValueError, match="X has 63 features per sample, but the network expects 64"):
        classes.predicted_labels(net, X[:, 1:])


def test_a_single_output_is_read_as_predict_classes_reads_it():
    X, y = dp.datasets.load_digits("train")
    binary = (y < 5).astype(np.int64)  # digits 0-4: half the rows
    net = dp.Network([64, 8, 1], seed=0)
    dp.fit(net, X, binary, epochs=2, learning_rate=0.5, seed=0)
    labels = classes.predicted_labels(net, X, np.arange(len(X))[::-1])
    np.testing.assert_array_equal(labels, net.predict_classes(X)[::-1])
    assert 0 < labels.sum() < len(X)  # both classes predicted: the threshold is tested
