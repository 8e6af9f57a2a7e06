"""The errors and warnings a user may catch are importable from ``deltaprop`` itself, and
``pytest.warns`` / ``except`` with those names catch what the library really raises."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import (  # noqa: F401 -- that the import itself works is the first check
    CsvCellError,
    CsvLayoutWarning,
    DataFileError,
    DivergenceError,
    DownloadError,
    ModelFileError,
    OutputCostWarning,
)

RNG = np.random.default_rng(0)
X = RNG.random((30, 4))
LABELS = np.arange(30) % 3


@pytest.mark.parametrize(
    "name, base",
    [
        ("OutputCostWarning", UserWarning),
        ("CsvLayoutWarning", UserWarning),
        ("CsvCellError", DataFileError),
        ("DataFileError", ValueError),
        ("ModelFileError", ValueError),
        ("DivergenceError", FloatingPointError),
        ("DownloadError", OSError),
    ],
)
def test_each_is_exported_and_is_the_class_the_library_raises(name, base):
    assert name in dp.__all__
    exported = getattr(dp, name)
    assert issubclass(exported, base)
    namespace: dict = {}
    exec("from deltaprop import *", namespace)
    assert namespace[name] is exported


def test_the_exports_are_the_classes_defined_beside_their_code():
    from deltaprop.datasets import csv_file
    from deltaprop.training import output_cost

    assert dp.OutputCostWarning is output_cost.OutputCostWarning is dp.training.OutputCostWarning
    assert dp.CsvLayoutWarning is csv_file.CsvLayoutWarning is dp.datasets.CsvLayoutWarning
    assert dp.CsvCellError is csv_file.CsvCellError


def test_pytest_warns_with_the_exported_name_catches_fits_output_cost_warning():
    net = dp.Network([4, 5, 3], output_activation="logistic", cost="log_likelihood", seed=0)
    with pytest.warns(dp.OutputCostWarning, match=r"logistic outputs with the log-likelihood cost"):
        net.fit(X, LABELS, epochs=1, learning_rate=0.1, seed=0)


def test_pytest_warns_with_the_exported_name_catches_load_csvs_layout_warning(tmp_path):
    path = tmp_path / "counts.csv"  # line 1's label 2 is on no other line: read as pandas' header
    path.write_text("0,1,2\n3,1,0\n2,2,1\n5,0,1\n1,1,0\n")
    with pytest.warns(dp.CsvLayoutWarning, match=r"line 1, 0,1,2, is read as pandas' numbered header"):
        features, labels = dp.datasets.load_csv(path)
    assert features.shape == (4, 2) and labels.tolist() == [0, 1, 1, 0]


def test_except_with_the_exported_name_catches_a_cell_that_is_not_a_number(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("x1,x2,y\n1,2,0\n3,abc,1\n")
    with pytest.raises(
        dp.CsvCellError, match=r"line 3, column 'x2' \(index 1\): 'abc' is not a number"
    ) as err:
        dp.datasets.load_csv(path)
    assert err.value.column == "x2"
    assert isinstance(err.value, dp.DataFileError)  # so except DataFileError still catches it


def test_the_errors_module_says_where_the_others_live():
    from deltaprop import errors

    for name, home in (
        ("CsvCellError", "deltaprop.datasets.csv_file"),
        ("CsvLayoutWarning", "deltaprop.datasets.csv_file"),
        ("OutputCostWarning", "deltaprop.training.output_cost"),
        ("ImageError", "deltaprop.cli.images"),
        ("UsageError", "deltaprop.cli.errors"),
    ):
        assert name in errors.__doc__ and home in errors.__doc__, name
        module = __import__(home, fromlist=[name])
        assert issubclass(getattr(module, name), Exception)
