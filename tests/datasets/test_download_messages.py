"""A download says what it fetches, from where, before connecting, and which mirror it gives up:
a network that drops packets was a minute of silence (two mirrors, 30 s each) before the error."""

from __future__ import annotations

import socket

import pytest

from deltaprop.datasets import download_idx_dataset, fetch_files
from deltaprop.datasets.download import RemoteFile
from deltaprop.errors import DownloadError


class _Recorder:
    """A progress that can show words: every call and message, in order."""

    def __init__(self):
        self.events = []

    def __call__(self, done, total):
        self.events.append(("bar", done, total))

    def message(self, text):
        self.events.append(("message", text))


def test_the_download_is_announced_and_a_failed_mirror_named(
    tmp_path, http_server, route_cls, fake_mnist, fake_spec_factory, offline
):
    files, _ = fake_mnist
    for name, body in files.items():
        http_server.routes[f"/{name}"] = route_cls(body=body)
    spec = fake_spec_factory(files, [offline, http_server.url + "/"])
    progress = _Recorder()
    folder = download_idx_dataset(spec, splits=["test"], data_dir=tmp_path, progress=progress)
    size = sum(len(files[name]) for name in spec.files["test"])
    first, second = progress.events[:2]
    assert first == ("message", f"downloading fake ({size // 1000} kB) into {folder} from {offline}")
    assert second[0] == "message"  # before any byte: the first mirror refuses the connection
    assert second[1].startswith(f"{offline}t10k-images-idx3-ubyte.gz: could not connect (")
    assert second[1].endswith(f"; trying the next mirror, {http_server.url}/")
    assert progress.events[-1] == ("bar", size, size)


def test_a_silent_mirror_is_named_as_timed_out(tmp_path):
    with socket.socket() as silent:  # accepts connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        progress = _Recorder()
        with pytest.raises(DownloadError) as info:
            fetch_files([RemoteFile("f.gz", "0" * 64)], tmp_path, [url, url], progress=progress, timeout=0.2)
    assert f"{url}f.gz: timed out: nothing received within 0.2 s" in str(info.value)
    assert progress.events == [
        ("message", f"{url}f.gz: timed out: nothing received within 0.2 s; trying the next mirror, {url}")
    ]
