"""``deltaprop diagnose RUN_DIR``: why a run is stuck, in plain words, with a fix for each finding.

Reads the run's model, history, gradient statistics and data; writes nothing. A run that
diverged or was stopped is judged on its checkpoint's weights, and the first finding says so.
"""

from __future__ import annotations

from . import rundir

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "diagnose",
        help="explain why a run is stuck (chance-level accuracy, learning rate, saturation, ...)",
        description="Check a run folder written by 'deltaprop train' for the usual reasons a network does "
        "not learn, and print each finding with a suggested fix. A run that diverged or was stopped is "
        "judged on its checkpoint's weights. Writes nothing.",
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="the run folder written by 'deltaprop train'")
    p.set_defaults(run=run)


def run(args) -> int:
    from rich.table import Table

    from ..diagnostics import diagnose_run
    from ..diagnostics.run import read_run
    from .progress import make_console
    from .stdout import raising_broken_pipe
    from .train_report import cli_fix

    run_dir = rundir.with_weights(args.run_dir)
    findings = diagnose_run(run_dir)
    if not findings:
        print(f"{run_dir}: no problems found")
        return 0
    model = read_run(run_dir).config.get("model")
    init = model.get("init") if isinstance(model, dict) else None  # not advised again
    # piped or logged, as wide as evaluate's and predict's tables; `| head -1`: exit 141 quietly
    console = raising_broken_pipe(make_console())
    table = Table(title=f"Diagnostics for {run_dir}", show_lines=True)
    table.add_column("severity", no_wrap=True)
    # a word longer than its column (a data file's path) is folded onto the next line, not cut
    table.add_column("finding", ratio=3, overflow="fold")
    table.add_column("suggested fix", ratio=2, overflow="fold")
    for f in findings:
        table.add_row(f"[{SEVERITY_STYLE[f.severity]}]{f.severity}[/]", f.message, cli_fix(f, init))
    console.print(table)
    return 0
