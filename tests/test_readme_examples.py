"""README.md's examples run as written, and print what the README says they print.

A new user copies from the README, so its examples are run here in a temporary working
directory, with ``MPLBACKEND=Agg`` and ``DELTAPROP_DATA`` pointing at an empty folder (nothing
is ever downloaded) or, for the MNIST examples, at the real files.

What is checked:

* Every ```python block, in order. The blocks of one ``## `` section share a namespace, as
  a reader running them one after another would: the moons animation uses the ``plots`` of
  the block above it, ``load_mnist_split`` the ``dp`` of the block above, and the
  checkpoint example the ``net`` of the model-file example; the other blocks stand alone.
  Every comment in a block is accounted for: after ``print(...)`` it is the line printed,
  after a bare expression its value (== a literal written there, else its repr, with ``...``
  as in ``readme_blocks``), and any other comment is a claim checked in ``CLAIMS`` (shapes,
  dtypes, ranges, labels, values to the digits shown) or listed there as stating no result.
  A comment this file does not know fails, so a new example's promises get checked. A
  ```text block right after a python block is what it prints. Files a block reads as the
  user's own (``iris.csv``, ``data.npz``) are made by ``user_files``.
* The ``deltaprop`` commands of the ```console and ```sh blocks on built-in data: their exit
  status, and every line shown that does not depend on timing, compared exactly (epoch lines
  without their time, the summary's ``time`` row masked), rich tables drawn at the width of
  the README's. ``deltaprop train --name first`` is run with the seed its output shows, so
  its numbers and those of ``evaluate``, ``predict`` and ``plot`` on that run are the README's.
  ``test_every_command_is_run_or_left_out`` keeps the list of commands whole.
* The model-file error messages the README shows, from files broken in those three ways.

Run only where ``$DELTAPROP_DATA`` holds the real MNIST (skipped with the reason elsewhere,
run in CI): the python blocks that load MNIST and ``deltaprop train --data mnist``.

Left out, and why (the whole file takes ~25 s on 2 cores, ~35 s with MNIST):

* The Quick start's bash lines: they make a virtual environment and pip-install (minutes,
  and the network); ``.ci/run`` runs exactly those. Their ``deltaprop train`` is the
  ``--name first`` run, with a seed drawn at random.
* The MNIST training block runs 3 epochs instead of its 30 (``FASTER``): 30 take ~12 s, and
  it promises no numbers (``{'loss': ..., 'accuracy': ...}``).
* The Ctrl-C of the ``--name long`` run lands where the signal does, not at the README's
  "epoch 4, batch 559": the test interrupts after epoch 3 and checks the messages' form and
  that the epochs print the README's numbers whether run before or after the resume
  (``tests/cli/test_resume.py`` checks the bit-identical weights).
* ``deltaprop predict``'s ``seven.png`` is this file's own drawing of a 7, so only its class
  is compared; ``rows.csv`` holds the first 1, 4 and 8 of the digits' test split, which
  print the README's probabilities.
* The findings of ``deltaprop diagnose`` after a run at η = 100 are compared with their
  numbers masked: at η = 100 the last digits may move with the BLAS. That run's own output is
  not shown, so it is made with ``--no-plots``.
* ``deltaprop gradcheck``'s relative error (2.404e-10) is compared within a factor of 10:
  its digits are rounding noise of the BLAS.
* The TOML configuration (MNIST, 30 epochs) is run with ``--data digits --layers 64,100,10
  --epochs 1`` over it: every other key is the README's.
* ``deltaprop datasets``' caption and its lines of where the files are name the folder this
  test uses, not ``/work/shared/data``.
* Numbers in the prose (accuracies over seeds, benchmark tables) are measurements that
  ``bench/`` makes; the untagged Development tree is not an example.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import deltaprop as dp
from readme_blocks import (
    README,
    Block,
    assert_shown,
    console_sessions,
    fenced_blocks,
    output_block_after,
    shell_commands,
    shown_pattern,
    table_rows,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

BLOCKS = fenced_blocks()
PYTHON_BLOCKS = [block for block in BLOCKS if block.lang == "python"]
SESSIONS = console_sessions(BLOCKS)
CLI_TIMEOUT = 120  # seconds; the slowest command here takes ~6 s

# ---------------------------------------------------------------------------------------------
# The MNIST files
# ---------------------------------------------------------------------------------------------


def mnist_root() -> Path | None:
    """``$DELTAPROP_DATA`` when it holds the real MNIST, else None."""
    root = os.environ.get("DELTAPROP_DATA")
    if not root:
        return None
    present = {info.name: info.present for info in dp.datasets.list_datasets(data_dir=root)}
    return Path(root) if present["mnist"] else None


def needs_mnist(text: str) -> bool:
    return "mnist" in text.lower()


def skip_without_mnist(where: str) -> Path:
    root = mnist_root()
    if root is None:
        pytest.skip(f"{where} needs the real MNIST: set DELTAPROP_DATA to a folder holding mnist/")
    return root


# ---------------------------------------------------------------------------------------------
# The python blocks
# ---------------------------------------------------------------------------------------------

# A shorter run than the README's, where the full one would cost more than it checks: the
# README's text, what replaces it, and why (see the module docstring).
FASTER = {
    "net.fit(X[:50_000], y[:50_000], 30,": "net.fit(X[:50_000], y[:50_000], 3,",
}

IRIS_ROWS = [  # (features, species): iris.csv, the user's own file of "Your own data"
    ([5.1, 3.5, 1.4, 0.2], "setosa"),
    ([7.0, 3.2, 4.7, 1.4], "versicolor"),
    ([6.3, 3.3, 6.0, 2.5], "virginica"),
    ([4.9, 3.0, 1.4, 0.2], "setosa"),
    ([6.4, 3.2, 4.5, 1.5], "versicolor"),
    ([5.8, 2.7, 5.1, 1.9], "virginica"),
]


def user_files(folder: Path) -> None:
    """The files the README's blocks read as the user's own."""
    header = "sepal_length,sepal_width,petal_length,petal_width,species\n"
    body = "".join(",".join(map(str, x)) + f",{label}\n" for x, label in IRIS_ROWS)
    (folder / "iris.csv").write_text(header + body, encoding="utf-8")
    rng = np.random.default_rng(0)
    np.savez(folder / "data.npz", X=rng.random((20, 3)), y=np.arange(20) % 2)


def _digits_train(ns, _value) -> bool:
    X, y = ns["X"], ns["y"]
    return X.shape == (1437, 64) and y.shape == (1437,) and X.min() >= 0 and X.max() <= 1


def _mnist_train(ns, _value, labels_dtype=None) -> bool:
    X, y = ns["X"], ns["y"]
    in_range = X.dtype == np.float32 and X.min() == 0 and X.max() == 1
    return X.shape == (60000, 784) and y.shape == (60000,) and in_range


def _gradients_and_an_unchanged_net(ns, _value) -> bool:
    net, grads, X, y = ns["net"], ns["grads"], ns["X"], ns["y"]
    shapes = [w.shape for w in net.weights] == [g.shape for g in grads.weights]
    shapes &= [b.shape for b in net.biases] == [g.shape for g in grads.biases]
    again = net.backprop(X[:10], y[:10])  # a net that backprop changed would give other gradients
    same = all(
        np.array_equal(g, h) for g, h in zip(grads.weights + grads.biases, again.weights + again.biases)
    )
    return shapes and same and len(grads.deltas) == len(net.weights) and np.isfinite(grads.cost)


def _iris_classes(ns, _value) -> bool:
    classes, y = ns["classes"], ns["y"]
    written = [label for _, label in IRIS_ROWS]
    return classes == ("setosa", "versicolor", "virginica") and [classes[k] for k in y] == written


def _partial_fit_goes_on_as_the_originals(ns, value) -> bool:
    """The loaded estimator's partial_fit ends at the original's weights and counts, to the bit."""
    clf = ns["clf"].partial_fit(ns["X"], ns["labels"])
    same_arrays = all(
        np.array_equal(a, b) for a, b in zip(value.coefs_ + value.intercepts_, clf.coefs_ + clf.intercepts_)
    )
    return value is ns["same"] and same_arrays and (value.n_iter_, value.t_) == (clf.n_iter_, clf.t_)


# Every comment of the python blocks that is not a printed line or a repr: a check of the
# namespace after its statement (and the statement's value), or None where it states no result.
CLAIMS = {
    # Quick start
    "(1437, 64) pixels in [0, 1], labels (1437,)": _digits_train,
    "Nielsen, chapter 3": None,
    "∂C/∂w, ∂C/∂b, every δ and C; the net is unchanged": _gradients_and_an_unchanged_net,
    "Δw = −η ∂C/∂w": None,
    # See one step of backpropagation
    "the network, x, y, η = 0.5, biases kept": lambda ns, _: (
        ns["ex"].learning_rate == 0.5 and ns["ex"].update_biases is False
    ),
    "w5⁺ = 0.35891648 (weights[1][0, 0])": lambda ns, value: (
        round(float(value), 8) == 0.35891648
        and ns["trace"].weight_step(1, 0, 0).old == ns["ex"].net.weights[1][0, 0]
    ),
    # Pictures
    "(1437, 64) in [0, 1], labels (1437,)": _digits_train,
    "|δ| and |∂C/∂w| per layer, every epoch": None,
    # Diagnostics
    "the pixels as the IDX file holds them": lambda ns, _: (
        np.array_equal(ns["raw"], np.round(ns["raw"])) and ns["raw"].min() == 0 and ns["raw"].max() == 255
    ),
    "per-layer δ, saturation and dead units": None,
    "the cheap checks at every epoch end": None,
    # Training
    "(60000, 784) float32 in [0, 1], labels (60000,)": _mnist_train,
    "each layer's w and b shapes: 23,860 parameters (Keras's summary())": lambda ns, _: (
        "Total parameters: 23,860" in ns["net"].summary() and "(784, 30)" in ns["net"].summary()
    ),
    "logistic, quadratic cost": lambda ns, _: (
        "activation='logistic', output_activation='logistic', cost='quadratic'" in repr(ns["net"])
    ),
    # Data sets
    "(60000, 784) float32 in [0, 1], int64 labels": lambda ns, _: (
        _mnist_train(ns, _) and ns["y"].dtype == np.int64
    ),
    "the same shapes; labels 0 T-shirt/top … 9 ankle boot": lambda ns, _: (
        ns["X"].shape == (60000, 784) and ns["y"].min() == 0 and ns["y"].max() == 9 and ns["y"][0] == 9
    ),
    "first labels 7 2 1 0 4 1 4 9 5 9": lambda ns, _: (
        ns["y_test"][:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    ),
    "the same sets, by name": None,
    "(50000, 784), (10000, 784)": lambda ns, _: (
        ns["X_train"].shape == (50000, 784) and ns["X_val"].shape == (10000, 784)
    ),
    "CSV: one sample per line; the label column by index (default: the last) or by name.": None,
    (
        "classes == ('setosa', 'versicolor', 'virginica'); classes[y[i]] is row i's label as written"
    ): _iris_classes,
    "NPZ, as written by np.savez(path, X=X, y=y)": None,  # user_files writes it so
    # Model files
    "bit-identical": None,  # the block's own assert
    # With scikit-learn
    "the fitted dp.Network": lambda ns, _: isinstance(ns["net"], dp.Network),
    "'setosa', 'versicolor', 'virginica'": lambda ns, _: (
        ns["labels"].dtype.kind == "U" and sorted(set(ns["labels"])) == ["setosa", "versicolor", "virginica"]
    ),
    "one more epoch from the saved Adam moments, as clf's would be": _partial_fit_goes_on_as_the_originals,
}


@dataclass
class Outcome:
    skipped: str | None = None  # the reason, when the block was skipped
    error: BaseException | None = None


def comments_by_line(source: str, first_line: int) -> dict[int, str]:
    """README line number -> the text of the comment on it, without its ``#``."""
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0] + first_line - 1] = token.string.lstrip("#").strip()
    return comments


