"""Aliases the library accepts (``--activation sigmoid``, ``--cost mse``, ``--init
xavier_normal``, capitals) are stored and shown under the library's own names, the ones the
model file keeps: the run header, ``config.toml``, and the checks that compare names.

The commands run in-process (``deltaprop.cli.main``) on the built-in digits, one epoch each.
"""

from __future__ import annotations

import tomllib
from cli_helpers import same_weights

import deltaprop as dp

QUICK = ("--epochs", "1", "--seed", "3", "--no-plots")


def test_aliases_are_stored_and_shown_by_their_names_and_rerun_bit_for_bit(run, tmp_path):
    aliases = ("--activation", "Sigmoid", "--output-activation", "sigmoid", "--cost", "mse")
    result = run("train", *aliases, "--init", "xavier_normal", *QUICK, "--name", "a")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0]
    assert "logistic/logistic, quadratic cost" in header, header
    assert "sigmoid" not in result.stdout.lower() and "mse" not in result.stdout
    model = tomllib.loads((tmp_path / "runs/a/config.toml").read_text())["model"]
    assert (model["activation"], model["output_activation"], model["cost"], model["init"]) == (
        "logistic",
        "logistic",
        "quadratic",
        "glorot_normal",
    )
    net = dp.load(tmp_path / "runs/a/model.safetensors")
    assert net.activation_names == ["logistic", "logistic"] and net.cost.name == "quadratic"
    rerun = run("train", "--config", "runs/a/config.toml", "--name", "b", "--quiet", "--no-plots")
    assert rerun.returncode == 0, rerun.stderr
    assert same_weights(tmp_path / "runs/a/model.safetensors", tmp_path / "runs/b/model.safetensors")


def test_the_alias_of_a_cost_picks_the_output_its_name_picks(run, tmp_path):
    # --cost nll is log_likelihood: the output it picks is a softmax, not the hidden activation
    for name, cost in (("nll", "nll"), ("ll", "log_likelihood")):
        assert run("train", "--cost", cost, *QUICK, "--name", name, "--quiet").returncode == 0
    assert dp.load(tmp_path / "runs/nll/model.safetensors").activation_names[-1] == "softmax"
    assert same_weights(tmp_path / "runs/nll/model.safetensors", tmp_path / "runs/ll/model.safetensors")


def test_a_leaky_relu_keeps_its_slope_under_its_name(run, tmp_path):
    result = run("train", "--activation", "LEAKY_RELU(0.2)", *QUICK, "--name", "l", "--quiet")
    assert result.returncode == 0, result.stderr
    model = tomllib.loads((tmp_path / "runs/l/config.toml").read_text())["model"]
    assert model["activation"] == "leaky_relu(0.2)"
    assert dp.load(tmp_path / "runs/l/model.safetensors").activations[0].spec == "leaky_relu(0.2)"
