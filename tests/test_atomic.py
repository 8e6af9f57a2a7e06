"""The one atomic writer behind every file deltaprop writes."""

import os
import stat

import pytest

from deltaprop._atomic import atomic_write, leftovers, write_text


def test_a_written_file_has_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    path = write_text(tmp_path / "h.json", "{}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0o600
    assert path.read_text() == "{}"


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    path = write_text(tmp_path / "m.bin", "old")

    def half_then_fail(fh):
        fh.write(b"new, but only ha")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, half_then_fail)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.bin"]


def test_a_missing_folder_is_named_unless_parents_are_wanted(tmp_path):
    with pytest.raises(FileNotFoundError, match="the folder .*nope does not exist"):
        write_text(tmp_path / "nope" / "f.txt", "x")
    assert write_text(tmp_path / "yes" / "f.txt", "x", parents=True).read_text() == "x"


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder"):
        write_text(tmp_path, "x")


def test_replacing_a_file_keeps_its_permissions(tmp_path):
    # As open(path, "w") would: a model file made private (0o600) or shared read-only for
    # the group (0o640) stays so when it is written again.
    path = write_text(tmp_path / "model.safetensors", "v1")
    for mode in (0o600, 0o640):
        os.chmod(path, mode)
        write_text(path, "v2")
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert path.read_text() == "v2"


def test_the_umask_is_read_without_being_changed(tmp_path, monkeypatch):
    # Setting the umask to read it would race with other threads creating files; where the
    # system tells it (/proc/self/status on Linux) it is only read.
    from deltaprop import _atomic

    previous = os.umask(0o027)
    try:
        calls = []
        real = os.umask
        monkeypatch.setattr(os, "umask", lambda m: calls.append(m) or real(m))
        path = write_text(tmp_path / "new.txt", "x")
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        if os.path.exists("/proc/self/status"):
            assert calls == []
        assert _atomic._umask() == 0o027
    finally:
        os.umask(previous)


def test_leftovers_are_the_unfinished_temporaries_of_one_file(tmp_path):
    target = tmp_path / "checkpoint.safetensors"
    target.write_bytes(b"done")
    stale = [tmp_path / ".checkpoint.safetensors.x1y2.tmp", tmp_path / ".checkpoint.safetensors.z9.tmp"]
    for p in stale:
        p.write_bytes(b"half")
    (tmp_path / ".model.safetensors.q.tmp").write_bytes(b"another file's")
    (tmp_path / "checkpoint.safetensors.tmp").write_bytes(b"not ours: no leading dot")
    assert leftovers(target) == sorted(stale)
    assert leftovers(tmp_path / "nothing.json") == []


def test_a_folder_that_refuses_the_write_is_named_by_the_callers_path(tmp_path, monkeypatch):
    """As ``explain --out /sys/x.html`` met it: the error named our hidden temporary file."""
    import tempfile

    def refused(prefix, suffix, dir):
        raise PermissionError(13, "Permission denied", os.path.join(dir, f"{prefix}w63gjhuj{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(PermissionError) as caught:
        write_text(tmp_path / "x.html", "<p>")
    assert caught.value.filename == str(tmp_path / "x.html")
    assert ".tmp" not in str(caught.value) and str(tmp_path / "x.html") in str(caught.value)


def test_an_error_of_the_writers_own_passes_as_it_is(tmp_path):
    # A connection lost mid-download is no fault of the file: it must not be made to name it.
    def reset(fh):
        raise ConnectionResetError(104, "Connection reset by peer")

    with pytest.raises(ConnectionResetError) as caught:
        atomic_write(tmp_path / "train.gz", reset)
    assert caught.value.filename is None and str(caught.value) == "[Errno 104] Connection reset by peer"
    assert list(tmp_path.iterdir()) == []
