"""``trace.weight_step(l, i, j)`` out of range names the index, its value and its range (it was a
bare ``IndexError: list index out of range``), and a negative index is refused, not read from the
end as a weight whose record would carry l = -1."""

from __future__ import annotations

import pytest

import deltaprop as dp


@pytest.fixture(scope="module")
def trace():
    """Mazur's 2-2-2 step: weights[0] from 2 inputs to 2 hidden neurons, weights[1] to 2 outputs."""
    return dp.explain(dp.Network([2, 2, 2], seed=0), [0.05, 0.1], [0.01, 0.99], 0.5)


@pytest.mark.parametrize(
    ("indices", "message"),
    [
        ((5, 0, 0), "l must be in 0..1 (the 2 layers of weights); got 5"),
        ((-1, 0, 0), "l must be in 0..1 (the 2 layers of weights); got -1"),
        ((0, 2, 0), "i must be in 0..1 (the 2 neurons of layer 0, where weights[0] starts); got 2"),
        ((1, 0, 7), "j must be in 0..1 (the 2 neurons of layer 2, where weights[1] ends); got 7"),
    ],
)
def test_an_index_out_of_range_is_named_with_its_range(trace, indices, message):
    with pytest.raises(IndexError) as raised:
        trace.weight_step(*indices)
    assert str(raised.value) == message


@pytest.mark.parametrize("l", [1.0, True, "1"])
def test_an_index_that_is_not_a_whole_number_is_a_type_error(trace, l):
    with pytest.raises(TypeError, match=r"^l must be a whole number; got "):
        trace.weight_step(l, 0, 0)


def test_indices_in_range_still_give_the_record(trace):
    step = trace.weight_step(1, 1, 0)  # Nielsen's w³₁₂
    assert (step.l, step.i, step.j) == (1, 1, 0)
    assert step.grad == float(trace.gradients.weights[1][1, 0])
