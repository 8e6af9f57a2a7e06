"""``net.weights`` and ``net.biases``: one checked array per layer of weights, and their first draw.

Assigning a layer's array (``net.weights[l] = arr``) goes through the same checks as
assigning the whole list: shape, finite real numbers within the network's dtype, stored as a
C-contiguous, writeable copy that the training step can update in place. ``initial_params``
draws a new network's arrays with one of :mod:`deltaprop.initializers`.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np

from . import initializers
from ._text import count
from ._validation import check_range, rng_from_seed

SINGULAR = {"weights": "weight", "biases": "bias"}


def _row_lengths(given) -> list | None:
    """The lengths of the items of a nested list (to show why it is ragged), or None."""
    try:
        return [len(row) if isinstance(row, Sequence | np.ndarray) else "a number" for row in given]
    except TypeError:
        return None


def param_array(given, label: str) -> np.ndarray:
    """``given`` (an array or nested lists) as an ndarray of real numbers; ``label`` e.g. ``weights[1]``."""
    try:
        arr = np.asarray(given)
    except (ValueError, TypeError) as err:  # ragged nested lists
        rows = _row_lengths(given)
        if rows and len(set(map(str, rows))) > 1:
            why = f"its rows have lengths {rows}; every row must have the same length"
        else:
            why = str(err)
        raise ValueError(f"{label} could not be read as a rectangular array: {why}") from None
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{label} must hold real numbers; got dtype {arr.dtype.name!r}")
    return arr


def stored_param(arr: np.ndarray, label: str, kind: str, expected: tuple, dtype: np.dtype) -> np.ndarray:
    """``arr`` checked against ``expected`` and stored as a new C-contiguous, writeable array of ``dtype``.

    ``kind`` is ``"weights"`` or ``"biases"``. Always a copy: the training step updates the
    stored arrays in place, which a transposed or strided view, a read-only array or a memory
    map would not allow (or would share with the caller).
    """
    if arr.shape != expected:
        what = " (n_in, n_out): w_ij from neuron i to neuron j" if kind == "weights" else ""
        hint = ""
        if kind == "weights" and arr.shape == expected[::-1]:
            hint = (
                "; this is the transposed shape — for weights in Nielsen's network.py layout "
                f"(w[j, i]), assign their transpose, {label} = w.T"
            )
        raise ValueError(f"{label} has shape {arr.shape}; expected {expected}{what}{hint}")
    if not np.isfinite(arr).all():
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        where = ", ".join(map(str, first))
        raise ValueError(
            f"{label} contains NaN or infinity (first: {label}[{where}] = {arr[first].item()!r}); "
            f"every {SINGULAR[kind]} must be finite"
        )
    check_range(arr, dtype, label, what=f"the {kind} down")
    return np.array(arr, dtype=dtype, order="C", copy=True)


class ParameterList(list):
    """``net.weights`` or ``net.biases``: a list of one array per layer of weights, checked on assignment.

    It reads, iterates and compares as the plain list it is, and ``net.weights[l][i, j] = v``
    writes into the network's own array. What it adds: ``net.weights[l] = arr`` (or a slice,
    ``net.weights[:] = arrays``) goes through the same check as ``net.weights = arrays`` —
    the shape of ``weights[l]`` is kept, every value is a finite real number within the
    network's dtype — and stores a C-contiguous, writeable copy in that dtype, so a transposed
    view (Nielsen's layout converted with ``.T``), a strided view, a read-only array or a
    memory map is never trained in place. The number of layers is the architecture's: the
    list cannot grow, shrink or be reordered (``append``, ``del``, ``pop``, ``sort``, ... raise
    ``TypeError``); build a new :class:`Network` for other sizes.
    """

    def __init__(self, kind: str, dtype: np.dtype, arrays=()):
        super().__init__(arrays)  # trusted: the network's own checked arrays
        self.kind = kind
        self.dtype = np.dtype(dtype)

    def __reduce__(self):  # pickle and deepcopy rebuild it in one call (append is refused)
        return (type(self), (self.kind, self.dtype, list(self)))

    def _position(self, index) -> int:
        try:
            position = operator.index(index)
        except TypeError:
            raise TypeError(
                f"{self.kind} indices must be integers or slices, not {type(index).__name__}"
            ) from None
        n = len(self)
        if not -n <= position < n:
            layers = f"{count(n, 'layer')} of weights"
            raise IndexError(
                f"{self.kind}[{position}] does not exist: the network has {layers}, "
                f"{self.kind}[0] to {self.kind}[{n - 1}]"
            )
        return position % n

    def _checked(self, position: int, value) -> np.ndarray:
        current = list.__getitem__(self, position)
        if value is current and current.flags.c_contiguous and current.flags.writeable:
            return current  # ``net.weights[l] -= ...``: already changed in place
        label = f"{self.kind}[{position}]"
        return stored_param(param_array(value, label), label, self.kind, current.shape, self.dtype)

    def __setitem__(self, index, value) -> None:
        if isinstance(index, slice):
            positions = range(*index.indices(len(self)))
            if isinstance(value, np.ndarray) or not isinstance(value, Sequence):
                raise TypeError(
                    f"a slice of {self.kind} must be assigned a list of arrays, one per layer; "
                    f"got {type(value).__name__}"
                )
            if len(value) != len(positions):
                raise ValueError(
                    f"assigning {count(len(value), 'array')} to {len(positions)} of {self.kind} would change "
                    f"the number of layers; give exactly {len(positions)} (build a new Network for "
                    f"other sizes)"
                )
            checked = [self._checked(p, v) for p, v in zip(positions, value)]  # all, before any is set
            for p, arr in zip(positions, checked):
                list.__setitem__(self, p, arr)
            return
        position = self._position(index)
        list.__setitem__(self, position, self._checked(position, value))

    def _refuse(self, *args, **kwargs):
        raise TypeError(
            f"net.{self.kind} holds one array per layer of weights ({len(self)}), fixed by the "
            f"architecture: it cannot grow, shrink or be reordered. Assign arrays of the same shapes "
            f"(net.{self.kind}[l] = array), or build a new Network (Network.from_arrays) for other sizes."
        )

    append = extend = insert = pop = remove = clear = sort = reverse = _refuse
    __delitem__ = __iadd__ = __imul__ = _refuse


def checked_params(
    new: Sequence, kind: str, weights: Sequence[np.ndarray], n_layers: int, dtype: np.dtype
) -> ParameterList:
    """``new``, a whole ``net.weights`` or ``net.biases``, checked and stored as a :class:`ParameterList`.

    ``kind`` is ``"weights"`` or ``"biases"``; ``weights`` the network's current weights,
    ``n_layers`` its number of layers of weights (L). Every array becomes a C-contiguous copy
    in ``dtype``. Assigned weights must keep the current shapes, biases be ``(n_{l+1},)``; the
    first weights (``Network.from_arrays``, while ``weights`` is still empty) must chain:
    ``weights[l]`` has as many rows as ``weights[l-1]`` has columns.
    """
    if isinstance(new, np.ndarray) or not isinstance(new, Sequence):
        raise TypeError(f"{kind} must be a list of arrays, one per layer of weights")
    if len(new) != n_layers:
        raise ValueError(
            f"{kind} must hold {count(n_layers, 'array')}, one per layer of weights; got {len(new)}"
        )
    out: list[np.ndarray] = []
    for l, given in enumerate(new):
        label = f"{kind}[{l}]"
        arr = param_array(given, label)
        if kind == "biases":
            expected = (weights[l].shape[1],)
        elif weights:
            expected = weights[l].shape
        elif l > 0 and arr.ndim == 2:
            expected = (out[l - 1].shape[1], arr.shape[1])
        else:
            expected = arr.shape if arr.ndim == 2 else ("n_in", "n_out")
        out.append(stored_param(arr, label, kind, expected, dtype))
    return ParameterList(kind, dtype, out)


def initial_params(
    sizes: list[int], init: str, seed: int | np.random.Generator | None, dtype: np.dtype
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """A new network's weights ``(n_l, n_{l+1})`` and biases ``(n_{l+1},)``, drawn layer by layer
    by the initialiser ``init`` from ``seed`` (a Generator is used as it is), as C-contiguous
    arrays of ``dtype``. A ``MemoryError`` says how many parameters the sizes ask for.
    """
    draw = initializers.get(init)
    rng = rng_from_seed(seed)
    weights, biases = [], []
    try:
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            w, b = draw(n_in, n_out, rng)
            weights.append(np.array(w, dtype=dtype, order="C"))
            biases.append(np.array(b, dtype=dtype, order="C"))
    except MemoryError:
        n_params = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        gib = n_params * dtype.itemsize / 2**30
        raise MemoryError(
            f"a network of sizes {sizes} has {n_params:,} weights and biases, {gib:.1f} GiB in "
            f"{dtype.name} (more while they are drawn): more than this machine can give; "
            f"check the sizes"
        ) from None
    return weights, biases
