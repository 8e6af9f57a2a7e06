"""The scikit-learn estimators' shared base: their parameters, the network, the fit loop.

:class:`_DeltapropEstimator` is what :class:`deltaprop.sklearn.DeltapropClassifier` and
:class:`deltaprop.sklearn.DeltapropRegressor` share; its parameter checks are the mixin of
:mod:`deltaprop._sklearn_params`, early stopping is :mod:`deltaprop._sklearn_early_stopping`.
The conventions and the differences from scikit-learn's MLP are in :mod:`deltaprop.sklearn`.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from . import optimizers
from ._sklearn_attributes import FittedAttributes
from ._sklearn_early_stopping import (
    NoImprovementStopper,
    ValidationR2,
    check_validation_split,
    check_validation_weights,
    validation_rows,
)
from ._sklearn_files import EstimatorFiles
from ._sklearn_interrupt import StepCount, warn_interrupted
from ._sklearn_params import ParameterChecks, check_parameter_names, renamed
from ._validation import check_dtype, check_sample_weight
from .errors import DivergenceError
from .network import Network
from .training.history import History

RELU_FAMILY = frozenset({"relu", "leaky_relu"})
OPTIMIZER_NAMES = tuple(optimizers.OPTIMIZERS)  # "sgd", "momentum", "nesterov", "adam"
_SEED_LIMIT = 2**31 - 1


class _DeltapropEstimator(FittedAttributes, EstimatorFiles, ParameterChecks, BaseEstimator):
    """What the classifier and the regressor share: parameters, the network, the fit loop,
    scikit-learn's fitted attributes (:mod:`deltaprop._sklearn_attributes`), and ``save`` /
    ``load`` (:mod:`deltaprop._sklearn_files`)."""

    _default_output_activation = ""
    _default_cost = ""

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        output_activation=None,
        cost=None,
        init=None,
        optimizer="adam",
        learning_rate=0.001,
        momentum=0.9,
        l2=0.0,
        batch_size="auto",
        epochs=200,
        shuffle=True,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        random_state=None,
        warm_start=False,
        verbose=0,
        dtype="float64",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.output_activation = output_activation
        self.cost = cost
        self.init = init
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.l2 = l2
        self.batch_size = batch_size
        self.epochs = epochs
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.dtype = dtype

    def __new__(cls, *args, **kwargs):
        """Refuse an unknown keyword by the public class's name, with scikit-learn's MLP names
        spelled differently here (``max_iter`` → ``epochs``); ``__init__``'s own TypeError
        would name ``_DeltapropEstimator``."""
        check_parameter_names(cls, kwargs)
        return super().__new__(cls)

    # What inspect.signature(cls) reads (it prefers __new__ to __init__): the parameters.
    __new__.__signature__ = inspect.signature(__init__)

    def set_params(self, **params):
        """scikit-learn's ``set_params``; for scikit-learn's MLP names spelled differently here,
        its "Invalid parameter" error also says which to use."""
        for key, value in params.items():
            name = key.partition("__")[0]
            if renamed(name):
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self}; got {key}={value!r}. {renamed(name)}"
                )
        return super().set_params(**params)

    # --- building ------------------------------------------------------------------------

    def _output_activation(self) -> str:
        return self._default_output_activation if self.output_activation is None else self.output_activation

    def _cost(self) -> str:
        if self.cost is not None:
            return self.cost
        return {"softmax": "log_likelihood", "logistic": "cross_entropy"}.get(
            self._output_activation(), "quadratic"
        )

    def _init(self) -> str:
        if self.init is not None:
            return self.init
        hidden = self.activation if isinstance(self.activation, str) else "linear"
        return "he_normal" if hidden in RELU_FAMILY else "glorot_uniform"

    def _dtype(self) -> np.dtype:
        return check_dtype(self.dtype)

    def _new_network(self, n_in: int, n_out: int, rng: np.random.RandomState) -> Network:
        return Network(
            [n_in, *self._hidden_sizes(), n_out],
            activation=self.activation,
            output_activation=self._output_activation(),
            cost=self._cost(),
            init=self._init(),
            seed=int(rng.randint(_SEED_LIMIT)),
            dtype=self._dtype(),
        )

    def _new_optimizer(self) -> optimizers.Optimizer:
        if isinstance(self.optimizer, optimizers.Optimizer):
            self._refuse_step_params_beside(self.optimizer)
            # A copy (fitting must not change the parameter), afresh: the parameter gives the
            # hyperparameters, not the state it may hold from stepping another network.
            optimizer = copy.deepcopy(self.optimizer)
            optimizer.reset()
            return optimizer
        if not isinstance(self.optimizer, str) or self.optimizer.lower() not in OPTIMIZER_NAMES:
            raise ValueError(
                f"optimizer must be one of {list(OPTIMIZER_NAMES)} or a deltaprop Optimizer; "
                f"got {self.optimizer!r}"
            )
        name = self.optimizer.lower()
        kwargs = {"learning_rate": self.learning_rate, "l2": self.l2}
        if name != "adam":  # sgd (heavy ball when μ > 0), momentum, nesterov
            kwargs["momentum"] = self.momentum
        else:  # unused by Adam, but checked for every optimizer, as scikit-learn checks it for every solver
            optimizers.SGD(self.learning_rate, momentum=self.momentum)
        return optimizers.get(name, **kwargs)

    def _check_early_stopping(self, targets: np.ndarray, n_out: int, seed: int) -> None:
        """With early stopping on, the validation set it holds out of ``targets``
        ``(n_samples[, n_out])``."""
        if self.early_stopping:
            check_validation_split(float(self.validation_fraction), targets, n_out, seed)

    @contextlib.contextmanager
    def _unchanged_if_refused(self):
        """Put back every attribute if a check in the block refuses the call: validate_data sets
        ``n_features_in_`` (and ``feature_names_in_``) before the data and the network's
        parameters are checked, ``_reset`` builds the new network before ``_train`` and
        ``training.fit`` check what only they check (an early-stopping split whose rows all
        weigh 0, values beyond a float32 network's range), and a refused fit must leave a
        fitted estimator as it was. A call that trained is not refused: once ``_record`` has
        noted what it trained (before a DivergenceError, a KeyboardInterrupt after the first
        step, or a warning made an error), the attributes say so, as the network does."""
        saved = dict(vars(self))
        self._recorded = False
        try:
            yield
        except BaseException:
            if not self._recorded:
                vars(self).clear()
                vars(self).update(saved)
            raise
        finally:
            vars(self).pop("_recorded", None)

    # --- training ----------------------------------------------------------------------------

    def _reset(
        self, X: np.ndarray, targets: np.ndarray, n_out: int, classes: np.ndarray | None = None
    ) -> None:
        """A new network and optimizer for ``X`` and its ``targets``; every parameter is checked
        before anything is set."""
        rng = self._random_state()
        seed = int(rng.randint(_SEED_LIMIT))
        network = self._new_network(X.shape[1], n_out, rng)
        optimizer = self._new_optimizer()
        self._batch_size(X.shape[0])
        self._check_early_stopping(targets, n_out, seed)
        if classes is not None:
            self.classes_ = classes
        self._seed = seed
        self.network_ = network
        self.optimizer_ = optimizer
        self.history_ = {"loss": []}  # loss_curve_ is [] until an epoch ends (or if the first diverges)
        self._epochs_done = 0
        self.t_ = 0  # training samples seen, as scikit-learn's MLP counts them
        self._validated, self._kept_epoch = False, None

    def _renew_optimizer(self, targets: np.ndarray) -> None:
        """A warm-started ``fit`` keeps the weights but builds its optimizer from the current
        parameters (checked here, with the split of ``targets`` they ask for), as scikit-learn's
        MLP does; only ``partial_fit`` carries the optimizer's state (velocities, moments) from
        one call to the next."""
        self._check_same_network("warm_start=True")
        self._batch_size(1)
        self._check_early_stopping(targets, self.network_.sizes[-1], self._seed)
        self.optimizer_ = self._new_optimizer()

    def _warn_partial_fit_l2(self, n_rows: int) -> None:
        """The first ``partial_fit`` of a fresh estimator, with L2 on, says which n its λ/n uses:
        the ``n_rows`` of each call, as ``fit`` on them would (it never sees the whole training
        set), so the decay depends on the chunking; and how to get ``fit``'s."""
        l2 = self.optimizer_.l2
        if l2 > 0:
            warnings.warn(
                f"partial_fit decays the weights by l2/n with n = {n_rows}, the rows of this call "
                f"(each call is one epoch of fit on its own rows; the whole training set is never "
                f"seen), so the decay depends on the size of the chunks. To decay as fit on all N "
                f"rows does with l2=λ, give chunks of m rows l2 = λ·m/N (here {l2:g}·{n_rows}/N)",
                UserWarning,
                stacklevel=3,
            )

    def _sample_weight(self, sample_weight, X: np.ndarray) -> np.ndarray | None:
        """``sample_weight`` checked as scikit-learn checks it (``_check_sample_weight``: a
        number is every sample's weight; 1-D, one per row of ``X``, finite, not all 0) and
        as deltaprop's fit does (≥ 0, the first negative named); None stays None."""
        if sample_weight is None:
            return None
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        return check_sample_weight(sample_weight, X.shape[0], X.dtype)

    def _train(
        self,
        X: np.ndarray,
        targets: np.ndarray,
        epochs: int,
        allow_early_stopping: bool,
        sample_weight: np.ndarray | None = None,
    ):
        """Run ``epochs`` epochs of ``deltaprop.training.fit`` on the fitted network
        (``sample_weight`` ``(n_samples,)``: each sample's weight, or None)."""
        from .training import fit  # the loop sits beside this layer

        callbacks, kwargs, stopper, scorer = [], {}, None, None
        validated = bool(allow_early_stopping and self.early_stopping)
        if validated:
            if sample_weight is not None:  # refused here, so the message names validation_fraction
                n_out = self.network_.sizes[-1]
                check_validation_weights(self.validation_fraction, targets, n_out, self._seed, sample_weight)
            kwargs["validation_split"] = self.validation_fraction
            stopper = NoImprovementStopper(self.n_iter_no_change, self.tol)
            callbacks.append(stopper)
            if self._validation_score == "val_r2":
                scorer = ValidationR2(targets)
                callbacks.append(scorer)
        batch_size = self._batch_size(X.shape[0])  # checked before _warn_if_batch_clipped reads it
        held = validation_rows(self.validation_fraction, targets, self.network_.sizes[-1]) if validated else 0
        self._warn_if_batch_clipped(X.shape[0] - held, X.shape[0])
        start = self._epochs_done
        history, steps = History(), StepCount()  # both still readable after a KeyboardInterrupt
        iterations = self.optimizer_.iterations
        try:
            fit(
                self.network_,
                X,
                targets,
                epochs=start + epochs,
                batch_size=batch_size,
                optimizer=self.optimizer_,
                shuffle=self.shuffle,
                seed=self._seed,
                callbacks=[steps, *callbacks],
                verbose=self.verbose,
                initial_epoch=start,
                sample_weight=sample_weight,
                history=history,
                **kwargs,
            )
        except DivergenceError as err:
            # fit keeps the weights of the last good epoch: keep the history of those epochs.
            self._record(start, err.history, scorer, validated)
            raise
        except ValueError as err:  # fit names its argument Y ("Y does not fit output_activation=…")
            if str(err).startswith("Y "):
                raise ValueError(f"y {str(err)[2:]}") from None
            raise
        except KeyboardInterrupt:
            if self.optimizer_.iterations == iterations:  # before the first step: nothing to keep
                raise
            # Keep what was trained, as scikit-learn's MLP does (early stopping's best epoch too).
            unfinished = steps.unfinished_samples(start + len(history.history.get("loss", [])))
            self._finish(start, history, stopper, scorer, validated, unfinished)
            warn_interrupted(self, unfinished)
            raise
        self._finish(start, history, stopper, scorer, validated)
        if stopper is not None:
            stopper.warn_if_not_stopped(epochs)
        return self

    def _finish(self, start: int, history, stopper, scorer, validated: bool, unfinished: int = 0) -> None:
        """End a call that trained: with early stopping, on the best epoch's weights (stopped or
        not, as scikit-learn's MLP does), then :meth:`_record` what it ran."""
        kept = None
        if stopper is not None and stopper.best_weights is not None:
            self.network_.weights, self.network_.biases = stopper.best_weights
            kept = stopper.best_epoch
        self._record(start, history, scorer, validated, kept, unfinished)

    def _record(
        self, start: int, history, scorer, validated: bool, kept: int | None = None, unfinished: int = 0
    ) -> None:
        """Note the epochs a call ran from epoch ``start`` (``history``, a training History, or
        None if there were none): ``history_``, ``n_iter_``, ``t_`` (with the ``unfinished``
        samples stepped on in an epoch an interrupt cut short), and what the early-stopping
        attributes read (``validated``; ``kept``, the epoch whose weights the network ends on,
        if not the last recorded one)."""
        new = {} if history is None else dict(history.history)
        ran = len(new.get("loss", []))
        if scorer is not None:
            new["val_r2"] = scorer.scores[:ran]
        if validated:  # validation_scores_ reads it, even when no epoch was recorded
            new.setdefault(self._validation_score, [])
        self._extend_history(new)
        self._epochs_done = start + ran
        self.n_iter_ = ran
        if ran:
            self.t_ += ran * history.params["n_samples"]  # the training rows, validation set apart
        self.t_ += unfinished
        last = self._epochs_done - 1
        self._validated = validated
        self._kept_epoch = kept if kept is not None else (last if last >= 0 else None)
        self._recorded = True  # what the call trained stands (see _unchanged_if_refused)

    def _extend_history(self, new: dict[str, list[float]]) -> None:
        """Append a call's per-epoch lists to ``history_``, keeping every list one entry per
        epoch: a name that one call logs and another does not (``val_loss`` with and without
        early stopping) is NaN for the other call's epochs."""
        done = len(self.history_.get("loss", []))
        added = len(new.get("loss", []))
        for key in new.keys() - self.history_.keys():
            self.history_[key] = [np.nan] * done
        for key, values in self.history_.items():
            values.extend(new.get(key, [np.nan] * added))

    def _refuse_early_stopping(self) -> None:
        if self.early_stopping:
            raise ValueError(
                "partial_fit does not support early_stopping=True (as in scikit-learn's MLP): each "
                "call is one epoch on the data given, with no validation set to watch; use "
                "set_params(early_stopping=False), or fit"
            )

    def _forward(self, X) -> np.ndarray:
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return self.network_.predict(X)
