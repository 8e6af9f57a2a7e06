"""``deltaprop explain``: the walk-through of one backpropagation step, with real numbers.

With no arguments it reproduces Mazur's 2-2-2 example (rich text on stdout, his names and
his published numbers). ``--example xor`` shows a small XOR network, ``--example xor --input
1,1 --target 0`` another of its cases; ``--model FILE --input … --target …`` a network of your
own (or ``--input-file``: examples in a text file, or an image with ``--target``, read by
:mod:`.explain_input`). ``--format markdown|html|latex --out FILE`` writes a document instead
(atomically) and prints where; ``--format json|csv`` the trace's numbers
(:meth:`Trace.to_dict`, :meth:`Trace.neuron_table`). A model of a run folder is stepped with the run's η (its
``config.toml``'s ``[training] lr``) unless ``--lr`` is given, and always by plain SGD; the
first lines say what of the run's training the step leaves out (:mod:`.explain_run`), and every
document and JSON written says it too, under "About this run" (the trace's ``notes``). A thin
layer over :func:`deltaprop.walkthrough.explain` and its renderers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .._atomic import write_text
from .._text import count
from .errors import UsageError
from .explain_input import image_input, is_image, numbers, read_input_file, target
from .explain_run import MODEL_DEFAULT_ETA, run_notes
from .output_file import check_output_file

EXAMPLES = ("mazur", "xor")
DOCUMENTS = ("text", "markdown", "html", "latex")  # the walk-through, rendered (walkthrough.FORMATS)
EXPORTS = ("json", "csv")  # the trace's numbers: Trace.to_dict, Trace.neuron_table
FORMATS = DOCUMENTS + EXPORTS
NOTATIONS = ("nielsen", "mazur")


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
    source.add_argument(
        "--input",
        metavar="V1,V2,...",
        help="the input values for --model or --example (--example xor --input 1,1 --target 0), "
        "comma-separated",
    )
    source.add_argument(
        "--target",
        metavar="T1,T2,...",
        help="the target values, comma-separated, or one class label (2) for a model of several outputs",
    )
    source.add_argument(
        "--input-file",
        metavar="FILE",
        help="for --model or --example: a text file with one example per line, its inputs then its "
        "targets or one class label (comma- or space-separated; several lines make a batch, whose "
        "gradients are averages); or an image (PNG, JPEG) for a model of 784 or 64 inputs, prepared "
        "as predict prepares it, with its class as --target 7",
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
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="text (default; with --out, the format its ending names: .md, .html, .tex, .json, "
        ".csv), markdown, html or latex: the walk-through; json: every layer's net, o, "
        "δ, ∂C/∂w, ∂C/∂b and weights before and after, η and C before and after; csv: one row per "
        "sample and neuron (sample, layer, neuron from 0, then net_name, net, o_name, o, "
        "delta_name, delta, named as in the walk-through)",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p.add_argument(
        "--diagram",
        metavar="FILE.png|FILE.svg|FILE.pdf",
        help="also draw the network for the same example, named as the walk-through names it: each "
        "input's value and neuron's δ (the walk-through's own, of its --variant), each weight's sign "
        "and size, and the names and values of the weights on their lines and the biases above their "
        "neurons when every layer has at most 3 neurons (Mazur's w1…w8, b_h1); a layer of more than "
        "--max-neurons shows its largest |x| or |δ|",
    )
    p.add_argument(
        "--dpi",
        type=float,
        metavar="DPI",
        help="pixels per inch of a --diagram PNG (100; 200 for slides or print)",
    )
    p.add_argument(
        "--max-neurons",
        type=int,
        default=None,
        metavar="N",
        help="summarise networks with more than N neurons (default: 30), and draw at most N of a "
        "layer in --diagram (default: 12)",
    )
    p.set_defaults(run=run)


def _gives_example(args) -> bool:
    """Whether any of ``--input``, ``--target``, ``--input-file`` was given (even empty)."""
    return any(value is not None for value in (args.input, args.target, args.input_file))


def _given_example(args, net, whose: str, option: str, digit: bool = False):
    """x, y from ``--input``/``--target`` or ``--input-file`` (an image with ``--target``), checked
    against ``net``'s layers, and what was done to an image (None for numbers); ``whose`` names
    the network in messages ("the model"), ``option`` what needs them, ``digit`` whether an image
    is digit-normalised (:func:`.predict.digit_images`)."""
    n_in, n_out = net.sizes[0], net.sizes[-1]
    if args.input_file and is_image(args.input_file):
        if args.input:
            raise UsageError("give either --input-file IMAGE or --input, not both")
        return image_input(Path(args.input_file), args.target, n_in, n_out, whose, digit)
    if args.input_file:
        if args.input or args.target:
            raise UsageError("give either --input-file or --input/--target, not both")
        return (*read_input_file(Path(args.input_file), n_in, n_out, whose), None)
    if args.input is None or args.target is None:
        raise UsageError(f"{option} needs --input V1,V2,... and --target T1,T2,... (or --input-file)")
    x = numbers(args.input, "--input")
    if len(x) != n_in:
        has = count(n_in, "neuron")
        raise UsageError(f"--input has {count(len(x), 'value')}, but {whose}'s input layer has {has}")
    return x, target(args.target, n_out, whose), None


def _model_case(args):
    from .predict import AUTO, digit_images, image_note
    from .run_model import load_model_and_classes

    path = Path(args.model)
    if not path.exists():
        raise UsageError(f"--model {path} does not exist; give a model file or a run folder")
    # a run folder, as evaluate and predict take it: its model; the class names say, for a model
    # outside a run folder, whether an image is a digit's
    net, class_names = load_model_and_classes(path, data_after="the example with --input or --input-file")
    digit, why = digit_images(args.model, class_names, AUTO)
    x, y, how = _given_example(args, net, "the model", "--model", digit)
    eta, notes = run_notes(args.model, args.lr)
    seen = image_note([how], net.sizes[0], why)  # what was done to an image, as predict says it
    return net, x, y, eta, True, None, [seen, *notes] if seen else notes, class_names


def _example_case(args):
    """A built-in example: its own x, y and η, or the ``--input``/``--target`` given for its network."""
    from ..walkthrough import examples

    example = args.example or "mazur"
    case = examples.get(example)
    x, y = case.x, case.y
    if _gives_example(args):
        x, y, _ = _given_example(args, case.net, f"the {example} example", f"--example {example}")
    eta = case.learning_rate if args.lr is None else args.lr
    return case.net, x, y, eta, case.update_biases, example, [], None


#: --out's ending → the format written when --format is not given (step.html is a page, not text)
FORMAT_OF_ENDING = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".tex": "latex",
    ".json": "json",
    ".csv": "csv",
}


def _check(args) -> None:
    if args.format is None:
        ending = Path(args.out).suffix.lower() if args.out else ""
        args.format = FORMAT_OF_ENDING.get(ending, "text")
    if args.model and args.example:
        raise UsageError("give either --example or --model, not both")
    if not args.model and not args.example and _gives_example(args):
        # not the default example's: --input 1,0 alone is more likely a forgotten --model
        raise UsageError(
            "--input, --target and --input-file go with --model FILE or --example NAME "
            "(--example xor --input 1,1 --target 0)"
        )
    if args.lr is not None and not (args.lr > 0 and args.lr != float("inf")):
        raise UsageError(f"--lr must be a finite number > 0; got {args.lr}")
    if args.max_neurons is not None and args.max_neurons < 1:
        raise UsageError(f"--max-neurons must be ≥ 1; got {args.max_neurons}")
    if args.dpi is not None:
        from ..plots._figure import check_dpi

        if not args.diagram:
            raise UsageError(f"--dpi {args.dpi:g} goes with --diagram FILE.png (the picture it sizes)")
        try:
            check_dpi(args.dpi)
        except ValueError as err:
            raise UsageError(f"--dpi {args.dpi:g}: {err}") from None
    # before anything is computed or written: a bad name must not leave half the output behind
    if args.diagram:
        from ..plots._figure import FORMATS as PICTURES

        if Path(args.diagram).suffix.lower().lstrip(".") not in PICTURES:
            raise UsageError(f"--diagram {args.diagram}: give a file name ending in .png or .svg, or .pdf")
        _folder_of(Path(args.diagram), "--diagram")
    if args.out:
        check_output_file(args.out, "--out")


def _folder_of(path: Path, option: str) -> None:
    """A usage error unless ``path``'s folder exists."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: folder {folder} does not exist")


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; a missing folder is a usage error."""
    _folder_of(path, "--out")
    write_text(path, text)


def _diagram_names(notation: str, sizes: list[int], n_samples: int):
    """The walk-through's names in ``notation`` for the diagram: its layer headings, i1 and δ_h1,
    w1, and δ = ∂E_total/∂net (∂C_x/∂z for one sample of a batch, as the text writes it)."""
    from ..plots.network_diagram import DiagramNames
    from ..walkthrough import notation as notations
    from ..walkthrough.math import Sym, eq, to_text

    names = notations.get(notation, sizes)

    def text(symbol) -> str:
        return to_text(eq(symbol))

    delta = text(names.partial(names.sample_cost(n_samples), Sym(names.net_name)))
    return DiagramNames(
        layer=names.layer,
        value=lambda m, j: text(names.o(0, j) if m == 0 else names.delta(m, j)),
        weight=lambda l, i, j: text(names.w(l, i, j)),
        delta=f"δ = {delta}",
        bias=lambda l, j: text(names.b(l, j)),
    )


def _write_diagram(path: Path, net, trace, notation: str, args, class_names) -> None:
    """The network diagram of the walk-through's (first) example, as PNG, SVG or PDF, in its
    names and with its numbers (the trace's δ, of its variant); ``args.max_neurons`` neurons
    of a layer at most, ``class_names`` beside the outputs where the model has them."""
    from ..plots import network_diagram, save_figure
    from ..plots._figure import DPI
    from ..plots.network_diagram import MAX_LABELLED, MAX_NEURONS

    names = _diagram_names(notation, net.sizes, trace.n_samples)
    labelled = max(net.sizes) <= MAX_LABELLED
    most = MAX_NEURONS if args.max_neurons is None else args.max_neurons
    if class_names is None or len(class_names) != net.sizes[-1]:
        # a softmax layer's outputs are classes: their numbers, which δ's indices (from 1) are not
        classes = net.activation_names[-1] == "softmax" and net.sizes[-1] > 1
        class_names = [str(k) for k in range(net.sizes[-1])] if classes else None
    fig = network_diagram(
        net, trace=trace, show_weights=labelled, names=names, max_neurons=most, class_names=class_names
    )
    save_figure(fig, path, DPI if args.dpi is None else args.dpi)


def _export(trace, format: str, notation: str) -> str:
    """The trace's numbers as JSON or CSV, named in ``notation``, as the walk-through writes them
    (:func:`deltaprop.walkthrough.export.to_json`, :func:`~deltaprop.walkthrough.export.to_csv`)."""
    from ..walkthrough.export import to_csv, to_json

    return to_json(trace, notation) if format == "json" else to_csv(trace, notation)


def run(args) -> int:
    from ..walkthrough import explain, render, renderable
    from ..walkthrough.notation import default_for
    from ..walkthrough.text import DEFAULT_WIDTH as TEXT_WIDTH

    _check(args)
    case = _model_case(args) if args.model else _example_case(args)
    # notes: said before the walk-through, where η came from and what of the run's step it leaves out
    net, x, y, eta, update_biases, example, notes, class_names = case
    if args.biases is not None:
        update_biases = args.biases == "update"
    notation = args.notation or default_for(example)
    options = {} if args.max_neurons is None else {"max_neurons": args.max_neurons}
    # the terminal's text prints the notes before the walk-through; every document (a file, or
    # another format on stdout) carries them itself, under "About this run"
    on_terminal = args.out is None and args.format == "text"
    try:
        trace = explain(
            net,
            x,
            y,
            eta,
            update_biases=update_biases,
            variant=args.variant,
            example=example,
            notes=[] if on_terminal else notes,
            **options,
        )
    except (ValueError, TypeError) as err:
        raise UsageError(str(err)) from None
    if args.diagram:
        _write_diagram(Path(args.diagram), net, trace, notation, args, class_names)
        # on stderr when the walk-through itself goes to stdout, so that a pipe gets it alone
        print(f"wrote network diagram to {args.diagram}", file=sys.stdout if args.out else sys.stderr)

    if on_terminal:
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
    text = (
        _export(trace, args.format, notation)
        if args.format in EXPORTS
        else render(trace, args.format, notation)
    )
    if args.out is None:
        for note in notes:  # the document alone on stdout, for a pipe
            print(note, file=sys.stderr)
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    _write_atomically(out, text)
    for note in notes:
        print(note)
    print(f"wrote {args.format} {'trace' if args.format in EXPORTS else 'walk-through'} to {out}")
    return 0
