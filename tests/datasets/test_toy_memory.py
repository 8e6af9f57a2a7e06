"""The toy generators refuse an ``n_samples`` that does not fit in memory, naming it and the bytes
it needs, before NumPy fails deep inside (``make_moons(10**10)``: "Unable to allocate 37.3 GiB"
from ``linspace``)."""

from __future__ import annotations

import os
import tracemalloc

import pytest

from deltaprop.datasets import make_blobs, make_circles, make_moons, make_spiral, memory, toy

GENERATORS = [make_moons, make_circles, make_spiral, make_blobs]
MIB = 2**20


@pytest.mark.parametrize("make", GENERATORS)
def test_an_n_samples_beyond_any_machine_is_refused_by_name(make):
    # 10**13 samples are 800 TB at their peak: more than any machine has available.
    with pytest.raises(MemoryError) as raised:
        make(10**13)
    message = str(raised.value)
    assert message.startswith("n_samples=10,000,000,000,000 needs 800,000,000,000,000 bytes")
    assert "of memory available; ask for at most" in message


@pytest.mark.parametrize("make", GENERATORS)
def test_the_limit_is_the_memory_available(make, monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: MIB)
    fits = MIB // toy.PEAK_BYTES_PER_SAMPLE  # 13,107 samples
    assert len(make(fits, seed=0)[0]) == fits
    refused = r"n_samples=13,108 needs 1,048,640 bytes .* at most 13,107 samples"
    with pytest.raises(MemoryError, match=refused):
        make(fits + 1, seed=0)


def test_where_the_memory_available_is_unknown_numpys_error_is_named_too(monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: None)
    with pytest.raises(MemoryError, match=r"^n_samples=7 needs 560 bytes .*more than this machine can give"):
        with memory.fits_in_memory(7, 80):
            raise MemoryError("Unable to allocate 37.3 GiB for an array with shape (5000000000,)")


@pytest.mark.parametrize("make", GENERATORS)
def test_the_peak_per_sample_is_what_the_check_assumes(make):
    make(10, seed=0)  # imports scikit-learn outside the measurement
    n_samples = 100_000
    tracemalloc.start()
    try:
        make(n_samples, seed=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 24 * n_samples < peak <= toy.PEAK_BYTES_PER_SAMPLE * n_samples * 1.01


@pytest.mark.skipif(not os.path.exists(memory.MEMINFO), reason="Linux's /proc/meminfo")
def test_the_memory_available_is_read_on_linux():
    assert memory.available_bytes() > MIB
