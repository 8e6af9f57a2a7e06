"""Model files meeting code and tools outside deltaprop: the user's own activations and costs, which
a file cannot hold; metadata other safetensors tools write; strict JSON for other readers; and a
PyTorch state dict, which is not a deltaprop model but can become one."""

from __future__ import annotations

import json

import numpy as np
import pytest
import safetensors.numpy
from sklearn.datasets import load_iris

import deltaprop as dp
from deltaprop import activations, costs, files
from deltaprop.errors import ModelFileError

X = load_iris().data[::10]  # (15, 4): real inputs for the predictions compared below


class Swish(activations.Activation):
    """An activation deltaprop does not know: no name in a file can rebuild it."""

    name = "swish"

    def forward(self, net, out=None):
        return net / (1 + np.exp(-net))

    def prime(self, a, out=None):
        return np.ones_like(a)


class DoubledTanh(activations.Tanh):
    """A subclass keeping its parent's name: a file would rebuild it as the plain Tanh."""

    def forward(self, net, out=None):
        return 2 * np.tanh(net)


class Huber(costs.Quadratic):
    name = "huber"


class QuietQuadratic(costs.Quadratic):
    """A subclass keeping the name 'quadratic'."""

    def per_sample(self, a, y):
        return 0.5 * super().per_sample(a, y)


# --- a file names its functions; it cannot hold the user's ----------------------------------

REFUSED = [
    (dict(activation=Swish()), r"activations\[0\] \(layer 1\), a Swish named 'swish'", "no such function"),
    (
        dict(activation=["relu", DoubledTanh()], output_activation=DoubledTanh()),
        r"activations\[1\] \(layer 2\), a DoubledTanh named 'tanh'",
        "rebuild it from 'tanh' as deltaprop's Tanh",
    ),
    (dict(cost=Huber()), "cost, a Huber named 'huber'", "no such function"),
    (dict(cost=QuietQuadratic()), "cost, a QuietQuadratic named 'quadratic'", "as deltaprop's Quadratic"),
]


@pytest.mark.parametrize("save", ["model", "checkpoint"])
@pytest.mark.parametrize("kwargs, what, why", REFUSED)
def test_an_activation_or_cost_a_file_cannot_rebuild_is_refused_before_writing(
    tmp_path, save, kwargs, what, why
):
    # Before, save wrote these: Swish's file failed to load ("unknown activation"), and
    # DoubledTanh's loaded as a plain tanh network predicting other numbers.
    net = dp.Network([4, 3, 3, 2], seed=0, **kwargs)
    path = tmp_path / "m.safetensors"
    with pytest.raises(ValueError, match=what) as caught:
        if save == "model":
            files.save(net, path)
        else:
            files.save_checkpoint(path, net)
    message = str(caught.value)
    assert why in message
    assert "a model file names its functions, it does not hold code" in message
    assert "net.weights and net.biases" in message and "Network.from_arrays(weights, biases, " in message
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_the_way_the_refusal_advises_keeps_the_users_activation(tmp_path):
    # What the message says to do: store the arrays, rebuild with Network.from_arrays.
    net = dp.Network([4, 3, 2], activation=DoubledTanh(), output_activation="linear", seed=0)
    path = tmp_path / "arrays.safetensors"
    safetensors.numpy.save_file({f"w{l}": w for l, w in enumerate(net.weights)}, path)
    stored = safetensors.numpy.load_file(path)
    back = dp.Network.from_arrays(
        [stored[f"w{l}"] for l in range(2)], net.biases, activation=DoubledTanh(), output_activation="linear"
    )
    assert np.array_equal(back.predict(X), net.predict(X))


@pytest.mark.parametrize("slope", [0.01, 0.3, 1 / 3])
def test_built_in_activations_with_their_parameters_still_save(tmp_path, slope):
    sigma = activations.LeakyReLU(0.5)
    sigma.slope = slope  # changed after construction: the spec follows it, so the file does too
    net = dp.Network(
        [4, 3, 2], activation=sigma, output_activation="softmax", cost=costs.LogLikelihood(), seed=0
    )
    back = files.load(files.save(net, tmp_path / "m.safetensors"))
    assert back.activations[0].slope == slope
    assert np.array_equal(back.predict(X), net.predict(X))


def test_a_class_the_user_registers_round_trips(tmp_path, monkeypatch):
    # "The registry's class for that name": one registered under its name is rebuilt exactly.
    monkeypatch.setitem(activations.ACTIVATIONS, "swish", Swish)
    net = dp.Network([4, 3, 2], activation=Swish(), output_activation="linear", seed=0)
    back = files.load(files.save(net, tmp_path / "m.safetensors"))
    assert type(back.activations[0]) is Swish
    assert np.array_equal(back.predict(X), net.predict(X))


