"""A resumed run keeps the layers its earlier gradient records describe.

A resume stopped (Ctrl-C, SIGTERM) before the end of its first epoch records no statistics of
its own, so it used to write ``gradients.json`` with the earlier records but ``layers: []``,
a file the next ``deltaprop resume`` refused ("records[0] is not a record of 0 layer(s)").
"""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop.cli.train import diagnostics_callbacks
from deltaprop.diagnostics.gradient_stats import GradientStats


def test_the_earlier_records_come_with_their_layers(tmp_path):
    X, y = dp.datasets.load_digits("train")
    net = dp.Network([64, 12, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    earlier = GradientStats(X[:50], np.eye(10)[y[:50]])  # a probe batch and its one-hot targets
    for epoch in (-1, 0, 1):
        earlier.record(net, epoch)
    path = earlier.to_json(tmp_path / "gradients.json")

    stats, _ = diagnostics_callbacks(path, before=1)  # resumed in epoch 2 (index 1)
    assert [r["epoch"] for r in stats.records] == [-1, 0]
    assert (
        stats.layers
        == earlier.layers
        == [
            {"activation": "logistic", "n_units": 12},
            {"activation": "softmax", "n_units": 10},
        ]
    )
    written = stats.to_json(tmp_path / "again.json")  # as an interrupted resume writes it
    assert GradientStats.from_json(written).layers == earlier.layers
