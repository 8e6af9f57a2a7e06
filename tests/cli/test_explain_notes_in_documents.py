"""``deltaprop explain --model RUN --out FILE`` writes the run's notes into the document itself.

An audit: after ``train --schedule step:0.5:2 --optimizer momentum --l2 1 --scale standard``,
``explain --model runs/sched --format latex --out t.tex`` printed what its one plain SGD step
leaves out of the run's (momentum, the decay 1 − ηλ/n, the folded scaling, the schedule's last
η) on the terminal only: the .tex, .md, .html, text file and JSON carried none of it, so a
handout presented a plain SGD step as the run's.
"""

from __future__ import annotations

import json

import pytest

from deltaprop.cli import main

# each note's words that every format keeps as they are (LaTeX writes "--" as "-{}-{}")
NOTE_WORDS = (
    "had lowered η to 0.25 by its last epoch",
    "The run trained with momentum",
    "The run trained with L2 weight decay",
    "scaling folded into its first layer",
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    flags = ["--data", "moons", "--layers", "2,4,2", "--epochs", "2", "--seed", "1", "--no-plots", "--quiet"]
    flags += ["--schedule", "step:0.5:1", "--optimizer", "momentum", "--l2", "1", "--scale", "standard"]
    assert main(["train", *flags, "--out", str(folder), "--name", "sched"]) == 0
    return folder / "sched"


def _explain(capsys, run, *extra: str) -> str:
    capsys.readouterr()
    assert main(["explain", "--model", str(run), "--input", "2,1", "--target", "1", *extra]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("ending", [".tex", ".md", ".html", ".txt"])
def test_every_document_says_what_the_step_leaves_out_of_the_run(run, tmp_path, capsys, ending):
    path = tmp_path / f"step{ending}"
    printed = _explain(capsys, run, "--out", str(path))
    document = " ".join(path.read_text(encoding="utf-8").split())  # the text file wraps lines
    for words in NOTE_WORDS:
        assert words in printed  # still said on the terminal, as before
        assert document.count(words) == 1, (ending, words)
    about = document.index("About this run")
    assert about < document.index(NOTE_WORDS[1]) < document.index("forward pass")  # before the step


def test_the_json_lists_the_notes_the_terminal_prints(run, tmp_path, capsys):
    path = tmp_path / "step.json"
    printed = _explain(capsys, run, "--out", str(path)).splitlines()
    notes = json.loads(path.read_text(encoding="utf-8"))["notes"]
    assert len(notes) == 4 and printed[:4] == notes  # η, momentum, L2, --scale: each once


def test_a_document_on_stdout_carries_the_notes_and_stderr_still_says_them(run, capsys):
    capsys.readouterr()
    args = ["explain", "--model", str(run), "--input", "2,1", "--target", "1", "--format", "markdown"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "## About this run" in captured.out
    for words in NOTE_WORDS:
        assert words in captured.out and words in captured.err


def test_the_terminal_text_says_the_notes_once_before_the_walk_through(run, capsys):
    out = " ".join(_explain(capsys, run).split())  # however the console wraps it
    assert "About this run" not in out  # the notes are the first lines, not repeated in a section
    for words in NOTE_WORDS:
        assert out.count(words) == 1 and out.index(words) < out.index("One step of backpropagation")


def test_a_model_outside_a_run_folder_gets_no_about_section(run, tmp_path, capsys):
    model = tmp_path / "alone.safetensors"
    model.write_bytes((run / "model.safetensors").read_bytes())
    path = tmp_path / "step.md"
    _explain(capsys, model, "--out", str(path))
    assert "About this run" not in path.read_text(encoding="utf-8")
