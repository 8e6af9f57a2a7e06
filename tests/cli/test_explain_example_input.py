"""``deltaprop explain --example xor --input 1,1 --target 0``: the other cases of a built-in example.

Before, ``--input`` and ``--target`` went with ``--model`` only ("--input, --target and
--input-file go with --model FILE"), so the XOR example could show (1, 0) → 1 and none of the
other three cases, short of saving its network to a file first.
"""

from __future__ import annotations

import pytest

import deltaprop as dp
from deltaprop.cli import main
from deltaprop.walkthrough import examples


def cost_after(trace) -> str:
    return f"{trace.cost_after:.9f}".rstrip("0")


@pytest.mark.parametrize("x,target", [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)])
def test_every_xor_case(capsys, x, target):
    ex = examples.xor()
    args = ["--example", "xor", "--input", f"{x[0]},{x[1]}", "--target", str(target)]
    assert main(["explain", *args]) == 0
    out = capsys.readouterr().out
    trace = dp.explain(ex.net, list(x), [target], ex.learning_rate, update_biases=ex.update_biases)
    assert f"a¹₁ = {x[0]}" in out and f"a¹₂ = {x[1]}" in out  # the forward pass starts from this x
    assert cost_after(trace) in out and "the xor example" in out
    words = " ".join(out.split())  # wrapped where the terminal is narrow (COLUMNS=80)
    assert "learning rate η = 0.5" in words and "weights and biases are updated" in words  # its own


def test_mazurs_network_on_another_input_is_not_called_the_posts_step(capsys):
    assert main(["explain", "--example", "mazur", "--input", "0.5,0.1", "--target", "0.99,0.01"]) == 0
    out = capsys.readouterr().out
    ex = examples.mazur()
    trace = dp.explain(ex.net, [0.5, 0.1], [0.99, 0.01], 0.5, update_biases=False)
    assert "i1 = 0.5" in out and cost_after(trace) in out and "∂E_total/∂w5" in out
    assert "0.291027924" not in out  # the post's figure is about its own input only


def test_an_input_file_makes_a_batch_of_xor_cases(tmp_path, capsys):
    data = tmp_path / "xor.txt"
    data.write_text("0 0 0\n0 1 1\n1 0 1\n1 1 0\n", encoding="utf-8")
    assert main(["explain", "--example", "xor", "--input-file", str(data), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    ex = examples.xor()
    trace = dp.explain(ex.net, [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], 0.5)
    assert "Sample 4 of 4" in out and cost_after(trace) in out


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--input", "1,1", "--target", "0"],
            "--input, --target and --input-file go with --model FILE or --example NAME "
            "(--example xor --input 1,1 --target 0)",
        ),
        (["--example", "xor", "--input", "1,1"], "--example xor needs --input V1,V2,... and --target"),
        (["--example", "xor", "--target", "1"], "--example xor needs --input V1,V2,... and --target"),
        (
            ["--example", "xor", "--input", "1,1,1", "--target", "0"],
            "--input has 3 values, but the xor example's input layer has 2 neurons",
        ),
        (
            ["--example", "mazur", "--input", "1,1", "--target", "0,1,0"],
            "--target has 3 values, but the mazur example's output layer has 2 neurons; give 2 targets "
            "or one class label from 0 to 1",
        ),
        (["--example", "xor", "--input", "1,x", "--target", "0"], "--input: 'x' is not a number"),
    ],
)
def test_what_does_not_fit_the_examples_network_is_one_clear_line(capsys, args, message):
    assert main(["explain", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and len(captured.err.strip().splitlines()) == 1
    assert captured.out == ""


def test_an_input_file_that_does_not_fit_names_the_example(tmp_path, capsys):
    data = tmp_path / "xor.txt"
    data.write_text("0 0 0 1\n", encoding="utf-8")
    assert main(["explain", "--example", "xor", "--input-file", str(data)]) == 2
    err = capsys.readouterr().err
    assert "--input-file line 1 has 4 numbers; the xor example needs 2 inputs then 1 target (3 numbers)" in (
        err
    )


@pytest.mark.parametrize(
    ("name", "starts"), [("step.html", "<!DOCTYPE html>"), ("step.tex", "\\documentclass"), ("step.md", "#")]
)
def test_out_without_format_writes_what_its_ending_names(run, tmp_path, name, starts):
    result = run("explain", "--out", str(tmp_path / name))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_text(encoding="utf-8").lstrip().startswith(starts)


def test_an_explicit_format_wins_over_the_ending(run, tmp_path):
    result = run("explain", "--format", "text", "--out", str(tmp_path / "step.html"))
    assert result.returncode == 0, result.stderr
    assert "<html" not in (tmp_path / "step.html").read_text(encoding="utf-8")
