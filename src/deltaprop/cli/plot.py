"""``deltaprop plot RUN_DIR``: draw every picture that applies to a run.

Learning curves and the network diagram always; the confusion matrix for classification (on
the data set's test split); the misclassified gallery and first-layer weights for image data;
the per-layer gradient distributions when the run recorded ``gradients.json``; the decision
boundary for 2-D data. A run that diverged or was stopped is drawn from its checkpoint's
weights, and a note on stderr says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import rundir
from .errors import UsageError
from .output_file import unwritable

# plots._figure.FORMATS and network_diagram.MAX_NEURONS, written here: the CLI starts without matplotlib
FORMATS = ("png", "svg", "pdf")
MAX_NEURONS = 12


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "plot",
        help="draw the pictures of a run",
        description="Draw learning curves, network diagram, confusion matrix, misclassified examples, "
        "first-layer weights, gradient distributions and decision boundary (whichever apply) for a run "
        "folder written by 'deltaprop train', and print the paths of the files written. A run that "
        "diverged or was stopped is drawn from its checkpoint's weights.",
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="the run folder written by 'deltaprop train'")
    p.add_argument("--format", choices=FORMATS, default="png", help="picture format (default: png)")
    p.add_argument("--out", metavar="DIR", help="where to write the pictures (default: RUN_DIR/plots)")
    p.add_argument(
        "--dpi", type=float, default=100, help="pixels per inch of a PNG (100; 200 for slides or print)"
    )
    p.add_argument(
        "--max-neurons",
        type=int,
        default=MAX_NEURONS,
        metavar="N",
        help="the most neurons the network diagram draws of a layer: of a larger one, those with the "
        f"largest |x|, |δ| or weights, each numbered (default: {MAX_NEURONS})",
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from ..diagnostics.run import read_run
    from ..plots import plot_run
    from ..plots._figure import check_dpi

    try:
        check_dpi(args.dpi)
    except ValueError as err:
        raise UsageError(f"--dpi {args.dpi:g}: {err}") from None
    if args.max_neurons < 1:
        raise UsageError(f"--max-neurons must be ≥ 1; got {args.max_neurons}")
    run_dir = rundir.with_weights(args.run_dir)
    out = rundir.output_folder(args.out, "--out") if args.out else _run_plots(run_dir)
    result = plot_run(
        run_dir, formats=(args.format,), out_dir=out, dpi=args.dpi, max_neurons=args.max_neurons
    )
    if not (run_dir / rundir.MODEL).is_file():  # said on stderr: stdout stays the list of files
        print(f"note: {run_dir}: {read_run(run_dir).unfinished}", file=sys.stderr)
    for path in result.paths:
        print(path)
    for name, reason in result.skipped.items():
        print(f"skipped {name}: {reason}")
    return 0


def _run_plots(run_dir: Path) -> Path:
    """The run's own ``plots`` folder, made where missing; a :class:`UsageError` that points to
    ``--out`` where it cannot be written (a run on a read-only disk, or another user's)."""
    folder = run_dir / rundir.PLOTS
    try:
        folder.mkdir(exist_ok=True)
    except OSError as err:
        why = err.strerror or str(err)
    else:
        why = unwritable(folder)
        if why is None:
            return folder
    raise UsageError(f"cannot write the pictures in {folder} ({why}); give --out DIR to write them elsewhere")
