"""One rule and one wording for every ``seed`` the package takes (the Network's, fit's, the data's)."""

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import datasets
from deltaprop._validation import check_seed, rng_from_seed

WITH_GENERATOR = "seed must be an integer ≥ 0, a numpy.random.Generator or None; got "
WITHOUT_GENERATOR = "seed must be an integer ≥ 0 or None; got "

TAKES_A_GENERATOR = {
    "Network": lambda seed: dp.Network([2, 2], seed=seed),
    "make_moons": lambda seed: datasets.make_moons(10, seed=seed),
    "make_spiral": lambda seed: datasets.make_spiral(10, seed=seed),
    "load": lambda seed: datasets.load("circles", seed=seed),
}


@pytest.mark.parametrize("where", sorted(TAKES_A_GENERATOR))
@pytest.mark.parametrize(
    ("seed", "error", "got"),
    [(-2, ValueError, "-2"), (2.0, TypeError, "2.0 of type float"), (True, TypeError, "True of type bool")],
)
def test_the_same_message_everywhere_a_generator_is_accepted(where, seed, error, got):
    with pytest.raises(error) as caught:
        TAKES_A_GENERATOR[where](seed)
    assert str(caught.value) == WITH_GENERATOR + got


def test_fit_takes_no_generator_and_says_so():
    net = dp.Network([2, 2], seed=0)
    X, y = datasets.xor()
    with pytest.raises(ValueError) as caught:
        net.fit(X, y, epochs=1, seed=-2)
    assert str(caught.value) == WITHOUT_GENERATOR + "-2"
    with pytest.raises(TypeError) as caught:
        net.fit(X, y, epochs=1, seed=np.random.default_rng(0))
    assert str(caught.value).startswith(WITHOUT_GENERATOR + "Generator(PCG64)")


def test_check_seed_returns_the_checked_value():
    rng = np.random.default_rng(0)
    assert (
        check_seed(np.int64(3), generator=False) == 3
        and type(check_seed(np.int64(3), generator=False)) is int
    )
    assert check_seed(None, generator=True) is None
    assert check_seed(rng, generator=True) is rng
    assert rng_from_seed(rng) is rng
    assert rng_from_seed(5).integers(1000) == np.random.default_rng(5).integers(1000)
    with pytest.raises(ValueError, match=r"^random_state must be an integer ≥ 0 or None; got -1$"):
        check_seed(-1, generator=False, name="random_state")
