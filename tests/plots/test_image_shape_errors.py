"""An ``image_shape`` that is not two whole numbers ≥ 1 multiplying to the pixels is named as such:
``first_layer_weights(net, (-2, -2))`` passed the product check (4 = 4) and failed in NumPy's
reshape ("can only specify one unknown dimension"), and ``(2, 2.5)`` was cut to ``(2, 2)``."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

import deltaprop as dp
from deltaprop import plots


@pytest.fixture(scope="module")
def digits_net():
    return dp.Network([64, 5, 10], seed=0)  # 8×8 digits in


@pytest.mark.parametrize("shape", [(-8, -8), (0, 64), (64, 0), (4, 4), (64,)])
def test_first_layer_weights_refuses_a_shape_that_is_not_the_images(digits_net, shape):
    with pytest.raises(
        ValueError, match=r"does not match the 64 inputs of the network; expected \(height, width\), each ≥ 1"
    ):
        plots.first_layer_weights(digits_net, shape)


@pytest.mark.parametrize("shape", [(8, 8.0), "88", None, (True, 64)])
def test_first_layer_weights_refuses_a_shape_that_is_not_whole_numbers(digits_net, shape):
    with pytest.raises(TypeError, match=r"^image_shape must be \(height, width\), two whole numbers; got "):
        plots.first_layer_weights(digits_net, shape)


def test_the_gallery_checks_its_shape_the_same_way(digits_net):
    X = load_digits().data[:20]
    y = load_digits().target[:20]
    with pytest.raises(
        ValueError, match=r"image_shape \(-8, -8\) does not match the 64 features of each sample"
    ):
        plots.misclassified_gallery(X, y, (y + 1) % 10, image_shape=(-8, -8))
    assert plots.first_layer_weights(digits_net, (np.int64(8), 8)) is not None  # NumPy ints are whole numbers
