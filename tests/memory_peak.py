"""The most memory a call held at once, for the tests that bound what a load, a step or a
scaling may copy (tracemalloc counts NumPy's allocations)."""

from __future__ import annotations

import tracemalloc


def peak_bytes(call):
    """``(peak, result)``: the most bytes allocated at once during ``call()`` beyond what was
    held before it, and what it returned."""
    tracemalloc.start()
    try:
        result = call()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()
