"""Helpers for the CLI tests: run ``python -m deltaprop`` as a user would, and check what it says."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def cli_env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env["DELTAPROP_DATA"] = str(data_dir)  # never download in tests: an empty cache unless said
    env["MPLBACKEND"] = "Agg"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("COLUMNS", None)
    return env


def assert_one_line_error(result: Result, code: int, *fragments: str) -> None:
    """Exit ``code``, nothing but one line on stderr, no traceback, each fragment in it."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def same_weights(path_a: Path, path_b: Path) -> bool:
    """Bit-for-bit equality of every weight and bias of two model files."""
    import deltaprop as dp

    a, b = dp.load(path_a), dp.load(path_b)
    return a.sizes == b.sizes and all(
        x.dtype == y.dtype and np.array_equal(x, y)
        for x, y in zip(a.weights + a.biases, b.weights + b.biases)
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def mirror_of(spec, folder: Path):
    """The files of ``folder`` served over HTTP on 127.0.0.1 as the only mirror of the data
    set ``spec`` (say :data:`deltaprop.datasets.mnist.MNIST`), for the length of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        saved = list(spec.mirrors)
        spec.mirrors[:] = [f"http://127.0.0.1:{server.server_address[1]}/"]
        try:
            yield
        finally:
            spec.mirrors[:] = saved
            server.shutdown()


def write_iris_csv(folder: Path):
    """``folder/iris.csv``: scikit-learn's iris as a new user saves it with pandas (a header, the
    four features, text labels in a last ``species`` column); returns its features' frame."""
    from sklearn.datasets import load_iris

    bunch = load_iris(as_frame=True)
    frame = bunch.data.copy()
    frame["species"] = [bunch.target_names[t] for t in bunch.target]
    frame.to_csv(folder / "iris.csv", index=False)
    return bunch.data
