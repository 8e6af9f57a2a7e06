"""Building networks: sizes, activations, costs, initialisers, dtypes, and the errors for bad input."""

import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import activations


def test_shapes_follow_the_classic_notation():
    net = dp.Network([784, 30, 10], seed=0)
    assert [w.shape for w in net.weights] == [(784, 30), (30, 10)]
    assert [b.shape for b in net.biases] == [(30,), (10,)]
    assert net.sizes == [784, 30, 10]
    assert net.n_params == 784 * 30 + 30 + 30 * 10 + 10


def test_output_activation_defaults_to_activation_and_lists_are_accepted():
    assert dp.Network([2, 3, 1], activation="tanh").activation_names == ["tanh", "tanh"]
    net = dp.Network([2, 3, 4, 2], activation=["relu", "tanh"], output_activation="softmax")
    assert net.activation_names == ["relu", "tanh", "softmax"]
    net = dp.Network([2, 3, 2], activation=["relu", "linear"])
    assert net.activation_names == ["relu", "linear"]


def test_a_list_of_every_layers_activation_and_a_disagreeing_output_activation_is_refused():
    """["tanh", "relu"] names the output's σ, and output_activation="softmax" names it again:
    one of the two would be dropped without a word, so both are named in the error."""
    with pytest.raises(ValueError, match=r"activation\[1\]='relu' and output_activation='softmax'"):
        dp.Network([2, 3, 2], activation=["tanh", "relu"], output_activation="softmax")
    with pytest.raises(ValueError, match=r"'leaky_relu\(0.2\)' and output_activation='leaky_relu'"):
        dp.Network.from_arrays(
            [np.ones((2, 3)), np.ones((3, 2))],
            [np.zeros(3), np.zeros(2)],
            activation=["tanh", "leaky_relu(0.2)"],
            output_activation="leaky_relu",
        )
    # the same σ twice (by name, alias or object) is no conflict
    for output in ("softmax", activations.Softmax()):
        net = dp.Network([2, 3, 2], activation=["tanh", "softmax"], output_activation=output)
        assert net.activation_names == ["tanh", "softmax"]
    assert dp.Network(
        [2, 3, 2], activation=["tanh", "sigmoid"], output_activation="logistic"
    ).activation_names == [
        "tanh",
        "logistic",
    ]


def test_both_constructors_record_whether_the_output_took_activation():
    """fit's note on a ReLU output reads this: the same for Network and from_arrays, and a loaded
    model (a list of one σ per layer) stated its output σ."""
    w, b = [np.ones((2, 3)), np.ones((3, 2))], [np.zeros(3), np.zeros(2)]
    for took, kwargs in [
        (True, dict(activation="relu")),
        (True, dict(activation=activations.ReLU())),
        (False, dict(activation="relu", output_activation="relu")),
        (False, dict(activation=["tanh", "relu"])),
        (False, dict(activation=["tanh"], output_activation="relu")),
    ]:
        assert dp.Network([2, 3, 2], **kwargs)._output_took_activation is took, kwargs
        assert dp.Network.from_arrays(w, b, **kwargs)._output_took_activation is took, kwargs
        assert dp.Network([2, 3, 2], **kwargs).copy()._output_took_activation is took


def test_seeded_construction_is_reproducible_and_seeds_differ():
    a, b, c = (dp.Network([5, 4, 3], seed=s) for s in (7, 7, 8))
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


@pytest.mark.parametrize(
    ("init", "w_std", "b_zero"),
    [
        ("normal", 1.0, False),
        ("normal_scaled", 1.0 / np.sqrt(400), False),
        ("glorot_normal", np.sqrt(2.0 / 600), True),
        ("glorot_uniform", np.sqrt(6.0 / 600) / np.sqrt(3), True),  # U(±l) has std l/√3
        ("he_normal", np.sqrt(2.0 / 400), True),
    ],
)
def test_initialisers_draw_the_documented_scales(init, w_std, b_zero):
    net = dp.Network([400, 200], init=init, seed=0)
    assert net.weights[0].std() == pytest.approx(w_std, rel=0.02)
    assert abs(net.weights[0].mean()) < 0.02 * max(w_std, 0.1)
    assert (not net.biases[0].any()) == b_zero


