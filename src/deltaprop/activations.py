"""Activation functions σ, each registered with its derivative so the two cannot drift.

Every activation here has a derivative that can be written through its own output
a = σ(net), so ``prime`` takes ``a``, never ``net``: it is what backpropagation has in
hand after the forward pass, and it saves keeping ``net`` around.

================  =========================  ==========================
name              a = σ(net)                 σ'(net), written through a
================  =========================  ==========================
``logistic``      1 / (1 + e^(−net))         a (1 − a)
``tanh``          tanh(net)                  1 − a²
``relu``          max(net, 0)                1 where a > 0, else 0
``leaky_relu``    net if net > 0 else α·net  1 where a > 0, else α (α ≥ 0)
``linear``        net                        1
``softmax``       e^net_j / Σ_k e^net_k      (a full Jacobian: see ``Softmax``)
================  =========================  ==========================

Every ``forward(net)`` and ``prime(a)`` takes and returns arrays of one shape, normally a
batch ``(n_samples, n_units)`` (softmax needs exactly that: it normalises each row).

>>> import numpy as np
>>> from deltaprop import activations
>>> sigma = activations.get("logistic")
>>> a = sigma.forward(np.array([[0.0, 2.0]]))
>>> a.round(6).tolist()
[[0.5, 0.880797]]
>>> sigma.prime(a).round(6).tolist()
[[0.25, 0.104994]]
>>> activations.get("leaky_relu(0.2)")
<activation 'leaky_relu(0.2)'>
"""

from __future__ import annotations

import math
import numbers
import re
from abc import ABC, abstractmethod

import numpy as np

from ._text import did_you_mean

LEAKY_SLOPE = 0.01  # α of leaky_relu, as in PyTorch (Keras: 0.3 for its LeakyReLU layer, 0.2 its function)


def _exp_bound(dtype) -> float:
    """The largest |x| for which exp(x) stays finite in ``dtype`` (708 in float64, 88 in float32)."""
    return float(np.floor(np.log(np.finfo(dtype).max))) - 1.0


# Looked up once per dtype: computing it costs more than the whole logistic of a 10 × 30
# batch, and the training step calls forward thousands of times a second.
_EXP_BOUND = {np.dtype(t): _exp_bound(t) for t in (np.float16, np.float32, np.float64)}


