"""A full batch goes in the rows' natural order, so the same values give the same bits.

Before, ``batch_size=None`` handed X itself (unshuffled) to the step only when X was
C-contiguous in the network's dtype; any other X was gathered in shuffled order, which changed
the rounding of the batch sums (1.3e-15 apart for float32 X against its float64 copy), against
the README's promise that float32 inputs give exactly the results of the converted arrays.
"""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training.arguments import training_indices

RNG = np.random.default_rng(0)
X64 = RNG.random((500, 20)).astype(np.float32).astype(np.float64)  # exact in float32 too
Y = RNG.integers(0, 3, 500)


def _trained(X, Y=Y, **kwargs):
    net = dp.Network([20, 16, 3], activation="tanh", output_activation="softmax", seed=0)
    net.fit(X, Y, epochs=5, batch_size=None, learning_rate=0.5, seed=0, **kwargs)
    return [*net.weights, *net.biases]


@pytest.mark.parametrize(
    "convert",
    [
        lambda X: X.astype(np.float32),
        np.asfortranarray,
        lambda X: np.repeat(X, 2, axis=1)[:, ::2],  # a strided view
        lambda X: X.tolist(),
    ],
    ids=["float32", "fortran", "strided", "lists"],
)
def test_every_layout_and_dtype_gives_the_bits_of_the_float64_array(convert):
    expected = _trained(X64)
    for got, want in zip(_trained(convert(X64)), expected):
        np.testing.assert_array_equal(got, want)


def test_with_a_validation_split_the_training_rows_go_in_their_order():
    rows = training_indices(Y, 3, 0.2, 0)
    expected = _trained(np.ascontiguousarray(X64[rows]), Y[rows])
    for X in (X64, X64.astype(np.float32)):
        for got, want in zip(_trained(X, validation_split=0.2), expected):
            np.testing.assert_array_equal(got, want)