def names_used_and_defined(source: str) -> tuple[set[str], set[str]]:
    """The names a block reads, and those it binds (assignments, imports, definitions)."""
    used, defined = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, ast.alias):
            defined.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    return used, defined


def free_names(source: str) -> set[str]:
    """The names a block uses without defining them: what it takes from an earlier block."""
    used, defined = names_used_and_defined(source)
    return used - defined - set(dir(builtins))


def faster(source: str) -> str:
    for readme_text, replacement in FASTER.items():
        source = source.replace(readme_text, replacement)
    return source


def is_print(statement: ast.stmt) -> bool:
    call = statement.value if isinstance(statement, ast.Expr) else None
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print"


def execute(statement: ast.stmt, namespace: dict) -> tuple[object, str]:
    """Run one top-level statement; return its value (for a bare expression) and what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        if isinstance(statement, ast.Expr):
            code = compile(ast.Expression(statement.value), str(README), "eval")
            value = eval(code, namespace)
        else:
            exec(compile(ast.Module([statement], type_ignores=[]), str(README), "exec"), namespace)
            value = None
    return value, printed.getvalue()


NOT_A_LITERAL = object()


def shown_literal(comment: str):
    """The value a comment writes as a Python literal (compared by ==, so a dict's order does
    not matter), or NOT_A_LITERAL (then compared as text, ``...`` and all)."""
    if "..." in comment:
        return NOT_A_LITERAL
    try:
        return ast.literal_eval(comment)
    except (ValueError, SyntaxError):
        return NOT_A_LITERAL


def check_comment(line: int, comment: str, statement, value, printed: str, namespace: dict) -> None:
    where = f"README.md:{line}"
    if comment in CLAIMS:
        claim = CLAIMS[comment]
        assert claim is None or claim(namespace, value), f"{where}: `# {comment}` does not hold"
    elif statement is not None and is_print(statement):
        got = printed.rstrip("\n")
        assert shown_pattern(comment).fullmatch(got), f"{where}: prints {got!r}, the README shows {comment!r}"
    elif statement is not None and isinstance(statement, ast.Expr):
        literal = shown_literal(comment)
        same = (
            value == literal
            if literal is not NOT_A_LITERAL
            else shown_pattern(comment).fullmatch(repr(value))
        )
        assert same, f"{where}: gives {value!r}, the README shows {comment!r}"
    else:
        pytest.fail(
            f"{where}: a comment this test does not know: `# {comment}`. If it states a result, add a "
            "check of it to CLAIMS in tests/test_readme_examples.py; if it states none, add it there as None."
        )


def run_block(block: Block, namespace: dict) -> None:
    """Run ``block`` statement by statement in ``namespace``, checking every comment's result
    after its statement and, where a ```text block follows, everything it printed."""
    source = faster(block.text)
    tree = ast.parse(source)
    ast.increment_lineno(tree, block.line - 1)
    comments = comments_by_line(source, block.line)
    statements = tree.body
    # a comment on a line of its own speaks of what the statements before it did
    covered = {line for s in statements for line in range(s.lineno, s.end_lineno + 1)}
    after: dict[int, list[int]] = {}  # index of the statement a standalone comment follows (-1: none)
    for line in sorted(set(comments) - covered):
        after.setdefault(sum(s.end_lineno < line for s in statements) - 1, []).append(line)
    for line in after.get(-1, []):
        check_comment(line, comments[line], None, None, "", namespace)
    everything_printed = []
    for k, statement in enumerate(statements):
        value, printed = execute(statement, namespace)
        everything_printed.append(printed)
        for line in range(statement.lineno, statement.end_lineno + 1):
            if line in comments:
                check_comment(line, comments[line], statement, value, printed, namespace)
        for line in after.get(k, []):
            check_comment(line, comments[line], None, None, "", namespace)
    shown = output_block_after(block, BLOCKS)
    if shown is not None:
        printed_lines = "".join(everything_printed).splitlines()
        assert_shown(shown.text.splitlines(), printed_lines, f"{block.where} (its output, {shown.where})")


@pytest.fixture(scope="module")
def sections(tmp_path_factory):
    """Per ``## `` section: its working folder, its namespace, and each block's outcome."""
    return {
        "factory": tmp_path_factory,
        "state": {},
        "outcomes": {},
        "no_data": tmp_path_factory.mktemp("no-data"),
    }


def run_in_section(block: Block, sections, monkeypatch) -> Outcome:
    """Run ``block`` (once) after the blocks before it in its section, in their namespace."""
    outcomes = sections["outcomes"]
    if block.line in outcomes:
        return outcomes[block.line]
    state = sections["state"].get(block.section)
    if state is None:
        folder = sections["factory"].mktemp("readme-" + re.sub(r"\W+", "-", block.section).strip("-").lower())
        user_files(folder)
        state = sections["state"][block.section] = {"folder": folder, "namespace": {"__name__": "__main__"}}
    for earlier in PYTHON_BLOCKS:
        if earlier.section == block.section and earlier.line < block.line:
            run_in_section(earlier, sections, monkeypatch)
    outcome = Outcome()
    namespace = state["namespace"]
    missing = free_names(block.text) - set(namespace)
    skipped_before = [
        (line, o.skipped)
        for line, o in outcomes.items()
        if o.skipped
        and line < block.line
        and any(b.line == line and b.section == block.section for b in PYTHON_BLOCKS)
    ]
    if needs_mnist(block.text) and mnist_root() is None:
        outcome.skipped = (
            f"{block.where} loads the real MNIST: set DELTAPROP_DATA to a folder holding mnist/ to run it"
        )
    elif missing and skipped_before:
        outcome.skipped = (
            f"{block.where} builds on README.md:{skipped_before[-1][0]} ({skipped_before[-1][1]})"
        )
    else:
        monkeypatch.chdir(state["folder"])
        monkeypatch.setenv("MPLBACKEND", "Agg")
        monkeypatch.setenv(
            "DELTAPROP_DATA", str(mnist_root() if needs_mnist(block.text) else sections["no_data"])
        )
        try:
            run_block(block, namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # pytest.fail's too: kept for the block's own test, raised there
            outcome.error = error
    outcomes[block.line] = outcome
    return outcome


def _block_id(block: Block) -> str:
    return re.sub(r"\W+", "-", block.section).strip("-").lower()[:24] + f"-L{block.line}"


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=_block_id)
def test_python_block_runs_and_prints_what_the_readme_says(block, sections, monkeypatch):
    outcome = run_in_section(block, sections, monkeypatch)
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    if outcome.error is not None:
        raise outcome.error


def test_the_blocks_that_build_on_others_are_the_ones_the_readme_runs_together():
    """A block that uses names it does not define takes them from an earlier block of its
    section, never from another section (a reader runs a section's blocks in order)."""
    for block in PYTHON_BLOCKS:
        defined_before = set()
        for earlier in PYTHON_BLOCKS:
            if earlier.section == block.section and earlier.line < block.line:
                defined_before |= names_used_and_defined(earlier.text)[1]
        missing = free_names(block.text) - defined_before
        assert not missing, (
            f"{block.where} uses {sorted(missing)}, which no earlier block of its section defines"
        )


def test_every_shortened_run_is_still_in_the_readme():
    for readme_text in FASTER:
        uses = sum(block.text.count(readme_text) for block in PYTHON_BLOCKS)
        assert uses == 1, f"FASTER shortens {readme_text!r}, found {uses} times in the README's python blocks"


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------

RUN_HERE = {
    "deltaprop train --name first",
    "deltaprop train --data mnist --epochs 3 --lr 0.1 --seed 1 --name mnist",
    "deltaprop train --epochs 6 --batch-size 1 --seed 7 --name long",
    "deltaprop resume runs/long",
    "deltaprop evaluate runs/first",
    "deltaprop predict runs/first seven.png rows.csv",
    "DELTAPROP_DATA=/work/shared/data deltaprop datasets",
    "deltaprop gradcheck --layers 4,5,3 --activation tanh --cost quadratic",
    "deltaprop explain --example xor",
    "deltaprop explain --notation nielsen",
    "deltaprop explain --model net.safetensors --input 0.1,0.2,0.3 --target 1,0 --lr 0.25",
    "deltaprop explain --model net.safetensors --input-file batch.txt",
    "deltaprop explain --format markdown --out step.md",
    "deltaprop explain --format html --out step.html",
    "deltaprop explain --format latex --out step.tex",
    "deltaprop explain --diagram step.png",
    "deltaprop explain --model runs/first --input-file digit.txt",
    "deltaprop explain --model net.safetensors --input 0.1,0.2,0.3 --target 1",
    "deltaprop explain --example xor --input 1,1 --target 0",
    "deltaprop explain --format json --out step.json",
    "deltaprop explain --model net.safetensors --input-file batch.txt --format csv --out neurons.csv",
    "deltaprop explain --diagram step.png --dpi 200",
    "deltaprop explain --model runs/first --input-file seven.png --target 7",
    "deltaprop plot runs/first --format svg",
    "deltaprop train --name stuck --seed 1 --lr 100 --epochs 6",
    "deltaprop diagnose runs/stuck",
}
LEFT_OUT = {
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && deltaprop train": (
        "makes a virtual environment and pip-installs; .ci/run does"
    ),
    'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]" '
    "&& python -m pytest -q -n auto": (
        "makes a virtual environment, pip-installs and runs the whole suite; .ci/run does"
    ),
}


def test_every_command_is_run_or_left_out():
    commands = shell_commands(BLOCKS)
    unknown = [c for c in commands if c not in RUN_HERE and c not in LEFT_OUT]
    assert not unknown, f"README commands this file neither runs nor lists in LEFT_OUT: {unknown}"
    gone = (RUN_HERE | set(LEFT_OUT)) - set(commands)
    assert not gone, f"commands no longer in the README: {sorted(gone)}"


def shown_output(command: str) -> list[str]:
    found = [session for session in SESSIONS if session.command == command]
    assert len(found) == 1, f"the README shows {len(found)} runs of `{command}`"
    return list(found[0].output)


def shown_width(command: str) -> int:
    return max(len(line) for line in shown_output(command))


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.stdout.splitlines()]


def cli_env(data: Path, columns: int | None) -> dict:
    env = dict(os.environ)
    env.update(DELTAPROP_DATA=str(data), MPLBACKEND="Agg", PYTHONUNBUFFERED="1")
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return env


def cli_argv(command: str, *extra: str) -> list[str]:
    """``python -m deltaprop ...`` for a README command (``deltaprop`` and it are the same)."""
    words = shlex.split(command)
    while "=" in words[0]:  # an environment assignment before the command: the caller sets it
        words.pop(0)
    assert words[0] == "deltaprop", command
    return [sys.executable, "-m", "deltaprop", *words[1:], *extra]


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def deltaprop(
    command: str, cwd: Path, data: Path, *extra: str, columns: int | None = None, terminal: bool = False
) -> Result:
    """Run a README command; ``terminal=True`` makes rich draw for a terminal (TTY_COMPATIBLE),
    as a user at one sees it, with its colour codes taken out."""
    env = cli_env(data, columns)
    if terminal:
        env.update(TTY_COMPATIBLE="1", NO_COLOR="1")
    done = subprocess.run(
        cli_argv(command, *extra),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
    )
    if terminal:
        return Result(done.returncode, ANSI_ESCAPE.sub("", done.stdout), ANSI_ESCAPE.sub("", done.stderr))
    return Result(done.returncode, done.stdout, done.stderr)


def untimed(lines: list[str]) -> list[str]:
    """The lines without what depends on timing: an epoch line's time, the summary's time rows."""
    out = []
    for line in lines:
        line = re.sub(r"^(epoch \d+/\d+ .* lr \S+)\s+\d+(?:\.\d+)?m?s$", r"\1  <time>", line.rstrip())
        line = re.sub(r"^(│ time: [^│]*│) .*│$", r"\1 <time> │", line)
        out.append(line)
    return out


def assert_ran(result: Result, command: str) -> None:
    assert result.returncode == 0, (
        f"`{command}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """The user's working folder for the command-line examples, and an empty data folder."""
    folder = tmp_path_factory.mktemp("readme-cli")
    (folder / "no-data").mkdir()
    return folder


