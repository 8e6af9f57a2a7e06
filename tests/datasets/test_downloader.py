"""The downloader against a real HTTP server on 127.0.0.1: real sockets, real urllib."""

from __future__ import annotations

import hashlib
import io
import socket

import numpy as np
import pytest

from deltaprop import DownloadError
from deltaprop.datasets import (
    ENV_VAR,
    MNIST,
    MNIST_MIRRORS,
    RemoteFile,
    data_home,
    fetch_files,
    load_by_name,
    load_idx_dataset,
    load_mnist,
)
from deltaprop.datasets.download import check_mirrors
from deltaprop.datasets.mnist import missing_files
from deltaprop.datasets.progress import BAR_WIDTH, TextProgress

BODY = bytes(range(256)) * 40  # 10,240 bytes
SHA = hashlib.sha256(BODY).hexdigest()


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_success_verifies_and_lands_in_place_with_progress(http_server, route_cls, tmp_path):
    http_server.routes["/m/data.bin"] = route_cls(BODY)
    calls = []
    paths = fetch_files(
        [RemoteFile("data.bin", SHA, len(BODY))],
        tmp_path / "cache",
        [http_server.url + "/m/"],
        progress=lambda done, total: calls.append((done, total)),
    )
    assert paths == [tmp_path / "cache" / "data.bin"]
    assert paths[0].read_bytes() == BODY
    assert leftovers(tmp_path / "cache") == ["data.bin"]  # no temporary file left
    assert calls[-1] == (len(BODY), len(BODY))
    assert all(b[0] >= a[0] for a, b in zip(calls, calls[1:]))


def test_progress_counts_over_all_files(http_server, route_cls, tmp_path):
    other = b"x" * 1000
    http_server.routes["/a"] = route_cls(BODY)
    http_server.routes["/b"] = route_cls(other)
    calls = []
    files = [
        RemoteFile("a", SHA, len(BODY)),
        RemoteFile("b", hashlib.sha256(other).hexdigest(), len(other)),
    ]
    fetch_files(files, tmp_path, [http_server.url], progress=lambda d, t: calls.append((d, t)))
    total = len(BODY) + len(other)
    assert {t for _, t in calls} == {total}
    assert calls[-1] == (total, total)


def test_checksum_mismatch_leaves_nothing_behind(http_server, route_cls, tmp_path):
    evil = BODY[:-1] + b"\x00"
    http_server.routes["/m/data.bin"] = route_cls(evil)
    with pytest.raises(DownloadError) as info:
        fetch_files([RemoteFile("data.bin", SHA, len(BODY))], tmp_path / "c", [http_server.url + "/m"])
    message = str(info.value)
    assert f"{http_server.url}/m/data.bin: checksum mismatch: expected SHA-256 {SHA}, " in message
    assert hashlib.sha256(evil).hexdigest() in message
    assert f"put the file in {tmp_path / 'c'} by hand" in message
    assert leftovers(tmp_path / "c") == []


def test_truncated_transfer_says_how_many_bytes_arrived(http_server, route_cls, tmp_path):
    # The server claims 10,340 bytes, sends 10,240, then closes the connection.
    http_server.routes["/data.bin"] = route_cls(BODY, announce=len(BODY) + 100)
    with pytest.raises(DownloadError, match=r"data.bin: truncated transfer: got 10,240 of 10,340 bytes"):
        fetch_files([RemoteFile("data.bin", SHA)], tmp_path, [http_server.url])
    assert leftovers(tmp_path) == []


def test_announced_size_that_disagrees_with_the_registry(http_server, route_cls, tmp_path):
    http_server.routes["/data.bin"] = route_cls(BODY, announce=len(BODY) + 100)
    with pytest.raises(DownloadError, match=r"the server announces 10,340 bytes, but the file has 10,240"):
        fetch_files([RemoteFile("data.bin", SHA, len(BODY))], tmp_path, [http_server.url])
    assert leftovers(tmp_path) == []


