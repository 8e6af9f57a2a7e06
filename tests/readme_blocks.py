"""README.md as a reader sees it: its fenced blocks, its console sessions, the outputs it shows.

Helpers for ``tests/test_readme_examples.py``, which holds the checks themselves. Conventions
of the README that these helpers read:

* a line ``…`` in a shown output stands for lines left out there;
* a shown line ending in ``[…]`` promises only the text before it;
* in a result written in a comment, ``...`` after a digit means more digits that are not
  promised (``0.19...``), and anywhere else any text (``{'loss': ..., 'accuracy': ...}``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
FENCE = re.compile(r"^```(\S*)\s*$")
LEFT_OUT_LINES = "…"
LEFT_OUT_REST = "[…]"
NOT_PROMISED = "..."


@dataclass(frozen=True)
class Block:
    """One fenced block: its language, where it is, its text, and the ``## `` section it is in."""

    lang: str  # the fence's info string, "" when it has none
    line: int  # README line number of the block's first line of content
    end: int  # README line number of its closing fence
    text: str
    section: str

    @property
    def where(self) -> str:
        return f"README.md:{self.line}"


@dataclass(frozen=True)
class Session:
    """A ``$ command`` of a console block and the lines shown under it."""

    command: str
    output: list[str] = field(default_factory=list)
    line: int = 0  # README line number of the "$ " line


def readme_lines() -> list[str]:
    return README.read_text(encoding="utf-8").splitlines()


def fenced_blocks() -> list[Block]:
    """Every fenced block of the README, in order."""
    lines = readme_lines()
    blocks: list[Block] = []
    section = ""
    i = 0
    while i < len(lines):
        if lines[i].startswith("## "):
            section = lines[i][3:].strip()
        opening = FENCE.match(lines[i])
        if opening:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            assert j < len(lines), f"README.md:{i + 1}: a code block that is never closed"
            blocks.append(Block(opening[1], i + 2, j + 1, "\n".join(lines[i + 1 : j]), section))
            i = j
        i += 1
    return blocks


def output_block_after(block: Block, blocks: list[Block]) -> Block | None:
    """The ```text block right after ``block`` (nothing but blank lines between): its output."""
    index = blocks.index(block)
    if index + 1 == len(blocks) or blocks[index + 1].lang != "text":
        return None
    following = blocks[index + 1]
    between = readme_lines()[block.end : following.line - 2]
    return following if all(not line.strip() for line in between) else None


def console_sessions(blocks: list[Block]) -> list[Session]:
    """Every ``$ command`` of the console blocks, with the lines shown under it."""
    sessions: list[Session] = []
    for block in blocks:
        if block.lang != "console":
            continue
        for offset, line in enumerate(block.text.splitlines()):
            if line.startswith("$ "):
                sessions.append(Session(line[2:], [], block.line + offset))
            else:
                assert sessions and sessions[-1].line >= block.line, f"{block.where}: output before any $"
                sessions[-1].output.append(line)
    return sessions


def shell_commands(blocks: list[Block]) -> list[str]:
    """Every command of the ```bash / ```sh blocks (comments stripped) and the console's ``$`` lines."""
    commands = [session.command for session in console_sessions(blocks)]
    for block in blocks:
        if block.lang in ("bash", "sh"):
            for line in block.text.splitlines():
                command = re.sub(r"\s+#.*$", "", line).strip()
                if command:
                    commands.append(command)
    return commands


def shown_pattern(shown: str) -> re.Pattern:
    """A regular expression for a result written in a comment (see the module docstring)."""
    parts = shown.split(NOT_PROMISED)
    pattern = re.escape(parts[0])
    for before, part in zip(parts, parts[1:]):
        pattern += r"\d*" if before[-1:].isdigit() else ".*"
        pattern += re.escape(part)
    return re.compile(pattern, re.DOTALL)


def _line_matches(shown: str, actual: str) -> bool:
    shown, actual = shown.rstrip(), actual.rstrip()
    if shown.endswith(LEFT_OUT_REST):
        return actual.startswith(shown[: -len(LEFT_OUT_REST)].rstrip())
    return shown == actual


def _chunk_at(chunk: list[str], actual: list[str], start: int) -> bool:
    return start + len(chunk) <= len(actual) and all(
        _line_matches(s, a) for s, a in zip(chunk, actual[start : start + len(chunk)])
    )


def assert_shown(shown: list[str], actual: list[str], where: str) -> None:
    """Every line shown is in ``actual``, in the same order and next to the same lines, with
    ``…`` lines standing for any number of lines; unless the shown output begins (ends) with
    ``…``, ``actual`` begins (ends) with the first (last) lines shown."""
    chunks: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == LEFT_OUT_LINES:
            chunks.append([])
        else:
            chunks[-1].append(line)
    open_start, open_end = not chunks[0], not chunks[-1]
    position = 0
    problem = None
    for k, chunk in enumerate(chunks):
        if not chunk:
            continue
        if k == len(chunks) - 1 and not open_end:
            start = len(actual) - len(chunk)
            found = start >= position and _chunk_at(chunk, actual, start)
        elif k == 0 and not open_start:
            start, found = 0, _chunk_at(chunk, actual, 0)
        else:
            start = next((s for s in range(position, len(actual)) if _chunk_at(chunk, actual, s)), -1)
            found = start >= 0
        if not found:
            problem = chunk
            break
        position = start + len(chunk)
    if problem is not None:
        diff = "\n".join(difflib.unified_diff(shown, actual, "README", "actual", lineterm="", n=2))
        raise AssertionError(f"{where}: the output is not what the README shows at\n  {problem[0]!r}\n{diff}")


def table_rows(lines: list[str]) -> list[list[str]]:
    """The rows of the rich tables drawn in ``lines``, each a list of its cells' text.

    A cell's wrapped lines are joined and all its whitespace removed, so that rows compare
    alike whatever width the table was drawn at. Border lines and other lines are skipped.
    """
    rows: list[list[str]] = []
    new_row = True
    for line in lines:
        text = line.strip()
        if not text or text[0] not in "│┃":
            new_row = True
            continue
        cells = re.split(r"[│┃]", text[1:-1])
        if new_row or cells[0].strip():
            rows.append(cells)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells)]
        new_row = False
    return [["".join(cell.split()) for cell in row] for row in rows]
