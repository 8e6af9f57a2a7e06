"""The fast training step: the textbook's arithmetic on buffers allocated once, fewer calls.

:class:`FastStep` computes what :class:`~deltaprop.training.step.Step` computes — the
forward pass, every δ by backpropagation, the batch-averaged gradient and one optimizer
update — with the same contract (see :mod:`deltaprop.training.step`), and agrees with it to
rounding (1e-12 in float64; the tests check every activation × cost × optimizer). This is the
step :func:`~deltaprop.training.step.make_step` returns and ``fit`` runs. Everything it does
differently is for speed, and said below or where it is done.

Why the fast path is shaped the way it is
-----------------------------------------
At Nielsen's mini-batch of 10 on [784, 30, 10], each step's five matrix products last
about 30 µs in all, and every further NumPy call costs 0.3–2 µs of dispatch whatever its
size. So the fast step cuts calls: it allocates nothing per step (``out=`` everywhere,
row-slices of the buffers for a smaller last batch), computes σ' in place from the stored
outputs o (σ' = a(1 − a) for the logistic), uses δ = a − y where the cost and output
activation allow it (see "The output δ" below), and — for plain SGD — folds the averaging,
η and the L2 decay into the product that forms the gradient. BLAS's gemm computes
C ← α·op(A)·op(B) + β·C, so

    w ← (1 − ηλ/n_train)·w − (η/n)·o_prevᵀ δ        is one gemm  (β = 1 − ηλ/n_train, α = −η/n)
    b ← b − (η/n)·Σ_x δ                             is one gemv  (δᵀ times a vector of ones)

with no gradient array written and read back. NumPy has no such call, so these two come
from ``scipy.linalg.blas``; without SciPy the same update takes a product, a scaling and
a subtraction per parameter. When SciPy is used, it also computes every product that BLAS
may run on several threads, so that one library's thread pool, not two, works in a step;
which library computes each product of a layer, and which routine its σ, is the step's
plan, fixed when the step is made (:mod:`.step_plan` says how and why). NumPy's arrays are
row-major and BLAS is column-major: a C-ordered (r, c) array is, untouched, a
Fortran-ordered (c, r) array — its ``.T`` — so each BLAS call below is written on the
transposes, which costs no copy (``overwrite_c`` writes into ``w`` itself).

The output δ
------------
Quadratic + linear and cross-entropy + logistic give δ = a − y for any targets: one
subtraction. These shortcuts, and the built-in formulas for C, σ and σ', are taken only for the
library's own classes (:func:`~deltaprop.activations.is_builtin`); an activation or cost of
your own, or a subclass of a built-in, goes through its own methods, with the result of
``forward``/``prime`` used whether or not it was written into ``out``.

Softmax + log-likelihood gives δ = a Σy − y (see
:class:`~deltaprop.costs.LogLikelihood`), which is a − y only where each target row sums to 1.
The step cannot see where Y came from, so by default it computes a Σy − y: a product with a
vector of ones, a scaling and a subtraction (~1.2 µs more than a − y at Nielsen's 10 × 10
outputs; the same numbers, bit for bit, for rows that sum to exactly 1). A caller that knows
every row sums to 1 — ``fit`` with class labels, whose one-hot rows it builds itself — passes
``targets_sum_to_one=True`` and gets the single subtraction.

Per-sample weights s (``step(X, Y, a_out, s)``, see :mod:`.step`) cost one multiplication
of the output δ by s and a weighted C; without them the step makes exactly the calls above.

Other optimizers (momentum, Nesterov, Adam) go through the same forward and backward
buffers and get a :class:`~deltaprop.network.Gradients` built on them, then their own
``optimizer.step``.
"""

from __future__ import annotations

import numpy as np

from ..activations import Activation, Linear, is_builtin
from ..costs import LogLikelihood, Quadratic, weighted_cost
from ..datasets.memory import GIB, available_bytes
from ..network import Gradients, Network
from ..optimizers import SGD, Optimizer
from .step_plan import fast_forward, products_by_numpy

try:  # gemm/gemv with α and β fold the SGD update into the product (see above)
    from scipy.linalg import blas as _scipy_blas
except ImportError:  # pragma: no cover - SciPy comes with scikit-learn; the NumPy path still works
    _scipy_blas = None


