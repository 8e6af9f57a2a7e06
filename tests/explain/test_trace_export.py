"""A trace exported for a spreadsheet, a notebook or another program (a teachers' request).

Before, a ``Trace`` held NumPy arrays and records only: ``json.dumps(dataclasses.asdict(trace))``
failed ("Object of type ndarray is not JSON serializable"), and ``deltaprop explain`` wrote
text, Markdown or HTML only. Now ``trace.to_dict()`` is plain Python, ``trace.neuron_table()``
one row per sample and neuron, and ``deltaprop explain --format json|csv`` writes them.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.cli import main
from deltaprop.walkthrough import examples, render_text
from deltaprop.walkthrough.export import to_csv, to_json
from deltaprop.walkthrough.math import fmt


def mazur_trace():
    ex = examples.mazur()
    return dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False, example="mazur")


def plain(value) -> bool:
    """Only what json writes without help: dict, list, str, int, float, bool, None."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def test_the_dataclass_itself_was_not_json():
    with pytest.raises(TypeError, match="not JSON serializable"):
        json.dumps(dataclasses.asdict(mazur_trace()))


def test_to_dict_is_plain_python_with_mazurs_numbers_and_names():
    d = mazur_trace().to_dict()
    assert plain(d)
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    assert d["sizes"] == [2, 2, 2] and d["learning_rate"] == 0.5 and d["example"] == "mazur"
    assert d["notation"] == "mazur" and d["update_biases"] is False
    assert d["x"] == [[0.05, 0.1]] and d["y"] == [[0.01, 0.99]]
    # Mazur's published numbers: E_total 0.298371109 before, 0.291027774 after (the exact step)
    assert d["cost_before"] == pytest.approx(0.298371109, abs=1e-9)
    assert d["cost_after"] == pytest.approx(0.291027774, abs=1e-9)
    inputs, hidden, output = d["layers"]
    assert inputs == {"layer": 0, "name": "input layer", "names": {"o": ["i1", "i2"]}, "o": [[0.05, 0.1]]}
    assert hidden["names"]["w"] == [["w1", "w3"], ["w2", "w4"]]  # [i][j]: w1 i1→h1, w3 i1→h2
    assert output["names"]["w"] == [["w5", "w7"], ["w6", "w8"]]
    assert hidden["names"]["delta"] == ["δ_h1", "δ_h2"] and output["names"]["o"] == ["out_o1", "out_o2"]
    assert hidden["net"][0][0] == pytest.approx(0.3775)  # net_h1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35
    assert hidden["o"][0][0] == pytest.approx(0.593269992, abs=1e-9)  # out_h1
    assert output["delta"][0] == pytest.approx([0.138498562, -0.038098237], abs=1e-9)  # δ_o1, δ_o2
    assert hidden["delta"][0] == pytest.approx([0.008771355, 0.009954255], abs=1e-9)  # δ_h1, δ_h2
    assert output["dC_dw"][0][0] == pytest.approx(0.082167041, abs=1e-9)  # ∂E_total/∂w5
    assert output["w"][0][0] == 0.4 and output["w_after"][0][0] == pytest.approx(0.35891648, abs=1e-9)
    assert hidden["b"] == hidden["b_after"] == [0.35, 0.35]  # the post keeps its biases
    assert hidden["dC_db"] == pytest.approx([0.008771355, 0.009954255], abs=1e-9)


