"""Optimizers: small update rules that apply gradients, kept apart from backprop.

Each has ``step(net, grads)``, changing ``net.weights`` and ``net.biases`` in place from a
:class:`~deltaprop.network.Gradients`, and a ``learning_rate`` (η) that schedules may
change between steps.

An optimizer with state (momentum's velocities, Adam's moments and its step count t) is tied
to the network it steps, as a PyTorch optimizer is to its parameters: the state belongs to
the first network stepped, and stepping another one with it is refused (ValueError) rather
than starting that network from moments it never had. ``reset()`` forgets the state, so the
optimizer can start afresh on any network; ``load_state_dict`` gives it state that the next
network stepped takes, if the arrays fit it.

L2 weight decay follows Nielsen (chapter 3): with regularisation parameter λ and training
set size n, C = C_0 + λ/(2n) Σ w², so ∂C/∂w = ∂C_0/∂w + (λ/n) w and plain gradient descent
becomes w → (1 − ηλ/n) w − η ∂C_0/∂w. Biases are not decayed. ``n_train`` (n) is set by
``fit``; set it yourself when stepping by hand.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ._optimizer_checks import (
    check_grads,
    check_state_dict,
    other_library_hint,
    same_parameters,
    state_misfit,
)
from ._text import did_you_mean
from ._validation import check_flag, check_positive_float, check_positive_int


class Optimizer(ABC):
    """Base class: the learning rate, L2 decay, the bias switch and per-parameter state.

    Parameters
    ----------
    learning_rate : float
        η > 0, every optimizer's first argument (the three below are keyword-only).
        Schedules and callbacks may change ``self.learning_rate`` between steps.
    l2 : float, default 0.0
        λ ≥ 0 of Nielsen's L2 term λ/(2n) Σ w² (weights only, never biases).
    n_train : int, optional
        n in λ/n, the training set size; ``fit`` sets it. Needed only when ``l2 > 0``.
    update_biases : bool, default True
        False leaves every bias as it is (as in Mazur's worked example).

    Raises ``TypeError`` or ``ValueError`` for a hyperparameter of the wrong type or range.
    """

    name = ""
    # The prefixes of the state arrays' keys, one per slot of a parameter "w{l}" or "b{l}":
    # SGD keeps a velocity "w0", Adam the moments "m_w0" and "v_w0"; and what they are called.
    slot_prefixes: tuple[str, ...] = ("",)
    state_name = "velocities"

    def __init__(
        self,
        learning_rate: float,
        *,
        l2: float = 0.0,
        n_train: int | None = None,
        update_biases: bool = True,
        **unknown,
    ):
        for name in unknown:  # Python's own TypeError would name Optimizer.__init__, not the class
            optimizer = type(self).__name__
            raise TypeError(
                f"{optimizer}() got an unexpected keyword argument {name!r}"
                + other_library_hint(name, optimizer)
            )
        self.learning_rate = learning_rate  # checked by the property
        self.l2 = check_positive_float(l2, "l2", allow_zero=True)
        self.n_train = None if n_train is None else check_positive_int(n_train, "n_train")
        self.update_biases = check_flag(update_biases, "update_biases")
        self.iterations = 0  # steps taken, t
        self._state: dict[str, np.ndarray] = {}
        # The network the state belongs to: held as PyTorch holds its parameters, so a deepcopy
        # of both together (a copied estimator, say) pairs the copies. None: no owner yet.
        self._network = None

    @property
    def learning_rate(self) -> float:
        """η, a finite number > 0. Checked when set (by the constructor, a schedule, a callback
        or by hand), so a step never meets a string or a negative η, and costs nothing to read."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._learning_rate = check_positive_float(value, "learning_rate")

    def step(self, net, grads) -> None:
        """Apply one update to every weight (and bias, unless ``update_biases=False``).

        ``grads`` is the :class:`~deltaprop.network.Gradients` of ``net.backprop``: each
        ``grads.weights[l]`` shaped like ``net.weights[l]`` ``(n_l, n_{l+1})``, each
        ``grads.biases[l]`` like ``net.biases[l]`` ``(n_{l+1},)``. ``net`` is changed in
        place and ``iterations`` (t) counts one more step.

        Raises ``TypeError`` when ``grads`` is not such an object, ``ValueError`` when its
        shapes do not fit ``net``, when ``l2 > 0`` and ``n_train`` is unset, or when the
        optimizer holds the state of another network (see :meth:`reset`); then nothing (not
        ``net``, not the step count) has changed.
        """
        check_grads(net, grads)
        decay = self._decay_rate()  # may refuse: before anything changes
        self._claim(net)
        self.iterations += 1
        for l, (w, g) in enumerate(zip(net.weights, grads.weights)):
            self._update(f"w{l}", w, g, decay)
        if self.update_biases:
            for l, (b, g) in enumerate(zip(net.biases, grads.biases)):
                self._update(f"b{l}", b, g, 0.0)

    def _decay_rate(self) -> float:
        """λ/n, the factor of w in the L2 term of ∂C/∂w."""
        if self.l2 == 0.0:
            return 0.0
        if self.n_train is None:
            raise ValueError(
                "l2 > 0 needs n_train, the training set size n in λ/n; fit() sets it, "
                "or pass n_train= when stepping by hand"
            )
        return self.l2 / self.n_train

    @abstractmethod
    def _update(self, key: str, param: np.ndarray, grad: np.ndarray, decay: float) -> None:
        """Update ``param`` in place from its gradient; ``decay`` is λ/n for weights, 0 for biases."""

    def _slot(self, key: str, like: np.ndarray) -> np.ndarray:
        """The state array (velocity, moment) of one parameter, zeros at first. :meth:`_claim`
        has made sure that any there already fits ``like``."""
        slot = self._state.get(key)
        if slot is None:
            slot = self._state[key] = np.zeros_like(like)
        return slot

    def _claim(self, net) -> None:
        """Make the state ``net``'s, once :meth:`_check_network` allows it."""
        if self._network is not net:
            self._check_network(net)
            self._network = net

    def _check_network(self, net) -> None:
        """Refuse (ValueError) to step ``net`` when the state belongs to another network, or
        (loaded, no network yet) its arrays do not fit ``net``'s. Without state (a new or reset
        optimizer, plain SGD) any network may take it."""
        owner = self._network
        if owner is net or not self._state:
            return
        if owner is None:
            misfit = self.misfit(net)
            if misfit:
                raise ValueError(
                    f"this {type(self).__name__}'s state (loaded with load_state_dict) does not fit "
                    f"the network {net!r}: {misfit}. Load the state of the optimizer that trained "
                    f"this network, or call optimizer.reset() to start afresh"
                )
        elif not same_parameters(owner, net):
            raise ValueError(
                f"this {type(self).__name__} holds the state of another network: its {self.state_name} "
                f"after t = {self.iterations} steps on {owner!r}, not on the network given. Stepping "
                f"that network would start it from another's {self.state_name}: give each network its "
                f"own optimizer (a new {type(self).__name__}(...)), or call optimizer.reset() to start "
                f"this one afresh"
            )

    def misfit(self, net, noun: str = "state array", prefix: str = "") -> str | None:
        """What makes the state arrays unfit for ``net`` (:func:`state_misfit`); None if they fit."""
        return state_misfit(self._state, self.slot_prefixes, self.name, net, noun, prefix)

    def reset(self) -> None:
        """Forget the state: the step count t, every velocity and moment, and the network they
        belonged to. The hyperparameters stay as they are now (a learning rate a schedule set,
        too). The optimizer is then as new, ready for any network."""
        self.iterations = 0
        self._state = {}
        self._network = None

    def state_dict(self) -> dict:
        """Everything needed to resume: hyperparameters, step count and state arrays."""
        return {
            "name": self.name,
            "hyper": self.hyperparameters(),
            "iterations": self.iterations,
            "state": {k: v.copy() for k, v in self._state.items()},
        }

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned: hyperparameters, step count, state arrays.

        The state then belongs to no network until the next :meth:`step`, which refuses a
        network whose parameters the arrays do not fit.

        Raises ``ValueError`` for the state of another kind of optimizer, and ``TypeError`` or
        ``ValueError``, naming the key, for a ``state`` that is not a dict of those keys
        ("iterations" and "state" required), hyperparameters the constructor would refuse, a
        step count that is not an integer ≥ 0 or state arrays that are not float arrays; then
        nothing changed.
        """
        hyper, arrays = check_state_dict(state, type(self).__name__)
        name = state.get("name", self.name)
        if name != self.name:
            raise ValueError(
                f"state is that of the {name!r} optimizer; this one is {self.name!r} "
                f"(load it into optimizers.get({name!r}))"
            )
        hyper = {**self.hyperparameters(), **hyper}
        unknown = sorted(set(hyper) - set(self.hyperparameters()))
        if unknown:
            raise ValueError(
                f"state's hyperparameters include {unknown}, which {type(self).__name__} does not "
                f"take; expected some of {sorted(self.hyperparameters())}"
            )
        checked = type(self)(**hyper)  # the constructor's checks, on the values to be restored
        iterations = check_positive_int(state["iterations"], "state['iterations']", allow_zero=True)
        for key in hyper:
            setattr(self, key, getattr(checked, key))
        self.iterations, self._state, self._network = iterations, arrays, None

    def hyperparameters(self) -> dict:
        """The constructor's arguments as they are now: ``type(self)(**hyperparameters())`` rebuilds it."""
        return {
            "learning_rate": self.learning_rate,
            "l2": self.l2,
            "n_train": self.n_train,
            "update_biases": self.update_biases,
        }

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Gradient descent, Δw = −η ∂C/∂w; with ``momentum`` μ > 0, heavy-ball or Nesterov.

    The keyword-only ``l2``, ``n_train`` and ``update_biases`` are :class:`Optimizer`'s. μ is
    in [0, 1); ``nesterov=True`` needs μ > 0.

    Momentum follows PyTorch's form: v ← μ v + g, then w ← w − η v, or with
    ``nesterov=True`` w ← w − η (g + μ v). With μ = 0 this is the classic rule, and L2
    decay is applied exactly as Nielsen writes it, w ← (1 − ηλ/n) w − η g.

    >>> import deltaprop as dp
    >>> net = dp.Network.from_arrays([[[0.5]]], [[0.0]], activation="linear")
    >>> grads = net.backprop([[2.0]], [[0.0]])  # a = 1, δ = a − y = 1, ∂C/∂w = o·δ = 2
    >>> dp.SGD(0.1).step(net, grads)  # w ← 0.5 − 0.1 × 2, b ← 0 − 0.1 × 1
    >>> net.weights[0].item(), net.biases[0].item()
    (0.3, -0.1)
    """

    name = "sgd"

    def __init__(
        self,
        learning_rate: float = 0.1,
        momentum: float = 0.0,
        nesterov: bool = False,
        *,
        l2: float = 0.0,
        n_train: int | None = None,
        update_biases: bool = True,
        **unknown,
    ):
        # Optimizer's keywords spelled out for help() and editors (a test keeps them equal); any
        # other goes on to Optimizer, which refuses it with deltaprop's name for it.
        super().__init__(learning_rate, l2=l2, n_train=n_train, update_biases=update_biases, **unknown)
        momentum = check_positive_float(momentum, "momentum", allow_zero=True)
        if momentum >= 1.0:
            raise ValueError(f"momentum must be in [0, 1); got {momentum}")
        nesterov = check_flag(nesterov, "nesterov")
        if nesterov and momentum == 0.0:
            raise ValueError("nesterov=True needs momentum > 0; got momentum=0")
        self.momentum, self.nesterov = momentum, nesterov

    def _update(self, key, param, grad, decay):
        eta = self.learning_rate
        if self.momentum == 0.0:
            if decay:
                param *= 1.0 - eta * decay
            param -= eta * grad
            return
        g = grad + decay * param if decay else grad
        v = self._slot(key, param)
        v *= self.momentum
        v += g
        param -= eta * (g + self.momentum * v if self.nesterov else v)

    def hyperparameters(self):
        return {**super().hyperparameters(), "momentum": self.momentum, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with the paper's defaults η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8.

    The keyword-only ``l2``, ``n_train`` and ``update_biases`` are :class:`Optimizer`'s. β1
    and β2 are in [0, 1), ε > 0.

    m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  w ← w − η m̂ / (√v̂ + ε), with the bias
    corrections m̂ = m / (1 − β1^t) and v̂ = v / (1 − β2^t). L2 adds (λ/n) w to g.
    """

    name = "adam"
    slot_prefixes = ("m_", "v_")
    state_name = "moments"

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
        *,
        l2: float = 0.0,
        n_train: int | None = None,
        update_biases: bool = True,
        **unknown,
    ):
        # As SGD's: Optimizer's keywords spelled out, any other refused by Optimizer.
        super().__init__(learning_rate, l2=l2, n_train=n_train, update_biases=update_biases, **unknown)
        for value, label in ((beta1, "beta1"), (beta2, "beta2")):
            if not 0.0 <= check_positive_float(value, label, allow_zero=True) < 1.0:
                raise ValueError(f"{label} must be in [0, 1); got {value}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.epsilon = check_positive_float(epsilon, "epsilon")

    def _update(self, key, param, grad, decay):
        # In place, in two kept scratch arrays (not ~9 temporaries per step), in the rule's order: same bits
        g = grad + decay * param if decay else grad
        m = self._slot("m_" + key, param)
        v = self._slot("v_" + key, param)
        s, u = self._scratch(param)
        m *= self.beta1
        m += np.multiply(1.0 - self.beta1, g, out=s)  # (1 − β1) g
        v *= self.beta2
        v += np.multiply(1.0 - self.beta2, np.multiply(g, g, out=u), out=u)  # (1 − β2) g²
        t = self.iterations
        np.multiply(self.learning_rate, np.divide(m, 1.0 - self.beta1**t, out=s), out=s)  # η m̂
        np.add(np.sqrt(np.divide(v, 1.0 - self.beta2**t, out=u), out=u), self.epsilon, out=u)  # √v̂ + ε
        param -= np.divide(s, u, out=s)

    def __getstate__(self) -> dict:  # pickle, copy, deepcopy: without the scratch arrays
        return {key: value for key, value in self.__dict__.items() if key != "_buffers"}

    def _scratch(self, like: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two work arrays of ``like``'s shape and dtype, made once (not state: never saved)."""
        buffers, key = self.__dict__.setdefault("_buffers", {}), (like.shape, like.dtype.str)
        return buffers.get(key) or buffers.setdefault(key, (np.empty_like(like), np.empty_like(like)))

    def hyperparameters(self):
        return {
            **super().hyperparameters(),
            "beta1": self.beta1,
            "beta2": self.beta2,
            "epsilon": self.epsilon,
        }


def Momentum(learning_rate: float = 0.1, momentum: float = 0.9, **kwargs) -> SGD:  # noqa: N802
    """SGD with heavy-ball momentum μ (default 0.9): a :class:`SGD`, not a class of its own.

    Other keyword arguments (``l2``, ``n_train``, ``update_biases``) go to :class:`SGD`.
    """
    return SGD(learning_rate, momentum=momentum, **kwargs)


def Nesterov(learning_rate: float = 0.1, momentum: float = 0.9, **kwargs) -> SGD:  # noqa: N802
    """SGD with Nesterov momentum μ (default 0.9): a :class:`SGD` with ``nesterov=True``.

    Other keyword arguments (``l2``, ``n_train``, ``update_biases``) go to :class:`SGD`.
    """
    return SGD(learning_rate, momentum=momentum, nesterov=True, **kwargs)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adam": Adam}


def get(name: str | Optimizer, **kwargs) -> Optimizer:
    """The optimizer called ``name`` (``sgd``, ``momentum``, ``nesterov``, ``adam``) built with ``kwargs``.

    ``name`` is case-insensitive; an :class:`Optimizer` is returned as it is (``kwargs`` are
    then ignored). Raises ``TypeError`` for a ``name`` that is neither a string nor an
    Optimizer, and ``ValueError`` for an unknown name (as ``activations.get`` and ``costs.get``).
    """
    if isinstance(name, Optimizer):
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"optimizer must be a name such as 'sgd' or an Optimizer; "
            f"got {name!r} of type {type(name).__name__}"
        )
    if name.lower() not in OPTIMIZERS:
        suggestion = did_you_mean(name, OPTIMIZERS, "'{}'")
        raise ValueError(f"unknown optimizer {name!r}{suggestion}; expected one of {sorted(OPTIMIZERS)}")
    return OPTIMIZERS[name.lower()](**kwargs)
