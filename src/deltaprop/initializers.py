"""Weight initialisers, each drawing ``(w, b)`` for one layer from an explicit Generator.

For a layer with ``n_in`` inputs and ``n_out`` neurons, ``w`` is ``(n_in, n_out)`` and
``b`` is ``(n_out,)``.

====================  ==================================  =============
name                  w                                   b
====================  ==================================  =============
``normal``            N(0, 1) (Nielsen, chapter 1)        N(0, 1)
``normal_scaled``     N(0, 1/n_in) (Nielsen, chapter 3)   N(0, 1)
``glorot_uniform``    U(±√(6/(n_in + n_out)))             0
``glorot_normal``     N(0, 2/(n_in + n_out))              0
``he_normal``         N(0, 2/n_in)                        0
====================  ==================================  =============

N(0, s²) is a normal of variance s². ``xavier_uniform`` and ``xavier_normal`` are aliases.
Keras draws ``glorot_normal`` and ``he_normal`` from a normal truncated at two standard
deviations; here they are plain normals, as in Glorot & Bengio (2010) and He et al. (2015).

>>> import numpy as np
>>> from deltaprop import initializers
>>> w, b = initializers.get("he_normal")(3, 2, np.random.default_rng(0))
>>> w.shape, b.shape
((3, 2), (2,))
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._text import did_you_mean

Init = Callable[[int, int, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def normal(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """w ~ N(0, 1) ``(n_in, n_out)`` and b ~ N(0, 1) ``(n_out,)``: Nielsen's chapter 1."""
    return rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)


def normal_scaled(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """w ~ N(0, 1/n_in) ``(n_in, n_out)`` and b ~ N(0, 1) ``(n_out,)``: Nielsen's chapter 3."""
    return rng.standard_normal((n_in, n_out)) / np.sqrt(n_in), rng.standard_normal(n_out)


def glorot_uniform(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """w ~ U(±√(6/(n_in + n_out))) ``(n_in, n_out)`` and b = 0 ``(n_out,)``."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_in, n_out)), np.zeros(n_out)


def glorot_normal(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """w ~ N(0, 2/(n_in + n_out)) ``(n_in, n_out)`` and b = 0 ``(n_out,)``."""
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out)), np.zeros(n_out)


def he_normal(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """w ~ N(0, 2/n_in) ``(n_in, n_out)`` and b = 0 ``(n_out,)``, for ReLU layers."""
    return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in), np.zeros(n_out)


INITIALIZERS: dict[str, Init] = {
    f.__name__: f for f in (normal, normal_scaled, glorot_uniform, glorot_normal, he_normal)
}
ALIASES = {"xavier_uniform": "glorot_uniform", "xavier_normal": "glorot_normal"}


def get(name: str) -> Init:
    """The initialiser called ``name`` (case-insensitive; aliases as above).

    It is a function ``(n_in, n_out, rng) -> (w, b)``. Raises ``TypeError`` when ``name`` is
    not a string and ``ValueError`` when it names no initialiser.
    """
    if not isinstance(name, str):
        raise TypeError(f"init must be a name such as 'normal'; got {name!r}")
    key = ALIASES.get(name.lower(), name.lower())
    if key not in INITIALIZERS:
        suggestion = did_you_mean(key, [*INITIALIZERS, *ALIASES], "'{}'")
        raise ValueError(f"unknown init {name!r}{suggestion}; expected one of {sorted(INITIALIZERS)}")
    return INITIALIZERS[key]
