"""A diverged network's diagram is refused by name, not by matplotlib's colour scale."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.plots import network_diagram


@pytest.mark.parametrize(("kind", "value"), [("weights", np.nan), ("biases", np.inf)])
def test_nan_or_inf_parameters_are_named(kind, value):
    net = dp.Network([2, 3, 2], seed=0)
    getattr(net, kind)[0][0] = value
    with pytest.raises(ValueError, match=rf"net\.{kind}\[0\] holds NaN or ∞ \(a diverged run\?\)"):
        network_diagram(net, [0.1, 0.2], 1)
