"""Whether a generated data set fits in memory: refused by its size before NumPy is asked for it.

``make_moons(10**10)`` used to fail deep in NumPy ("Unable to allocate 37.3 GiB ... from
``linspace``"), and a size between the memory available and the machine's total could be
granted by a kernel that overcommits, then the process killed while filling it. The generators
run inside :func:`fits_in_memory`, with the bytes a sample takes at their peak.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

GIB = 2**30
MEMINFO = "/proc/meminfo"


def available_bytes() -> int | None:
    """The memory this process can still take without swapping, in bytes: Linux's
    ``MemAvailable`` (free memory plus the cache it can drop), else the free pages POSIX
    reports; None where neither is known (then nothing is refused)."""
    try:
        with open(MEMINFO, encoding="ascii") as lines:
            for line in lines:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # the file counts kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows) or not these names (macOS)
        return None


@contextmanager
def fits_in_memory(n_samples: int, bytes_per_sample: int):
    """Run the block that makes ``n_samples`` samples, each taking ``bytes_per_sample`` bytes at
    the generator's peak (not only in its result), if they fit in :func:`available_bytes`.

    Raises ``MemoryError`` naming ``n_samples``, the bytes needed and the most that fit, before
    the block when they do not fit, and in place of NumPy's own when the block still runs out
    (where the memory available is not known), as ``Network`` names its sizes.
    """
    needed = n_samples * bytes_per_sample
    available = available_bytes()
    if available is not None and needed > available:
        raise MemoryError(
            f"{_needs(n_samples, bytes_per_sample)}, more than the {available / GIB:.1f} GiB of memory "
            f"available; ask for at most {available // bytes_per_sample:,} samples"
        )
    try:
        yield
    except MemoryError:
        raise MemoryError(
            f"{_needs(n_samples, bytes_per_sample)}: more than this machine can give; ask for fewer samples"
        ) from None


def _needs(n_samples: int, bytes_per_sample: int) -> str:
    needed = n_samples * bytes_per_sample
    return (
        f"n_samples={n_samples:,} needs {needed:,} bytes ({needed / GIB:.1f} GiB, {bytes_per_sample} "
        f"a sample while the data are made)"
    )
