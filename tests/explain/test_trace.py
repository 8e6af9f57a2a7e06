"""The trace's numbers: Mazur's published values, and exact equality with backprop + SGD."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.walkthrough import examples, explain

# Mazur, "A Step by Step Backpropagation Example" (2015), to the digits the post prints.
# Forward: net_h1 = .15×.05 + .20×.10 + .35 = .3775, out_h1 = σ(.3775) = 0.593269992;
# net_o1 = .40×out_h1 + .45×out_h2 + .60 = 1.105905967, out_o1 = 0.75136507.
# E_total = ½(.01 − out_o1)² + ½(.99 − out_o2)² = 0.274811083 + 0.023560026 = 0.298371109.
# δ_o1 = (out_o1 − .01) · out_o1(1 − out_o1) = 0.74136507 × 0.186815602 = 0.138498562,
# ∂E/∂w5 = out_h1 · δ_o1 = 0.082167041, w5⁺ = .40 − .5 × 0.082167041 = 0.35891648.
# ∂E/∂w1 = i1 · δ_h1 = .05 × 0.008771354 = 0.000438568.
PUBLISHED = {
    "out_h1": 0.593269992,
    "out_o1": 0.75136507,
    "out_o2": 0.772928465,
    "E_total": 0.298371109,
    "dE_dw5": 0.082167041,
    "dE_dw1": 0.000438568,
    "w5_8": [0.35891648, 0.408666186, 0.511301270, 0.561370121],
    "w1_4": [0.149780716, 0.19956143, 0.24975114, 0.29950229],
    "E_after_exact": 0.291027774,
    # The post prints this: its older script computed the hidden δ from the updated w5..w8.
    "E_after_post": 0.291027924,
}
TOL = 1e-9


def assert_printed(obtained: float, printed: float, decimals: int) -> None:
    """``obtained`` rounds to what the post prints with ``decimals`` decimals (half a unit of the last)."""
    assert abs(obtained - printed) <= 0.5 * 10.0**-decimals + 1e-15, (obtained, printed)


def mazur_trace(variant="exact"):
    ex = examples.mazur()
    return explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases, variant=variant)


def mazur_weight(trace, k: int):
    """The step of Mazur's w_k (1..8): w1 i1→h1, w2 i2→h1, w3 i1→h2, w4 i2→h2, w5 h1→o1 …"""
    l, rest = divmod(k - 1, 4)
    j, i = divmod(rest, 2)
    return trace.weight_step(l, i, j)


def test_mazur_published_numbers():
    t = mazur_trace()
    h1 = next(n for n in t.neurons if n.layer == 1 and n.j == 0)
    assert h1.o[0] == pytest.approx(PUBLISHED["out_h1"], abs=TOL)
    assert t.outputs[0].a[0] == pytest.approx(PUBLISHED["out_o1"], abs=TOL)
    assert t.outputs[1].a[0] == pytest.approx(PUBLISHED["out_o2"], abs=TOL)
    assert t.cost_before == pytest.approx(PUBLISHED["E_total"], abs=TOL)
    assert mazur_weight(t, 5).grad == pytest.approx(PUBLISHED["dE_dw5"], abs=TOL)
    assert mazur_weight(t, 1).grad == pytest.approx(PUBLISHED["dE_dw1"], abs=TOL)
    assert [mazur_weight(t, k).new for k in (5, 6, 7, 8)] == pytest.approx(PUBLISHED["w5_8"], abs=TOL)
    # w1⁺ is printed with 9 decimals, w2⁺..w4⁺ with 8: compare each to its printed precision
    for k, printed, decimals in zip((1, 2, 3, 4), PUBLISHED["w1_4"], (9, 8, 8, 8)):
        assert_printed(mazur_weight(t, k).new, printed, decimals)
    assert t.cost_after == pytest.approx(PUBLISHED["E_after_exact"], abs=TOL)
    # the published intermediate values of the post's walk-through
    o1 = t.outputs[0]
    assert o1.dC_do[0] == pytest.approx(0.74136507, abs=TOL)
    assert o1.sigma_prime[0] == pytest.approx(0.186815602, abs=TOL)
    assert o1.delta[0] == pytest.approx(0.138498562, abs=TOL)
    h1_err = next(h for h in t.hidden if h.j == 0)
    assert h1_err.total[0] == pytest.approx(0.036350306, abs=TOL)  # ∂E_total/∂out_h1
    assert h1_err.sigma_prime[0] == pytest.approx(0.241300709, abs=TOL)
    # the biases are kept, as in the post
    assert all(not b.updated and b.new == b.old for b in t.bias_steps)


