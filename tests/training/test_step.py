"""The fast training step against the readable one: same arithmetic, same result.

The reference for every comparison is the generic step, ``optimizer.step(net,
net._backprop(X, Y))`` on an independent copy of the network with its own optimizer.
Both are run side by side for several steps (with a smaller last batch and learning-rate
changes in between) and must agree after every step: the cost C, the outputs ``step.a``,
every weight and every bias — to 1e-12 in float64, and closely in float32.
"""

from __future__ import annotations

import itertools
import os
import warnings

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import fast_step, step_plan
from deltaprop.training.step import FastStep, Step, make_step

HIDDEN = ["logistic", "tanh", "relu", "leaky_relu", "linear"]
OUTPUT = HIDDEN + ["softmax"]
# Every pair that makes sense: the quadratic cost with any output; the two probability
# costs with outputs in (0, 1). Between them they take all three output-δ rules of FastStep:
# δ = a − y (linear + quadratic, logistic + cross-entropy, softmax + log-likelihood),
# (a − y) ⊙ σ'(a) (quadratic with an elementwise output) and the cost's own δ (the rest).
PAIRS = [(output, "quadratic") for output in OUTPUT] + [
    ("logistic", "cross_entropy"),
    ("softmax", "cross_entropy"),
    ("logistic", "log_likelihood"),
    ("softmax", "log_likelihood"),
]
SCIPY = [True, False] if fast_step._scipy_blas is not None else [False]

# Optimizer factories: every path of FastStep (the fused SGD update with and without L2
# and bias updates, and the Gradients path for the stateful ones).
OPTIMIZERS = {
    "sgd": lambda eta: dp.SGD(eta),
    "sgd_l2": lambda eta: dp.SGD(eta, l2=3.0, n_train=40),
    "sgd_no_bias": lambda eta: dp.SGD(eta, update_biases=False),
    "sgd_l2_no_bias": lambda eta: dp.SGD(eta, l2=3.0, n_train=40, update_biases=False),
    "momentum": lambda eta: dp.SGD(eta, momentum=0.9, l2=1.0, n_train=40),
    "nesterov": lambda eta: dp.SGD(eta, momentum=0.8, nesterov=True),
    "adam": lambda eta: dp.Adam(eta / 50, l2=1.0, n_train=40),
}

# Batches of 6, 6 and a smaller last one of 4; the step is made for batch_size 6.
BATCH_SIZE = 6
BATCH_ROWS = [slice(0, 6), slice(6, 12), slice(12, 16)]
LEARNING_RATE_SCALE = [1.0, 0.5, 2.0, 0.25]  # η changes between steps, as a schedule would


def _data(sizes, dtype, seed=0):
    rng = np.random.default_rng(seed)
    n = 16
    X = rng.normal(0.0, 1.0, size=(n, sizes[0])).astype(dtype)
    labels = rng.integers(0, sizes[-1], size=n)
    Y = np.zeros((n, sizes[-1]), dtype=dtype)
    Y[np.arange(n), labels] = 1.0  # one-hot: a valid target for every cost
    return X, Y


def _run_side_by_side(
    net, make_opt, eta=0.5, epochs=2, dtype=np.float64, use_scipy=True, rtol=1e-12, mutate=None, weights=None
):
    """Step a fast and a generic copy through the same batches; compare after each step.

    ``weights`` ``(16,)``: per-sample weights, each batch given its rows of them."""
    twin = net.copy()
    opt_fast, opt_ref = make_opt(eta), make_opt(eta)
    eta0 = opt_fast.learning_rate
    fast = FastStep(net, opt_fast, BATCH_SIZE, use_scipy=use_scipy)
    X, Y = _data(net.sizes, dtype)
    for k, rows in enumerate(itertools.islice(itertools.cycle(BATCH_ROWS), 3 * epochs)):
        scale = LEARNING_RATE_SCALE[k % len(LEARNING_RATE_SCALE)]
        opt_fast.learning_rate = opt_ref.learning_rate = eta0 * scale
        if mutate is not None:
            mutate(k, net, twin)
        xb, yb = np.ascontiguousarray(X[rows]), np.ascontiguousarray(Y[rows])
        sb = None if weights is None else np.ascontiguousarray(weights[rows], dtype=dtype)
        with np.errstate(all="raise"):
            grads = twin._backprop(xb, yb, sb)
            opt_ref.step(twin, grads)
            cost = fast(xb, yb) if sb is None else fast(xb, yb, None, sb)
        _assert_close(cost, grads.cost, rtol, f"cost at step {k}")
        _assert_close(fast.a, grads.a, rtol, f"outputs a at step {k}")
        for l in range(net.n_layers):
            _assert_close(net.weights[l], twin.weights[l], rtol, f"weights[{l}] after step {k}")
            _assert_close(net.biases[l], twin.biases[l], rtol, f"biases[{l}] after step {k}")
        assert opt_fast.iterations == opt_ref.iterations
    return net, twin


