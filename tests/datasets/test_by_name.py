"""load_by_name: a run's data as its [data] table names it, for `train` and `diagnose`/`plot` alike."""

from __future__ import annotations

import numpy as np
import pytest

from deltaprop import DataFileError, DownloadError
from deltaprop.datasets import DATASET_NAMES, dataset_info, load, load_by_name
from deltaprop.datasets.by_name import as_targets, parse_label_column

GENERATED = ("moons", "circles", "spiral", "blobs")
IDX_SETS = ("mnist", "fashion-mnist")
PETS = "x1,x2,label\n0.5,1.5,dog\n-2,0.25,cat\n4,5,dog\n1,1,bird\n"


@pytest.fixture
def fake_idx_sets(isolated_data, fake_mnist, fake_checksums):
    """Tiny MNIST-like IDX files as both downloaded sets, in an isolated $DELTAPROP_DATA:
    the loaders read them without a download and without the real copies."""
    files, arrays = fake_mnist
    for folder in IDX_SETS:
        (isolated_data / folder).mkdir(parents=True)
        for file_name, body in files.items():
            (isolated_data / folder / file_name).write_bytes(body)
    return arrays


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_every_built_in_name_is_tested_here():
    assert set(DATASET_NAMES) == {"digits", "xor", *GENERATED, *IDX_SETS}


@pytest.mark.parametrize("split", ["train", "test"])
def test_digits_give_the_catalogue_split_and_names(split):
    X, y, classes = load_by_name("digits", split=split, seed=5)
    expected_X, expected_y = load("digits", split)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, expected_y)
    assert X.shape == (dataset_info("digits").n_samples[split], 64) and y.dtype == np.int64
    assert classes == tuple(str(d) for d in range(10))


