"""The checks of an optimizer's arguments (:mod:`deltaprop.optimizers`): keywords other
libraries use, refused with deltaprop's name for each, and gradients that must fit the network
stepped (its switches go through :func:`deltaprop._validation.check_flag`, as every module's).
NumPy only, as the core is.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# The names PyTorch and Keras give these hyperparameters, which a newcomer brings along:
# refused, with deltaprop's name for each.
OTHER_LIBRARIES_NAMES = {
    "lr": "learning_rate",
    "eps": "epsilon",
    "betas": "beta1 and beta2, two numbers",
    "beta_1": "beta1",
    "beta_2": "beta2",
    "weight_decay": "l2, Nielsen's λ (PyTorch's weight_decay is λ/n, n the training set size)",
}
# Those of them only Adam has: given to SGD (Momentum, Nesterov), the hint says so.
ADAM_ONLY_NAMES = frozenset({"eps", "betas", "beta_1", "beta_2"})


def other_library_hint(name: str, optimizer: str) -> str:
    """What to tell the user who gave ``optimizer`` (a class name) the keyword ``name``
    of PyTorch or Keras: deltaprop's name for it, or that it is Adam's; "" for any other."""
    hint = OTHER_LIBRARIES_NAMES.get(name)
    if hint is None:
        return ""
    if name in ADAM_ONLY_NAMES and optimizer != "Adam":
        return (
            f"; that is Adam's hyperparameter (deltaprop's Adam calls it {hint}), "
            f"not {optimizer}'s: use dp.Adam"
        )
    return f"; deltaprop calls it {hint}"


def check_grads(net, grads) -> None:
    """Refuse gradients that do not fit ``net``, before anything is changed."""
    if not hasattr(grads, "weights") or not hasattr(grads, "biases"):
        raise TypeError(
            f"grads must be the Gradients that net.backprop(X, Y) returns; got {type(grads).__name__}"
        )
    for name, params, grad in (("weights", net.weights, grads.weights), ("biases", net.biases, grads.biases)):
        shapes, got = [p.shape for p in params], [np.shape(g) for g in grad]
        if shapes != got:
            raise ValueError(
                f"grads.{name} do not fit the network: got shapes {got}, expected {shapes} "
                f"(were the gradients computed by another network?)"
            )


# The keys of Optimizer.state_dict(): those a state must have, and those it may leave out.
STATE_KEYS = ("iterations", "state")
OPTIONAL_STATE_KEYS = ("name", "hyper")


def check_state_dict(state, optimizer: str) -> tuple[dict, dict[str, np.ndarray]]:
    """``state``'s hyperparameters (``{}`` when it gives none) and its state arrays, copied;
    refused (TypeError for a value of the wrong type, ValueError for a missing or unknown key),
    naming the key, when it is not what ``Optimizer.state_dict()`` returns. ``optimizer`` is the
    class name, for the messages. The step count and the hyperparameters' values are checked
    by the caller."""
    if not isinstance(state, Mapping):
        raise TypeError(
            f"{optimizer}.load_state_dict takes the dict that state_dict() returns; got "
            f"{type(state).__name__}"
        )
    expected = f"state_dict() returns the keys {[*OPTIONAL_STATE_KEYS, *STATE_KEYS]}"
    missing = [key for key in STATE_KEYS if key not in state]
    if missing:
        raise ValueError(
            f"{optimizer}.load_state_dict: state lacks the keys {missing} "
            f"(got {sorted(state, key=str)}); {expected}"
        )
    unknown = sorted(set(state) - {*STATE_KEYS, *OPTIONAL_STATE_KEYS}, key=str)
    if unknown:
        raise ValueError(f"{optimizer}.load_state_dict: state has unknown keys {unknown}; {expected}")
    hyper, arrays = state.get("hyper", {}), state["state"]
    for key, value in (("hyper", hyper), ("state", arrays)):
        if not isinstance(value, Mapping):
            raise TypeError(
                f"{optimizer}.load_state_dict: state[{key!r}] must be a dict; got {type(value).__name__}"
            )
    copied = {}
    for key, value in arrays.items():
        arr = np.array(value, copy=True) if isinstance(key, str) else None
        if arr is None or arr.dtype.kind != "f":
            what = f"key {key!r}" if arr is None else f"{arr.dtype.name} values"
            raise TypeError(
                f"{optimizer}.load_state_dict: state['state'] maps names such as 'w0' to float arrays; "
                f"got {what} for {key!r}"
            )
        copied[key] = arr
    return dict(hyper), copied


def same_parameters(a, b) -> bool:
    """Whether networks ``a`` and ``b`` hold the very same arrays (``b = copy.copy(a)``)."""
    params_a, params_b = [*a.weights, *a.biases], [*b.weights, *b.biases]
    return len(params_a) == len(params_b) and all(x is y for x, y in zip(params_a, params_b))


def state_misfit(
    state: dict, prefixes: tuple[str, ...], name: str, net, noun: str = "state array", prefix: str = ""
) -> str | None:
    """What makes an optimizer's ``state`` arrays unfit for ``net``, in words naming each
    ``noun`` ``prefix + key``; None when they fit. Each array must be named after one of the
    network's parameters (``prefixes`` + ``w0``: ``m_w0``, ``v_w0`` for Adam, whose ``name`` the
    words give) and have that parameter's shape and dtype."""
    params = {f"w{l}": w for l, w in enumerate(net.weights)}
    params.update({f"b{l}": b for l, b in enumerate(net.biases)})
    for key, arr in state.items():
        owners = [key[len(p) :] for p in prefixes if key.startswith(p) and key[len(p) :] in params]
        if not owners:
            examples = ", ".join(repr(prefix + p + param) for p in prefixes for param in ("w0", "b0"))
            return (
                f"{noun} {prefix + key!r} belongs to no parameter of the network; {name}'s "
                f"{noun}s are named like {examples}"
            )
        param = params[owners[0]]
        if arr.shape != param.shape or arr.dtype != param.dtype:
            return (
                f"{noun} {prefix + key!r} is {arr.dtype.name} {arr.shape}, but its parameter "
                f"{owners[0]!r} is {param.dtype.name} {param.shape}"
            )
    return None
