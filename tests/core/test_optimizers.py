"""Optimizers: the classic rule, L2 in Nielsen's form, momentum, Nesterov, Adam."""

import math
import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import activations, costs, optimizers


def grads_of(net, seed=0):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(4, net.sizes[0])), rng.uniform(0.1, 0.9, size=(4, net.sizes[-1]))
    return net.backprop(X, Y)


def test_sgd_is_the_classic_rule():
    net = dp.Network([3, 4, 2], seed=0)
    before, grads = net.copy(), grads_of(net)
    dp.SGD(0.7).step(net, grads)
    for new, old, g in zip(
        net.weights + net.biases, before.weights + before.biases, grads.weights + grads.biases
    ):
        np.testing.assert_array_equal(new, old - 0.7 * g)  # Δw = −η ∂C/∂w


def test_l2_follows_nielsens_form_and_spares_the_biases():
    net = dp.Network([3, 2], seed=0)
    before, grads = net.copy(), grads_of(net)
    eta, lam, n = 0.5, 5.0, 1000
    dp.SGD(eta, l2=lam, n_train=n).step(net, grads)
    np.testing.assert_allclose(
        net.weights[0], (1 - eta * lam / n) * before.weights[0] - eta * grads.weights[0], rtol=0, atol=1e-15
    )
    np.testing.assert_array_equal(net.biases[0], before.biases[0] - eta * grads.biases[0])


def test_l2_without_the_training_set_size_is_refused():
    net = dp.Network([3, 2], seed=0)
    with pytest.raises(ValueError, match="l2 > 0 needs n_train"):
        dp.SGD(0.5, l2=5.0).step(net, grads_of(net))


def test_update_biases_false_leaves_biases_alone():
    net = dp.Network([3, 2], seed=0)
    kept = net.biases[0].copy()
    dp.SGD(1.0, update_biases=False).step(net, grads_of(net))
    np.testing.assert_array_equal(net.biases[0], kept)


def test_momentum_accumulates_velocity():
    net = dp.Network([2, 2], seed=1)
    w0, grads = net.weights[0].copy(), grads_of(net)
    opt = dp.Momentum(0.1, momentum=0.9)
    opt.step(net, grads)
    opt.step(net, grads)  # the same gradient twice: v1 = g, v2 = 0.9 g + g
    np.testing.assert_allclose(net.weights[0], w0 - 0.1 * grads.weights[0] * (1 + 1.9), rtol=1e-14)


def test_nesterov_looks_ahead():
    net = dp.Network([2, 2], seed=1)
    w0, grads = net.weights[0].copy(), grads_of(net)
    dp.Nesterov(0.1, momentum=0.9).step(net, grads)  # v = g; w −= η (g + μ v) = η 1.9 g
    np.testing.assert_allclose(net.weights[0], w0 - 0.1 * 1.9 * grads.weights[0], rtol=1e-14)


def test_adam_first_step_moves_each_weight_by_about_eta():
    net = dp.Network([3, 2], seed=2)
    w0, grads = net.weights[0].copy(), grads_of(net)
    dp.Adam(0.001).step(net, grads)
    # After bias correction m̂ = g and v̂ = g², so Δw = −η g/(|g| + ε) ≈ −η sign(g).
    expected = w0 - 0.001 * grads.weights[0] / (np.abs(grads.weights[0]) + 1e-8)
    np.testing.assert_allclose(net.weights[0], expected, rtol=1e-12)


