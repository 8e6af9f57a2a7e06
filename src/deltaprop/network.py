"""The feed-forward network: weights, biases, the forward pass and backpropagation.

Notation (the classic account, as in Nielsen's *Neural Networks and Deep Learning*):
a network of L + 1 layers of sizes ``sizes = [n_0, n_1, ..., n_L]`` has L weight matrices.
``weights[l]`` is ``(n_l, n_{l+1})`` and ``weights[l][i, j]`` is w_ij, the weight of the
connection from neuron i of layer l to neuron j of layer l + 1; ``biases[l]`` is
``(n_{l+1},)``. (Nielsen's code stores the transpose, w[j, i]; the books' equations, and
this package, read w_ij as "from i to j".) Samples are rows: a batch is ``(n_samples, n)``.

For a batch ``o[0] = X``, layer by layer

    net[l] = o[l] · w[l] + b[l]        (the weighted inputs of layer l + 1)
    o[l+1] = σ_l(net[l])               (its outputs; o[L] = a, the network's output)

and backpropagation gives each neuron's error δ = ∂C_x/∂net, per sample x:

    output layer:  δ[L−1] = ∂C_x/∂a · σ'(net[L−1])   (or its simplified form where the pair
                                                       allows: a − y, or a·Σy − y for softmax
                                                       with log-likelihood; see costs.py)
    hidden layer:  δ[l−1]_j = σ'(net[l−1]_j) · Σ_k w[l]_jk δ[l]_k

then ∂C/∂w_ij = 1/n Σ_x o_i δ_j and ∂C/∂b_j = 1/n Σ_x δ_j, the batch average. Index ``l``
of ``net``, ``deltas``, ``weights`` and ``biases`` always names the same layer of weights.

With per-sample weights s_x ≥ 0 (``sample_weight``, as in scikit-learn's MLP) the batch's cost
is the weighted average C = Σ_x s_x C_x / Σ_x s_x: every δ row is scaled by its s_x (scaling
δ[L−1] scales every layer's, the recursion being linear in δ) and the sums are divided by
Σ_x s_x instead of n. With every s_x = 1 the gradients are the unweighted ones bit for bit,
and C is the unweighted C to rounding: the weighted one is summed in float64 (a relative
difference of ~1e-16 in float64, ~1e-7 for a float32 network).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np

from . import activations, costs
from ._predict import classes_of, predict_outputs
from ._validation import check_dtype, check_features, check_sample_weight, check_X, check_Y
from .architecture import check_sizes, layer_activations, network_cost, output_took_activation
from .costs import weighted_cost
from .parameters import ParameterList, checked_params, initial_params, param_array
from .passes import ForwardPass, Gradients
from .summary import network_summary


class Network:
    """A fully connected feed-forward network trained by backpropagation.

    Parameters
    ----------
    sizes : list of int
        Neurons per layer, input first: ``[784, 30, 10]``; at least two layers, each ≥ 1.
    activation : str or list of str, default ``"logistic"``
        σ of every layer (``"logistic"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"`` or
        ``"leaky_relu(α)"``, ``"linear"``; an :class:`~deltaprop.activations.Activation`
        too), or a list: one per layer of weights (L), or one per hidden layer (L − 1)
        followed by ``output_activation``.
    output_activation : str, optional
        σ of the output layer; None keeps ``activation``'s. ``"softmax"`` may only be an
        output layer's σ.
    cost : str, default None
        ``"quadratic"`` (C = 1/(2n) Σ ||y − a||²), ``"cross_entropy"``, ``"log_likelihood"``
        (or a :class:`~deltaprop.costs.Cost`), or None: ``"log_likelihood"`` under a softmax
        output (Nielsen ch. 3's pair, as the CLI and the estimators pair them), else
        ``"quadratic"``. ``net.cost`` holds the cost chosen, and a saved model file records it.
    init : str, default ``"normal"``
        ``"normal"``, ``"normal_scaled"``, ``"glorot_uniform"``, ``"glorot_normal"``,
        ``"he_normal"`` (see ``deltaprop.initializers``).
    seed : int or numpy.random.Generator, optional
        Where the initial weights come from; the same seed gives the same network, None a
        different one each time.
    dtype : float32 or float64, default float64
        The dtype of every weight and every computation.

    Raises
    ------
    TypeError, ValueError
        For sizes, names, a seed or a dtype that are not what is described above; the
        message names the argument and what was expected.

    Examples
    --------
    >>> import deltaprop as dp
    >>> net = dp.Network([2, 3, 1], seed=0)
    >>> net
    Network(sizes=[2, 3, 1], activation='logistic', output_activation='logistic', \
cost='quadratic', dtype=float64, params=13)
    >>> [w.shape for w in net.weights], [b.shape for b in net.biases]
    ([(2, 3), (3, 1)], [(3,), (1,)])
    >>> net.predict([[0.0, 1.0], [1.0, 0.0]]).shape
    (2, 1)
    """

    def __init__(
        self,
        sizes: Sequence[int] | np.ndarray,
        activation: str | activations.Activation | Sequence[str | activations.Activation] = "logistic",
        output_activation: str | activations.Activation | None = None,
        cost: str | costs.Cost | None = None,
        init: str = "normal",
        seed: int | np.random.Generator | None = None,
        dtype=np.float64,
    ):
        sizes = check_sizes(sizes)
        self.dtype = check_dtype(dtype)
        self.activations = layer_activations(activation, output_activation, sizes)
        # activation="relu" alone sets the output's σ too, which fit's output check mentions
        self._output_took_activation = output_took_activation(activation, output_activation)
        self.cost = network_cost(cost, self.activations[-1])
        self.init = init
        weights, biases = initial_params(sizes, init, seed, self.dtype)
        self._w = ParameterList("weights", self.dtype, weights)
        self._b = ParameterList("biases", self.dtype, biases)

    @classmethod
    def from_arrays(
        cls,
        weights: Sequence,
        biases: Sequence,
        activation: str | activations.Activation | Sequence[str | activations.Activation] = "logistic",
        output_activation: str | activations.Activation | None = None,
        cost: str | costs.Cost | None = None,
        dtype=None,
    ) -> Network:
        """A network with every weight given: ``weights[l]`` is ``(n_l, n_{l+1})``, w_ij from i to j.

        ``biases[l]`` is ``(n_{l+1},)``; arrays or nested lists, copied. ``activation``,
        ``output_activation`` and ``cost`` are as for :class:`Network`; ``dtype`` defaults to
        float64 (float32 if every given weight array is float32). Raises ``TypeError`` or
        ``ValueError`` for shapes that do not chain, or non-finite values. Row i holds the
        weights *out of* neuron i (Rumelhart's and Mazur's w_ij); Nielsen's w^l_jk is into j
        from k, the transpose. Mazur's 2-2-2 example (w1, w2 into h1, …):

        >>> net = Network.from_arrays([[[.15, .25], [.2, .3]], [[.4, .5], [.45, .55]]], [[.35] * 2, [.6] * 2])
        >>> net.sizes, round(net.backprop([[0.05, 0.10]], [[0.01, 0.99]]).cost, 9)  # his E_total
        ([2, 2, 2], 0.298371109)
        """
        if not isinstance(weights, Sequence) or not isinstance(biases, Sequence):
            raise TypeError("weights and biases must be lists of arrays, one per layer of weights")
        if len(weights) == 0:
            raise ValueError("weights is empty; need at least one (n_in, n_out) matrix")
        arrays = [param_array(w, f"weights[{l}]") for l, w in enumerate(weights)]
        for l, arr in enumerate(arrays):
            if arr.ndim != 2:
                raise ValueError(f"weights[{l}] must be a 2-D (n_in, n_out) array; got shape {arr.shape}")
        sizes = check_sizes([arrays[0].shape[0]] + [arr.shape[1] for arr in arrays])
        if dtype is None:
            all32 = all(arr.dtype == np.float32 for arr in arrays)
            dtype = np.float32 if all32 else np.float64
        net = cls.__new__(cls)
        net.dtype = check_dtype(dtype)
        net.activations = layer_activations(activation, output_activation, sizes)
        net._output_took_activation = output_took_activation(activation, output_activation)
        net.cost = network_cost(cost, net.activations[-1])
        net.init = "given"
        net._w, net._b = [], []
        net.weights = arrays
        net.biases = biases
        return net

    # --- parameters -----------------------------------------------------------------

    @property
    def weights(self) -> list[np.ndarray]:
        """``weights[l]``, ``(n_l, n_{l+1})``: w_ij from neuron i of layer l to j of layer l+1.

        A :class:`ParameterList`: ``net.weights[l] = arr`` is checked and copied like
        ``net.weights = [...]``, and ``net.weights[l][i, j] = v`` writes into the network.
        """
        return self._params("_w", "weights")

    @weights.setter
    def weights(self, new: Sequence) -> None:
        self._w = checked_params(new, "weights", self._w, len(self.activations), self.dtype)

    @property
    def biases(self) -> list[np.ndarray]:
        """``biases[l]``, ``(n_{l+1},)``: b_j of neuron j in layer l + 1 (a :class:`ParameterList`)."""
        return self._params("_b", "biases")

    @biases.setter
    def biases(self, new: Sequence) -> None:
        self._b = checked_params(new, "biases", self._w, len(self.activations), self.dtype)

    def _params(self, attr: str, kind: str) -> ParameterList:
        """The stored list, made a :class:`ParameterList` if it was set as a plain list.

        (Code that builds a network's arrays itself, such as a model-file loader or
        ``gradient_check``'s float64 probe, may set ``_w``/``_b`` to plain lists of arrays
        it made; they are wrapped, not copied, the first time they are handed out.)
        """
        params = getattr(self, attr)
        if type(params) is not ParameterList or params.dtype != self.dtype:
            params = ParameterList(kind, self.dtype, params)
            setattr(self, attr, params)
        return params

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, input first."""
        return [self._w[0].shape[0]] + [w.shape[1] for w in self._w]

    @property
    def n_layers(self) -> int:
        """L, the number of layers of weights."""
        return len(self._w)

    @property
    def n_params(self) -> int:
        """How many weights and biases the network has."""
        return sum(w.size + b.size for w, b in zip(self._w, self._b))

    @property
    def activation_names(self) -> list[str]:
        """σ's name for every layer of weights (without a parameter; see ``config`` for that)."""
        return [fn.name for fn in self.activations]

    def copy(self) -> Network:
        """An independent network with the same configuration and a copy of every parameter,
        of the same class as this one (a subclass's own methods come with it)."""
        twin = type(self).__new__(type(self))
        memo: dict = {id(self): twin}  # every attribute deeply (a subclass's own too), parameters below
        for key, value in self.__dict__.items():
            if key in ("_w", "_b"):
                continue
            try:
                twin.__dict__[key] = copy.deepcopy(value, memo)
            except (TypeError, copy.Error):  # what cannot be copied (an open file) is shared
                twin.__dict__[key] = value
        twin._w = ParameterList("weights", self.dtype, [w.copy() for w in self._w])
        twin._b = ParameterList("biases", self.dtype, [b.copy() for b in self._b])
        return twin

    def config(self) -> dict:
        """What rebuilds the architecture: sizes, activations, cost, init, dtype."""
        return {
            "sizes": self.sizes,
            "activations": [fn.spec for fn in self.activations],  # names, with any parameter
            "cost": self.cost.name,
            "init": self.init,
            "dtype": self.dtype.name,
        }

    def __repr__(self) -> str:
        acts = [fn.spec for fn in self.activations]
        act = acts[0] if len(set(acts[:-1])) <= 1 else acts[:-1]
        return (
            f"Network(sizes={self.sizes}, activation={act!r}, output_activation={acts[-1]!r}, "
            f"cost={self.cost.name!r}, dtype={self.dtype.name}, params={self.n_params})"
        )

    def summary(self) -> str:
        """The layers as a table, as Keras's ``model.summary()``: each one's size, σ, the shapes
        of the w and b that feed it and their parameter count; then the total, the cost, the
        dtype and the init. Returned, not printed: ``print(net.summary())``; at a prompt or in a
        notebook ``net.summary()`` alone shows the table too (see :mod:`deltaprop.summary`)."""
        return network_summary(self)

    # --- the forward pass --------------------------------------------------------------

    def forward(self, X) -> ForwardPass:
        """Every layer's ``net`` and ``o`` (a :class:`ForwardPass`) for ``X`` ``(n_samples, n_0)``."""
        return self._forward(check_X(X, self.sizes[0], self.dtype))

    def _forward(self, X: np.ndarray) -> ForwardPass:
        o, net = [X], []
        for w, b, fn in zip(self._w, self._b, self.activations):
            net_l = o[-1] @ w
            net_l += b
            net.append(net_l)
            o.append(fn.forward(net_l))
        return ForwardPass(net=net, o=o)

    def predict(self, X) -> np.ndarray:
        """The outputs a, ``(n_samples, n_L)``, for ``X`` ``(n_samples, n_0)``, keeping no intermediates.

        X is converted to the network's dtype whole up to 16 MB, a block of rows at a time
        beyond (see :mod:`deltaprop._predict`)."""
        return self._predict(check_features(X, self.sizes[0], dtype=self.dtype))

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return predict_outputs(self, X)  # X of any real dtype, converted to the network's

    def predict_classes(self, X) -> np.ndarray:
        """Predicted class labels, int64 ``(n_samples,)``: argmax of the outputs, or a > 0.5 for one."""
        return classes_of(self.predict(X))

    # --- backpropagation ---------------------------------------------------------------

    def backprop(self, X, Y, sample_weight=None) -> Gradients:
        """∂C/∂w, ∂C/∂b, every δ and C for the batch ``X`` ``(n, n_0)``, ``Y`` ``(n, n_L)``.

        ``Y`` may also be integer class labels ``(n,)`` (one-hot encoded; a column for a
        single output), or a column ``(n, 1)`` of them for a network of several outputs.
        ``sample_weight`` ``(n,)``, s_x ≥ 0 and not all 0, makes C the weighted average
        Σ s_x C_x / Σ s_x, as in scikit-learn's MLP: the gradients are
        Σ_x s_x o δ / Σ s_x, and ``deltas`` holds each sample's δ scaled by its s_x. Returns
        :class:`Gradients`. Pure: the network is not changed. Raises ``ValueError``/
        ``TypeError`` for shapes that do not fit, NaN or ∞, labels out of range, values that
        are not numbers, or weights that are negative or all 0.
        """
        X = check_X(X, self.sizes[0], self.dtype)
        Y = check_Y(Y, self.sizes[-1], X.shape[0], self.dtype)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X.shape[0], self.dtype)
        return self._backprop(X, Y, sample_weight)

    def _backprop(self, X: np.ndarray, Y: np.ndarray, s: np.ndarray | None = None) -> Gradients:
        """:meth:`backprop` on checked arrays; ``s`` ``(n,)`` of the network's dtype, or None.

        Weights that sum to 0 give zero gradients and C = 0: the batch weighs nothing.
        """
        fp = self._forward(X)
        o, L = fp.o, self.n_layers
        deltas: list[np.ndarray] = [None] * L  # type: ignore[list-item]
        deltas[-1] = self.cost.delta(self.activations[-1], o[-1], Y)
        if s is None:
            n, cost = X.shape[0], self.cost.value(o[-1], Y)
        else:
            n = float(s.sum())  # the divisor Σ_x s_x, n itself when every s_x is 1
            cost = weighted_cost(self.cost, o[-1], Y, s, n)
            deltas[-1] = deltas[-1] * s[:, None]  # s_x δ_x: the recursion below carries s_x down
        for l in range(L - 1, 0, -1):
            # δ_j = σ'(net_j) · Σ_k w_jk δ_k: the sum over the neurons k that j feeds is
            # the product δ[l] · w[l]ᵀ; σ' is computed from the outputs o[l] = σ(net[l−1]).
            deltas[l - 1] = (deltas[l] @ self._w[l].T) * self.activations[l - 1].prime(o[l])
        scale = 1.0 / n if n else 0.0
        grad_w = [(o[l].T @ deltas[l]) * scale for l in range(L)]
        grad_b = [deltas[l].sum(axis=0) * scale for l in range(L)]
        return Gradients(grad_w, grad_b, deltas, cost, o[-1])

    def cost_value(self, X, Y) -> float:
        """C on ``X`` ``(n, n_0)`` and ``Y`` ``(n, n_L)`` or labels ``(n,)``, averaged over the samples."""
        X = check_X(X, self.sizes[0], self.dtype)
        Y = check_Y(Y, self.sizes[-1], X.shape[0], self.dtype)
        return self.cost.value(self._predict(X), Y)

    # --- training (the loop lives in deltaprop.training; these are its front doors) -----

    def fit(
        self,
        X,
        Y,
        epochs: int = 1,
        batch_size: int | None = 10,
        optimizer=None,
        learning_rate: float | None = None,
        validation_data=None,
        validation_split: float = 0.0,
        shuffle: bool = True,
        seed: int | None = None,
        callbacks=(),
        verbose: int = 0,
        initial_epoch: int = 0,
        initial_batch: int = 0,
        history=None,
        sample_weight=None,
    ):
        """Train by mini-batch gradient descent (Nielsen's chapter 1), returning the History.

        Each epoch shuffles the samples, cuts them into mini-batches of ``batch_size`` (1:
        online descent; None: the whole set) and takes one step per mini-batch with the
        batch-averaged gradient (weighted by ``sample_weight``, s_x per sample, when given).
        ``learning_rate=η`` is shorthand for ``optimizer=dp.SGD(η)``. Every parameter is
        described at :func:`deltaprop.training.fit`.
        """
        from .training import fit  # the loop sits a layer above the core

        return fit(
            self,
            X,
            Y,
            epochs,
            batch_size=batch_size,
            optimizer=optimizer,
            learning_rate=learning_rate,
            validation_data=validation_data,
            validation_split=validation_split,
            shuffle=shuffle,
            seed=seed,
            callbacks=callbacks,
            verbose=verbose,
            initial_epoch=initial_epoch,
            initial_batch=initial_batch,
            history=history,
            sample_weight=sample_weight,
        )

    def evaluate(self, X, Y, batch_size: int | None = None, sample_weight=None) -> dict:
        """Cost and accuracy on ``(X, Y)``, ``batch_size`` rows per forward pass (default 4096),
        weighted by ``sample_weight`` ``(n,)`` if given (as Keras's ``evaluate``); the parameters
        are :func:`deltaprop.training.evaluate`'s."""
        from .training import evaluate

        return evaluate(self, X, Y, batch_size=batch_size, sample_weight=sample_weight)
