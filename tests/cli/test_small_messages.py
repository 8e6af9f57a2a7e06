"""Small things a user's files do that were answered with a wrong or a doubled message: a
comment first line, a config naming both a built-in set and a file, a run whose only weights,
its checkpoint, are damaged."""

from __future__ import annotations

import numpy as np
from cli_helpers import assert_one_line_error


def _rows(n: int = 20) -> str:
    rng = np.random.default_rng(0)
    return "".join(f"{a:.3f},{b:.3f},{int(a > 0.5)}\n" for a, b in rng.random((n, 2)))


def test_a_comment_first_line_is_skipped(run, tmp_path):
    """It was read as a header of one column: "the file has 1 column(s)" for a file of three."""
    (tmp_path / "c.csv").write_text("# my data, from the lab\na,b,label\n" + _rows())

    result = run("train", "--data", "c.csv", "--epochs", "1", "--no-plots", "--quiet", "--name", "r")

    assert result.returncode == 0, result.stderr
    assert "layers = [\n    2," in (tmp_path / "runs/r/config.toml").read_text()


def test_a_config_naming_a_built_in_set_and_a_file_is_refused(run, tmp_path):
    """The name was dropped without a word, and the file trained."""
    (tmp_path / "d.csv").write_text("a,b,label\n" + _rows())
    (tmp_path / "both.toml").write_text('[data]\nname = "digits"\npath = "d.csv"\n')

    result = run("train", "--config", "both.toml", "--epochs", "1")

    assert_one_line_error(result, 2, "both.toml gives both [data] name = 'digits'", "path = 'd.csv'")
    assert not (tmp_path / "runs").exists()


def test_a_damaged_checkpoint_without_a_model_is_said_once(run, tmp_path):
    """evaluate said "the weights of its checkpoint are used. Finish the run with deltaprop
    resume", then that the checkpoint was truncated: advice that cannot be followed."""
    (tmp_path / "d.csv").write_text("a,b,label\n" + _rows())
    assert (
        run("train", "--data", "d.csv", "--epochs", "2", "--no-plots", "--quiet", "--name", "r").returncode
        == 0
    )
    (tmp_path / "runs/r/model.safetensors").unlink()
    checkpoint = tmp_path / "runs/r/checkpoint.safetensors"
    checkpoint.write_bytes(checkpoint.read_bytes()[:300])

    for command in (["evaluate", "runs/r"], ["predict", "runs/r", "d.csv", "--label-column", "label"]):
        result = run(*command)
        assert_one_line_error(result, 1, "runs/r holds no model.safetensors", "is damaged", "truncated")
        assert "Finish the run" not in result.stderr
