"""fit gathers each mini-batch from X as it is given, whatever its memory layout.

``ndarray.take`` copies a whole non-C-ordered array to C order before it takes anything, so
an X in Fortran order (what ``DataFrame.to_numpy()`` gives) or a column slice (``data[:, 1:]``)
was copied whole at every mini-batch: an MNIST epoch took ~300 × longer, its memory one more
X. Such an X is now gathered by indexing; the weights are bit for bit those of the C-ordered X.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import deltaprop as dp

RNG = np.random.default_rng(0)
DATA = RNG.random((4000, 201))  # column 0 stands in for a label column, as in a CSV
LABELS = RNG.integers(0, 10, 4000)


def _layouts():
    X = np.ascontiguousarray(DATA[:, 1:])
    return {
        "C": X,
        "Fortran": np.asfortranarray(X),
        "column slice": DATA[:, 1:],
        "every other row": np.repeat(X, 2, axis=0)[::2],
        "float32 Fortran": np.asfortranarray(X, dtype=np.float32),
    }


def _fit(X, **kwargs):
    net = dp.Network([200, 16, 10], seed=0)
    tracemalloc.start()
    try:
        net.fit(X, LABELS, 2, batch_size=10, learning_rate=0.5, seed=0, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return net, peak


@pytest.mark.parametrize("layout", ["Fortran", "column slice", "every other row"])
def test_a_non_c_ordered_x_trains_to_the_same_weights_without_copying_it(layout):
    X = _layouts()[layout]
    assert not X.flags.c_contiguous
    reference, _ = _fit(_layouts()["C"])
    net, peak = _fit(X)
    for got, want in zip(net.weights + net.biases, reference.weights + reference.biases):
        np.testing.assert_array_equal(got, want)
    # Before: a C-ordered copy of X (6.4 MB) at every one of the 800 mini-batches.
    assert peak < X.nbytes / 4, f"peak {peak / 2**20:.2f} MB for {X.nbytes / 2**20:.2f} MB of X"


def test_a_float32_fortran_x_trains_a_float64_network_as_its_c_ordered_float64_copy():
    X = _layouts()["float32 Fortran"]
    reference, _ = _fit(np.ascontiguousarray(X, dtype=np.float64))
    net, peak = _fit(X)
    for got, want in zip(net.weights, reference.weights):
        np.testing.assert_array_equal(got, want)
    assert peak < X.nbytes / 2  # a C-ordered copy would be X.nbytes, once per mini-batch


def test_strided_sample_weights_are_gathered_as_contiguous_ones():
    X = _layouts()["C"]
    weights = np.repeat(RNG.random(4000) + 0.5, 2)[::2]  # a strided view
    assert not weights.flags.c_contiguous
    a, _ = _fit(X, sample_weight=weights)
    b, _ = _fit(X, sample_weight=np.ascontiguousarray(weights))
    for got, want in zip(a.weights, b.weights):
        np.testing.assert_array_equal(got, want)
