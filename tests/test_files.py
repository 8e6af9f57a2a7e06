"""Model files and checkpoints: round trips, every refusal with its message, fuzzing, atomicity."""

from __future__ import annotations

import json
import os
import struct
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deltaprop as dp
from deltaprop import files, optimizers
from deltaprop.errors import ModelFileError
from deltaprop.files import container

RNG = np.random.default_rng(20261127)
X5 = RNG.normal(size=(7, 5))


def _net(dtype=np.float64, **kwargs):
    kwargs.setdefault("seed", 3)
    return dp.Network([5, 4, 3], dtype=dtype, **kwargs)


def _save(tmp_path, net=None, name="model.safetensors", **kwargs) -> Path:
    path = tmp_path / name
    files.save(net if net is not None else _net(), path, **kwargs)
    return path


def _split(path: Path) -> tuple[dict, bytes]:
    """A safetensors file's JSON header (as a dict) and its data bytes."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8 : 8 + n]), raw[8 + n :]


def _join(header: dict | str | bytes, data: bytes, n_header: int | None = None) -> bytes:
    """Bytes of a safetensors file with this header and data; ``n_header`` may lie."""
    if isinstance(header, dict):
        header = json.dumps(header)
    if isinstance(header, str):
        header = header.encode()
    n = len(header) if n_header is None else n_header
    return struct.pack("<Q", n) + header + data


def _write(tmp_path, content: bytes, name="hostile.safetensors") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


# --- round trips -------------------------------------------------------------------------

ARCHITECTURES = [
    dict(activation="logistic", cost="quadratic"),
    dict(activation="logistic", cost="cross_entropy"),
    dict(activation="tanh", output_activation="softmax", cost="log_likelihood"),
    dict(activation=["relu", "linear"], cost="quadratic"),
    dict(activation=["leaky_relu", "softmax"], cost="log_likelihood", init="he_normal"),
    dict(activation=["leaky_relu(0.2)", "linear"], cost="quadratic"),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_round_trip_gives_bit_identical_predictions(tmp_path, dtype, arch):
    net = _net(dtype, **arch)
    path = _save(tmp_path, net)
    back = files.load(path)
    assert back.config() == net.config()
    assert back.dtype == np.dtype(dtype)
    for w, w2, b, b2 in zip(net.weights, back.weights, net.biases, back.biases):
        assert w.dtype == w2.dtype and np.array_equal(w, w2)
        assert np.array_equal(b, b2)
    assert np.array_equal(net.predict(X5), back.predict(X5))  # bit for bit


def test_a_leaky_relu_slope_survives_save_and_load(tmp_path):
    # The slope α is part of σ: a model saved with α = 0.2 must not come back with the default
    # 0.01 (its hidden outputs for negative net would be 20 × smaller).
    net = dp.Network([5, 4, 3], activation=[dp.activations.LeakyReLU(0.2), "logistic"], seed=0)
    back = files.load(_save(tmp_path, net))
    assert back.activations[0].slope == 0.2
    assert back.config()["activations"] == ["leaky_relu(0.2)", "logistic"]
    assert np.array_equal(net.predict(X5), back.predict(X5))


def test_load_with_metadata_is_load_and_read_metadata_in_one_read(tmp_path):
    path = _save(tmp_path, metadata={"classes": ["cat", "dog", "eel"], "epochs": 3})
    net, meta = files.load_with_metadata(path)
    alone = files.load(path)
    assert net.config() == alone.config()
    assert all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases, alone.weights + alone.biases))
    assert meta == files.read_metadata(path)
    assert meta["user"] == {"classes": ["cat", "dog", "eel"], "epochs": 3}


def test_load_returns_an_independent_network(tmp_path):
    path = _save(tmp_path)
    back = files.load(path)
    back.weights[0][0, 0] = 123.0
    assert files.load(path).weights[0][0, 0] != 123.0


def test_package_exports_save_and_load(tmp_path):
    path = tmp_path / "m.safetensors"
    net = _net()
    dp.save(net, path)
    assert np.array_equal(dp.load(path).predict(X5), net.predict(X5))


def test_a_run_folder_loads_as_its_model_else_its_checkpoint(tmp_path):
    """``dp.load("runs/moons")`` reads the folder's model, as every command takes the folder
    (it raised a bare IsADirectoryError); a run stopped before its end has only the
    checkpoint, which load then reads, and load_checkpoint always reads the checkpoint."""
    run = tmp_path / "runs" / "moons"
    run.mkdir(parents=True)
    at_checkpoint, finished = _net(seed=4), _net(seed=5)
    files.save_checkpoint(run / "checkpoint.safetensors", at_checkpoint, dp.SGD(0.1), {"epoch": 1})
    assert np.array_equal(dp.load(run).predict(X5), at_checkpoint.predict(X5))
    dp.save(finished, run / "model.safetensors")
    for path in (run, str(run)):
        assert np.array_equal(dp.load(path).predict(X5), finished.predict(X5))
    net, meta = files.load_with_metadata(run)
    assert np.array_equal(net.predict(X5), finished.predict(X5)) and meta["kind"] == "model"
    assert files.read_metadata(run)["kind"] == "model"
    net, optimizer, state = files.load_checkpoint(run)
    assert np.array_equal(net.predict(X5), at_checkpoint.predict(X5)) and state["epoch"] == 1


def test_a_folder_without_a_model_names_the_files_it_looked_for(tmp_path):
    (tmp_path / "notes.txt").write_text("no model here")
    looked_for = r"is a directory holding no model\.safetensors or checkpoint\.safetensors"
    with pytest.raises(IsADirectoryError, match=looked_for):
        dp.load(tmp_path)
    dp.save(_net(), tmp_path / "model.safetensors")
    with pytest.raises(IsADirectoryError, match=r"no checkpoint\.safetensors; give a checkpoint file"):
        files.load_checkpoint(tmp_path)  # a model is no checkpoint


def test_metadata_is_stored_in_the_header(tmp_path):
    net = _net(np.float32, activation=["tanh", "softmax"], cost="log_likelihood")
    path = _save(tmp_path, net, metadata={"dataset": "digits", "epochs": 3, "acc": 0.97, "tags": ["a", 1]})
    header, _ = _split(path)
    meta = header["__metadata__"]
    assert meta["deltaprop.format"] == "1"
    assert meta["deltaprop.kind"] == "model"
    assert meta["deltaprop.version"] == dp.__version__
    assert json.loads(meta["deltaprop.sizes"]) == [5, 4, 3]
    assert json.loads(meta["deltaprop.activations"]) == ["tanh", "softmax"]
    assert meta["deltaprop.cost"] == "log_likelihood"
    assert meta["deltaprop.init"] == "normal"
    assert meta["deltaprop.dtype"] == "float32"
    assert json.loads(meta["user.epochs"]) == 3
    assert {k: v["shape"] for k, v in header.items() if k != "__metadata__"} == {
        "w0": [5, 4],
        "b0": [4],
        "w1": [4, 3],
        "b1": [3],
    }
    assert header["w0"]["dtype"] == "F32"

    info = files.read_metadata(path)
    assert info["user"] == {"dataset": "digits", "epochs": 3, "acc": 0.97, "tags": ["a", 1]}
    assert info["sizes"] == [5, 4, 3] and info["format"] == 1 and info["kind"] == "model"


def test_any_safetensors_reader_can_read_the_weights(tmp_path):
    net = _net()
    tensors = safetensors.numpy.load_file(_save(tmp_path, net))
    assert np.array_equal(tensors["w1"], net.weights[1])


def test_from_arrays_network_keeps_init_given(tmp_path):
    net = dp.Network.from_arrays([np.ones((2, 1))], [np.zeros(1)], activation="linear")
    back = files.load(_save(tmp_path, net))
    assert back.init == "given" and back.activation_names == ["linear"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    hidden=st.sampled_from(["logistic", "tanh", "relu", "leaky_relu", "linear"]),
    output=st.sampled_from(["logistic", "linear", "softmax"]),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_save_then_load_is_identity(sizes, hidden, output, dtype, seed):
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)  # a softmax over one neuron is refused (always 1)
    net = dp.Network(sizes, activation=hidden, output_activation=output, seed=seed, dtype=dtype)
    X = np.random.default_rng(seed).normal(size=(4, sizes[0]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.safetensors"
        files.save(net, path)
        back = files.load(path)
    assert back.config() == net.config()
    assert all(np.array_equal(a, b) for a, b in zip(net.weights + net.biases, back.weights + back.biases))
    assert np.array_equal(net.predict(X), back.predict(X))


# --- refusing to write -------------------------------------------------------------------


def test_save_refuses_non_finite_weights_naming_the_layer(tmp_path):
    net = _net()
    net._w[1][0, 0] = np.nan  # what a diverged run leaves (the setter would refuse it)
    with pytest.raises(ValueError, match=r"weights\[1\] \(layer 2\) holds NaN or infinity.*allow_nonfinite"):
        files.save(net, tmp_path / "m.safetensors")
    assert not list(tmp_path.iterdir())

    net._w[1][0, 0] = 0.0
    net._b[0][2] = np.inf
    with pytest.raises(ValueError, match=r"biases\[0\] \(layer 1\)"):
        files.save(net, tmp_path / "m.safetensors")


def test_non_finite_weights_round_trip_only_when_forced(tmp_path):
    net = _net()
    net._w[0][1, 2] = np.inf
    path = tmp_path / "m.safetensors"
    files.save(net, path, allow_nonfinite=True)
    with pytest.raises(ModelFileError, match=r"weights\[0\] \(layer 1\) holds NaN or infinity"):
        files.load(path)
    back = files.load(path, allow_nonfinite=True)
    assert back.weights[0][1, 2] == np.inf
    assert np.array_equal(back.weights[1], net.weights[1])


@pytest.mark.parametrize(
    "metadata, error, message",
    [
        ({"x": object()}, TypeError, r"metadata\['x'\] must be JSON-serialisable"),
        ({1: "a"}, TypeError, "metadata keys must be strings; got 1"),
        (["a"], TypeError, "metadata must be a dict; got list"),
    ],
)
def test_save_refuses_bad_metadata(tmp_path, metadata, error, message):
    with pytest.raises(error, match=message):
        files.save(_net(), tmp_path / "m.safetensors", metadata=metadata)


def test_save_refuses_what_is_not_a_network(tmp_path):
    with pytest.raises(TypeError, match=r"net must be a deltaprop Network; got \{.w0.: 1\} of type dict"):
        files.save({"w0": 1}, tmp_path / "m.safetensors")


# --- every refusal to read, with its message ---------------------------------------------


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.safetensors"):
        files.load(tmp_path / "nope.safetensors")


def _mutated(tmp_path, change, net=None) -> Path:
    """A valid model file whose header dict ``change`` edits in place."""
    header, data = _split(_save(tmp_path, net, name="valid.safetensors"))
    change(header)
    return _write(tmp_path, _join(header, data))


def _drop(header, name):
    del header[name]


def _set(mapping, key, value):
    mapping[key] = value


def _meta(key, value):
    return lambda h: _set(h["__metadata__"], key, value)


def _entry(name, key, value):
    return lambda h: _set(h[name], key, value)


def _swap_offsets(h):
    h["w0"]["data_offsets"], h["b0"]["data_offsets"] = h["b0"]["data_offsets"], h["w0"]["data_offsets"]


HEADER_CASES = {
    "overlapping tensors": (
        _entry("b1", "data_offsets", [0, 24]),
        r"tensor '\w+' overlaps the tensor before it",
    ),
    "offsets out of range": (_entry("b1", "data_offsets", [10**6, 10**6 + 24]), r"outside the \d+ bytes"),
    "offsets reversed": (_entry("b1", "data_offsets", [24, 0]), r"data_offsets \[24, 0\], outside"),
    "offsets not a pair": (_entry("b1", "data_offsets", [0]), r"data_offsets \[0\]; expected \[begin, end\]"),
    "size mismatch": (_entry("b1", "shape", [4]), r"tensor 'b1' of shape \[4\] and dtype F64 needs 32 bytes"),
    "negative shape": (_entry("b1", "shape", [-3]), r"shape \[-3\]: every dimension must be between 0"),
    "huge shape": (_entry("w0", "shape", [2**62, 2**62]), r"every dimension must be between 0"),
    "float shape": (_entry("b1", "shape", [3.0]), r"shape \[3.0\]; expected a list of integers"),
    "too many dimensions": (_entry("b1", "shape", [1] * 40), "has 40 dimensions; at most 32"),
    "unknown dtype": (_entry("b1", "dtype", "Q99"), r"tensor 'b1' has dtype 'Q99'; expected one of"),
    "dtype not a string": (
        _entry("b1", "dtype", ["F64"]),
        r"tensor 'b1' has dtype \['F64'\]; expected one of",
    ),
    "entry with extra field": (
        _entry("b1", "offset", 0),
        "must be described by dtype, shape and data_offsets",
    ),
    "unknown activation": (
        _meta("deltaprop.activations", '["logistic", "swish"]'),
        "unknown activation 'swish'",
    ),
    "activation parameter not a number": (
        _meta("deltaprop.activations", '["leaky_relu(steep)", "logistic"]'),
        r"activation 'leaky_relu\(steep\)': the slope in parentheses must be a number",
    ),
    "activation that takes no parameter": (
        _meta("deltaprop.activations", '["relu(0.2)", "logistic"]'),
        r"activation 'relu' takes no parameter",
    ),
    "softmax on a hidden layer": (
        _meta("deltaprop.activations", '["softmax", "logistic"]'),
        "stored architecture is invalid.*output layer only",
    ),
    "too few activations": (_meta("deltaprop.activations", '["logistic"]'), "expected 2 names"),
    "unknown cost": (_meta("deltaprop.cost", "hinge"), r"unknown cost 'hinge'; this deltaprop knows"),
    "unknown dtype name": (_meta("deltaprop.dtype", "float16"), "metadata dtype is 'float16'"),
    "sizes not JSON": (_meta("deltaprop.sizes", "[5, 4"), "metadata 'sizes' is not valid JSON"),
    "sizes not positive": (_meta("deltaprop.sizes", "[5, 0, 3]"), "expected a list of at least 2 positive"),
    "sizes that disagree": (
        _meta("deltaprop.sizes", "[5, 4, 2]"),
        r"tensor 'w1' has shape \(4, 3\); sizes \[5, 4, 2\] need \(4, 2\)",
    ),
    "missing format version": (
        lambda h: _drop(h["__metadata__"], "deltaprop.format"),
        "no 'deltaprop.format' version entry",
    ),
    "newer format version": (
        _meta("deltaprop.format", "2"),
        r"format 2, newer than the format 1 this deltaprop .* reads; upgrade deltaprop",
    ),
    "format version not a number": (
        _meta("deltaprop.format", "one"),
        "'deltaprop.format' is 'one'; expected",
    ),
    "format version zero": (_meta("deltaprop.format", "0"), "'deltaprop.format' is '0'"),
    "missing cost": (lambda h: _drop(h["__metadata__"], "deltaprop.cost"), "lacks 'deltaprop.cost'"),
    "metadata not strings": (_meta("deltaprop.cost", 3), "__metadata__ must map strings to strings"),
}


@pytest.mark.parametrize("case", sorted(HEADER_CASES))
def test_corrupted_header_gives_model_file_error(tmp_path, case):
    change, message = HEADER_CASES[case]
    path = _mutated(tmp_path, change)
    with pytest.raises(ModelFileError, match=message) as info:
        files.load(path)
    assert str(path) in str(info.value)


def _retensored(tmp_path, change) -> Path:
    """A valid model file rewritten by safetensors itself after ``change`` edits its tensor dict."""
    path = _save(tmp_path, name="valid.safetensors")
    header, _ = _split(path)
    tensors = safetensors.numpy.load_file(path)
    change(tensors)
    return _write(tmp_path, safetensors.numpy.save(tensors, metadata=header["__metadata__"]))


TENSOR_CASES = {
    "missing tensor": (lambda t: _drop(t, "b1"), r"missing tensors \['b1'\] for sizes \[5, 4, 3\]"),
    "extra tensor": (lambda t: _set(t, "w2", np.zeros((3, 3))), r"unexpected tensors \['w2'\] in a 2-layer"),
    "integer weights": (
        lambda t: _set(t, "b1", np.zeros(3, np.int64)),
        r"tensor 'b1' has dtype int64; the model is float64",
    ),
    "mixed float dtypes": (
        lambda t: _set(t, "w0", t["w0"].astype(np.float32)),
        r"tensor 'w0' has dtype float32; the model is float64",
    ),
    "shapes that do not chain": (
        lambda t: _set(t, "w1", np.zeros((3, 4))),
        r"tensor 'w1' has shape \(3, 4\); sizes \[5, 4, 3\] need \(4, 3\) \(the layers must chain\)",
    ),
}


@pytest.mark.parametrize("case", sorted(TENSOR_CASES))
def test_wrong_tensors_give_model_file_error(tmp_path, case):
    change, message = TENSOR_CASES[case]
    path = _retensored(tmp_path, change)
    with pytest.raises(ModelFileError, match=message) as info:
        files.load(path)
    assert str(path) in str(info.value)


def test_swapped_offsets_are_only_a_shape_error(tmp_path):
    # w0 (5×4 float64 = 160 bytes) and b0 (4 floats = 32 bytes) trading byte ranges.
    path = _mutated(tmp_path, _swap_offsets)
    with pytest.raises(ModelFileError, match=r"tensor '(w0|b0)' of shape .* needs \d+ bytes"):
        files.load(path)


def test_duplicate_tensor_names_are_refused(tmp_path):
    header, data = _split(_save(tmp_path))
    text = json.dumps(header)
    # Name b1 twice: a JSON object with a repeated key, which json.loads would silently collapse.
    text = text[:-1] + ', "b1": ' + json.dumps(header["b1"]) + "}"
    path = _write(tmp_path, _join(text, data))
    with pytest.raises(ModelFileError, match="the header names 'b1' twice"):
        files.load(path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "holds 0 bytes, fewer than the 8-byte header length"),
        (b"\x01\x02\x03", "holds 3 bytes"),
        (b"This is a text file, not a model at all.\n", "claim a header of \\d+ bytes but only 33"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "not a safetensors file, or truncated"),
        (struct.pack("<Q", 2**64 - 1) + b"{}", "claim a header of 18446744073709551615 bytes but only 2"),
        (_join("[1, 2, 3]", b""), "does not start with '{'"),
        (_join('{"w0": ', b""), "the header is not valid JSON"),
        (_join(b"{\xff\xfe}", b""), "the header is not valid JSON"),
        (_join('{"__metadata__": {"a": "b"}}', b"\x00" * 8), "cover 0 bytes of data but the file holds 8"),
        (_join("{" * 100_000, b""), "the header is not valid JSON"),
        (_join('{"a": 1' + "0" * 5000 + "}", b""), "the header is not valid JSON"),
        (_join('{"x": 1}', b""), "tensor 'x' must be described by dtype, shape and data_offsets"),
    ],
)
def test_files_that_are_not_safetensors_are_refused(tmp_path, content, message):
    with pytest.raises(ModelFileError, match=message):
        files.load(_write(tmp_path, content))


def test_truncated_file_is_refused(tmp_path):
    raw = _save(tmp_path).read_bytes()
    path = _write(tmp_path, raw[:-10])
    with pytest.raises(ModelFileError, match=r"outside the \d+ bytes of data the file holds \(truncated\?\)"):
        files.load(path)


def test_foreign_safetensors_file_is_refused(tmp_path):
    # What a PyTorch state_dict saved with safetensors looks like: tensor names and no deltaprop metadata.
    tensors = {"fc1.weight": np.zeros((4, 5), np.float32), "fc1.bias": np.zeros(4, np.float32)}
    path = tmp_path / "pytorch_model.safetensors"
    safetensors.numpy.save_file(tensors, path, metadata={"format": "pt"})
    with pytest.raises(ModelFileError, match="a safetensors file, but not a deltaprop model.*PyTorch"):
        files.load(path)


def test_model_file_is_not_a_checkpoint(tmp_path):
    with pytest.raises(ModelFileError, match="is a model file, not a checkpoint.*deltaprop.load"):
        files.load_checkpoint(_save(tmp_path))


def test_model_file_error_is_a_value_error():
    assert issubclass(ModelFileError, ValueError)


# --- fuzzing -----------------------------------------------------------------------------


def _valid_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.safetensors"
        files.save(dp.Network([3, 2, 2], seed=0), path)
        return path.read_bytes()


VALID = _valid_bytes()


_SCRATCH = tempfile.TemporaryDirectory(prefix="deltaprop-fuzz-")  # one folder for every fuzz case


def _load_bytes(content: bytes):
    """Load ``content``; the only exception allowed is ModelFileError."""
    path = Path(_SCRATCH.name) / "fuzz.safetensors"
    path.write_bytes(content)
    try:
        return files.load(path)
    except ModelFileError:
        return None


def test_every_truncation_is_refused():
    path = Path(_SCRATCH.name) / "cut.safetensors"
    for cut in range(len(VALID)):
        path.write_bytes(VALID[:cut])
        with pytest.raises(ModelFileError):
            files.load(path)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(content):
    assert _load_bytes(content) is None


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.integers(0, 2**64 - 1))
def test_fuzz_random_bytes_after_a_header_length(content, n_header):
    assert _load_bytes(struct.pack("<Q", n_header) + content) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_fuzz_byte_flips_of_a_valid_file(flips):
    content = bytearray(VALID)
    for position, value in flips:
        content[position] = value
    result = _load_bytes(bytes(content))
    assert result is None or isinstance(result, dp.Network)  # flips in the data make another valid model


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(max_size=5),
)
JSON_VALUES = st.one_of(
    JSON_SCALARS,
    st.lists(JSON_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=3), JSON_SCALARS, max_size=2),
)


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(["w0", "b0", "w1", "b1", "w2", "other"]),
    dtype=st.one_of(st.sampled_from(["F64", "F32", "F16", "I64", "BOOL", "U8", "XYZ", ""]), JSON_VALUES),
    shape=st.one_of(st.lists(st.integers(-(2**65), 2**65), max_size=4), JSON_VALUES),
    offsets=st.one_of(st.lists(st.integers(-(2**65), 2**65), max_size=3), JSON_VALUES),
)
def test_fuzz_tensor_entries(name, dtype, shape, offsets):
    n = struct.unpack("<Q", VALID[:8])[0]
    header, data = json.loads(VALID[8 : 8 + n]), VALID[8 + n :]
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": offsets}
    assert _load_bytes(_join(header, data)) is None


@settings(max_examples=150, deadline=None)
@given(
    key=st.sampled_from(
        ["deltaprop.format", "deltaprop.sizes", "deltaprop.activations", "deltaprop.cost", "deltaprop.dtype"]
    ),
    value=st.one_of(
        st.text(max_size=12),
        st.sampled_from(["2", "999999999", "[]", "[3]", "[3, 2, 2, 2]", '["softmax"]', "null", "{}", "-1"]),
    ),
)
def test_fuzz_metadata_values(key, value):
    n = struct.unpack("<Q", VALID[:8])[0]
    header, data = json.loads(VALID[8 : 8 + n]), VALID[8 + n :]
    header["__metadata__"][key] = value
    result = _load_bytes(_join(header, data))
    assert result is None or isinstance(result, dp.Network)


def test_hostile_shapes_allocate_nothing_like_what_they_claim(tmp_path):
    # A header claiming a 2^40-element tensor, and one claiming a 100 MB header, in files of a few bytes:
    # both are refused before anything of that size is allocated.
    hostile = [
        _join({"w0": {"dtype": "F64", "shape": [2**20, 2**20], "data_offsets": [0, 2**43]}}, b"\x00" * 64),
        _join("{}", b"", n_header=100_000_000),
    ]
    for k, content in enumerate(hostile):
        path = _write(tmp_path, content, name=f"h{k}.safetensors")
        tracemalloc.start()
        try:
            with pytest.raises(ModelFileError):
                files.load(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 1_000_000, f"loading a {len(content)}-byte hostile file allocated {peak} bytes"


# --- atomic writes -----------------------------------------------------------------------


def _leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def test_failed_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    old = _net(seed=1)
    path = _save(tmp_path, old, name="m.safetensors")
    before = path.read_bytes()

    def write_half_then_fail(fh, data):
        fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(container, "_write_chunks", write_half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        files.save(_net(seed=2), path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path, "m.safetensors") == []
    assert np.array_equal(files.load(path).predict(X5), old.predict(X5))


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_fsync_or_rename_leaves_the_old_file_intact(tmp_path, monkeypatch, failing):
    path = _save(tmp_path, _net(seed=1), name="m.safetensors")
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(5, f"simulated {failing} failure")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError, match=f"simulated {failing} failure"):
        files.save_checkpoint(path, _net(seed=2), dp.SGD(0.1))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _leftovers(tmp_path, "m.safetensors") == []


def test_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupt(fh, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(container, "_write_chunks", interrupt)
    with pytest.raises(KeyboardInterrupt):
        files.save(_net(), tmp_path / "m.safetensors")
    assert list(tmp_path.iterdir()) == []


def test_save_overwrites_and_leaves_only_the_file(tmp_path):
    path = _save(tmp_path, _net(seed=1), name="m.safetensors")
    files.save(_net(seed=2), path)
    assert np.array_equal(files.load(path).weights[0], _net(seed=2).weights[0])
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]


def test_save_into_a_missing_folder_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        files.save(_net(), tmp_path / "no" / "such" / "m.safetensors")


# --- checkpoints -------------------------------------------------------------------------


def _batches(n_out=3, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(6, 5)), rng.integers(0, n_out, 6)) for _ in range(4)]


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda: dp.SGD(0.3, momentum=0.9),
        lambda: dp.SGD(0.3, momentum=0.8, nesterov=True, l2=0.5, n_train=100),
        lambda: dp.Adam(0.01),
        lambda: dp.Adam(0.02, beta1=0.8, l2=1.0, n_train=60),
    ],
    ids=["momentum", "nesterov-l2", "adam", "adam-l2"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_checkpoint_resume_is_bit_identical(tmp_path, make_optimizer, dtype):
    batches = _batches()
    net = _net(dtype, activation="tanh", output_activation="softmax", cost="log_likelihood")
    optimizer = make_optimizer()
    for X, y in batches[:2]:
        optimizer.step(net, net.backprop(X, y))
    path = tmp_path / "ckpt.safetensors"
    files.save_checkpoint(path, net, optimizer, {"epoch": 0, "batch": 2})

    for X, y in batches[2:]:  # the uninterrupted run
        optimizer.step(net, net.backprop(X, y))

    net2, optimizer2, state = files.load_checkpoint(path)  # the resumed run
    assert state == {"epoch": 0, "batch": 2}
    assert type(optimizer2) is type(optimizer)
    assert optimizer2.hyperparameters() == optimizer.hyperparameters()
    assert optimizer2.iterations == 2
    for X, y in batches[2:]:
        optimizer2.step(net2, net2.backprop(X, y))

    assert optimizer2.iterations == optimizer.iterations
    for a, b in zip(net.weights + net.biases, net2.weights + net2.biases):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    sd, sd2 = optimizer.state_dict(), optimizer2.state_dict()
    assert sorted(sd["state"]) == sorted(sd2["state"])
    for key in sd["state"]:
        assert np.array_equal(sd["state"][key], sd2["state"][key])


def test_checkpoint_holds_state_arrays_and_rng_state(tmp_path):
    rng = np.random.default_rng(7)
    rng.random(3)
    state = {
        "epoch": np.int64(4),
        "batch": 17,
        "seed": 7,
        "rng": rng.bit_generator.state,
        "history": {"loss": [0.5, 0.25, float("nan")], "lr": [0.1, 0.1, 0.05]},
        "order": np.arange(10)[::-1],
        "mask": np.array([True, False]),
    }
    path = tmp_path / "ckpt.safetensors"
    files.save_checkpoint(path, _net(), None, state)
    net, optimizer, back = files.load_checkpoint(path)
    assert optimizer is None
    assert back["epoch"] == 4 and back["batch"] == 17 and back["seed"] == 7
    assert back["history"]["lr"] == [0.1, 0.1, 0.05] and np.isnan(back["history"]["loss"][2])
    assert np.array_equal(back["order"], np.arange(10)[::-1]) and back["order"].dtype == np.int64
    assert back["mask"].dtype == np.bool_ and list(back["mask"]) == [True, False]
    resumed = np.random.default_rng()
    resumed.bit_generator.state = back["rng"]
    assert np.array_equal(resumed.random(5), rng.random(5))
    assert np.array_equal(files.load(path).predict(X5), _net().predict(X5))  # load() reads checkpoints


def test_checkpoint_metadata_describes_the_optimizer(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    files.save_checkpoint(path, _net(), dp.SGD(0.5, momentum=0.9))
    header, _ = _split(path)
    info = json.loads(header["__metadata__"]["deltaprop.optimizer"])
    assert info["name"] == "sgd" and info["hyper"]["momentum"] == 0.9 and info["iterations"] == 0
    assert header["__metadata__"]["deltaprop.kind"] == "checkpoint"


def test_checkpoint_refuses_what_it_cannot_rebuild(tmp_path):
    class Custom(optimizers.SGD):
        name = "custom"

    with pytest.raises(ValueError, match="name 'custom', which optimizers.get\\(\\) cannot rebuild"):
        files.save_checkpoint(tmp_path / "c.safetensors", _net(), Custom(0.1))
    with pytest.raises(TypeError, match=r"state must be JSON-serialisable .*set"):
        files.save_checkpoint(tmp_path / "c.safetensors", _net(), None, {"x": {1, 2}})
    with pytest.raises(TypeError, match="state keys must be strings; got 3"):
        files.save_checkpoint(tmp_path / "c.safetensors", _net(), None, {3: 1})
    with pytest.raises(TypeError, match="takes the path first"):
        files.save_checkpoint(_net(), tmp_path / "c.safetensors")
    with pytest.raises(TypeError, match="optimizer must be a deltaprop Optimizer or None; got str"):
        files.save_checkpoint(tmp_path / "c.safetensors", _net(), "sgd")
    assert list(tmp_path.iterdir()) == []


def _checkpoint_with(tmp_path, change) -> Path:
    path = tmp_path / "ckpt.safetensors"
    optimizer = dp.SGD(0.1, momentum=0.5)
    net = _net()
    optimizer.step(net, net.backprop(*_batches()[0]))
    files.save_checkpoint(path, net, optimizer, {"epoch": 1})
    header, data = _split(path)
    change(header)
    return _write(tmp_path, _join(header, data), name="bad.safetensors")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            _meta("deltaprop.optimizer", '{"name": "rmsprop", "hyper": {}, "iterations": 1}'),
            "unknown optimizer",
        ),
        (
            _meta("deltaprop.optimizer", '{"name": "sgd", "hyper": {"learning_rate": -1}, "iterations": 1}'),
            "cannot rebuild optimizer 'sgd'.*learning_rate must be a finite number > 0",
        ),
        (
            _meta("deltaprop.optimizer", '{"name": "sgd", "hyper": {"eta": 1}, "iterations": 1}'),
            "cannot rebuild optimizer 'sgd'",
        ),
        (
            _meta("deltaprop.optimizer", '{"name": "sgd", "hyper": {}, "iterations": -2}'),
            "iterations is -2; expected an integer ≥ 0",
        ),
        (_meta("deltaprop.optimizer", '{"name": "sgd"}'), "must hold name, hyper and iterations"),
        (_meta("deltaprop.optimizer", "{"), "metadata 'optimizer' is not valid JSON"),
        (_meta("deltaprop.state", "[1, 2]"), "metadata state must be a JSON object; got list"),
        (lambda h: _drop(h["__metadata__"], "deltaprop.optimizer"), "optimizer tensors without"),
    ],
)
def test_corrupted_checkpoint_gives_model_file_error(tmp_path, change, message):
    with pytest.raises(ModelFileError, match=message):
        files.load_checkpoint(_checkpoint_with(tmp_path, change))


# --- audit: hostile layer counts, optimizer state that does not fit ------------------------


def test_a_million_layer_sizes_header_is_refused_without_per_layer_work(tmp_path):
    # Before the fix, 3 million sizes in a 45 MB header made load() parse 3 million activations
    # and build a set of 6 million names: 1.8 GB and a minute. Now the layer count is checked
    # against the tensors first.
    n = 300_000
    change = [
        _meta("deltaprop.sizes", json.dumps([1] * n)),
        _meta("deltaprop.activations", json.dumps(["linear"] * (n - 1))),
    ]
    path = _mutated(tmp_path, lambda h: [c(h) for c in change])
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=r"sizes holds 300,000 numbers, 299,999 layers .* holds 4"):
            files.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * path.stat().st_size, peak


def _momentum_checkpoint(tmp_path, optimizer) -> tuple[Path, dict, bytes]:
    net = _net()
    optimizer.step(net, net.backprop(*_batches()[0]))
    path = files.save_checkpoint(tmp_path / "ckpt.safetensors", net, optimizer, {"epoch": 1})
    header, data = _split(path)
    return path, header, data


@pytest.mark.parametrize(
    "optimizer, change, message",
    [
        (
            dp.SGD(0.1, momentum=0.9),
            lambda h: h.__setitem__("optimizer.zz", h.pop("optimizer.w0")),
            r"optimizer tensor 'optimizer.zz' belongs to no parameter .* 'optimizer.w0', 'optimizer.b0'",
        ),
        (
            dp.Adam(0.01),
            lambda h: h.__setitem__("optimizer.v_w9", h.pop("optimizer.v_w1")),
            r"'optimizer.v_w9' belongs to no parameter .*'optimizer.m_w0'",
        ),
        (
            dp.SGD(0.1, momentum=0.9),
            lambda h: h["optimizer.w0"].__setitem__("shape", [4, 5]),
            r"'optimizer.w0' is float64 \(4, 5\), but its parameter 'w0' is float64 \(5, 4\)",
        ),
    ],
    ids=["unknown key", "adam moment of no layer", "transposed velocity"],
)
def test_optimizer_state_that_does_not_fit_the_network_is_refused(tmp_path, optimizer, change, message):
    # Before the fix these loaded, and the optimizer silently restarted the slot from zeros:
    # the "resumed" run was not the interrupted one.
    _, header, data = _momentum_checkpoint(tmp_path, optimizer)
    change(header)
    with pytest.raises(ModelFileError, match=message):
        files.load_checkpoint(_write(tmp_path, _join(header, data), name="bad.safetensors"))


def test_optimizer_state_of_another_dtype_is_refused(tmp_path):
    net = _net(np.float32)
    optimizer = dp.SGD(0.1, momentum=0.9)
    optimizer.step(net, net.backprop(*_batches()[0]))
    path = files.save_checkpoint(tmp_path / "ckpt.safetensors", net, optimizer)
    header, _ = _split(path)
    tensors = safetensors.numpy.load_file(path)
    tensors["optimizer.w0"] = tensors["optimizer.w0"].astype(np.float64)  # a float64 velocity
    bad = _write(
        tmp_path, safetensors.numpy.save(tensors, metadata=header["__metadata__"]), "bad.safetensors"
    )
    with pytest.raises(
        ModelFileError, match=r"'optimizer.w0' is float64 \(5, 4\), but its parameter 'w0' is float32"
    ):
        files.load_checkpoint(bad)


def test_user_metadata_comes_back_in_the_same_order_in_every_process(tmp_path):
    # safetensors keeps its header in a hash map, so the order of the keys in the file changes
    # from one process to the next; read_metadata sorts them, so what a user prints is stable.
    import subprocess
    import sys

    import deltaprop as dp

    path = tmp_path / "m.safetensors"
    dp.save(dp.Network([2, 3, 2], seed=0), path, metadata={"zeta": 1, "epochs": 30, "dataset": "digits"})
    code = f"import deltaprop as dp; print(list(dp.files.read_metadata({str(path)!r})['user']))"
    seen = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(4)
    }
    assert seen == {"['dataset', 'epochs', 'zeta']\n"}


def test_a_run_folder_without_weights_says_what_its_history_records(tmp_path):
    # a run that diverged in its first epoch writes its config and history, no weights: dp.load
    # said only "is a directory holding no model.safetensors or checkpoint.safetensors"
    reason = "training diverged at epoch 1, mini-batch 23: the cost became infinite or NaN, with η = 1e+06"
    (tmp_path / "history.json").write_text(json.dumps({"epoch": [], "history": {}, "stopped_reason": reason}))
    with pytest.raises(IsADirectoryError, match=r"its history\.json says: training diverged at epoch 1"):
        dp.load(tmp_path)
