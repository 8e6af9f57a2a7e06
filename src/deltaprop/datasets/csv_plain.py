"""The fast path of :func:`~deltaprop.datasets.load_csv`: a CSV body of plain numbers read by
NumPy's ``loadtxt``, a block of lines at a time, :func:`plain_table`.

``load_csv`` judges the layout (header, label column, separator) from the first line, then
reads the lines below here; only where a line is not plain (a quote, a line of another width,
a cell ``loadtxt`` cannot read or that is not finite) does it read them row by row with the
csv module, which also names the bad cell by line and column. Both read a plain line alike.
"""

from __future__ import annotations

import csv
from operator import itemgetter, methodcaller

import numpy as np

from .csv_layout import COMMENT

#: Characters of text ``loadtxt`` parses at once (then on to the end of the line): bounds the
#: text held as a list of lines, and the block of numbers beside ``X``.
BLOCK_CHARS = 1 << 20


def plain_table(text: str, start: int, delimiter: str, n_cells: int, columns, column, dtype):
    """``(X, labels, lines)`` of the data lines of ``text`` after its first ``start`` lines,
    read by NumPy's ``loadtxt`` about :data:`BLOCK_CHARS` characters at a time, or ``None``
    where the text is not plain: a quote or NUL, a line ended by a lone ``\\r``, a line of
    other than ``n_cells`` cells (a separator ending every line counted), a feature ``loadtxt``
    does not read, or one not finite. Then ``load_csv`` reads the file row by row, and names
    the bad cell; what both read, they read alike (``loadtxt`` reads a subset of the numbers
    ``float`` reads, to the same value).

    ``columns``: the feature columns' indices; ``column``: the label column's, or ``None``.
    ``labels`` are the label cells, a ``\\r`` of a ``\\r\\n`` line end left on the last
    column's (the reader strips every label); ``lines`` holds each row's line number, as the
    csv module counts them."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # old Mac line ends: the csv module's to split
    position = 0
    for _ in range(start):  # past the header, which may span lines (a quoted name)
        position = text.find("\n", position) + 1
        if not position:
            return None
    X = np.empty((_most_rows(text, position, len(columns)), len(columns)), dtype=dtype)
    n_rows, labels, lines, line_number = 0, [], [], start + 1
    longest = csv.field_size_limit()  # a longer line may hold a cell the csv module refuses
    while position < len(text):
        end = text.find("\n", position + BLOCK_CHARS)
        end = len(text) if end < 0 else end + 1
        block, position = text[position:end], end
        if '"' in block or "\0" in block:
            return None  # quoted cells (a comment's too) are the csv module's to read
        body = block.split("\n")
        if block.endswith("\n"):
            body.pop()
        numbers = range(line_number, line_number + len(body))
        line_number += len(body)
        if max(map(len, body)) > longest:
            return None
        # blank lines and comments, skipped as the csv reader skips them
        if COMMENT in block or "" in body or any(map(str.isspace, body)):
            kept = [
                (number, line)
                for number, line in zip(numbers, body)
                if line and not line.isspace() and not _comment(line, delimiter)
            ]
            numbers, body = [number for number, _ in kept], [line for _, line in kept]
            if not body:
                continue
        if n_rows + len(body) > len(X) or set(map(methodcaller("count", delimiter), body)) != {n_cells - 1}:
            return None
        try:
            with np.errstate(over="ignore"):  # 1e40 in float32: named by the row-by-row reader
                block_X = np.loadtxt(
                    body,
                    dtype=dtype,
                    delimiter=delimiter,
                    comments=None,
                    quotechar=None,
                    usecols=columns,
                    ndmin=2,
                )
        except ValueError:
            return None
        if not np.isfinite(block_X).all():
            return None
        X[n_rows : n_rows + len(body)] = block_X
        n_rows += len(body)
        lines.extend(numbers)
        if column is not None:
            labels.extend(_cells(body, delimiter, column, n_cells))
    if not n_rows:
        return None
    X.resize((n_rows, len(columns)), refcheck=False)  # in place: no view of X was kept
    return X, labels, lines


def _most_rows(text: str, position: int, n_features: int) -> int:
    """An upper bound on the data rows of ``text`` from ``position`` on: its lines, and no more
    than fit in its size, each row ``n_features`` cells of one character at least, each
    followed by a separator or a line end (so blank lines do not allocate)."""
    n_lines = text.count("\n", position) + (not text.endswith("\n"))
    return max(0, min(n_lines, (len(text) - position + 1) // (2 * n_features)))


def _comment(line: str, delimiter: str) -> bool:
    """Whether a plain line (no quotes) is a comment, as :func:`holds_data` says of its cells."""
    return line.lstrip().startswith(COMMENT) and line.partition(delimiter)[0].lstrip().startswith(COMMENT)


def _cells(lines: list[str], delimiter: str, index: int, n_cells: int):
    """Cell ``index`` of each plain line (no quotes) of ``n_cells`` cells, split from the nearer end."""
    if index == 0:
        return map(itemgetter(0), map(methodcaller("partition", delimiter), lines))
    if index == n_cells - 1:
        return map(itemgetter(2), map(methodcaller("rpartition", delimiter), lines))
    after = n_cells - 1 - index
    if index <= after:
        return (line.split(delimiter, index + 1)[index] for line in lines)
    return (line.rsplit(delimiter, after + 1)[1] for line in lines)
