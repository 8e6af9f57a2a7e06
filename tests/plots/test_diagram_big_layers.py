"""A layer too tall to draw shows the neurons that matter, numbered, and says which.

A teacher's audit of a [784, 30, 10] diagram: it drew pixels 1–6 and 779–784 (0 in every
image) and hidden neurons 1–6 and 25–30, not those with the largest |δ| the walk-through
names; no drawn neuron had its index, the outputs no class; nothing said what was left out;
``deltaprop plot`` had no --max-neurons and explain's changed nothing in the picture.
"""

from __future__ import annotations

import argparse

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import plots
from deltaprop.cli import plot as plot_command
from deltaprop.cli.errors import UsageError
from deltaprop.plots.network_diagram import MAX_NEURONS


def drawn(fig, layer: int) -> list[int]:
    """The neurons of ``layer`` with a line, in the order drawn (top first)."""
    ends = {}
    for line in fig.axes[0].lines:
        gid = line.get_gid() or ""
        if gid.startswith("w["):
            l, rest = int(gid[2]), gid[5:-1]
            i, j = map(int, rest.split(","))
            if l == layer:
                ends[i] = line.get_ydata()[0]
            if l == layer - 1:
                ends[j] = line.get_ydata()[1]
    return sorted(ends, key=lambda k: -ends[k])


def texts(fig) -> dict[str, str]:
    return {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}


@pytest.fixture(scope="module")
def digit_net():
    """A [784, 30, 10] network and a sample whose lit pixels are 300…319."""
    net = dp.Network([784, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    x = np.zeros(784)
    x[300:320] = np.linspace(0.05, 1.0, 20)
    return net, x


def test_the_inputs_drawn_are_the_largest_pixels_in_index_order(digit_net):
    net, x = digit_net
    fig = plots.network_diagram(net, x, 3)
    assert drawn(fig, 0) == list(range(308, 320))  # the 12 brightest, not 1–6 and 779–784
    shown = texts(fig)
    assert shown["value 0,308"] == "x309 = 0.45" and shown["value 0,319"] == "x320 = 1"  # numbered from 1
    assert shown["more 0"] == "showing 12 of 784\n(largest |x|)"


def test_the_hidden_neurons_drawn_are_those_the_walk_through_names(digit_net):
    net, x = digit_net
    fig = plots.network_diagram(net, x, 3, max_neurons=8)
    delta = net.backprop(x[None, :], np.array([3])).deltas[0][0]
    assert drawn(fig, 1) == sorted(np.argsort(-np.abs(delta))[:8].tolist())  # the 8 largest |δ|
    trace = dp.explain(net, x, 3, 0.5)
    named = [n.j for n in trace.top_neurons if n.layer == 1]
    assert named and set(named) <= set(drawn(fig, 1))
    shown = texts(fig)
    j = drawn(fig, 1)[0]
    assert shown[f"value 1,{j}"] == f"δ{j + 1} = {delta[j]:.3g}"
    assert shown["more 1"] == "showing 8 of 30\n(largest |δ|)"
    assert "more 2" in shown  # 10 outputs of 8


def test_without_an_example_the_largest_weights_are_drawn():
    net = dp.Network([784, 30, 10], seed=0)
    fig = plots.network_diagram(net, max_neurons=5)
    outgoing = np.linalg.norm(net.weights[0], axis=1)
    incoming = np.linalg.norm(net.weights[0], axis=0)
    assert drawn(fig, 0) == sorted(np.argsort(-outgoing)[:5].tolist())
    assert drawn(fig, 1) == sorted(np.argsort(-incoming)[:5].tolist())
    shown = texts(fig)
    assert shown["more 0"] == "showing 5 of 784\n(largest ‖w‖)"
    j = drawn(fig, 1)[0]
    assert shown[f"value 1,{j}"] == str(j + 1)  # no value to show: the index alone


def test_outputs_carry_their_class_names(digit_net):
    net, x = digit_net
    names = list(dp.datasets.FASHION_MNIST.classes)
    shown = texts(plots.network_diagram(net, x, 3, class_names=names))
    assert [shown[f"class {k}"] for k in range(10)] == names
    with pytest.raises(ValueError, match="class_names must name each of the 10 outputs"):
        plots.network_diagram(net, class_names=["a", "b"])


def test_one_neuron_a_layer_is_allowed(digit_net):
    net, x = digit_net
    fig = plots.network_diagram(net, x, 3, max_neurons=1)
    assert drawn(fig, 0) == [319] and len(drawn(fig, 1)) == 1
    with pytest.raises(ValueError, match="max_neurons must be an integer ≥ 1; got 0"):
        plots.network_diagram(net, max_neurons=0)


def _parse(argv):
    parser = argparse.ArgumentParser(prog="deltaprop")
    plot_command.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_deltaprop_plot_takes_max_neurons(tmp_path, monkeypatch):
    X, y = dp.datasets.load("digits", split="train")
    net = dp.Network([64, 16, 10], seed=0)
    history = dp.fit(net, X[:200], y[:200], epochs=1, learning_rate=3.0, seed=0)
    run = tmp_path / "digits"
    run.mkdir()
    dp.files.save(net, run / "model.safetensors")
    history.to_json(run / "history.json")
    (run / "config.toml").write_text('[data]\nname = "digits"\n\n[training]\nseed = 0\n')
    figures = []
    real = plots.run.network_diagram
    monkeypatch.setattr(
        plots.run, "network_diagram", lambda *a, **k: figures.append(real(*a, **k)) or figures[-1]
    )
    args = _parse(["plot", str(run), "--max-neurons", "5", "--out", str(tmp_path / "out")])
    assert args.run(args) == 0
    assert [len(drawn(figures[-1], m)) for m in range(3)] == [5, 5, 5]
    k = drawn(figures[-1], 2)[0]
    assert texts(figures[-1])[f"class {k}"] == str(k)  # a classifier's outputs are its classes
    assert _parse(["plot", str(run)]).max_neurons == MAX_NEURONS
    with pytest.raises(UsageError, match="--max-neurons must be ≥ 1; got 0"):
        args = _parse(["plot", str(run), "--max-neurons", "0"])
        args.run(args)
