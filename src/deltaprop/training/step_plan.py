"""The fast step's plan: per layer, which library computes each product and which routine σ.

:class:`~deltaprop.training.fast_step.FastStep` fixes its plan when it is made, from the network's
sizes and activations, the batch size and the BLAS thread limits of that moment; the
arithmetic is the same whichever way each layer goes, only the number and cost of the calls
differ. :func:`products_by_numpy` says, per layer, whether the forward product o_prev · w and
the δ product δ · wᵀ go through NumPy's matmul or SciPy's BLAS; :func:`fast_forward` gives a
logistic layer a cheaper route to the same σ(net) (SciPy's ``expit`` for a small layer,
:func:`logistic_unclipped` for a larger one). The thresholds are measured, and named below.

Which library computes each product
------------------------------------
When SciPy is used, products that BLAS may run on several threads go through it, not only
the fused SGD update. NumPy and SciPy each bring their own OpenBLAS with its own thread pool,
and an idle OpenBLAS pool spins for a while before it sleeps: alternating the two within a
step left each pool's threads spinning against the other's work, and on a 2-core machine one
epoch of [784, 100, 10] took 25 × longer (measured; see bench/README.md). One library per
step keeps one pool busy.

SciPy's gemm is needed only for the fused update, and its thin wrapper is also the cheaper
call for tiny products (~0.7 µs against ~1 µs for ``np.matmul``). For the rest, the
forward products ``o_prev · w`` and the δ products ``δ · wᵀ`` of layers with at least
:data:`NUMPY_MIN_MACS` multiply-adds, NumPy's matmul is the default call of the field, and
the pip wheels' NumPy ships the newer OpenBLAS (measured here: NumPy's 0.3.31 against
SciPy's 0.3.30, 1.3–1.4× faster at [784, 30] and [784, 100] in float32, ±10 % in float64).
Those products therefore go through NumPy — but only where mixing the two pools is safe:
every BLAS thread pool limited to one thread, or a product too small for OpenBLAS to
thread at all (≤ :data:`OPENBLAS_SINGLE_THREAD_MACS` multiply-adds, its fixed threshold),
so NumPy's pool never wakes. Otherwise every product stays with SciPy, as above.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..activations import Logistic, is_builtin

try:  # one call for the logistic of a small layer (see fast_forward)
    from scipy.special import expit as _expit
except ImportError:  # pragma: no cover - SciPy comes with scikit-learn; NumPy's σ still works
    _expit = None


# Below this many values per batch (n × n_out) the logistic is SciPy's expit, one call
# instead of NumPy's five (clip, negate, exp, add, divide), each of which costs ~0.4 µs
# to dispatch: at Nielsen's 10 × 30 it saves ~2 µs per layer per step. Above it NumPy's
# vectorised exp wins (expit is 2–4× slower per value at 32 × 100 and beyond).
EXPIT_MAX_VALUES = 1024
# From this many values per batch, a logistic layer skips the clip (see logistic_unclipped):
# one pass fewer is worth the ~0.7 µs of np.errstate from a few hundred values on (measured:
# 512 values 2.8 µs against 3.6 clipped, 3,200 (B's 32 × 100) 4.0 against 5.3 in float32).
UNCLIPPED_MIN_VALUES = 512

# A forward or δ product of at least this many multiply-adds (batch × n_in × n_out) goes
# through NumPy's matmul where that is safe (see "Which library computes each product").
NUMPY_MIN_MACS = 2**16
# OpenBLAS computes a gemm of at most this many multiply-adds on the calling thread,
# whatever its thread limit (SMP_THRESHOLD_MIN × GEMM_MULTITHREAD_THRESHOLD, 65536 × 4).
OPENBLAS_SINGLE_THREAD_MACS = 2**18

_controller = None  # threadpoolctl's view of the loaded BLAS libraries, made on first use


def blas_single_threaded() -> bool:
    """Whether every loaded BLAS library is limited to one thread now (threadpoolctl)."""
    global _controller
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a dependency; without it, assume threads
        return False
    if _controller is None:
        with warnings.catch_warnings():  # its notes on mixed OpenMP runtimes are not ours to show
            warnings.simplefilter("ignore")
            _controller = ThreadpoolController()  # ~3 ms once; after it ~0.5 µs a query
    blas = [lib for lib in _controller.lib_controllers if lib.user_api == "blas"]
    return bool(blas) and all(lib.get_num_threads() == 1 for lib in blas)


def products_by_numpy(sizes, batch_size: int, use_scipy: bool) -> list[bool]:
    """Per layer: whether its forward and δ products go through NumPy's matmul."""
    if not use_scipy:
        return [True] * (len(sizes) - 1)
    macs = [batch_size * n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    if not any(m >= NUMPY_MIN_MACS for m in macs):
        return [False] * len(macs)
    one_thread = blas_single_threaded()
    return [m >= NUMPY_MIN_MACS and (one_thread or m <= OPENBLAS_SINGLE_THREAD_MACS) for m in macs]


def logistic_unclipped(net: np.ndarray, out: np.ndarray) -> np.ndarray:
    """σ(net) = 1 / (1 + e^(−net)) in four passes, for all but the smallest layers.

    ``Logistic.forward`` clips net first so that e^(−net) never overflows; here the overflow
    is let happen instead, silently: e^(−net) = inf for net < −709.78 (−88.72 in float32)
    gives σ = 1 / inf = 0, where the clipped σ is 1 / (1 + e^709.78) ≈ 3.3e-308 — both
    below the smallest normal number. One pass fewer over a layer of 128 × 1024 values is
    ~25 µs of ~230 per layer (measured).
    """
    with np.errstate(over="ignore"):
        np.negative(net, out=out)
        np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def fast_forward(fn, n_out: int, batch_size: int, use_scipy: bool):
    """``fn.forward``, or a cheaper route to the same values for a logistic layer.

    ``expit`` (one call) for a small layer; the unclipped σ for a larger one (≥
    :data:`UNCLIPPED_MIN_VALUES` values a batch, where the pass it saves outweighs the
    ~0.7 µs of ``np.errstate``).
    """
    if is_builtin(fn, Logistic):  # not a subclass: its σ may differ (see is_builtin)
        values = n_out * batch_size
        if use_scipy and values <= EXPIT_MAX_VALUES:
            return _expit
        if values >= UNCLIPPED_MIN_VALUES:
            return logistic_unclipped
    return fn.forward
