"""``deltaprop plot RUN_DIR``: draw every picture that applies to a finished run.

Learning curves and the network diagram always; the confusion matrix for classification (on
the data set's test split); the misclassified gallery and first-layer weights for image data;
the per-layer gradient distributions when the run recorded ``gradients.json``; the decision
boundary for 2-D data.
"""

from __future__ import annotations

from . import rundir
from .errors import UsageError

FORMATS = ("png", "svg")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "plot",
        help="draw the pictures of a finished run",
        description="Draw learning curves, network diagram, confusion matrix, misclassified examples, "
        "first-layer weights, gradient distributions and decision boundary (whichever apply) for a run "
        "folder written by 'deltaprop train', and print the paths of the files written.",
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="the run folder written by 'deltaprop train'")
    p.add_argument("--format", choices=FORMATS, default="png", help="picture format (default: png)")
    p.add_argument("--out", metavar="DIR", help="where to write the pictures (default: RUN_DIR/plots)")
    p.add_argument(
        "--dpi", type=float, default=100, help="pixels per inch of a PNG (100; 200 for slides or print)"
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from ..plots import plot_run
    from ..plots._figure import check_dpi

    try:
        check_dpi(args.dpi)
    except ValueError as err:
        raise UsageError(f"--dpi {args.dpi:g}: {err}") from None
    run_dir = rundir.finished(args.run_dir)
    out = rundir.output_folder(args.out, "--out") if args.out else None
    result = plot_run(run_dir, formats=(args.format,), out_dir=out, dpi=args.dpi)
    for path in result.paths:
        print(path)
    for name, reason in result.skipped.items():
        print(f"skipped {name}: {reason}")
    return 0
