"""evaluate's regression scores are scikit-learn's MAE, RMSE and R² (each output's, averaged),
computed without importing scikit-learn's metrics for a regression run."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error

from deltaprop.cli.scores import _regression_metrics


@settings(max_examples=60)
@given(st.integers(2, 30), st.integers(1, 3), st.integers(0, 10_000))
def test_the_scores_are_scikit_learns(n, n_out, seed):
    rng = np.random.default_rng(seed)
    y, a = rng.normal(size=(n, n_out)) * 10, rng.normal(size=(n, n_out))
    ours = _regression_metrics(y, a)
    average = "uniform_average"
    mae = mean_absolute_error(y, a, multioutput=average)
    assert ours["mean_absolute_error"] == pytest.approx(mae, rel=1e-12)
    rmse = root_mean_squared_error(y, a, multioutput=average)
    assert ours["root_mean_squared_error"] == pytest.approx(rmse, rel=1e-12)
    assert ours["r2"] == pytest.approx(r2_score(y, a, multioutput=average), rel=1e-12, abs=1e-12)


def test_r2_is_none_where_undefined():
    assert _regression_metrics(np.array([[1.0]]), np.array([[2.0]]))["r2"] is None  # one sample
    assert _regression_metrics(np.ones((4, 1)), np.zeros((4, 1)))["r2"] is None  # targets all equal


def test_scoring_a_regression_model_leaves_scikit_learn_unimported():
    code = (
        "import sys, numpy as np, deltaprop as dp\n"
        "from deltaprop.cli.scores import evaluate_model\n"
        "net = dp.Network([2, 3, 1], output_activation='linear', seed=0)\n"
        "evaluate_model(net, np.ones((5, 2)), np.arange(5.0))\n"
        "print('sklearn' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
