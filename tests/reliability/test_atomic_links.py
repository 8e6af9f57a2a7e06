"""Every atomic write treats what stands at the path as ``open(path, "w")`` would, not as the
rename would: a symbolic link is written through (the file it leads to is replaced, the link
stays), and a named pipe, a device, a socket or a folder is refused before anything is
written, never replaced by a regular file (as root, ``dp.save(net, "/dev/full")`` replaced the
device node). Devices are simulated by monkeypatching ``os.stat``: no test touches /dev."""

from __future__ import annotations

import errno
import functools
import os
import stat

import numpy as np
import pytest

import deltaprop as dp
from deltaprop._atomic import leftovers, write_text
from deltaprop.cli import main

X = np.random.default_rng(0).random((12, 2))
Y = np.arange(12) % 2


def _writers():
    """Each writer of the library, ready to write a file at a path given to it."""
    net = dp.Network([2, 3, 2], seed=0)
    history = net.fit(X, Y, epochs=1, seed=0)
    return {
        "save": functools.partial(dp.save, net),
        "save_checkpoint": lambda path: dp.save_checkpoint(path, net, dp.SGD(0.1), {"epoch": 1}),
        "History.to_json": history.to_json,
        "save_figure": functools.partial(dp.plots.save_figure, dp.plots.learning_curves(history)),
        "write_text": lambda path: write_text(path, "new"),
    }


WRITERS = _writers()
SUFFIX = {"save_figure": ".png", "History.to_json": ".json", "write_text": ".txt"}


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("writer", WRITERS)
def test_a_link_is_written_through_and_stays_a_link(writer, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    name = "f" + SUFFIX.get(writer, ".safetensors")
    target = tmp_path / "real" / name
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    link = tmp_path / "links" / name
    link.symlink_to(os.path.join("..", "real", name))  # relative, as ln -s writes it

    WRITERS[writer](link)
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "real", name)
    assert target.read_bytes() not in (b"old", b"") and target.is_file() and not target.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file's own permissions kept
    assert _files(tmp_path / "real") == [name] and _files(tmp_path / "links") == [name]  # no temporaries


def test_a_chain_of_links_is_followed_to_the_file(tmp_path):
    (tmp_path / "file.txt").write_text("old")
    (tmp_path / "second").symlink_to("file.txt")
    (tmp_path / "first").symlink_to(tmp_path / "second")
    assert write_text(tmp_path / "first", "new") == tmp_path / "first"  # the path asked for
    assert (tmp_path / "file.txt").read_text() == "new"
    assert (tmp_path / "first").is_symlink() and (tmp_path / "second").is_symlink()


def test_a_dangling_link_creates_its_file_or_names_the_missing_folder(tmp_path):
    link = tmp_path / "m.safetensors"
    link.symlink_to("models/m.safetensors")
    with pytest.raises(
        FileNotFoundError, match=r"cannot write .*m\.safetensors: the folder .*models does not"
    ):
        WRITERS["save"](link)
    assert link.is_symlink() and _files(tmp_path) == ["m.safetensors"]
    (tmp_path / "models").mkdir()
    WRITERS["save"](link)
    assert link.is_symlink() and (tmp_path / "models" / "m.safetensors").is_file()
    assert dp.load(link).sizes == [2, 3, 2]


def test_leftovers_of_a_link_are_found_beside_its_file(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "checkpoint.safetensors").write_bytes(b"done")
    (tmp_path / "link.safetensors").symlink_to(tmp_path / "run" / "checkpoint.safetensors")
    stale = tmp_path / "run" / ".checkpoint.safetensors.abc.tmp"
    stale.write_bytes(b"half")
    assert leftovers(tmp_path / "link.safetensors") == [stale]


def _fifo(path):
    os.mkfifo(path)


def _socket(path):
    os.mknod(path, stat.S_IFSOCK | 0o600)


@pytest.mark.parametrize(("make", "kind"), [(_fifo, "a named pipe"), (_socket, "a socket")])
@pytest.mark.parametrize("writer", WRITERS)
def test_a_pipe_or_socket_is_refused_and_left_as_it_is(writer, make, kind, tmp_path):
    path = tmp_path / ("special" + SUFFIX.get(writer, ".safetensors"))
    make(path)
    before = os.lstat(path)
    with pytest.raises(
        OSError, match=f"{path.name} is {kind}.*, not a regular file; give the path of a file"
    ):
        WRITERS[writer](path)
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert _files(tmp_path) == [path.name]  # nothing written beside it either


