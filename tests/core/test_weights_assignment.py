"""``net.weights[l] = arr``: one layer's array assigned through the list, not the setter.

The training step updates the network's arrays in place (for plain SGD, one BLAS gemm that
writes into ``w``), so what the list stores must be the network's own C-contiguous, writeable
array of its dtype. Assigned as it was given, a transposed view (Nielsen's ``w[j, i]`` layout
converted with ``.T``) or a strided bias was silently never updated by ``fit``, a read-only
array was written through, and a read-only memory map crashed the process. Each case below
assigns such arrays and fits with plain SGD: every weight and bias must move, exactly as in a
twin network that was never touched, and the caller's arrays must be left as they were.
"""

from __future__ import annotations

import copy
import pickle
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import deltaprop as dp

SIZES = [4, 5, 3]
RNG = np.random.default_rng(0)
X = RNG.random((20, 4))
Y = RNG.integers(0, 3, 20)


def make_net(dtype=np.float64) -> dp.Network:
    return dp.Network(SIZES, seed=0, dtype=dtype)


def fit(net: dp.Network) -> dp.Network:
    """Plain SGD (the fused gemm/gemv update), 3 epochs of 4 mini-batches."""
    net.fit(X, Y, 3, batch_size=5, learning_rate=1.0, seed=0)
    return net


def read_only(arr: np.ndarray) -> np.ndarray:
    arr = arr.copy()
    arr.flags.writeable = False
    return arr


# Arrays holding exactly the values given, laid out as the step cannot update in place.
ODD_WEIGHTS = {
    # Nielsen's network.py stores w[j, i]; its transpose is an (n_in, n_out) Fortran-ordered view
    "transposed view (Nielsen's layout .T)": lambda w: np.ascontiguousarray(w.T).T,
    "strided view": lambda w: np.repeat(w, 2, axis=1)[:, ::2],
    "read-only": read_only,
    "float32 (cast to the network's float64)": lambda w: w.astype(np.float32),
}
ODD_BIASES = {
    "strided view (a column of a matrix)": lambda b: np.stack([b, -b], axis=1)[:, 0],
    "reversed view (negative stride)": lambda b: np.ascontiguousarray(b[::-1])[::-1],
    "read-only": read_only,
}


def assert_trained_like_twin(net: dp.Network, start: dp.Network, twin: dp.Network) -> None:
    for kind in ("weights", "biases"):
        for l, (got, before, want) in enumerate(
            zip(getattr(net, kind), getattr(start, kind), getattr(twin, kind))
        ):
            assert np.all(got != before), f"{kind}[{l}]: fit left some values unchanged"
            np.testing.assert_array_equal(got, want, err_msg=f"{kind}[{l}] differs from the twin's")
            assert got.flags.c_contiguous and got.flags.writeable and got.dtype == net.dtype


@pytest.mark.parametrize("odd_w", ODD_WEIGHTS.values(), ids=ODD_WEIGHTS.keys())
@pytest.mark.parametrize("odd_b", ODD_BIASES.values(), ids=ODD_BIASES.keys())
def test_fit_updates_arrays_assigned_item_by_item_like_the_networks_own(odd_w, odd_b):
    start = make_net()
    if odd_w is ODD_WEIGHTS["float32 (cast to the network's float64)"]:
        # the twin starts from the same float32-rounded values, assigned by the setter
        start.weights = [w.astype(np.float32) for w in start.weights]
    net = start.copy()
    given_w = [odd_w(w) for w in start.weights]
    given_b = [odd_b(b) for b in start.biases]
    kept_w = [w.copy() for w in given_w]
    kept_b = [b.copy() for b in given_b]
    for l in range(net.n_layers):
        net.weights[l] = given_w[l]
        net.biases[l] = given_b[l]

    fit(net)

    assert_trained_like_twin(net, start, fit(start.copy()))
    for given, kept in zip(given_w + given_b, kept_w + kept_b):  # the caller's arrays untouched
        np.testing.assert_array_equal(given, kept)


