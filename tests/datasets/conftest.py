"""Fixtures for the data set tests: small IDX files made on the spot, and a real HTTP server.

The server runs in a thread on 127.0.0.1 (an ephemeral port) and serves whatever a test puts
in its ``routes``: ``routes["/a/file"] = Route(body=..., status=200, announce=None)``, where
``announce`` is a Content-Length to send instead of the body's true length (to fake a
transfer cut short). Unknown paths get 404. Every request path is logged in ``requests``.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from deltaprop.datasets import ENV_VAR, FASHION_MNIST, MNIST, MNIST_MIRRORS, IdxDataset

N_FAKE = 12  # images per fake split: small, but more than the 10 classes
FAKE_SHAPE = (28, 28)


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    """The IDX encoding of ``array`` (big-endian header, then the data row-major)."""
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array).astype(array.dtype.newbyteorder(">")).tobytes()


def fake_split(seed: int, n: int = N_FAKE) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, *FAKE_SHAPE), dtype=np.uint8)
    images[0, 0, 0], images[0, 0, 1] = 0, 255  # so the scaled range is exactly [0, 1]
    labels = (np.arange(n) % 10).astype(np.uint8)
    return images, labels


@pytest.fixture(scope="session")
def fake_mnist():
    """Gzipped IDX bytes of a tiny MNIST-like data set: file name -> bytes, plus the arrays."""
    files, arrays = {}, {}
    for split, prefix, seed in (("train", "train", 1), ("test", "t10k", 2)):
        images, labels = fake_split(seed)
        arrays[split] = (images, labels)
        files[f"{prefix}-images-idx3-ubyte.gz"] = gzip.compress(idx_bytes(images), mtime=0)
        files[f"{prefix}-labels-idx1-ubyte.gz"] = gzip.compress(idx_bytes(labels), mtime=0)
    return files, arrays


def fake_spec(files: dict[str, bytes], mirrors, *, name: str = "fake") -> IdxDataset:
    """A registry entry for the fake files, with their real SHA-256s: the registry's own mechanism."""
    return IdxDataset(
        name=name,
        folder=name,
        description="a tiny fake of MNIST for tests",
        mirrors=list(mirrors),
        files={
            "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
            "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
        },
        sha256={file: hashlib.sha256(body).hexdigest() for file, body in files.items()},
        sizes={file: len(body) for file, body in files.items()},
        n_samples={"train": N_FAKE, "test": N_FAKE},
        classes=tuple(str(k) for k in range(10)),
        image_shape=FAKE_SHAPE,
    )


@pytest.fixture
def register_fakes(monkeypatch, fake_mnist):
    """``register_fakes(MNIST, ...)``: the fake files' sizes and SHA-256s (gzipped and un-gzipped)
    registered as those sets' for one test, as a test's mirror stands in for the real ones: a
    loader checks every file it reads against the registry, so fake files under the real names
    need this."""
    files, _ = fake_mnist

    def register(*specs: IdxDataset) -> dict[str, bytes]:
        for spec in specs:
            for name, body in files.items():
                raw = gzip.decompress(body)
                monkeypatch.setitem(spec.sha256, name, hashlib.sha256(body).hexdigest())
                monkeypatch.setitem(spec.sizes, name, len(body))
                monkeypatch.setitem(spec.raw_sha256, name, hashlib.sha256(raw).hexdigest())
                monkeypatch.setitem(spec.raw_sizes, name, len(raw))
        return files

    return register


@pytest.fixture
def fake_checksums(register_fakes):
    """The fake files registered as both MNIST's and Fashion-MNIST's (see ``register_fakes``)."""
    return register_fakes(MNIST, FASHION_MNIST)


def put_idx_files(folder: Path, files: dict[str, bytes], *, gunzip: bool = False) -> Path:
    """Write ``files`` (name -> gzipped bytes) into ``folder``, un-gzipped (``.gz`` dropped from
    the names) with ``gunzip``; return ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        if gunzip:
            (folder / name.removesuffix(".gz")).write_bytes(gzip.decompress(body))
        else:
            (folder / name).write_bytes(body)
    return folder


@pytest.fixture
def put_files():
    """:func:`put_idx_files`: IDX files written into a folder, gzipped or not."""
    return put_idx_files


@pytest.fixture
def fake_spec_factory():
    return fake_spec


@pytest.fixture
def isolated_data(monkeypatch, tmp_path) -> Path:
    """An empty data root in ``$DELTAPROP_DATA``, so nothing outside ``tmp_path`` is touched."""
    root = tmp_path / "data-root"
    monkeypatch.setenv(ENV_VAR, str(root))
    return root


@pytest.fixture
def offline():
    """MNIST's mirrors replaced by a port nothing listens on, as the download tests do."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    saved = list(MNIST_MIRRORS)
    MNIST_MIRRORS[:] = [dead]
    try:
        yield dead
    finally:
        MNIST_MIRRORS[:] = saved


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    announce: int | None = None  # a Content-Length to claim instead of len(body)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        server = self.server
        server.requests.append(self.path)
        route = server.routes.get(self.path)
        if route is None:
            route = Route(body=b"not found", status=404)
        self.send_response(route.status)
        self.send_header("Content-Type", "application/octet-stream")
        length = route.announce if route.announce is not None else len(route.body)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(route.body)
        self.wfile.flush()
        self.close_connection = True  # a short body then a closed socket: a truncated transfer

    def log_message(self, format, *args):  # keep the test output clean
        pass


@pytest.fixture
def http_server(monkeypatch):
    """A real HTTP server on 127.0.0.1 in a thread; ``.url`` is its base URL."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes = {}
    server.requests = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def route_cls():
    return Route


@pytest.fixture
def idx_encode():
    return idx_bytes