def _assert_close(actual, expected, rtol, what):
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    # Relative to the array's own scale, so that entries that cancel to ~0 do not fail on
    # a difference of one rounding.
    atol = rtol * max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_every_output_activation_cost_and_optimizer_matches_the_generic_step(
    output, cost, optimizer, use_scipy
):
    for depth, hidden in zip((1, 2, 3), ("tanh", "logistic", "relu")):
        sizes = [5] + [7, 4][: depth - 1] + [3]
        net = dp.Network(sizes, activation=hidden, output_activation=output, cost=cost, seed=depth)
        _run_side_by_side(net, OPTIMIZERS[optimizer], use_scipy=use_scipy)


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("depth", [2, 3])
@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_hidden_activation_matches_the_generic_step(hidden, depth, use_scipy):
    sizes = [6, 5, 4, 2][: depth + 1] if depth == 3 else [6, 5, 2]
    for cost, output in (("quadratic", "logistic"), ("log_likelihood", "softmax")):
        for optimizer in ("sgd", "sgd_l2", "adam"):
            net = dp.Network(sizes, activation=hidden, output_activation=output, cost=cost, seed=7)
            # η = 0.1: deep linear and ReLU nets with N(0, 1) weights diverge at larger η.
            _run_side_by_side(net, OPTIMIZERS[optimizer], eta=0.1, use_scipy=use_scipy)


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize(("output", "cost"), [("logistic", "quadratic"), ("softmax", "log_likelihood")])
def test_float32_stays_close_to_the_generic_step(output, cost, optimizer, use_scipy):
    net = dp.Network([5, 7, 4, 3], output_activation=output, cost=cost, seed=3, dtype=np.float32)
    _run_side_by_side(net, OPTIMIZERS[optimizer], dtype=np.float32, use_scipy=use_scipy, rtol=2e-5)
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)


@pytest.mark.parametrize("use_scipy", SCIPY)
def test_assigning_new_weights_between_steps_is_honoured(use_scipy):
    """The step keeps buffers, never the parameters: new arrays are read on the next call."""
    rng = np.random.default_rng(11)
    net = dp.Network([5, 7, 4, 3], seed=0)

    def mutate(k, fast_net, ref_net):
        if k in (2, 4):  # as EarlyStopping(restore_best_weights=True) would, or a user by hand
            new_w = [rng.normal(size=w.shape) for w in fast_net.weights]
            new_b = [rng.normal(size=b.shape) for b in fast_net.biases]
            fast_net.weights, ref_net.weights = new_w, new_w
            fast_net.biases, ref_net.biases = new_b, new_b

    _run_side_by_side(net, OPTIMIZERS["sgd"], use_scipy=use_scipy, mutate=mutate)


def test_changing_the_optimizers_hyperparameters_between_steps_is_honoured():
    """The fused path is chosen per call: turning momentum on later still matches."""
    net = dp.Network([5, 7, 3], seed=0)

    def mutate(k, fast_net, ref_net):
        if k == 3:
            fast.optimizer.momentum = 0.9
            ref_opt.momentum = 0.9

    # Drive both by hand so that the mutation can reach the optimizers.
    twin = net.copy()
    fast = FastStep(net, dp.SGD(0.5), BATCH_SIZE)
    ref_opt = dp.SGD(0.5)
    X, Y = _data(net.sizes, np.float64)
    for k, rows in enumerate(BATCH_ROWS * 2):
        mutate(k, net, twin)
        fast(X[rows], Y[rows])
        ref_opt.step(twin, twin._backprop(X[rows], Y[rows]))
    for l in range(net.n_layers):
        _assert_close(net.weights[l], twin.weights[l], 1e-12, f"weights[{l}]")