def test_mazur_post_variant_reproduces_the_posts_error():
    t = mazur_trace("post")
    assert t.variant == "post"
    assert t.cost_after == pytest.approx(PUBLISHED["E_after_post"], abs=TOL)
    assert t.exact_cost_after == pytest.approx(PUBLISHED["E_after_exact"], abs=TOL)
    # the output layer is the same; the hidden δ uses w5⁺..w8⁺, so w1..w4 differ
    exact = mazur_trace()
    assert [mazur_weight(t, k).new for k in (5, 6, 7, 8)] == [
        mazur_weight(exact, k).new for k in (5, 6, 7, 8)
    ]
    h1 = next(h for h in t.hidden if h.j == 0)
    assert list(h1.w_out) == pytest.approx([0.35891648, 0.511301270], abs=TOL)  # w5⁺, w7⁺
    assert mazur_weight(t, 1).new != mazur_weight(exact, 1).new


def test_caller_network_is_not_changed():
    ex = examples.mazur()
    before = [w.copy() for w in ex.net.weights] + [b.copy() for b in ex.net.biases]
    explain(ex.net, ex.x, ex.y, 0.5, variant="post")
    explain(ex.net, ex.x, ex.y, 0.5)
    after = ex.net.weights + ex.net.biases
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


OUTPUT_PAIRS = [
    ("logistic", "quadratic"),
    ("tanh", "quadratic"),
    ("relu", "quadratic"),
    ("leaky_relu", "quadratic"),
    ("linear", "quadratic"),
    ("softmax", "quadratic"),
    ("logistic", "cross_entropy"),
    ("softmax", "log_likelihood"),
    ("logistic", "log_likelihood"),
]
HIDDEN = ["logistic", "tanh", "relu", "leaky_relu", "linear"]


def random_case(output, cost, hidden, sizes, n_samples, seed):
    rng = np.random.default_rng(seed)
    net = dp.Network(sizes, activation=hidden, output_activation=output, cost=cost, seed=rng)
    X = rng.normal(size=(n_samples, sizes[0]))
    if output == "softmax" or cost == "log_likelihood":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n_samples)]
    elif cost == "cross_entropy":
        Y = rng.uniform(size=(n_samples, sizes[-1]))
    else:
        Y = rng.normal(size=(n_samples, sizes[-1]))
    return net, X, Y