# The step's buffers hold, per row of a batch, o, δ and σ' of every layer and two numbers
# (the ones and Σy); below this many bytes in all, they are made without asking the system.
BUFFERS_PER_LAYER = 3
CHECKED_ABOVE = 1 << 26  # 64 MiB


def check_buffers_fit(n: int, sizes: list[int], dtype) -> None:
    """Refuse (MemoryError, naming the batch size) the buffers of a step over ``n`` rows when
    they need more bytes than the memory available, before NumPy is asked for them: its own
    error ("Unable to allocate 4.47 GiB for an array with shape (60000, 20000)") names no
    argument, and a kernel that overcommits may grant them and kill the process later."""
    row = (BUFFERS_PER_LAYER * sum(sizes[1:]) + 2) * np.dtype(dtype).itemsize
    needed = n * row
    if needed < CHECKED_ABOVE:
        return
    available = available_bytes()
    if available is not None and needed > available:
        raise MemoryError(
            f"batch_size={n:,} needs {needed / GIB:.1f} GiB for the training step's buffers "
            f"({BUFFERS_PER_LAYER} arrays of {n:,} rows × {sum(sizes[1:]):,} {np.dtype(dtype).name} "
            f"numbers for the layers {sizes[1:]}: their outputs, δ and σ'), more than the "
            f"{available / GIB:.1f} GiB of memory available. Pass a smaller batch_size: at most "
            f"{available // row:,} fit (batch_size=None takes every training row at once)"
        )


class _Buffers:
    """Per-layer work arrays for one batch size n (row-slices of the full-size ones).

    ``o[l]`` ``(n, n_{l+1})``: the outputs of layer l + 1 (its ``net`` is computed in the
    same array and overwritten by σ(net)); ``delta[l]`` ``(n, n_{l+1})``: its δ;
    ``prime[l]`` ``(n, n_{l+1})``: σ'(net) of it; ``ones`` ``(n,)``: for Σ_x δ as a product;
    ``y_sum`` ``(n, 1)``: each target row's Σ_j y_j, for softmax + log-likelihood's δ, and
    ``y_sum_flat`` ``(n,)`` the same memory (a product writes it; a broadcast reads ``y_sum``).
    """

    __slots__ = ("o", "delta", "prime", "ones", "y_sum", "y_sum_flat")

    def __init__(self, o, delta, prime, ones, y_sum):
        self.o, self.delta, self.prime, self.ones, self.y_sum = o, delta, prime, ones, y_sum
        self.y_sum_flat = y_sum[:, 0]  # made once, not per step (a view costs ~0.15 µs)

    def rows(self, n: int) -> _Buffers:
        return _Buffers(
            [x[:n] for x in self.o],
            [x[:n] for x in self.delta],
            [x[:n] for x in self.prime],
            self.ones[:n],
            self.y_sum[:n],
        )