def test_a_batch_larger_than_batch_size_grows_the_buffers():
    net = dp.Network([4, 3, 2], seed=1)
    twin = net.copy()
    fast = make_step(net, dp.SGD(1.0), batch_size=2)
    X, Y = _data(net.sizes, np.float64)
    for rows in (slice(0, 2), slice(2, 12), slice(12, 13), slice(13, 16)):
        cost = fast(X[rows], Y[rows])
        grads = twin._backprop(X[rows], Y[rows])
        dp.SGD(1.0).step(twin, grads)
        _assert_close(cost, grads.cost, 1e-12, "cost")
        assert fast.a.shape == (rows.stop - rows.start, 2)
    for l in range(net.n_layers):
        _assert_close(net.weights[l], twin.weights[l], 1e-12, f"weights[{l}]")


def test_the_mazur_step_through_the_fast_path():
    """Mazur's 2-2-2 example (biases untouched, η = 0.5): the fast step gives the post's weights."""
    net = dp.Network.from_arrays(
        [np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])],
        [np.array([0.35, 0.35]), np.array([0.60, 0.60])],
    )
    step = make_step(net, dp.SGD(0.5, update_biases=False), batch_size=1)
    cost = step(np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]))
    assert cost == pytest.approx(0.298371109, abs=1e-9)  # E_total before the step
    # w5..w8 = 0.35891648, 0.408666186, 0.511301270, 0.561370121 (w5: h1→o1, w6: h2→o1, ...)
    np.testing.assert_allclose(
        net.weights[1], [[0.35891648, 0.511301270], [0.408666186, 0.561370121]], atol=1e-9
    )
    np.testing.assert_allclose(
        net.weights[0], [[0.149780716, 0.24975114], [0.19956143, 0.29950229]], atol=1e-9
    )
    np.testing.assert_array_equal(net.biases[0], [0.35, 0.35])


def test_the_generic_step_keeps_the_contract():
    net = dp.Network([4, 3, 2], seed=2)
    twin = net.copy()
    X, Y = _data(net.sizes, np.float64)
    generic, fast = Step(net, dp.SGD(1.0), 4), make_step(twin, dp.SGD(1.0), 4)
    assert isinstance(fast, FastStep)
    for rows in BATCH_ROWS:
        assert generic(X[rows], Y[rows]) == pytest.approx(fast(X[rows], Y[rows]), rel=1e-12)
        _assert_close(generic.a, fast.a, 1e-12, "outputs a")


def test_the_step_allocates_its_buffers_once():
    """Steady state: the same buffers, the same views for the smaller last batch."""
    net = dp.Network([5, 4, 3], seed=0)
    fast = make_step(net, dp.SGD(0.1), BATCH_SIZE)
    X, Y = _data(net.sizes, np.float64)
    seen = set()
    for rows in BATCH_ROWS * 3:
        fast(X[rows], Y[rows])
        seen.add((rows.stop - rows.start, fast.a.__array_interface__["data"][0]))
    assert len(seen) == 2  # one address per batch size, and both the same buffer
    assert len({address for _, address in seen}) == 1


@pytest.mark.skipif(fast_step._scipy_blas is None, reason="SciPy not installed")
def test_use_scipy_true_without_scipy_is_refused(monkeypatch):
    monkeypatch.setattr(fast_step, "_scipy_blas", None)
    with pytest.raises(ValueError, match="use_scipy=True needs SciPy"):
        FastStep(dp.Network([2, 2]), dp.SGD(0.1), 4, use_scipy=True)
    assert FastStep(dp.Network([2, 2]), dp.SGD(0.1), 4).use_scipy is False


@pytest.mark.skipif(fast_step._scipy_blas is None, reason="SciPy not installed")
@pytest.mark.parametrize("optimizer", ["sgd", "sgd_l2", "sgd_no_bias", "momentum", "adam"])
@pytest.mark.parametrize(("output", "cost"), [("logistic", "quadratic"), ("softmax", "log_likelihood")])
def test_products_through_numpy_beside_the_fused_update_match_the_generic_step(
    monkeypatch, output, cost, optimizer
):
    """The mixed plan: forward and δ products by NumPy's matmul, the update by SciPy's gemm."""
    monkeypatch.setattr(step_plan, "NUMPY_MIN_MACS", 1)  # every product of these small nets
    for sizes in ([5, 3], [5, 7, 3], [5, 7, 4, 3]):
        net = dp.Network(sizes, activation="tanh", output_activation=output, cost=cost, seed=len(sizes))
        fast_net, _ = _run_side_by_side(net, OPTIMIZERS[optimizer])
        plan = FastStep(fast_net, dp.SGD(0.1), BATCH_SIZE)._by_numpy
        assert plan == [True] * (len(sizes) - 1)  # all under OpenBLAS's one-thread size: safe