class Activation(ABC):
    """An elementwise activation: ``forward(net) -> a`` and ``prime(a) -> σ'(net)``.

    ``delta(a, dC_da)`` gives δ = ∂C/∂net = ∂C/∂a · σ'(net), the textbook's output-layer
    rule; softmax overrides it because its Jacobian is not diagonal.

    ``out``, in both methods, is an array of the result's shape and dtype that the method
    *may* fill (the built-ins do, to save an allocation; ``out`` may be the input array
    itself); the returned array is what counts, whether or not it is ``out``. An activation
    of your own may ignore ``out`` and return a new array.

    The library takes shortcuts for its own activations (e.g. no σ' product for a linear
    hidden layer, SciPy's ``expit`` for the logistic), never for a subclass of them: see
    :func:`is_builtin`.
    """

    name: str = ""
    elementwise = True

    @property
    def spec(self) -> str:
        """The string :func:`get` rebuilds this activation from: its name, and any parameter
        that differs from the default (``"leaky_relu(0.2)"``). Configurations and model files
        store it, so a saved network comes back with the same σ."""
        return self.name

    @abstractmethod
    def forward(self, net: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """a = σ(net), elementwise (or row-wise for softmax); shape of ``net``."""

    @abstractmethod
    def prime(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """σ'(net), computed from the output ``a = σ(net)``; shape of ``a``."""

    def delta(self, a: np.ndarray, dC_da: np.ndarray) -> np.ndarray:
        """δ = ∂C/∂net for outputs ``a`` and ∂C/∂a, both ``(n_samples, n_units)``."""
        return dC_da * self.prime(a)

    def __repr__(self) -> str:
        return f"<activation {self.spec!r}>"


class Logistic(Activation):
    """σ(net) = 1 / (1 + e^(−net)); σ' = σ (1 − σ)."""

    name = "logistic"

    def forward(self, net, out=None):
        # Clipping |net| to the exp bound keeps e^(−net) finite, so nothing overflows (and no
        # warning is raised). Below −709.78 (−88.72 in float32) σ is then 1/(1 + max), under
        # the smallest normal number, where the exact value is smaller still or 0.
        bound = _EXP_BOUND.get(net.dtype)
        if bound is None:
            bound = _exp_bound(net.dtype)
        out = np.clip(net, -bound, bound, out=out)
        np.negative(out, out=out)
        np.exp(out, out=out)
        out += 1.0
        # 1/x by divide, not reciprocal: the same correctly rounded values, but NumPy's
        # divide is vectorised and twice as fast on large arrays (34 µs against 68 µs for
        # 128 × 1024 float64 values, measured).
        return np.divide(1.0, out, out=out)

    def prime(self, a, out=None):
        out = np.subtract(1.0, a, out=out)
        return np.multiply(out, a, out=out)


class Tanh(Activation):
    """tanh(net); tanh' = 1 − tanh²."""

    name = "tanh"

    def forward(self, net, out=None):
        return np.tanh(net, out=out)

    def prime(self, a, out=None):
        out = np.multiply(a, a, out=out)
        return np.subtract(1.0, out, out=out)


class ReLU(Activation):
    """max(net, 0); its derivative is 1 where net > 0 (equivalently a > 0), else 0."""

    name = "relu"

    def forward(self, net, out=None):
        return np.maximum(net, 0.0, out=out)

    def prime(self, a, out=None):
        # The derivative at net = 0 is taken as 0, as in PyTorch and scikit-learn.
        return np.greater(a, 0.0, out=out) if out is not None else (a > 0).astype(a.dtype)


class LeakyReLU(Activation):
    """net where net > 0, else α·net (α = 0.01 unless given); derivative 1 or α.

    ``LeakyReLU(0.2)``, or the name ``"leaky_relu(0.2)"``, sets another slope α ≥ 0. The
    derivative is read from the output, and a > 0 exactly when net > 0 only while α ≥ 0:
    a negative α (a > 0 for net < 0 too) is refused with a ``ValueError``.
    """

    name = "leaky_relu"

    def __init__(self, slope: float = LEAKY_SLOPE):
        if isinstance(slope, bool) or not isinstance(slope, numbers.Real) or not math.isfinite(slope):
            raise ValueError(f"leaky_relu's slope α must be a finite number; got {slope!r}")
        if slope < 0:
            # prime(a) tells net > 0 from net < 0 by the sign of a, which α < 0 would flip.
            raise ValueError(
                f"leaky_relu's slope α must be ≥ 0 (its derivative is read from the output a, "
                f"whose sign must follow net's); got {slope!r}"
            )
        self.slope = float(slope)

    @property
    def spec(self) -> str:
        return self.name if self.slope == LEAKY_SLOPE else f"{self.name}({self.slope!r})"

    def forward(self, net, out=None):
        a = np.where(net > 0, net, net * net.dtype.type(self.slope))
        return a if out is None else np.copyto(out, a) or out

    def prime(self, a, out=None):
        d = np.where(a > 0, a.dtype.type(1.0), a.dtype.type(self.slope))
        return d if out is None else np.copyto(out, d) or out


class Linear(Activation):
    """The identity: a = net, σ' = 1."""

    name = "linear"

    def forward(self, net, out=None):
        if out is None:
            return net.copy()
        np.copyto(out, net)
        return out

    def prime(self, a, out=None):
        if out is None:
            return np.ones_like(a)
        out.fill(1.0)
        return out


class Softmax(Activation):
    """a_j = e^net_j / Σ_k e^net_k over each row; for the output layer only.

    Its Jacobian ∂a_j/∂net_k = a_j (1[j=k] − a_k) is not diagonal, so there is no
    elementwise ``prime``: ``delta`` applies the Jacobian instead,
    δ_k = Σ_j ∂C/∂a_j · a_j (1[j=k] − a_k) = a_k (∂C/∂a_k − Σ_j ∂C/∂a_j a_j).
    """

    name = "softmax"
    elementwise = False

    def forward(self, net, out=None):
        # Subtracting the row maximum changes nothing mathematically and keeps e^x ≤ 1.
        out = np.subtract(net, net.max(axis=1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def prime(self, a, out=None):
        raise TypeError(
            "softmax has no elementwise derivative; use Softmax.delta(a, dC_da), which applies its Jacobian"
        )

    def delta(self, a, dC_da):
        return a * (dC_da - np.sum(dC_da * a, axis=1, keepdims=True))


def is_builtin(obj: object, cls: type) -> bool:
    """Whether ``obj`` is exactly the library's class ``cls`` (not a subclass): the one rule
    by which the core and the training step decide to take a shortcut written for a built-in
    activation or cost (δ = a − y, no σ' for a linear layer, SciPy's expit for the logistic).

    A subclass may override ``forward``, ``prime``, ``per_sample`` or ``derivative`` and keeps
    its parent's ``name``, and a class of your own may borrow a built-in's name, so neither
    ``isinstance`` nor the name says that the math is the built-in one; the exact type does.
    A subclass that changes nothing only loses the shortcut, not the right result.
    """
    return type(obj) is cls


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Logistic, Tanh, ReLU, LeakyReLU, Linear, Softmax)
}
ALIASES = {"sigmoid": "logistic", "identity": "linear"}
HIDDEN_ONLY_FORBIDDEN = frozenset({"softmax"})


# "name" or "name(parameter)", e.g. "leaky_relu(0.2)": what Activation.spec writes.
_SPEC = re.compile(r"^\s*([A-Za-z_]+)\s*(?:\(\s*([^()]*?)\s*\))?\s*$")
# The activations that take one parameter, and its name.
PARAMETERS = {"leaky_relu": "slope"}


def get(name: str | Activation, param: str = "activation") -> Activation:
    """The activation called ``name`` (or ``name`` itself if it is already an ``Activation``).

    ``name`` is a name or alias (``"logistic"``, ``"sigmoid"``), or a name with its parameter
    as :attr:`Activation.spec` writes it: ``"leaky_relu(0.2)"`` is ``LeakyReLU(slope=0.2)``.
    ``param`` is the argument ``name`` was given as (``"output_activation"``,
    ``"activation[1]"``), for the messages. Raises ``TypeError`` for a ``name`` that is not a
    string and ``ValueError`` for an unknown name or a parameter that is missing, unexpected
    or out of range.

    >>> get("softmaxx", param="output_activation")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'softmaxx' for output_activation; did you mean 'softmax'?; ...
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"{param} must be a name such as 'logistic' or an Activation; got {name!r} "
            f"of type {type(name).__name__}"
        )
    match = _SPEC.match(name)
    key = match.group(1).lower() if match else name.lower()
    key = ALIASES.get(key, key)
    if key not in ACTIVATIONS:
        given_as = "" if param == "activation" else f" for {param}"
        suggestion = did_you_mean(key, [*ACTIVATIONS, *ALIASES], "'{}'")
        raise ValueError(
            f"unknown activation {name!r}{given_as}{suggestion}; expected one of {sorted(ACTIVATIONS)}"
        )
    argument = match.group(2) if match else None
    if argument is None:
        return ACTIVATIONS[key]()
    if key not in PARAMETERS:
        raise ValueError(f"activation {key!r} takes no parameter; got {name!r}")
    try:
        value = float(argument)
    except ValueError:
        raise ValueError(
            f"activation {name!r}: the {PARAMETERS[key]} in parentheses must be a number, e.g. '{key}(0.2)'"
        ) from None
    return ACTIVATIONS[key](value)
