"""predict on CSV files laid out as pandas writes them (its index, a header of column
numbers, a text label left in), and its table's title: each message gives one piece of
advice, the right one, and the title stays one line in a pipe."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp

pd = pytest.importorskip("pandas")


def test_a_regression_tables_title_is_one_line_in_a_pipe(run, tmp_path):
    net = dp.Network([2, 3, 1], activation="tanh", output_activation="linear", cost="quadratic", seed=0)
    dp.save(net, tmp_path / "reg.safetensors")
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    pd.DataFrame(X, columns=["a", "b"]).to_csv(tmp_path / "rows.csv", index=False)
    result = run("predict", "reg.safetensors", "rows.csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Predictions (the output a)"  # was "Predictions (the", then "output a)"
    values = [float(line.split()[-1]) for line in lines[2:]]
    np.testing.assert_allclose(values, net.predict(X)[:, 0], rtol=1e-5)