@pytest.mark.parametrize("name", IDX_SETS)
@pytest.mark.parametrize("split", ["train", "test"])
def test_the_downloaded_sets_load_from_the_data_root(fake_idx_sets, name, split):
    images, labels = fake_idx_sets[split]
    X, y, classes = load_by_name(name, split=split, seed=3)  # the seed means nothing to them
    assert X.shape == (len(labels), 28 * 28) and X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_allclose(X, images.reshape(len(labels), -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(y, labels)
    assert classes == dataset_info(name).classes and len(classes) == 10


def test_a_downloaded_set_that_is_missing_is_fetched(isolated_data, monkeypatch):
    asked = []

    def no_network(spec, **kwargs):  # stands in for the verified download: no network in tests
        asked.append((spec.name, kwargs["splits"]))
        raise DownloadError(f"{spec.name}: no network in this test")

    monkeypatch.setattr("deltaprop.datasets.mnist.download_idx_dataset", no_network)
    with pytest.raises(DownloadError, match="fashion-mnist: no network"):
        load_by_name("fashion-mnist", split="test")
    assert asked == [("fashion-mnist", ["test"])]


@pytest.mark.parametrize("split", ["train", "test"])
def test_xor_is_its_four_points_whatever_the_split_and_seed(split):
    X, y, classes = load_by_name("xor", split=split, seed=9)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert y.tolist() == [0, 1, 1, 0]
    assert classes == ("0 (x1 = x2)", "1 (x1 != x2)")


@pytest.mark.parametrize("name", GENERATED)
def test_a_generated_set_is_drawn_again_from_the_runs_seed(name):
    X, y, classes = load_by_name(name, seed=3)
    expected_X, expected_y = load(name, seed=3)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, expected_y)
    assert X.shape == (200, 2) and y.dtype == np.int64 and set(y.tolist()) == {0, 1}
    assert classes == ("0", "1")
    X_test, y_test, _ = load_by_name(name, split="test", seed=3)
    np.testing.assert_array_equal(X_test, load(name, "test", seed=3)[0])
    assert not np.array_equal(X_test, X)  # the test split is a second, independent draw
    assert not np.array_equal(load_by_name(name, seed=4)[0], X)


def test_a_negative_seed_for_a_generated_set_is_refused_not_replaced():
    with pytest.raises(
        ValueError, match=r"seed must be an integer ≥ 0, a numpy\.random\.Generator or None; got -1"
    ):
        load_by_name("moons", seed=-1)


def test_a_csv_with_text_labels_in_the_last_column(tmp_path):
    X, y, classes = load_by_name(path=_write(tmp_path, "pets.csv", PETS))
    np.testing.assert_array_equal(X, [[0.5, 1.5], [-2, 0.25], [4, 5], [1, 1]])
    assert classes == ("bird", "cat", "dog")
    assert y.dtype == np.int64 and [classes[k] for k in y] == ["dog", "cat", "dog", "bird"]


@pytest.mark.parametrize("column", ["label", 2, "2", -1, "-1", None, ""])
def test_a_csvs_label_column_by_name_by_index_or_default(tmp_path, column):
    X, y, classes = load_by_name(path=str(_write(tmp_path, "pets.csv", PETS)), label_column=column)
    assert X.shape == (4, 2) and classes == ("bird", "cat", "dog") and y.tolist() == [2, 1, 2, 0]


def test_a_csvs_label_column_in_the_middle_with_integer_labels(tmp_path):
    path = _write(tmp_path, "digits.csv", "a,digit,b\n1,7,2\n3,9,4\n")
    X, y, classes = load_by_name(path=path, label_column="digit")
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    assert y.tolist() == [7, 9] and classes == tuple(str(d) for d in range(10))
    X, y, _ = load_by_name(path=path, label_column="0")  # an index given as text, as a flag gives it
    np.testing.assert_array_equal(X, [[7, 2], [9, 4]])
    assert y.tolist() == [1, 3]


def test_a_csvs_regression_column_is_one_target_column(tmp_path):
    path = _write(tmp_path, "reg.csv", "x,target\n0,0.5\n1,1.25\n2,-3.5\n")
    X, y, classes = load_by_name(path=path, split="test")  # a file is read whole, whatever the split
    assert X.shape == (3, 1) and y.shape == (3, 1) and y.dtype == np.float64
    np.testing.assert_array_equal(y[:, 0], [0.5, 1.25, -3.5])
    assert classes is None


def test_an_npz_with_labels(tmp_path):
    path = tmp_path / "pts.npz"
    np.savez(path, X=np.arange(8.0).reshape(4, 2), y=np.array([0, 2, 1, 2], dtype=np.int32))
    X, y, classes = load_by_name(path=path, label_column="7")  # a CSV's column: ignored here
    np.testing.assert_array_equal(X, np.arange(8.0).reshape(4, 2))
    assert y.dtype == np.int64 and y.tolist() == [0, 2, 1, 2]
    assert classes is None  # an archive holds no class names


def test_an_npzs_regression_column_and_target_rows(tmp_path):
    path = tmp_path / "reg.npz"
    np.savez(path, X=np.ones((3, 2)), y=np.array([0.1, 0.2, 0.3]))
    _, y, classes = load_by_name(path=path)
    assert y.shape == (3, 1) and classes is None
    np.testing.assert_array_equal(y[:, 0], [0.1, 0.2, 0.3])
    np.savez(path, X=np.ones((3, 2)), y=np.array([[0.1, 1.0], [0.2, 2.0], [0.3, 3.0]]))
    _, y, classes = load_by_name(path=path)
    assert y.shape == (3, 2) and classes is None


def test_an_npzs_label_column_of_shape_n_by_1_is_read_as_a_label_column(tmp_path):
    """``np.savez(y=df[["label"]])`` writes labels as a column (n, 1). Whole numbers there were
    kept as one regression target each, and the error that followed ("real-valued targets from 0
    to 9 ... say so with --task classification") came back with --task classification too."""
    path = tmp_path / "col.npz"
    np.savez(path, X=np.ones((4, 2)), y=np.array([[0], [2], [1], [2]]))
    _, y, classes = load_by_name(path=path)
    assert y.dtype == np.int64 and y.tolist() == [0, 2, 1, 2] and classes is None
    _, y, _ = load_by_name(path=path, task="regression")
    assert y.shape == (4, 1) and y.dtype == np.float64 and y[:, 0].tolist() == [0, 2, 1, 2]
    np.savez(path, X=np.ones((4, 2)), y=np.array([[-1], [1], [1], [-1]]))
    _, y, classes = load_by_name(path=path, task="classification")
    assert y.tolist() == [0, 1, 1, 0] and classes == ("-1", "1")
    np.savez(path, X=np.ones((3, 2)), y=np.array([[0.5], [1.5], [-2.0]]))
    _, y, classes = load_by_name(path=path)
    assert y.shape == (3, 1) and y[:, 0].tolist() == [0.5, 1.5, -2.0] and classes is None


def test_an_npzs_text_labels_are_classes_and_refused_as_regression(tmp_path):
    path = tmp_path / "pets.npz"
    np.savez(path, X=np.eye(3), y=np.array(["dog", "cat", "dog"]))
    _, y, classes = load_by_name(path=path)
    assert y.tolist() == [1, 0, 1] and classes == ("cat", "dog")
    assert load_by_name(path=path, task="classification")[2] == ("cat", "dog")
    with pytest.raises(ValueError, match=r"pets.npz: task='regression' needs numbers .* \('cat', 'dog'\)"):
        load_by_name(path=path, task="regression")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, r"no data given: name a built-in data set"),
        ({"name": "", "path": ""}, ValueError, r"no data given"),
        ({"name": "digits", "path": "x.csv"}, ValueError, r"not both; got name='digits' and path='x.csv'"),
        ({"name": "iris"}, ValueError, r"unknown data set 'iris'; choose one of digits, mnist"),
        ({"name": "moons", "split": "val"}, ValueError, r"split must be one of \('train', 'test'\)"),
        ({"name": "digits", "split": "val"}, ValueError, r"split must be one of .* for digits"),
    ],
)
def test_what_names_no_data_or_unknown_data_is_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        load_by_name(**kwargs)