@pytest.fixture(scope="module")
def first_run(home):
    """``deltaprop train --name first``, with the seed its README output shows."""
    command = "deltaprop train --name first"
    seed = re.search(r"seed (\d+)$", shown_output(command)[0])[1]
    result = deltaprop(command, home, home / "no-data", "--seed", seed)
    assert_ran(result, command)
    return result


def test_train_first_prints_the_readme_run(first_run):
    command = "deltaprop train --name first"
    assert_shown(untimed(shown_output(command)), untimed(first_run.lines), f"`{command}`")


def test_evaluate_first_prints_the_readme_tables(home, first_run):
    command = "deltaprop evaluate runs/first"
    result = deltaprop(command, home, home / "no-data", columns=shown_width(command))
    assert_ran(result, command)
    assert_shown(shown_output(command), result.lines, f"`{command}`")


def test_predict_prints_the_readme_table(home, first_run):
    """rows.csv: the first 1, 4 and 8 of the digits' test split, which give the README's numbers;
    seven.png: a 7 drawn here, dark on light and larger than 8×8, so it is digit-normalised."""
    from PIL import Image, ImageDraw

    command = "deltaprop predict runs/first seven.png rows.csv"
    X, y = dp.datasets.load_digits("test")
    rows = [X[np.flatnonzero(y == digit)[0]] for digit in (1, 4, 8)]
    np.savetxt(home / "rows.csv", np.array(rows), delimiter=",", fmt="%.17g")
    seven = Image.new("L", (120, 160), 255)
    ImageDraw.Draw(seven).line([(20, 25), (100, 25), (50, 140)], fill=0, width=12)
    seven.save(home / "seven.png")

    # the boxed table a terminal shows (in a pipe predict prints plain columns)
    result = deltaprop(command, home, home / "no-data", columns=shown_width(command), terminal=True)
    assert_ran(result, command)
    shown = shown_output(command)
    seven_row = next(i for i, line in enumerate(shown) if line.startswith("│ seven.png"))
    assert_shown(shown[:seven_row], result.lines[:seven_row], f"`{command}`")
    assert_shown(shown[seven_row + 1 :], result.lines[seven_row + 1 :], f"`{command}`")
    assert table_rows(result.lines[seven_row : seven_row + 1])[0][:2] == ["seven.png", "7"]