def test_fit_updates_a_read_only_memory_map_assigned_to_every_layer(tmp_path):
    """``np.load(..., mmap_mode="r")`` used to crash the process (SIGSEGV) in fit: run it apart."""
    start = make_net()
    for l in range(start.n_layers):
        np.save(tmp_path / f"w{l}.npy", start.weights[l])
        np.save(tmp_path / f"b{l}.npy", start.biases[l])
    files_before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    script = textwrap.dedent(
        f"""
        import numpy as np, deltaprop as dp
        rng = np.random.default_rng(0)
        X = rng.random((20, 4)); Y = rng.integers(0, 3, 20)
        net = dp.Network({SIZES!r}, seed=1)  # other weights: all of them come from the files
        for l in range(net.n_layers):
            net.weights[l] = np.load(r"{tmp_path}/w%d.npy" % l, mmap_mode="r")
            net.biases[l] = np.load(r"{tmp_path}/b%d.npy" % l, mmap_mode="r")
        net.fit(X, Y, 3, batch_size=5, learning_rate=1.0, seed=0)
        np.savez(r"{tmp_path}/after.npz", *net.weights, *net.biases)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"exit {done.returncode} (-11 is a segfault): {done.stderr[-2000:]}"

    with np.load(tmp_path / "after.npz") as after:
        got = [after[f"arr_{k}"] for k in range(2 * start.n_layers)]
    net = make_net()
    net.weights, net.biases = got[: start.n_layers], got[start.n_layers :]
    assert_trained_like_twin(net, start, fit(start.copy()))
    for name, data in files_before.items():  # the memory-mapped files were not written
        assert (tmp_path / name).read_bytes() == data, name


def test_a_callback_may_assign_transposed_weights_between_epochs():
    """The step re-reads the list every mini-batch: an array assigned mid-run is trained too."""
    nielsen = [np.ascontiguousarray(w.T) for w in make_net().weights]  # w[j, i]

    class Reload(dp.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:
                for l, w in enumerate(nielsen):
                    self.run.network.weights[l] = w.T

    net, twin = make_net(), make_net()
    net.fit(X, Y, 3, batch_size=5, learning_rate=1.0, seed=0, callbacks=[Reload()])

    class ReloadProperly(dp.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:
                self.run.network.weights = [w.T.copy() for w in nielsen]

    twin.fit(X, Y, 3, batch_size=5, learning_rate=1.0, seed=0, callbacks=[ReloadProperly()])
    for got, want in zip(net.weights + net.biases, twin.weights + twin.biases):
        np.testing.assert_array_equal(got, want)
    assert all(np.all(w != n.T) for w, n in zip(net.weights, nielsen))


# --- what the list keeps: identity, in-place writes, copies --------------------------------


def test_the_list_and_the_arrays_stay_the_networks_own():
    net = make_net()
    weights = net.weights
    assert net.weights is weights and net.biases is net.biases  # one list, as coefs_ relies on
    W = np.arange(20.0).reshape(5, 4).T  # a transposed view, (4, 5)
    weights[0] = W
    assert net.weights is weights and net.weights[0] is weights[0]
    W[0, 0] = 99.0  # a copy was stored: the caller's array is not the network's
    assert net.weights[0][0, 0] == 0.0

    before = net.predict(X[:2])
    net.weights[0][1, 2] = 7.0  # element writes go into the network
    assert net.weights[0][1, 2] == 7.0 and not np.array_equal(net.predict(X[:2]), before)

    kept = net.weights[1]
    net.weights[1] -= 0.5  # in place, then stored back: still the same array
    assert net.weights[1] is kept and kept[0, 0] == make_net().weights[1][0, 0] - 0.5


def test_assigned_arrays_take_the_networks_dtype():
    net = make_net(np.float32)
    net.weights[0] = np.ones((4, 5), dtype=np.float64)
    net.biases[1] = np.array([1, 2, 3])  # integers
    assert net.weights[0].dtype == np.float32 and net.biases[1].dtype == np.float32
    np.testing.assert_array_equal(net.biases[1], [1.0, 2.0, 3.0])
    net.weights[1] = [[0.5] * 3] * 5  # nested lists
    assert net.weights[1].shape == (5, 3) and net.weights[1].dtype == np.float32


def test_slice_assignment_checks_every_array_before_storing_any():
    net = make_net()
    nielsen = [np.ascontiguousarray(w.T) for w in net.weights]
    net.weights[:] = [w.T for w in nielsen]
    assert all(w.flags.c_contiguous for w in net.weights)
    kept = [w.copy() for w in net.weights]
    with pytest.raises(ValueError, match=re.escape("weights[1] has shape (3, 5); expected (5, 3)")):
        net.weights[:] = [np.zeros((4, 5)), nielsen[1]]
    for got, want in zip(net.weights, kept):  # weights[0] was not set either
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match=r"would change the number of layers; give exactly 2"):
        net.weights[:] = [np.zeros((4, 5))]
    assert len(net.weights) == 2


# --- what it refuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "index", "value", "error", "pattern"),
    [
        (
            "weights",
            1,
            np.ones((3, 5)),
            ValueError,
            r"weights\[1\] has shape \(3, 5\); expected \(5, 3\).*transposed shape.*weights\[1\] = w\.T",
        ),
        ("weights", -1, np.ones((5, 4)), ValueError, r"weights\[1\] has shape \(5, 4\); expected \(5, 3\)"),
        ("biases", 0, np.ones((5, 1)), ValueError, r"biases\[0\] has shape \(5, 1\); expected \(5,\)"),
        (
            "weights",
            0,
            np.full((4, 5), "a"),
            TypeError,
            r"weights\[0\] must hold real numbers; got dtype 'str",
        ),
        ("biases", 1, np.ones(3, dtype=complex), TypeError, r"biases\[1\] must hold real numbers"),
        (
            "biases",
            1,
            [1.0, np.nan, 0.0],
            ValueError,
            r"biases\[1\] contains NaN or infinity \(first: biases\[1\]\[1\] = nan\); every bias must",
        ),
        (
            "weights",
            0,
            [[1.0] * 5] * 3 + [[1.0]],
            ValueError,
            r"weights\[0\] could not be read.*lengths \[5, 5, 5, 1\]",
        ),
        ("weights", 2, np.ones((5, 3)), IndexError, r"weights\[2\] does not exist: the network has 2 layers"),
        ("biases", "0", np.ones(5), TypeError, r"biases indices must be integers or slices, not str"),
    ],
)
def test_a_bad_item_names_the_parameter_and_changes_nothing(kind, index, value, error, pattern):
    net = make_net()
    kept = [p.copy() for p in net.weights + net.biases]
    with pytest.raises(error, match=pattern):
        getattr(net, kind)[index] = value
    for got, want in zip(net.weights + net.biases, kept, strict=True):
        np.testing.assert_array_equal(got, want)


def test_a_float64_value_beyond_float32_is_refused_by_a_float32_network():
    net = make_net(np.float32)
    W = np.zeros((5, 3))
    W[2, 1] = -1e39
    with pytest.raises(ValueError, match=r"weights\[1\] holds -1e\+39 .*row 2, column 1.*float32") as err:
        net.weights[1] = W
    assert "float64" in str(err.value) and np.isfinite(net.weights[1]).all()


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.append(np.ones((3, 2))),
        lambda p: p.extend([np.ones((3, 2))]),
        lambda p: p.insert(0, np.ones((2, 4))),
        lambda p: p.pop(),
        lambda p: p.remove(p[0]),
        lambda p: p.clear(),
        lambda p: p.reverse(),
        lambda p: p.sort(key=id),
        lambda p: p.__delitem__(0),
        lambda p: p.__iadd__([np.ones((3, 2))]),
        lambda p: p.__imul__(2),
    ],
    ids=["append", "extend", "insert", "pop", "remove", "clear", "reverse", "sort", "del", "+=", "*="],
)
@pytest.mark.parametrize("kind", ["weights", "biases"])
def test_the_number_and_order_of_layers_cannot_change_through_the_list(change, kind):
    net = make_net()
    params = getattr(net, kind)
    kept = list(params)
    with pytest.raises(TypeError, match=rf"net\.{kind} holds one array per layer of weights \(2\)"):
        change(params)
    assert len(params) == 2 and all(p is q for p, q in zip(params, kept))
    assert net.sizes == SIZES


def test_fit_refuses_an_array_made_read_only_after_it_was_stored():
    net = make_net()
    net.biases[1].flags.writeable = False
    kept = [p.copy() for p in net.weights + net.biases]
    with pytest.raises(
        ValueError, match=r"biases\[1\] is read-only.*net\.biases\[1\] = net\.biases\[1\]\.copy"
    ):
        fit(net)
    for got, want in zip(net.weights + net.biases, kept):
        np.testing.assert_array_equal(got, want)
    net.biases[1] = net.biases[1].copy()
    fit(net)  # now it trains


# --- every way a network is made hands out the checked list ---------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda net, tmp: net.copy(),
        lambda net, tmp: copy.deepcopy(net),
        lambda net, tmp: pickle.loads(pickle.dumps(net)),
        lambda net, tmp: dp.load(dp.save(net, tmp / "net.safetensors")),
        lambda net, tmp: dp.Network.from_arrays(net.weights, net.biases),
    ],
    ids=["copy", "deepcopy", "pickle", "save-load", "from_arrays"],
)
def test_copies_and_loaded_networks_check_item_assignment_too(make, tmp_path):
    net = make_net()
    twin = make(net, tmp_path)
    nielsen = [np.ascontiguousarray(w.T) for w in net.weights]
    for l in range(twin.n_layers):
        twin.weights[l] = nielsen[l].T
    assert all(w.flags.c_contiguous and w.flags.writeable for w in twin.weights)
    with pytest.raises(TypeError, match="cannot grow, shrink or be reordered"):
        twin.weights.append(nielsen[0])
    assert_trained_like_twin(fit(twin), net, fit(net.copy()))


def test_sklearn_coefs_are_the_networks_checked_list():
    pytest.importorskip("sklearn")
    from deltaprop.sklearn import DeltapropClassifier

    clf = DeltapropClassifier(hidden_layer_sizes=(5,), epochs=2, random_state=0).fit(X, Y)
    assert clf.coefs_ is clf.network_.weights and clf.intercepts_ is clf.network_.biases
    clf.coefs_[0] = np.ascontiguousarray(clf.coefs_[0].T).T
    assert clf.network_.weights[0].flags.c_contiguous
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(3, 5\); expected \(5, 3\)"):
        clf.coefs_[1] = np.ones((3, 5))
