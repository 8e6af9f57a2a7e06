"""ModelCheckpoint creates the folders of its filepath, as Keras does, or refuses before training.

Before, a folder that did not exist failed only after epoch 1 had trained: FileNotFoundError
escaped fit, with the network changed and no History returned.
"""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import ModelCheckpoint


def _net():
    return dp.Network([64, 8, 10], output_activation="softmax", seed=0)


def test_missing_folders_are_created(tmp_path, digits):
    X, y = digits[:2]
    path = tmp_path / "ckpts" / "deep"
    checkpoint = ModelCheckpoint(str(path / "{epoch:02d}.safetensors"), monitor="loss")
    net = _net()
    history = net.fit(X, y, epochs=2, seed=0, callbacks=[checkpoint])
    assert history.epoch == [0, 1]
    assert sorted(p.name for p in path.iterdir()) == ["01.safetensors", "02.safetensors"]
    np.testing.assert_array_equal(dp.load(path / "02.safetensors").weights[0], net.weights[0])


def test_a_folder_named_by_the_epoch_is_created_at_each_save(tmp_path, digits):
    X, y = digits[:2]
    checkpoint = ModelCheckpoint(str(tmp_path / "epoch-{epoch}" / "model.safetensors"), monitor="loss")
    _net().fit(X, y, epochs=2, seed=0, callbacks=[checkpoint])
    assert (tmp_path / "epoch-1" / "model.safetensors").is_file()
    assert (tmp_path / "epoch-2" / "model.safetensors").is_file()


def test_a_folder_that_cannot_be_created_is_refused_before_training(tmp_path, digits):
    X, y = digits[:2]
    (tmp_path / "taken").write_text("a file where the folder would go")
    filepath = str(tmp_path / "taken" / "{epoch}.safetensors")
    net = _net()
    before = [w.copy() for w in net.weights]
    with pytest.raises(ValueError, match=r"ModelCheckpoint filepath .*taken.*: cannot create its folder"):
        net.fit(X, y, epochs=2, seed=0, callbacks=[ModelCheckpoint(filepath, monitor="loss")])
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))