def test_adam_bias_correction_by_hand():
    """Two Adam steps written out from the paper (Kingma & Ba, 2015, Algorithm 1) for one weight.

    g1 = 0.5, g2 = −0.25, β1 = 0.9, β2 = 0.999, ε = 1e-8, η = 0.1:
    m1 = 0.05,     v1 = 0.00025,        m̂1 = 0.5,               v̂1 = 0.25;     Δ1 = −0.1 · 0.5/0.5
    m2 = 0.02,     v2 = 0.00031225,     m̂2 = 0.02/0.19,         v̂2 = 0.00031225/0.001999
    """
    net = dp.Network.from_arrays([np.array([[1.0]])], [np.array([0.0])], activation="linear")
    opt = dp.Adam(0.1, update_biases=False)
    for g in (0.5, -0.25):
        grads = dp.Gradients([np.array([[g]])], [np.array([0.0])], [np.zeros((1, 1))], 0.0)
        opt.step(net, grads)
    w1 = 1.0 - 0.1 * 0.5 / (math.sqrt(0.25) + 1e-8)
    m_hat2 = 0.02 / (1 - 0.9**2)
    v_hat2 = 0.00031225 / (1 - 0.999**2)
    w2 = w1 - 0.1 * m_hat2 / (math.sqrt(v_hat2) + 1e-8)
    assert net.weights[0][0, 0] == pytest.approx(w2, rel=1e-13)


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adam"])
def test_state_dict_round_trip_resumes_exactly(name):
    a, b = dp.Network([3, 3, 2], seed=3), dp.Network([3, 3, 2], seed=3)
    opt_a = optimizers.get(name, learning_rate=0.05)
    opt_b = optimizers.get(name, learning_rate=0.05)
    for k in range(3):
        opt_a.step(a, grads_of(a, k))
        opt_b.step(b, grads_of(b, k))
    resumed = optimizers.get(name, learning_rate=0.05)
    resumed.load_state_dict(opt_b.state_dict())
    opt_a.step(a, grads_of(a, 9))
    resumed.step(b, grads_of(b, 9))
    for x, y in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize(
    ("state_of", "change", "error", "pattern"),
    [
        ("adam", {}, ValueError, r"state is that of the 'adam' optimizer; this one is 'sgd'"),
        ("sgd", {"momentum": 1.5}, ValueError, r"momentum must be in \[0, 1\); got 1\.5"),
        ("sgd", {"learning_rate": -1.0}, ValueError, r"learning_rate must be a finite number > 0"),
        ("sgd", {"beta1": 0.9}, ValueError, r"include \['beta1'\], which SGD does not take"),
    ],
)
def test_a_state_that_does_not_fit_is_refused_and_changes_nothing(state_of, change, error, pattern):
    net = dp.Network([3, 2], seed=0)
    source = optimizers.get(state_of, learning_rate=0.05)
    source.step(net, grads_of(net))
    state = source.state_dict()
    state["hyper"].update(change)
    target = dp.SGD(0.1, momentum=0.5)
    target.step(net, grads_of(net))
    before = target.state_dict()
    with pytest.raises(error, match=pattern):
        target.load_state_dict(state)
    after = target.state_dict()
    assert after["hyper"] == before["hyper"] and after["iterations"] == before["iterations"] == 1
    assert after["state"].keys() == before["state"].keys()
    for key, value in after["state"].items():
        np.testing.assert_array_equal(value, before["state"][key])


@pytest.mark.parametrize(
    ("iterations", "error", "pattern"),
    [
        (-5, ValueError, r"state\['iterations'\] must be ≥ 0; got -5"),
        (1.7, TypeError, r"state\['iterations'\] must be an integer; got 1\.7"),
        ("x", TypeError, r"state\['iterations'\] must be an integer; got 'x'"),
    ],
)
def test_a_step_count_that_is_not_a_count_is_refused_and_changes_nothing(iterations, error, pattern):
    # int() took 1.7 as 1 and -5 as it was (Adam's bias correction 1 - β^t then divides by 0
    # at t = 0 after four steps), and 'x' failed with int()'s own words.
    net = dp.Network([3, 2], seed=0)
    target = dp.Adam()
    target.step(net, grads_of(net))
    state = target.state_dict()
    state["iterations"] = iterations
    with pytest.raises(error, match=pattern):
        target.load_state_dict(state)
    assert target.iterations == 1


@pytest.mark.parametrize(
    ("optimizer", "state", "error", "pattern"),
    [
        ("sgd", {"name": "sgd"}, ValueError, r"lacks the keys \['iterations', 'state'\] \(got \['name'\]\)"),
        (
            "adam",
            {"name": "adam", "iterations": 1},
            ValueError,
            r"Adam.load_state_dict: state lacks the keys \['state'\]",
        ),
        ("adam", {"iterations": 1, "state": {}, "iteration": 2}, ValueError, r"unknown keys \['iteration'\]"),
        ("sgd", [("iterations", 1)], TypeError, r"takes the dict that state_dict\(\) returns; got list"),
        ("adam", {"iterations": 1, "state": []}, TypeError, r"state\['state'\] must be a dict; got list"),
        ("adam", {"iterations": 1, "state": {}, "hyper": 0.1}, TypeError, r"state\['hyper'\] must be a dict"),
        (
            "adam",
            {"iterations": 1, "state": {"m_w0": "x"}},
            TypeError,
            r"float arrays; got str32 values for 'm_w0'",
        ),
        ("adam", {"iterations": 1, "state": {0: np.zeros(2)}}, TypeError, r"float arrays; got key 0 for 0"),
    ],
)
def test_a_state_that_is_not_a_state_dict_is_refused_by_key_and_changes_nothing(
    optimizer, state, error, pattern
):
    """The docstring's promise: TypeError or ValueError naming the problem, not a KeyError."""
    net = dp.Network([3, 2], seed=0)
    target = optimizers.get(optimizer, learning_rate=0.05)
    target.step(net, grads_of(net))
    before = target.state_dict()
    with pytest.raises(error, match=pattern):
        target.load_state_dict(state)
    assert target.iterations == 1 and target.state_dict()["state"].keys() == before["state"].keys()


