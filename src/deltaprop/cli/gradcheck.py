"""``deltaprop gradcheck``: backprop's gradient against central differences, PASS or FAIL.

A random network of the given layers, activations and cost, a random batch, and
``deltaprop.gradient_check``: the largest relative error over every weight and bias array,
‖g − ĝ‖ / max(‖g‖ + ‖ĝ‖, floor), where the floor stands for what central differences cannot
resolve (the rounding of C, see :mod:`deltaprop.gradcheck`, which also says how the default
ε = 3e-6 was measured). In float64 a correct backprop gives about 1e-7 or less; the default
threshold is 1e-6. Exit 0 on PASS, 1 on FAIL, and 1 too when nothing could be compared: every
gradient 0 (dead ReLUs) or below the rounding, so that a check that checked nothing never
passes a script's ``&&``. Arrays with nothing to compare beside others that were compared
are named, and the verdict is the others'.

An output layer and cost that ``train`` refuses (ln a of tanh, ReLU or linear outputs, a
softmax over one output) are refused here too, with exit 2: the log costs clip a to
[ε, 1 − ε], so where a leaves (0, 1) the cost is flat and central differences give 0
while backprop's δ does not — the check would report a correct backprop as FAIL.

The check costs two forward passes per weight and bias, each over every sample: 2 · P · S · W
multiply-adds for P parameters, S samples and W weights. More than :data:`MAX_SAMPLES` samples
(one already gives every weight a gradient), or more than :data:`MAX_MULTIPLY_ADDS`, is refused
with the cost, exit 2: ``--samples 100000000`` ran for minutes with no word.
"""

from __future__ import annotations

import json
import math
import sys

import numpy as np

from .._text import count
from ..gradcheck import DEFAULT_EPS
from .config import parse_int_list
from .errors import UsageError
from .progress import make_console
from .stdout import raising_broken_pipe