@pytest.mark.parametrize("output,cost", OUTPUT_PAIRS)
@pytest.mark.parametrize("n_samples", [1, 3])
def test_every_number_is_the_engines(output, cost, n_samples):
    seed = zlib.crc32(f"{output}-{cost}-{n_samples}".encode())  # str hash() is salted per process
    for k, sizes in enumerate(([3, 4, 3], [2, 3, 4, 3])):
        hidden = HIDDEN[(seed + k) % len(HIDDEN)]
        net, X, Y = random_case(output, cost, hidden, sizes, n_samples, seed + k)
        eta = 0.3
        t = explain(net, X if n_samples > 1 else X[0], Y if n_samples > 1 else Y[0], eta)
        grads = net.backprop(X, Y)
        stepped = net.copy()
        dp.SGD(eta).step(stepped, grads)
        fp = net.forward(X)
        L = net.n_layers
        assert t.detailed
        assert t.cost_before == grads.cost
        assert t.cost_after == stepped.cost_value(X, Y)
        for n in t.neurons:
            assert np.array_equal(n.net, fp.net[n.layer - 1][:, n.j])
            assert np.array_equal(n.o, fp.o[n.layer][:, n.j])
            np.testing.assert_allclose(n.terms.sum(axis=1) + n.b, n.net, rtol=1e-12, atol=1e-12)
        for out in t.outputs:
            assert np.array_equal(out.delta, grads.deltas[-1][:, out.j])
            if out.sigma_prime is not None:
                product = out.dC_do * out.sigma_prime
            else:
                product = out.a * (out.dC_do - out.softmax_sum)
            if out.simplified:  # δ = a − y (a Σy − y for softmax + log-likelihood) exactly;
                # the factors agree with it up to rounding
                simplified = out.a - out.y if out.y_sum is None else out.a * out.y_sum - out.y
                assert np.array_equal(out.delta, simplified)
                np.testing.assert_allclose(product, out.delta, rtol=1e-7, atol=1e-12)
            else:  # the engine multiplies these very factors
                assert np.array_equal(product, out.delta)
        assert len(t.hidden) == sum(net.sizes[1:-1])
        for h in t.hidden:
            assert np.array_equal(h.delta, grads.deltas[h.layer - 1][:, h.j])
            assert np.array_equal(h.total * h.sigma_prime, h.delta)
            np.testing.assert_allclose(h.terms.sum(axis=1), h.total, rtol=1e-12, atol=1e-14)
            assert np.array_equal(h.w_out, net.weights[h.layer][h.j])
        assert len(t.weight_steps) == sum(w.size for w in net.weights)
        for w in t.weight_steps:
            assert w.grad == grads.weights[w.l][w.i, w.j]
            assert w.new == stepped.weights[w.l][w.i, w.j]
            assert w.old == net.weights[w.l][w.i, w.j]
            assert w.old + w.change == w.new
            assert w.change == -eta * w.grad
            assert np.array_equal(w.o_i, fp.o[w.l][:, w.i])
            assert np.mean(w.o_i * w.delta_j) == pytest.approx(w.grad, rel=1e-12, abs=1e-15)
        for b in t.bias_steps:
            assert b.grad == grads.biases[b.l][b.j]
            assert b.new == stepped.biases[b.l][b.j]
        assert L == t.n_layers


def test_float32_network_matches_its_own_step():
    net = dp.Network([3, 4, 2], seed=0, dtype=np.float32)
    x, y = np.array([[0.1, 0.5, 1.0]], np.float32), np.array([[1.0, 0.0]], np.float32)
    t = explain(net, x, y, 0.37)
    grads = net.backprop(x, y)
    stepped = net.copy()
    dp.SGD(0.37).step(stepped, grads)
    assert t.forward.a.dtype == np.float32
    for w in t.weight_steps:
        assert w.new == stepped.weights[w.l][w.i, w.j]
        assert np.float32(w.old) + np.float32(w.change) == np.float32(w.new)


def test_batch_gradients_are_averages():
    net, X, Y = random_case("logistic", "quadratic", "tanh", [2, 3, 1], 4, 7)
    t = explain(net, X, Y, 1.0)
    assert t.n_samples == 4
    for w in t.weight_steps:
        assert w.o_i.shape == (4,)
        assert w.grad == pytest.approx(np.mean(w.o_i * w.delta_j), rel=1e-12)