def test_to_dict_holds_the_engines_own_arrays_for_a_batch():
    """Every number is backprop's and SGD's, for every sample of a batch (no second computation)."""
    net = dp.Network([3, 4, 3], output_activation="softmax", cost="log_likelihood", seed=3)
    X = np.array([[0.1, -0.2, 0.3], [0.5, 0.4, -0.6]])
    trace = dp.explain(net, X, [2, 0], 0.25)
    d = trace.to_dict()
    assert plain(d) and d["n_samples"] == 2 and d["notation"] == "nielsen" and d["example"] is None
    fp, grads = net.forward(X), net.backprop(X, np.eye(3)[[2, 0]])
    stepped = net.copy()
    dp.SGD(0.25).step(stepped, grads)
    for l, layer in enumerate(d["layers"][1:]):
        assert layer["layer"] == l + 1 and layer["activation"] == net.activations[l].spec
        np.testing.assert_array_equal(layer["net"], fp.net[l])
        np.testing.assert_array_equal(layer["o"], fp.o[l + 1])
        np.testing.assert_array_equal(layer["delta"], grads.deltas[l])
        np.testing.assert_array_equal(layer["dC_dw"], grads.weights[l])
        np.testing.assert_array_equal(layer["dC_db"], grads.biases[l])
        np.testing.assert_array_equal(layer["w"], net.weights[l])
        np.testing.assert_array_equal(layer["w_after"], stepped.weights[l])
        np.testing.assert_array_equal(layer["b_after"], stepped.biases[l])
    assert d["layers"][2]["names"]["w"][0][1] == "w³₂₁"  # Nielsen's w^3_21: into neuron 2 from neuron 1
    assert d["layers"][1]["name"] == "layer 2 (hidden)"
    assert trace.to_dict("mazur")["layers"][1]["names"]["o"][:2] == ["out_h1", "out_h2"]
    with pytest.raises(ValueError, match="notation must be one of"):
        trace.to_dict("feynman")


def test_the_post_variant_keeps_the_exact_cost_too():
    ex = examples.mazur()
    d = dp.explain(ex.net, ex.x, ex.y, 0.5, update_biases=False, variant="post").to_dict()
    assert d["variant"] == "post"
    assert d["cost_after"] == pytest.approx(0.291027924, abs=1e-9)  # the post's figure
    assert d["exact_cost_after"] == pytest.approx(0.291027774, abs=1e-9)


def test_neuron_table_is_a_row_per_sample_and_neuron_for_pandas():
    pd = pytest.importorskip("pandas")
    net = dp.Network([2, 3, 2], seed=1)
    X = np.array([[0.1, 0.2], [0.3, -0.4], [1.0, 0.0]])
    trace = dp.explain(net, X, [[1, 0], [0, 1], [1, 0]], 0.5)
    rows = trace.neuron_table()
    assert plain(rows) and len(rows) == 3 * (3 + 2)
    assert rows[0] == {
        "sample": 0,
        "layer": 1,
        "neuron": 0,
        "net_name": "z²₁",
        "net": trace.forward.net[0][0, 0],
        "o_name": "a²₁",
        "o": trace.forward.o[1][0, 0],
        "delta_name": "δ²₁",
        "delta": trace.gradients.deltas[0][0, 0],
    }
    table = pd.DataFrame(rows)
    assert list(table.columns) == [
        "sample",
        "layer",
        "neuron",
        *("net_name", "net", "o_name", "o", "delta_name", "delta"),
    ]
    outputs = table[(table["sample"] == 2) & (table["layer"] == 2)]
    np.testing.assert_array_equal(outputs["delta"], trace.gradients.deltas[1][2])
    np.testing.assert_array_equal(outputs["o"], net.forward(X).o[2][2])