def test_from_arrays_keeps_every_given_weight():
    w = [np.arange(6.0).reshape(2, 3) / 10, np.ones((3, 1))]
    b = [np.zeros(3), np.array([0.5])]
    net = dp.Network.from_arrays(w, b, activation=["relu", "linear"])
    assert net.sizes == [2, 3, 1]
    assert np.array_equal(net.weights[0], w[0]) and net.weights[0] is not w[0]
    # a = w2ᵀ relu(xᵀ w1) + b2 for x = (1, 1): relu([0.3, 0.5, 0.7]) · 1 + 0.5 = 2.0
    assert net.predict([[1.0, 1.0]])[0, 0] == pytest.approx(2.0)


def test_a_copy_is_independent_down_to_its_list_of_activations():
    net = dp.Network([2, 3, 1], seed=0)
    twin = net.copy()
    twin.activations[0] = dp.activations.get("relu")
    twin.weights[0][0, 0] += 1.0
    assert net.activation_names == ["logistic", "logistic"]
    assert twin.activation_names == ["relu", "logistic"]
    assert twin.weights[0][0, 0] == net.weights[0][0, 0] + 1.0


def test_weights_and_biases_can_be_assigned():
    net = dp.Network([2, 2], seed=0)
    net.weights = [np.eye(2)]
    net.biases = [np.array([1.0, -1.0])]
    np.testing.assert_array_equal(net.predict([[0.0, 0.0]]), 1 / (1 + np.exp([[-1.0, 1.0]])))


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"sizes": [3, 0, 2]}, r"sizes\[1\] must be ≥ 1.*got 0"),
        ({"sizes": [3]}, r"at least an input and an output layer; got \[3\]"),
        (
            {"activation": "sigmoidal"},
            r"^unknown activation 'sigmoidal'; did you mean 'sigmoid'\?; expected one of \[.*'logistic'",
        ),
        (
            {"output_activation": "softmaxx"},
            r"^unknown activation 'softmaxx' for output_activation; did you mean 'softmax'\?; "
            r"expected one of \[.*'softmax'",
        ),
        ({"activation": ["relu", "foo"]}, r"^unknown activation 'foo' for activation\[1\]; expected one of"),
        ({"cost": "hinge"}, r"unknown cost 'hinge'; expected one of \[.*'quadratic'"),
        ({"init": "zeros"}, r"unknown init 'zeros'; expected one of \[.*'normal'"),
        ({"init": "he_norml"}, r"unknown init 'he_norml'; did you mean 'he_normal'\?; expected one of"),
        ({"cost": "cross_entrop"}, r"unknown cost 'cross_entrop'; did you mean 'cross_entropy'\?; expected"),
        ({"activation": "softmax"}, r"activation 'softmax' is for the output layer only.*hidden layer 1"),
        ({"activation": ["tanh"]}, r"one name per layer of weights \(2\).*got 1"),
        ({"dtype": np.int32}, r"dtype must be float32 or float64; got 'int32'"),
        ({"dtype": np.float16}, r"dtype must be float32 or float64; got 'float16'"),
        ({"dtype": "float128x"}, r"dtype must be float32 or float64; got 'float128x'"),
    ],
)
def test_bad_construction_raises_value_error_naming_the_parameter_and_the_value(kwargs, pattern):
    args = {"sizes": [3, 4, 2], **kwargs}
    with pytest.raises(ValueError, match=pattern):
        dp.Network(args.pop("sizes"), **args)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"sizes": [3, 2.5]}, r"sizes\[1\] must be an integer; got 2.5"),
        ({"sizes": "784,30"}, r"sizes must be a list"),
        ({"activation": None}, r"activation must be a name or a list of names; got None"),
        ({"output_activation": 5}, r"output_activation must be a name such as 'logistic'.*got 5 of type int"),
        ({"cost": 5}, r"cost must be a name such as 'quadratic'.*got 5 of type int"),  # None: by the output
    ],
)
def test_arguments_of_the_wrong_type_raise_type_error_naming_them(kwargs, pattern):
    args = {"sizes": [3, 4, 2], **kwargs}
    with pytest.raises(TypeError, match=pattern):
        dp.Network(args.pop("sizes"), **args)