# --- user metadata: plain strings read, NaN refused -------------------------------------------


def test_a_plain_string_user_entry_reads_as_that_string(tmp_path):
    # Other safetensors tools write plain strings; load always accepted them, the readers did not.
    net = dp.Network([4, 3, 2], seed=0)
    path = files.save(net, tmp_path / "m.safetensors", metadata={"epochs": 3, "name": "iris"})
    with safetensors.safe_open(path, "np") as f:
        meta = f.metadata()
    meta["user.note"] = "trained on iris, {not JSON}"
    safetensors.numpy.save_file(safetensors.numpy.load_file(path), path, metadata=meta)
    user = {"epochs": 3, "name": "iris", "note": "trained on iris, {not JSON}"}
    assert files.read_metadata(path)["user"] == user
    loaded, metadata = files.load_with_metadata(path)
    assert metadata["user"] == user
    assert np.array_equal(loaded.predict(X), files.load(path).predict(X))


@pytest.mark.parametrize(
    "value, shown",
    [
        (float("nan"), "(nan)"),
        (float("inf"), "(inf)"),
        (-np.inf, "(-inf)"),
        (np.float32("nan"), "nan"),
        ({"val_loss": [0.5, float("nan")]}, "'val_loss': [0.5, nan]"),
        (np.array([1.0, np.inf]), "inf"),
    ],
)
def test_nan_in_user_metadata_is_refused_naming_the_key(tmp_path, value, shown):
    # Before, it was written as a bare NaN, which JSON has not: strict readers refuse the file.
    path = tmp_path / "m.safetensors"
    with pytest.raises(ValueError, match=r"metadata\['loss'\] holds NaN or ±infinity") as caught:
        files.save(dp.Network([4, 3, 2], seed=0), path, metadata={"loss": value, "epochs": 3})
    assert shown in str(caught.value) and "store it as None or as a string" in str(caught.value)
    assert not path.exists()


def test_the_header_is_strict_json(tmp_path):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    path = files.save(
        dp.Network([4, 3, 2], seed=0), tmp_path / "m.safetensors", metadata={"x": [1e308, None]}
    )
    raw = path.read_bytes()
    header = json.loads(raw[8 : 8 + int.from_bytes(raw[:8], "little")], parse_constant=refuse)
    assert json.loads(header["__metadata__"]["user.x"], parse_constant=refuse) == [1e308, None]


# --- a PyTorch state dict: the way in ----------------------------------------------------------


def test_a_pytorch_state_dict_is_refused_with_the_way_to_build_a_network_from_it(tmp_path):
    torch = pytest.importorskip("torch")
    import safetensors.torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3), torch.nn.Softmax(dim=1)
    ).double()
    path = tmp_path / "model.safetensors"
    safetensors.torch.save_file(model.state_dict(), path)
    with pytest.raises(ModelFileError, match="not a deltaprop model") as caught:
        dp.load(path)
    message = str(caught.value)
    assert "PyTorch Linear layers ('0.weight' (5, 4), '2.weight' (3, 5))" in message
    recipe = "[state[k].T for k in ['0.weight', '2.weight']], [state[k] for k in ['0.bias', '2.bias']]"
    assert f"Network.from_arrays({recipe}" in message
    assert (
        "each weight transposed (.T): PyTorch stores it as (n_out, n_in), deltaprop as (n_in, n_out)"
        in message
    )

    # Following it gives the PyTorch model's predictions.
    state = safetensors.numpy.load_file(path)
    net = dp.Network.from_arrays(
        [state[k].T for k in ["0.weight", "2.weight"]],
        [state[k] for k in ["0.bias", "2.bias"]],
        activation="tanh",
        output_activation="softmax",
    )
    with torch.no_grad():
        expected = model(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(net.predict(X), expected, rtol=1e-12, atol=1e-15)


def test_other_foreign_files_get_no_pytorch_recipe(tmp_path):
    path = tmp_path / "bert.safetensors"
    safetensors.numpy.save_file({"embeddings.weight": np.zeros((3, 4), np.float32), "pos": np.zeros(3)}, path)
    with pytest.raises(ModelFileError, match=r"PyTorch or another library\?\)$"):
        dp.load(path)


@pytest.mark.parametrize("reader", [dp.load, dp.files.read_metadata, dp.files.load_checkpoint])
@pytest.mark.parametrize("path", [None, 3, ["m.safetensors"]])
def test_a_path_that_is_no_path_is_named_as_the_argument(reader, path):
    """dp.load(None) raised os.fspath's bare 'expected str, bytes or os.PathLike object'."""
    with pytest.raises(TypeError, match=r"^path must be a file or folder path \(str or os\.PathLike\); got "):
        reader(path)
