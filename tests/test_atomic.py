"""The one atomic writer behind every file deltaprop writes."""

import os
import stat

import pytest

from deltaprop._atomic import atomic_write, write_text


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