def test_a_missing_file_is_a_file_not_found_error(tmp_path):
    for name in ("gone.csv", "gone.npz"):
        with pytest.raises(FileNotFoundError):
            load_by_name(path=tmp_path / name)


def test_a_bad_label_column_is_refused_with_the_loaders_message(tmp_path):
    path = _write(tmp_path, "pets.csv", PETS)
    with pytest.raises(DataFileError, match=r"no column named 'kind'; the header row has"):
        load_by_name(path=path, label_column="kind")
    with pytest.raises(DataFileError, match=r"label_column=5 is out of range: the file has 3 columns"):
        load_by_name(path=path, label_column="5")
    with pytest.raises(TypeError, match=r"label_column must be a column index \(int\), a column name"):
        load_by_name(path=path, label_column=1.5)  # never truncated to column 1


def test_a_malformed_file_is_a_data_file_error(tmp_path):
    message = r"bad\.csv: line 3, column 'x2' \(index 1\): 'oops' is not a number"
    with pytest.raises(DataFileError, match=message):
        load_by_name(path=_write(tmp_path, "bad.csv", "x1,x2,label\n1,2,0\n3,oops,1\n"))
    with pytest.raises(DataFileError, match=r"not a readable \.npz archive"):
        load_by_name(path=_write(tmp_path, "bad.npz", "not a zip"))


@pytest.mark.parametrize(
    ("value", "parsed"),
    [(None, None), ("", None), (3, 3), (-1, -1), ("3", 3), ("-1", -1), ("label", "label"), (1.5, 1.5)],
)
def test_a_label_column_is_an_index_a_name_or_the_default(value, parsed):
    assert parse_label_column(value) == parsed and type(parse_label_column(value)) is type(parsed)


def test_auto_reads_whole_numbers_from_0_as_classes_and_any_other_numbers_as_targets():
    # The README: labels that are not whole numbers >= 0 are regression targets; -1 too.
    assert as_targets(np.array([0.5, 1.0]))[0].shape == (2, 1)
    for negative in (np.array([0.0, 1.0, -1.0]), np.array([-1, 1, 1])):  # a CSV's floats, an NPZ's ints
        y, classes = as_targets(negative)
        assert y.shape == (3, 1) and y.dtype == np.float64 and classes is None
        np.testing.assert_array_equal(y[:, 0], negative)
    labels = np.array([0, 1, 2])
    y, classes = as_targets(labels)
    assert y is labels and classes is None
    y, _ = as_targets(np.array([0.0, 2.0]))  # an NPZ's float labels that are whole
    assert y.dtype == np.int64 and y.tolist() == [0, 2]
    rows = np.ones((2, 3))
    assert as_targets(rows)[0] is rows


