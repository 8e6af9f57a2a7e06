"""Small data sets for the training tests: XOR and scikit-learn's 8×8 digits, split once."""

from __future__ import annotations

import numpy as np
import pytest

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


@pytest.fixture(scope="session")
def digits():
    """(X_train, y_train, X_test, y_test): the 8×8 digits, pixels /16, split 80/20 (seeded, stratified)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    data = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data / 16.0, data.target, test_size=0.2, stratify=data.target, random_state=0
    )
    return X_train, y_train, X_test, y_test


@pytest.fixture
def xor():
    return XOR_X.copy(), XOR_Y.copy()
