"""The public API says what it does: docstring examples run, documented defaults are the real
ones, every exported name exists, and the behaviour the docstrings promise holds at the edges."""

import doctest
import importlib
import inspect
import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import activations, optimizers, reference

# The modules whose docstring examples are part of the documentation, and must run as shown.
CORE_MODULES = [
    "deltaprop",
    "deltaprop.network",
    "deltaprop.optimizers",
    "deltaprop.costs",
    "deltaprop.activations",
    "deltaprop.initializers",
    "deltaprop.gradcheck",
    "deltaprop.reference",
    "deltaprop.errors",
    "deltaprop.training.fit",
    "deltaprop.training.arguments",
    "deltaprop.walkthrough",
]
# deltaprop.training.fit is the function there; the module holding it is reached by its path.
fit_module = importlib.import_module("deltaprop.training.fit")


@pytest.mark.parametrize("name", CORE_MODULES)
def test_docstring_examples_run_and_print_what_they_show(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples in {name} fail"


# "name : type, default value" lines of a numpydoc Parameters section.
DEFAULT_LINE = re.compile(r"^([\w, ]+?) : .*?, default (.+)$", re.M)


def _spellings(value) -> set[str]:
    names = {repr(value), str(value), getattr(value, "__name__", "")}
    return {n.strip("'\"") for n in names}


@pytest.mark.parametrize(
    ("documented", "signature_of"),
    [
        (dp.Network, dp.Network.__init__),
        (fit_module.fit, fit_module.fit),
        (optimizers.Optimizer, optimizers.Optimizer.__init__),
    ],
)
def test_documented_defaults_are_the_signatures(documented, signature_of):
    params = inspect.signature(signature_of).parameters
    found = DEFAULT_LINE.findall(inspect.getdoc(documented))
    assert found, "no 'name : type, default value' lines found"
    for names, value in found:
        value = value.strip().strip("`").strip("'\"")
        for name in (n.strip() for n in names.split(",")):
            assert name in params, f"documented parameter {name!r} is not in the signature"
            assert value in _spellings(params[name].default), (
                f"{name}: documented default {value!r}, signature default {params[name].default!r}"
            )


def test_every_exported_name_exists_and_star_import_works():
    for name in dp.__all__:
        assert getattr(dp, name) is not None, name
    namespace: dict = {}
    exec("from deltaprop import *", namespace)
    assert set(dp.__all__) <= set(namespace)
    assert len(dp.__all__) == len(set(dp.__all__))
    assert set(dp.__all__) <= set(dir(dp))


def test_the_callbacks_the_readme_lists_are_all_exported():
    # README's table of callbacks and schedules, ProgressLogger (what verbose=1 adds) included.
    for name in ("EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau", "TerminateOnNaN",
                 "LearningRateScheduler", "StepDecay", "ExponentialDecay", "CosineDecay",
                 "ProgressLogger", "Callback"):  # fmt: skip
        assert name in dp.__all__ and inspect.isclass(getattr(dp, name)), name


def test_unknown_attributes_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Netwrok'"):
        dp.Netwrok  # noqa: B018


def test_reprs_say_what_the_objects_are():
    net = dp.Network([3, 4, 2], activation="relu", output_activation="softmax", cost="log_likelihood", seed=0)
    assert repr(net) == (
        "Network(sizes=[3, 4, 2], activation='relu', output_activation='softmax', "
        "cost='log_likelihood', dtype=float64, params=26)"
    )
    grads = net.backprop(np.zeros((5, 3)), [0, 1, 0, 1, 0])
    assert repr(grads).startswith("Gradients(cost=") and "n_samples=5" in repr(grads)
    assert repr(net.forward(np.zeros((5, 3)))) == "ForwardPass(n_samples=5, sizes=[3, 4, 2])"
    assert repr(dp.activations.get("leaky_relu(0.2)")) == "<activation 'leaky_relu(0.2)'>"
    assert repr(dp.costs.get("nll")) == "<cost 'log_likelihood'>"
    for opt in (dp.SGD(0.3, momentum=0.5, l2=1.0, n_train=10), dp.Adam(0.01), dp.Nesterov()):
        # an optimizer's repr is the call that rebuilds it
        assert repr(eval(repr(opt), {"SGD": dp.SGD, "Adam": dp.Adam})) == repr(opt)


def test_lists_of_lists_are_accepted_where_arrays_are():
    net = dp.Network([2, 3, 2], seed=1)
    X, Y = [[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]]
    np.testing.assert_array_equal(net.predict(X), net.predict(np.array(X)))
    assert net.backprop(X, Y).cost == net.backprop(np.array(X), np.array(Y)).cost
    assert net.predict_classes(X).dtype == np.int64
    twin = dp.Network.from_arrays([w.tolist() for w in net.weights], [b.tolist() for b in net.biases])
    np.testing.assert_array_equal(twin.predict(X), net.predict(X))


# --- behaviour the docstrings promise ----------------------------------------------------


def test_a_negative_leaky_relu_slope_is_refused():
    # prime(a) reads the side of the kink from the sign of a; with α < 0, a > 0 for net < 0 too,
    # and the derivative would silently be 1 where it is α (gradient_check gave 0.6).
    with pytest.raises(ValueError, match=r"slope α must be ≥ 0"):
        activations.LeakyReLU(-0.5)
    with pytest.raises(ValueError, match=r"slope α must be ≥ 0"):
        dp.Network([2, 3, 1], activation="leaky_relu(-0.5)")
    net = dp.Network([2, 3, 1], activation="leaky_relu(0)", output_activation="linear", seed=1)
    rng = np.random.default_rng(0)
    assert dp.gradient_check(net, rng.normal(size=(5, 2)), rng.normal(size=(5, 1)), eps=1e-5) < 1e-6


def test_reference_backprop_takes_labels_and_gives_the_outputs():
    net = dp.Network([2, 3, 3], output_activation="softmax", cost="log_likelihood", seed=0)
    X, labels = np.random.default_rng(0).normal(size=(5, 2)), [0, 1, 2, 0, 1]
    fast, slow = net.backprop(X, labels), reference.backprop(net, X, labels)
    assert slow.cost == pytest.approx(fast.cost, abs=1e-12)
    np.testing.assert_allclose(slow.a, fast.a, rtol=0, atol=1e-12)
    for got, want in zip(slow.weights, fast.weights):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="features per sample"):
        reference.backprop(net, np.zeros((5, 4)), labels)


