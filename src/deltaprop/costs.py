"""Cost functions C, each written as a function of the network's outputs a.

C is an average over the n samples of a batch (or training set), C = 1/n Σ_x C_x, as in
the classic account. ``per_sample(a, y)`` returns every sample's C_x ``(n_samples,)`` and
``value(a, y)`` their average (the same numbers summed: a weighted average
Σ s_x C_x / Σ s_x of ``per_sample`` is C for per-sample weights); ``derivative(a, y)`` returns
∂C_x/∂a for each sample x, *not* divided by n: the 1/n enters once, when backprop
averages o_i δ_j over the batch. δ is therefore the per-sample error ∂C_x/∂net.

Arrays ``a`` and ``y`` are ``(n_samples, n_out)``.

>>> import numpy as np
>>> from deltaprop import costs
>>> C = costs.get("quadratic")
>>> a, y = np.array([[0.5, 1.0], [0.0, 0.0]]), np.array([[0.0, 1.0], [0.0, 1.0]])
>>> C.per_sample(a, y).tolist()  # ½ (0.25 + 0), ½ (0 + 1)
[0.125, 0.5]
>>> C.value(a, y)  # (0.125 + 0.5) / 2
0.3125
>>> C.derivative(a, y).tolist()  # per sample, not divided by n
[[0.5, 0.0], [0.0, -1.0]]
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from . import activations as act
from ._text import did_you_mean


def _clip_probability(a: np.ndarray) -> np.ndarray:
    """Keep a inside [ε, 1 − ε] so ln a and ln(1 − a) stay finite when a is exactly 0 or 1."""
    eps = np.finfo(a.dtype).eps
    return np.clip(a, eps, 1.0 - eps)


class Cost(ABC):
    """A cost: ``per_sample(a, y)`` = C_x, ``value(a, y)`` (their mean) and ``derivative(a, y)``.

    ``delta(activation, a, y)`` is the output layer's δ = ∂C/∂a · σ'(net); for the output
    activations in ``simplifies_with`` it is ``simplified_delta(a, y)``, the same δ with the
    σ' factor cancelled by hand (a − y, or a Σy − y for softmax with log-likelihood). That
    shortcut is taken only where both the cost and the activation are the library's own
    classes (:meth:`simplifies`): a subclass that changes ``derivative`` or ``prime`` gets
    δ = ∂C/∂a · σ'(net) from its own methods.
    """

    name: str = ""
    simplifies_with: frozenset[str] = frozenset()

    @abstractmethod
    def per_sample(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """C_x of every sample, ``(n_samples,)``, in the dtype of ``a``."""

    def value(self, a: np.ndarray, y: np.ndarray) -> float:
        """C, averaged over the samples of ``a`` and ``y``: the mean of :meth:`per_sample`."""
        return float(self.per_sample(a, y).sum() / a.shape[0])

    @abstractmethod
    def derivative(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂C_x/∂a for every sample, ``(n_samples, n_out)``."""

    def simplified_delta(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """δ = a − y ``(n_samples, n_out)``, exact for the outputs in ``simplifies_with``."""
        return a - y

    def simplifies(self, activation: act.Activation) -> bool:
        """Whether the output δ with ``activation`` is ``simplified_delta``: the pair is in
        ``simplifies_with`` and both are exactly the built-in classes of their names
        (:func:`~deltaprop.activations.is_builtin`), whose math the shortcut was derived from."""
        return (
            activation.name in self.simplifies_with
            and act.is_builtin(self, COSTS.get(self.name))
            and act.is_builtin(activation, act.ACTIVATIONS.get(activation.name))
        )

    def delta(self, activation: act.Activation, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Output-layer δ = ∂C_x/∂net_j for every sample, ``(n_samples, n_out)``."""
        if self.simplifies(activation):
            return self.simplified_delta(a, y)
        return activation.delta(a, self.derivative(a, y))

    def __repr__(self) -> str:
        return f"<cost {self.name!r}>"


class Quadratic(Cost):
    """C = 1/(2n) Σ_x ||y(x) − a(x)||²;  ∂C_x/∂a = a − y.

    With a linear output σ' = 1, so δ = a − y exactly.
    """

    name = "quadratic"
    simplifies_with = frozenset({"linear"})

    def per_sample(self, a, y):
        diff = a - y
        return 0.5 * np.einsum("ij,ij->i", diff, diff)

    def derivative(self, a, y):
        return a - y


class CrossEntropy(Cost):
    """C = −1/n Σ_x Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)], for logistic outputs.

    ∂C_x/∂a_j = (a_j − y_j) / (a_j (1 − a_j)). With a logistic output σ'(net) = a (1 − a),
    and the product is δ_j = (a_j − y_j) / (a_j (1 − a_j)) · a_j (1 − a_j) = a_j − y_j:
    the σ' that slows learning under the quadratic cost cancels.
    """

    name = "cross_entropy"
    simplifies_with = frozenset({"logistic"})

    def per_sample(self, a, y):
        p = _clip_probability(a)
        return -np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p), axis=1)

    def derivative(self, a, y):
        p = _clip_probability(a)
        return (p - y) / (p * (1.0 - p))


class LogLikelihood(Cost):
    """C = −1/n Σ_x Σ_j y_j ln a_j (= −ln a_y for one-hot y), for softmax outputs.

    ∂C_x/∂a_j = −y_j / a_j. Through the softmax Jacobian a_j (1[j=k] − a_k):
    δ_k = Σ_j (−y_j / a_j) a_j (1[j=k] − a_k) = a_k Σ_j y_j − y_k,
    which is the textbook's δ = a − y when the targets of a sample sum to 1 — class labels,
    one-hot rows, soft labels that are a probability distribution. ``simplified_delta``
    returns a Σy − y, exact for any targets, and a − y bit for bit where Σy = 1 exactly
    (a · 1 is a).

    Targets whose rows do not sum to 1 are a different cost, not an error: a row that sums
    to s is s times the cost of the distribution y / s, so its pull is scaled by s and its
    minimum is a = y / s (a multi-label row [1, 1, 0] pulls a towards [½, ½, 0]); an all-zero
    row costs nothing and has δ = 0. For labels that are independent yes/no questions,
    logistic outputs with ``cross_entropy`` are the usual model.

    >>> import numpy as np
    >>> a, y = np.array([[0.25, 0.75]]), np.array([[1.0, 1.0]])  # a multi-label row, Σy = 2
    >>> LogLikelihood().simplified_delta(a, y).tolist()  # a Σy − y, not a − y
    [[-0.5, 0.5]]
    """

    name = "log_likelihood"
    simplifies_with = frozenset({"softmax"})

    def per_sample(self, a, y):
        return -np.einsum("ij,ij->i", y, np.log(_clip_probability(a)))

    def derivative(self, a, y):
        return -y / _clip_probability(a)

    def simplified_delta(self, a, y):
        return a * np.sum(y, axis=1, keepdims=True) - y


COSTS: dict[str, type[Cost]] = {cls.name: cls for cls in (Quadratic, CrossEntropy, LogLikelihood)}
ALIASES = {
    "mse": "quadratic",
    "binary_cross_entropy": "cross_entropy",
    "categorical_cross_entropy": "log_likelihood",
    "nll": "log_likelihood",
}


def get(name: str | Cost) -> Cost:
    """The cost called ``name`` (or ``name`` itself if it is already a ``Cost``).

    Names are case-insensitive; the aliases are ``mse``, ``binary_cross_entropy``,
    ``categorical_cross_entropy`` and ``nll``. Raises ``TypeError`` for a ``name`` that is
    not a string and ``ValueError`` for an unknown one.
    """
    if isinstance(name, Cost):
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"cost must be a name such as 'quadratic' or a Cost; got {name!r} of type {type(name).__name__}"
        )
    key = ALIASES.get(name.lower(), name.lower())
    if key not in COSTS:
        suggestion = did_you_mean(key, [*COSTS, *ALIASES], "'{}'")
        raise ValueError(f"unknown cost {name!r}{suggestion}; expected one of {sorted(COSTS)}")
    return COSTS[key]()


def per_sample_costs(cost: Cost, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """C_x of every sample in float64, ``(n_samples,)``, for outputs ``a`` and targets ``y``
    ``(n_samples, n_L)``: ``cost.per_sample(a, y)``, whose mean is ``cost.value(a, y)``."""
    return np.asarray(cost.per_sample(a, y), dtype=np.float64)


def weighted_cost(cost: Cost, a: np.ndarray, y: np.ndarray, s: np.ndarray, weight_sum: float) -> float:
    """C = Σ_x s_x C_x / Σ_x s_x for outputs ``a``, targets ``y`` and weights ``s`` ``(n_samples,)``.

    ``weight_sum`` is Σ_x s_x; 0.0 when it is 0 (a batch that weighs nothing costs nothing).
    """
    if weight_sum == 0:
        return 0.0
    return float(np.dot(s.astype(np.float64, copy=False), per_sample_costs(cost, a, y))) / weight_sum