@pytest.mark.parametrize(
    ("weights", "biases", "pattern"),
    [
        (
            [np.ones((2, 3)), np.ones((4, 1))],
            [np.ones(3), np.ones(1)],
            r"weights\[1\] has shape \(4, 1\); expected \(3, 1\)",
        ),
        ([np.ones((2, 3))], [np.ones(2)], r"biases\[0\] has shape \(2,\); expected \(3,\)"),
        ([np.ones(3)], [np.ones(3)], r"weights\[0\] must be a 2-D \(n_in, n_out\) array; got shape \(3,\)"),
        (
            [np.array([[1.0, 2.0], [3.0, np.nan]])],
            [np.ones(2)],
            r"weights\[0\] contains NaN or infinity \(first: weights\[0\]\[1, 1\] = nan\)",
        ),
        (
            [np.ones((1, 2))],
            [np.array([0.0, -np.inf])],
            r"biases\[0\] contains NaN or infinity \(first: biases\[0\]\[1\] = -inf\); every bias must",
        ),
        ([np.ones((2, 2))], [[0.0, np.nan]], r"every bias must be finite"),
        (
            [[[1, 2], [3]]],
            [[0, 0]],
            r"weights\[0\] could not be read as a rectangular array: its rows have lengths \[2, 1\]",
        ),
        (
            [np.ones((2, 3)), [[1.0], [2.0, 3.0], [4.0]]],
            [np.ones(3), np.ones(1)],
            r"weights\[1\] could not be read as a rectangular array: its rows have lengths \[1, 2, 1\]",
        ),
        ([np.ones((2, 2)), np.ones((2, 2))], [np.ones(2)], r"biases must hold 2 arrays.*got 1"),
    ],
)
def test_from_arrays_rejects_bad_weights(weights, biases, pattern):
    with pytest.raises(ValueError, match=pattern):
        dp.Network.from_arrays(weights, biases)


def test_assigning_weights_of_the_wrong_shape_fails_and_changes_nothing():
    net = dp.Network([3, 2], seed=0)
    kept = net.weights[0].copy()
    with pytest.raises(ValueError, match=re.escape("weights[0] has shape (2, 3); expected (3, 2)")):
        net.weights = [np.ones((2, 3))]
    assert np.array_equal(net.weights[0], kept)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_networks_dtype_decides_end_to_end(dtype):
    net = dp.Network([4, 5, 3], output_activation="softmax", cost="log_likelihood", seed=0, dtype=dtype)
    X = np.arange(8).reshape(2, 4)  # integers are converted to the network's dtype
    fp, grads = net.forward(X), net.backprop(np.float64(X), [0, 2])
    arrays = fp.net + fp.o + grads.weights + grads.biases + grads.deltas + [net.predict(X)]
    assert {a.dtype for a in arrays} == {np.dtype(dtype)}
    opt = dp.Adam(0.01)
    opt.step(net, grads)
    dp.SGD(0.1, momentum=0.9).step(net, grads)
    assert {w.dtype for w in net.weights + net.biases} == {np.dtype(dtype)}


def test_float32_and_float64_agree_to_float32_precision():
    net64 = dp.Network([6, 5, 3], activation="tanh", seed=4)
    net32 = dp.Network.from_arrays(net64.weights, net64.biases, activation="tanh", dtype=np.float32)
    X = np.random.default_rng(0).normal(size=(10, 6))
    np.testing.assert_allclose(net32.predict(X), net64.predict(X), rtol=1e-5, atol=1e-6)


def test_repr_shows_layers_activations_cost_and_parameter_count():
    text = repr(dp.Network([784, 30, 10], output_activation="softmax", cost="log_likelihood"))
    assert text == (
        "Network(sizes=[784, 30, 10], activation='logistic', output_activation='softmax', "
        "cost='log_likelihood', dtype=float64, params=23860)"
    )


def test_gradients_and_forward_pass_print_a_summary_not_every_number():
    # w = 0, b = 0: every output is σ(0) = ½, so with targets 0 the quadratic C = ½ · 2 · ¼ = 0.25,
    # δ = (a − y) σ'(0) = ½ · ¼ = 0.125 at both outputs; ∂C/∂w_ij = mean_x o_i δ_j = 0.125 x_i.
    net = dp.Network.from_arrays([np.zeros((3, 2))], [np.zeros(2)])
    X = np.ones((4, 3))
    grads = net.backprop(X, np.zeros((4, 2)))
    norm = float(np.linalg.norm(np.full((3, 2), 0.125)))  # √6 · 0.125 = 0.3062
    assert repr(grads) == (
        f"Gradients(cost=0.25, n_samples=4, weights=[(3, 2)], ‖∂C/∂w‖ per layer=[{norm:.4g}])"
    )
    assert repr(net.forward(X)) == "ForwardPass(n_samples=4, sizes=[3, 2])"
    big = dp.Network([784, 30, 10], seed=0).backprop(np.zeros((100, 784)), np.zeros((100, 10)))
    assert len(repr(big)) < 200  # was every δ of the batch, thousands of numbers