DEFAULT_THRESHOLD = 1e-6
DEFAULT_SAMPLES = 5
# One sample already gives every weight of a dense network a gradient; more samples only average
# them, so beyond this the check gains nothing but time.
MAX_SAMPLES = 1000
# Minutes of work on a laptop ([64, 30, 10] with 1000 samples, 1e10, takes about 20 s).
MAX_MULTIPLY_ADDS = 10**11
NOTHING = "nothing to compare (all gradients 0, or below the rounding of C)"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "gradcheck",
        help="check backprop against central differences on a random network",
        description="Build a random network and batch and compare backprop's gradients with central "
        "differences of the cost.",
    )
    p.add_argument("--layers", default="4,5,3", metavar="N,N,...", help="layer sizes (4,5,3)")
    p.add_argument("--activation", default="logistic", help="hidden activation (logistic)")
    p.add_argument("--output-activation", help="output activation (default: --activation)")
    p.add_argument(
        "--cost",
        help="quadratic, cross_entropy or log_likelihood "
        "(log_likelihood under a softmax output, else quadratic)",
    )
    p.add_argument("--init", default="normal", help="weight initialisation (normal)")
    p.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help=f"batch size ({DEFAULT_SAMPLES})")
    p.add_argument(
        "--eps", type=float, default=DEFAULT_EPS, help=f"the step ε of the differences ({DEFAULT_EPS:g})"
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"largest relative error that passes ({DEFAULT_THRESHOLD:g})",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the network and the batch (0)")
    p.add_argument(
        "--per-layer",
        action="store_true",
        help="also the error of each layer's weights and biases: where a FAIL comes from",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON (with every layer's errors)")
    p.set_defaults(run=run)


def _check_output_fits_cost(net, args) -> None:
    """Refuse the pairs ``train`` refuses, naming the flags (see the module docstring)."""
    from ..diagnostics.checks import output_cost_findings

    out_act = net.activations[-1].name
    errors = [f for f in output_cost_findings(out_act, net.cost.name, net.sizes[-1]) if f.severity == "error"]
    if errors:
        given = "--output-activation" if args.output_activation is not None else "--activation"
        raise UsageError(
            f"{errors[0].message.rstrip('.')} ({given} {out_act}, --cost {net.cost.name}); "
            f"{errors[0].fix.rstrip('.')}. The check would fail on this pair because the cost clips "
            f"a, not because backprop is wrong"
        )


def _check_cost(sizes: list[int], samples: int, layers: str) -> None:
    """Refuse more than :data:`MAX_SAMPLES` samples or :data:`MAX_MULTIPLY_ADDS`, giving the cost."""
    n_weights = sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    n_params = n_weights + sum(sizes[1:])
    madds = 2 * n_params * samples * n_weights
    cost = (
        f"--samples {samples} with --layers {layers}: the check runs 2 forward passes per weight and "
        f"bias (2 × {n_params:,} = {2 * n_params:,}), each over every sample, {madds:.1e} multiply-adds"
    )
    if samples > MAX_SAMPLES:
        raise UsageError(
            f"{cost}; one sample already gives every weight a gradient and more only average them: "
            f"use --samples {MAX_SAMPLES} or fewer (default {DEFAULT_SAMPLES})"
        )
    if madds > MAX_MULTIPLY_ADDS:
        raise UsageError(
            f"{cost}, more than {MAX_MULTIPLY_ADDS:.0e} (minutes): use fewer --samples or smaller --layers"
        )


def run(args) -> int:
    from .. import Network
    from ..gradcheck import gradient_errors

    sizes = parse_int_list(args.layers, "--layers")
    if len(sizes) < 2:
        raise UsageError(f"--layers needs at least an input and an output size; got {args.layers!r}")
    if args.samples < 1:
        raise UsageError(f"--samples must be ≥ 1; got {args.samples}")
    _check_cost(sizes, args.samples, args.layers)
    for flag, value in (("--eps", args.eps), ("--threshold", args.threshold)):
        if not (value > 0 and np.isfinite(value)):
            raise UsageError(f"{flag} must be a finite number > 0; got {value}")
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number ≥ 0; got {args.seed}")
    try:
        net = Network(
            sizes,
            activation=args.activation,
            output_activation=args.output_activation,
            cost=args.cost,
            init=args.init,
            seed=args.seed,
        )
    except (ValueError, TypeError, KeyError) as err:
        raise UsageError(str(err).strip("'\"")) from err
    _check_output_fits_cost(net, args)
    rng = np.random.default_rng([args.seed, 1])
    X = rng.normal(size=(args.samples, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=args.samples)
    Y = np.zeros((args.samples, sizes[-1]))
    Y[np.arange(args.samples), labels] = 1.0  # one-hot rows suit every cost
    errors = gradient_errors(net, X, Y, eps=args.eps)
    unchecked = [name for name, e in errors.items() if math.isnan(e)]
    compared = [e for e in errors.values() if not math.isnan(e)]
    error = max(compared, default=None)  # what gradient_check returns (NaN for None)
    passed = error is not None and error <= args.threshold
    if args.json:
        json.dump(
            {
                "layers": sizes,
                "activations": net.activation_names,
                "cost": net.cost.name,
                "samples": args.samples,
                "eps": args.eps,
                # JSON has no NaN or inf: None, and the arrays named in the lists below
                "max_relative_error": error if error is not None and math.isfinite(error) else None,
                "relative_errors": {name: e if math.isfinite(e) else None for name, e in errors.items()},
                "nothing_to_compare": unchecked,
                "not_finite": [name for name, e in errors.items() if math.isinf(e)],
                "threshold": args.threshold,
                "passed": passed,
            },
            sys.stdout,
            indent=1,
        )
        print()
    else:
        console = raising_broken_pipe(make_console())
        console.print(
            f"network {sizes}, activations {net.activation_names}, cost {net.cost.name}, "
            f"{count(args.samples, 'sample')}, ε = {args.eps:g}, seed {args.seed}",
            soft_wrap=True,
        )
        if error is None:
            console.print(
                f"[bold]{NOTHING}[/]: no verdict; try another --seed or --init, or more --samples",
                soft_wrap=True,
            )
        else:
            verdict = "[bold green]PASS[/]" if passed else "[bold red]FAIL[/]"
            console.print(
                f"largest relative error ‖g − ĝ‖/max(‖g‖ + ‖ĝ‖, floor) = {error:.3e}   {verdict} "
                f"(threshold {args.threshold:g})",
                soft_wrap=True,
            )
            if unchecked:
                console.print(f"{NOTHING} in {', '.join(unchecked)}", soft_wrap=True)
        if args.per_layer:
            _print_per_layer(console, net, errors, args.threshold)
    return 0 if passed else 1


def _print_per_layer(console, net, errors: dict[str, float], threshold: float) -> None:
    """One line per layer of weights: the errors of its w and its b, named as the package indexes them."""
    for l in range(net.n_layers):
        into = "output" if l == net.n_layers - 1 else f"hidden {l + 1}"
        marks = []
        for name in (f"weights[{l}]", f"biases[{l}]"):
            if math.isnan(errors[name]):
                marks.append(f"{name} nothing to compare")
            else:
                flag = "" if errors[name] <= threshold else "  [bold red]FAIL[/]"
                marks.append(f"{name} {errors[name]:.3e}{flag}")
        console.print(f"  into {into} ({net.activation_names[l]}): " + "   ".join(marks), soft_wrap=True)
