"""Every cost's ``per_sample(a, y)``: C_x of each row, whose mean is the cost's ``value``.

The weighted cost Σ s_x C_x / Σ s_x of ``backprop(..., sample_weight=)``, ``fit`` and
``evaluate`` is built from ``per_sample``; here each C_x is checked against the textbook
formula written out row by row in float64 (with a clipped as the cost clips it), and their
mean against ``value`` to 1e-15, for every cost and dtype, on outputs that include exact 0s
and 1s.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from deltaprop import costs
from deltaprop.costs import per_sample_costs

N_SAMPLES, N_OUT = 23, 4
DTYPES = [np.float64, np.float32]


def batch(dtype, seed: int = 0):
    """Outputs in [0, 1] with exact 0s and 1s (where the clip acts), soft targets in [0, 1]."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.0, 1.0, (N_SAMPLES, N_OUT))
    a[0, 0], a[1, 1], a[2, :] = 0.0, 1.0, [0.0, 1.0, 0.0, 1.0]
    y = rng.uniform(0.0, 1.0, (N_SAMPLES, N_OUT))
    y[2, :] = [1.0, 0.0, 0.0, 1.0]
    return a.astype(dtype), y.astype(dtype)


def textbook(name: str, a: np.ndarray, y: np.ndarray) -> list[float]:
    """C_x row by row in Python floats; a clipped to [ε, 1 − ε] of its dtype, as the costs do."""
    eps = float(np.finfo(a.dtype).eps)
    rows = []
    for a_row, y_row in zip(a.tolist(), y.tolist()):
        p = [min(max(v, eps), float(a.dtype.type(1.0 - eps))) for v in a_row]
        if name == "quadratic":
            rows.append(0.5 * sum((v - t) ** 2 for v, t in zip(a_row, y_row)))
        elif name == "cross_entropy":
            rows.append(-sum(t * math.log(q) + (1 - t) * math.log1p(-q) for q, t in zip(p, y_row)))
        else:
            rows.append(-sum(t * math.log(q) for q, t in zip(p, y_row)))
    return rows


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(costs.COSTS))
def test_per_sample_is_each_rows_cost_and_averages_to_value(name, dtype):
    cost = costs.get(name)
    a, y = batch(dtype)
    with np.errstate(all="raise"):
        per = cost.per_sample(a, y)
        value = cost.value(a, y)
    assert per.shape == (N_SAMPLES,) and per.dtype == dtype
    rtol = 1e-13 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(per, textbook(name, a, y), rtol=rtol, atol=0)
    # The mean of the per-sample costs is the cost's value (to 1e-15; weighted sums rest on it).
    assert float(per.sum() / N_SAMPLES) == pytest.approx(value, rel=1e-15, abs=0)
    in_float64 = per_sample_costs(cost, a, y)  # float64, for weighting
    assert in_float64.mean() == pytest.approx(value, rel=1e-15 if dtype == np.float64 else 1e-6)
    # One row's value is that row's C_x.
    for k in (0, 2, N_SAMPLES - 1):
        assert cost.value(a[k : k + 1], y[k : k + 1]) == pytest.approx(float(per[k]), rel=1e-15, abs=0)


def test_a_cost_must_say_its_per_sample_values():
    """No row-by-row fallback through ``value``: a Cost subclass defines ``per_sample``."""

    class ValueOnly(costs.Cost):
        name = "value_only"

        def derivative(self, a, y):
            return a - y

    with pytest.raises(TypeError, match="per_sample"):
        ValueOnly()
