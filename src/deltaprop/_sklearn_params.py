"""The scikit-learn estimators' parameter checks, a mixin of their base (:mod:`deltaprop._sklearn_base`).

scikit-learn's convention: ``__init__`` stores its arguments unchecked and ``fit`` checks
them, naming the parameter and the value received. Everything here needs no data (the
network's own parameters are checked when it is built), except the check that a warm-started
``fit`` or a later ``partial_fit`` still asks for the fitted network.
"""

from __future__ import annotations

import inspect
import numbers
import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.utils import check_random_state

from . import optimizers
from ._validation import check_flag, check_positive_float, check_positive_int
from .network import Network
from .training.arguments import check_verbose

AUTO_BATCH_LIMIT = 200  # batch_size="auto" is min(200, n_samples), as in scikit-learn's MLP
STEP_PARAMS = ("learning_rate", "momentum", "l2")  # what a named optimizer is built with

# scikit-learn's MLP parameters that these estimators spell differently, and what to use instead
# (hidden_layer_sizes, activation, batch_size, shuffle, random_state, tol, verbose, warm_start,
# momentum, early_stopping, validation_fraction and n_iter_no_change have the same names).
MLP_RENAMED = {
    "max_iter": "epochs, the passes over the data (max_iter=200 is epochs=200)",
    "learning_rate_init": "learning_rate, the optimizer's η (learning_rate_init=0.01 is learning_rate=0.01)",
    "alpha": (
        "l2, Nielsen's λ, on another scale: its L2 term is λ/(2n) Σ w² with n the training set "
        "size, where alpha is divided by each mini-batch's size, so alpha=α decays the weights "
        "as l2 = α·n/batch_size does"
    ),
    "solver": (
        "optimizer: 'adam', 'sgd', 'momentum' or 'nesterov' (scikit-learn's 'sgd', with its "
        "nesterovs_momentum=True, is 'nesterov'; there is no 'lbfgs')"
    ),
}
# scikit-learn's names of learning-rate schedules (its learning_rate parameter)
MLP_SCHEDULES = ("constant", "invscaling", "adaptive")


def renamed(name: str) -> str:
    """What to use for ``name`` if it is one of scikit-learn's MLP parameters spelled differently
    here, in words; "" otherwise."""
    if name not in MLP_RENAMED:
        return ""
    return f"{name} is scikit-learn's MLP name; use {MLP_RENAMED[name]}"


def check_parameter_names(cls: type, kwargs: dict) -> None:
    """Refuse a keyword ``__init__`` of ``cls`` does not take, naming ``cls`` and what to use
    (Python's own TypeError names the private base whose ``__init__`` it is, with no help)."""
    names = [name for name in inspect.signature(cls.__init__).parameters if name != "self"]
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(
                f"{cls.__name__} has no parameter {key}; got {key}={value!r}. "
                f"{renamed(key) or 'Its parameters: ' + ', '.join(names)}"
            )