class FastStep:
    """The step on preallocated buffers; plain SGD updates fused into gemm/gemv.

    Parameters
    ----------
    net : Network
        Updated in place; its weights and biases are re-read on every call.
    optimizer : Optimizer
        Plain :class:`~deltaprop.optimizers.SGD` (momentum 0, any L2, with or without bias
        updates) takes the fused path; any other optimizer gets a ``Gradients`` built on the
        step's buffers and applies it itself. The choice is made on every call, so changing
        ``learning_rate`` (or any hyperparameter) between steps is honoured.
    batch_size : int
        The largest batch expected; a smaller batch uses the first rows of the buffers,
        a larger one makes the buffers grow.
    use_scipy : bool, optional
        Use SciPy's BLAS (gemm, gemv) for the fused SGD update and for the products the plan
        gives it (see :mod:`.step_plan`), and its expit for small logistic layers (default:
        when SciPy is installed). ``False`` gives the NumPy-only step, the same arithmetic
        in a few more calls.
    targets_sum_to_one : bool, default False
        A promise that every row of every Y given to the step sums to 1 (class labels,
        one-hot rows, probability distributions, to rounding). Only softmax + log-likelihood
        uses it: its δ = a Σy − y is then formed as a − y, one subtraction (see "The output δ"
        above). Left False the step computes a Σy − y, exact for any targets. A wrong promise
        gives a wrong gradient; nothing checks it.
    """

    def __init__(
        self,
        net: Network,
        optimizer: Optimizer,
        batch_size: int,
        use_scipy: bool | None = None,
        targets_sum_to_one: bool = False,
    ):
        self.net = net
        self.optimizer = optimizer
        self.a: np.ndarray | None = None
        if use_scipy is None:
            use_scipy = _scipy_blas is not None
        if use_scipy and _scipy_blas is None:
            raise ValueError("use_scipy=True needs SciPy; install scipy or pass use_scipy=False")
        self.use_scipy = bool(use_scipy)
        dtype = net.dtype
        self._gemm = self._gemv = None
        if self.use_scipy:
            prefix = "d" if dtype == np.float64 else "s"
            self._gemm = getattr(_scipy_blas, prefix + "gemm")
            self._gemv = getattr(_scipy_blas, prefix + "gemv")
        self._sizes = net.sizes
        self._dtype = dtype
        self._ones_out = np.ones(net.sizes[-1], dtype=dtype)  # Σ_j y_j of each row is Y · 1
        self._full: _Buffers | None = None
        self._by_n: dict[int, _Buffers] = {}
        self._allocate(max(1, int(batch_size)))
        # Gradient arrays for optimizers that take a Gradients; made on first use.
        self._grad_w: list[np.ndarray] | None = None
        self._grad_b: list[np.ndarray] | None = None

        # The plan, fixed with the network's activations and cost.
        acts, cost = net.activations, net.cost
        self._acts = acts
        self._cost = cost
        # The built-in formulas below (C and δ) only for the built-in classes, not for a
        # subclass that may change per_sample or derivative (see activations.is_builtin).
        self._quadratic = is_builtin(cost, Quadratic)
        self._log_likelihood = is_builtin(cost, LogLikelihood)
        eps = float(np.finfo(self._dtype).eps)
        self._clip_range = (eps, 1.0 - eps)  # LogLikelihood.value's clip of a, as two ufuncs
        self._forward = [
            fast_forward(fn, n_out, batch_size, self.use_scipy) for fn, n_out in zip(acts, self._sizes[1:])
        ]
        out = acts[-1]
        self.targets_sum_to_one = bool(targets_sum_to_one)
        if cost.simplifies(out) and self._log_likelihood and not targets_sum_to_one:
            self._output_rule = "a sum(y) - y"  # softmax + log-likelihood: δ = a Σy − y, any targets
        elif cost.simplifies(out):
            self._output_rule = "a - y"  # the pair simplifies: δ = a − y (see costs.py for why)
        elif self._quadratic and out.elementwise and type(out).delta is Activation.delta:
            # δ = (a − y) ⊙ σ'(net), σ' from a: Activation.delta's rule, unless σ has its own
            self._output_rule = "quadratic"
        else:
            self._output_rule = "general"  # the cost's own delta (e.g. quadratic + softmax)
        # σ' of a linear hidden layer is 1: its δ needs no multiplication.
        self._hidden_prime = [None if is_builtin(fn, Linear) else fn.prime for fn in acts[:-1]]
        self._by_numpy = products_by_numpy(self._sizes, batch_size, self.use_scipy)

    def _allocate(self, n: int) -> None:
        check_buffers_fit(n, self._sizes, self._dtype)
        empty = lambda k: np.empty((n, k), dtype=self._dtype)  # noqa: E731
        layers = self._sizes[1:]
        self._full = _Buffers(
            [empty(k) for k in layers],
            [empty(k) for k in layers],
            [empty(k) for k in layers],
            np.ones(n, dtype=self._dtype),
            np.empty((n, 1), dtype=self._dtype),
        )
        self._by_n = {n: self._full}

    def _buffers(self, n: int) -> _Buffers:
        buf = self._by_n.get(n)
        if buf is None:
            if n > self._full.ones.shape[0]:
                self._allocate(n)
            else:
                self._by_n[n] = self._full.rows(n)
            buf = self._by_n[n]
        return buf

    def __call__(
        self, X: np.ndarray, Y: np.ndarray, a_out: np.ndarray | None = None, s: np.ndarray | None = None
    ) -> float:
        n = X.shape[0]
        buf = self._by_n.get(n) or self._buffers(n)
        o, delta = buf.o, buf.delta
        if a_out is not None:  # the output layer writes into the caller's array
            o = [*o[:-1], a_out]
        w, b = self.net._w, self.net._b  # re-read every step: the user may assign new arrays
        matmul, copyto, gemm = np.matmul, np.copyto, self._gemm

        # Forward: net = o_prev · w + b, then o = σ(net) in the same array: ``buf_l`` is the
        # layer's buffer, holding net first and its output o after σ.
        o_prev = X
        by_numpy = self._by_numpy
        for buf_l, w_l, b_l, forward, numpy_product in zip(o, w, b, self._forward, by_numpy):
            if numpy_product:
                matmul(o_prev, w_l, out=buf_l)
                buf_l += b_l
            else:
                # netᵀ = wᵀ o_prevᵀ + bᵀ: b copied into every row, then gemm with β = 1 adds
                # the product to it (a broadcast copy costs 0.3 µs, a broadcast add 0.8 µs).
                copyto(buf_l, b_l)
                gemm(1.0, w_l.T, o_prev.T, 1.0, buf_l.T, 0, 0, 1)
            o_l = forward(buf_l, out=buf_l)
            if o_l is not buf_l:  # σ is what forward returns; ``out`` is a place it may fill
                copyto(buf_l, o_l)
            o_prev = buf_l
        a = self.a = o_prev

        # Output δ and the batch's cost C (with weights s, the weighted C is computed below and
        # the unweighted one is not: 0.0 stands in for it).
        d = delta[-1]
        rule = self._output_rule
        if rule == "general":
            np.copyto(d, self._cost.delta(self._acts[-1], a, Y))
            cost = self._cost.value(a, Y) if s is None else 0.0
        elif rule == "a sum(y) - y":
            # δ = a Σ_j y_j − y (LogLikelihood.simplified_delta), on the step's buffers: Σ_j y_j
            # as the product Y · 1 (BLAS's dot, ~0.4 µs; np.dot needs Y of the buffer's dtype).
            if Y.dtype == self._dtype:
                np.dot(Y, self._ones_out, out=buf.y_sum_flat)
            else:
                np.add.reduce(Y, axis=1, out=buf.y_sum_flat)
            np.multiply(a, buf.y_sum, out=d)
            d -= Y
            cost = self._log_likelihood_value(a, Y, buf.prime[-1]) if s is None else 0.0
        else:
            np.subtract(a, Y, out=d)
            # Quadratic.value's C = ½ Σ (a − y)² / n on the a − y already in hand (in Python
            # floats: arithmetic on NumPy scalars costs ~0.1 µs an operation).
            if s is not None:
                cost = 0.0
            elif self._quadratic:
                cost = float(np.vdot(d, d)) * 0.5 / n
            elif self._log_likelihood:
                cost = self._log_likelihood_value(a, Y, buf.prime[-1])
            else:
                cost = self._cost.value(a, Y)
            if rule == "quadratic":
                d *= self._acts[-1].prime(a, out=buf.prime[-1])
        if s is not None:
            # Weighted: C = Σ s_x C_x / Σ s_x (from the cost's per_sample), δ rows
            # scaled by s_x, and Σ s_x divides the sums where n did. Weight 0 in all: no step.
            n = float(s.sum())
            cost = weighted_cost(self._cost, a, Y, s, n)
            if not n:
                return cost
            d *= s[:, None]

        opt = self.optimizer
        if type(opt) is not SGD or opt.momentum != 0.0:
            self._backward_gradients(X, buf, w, cost, a, n)
            return cost

        # Plain SGD: w ← (1 − ηλ/n_train) w − (η/n) o_prevᵀ δ; b ← b − (η/n) Σ_x δ (n: Σ s_x
        # when weighted; n_train stays the number of training samples). Layers run
        # back to front, and δ of the layer below is formed from w[l] before w[l] changes, as
        # the textbook's equations require (every δ comes from the old weights).
        eta = opt.learning_rate
        decay = opt._decay_rate()  # λ/n_train (raises the optimizer's own error without n_train)
        opt.iterations += 1
        alpha = -eta / n
        beta = 1.0 - eta * decay if decay else 1.0
        update_biases = opt.update_biases
        gemv, ones, hidden_prime, prime_buf = self._gemv, buf.ones, self._hidden_prime, buf.prime
        for l in range(len(w) - 1, -1, -1):
            d = delta[l]
            if l > 0:
                # δ[l−1] = (δ[l] · w[l]ᵀ) ⊙ σ'(net[l−1]), from w[l] before its update below
                # (_backprop_delta, inlined: this loop runs thousands of times a second).
                o_prev, d_prev = o[l - 1], delta[l - 1]
                if by_numpy[l]:
                    matmul(d, w[l].T, out=d_prev)
                else:
                    gemm(1.0, w[l].T, d.T, 0.0, d_prev.T, 1, 0, 1)
                prime = hidden_prime[l - 1]
                if prime is not None:
                    d_prev *= prime(o_prev, out=prime_buf[l - 1])
            else:
                o_prev = X
            if gemm is not None:
                # wᵀ ← β wᵀ + α δᵀ o_prev, on the Fortran views (see the module docstring):
                # gemm(alpha, a, b, beta, c, trans_a, trans_b, overwrite_c).
                gemm(alpha, d.T, o_prev.T, beta, w[l].T, 0, 1, 1)
                if update_biases:
                    # b ← b + α δᵀ 1: gemv(alpha, a, x, beta, y, offx, incx, offy, incy, trans, overwrite_y).
                    gemv(alpha, d.T, ones, 1.0, b[l], 0, 1, 0, 1, 0, 1)
            else:
                grad = matmul(o_prev.T, d)
                grad *= alpha
                if decay:
                    w[l] *= beta
                w[l] += grad
                if update_biases:
                    b[l] += np.add.reduce(d, axis=0) * alpha
        return cost

    def _log_likelihood_value(self, a: np.ndarray, Y: np.ndarray, work: np.ndarray) -> float:
        """LogLikelihood.value, C = −Σ y ln a / n with a clipped to [ε, 1 − ε], in ``work``
        ``(n, n_out)``: four ufunc calls (~1.8 µs at 10 × 10) where ``np.clip``'s wrapper, a
        product and a sum take ~4.4 µs, 5 % of a step at [784, 30, 10] (measured)."""
        low, high = self._clip_range
        np.maximum(a, low, out=work)
        np.minimum(work, high, out=work)
        np.log(work, out=work)
        return -float(np.vdot(Y, work)) / a.shape[0]

    def _backprop_delta(self, buf: _Buffers, w: list[np.ndarray], l: int) -> None:
        """δ of layer l from δ of layer l + 1: δ[l−1] = (δ[l] · w[l]ᵀ) ⊙ σ'(net[l−1])."""
        d_prev = buf.delta[l - 1]
        if self._by_numpy[l]:
            np.matmul(buf.delta[l], w[l].T, out=d_prev)
        else:
            self._gemm(1.0, w[l].T, buf.delta[l].T, 0.0, d_prev.T, 1, 0, 1)  # δ[l−1]ᵀ = w[l] δ[l]ᵀ
        prime = self._hidden_prime[l - 1]
        if prime is not None:
            d_prev *= prime(buf.o[l - 1], out=buf.prime[l - 1])

    def _backward_gradients(self, X, buf: _Buffers, w, cost: float, a: np.ndarray, n: float) -> None:
        """Any optimizer: ∂C/∂w and ∂C/∂b (sums divided by ``n``, the batch's size or Σ s_x)
        into reused arrays, then ``optimizer.step``."""
        if self._grad_w is None:
            self._grad_w = [np.empty_like(x) for x in w]
            self._grad_b = [np.empty(x.shape[1], dtype=x.dtype) for x in w]
        grad_w, grad_b = self._grad_w, self._grad_b
        o, delta = buf.o, buf.delta
        L = len(w)
        for l in range(L - 1, 0, -1):
            self._backprop_delta(buf, w, l)
        scale = 1.0 / n
        for l in range(L):
            o_prev = o[l - 1] if l > 0 else X
            if self._gemm is not None:
                self._gemm(scale, delta[l].T, o_prev.T, 0.0, grad_w[l].T, 0, 1, 1)  # (1/n) δᵀ o_prev
            else:
                np.matmul(o_prev.T, delta[l], out=grad_w[l])
                grad_w[l] *= scale
            np.add.reduce(delta[l], axis=0, out=grad_b[l])
            grad_b[l] *= scale
        grads = Gradients(grad_w, grad_b, delta, cost, a)
        self.optimizer.step(self.net, grads)
