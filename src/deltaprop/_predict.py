"""The forward pass that keeps nothing but the outputs a: :meth:`Network.predict`'s, and
``evaluate``'s on each chunk.

X may come in any real dtype (uint8 pixels, float32 for a float64 network), C or Fortran order.
When it is not the network's dtype it is converted whole if the converted copy takes at most
:data:`WHOLE_BATCH_BYTES` (16 MB), and otherwise a block of rows at a time, so that what predict
holds besides X and a is one block of each layer (60,000 MNIST images in float32, 188 MB, would
cost a float64 copy of 376 MB). Same notation as :mod:`deltaprop.network`."""

from __future__ import annotations

import numpy as np

# Rows per block: for σ to run on values still in cache, and for X's conversion. Fewer rows
# would re-read each w more often than they save.
BLOCK_ROWS = 2048
# Hidden outputs larger than this for the whole batch (e.g. 10,000 × 1024 in float64) go by blocks.
WHOLE_BATCH_BYTES = 16 * 2**20
#: A single output's decision threshold: a > 0.5 is class 1 (the logistic σ(0), the middle of [0, 1]).
THRESHOLD = 0.5


def classes_of(a: np.ndarray) -> np.ndarray:
    """The classes int64 ``(n,)`` that outputs a ``(n, n_L)`` predict: the argmax of each row, or
    a > :data:`THRESHOLD` for a single output. One rule for predict_classes, the accuracy fit
    logs and the diagnostics."""
    if a.shape[1] == 1:
        return (a[:, 0] > THRESHOLD).astype(np.int64)
    return a.argmax(axis=1)


def predict_outputs(net, X: np.ndarray) -> np.ndarray:
    """The outputs a ``(n_samples, n_L)`` of ``net``'s dtype for ``X`` ``(n_samples, n_0)``, checked
    (finite, within the dtype's range) but of any real dtype. Beyond :data:`BLOCK_ROWS` rows, by
    blocks when the hidden outputs or X's converted copy would pass :data:`WHOLE_BATCH_BYTES`."""
    n, L, dtype = X.shape[0], len(net._w), net.dtype
    widest = max(w.shape[1] for w in net._w[:-1]) if L > 1 else 0
    small = widest * n * dtype.itemsize <= WHOLE_BATCH_BYTES  # the hidden outputs
    # X in the network's dtype would be large: by blocks, whatever X's own dtype. A product's
    # rows depend, in the last bits, on how many rows it has (BLAS kernels), so the choice
    # reads only the sizes, never X's dtype: X and its converted copy get the same bits.
    big_copy = X.size * dtype.itemsize > WHOLE_BATCH_BYTES
    if n <= BLOCK_ROWS or (small and not big_copy):
        o = np.asarray(X, dtype=dtype)  # X itself, or a copy of one block or of ≤ 16 MB
        for w, b, fn in zip(net._w, net._b, net.activations):
            net_l = o @ w
            net_l += b
            o = fn.forward(net_l, out=net_l)  # σ's result; the built-ins write it over net
        return o
    # Speed and memory: block by block into buffers made once, σ on values still in cache.
    if not big_copy:
        X = np.asarray(X, dtype=dtype)  # a copy of ≤ 16 MB whole: one conversion, not one per block
    a = np.empty((n, net._w[-1].shape[1]), dtype=dtype)
    hidden = [np.empty((BLOCK_ROWS, w.shape[1]), dtype=dtype) for w in net._w[:-1]]
    for start in range(0, n, BLOCK_ROWS):
        o = np.asarray(X[start : start + BLOCK_ROWS], dtype=dtype)
        rows = o.shape[0]
        for l, (w, b, fn) in enumerate(zip(net._w, net._b, net.activations)):
            # The layer's buffer: net, then its output o (written over net by the built-ins).
            buf_l = hidden[l][:rows] if l < L - 1 else a[start : start + rows]
            np.matmul(o, w, out=buf_l)
            buf_l += b
            o = fn.forward(buf_l, out=buf_l)
            if o is not buf_l:  # σ is what forward returns; ``out`` is a place it may fill
                np.copyto(buf_l, o)
                o = buf_l
    return a