def test_server_error_on_the_first_mirror_then_success_from_the_second(http_server, route_cls, tmp_path):
    http_server.routes["/one/data.bin"] = route_cls(b"oops", status=500)
    http_server.routes["/two/data.bin"] = route_cls(BODY)
    mirrors = [http_server.url + "/one/", http_server.url + "/two/"]
    (path,) = fetch_files([RemoteFile("data.bin", SHA, len(BODY))], tmp_path, mirrors)
    assert path.read_bytes() == BODY
    assert http_server.requests == ["/one/data.bin", "/two/data.bin"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens here once the socket is closed


def test_all_mirrors_failing_lists_every_url_and_reason(http_server, route_cls, tmp_path):
    http_server.routes["/one/data.bin"] = route_cls(b"oops", status=500)
    dead = f"http://127.0.0.1:{_closed_port()}/"
    mirrors = [http_server.url + "/one/", http_server.url + "/missing/", dead]
    with pytest.raises(DownloadError) as info:
        fetch_files([RemoteFile("data.bin", SHA)], tmp_path / "d", mirrors)
    message = str(info.value)
    assert "could not download data.bin from any of 3 mirror(s)" in message
    assert f"{http_server.url}/one/data.bin: HTTP 500" in message
    assert f"{http_server.url}/missing/data.bin: HTTP 404" in message
    assert f"{dead}data.bin: could not connect" in message
    assert isinstance(info.value, OSError)
    assert leftovers(tmp_path / "d") == []


def test_a_failed_download_never_damages_an_existing_file(http_server, route_cls, tmp_path):
    (tmp_path / "data.bin").write_bytes(b"old contents")
    http_server.routes["/data.bin"] = route_cls(b"corrupt")
    with pytest.raises(DownloadError):
        fetch_files([RemoteFile("data.bin", SHA)], tmp_path, [http_server.url])
    assert (tmp_path / "data.bin").read_bytes() == b"old contents"
    assert leftovers(tmp_path) == ["data.bin"]


@pytest.mark.parametrize(
    ("mirrors", "error", "message"),
    [
        ([], ValueError, "mirrors is empty"),
        (["ftp://example.org/"], ValueError, r"http:// or https:// URLs; got 'ftp://example.org/'"),
        (["file:///etc/"], ValueError, "got 'file:///etc/'"),
        ("https://example.org/", TypeError, "mirrors must be a list of base URLs"),
    ],
)
def test_mirrors_are_checked(mirrors, error, message):
    with pytest.raises(error, match=message):
        check_mirrors(mirrors)


def test_load_downloads_into_the_cache_once_then_reads_it(
    http_server, route_cls, fake_mnist, fake_spec_factory, tmp_path
):
    files, arrays = fake_mnist
    for name, body in files.items():
        http_server.routes[f"/mirror/{name}"] = route_cls(body)
    spec = fake_spec_factory(files, [http_server.url + "/mirror/"])
    X, y = load_idx_dataset(spec, "test", data_dir=tmp_path)
    images, labels = arrays["test"]
    assert X.shape == (len(labels), 784) and X.dtype == np.float32
    np.testing.assert_array_equal(X, images.reshape(len(labels), -1).astype(np.float32) / 255)
    np.testing.assert_array_equal(y, labels)
    assert sorted(http_server.requests) == [
        "/mirror/t10k-images-idx3-ubyte.gz",
        "/mirror/t10k-labels-idx1-ubyte.gz",
    ]
    assert leftovers(tmp_path / "fake") == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    load_idx_dataset(spec, "test", data_dir=tmp_path)
    assert len(http_server.requests) == 2  # the second load read the cache


def test_load_mnist_uses_the_module_level_mirror_list(http_server, route_cls, isolated_data):
    # Fake bytes under MNIST's real names fail MNIST's real checksums: proof they are checked.
    http_server.routes["/train-images-idx3-ubyte.gz"] = route_cls(b"not mnist")
    saved = list(MNIST_MIRRORS)
    MNIST_MIRRORS[:] = [http_server.url]
    try:
        with pytest.raises(
            DownloadError, match=r"train-images-idx3-ubyte.gz: the server announces 9 bytes, "
        ):
            load_mnist("train")
    finally:
        MNIST_MIRRORS[:] = saved
    assert http_server.requests == ["/train-images-idx3-ubyte.gz"]
    assert leftovers(isolated_data / "mnist") == []


def test_mirrors_parameter_overrides_the_registry(http_server, route_cls, isolated_data):
    with pytest.raises(DownloadError, match=r"HTTP 404"):
        load_mnist("test", mirrors=[http_server.url + "/elsewhere"])
    assert http_server.requests == ["/elsewhere/t10k-images-idx3-ubyte.gz"]


def test_a_failed_first_download_leaves_no_empty_folders(http_server, tmp_path):
    # Offline on a new machine: the cache folders made for the download go again.
    dest = tmp_path / "home" / ".cache" / "deltaprop" / "mnist"
    dead = f"http://127.0.0.1:{_closed_port()}/"
    with pytest.raises(DownloadError, match="could not connect"):
        fetch_files([RemoteFile("data.bin", SHA)], dest, [dead])
    assert list(tmp_path.iterdir()) == []


def test_a_failed_second_file_keeps_the_first_and_its_folder(http_server, route_cls, tmp_path):
    http_server.routes["/data.bin"] = route_cls(BODY)
    dest = tmp_path / "new"
    with pytest.raises(DownloadError):
        fetch_files([RemoteFile("data.bin", SHA), RemoteFile("other.bin", SHA)], dest, [http_server.url])
    assert leftovers(dest) == ["data.bin"]


# ------------------------------------------ what a user sees: progress, offline, real files


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_text_progress_writes_a_message_on_its_own_line():
    stream = _Terminal()
    bar = TextProgress("mnist", stream)
    bar.message("downloading mnist (1.7 MB) into /data/mnist from https://example.org/")
    bar(10, 100)
    bar.message("https://example.org/x: timed out; trying the next mirror, https://example.com/")
    bar(100, 100)
    lines = stream.getvalue().split("\n")
    assert lines[0] == "downloading mnist (1.7 MB) into /data/mnist from https://example.org/"
    assert lines[1].startswith("\rmnist  [###")  # the bar drawn in place is ended, not overwritten
    assert lines[2] == "https://example.org/x: timed out; trying the next mirror, https://example.com/"
    assert lines[3].startswith("\rmnist  [##############################] 100%")
    stream = io.StringIO()  # off a terminal: lines as they come
    TextProgress("mnist", stream).message("downloading")
    assert stream.getvalue() == "downloading\n"


def test_text_progress_redraws_one_line_on_a_terminal():
    stream = _Terminal()
    bar = TextProgress("mnist", stream)
    for done in (0, 2_500_000, 5_000_000, 10_000_000, 10_000_000):
        bar(done, 10_000_000)
    lines = stream.getvalue().split("\r")[1:]
    assert lines[0] == f"mnist  [{' ' * BAR_WIDTH}]   0%  0.0/10.0 MB"
    assert lines[1].startswith("mnist  [" + "#" * 8 + " " * 22 + "]  25%  2.5/10.0 MB")  # round(30 / 4) = 8
    assert lines[3] == f"mnist  [{'#' * BAR_WIDTH}] 100%  10.0/10.0 MB\n"
    assert stream.getvalue().count("\n") == 1  # a finished bar ends its line once


def test_text_progress_writes_a_line_a_tenth_to_a_file():
    stream = io.StringIO()  # not a terminal: no carriage returns, no flood of lines
    bar = TextProgress("mnist", stream)
    for done in range(0, 1001):
        bar(done, 1000)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11  # 0 %, 10 %, ..., 100 %
    assert "\r" not in stream.getvalue()
    assert lines[-1].endswith("100%  0.0/0.0 MB")


def test_progress_true_draws_a_bar_on_stderr_while_downloading(
    http_server, route_cls, fake_mnist, fake_spec_factory, tmp_path, capsys
):
    files, _ = fake_mnist
    for name, body in files.items():
        http_server.routes[f"/{name}"] = route_cls(body)
    spec = fake_spec_factory(files, [http_server.url])
    load_idx_dataset(spec, "test", data_dir=tmp_path, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1].startswith(f"fake  [{'#' * BAR_WIDTH}] 100%")
    load_idx_dataset(spec, "test", data_dir=tmp_path, progress=True)  # nothing to download
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("progress", ["yes", 1, [print]])
def test_a_progress_that_is_not_callable_is_refused_before_any_request(http_server, isolated_data, progress):
    with pytest.raises(
        TypeError, match=r"progress must be True .* or a callable progress\(bytes_done, bytes_total\); got"
    ):
        load_mnist("test", mirrors=[http_server.url], progress=progress)
    assert http_server.requests == []


def test_offline_the_error_names_every_missing_file_and_the_way_round_it(isolated_data):
    dead = f"http://127.0.0.1:{_closed_port()}/"
    with pytest.raises(DownloadError) as info:
        load_mnist("test", mirrors=[dead])
    message = str(info.value)
    assert f"{dead}t10k-images-idx3-ubyte.gz: could not connect" in message
    folder = isolated_data / "mnist"
    assert (
        f"mnist files still missing in {folder}: t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; "
        "the train split's train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz are missing too." in message
    )
    assert "set DELTAPROP_DATA (or, from Python, pass data_dir=) to the folder holding mnist/" in message
    assert not isolated_data.exists()  # nothing left behind, not even the cache folder


@pytest.mark.mnist
def test_real_mnist_downloads_into_a_fresh_cache_through_load_by_name(
    http_server, route_cls, monkeypatch, tmp_path
):
    # A new user's machine: no DELTAPROP_DATA, an empty home; the real files (published SHA-256s)
    # come from a mirror on 127.0.0.1 and land in ~/.cache/deltaprop/mnist.
    source = data_home() / "mnist"
    if missing_files(MNIST, source, ["test"]) or not (source / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"no gzipped MNIST test files in {source}: set DELTAPROP_DATA to a folder holding mnist/")
    for name in MNIST.files["test"]:
        http_server.routes[f"/{name}"] = route_cls((source / name).read_bytes())
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    saved, calls = list(MNIST_MIRRORS), []
    MNIST_MIRRORS[:] = [http_server.url]
    try:
        X, y, classes = load_by_name(
            "mnist", split="test", progress=lambda done, total: calls.append((done, total))
        )
    finally:
        MNIST_MIRRORS[:] = saved
    cache = tmp_path / ".cache" / "deltaprop" / "mnist"
    assert leftovers(cache) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    total = MNIST.sizes["t10k-images-idx3-ubyte.gz"] + MNIST.sizes["t10k-labels-idx1-ubyte.gz"]
    assert calls[-1] == (total, total) and len(calls) > 2
    assert X.shape == (10_000, 784) and y[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert classes == tuple("0123456789")