class ParameterChecks:
    """Checks of the estimator's parameters (``self`` is a ``_DeltapropEstimator``)."""

    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            sizes = [sizes]
        if not isinstance(sizes, Sequence | np.ndarray) or isinstance(sizes, str):
            raise TypeError(
                f"hidden_layer_sizes must be a tuple of layer sizes such as (100,) or (64, 32); "
                f"got {self.hidden_layer_sizes!r}"
            )
        sizes = list(sizes)
        for k, size in enumerate(sizes):
            if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
                raise ValueError(
                    f"hidden_layer_sizes[{k}] must be an integer ≥ 1; got {size!r} "
                    f"in hidden_layer_sizes={self.hidden_layer_sizes!r}"
                )
        return [int(s) for s in sizes]

    def _refuse_step_params_beside(self, optimizer: optimizers.Optimizer) -> None:
        """An Optimizer object brings its own η, μ and λ; a ``learning_rate``, ``momentum`` or
        ``l2`` changed from its default beside it would be ignored without a word (an L2 penalty
        that never applies), so it is refused."""
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            f"{name}={getattr(self, name)!r}"
            for name in STEP_PARAMS
            if getattr(self, name) != defaults[name].default
        ]
        if changed:
            raise ValueError(
                f"{', '.join(changed)} would be ignored: optimizer={optimizer!r} has its own "
                f"learning_rate, momentum and l2. Set them on the optimizer, or name it "
                f"(optimizer={optimizer.name!r}) to use these parameters"
            )

    def _batch_size(self, n_samples: int) -> int:
        if isinstance(self.batch_size, str) and self.batch_size == "auto":
            return min(AUTO_BATCH_LIMIT, n_samples)
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, numbers.Integral):
            raise TypeError(f"batch_size must be 'auto' or a positive integer; got {self.batch_size!r}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be 'auto' or a positive integer; got {self.batch_size}")
        return min(int(self.batch_size), n_samples)

    def _warn_if_batch_clipped(self, n_train: int, n_samples: int) -> None:
        """A ``batch_size`` given as a number larger than the ``n_train`` samples a call trains on
        (of its ``n_samples``, early stopping's validation rows apart) is clipped to them, one
        full-batch step per epoch: said in a UserWarning, as scikit-learn's MLP says it ("Got
        `batch_size` less than 1 or larger than sample size. It is going to be clipped"). Not
        for "auto", whose min(200, n_samples) is meant to clip."""
        size = self.batch_size
        if isinstance(size, str) or size <= n_train:
            return
        held = f" (of {n_samples}, the rest held out by early stopping)" if n_train < n_samples else ""
        warnings.warn(
            f"batch_size={size} is larger than the {n_train} training samples{held}: it is clipped "
            f"to {n_train}, one full-batch step per epoch",
            UserWarning,
            stacklevel=4,
        )

    def _check_early_stopping_params(self) -> None:
        """``validation_fraction``, ``n_iter_no_change`` and ``tol`` under their own names, with
        early stopping on or off (as scikit-learn checks them), so that a bad value is refused
        now rather than kept unseen until early stopping is switched on."""
        on = bool(self.early_stopping)
        fraction = self.validation_fraction
        real = not isinstance(fraction, bool) and isinstance(fraction, numbers.Real)
        if not real or not (0 < fraction < 1 or (fraction == 0 and not on)):
            interval = "(0, 1) with early_stopping=True" if on else "[0, 1)"
            raise ValueError(
                f"validation_fraction must be a number in {interval}: the share of the training "
                f"data early stopping holds out to watch the validation cost; got {fraction!r}"
            )
        check_positive_int(self.n_iter_no_change, "n_iter_no_change")
        check_positive_float(self.tol, "tol", allow_zero=True)

    def _random_state(self) -> np.random.RandomState:
        try:
            return check_random_state(self.random_state)
        except (TypeError, ValueError):
            raise ValueError(
                f"random_state must be None, an integer in [0, 2**32 - 1] or a "
                f"numpy.random.RandomState; got {self.random_state!r}"
            ) from None

    def _check_params(self) -> int:
        """Every parameter that needs no data, checked first, as scikit-learn does (the network's
        own are checked when it is built); returns ``epochs``."""
        if isinstance(self.learning_rate, str):  # the rest is checked as the optimizer is built
            schedule = (
                " (a schedule's name in scikit-learn's MLP)" if self.learning_rate in MLP_SCHEDULES else ""
            )
            raise TypeError(
                f"learning_rate must be a number; got {self.learning_rate!r}{schedule}. In deltaprop "
                f"learning_rate is η, scikit-learn's learning_rate_init, and these estimators have no "
                f"schedule by name: η stays as given"
            )
        for name in ("shuffle", "early_stopping", "warm_start"):
            check_flag(getattr(self, name), name)
        check_verbose(self.verbose)  # refuses a verbose that training.fit would refuse
        self._check_early_stopping_params()
        self._random_state()
        return self._check_epochs()

    def _check_same_network(self, call: str) -> None:
        """A warm-started ``fit`` and every ``partial_fit`` after the first continue ``network_``:
        refuse parameters that now ask for another network rather than ignore them (``init``
        and ``random_state`` only choose initial weights, so they may change)."""
        net = self.network_
        hidden = self._hidden_sizes()
        # A network of width 1 resolves the names as the real one would, at no cost.
        probe = Network(
            [1] * (len(hidden) + 1) + [net.sizes[-1]],
            activation=self.activation,
            output_activation=self._output_activation(),
            cost=self._cost(),
            dtype=self._dtype(),
        )
        changed = [
            f"{name} asks for {want} where network_ has {have}"
            for name, want, have in [
                ("hidden_layer_sizes", hidden, net.sizes[1:-1]),
                ("activation", probe.activation_names[:-1], net.activation_names[:-1]),
                ("output_activation", probe.activation_names[-1], net.activation_names[-1]),
                ("cost", probe.cost.name, net.cost.name),
                ("dtype", str(probe.dtype), str(net.dtype)),
            ]
            if want != have
        ]
        if changed:
            raise ValueError(
                f"{call} continues the fitted network {net}, but {'; '.join(changed)}. Set the "
                f"parameters back, or fit afresh (warm_start=False)"
            )

    def _check_epochs(self) -> int:
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, numbers.Integral) or self.epochs < 1:
            raise ValueError(f"epochs must be a positive integer; got {self.epochs!r}")
        return int(self.epochs)