def test_a_refused_step_changes_nothing():
    net = dp.Network([2, 2], seed=0)
    grads = net.backprop([[1.0, 2.0]], [[0.0, 1.0]])
    before = [w.copy() for w in net.weights]
    opt = dp.SGD(0.1, l2=1.0)  # no n_train: λ/n is undefined
    with pytest.raises(ValueError, match="l2 > 0 needs n_train"):
        opt.step(net, grads)
    assert opt.iterations == 0
    np.testing.assert_array_equal(net.weights[0], before[0])
    opt.n_train = 10
    opt.step(net, grads)
    assert opt.iterations == 1


def test_optimizer_hyperparameters_rebuild_it():
    for opt in (dp.SGD(0.2, momentum=0.5, l2=1.0, n_train=5, update_biases=False), dp.Adam(beta1=0.8)):
        assert repr(type(opt)(**opt.hyperparameters())) == repr(opt)


@pytest.mark.parametrize("optimizer", [dp.SGD, dp.Adam])
def test_the_optimizers_spell_out_the_keywords_of_their_base(optimizer):
    """``help(dp.SGD)`` and an editor show l2, n_train and update_biases (not ``**kwargs``):
    the same names, defaults and hints as Optimizer's, which checks them; and they reach it."""
    keyword_only = inspect.Parameter.KEYWORD_ONLY
    base = [
        p for p in inspect.signature(dp.optimizers.Optimizer).parameters.values() if p.kind is keyword_only
    ]
    own = [p for p in inspect.signature(optimizer).parameters.values() if p.kind is keyword_only]
    assert [p.name for p in base] == ["l2", "n_train", "update_biases"]
    assert [(p.name, p.default, p.annotation) for p in own] == [
        (p.name, p.default, p.annotation) for p in base
    ]
    built = optimizer(0.1, l2=2.0, n_train=7, update_biases=False)
    assert (built.l2, built.n_train, built.update_biases) == (2.0, 7, False)


def test_network_fit_spells_out_the_parameters_of_training_fit():
    """``help(net.fit)`` and an editor show every parameter with its default (not ``**kwargs``),
    the same ones, in the same order, as :func:`deltaprop.training.fit` that it calls."""
    from deltaprop.training import fit

    method = inspect.signature(dp.Network.fit).parameters
    function = inspect.signature(fit).parameters
    assert list(method)[1:] == list(function)[1:]  # self / net
    for name in list(function)[1:]:
        assert method[name].default == function[name].default, name
        assert method[name].kind is not inspect.Parameter.VAR_KEYWORD


