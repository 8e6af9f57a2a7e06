"""A data root that is a data set's own folder (``DELTAPROP_DATA=/data/mnist``): read where the
files are, or told to point at the folder above."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from deltaprop.datasets import ENV_VAR, MNIST, dataset_info, load_fashion_mnist, load_idx_dataset, load_mnist
from deltaprop.datasets.mnist import dataset_folder, missing_files

SHARED_MNIST = Path("/work/shared/data/mnist")


def test_the_set_folder_itself_is_read(tmp_path, fake_mnist, fake_spec_factory, put_files):
    files, arrays = fake_mnist
    spec = fake_spec_factory(files, ["http://127.0.0.1:9/never-used/"])
    root = put_files(tmp_path / "fake", files)  # the four files right in the root, named as the set
    assert dataset_folder(spec, root) == root
    X, y = load_idx_dataset(spec, "test", data_dir=root, download=False)
    np.testing.assert_array_equal(y, arrays["test"][1])
    put_files(root / "fake", files)  # a subfolder of the set's name is the usual place, and wins
    assert dataset_folder(spec, root) == root / "fake"


def test_a_folder_of_the_name_without_the_files_is_not_taken(
    tmp_path, fake_mnist, fake_spec_factory, put_files
):
    files, _ = fake_mnist
    spec = fake_spec_factory(files, [])
    (tmp_path / "fake").mkdir()
    assert dataset_folder(spec, tmp_path / "fake") == tmp_path / "fake" / "fake"
    # Files under the set's names whose checksums are another set's are not taken either
    other_set = fake_spec_factory({name: body + b"\0" for name, body in files.items()}, [], name="other")
    root = put_files(tmp_path / "other-root", files)
    assert dataset_folder(other_set, root) == root / "other"


@pytest.mark.skipif(missing_files(MNIST, SHARED_MNIST) != [], reason=f"no MNIST copy in {SHARED_MNIST}")
def test_real_mnist_with_the_environment_at_its_folder(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(SHARED_MNIST))
    X, y = load_mnist("test", download=False)
    assert X.shape == (10_000, 784) and y[:4].tolist() == [7, 2, 1, 0]
    info = dataset_info("mnist")
    assert info.present and info.location == SHARED_MNIST


def test_another_set_is_told_to_look_in_the_folder_above(monkeypatch, tmp_path, fake_mnist, put_files):
    files, _ = fake_mnist  # the standard file names: Fashion-MNIST's too, so never read as it
    root = put_files(tmp_path / "mnist", files)
    monkeypatch.setenv(ENV_VAR, str(root))
    with pytest.raises(FileNotFoundError) as info:
        load_fashion_mnist("test", download=False)
    message = str(info.value)
    assert f"not found in {root / 'fashion-mnist'}" in message
    assert f"{root} is the folder of the mnist files, not a data root" in message
    assert f"set {ENV_VAR} to the folder above it ({tmp_path})" in message