def test_regression_reads_every_number_as_a_target_whole_or_not():
    # sklearn's diabetes targets are whole numbers 25..346: a regression, not 347 classes.
    y, classes = as_targets(np.array([25, 346, 151]), "regression")
    assert y.shape == (3, 1) and y.dtype == np.float64 and classes is None
    np.testing.assert_array_equal(y[:, 0], [25, 346, 151])
    float32 = np.array([0.0, 1.0], dtype=np.float32)
    assert as_targets(float32, "regression")[0].dtype == np.float32  # the loader's dtype is kept
    rows = np.ones((2, 3))
    assert as_targets(rows, "regression")[0] is rows


def test_classification_numbers_other_whole_numbers_in_sorted_order_and_names_them():
    y, classes = as_targets(np.array([1, -1, 1, -1]), "classification")
    assert y.dtype == np.int64 and y.tolist() == [1, 0, 1, 0] and classes == ("-1", "1")
    y, classes = as_targets(np.array([3.0, -2.0]), "classification")  # a CSV's -2, 3
    assert y.tolist() == [1, 0] and classes == ("-2", "3")
    labels = np.array([0, 7, 2])  # whole numbers >= 0: the class numbers, kept
    y, classes = as_targets(labels, "classification")
    assert y is labels and classes is None
    with pytest.raises(ValueError, match=r"task='classification' .* label 0.5 is not a whole number"):
        as_targets(np.array([1.0, 0.5]), "classification")


@pytest.mark.parametrize("task", ["Regression", "", None, 1])
def test_an_unknown_task_is_refused(task):
    with pytest.raises(ValueError, match=r"task must be one of 'auto', 'classification', 'regression'"):
        as_targets(np.array([0, 1]), task)


def test_load_by_name_reads_minus_one_and_one_as_the_task_says(tmp_path):
    csv = _write(tmp_path, "pm.csv", "a,b,label\n0,1,-1\n1,0,1\n1,1,1\n")
    npz = tmp_path / "pm.npz"
    np.savez(npz, X=np.ones((3, 2)), y=np.array([-1, 1, 1]))
    for path in (csv, npz):
        _, y, classes = load_by_name(path=path)  # auto, the default: regression targets
        assert y.shape == (3, 1) and y[:, 0].tolist() == [-1.0, 1.0, 1.0] and classes is None
        _, y, classes = load_by_name(path=path, task="")  # as a config.toml without the key reads
        assert y.shape == (3, 1)
        _, y, classes = load_by_name(path=path, task="classification")
        assert y.tolist() == [0, 1, 1] and classes == ("-1", "1")


def test_load_by_name_reads_whole_number_targets_as_regression_when_told(tmp_path):
    path = _write(tmp_path, "diab.csv", "age,bmi,target\n0.03,0.06,151\n-0.001,-0.05,75\n0.08,0.04,141\n")
    _, y, classes = load_by_name(path=path)
    assert y.ndim == 1 and y.tolist() == [151, 75, 141] and len(classes) == 152  # auto: classes
    _, y, classes = load_by_name(path=path, task="regression")
    assert y.shape == (3, 1) and y.dtype == np.float64 and classes is None
    np.testing.assert_array_equal(y[:, 0], [151, 75, 141])
    npz = tmp_path / "diab.npz"
    np.savez(npz, X=np.ones((3, 2)), y=np.array([151, 75, 141]))
    assert load_by_name(path=npz, task="regression")[1].shape == (3, 1)


def test_text_and_built_in_labels_are_classes_and_refused_as_regression(tmp_path):
    path = _write(tmp_path, "pets.csv", PETS)
    _, y, classes = load_by_name(path=path, task="classification")
    assert classes == ("bird", "cat", "dog") and y.tolist() == [2, 1, 2, 0]
    with pytest.raises(ValueError, match=r"pets\.csv: task='regression' needs numbers .*'bird', 'cat'"):
        load_by_name(path=path, task="regression")
    with pytest.raises(ValueError, match=r"built-in set 'digits' has class labels"):
        load_by_name("digits", task="regression")
    _, y, classes = load_by_name("xor", task="classification")
    assert y.tolist() == [0, 1, 1, 0]


def test_fractions_as_classes_are_refused_naming_the_file(tmp_path):
    path = _write(tmp_path, "reg.csv", "x,target\n0,0.5\n1,1.25\n")
    with pytest.raises(ValueError, match=r"reg\.csv: task='classification' .* label 0.5 is not a whole"):
        load_by_name(path=path, task="classification")
