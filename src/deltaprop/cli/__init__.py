"""The ``deltaprop`` command line: one module per command, each with ``register`` and ``run``.

Every command module defines ``register(subparsers)`` (adding its parser, with
``set_defaults(run=run)``) and ``run(args) -> int``. Exit codes: 0 success, 1 runtime
failure, 2 usage error, 130 interrupted (``train`` and ``resume``: 128 + the signal, 143 for
SIGTERM, 129 for SIGHUP). Errors are one line on stderr (an unexpected exception too: it is
named as an internal error); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import time

from .._text import did_you_mean
from .errors import UsageError
from .interrupt_flag import InterruptFlag

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
# The reader of stdout went away (``deltaprop predict ... | head -1``): the status a shell
# reports for any Unix tool that SIGPIPE ends (``yes | head -1``), 128 + SIGPIPE's 13. Not a
# failure of the command, so not 1.
EXIT_BROKEN_PIPE = 141


# argparse's words for a value not among an argument's choices (a command, --optimizer's value)
INVALID_CHOICE = re.compile(r"invalid choice: '(?P<word>[^']*)' \(choose from (?P<choices>.*)\)$")


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2) that says where help is,
    and a mistyped command or choice (``deltaprop trian``) says which one was meant."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {with_suggestion(message)} (see '{self.prog} --help')\n")


def with_suggestion(message: str) -> str:
    """argparse's ``invalid choice: 'trian' (choose from ...)`` with ``; did you mean 'train'?``
    after the word; any other message as it is."""
    found = INVALID_CHOICE.search(message)
    if found is None:
        return message
    listed = found["choices"]  # quoted up to Python 3.12.7, bare after
    choices = re.findall(r"'([^']*)'", listed) or [choice.strip() for choice in listed.split(",")]
    after_word = found.end("word") + 1  # past its closing quote
    suggestion = did_you_mean(found["word"], choices, "'{}'")
    return message[:after_word] + suggestion + message[after_word:]


def one_line(err: BaseException) -> str:
    """An exception's message on one line (multi-line messages are joined with '; ', or a space
    after a line that ends a sentence or introduces a list)."""
    text = ""
    for line in str(err).splitlines():
        line = line.strip()
        bullet = line.startswith("- ")  # a listed detail
        if bullet:
            line = line[2:]
        if line and text:
            if text.endswith((":", ".", ";")):
                text += " "
            elif line[0].isupper() and not bullet:  # a new sentence after a list
                text += ". "
            else:
                text += "; "
        text += line
    text = text or type(err).__name__
    return text.strip("'\"") if isinstance(err, KeyError) else text


def flag_suggestion(parser: argparse.ArgumentParser, extra: list[str]) -> str:
    """``"; did you mean --lr?"`` for a mistyped flag among ``extra`` (``--lrr``), else ``""``."""
    flags = [flag for flag in parser._option_string_actions if flag.startswith("--")]
    for arg in extra:
        if arg.startswith("--"):
            suggestion = did_you_mean(arg.split("=", 1)[0], flags)
            if suggestion:
                return suggestion
    return ""


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = ArgumentParser(
        prog="deltaprop",
        description="Train, inspect and explain feed-forward networks trained by backpropagation.",
        epilog="Data sets (mnist, fashion-mnist) are read from and downloaded into $DELTAPROP_DATA, "
        "else ~/.cache/deltaprop; `deltaprop datasets` shows where and what is there.",
    )
    parser.add_argument("--version", action="version", version=f"deltaprop {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".{name}", __name__).register(sub)
    parser.commands = sub.choices  # name → the command's own parser
    return parser


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()  # the command's wall time, for train's summary
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug is accepted anywhere on the line, not only before the command.
    debug = "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv
    if debug:
        argv.remove("--debug")
    # Building the parser imports every command (NumPy, SciPy, rich), some 0.3 s: a Ctrl-C
    # then is only noted, so that no import is cut in half, and acted on once they are done.
    startup = InterruptFlag()
    try:
        with startup:
            parser = build_parser()
            args, extra = parser.parse_known_args(argv)
            if extra:  # say it as the command's own error, pointing at its own --help
                command = parser.commands.get(getattr(args, "command", None)) or parser
                command.error(f"unrecognized arguments: {' '.join(extra)}{flag_suggestion(command, extra)}")
    except KeyboardInterrupt:  # a second Ctrl-C: at once
        startup.requested = True
    if startup.requested:
        print("deltaprop: interrupted", file=sys.stderr)
        return startup.exit_code
    args.debug = debug
    args.started = started
    if getattr(args, "run", None) is None:  # no command: the help, on stdout (`deltaprop | less`)
        parser.print_help(sys.stdout)
        return EXIT_USAGE
    try:
        code = int(args.run(args) or EXIT_OK)
        sys.stdout.flush()  # here, not at exit, where a closed pipe could not be caught
        return code
    except UsageError as err:
        if args.debug:
            raise
        print(f"deltaprop {args.command}: error: {one_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"deltaprop {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as a tool that SIGPIPE ends does,
        # and keep Python from complaining again when it flushes stdout at exit.
        from .stdout import to_devnull

        to_devnull(sys.stdout)
        return EXIT_BROKEN_PIPE
    except (ValueError, TypeError, KeyError, OSError, FloatingPointError) as err:
        if args.debug:
            raise
        print(f"deltaprop {args.command}: error: {one_line(err)}", file=sys.stderr)
        return EXIT_FAILURE
    except MemoryError as err:  # a network or data set too large for this machine
        if args.debug:
            raise
        print(
            f"deltaprop {args.command}: error: out of memory: {one_line(err)}; use a smaller network "
            f"or batch, or --dtype float32",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except Exception as err:  # noqa: BLE001 - a bug of ours: still one line, and how to see more
        if args.debug:
            raise
        print(
            f"deltaprop {args.command}: internal error: {type(err).__name__}: {one_line(err)}; "
            f"this is a bug in deltaprop: rerun with --debug for the traceback, and report it",
            file=sys.stderr,
        )
        return EXIT_FAILURE
