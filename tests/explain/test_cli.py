"""``deltaprop explain`` end to end, through a real subprocess."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import deltaprop as dp


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deltaprop", "explain", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def test_no_arguments_reproduce_mazur():
    result = run()
    assert result.returncode == 0, result.stderr
    for number in ("0.593269992", "0.75136507", "0.298371109", "0.082167041", "0.35891648", "0.291027774"):
        assert number in result.stdout
    assert "∂E_total/∂w5" in result.stdout  # Mazur's names by default for his example
    assert "0.291027924" in result.stdout  # and why the post prints this


def test_post_variant_and_nielsen_notation():
    result = run("--variant", "post", "--notation", "nielsen")
    assert result.returncode == 0, result.stderr
    assert "E⁺" not in result.stdout and "C′ = 0.291027924" in result.stdout
    assert "NOT the backpropagation algorithm" in result.stdout


@pytest.mark.parametrize("fmt,marker", [("markdown", "$$"), ("html", "<math")])
def test_out_writes_the_file(tmp_path, fmt, marker):
    out = tmp_path / f"walk.{fmt}"
    result = run("--example", "xor", "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    content = out.read_text(encoding="utf-8")
    assert marker in content and "xor" in content
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_own_model(tmp_path):
    net = dp.Network([3, 2, 2], seed=5)
    path = tmp_path / "model.safetensors"
    dp.save(net, path)
    result = run("--model", str(path), "--input", "0.1,0.2,0.3", "--target", "1,0", "--lr", "0.25")
    assert result.returncode == 0, result.stderr
    trace = dp.explain(net, [0.1, 0.2, 0.3], [1.0, 0.0], 0.25)
    assert f"{trace.cost_after:.9f}".rstrip("0") in result.stdout
    data = tmp_path / "batch.txt"
    data.write_text("# x1 x2 x3 t1 t2\n0.1 0.2 0.3 1 0\n0.5,0.5,0.5,0,1\n", encoding="utf-8")
    result = run("--model", str(path), "--input-file", str(data), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    batch = dp.explain(net, np.array([[0.1, 0.2, 0.3], [0.5, 0.5, 0.5]]), np.array([[1, 0], [0, 1]]), 0.5)
    assert "Sample 2 of 2" in result.stdout
    assert f"{batch.cost_after:.9f}".rstrip("0") in result.stdout


def test_a_nan_in_an_input_file_names_its_line_and_value(tmp_path, capsys):
    from deltaprop.cli import main

    model, data = tmp_path / "m.safetensors", tmp_path / "batch.txt"
    dp.save(dp.Network([3, 2, 2], seed=0), model)
    data.write_text("1 2 3 1 0\n1 nan 3 1 0\n", encoding="utf-8")
    assert main(["explain", "--model", str(model), "--input-file", str(data)]) == 2
    err = capsys.readouterr().err
    assert "--input-file line 2: value 2 is 'nan'" in err and "index" not in err


def test_unknown_example_exits_2():
    result = run("--example", "iris")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "args,message",
    [
        (["--input", "1,2"], "go with --model"),
        (["--lr", "-1"], "--lr must be"),
        (["--model", "MODEL", "--input", "0.1,0.2", "--target", "1,0"], "--input has 2 values"),
        (["--model", "MODEL", "--input", "0.1,x,0.3", "--target", "1,0"], "'x' is not a number"),
        (["--model", "MODEL", "--input", "0.1,0.2,0.3"], "needs --input"),
        (["--model", "nowhere.safetensors", "--input", "1", "--target", "1"], "does not exist"),
        # NaN and inf: the option and the value's position, not the internal x and a 2-D index
        (["--model", "MODEL", "--input", "nan,2,3", "--target", "1,0"], "--input: value 1 is 'nan'"),
        (["--model", "MODEL", "--input", "1,2,3", "--target", "1,-inf"], "--target: value 2 is '-inf'"),
        # one value for two outputs: a class label 0 or 1, or else two targets (and "1 value")
        (
            ["--model", "MODEL", "--input", "1,2,3", "--target", "2"],
            "--target has 1 value, but the model's output layer has 2 neurons; give 2 targets or one "
            "class label from 0 to 1",
        ),
        (["--model", "MODEL", "--input", "1", "--target", "1,0"], "--input has 1 value, but"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, args, message):
    # in-process (the same main() the command runs) to keep the suite fast
    from deltaprop.cli import main

    model = tmp_path / "m.safetensors"
    dp.save(dp.Network([3, 2, 2], seed=0), model)
    code = main(["explain", *(str(model) if a == "MODEL" else a for a in args)])
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.out == ""


def test_one_class_label_as_target(tmp_path, capsys):
    """``--target 1`` for a model of several outputs is class 1, as ``dp.explain(net, x, 1, η)`` takes it."""
    from deltaprop.cli import main

    net = dp.Network([3, 2, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    model = tmp_path / "m.safetensors"
    dp.save(net, model)
    assert main(["explain", "--model", str(model), "--input", "0.1,0.2,0.3", "--target", "1"]) == 0
    as_label = capsys.readouterr().out
    assert main(["explain", "--model", str(model), "--input", "0.1,0.2,0.3", "--target", "0,1"]) == 0
    assert capsys.readouterr().out == as_label
    assert f"{dp.explain(net, [0.1, 0.2, 0.3], 1, 0.5).cost_after:.9f}".rstrip("0") in as_label


def test_diagram_draws_the_same_example_with_its_weights(tmp_path, capsys, monkeypatch):
    """--diagram: the picture a lecturer puts beside the numbers, Mazur's w1 … w8 on their lines."""
    from deltaprop import plots
    from deltaprop.cli import main

    seen = {}
    real = plots.network_diagram

    def spy(net, x=None, y=None, **kwargs):
        seen.update(sizes=net.sizes, x=x, y=y, **kwargs)
        return real(net, x, y, **kwargs)

    monkeypatch.setattr(plots, "network_diagram", spy)
    picture = tmp_path / "mazur.png"
    assert main(["explain", "--diagram", str(picture)]) == 0
    captured = capsys.readouterr()
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert captured.err.strip() == f"wrote network diagram to {picture}"  # stdout: the walk-through alone
    assert captured.out.startswith("─") and "wrote" not in captured.out
    assert seen["sizes"] == [2, 2, 2] and seen["show_weights"] is True
    # the walk-through's own trace (b07438a), so the picture's δ are the text's: Mazur's x and y
    assert seen["x"] is None and seen["y"] is None
    np.testing.assert_array_equal(seen["trace"].x, [[0.05, 0.1]])
    np.testing.assert_array_equal(seen["trace"].y, [[0.01, 0.99]])


def test_diagram_and_out_are_checked_before_anything_is_written(tmp_path, capsys):
    from deltaprop.cli import main

    picture = tmp_path / "d.png"
    assert main(["explain", "--diagram", str(picture), "--out", str(tmp_path / "nowhere" / "s.md")]) == 2
    assert "--out" in capsys.readouterr().err and not picture.exists()
    assert main(["explain", "--diagram", str(tmp_path / "d.jpg")]) == 2
    assert "ending in .png or .svg" in capsys.readouterr().err
