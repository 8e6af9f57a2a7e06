"""Differential tests of every optimizer and schedule against ``torch.optim``, over many steps.

Each run starts deltaprop and torch from the same weights and, at every step, hands both
the same gradient (deltaprop's backprop at deltaprop's current weights, so the gradients
change from step to step as in training). The update rules are then the only thing that
can differ. Checked in float64 (to rounding) and float32 (to float32 rounding, summed over
the steps), with and without the biases updated, and with η changed between steps as a
schedule does it.

The correspondences (torch's documented update rules, with dampening 0):

* SGD          w ← w − η (g + λ/n w)                  = Nielsen's (1 − ηλ/n) w − η g
* momentum μ   v ← μ v + (g + λ/n w);  w ← w − η v
* Nesterov     v ← μ v + (g + λ/n w);  w ← w − η (g + λ/n w + μ v)
* Adam         g' = g + λ/n w; m ← β1 m + (1 − β1) g'; v ← β2 v + (1 − β2) g'²;
               w ← w − η m̂ / (√v̂ + ε), m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)

with torch's ``weight_decay`` = λ/n on the weights' parameter group only, and the biases
left out of torch's optimizer where deltaprop has ``update_biases=False``.
Schedules: ``StepDecay`` ↔ ``StepLR``, ``ExponentialDecay`` ↔ ``ExponentialLR``,
``CosineDecay`` ↔ ``CosineAnnealingLR`` (for the epochs before ``epochs``).
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.training import CosineDecay, ExponentialDecay, StepDecay

torch = pytest.importorskip("torch")

N_STEPS = 30
N_TRAIN = 50
L2 = 2.0  # λ; torch's weight_decay is λ/n = 0.04
# float64: the two implementations round differently (torch's Adam divides by √(1 − β2^t)
# separately), so equality holds to a few ulps per step. float32: ~1e-7 relative per step.
TOL = {np.float64: dict(rtol=1e-11, atol=1e-13), np.float32: dict(rtol=2e-5, atol=2e-6)}
TORCH_DTYPE = {np.float64: torch.float64, np.float32: torch.float32}

# name -> (deltaprop optimizer from η, kwargs for torch's optimizer, torch class, uses L2)
CASES = {
    "sgd": (lambda eta, **kw: dp.SGD(eta, **kw), {}, "SGD", False),
    "sgd_l2": (lambda eta, **kw: dp.SGD(eta, l2=L2, n_train=N_TRAIN, **kw), {}, "SGD", True),
    "momentum_l2": (
        lambda eta, **kw: dp.Momentum(eta, momentum=0.9, l2=L2, n_train=N_TRAIN, **kw),
        dict(momentum=0.9),
        "SGD",
        True,
    ),
    "nesterov": (
        lambda eta, **kw: dp.Nesterov(eta, momentum=0.6, **kw),
        dict(momentum=0.6, nesterov=True),
        "SGD",
        False,
    ),
    "nesterov_l2": (
        lambda eta, **kw: dp.Nesterov(eta, momentum=0.95, l2=L2, n_train=N_TRAIN, **kw),
        dict(momentum=0.95, nesterov=True),
        "SGD",
        True,
    ),
    "adam": (lambda eta, **kw: dp.Adam(eta, **kw), {}, "Adam", False),
    "adam_hyper_l2": (
        lambda eta, **kw: dp.Adam(eta, beta1=0.7, beta2=0.95, epsilon=1e-4, l2=L2, n_train=N_TRAIN, **kw),
        dict(betas=(0.7, 0.95), eps=1e-4),
        "Adam",
        True,
    ),
    "adam_beta1_0": (
        lambda eta, **kw: dp.Adam(eta, beta1=0.0, beta2=0.5, **kw),
        dict(betas=(0.0, 0.5)),
        "Adam",
        False,
    ),
}
ETA = {"SGD": 0.2, "Adam": 0.02}


def eta_at(base: float, step: int) -> float:
    """η for ``step`` (from 0): halved every 10 steps, as a step-decay schedule would set it."""
    return base * 0.5 ** (step // 10)


@pytest.mark.parametrize("update_biases", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", list(CASES))
def test_many_steps_equal_torch_optim(case, dtype, update_biases):
    make_ours, torch_kwargs, torch_class, uses_l2 = CASES[case]
    base = ETA[torch_class]
    net = dp.Network(
        [4, 6, 3], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=3, dtype=dtype
    )
    start_w = [w.copy() for w in net.weights]
    start_b = [b.copy() for b in net.biases]
    t_w = [torch.tensor(w.copy()) for w in net.weights]
    t_b = [torch.tensor(b.copy()) for b in net.biases]
    groups = [{"params": t_w, "weight_decay": L2 / N_TRAIN if uses_l2 else 0.0}]
    if update_biases:
        groups.append({"params": t_b, "weight_decay": 0.0})
    theirs = getattr(torch.optim, torch_class)(groups, lr=base, **torch_kwargs)
    ours = make_ours(base, update_biases=update_biases)

    rng = np.random.default_rng(7)
    for step in range(N_STEPS):
        eta = eta_at(base, step)
        ours.learning_rate = eta
        for group in theirs.param_groups:
            group["lr"] = eta
        X, labels = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
        grads = net.backprop(X.astype(dtype), labels)
        assert grads.weights[0].dtype == dtype
        for param, grad in zip(t_w + t_b, grads.weights + grads.biases):
            param.grad = torch.tensor(grad)
        theirs.step()
        ours.step(net, grads)

    for mine, param in zip(net.weights + net.biases, t_w + t_b):
        assert mine.dtype == dtype and param.dtype == TORCH_DTYPE[dtype]
        np.testing.assert_allclose(mine, param.numpy(), **TOL[dtype])
    assert ours.iterations == N_STEPS
    assert max(np.abs(w - w0).max() for w, w0 in zip(net.weights, start_w)) > 1e-2  # it moved
    for b, b0 in zip(net.biases, start_b):
        if update_biases:
            assert np.abs(b - b0).max() > 1e-3
        else:
            np.testing.assert_array_equal(b, b0)


# --- schedules against torch.optim.lr_scheduler ---------------------------------------------

N_EPOCHS = 25


def torch_lrs(initial: float, make_scheduler, n_epochs: int) -> list[float]:
    """η at the start of each epoch 0..n_epochs−1, as a torch scheduler sets it."""
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=initial)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for _ in range(n_epochs):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


SCHEDULES = {
    "step": (lambda: StepDecay(0.8, drop=0.3, every=4), lambda o: torch.optim.lr_scheduler.StepLR(o, 4, 0.3)),
    "step_every_1": (
        lambda: StepDecay(0.5, drop=0.9, every=1),
        lambda o: torch.optim.lr_scheduler.StepLR(o, 1, 0.9),
    ),
    "exponential": (
        lambda: ExponentialDecay(0.3, rate=0.85),
        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.85),
    ),
    "cosine": (
        lambda: CosineDecay(0.1, epochs=N_EPOCHS),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=N_EPOCHS),
    ),
    "cosine_min_lr": (
        lambda: CosineDecay(0.1, epochs=N_EPOCHS, min_lr=0.004),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=N_EPOCHS, eta_min=0.004),
    ),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_schedules_equal_torch_lr_schedulers(name):
    make_ours, make_theirs = SCHEDULES[name]
    ours = make_ours()
    expected = torch_lrs(ours.initial, make_theirs, N_EPOCHS)
    # torch's CosineAnnealingLR updates η recursively, so it matches the closed form to rounding.
    np.testing.assert_allclose([ours(e) for e in range(N_EPOCHS)], expected, rtol=1e-12, atol=1e-15)


def test_cosine_after_its_epochs_stays_at_min_lr_like_torchs_closed_form():
    """At e = epochs torch's cosine reaches eta_min; deltaprop keeps it there (torch would rise again)."""
    ours = CosineDecay(0.1, epochs=10, min_lr=0.004)
    theirs = torch_lrs(
        0.1, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.004), 11
    )
    assert ours(10) == pytest.approx(theirs[10], rel=1e-12)
    assert ours(15) == 0.004


def test_fit_follows_the_schedule_like_torch():
    """``fit`` sets the optimizer's η at every epoch's start to what torch's scheduler gives."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(16, 2)), rng.uniform(0.1, 0.9, size=(16, 1))
    net = dp.Network([2, 3, 1], seed=0)
    run = net.fit(X, Y, 8, callbacks=[StepDecay(0.6, drop=0.5, every=3)], seed=0)
    expected = torch_lrs(0.6, lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5), 8)
    np.testing.assert_allclose(run.history["lr"], expected, rtol=1e-15)
