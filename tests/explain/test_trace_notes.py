"""``dp.explain(..., notes=[...])``: lines about the step's context that every rendering opens with.

The notes live on the trace, so that ``render(trace, fmt)`` in each format, the notebook's view
and ``trace.to_dict()`` all carry them without an argument of their own.
"""

from __future__ import annotations

import json

import pytest

import deltaprop as dp
from deltaprop.walkthrough import FORMATS, examples, render

NOTES = ["The run trained with momentum 0.9.", "Its weights decayed by (1 − ηλ/n) each step."]


@pytest.fixture(scope="module")
def traces():
    ex = examples.mazur()
    with_notes = dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False, notes=NOTES)
    plain = dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False)
    return with_notes, plain


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_opens_with_the_notes_before_the_step(traces, fmt):
    with_notes, plain = traces
    text = " ".join(render(with_notes, fmt).split())
    about = text.index("About this run")
    assert about < text.index("The run trained with momentum 0.9.") < text.index("Its weights decayed by (1")
    assert text.index("Its weights decayed") < text.index("forward pass")
    assert "About this run" not in render(plain, fmt)


def test_the_notebook_views_and_the_json_carry_them(traces):
    with_notes, plain = traces
    assert "About this run" in with_notes._repr_html_() and "About this run" in with_notes._repr_markdown_()
    assert json.loads(json.dumps(with_notes.to_dict()))["notes"] == NOTES
    assert plain.to_dict()["notes"] == [] and plain.notes == ()
    assert with_notes.notes == tuple(NOTES)


@pytest.mark.parametrize(
    ("notes", "error", "message"),
    [
        ("momentum", TypeError, "notes must be a list of strings, one note each; got 'momentum'"),
        ([1.5], TypeError, "notes[0] must be a string; got 1.5 of type float"),
        (["fine", "  "], ValueError, "notes[1] is blank"),
        (None, TypeError, "notes must be a list of strings, one note each; got None"),
    ],
)
def test_bad_notes_are_refused_by_name(notes, error, message):
    ex = examples.mazur()
    with pytest.raises(error) as caught:
        dp.explain(ex.net, ex.x, ex.y, 0.5, notes=notes)
    assert message in str(caught.value)
