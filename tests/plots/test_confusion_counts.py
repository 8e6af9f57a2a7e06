"""The confusion matrix's counts are scikit-learn's, without importing scikit-learn to draw them."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix as sklearn_counts

from deltaprop.plots.confusion import _counts


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=40),
    st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True),
)
def test_counts_equal_scikit_learns_for_any_labels_and_order(pairs, labels):
    y_true, y_pred = (np.array(column) for column in zip(*pairs))
    assume(np.isin(labels, y_true).any())  # scikit-learn refuses labels none of y_true has
    expected = sklearn_counts(y_true, y_pred, labels=labels)  # rows/columns in labels' order
    np.testing.assert_array_equal(_counts(y_true, y_pred, labels), expected)


@pytest.mark.parametrize("labels", [["a", "b", "c"], ["c", "a"]])
def test_text_labels_count_as_scikit_learn_counts_them(labels):
    y_true, y_pred = np.array(list("abcabca")), np.array(list("abbacca"))
    expected = sklearn_counts(y_true, y_pred, labels=labels)
    np.testing.assert_array_equal(_counts(y_true, y_pred, labels), expected)


def test_drawing_figures_does_not_import_scikit_learn():
    # sklearn.metrics took ~0.8 s to import, more than every figure of a run together
    code = "import sys, deltaprop.plots; print('sklearn' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
