"""``deltaprop explain --diagram`` draws the walk-through's own numbers, as it asks.

A teacher's audit: with ``--variant post`` the text said δ_h1 = 0.007294458 and the picture
0.00877 (it ran the exact algorithm again); ``--max-neurons 5 --diagram`` wrote the same
picture as without it; the biases b_h1 = 0.35 of every net_h1 line were not drawn; a PDF for
the lecture notes was refused.
"""

from __future__ import annotations

import json

import deltaprop as dp
from deltaprop.cli import main


def texts(fig) -> dict[str, str]:
    return {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}


def test_the_post_variants_picture_shows_the_post_variants_deltas(tmp_path, drawn, capsys):
    trace = tmp_path / "post.json"
    assert main(["explain", "--variant", "post", "--format", "json", "--out", str(trace)]) == 0
    deltas = json.loads(trace.read_text(encoding="utf-8"))["layers"][1]["delta"][
        0
    ]  # 0.007294458, 0.008472592
    assert main(["explain", "--variant", "post", "--diagram", str(tmp_path / "post.png")]) == 0
    shown = texts(drawn[-1])
    assert [shown["value 1,0"], shown["value 1,1"]] == [f"δ_h1 = {deltas[0]:.3g}", f"δ_h2 = {deltas[1]:.3g}"]
    assert shown["value 1,0"] == "δ_h1 = 0.00729"  # not the exact algorithm's 0.00877


def test_mazurs_picture_names_his_biases(tmp_path, drawn, capsys):
    assert main(["explain", "--diagram", str(tmp_path / "m.png")]) == 0
    shown = texts(drawn[-1])
    assert shown["b[0][0]"] == "b_h1 = 0.35" and shown["b[1][1]"] == "b_o2 = 0.6"


def test_max_neurons_reaches_the_picture(tmp_path, drawn, capsys):
    net = dp.Network([20, 9, 3], output_activation="softmax", cost="log_likelihood", seed=0)
    model = tmp_path / "m.safetensors"
    dp.files.save(net, model)
    given = ["explain", "--model", str(model), "--input", ",".join(["0.5"] * 20), "--target", "1"]
    assert main([*given, "--diagram", str(tmp_path / "a.png")]) == 0
    assert main([*given, "--max-neurons", "5", "--diagram", str(tmp_path / "b.png")]) == 0
    whole, five = (texts(fig) for fig in drawn)
    assert "more 1" not in whole and five["more 1"] == "showing 5 of 9\n(largest |δ|)"
    assert five["more 0"] == "showing 5 of 20\n(largest |x|)"
    assert five["class 2"] == "2"  # a softmax layer's outputs, by class number
    assert (tmp_path / "a.png").read_bytes() != (tmp_path / "b.png").read_bytes()


def test_the_diagram_may_be_a_pdf(tmp_path, capsys):
    picture = tmp_path / "mazur.pdf"
    assert main(["explain", "--diagram", str(picture)]) == 0
    assert picture.read_bytes()[:5] == b"%PDF-"
    assert main(["explain", "--diagram", str(tmp_path / "m.jpg")]) == 2
    assert ".pdf" in capsys.readouterr().err