def test_plot_svg_writes_what_the_readme_lists(home, first_run):
    command = "deltaprop plot runs/first --format svg"
    result = deltaprop(command, home, home / "no-data")
    assert_ran(result, command)
    assert_shown(shown_output(command), result.lines, f"`{command}`")
    for line in result.lines:
        if line.endswith(".svg"):
            assert (home / line).stat().st_size > 0


def test_train_on_mnist_prints_the_readme_run(tmp_path):
    command = "deltaprop train --data mnist --epochs 3 --lr 0.1 --seed 1 --name mnist"
    root = skip_without_mnist(f"`{command}`")
    result = deltaprop(command, tmp_path, root)
    assert_ran(result, command)
    assert_shown(untimed(shown_output(command)), untimed(result.lines), f"`{command}`")


def _numbers_as(line: str, pattern: str) -> re.Pattern:
    """``line`` as a regular expression where the part ``pattern`` matches may be other numbers."""
    pieces = re.split(pattern, line)
    assert len(pieces) == 2, (line, pattern)
    return re.compile(re.escape(pieces[0]) + pattern.replace(r"\d+", r"(\d+)") + re.escape(pieces[1]))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_then_resume_prints_the_readme_numbers(tmp_path):
    train, resume = (
        "deltaprop train --epochs 6 --batch-size 1 --seed 7 --name long",
        "deltaprop resume runs/long",
    )
    shown_train, shown_resume = shown_output(train), shown_output(resume)
    interrupted = _numbers_as(shown_train.pop(), r"epoch \d+, batch \d+")
    resumed_at = _numbers_as(shown_resume[1], r"epoch \d+, batch \d+")
    shown_epochs = [line for line in untimed(shown_train + shown_resume) if line.startswith("epoch ")]
    assert len(shown_epochs) == 6

    for attempt in range(3):  # the signal lands after epoch 3, unless the run is already done
        folder = tmp_path / f"attempt-{attempt}"
        folder.mkdir()
        proc = subprocess.Popen(
            cli_argv(train),
            cwd=folder,
            env=cli_env(tmp_path, None),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.startswith("epoch 3/"):
                proc.send_signal(signal.SIGINT)
                break
        rest, err = proc.communicate(timeout=CLI_TIMEOUT)
        lines += [line.rstrip() for line in rest.splitlines()]
        if proc.returncode != 0:
            break
    assert proc.returncode == 130, (proc.returncode, err)
    assert_shown(untimed(shown_train), untimed(lines[: len(shown_train)]), f"`{train}`")
    more_epochs = untimed(lines[len(shown_train) :])  # epochs that ended before the signal landed
    assert all(line.startswith("epoch ") for line in more_epochs), lines
    where = interrupted.fullmatch(err.strip().splitlines()[-1])
    assert where, f"`{train}` after Ctrl-C: {err!r}, the README shows {shown_train[-1]!r}"
    epoch, batch = where.groups()

    result = deltaprop(resume, folder, tmp_path)
    assert_ran(result, resume)
    lines = untimed(result.lines)
    at = resumed_at.fullmatch(lines[1])
    assert lines[0] == shown_resume[0] and at and lines[2] == shown_resume[2], (lines[:3], shown_resume[:3])
    assert at.groups() == (epoch, batch), "resume does not start where the interruption said"
    before = [line for line in untimed(shown_train) if line.startswith("epoch ")]
    after = [line for line in lines if line.startswith("epoch ")]
    assert before + more_epochs + after == shown_epochs, (
        "the epochs are not the README's, before and after resuming"
    )


def test_datasets_lists_what_the_readme_shows(home):
    command = "DELTAPROP_DATA=/work/shared/data deltaprop datasets"
    root = mnist_root() or home / "no-data"
    result = deltaprop(command, home, root, columns=shown_width(command))
    assert_ran(result, command)
    shown = shown_output(command)
    assert result.lines[0] == shown[0].replace("/work/shared/data", str(root))
    shown_rows = {row[0]: row for row in table_rows(shown)}
    rows = {row[0]: row for row in table_rows(result.lines)}
    assert rows.keys() == shown_rows.keys()
    here = 4  # name, train/test, inputs, classes, here, description
    for name, row in rows.items():
        expected = shown_rows[name]
        if expected[here] == "downloaded" and row[here] != "downloaded":  # this machine's
            row, expected = row[:here] + row[here + 1 :], expected[:here] + expected[here + 1 :]
        assert row == expected, f"`{command}`: the row of {name}"
    for line in shown:  # where the downloaded sets' files are, one line each under the table
        if " files: " in line and rows[line.split(" files: ")[0]][here] == "downloaded":
            assert line.replace("/work/shared/data", str(root)) in result.lines, line


def test_gradcheck_passes_as_the_readme_shows(home):
    command = "deltaprop gradcheck --layers 4,5,3 --activation tanh --cost quadratic"
    result = deltaprop(command, home, home / "no-data")
    assert_ran(result, command)
    shown = shown_output(command)
    assert result.lines[0] == shown[0]
    # the error's last digits depend on the BLAS's rounding: the same order of magnitude, and PASS
    error, shown_error = (
        float(re.search(r"= (\S+)   PASS", line)[1]) for line in (result.lines[1], shown[1])
    )
    assert re.sub(r"= \S+", "= E", result.lines[1]) == re.sub(r"= \S+", "= E", shown[1])
    assert shown_error / 10 < error < shown_error * 10


def test_explain_prints_the_readme_walkthrough(home):
    columns = int(
        re.search(r"\(`deltaprop explain`, (\d+)\s+columns\)", README.read_text(encoding="utf-8"))[1]
    )
    for command, first_line in [
        ("deltaprop explain", "Backward: the output layer"),
        ("deltaprop explain --variant post", "  ∂E_total/∂out_h1 = w5⁺ δ_o1 + w7⁺ δ_o2"),
    ]:
        block = next(b for b in BLOCKS if b.lang == "text" and b.text.startswith(first_line))
        result = deltaprop(command, home, home / "no-data", columns=columns)
        assert_ran(result, command)
        assert_shown(["…", *block.text.splitlines(), "…"], result.lines, f"`{command}` ({block.where})")


@pytest.fixture(scope="module")
def explain_files(home):
    """net.safetensors (3 inputs, 2 outputs) and batch.txt, which the explain commands read."""
    folder = home / "explain"
    folder.mkdir()
    dp.save(dp.Network([3, 4, 2], seed=0), folder / "net.safetensors")
    (folder / "batch.txt").write_text("0.1 0.2 0.3 1 0\n0.9 0.8 0.7 0 1\n", encoding="utf-8")
    # runs/first, a run of the digits, and digit.txt: one image's 64 pixels, then its 10 targets
    train = "deltaprop train --name first"
    assert_ran(deltaprop(train, folder, folder, "--epochs", "1", "--lr", "0.25", "--no-plots"), train)
    X, y = dp.datasets.load_digits("test")
    row = [*X[0], *np.eye(10)[y[0]]]
    (folder / "digit.txt").write_text(" ".join(f"{v:g}" for v in row) + "\n", encoding="utf-8")
    from PIL import Image

    seven = X[y == 7][0].reshape(8, 8)  # seven.png: a 7 of the digits, drawn dark on light as on paper
    Image.fromarray(np.rint(255 * (1 - seven)).astype(np.uint8)).resize((64, 64)).save(folder / "seven.png")
    return folder


EXPLAIN_COMMANDS = [c for c in shell_commands(BLOCKS) if c.startswith("deltaprop explain ")]


@pytest.mark.parametrize("command", EXPLAIN_COMMANDS)
def test_explain_options_run(command, explain_files):
    result = deltaprop(command, explain_files, explain_files)
    assert_ran(result, command)
    out = re.search(r"--out (\S+)", command)
    diagram = re.search(r"--diagram (\S+)", command)
    if diagram is not None:
        assert (explain_files / diagram[1]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if "runs/first" in command:
        assert "the run's learning rate" in result.stdout and "0.25" in result.stdout
    if out is None:
        assert "One step of backpropagation" in result.stdout
    else:
        text = (explain_files / out[1]).read_text(encoding="utf-8")
        if out[1].endswith(".md"):
            assert "$$" in text
        elif out[1].endswith(".json"):
            assert json.loads(text)["layers"]
        elif out[1].endswith(".csv"):
            assert text.startswith("sample,layer,neuron,net_name,net,o_name,o,delta_name,delta\n")
        elif out[1].endswith(".tex"):
            assert text.startswith("\\documentclass") and text.endswith("\\end{document}\n")
        else:
            assert "<math" in text and "<script" not in text


def test_diagnose_prints_the_readme_findings(tmp_path):
    train, command = (
        "deltaprop train --name stuck --seed 1 --lr 100 --epochs 6",
        "deltaprop diagnose runs/stuck",
    )
    assert_ran(deltaprop(train, tmp_path, tmp_path, "--no-plots"), train)
    result = deltaprop(command, tmp_path, tmp_path, columns=shown_width(command))
    assert_ran(result, command)
    shown = shown_output(command)
    assert result.lines[0].strip() == shown[0].strip()

    def masked(rows):
        return [[re.sub(r"\d+(?:\.\d+)?", "#", cell) for cell in row] for row in rows]

    assert masked(table_rows(result.lines)) == masked(table_rows(shown))


def test_the_config_file_example_is_accepted(tmp_path):
    block = next(b for b in BLOCKS if b.lang == "toml")
    (tmp_path / "mnist.toml").write_text(block.text + "\n", encoding="utf-8")
    command = "deltaprop train --config mnist.toml"
    override = (
        "--data",
        "digits",
        "--layers",
        "64,100,10",
        "--epochs",
        "1",
        "--no-plots",
        "--quiet",
        "--name",
        "c",
    )
    result = deltaprop(command, tmp_path, tmp_path, *override)
    assert_ran(result, command)
    shown = tomllib.loads(block.text)
    used = tomllib.loads((tmp_path / "runs" / "c" / "config.toml").read_text(encoding="utf-8"))
    for table, values in shown.items():
        for key, value in values.items():
            if (table, key) not in {("data", "name"), ("model", "layers"), ("training", "epochs")}:
                assert used[table][key] == value, f"{block.where}: [{table}] {key}"


# ---------------------------------------------------------------------------------------------
# Model-file errors
# ---------------------------------------------------------------------------------------------


def test_model_file_errors_are_the_ones_the_readme_shows(tmp_path, monkeypatch):
    from safetensors import safe_open
    from safetensors.numpy import save_file

    block = next(b for b in BLOCKS if b.lang == "text" and "not a safetensors file" in b.text)
    shown = [line.replace("0.1.0", dp.__version__) for line in block.text.splitlines()]
    monkeypatch.chdir(tmp_path)

    Path("model.safetensors").write_bytes(b"This is not a model file, just some text.")  # 8 + 33 bytes
    messages = []
    with pytest.raises(dp.ModelFileError) as caught:
        dp.load("model.safetensors")
    messages.append(str(caught.value))

    dp.save(dp.Network([2, 3, 2], seed=0), "good.safetensors")
    with safe_open("good.safetensors", "np") as f:
        metadata, tensors = f.metadata(), {name: f.get_tensor(name) for name in f.keys()}
    save_file(tensors, "model.safetensors", metadata={**metadata, "deltaprop.format": "2"})
    with pytest.raises(dp.ModelFileError) as caught:
        dp.load("model.safetensors")
    messages.append(str(caught.value))

    save_file({"embeddings": np.zeros((3, 4), np.float32)}, "bert.safetensors")
    with pytest.raises(dp.ModelFileError) as caught:
        dp.load("bert.safetensors")
    messages.append(str(caught.value))
    assert messages == shown