@pytest.mark.parametrize(
    ("device", "kind"), [(stat.S_IFCHR, "a character device"), (stat.S_IFBLK, "a block device")]
)
def test_a_device_behind_a_link_is_refused(device, kind, tmp_path, monkeypatch):
    fake = tmp_path / "full"  # a regular file the system is made to call a device
    fake.write_bytes(b"")
    (tmp_path / "out.safetensors").symlink_to(fake)
    real_stat = os.stat

    def as_device(path, *, follow_symlinks=True, **kwargs):
        found = real_stat(path, follow_symlinks=follow_symlinks, **kwargs)
        if follow_symlinks and os.path.realpath(path) == str(fake):
            return os.stat_result((device | 0o666, *tuple(found)[1:]))
        return found

    monkeypatch.setattr(os, "stat", as_device)
    with pytest.raises(
        OSError, match=f"out.safetensors \\(a link to .*full\\) is {kind}, not a regular file"
    ):
        WRITERS["save"](tmp_path / "out.safetensors")
    monkeypatch.undo()
    assert (tmp_path / "out.safetensors").is_symlink() and fake.read_bytes() == b""
    assert _files(tmp_path) == ["full", "out.safetensors"]


def test_a_link_to_a_folder_is_a_folder(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "h.json").symlink_to("folder")
    with pytest.raises(IsADirectoryError, match=r"h\.json \(a link to .*folder\) is a folder"):
        WRITERS["History.to_json"](tmp_path / "h.json")
    assert (tmp_path / "h.json").is_symlink() and _files(tmp_path / "folder") == []


def test_a_link_that_loops_is_named(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError) as caught:
        write_text(tmp_path / "a", "x")
    assert caught.value.errno == errno.ELOOP and str(caught.value).endswith(f": {str(tmp_path / 'a')!r}")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


# --- the CLI: predict --output, explain --out ---------------------------------------------


@pytest.fixture(scope="module")
def moons_run(tmp_path_factory):
    """A 2-epoch moons run and a CSV of 3 inputs to predict."""
    home = tmp_path_factory.mktemp("moons")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(home)
        mp.setenv("MPLBACKEND", "Agg")
        args = [
            "train",
            "--data",
            "moons",
            "--epochs",
            "2",
            "--seed",
            "0",
            "--quiet",
            "--no-plots",
            "--name",
            "r",
        ]
        assert main(args) == 0
    np.savetxt(home / "x.csv", X[:3], delimiter=",", header="a,b", comments="")
    return home


def _cli(folder, capsys, *args: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_output_through_a_link_writes_the_linked_file(moons_run, tmp_path, capsys):
    (tmp_path / "real.csv").write_text("old\n")
    (tmp_path / "link.csv").symlink_to("real.csv")
    predict = ("predict", str(moons_run / "runs" / "r"), str(moons_run / "x.csv"))
    code, out, err = _cli(tmp_path, capsys, *predict, "--output", "link.csv")
    assert (code, out, err) == (0, "3 predictions written to link.csv\n", "")
    assert (tmp_path / "link.csv").is_symlink()
    on_stdout = _cli(tmp_path, capsys, *predict, "--format", "csv")[1]
    assert (tmp_path / "real.csv").read_text() == on_stdout
    assert _files(tmp_path) == ["link.csv", "real.csv"]


def test_predict_output_to_a_pipe_is_a_usage_error(moons_run, tmp_path, capsys):
    os.mkfifo(tmp_path / "p.csv")
    predict = ("predict", str(moons_run / "runs" / "r"), str(moons_run / "x.csv"))
    code, out, err = _cli(tmp_path, capsys, *predict, "--output", "p.csv")
    assert (code, out) == (2, "")
    assert err == (
        "deltaprop predict: error: --output p.csv: cannot write it (p.csv is a named pipe (FIFO), "
        "not a regular file; give the path of a file to write)\n"
    )
    assert stat.S_ISFIFO(os.lstat(tmp_path / "p.csv").st_mode)


def test_explain_out_to_a_pipe_is_a_usage_error(tmp_path, capsys):
    os.mkfifo(tmp_path / "x.html")
    code, out, err = _cli(tmp_path, capsys, "explain", "--format", "html", "--out", "x.html")
    assert (code, out) == (2, "")  # known before running, as for predict --output
    assert err == (
        "deltaprop explain: error: --out x.html: cannot write it (x.html is a named pipe (FIFO), "
        "not a regular file; give the path of a file to write)\n"
    )
    assert stat.S_ISFIFO(os.lstat(tmp_path / "x.html").st_mode)
