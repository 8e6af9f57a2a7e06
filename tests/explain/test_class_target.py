"""A class label's one-hot target is said in words, in the detailed walk-through and in a summary.

Before, ``--target 2`` showed y₃ = 1 with nothing saying "class 2 → y = (0, 0, 1)", and a
summarised network (more than 30 neurons) showed its target nowhere.
"""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop.walkthrough import explain, render_html, render_markdown, render_text

WIDE = 2000


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_class_label_is_said_once_where_the_target_is_shown():
    net = dp.Network([3, 4, 3], output_activation="softmax", cost="log_likelihood", seed=3)
    text = render_text(explain(net, [5.0, 0.0, 0.0], 2, 0.5), width=WIDE)
    said = (
        "Target: class 2 → y = (0, 0, 1), one-hot: y₃ = 1 and the others 0 "
        "(classes count from 0, outputs from 1)."
    )
    assert text.count(said) == 1
    cost = text[text.index("The cost") :]
    assert cost.index(said) < cost.index("−y₃ ln a³₃ = −1 ln")  # before the line that uses y₃ = 1
    mazur = render_text(explain(net, [5.0, 0.0, 0.0], 2, 0.5), "mazur", width=WIDE)
    assert "Target: class 2 → target = (0, 0, 1), one-hot: target_o3 = 1 and the others 0" in mazur
    trace = explain(net, [5.0, 0.0, 0.0], 2, 0.5)
    assert "Target: class 2 → y = (0, 0, 1)" in render_markdown(trace)
    assert "Target: class 2 → y = (0, 0, 1)" in render_html(trace)


def test_each_sample_of_a_batch_says_its_class_and_other_targets_say_nothing():
    net = dp.Network([2, 3, 3], seed=1)
    text = render_text(explain(net, [[0.5, -1.0], [0.1, 0.2]], [2, 0], 0.5), width=WIDE)
    assert "Target: class 2 → y = (0, 0, 1)" in text and "Target: class 0 → y = (1, 0, 0)" in text
    assert "Target:" not in render_text(explain(net, [0.5, -1.0], [0.2, 0.9, 0.1], 0.5), width=WIDE)
    one_output = dp.Network([2, 2, 1], seed=1)  # y = 1 of one output is no class's one-hot code
    assert "Target:" not in render_text(explain(one_output, [0.5, -1.0], [1.0], 0.5), width=WIDE)


def test_a_summary_shows_the_target():
    net = dp.Network([20, 12, 5], seed=0)  # 37 neurons: summarised
    x = np.linspace(-1, 1, 20)
    text = _words(render_text(explain(net, x, 3, 0.5), width=WIDE))
    assert "summary" in text
    assert "Target: class 3 → y = (0, 0, 0, 1, 0), one-hot: y₄ = 1 and the others 0" in text
    values = _words(render_text(explain(net, x, [0.1, 0.2, 0.3, 0.4, 0.5], 0.5), width=WIDE))
    assert "Target: y = (0.1, 0.2, 0.3, 0.4, 0.5)." in values
    batch = _words(render_text(explain(net, np.stack([x, -x, x / 2]), [3, 1, 4], 0.5), width=WIDE))
    assert "Targets: one-hot y of classes 3, 1, 4 (the 3 samples in order; classes count from 0)." in batch
