"""``deltaprop diagnose`` piped or logged: its table is as wide as evaluate's and predict's,
not rich's 80 columns, and no finding is cut, not even a word longer than its column (a data
file's path), which is folded onto the next line instead of ending in "…". A real process
with stdout a pipe, as ``deltaprop diagnose RUN | less`` gives it."""

from __future__ import annotations

import numpy as np

from deltaprop.cli.progress import PLAIN_WIDTH
from deltaprop.cli.train_report import cli_fix
from deltaprop.diagnostics import diagnose_run

RICH_DEFAULT_WIDTH = 80  # what rich gives a console that is not a terminal and has no COLUMNS


def _columns(lines: list[str]) -> list[str]:
    """Each column of the table's body rows, its lines joined with every blank taken out."""
    rows = [line.split("│")[1:-1] for line in lines if line.startswith("│")]
    return ["".join("".join(row[i].split()) for row in rows) for i in range(len(rows[0]))]


def test_a_piped_diagnose_table_is_wide_and_cuts_no_finding(cli, tmp_path):
    data = tmp_path / "a_folder_with_a_rather_long_name" / "measurements_of_the_whole_year.csv"
    data.parent.mkdir()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    np.savetxt(data, np.c_[X, X[:, 0] > 0], delimiter=",", header="a,b,c,label", comments="")
    trained = cli("train", "--data", str(data), "--epochs", "1", "--name", "csv", "--no-plots")
    assert trained.returncode == 0, trained.stderr
    data.unlink()  # the finding that says so names the file's whole path, longer than a column

    result = cli("diagnose", "runs/csv")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert RICH_DEFAULT_WIDTH < max(map(len, lines)) <= PLAIN_WIDTH
    findings = diagnose_run(tmp_path / "runs" / "csv")
    assert any(str(data) in f.message for f in findings)
    _, finding, fix = _columns(lines)
    assert "…" not in result.stdout
    for f in findings:
        assert "".join(f.message.split()) in finding
        assert "".join(cli_fix(f).split()) in fix
