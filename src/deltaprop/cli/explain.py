"""``deltaprop explain``: the walk-through of one backpropagation step, with real numbers.

With no arguments it reproduces Mazur's 2-2-2 example (rich text on stdout, his names and
his published numbers). ``--example xor`` shows a small XOR network; ``--model FILE
--input … --target …`` a network of your own. ``--format markdown|html --out FILE`` writes
a document instead (atomically) and prints where. A model of a run folder is stepped with the
run's η (its ``config.toml``'s ``[training] lr``) unless ``--lr`` is given, and always by plain
SGD, which the first line says. A thin layer over
:func:`deltaprop.walkthrough.explain` and its renderers.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from .._atomic import write_text
from .._text import count
from . import rundir
from .errors import UsageError

EXAMPLES = ("mazur", "xor")
FORMATS = ("text", "markdown", "html")
NOTATIONS = ("nielsen", "mazur")
MODEL_DEFAULT_ETA = 0.5


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "explain",
        help="walk through one step of backpropagation with the real numbers",
        description="Show one step of backpropagation and gradient descent neuron by neuron and weight by "
        "weight: the forward pass, the cost, every δ, every ∂C/∂w and the update. With no arguments: "
        "Mazur's 2-2-2 example with his published numbers.",
    )
    source = p.add_argument_group("what to explain (default: --example mazur)")
    source.add_argument("--example", choices=EXAMPLES, help="a built-in worked example")
    source.add_argument(
        "--model", metavar="FILE", help="a model file written by deltaprop (safetensors), or a run folder"
    )
    source.add_argument("--input", metavar="V1,V2,...", help="the input values for --model, comma-separated")
    source.add_argument(
        "--target",
        metavar="T1,T2,...",
        help="the target values for --model, comma-separated, or one class label (2) for a model of "
        "several outputs",
    )
    source.add_argument(
        "--input-file",
        metavar="FILE",
        help="for --model: a text file with one example per line, its inputs then its targets "
        "(comma- or space-separated; several lines make a batch, whose gradients are averages)",
    )
    p.add_argument(
        "--lr",
        type=float,
        metavar="ETA",
        help=f"learning rate η (default: the example's, 0.5; for --model, the run's [training] lr "
        f"where the model is a run folder's, else {MODEL_DEFAULT_ETA})",
    )
    p.add_argument(
        "--biases",
        choices=("update", "keep"),
        help="update the biases or keep them (default: keep for mazur, as the post does; update otherwise)",
    )
    p.add_argument(
        "--notation",
        choices=NOTATIONS,
        help="nielsen (a, z, δ, C, w^l_jk) or mazur (out, net, E_total, w1...); default: mazur for "
        "the Mazur example, nielsen otherwise",
    )
    p.add_argument(
        "--variant",
        choices=("exact", "post"),
        default="exact",
        help="post: compute hidden δ from the already-updated weights, as the script behind Mazur's "
        "post did (not the algorithm; it explains the post's 0.291027924)",
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), markdown or html")
    p.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p.add_argument(
        "--diagram",
        metavar="FILE.png|FILE.svg",
        help="also draw the network for the same example: each neuron's δ, each weight's sign and size, "
        "and its value on the line when every layer has at most 3 neurons (Mazur's w1…w8)",
    )
    p.add_argument(
        "--max-neurons",
        type=int,
        default=None,
        metavar="N",
        help="summarise networks with more than N neurons (default: 30)",
    )
    p.set_defaults(run=run)


def _numbers(text: str, option: str) -> list[float]:
    """Comma- (or space-) separated numbers, or a UsageError naming the bad one."""
    values = []
    for position, part in enumerate(text.replace(",", " ").split(), start=1):
        try:
            value = float(part)
        except ValueError:
            raise UsageError(
                f"{option}: {part!r} is not a number (expected e.g. {option} 0.05,0.10)"
            ) from None
        if not math.isfinite(value):  # float() reads nan and inf; the step cannot use them
            raise UsageError(f"{option}: value {position} is {part!r}; give finite numbers such as 0.05,0.10")
        values.append(value)
    if not values:
        raise UsageError(f"{option} is empty; give comma-separated numbers such as 0.05,0.10")
    return values


def _read_input_file(path: Path, n_in: int, n_out: int):
    if not path.is_file():
        raise UsageError(f"--input-file {path} does not exist")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        values = _numbers(line, f"--input-file line {number}")
        if len(values) != n_in + n_out:
            raise UsageError(
                f"--input-file line {number} has {len(values)} numbers; the model needs {n_in} inputs "
                f"then {n_out} targets ({n_in + n_out} numbers)"
            )
        rows.append(values)
    if not rows:
        raise UsageError(f"--input-file {path} holds no examples")
    xs = [row[:n_in] for row in rows]
    ys = [row[n_in:] for row in rows]
    return xs, ys


def _model_case(args):
    from ..files import load

    path = Path(args.model)
    if path.is_dir():  # a run folder, as evaluate and predict take: its model
        path = rundir.model_path(path)
    elif not path.is_file():
        raise UsageError(f"--model {path} does not exist; give a model file or a run folder")
    net = load(path)
    n_in, n_out = net.sizes[0], net.sizes[-1]
    if args.input_file:
        if args.input or args.target:
            raise UsageError("give either --input-file or --input/--target, not both")
        x, y = _read_input_file(Path(args.input_file), n_in, n_out)
    else:
        if args.input is None or args.target is None:
            raise UsageError("--model needs --input V1,V2,... and --target T1,T2,... (or --input-file)")
        x, y = _numbers(args.input, "--input"), _numbers(args.target, "--target")
        if len(x) != n_in:
            has = count(n_in, "neuron")
            raise UsageError(f"--input has {count(len(x), 'value')}, but the model's input layer has {has}")
        if len(y) == 1 and n_out > 1 and y[0].is_integer() and 0 <= y[0] < n_out:
            y = int(y[0])  # a class label, as dp.explain(net, x, 2, η) takes it: one-hot encoded
        elif len(y) != n_out:
            raise UsageError(
                f"--target has {count(len(y), 'value')}, but the model's output layer has "
                f"{count(n_out, 'neuron')}; give {count(n_out, 'target')}"
                + (f" or one class label from 0 to {n_out - 1}" if n_out > 1 else "")
            )
    eta, notes = _model_eta(args)
    return net, x, y, eta, True, None, notes


def _model_eta(args) -> tuple[float, list[str]]:
    """η for ``--model``: ``--lr``, else the run's ``[training] lr`` where the model is a run
    folder's, else :data:`MODEL_DEFAULT_ETA`; and the lines that say where η came from and
    that the step is plain SGD when the run trained with another optimizer."""
    from .config_file import read_toml

    folder = rundir.folder_of(args.model)
    training = (read_toml(folder / rundir.CONFIG).get("training") or {}) if folder is not None else {}
    notes = []
    eta = args.lr
    run_lr = training.get("lr")
    if (
        eta is None
        and isinstance(run_lr, int | float)
        and not isinstance(run_lr, bool)
        and 0 < run_lr < math.inf
    ):
        eta = float(run_lr)
        notes.append(f"η = {eta!r}, the run's learning rate ([training] lr of {folder / rundir.CONFIG})")
    optimizer = training.get("optimizer", "sgd")
    momentum = training.get("momentum", 0.0)
    if optimizer == "sgd" and isinstance(momentum, int | float) and momentum > 0:
        optimizer = f"sgd with momentum {momentum:g}"  # --optimizer sgd --momentum 0.9: heavy ball
    if optimizer != "sgd":
        notes.append(
            f"The run trained with {optimizer}; this walk-through shows a plain SGD step, "
            "Δw = −η ∂C/∂w: the optimizer's state (momentum's velocity, Adam's moment estimates) "
            "is not part of backprop's step."
        )
    return (MODEL_DEFAULT_ETA if eta is None else eta), notes


def _check(args) -> None:
    if args.model and args.example:
        raise UsageError("give either --example or --model, not both")
    if not args.model and (args.input or args.target or args.input_file):
        raise UsageError("--input, --target and --input-file go with --model FILE")
    if args.lr is not None and not (args.lr > 0 and args.lr != float("inf")):
        raise UsageError(f"--lr must be a finite number > 0; got {args.lr}")
    if args.max_neurons is not None and args.max_neurons < 1:
        raise UsageError(f"--max-neurons must be ≥ 1; got {args.max_neurons}")
    # before anything is computed or written: a bad name must not leave half the output behind
    if args.diagram:
        if Path(args.diagram).suffix.lower() not in (".png", ".svg"):
            raise UsageError(f"--diagram {args.diagram}: give a file name ending in .png or .svg")
        _folder_of(Path(args.diagram), "--diagram")
    if args.out:
        _folder_of(Path(args.out), "--out")


def _folder_of(path: Path, option: str) -> None:
    """A usage error unless ``path``'s folder exists."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: folder {folder} does not exist")


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; a missing folder is a usage error."""
    _folder_of(path, "--out")
    write_text(path, text)


def _write_diagram(path: Path, net, trace) -> None:
    """The network diagram of the walk-through's (first) example, as PNG or SVG."""
    from ..plots import network_diagram, save_figure
    from ..plots.network_diagram import MAX_LABELLED

    fig = network_diagram(net, trace.x[0], trace.y[0], show_weights=max(net.sizes) <= MAX_LABELLED)
    if trace.n_samples > 1:
        ax = fig.axes[0]
        ax.set_title(f"{ax.get_title()}\nfor sample 1 of {trace.n_samples}", fontsize=9)
    save_figure(fig, path)


