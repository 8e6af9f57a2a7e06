"""What an NPZ refusal tells a user to do: the keys to pass, and how to save the array at fault."""

from __future__ import annotations

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import load_npz

pd = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")


@pytest.fixture
def iris():
    frame = sk_datasets.load_iris(as_frame=True)
    species = pd.Series(frame.target_names[frame.target.to_numpy()])
    return frame.data.to_numpy(), species.to_numpy()  # species: an object array, as pandas gives it


def test_other_letters_name_the_keys_to_pass(tmp_path, iris):
    X, species = iris
    path = tmp_path / "iris.npz"
    np.savez(path, x=X, y=species.astype(str))
    message = (
        r"no array named 'X'; the archive holds \['x', 'y'\]: pass x_key='x', y_key='y' .*--x-key x --y-key y"
    )
    with pytest.raises(DataFileError, match=message):
        load_npz(path)
    X_read, y_read, classes = load_npz(path, x_key="x", y_key="y", return_classes=True)
    np.testing.assert_allclose(X_read, X)
    assert classes == ("setosa", "versicolor", "virginica") and y_read.tolist().count(2) == 50


def test_unknown_names_say_which_keys_name_them(tmp_path, iris):
    path = tmp_path / "iris.npz"
    np.savez(path, features=iris[0], target=np.zeros(150))
    with pytest.raises(
        DataFileError, match=r"\['features', 'target'\]: name the arrays to read with x_key= and y_key="
    ):
        load_npz(path)
    with pytest.raises(DataFileError, match=r"with x_key= \(on the command line: --x-key NAME\)"):
        load_npz(path, y_key=None)


def test_text_labels_saved_as_objects_name_the_labels_and_astype_str(tmp_path, iris):
    X, species = iris
    path = tmp_path / "iris.npz"
    np.savez(path, X=X, y=species)
    with pytest.raises(DataFileError, match=r"array 'y' holds Python objects.*y=y\.astype\(str\)") as info:
        load_npz(path)
    assert "X.astype(float)" not in str(info.value)
    np.savez(path, X=X, y=species.astype(str))  # the fix it names works
    _, _, classes = load_npz(path, return_classes=True)
    assert classes == ("setosa", "versicolor", "virginica")


def test_features_saved_as_objects_name_the_features(tmp_path, iris):
    X, species = iris
    path = tmp_path / "iris.npz"
    np.savez(path, feats=X.astype(object), y=species.astype(str))
    with pytest.raises(
        DataFileError, match=r"array 'feats' holds Python objects.*feats=feats\.astype\(float\)"
    ):
        load_npz(path, x_key="feats")