@pytest.mark.skipif(fast_step._scipy_blas is None, reason="SciPy not installed")
def test_the_product_plan_mixes_libraries_only_where_it_is_safe(monkeypatch):
    """NumPy for products big enough to gain; never beside a product OpenBLAS may thread."""
    nielsen = dp.Network([784, 30, 10], seed=0)  # m = 10: 235,200 and 3,000 multiply-adds
    wide = dp.Network([784, 100, 10], seed=0)  # m = 32: 2,508,800 (threaded above one thread)
    monkeypatch.setattr(step_plan, "blas_single_threaded", lambda: False)
    assert FastStep(nielsen, dp.SGD(1.0), 10)._by_numpy == [True, False]
    assert FastStep(wide, dp.SGD(1.0), 32)._by_numpy == [False, False]
    monkeypatch.setattr(step_plan, "blas_single_threaded", lambda: True)
    assert FastStep(wide, dp.SGD(1.0), 32)._by_numpy == [True, False]
    assert FastStep(wide, dp.SGD(1.0), 32, use_scipy=False)._by_numpy == [True, True]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for a two-thread BLAS limit")
def test_blas_single_threaded_follows_the_thread_limits():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        assert step_plan.blas_single_threaded() is True
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        assert step_plan.blas_single_threaded() is False


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_out_receives_the_outputs(use_scipy, optimizer):
    """``step(X, Y, a_out)`` writes a into the caller's rows; the update is unchanged."""
    net = dp.Network([5, 7, 3], seed=4)
    twin, plain = net.copy(), net.copy()
    fast = FastStep(net, OPTIMIZERS[optimizer](0.5), BATCH_SIZE, use_scipy=use_scipy)
    generic = Step(twin, OPTIMIZERS[optimizer](0.5), BATCH_SIZE)
    without = FastStep(plain, OPTIMIZERS[optimizer](0.5), BATCH_SIZE, use_scipy=use_scipy)
    X, Y = _data(net.sizes, np.float64)
    outputs, outputs_generic = np.full((16, 3), np.nan), np.full((16, 3), np.nan)
    for rows in BATCH_ROWS:
        cost = fast(X[rows], Y[rows], outputs[rows])
        assert fast.a is not None and np.shares_memory(fast.a, outputs)
        assert cost == pytest.approx(generic(X[rows], Y[rows], outputs_generic[rows]), rel=1e-12)
        assert cost == without(X[rows], Y[rows])
        np.testing.assert_array_equal(outputs[rows], without.a)
    _assert_close(outputs, outputs_generic, 1e-12, "outputs written by the two steps")
    for p, q in zip(net.weights + net.biases, plain.weights + plain.biases):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_unclipped_logistic_equals_the_clipped_one_even_where_exp_overflows(dtype):
    net = np.concatenate(
        [np.linspace(-1000, 1000, 4001), [-np.finfo(dtype).max, np.finfo(dtype).max, 0.0, -0.0]]
    ).astype(dtype)
    expected = dp.activations.get("logistic").forward(net.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning escapes
        got = step_plan.logistic_unclipped(net.copy(), np.empty_like(net))
    # Identical down to the clip; below it (net < −709.78 in float64, −88.72 in float32) the
    # clipped σ is pinned at 1/(1 + e^bound), about 1.5 × the smallest normal number, and the
    # unclipped one is e^(−net), smaller still, or 0.
    floor = 16 * np.finfo(dtype).tiny
    above = expected > floor
    np.testing.assert_array_equal(got[above], expected[above])
    assert np.all(got[~above] <= floor) and got[0] == 0.0 and got[4000] == 1.0


@pytest.mark.parametrize("optimizer", ["sgd", "sgd_l2", "adam"])
def test_large_logistic_layers_through_the_unclipped_path_match_the_generic_step(monkeypatch, optimizer):
    monkeypatch.setattr(step_plan, "UNCLIPPED_MIN_VALUES", 1)
    monkeypatch.setattr(step_plan, "EXPIT_MAX_VALUES", 0)
    net = dp.Network([5, 7, 4, 3], seed=8)
    fast = FastStep(net.copy(), dp.SGD(1.0), BATCH_SIZE)
    assert all(f is step_plan.logistic_unclipped for f in fast._forward)
    _run_side_by_side(net, OPTIMIZERS[optimizer])


def test_l2_without_n_train_raises_the_optimizers_error():
    net = dp.Network([3, 2], seed=0)
    fast = make_step(net, dp.SGD(0.1, l2=1.0), 2)
    with pytest.raises(ValueError, match="n_train"):
        fast(np.zeros((2, 3)), np.zeros((2, 2)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_predict_in_blocks_equals_the_forward_pass(dtype):
    """``_predict`` goes through a large batch in blocks of rows (a speed measure): same outputs."""
    net = dp.Network([20, 1100, 3], output_activation="softmax", cost="log_likelihood", seed=0, dtype=dtype)
    X = np.random.default_rng(0).random((4000, 20)).astype(dtype)  # 4000 × 1100 values: blocked
    a = net._predict(X)
    assert a.dtype == dtype and a.shape == (4000, 3)
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    _assert_close(a, net._forward(X).a, rtol, "blocked predict")


# --- per-sample weights -----------------------------------------------------------------------

WEIGHTS = np.random.default_rng(4).uniform(0.0, 3.0, size=16)
WEIGHTS[[1, 13]] = 0.0  # samples that do not count, one in the short last batch


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize(("output", "cost"), PAIRS)
def test_weighted_steps_match_the_generic_step(output, cost, optimizer, use_scipy):
    """C = Σ s C_x / Σ s: the fast step's every output-δ rule and optimizer path, weighted."""
    net = dp.Network([5, 7, 3], activation="tanh", output_activation=output, cost=cost, seed=2)
    _run_side_by_side(net, OPTIMIZERS[optimizer], use_scipy=use_scipy, weights=WEIGHTS)


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize(("output", "cost"), [("logistic", "quadratic"), ("softmax", "log_likelihood")])
def test_weighted_float32_stays_close_to_the_generic_step(output, cost, use_scipy):
    net = dp.Network([5, 7, 3], output_activation=output, cost=cost, seed=3, dtype=np.float32)
    for optimizer in ("sgd_l2", "adam"):
        _run_side_by_side(
            net, OPTIMIZERS[optimizer], dtype=np.float32, use_scipy=use_scipy, rtol=2e-5, weights=WEIGHTS
        )


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize("optimizer", ["sgd_l2", "momentum", "adam"])
def test_unit_weights_step_exactly_as_no_weights(optimizer, use_scipy):
    """s ≡ 1 on the fast step: δ · 1 and Σ s = n, so every bit of every update is the same."""
    net = dp.Network([5, 7, 4, 3], output_activation="softmax", cost="log_likelihood", seed=5)
    twin = net.copy()
    plain = FastStep(net, OPTIMIZERS[optimizer](0.5), BATCH_SIZE, use_scipy=use_scipy)
    weighted = FastStep(twin, OPTIMIZERS[optimizer](0.5), BATCH_SIZE, use_scipy=use_scipy)
    X, Y = _data(net.sizes, np.float64)
    for rows in BATCH_ROWS * 2:
        plain(X[rows], Y[rows])
        weighted(X[rows], Y[rows], None, np.ones(len(X[rows])))
    for l in range(net.n_layers):
        np.testing.assert_array_equal(twin.weights[l], net.weights[l])
        np.testing.assert_array_equal(twin.biases[l], net.biases[l])


@pytest.mark.parametrize("step_class", [FastStep, Step])
@pytest.mark.parametrize("optimizer", ["sgd_l2", "momentum", "adam"])
def test_a_batch_of_weight_zero_makes_no_step(step_class, optimizer):
    """No update, no L2 decay, no optimizer call (its t stays); C = 0 and the outputs are written."""
    net = dp.Network([5, 7, 3], seed=1)
    before = net.copy()
    opt = OPTIMIZERS[optimizer](0.5)
    step = step_class(net, opt, BATCH_SIZE)
    X, Y = _data(net.sizes, np.float64)
    a_out = np.full((6, 3), np.nan)
    assert step(X[:6], Y[:6], a_out, np.zeros(6)) == 0.0
    # the outputs as predict gives them (to the last bits where both reach the same BLAS kernel;
    # NumPy 1.24's own OpenBLAS and SciPy's round the fast step's products differently)
    np.testing.assert_allclose(a_out, before.predict(X[:6]), rtol=1e-13, atol=0)
    assert opt.iterations == 0
    for l in range(net.n_layers):
        np.testing.assert_array_equal(net.weights[l], before.weights[l])
        np.testing.assert_array_equal(net.biases[l], before.biases[l])