@pytest.mark.parametrize("name", [3, None, ["sgd"]])
def test_a_name_that_is_not_a_string_is_a_type_error_as_for_activations_and_costs(name):
    for get in (optimizers.get, activations.get, costs.get):
        with pytest.raises(TypeError, match=rf"got {re.escape(repr(name))} of type {type(name).__name__}"):
            get(name)


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (lambda: dp.SGD(0.0), r"learning_rate must be a finite number > 0; got 0\.0"),
        (lambda: dp.SGD(-1), r"learning_rate must be a finite number > 0; got -1\.0"),
        (lambda: dp.SGD(float("nan")), r"learning_rate must be a finite number > 0; got nan"),
        (lambda: dp.SGD("fast"), r"learning_rate must be a number; got 'fast'"),
        (lambda: dp.SGD(0.1, momentum=1.0), r"momentum must be in \[0, 1\); got 1\.0"),
        (lambda: dp.SGD(0.1, nesterov=True), r"nesterov=True needs momentum > 0"),
        (lambda: dp.Adam(beta1=1.5), r"beta1 must be in \[0, 1\); got 1\.5"),
        (lambda: dp.SGD(0.1, l2=-1), r"l2 must be a finite number ≥ 0; got -1\.0"),
        (lambda: optimizers.get("rmsprop"), r"unknown optimizer 'rmsprop'"),
    ],
)
def test_bad_hyperparameters_are_refused(build, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        build()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: dp.Adam(lr=0.01),
            "Adam() got an unexpected keyword argument 'lr'; deltaprop calls it learning_rate",
        ),
        (
            lambda: dp.SGD(lr=0.01),
            "SGD() got an unexpected keyword argument 'lr'; deltaprop calls it learning_rate",
        ),
        (lambda: dp.Momentum(lr=0.01), "SGD() got an unexpected keyword argument 'lr'"),
        (lambda: dp.Adam(betas=(0.9, 0.99)), "'betas'; deltaprop calls it beta1 and beta2, two numbers"),
        (lambda: dp.Adam(eps=1e-7), "'eps'; deltaprop calls it epsilon"),
        (lambda: dp.Adam(beta_1=0.8), "'beta_1'; deltaprop calls it beta1"),
        (lambda: dp.SGD(0.1, weight_decay=1e-4), "'weight_decay'; deltaprop calls it l2, Nielsen's λ"),
        (lambda: dp.SGD(0.1, speed=2), "SGD() got an unexpected keyword argument 'speed'"),
    ],
)
def test_other_libraries_names_are_refused_with_ours(build, message):
    """A PyTorch user writes Adam(lr=0.01): Python's own error named Optimizer.__init__, not
    Adam, and did not say that deltaprop calls it learning_rate."""
    with pytest.raises(TypeError) as raised:
        build()
    assert message in str(raised.value)
    assert str(raised.value).startswith(("Adam()", "SGD()"))


# What each name of PyTorch's or Keras's is called here; the β's and ε are Adam's alone.
FOREIGN_NAMES = {
    "lr": ("learning_rate", False),
    "eps": ("epsilon", True),
    "betas": ("beta1 and beta2, two numbers", True),
    "beta_1": ("beta1", True),
    "beta_2": ("beta2", True),
    "weight_decay": ("l2, Nielsen's λ", False),
}


@pytest.mark.parametrize("foreign", sorted(FOREIGN_NAMES))
@pytest.mark.parametrize("build", [dp.SGD, dp.Momentum, dp.Nesterov, dp.Adam])
def test_a_foreign_name_gets_the_hint_of_the_optimizer_at_hand(build, foreign):
    """dp.SGD(betas=(0.9, 0.999)), PyTorch's Adam name given to SGD, was told that deltaprop
    calls it beta1 and beta2, which SGD does not have either: the β's and ε are Adam's, so SGD
    (Momentum, Nesterov) says so and points to dp.Adam; lr and weight_decay are every one's."""
    ours, adam_only = FOREIGN_NAMES[foreign]
    with pytest.raises(TypeError) as raised:
        build(0.1, **{foreign: 0.5})
    message = str(raised.value)
    shown = "Adam" if build is dp.Adam else "SGD"  # Momentum and Nesterov are SGDs
    assert message.startswith(f"{shown}() got an unexpected keyword argument {foreign!r}; ")
    if adam_only and build is not dp.Adam:
        assert message.endswith(
            f"; that is Adam's hyperparameter (deltaprop's Adam calls it {ours}), not SGD's: use dp.Adam"
        )
        assert "deltaprop calls it" not in message
    else:
        assert f"; deltaprop calls it {ours}" in message
        assert "dp.Adam" not in message


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adam"])
def test_optimizers_match_pytorch(name):
    """Differential test: the same network, gradients and hyperparameters in torch.optim."""
    torch = pytest.importorskip("torch")
    net = dp.Network([4, 5, 3], activation="tanh", output_activation="linear", seed=5)
    opt = optimizers.get(name, learning_rate=0.05, l2=0.0) if name != "sgd" else dp.SGD(0.05)
    params = [torch.tensor(p.copy(), requires_grad=False) for p in net.weights + net.biases]
    ref = {
        "sgd": lambda p: torch.optim.SGD(p, lr=0.05),
        "momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
        "nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
        "adam": lambda p: torch.optim.Adam(p, lr=0.05),
    }[name](params)
    for k in range(4):
        grads = grads_of(net, k)
        for p, g in zip(params, grads.weights + grads.biases):
            p.grad = torch.tensor(g)
        ref.step()
        opt.step(net, grads)
    for p, mine in zip(params, net.weights + net.biases):
        np.testing.assert_allclose(mine, p.numpy(), rtol=1e-12, atol=1e-14)