def run(args) -> int:
    from ..walkthrough import examples, explain, render, renderable
    from ..walkthrough.notation import default_for
    from ..walkthrough.text import DEFAULT_WIDTH as TEXT_WIDTH

    _check(args)
    notes: list[str] = []  # said before the walk-through: where η came from, which step it is
    if args.model:
        net, x, y, eta, update_biases, example, notes = _model_case(args)
    else:
        example = args.example or "mazur"
        case = examples.get(example)
        net, x, y = case.net, case.x, case.y
        eta = case.learning_rate if args.lr is None else args.lr
        update_biases = case.update_biases
    if args.biases is not None:
        update_biases = args.biases == "update"
    notation = args.notation or default_for(example)
    options = {} if args.max_neurons is None else {"max_neurons": args.max_neurons}
    try:
        trace = explain(
            net, x, y, eta, update_biases=update_biases, variant=args.variant, example=example, **options
        )
    except (ValueError, TypeError) as err:
        raise UsageError(str(err)) from None
    if args.diagram:
        _write_diagram(Path(args.diagram), net, trace)
        # on stderr when the walk-through itself goes to stdout, so that a pipe gets it alone
        print(f"wrote network diagram to {args.diagram}", file=sys.stdout if args.out else sys.stderr)

    if args.out is None and args.format == "text":
        from rich.console import Console

        from .stdout import raising_broken_pipe

        console = Console()
        if not console.is_terminal and "COLUMNS" not in os.environ:
            # piped or redirected: render_text's width, not rich's 80 columns for a non-terminal
            console = Console(width=TEXT_WIDTH)
        for note in notes:
            raising_broken_pipe(console).print(note, markup=False, highlight=False)
        raising_broken_pipe(console).print(renderable(trace, notation))
        return 0
    text = render(trace, args.format, notation)
    if args.out is None:
        for note in notes:  # the document alone on stdout, for a pipe
            print(note, file=sys.stderr)
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    _write_atomically(out, text)
    for note in notes:
        print(note)
    print(f"wrote {args.format} walk-through to {out}")
    return 0
