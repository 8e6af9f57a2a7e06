"""A sparse matrix (SciPy's) given where the core reads numbers: ``np.asarray`` makes a 0-D object
array of it, and the message quoted that ("got an array of dtype 'object' (<Compressed Sparse Row
sparse )"). It now says the input is sparse, which deltaprop does not take, and how to pass it
dense, naming the argument as the user wrote it."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp

sparse = pytest.importorskip("scipy.sparse")

X = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
Y = np.array([0, 1, 0, 1])
FORMATS = [sparse.csr_matrix, sparse.csc_matrix, sparse.coo_array, sparse.lil_matrix]


def _net():
    return dp.Network([2, 3, 1], seed=0)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("call", "shown", "variable"),
    [
        (lambda net, S: net.predict(S), "X", "X"),
        (lambda net, S: net.predict_classes(S), "X", "X"),
        (lambda net, S: net.evaluate(S, Y), "X", "X"),
        (lambda net, S: net.fit(S, Y), "X", "X"),
        (lambda net, S: net.backprop(S, Y), "X", "X"),
        (lambda net, S: net.fit(X, Y, validation_data=(S, Y)), "validation_data[0] (X_val)", "X_val"),
    ],
)
def test_sparse_features_are_refused_as_sparse_with_how_to_pass_them(fmt, call, shown, variable):
    net = _net()
    before = [w.copy() for w in net.weights]
    with pytest.raises(TypeError) as info:
        call(net, fmt(X))
    message = str(info.value)
    assert message.startswith(f"{shown} is a sparse matrix ({fmt.__name__} of shape (4, 2))")
    assert f"pass {variable}.toarray() instead" in message
    assert "object" not in message
    for w, v in zip(net.weights, before, strict=True):
        np.testing.assert_array_equal(w, v)  # refused before any update


def test_sparse_targets_are_named_too():
    expected = r"^Y is a sparse matrix \(csr_matrix of shape \(4, 1\)\).*pass Y\.toarray\(\)"
    with pytest.raises(TypeError, match=expected):
        _net().fit(X, sparse.csr_matrix(Y.reshape(-1, 1).astype(float)))


def test_the_dense_array_it_advises_is_taken():
    net = _net()
    np.testing.assert_array_equal(net.predict(sparse.csr_matrix(X).toarray()), net.predict(X))
