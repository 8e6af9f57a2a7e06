"""``predict`` converts X to the network's dtype a block of rows at a time, as ``evaluate`` does.

It converted X whole: MNIST's 60,000 float32 training images (188 MB) cost a float64 network's
``predict`` a 376 MB copy, where ``evaluate`` needed a chunk. Now an X of more than 16 MB in the
network's dtype goes block by block, whatever its own dtype, so X and the array the caller
converts give the same bits (a product's rows depend in their last bits on how many rows it
has, in BLAS: the choice of blocks must not depend on X's dtype)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import deltaprop as dp
from deltaprop._predict import BLOCK_ROWS, WHOLE_BATCH_BYTES
from memory_peak import peak_bytes

ROOT = Path(__file__).resolve().parents[2]


def _mnist_test_images() -> np.ndarray:
    for root in (os.environ.get("DELTAPROP_DATA"), ROOT.parent / "shared" / "data"):
        if root and (Path(root) / "mnist" / "t10k-images-idx3-ubyte.gz").is_file():
            return dp.datasets.load_mnist("test", data_dir=root, download=False)[0]
    pytest.skip("no MNIST copy: set DELTAPROP_DATA to a folder holding mnist/*.gz")


def test_a_float32_mnist_is_converted_block_by_block_for_a_float64_network():
    X = _mnist_test_images()  # (10000, 784) float32, 31 MB: 63 MB as float64
    assert X.dtype == np.float32 and X.size * 8 > WHOLE_BATCH_BYTES
    net = dp.Network([784, 30, 10], output_activation="softmax", seed=0)
    peak, a = peak_bytes(lambda: net.predict(X))
    block = BLOCK_ROWS * 784 * 8  # one block of X as float64, 12.8 MB
    assert peak < block + 4 * 2**20, peak  # the block, the outputs (0.8 MB), the finite check's masks
    assert a.dtype == np.float64 and a.shape == (10000, 10)
    whole = net.predict(X.astype(np.float64))  # converted by the caller: no copy in predict
    np.testing.assert_array_equal(a, whole)
    np.testing.assert_array_equal(net.predict_classes(X), whole.argmax(axis=1))
    assert net.evaluate(X, whole.argmax(axis=1))["accuracy"] == 1.0


def test_the_finite_check_still_names_the_first_bad_value_of_the_unconverted_x():
    X = _mnist_test_images().copy()
    X[9000, 3] = np.nan
    net = dp.Network([784, 30, 10], seed=0)
    expected = (
        r"^X contains NaN or infinity \(first at index \(9000, 3\): nan\); remove or impute those values$"
    )
    with pytest.raises(ValueError, match=expected):
        net.predict(X)
    X = X.astype(np.float64)
    X[9000, 3] = 1e39  # finite in float64, infinite in a float32 network
    with pytest.raises(ValueError, match=r"X holds 1e\+39 \(first at row 9000, column 3\), beyond the range"):
        dp.Network([784, 30, 10], seed=0, dtype=np.float32).predict(X)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_small_inputs_of_another_dtype_order_or_type_give_the_same_bits(dtype):
    """Below the 16 MB copy, X is converted whole: a float32 X for a float64 network, a
    Fortran-order X, a list give exactly what X converted by the caller gives."""
    X, _ = dp.datasets.load_digits("train")  # (1437, 64) float32
    X = np.vstack([X, X])  # 2874 rows: more than one block
    assert X.shape[0] > BLOCK_ROWS
    net = dp.Network([64, 30, 10], seed=0, dtype=dtype)
    expected = net.predict(np.ascontiguousarray(X, dtype=dtype))
    for given in (X, X.astype(np.float64), np.asfortranarray(X), X.tolist(), (X * 16).astype(np.uint8) / 16):
        np.testing.assert_array_equal(net.predict(given), expected)
    wide = dp.Network([64, 1500, 10], seed=0, dtype=dtype)  # hidden outputs > 16 MB: by blocks, as before
    np.testing.assert_array_equal(wide.predict(np.asfortranarray(X)), wide.predict(X.astype(dtype)))


def test_a_large_float64_x_for_a_float32_network_is_converted_by_blocks_too():
    X = _mnist_test_images().astype(np.float64)  # 63 MB, 31 MB as float32
    net = dp.Network([784, 30, 10], output_activation="softmax", seed=0, dtype=np.float32)
    peak, a = peak_bytes(lambda: net.predict(X))
    assert peak < BLOCK_ROWS * 784 * 4 + 4 * 2**20, peak
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, net.predict(X.astype(np.float32)))
