"""A ReLU's σ′ line says which side of 0 its weighted input is on, with the number.

Before it read ``σ′(z²₁) = 1 if z²₁ > 0, else 0 = 0``: the reader had to scroll back to the
forward pass to see why it was 0. The note now gives z and its sign.
"""

from __future__ import annotations

import re

import pytest

import deltaprop as dp
from deltaprop.walkthrough import render_text


@pytest.mark.parametrize("activation, low", [("relu", 0.0), ("leaky_relu", 0.01)])
def test_each_relu_sigma_prime_line_names_its_z(activation, low):
    net = dp.Network([2, 3, 2], activation=activation, output_activation="logistic", seed=1)
    trace = dp.explain(net, [0.8, 0.4], [1, 0], 0.5)
    text = render_text(trace, width=1000)
    lines = re.findall(
        r"σ′\(z²(\S)\) = 1 if z²\S > 0, else \S+ = (\S+)   \(z²\S = (\S+) ([>≤]) 0\)$", text, re.M
    )
    assert len(lines) == 3  # every hidden neuron
    for _, sigma_prime, z, side in lines:
        z = z.replace("−", "-")  # U+2212, the text's minus
        assert (float(z) > 0) == (side == ">")
        assert float(sigma_prime) == (1.0 if side == ">" else low)
    assert any(side == "≤" for *_, side in lines) and any(side == ">" for *_, side in lines)
    assert "≤ 0" not in render_text(dp.explain(dp.Network([2, 3, 2], seed=1), [0.8, 0.4], [1, 0], 0.5))