def test_cli_format_json_writes_the_trace_atomically(tmp_path, capsys):
    out = tmp_path / "step.json"
    assert main(["explain", "--format", "json", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote json trace to {out}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["step.json"]  # no temporary file left behind
    assert json.loads(out.read_text(encoding="utf-8")) == mazur_trace().to_dict()


def test_cli_format_json_to_stdout_follows_notation(capsys):
    assert main(["explain", "--example", "xor", "--format", "json", "--notation", "mazur"]) == 0
    d = json.loads(capsys.readouterr().out)
    ex = examples.xor()
    assert d == dp.explain(ex.net, ex.x, ex.y, 0.5, example="xor").to_dict("mazur")
    assert d["layers"][2]["names"]["w"] == [["w5"], ["w6"]]


def test_cli_format_csv_reads_back_as_the_neuron_table(tmp_path, capsys):
    net = dp.Network([3, 2, 2], seed=5)
    model, data, out = tmp_path / "m.safetensors", tmp_path / "batch.txt", tmp_path / "n.csv"
    dp.save(net, model)
    data.write_text("0.1 0.2 0.3 1 0\n0.5,0.5,0.5,0,1\n", encoding="utf-8")
    assert (
        main(
            [
                "explain",
                "--model",
                str(model),
                "--input-file",
                str(data),
                "--format",
                "csv",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == f"wrote csv trace to {out}\n"
    text = out.read_text(encoding="utf-8")
    trace = dp.explain(net, [[0.1, 0.2, 0.3], [0.5, 0.5, 0.5]], [[1, 0], [0, 1]], 0.5)
    assert text == to_csv(trace, "nielsen")
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = trace.neuron_table()
    assert len(rows) == len(expected) == 2 * (2 + 2)
    for got, want in zip(rows, expected):
        # repr: the same floats; the names as the walk-through writes them, without quotes
        assert {key: value if key.endswith("_name") else float(value) for key, value in got.items()} == want
    assert rows[6]["delta_name"] == "δ³₁" and rows[6]["layer"] == "2" and rows[6]["neuron"] == "0"


# The audit: the exports count from 0 and the walk-through from 1, and nothing tied the two. δ²₁ of
# "Sample 1 of 4" was the CSV's `1,0` of sample 0 with no name, and a net column even in Nielsen's
# notation. Now each number comes after the name the walk-through gives it, in its notation.
def test_each_row_names_its_numbers_as_the_walkthrough_does():
    ex = examples.mazur()
    trace = dp.explain(ex.net, ex.x, ex.y, 0.5, update_biases=False, example="mazur")
    text = render_text(trace, "nielsen", width=1000)
    for notation, names in (
        ("mazur", ["net_h1", "out_h1", "δ_h1", "net_o2", "out_o2", "δ_o2"]),
        ("nielsen", ["z²₁", "a²₁", "δ²₁", "z³₂", "a³₂", "δ³₂"]),
    ):
        rows = trace.neuron_table(notation)
        first, last = rows[0], rows[-1]
        assert (first["layer"], first["neuron"], last["layer"], last["neuron"]) == (1, 0, 2, 1)
        assert [first[f"{key}_name"] for key in ("net", "o", "delta")] == names[:3]
        assert [last[f"{key}_name"] for key in ("net", "o", "delta")] == names[3:]
        assert trace.to_dict(notation)["layers"][1]["names"]["delta"][0] == names[2]
    assert trace.neuron_table() == trace.neuron_table("mazur")  # his example: his names by default
    # the name finds the number the text prints: δ²₁ = … = 0.008771355
    delta = next(row for row in trace.neuron_table("nielsen") if row["delta_name"] == "δ²₁")["delta"]
    assert f"δ²₁ = ∂C/∂a²₁ · σ′(z²₁) = 0.036350306 × 0.241300709 = {fmt(delta)}" in text


def test_a_batchs_sample_0_is_the_walkthroughs_sample_1():
    net = dp.Network([2, 2, 2], seed=4)
    X = np.array([[0.1, 0.2], [0.7, -0.3]])
    trace = dp.explain(net, X, [0, 1], 0.5)
    second = [row for row in trace.neuron_table() if row["sample"] == 1]
    assert [row["o_name"] for row in second] == ["a²₁", "a²₂", "a³₁", "a³₂"]
    text = render_text(trace, width=1000)
    sample_2 = text[text.index("Sample 2 of 2") :]
    a31 = next(row for row in second if row["o_name"] == "a³₁")["o"]
    assert re.search(r"\n  a³₁ = .* = " + re.escape(fmt(a31)) + "\n", sample_2)


def test_to_dict_says_its_indices_count_from_0():
    d = mazur_trace().to_dict("nielsen")
    assert d["indices_from"] == 0
    assert [(layer["layer"], layer["name"]) for layer in d["layers"]] == [
        (0, "layer 1 (input)"),
        (1, "layer 2 (hidden)"),
        (2, "layer 3 (output)"),
    ]


def test_to_json_is_to_dict():
    trace = mazur_trace()
    assert json.loads(to_json(trace, "nielsen")) == trace.to_dict("nielsen")
    assert "δ²₁" in to_json(trace, "nielsen")  # the names as they are, not \u escapes
