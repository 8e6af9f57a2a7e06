"""``deltaprop gradcheck --samples 100000000`` ran for minutes without a word: the check costs
2 forward passes per weight and bias, each over every sample, and an absurd cost is refused with
the cost in the message (exit 2)."""

from __future__ import annotations

from cli_helpers import assert_one_line_error

from deltaprop.cli import gradcheck


def test_more_samples_than_a_check_can_use_are_refused_with_the_cost(run):
    # [4, 5, 3]: 4·5 + 5·3 = 35 weights, 35 + 5 + 3 = 43 parameters; 2 · 43 · 1001 · 35 = 3,013,010.
    assert_one_line_error(
        run("gradcheck", "--samples", "1001"),
        2,
        "--samples 1001 with --layers 4,5,3: the check runs 2 forward passes per weight and bias "
        "(2 × 43 = 86), each over every sample, 3.0e+06 multiply-adds",
        "use --samples 1000 or fewer (default 5)",
    )
    assert run("gradcheck", "--samples", "1000").returncode == 0


def test_a_network_too_costly_to_check_is_refused_with_the_cost(run, monkeypatch):
    monkeypatch.setattr(gradcheck, "MAX_MULTIPLY_ADDS", 10**4)  # the default check's is 15,050
    assert_one_line_error(
        run("gradcheck"),
        2,
        "--samples 5 with --layers 4,5,3: ",
        "1.5e+04 multiply-adds, more than 1e+04 (minutes): use fewer --samples or smaller --layers",
    )
