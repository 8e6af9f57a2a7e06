"""The ``deltaprop`` command line: one module per command, each with ``register`` and ``run``.

Every command module defines ``register(subparsers)`` (adding its parser, with
``set_defaults(run=run)``) and ``run(args) -> int``. Exit codes: 0 success, 1 runtime
failure, 2 usage error, 130 interrupted. Errors are one line on stderr; ``--debug`` shows
the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import UsageError

COMMANDS = (
    "train",
    "evaluate",
    "predict",
    "resume",
    "datasets",
    "gradcheck",
    "explain",
    "plot",
    "diagnose",
)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="deltaprop",
        description="Train, inspect and explain feed-forward networks trained by backpropagation.",
    )
    parser.add_argument("--version", action="version", version=f"deltaprop {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
            continue  # a command not written yet
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args) or EXIT_OK)
    except UsageError as err:
        if args.debug:
            raise
        print(f"deltaprop {args.command}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"deltaprop {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ValueError, TypeError, OSError, FloatingPointError) as err:
        if args.debug:
            raise
        print(f"deltaprop {args.command}: error: {err}", file=sys.stderr)
        return EXIT_FAILURE