def test_large_network_is_summarised():
    rng = np.random.default_rng(0)
    net = dp.Network([784, 30, 10], seed=1)
    x, y = rng.uniform(size=784), np.eye(10)[3]
    t = explain(net, x, y, 3.0, top_k=5)
    assert not t.detailed
    assert t.neurons == () and t.weight_steps == ()
    grads = net.backprop(x[None], y[None])
    assert [ls.layer for ls in t.layers] == [1, 2]
    assert t.layers[0].grad_w.norm == pytest.approx(np.linalg.norm(grads.weights[0]))
    assert t.layers[1].delta.max == grads.deltas[1].max()
    # the top weights are the largest |∂C/∂w| over both layers, in order
    all_abs = np.sort(np.concatenate([np.abs(g).ravel() for g in grads.weights]))[::-1]
    assert [abs(w.grad) for w in t.top_weights] == list(all_abs[:5])
    assert len(t.top_neurons) == 5
    assert t.top_neurons[0].score == max(np.abs(d).max() for d in grads.deltas)
    # the threshold decides: the same network explained in full when allowed
    small = explain(dp.Network([3, 4, 2], seed=0), [0.1, 0.2, 0.3], [0, 1], 0.5, max_neurons=9)
    assert small.detailed
    assert not explain(dp.Network([3, 4, 2], seed=0), [0.1, 0.2, 0.3], [0, 1], 0.5, max_neurons=8).detailed


def test_xor_example():
    ex = examples.xor()
    t = explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases)
    assert t.sizes == [2, 2, 1]
    assert t.cost_after < t.cost_before  # a gradient step on the example lowers its cost
    assert all(b.updated for b in t.bias_steps)


def test_dp_explain_is_the_function_whatever_the_import_order():
    import deltaprop.walkthrough  # noqa: F401  (importing the package must not hide the function)

    ex = examples.mazur()
    t = dp.explain(ex.net, ex.x, ex.y, 0.5)
    assert t.cost_before == pytest.approx(PUBLISHED["E_total"], abs=TOL)


@pytest.mark.parametrize(
    "kwargs,error,words",
    [
        (dict(learning_rate=0.0), ValueError, "learning_rate"),
        (dict(learning_rate="big"), TypeError, "learning_rate"),
        (dict(variant="fast"), ValueError, "variant"),
        (dict(max_neurons=0), ValueError, "max_neurons"),
        (dict(x=[0.1, 0.2, 0.3]), ValueError, "x of shape \\(3,\\) is one sample of 3 features"),
        (dict(y=[0.1]), ValueError, "y has 1 column,"),
        (dict(y=["cat"]), TypeError, "np.unique"),
        (dict(net="net"), TypeError, "net must be a deltaprop Network"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words):
    ex = examples.mazur()
    args = dict(net=ex.net, x=ex.x, y=ex.y, learning_rate=0.5)
    args.update(kwargs)
    with pytest.raises(error, match=words):
        explain(args.pop("net"), args.pop("x"), args.pop("y"), args.pop("learning_rate"), **args)


@pytest.mark.parametrize("label", [2, np.int64(2), 2.0, [2], np.array(2)])
def test_one_examples_class_label_is_accepted_as_network_diagram_accepts_it(label):
    net = dp.Network([3, 3, 3], output_activation="softmax", cost="log_likelihood", seed=0)
    trace = explain(net, [1.0, 2.0, 3.0], label, 0.5)
    assert np.array_equal(trace.y, [[0.0, 0.0, 1.0]])
    one_hot = explain(net, [1.0, 2.0, 3.0], [0.0, 0.0, 1.0], 0.5)
    assert trace.cost_after == one_hot.cost_after
    if np.ndim(label) == 0:  # the same scalar is good for both (network_diagram refuses [2])
        dp.plots.network_diagram(net, [1.0, 2.0, 3.0], label)


def test_a_scalar_target_of_a_one_output_network_is_its_target():
    net = dp.Network([2, 2, 1], seed=0)
    assert np.array_equal(explain(net, [0.5, 0.5], 0.3, 0.5).y, [[0.3]])
    with pytest.raises(ValueError, match="outside 0..2"):
        explain(dp.Network([3, 3, 3], seed=0), [1.0, 2.0, 3.0], 3, 0.5)
