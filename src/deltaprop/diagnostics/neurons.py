"""The hidden neurons, from the gradient statistics: saturated, dead, or starved of δ.

A neuron learns at the rate of its δ = σ'(net) · Σ_k w_jk δ_k. A logistic or tanh neuron
with |net| large is saturated: σ'(net) ≈ 0 and it barely learns (:func:`check_saturation`,
which also finds δ vanishing on its way back to the first layer); a ReLU neuron with net ≤ 0
for every sample is dead: σ' = 0, δ = 0, and its weights never change again
(:func:`check_dead_relu`). Both read the latest record of a
:class:`~deltaprop.diagnostics.gradient_stats.GradientStats`.
"""

from __future__ import annotations

from .finding import Finding
from .gradient_stats import PERCENTILES, SATURATION_NET, GradientStats
from .input_scale import check_input_scale
from .learning_curve import still_learning

SATURATED_SHARE = 0.5  # most neurons of a layer saturated
VANISHING_RATIO = 1e-3  # median |δ| of the first layer below 1/1000 of the output layer's
NEGLIGIBLE = 1e-12  # a ratio below this is reported in words, not as 8.3e-308
DEAD_WARNING_SHARE = 0.5
DEAD_INFO_SHARE = 0.2
MEDIAN = PERCENTILES.index(50)

# The advice that names initialisers and activations, in Python's words; the command line says
# them as its flags instead, and leaves out the initialiser the run used (deltaprop.cli.train_report).
SMALLER_INIT = "init='normal_scaled' or 'glorot_normal'"
RELU_OR_TANH = "ReLU or tanh hidden layers with init='he_normal' or 'glorot_normal'"
HE_OR_LEAKY = "use init='he_normal', or use leaky_relu"
SMALLER_STEPS = (
    f"start from smaller weights ({SMALLER_INIT}), and lower the learning rate "
    "if one large step may have pushed them there"
)
# The saturation fix by what the probe rows say of the inputs' scale (as the unscaled-inputs
# finding judges it): scaled inputs (a run trained with --scale standard, pixels / 255) are not
# told to scale again; inputs far outside a small range have their own finding, which says how.
SATURATION_FIXES = {
    None: "scale the inputs to [0, 1] (e.g. pixels / 255) if they are not in a small range already, "
    + SMALLER_STEPS,
    True: "the inputs are in a small range already, so " + SMALLER_STEPS,
    False: "scale the inputs (see the unscaled-inputs finding), " + SMALLER_STEPS,
}


def probe_scaled(stats: GradientStats) -> bool | None:
    """Whether the rows ``stats`` probed (the inputs as the network trained on them) lie in a
    small range, as :func:`~.input_scale.check_input_scale` judges it; None when the statistics
    hold no rows (read back from ``gradients.json``)."""
    X = getattr(stats, "X_probe", None)
    return None if X is None else not check_input_scale(X)


def check_saturation(
    stats: GradientStats,
    history=None,
    at_chance: bool = False,
    chance: float | None = None,
    inputs_scaled: bool | None = None,
) -> list[Finding]:
    """Most logistic/tanh neurons of a hidden layer past |net| > 5, and the vanishing δ that follows.

    With a ``history`` that shows the run learning (accuracy ≥ 90 %, or up a point over the
    last epochs) the saturated units are reported as information, not as a warning: many
    logistic units end up near 0 or 1 in a network that works, and the remedy is then a
    matter of speed, not of a stuck run; so is an accuracy far above ``chance`` (the guessing
    accuracy, :func:`~.learning_curve.chance_level`). ``at_chance`` (the accuracy is at chance
    level, :func:`~.learning_curve.check_chance_level`) overrides both: a point gained from
    10 % to 11 % is not learning.

    The fix tells inputs far outside a small range to be scaled, and inputs already in one
    (``inputs_scaled``: whether :func:`~.input_scale.check_input_scale` passed them; None: judged
    from the rows ``stats`` probed, where it has them) to take smaller first steps instead.
    """
    if stats is None or not stats.records:
        return []
    out = []
    last = stats.records[-1]
    names = [layer["activation"] for layer in stats.layers]
    learning = None if at_chance else still_learning(history, chance)
    scaled = probe_scaled(stats) if inputs_scaled is None else inputs_scaled
    # Hidden layers only: output neurons confidently at 0 or 1 for the wrong classes are
    # saturated by design once the network has learned.
    for l, share in enumerate(last["saturated"][:-1]):
        if share is not None and share >= SATURATED_SHARE:
            where = f"hidden layer {l + 1}"
            seen = (
                f"{share:.0%} of the {names[l]} neurons of {where} are saturated (|net| > "
                f"{SATURATION_NET:g} for most samples), where σ'(net) ≈ 0 and their weights "
            )
            if learning is None:
                finding = Finding(
                    "saturated-units",
                    "warning",
                    seen + "barely learn.",
                    SATURATION_FIXES[scaled],
                )
            else:
                finding = Finding(
                    "saturated-units",
                    "info",
                    seen + f"change slowly; the run still learns (training accuracy {learning:.1%}).",
                    f"lower the learning rate, or start from smaller weights ({SMALLER_INIT}), to keep "
                    "more of them where σ is steep and they learn fast",
                )
            out.append(finding)
    medians = [layer[MEDIAN] for layer in last["delta"]]
    dead_first = (last.get("dead") or [None])[0]
    if dead_first is not None and dead_first >= DEAD_WARNING_SHARE:
        # δ = 0 because the ReLU units of hidden layer 1 are dead: check_dead_relu says so, and
        # "use fewer logistic layers" would be the wrong advice.
        return out
    if len(medians) >= 2 and all(m is not None for m in medians) and medians[-1] > 0:
        ratio = medians[0] / medians[-1]
        if ratio < VANISHING_RATIO:
            out.append(
                Finding(
                    "vanishing-gradient",
                    "warning",
                    "δ vanishes on its way back: the median |δ| of hidden layer 1 is "
                    + (f"{ratio:.1e} times" if ratio > NEGLIGIBLE else "a negligible fraction of")
                    + " that of the output layer, so the first layers hardly learn.",
                    f"use fewer logistic layers, {RELU_OR_TANH}" + ("" if scaled else ", and scaled inputs"),
                )
            )
    return out


def check_dead_relu(stats: GradientStats) -> list[Finding]:
    """ReLU neurons with a = 0 on every probe sample: δ = 0 there, so they never learn again."""
    if stats is None or not stats.records:
        return []
    out = []
    n_layers = len(stats.records[-1]["dead"])
    for l, share in enumerate(stats.records[-1]["dead"]):
        if share is None or share < DEAD_INFO_SHARE:
            continue
        where = "the output layer" if l == n_layers - 1 else f"hidden layer {l + 1}"
        out.append(
            Finding(
                "dead-relu",
                "warning" if share >= DEAD_WARNING_SHARE else "info",
                f"{share:.0%} of the ReLU neurons of {where} are dead: net ≤ 0 for every probe sample, "
                f"so σ' = 0, δ = 0 and their weights never change.",
                "lower the learning rate (a large step can push a neuron's bias far negative), "
                + HE_OR_LEAKY,
            )
        )
    return out
