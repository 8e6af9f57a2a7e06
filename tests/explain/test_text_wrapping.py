"""Long equations in terminal text break before an "=", never between a number and its operator.

Before, rich wrapped an equation wider than the console at any space, so a lecturer piping
``deltaprop explain`` into a file got ``… = 0.75136507(1 − \\n0.75136507) = 0.186815602``:
a number alone at the start of a line, its factor on the line above. And a redirected
``deltaprop explain`` rendered at rich's 80 columns for a non-terminal, not the 110 that
``render_text`` and the README use.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from rich.cells import cell_len

import deltaprop as dp
from deltaprop.walkthrough import examples, render_text

NUMBER_FIRST = re.compile(r"^\s*\(?-?\d")  # a line that opens with a number: a broken equation


def mazur_trace():
    ex = examples.mazur()
    return dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False)


def test_narrow_text_breaks_equations_before_an_equals_sign():
    text = render_text(mazur_trace(), "mazur", width=80)
    lines = text.splitlines()
    assert not [line for line in lines if NUMBER_FIRST.match(line)]
    # σ′(net_o1)'s derivation is 85 columns: its result moves to an indented "=" line
    at = lines.index("  ∂out_o1/∂net_o1 = σ′(net_o1) = out_o1(1 − out_o1) = 0.75136507(1 − 0.75136507)")
    assert lines[at + 1] == "      = 0.186815602"
    assert max(cell_len(line) for line in lines) <= 80


def test_every_side_of_a_broken_equation_is_kept_whole():
    """Joined back up, the broken lines are the equation as one line at any width."""
    trace = mazur_trace()
    wide = [line for line in render_text(trace, "mazur", width=1000).splitlines() if " = " in line]
    narrow = render_text(trace, "mazur", width=60).splitlines()
    joined, k = [], 0
    while k < len(narrow):
        line = narrow[k]
        while k + 1 < len(narrow) and narrow[k + 1].startswith("      = "):
            line += " " + narrow[k + 1].strip()
            k += 1
        joined.append(line)
        k += 1
    assert all(line in joined for line in wide if line.startswith("  "))


def test_redirected_cli_output_is_110_columns(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = subprocess.run(
        [sys.executable, "-m", "deltaprop", "explain"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # 98 columns: one line at 110, two at rich's former 80 for a pipe
    derivation = "∂out_o1/∂net_o1 = σ′(net_o1) = out_o1(1 − out_o1) = 0.75136507(1 − 0.75136507)"
    assert f"  {derivation} = 0.186815602" in lines
    assert cell_len(lines[0]) == 110  # the title rule spans the width


def test_a_note_that_does_not_fit_gets_a_line_of_its_own():
    ex = examples.get("xor")
    lines = render_text(dp.explain(ex.net, ex.x, ex.y, 0.5), width=72).splitlines()
    # 71 columns without its note: "(BP1)" would have wrapped on its own, to column 0
    at = lines.index("  δ³₁ = ∂C/∂a³₁ · σ′(z³₁) = −0.099946175 × 0.089956937 = −0.008990852")
    assert lines[at + 1] == "      (BP1)"
    assert max(cell_len(line) for line in lines) <= 72


def test_a_side_too_long_for_a_line_hangs_under_its_expression():
    # Before, at 110 columns a four-term sum wrapped where rich put it: "… + 0.540525132 × ⏎
    # (−0.996873107) + (−0.243558679)", its second line at column 0, a number cut from its ×.
    net = dp.Network([3, 4, 3, 3], activation="tanh", output_activation="softmax", seed=3)
    trace = dp.explain(net, [5.0, 0.0, 0.0], 0, 0.5)
    lines = render_text(trace, width=110).splitlines()
    equations = [line for line in lines if "×" in line or line.lstrip().startswith(("=", "+", "−"))]
    assert equations and all(line.startswith("  ") for line in equations)
    assert not [line for line in equations if NUMBER_FIRST.match(line)]
    assert max(cell_len(line) for line in lines) <= 110
    hanging = [k for k, line in enumerate(lines) if line.startswith("        + ")]
    assert len(hanging) >= 3
    for k in hanging:  # under the expression of the line above: "      = 0.48… × …"
        assert lines[k - 1].startswith("      = ") or lines[k - 1].startswith("        + ")
    # joined back up, the pieces are the equation as one line
    wide = render_text(trace, width=100_000)
    for k in hanging:
        start = k - 1
        while lines[start].startswith("        + "):
            start -= 1
        end = k
        while end + 1 < len(lines) and lines[end + 1].startswith("        + "):
            end += 1
        side = " ".join(line.strip() for line in lines[start : end + 1])[2:]  # without its "= "
        assert f" = {side} = " in wide, side