@pytest.mark.parametrize(
    ("X", "pattern"),
    [
        (np.ones(3), r"X must be a 2-D array of shape \(n_samples, 3\); got a 1-D array of shape \(3,\)"),
        (np.ones((2, 3, 1)), r"got a 3-D array of shape \(2, 3, 1\)"),
        (np.ones((2, 4)), r"X has 4 features per sample, but the network expects 3"),
        (np.ones((0, 3)), r"X is empty"),
        (np.array([[1.0, np.nan, 0.0]]), r"X contains NaN or infinity"),
        (np.array([["a", "b", "c"]]), r"X must hold numbers; got an array of dtype"),
        ([[1, 2], [3]], r"X could not be read as a rectangular array"),
    ],
)
def test_predict_rejects_bad_X_with_a_clear_message(X, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        dp.Network([3, 2], seed=0).predict(X)


def test_lists_of_lists_are_accepted():
    net = dp.Network([2, 1], seed=0)
    np.testing.assert_array_equal(net.predict([[1, 2]]), net.predict(np.array([[1.0, 2.0]])))


@pytest.mark.parametrize(
    ("Y", "pattern"),
    [
        (np.ones((3, 2)), r"X and Y have different numbers of samples: X has 2, Y has 3"),
        (np.ones((2, 3)), r"Y has 3 columns, but the network has 2 outputs"),
        (np.array([0, 2]), r"class label 2, outside 0\.\.1"),
        (np.array([0, -1]), r"class label -1, outside 0\.\.1"),
        (np.array([0.0, 0.5]), r"non-integer value 0\.5"),
        (np.array([[0.0, np.inf], [1.0, 0.0]]), r"Y contains NaN or infinity"),
    ],
)
def test_backprop_rejects_bad_targets(Y, pattern):
    with pytest.raises(ValueError, match=pattern):
        dp.Network([3, 2], seed=0).backprop(np.ones((2, 3)), Y)


def test_an_activation_with_a_parameter_is_named_with_it():
    net = dp.Network([3, 4, 2], activation="leaky_relu(0.2)", output_activation="logistic", seed=0)
    assert net.activations[0].slope == 0.2
    assert net.activation_names == ["leaky_relu", "logistic"]  # the function, for code that branches on it
    assert net.config()["activations"] == ["leaky_relu(0.2)", "logistic"]  # what rebuilds it
    assert "activation='leaky_relu(0.2)'" in repr(net)
    # The default slope is the plain name; an instance and its spec build the same σ.
    assert dp.activations.LeakyReLU(0.01).spec == "leaky_relu"
    z = np.array([[-2.0, 0.0, 3.0]])
    spec = dp.activations.get(dp.activations.LeakyReLU(0.3).spec)
    assert np.array_equal(spec.forward(z), np.array([[-0.6, 0.0, 3.0]]))


@pytest.mark.parametrize(
    "activation, pattern",
    [
        ("relu(0.2)", r"activation 'relu' takes no parameter; got 'relu\(0.2\)'"),
        ("leaky_relu(steep)", r"activation 'leaky_relu\(steep\)': the slope in parentheses must be a number"),
        ("leaky_relu(nan)", r"leaky_relu's slope α must be a finite number; got nan"),
    ],
)
def test_a_bad_activation_parameter_is_named(activation, pattern):
    with pytest.raises(ValueError, match=pattern):
        dp.Network([3, 2], activation=activation)


@pytest.mark.parametrize("build", ["init", "from_arrays"])
def test_softmax_over_a_single_output_is_refused(build):
    # softmax(net) over one neuron is e^net / e^net = 1 whatever the weights: nothing to learn.
    with pytest.raises(ValueError, match=r"'softmax' over a single output neuron .* is always 1.*'logistic'"):
        if build == "init":
            dp.Network([3, 4, 1], output_activation="softmax")
        else:
            dp.Network.from_arrays([np.ones((3, 1))], [np.zeros(1)], activation="softmax")


def test_a_network_too_large_for_memory_says_how_large(monkeypatch):
    """NumPy's MemoryError names one array; the network's names the sizes and the total."""
    from deltaprop import initializers

    def out_of_memory(n_in, n_out, rng):
        raise MemoryError(f"Unable to allocate an array with shape ({n_in}, {n_out})")

    monkeypatch.setattr(initializers, "get", lambda name: out_of_memory)
    expected = r"sizes \[4, 1000000000\] has 5,000,000,000 weights and biases, 37\.3 GiB"
    with pytest.raises(MemoryError, match=expected):
        dp.Network([4, 10**9])
