"""Mazur's post is quoted only for the post's own step: his network, input, targets, η = 0.5, biases kept.

The post prints 0.291027924 after one step; the exact algorithm gives 0.291027774. With
η = 0.7 and updated biases the exact step gives 0.273223577 (checked independently in the
audit), and that gap has nothing to do with the post's script, so the note must not be there.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.walkthrough import examples, explain, render_text

NOTE = "Mazur's post prints 0.291027924"
POSTS_FIGURE = "the post's error after the step"


def _words(text: str) -> str:
    """The text as one line of words, without the borders of rich's note panels."""
    return " ".join(text.replace("│", " ").split())


def _mazur_trace(variant="exact", **changes):
    ex = examples.mazur()
    args = dict(x=ex.x, y=ex.y, learning_rate=ex.learning_rate, update_biases=ex.update_biases)
    args.update(changes)
    return explain(
        ex.net,
        args.pop("x"),
        args.pop("y"),
        args.pop("learning_rate"),
        variant=variant,
        example="mazur",
        **args,
    )


def test_the_posts_own_step_quotes_the_post():
    assert NOTE in render_text(_mazur_trace(), "mazur")
    assert POSTS_FIGURE in _words(render_text(_mazur_trace("post"), "mazur"))


@pytest.mark.parametrize(
    "changes",
    [
        {"learning_rate": 0.7},
        {"update_biases": True},
        {"learning_rate": 0.7, "update_biases": True},
        {"x": np.array([0.05, 0.2])},
        {"y": np.array([0.01, 0.9])},
    ],
    ids=["eta", "biases", "eta-and-biases", "input", "targets"],
)
@pytest.mark.parametrize("variant", ["exact", "post"])
def test_other_settings_say_nothing_of_the_posts_figure(changes, variant):
    text = _words(render_text(_mazur_trace(variant, **changes), "mazur"))
    assert NOTE not in text and "0.291027924" not in text
    assert POSTS_FIGURE not in text


def test_post_variant_on_another_model_does_not_call_its_number_the_posts():
    net = dp.Network([3, 4, 2], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=3)
    trace = explain(net, [1.0, 2.0, 3.0], [1.0, 0.0], 0.5, variant="post")
    text = _words(render_text(trace))
    assert "NOT the backpropagation algorithm" in text  # still labelled
    assert POSTS_FIGURE not in text and NOTE not in text
    assert "it gives" in text and "after the step" in text


def test_a_float32_copy_of_mazurs_network_is_still_his_step():
    ex = examples.mazur()
    net = dp.Network.from_arrays(
        [w.astype(np.float32) for w in ex.net.weights], [b.astype(np.float32) for b in ex.net.biases]
    )
    assert examples.is_mazur_step(explain(net, ex.x, ex.y, 0.5, update_biases=False))
    assert not examples.is_mazur_step(explain(net, ex.x, ex.y, 0.5, update_biases=True))


def test_the_cli_with_another_eta_and_updated_biases():
    result = subprocess.run(
        [sys.executable, "-m", "deltaprop", "explain", "--lr", "0.7", "--biases", "update"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = _words(result.stdout)
    assert "0.273223577" in text and NOTE not in text


def test_the_post_variant_says_its_hidden_weights_are_not_the_posts():
    # Before: --variant post printed w1⁺ = 0.149817639 beside nothing saying that the post's
    # printed w1⁺ = 0.149780716: its text takes the hidden δ through w5…w8 as they were, as the
    # exact algorithm does; only its error after the step came from the older script.
    post = _words(render_text(_mazur_trace("post"), "mazur"))
    said = (
        "Post variant: the post prints w1⁺…w4⁺ = 0.149780716, 0.19956143, 0.24975114, 0.29950229, not these:"
    )
    assert said in post and "w1⁺ = w1 + Δw1 = 0.15 + (−0.000182361) = 0.149817639" in post
    assert post.index("= 0.149817639") < post.index(said) < post.index("After the step")
    exact = render_text(_mazur_trace(), "mazur")
    published = ("0.149780716", "0.19956143", "0.24975114", "0.29950229")  # the exact step's, rounded
    for k, value in enumerate(published, start=1):
        printed = re.search(rf"  w{k}⁺ = .* = (\S+)\n", exact)[1]
        assert abs(float(printed) - float(value)) <= 0.5 * 10.0 ** -len(value.split(".")[1]), k
    assert "post prints w1⁺" not in _words(exact)
    assert "post prints w1⁺" not in _words(render_text(_mazur_trace("post", learning_rate=0.7), "mazur"))
    assert "post prints w1⁺" not in _words(render_text(_mazur_trace("post"), "nielsen"))  # no w1 there


def test_mazurs_hidden_sums_show_each_terms_value():
    # The post shows ∂E_o1/∂out_h1 = 0.055399425 and ∂E_o2/∂out_h1 = −0.019049119 (the product of
    # its truncated δ_o2); each term here has the digits that make the line add up to 0.036350306
    text = render_text(_mazur_trace(), "mazur", width=2000)
    assert (
        "  ∂E_total/∂out_h1 = w5 δ_o1 + w7 δ_o2 = 0.4 × 0.138498562 + 0.5 × (−0.038098237)"
        " = 0.0553994247 + (−0.0190491183) = 0.036350306\n"
    ) in text
    assert "= 0.062324353 + (−0.02095403) = 0.041370323\n" in text
    nielsen = render_text(_mazur_trace(), "nielsen", width=2000)
    assert (
        "∂C/∂a²₁ = w³₁₁ δ³₁ + w³₂₁ δ³₂ = 0.4 × 0.138498562 + 0.5 × (−0.038098237) = 0.036350306\n" in nielsen
    )
