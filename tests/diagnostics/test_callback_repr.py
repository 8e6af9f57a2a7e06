"""Diagnostics prints what it found: its repr was ``<…Diagnostics object at 0x…>``."""

from __future__ import annotations

import deltaprop as dp
from deltaprop.diagnostics import Diagnostics


def test_repr_names_each_finding_by_severity_and_code():
    assert repr(Diagnostics(every=2)) == "Diagnostics(every=2, findings: none)"
    X, y = dp.datasets.load("moons", seed=0)
    net = dp.Network([2, 8, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    diagnostics = Diagnostics()
    dp.fit(net, X * 1000, y, epochs=3, learning_rate=100.0, seed=0, callbacks=[diagnostics])
    assert diagnostics.findings  # inputs 1000 times too large, η = 100: it has things to say
    expected = ", ".join(f"{f.severity} {f.code}" for f in diagnostics.findings)
    assert repr(diagnostics) == f"Diagnostics(every=1, findings: {expected})"
    assert "warning unscaled-inputs" in repr(diagnostics)