def test_network_evaluate_has_the_parameters_of_training_evaluate(monkeypatch):
    """The same parameters, order and defaults as :func:`deltaprop.training.evaluate`, each
    passed through under its own name."""
    import deltaprop.training
    from deltaprop.training import evaluate

    method = inspect.signature(dp.Network.evaluate).parameters
    function = inspect.signature(evaluate).parameters
    assert list(method)[1:] == list(function)[1:]  # self / net
    for name in list(function)[1:]:
        assert method[name].default == function[name].default, name
    sentinels = {name: object() for name in list(method)[1:]}
    seen = {}
    monkeypatch.setattr(
        deltaprop.training, "evaluate", lambda net, *args, **kwargs: seen.update(kwargs, args=args)
    )
    dp.Network([2, 1]).evaluate(**sentinels)
    assert seen["args"] == (sentinels["X"], sentinels["Y"])
    assert all(seen[name] is sentinels[name] for name in ("batch_size", "sample_weight"))
    monkeypatch.undo()
    X, y = dp.datasets.load_digits("test")
    net = dp.Network([64, 10], output_activation="softmax", seed=0)
    assert net.evaluate(X, y, batch_size=7) == pytest.approx(evaluate(net, X, y, batch_size=7), rel=1e-12)


def test_network_fit_passes_each_parameter_through(monkeypatch):
    """Every parameter reaches training.fit under its own name, each given a value of its own
    (a swapped pair would pass the comparison of two runs below, which sets only some)."""
    import deltaprop.training

    names = list(inspect.signature(dp.Network.fit).parameters)[1:]  # not self
    sentinels = {name: object() for name in names}
    seen = {}

    def spy(net, *args, **kwargs):
        seen.update(zip(["X", "Y", "epochs"], args), **kwargs)
        return net

    monkeypatch.setattr(deltaprop.training, "fit", spy)
    net = dp.Network([2, 1])
    assert net.fit(**sentinels) is net
    assert seen.keys() == sentinels.keys()
    assert all(seen[name] is sentinels[name] for name in names)
    monkeypatch.undo()

    X, y = dp.datasets.load_digits("train")
    kwargs = dict(epochs=2, batch_size=50, learning_rate=0.5, validation_split=0.2, shuffle=False, seed=3)
    a, b = dp.Network([64, 10, 10], seed=1), dp.Network([64, 10, 10], seed=1)
    history = a.fit(X, y, **kwargs)
    from deltaprop.training import fit

    expected = fit(b, X, y, **kwargs)
    assert history.history["val_loss"] == expected.history["val_loss"]
    assert len(history.history["loss"]) == 2
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(wa, wb)


@pytest.mark.parametrize(
    ("old", "name", "home"),
    [
        ("deltaprop.training.fit", "Run", "deltaprop.training.run"),
        ("deltaprop.training", "Run", "deltaprop.training.run"),
        ("deltaprop.cli.progress", "fmt_seconds", "deltaprop._text"),  # shared with ProgressLogger
        ("deltaprop.training.callbacks", "EarlyStopping", "deltaprop.training.early_stopping"),
        ("deltaprop.training", "EarlyStopping", "deltaprop.training.early_stopping"),
        ("deltaprop.training.callbacks", "MODES", "deltaprop.training.monitor"),
        ("deltaprop.sklearn", "DeltapropClassifier", "deltaprop._sklearn_classifier"),
        ("deltaprop.sklearn", "DeltapropRegressor", "deltaprop._sklearn_regressor"),
    ],
)
def test_names_that_moved_are_still_imported_where_they_were(old, name, home):
    """fit.py, callbacks.py and sklearn.py were split into smaller modules, and progress.py's
    fmt_seconds moved; the names they had in the last release still import from them."""
    assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(home), name)


# The public names of cli/config.py before it was split by concept (config_tables.py,
# config_origins.py, config_file.py, config_flags.py, config_validate.py).
CONFIG_NAMES = (
    "AUTO BUILTIN_DATA DEFAULT DEFAULTS DEFAULT_HIDDEN DTYPE_NAMES FILE_ONLY_KEYS FLAG FLAG_KEYS "
    "NO_HIDDEN_LAYER OPTIMIZER_NAMES Origins QUOTED REGISTRIES SCALES SCHEDULE_HINT SHA256_HEX_DIGITS "
    "TASKS TYPE_WORDS VALIDATION_WATCHERS bad_value check_tables defaults flag_name from_file given "
    "key_name merge origins_of parse_hidden parse_int_list parse_schedule read_toml spell to_toml "
    "validate validation_watcher"
).split()


def test_the_names_of_the_cli_config_module_still_import_from_it():
    config = importlib.import_module("deltaprop.cli.config")
    assert sorted(config.__all__) == sorted(CONFIG_NAMES)
    for name in CONFIG_NAMES:
        value = getattr(config, name)
        home = getattr(value, "__module__", None)
        if callable(value) and home and home.startswith("deltaprop.cli.config_"):
            assert getattr(importlib.import_module(home), name) is value
